//! The business calendar and service time (rules.md "Amendments", calendar-cn.md,
//! `app/domain/docs/working-time.md`): the official schedules day by day, what an
//! administrator may type, and deadlines in service time.

use std::collections::BTreeSet;

use chrono::{
    DateTime, Datelike, Days, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Timelike, Utc,
    Weekday,
};
use domain::calendar::{
    calendar_time_between, CalendarList, CalendarProblemKind, Pause, TimeBasis,
};
use domain::{BusinessCalendar, CalendarYear, Lang, ServiceHours, WorkingTime};
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

/// Wall-clock time in Shanghai.
fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    shanghai()
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn hours(h: i64) -> Duration {
    Duration::hours(h)
}

mod official_notices {
    //! The notices as published, transcribed independently of the shipped table: each
    //! holiday's first and last day off, the number of days the notice states, and its
    //! make-up working days.

    use super::*;

    type Holiday = (
        &'static str,
        (u32, u32),
        (u32, u32),
        u32,
        &'static [(u32, u32)],
    );

    /// 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号).
    const NOTICE_2025: &[Holiday] = &[
        ("元旦", (1, 1), (1, 1), 1, &[]),
        ("春节", (1, 28), (2, 4), 8, &[(1, 26), (2, 8)]),
        ("清明节", (4, 4), (4, 6), 3, &[]),
        ("劳动节", (5, 1), (5, 5), 5, &[(4, 27)]),
        ("端午节", (5, 31), (6, 2), 3, &[]),
        ("国庆节、中秋节", (10, 1), (10, 8), 8, &[(9, 28), (10, 11)]),
    ];

    /// 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04), as in calendar-cn.md.
    const NOTICE_2026: &[Holiday] = &[
        ("元旦", (1, 1), (1, 3), 3, &[(1, 4)]),
        ("春节", (2, 15), (2, 23), 9, &[(2, 14), (2, 28)]),
        ("清明节", (4, 4), (4, 6), 3, &[]),
        ("劳动节", (5, 1), (5, 5), 5, &[(5, 9)]),
        ("端午节", (6, 19), (6, 21), 3, &[]),
        ("中秋节", (9, 25), (9, 27), 3, &[]),
        ("国庆节", (10, 1), (10, 7), 7, &[(9, 20), (10, 10)]),
    ];

    fn expected_working_day(year: i32, notice: &[Holiday], day: NaiveDate) -> bool {
        let d = |(m, dd): (u32, u32)| date(year, m, dd);
        if notice
            .iter()
            .any(|(_, first, last, _, _)| d(*first) <= day && day <= d(*last))
        {
            return false;
        }
        if notice
            .iter()
            .any(|(_, _, _, _, makeup)| makeup.iter().any(|md| d(*md) == day))
        {
            return true;
        }
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }

    fn check_year(year: i32, notice: &[Holiday]) {
        let calendar = BusinessCalendar::official();
        assert!(calendar.knows_year(year));
        assert!(calendar.is_official(year));
        for (name, first, last, days, makeup) in notice {
            let span = date(year, last.0, last.1) - date(year, first.0, first.1);
            assert_eq!(span.num_days() + 1, i64::from(*days), "{year} {name}");
            for (m, d) in *makeup {
                let day = date(year, *m, *d);
                assert!(
                    matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
                    "{year} {name}: make-up day {day} is a weekend day"
                );
            }
        }
        let mut day = date(year, 1, 1);
        let mut working = 0;
        while day.year() == year {
            let expected = expected_working_day(year, notice, day);
            assert_eq!(calendar.is_working_day(day), expected, "{day}");
            working += i32::from(expected);
            day = day.succ_opt().unwrap();
        }
        // Counted by hand from the notices: 261 weekdays, minus the days off that fall on a
        // weekday (18 in 2025, 19 in 2026), plus the make-up days (5, 6).
        let expected_total = match year {
            2025 => 261 - 18 + 5,
            _ => 261 - 19 + 6,
        };
        assert_eq!(working, expected_total, "working days in {year}");
    }

    #[test]
    fn every_day_of_2025_is_as_the_notice_says() {
        check_year(2025, NOTICE_2025);
    }

    #[test]
    fn every_day_of_2026_is_as_the_notice_says() {
        check_year(2026, NOTICE_2026);
    }

    #[test]
    fn the_2026_spring_festival_is_nine_days() {
        let calendar = BusinessCalendar::official();
        let off: Vec<NaiveDate> = (0..19)
            .map(|i| date(2026, 2, 10) + Days::new(i))
            .filter(|d| !calendar.is_working_day(*d))
            .collect();
        let festival: Vec<NaiveDate> = (15..=23).map(|d| date(2026, 2, d)).collect();
        assert_eq!(off, festival);
        assert!(calendar.is_working_day(date(2026, 2, 14)));
        assert!(calendar.is_working_day(date(2026, 2, 28)));
    }
}

mod calendar_years {
    use super::*;

    #[test]
    fn a_year_the_calendar_does_not_know_is_monday_to_friday() {
        let calendar = BusinessCalendar::official();
        assert!(!calendar.knows_year(2027));
        assert!(!calendar.knows_year(2024));
        // 1 January 2027 is a Friday; 1 October 2024 a Tuesday: both working days here.
        assert!(calendar.is_working_day(date(2027, 1, 1)));
        assert!(calendar.is_working_day(date(2024, 10, 1)));
        assert!(!calendar.is_working_day(date(2027, 1, 2)));
        let empty = BusinessCalendar::empty();
        assert!(empty.is_working_day(date(2026, 10, 1)));
        assert!(!empty.is_working_day(date(2026, 10, 10)));
    }

    #[test]
    fn an_administrator_s_year_replaces_the_shipped_one_and_adds_new_ones() {
        let mine = CalendarYear::parse(2026, "2026-10-01..2026-10-08", "").unwrap();
        let next = CalendarYear::parse(2027, "2027-01-01", "").unwrap();
        let calendar = BusinessCalendar::new([mine.clone(), next.clone()]);
        assert_eq!(calendar.year(2026), Some(&mine));
        assert!(!calendar.is_official(2026));
        assert!(calendar.is_official(2025));
        assert!(!calendar.is_working_day(date(2026, 10, 8)));
        // The make-up Saturday is gone with the shipped year.
        assert!(!calendar.is_working_day(date(2026, 10, 10)));
        assert!(!calendar.is_working_day(date(2027, 1, 1)));
        let years: Vec<i32> = calendar.years().map(|y| y.year).collect();
        assert_eq!(years, [2025, 2026, 2027]);
        // Back to the shipped year.
        let official = BusinessCalendar::official_year(2026).unwrap();
        let mut calendar = calendar.with_year(official.clone());
        assert!(calendar.is_official(2026));
        assert_eq!(calendar.insert(next.clone()), Some(next.clone()));
        assert_eq!(calendar.remove(2027), Some(next));
        assert_eq!(calendar, BusinessCalendar::official());
        assert_eq!(BusinessCalendar::official_year(2024), None);
        assert_eq!(BusinessCalendar::default(), BusinessCalendar::official());
    }

    #[test]
    fn a_calendar_travels_as_the_list_of_its_years() {
        let calendar = BusinessCalendar::official();
        let json = serde_json::to_value(&calendar).unwrap();
        assert_eq!(json[0]["year"], 2025);
        assert_eq!(json[1]["makeup_workdays"][0], "2026-01-04");
        let back: BusinessCalendar = serde_json::from_value(json).unwrap();
        assert_eq!(back, calendar);
    }

    #[test]
    fn service_hours_read_and_write_as_clock_times_and_must_be_ordered() {
        let hours: ServiceHours =
            serde_json::from_str(r#"{ "opens": "9:00", "closes": "18:00" }"#).unwrap();
        assert_eq!(hours.opens, NaiveTime::from_hms_opt(9, 0, 0).unwrap());
        assert_eq!(
            serde_json::to_string(&hours).unwrap(),
            r#"{"opens":"09:00","closes":"18:00"}"#
        );
        assert_eq!(hours.daily(), hours_of(9));
        let backwards = ServiceHours {
            opens: hours.closes,
            closes: hours.opens,
        };
        assert!(!backwards.is_valid());
        assert!(ServiceHours::new(backwards.opens, backwards.closes).is_none());
        assert_eq!(backwards.or_default(), ServiceHours::default());
        assert!(serde_json::from_str::<ServiceHours>(r#"{ "opens": "9h" }"#).is_err());
    }

    fn hours_of(h: i64) -> Duration {
        Duration::hours(h)
    }
}

mod administrator_text {
    use super::*;

    fn refusals(
        holidays: &str,
        makeup: &str,
    ) -> Vec<(CalendarList, Option<usize>, CalendarProblemKind)> {
        CalendarYear::parse(2026, holidays, makeup)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.list, p.line, p.kind))
            .collect()
    }

    #[test]
    fn lines_commas_ranges_and_comments_are_read() {
        let holidays = "
            # 2026 — 国务院办公厅通知
            2026-01-01..2026-01-03   # 元旦

            2026-02-15 - 2026-02-23, 2026-04-04~2026-04-06
            2026-05-01～2026-05-05，2026-06-19至2026-06-21
            2026/9/25 .. 2026/9/27、２０２６－１０－０１..２０２６－１０－０７
        ";
        let makeup = "2026-01-04, 2026-02-14\n2026-02-28\n2026-05-09 ; 2026-09-20\n2026-10-10";
        let year = CalendarYear::parse(2026, holidays, makeup).unwrap();
        assert_eq!(year, BusinessCalendar::official_year(2026).unwrap());
    }

    #[test]
    fn a_holiday_on_a_weekend_is_fine_and_repeats_are_harmless() {
        let year = CalendarYear::parse(2026, "2026-10-03\n2026-10-03\n2026-10-01..2026-10-04", "")
            .unwrap();
        assert_eq!(year.holidays.len(), 4);
        assert!(CalendarYear::parse(2026, "", "")
            .unwrap()
            .holidays
            .is_empty());
    }

    #[test]
    fn an_unreadable_entry_is_refused_with_its_line() {
        let problems =
            CalendarYear::parse(2026, "2026-10-01\n\n国庆 7 天, 2026-10-02", "").unwrap_err();
        assert_eq!(problems.len(), 1);
        let p = &problems[0];
        assert_eq!((p.list, p.line), (CalendarList::Holidays, Some(3)));
        assert_eq!(p.entry, "国庆 7 天");
        assert_eq!(p.kind, CalendarProblemKind::Unreadable);
        assert_eq!(
            p.message(Lang::Zh),
            "节假日第3行：“国庆 7 天”不是日期或日期范围（例如 2026-10-01 或 2026-10-01..2026-10-07）"
        );
        assert_eq!(
            p.message(Lang::En),
            "Holidays, line 3: “国庆 7 天” is not a date or a date range (e.g. 2026-10-01 or \
             2026-10-01..2026-10-07)"
        );
        let field = p.field_error();
        assert_eq!(field.field(), "holidays");
        assert_eq!(field.message(Lang::Zh), p.message(Lang::Zh));
    }

    #[test]
    fn a_date_outside_the_year_is_refused() {
        assert_eq!(
            refusals("2025-10-01", ""),
            [(
                CalendarList::Holidays,
                Some(1),
                CalendarProblemKind::OutsideYear {
                    date: date(2025, 10, 1),
                    year: 2026
                }
            )]
        );
        // A range across the new year: its end outside the year is named.
        let problems = CalendarYear::parse(2026, "2026-12-31..2027-01-02", "").unwrap_err();
        assert_eq!(
            problems[0].kind,
            CalendarProblemKind::OutsideYear {
                date: date(2027, 1, 2),
                year: 2026
            }
        );
        assert_eq!(
            problems[0].message(Lang::Zh),
            "节假日第1行：2027-01-02 不在2026年内"
        );
        assert_eq!(
            problems[0].message(Lang::En),
            "Holidays, line 1: 2027-01-02 is not in 2026"
        );
    }

    #[test]
    fn a_backwards_range_is_refused() {
        let problems = CalendarYear::parse(2026, "2026-10-07..2026-10-01", "").unwrap_err();
        assert_eq!(
            problems[0].kind,
            CalendarProblemKind::BackwardsRange {
                from: date(2026, 10, 7),
                to: date(2026, 10, 1)
            }
        );
        assert_eq!(
            problems[0].message(Lang::En),
            "Holidays, line 1: the range 2026-10-07 to 2026-10-01 ends before it starts"
        );
    }

    #[test]
    fn a_make_up_day_on_a_weekday_is_refused() {
        let problems = CalendarYear::parse(2026, "", "2026-10-10\n2026-10-12").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].list, CalendarList::MakeupWorkdays);
        assert_eq!(problems[0].line, Some(2));
        assert_eq!(
            problems[0].message(Lang::Zh),
            "调休上班日第2行：2026-10-12 是周一，调休上班日只能是周六或周日"
        );
        assert_eq!(
            problems[0].message(Lang::En),
            "Make-up working days, line 2: 2026-10-12 is a Monday; a make-up working day must \
             be a Saturday or a Sunday"
        );
        assert_eq!(problems[0].field_error().field(), "makeup_workdays");
        // Every weekday of a range is named.
        assert_eq!(
            CalendarYear::parse(2026, "", "2026-10-09..2026-10-12")
                .unwrap_err()
                .len(),
            2
        );
    }

    #[test]
    fn a_day_that_is_both_a_holiday_and_a_make_up_day_is_refused() {
        let problems =
            CalendarYear::parse(2026, "2026-10-01\n2026-10-10", "2026-10-10").unwrap_err();
        assert_eq!(
            problems[0].kind,
            CalendarProblemKind::InBothLists {
                date: date(2026, 10, 10),
                holiday_line: Some(2)
            }
        );
        assert_eq!(
            problems[0].message(Lang::Zh),
            "调休上班日第1行：2026-10-10 同时列为节假日（第2行），不能既放假又上班"
        );
        assert_eq!(
            problems[0].message(Lang::En),
            "Make-up working days, line 1: 2026-10-10 is also listed as a holiday (line 2); a \
             day cannot be both"
        );
    }

    #[test]
    fn every_problem_is_listed_at_once_in_list_and_line_order() {
        let listed = refusals(
            "2026-10-01\nsoon\n2025-01-01\n2026-10-10",
            "2026-10-12\n2026-10-10\n2026-10-17..2026-10-16",
        );
        let kinds: Vec<(CalendarList, Option<usize>)> =
            listed.iter().map(|(l, n, _)| (*l, *n)).collect();
        assert_eq!(
            kinds,
            [
                (CalendarList::Holidays, Some(2)),
                (CalendarList::Holidays, Some(3)),
                (CalendarList::MakeupWorkdays, Some(1)),
                (CalendarList::MakeupWorkdays, Some(2)),
                (CalendarList::MakeupWorkdays, Some(3)),
            ]
        );
    }

    #[test]
    fn a_stored_year_is_checked_the_same_way_without_lines() {
        let mut year = BusinessCalendar::official_year(2026).unwrap();
        assert_eq!(year.validate(), Ok(()));
        year.holidays.insert(date(2027, 1, 1));
        year.makeup_workdays.insert(date(2026, 10, 12));
        year.makeup_workdays.insert(date(2026, 10, 3));
        let problems = year.validate().unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(problems.iter().all(|p| p.line.is_none()));
        assert_eq!(
            problems[0].message(Lang::En),
            "Holidays: 2027-01-01 is not in 2026"
        );
    }

    #[test]
    fn the_text_written_back_is_compact_and_reads_back_the_same() {
        for year in [2025, 2026] {
            let official = BusinessCalendar::official_year(year).unwrap();
            let (holidays, makeup) = official.to_text();
            assert_eq!(CalendarYear::parse(year, &holidays, &makeup), Ok(official));
        }
        let (holidays, makeup) = BusinessCalendar::official_year(2026).unwrap().to_text();
        assert_eq!(
            holidays,
            "2026-01-01..2026-01-03\n2026-02-15..2026-02-23\n2026-04-04..2026-04-06\n\
             2026-05-01..2026-05-05\n2026-06-19..2026-06-21\n2026-09-25..2026-09-27\n\
             2026-10-01..2026-10-07"
        );
        assert_eq!(
            makeup,
            "2026-01-04\n2026-02-14\n2026-02-28\n2026-05-09\n2026-09-20\n2026-10-10"
        );
    }

    proptest! {
        #[test]
        fn any_valid_year_survives_the_round_trip_through_text(
            holiday_days in proptest::collection::btree_set(0u64..365, 0..40),
            makeup_days in proptest::collection::btree_set(0u64..365, 0..20),
        ) {
            let day = |i: u64| date(2026, 1, 1) + Days::new(i);
            let holidays: BTreeSet<NaiveDate> = holiday_days.iter().map(|i| day(*i)).collect();
            let makeup_workdays: BTreeSet<NaiveDate> = makeup_days
                .iter()
                .map(|i| day(*i))
                .filter(|d| matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
                .filter(|d| !holidays.contains(d))
                .collect();
            let year = CalendarYear { year: 2026, holidays, makeup_workdays };
            let (h, m) = year.to_text();
            prop_assert_eq!(CalendarYear::parse(2026, &h, &m), Ok(year));
        }
    }
}

mod service_time {
    use super::*;

    fn calendar() -> BusinessCalendar {
        BusinessCalendar::official()
    }

    fn due(calendar: &BusinessCalendar, start: DateTime<Utc>, window: Duration) -> DateTime<Utc> {
        WorkingTime::new(calendar, ServiceHours::default(), shanghai()).add(start, window)
    }

    fn between(calendar: &BusinessCalendar, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        WorkingTime::new(calendar, ServiceHours::default(), shanghai()).between(from, to)
    }

    #[test]
    fn the_examples_of_the_brief_hold() {
        let cal = calendar();
        // Wednesday 30 September 16:00: 1.5 h that day, 1–7 October off, 0.5 h on 8 October.
        assert_eq!(
            due(&cal, local(2026, 9, 30, 16, 0), hours(2)),
            local(2026, 10, 8, 9, 0)
        );
        // Friday 4 December 19:00: Monday 10:30.
        assert_eq!(
            due(&cal, local(2026, 12, 4, 19, 0), hours(2)),
            local(2026, 12, 7, 10, 30)
        );
        // Saturday 14 February 10:00 is a make-up working day: it counts.
        assert_eq!(
            due(&cal, local(2026, 2, 14, 10, 0), hours(2)),
            local(2026, 2, 14, 12, 0)
        );
    }

    #[test]
    fn evenings_and_early_mornings_start_at_the_next_opening() {
        let cal = calendar();
        assert_eq!(
            due(&cal, local(2026, 11, 24, 6, 0), hours(1)),
            local(2026, 11, 24, 9, 30)
        );
        assert_eq!(
            due(&cal, local(2026, 11, 24, 17, 30), hours(1)),
            local(2026, 11, 25, 9, 30)
        );
        assert_eq!(
            due(&cal, local(2026, 11, 24, 23, 59), hours(1)),
            local(2026, 11, 25, 9, 30)
        );
        // Received at 17:00: half an hour that day.
        assert_eq!(
            due(&cal, local(2026, 11, 24, 17, 0), hours(1)),
            local(2026, 11, 25, 9, 0)
        );
    }

    #[test]
    fn a_window_that_runs_out_at_closing_is_due_at_closing() {
        let cal = calendar();
        assert_eq!(
            due(&cal, local(2026, 11, 24, 15, 30), hours(2)),
            local(2026, 11, 24, 17, 30)
        );
        // One whole working day from an opening.
        assert_eq!(
            due(&cal, local(2026, 11, 24, 8, 30), hours(9)),
            local(2026, 11, 24, 17, 30)
        );
        // Friday's closing, not Monday's opening.
        assert_eq!(
            due(&cal, local(2026, 12, 4, 12, 0), Duration::minutes(330)),
            local(2026, 12, 4, 17, 30)
        );
        // From the evening, the whole next working day.
        assert_eq!(
            due(&cal, local(2026, 12, 4, 19, 0), hours(9)),
            local(2026, 12, 7, 17, 30)
        );
    }

    #[test]
    fn a_window_of_zero_is_due_at_once() {
        let cal = calendar();
        let saturday_night = local(2026, 12, 5, 23, 0);
        assert_eq!(due(&cal, saturday_night, Duration::zero()), saturday_night);
        assert_eq!(
            due(&cal, saturday_night, Duration::minutes(-5)),
            saturday_night
        );
    }

    #[test]
    fn weekends_are_skipped() {
        let cal = calendar();
        assert_eq!(
            due(&cal, local(2026, 12, 4, 16, 30), hours(2)),
            local(2026, 12, 7, 9, 30)
        );
        assert_eq!(
            due(&cal, local(2026, 12, 5, 11, 0), hours(1)),
            local(2026, 12, 7, 9, 30)
        );
        assert_eq!(
            between(&cal, local(2026, 12, 4, 17, 0), local(2026, 12, 7, 9, 0)),
            Duration::minutes(60)
        );
    }

    #[test]
    fn make_up_weekend_days_count() {
        let cal = calendar();
        // Friday 13 February 16:00 + 3 h: 1.5 h Friday, 1.5 h on Saturday 14 February.
        assert_eq!(
            due(&cal, local(2026, 2, 13, 16, 0), hours(3)),
            local(2026, 2, 14, 10, 0)
        );
        // Friday 27 February 17:00 + 1 h: Saturday 28 February 09:00.
        assert_eq!(
            due(&cal, local(2026, 2, 27, 17, 0), hours(1)),
            local(2026, 2, 28, 9, 0)
        );
        // Saturday 19 September is a day off; Sunday 20 September is worked.
        assert_eq!(
            due(&cal, local(2026, 9, 19, 10, 0), hours(1)),
            local(2026, 9, 20, 9, 30)
        );
        // Friday 9 October 17:00 + 1 h: Saturday 10 October 09:00.
        assert_eq!(
            due(&cal, local(2026, 10, 9, 17, 0), hours(1)),
            local(2026, 10, 10, 9, 0)
        );
        // 2025: Sunday 26 January and Sunday 27 April were worked.
        assert_eq!(
            due(&cal, local(2025, 1, 26, 8, 0), hours(1)),
            local(2025, 1, 26, 9, 30)
        );
        assert_eq!(
            due(&cal, local(2025, 4, 25, 17, 30), hours(1)),
            local(2025, 4, 27, 9, 30)
        );
    }

    #[test]
    fn the_2026_spring_festival_stops_the_clock_for_nine_days() {
        let cal = calendar();
        // Saturday 14 February (worked) 16:00 + 2 h: 1.5 h that day, then 15–23 February off.
        assert_eq!(
            due(&cal, local(2026, 2, 14, 16, 0), hours(2)),
            local(2026, 2, 24, 9, 0)
        );
        // 13, 14 and 24 February are the only working days from the 13th to the 25th.
        assert_eq!(
            between(&cal, local(2026, 2, 13, 8, 30), local(2026, 2, 25, 8, 30)),
            hours(27)
        );
        // Received during the festival: counting starts on 24 February; seven working days
        // are 24–28 February (the 28th worked), 2 and 3 March.
        assert_eq!(
            due(&cal, local(2026, 2, 17, 10, 0), hours(63)),
            local(2026, 3, 3, 17, 30)
        );
    }

    #[test]
    fn national_day_and_mid_autumn_stop_the_clock() {
        let cal = calendar();
        // Thursday 24 September 17:00 + 1 h: Mid-Autumn 25–27 September, Monday 28th 09:00.
        assert_eq!(
            due(&cal, local(2026, 9, 24, 17, 0), hours(1)),
            local(2026, 9, 28, 9, 0)
        );
        // 2025: National Day and Mid-Autumn together, 1–8 October; 11 October worked.
        assert_eq!(
            due(&cal, local(2025, 9, 30, 17, 0), hours(1)),
            local(2025, 10, 9, 9, 0)
        );
        assert_eq!(
            due(&cal, local(2025, 10, 10, 17, 0), hours(1)),
            local(2025, 10, 11, 9, 0)
        );
        assert_eq!(
            between(&cal, local(2026, 9, 30, 0, 0), local(2026, 10, 9, 0, 0)),
            hours(18)
        );
    }

    #[test]
    fn long_windows_are_counted_in_whole_working_days() {
        let cal = calendar();
        // 63 service hours from Monday 7 December 08:30: seven working days.
        assert_eq!(
            due(&cal, local(2026, 12, 7, 8, 30), hours(63)),
            local(2026, 12, 15, 17, 30)
        );
        // A year of service time lands on a working day's service hours.
        let far = due(&cal, local(2026, 1, 5, 8, 30), hours(9 * 250));
        assert_eq!(between(&cal, local(2026, 1, 5, 8, 30), far), hours(9 * 250));
    }

    #[test]
    fn a_year_the_calendar_does_not_know_counts_monday_to_friday() {
        let cal = calendar();
        // 1 January 2027 (Friday) has no schedule yet: a working day.
        assert_eq!(
            due(&cal, local(2026, 12, 31, 17, 0), hours(1)),
            local(2027, 1, 1, 9, 0)
        );
        let empty = BusinessCalendar::empty();
        assert_eq!(
            due(&empty, local(2026, 9, 30, 16, 0), hours(2)),
            local(2026, 10, 1, 9, 0)
        );
    }

    #[test]
    fn other_service_hours_and_zones_are_respected() {
        let cal = calendar();
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let long_day = ServiceHours::new(t(8, 0), t(20, 0)).unwrap();
        let wt = WorkingTime::new(&cal, long_day, shanghai());
        assert_eq!(
            wt.add(local(2026, 12, 4, 19, 0), hours(2)),
            local(2026, 12, 7, 9, 0)
        );
        // The same rules in UTC: 19:00 UTC on Friday is after closing there too.
        let utc = FixedOffset::east_opt(0).unwrap();
        let wt = WorkingTime::new(&cal, ServiceHours::default(), utc);
        let friday = Utc.with_ymd_and_hms(2026, 12, 4, 19, 0, 0).unwrap();
        assert_eq!(
            wt.add(friday, hours(2)),
            Utc.with_ymd_and_hms(2026, 12, 7, 10, 30, 0).unwrap()
        );
        // Invalid hours fall back to 08:30–17:30 instead of looping.
        let invalid = ServiceHours {
            opens: t(18, 0),
            closes: t(9, 0),
        };
        let wt = WorkingTime::new(&cal, invalid, shanghai());
        assert_eq!(
            wt.add(local(2026, 12, 4, 19, 0), hours(2)),
            local(2026, 12, 7, 10, 30)
        );
    }

    #[test]
    fn pauses_stop_the_clock_and_it_resumes_where_it_stopped() {
        let cal = calendar();
        let wt = WorkingTime::new(&cal, ServiceHours::default(), shanghai());
        let start = local(2026, 11, 23, 9, 0);
        // Paused 10:00–14:00 on Monday: 4 h of service time do not count.
        let pause = [Pause::between(
            local(2026, 11, 23, 10, 0),
            local(2026, 11, 23, 14, 0),
        )];
        assert_eq!(
            wt.add_with_pauses(start, hours(3), &pause),
            Some(local(2026, 11, 23, 16, 0))
        );
        assert_eq!(
            wt.between_with_pauses(start, local(2026, 11, 23, 16, 0), &pause),
            hours(3)
        );
        // Still paused: no deadline, and the time used stays where it stopped.
        let open = [Pause::since(local(2026, 11, 23, 10, 0))];
        assert_eq!(wt.add_with_pauses(start, hours(3), &open), None);
        assert_eq!(
            wt.between_with_pauses(start, local(2026, 12, 30, 0, 0), &open),
            hours(1)
        );
        // A deadline reached before the pause began stands.
        assert_eq!(
            wt.add_with_pauses(start, Duration::minutes(30), &open),
            Some(local(2026, 11, 23, 9, 30))
        );
        assert_eq!(
            wt.add_with_pauses(start, hours(1), &open),
            Some(local(2026, 11, 23, 10, 0))
        );
        // Paused over a weekend and a night costs nothing more than the service time in it.
        let weekend = [Pause::between(
            local(2026, 11, 27, 17, 0),
            local(2026, 11, 30, 9, 0),
        )];
        assert_eq!(
            wt.add_with_pauses(local(2026, 11, 27, 16, 0), hours(2), &weekend),
            Some(local(2026, 11, 30, 10, 0))
        );
        // A pause before the start, or an empty one, changes nothing.
        let earlier = [
            Pause::between(local(2026, 11, 20, 9, 0), local(2026, 11, 20, 12, 0)),
            Pause::between(local(2026, 11, 23, 11, 0), local(2026, 11, 23, 11, 0)),
        ];
        assert_eq!(
            wt.add_with_pauses(start, hours(3), &earlier),
            Some(wt.add(start, hours(3)))
        );
    }

    #[test]
    fn pauses_stop_calendar_clocks_too() {
        let cal = calendar();
        let wt = WorkingTime::new(&cal, ServiceHours::default(), shanghai());
        let start = local(2026, 12, 5, 22, 0);
        let pause = [Pause::between(start + hours(1), start + hours(5))];
        assert_eq!(
            wt.add_in(TimeBasis::Calendar, start, hours(2), &pause),
            Some(start + hours(6))
        );
        assert_eq!(
            wt.add_in(TimeBasis::Calendar, start, hours(2), &[Pause::since(start)]),
            None
        );
        assert_eq!(
            wt.between_in(TimeBasis::Calendar, start, start + hours(10), &pause),
            hours(6)
        );
        assert_eq!(
            calendar_time_between(start, start + hours(10), &pause),
            hours(6)
        );
    }

    #[test]
    fn absurd_inputs_saturate_quickly() {
        let cal = calendar();
        let wt = WorkingTime::new(&cal, ServiceHours::default(), shanghai());
        let huge = Duration::MAX;
        assert_eq!(
            wt.add(local(2026, 1, 1, 0, 0), huge),
            DateTime::<Utc>::MAX_UTC
        );
        assert_eq!(
            wt.add(DateTime::<Utc>::MAX_UTC, hours(1)),
            DateTime::<Utc>::MAX_UTC
        );
        let all = wt.between(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
        assert!(all > Duration::days(365 * 100_000), "{all:?}");
        assert_eq!(
            wt.add_in(TimeBasis::Calendar, DateTime::<Utc>::MAX_UTC, hours(1), &[]),
            Some(DateTime::<Utc>::MAX_UTC)
        );
    }

    /// Service time in `[from, to)` minute by minute: the definition, slowly.
    fn minute_by_minute(
        cal: &BusinessCalendar,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Duration {
        let hours = ServiceHours::default();
        let mut t = from;
        let mut minutes = 0;
        while t < to {
            let l = t.with_timezone(&shanghai()).naive_local();
            if cal.is_working_day(l.date()) && hours.opens <= l.time() && l.time() < hours.closes {
                minutes += 1;
            }
            t += Duration::minutes(1);
        }
        Duration::minutes(minutes)
    }

    /// A minute between December 2024 and February 2027 (two unknown years at the ends).
    fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
        (0i64..(800 * 24 * 60)).prop_map(|m| local(2024, 12, 1, 0, 0) + Duration::minutes(m))
    }

    /// Up to 200 service hours, in minutes.
    fn any_window() -> impl Strategy<Value = Duration> {
        (0i64..(200 * 60)).prop_map(Duration::minutes)
    }

    proptest! {
        #[test]
        fn a_deadline_is_never_in_a_non_working_period(start in any_instant(), window in any_window()) {
            let cal = calendar();
            let due = due(&cal, start, window);
            prop_assume!(window > Duration::zero());
            let l = due.with_timezone(&shanghai()).naive_local();
            let hours = ServiceHours::default();
            prop_assert!(cal.is_working_day(l.date()), "{l}");
            // Within service hours, or exactly at closing; never at the opening itself
            // (the earliest instant is the end of the last counted minute).
            prop_assert!(hours.opens < l.time() && l.time() <= hours.closes, "{l}");
            prop_assert!(due > start);
        }

        #[test]
        fn the_time_between_start_and_deadline_is_the_window(start in any_instant(), window in any_window()) {
            let cal = calendar();
            let due = due(&cal, start, window);
            prop_assert_eq!(between(&cal, start, due), window);
            // And it is the earliest such instant.
            if window > Duration::zero() {
                prop_assert!(between(&cal, start, due - Duration::seconds(1)) < window);
            }
        }

        #[test]
        fn deadlines_are_monotone_in_start_and_window(
            a in any_instant(), b in any_instant(), v in any_window(), w in any_window()
        ) {
            let cal = calendar();
            let (early, late) = (a.min(b), a.max(b));
            let (short, long) = (v.min(w), v.max(w));
            prop_assert!(due(&cal, early, v) <= due(&cal, late, v));
            prop_assert!(due(&cal, a, short) <= due(&cal, a, long));
        }

        #[test]
        fn between_is_the_minute_by_minute_count(
            from in any_instant(), span in 0i64..(12 * 24 * 60)
        ) {
            let cal = calendar();
            let to = from + Duration::minutes(span);
            prop_assert_eq!(between(&cal, from, to), minute_by_minute(&cal, from, to));
        }

        #[test]
        fn paused_time_never_counts(
            start in any_instant(),
            window in any_window(),
            gaps in proptest::collection::vec((0i64..(5 * 24 * 60), 0i64..(3 * 24 * 60)), 0..4),
        ) {
            let cal = calendar();
            let wt = WorkingTime::new(&cal, ServiceHours::default(), shanghai());
            let mut t = start;
            let pauses: Vec<Pause> = gaps
                .iter()
                .map(|(gap, length)| {
                    let from = t + Duration::minutes(*gap);
                    t = from + Duration::minutes(*length);
                    Pause::between(from, t)
                })
                .collect();
            let due = wt.add_with_pauses(start, window, &pauses).unwrap();
            prop_assert_eq!(wt.between_with_pauses(start, due, &pauses), window);
            prop_assert!(due >= wt.add(start, window));
            // The paused service time plus the window is what the clock ran through.
            let paused: Duration = pauses
                .iter()
                .map(|p| wt.between(p.from.max(start), p.to.unwrap().min(due)))
                .filter(|d| *d > Duration::zero())
                .sum();
            prop_assert_eq!(wt.between(start, due), window + paused);
            let due_calendar = wt.add_in(TimeBasis::Calendar, start, window, &pauses).unwrap();
            prop_assert_eq!(calendar_time_between(start, due_calendar, &pauses), window);
        }
    }

    #[test]
    fn the_local_time_of_a_deadline_is_on_a_minute_for_whole_minute_inputs() {
        let cal = calendar();
        let d = due(&cal, local(2026, 5, 8, 13, 7), Duration::minutes(1000));
        assert_eq!(d.second(), 0);
    }
}
