//! SLA clocks (rules.md "Time limits" and "Amendments"): first contact, first reply, progress
//! updates and resolution, per level or for emergencies. Clocks are computed from timestamps
//! and `now`, never stored as booleans; time passing raises the level (rules.md "Severity").
//!
//! Each window counts service time or calendar time (`app/domain/docs/working-time.md`);
//! time spent waiting for the owner ([`ClockInputs::pauses`]) stops the progress-update and
//! resolution clocks.

mod display;
mod stages;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

pub use self::display::{
    format_local, minutes_label, promise_by, promise_text, promise_within, remaining_label,
};
pub use self::stages::{evaluate_stages, Stage, StageInputs};
use crate::calendar::{
    calendar_time_between, stopped_at, BusinessCalendar, Pause, TimeBasis, WorkingTime,
};
pub use crate::policy::{ClockWindows, SlaPolicy, SlaWindow};
use crate::policy::{GradingPolicy, Policy};
use crate::vocab::{vocabulary, Level, Status};

/// What the clocks are computed against: the SLA policy, the working-day calendar and the
/// zone both are read in.
#[derive(Debug, Clone, Copy)]
pub struct SlaContext<'a> {
    /// Windows, warning share and service hours.
    pub policy: &'a SlaPolicy,
    /// Working days.
    pub calendar: &'a BusinessCalendar,
    /// The policy's zone (UTC+8 by default).
    pub offset: FixedOffset,
}

impl<'a> SlaContext<'a> {
    /// The context of a whole policy (its SLA part and its zone) on `calendar`.
    pub fn new(policy: &'a Policy, calendar: &'a BusinessCalendar) -> SlaContext<'a> {
        SlaContext {
            policy: &policy.sla,
            calendar,
            offset: policy.time_zone(),
        }
    }

    /// Service-time arithmetic with this policy's service hours, calendar and zone.
    pub fn working_time(&self) -> WorkingTime<'a> {
        WorkingTime::new(self.calendar, self.policy.service_hours, self.offset)
    }
}

/// One of the four time limits of the spec's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// First contact with the owner (2 service hours; emergency: on site within 2 h).
    FirstContact,
    /// First substantive reply (one working day; emergency: 24 h).
    FirstReply,
    /// Progress update while open (every three working days; emergency: daily).
    ProgressUpdate,
    /// Resolution target (seven working days; emergency: 2 days).
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
    pub fn window(self, windows: &ClockWindows) -> SlaWindow {
        match self {
            Clock::FirstContact => windows.first_contact,
            Clock::FirstReply => windows.first_reply,
            Clock::ProgressUpdate => windows.progress_update,
            Clock::Resolution => windows.resolution,
        }
    }

    /// Whether waiting for the owner stops this clock: the progress-update and resolution
    /// clocks stop; first contact and first reply keep running (rules.md "Amendments").
    pub fn pausable(self) -> bool {
        matches!(self, Clock::ProgressUpdate | Clock::Resolution)
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
    /// Stopped while waiting for the owner, before it ran out: no due time until it resumes.
    /// Counts as on track.
    Paused {
        /// When it stopped.
        since: DateTime<Utc>,
        /// Time of the window already used (service or calendar time, as the window counts),
        /// in whole minutes.
        used_minutes: i64,
    },
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
            ClockState::NotRunning | ClockState::Paused { .. } => None,
        }
    }

    /// What this clock contributes to the complaint's SLA state: running clocks and late ones
    /// count, a paused one as on track; met-on-time and stopped clocks do not.
    pub fn sla_state(&self) -> Option<SlaState> {
        match self {
            ClockState::OnTrack { .. } | ClockState::Paused { .. } => Some(SlaState::OnTrack),
            ClockState::DueSoon { .. } => Some(SlaState::DueSoon),
            ClockState::Breached { .. } | ClockState::MetLate { .. } => Some(SlaState::Breached),
            ClockState::MetOnTime { .. } | ClockState::NotRunning => None,
        }
    }
}

/// A complaint's SLA state in the queue, from best to worst (rules.md "Time limits").
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
    /// When the complaint was received (rules.md "Amendments": clocks start at receipt):
    /// every clock starts here.
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
    /// Time spent waiting for the owner (information, access, confirmation): stops the
    /// progress-update and resolution clocks, and does not count as days unresolved.
    #[serde(default)]
    pub pauses: Vec<Pause>,
}

/// How one clock is timed for one complaint: its window, how it counts, when it started and
/// what stops it.
struct Timing<'a> {
    working: WorkingTime<'a>,
    basis: TimeBasis,
    start: DateTime<Utc>,
    window: Duration,
    warn_percent: u8,
    pauses: &'a [Pause],
}

impl<'a> Timing<'a> {
    fn of(inputs: &'a ClockInputs, ctx: &SlaContext<'a>, clock: Clock) -> Timing<'a> {
        let window = clock.window(ctx.policy.windows(inputs.level, inputs.emergency));
        let pauses: &'a [Pause] = if clock.pausable() {
            &inputs.pauses
        } else {
            &[]
        };
        Timing::window(ctx, window, clock_start(inputs, clock), pauses)
    }

    /// Any window from `start`, stopped by `pauses`, warned like the SLA clocks.
    fn window(
        ctx: &SlaContext<'a>,
        window: SlaWindow,
        start: DateTime<Utc>,
        pauses: &'a [Pause],
    ) -> Timing<'a> {
        Timing {
            working: ctx.working_time(),
            basis: window.time,
            start,
            window: window.duration(),
            warn_percent: ctx.policy.warn_before_percent,
            pauses,
        }
    }

    /// When the window runs out; `None` while a pause holds the clock short of it.
    fn due(&self) -> Option<DateTime<Utc>> {
        self.working
            .add_in(self.basis, self.start, self.window, self.pauses)
    }

    /// After this moment less than the warning share of the window is left.
    fn warn(&self) -> Option<DateTime<Utc>> {
        let span = self
            .window
            .num_seconds()
            .saturating_mul(i64::from(self.warn_percent))
            / 100;
        let before = self.window - Duration::seconds(span);
        self.working
            .add_in(self.basis, self.start, before, self.pauses)
    }

    /// The due time of a clock stopped by an event at `at`: a pause still open then counts
    /// as ending at `at` (only the time up to the event matters).
    fn due_for_event_at(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        let pauses: Vec<Pause> = self
            .pauses
            .iter()
            .map(|p| Pause {
                from: p.from,
                to: Some(p.to.unwrap_or(at.max(p.from))),
            })
            .collect();
        self.working
            .add_in(self.basis, self.start, self.window, &pauses)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// A running clock at `now`: breached after `due`, due soon after the warning moment (at
    /// exactly `due` it is due soon, not yet breached), paused while a pause holds it.
    fn running(&self, now: DateTime<Utc>) -> ClockState {
        let Some(due) = self.due() else {
            let used = self
                .working
                .between_in(self.basis, self.start, now, self.pauses);
            return ClockState::Paused {
                since: stopped_at(self.start, self.pauses).unwrap_or(self.start),
                used_minutes: used.num_minutes(),
            };
        };
        if now > due {
            ClockState::Breached { due }
        } else if self.warn().is_some_and(|warn| now > warn) {
            ClockState::DueSoon { due }
        } else {
            ClockState::OnTrack { due }
        }
    }
}

/// Every clock's state at `now`. The progress clock runs while open, due one interval after the
/// last update (or receipt). The resolution clock stops at `resolved_at`; a reopened complaint
/// was not resolved after all, so its resolution clock runs on from receipt. Pauses stop the
/// progress and resolution clocks ([`ClockState::Paused`] while one is open).
pub fn evaluate(
    inputs: &ClockInputs,
    ctx: &SlaContext<'_>,
    now: DateTime<Utc>,
) -> Vec<(Clock, ClockState)> {
    let open = inputs.status.is_open();
    let state = |clock: Clock, event: Option<DateTime<Utc>>| {
        let timing = Timing::of(inputs, ctx, clock);
        match event {
            Some(at) if !(clock == Clock::Resolution && open) => {
                met_state(at, timing.due_for_event_at(at))
            }
            _ if open => timing.running(now),
            _ => ClockState::NotRunning,
        }
    };
    vec![
        (
            Clock::FirstContact,
            state(Clock::FirstContact, inputs.first_contact_at),
        ),
        (
            Clock::FirstReply,
            state(Clock::FirstReply, inputs.first_reply_at),
        ),
        (Clock::ProgressUpdate, state(Clock::ProgressUpdate, None)),
        (
            Clock::Resolution,
            state(Clock::Resolution, inputs.resolved_at),
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

/// The due time of every clock, for the tracking page; the progress clock only while the
/// complaint is open, and a paused clock not at all (it has no due time until it resumes).
pub fn promised_times(inputs: &ClockInputs, ctx: &SlaContext<'_>) -> Vec<(Clock, DateTime<Utc>)> {
    Clock::ALL
        .iter()
        .filter(|c| **c != Clock::ProgressUpdate || inputs.status.is_open())
        .filter_map(|c| Some((*c, Timing::of(inputs, ctx, *c).due()?)))
        .collect()
}

/// The four due times of a complaint received at `received_at` (the `POST /api/v1/deadlines`
/// contract): first contact, first reply, first progress update and resolution, all counted
/// from receipt, in the table's order.
pub fn deadlines_from(
    received_at: DateTime<Utc>,
    emergency: bool,
    level: Level,
    ctx: &SlaContext<'_>,
) -> Vec<(Clock, DateTime<Utc>)> {
    let windows = ctx.policy.windows(level, emergency);
    let working = ctx.working_time();
    Clock::ALL
        .iter()
        .map(|clock| {
            let window = clock.window(windows);
            let due = working
                .add_in(window.time, received_at, window.duration(), &[])
                .unwrap_or(DateTime::<Utc>::MAX_UTC);
            (*clock, due)
        })
        .collect()
}

/// Whole 24-hour days from `filed_at` to `now`, leaving out the time paused waiting for the
/// owner (rules.md: unresolved "for reasons on our side"); calendar days, not working days.
/// 0 if `now` is earlier.
pub fn days_unresolved(filed_at: DateTime<Utc>, now: DateTime<Utc>, pauses: &[Pause]) -> u32 {
    let days = calendar_time_between(filed_at, now, pauses).num_days();
    u32::try_from(days.max(0)).unwrap_or(u32::MAX)
}

/// The level time alone forces on an open complaint (rules.md "Severity": unresolved ≥ 30 days
/// → 1, ≥ 15 → 2, paused time left out). The thresholds live in `GradingPolicy`, beside the
/// rest of the grading table.
pub fn time_based_level(
    filed_at: DateTime<Utc>,
    now: DateTime<Utc>,
    open: bool,
    pauses: &[Pause],
    policy: &GradingPolicy,
) -> Option<Level> {
    if !open {
        return None;
    }
    let days = days_unresolved(filed_at, now, pauses);
    if days >= policy.raise_to_level_1_after_days {
        Some(Level::One)
    } else if days >= policy.raise_to_level_2_after_days {
        Some(Level::Two)
    } else {
        None
    }
}

/// When `clock` started: receipt, except the progress clock, which restarts at each update.
fn clock_start(inputs: &ClockInputs, clock: Clock) -> DateTime<Utc> {
    match (clock, inputs.last_progress_at) {
        (Clock::ProgressUpdate, Some(last)) => last.max(inputs.filed_at),
        _ => inputs.filed_at,
    }
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
    /// The SLA state at `now`; equal to `overall(&evaluate(inputs, ctx, now))`.
    pub fn state_at(&self, now: DateTime<Utc>) -> SlaState {
        match (self.warn_at, self.due_at) {
            (_, Some(due)) if now > due => SlaState::Breached,
            (Some(warn), _) if now > warn => SlaState::DueSoon,
            _ => SlaState::OnTrack,
        }
    }
}

/// The earliest warning moment of the running clocks and the earliest due time of the running
/// and late clocks (rules.md "Time limits"). Independent of `now`. A paused clock has no
/// due time and is left out until it resumes (recompute then).
pub fn deadlines(inputs: &ClockInputs, ctx: &SlaContext<'_>) -> Deadlines {
    let open = inputs.status.is_open();
    let mut result = Deadlines::default();
    let earliest = |slot: &mut Option<DateTime<Utc>>, t: DateTime<Utc>| {
        *slot = Some(slot.map_or(t, |s| s.min(t)));
    };
    for clock in Clock::ALL.iter().copied() {
        let timing = Timing::of(inputs, ctx, clock);
        let event = match clock {
            Clock::FirstContact => inputs.first_contact_at,
            Clock::FirstReply => inputs.first_reply_at,
            Clock::ProgressUpdate => None,
            Clock::Resolution if open => None,
            Clock::Resolution => inputs.resolved_at,
        };
        match event {
            Some(at) => {
                let due = timing.due_for_event_at(at);
                if at > due {
                    earliest(&mut result.due_at, due);
                }
            }
            None if open => {
                if let Some(due) = timing.due() {
                    earliest(&mut result.warn_at, timing.warn().unwrap_or(due));
                    earliest(&mut result.due_at, due);
                }
            }
            None => {}
        }
    }
    result
}
