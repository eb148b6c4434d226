//! Filing a complaint (owners, no account needed).

use domain::RawIntake;
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{CommunityOption, Receipt};

/// Communities and their buildings, for the filing form.
#[server(endpoint = "list_communities")]
pub async fn list_communities() -> Result<Vec<CommunityOption>, AppError> {
    use crate::ssr::backend;
    backend().directory.communities().await
}

/// Files a complaint and takes the owner to its tracking page.
#[server(endpoint = "file_complaint")]
pub async fn file_complaint(intake: RawIntake) -> Result<Receipt, AppError> {
    use crate::{
        api::support::validation,
        ssr::{backend, lang, session},
    };
    use domain::{Intake, IntakeLimits};

    let parsed = Intake::parse(&intake, &IntakeLimits::default())
        .map_err(|errors| validation(errors, lang(), echo(&intake)))?;
    let session = session()?;
    // Filed by a logged-in owner: it appears under their complaints.
    let owner = session
        .actor()
        .filter(|a| a.role == domain::Role::Owner)
        .map(|a| a.user_id);
    // What the owner stated, as stated: text cues fill only what was left out.
    let stated = domain::StatedFacts::from_raw_intake(&intake);
    // The same form sent twice files one complaint.
    let key = domain::SubmissionKey::parse(&intake.submission_key);
    let receipt = backend()
        .complaints
        .file(parsed, stated, owner, key, chrono::Utc::now())
        .await
        .map_err(|e| match e {
            // The phone's daily quota: said beside the phone, with everything kept.
            AppError::RateLimited => AppError::Validation(
                crate::error::FieldErrors::one(
                    "phone",
                    crate::i18n::Message::text(crate::i18n::Msg::ErrPhoneDailyFilings, lang()),
                )
                .with_echo(echo(&intake)),
            ),
            other => other,
        })?;
    session.remember_tracked(receipt.complaint_id).await?;
    crate::api::faq::note_complaint_filed().await;
    leptos_axum::redirect(&format!("/track/{}?new=1", receipt.tracking_code));
    Ok(receipt)
}

/// What was typed, keyed by the form's field names, for re-filling the form.
#[cfg(feature = "ssr")]
fn echo(raw: &RawIntake) -> std::collections::BTreeMap<String, String> {
    let pairs = [
        ("description", &raw.description),
        ("category", &raw.category),
        ("community_id", &raw.community_id),
        ("building_id", &raw.building_id),
        ("unit", &raw.unit),
        ("name", &raw.name),
        ("phone", &raw.phone),
        ("people_count", &raw.people_count),
        ("claimed_amount_yuan", &raw.claimed_amount_yuan),
        ("impact", &raw.impact),
        ("emergency", &raw.emergency),
        ("submission_key", &raw.submission_key),
    ];
    let mut echo: std::collections::BTreeMap<String, String> = pairs
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect();
    echo.insert("flags".to_owned(), raw.flags.join(","));
    echo
}
