//! rules.md "Severity", "Made precise for the grading function": one row per row of the
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
fn a_threat_of_media_exposure_or_protest_is_level_two_and_says_so() {
    // 000 (Vanke version): "可能引发法律诉讼或被媒体曝光的投诉" is a 热点 (level 2) complaint.
    check(vec![(
        "flag media_threat",
        facts(|f| f.flags = [RiskFlag::MediaThreat].into()),
        Level::Two,
        Rule::ExposureThreat,
    )]);
    let g = grade(
        &facts(|f| f.flags = [RiskFlag::MediaThreat].into()),
        &GradingPolicy::default(),
    );
    assert_eq!(
        g.reasons[0].message.get(Lang::Zh),
        "业主扬言找媒体曝光或维权（尚未发生）"
    );
    assert_eq!(RiskFlag::MediaThreat.code(), "media_threat");
    assert_eq!(RiskFlag::MediaThreat.label(Lang::Zh), "扬言曝光/维权");
    let mut strict = GradingPolicy::default();
    strict.flag_levels.media_threat = Level::One;
    let threat = facts(|f| f.flags = [RiskFlag::MediaThreat].into());
    assert_eq!(grade(&threat, &strict).level, Level::One, "configurable");
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
        "10人及以上集体投诉（12人）"
    );
    assert_eq!(
        g.reasons[0].message.get(Lang::En),
        "Group complaint of 10 or more people (12)"
    );
    // The amount reads as the fact first ("金额达到¥0.01(¥3,000)" read badly before).
    let g = grade(
        &facts(|f| f.claimed_amount_fen = 1_234_500),
        &GradingPolicy::default(),
    );
    assert_eq!(
        g.reasons[0].message.get(Lang::Zh),
        "维修或赔偿金额¥12,345，达到¥10,000"
    );
    assert_eq!(
        g.reasons[0].message.get(Lang::En),
        "Repair or compensation of ¥12,345, at or above ¥10,000"
    );
    let g = grade(
        &facts(|f| f.claimed_amount_fen = 300_000),
        &GradingPolicy::default(),
    );
    assert_eq!(
        g.reasons[0].message.get(Lang::Zh),
        "涉及维修或赔偿金额¥3,000"
    );
    assert_eq!(
        g.reasons[0].message.get(Lang::En),
        "Repair or compensation of ¥3,000 involved"
    );
    let g = grade(
        &facts(|f| f.days_unresolved = 16),
        &GradingPolicy::default(),
    );
    assert_eq!(
        g.reasons[0].message.get(Lang::Zh),
        "因我方原因已16天未解决（达到15天）"
    );
    let g = grade(&facts(|f| f.people_count = 2), &GradingPolicy::default());
    assert_eq!(g.reasons[0].message.get(Lang::Zh), "2人共同投诉");
}

#[test]
fn every_reason_reads_as_a_sentence_in_both_languages() {
    // No code-like leftovers: thresholds that are not facts ("¥0.01"), slashes, empty text.
    let policy = GradingPolicy::default();
    let mut all = facts(|f| {
        f.flags = RiskFlag::ALL.iter().copied().collect();
        f.impact = Impact::Cosmetic;
        f.people_count = 12;
        f.claimed_amount_fen = 300_000;
        f.same_issue_complainants_30d = 4;
        f.days_unresolved = 31;
        f.repeat = true;
    });
    let mut reasons = grade(&all, &policy).reasons;
    for impact in [Impact::Severe, Impact::Impaired] {
        all.impact = impact;
        reasons.extend(grade(&all, &policy).reasons);
    }
    reasons.extend(grade(&IntakeFacts::default(), &policy).reasons);
    for r in &reasons {
        let (zh, en) = (r.message.get(Lang::Zh), r.message.get(Lang::En));
        assert!(!zh.is_empty() && !en.is_empty(), "{r:?}");
        assert!(!zh.contains("0.01") && !en.contains("0.01"), "{r:?}");
        assert!(!zh.contains('/') && !en.contains('/'), "{r:?}");
        assert!(
            en.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()),
            "{r:?}"
        );
    }
}

#[test]
fn thresholds_come_from_the_policy_not_the_code() {
    // The Vanke variant (rules.md "Severity"): 热点 after one week instead of 15 days.
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
        "处理完毕后再次投诉（重复投诉）"
    );
    let back: domain::Grade = serde_json::from_value(json).unwrap();
    assert_eq!(back, g);
}
