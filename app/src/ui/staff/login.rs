use leptos::prelude::*;

use leptos_router::{components::A, hooks::use_query_map};

use crate::api::staff::LogIn;
use crate::i18n::{t, AccountMsg, Msg};
use crate::ui::shared::ErrorBanner;

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<LogIn>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let login = error
        .with_untracked(|e| e.as_ref().and_then(|e| e.echo("login")))
        .unwrap_or_default();
    let changed = use_query_map().read_untracked().get("changed").is_some();
    view! {
        <section class="card narrow">
            <h1>{t(Msg::LoginTitle)}</h1>
            {changed.then(|| view! { <p class="notice" role="status">{t(AccountMsg::PasswordChanged)}</p> })}
            <ErrorBanner error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <div class="field">
                    <label for="login">{t(Msg::FieldLogin)}</label>
                    <input id="login" name="login" type="text" required autocomplete="username"
                        autocapitalize="none" value=login />
                </div>
                <div class="field">
                    <label for="password">{t(Msg::FieldPassword)}</label>
                    <input id="password" name="password" type="password" required
                        autocomplete="current-password" />
                </div>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    {t(Msg::LoginSubmit)}
                </button>
            </ActionForm>
            <p><A href="/register">{t(AccountMsg::NoAccount)}</A></p>
        </section>
    }
}
