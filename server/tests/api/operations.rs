//! What operators rely on: `/readyz` says when an instance may take traffic, every
//! response carries a request id, and `/metrics` (on its own address) counts requests by
//! route, never by the address asked for.

use crate::support::{Engine, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_request_ids_and_metrics() {
    for engine in crate::support::engines() {
        let app = TestApp::spawn_with(engine, |c| {
            c.metrics_addr = Some("127.0.0.1:0".parse().expect("addr"))
        })
        .await;
        operations(&app, engine).await;
        app.finish().await;
    }
}

async fn operations(app: &TestApp, engine: Engine) {
    let (status, body) = app.get("/readyz").await;
    assert_eq!((status, body.as_str()), (200, "ready"));
    let (status, _) = app.get("/healthz").await;
    assert_eq!(status, 200);

    // A request id is drawn, or the proxy's is kept, and returned either way.
    let drawn = app
        .client
        .get(format!("{}/faq", app.base))
        .send()
        .await
        .expect("faq");
    let id = drawn.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(id.len(), 36, "{id}");
    let kept = app
        .client
        .get(format!("{}/healthz", app.base))
        .header("x-request-id", "proxy-42")
        .send()
        .await
        .expect("healthz");
    assert_eq!(kept.headers()["x-request-id"], "proxy-42");

    // Metrics: by the route's pattern; the tracking code asked for is not in them.
    let (status, _) = app.get("/track/WXYZ-2345").await;
    assert!(status == 200 || status == 404, "{status}");
    let metrics_addr = app.running().metrics_addr.expect("metrics are served");
    let text = reqwest::get(format!("http://{metrics_addr}/metrics"))
        .await
        .expect("scrape")
        .text()
        .await
        .expect("text");
    assert!(
        text.contains(r#"portal_http_requests_total{method="GET",route="/readyz",status="200"}"#),
        "{text}"
    );
    assert!(text.contains(r#"route="/track/{code}""#), "{text}");
    assert!(!text.contains("WXYZ-2345"));
    assert!(text.contains("portal_http_request_duration_seconds_bucket"));
    assert!(text.contains("portal_live_streams_open"));
    assert!(text.contains(r#"portal_outbox_messages{status="queued"}"#));
    assert!(text.contains(r#"portal_db_connections{state="idle"}"#));
    // The site itself does not serve them.
    let (status, _) = app.get("/metrics").await;
    assert_eq!(status, 404);

    // A database behind this version's schema is not ready: the balancer sends no traffic.
    let newest: i64 = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(app.pool())
        .await
        .expect("migrations");
    sqlx::query("UPDATE _sqlx_migrations SET success = $1 WHERE version = $2")
        .bind(false)
        .bind(newest)
        .execute(app.pool())
        .await
        .expect("pretend the newest migration is missing");
    let (status, body) = app.get("/readyz").await;
    assert_eq!(status, 503, "{engine:?}: {body}");
    assert!(body.contains("migrations pending"), "{body}");
    sqlx::query("UPDATE _sqlx_migrations SET success = $1 WHERE version = $2")
        .bind(true)
        .bind(newest)
        .execute(app.pool())
        .await
        .expect("restore");
    assert_eq!(app.get("/readyz").await.0, 200);
}

/// The site's files: served straight from memory with an ETag (revalidated: 304), under a
/// content-hashed name cacheable for a year (the pages link those), and compressed as the
/// browser accepts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn site_files_are_cacheable_compressed_and_hashed() {
    let css = "body { color: #123456; }\n".repeat(200);
    let app = TestApp::spawn_with(Engine::Sqlite, |c| {
        let pkg = std::path::Path::new(&c.site_root).join("pkg");
        std::fs::create_dir_all(&pkg).expect("pkg");
        std::fs::write(pkg.join("portal.css"), &css).expect("css");
        std::fs::write(
            pkg.join("complaint_form.js"),
            "export default function init() {}\n".repeat(50),
        )
        .expect("js");
        std::fs::write(pkg.join("complaint_form_bg.wasm"), b"\0asm\x01\0\0\0").expect("wasm");
    })
    .await;
    let plain = reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .build()
        .expect("client");
    let url = format!("{}/pkg/portal.css", app.base);
    let first = plain.get(&url).send().await.expect("css");
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["content-type"], "text/css; charset=utf-8");
    assert_eq!(first.headers()["cache-control"], "no-cache");
    let etag = first.headers()["etag"].to_str().expect("etag").to_owned();
    assert_eq!(first.text().await.expect("text"), css);
    let again = plain
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("revalidate");
    assert_eq!(again.status(), 304);

    // Compressed as accepted.
    for coding in ["br", "gzip"] {
        let packed = plain
            .get(&url)
            .header("accept-encoding", coding)
            .send()
            .await
            .expect("compressed");
        assert_eq!(packed.headers()["content-encoding"], coding);
        assert_eq!(packed.headers()["vary"], "accept-encoding");
        assert!(packed.bytes().await.expect("bytes").len() < css.len() / 4);
    }

    // The pages link the hashed names, which are immutable.
    let (_, page) = app.get("/faq").await;
    let start = page.find("/pkg/portal.").expect("a stylesheet link");
    let href: String = page[start..].chars().take_while(|c| *c != '"').collect();
    assert!(
        href.ends_with(".css") && href != "/pkg/portal.css",
        "{href}"
    );
    let hashed = plain
        .get(format!("{}{href}", app.base))
        .send()
        .await
        .expect("hashed");
    assert_eq!(hashed.status(), 200);
    assert_eq!(
        hashed.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(hashed.headers()["etag"].to_str().expect("etag"), etag);
    let (_, form) = app.get("/complaints/new").await;
    assert!(
        !form.contains("/pkg/complaint_form.js'"),
        "the module by its hashed name"
    );
    assert!(
        form.contains("/pkg/complaint_form.") && form.contains("_bg."),
        "{}",
        &form[..form.len().min(2000)]
    );
    assert_eq!(
        plain
            .get(format!("{}/pkg/nothing.js", app.base))
            .send()
            .await
            .expect("404")
            .status(),
        404
    );
    app.finish().await;
}
