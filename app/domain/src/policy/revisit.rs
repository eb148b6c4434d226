//! When a resolved complaint must be revisited (rules.md "Satisfaction revisit"; 001 第5篇:
//! the customer-service centre calls back the same working day, and every resolved complaint
//! is revisited): a revisit clock, and a phone task when the survey goes unanswered.

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::WorkingTime;

/// The revisit clock and the phone fallback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RevisitPolicy {
    /// Service hours after resolution within which the revisit is due; 0 (the default)
    /// means "the same working day": by the close of the working day it was resolved on (or
    /// of the next one, when resolved after hours).
    pub due_within_service_hours: u32,
    /// Days an online survey may go unanswered before it becomes a phone-revisit task for
    /// the customer-service centre.
    pub phone_after_days: u32,
}

impl Default for RevisitPolicy {
    fn default() -> Self {
        RevisitPolicy {
            due_within_service_hours: 0,
            phone_after_days: 3,
        }
    }
}

impl RevisitPolicy {
    /// When the revisit of a complaint resolved at `resolved_at` is due.
    pub fn due(&self, resolved_at: DateTime<Utc>, time: &WorkingTime<'_>) -> DateTime<Utc> {
        if self.due_within_service_hours > 0 {
            return time.add(
                resolved_at,
                Duration::hours(i64::from(self.due_within_service_hours)),
            );
        }
        // The first service minute at or after the resolution, and that day's closing.
        let first = time.add(resolved_at, Duration::minutes(1)) - Duration::minutes(1);
        let local = first.with_timezone(&time.offset);
        let closes = local.date_naive().and_time(time.hours.or_default().closes);
        time.offset
            .from_local_datetime(&closes)
            .single()
            .map_or(first, |at| at.with_timezone(&Utc))
    }

    /// Lists every problem found.
    pub fn check(&self, problems: &mut Vec<String>) {
        if self.phone_after_days == 0 {
            problems.push("revisit.phone_after_days must be at least 1".to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{BusinessCalendar, ServiceHours};
    use chrono::{FixedOffset, NaiveTime};

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn the_revisit_is_due_by_the_close_of_the_same_working_day() {
        let calendar = BusinessCalendar::official();
        let hours = ServiceHours::new(
            NaiveTime::from_hms_opt(8, 30, 0).unwrap(),
            NaiveTime::from_hms_opt(17, 30, 0).unwrap(),
        )
        .unwrap();
        let time = WorkingTime::new(&calendar, hours, FixedOffset::east_opt(8 * 3600).unwrap());
        let p = RevisitPolicy::default();
        // Thursday 2026-12-03, 10:00 in Shanghai: due 17:30 that day.
        assert_eq!(
            p.due(at("2026-12-03T10:00:00+08:00"), &time),
            at("2026-12-03T17:30:00+08:00")
        );
        // Friday after hours: the next working day, Monday.
        assert_eq!(
            p.due(at("2026-12-04T19:00:00+08:00"), &time),
            at("2026-12-07T17:30:00+08:00")
        );
        // 30 September 2026, evening: the National Day holiday runs to 7 October.
        let due = p.due(at("2026-09-30T20:00:00+08:00"), &time);
        assert_eq!(due, at("2026-10-08T17:30:00+08:00"), "{due}");
        let hours_policy = RevisitPolicy {
            due_within_service_hours: 2,
            ..p
        };
        assert_eq!(
            hours_policy.due(at("2026-12-03T17:00:00+08:00"), &time),
            at("2026-12-04T10:00:00+08:00")
        );
    }
}
