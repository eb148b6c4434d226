use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{topic_blurb, topic_label, ArticleList, Breadcrumbs, SearchBox, StillNeedHelp};
use crate::api::faq::load_faq_topic;
use crate::error::AppError;
use crate::i18n::{t, FaqMsg, Msg};
use crate::model::faq::FaqTopic;
use crate::ui::shared::NotFound;

/// `/faq/topic/:topic`: the articles of one topic.
#[component]
pub fn FaqTopicPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("topic").unwrap_or_default();
    let articles = Resource::new(code, load_faq_topic);
    view! {
        <Suspense fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let topic = FaqTopic::parse(&code());
                match (topic, articles.await) {
                    (Some(topic), Ok(articles)) => view! {
                        <Title text=format!("{} · {}", topic_label(topic), t(FaqMsg::Title)) />
                        <Breadcrumbs current=topic_label(topic).to_owned() />
                        <section class="card">
                            <h1>{topic_label(topic)}</h1>
                            <p class="lead">{topic_blurb(topic)}</p>
                            {articles.is_empty().then(|| view! { <p class="muted">{t(FaqMsg::TopicEmpty)}</p> })}
                            <ArticleList articles />
                        </section>
                        <SearchBox />
                        <StillNeedHelp />
                    }.into_any(),
                    (_, Err(AppError::NotFound)) | (None, _) => view! { <NotFound /> }.into_any(),
                    (_, Err(error)) => view! { <p class="card" role="alert">{error.summary()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
