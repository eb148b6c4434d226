//! The isomorphic Leptos app of the owner self-service complaint portal: pages,
//! server functions and the message catalogue. Rendered on the server, hydrated in
//! the browser, where the shared domain code runs as WebAssembly.

pub mod access;
pub mod api;
pub mod error;
pub mod i18n;
pub mod model;
pub mod reports;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod ssr;

pub use domain;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy, SsrMode,
};

use crate::i18n::{t, Msg};
use crate::ui::{lazy, owner, shared, staff};

/// The HTML document around the app (server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = i18n::current_lang();
    // The owner's pages stay light. The pages an owner reaches without logging in and that
    // work as plain HTML forms — the home page, the knowledge base, the tracking look-up
    // form and the survey — load no script file (what they render needs no app): they are
    // interactive from the first byte. The complaint form loads only its own small module (`ui::owner::file`), as does
    // the agents' intake page built from the same fields. Every other page (the tracking
    // page with its live updates, accounts, staff) hydrates the app.
    let pkg_dir = options.site_pkg_dir.clone();
    let path = request_path();
    let plain = path.as_deref().is_some_and(plain_page);
    let scripts = match path.as_deref() {
        _ if plain => ().into_any(),
        Some("/complaints/new" | "/staff/intake") => ui::owner::form_script(&pkg_dir).into_any(),
        _ => view! { <HydrationScripts options=options.clone() /> }.into_any(),
    };
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b6e4f" />
                <meta name="portal-utc-offset" content=ui::shared::local_offset_minutes().to_string() />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=ui::shared::asset_url(&pkg_dir, "portal.css") />
                {scripts}
                // Only under `cargo leptos watch`: reloads the page when it rebuilds.
                <AutoReload options />
                <MetaTags />
            </head>
            // A page without a script is interactive as it arrives (the mark people and tests
            // wait for on every page; the others set it once hydrated).
            <body data-hydrated=plain.then_some("true")>
                <App />
            </body>
        </html>
    }
}

/// Pages served as plain HTML, without the app: every form on them posts without script.
fn plain_page(path: &str) -> bool {
    path == "/"
        || path == "/track"
        || path == "/faq"
        || path.starts_with("/faq/")
        || path.starts_with("/survey/")
}

/// The path of the request being rendered (server only: the browser never renders the shell).
fn request_path() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>().map(|p| p.uri.path().to_owned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    i18n::provide_lang();

    view! {
        <Title text=t(Msg::AppName) />
        // Pages render whole on the server (SsrMode::Async): forms, errors and data are
        // all in the first response, so everything works before and without WebAssembly.
        <Router>
            <shared::Header />
            <main id="main" class="page">
                <Routes fallback=shared::NotFound>
                    <Route path=path!("/") view=owner::HomePage ssr=SsrMode::Async />
                    <Route path=path!("/complaints/new") view=owner::FilePage ssr=SsrMode::Async />
                    <Route path=path!("/track") view={Lazy::<lazy::LookUpRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/track/:code") view={Lazy::<lazy::TrackRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/survey/thanks") view={Lazy::<lazy::SurveyThanksRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/survey/:token") view={Lazy::<lazy::SurveyRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/faq") view={Lazy::<lazy::FaqHomeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/faq/search") view={Lazy::<lazy::FaqSearchRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/faq/topic/:topic") view={Lazy::<lazy::FaqTopicRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/faq/:slug") view={Lazy::<lazy::FaqArticleRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/login") view={Lazy::<lazy::LoginRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/register") view={Lazy::<lazy::RegisterRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/me") view={Lazy::<lazy::MyComplaintsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account/password") view={Lazy::<lazy::PasswordRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/intake") view=staff::IntakePage ssr=SsrMode::Async />
                    <Route path=path!("/staff/admin") view={Lazy::<staff::AdminRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/admin/estate") view={Lazy::<staff::EstateRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/admin/deliveries") view={Lazy::<staff::DeliveriesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/admin/classifier") view={Lazy::<staff::ClassifierRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff") view={Lazy::<staff::QueueRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/complaints/:id") view={Lazy::<staff::ComplaintRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/complaints/:id/report") view={Lazy::<staff::HandlingReportRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/households") view={Lazy::<staff::HouseholdsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/households/:id") view={Lazy::<staff::HouseholdRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/revisits") view={Lazy::<staff::RevisitsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/notifications") view={Lazy::<staff::NotificationsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/reports") view={Lazy::<staff::ReportsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/reports/summary") view={Lazy::<staff::SummaryRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/faq") view={Lazy::<staff::FaqListRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/faq/new") view={Lazy::<staff::FaqNewRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/faq/:id") view={Lazy::<staff::FaqEditRoute>::new()} ssr=SsrMode::Async />
                </Routes>
            </main>
            <shared::Footer />
        </Router>
    }
}

/// The browser entry point: attach to the server-rendered HTML.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Times print in the policy's zone, as the server printed them.
    if let Some(minutes) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("meta[name=portal-utc-offset]")
                .ok()
                .flatten()
        })
        .and_then(|m| m.get_attribute("content"))
        .and_then(|c| c.parse::<i32>().ok())
    {
        ui::shared::set_local_offset(minutes);
    }
    // Hydration finishes once the page's lazy route has loaded and hydrated; the page marks
    // itself interactive then (`data-hydrated`, `ui::shared::interactive_once_hydrated`),
    // not before: a tap before that would post the form without the app.
    ui::shared::address::forget_stale_form_errors();
    leptos::mount::hydrate_lazy(App);
}
