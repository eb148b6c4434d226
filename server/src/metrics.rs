//! Prometheus metrics for operators, served on an address of their own
//! (`PORTAL_METRICS_ADDR`, e.g. `127.0.0.1:9100`, reached by the scraper only; not served
//! when unset) so the public site never shows them:
//!
//! - `portal_http_requests_total{method,route,status}` and
//!   `portal_http_request_duration_seconds{method,route}` (a histogram): every response,
//!   by the router's pattern (`/live/track/{code}`), never the address itself;
//! - `portal_live_streams_open`, `portal_live_topics`: event streams of this instance;
//! - `portal_outbox_messages{status}`: messages to owners and staff by delivery state
//!   (`queued` plus `retrying` is the queue's depth; `dead` gave up);
//! - `portal_sla_ticks_total`, `portal_sla_breaches_found_total` (breached clocks
//!   escalated, overdue stages and revisits), `portal_sla_warnings_total`: the SLA job on
//!   this instance (with several instances one ticks at a time, so sum over instances);
//! - `portal_db_connections{state="idle|in_use"}`: the database pool.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::db::Db;
use crate::live::LiveHub;

const DURATION: &str = "portal_http_request_duration_seconds";

/// The process's recorder (one per process, whatever number of portals a test starts).
pub fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full(DURATION.to_owned()),
                    &[
                        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                    ],
                )
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            Some(handle)
        })
        .as_ref()
}

/// Counts and times every response.
pub async fn record(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request.extensions().get::<MatchedPath>().map_or_else(
        || {
            if request.uri().path().starts_with("/pkg/") {
                "/pkg/*".to_owned()
            } else {
                "unmatched".to_owned()
            }
        },
        |m| m.as_str().to_owned(),
    );
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("portal_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status).increment(1);
    metrics::histogram!(DURATION, "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// What a scrape reads at the moment it asks.
#[derive(Clone)]
pub struct Sources {
    pub db: Db,
    pub live: Arc<dyn LiveHub>,
}

async fn scrape(State(sources): State<Sources>) -> Response {
    let Some(handle) = handle() else {
        return (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "metrics are off",
        )
            .into_response();
    };
    let stats = sources.live.stats();
    metrics::gauge!("portal_live_streams_open").set(stats.subscribers as f64);
    metrics::gauge!("portal_live_topics").set(stats.topics as f64);
    let pool = &sources.db.pool;
    let idle = pool.num_idle() as f64;
    metrics::gauge!("portal_db_connections", "state" => "idle").set(idle);
    metrics::gauge!("portal_db_connections", "state" => "in_use")
        .set(f64::from(pool.size()) - idle);
    match crate::store::outbox::counts(pool).await {
        Ok(counts) => {
            for status in [
                "queued",
                "retrying",
                "sending",
                "sent",
                "logged",
                "dead",
                "cancelled",
            ] {
                let n = counts
                    .iter()
                    .find(|(s, _)| s == status)
                    .map_or(0, |(_, n)| *n);
                metrics::gauge!("portal_outbox_messages", "status" => status).set(n as f64);
            }
        }
        Err(error) => tracing::warn!(%error, "metrics: cannot count the outbox"),
    }
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        handle.render(),
    )
        .into_response()
}

/// The metrics address's router: `GET /metrics`.
pub fn router(sources: Sources) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(sources)
}
