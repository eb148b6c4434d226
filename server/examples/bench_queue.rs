//! The staff queue with 100,000 complaints (the queue must "work with 100,000
//! complaints without slowing down"). Generates the complaints into a fresh SQLite file
//! (or the PostgreSQL database in `BENCH_DATABASE_URL`), then times each queue view the
//! way the page asks for it — page 1, counts included — and prints min/p50/p99/max.
//!
//! `cargo run --release -p server --example bench_queue [-- <complaints>]`

use std::time::Instant;

use app::model::{Actor, QueueFilter};
use app::ssr::Complaints;
use chrono::Utc;
use domain::{Category, Role, Status};
use server::policy::PolicyHandle;
use server::store::complaints::ComplaintStore;

const RUNS: usize = 60;

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), server::AnyError> {
    let count: i64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let db = server::db::connect(&url).await?;
    let policy = std::sync::Arc::new(PolicyHandle::load(&db.pool, None).await?);
    let started = Instant::now();
    generate(&db.pool, count).await?;
    println!(
        "generated {count} complaints in {:.1} s ({url})",
        started.elapsed().as_secs_f64()
    );

    let store = ComplaintStore::new(
        db.clone(),
        policy.clone(),
        String::new(),
        server::live::local(),
        0,
    );
    let supervisor = Actor {
        user_id: 1,
        role: Role::Supervisor,
        display_name: "bench".into(),
        department_id: None,
    };
    let handler = Actor {
        user_id: 2,
        role: Role::Handler,
        display_name: "bench".into(),
        department_id: Some(3),
    };
    let filter = |f: &[(&str, &str)]| {
        let mut q = QueueFilter::default();
        for (k, v) in f {
            let v = (*v).to_owned();
            match *k {
                "status" => q.status = v,
                "category" => q.category = v,
                "level" => q.level = v,
                "handler" => q.handler = v,
                "community" => q.community = v,
                "sla" => q.sla = v,
                "q" => q.q = v,
                "sort" => q.sort = v,
                "page" => q.page = v,
                _ => {}
            }
        }
        q
    };
    let cases: Vec<(&str, &Actor, QueueFilter)> = vec![
        ("open, newest first (default)", &supervisor, filter(&[])),
        (
            "all statuses, page 40",
            &supervisor,
            filter(&[("status", "all"), ("page", "40")]),
        ),
        (
            "category + level",
            &supervisor,
            filter(&[("category", "repair_service"), ("level", "2")]),
        ),
        (
            "community, oldest first",
            &supervisor,
            filter(&[("community", "2"), ("sort", "oldest")]),
        ),
        (
            "SLA breached, by due time",
            &supervisor,
            filter(&[("sla", "breached"), ("sort", "due")]),
        ),
        (
            "text search 漏水",
            &supervisor,
            filter(&[("status", "all"), ("q", "漏水")]),
        ),
        (
            "phone search",
            &supervisor,
            filter(&[("status", "all"), ("q", "13910012345")]),
        ),
        ("handler: mine", &handler, filter(&[("handler", "mine")])),
        (
            "handler's department, by level",
            &handler,
            filter(&[("sort", "level")]),
        ),
    ];
    println!(
        "{:<34} {:>8} {:>8} {:>8} {:>8} {:>7}",
        "view (page 1 + counts)", "min ms", "p50 ms", "p99 ms", "max ms", "rows"
    );
    for (name, actor, filter) in cases {
        let mut times = Vec::with_capacity(RUNS);
        let mut rows = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let page = store.queue(actor, &filter, Utc::now()).await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            rows = page.rows.len();
        }
        times.sort_by(f64::total_cmp);
        let p = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        println!(
            "{name:<34} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {rows:>7}",
            p(0.0),
            p(0.5),
            p(0.99),
            p(1.0)
        );
    }
    db.pool.close().await;
    Ok(())
}

/// Complaints spread over 3 communities, 8 categories, every status and level, a year of
/// filing times, SLA due times around now; in one SQL statement per batch.
async fn generate(pool: &sqlx::AnyPool, count: i64) -> Result<(), server::AnyError> {
    let mut tx = pool.begin().await?;
    for (name, address) in [
        ("翠湖花园", "一路1号"),
        ("金色家园", "二路2号"),
        ("云栖里", "三路3号"),
    ] {
        sqlx::query("INSERT INTO communities (name, city, address) VALUES ($1, '杭州', $2)")
            .bind(name)
            .bind(address)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO users (login, password_hash, display_name, role, department_id, created_at, password_changed_at)
         VALUES ('bench-supervisor', '-', '主管', 'supervisor', NULL, 0, 0), ('bench-handler', '-', '维修', 'handler', 3, 0, 0)",
    )
    .execute(&mut *tx)
    .await?;
    let case = |values: Vec<&str>, modulo: &str| {
        let arms: String = values
            .iter()
            .enumerate()
            .map(|(i, v)| format!(" WHEN {i} THEN '{v}'"))
            .collect();
        format!("CASE ({modulo}) % {}{arms} END", values.len())
    };
    let categories = case(Category::ALL.iter().map(|c| c.code()).collect(), "i");
    let statuses = case(Status::ALL.iter().map(|s| s.code()).collect(), "i / 7");
    let now = Utc::now().timestamp_millis();
    let year = 365 * 24 * 3600 * 1000_i64;
    let batch = 20_000;
    let mut start = 0;
    while start < count {
        let end = (start + batch).min(count);
        let sql = format!(
            "WITH RECURSIVE n(i) AS (SELECT {start} UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {end})
             INSERT INTO complaints (tracking_code, channel, community_id, unit, complainant_name, phone, category,
                 description, status, level, filed_at, filed_month, updated_at, department_id, handler_id,
                 sla_warn_at, sla_due_at)
             SELECT 'BENCH' || i, 'web', 1 + i % 3, (i % 30) || '0' || (1 + i % 4), '业主' || i, '139' || (10000000 + i),
                 {categories},
                 CASE i % 5 WHEN 0 THEN '卫生间天花板漏水,楼上说不是他们的问题' WHEN 1 THEN '电梯经常停运,老人上下楼很困难'
                     WHEN 2 THEN '物业费上涨没有公示' WHEN 3 THEN '保安态度很差' ELSE '地下车库灯坏了很久' END,
                 {statuses}, 1 + i % 4,
                 {now} - (i * {year} / {count}), '2026-' || (1 + i % 12), {now},
                 CASE WHEN i % 3 = 0 THEN NULL ELSE 1 + i % 6 END,
                 CASE WHEN i % 3 = 0 THEN NULL ELSE 2 END,
                 {now} + ((i % 200) - 100) * 3600000, {now} + ((i % 200) - 60) * 3600000
             FROM n"
        );
        sqlx::query(&sql).execute(&mut *tx).await?;
        start = end;
    }
    tx.commit().await?;
    sqlx::query("ANALYZE").execute(pool).await.ok();
    Ok(())
}
