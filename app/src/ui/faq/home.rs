use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::{topic_blurb, topic_href, topic_label, ArticleList, SearchBox, StillNeedHelp};
use crate::api::faq::load_faq_home;
use crate::i18n::{fill, t, FaqMsg, Msg};

/// `/faq`: search, the topics, the most-read articles.
#[component]
pub fn FaqHomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| load_faq_home());
    view! {
        <Title text=format!("{} · {}", t(FaqMsg::Title), t(Msg::AppName)) />
        <section class="hero faq-hero">
            <h1>{t(FaqMsg::Title)}</h1>
            <p>{t(FaqMsg::HomeIntro)}</p>
            <SearchBox />
        </section>
        <Suspense fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(home) => view! {
                        <section aria-labelledby="faq-topics">
                            <h2 id="faq-topics">{t(FaqMsg::Topics)}</h2>
                            <ul class="topic-grid">
                                {home.topics.into_iter().map(|c| view! {
                                    <li>
                                        <A href=topic_href(c.topic) attr:class="topic-tile">
                                            <span class="topic-name">{topic_label(c.topic)}</span>
                                            <span class="topic-blurb">{topic_blurb(c.topic)}</span>
                                            <span class="topic-count">{fill(t(FaqMsg::TopicCount), &[&c.count])}</span>
                                        </A>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                        <section class="card" aria-labelledby="faq-popular">
                            <h2 id="faq-popular">{t(FaqMsg::Popular)}</h2>
                            <ArticleList articles=home.popular />
                        </section>
                    }.into_any(),
                    Err(error) => view! { <p class="card" role="alert">{error.summary()}</p> }.into_any(),
                }
            })}
        </Suspense>
        <StillNeedHelp />
    }
}
