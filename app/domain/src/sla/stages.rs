//! Stage clocks (rules.md "Chain of responsibility", 001 第5篇 第六条): for complaints of
//! level 1 and 2 (by default), the plan settled with the owner within one working day of
//! acceptance, and the handling report to the general manager within three working days of
//! the resolution. They are shown beside the four SLA clocks and count the same way (service
//! or calendar time; waiting for the owner stops them).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{met_state, SlaContext, Timing};
use crate::calendar::Pause;
use crate::policy::StagePolicy;
use crate::vocab::{vocabulary, Level, Status};

/// A stage of the handling with its own time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Responsibility settled and a plan agreed with the owner (明确责任、整理方案并与客户
    /// 沟通): from acceptance to the plan proposed.
    Plan,
    /// The handling report submitted to the general manager (报告呈总经理批示): from the
    /// resolution.
    Report,
}

vocabulary!(Stage {
    Plan => "plan", "明确责任并与业主商定方案", "Plan agreed with the owner";
    Report => "report", "处理报告呈报总经理", "Report to the general manager";
});

/// The timestamps the stage clocks are computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageInputs {
    /// Current level: the stage clocks run for the serious ones.
    pub level: Level,
    /// Current status.
    pub status: Status,
    /// When the complaint was judged valid (first time).
    pub accepted_at: Option<DateTime<Utc>>,
    /// When a solution plan was first proposed to the owner.
    pub plan_at: Option<DateTime<Utc>>,
    /// Since when the report is owed: the latest resolution.
    pub report_from: Option<DateTime<Utc>>,
    /// When the handling report was submitted to the general manager.
    pub report_at: Option<DateTime<Utc>>,
    /// Time spent waiting for the owner.
    #[serde(default)]
    pub pauses: Vec<Pause>,
}

impl StageInputs {
    /// Whether the stage clocks apply at this level under `policy`.
    pub fn applies(&self, policy: &StagePolicy) -> bool {
        self.level.number() <= policy.up_to_level
    }
}

/// The stage clocks that apply to a complaint at `now`, in order; none below the policy's
/// level, and a stage only once its start has happened. A stage stopped by its event keeps
/// its state; a plan not yet made runs while the complaint is open, a report not yet made
/// runs while it stays resolved (also after revisit and closing), and stops when it is
/// reopened.
pub fn evaluate_stages(
    inputs: &StageInputs,
    policy: &StagePolicy,
    ctx: &SlaContext<'_>,
    now: DateTime<Utc>,
) -> Vec<(Stage, super::ClockState)> {
    if !inputs.applies(policy) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let stage = |start: DateTime<Utc>,
                 window: crate::policy::SlaWindow,
                 event: Option<DateTime<Utc>>,
                 running: bool| {
        let timing = Timing::window(ctx, window, start, &inputs.pauses);
        match event {
            Some(at) => met_state(at, timing.due_for_event_at(at)),
            None if running => timing.running(now),
            None => super::ClockState::NotRunning,
        }
    };
    if let Some(accepted) = inputs.accepted_at {
        out.push((
            Stage::Plan,
            stage(
                accepted,
                policy.plan,
                inputs.plan_at,
                inputs.status.is_open(),
            ),
        ));
    }
    if let Some(resolved) = inputs.report_from {
        let done = matches!(
            inputs.status,
            Status::Resolved | Status::Revisited | Status::Closed
        );
        out.push((
            Stage::Report,
            stage(resolved, policy.report, inputs.report_at, done),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::BusinessCalendar;
    use crate::policy::Policy;
    use crate::sla::ClockState;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn inputs(level: Level, status: Status) -> StageInputs {
        StageInputs {
            level,
            status,
            accepted_at: None,
            plan_at: None,
            report_from: None,
            report_at: None,
            pauses: Vec::new(),
        }
    }

    #[test]
    fn the_plan_is_due_one_working_day_after_acceptance() {
        let policy = Policy::default();
        let calendar = BusinessCalendar::official();
        let ctx = SlaContext::new(&policy, &calendar);
        // Accepted Friday 2026-12-04 16:00 (Shanghai): 1.5 h that day, 7.5 h on Monday.
        let mut c = inputs(Level::Two, Status::Investigating);
        c.accepted_at = Some(at("2026-12-04T16:00:00+08:00"));
        let states = evaluate_stages(&c, &policy.stages, &ctx, at("2026-12-07T09:00:00+08:00"));
        assert_eq!(
            states,
            vec![(
                Stage::Plan,
                ClockState::OnTrack {
                    due: at("2026-12-07T16:00:00+08:00")
                }
            )]
        );
        let late = evaluate_stages(&c, &policy.stages, &ctx, at("2026-12-07T16:01:00+08:00"));
        assert!(matches!(late[0].1, ClockState::Breached { .. }), "{late:?}");
        c.plan_at = Some(at("2026-12-07T11:00:00+08:00"));
        let met = evaluate_stages(&c, &policy.stages, &ctx, at("2026-12-09T09:00:00+08:00"));
        assert!(matches!(met[0].1, ClockState::MetOnTime { .. }), "{met:?}");
    }

    #[test]
    fn the_report_is_due_three_working_days_after_resolution_and_runs_after_closing() {
        let policy = Policy::default();
        let calendar = BusinessCalendar::official();
        let ctx = SlaContext::new(&policy, &calendar);
        // Resolved Wednesday 2026-09-30 at 10:00, the eve of the National Day holiday
        // (1–7 October).
        let mut c = inputs(Level::One, Status::Closed);
        c.accepted_at = Some(at("2026-09-28T09:00:00+08:00"));
        c.plan_at = Some(at("2026-09-28T15:00:00+08:00"));
        c.report_from = Some(at("2026-09-30T10:00:00+08:00"));
        let states = evaluate_stages(&c, &policy.stages, &ctx, at("2026-10-09T09:00:00+08:00"));
        assert_eq!(states.len(), 2);
        assert!(matches!(states[0].1, ClockState::MetOnTime { .. }));
        // 7.5 h (30 Sep) + 9 h (8 Oct) + 9 h (9 Oct) = 25.5 h; 1.5 h on Saturday 10 Oct,
        // a make-up working day: due 10:00 that Saturday.
        assert_eq!(
            states[1].1,
            ClockState::OnTrack {
                due: at("2026-10-10T10:00:00+08:00")
            }
        );
        // Reopened: no report is owed for a handling that did not hold.
        c.status = Status::Reopened;
        let states = evaluate_stages(&c, &policy.stages, &ctx, at("2026-10-09T09:00:00+08:00"));
        assert_eq!(states[1].1, ClockState::NotRunning);
    }

    #[test]
    fn levels_three_and_four_have_no_stage_clocks_unless_the_policy_says_so() {
        let mut policy = Policy::default();
        let calendar = BusinessCalendar::official();
        let mut c = inputs(Level::Three, Status::Investigating);
        c.accepted_at = Some(at("2026-12-03T10:00:00+08:00"));
        let now = at("2026-12-03T11:00:00+08:00");
        let ctx = SlaContext::new(&policy, &calendar);
        assert!(evaluate_stages(&c, &policy.stages, &ctx, now).is_empty());
        policy.stages.up_to_level = 4;
        let ctx = SlaContext::new(&policy, &calendar);
        assert_eq!(evaluate_stages(&c, &policy.stages, &ctx, now).len(), 1);
        // Not yet accepted: no plan clock.
        c.accepted_at = None;
        assert!(evaluate_stages(&c, &policy.stages, &ctx, now).is_empty());
    }

    #[test]
    fn waiting_for_the_owner_stops_the_plan_clock() {
        let policy = Policy::default();
        let calendar = BusinessCalendar::official();
        let ctx = SlaContext::new(&policy, &calendar);
        let mut c = inputs(Level::Two, Status::Investigating);
        c.accepted_at = Some(at("2026-12-03T09:00:00+08:00"));
        // Waiting for access from 10:00 to 14:00: four service hours do not count.
        c.pauses = vec![Pause {
            from: at("2026-12-03T10:00:00+08:00"),
            to: Some(at("2026-12-03T14:00:00+08:00")),
        }];
        let states = evaluate_stages(&c, &policy.stages, &ctx, at("2026-12-03T15:00:00+08:00"));
        // 1 h before the wait, 3.5 h after it on the 3rd, 4.5 h on the 4th.
        assert_eq!(states[0].1.due(), Some(at("2026-12-04T13:00:00+08:00")));
    }
}
