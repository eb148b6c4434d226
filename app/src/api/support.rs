//! Helpers shared by server function bodies.

use std::collections::BTreeMap;

use domain::{FieldError, Lang};

use crate::error::{clip_echo, AppError, FieldErrors};

/// The longest login name (a phone number or a staff login) accepted.
pub const LOGIN_MAX_CHARS: usize = 64;
/// The longest password accepted anywhere (argon2 is not fed megabytes).
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Longer than `max` characters (counting stops at `max + 1`).
pub fn longer_than(value: &str, max: usize) -> bool {
    value.chars().nth(max).is_some()
}

/// Domain field errors → the wire error, in the request's language, with what was typed.
pub fn validation(errors: Vec<FieldError>, lang: Lang, echo: BTreeMap<String, String>) -> AppError {
    let mut fields = BTreeMap::new();
    for error in errors {
        fields
            .entry(error.field().to_owned())
            .or_insert_with(|| error.message(lang).to_owned());
    }
    AppError::Validation(FieldErrors {
        fields,
        echo: clip_echo(echo),
    })
}
