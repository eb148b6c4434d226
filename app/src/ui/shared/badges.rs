use chrono::{DateTime, Utc};
use domain::{remaining_label, Level, SlaState, Status};
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

/// The SLA state with the time left (or overdue) until the next due time.
#[component]
pub fn SlaBadge(state: SlaState, due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> impl IntoView {
    let lang = current_lang();
    let class = format!("badge sla-{}", state.code());
    let detail = due.map(|d| remaining_label(d, now, lang));
    view! {
        <span class=class>{state.label(lang)}</span>
        {detail.map(|d| view! { <span class="sla-detail small">{d}</span> })}
    }
}
