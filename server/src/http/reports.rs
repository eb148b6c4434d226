//! CSV downloads of the reports, under `/staff/reports/export/`: the filtered complaints
//! (`complaints.csv`) and each chart's table (`<chart id>.csv`), with the dashboard's
//! query parameters. Supervisors and administrators only, like the dashboard.

use app::error::AppError;
use app::reports::{charts, ReportFilter, ReportQuery};
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use axum_login::AuthSession;
use domain::Lang;

use super::{lang, Services};
use crate::auth::Users;
use crate::store::reports::export;

pub fn router() -> Router<Services> {
    Router::new().route("/{file}", get(download))
}

async fn download(
    State(services): State<Services>,
    auth: AuthSession<Users>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(filter): Query<ReportFilter>,
) -> Response {
    let lang = lang::from_headers(&headers);
    let Some(name) = file.strip_suffix(".csv") else {
        return refuse(AppError::NotFound, lang);
    };
    match auth.user.as_ref().map(|u| u.0.role) {
        None => return refuse(AppError::Unauthorized, lang),
        Some(role) if !app::access::may_role(role, app::access::Doing::ReadReports) => {
            return refuse(AppError::Forbidden, lang)
        }
        Some(_) => {}
    }
    let reports = &services.backend.reports;
    let now = chrono::Utc::now();
    let query = match filter.parse(reports.this_month(now), lang) {
        Ok(query) => query,
        Err(error) => return refuse(error, lang),
    };
    let file_name = format!("{name}-{}-{}.csv", query.from.code(), query.to.code());
    if name == "complaints" {
        let offset = services.policy.current().utc_offset_minutes;
        let chunks = export::complaints_csv(services.db.clone(), query, lang, offset);
        // Fused: the compression layer may poll once more after the end.
        let stream =
            futures::StreamExt::fuse(futures::stream::unfold(chunks, |mut chunks| async move {
                chunks.recv().await.map(|chunk| (chunk, chunks))
            }));
        return csv_response(&file_name, Body::from_stream(stream));
    }
    chart_csv(&services, name, &query, lang, now)
        .await
        .map(|csv| csv_response(&file_name, Body::from(csv)))
        .unwrap_or_else(|error| refuse(error, lang))
}

async fn chart_csv(
    services: &Services,
    id: &str,
    query: &ReportQuery,
    lang: Lang,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String, AppError> {
    if !charts::IDS.contains(&id) {
        return Err(AppError::NotFound);
    }
    let report = services.backend.reports.dashboard(query, now).await?;
    charts::by_id(&report, id, lang)
        .map(|chart| chart.csv())
        .ok_or(AppError::NotFound)
}

fn csv_response(file_name: &str, body: Body) -> Response {
    (
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// A refusal as plain text in the user's language, with the error's status.
fn refuse(error: AppError, lang: Lang) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    use app::i18n::{Message, Msg};
    let text = match &error {
        AppError::Validation(fields) => fields
            .fields
            .values()
            .cloned()
            .collect::<Vec<_>>()
            .join("\n"),
        AppError::NotFound => Msg::ErrNotFound.text(lang).to_owned(),
        AppError::Unauthorized => Msg::ErrUnauthorized.text(lang).to_owned(),
        AppError::Forbidden => Msg::ErrForbidden.text(lang).to_owned(),
        _ => Msg::ErrInternal.text(lang).to_owned(),
    };
    (status, [(CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}
