//! Working time (app/domain/docs/working-time.md): the deadlines contract, the business
//! calendar administrators keep, waiting for the owner, and levels set by hand that stay.

use chrono::{Duration, Utc};
use serde_json::{json, Value};

use crate::on_every_engine;
use crate::support::{call_with, TestApp};
use crate::workflow::file;

async fn deadlines(app: &TestApp, body: Value) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/api/v1/deadlines", app.base))
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deadlines_count_service_hours_on_working_days_and_refuse_bad_input() {
    on_every_engine!(deadlines_contract);
}

async fn deadlines_contract(app: &TestApp) {
    // Wednesday 30 September 2026, 16:00: 1.5 h that day, the National Day holiday
    // (1–7 October), then Thursday 8 October from 08:30; Saturday 10 October is a make-up
    // working day.
    let (status, due) = deadlines(
        app,
        json!({"received_at": "2026-09-30T16:00:00+08:00", "emergency": false}),
    )
    .await;
    assert_eq!(status, 200, "{due}");
    assert_eq!(
        due,
        json!({
            "first_contact": "2026-10-08T09:00:00+08:00",
            "first_reply": "2026-10-08T16:00:00+08:00",
            "progress_update": "2026-10-10T16:00:00+08:00",
            "resolution": "2026-10-15T16:00:00+08:00",
        })
    );
    // The same moment given in UTC answers the same instants, in the policy's zone.
    let (_, utc) = deadlines(app, json!({"received_at": "2026-09-30T08:00:00Z"})).await;
    assert_eq!(utc, due);

    // An emergency runs round the clock: 2 h, 24 h, 24 h, 48 h.
    let (_, urgent) = deadlines(
        app,
        json!({"received_at": "2026-09-30T16:00:00+08:00", "emergency": true}),
    )
    .await;
    assert_eq!(
        urgent,
        json!({
            "first_contact": "2026-09-30T18:00:00+08:00",
            "first_reply": "2026-10-01T16:00:00+08:00",
            "progress_update": "2026-10-01T16:00:00+08:00",
            "resolution": "2026-10-02T16:00:00+08:00",
        })
    );

    // Friday evening: counted from Monday's opening.
    let (_, weekend) = deadlines(app, json!({"received_at": "2026-12-04T19:00:00+08:00"})).await;
    assert_eq!(weekend["first_contact"], "2026-12-07T10:30:00+08:00");
    // A window that runs out at closing time is due at closing, not at the next opening.
    let (_, closing) = deadlines(app, json!({"received_at": "2026-12-07T15:30:00+08:00"})).await;
    assert_eq!(closing["first_contact"], "2026-12-07T17:30:00+08:00");

    for (body, field) in [
        (json!({"received_at": "yesterday afternoon"}), "received_at"),
        (
            json!({"received_at": "1999-12-31T10:00:00+08:00"}),
            "received_at",
        ),
        (json!({"received_at": 20260930}), "received_at"),
        (json!({}), "received_at"),
        (
            json!({"received_at": "2026-09-30T16:00:00+08:00", "emergency": "yes"}),
            "emergency",
        ),
        (
            json!({"received_at": "2026-09-30T16:00:00+08:00", "level": 7}),
            "level",
        ),
    ] {
        let (status, error) = deadlines(app, body.clone()).await;
        assert_eq!(status, 422, "{body} → {error}");
        assert_eq!(error["error"]["field"], field, "{body} → {error}");
        assert!(!error["error"]["message"].as_str().unwrap().is_empty());
    }
    let response = app
        .client
        .post(format!("{}/api/v1/deadlines", app.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_keep_the_calendar_one_year_at_a_time_validated_and_audited() {
    on_every_engine!(calendar_admin);
}

async fn calendar_admin(app: &TestApp) {
    app.log_in("agent").await;
    let (status, _) = app.call("admin_calendar", &[]).await;
    assert_eq!(status, 403, "only administrators keep the calendar");

    app.log_in("admin").await;
    let (status, page) = app.call("admin_calendar", &[]).await;
    assert_eq!(status, 200, "{page}");
    let years: Vec<i64> = page["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["year"].as_i64().unwrap())
        .collect();
    assert!(years.contains(&2025) && years.contains(&2026), "{page}");
    let y2026 = page["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == 2026)
        .unwrap();
    assert_eq!(y2026["working_days"], 248, "{y2026}");

    // A make-up day on a Wednesday, and a date both off and on: nothing is saved, each is named.
    let (status, refused) = app
        .call(
            "save_calendar_year",
            &[
                ("year[year]", "2027"),
                ("year[holidays]", "2027-01-01\n2027-03-01"),
                ("year[makeup_workdays]", "2027-03-03\n2027-03-01"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    let text = refused.to_string();
    assert!(text.contains("2027-03-03"), "{text}");
    assert!(text.contains("2027-03-01"), "{text}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'calendar_changed'")
            .await,
        0
    );

    // Monday 1 March 2027 off: a complaint received on Friday 26 February at 17:00 is
    // called back on Tuesday.
    let (status, saved) = app
        .call(
            "save_calendar_year",
            &[
                ("year[year]", "2027"),
                ("year[holidays]", "2027-01-01\n2027-03-01"),
                ("year[makeup_workdays]", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'calendar_changed'")
            .await,
        1
    );
    let (_, due) = deadlines(app, json!({"received_at": "2027-02-26T17:00:00+08:00"})).await;
    assert_eq!(due["first_contact"], "2027-03-02T10:00:00+08:00", "{due}");
    let (_, page) = app.call("admin_calendar", &[]).await;
    let y2027 = page["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == 2027)
        .expect("2027 listed");
    assert_eq!(y2027["saved"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_for_the_owner_stops_the_clocks_and_the_owners_message_resumes_them() {
    on_every_engine!(waiting_for_the_owner);
}

async fn waiting_for_the_owner(app: &TestApp) {
    let (id, code, owner) = file(app, &[]).await;
    app.log_in("agent").await;

    // A reason is required, and what is awaited.
    let (status, refused) = app
        .step(
            &id,
            &[
                ("action", "wait_for_owner"),
                ("method", "access"),
                ("reason", " "),
            ],
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    let (status, refused) = app
        .step(
            &id,
            &[
                ("action", "wait_for_owner"),
                ("method", "coffee"),
                ("reason", "请告知入户时间"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{refused}");

    let (status, body) = app
        .step(
            &id,
            &[
                ("action", "wait_for_owner"),
                ("method", "access"),
                ("reason", "请告知方便入户的时间"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, staff) = app.call("load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(staff["waiting"]["awaiting"], "access", "{staff}");
    for clock in staff["clocks"].as_array().unwrap() {
        if clock["clock"] == "resolution" || clock["clock"] == "progress_update" {
            assert_eq!(clock["state"]["state"], "paused", "{clock}");
        }
    }
    // Twice is refused.
    let (status, _) = app
        .step(
            &id,
            &[
                ("action", "wait_for_owner"),
                ("method", "information"),
                ("reason", "照片"),
            ],
        )
        .await;
    assert_eq!(status, 422);

    // The owner sees what we wait for.
    let (status, tracked) =
        call_with(&owner, &app.base, "tracked_complaint", &[("code", &code)]).await;
    assert_eq!(status, 200, "{tracked}");
    assert_eq!(tracked["waiting"]["awaiting"], "access");
    assert_eq!(tracked["waiting"]["note"], "请告知方便入户的时间");

    // While waiting, the SLA job does not count the days as unresolved on our side.
    let running = app.running();
    let (_, before) = app.call("load_staff_complaint", &[("id", &id)]).await;
    server::jobs::sla::tick(
        &running.db,
        &running.policy,
        &*running.live,
        Utc::now() + Duration::days(16),
    )
    .await
    .unwrap();
    let (_, after) = app.call("load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(after["level"], before["level"], "{after}");

    // The owner's message ends the wait.
    let (status, sent) = call_with(
        &owner,
        &app.base,
        "owner_message",
        &[("code", &code), ("body", "周三下午两点以后家里有人")],
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    let (_, tracked) = call_with(&owner, &app.base, "tracked_complaint", &[("code", &code)]).await;
    assert!(tracked["waiting"].is_null(), "{tracked}");
    let kinds: Vec<&str> = tracked["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "waiting")
        .map(|e| e["after"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["access", "ended"]);
    let (_, staff) = app.call("load_staff_complaint", &[("id", &id)]).await;
    assert!(staff["waiting"].is_null());
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM complaints WHERE id = {id} AND paused_since IS NULL"
        ))
        .await,
        1
    );
    // Ending again is refused: nothing is awaited.
    let (status, _) = app.step(&id, &[("action", "end_wait")]).await;
    assert_eq!(status, 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_level_set_by_hand_stays_until_a_new_fact_raises_it() {
    on_every_engine!(manual_level_stays);
}

async fn manual_level_stays(app: &TestApp) {
    // The owner says the media were contacted: level 1.
    let (id, _, _) = file(app, &[("intake[flags][]", "media")]).await;
    app.log_in("agent").await;
    let level = |c: &Value| c["level"].as_i64().unwrap();
    let (_, c) = app.call("load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(level(&c), 1, "{c}");

    // The agent learns it was a misunderstanding and sets level 3.
    let (status, body) = app
        .step(
            &id,
            &[
                ("action", "override_level"),
                ("level", "3"),
                ("reason", "业主确认并未联系媒体"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let running = app.running();
    let now = Utc::now();
    for days in [1, 2, 5] {
        server::jobs::sla::tick(
            &running.db,
            &running.policy,
            &*running.live,
            now + Duration::days(days),
        )
        .await
        .unwrap();
    }
    let (_, c) = app.call("load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(level(&c), 3, "the job does not put the old level back");

    // Fifteen days unresolved is a new fact: level 2, said so; never back to 1.
    server::jobs::sla::tick(
        &running.db,
        &running.policy,
        &*running.live,
        now + Duration::days(16),
    )
    .await
    .unwrap();
    let (_, c) = app.call("load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(level(&c), 2, "{c}");
    assert_eq!(c["reasons"][0]["rule"], "unresolved15_days", "{c}");
    let raised = c["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["kind"] == "level")
        .unwrap();
    assert_eq!(
        (raised["before"].as_str(), raised["after"].as_str()),
        (Some("3"), Some("2"))
    );
    assert!(raised["body"].as_str().unwrap().contains("15"), "{raised}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agreed_compensation_raises_the_level_at_once() {
    on_every_engine!(agreed_compensation);
}

async fn agreed_compensation(app: &TestApp) {
    let (id, _, _) = file(app, &[]).await;
    app.log_in("agent").await;
    let (status, body) = app.step(&id, &[("action", "judge_valid")]).await;
    assert_eq!(status, 200, "{body}");
    let (_, departments) = app.call("list_departments", &[]).await;
    let repair = departments
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "repair")
        .unwrap()
        .clone();
    let handler = repair["handlers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == "维修 张师傅")
        .unwrap()["id"]
        .to_string();
    let (status, body) = app
        .step(
            &id,
            &[
                ("action", "assign"),
                ("department_id", &repair["id"].to_string()),
                ("handler_id", &handler),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let repairer = app.new_visitor();
    call_with(
        &repairer,
        &app.base,
        "log_in",
        &[("login", "repair"), ("password", "demo-2026")],
    )
    .await;
    let step = |fields: Vec<(&'static str, &'static str)>| {
        let mut form = vec![("id".to_owned(), id.clone())];
        form.extend(
            fields
                .into_iter()
                .map(|(k, v)| (format!("step[{k}]"), v.to_owned())),
        );
        let repairer = repairer.clone();
        let base = app.base.clone();
        async move {
            let borrowed: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            call_with(&repairer, &base, "take_step", &borrowed).await
        }
    };
    let (status, body) = step(vec![("action", "start_investigation")]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = step(vec![
        ("action", "propose_solution"),
        ("plan", "重做卫生间防水并赔偿装修损失"),
        ("compensation_yuan", "12000"),
    ])
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, c) = app.call("load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(
        c["level"], 1,
        "≥ ¥10,000 agreed is level 1 now, not at the next tick: {c}"
    );
    assert_eq!(c["reasons"][0]["rule"], "amount_major", "{c}");
}
