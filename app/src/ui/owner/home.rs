use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{t, Msg};

#[component]
pub fn HomePage() -> impl IntoView {
    crate::ui::shared::interactive_once_hydrated();
    view! {
        <section class="hero">
            <h1>{t(Msg::AppName)}</h1>
            <p>{t(Msg::AppTagline)}</p>
        </section>
        <section class="tiles">
            <A href="/complaints/new" attr:class="tile tile-primary" attr:rel="external">
                <h2>{t(Msg::HomeFileTitle)}</h2>
                <p>{t(Msg::HomeFileBody)}</p>
            </A>
            <A href="/track" attr:class="tile">
                <h2>{t(Msg::HomeTrackTitle)}</h2>
                <p>{t(Msg::HomeTrackBody)}</p>
            </A>
            <A href="/faq" attr:class="tile">
                <h2>{t(Msg::HomeFaqTitle)}</h2>
                <p>{t(Msg::HomeFaqBody)}</p>
            </A>
            <A href="/login" attr:class="tile tile-quiet">
                <h2>{t(Msg::HomeStaffTitle)}</h2>
                <p>{t(Msg::HomeStaffBody)}</p>
            </A>
        </section>
    }
}
