use crate::on_every_engine;
use crate::support::{call_with, complaint_form, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    on_every_engine!(same_answer);
}

async fn same_answer(app: &TestApp) {
    let wrong = app
        .call("log_in", &[("login", "agent"), ("password", "not-it")])
        .await;
    let unknown = app
        .call("log_in", &[("login", "nobody"), ("password", "not-it")])
        .await;
    assert_eq!(wrong.0, 422);
    assert_eq!(
        wrong.1["Validation"]["fields"],
        unknown.1["Validation"]["fields"]
    );
    let (status, actor) = app.call("current_actor", &[]).await;
    assert_eq!(
        (status, actor),
        (200, serde_json::Value::Null),
        "still logged out"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failed_logins_slow_the_account_down_without_locking_it() {
    on_every_engine!(slowed_not_locked);
}

async fn slowed_not_locked(app: &TestApp) {
    for _ in 0..6 {
        app.call("log_in", &[("login", "agent"), ("password", "guess")])
            .await;
    }
    assert_eq!(
        app.running()
            .login_limiter
            .attempts("agent")
            .await
            .expect("attempts"),
        6
    );
    let started = std::time::Instant::now();
    let (status, body) = app
        .call("log_in", &[("login", "agent"), ("password", "demo-2026")])
        .await;
    assert_eq!(status, 200, "the real person still gets in: {body}");
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "after the free attempts, each attempt waits first"
    );
    assert_eq!(
        app.running()
            .login_limiter
            .attempts("agent")
            .await
            .expect("attempts"),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_functions_need_a_staff_login() {
    on_every_engine!(staff_only);
}

async fn staff_only(app: &TestApp) {
    assert_eq!(app.call("staff_queue", &[]).await.0, 401);
    assert_eq!(
        app.step("1", &[("action", "reply"), ("body", "您好")])
            .await
            .0,
        401
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_reply_reaches_the_owner_and_the_queue_is_newest_first() {
    on_every_engine!(reply_reaches_owner);
}

async fn reply_reaches_owner(app: &TestApp) {
    let owner = app.new_visitor();
    let (status, receipt) =
        call_with(&owner, &app.base, "file_complaint", &complaint_form(&[])).await;
    assert_eq!(status, 200);
    let id = receipt["complaint_id"].as_i64().unwrap().to_string();
    let code = receipt["tracking_code"].as_str().unwrap().to_owned();

    app.log_in("agent").await;
    let (status, page) = app.call("staff_queue", &[]).await;
    assert_eq!(status, 200, "{page}");
    let queue = &page["rows"];
    assert_eq!(queue[0]["tracking_code"], code.as_str(), "newest first");
    let filed: Vec<&str> = queue
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["filed_at"].as_str().unwrap())
        .collect();
    assert!(
        filed.windows(2).all(|w| w[0] >= w[1]),
        "sorted by filing time, newest first"
    );

    let reply = "王先生您好,维修师傅今天下午三点上门查看。";
    let (status, body) = app.step(&id, &[("action", "reply"), ("body", reply)]).await;
    assert_eq!(status, 200, "{body}");
    let (status, complaint) =
        call_with(&owner, &app.base, "tracked_complaint", &[("code", &code)]).await;
    assert_eq!(status, 200);
    let replies: Vec<&str> = complaint["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "reply")
        .map(|e| e["body"].as_str().unwrap())
        .collect();
    assert_eq!(replies, [reply]);

    let (status, _) = app.step(&id, &[("action", "reply"), ("body", "  ")]).await;
    assert_eq!(status, 422, "an empty reply is refused");
    let (status, _) = app
        .step("999999", &[("action", "reply"), ("body", "您好")])
        .await;
    assert_eq!(status, 404);
}
