//! rules.md "Time limits" and "Amendments": the default column in service time and the
//! emergency column round the clock, "about to breach" and "breached", stopped clocks, pauses
//! while waiting for the owner, and time passing raising the level at 15 and 30 days.

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use domain::sla::{promise_by, promise_text, SlaWindow};
use domain::{
    deadlines_from, evaluate, format_local, overall, promised_times, remaining_label,
    time_based_level, BusinessCalendar, Clock, ClockInputs, ClockState, GradingPolicy, Lang, Level,
    Pause, Policy, SlaContext, SlaPolicy, SlaState, Status,
};

/// Wall-clock time in Shanghai.
fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// Monday 23 November 2026, 09:00 in Shanghai (01:00 UTC).
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
        pauses: Vec::new(),
    }
}

fn calendar() -> BusinessCalendar {
    BusinessCalendar::official()
}

fn with_policy<T>(policy: &SlaPolicy, f: impl FnOnce(&SlaContext<'_>) -> T) -> T {
    let calendar = calendar();
    let ctx = SlaContext {
        policy,
        calendar: &calendar,
        offset: Policy::default().time_zone(),
    };
    f(&ctx)
}

fn states_at(inputs: &ClockInputs, now: DateTime<Utc>) -> Vec<(Clock, ClockState)> {
    with_policy(&SlaPolicy::default(), |ctx| evaluate(inputs, ctx, now))
}

fn state_at(inputs: &ClockInputs, clock: Clock, now: DateTime<Utc>) -> ClockState {
    states_at(inputs, now)
        .into_iter()
        .find(|(c, _)| *c == clock)
        .map(|(_, s)| s)
        .unwrap()
}

fn state(inputs: &ClockInputs, clock: Clock, after: Duration) -> ClockState {
    state_at(inputs, clock, filed() + after)
}

fn promised(inputs: &ClockInputs) -> Vec<(Clock, DateTime<Utc>)> {
    with_policy(&SlaPolicy::default(), |ctx| promised_times(inputs, ctx))
}

fn h(hours: i64) -> Duration {
    Duration::hours(hours)
}
fn m(minutes: i64) -> Duration {
    Duration::minutes(minutes)
}

#[test]
fn the_default_column_counts_service_hours_of_working_days() {
    // Monday 09:00: 2 service hours → 11:00; 9 → Tuesday 09:00 (8.5 h on Monday);
    // 27 → Thursday 09:00; 63 → Wednesday of the next week, 09:00.
    assert_eq!(
        promised(&open_complaint()),
        [
            (Clock::FirstContact, local(2026, 11, 23, 11, 0)),
            (Clock::FirstReply, local(2026, 11, 24, 9, 0)),
            (Clock::ProgressUpdate, local(2026, 11, 26, 9, 0)),
            (Clock::Resolution, local(2026, 12, 2, 9, 0)),
        ]
    );
}

#[test]
fn received_after_closing_the_clocks_start_at_the_next_opening() {
    // Friday 4 December, 19:00: counting starts on Monday at 08:30.
    let friday_evening = ClockInputs {
        filed_at: local(2026, 12, 4, 19, 0),
        ..open_complaint()
    };
    assert_eq!(
        promised(&friday_evening),
        [
            (Clock::FirstContact, local(2026, 12, 7, 10, 30)),
            (Clock::FirstReply, local(2026, 12, 7, 17, 30)),
            (Clock::ProgressUpdate, local(2026, 12, 9, 17, 30)),
            (Clock::Resolution, local(2026, 12, 15, 17, 30)),
        ]
    );
}

#[test]
fn the_emergency_column_runs_round_the_clock() {
    let urgent = ClockInputs {
        emergency: true,
        filed_at: local(2026, 12, 4, 19, 0),
        ..open_complaint()
    };
    let due: Vec<Duration> = promised(&urgent)
        .into_iter()
        .map(|(_, t)| t - urgent.filed_at)
        .collect();
    assert_eq!(due, [h(2), h(24), h(24), h(48)]);
}

#[test]
fn the_deadlines_contract_counts_every_clock_from_receipt() {
    // 30 September 16:00: 1.5 h that day, the National Day holiday, 0.5 h on 8 October.
    let received = local(2026, 9, 30, 16, 0);
    let due = with_policy(&SlaPolicy::default(), |ctx| {
        deadlines_from(received, false, Level::Three, ctx)
    });
    assert_eq!(
        due,
        [
            (Clock::FirstContact, local(2026, 10, 8, 9, 0)),
            (Clock::FirstReply, local(2026, 10, 8, 16, 0)),
            // 1.5 + 9 (8 Oct) + 9 (9 Oct) + 7.5 on Saturday 10 October, a make-up day.
            (Clock::ProgressUpdate, local(2026, 10, 10, 16, 0)),
            // 1.5 + 6 × 9 (8, 9, 10, 12, 13, 14 Oct) + 7.5 on 15 October.
            (Clock::Resolution, local(2026, 10, 15, 16, 0)),
        ]
    );
    let urgent = with_policy(&SlaPolicy::default(), |ctx| {
        deadlines_from(received, true, Level::One, ctx)
    });
    assert_eq!(urgent[0], (Clock::FirstContact, received + h(2)));
    assert_eq!(urgent[3], (Clock::Resolution, received + h(48)));
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
fn the_warning_share_is_of_service_time_and_nights_do_not_use_it_up() {
    // Received Monday 16:30: 1 h that day, the last 30 min of the 2 h window on Tuesday.
    let c = ClockInputs {
        filed_at: local(2026, 11, 23, 16, 30),
        ..open_complaint()
    };
    let due = local(2026, 11, 24, 9, 30);
    assert_eq!(
        state_at(&c, Clock::FirstContact, local(2026, 11, 23, 17, 29)),
        ClockState::OnTrack { due }
    );
    // At closing 1 h is left: still on track through the night.
    assert_eq!(
        state_at(&c, Clock::FirstContact, local(2026, 11, 24, 8, 45)),
        ClockState::OnTrack { due }
    );
    assert_eq!(
        state_at(&c, Clock::FirstContact, local(2026, 11, 24, 9, 1)),
        ClockState::DueSoon { due }
    );
    assert_eq!(
        state_at(&c, Clock::FirstContact, local(2026, 11, 24, 9, 31)),
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
    // Updated Thursday 07:00 (before opening): 27 service hours from Thursday 08:30 run out
    // at Monday's closing.
    let c = ClockInputs {
        last_progress_at: Some(local(2026, 11, 26, 7, 0)),
        ..open_complaint()
    };
    let due = local(2026, 11, 30, 17, 30);
    assert_eq!(
        state_at(&c, Clock::ProgressUpdate, local(2026, 11, 27, 13, 0)),
        ClockState::OnTrack { due }
    );
    // Due at Monday's closing, not at Tuesday's opening.
    assert_eq!(
        state_at(&c, Clock::ProgressUpdate, local(2026, 11, 30, 17, 30)),
        ClockState::DueSoon { due }
    );
    assert_eq!(
        state_at(&c, Clock::ProgressUpdate, local(2026, 11, 30, 17, 31)),
        ClockState::Breached { due }
    );
    let closed = ClockInputs {
        status: Status::Closed,
        ..c
    };
    assert_eq!(
        state_at(&closed, Clock::ProgressUpdate, local(2026, 12, 1, 0, 0)),
        ClockState::NotRunning
    );
}

#[test]
fn the_resolution_clock_stops_when_resolved() {
    // Seven working days from Monday 09:00: Wednesday of the next week, 09:00.
    let due = local(2026, 12, 2, 9, 0);
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
        state_at(&open_complaint(), Clock::Resolution, due),
        ClockState::DueSoon { due }
    );
    assert_eq!(
        state_at(&open_complaint(), Clock::Resolution, due + m(1)),
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
    let due = local(2026, 12, 2, 9, 0);
    assert_eq!(
        state(&reopened, Clock::Resolution, Duration::days(10)),
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
    let states = states_at(&c, filed() + Duration::days(40));
    assert_eq!(states[0], (Clock::FirstContact, ClockState::NotRunning));
    assert_eq!(
        states[1],
        (
            Clock::FirstReply,
            ClockState::MetOnTime {
                at,
                due: local(2026, 11, 24, 9, 0)
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
    assert_eq!(overall(&states_at(&c, filed() + h(4))), SlaState::Breached);
    let fine = ClockInputs {
        first_contact_at: Some(filed() + h(1)),
        ..open_complaint()
    };
    assert_eq!(
        overall(&states_at(&fine, filed() + h(4))),
        SlaState::OnTrack
    );
    // First reply: 9 service hours, due soon once 6 h 45 min of them are used (15:45).
    assert_eq!(
        overall(&states_at(&fine, local(2026, 11, 23, 15, 45))),
        SlaState::OnTrack
    );
    assert_eq!(
        overall(&states_at(&fine, local(2026, 11, 23, 15, 46))),
        SlaState::DueSoon
    );
    assert_eq!(SlaState::DueSoon.label(Lang::Zh), "即将超时");
}

#[test]
fn waiting_for_the_owner_stops_progress_and_resolution_but_not_first_contact() {
    // Paused from Monday 10:00 (1 service hour used), still waiting.
    let waiting = ClockInputs {
        pauses: vec![Pause::since(filed() + h(1))],
        ..open_complaint()
    };
    let now = filed() + Duration::days(20);
    let states = states_at(&waiting, now);
    assert_eq!(
        states[0],
        (
            Clock::FirstContact,
            ClockState::Breached {
                due: filed() + h(2)
            }
        )
    );
    let paused = ClockState::Paused {
        since: filed() + h(1),
        used_minutes: 60,
    };
    assert_eq!(states[2], (Clock::ProgressUpdate, paused));
    assert_eq!(states[3], (Clock::Resolution, paused));
    assert_eq!(paused.due(), None);
    assert_eq!(paused.sla_state(), Some(SlaState::OnTrack));
    // Without a due time, the tracking page promises nothing for those two.
    let clocks: Vec<Clock> = promised(&waiting).into_iter().map(|(c, _)| c).collect();
    assert_eq!(clocks, [Clock::FirstContact, Clock::FirstReply]);

    // The owner answers the next Monday at 10:00: the clocks resume where they stopped.
    let resumed = ClockInputs {
        pauses: vec![Pause::between(
            filed() + h(1),
            filed() + Duration::days(7) + h(1),
        )],
        ..open_complaint()
    };
    let mut expected = promised(&open_complaint());
    // Every working day between was paused: one week later, the same working time.
    for (clock, due) in expected.iter_mut() {
        if clock.pausable() {
            *due += Duration::days(7);
        }
    }
    assert_eq!(promised(&resumed), expected);
}

#[test]
fn a_clock_that_ran_out_before_the_pause_stays_breached() {
    let c = ClockInputs {
        last_progress_at: Some(filed()),
        pauses: vec![Pause::since(local(2026, 11, 27, 9, 0))],
        ..open_complaint()
    };
    let due = local(2026, 11, 26, 9, 0);
    assert_eq!(
        state_at(&c, Clock::ProgressUpdate, local(2026, 12, 10, 9, 0)),
        ClockState::Breached { due }
    );
}

#[test]
fn a_clock_stopped_during_an_open_pause_is_judged_by_the_time_used_until_then() {
    // Resolved while still marked as waiting: the time up to the resolution counts.
    let at = local(2026, 12, 20, 9, 0);
    let c = ClockInputs {
        status: Status::Resolved,
        resolved_at: Some(at),
        pauses: vec![Pause::since(filed() + h(1))],
        ..open_complaint()
    };
    let s = state_at(&c, Clock::Resolution, at + h(1));
    assert!(matches!(s, ClockState::MetOnTime { .. }), "{s:?}");
}

#[test]
fn time_passing_raises_the_level_at_fifteen_and_thirty_days() {
    let p = GradingPolicy::default();
    let at = |d: i64, s: i64| filed() + Duration::days(d) + Duration::seconds(s);
    assert_eq!(time_based_level(filed(), at(15, -1), true, &[], &p), None);
    assert_eq!(
        time_based_level(filed(), at(15, 0), true, &[], &p),
        Some(Level::Two)
    );
    assert_eq!(
        time_based_level(filed(), at(30, -1), true, &[], &p),
        Some(Level::Two)
    );
    assert_eq!(
        time_based_level(filed(), at(30, 0), true, &[], &p),
        Some(Level::One)
    );
    assert_eq!(time_based_level(filed(), at(90, 0), false, &[], &p), None);
}

#[test]
fn days_waiting_for_the_owner_are_not_days_unresolved() {
    let p = GradingPolicy::default();
    // Calendar days, not working days: a holiday still counts.
    let pauses = [Pause::between(
        filed() + Duration::days(2),
        filed() + Duration::days(5),
    )];
    let at = |d: i64| filed() + Duration::days(d);
    assert_eq!(domain::days_unresolved(filed(), at(17), &pauses), 14);
    assert_eq!(time_based_level(filed(), at(17), true, &pauses, &p), None);
    assert_eq!(
        time_based_level(filed(), at(18), true, &pauses, &p),
        Some(Level::Two)
    );
    let still_waiting = [Pause::since(at(1))];
    assert_eq!(domain::days_unresolved(filed(), at(90), &still_waiting), 1);
    assert_eq!(domain::days_unresolved(at(5), at(1), &[]), 0);
}

#[test]
fn windows_per_level_come_from_the_policy() {
    let mut policy = SlaPolicy::default();
    policy.by_level[0].first_contact = SlaWindow::service_minutes(30);
    let urgent = ClockInputs {
        level: Level::One,
        ..open_complaint()
    };
    let due = with_policy(&policy, |ctx| promised_times(&urgent, ctx))[0].1;
    assert_eq!(due, filed() + m(30));
    assert_eq!(
        with_policy(&policy, |ctx| promised_times(&open_complaint(), ctx))[0].1,
        filed() + h(2)
    );
    // A window may count calendar time outside the emergency column too.
    policy.by_level[3].first_contact = SlaWindow::calendar_hours(2);
    let evening = ClockInputs {
        filed_at: local(2026, 12, 4, 19, 0),
        ..open_complaint()
    };
    assert_eq!(
        with_policy(&policy, |ctx| promised_times(&evening, ctx))[0].1,
        local(2026, 12, 4, 21, 0)
    );
}

#[test]
fn clock_states_travel_as_tagged_json() {
    let s = ClockState::DueSoon { due: filed() };
    let json = serde_json::to_value(s).unwrap();
    assert_eq!(json["state"], "due_soon");
    assert_eq!(serde_json::from_value::<ClockState>(json).unwrap(), s);
    let paused = ClockState::Paused {
        since: filed(),
        used_minutes: 90,
    };
    let json = serde_json::to_value(paused).unwrap();
    assert_eq!(json["state"], "paused");
    assert_eq!(json["used_minutes"], 90);
    assert_eq!(serde_json::from_value::<ClockState>(json).unwrap(), paused);
}

#[test]
fn clock_inputs_stored_before_pauses_still_load() {
    let mut json = serde_json::to_value(open_complaint()).unwrap();
    json.as_object_mut().unwrap().remove("pauses");
    let inputs: ClockInputs = serde_json::from_value(json).unwrap();
    assert_eq!(inputs, open_complaint());
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
    let due = promised(&open_complaint())[0].1;
    assert_eq!(
        promise_by(
            Clock::FirstContact,
            due,
            filed(),
            policy.time_zone(),
            Lang::Zh
        ),
        "我们将在今天\u{A0}11:00\u{A0}前联系您"
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
    for window in [
        SlaWindow::service_minutes(u32::MAX),
        SlaWindow::calendar_minutes(u32::MAX),
    ] {
        let mut policy = SlaPolicy::default();
        policy.by_level[3].resolution = window;
        let states = with_policy(&policy, |ctx| evaluate(&open_complaint(), ctx, filed()));
        assert!(states[3].1.due().unwrap() > filed() + Duration::days(365 * 1000));
    }
    let far = ClockInputs {
        filed_at: DateTime::<Utc>::MAX_UTC - h(1),
        ..open_complaint()
    };
    let states = states_at(&far, far.filed_at);
    assert_eq!(states[3].1.due(), Some(DateTime::<Utc>::MAX_UTC));
}

mod stored_deadlines {
    use chrono::{DateTime, Duration, TimeZone, Utc};
    use domain::sla::{deadlines, evaluate, overall, ClockInputs};
    use domain::{BusinessCalendar, Level, Pause, Policy, SlaContext, Status};

    fn inputs(
        status: Status,
        contact_after_hours: Option<i64>,
        resolved_after_days: Option<i64>,
    ) -> ClockInputs {
        // Monday 2 November 2026, 17:00 in Shanghai: half an hour before closing.
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
            pauses: Vec::new(),
        }
    }

    fn paused(mut c: ClockInputs, pauses: &[(i64, Option<i64>)]) -> ClockInputs {
        let at = |h: i64| c.filed_at + Duration::hours(h);
        c.pauses = pauses
            .iter()
            .map(|(from, to)| Pause {
                from: at(*from),
                to: to.map(at),
            })
            .collect();
        c
    }

    fn urgent(c: ClockInputs) -> ClockInputs {
        ClockInputs {
            emergency: true,
            ..c
        }
    }

    #[test]
    fn the_stored_deadlines_give_the_same_state_as_the_clocks_at_every_moment() {
        let policy = Policy::default();
        let calendar = BusinessCalendar::official();
        let ctx = SlaContext::new(&policy, &calendar);
        let cases = [
            inputs(Status::Filed, None, None),
            inputs(Status::Investigating, Some(1), None),
            inputs(Status::Investigating, Some(3), None),
            inputs(Status::Resolved, Some(1), Some(5)),
            inputs(Status::Resolved, Some(5), Some(9)),
            inputs(Status::Reopened, Some(1), Some(5)),
            inputs(Status::Closed, None, None),
            paused(
                inputs(Status::Investigating, Some(1), None),
                &[(20, Some(70))],
            ),
            paused(inputs(Status::Investigating, Some(1), None), &[(20, None)]),
            paused(
                inputs(Status::Investigating, Some(3), None),
                &[(2, Some(30)), (100, None)],
            ),
            paused(inputs(Status::Resolved, Some(1), Some(9)), &[(30, None)]),
            urgent(inputs(Status::Filed, None, None)),
            urgent(paused(
                inputs(Status::Investigating, Some(1), None),
                &[(5, Some(40))],
            )),
        ];
        for case in &cases {
            let stored = deadlines(case, &ctx);
            // `now` is never before an event that has been recorded.
            let latest: DateTime<Utc> = [
                case.first_contact_at,
                case.first_reply_at,
                case.last_progress_at,
                case.resolved_at,
            ]
            .into_iter()
            .flatten()
            .chain(
                case.pauses
                    .iter()
                    .flat_map(|p| [Some(p.from), p.to])
                    .flatten(),
            )
            .max()
            .unwrap_or(case.filed_at);
            for minutes in (0..(16 * 24 * 60)).step_by(17) {
                let now = latest + Duration::minutes(minutes);
                assert_eq!(
                    stored.state_at(now),
                    overall(&evaluate(case, &ctx, now)),
                    "{case:?} at +{minutes} min"
                );
            }
        }
    }

    #[test]
    fn a_new_complaint_warns_before_its_first_contact_is_due() {
        let case = inputs(Status::Filed, None, None);
        let policy = Policy::default();
        let calendar = BusinessCalendar::official();
        let stored = deadlines(&case, &SlaContext::new(&policy, &calendar));
        // Received Monday 17:00: 30 min that day, 90 min on Tuesday from 08:30.
        let tuesday = |h: u32, m: u32| Utc.with_ymd_and_hms(2026, 11, 3, h - 8, m, 0).unwrap();
        assert_eq!(stored.due_at, Some(tuesday(10, 0)));
        // Warned once 90 of the 120 minutes are used.
        assert_eq!(stored.warn_at, Some(tuesday(9, 30)));
    }
}
