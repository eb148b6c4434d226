//! Benchmark of the outbox: messages queued in the database, delivered by the real worker
//! to a webhook receiver on loopback that checks every signature.
//!
//! ```sh
//! cargo run --release -p server --example bench_outbox                      # SQLite, 10,000 messages
//! cargo run --release -p server --example bench_outbox -- 10000 500 postgres://postgres@127.0.0.1:5432/test
//! ```
//!
//! Arguments: messages (10,000), the steady rate in messages per second (500), a database
//! URL (a throwaway SQLite file by default). Two runs on one server:
//!
//! 1. **backlog**: all messages committed in one transaction, then delivered: throughput,
//!    and the delay from that commit to each delivery;
//! 2. **steady**: the same number committed ten per transaction at the given rate, as
//!    changes arrive in a busy hour: the delay from each message's commit to the receiver
//!    reading it (p50, p99, max).
//!
//! Rows are written the way the store writes them (`store::outbox`), so the worker's
//! claiming, signing, sending and settling are what is measured.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;

type AnyError = Box<dyn std::error::Error + Send + Sync>;

const SECRET: &str = "bench-outbox-secret-0123456789";

#[derive(Default)]
struct Received {
    /// Arrival of each sequence number (the first one; repeats are counted apart).
    at: HashMap<u64, Instant>,
    repeats: usize,
    bad_signatures: usize,
}

fn main() -> Result<(), AnyError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count: u64 = args.first().map_or(Ok(10_000), |a| a.parse())?;
    let rate: u64 = args.get(1).map_or(Ok(500), |a| a.parse())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(bench(count, rate.max(1), args.get(2).cloned()))
}

async fn receive(
    State(received): State<Arc<Mutex<Received>>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let now = Instant::now();
    let signed = headers
        .get("x-portal-signature")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|s| s == server::outbox::channels::signature(SECRET, &body));
    let seq = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("seq").and_then(serde_json::Value::as_u64));
    let mut received = received.lock().unwrap_or_else(|p| p.into_inner());
    if !signed {
        received.bad_signatures += 1;
    }
    if let Some(seq) = seq {
        match received.at.entry(seq) {
            std::collections::hash_map::Entry::Occupied(_) => received.repeats += 1,
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(now);
            }
        }
    }
    StatusCode::NO_CONTENT
}

async fn bench(count: u64, rate: u64, url: Option<String>) -> Result<(), AnyError> {
    let received = Arc::new(Mutex::new(Received::default()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let receiver = format!("http://{}/hook", listener.local_addr()?);
    let app = axum::Router::new()
        .route("/hook", post(receive))
        .with_state(received.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = tempfile::tempdir()?;
    let database_url = url
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").to_string_lossy()));
    let mut outbox = server::outbox::Settings {
        webhook: Some((receiver.clone(), SECRET.to_owned())),
        ..Default::default()
    };
    // A long poll: deliveries start from the committing transaction's wake-up.
    outbox.poll = Duration::from_secs(5);
    let config = server::config::Config {
        addr: "127.0.0.1:0".parse()?,
        database_url: database_url.clone(),
        demo: false,
        demo_history: server::seed::history::COMPLAINTS,
        site_root: "target/site".to_owned(),
        cookie_secure: false,
        policy_file: None,
        sla_tick_seconds: 3600,
        faq_flush_seconds: 60,
        public_url: None,
        rate_limits: server::http::limits::RateLimits::OFF,
        trusted_proxies: Vec::new(),
        outbox,
        metrics_addr: None,
        quotas: Default::default(),
        live_limits: Default::default(),
        files: None,
    };
    let running = server::start(config).await?;
    let db = running.db.clone();
    let endpoint: i64 =
        sqlx::query_scalar("SELECT id FROM webhook_endpoints WHERE from_env = 1 AND active = 1")
            .fetch_one(&db.pool)
            .await?;
    let engine = if database_url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "outbox benchmark: {count} webhook messages, {engine}, receiver {receiver}, worker batch {} × {} in flight",
        server::outbox::Settings::default().batch,
        server::outbox::Settings::default().concurrency
    );

    let started = server::store::to_ms(chrono::Utc::now());
    // 1. A backlog committed at once.
    let committed = enqueue(&db, endpoint, 0..count, &receiver).await?;
    server::outbox::WAKE.notify_one();
    wait_for(&received, count, Duration::from_secs(600)).await?;
    let delays = {
        let r = received.lock().unwrap_or_else(|p| p.into_inner());
        (0..count)
            .filter_map(|seq| r.at.get(&seq).map(|at| at.duration_since(committed)))
            .collect::<Vec<_>>()
    };
    let last = delays.iter().max().copied().unwrap_or_default();
    println!(
        "backlog: {count} delivered in {:.2} s = {:.0} messages/s; commit→delivery p50 {}, p99 {}",
        last.as_secs_f64(),
        count as f64 / last.as_secs_f64().max(1e-9),
        ms(percentile(&delays, 0.50)),
        ms(percentile(&delays, 0.99)),
    );

    // 2. A steady stream, ten messages per transaction.
    let per_tx = 10;
    let interval = Duration::from_secs_f64(per_tx as f64 / rate as f64);
    let start = Instant::now();
    let mut commits: HashMap<u64, Instant> = HashMap::new();
    let mut next = count;
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    while next < 2 * count {
        tick.tick().await;
        let end = (next + per_tx).min(2 * count);
        let at = enqueue(&db, endpoint, next..end, &receiver).await?;
        server::outbox::WAKE.notify_one();
        for seq in next..end {
            commits.insert(seq, at);
        }
        next = end;
    }
    let offered = start.elapsed();
    wait_for(&received, 2 * count, Duration::from_secs(600)).await?;
    let (mut delays, repeats, bad) = {
        let r = received.lock().unwrap_or_else(|p| p.into_inner());
        let delays = commits
            .iter()
            .filter_map(|(seq, at)| r.at.get(seq).map(|got| got.duration_since(*at)))
            .collect::<Vec<_>>();
        (delays, r.repeats, r.bad_signatures)
    };
    delays.sort();
    println!(
        "steady: {count} at {rate}/s offered ({:.0}/s achieved), commit→delivery p50 {}, p99 {}, max {}",
        count as f64 / offered.as_secs_f64().max(1e-9),
        ms(percentile(&delays, 0.50)),
        ms(percentile(&delays, 0.99)),
        ms(delays.last().copied().unwrap_or_default()),
    );
    let stuck: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM deliveries WHERE endpoint_id = $1 AND created_at >= $2 AND status <> 'sent'",
    )
    .bind(endpoint)
    .bind(started)
    .fetch_one(&db.pool)
    .await?;
    println!("repeats {repeats}, bad signatures {bad}, not settled as sent {stuck}");
    running.stop().await?;
    Ok(())
}

/// Commits the messages `seqs` in one transaction; returns when the commit returned.
async fn enqueue(
    db: &server::db::Db,
    endpoint: i64,
    seqs: std::ops::Range<u64>,
    receiver: &str,
) -> Result<Instant, AnyError> {
    let now = chrono::Utc::now();
    let ms = server::store::to_ms(now);
    let mut tx = db.begin().await?;
    for seq in seqs {
        let key = server::store::outbox::new_key();
        let payload = serde_json::json!({
            "event": "complaint.status_changed",
            "id": key,
            "occurred_at": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "complaint": { "tracking_code": format!("BENCH{seq}"), "category": "repair_service", "level": 3, "status": "accepted" },
            "change": { "from": "submitted", "to": "accepted" },
            "seq": seq,
        });
        sqlx::query(
            "INSERT INTO deliveries (delivery_key, channel, kind, recipient, recipient_shown,
                                     endpoint_id, payload, next_at, created_at)
             VALUES ($1, 'webhook', 'complaint.status_changed', $2, $3, $4, $5, $6, $6)",
        )
        .bind(&key)
        .bind(endpoint.to_string())
        .bind(receiver)
        .bind(endpoint)
        .bind(payload.to_string())
        .bind(ms)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Instant::now())
}

async fn wait_for(
    received: &Arc<Mutex<Received>>,
    count: u64,
    limit: Duration,
) -> Result<(), AnyError> {
    let start = Instant::now();
    loop {
        let got = received.lock().unwrap_or_else(|p| p.into_inner()).at.len() as u64;
        if got >= count {
            return Ok(());
        }
        if start.elapsed() > limit {
            return Err(format!("only {got} of {count} messages arrived in {limit:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn percentile(sorted_or_not: &[Duration], p: f64) -> Duration {
    let mut v = sorted_or_not.to_vec();
    v.sort();
    if v.is_empty() {
        return Duration::ZERO;
    }
    let index = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[index.min(v.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
