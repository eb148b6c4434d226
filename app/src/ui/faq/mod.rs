//! The public FAQ: home, search, topics and articles. No login, rendered whole on the server
//! (readable without JavaScript), phone first. Search is a plain GET form.

mod article;
mod home;
mod search;
mod topic;

pub use article::FaqArticlePage;
pub use home::FaqHomePage;
pub use search::FaqSearchPage;
pub use topic::FaqTopicPage;

use leptos::prelude::*;
use leptos_router::components::{Form, A};

use crate::i18n::{current_lang, t, FaqMsg, Lang};
use crate::model::faq::{FaqCard, FaqTopic};

/// The `lang` attribute of text written in another language than the page's (an article
/// without a version in the reader's language is shown in Chinese).
fn other_lang(shown: Lang) -> Option<&'static str> {
    (shown != current_lang()).then_some(shown.tag())
}

/// The topic's name.
pub fn topic_label(topic: FaqTopic) -> &'static str {
    t(match topic {
        FaqTopic::Repair => FaqMsg::TopicRepair,
        FaqTopic::Emergency => FaqMsg::TopicEmergency,
        FaqTopic::Utilities => FaqMsg::TopicUtilities,
        FaqTopic::Fees => FaqMsg::TopicFees,
        FaqTopic::Warranty => FaqMsg::TopicWarranty,
        FaqTopic::Decoration => FaqMsg::TopicDecoration,
        FaqTopic::Parking => FaqMsg::TopicParking,
        FaqTopic::Neighbourhood => FaqMsg::TopicNeighbourhood,
        FaqTopic::Safety => FaqMsg::TopicSafety,
        FaqTopic::Complaints => FaqMsg::TopicComplaints,
    })
}

/// What the topic covers, in a few words.
fn topic_blurb(topic: FaqTopic) -> &'static str {
    t(match topic {
        FaqTopic::Repair => FaqMsg::BlurbRepair,
        FaqTopic::Emergency => FaqMsg::BlurbEmergency,
        FaqTopic::Utilities => FaqMsg::BlurbUtilities,
        FaqTopic::Fees => FaqMsg::BlurbFees,
        FaqTopic::Warranty => FaqMsg::BlurbWarranty,
        FaqTopic::Decoration => FaqMsg::BlurbDecoration,
        FaqTopic::Parking => FaqMsg::BlurbParking,
        FaqTopic::Neighbourhood => FaqMsg::BlurbNeighbourhood,
        FaqTopic::Safety => FaqMsg::BlurbSafety,
        FaqTopic::Complaints => FaqMsg::BlurbComplaints,
    })
}

fn topic_href(topic: FaqTopic) -> String {
    format!("/faq/topic/{}", topic.code())
}

/// The search box: a GET form to `/faq/search`, so it works without JavaScript too.
#[component]
fn SearchBox(#[prop(optional, into)] value: String) -> impl IntoView {
    // The search button has no name: the router's form would still add it as an empty pair
    // ("?q=…&="); the address carries the query alone.
    let only_named = std::sync::Arc::new(|data: &leptos::web_sys::FormData| data.delete(""));
    view! {
        <Form method="GET" action="/faq/search" on_form_data=only_named attr:class="faq-search" attr:role="search">
            <label for="faq-q" class="visually-hidden">{t(FaqMsg::SearchLabel)}</label>
            <input id="faq-q" name="q" type="search" value=value maxlength="100"
                placeholder=t(FaqMsg::SearchPlaceholder) enterkeyhint="search" autocomplete="off" />
            <button type="submit" class="button primary">{t(FaqMsg::SearchButton)}</button>
        </Form>
    }
}

/// 常见问题 › topic › (current page).
#[component]
fn Breadcrumbs(
    #[prop(optional)] topic: Option<FaqTopic>,
    #[prop(optional, into)] current: Option<String>,
) -> impl IntoView {
    view! {
        <nav aria-label=t(FaqMsg::Breadcrumbs) class="breadcrumbs">
            <ol>
                <li><A href="/faq">{t(FaqMsg::Title)}</A></li>
                {topic.map(|topic| view! { <li><A href=topic_href(topic)>{topic_label(topic)}</A></li> })}
                {current.map(|c| view! { <li aria-current="page">{c}</li> })}
            </ol>
        </nav>
    }
}

/// A list of articles with their summaries.
#[component]
fn ArticleList(articles: Vec<FaqCard>) -> impl IntoView {
    view! {
        <ul class="faq-list">
            {articles.into_iter().map(|a| view! {
                <li lang=other_lang(a.lang)>
                    <A href=format!("/faq/{}", a.slug)>{a.title}</A>
                    <p class="muted small">{a.summary}</p>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// "没找到答案?" with the way to the complaint form.
#[component]
fn StillNeedHelp(#[prop(optional)] heading: Option<FaqMsg>) -> impl IntoView {
    view! {
        <section class="card faq-cta">
            <h2>{t(heading.unwrap_or(FaqMsg::NotAnswered))}</h2>
            <p>{t(FaqMsg::NotAnsweredBody)}</p>
            <A href="/complaints/new" attr:class="button primary" attr:rel="external">{t(FaqMsg::FileComplaint)}</A>
        </section>
    }
}
