//! An acknowledged complaint is never lost: the server process is killed (SIGKILL, no
//! shutdown) while owners are filing, started again on the same database, and every
//! complaint whose receipt reached its owner is there, with its tracking code.

use std::time::{Duration, Instant};

use crate::instances::Instance;
use crate::support::{complaint_form, execute_admin, postgres_url, replace_database};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

/// Files from `owners` loops at once until `stop`; the tracking codes acknowledged.
async fn file_until_killed(base: &str, owners: usize, stop: Instant) -> Vec<String> {
    let tasks = (0..owners).map(|owner| {
        let base = base.to_owned();
        tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            let mut n = 0_u32;
            // After the kill every call fails: the loop ends at `stop`.
            while Instant::now() < stop {
                n += 1;
                let phone = format!("137{owner:04}{n:04}");
                let text = format!("{owner}号楼{n}单元楼道的灯坏了好几天,晚上看不见路");
                let form = complaint_form(&[
                    ("intake[phone]", phone.as_str()),
                    ("intake[description]", text.as_str()),
                ]);
                let body = client()
                    .post(format!("{base}/api/file_complaint"))
                    .header(reqwest::header::ACCEPT, "application/json")
                    .form(&form)
                    .send()
                    .await;
                let Ok(response) = body else {
                    continue;
                };
                if response.status() != 200 {
                    continue;
                }
                let Ok(receipt) = response.json::<serde_json::Value>().await else {
                    continue;
                };
                if let Some(code) = receipt["tracking_code"].as_str() {
                    acknowledged.push(code.to_owned());
                }
            }
            acknowledged
        })
    });
    let mut all = Vec::new();
    for task in futures::future::join_all(tasks).await {
        all.extend(task.expect("a filing loop"));
    }
    all
}

async fn killed_while_filing(database_url: &str) {
    let dir = tempfile::tempdir().expect("a directory");
    let mut acknowledged = Vec::new();
    for round in 0..3 {
        let mut server = Instance::start(database_url, dir.path()).await;
        let base = server.base.clone();
        let stop = Instant::now() + Duration::from_millis(2_500);
        let filing = tokio::spawn(async move { file_until_killed(&base, 8, stop).await });
        // Killed in the middle of the load, some filings half done.
        tokio::time::sleep(Duration::from_millis(1_200 + 300 * round)).await;
        server.child.kill().await.expect("the server is killed");
        let codes = filing.await.expect("the load");
        assert!(
            !codes.is_empty(),
            "round {round}: some filings were acknowledged"
        );
        acknowledged.extend(codes);
    }
    // Started again: it opens the database (SQLite recovers its journal) and serves.
    let server = Instance::start(database_url, dir.path()).await;
    let pool = sqlx::AnyPool::connect(database_url)
        .await
        .expect("the database opens");
    let mut missing = Vec::new();
    for code in &acknowledged {
        let found: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM complaints WHERE tracking_code = $1")
                .bind(code.as_str())
                .fetch_one(&pool)
                .await
                .expect("a count");
        if found != 1 {
            missing.push(code.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged complaints were lost: {missing:?}",
        missing.len(),
        acknowledged.len()
    );
    eprintln!(
        "killed three times while filing: {} acknowledged, all kept",
        acknowledged.len()
    );
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_acknowledged_complaint_is_lost_when_the_server_is_killed() {
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir().expect("a directory");
    let sqlite = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("portal.db").display()
    );
    killed_while_filing(&sqlite).await;
    if let Some(admin) = postgres_url() {
        let name = format!("portal_killed_{}", std::process::id());
        execute_admin(&admin, &format!("DROP DATABASE IF EXISTS {name}")).await;
        execute_admin(&admin, &format!("CREATE DATABASE {name}")).await;
        killed_while_filing(&replace_database(&admin, &name)).await;
        execute_admin(
            &admin,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )
        .await;
    }
}
