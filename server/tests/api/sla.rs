//! The SLA ticker: warnings, escalations and time-based raises (rules.md "Time limits").

use chrono::{Duration, Utc};

use crate::on_every_engine;
use crate::support::{complaint_form, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ticker_warns_before_a_breach_escalates_after_it_and_raises_with_time() {
    on_every_engine!(ticker);
}

async fn ticker(app: &TestApp) {
    let (_, receipt) = app.call("file_complaint", &complaint_form(&[])).await;
    let id = receipt["complaint_id"].to_string();
    let running = app.running();
    let now = Utc::now();

    // First contact is due two service hours after filing (whenever this test runs, the
    // stored moments say when); the warning comes in the last quarter of the window.
    let (warn_at, due_at) = app.sla_moments(&id).await;
    assert!(warn_at < due_at && due_at > now, "{warn_at} {due_at} {now}");
    let warned = server::jobs::sla::tick(
        &running.db,
        &running.policy,
        &*running.live,
        warn_at + Duration::minutes(1),
    )
    .await
    .unwrap();
    assert!(warned.warned >= 1, "{warned:?}");
    let again = server::jobs::sla::tick(
        &running.db,
        &running.policy,
        &*running.live,
        warn_at + Duration::minutes(2),
    )
    .await
    .unwrap();
    assert_eq!(again.warned, 0, "warned once per due time");

    let escalated = server::jobs::sla::tick(
        &running.db,
        &running.policy,
        &*running.live,
        due_at + Duration::minutes(1),
    )
    .await
    .unwrap();
    assert!(escalated.escalated >= 1, "{escalated:?}");

    app.log_in("supervisor").await;
    let (_, notes) = app.call("my_notifications", &[]).await;
    assert!(
        notes
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "sla_breach"),
        "{notes}"
    );
    let (_, page) = app
        .call("staff_queue", &[("filter[sla]", "breached")])
        .await;
    assert!(page["counts"]["breached"].as_i64().unwrap() >= 1, "{page}");

    let raised = server::jobs::sla::tick(
        &running.db,
        &running.policy,
        &*running.live,
        now + Duration::days(16),
    )
    .await
    .unwrap();
    assert!(raised.raised >= 1);
    let (_, c) = app.call("load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(c["level"], 2, "15 days unresolved is level 2");
    let raised = server::jobs::sla::tick(
        &running.db,
        &running.policy,
        &*running.live,
        now + Duration::days(31),
    )
    .await
    .unwrap();
    assert!(raised.raised >= 1);
    let (_, c) = app.call("load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(c["level"], 1, "30 days unresolved is level 1");
    let kinds: Vec<&str> = c["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"level") && kinds.contains(&"escalation"),
        "raises are on the timeline: {kinds:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_queue_filters_by_level_text_and_sla_state() {
    on_every_engine!(queue_filters);
}

async fn queue_filters(app: &TestApp) {
    app.call(
        "file_complaint",
        &complaint_form(&[
            ("intake[people_count]", "10"),
            ("intake[description]", "十户业主的车库积水问题"),
        ]),
    )
    .await;
    app.log_in("agent").await;
    let (_, all) = app.call("staff_queue", &[]).await;
    let (_, level_one) = app.call("staff_queue", &[("filter[level]", "1")]).await;
    assert!(level_one["counts"]["total"].as_i64().unwrap() >= 1);
    assert!(level_one["counts"]["total"].as_i64() < all["counts"]["total"].as_i64());
    let (_, found) = app.call("staff_queue", &[("filter[q]", "车库积水")]).await;
    assert_eq!(found["rows"][0]["summary"], "十户业主的车库积水问题");
    let (status, odd) = app
        .call(
            "staff_queue",
            &[("filter[q]", "%_' OR 1=1 --"), ("filter[sort]", "due")],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        odd["counts"]["total"], 0,
        "wildcards and quotes are just characters"
    );
    let (_, on_track) = app
        .call("staff_queue", &[("filter[sla]", "on_track")])
        .await;
    assert!(on_track["counts"]["total"].as_i64().unwrap() >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_written_reply_alone_is_no_first_contact() {
    on_every_engine!(first_contact_is_spoken);
}

async fn first_contact_is_spoken(app: &TestApp) {
    let times = |id: String| async move {
        let (contact, reply): (Option<i64>, Option<i64>) =
            sqlx::query_as("SELECT first_contact_at, first_reply_at FROM complaints WHERE id = $1")
                .bind(id.parse::<i64>().unwrap())
                .fetch_one(app.pool())
                .await
                .unwrap();
        (contact.is_some(), reply.is_some())
    };
    let file = || async {
        let (status, receipt) = crate::support::call_with(
            &app.new_visitor(),
            &app.base,
            "file_complaint",
            &complaint_form(&[]),
        )
        .await;
        assert_eq!(status, 200, "{receipt}");
        receipt["complaint_id"].to_string()
    };
    let (written, spoken, called) = (file().await, file().await, file().await);
    app.log_in("agent").await;

    let (status, body) = app
        .step(
            &written,
            &[("action", "reply"), ("body", "您好，已安排师傅明天上门。")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        times(written).await,
        (false, true),
        "a written reply answers, but is no contact"
    );

    let (status, body) = app
        .step(
            &spoken,
            &[
                ("action", "reply"),
                ("body", "刚才电话里说好了，师傅明天上午到。"),
                ("counts_as_contact", "on"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(times(spoken).await, (true, true), "marked as the contact");

    let (status, body) = app
        .step(
            &called,
            &[("action", "contact"), ("body", "电话联系，约了明天上门")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(times(called).await, (true, false), "a logged call");
}
