//! Revisit surveys: owners answer in the app or through the link sent to them; staff see
//! the revisits still due.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{RevisitList, SurveyAnswers, SurveyView};

/// The survey behind a link. Opening the link never records an answer (mail scanners
/// open links); only `submit_survey` does.
#[server(endpoint = "survey_by_token")]
pub async fn survey_by_token(token: String) -> Result<SurveyView, AppError> {
    use crate::ssr::backend;
    backend()
        .surveys
        .by_token(&token, chrono::Utc::now())
        .await?
        .ok_or(AppError::NotFound)
}

/// Answers the survey behind a link; the link is spent.
#[server(endpoint = "submit_survey")]
pub async fn submit_survey(token: String, answers: SurveyAnswers) -> Result<(), AppError> {
    use crate::ssr::{backend, lang};
    backend()
        .surveys
        .answer_by_token(&token, answers, lang(), chrono::Utc::now())
        .await?;
    leptos_axum::redirect("/survey/thanks");
    Ok(())
}

/// Answers the current revisit of a complaint this session may track (tracking page).
#[server(endpoint = "answer_revisit")]
pub async fn answer_revisit(code: String, answers: SurveyAnswers) -> Result<(), AppError> {
    use crate::ssr::{backend, lang, session};
    use domain::TrackingCode;
    let code = TrackingCode::parse(&code).map_err(|_| AppError::NotFound)?;
    let backend = backend();
    let id = backend
        .complaints
        .id_by_code(&code)
        .await?
        .ok_or(AppError::Unauthorized)?;
    // The owner answers; staff record revisits as their own, never in the owner's name.
    if session()?.actor().is_some_and(|a| a.role.is_staff()) {
        return Err(AppError::Forbidden);
    }
    if !crate::ssr::follows_as_owner(id).await? {
        return Err(AppError::Unauthorized);
    }
    backend
        .surveys
        .answer_in_app(id, answers, lang(), chrono::Utc::now())
        .await
}

/// Resolved complaints not revisited yet, with the revisit rate.
#[server(endpoint = "revisits_due")]
pub async fn revisits_due() -> Result<RevisitList, AppError> {
    use crate::access::Doing;
    use crate::ssr::{backend, require};
    backend()
        .surveys
        .revisits_due(&require(Doing::WorkQueue)?, chrono::Utc::now())
        .await
}
