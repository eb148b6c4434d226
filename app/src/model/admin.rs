//! Administration: people, departments, canned replies, the calendar.

use super::*;

/// An account, as administrators see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserView {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// The position held in the chain of responsibility (部门经理, 总经理…), if any.
    #[serde(default)]
    pub position: Option<domain::Position>,
    pub department_id: Option<i64>,
    pub phone: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    /// A handler's complaints still being handled (to hand on when they leave).
    #[serde(default)]
    pub open_complaints: Vec<OpenComplaint>,
}

/// A complaint still being handled, as a link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenComplaint {
    pub id: i64,
    pub tracking_code: String,
}

/// An account as an administrator submits it (`id` empty: a new account).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserInput {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub role: String,
    /// A `domain::Position` code, or empty for none.
    pub position: String,
    pub department_id: String,
    /// `on` when active.
    pub active: String,
    /// A mobile number for notices by SMS, or empty.
    pub phone: String,
    /// Required for a new account; empty keeps an existing password.
    pub password: String,
}

/// A department as an administrator submits it (`id` empty: a new department).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DepartmentInput {
    pub id: String,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub active: String,
}

/// A department as administrators see it (inactive ones too).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentView {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub active: bool,
    pub members: i64,
}

/// A canned reply as an administrator submits it (`id` empty: a new one).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CannedInput {
    pub id: String,
    pub title: String,
    pub body: String,
    /// The text for owners who read English; may be empty.
    #[serde(default)]
    pub body_en: String,
    pub active: String,
}

/// A canned reply with its state, for administrators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CannedView {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// The text for owners who read English ("" when none was written).
    #[serde(default)]
    pub body_en: String,
    pub active: bool,
}

/// One year of the business calendar, as administrators see and edit it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarYearView {
    pub year: i32,
    /// One date or range a line (`2026-10-01..2026-10-07`), as the form shows them.
    pub holidays: String,
    pub makeup_workdays: String,
    /// Saved by an administrator (false: the official schedule shipped with the portal).
    pub saved: bool,
    /// Working days in the year, for a quick check against the official notice.
    pub working_days: u32,
}

/// The calendar page: every known year, and the year that should be entered next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarAdmin {
    pub years: Vec<CalendarYearView>,
    /// From 1 November: next year, while it is missing (clocks would count Monday–Friday).
    pub missing_next_year: Option<i32>,
}

/// One year as an administrator submits it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CalendarInput {
    pub year: String,
    pub holidays: String,
    pub makeup_workdays: String,
}
