//! Times every dashboard query (target: < 200 ms p99 with 1,000,000 complaints in
//! SQLite) against a generated database, with the real schema, triggers and rollup.
//!
//! ```sh
//! cargo run --release -p server --example bench_reports            # 1,000,000 complaints
//! cargo run --release -p server --example bench_reports -- --complaints 100000 --runs 50
//! cargo run --release -p server --example bench_reports -- --keep /tmp/bench.db   # reuse it
//! ```
//!
//! Complaints spread over 36 months, 30 communities of 8 buildings, 6 departments of 4
//! handlers; the last two weeks partly open, the rest closed, revisited or not valid, with
//! revisits. Each query runs `--runs` times over a rotation of filters (12 and 36 months,
//! one community, one department, one category, a quarter of one community's category).

use std::time::{Duration as StdDuration, Instant};

use app::reports::{Month, Period, ReportQuery};
use chrono::{Duration, Utc};
use domain::{deadlines, Category, Clock, ClockInputs, Level, Policy, Status};
use futures::TryStreamExt;
use server::store::complaints::deadlines::ClockRecord;
use server::store::reports::{dashboard, export, summary};
use server::store::sql::Sql;
use server::store::{local_month, to_ms};

const COMMUNITIES: i64 = 30;
const BUILDINGS: i64 = 8;
const HANDLERS_PER_DEPARTMENT: i64 = 4;
const MONTHS: i64 = 36;
const ROWS_PER_INSERT: usize = 100;
const ROWS_PER_TRANSACTION: usize = 10_000;

struct Args {
    complaints: usize,
    runs: usize,
    keep: Option<String>,
}

fn args() -> Args {
    let mut args = Args {
        complaints: 1_000_000,
        runs: 100,
        keep: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--complaints" => args.complaints = value.parse().expect("--complaints N"),
            "--runs" => args.runs = value.parse().expect("--runs N"),
            "--keep" => args.keep = Some(value),
            other => panic!("unknown flag {other}"),
        }
    }
    args
}

/// xorshift64*: the same data every run.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = args();
    let dir = tempfile::tempdir()?;
    let path = args
        .keep
        .clone()
        .unwrap_or_else(|| dir.path().join("bench.db").display().to_string());
    let existed = std::path::Path::new(&path).exists();
    let db = server::db::connect(&format!("sqlite://{path}")).await?;
    let policy = Policy::default();
    let now = Utc::now();
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM complaints")
        .fetch_one(&db.pool)
        .await?;
    if !existed || count == 0 {
        let started = Instant::now();
        generate(&db, &policy, args.complaints, now).await?;
        println!(
            "generated {} complaints (with revisits, through the rollup triggers) in {:.1} s",
            args.complaints,
            started.elapsed().as_secs_f64()
        );
    } else {
        println!("reusing {path} ({count} complaints)");
    }
    let facts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM report_facts")
        .fetch_one(&db.pool)
        .await?;
    let totals: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM report_totals")
        .fetch_one(&db.pool)
        .await?;
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "rollup rows: report_facts {facts}, report_totals {totals}; database file: {} MB",
        size / 1_000_000
    );

    let this_month = Month::of(now, policy.utc_offset_minutes);
    let year = ReportQuery {
        from: this_month.add(-11),
        to: this_month,
        community: None,
        department: None,
        category: None,
    };
    let filters = [
        year,
        ReportQuery {
            from: this_month.add(-(MONTHS as i32) + 1),
            ..year
        },
        ReportQuery {
            community: Some(7),
            ..year
        },
        ReportQuery {
            department: Some(4),
            ..year
        },
        ReportQuery {
            category: Some(Category::RepairService),
            ..year
        },
        ReportQuery {
            from: this_month.add(-2),
            community: Some(3),
            category: Some(Category::EngineeringQuality),
            ..year
        },
    ];
    println!(
        "\n{:<34} {:>9} {:>9} {:>9}   ({} runs over {} filters)",
        "query",
        "p50 ms",
        "p99 ms",
        "max ms",
        args.runs,
        filters.len()
    );
    let pool = &db.pool;
    macro_rules! bench {
        ($name:expr, |$q:ident| $body:expr) => {{
            let mut times = Vec::with_capacity(args.runs);
            for run in 0..args.runs {
                let $q = &filters[run % filters.len()];
                let started = Instant::now();
                $body.await.expect($name);
                times.push(started.elapsed());
            }
            report($name, times);
        }};
    }
    bench!("totals (month×category×dept)", |q| dashboard::totals(
        pool, q
    ));
    bench!("values (level, status, SLA, …)", |q| dashboard::values(
        pool, q
    ));
    bench!("levels by month", |q| dashboard::levels_by_month(pool, q));
    bench!("department timeliness", |q| {
        dashboard::department_timeliness(pool, q)
    });
    bench!("top handlers", |q| dashboard::handlers(pool, q));
    bench!("hot spots (building×category)", |q| dashboard::hot_spots(
        pool, q
    ));
    bench!("open now / overdue now", |q| dashboard::open_now(
        pool, q, now
    ));
    bench!("names", |_q| dashboard::Names::load(pool));
    bench!("whole dashboard (concurrent)", |q| dashboard::report(
        &db, q, now
    ));
    let month = Period::Month(this_month.add(-1));
    let half = Period::Half {
        year: this_month.add(-6).year,
        second: this_month.add(-6).month > 6,
    };
    bench!("summary actions (month)", |_q| summary::closing_actions(
        &db,
        month,
        policy.utc_offset_minutes
    ));
    bench!(
        "summary actions (half year)",
        |_q| summary::closing_actions(&db, half, policy.utc_offset_minutes)
    );

    println!();
    for (label, query) in [
        (
            "export one month",
            ReportQuery {
                from: this_month.add(-1),
                to: this_month.add(-1),
                ..year
            },
        ),
        ("export 12 months", year),
    ] {
        let started = Instant::now();
        let sql = export::query_sql(&query);
        let mut rows = sql.query().fetch(pool);
        let mut n = 0;
        while rows.try_next().await?.is_some() {
            n += 1;
        }
        println!(
            "{label:<34} {n} rows in {:.0} ms (streamed to the client as it goes)",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    Ok(())
}

fn report(name: &str, mut times: Vec<StdDuration>) {
    times.sort();
    let ms = |d: StdDuration| d.as_secs_f64() * 1000.0;
    let at = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "{name:<34} {:>9.1} {:>9.1} {:>9.1}",
        ms(at(0.50)),
        ms(at(0.99)),
        ms(*times.last().unwrap_or(&StdDuration::ZERO))
    );
}

async fn generate(
    db: &server::db::Db,
    policy: &Policy,
    n: usize,
    now: chrono::DateTime<Utc>,
) -> Result<(), Box<dyn std::error::Error>> {
    let pool = &db.pool;
    let mut tx = pool.begin().await?;
    for c in 1..=COMMUNITIES {
        sqlx::query("INSERT INTO communities (id, name) VALUES ($1, $2)")
            .bind(c)
            .bind(format!("小区{c:02}"))
            .execute(&mut *tx)
            .await?;
        for b in 1..=BUILDINGS {
            sqlx::query("INSERT INTO buildings (id, community_id, name) VALUES ($1, $2, $3)")
                .bind((c - 1) * BUILDINGS + b)
                .bind(c)
                .bind(format!("{b}栋"))
                .execute(&mut *tx)
                .await?;
        }
    }
    sqlx::query("INSERT INTO users (id, login, password_hash, display_name, role, department_id, created_at, password_changed_at) VALUES (1, 'agent', 'x', '客服', 'agent', 1, 0, 0)")
        .execute(&mut *tx)
        .await?;
    for d in 1..=6 {
        for h in 0..HANDLERS_PER_DEPARTMENT {
            let id = 10 + d * 10 + h;
            sqlx::query("INSERT INTO users (id, login, password_hash, display_name, role, department_id, created_at, password_changed_at) VALUES ($1, $2, 'x', $3, 'handler', $4, 0, 0)")
                .bind(id)
                .bind(format!("h{id}"))
                .bind(format!("处理人{id}"))
                .bind(d)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;

    let mut dice = Dice(0x00BE_7C40_2026);
    let span = Duration::days(MONTHS * 30 + 20);
    let start = now - span;
    let mut rows: Vec<Row> = Vec::with_capacity(ROWS_PER_TRANSACTION);
    let mut done = 0;
    for i in 0..n {
        let filed = start
            + Duration::seconds((span.num_seconds() as f64 * i as f64 / n as f64) as i64)
            + Duration::seconds(dice.below(600) as i64);
        rows.push(Row::make(
            &mut dice,
            i as i64 + 1,
            filed.min(now),
            now,
            policy,
        ));
        if rows.len() == ROWS_PER_TRANSACTION || i + 1 == n {
            insert(pool, &rows).await?;
            done += rows.len();
            rows.clear();
            if done % 100_000 == 0 {
                eprintln!("  … {done} complaints");
            }
        }
    }
    Ok(())
}

/// One generated complaint.
struct Row {
    id: i64,
    community: i64,
    building: i64,
    category: Category,
    level: Level,
    status: Status,
    department: Option<i64>,
    handler: Option<i64>,
    emergency: bool,
    filed: chrono::DateTime<Utc>,
    month: String,
    contact: Option<chrono::DateTime<Utc>>,
    reply: Option<chrono::DateTime<Utc>>,
    resolved: Option<chrono::DateTime<Utc>>,
    closed: Option<chrono::DateTime<Utc>>,
    rounds: i64,
    /// The last round's answers, if answered: (process, result, overall).
    answers: Option<(&'static str, &'static str, i64)>,
    repeat_of: Option<i64>,
    group: Option<i64>,
    warn: Option<i64>,
    due: Option<i64>,
    clocks: ClockRecord,
}

impl Row {
    fn make(
        dice: &mut Dice,
        id: i64,
        filed: chrono::DateTime<Utc>,
        now: chrono::DateTime<Utc>,
        policy: &Policy,
    ) -> Row {
        let calendar = domain::calendar::BusinessCalendar::official();
        let ctx = domain::sla::SlaContext::new(policy, &calendar);
        let category = Category::ALL[dice.below(8) as usize];
        let department = match category {
            Category::EngineeringQuality | Category::PlanningDesign => 2,
            Category::RepairService => 3,
            Category::SalesManagement => 5,
            Category::LeasingCommercial => 6,
            _ => 4,
        };
        let level = match dice.below(100) {
            0..=2 => Level::One,
            3..=14 => Level::Two,
            15..=44 => Level::Three,
            _ => Level::Four,
        };
        let minutes = |dice: &mut Dice, lo: u64, hi: u64| {
            Duration::minutes((lo + dice.below(hi - lo)) as i64)
        };
        let recent = now - filed < Duration::days(14);
        let status = if recent && dice.chance(60) {
            [
                Status::Filed,
                Status::Accepted,
                Status::Assigned,
                Status::Investigating,
                Status::SolutionProposed,
                Status::Reopened,
            ][dice.below(6) as usize]
        } else {
            match dice.below(100) {
                0..=6 => Status::NotValid,
                7..=11 => Status::Resolved,
                12..=19 => Status::Revisited,
                _ => Status::Closed,
            }
        };
        let contact = (status != Status::Filed || dice.chance(30)).then(|| {
            filed
                + match dice.below(100) {
                    0..=74 => minutes(dice, 3, 118),
                    75..=93 => minutes(dice, 122, 600),
                    _ => minutes(dice, 600, 3000),
                }
        });
        let reply = contact
            .filter(|_| status != Status::Filed)
            .map(|c| c + minutes(dice, 5, 1500));
        let handled = matches!(
            status,
            Status::Resolved | Status::Revisited | Status::Closed
        );
        let reopened = status == Status::Reopened || (handled && dice.chance(4));
        let resolved = (handled || status == Status::Reopened).then(|| {
            filed
                + match dice.below(100) {
                    0..=71 => minutes(dice, 300, 10_000),
                    _ => minutes(dice, 10_100, 30_000),
                }
        });
        let answered =
            resolved.filter(|_| status != Status::Resolved && status != Status::Reopened);
        let closed = answered
            .filter(|_| status == Status::Closed)
            .map(|a| a + minutes(dice, 1440, 5000));
        let assigned = !matches!(status, Status::Filed | Status::Accepted | Status::NotValid);
        let rounds = match (resolved.is_some(), reopened) {
            (false, _) => 0,
            (true, true) if status != Status::Reopened => 2,
            (true, _) => 1,
        };
        let answers = answered.map(|_| {
            let pick = |dice: &mut Dice, good: u64| match dice.below(100) {
                n if n < good => "satisfied",
                n if n < 95 => "basic",
                _ => "unsatisfied",
            };
            (pick(dice, 74), pick(dice, 64), 3 + dice.below(3) as i64)
        });
        let inputs = ClockInputs {
            filed_at: filed,
            level,
            emergency: dice.chance(4),
            status,
            first_contact_at: contact,
            first_reply_at: reply,
            last_progress_at: reply,
            resolved_at: resolved,
            pauses: Vec::new(),
        };
        let stored = deadlines(&inputs, &ctx);
        Row {
            id,
            community: 1 + dice.below(COMMUNITIES as u64) as i64,
            building: dice.below(BUILDINGS as u64) as i64,
            category,
            level,
            status,
            department: assigned.then_some(department),
            handler: assigned
                .then(|| 10 + department * 10 + dice.below(HANDLERS_PER_DEPARTMENT as u64) as i64),
            emergency: inputs.emergency,
            filed,
            month: local_month(filed, policy.utc_offset_minutes),
            contact,
            reply,
            resolved,
            closed,
            rounds,
            answers,
            repeat_of: (id > 1000 && dice.chance(3)).then(|| id - 1 - dice.below(900) as i64),
            group: (id > 1000 && dice.chance(4)).then(|| id - 1 - dice.below(50) as i64),
            warn: stored.warn_at.map(to_ms),
            due: stored.due_at.map(to_ms),
            clocks: ClockRecord::of(&inputs, &ctx),
        }
    }
}

async fn insert(pool: &sqlx::AnyPool, rows: &[Row]) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut sql = Sql::new(
            "INSERT INTO complaints (id, tracking_code, channel, community_id, building_id, unit,
                complainant_name, phone, category, description, status, level, department_id,
                handler_id, agent_id, repeat_of, group_id, revisit_round, sla_warn_at, sla_due_at,
                filed_at, filed_month, first_contact_at, first_reply_at, last_progress_at,
                resolved_at, closed_at, root_cause, corrective_action, updated_at, emergency,
                first_contact_on_time, first_reply_on_time, resolution_on_time, first_contact_due,
                first_reply_due, progress_update_due, resolution_due) VALUES ",
        );
        for (i, r) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            let values: Vec<Option<server::store::sql::Value>> = vec![
                Some(r.id.into()),
                Some(format!("B{:011}", r.id).into()),
                Some("web".into()),
                Some(r.community.into()),
                Some(((r.community - 1) * BUILDINGS + 1 + r.building).into()),
                Some(format!("{}单元{}01", 1 + r.id % 3, 1 + r.id % 30).into()),
                Some("业主".into()),
                Some(format!("139{:08}", r.id % 100_000_000).into()),
                Some(r.category.code().into()),
                Some("卫生间天花板一直往下滴水,楼上说不是他家的问题,已经三天了,墙面都发霉了,请尽快派人来查。".into()),
                Some(r.status.code().into()),
                Some(i64::from(r.level.number()).into()),
                r.department.map(Into::into),
                r.handler.map(Into::into),
                Some(1_i64.into()),
                r.repeat_of.map(Into::into),
                r.group.map(Into::into),
                Some(r.rounds.into()),
                r.warn.map(Into::into),
                r.due.map(Into::into),
                Some(to_ms(r.filed).into()),
                Some(r.month.clone().into()),
                r.contact.map(|t| to_ms(t).into()),
                r.reply.map(|t| to_ms(t).into()),
                r.reply.map(|t| to_ms(t).into()),
                r.resolved.map(|t| to_ms(t).into()),
                r.closed.map(|t| to_ms(t).into()),
                r.closed.map(|_| "施工工艺不达标".into()),
                r.closed.map(|_| "返工并对同批次排查,验收增加抽检".into()),
                Some(to_ms(r.filed).into()),
                Some(i64::from(r.emergency).into()),
                r.clocks.on_time(Clock::FirstContact).map(Into::into),
                r.clocks.on_time(Clock::FirstReply).map(Into::into),
                r.clocks.on_time(Clock::Resolution).map(Into::into),
                r.clocks.due(Clock::FirstContact).map(Into::into),
                r.clocks.due(Clock::FirstReply).map(Into::into),
                r.clocks.due(Clock::ProgressUpdate).map(Into::into),
                r.clocks.due(Clock::Resolution).map(Into::into),
            ];
            for (j, value) in values.into_iter().enumerate() {
                if j > 0 {
                    sql.push(", ");
                }
                match value {
                    Some(v) => sql.bind(v),
                    None => sql.push("NULL"),
                };
            }
            sql.push(")");
        }
        sql.query().execute(&mut *tx).await?;
        let revisits: Vec<(i64, i64, bool)> = chunk
            .iter()
            .flat_map(|r| {
                (1..=r.rounds)
                    .map(move |round| (r.id, round, round < r.rounds || r.answers.is_some()))
            })
            .collect();
        if revisits.is_empty() {
            continue;
        }
        let mut sql = Sql::new(
            "INSERT INTO revisits (complaint_id, round, created_at, answered_at, method, process, timeliness, attitude, result, overall) VALUES ",
        );
        for (i, (id, round, answered)) in revisits.iter().enumerate() {
            let r = &chunk[chunk.iter().position(|r| r.id == *id).unwrap_or(0)];
            let at = to_ms(r.resolved.unwrap_or(r.filed));
            let (process, result, overall) = match (round, r.answers) {
                (1, _) if r.rounds == 2 => ("basic", "unsatisfied", 2),
                (_, Some(a)) => a,
                _ => ("", "", 0),
            };
            sql.push(if i == 0 { "(" } else { ", (" })
                .bind(*id)
                .push(", ")
                .bind(*round)
                .push(", ")
                .bind(at)
                .push(", ");
            if *answered {
                sql.bind(at + 86_400_000)
                    .push(", 'survey', ")
                    .bind(process)
                    .push(", 'satisfied', 'satisfied', ")
                    .bind(result)
                    .push(", ")
                    .bind(overall)
                    .push(")");
            } else {
                sql.push("NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
            }
        }
        sql.query().execute(&mut *tx).await?;
    }
    tx.commit().await
}
