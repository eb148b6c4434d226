//! The JSON API for other systems, under `/api/v1`. Documented in `openapi.yaml` beside
//! this file (served at `/api/v1/openapi.yaml`). Errors are JSON with the field at fault:
//! `{"error": {"field": "people_count", "message": "…"}}`, status 400.

mod deadlines;
mod faq;
mod grade;
mod hints;
mod sms;

use axum::http::header::{ACCEPT_LANGUAGE, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::Lang;
use serde_json::{json, Value};

use super::Services;

pub fn router() -> Router<Services> {
    Router::new()
        .route("/deadlines", post(deadlines::deadlines))
        .route("/grade", post(grade::grade))
        .route("/hints", post(hints::hints))
        .route("/hints/model/{version}", get(hints::model))
        .route("/faq/search", get(faq::search))
        .route("/sms/inbound", post(sms::inbound))
        .route("/openapi.yaml", get(openapi))
}

async fn openapi() -> impl IntoResponse {
    (
        [(CONTENT_TYPE, "application/yaml; charset=utf-8")],
        include_str!("openapi.yaml"),
    )
}

/// A client error naming the field (or `null` for the body as a whole).
pub struct ApiError {
    field: Option<String>,
    message: String,
    status: StatusCode,
}

impl ApiError {
    pub fn new(
        field: Option<&str>,
        lang: Lang,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> ApiError {
        let message = match lang {
            Lang::Zh => zh.into(),
            Lang::En => en.into(),
        };
        ApiError {
            field: field.map(str::to_owned),
            message,
            status: StatusCode::BAD_REQUEST,
        }
    }
}

impl ApiError {
    /// The same error with another status than 400.
    pub fn with_status(mut self, status: StatusCode) -> ApiError {
        self.status = status;
        self
    }

    /// Something failed on our side (already logged): 500, no details.
    pub fn internal(lang: Lang) -> ApiError {
        ApiError::new(
            None,
            lang,
            "服务暂时不可用，请稍后再试",
            "Something went wrong on our side; please try again",
        )
        .with_status(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "error": { "field": self.field, "message": self.message } });
        (self.status, Json(body)).into_response()
    }
}

/// The request's language: `Accept-Language`, Chinese by default.
pub fn lang(headers: &HeaderMap) -> Lang {
    headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default()
}

/// The body as a JSON object, or a 400 saying why not.
pub fn json_object(body: &[u8], lang: Lang) -> Result<serde_json::Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::new(
            None,
            lang,
            "请求体应为JSON对象",
            "The body must be a JSON object",
        )),
        Err(e) => Err(ApiError::new(
            None,
            lang,
            format!("请求体不是合法的JSON:{e}"),
            format!("The body is not valid JSON: {e}"),
        )),
    }
}
