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

#[tokio::test]
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

#[tokio::test]
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

#[tokio::test]
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

    let (status, body) = post(app, "/api/v1/hints", r#"{"txt": "漏水"}"#, "en").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["field"], "text");
}
