//! What owners add to a complaint after filing: photos and videos (a plain multipart form
//! that works with and without JavaScript) and messages (补充说明, 催办).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::tracking::OwnerMessage;
use crate::i18n::{fill, t, Msg};
use crate::model::EvidenceItem;
use crate::ui::shared::{ErrorBanner, FieldMessage};
use domain::evidence::MediaKind;

/// Thumbnails and players for a complaint's files (owners and staff).
#[component]
pub fn EvidenceGallery(items: Vec<EvidenceItem>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="muted">{t(Msg::EvidenceEmpty)}</p> }.into_any();
    }
    view! {
        <ul class="evidence-gallery" data-testid="evidence">
            {items.into_iter().map(|item| {
                let src = format!("/evidence/{}", item.id);
                let media = match item.kind {
                    MediaKind::Image => view! {
                        <a href=src.clone() target="_blank" rel="noopener">
                            <img src=src.clone() loading="lazy" alt=item.file_name.clone() />
                        </a>
                    }.into_any(),
                    MediaKind::Video => view! {
                        <video src=src controls=true preload="metadata"></video>
                    }.into_any(),
                };
                view! {
                    <li>
                        {media}
                        <span class="small muted">{item.file_name}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The names of the files a file field holds after a change.
fn chosen_names(event: &leptos::ev::Event) -> Vec<String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let files = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files());
        if let Some(files) = files {
            return (0..files.length())
                .filter_map(|i| files.get(i))
                .map(|f| f.name())
                .collect();
        }
    }
    let _ = event;
    Vec::new()
}

/// The owner's files plus the upload form, with the outcome of the last upload.
#[component]
pub fn OwnerEvidence(
    code: String,
    #[prop(into)] items: Signal<Vec<EvidenceItem>>,
    #[prop(into)] open: Signal<bool>,
) -> impl IntoView {
    let query = use_query_map();
    let added = query.read_untracked().get("evidence_added");
    let refused = query.read_untracked().get("evidence_error");
    let action = format!("/track/{code}/evidence");
    let chosen = RwSignal::new(Vec::<String>::new());
    view! {
        <section class="card" id="evidence">
            <h2>{t(Msg::EvidenceTitle)}</h2>
            {added.map(|n| view! { <p class="notice" role="status">{fill(t(Msg::EvidenceAdded), &[&n])}</p> })}
            {refused.map(|m| view! { <p class="error-banner" role="alert" data-testid="evidence-error">{m}</p> })}
            {move || view! { <EvidenceGallery items=items.get() /> }}
            // The form stays mounted while the complaint is open: chosen files survive updates.
            {move || open.get().then(|| view! {
                <form class="form evidence-form" method="post" enctype="multipart/form-data" action=action.clone()>
                    <div class="field">
                        <label for="evidence-file">{t(Msg::EvidencePick)}</label>
                        // The browser's own button speaks the browser's language: ours opens it.
                        <div class="file-pick">
                            <input id="evidence-file" class="file-input" name="file" type="file" multiple=true
                                accept="image/*,video/*" aria-describedby="evidence-help evidence-chosen"
                                on:change=move |ev| chosen.set(chosen_names(&ev)) />
                            <label for="evidence-file" class="button file-button" aria-hidden="true">{t(Msg::FileChoose)}</label>
                            <span class="file-chosen" id="evidence-chosen" aria-live="polite">
                                {move || chosen.with(|names| if names.is_empty() {
                                    t(Msg::FileNone).to_owned()
                                } else {
                                    fill(t(Msg::FilesChosen), &[&names.len(), &names.join("、")])
                                })}
                            </span>
                        </div>
                        <p class="field-help" id="evidence-help">{t(Msg::EvidenceHelp)}</p>
                    </div>
                    <button type="submit" class="button">{t(Msg::EvidenceUpload)}</button>
                </form>
            })}
        </section>
    }
}

/// "补充说明或催办": a public timeline entry; the handler is notified.
#[component]
pub fn OwnerMessageForm(code: String, open: bool, sent: RwSignal<u32>) -> impl IntoView {
    let action = ServerAction::<OwnerMessage>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let body = RwSignal::new(String::new());
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            body.set(String::new());
            sent.update(|n| *n += 1);
        }
    });
    if !open {
        return view! { <section class="card"><p class="muted">{t(Msg::ClosedForOwner)}</p></section> }.into_any();
    }
    view! {
        <section class="card" id="message">
            <h2>{t(Msg::MessageTitle)}</h2>
            <ErrorBanner error />
            {move || matches!(action.value().get(), Some(Ok(()))).then(|| view! {
                <p class="notice" role="status">{t(Msg::MessageSent)}</p>
            })}
            <ActionForm action attr:class="form" attr:novalidate=true>
                <input type="hidden" name="code" value=code />
                <div class="field">
                    <label for="owner-message">{t(Msg::MessageHelp)}</label>
                    <textarea id="owner-message" name="body" rows="3" maxlength="1000"
                        aria-describedby="owner-message-error"
                        on:input=move |ev| body.set(event_target_value(&ev))
                        prop:value=move || body.get()></textarea>
                    <FieldMessage id="owner-message-error" field="body" error />
                </div>
                <button type="submit" class="button" disabled=move || action.pending().get()>{t(Msg::MessageSubmit)}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
