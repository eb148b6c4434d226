//! Times and time limits in words for owners and staff, in the server's zone (domain.md "Time
//! limits": "the owner sees the promised times on the tracking page").

use chrono::{DateTime, Duration, Utc};

use super::Clock;
use crate::lang::Lang;
use crate::policy::{ClockWindows, Policy};

/// A UTC instant as local wall-clock time in the policy's zone: `2026-11-23 15:04`.
pub fn format_local(t: DateTime<Utc>, policy: &Policy) -> String {
    minutes_label(t.with_timezone(&policy.time_zone()).naive_local())
}

/// `2026-11-23 15:04`, written out by hand: chrono's `format` brings its whole strftime
/// machinery into the WebAssembly bundle for this one pattern.
pub fn minutes_label(local: chrono::NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
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

/// The owner-facing promise for one clock, e.g. "我们将在2小时内联系您".
pub fn promise_text(clock: Clock, windows: &ClockWindows, lang: Lang) -> String {
    promise_within(clock, clock.window(windows), lang)
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
            "We will reply within 24 hours"
        );
        assert_eq!(
            promise_text(Clock::ProgressUpdate, &w, Lang::Zh),
            "处理期间至少每3天向您通报一次进展"
        );
        assert_eq!(
            promise_text(Clock::Resolution, &w, Lang::En),
            "We aim to resolve it within 7 days"
        );
        let odd = ClockWindows {
            first_contact_minutes: 90,
            ..w
        };
        assert_eq!(
            promise_text(Clock::FirstContact, &odd, Lang::En),
            "We will contact you within 90 minutes"
        );
    }
}
