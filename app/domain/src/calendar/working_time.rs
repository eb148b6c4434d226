//! Service-time arithmetic (`app/domain/docs/working-time.md`): how much service time lies
//! between two instants, and when a window of service time runs out, with pauses.
//!
//! Service time runs only during the service hours of working days, in the policy's zone.
//! Whole working days are counted with [`BusinessCalendar::working_days_between`] (a closed
//! formula corrected by the known years' exceptions), so the cost does not grow with the
//! window: a 63-hour window and a 63 000-hour one take the same few steps.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{BusinessCalendar, ServiceHours};
use crate::vocab::vocabulary;

/// How a clock's window is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeBasis {
    /// Round the clock: every second counts (emergencies).
    Calendar,
    /// Service hours of working days only (the default).
    #[default]
    Service,
}

vocabulary!(TimeBasis {
    Calendar => "calendar", "自然时间", "Calendar time";
    Service => "service", "工作时间", "Service time";
});

/// A span during which clocks stand still (waiting for the owner: information, access,
/// confirmation). `to: None`: still paused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Pause {
    /// When the clock stopped.
    pub from: DateTime<Utc>,
    /// When it started again; `None` while it is still stopped.
    pub to: Option<DateTime<Utc>>,
}

impl Pause {
    /// A pause that has ended.
    pub fn between(from: DateTime<Utc>, to: DateTime<Utc>) -> Pause {
        Pause { from, to: Some(to) }
    }

    /// A pause that has not ended.
    pub fn since(from: DateTime<Utc>) -> Pause {
        Pause { from, to: None }
    }

    /// Whether the clock is still stopped.
    pub fn is_open(&self) -> bool {
        self.to.is_none()
    }
}

/// The spans in which a clock started at `start` runs: `[start, ∞)` without the pauses,
/// earliest first. The last span's end is `None` when it runs on for ever, `Some` when an open
/// pause stops it for good.
fn running_spans(
    start: DateTime<Utc>,
    pauses: &[Pause],
) -> Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> {
    let mut sorted: Vec<&Pause> = pauses
        .iter()
        .filter(|p| p.to.is_none_or(|to| to > p.from))
        .collect();
    sorted.sort_by_key(|p| p.from);
    let mut spans = Vec::new();
    let mut cursor = start;
    for pause in sorted {
        if pause.to.is_some_and(|to| to <= cursor) {
            continue;
        }
        if pause.from > cursor {
            spans.push((cursor, Some(pause.from)));
        }
        match pause.to {
            Some(to) => cursor = cursor.max(to),
            None => return spans,
        }
    }
    spans.push((cursor, None));
    spans
}

/// When a clock started at `start` stopped for good (the start of the open pause that
/// holds it, or `start` itself if it never ran); `None` if it is running.
pub(crate) fn stopped_at(start: DateTime<Utc>, pauses: &[Pause]) -> Option<DateTime<Utc>> {
    let spans = running_spans(start, pauses);
    match spans.last() {
        Some((_, None)) => None,
        Some((_, Some(end))) => Some(*end),
        None => Some(start),
    }
}

/// Calendar time in `[from, to)` outside the pauses (e.g. days unresolved "for reasons on our
/// side").
pub fn calendar_time_between(from: DateTime<Utc>, to: DateTime<Utc>, pauses: &[Pause]) -> Duration {
    sum_spans(from, to, pauses, |a, b| b - a)
}

/// The sum of `measure` over the running spans from `from`, cut at `to`.
fn sum_spans(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    pauses: &[Pause],
    measure: impl Fn(DateTime<Utc>, DateTime<Utc>) -> Duration,
) -> Duration {
    if to <= from {
        return Duration::zero();
    }
    let mut total = Duration::zero();
    for (a, b) in running_spans(from, pauses) {
        if a >= to {
            break;
        }
        let b = b.map_or(to, |b| b.min(to));
        total = total.checked_add(&measure(a, b)).unwrap_or(Duration::MAX);
    }
    total
}

/// Service-time arithmetic on a calendar, with service hours, in a fixed zone (the policy's,
/// UTC+8 by default).
#[derive(Debug, Clone, Copy)]
pub struct WorkingTime<'a> {
    /// Which days are working days.
    pub calendar: &'a BusinessCalendar,
    /// When the desk is open on a working day (invalid hours count as the default ones).
    pub hours: ServiceHours,
    /// The zone the calendar and the hours are read in.
    pub offset: FixedOffset,
}

impl<'a> WorkingTime<'a> {
    /// Service time on `calendar` during `hours` in the zone `offset`.
    pub fn new(
        calendar: &'a BusinessCalendar,
        hours: ServiceHours,
        offset: FixedOffset,
    ) -> WorkingTime<'a> {
        WorkingTime {
            calendar,
            hours,
            offset,
        }
    }

    /// The deadline of a window of service time received at `start`: the earliest instant at
    /// which the service time counted since `start` equals `window`. Time before opening or
    /// after closing starts counting at the next opening; a window that runs out exactly at
    /// closing is due at closing; a window of zero (or less) is due at `start`. Saturates at
    /// the last instant chrono can represent.
    pub fn add(&self, start: DateTime<Utc>, window: Duration) -> DateTime<Utc> {
        if window <= Duration::zero() {
            return start;
        }
        let hours = self.hours.or_default();
        let daily = nanos(hours.daily());
        let at = self.local(start);
        let mut left = nanos(window);
        let today = at.date();
        if self.calendar.is_working_day(today) {
            let (opens, closes) = (today.and_time(hours.opens), today.and_time(hours.closes));
            let from = at.max(opens);
            if from < closes {
                let available = nanos(closes - from);
                if left <= available {
                    return self.utc_after(from, left);
                }
                left -= available;
            }
        }
        // `left` > 0: whole working days first, then part (or all) of one more.
        let whole_days = (left - 1) / daily;
        let last_part = left - whole_days * daily;
        let day = today
            .succ_opt()
            .zip(u64::try_from(whole_days).ok())
            .and_then(|(next, n)| self.calendar.nth_working_day(next, n));
        match day {
            Some(day) => self.utc_after(day.and_time(hours.opens), last_part),
            None => DateTime::<Utc>::MAX_UTC,
        }
    }

    /// Service time counted in `[from, to)`; zero if `to` is not after `from`.
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        if to <= from {
            return Duration::zero();
        }
        let hours = self.hours.or_default();
        let (a, b) = (self.local(from), self.local(to));
        let within = |day: NaiveDate, a: NaiveDateTime, b: NaiveDateTime| -> i128 {
            if !self.calendar.is_working_day(day) {
                return 0;
            }
            let start = a.max(day.and_time(hours.opens));
            let end = b.min(day.and_time(hours.closes));
            if end > start {
                nanos(end - start)
            } else {
                0
            }
        };
        let (first, last) = (a.date(), b.date());
        let total = if first == last {
            within(first, a, b)
        } else {
            let whole = first.succ_opt().map_or(0, |next| {
                i128::from(self.calendar.working_days_between(next, last).max(0))
            });
            within(first, a, NaiveDateTime::MAX)
                + whole * nanos(hours.daily())
                + within(last, last.and_time(chrono::NaiveTime::MIN), b)
        };
        duration(total)
    }

    /// [`WorkingTime::add`] with pauses: paused time never counts. `None` when an open pause
    /// stops the clock before the window runs out (the deadline is unknown until it resumes).
    pub fn add_with_pauses(
        &self,
        start: DateTime<Utc>,
        window: Duration,
        pauses: &[Pause],
    ) -> Option<DateTime<Utc>> {
        self.add_in(TimeBasis::Service, start, window, pauses)
    }

    /// [`WorkingTime::between`] with pauses: service time in `[from, to)` outside them.
    pub fn between_with_pauses(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        pauses: &[Pause],
    ) -> Duration {
        self.between_in(TimeBasis::Service, from, to, pauses)
    }

    /// The deadline of `window` measured in `basis` from `start`, without the pauses: the
    /// earliest instant at which the time counted since `start` equals `window`; `None` while
    /// an open pause holds the clock short of it. A window of zero is due at `start`.
    pub fn add_in(
        &self,
        basis: TimeBasis,
        start: DateTime<Utc>,
        window: Duration,
        pauses: &[Pause],
    ) -> Option<DateTime<Utc>> {
        if window <= Duration::zero() {
            return Some(start);
        }
        let mut left = window;
        for (from, to) in running_spans(start, pauses) {
            let Some(to) = to else {
                return Some(self.advance(basis, from, left));
            };
            let here = self.measure(basis, from, to);
            if left <= here {
                return Some(self.advance(basis, from, left));
            }
            left -= here;
        }
        None
    }

    /// Time measured in `basis` in `[from, to)` outside the pauses.
    pub fn between_in(
        &self,
        basis: TimeBasis,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        pauses: &[Pause],
    ) -> Duration {
        sum_spans(from, to, pauses, |a, b| self.measure(basis, a, b))
    }

    fn measure(&self, basis: TimeBasis, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        match basis {
            TimeBasis::Calendar => to - from,
            TimeBasis::Service => self.between(from, to),
        }
    }

    fn advance(&self, basis: TimeBasis, from: DateTime<Utc>, window: Duration) -> DateTime<Utc> {
        match basis {
            TimeBasis::Calendar => from
                .checked_add_signed(window)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
            TimeBasis::Service => self.add(from, window),
        }
    }

    /// Local wall-clock time (saturating at the ends of chrono's range).
    fn local(&self, t: DateTime<Utc>) -> NaiveDateTime {
        let shift = Duration::seconds(i64::from(self.offset.local_minus_utc()));
        t.naive_utc()
            .checked_add_signed(shift)
            .unwrap_or(if shift > Duration::zero() {
                NaiveDateTime::MAX
            } else {
                NaiveDateTime::MIN
            })
    }

    /// The instant `span` nanoseconds after local time `local` (saturating).
    fn utc_after(&self, local: NaiveDateTime, span: i128) -> DateTime<Utc> {
        let shift = Duration::seconds(i64::from(self.offset.local_minus_utc()));
        local
            .checked_add_signed(duration(span))
            .and_then(|t| t.checked_sub_signed(shift))
            .map_or(DateTime::<Utc>::MAX_UTC, |t| t.and_utc())
    }
}

/// A duration in nanoseconds, without overflow.
fn nanos(d: Duration) -> i128 {
    i128::from(d.num_seconds()) * 1_000_000_000 + i128::from(d.subsec_nanos())
}

/// Nanoseconds as a duration, saturating.
fn duration(nanos: i128) -> Duration {
    let seconds = nanos.div_euclid(1_000_000_000);
    let rest = nanos.rem_euclid(1_000_000_000);
    i64::try_from(seconds)
        .ok()
        .zip(u32::try_from(rest).ok())
        .and_then(|(s, n)| Duration::new(s, n))
        .unwrap_or(if nanos > 0 {
            Duration::MAX
        } else {
            Duration::MIN
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .with_ymd_and_hms(2026, m, d, h, min, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn spans_leave_out_overlapping_and_earlier_pauses() {
        let pauses = [
            Pause::between(at(1, 5, 9, 0), at(1, 5, 10, 0)),
            Pause::between(at(1, 5, 11, 0), at(1, 5, 13, 0)),
            Pause::between(at(1, 5, 12, 0), at(1, 5, 12, 30)),
            Pause::between(at(1, 5, 14, 0), at(1, 5, 14, 0)),
        ];
        assert_eq!(
            running_spans(at(1, 5, 9, 30), &pauses),
            vec![
                (at(1, 5, 10, 0), Some(at(1, 5, 11, 0))),
                (at(1, 5, 13, 0), None)
            ]
        );
        let open = [Pause::since(at(1, 5, 12, 0)), pauses[0]];
        assert_eq!(stopped_at(at(1, 5, 8, 0), &open), Some(at(1, 5, 12, 0)));
        assert_eq!(stopped_at(at(1, 5, 13, 0), &open), Some(at(1, 5, 13, 0)));
        assert_eq!(stopped_at(at(1, 5, 8, 0), &pauses), None);
    }

    #[test]
    fn durations_convert_without_overflow() {
        assert_eq!(duration(nanos(Duration::MAX)), Duration::MAX);
        assert_eq!(duration(nanos(Duration::MIN)), Duration::MIN);
        assert_eq!(duration(i128::MAX), Duration::MAX);
        let odd = Duration::milliseconds(-1500);
        assert_eq!(duration(nanos(odd)), odd);
    }
}
