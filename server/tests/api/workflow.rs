//! The handling workflow end to end, over HTTP.

use serde_json::Value;

use crate::on_every_engine;
use crate::support::{call_with, complaint_form, TestApp};

/// Files a complaint as an anonymous owner; returns (id, code, owner client).
pub async fn file(app: &TestApp, overrides: &[(&str, &str)]) -> (String, String, reqwest::Client) {
    let owner = app.new_visitor();
    let (status, receipt) = call_with(
        &owner,
        &app.base,
        "file_complaint",
        &complaint_form(overrides),
    )
    .await;
    assert_eq!(status, 200, "{receipt}");
    let id = receipt["complaint_id"].as_i64().unwrap().to_string();
    (
        id,
        receipt["tracking_code"].as_str().unwrap().to_owned(),
        owner,
    )
}

async fn staff_view(app: &TestApp, id: &str) -> Value {
    let (status, complaint) = app.call("load_staff_complaint", &[("id", id)]).await;
    assert_eq!(status, 200, "{complaint}");
    complaint
}

async fn department_and_handler(app: &TestApp, code: &str, handler: &str) -> (String, String) {
    let (_, departments) = app.call("list_departments", &[]).await;
    let department = departments
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap();
    let person = department["handlers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == handler)
        .unwrap();
    (department["id"].to_string(), person["id"].to_string())
}

fn ok(result: (u16, Value), what: &str) {
    assert_eq!(result.0, 200, "{what}: {}", result.1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complaint_goes_from_filing_to_closing_with_approval_and_revisit() {
    on_every_engine!(full_lifecycle);
}

async fn full_lifecycle(app: &TestApp) {
    let (id, code, owner) = file(app, &[]).await;

    app.log_in("agent").await;
    ok(
        app.step(&id, &[("action", "judge_valid")]).await,
        "agent judges valid",
    );
    let (department, handler) = department_and_handler(app, "repair", "维修 张师傅").await;
    ok(
        app.step(
            &id,
            &[
                ("action", "assign"),
                ("department_id", &department),
                ("handler_id", &handler),
            ],
        )
        .await,
        "assign",
    );
    assert_eq!(staff_view(app, &id).await["handler"]["name"], "维修 张师傅");

    let repair = app.new_visitor();
    crate::support::call_with(
        &repair,
        &app.base,
        "log_in",
        &[("login", "repair"), ("password", "demo-2026")],
    )
    .await;
    let step = |fields: Vec<(&'static str, String)>| {
        let repair = repair.clone();
        let base = app.base.clone();
        let id = id.clone();
        async move {
            let mut form = vec![("id".to_owned(), id)];
            form.extend(fields.into_iter().map(|(k, v)| (format!("step[{k}]"), v)));
            let borrowed: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            call_with(&repair, &base, "take_step", &borrowed).await
        }
    };
    ok(
        step(vec![("action", "start_investigation".into())]).await,
        "handler starts",
    );
    ok(
        step(vec![
            ("action", "note".into()),
            ("body", "楼上防水层破损,需要凿开重做".into()),
        ])
        .await,
        "internal note",
    );
    ok(
        step(vec![
            ("action", "propose_solution".into()),
            (
                "plan",
                "重做楼上卫生间防水,修复您家天花板并赔偿装修损失".into(),
            ),
            ("compensation_yuan", "12000".into()),
        ])
        .await,
        "propose ¥12,000",
    );
    let early = step(vec![
        ("action", "resolve".into()),
        ("body", "已修好".into()),
    ])
    .await;
    assert_eq!(
        early.0, 409,
        "compensation waits for a supervisor: {}",
        early.1
    );
    ok(
        step(vec![("action", "request_approval".into())]).await,
        "request approval",
    );
    let not_mine = step(vec![("action", "grant_approval".into())]).await;
    assert_eq!(not_mine.0, 403, "a handler cannot approve");

    // ¥12,000 is above the department manager's tier: the general manager decides.
    let supervisor = app.new_visitor();
    call_with(
        &supervisor,
        &app.base,
        "log_in",
        &[("login", "gm"), ("password", "demo-2026")],
    )
    .await;
    let (status, notes) = call_with(&supervisor, &app.base, "my_notifications", &[]).await;
    assert_eq!(status, 200);
    assert!(
        notes
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "approval_requested"),
        "{notes}"
    );
    let granted = call_with(
        &supervisor,
        &app.base,
        "take_step",
        &[
            ("id", &id),
            ("step[action]", "grant_approval"),
            ("step[reason]", "同意,按方案执行"),
        ],
    )
    .await;
    ok(granted, "the general manager approves");
    ok(
        step(vec![
            ("action", "resolve".into()),
            ("body", "防水已重做,天花板已修复,赔偿已到账".into()),
        ])
        .await,
        "resolve",
    );

    ok(
        app.step(
            &id,
            &[
                ("action", "record_revisit"),
                ("method", "phone"),
                ("process", "satisfied"),
                ("timeliness", "basic"),
                ("attitude", "satisfied"),
                ("result", "satisfied"),
                ("overall", "5"),
            ],
        )
        .await,
        "phone revisit",
    );
    let refused = app
        .step(
            &id,
            &[
                ("action", "close"),
                ("root_cause", ""),
                ("corrective_action", ""),
            ],
        )
        .await;
    assert_eq!(refused.0, 422, "closing needs a root cause");
    assert!(refused.1["Validation"]["fields"].as_object().unwrap().len() == 1);
    ok(
        app.step(
            &id,
            &[
                ("action", "close"),
                ("root_cause", "楼上卫生间防水层施工不合格"),
                ("corrective_action", "对同批次住户卫生间做闭水试验排查"),
                ("responsible_department_id", &department),
            ],
        )
        .await,
        "close",
    );

    let complaint = staff_view(app, &id).await;
    assert_eq!(complaint["status"], "closed");
    assert_eq!(complaint["approvals"][0]["decision"], "granted");
    assert_eq!(complaint["revisits"][0]["process"], "satisfied");
    assert_eq!(
        complaint["agent"]["name"], "客服 李娜",
        "the receiving agent stays accountable"
    );
    let kinds: Vec<&str> = complaint["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "filed",
        "status",
        "assignment",
        "note",
        "solution",
        "approval",
        "revisit",
    ] {
        assert!(
            kinds.contains(&kind),
            "{kind} is on the staff timeline: {kinds:?}"
        );
    }

    let (_, seen) = call_with(&owner, &app.base, "tracked_complaint", &[("code", &code)]).await;
    let public: Vec<&Value> = seen["timeline"].as_array().unwrap().iter().collect();
    assert!(public.iter().all(|e| e["public"] == true));
    assert!(
        !seen.to_string().contains("防水层破损"),
        "the internal note never reaches the owner"
    );
    assert!(
        !seen.to_string().contains("施工不合格"),
        "nor the root cause"
    );
    assert_eq!(seen["status"], "closed");
    assert_eq!(seen["handler"], "维修 张师傅");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn steps_the_state_or_the_role_does_not_allow_are_refused_with_a_message() {
    on_every_engine!(refusals);
}

async fn refusals(app: &TestApp) {
    let (id, _, owner) = file(app, &[]).await;
    app.log_in("agent").await;
    let (status, body) = app
        .step(
            &id,
            &[
                ("action", "close"),
                ("root_cause", "x"),
                ("corrective_action", "y"),
            ],
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["Conflict"].as_str().unwrap().contains("已受理"),
        "the message names the state: {body}"
    );
    let (status, _) = app.step(&id, &[("action", "grant_approval")]).await;
    assert_eq!(status, 403, "an agent never approves");
    let (status, _) = app.step(&id, &[("action", "fly_to_the_moon")]).await;
    assert_eq!(status, 422);

    let (status, _) = call_with(
        &owner,
        &app.base,
        "take_step",
        &[("id", &id), ("step[action]", "judge_valid")],
    )
    .await;
    assert_eq!(status, 401, "owners take no staff steps");

    let engineer = app.new_visitor();
    call_with(
        &engineer,
        &app.base,
        "log_in",
        &[("login", "engineer"), ("password", "demo-2026")],
    )
    .await;
    let (status, _) = call_with(&engineer, &app.base, "load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(
        status, 403,
        "a handler sees only their department's complaints"
    );
    let (_, page) = call_with(&engineer, &app.base, "staff_queue", &[]).await;
    assert_eq!(
        page["counts"]["total"], 0,
        "and their queue holds nothing else: {page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forbidden_phrase_in_a_reply_needs_an_explicit_send_anyway() {
    on_every_engine!(forbidden_phrase);
}

async fn forbidden_phrase(app: &TestApp) {
    let (id, _, _) = file(app, &[]).await;
    app.log_in("agent").await;
    let text = "这是工程部的事,与我无关。";
    let (status, body) = app.step(&id, &[("action", "reply"), ("body", text)]).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["Validation"]["fields"]["send_anyway"].is_string());
    assert_eq!(
        body["Validation"]["echo"]["body"], text,
        "what was typed comes back"
    );
    let (status, _) = app
        .step(
            &id,
            &[("action", "reply"), ("body", text), ("send_anyway", "on")],
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsatisfied_revisit_reopens_the_complaint_and_raises_it() {
    on_every_engine!(unsatisfied);
}

async fn unsatisfied(app: &TestApp) {
    let (id, _, _) = file(app, &[]).await;
    app.log_in("supervisor").await;
    ok(app.step(&id, &[("action", "judge_valid")]).await, "valid");
    let (department, handler) = department_and_handler(app, "repair", "维修 张师傅").await;
    ok(
        app.step(
            &id,
            &[
                ("action", "assign"),
                ("department_id", &department),
                ("handler_id", &handler),
            ],
        )
        .await,
        "assign",
    );
    ok(
        app.step(&id, &[("action", "start_investigation")]).await,
        "investigate",
    );
    ok(
        app.step(&id, &[("action", "propose_solution"), ("plan", "更换阀门")])
            .await,
        "plan",
    );
    ok(
        app.step(&id, &[("action", "resolve"), ("body", "阀门已更换")])
            .await,
        "resolve",
    );
    let before = staff_view(app, &id).await["level"].as_u64().unwrap();
    ok(
        app.step(
            &id,
            &[
                ("action", "record_revisit"),
                ("method", "visit"),
                ("process", "basic"),
                ("timeliness", "basic"),
                ("attitude", "satisfied"),
                ("result", "unsatisfied"),
                ("overall", "3"),
                ("comment", "还是漏"),
            ],
        )
        .await,
        "unsatisfied revisit",
    );
    let complaint = staff_view(app, &id).await;
    assert_eq!(complaint["status"], "reopened");
    assert!(
        complaint["level"].as_u64().unwrap() <= before.min(3),
        "raised to at least level 3"
    );
    assert!(
        complaint["reasons"].to_string().contains("repeat"),
        "{}",
        complaint["reasons"]
    );
}
