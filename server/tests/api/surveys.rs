//! Revisit surveys: the link, the in-app survey, unsatisfied → reopen, the staff list.

use serde_json::Value;
use sqlx::Row;

use crate::on_every_engine;
use crate::support::{call_with, TestApp};
use crate::workflow::file;

/// Takes a new complaint to "resolved" as the supervisor; returns the survey token
/// from the text message queued for the owner.
pub(crate) async fn resolve(app: &TestApp, id: &str) -> String {
    app.log_in("supervisor").await;
    let (_, departments) = app.call("list_departments", &[]).await;
    let repair = departments
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "repair")
        .unwrap();
    let (department, handler) = (
        repair["id"].to_string(),
        repair["handlers"][0]["id"].to_string(),
    );
    for step in [
        vec![("action", "judge_valid")],
        vec![
            ("action", "assign"),
            ("department_id", &department),
            ("handler_id", &handler),
        ],
        vec![("action", "start_investigation")],
        vec![
            ("action", "propose_solution"),
            ("plan", "更换破损的水管接头"),
        ],
        vec![("action", "resolve"), ("body", "接头已更换,已试水无渗漏")],
    ] {
        let (status, body) = app.step(id, &step).await;
        assert_eq!(status, 200, "{step:?}: {body}");
    }
    // No SMS gateway is configured here: the link stays in the outbox, logged as unsent.
    let row = sqlx::query("SELECT secret FROM deliveries WHERE complaint_id = $1 AND kind = 'survey' ORDER BY id DESC")
        .bind(id.parse::<i64>().unwrap())
        .fetch_one(app.pool())
        .await
        .unwrap();
    let body: String = row.get(0);
    let token = body
        .split("/survey/")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    assert!(
        token.len() >= 32 && token.bytes().all(|b| b.is_ascii_hexdigit()),
        "≥128-bit token: {token}"
    );
    token
}

fn answers<'a>(
    process: &'a str,
    result: &'a str,
    overall: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("answers[process]", process),
        ("answers[timeliness]", "satisfied"),
        ("answers[attitude]", "satisfied"),
        ("answers[result]", result),
        ("answers[overall]", overall),
        ("answers[comment]", "师傅很负责"),
    ]
}

async fn status_of(app: &TestApp, id: &str) -> Value {
    let (_, c) = app.call("load_staff_complaint", &[("id", id)]).await;
    c["status"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_the_survey_link_records_nothing_and_an_unsatisfied_answer_reopens() {
    on_every_engine!(link_flow);
}

async fn link_flow(app: &TestApp) {
    let (id, _, _) = file(app, &[]).await;
    let token = resolve(app, &id).await;
    let visitor = app.new_visitor();
    for _ in 0..2 {
        let (status, survey) =
            call_with(&visitor, &app.base, "survey_by_token", &[("token", &token)]).await;
        assert_eq!(status, 200, "{survey}");
        assert_eq!(survey["result"], "接头已更换,已试水无渗漏");
    }
    let answered = app
        .count(&format!(
            "SELECT COUNT(*) FROM revisits WHERE answered_at IS NOT NULL AND complaint_id = {id}"
        ))
        .await;
    assert_eq!(answered, 0, "opening the link twice recorded nothing");
    assert_eq!(status_of(app, &id).await, "resolved");

    let mut form = answers("basic", "unsatisfied", "2");
    form.push(("token", &token));
    let (status, body) = call_with(&visitor, &app.base, "submit_survey", &form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(status_of(app, &id).await, "reopened");
    let (_, notes) = app.call("my_notifications", &[]).await;
    assert!(
        notes
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "unsatisfied"),
        "the supervisor is told"
    );

    let (status, _) = call_with(&visitor, &app.base, "submit_survey", &form).await;
    assert_eq!(status, 404, "one answer per round: the link is spent");
    let (status, _) = call_with(&visitor, &app.base, "survey_by_token", &[("token", &token)]).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_in_app_survey_needs_the_tracking_session_and_a_satisfied_answer_revisits() {
    on_every_engine!(in_app);
}

async fn in_app(app: &TestApp) {
    let (id, code, owner) = file(app, &[]).await;
    resolve(app, &id).await;
    let (_, seen) = call_with(&owner, &app.base, "tracked_complaint", &[("code", &code)]).await;
    assert_eq!(seen["survey_pending"], true);

    let stranger = app.new_visitor();
    let mut form = answers("satisfied", "satisfied", "5");
    form.push(("code", &code));
    let (status, _) = call_with(&stranger, &app.base, "answer_revisit", &form).await;
    assert_eq!(status, 401, "only the owner's session answers");

    let mut missing = answers("satisfied", "", "5");
    missing.push(("code", &code));
    let (status, body) = call_with(&owner, &app.base, "answer_revisit", &missing).await;
    assert_eq!(status, 422);
    assert!(body["Validation"]["fields"]["result"].is_string(), "{body}");

    let (status, body) = call_with(&owner, &app.base, "answer_revisit", &form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(status_of(app, &id).await, "revisited");
    let (_, seen) = call_with(&owner, &app.base, "tracked_complaint", &[("code", &code)]).await;
    assert_eq!(seen["survey_pending"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_link_is_refused_and_staff_see_revisits_due_with_the_rate() {
    on_every_engine!(expired_and_list);
}

async fn expired_and_list(app: &TestApp) {
    let (first, _, _) = file(app, &[]).await;
    let (second, _, _) = file(app, &[]).await;
    let token = resolve(app, &first).await;
    resolve(app, &second).await;
    sqlx::query("UPDATE revisits SET token_expires_at = 0")
        .execute(app.pool())
        .await
        .unwrap();
    let (status, _) = app.call("survey_by_token", &[("token", &token)]).await;
    assert_eq!(status, 404, "older than 30 days");
    let (status, _) = app
        .call("survey_by_token", &[("token", "not-a-token")])
        .await;
    assert_eq!(status, 404);

    let (status, list) = app.call("revisits_due", &[]).await;
    assert_eq!(status, 200, "{list}");
    let due: Vec<String> = list["due"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].to_string())
        .collect();
    assert_eq!(
        due,
        [first.clone(), second.clone()],
        "oldest resolution first"
    );
    // Staff see where the link goes, masked, and never the link itself.
    let queued = list["due"][0]["survey_queued_to"].as_str().unwrap();
    assert!(
        queued.contains("****") && !list.to_string().contains("/survey/"),
        "{list}"
    );
    // The demo's year of history is all revisited: only these two rounds are open.
    let answered_before = list["answered"].as_i64().unwrap();
    assert_eq!(list["rounds"].as_i64(), Some(answered_before + 2));
    let (status, body) = app
        .step(
            &first,
            &[
                ("action", "record_revisit"),
                ("method", "phone"),
                ("process", "satisfied"),
                ("timeliness", "satisfied"),
                ("attitude", "satisfied"),
                ("result", "satisfied"),
                ("overall", "4"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, list) = app.call("revisits_due", &[]).await;
    assert_eq!(list["due"].as_array().unwrap().len(), 1);
    assert_eq!(list["answered"].as_i64(), Some(answered_before + 1));
}
