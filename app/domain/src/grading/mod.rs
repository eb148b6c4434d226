//! Severity grading (rules.md "Severity"): the level is the most severe one any rule forces.
//! Automatic re-grading only ever raises, and only on facts that are new since the level was
//! set; a staff member may set the level by hand, with a reason (rules.md, Amendments:
//! "Manual level"). The table as implemented, stated facts and text cues, and escalation are
//! written up in app/domain/docs/grading.md.

mod manual;
mod rules;
mod stated;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub use self::manual::{ManualOverride, OverrideError};
pub use self::rules::{Reason, Rule};
pub use self::stated::StatedFacts;
use crate::lang::{Lang, Text};
pub use crate::policy::{FlagLevels, GradingPolicy, ImpactLevels};
use crate::vocab::{Impact, Level, RiskFlag};

/// The facts the grading table reads, known at intake or learned later (rules.md "Severity").
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

/// A raise by facts that are new since the level was set: the level before, the new grade
/// (only the reasons that newly fired, most severe first), and the words for the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    /// The level before the raise.
    pub from: Level,
    /// The new level with every reason that newly fired, most severe first.
    pub grade: Grade,
}

impl Escalation {
    /// The new reasons that are above the level before: the facts that raised it.
    pub fn raised_by(&self) -> Vec<&Reason> {
        self.grade
            .reasons
            .iter()
            .filter(|r| r.level.is_more_severe_than(self.from))
            .collect()
    }

    /// The timeline's sentence: "因新情况升级为二级:因我方原因已16天未解决(达到15天)" /
    /// "Raised to Level 2 on new facts: unresolved for 16 days … ".
    pub fn timeline_text(&self) -> Text {
        let joined = |lang: Lang, sep: &str| {
            self.raised_by()
                .iter()
                .map(|r| r.message.get(lang))
                .collect::<Vec<_>>()
                .join(sep)
        };
        let to = self.grade.level;
        Text::new(
            format!(
                "因新情况升级为{}：{}",
                to.label(Lang::Zh),
                joined(Lang::Zh, ";")
            ),
            format!(
                "Raised to {} on new facts: {}",
                to.label(Lang::En),
                joined(Lang::En, "; ")
            ),
        )
    }
}

/// The raise that facts learned since `basis` force, if it is above `current`; `None`: keep
/// the current level. Every automatic re-grade (time passing, a group forming, a repeat, an
/// agreed amount) goes through here, whether the level was set by the rules or by hand.
///
/// `basis` is what was known when the current level was set: the facts at filing, at the
/// manual override, or at the last automatic raise (with `days_unresolved` as it was then).
/// A reason is new when its row of the table did not fire at `basis` at the same or a more
/// severe tier: days passing 15 are new for a level set on day 10 and not for one set on day
/// 16, which only day 30 raises again; 12 people where 4 were known is new, 5 is not, and 3
/// where 12 were known never is. So a level lowered by hand is not undone by facts its setter
/// already knew, and nothing here ever lowers a level.
pub fn escalate(
    current: Level,
    basis: &IntakeFacts,
    now: &IntakeFacts,
    policy: &GradingPolicy,
) -> Option<Escalation> {
    let new = new_reasons(basis, now, policy);
    if new.is_empty() {
        return None;
    }
    let raised = Grade::from_reasons(new);
    raised
        .level
        .is_more_severe_than(current)
        .then_some(Escalation {
            from: current,
            grade: raised,
        })
}

/// The reasons that fired at `now` and are new since `basis` (see [`escalate`]), most severe
/// first; empty when nothing is new. A reason at or below the current level does not raise
/// it, but a record may still list it ("one more reason, same level").
pub fn new_reasons(basis: &IntakeFacts, now: &IntakeFacts, policy: &GradingPolicy) -> Vec<Reason> {
    let known = fired(basis, policy);
    let mut new: Vec<Reason> = fired(now, policy)
        .into_iter()
        .filter(|r| {
            !known
                .iter()
                .any(|k| same_row(k.rule, r.rule) && !r.level.is_more_severe_than(k.level))
        })
        .collect();
    new.sort_by_key(|r| r.level.number());
    new
}

/// The facts with an amount agreed (a solution's compensation or repair cost): the table
/// reads "claimed or agreed amount", so the larger of the two counts. Re-grade at once with
/// `escalate(current, basis, &with_agreed_amount(now, amount), policy)`: agreeing ¥12,000 on
/// a level-3 complaint makes it level 1 there and then.
pub fn with_agreed_amount(facts: &IntakeFacts, agreed_fen: u64) -> IntakeFacts {
    IntakeFacts {
        claimed_amount_fen: facts.claimed_amount_fen.max(agreed_fen),
        ..facts.clone()
    }
}

/// True when two rules are tiers of one row of the table (people, amount, same issue, days,
/// impact); every flag and the repeat are rows of their own.
fn same_row(a: Rule, b: Rule) -> bool {
    use Rule::*;
    let row = |r: Rule| match r {
        GroupOfTen | GroupOfThree | GroupOfTwo => Some(0),
        AmountMajor | AmountAny => Some(1),
        SameIssueTen | SameIssueThree => Some(2),
        Unresolved30Days | Unresolved15Days => Some(3),
        ImpactSevere | ImpactImpaired | ImpactCosmetic => Some(4),
        _ => None,
    };
    a == b || (row(a).is_some() && row(a) == row(b))
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
        assert_eq!(raised.grade.level, Level::Two);
        assert_eq!(raised.grade.reasons[0].rule, Rule::Unresolved15Days);
        assert_eq!(
            raised.timeline_text().zh,
            "因新情况升级为二级：因我方原因已16天未解决（达到15天）"
        );
    }
}
