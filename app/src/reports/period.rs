//! Months and the periods of the printed summaries (a month, a half year).

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use domain::Lang;
use serde::{Deserialize, Serialize};

/// A calendar month, `YYYY-MM` on the wire and in URLs; ordered in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    /// 1..=12.
    pub month: u32,
}

impl Month {
    /// Reads `2026-05` (years 2000–2199).
    pub fn parse(text: &str) -> Option<Month> {
        let (year, month) = text.trim().split_once('-')?;
        if year.len() != 4 || month.is_empty() || month.len() > 2 {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let month: u32 = month.parse().ok()?;
        ((2000..2200).contains(&year) && (1..=12).contains(&month)).then_some(Month { year, month })
    }

    /// `2026-05`, the form stored as `complaints.filed_month`.
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// The month `n` months later (earlier when negative). Months are not numbers: no
    /// `Add` impl, only this.
    #[allow(clippy::should_implement_trait)]
    pub fn add(self, n: i32) -> Month {
        let index = self.year * 12 + self.month as i32 - 1 + n;
        Month {
            year: index.div_euclid(12),
            month: index.rem_euclid(12) as u32 + 1,
        }
    }

    /// Whole months from `self` to `other` (0 for the same month).
    pub fn months_until(self, other: Month) -> i32 {
        (other.year * 12 + other.month as i32) - (self.year * 12 + self.month as i32)
    }

    /// Every month from `self` to `to`, both included.
    pub fn through(self, to: Month) -> impl Iterator<Item = Month> {
        (0..=self.months_until(to).max(-1)).map(move |n| self.add(n))
    }

    /// The month `at` falls in, in a zone `utc_offset_minutes` east of UTC.
    pub fn of(at: DateTime<Utc>, utc_offset_minutes: i32) -> Month {
        use chrono::Datelike;
        let local = at.naive_utc() + TimeDelta::minutes(i64::from(utc_offset_minutes));
        Month {
            year: local.year(),
            month: local.month(),
        }
    }

    /// When the month begins, in a zone `utc_offset_minutes` east of UTC.
    pub fn start(self, utc_offset_minutes: i32) -> DateTime<Utc> {
        let day = NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default();
        (day - TimeDelta::minutes(i64::from(utc_offset_minutes))).and_utc()
    }

    /// `2026年5月` / `May 2026`.
    pub fn label(self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!("{}年{}月", self.year, self.month),
            Lang::En => format!("{} {}", MONTHS_EN[self.month as usize - 1], self.year),
        }
    }

    /// A chart axis label: `5月` / `May`, with the year at January and at `first`
    /// (`2026-01` / `Jan '26`).
    pub fn axis_label(self, first: bool, lang: Lang) -> String {
        let with_year = first || self.month == 1;
        match (lang, with_year) {
            (Lang::Zh, true) => format!("{}-{:02}", self.year, self.month),
            (Lang::Zh, false) => format!("{}月", self.month),
            (Lang::En, true) => format!(
                "{} '{:02}",
                MONTHS_EN[self.month as usize - 1],
                self.year % 100
            ),
            (Lang::En, false) => MONTHS_EN[self.month as usize - 1].to_owned(),
        }
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// What a printed summary covers: one month (`2026-05`) or a half year (`2026-H1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Period {
    Month(Month),
    Half { year: i32, second: bool },
}

impl Period {
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim();
        if let Some((year, half)) = text.split_once("-H") {
            let year: i32 = year.parse().ok()?;
            let second = match half {
                "1" => false,
                "2" => true,
                _ => return None,
            };
            return (2000..2200)
                .contains(&year)
                .then_some(Period::Half { year, second });
        }
        Month::parse(text).map(Period::Month)
    }

    /// The last whole month before `this_month`: what a monthly report is usually about.
    pub fn default_for(this_month: Month) -> Period {
        Period::Month(this_month.add(-1))
    }

    pub fn code(self) -> String {
        match self {
            Period::Month(m) => m.code(),
            Period::Half { year, second } => format!("{year}-H{}", if second { 2 } else { 1 }),
        }
    }

    /// First and last month.
    pub fn months(self) -> (Month, Month) {
        match self {
            Period::Month(m) => (m, m),
            Period::Half { year, second } => {
                let first = Month {
                    year,
                    month: if second { 7 } else { 1 },
                };
                (first, first.add(5))
            }
        }
    }

    /// The period before this one, and the one after (for paging between summaries).
    pub fn step(self, forward: bool) -> Period {
        let by = if forward { 1 } else { -1 };
        match self {
            Period::Month(m) => Period::Month(m.add(by)),
            Period::Half { year, second } => match (second, forward) {
                (false, true) => Period::Half { year, second: true },
                (true, false) => Period::Half {
                    year,
                    second: false,
                },
                (false, false) => Period::Half {
                    year: year - 1,
                    second: true,
                },
                (true, true) => Period::Half {
                    year: year + 1,
                    second: false,
                },
            },
        }
    }

    pub fn label(self, lang: Lang) -> String {
        match (self, lang) {
            (Period::Month(m), _) => m.label(lang),
            (Period::Half { year, second }, Lang::Zh) => {
                format!("{year}年{}", if second { "下半年" } else { "上半年" })
            }
            (Period::Half { year, second }, Lang::En) => {
                format!("{} half of {year}", if second { "Second" } else { "First" })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_read_count_and_wrap_around_years() {
        let m = Month::parse("2026-01").unwrap();
        assert_eq!(m.add(-1).code(), "2025-12");
        assert_eq!(m.add(11).code(), "2026-12");
        assert_eq!(m.add(-11).months_until(m), 11);
        assert_eq!(
            Month::parse("2026-1").map(Month::code).as_deref(),
            Some("2026-01")
        );
        for bad in [
            "2026-00",
            "2026-13",
            "26-01",
            "2026",
            "abcd-ef",
            "2026-05-01",
            "",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        let months: Vec<String> = m.add(-2).through(m).map(Month::code).collect();
        assert_eq!(months, ["2025-11", "2025-12", "2026-01"]);
        assert_eq!(m.through(m.add(-1)).count(), 0);
    }

    #[test]
    fn a_month_starts_at_local_midnight() {
        let m = Month::parse("2026-05").unwrap();
        assert_eq!(m.start(480).to_rfc3339(), "2026-04-30T16:00:00+00:00");
        assert_eq!(Month::of(m.start(480), 480), m);
        assert_eq!(
            Month::of(m.start(480) - TimeDelta::seconds(1), 480).code(),
            "2026-04"
        );
    }

    #[test]
    fn periods_are_months_or_half_years() {
        let h = Period::parse("2026-H2").unwrap();
        let (a, b) = h.months();
        assert_eq!((a.code(), b.code()), ("2026-07".into(), "2026-12".into()));
        assert_eq!(h.step(true).code(), "2027-H1");
        assert_eq!(h.step(false).code(), "2026-H1");
        assert_eq!(
            Period::parse("2026-H1").unwrap().step(false).code(),
            "2025-H2"
        );
        assert_eq!(h.label(Lang::Zh), "2026年下半年");
        assert_eq!(
            Period::parse("2026-03").unwrap().label(Lang::En),
            "Mar 2026"
        );
        assert_eq!(Period::parse("2026-H3"), None);
        assert_eq!(
            Period::default_for(Month::parse("2026-01").unwrap()).code(),
            "2025-12"
        );
    }
}
