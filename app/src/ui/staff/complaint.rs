use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};

use crate::api::staff::{load_staff_complaint, PostReply};
use crate::i18n::{current_lang, t, Msg};
use crate::model::StaffComplaint;
use crate::ui::shared::{
    format_time, ErrorBanner, FieldMessage, LevelBadge, StatusBadge, Timeline,
};
use crate::ui::staff::StaffError;

#[component]
pub fn ComplaintPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let reply = ServerAction::<PostReply>::new();
    let complaint = Resource::new(
        move || (id(), reply.version().get()),
        |(id, _)| load_staff_complaint(id),
    );

    view! {
        <p class="back"><A href="/staff">{t(Msg::BackToQueue)}</A></p>
        <Suspense fallback=move || view! { <p class="card">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match complaint.await {
                    Ok(c) => view! { <Details complaint=c reply /> }.into_any(),
                    Err(error) => view! { <StaffError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Details(complaint: StaffComplaint, reply: ServerAction<PostReply>) -> impl IntoView {
    let lang = current_lang();
    let error = Signal::derive(move || reply.value().get().and_then(Result::err));
    let sent = move || matches!(reply.value().get(), Some(Ok(())));
    let form = NodeRef::<leptos::html::Form>::new();
    // After a reply is sent the box is emptied for the next one.
    Effect::new(move |_| {
        if sent() {
            if let Some(form) = form.get() {
                form.reset();
            }
        }
    });
    let place = [
        Some(complaint.community.clone()),
        complaint.building.clone(),
        Some(complaint.unit.clone()),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    view! {
        <section class="card wide">
            <header class="complaint-head">
                <h1>{complaint.category.label(lang)}" · "<span class="mono">{complaint.tracking_code.clone()}</span></h1>
                <p><LevelBadge level=complaint.level />" "<StatusBadge status=complaint.status /></p>
            </header>
            <dl class="facts">
                <dt>{t(Msg::ColComplainant)}</dt><dd>{complaint.complainant}" · "{complaint.phone}</dd>
                <dt>{t(Msg::LocationLabel)}</dt><dd>{place}</dd>
                <dt>{t(Msg::FiledAtLabel)}</dt><dd>{format_time(complaint.filed_at)}</dd>
                <dt>{t(Msg::FieldPeople)}</dt><dd>{complaint.people_count}</dd>
            </dl>
            <h2>{t(Msg::DescriptionLabel)}</h2>
            <p class="description">{complaint.description}</p>
            <h2>{t(Msg::TimelineTitle)}</h2>
            <Timeline entries=complaint.timeline />
        </section>
        <section class="card wide">
            <h2>{t(Msg::ReplyTitle)}</h2>
            <ErrorBanner error />
            <p class="notice" role="status" class:hidden=move || !sent()>{t(Msg::ReplySent)}</p>
            <ActionForm action=reply node_ref=form attr:class="form" attr:novalidate=true>
                <input type="hidden" name="id" value=complaint.id.to_string() />
                <div class="field">
                    <label for="reply-body">{t(Msg::ReplyTitle)}</label>
                    <textarea id="reply-body" name="body" rows="4" required maxlength="2000"
                        placeholder=t(Msg::ReplyPlaceholder) aria-describedby="body-error"></textarea>
                    <FieldMessage id="body-error" field="body" error />
                </div>
                <button type="submit" class="button primary" disabled=move || reply.pending().get()>
                    {t(Msg::ReplySubmit)}
                </button>
            </ActionForm>
        </section>
    }
}
