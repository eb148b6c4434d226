use std::sync::atomic::{AtomicU32, Ordering};

use reqwest::header::ACCEPT;
use serde_json::Value;
use server::config::Config;

/// Which database a test app runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The engines to run each test on: SQLite always, PostgreSQL when configured.
pub fn engines() -> Vec<Engine> {
    let mut engines = vec![Engine::Sqlite];
    if postgres_url().is_some() {
        engines.push(Engine::Postgres);
    }
    engines
}

pub fn postgres_url() -> Option<String> {
    std::env::var("PORTAL_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// A running portal with a fresh database, demo data, and a cookie-keeping client.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub engine: Engine,
    running: Option<server::Running>,
    /// Where its evidence files are (`PORTAL_FILES`).
    pub files_setting: String,
    _dir: tempfile::TempDir,
    pg_database: Option<String>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestApp {
    pub async fn spawn(engine: Engine) -> TestApp {
        TestApp::spawn_with(engine, |_| {}).await
    }

    /// A portal whose configuration `adjust` changes first (e.g. a public https URL).
    pub async fn spawn_with(engine: Engine, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, pg_database) = match engine {
            Engine::Sqlite => (
                format!("sqlite://{}", dir.path().join("portal.db").display()),
                None,
            ),
            Engine::Postgres => {
                let admin = postgres_url().expect("PORTAL_TEST_POSTGRES_URL");
                let name = format!(
                    "portal_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst),
                    chrono::Utc::now().timestamp_micros() % 1_000_000
                );
                execute_admin(&admin, &format!("CREATE DATABASE {name}")).await;
                (replace_database(&admin, &name), Some(name))
            }
        };
        let mut config = Config {
            addr: "127.0.0.1:0".parse().expect("addr"),
            database_url,
            demo: true,
            demo_history: server::seed::history::COMPLAINTS,
            site_root: dir.path().join("site").display().to_string(),
            cookie_secure: false,
            policy_file: None,
            // The tests run the SLA job themselves, at the moments they choose.
            sla_tick_seconds: 3600,
            // ...and write counted FAQ reads when they check them.
            faq_flush_seconds: 3600,
            public_url: None,
            // One address files many complaints here; `hostile` sets its own limits.
            rate_limits: server::http::limits::RateLimits::OFF,
            trusted_proxies: Vec::new(),
            metrics_addr: None,
            outbox: Default::default(),
            quotas: server::http::quotas::Quotas::OFF,
            live_limits: Default::default(),
            files: Some(format!("file://{}", dir.path().join("files").display())),
        };
        adjust(&mut config);
        let files_setting = config.files.clone().unwrap_or_default();
        let running = server::start(config).await.expect("the portal starts");
        let base = format!("http://{}", running.addr);
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        TestApp {
            base,
            client,
            engine,
            running: Some(running),
            files_setting,
            _dir: dir,
            pg_database,
        }
    }

    /// A second visitor: same portal, no cookies.
    pub fn new_visitor(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// A visitor whose browser asks for `lang` (`Accept-Language`), no cookies yet.
    pub fn visitor_in(&self, lang: &'static str) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(
                [(
                    reqwest::header::ACCEPT_LANGUAGE,
                    reqwest::header::HeaderValue::from_static(lang),
                )]
                .into_iter()
                .collect(),
            )
            .build()
            .expect("client")
    }

    /// Calls a server function the way the hydrated app does (form-encoded in,
    /// JSON out) and returns the status and the JSON body.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> (u16, Value) {
        call_with(&self.client, &self.base, endpoint, form).await
    }

    /// GETs `path` (e.g. "/track/ABC") as this client: status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    pub async fn log_in(&self, login: &str) {
        let (status, body) = self
            .call("log_in", &[("login", login), ("password", "demo-2026")])
            .await;
        assert_eq!(status, 200, "{login} logs in: {body}");
    }

    /// Where this portal keeps its evidence files.
    pub fn files_dir(&self) -> std::path::PathBuf {
        self._dir.path().join("files")
    }

    pub fn pool(&self) -> &sqlx::AnyPool {
        &self.running().db.pool
    }

    pub fn running(&self) -> &server::Running {
        self.running.as_ref().expect("running")
    }

    /// Takes one workflow step on complaint `id` as the logged-in staff member.
    pub async fn step(&self, id: &str, fields: &[(&str, &str)]) -> (u16, Value) {
        let mut form: Vec<(String, String)> = vec![("id".to_owned(), id.to_owned())];
        form.extend(
            fields
                .iter()
                .map(|(k, v)| (format!("step[{k}]"), (*v).to_owned())),
        );
        let borrowed: Vec<(&str, &str)> =
            form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.call("take_step", &borrowed).await
    }

    pub async fn count(&self, sql: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(sql)
            .fetch_one(self.pool())
            .await
            .expect("count query")
            .get::<i64, _>(0)
    }

    /// The stored moments complaint `id`'s SLA state changes: (warn at, due at). Clocks
    /// count service time, so tests tick relative to these, whatever the time of day.
    pub async fn sla_moments(
        &self,
        id: &str,
    ) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
        use sqlx::Row;
        let row = sqlx::query("SELECT sla_warn_at, sla_due_at FROM complaints WHERE id = $1")
            .bind(id.parse::<i64>().expect("an id"))
            .fetch_one(self.pool())
            .await
            .expect("the complaint");
        let at = |column: &str| {
            chrono::DateTime::from_timestamp_millis(row.get::<i64, _>(column)).expect("a moment")
        };
        (at("sla_warn_at"), at("sla_due_at"))
    }

    /// Stops the portal and drops a PostgreSQL test database.
    pub async fn finish(mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await.expect("the portal stops cleanly");
        }
        if let (Some(name), Some(admin)) = (self.pg_database.take(), postgres_url()) {
            execute_admin(
                &admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
        }
    }
}

pub async fn call_with(
    client: &reqwest::Client,
    base: &str,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let response = client
        .post(format!("{base}/api/{endpoint}"))
        .header(ACCEPT, "application/json")
        .form(form)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

pub async fn execute_admin(url: &str, sql: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .expect("connect to PostgreSQL");
    sqlx::Executor::execute(&mut conn, sql).await.expect(sql);
}

pub fn replace_database(url: &str, name: &str) -> String {
    let (prefix, _) = url.rsplit_once('/').expect("a database URL has a path");
    format!("{prefix}/{name}")
}

/// A new visitor logged in as the demo account `login`.
pub async fn signed_in(app: &TestApp, login: &str) -> reqwest::Client {
    let client = app.new_visitor();
    let (status, body) = call_with(
        &client,
        &app.base,
        "log_in",
        &[("login", login), ("password", "demo-2026")],
    )
    .await;
    assert_eq!(status, 200, "{login}: {body}");
    client
}

/// A department by its code (`repair`, `engineering`…), as `list_departments` gives it:
/// (its id, its first handler's id).
pub async fn department(app: &TestApp, staff: &reqwest::Client, code: &str) -> (String, String) {
    let (status, departments) = call_with(staff, &app.base, "list_departments", &[]).await;
    assert_eq!(status, 200, "{departments}");
    let found = departments
        .as_array()
        .expect("departments")
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no department {code}"))
        .clone();
    (
        found["id"].to_string(),
        found["handlers"][0]["id"].to_string(),
    )
}

/// A step by `staff` on complaint `id`: `fields` without the `step[…]` wrapping
/// (`("flags[]", "media")` for a list).
pub async fn take_step(
    app: &TestApp,
    staff: &reqwest::Client,
    id: &str,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let mut form = vec![("id".to_owned(), id.to_owned())];
    form.extend(fields.iter().map(|(k, v)| {
        let key = match k.strip_suffix("[]") {
            Some(name) => format!("step[{name}][]"),
            None => format!("step[{k}]"),
        };
        (key, (*v).to_owned())
    }));
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    call_with(staff, &app.base, "take_step", &borrowed).await
}

/// Complaint `id` judged valid by `staff` and assigned to the first handler of the
/// department `code`; returns (department id, handler id).
pub async fn assign_to(
    app: &TestApp,
    staff: &reqwest::Client,
    id: &str,
    code: &str,
) -> (String, String) {
    let (department, handler) = department(app, staff, code).await;
    for fields in [
        vec![("action", "judge_valid")],
        vec![
            ("action", "assign"),
            ("department_id", department.as_str()),
            ("handler_id", handler.as_str()),
        ],
    ] {
        let (status, body) = take_step(app, staff, id, &fields).await;
        assert_eq!(status, 200, "{fields:?}: {body}");
    }
    (department, handler)
}

/// A unit of the estate saved by the administrator (`app.client` logs in as admin):
/// (community, building, entrance, unit, owner's name, owner's phone).
pub async fn estate_unit(app: &TestApp, unit: [&str; 6]) {
    app.log_in("admin").await;
    let [community, building, entrance, number, owner, phone] = unit;
    let (status, body) = app
        .call(
            "save_estate_unit",
            &[
                ("unit[community]", community),
                ("unit[building]", building),
                ("unit[entrance]", entrance),
                ("unit[unit]", number),
                ("unit[owner_name]", owner),
                ("unit[phone]", phone),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

/// An owner account for `phone`, proven by a complaint filed with it first; the visitor
/// is logged in.
pub async fn owner_account(app: &TestApp, phone: &str, name: &str) -> reqwest::Client {
    let owner = app.new_visitor();
    let (status, receipt) = call_with(
        &owner,
        &app.base,
        "file_complaint",
        &complaint_form(&[("intake[phone]", phone), ("intake[name]", name)]),
    )
    .await;
    assert_eq!(status, 200, "{receipt}");
    let code = receipt["tracking_code"]
        .as_str()
        .expect("a code")
        .to_owned();
    let (status, body) = call_with(
        &owner,
        &app.base,
        "register_owner",
        &[
            ("phone", phone),
            ("code", code.as_str()),
            ("name", name),
            ("password", "owner-pass-1"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    owner
}

/// A complaint form that passes intake, with overrides.
pub fn complaint_form<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        (
            "intake[description]",
            "3栋2单元1501卫生间天花板漏水,已经三天了",
        ),
        ("intake[category]", "engineering_quality"),
        ("intake[community_id]", "1"),
        ("intake[building_id]", "3"),
        ("intake[unit]", "2单元1501"),
        ("intake[name]", "王先生"),
        ("intake[phone]", "13812345678"),
    ];
    for (key, value) in overrides {
        form.retain(|(k, _)| k != key);
        form.push((key, value));
    }
    form
}

/// Runs the async fn `scenario(&TestApp)` on every engine, each with a fresh portal.
#[macro_export]
macro_rules! on_every_engine {
    ($scenario:path) => {
        for engine in $crate::support::engines() {
            let app = $crate::support::TestApp::spawn(engine).await;
            $scenario(&app).await;
            app.finish().await;
        }
    };
}
