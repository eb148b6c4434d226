use domain::{Level, Status};
use leptos::prelude::*;

use crate::i18n::current_lang;

#[component]
pub fn LevelBadge(level: Level) -> impl IntoView {
    let class = format!("badge level-{}", level.number());
    view! { <span class=class>{level.label(current_lang())}</span> }
}

#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let class = format!("badge status-{}", status.code());
    view! { <span class=class>{status.label(current_lang())}</span> }
}
