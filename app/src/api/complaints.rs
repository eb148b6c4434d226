//! Filing a complaint (owners, no account needed).

use domain::RawIntake;
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{CommunityOption, Receipt, ServiceHotline};

/// Communities and their buildings, for the filing form.
#[server(endpoint = "list_communities")]
pub async fn list_communities() -> Result<Vec<CommunityOption>, AppError> {
    use crate::ssr::backend;
    backend().directory.communities().await
}

/// The communities' service hotlines, for every page's footer (anyone may read them).
#[server(endpoint = "service_hotlines")]
pub async fn service_hotlines() -> Result<Vec<ServiceHotline>, AppError> {
    crate::ssr::try_backend()?
        .directory
        .hotlines()
        .await
        .map(|list| list.as_ref().clone())
}

/// Files a complaint and takes the owner to its tracking page.
#[server(endpoint = "file_complaint")]
pub async fn file_complaint(intake: RawIntake) -> Result<Receipt, AppError> {
    use crate::{
        api::support::validation,
        ssr::{backend, lang, session},
    };
    use domain::{Intake, IntakeLimits};

    let mut parsed = Intake::parse(&intake, &IntakeLimits::default())
        .map_err(|errors| validation(errors, lang(), echo(&intake)))?;
    // Messages to the owner are written in the language of the page they filed from.
    parsed.lang = lang();
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
    echo.insert("topic".to_owned(), raw.topic.clone());
    // The guided answers, under the names the form's questions read back (known ones only).
    for (question, _) in domain::guide::all_questions() {
        for q in question.with_follow_ups() {
            if let Some(value) = raw.answers.get(q.key) {
                echo.insert(q.field(), value.clone());
            }
        }
    }
    echo
}

/// Records a complaint that reached the front desk — a call, a visit, a letter, a
/// government transfer, WeChat, email — in the owner's name, as received at the time the
/// agent gives; then opens it on the staff page, with the tracking code to read out.
#[server(endpoint = "record_complaint")]
pub async fn record_complaint(
    intake: RawIntake,
    recording: domain::recording::RawRecording,
    // The form's "find the owner" button: nothing is recorded; the form comes back with
    // the owner found in the estate filled in.
    #[server(default)] lookup: String,
) -> Result<Receipt, AppError> {
    use crate::{
        access::Doing,
        api::support::validation,
        ssr::{backend, lang, require},
    };
    use domain::recording::Recording;
    use domain::{Intake, IntakeLimits};

    let agent = require(Doing::RecordComplaint)?;
    let now = chrono::Utc::now();
    let (policy, _) = backend().complaints.working_rules();
    let mut echoed = echo(&intake);
    echoed.extend([
        ("channel".to_owned(), recording.channel.clone()),
        ("received_at".to_owned(), recording.received_at.clone()),
        ("external_ref".to_owned(), recording.external_ref.clone()),
        ("external_due".to_owned(), recording.external_due.clone()),
    ]);
    if !lookup.is_empty() {
        return Err(find_caller(&intake, echoed).await?);
    }
    let parsed = Intake::parse(&intake, &IntakeLimits::default());
    let received = Recording::parse(&recording, now, policy.utc_offset_minutes);
    let (parsed, received) = match (parsed, received) {
        (Ok(parsed), Ok(received)) => (parsed, received),
        (parsed, received) => {
            let errors = [parsed.err(), received.err()]
                .into_iter()
                .flatten()
                .flatten()
                .collect();
            return Err(validation(errors, lang(), echoed));
        }
    };
    let stated = domain::StatedFacts::from_raw_intake(&intake);
    let receipt = backend()
        .complaints
        .record(parsed, stated, received, &agent, now)
        .await?;
    leptos_axum::redirect(&format!(
        "/staff/complaints/{}?recorded=1",
        receipt.complaint_id
    ));
    Ok(receipt)
}

/// The owner a caller is, from the estate: by the phone typed, or else by the building and
/// unit. Answered as the form's field `caller` with the form filled from the estate when
/// one household matches (a name or phone already typed is kept).
#[cfg(feature = "ssr")]
async fn find_caller(
    intake: &RawIntake,
    mut echo: std::collections::BTreeMap<String, String>,
) -> Result<AppError, AppError> {
    use crate::error::FieldErrors;
    use crate::i18n::{fill, t, Listed, StaffMsg};
    use crate::ssr::backend;

    let phone = domain::PhoneNumber::parse(&intake.phone).ok();
    let building = intake.building_id.trim().parse::<i64>().ok();
    let message = if phone.is_none() && (building.is_none() || intake.unit.trim().is_empty()) {
        t(StaffMsg::CallerNeedPhone).to_owned()
    } else {
        let callers = backend()
            .estate
            .callers(phone.as_ref(), building, &intake.unit)
            .await?;
        let place = |c: &crate::model::Caller| {
            let owner = if c.owner_name.is_empty() {
                String::new()
            } else {
                format!("({})", c.owner_name)
            };
            format!("{} {} {}{owner}", c.community, c.building, c.unit)
        };
        match callers.as_slice() {
            [] => t(StaffMsg::CallerNone).to_owned(),
            [one] => {
                echo.insert("community_id".to_owned(), one.community_id.to_string());
                echo.insert("building_id".to_owned(), one.building_id.to_string());
                echo.insert("unit".to_owned(), one.unit.clone());
                for (field, value) in [("name", &one.owner_name), ("phone", &one.owner_phone)] {
                    if echo.get(field).is_none_or(|v| v.trim().is_empty()) {
                        echo.insert(field.to_owned(), value.clone());
                    }
                }
                fill(t(StaffMsg::CallerFound), &[&place(one)])
            }
            many => fill(
                t(StaffMsg::CallerSeveral),
                &[
                    &many.len(),
                    &many.iter().map(place).collect::<Vec<_>>().listed(),
                ],
            ),
        }
    };
    Ok(AppError::Validation(
        FieldErrors::one("caller", message).with_echo(echo),
    ))
}
