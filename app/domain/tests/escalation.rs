//! A level set by hand stays (rules.md, Amendments: "Manual level"): automatic re-grades
//! raise it only on facts that are new since the override, never lower it, and say which fact
//! raised it. "New" compares the facts at the override with the facts now, row by row of the
//! table (app/domain/docs/grading.md, "Manual levels and escalation").

use domain::grading::{GradingPolicy, IntakeFacts, ManualOverride};
use domain::{escalate, grade, new_reasons, with_agreed_amount, Impact, Level, RiskFlag, Rule};

fn policy() -> GradingPolicy {
    GradingPolicy::default()
}

/// A complaint that graded 1 (media), lowered by hand to 3 on `day`.
fn lowered_on(day: u32) -> (Level, IntakeFacts) {
    let facts = IntakeFacts {
        flags: [RiskFlag::Media].into(),
        days_unresolved: day,
        ..IntakeFacts::default()
    };
    assert_eq!(grade(&facts, &policy()).level, Level::One);
    let manual = ManualOverride::new(Level::Three, "业主已撤回媒体投诉,媒体未介入").unwrap();
    (manual.level(), facts)
}

fn on_day(basis: &IntakeFacts, day: u32) -> IntakeFacts {
    IntakeFacts {
        days_unresolved: day,
        ..basis.clone()
    }
}

#[test]
fn facts_known_at_the_override_never_undo_it() {
    let (level, basis) = lowered_on(2);
    for day in 2..15 {
        assert_eq!(
            escalate(level, &basis, &on_day(&basis, day), &policy()),
            None,
            "day {day}: the media flag was known when the level was set"
        );
    }
}

#[test]
fn a_new_fact_after_the_override_raises_it_and_says_which() {
    let (level, basis) = lowered_on(2);
    let group = IntakeFacts {
        same_issue_complainants_30d: 3,
        days_unresolved: 5,
        ..basis.clone()
    };
    let raised = escalate(level, &basis, &group, &policy()).expect("a raise");
    assert_eq!(raised.from, Level::Three);
    assert_eq!(
        raised.grade.level,
        Level::Two,
        "to the new fact's level, not back to 1"
    );
    let by: Vec<Rule> = raised.raised_by().iter().map(|r| r.rule).collect();
    assert_eq!(by, [Rule::SameIssueThree]);
    let text = raised.timeline_text();
    assert_eq!(
        text.zh,
        "因新情况升级为二级：同一问题已有3位不同业主投诉（达到3位）"
    );
    assert_eq!(
        text.en,
        "Raised to Level 2 on new facts: 3 different complainants raised the same issue (3 or more)"
    );
}

#[test]
fn fifteen_days_passing_after_an_override_set_on_day_ten_is_new() {
    let (level, basis) = lowered_on(10);
    assert_eq!(
        escalate(level, &basis, &on_day(&basis, 14), &policy()),
        None
    );
    let raised = escalate(level, &basis, &on_day(&basis, 15), &policy()).unwrap();
    assert_eq!(raised.grade.level, Level::Two);
    assert_eq!(raised.grade.reasons[0].rule, Rule::Unresolved15Days);
}

#[test]
fn an_override_set_after_day_fifteen_is_not_reverted_by_the_fifteen_day_tick() {
    // The SLA job re-grades at every tick: day 16 to 29 bring nothing new, since the 15 days
    // had passed when the level was set; only a month (a new row) raises it, to 1, saying so.
    let (level, basis) = lowered_on(16);
    for day in 16..30 {
        assert_eq!(
            escalate(level, &basis, &on_day(&basis, day), &policy()),
            None,
            "day {day}"
        );
    }
    let raised = escalate(level, &basis, &on_day(&basis, 30), &policy()).unwrap();
    assert_eq!(raised.grade.level, Level::One);
    assert_eq!(
        raised.timeline_text().zh,
        "因新情况升级为一级（重大）：因我方原因已30天未解决（达到30天）"
    );
}

#[test]
fn a_fact_that_shrank_is_not_new() {
    let basis = IntakeFacts {
        people_count: 12,
        ..IntakeFacts::default()
    };
    let fewer = IntakeFacts {
        people_count: 5,
        ..basis.clone()
    };
    assert_eq!(escalate(Level::Three, &basis, &fewer, &policy()), None);
    let more = IntakeFacts {
        people_count: 12,
        ..IntakeFacts::default()
    };
    let four = IntakeFacts {
        people_count: 4,
        ..IntakeFacts::default()
    };
    let raised = escalate(Level::Three, &four, &more, &policy()).unwrap();
    assert_eq!(
        raised.grade.reasons[0].rule,
        Rule::GroupOfTen,
        "a higher tier is new"
    );
}

#[test]
fn a_threat_that_came_true_is_new() {
    let basis = IntakeFacts {
        flags: [RiskFlag::MediaThreat].into(),
        ..IntakeFacts::default()
    };
    let now = IntakeFacts {
        flags: [RiskFlag::MediaThreat, RiskFlag::Media].into(),
        ..IntakeFacts::default()
    };
    let raised = escalate(Level::Three, &basis, &now, &policy()).unwrap();
    assert_eq!(raised.grade.level, Level::One);
    assert_eq!(raised.grade.reasons[0].rule, Rule::MediaExposure);
}

#[test]
fn a_level_raised_by_hand_is_never_lowered() {
    let basis = IntakeFacts::default();
    let now = IntakeFacts {
        impact: Impact::Cosmetic,
        days_unresolved: 20,
        ..IntakeFacts::default()
    };
    assert_eq!(escalate(Level::One, &basis, &now, &policy()), None);
}

#[test]
fn agreeing_twelve_thousand_on_a_level_three_complaint_makes_it_level_one_at_once() {
    let basis = IntakeFacts {
        impact: Impact::Cosmetic,
        days_unresolved: 3,
        ..IntakeFacts::default()
    };
    assert_eq!(grade(&basis, &policy()).level, Level::Three);
    let agreed = with_agreed_amount(&basis, 1_200_000);
    assert_eq!(agreed.claimed_amount_fen, 1_200_000);
    let raised = escalate(Level::Three, &basis, &agreed, &policy()).unwrap();
    assert_eq!(raised.grade.level, Level::One);
    assert_eq!(
        raised.timeline_text().zh,
        "因新情况升级为一级（重大）：维修或赔偿金额¥12,000，达到¥10,000"
    );
    assert_eq!(
        raised.timeline_text().en,
        "Raised to Level 1 (major) on new facts: Repair or compensation of ¥12,000, at or above ¥10,000"
    );
    // An agreement below a larger claim keeps the claim.
    let claimed = IntakeFacts {
        claimed_amount_fen: 2_000_000,
        ..IntakeFacts::default()
    };
    assert_eq!(
        with_agreed_amount(&claimed, 500_000).claimed_amount_fen,
        2_000_000
    );
}

#[test]
fn an_unsatisfied_revisit_is_a_new_repeat() {
    // Lowered by hand to 4; the owner is not satisfied: the repeat is new and raises it to 3.
    let basis = IntakeFacts {
        impact: Impact::Impaired,
        ..IntakeFacts::default()
    };
    let reopened = IntakeFacts {
        repeat: true,
        ..basis.clone()
    };
    let raised = escalate(Level::Four, &basis, &reopened, &policy()).unwrap();
    assert_eq!(raised.grade.level, Level::Three);
    // At the rules' own level 2 it raises nothing, but the record may list the new reason.
    assert_eq!(escalate(Level::Two, &basis, &reopened, &policy()), None);
    let extra: Vec<Rule> = new_reasons(&basis, &reopened, &policy())
        .iter()
        .map(|r| r.rule)
        .collect();
    assert_eq!(extra, [Rule::Repeat]);
}
