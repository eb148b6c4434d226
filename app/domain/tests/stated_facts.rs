//! Stated facts win (rules.md, Amendments): the three cases that graded wrong through
//! `POST /api/v1/grade`, graded on the path the API takes (`hints::preview` with the stated
//! facts and the text), and a threat named as a threat.

use domain::grading::{GradingPolicy, IntakeFacts, StatedFacts};
use domain::hints::{preview, CueFact, Preview};
use domain::{Impact, Lang, Level, RiskFlag, Rule};

fn graded(text: &str, stated: &StatedFacts) -> Preview {
    preview(
        text,
        stated,
        &IntakeFacts::default(),
        &GradingPolicy::default(),
    )
}

fn rules(p: &Preview) -> Vec<Rule> {
    p.grade.reasons.iter().map(|r| r.rule).collect()
}

#[test]
fn a_stated_impact_beats_a_severe_word_in_the_text() {
    let stated = StatedFacts {
        impact: Some(Impact::Impaired),
        amount_fen: Some(300_000),
        ..StatedFacts::default()
    };
    let p = graded("厨房水管爆裂泡水了,橱柜底板坏了,要求赔偿", &stated);
    assert_eq!(p.grade.level, Level::Two, "{:?}", p.grade);
    assert_eq!(rules(&p), [Rule::ImpactImpaired, Rule::AmountAny]);
    assert_eq!(
        p.grade.reasons[1].message.get(Lang::Zh),
        "涉及维修或赔偿金额¥3,000"
    );
    // The text says more: set aside for staff to ask about, not applied.
    let aside: Vec<CueFact> = p.filled.set_aside.iter().map(|s| s.fact).collect();
    assert_eq!(aside, [CueFact::Impact(Impact::Severe)]);
    assert_eq!(p.filled.set_aside[0].words, ["泡水"]);
}

#[test]
fn a_stated_none_stands_and_a_hedged_trace_is_cosmetic_at_most() {
    let none = StatedFacts {
        impact: Some(Impact::None),
        ..StatedFacts::default()
    };
    let p = graded("阳台角落有点渗水的痕迹", &none);
    assert_eq!(p.grade.level, Level::Four, "{:?}", p.grade);
    assert_eq!(rules(&p), [Rule::Routine]);
    // Left out, the text fills it, softened by the hedge and the trace.
    let p = graded("阳台角落有点渗水的痕迹", &StatedFacts::nothing());
    assert_eq!(p.grade.level, Level::Three);
    assert_eq!(rules(&p), [Rule::ImpactCosmetic]);
    assert_eq!(p.filled.suggested[0].words, ["有点渗水的痕迹"]);
}

#[test]
fn a_threat_to_go_to_the_media_is_level_two_and_named_a_threat() {
    let p = graded("再不解决我就去找媒体曝光", &StatedFacts::nothing());
    assert_eq!(p.grade.level, Level::Two, "{:?}", p.grade);
    assert_eq!(rules(&p), [Rule::ExposureThreat]);
    let reason = &p.grade.reasons[0].message;
    assert!(reason.zh.contains("扬言"), "{reason:?}");
    assert!(!reason.zh.contains("已联系媒体"), "{reason:?}");
    assert!(reason.en.contains("threatens"), "{reason:?}");
    // Media actually involved is level 1.
    let p = graded("记者已经来过了,还拍了视频", &StatedFacts::nothing());
    assert_eq!(p.grade.level, Level::One);
    assert_eq!(rules(&p), [Rule::MediaExposure]);
}

#[test]
fn the_json_api_states_only_what_it_sends_and_an_empty_flags_list_states_none() {
    let stated: StatedFacts = serde_json::from_str("{}").unwrap();
    let p = graded("再不解决我就去找媒体曝光", &stated);
    assert_eq!(p.grade.level, Level::Two);
    let stated: StatedFacts = serde_json::from_str(r#"{"flags": []}"#).unwrap();
    let p = graded("再不解决我就去找媒体曝光", &stated);
    assert_eq!(p.grade.level, Level::Four, "stated: no flags");
    assert_eq!(
        p.filled.set_aside[0].fact,
        CueFact::Flag(RiskFlag::MediaThreat)
    );
    let stated: StatedFacts =
        serde_json::from_str(r#"{"flags": ["media"], "people_count": 1}"#).unwrap();
    let p = graded("我们10户业主联名投诉", &stated);
    assert_eq!(p.grade.level, Level::One);
    assert_eq!(rules(&p), [Rule::MediaExposure], "one person stated");
}

#[test]
fn the_facts_only_the_record_knows_come_along() {
    let known = IntakeFacts {
        repeat: true,
        days_unresolved: 16,
        // Not read: the stated facts and the text decide these.
        people_count: 40,
        ..IntakeFacts::default()
    };
    let p = preview(
        "柜门有划痕",
        &StatedFacts::nothing(),
        &known,
        &GradingPolicy::default(),
    );
    assert_eq!(
        rules(&p),
        [Rule::Unresolved15Days, Rule::ImpactCosmetic, Rule::Repeat]
    );
}
