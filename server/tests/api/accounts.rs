//! Owner accounts, passwords and administration.

use serde_json::Value;

use crate::on_every_engine;
use crate::support::{call_with, complaint_form, TestApp};

const PHONE: &str = "13655550001";

async fn file_as(client: &reqwest::Client, app: &TestApp, phone: &str) -> String {
    let form = complaint_form(&[("intake[phone]", phone)]);
    let (status, receipt) = call_with(client, &app.base, "file_complaint", &form).await;
    assert_eq!(status, 200, "filed: {receipt}");
    receipt["tracking_code"]
        .as_str()
        .expect("a code")
        .to_owned()
}

fn field(body: &Value, name: &str) -> String {
    body["Validation"]["fields"][name]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_registers_claims_an_earlier_complaint_and_sees_all_their_own() {
    on_every_engine!(owner_account);
}

async fn owner_account(app: &TestApp) {
    // Filed before the account existed, with the same phone; and one with another phone.
    let earlier = file_as(&app.new_visitor(), app, PHONE).await;
    let second = file_as(&app.new_visitor(), app, PHONE).await;
    let someone_elses = file_as(&app.new_visitor(), app, "13655550002").await;

    let (status, body) = app
        .call(
            "register_owner",
            &[
                ("phone", "12345"),
                ("code", &earlier),
                ("name", "李女士"),
                ("password", "secret-pass"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(field(&body, "phone").contains("手机"), "{body}");
    assert_eq!(
        body["Validation"]["echo"]["name"], "李女士",
        "what was typed comes back"
    );

    let (status, body) = app
        .call(
            "register_owner",
            &[
                ("phone", PHONE),
                ("code", &earlier),
                ("name", "李女士"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(field(&body, "password").contains('8'), "{body}");

    // The phone is proven by a complaint filed with it: another phone's code, or none,
    // registers nothing.
    let users = app.count("SELECT COUNT(*) FROM users").await;
    for code in [someone_elses.as_str(), ""] {
        let (status, body) = app
            .call(
                "register_owner",
                &[
                    ("phone", PHONE),
                    ("code", code),
                    ("name", "李女士"),
                    ("password", "secret-pass"),
                ],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(!field(&body, "code").is_empty(), "{body}");
        assert_eq!(body["Validation"]["echo"]["code"], code);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users);

    let (status, body) = app
        .call(
            "register_owner",
            &[
                ("phone", PHONE),
                ("code", &earlier),
                ("name", "李女士"),
                ("password", "secret-pass"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, actor) = app.call("current_actor", &[]).await;
    assert_eq!(actor["role"], "owner", "registered and logged in: {actor}");

    let (status, body) = call_with(
        &app.new_visitor(),
        &app.base,
        "register_owner",
        &[
            ("phone", PHONE),
            ("code", &second),
            ("name", "冒名"),
            ("password", "another-pass"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(field(&body, "phone").contains("已经注册"), "{body}");

    // The complaint that proved the phone is the account's; the other one waits.
    let (_, mine) = app.call("my_complaints", &[]).await;
    assert_eq!(mine["own"].as_array().map(Vec::len), Some(1), "{mine}");
    assert_eq!(mine["claimable"], 1);

    let (status, body) = app
        .call("claim_complaint", &[("code", &someone_elses)])
        .await;
    assert_eq!(status, 422, "another phone's complaint cannot be claimed");
    assert!(field(&body, "code").contains("不匹配"), "{body}");
    let (status, _) = app.call("claim_complaint", &[("code", "not a code")]).await;
    assert_eq!(status, 422);

    let (status, body) = app.call("claim_complaint", &[("code", &second)]).await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = app.call("claim_complaint", &[("code", &second)]).await;
    assert_eq!(status, 422, "claimed once");

    // Filed while logged in: it is the owner's right away.
    let filed_now = file_as(&app.client, app, PHONE).await;
    let (_, mine) = app.call("my_complaints", &[]).await;
    let codes: Vec<&str> = mine["own"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|c| c["tracking_code"].as_str())
        .collect();
    assert_eq!(
        codes,
        vec![filed_now.as_str(), second.as_str(), earlier.as_str()],
        "newest first"
    );
    assert_eq!(mine["claimable"], 0);

    // Owners are not staff, and other owners' complaints stay closed to them.
    assert_eq!(app.call("staff_queue", &[]).await.0, 403);
    assert_eq!(app.call("admin_users", &[]).await.0, 403);
    let (status, _) = app
        .call("tracked_complaint", &[("code", &someone_elses)])
        .await;
    assert_ne!(
        status, 200,
        "an owner account does not open others' complaints"
    );
    let (status, tracked) = app.call("tracked_complaint", &[("code", &earlier)]).await;
    assert_eq!(
        status, 200,
        "a claimed complaint opens without the phone: {tracked}"
    );

    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('register', 'claim')")
            .await,
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_ends_every_session_of_the_account() {
    on_every_engine!(password_change);
}

async fn password_change(app: &TestApp) {
    app.log_in("agent").await;
    let other_device = app.new_visitor();
    let (status, _) = call_with(
        &other_device,
        &app.base,
        "log_in",
        &[("login", "agent"), ("password", "demo-2026")],
    )
    .await;
    assert_eq!(status, 200);

    let (status, body) = app
        .call(
            "change_password",
            &[("current", "wrong-one"), ("new", "brand-new-pass")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(field(&body, "current").contains("不正确"), "{body}");
    let (status, body) = app
        .call(
            "change_password",
            &[("current", "demo-2026"), ("new", "short")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(!field(&body, "password").is_empty(), "{body}");

    let (status, body) = app
        .call(
            "change_password",
            &[("current", "demo-2026"), ("new", "brand-new-pass")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        app.call("current_actor", &[]).await.1,
        Value::Null,
        "this session ended"
    );
    let (_, elsewhere) = call_with(&other_device, &app.base, "current_actor", &[]).await;
    assert_eq!(elsewhere, Value::Null, "and the one on the other device");

    let (status, _) = app
        .call("log_in", &[("login", "agent"), ("password", "demo-2026")])
        .await;
    assert_eq!(status, 422, "the old password is gone");
    let (status, _) = app
        .call(
            "log_in",
            &[("login", "agent"), ("password", "brand-new-pass")],
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_manage_accounts_departments_policy_and_canned_replies() {
    on_every_engine!(administration);
}

async fn administration(app: &TestApp) {
    assert_eq!(app.call("admin_users", &[]).await.0, 401);
    app.log_in("agent").await;
    assert_eq!(
        app.call("admin_users", &[]).await.0,
        403,
        "agents are not admins"
    );
    assert_eq!(app.call("save_policy", &[("policy", "")]).await.0, 403);
    app.call("log_out", &[]).await;
    app.log_in("admin").await;

    let (status, users) = app.call("admin_users", &[]).await;
    assert_eq!(status, 200);
    let users = users.as_array().expect("a list");
    assert!(users.iter().any(|u| u["login"] == "repair"));
    assert!(
        users.iter().all(|u| u["role"] != "owner"),
        "owners are not listed"
    );

    let (_, departments) = app.call("admin_departments", &[]).await;
    let repair_department = departments
        .as_array()
        .expect("a list")
        .iter()
        .find(|d| d["code"] == "repair")
        .map(|d| d["id"].to_string())
        .expect("the repair department");

    let new_user = |dept: &str| {
        vec![
            ("user[login]", "wang.shifu".to_owned()),
            ("user[display_name]", "王师傅".to_owned()),
            ("user[role]", "handler".to_owned()),
            ("user[department_id]", dept.to_owned()),
            ("user[active]", "on".to_owned()),
            ("user[password]", "handler-pass-1".to_owned()),
        ]
    };
    let form = new_user("");
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = app.call("save_user", &borrowed).await;
    assert_eq!(status, 422, "a handler needs a department");
    assert!(!field(&body, "department_id").is_empty(), "{body}");

    let form = new_user(&repair_department);
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = app.call("save_user", &borrowed).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.call("save_user", &borrowed).await;
    assert_eq!(status, 422, "logins are unique");
    assert!(field(&body, "login").contains("已存在"), "{body}");

    let handler = app.new_visitor();
    let (status, _) = call_with(
        &handler,
        &app.base,
        "log_in",
        &[("login", "wang.shifu"), ("password", "handler-pass-1")],
    )
    .await;
    assert_eq!(status, 200, "the new handler logs in");

    // Deactivating ends the account's sessions and refuses new logins.
    let id = app
        .count("SELECT id FROM users WHERE login = 'wang.shifu'")
        .await
        .to_string();
    let (status, body) = app
        .call(
            "save_user",
            &[
                ("user[id]", id.as_str()),
                ("user[display_name]", "王师傅"),
                ("user[role]", "handler"),
                ("user[department_id]", repair_department.as_str()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, actor) = call_with(&handler, &app.base, "current_actor", &[]).await;
    assert_eq!(actor, Value::Null, "a deactivated account is logged out");
    let (status, _) = call_with(
        &handler,
        &app.base,
        "log_in",
        &[("login", "wang.shifu"), ("password", "handler-pass-1")],
    )
    .await;
    assert_eq!(status, 422);

    // The policy: shown as TOML, saved only when it parses and is consistent.
    let (status, policy) = app.call("policy_text", &[]).await;
    assert_eq!(status, 200);
    let policy = policy.as_str().expect("TOML text").to_owned();
    let (status, body) = app.call("save_policy", &[("policy", "not = [toml")]).await;
    assert_eq!(status, 422);
    assert!(field(&body, "policy").contains("格式错误"), "{body}");
    let (status, body) = app
        .call("save_policy", &[("policy", policy.as_str())])
        .await;
    assert_eq!(status, 200, "{body}");

    // Canned replies: no forbidden phrases; active ones reach the reply editor.
    let (status, body) = app
        .call(
            "save_canned_reply",
            &[
                ("reply[title]", "推脱"),
                ("reply[body]", "这不归我们管"),
                ("reply[active]", "on"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(field(&body, "body").contains("禁语"), "{body}");
    let (status, body) = app
        .call(
            "save_canned_reply",
            &[
                ("reply[title]", "停水通知"),
                (
                    "reply[body]",
                    "{称呼}您好,今天停水是因为管网检修,预计18点前恢复。",
                ),
                ("reply[active]", "on"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    app.call("log_out", &[]).await;
    app.log_in("agent").await;
    let (status, complaint) = app.call("load_staff_complaint", &[("id", "1")]).await;
    assert_eq!(status, 200, "{complaint}");
    assert!(
        complaint["canned_replies"]
            .as_array()
            .expect("canned replies")
            .iter()
            .any(|c| c["title"] == "停水通知"),
        "{complaint}"
    );

    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('user_created', 'user_updated', 'canned_reply_saved')"
        )
        .await,
        3
    );
}
