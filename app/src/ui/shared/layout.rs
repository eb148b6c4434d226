use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};

use crate::api::complaints::service_hotlines;
use crate::api::staff::{current_actor, unread_notifications, LogOut};
use crate::i18n::{current_lang, fill, t, Lang, Msg};
use crate::model::ServiceHotline;

#[component]
pub fn Header() -> impl IntoView {
    // Both resources are created here, not inside a Suspend: server and browser must
    // create resources in the same order for hydration.
    // Refetched on every navigation: logging in or out (a server redirect followed in the
    // browser) changes who is here, and the unread count moves as staff work.
    let location = use_location();
    let actor = Resource::new(move || location.pathname.get(), |_| current_actor());
    let unread = Resource::new(move || location.pathname.get(), |_| unread_notifications());
    let log_out = ServerAction::<LogOut>::new();
    let other_lang = match current_lang() {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    };
    let switch_href = move || {
        format!(
            "/lang/{}?to={}",
            other_lang.tag(),
            urlencode(&location.pathname.get())
        )
    };

    view! {
        <a class="skip" href="#main">{t(Msg::SkipToContent)}</a>
        <header class="site-header">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"诉"</span>
                <span class="brand-name">{t(Msg::AppName)}</span>
            </A>
            <nav aria-label=t(Msg::NavMain) class="site-nav">
                <A href="/complaints/new" attr:rel="external">{t(Msg::NavFile)}</A>
                <A href="/track">{t(Msg::NavTrack)}</A>
                <A href="/faq">{t(Msg::NavFaq)}</A>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        // Both awaited here: a <Transition> inside this Suspend would take
                        // its hydration id whenever the Suspend happens to run, and shift
                        // the ids of the page's resources (the queue did not hydrate).
                        let unread = unread.await.unwrap_or(0);
                        match actor.await {
                            Ok(Some(actor)) => {
                                view! {
                                    {(actor.role == domain::Role::Owner).then(|| view! {
                                        <A href="/me">{t(crate::i18n::AccountMsg::NavMine)}</A>
                                    })}
                                    {(actor.role == domain::Role::Admin).then(|| view! {
                                        <A href="/staff/admin">{t(crate::i18n::AdminMsg::NavAdmin)}</A>
                                    })}
                                    {crate::access::may_role(actor.role, crate::access::Doing::WorkQueue).then(|| view! {
                                        <A href="/staff">{t(Msg::NavStaff)}</A>
                                        {crate::access::may_role(actor.role, crate::access::Doing::RecordComplaint).then(|| view! {
                                            <a href="/staff/intake" rel="external">{t(crate::i18n::StaffMsg::NavIntake)}</a>
                                        })}
                                        <A href="/staff/revisits">{t(crate::i18n::SurveyMsg::NavRevisits)}</A>
                                        <A href="/staff/households">{t(crate::i18n::StaffMsg::NavHouseholds)}</A>
                                        {crate::access::may_role(actor.role, crate::access::Doing::ReadReports).then(|| view! { <A href="/staff/reports">{t(crate::i18n::ReportMsg::Nav)}</A> })}
                                        {crate::access::may_role(actor.role, crate::access::Doing::AuthorFaq).then(|| view! { <A href="/staff/faq">{t(crate::i18n::FaqMsg::NavStaffFaq)}</A> })}
                                        <NotificationBadge unread />
                                    })}
                                    <ActionForm action=log_out attr:class="inline-form">
                                        <button type="submit" class="link-button"
                                            title=format!("{}{}", t(Msg::LoggedInAs), actor.display_name)>
                                            {t(Msg::NavLogout)}
                                        </button>
                                    </ActionForm>
                                }.into_any()
                            }
                            _ => view! { <A href="/login">{t(Msg::NavLogin)}</A> }.into_any(),
                        }
                    })}
                </Transition>
                <a href=switch_href hreflang=other_lang.tag() rel="external" class="lang-switch">
                    {t(Msg::SwitchLang)}
                </a>
            </nav>
        </header>
    }
}

/// The number of unread notifications, as a link to them.
#[component]
fn NotificationBadge(unread: i64) -> impl IntoView {
    view! {
        <A href="/staff/notifications" attr:class="notify-link">
            {t(Msg::NavNotifications)}
            {(unread > 0).then(|| view! { <span class="count-badge" aria-label=unread.to_string()>{unread.min(99)}</span> })}
        </A>
    }
}

/// The foot of every page: the service hotline to call in an emergency (each community's,
/// when they differ), or the general advice when none is set.
#[component]
pub fn Footer() -> impl IntoView {
    // Created outside the Suspend, like the header's: same order on server and browser.
    let hotlines = Resource::new(|| (), |_| service_hotlines());
    view! {
        <footer class="site-footer">
            <Suspense fallback=|| view! { <p>{t(Msg::FooterNote)}</p> }>
                {move || Suspend::new(async move {
                    let list = hotlines.await.unwrap_or_default();
                    view! { <HotlineNote list /> }
                })}
            </Suspense>
        </footer>
    }
}

#[component]
fn HotlineNote(list: Vec<ServiceHotline>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p>{t(Msg::FooterNote)}</p> }.into_any();
    }
    // One number for the whole estate needs no community names.
    let one_number = list.iter().all(|h| h.number == list[0].number);
    let shown: Vec<ServiceHotline> = if one_number {
        list.into_iter().take(1).collect()
    } else {
        list
    };
    let count = shown.len();
    view! {
        <p data-testid="footer-hotline">
            {t(Msg::FooterHotline)}
            {shown.into_iter().enumerate().map(|(i, h)| view! {
                <a class="tel" href=h.tel>{h.number}</a>
                {(!one_number).then(|| fill(t(Msg::InParens), &[&h.community]))}
                {(i + 1 < count).then(|| t(Msg::ListSep))}
            }).collect_view()}
        </p>
    }
    .into_any()
}

#[component]
pub fn NotFound() -> impl IntoView {
    crate::ui::shared::interactive_once_hydrated();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="card narrow">
            <h1>{t(Msg::NotFoundTitle)}</h1>
            <p>{t(Msg::NotFoundBody)}</p>
            <A href="/">{t(Msg::BackHome)}</A>
        </section>
    }
}

/// Percent-encodes a path for a query parameter.
fn urlencode(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
