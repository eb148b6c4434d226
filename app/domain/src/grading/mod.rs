//! Severity grading (domain.md "Severity"): the level is the most severe one any rule forces.
//! Automatic re-grading only ever raises; a staff member may set the level by hand, with a reason.

mod manual;
mod rules;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub use self::manual::{ManualOverride, OverrideError};
pub use self::rules::{Reason, Rule};
pub use crate::policy::{FlagLevels, GradingPolicy, ImpactLevels};
use crate::vocab::{Impact, Level, RiskFlag};

/// The facts the grading table reads, known at intake or learned later (domain.md "Severity").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IntakeFacts {
    /// People jointly complaining (at least 1; 0 reads as 1).
    pub people_count: u32,
    /// Claimed or agreed repair/compensation amount, in fen.
    pub claimed_amount_fen: u64,
    /// Risk flags set by the owner or the agent.
    pub flags: BTreeSet<RiskFlag>,
    /// How much the problem affects use of the home.
    pub impact: Impact,
    /// A second complaint after the first was handled.
    pub repeat: bool,
    /// Distinct complainants of the same issue within the group window, this one included.
    pub same_issue_complainants_30d: u32,
    /// Whole days unresolved for reasons on our side (see `sla::days_unresolved`).
    pub days_unresolved: u32,
}

impl Default for IntakeFacts {
    fn default() -> Self {
        IntakeFacts {
            people_count: 1,
            claimed_amount_fen: 0,
            flags: BTreeSet::new(),
            impact: Impact::None,
            repeat: false,
            same_issue_complainants_30d: 0,
            days_unresolved: 0,
        }
    }
}

/// A level and every rule that fired, most severe first (`Routine` only when none did).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    /// The most severe level any reason forces.
    pub level: Level,
    /// Every rule that fired, most severe first; never empty.
    pub reasons: Vec<Reason>,
}

impl Grade {
    /// Sorts `reasons` most severe first (table order within a level) and takes the top level.
    fn from_reasons(mut reasons: Vec<Reason>) -> Grade {
        reasons.sort_by_key(|r| r.level.number());
        match reasons.first() {
            Some(top) => Grade {
                level: top.level,
                reasons,
            },
            None => Grade {
                level: Level::Four,
                reasons: vec![Reason::plain(Rule::Routine, Level::Four)],
            },
        }
    }
}

/// Grades the facts by the spec's table: the most severe level any row forces, or 4.
pub fn grade(facts: &IntakeFacts, policy: &GradingPolicy) -> Grade {
    Grade::from_reasons(fired(facts, policy))
}

/// Grades again without ever going below `current` (domain.md: "automatic changes only ever
/// raise the level"). When `current` is kept, a `KeptLevel` reason comes first.
pub fn regrade(current: Level, facts: &IntakeFacts, policy: &GradingPolicy) -> Grade {
    let fresh = grade(facts, policy);
    if !current.is_more_severe_than(fresh.level) {
        return fresh;
    }
    let mut reasons = vec![Reason::kept(current)];
    reasons.extend(
        fresh
            .reasons
            .into_iter()
            .filter(|r| r.rule != Rule::Routine),
    );
    Grade {
        level: current,
        reasons,
    }
}

/// The raise that facts learned since `before` force, if it is above `current`: only the rules
/// that newly fired count, so a level lowered by hand is not undone by facts already known then.
/// `None`: keep the current level.
pub fn escalate(
    current: Level,
    before: &IntakeFacts,
    after: &IntakeFacts,
    policy: &GradingPolicy,
) -> Option<Grade> {
    let known: Vec<Rule> = fired(before, policy).into_iter().map(|r| r.rule).collect();
    let new: Vec<Reason> = fired(after, policy)
        .into_iter()
        .filter(|r| !known.contains(&r.rule))
        .collect();
    let raised = Grade::from_reasons(new);
    raised.level.is_more_severe_than(current).then_some(raised)
}

/// One tier of a tiered row: the minimum, the rule, the level it forces.
type Tier = (u64, Rule, Level);

/// Every row of the table that `facts` trigger, in table order.
fn fired(facts: &IntakeFacts, policy: &GradingPolicy) -> Vec<Reason> {
    let mut reasons = Vec::new();
    for (flag, rule) in [
        (RiskFlag::Media, Rule::MediaExposure),
        (RiskFlag::Protest, Rule::Protest),
        (RiskFlag::Litigation, Rule::Litigation),
        (RiskFlag::Lawyer, Rule::LawyerThreat),
        (RiskFlag::MediaThreat, Rule::ExposureThreat),
        (RiskFlag::Government, Rule::Government),
    ] {
        if facts.flags.contains(&flag) {
            reasons.push(Reason::plain(rule, policy.flag_levels.level(flag)));
        }
    }
    let impact = &policy.impact_levels;
    match facts.impact {
        Impact::Severe => reasons.push(Reason::plain(Rule::ImpactSevere, impact.severe)),
        Impact::Impaired => reasons.push(Reason::plain(Rule::ImpactImpaired, impact.impaired)),
        Impact::Cosmetic => reasons.push(Reason::plain(Rule::ImpactCosmetic, impact.cosmetic)),
        Impact::None => {}
    }
    let p = policy;
    let tiers: [(u64, &[Tier]); 4] = [
        (
            u64::from(facts.people_count),
            &[
                (p.group_level_1_people.into(), Rule::GroupOfTen, Level::One),
                (
                    p.group_level_2_people.into(),
                    Rule::GroupOfThree,
                    Level::Two,
                ),
                (
                    p.group_level_3_people.into(),
                    Rule::GroupOfTwo,
                    Level::Three,
                ),
            ],
        ),
        (
            facts.claimed_amount_fen,
            &[
                (p.amount_level_1_fen, Rule::AmountMajor, Level::One),
                (p.amount_level_2_fen, Rule::AmountAny, Level::Two),
            ],
        ),
        (
            u64::from(facts.same_issue_complainants_30d),
            &[
                (
                    p.same_issue_level_1_complainants.into(),
                    Rule::SameIssueTen,
                    Level::One,
                ),
                (
                    p.same_issue_level_2_complainants.into(),
                    Rule::SameIssueThree,
                    Level::Two,
                ),
            ],
        ),
        (
            u64::from(facts.days_unresolved),
            &[
                (
                    p.raise_to_level_1_after_days.into(),
                    Rule::Unresolved30Days,
                    Level::One,
                ),
                (
                    p.raise_to_level_2_after_days.into(),
                    Rule::Unresolved15Days,
                    Level::Two,
                ),
            ],
        ),
    ];
    for (actual, rows) in tiers {
        // Rows are ranges ("≥ 10 / 3–9 / 2"): only the highest tier reached fires.
        if let Some(&(threshold, rule, level)) = rows.iter().find(|(t, _, _)| actual >= *t) {
            reasons.push(Reason::tiered(rule, level, threshold, actual));
        }
    }
    if facts.repeat {
        reasons.push(Reason::plain(Rule::Repeat, policy.repeat_level));
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_come_most_severe_first_and_set_the_level() {
        let facts = IntakeFacts {
            people_count: 2,
            flags: [RiskFlag::Government, RiskFlag::Media].into(),
            ..IntakeFacts::default()
        };
        let g = grade(&facts, &GradingPolicy::default());
        let rules: Vec<Rule> = g.reasons.iter().map(|r| r.rule).collect();
        assert_eq!(g.level, Level::One);
        assert_eq!(
            rules,
            [Rule::MediaExposure, Rule::Government, Rule::GroupOfTwo]
        );
    }

    #[test]
    fn a_level_lowered_by_hand_is_raised_only_by_new_facts() {
        let policy = GradingPolicy::default();
        let before = IntakeFacts {
            flags: [RiskFlag::Media].into(),
            ..IntakeFacts::default()
        };
        let later = IntakeFacts {
            days_unresolved: 3,
            ..before.clone()
        };
        assert_eq!(escalate(Level::Three, &before, &later, &policy), None);
        let overdue = IntakeFacts {
            days_unresolved: 16,
            ..before.clone()
        };
        let raised = escalate(Level::Three, &before, &overdue, &policy).unwrap();
        assert_eq!(raised.level, Level::Two);
        assert_eq!(raised.reasons[0].rule, Rule::Unresolved15Days);
    }
}
