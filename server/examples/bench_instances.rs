//! One instance against two on one PostgreSQL, on this machine: tracking-page requests
//! per second and live-update latency, each measured with the load spread over the
//! instances, and the ratio of two to one. On one machine the instances share its cores,
//! so the ratio says what a second instance costs or gains here, not what it gains on a
//! second machine.
//!
//! ```sh
//! cargo run --release -p server --example bench_instances                     # postgres://postgres@127.0.0.1:5432/test
//! cargo run --release -p server --example bench_instances -- postgres://u@host/db
//! ```
//!
//! A fresh database is created next to the given one and dropped at the end. Each
//! instance is a child process (this binary, `--serve`).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::Connection;
use tokio::sync::mpsc;

type AnyError = Box<dyn std::error::Error + Send + Sync>;

#[path = "common/live_load.rs"]
mod live_load;
use live_load::{call, follow, intake, status_changes};

const WORKERS: usize = 32;
const LOAD: Duration = Duration::from_secs(10);
const STREAMS: usize = 200;
const CHANGES: usize = 20;

fn main() -> Result<(), AnyError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Runtime::new()?;
    if args.first().map(String::as_str) == Some("--serve") {
        let url = args.get(1).ok_or("--serve needs a database URL")?.clone();
        return runtime.block_on(serve(url));
    }
    let admin = args
        .first()
        .cloned()
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    runtime.block_on(bench(admin))
}

/// The child: a demo portal on a free port; stops when its stdin closes.
async fn serve(database_url: String) -> Result<(), AnyError> {
    let config = server::config::Config {
        addr: "127.0.0.1:0".parse()?,
        database_url,
        demo: true,
        demo_history: server::seed::history::COMPLAINTS,
        site_root: "target/site".to_owned(),
        cookie_secure: false,
        policy_file: None,
        sla_tick_seconds: 3600,
        faq_flush_seconds: 2,
        public_url: None,
        rate_limits: server::http::limits::RateLimits::OFF,
        trusted_proxies: Vec::new(),
        metrics_addr: None,
        outbox: Default::default(),
        quotas: server::http::quotas::Quotas::OFF,
        live_limits: server::live::caps::LiveLimits {
            per_session: 10_000,
            total: 10_000,
            ..Default::default()
        },
        files: None,
    };
    let running = server::start(config).await?;
    println!("ADDR {}", running.addr);
    tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {
            line.clear();
        }
    })
    .await?;
    running.stop().await?;
    Ok(())
}

struct Instance {
    child: std::process::Child,
    base: String,
}

impl Instance {
    fn spawn(database_url: &str) -> Result<Instance, AnyError> {
        let mut child = Command::new(std::env::current_exe()?)
            .args(["--serve", database_url])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let mut lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
        let addr = loop {
            let line = lines.next().ok_or("the server did not start")??;
            if let Some(addr) = line.strip_prefix("ADDR ") {
                break addr.to_owned();
            }
        };
        Ok(Instance {
            child,
            base: format!("http://{addr}"),
        })
    }

    fn stop(mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// What one run measured.
struct Measured {
    requests_per_second: f64,
    track_p50: Duration,
    track_p99: Duration,
    live_p50: Duration,
    live_p99: Duration,
}

async fn bench(admin: String) -> Result<(), AnyError> {
    let name = format!("portal_bench_instances_{}", std::process::id());
    let (prefix, _) = admin.rsplit_once('/').ok_or("a database URL has a path")?;
    let url = format!("{prefix}/{name}");
    {
        let mut conn = sqlx::PgConnection::connect(&admin).await?;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await?;
    }
    let a = Instance::spawn(&url)?;

    // An owner files a complaint (the session may then follow it on any instance: sessions
    // are in the database); a supervisor handles it.
    let owner = client()?;
    let receipt = call(&owner, &a.base, "file_complaint", &intake()).await?;
    let id = receipt["complaint_id"].as_i64().ok_or("no id")?.to_string();
    let code = receipt["tracking_code"]
        .as_str()
        .ok_or("no code")?
        .to_owned();
    let staff = client()?;
    call(
        &staff,
        &a.base,
        "log_in",
        &[("login", "supervisor"), ("password", "demo-2026")],
    )
    .await?;
    let departments = call(&staff, &a.base, "list_departments", &[]).await?;
    let repair = departments
        .as_array()
        .and_then(|d| d.iter().find(|d| d["code"] == "repair"))
        .ok_or("no repair department")?;
    let department = repair["id"].to_string();
    let handler = repair["handlers"][0]["id"].to_string();
    let steps = status_changes(2 * CHANGES, &department, &handler);

    let one = measure(
        std::slice::from_ref(&a.base),
        &owner,
        &staff,
        &id,
        &code,
        &steps[..CHANGES],
    )
    .await?;
    let b = Instance::spawn(&url)?;
    let bases = [a.base.clone(), b.base.clone()];
    let two = measure(&bases, &owner, &staff, &id, &code, &steps[CHANGES..]).await?;
    a.stop();
    b.stop();
    let mut conn = sqlx::PgConnection::connect(&admin).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await?;

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!("several instances on one PostgreSQL, on this machine ({cores} cores)");
    println!("  tracking page GET /track/{{code}}: {WORKERS} connections for {} s, spread over the instances", LOAD.as_secs());
    println!("  live updates: {STREAMS} streams on one complaint spread over the instances, {CHANGES} status changes taken on them in turn");
    println!();
    println!("| instances | tracking req/s | tracking p50 | tracking p99 | live p50 | live p99 |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (n, m) in [(1, &one), (2, &two)] {
        println!(
            "| {n} | {:.0} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms |",
            m.requests_per_second,
            ms(m.track_p50),
            ms(m.track_p99),
            ms(m.live_p50),
            ms(m.live_p99)
        );
    }
    println!(
        "| 2 ÷ 1 | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
        two.requests_per_second / one.requests_per_second,
        ms(two.track_p50) / ms(one.track_p50),
        ms(two.track_p99) / ms(one.track_p99),
        ms(two.live_p50) / ms(one.live_p50),
        ms(two.live_p99) / ms(one.live_p99)
    );
    Ok(())
}

async fn measure(
    bases: &[String],
    owner: &reqwest::Client,
    staff: &reqwest::Client,
    id: &str,
    code: &str,
    steps: &[Vec<(&'static str, &str)>],
) -> Result<Measured, AnyError> {
    // 1. The tracking page under load.
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::with_capacity(WORKERS);
    for n in 0..WORKERS {
        let url = format!("{}/track/{code}", bases[n % bases.len()]);
        let owner = owner.clone();
        let stop = stop.clone();
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failed = 0usize;
            while !stop.load(Ordering::Relaxed) {
                let sent = Instant::now();
                match owner.get(&url).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        latencies.push(sent.elapsed());
                    }
                    _ => failed += 1,
                }
            }
            (latencies, failed)
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(LOAD).await;
    stop.store(true, Ordering::Relaxed);
    let mut track = Vec::new();
    let mut failed = 0;
    for worker in workers {
        let (l, f) = worker.await?;
        track.extend(l);
        failed += f;
    }
    let elapsed = started.elapsed();
    if failed > 0 {
        return Err(format!("{failed} tracking requests failed").into());
    }
    let requests_per_second = track.len() as f64 / elapsed.as_secs_f64();

    // 2. Live updates across instances.
    let (arrivals, mut arrived) = mpsc::unbounded_channel::<(usize, Instant)>();
    let (ready_tx, mut ready) = mpsc::unbounded_channel::<()>();
    let mut tasks = Vec::with_capacity(STREAMS);
    for n in 0..STREAMS {
        let url = format!("{}/live/track/{code}", bases[n % bases.len()]);
        tasks.push(tokio::spawn(follow(
            owner.clone(),
            url,
            arrivals.clone(),
            ready_tx.clone(),
        )));
    }
    for _ in 0..STREAMS {
        tokio::time::timeout(Duration::from_secs(30), ready.recv())
            .await
            .map_err(|_| "streams did not open")?
            .ok_or("a stream failed to open")?;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut live = Vec::with_capacity(STREAMS * steps.len());
    for (n, step) in steps.iter().enumerate() {
        let base = &bases[n % bases.len()];
        let mut form: Vec<(String, String)> = vec![("id".to_owned(), id.to_owned())];
        form.extend(
            step.iter()
                .map(|(k, v)| (format!("step[{k}]"), (*v).to_owned())),
        );
        let borrowed: Vec<(&str, &str)> =
            form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let sent = Instant::now();
        call(staff, base, "take_step", &borrowed).await?;
        let mut got = 0;
        while got < STREAMS {
            let (change, at) = tokio::time::timeout(Duration::from_secs(10), arrived.recv())
                .await
                .map_err(|_| format!("change {n}: only {got} of {STREAMS} streams heard of it"))?
                .ok_or("streams ended")?;
            if change != n {
                continue;
            }
            live.push(at - sent);
            got += 1;
        }
    }
    for task in tasks {
        task.abort();
    }
    track.sort();
    live.sort();
    Ok(Measured {
        requests_per_second,
        track_p50: percentile(&track, 0.50),
        track_p99: percentile(&track, 0.99),
        live_p50: percentile(&live, 0.50),
        live_p99: percentile(&live, 0.99),
    })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn client() -> Result<reqwest::Client, AnyError> {
    Ok(reqwest::Client::builder().cookie_store(true).build()?)
}
