//! The business calendar as administrators keep it (app/domain/docs/working-time.md):
//! one year at a time, holidays and make-up working days, validated by the domain and
//! audited; a saved year replaces the official schedule shipped for it.

use app::error::{AppError, AppResult, FieldErrors};
use app::model::{Actor, CalendarAdmin, CalendarInput, CalendarYearView};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::calendar::{BusinessCalendar, CalendarYear};
use domain::{Lang, Role};

use crate::error::internal;
use crate::policy::PolicyHandle;

/// The page: every year the calendar knows, newest first, and next year when it is due.
pub fn admin_view(policy: &PolicyHandle, now: DateTime<Utc>) -> CalendarAdmin {
    let calendar = policy.calendar();
    let local_year = now
        .with_timezone(&policy.current().time_zone())
        .date_naive();
    let mut years: Vec<CalendarYearView> = calendar
        .years()
        .map(|year| view_of(&calendar, year))
        .collect();
    years.reverse();
    CalendarAdmin {
        years,
        missing_next_year: missing_next_year(&calendar, local_year),
    }
}

/// From 1 November, next year is due: `Some(year)` while the calendar lacks it.
pub fn missing_next_year(calendar: &BusinessCalendar, today: NaiveDate) -> Option<i32> {
    let next = today.year() + 1;
    (today.month() >= 11 && !calendar.knows_year(next)).then_some(next)
}

fn view_of(calendar: &BusinessCalendar, year: &CalendarYear) -> CalendarYearView {
    let (holidays, makeup_workdays) = year.to_text();
    let saved = BusinessCalendar::official().year(year.year) != Some(year);
    let working_days = NaiveDate::from_ymd_opt(year.year, 1, 1)
        .map(|first| {
            first
                .iter_days()
                .take_while(|d| d.year() == year.year)
                .filter(|d| calendar.is_working_day(*d))
                .count()
        })
        .unwrap_or(0);
    CalendarYearView {
        year: year.year,
        holidays,
        makeup_workdays,
        saved,
        working_days: u32::try_from(working_days).unwrap_or(0),
    }
}

/// Validates and saves one year; every problem is listed under its field.
pub async fn save(
    policy: &PolicyHandle,
    pool: &sqlx::AnyPool,
    actor: &Actor,
    input: CalendarInput,
    lang: Lang,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if actor.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let echo = |errors: &mut FieldErrors| {
        errors.echo.insert("year".to_owned(), input.year.clone());
        errors
            .echo
            .insert("holidays".to_owned(), input.holidays.clone());
        errors
            .echo
            .insert("makeup_workdays".to_owned(), input.makeup_workdays.clone());
    };
    let year = match input.year.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => y,
        _ => {
            let mut errors = FieldErrors::one(
                "year",
                match lang {
                    Lang::Zh => "请填写2000至2100之间的年份",
                    Lang::En => "Enter a year from 2000 to 2100",
                },
            );
            echo(&mut errors);
            return Err(AppError::Validation(errors));
        }
    };
    let parsed = CalendarYear::parse(year, &input.holidays, &input.makeup_workdays);
    let year = match parsed {
        Ok(year) => year,
        Err(problems) => {
            let mut errors = FieldErrors::default();
            for problem in problems {
                let field = problem.list.field().to_owned();
                let message = problem.message(lang);
                errors
                    .fields
                    .entry(field)
                    .and_modify(|m: &mut String| {
                        m.push('\n');
                        m.push_str(&message);
                    })
                    .or_insert(message);
            }
            echo(&mut errors);
            return Err(AppError::Validation(errors));
        }
    };
    match policy
        .save_calendar_year(pool, year, actor.user_id, now)
        .await
    {
        Ok(()) => Ok(()),
        Err(e) => Err(internal("saving a calendar year", e)),
    }
}
