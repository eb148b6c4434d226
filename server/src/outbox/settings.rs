//! The outbox's settings, read from the environment. The names are a contract with
//! operators: `PORTAL_SMS_URL`, `PORTAL_SMS_AUTH`, `PORTAL_SMS_BODY`, `PORTAL_SMTP_URL`,
//! `PORTAL_MAIL_FROM`, `PORTAL_WECHAT_APPID`, `PORTAL_WECHAT_SECRET`,
//! `PORTAL_WECHAT_TEMPLATE`, `PORTAL_WECHAT_API`, `PORTAL_WEBHOOK_URL`,
//! `PORTAL_WEBHOOK_SECRET`, `PORTAL_SMS_INBOUND_TOKEN`, `PORTAL_OUTBOX_POLL_MS`, `PORTAL_OUTBOX_RETRY_MS`,
//! `PORTAL_OUTBOX_RETRY_CAP_MS`, `PORTAL_OUTBOX_LEASE_MS`.

use std::time::Duration;

/// A generic JSON-over-HTTP SMS gateway.
#[derive(Debug, Clone)]
pub struct Sms {
    /// Where to POST.
    pub url: String,
    /// One header sent with every call, `Name: value` (a bare value is an `Authorization`).
    pub auth: Option<(String, String)>,
    /// The JSON body with `{{phone}}`, `{{text}}`, `{{key}}` and `{{signature}}` in strings.
    pub body: String,
}

/// The default SMS body.
pub const SMS_BODY: &str = r#"{"phone":"{{phone}}","text":"{{text}}","id":"{{key}}"}"#;

/// SMTP: `smtp://user:pass@host:587?tls=required` (STARTTLS), `smtps://…:465`, or plain
/// `smtp://host:25` on a trusted network.
#[derive(Debug, Clone)]
pub struct Smtp {
    pub url: String,
    pub from: String,
}

/// A WeChat official account's subscription/template messages.
#[derive(Debug, Clone)]
pub struct Wechat {
    pub api: String,
    pub app_id: String,
    pub secret: String,
    pub template_id: String,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub sms: Option<Sms>,
    pub smtp: Option<Smtp>,
    pub wechat: Option<Wechat>,
    /// The operator's webhook endpoint, receiving every event.
    pub webhook: Option<(String, String)>,
    /// The token the SMS provider's reply callback presents (`POST /api/v1/sms/inbound`);
    /// without one that door is closed.
    pub inbound_token: Option<String>,
    /// How often the worker looks for due messages when nothing wakes it.
    pub poll: Duration,
    /// The first retry's delay; each next one doubles, up to `retry_cap`, with jitter.
    pub retry_base: Duration,
    pub retry_cap: Duration,
    /// How long a claimed message is the claimer's before another worker may take it.
    pub lease: Duration,
    /// Messages claimed at once, and sent side by side.
    pub batch: i64,
    pub concurrency: usize,
    /// The timeout of one HTTP or SMTP call.
    pub timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            sms: None,
            smtp: None,
            wechat: None,
            webhook: None,
            inbound_token: None,
            poll: Duration::from_secs(1),
            retry_base: Duration::from_secs(10),
            retry_cap: Duration::from_secs(3600),
            lease: Duration::from_secs(60),
            batch: 64,
            concurrency: 16,
            timeout: Duration::from_secs(15),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{0} must be an http:// or https:// URL (got `{1}`)")]
    Url(&'static str, String),
    #[error("PORTAL_SMS_BODY must be JSON with {{{{phone}}}} and {{{{text}}}} in it: {0}")]
    SmsBody(String),
    #[error("PORTAL_SMTP_URL must start with smtp:// or smtps:// and PORTAL_MAIL_FROM must be an address (got `{0}`)")]
    Smtp(String),
    #[error("WeChat needs PORTAL_WECHAT_APPID, PORTAL_WECHAT_SECRET and PORTAL_WECHAT_TEMPLATE together")]
    Wechat,
    #[error("PORTAL_WEBHOOK_URL needs PORTAL_WEBHOOK_SECRET (at least 16 characters)")]
    WebhookSecret,
    #[error("PORTAL_SMS_INBOUND_TOKEN must be at least 16 characters")]
    InboundToken,
    #[error("{0} must be a whole number of milliseconds above 0 (got `{1}`)")]
    Millis(&'static str, String),
}

fn http_url(name: &'static str, url: String) -> Result<String, SettingsError> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Ok(url)
    } else {
        Err(SettingsError::Url(name, url))
    }
}

impl Settings {
    /// The channels that reach a receiver (the others write to the log only).
    pub fn configured(&self) -> Vec<String> {
        [
            ("sms", self.sms.is_some()),
            ("email", self.smtp.is_some()),
            ("wechat", self.wechat.is_some()),
        ]
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| name.to_owned())
        .collect()
    }

    pub fn from_env(var: &dyn Fn(&str) -> Option<String>) -> Result<Settings, SettingsError> {
        let mut settings = Settings::default();
        if let Some(url) = var("PORTAL_SMS_URL") {
            let body = var("PORTAL_SMS_BODY").unwrap_or_else(|| SMS_BODY.to_owned());
            let probe = body.replace("{{phone}}", "1").replace("{{text}}", "x");
            if !body.contains("{{phone}}") || !body.contains("{{text}}") {
                return Err(SettingsError::SmsBody(
                    "a placeholder is missing".to_owned(),
                ));
            }
            let probe = probe.replace("{{key}}", "k").replace("{{signature}}", "s");
            serde_json::from_str::<serde_json::Value>(&probe)
                .map_err(|e| SettingsError::SmsBody(e.to_string()))?;
            let auth = var("PORTAL_SMS_AUTH").map(|h| match h.split_once(':') {
                Some((name, value)) if !name.contains(' ') => {
                    (name.trim().to_owned(), value.trim().to_owned())
                }
                _ => ("Authorization".to_owned(), h.trim().to_owned()),
            });
            settings.sms = Some(Sms {
                url: http_url("PORTAL_SMS_URL", url)?,
                auth,
                body,
            });
        }
        if let Some(url) = var("PORTAL_SMTP_URL") {
            let from = var("PORTAL_MAIL_FROM").unwrap_or_default();
            let lower = url.to_ascii_lowercase();
            if !(lower.starts_with("smtp://") || lower.starts_with("smtps://"))
                || !domain::messages::is_email(
                    from.rsplit('<').next().unwrap_or("").trim_end_matches('>'),
                )
            {
                return Err(SettingsError::Smtp(url));
            }
            settings.smtp = Some(Smtp { url, from });
        }
        match (
            var("PORTAL_WECHAT_APPID"),
            var("PORTAL_WECHAT_SECRET"),
            var("PORTAL_WECHAT_TEMPLATE"),
        ) {
            (None, None, None) => {}
            (Some(app_id), Some(secret), Some(template_id)) => {
                let api = var("PORTAL_WECHAT_API")
                    .unwrap_or_else(|| "https://api.weixin.qq.com".to_owned());
                settings.wechat = Some(Wechat {
                    api: http_url("PORTAL_WECHAT_API", api)?
                        .trim_end_matches('/')
                        .to_owned(),
                    app_id,
                    secret,
                    template_id,
                });
            }
            _ => return Err(SettingsError::Wechat),
        }
        if let Some(url) = var("PORTAL_WEBHOOK_URL") {
            let secret = var("PORTAL_WEBHOOK_SECRET")
                .filter(|s| s.chars().count() >= 16)
                .ok_or(SettingsError::WebhookSecret)?;
            settings.webhook = Some((http_url("PORTAL_WEBHOOK_URL", url)?, secret));
        }
        if let Some(token) = var("PORTAL_SMS_INBOUND_TOKEN") {
            if token.trim().chars().count() < 16 {
                return Err(SettingsError::InboundToken);
            }
            settings.inbound_token = Some(token.trim().to_owned());
        }
        let millis = |name: &'static str| -> Result<Option<Duration>, SettingsError> {
            var(name)
                .map(|v| {
                    v.trim()
                        .parse::<u64>()
                        .ok()
                        .filter(|n| *n > 0)
                        .map(Duration::from_millis)
                        .ok_or(SettingsError::Millis(name, v))
                })
                .transpose()
        };
        if let Some(poll) = millis("PORTAL_OUTBOX_POLL_MS")? {
            settings.poll = poll;
        }
        if let Some(base) = millis("PORTAL_OUTBOX_RETRY_MS")? {
            settings.retry_base = base;
        }
        if let Some(cap) = millis("PORTAL_OUTBOX_RETRY_CAP_MS")? {
            settings.retry_cap = cap;
        }
        settings.retry_cap = settings.retry_cap.max(settings.retry_base);
        if let Some(lease) = millis("PORTAL_OUTBOX_LEASE_MS")? {
            settings.lease = lease;
            // A call never outlives its claim, or a second worker could send it too.
            settings.timeout = settings.timeout.min(lease / 2);
        }
        Ok(settings)
    }
}
