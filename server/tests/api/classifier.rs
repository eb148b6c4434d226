//! The category classifier learns from the company's own cases: complaints whose category
//! staff confirmed (by assigning) or corrected are labelled examples; an administrator's
//! training promotes a candidate only when the rules allow; the promoted version reaches
//! `/api/v1/hints`, the browser asset and the form page without a rebuild; names never
//! reach a model file.

use domain::classifier::features::bigram_key;
use domain::classifier::Model;
use serde_json::{json, Value};

use crate::on_every_engine;
use crate::support::{assign_to, call_with, signed_in, take_step, TestApp};
use crate::workflow::file;

/// This company hands every charging-pile complaint to its leasing and commercial team (a
/// tenant runs the piles): texts the shipped model reads as repairs.
fn charging_pile_texts() -> Vec<String> {
    // Some owners name themselves and their number: words the model must not keep.
    let openings = [
        "",
        "您好，",
        "我是业主欧阳明轩，",
        "物业你好，",
        "反映个问题：",
        "我是业主欧阳明轩，电话13912345678，",
        "急！",
    ];
    let places = [
        "地库",
        "地下车库B区",
        "负二层",
        "东门停车场",
        "3号楼旁边",
        "西区车位",
    ];
    let faults = [
        "充电桩充不上电",
        "充电桩刷卡没反应",
        "充电桩扣了钱却没充进去",
        "充电桩屏幕一直黑屏",
        "充电桩的插头坏了",
        "充电桩一充电就跳闸",
        "充电桩二维码扫不出来",
    ];
    let asks = [
        "请尽快处理",
        "希望给个说法",
        "要求退还费用",
        "麻烦安排人看看",
        "",
        "谢谢",
    ];
    let mut texts = Vec::new();
    for (i, fault) in faults.iter().enumerate() {
        for (j, place) in places.iter().enumerate() {
            if (i + j) % 2 == 0 {
                texts.push(format!(
                    "{}{place}的{fault}，{}",
                    openings[(i * 3 + j) % openings.len()],
                    asks[(i + 2 * j) % asks.len()]
                ));
            }
        }
    }
    texts
}

const PILE_QUESTION: &str = "地库的充电桩刷卡没反应，请尽快处理";

async fn hint(app: &TestApp, text: &str) -> Value {
    let response = app
        .client
        .post(format!("{}/api/v1/hints", app.base))
        .json(&json!({ "text": text }))
        .send()
        .await
        .expect("hints");
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

async fn overview(admin: &reqwest::Client, app: &TestApp) -> Value {
    let (status, body) = call_with(admin, &app.base, "classifier_overview", &[]).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confirmed_complaints_train_a_model_that_reaches_hints_and_the_browser() {
    on_every_engine!(learning);
}

async fn learning(app: &TestApp) {
    // The shipped model does not know this company's routing.
    let before = hint(app, PILE_QUESTION).await;
    assert_eq!(before["model_version"], 0, "{before}");
    assert_ne!(before["category"], "leasing_commercial", "{before}");

    let admin = signed_in(app, "admin").await;
    let agent = signed_in(app, "agent").await;
    let labelled_before = overview(&admin, app).await["cases"].as_i64().unwrap();

    // Owners file, the agent confirms the category by assigning.
    let texts = charging_pile_texts();
    for (i, text) in texts.iter().enumerate() {
        let phone = format!("1390000{:04}", i);
        let building = (1 + i % 3).to_string();
        let (id, _, _) = file(
            app,
            &[
                ("intake[description]", text.as_str()),
                ("intake[category]", "leasing_commercial"),
                ("intake[phone]", phone.as_str()),
                ("intake[name]", "欧阳明轩"),
                ("intake[building_id]", building.as_str()),
            ],
        )
        .await;
        assign_to(app, &agent, &id, "repair").await;
    }
    // A correction labels too: filed as a repair, corrected by the agent.
    let (corrected, _, _) = file(
        app,
        &[
            ("intake[description]", "地库充电桩的计费不对,多扣了钱"),
            ("intake[category]", "repair_service"),
        ],
    )
    .await;
    let (status, body) = take_step(
        app,
        &agent,
        &corrected,
        &[
            ("action", "correct"),
            ("category", "leasing_commercial"),
            ("unit", "2单元1501"),
            ("people_count", "1"),
            ("claimed_amount_yuan", ""),
            ("impact", ""),
            ("reason", "充电桩归商业租赁部"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM category_labels WHERE complaint_id = {corrected} AND source = 'corrected' AND category = 'leasing_commercial'"
        ))
        .await,
        1
    );
    let summary = overview(&admin, app).await;
    assert_eq!(
        summary["cases"].as_i64().unwrap(),
        labelled_before + texts.len() as i64 + 1,
        "{summary}"
    );
    assert_eq!(summary["active_version"], 0);

    // Only an administrator trains.
    let (status, _) = call_with(&agent, &app.base, "retrain_classifier", &[]).await;
    assert_eq!(status, 403);

    let (status, outcome) = call_with(&admin, &app.base, "retrain_classifier", &[]).await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["verdict"], "promoted", "{outcome}");
    let version = outcome["version"].as_i64().unwrap();
    assert!(version > 0);
    let summary = overview(&admin, app).await;
    assert_eq!(summary["active_version"], version, "{summary}");
    let report = &summary["models"][0]["report"];
    assert!(
        report["company"]["candidate"].as_u64() > report["company"]["in_use"].as_u64(),
        "{report}"
    );
    assert!(
        !report["now_right"].as_array().unwrap().is_empty(),
        "{report}"
    );
    // The report quotes masked texts only.
    assert!(!report.to_string().contains("欧阳明轩"), "{report}");
    assert!(!report.to_string().contains("13912345678"), "{report}");

    // /api/v1/hints uses the new version at once.
    let after = hint(app, PILE_QUESTION).await;
    assert_eq!(after["model_version"], version, "{after}");
    assert_eq!(after["category"], "leasing_commercial", "{after}");

    // The browser asset: the version's bytes, cached for good, revalidated by digest.
    let response = app
        .client
        .get(format!("{}/api/v1/hints/model/{version}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let etag = headers["etag"].to_str().unwrap().to_owned();
    let bytes = response.bytes().await.unwrap();
    let model = Model::parse(&bytes).expect("a model file");
    // No name in the model: "明轩" was in every training text, masked before training.
    let key = |a: char, b: char| bigram_key(a as u32, b as u32);
    assert!(!model.knows(key('明', '轩')));
    assert!(!model.knows(key('欧', '阳')));
    assert!(
        model.knows(key('电', '桩')),
        "the company's words are learnt"
    );
    let revalidated = app
        .client
        .get(format!("{}/api/v1/hints/model/{version}", app.base))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(revalidated.status(), 304);
    let (status, _) = app.get("/api/v1/hints/model/999999").await;
    assert_eq!(status, 404);
    let (status, _) = app.get("/api/v1/hints/model/0").await;
    assert_eq!(status, 200, "the shipped model stays available");

    // The form names the version it will load.
    let (status, page) = app.get("/complaints/new").await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!("data-model-version=\"{version}\""))
            && page.contains(&format!("data-model-url=\"/api/v1/hints/model/{version}\"")),
        "the form names the model in use"
    );

    // Training again on the same cases gives the same model: not better, not promoted.
    let (status, again) = call_with(&admin, &app.base, "retrain_classifier", &[]).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["verdict"], "not_better_for_company", "{again}");
    assert_eq!(overview(&admin, app).await["active_version"], version);

    // A rejected candidate cannot be switched on; the shipped model can, and back again.
    let rejected = again["version"].as_i64().unwrap().to_string();
    let (status, _) = call_with(
        &admin,
        &app.base,
        "activate_classifier",
        &[("version", rejected.as_str())],
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = call_with(
        &admin,
        &app.base,
        "activate_classifier",
        &[("version", "0")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(hint(app, PILE_QUESTION).await["model_version"], 0);
    let (status, _) = call_with(
        &admin,
        &app.base,
        "activate_classifier",
        &[("version", version.to_string().as_str())],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(hint(app, PILE_QUESTION).await["model_version"], version);
    assert!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'classifier_%'")
            .await
            >= 4
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_company_that_mislabels_gets_no_worse_model() {
    on_every_engine!(mislabelled);
}

/// Repairs filed and confirmed as sales complaints: a candidate trained on them would be
/// "better" on the company's equally mislabelled slice but clearly worse on the shipped
/// held-out lines, so it is not promoted.
async fn mislabelled(app: &TestApp) {
    let repairs: Vec<&str> = domain::classifier::shipped::FILES
        .iter()
        .find(|(name, _)| *name == "repair_service.txt")
        .map(|(_, text)| text.lines().filter(|l| !l.trim().is_empty()).collect())
        .unwrap_or_default();
    let agent = signed_in(app, "agent").await;
    for (i, text) in repairs.iter().take(80).enumerate() {
        let phone = format!("1370000{:04}", i);
        let building = (1 + i % 3).to_string();
        let (id, _, _) = file(
            app,
            &[
                ("intake[description]", text),
                ("intake[category]", "sales_management"),
                ("intake[phone]", phone.as_str()),
                ("intake[building_id]", building.as_str()),
            ],
        )
        .await;
        assign_to(app, &agent, &id, "repair").await;
    }
    let admin = signed_in(app, "admin").await;
    let (status, outcome) = call_with(&admin, &app.base, "retrain_classifier", &[]).await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["verdict"], "not_better_for_company", "{outcome}");
    assert_eq!(overview(&admin, app).await["active_version"], 0);
    assert_eq!(hint(app, "水龙头坏了一直滴水").await["model_version"], 0);
}
