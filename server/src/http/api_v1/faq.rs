//! `GET /api/v1/faq/search?q=…&limit=N`: published FAQ articles for a query, best first, as
//! `[{"id", "title", "snippet", "category", "score"}]`. Any `q` is valid (empty finds nothing);
//! the complaint form and the hints use it while owners type.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

use super::{lang, ApiError};
use crate::http::Services;

/// Results when `limit` is not given.
const DEFAULT_LIMIT: usize = 10;

pub async fn search(
    State(services): State<Services>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let lang = lang(&headers);
    let params = query_params(raw.as_deref().unwrap_or(""));
    let get = |key: &str| {
        params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let limit = match get("limit").map(str::trim) {
        None | Some("") => DEFAULT_LIMIT,
        Some(text) => text.parse::<usize>().map_err(|_| {
            ApiError::new(
                Some("limit"),
                lang,
                "limit 应为正整数（最大50）",
                "limit must be a whole number (at most 50)",
            )
        })?,
    };
    let found = services
        .backend
        .faq
        .search(get("q").unwrap_or(""), limit.max(1), lang)
        .await
        .map_err(|_| ApiError::internal(lang))?;
    let hits: Vec<Value> = found
        .hits
        .into_iter()
        .map(|h| {
            json!({
                "id": h.id,
                "title": h.title,
                "snippet": h.snippet_html,
                "category": h.topic.code(),
                "score": (f64::from(h.score) * 1000.0).round() / 1000.0,
            })
        })
        .collect();
    Ok(Json(Value::Array(hits)))
}

/// `a=1&b=%E6%BC%8F` → pairs, decoding `+` and percent escapes; bytes that are not UTF-8 are
/// replaced rather than refused (a query is never an error).
fn query_params(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_decode_without_ever_failing() {
        assert_eq!(
            query_params("q=%E6%BC%8F%E6%B0%B4&limit=5"),
            vec![("q".into(), "漏水".into()), ("limit".into(), "5".into())]
        );
        assert_eq!(decode("a+b%2"), "a b%2");
        assert_eq!(decode("%ZZ%"), "%ZZ%");
        assert_eq!(decode("%FF"), "\u{FFFD}");
    }
}
