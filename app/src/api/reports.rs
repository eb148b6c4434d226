//! Reports, for those `crate::access` lets read them (supervisors and administrators).

use leptos::prelude::*;

use crate::error::AppError;
use crate::reports::{Report, ReportFilter, Summary};

/// The dashboard for the filters in the page's URL.
#[server(endpoint = "load_report")]
pub async fn load_report(#[server(default)] filter: ReportFilter) -> Result<Report, AppError> {
    use crate::ssr::{backend, lang};
    crate::ssr::require(crate::access::Doing::ReadReports)?;
    let (reports, now) = (backend().reports, chrono::Utc::now());
    let query = filter.parse(reports.this_month(now), lang())?;
    reports.dashboard(&query, now).await
}

/// The printable summary of `period` (`2026-05` or `2026-H1`; default: last month).
#[server(endpoint = "load_summary")]
pub async fn load_summary(#[server(default)] period: String) -> Result<Summary, AppError> {
    use crate::error::FieldErrors;
    use crate::i18n::{Message, ReportMsg};
    use crate::reports::Period;
    use crate::ssr::{backend, lang};
    crate::ssr::require(crate::access::Doing::ReadReports)?;
    let (reports, now) = (backend().reports, chrono::Utc::now());
    let period = match period.trim() {
        "" => Period::default_for(reports.this_month(now)),
        text => Period::parse(text).ok_or_else(|| {
            AppError::Validation(FieldErrors::one(
                "period",
                ReportMsg::ErrPeriod.text(lang()),
            ))
        })?,
    };
    reports.summary(period, now).await
}
