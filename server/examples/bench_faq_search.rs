//! FAQ search over 10,000 generated articles: the index alone, then through HTTP
//! (`GET /api/v1/faq/search`) on a real server with a SQLite database. Target: p99 < 20 ms.
//!
//! ```sh
//! cargo run --release -p server --example bench_faq_search            # 10,000 articles
//! cargo run --release -p server --example bench_faq_search -- 50000   # another size
//! # without a release build of every dependency: only this crate optimised (the search
//! # itself uses nothing but std, which is always optimised)
//! cargo run --config 'profile.dev.package.server.opt-level=3' -p server --example bench_faq_search
//! ```
//!
//! `ROUNDS=n` sets the in-process rounds per query (default 50).
//!
//! Articles are made from the seed articles' own sentences, titles and tags, shuffled by a
//! fixed-seed generator, so the vocabulary and lengths are those of real content.

use std::time::{Duration, Instant};

use server::faq::{markdown, seed, IndexDoc, SearchIndex};

/// A small deterministic generator (xorshift64*), so every run indexes the same articles.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

struct Generated {
    slug: String,
    title: String,
    topic: String,
    tags: Vec<String>,
    summary: String,
    body_md: String,
}

fn generate(n: usize) -> Vec<Generated> {
    let seeds = seed::articles().expect("seed articles");
    let sentences: Vec<String> = seeds
        .iter()
        .flat_map(|a| {
            a.body_md
                .split(['。', '\n'])
                .map(str::trim)
                .filter(|s| s.chars().count() >= 6)
                .map(|s| format!("{s}。"))
                .collect::<Vec<_>>()
        })
        .collect();
    let tags: Vec<String> = seeds.iter().flat_map(|a| a.tags.clone()).collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..n)
        .map(|i| {
            let base = &seeds[rng.below(seeds.len())];
            let other = &seeds[rng.below(seeds.len())];
            let mut body = String::new();
            for section in 0..(2 + rng.below(3)) {
                body.push_str(&format!("## 第{}部分\n\n", section + 1));
                for _ in 0..(3 + rng.below(5)) {
                    body.push_str(&sentences[rng.below(sentences.len())]);
                }
                body.push_str("\n\n");
            }
            Generated {
                slug: format!("bench-{i}"),
                title: format!(
                    "{}({})",
                    base.title,
                    other.tags.first().cloned().unwrap_or_default()
                ),
                topic: base.topic.clone(),
                tags: (0..(4 + rng.below(6)))
                    .map(|_| tags[rng.below(tags.len())].clone())
                    .collect(),
                summary: other.summary.clone(),
                body_md: body,
            }
        })
        .collect()
}

const QUERIES: &[&str] = &[
    "水",
    "电",
    "漏水",
    "电梯",
    "停车",
    "物业费",
    "装修押金",
    "天花板漏水怎么办",
    "小区停水什么时候恢复供水",
    "APP",
    "12345",
    "119火灾",
    "电悌",
    "wfii",
    "物业费 app",
    "\"",
    "*",
    "NEAR",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label:<28} n={:<6} p50 {:>7.3} ms  p95 {:>7.3} ms  p99 {:>7.3} ms  max {:>7.3} ms",
        times.len(),
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.95)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap_or(&Duration::ZERO)),
    );
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let long_query = "漏水".repeat(500);
    let mut queries: Vec<&str> = QUERIES.to_vec();
    queries.push(&long_query);

    println!("generating {n} articles from the seed content…");
    let articles = generate(n);
    let chars: usize = articles.iter().map(|a| a.body_md.chars().count()).sum();
    println!("average body: {} characters", chars / n.max(1));

    // 1. The index alone.
    let started = Instant::now();
    let index = SearchIndex::build(articles.iter().enumerate().map(|(i, a)| IndexDoc {
        id: i as i64 + 1,
        slug: a.slug.clone(),
        title: a.title.clone(),
        topic: a.topic.clone(),
        tags: a.tags.clone(),
        summary: a.summary.clone(),
        body_text: markdown::plain_text(&a.body_md),
    }));
    println!(
        "index: {} articles built in {:.2} s",
        index.len(),
        started.elapsed().as_secs_f64()
    );
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(50);
    let mut all = Vec::new();
    println!("\nin-process search (limit 20), {rounds} rounds per query:");
    for q in &queries {
        let mut times = Vec::with_capacity(rounds);
        let mut hits = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            let outcome = index.search(q, 20);
            times.push(t.elapsed());
            hits = outcome.total;
        }
        let label: String = q.chars().take(12).collect();
        report(&format!("  {label} ({hits} hits)"), times.clone());
        all.extend(times);
    }
    report("all queries", all);
    let mut index = index;
    let started = Instant::now();
    index.upsert(IndexDoc {
        id: 1,
        slug: "bench-0".into(),
        title: "新发布的文章:蜂巢快递柜".into(),
        topic: "repair".into(),
        tags: vec!["快递柜".into()],
        summary: "快递柜怎么用".into(),
        body_text: "蜂巢快递柜在小区南门。".into(),
    });
    println!(
        "publishing one article into the index: {:.2} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );

    // 2. Through HTTP: a real server on SQLite with the same articles.
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = server::db::connect(&url).await.expect("database");
    let started = Instant::now();
    let mut tx = db.pool.begin().await.expect("transaction");
    for a in &articles {
        sqlx::query(
            "INSERT INTO faq_articles (slug, title, topic, tags, summary, body_md, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'published', 0, 0)",
        )
        .bind(&a.slug)
        .bind(&a.title)
        .bind(&a.topic)
        .bind(a.tags.join(","))
        .bind(&a.summary)
        .bind(&a.body_md)
        .execute(&mut *tx)
        .await
        .expect("insert");
    }
    tx.commit().await.expect("commit");
    db.pool.close().await;
    println!(
        "\nHTTP: {n} articles stored in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let config = server::config::Config {
        addr: "127.0.0.1:0".parse().expect("addr"),
        database_url: url,
        demo: false,
        demo_history: server::seed::history::COMPLAINTS,
        site_root: dir.path().join("site").display().to_string(),
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
    let started = Instant::now();
    let running = server::start(config).await.expect("server starts");
    println!(
        "server started (seed + index of {} articles) in {:.2} s",
        n + seed::articles().map(|s| s.len()).unwrap_or(0),
        started.elapsed().as_secs_f64()
    );
    let client = reqwest::Client::new();
    let base = format!("http://{}/api/v1/faq/search", running.addr);
    let mut all = Vec::new();
    let rounds = 20;
    for q in &queries {
        for _ in 0..rounds {
            let t = Instant::now();
            let response = client
                .get(&base)
                .query(&[("q", *q), ("limit", "10")])
                .send()
                .await
                .expect("request");
            assert!(response.status().is_success(), "{q}: {}", response.status());
            let _ = response.bytes().await.expect("body");
            all.push(t.elapsed());
        }
    }
    report(
        &format!("GET /api/v1/faq/search ×{}", queries.len() * rounds),
        all,
    );
    running.stop().await.expect("server stops");
}
