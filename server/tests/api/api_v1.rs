//! The JSON API for other systems.

use serde_json::{json, Value};

use crate::on_every_engine;
use crate::support::TestApp;

async fn post(app: &TestApp, path: &str, body: &str, lang: &str) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}{path}", app.base))
        .header("content-type", "application/json")
        .header("accept-language", lang)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grading_returns_the_level_and_every_rule_that_fired() {
    on_every_engine!(grading);
}

async fn grading(app: &TestApp) {
    let (status, body) = post(
        app,
        "/api/v1/grade",
        r#"{"text": "楼上漏水", "people_count": 12}"#,
        "zh-CN",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["level"], 1);
    assert!(
        body["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["rule"] == "group_of_ten"),
        "{body}"
    );

    let request = json!({
        "text": "窗户边渗水", "claimed_amount_yuan": 3000, "flags": ["lawyer"], "impact": "impaired",
        "repeat": true, "same_issue_complainants_30d": 1, "days_unresolved": 2, "ignored_extra": 1
    });
    let (status, body) = post(app, "/api/v1/grade", &request.to_string(), "en").await;
    assert_eq!((status, body["level"].clone()), (200, json!(2)), "{body}");
    assert!(
        body["reasons"][0]["message"].as_str().unwrap().is_ascii(),
        "English on request: {body}"
    );

    let (_, body) = post(
        app,
        "/api/v1/grade",
        r#"{"text": "我们已经联系了记者,再不处理就上电视"}"#,
        "zh-CN",
    )
    .await;
    assert_eq!(body["level"], 1, "the text's own cues count: {body}");
    let (_, body) = post(
        app,
        "/api/v1/grade",
        r#"{"text": "门口的灯有点暗"}"#,
        "zh-CN",
    )
    .await;
    assert_eq!(body["level"], 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_person_stated_wins_over_what_the_text_seems_to_say() {
    on_every_engine!(stated_facts_win);
}

async fn stated_facts_win(app: &TestApp) {
    let grade = |body: Value| async move {
        let (status, graded) = post(app, "/api/v1/grade", &body.to_string(), "zh-CN").await;
        assert_eq!(status, 200, "{body} → {graded}");
        graded
    };
    let rules = |graded: &Value| -> Vec<String> {
        graded["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["rule"].as_str().unwrap().to_owned())
            .collect()
    };

    // The burst pipe says "severe", but the person stated "impaired" and ¥3,000: level 2.
    let graded = grade(json!({
        "text": "厨房水管爆裂泡水了,橱柜底板坏了,要求赔偿",
        "impact": "impaired", "claimed_amount_yuan": 3000
    }))
    .await;
    assert_eq!(graded["level"], 2, "{graded}");
    assert!(
        !rules(&graded).contains(&"impact_severe".to_owned()),
        "{graded}"
    );
    // Left out, the same text's cue fills the impact, offered to confirm.
    let graded = grade(json!({"text": "厨房水管爆裂泡水了,橱柜底板坏了,要求赔偿"})).await;
    assert_eq!(graded["level"], 1, "{graded}");
    assert!(
        !graded["suggested"].as_array().unwrap().is_empty(),
        "{graded}"
    );

    // "A little seepage" with impact stated as none: routine.
    let graded = grade(json!({"text": "阳台角落有点渗水的痕迹", "impact": "none"})).await;
    assert_eq!(graded["level"], 4, "{graded}");
    // A hedge: without a stated impact it is at most cosmetic, never "impaired".
    let graded = grade(json!({"text": "阳台角落有点渗水的痕迹"})).await;
    assert!(graded["level"].as_u64().unwrap() >= 3, "{graded}");

    // A threat to go to the media is a hot spot (2), named as a threat.
    let graded = grade(json!({"text": "再不解决我就去找媒体曝光"})).await;
    assert_eq!(graded["level"], 2, "{graded}");
    assert_eq!(rules(&graded)[0], "exposure_threat", "{graded}");
    // Media actually involved is level 1.
    let graded = grade(json!({"text": "昨天记者已经来小区采访了"})).await;
    assert_eq!(graded["level"], 1, "{graded}");
    // An empty flags list states "none": the threat in the text is not applied.
    let graded = grade(json!({"text": "再不解决我就去找媒体曝光", "flags": []})).await;
    assert_eq!(graded["level"], 4, "{graded}");

    // The amount reads naturally.
    let graded = grade(json!({"text": "窗户渗水", "claimed_amount_yuan": 3000})).await;
    let amount = graded["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "amount_any")
        .unwrap();
    let message = amount["message"].as_str().unwrap();
    assert!(
        message.contains("¥3,000") && !message.contains("0.01"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_json_and_bad_values_are_400s_naming_the_field() {
    on_every_engine!(bad_input);
}

async fn bad_input(app: &TestApp) {
    for (body, field) in [
        ("{not json", Value::Null),
        ("[1, 2]", Value::Null),
        (r#"{"people_count": 3}"#, json!("text")),
        (r#"{"text": 5}"#, json!("text")),
        (r#"{"text": "x", "people_count": 0}"#, json!("people_count")),
        (
            r#"{"text": "x", "people_count": "three"}"#,
            json!("people_count"),
        ),
        (
            r#"{"text": "x", "claimed_amount_yuan": -1}"#,
            json!("claimed_amount_yuan"),
        ),
        (r#"{"text": "x", "flags": ["aliens"]}"#, json!("flags")),
        (
            r#"{"text": "x", "impact": "catastrophic"}"#,
            json!("impact"),
        ),
        (r#"{"text": "x", "repeat": "yes"}"#, json!("repeat")),
    ] {
        let (status, response) = post(app, "/api/v1/grade", body, "zh-CN").await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(response["error"]["field"], field, "{body} → {response}");
        assert!(!response["error"]["message"].as_str().unwrap().is_empty());
    }
    let huge = json!({ "text": "漏".repeat(6000) }).to_string();
    assert_eq!(post(app, "/api/v1/grade", &huge, "zh-CN").await.0, 400);
    let (status, spec) = app.get("/api/v1/openapi.yaml").await;
    assert_eq!(status, 200);
    assert!(spec.contains("/api/v1/grade"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hints_give_the_likely_category_the_level_and_are_honest_when_unsure() {
    on_every_engine!(hints);
}

async fn hints(app: &TestApp) {
    let (status, body) = post(
        app,
        "/api/v1/hints",
        r#"{"text": "卫生间天花板一直漏水,楼上说不是他们家的问题,墙面都泡坏了,已经报修三次没人来"}"#,
        "zh-CN",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let category = body["category"].as_str().expect("a category");
    assert!(
        ["engineering_quality", "repair_service"].contains(&category),
        "a leak is engineering quality or repair service: {body}"
    );
    let confidence = body["confidence"].as_f64().expect("confidence");
    assert!((0.0..=1.0).contains(&confidence));
    assert!(body["alternatives"].is_array());
    let level = body["level"].as_u64().expect("a level");
    assert!((1..=4).contains(&level), "{body}");
    assert!(body["faq"].is_array());

    let (_, body) = post(app, "/api/v1/hints", r#"{"text": "你好"}"#, "zh-CN").await;
    assert_eq!(
        body["category"],
        Value::Null,
        "too little text: not sure yet"
    );
    assert_eq!(body["alternatives"], json!([]));

    let (_, body) = post(
        app,
        "/api/v1/hints",
        r#"{"text": "楼上漏水,我们已经联系了电视台记者"}"#,
        "zh-CN",
    )
    .await;
    assert_eq!(body["level"], 1, "media: level 1: {body}");

    // Danger now: the hotline first. Denied, feared or over: none.
    let (_, body) = post(
        app,
        "/api/v1/hints",
        r#"{"text": "电梯困人了，里面有两位老人，快来人"}"#,
        "zh-CN",
    )
    .await;
    assert_eq!(body["danger"]["kind"], "lift_entrapment", "{body}");
    assert_eq!(body["danger"]["label"], "电梯困人", "{body}");
    assert!(body["danger"]["advice"]
        .as_str()
        .is_some_and(|a| !a.is_empty()));
    for calm in [
        "楼道里没有燃气味了",
        "担心电线老化会着火",
        "上周电梯困过人，希望加强维保",
    ] {
        let request = serde_json::json!({ "text": calm }).to_string();
        let (_, body) = post(app, "/api/v1/hints", &request, "zh-CN").await;
        assert_eq!(body["danger"], Value::Null, "{calm}: {body}");
    }
    let (_, body) = post(
        app,
        "/api/v1/hints",
        r#"{"text": "I can smell gas in the stairwell"}"#,
        "en",
    )
    .await;
    assert_eq!(body["danger"]["kind"], "gas", "{body}");
    assert_eq!(body["danger"]["label"], "Smell of gas", "{body}");

    let (status, body) = post(app, "/api/v1/hints", r#"{"txt": "漏水"}"#, "en").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["field"], "text");
}
