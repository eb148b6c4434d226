//! The estate (administrators only): what there is, one building's units, adding a
//! unit or changing its owner, retiring, and the outcome of an import. The import itself
//! is a file upload, served by the server at `POST /staff/admin/estate/import`.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{EstateCommunity, EstateImportReport, EstateUnitInput, EstateUnitView};

#[cfg(feature = "ssr")]
use crate::{access::Doing, ssr::require};

#[server(endpoint = "estate_overview")]
pub async fn estate_overview() -> Result<Vec<EstateCommunity>, AppError> {
    require(Doing::Administer)?;
    crate::ssr::backend().estate.overview().await
}

#[server(endpoint = "estate_units")]
pub async fn estate_units(building_id: i64) -> Result<Vec<EstateUnitView>, AppError> {
    require(Doing::Administer)?;
    crate::ssr::backend().estate.units(building_id).await
}

#[server(endpoint = "save_estate_unit")]
pub async fn save_estate_unit(unit: EstateUnitInput) -> Result<(), AppError> {
    use crate::ssr::{backend, lang};
    backend()
        .estate
        .save_unit(
            &require(Doing::Administer)?,
            unit,
            lang(),
            chrono::Utc::now(),
        )
        .await
}

/// `kind` is `community`, `building` or `unit`; `retired` is `1` to retire, `0` to bring back.
#[server(endpoint = "set_estate_retired")]
pub async fn set_estate_retired(kind: String, id: i64, retired: i64) -> Result<(), AppError> {
    crate::ssr::backend()
        .estate
        .set_retired(
            &require(Doing::Administer)?,
            &kind,
            id,
            retired != 0,
            chrono::Utc::now(),
        )
        .await
}

#[server(endpoint = "estate_import_outcome")]
pub async fn estate_import_outcome(id: i64) -> Result<Option<EstateImportReport>, AppError> {
    require(Doing::Administer)?;
    crate::ssr::backend()
        .estate
        .import_report(id, crate::ssr::lang())
        .await
}

/// Sets a community's service hotline (empty clears it).
#[server(endpoint = "set_community_hotline")]
pub async fn set_community_hotline(community_id: i64, hotline: String) -> Result<(), AppError> {
    use crate::api::support::validation;
    use crate::ssr::{backend, lang};
    let actor = require(Doing::Administer)?;
    let parsed = domain::Hotline::parse(&hotline).map_err(|error| {
        let echo = [
            ("hotline".to_owned(), hotline.clone()),
            ("community_id".to_owned(), community_id.to_string()),
        ];
        validation(vec![error], lang(), echo.into_iter().collect())
    })?;
    backend()
        .estate
        .set_hotline(&actor, community_id, parsed, chrono::Utc::now())
        .await
}
