use crate::on_every_engine;
use crate::support::{call_with, complaint_form, TestApp};

async fn file(app: &TestApp) -> String {
    let (status, receipt) = app.call("file_complaint", &complaint_form(&[])).await;
    assert_eq!(status, 200, "{receipt}");
    receipt["tracking_code"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_filing_visitor_sees_the_complaint_at_once() {
    on_every_engine!(filing_visitor);
}

async fn filing_visitor(app: &TestApp) {
    let code = file(app).await;
    let (status, complaint) = app.call("tracked_complaint", &[("code", &code)]).await;
    assert_eq!(status, 200, "{complaint}");
    assert_eq!(complaint["status"], "filed");
    assert_eq!(complaint["timeline"][0]["kind"], "filed");
    let (status, html) = app.get(&format!("/track/{code}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("已受理") && html.contains("卫生间天花板漏水"),
        "the page is in Chinese"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_visitor_must_prove_code_and_phone() {
    on_every_engine!(prove_code_and_phone);
}

async fn prove_code_and_phone(app: &TestApp) {
    let code = file(app).await;
    let stranger = app.new_visitor();
    let (status, _) = call_with(
        &stranger,
        &app.base,
        "tracked_complaint",
        &[("code", &code)],
    )
    .await;
    assert_eq!(status, 401, "a code alone does not open the complaint");

    let wrong_phone = call_with(
        &stranger,
        &app.base,
        "look_up_complaint",
        &[("code", &code), ("phone", "13900000000")],
    )
    .await;
    let unknown_code = call_with(
        &stranger,
        &app.base,
        "look_up_complaint",
        &[("code", "ZZZZZZZZZZZZ"), ("phone", "13900000000")],
    )
    .await;
    assert_eq!(wrong_phone.0, 422);
    let mut unknown = unknown_code.1.clone();
    unknown["Validation"]["echo"]["code"] = wrong_phone.1["Validation"]["echo"]["code"].clone();
    assert_eq!(
        wrong_phone.1, unknown,
        "a wrong phone and an unknown code read the same"
    );
    assert_eq!(unknown_code.0, wrong_phone.0);

    let (status, _) = call_with(
        &stranger,
        &app.base,
        "look_up_complaint",
        &[("code", &code.to_lowercase()), ("phone", "138 1234 5678")],
    )
    .await;
    assert_eq!(
        status, 200,
        "code and phone are accepted as people type them"
    );
    let (status, complaint) = call_with(
        &stranger,
        &app.base,
        "tracked_complaint",
        &[("code", &code)],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(complaint["tracking_code"], code.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_codes_and_phones_get_field_messages() {
    on_every_engine!(malformed_lookup);
}

async fn malformed_lookup(app: &TestApp) {
    let (status, body) = app
        .call("look_up_complaint", &[("code", "0OIL"), ("phone", "abc")])
        .await;
    assert_eq!(status, 422);
    assert!(body["Validation"]["fields"]["code"]
        .as_str()
        .unwrap()
        .contains("12位"));
    assert!(body["Validation"]["fields"]["phone"].is_string());
}
