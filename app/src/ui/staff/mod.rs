//! What staff see: login, the queue, one complaint.

mod admin;
mod classifier;
mod complaint;
mod deliveries;
mod estate;
mod faq;
mod filters;
mod households;
mod intake;
mod login;
mod notifications;
mod queue;
mod reports;
mod revisits;

pub use admin::AdminPage;
pub use classifier::ClassifierPage;
pub use complaint::ComplaintPage;
pub use deliveries::DeliveriesPage;
pub use estate::EstatePage;
pub use faq::{DraftFromComplaint, FaqEditRoute, FaqListRoute, FaqNewRoute};
pub use households::{HouseholdPage, HouseholdsPage};
pub use intake::IntakePage;
pub use login::LoginPage;
pub use notifications::NotificationsPage;
pub use queue::QueuePage;
pub use reports::{ReportsPage, SummaryPage};
pub use revisits::RevisitsPage;

use leptos::prelude::*;
use leptos_router::{components::A, lazy_route, LazyRoute};

use crate::error::AppError;
use crate::i18n::{t, Msg};

/// What a staff page shows instead of its content when the call failed.
#[component]
fn StaffError(error: AppError) -> impl IntoView {
    let needs_login = matches!(error, AppError::Unauthorized);
    view! {
        <section class="card narrow" role="alert">
            <p>{error.summary()}</p>
            {needs_login.then(|| view! { <A href="/login">{t(Msg::NavLogin)}</A> })}
        </section>
    }
}

// Staff pages are lazy routes: their code is split out of the main WebAssembly bundle
// (`cargo leptos build --split`), so owners on their phones never download it.

pub struct QueueRoute;

#[lazy_route]
impl LazyRoute for QueueRoute {
    fn data() -> Self {
        QueueRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::ui::shared::interactive_once_hydrated();
        view! { <QueuePage /> }.into_any()
    }
}

pub struct ComplaintRoute;

#[lazy_route]
impl LazyRoute for ComplaintRoute {
    fn data() -> Self {
        ComplaintRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::ui::shared::interactive_once_hydrated();
        view! { <ComplaintPage /> }.into_any()
    }
}

pub struct HandlingReportRoute;

#[lazy_route]
impl LazyRoute for HandlingReportRoute {
    fn data() -> Self {
        HandlingReportRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::ui::shared::interactive_once_hydrated();
        view! { <complaint::HandlingReportPage /> }.into_any()
    }
}

pub struct NotificationsRoute;

#[lazy_route]
impl LazyRoute for NotificationsRoute {
    fn data() -> Self {
        NotificationsRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::ui::shared::interactive_once_hydrated();
        view! { <NotificationsPage /> }.into_any()
    }
}

pub struct HouseholdsRoute;

#[lazy_route]
impl LazyRoute for HouseholdsRoute {
    fn data() -> Self {
        HouseholdsRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::ui::shared::interactive_once_hydrated();
        view! { <HouseholdsPage /> }.into_any()
    }
}

pub struct HouseholdRoute;

#[lazy_route]
impl LazyRoute for HouseholdRoute {
    fn data() -> Self {
        HouseholdRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::ui::shared::interactive_once_hydrated();
        view! { <HouseholdPage /> }.into_any()
    }
}

pub struct RevisitsRoute;

#[lazy_route]
impl LazyRoute for RevisitsRoute {
    fn data() -> Self {
        RevisitsRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::ui::shared::interactive_once_hydrated();
        view! { <RevisitsPage /> }.into_any()
    }
}

pub struct AdminRoute;

#[lazy_route]
impl LazyRoute for AdminRoute {
    fn data() -> Self {
        AdminRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::ui::shared::interactive_once_hydrated();
        view! { <AdminPage /> }.into_any()
    }
}

pub struct ClassifierRoute;

#[lazy_route]
impl LazyRoute for ClassifierRoute {
    fn data() -> Self {
        ClassifierRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::ui::shared::interactive_once_hydrated();
        view! { <ClassifierPage /> }.into_any()
    }
}

pub struct DeliveriesRoute;

#[lazy_route]
impl LazyRoute for DeliveriesRoute {
    fn data() -> Self {
        DeliveriesRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::ui::shared::interactive_once_hydrated();
        view! { <DeliveriesPage /> }.into_any()
    }
}

pub struct EstateRoute;

#[lazy_route]
impl LazyRoute for EstateRoute {
    fn data() -> Self {
        EstateRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::ui::shared::interactive_once_hydrated();
        view! { <EstatePage /> }.into_any()
    }
}

pub struct ReportsRoute;

#[lazy_route]
impl LazyRoute for ReportsRoute {
    fn data() -> Self {
        ReportsRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::ui::shared::interactive_once_hydrated();
        view! { <ReportsPage /> }.into_any()
    }
}

pub struct SummaryRoute;

#[lazy_route]
impl LazyRoute for SummaryRoute {
    fn data() -> Self {
        SummaryRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::ui::shared::interactive_once_hydrated();
        view! { <SummaryPage /> }.into_any()
    }
}
