//! Photo/video evidence and owners' messages on their complaints.

use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::on_every_engine;
use crate::support::{call_with, complaint_form, TestApp};

pub(crate) const JPEG: &[u8] =
    b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0 a tiny photo";

async fn file(app: &TestApp, client: &reqwest::Client) -> String {
    let (status, receipt) =
        call_with(client, &app.base, "file_complaint", &complaint_form(&[])).await;
    assert_eq!(status, 200, "{receipt}");
    receipt["tracking_code"]
        .as_str()
        .expect("a code")
        .to_owned()
}

pub(crate) async fn upload(
    client: &reqwest::Client,
    app: &TestApp,
    code: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (u16, String) {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
    let response = client
        .post(format!("{}/track/{code}/evidence", app.base))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (response.status().as_u16(), location)
}

fn decoded(location: &str) -> String {
    form_urlencoded::parse(
        location
            .split_once('?')
            .map_or("", |(_, q)| q)
            .split('#')
            .next()
            .unwrap_or("")
            .as_bytes(),
    )
    .map(|(k, v)| format!("{k}={v}"))
    .collect::<Vec<_>>()
    .join("&")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_attach_photos_that_only_those_who_may_see_the_complaint_can_open() {
    on_every_engine!(evidence);
}

pub(crate) async fn evidence(app: &TestApp) {
    let owner = app.new_visitor();
    let code = file(app, &owner).await;

    let (status, location) =
        upload(&owner, app, &code, "../../漏水 照片.jpeg", JPEG.to_vec()).await;
    assert_eq!(status, 303);
    assert!(location.contains("evidence_added=1"), "{location}");

    let (_, complaint) =
        call_with(&owner, &app.base, "tracked_complaint", &[("code", &code)]).await;
    let item = &complaint["evidence"][0];
    assert_eq!(item["kind"], "image", "{complaint}");
    assert_eq!(
        item["file_name"], "漏水 照片.jpg",
        "no path, the real extension"
    );
    assert!(complaint["timeline"]
        .as_array()
        .expect("a timeline")
        .iter()
        .any(|e| e["kind"] == "evidence"));
    let id = item["id"].as_i64().expect("an id");

    let get = |client: reqwest::Client| {
        let url = format!("{}/evidence/{id}", app.base);
        async move { client.get(url).send().await.expect("get") }
    };
    let response = get(owner.clone()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    assert_eq!(response.headers()["content-security-policy"], "sandbox");
    assert_eq!(response.bytes().await.expect("bytes").as_ref(), JPEG);
    assert_eq!(
        get(app.new_visitor()).await.status(),
        404,
        "strangers cannot open it"
    );
    app.log_in("agent").await;
    assert_eq!(get(app.client.clone()).await.status(), 200, "staff can");
    let (_, staff_view) = app
        .call(
            "load_staff_complaint",
            &[("id", &complaint["id"].to_string())],
        )
        .await;
    assert_eq!(staff_view["evidence"][0]["id"], id);

    // What is not a photo or video, however it is named, is refused with a reason.
    let (status, location) = upload(
        &owner,
        app,
        &code,
        "photo.jpg",
        b"<script>alert(1)</script>".to_vec(),
    )
    .await;
    assert_eq!(status, 303);
    assert!(
        decoded(&location).contains("只支持"),
        "{}",
        decoded(&location)
    );
    let mut big = JPEG.to_vec();
    big.resize(11 * 1024 * 1024, 0);
    let (_, location) = upload(&owner, app, &code, "big.jpg", big).await;
    assert!(
        decoded(&location).contains("10MB"),
        "{}",
        decoded(&location)
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM evidence").await,
        1,
        "nothing refused was stored"
    );

    // Only those who may track the complaint upload, and a real code they may not use
    // answers as an unknown one does (no enumeration); never cross-site.
    let (status, _) = upload(&app.new_visitor(), app, &code, "x.jpg", JPEG.to_vec()).await;
    assert_eq!(status, 404);
    let (status, _) = upload(
        &app.new_visitor(),
        app,
        "AAAABBBBCCCC",
        "x.jpg",
        JPEG.to_vec(),
    )
    .await;
    assert_eq!(status, 404);
    let response = owner
        .post(format!("{}/track/{code}/evidence", app.base))
        .header("sec-fetch-site", "cross-site")
        .multipart(Form::new().part("file", Part::bytes(JPEG.to_vec()).file_name("x.jpg")))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_add_messages_to_the_timeline_and_the_handler_hears_of_them() {
    on_every_engine!(messages);
}

async fn messages(app: &TestApp) {
    let owner = app.new_visitor();
    let code = file(app, &owner).await;
    let (status, body) = call_with(
        &owner,
        &app.base,
        "owner_message",
        &[("code", &code), ("body", "  ")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let long = "催".repeat(1001);
    let (status, _) = call_with(
        &owner,
        &app.base,
        "owner_message",
        &[("code", &code), ("body", &long)],
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = call_with(
        &app.new_visitor(),
        &app.base,
        "owner_message",
        &[("code", &code), ("body", "你好")],
    )
    .await;
    assert_eq!(status, 401, "strangers cannot write on it");

    let (status, body) = call_with(
        &owner,
        &app.base,
        "owner_message",
        &[("code", &code), ("body", "今天下午两点后家里有人,可以上门")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, complaint) =
        call_with(&owner, &app.base, "tracked_complaint", &[("code", &code)]).await;
    let entry = complaint["timeline"]
        .as_array()
        .expect("a timeline")
        .iter()
        .find(|e| e["kind"] == "owner_message")
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(entry["body"], "今天下午两点后家里有人,可以上门");
    assert_eq!(entry["public"], true);

    app.log_in("agent").await;
    let (status, _) = app
        .call(
            "owner_message",
            &[("code", &code), ("body", "staff reply here")],
        )
        .await;
    assert_eq!(status, 403, "staff answer with replies");
}

/// A video as a phone sends it: an MP4 header and a few megabytes.
pub(crate) fn video(size: usize) -> Vec<u8> {
    let mut bytes = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom".to_vec();
    bytes.extend((0..size).map(|i| (i % 251) as u8));
    bytes
}

/// Files are kept in the file store, not the database: what was uploaded is what is
/// served, a range of a video is served as a range (players scrub), and a file stored in
/// the database by an earlier version is moved out at start and still served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_live_in_the_file_store_and_are_served_in_ranges() {
    on_every_engine!(file_store);
}

pub(crate) async fn file_store(app: &TestApp) {
    let owner = app.new_visitor();
    let code = file(app, &owner).await;
    let original = video(3 * 1024 * 1024);
    let (status, location) = upload(&owner, app, &code, "漏水.mp4", original.clone()).await;
    assert_eq!(status, 303, "{location}");
    let id = app.count("SELECT MAX(id) FROM evidence").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM evidence_blobs").await,
        0,
        "no bytes in the database"
    );
    let url = format!("{}/evidence/{id}", app.base);
    let whole = owner.get(&url).send().await.expect("download");
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["content-type"], "video/mp4");
    assert_eq!(whole.headers()["content-security-policy"], "sandbox");
    assert_eq!(
        whole.bytes().await.expect("bytes").as_ref(),
        original.as_slice()
    );
    let part = owner
        .get(&url)
        .header("range", "bytes=1000-1999")
        .send()
        .await
        .expect("a range");
    assert_eq!(part.status(), 206);
    assert_eq!(part.headers()["content-type"], "video/mp4");
    assert_eq!(
        part.bytes().await.expect("bytes").as_ref(),
        &original[1000..2000]
    );

    // A file an earlier version kept in the database.
    let old = video(1000);
    let old_id: i64 = sqlx::query_scalar(
        "INSERT INTO evidence (complaint_id, uploaded_at, uploader_role, uploader_id, file_name, content_type, kind, size_bytes, sha256)
         SELECT complaint_id, uploaded_at, uploader_role, uploader_id, 'old.mp4', content_type, kind, 1024, 'x' FROM evidence WHERE id = $1
         RETURNING id",
    )
    .bind(id)
    .fetch_one(app.pool())
    .await
    .expect("an old row");
    sqlx::query("INSERT INTO evidence_blobs (evidence_id, bytes) VALUES ($1, $2)")
        .bind(old_id)
        .bind(old.clone())
        .execute(app.pool())
        .await
        .expect("an old blob");
    let store =
        server::files::FileStore::from_setting(Some(&app.files_setting), "").expect("the store");
    store.open(app.pool()).await.expect("moved out");
    assert_eq!(app.count("SELECT COUNT(*) FROM evidence_blobs").await, 0);
    let served = owner
        .get(format!("{}/evidence/{old_id}", app.base))
        .send()
        .await
        .expect("download");
    assert_eq!(served.status(), 200);
    assert_eq!(
        served.bytes().await.expect("bytes").as_ref(),
        old.as_slice()
    );
}
