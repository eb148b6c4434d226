//! `POST /api/v1/sms/inbound`: the SMS provider's callback for owners' replies (上行短信).
//! Every SMS ends with "回T退订"; a reply that asks for no more SMS (`domain::messages::
//! is_unsubscribe`) turns SMS off on every complaint of that phone and cancels what is
//! still queued for it. Other replies are acknowledged and ignored (the tracking page is
//! where owners write to us).
//!
//! The door is open only when `PORTAL_SMS_INBOUND_TOKEN` is set; the caller presents it as
//! `Authorization: Bearer <token>`. Body: `{"phone": "13812345678", "text": "T"}`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};

use super::{json_object, lang, ApiError};
use crate::http::Services;

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub async fn inbound(
    State(services): State<Services>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let lang = lang(&headers);
    let Some(token) = services.sms_inbound_token.as_deref() else {
        return Err(ApiError::new(
            None,
            lang,
            "未开通短信回复接口（PORTAL_SMS_INBOUND_TOKEN）",
            "SMS replies are not enabled (PORTAL_SMS_INBOUND_TOKEN)",
        )
        .with_status(StatusCode::NOT_FOUND));
    };
    let presented = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !same(presented.trim().as_bytes(), token.as_bytes()) {
        return Err(ApiError::new(None, lang, "凭据无效", "Invalid credentials")
            .with_status(StatusCode::UNAUTHORIZED));
    }
    let request = json_object(&body, lang)?;
    let phone = request
        .get("phone")
        .and_then(Value::as_str)
        .map(|p| p.trim_start_matches("+86").trim_start_matches("0086"))
        .and_then(|p| domain::PhoneNumber::parse(p).ok())
        .filter(domain::PhoneNumber::is_mobile)
        .ok_or_else(|| {
            ApiError::new(
                Some("phone"),
                lang,
                "phone 应为11位手机号",
                "phone must be an 11-digit mobile number",
            )
        })?;
    let text = request.get("text").and_then(Value::as_str).ok_or_else(|| {
        ApiError::new(
            Some("text"),
            lang,
            "缺少 text（短信内容）",
            "text (the reply) is missing",
        )
    })?;
    if !domain::messages::is_unsubscribe(text) {
        return Ok(Json(json!({ "unsubscribed": false })));
    }
    let complaints = crate::store::outbox::unsubscribe_phone(
        &services.db.pool,
        phone.as_str(),
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "unsubscribing a phone");
        ApiError::internal(lang)
    })?;
    tracing::info!(phone = %phone.masked(), complaints, "SMS unsubscribed by reply");
    Ok(Json(
        json!({ "unsubscribed": true, "complaints": complaints }),
    ))
}
