//! SLA windows (rules.md "Time limits" and "Amendments"): the default and emergency columns,
//! each window in service time or calendar time, and the service hours.
//!
//! In a policy file (`app/domain/docs/working-time.md`, "Policy"):
//!
//! ```toml
//! [sla]
//! warn_before_percent = 25
//! service_hours = { opens = "08:30", closes = "17:30" }
//!
//! [[sla.by_level]]          # level 1; up to four, index 0 = level 1
//! first_contact = { minutes = 30, time = "service" }
//!
//! [sla.emergency]
//! resolution = { hours = 36 }   # `time` left out: the column's own (calendar)
//! ```
//!
//! A window names `hours`, `minutes` (or both, added) and `time` (`"service"` or
//! `"calendar"`); what it leaves out keeps the column's default. Files written before service
//! time (`first_contact_minutes`, `first_reply_hours`, `progress_update_hours`,
//! `resolution_days`) still load, as calendar-time windows.

use chrono::Duration;
use serde::{de::Error as _, Deserialize, Deserializer, Serialize, Serializer};

use super::at_least;
use crate::calendar::{ServiceHours, TimeBasis};
use crate::vocab::Level;

/// One clock's window: how long, and whether in service time or calendar time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SlaWindow {
    /// Length in minutes.
    pub minutes: u32,
    /// How the minutes are counted.
    pub time: TimeBasis,
}

impl SlaWindow {
    /// `hours` of service time (working days' service hours only).
    pub const fn service_hours(hours: u32) -> SlaWindow {
        SlaWindow::service_minutes(hours.saturating_mul(60))
    }

    /// `minutes` of service time.
    pub const fn service_minutes(minutes: u32) -> SlaWindow {
        SlaWindow {
            minutes,
            time: TimeBasis::Service,
        }
    }

    /// `hours` round the clock.
    pub const fn calendar_hours(hours: u32) -> SlaWindow {
        SlaWindow::calendar_minutes(hours.saturating_mul(60))
    }

    /// `minutes` round the clock.
    pub const fn calendar_minutes(minutes: u32) -> SlaWindow {
        SlaWindow {
            minutes,
            time: TimeBasis::Calendar,
        }
    }

    /// The length as a duration (of service time or of calendar time, per `time`).
    pub fn duration(&self) -> Duration {
        Duration::minutes(i64::from(self.minutes))
    }
}

/// A window as a policy file writes it: whole hours as `hours`, else `minutes`.
#[derive(Serialize)]
struct WindowOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    hours: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minutes: Option<u32>,
    time: TimeBasis,
}

impl Serialize for SlaWindow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let whole_hours = self.minutes > 0 && self.minutes.rem_euclid(60) == 0;
        WindowOut {
            hours: whole_hours.then_some(self.minutes / 60),
            minutes: (!whole_hours).then_some(self.minutes),
            time: self.time,
        }
        .serialize(s)
    }
}

/// A window as read: every field optional, laid over a column's default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartialWindow {
    hours: Option<u32>,
    minutes: Option<u32>,
    time: Option<TimeBasis>,
}

impl PartialWindow {
    fn over<E: serde::de::Error>(self, base: SlaWindow) -> Result<SlaWindow, E> {
        let minutes = match (self.hours, self.minutes) {
            (None, None) => base.minutes,
            (hours, minutes) => hours
                .unwrap_or(0)
                .checked_mul(60)
                .and_then(|m| m.checked_add(minutes.unwrap_or(0)))
                .ok_or_else(|| E::custom("a window must be shorter than 4 294 967 295 minutes"))?,
        };
        Ok(SlaWindow {
            minutes,
            time: self.time.unwrap_or(base.time),
        })
    }
}

impl<'de> Deserialize<'de> for SlaWindow {
    /// `{ hours = 2, time = "service" }`; `time` defaults to service time, and a window must
    /// name `hours` or `minutes`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<SlaWindow, D::Error> {
        let partial = PartialWindow::deserialize(d)?;
        if partial.hours.is_none() && partial.minutes.is_none() {
            return Err(D::Error::custom("a window needs `hours` or `minutes`"));
        }
        partial.over(SlaWindow::service_minutes(0))
    }
}

/// The four time limits of one column of the table (rules.md "Time limits", "Amendments").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ClockWindows {
    /// First contact with the owner (2 service hours; emergency: 2 h round the clock).
    pub first_contact: SlaWindow,
    /// First substantive reply (9 service hours, one working day; emergency: 24 h).
    pub first_reply: SlaWindow,
    /// Longest gap between progress updates while open (27 service hours, three working
    /// days; emergency: 24 h).
    pub progress_update: SlaWindow,
    /// Resolution target (63 service hours, seven working days; emergency: 48 h).
    pub resolution: SlaWindow,
}

impl Default for ClockWindows {
    fn default() -> Self {
        ClockWindows {
            first_contact: SlaWindow::service_hours(2),
            first_reply: SlaWindow::service_hours(9),
            progress_update: SlaWindow::service_hours(27),
            resolution: SlaWindow::service_hours(63),
        }
    }
}

impl ClockWindows {
    /// The emergency column: round the clock, 2 h, 24 h, 24 h, 48 h.
    pub fn emergency() -> Self {
        ClockWindows {
            first_contact: SlaWindow::calendar_hours(2),
            first_reply: SlaWindow::calendar_hours(24),
            progress_update: SlaWindow::calendar_hours(24),
            resolution: SlaWindow::calendar_hours(48),
        }
    }

    /// The column before service time (all calendar time: 2 h, 24 h, 3 days, 7 days), for
    /// comparison and for old policy files.
    pub fn calendar_only() -> Self {
        ClockWindows {
            first_contact: SlaWindow::calendar_hours(2),
            first_reply: SlaWindow::calendar_hours(24),
            progress_update: SlaWindow::calendar_hours(72),
            resolution: SlaWindow::calendar_hours(7 * 24),
        }
    }

    /// The four windows with their names, in the table's order.
    pub fn named(&self) -> [(&'static str, SlaWindow); 4] {
        [
            ("first_contact", self.first_contact),
            ("first_reply", self.first_reply),
            ("progress_update", self.progress_update),
            ("resolution", self.resolution),
        ]
    }

    fn check(&self, name: &str, p: &mut Vec<String>) {
        for (field, window) in self.named() {
            at_least(
                p,
                &format!("{name}.{field}.minutes"),
                u64::from(window.minutes),
                1,
            );
        }
    }
}

impl<'de> Deserialize<'de> for ClockWindows {
    /// Fields a file leaves out keep the default column.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ClockWindows, D::Error> {
        PartialColumn::deserialize(d)?.over(ClockWindows::default())
    }
}

/// A column as read: new-style windows and the old calendar-time fields, all optional.
#[derive(Debug, Default, Deserialize)]
struct PartialColumn {
    first_contact: Option<PartialWindow>,
    first_reply: Option<PartialWindow>,
    progress_update: Option<PartialWindow>,
    resolution: Option<PartialWindow>,
    first_contact_minutes: Option<u32>,
    first_reply_hours: Option<u32>,
    progress_update_hours: Option<u32>,
    resolution_days: Option<u32>,
}

impl PartialColumn {
    fn over<E: serde::de::Error>(self, base: ClockWindows) -> Result<ClockWindows, E> {
        fn one<E: serde::de::Error>(
            name: &str,
            new: Option<PartialWindow>,
            (old_name, old): (&str, Option<SlaWindow>),
            base: SlaWindow,
        ) -> Result<SlaWindow, E> {
            match (new, old) {
                (Some(_), Some(_)) => Err(E::custom(format!(
                    "`{name}` and `{old_name}` name the same window: keep `{name}`"
                ))),
                (Some(new), None) => new.over(base),
                (None, Some(old)) => Ok(old),
                (None, None) => Ok(base),
            }
        }
        let minutes = |m: Option<u32>, per: u32| {
            m.map(|m| SlaWindow::calendar_minutes(m.saturating_mul(per)))
        };
        Ok(ClockWindows {
            first_contact: one(
                "first_contact",
                self.first_contact,
                (
                    "first_contact_minutes",
                    minutes(self.first_contact_minutes, 1),
                ),
                base.first_contact,
            )?,
            first_reply: one(
                "first_reply",
                self.first_reply,
                ("first_reply_hours", minutes(self.first_reply_hours, 60)),
                base.first_reply,
            )?,
            progress_update: one(
                "progress_update",
                self.progress_update,
                (
                    "progress_update_hours",
                    minutes(self.progress_update_hours, 60),
                ),
                base.progress_update,
            )?,
            resolution: one(
                "resolution",
                self.resolution,
                ("resolution_days", minutes(self.resolution_days, 24 * 60)),
                base.resolution,
            )?,
        })
    }
}

/// SLA clocks (rules.md "Time limits", "Amendments"). All four `by_level` entries (index 0 =
/// level 1) default to the same column; tighten level 1 here if wanted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SlaPolicy {
    /// A running clock is "about to breach" when less than this percentage of its window is
    /// left (25: the last quarter; 2 h window → warn in the last 30 min).
    pub warn_before_percent: u8,
    /// When service time runs on a working day (08:30–17:30).
    pub service_hours: ServiceHours,
    /// Windows per level, index 0 = level 1 … index 3 = level 4. A file may list fewer than
    /// four (the rest keep the default column); each window it leaves out keeps the default.
    #[serde(deserialize_with = "level_columns")]
    pub by_level: [ClockWindows; 4],
    /// Windows for emergencies (whatever the level); what a file leaves out keeps the
    /// emergency column, not the default one.
    #[serde(deserialize_with = "emergency_column")]
    pub emergency: ClockWindows,
}

impl Default for SlaPolicy {
    fn default() -> Self {
        SlaPolicy {
            warn_before_percent: 25,
            service_hours: ServiceHours::default(),
            by_level: [ClockWindows::default(); 4],
            emergency: ClockWindows::emergency(),
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
        if let Some(problem) = self.service_hours.problem("sla.service_hours") {
            p.push(problem);
        }
    }
}

/// Reads `sla.by_level`: up to four columns, each over the default one.
fn level_columns<'de, D: Deserializer<'de>>(d: D) -> Result<[ClockWindows; 4], D::Error> {
    let columns = Vec::<PartialColumn>::deserialize(d)?;
    if columns.len() > 4 {
        return Err(D::Error::custom(format!(
            "sla.by_level has {} entries; there are four levels",
            columns.len()
        )));
    }
    let mut levels = [ClockWindows::default(); 4];
    for (level, column) in levels.iter_mut().zip(columns) {
        *level = column.over(ClockWindows::default())?;
    }
    Ok(levels)
}

/// Reads `sla.emergency` over the emergency column.
fn emergency_column<'de, D: Deserializer<'de>>(d: D) -> Result<ClockWindows, D::Error> {
    PartialColumn::deserialize(d)?.over(ClockWindows::emergency())
}
