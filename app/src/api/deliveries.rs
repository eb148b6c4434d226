//! Messages that leave the portal: the owner's choices on the tracking page, and the
//! administrator's delivery log, webhook endpoints and test messages.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::DeliveryLog;

#[cfg(feature = "ssr")]
use crate::{access::Doing, ssr::require};

/// The owner switches SMS on or off and gives (or clears) an e-mail address for one
/// complaint they may track.
#[server(endpoint = "set_notices")]
pub async fn set_notices(
    code: String,
    #[server(default)] sms: String,
    #[server(default)] email: String,
) -> Result<(), AppError> {
    use crate::ssr::{backend, lang, session};
    use domain::TrackingCode;

    let code = TrackingCode::parse(&code).map_err(|_| AppError::NotFound)?;
    let complaints = backend().complaints;
    let id = complaints
        .id_by_code(&code)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if session()?.actor().is_some_and(|a| a.role.is_staff()) {
        return Err(AppError::Forbidden);
    }
    if !crate::ssr::follows_as_owner(id).await? {
        return Err(AppError::Unauthorized);
    }
    complaints
        .set_notices(id, sms == "on", email.trim(), lang(), chrono::Utc::now())
        .await
}

#[server(endpoint = "delivery_log")]
pub async fn deliveries(#[server(default)] status: String) -> Result<DeliveryLog, AppError> {
    require(Doing::Administer)?;
    crate::ssr::backend().deliveries.log(&status).await
}

#[server(endpoint = "retry_delivery")]
pub async fn retry_delivery(id: i64) -> Result<(), AppError> {
    use crate::ssr::{backend, lang};
    backend()
        .deliveries
        .retry(&require(Doing::Administer)?, id, lang(), chrono::Utc::now())
        .await
}

/// Returns the new endpoint's signing secret (shown once).
#[server(endpoint = "add_webhook")]
pub async fn add_webhook(
    url: String,
    #[server(default)] events: String,
    #[server(default)] allow_private: String,
) -> Result<String, AppError> {
    use crate::ssr::{backend, lang};
    backend()
        .deliveries
        .add_endpoint(
            &require(Doing::Administer)?,
            &url,
            &events,
            allow_private == "on",
            lang(),
            chrono::Utc::now(),
        )
        .await
}

#[server(endpoint = "set_webhook_active")]
pub async fn set_webhook_active(id: i64, active: bool) -> Result<(), AppError> {
    use crate::ssr::backend;
    backend()
        .deliveries
        .set_endpoint_active(&require(Doing::Administer)?, id, active, chrono::Utc::now())
        .await
}

#[server(endpoint = "send_test_message")]
pub async fn send_test_message(channel: String, to: String) -> Result<(), AppError> {
    use crate::ssr::{backend, lang};
    backend()
        .deliveries
        .send_test(
            &require(Doing::Administer)?,
            &channel,
            &to,
            lang(),
            chrono::Utc::now(),
        )
        .await
}
