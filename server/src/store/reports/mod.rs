//! Supervisors' reports. The dashboard sums a rollup (`report_facts` per
//! community, `report_totals` over all) that triggers keep equal to the complaints
//! (migration 0004): its queries read rows per month, department and category, not per
//! complaint. Only "overdue now" reads complaints, and only the open ones.

pub mod backfill;
pub mod dashboard;
pub mod export;
pub mod faq;
pub mod summary;

use app::error::AppResult;
use app::reports::{Month, Period, Report, ReportQuery, Summary};
use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};

use crate::db::Db;

pub struct ReportStore {
    pub db: Db,
    pub utc_offset_minutes: i32,
    /// The FAQ's deflection window (`FaqSettings::deflection_window`).
    pub deflection_window: TimeDelta,
}

#[async_trait]
impl app::ssr::Reports for ReportStore {
    fn this_month(&self, now: DateTime<Utc>) -> Month {
        Month::of(now, self.utc_offset_minutes)
    }

    async fn dashboard(&self, query: &ReportQuery, now: DateTime<Utc>) -> AppResult<Report> {
        let mut report = dashboard::report(&self.db, query, now).await?;
        report.faq = faq::usage(
            &self.db,
            query,
            self.utc_offset_minutes,
            self.deflection_window,
            now,
        )
        .await?;
        Ok(report)
    }

    async fn summary(&self, period: Period, now: DateTime<Utc>) -> AppResult<Summary> {
        let (from, to) = period.months();
        let query = ReportQuery {
            from,
            to,
            community: None,
            department: None,
            category: None,
        };
        let report = self.dashboard(&query, now).await?;
        let actions = summary::closing_actions(&self.db, period, self.utc_offset_minutes).await?;
        Ok(Summary {
            period,
            report,
            actions,
        })
    }
}
