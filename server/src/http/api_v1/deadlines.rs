//! `POST /api/v1/deadlines`: when each clock of a complaint received at a given moment is
//! due, by the active policy and business calendar (app/domain/docs/working-time.md).
//! Bad input is a 422 naming the field.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use chrono::{DateTime, Datelike, Utc};
use domain::{Lang, Level};
use serde_json::{Map, Value};

use super::{json_object, lang, ApiError};
use crate::http::Services;

/// The earliest and latest years a receipt time may fall in.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

pub async fn deadlines(
    State(services): State<Services>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let lang = lang(&headers);
    let request = json_object(&body, lang).map_err(ApiError::unprocessable)?;
    let (received_at, emergency, level) = parse(&request, lang).map_err(ApiError::unprocessable)?;
    let policy = services.policy.current();
    let calendar = services.policy.calendar();
    let zone = policy.time_zone();
    let ctx = domain::sla::SlaContext::new(&policy, &calendar);
    let due = domain::sla::deadlines_from(received_at, emergency, level, &ctx);
    let mut answer = Map::new();
    for (clock, at) in due {
        answer.insert(
            clock.code().to_owned(),
            Value::String(at.with_timezone(&zone).to_rfc3339()),
        );
    }
    Ok(Json(Value::Object(answer)))
}

fn parse(
    request: &Map<String, Value>,
    lang: Lang,
) -> Result<(DateTime<Utc>, bool, Level), ApiError> {
    let received_at = match request.get("received_at") {
        Some(Value::String(s)) => DateTime::parse_from_rfc3339(s.trim()).map_err(|_| {
            ApiError::new(
                Some("received_at"),
                lang,
                "received_at 应为带时区的 RFC 3339 时间，例如 2026-09-30T16:00:00+08:00",
                "received_at must be an RFC 3339 time with its offset, e.g. 2026-09-30T16:00:00+08:00",
            )
        })?,
        Some(_) => {
            return Err(ApiError::new(
                Some("received_at"),
                lang,
                "received_at 应为字符串",
                "received_at must be a string",
            ))
        }
        None => {
            return Err(ApiError::new(
                Some("received_at"),
                lang,
                "缺少 received_at 字段",
                "received_at is required",
            ))
        }
    };
    if !YEARS.contains(&received_at.year()) {
        return Err(ApiError::new(
            Some("received_at"),
            lang,
            format!(
                "received_at 的年份须在{}至{}年之间",
                YEARS.start(),
                YEARS.end()
            ),
            format!(
                "received_at must fall in the years {} to {}",
                YEARS.start(),
                YEARS.end()
            ),
        ));
    }
    let emergency = match request.get("emergency") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(ApiError::new(
                Some("emergency"),
                lang,
                "emergency 应为 true 或 false",
                "emergency must be true or false",
            ))
        }
    };
    let level = match request.get("level") {
        None | Some(Value::Null) => Level::Four,
        Some(v) => v
            .as_u64()
            .and_then(|n| u8::try_from(n).ok())
            .and_then(Level::from_number)
            .ok_or_else(|| {
                ApiError::new(
                    Some("level"),
                    lang,
                    "level 应为1到4的整数",
                    "level must be a whole number from 1 to 4",
                )
            })?,
    };
    Ok((received_at.with_timezone(&Utc), emergency, level))
}

impl ApiError {
    /// The same error as 422 Unprocessable Entity.
    pub fn unprocessable(self) -> ApiError {
        self.with_status(StatusCode::UNPROCESSABLE_ENTITY)
    }
}
