//! Tracking a complaint without an account: tracking code + phone number.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::OwnerComplaint;

/// Proves code + phone once; the session then remembers the complaint.
/// A wrong phone and an unknown code get the same answer, so the lookup does not
/// reveal which codes exist.
#[server(endpoint = "look_up_complaint")]
pub async fn look_up_complaint(code: String, phone: String) -> Result<(), AppError> {
    use crate::{
        api::support::validation,
        i18n::{Message, Msg},
        ssr::{backend, lang, session},
    };
    use domain::{FieldError, PhoneNumber, TrackingCode};

    async {
        let echo = [
            ("code".to_owned(), code.clone()),
            ("phone".to_owned(), phone.clone()),
        ]
        .into_iter()
        .collect();
        // Staff answer owners through the staff desk, never in the owner's name.
        if session()?.actor().is_some_and(|a| a.role.is_staff()) {
            let staff = FieldError::new(
                "form",
                Msg::TrackStaffUseDesk.text(domain::Lang::Zh),
                Msg::TrackStaffUseDesk.text(domain::Lang::En),
            );
            return Err(validation(vec![staff], lang(), echo));
        }
        let (parsed_code, parsed_phone) = (TrackingCode::parse(&code), PhoneNumber::parse(&phone));
        let (code, phone) = match (parsed_code, parsed_phone) {
            (Ok(c), Ok(p)) => (c, p),
            (c, p) => {
                let errors = [c.err(), p.err()].into_iter().flatten().collect();
                return Err(validation(errors, lang(), echo));
            }
        };
        let Some(id) = backend().complaints.find_by_code(&code, &phone).await? else {
            let no_match = FieldError::new(
                "form",
                Msg::TrackNoMatch.text(domain::Lang::Zh),
                Msg::TrackNoMatch.text(domain::Lang::En),
            );
            return Err(validation(vec![no_match], lang(), echo));
        };
        session()?.remember_tracked(id).await?;
        leptos_axum::redirect(&format!("/track/{}", code.as_str()));
        Ok(())
    }
    .await
}

/// The owner's view of a complaint this session has proven it may track.
#[server(endpoint = "tracked_complaint")]
pub async fn tracked_complaint(code: String) -> Result<OwnerComplaint, AppError> {
    use crate::ssr::backend;
    use domain::TrackingCode;

    async {
        let code = TrackingCode::parse(&code).map_err(|_| AppError::NotFound)?;
        let complaints = backend().complaints;
        let id = complaints
            .id_by_code(&code)
            .await?
            .ok_or(AppError::Unauthorized)?;
        // Unknown and not-yet-proven codes look the same to the visitor.
        if !crate::ssr::follows_as_owner(id).await? {
            return Err(AppError::Unauthorized);
        }
        complaints
            .owner_view(id, chrono::Utc::now())
            .await?
            .ok_or(AppError::NotFound)
    }
    .await
}

/// The owner adds a message to their complaint (补充说明, 催办). Staff answer with replies,
/// not here.
#[server(endpoint = "owner_message")]
pub async fn owner_message(code: String, body: String) -> Result<(), AppError> {
    use crate::ssr::{backend, lang, session};
    use domain::TrackingCode;

    let code = TrackingCode::parse(&code).map_err(|_| AppError::NotFound)?;
    let complaints = backend().complaints;
    let id = complaints
        .id_by_code(&code)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let actor = session()?.actor();
    if actor.as_ref().is_some_and(|a| a.role.is_staff()) {
        return Err(AppError::Forbidden);
    }
    if !crate::ssr::follows_as_owner(id).await? {
        return Err(AppError::Unauthorized);
    }
    complaints
        .owner_message(id, actor.as_ref(), &body, lang(), chrono::Utc::now())
        .await
}

/// The owner accepts (`accept`) or disputes (`dispute`, with reasons) a 不成立 judgement.
#[server(endpoint = "answer_judgement")]
pub async fn answer_judgement(
    code: String,
    answer: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::ssr::{backend, lang, session};
    use domain::TrackingCode;

    let code = TrackingCode::parse(&code).map_err(|_| AppError::NotFound)?;
    let complaints = backend().complaints;
    let id = complaints
        .id_by_code(&code)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let actor = session()?.actor();
    if actor.as_ref().is_some_and(|a| a.role.is_staff()) {
        return Err(AppError::Forbidden);
    }
    if !crate::ssr::follows_as_owner(id).await? {
        return Err(AppError::Unauthorized);
    }
    complaints
        .answer_judgement(
            id,
            actor.as_ref(),
            &answer,
            &reason,
            lang(),
            chrono::Utc::now(),
        )
        .await
}
