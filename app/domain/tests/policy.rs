//! Every threshold is configuration (domain.md, preamble): the default policy is the spec's,
//! a partial policy file overrides only what it names, and nonsense is reported.

use chrono::{Duration, FixedOffset};
use domain::{Level, Policy};

#[test]
fn the_default_policy_is_the_spec() {
    let p = Policy::default();
    assert_eq!(p.grading.group_level_1_people, 10);
    assert_eq!(p.grading.group_level_2_people, 3);
    assert_eq!(p.grading.group_level_3_people, 2);
    assert_eq!(p.grading.amount_level_1_fen, 1_000_000, "¥10,000");
    assert_eq!(p.grading.amount_level_2_fen, 1, "any amount above ¥0");
    assert_eq!(p.grading.same_issue_level_1_complainants, 10);
    assert_eq!(p.grading.same_issue_level_2_complainants, 3);
    assert_eq!(p.grading.raise_to_level_1_after_days, 30);
    assert_eq!(p.grading.raise_to_level_2_after_days, 15);
    assert_eq!(p.grading.repeat_level, Level::Three);
    let normal = p.sla.windows(Level::Four, false);
    assert_eq!(
        [
            normal.first_contact(),
            normal.first_reply(),
            normal.progress_update(),
            normal.resolution()
        ],
        [
            Duration::hours(2),
            Duration::hours(24),
            Duration::days(3),
            Duration::days(7)
        ]
    );
    let emergency = p.sla.windows(Level::Four, true);
    assert_eq!(
        [
            emergency.first_contact(),
            emergency.first_reply(),
            emergency.progress_update(),
            emergency.resolution()
        ],
        [
            Duration::hours(2),
            Duration::hours(24),
            Duration::days(1),
            Duration::days(2)
        ]
    );
    assert!(Level::ALL
        .iter()
        .all(|l| p.sla.windows(*l, false) == normal));
    assert_eq!(p.sla.warn_before_percent, 25);
    assert_eq!(p.groups.window_days, 30);
    assert!(!p.groups.same_building_only);
    assert_eq!(p.approval.compensation_needs_approval_above_fen, 0);
    assert_eq!(p.time_zone(), FixedOffset::east_opt(8 * 3600).unwrap());
    assert_eq!(p.validate(), Ok(()));
}

#[test]
fn a_partial_toml_file_overrides_only_what_it_names() {
    let file = r#"
        utc_offset_minutes = 0

        [grading]
        raise_to_level_2_after_days = 7

        [grading.flag_levels]
        government = 1

        [sla.emergency]
        first_contact_minutes = 60

        [approval]
        compensation_needs_approval_above_fen = 50000
    "#;
    let p: Policy = toml::from_str(file).unwrap();
    let mut want = Policy {
        utc_offset_minutes: 0,
        ..Policy::default()
    };
    want.grading.raise_to_level_2_after_days = 7;
    want.grading.flag_levels.government = Level::One;
    want.sla.emergency.first_contact_minutes = 60;
    want.approval.compensation_needs_approval_above_fen = 50_000;
    assert_eq!(p, want);
    assert_eq!(p.validate(), Ok(()));
}

#[test]
fn an_empty_file_is_the_default_and_the_default_round_trips() {
    assert_eq!(toml::from_str::<Policy>("").unwrap(), Policy::default());
    let text = toml::to_string(&Policy::default()).unwrap();
    assert_eq!(toml::from_str::<Policy>(&text).unwrap(), Policy::default());
    let json = serde_json::to_string(&Policy::default()).unwrap();
    assert_eq!(
        serde_json::from_str::<Policy>(&json).unwrap(),
        Policy::default()
    );
}

#[test]
fn a_level_outside_one_to_four_is_refused_when_loading() {
    assert!(toml::from_str::<Policy>("[grading]\nrepeat_level = 5").is_err());
}

#[test]
fn validation_lists_every_inverted_threshold_and_empty_window() {
    let mut p = Policy::default();
    p.grading.group_level_1_people = 3;
    p.grading.raise_to_level_1_after_days = 10;
    p.sla.by_level[2].resolution_days = 0;
    p.sla.warn_before_percent = 100;
    p.groups.min_similarity = 0.0;
    p.utc_offset_minutes = 24 * 60;
    let problems = p.validate().unwrap_err();
    let has = |s: &str| problems.iter().any(|p| p.contains(s));
    assert!(has(
        "grading.group_level_1_people (3) must be greater than grading.group_level_2_people (3)"
    ));
    assert!(has("grading.raise_to_level_1_after_days"));
    assert!(has("sla.by_level[2].resolution_days"));
    assert!(has("sla.warn_before_percent"));
    assert!(has("groups.min_similarity"));
    assert!(has("utc_offset_minutes"));
    assert_eq!(problems.len(), 6, "{problems:#?}");
    // An invalid offset still yields a usable zone.
    assert_eq!(p.time_zone(), FixedOffset::east_opt(8 * 3600).unwrap());
}

#[test]
fn the_two_copies_of_the_group_thresholds_must_agree() {
    let mut p = Policy::default();
    p.groups.level_2_complainants = 4;
    let problems = p.validate().unwrap_err();
    assert!(problems[0].contains("groups.level_*_complainants"));
}
