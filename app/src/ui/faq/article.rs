use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{topic_label, ArticleList, Breadcrumbs, StillNeedHelp};
use crate::api::faq::{load_faq_article, FaqVote};
use crate::error::AppError;
use crate::i18n::{fill, t, FaqMsg, Msg};
use crate::ui::shared::{format_time, ErrorBanner, FieldMessage, NotFound};

/// `/faq/:slug`: the article, whether it helped, related articles.
#[component]
pub fn FaqArticlePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    // Keyed on the slug only: coming back from a vote (`?voted=yes`) is not another view.
    let article = Resource::new(slug, move |slug| {
        let from = query.with_untracked(|q| q.get("from").unwrap_or_default());
        load_faq_article(slug, from)
    });
    // Untracked: the note belongs to the first view; a vote's redirect must not re-render.
    let from_complaint =
        move || query.with_untracked(|q| q.get("from").is_some_and(|f| f == "complaint"));
    view! {
        <Suspense fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match article.await {
                    Ok(a) => view! {
                        <Title text=format!("{} · {}", a.title, t(FaqMsg::Title)) />
                        <Meta name="description" content=a.summary.clone() />
                        <Link rel="canonical" href=format!("/faq/{}", a.slug) />
                        <Breadcrumbs topic=a.topic current=a.title.clone() />
                        {from_complaint().then(|| view! {
                            <p class="notice from-complaint">{t(FaqMsg::FromComplaintNote)}</p>
                        })}
                        {super::other_lang(a.lang).map(|_| view! {
                            <p class="notice" data-testid="only-in-chinese">{t(FaqMsg::OnlyInChinese)}</p>
                        })}
                        <article class="card faq-article" lang=super::other_lang(a.lang)>
                            <p class="muted small">
                                <A href=super::topic_href(a.topic)>{topic_label(a.topic)}</A>
                                " · "{fill(t(FaqMsg::UpdatedAt), &[&format_time(a.updated_at)])}
                            </p>
                            <h1>{a.title.clone()}</h1>
                            <p class="lead">{a.summary.clone()}</p>
                            // Rendered from Markdown and sanitised (ammonia) by the server.
                            <div class="article-body" inner_html=a.body_html.clone()></div>
                        </article>
                        <Feedback slug=a.slug.clone() />
                        {(!a.related.is_empty()).then(|| view! {
                            <section class="card" aria-labelledby="faq-related">
                                <h2 id="faq-related">{t(FaqMsg::Related)}</h2>
                                <ArticleList articles=a.related.clone() />
                            </section>
                        })}
                        <StillNeedHelp heading=FaqMsg::StillNeedHelp />
                    }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <p class="card" role="alert">{error.summary()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "这篇文章有帮助吗?" — two submit buttons and an optional comment. The answer comes back as
/// `?voted=yes|no` (a redirect), so it reads the same with and without JavaScript.
#[component]
fn Feedback(slug: String) -> impl IntoView {
    let query = use_query_map();
    let vote = ServerAction::<FaqVote>::new();
    let error = Signal::derive(move || vote.value().get().and_then(Result::err));
    let echoed = error
        .with_untracked(|e| e.as_ref().and_then(|e| e.echo("comment")))
        .unwrap_or_default();
    let voted = move || query.read().get("voted");
    let noted = move || query.read().get("noted").is_some();
    let chosen = move |answer: &'static str| voted().is_some_and(|v| v == answer);
    view! {
        <section id="feedback" class="card feedback" aria-labelledby="feedback-title">
            <h2 id="feedback-title">{t(FaqMsg::Helpful)}</h2>
            {move || voted().map(|answer| view! {
                <p class="notice" role="status" data-testid="vote-thanks">
                    {t(if noted() {
                        FaqMsg::ThanksNoted
                    } else if answer == "yes" {
                        FaqMsg::ThanksYes
                    } else {
                        FaqMsg::ThanksNo
                    })}
                    " "<span class="muted small">{t(FaqMsg::ChangeVote)}</span>
                </p>
            })}
            <ErrorBanner error />
            <ActionForm action=vote attr:class="form feedback-form" attr:novalidate=true>
                <input type="hidden" name="slug" value=slug />
                <div class="vote-buttons" role="group" aria-labelledby="feedback-title">
                    <button type="submit" name="helpful" value="yes" class="button vote-yes"
                        class:chosen=move || chosen("yes")
                        aria-pressed=move || chosen("yes").to_string()
                        disabled=move || vote.pending().get()>{t(FaqMsg::Yes)}</button>
                    <button type="submit" name="helpful" value="no" class="button vote-no"
                        class:chosen=move || chosen("no")
                        aria-pressed=move || chosen("no").to_string()
                        disabled=move || vote.pending().get()>{t(FaqMsg::No)}</button>
                </div>
                <FieldMessage id="feedback-helpful-error" field="helpful" error />
                <div class="field">
                    <label for="feedback-comment">{t(FaqMsg::CommentLabel)}</label>
                    <textarea id="feedback-comment" name="comment" rows="2" maxlength="1000"
                        aria-describedby="feedback-comment-error">{echoed}</textarea>
                    <FieldMessage id="feedback-comment-error" field="comment" error />
                </div>
                // Its own send button: keeps the answer already given (none yet: the server
                // asks for one and gives the text back).
                <div class="actions">
                    <button type="submit" name="helpful" class="button"
                        data-testid="send-comment"
                        value=move || voted().unwrap_or_default()
                        disabled=move || vote.pending().get()>{t(FaqMsg::SendComment)}</button>
                </div>
            </ActionForm>
        </section>
    }
}
