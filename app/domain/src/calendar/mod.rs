//! The business calendar (rules.md "Amendments": working time): which days are working days
//! in mainland China, when the service desk is open, and how much service time lies between
//! two instants. The rules are written out in `app/domain/docs/working-time.md`.
//!
//! - Working days are Monday–Friday, minus statutory holidays, plus make-up working days
//!   (调休上班). The State Council publishes each year's schedule in November or December of
//!   the year before; the schedules for 2025 and 2026 ship with the crate
//!   ([`BusinessCalendar::official`]) and an administrator may replace or add a year
//!   ([`CalendarYear::parse`] reads what they type).
//! - A year the calendar does not know counts Monday–Friday as working days.
//! - [`ServiceHours`] (default 08:30–17:30) and [`WorkingTime`] turn that into service time.

mod official;
mod text;
mod working_time;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

pub(crate) use self::text::weekday_zh as text_weekday_zh;
pub use self::text::{CalendarList, CalendarProblem, CalendarProblemKind};
pub(crate) use self::working_time::stopped_at;
pub use self::working_time::{calendar_time_between, Pause, TimeBasis, WorkingTime};

/// One year of the statutory schedule: the days off that would otherwise be working days
/// (and any that fall on a weekend anyway), and the weekend days that are worked instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarYear {
    /// The year this schedule is for; every date below lies in it.
    pub year: i32,
    /// Statutory days off (放假), weekends included as the notice lists them.
    pub holidays: BTreeSet<NaiveDate>,
    /// Saturdays and Sundays that are working days (调休上班).
    pub makeup_workdays: BTreeSet<NaiveDate>,
}

impl CalendarYear {
    /// A year with no holidays and no make-up days: Monday–Friday only.
    pub fn weekdays_only(year: i32) -> CalendarYear {
        CalendarYear {
            year,
            holidays: BTreeSet::new(),
            makeup_workdays: BTreeSet::new(),
        }
    }

    /// Whether `date` is a working day by this year's schedule (a holiday wins over a
    /// make-up day; other days: Monday–Friday). Dates of other years: Monday–Friday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if date.year() == self.year {
            if self.holidays.contains(&date) {
                return false;
            }
            if self.makeup_workdays.contains(&date) {
                return true;
            }
        }
        is_weekday(date)
    }
}

/// Monday to Friday.
pub(crate) fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The working-day calendar: one [`CalendarYear`] per known year. Years it does not know count
/// Monday–Friday as working days (see `app/domain/docs/working-time.md`, "Calendar fallback").
///
/// Serialised as the list of its years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<CalendarYear>", into = "Vec<CalendarYear>")]
pub struct BusinessCalendar {
    years: BTreeMap<i32, CalendarYear>,
}

impl Default for BusinessCalendar {
    /// The official schedule ([`BusinessCalendar::official`]).
    fn default() -> Self {
        BusinessCalendar::official()
    }
}

impl From<Vec<CalendarYear>> for BusinessCalendar {
    fn from(years: Vec<CalendarYear>) -> Self {
        BusinessCalendar::empty().with_years(years)
    }
}

impl From<BusinessCalendar> for Vec<CalendarYear> {
    fn from(calendar: BusinessCalendar) -> Self {
        calendar.years.into_values().collect()
    }
}

impl BusinessCalendar {
    /// A calendar that knows no year: every Monday–Friday is a working day.
    pub fn empty() -> BusinessCalendar {
        BusinessCalendar {
            years: BTreeMap::new(),
        }
    }

    /// The State Council's schedules that ship with the crate (2025 and 2026).
    pub fn official() -> BusinessCalendar {
        BusinessCalendar::empty().with_years(official::years())
    }

    /// The shipped schedule of `year`, if the crate has one (e.g. to reset an administrator's
    /// edits).
    pub fn official_year(year: i32) -> Option<CalendarYear> {
        official::year(year)
    }

    /// The official schedule with each of `years` (an administrator's data) replacing the
    /// shipped year of the same number, or adding a year the crate does not ship.
    pub fn new(years: impl IntoIterator<Item = CalendarYear>) -> BusinessCalendar {
        BusinessCalendar::official().with_years(years)
    }

    /// This calendar with `year` replacing the year of the same number.
    pub fn with_year(mut self, year: CalendarYear) -> BusinessCalendar {
        self.insert(year);
        self
    }

    /// This calendar with each of `years` replacing the year of the same number.
    pub fn with_years(mut self, years: impl IntoIterator<Item = CalendarYear>) -> BusinessCalendar {
        for year in years {
            self.insert(year);
        }
        self
    }

    /// Puts `year` in place of the year of the same number; returns the one it replaced.
    pub fn insert(&mut self, year: CalendarYear) -> Option<CalendarYear> {
        self.years.insert(year.year, year)
    }

    /// Forgets `year` (it falls back to Monday–Friday); returns what was known.
    pub fn remove(&mut self, year: i32) -> Option<CalendarYear> {
        self.years.remove(&year)
    }

    /// Whether the calendar has a schedule for `year`.
    pub fn knows_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// The schedule of `year`, if known.
    pub fn year(&self, year: i32) -> Option<&CalendarYear> {
        self.years.get(&year)
    }

    /// Every known year, earliest first.
    pub fn years(&self) -> impl Iterator<Item = &CalendarYear> + '_ {
        self.years.values()
    }

    /// Whether the schedule of `year` is the shipped one (false for an edited or unknown year).
    pub fn is_official(&self, year: i32) -> bool {
        match (self.years.get(&year), official::year(year)) {
            (Some(known), Some(shipped)) => *known == shipped,
            _ => false,
        }
    }

    /// Whether `date` is a working day: a holiday is not, a make-up day is, and otherwise
    /// Monday–Friday are (also in a year the calendar does not know).
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.years.get(&date.year()) {
            Some(year) => year.is_working_day(date),
            None => is_weekday(date),
        }
    }

    /// Working days in `[from, to)` minus working days in `[to, from)`: how many working days
    /// lie between two dates, computed from whole weeks and the known years' exceptions (no
    /// day-by-day walk).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        self.rank(to) - self.rank(from)
    }

    /// The number of working days before `date`, counted from Monday 0001-01-01 (negative
    /// before it). Monday–Friday from a closed formula, then each known year's holidays on a
    /// weekday (−1) and make-up days on a weekend that are not also holidays (+1), exactly as
    /// [`BusinessCalendar::is_working_day`] decides.
    fn rank(&self, date: NaiveDate) -> i64 {
        // 0001-01-01 (day 1 from the common era) is a Monday.
        let days = i64::from(date.num_days_from_ce()) - 1;
        let mut rank = days.div_euclid(7) * 5 + days.rem_euclid(7).min(5);
        for (number, year) in self.years.range(..=date.year()) {
            let own = |d: &&NaiveDate| d.year() == *number;
            rank -= year
                .holidays
                .range(..date)
                .filter(own)
                .filter(|d| is_weekday(**d))
                .count() as i64;
            rank += year
                .makeup_workdays
                .range(..date)
                .filter(own)
                .filter(|d| !is_weekday(**d) && !year.holidays.contains(*d))
                .count() as i64;
        }
        rank
    }

    /// The `n`-th working day (0: the first) on or after `from`; `None` beyond the last date
    /// chrono can represent.
    pub fn nth_working_day(&self, from: NaiveDate, n: u64) -> Option<NaiveDate> {
        let n = i64::try_from(n).ok()?;
        // The answer is the earliest day `d` with rank(d + 1) > rank(from) + n.
        let goal = self.rank(from).checked_add(n)?.checked_add(1)?;
        let rank_after = |d: NaiveDate| self.rank(d) + i64::from(self.is_working_day(d));
        let day = |offset: i64| {
            u64::try_from(offset)
                .ok()
                .and_then(|o| from.checked_add_days(chrono::Days::new(o)))
        };
        // Five working days a week, plus slack for holidays; doubled until it is enough.
        let mut span = n.saturating_mul(7) / 5 + 7;
        let mut hi = loop {
            let hi = day(span)?;
            if rank_after(hi) >= goal {
                break span;
            }
            span = span.checked_mul(2)?;
        };
        let mut lo = 0_i64;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if rank_after(day(mid)?) >= goal {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        day(lo)
    }
}

/// When the service desk is open on a working day (rules.md "Amendments": 08:30–17:30).
/// Written as `"08:30"` strings in a policy file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceHours {
    /// Opening time, local.
    #[serde(with = "hh_mm")]
    pub opens: NaiveTime,
    /// Closing time, local; after `opens`.
    #[serde(with = "hh_mm")]
    pub closes: NaiveTime,
}

impl Default for ServiceHours {
    fn default() -> Self {
        ServiceHours {
            opens: hm(8, 30),
            closes: hm(17, 30),
        }
    }
}

/// `h:m`, for constants that are known to be valid (an invalid one is midnight).
const fn hm(h: u32, m: u32) -> NaiveTime {
    match NaiveTime::from_hms_opt(h, m, 0) {
        Some(t) => t,
        None => NaiveTime::MIN,
    }
}

impl ServiceHours {
    /// Service hours from `opens` to `closes`; `None` unless `opens` is before `closes`.
    pub fn new(opens: NaiveTime, closes: NaiveTime) -> Option<ServiceHours> {
        (opens < closes).then_some(ServiceHours { opens, closes })
    }

    /// Whether `opens` is before `closes`.
    pub fn is_valid(&self) -> bool {
        self.opens < self.closes
    }

    /// These hours if valid, else the default 08:30–17:30 (policy validation reports it).
    pub fn or_default(self) -> ServiceHours {
        if self.is_valid() {
            self
        } else {
            ServiceHours::default()
        }
    }

    /// Service time in one working day (9 hours by default); zero if not valid.
    pub fn daily(&self) -> chrono::Duration {
        (self.closes - self.opens).max(chrono::Duration::zero())
    }

    /// The problem with these hours, in the policy's words, if any.
    pub fn problem(&self, name: &str) -> Option<String> {
        (!self.is_valid()).then(|| {
            format!(
                "{name}: opens ({}) must be before closes ({})",
                time_label(self.opens),
                time_label(self.closes)
            )
        })
    }
}

/// `08:30`, or `08:30:15` when there are seconds; written by hand (no strftime in the
/// browser bundle).
pub fn time_label(t: NaiveTime) -> String {
    use chrono::Timelike;
    if t.second() == 0 {
        format!("{:02}:{:02}", t.hour(), t.minute())
    } else {
        format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
    }
}

/// Reads `8:30`, `08:30` or `08:30:00`; anything else is `None`.
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let mut parts = text.trim().split(':');
    let mut number = |max_len: usize| -> Option<u32> {
        let p = parts.next()?;
        if p.is_empty() || p.len() > max_len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let h = number(2)?;
    let m = number(2)?;
    let s = match parts.next() {
        None => 0,
        Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
        Some(_) => return None,
    };
    if parts.next().is_some() {
        return None;
    }
    NaiveTime::from_hms_opt(h, m, s)
}

/// Serde for a [`NaiveTime`] as `"08:30"`.
mod hh_mm {
    use chrono::NaiveTime;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::time_label(*t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_time(&text)
            .ok_or_else(|| D::Error::custom(format!("`{text}` is not a time like 08:30")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_rank_formula_agrees_with_walking_day_by_day() {
        let cal = BusinessCalendar::official();
        let start = date(2024, 11, 1);
        let mut walked = 0;
        for offset in 0..900 {
            let d = start + chrono::Days::new(offset);
            assert_eq!(cal.working_days_between(start, d), walked, "{d}");
            walked += i64::from(cal.is_working_day(d));
        }
    }

    #[test]
    fn the_nth_working_day_skips_holidays() {
        let cal = BusinessCalendar::official();
        assert_eq!(
            cal.nth_working_day(date(2026, 10, 1), 0),
            Some(date(2026, 10, 8))
        );
        assert_eq!(
            cal.nth_working_day(date(2026, 10, 1), 2),
            Some(date(2026, 10, 10))
        );
        assert_eq!(
            cal.nth_working_day(date(2026, 10, 9), 0),
            Some(date(2026, 10, 9))
        );
        assert_eq!(cal.nth_working_day(NaiveDate::MAX, 10), None);
    }

    #[test]
    fn times_read_and_write_as_hours_and_minutes() {
        assert_eq!(parse_time("8:30"), Some(hm(8, 30)));
        assert_eq!(parse_time(" 17:30:00 "), Some(hm(17, 30)));
        for bad in [
            "",
            "8",
            "24:00",
            "08:60",
            "08:30:0",
            "a:30",
            "08:30:00:00",
            "+8:30",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        assert_eq!(time_label(hm(8, 30)), "08:30");
    }
}
