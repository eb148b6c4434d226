//! Owner accounts: registering, "my complaints", claiming earlier ones; passwords (all users).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::accounts::{load_my_complaints, ChangePassword, ClaimComplaint, RegisterOwner};
use crate::i18n::{current_lang, fill, t, AccountMsg, Msg};
use crate::ui::shared::{format_time, ErrorBanner, FieldMessage, StatusBadge};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<RegisterOwner>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let echo = move |name: &str| {
        error
            .with_untracked(|e| e.as_ref().and_then(|e| e.echo(name)))
            .unwrap_or_default()
    };
    view! {
        <section class="card narrow">
            <h1>{t(AccountMsg::RegisterTitle)}</h1>
            <p class="lead">{t(AccountMsg::RegisterIntro)}</p>
            <ErrorBanner error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <div class="field">
                    <label for="reg-name">{t(AccountMsg::FieldName)}</label>
                    <input id="reg-name" name="name" type="text" autocomplete="name" value=echo("name") />
                    <FieldMessage id="reg-name-error" field="name" error />
                </div>
                <div class="field">
                    <label for="reg-phone">{t(AccountMsg::FieldPhone)}</label>
                    <input id="reg-phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" value=echo("phone") />
                    <FieldMessage id="reg-phone-error" field="phone" error />
                </div>
                <div class="field">
                    <label for="reg-code">{t(AccountMsg::FieldProofCode)}</label>
                    <input id="reg-code" name="code" type="text" class="mono" autocapitalize="characters" autocomplete="off" placeholder="ABCD-EFGH-JKMN" aria-describedby="reg-code-hint" value=echo("code") />
                    <p id="reg-code-hint" class="muted small">{t(AccountMsg::ProofCodeHint)}" "<a href="/complaints/new" rel="external">{t(AccountMsg::FileNew)}</a></p>
                    <FieldMessage id="reg-code-error" field="code" error />
                </div>
                <div class="field">
                    <label for="reg-password">{t(AccountMsg::FieldPassword)}</label>
                    <input id="reg-password" name="password" type="password" autocomplete="new-password" />
                    <FieldMessage id="reg-password-error" field="password" error />
                </div>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>{t(AccountMsg::RegisterSubmit)}</button>
            </ActionForm>
            <p><A href="/login">{t(AccountMsg::HaveAccount)}</A></p>
        </section>
    }
}

#[component]
pub fn MyComplaintsPage() -> impl IntoView {
    let claim = ServerAction::<ClaimComplaint>::new();
    let list = Resource::new(move || claim.version().get(), |_| load_my_complaints());
    let error = Signal::derive(move || claim.value().get().and_then(Result::err));
    let lang = current_lang();
    view! {
        <section class="card">
            <h1>{t(AccountMsg::MyTitle)}</h1>
            <Transition fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(mine) => view! {
                            {(mine.claimable > 0).then(|| view! {
                                <div class="claim">
                                    <p>{fill(t(AccountMsg::Claimable), &[&mine.claimable])}</p>
                                    <ErrorBanner error />
                                    <ActionForm action=claim attr:class="inline-fields" attr:novalidate=true>
                                        <label class="visually-hidden" for="claim-code">{t(Msg::FieldCode)}</label>
                                        <input id="claim-code" name="code" type="text" class="mono" autocapitalize="characters" placeholder="ABCD-EFGH-JKMN" />
                                        <button type="submit" class="button">{t(AccountMsg::ClaimSubmit)}</button>
                                    </ActionForm>
                                    <FieldMessage id="claim-code-error" field="code" error />
                                </div>
                            })}
                            {mine.own.is_empty().then(|| view! { <p class="muted">{t(AccountMsg::MyEmpty)}</p> })}
                            <ul class="my-complaints">
                                {mine.own.into_iter().map(|c| view! {
                                    <li>
                                        <A href=format!("/track/{}", c.tracking_code)>{c.summary}</A>
                                        <span class="muted small">{c.category.label(lang)}" · "{format_time(c.filed_at)}" "</span>
                                        <StatusBadge status=c.status />
                                    </li>
                                }).collect_view()}
                            </ul>
                            <p><A href="/complaints/new" attr:class="button primary" attr:rel="external">{t(AccountMsg::FileNew)}</A></p>
                        }.into_any(),
                        Err(error) => view! { <p role="alert">{error.summary()}" "<A href="/login">{t(Msg::NavLogin)}</A></p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn PasswordPage() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="card narrow">
            <h1>{t(AccountMsg::PasswordTitle)}</h1>
            <ErrorBanner error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <div class="field">
                    <label for="pw-current">{t(AccountMsg::CurrentPassword)}</label>
                    <input id="pw-current" name="current" type="password" autocomplete="current-password" />
                    <FieldMessage id="pw-current-error" field="current" error />
                </div>
                <div class="field">
                    <label for="pw-new">{t(AccountMsg::NewPassword)}</label>
                    <input id="pw-new" name="new" type="password" autocomplete="new-password" />
                    <FieldMessage id="pw-new-error" field="password" error />
                </div>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>{t(AccountMsg::PasswordSubmit)}</button>
            </ActionForm>
        </section>
    }
}
