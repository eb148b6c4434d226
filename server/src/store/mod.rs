//! Persistence, one module per aggregate. SQL lives here and only here, with bound
//! parameters, written to run on SQLite and PostgreSQL alike.

pub mod accounts;
pub mod admin;
pub mod backup;
pub mod calendar;
pub mod classifier;
pub mod complaints;
pub mod deliveries;
pub mod directory;
pub mod estate;
pub mod estate_admin;
pub mod events;
pub mod evidence;
pub mod faq;
pub mod inbox;
pub mod leader;
pub mod logins;
pub mod notifications;
pub mod outbox;
pub mod reports;
pub mod sql;
pub mod surveys;
pub mod users;

use chrono::{DateTime, TimeDelta, Utc};

/// Times are stored as UTC epoch milliseconds.
pub fn to_ms(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// `YYYY-MM` of `at` in the portal's zone (China Standard Time), the month a
/// complaint counts for in reports.
pub fn local_month(at: DateTime<Utc>, utc_offset_minutes: i32) -> String {
    (at.naive_utc() + TimeDelta::minutes(i64::from(utc_offset_minutes)))
        .format("%Y-%m")
        .to_string()
}
