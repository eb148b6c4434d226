//! Talking to the owner (public replies), to colleagues (internal notes), and logging
//! calls. The forbidden-phrase checker (服务禁语) runs on every keystroke in the browser;
//! the server checks again and asks for an explicit "send anyway".

use domain::{check_reply, PhraseHit};
use leptos::prelude::*;

use super::{StepField, StepForm};
use crate::api::staff::TakeStep;
use crate::i18n::{current_lang, t, Msg, StaffMsg};
use crate::model::StaffComplaint;
use crate::ui::shared::ErrorBanner;

#[component]
pub fn Conversation(complaint: Memo<StaffComplaint>) -> impl IntoView {
    let id = complaint.with_untracked(|c| c.id);
    // Canned replies, their placeholders filled from this complaint (the handler may change).
    let canned = Memo::new(move |_| complaint.with(canned_replies));
    let english = move || complaint.with(|c| c.owner_lang == domain::Lang::En);
    view! {
        <section class="card conversation">
            {move || english().then(|| view! {
                <p class="notice" data-testid="owner-reads-english">{t(StaffMsg::OwnerReadsEnglish)}</p>
            })}
            <ReplyEditor id canned />
            <details class="step">
                <summary>{t(StaffMsg::NoteInternal)}</summary>
                <StepForm id action="note" submit=t(StaffMsg::NoteSubmit)>
                    <StepField name="body" label=t(StaffMsg::NoteInternal) multiline=true />
                </StepForm>
            </details>
            <details class="step">
                <summary>{t(StaffMsg::ContactLog)}</summary>
                <StepForm id action="contact" submit=t(StaffMsg::ContactSubmit)>
                    <StepField name="body" label=t(StaffMsg::ContactNotes) multiline=true />
                </StepForm>
            </details>
        </section>
    }
}

/// Each canned reply's title and text, with 称呼, 查询码, 处理人 and 部门 filled in.
fn canned_replies(complaint: &StaffComplaint) -> Vec<(String, String)> {
    let handler = complaint
        .handler
        .as_ref()
        .map(|h| h.name.as_str())
        .unwrap_or_default();
    let department = complaint
        .department
        .as_ref()
        .map(|d| d.name_zh.as_str())
        .unwrap_or_default();
    complaint
        .canned_replies
        .iter()
        .map(|c| {
            // In the owner's language where the company wrote it.
            let text = match complaint.owner_lang {
                domain::Lang::En if !c.body_en.trim().is_empty() => &c.body_en,
                _ => &c.body,
            };
            let body = text
                .replace("{称呼}", &complaint.complainant)
                .replace("{查询码}", &complaint.tracking_code)
                .replace("{处理人}", handler)
                .replace("{部门}", department);
            (c.title.clone(), body)
        })
        .collect()
}

/// The public reply, with live 禁语 highlighting and suggestions.
#[component]
fn ReplyEditor(id: i64, canned: Memo<Vec<(String, String)>>) -> impl IntoView {
    let lang = current_lang();
    let step = ServerAction::<TakeStep>::new();
    let error = Signal::derive(move || step.value().get().and_then(Result::err));
    let text = RwSignal::new(String::new());
    let hits = Memo::new(move |_| check_reply(&text.get()));
    let server_wants_confirmation =
        move || error.with(|e| e.as_ref().and_then(|e| e.field("send_anyway")).is_some());
    // Typed since the server's last answer.
    let edited = RwSignal::new(false);
    Effect::new(move |_| {
        step.value().track();
        edited.set(false);
    });
    let form = NodeRef::<leptos::html::Form>::new();
    let body = NodeRef::<leptos::html::Textarea>::new();
    // Choosing a canned reply puts its text (placeholders filled) into the editor.
    let insert_canned = move |ev: leptos::ev::Event| {
        let index: Option<usize> = event_target_value(&ev).parse().ok();
        if let Some((_, text_of)) = index.and_then(|i| canned.with_untracked(|c| c.get(i).cloned()))
        {
            if let Some(area) = body.get() {
                area.set_value(&text_of);
            }
            text.set(text_of);
        }
    };
    let refresh = use_context::<super::Refresh>();
    Effect::new(move |_| {
        if matches!(step.value().get(), Some(Ok(()))) {
            text.set(String::new());
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
            if let Some(super::Refresh(latest)) = refresh {
                latest.reload();
            }
        }
    });
    view! {
        <ActionForm action=step node_ref=form attr:class="form reply-form" attr:novalidate=true attr:data-step="reply">
            <input type="hidden" name="id" value=id.to_string() />
            <input type="hidden" name="step[action]" value="reply" />
            <h2><label for="reply-body">{t(Msg::ReplyTitle)}</label></h2>
            <ErrorBanner error />
            <div class="field canned" class:hidden=move || canned.with(Vec::is_empty)>
                <label for="canned-select">{t(StaffMsg::CannedReplies)}</label>
                <select id="canned-select" on:change=insert_canned>
                    <option value="">"—"</option>
                    {move || canned.get().into_iter().enumerate().map(|(i, (title, _))| view! {
                        <option value=i.to_string()>{title}</option>
                    }).collect_view()}
                </select>
            </div>
            <textarea id="reply-body" name="step[body]" rows="4" maxlength="2000" node_ref=body
                placeholder=t(Msg::ReplyPlaceholder) aria-describedby="reply-phrases reply-body-error"
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    edited.set(true);
                }></textarea>
            <p class="field-error" id="reply-body-error" aria-live="polite">
                {move || error.with(|e| e.as_ref().and_then(|e| e.field("body")))}
            </p>
            <div id="reply-phrases" class="phrase-check" aria-live="polite" data-testid="phrase-check"
                class:hidden=move || hits.with(Vec::is_empty)>
                <p class="phrase-title">{t(StaffMsg::PhraseWarning)}</p>
                <p class="phrase-preview">{move || highlighted(&text.get(), &hits.get())}</p>
                <ul>
                    {move || hits.get().into_iter().map(|hit| view! {
                        <li>
                            <mark>{hit.phrase}</mark>" — "{t(StaffMsg::PhraseSuggest)}{hit.suggestion.get(lang).to_owned()}
                        </li>
                    }).collect_view()}
                </ul>
            </div>
            // Gone once the text no longer has a forbidden phrase (after the server asked, once
            // the text was changed since).
            <label class="check send-anyway" class:hidden=move || {
                hits.with(Vec::is_empty) && (!server_wants_confirmation() || edited.get())
            }>
                <input type="checkbox" name="step[send_anyway]" value="on" />
                {t(StaffMsg::SendAnyway)}
            </label>
            <label class="check">
                <input type="checkbox" name="step[counts_as_contact]" value="on" />
                {t(StaffMsg::CountsAsContact)}
            </label>
            {move || matches!(step.value().get(), Some(Ok(()))).then(|| view! {
                <p class="notice" role="status" data-testid="reply-sent">{t(Msg::ReplySent)}</p>
            })}
            <button type="submit" class="button primary" disabled=move || step.pending().get()>{t(Msg::ReplySubmit)}</button>
        </ActionForm>
    }
}

/// The reply with each forbidden phrase marked.
fn highlighted(text: &str, hits: &[PhraseHit]) -> impl IntoView {
    let mut parts = Vec::new();
    let mut at = 0;
    for hit in hits {
        if hit.start < at
            || hit.end > text.len()
            || !text.is_char_boundary(hit.start)
            || !text.is_char_boundary(hit.end)
        {
            continue;
        }
        parts.push(view! { <span>{text[at..hit.start].to_owned()}</span> }.into_any());
        parts.push(view! { <mark>{text[hit.start..hit.end].to_owned()}</mark> }.into_any());
        at = hit.end;
    }
    parts.push(view! { <span>{text[at..].to_owned()}</span> }.into_any());
    parts
}
