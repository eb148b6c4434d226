//! domain.md "Severity", "Made precise for the grading function": one row per row of the
//! spec's table, with both sides of every threshold.

use domain::{grade, GradingPolicy, Impact, IntakeFacts, Lang, Level, RiskFlag, Rule};

/// Facts of a lone owner with nothing special, changed by `change`.
fn facts(change: impl FnOnce(&mut IntakeFacts)) -> IntakeFacts {
    let mut f = IntakeFacts::default();
    change(&mut f);
    f
}

/// (what the row says, facts, level it forces, rule that fires first)
type Row = (&'static str, IntakeFacts, Level, Rule);

fn check(rows: Vec<Row>) {
    let policy = GradingPolicy::default();
    for (row, facts, level, rule) in rows {
        let g = grade(&facts, &policy);
        assert_eq!(g.level, level, "{row}: level");
        assert_eq!(g.reasons[0].rule, rule, "{row}: first reason");
        assert_eq!(g.reasons[0].level, level, "{row}: first reason's level");
    }
}

#[test]
fn media_protest_and_litigation_flags_force_level_one() {
    check(vec![
        (
            "flag media",
            facts(|f| f.flags = [RiskFlag::Media].into()),
            Level::One,
            Rule::MediaExposure,
        ),
        (
            "flag protest",
            facts(|f| f.flags = [RiskFlag::Protest].into()),
            Level::One,
            Rule::Protest,
        ),
        (
            "flag litigation",
            facts(|f| f.flags = [RiskFlag::Litigation].into()),
            Level::One,
            Rule::Litigation,
        ),
    ]);
}

#[test]
fn lawyer_and_government_flags_force_level_two() {
    check(vec![
        (
            "flag lawyer",
            facts(|f| f.flags = [RiskFlag::Lawyer].into()),
            Level::Two,
            Rule::LawyerThreat,
        ),
        (
            "flag government",
            facts(|f| f.flags = [RiskFlag::Government].into()),
            Level::Two,
            Rule::Government,
        ),
    ]);
}

#[test]
fn impact_severe_impaired_cosmetic_force_one_two_three_and_none_nothing() {
    check(vec![
        (
            "impact severe",
            facts(|f| f.impact = Impact::Severe),
            Level::One,
            Rule::ImpactSevere,
        ),
        (
            "impact impaired",
            facts(|f| f.impact = Impact::Impaired),
            Level::Two,
            Rule::ImpactImpaired,
        ),
        (
            "impact cosmetic",
            facts(|f| f.impact = Impact::Cosmetic),
            Level::Three,
            Rule::ImpactCosmetic,
        ),
        (
            "impact none",
            facts(|f| f.impact = Impact::None),
            Level::Four,
            Rule::Routine,
        ),
    ]);
}

#[test]
fn ten_people_together_is_level_one_and_nine_is_level_two() {
    check(vec![
        (
            "10 people",
            facts(|f| f.people_count = 10),
            Level::One,
            Rule::GroupOfTen,
        ),
        (
            "40 people",
            facts(|f| f.people_count = 40),
            Level::One,
            Rule::GroupOfTen,
        ),
        (
            "9 people",
            facts(|f| f.people_count = 9),
            Level::Two,
            Rule::GroupOfThree,
        ),
    ]);
}

#[test]
fn three_people_is_level_two_two_people_level_three_one_person_routine() {
    check(vec![
        (
            "3 people",
            facts(|f| f.people_count = 3),
            Level::Two,
            Rule::GroupOfThree,
        ),
        (
            "2 people",
            facts(|f| f.people_count = 2),
            Level::Three,
            Rule::GroupOfTwo,
        ),
        (
            "1 person",
            facts(|f| f.people_count = 1),
            Level::Four,
            Rule::Routine,
        ),
        (
            "0 reads as 1",
            facts(|f| f.people_count = 0),
            Level::Four,
            Rule::Routine,
        ),
    ]);
}

#[test]
fn ten_thousand_yuan_is_level_one_and_any_amount_level_two() {
    check(vec![
        (
            "¥10,000",
            facts(|f| f.claimed_amount_fen = 1_000_000),
            Level::One,
            Rule::AmountMajor,
        ),
        (
            "¥9,999.99",
            facts(|f| f.claimed_amount_fen = 999_999),
            Level::Two,
            Rule::AmountAny,
        ),
        (
            "¥0.01",
            facts(|f| f.claimed_amount_fen = 1),
            Level::Two,
            Rule::AmountAny,
        ),
        (
            "¥0",
            facts(|f| f.claimed_amount_fen = 0),
            Level::Four,
            Rule::Routine,
        ),
    ]);
}

#[test]
fn ten_complainants_of_the_same_issue_is_level_one_three_is_level_two() {
    check(vec![
        (
            "10 complainants",
            facts(|f| f.same_issue_complainants_30d = 10),
            Level::One,
            Rule::SameIssueTen,
        ),
        (
            "9 complainants",
            facts(|f| f.same_issue_complainants_30d = 9),
            Level::Two,
            Rule::SameIssueThree,
        ),
        (
            "3 complainants",
            facts(|f| f.same_issue_complainants_30d = 3),
            Level::Two,
            Rule::SameIssueThree,
        ),
        (
            "2 complainants",
            facts(|f| f.same_issue_complainants_30d = 2),
            Level::Four,
            Rule::Routine,
        ),
    ]);
}

#[test]
fn thirty_days_unresolved_is_level_one_fifteen_is_level_two() {
    check(vec![
        (
            "30 days",
            facts(|f| f.days_unresolved = 30),
            Level::One,
            Rule::Unresolved30Days,
        ),
        (
            "29 days",
            facts(|f| f.days_unresolved = 29),
            Level::Two,
            Rule::Unresolved15Days,
        ),
        (
            "15 days",
            facts(|f| f.days_unresolved = 15),
            Level::Two,
            Rule::Unresolved15Days,
        ),
        (
            "14 days",
            facts(|f| f.days_unresolved = 14),
            Level::Four,
            Rule::Routine,
        ),
    ]);
}

#[test]
fn a_repeat_is_level_three() {
    check(vec![
        (
            "repeat",
            facts(|f| f.repeat = true),
            Level::Three,
            Rule::Repeat,
        ),
        (
            "not a repeat",
            facts(|f| f.repeat = false),
            Level::Four,
            Rule::Routine,
        ),
    ]);
}

#[test]
fn none_of_the_above_is_a_routine_level_four() {
    let g = grade(&IntakeFacts::default(), &GradingPolicy::default());
    assert_eq!(g.level, Level::Four);
    assert_eq!(g.reasons.len(), 1);
    assert_eq!(g.reasons[0].rule, Rule::Routine);
}

#[test]
fn the_most_severe_rule_wins_and_every_rule_that_fired_is_listed() {
    let f = facts(|f| {
        f.people_count = 4;
        f.repeat = true;
        f.claimed_amount_fen = 2_000_000;
        f.impact = Impact::Cosmetic;
    });
    let g = grade(&f, &GradingPolicy::default());
    let rules: Vec<Rule> = g.reasons.iter().map(|r| r.rule).collect();
    assert_eq!(g.level, Level::One);
    assert_eq!(
        rules,
        [
            Rule::AmountMajor,
            Rule::GroupOfThree,
            Rule::ImpactCosmetic,
            Rule::Repeat
        ]
    );
    assert!(!rules.contains(&Rule::Routine));
}

#[test]
fn reasons_name_the_fact_in_both_languages() {
    let g = grade(&facts(|f| f.people_count = 12), &GradingPolicy::default());
    assert_eq!(
        g.reasons[0].message.get(Lang::Zh),
        "10人及以上集体投诉(12人)"
    );
    assert_eq!(
        g.reasons[0].message.get(Lang::En),
        "Group complaint of 10 or more people (12)"
    );
    let g = grade(
        &facts(|f| f.claimed_amount_fen = 1_234_500),
        &GradingPolicy::default(),
    );
    assert_eq!(
        g.reasons[0].message.get(Lang::Zh),
        "维修/赔偿金额达到¥10,000(¥12,345)"
    );
}

#[test]
fn thresholds_come_from_the_policy_not_the_code() {
    // The Vanke variant (domain.md "Severity"): 热点 after one week instead of 15 days.
    let vanke = GradingPolicy {
        raise_to_level_2_after_days: 7,
        ..GradingPolicy::default()
    };
    let week = facts(|f| f.days_unresolved = 7);
    assert_eq!(grade(&week, &vanke).level, Level::Two);
    assert_eq!(grade(&week, &GradingPolicy::default()).level, Level::Four);
    let mut strict = GradingPolicy::default();
    strict.flag_levels.government = Level::One;
    let gov = facts(|f| f.flags = [RiskFlag::Government].into());
    assert_eq!(grade(&gov, &strict).level, Level::One);
}

#[test]
fn grades_travel_as_snake_case_json() {
    let g = grade(&facts(|f| f.repeat = true), &GradingPolicy::default());
    let json = serde_json::to_value(&g).unwrap();
    assert_eq!(json["level"], 3);
    assert_eq!(json["reasons"][0]["rule"], "repeat");
    assert_eq!(
        json["reasons"][0]["message"]["zh"],
        "处理完毕后再次投诉(重复投诉)"
    );
    let back: domain::Grade = serde_json::from_value(json).unwrap();
    assert_eq!(back, g);
}
