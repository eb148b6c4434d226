//! The administrator's retraining of the category classifier.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::classifier::{ClassifierAdmin, TrainingOutcome};

#[cfg(feature = "ssr")]
use crate::{access::Doing, ssr::require};

#[server(endpoint = "classifier_overview")]
pub async fn classifier_overview() -> Result<ClassifierAdmin, AppError> {
    require(Doing::Administer)?;
    crate::ssr::backend().learning.overview().await
}

/// Trains a candidate now; it is put in use only if the promotion rules allow.
#[server(endpoint = "retrain_classifier")]
pub async fn retrain_classifier() -> Result<TrainingOutcome, AppError> {
    use crate::ssr::{backend, lang};
    backend()
        .learning
        .retrain(&require(Doing::Administer)?, lang(), chrono::Utc::now())
        .await
}

/// Puts a promoted model (0: the shipped one) back in use.
#[server(endpoint = "activate_classifier")]
pub async fn activate_classifier(version: i64) -> Result<(), AppError> {
    use crate::ssr::{backend, lang};
    backend()
        .learning
        .activate(
            &require(Doing::Administer)?,
            version,
            lang(),
            chrono::Utc::now(),
        )
        .await
}
