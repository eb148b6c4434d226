//! Who is told and must act (rules.md "Chain of responsibility, as implemented"): the
//! breach ladder, the duty agents' warning, level-1 notices to the general manager, the one
//! commander of a level-1 complaint, and acknowledged notices.

use chrono::Duration;
use serde_json::Value;

use crate::on_every_engine;
use crate::support::{assign_to, call_with, complaint_form, signed_in, take_step, TestApp};

async fn tick(app: &TestApp, at: chrono::DateTime<chrono::Utc>) -> server::jobs::sla::Tick {
    let running = app.running();
    server::jobs::sla::tick(&running.db, &running.policy, &*running.live, at)
        .await
        .expect("a tick")
}

/// `who`'s notices about complaint `id`.
async fn notices(app: &TestApp, who: &reqwest::Client, id: &str) -> Vec<Value> {
    let (status, notes) = call_with(who, &app.base, "my_notifications", &[]).await;
    assert_eq!(status, 200, "{notes}");
    notes
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["complaint_id"].as_i64() == id.parse().ok())
        .cloned()
        .collect()
}

async fn breach_events(app: &TestApp, id: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM complaint_events WHERE complaint_id = {id} AND after_value = 'sla_breach'"
    ))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_breach_climbs_the_ladder_one_rung_per_window() {
    on_every_engine!(ladder);
}

async fn ladder(app: &TestApp) {
    let (_, receipt) = app.call("file_complaint", &complaint_form(&[])).await;
    let id = receipt["complaint_id"].to_string();
    let agent = signed_in(app, "agent").await;
    assign_to(app, &agent, &id, "repair").await;
    let (_, due) = app.sla_moments(&id).await;

    tick(app, due + Duration::minutes(1)).await;
    tick(app, due + Duration::minutes(2)).await;
    assert_eq!(
        breach_events(app, &id).await,
        1,
        "the first rung is told once"
    );
    let supervisor = signed_in(app, "supervisor").await;
    let told = notices(app, &supervisor, &id).await;
    assert!(
        told.iter().any(|n| n["kind"] == "sla_breach"
            && n["message"].as_str().unwrap().contains("升级至主管")
            && n["message"].as_str().unwrap().contains("将升级至部门经理")),
        "the notice says what to do and what comes next: {told:?}"
    );
    let gm = signed_in(app, "gm").await;
    assert!(
        notices(app, &gm, &id)
            .await
            .iter()
            .all(|n| n["kind"] != "sla_breach"),
        "the general manager is not on the first rung"
    );

    // Still breached a window later: the repair department's manager.
    tick(app, due + Duration::hours(25)).await;
    assert_eq!(breach_events(app, &id).await, 2);
    let manager = signed_in(app, "manager").await;
    assert!(notices(app, &manager, &id)
        .await
        .iter()
        .any(|n| n["kind"] == "sla_breach"));
    tick(app, due + Duration::hours(49)).await;
    let vp = signed_in(app, "vp").await;
    assert!(notices(app, &vp, &id)
        .await
        .iter()
        .any(|n| n["kind"] == "sla_breach"));
    tick(app, due + Duration::hours(73)).await;
    assert!(notices(app, &gm, &id)
        .await
        .iter()
        .any(|n| n["kind"] == "sla_breach"));
    tick(app, due + Duration::hours(200)).await;
    assert_eq!(breach_events(app, &id).await, 4, "the top rung is the last");

    // The manager acknowledges; the complaint's timeline records it, once.
    let notice = notices(app, &manager, &id)
        .await
        .into_iter()
        .find(|n| n["kind"] == "sla_breach")
        .unwrap();
    assert_eq!(notice["must_act"], true);
    let notice_id = notice["id"].to_string();
    for _ in 0..2 {
        let (status, body) = call_with(
            &manager,
            &app.base,
            "acknowledge_notification",
            &[("id", &notice_id)],
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM complaint_events WHERE complaint_id = {id} AND after_value = 'acknowledged'"
        ))
        .await,
        1
    );
    let again = notices(app, &manager, &id).await;
    assert!(
        again.iter().any(|n| n["acknowledged_at"].is_string()),
        "{again:?}"
    );
    // Someone else's notice cannot be acknowledged by id.
    let (status, _) = call_with(
        &agent,
        &app.base,
        "acknowledge_notification",
        &[("id", &notice_id)],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM complaint_events WHERE complaint_id = {id} AND after_value = 'acknowledged'"
        ))
        .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_duty_agents_are_warned_while_nobody_holds_a_complaint() {
    on_every_engine!(duty_agents);
}

async fn duty_agents(app: &TestApp) {
    let (_, receipt) = app.call("file_complaint", &complaint_form(&[])).await;
    let id = receipt["complaint_id"].to_string();
    let (warn_at, _) = app.sla_moments(&id).await;
    tick(app, warn_at + Duration::minutes(1)).await;
    let agent = signed_in(app, "agent").await;
    assert!(
        notices(app, &agent, &id)
            .await
            .iter()
            .any(|n| n["kind"] == "sla_warning"),
        "the warning reaches the duty agents"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_level_one_complaint_has_one_commander_who_alone_replies() {
    on_every_engine!(commander);
}

async fn commander(app: &TestApp) {
    let (_, receipt) = app
        .call(
            "file_complaint",
            &complaint_form(&[("intake[people_count]", "12")]),
        )
        .await;
    let id = receipt["complaint_id"].to_string();
    let gm = signed_in(app, "gm").await;
    assert!(
        notices(app, &gm, &id)
            .await
            .iter()
            .any(|n| n["kind"] == "level_one"
                && n["message"].as_str().unwrap().contains("指定统一指挥人")),
        "the general manager is told at once, with what to do"
    );
    let supervisor = signed_in(app, "supervisor").await;
    let (_, view) = call_with(
        &supervisor,
        &app.base,
        "load_staff_complaint",
        &[("id", &id)],
    )
    .await;
    let choices = view["commander_choices"].as_array().unwrap();
    let manager_id = choices
        .iter()
        .find(|p| p["name"].as_str().unwrap().contains("周经理"))
        .expect("the manager may command")["id"]
        .to_string();
    let agent = signed_in(app, "agent").await;
    let (status, _) = take_step(
        app,
        &agent,
        &id,
        &[("action", "name_commander"), ("commander_id", &manager_id)],
    )
    .await;
    assert_eq!(status, 403, "an agent does not name the commander");
    let (status, body) = take_step(
        app,
        &supervisor,
        &id,
        &[("action", "name_commander"), ("commander_id", &manager_id)],
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let reply = [
        ("action", "reply"),
        ("body", "您好,我们已安排专人处理,今天内给您答复。"),
    ];
    let (status, body) = take_step(app, &agent, &id, &reply).await;
    assert_eq!(
        status, 409,
        "a non-commander cannot reply on level 1: {body}"
    );
    assert!(body.to_string().contains("周经理"), "{body}");
    let manager = signed_in(app, "manager").await;
    let (status, body) = take_step(app, &manager, &id, &reply).await;
    assert_eq!(status, 200, "the commander replies: {body}");
    let (status, body) = take_step(
        app,
        &agent,
        &id,
        &[("action", "note"), ("body", "业主情绪激动,建议经理上门")],
    )
    .await;
    assert_eq!(status, 200, "others still write internal notes: {body}");
    let (_, view) = call_with(&agent, &app.base, "load_staff_complaint", &[("id", &id)]).await;
    assert!(view["commander"]["name"]
        .as_str()
        .unwrap()
        .contains("周经理"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_serious_complaint_assigned_to_a_department_tells_its_manager() {
    on_every_engine!(department_manager);
}

async fn department_manager(app: &TestApp) {
    let (_, receipt) = app
        .call(
            "file_complaint",
            &complaint_form(&[("intake[people_count]", "4")]),
        )
        .await;
    let id = receipt["complaint_id"].to_string();
    let agent = signed_in(app, "agent").await;
    let (_, view) = call_with(&agent, &app.base, "load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(view["level"], 2, "{view}");
    assign_to(app, &agent, &id, "repair").await;
    let manager = signed_in(app, "manager").await;
    assert!(
        notices(app, &manager, &id)
            .await
            .iter()
            .any(|n| n["kind"] == "level_assigned"),
        "the repair department's manager takes charge of a level-2 complaint"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resolved_complaint_is_revisited_on_time_or_called() {
    on_every_engine!(revisit_clock);
}

async fn revisit_clock(app: &TestApp) {
    let (_, receipt) = app.call("file_complaint", &complaint_form(&[])).await;
    let id = receipt["complaint_id"].to_string();
    let supervisor = signed_in(app, "supervisor").await;
    assign_to(app, &supervisor, &id, "repair").await;
    for fields in [
        vec![("action", "start_investigation")],
        vec![("action", "propose_solution"), ("plan", "更换破裂的排水管")],
        vec![("action", "resolve"), ("body", "排水管已更换,试水正常")],
    ] {
        let (status, body) = take_step(app, &supervisor, &id, &fields).await;
        assert_eq!(status, 200, "{fields:?}: {body}");
    }
    let (status, list) = call_with(&supervisor, &app.base, "revisits_due", &[]).await;
    assert_eq!(status, 200, "{list}");
    let row = list["due"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"].as_i64() == id.parse().ok())
        .expect("listed")
        .clone();
    let due: chrono::DateTime<chrono::Utc> = row["due_at"].as_str().unwrap().parse().unwrap();
    let resolved: chrono::DateTime<chrono::Utc> =
        row["resolved_at"].as_str().unwrap().parse().unwrap();
    assert!(
        due > resolved && due - resolved <= Duration::days(12),
        "{row}"
    );
    assert_eq!(row["phone_task"], false);

    let first = tick(app, due + Duration::minutes(1)).await;
    assert!(first.revisits_overdue >= 1, "{first:?}");
    let again = tick(app, due + Duration::minutes(2)).await;
    let told = notices(app, &supervisor, &id).await;
    assert_eq!(
        told.iter()
            .filter(|n| n["kind"] == "revisit_overdue")
            .count(),
        1,
        "told once per round ({again:?}): {told:?}"
    );

    tick(app, resolved + Duration::days(3) + Duration::minutes(1)).await;
    let agent = signed_in(app, "agent").await;
    assert!(notices(app, &agent, &id)
        .await
        .iter()
        .any(|n| n["kind"] == "revisit_phone"));
    let (_, list) = call_with(&agent, &app.base, "revisits_due", &[]).await;
    let row = list["due"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"].as_i64() == id.parse().ok())
        .unwrap()
        .clone();
    assert_eq!(row["phone_task"], true, "{row}");
}
