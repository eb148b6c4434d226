//! Several instances on one PostgreSQL, as separate server processes (the binary the
//! operator runs): live updates cross instances, a stream resumes on another instance
//! after its own died, and the SLA job ticking on both sends each notice once. Runs only
//! when `PORTAL_TEST_POSTGRES_URL` is set (the test command sets it).

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::live::{event_id, open};
use crate::support::{call_with, complaint_form, execute_admin, postgres_url, replace_database};

/// One server process.
pub(crate) struct Instance {
    pub(crate) base: String,
    pub(crate) child: Child,
}

impl Instance {
    pub(crate) async fn start(database_url: &str, dir: &std::path::Path) -> Instance {
        let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
            .env("PORTAL_ADDR", "127.0.0.1:0")
            .env("PORTAL_DATABASE_URL", database_url)
            .env("PORTAL_DEMO", "1")
            .env("PORTAL_SITE_ROOT", dir.join("site"))
            .env(
                "PORTAL_FILES",
                format!("file://{}", dir.join("files").display()),
            )
            .env("PORTAL_SLA_TICK_SECONDS", "1")
            .env(
                "PORTAL_RATE_LIMITS",
                "general=0/0,tracking=0/0,filing=0/0,accounts=0/0",
            )
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("the server binary starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let base = tokio::time::timeout(Duration::from_secs(120), async {
            while let Some(line) = lines.next_line().await.expect("stdout line") {
                if let Some(at) = line.find("http://") {
                    return line[at..].trim().to_owned();
                }
            }
            panic!("the server ended before saying where it listens");
        })
        .await
        .expect("the server listens within two minutes");
        // Keep reading, so the process never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Instance { base, child }
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn signed_in(base: &str, login: &str) -> reqwest::Client {
    let staff = client();
    let (status, body) = call_with(
        &staff,
        base,
        "log_in",
        &[("login", login), ("password", "demo-2026")],
    )
    .await;
    assert_eq!(status, 200, "{login}: {body}");
    staff
}

async fn step(staff: &reqwest::Client, base: &str, id: &str, fields: &[(&str, &str)]) {
    let mut form = vec![("id".to_owned(), id.to_owned())];
    form.extend(
        fields
            .iter()
            .map(|(k, v)| (format!("step[{k}]"), (*v).to_owned())),
    );
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, body) = call_with(staff, base, "take_step", &borrowed).await;
    assert_eq!(status, 200, "{fields:?}: {body}");
}

async fn file(base: &str, description: &str) -> (String, String, reqwest::Client) {
    let owner = client();
    let (status, receipt) = call_with(
        &owner,
        base,
        "file_complaint",
        &complaint_form(&[("intake[description]", description)]),
    )
    .await;
    assert_eq!(status, 200, "{receipt}");
    (
        receipt["complaint_id"].as_i64().expect("an id").to_string(),
        receipt["tracking_code"]
            .as_str()
            .expect("a code")
            .to_owned(),
        owner,
    )
}

async fn count(pool: &sqlx::PgPool, sql: &str, id: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id.parse::<i64>().expect("an id"))
        .fetch_one(pool)
        .await
        .expect(sql)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgresql() {
    let Some(admin) = postgres_url() else {
        eprintln!("PORTAL_TEST_POSTGRES_URL is not set: the two-instance test needs PostgreSQL");
        return;
    };
    let name = format!("portal_instances_{}", std::process::id());
    execute_admin(
        &admin,
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    )
    .await;
    execute_admin(&admin, &format!("CREATE DATABASE {name}")).await;
    let url = replace_database(&admin, &name);
    let dir = tempfile::tempdir().expect("temp dir");
    // One after the other: the first migrates and seeds, the second finds it done.
    let mut a = Instance::start(&url, dir.path()).await;
    let b = Instance::start(&url, dir.path()).await;
    let pool = sqlx::PgPool::connect(&url)
        .await
        .expect("the test's own connection");

    // 1. A step taken on B reaches the owner following on A within a second.
    let (id, code, owner) = file(&a.base, "3栋2单元1501卫生间天花板漏水，已经三天了").await;
    let mut on_a = open(&owner, &format!("{}/live/track/{code}", a.base), None)
        .await
        .expect("the owner follows on A");
    let agent = signed_in(&b.base, "agent").await;
    step(
        &agent,
        &b.base,
        &id,
        &[
            ("action", "reply"),
            ("body", "您好，维修师傅今天下午到场查看。"),
        ],
    )
    .await;
    let seen = on_a
        .next(Duration::from_secs(1))
        .await
        .expect("the reply on B reaches A's stream within a second");
    assert_eq!(seen.event, "change", "{seen:?}");
    assert_eq!(seen.data, format!("{{\"complaint_id\":{id}}}"));

    // A listener that loses its connection (here: PostgreSQL ends every listening
    // session) reconnects; the streams it fed end, so clients come back with their last
    // event id and miss nothing.
    let cut: i64 = sqlx::query_scalar(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN%'",
    )
    .fetch_one(&pool)
    .await
    .expect("listeners cut");
    assert!(cut >= 2, "both instances listen ({cut})");
    assert!(
        on_a.next(Duration::from_secs(5)).await.is_none(),
        "A's stream ends when its listener is cut"
    );
    step(
        &agent,
        &b.base,
        &id,
        &[("action", "reply"), ("body", "师傅已出发。")],
    )
    .await;
    let mut on_a = open(
        &owner,
        &format!("{}/live/track/{code}", a.base),
        seen.id.as_deref(),
    )
    .await
    .expect("the owner comes back to A");
    let missed = on_a.change("resuming on A").await;
    assert!(
        event_id(&missed) > event_id(&seen),
        "the reply sent meanwhile is replayed"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    step(
        &agent,
        &b.base,
        &id,
        &[("action", "reply"), ("body", "预计十分钟到。")],
    )
    .await;
    let live_again = on_a
        .next(Duration::from_secs(2))
        .await
        .expect("A's listener is back: B's change reaches A again");
    assert!(event_id(&live_again) > event_id(&missed));
    let seen = live_again;

    // 2. The SLA job ticks every second on both: a clock about to run out is warned of
    // once, and once breached it is escalated once.
    let (late, _, _) = file(&b.base, "小区东门的路灯坏了一个星期，晚上很黑").await;
    let now = chrono::Utc::now().timestamp_millis();
    sqlx::query("UPDATE complaints SET sla_warn_at = $2, sla_due_at = $3 WHERE id = $1")
        .bind(late.parse::<i64>().expect("an id"))
        .bind(now - 60_000)
        .bind(now + 3_600_000)
        .execute(&pool)
        .await
        .expect("the clock moved");
    tokio::time::sleep(Duration::from_secs(4)).await;
    let events = "SELECT COUNT(*) FROM complaint_events WHERE complaint_id = $1 AND after_value = ";
    let warnings = count(&pool, &format!("{events}'sla_warning'"), &late).await;
    assert_eq!(warnings, 1, "one warning, whichever instance sent it");
    sqlx::query("UPDATE complaints SET sla_due_at = $2 WHERE id = $1")
        .bind(late.parse::<i64>().expect("an id"))
        .bind(now - 60_000)
        .execute(&pool)
        .await
        .expect("the clock breached");
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(
        count(&pool, &format!("{events}'sla_breach'"), &late).await,
        1
    );
    let notices = "SELECT COUNT(*) FROM notifications WHERE complaint_id = $1 AND kind = ";
    let told = count(&pool, &format!("{notices}'sla_breach'"), &late).await;
    let told_once = count(
        &pool,
        "SELECT COUNT(DISTINCT user_id) FROM notifications WHERE complaint_id = $1 AND kind = 'sla_breach'",
        &late,
    )
    .await;
    assert!(told > 0, "somebody is told of the breach");
    assert_eq!(told, told_once, "nobody is told twice");
    let warned = count(&pool, &format!("{notices}'sla_warning'"), &late).await;
    let warned_once = count(
        &pool,
        "SELECT COUNT(DISTINCT user_id) FROM notifications WHERE complaint_id = $1 AND kind = 'sla_warning'",
        &late,
    )
    .await;
    assert!(warned > 0, "somebody is warned");
    assert_eq!(warned, warned_once, "nobody is warned twice");

    // 3. A dies. What happens meanwhile on B is replayed when the owner's client
    // reconnects to B with the last event id it saw, and B's stream carries on live.
    a.child.kill().await.expect("A is killed");
    drop(on_a);
    step(&agent, &b.base, &id, &[("action", "judge_valid")]).await;
    let last = seen.id.clone().expect("an event id");
    let mut on_b = open(
        &owner,
        &format!("{}/live/track/{code}", b.base),
        Some(&last),
    )
    .await
    .expect("the owner's session holds on B");
    let replayed = on_b.change("resuming on B").await;
    assert!(event_id(&replayed) > event_id(&seen));
    let (_, complaint) = call_with(&owner, &b.base, "tracked_complaint", &[("code", &code)]).await;
    assert_eq!(complaint["status"], "accepted");
    let newest = complaint["timeline"]
        .as_array()
        .expect("a timeline")
        .last()
        .expect("rows")
        .clone();
    assert_eq!(
        newest["id"].as_i64(),
        Some(event_id(&replayed)),
        "nothing missed"
    );
    step(
        &agent,
        &b.base,
        &id,
        &[("action", "reply"), ("body", "已安排维修师傅。")],
    )
    .await;
    let live = on_b.change("a reply on B").await;
    assert!(event_id(&live) > event_id(&replayed));

    drop(on_b);
    drop(b);
    pool.close().await;
    execute_admin(
        &admin,
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    )
    .await;
}

/// A policy an administrator saves on one instance reaches another's handle when it
/// refreshes (every 15 s on PostgreSQL), and a refresh with nothing new reads nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_policy_reaches_the_other_instances() {
    crate::on_every_engine!(policy_reaches_others);
}

async fn policy_reaches_others(app: &crate::support::TestApp) {
    use server::policy::PolicyHandle;
    let pool = app.pool();
    let other = PolicyHandle::load(pool, None)
        .await
        .expect("another instance's handle");
    assert!(
        !other.refresh(pool).await.expect("refresh"),
        "nothing changed yet"
    );
    let mut policy = (*app.running().policy.current()).clone();
    policy.grading.raise_to_level_2_after_days = 12;
    let admin = app
        .count("SELECT MIN(id) FROM users WHERE role = 'admin'")
        .await;
    app.running()
        .policy
        .save(pool, policy, admin, chrono::Utc::now())
        .await
        .expect("saved");
    assert_eq!(other.current().grading.raise_to_level_2_after_days, 15);
    assert!(other.refresh(pool).await.expect("refresh"));
    assert_eq!(other.current().grading.raise_to_level_2_after_days, 12);
    assert!(!other.refresh(pool).await.expect("refresh"));
}
