//! Staff: logging in, the queue, one complaint and every step of its handling,
//! notifications.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{
    Actor, Department, Notification, QueueFilter, QueuePage, StaffComplaint, StepInput,
};

/// Who is logged in, if anyone.
#[server(endpoint = "current_actor")]
pub async fn current_actor() -> Result<Option<Actor>, AppError> {
    use crate::ssr::session;
    session().map(|s| s.actor())
}

/// Logs in and goes to the workspace. Unknown user and wrong password answer alike.
#[server(endpoint = "log_in")]
pub async fn log_in(login: String, password: String) -> Result<Actor, AppError> {
    use crate::api::support::{longer_than, LOGIN_MAX_CHARS, PASSWORD_MAX_CHARS};
    use crate::{
        error::FieldErrors,
        i18n::{t, Msg},
        ssr::session,
    };
    let refused =
        |echo| AppError::Validation(FieldErrors::one("form", t(Msg::LoginFailed)).with_echo(echo));
    // Oversized credentials are refused like wrong ones, before anything counts,
    // hashes or logs them, and the name is not sent back.
    if longer_than(&login, LOGIN_MAX_CHARS) || longer_than(&password, PASSWORD_MAX_CHARS) {
        return Err(refused(Default::default()));
    }
    let echo = [("login".to_owned(), login.clone())].into_iter().collect();
    if login.trim().is_empty() || password.is_empty() {
        return Err(refused(echo));
    }
    // Owners log in with their phone number, however they type it.
    let login = domain::PhoneNumber::parse(&login)
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|_| login.trim().to_owned());
    let actor = match session()?.log_in(&login, &password).await {
        Err(AppError::Unauthorized) => return Err(refused(echo)),
        other => other?,
    };
    leptos_axum::redirect(if actor.role.is_staff() {
        "/staff"
    } else {
        "/me"
    });
    Ok(actor)
}

#[server(endpoint = "log_out")]
pub async fn log_out() -> Result<(), AppError> {
    use crate::ssr::session;
    session()?.log_out().await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// A page of the queue.
#[server(endpoint = "staff_queue")]
pub async fn staff_queue(#[server(default)] filter: QueueFilter) -> Result<QueuePage, AppError> {
    use crate::access::Doing;
    use crate::ssr::{backend, require};
    backend()
        .complaints
        .queue(&require(Doing::WorkQueue)?, &filter, chrono::Utc::now())
        .await
}

/// One complaint with its full timeline and the steps this actor may take.
#[server(endpoint = "load_staff_complaint")]
pub async fn load_staff_complaint(id: i64) -> Result<StaffComplaint, AppError> {
    use crate::access::Doing;
    use crate::ssr::{backend, require};
    let actor = require(Doing::WorkQueue)?;
    backend()
        .complaints
        .staff_view(&actor, id, chrono::Utc::now())
        .await?
        .ok_or(AppError::NotFound)
}

/// One step: a reply, a note, a logged contact, a level override or a lifecycle action.
/// The server decides whether this actor may take it in the complaint's current state.
#[server(endpoint = "take_step")]
pub async fn take_step(id: i64, step: StepInput) -> Result<(), AppError> {
    use crate::access::Doing;
    use crate::ssr::{backend, lang, require};
    let actor = require(Doing::WorkQueue)?;
    backend()
        .complaints
        .step(&actor, id, step, lang(), chrono::Utc::now())
        .await
}

/// Departments with their handlers, for assignment and the queue filter.
#[server(endpoint = "list_departments")]
pub async fn list_departments() -> Result<Vec<Department>, AppError> {
    use crate::access::Doing;
    use crate::ssr::{backend, require};
    require(Doing::WorkQueue)?;
    backend().directory.departments().await
}

/// The actor's notifications, newest first.
#[server(endpoint = "my_notifications")]
pub async fn my_notifications() -> Result<Vec<Notification>, AppError> {
    use crate::access::Doing;
    use crate::ssr::{backend, lang, require};
    backend()
        .inbox
        .notifications(&require(Doing::WorkQueue)?, lang())
        .await
}

/// How many notifications are unread (the header badge); 0 for visitors.
#[server(endpoint = "unread_notifications")]
pub async fn unread_notifications() -> Result<i64, AppError> {
    use crate::access::{may, Doing};
    use crate::ssr::{backend, session};
    // The header asks on every page: anyone without a work queue has nothing unread.
    match session()?
        .actor()
        .filter(|a| may(Some(a), Doing::WorkQueue))
    {
        Some(actor) => backend().inbox.unread(&actor).await,
        None => Ok(0),
    }
}

/// Marks one notification read, or all of them when `id` is empty.
#[server(endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read(#[server(default)] id: Option<i64>) -> Result<(), AppError> {
    use crate::access::Doing;
    use crate::ssr::{backend, require};
    backend()
        .inbox
        .mark_read(&require(Doing::WorkQueue)?, id, chrono::Utc::now())
        .await
}

/// Acknowledges one notice that asks the reader to act; the complaint's timeline records it.
#[server(endpoint = "acknowledge_notification")]
pub async fn acknowledge_notification(id: i64) -> Result<(), AppError> {
    use crate::access::Doing;
    use crate::ssr::{backend, require};
    backend()
        .inbox
        .acknowledge(&require(Doing::WorkQueue)?, id, chrono::Utc::now())
        .await
}
