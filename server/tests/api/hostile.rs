//! Attacks the portal must refuse, one test each, spoken as an attacker would over
//! HTTP. Each names the OWASP ASVS 4.0.3 (level 2) requirement it covers and, where
//! the attack tries to change something, checks that nothing in the database did.

use base64::Engine as _;
use sha2::Digest as _;

use crate::on_every_engine;
use crate::support::{Engine, TestApp};

/// The `nonce-…` source of a response's `Content-Security-Policy` header.
fn csp_nonce(response: &reqwest::Response) -> String {
    let csp = response
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .expect("every response carries a CSP");
    for directive in [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    let start = csp.find("'nonce-").expect("a nonce source") + "'nonce-".len();
    let end = start + csp[start..].find('\'').expect("the nonce ends");
    csp[start..end].to_owned()
}

/// ASVS 14.4.3 (CSP), 14.4.5 (HSTS), 8.2.1 (no caching of sensitive data): every
/// page's scripts carry the nonce of its own CSP header and nothing else runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_fresh_csp_nonce_and_are_not_stored() {
    on_every_engine!(csp_nonce_and_no_store);
}

async fn csp_nonce_and_no_store(app: &TestApp) {
    let mut nonces = Vec::new();
    for path in ["/complaints/new", "/login", "/staff", "/register"] {
        let response = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .expect("request");
        let nonce = csp_nonce(&response);
        assert_eq!(
            response
                .headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{path} is not stored"
        );
        assert!(response
            .headers()
            .get("strict-transport-security")
            .is_none());
        let html = response.text().await.expect("body");
        let scripts = html.matches("<script").count();
        let with_nonce = html.matches(&format!("nonce=\"{nonce}\"")).count();
        assert!(
            scripts > 0 && with_nonce == scripts,
            "{path}: {scripts} scripts, {with_nonce} with the header's nonce"
        );
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 4, "each response draws its own nonce");
    // Pages without the app (the look-up form, the knowledge base), kept rendered for every
    // anonymous visitor: no nonce shared between responses; the only inline scripts allowed
    // are the page's own (its data, named by their SHA-256), and no other script runs.
    for path in ["/track", "/faq", "/faq/lift-entrapment"] {
        for _ in 0..2 {
            let response = app
                .new_visitor()
                .get(format!("{}{path}", app.base))
                .send()
                .await
                .expect("page");
            let csp = response.headers()["content-security-policy"]
                .to_str()
                .expect("a CSP")
                .to_owned();
            assert!(
                csp.contains("object-src 'none'")
                    && !csp.contains("nonce-")
                    && !csp.contains("unsafe-inline"),
                "{path}: {csp}"
            );
            let sources = csp
                .split(';')
                .find(|d| d.trim().starts_with("script-src"))
                .expect("script-src")
                .split_whitespace()
                .skip(1)
                .map(str::to_owned)
                .collect::<Vec<_>>();
            assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
            let html = response.text().await.expect("body");
            let mut named = Vec::new();
            for chunk in html.split("<script").skip(1) {
                let (tag, rest) = chunk.split_once('>').expect("a script tag");
                assert!(!tag.contains("src="), "{path} loads no script file: {tag}");
                let text = rest.split("</script>").next().expect("a script's text");
                let digest = sha2::Sha256::digest(text.as_bytes());
                named.push(format!(
                    "'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                ));
            }
            for source in &sources {
                assert!(
                    ["'self'", "'wasm-unsafe-eval'"].contains(&source.as_str())
                        || named.contains(source),
                    "{path}: {source} names none of the page's scripts"
                );
            }
            for script in &named {
                assert!(sources.contains(script), "{path}: {script} would not run");
            }
        }
    }
}

/// ASVS 9.1.1 (HSTS), 3.4.1 (cookies `Secure`): behind an https public URL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_public_url_makes_cookies_secure_and_sends_hsts() {
    for engine in crate::support::engines() {
        let app = TestApp::spawn_with(engine, |config| {
            config.public_url = Some("https://portal.example.cn".to_owned());
        })
        .await;
        https_headers(&app, engine).await;
        app.finish().await;
    }
}

async fn https_headers(app: &TestApp, engine: Engine) {
    let response = app
        .client
        .post(format!("{}/api/log_in", app.base))
        .header("accept", "application/json")
        .form(&[("login", "admin"), ("password", "demo-2026")])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200, "{engine:?}");
    assert!(response
        .headers()
        .get("strict-transport-security")
        .is_some_and(|v| v.to_str().is_ok_and(|v| v.contains("max-age="))));
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("portal_session="))
        .expect("a session cookie")
        .to_owned();
    assert!(cookie.contains("Secure"), "{cookie}");
    assert_eq!(
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
}

async fn audit_rows(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM audit_log").await
}

/// ASVS 5.1.5 (redirects only to allowed destinations): the language switch goes
/// back to local paths only, whatever encoding the attacker tries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_never_redirects_off_site() {
    on_every_engine!(language_switch_stays_local);
}

async fn language_switch_stays_local(app: &TestApp) {
    for to in [
        "//evil.example",
        "/%5Cevil.example",
        "/%09/evil.example",
        "/%252F/evil.example",
        "https://evil.example/",
        "/%0d%0aSet-Cookie:%20x=1",
    ] {
        let response = app
            .client
            .get(format!("{}/lang/en?to={to}", app.base))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 303);
        assert_eq!(
            response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok()),
            Some("/"),
            "to={to}"
        );
    }
}

/// ASVS 5.1.5: a failed no-JavaScript form post without `Origin` is sent back to its
/// `Referer`; a forged `Referer` naming another host does not take the visitor there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_form_post_never_redirects_to_a_forged_referer() {
    on_every_engine!(forged_referer_stays_local);
}

async fn forged_referer_stays_local(app: &TestApp) {
    let before = audit_rows(app).await;
    let response = app
        .client
        .post(format!("{}/api/log_in", app.base))
        .header("referer", "https://evil.example/login")
        .header("accept", "text/html")
        .form(&[("login", "admin"), ("password", "")])
        .send()
        .await
        .expect("request");
    assert!(response.status().is_redirection(), "{}", response.status());
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a redirect")
        .to_owned();
    assert!(
        location.starts_with("/login") && !location.contains("evil"),
        "{location}"
    );
    assert_eq!(
        audit_rows(app).await,
        before,
        "nothing was logged in or audited"
    );
}

/// ASVS 2.1.1 / 5.1.4 (bounded input), 7.1.1 (no credentials in logs): a 200,000
/// character login is refused like a wrong one, without echoing it, counting it,
/// hashing it or writing it to the audit log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_login_is_refused_without_an_echo() {
    on_every_engine!(oversized_login);
}

async fn oversized_login(app: &TestApp) {
    let before = audit_rows(app).await;
    let login = "a".repeat(200_000);
    let password = "p".repeat(200_000);
    for (login, password) in [(login.as_str(), "demo-2026"), ("admin", password.as_str())] {
        let (status, body) = app
            .call("log_in", &[("login", login), ("password", password)])
            .await;
        assert_eq!(status, 422, "{body}");
        let size = body.to_string().len();
        assert!(size < 1_000, "the answer is {size} bytes");
    }
    assert_eq!(audit_rows(app).await, before);
    // The real administrator is not locked out by any of this.
    app.log_in("admin").await;
}

/// Limits low enough to reach in a test; every other budget stays off.
fn tight(config: &mut server::config::Config) {
    use server::http::limits::{Rate, RateLimits};
    config.rate_limits = RateLimits {
        tracking: Rate {
            per_minute: 5,
            burst: 5,
        },
        filing: Rate {
            per_minute: 2,
            burst: 2,
        },
        ..RateLimits::OFF
    };
}

async fn on_every_engine_tight<F, Fut>(scenario: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = TestApp>,
{
    for engine in crate::support::engines() {
        let app = TestApp::spawn_with(engine, tight).await;
        scenario(app).await.finish().await;
    }
}

/// ASVS 11.1.4 (anti-automation), 2.2.1 (brute force): guessing tracking codes from
/// one address ends in 429 with `Retry-After` and the wire error the app words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_tracking_codes_from_one_address_is_stopped() {
    on_every_engine_tight(|app| async move {
        let before = app.count("SELECT COUNT(*) FROM complaints").await;
        let mut statuses = Vec::new();
        for guess in 0..20 {
            let code = format!("ZZZZ{guess:04}");
            let response = app
                .client
                .post(format!("{}/api/look_up_complaint", app.base))
                .header("accept", "application/json")
                .form(&[("code", code.as_str()), ("phone", "13900000000")])
                .send()
                .await
                .expect("request");
            let status = response.status().as_u16();
            if status == 429 {
                assert!(response.headers().get("retry-after").is_some());
                let body: serde_json::Value = response.json().await.expect("json");
                assert_eq!(body, serde_json::json!("RateLimited"));
            }
            statuses.push(status);
        }
        assert_eq!(
            statuses.iter().filter(|s| **s == 429).count(),
            15,
            "{statuses:?}"
        );
        assert!(statuses[..5].iter().all(|s| *s == 422), "{statuses:?}");
        // A tracking page is refused too, in the visitor's language.
        let response = app
            .client
            .get(format!("{}/track/ZZZZ9999", app.base))
            .header("accept-language", "en")
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 429);
        let html = response.text().await.expect("body");
        assert!(html.contains("Too many attempts"), "{html}");
        assert_eq!(app.count("SELECT COUNT(*) FROM complaints").await, before);
        app
    })
    .await;
}

/// ASVS 11.1.4: a script filing in a loop files only its budget; a forged
/// `X-Forwarded-For` from an untrusted peer does not buy a new budget.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filing_in_a_loop_stops_at_the_budget_whatever_x_forwarded_for_says() {
    on_every_engine_tight(|app| async move {
        let before = app.count("SELECT COUNT(*) FROM complaints").await;
        let mut statuses = Vec::new();
        for n in 0..5 {
            let response = app
                .client
                .post(format!("{}/api/file_complaint", app.base))
                .header("accept", "application/json")
                .header("x-forwarded-for", format!("198.51.100.{n}"))
                .form(&crate::support::complaint_form(&[]))
                .send()
                .await
                .expect("request");
            statuses.push(response.status().as_u16());
        }
        assert_eq!(statuses, [200, 200, 429, 429, 429]);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM complaints").await,
            before + 2
        );
        app
    })
    .await;
}

/// ASVS 2.2.1 (anti-automation without lock-out), 11.1.6 (no check-then-act on the
/// attempt count): 50 parallel wrong passwords on one account are each counted, none
/// logs in, and the account is slowed, not locked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_wrong_passwords_are_each_counted() {
    on_every_engine!(parallel_wrong_passwords);
}

async fn parallel_wrong_passwords(app: &TestApp) {
    let sessions_before = app
        .count("SELECT COUNT(*) FROM audit_log WHERE action = 'login'")
        .await;
    let attempts = (0..50).map(|n| {
        let client = app.new_visitor();
        let base = app.base.clone();
        async move {
            let password = format!("wrong-{n}");
            crate::support::call_with(
                &client,
                &base,
                "log_in",
                &[("login", "admin"), ("password", password.as_str())],
            )
            .await
            .0
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    assert!(statuses.iter().all(|s| *s == 422), "{statuses:?}");
    assert_eq!(
        app.running()
            .login_limiter
            .attempts("admin")
            .await
            .expect("attempts"),
        50
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed'")
            .await,
        50
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'login'")
            .await,
        sessions_before,
        "nobody logged in"
    );
}

/// ASVS 11.1.2 / 11.1.4 (business logic limits, anti-automation): the same filing form
/// sent twice at once — a double tap, a retry, two tabs — files one complaint with one set
/// of clocks, and each copy gets its receipt; the key without the phone that filed it
/// reveals nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_form_sent_twice_at_once_files_one_complaint() {
    on_every_engine!(double_submit);
}

async fn double_submit(app: &TestApp) {
    let before = app.count("SELECT COUNT(*) FROM complaints").await;
    let key = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
    let form = crate::support::complaint_form(&[("intake[submission_key]", key)]);
    let owner = app.new_visitor();
    let (first, second) = tokio::join!(
        crate::support::call_with(&owner, &app.base, "file_complaint", &form),
        crate::support::call_with(&owner, &app.base, "file_complaint", &form),
    );
    assert_eq!((first.0, second.0), (200, 200), "{} {}", first.1, second.1);
    assert_eq!(first.1["tracking_code"], second.1["tracking_code"]);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM complaints").await,
        before + 1
    );
    let id = first.1["complaint_id"].as_i64().unwrap();
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM complaint_events WHERE complaint_id = {id} AND kind = 'filed'"
        ))
        .await,
        1,
        "one filing on the timeline"
    );

    // The same key with another phone: refused, and nothing is filed or revealed.
    let other = crate::support::complaint_form(&[
        ("intake[submission_key]", key),
        ("intake[phone]", "13987654321"),
    ]);
    let (status, body) =
        crate::support::call_with(&app.new_visitor(), &app.base, "file_complaint", &other).await;
    assert_eq!(status, 409, "{body}");
    assert!(!body
        .to_string()
        .contains(first.1["tracking_code"].as_str().unwrap()));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM complaints").await,
        before + 1
    );

    // Without a key (or a malformed one) every post is a complaint of its own.
    let plain = crate::support::complaint_form(&[("intake[submission_key]", "short")]);
    for _ in 0..2 {
        let (status, _) =
            crate::support::call_with(&app.new_visitor(), &app.base, "file_complaint", &plain)
                .await;
        assert_eq!(status, 200);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM complaints").await,
        before + 3
    );
}

/// One evidence part of `size` bytes that looks like a JPEG.
fn jpeg_of(size: usize) -> reqwest::multipart::Form {
    let mut bytes = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0".to_vec();
    bytes.resize(size, 0);
    reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name("漏水.jpg"),
    )
}

async fn upload_to(
    app: &TestApp,
    owner: &reqwest::Client,
    code: &str,
    size: usize,
) -> (u16, String) {
    let response = owner
        .post(format!("{}/track/{code}/evidence", app.base))
        .multipart(jpeg_of(size))
        .send()
        .await
        .expect("upload");
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(|l| {
            form_urlencoded::parse(l.split_once('?').map_or("", |(_, q)| q).as_bytes())
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<String>()
        })
        .unwrap_or_default();
    let body = response.text().await.unwrap_or_default();
    (status, format!("{location}{body}"))
}

/// ASVS 12.1.1 (file size limits), 11.1.4 (anti-automation): one complainant phone may
/// add a daily budget of evidence over all its complaints, whatever address it comes
/// from; a file beyond it is refused whole with the reason, and nothing is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_phone_cannot_fill_the_disk_with_evidence() {
    for engine in crate::support::engines() {
        let app = TestApp::spawn_with(engine, |config| {
            config.quotas = server::http::quotas::Quotas::parse(
                "phone_evidence_mb_per_day=1,min_free_disk_mb=0",
            )
            .unwrap();
        })
        .await;
        phone_budget(&app).await;
        app.finish().await;
    }
}

async fn phone_budget(app: &TestApp) {
    let (_, first, owner) = crate::workflow::file(app, &[]).await;
    let (status, outcome) = upload_to(app, &owner, &first, 600 * 1024).await;
    assert_eq!(status, 303);
    assert!(outcome.contains("evidence_added=1"), "{outcome}");
    let stored = app.count("SELECT COUNT(*) FROM evidence").await;

    // The rest of today's megabyte is 424 KB: a 600 KB file is refused whole.
    let (status, outcome) = upload_to(app, &owner, &first, 600 * 1024).await;
    assert_eq!(status, 303);
    assert!(outcome.contains("已达上限"), "{outcome}");
    // Another complaint of the same phone draws on the same budget.
    let (_, second, same_phone) = crate::workflow::file(app, &[]).await;
    let (_, outcome) = upload_to(app, &same_phone, &second, 600 * 1024).await;
    assert!(outcome.contains("已达上限"), "{outcome}");
    assert_eq!(app.count("SELECT COUNT(*) FROM evidence").await, stored);

    // Another owner's phone has its own.
    let (_, other, other_owner) =
        crate::workflow::file(app, &[("intake[phone]", "13987654321")]).await;
    let (_, outcome) = upload_to(app, &other_owner, &other, 600 * 1024).await;
    assert!(outcome.contains("evidence_added=1"), "{outcome}");
}

/// ASVS 12.1.1, 11.1.4: uploads stop (507, in the visitor's language) while the disk
/// holding the evidence files is nearly full, before it fills; nothing is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_stop_before_the_disk_fills() {
    for engine in crate::support::engines() {
        let app = TestApp::spawn_with(engine, |config| {
            config.quotas = server::http::quotas::Quotas {
                phone_filings_per_day: 0,
                phone_evidence_bytes_per_day: 0,
                min_free_disk_bytes: u64::MAX,
            };
        })
        .await;
        disk_full(&app).await;
        app.finish().await;
    }
}

async fn disk_full(app: &TestApp) {
    let (_, code, owner) = crate::workflow::file(app, &[]).await;
    let (status, body) = upload_to(app, &owner, &code, 1024).await;
    assert_eq!(status, 507);
    assert!(body.contains("存储空间不足"), "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM evidence").await, 0);
    // Filing and following the complaint go on.
    let (status, _) =
        crate::support::call_with(&owner, &app.base, "tracked_complaint", &[("code", &code)]).await;
    assert_eq!(status, 200);
}

/// ASVS 11.1.4 (anti-automation): one phone files at most its daily number of complaints,
/// from any address; the next is refused beside the phone field with everything typed
/// kept, and nothing is filed. Another phone files as usual.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_phone_cannot_flood_the_queue() {
    for engine in crate::support::engines() {
        let app = TestApp::spawn_with(engine, |config| {
            config.quotas = server::http::quotas::Quotas {
                phone_filings_per_day: 2,
                ..server::http::quotas::Quotas::OFF
            };
        })
        .await;
        filing_quota(&app).await;
        app.finish().await;
    }
}

async fn filing_quota(app: &TestApp) {
    crate::workflow::file(app, &[]).await;
    crate::workflow::file(app, &[]).await;
    let before = app.count("SELECT COUNT(*) FROM complaints").await;
    let (status, body) = crate::support::call_with(
        &app.new_visitor(),
        &app.base,
        "file_complaint",
        &crate::support::complaint_form(&[("intake[description]", "第三次:楼道灯坏了一周没人修")]),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let text = body.to_string();
    assert!(text.contains("已达上限"), "{text}");
    assert!(
        text.contains("楼道灯坏了一周没人修"),
        "what was typed comes back: {text}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM complaints").await, before);
    crate::workflow::file(app, &[("intake[phone]", "13987654321")]).await;
}

/// A JPEG whose EXIF says "turn right" (orientation 6) and where it was taken
/// (GPS latitude 31°14'5.5"), and whose XMP repeats the position.
fn jpeg_with_position() -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    // IFD0 at 8: orientation, and the GPS IFD at 8 + 2 + 2*12 + 4 = 38.
    tiff.extend_from_slice(&[0, 2]);
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    // GPS IFD at 38: latitude, three rationals at 38 + 2 + 12 + 4 = 56.
    tiff.extend_from_slice(&[0, 1]);
    tiff.extend_from_slice(&[0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 56]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    for (n, d) in [(31u32, 1u32), (14, 1), (55_555, 10_000)] {
        tiff.extend_from_slice(&n.to_be_bytes());
        tiff.extend_from_slice(&d.to_be_bytes());
    }
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(&tiff);
    let xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description exif:GPSLatitude=\"31,14.0925N\"/></x:xmpmeta>".to_vec();
    let mut jpeg = vec![0xFF, 0xD8];
    for payload in [exif, xmp] {
        jpeg.extend_from_slice(&[0xFF, 0xE1]);
        jpeg.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
        jpeg.extend_from_slice(&payload);
    }
    // A start of scan, some image data and the end.
    jpeg.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0x3F, 0]);
    jpeg.extend_from_slice(&[0x55; 64]);
    jpeg.extend_from_slice(&[0xFF, 0xD9]);
    jpeg
}

/// ASVS 8.3.x (sensitive private data), 12.x: a photo's position (EXIF GPS and XMP) is
/// removed on upload, its orientation kept; what is stored and served has no position.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photos_position_is_removed_on_upload() {
    on_every_engine!(photo_position);
}

async fn photo_position(app: &TestApp) {
    let (_, code, owner) = crate::workflow::file(app, &[]).await;
    let original = jpeg_with_position();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(original.clone()).file_name("阳台.jpg"),
    );
    let response = owner
        .post(format!("{}/track/{code}/evidence", app.base))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status().as_u16(), 303);
    let id = app.count("SELECT MAX(id) FROM evidence").await;
    let served = owner
        .get(format!("{}/evidence/{id}", app.base))
        .send()
        .await
        .expect("download");
    assert_eq!(served.status().as_u16(), 200);
    let served = served.bytes().await.expect("bytes").to_vec();
    let latitude_seconds = 55_555u32.to_be_bytes();
    assert!(
        !served.windows(4).any(|w| w == latitude_seconds),
        "the GPS latitude is gone"
    );
    assert!(
        !String::from_utf8_lossy(&served).contains("GPSLatitude"),
        "the XMP with the position is gone"
    );
    // The orientation entry (0x0112, SHORT, 1, 6) is still there, and the picture itself.
    assert!(served
        .windows(10)
        .any(|w| w == [0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6]));
    assert!(served.ends_with(&original[original.len() - 76..]));
}

/// ASVS 11.1.2 / 11.1.3 (business logic in order, no double action): the same approval
/// sent twice at once — a double click, two supervisors — is granted once: one decision,
/// one timeline entry; the second is refused as already decided.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approving_twice_at_once_has_one_effect() {
    on_every_engine!(approve_twice);
}

async fn approve_twice(app: &TestApp) {
    let (id, _, _) = crate::workflow::file(app, &[]).await;
    app.log_in("supervisor").await;
    crate::support::assign_to(app, &app.client, &id, "repair").await;
    // The handler proposes compensation above their authority and asks for approval.
    let repair = crate::support::signed_in(app, "repair").await;
    for step in [
        vec![("action", "start_investigation")],
        vec![
            ("action", "propose_solution"),
            ("plan", "重做防水并赔偿装修损失"),
            ("compensation_yuan", "5000"),
        ],
        vec![("action", "request_approval")],
    ] {
        let (status, body) = crate::support::take_step(app, &repair, &id, &step).await;
        assert_eq!(status, 200, "{step:?}: {body}");
    }
    let events = |kind: &'static str| {
        let id = id.clone();
        async move {
            app.count(&format!(
                "SELECT COUNT(*) FROM complaint_events WHERE complaint_id = {id} AND kind = '{kind}'"
            ))
            .await
        }
    };
    let approvals_before = events("approval").await;
    // The repair department's manager decides ¥5,000, here from two sessions at once.
    let manager = crate::support::signed_in(app, "manager").await;
    let other_session = crate::support::signed_in(app, "manager").await;
    let grant = |client: reqwest::Client| {
        let (base, id) = (app.base.clone(), id.clone());
        async move {
            crate::support::call_with(
                &client,
                &base,
                "take_step",
                &[
                    ("id", id.as_str()),
                    ("step[action]", "grant_approval"),
                    ("step[reason]", "同意"),
                ],
            )
            .await
            .0
        }
    };
    let (first, second) = tokio::join!(grant(manager), grant(other_session));
    let mut statuses = [first, second];
    statuses.sort_unstable();
    assert_eq!(statuses[0], 200, "{statuses:?}");
    assert!(
        matches!(statuses[1], 409 | 422),
        "the second is refused: {statuses:?}"
    );
    assert_eq!(events("approval").await, approvals_before + 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM approvals WHERE complaint_id = {id} AND decided_at IS NOT NULL"
        ))
        .await,
        1
    );
}
