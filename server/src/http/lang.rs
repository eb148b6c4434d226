//! Choosing the language: a cookie set by `/lang/{tag}`, else `Accept-Language`.

use axum::extract::{Path, Query};
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::Lang;

pub(crate) const COOKIE_NAME: &str = "lang";

/// The language of a request.
pub fn from_headers(headers: &HeaderMap) -> Lang {
    let from_cookie = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .and_then(|(_, value)| Lang::from_tag(value));
    from_cookie.unwrap_or_else(|| {
        headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_accept_language)
            .unwrap_or_default()
    })
}

#[derive(serde::Deserialize)]
pub struct Back {
    to: Option<String>,
}

/// `GET /lang/en?to=/track` sets the cookie and goes back (works without JavaScript).
pub async fn switch(Path(tag): Path<String>, Query(back): Query<Back>) -> Response {
    let lang = Lang::from_tag(&tag).unwrap_or_default();
    // Only local paths: never redirect to another site.
    let to = back
        .to
        .filter(|p| super::middleware::is_local_path(p))
        .unwrap_or_else(|| "/".into());
    let cookie = format!(
        "{COOKIE_NAME}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.tag()
    );
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let (Ok(location), Ok(cookie)) = (HeaderValue::from_str(&to), HeaderValue::from_str(&cookie))
    {
        response.headers_mut().insert(LOCATION, location);
        response.headers_mut().insert(SET_COOKIE, cookie);
    }
    response
}
