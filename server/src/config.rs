//! Operator settings, read once from the environment at start.

use std::net::SocketAddr;

use ipnet::IpNet;

use crate::http::limits::{parse_trusted_proxies, RateLimits, RateLimitsError};
use crate::http::quotas::{Quotas, QuotasError};
use crate::live::caps::{LiveLimits, LiveLimitsError};

/// What the operator can set. Names are a contract: `PORTAL_ADDR`, `PORTAL_DATABASE_URL`,
/// `PORTAL_DEMO`, `PORTAL_DEMO_HISTORY`, `PORTAL_SITE_ROOT`, `PORTAL_COOKIE_SECURE`, `PORTAL_POLICY_FILE`,
/// `PORTAL_SLA_TICK_SECONDS`, `PORTAL_PUBLIC_URL`, `PORTAL_RATE_LIMITS`, `PORTAL_QUOTAS`, `PORTAL_LIVE_LIMITS`, `PORTAL_FILES`,
/// `PORTAL_TRUSTED_PROXIES`, `PORTAL_METRICS_ADDR` (and `PORTAL_LOG_FORMAT`, read by `main`).
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen. Default `127.0.0.1:3000`.
    pub addr: SocketAddr,
    /// `sqlite://...` (default `sqlite://data/portal.db`) or `postgres://...`.
    pub database_url: String,
    /// Demo mode: seed demo data and demo logins on first start. Off unless `PORTAL_DEMO=1`.
    pub demo: bool,
    /// How many handled complaints the demo's year of history holds
    /// (`PORTAL_DEMO_HISTORY`, default 320; the load harness asks for 100,000).
    pub demo_history: usize,
    /// The built site (wasm, js, css, public files). Default `target/site`.
    pub site_root: String,
    /// A TOML file overriding the spec's default SLA/grading policy (`PORTAL_POLICY_FILE`).
    pub policy_file: Option<String>,
    /// How often the SLA and escalation job runs (`PORTAL_SLA_TICK_SECONDS`, default 60).
    pub sla_tick_seconds: u64,
    /// How often FAQ reads counted in memory are written (`PORTAL_FAQ_FLUSH_SECONDS`,
    /// default 2).
    pub faq_flush_seconds: u64,
    /// Where owners reach the portal, for links in messages (`PORTAL_PUBLIC_URL`, default
    /// `http://` + the listening address).
    pub public_url: Option<String>,
    /// Send the session cookie only over HTTPS. Default off (the portal is usually
    /// behind a TLS-terminating proxy that the operator configures); always on when
    /// `PORTAL_PUBLIC_URL` is https.
    pub cookie_secure: bool,
    /// Request budgets per client address (`PORTAL_RATE_LIMITS`, `PORTAL_QUOTAS`, `PORTAL_LIVE_LIMITS`, `PORTAL_FILES`, defaults in
    /// `RateLimits::default`).
    pub rate_limits: RateLimits,
    /// Evidence budgets (`PORTAL_QUOTAS`, defaults in `Quotas::default`).
    pub quotas: Quotas,
    /// Caps on open event streams (`PORTAL_LIVE_LIMITS`, defaults in `LiveLimits::default`).
    pub live_limits: LiveLimits,
    /// Where evidence files are kept (`PORTAL_FILES`, `file://…`; default: `files/` next
    /// to the SQLite file, `data/files` with PostgreSQL).
    pub files: Option<String>,
    /// Proxies whose `X-Forwarded-For` names the client (`PORTAL_TRUSTED_PROXIES`,
    /// addresses or CIDR networks, comma-separated; default none).
    pub trusted_proxies: Vec<IpNet>,
    /// Channels that reach owners and other systems, and the delivery worker's pace
    /// (`PORTAL_SMS_*`, `PORTAL_SMTP_URL`, `PORTAL_MAIL_FROM`, `PORTAL_WECHAT_*`,
    /// `PORTAL_WEBHOOK_URL`, `PORTAL_WEBHOOK_SECRET`, `PORTAL_OUTBOX_*`; see `outbox::settings`).
    pub outbox: crate::outbox::Settings,
    /// Where Prometheus scrapes `GET /metrics` (`PORTAL_METRICS_ADDR`, e.g.
    /// `127.0.0.1:9100`; not served when unset). An address of its own, not the site's.
    pub metrics_addr: Option<SocketAddr>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("PORTAL_METRICS_ADDR must be host:port, e.g. 127.0.0.1:9100 (got `{0}`)")]
    MetricsAddr(String),
    #[error("PORTAL_ADDR must be host:port, e.g. 127.0.0.1:3000 (got `{0}`)")]
    Addr(String),
    #[error("PORTAL_DATABASE_URL must start with sqlite:// or postgres:// (got `{0}`)")]
    DatabaseUrl(String),
    #[error(transparent)]
    RateLimits(#[from] RateLimitsError),
    #[error(transparent)]
    Quotas(#[from] QuotasError),
    #[error(transparent)]
    LiveLimits(#[from] LiveLimitsError),
    #[error(
        "PORTAL_TRUSTED_PROXIES takes IP addresses or CIDR networks, comma-separated (got `{0}`)"
    )]
    TrustedProxies(String),
    #[error(transparent)]
    Outbox(#[from] crate::outbox::settings::SettingsError),
}

impl Config {
    /// The public base URL of the portal.
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
    }

    /// Owners reach the portal over https: cookies are `Secure` and HSTS is sent.
    pub fn public_url_is_https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"))
    }

    pub fn from_env() -> Result<Config, ConfigError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let addr_text = var("PORTAL_ADDR").unwrap_or_else(|| "127.0.0.1:3000".to_owned());
        let addr = addr_text
            .parse()
            .map_err(|_| ConfigError::Addr(addr_text.clone()))?;
        let database_url =
            var("PORTAL_DATABASE_URL").unwrap_or_else(|| "sqlite://data/portal.db".to_owned());
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres")) {
            return Err(ConfigError::DatabaseUrl(database_url));
        }
        let flag = |name: &str| {
            var(name).is_some_and(|v| matches!(v.as_str(), "1" | "true" | "yes" | "on"))
        };
        let rate_limits = match var("PORTAL_RATE_LIMITS") {
            Some(text) => RateLimits::parse(&text)?,
            None => RateLimits::default(),
        };
        let quotas = match var("PORTAL_QUOTAS") {
            Some(text) => Quotas::parse(&text)?,
            None => Quotas::default(),
        };
        let live_limits = match var("PORTAL_LIVE_LIMITS") {
            Some(text) => LiveLimits::parse(&text)?,
            None => LiveLimits::default(),
        };
        let trusted_proxies =
            parse_trusted_proxies(&var("PORTAL_TRUSTED_PROXIES").unwrap_or_default())
                .map_err(ConfigError::TrustedProxies)?;
        let outbox = crate::outbox::Settings::from_env(&var)?;
        let metrics_addr = match var("PORTAL_METRICS_ADDR") {
            Some(text) => Some(
                text.trim()
                    .parse()
                    .map_err(|_| ConfigError::MetricsAddr(text.clone()))?,
            ),
            None => None,
        };
        Ok(Config {
            outbox,
            metrics_addr,
            addr,
            rate_limits,
            quotas,
            live_limits,
            files: var("PORTAL_FILES"),
            trusted_proxies,
            database_url,
            demo: flag("PORTAL_DEMO"),
            demo_history: var("PORTAL_DEMO_HISTORY")
                .and_then(|s| s.parse().ok())
                .filter(|n| *n >= crate::seed::history::COMPLAINTS)
                .unwrap_or(crate::seed::history::COMPLAINTS),
            site_root: var("PORTAL_SITE_ROOT")
                .or_else(|| var("LEPTOS_SITE_ROOT"))
                .unwrap_or_else(|| "target/site".to_owned()),
            cookie_secure: flag("PORTAL_COOKIE_SECURE"),
            policy_file: var("PORTAL_POLICY_FILE"),
            public_url: var("PORTAL_PUBLIC_URL"),
            sla_tick_seconds: var("PORTAL_SLA_TICK_SECONDS")
                .and_then(|s| s.parse().ok())
                .filter(|s| *s > 0)
                .unwrap_or(60),
            faq_flush_seconds: var("PORTAL_FAQ_FLUSH_SECONDS")
                .and_then(|s| s.parse().ok())
                .filter(|s| *s > 0)
                .unwrap_or(2),
        })
    }
}
