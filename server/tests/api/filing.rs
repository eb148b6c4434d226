use domain::intake::{TRACKING_ALPHABET, TRACKING_CODE_LEN};
use reqwest::header::{ACCEPT, REFERER};

use crate::on_every_engine;
use crate::support::{complaint_form, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_complaint_gets_a_tracking_code_and_goes_to_its_tracking_page() {
    on_every_engine!(valid_complaint);
}

async fn valid_complaint(app: &TestApp) {
    let before = app.count("SELECT COUNT(*) FROM complaints").await;
    let response = app
        .client
        .post(format!("{}/api/file_complaint", app.base))
        .header(ACCEPT, "application/json")
        .form(&complaint_form(&[]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{:?}", app.engine);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let receipt: serde_json::Value = response.json().await.unwrap();
    let code = receipt["tracking_code"].as_str().unwrap();
    assert_eq!(code.len(), TRACKING_CODE_LEN);
    assert!(
        code.bytes().all(|b| TRACKING_ALPHABET.contains(&b)),
        "{code}"
    );
    assert_eq!(location, format!("/track/{code}?new=1"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM complaints").await,
        before + 1
    );
    let filed_events = app
        .count("SELECT COUNT(*) FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE e.kind = 'filed' AND c.tracking_code <> ''")
        .await;
    assert!(filed_events > before, "the filing is on the timeline");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_field_is_reported_in_chinese_and_nothing_is_stored() {
    on_every_engine!(bad_fields);
}

async fn bad_fields(app: &TestApp) {
    let before = app.count("SELECT COUNT(*) FROM complaints").await;
    let form = complaint_form(&[
        ("intake[description]", "漏"),
        ("intake[phone]", "12345"),
        ("intake[name]", ""),
        ("intake[category]", "nonsense"),
        ("intake[people_count]", "0"),
    ]);
    let (status, body) = app.call("file_complaint", &form).await;
    assert_eq!(status, 422);
    let fields = &body["Validation"]["fields"];
    for field in ["description", "phone", "name", "category", "people_count"] {
        let message = fields[field]
            .as_str()
            .unwrap_or_else(|| panic!("{field} has a message: {body}"));
        assert!(
            message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{field}: {message}"
        );
    }
    assert_eq!(
        body["Validation"]["echo"]["description"], "漏",
        "what was typed comes back"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM complaints").await,
        before,
        "nothing stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_and_missing_input_are_client_errors() {
    on_every_engine!(oversized_and_missing);
}

async fn oversized_and_missing(app: &TestApp) {
    let long = "漏水".repeat(1001);
    let (status, body) = app
        .call(
            "file_complaint",
            &complaint_form(&[("intake[description]", &long)]),
        )
        .await;
    assert_eq!(status, 422);
    assert!(body["Validation"]["fields"]["description"]
        .as_str()
        .unwrap()
        .contains("2000"));
    let (status, _) = app.call("file_complaint", &[("unexpected", "x")]).await;
    assert!(
        (400..500).contains(&status),
        "a form without fields is a client error, got {status}"
    );
    let (status, _) = app
        .call(
            "file_complaint",
            &complaint_form(&[("intake[community_id]", "999")]),
        )
        .await;
    assert_eq!(status, 422, "an unknown community is refused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_site_post_is_refused() {
    on_every_engine!(cross_site);
}

async fn cross_site(app: &TestApp) {
    let response = app
        .client
        .post(format!("{}/api/file_complaint", app.base))
        .header("sec-fetch-site", "cross-site")
        .form(&complaint_form(&[]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let response = app
        .client
        .post(format!("{}/api/file_complaint", app.base))
        .header("origin", "https://evil.example")
        .form(&complaint_form(&[]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_a_failed_post_goes_back_to_the_form_with_the_error() {
    on_every_engine!(no_js_post);
}

async fn no_js_post(app: &TestApp) {
    let response = app
        .client
        .post(format!("{}/api/file_complaint", app.base))
        .header(ACCEPT, "text/html")
        .header(REFERER, format!("{}/complaints/new", app.base))
        .form(&complaint_form(&[("intake[phone]", "123")]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap();
    assert!(
        location.contains("/complaints/new") && location.contains("__err="),
        "{location}"
    );
    let page = app
        .client
        .get(location)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("电话格式不正确"),
        "the form shows the phone message"
    );
    assert!(
        page.contains("3栋2单元1501卫生间天花板漏水"),
        "and keeps the description"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owners_first_pages_stay_light_and_the_others_hydrate_the_app() {
    on_every_engine!(page_scripts);
}

async fn page_scripts(app: &TestApp) {
    let html = |path: &'static str| async move {
        let (status, body) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        body
    };
    let form = html("/complaints/new").await;
    assert!(
        form.contains("/pkg/complaint_form.js") && form.contains("/pkg/complaint_form_bg.wasm"),
        "the form loads its own module"
    );
    assert!(!form.contains("portal.js"), "and not the app");
    // What the module reads: the hint texts, the count template, buildings by community.
    for needle in [
        r#"data-not-sure="继续描述"#,
        r#"data-use="使用此类别""#,
        r#"data-template="{} / {} 字""#,
        r#"data-title="这些文章也许能直接解决您的问题""#,
        "data-community=",
        r#"data-submitting="正在提交…""#,
    ] {
        assert!(form.contains(needle), "the form carries {needle}");
    }

    let home = html("/").await;
    assert!(
        !home.contains(".js") && !home.contains(".wasm"),
        "the home page is links only"
    );
    // The knowledge base, the look-up form and the survey are plain HTML forms: no script,
    // interactive as they arrive.
    for path in [
        "/faq",
        "/faq/search?q=%E6%BC%8F%E6%B0%B4",
        "/faq/ceiling-leak-from-upstairs",
        "/track",
        "/survey/not-a-token",
    ] {
        let page = html(path).await;
        assert!(
            !page.contains(".js") && !page.contains(".wasm"),
            "{path} loads no script"
        );
        assert!(
            page.contains(r#"data-hydrated="true""#),
            "{path} is ready as it is"
        );
    }
    // Accounts (and the tracking page, which follows the complaint live, and staff pages)
    // are the app.
    for path in ["/login", "/register"] {
        let page = html(path).await;
        assert!(page.contains("/pkg/portal.js"), "{path} hydrates");
        assert!(
            !page.contains(r#"data-hydrated="true""#),
            "{path} is ready once hydrated"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filings_sent_together_are_kept_or_refused_each_on_its_own() {
    on_every_engine!(filed_together);
}

/// Filings that arrive together share a commit; one that cannot be filed (its community
/// is gone, its form was already sent) is refused alone and the others are kept.
async fn filed_together(app: &TestApp) {
    let before = app.count("SELECT COUNT(*) FROM complaints").await;
    let send = |n: usize| {
        let phone = format!("1361234{n:04}");
        async move {
            let community = if n == 5 { "987654" } else { "1" };
            let building = if n == 5 { "" } else { "3" };
            let key = if n >= 8 { "same-form-sent-twice" } else { "" };
            let mut form = complaint_form(&[
                ("intake[phone]", phone.as_str()),
                ("intake[community_id]", community),
                ("intake[building_id]", building),
            ]);
            if !key.is_empty() {
                form.push(("intake[submission_key]", key));
            }
            let response = app
                .new_visitor()
                .post(format!("{}/api/file_complaint", app.base))
                .header(ACCEPT, "application/json")
                .form(&form)
                .send()
                .await
                .expect("request");
            let status = response.status().as_u16();
            let body: serde_json::Value = response.json().await.unwrap_or_default();
            (n, status, body)
        }
    };
    let answers = futures::future::join_all((0..10).map(send)).await;
    let mut kept = 0;
    for (n, status, body) in &answers {
        match n {
            5 => assert_eq!(*status, 422, "the community is gone: {body}"),
            8 | 9 => assert!(
                *status == 200 || *status == 409,
                "one form sent twice with two phones: one is filed, the other refused: {body}"
            ),
            _ => assert_eq!(*status, 200, "{n}: {body}"),
        }
        if *status == 200 {
            kept += 1;
        }
    }
    assert_eq!(kept, 8, "{answers:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM complaints").await,
        before + 8,
        "every acknowledged filing is kept, the refused ones left nothing behind"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guided_form_files_from_the_owners_words_and_keeps_the_answers() {
    on_every_engine!(guided);
}

async fn guided(app: &TestApp) {
    // No category chosen: the owner's topic chooses it; answers to another category's
    // questions and a follow-up whose "yes" was not given are left out.
    let form = complaint_form(&[
        ("intake[category]", ""),
        ("intake[topic]", "staff_conduct"),
        (
            "intake[description]",
            "物业前台的工作人员态度很差，问物业费的问题直接不理人",
        ),
        ("intake[answers][when_happened]", "12月3日上午"),
        ("intake[answers][staff_member]", "前台，工号 012"),
        ("intake[answers][where_home]", "kitchen"),
        ("intake[answers][reported_ref]", "not asked"),
    ]);
    let (status, receipt) = app.call("file_complaint", &form).await;
    assert_eq!(status, 200, "{:?}: {receipt}", app.engine);
    let id = receipt["complaint_id"].to_string();
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM complaints WHERE id = {id} AND category = 'service_conduct' AND topic = 'staff_conduct'"
        ))
        .await,
        1
    );
    let staff = crate::support::signed_in(app, "agent").await;
    let (status, complaint) =
        crate::support::call_with(&staff, &app.base, "load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(status, 200, "{complaint}");
    assert_eq!(complaint["topic"], "staff_conduct");
    assert_eq!(
        complaint["answers"],
        serde_json::json!({"when_happened": "12月3日上午", "staff_member": "前台，工号 012"})
    );

    // A choice that is not one of the question's: said beside the question, and what was
    // typed comes back (the topic and every answer).
    let before = app.count("SELECT COUNT(*) FROM complaints").await;
    let form = complaint_form(&[
        ("intake[category]", "repair_service"),
        ("intake[answers][where_home]", "attic"),
        ("intake[answers][since]", "三天前"),
        ("intake[topic]", "home_repair"),
    ]);
    let (status, body) = app.call("file_complaint", &form).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["Validation"]["fields"]["answer_where_home"],
        "请从选项中选择"
    );
    let echo = &body["Validation"]["echo"];
    assert_eq!(echo["answer_since"], "三天前");
    assert_eq!(echo["answer_where_home"], "attic");
    assert_eq!(echo["topic"], "home_repair");
    assert_eq!(app.count("SELECT COUNT(*) FROM complaints").await, before);

    // Neither a category nor a topic: the owner is asked to choose.
    let (status, body) = app
        .call(
            "file_complaint",
            &complaint_form(&[("intake[category]", "")]),
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        body["Validation"]["fields"]["category"].is_string(),
        "{body}"
    );
}
