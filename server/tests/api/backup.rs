//! The restore drill for a single-machine (SQLite) portal: a backup taken while owners
//! keep filing and uploading is whole (integrity check, every evidence file against its
//! digest), restores into a fresh directory, and a portal started on the restore holds
//! exactly what the backup counted and serves its files.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use server::backup;
use server::files::FileStore;

use crate::evidence::{upload, video, JPEG};
use crate::support::{call_with, complaint_form, Engine, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_restores_whole() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let owner = app.new_visitor();
    let (status, receipt) =
        call_with(&owner, &app.base, "file_complaint", &complaint_form(&[])).await;
    assert_eq!(status, 200, "{receipt}");
    let code = receipt["tracking_code"]
        .as_str()
        .expect("a code")
        .to_owned();
    let (status, _) = upload(&owner, &app, &code, "漏水.jpg", JPEG.to_vec()).await;
    assert_eq!(status, 303);
    let (status, _) = upload(&owner, &app, &code, "漏水.mp4", video(300_000)).await;
    assert_eq!(status, 303);

    // Owners keep filing (with photos) while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let load = tokio::spawn({
        let stop = stop.clone();
        let base = app.base.clone();
        let owner = app.new_visitor();
        async move {
            let mut filed = 0;
            while !stop.load(Ordering::Relaxed) {
                let (status, receipt) =
                    call_with(&owner, &base, "file_complaint", &complaint_form(&[])).await;
                assert_eq!(status, 200, "{receipt}");
                filed += 1;
            }
            filed
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let dest = dir.path().join("backups").join("portal-backup.db");
    let files = FileStore::at(app.files_dir());
    let taken = backup::create(&app.running().db, &files, &dest)
        .await
        .expect("the backup is taken while the portal serves");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    let filed_during = load.await.expect("the load ran");
    assert!(filed_during > 0, "complaints were filed during the backup");
    assert!(taken.counts.complaints > 0);
    assert_eq!(taken.files_copied as i64, taken.counts.evidence);
    assert!(taken.counts.evidence >= 2, "{taken:?}");
    let now = app.count("SELECT COUNT(*) FROM complaints").await;
    assert!(
        now > taken.counts.complaints,
        "the live portal moved on after the snapshot"
    );

    // A second backup to the same name is refused, and leaves the first alone.
    assert!(backup::create(&app.running().db, &files, &dest)
        .await
        .is_err());
    app.finish().await;

    // Restored into a fresh directory: same counts, integrity checked, files served.
    let fresh = dir.path().join("restored");
    let database = fresh.join("portal.db");
    let restored = backup::restore(&dest, &database, &fresh.join("files"))
        .await
        .expect("the backup restores");
    assert_eq!(restored.counts, taken.counts);
    assert_eq!(restored.files_copied, taken.files_copied);
    assert!(
        backup::restore(&dest, &database, &fresh.join("files"))
            .await
            .is_err(),
        "never over an existing database"
    );

    let mut config = server::config::Config::from_env().expect("defaults");
    config.addr = "127.0.0.1:0".parse().expect("addr");
    config.database_url = format!("sqlite://{}", database.display());
    config.files = Some(format!("file://{}", fresh.join("files").display()));
    config.demo = false;
    config.site_root = fresh.join("site").display().to_string();
    config.rate_limits = server::http::limits::RateLimits::OFF;
    config.sla_tick_seconds = 3600;
    let running = server::start(config)
        .await
        .expect("a portal starts on the restore");
    let count = |sql: &'static str| {
        let pool = running.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .expect(sql)
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM complaints").await,
        taken.counts.complaints
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM complaint_events").await,
        taken.counts.events
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM evidence").await,
        taken.counts.evidence
    );
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&running.db.pool)
        .await
        .expect("integrity check");
    assert_eq!(check, "ok");
    // The owner's complaint and its photo came back: the owner follows it again.
    let base = format!("http://{}", running.addr);
    let again = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let (status, body) = call_with(
        &again,
        &base,
        "look_up_complaint",
        &[("code", &code), ("phone", "13812345678")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, complaint) =
        call_with(&again, &base, "tracked_complaint", &[("code", &code)]).await;
    assert_eq!(status, 200, "{complaint}");
    let photo = complaint["evidence"][0]["id"]
        .as_i64()
        .expect("the photo is listed");
    let served = again
        .get(format!("{base}/evidence/{photo}"))
        .send()
        .await
        .expect("request");
    assert_eq!(served.status(), 200);
    assert_eq!(served.bytes().await.expect("bytes").as_ref(), JPEG);
    running.stop().await.expect("stops");
}
