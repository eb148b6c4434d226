//! What staff see: login, the queue, one complaint.

mod complaint;
mod login;
mod notifications;
mod queue;

pub use complaint::ComplaintPage;
pub use login::LoginPage;
pub use notifications::NotificationsPage;
pub use queue::QueuePage;

use leptos::prelude::*;
use leptos_router::components::A;

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
