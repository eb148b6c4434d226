//! Supervisors' reports (issue 8). The dashboard sums a rollup (`report_facts` per
//! community, `report_totals` over all) that triggers keep equal to the complaints
//! (migration 0004): its queries read rows per month, department and category, not per
//! complaint. Only "overdue now" reads complaints, and only the open ones.

pub mod backfill;
pub mod dashboard;
pub mod export;
pub mod summary;

use app::error::AppResult;
use app::reports::{FaqUsage, Month, Period, Report, ReportQuery, Summary};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::db::Db;

pub struct ReportStore {
    pub db: Db,
    pub utc_offset_minutes: i32,
}

#[async_trait]
impl app::ssr::Reports for ReportStore {
    fn this_month(&self, now: DateTime<Utc>) -> Month {
        Month::of(now, self.utc_offset_minutes)
    }

    async fn dashboard(&self, query: &ReportQuery, now: DateTime<Utc>) -> AppResult<Report> {
        let mut report = dashboard::report(&self.db, query, now).await?;
        report.faq = self.faq_usage(query).await?;
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

    /// The FAQ tables come with the FAQ branch (migration 0002_faq); until they are
    /// wired here, the panel says there is no data yet.
    async fn faq_usage(&self, _query: &ReportQuery) -> AppResult<FaqUsage> {
        Ok(FaqUsage::NoDataYet)
    }
}
