//! Every threshold is configuration (rules.md, preamble): the default policy is the spec's,
//! a partial policy file overrides only what it names, and nonsense is reported.

use chrono::{FixedOffset, NaiveTime};
use domain::{ClockWindows, Level, Policy, ServiceHours, SlaWindow, TimeBasis};

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
    // rules.md "Amendments": service hours by default, round the clock for emergencies.
    let normal = p.sla.windows(Level::Four, false);
    assert_eq!(
        [
            normal.first_contact,
            normal.first_reply,
            normal.progress_update,
            normal.resolution
        ],
        [
            SlaWindow::service_hours(2),
            SlaWindow::service_hours(9),
            SlaWindow::service_hours(27),
            SlaWindow::service_hours(63)
        ]
    );
    let emergency = p.sla.windows(Level::Four, true);
    assert_eq!(
        [
            emergency.first_contact,
            emergency.first_reply,
            emergency.progress_update,
            emergency.resolution
        ],
        [
            SlaWindow::calendar_hours(2),
            SlaWindow::calendar_hours(24),
            SlaWindow::calendar_hours(24),
            SlaWindow::calendar_hours(48)
        ]
    );
    let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    assert_eq!(
        p.sla.service_hours,
        ServiceHours {
            opens: hm(8, 30),
            closes: hm(17, 30)
        }
    );
    assert!(Level::ALL
        .iter()
        .all(|l| p.sla.windows(*l, false) == normal));
    assert_eq!(p.sla.warn_before_percent, 25);
    assert_eq!(p.groups.window_days, 30);
    assert!(!p.groups.same_building_only);
    assert_eq!(p.approval.approver_for(100_000), domain::Approver::Handler);
    assert_eq!(
        p.approval.approver_for(1_000_001),
        domain::Approver::GeneralManager
    );
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

        [sla]
        service_hours = { opens = "09:00" }

        [[sla.by_level]]
        first_contact = { minutes = 30 }

        [sla.emergency]
        resolution = { hours = 36 }

        [approval]
        every_plan_needs_approval = true
    "#;
    let p: Policy = toml::from_str(file).unwrap();
    let mut want = Policy {
        utc_offset_minutes: 0,
        ..Policy::default()
    };
    want.grading.raise_to_level_2_after_days = 7;
    want.grading.flag_levels.government = Level::One;
    want.sla.service_hours.opens = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
    // Only level 1 named, and only its first contact; `time` left out keeps the column's.
    want.sla.by_level[0].first_contact = SlaWindow::service_minutes(30);
    want.sla.emergency.resolution = SlaWindow::calendar_hours(36);
    want.approval.every_plan_needs_approval = true;
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
    p.sla.by_level[2].resolution.minutes = 0;
    p.sla.service_hours.closes = p.sla.service_hours.opens;
    p.sla.warn_before_percent = 100;
    p.groups.min_similarity = 0.0;
    p.utc_offset_minutes = 24 * 60;
    let problems = p.validate().unwrap_err();
    let has = |s: &str| problems.iter().any(|p| p.contains(s));
    assert!(has(
        "grading.group_level_1_people (3) must be greater than grading.group_level_2_people (3)"
    ));
    assert!(has("grading.raise_to_level_1_after_days"));
    assert!(has(
        "sla.by_level[2].resolution.minutes (0) must be at least 1"
    ));
    assert!(has(
        "sla.service_hours: opens (08:30) must be before closes (08:30)"
    ));
    assert!(has("sla.warn_before_percent"));
    assert!(has("groups.min_similarity"));
    assert!(has("utc_offset_minutes"));
    assert_eq!(problems.len(), 7, "{problems:#?}");
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

#[test]
fn the_sla_section_reads_like_the_documented_shape() {
    let file = r#"
        [sla]
        warn_before_percent = 20
        service_hours = { opens = "08:00", closes = "18:00" }

        [[sla.by_level]]
        first_contact = { hours = 1, time = "service" }
        first_reply = { hours = 4, minutes = 30, time = "service" }
        progress_update = { hours = 24, time = "calendar" }
        resolution = { hours = 40 }

        [[sla.by_level]]
        first_contact = { minutes = 90 }

        [sla.emergency]
        first_contact = { minutes = 45 }
        resolution = { hours = 30, time = "service" }
    "#;
    let p: Policy = toml::from_str(file).unwrap();
    assert_eq!(p.sla.warn_before_percent, 20);
    assert_eq!(
        p.sla.service_hours,
        ServiceHours::new(
            NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            NaiveTime::from_hms_opt(18, 0, 0).unwrap()
        )
        .unwrap()
    );
    assert_eq!(
        p.sla.by_level[0],
        ClockWindows {
            first_contact: SlaWindow::service_hours(1),
            first_reply: SlaWindow::service_minutes(270),
            progress_update: SlaWindow::calendar_hours(24),
            resolution: SlaWindow::service_hours(40),
        }
    );
    assert_eq!(
        p.sla.by_level[1],
        ClockWindows {
            first_contact: SlaWindow::service_minutes(90),
            ..ClockWindows::default()
        }
    );
    assert_eq!(p.sla.by_level[2], ClockWindows::default());
    assert_eq!(p.sla.by_level[3], ClockWindows::default());
    assert_eq!(
        p.sla.emergency,
        ClockWindows {
            first_contact: SlaWindow::calendar_minutes(45),
            resolution: SlaWindow::service_hours(30),
            ..ClockWindows::emergency()
        }
    );
    assert_eq!(p.validate(), Ok(()));
}

#[test]
fn a_policy_file_written_before_service_time_still_loads_as_calendar_time() {
    // The old field names: calendar minutes, hours and days.
    let file = r#"
        [[sla.by_level]]
        first_contact_minutes = 60
        first_reply_hours = 24
        progress_update_hours = 72
        resolution_days = 5

        [sla.emergency]
        first_contact_minutes = 60
        resolution_days = 1
    "#;
    let p: Policy = toml::from_str(file).unwrap();
    assert_eq!(
        p.sla.by_level[0],
        ClockWindows {
            first_contact: SlaWindow::calendar_hours(1),
            first_reply: SlaWindow::calendar_hours(24),
            progress_update: SlaWindow::calendar_hours(72),
            resolution: SlaWindow::calendar_hours(5 * 24),
        }
    );
    assert_eq!(p.sla.by_level[1], ClockWindows::default());
    assert_eq!(
        p.sla.emergency,
        ClockWindows {
            first_contact: SlaWindow::calendar_hours(1),
            resolution: SlaWindow::calendar_hours(24),
            ..ClockWindows::emergency()
        }
    );
    // A whole old-style file (every level named, as the old default policy wrote it) keeps
    // its old meaning: every window in calendar time.
    let old_level = "[[sla.by_level]]\nfirst_contact_minutes = 120\nfirst_reply_hours = 24\n\
                     progress_update_hours = 72\nresolution_days = 7\n";
    let old: Policy = toml::from_str(&old_level.repeat(4)).unwrap();
    assert!(old
        .sla
        .by_level
        .iter()
        .all(|c| *c == ClockWindows::calendar_only()));
    assert!(old
        .sla
        .by_level
        .iter()
        .flat_map(|c| c.named())
        .all(|(_, w)| w.time == TimeBasis::Calendar));
}

#[test]
fn a_window_is_refused_when_it_is_named_twice_or_misspelt_or_there_are_five_levels() {
    let twice = "[sla.emergency]\nfirst_contact = { hours = 1 }\nfirst_contact_minutes = 30";
    let err = toml::from_str::<Policy>(twice).unwrap_err().to_string();
    assert!(err.contains("first_contact_minutes"), "{err}");
    let misspelt = "[sla.emergency]\nfirst_contact = { hour = 1 }";
    assert!(toml::from_str::<Policy>(misspelt).is_err());
    let no_such_time = "[sla.emergency]\nfirst_contact = { hours = 1, time = \"office\" }";
    assert!(toml::from_str::<Policy>(no_such_time).is_err());
    let bad_hours = "[sla]\nservice_hours = { opens = \"8.30\" }";
    assert!(toml::from_str::<Policy>(bad_hours).is_err());
    let five = "[[sla.by_level]]\n".repeat(5);
    let err = toml::from_str::<Policy>(&five).unwrap_err().to_string();
    assert!(err.contains("four levels"), "{err}");
}

#[test]
fn windows_are_written_in_hours_when_whole_and_in_minutes_otherwise() {
    let text = toml::to_string(&Policy::default()).unwrap();
    assert!(
        text.contains("service_hours = { opens = \"08:30\", closes = \"17:30\" }")
            || (text.contains("opens = \"08:30\"") && text.contains("closes = \"17:30\"")),
        "{text}"
    );
    let json = serde_json::to_value(SlaWindow::service_minutes(90)).unwrap();
    assert_eq!(
        json,
        serde_json::json!({ "minutes": 90, "time": "service" })
    );
    let json = serde_json::to_value(SlaWindow::calendar_hours(48)).unwrap();
    assert_eq!(json, serde_json::json!({ "hours": 48, "time": "calendar" }));
    let read: SlaWindow = serde_json::from_value(serde_json::json!({ "hours": 2 })).unwrap();
    assert_eq!(read, SlaWindow::service_hours(2));
    assert!(serde_json::from_value::<SlaWindow>(serde_json::json!({ "time": "service" })).is_err());
}

#[test]
fn the_chain_of_responsibility_in_the_readme_is_the_default() {
    let readme = include_str!("../../../README.md");
    let block = readme
        .split("```toml\n[approval]")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README shows the chain of responsibility's TOML");
    let p: Policy = toml::from_str(&format!("[approval]{block}")).unwrap();
    assert_eq!(p, Policy::default());
    assert_eq!(p.validate(), Ok(()));
}
