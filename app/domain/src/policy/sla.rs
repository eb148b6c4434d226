//! SLA windows (domain.md "Time limits"): the default and emergency columns.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::at_least;
use crate::vocab::Level;

/// The four time limits of one column of the spec's table (domain.md "Time limits"), stored as
/// whole minutes/hours/days so a policy file reads naturally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClockWindows {
    /// First contact with the owner (2 h).
    pub first_contact_minutes: u32,
    /// First substantive reply (24 h).
    pub first_reply_hours: u32,
    /// Longest gap between progress updates while open (3 days; emergency: daily).
    pub progress_update_hours: u32,
    /// Resolution target (7 days; emergency: 2 days).
    pub resolution_days: u32,
}

impl Default for ClockWindows {
    fn default() -> Self {
        ClockWindows {
            first_contact_minutes: 120,
            first_reply_hours: 24,
            progress_update_hours: 72,
            resolution_days: 7,
        }
    }
}

impl ClockWindows {
    /// The spec's emergency column: on site in 2 h, reply in 24 h, daily updates, 2 days.
    pub fn emergency() -> Self {
        ClockWindows {
            progress_update_hours: 24,
            resolution_days: 2,
            ..ClockWindows::default()
        }
    }

    /// First-contact window.
    pub fn first_contact(&self) -> Duration {
        Duration::minutes(i64::from(self.first_contact_minutes))
    }

    /// First-reply window.
    pub fn first_reply(&self) -> Duration {
        Duration::hours(i64::from(self.first_reply_hours))
    }

    /// Progress-update interval.
    pub fn progress_update(&self) -> Duration {
        Duration::hours(i64::from(self.progress_update_hours))
    }

    /// Resolution window (days of 24 hours, not calendar days).
    pub fn resolution(&self) -> Duration {
        Duration::days(i64::from(self.resolution_days))
    }

    fn check(&self, name: &str, p: &mut Vec<String>) {
        for (field, value) in [
            ("first_contact_minutes", self.first_contact_minutes),
            ("first_reply_hours", self.first_reply_hours),
            ("progress_update_hours", self.progress_update_hours),
            ("resolution_days", self.resolution_days),
        ] {
            at_least(p, &format!("{name}.{field}"), u64::from(value), 1);
        }
    }
}

/// SLA clocks (domain.md "Time limits"). The spec gives one default column for every level, so
/// all four `by_level` entries (index 0 = level 1) default to it; tighten level 1 here if wanted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SlaPolicy {
    /// Windows per level, index 0 = level 1 … index 3 = level 4.
    pub by_level: [ClockWindows; 4],
    /// Windows for emergencies (whatever the level); fields a file leaves out keep the
    /// emergency column, not the default one.
    #[serde(deserialize_with = "emergency_windows")]
    pub emergency: ClockWindows,
    /// A running clock is "about to breach" when less than this percentage of its window is
    /// left (25: the last quarter; 2 h window → warn in the last 30 min).
    pub warn_before_percent: u8,
}

impl Default for SlaPolicy {
    fn default() -> Self {
        SlaPolicy {
            by_level: [ClockWindows::default(); 4],
            emergency: ClockWindows::emergency(),
            warn_before_percent: 25,
        }
    }
}

impl SlaPolicy {
    /// The windows that apply to a complaint of `level`, or the emergency column.
    pub fn windows(&self, level: Level, emergency: bool) -> &ClockWindows {
        if emergency {
            &self.emergency
        } else {
            &self.by_level[usize::from(level.number() - 1)]
        }
    }

    pub(super) fn check(&self, p: &mut Vec<String>) {
        for (i, w) in self.by_level.iter().enumerate() {
            w.check(&format!("sla.by_level[{i}]"), p);
        }
        self.emergency.check("sla.emergency", p);
        if self.warn_before_percent >= 100 {
            p.push(format!(
                "sla.warn_before_percent ({}) must be below 100",
                self.warn_before_percent
            ));
        }
    }
}

/// `ClockWindows` with every field optional, to lay a partial file over a column other than the
/// default one.
#[derive(Deserialize)]
struct PartialWindows {
    first_contact_minutes: Option<u32>,
    first_reply_hours: Option<u32>,
    progress_update_hours: Option<u32>,
    resolution_days: Option<u32>,
}

/// Reads `sla.emergency` over the spec's emergency column.
fn emergency_windows<'de, D: serde::Deserializer<'de>>(d: D) -> Result<ClockWindows, D::Error> {
    let p = PartialWindows::deserialize(d)?;
    let base = ClockWindows::emergency();
    Ok(ClockWindows {
        first_contact_minutes: p
            .first_contact_minutes
            .unwrap_or(base.first_contact_minutes),
        first_reply_hours: p.first_reply_hours.unwrap_or(base.first_reply_hours),
        progress_update_hours: p
            .progress_update_hours
            .unwrap_or(base.progress_update_hours),
        resolution_days: p.resolution_days.unwrap_or(base.resolution_days),
    })
}
