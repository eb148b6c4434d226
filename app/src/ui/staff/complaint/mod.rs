//! One complaint for staff: everything about it, and the steps this person may take now.

mod facts;
mod reply;
mod report;
mod steps;

pub use report::HandlingReportPage;

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};

use crate::api::staff::{load_staff_complaint, TakeStep};
use crate::error::AppError;
use crate::i18n::{current_lang, fill, t, Msg, StaffMsg};
use crate::model::StaffComplaint;
use crate::ui::shared::{
    loaded, ErrorBanner, FieldMessage, Latest, LevelBadge, Live, LiveIndicator, SlaBadge,
    StatusBadge, Timeline,
};
use crate::ui::staff::StaffError;

/// The page's data, kept current: a step taken here reloads it.
#[derive(Clone, Copy)]
struct Refresh(Latest<StaffComplaint>);

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
    let live = Live::new();
    // Rendered once per complaint; afterwards `latest` feeds the same view new data.
    let complaint = Resource::new(id, load_staff_complaint);
    let latest = live.keep_current(id, load_staff_complaint);
    provide_context(Refresh(latest));
    live.follow(
        move || complaint.with(loaded),
        move || format!("/live/complaints/{}", id()),
    );

    view! {
        <p class="back"><A href="/staff">{t(Msg::BackToQueue)}</A></p>
        <Transition fallback=move || view! { <p class="card">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match complaint.await {
                    Ok(first) => view! { <ComplaintView complaint=latest.or(first) error=latest.error() live /> }.into_any(),
                    Err(error) => view! { <StaffError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Everything about one complaint. The read-only parts follow `complaint`; the forms are
/// mounted once and change only when the steps on offer do.
#[component]
fn ComplaintView(
    complaint: Memo<StaffComplaint>,
    error: Signal<Option<AppError>>,
    live: Live,
) -> impl IntoView {
    let lang = current_lang();
    let c = complaint;
    let done = Memo::new(move |_| {
        c.with(|c| {
            matches!(
                c.status,
                domain::Status::Resolved | domain::Status::Revisited | domain::Status::Closed
            )
            .then_some(c.id)
        })
    });
    // Just recorded for an owner on the phone or at the desk: the code to read out.
    let query = leptos_router::hooks::use_query_map();
    let recorded = move || query.read().get("recorded").is_some_and(|v| v == "1");
    view! {
        {move || recorded().then(|| view! {
            <section class="card wide notice" role="status" data-testid="recorded">
                <p>{t(StaffMsg::RecordedBanner)}" "
                    <strong class="mono tracking-code">{move || c.with(|c| domain::TrackingCode::parse(&c.tracking_code).map(|code| code.display()).unwrap_or_else(|_| c.tracking_code.clone()))}</strong>
                </p>
            </section>
        })}
        <section class="card wide complaint-title">
            <h1>{move || c.with(|c| c.category.label(lang))}" · "<span class="mono">{move || c.with(|c| c.tracking_code.clone())}</span></h1>
            <p class="badges">
                {move || {
                    let c = c.get();
                    let due = c.clocks.iter().filter_map(|p| match p.state {
                        domain::ClockState::OnTrack { due } | domain::ClockState::DueSoon { due } | domain::ClockState::Breached { due } => Some(due),
                        _ => None,
                    }).min();
                    view! {
                        <LevelBadge level=c.level />
                        <StatusBadge status=c.status />
                        <SlaBadge state=c.sla due now=c.now />
                        {c.emergency.then(|| view! { <span class="badge emergency">{t(StaffMsg::Emergency)}</span> })}
                    }
                }}
            </p>
            <LiveIndicator live />
            <ErrorBanner error />
        </section>
        <div class="complaint-grid">
            <div class="complaint-main">
                <steps::NextSteps complaint=c />
                <reply::Conversation complaint=c />
                <section class="card">
                    <h2>{t(Msg::TimelineTitle)}</h2>
                    {move || view! { <Timeline entries=c.with(|c| c.timeline.clone()) /> }}
                </section>
            </div>
            <div class="complaint-side">
                {move || view! { <facts::Facts complaint=c.get() /> }}
                <facts::LevelCard complaint=c />
                {move || {
                    let c = c.get();
                    view! {
                        <facts::Clocks complaint=c.clone() />
                        <facts::Handling complaint=c />
                    }
                }}
                {move || done.get().map(|id| view! { <crate::ui::staff::DraftFromComplaint id /> })}
            </div>
        </div>
    }
}

/// The enclosing step form: its action (for element ids) and its error (for messages).
#[derive(Clone, Copy)]
struct StepContext {
    action: &'static str,
    error: Signal<Option<AppError>>,
    /// The text last typed in the form has no forbidden phrase (reset by every answer).
    phrase_free: RwSignal<bool>,
}

/// A form that takes one step (`action`) on complaint `id`; children are its fields.
#[component]
fn StepForm(
    id: i64,
    action: &'static str,
    #[prop(into)] submit: String,
    #[prop(optional)] danger: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let step = ServerAction::<TakeStep>::new();
    let error = Signal::derive(move || step.value().get().and_then(Result::err));
    let phrase_free = RwSignal::new(false);
    Effect::new(move |_| {
        step.value().track();
        phrase_free.set(false);
    });
    provide_context(StepContext {
        action,
        error,
        phrase_free,
    });
    // A text field changed: does it still hold a forbidden phrase (the server's own check)?
    let recheck = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        phrase_free.set(domain::check_reply(&text).is_empty());
    };
    let form = NodeRef::<leptos::html::Form>::new();
    // The form stays mounted after its step: empty it, and reload the page's data.
    let refresh = use_context::<Refresh>();
    Effect::new(move |_| {
        if matches!(step.value().get(), Some(Ok(()))) {
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
            if let Some(Refresh(latest)) = refresh {
                latest.reload();
            }
        }
    });
    let class = if danger {
        "button danger"
    } else {
        "button primary"
    };
    view! {
        <ActionForm action=step node_ref=form attr:class="form step-form" attr:novalidate=true attr:data-step=action
            on:input=recheck>
            <input type="hidden" name="id" value=id.to_string() />
            <input type="hidden" name="step[action]" value=action />
            <ErrorBanner error />
            {children.map(|c| c())}
            {
                let done = fill(t(StaffMsg::StepTaken), &[&submit]);
                move || matches!(step.value().get(), Some(Ok(()))).then(|| view! {
                    <p class="notice" role="status" data-testid="step-done">{done.clone()}</p>
                })
            }
            <button type="submit" class=class disabled=move || step.pending().get()>{submit}</button>
        </ActionForm>
    }
}

/// A labelled text area or input inside a `StepForm`, with its field message.
#[component]
fn StepField(
    name: &'static str,
    #[prop(into)] label: String,
    #[prop(optional)] multiline: bool,
    #[prop(optional, into)] placeholder: String,
    #[prop(optional, into)] value: String,
    #[prop(optional)] inputmode: &'static str,
) -> impl IntoView {
    let context = use_context::<StepContext>();
    let error = context.map_or_else(|| Signal::derive(|| None), |c| c.error);
    let id = format!("{}-{name}", context.map_or("step", |c| c.action));
    let error_id = format!("{id}-error");
    let field_name = format!("step[{name}]");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {if multiline {
                view! {
                    <textarea id=id name=field_name rows="3" placeholder=placeholder aria-describedby=error_id.clone()>{value}</textarea>
                }.into_any()
            } else {
                view! {
                    <input id=id name=field_name type="text" value=value placeholder=placeholder
                        inputmode=(!inputmode.is_empty()).then_some(inputmode) aria-describedby=error_id.clone() />
                }.into_any()
            }}
            <FieldMessage id=error_id field=name error />
        </div>
    }
}

/// "Send anyway" for a text the owner will read: shown once the server found a forbidden
/// phrase (禁语) in it; ticking it sends the text as written, and that is audited.
#[component]
fn SendAnyway() -> impl IntoView {
    let context = use_context::<StepContext>();
    let error = context.map_or_else(|| Signal::derive(|| None), |c| c.error);
    let asked = move || error.with(|e| e.as_ref().and_then(|e| e.field("send_anyway")).is_some());
    // Gone again once the text is fixed.
    let fixed = move || context.is_some_and(|c| c.phrase_free.get());
    view! {
        <label class="check send-anyway" class:hidden=move || !asked() || fixed()>
            <input type="checkbox" name="step[send_anyway]" value="on" />
            {t(StaffMsg::SendAnyway)}
        </label>
    }
}

/// The message for `field` of the enclosing step form.
#[component]
fn StepMessage(field: &'static str) -> impl IntoView {
    let context = use_context::<StepContext>();
    let error = context.map_or_else(|| Signal::derive(|| None), |c| c.error);
    let id = format!("{}-{field}-error", context.map_or("step", |c| c.action));
    view! { <FieldMessage id field error /> }
}
