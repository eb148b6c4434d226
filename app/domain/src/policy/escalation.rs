//! Who must be told, and must act, as a complaint grows serious or its clocks run out
//! (rules.md "Chain of responsibility"; seed 000: level 1 → 公司主要负责人 at once, groups →
//! 部门经理 and 分管副总 "第一时间出面"; "超越处理权限的…应尽快主动上报").
//!
//! People are named by position (`Approver` codes), so the administrator's mapping of
//! positions to people decides who is reached. A breach goes up the ladder one rung at
//! once; a breach that persists for another `rung_after_hours` goes up again, to the top.

use serde::{Deserialize, Serialize};

use crate::authority::Approver;

/// Who is told at each level, for groups, and the ladder breaches climb.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EscalationPolicy {
    /// Told at once when a complaint is (or becomes) level 1 (重大/紧急).
    pub level_1: Vec<Approver>,
    /// Told when a level-2 complaint is assigned to their department.
    pub level_2: Vec<Approver>,
    /// Told when same-issue complaints form a group (群诉).
    pub group: Vec<Approver>,
    /// The ladder a breached clock climbs: the first rung at the breach, the next after
    /// each further `rung_after_hours` it stays breached.
    pub ladder: Vec<Approver>,
    /// Hours (calendar) a breach must persist to climb one more rung.
    pub rung_after_hours: u32,
}

impl Default for EscalationPolicy {
    fn default() -> Self {
        EscalationPolicy {
            level_1: vec![Approver::Supervisor, Approver::GeneralManager],
            level_2: vec![Approver::DepartmentManager],
            group: vec![
                Approver::Supervisor,
                Approver::DepartmentManager,
                Approver::DeputyGm,
            ],
            ladder: vec![
                Approver::Supervisor,
                Approver::DepartmentManager,
                Approver::DeputyGm,
                Approver::GeneralManager,
            ],
            rung_after_hours: 24,
        }
    }
}

impl EscalationPolicy {
    /// The rung a clock breached for `breached_minutes` has reached (0: the first).
    pub fn rung_for(&self, breached_minutes: i64) -> usize {
        let last = self.ladder.len().saturating_sub(1);
        let window = i64::from(self.rung_after_hours.max(1)) * 60;
        usize::try_from(breached_minutes.max(0) / window)
            .unwrap_or(usize::MAX)
            .min(last)
    }

    /// Whether rung `rung` is the top of the ladder.
    pub fn is_top(&self, rung: usize) -> bool {
        rung + 1 >= self.ladder.len()
    }

    /// Lists every problem found.
    pub fn check(&self, problems: &mut Vec<String>) {
        if self.ladder.is_empty() {
            problems.push("escalation.ladder must name at least one rung".to_owned());
        }
        if self.rung_after_hours == 0 {
            problems.push("escalation.rung_after_hours must be at least 1".to_owned());
        }
        if self.level_1.is_empty() {
            problems
                .push("escalation.level_1 must name who is told of a level-1 complaint".to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_breach_climbs_one_rung_per_window_up_to_the_top() {
        let p = EscalationPolicy::default();
        assert_eq!(p.rung_for(0), 0);
        assert_eq!(p.rung_for(24 * 60 - 1), 0);
        assert_eq!(p.rung_for(24 * 60), 1);
        assert_eq!(p.rung_for(48 * 60), 2);
        assert_eq!(p.rung_for(72 * 60), 3);
        assert_eq!(
            p.rung_for(30 * 24 * 60),
            3,
            "the top is the general manager"
        );
        assert_eq!(p.ladder[p.rung_for(72 * 60)], Approver::GeneralManager);
        assert!(p.is_top(3) && !p.is_top(2));
        assert_eq!(p.rung_for(-5), 0);
    }

    #[test]
    fn the_defaults_follow_the_seeds_and_an_empty_ladder_is_refused() {
        let p = EscalationPolicy::default();
        assert!(p.level_1.contains(&Approver::GeneralManager));
        assert!(
            p.group.contains(&Approver::DepartmentManager) && p.group.contains(&Approver::DeputyGm)
        );
        assert_eq!(p.level_2, [Approver::DepartmentManager]);
        let mut problems = Vec::new();
        p.check(&mut problems);
        assert!(problems.is_empty());
        let bad = EscalationPolicy {
            ladder: Vec::new(),
            rung_after_hours: 0,
            ..p
        };
        bad.check(&mut problems);
        assert_eq!(problems.len(), 2);
    }
}
