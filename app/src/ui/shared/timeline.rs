use leptos::prelude::*;

use crate::i18n::{current_lang, t, Msg};
use crate::model::{EventKind, TimelineEntry};
use crate::ui::shared::format_time;

/// A complaint's history, oldest first. Internal entries are marked; owners never
/// receive them in the first place.
#[component]
pub fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    let lang = current_lang();
    if entries.is_empty() {
        return view! { <p class="muted">{t(Msg::TimelineEmpty)}</p> }.into_any();
    }
    view! {
        <ol class="timeline">
            {entries.into_iter().map(|entry| {
                let title = match entry.kind {
                    EventKind::Filed => t(Msg::EventFiled).to_owned(),
                    EventKind::Reply => t(Msg::EventReply).to_owned(),
                    EventKind::Note => t(Msg::EventNote).to_owned(),
                    EventKind::Status => format!(
                        "{}:{}",
                        t(Msg::EventStatus),
                        entry.after.as_deref().and_then(domain::Status::parse).map(|s| s.label(lang)).unwrap_or("")
                    ),
                    EventKind::Level => format!("{}:{}", t(Msg::EventLevel), entry.after.clone().unwrap_or_default()),
                    EventKind::Assignment | EventKind::Escalation => entry.after.clone().unwrap_or_default(),
                };
                let who = entry.actor_name.clone().or_else(|| entry.actor_role.map(|r| r.label(lang).to_owned()));
                let class = format!("timeline-entry kind-{}{}", entry.kind.code(), if entry.public { "" } else { " internal" });
                view! {
                    <li class=class>
                        <div class="timeline-head">
                            <time datetime=entry.at.to_rfc3339()>{format_time(entry.at)}</time>
                            <span class="timeline-title">{title}</span>
                            {who.map(|w| view! { <span class="timeline-who">{w}</span> })}
                        </div>
                        {entry.body.map(|b| view! { <p class="timeline-body">{b}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }.into_any()
}
