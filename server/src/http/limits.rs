//! Request rate limits per client address, one budget per kind of request, so a
//! script guessing tracking codes or filing in a loop is refused with 429 long before
//! it learns anything or fills the database. The rules are in README "Security".

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;

use app::i18n::{Message, Msg};

/// One budget: `per_minute` requests a minute on average, `burst` at once. A
/// `per_minute` of 0 turns the budget off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub per_minute: u32,
    pub burst: u32,
}

impl Rate {
    pub const OFF: Rate = Rate {
        per_minute: 0,
        burst: 0,
    };

    const fn new(per_minute: u32, burst: u32) -> Rate {
        Rate { per_minute, burst }
    }
}

/// The budgets of one client address (`PORTAL_RATE_LIMITS` overrides any of them,
/// e.g. `tracking=20/10,filing=5/3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Every other request but the built assets: 600 a minute, 120 at once.
    pub general: Rate,
    /// Tracking look-ups, tracking pages and their live streams, owner messages:
    /// 30 a minute, 15 at once (an owner's tracking page costs about three: the
    /// page, its data and its live stream; guessing a code at this pace is hopeless).
    pub tracking: Rate,
    /// Filing a complaint: 5 a minute, 3 at once.
    pub filing: Rate,
    /// Logging in, registering, claiming a complaint, changing a password: 10 a
    /// minute, 5 at once.
    pub accounts: Rate,
    /// Evidence uploads: 10 a minute, 5 at once.
    pub uploads: Rate,
    /// Survey pages and answers by token: 20 a minute, 10 at once.
    pub surveys: Rate,
    /// The JSON API `/api/v1`: 60 a minute, 30 at once.
    pub api: Rate,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            general: Rate::new(600, 120),
            tracking: Rate::new(30, 15),
            filing: Rate::new(5, 3),
            accounts: Rate::new(10, 5),
            uploads: Rate::new(10, 5),
            surveys: Rate::new(20, 10),
            api: Rate::new(60, 30),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("PORTAL_RATE_LIMITS takes `kind=per_minute/burst` pairs separated by commas, kinds general, tracking, filing, accounts, uploads, surveys, api (got `{0}`)")]
pub struct RateLimitsError(String);

impl RateLimits {
    /// No limit at all (tests that file many complaints from one address).
    pub const OFF: RateLimits = RateLimits {
        general: Rate::OFF,
        tracking: Rate::OFF,
        filing: Rate::OFF,
        accounts: Rate::OFF,
        uploads: Rate::OFF,
        surveys: Rate::OFF,
        api: Rate::OFF,
    };

    /// The defaults with the overrides of `text` (`tracking=20/10,filing=5/3`).
    pub fn parse(text: &str) -> Result<RateLimits, RateLimitsError> {
        let mut limits = RateLimits::default();
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || RateLimitsError(pair.to_owned());
            let (kind, rate) = pair.split_once('=').ok_or_else(bad)?;
            let (per_minute, burst) = rate.split_once('/').ok_or_else(bad)?;
            let rate = Rate {
                per_minute: per_minute.trim().parse().map_err(|_| bad())?,
                burst: burst.trim().parse().map_err(|_| bad())?,
            };
            let slot = match kind.trim() {
                "general" => &mut limits.general,
                "tracking" => &mut limits.tracking,
                "filing" => &mut limits.filing,
                "accounts" => &mut limits.accounts,
                "uploads" => &mut limits.uploads,
                "surveys" => &mut limits.surveys,
                "api" => &mut limits.api,
                _ => return Err(bad()),
            };
            *slot = rate;
        }
        Ok(limits)
    }
}

/// Which budget a request draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    General,
    Tracking,
    Filing,
    Accounts,
    Uploads,
    Surveys,
    Api,
}

fn kind_of(method: &Method, path: &str) -> Option<Kind> {
    if path.starts_with("/pkg/")
        || path == "/favicon.svg"
        || path == "/healthz"
        || path == "/readyz"
    {
        return None;
    }
    // The classifier's model is a page asset (loaded once per browser, then cached).
    if path.starts_with("/api/v1/hints/model/") {
        return Some(Kind::General);
    }
    if path.starts_with("/api/v1/") {
        return Some(Kind::Api);
    }
    if let Some(endpoint) = path.strip_prefix("/api/") {
        return Some(match endpoint {
            "look_up_complaint" | "tracked_complaint" | "owner_message" | "answer_judgement"
            | "set_notices" => Kind::Tracking,
            "file_complaint" => Kind::Filing,
            "log_in" | "register_owner" | "claim_complaint" | "change_password" => Kind::Accounts,
            "survey_by_token" | "submit_survey" => Kind::Surveys,
            _ => Kind::General,
        });
    }
    if *method == Method::POST && path.starts_with("/track/") && path.ends_with("/evidence") {
        return Some(Kind::Uploads);
    }
    if path.starts_with("/track/") || path.starts_with("/live/track/") {
        return Some(Kind::Tracking);
    }
    if path.starts_with("/survey/") && path != "/survey/thanks" {
        return Some(Kind::Surveys);
    }
    Some(Kind::General)
}

/// One keyed limiter per budget that is on.
pub struct Limiters {
    general: Option<DefaultKeyedRateLimiter<IpAddr>>,
    tracking: Option<DefaultKeyedRateLimiter<IpAddr>>,
    filing: Option<DefaultKeyedRateLimiter<IpAddr>>,
    accounts: Option<DefaultKeyedRateLimiter<IpAddr>>,
    uploads: Option<DefaultKeyedRateLimiter<IpAddr>>,
    surveys: Option<DefaultKeyedRateLimiter<IpAddr>>,
    api: Option<DefaultKeyedRateLimiter<IpAddr>>,
    trusted_proxies: Vec<IpNet>,
}

/// Addresses remembered before the limiters forget the ones that are idle again.
const KEYS_BEFORE_CLEANUP: usize = 50_000;

fn limiter(rate: Rate) -> Option<DefaultKeyedRateLimiter<IpAddr>> {
    let per_minute = NonZeroU32::new(rate.per_minute)?;
    let burst = NonZeroU32::new(rate.burst).unwrap_or(per_minute);
    Some(RateLimiter::keyed(
        Quota::per_minute(per_minute).allow_burst(burst),
    ))
}

impl Limiters {
    pub fn new(limits: &RateLimits, trusted_proxies: Vec<IpNet>) -> Arc<Limiters> {
        Arc::new(Limiters {
            general: limiter(limits.general),
            tracking: limiter(limits.tracking),
            filing: limiter(limits.filing),
            accounts: limiter(limits.accounts),
            uploads: limiter(limits.uploads),
            surveys: limiter(limits.surveys),
            api: limiter(limits.api),
            trusted_proxies,
        })
    }

    fn for_kind(&self, kind: Kind) -> Option<&DefaultKeyedRateLimiter<IpAddr>> {
        match kind {
            Kind::General => self.general.as_ref(),
            Kind::Tracking => self.tracking.as_ref(),
            Kind::Filing => self.filing.as_ref(),
            Kind::Accounts => self.accounts.as_ref(),
            Kind::Uploads => self.uploads.as_ref(),
            Kind::Surveys => self.surveys.as_ref(),
            Kind::Api => self.api.as_ref(),
        }
    }

    /// The client's address: the socket's peer, or, when the peer is a trusted
    /// proxy, the nearest address in `X-Forwarded-For` that is not one.
    fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let trusted = |ip: &IpAddr| self.trusted_proxies.iter().any(|net| net.contains(ip));
        if !trusted(&peer) {
            return peer;
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|ip| ip.trim().parse().ok())
            .collect();
        forwarded
            .into_iter()
            .rev()
            .find(|ip| !trusted(ip))
            .unwrap_or(peer)
    }
}

/// Refuses a request over its client's budget with 429, `Retry-After`, and the
/// message in the visitor's language (JSON for server functions and the API).
pub async fn rate_limit(
    State(limiters): State<Arc<Limiters>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let Some(kind) = kind_of(request.method(), path) else {
        return next.run(request).await;
    };
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let (Some(peer), Some(limiter)) = (peer, limiters.for_kind(kind)) else {
        return next.run(request).await;
    };
    let client = limiters.client(peer, request.headers());
    if limiter.len() > KEYS_BEFORE_CLEANUP {
        limiter.retain_recent();
    }
    // A request also draws on the general budget, so no kind is a way around it.
    let general = limiters
        .general
        .as_ref()
        .filter(|_| kind != Kind::General)
        .map(|g| g.check_key(&client));
    let refused = [
        limiter.check_key(&client).err(),
        general.and_then(Result::err),
    ]
    .into_iter()
    .flatten()
    .map(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    .max();
    match refused {
        None => next.run(request).await,
        Some(wait) => too_many(&request, wait.as_secs().max(1)),
    }
}

fn too_many(request: &Request, retry_after_secs: u64) -> Response {
    let lang = super::lang::from_headers(request.headers());
    let path = request.uri().path();
    let wants_json = path.starts_with("/api/")
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|a| !a.contains("text/html"));
    let message = Msg::ErrRateLimited.text(lang);
    let mut response = if path.starts_with("/api/v1/") {
        let body = serde_json::json!({ "error": { "field": null, "message": message } });
        (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response()
    } else if wants_json {
        // The wire error of server functions: the app words it in the visitor's language.
        let body = serde_json::to_string(&app::error::AppError::RateLimited).unwrap_or_default();
        (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    } else {
        let html = format!(
            "<!DOCTYPE html><html lang=\"{}\"><meta charset=\"utf-8\"><title>429</title><p>{message}</p></html>",
            lang.tag()
        );
        (StatusCode::TOO_MANY_REQUESTS, axum::response::Html(html)).into_response()
    };
    if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// `PORTAL_TRUSTED_PROXIES`: addresses or networks, comma-separated.
pub fn parse_trusted_proxies(text: &str) -> Result<Vec<IpNet>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| s.to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_replace_only_the_named_budgets() {
        let limits = RateLimits::parse("tracking=30/15, api=0/0").expect("valid");
        assert_eq!(limits.tracking, Rate::new(30, 15));
        assert_eq!(limits.api, Rate::OFF);
        assert_eq!(limits.filing, RateLimits::default().filing);
        assert!(RateLimits::parse("tracking=30").is_err());
        assert!(RateLimits::parse("guessing=1/1").is_err());
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let proxies = parse_trusted_proxies("10.0.0.0/8, 192.168.1.5").expect("valid");
        let limiters = Limiters::new(&RateLimits::OFF, proxies);
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 203.0.113.9, 10.1.2.3"),
        );
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        assert_eq!(limiters.client(ip("10.0.0.1"), &headers), ip("203.0.113.9"));
        assert_eq!(
            limiters.client(ip("192.168.1.5"), &headers),
            ip("203.0.113.9")
        );
        assert_eq!(
            limiters.client(ip("198.51.100.7"), &headers),
            ip("198.51.100.7")
        );
        assert!(parse_trusted_proxies("10.0.0.0/33").is_err());
    }

    #[test]
    fn each_request_draws_on_its_budget() {
        assert_eq!(kind_of(&Method::GET, "/pkg/portal.wasm"), None);
        assert_eq!(
            kind_of(&Method::POST, "/api/look_up_complaint"),
            Some(Kind::Tracking)
        );
        assert_eq!(
            kind_of(&Method::POST, "/api/file_complaint"),
            Some(Kind::Filing)
        );
        assert_eq!(
            kind_of(&Method::POST, "/track/ABCD2345/evidence"),
            Some(Kind::Uploads)
        );
        assert_eq!(
            kind_of(&Method::GET, "/track/ABCD2345"),
            Some(Kind::Tracking)
        );
        assert_eq!(kind_of(&Method::GET, "/survey/tok"), Some(Kind::Surveys));
        assert_eq!(kind_of(&Method::POST, "/api/v1/grade"), Some(Kind::Api));
        assert_eq!(kind_of(&Method::GET, "/faq"), Some(Kind::General));
    }
}
