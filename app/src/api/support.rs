//! Helpers shared by server function bodies.

use std::collections::BTreeMap;

use domain::{FieldError, Lang};

use crate::error::{AppError, FieldErrors};

/// Domain field errors → the wire error, in the request's language, with what was typed.
pub fn validation(errors: Vec<FieldError>, lang: Lang, echo: BTreeMap<String, String>) -> AppError {
    let mut fields = BTreeMap::new();
    for error in errors {
        fields
            .entry(error.field().to_owned())
            .or_insert_with(|| error.message(lang).to_owned());
    }
    AppError::Validation(FieldErrors { fields, echo })
}
