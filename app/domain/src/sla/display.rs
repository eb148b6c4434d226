//! Times and time limits in words for owners and staff, in the server's zone (rules.md "Time
//! limits": "the owner sees the promised times on the tracking page").

use chrono::{DateTime, Datelike, Duration, FixedOffset, Timelike, Utc};

use super::Clock;
use crate::calendar::text_weekday_zh;
use crate::lang::Lang;
use crate::policy::{ClockWindows, Policy};

/// A UTC instant as local wall-clock time in the policy's zone: `2026-11-23 15:04`.
pub fn format_local(t: DateTime<Utc>, policy: &Policy) -> String {
    minutes_label(local_time(t, policy.time_zone()))
}

/// `2026-11-23 15:04`, written out by hand: chrono's `format` brings its whole strftime
/// machinery into the WebAssembly bundle for this one pattern.
pub fn minutes_label(local: chrono::NaiveDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute()
    )
}

/// Time left until `due`, or how late it is: "剩余 3小时20分" / "已超时 2天";
/// "3h 20m left" / "overdue by 2d". Two units at most, rounded down to the minute.
pub fn remaining_label(due: DateTime<Utc>, now: DateTime<Utc>, lang: Lang) -> String {
    let overdue = now > due;
    let span = compact(if overdue { now - due } else { due - now }, lang);
    match (overdue, lang) {
        (false, Lang::Zh) => format!("剩余 {span}"),
        (true, Lang::Zh) => format!("已超时 {span}"),
        (false, Lang::En) => format!("{span} left"),
        (true, Lang::En) => format!("overdue by {span}"),
    }
}

/// The owner-facing promise for one clock, e.g. "我们将在2小时内联系您" (the window's length,
/// whether it counts service or calendar time; [`promise_by`] names the moment instead).
pub fn promise_text(clock: Clock, windows: &ClockWindows, lang: Lang) -> String {
    promise_within(clock, clock.window(windows).duration(), lang)
}

/// The owner-facing promise naming the due moment in the zone `offset`, seen at `now`:
/// "我们将在今天 10:30 前联系您" / "We will contact you by 10:30 today"; "明天 09:30" /
/// "09:30 tomorrow"; otherwise "12月7日（周一）10:30" / "Mon 7 Dec, 10:30" (with the year
/// when it is not `now`'s). In Chinese the moment and "前" are joined by no-break spaces, so
/// "前" never wraps onto a line of its own.
pub fn promise_by(
    clock: Clock,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
    offset: FixedOffset,
    lang: Lang,
) -> String {
    let when = moment(due, now, offset, lang);
    match (clock, lang) {
        (Clock::FirstContact, Lang::Zh) => format!("我们将在{when}\u{A0}前联系您"),
        (Clock::FirstContact, Lang::En) => format!("We will contact you by {when}"),
        (Clock::FirstReply, Lang::Zh) => format!("我们将在{when}\u{A0}前给您答复"),
        (Clock::FirstReply, Lang::En) => format!("We will reply by {when}"),
        (Clock::ProgressUpdate, Lang::Zh) => format!("我们将在{when}\u{A0}前向您通报进展"),
        (Clock::ProgressUpdate, Lang::En) => format!("We will update you by {when}"),
        (Clock::Resolution, Lang::Zh) => format!("我们力争在{when}\u{A0}前为您解决"),
        (Clock::Resolution, Lang::En) => format!("We aim to resolve it by {when}"),
    }
}

/// Wall-clock time in the zone `offset`, saturating at the ends of chrono's range (a
/// saturated deadline must not panic on its way to the page).
fn local_time(t: DateTime<Utc>, offset: FixedOffset) -> chrono::NaiveDateTime {
    let shift = Duration::seconds(i64::from(offset.local_minus_utc()));
    t.naive_utc()
        .checked_add_signed(shift)
        .unwrap_or(if shift > Duration::zero() {
            chrono::NaiveDateTime::MAX
        } else {
            chrono::NaiveDateTime::MIN
        })
}

/// `due` as the owner reads it at `now`: today / tomorrow / a dated weekday, local time.
fn moment(due: DateTime<Utc>, now: DateTime<Utc>, offset: FixedOffset, lang: Lang) -> String {
    let due = local_time(due, offset);
    let today = local_time(now, offset).date();
    let time = format!("{:02}:{:02}", due.hour(), due.minute());
    let day = due.date();
    let same_year = day.year() == today.year();
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    match (lang, (day - today).num_days()) {
        (Lang::Zh, 0) => format!("今天\u{A0}{time}"),
        (Lang::Zh, 1) => format!("明天\u{A0}{time}"),
        (Lang::En, 0) => format!("{time} today"),
        (Lang::En, 1) => format!("{time} tomorrow"),
        (Lang::Zh, _) => {
            let year = if same_year {
                String::new()
            } else {
                format!("{}年", day.year())
            };
            format!(
                "{year}{}月{}日（{}）{time}",
                day.month(),
                day.day(),
                text_weekday_zh(day.weekday())
            )
        }
        (Lang::En, _) => {
            let year = if same_year {
                String::new()
            } else {
                format!(" {}", day.year())
            };
            format!(
                "{} {} {}{year}, {time}",
                WEEKDAYS[day.weekday().num_days_from_monday() as usize],
                day.day(),
                MONTHS[day.month0() as usize]
            )
        }
    }
}

/// The promise for one clock whose window is `window` (what the tracking page receives).
pub fn promise_within(clock: Clock, window: Duration, lang: Lang) -> String {
    let span = spelled(window, lang);
    match (clock, lang) {
        (Clock::FirstContact, Lang::Zh) => format!("我们将在{span}内联系您"),
        (Clock::FirstContact, Lang::En) => format!("We will contact you within {span}"),
        (Clock::FirstReply, Lang::Zh) => format!("我们将在{span}内给您答复"),
        (Clock::FirstReply, Lang::En) => format!("We will reply within {span}"),
        (Clock::ProgressUpdate, Lang::Zh) => format!("处理期间至少每{span}向您通报一次进展"),
        (Clock::ProgressUpdate, Lang::En) => {
            format!("While we work on it, we will update you at least every {span}")
        }
        (Clock::Resolution, Lang::Zh) => format!("我们力争在{span}内为您解决"),
        (Clock::Resolution, Lang::En) => format!("We aim to resolve it within {span}"),
    }
}

/// Days, hours, minutes of a non-negative span, rounded down to the minute.
fn parts(span: Duration) -> (i64, i64, i64) {
    let minutes = span.num_minutes().max(0);
    (minutes / (24 * 60), minutes / 60 % 24, minutes % 60)
}

/// "2天3小时", "3小时20分", "45分" / "2d 3h", "3h 20m", "45m".
fn compact(span: Duration, lang: Lang) -> String {
    let (d, h, m) = parts(span);
    let (units, sep) = match lang {
        Lang::Zh => (["天", "小时", "分"], ""),
        Lang::En => (["d", "h", "m"], " "),
    };
    let shown: Vec<String> = if d > 0 {
        [(d, units[0]), (h, units[1])]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, u)| format!("{n}{u}"))
            .collect()
    } else if h > 0 {
        [(h, units[1]), (m, units[2])]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, u)| format!("{n}{u}"))
            .collect()
    } else {
        vec![format!("{m}{}", units[2])]
    };
    shown.join(sep)
}

/// A window in words: "2小时", "3天", "90分钟" / "2 hours", "3 days", "1 day".
fn spelled(span: Duration, lang: Lang) -> String {
    let (d, h, m) = parts(span);
    let total_hours = d * 24 + h;
    let (n, unit) = if m > 0 || total_hours == 0 {
        (total_hours * 60 + m, ("分钟", "minute"))
    } else if h > 0 || d < 3 {
        // 24 and 48 hours read better in hours ("24小时内答复"); from 3 days on, in days.
        (total_hours, ("小时", "hour"))
    } else {
        (d, ("天", "day"))
    };
    match lang {
        Lang::Zh => format!("{n}{}", unit.0),
        Lang::En if n == 1 => format!("1 {}", unit.1),
        Lang::En => format!("{n} {}s", unit.1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap()
    }

    #[test]
    fn local_time_is_shown_in_shanghai_by_default() {
        assert_eq!(
            format_local(at(7, 4), &Policy::default()),
            "2026-11-23 15:04"
        );
        let utc = Policy {
            utc_offset_minutes: 0,
            ..Policy::default()
        };
        assert_eq!(format_local(at(7, 4), &utc), "2026-11-23 07:04");
        // A saturated deadline is shown, not a panic.
        assert!(format_local(DateTime::<Utc>::MAX_UTC, &Policy::default())
            .starts_with("262142-12-31 23:59"));
    }

    #[test]
    fn remaining_time_is_two_units_at_most() {
        assert_eq!(
            remaining_label(at(15, 20), at(12, 0), Lang::Zh),
            "剩余 3小时20分"
        );
        assert_eq!(
            remaining_label(at(15, 20), at(12, 0), Lang::En),
            "3h 20m left"
        );
        let due = at(0, 0);
        let late = due + Duration::days(2) + Duration::minutes(5);
        assert_eq!(remaining_label(due, late, Lang::Zh), "已超时 2天");
        assert_eq!(remaining_label(due, late, Lang::En), "overdue by 2d");
        assert_eq!(remaining_label(at(12, 45), at(12, 0), Lang::En), "45m left");
        assert_eq!(remaining_label(at(12, 0), at(12, 0), Lang::Zh), "剩余 0分");
    }

    #[test]
    fn promises_read_like_the_spec() {
        let w = ClockWindows::default();
        assert_eq!(
            promise_text(Clock::FirstContact, &w, Lang::Zh),
            "我们将在2小时内联系您"
        );
        assert_eq!(
            promise_text(Clock::FirstReply, &w, Lang::En),
            "We will reply within 9 hours"
        );
        let old = ClockWindows::calendar_only();
        assert_eq!(
            promise_text(Clock::FirstReply, &old, Lang::En),
            "We will reply within 24 hours"
        );
        assert_eq!(
            promise_text(Clock::ProgressUpdate, &old, Lang::Zh),
            "处理期间至少每3天向您通报一次进展"
        );
        assert_eq!(
            promise_text(Clock::Resolution, &old, Lang::En),
            "We aim to resolve it within 7 days"
        );
        assert_eq!(
            promise_text(Clock::Resolution, &w, Lang::Zh),
            "我们力争在63小时内为您解决"
        );
        let odd = ClockWindows {
            first_contact: crate::policy::SlaWindow::service_minutes(90),
            ..w
        };
        assert_eq!(
            promise_text(Clock::FirstContact, &odd, Lang::En),
            "We will contact you within 90 minutes"
        );
    }

    /// 2026-12-04 19:00 in Shanghai (a Friday evening).
    fn friday_evening() -> DateTime<Utc> {
        at(11, 0) + Duration::days(11)
    }

    #[test]
    fn a_promise_names_today_tomorrow_or_the_date() {
        let shanghai = Policy::default().time_zone();
        let now = friday_evening() - Duration::hours(10);
        let today = now + Duration::minutes(90);
        assert_eq!(
            promise_by(Clock::FirstContact, today, now, shanghai, Lang::Zh),
            "我们将在今天\u{A0}10:30\u{A0}前联系您"
        );
        assert_eq!(
            promise_by(Clock::FirstContact, today, now, shanghai, Lang::En),
            "We will contact you by 10:30 today"
        );
        let tomorrow = now + Duration::hours(24) + Duration::minutes(30);
        assert_eq!(
            promise_by(Clock::FirstReply, tomorrow, now, shanghai, Lang::Zh),
            "我们将在明天\u{A0}09:30\u{A0}前给您答复"
        );
        assert_eq!(
            promise_by(Clock::FirstReply, tomorrow, now, shanghai, Lang::En),
            "We will reply by 09:30 tomorrow"
        );
        // Received Friday 19:00, due Monday 7 December 10:30.
        let monday = friday_evening() + Duration::hours(63) + Duration::minutes(30);
        assert_eq!(
            promise_by(
                Clock::FirstContact,
                monday,
                friday_evening(),
                shanghai,
                Lang::Zh
            ),
            "我们将在12月7日（周一）10:30\u{A0}前联系您"
        );
        assert_eq!(
            promise_by(
                Clock::Resolution,
                monday,
                friday_evening(),
                shanghai,
                Lang::En
            ),
            "We aim to resolve it by Mon 7 Dec, 10:30"
        );
        let next_year = monday + Duration::days(28);
        assert_eq!(
            promise_by(
                Clock::ProgressUpdate,
                next_year,
                friday_evening(),
                shanghai,
                Lang::Zh
            ),
            "我们将在2027年1月4日（周一）10:30\u{A0}前向您通报进展"
        );
        assert_eq!(
            promise_by(
                Clock::ProgressUpdate,
                next_year,
                friday_evening(),
                shanghai,
                Lang::En
            ),
            "We will update you by Mon 4 Jan 2027, 10:30"
        );
        // "Today" is the owner's day in Shanghai, not the UTC day: 23:30 UTC on 4 December is
        // already 5 December there.
        let end = promise_by(
            Clock::Resolution,
            DateTime::<Utc>::MAX_UTC,
            friday_evening(),
            shanghai,
            Lang::En,
        );
        assert!(end.starts_with("We aim to resolve it by "), "{end}");
        let late = Utc.with_ymd_and_hms(2026, 12, 4, 23, 30, 0).unwrap();
        assert_eq!(
            promise_by(
                Clock::FirstContact,
                late + Duration::hours(2),
                late,
                shanghai,
                Lang::En
            ),
            "We will contact you by 09:30 today"
        );
    }
}
