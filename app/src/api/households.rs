//! Household files (业主档案): staff find a household by phone, name, unit or tracking
//! code and see every complaint about it. Handlers see a household only through the
//! complaints of their department, and only those are listed; the owner's phone is shown
//! in full only to the desk and supervisors.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{HouseholdFile, HouseholdHit};

/// Finds households; with exactly one, opens its file. The search text is posted, never
/// put in an address (it is often a phone number).
#[server(endpoint = "find_households")]
pub async fn find_households(q: String) -> Result<Vec<HouseholdHit>, AppError> {
    use crate::access::Doing;
    use crate::ssr::{backend, require};
    let actor = require(Doing::SeeHouseholds)?;
    let mut hits = backend().estate.find_households(&q).await?;
    if !crate::access::may(Some(&actor), Doing::SeeOwnerPhone) {
        // A handler finds only households they can open.
        let mut visible = Vec::new();
        for hit in hits {
            if let Some(file) = backend().estate.household(hit.id).await? {
                if visible_to(&actor, &file).0 > 0 {
                    visible.push(hit);
                }
            }
        }
        hits = visible;
    }
    match hits.as_slice() {
        [one] => leptos_axum::redirect(&format!("/staff/households/{}", one.id)),
        _ => {
            let ids: Vec<String> = hits.iter().map(|h| h.id.to_string()).collect();
            let found = if ids.is_empty() {
                "none".to_owned()
            } else {
                ids.join(",")
            };
            leptos_axum::redirect(&format!("/staff/households?found={found}"));
        }
    }
    Ok(hits)
}

/// The households a search found (by id, from the address), for the list.
#[server(endpoint = "household_hits")]
pub async fn household_hits(ids: String) -> Result<Vec<HouseholdHit>, AppError> {
    use crate::access::Doing;
    use crate::ssr::{backend, require};
    let actor = require(Doing::SeeHouseholds)?;
    let mut hits = Vec::new();
    for id in ids
        .split(',')
        .filter_map(|id| id.trim().parse::<i64>().ok())
        .take(50)
    {
        if let Some(file) = backend().estate.household(id).await? {
            let (visible, _) = visible_to(&actor, &file);
            if visible > 0 || crate::access::may(Some(&actor), Doing::SeeOwnerPhone) {
                hits.push(HouseholdHit {
                    id,
                    place: format!("{} {} {}", file.community, file.building, file.unit),
                    owner_name: file.owner_name,
                    complaints: i64::try_from(visible).unwrap_or(i64::MAX),
                });
            }
        }
    }
    Ok(hits)
}

/// One household's file, as this staff member may see it.
#[server(endpoint = "load_household")]
pub async fn load_household(id: i64) -> Result<HouseholdFile, AppError> {
    use crate::access::Doing;
    use crate::ssr::{backend, require};
    let actor = require(Doing::SeeHouseholds)?;
    let mut file = backend()
        .estate
        .household(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let full = crate::access::may(Some(&actor), Doing::SeeOwnerPhone);
    let (visible, hidden) = visible_to(&actor, &file);
    if !full && visible == 0 {
        // Nothing of theirs here: as if there were no such household.
        return Err(AppError::NotFound);
    }
    file.complaints.retain(|c| may_see(&actor, c));
    file.hidden = hidden;
    file.may_link = crate::access::may(Some(&actor), Doing::CorrectRecord);
    if !full {
        file.owner_phone = domain::PhoneNumber::parse(&file.owner_phone)
            .map(|p| p.masked())
            .unwrap_or_default();
    }
    Ok(file)
}

/// The desk confirms that the owner account registered with `phone` owns household `id`
/// (the account's phone is not the one the estate records): the owner's form then offers
/// the unit.
#[server(endpoint = "link_household_account")]
pub async fn link_household_account(id: i64, phone: String) -> Result<(), AppError> {
    use crate::access::Doing;
    use crate::api::support::validation;
    use crate::ssr::{backend, lang, require};
    let agent = require(Doing::CorrectRecord)?;
    let echo = [("phone".to_owned(), phone.clone())].into_iter().collect();
    let phone =
        domain::PhoneNumber::parse(&phone).map_err(|e| validation(vec![e], lang(), echo))?;
    backend()
        .estate
        .link_account(&agent, id, &phone, lang(), chrono::Utc::now())
        .await
}

#[cfg(feature = "ssr")]
fn may_see(actor: &crate::model::Actor, complaint: &crate::model::HouseholdComplaint) -> bool {
    let scope = crate::access::Scope {
        department_id: complaint.department_id,
        handler_id: complaint.handler_id,
    };
    crate::access::may(Some(actor), crate::access::Doing::SeeComplaint(scope))
}

/// (complaints this actor may open, those they may not).
#[cfg(feature = "ssr")]
fn visible_to(actor: &crate::model::Actor, file: &HouseholdFile) -> (usize, usize) {
    let visible = file.complaints.iter().filter(|c| may_see(actor, c)).count();
    (visible, file.complaints.len() - visible)
}
