use leptos::prelude::*;

use crate::api::staff::LogIn;
use crate::i18n::{t, Msg};
use crate::ui::shared::ErrorBanner;

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<LogIn>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let login = error
        .with_untracked(|e| e.as_ref().and_then(|e| e.echo("login")))
        .unwrap_or_default();
    view! {
        <section class="card narrow">
            <h1>{t(Msg::LoginTitle)}</h1>
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
        </section>
    }
}
