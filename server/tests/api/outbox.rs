//! Messages that leave the portal, delivered to real servers on loopback: an HTTP server
//! standing in for the SMS gateway and the webhook receivers (signatures verified here),
//! and a real SMTP server for e-mail. Receivers that are down, that fail, a portal killed
//! with queued messages, and quiet hours.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::support::{call_with, complaint_form, engines, signed_in, take_step, Engine, TestApp};
use crate::workflow::file;

const SECRET: &str = "a-webhook-secret-of-the-operator";

/// One request a receiver got.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

/// An HTTP server on loopback that answers `status` and keeps every request.
struct Receiver {
    addr: SocketAddr,
    got: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    async fn start(at: Option<SocketAddr>, status: u16) -> Receiver {
        let listener = tokio::net::TcpListener::bind(at.unwrap_or(([127, 0, 0, 1], 0).into()))
            .await
            .expect("bind the receiver");
        let addr = listener.local_addr().unwrap();
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let status = Arc::new(AtomicU16::new(status));
        let router = axum::Router::new().fallback({
            let (got, status) = (got.clone(), status.clone());
            move |request: axum::extract::Request| {
                let (got, status) = (got.clone(), status.clone());
                async move {
                    let (parts, body) = request.into_parts();
                    let bytes = axum::body::to_bytes(body, 1 << 20)
                        .await
                        .unwrap_or_default();
                    got.lock().unwrap().push(Received {
                        path: parts.uri.to_string(),
                        headers: parts
                            .headers
                            .iter()
                            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
                            .collect(),
                        body: String::from_utf8_lossy(&bytes).into_owned(),
                    });
                    let code =
                        axum::http::StatusCode::from_u16(status.load(Ordering::SeqCst)).unwrap();
                    (code, "{\"ok\":true}")
                }
            }
        });
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Receiver {
            addr,
            got,
            status,
            task,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn got(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    fn stop(self) {
        self.task.abort();
    }
}

/// A free loopback port with nothing listening on it (yet).
fn free_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

async fn eventually<F, Fut>(what: &str, check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    within(15, what, check).await
}

async fn within<F, Fut>(seconds: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..seconds * 20 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting: {what}");
}

fn verify_signature(received: &Received) {
    let signature = received.header("x-portal-signature").expect("signed");
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(received.body.as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(signature, format!("sha256={expected}"));
    let body = received.json();
    assert_eq!(
        body["timestamp"].to_string(),
        received.header("x-portal-timestamp").unwrap(),
        "the timestamp is signed with the body"
    );
    assert_eq!(
        Some(body["id"].as_str().unwrap()),
        received.header("x-portal-delivery"),
        "the delivery id is the idempotency key"
    );
}

/// The SMS gateway settings for a receiver at `url`, without an auth header.
fn gateway_at(url: String) -> Option<server::outbox::settings::Sms> {
    Some(server::outbox::settings::Sms {
        url,
        auth: None,
        body: server::outbox::settings::SMS_BODY.to_owned(),
    })
}

/// A policy without quiet hours: these tests run at any hour, quiet ones included.
const ANY_HOUR: &str = "[messages]\nquiet_from_hour = 0\nquiet_until_hour = 0\n";

fn policy_file(dir: &std::path::Path, toml: &str) -> String {
    let path = dir.join("policy.toml");
    std::fs::write(&path, toml).unwrap();
    path.display().to_string()
}

async fn status_of(app: &TestApp, kind: &str, channel: &str, code: &str) -> Option<String> {
    use sqlx::Row;
    sqlx::query(
        "SELECT d.status FROM deliveries d JOIN complaints c ON c.id = d.complaint_id
         WHERE d.kind = $1 AND d.channel = $2 AND c.tracking_code = $3 ORDER BY d.id DESC LIMIT 1",
    )
    .bind(kind)
    .bind(channel)
    .bind(code)
    .fetch_optional(app.pool())
    .await
    .unwrap()
    .map(|r| r.get::<String, _>(0))
}

/// Filing sends the tracking code by SMS through the gateway and a signed
/// `complaint.filed` to the operator's webhook; a public reply sends `complaint.replied`
/// and an SMS; the owner and the administrator see where each went, masked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filing_and_a_reply_reach_the_sms_gateway_and_a_signed_webhook() {
    for engine in engines() {
        let gateway = Receiver::start(None, 200).await;
        let hooks = Receiver::start(None, 200).await;
        let (sms_url, hook_url) = (gateway.url("/sms/send"), hooks.url("/hooks/portal"));
        let dir = tempfile::tempdir().unwrap();
        let policy = policy_file(dir.path(), ANY_HOUR);
        let app = TestApp::spawn_with(engine, |c| {
            c.policy_file = Some(policy);
            c.outbox.sms = Some(server::outbox::settings::Sms {
                url: sms_url,
                auth: Some((
                    "Authorization".to_owned(),
                    "Bearer gateway-token".to_owned(),
                )),
                body: server::outbox::settings::SMS_BODY.to_owned(),
            });
            c.outbox.webhook = Some((hook_url, SECRET.to_owned()));
        })
        .await;
        let (id, code, owner) = file(&app, &[("intake[phone]", "13912345678")]).await;

        // The SMS: the gateway's JSON, the signature first, the code, a link, the key.
        eventually("the filing SMS", || async {
            gateway.got().iter().any(|r| r.body.contains("13912345678"))
        })
        .await;
        let sms = gateway
            .got()
            .into_iter()
            .find(|r| r.body.contains("13912345678"))
            .unwrap();
        assert_eq!(sms.path, "/sms/send");
        assert_eq!(sms.header("authorization"), Some("Bearer gateway-token"));
        let text = sms.json()["text"].as_str().unwrap().to_owned();
        assert!(text.starts_with("【物业服务中心】"), "{text}");
        assert!(text.replace('-', "").contains(&code), "{text}");
        assert!(text.contains(&format!("/track/{code}")), "{text}");
        assert!(text.ends_with("回T退订"), "{text}");
        assert_eq!(sms.json()["id"].as_str().map(str::len), Some(32));

        // The webhook: signed, the contract's fields.
        eventually("complaint.filed", || async {
            hooks.got().iter().any(|r| r.body.contains(&code))
        })
        .await;
        let filed = hooks
            .got()
            .into_iter()
            .find(|r| r.body.contains(&code))
            .unwrap();
        verify_signature(&filed);
        assert_eq!(filed.header("x-portal-event"), Some("complaint.filed"));
        let body = filed.json();
        assert_eq!(body["event"], "complaint.filed");
        assert_eq!(body["complaint"]["tracking_code"], code.as_str());
        assert_eq!(body["complaint"]["category"], "engineering_quality");
        assert_eq!(body["complaint"]["status"], "filed");
        assert!((1..=4).contains(&body["complaint"]["level"].as_i64().unwrap()));
        assert!(
            chrono::DateTime::parse_from_rfc3339(body["occurred_at"].as_str().unwrap()).is_ok()
        );

        // The owner sees where the SMS went, masked, and that it was sent.
        let (status, view) =
            call_with(&owner, &app.base, "tracked_complaint", &[("code", &code)]).await;
        assert_eq!(status, 200, "{view}");
        assert_eq!(view["notices"]["sms_to"], "139****5678");
        let line = &view["notices"]["recent"][0];
        assert_eq!(line["kind"], "filed");
        assert_eq!(line["status"], "sent");
        assert_eq!(line["to"], "139****5678");
        assert!(
            !view.to_string().contains("13912345678"),
            "never the whole phone"
        );

        // A public reply: an SMS and complaint.replied (an internal note sends nothing).
        let agent = signed_in(&app, "agent").await;
        let (status, body) = take_step(
            &app,
            &agent,
            &id,
            &[("action", "note"), ("body", "内部备注:先联系工程部")],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = take_step(
            &app,
            &agent,
            &id,
            &[
                ("action", "reply"),
                ("body", "您好,我们已安排师傅明天上午上门查看。"),
            ],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        eventually("complaint.replied", || async {
            hooks
                .got()
                .iter()
                .any(|r| r.header("x-portal-event") == Some("complaint.replied"))
        })
        .await;
        let replied = hooks
            .got()
            .into_iter()
            .find(|r| r.header("x-portal-event") == Some("complaint.replied"))
            .unwrap();
        verify_signature(&replied);
        assert_eq!(
            replied.json()["reply"]["body"],
            "您好,我们已安排师傅明天上午上门查看。"
        );
        assert!(
            !hooks.got().iter().any(|r| r.body.contains("内部备注")),
            "internal notes never leave"
        );
        eventually("the reply SMS", || async {
            status_of(&app, "replied", "sms", &code).await.as_deref() == Some("sent")
        })
        .await;

        // The administrator's log: masked recipients, statuses, the endpoint's last codes.
        let admin = signed_in(&app, "admin").await;
        let (status, log) = call_with(&admin, &app.base, "delivery_log", &[]).await;
        assert_eq!(status, 200, "{log}");
        let lines = log["lines"].as_array().unwrap();
        assert!(lines
            .iter()
            .any(|l| l["kind"] == "filed" && l["to"] == "139****5678" && l["status"] == "sent"));
        assert!(lines.iter().any(|l| l["kind"] == "complaint.filed"
            && l["to"] == "127.0.0.1"
            && l["response_code"] == 200));
        assert!(!log.to_string().contains("13912345678"));
        assert_eq!(log["channels"], serde_json::json!(["sms"]));
        assert!(log["endpoints"][0]["from_env"].as_bool().unwrap());

        // The owner switches SMS off: the next message goes by e-mail only... or nowhere.
        let (status, body) = call_with(
            &owner,
            &app.base,
            "set_notices",
            &[("code", &code), ("sms", ""), ("email", "not-an-address")],
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains("邮箱格式不正确"), "{body}");
        let (status, body) = call_with(
            &owner,
            &app.base,
            "set_notices",
            &[("code", &code), ("sms", ""), ("email", "")],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let before = app
            .count("SELECT COUNT(*) FROM deliveries WHERE channel = 'sms'")
            .await;
        let (status, body) = take_step(
            &app,
            &agent,
            &id,
            &[("action", "reply"), ("body", "师傅已到楼下,请您开门。")],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM deliveries WHERE channel = 'sms'")
                .await,
            before
        );

        gateway.stop();
        hooks.stop();
        app.finish().await;
    }
}

/// The receiver is down: the message is retried with backoff and delivered once it is up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_that_is_down_gets_the_message_when_it_comes_back() {
    for engine in engines() {
        let addr = free_port();
        let url = format!("http://{addr}/hooks");
        let app = TestApp::spawn_with(engine, |c| {
            c.outbox.webhook = Some((url, SECRET.to_owned()));
            c.outbox.retry_base = Duration::from_millis(100);
            c.outbox.retry_cap = Duration::from_millis(400);
        })
        .await;
        let (_, code, _) = file(&app, &[]).await;
        eventually("two failed tries", || async {
            app.count(&format!(
                "SELECT COUNT(*) FROM deliveries d JOIN complaints c ON c.id = d.complaint_id
                 WHERE c.tracking_code = '{code}' AND d.kind = 'complaint.filed' AND d.status = 'retrying' AND d.attempts >= 2"
            ))
            .await
                == 1
        })
        .await;
        let receiver = Receiver::start(Some(addr), 200).await;
        eventually("delivered after the receiver came back", || async {
            status_of(&app, "complaint.filed", "webhook", &code)
                .await
                .as_deref()
                == Some("sent")
        })
        .await;
        let got: Vec<Received> = receiver
            .got()
            .into_iter()
            .filter(|r| r.body.contains(&code))
            .collect();
        assert_eq!(got.len(), 1, "delivered once");
        verify_signature(&got[0]);
        receiver.stop();
        app.finish().await;
    }
}

/// A receiver that answers 500 every time: after `max_attempts` the message is dead, with
/// the last error; the administrator's retry sends it again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_failing_every_time_makes_a_dead_letter_that_can_be_retried() {
    for engine in engines() {
        let receiver = Receiver::start(None, 500).await;
        let url = receiver.url("/hooks");
        let dir = tempfile::tempdir().unwrap();
        let policy = policy_file(dir.path(), "[messages]\nmax_attempts = 3\n");
        let app = TestApp::spawn_with(engine, |c| {
            c.outbox.webhook = Some((url, SECRET.to_owned()));
            c.outbox.retry_base = Duration::from_millis(50);
            c.outbox.retry_cap = Duration::from_millis(100);
            c.policy_file = Some(policy);
        })
        .await;
        let (_, code, _) = file(&app, &[]).await;
        eventually("a dead letter", || async {
            status_of(&app, "complaint.filed", "webhook", &code)
                .await
                .as_deref()
                == Some("dead")
        })
        .await;
        let tries: Vec<Received> = receiver
            .got()
            .into_iter()
            .filter(|r| r.body.contains(&code))
            .collect();
        assert_eq!(tries.len(), 3, "three tries, then given up");
        let keys: std::collections::BTreeSet<_> = tries
            .iter()
            .map(|r| r.header("x-portal-delivery").unwrap().to_owned())
            .collect();
        assert_eq!(keys.len(), 1, "every try carries the same idempotency key");

        let admin = signed_in(&app, "admin").await;
        let (_, log) = call_with(&admin, &app.base, "delivery_log", &[("status", "dead")]).await;
        let dead = log["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["tracking_code"] == code.as_str() && l["kind"] == "complaint.filed")
            .unwrap()
            .clone();
        assert_eq!(dead["attempts"], 3);
        assert_eq!(dead["response_code"], 500);
        assert!(
            dead["last_error"].as_str().unwrap().starts_with("HTTP 500"),
            "{dead}"
        );

        receiver.status.store(200, Ordering::SeqCst);
        let (status, body) = call_with(
            &admin,
            &app.base,
            "retry_delivery",
            &[("id", &dead["id"].to_string())],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        eventually("sent after the retry", || async {
            status_of(&app, "complaint.filed", "webhook", &code)
                .await
                .as_deref()
                == Some("sent")
        })
        .await;
        let (status, _) = call_with(
            &admin,
            &app.base,
            "retry_delivery",
            &[("id", &dead["id"].to_string())],
        )
        .await;
        assert_eq!(status, 409, "nothing left to retry");
        receiver.stop();
        app.finish().await;
    }
}

/// An administrator's webhook may not point into the network the portal runs in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrators_webhook_to_a_private_address_is_refused_unless_allowed() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let admin = signed_in(&app, "admin").await;
    for url in [
        "http://127.0.0.1:8080/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/hook",
        "http://[::1]/hook",
        "http://localhost/hook",
    ] {
        let (status, body) = call_with(&admin, &app.base, "add_webhook", &[("url", url)]).await;
        assert_eq!(status, 422, "{url}: {body}");
        assert!(body.to_string().contains("内网"), "{body}");
    }
    let receiver = Receiver::start(None, 200).await;
    let (status, secret) = call_with(
        &admin,
        &app.base,
        "add_webhook",
        &[
            ("url", &receiver.url("/h")),
            ("events", "complaint.filed"),
            ("allow_private", "on"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{secret}");
    assert_eq!(secret.as_str().unwrap().len(), 64);
    let (status, body) = call_with(
        &admin,
        &app.base,
        "add_webhook",
        &[
            ("url", "https://hooks.example.com/x"),
            ("events", "complaint.exploded"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    // A ping reaches it, signed with the secret it was given.
    let (_, log) = call_with(&admin, &app.base, "delivery_log", &[]).await;
    let endpoint = log["endpoints"][0]["id"].to_string();
    let (status, body) = call_with(
        &admin,
        &app.base,
        "send_test_message",
        &[("channel", "webhook"), ("to", &endpoint)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    eventually("the ping", || async { !receiver.got().is_empty() }).await;
    let ping = &receiver.got()[0];
    assert_eq!(ping.header("x-portal-event"), Some("ping"));
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_str().unwrap().as_bytes()).unwrap();
    mac.update(ping.body.as_bytes());
    assert!(mac
        .verify_slice(
            &(0..32)
                .map(|i| u8::from_str_radix(
                    &ping.header("x-portal-signature").unwrap()[7 + 2 * i..9 + 2 * i],
                    16
                )
                .unwrap())
                .collect::<Vec<_>>()
        )
        .is_ok());
    receiver.stop();
    app.finish().await;
}

/// E-mail goes through a real SMTP server: text and HTML, the link, the idempotency key
/// as the Message-ID.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_who_gives_an_email_address_gets_mail_through_smtp() {
    for engine in engines() {
        let (port, mails) = smtp_server();
        let app = TestApp::spawn_with(engine, |c| {
            c.outbox.smtp = Some(server::outbox::settings::Smtp {
                url: format!("smtp://127.0.0.1:{port}"),
                from: "物业服务中心 <service@example.com>".to_owned(),
            });
        })
        .await;
        let (id, code, owner) = file(&app, &[]).await;
        let (status, body) = call_with(
            &owner,
            &app.base,
            "set_notices",
            &[
                ("code", &code),
                ("sms", "on"),
                ("email", "wang@example.com"),
            ],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let agent = signed_in(&app, "agent").await;
        let (status, body) = take_step(
            &app,
            &agent,
            &id,
            &[("action", "reply"), ("body", "您好,维修师傅明天上门。")],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        eventually("the e-mail", || {
            let mails = mails.clone();
            async move { !mails.lock().unwrap().is_empty() }
        })
        .await;
        let mail = mails.lock().unwrap()[0].clone();
        assert!(mail.contains("wang@example.com"), "{mail}");
        assert!(
            mail.contains("text/html") && mail.contains("text/plain"),
            "{mail}"
        );
        assert!(mail.contains(&format!("/track/{code}")), "{mail}");
        assert!(
            mail.to_ascii_lowercase().contains("message-id: <"),
            "{mail}"
        );
        eventually("recorded as sent", || async {
            status_of(&app, "replied", "email", &code).await.as_deref() == Some("sent")
        })
        .await;
        app.finish().await;
    }
}

/// A real SMTP server (mailin) on a free loopback port, keeping each message's data.
fn smtp_server() -> (u16, Arc<Mutex<Vec<String>>>) {
    #[derive(Clone)]
    struct Keep {
        mails: Arc<Mutex<Vec<String>>>,
        current: Arc<Mutex<Vec<u8>>>,
    }
    impl mailin_embedded::Handler for Keep {
        fn data_start(
            &mut self,
            _: &str,
            _: &str,
            _: bool,
            _: &[String],
        ) -> mailin_embedded::Response {
            self.current.lock().unwrap().clear();
            mailin_embedded::response::OK
        }
        fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
            self.current.lock().unwrap().extend_from_slice(buf);
            Ok(())
        }
        fn data_end(&mut self) -> mailin_embedded::Response {
            let data = String::from_utf8_lossy(&self.current.lock().unwrap()).into_owned();
            self.mails.lock().unwrap().push(data);
            mailin_embedded::response::OK
        }
    }
    let mails: Arc<Mutex<Vec<String>>> = Arc::default();
    let handler = Keep {
        mails: mails.clone(),
        current: Arc::default(),
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut server = mailin_embedded::Server::new(handler);
    server.with_name("portal-test").with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (port, mails)
}

/// Quiet hours hold an SMS until the morning hour; a level-1 complaint's SMS goes at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiet_hours_hold_an_sms_until_morning_except_for_level_one() {
    use chrono::{FixedOffset, Timelike};
    let engine = Engine::Sqlite;
    let gateway = Receiver::start(None, 200).await;
    let sms_url = gateway.url("/sms");
    // Quiet from this hour (China time) until two hours later, whatever the time now.
    let zone = FixedOffset::east_opt(8 * 3600).unwrap();
    let hour = chrono::Utc::now().with_timezone(&zone).hour();
    let until = (hour + 2) % 24;
    let dir = tempfile::tempdir().unwrap();
    let policy = policy_file(
        dir.path(),
        &format!("[messages]\nquiet_from_hour = {hour}\nquiet_until_hour = {until}\n"),
    );
    let app = TestApp::spawn_with(engine, |c| {
        c.outbox.sms = gateway_at(sms_url);
        c.policy_file = Some(policy);
    })
    .await;
    let (_, code, _) = file(&app, &[("intake[phone]", "13700001234")]).await;
    let (_, urgent, _) = file(
        &app,
        &[
            ("intake[phone]", "13700004321"),
            ("intake[description]", "电梯困人,有老人被困在里面出不来"),
            ("intake[emergency]", "on"),
        ],
    )
    .await;
    eventually("the urgent SMS at once", || async {
        status_of(&app, "filed", "sms", &urgent).await.as_deref() == Some("sent")
    })
    .await;
    // The other waits, queued for `until`:00 China time.
    eventually("held", || async {
        app.count(&format!(
            "SELECT COUNT(*) FROM deliveries d JOIN complaints c ON c.id = d.complaint_id
             WHERE c.tracking_code = '{code}' AND d.channel = 'sms' AND d.status = 'queued' AND d.attempts = 0
               AND d.next_at > d.created_at"
        ))
        .await
            == 1
    })
    .await;
    let next_at = app
        .count(&format!(
            "SELECT d.next_at FROM deliveries d JOIN complaints c ON c.id = d.complaint_id
             WHERE c.tracking_code = '{code}' AND d.channel = 'sms'"
        ))
        .await;
    let local = chrono::DateTime::from_timestamp_millis(next_at)
        .unwrap()
        .with_timezone(&zone);
    assert_eq!((local.hour(), local.minute()), (until, 0));
    assert!(!gateway.got().iter().any(|r| r.body.contains("13700001234")));
    gateway.stop();
    app.finish().await;
}

/// The portal is killed (SIGKILL) with messages queued for a receiver that is down; after a
/// restart every message is delivered, each key at least once and no key more often than
/// its tries explain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_killed_with_queued_messages_delivers_them_after_restart() {
    for engine in engines() {
        let dir = tempfile::tempdir().unwrap().keep();
        let (database_url, pg_database) = match engine {
            Engine::Sqlite => (
                format!("sqlite://{}", dir.as_path().join("portal.db").display()),
                None,
            ),
            Engine::Postgres => {
                let admin = crate::support::postgres_url().unwrap();
                let name = format!(
                    "portal_kill_{}_{}",
                    std::process::id(),
                    chrono::Utc::now().timestamp_micros() % 1_000_000
                );
                crate::support::execute_admin(&admin, &format!("CREATE DATABASE {name}")).await;
                (crate::support::replace_database(&admin, &name), Some(name))
            }
        };
        let hook = free_port();
        // Enough tries for the time the receiver is down.
        let policy = policy_file(dir.as_path(), "[messages]\nmax_attempts = 50\n");
        let start = |port: u16| {
            std::process::Command::new(env!("CARGO_BIN_EXE_server"))
                .env_clear()
                .env("PATH", std::env::var("PATH").unwrap_or_default())
                .env("PORTAL_DEMO", "1")
                .env("PORTAL_ADDR", format!("127.0.0.1:{port}"))
                .env("PORTAL_DATABASE_URL", &database_url)
                .env("PORTAL_SITE_ROOT", dir.as_path().join("site"))
                .env(
                    "PORTAL_FILES",
                    format!("file://{}", dir.as_path().join("files").display()),
                )
                .env("PORTAL_RATE_LIMITS", "filing=6000/1000,general=6000/1000")
                .env("PORTAL_QUOTAS", "phone_filings_per_day=1000")
                .env("PORTAL_WEBHOOK_URL", format!("http://{hook}/hooks"))
                .env("PORTAL_WEBHOOK_SECRET", SECRET)
                .env("PORTAL_OUTBOX_RETRY_MS", "100")
                .env("PORTAL_OUTBOX_RETRY_CAP_MS", "1000")
                // Messages a killed portal was sending are claimed again after this.
                .env("PORTAL_OUTBOX_LEASE_MS", "4000")
                .env("PORTAL_POLICY_FILE", &policy)
                .stdout(std::process::Stdio::null())
                .stderr(std::fs::File::create(dir.join(format!("portal-{port}.log"))).unwrap())
                .spawn()
                .expect("start the portal")
        };
        let port = free_port().port();
        let mut portal = start(port);
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        eventually("the portal is up", || {
            let (client, base) = (client.clone(), base.clone());
            async move {
                client
                    .get(format!("{base}/healthz"))
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success())
            }
        })
        .await;
        let mut codes = Vec::new();
        for i in 0..20 {
            let phone = format!("1390000{:04}", 1000 + i);
            let (status, receipt) = call_with(
                &client,
                &base,
                "file_complaint",
                &complaint_form(&[("intake[phone]", &phone)]),
            )
            .await;
            assert_eq!(status, 200, "{receipt}");
            codes.push(receipt["tracking_code"].as_str().unwrap().to_owned());
        }
        // Killed while every message waits for a receiver that is down.
        portal.kill().expect("SIGKILL");
        portal.wait().ok();
        let receiver = Receiver::start(Some(hook), 200).await;
        let port = free_port().port();
        let mut portal = start(port);
        let filed = |r: &Received| r.header("x-portal-event") == Some("complaint.filed");
        within(60, "every filing delivered after the restart", || async {
            let got = receiver.got();
            codes.iter().all(|code| {
                got.iter()
                    .any(|r| filed(r) && r.body.contains(code.as_str()))
            })
        })
        .await;
        let got: Vec<Received> = receiver.got().into_iter().filter(filed).collect();
        let mut per_key = std::collections::BTreeMap::<String, usize>::new();
        for r in &got {
            verify_signature(r);
            *per_key
                .entry(r.header("x-portal-delivery").unwrap().to_owned())
                .or_default() += 1;
        }
        assert_eq!(per_key.len(), codes.len(), "one key per message");
        assert!(per_key.values().all(|n| *n == 1), "none twice: {per_key:?}");
        portal.kill().ok();
        portal.wait().ok();
        receiver.stop();
        let _ = std::fs::remove_dir_all(&dir);
        if let Some(name) = pg_database {
            let admin = crate::support::postgres_url().unwrap();
            crate::support::execute_admin(
                &admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
        }
    }
}

/// The outbox never keeps a survey link once it has left, and staff never see one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_survey_link_is_forgotten_once_sent() {
    // The gateway is down at first: the link waits in the outbox, where the test reads it.
    let addr = free_port();
    let sms_url = format!("http://{addr}/sms");
    let dir = tempfile::tempdir().unwrap();
    let policy = policy_file(dir.path(), ANY_HOUR);
    let app = TestApp::spawn_with(Engine::Sqlite, |c| {
        c.policy_file = Some(policy);
        c.outbox.sms = gateway_at(sms_url);
        c.outbox.retry_base = Duration::from_millis(100);
        c.outbox.retry_cap = Duration::from_millis(300);
    })
    .await;
    let (id, code, _) = file(&app, &[("intake[phone]", "13600007777")]).await;
    let token = crate::surveys::resolve(&app, &id).await;
    let gateway = Receiver::start(Some(addr), 200).await;
    eventually("the survey SMS", || async {
        status_of(&app, "survey", "sms", &code).await.as_deref() == Some("sent")
    })
    .await;
    let sms = gateway
        .got()
        .into_iter()
        .find(|r| r.body.contains("/survey/"))
        .unwrap();
    let text = sms.json()["text"].as_str().unwrap().to_owned();
    assert!(text.contains(&format!("/survey/{token}")), "{text}");
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM deliveries d JOIN complaints c ON c.id = d.complaint_id WHERE c.tracking_code = '{code}' AND d.secret IS NOT NULL"))
            .await,
        0,
        "the link is not kept"
    );
    // The supervisor's revisit list says where it went, never what.
    let (status, list) = app.call("revisits_due", &[]).await;
    assert_eq!(status, 200, "{list}");
    assert!(list.to_string().contains("136****7777"), "{list}");
    assert!(!list.to_string().contains(&token));
    gateway.stop();
    app.finish().await;
}

/// A notice that asks for action also goes by SMS to a staff member with a mobile number
/// on record (a level-1 complaint reaches the general manager at once, whatever the hour);
/// the owner's view of their messages does not list it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_level_one_notice_reaches_the_general_manager_by_sms() {
    for engine in engines() {
        let gateway = Receiver::start(None, 200).await;
        let sms_url = gateway.url("/sms");
        let app = TestApp::spawn_with(engine, |c| {
            c.outbox.sms = gateway_at(sms_url);
        })
        .await;
        sqlx::query("UPDATE users SET phone = '13600009999' WHERE login = 'gm'")
            .execute(app.pool())
            .await
            .unwrap();
        let (_, code, _) = file(
            &app,
            &[
                ("intake[phone]", "13700004321"),
                (
                    "intake[description]",
                    "楼上漏水一个月没人管,我们已经联系了电视台记者,明天来小区采访",
                ),
            ],
        )
        .await;
        let shown = domain::TrackingCode::parse(&code).unwrap().display();
        // (The demo's overdue complaints also reach them, as escalations.)
        let to_gm = |r: &Received| r.body.contains("13600009999") && r.body.contains(&shown);
        eventually("the general manager's SMS", || async {
            gateway.got().iter().any(to_gm)
        })
        .await;
        let sms = gateway.got().into_iter().find(to_gm).unwrap();
        let text = sms.json()["text"].as_str().unwrap().to_owned();
        assert!(text.starts_with("【物业服务中心】"), "{text}");
        assert!(text.contains("一级"), "{text}");
        assert!(!text.contains("13700004321"), "no owner's data: {text}");
        // Sent, shown masked, the text forgotten.
        eventually("settled as sent", || async {
            app.count(&format!(
                "SELECT COUNT(*) FROM deliveries d JOIN complaints c ON c.id = d.complaint_id
                 WHERE c.tracking_code = '{code}' AND d.kind = 'staff' AND d.recipient_shown = '136****9999'
                   AND d.secret IS NULL AND d.status = 'sent'"
            ))
            .await
                == 1
        })
        .await;
        gateway.stop();
        app.finish().await;
    }
}

/// The owner replies "T" to an SMS: the provider's callback, with the operator's token,
/// turns SMS off for that phone on every complaint, later ones included; a wrong token is
/// refused, a chat reply is ignored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_who_replies_t_gets_no_more_sms() {
    for engine in engines() {
        let gateway = Receiver::start(None, 200).await;
        let sms_url = gateway.url("/sms");
        let dir = tempfile::tempdir().unwrap();
        let policy = policy_file(dir.path(), ANY_HOUR);
        let app = TestApp::spawn_with(engine, |c| {
            c.policy_file = Some(policy);
            c.outbox.sms = gateway_at(sms_url);
            c.outbox.inbound_token = Some("inbound-token-0123456789".to_owned());
        })
        .await;
        let (_, first, _) = file(&app, &[("intake[phone]", "13500007777")]).await;
        eventually("the first SMS", || async {
            status_of(&app, "filed", "sms", &first).await.as_deref() == Some("sent")
        })
        .await;
        let client = reqwest::Client::new();
        let post = |token: &'static str, body: &'static str| {
            client
                .post(format!("{}/api/v1/sms/inbound", app.base))
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(body)
                .send()
        };
        let wrong = post(
            "not-the-token-at-all",
            r#"{"phone":"13500007777","text":"T"}"#,
        )
        .await
        .unwrap();
        assert_eq!(wrong.status(), 401);
        let bad = post(
            "inbound-token-0123456789",
            r#"{"phone":"12345","text":"T"}"#,
        )
        .await
        .unwrap();
        assert_eq!(bad.status(), 400);
        assert!(bad.text().await.unwrap().contains("\"phone\""));
        let chat = post(
            "inbound-token-0123456789",
            r#"{"phone":"13500007777","text":"谢谢"}"#,
        )
        .await
        .unwrap();
        assert_eq!(
            chat.json::<serde_json::Value>().await.unwrap()["unsubscribed"],
            false
        );
        let stop = post(
            "inbound-token-0123456789",
            r#"{"phone":"+8613500007777","text":" t "}"#,
        )
        .await
        .unwrap();
        assert_eq!(stop.status(), 200);
        assert_eq!(
            stop.json::<serde_json::Value>().await.unwrap()["unsubscribed"],
            true
        );

        // A later complaint from that phone sends no SMS.
        let (_, second, _) = file(&app, &[("intake[phone]", "13500007777")]).await;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert_eq!(status_of(&app, "filed", "sms", &second).await, None);
        assert_eq!(
            gateway
                .got()
                .iter()
                .filter(|r| r.body.contains("13500007777"))
                .count(),
            1
        );
        gateway.stop();
        app.finish().await;
    }
}

/// An owner who filed from a page in English is written to in English; one who filed in
/// Chinese, in Chinese.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_are_written_to_in_the_language_they_filed_in() {
    for engine in engines() {
        let gateway = Receiver::start(None, 200).await;
        let sms_url = gateway.url("/sms/send");
        let dir = tempfile::tempdir().unwrap();
        let policy = policy_file(dir.path(), ANY_HOUR);
        let app = TestApp::spawn_with(engine, |c| {
            c.policy_file = Some(policy);
            c.outbox.sms = gateway_at(sms_url);
        })
        .await;
        let english = app.visitor_in("en-GB,en;q=0.9");
        let (status, receipt) = call_with(
            &english,
            &app.base,
            "file_complaint",
            &complaint_form(&[("intake[phone]", "13911112222")]),
        )
        .await;
        assert_eq!(status, 200, "{receipt}");
        let (_, _, _) = file(&app, &[("intake[phone]", "13933334444")]).await;
        for (phone, chinese) in [("13911112222", false), ("13933334444", true)] {
            eventually("the filing SMS", || async {
                gateway.got().iter().any(|r| r.body.contains(phone))
            })
            .await;
            let sms = gateway
                .got()
                .into_iter()
                .find(|r| r.body.contains(phone))
                .unwrap();
            let text = sms.json()["text"].as_str().unwrap().to_owned();
            // The signature and the unsubscribe words are the carrier's, in every language.
            let message = text.replace("【物业服务中心】", "").replace("回T退订", "");
            let has_chinese = message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert_eq!(has_chinese, chinese, "{phone}: {text}");
        }
    }
}
