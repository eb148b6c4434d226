use leptos::prelude::*;

use crate::api::faq::DraftFaqFromComplaint;
use crate::i18n::{t, FaqMsg};
use crate::ui::shared::ErrorBanner;

/// "转为知识库文章" on complaint `id` (the page shows it once resolved or closed): drafts an article without the owner's
/// personal data and opens it in the editor. The server refuses staff who may not author.
#[component]
pub fn DraftFromComplaint(id: i64) -> impl IntoView {
    let draft = ServerAction::<DraftFaqFromComplaint>::new();
    let error = Signal::derive(move || draft.value().get().and_then(Result::err));
    view! {
        <section class="card" data-testid="faq-from-complaint">
            <h2>{t(FaqMsg::FromComplaint)}</h2>
            <p class="small muted">{t(FaqMsg::FromComplaintHelp)}</p>
            <ErrorBanner error />
            <ActionForm action=draft attr:class="form">
                <input type="hidden" name="complaint_id" value=id.to_string() />
                <button type="submit" class="button" disabled=move || draft.pending().get()>
                    {t(FaqMsg::FromComplaint)}
                </button>
            </ActionForm>
        </section>
    }
}
