//! Cross-cutting request rules.

use axum::extract::Request;
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

/// Headers every response carries.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    response
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
    use super::keep_last_error;

    #[test]
    fn only_the_newest_form_error_stays_in_the_url() {
        let url = "/complaints/new?x=1&__path=%2Fapi%2Ff&__err=OLD&__path=%2Fapi%2Ff&__err=NEW";
        assert_eq!(
            keep_last_error(url),
            "/complaints/new?x=1&__path=%2Fapi%2Ff&__err=NEW"
        );
    }
}
