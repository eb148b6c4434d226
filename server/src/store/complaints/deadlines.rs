//! Keeping each complaint's stored SLA deadlines, and what each clock came to, equal to
//! what the domain computes.

use domain::sla::SlaContext;
use domain::{deadlines, evaluate, Clock, ClockInputs, ClockState};
use sqlx::AnyConnection;

use super::row;
use crate::policy::PolicyHandle;
use crate::store::to_ms;

/// Recomputes the warn/due moments and the per-clock record of complaint `id` from its
/// timestamps, with the policy and business calendar in force.
pub async fn refresh(
    conn: &mut AnyConnection,
    id: i64,
    rules: &PolicyHandle,
) -> Result<(), sqlx::Error> {
    let Some(complaint) = row::load(&mut *conn, id).await? else {
        return Ok(());
    };
    let (policy, calendar) = (rules.current(), rules.calendar());
    let ctx = SlaContext::new(&policy, &calendar);
    let inputs = complaint.clock_inputs();
    let stored = deadlines(&inputs, &ctx);
    let clocks = ClockRecord::of(&inputs, &ctx);
    sqlx::query(
        "UPDATE complaints SET sla_warn_at = $2, sla_due_at = $3,
            first_contact_on_time = $4, first_reply_on_time = $5, resolution_on_time = $6,
            first_contact_due = $7, first_reply_due = $8, progress_update_due = $9, resolution_due = $10
         WHERE id = $1",
    )
    .bind(id)
    .bind(stored.warn_at.map(to_ms))
    .bind(stored.due_at.map(to_ms))
    .bind(clocks.on_time(Clock::FirstContact))
    .bind(clocks.on_time(Clock::FirstReply))
    .bind(clocks.on_time(Clock::Resolution))
    .bind(clocks.due(Clock::FirstContact))
    .bind(clocks.due(Clock::FirstReply))
    .bind(clocks.due(Clock::ProgressUpdate))
    .bind(clocks.due(Clock::Resolution))
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// What the reports count per clock (rules.md "Time limits": a breach "is counted in
/// reports"): whether a stopped clock was met on time, and when a running one is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockRecord(Vec<(Clock, ClockState)>);

impl ClockRecord {
    /// The domain's verdict on every clock. Whether a stopped clock was met in time, and
    /// when a running one is due, do not depend on `now`; filing time stands in for it.
    pub fn of(inputs: &ClockInputs, ctx: &SlaContext<'_>) -> ClockRecord {
        ClockRecord(evaluate(inputs, ctx, inputs.filed_at))
    }

    fn state(&self, clock: Clock) -> ClockState {
        self.0
            .iter()
            .find(|(c, _)| *c == clock)
            .map_or(ClockState::NotRunning, |(_, s)| *s)
    }

    /// 1 met on time, 0 met late, `None` while running or never started.
    pub fn on_time(&self, clock: Clock) -> Option<i64> {
        match self.state(clock) {
            ClockState::MetOnTime { .. } => Some(1),
            ClockState::MetLate { .. } => Some(0),
            _ => None,
        }
    }

    /// The due time (epoch ms) of a running clock.
    pub fn due(&self, clock: Clock) -> Option<i64> {
        match self.state(clock) {
            ClockState::OnTrack { due }
            | ClockState::DueSoon { due }
            | ClockState::Breached { due } => Some(to_ms(due)),
            _ => None,
        }
    }
}
