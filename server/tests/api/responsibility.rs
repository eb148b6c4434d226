//! The chain of responsibility over HTTP: approval tiers by amount (nobody approves their own
//! plan, the administrator approves nothing unless a tier names it), the owner's dispute of a
//! 不成立 judgement decided by another supervisor, forbidden phrases in every text the owner
//! reads, and the responsibility recorded at closing.

use serde_json::Value;

use crate::on_every_engine;
use crate::support::{assign_to, call_with, signed_in, take_step, TestApp};
use crate::workflow::file;

fn ok(result: (u16, Value), what: &str) {
    assert_eq!(result.0, 200, "{what}: {}", result.1);
}

async fn status_of(app: &TestApp, staff: &reqwest::Client, id: &str) -> Value {
    let (status, complaint) =
        call_with(staff, &app.base, "load_staff_complaint", &[("id", id)]).await;
    assert_eq!(status, 200, "{complaint}");
    complaint
}

/// A complaint assigned to the repair department's handler, investigated, with a plan of
/// `yuan` proposed by that handler; returns (id, handler client).
async fn with_plan(app: &TestApp, yuan: &str) -> (String, reqwest::Client) {
    let (id, _, _) = file(app, &[]).await;
    let agent = signed_in(app, "agent").await;
    assign_to(app, &agent, &id, "repair").await;
    let repair = signed_in(app, "repair").await;
    ok(
        take_step(app, &repair, &id, &[("action", "start_investigation")]).await,
        "start",
    );
    ok(
        take_step(
            app,
            &repair,
            &id,
            &[
                ("action", "propose_solution"),
                ("plan", "重做防水层,修复天花板并补偿装修损失"),
                ("compensation_yuan", yuan),
            ],
        )
        .await,
        "propose",
    );
    (id, repair)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_goes_to_the_tier_its_amount_needs() {
    on_every_engine!(approval_tiers);
}

async fn approval_tiers(app: &TestApp) {
    // ¥500 is within the handler's authority: carried out at once.
    let (small, repair) = with_plan(app, "500").await;
    ok(
        take_step(
            app,
            &repair,
            &small,
            &[("action", "resolve"), ("body", "已修复并补偿")],
        )
        .await,
        "a handler resolves a plan within the tier",
    );

    // ¥12,000: above the department manager's ¥10,000, so the general manager decides.
    let (id, repair) = with_plan(app, "12000").await;
    let (status, body) = take_step(
        app,
        &repair,
        &id,
        &[("action", "resolve"), ("body", "已修复")],
    )
    .await;
    assert_eq!(status, 409, "{body}");
    ok(
        take_step(app, &repair, &id, &[("action", "request_approval")]).await,
        "request",
    );
    let view = status_of(app, &repair, &id).await;
    assert_eq!(
        view["approvals"][0]["approver"], "general_manager",
        "{view}"
    );

    let manager = signed_in(app, "manager").await;
    let (status, body) = take_step(app, &manager, &id, &[("action", "grant_approval")]).await;
    assert_eq!(status, 409, "above the manager's tier: {body}");
    assert!(
        body.to_string().contains("须由总经理审批"),
        "the refusal names who decides: {body}"
    );
    let admin = signed_in(app, "admin").await;
    let (status, body) = take_step(app, &admin, &id, &[("action", "grant_approval")]).await;
    assert_eq!(status, 409, "the administrator approves nothing: {body}");

    let gm = signed_in(app, "gm").await;
    let (status, notes) = call_with(&gm, &app.base, "my_notifications", &[]).await;
    assert_eq!(status, 200);
    assert!(
        notes
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "approval_requested"),
        "the general manager is told: {notes}"
    );
    ok(
        take_step(
            app,
            &gm,
            &id,
            &[("action", "grant_approval"), ("reason", "同意")],
        )
        .await,
        "the general manager approves",
    );
    ok(
        take_step(
            app,
            &repair,
            &id,
            &[("action", "resolve"), ("body", "已修复并补偿")],
        )
        .await,
        "resolve after approval",
    );
    let audited = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'approval_granted' AND target = 'complaint:{id}'"
        ))
        .await;
    assert_eq!(audited, 1);

    // ¥5,000: the repair department's manager decides; a denial goes back with the reason.
    let (mid, repair) = with_plan(app, "5000").await;
    ok(
        take_step(app, &repair, &mid, &[("action", "request_approval")]).await,
        "request",
    );
    let (status, body) = take_step(app, &manager, &mid, &[("action", "deny_approval")]).await;
    assert_eq!(status, 422, "a denial needs a reason: {body}");
    ok(
        take_step(
            app,
            &manager,
            &mid,
            &[
                ("action", "deny_approval"),
                ("reason", "金额偏高,请与业主再协商"),
            ],
        )
        .await,
        "the manager denies",
    );
    assert_eq!(
        status_of(app, &repair, &mid).await["status"],
        "investigating"
    );
    let (_, notes) = call_with(&repair, &app.base, "my_notifications", &[]).await;
    assert!(
        notes.to_string().contains("金额偏高"),
        "the handler reads the reason: {notes}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_approves_their_own_plan() {
    on_every_engine!(own_plan);
}

async fn own_plan(app: &TestApp) {
    let (id, _, _) = file(app, &[]).await;
    let agent = signed_in(app, "agent").await;
    assign_to(app, &agent, &id, "repair").await;
    let repair = signed_in(app, "repair").await;
    ok(
        take_step(app, &repair, &id, &[("action", "start_investigation")]).await,
        "start",
    );
    // The general manager writes the plan and asks for approval, then tries to grant it.
    let gm = signed_in(app, "gm").await;
    ok(
        take_step(
            app,
            &gm,
            &id,
            &[
                ("action", "propose_solution"),
                ("plan", "整体更换防水并补偿"),
                ("compensation_yuan", "20000"),
            ],
        )
        .await,
        "the general manager proposes",
    );
    let (status, body) =
        take_step(app, &gm, &id, &[("action", "resolve"), ("body", "已完成")]).await;
    assert_eq!(
        status, 409,
        "not even the general manager carries out their own plan: {body}"
    );
    ok(
        take_step(app, &gm, &id, &[("action", "request_approval")]).await,
        "request",
    );
    let (status, body) = take_step(app, &gm, &id, &[("action", "grant_approval")]).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("不能审批自己"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_disputes_a_not_valid_judgement_and_another_supervisor_decides() {
    on_every_engine!(dispute);
}

async fn dispute(app: &TestApp) {
    let (id, code, owner) = file(app, &[]).await;
    let agent = signed_in(app, "agent").await;
    // A forbidden phrase in the reasoning stops it until the agent confirms.
    let reasoning = "经核实,漏水来自您家自行装修的管道,这不归我们管,建议联系装修公司。";
    let (status, body) = take_step(
        app,
        &agent,
        &id,
        &[("action", "judge_not_valid"), ("body", reasoning)],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["Validation"]["fields"]["send_anyway"].is_string(),
        "{body}"
    );
    assert_eq!(
        body["Validation"]["echo"]["body"], reasoning,
        "what was typed comes back"
    );
    ok(
        take_step(
            app,
            &agent,
            &id,
            &[
                ("action", "judge_not_valid"),
                ("body", reasoning),
                ("send_anyway", "on"),
            ],
        )
        .await,
        "sent anyway",
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'forbidden_phrase_sent' AND target = 'complaint:{id}'"
        ))
        .await,
        1,
        "sending anyway is audited"
    );

    // The owner sees the judgement and disputes it with reasons.
    let (status, view) =
        call_with(&owner, &app.base, "tracked_complaint", &[("code", &code)]).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["judgement"]["may_dispute"], true, "{view}");
    assert!(view["judgement"]["reasoning"]
        .as_str()
        .unwrap()
        .contains("自行装修"));
    let (status, body) = call_with(
        &owner,
        &app.base,
        "answer_judgement",
        &[("code", &code), ("answer", "dispute"), ("reason", "短")],
    )
    .await;
    assert_eq!(status, 422, "reasons are required: {body}");
    ok(
        call_with(
            &owner,
            &app.base,
            "answer_judgement",
            &[
                ("code", &code),
                ("answer", "dispute"),
                (
                    "reason",
                    "我家从未装修过,漏水是楼上公共管道的问题,有照片为证",
                ),
            ],
        )
        .await,
        "the owner disputes",
    );
    // Staff cannot answer in the owner's name.
    let (status, _) = call_with(
        &agent,
        &app.base,
        "answer_judgement",
        &[("code", &code), ("answer", "accept")],
    )
    .await;
    assert!(status == 403 || status == 401, "{status}");
    let supervisor = signed_in(app, "supervisor").await;
    let view = status_of(app, &supervisor, &id).await;
    assert_eq!(view["status"], "disputed");
    let actions = view["actions"].to_string();
    assert!(actions.contains("reverse_judgement"), "{actions}");

    // The supervisor reverses it: the complaint is valid and continues.
    ok(
        take_step(
            app,
            &supervisor,
            &id,
            &[
                ("action", "reverse_judgement"),
                (
                    "reason",
                    "复核照片后确认为公共管道问题,投诉成立,我们将尽快安排维修",
                ),
            ],
        )
        .await,
        "reversed",
    );
    let (_, view) = call_with(&owner, &app.base, "tracked_complaint", &[("code", &code)]).await;
    assert_eq!(view["status"], "accepted");
    assert!(
        view["timeline"]
            .to_string()
            .contains("公共管道问题,投诉成立"),
        "the owner reads the decision: {view}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_judge_does_not_decide_the_dispute_and_a_review_is_final() {
    on_every_engine!(upheld);
}

async fn upheld(app: &TestApp) {
    let (id, code, owner) = file(app, &[]).await;
    let supervisor = signed_in(app, "supervisor").await;
    ok(
        take_step(
            app,
            &supervisor,
            &id,
            &[
                ("action", "judge_not_valid"),
                (
                    "body",
                    "经现场查看,门窗变形属于正常使用磨损范围,已过保修期。",
                ),
            ],
        )
        .await,
        "judged",
    );
    ok(
        call_with(
            &owner,
            &app.base,
            "answer_judgement",
            &[
                ("code", &code),
                ("answer", "dispute"),
                ("reason", "交房才两年,门窗就变形,明显是质量问题"),
            ],
        )
        .await,
        "disputed",
    );
    let view = status_of(app, &supervisor, &id).await;
    assert!(
        !view["actions"].to_string().contains("confirm_not_valid"),
        "the judge is not offered the decision: {view}"
    );
    let (status, body) = take_step(
        app,
        &supervisor,
        &id,
        &[
            ("action", "confirm_not_valid"),
            ("body", "复核后维持原判定,门窗属于正常使用磨损。"),
        ],
    )
    .await;
    assert_eq!(status, 409, "the judge cannot decide the dispute: {body}");
    let manager = signed_in(app, "manager").await;
    ok(
        take_step(
            app,
            &manager,
            &id,
            &[
                ("action", "confirm_not_valid"),
                (
                    "body",
                    "复核后维持原判定:门窗保修期为两年,已过保修期,我们可以提供有偿维修。",
                ),
            ],
        )
        .await,
        "upheld by another supervisor",
    );
    let (_, view) = call_with(&owner, &app.base, "tracked_complaint", &[("code", &code)]).await;
    assert_eq!(view["status"], "not_valid");
    assert_eq!(view["judgement"]["may_dispute"], false, "{view}");
    assert!(view["judgement"]["reasoning"]
        .as_str()
        .unwrap()
        .contains("有偿维修"));
    let (status, body) = call_with(
        &owner,
        &app.base,
        "answer_judgement",
        &[
            ("code", &code),
            ("answer", "dispute"),
            ("reason", "我还是不同意这个结论"),
        ],
    )
    .await;
    assert_eq!(status, 422, "one dispute per complaint: {body}");
    ok(
        call_with(
            &owner,
            &app.base,
            "answer_judgement",
            &[("code", &code), ("answer", "accept")],
        )
        .await,
        "the owner accepts",
    );
    let (_, view) = call_with(&owner, &app.base, "tracked_complaint", &[("code", &code)]).await;
    assert_eq!(view["status"], "closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_finds_a_complaint_not_valid_after_investigating() {
    on_every_engine!(findings);
}

async fn findings(app: &TestApp) {
    let (id, _, _) = file(app, &[]).await;
    let agent = signed_in(app, "agent").await;
    assign_to(app, &agent, &id, "repair").await;
    let repair = signed_in(app, "repair").await;
    ok(
        take_step(app, &repair, &id, &[("action", "start_investigation")]).await,
        "start",
    );
    ok(
        take_step(
            app,
            &repair,
            &id,
            &[
                ("action", "judge_not_valid"),
                (
                    "body",
                    "现场查明:渗水来自业主自行改造的阳台地漏,不属于公共设施问题。",
                ),
            ],
        )
        .await,
        "not valid after investigating",
    );
    assert_eq!(status_of(app, &repair, &id).await["status"], "not_valid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_names_who_was_responsible() {
    on_every_engine!(closing);
}

async fn closing(app: &TestApp) {
    let (id, repair) = with_plan(app, "0").await;
    ok(
        take_step(
            app,
            &repair,
            &id,
            &[("action", "resolve"), ("body", "已修复")],
        )
        .await,
        "resolve",
    );
    let agent = signed_in(app, "agent").await;
    ok(
        take_step(
            app,
            &agent,
            &id,
            &[
                ("action", "record_revisit"),
                ("method", "phone"),
                ("process", "satisfied"),
                ("timeliness", "satisfied"),
                ("attitude", "satisfied"),
                ("result", "satisfied"),
                ("overall", "5"),
            ],
        )
        .await,
        "revisit",
    );
    // The customer-service supervisor reviews the revisit record, once, with guidance.
    let review = [
        ("action", "review_revisit"),
        ("review_note", "下次回访请先核实维修是否彻底"),
    ];
    let (status, _) = take_step(app, &agent, &id, &review).await;
    assert_eq!(status, 403, "an agent does not review revisits");
    let supervisor = signed_in(app, "supervisor").await;
    let view = status_of(app, &supervisor, &id).await;
    assert_eq!(view["may_review_revisit"], true, "{view}");
    ok(take_step(app, &supervisor, &id, &review).await, "reviewed");
    let (status, body) = take_step(app, &supervisor, &id, &review).await;
    assert_eq!(status, 409, "reviewed once: {body}");
    let view = status_of(app, &supervisor, &id).await;
    assert_eq!(view["revisits"][0]["reviewed_by"], "主管 刘经理", "{view}");
    assert_eq!(view["may_review_revisit"], false);
    let (_, list) = call_with(&supervisor, &app.base, "revisits_due", &[]).await;
    assert!(list["reviewed"].as_i64().unwrap() >= 1, "{list}");

    let (department, _) = crate::support::department(app, &agent, "engineering").await;
    let closing = [
        ("action", "close"),
        ("root_cause", "楼上防水层施工质量不合格"),
        ("corrective_action", "全面排查同批次防水施工,整改承建单位"),
    ];
    let (status, body) = take_step(app, &agent, &id, &closing).await;
    assert_eq!(
        status, 422,
        "the responsible department is required: {body}"
    );
    assert!(
        body["Validation"]["fields"]["responsible_department_id"].is_string(),
        "{body}"
    );
    assert_eq!(
        body["Validation"]["echo"]["root_cause"],
        "楼上防水层施工质量不合格"
    );
    let mut fields = closing.to_vec();
    fields.extend([
        ("responsible_department_id", department.as_str()),
        ("responsible_person", "工程部 王工"),
        ("checks[]", "cause_found"),
        ("checks[]", "preventive_measures"),
        ("training_case", "on"),
    ]);
    ok(take_step(app, &agent, &id, &fields).await, "close");
    let view = status_of(app, &agent, &id).await;
    let r = &view["responsibility"];
    assert_eq!(r["department"]["code"], "engineering", "{view}");
    assert_eq!(r["person"], "工程部 王工");
    assert_eq!(
        r["checks"],
        serde_json::json!(["cause_found", "preventive_measures"])
    );
    assert_eq!(r["training_case"], true);
    app.log_in("agent").await;
    let (status, page) = app.get(&format!("/staff/complaints/{id}/report")).await;
    assert_eq!(status, 200);
    assert!(page.contains("投诉处理报告"), "the report page renders");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_serious_complaint_has_stage_clocks_and_a_report_to_the_general_manager() {
    on_every_engine!(stages);
}

async fn stages(app: &TestApp) {
    let running = app.running();
    let tick = |at: chrono::DateTime<chrono::Utc>| async move {
        server::jobs::sla::tick(&running.db, &running.policy, &*running.live, at)
            .await
            .expect("a tick")
    };
    let notices = |who: reqwest::Client, id: String, kind: &'static str| async move {
        let (_, notes) = call_with(&who, &app.base, "my_notifications", &[]).await;
        notes
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["complaint_id"].as_i64() == id.parse().ok() && n["kind"] == kind)
            .count()
    };
    // A threat of exposure: level 2, so the stage clocks run.
    let (id, _, _) = file(app, &[("intake[flags][]", "media_threat")]).await;
    let agent = signed_in(app, "agent").await;
    let view = status_of(app, &agent, &id).await;
    assert_eq!(view["level"], 2, "{view}");
    assert_eq!(view["stages"], serde_json::json!([]), "not accepted yet");
    assign_to(app, &agent, &id, "repair").await;
    let view = status_of(app, &agent, &id).await;
    let plan = &view["stages"][0];
    assert_eq!(plan["stage"], "plan", "{view}");
    assert!(
        matches!(
            plan["state"]["state"].as_str(),
            Some("on_track" | "due_soon")
        ),
        "{plan}"
    );

    // Ten days on and no plan: the manager of the repair department and the handler are
    // told, once.
    let later = chrono::Utc::now() + chrono::Duration::days(10);
    assert!(tick(later).await.stages_overdue >= 1);
    assert_eq!(tick(later).await.stages_overdue, 0, "once");
    let manager = signed_in(app, "manager").await;
    let repair = signed_in(app, "repair").await;
    assert_eq!(
        notices(manager.clone(), id.clone(), "plan_overdue").await,
        1
    );
    assert_eq!(notices(repair.clone(), id.clone(), "plan_overdue").await, 1);

    ok(
        take_step(app, &repair, &id, &[("action", "start_investigation")]).await,
        "start",
    );
    // Not resolved yet: no report to submit.
    let (status, body) = take_step(app, &repair, &id, &[("action", "submit_report")]).await;
    assert_eq!(status, 409, "{body}");
    ok(
        take_step(
            app,
            &repair,
            &id,
            &[
                ("action", "propose_solution"),
                ("plan", "更换破损管段并恢复吊顶"),
                ("compensation_yuan", "0"),
            ],
        )
        .await,
        "propose",
    );
    let view = status_of(app, &repair, &id).await;
    assert_eq!(view["stages"][0]["state"]["state"], "met_on_time", "{view}");
    ok(
        take_step(
            app,
            &repair,
            &id,
            &[("action", "resolve"), ("body", "管道已更换,吊顶已恢复")],
        )
        .await,
        "resolve",
    );
    let view = status_of(app, &repair, &id).await;
    assert_eq!(view["stages"][1]["stage"], "report", "{view}");
    assert_eq!(view["may_submit_report"], true);

    // Another department's handler may not submit it; the handler does, once.
    let engineer = signed_in(app, "engineer").await;
    let (status, _) = take_step(app, &engineer, &id, &[("action", "submit_report")]).await;
    assert_eq!(status, 403);
    ok(
        take_step(app, &repair, &id, &[("action", "submit_report")]).await,
        "submit",
    );
    let (status, body) = take_step(app, &repair, &id, &[("action", "submit_report")]).await;
    assert_eq!(status, 409, "once: {body}");
    let view = status_of(app, &repair, &id).await;
    assert_eq!(view["report_submitted"]["by"], "维修 张师傅", "{view}");
    assert_eq!(view["stages"][1]["state"]["state"], "met_on_time");
    assert_eq!(view["may_submit_report"], false);
    let gm = signed_in(app, "gm").await;
    assert_eq!(notices(gm, id.clone(), "report_submitted").await, 1);
    // Submitted in time: nothing to escalate later.
    assert_eq!(
        tick(later + chrono::Duration::days(10))
            .await
            .stages_overdue,
        0
    );

    // A level-4 complaint has no stage clocks.
    let (minor, _, _) = file(
        app,
        &[(
            "intake[description]",
            "小区门口的宣传栏玻璃有点脏,麻烦有空擦一下",
        )],
    )
    .await;
    assign_to(app, &agent, &minor, "property").await;
    let view = status_of(app, &agent, &minor).await;
    assert!(view["level"].as_i64().unwrap() > 2, "{view}");
    assert_eq!(view["stages"], serde_json::json!([]));
}
