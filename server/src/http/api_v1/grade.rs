//! `POST /api/v1/grade`: the level a complaint's facts (and its text) imply, with every
//! rule that fired (rules.md "Severity").

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use domain::hints;
use domain::{Impact, IntakeFacts, Lang, RiskFlag, StatedFacts};
use serde_json::{json, Map, Value};

use super::{json_object, lang, ApiError};
use crate::http::Services;

/// Most text the grader reads; longer text is an error, not silently cut.
const MAX_TEXT_CHARS: usize = 5000;

pub async fn grade(
    State(services): State<Services>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let lang = lang(&headers);
    let request = json_object(&body, lang)?;
    let (text, stated, known) = parse(&request, lang)?;
    let policy = services.policy.current();
    let preview = hints::preview(&text, &stated, &known, &policy.grading);
    let reasons: Vec<Value> = preview
        .grade
        .reasons
        .iter()
        .map(|r| json!({ "rule": r.rule.code(), "level": r.level.number(), "message": r.message.get(lang) }))
        .collect();
    // What the text seemed to say about facts the request left out: applied, to confirm.
    let suggested: Vec<Value> = preview
        .filled
        .suggested
        .iter()
        .map(|s| json!({ "question": s.question().get(lang) }))
        .collect();
    Ok(Json(json!({
        "level": preview.grade.level.number(),
        "reasons": reasons,
        "suggested": suggested,
    })))
}

/// The text, what the request states (a fact it leaves out or sends as `null` is not stated;
/// `flags: []` states "none"), and what is known besides (repeat, group, days).
pub(super) fn parse(
    request: &Map<String, Value>,
    lang: Lang,
) -> Result<(String, StatedFacts, IntakeFacts), ApiError> {
    let text = match request.get("text") {
        Some(Value::String(s)) if s.chars().count() <= MAX_TEXT_CHARS => s.clone(),
        Some(Value::String(_)) => {
            return Err(ApiError::new(
                Some("text"),
                lang,
                format!("text 最多{MAX_TEXT_CHARS}字"),
                format!("text is limited to {MAX_TEXT_CHARS} characters"),
            ))
        }
        Some(_) => {
            return Err(ApiError::new(
                Some("text"),
                lang,
                "text 应为字符串",
                "text must be a string",
            ))
        }
        None => {
            return Err(ApiError::new(
                Some("text"),
                lang,
                "缺少 text 字段",
                "text is required",
            ))
        }
    };
    let count = |field: &str, min: u64| -> Result<Option<u32>, ApiError> {
        match request.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .filter(|n| *n >= min)
                .and_then(|n| u32::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| {
                    ApiError::new(
                        Some(field),
                        lang,
                        format!("{field} 应为不小于{min}的整数"),
                        format!("{field} must be a whole number ≥ {min}"),
                    )
                }),
        }
    };
    let mut facts = IntakeFacts::default();
    let mut stated = StatedFacts {
        people_count: count("people_count", 1)?,
        ..StatedFacts::default()
    };
    if let Some(n) = count("same_issue_complainants_30d", 0)? {
        facts.same_issue_complainants_30d = n;
    }
    if let Some(n) = count("days_unresolved", 0)? {
        facts.days_unresolved = n;
    }
    stated.amount_fen = match request.get("claimed_amount_yuan") {
        None | Some(Value::Null) => None,
        Some(v) => v
            .as_f64()
            .filter(|y| y.is_finite() && *y >= 0.0 && *y <= 1e9)
            .map(|y| Some((y * 100.0).round() as u64))
            .ok_or_else(|| {
                ApiError::new(
                    Some("claimed_amount_yuan"),
                    lang,
                    "claimed_amount_yuan 应为不小于0的数字（元）",
                    "claimed_amount_yuan must be a number of yuan ≥ 0",
                )
            })?,
    };
    stated.flags = match request.get("flags") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().and_then(RiskFlag::parse))
            .collect::<Option<_>>()
            .map(Some)
            .ok_or_else(|| {
                let known = RiskFlag::ALL
                    .iter()
                    .map(|f| f.code())
                    .collect::<Vec<_>>()
                    .join(", ");
                ApiError::new(
                    Some("flags"),
                    lang,
                    format!("flags 只能包含：{known}"),
                    format!("flags may only contain: {known}"),
                )
            })?,
        Some(_) => {
            return Err(ApiError::new(
                Some("flags"),
                lang,
                "flags 应为数组",
                "flags must be an array",
            ))
        }
    };
    stated.impact = match request.get("impact") {
        None | Some(Value::Null) => None,
        Some(v) => v
            .as_str()
            .and_then(Impact::parse)
            .map(Some)
            .ok_or_else(|| {
                ApiError::new(
                    Some("impact"),
                    lang,
                    "impact 应为 severe、impaired、cosmetic 或 none",
                    "impact must be severe, impaired, cosmetic or none",
                )
            })?,
    };
    facts.repeat = match request.get("repeat") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(ApiError::new(
                Some("repeat"),
                lang,
                "repeat 应为 true 或 false",
                "repeat must be true or false",
            ))
        }
    };
    Ok((text, stated, facts))
}
