//! Every threshold of the domain in one typed, serialisable policy (rules.md: "make every
//! threshold configuration, not a literal in code"). `Default` is the spec's default policy;
//! every struct is `#[serde(default)]`, so a TOML file or a database row that names only a few
//! fields overrides just those.

use chrono::FixedOffset;
use serde::{Deserialize, Serialize};

mod escalation;
mod grading;
mod groups;
mod revisit;
mod sla;
mod stages;

pub use self::escalation::EscalationPolicy;
pub use self::grading::{FlagLevels, GradingPolicy, ImpactLevels};
pub use self::groups::GroupPolicy;
pub use self::revisit::RevisitPolicy;
pub use self::sla::{ClockWindows, SlaPolicy, SlaWindow};
pub use self::stages::StagePolicy;
pub use crate::authority::ApprovalPolicy;

/// Asia/Shanghai: UTC+8 all year (checked at compile time).
const SHANGHAI: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// The whole policy: grading, SLA clocks, group detection, approvals and the server's zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// Severity rules (rules.md "Severity").
    pub grading: GradingPolicy,
    /// Time limits (rules.md "Time limits").
    pub sla: SlaPolicy,
    /// Same-issue and repeat detection (rules.md "Group and repeat complaints").
    pub groups: GroupPolicy,
    /// What needs approval, and whose (rules.md "Chain of responsibility").
    pub approval: ApprovalPolicy,
    /// Who is told and must act per level, for groups, and up the breach ladder.
    pub escalation: EscalationPolicy,
    /// When a resolved complaint is due for its revisit, and when a survey becomes a call.
    pub revisit: RevisitPolicy,
    /// The stage limits of serious complaints: the plan, and the report to the general
    /// manager.
    pub stages: StagePolicy,
    /// What owners are told outside the app, and when SMS may go out.
    pub messages: crate::messages::MessagePolicy,
    /// The server's fixed UTC offset in minutes; 480 = Asia/Shanghai (no DST).
    pub utc_offset_minutes: i32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            grading: GradingPolicy::default(),
            sla: SlaPolicy::default(),
            groups: GroupPolicy::default(),
            approval: ApprovalPolicy::default(),
            escalation: EscalationPolicy::default(),
            revisit: RevisitPolicy::default(),
            stages: StagePolicy::default(),
            messages: crate::messages::MessagePolicy::default(),
            utc_offset_minutes: 480,
        }
    }
}

impl Policy {
    /// The zone local times are shown in; an out-of-range offset falls back to UTC+8
    /// (`validate` reports it).
    pub fn time_zone(&self) -> FixedOffset {
        self.utc_offset_minutes
            .checked_mul(60)
            .and_then(FixedOffset::east_opt)
            .unwrap_or(SHANGHAI)
    }

    /// Checks that thresholds are ordered and durations positive; lists every problem found.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        self.grading.check(&mut problems);
        self.sla.check(&mut problems);
        self.groups.check(&mut problems);
        self.approval.check(&mut problems);
        self.escalation.check(&mut problems);
        self.revisit.check(&mut problems);
        self.stages.check(&mut problems);
        self.messages.check(&mut problems);
        if self.utc_offset_minutes.abs() >= 24 * 60 {
            problems.push(format!(
                "utc_offset_minutes ({}) must be within ±1439",
                self.utc_offset_minutes
            ));
        }
        // The same spec rule ("≥ 3 complainants raises the level to 2, ≥ 10 to 1") is read by
        // grading and by group detection: the two copies must agree.
        let g = &self.grading;
        if g.same_issue_level_1_complainants != self.groups.level_1_complainants
            || g.same_issue_level_2_complainants != self.groups.level_2_complainants
        {
            problems.push(
                "grading.same_issue_level_*_complainants must equal groups.level_*_complainants"
                    .to_owned(),
            );
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// Pushes a problem unless `higher > lower` (a more severe tier needs a larger threshold).
fn ordered(problems: &mut Vec<String>, higher: (&str, u64), lower: (&str, u64)) {
    if higher.1 <= lower.1 {
        problems.push(format!(
            "{} ({}) must be greater than {} ({})",
            higher.0, higher.1, lower.0, lower.1
        ));
    }
}

/// Pushes a problem unless `value >= min`.
fn at_least(problems: &mut Vec<String>, name: &str, value: u64, min: u64) {
    if value < min {
        problems.push(format!("{name} ({value}) must be at least {min}"));
    }
}
