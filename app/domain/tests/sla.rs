//! domain.md "Time limits": the default and emergency columns, "about to breach" and
//! "breached", stopped clocks, and time passing raising the level at 15 and 30 days.

use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::sla::promise_text;
use domain::{
    evaluate, format_local, overall, promised_times, remaining_label, time_based_level, Clock,
    ClockInputs, ClockState, GradingPolicy, Lang, Level, Policy, SlaPolicy, SlaState, Status,
};

fn filed() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap()
}

fn open_complaint() -> ClockInputs {
    ClockInputs {
        filed_at: filed(),
        level: Level::Four,
        emergency: false,
        status: Status::Assigned,
        first_contact_at: None,
        first_reply_at: None,
        last_progress_at: None,
        resolved_at: None,
    }
}

fn state(inputs: &ClockInputs, clock: Clock, after: Duration) -> ClockState {
    let states = evaluate(inputs, &SlaPolicy::default(), filed() + after);
    states
        .into_iter()
        .find(|(c, _)| *c == clock)
        .map(|(_, s)| s)
        .unwrap()
}

fn h(hours: i64) -> Duration {
    Duration::hours(hours)
}
fn m(minutes: i64) -> Duration {
    Duration::minutes(minutes)
}

#[test]
fn default_column_is_two_hours_a_day_three_days_a_week() {
    let due: Vec<(Clock, Duration)> = promised_times(&open_complaint(), &SlaPolicy::default())
        .into_iter()
        .map(|(c, t)| (c, t - filed()))
        .collect();
    assert_eq!(
        due,
        [
            (Clock::FirstContact, h(2)),
            (Clock::FirstReply, h(24)),
            (Clock::ProgressUpdate, h(72)),
            (Clock::Resolution, Duration::days(7)),
        ]
    );
}

#[test]
fn emergency_column_is_daily_updates_and_two_days_to_resolve() {
    let urgent = ClockInputs {
        emergency: true,
        ..open_complaint()
    };
    let due: Vec<Duration> = promised_times(&urgent, &SlaPolicy::default())
        .into_iter()
        .map(|(_, t)| t - filed())
        .collect();
    assert_eq!(due, [h(2), h(24), h(24), Duration::days(2)]);
}

#[test]
fn first_contact_is_on_track_then_due_soon_in_the_last_quarter_then_breached() {
    let c = open_complaint();
    let due = filed() + h(2);
    // 2 h window, warn when less than 25 % (30 min) is left.
    assert_eq!(
        state(&c, Clock::FirstContact, m(90)),
        ClockState::OnTrack { due }
    );
    assert_eq!(
        state(&c, Clock::FirstContact, m(91)),
        ClockState::DueSoon { due }
    );
    assert_eq!(
        state(&c, Clock::FirstContact, m(120)),
        ClockState::DueSoon { due }
    );
    assert_eq!(
        state(&c, Clock::FirstContact, m(120) + Duration::seconds(1)),
        ClockState::Breached { due }
    );
}

#[test]
fn a_contact_made_in_time_stops_the_clock_on_time_and_a_late_one_late() {
    let due = filed() + h(2);
    let on_time = ClockInputs {
        first_contact_at: Some(filed() + m(120)),
        ..open_complaint()
    };
    let at = filed() + m(120);
    assert_eq!(
        state(&on_time, Clock::FirstContact, h(50)),
        ClockState::MetOnTime { at, due }
    );
    let late = ClockInputs {
        first_contact_at: Some(filed() + m(121)),
        ..open_complaint()
    };
    let at = filed() + m(121);
    assert_eq!(
        state(&late, Clock::FirstContact, h(50)),
        ClockState::MetLate { at, due }
    );
}

#[test]
fn the_progress_clock_restarts_at_each_update_while_open() {
    let c = ClockInputs {
        last_progress_at: Some(filed() + h(70)),
        ..open_complaint()
    };
    let due = filed() + h(70 + 72);
    assert_eq!(
        state(&c, Clock::ProgressUpdate, h(100)),
        ClockState::OnTrack { due }
    );
    assert_eq!(
        state(&c, Clock::ProgressUpdate, h(143)),
        ClockState::Breached { due }
    );
    let closed = ClockInputs {
        status: Status::Closed,
        ..c
    };
    assert_eq!(
        state(&closed, Clock::ProgressUpdate, h(143)),
        ClockState::NotRunning
    );
}

#[test]
fn the_resolution_clock_stops_when_resolved() {
    let due = filed() + Duration::days(7);
    let at = filed() + Duration::days(6);
    let resolved = ClockInputs {
        status: Status::Resolved,
        resolved_at: Some(at),
        ..open_complaint()
    };
    assert_eq!(
        state(&resolved, Clock::Resolution, Duration::days(30)),
        ClockState::MetOnTime { at, due }
    );
    assert_eq!(
        state(&open_complaint(), Clock::Resolution, Duration::days(8)),
        ClockState::Breached { due }
    );
}

#[test]
fn a_reopened_complaint_was_not_resolved_so_its_clock_runs_on() {
    let reopened = ClockInputs {
        status: Status::Reopened,
        resolved_at: Some(filed() + Duration::days(3)),
        ..open_complaint()
    };
    let due = filed() + Duration::days(7);
    assert_eq!(
        state(&reopened, Clock::Resolution, Duration::days(8)),
        ClockState::Breached { due }
    );
}

#[test]
fn a_not_valid_complaint_runs_no_clocks_but_keeps_what_was_met() {
    let at = filed() + h(1);
    let c = ClockInputs {
        status: Status::NotValid,
        first_reply_at: Some(at),
        ..open_complaint()
    };
    let states = evaluate(&c, &SlaPolicy::default(), filed() + Duration::days(40));
    assert_eq!(states[0], (Clock::FirstContact, ClockState::NotRunning));
    assert_eq!(
        states[1],
        (
            Clock::FirstReply,
            ClockState::MetOnTime {
                at,
                due: filed() + h(24)
            }
        )
    );
    assert_eq!(overall(&states), SlaState::OnTrack);
}

#[test]
fn overall_is_the_worst_running_or_late_clock() {
    let c = ClockInputs {
        first_contact_at: Some(filed() + h(3)),
        ..open_complaint()
    };
    // Contact was late: counted as a breach even after the clock stopped.
    assert_eq!(
        overall(&evaluate(&c, &SlaPolicy::default(), filed() + h(4))),
        SlaState::Breached
    );
    let fine = ClockInputs {
        first_contact_at: Some(filed() + h(1)),
        ..open_complaint()
    };
    assert_eq!(
        overall(&evaluate(&fine, &SlaPolicy::default(), filed() + h(4))),
        SlaState::OnTrack
    );
    assert_eq!(
        overall(&evaluate(&fine, &SlaPolicy::default(), filed() + h(19))),
        SlaState::DueSoon
    );
    assert_eq!(SlaState::DueSoon.label(Lang::Zh), "即将超时");
}

#[test]
fn time_passing_raises_the_level_at_fifteen_and_thirty_days() {
    let p = GradingPolicy::default();
    let at = |d: i64, s: i64| filed() + Duration::days(d) + Duration::seconds(s);
    assert_eq!(time_based_level(filed(), at(15, -1), true, &p), None);
    assert_eq!(
        time_based_level(filed(), at(15, 0), true, &p),
        Some(Level::Two)
    );
    assert_eq!(
        time_based_level(filed(), at(30, -1), true, &p),
        Some(Level::Two)
    );
    assert_eq!(
        time_based_level(filed(), at(30, 0), true, &p),
        Some(Level::One)
    );
    assert_eq!(time_based_level(filed(), at(90, 0), false, &p), None);
}

#[test]
fn windows_per_level_come_from_the_policy() {
    let mut policy = SlaPolicy::default();
    policy.by_level[0].first_contact_minutes = 30;
    let urgent = ClockInputs {
        level: Level::One,
        ..open_complaint()
    };
    let due = promised_times(&urgent, &policy)[0].1;
    assert_eq!(due, filed() + m(30));
    assert_eq!(
        promised_times(&open_complaint(), &policy)[0].1,
        filed() + h(2)
    );
}

#[test]
fn clock_states_travel_as_tagged_json() {
    let s = ClockState::DueSoon { due: filed() };
    let json = serde_json::to_value(s).unwrap();
    assert_eq!(json["state"], "due_soon");
    assert_eq!(serde_json::from_value::<ClockState>(json).unwrap(), s);
}

#[test]
fn the_tracking_page_shows_promises_and_local_times() {
    let policy = Policy::default();
    assert_eq!(
        promise_text(
            Clock::FirstContact,
            policy.sla.windows(Level::Four, false),
            Lang::Zh
        ),
        "我们将在2小时内联系您"
    );
    // 01:00 UTC is 09:00 in Shanghai.
    assert_eq!(format_local(filed(), &policy), "2026-11-23 09:00");
    assert_eq!(
        remaining_label(filed() + h(3) + m(20), filed(), Lang::Zh),
        "剩余 3小时20分"
    );
    assert_eq!(
        remaining_label(filed(), filed() + Duration::days(2), Lang::En),
        "overdue by 2d"
    );
}

#[test]
fn an_absurd_policy_window_saturates_instead_of_panicking() {
    let mut policy = SlaPolicy::default();
    policy.by_level[3].resolution_days = u32::MAX;
    let states = evaluate(&open_complaint(), &policy, filed());
    assert!(states[3].1.due().unwrap() > filed() + Duration::days(365 * 1000));
}

mod stored_deadlines {
    use chrono::{Duration, TimeZone, Utc};
    use domain::sla::{deadlines, evaluate, overall, ClockInputs};
    use domain::{Level, SlaPolicy, Status};

    fn inputs(
        status: Status,
        contact_after_hours: Option<i64>,
        resolved_after_days: Option<i64>,
    ) -> ClockInputs {
        let filed_at = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
        ClockInputs {
            filed_at,
            level: Level::Three,
            emergency: false,
            status,
            first_contact_at: contact_after_hours.map(|h| filed_at + Duration::hours(h)),
            first_reply_at: contact_after_hours.map(|h| filed_at + Duration::hours(h)),
            last_progress_at: contact_after_hours.map(|h| filed_at + Duration::hours(h)),
            resolved_at: resolved_after_days.map(|d| filed_at + Duration::days(d)),
        }
    }

    #[test]
    fn the_stored_deadlines_give_the_same_state_as_the_clocks_at_every_moment() {
        let policy = SlaPolicy::default();
        let cases = [
            inputs(Status::Filed, None, None),
            inputs(Status::Investigating, Some(1), None),
            inputs(Status::Investigating, Some(3), None),
            inputs(Status::Resolved, Some(1), Some(5)),
            inputs(Status::Resolved, Some(5), Some(9)),
            inputs(Status::Reopened, Some(1), Some(5)),
            inputs(Status::Closed, None, None),
        ];
        for case in &cases {
            let stored = deadlines(case, &policy);
            // `now` is never before an event that has been recorded.
            let latest = [
                case.first_contact_at,
                case.first_reply_at,
                case.last_progress_at,
                case.resolved_at,
            ]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(case.filed_at);
            for minutes in (0..(12 * 24 * 60)).step_by(17) {
                let now = latest + Duration::minutes(minutes);
                assert_eq!(
                    stored.state_at(now),
                    overall(&evaluate(case, &policy, now)),
                    "{case:?} at +{minutes} min"
                );
            }
        }
    }

    #[test]
    fn a_new_complaint_warns_before_its_first_contact_is_due() {
        let case = inputs(Status::Filed, None, None);
        let stored = deadlines(&case, &SlaPolicy::default());
        assert_eq!(stored.due_at, Some(case.filed_at + Duration::hours(2)));
        assert_eq!(stored.warn_at, Some(case.filed_at + Duration::minutes(90)));
    }
}
