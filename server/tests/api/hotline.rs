//! The emergency path: each community's service hotline, set by an administrator, shown
//! first on the complaint form and at the foot of every page; and the hint's danger.

use serde_json::Value;

use crate::on_every_engine;
use crate::support::TestApp;

async fn first_community(app: &TestApp) -> (String, String) {
    let (status, body) = app.call("list_communities", &[]).await;
    assert_eq!(status, 200, "{body}");
    let first = &body[0];
    (
        first["id"].as_i64().expect("an id").to_string(),
        first["name"].as_str().expect("a name").to_owned(),
    )
}

async fn page_of(client: &reqwest::Client, base: &str, path: &str) -> String {
    let response = client
        .get(format!("{base}{path}"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.text().await.expect("body")
}

async fn hotlines_are_set_by_administrators_and_shown_to_everyone(app: &TestApp) {
    let (id, name) = first_community(app).await;
    // Nobody has set one yet: the footer gives the general advice.
    let (_, home) = app.get("/").await;
    assert!(!home.contains("data-testid=\"footer-hotline\""), "{home}");
    assert!(home.contains("请直接拨打物业24小时服务热线"));
    let article = page_of(&app.new_visitor(), &app.base, "/faq/fire-emergency").await;
    assert!(
        article.contains("服务热线（见小区公告栏）"),
        "as written: {article}"
    );

    let visitor = app.new_visitor();
    let set = |client: reqwest::Client, value: &'static str| {
        let (base, id) = (app.base.clone(), id.clone());
        async move {
            crate::support::call_with(
                &client,
                &base,
                "set_community_hotline",
                &[("community_id", id.as_str()), ("hotline", value)],
            )
            .await
        }
    };
    let (status, _) = set(visitor, "400-820-1234").await;
    assert_eq!(status, 401, "an anonymous visitor sets nothing");
    app.log_in("agent").await;
    let (status, _) = set(app.client.clone(), "400-820-1234").await;
    assert_eq!(status, 403, "an agent sets nothing");

    app.log_in("admin").await;
    let (status, body) = set(app.client.clone(), "见小区公告栏").await;
    assert_eq!(status, 422, "{body}");
    let message = body["Validation"]["fields"]["hotline"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("电话号码"), "{body}");
    assert_eq!(body["Validation"]["echo"]["hotline"], "见小区公告栏");
    assert_eq!(
        body["Validation"]["echo"]["community_id"],
        Value::String(id.clone())
    );

    // Typed with full-width digits: kept as written, half-width.
    let (status, body) = set(app.client.clone(), "４００－８２０－１２３４").await;
    assert_eq!(status, 200, "{body}");
    let (_, overview) = app.call("estate_overview", &[]).await;
    let community = overview
        .as_array()
        .and_then(|list| list.iter().find(|c| c["name"] == name.as_str()))
        .expect("the community");
    assert_eq!(community["hotline"], "400-820-1234");
    let audited = app
        .count("SELECT COUNT(*) FROM audit_log WHERE action = 'community_hotline'")
        .await;
    assert_eq!(audited, 1);

    // Everyone sees it: the form's option, the list, the footer and the emergency box.
    let (status, hotlines) =
        crate::support::call_with(&app.new_visitor(), &app.base, "service_hotlines", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(hotlines[0]["number"], "400-820-1234");
    assert_eq!(hotlines[0]["tel"], "tel:4008201234");
    let page = page_of(&app.new_visitor(), &app.base, "/complaints/new").await;
    assert!(page.contains("data-testid=\"emergency-call\""), "{page}");
    assert!(page.contains("href=\"tel:4008201234\""), "{page}");
    assert!(page.contains("data-hotline=\"400-820-1234\""), "{page}");
    assert!(page.contains("data-testid=\"footer-hotline\""), "{page}");
    // The articles written for every estate give this estate's number.
    let article = page_of(&app.new_visitor(), &app.base, "/faq/fire-emergency").await;
    assert!(!article.contains("见小区公告栏"), "{article}");
    assert!(
        article.contains("服务热线（<a class=\"tel\" href=\"tel:4008201234\">400-820-1234</a>）"),
        "{article}"
    );

    // Cleared: none again.
    let (status, _) = set(app.client.clone(), " ").await;
    assert_eq!(status, 200);
    let home = page_of(&app.new_visitor(), &app.base, "/").await;
    assert!(!home.contains("tel:4008201234"), "{home}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hotlines_are_set_by_administrators_and_shown_to_everyone_on_every_engine() {
    on_every_engine!(hotlines_are_set_by_administrators_and_shown_to_everyone);
}
