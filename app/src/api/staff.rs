//! Staff: logging in, the queue, one complaint, replies.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{Actor, QueueRow, StaffComplaint};

/// Who is logged in, if anyone.
#[server(endpoint = "current_actor")]
pub async fn current_actor() -> Result<Option<Actor>, AppError> {
    use crate::ssr::session;
    session().map(|s| s.actor())
}

/// Logs in and goes to the workspace. Unknown user and wrong password answer alike.
#[server(endpoint = "log_in")]
pub async fn log_in(login: String, password: String) -> Result<Actor, AppError> {
    use crate::{
        error::FieldErrors,
        i18n::{t, Msg},
        ssr::session,
    };
    async {
        let echo = [("login".to_owned(), login.clone())].into_iter().collect();
        if login.trim().is_empty() || password.is_empty() {
            let errors = FieldErrors::one("form", t(Msg::LoginFailed)).with_echo(echo);
            return Err(AppError::Validation(errors));
        }
        let actor = session()?
            .log_in(login.trim(), &password)
            .await
            .map_err(|e| match e {
                AppError::Unauthorized => AppError::Validation(
                    FieldErrors::one("form", t(Msg::LoginFailed)).with_echo(echo),
                ),
                other => other,
            })?;
        leptos_axum::redirect(if actor.role.is_staff() { "/staff" } else { "/" });
        Ok(actor)
    }
    .await
}

#[server(endpoint = "log_out")]
pub async fn log_out() -> Result<(), AppError> {
    use crate::ssr::session;
    async {
        session()?.log_out().await?;
        leptos_axum::redirect("/");
        Ok(())
    }
    .await
}

/// The queue, newest first.
#[server(endpoint = "staff_queue")]
pub async fn staff_queue() -> Result<Vec<QueueRow>, AppError> {
    use crate::ssr::{backend, require_staff};
    async { backend().complaints.queue(&require_staff()?).await }.await
}

/// One complaint with its full timeline.
#[server(endpoint = "load_staff_complaint")]
pub async fn load_staff_complaint(id: i64) -> Result<StaffComplaint, AppError> {
    use crate::ssr::{backend, require_staff};
    async {
        let actor = require_staff()?;
        backend()
            .complaints
            .staff_view(&actor, id)
            .await?
            .ok_or(AppError::NotFound)
    }
    .await
}

/// A public reply to the owner.
#[server(endpoint = "post_reply")]
pub async fn post_reply(id: i64, body: String) -> Result<(), AppError> {
    use crate::{
        error::FieldErrors,
        i18n::{t, Msg},
        ssr::{backend, require_staff},
    };
    async {
        let actor = require_staff()?;
        let body = body.trim().to_owned();
        if body.is_empty() {
            return Err(AppError::Validation(FieldErrors::one(
                "body",
                t(Msg::ErrRequired),
            )));
        }
        if body.chars().count() > 2000 {
            let echo = [("body".to_owned(), body.clone())].into_iter().collect();
            let errors = FieldErrors::one("body", t(Msg::ErrValidation)).with_echo(echo);
            return Err(AppError::Validation(errors));
        }
        backend()
            .complaints
            .add_reply(&actor, id, body, true, chrono::Utc::now())
            .await
    }
    .await
}
