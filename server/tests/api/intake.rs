//! Complaints from every channel: an agent records a call, a visit, a letter, a
//! government transfer, WeChat or email in the owner's name. The clocks start when it was
//! received, not when it was typed in; a call is the first contact; a transfer keeps its
//! reference and due date; the owner is found in the estate by phone.

use chrono::{Duration, Utc};
use serde_json::Value;
use sqlx::Row;

use crate::on_every_engine;
use crate::support::{complaint_form, TestApp};

/// Local (Beijing) `datetime-local` text for `at`.
fn local(at: chrono::DateTime<Utc>) -> String {
    (at + Duration::hours(8))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

fn form<'a>(
    recording: &[(&'a str, &'a str)],
    intake: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut form = complaint_form(intake);
    form.extend_from_slice(recording);
    form
}

fn field(body: &Value, name: &str) -> String {
    body["Validation"]["fields"][name]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_recorded_later_counts_from_when_it_was_received() {
    on_every_engine!(recorded_call);
}

async fn recorded_call(app: &TestApp) {
    app.log_in("agent").await;
    // The owner called two hours ago; the agent types it in now.
    let received = Utc::now() - Duration::hours(2);
    let received_text = local(received);
    let (status, receipt) = app
        .call(
            "record_complaint",
            &form(
                &[
                    ("recording[channel]", "phone"),
                    ("recording[received_at]", &received_text),
                ],
                &[("intake[phone]", "13622223333"), ("intake[name]", "孙先生")],
            ),
        )
        .await;
    assert_eq!(status, 200, "{receipt}");
    let id = receipt["complaint_id"].as_i64().expect("an id");
    let row = sqlx::query(
        "SELECT channel, filed_at, recorded_at, first_contact_at, agent_id, sla_due_at FROM complaints WHERE id = $1",
    )
    .bind(id)
    .fetch_one(app.pool())
    .await
    .expect("the complaint");
    let minute = |ms: i64| ms / 60_000;
    let filed_at: i64 = row.get("filed_at");
    assert_eq!(row.get::<String, _>("channel"), "phone");
    assert_eq!(
        minute(filed_at),
        received.timestamp_millis() / 60_000,
        "filed when received"
    );
    let recorded_at: i64 = row.get("recorded_at");
    assert!(
        recorded_at - filed_at >= 2 * 3600 * 1000 - 60_000,
        "typed in later"
    );
    assert_eq!(
        row.get::<Option<i64>, _>("first_contact_at"),
        Some(filed_at),
        "the call was the first contact"
    );
    let agent: i64 = sqlx::query_scalar("SELECT id FROM users WHERE login = 'agent'")
        .fetch_one(app.pool())
        .await
        .expect("the agent");
    assert_eq!(row.get::<Option<i64>, _>("agent_id"), Some(agent));

    // The same complaint filed now through the portal would be due later: the clocks
    // started two hours earlier.
    let (status, web) = app
        .call(
            "file_complaint",
            &complaint_form(&[("intake[phone]", "13622224444")]),
        )
        .await;
    assert_eq!(status, 200, "{web}");
    let (_, staff) = app
        .call("load_staff_complaint", &[("id", &id.to_string())])
        .await;
    assert_eq!(staff["received"]["channel"], "phone", "{staff}");
    assert!(staff["received"]["recorded_at"].is_string());
    let timeline = staff["timeline"].to_string();
    assert!(!timeline.is_empty());

    // The queue marks how it came.
    let (_, queue) = app.call("staff_queue", &[]).await;
    let listed = queue["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["id"] == id)
        .cloned()
        .expect("in the queue");
    assert_eq!(listed["channel"], "phone");

    // What the owner sees: received at the time of the call.
    let code = receipt["tracking_code"].as_str().expect("a code");
    let owner = app.new_visitor();
    let (status, _) = crate::support::call_with(
        &owner,
        &app.base,
        "look_up_complaint",
        &[("code", code), ("phone", "13622223333")],
    )
    .await;
    assert_eq!(status, 200);
    let (_, tracked) =
        crate::support::call_with(&owner, &app.base, "tracked_complaint", &[("code", code)]).await;
    let filed =
        chrono::DateTime::parse_from_rfc3339(tracked["filed_at"].as_str().expect("filed_at"))
            .expect("a time");
    assert_eq!(
        filed.timestamp() / 60,
        received.timestamp() / 60,
        "{tracked}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_government_transfer_keeps_its_reference_and_bad_recordings_store_nothing() {
    on_every_engine!(transfers);
}

async fn transfers(app: &TestApp) {
    app.log_in("agent").await;
    let before = app.count("SELECT COUNT(*) FROM complaints").await;
    let yesterday = local(Utc::now() - Duration::days(1));
    // No reference for a transfer; a time in the future; no channel: each said on its field,
    // everything typed comes back.
    let (status, body) = app
        .call(
            "record_complaint",
            &form(
                &[
                    ("recording[channel]", "hotline"),
                    ("recording[received_at]", &yesterday),
                ],
                &[(
                    "intake[description]",
                    "12345转来:小区门口垃圾堆放三天无人清理",
                )],
            ),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(field(&body, "external_ref").contains("工单编号"), "{body}");
    assert_eq!(
        body["Validation"]["echo"]["description"],
        "12345转来:小区门口垃圾堆放三天无人清理"
    );
    assert_eq!(body["Validation"]["echo"]["channel"], "hotline");
    let tomorrow = local(Utc::now() + Duration::days(1));
    let (status, body) = app
        .call(
            "record_complaint",
            &form(&[("recording[received_at]", &tomorrow)], &[]),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(!field(&body, "channel").is_empty(), "{body}");
    assert!(field(&body, "received_at").contains("晚于"), "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM complaints").await, before);

    let due = (Utc::now() + Duration::days(6) + Duration::hours(8))
        .format("%Y-%m-%d")
        .to_string();
    let (status, receipt) = app
        .call(
            "record_complaint",
            &form(
                &[
                    ("recording[channel]", "hotline"),
                    ("recording[received_at]", &yesterday),
                    ("recording[external_ref]", "GD-2026-120400871"),
                    ("recording[external_due]", &due),
                ],
                &[(
                    "intake[description]",
                    "12345转来:小区门口垃圾堆放三天无人清理",
                )],
            ),
        )
        .await;
    assert_eq!(status, 200, "{receipt}");
    let id = receipt["complaint_id"].to_string();
    let (_, staff) = app.call("load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(staff["received"]["channel"], "hotline");
    assert_eq!(staff["received"]["external_ref"], "GD-2026-120400871");
    assert!(staff["received"]["external_due_at"].is_string(), "{staff}");
    // A letter is no contact with the owner: the first-contact clock runs.
    let first_contact: Option<i64> =
        sqlx::query_scalar("SELECT first_contact_at FROM complaints WHERE id = $1")
            .bind(receipt["complaint_id"].as_i64().unwrap())
            .fetch_one(app.pool())
            .await
            .expect("the complaint");
    assert_eq!(first_contact, None);

    // Owners and handlers record nothing.
    for login in ["repair"] {
        let handler = app.new_visitor();
        crate::support::call_with(
            &handler,
            &app.base,
            "log_in",
            &[("login", login), ("password", "demo-2026")],
        )
        .await;
        let (status, _) = crate::support::call_with(
            &handler,
            &app.base,
            "record_complaint",
            &form(
                &[
                    ("recording[channel]", "phone"),
                    ("recording[received_at]", &yesterday),
                ],
                &[],
            ),
        )
        .await;
        assert_eq!(status, 403);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_caller_is_found_in_the_estate_by_phone_or_unit() {
    on_every_engine!(caller);
}

async fn caller(app: &TestApp) {
    let complaints = app.count("SELECT COUNT(*) FROM complaints").await;
    app.log_in("admin").await;
    let (status, body) = app
        .call(
            "save_estate_unit",
            &[
                ("unit[community]", "桂花园"),
                ("unit[building]", "7栋"),
                ("unit[entrance]", "1单元"),
                ("unit[unit]", "602"),
                ("unit[owner_name]", "钱七"),
                ("unit[phone]", "13911117777"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    app.log_in("agent").await;
    let now = local(Utc::now());
    let recording = [
        ("recording[channel]", "phone"),
        ("recording[received_at]", now.as_str()),
        ("lookup", "1"),
    ];
    // By phone: the place and the owner come back filled in; what was typed stays.
    let (status, body) = app
        .call(
            "record_complaint",
            &form(
                &recording,
                &[
                    ("intake[phone]", "13911117777"),
                    ("intake[name]", ""),
                    ("intake[community_id]", ""),
                    ("intake[building_id]", ""),
                    ("intake[unit]", ""),
                    ("intake[description]", "楼上漏水到我家厨房"),
                ],
            ),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        field(&body, "caller").contains("桂花园 7栋 1单元602"),
        "{body}"
    );
    let echo = &body["Validation"]["echo"];
    assert_eq!(echo["unit"], "1单元602");
    assert_eq!(echo["name"], "钱七");
    assert_eq!(echo["description"], "楼上漏水到我家厨房");
    let (building, community): (i64, i64) = {
        let row = sqlx::query(
            "SELECT b.id, b.community_id FROM buildings b JOIN communities c ON c.id = b.community_id
             WHERE c.name = '桂花园' AND b.name = '7栋'",
        )
        .fetch_one(app.pool())
        .await
        .expect("the building");
        (row.get(0), row.get(1))
    };
    assert_eq!(echo["building_id"], building.to_string());
    assert_eq!(echo["community_id"], community.to_string());

    // By unit, when the caller's phone is not the one on file.
    let building = building.to_string();
    let (_, body) = app
        .call(
            "record_complaint",
            &form(
                &recording,
                &[
                    ("intake[phone]", ""),
                    ("intake[building_id]", &building),
                    ("intake[unit]", "1单元 602"),
                ],
            ),
        )
        .await;
    assert!(field(&body, "caller").contains("钱七"), "{body}");
    assert_eq!(body["Validation"]["echo"]["phone"], "13911117777");

    // Unknown: said so; nothing recorded by a look-up.
    let (_, body) = app
        .call(
            "record_complaint",
            &form(&recording, &[("intake[phone]", "13000000001")]),
        )
        .await;
    assert!(field(&body, "caller").contains("没有找到"), "{body}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM complaints").await,
        complaints
    );
}
