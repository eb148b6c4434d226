//! Administration (administrators only; canned replies are read by all staff).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{
    CalendarAdmin, CalendarInput, CannedInput, CannedView, DepartmentInput, DepartmentView,
    UserInput, UserView,
};

#[cfg(feature = "ssr")]
use crate::{access::Doing, ssr::require};

#[server(endpoint = "admin_users")]
pub async fn admin_users() -> Result<Vec<UserView>, AppError> {
    require(Doing::Administer)?;
    crate::ssr::backend().admin.users().await
}

#[server(endpoint = "save_user")]
pub async fn save_user(user: UserInput) -> Result<(), AppError> {
    use crate::ssr::{backend, lang};
    backend()
        .admin
        .save_user(
            &require(Doing::Administer)?,
            user,
            lang(),
            chrono::Utc::now(),
        )
        .await
}

#[server(endpoint = "admin_departments")]
pub async fn admin_departments() -> Result<Vec<DepartmentView>, AppError> {
    require(Doing::Administer)?;
    crate::ssr::backend().admin.departments().await
}

#[server(endpoint = "save_department")]
pub async fn save_department(department: DepartmentInput) -> Result<(), AppError> {
    use crate::ssr::{backend, lang};
    backend()
        .admin
        .save_department(
            &require(Doing::Administer)?,
            department,
            lang(),
            chrono::Utc::now(),
        )
        .await
}

/// The SLA and grading policy in force, as TOML.
#[server(endpoint = "policy_text")]
pub async fn policy_text() -> Result<String, AppError> {
    require(Doing::Administer)?;
    crate::ssr::backend().admin.policy_text().await
}

#[server(endpoint = "save_policy")]
pub async fn save_policy(policy: String) -> Result<(), AppError> {
    use crate::ssr::{backend, lang};
    backend()
        .admin
        .save_policy(
            &require(Doing::Administer)?,
            &policy,
            lang(),
            chrono::Utc::now(),
        )
        .await
}

/// The business calendar the clocks count working time with.
#[server(endpoint = "admin_calendar")]
pub async fn admin_calendar() -> Result<CalendarAdmin, AppError> {
    require(Doing::Administer)?;
    crate::ssr::backend()
        .admin
        .calendar(chrono::Utc::now())
        .await
}

#[server(endpoint = "save_calendar_year")]
pub async fn save_calendar_year(year: CalendarInput) -> Result<(), AppError> {
    use crate::ssr::{backend, lang};
    backend()
        .admin
        .save_calendar_year(
            &require(Doing::Administer)?,
            year,
            lang(),
            chrono::Utc::now(),
        )
        .await
}

#[server(endpoint = "admin_canned_replies")]
pub async fn admin_canned_replies() -> Result<Vec<CannedView>, AppError> {
    require(Doing::Administer)?;
    crate::ssr::backend().admin.canned_replies().await
}

#[server(endpoint = "save_canned_reply")]
pub async fn save_canned_reply(reply: CannedInput) -> Result<(), AppError> {
    use crate::ssr::{backend, lang};
    backend()
        .admin
        .save_canned_reply(
            &require(Doing::Administer)?,
            reply,
            lang(),
            chrono::Utc::now(),
        )
        .await
}
