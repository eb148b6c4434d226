//! Supervisors' reports (rules.md "Statistics"): what the dashboard and the periodic
//! summary show, how their filters read from a URL, and — as plain functions with unit
//! tests — the charts (inline SVG), their data tables and CSV.

pub mod charts;
pub mod csv;
mod period;
pub mod svg;

use chrono::{DateTime, Utc};
use domain::{Category, Clock, Lang, Level, Status, Text};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldErrors};
use crate::i18n::{Message, ReportMsg};
pub use period::{Month, Period};

/// The longest range one report covers (ten years of months).
pub const MAX_MONTHS: i32 = 120;

/// The dashboard's filters as they appear in its URL (all optional, all text as typed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportFilter {
    /// First month, `YYYY-MM` (default: eleven months before `to`).
    pub from: String,
    /// Last month, `YYYY-MM` (default: this month).
    pub to: String,
    pub community: String,
    pub department: String,
    pub category: String,
}

/// The filters, read: a range of whole months (complaints count for the month they were
/// filed in, in the portal's zone) and optional community, department and category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportQuery {
    pub from: Month,
    pub to: Month,
    pub community: Option<i64>,
    pub department: Option<i64>,
    pub category: Option<Category>,
}

impl ReportFilter {
    /// Reads the filters; `this_month` fills in the default range. A month that is not
    /// `YYYY-MM`, or a range that runs backwards or over ten years, is refused field by field.
    pub fn parse(&self, this_month: Month, lang: Lang) -> Result<ReportQuery, AppError> {
        let mut errors = FieldErrors::default();
        let mut month = |field: &str, text: &str| -> Option<Month> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let parsed = Month::parse(text);
            if parsed.is_none() {
                errors
                    .fields
                    .insert(field.to_owned(), ReportMsg::ErrMonth.text(lang).to_owned());
            }
            parsed
        };
        let to = month("to", &self.to);
        let from = month("from", &self.from);
        let to = to.unwrap_or(this_month);
        let from = from.unwrap_or_else(|| to.add(-11));
        if errors.fields.is_empty() && from > to {
            errors.fields.insert(
                "from".to_owned(),
                ReportMsg::ErrBackwards.text(lang).to_owned(),
            );
        } else if errors.fields.is_empty() && from.months_until(to) >= MAX_MONTHS {
            errors.fields.insert(
                "from".to_owned(),
                ReportMsg::ErrTooLong.text(lang).to_owned(),
            );
        }
        if !errors.fields.is_empty() {
            errors.echo = [("from", &self.from), ("to", &self.to)]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.clone()))
                .collect();
            return Err(AppError::Validation(errors));
        }
        Ok(ReportQuery {
            from,
            to,
            community: self.community.trim().parse().ok(),
            department: self.department.trim().parse().ok(),
            category: Category::parse(self.category.trim()),
        })
    }
}

impl ReportQuery {
    /// The same filters as URL query parameters (for links to exports and to the queue).
    pub fn to_query(&self) -> String {
        let mut params = vec![
            format!("from={}", self.from.code()),
            format!("to={}", self.to.code()),
        ];
        if let Some(id) = self.community {
            params.push(format!("community={id}"));
        }
        if let Some(id) = self.department {
            params.push(format!("department={id}"));
        }
        if let Some(category) = self.category {
            params.push(format!("category={}", category.code()));
        }
        params.join("&")
    }

    /// The staff queue showing the complaints of one cell of the report: every status, this
    /// period, and the report's own filters unless the cell names its own. `building` is
    /// `Some(None)` for a hot-spot row of complaints that name no building (`building=none`).
    pub fn queue_link(
        &self,
        community: Option<i64>,
        building: Option<Option<i64>>,
        category: Option<Category>,
    ) -> String {
        let mut params = vec![
            "status=all".to_owned(),
            format!("from={}", self.from.code()),
            format!("to={}", self.to.code()),
        ];
        if let Some(id) = community.or(self.community) {
            params.push(format!("community={id}"));
        }
        match building {
            Some(Some(id)) => params.push(format!("building={id}")),
            Some(None) => params.push("building=none".to_owned()),
            None => {}
        }
        if let Some(id) = self.department {
            params.push(format!("department={id}"));
        }
        if let Some(category) = category.or(self.category) {
            params.push(format!("category={}", category.code()));
        }
        format!("/staff?{}", params.join("&"))
    }
}

/// Complaints per month of the range (every month, zeros included), by level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthRow {
    pub month: Month,
    pub total: i64,
    /// Counts of levels 1, 2, 3, 4.
    pub levels: [i64; 4],
}

/// A duration histogram: (upper bound in minutes, count), ascending; a bound of -1 holds
/// everything longer than the last bound. Percentiles are read as "at most this bound".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Durations {
    pub buckets: Vec<(i64, i64)>,
}

impl Durations {
    pub fn count(&self) -> i64 {
        self.buckets.iter().map(|(_, n)| n).sum()
    }

    /// The bucket holding the `p`-th percentile: `Some(-1)` when it lies beyond the last
    /// bound, `None` when there is nothing to measure.
    pub fn percentile(&self, p: u32) -> Option<i64> {
        let total = self.count();
        if total == 0 {
            return None;
        }
        // The smallest bound under which at least p% of the values lie.
        let needed = (total * i64::from(p.min(100)) + 99) / 100;
        let mut sorted = self.buckets.clone();
        sorted.sort_by_key(|(bound, _)| if *bound < 0 { i64::MAX } else { *bound });
        let mut seen = 0;
        for (bound, n) in sorted {
            seen += n;
            if seen >= needed.max(1) {
                return Some(bound);
            }
        }
        None
    }
}

/// One SLA clock over the period (rules.md "Time limits"): stopped clocks met on time or
/// late, and running clocks past their due time now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClockCompliance {
    pub clock: Clock,
    pub on_time: i64,
    pub late: i64,
    pub overdue_now: i64,
}

impl ClockCompliance {
    /// Share met on time, in whole percent, when any clock stopped.
    pub fn percent_on_time(&self) -> Option<i64> {
        percent(self.on_time, self.on_time + self.late)
    }
}

/// `part / whole` in whole percent, rounded half up; `None` for an empty whole.
pub fn percent(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 200 + whole) / (whole * 2))
}

/// Answers to the revisit questions (rules.md "Satisfaction revisit").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Satisfactions {
    /// 满意, 基本满意, 不满意 about the handling process.
    pub process: [i64; 3],
    /// The same about how fast it was handled (处理及时性).
    #[serde(default)]
    pub timeliness: [i64; 3],
    /// The same about the staff's attitude (服务态度).
    #[serde(default)]
    pub attitude: [i64; 3],
    /// The same about the result.
    pub result: [i64; 3],
    /// Overall scores 1..5.
    pub overall: [i64; 5],
}

impl Satisfactions {
    /// Mean overall score ×10 (e.g. 43 for 4.3), when anyone answered.
    pub fn overall_mean_tenths(&self) -> Option<i64> {
        let answers: i64 = self.overall.iter().sum();
        let points: i64 = self
            .overall
            .iter()
            .zip(1..)
            .map(|(n, score)| n * score)
            .sum();
        (answers > 0).then(|| (points * 20 + answers) / (answers * 2))
    }
}

/// Complaints counted by what happened to them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Flags {
    /// Resolved at least once.
    pub resolved: i64,
    /// Reopened after an unsatisfied revisit (or by staff).
    pub reopened: i64,
    pub repeat: i64,
    pub group: i64,
    pub emergency: i64,
}

/// Revisit rounds opened over the period's complaints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Revisits {
    pub answered: i64,
    pub pending: i64,
}

/// A department's or a handler's load and how often they resolved on time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamLoad {
    pub id: i64,
    pub name: Text,
    pub total: i64,
    /// Resolution clocks met on time, of `timed` stopped ones.
    pub on_time: i64,
    pub timed: i64,
}

/// Complaints per building × category (community-wide when a complaint names no building).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HotSpots {
    pub categories: Vec<Category>,
    pub rows: Vec<HotSpotRow>,
    /// Places left out (the table shows the busiest).
    pub more: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HotSpotRow {
    pub community_id: i64,
    pub community: String,
    pub building_id: Option<i64>,
    pub building: Option<String>,
    /// Aligned with `HotSpots::categories`.
    pub counts: Vec<i64>,
}

impl HotSpotRow {
    pub fn total(&self) -> i64 {
        self.counts.iter().sum()
    }
}

/// How the FAQ kept owners from having to file, over the report's months
/// (`server::store::reports::faq`). `NoDataYet` when nothing was read, answered or deflected.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub enum FaqUsage {
    #[default]
    NoDataYet,
    Usage {
        /// Owners who read an article and then did not file.
        deflections: i64,
        most_read: Vec<FaqArticleStat>,
        least_helpful: Vec<FaqArticleStat>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaqArticleStat {
    pub slug: String,
    pub title: String,
    pub reads: i64,
    pub helpful: i64,
    pub not_helpful: i64,
}

/// Everything the dashboard shows, for the complaints filed in the query's months.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub query: ReportQuery,
    pub total: i64,
    pub months: Vec<MonthRow>,
    /// Every category, in the spec's order.
    pub categories: Vec<(Category, i64)>,
    /// Every channel, in the vocabulary's order (the portal first).
    #[serde(default)]
    pub channels: Vec<(domain::Channel, i64)>,
    pub levels: Vec<(Level, i64)>,
    /// Statuses complaints of the period are in now (only those with any).
    pub statuses: Vec<(Status, i64)>,
    pub first_contact: Durations,
    pub resolution: Durations,
    pub clocks: Vec<ClockCompliance>,
    /// Complaints of the period still open now.
    pub open_now: i64,
    /// Of those, the ones with a clock past its due time.
    pub overdue_now: i64,
    pub revisits: Revisits,
    pub satisfaction: Satisfactions,
    pub flags: Flags,
    /// Busiest first.
    pub departments: Vec<TeamLoad>,
    /// The busiest handlers.
    pub handlers: Vec<TeamLoad>,
    pub hot_spots: HotSpots,
    pub faq: FaqUsage,
    pub generated_at: DateTime<Utc>,
}

impl Report {
    /// Revisit rounds answered, of all opened (the goal is 100%).
    pub fn revisit_rate(&self) -> Option<i64> {
        percent(
            self.revisits.answered,
            self.revisits.answered + self.revisits.pending,
        )
    }

    /// Complaints reopened, of those resolved at least once.
    pub fn reopen_rate(&self) -> Option<i64> {
        percent(self.flags.reopened, self.flags.resolved)
    }
}

/// An action recorded at closing (rules.md "Lifecycle" 8: 纠正和预防措施).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosingAction {
    pub id: i64,
    pub tracking_code: String,
    pub community: String,
    pub closed_at: DateTime<Utc>,
    pub root_cause: String,
    pub corrective_action: String,
}

/// The actions recorded when complaints of one category were closed in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryActions {
    pub category: Category,
    /// Complaints of this category closed in the period.
    pub closed: i64,
    /// The latest of them (at most `SUMMARY_ACTIONS_PER_CATEGORY`).
    pub items: Vec<ClosingAction>,
}

/// How many closing actions per category the printed summary lists.
pub const SUMMARY_ACTIONS_PER_CATEGORY: i64 = 20;

/// The printable monthly or half-year summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub period: Period,
    pub report: Report,
    pub actions: Vec<CategoryActions>,
}

/// Minutes as the coarse duration a bucket bound is: 15分钟, 2小时, 3天.
pub fn duration_label(minutes: i64, lang: Lang) -> String {
    let (n, unit) = if minutes % 1440 == 0 && minutes > 0 {
        (minutes / 1440, ReportMsg::UnitDays)
    } else if minutes % 60 == 0 && minutes > 0 {
        (minutes / 60, ReportMsg::UnitHours)
    } else {
        (minutes, ReportMsg::UnitMinutes)
    };
    crate::i18n::fill(unit.text(lang), &[&n])
}

/// A percentile bucket as text: "≤ 2小时", or "> 7天" past the last bound.
pub fn bound_label(bound: Option<i64>, last: i64, lang: Lang) -> String {
    match bound {
        None => "—".to_owned(),
        Some(b) if b < 0 => format!("> {}", duration_label(last, lang)),
        Some(b) => format!("≤ {}", duration_label(b, lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(from: &str, to: &str) -> ReportFilter {
        ReportFilter {
            from: from.into(),
            to: to.into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_empty_filter_covers_the_twelve_months_up_to_this_one() {
        let now = Month::parse("2026-05").unwrap();
        let q = ReportFilter::default().parse(now, Lang::Zh).unwrap();
        assert_eq!(
            (q.from.code(), q.to.code()),
            ("2025-06".into(), "2026-05".into())
        );
        assert_eq!(q.to_query(), "from=2025-06&to=2026-05");
    }

    #[test]
    fn bad_months_and_backward_ranges_are_refused_by_field() {
        let now = Month::parse("2026-05").unwrap();
        let err = filter("2026-13", "x").parse(now, Lang::Zh).unwrap_err();
        assert!(err.field("from").is_some() && err.field("to").is_some());
        assert_eq!(err.echo("from").as_deref(), Some("2026-13"));
        let err = filter("2026-04", "2026-01")
            .parse(now, Lang::En)
            .unwrap_err();
        assert!(err.field("from").unwrap().contains("later"));
        assert!(filter("2000-01", "2026-01").parse(now, Lang::Zh).is_err());
    }

    #[test]
    fn ids_and_categories_that_do_not_parse_are_ignored() {
        let now = Month::parse("2026-05").unwrap();
        let f = ReportFilter {
            community: "2".into(),
            department: "x".into(),
            category: "repair_service".into(),
            ..Default::default()
        };
        let q = f.parse(now, Lang::Zh).unwrap();
        assert_eq!(q.community, Some(2));
        assert_eq!(q.department, None);
        assert_eq!(q.category, Some(Category::RepairService));
        assert_eq!(
            q.queue_link(None, Some(Some(7)), None),
            "/staff?status=all&from=2025-06&to=2026-05&community=2&building=7&category=repair_service"
        );
        assert_eq!(
            q.queue_link(Some(1), Some(None), None),
            "/staff?status=all&from=2025-06&to=2026-05&community=1&building=none&category=repair_service"
        );
    }

    #[test]
    fn percentiles_are_the_bucket_that_holds_them() {
        let d = Durations {
            buckets: vec![(-1, 1), (60, 5), (15, 3), (120, 1)],
        };
        assert_eq!(d.count(), 10);
        assert_eq!(d.percentile(50), Some(60));
        assert_eq!(d.percentile(30), Some(15));
        assert_eq!(d.percentile(90), Some(120));
        assert_eq!(d.percentile(95), Some(-1));
        assert_eq!(Durations::default().percentile(50), None);
    }

    #[test]
    fn rates_round_half_up_and_empty_wholes_have_none() {
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 8), Some(13));
        assert_eq!(percent(0, 0), None);
        let s = Satisfactions {
            overall: [0, 0, 1, 1, 1],
            ..Default::default()
        };
        assert_eq!(s.overall_mean_tenths(), Some(40));
    }

    #[test]
    fn bounds_read_as_whole_units() {
        assert_eq!(duration_label(15, Lang::Zh), "15分钟");
        assert_eq!(duration_label(120, Lang::Zh), "2小时");
        assert_eq!(duration_label(10080, Lang::En), "7 d");
        assert_eq!(bound_label(Some(-1), 10080, Lang::Zh), "> 7天");
        assert_eq!(bound_label(Some(60), 10080, Lang::Zh), "≤ 1小时");
        assert_eq!(bound_label(None, 10080, Lang::Zh), "—");
    }
}
