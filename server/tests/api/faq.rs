//! The FAQ knowledge base: search that works for Chinese, bad input, votes, deflections,
//! publishing, who may author, sanitised HTML, drafts from resolved complaints.

use serde_json::Value;
use sqlx::Row;

use crate::on_every_engine;
use crate::support::{call_with, TestApp};
use crate::workflow::file;

async fn api_search(app: &TestApp, q: &str, limit: Option<&str>) -> (u16, Value) {
    let mut query = vec![("q", q)];
    if let Some(limit) = limit {
        query.push(("limit", limit));
    }
    let response = app
        .client
        .get(format!("{}/api/v1/faq/search", app.base))
        .query(&query)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn slug_of(app: &TestApp, id: i64) -> String {
    sqlx::query("SELECT slug FROM faq_articles WHERE id = $1")
        .bind(id)
        .fetch_one(app.pool())
        .await
        .unwrap()
        .get(0)
}

/// The slugs of the top `n` API results for `q`.
async fn top(app: &TestApp, q: &str, n: usize) -> Vec<String> {
    let (status, hits) = api_search(app, q, Some(&n.to_string())).await;
    assert_eq!(status, 200, "{q}: {hits}");
    let mut slugs = Vec::new();
    for hit in hits.as_array().unwrap() {
        slugs.push(slug_of(app, hit["id"].as_i64().unwrap()).await);
    }
    slugs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_chinese_queries_rank_the_articles_owners_expect() {
    on_every_engine!(rankings);
}

async fn rankings(app: &TestApp) {
    let leaks = [
        "ceiling-leak-from-upstairs",
        "bathroom-waterproofing-leak-after-decoration",
        "burst-pipe-flooding",
        "window-and-exterior-wall-seepage",
    ];
    let top3 = top(app, "漏水", 3).await;
    assert!(
        top3.iter().all(|s| leaks.contains(&s.as_str())),
        "漏水: {top3:?}"
    );

    let lifts = top(app, "电梯", 2).await;
    let mut sorted = lifts.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        ["lift-entrapment", "lift-fault-and-annual-inspection"],
        "电梯: {lifts:?}"
    );

    let fees = [
        "how-property-fee-is-set",
        "what-property-fee-covers",
        "late-property-fee",
        "fee-payment-methods",
    ];
    let top3 = top(app, "物业费", 3).await;
    assert!(
        top3.iter().all(|s| fees.contains(&s.as_str())),
        "物业费: {top3:?}"
    );

    let water = top(app, "水", 8).await;
    assert_eq!(water.len(), 8, "one character finds articles");
    assert!(
        water.iter().any(|s| [
            "planned-water-outage",
            "low-water-pressure",
            "tap-water-quality"
        ]
        .contains(&s.as_str())),
        "水: {water:?}"
    );

    assert!(top(app, "119", 5)
        .await
        .contains(&"fire-emergency".to_owned()));
    assert!(!top(app, "12345", 5).await.is_empty(), "numbers are words");
    assert!(
        !top(app, "app", 5).await.is_empty(),
        "English words match any case"
    );

    let (_, hits) = api_search(app, "漏水", Some("1")).await;
    let hit = &hits[0];
    let keys: Vec<&str> = hit
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["category", "id", "score", "snippet", "title"],
        "{hit}"
    );
    assert!(hit["snippet"].as_str().unwrap().contains("<mark>"), "{hit}");
    assert!(hit["score"].as_f64().unwrap() > 0.0);

    let (_, fuzzy) = app.call("faq_search", &[("q", "停车卫")]).await;
    assert_eq!(
        fuzzy["fuzzy"], true,
        "a mistyped character still finds: {fuzzy}"
    );
    let first = fuzzy["hits"][0]["slug"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(first.contains("parking"), "停车卫 → 停车位: {fuzzy}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_empty_and_huge_queries_are_answered_never_refused() {
    on_every_engine!(bad_queries);
}

async fn bad_queries(app: &TestApp) {
    let long = "漏".repeat(1000);
    for q in [
        "",
        " ",
        "\"",
        "*",
        "NEAR",
        "'",
        "漏水\" OR 1=1 --",
        "<script>alert(1)</script>",
        "%",
        long.as_str(),
    ] {
        let (status, body) = api_search(app, q, None).await;
        assert_eq!(status, 200, "{q}: {body}");
        assert!(body.is_array(), "{q}: {body}");
        let (status, body) = app.call("faq_search", &[("q", q)]).await;
        assert_eq!(status, 200, "{q}: {body}");
    }
    let (_, body) = api_search(app, "", None).await;
    assert_eq!(body, Value::Array(vec![]));
    let (status, body) = api_search(app, "水", Some("1000")).await;
    assert_eq!(status, 200);
    assert!(body.as_array().unwrap().len() <= 50);
    let (status, body) = api_search(app, "水", Some("abc")).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["field"], "limit");

    let page = app
        .client
        .get(format!(
            "{}/faq/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("<script>alert(1)"),
        "the query is escaped on the page"
    );
}

async fn counts(app: &TestApp, slug: &str) -> (i64, i64) {
    let row = sqlx::query("SELECT helpful_yes, helpful_no FROM faq_articles WHERE slug = $1")
        .bind(slug)
        .fetch_one(app.pool())
        .await
        .unwrap();
    (row.get::<i64, _>(0), row.get::<i64, _>(1))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vote_counts_once_per_visit_and_can_change() {
    on_every_engine!(votes);
}

async fn votes(app: &TestApp) {
    let slug = "lift-entrapment";
    // Counted from the demo's year of answers.
    let (yes, no) = counts(app, slug).await;
    let owner = app.new_visitor();
    let vote = |helpful: &'static str, comment: &'static str| {
        let owner = owner.clone();
        async move {
            call_with(
                &owner,
                &app.base,
                "faq_vote",
                &[("slug", slug), ("helpful", helpful), ("comment", comment)],
            )
            .await
        }
    };
    let (status, body) = vote("yes", "").await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = vote("yes", "").await;
    assert_eq!(status, 200);
    assert_eq!(counts(app, slug).await, (yes + 1, no), "one vote per visit");
    let (status, _) = vote("no", "<script>alert(1)</script>按钮在哪?").await;
    assert_eq!(status, 200);
    assert_eq!(
        counts(app, slug).await,
        (yes, no + 1),
        "a changed answer moves the vote"
    );
    let (status, _) = call_with(
        &app.new_visitor(),
        &app.base,
        "faq_vote",
        &[("slug", slug), ("helpful", "yes")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(counts(app, slug).await, (yes + 1, no + 1));

    let (status, body) = vote("maybe", "").await;
    assert_eq!(status, 422, "{body}");
    // A suggestion sent before any answer: asked for one, the text given back.
    let (status, body) = call_with(
        &app.new_visitor(),
        &app.base,
        "faq_vote",
        &[("slug", slug), ("helpful", ""), ("comment", "配张图吧")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["Validation"]["fields"]["helpful"].is_string(),
        "{body}"
    );
    assert_eq!(body["Validation"]["echo"]["comment"], "配张图吧");
    let long = "长".repeat(1001);
    let (status, body) = call_with(
        &owner,
        &app.base,
        "faq_vote",
        &[("slug", slug), ("helpful", "yes"), ("comment", &long)],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body["Validation"]["fields"]["comment"].is_string(),
        "{body}"
    );
    let (status, _) = call_with(
        &owner,
        &app.base,
        "faq_vote",
        &[("slug", "no-such-article"), ("helpful", "yes")],
    )
    .await;
    assert_eq!(status, 404);

    // Staff read the comment as text: escaped on the page.
    app.log_in("agent").await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM faq_articles WHERE slug = $1")
        .bind(slug)
        .fetch_one(app.pool())
        .await
        .unwrap();
    let (_, article) = app
        .call("load_staff_faq_article", &[("id", &id.to_string())])
        .await;
    assert_eq!(article["row"]["helpful_no"], no + 1, "{article}");
    assert_eq!(
        article["feedback"][1]["comment"], "<script>alert(1)</script>按钮在哪?",
        "{article}"
    );
    let html = app
        .client
        .get(format!("{}/staff/faq/{id}", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;按钮在哪?"),
        "escaped"
    );
    assert!(!html.contains("<script>alert(1)"));
}

/// An article form for `save_faq_article`.
fn article_form<'a>(title: &'a str, body: &'a str, slug: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("article[title]", title),
        ("article[slug]", slug),
        ("article[topic]", "repair"),
        ("article[complaint_category]", ""),
        ("article[tags]", "快递柜, 蜂巢"),
        ("article[summary]", "快递柜在哪里、怎么取件。"),
        ("article[body_md]", body),
    ]
}

async fn create_article(app: &TestApp, title: &str, body: &str, slug: &str) -> String {
    let (status, id) = app
        .call("save_faq_article", &article_form(title, body, slug))
        .await;
    assert_eq!(status, 200, "{id}");
    id.to_string()
}

async fn publish(app: &TestApp, id: &str, action: &str) {
    let (status, body) = app
        .call("set_faq_published", &[("id", id), ("action", action)])
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_article_is_found_at_once_and_a_draft_is_never_public() {
    on_every_engine!(publishing);
}

async fn publishing(app: &TestApp) {
    app.log_in("agent").await;
    let id = create_article(
        app,
        "蜂巢快递柜怎么取件",
        "## 位置\n\n蜂巢快递柜在南门岗亭旁。",
        "parcel-lockers",
    )
    .await;
    let visitor = app.new_visitor();
    let public = |path: &'static str| {
        let visitor = visitor.clone();
        async move {
            visitor
                .get(format!("{}{path}", app.base))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert!(
        top(app, "蜂巢", 5).await.is_empty(),
        "a draft is not searchable"
    );
    assert_eq!(
        public("/faq/parcel-lockers").await,
        404,
        "a draft has no public page"
    );
    let (status, _) = call_with(
        &visitor,
        &app.base,
        "load_faq_article",
        &[("slug", "parcel-lockers")],
    )
    .await;
    assert_eq!(status, 404);
    let (_, topic) = call_with(
        &visitor,
        &app.base,
        "load_faq_topic",
        &[("topic", "repair")],
    )
    .await;
    assert!(!topic.to_string().contains("parcel-lockers"));
    let (_, entries) = call_with(&visitor, &app.base, "faq_hint_entries", &[]).await;
    assert!(!entries.to_string().contains("蜂巢"));

    publish(app, &id, "publish").await;
    assert_eq!(
        top(app, "蜂巢", 5).await,
        ["parcel-lockers"],
        "found right away"
    );
    assert_eq!(
        top(app, "快递柜", 5).await.first().map(String::as_str),
        Some("parcel-lockers")
    );
    assert_eq!(public("/faq/parcel-lockers").await, 200);
    let (_, entries) = call_with(&visitor, &app.base, "faq_hint_entries", &[]).await;
    let entry = entries
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == "蜂巢快递柜怎么取件")
        .expect("a hint entry");
    assert!(
        entry["keywords"].as_str().unwrap().contains("快递柜"),
        "{entry}"
    );
    assert!(entries.as_array().unwrap().len() >= 40);

    // Editing a published article: search sees the new words, old ones go.
    let (_, article) = app.call("load_staff_faq_article", &[("id", &id)]).await;
    let revision = article["input"]["revision"].as_str().unwrap().to_owned();
    let mut form = article_form(
        "丰巢智能柜怎么取件",
        "## 位置\n\n智能柜在南门岗亭旁。",
        "parcel-lockers",
    );
    form.retain(|(k, _)| *k != "article[tags]");
    form.push(("article[tags]", "快递柜, 丰巢"));
    form.push(("id", &id));
    form.push(("article[revision]", &revision));
    let (status, body) = app.call("save_faq_article", &form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(top(app, "丰巢", 5).await, ["parcel-lockers"]);
    let (_, old) = app.call("faq_search", &[("q", "蜂巢")]).await;
    assert!(
        old["fuzzy"] == true || old["total"] == 0,
        "the old word no longer matches: {old}"
    );
    let (status, body) = app.call("save_faq_article", &form).await;
    assert_eq!(
        status, 409,
        "saving over a newer revision is refused: {body}"
    );
    let mut renamed = article_form("丰巢智能柜怎么取件", "## 位置\n\n智能柜在南门。", "lockers");
    renamed.push(("id", &id));
    let (status, body) = app.call("save_faq_article", &renamed).await;
    assert_eq!(status, 422, "a published URL stays: {body}");

    publish(app, &id, "unpublish").await;
    assert!(
        top(app, "丰巢", 5).await.is_empty(),
        "unpublished: gone from search"
    );
    assert_eq!(public("/faq/parcel-lockers").await, 404);
    let (_, article) = app.call("load_staff_faq_article", &[("id", &id)]).await;
    let notes: Vec<&str> = article["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["note"].as_str().unwrap())
        .collect();
    assert_eq!(
        notes,
        ["unpublished", "", "published", ""],
        "the history, newest first"
    );

    let (status, body) = app
        .call("save_faq_article", &article_form("短", "", "Bad Slug"))
        .await;
    assert_eq!(status, 422);
    for field in ["title", "body_md", "slug"] {
        assert!(
            body["Validation"]["fields"][field].is_string(),
            "{field}: {body}"
        );
    }
    let (status, _) = app
        .call(
            "save_faq_article",
            &article_form(
                "另一篇快递柜文章",
                "正文正文正文正文正文正文",
                "parcel-lockers",
            ),
        )
        .await;
    assert_eq!(status, 422, "slugs are unique");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_agents_and_administrators_author() {
    on_every_engine!(authors);
}

async fn authors(app: &TestApp) {
    let form = article_form("访客不能写文章", "正文正文正文正文正文正文", "");
    let calls: [(&str, Vec<(&str, &str)>); 5] = [
        ("staff_faq_list", vec![]),
        ("load_staff_faq_article", vec![("id", "1")]),
        ("save_faq_article", form.clone()),
        (
            "set_faq_published",
            vec![("id", "1"), ("action", "unpublish")],
        ),
        ("draft_faq_from_complaint", vec![("complaint_id", "1")]),
    ];
    let anonymous = app.new_visitor();
    for (endpoint, form) in &calls {
        let (status, _) = call_with(&anonymous, &app.base, endpoint, form).await;
        assert_eq!(status, 401, "anonymous {endpoint}");
    }
    app.log_in("repair").await;
    for (endpoint, form) in &calls {
        let (status, _) = app.call(endpoint, form).await;
        assert_eq!(status, 403, "a handler may not {endpoint}");
    }
    let published = app
        .count("SELECT COUNT(*) FROM faq_articles WHERE status = 'published'")
        .await;
    assert_eq!(
        published,
        app.count("SELECT COUNT(*) FROM faq_articles").await
    );
    app.log_in("admin").await;
    let (status, list) = app.call("staff_faq_list", &[]).await;
    assert_eq!(status, 200);
    assert!(list.as_array().unwrap().len() >= 40);
    let (_, drafts) = app.call("staff_faq_list", &[("status", "draft")]).await;
    assert_eq!(
        drafts,
        Value::Array(vec![]),
        "the seed articles are published"
    );
    let (_, lifts) = app.call("staff_faq_list", &[("q", "电梯")]).await;
    let titles: Vec<&str> = lifts
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert!(
        !titles.is_empty() && titles.iter().all(|t| t.contains("电梯")),
        "{titles:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn article_html_is_sanitised_and_titles_escaped() {
    on_every_engine!(sanitised);
}

async fn sanitised(app: &TestApp) {
    app.log_in("admin").await;
    let body = "## 安全\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n[点我](javascript:alert(1)) **正常内容**";
    let id = create_article(app, "标题<b>加粗</b>电梯安全", body, "unsafe-html").await;
    publish(app, &id, "publish").await;
    let html = app
        .new_visitor()
        .get(format!("{}/faq/unsafe-html", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<strong>正常内容</strong>"),
        "Markdown rendered"
    );
    assert!(
        !html.contains("alert('x')") && !html.contains("<script>alert"),
        "no script"
    );
    assert!(
        !html.contains("onerror") && !html.contains("javascript:alert"),
        "no handlers"
    );
    assert!(
        html.contains("标题&lt;b&gt;加粗&lt;/b&gt;电梯安全"),
        "the title is text"
    );
    let (_, hits) = api_search(app, "加粗", None).await;
    let hit = hits
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"].as_i64() == id.parse::<i64>().ok())
        .unwrap();
    assert!(
        !hit["snippet"].as_str().unwrap().contains("<script"),
        "{hit}"
    );
    let (_, preview) = app.call("preview_faq_markdown", &[("body_md", body)]).await;
    assert!(!preview.as_str().unwrap().contains("<script"), "{preview}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suggested_articles_that_end_a_visit_count_as_deflections() {
    on_every_engine!(deflections);
}

async fn deflections(app: &TestApp) {
    let slug = "planned-water-outage";
    // The demo's year of reading is there already: count from where it stands.
    let views_before: i64 = sqlx::query_scalar("SELECT views FROM faq_articles WHERE slug = $1")
        .bind(slug)
        .fetch_one(app.pool())
        .await
        .unwrap();
    let ours = "FROM faq_suggested_opens WHERE visit_key NOT LIKE 'demo-%'";
    let open = |visitor: reqwest::Client| async move {
        let (status, body) = call_with(
            &visitor,
            &app.base,
            "load_faq_article",
            &[("slug", slug), ("from", "complaint")],
        )
        .await;
        assert_eq!(status, 200, "{body}");
    };
    let helped = app.new_visitor();
    open(helped.clone()).await;
    // The form's suggestions link by id (`FaqEntry::id`): the same article, counted once.
    let id: i64 = sqlx::query_scalar("SELECT id FROM faq_articles WHERE slug = $1")
        .bind(slug)
        .fetch_one(app.pool())
        .await
        .unwrap();
    let (status, article) = call_with(
        &helped,
        &app.base,
        "load_faq_article",
        &[("slug", &id.to_string()), ("from", "complaint")],
    )
    .await;
    assert_eq!((status, article["slug"].as_str()), (200, Some(slug)));
    let filer = app.new_visitor();
    open(filer.clone()).await;
    let (status, _) = call_with(
        &filer,
        &app.base,
        "file_complaint",
        &crate::support::complaint_form(&[]),
    )
    .await;
    assert_eq!(status, 200);
    let reader = app.new_visitor();
    let (status, _) = call_with(&reader, &app.base, "load_faq_article", &[("slug", slug)]).await;
    assert_eq!(status, 200, "a plain read is a view, not a suggestion");

    // Reads are counted in memory and written in batches (never in the request path).
    app.running().faq.flush_reads().await.unwrap();
    let views: i64 = sqlx::query_scalar("SELECT views FROM faq_articles WHERE slug = $1")
        .bind(slug)
        .fetch_one(app.pool())
        .await
        .unwrap();
    assert_eq!(views - views_before, 4);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) {ours} AND outcome = 'filed'"))
            .await,
        1,
        "filing in the same visit cancels"
    );

    app.log_in("agent").await;
    let demo_deflections: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM faq_suggested_opens o JOIN faq_articles a ON a.id = o.article_id
         WHERE a.slug = $1 AND o.outcome = 'deflected'",
    )
    .bind(slug)
    .fetch_one(app.pool())
    .await
    .unwrap();
    let row = |list: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|r| r["slug"] == slug)
            .cloned()
            .unwrap()
    };
    let (_, list) = app.call("staff_faq_list", &[]).await;
    assert_eq!(
        (
            row(&list)["deflections"].clone(),
            row(&list)["pending_opens"].clone()
        ),
        (Value::from(demo_deflections), Value::from(1)),
        "within the window the open is pending"
    );
    let three_hours_ago = chrono::Utc::now().timestamp_millis() - 3 * 3600 * 1000;
    sqlx::query("UPDATE faq_suggested_opens SET opened_at = $1 WHERE outcome IS NULL")
        .bind(three_hours_ago)
        .execute(app.pool())
        .await
        .unwrap();
    let (_, list) = app.call("staff_faq_list", &[]).await;
    assert_eq!(
        row(&list)["deflections"],
        demo_deflections + 1,
        "{}",
        row(&list)
    );
    assert_eq!(row(&list)["pending_opens"], 0);
    let (_, list) = app.call("staff_faq_list", &[]).await;
    assert_eq!(
        row(&list)["deflections"],
        demo_deflections + 1,
        "settled once"
    );

    // Staff opening a suggestion are not owners helped.
    let (status, _) = app
        .call("load_faq_article", &[("slug", slug), ("from", "complaint")])
        .await;
    assert_eq!(status, 200);
    app.running().faq.flush_reads().await.unwrap();
    assert_eq!(app.count(&format!("SELECT COUNT(*) {ours}")).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resolved_complaint_becomes_a_draft_without_the_owners_personal_data() {
    on_every_engine!(draft_from_case);
}

async fn draft_from_case(app: &TestApp) {
    let (id, code, _) = file(
        app,
        &[(
            "intake[description]",
            "我是王先生,住2单元1501,厨房水管漏水,电话13812345678,查询码请回复我",
        )],
    )
    .await;
    app.log_in("agent").await;
    let (status, body) = app
        .call("draft_faq_from_complaint", &[("complaint_id", &id)])
        .await;
    assert_eq!(status, 409, "an open complaint is not a case yet: {body}");

    app.log_in("supervisor").await;
    let (_, departments) = app.call("list_departments", &[]).await;
    let repair = departments
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "repair")
        .unwrap()
        .clone();
    let (department, handler) = (
        repair["id"].to_string(),
        repair["handlers"][0]["id"].to_string(),
    );
    let reply = format!("王先生您好,查询码{code}的问题我们已收到,师傅会联系13812345678");
    for step in [
        vec![("action", "judge_valid")],
        vec![("action", "reply"), ("body", reply.as_str())],
        vec![
            ("action", "assign"),
            ("department_id", &department),
            ("handler_id", &handler),
        ],
        vec![("action", "start_investigation")],
        vec![
            ("action", "propose_solution"),
            ("plan", "更换破损的水管接头"),
        ],
        vec![("action", "resolve"), ("body", "接头已更换,已试水无渗漏")],
    ] {
        let (status, body) = app.step(&id, &step).await;
        assert_eq!(status, 200, "{step:?}: {body}");
    }
    let (status, body) = app
        .call("draft_faq_from_complaint", &[("complaint_id", &id)])
        .await;
    assert_eq!(status, 403, "supervisors do not author: {body}");

    app.log_in("agent").await;
    let (status, article_id) = app
        .call("draft_faq_from_complaint", &[("complaint_id", &id)])
        .await;
    assert_eq!(status, 200, "{article_id}");
    let article_id = article_id.to_string();
    let (_, again) = app
        .call("draft_faq_from_complaint", &[("complaint_id", &id)])
        .await;
    assert_eq!(again.to_string(), article_id, "one draft per case");

    let (_, article) = app
        .call("load_staff_faq_article", &[("id", &article_id)])
        .await;
    assert_eq!(article["row"]["status"], "draft");
    assert_eq!(article["source_complaint"][1], code.as_str());
    let text = format!(
        "{} {} {}",
        article["input"]["title"], article["input"]["summary"], article["input"]["body_md"]
    );
    for personal in ["王先生", "1501", "13812345678", code.as_str()] {
        assert!(!text.contains(personal), "{personal} removed: {text}");
    }
    for kept in [
        "厨房水管漏水",
        "更换破损的水管接头",
        "接头已更换",
        "师傅会联系",
    ] {
        assert!(text.contains(kept), "{kept} kept: {text}");
    }
    let found = top(app, "厨房水管漏水", 10).await;
    assert!(
        !found.iter().any(|s| s.starts_with("case-")),
        "a draft is not public: {found:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_articles_load_once_in_every_mode_and_pages_render() {
    on_every_engine!(seed_and_pages);
}

async fn seed_and_pages(app: &TestApp) {
    let count = app.count("SELECT COUNT(*) FROM faq_articles").await;
    assert!(count >= 40, "{count}");
    // A second start on the same database adds nothing and keeps staff edits.
    sqlx::query("UPDATE faq_articles SET title = '改过的标题' WHERE slug = 'gas-leak'")
        .execute(app.pool())
        .await
        .unwrap();
    let store = server::store::faq::FaqStore::open(
        app.running().db.clone(),
        server::store::faq::FaqSettings::default(),
    )
    .await
    .unwrap();
    drop(store);
    assert_eq!(app.count("SELECT COUNT(*) FROM faq_articles").await, count);
    assert_eq!(app.count("SELECT COUNT(*) FROM faq_revisions").await, count);
    let title: String =
        sqlx::query_scalar("SELECT title FROM faq_articles WHERE slug = 'gas-leak'")
            .fetch_one(app.pool())
            .await
            .unwrap();
    assert_eq!(title, "改过的标题");

    let visitor = app.new_visitor();
    for (path, expected, status) in [
        ("/faq", "大家都在看", 200),
        ("/faq/topic/repair", "报修维修", 200),
        ("/faq/search?q=%E6%BC%8F%E6%B0%B4", "<mark>漏水</mark>", 200),
        ("/faq/lift-entrapment", "这篇文章有帮助吗？", 200),
        ("/faq/topic/nope", "页面不存在", 404),
        ("/faq/no-such-article", "页面不存在", 404),
    ] {
        let response = visitor
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains(expected), "{path} shows {expected}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_an_article_writes_nothing_until_the_counted_reads_are_flushed() {
    on_every_engine!(reads_in_batches);
}

async fn reads_in_batches(app: &TestApp) {
    let slug = "planned-water-outage";
    let counters = "SELECT CAST(SUM(views) AS BIGINT)
        + (SELECT CAST(COALESCE(SUM(reads), 0) AS BIGINT) FROM faq_monthly_reads) FROM faq_articles";
    let before = app.count(counters).await;
    for _ in 0..5 {
        let (status, page) = app.get(&format!("/faq/{slug}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("停水"), "the article is served");
    }
    let (status, _) = call_with(
        &app.new_visitor(),
        &app.base,
        "load_faq_article",
        &[("slug", slug), ("from", "complaint")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(app.count(counters).await, before, "no read wrote");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM faq_suggested_opens WHERE visit_key NOT LIKE 'demo-%'")
            .await,
        0
    );
    // Six reads: six views and six reads of this month, and the suggested open.
    app.running().faq.flush_reads().await.unwrap();
    assert_eq!(app.count(counters).await, before + 12);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM faq_suggested_opens WHERE visit_key NOT LIKE 'demo-%'")
            .await,
        1
    );
    // Flushed once: a second flush adds nothing.
    app.running().faq.flush_reads().await.unwrap();
    assert_eq!(app.count(counters).await, before + 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn knowledge_base_pages_are_kept_rendered_and_dropped_when_an_article_is_published() {
    on_every_engine!(kept_pages);
}

/// The knowledge base's pages are the same for every anonymous visitor: served from memory,
/// compressed once, under a policy naming no one response's nonce; publishing changes them
/// at once; a logged-in visitor's pages are rendered for them.
async fn kept_pages(app: &TestApp) {
    let visitor = app.new_visitor();
    let get = |path: &'static str, encoding: Option<&'static str>| {
        let visitor = visitor.clone();
        async move {
            let mut request = visitor.get(format!("{}{path}", app.base));
            if let Some(encoding) = encoding {
                request = request.header(reqwest::header::ACCEPT_ENCODING, encoding);
            }
            let response = request.send().await.unwrap();
            let headers = response.headers().clone();
            let body = response.bytes().await.unwrap();
            (headers, body)
        }
    };
    let (first, first_body) = get("/faq", None).await;
    let (second, second_body) = get("/faq", None).await;
    assert_eq!(first_body, second_body, "the same page for every visitor");
    for headers in [&first, &second] {
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(!csp.contains("nonce-"), "no nonce shared by many: {csp}");
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert_eq!(
            headers["cache-control"], "no-store",
            "kept here, never by the browser"
        );
    }
    let (br, br_body) = get("/faq", Some("br, gzip")).await;
    assert_eq!(br["content-encoding"], "br");
    assert!(
        br_body.len() * 3 < first_body.len(),
        "compressed once, kept compressed"
    );
    let (gzip, _) = get("/faq", Some("gzip")).await;
    assert_eq!(gzip["content-encoding"], "gzip");

    // A search no article answers yet, kept; then an article that answers it is published.
    let path = "/faq/search?q=%E8%9C%82%E5%B7%A2%E6%9F%9C";
    let before = String::from_utf8(get(path, None).await.1.to_vec()).unwrap();
    assert!(!before.contains("parcel-lockers"));
    app.log_in("agent").await;
    let id = create_article(
        app,
        "蜂巢柜怎么取件",
        "## 位置\n\n蜂巢柜在南门岗亭旁。",
        "parcel-lockers",
    )
    .await;
    publish(app, &id, "publish").await;
    let after = String::from_utf8(get(path, None).await.1.to_vec()).unwrap();
    assert!(
        after.contains("parcel-lockers"),
        "published: the kept search is dropped"
    );

    // The agent, logged in, sees the knowledge base rendered for them (their name, log out).
    let (status, page) = app.get("/faq").await;
    assert_eq!(status, 200);
    assert!(page.contains("退出"), "the agent's own header");
    let csp_for_agent = app
        .client
        .get(format!("{}/faq", app.base))
        .send()
        .await
        .unwrap()
        .headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp_for_agent.contains("nonce-"),
        "rendered for this response"
    );
}
