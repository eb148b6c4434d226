//! Owner accounts and passwords.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::MyComplaints;

/// Registers an owner (login = phone number) and logs them in.
#[server(endpoint = "register_owner")]
pub async fn register_owner(
    phone: String,
    code: String,
    name: String,
    password: String,
) -> Result<(), AppError> {
    use crate::api::support::{validation, PASSWORD_MAX_CHARS};
    use crate::ssr::{backend, lang, session};
    use domain::fields::{bounded_text, Field};
    use domain::PhoneNumber;

    const NAME: Field = Field {
        name: "name",
        zh: "称呼",
        en: "name",
    };
    let echo = [
        ("phone".to_owned(), phone.clone()),
        ("name".to_owned(), name.clone()),
        ("code".to_owned(), code.clone()),
    ]
    .into_iter()
    .collect();
    let parsed_phone = PhoneNumber::parse(&phone);
    let parsed_code = domain::TrackingCode::parse(&code);
    let parsed_name = bounded_text(NAME, &name, 1, 40);
    let (phone, code, name) = match (parsed_phone, parsed_code, parsed_name) {
        (Ok(p), Ok(c), Ok(n)) => (p, c, n),
        (p, c, n) => {
            return Err(validation(
                [p.err(), c.err(), n.err()].into_iter().flatten().collect(),
                lang(),
                echo,
            ))
        }
    };
    let chars = password.chars().take(PASSWORD_MAX_CHARS + 1).count();
    if !(8..=PASSWORD_MAX_CHARS).contains(&chars) {
        let error = domain::FieldError::new(
            "password",
            "密码至少8位",
            "The password needs at least 8 characters",
        );
        return Err(validation(vec![error], lang(), echo));
    }
    backend()
        .accounts
        .register_owner(&phone, &code, &name, &password, lang(), chrono::Utc::now())
        .await
        .map_err(|e| match e {
            // What was typed comes back with the store's refusal too.
            AppError::Validation(fields) => AppError::Validation(fields.with_echo(echo.clone())),
            other => other,
        })?;
    session()?.log_in(phone.as_str(), &password).await?;
    leptos_axum::redirect("/me");
    Ok(())
}

/// The logged-in owner's complaints.
#[server(endpoint = "my_complaints")]
pub async fn load_my_complaints() -> Result<MyComplaints, AppError> {
    use crate::access::Doing;
    use crate::ssr::{backend, require};
    let actor = require(Doing::OwnAccount)?;
    backend().accounts.my_complaints(&actor).await
}

/// Adds a complaint filed earlier with the owner's phone, proven by its tracking code.
#[server(endpoint = "claim_complaint")]
pub async fn claim_complaint(code: String) -> Result<(), AppError> {
    use crate::access::Doing;
    use crate::api::support::validation;
    use crate::ssr::{backend, lang, require};
    let actor = require(Doing::OwnAccount)?;
    let echo = [("code".to_owned(), code.clone())].into_iter().collect();
    let code = domain::TrackingCode::parse(&code).map_err(|e| validation(vec![e], lang(), echo))?;
    backend()
        .accounts
        .claim(&actor, &code, lang(), chrono::Utc::now())
        .await
}

/// Changes the password; every session of the account ends, so the person logs in again.
#[server(endpoint = "change_password")]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    use crate::access::Doing;
    use crate::api::support::{longer_than, validation, PASSWORD_MAX_CHARS};
    use crate::ssr::{backend, lang, require, session};
    let actor = require(Doing::ChangeOwnPassword)?;
    // No stored password is this long: refused before argon2 sees it.
    if longer_than(&current, PASSWORD_MAX_CHARS) {
        let error =
            domain::FieldError::new("current", "当前密码不正确", "The current password is wrong");
        return Err(validation(vec![error], lang(), Default::default()));
    }
    backend()
        .accounts
        .change_password(&actor, &current, &new, lang(), chrono::Utc::now())
        .await?;
    session()?.log_out().await?;
    leptos_axum::redirect("/login?changed=1");
    Ok(())
}
