//! The estate file over plain HTTP, administrators only: `POST /staff/admin/estate/import`
//! (multipart, one `file` part: .xlsx or .csv) answers what was imported, or 422 with
//! every bad row in the request's language and nothing imported;
//! `GET /staff/admin/estate/export.csv` downloads the estate in the import's format.

use app::error::AppError;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_login::AuthSession;
use domain::estate::RowError;
use domain::{Lang, Role};
use serde_json::json;

use super::{lang, Services};
use crate::auth::Users;
use crate::estate::{read_estate, MAX_FILE_BYTES};
use crate::store::estate as store;

pub fn router() -> Router<Services> {
    Router::new()
        .route(
            "/import",
            post(import).layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024)),
        )
        .route("/export.csv", get(export))
}

/// The administrator's user id, or the refusal.
fn admin(auth: &AuthSession<Users>) -> Result<i64, AppError> {
    match auth.user.as_ref().map(|u| (u.0.id, u.0.role)) {
        None => Err(AppError::Unauthorized),
        Some((id, Role::Admin)) => Ok(id),
        Some(_) => Err(AppError::Forbidden),
    }
}

fn refuse(error: AppError, lang: Lang) -> Response {
    use app::i18n::{Message, Msg};
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let text = match error {
        AppError::Unauthorized => Msg::ErrUnauthorized.text(lang),
        AppError::Forbidden => Msg::ErrForbidden.text(lang),
        _ => Msg::ErrInternal.text(lang),
    };
    (status, Json(json!({ "message": text }))).into_response()
}

/// 422 with every problem: row, column (its header in the request's language), reason.
fn row_errors(errors: &[RowError], lang: Lang) -> Response {
    let message = match lang {
        Lang::Zh => format!("文件有{}处错误，未导入任何数据", errors.len()),
        Lang::En => format!(
            "{} problems in the file; nothing was imported",
            errors.len()
        ),
    };
    let errors: Vec<_> = errors
        .iter()
        .map(|e| {
            json!({
                "row": e.row,
                "column": e.column.map(|c| c.label(lang)),
                "reason": e.reason.get(lang),
                "text": e.describe(lang),
            })
        })
        .collect();
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({ "message": message, "errors": errors })),
    )
        .into_response()
}

async fn import(
    State(services): State<Services>,
    auth: AuthSession<Users>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let lang = lang::from_headers(&headers);
    let actor = match admin(&auth) {
        Ok(id) => id,
        Err(error) => return refuse(error, lang),
    };
    let bytes = match file_part(multipart).await {
        Ok(bytes) => bytes,
        Err(error) => return row_errors(&[error], lang),
    };
    // Parsing 20,000 rows is CPU work: off the request threads.
    let rows = match tokio::task::spawn_blocking(move || read_estate(&bytes)).await {
        Ok(Ok(rows)) => rows,
        Ok(Err(errors)) => return row_errors(&errors, lang),
        Err(_) => return refuse(AppError::Internal, lang),
    };
    match store::import(&services.db, &rows, Some(actor), chrono::Utc::now()).await {
        Ok(summary) => Json(summary).into_response(),
        Err(error) => refuse(error, lang),
    }
}

/// The bytes of the `file` part.
async fn file_part(
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Vec<u8>, RowError> {
    let interrupted = || {
        RowError::file(
            "上传中断或文件太大，请重试",
            "The upload was interrupted or the file is too large; please try again",
        )
    };
    let mut multipart = multipart.map_err(|_| interrupted())?;
    while let Some(field) = multipart.next_field().await.map_err(|_| interrupted())? {
        if field.name() == Some("file") {
            let bytes = field.bytes().await.map_err(|_| interrupted())?;
            if bytes.is_empty() {
                break;
            }
            return Ok(bytes.to_vec());
        }
    }
    Err(RowError::file(
        "请选择要导入的文件（.xlsx 或 .csv）",
        "Choose a file to import (.xlsx or .csv)",
    ))
}

async fn export(
    State(services): State<Services>,
    auth: AuthSession<Users>,
    headers: HeaderMap,
) -> Response {
    let lang = lang::from_headers(&headers);
    if let Err(error) = admin(&auth) {
        return refuse(error, lang);
    }
    match store::export_csv(&services.db).await {
        Ok(csv) => (
            [
                (CONTENT_TYPE, "text/csv; charset=utf-8"),
                (CONTENT_DISPOSITION, "attachment; filename=\"estate.csv\""),
                (CACHE_CONTROL, "no-store"),
            ],
            csv,
        )
            .into_response(),
        Err(error) => refuse(error, lang),
    }
}
