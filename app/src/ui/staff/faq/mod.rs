//! Staff authoring of the knowledge base (agents and administrators): the list with each
//! article's numbers, the Markdown editor with preview, publishing and history, and turning a
//! resolved complaint into a draft. Lazy routes: owners never download this code.

mod editor;
mod from_complaint;
mod list;

pub use from_complaint::DraftFromComplaint;

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use crate::i18n::{t, FaqMsg};
use crate::model::faq::ArticleStatus;

pub struct FaqListRoute;

#[lazy_route]
impl LazyRoute for FaqListRoute {
    fn data() -> Self {
        FaqListRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::ui::shared::interactive_once_hydrated();
        view! { <list::FaqListPage /> }.into_any()
    }
}

pub struct FaqNewRoute;

#[lazy_route]
impl LazyRoute for FaqNewRoute {
    fn data() -> Self {
        FaqNewRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::ui::shared::interactive_once_hydrated();
        view! { <editor::NewArticlePage /> }.into_any()
    }
}

pub struct FaqEditRoute;

#[lazy_route]
impl LazyRoute for FaqEditRoute {
    fn data() -> Self {
        FaqEditRoute
    }

    fn view(_this: Self) -> AnyView {
        crate::ui::shared::interactive_once_hydrated();
        view! { <editor::EditArticlePage /> }.into_any()
    }
}

#[component]
fn ArticleStatusBadge(status: ArticleStatus) -> impl IntoView {
    let (class, text) = match status {
        ArticleStatus::Draft => ("badge article-draft", t(FaqMsg::StatusDraft)),
        ArticleStatus::Published => ("badge article-published", t(FaqMsg::StatusPublished)),
    };
    view! { <span class=class>{text}</span> }
}
