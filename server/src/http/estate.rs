//! The estate file over plain HTTP, administrators only: `POST /staff/admin/estate/import`
//! (multipart, one `file` part: .xlsx or .csv) answers what was imported, or 422 with
//! every bad row in the request's language and nothing imported — or, posted by the
//! page's form (`Accept: text/html`), keeps the outcome and sends the browser back to
//! `/staff/admin/estate?import=ID`, which shows it;
//! `GET /staff/admin/estate/export.csv` downloads the estate in the import's format.

use app::error::AppError;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::header::{ACCEPT, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_login::AuthSession;
use domain::estate::RowError;
use domain::Lang;
use serde_json::json;

use super::{lang, Services};
use crate::auth::Users;
use crate::estate::{read_estate, MAX_FILE_BYTES};
use crate::store::estate as store;
use crate::store::estate_admin::record_import;

pub fn router() -> Router<Services> {
    Router::new()
        .route(
            "/import",
            post(import).layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024)),
        )
        .route("/export.csv", get(export))
}

/// `GET /estate/buildings/{id}/units`: a building's unit labels for the complaint form
/// (anyone may file, so anyone may read them; no owner is in them).
pub fn public_router() -> Router<Services> {
    Router::new().route("/estate/buildings/{id}/units", get(unit_labels))
}

async fn unit_labels(
    State(services): State<Services>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Response {
    match store::unit_labels(&services.db, id).await {
        Ok(labels) => ([(CACHE_CONTROL, "max-age=300")], Json(labels)).into_response(),
        Err(error) => refuse(error, lang::from_headers(&headers)),
    }
}

/// The administrator's user id, or the refusal.
fn admin(auth: &AuthSession<Users>) -> Result<i64, AppError> {
    let actor = auth
        .user
        .as_ref()
        .map(crate::auth::User::actor)
        .ok_or(AppError::Unauthorized)?;
    if app::access::may(Some(&actor), app::access::Doing::Administer) {
        Ok(actor.user_id)
    } else {
        Err(AppError::Forbidden)
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
    let from_page = headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let outcome = match file_part(multipart).await {
        Ok((file_name, bytes)) => {
            // Parsing 20,000 rows is CPU work: off the request threads.
            match tokio::task::spawn_blocking(move || read_estate(&bytes)).await {
                Ok(Ok(rows)) => {
                    match store::import(&services.db, &rows, Some(actor), chrono::Utc::now()).await
                    {
                        Ok(summary) => (file_name, Ok(summary)),
                        Err(error) => return refuse(error, lang),
                    }
                }
                Ok(Err(errors)) => (file_name, Err(errors)),
                Err(_) => return refuse(AppError::Internal, lang),
            }
        }
        Err(error) => (String::new(), Err(vec![error])),
    };
    let (file_name, outcome) = outcome;
    if from_page {
        let recorded = record_import(
            &services.db,
            actor,
            &file_name,
            &outcome,
            chrono::Utc::now(),
        )
        .await;
        return match recorded {
            Ok(id) => (
                StatusCode::SEE_OTHER,
                [(LOCATION, format!("/staff/admin/estate?import={id}#import"))],
            )
                .into_response(),
            Err(error) => refuse(error, lang),
        };
    }
    match outcome {
        Ok(summary) => Json(summary).into_response(),
        Err(errors) => row_errors(&errors, lang),
    }
}

/// The bytes of the `file` part.
async fn file_part(
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(String, Vec<u8>), RowError> {
    let interrupted = || {
        RowError::file(
            "上传中断或文件太大，请重试",
            "The upload was interrupted or the file is too large; please try again",
        )
    };
    let mut multipart = multipart.map_err(|_| interrupted())?;
    while let Some(field) = multipart.next_field().await.map_err(|_| interrupted())? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(|_| interrupted())?;
            if bytes.is_empty() {
                break;
            }
            return Ok((name, bytes.to_vec()));
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
