//! Staff correct the record and hand complaints on: every correction re-grades with its
//! reasons, is audited with before and after, and is on the timeline (the owner sees a
//! corrected category); a hand-over tells the new handler and the owner.

use serde_json::Value;

use crate::on_every_engine;
use crate::support::{assign_to, call_with, department, signed_in, take_step, TestApp};
use crate::workflow::file;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correction_regrades_is_audited_and_tells_the_owner_of_a_new_category() {
    on_every_engine!(correction);
}

async fn correction(app: &TestApp) {
    // The owner ticked "media contacted" by mistake and chose the wrong category.
    let (id, code, owner) = file(
        app,
        &[
            ("intake[category]", "property_management"),
            ("intake[flags][]", "media"),
        ],
    )
    .await;
    let agent = signed_in(app, "agent").await;
    let (_, before) = call_with(&agent, &app.base, "load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(before["level"], 1, "{}", before["level"]);
    assert_eq!(before["may_correct"], true);

    // A handler does not correct the record.
    let repair = signed_in(app, "repair").await;
    let (status, _) = take_step(
        app,
        &repair,
        &id,
        &[
            ("action", "correct"),
            ("category", "repair_service"),
            ("reason", "类别选错"),
        ],
    )
    .await;
    assert!(matches!(status, 403), "{status}");

    // Nothing changed: said so, nothing recorded.
    let unchanged = [
        ("action", "correct"),
        ("category", "property_management"),
        ("unit", "2单元1501"),
        ("people_count", "1"),
        ("claimed_amount_yuan", ""),
        // Not stated by the owner: left to the description, as before.
        ("impact", ""),
        ("flags[]", "media"),
        ("reason", "核对"),
    ];
    let (status, body) = take_step(app, &agent, &id, &unchanged).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("没有需要更正"), "{body}");

    let audits = app
        .count("SELECT COUNT(*) FROM audit_log WHERE action = 'correct_complaint'")
        .await;
    let (status, body) = take_step(
        app,
        &agent,
        &id,
        &[
            ("action", "correct"),
            ("category", "repair_service"),
            ("unit", "2单元1501"),
            ("people_count", "1"),
            ("claimed_amount_yuan", "800"),
            ("impact", "impaired"),
            ("reason", "业主电话确认:未联系媒体,是报修"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, after) = call_with(&agent, &app.base, "load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(after["category"], "repair_service");
    assert_eq!(after["flags"], serde_json::json!([]));
    assert_eq!(after["claimed_amount_fen"], 80_000);
    assert_ne!(
        after["level"], 1,
        "re-graded from the corrected facts: {}",
        after["level"]
    );
    let timeline = after["timeline"].as_array().expect("a timeline");
    let correction = timeline
        .iter()
        .find(|e| e["kind"] == "correction" && e["public"] == false)
        .expect("an internal correction entry");
    let text = correction["body"].as_str().unwrap_or_default();
    assert!(text.contains("投诉类别：物业管理 → 维修服务"), "{text}");
    assert!(
        text.contains("风险标记：已联系媒体/网络曝光 → 无"),
        "{text}"
    );
    // Kept in English too, for a reader in English.
    let english = correction["body_en"].as_str().unwrap_or_default();
    assert!(
        english.contains("Category: Property management → Repair service"),
        "{english}"
    );
    assert!(text.contains("未联系媒体"), "{text}");
    assert!(
        timeline.iter().any(
            |e| e["kind"] == "level" && e["body"].as_str().unwrap_or_default().contains("更正")
        ),
        "the new level and why: {timeline:?}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'correct_complaint'")
            .await,
        audits + 1
    );

    // The owner sees the category corrected, not the internal details.
    let (_, tracked) = call_with(&owner, &app.base, "tracked_complaint", &[("code", &code)]).await;
    let public = tracked["timeline"].to_string();
    assert!(public.contains("物业管理 → 维修服务"), "{public}");
    assert!(!public.contains("未联系媒体"), "{public}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complaint_is_handed_to_another_department_and_the_old_handler_lets_go() {
    on_every_engine!(hand_over);
}

async fn hand_over(app: &TestApp) {
    let (id, code, owner) = file(app, &[]).await;
    let agent = signed_in(app, "agent").await;
    let (repair_id, repair_handler) = assign_to(app, &agent, &id, "repair").await;
    let (_, view) = call_with(&agent, &app.base, "load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(view["may_reassign"], true);

    // Handing it to the same handler is no hand-over.
    let (status, _) = take_step(
        app,
        &agent,
        &id,
        &[
            ("action", "reassign"),
            ("department_id", &repair_id),
            ("handler_id", &repair_handler),
        ],
    )
    .await;
    assert_eq!(status, 422);

    let (engineering_id, engineer) = department(app, &agent, "engineering").await;
    let (status, body) = take_step(
        app,
        &agent,
        &id,
        &[
            ("action", "reassign"),
            ("department_id", &engineering_id),
            ("handler_id", &engineer),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, view) = call_with(&agent, &app.base, "load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(view["department"]["code"], "engineering");
    assert_eq!(view["handler"]["id"].to_string(), engineer);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'reassign_complaint'")
            .await,
        1
    );
    // The new handler is told and works on it; the repair department no longer sees it.
    let engineer_client = signed_in(app, "engineer").await;
    let (_, notes) = call_with(&engineer_client, &app.base, "my_notifications", &[]).await;
    assert!(
        notes
            .to_string()
            .contains(&view["tracking_code"].as_str().unwrap().to_owned()),
        "{notes}"
    );
    let (status, _) = call_with(
        &engineer_client,
        &app.base,
        "load_staff_complaint",
        &[("id", &id)],
    )
    .await;
    assert_eq!(status, 200);
    let repair_client = signed_in(app, "repair").await;
    let (status, _) = call_with(
        &repair_client,
        &app.base,
        "load_staff_complaint",
        &[("id", &id)],
    )
    .await;
    assert_eq!(status, 403);
    // The owner sees it handed on.
    let (_, tracked) = call_with(&owner, &app.base, "tracked_complaint", &[("code", &code)]).await;
    let assigned = tracked["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "assignment")
        .count();
    assert_eq!(assigned, 2, "{}", tracked["timeline"]);
}

/// A fact the owner left to the description stays so when another field is corrected:
/// correcting the unit does not turn "the text says it cannot be used" into "no effect".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn correcting_one_field_leaves_the_others_as_they_were_known() {
    on_every_engine!(one_field);
}

async fn one_field(app: &TestApp) {
    let (id, _, _) = file(
        app,
        &[
            ("intake[category]", "repair_service"),
            (
                "intake[description]",
                "厨房下水道堵塞反水,已经两天,家里完全没法做饭",
            ),
        ],
    )
    .await;
    let agent = signed_in(app, "agent").await;
    let (_, before) = call_with(&agent, &app.base, "load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(before["stated_impact"], Value::Null);
    let (status, body) = take_step(
        app,
        &agent,
        &id,
        &[
            ("action", "correct"),
            ("category", "repair_service"),
            ("unit", "2单元1502"),
            ("people_count", "1"),
            ("claimed_amount_yuan", ""),
            ("impact", ""),
            ("reason", "房号记错了"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, after) = call_with(&agent, &app.base, "load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(after["unit"], "2单元1502");
    assert_eq!(after["level"], before["level"], "the level stands");
    assert_eq!(
        after["stated_impact"],
        Value::Null,
        "still left to the text"
    );
}

/// A handler who leaves still holds complaints: the administrator's list of staff shows
/// each one to hand on, until it is handed on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deactivated_handler_lists_the_complaints_to_hand_on() {
    on_every_engine!(leaver);
}

async fn leaver(app: &TestApp) {
    let (id, _, _) = file(app, &[]).await;
    let agent = signed_in(app, "agent").await;
    let (repair_id, handler) = assign_to(app, &agent, &id, "repair").await;
    app.log_in("admin").await;
    let (status, body) = app
        .call(
            "save_user",
            &[
                ("user[id]", handler.as_str()),
                ("user[display_name]", "维修 张师傅"),
                ("user[role]", "handler"),
                ("user[department_id]", repair_id.as_str()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let holding = |users: &Value| {
        users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"].as_i64() == handler.parse::<i64>().ok())
            .unwrap()["open_complaints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].to_string())
            .collect::<Vec<_>>()
    };
    let (_, users) = app.call("admin_users", &[]).await;
    assert!(holding(&users).contains(&id), "{users}");

    let (engineering, engineer) = department(app, &agent, "engineering").await;
    let (status, body) = take_step(
        app,
        &agent,
        &id,
        &[
            ("action", "reassign"),
            ("department_id", &engineering),
            ("handler_id", &engineer),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, users) = app.call("admin_users", &[]).await;
    assert!(!holding(&users).contains(&id), "handed on: {users}");
}
