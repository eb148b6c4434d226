//! Load benchmark of the live updates: N concurrent event streams on one
//! server, all following one complaint, and how long a status change takes to reach every
//! one of them; plus the server's memory per open stream.
//!
//! ```sh
//! cargo run --release -p server --example bench_live            # 1000 streams, 20 changes
//! cargo run --release -p server --example bench_live -- 2000 40 # streams, changes
//! ```
//!
//! The server runs in a child process (this same binary, `--serve`), so its resident
//! memory is the server's alone. Latency runs from the moment the staff member's request
//! is sent — it includes the step's transaction — to the moment each stream has read the
//! event.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

type AnyError = Box<dyn std::error::Error + Send + Sync>;

#[path = "common/live_load.rs"]
mod live_load;
use live_load::{call, follow, intake, status_changes};

fn main() -> Result<(), AnyError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Runtime::new()?;
    if args.first().map(String::as_str) == Some("--serve") {
        let url = args.get(1).ok_or("--serve needs a database URL")?.clone();
        return runtime.block_on(serve(url));
    }
    let streams: usize = args.first().map_or(Ok(1000), |a| a.parse())?;
    let changes: usize = args.get(1).map_or(Ok(20), |a| a.parse())?;
    runtime.block_on(bench(streams, changes))
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
        quotas: Default::default(),
        live_limits: Default::default(),
        files: None,
    };
    let running = server::start(config).await?;
    println!("ADDR {}", running.addr);
    std::io::stdout().flush()?;
    tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {
            if line.trim() == "trim" {
                release_free_heap();
                println!("TRIMMED");
                let _ = std::io::stdout().flush();
            }
            line.clear();
        }
    })
    .await?;
    let stopping = Instant::now();
    running.stop().await?;
    println!("STOPPED {}", stopping.elapsed().as_millis());
    Ok(())
}

/// Hands freed heap pages back to the system (glibc keeps them), so that resident memory
/// shows what is in use rather than what a burst of requests once allocated.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_free_heap() {
    extern "C" {
        fn malloc_trim(pad: usize) -> i32;
    }
    // SAFETY: malloc_trim only returns unused memory of the allocator to the system.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_free_heap() {}

fn rss_kib(pid: u32) -> Result<u64, AnyError> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .ok_or("no VmRSS")?;
    Ok(line.split_whitespace().nth(1).ok_or("bad VmRSS")?.parse()?)
}

/// A portal in a child process (this binary, `--serve`).
struct Server {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    lines: std::io::Lines<BufReader<std::process::ChildStdout>>,
    addr: String,
    _dir: tempfile::TempDir,
}

impl Server {
    fn spawn() -> Result<Server, AnyError> {
        let dir = tempfile::tempdir()?;
        let database_url = format!("sqlite://{}", dir.path().join("bench.db").display());
        let mut child = Command::new(std::env::current_exe()?)
            .args(["--serve", &database_url])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take();
        let mut lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
        let addr = loop {
            let line = lines.next().ok_or("the server did not start")??;
            if let Some(addr) = line.strip_prefix("ADDR ") {
                break addr.to_owned();
            }
        };
        Ok(Server {
            child,
            stdin,
            lines,
            addr,
            _dir: dir,
        })
    }

    fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn rss(&self) -> Result<u64, AnyError> {
        rss_kib(self.child.id())
    }

    /// Resident memory once the freed heap is handed back: what is in use.
    fn rss_in_use(&mut self) -> Result<u64, AnyError> {
        let stdin = self.stdin.as_mut().ok_or("stopped")?;
        writeln!(stdin, "trim")?;
        stdin.flush()?;
        for line in self.lines.by_ref() {
            if line? == "TRIMMED" {
                return self.rss();
            }
        }
        Err("the server stopped".into())
    }

    /// Stops it gracefully; how long that took.
    fn stop(mut self) -> Result<String, AnyError> {
        drop(self.stdin.take());
        let mut took = String::new();
        for line in self.lines.by_ref() {
            if let Some(ms) = line?.strip_prefix("STOPPED ") {
                took = ms.to_owned();
                break;
            }
        }
        self.child.wait()?;
        Ok(took)
    }
}

/// What an accepted connection that has sent nothing costs the server (a fresh one, so no
/// memory freed by earlier connections is reused): the floor under any stream's cost.
async fn bare_connection_kib(count: usize) -> Result<f64, AnyError> {
    let mut server = Server::spawn()?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = server.rss_in_use()?;
    let mut connections = Vec::with_capacity(count);
    for _ in 0..count {
        connections.push(tokio::net::TcpStream::connect(&server.addr).await?);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = server.rss_in_use()?;
    drop(connections);
    server.stop()?;
    Ok(after.saturating_sub(before) as f64 / count as f64)
}

async fn bench(streams: usize, changes: usize) -> Result<(), AnyError> {
    let mut server = Server::spawn()?;
    let base = server.base();

    // An owner files a complaint (the session may then follow it); a supervisor handles it.
    let owner = client()?;
    let receipt = call(&owner, &base, "file_complaint", &intake()).await?;
    let id = receipt["complaint_id"].as_i64().ok_or("no id")?.to_string();
    let code = receipt["tracking_code"]
        .as_str()
        .ok_or("no code")?
        .to_owned();
    let staff = client()?;
    call(
        &staff,
        &base,
        "log_in",
        &[("login", "supervisor"), ("password", "demo-2026")],
    )
    .await?;
    let departments = call(&staff, &base, "list_departments", &[]).await?;
    let repair = departments
        .as_array()
        .and_then(|d| d.iter().find(|d| d["code"] == "repair"))
        .ok_or("no repair department")?;
    let department = repair["id"].to_string();
    let handler = repair["handlers"][0]["id"].to_string();

    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_before = server.rss()?;
    let in_use_before = server.rss_in_use()?;

    // Open the streams, 100 at a time; each reports (change number, when it arrived).
    let url = format!("{base}/live/track/{code}");
    let (arrivals, mut arrived) = mpsc::unbounded_channel::<(usize, Instant)>();
    let (ready_tx, mut ready) = mpsc::unbounded_channel::<()>();
    let opened = Instant::now();
    let mut tasks = Vec::with_capacity(streams);
    for batch in 0..streams.div_ceil(100) {
        for _ in (batch * 100)..((batch + 1) * 100).min(streams) {
            tasks.push(tokio::spawn(follow(
                owner.clone(),
                url.clone(),
                arrivals.clone(),
                ready_tx.clone(),
            )));
        }
        for _ in (batch * 100)..((batch + 1) * 100).min(streams) {
            ready.recv().await.ok_or("a stream failed to open")?;
        }
    }
    let open_time = opened.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_open = server.rss()?;
    let in_use_open = server.rss_in_use()?;

    // Status changes, one at a time: each must reach every stream before the next.
    let steps = status_changes(changes, &department, &handler);
    let mut latencies: Vec<Duration> = Vec::with_capacity(streams * changes);
    let mut worst_per_change = Vec::with_capacity(changes);
    for (n, step) in steps.iter().enumerate() {
        let sent = Instant::now();
        let mut form: Vec<(String, String)> = vec![("id".to_owned(), id.clone())];
        form.extend(
            step.iter()
                .map(|(k, v)| (format!("step[{k}]"), (*v).to_owned())),
        );
        let borrowed: Vec<(&str, &str)> =
            form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        call(&staff, &base, "take_step", &borrowed).await?;
        let mut got = 0;
        let mut worst = Duration::ZERO;
        while got < streams {
            let (change, at) = tokio::time::timeout(Duration::from_secs(10), arrived.recv())
                .await
                .map_err(|_| format!("change {n}: only {got} of {streams} streams heard of it"))?
                .ok_or("streams ended")?;
            if change != n {
                continue;
            }
            let latency = at - sent;
            worst = worst.max(latency);
            latencies.push(latency);
            got += 1;
        }
        worst_per_change.push(worst);
    }
    let still_open = tasks.iter().filter(|t| !t.is_finished()).count();
    // A graceful stop with every stream still open must not hang.
    let stop_ms = server.stop()?;
    for task in tasks {
        task.abort();
    }
    let bare = bare_connection_kib(streams).await?;

    latencies.sort();
    let pct = |p: f64| {
        let i = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[i]
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mib = |kib: u64| kib as f64 / 1024.0;
    let per = |from: u64, to: u64| to.saturating_sub(from) as f64 / streams as f64;
    worst_per_change.sort();

    println!("live updates: {streams} streams following one complaint, {changes} status changes");
    println!(
        "  streams opened in {:.0} ms; {still_open} of {streams} still open at the end",
        ms(open_time)
    );
    println!(
        "  latency to every subscriber ({} deliveries): p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        ms(pct(0.50)),
        ms(pct(0.90)),
        ms(pct(0.99)),
        ms(pct(1.0))
    );
    println!(
        "  until the last subscriber had it, per change: median {:.1} ms, worst {:.1} ms",
        ms(worst_per_change[worst_per_change.len() / 2]),
        ms(*worst_per_change.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "  server RSS: {:.1} MiB before, {:.1} MiB with the streams open: {:.1} KiB per stream",
        mib(rss_before),
        mib(rss_open),
        per(rss_before, rss_open)
    );
    println!(
        "  in use (RSS after malloc_trim): {:.1} MiB → {:.1} MiB: {:.1} KiB per stream",
        mib(in_use_before),
        mib(in_use_open),
        per(in_use_before, in_use_open)
    );
    println!("  of which an accepted connection that sent nothing costs {bare:.1} KiB (a fresh server, {streams} bare TCP connections)");
    println!("  graceful stop with {streams} streams open: {stop_ms} ms");
    println!(
        "  target: p99 < 250 ms — {}",
        if pct(0.99) < Duration::from_millis(250) {
            "met"
        } else {
            "MISSED"
        }
    );
    Ok(())
}

fn client() -> Result<reqwest::Client, AnyError> {
    Ok(reqwest::Client::builder()
        .cookie_store(true)
        .pool_max_idle_per_host(0)
        .build()?)
}
