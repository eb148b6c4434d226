//! `POST /api/v1/hints`: what the complaint form shows while an owner types, for other
//! channels (a WeChat mini program, the call centre's tool): the likely category with its
//! runner-ups, the level the text implies, and FAQ articles that may answer it. The same
//! domain code runs in the browser as WebAssembly.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
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
    let hint = hints::hint(&text, &stated, &known, &faq.index, &policy.grading);
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
    })))
}

/// The published FAQ articles as the matcher sees them, indexed once per change.
async fn faq_hints(services: &Services) -> Arc<FaqHints> {
    // Without articles the hint is still a hint: FAQ matches are simply empty.
    services.backend.faq.hints().await.unwrap_or_default()
}
