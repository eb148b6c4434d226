//! Invariants of grading (rules.md "Severity"): automatic re-grading never lowers the level,
//! more facts never make a complaint less severe, and the level is its top reason's.

use domain::{escalate, grade, GradingPolicy, Impact, IntakeFacts, Level, RiskFlag, Rule};
use proptest::prelude::*;

fn level() -> impl Strategy<Value = Level> {
    prop::sample::select(Level::ALL.to_vec())
}

fn facts() -> impl Strategy<Value = IntakeFacts> {
    (
        0u32..30,
        prop_oneof![Just(0u64), 0u64..2_000_000],
        prop::collection::btree_set(prop::sample::select(RiskFlag::ALL.to_vec()), 0..3),
        prop::sample::select(Impact::ALL.to_vec()),
        any::<bool>(),
        0u32..15,
        0u32..45,
    )
        .prop_map(
            |(people, amount, flags, impact, repeat, same, days)| IntakeFacts {
                people_count: people,
                claimed_amount_fen: amount,
                flags,
                impact,
                repeat,
                same_issue_complainants_30d: same,
                days_unresolved: days,
            },
        )
}

/// `a` is at least as severe as `b`.
fn at_least(a: Level, b: Level) -> bool {
    !b.is_more_severe_than(a)
}

proptest! {
    #[test]
    fn an_automatic_level_is_raised_to_what_the_facts_force(before in facts(), after in facts()) {
        // A level the rules set (no override): escalating from the facts it was set on raises it
        // to the grade of the facts now whenever that is more severe (what `regrade` did).
        let policy = GradingPolicy::default();
        let current = grade(&before, &policy).level;
        let fresh = grade(&after, &policy).level;
        match escalate(current, &before, &after, &policy) {
            Some(e) => {
                prop_assert_eq!(e.grade.level, fresh);
                prop_assert_eq!(e.grade.reasons[0].level, e.grade.level);
                prop_assert!(!e.raised_by().is_empty());
            }
            None => prop_assert!(!fresh.is_more_severe_than(current)),
        }
    }

    #[test]
    fn more_facts_never_lower_the_grade(f in facts(), extra in facts()) {
        let policy = GradingPolicy::default();
        let mut more = f.clone();
        more.people_count = f.people_count.max(extra.people_count);
        more.claimed_amount_fen = f.claimed_amount_fen.max(extra.claimed_amount_fen);
        more.flags.extend(extra.flags.iter().copied());
        more.repeat |= extra.repeat;
        more.same_issue_complainants_30d =
            f.same_issue_complainants_30d.max(extra.same_issue_complainants_30d);
        more.days_unresolved = f.days_unresolved.max(extra.days_unresolved);
        prop_assert!(at_least(grade(&more, &policy).level, grade(&f, &policy).level));
    }

    #[test]
    fn the_level_is_the_most_severe_reason_and_routine_stands_alone(f in facts()) {
        let g = grade(&f, &GradingPolicy::default());
        prop_assert!(!g.reasons.is_empty());
        prop_assert!(g.reasons.windows(2).all(|w| at_least(w[0].level, w[1].level)));
        prop_assert_eq!(g.reasons[0].level, g.level);
        let routine = g.reasons.iter().any(|r| r.rule == Rule::Routine);
        prop_assert_eq!(routine, g.reasons.len() == 1 && g.level == Level::Four);
    }

    #[test]
    fn escalation_only_ever_raises(current in level(), before in facts(), after in facts()) {
        if let Some(e) = escalate(current, &before, &after, &GradingPolicy::default()) {
            prop_assert!(e.grade.level.is_more_severe_than(current));
            prop_assert_eq!(e.from, current);
            prop_assert!(e.raised_by().iter().all(|r| r.level.is_more_severe_than(current)));
        }
    }

    #[test]
    fn nothing_new_raises_nothing(current in level(), f in facts()) {
        prop_assert!(escalate(current, &f, &f, &GradingPolicy::default()).is_none());
    }
}
