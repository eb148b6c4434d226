//! 登记投诉: an agent records a complaint that reached the front desk — a call, a visit, a
//! letter, a government transfer (12345), WeChat, email — in the owner's name.
//!
//! Like the owner's form, the page is rendered whole by the server and works without any
//! script; it loads the same small module (hints, buildings narrowed to the community, the
//! estate's units). Above the complaint's own fields it asks how and when the complaint
//! was received; "find the owner" fills the place and the owner from the estate by the
//! phone (or the unit) typed, keeping everything else.

use leptos::prelude::*;

use crate::i18n::{t, Msg};

#[cfg(feature = "ssr")]
use {
    crate::access::Doing,
    crate::api::complaints::RecordComplaint,
    crate::error::AppError,
    crate::i18n::{current_lang, StaffMsg},
    crate::ui::owner::IntakeFields,
    crate::ui::shared::{ErrorBanner, FieldMessage},
    domain::Channel,
};

/// The route. The browser's router never draws it: links to it load the page.
#[component]
pub fn IntakePage() -> impl IntoView {
    crate::ui::shared::interactive_once_hydrated();
    #[cfg(feature = "ssr")]
    {
        match crate::ssr::require(Doing::RecordComplaint) {
            Ok(_) => view! { <RecordForm /> }.into_any(),
            Err(AppError::Unauthorized) => view! {
                <section class="card narrow">
                    <h1>{t(StaffMsg::NavIntake)}</h1>
                    <p><a href="/login?next=/staff/intake">{t(Msg::NavLogin)}</a></p>
                </section>
            }
            .into_any(),
            Err(_) => view! {
                <section class="card narrow">
                    <h1>{t(StaffMsg::NavIntake)}</h1>
                    <p>{t(StaffMsg::IntakeNotAllowed)}</p>
                </section>
            }
            .into_any(),
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let location = leptos_router::hooks::use_location();
        Effect::new(move |_| {
            let _ = location.pathname.get_untracked();
            if let Some(window) = web_sys::window() {
                let _ = window.location().assign("/staff/intake");
            }
        });
        view! { <section class="card"><p>{t(Msg::Loading)}</p></section> }.into_any()
    }
}

#[cfg(feature = "ssr")]
#[component]
fn RecordForm() -> impl IntoView {
    let action = ServerAction::<RecordComplaint>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    // A look-up's outcome is news, not a mistake: shown beside the button, not as an error.
    let caller = Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field("caller"))));
    let problems = Signal::derive(move || error.get().filter(|e| e.field("caller").is_none()));
    let echo = move |name: &str| {
        error
            .with_untracked(|e| e.as_ref().and_then(|e| e.echo(name)))
            .unwrap_or_default()
    };
    let lang = current_lang();
    let (policy, _) = crate::ssr::backend().complaints.working_rules();
    let received = Some(echo("received_at"))
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| {
            domain::recording::local_minute(chrono::Utc::now(), policy.utc_offset_minutes)
        });
    let channel = echo("channel");
    view! {
        <section class="card">
            <h1>{t(StaffMsg::IntakeTitle)}</h1>
            <p class="lead">{t(StaffMsg::IntakeIntro)}</p>
            <ErrorBanner error=problems />
            <p class="notice" role="status" data-testid="caller" class:hidden=move || caller.with(Option::is_none)>
                {caller}
            </p>
            <ActionForm action attr:class="form" attr:novalidate=true attr:id="file-form">
                <div class="field-row">
                    <div class="field">
                        <label for="channel">{t(StaffMsg::FieldChannel)}</label>
                        <select id="channel" name="recording[channel]" required aria-describedby="channel-error">
                            <option value="">{t(StaffMsg::ChooseChannel)}</option>
                            {Channel::ALL.iter().filter(|c| **c != Channel::Web).map(|c| {
                                let code = c.code();
                                view! { <option value=code selected=channel == code>{c.label(lang)}</option> }
                            }).collect_view()}
                        </select>
                        <FieldMessage id="channel-error" field="channel" error />
                    </div>
                    <div class="field">
                        <label for="received_at">{t(StaffMsg::FieldReceivedAt)}</label>
                        <input id="received_at" name="recording[received_at]" type="datetime-local"
                            required value=received aria-describedby="received_at-help received_at-error" />
                        <p class="field-help" id="received_at-help">{t(StaffMsg::FieldReceivedAtHelp)}</p>
                        <FieldMessage id="received_at-error" field="received_at" error />
                    </div>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="external_ref">{t(StaffMsg::FieldExternalRef)}</label>
                        <input id="external_ref" name="recording[external_ref]" type="text" maxlength="40"
                            class="mono" value=echo("external_ref")
                            aria-describedby="external_ref-help external_ref-error" />
                        <p class="field-help" id="external_ref-help">{t(StaffMsg::FieldExternalRefHelp)}</p>
                        <FieldMessage id="external_ref-error" field="external_ref" error />
                    </div>
                    <div class="field">
                        <label for="external_due">{t(StaffMsg::FieldExternalDue)}</label>
                        <input id="external_due" name="recording[external_due]" type="date"
                            value=echo("external_due") aria-describedby="external_due-error" />
                        <FieldMessage id="external_due-error" field="external_due" error />
                    </div>
                </div>
                <IntakeFields error />
                <p class="lookup">
                    <button type="submit" class="button" name="lookup" value="1" formnovalidate=true>
                        {t(StaffMsg::FindCaller)}
                    </button>
                </p>
                <button type="submit" class="button primary" data-submitting=t(Msg::Submitting)>
                    {t(StaffMsg::RecordSubmit)}
                </button>
            </ActionForm>
        </section>
    }
}
