//! A year's schedule as an administrator types it: two textareas (holidays, make-up working
//! days), one date or inclusive range per line or comma-separated, `#` comments.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::{is_weekday, CalendarYear};
use crate::fields::FieldError;
use crate::lang::Lang;

/// Which of the two lists an entry is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalendarList {
    /// Statutory days off (放假).
    Holidays,
    /// Weekend days worked instead (调休上班).
    MakeupWorkdays,
}

impl CalendarList {
    /// The form field (and JSON) name: `holidays`, `makeup_workdays`.
    pub fn field(self) -> &'static str {
        match self {
            CalendarList::Holidays => "holidays",
            CalendarList::MakeupWorkdays => "makeup_workdays",
        }
    }

    /// The list's name: "节假日" / "Holidays".
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (CalendarList::Holidays, Lang::Zh) => "节假日",
            (CalendarList::Holidays, Lang::En) => "Holidays",
            (CalendarList::MakeupWorkdays, Lang::Zh) => "调休上班日",
            (CalendarList::MakeupWorkdays, Lang::En) => "Make-up working days",
        }
    }
}

/// What is wrong with one entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum CalendarProblemKind {
    /// Neither a date (`2026-10-01`) nor a range of two dates.
    Unreadable,
    /// A date that is not in the year being edited.
    OutsideYear {
        /// The date.
        date: NaiveDate,
        /// The year being edited.
        year: i32,
    },
    /// A range whose end is before its start.
    BackwardsRange {
        /// First date as written.
        from: NaiveDate,
        /// Last date as written.
        to: NaiveDate,
    },
    /// A make-up working day on Monday–Friday (those are working days anyway).
    MakeupNotWeekend {
        /// The date.
        date: NaiveDate,
    },
    /// A date listed both as a holiday and as a make-up working day.
    InBothLists {
        /// The date.
        date: NaiveDate,
        /// Where it is among the holidays (1-based), if known.
        holiday_line: Option<usize>,
    },
}

/// One refused entry: which list, which line (1-based; `None` for stored data without lines),
/// what was written, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarProblem {
    /// The list the entry is in (for `InBothLists`: the make-up list).
    pub list: CalendarList,
    /// The line of the textarea, from 1.
    pub line: Option<usize>,
    /// The entry as read (full-width characters made half-width).
    pub entry: String,
    /// Why it was refused.
    pub kind: CalendarProblemKind,
}

impl CalendarProblem {
    /// What to tell the administrator, e.g. "调休上班日第2行：2026-10-12 是周一，调休上班日
    /// 只能是周六或周日".
    pub fn message(&self, lang: Lang) -> String {
        let list = self.list.label(lang);
        let place = match (self.line, lang) {
            (Some(n), Lang::Zh) => format!("{list}第{n}行："),
            (None, Lang::Zh) => format!("{list}："),
            (Some(n), Lang::En) => format!("{list}, line {n}: "),
            (None, Lang::En) => format!("{list}: "),
        };
        let entry = &self.entry;
        let why = match (&self.kind, lang) {
            (CalendarProblemKind::Unreadable, Lang::Zh) => {
                format!("“{entry}”不是日期或日期范围（例如 2026-10-01 或 2026-10-01..2026-10-07）")
            }
            (CalendarProblemKind::Unreadable, Lang::En) => format!(
                "“{entry}” is not a date or a date range (e.g. 2026-10-01 or \
                 2026-10-01..2026-10-07)"
            ),
            (CalendarProblemKind::OutsideYear { date, year }, Lang::Zh) => {
                format!("{date} 不在{year}年内")
            }
            (CalendarProblemKind::OutsideYear { date, year }, Lang::En) => {
                format!("{date} is not in {year}")
            }
            (CalendarProblemKind::BackwardsRange { from, to }, Lang::Zh) => {
                format!("{from} 至 {to} 的结束日期早于开始日期")
            }
            (CalendarProblemKind::BackwardsRange { from, to }, Lang::En) => {
                format!("the range {from} to {to} ends before it starts")
            }
            (CalendarProblemKind::MakeupNotWeekend { date }, Lang::Zh) => format!(
                "{date} 是{}，调休上班日只能是周六或周日",
                weekday_zh(date.weekday())
            ),
            (CalendarProblemKind::MakeupNotWeekend { date }, Lang::En) => format!(
                "{date} is a {}; a make-up working day must be a Saturday or a Sunday",
                weekday_en(date.weekday())
            ),
            (CalendarProblemKind::InBothLists { date, holiday_line }, Lang::Zh) => {
                match holiday_line {
                    Some(n) => format!("{date} 同时列为节假日（第{n}行），不能既放假又上班"),
                    None => format!("{date} 同时列为节假日，不能既放假又上班"),
                }
            }
            (CalendarProblemKind::InBothLists { date, holiday_line }, Lang::En) => {
                match holiday_line {
                    Some(n) => format!(
                        "{date} is also listed as a holiday (line {n}); a day cannot be both"
                    ),
                    None => format!("{date} is also listed as a holiday; a day cannot be both"),
                }
            }
        };
        place + &why
    }

    /// The problem as an error on its textarea, in both languages.
    pub fn field_error(&self) -> FieldError {
        FieldError::new(
            self.list.field(),
            self.message(Lang::Zh),
            self.message(Lang::En),
        )
    }
}

impl std::fmt::Display for CalendarProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for CalendarProblem {}

/// 周一 … 周日.
pub(crate) fn weekday_zh(day: Weekday) -> &'static str {
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][day.num_days_from_monday() as usize]
}

/// Monday … Sunday.
fn weekday_en(day: Weekday) -> &'static str {
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ][day.num_days_from_monday() as usize]
}

impl CalendarYear {
    /// Reads the two textareas of an administrator's year: one entry per line or separated by
    /// commas (`,` `，` `、` `;`), each a date `2026-10-01` (also `2026/10/01`, `2026.10.01`,
    /// `2026年10月1日`) or an inclusive range `2026-10-01..2026-10-07` (also with `-`, `~`,
    /// `～`, `至`, `到`, `—` between the dates); blank lines and `#` comments are ignored and
    /// full-width digits are read as digits. Every problem is listed: an unreadable entry, a
    /// date outside `year`, a backwards range, a make-up day that is not a Saturday or Sunday,
    /// a date in both lists. A holiday on a weekend is fine (notices list them).
    pub fn parse(
        year: i32,
        holidays: &str,
        makeup_workdays: &str,
    ) -> Result<CalendarYear, Vec<CalendarProblem>> {
        let mut problems = Vec::new();
        let holiday_days = read_list(year, CalendarList::Holidays, holidays, &mut problems);
        let makeup_days = read_list(
            year,
            CalendarList::MakeupWorkdays,
            makeup_workdays,
            &mut problems,
        );
        for (date, (line, entry)) in &makeup_days {
            if is_weekday(*date) {
                problems.push(CalendarProblem {
                    list: CalendarList::MakeupWorkdays,
                    line: Some(*line),
                    entry: entry.clone(),
                    kind: CalendarProblemKind::MakeupNotWeekend { date: *date },
                });
            }
        }
        for (date, (line, entry)) in &makeup_days {
            if let Some((holiday_line, _)) = holiday_days.get(date) {
                problems.push(CalendarProblem {
                    list: CalendarList::MakeupWorkdays,
                    line: Some(*line),
                    entry: entry.clone(),
                    kind: CalendarProblemKind::InBothLists {
                        date: *date,
                        holiday_line: Some(*holiday_line),
                    },
                });
            }
        }
        if problems.is_empty() {
            Ok(CalendarYear {
                year,
                holidays: holiday_days.into_keys().collect(),
                makeup_workdays: makeup_days.into_keys().collect(),
            })
        } else {
            problems.sort_by_key(|p| (p.list, p.line));
            Err(problems)
        }
    }

    /// The checks of [`CalendarYear::parse`] on a year that did not come from text (e.g. a
    /// stored one): every problem, without line numbers.
    pub fn validate(&self) -> Result<(), Vec<CalendarProblem>> {
        let mut problems = Vec::new();
        let problem = |list, date: NaiveDate, kind| CalendarProblem {
            list,
            line: None,
            entry: date.to_string(),
            kind,
        };
        for (list, dates) in [
            (CalendarList::Holidays, &self.holidays),
            (CalendarList::MakeupWorkdays, &self.makeup_workdays),
        ] {
            for date in dates.iter().filter(|d| d.year() != self.year) {
                let kind = CalendarProblemKind::OutsideYear {
                    date: *date,
                    year: self.year,
                };
                problems.push(problem(list, *date, kind));
            }
        }
        for date in &self.makeup_workdays {
            if is_weekday(*date) {
                let kind = CalendarProblemKind::MakeupNotWeekend { date: *date };
                problems.push(problem(CalendarList::MakeupWorkdays, *date, kind));
            }
            if self.holidays.contains(date) {
                let kind = CalendarProblemKind::InBothLists {
                    date: *date,
                    holiday_line: None,
                };
                problems.push(problem(CalendarList::MakeupWorkdays, *date, kind));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The two textareas for this year, compact: one entry per line, consecutive days as a
    /// range `2026-10-01..2026-10-07`. `parse(year, to_text())` gives this year back.
    pub fn to_text(&self) -> (String, String) {
        (compact(&self.holidays), compact(&self.makeup_workdays))
    }
}

/// Dates, one entry per line, runs of consecutive days as ranges.
fn compact(dates: &BTreeSet<NaiveDate>) -> String {
    let mut runs: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for &date in dates {
        match runs.last_mut() {
            Some((_, last)) if last.succ_opt() == Some(date) => *last = date,
            _ => runs.push((date, date)),
        }
    }
    runs.iter()
        .map(|(from, to)| {
            if from == to {
                from.to_string()
            } else {
                format!("{from}..{to}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every date one textarea names, with the first line naming it and the entry there; problems
/// go to `problems`.
fn read_list(
    year: i32,
    list: CalendarList,
    text: &str,
    problems: &mut Vec<CalendarProblem>,
) -> BTreeMap<NaiveDate, (usize, String)> {
    let mut dates = BTreeMap::new();
    let first = NaiveDate::from_ymd_opt(year, 1, 1);
    let last = NaiveDate::from_ymd_opt(year, 12, 31);
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let half: String = raw.chars().map(half_width).collect();
        let content = half.split('#').next().unwrap_or_default();
        for entry in content.split([',', '、', ';']) {
            let entry = entry.trim();
            if entry.is_empty() {
                continue;
            }
            let mut refuse = |kind| {
                problems.push(CalendarProblem {
                    list,
                    line: Some(line),
                    entry: entry.to_owned(),
                    kind,
                })
            };
            let Some((from, to)) = read_entry(entry) else {
                refuse(CalendarProblemKind::Unreadable);
                continue;
            };
            if from > to {
                refuse(CalendarProblemKind::BackwardsRange { from, to });
                continue;
            }
            let ends: &[NaiveDate] = if from == to { &[from] } else { &[from, to] };
            for &date in ends.iter().filter(|d| d.year() != year) {
                refuse(CalendarProblemKind::OutsideYear { date, year });
            }
            // Only the part inside the year is kept (at most 366 days, whatever was typed),
            // so that the other checks still see it.
            let (Some(first), Some(last)) = (first, last) else {
                continue;
            };
            let mut day = from.max(first);
            while day <= to.min(last) {
                dates.entry(day).or_insert_with(|| (line, entry.to_owned()));
                match day.succ_opt() {
                    Some(next) => day = next,
                    None => break,
                }
            }
        }
    }
    dates
}

/// Full-width ASCII (`２０２６－１０－０１`, `～`, `，`, `＃`) and the ideographic space as their
/// half-width forms.
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// A date, or two dates around a range separator.
fn read_entry(entry: &str) -> Option<(NaiveDate, NaiveDate)> {
    if let Some(date) = read_date(entry) {
        return Some((date, date));
    }
    for separator in ["..", "~", "至", "到", "—", "–", "-"] {
        for (at, _) in entry.match_indices(separator) {
            let (from, to) = (&entry[..at], &entry[at + separator.len()..]);
            if let (Some(from), Some(to)) = (read_date(from.trim()), read_date(to.trim())) {
                return Some((from, to));
            }
        }
    }
    None
}

/// `2026-10-01`, `2026/10/1`, `2026.10.01`, `2026年10月1日`.
fn read_date(text: &str) -> Option<NaiveDate> {
    let text = text.strip_suffix('日').unwrap_or(text);
    let mut parts = text.split(['-', '/', '.', '年', '月']);
    let mut number = |digits: std::ops::RangeInclusive<usize>| -> Option<u32> {
        let p = parts.next()?;
        if !digits.contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let year = number(4..=4)?;
    let month = number(1..=2)?;
    let day = number(1..=2)?;
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_and_ranges_are_read_in_every_way_an_administrator_writes_them() {
        let one = Some((date(2026, 10, 1), date(2026, 10, 1)));
        let week = Some((date(2026, 10, 1), date(2026, 10, 7)));
        assert_eq!(read_entry("2026-10-01"), one);
        assert_eq!(read_entry("2026/10/1"), one);
        assert_eq!(read_entry("2026.10.01"), one);
        assert_eq!(read_entry("2026年10月1日"), one);
        for text in [
            "2026-10-01..2026-10-07",
            "2026-10-01 - 2026-10-07",
            "2026-10-01-2026-10-07",
            "2026-10-01~2026-10-07",
            "2026-10-01 至 2026-10-07",
            "2026年10月1日至2026年10月7日",
            "2026.10.01..2026.10.07",
            "2026-10-01—2026-10-07",
        ] {
            assert_eq!(read_entry(text), week, "{text}");
        }
        let full: String = "２０２６－１０－０１～２０２６－１０－０７"
            .chars()
            .map(half_width)
            .collect();
        assert_eq!(read_entry(&full), week);
        for bad in [
            "",
            "10-01",
            "2026-13-01",
            "2026-02-30",
            "26-10-01",
            "2026-10-01..",
            "soon",
        ] {
            assert_eq!(read_entry(bad), None, "{bad}");
        }
    }
}
