//! The one error type that crosses the wire between server functions and the UI.
//!
//! Messages for field errors are already in the user's language (the server knows
//! it from the request); other variants are turned into text by the catalogue.
//! Internal errors never carry their cause to the client: it is logged instead.

use std::collections::BTreeMap;

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

use crate::i18n::{t, Msg};

/// Field-level problems with a submitted form, plus what was typed, so a form
/// re-rendered after a no-JavaScript post loses nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldErrors {
    /// Form field name → message, in the user's language.
    pub fields: BTreeMap<String, String>,
    /// Form field name → the value as submitted.
    pub echo: BTreeMap<String, String>,
}

impl FieldErrors {
    pub fn one(field: &str, message: impl Into<String>) -> FieldErrors {
        let mut fields = BTreeMap::new();
        fields.insert(field.to_owned(), message.into());
        FieldErrors {
            fields,
            echo: BTreeMap::new(),
        }
    }

    pub fn with_echo(mut self, echo: BTreeMap<String, String>) -> FieldErrors {
        self.echo = clip_echo(echo);
        self
    }
}

/// The longest value sent back to a form: the longest field (a description) fits,
/// a megabyte pasted into a short field is not answered with a megabyte.
pub const ECHO_MAX_CHARS: usize = 2000;

/// Echoed values cut to `ECHO_MAX_CHARS`.
pub fn clip_echo(echo: BTreeMap<String, String>) -> BTreeMap<String, String> {
    echo.into_iter()
        .map(|(name, value)| {
            let value = match value.char_indices().nth(ECHO_MAX_CHARS) {
                Some((end, _)) => value[..end].to_owned(),
                None => value,
            };
            (name, value)
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Validation(FieldErrors),
    #[error("login required")]
    Unauthorized,
    #[error("not allowed")]
    Forbidden,
    /// The request conflicts with the current state; the message is for the user.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many attempts")]
    RateLimited,
    /// Something failed on our side; details are in the server log.
    #[error("internal error")]
    Internal,
    /// The request never reached the server function, or its answer was unreadable.
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status this error is answered with (set once, here).
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Validation(_) => 422,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::Conflict(_) => 409,
            AppError::RateLimited => 429,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }

    /// One line for a banner, in the user's language.
    pub fn summary(&self) -> String {
        match self {
            AppError::NotFound => t(Msg::ErrNotFound).to_owned(),
            AppError::Validation(_) => t(Msg::ErrValidation).to_owned(),
            AppError::Unauthorized => t(Msg::ErrUnauthorized).to_owned(),
            AppError::Forbidden => t(Msg::ErrForbidden).to_owned(),
            AppError::Conflict(message) => message.clone(),
            AppError::RateLimited => t(Msg::ErrRateLimited).to_owned(),
            AppError::Internal => t(Msg::ErrInternal).to_owned(),
            AppError::Transport(_) => t(Msg::ErrTransport).to_owned(),
        }
    }

    /// The message for one form field, if this is a validation error naming it.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Validation(errors) => errors.fields.get(name).cloned(),
            _ => None,
        }
    }

    /// What the user had typed into `name`, if the server echoed it back.
    pub fn echo(&self, name: &str) -> Option<String> {
        match self {
            AppError::Validation(errors) => errors.echo.get(name).cloned(),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::Validation(FieldErrors::one("form", t(Msg::ErrBadForm)))
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

/// Shorthand for server function results.
pub type AppResult<T> = Result<T, AppError>;
