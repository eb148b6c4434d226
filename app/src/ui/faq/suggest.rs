//! "这些文章也许能解决您的问题": FAQ articles matched in the browser against what the owner is
//! typing on the complaint form (`domain::hints::FaqIndex`, no request per keystroke). Links
//! carry `?from=complaint`, so reading one without filing counts as a deflection.

use domain::hints::FaqIndex;
use leptos::prelude::*;

use crate::api::faq::faq_hint_entries;
use crate::i18n::{t, FaqMsg};

/// At most this many suggestions.
const SUGGESTIONS: usize = 3;

/// Suggestions for `text`; renders nothing until something matches (and nothing on the
/// server, where the entries are never loaded).
#[component]
pub fn FaqSuggestions(#[prop(into)] text: Signal<String>) -> impl IntoView {
    let entries = LocalResource::new(faq_hint_entries);
    let suggestions = move || {
        let text = text.get();
        if text.chars().count() < 2 {
            return Vec::new();
        }
        entries.with(|loaded| {
            let Some(Ok(entries)) = loaded else {
                return Vec::new();
            };
            FaqIndex::new(entries)
                .matches(&text, SUGGESTIONS)
                .iter()
                .filter_map(|m| entries.iter().find(|e| e.id == m.id))
                .map(|e| (e.id, e.title.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="faq-suggestions" aria-live="polite" data-testid="faq-suggestions">
            {move || {
                let found = suggestions();
                (!found.is_empty()).then(|| view! {
                    <p class="hint-title">{t(FaqMsg::SuggestTitle)}</p>
                    <ul class="plain">
                        {found.into_iter().map(|(id, title)| view! {
                            <li>
                                <a href=format!("/faq/{id}?from=complaint") target="_blank" rel="noopener">{title}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                })
            }}
        </div>
    }
}
