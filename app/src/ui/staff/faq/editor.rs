//! Writing an article: Markdown with a preview rendered by the server (the same sanitiser the
//! public page uses), publishing, the numbers, the history and owners' feedback.

use domain::Category;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::ArticleStatusBadge;
use crate::api::faq::{
    load_staff_faq_article, preview_faq_markdown, SaveFaqArticle, SetFaqPublished,
};
use crate::i18n::{current_lang, fill, t, FaqMsg, Msg};
use crate::model::faq::{ArticleInput, ArticleStatus, FaqTopic, StaffFaqArticle};
use crate::ui::faq::topic_label;
use crate::ui::shared::{format_time, ErrorBanner, FieldMessage};
use crate::ui::staff::StaffError;

/// Bumped after a save or a publication: the page reloads the article.
#[derive(Clone, Copy)]
struct Refresh(RwSignal<u32>);

/// `/staff/faq/new`.
#[component]
pub fn NewArticlePage() -> impl IntoView {
    view! {
        <p class="back"><A href="/staff/faq">{t(FaqMsg::BackToList)}</A></p>
        <section class="card wide">
            <h1>{t(FaqMsg::NewTitle)}</h1>
            <ArticleForm id=None initial=ArticleInput::default() initial_html=String::new() />
        </section>
    }
}

/// `/staff/faq/:id`.
#[component]
pub fn EditArticlePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let refresh = RwSignal::new(0_u32);
    provide_context(Refresh(refresh));
    let article = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| load_staff_faq_article(id),
    );
    view! {
        <p class="back"><A href="/staff/faq">{t(FaqMsg::BackToList)}</A></p>
        <Transition fallback=move || view! { <p class="card">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match article.await {
                    Ok(a) => view! { <Editor article=a /> }.into_any(),
                    Err(error) => view! { <StaffError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Editor(article: StaffFaqArticle) -> impl IntoView {
    let a = article;
    let from_case = a.source_complaint.clone();
    let draft = a.row.status == ArticleStatus::Draft;
    view! {
        <div class="complaint-grid faq-editor wide">
            <section class="card complaint-main">
                <h1>{t(FaqMsg::EditTitle)}</h1>
                {(from_case.is_some() && draft).then(|| view! {
                    <p class="notice warn">{t(FaqMsg::DraftReminder)}</p>
                })}
                <ArticleForm id=Some(a.row.id) initial=a.input.clone() initial_html=a.body_html.clone() />
            </section>
            <div class="complaint-side">
                <PublishCard article=a.clone() />
                <section class="card">
                    <h2>{t(FaqMsg::Numbers)}</h2>
                    <ul class="plain small" data-testid="faq-numbers">
                        <li>{fill(t(FaqMsg::StatViews), &[&a.row.views])}</li>
                        <li>{fill(t(FaqMsg::StatHelpful), &[&a.row.helpful_yes, &a.row.helpful_no])}</li>
                        <li>{fill(t(FaqMsg::StatDeflections), &[&a.row.deflections, &a.row.pending_opens])}</li>
                    </ul>
                    {from_case.map(|(id, code)| view! {
                        <p class="small">{t(FaqMsg::SourceComplaint)}" "
                            <A href=format!("/staff/complaints/{id}")><span class="mono">{code}</span></A>
                        </p>
                    })}
                </section>
                <History article=a.clone() />
                <FeedbackList article=a />
            </div>
        </div>
    }
}

/// The article's fields, the preview, save.
#[component]
fn ArticleForm(id: Option<i64>, initial: ArticleInput, initial_html: String) -> impl IntoView {
    let save = ServerAction::<SaveFaqArticle>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    if let (Some(_), Some(Refresh(refresh))) = (id, use_context::<Refresh>()) {
        Effect::new(move |_| {
            if matches!(save.value().get(), Some(Ok(_))) {
                refresh.update(|n| *n += 1);
            }
        });
    }
    // After a refused post without JavaScript the form comes back with what was typed.
    let typed = move |name: &str, initial: &str| {
        error
            .with_untracked(|e| e.as_ref().and_then(|e| e.echo(name)))
            .unwrap_or_else(|| initial.to_owned())
    };
    let body = RwSignal::new(typed("body_md", &initial.body_md));
    let preview = Action::new(move |markdown: &String| {
        let markdown = markdown.clone();
        async move { preview_faq_markdown(markdown).await }
    });
    let preview_html = move || match preview.value().get() {
        Some(Ok(html)) => html,
        Some(Err(e)) => format!("<p>{}</p>", escape(&e.summary())),
        None => initial_html.clone(),
    };
    let topic = typed("topic", &initial.topic);
    let category = typed("complaint_category", &initial.complaint_category);
    let lang = current_lang();
    let field = move |name: &'static str,
                      label: FaqMsg,
                      help: Option<FaqMsg>,
                      value: String,
                      max: usize| {
        let id = format!("faq-{name}");
        let described = format!("{id}-help {id}-error");
        view! {
            <div class="field">
                <label for=id.clone()>{t(label)}</label>
                <input id=id.clone() name=format!("article[{name}]") type="text" value=value
                    maxlength=max.to_string() aria-describedby=described />
                {help.map(|h| view! { <p class="field-help" id=format!("{id}-help")>{t(h)}</p> })}
                <FieldMessage id=format!("{id}-error") field=name error />
            </div>
        }
    };
    view! {
        <ErrorBanner error />
        {move || saved().then(|| view! { <p class="notice" role="status">{t(FaqMsg::Saved)}</p> })}
        <ActionForm action=save attr:class="form" attr:novalidate=true attr:data-testid="faq-form">
            {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
            <input type="hidden" name="article[revision]" value=initial.revision.clone() />
            {field("title", FaqMsg::FieldTitle, None, typed("title", &initial.title), 80)}
            <div class="field-row">
                <div class="field">
                    <label for="faq-topic">{t(FaqMsg::FieldTopic)}</label>
                    <select id="faq-topic" name="article[topic]" aria-describedby="faq-topic-error">
                        <option value="">{t(FaqMsg::ChooseTopic)}</option>
                        {FaqTopic::ALL.iter().map(|tp| view! {
                            <option value=tp.code() selected=topic == tp.code()>{topic_label(*tp)}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage id="faq-topic-error" field="topic" error />
                </div>
                <div class="field">
                    <label for="faq-complaint_category">{t(FaqMsg::FieldCategory)}</label>
                    <select id="faq-complaint_category" name="article[complaint_category]"
                        aria-describedby="faq-complaint_category-error">
                        <option value="">{t(FaqMsg::CategoryNone)}</option>
                        {Category::ALL.iter().map(|c| view! {
                            <option value=c.code() selected=category == c.code()>{c.label(lang)}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage id="faq-complaint_category-error" field="complaint_category" error />
                </div>
            </div>
            {field("slug", FaqMsg::FieldSlug, Some(FaqMsg::FieldSlugHelp), typed("slug", &initial.slug), 80)}
            {field("tags", FaqMsg::FieldTags, Some(FaqMsg::FieldTagsHelp), typed("tags", &initial.tags), 500)}
            <div class="field">
                <label for="faq-summary">{t(FaqMsg::FieldSummary)}</label>
                <textarea id="faq-summary" name="article[summary]" rows="2" maxlength="200"
                    aria-describedby="faq-summary-help faq-summary-error">{typed("summary", &initial.summary)}</textarea>
                <p class="field-help" id="faq-summary-help">{t(FaqMsg::FieldSummaryHelp)}</p>
                <FieldMessage id="faq-summary-error" field="summary" error />
            </div>
            <div class="field">
                <label for="faq-body_md">{t(FaqMsg::FieldBody)}</label>
                <textarea id="faq-body_md" name="article[body_md]" rows="16" class="mono-area"
                    aria-describedby="faq-body_md-help faq-body_md-error"
                    on:input=move |ev| body.set(event_target_value(&ev))
                    prop:value=move || body.get()>{body.get_untracked()}</textarea>
                <p class="field-help" id="faq-body_md-help">{t(FaqMsg::FieldBodyHelp)}</p>
                <FieldMessage id="faq-body_md-error" field="body_md" error />
            </div>
            {field("note", FaqMsg::FieldNote, None, String::new(), 200)}
            <div class="button-row">
                <button type="button" class="button" on:click=move |_| { preview.dispatch(body.get_untracked()); }>
                    {t(FaqMsg::Preview)}
                </button>
                <button type="submit" class="button primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { t(FaqMsg::Saving) } else { t(FaqMsg::Save) }}
                </button>
            </div>
        </ActionForm>
        <section class="preview" aria-live="polite" aria-labelledby="faq-preview-title">
            <h2 id="faq-preview-title">{t(FaqMsg::Preview)}</h2>
            {move || {
                let html = preview_html();
                if html.is_empty() {
                    view! { <p class="muted">{t(FaqMsg::PreviewHint)}</p> }.into_any()
                } else {
                    // Sanitised by the server, exactly as on the public page.
                    view! { <div class="article-body" data-testid="faq-preview" inner_html=html></div> }.into_any()
                }
            }}
        </section>
    }
}

/// Status, publish / unpublish, link to the public page.
#[component]
fn PublishCard(article: StaffFaqArticle) -> impl IntoView {
    let publish = ServerAction::<SetFaqPublished>::new();
    let error = Signal::derive(move || publish.value().get().and_then(Result::err));
    if let Some(Refresh(refresh)) = use_context::<Refresh>() {
        Effect::new(move |_| {
            if matches!(publish.value().get(), Some(Ok(()))) {
                refresh.update(|n| *n += 1);
            }
        });
    }
    let published = article.row.status == ArticleStatus::Published;
    let (action, label, class) = if published {
        ("unpublish", t(FaqMsg::Unpublish), "button danger")
    } else {
        ("publish", t(FaqMsg::Publish), "button primary")
    };
    view! {
        <section class="card">
            <h2>{t(FaqMsg::ColStatus)}" "<ArticleStatusBadge status=article.row.status /></h2>
            <p class="small">{t(if published { FaqMsg::PublishedNote } else { FaqMsg::DraftNote })}</p>
            {published.then(|| view! {
                <p><A href=format!("/faq/{}", article.row.slug)>{t(FaqMsg::ViewPublic)}</A></p>
            })}
            <ErrorBanner error />
            <ActionForm action=publish attr:class="form" attr:data-testid="faq-publish">
                <input type="hidden" name="id" value=article.row.id.to_string() />
                <input type="hidden" name="action" value=action />
                <button type="submit" class=class disabled=move || publish.pending().get()>{label}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn History(article: StaffFaqArticle) -> impl IntoView {
    view! {
        <section class="card">
            <h2>{t(FaqMsg::History)}</h2>
            <ol class="plain history">
                {article.revisions.into_iter().map(|r| {
                    let note = match r.note.as_str() {
                        "seed" => t(FaqMsg::RevSeed).to_owned(),
                        "published" => t(FaqMsg::RevPublished).to_owned(),
                        "unpublished" => t(FaqMsg::RevUnpublished).to_owned(),
                        "from_complaint" => t(FaqMsg::RevFromComplaint).to_owned(),
                        other => other.to_owned(),
                    };
                    view! {
                        <li>
                            <strong>{fill(t(FaqMsg::RevisionLine), &[&r.revision])}</strong>
                            " "<ArticleStatusBadge status=r.status />
                            <span class="muted small">" "{format_time(r.edited_at)}{r.edited_by.map(|n| format!(" · {n}"))}</span>
                            {(!note.is_empty()).then(|| view! { <p class="small">{note}</p> })}
                            <details>
                                <summary class="small">{t(FaqMsg::ShowText)}</summary>
                                <p class="small"><strong>{r.title}</strong></p>
                                <pre class="revision-body">{r.body_md}</pre>
                            </details>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn FeedbackList(article: StaffFaqArticle) -> impl IntoView {
    let empty = article.feedback.is_empty();
    view! {
        <section class="card">
            <h2>{t(FaqMsg::Feedback)}</h2>
            {empty.then(|| view! { <p class="muted small">{t(FaqMsg::NoFeedback)}</p> })}
            <ul class="plain feedback-list">
                {article.feedback.into_iter().map(|f| view! {
                    <li>
                        <span class=if f.helpful { "badge vote-yes" } else { "badge vote-no" }>
                            {t(if f.helpful { FaqMsg::Yes } else { FaqMsg::No })}
                        </span>
                        <span class="muted small">" "{format_time(f.created_at)}</span>
                        {f.comment.map(|c| view! { <p class="description small">{c}</p> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
