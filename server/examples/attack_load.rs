//! What two classic attacks meet, with the portal's default limits, on a demo portal in
//! this process (a throwaway SQLite database):
//!
//! 1. **Guessing tracking codes** from one address: `GUESSES` look-ups of random,
//!    well-formed codes with a phone, 32 at a time, as fast as the server answers. The
//!    `tracking` budget lets the first few through (each a plain "no such complaint") and
//!    answers the rest 429; none finds a complaint.
//! 2. **Parallel wrong passwords** for one account from many addresses (behind a trusted
//!    proxy, so each `X-Forwarded-For` address has its own budget): 50 at once, each
//!    counted by the login limiter and in the audit log, none logged in.
//!
//! ```sh
//! cargo run --release -p server --example attack_load          # 10,000 guesses
//! cargo run --release -p server --example attack_load -- 2000  # fewer
//! ```
//!
//! It exits non-zero if a guess finds a complaint, if fewer than 99% of the guesses are
//! refused with 429, or if a wrong password goes uncounted.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;
use sqlx::Row;

type AnyError = Box<dyn std::error::Error + Send + Sync>;

/// The tracking code's alphabet (no 0, O, 1, I, L, U).
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

#[tokio::main]
async fn main() -> Result<(), AnyError> {
    let guesses: usize = std::env::args().nth(1).map_or(Ok(10_000), |a| a.parse())?;
    let dir = tempfile::tempdir()?;
    let config = server::config::Config {
        addr: "127.0.0.1:0".parse()?,
        database_url: format!("sqlite://{}/portal.db", dir.path().display()),
        demo: true,
        demo_history: server::seed::history::COMPLAINTS,
        site_root: "target/site".to_owned(),
        cookie_secure: false,
        policy_file: None,
        sla_tick_seconds: 3600,
        faq_flush_seconds: 2,
        public_url: None,
        // The defaults an operator gets.
        rate_limits: server::http::limits::RateLimits::default(),
        // The portal sits behind a proxy on this machine: each attacker address of the
        // second attack is its own client.
        trusted_proxies: vec!["127.0.0.1/32".parse()?],
        metrics_addr: None,
        outbox: Default::default(),
        quotas: Default::default(),
        live_limits: Default::default(),
        files: None,
    };
    let running = server::start(config).await?;
    let base = format!("http://{}", running.addr);
    println!("portal at {base}, default limits\n");

    let guessed = guess_codes(&base, guesses).await?;
    let counted = wrong_passwords(&base, &running).await?;
    running.stop().await?;
    if guessed && counted {
        println!("\nboth attacks were stopped");
        Ok(())
    } else {
        Err("an attack got further than it should".into())
    }
}

/// Attack 1; true when no guess found anything and ≥ 99% were refused with 429.
async fn guess_codes(base: &str, guesses: usize) -> Result<bool, AnyError> {
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let (hits, misses, limited, other) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    );
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64 ^ u64::from(std::process::id());
    let codes: Vec<String> = (0..guesses)
        .map(|_| {
            (0..12)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let index = usize::try_from(seed % ALPHABET.len() as u64).unwrap_or(0);
                    char::from(ALPHABET[index])
                })
                .collect()
        })
        .collect();
    let started = Instant::now();
    futures::stream::iter(codes)
        .map(|code| {
            let client = client.clone();
            let url = format!("{base}/api/look_up_complaint");
            let (hits, misses, limited, other) =
                (hits.clone(), misses.clone(), limited.clone(), other.clone());
            async move {
                let status = client
                    .post(url)
                    .header("accept", "application/json")
                    .form(&[("code", code.as_str()), ("phone", "13812345678")])
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0);
                let counter = match status {
                    200 => &hits,
                    422 | 404 => &misses,
                    429 => &limited,
                    _ => &other,
                };
                counter.fetch_add(1, Ordering::Relaxed);
            }
        })
        .buffer_unordered(32)
        .collect::<Vec<()>>()
        .await;
    let seconds = started.elapsed().as_secs_f64();
    let (hits, misses, limited, other) = (
        hits.load(Ordering::Relaxed),
        misses.load(Ordering::Relaxed),
        limited.load(Ordering::Relaxed),
        other.load(Ordering::Relaxed),
    );
    println!("1. {guesses} tracking-code guesses from one address in {seconds:.1} s");
    println!("   found a complaint:         {hits}");
    println!("   answered \"no such code\":   {misses}");
    println!("   refused with 429:          {limited}");
    println!("   anything else:             {other}");
    let share = limited as f64 / guesses.max(1) as f64;
    println!("   share refused:             {:.2}%", share * 100.0);
    Ok(hits == 0 && other == 0 && share >= 0.99)
}

/// Attack 2; true when every one of the 50 wrong passwords was counted and none logged in.
async fn wrong_passwords(base: &str, running: &server::Running) -> Result<bool, AnyError> {
    const ATTEMPTS: usize = 50;
    let audit = |action: &'static str| {
        let pool = running.db.pool.clone();
        async move {
            sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = $1")
                .bind(action)
                .fetch_one(&pool)
                .await
                .and_then(|row| row.try_get::<i64, _>(0))
        }
    };
    let failed_before = audit("login_failed").await?;
    let logins_before = audit("login").await?;
    let started = Instant::now();
    let attempts = (0..ATTEMPTS).map(|n| {
        let base = base.to_owned();
        async move {
            let client = reqwest::Client::builder().cookie_store(true).build()?;
            let response = client
                .post(format!("{base}/api/log_in"))
                .header("accept", "application/json")
                .header(
                    "x-forwarded-for",
                    format!("10.0.{}.{}", n / 200, n % 200 + 1),
                )
                .form(&[("login", "admin"), ("password", &format!("guess-{n}"))])
                .send()
                .await?;
            Ok::<u16, AnyError>(response.status().as_u16())
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    let seconds = started.elapsed().as_secs_f64();
    let refused = statuses
        .iter()
        .filter(|s| matches!(s, Ok(422) | Ok(429)))
        .count();
    let counted = running.login_limiter.attempts("admin").await?;
    let failed = audit("login_failed").await? - failed_before;
    let logged_in = audit("login").await? - logins_before;
    println!("\n2. {ATTEMPTS} wrong passwords for `admin` at once, from {ATTEMPTS} addresses, in {seconds:.1} s");
    println!("   refused:                   {refused}");
    println!("   counted by the limiter:    {counted}");
    println!("   in the audit log:          {failed}");
    println!("   logged in:                 {logged_in}");
    Ok(refused == ATTEMPTS
        && counted == ATTEMPTS as u32
        && failed == ATTEMPTS as i64
        && logged_in == 0)
}
