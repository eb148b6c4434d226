//! `POST /api/v1/hints`: what the complaint form shows while an owner types, for other
//! channels (a WeChat mini program, the call centre's tool): the likely category with its
//! runner-ups, the level the text implies, FAQ articles that may answer it, and a danger
//! happening now (the hotline first). The same
//! domain code runs in the browser as WebAssembly.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::sync::Arc;

use app::ssr::FaqHints;
use domain::hints;
use serde_json::{json, Value};

use super::grade::parse;
use super::{json_object, lang, ApiError};
use crate::http::Services;

pub async fn hints(
    State(services): State<Services>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let lang = lang(&headers);
    let request = json_object(&body, lang)?;
    // `text` is required; the optional intake facts of /grade refine the level.
    let (text, stated, known) = parse(&request, lang)?;
    let policy = services.policy.current();
    let faq = faq_hints(&services).await;
    let in_use = services.backend.learning.in_use();
    let hint = hints::hint_by(
        in_use.model().as_ref(),
        &text,
        &stated,
        &known,
        &faq.index,
        &policy.grading,
    );
    let alternatives: Vec<Value> = hint
        .category
        .alternatives
        .iter()
        .map(|(category, p)| json!({ "category": category.code(), "confidence": p }))
        .collect();
    let faq: Vec<Value> = hint
        .faq
        .iter()
        .filter_map(|m| faq.entries.iter().find(|e| e.id == m.id))
        .map(|e| json!({ "id": e.id, "title": e.title }))
        .collect();
    Ok(Json(json!({
        "category": hint.category.category.map(|c| c.code()),
        "confidence": hint.category.confidence,
        "alternatives": alternatives,
        "level": hint.grade.level.number(),
        "faq": faq,
        "danger": hint.danger.map(|d| json!({
            "kind": d.danger.code(),
            "words": d.words,
            "label": d.danger.label(lang),
            "advice": d.danger.advice(lang),
        })),
        "model_version": in_use.version,
    })))
}

/// `GET /api/v1/hints/model/{version}`: the classifier's model file, what the complaint form
/// scores with in the browser. A version's bytes never change, so it is cached for a year
/// and revalidated by its SHA-256; 404 for a version that does not exist.
pub async fn model(
    State(services): State<Services>,
    Path(version): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let lang = lang(&headers);
    let not_found = || {
        ApiError::new(
            None,
            lang,
            "没有这个模型版本",
            "There is no model of that version",
        )
        .with_status(StatusCode::NOT_FOUND)
    };
    let version: i64 = version.parse().map_err(|_| not_found())?;
    let model = services
        .backend
        .learning
        .version(version)
        .await
        .map_err(|_| ApiError::internal(lang))?
        .ok_or_else(not_found)?;
    let etag = format!("\"{}\"", model.digest);
    let cache = [
        (
            CACHE_CONTROL,
            "public, max-age=31536000, immutable".to_owned(),
        ),
        (ETAG, etag.clone()),
    ];
    let matches = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    Ok((
        cache,
        [(CONTENT_TYPE, "application/octet-stream")],
        model.bytes.to_vec(),
    )
        .into_response())
}

/// The published FAQ articles as the matcher sees them, indexed once per change.
async fn faq_hints(services: &Services) -> Arc<FaqHints> {
    // Without articles the hint is still a hint: FAQ matches are simply empty.
    services.backend.faq.hints().await.unwrap_or_default()
}
