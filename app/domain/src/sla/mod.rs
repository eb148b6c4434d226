//! SLA clocks (domain.md "Time limits"): first contact, first reply, progress updates and
//! resolution, per level or for emergencies. Clocks are computed from timestamps and `now`,
//! never stored as booleans; time passing raises the level (domain.md "Severity").

mod display;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use self::display::{
    format_local, minutes_label, promise_text, promise_within, remaining_label,
};
use crate::policy::GradingPolicy;
pub use crate::policy::{ClockWindows, SlaPolicy};
use crate::vocab::{vocabulary, Level, Status};

/// One of the four time limits of the spec's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// First contact with the owner (2 h; emergency: on site within 2 h).
    FirstContact,
    /// First substantive reply (24 h).
    FirstReply,
    /// Progress update while open (every 3 days; emergency: daily).
    ProgressUpdate,
    /// Resolution target (7 days; emergency: 2 days).
    Resolution,
}

vocabulary!(Clock {
    FirstContact => "first_contact", "首次联系", "First contact";
    FirstReply => "first_reply", "首次答复", "First reply";
    ProgressUpdate => "progress_update", "进展通报", "Progress update";
    Resolution => "resolution", "解决时限", "Resolution";
});

impl Clock {
    /// The window of this clock in `windows`.
    pub fn window(self, windows: &ClockWindows) -> chrono::Duration {
        match self {
            Clock::FirstContact => windows.first_contact(),
            Clock::FirstReply => windows.first_reply(),
            Clock::ProgressUpdate => windows.progress_update(),
            Clock::Resolution => windows.resolution(),
        }
    }
}

/// Where one clock stands at `now`. Met on time means at or before the due time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ClockState {
    /// Running, more than the warning share of the window left.
    OnTrack {
        /// When it is due.
        due: DateTime<Utc>,
    },
    /// Running, about to breach: warn the assignee.
    DueSoon {
        /// When it is due.
        due: DateTime<Utc>,
    },
    /// Running past its due time: escalate to the supervisor.
    Breached {
        /// When it was due.
        due: DateTime<Utc>,
    },
    /// Stopped at `at`, at or before `due`.
    MetOnTime {
        /// When the event happened.
        at: DateTime<Utc>,
        /// When it was due.
        due: DateTime<Utc>,
    },
    /// Stopped at `at`, after `due`: counted as a breach in reports.
    MetLate {
        /// When the event happened.
        at: DateTime<Utc>,
        /// When it was due.
        due: DateTime<Utc>,
    },
    /// Not running (the complaint is no longer open and the event never happened).
    NotRunning,
}

impl ClockState {
    /// The due time, if the clock has one.
    pub fn due(&self) -> Option<DateTime<Utc>> {
        match *self {
            ClockState::OnTrack { due }
            | ClockState::DueSoon { due }
            | ClockState::Breached { due }
            | ClockState::MetOnTime { due, .. }
            | ClockState::MetLate { due, .. } => Some(due),
            ClockState::NotRunning => None,
        }
    }

    /// What this clock contributes to the complaint's SLA state: running clocks and late ones
    /// count; met-on-time and stopped clocks do not.
    pub fn sla_state(&self) -> Option<SlaState> {
        match self {
            ClockState::OnTrack { .. } => Some(SlaState::OnTrack),
            ClockState::DueSoon { .. } => Some(SlaState::DueSoon),
            ClockState::Breached { .. } | ClockState::MetLate { .. } => Some(SlaState::Breached),
            ClockState::MetOnTime { .. } | ClockState::NotRunning => None,
        }
    }
}

/// A complaint's SLA state in the queue, from best to worst (domain.md "Time limits").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaState {
    /// Every clock on track.
    OnTrack,
    /// A clock is about to breach.
    DueSoon,
    /// A clock breached (running or met late).
    Breached,
}

vocabulary!(SlaState {
    OnTrack => "on_track", "正常", "On track";
    DueSoon => "due_soon", "即将超时", "Due soon";
    Breached => "breached", "已超时", "Breached";
});

/// The timestamps the clocks are computed from (all stored facts, none derived).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockInputs {
    /// When the complaint was filed: every clock starts here.
    pub filed_at: DateTime<Utc>,
    /// Current level: picks the column of windows.
    pub level: Level,
    /// Emergency: the spec's emergency column, whatever the level.
    pub emergency: bool,
    /// Current status: clocks run only while the complaint is open.
    pub status: Status,
    /// First contact with the owner, if made.
    pub first_contact_at: Option<DateTime<Utc>>,
    /// First substantive reply (a not-valid reply counts), if sent.
    pub first_reply_at: Option<DateTime<Utc>>,
    /// Last progress update told to the owner, if any.
    pub last_progress_at: Option<DateTime<Utc>>,
    /// When it was resolved, if it was.
    pub resolved_at: Option<DateTime<Utc>>,
}

/// Every clock's state at `now`. The progress clock runs while open, due one interval after the
/// last update (or filing). The resolution clock stops at `resolved_at`; a reopened complaint
/// was not resolved after all, so its resolution clock runs on from filing.
pub fn evaluate(
    inputs: &ClockInputs,
    policy: &SlaPolicy,
    now: DateTime<Utc>,
) -> Vec<(Clock, ClockState)> {
    let windows = policy.windows(inputs.level, inputs.emergency);
    let open = inputs.status.is_open();
    let running = |clock: Clock| {
        let start = clock_start(inputs, clock);
        running_state(
            start,
            clock.window(windows),
            policy.warn_before_percent,
            now,
        )
    };
    let event_clock = |clock: Clock, event: Option<DateTime<Utc>>| match event {
        Some(at) if !(clock == Clock::Resolution && open) => met_state(
            at,
            due_after(clock_start(inputs, clock), clock.window(windows)),
        ),
        _ if open => running(clock),
        _ => ClockState::NotRunning,
    };
    vec![
        (
            Clock::FirstContact,
            event_clock(Clock::FirstContact, inputs.first_contact_at),
        ),
        (
            Clock::FirstReply,
            event_clock(Clock::FirstReply, inputs.first_reply_at),
        ),
        (
            Clock::ProgressUpdate,
            if open {
                running(Clock::ProgressUpdate)
            } else {
                ClockState::NotRunning
            },
        ),
        (
            Clock::Resolution,
            event_clock(Clock::Resolution, inputs.resolved_at),
        ),
    ]
}

/// The worst state among running and late clocks; `OnTrack` when none counts.
pub fn overall(states: &[(Clock, ClockState)]) -> SlaState {
    states
        .iter()
        .filter_map(|(_, s)| s.sla_state())
        .max()
        .unwrap_or(SlaState::OnTrack)
}

/// The due time of every clock, for the tracking page ("我们将在2小时内联系您"); the progress
/// clock only while the complaint is open.
pub fn promised_times(inputs: &ClockInputs, policy: &SlaPolicy) -> Vec<(Clock, DateTime<Utc>)> {
    let windows = policy.windows(inputs.level, inputs.emergency);
    Clock::ALL
        .iter()
        .filter(|c| **c != Clock::ProgressUpdate || inputs.status.is_open())
        .map(|c| (*c, due_after(clock_start(inputs, *c), c.window(windows))))
        .collect()
}

/// Whole 24-hour days from `filed_at` to `now` (0 if `now` is earlier).
pub fn days_unresolved(filed_at: DateTime<Utc>, now: DateTime<Utc>) -> u32 {
    u32::try_from((now - filed_at).num_days().max(0)).unwrap_or(u32::MAX)
}

/// The level time alone forces on an open complaint (domain.md "Severity": unresolved ≥ 30 days
/// → 1, ≥ 15 → 2). The thresholds live in `GradingPolicy`, beside the rest of the grading table.
pub fn time_based_level(
    filed_at: DateTime<Utc>,
    now: DateTime<Utc>,
    open: bool,
    policy: &GradingPolicy,
) -> Option<Level> {
    if !open {
        return None;
    }
    let days = days_unresolved(filed_at, now);
    if days >= policy.raise_to_level_1_after_days {
        Some(Level::One)
    } else if days >= policy.raise_to_level_2_after_days {
        Some(Level::Two)
    } else {
        None
    }
}

/// When `clock` started: filing, except the progress clock, which restarts at each update.
fn clock_start(inputs: &ClockInputs, clock: Clock) -> DateTime<Utc> {
    match (clock, inputs.last_progress_at) {
        (Clock::ProgressUpdate, Some(last)) => last.max(inputs.filed_at),
        _ => inputs.filed_at,
    }
}

/// A running clock: breached after `due`; due soon when less than `warn_percent` of the window
/// is left (at exactly `due` it is due soon, not yet breached).
fn running_state(
    start: DateTime<Utc>,
    window: chrono::Duration,
    warn_percent: u8,
    now: DateTime<Utc>,
) -> ClockState {
    let due = due_after(start, window);
    if now > due {
        return ClockState::Breached { due };
    }
    let left = (due - now).num_seconds().saturating_mul(100);
    let warn = window.num_seconds().saturating_mul(i64::from(warn_percent));
    if left < warn {
        ClockState::DueSoon { due }
    } else {
        ClockState::OnTrack { due }
    }
}

/// `start + window`, saturating instead of panicking on an absurd policy window.
fn due_after(start: DateTime<Utc>, window: chrono::Duration) -> DateTime<Utc> {
    start
        .checked_add_signed(window)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// A stopped clock: on time when the event came at or before `due`.
fn met_state(at: DateTime<Utc>, due: DateTime<Utc>) -> ClockState {
    if at <= due {
        ClockState::MetOnTime { at, due }
    } else {
        ClockState::MetLate { at, due }
    }
}

/// The two moments at which a complaint's SLA state changes, as absolute times: stored
/// beside the complaint (recomputed on every change) so the queue can filter by SLA state
/// and the ticker can find what to warn about, while the state itself stays computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Deadlines {
    /// After this moment a running clock is about to breach (warn the assignee).
    pub warn_at: Option<DateTime<Utc>>,
    /// After this moment a clock is breached (escalate); a clock met late has it in the past.
    pub due_at: Option<DateTime<Utc>>,
}

impl Deadlines {
    /// The SLA state at `now`; equal to `overall(&evaluate(inputs, policy, now))`.
    pub fn state_at(&self, now: DateTime<Utc>) -> SlaState {
        match (self.warn_at, self.due_at) {
            (_, Some(due)) if now > due => SlaState::Breached,
            (Some(warn), _) if now > warn => SlaState::DueSoon,
            _ => SlaState::OnTrack,
        }
    }
}

/// The earliest warning moment of the running clocks and the earliest due time of the running
/// and late clocks (domain.md "Time limits"). Independent of `now`.
pub fn deadlines(inputs: &ClockInputs, policy: &SlaPolicy) -> Deadlines {
    let windows = policy.windows(inputs.level, inputs.emergency);
    let open = inputs.status.is_open();
    let mut result = Deadlines::default();
    let earliest = |slot: &mut Option<DateTime<Utc>>, t: DateTime<Utc>| {
        *slot = Some(slot.map_or(t, |s| s.min(t)));
    };
    for clock in Clock::ALL.iter().copied() {
        let window = clock.window(windows);
        let due = due_after(clock_start(inputs, clock), window);
        let event = match clock {
            Clock::FirstContact => inputs.first_contact_at,
            Clock::FirstReply => inputs.first_reply_at,
            Clock::ProgressUpdate => None,
            Clock::Resolution if open => None,
            Clock::Resolution => inputs.resolved_at,
        };
        match event {
            Some(at) if at > due => earliest(&mut result.due_at, due),
            Some(_) => {}
            None if open => {
                let warn_span = window
                    .num_seconds()
                    .saturating_mul(i64::from(policy.warn_before_percent))
                    / 100;
                let warn = due
                    .checked_sub_signed(chrono::Duration::seconds(warn_span))
                    .unwrap_or(due);
                earliest(&mut result.warn_at, warn);
                earliest(&mut result.due_at, due);
            }
            None => {}
        }
    }
    result
}
