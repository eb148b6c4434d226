use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::{topic_label, Breadcrumbs, SearchBox, StillNeedHelp};
use crate::api::faq::faq_search;
use crate::i18n::{fill, t, FaqMsg, Msg};

/// `/faq/search?q=…`: ranked results with the matched words marked.
#[component]
pub fn FaqSearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let results = Resource::new(q, faq_search);
    view! {
        <Title text=move || format!("{} · {}", t(FaqMsg::SearchTitle), t(FaqMsg::Title)) />
        <Breadcrumbs current=t(FaqMsg::SearchTitle).to_owned() />
        <section class="card">
            <h1>{t(FaqMsg::SearchTitle)}</h1>
            {move || view! { <SearchBox value=q() /> }}
            <Transition fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let q = q();
                    let shown: String = q.trim().chars().take(40).collect();
                    match results.await {
                        _ if shown.is_empty() => view! { <p class="muted">{t(FaqMsg::EmptyQuery)}</p> }.into_any(),
                        Ok(found) if found.hits.is_empty() => view! {
                            <p class="muted" role="status">{fill(t(FaqMsg::NoResults), &[&shown])}</p>
                        }.into_any(),
                        Ok(found) => view! {
                            <p class="muted" role="status" data-testid="result-count">
                                {if found.fuzzy {
                                    t(FaqMsg::Fuzzy).to_owned()
                                } else {
                                    fill(t(FaqMsg::ResultCount), &[&found.total, &shown])
                                }}
                            </p>
                            <ol class="search-results">
                                {found.hits.into_iter().map(|hit| view! {
                                    <li class="search-hit" data-slug=hit.slug.clone() lang=super::other_lang(hit.lang)>
                                        // The server escaped the text and added only <mark>.
                                        <A href=format!("/faq/{}", hit.slug) attr:class="hit-title">
                                            <span inner_html=hit.title_html></span>
                                        </A>
                                        <span class="badge topic">{topic_label(hit.topic)}</span>
                                        <p class="hit-snippet" inner_html=hit.snippet_html></p>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(error) => view! { <p role="alert">{error.summary()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <StillNeedHelp />
    }
}
