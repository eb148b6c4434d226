//! English that is really second: the knowledge base in English (articles, search, the
//! "only in Chinese" case), the category hint on English descriptions, and system texts on
//! the timeline in English.

use serde_json::Value;

use crate::on_every_engine;
use crate::support::TestApp;

/// GETs `path` as an anonymous visitor reading in `lang`.
async fn page(app: &TestApp, path: &str, lang: &str) -> (u16, String) {
    let response = app
        .new_visitor()
        .get(format!("{}{path}", app.base))
        .header("accept-language", lang)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

fn english_title(slug: &str) -> String {
    let english = server::faq::seed::translations().expect("English seed");
    english
        .into_iter()
        .find(|t| t.slug == slug)
        .unwrap_or_else(|| panic!("{slug} has an English version"))
        .title
}

fn chinese_title(slug: &str) -> String {
    server::faq::seed::articles()
        .expect("seed")
        .into_iter()
        .find(|a| a.slug == slug)
        .unwrap_or_else(|| panic!("{slug} is a seed article"))
        .title
}

/// Text as the page escapes it.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&#39;")
        .replace('"', "&quot;")
}

fn contains_text(html: &str, text: &str) -> bool {
    html.contains(text)
        || html.contains(&escaped(text))
        || html.contains(&text.replace('\'', "&#x27;"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_knowledge_base_reads_and_searches_in_english() {
    on_every_engine!(knowledge_base_in_english);
}

async fn knowledge_base_in_english(app: &TestApp) {
    // Every seed article is there in English.
    let loaded = app
        .count("SELECT COUNT(*) FROM faq_translations WHERE lang = 'en'")
        .await;
    let seeds = server::faq::seed::articles().unwrap().len() as i64;
    assert_eq!(
        loaded, seeds,
        "every seed article has its English version loaded"
    );

    let (status, html) = page(app, "/faq/lift-entrapment", "en").await;
    assert_eq!(status, 200);
    assert!(
        contains_text(&html, &english_title("lift-entrapment")),
        "English title"
    );
    assert!(
        !html.contains(&chinese_title("lift-entrapment")),
        "no Chinese title"
    );
    assert!(
        !html.contains("only-in-chinese"),
        "it has an English version"
    );

    // Words owners type find the English versions, highlighted.
    for (query, slug) in [
        ("leak", "ceiling-leak-from-upstairs"),
        ("parking", "visitor-parking"),
    ] {
        let (status, html) = page(app, &format!("/faq/search?q={query}"), "en").await;
        assert_eq!(status, 200);
        assert!(html.contains("<mark>"), "{query}: highlighted");
        assert!(
            contains_text(&html, &english_title(slug))
                || html.contains(&format!("data-slug=\"{slug}\"")),
            "{query} finds {slug}"
        );
        assert!(
            html.contains(&format!("data-slug=\"{slug}\"")),
            "{query} finds {slug}"
        );
    }
    // Chinese typed on an English page searches the Chinese articles; Latin letters on a
    // Chinese page that found nothing in Chinese search the English versions.
    let (_, html) = page(app, "/faq/search?q=%E6%BC%8F%E6%B0%B4", "en").await;
    assert!(
        html.contains("<mark>漏水</mark>"),
        "漏水 on an English page"
    );
    let (_, html) = page(app, "/faq/search?q=leak", "zh-CN").await;
    assert!(
        html.contains("data-slug=\"ceiling-leak-from-upstairs\""),
        "leak on a Chinese page"
    );

    // The home page lists the English titles.
    let (_, html) = page(app, "/faq", "en").await;
    let popular: Vec<String> = server::faq::seed::articles()
        .unwrap()
        .iter()
        .map(|a| a.title.clone())
        .collect();
    assert!(
        popular.iter().all(|title| !html.contains(title.as_str())),
        "no Chinese article titles on the English FAQ home"
    );

    // An article written by staff in Chinese only is shown in Chinese, and says so.
    app.log_in("agent").await;
    let (status, body) = app
        .call(
            "save_faq_article",
            &[
                ("article[title]", "快递柜在哪里取件？"),
                ("article[slug]", "parcel-lockers"),
                ("article[topic]", "neighbourhood"),
                ("article[complaint_category]", ""),
                ("article[tags]", "快递, 取件"),
                ("article[summary]", "快递柜在南门岗亭旁，24小时可取件。"),
                (
                    "article[body_md]",
                    "## 位置\n\n快递柜在南门岗亭旁，**24小时**可取件。",
                ),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let id = body.to_string();
    let (status, body) = app
        .call(
            "set_faq_published",
            &[("id", id.as_str()), ("action", "publish")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, html) = page(app, "/faq/parcel-lockers", "en").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("data-testid=\"only-in-chinese\""),
        "says it is in Chinese"
    );
    assert!(html.contains("lang=\"zh-CN\""), "marks the Chinese text");
    assert!(html.contains("快递柜在哪里取件？"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hint_reads_english_descriptions() {
    on_every_engine!(hint_in_english);
}

async fn hint_in_english(app: &TestApp) {
    for (text, expected) in [
        (
            "The receptionist was rude to me and hung up when I asked about my bill",
            "service_conduct",
        ),
        (
            "The plumber came once to fix the blocked kitchen drain and never came back, it is still not fixed",
            "repair_service",
        ),
        (
            "Rubbish piles up in the corridor for days and the cleaning is poor",
            "property_management",
        ),
    ] {
        let response = app
            .client
            .post(format!("{}/api/v1/hints", app.base))
            .header("content-type", "application/json")
            .header("accept-language", "en")
            .body(serde_json::json!({ "text": text }).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["category"], expected, "{text}: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_who_filed_in_english_is_answered_in_english() {
    on_every_engine!(owner_in_english);
}

async fn owner_in_english(app: &TestApp) {
    let english = app.visitor_in("en");
    let (status, receipt) = crate::support::call_with(
        &english,
        &app.base,
        "file_complaint",
        &crate::support::complaint_form(&[]),
    )
    .await;
    assert_eq!(status, 200, "{receipt}");
    let id = receipt["complaint_id"].as_i64().unwrap().to_string();
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM complaints WHERE id = {id} AND lang = 'en'"
        ))
        .await,
        1
    );

    app.log_in("admin").await;
    let (status, body) = app
        .call(
            "save_canned_reply",
            &[
                ("reply[id]", ""),
                ("reply[title]", "上门时间"),
                ("reply[body]", "{称呼}您好，师傅明天上午上门。"),
                (
                    "reply[body_en]",
                    "Dear {称呼}, a technician will visit tomorrow morning.",
                ),
                ("reply[active]", "on"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, complaint) = app.call("load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(status, 200, "{complaint}");
    assert_eq!(complaint["owner_lang"], "en");
    let canned = complaint["canned_replies"].as_array().unwrap();
    let visit = canned
        .iter()
        .find(|c| c["title"] == "上门时间")
        .expect("saved");
    assert_eq!(
        visit["body_en"],
        "Dear {称呼}, a technician will visit tomorrow morning."
    );
}
