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

