//! Evidence in S3-compatible object storage (`PORTAL_FILES=s3://bucket/prefix`), against
//! a real S3 API served locally by moto (`pip install "moto[server]"`; the test command
//! installs it): the evidence journeys pass unchanged, the bytes are in the bucket and
//! not on the portal's disk, ranges stream, and an object without a row is swept.

use std::process::Stdio;
use std::time::Duration;

use futures::StreamExt;
use object_store::ObjectStore;

use crate::evidence::{evidence, file_store, upload, JPEG};
use crate::support::{call_with, complaint_form, engines, TestApp};

/// A local S3 API, stopped when dropped.
struct S3 {
    endpoint: String,
    _server: tokio::process::Child,
}

impl S3 {
    /// `None` when moto is not installed (and the test command did not ask for it).
    async fn start() -> Option<S3> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let spawned = tokio::process::Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn();
        let server = match spawned {
            Ok(server) => server,
            Err(error) => {
                assert!(
                    std::env::var("PORTAL_TEST_REQUIRE_S3").is_err(),
                    "moto_server (an S3 API for the tests) cannot start: {error}"
                );
                eprintln!("moto_server is not installed: the object-storage tests are skipped");
                return None;
            }
        };
        let endpoint = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..100 {
            if client.get(&endpoint).send().await.is_ok() {
                return Some(S3 {
                    endpoint,
                    _server: server,
                });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("moto_server did not answer within 10 s");
    }

    /// A new bucket, and the `PORTAL_FILES` that stores under `portal/` in it.
    async fn bucket(&self, name: &str) -> String {
        let created = reqwest::Client::new()
            .put(format!("{}/{name}", self.endpoint))
            .send()
            .await
            .expect("create a bucket");
        assert!(created.status().is_success(), "{}", created.status());
        format!(
            "s3://{name}/portal?endpoint={}&allow_http=true&region=us-east-1&access_key_id=test&secret_access_key=test",
            self.endpoint
        )
    }
}

async fn keys(setting: &str) -> Vec<String> {
    let (bucket, query) = setting
        .trim_start_matches("s3://")
        .split_once("/portal?")
        .expect("a setting of ours");
    let endpoint = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("endpoint="))
        .expect("an endpoint");
    let store = object_store::aws::AmazonS3Builder::new()
        .with_bucket_name(bucket)
        .with_endpoint(endpoint)
        .with_allow_http(true)
        .with_region("us-east-1")
        .with_access_key_id("test")
        .with_secret_access_key("test")
        .build()
        .expect("a client");
    let mut listing = store.list(None);
    let mut keys = Vec::new();
    while let Some(meta) = listing.next().await {
        keys.push(meta.expect("listing").location.to_string());
    }
    keys
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_journeys_pass_on_object_storage() {
    let Some(s3) = S3::start().await else {
        return;
    };
    for (n, engine) in engines().into_iter().enumerate() {
        let setting = s3.bucket(&format!("evidence-{n}")).await;
        let app = TestApp::spawn_with(engine, |c| c.files = Some(setting.clone())).await;
        evidence(&app).await;
        file_store(&app).await;
        let stored = keys(&setting).await;
        let rows = app.count("SELECT COUNT(*) FROM evidence").await;
        assert_eq!(
            stored.len() as i64,
            rows,
            "one object per evidence row: {stored:?}"
        );
        assert!(
            stored.iter().all(|k| k.starts_with("portal/evidence/")),
            "{stored:?}"
        );
        let on_disk = std::fs::read_dir(app.files_dir().join("evidence")).map_or(0, |d| d.count());
        assert_eq!(on_disk, 0, "nothing kept on the portal's disk");
        app.finish().await;
    }
}

/// A suffix range and an unsatisfiable one, served from the bucket; an object whose row
/// never committed (an hour old) is swept at start, one with a row is kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ranges_and_the_sweep_on_object_storage() {
    let Some(s3) = S3::start().await else {
        return;
    };
    let setting = s3.bucket("sweep").await;
    let app = TestApp::spawn_with(crate::support::Engine::Sqlite, |c| {
        c.files = Some(setting.clone())
    })
    .await;
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
    let id = app.count("SELECT MAX(id) FROM evidence").await;
    let url = format!("{}/evidence/{id}", app.base);
    let tail = owner
        .get(&url)
        .header("range", "bytes=-5")
        .send()
        .await
        .expect("a range");
    assert_eq!(tail.status(), 206);
    let size = JPEG.len();
    assert_eq!(
        tail.headers()["content-range"],
        format!("bytes {}-{}/{size}", size - 5, size - 1).as_str()
    );
    assert_eq!(
        tail.bytes().await.expect("bytes").as_ref(),
        &JPEG[size - 5..]
    );
    let beyond = owner
        .get(&url)
        .header("range", format!("bytes={size}-"))
        .send()
        .await
        .expect("a range");
    assert_eq!(beyond.status(), 416);

    // The sweep runs when the store opens; an object is an orphan only once it is old,
    // so this one (just written, no row) stays: uploads in progress are never touched.
    let store = server::files::FileStore::from_setting(Some(&setting), "").expect("the store");
    let stray = tempfile::NamedTempFile::new().expect("a temp file");
    std::fs::write(stray.path(), b"no row").expect("write");
    store.place(stray.path(), 999_999).await.expect("placed");
    store.open(app.pool()).await.expect("opened");
    let stored = keys(&setting).await;
    assert!(
        stored.contains(&"portal/evidence/999/999999".to_owned()),
        "{stored:?}"
    );
    assert!(stored.contains(&format!("portal/evidence/{}/{id}", id / 1000)));
    store.remove(999_999).await;
    assert!(!keys(&setting)
        .await
        .contains(&"portal/evidence/999/999999".to_owned()));
    app.finish().await;
}
