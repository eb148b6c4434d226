//! Cross-cutting request rules.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses state-changing requests that a browser sent on behalf of another site
/// (CSRF): `Sec-Fetch-Site: cross-site`, or an `Origin` that is not this host.
/// Requests without either header (other systems, curl) are not browser-driven.
pub async fn reject_cross_site(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && is_cross_site(&request) {
        return (
            StatusCode::FORBIDDEN,
            "cross-site request refused / 拒绝跨站请求",
        )
            .into_response();
    }
    next.run(request).await
}

fn is_cross_site(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "cross-site";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split("://").nth(1).unwrap_or(origin);
    origin == "null" || origin_host != host
}

/// What the response headers depend on, decided once at start.
#[derive(Debug, Clone, Copy)]
pub struct HeaderPolicy {
    /// The public URL is https: browsers are told to use nothing else (HSTS).
    pub https: bool,
}

/// HSTS lifetime: one year, the value browsers' preload lists expect.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Headers every response carries. Each response gets a fresh CSP nonce: it is put
/// in the request's extensions, where the page render picks it up (`request_context`
/// provides it as the Leptos nonce, so the hydration and form scripts carry it), and
/// the same value goes into the `Content-Security-Policy` header.
pub async fn security_headers(
    State(policy): State<HeaderPolicy>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = leptos::nonce::Nonce::new();
    let cacheable = is_public_asset(request.uri().path());
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    // A handler's own policy (evidence files: `sandbox`) is stricter and stands.
    if let Ok(csp) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(csp);
    }
    if policy.https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    // Pages, server-function answers, evidence and exports can show personal data:
    // neither the browser nor a proxy keeps a copy. Only the built assets and the
    // classifier's versioned model files may be cached.
    if !cacheable {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Scripts only from this site or carrying this response's nonce (WebAssembly may be
/// compiled), no plugins, no `<base>` rewriting, never framed.
fn content_security_policy(nonce: &str) -> String {
    policy_with_scripts(&format!("'nonce-{nonce}'"))
}

/// The same policy for a page served to many visitors (`page_cache`): its inline scripts
/// named by their SHA-256 (`'sha256-…'` sources) instead of one response's nonce.
pub(crate) fn content_security_policy_hashed(hashes: &[String]) -> String {
    policy_with_scripts(&hashes.join(" "))
}

fn policy_with_scripts(inline: &str) -> String {
    let inline = if inline.is_empty() {
        String::new()
    } else {
        format!("{inline} ")
    };
    // Under `cargo leptos watch` the page also talks to the reloader's WebSocket.
    let reload = if crate::http::watching() { " ws:" } else { "" };
    format!(
        "default-src 'self'; script-src 'self' {inline}'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: blob:; connect-src 'self'{reload}; \
         form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
}

/// The built site (wasm, js, css) and the icon: the same for everybody.
fn is_public_asset(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path == "/favicon.svg"
        // The classifier's model files: no personal data (masked before training).
        || path.starts_with("/api/v1/hints/model/")
}

/// Server functions answer every error with 500; the status that fits is derived
/// here, once, from the serialised `AppError` (422 for bad input, 401, 403, 404…).
/// Plain-HTML form posts are redirects back to the form and pass untouched.
pub async fn server_fn_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// A path on this site, safe as a redirect target: one `/`, then neither `/` nor a
/// backslash (browsers read both as the start of another host), no backslash or
/// control character anywhere (browsers drop tabs and newlines, so `/%09/x` becomes
/// `//x`), and the same once percent-decoded.
pub fn is_local_path(path: &str) -> bool {
    fn plain(p: &str) -> bool {
        p.starts_with('/')
            && !p.starts_with("//")
            && !p.contains('\\')
            && !p.chars().any(char::is_control)
    }
    plain(path)
        && percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .is_ok_and(|decoded| plain(&decoded))
}

/// No redirect leaves the site. A failed no-JavaScript form post is sent back to
/// its `Referer`, which a scripted post can set to any host: an absolute `Location`
/// naming another host keeps only its path, and anything not local becomes `/`.
pub async fn local_redirects_only(request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut response = next.run(request).await;
    let Some(location) = response
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
    else {
        return response;
    };
    if is_local_path(location) || is_same_host(location, host.as_deref()) {
        return response;
    }
    let path = location
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|at| &rest[at..]))
        .filter(|p| is_local_path(p))
        .unwrap_or("/")
        .to_owned();
    if let Ok(value) = HeaderValue::from_str(&path) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn is_same_host(location: &str, host: Option<&str>) -> bool {
    let Some(host) = host else { return false };
    ["http://", "https://"].iter().any(|scheme| {
        location
            .strip_prefix(scheme)
            .and_then(|rest| rest.strip_prefix(host))
            .is_some_and(|path| path.is_empty() || is_local_path(path))
    })
}

/// After a failed plain-HTML form post, server functions redirect back to the form
/// with the error appended to the URL; a second failure would append a second one,
/// and the page would show the first. Keep only the newest error.
pub async fn newest_form_error_only(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let tidy = response
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .filter(|l| l.matches("__err=").count() > 1)
        .map(keep_last_error);
    if let Some(location) = tidy.and_then(|l| HeaderValue::from_str(&l).ok()) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

fn keep_last_error(location: &str) -> String {
    let Some((path, query)) = location.split_once('?') else {
        return location.to_owned();
    };
    let pairs: Vec<&str> = query.split('&').collect();
    let last = |key: &str| pairs.iter().rev().find(|p| p.starts_with(key)).copied();
    let (last_path, last_err) = (last("__path="), last("__err="));
    let mut kept: Vec<&str> = pairs
        .iter()
        .filter(|p| !p.starts_with("__path=") && !p.starts_with("__err="))
        .copied()
        .collect();
    kept.extend(last_path);
    kept.extend(last_err);
    format!("{path}?{}", kept.join("&"))
}

#[cfg(test)]
mod tests {
    use super::{is_local_path, is_same_host, keep_last_error};

    #[test]
    fn only_local_paths_are_redirect_targets() {
        for local in ["/", "/track", "/complaints/new?x=1&y=%2F", "/faq/a%20b"] {
            assert!(is_local_path(local), "{local}");
        }
        for away in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/%09/evil.example",
            "/%2F/evil.example",
            "/%5Cevil.example",
            "https://evil.example/",
            "evil.example",
            "",
            "/\r\nSet-Cookie: x",
        ] {
            assert!(!is_local_path(away), "{away:?}");
        }
    }

    #[test]
    fn a_redirect_to_this_host_stays_and_another_does_not() {
        let host = Some("portal.example:3000");
        assert!(is_same_host(
            "http://portal.example:3000/complaints/new?__err=x",
            host
        ));
        assert!(!is_same_host(
            "http://portal.example:3000.evil.example/",
            host
        ));
        assert!(!is_same_host("http://evil.example/complaints/new", host));
        assert!(!is_same_host(
            "http://portal.example:3000//evil.example",
            host
        ));
    }

    #[test]
    fn only_the_newest_form_error_stays_in_the_url() {
        let url = "/complaints/new?x=1&__path=%2Fapi%2Ff&__err=OLD&__path=%2Fapi%2Ff&__err=NEW";
        assert_eq!(
            keep_last_error(url),
            "/complaints/new?x=1&__path=%2Fapi%2Ff&__err=NEW"
        );
    }
}

/// The request log: one line per response with the request id (`x-request-id`, drawn
/// here unless a proxy sent one, and returned to the client), method, route, status and
/// latency. The route is the router's pattern (`/live/track/{code}`), never the address
/// itself, so tracking codes, tokens and phone numbers in paths and queries stay out of
/// the log.
pub fn request_log() -> tower_http::trace::TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    RequestSpan,
    (),
    tower_http::trace::DefaultOnResponse,
> {
    tower_http::trace::TraceLayer::new_for_http()
        .make_span_with(RequestSpan)
        .on_request(())
        .on_response(
            tower_http::trace::DefaultOnResponse::new()
                .level(tracing::Level::INFO)
                .latency_unit(tower_http::LatencyUnit::Millis),
        )
}

#[derive(Debug, Clone, Copy)]
pub struct RequestSpan;

impl<B> tower_http::trace::MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, request: &axum::http::Request<B>) -> tracing::Span {
        let route = request
            .extensions()
            .get::<axum::extract::MatchedPath>()
            .map_or_else(
                || logged_path(request.uri().path()),
                |m| m.as_str().to_owned(),
            );
        let id = request
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-");
        tracing::info_span!("request", id = %id, method = %request.method(), route = %route)
    }
}

/// A path no route matched, as logged: static files by name, anything else by its first
/// segment only (the rest may be a code or a token).
fn logged_path(path: &str) -> String {
    if path.starts_with("/pkg/") {
        return path.to_owned();
    }
    let trimmed = path.trim_start_matches('/');
    match trimmed.split_once('/') {
        Some((first, _)) => format!("/{first}/…"),
        None => format!("/{trimmed}"),
    }
}
