//! The channels a message leaves by, behind one trait: an HTTP SMS gateway, SMTP, WeChat
//! template messages and signed webhooks. Each returns the receiver's HTTP status when there
//! is one, or why it failed.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::Mutex;

use super::settings;

/// One message, ready to go.
pub struct Outgoing<'a> {
    /// The idempotency key (X-Portal-Delivery, the gateway's message id, the Message-ID).
    pub key: &'a str,
    pub recipient: &'a str,
    /// The text as the owner reads it (SMS: with signature and unsubscribe keyword).
    pub text: &'a str,
    /// An e-mail's subject, a WeChat message's title.
    pub subject: &'a str,
    /// The tracking code, shown apart in WeChat.
    pub code: &'a str,
    /// Where the text points (the tracking page, or the survey).
    pub link: &'a str,
}

/// Why a send failed.
#[derive(Debug)]
pub struct Failure {
    pub error: String,
    pub code: Option<u16>,
}

impl Failure {
    fn new(error: impl std::fmt::Display) -> Failure {
        Failure {
            error: error.to_string(),
            code: None,
        }
    }
}

#[async_trait]
pub trait Channel: Send + Sync {
    async fn send(&self, message: &Outgoing<'_>) -> Result<Option<u16>, Failure>;
}

/// The HTTP client every channel uses: bounded timeouts, no redirects (a webhook receiver
/// must not bounce the portal to an internal address).
pub fn client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(5)))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("owner-complaint-portal")
        .build()
        .unwrap_or_default()
}

async fn answered(response: reqwest::Response) -> Result<Option<u16>, Failure> {
    let status = response.status();
    if status.is_success() {
        Ok(Some(status.as_u16()))
    } else {
        let body = response.text().await.unwrap_or_default();
        Err(Failure {
            error: format!(
                "HTTP {}: {}",
                status.as_u16(),
                body.chars().take(200).collect::<String>()
            ),
            code: Some(status.as_u16()),
        })
    }
}

/// A JSON string's contents (no quotes), for filling a JSON template.
fn json_escaped(value: &str) -> String {
    let quoted = serde_json::Value::String(value.to_owned()).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

/// A generic JSON-over-HTTP SMS gateway (see the README for mapping it to a provider).
pub struct SmsGateway {
    pub client: reqwest::Client,
    pub settings: settings::Sms,
    pub signature: String,
}

#[async_trait]
impl Channel for SmsGateway {
    async fn send(&self, message: &Outgoing<'_>) -> Result<Option<u16>, Failure> {
        let body = self
            .settings
            .body
            .replace("{{phone}}", &json_escaped(message.recipient))
            .replace("{{text}}", &json_escaped(message.text))
            .replace("{{key}}", &json_escaped(message.key))
            .replace("{{signature}}", &json_escaped(&self.signature));
        let mut request = self
            .client
            .post(&self.settings.url)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", message.key)
            .body(body);
        if let Some((name, value)) = &self.settings.auth {
            request = request.header(name.as_str(), value.as_str());
        }
        answered(request.send().await.map_err(Failure::new)?).await
    }
}

/// E-mail over SMTP (STARTTLS when the URL asks for it), text and HTML.
pub struct Email {
    pub transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    pub from: lettre::message::Mailbox,
}

impl Email {
    pub fn new(settings: &settings::Smtp, timeout: Duration) -> Result<Email, String> {
        let transport =
            lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(&settings.url)
                .map_err(|e| format!("PORTAL_SMTP_URL: {e}"))?
                .timeout(Some(timeout))
                .build();
        let from = settings
            .from
            .parse()
            .map_err(|e| format!("PORTAL_MAIL_FROM: {e}"))?;
        Ok(Email { transport, from })
    }
}

fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[async_trait]
impl Channel for Email {
    async fn send(&self, message: &Outgoing<'_>) -> Result<Option<u16>, Failure> {
        use lettre::message::{header::ContentType, MultiPart, SinglePart};
        use lettre::AsyncTransport;
        let to = message
            .recipient
            .parse()
            .map_err(|e| Failure::new(format!("address: {e}")))?;
        let html = format!(
            "<!doctype html><html><body style=\"font-family:sans-serif\"><p>{}</p><p><a href=\"{}\">{}</a></p></body></html>",
            html_escaped(message.text),
            html_escaped(message.link),
            html_escaped(message.link)
        );
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject)
            .message_id(Some(format!("<{}@portal>", message.key)))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(message.text.to_owned()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(html),
                    ),
            )
            .map_err(Failure::new)?;
        let response = self.transport.send(email).await.map_err(Failure::new)?;
        Ok(Some(u16::from(response.code())))
    }
}

/// WeChat official account template messages; the access token is cached until shortly
/// before it expires, and fetched again when WeChat says it is no longer valid.
pub struct Wechat {
    pub client: reqwest::Client,
    pub settings: settings::Wechat,
    pub token: Mutex<Option<(String, Instant)>>,
}

impl Wechat {
    async fn access_token(&self) -> Result<String, Failure> {
        let mut cached = self.token.lock().await;
        if let Some((token, until)) = cached.as_ref() {
            if Instant::now() < *until {
                return Ok(token.clone());
            }
        }
        let url = format!("{}/cgi-bin/token", self.settings.api);
        let answer: serde_json::Value = self
            .client
            .get(url)
            .query(&[
                ("grant_type", "client_credential"),
                ("appid", self.settings.app_id.as_str()),
                ("secret", self.settings.secret.as_str()),
            ])
            .send()
            .await
            .map_err(Failure::new)?
            .json()
            .await
            .map_err(Failure::new)?;
        let token = answer["access_token"]
            .as_str()
            .ok_or_else(|| Failure::new(format!("WeChat token: {}", answer)))?
            .to_owned();
        let seconds = answer["expires_in"].as_u64().unwrap_or(7200);
        let until = Instant::now() + Duration::from_secs(seconds.saturating_sub(300).max(60));
        *cached = Some((token.clone(), until));
        Ok(token)
    }
}

#[async_trait]
impl Channel for Wechat {
    async fn send(&self, message: &Outgoing<'_>) -> Result<Option<u16>, Failure> {
        let token = self.access_token().await?;
        let body = serde_json::json!({
            "touser": message.recipient,
            "template_id": self.settings.template_id,
            "url": message.link,
            "client_msg_id": message.key,
            "data": {
                "first": { "value": message.subject },
                "keyword1": { "value": message.code },
                "keyword2": { "value": message.text },
            },
        });
        let url = format!("{}/cgi-bin/message/template/send", self.settings.api);
        let response = self
            .client
            .post(url)
            .query(&[("access_token", token.as_str())])
            .json(&body)
            .send()
            .await
            .map_err(Failure::new)?;
        let status = response.status().as_u16();
        let answer: serde_json::Value = response.json().await.map_err(Failure::new)?;
        match answer["errcode"].as_i64().unwrap_or(-1) {
            0 => Ok(Some(status)),
            code => {
                // 40001 / 42001 / 40014: the token is invalid or expired.
                if matches!(code, 40001 | 40014 | 42001) {
                    *self.token.lock().await = None;
                }
                Err(Failure {
                    error: format!("WeChat errcode {code}: {}", answer["errmsg"]),
                    code: Some(status),
                })
            }
        }
    }
}

/// `sha256=<hex HMAC-SHA256 of body with secret>`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

/// One webhook call: the stored JSON with the send time added (`timestamp`, Unix seconds,
/// signed with the rest so a replay can be refused), signed with the endpoint's secret.
pub async fn webhook(
    client: &reqwest::Client,
    url: reqwest::Url,
    secret: &str,
    event: &str,
    key: &str,
    payload: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<u16>, Failure> {
    let mut value: serde_json::Value = serde_json::from_str(payload).map_err(Failure::new)?;
    let timestamp = now.timestamp();
    if let Some(object) = value.as_object_mut() {
        object.insert("timestamp".to_owned(), timestamp.into());
        object
            .entry("id")
            .or_insert_with(|| serde_json::Value::from(key));
    }
    let body = value.to_string();
    let response = client
        .post(url)
        .header("Content-Type", "application/json")
        .header("X-Portal-Event", event)
        .header("X-Portal-Delivery", key)
        .header("X-Portal-Timestamp", timestamp.to_string())
        .header("X-Portal-Signature", signature(secret, body.as_bytes()))
        .body(body)
        .send()
        .await
        .map_err(Failure::new)?;
    answered(response).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_hex_hmac_of_the_body() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn json_values_are_escaped_inside_the_template() {
        assert_eq!(json_escaped("a\"b\\c\n"), "a\\\"b\\\\c\\n");
    }
}
