//! Tracking a complaint: prove code + phone once, then follow it.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::tracking::{tracked_complaint, AnswerJudgement, LookUpComplaint};
use crate::error::AppError;
use domain::{Clock, ClockState};

use crate::i18n::{current_lang, fill, t, LiveMsg, Msg};
use crate::model::{OwnerComplaint, Promise};
use crate::ui::owner::evidence::{OwnerEvidence, OwnerMessageForm};
use crate::ui::owner::notices::{pending, sms_line, NoticeSettings};
use crate::ui::owner::survey::InAppSurvey;
use crate::ui::shared::{
    format_time, loaded, ErrorBanner, FieldMessage, Live, LiveIndicator, StatusBadge, Timeline,
};

#[component]
pub fn LookUpPage() -> impl IntoView {
    let action = ServerAction::<LookUpComplaint>::new();
    view! { <LookUpForm code=String::new() action /> }
}

#[component]
pub fn TrackPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let code = move || params.read().get("code").unwrap_or_default();
    // A successful lookup "navigates" to this same URL: load it again.
    let look_up = ServerAction::<LookUpComplaint>::new();
    // Bumped when the owner answers the revisit survey or sends a message on this page.
    let answered = RwSignal::new(0_u32);
    let live = Live::new();
    let key = move || (code(), look_up.version().get());
    // Rendered once per complaint and session; afterwards `latest` feeds the same view.
    let complaint = Resource::new(key, |(code, _)| tracked_complaint(code));
    let latest = live.keep_current(key, |(code, _)| tracked_complaint(code));
    Effect::new(move |previous: Option<u32>| {
        let now = answered.get();
        if previous.is_some_and(|p| p != now) {
            latest.reload();
        }
        now
    });
    // Follows the complaint once the session may see it; every change refetches it.
    live.follow(
        move || complaint.with(loaded),
        move || format!("/live/track/{}", code()),
    );

    view! {
        // A transition: a refetch keeps the page on screen until the new one is ready.
        <Transition fallback=move || view! { <p class="card">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match complaint.await {
                    Ok(first) => {
                        let is_new = query.read_untracked().get("new").is_some();
                        view! { <OwnerView complaint=latest.or(first) error=latest.error() is_new answered live /> }.into_any()
                    }
                    Err(AppError::Unauthorized) | Err(AppError::NotFound) => {
                        view! { <LookUpForm code=code() action=look_up /> }.into_any()
                    }
                    Err(e) => view! { <p class="card error-banner" role="alert">{e.summary()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The owner's view of their complaint. The facts follow `complaint`; the survey, upload
/// and message forms are mounted once (while they are offered), so a live update never
/// takes away what the owner is typing or the files they chose.
#[component]
fn OwnerView(
    complaint: Memo<OwnerComplaint>,
    error: Signal<Option<AppError>>,
    is_new: bool,
    answered: RwSignal<u32>,
    live: Live,
) -> impl IntoView {
    let lang = current_lang();
    let c = complaint;
    let raw_code = c.with_untracked(|c| c.tracking_code.clone());
    let code = domain::TrackingCode::parse(&raw_code)
        .map(|c| c.display())
        .unwrap_or_else(|_| raw_code.clone());
    let survey_pending = Memo::new(move |_| c.with(|c| c.survey_pending));
    let open = Memo::new(move |_| c.with(|c| c.open_for_owner));
    let survey_code = raw_code.clone();
    let judgement_code = raw_code.clone();
    let judgement = Memo::new(move |_| c.with(|c| c.judgement.clone()));
    let evidence_code = raw_code.clone();
    let notices_code = raw_code.clone();
    let sent_with_photos = use_query_map()
        .read_untracked()
        .get("evidence_added")
        .is_some();
    let notices = Signal::derive(move || c.with(|c| c.notices.clone()));
    // A message still on its way is looked at again shortly (a few times), so "sent"
    // appears without a reload.
    let looks = StoredValue::new(0_u8);
    Effect::new(move |_| {
        let now = c.with(|c| c.now);
        if pending(&notices.get(), now) && looks.get_value() < 10 {
            looks.update_value(|n| *n += 1);
            set_timeout(
                move || answered.update(|n| *n += 1),
                std::time::Duration::from_millis(1500),
            );
        }
    });
    // Filed: the draft this device kept while the form was typed is done with.
    #[cfg(feature = "hydrate")]
    if is_new {
        Effect::new(move |_| {
            if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten())
            {
                let _ = storage.remove_item(domain::guide::DRAFT_STORAGE_KEY);
            }
        });
    }
    view! {
        {is_new.then(|| view! {
            <section class="card receipt" role="status">
                <h1>{t(Msg::ComplaintFiledTitle)}</h1>
                <p>{t(Msg::ComplaintFiledBody)}</p>
                <p class="code-line">{t(Msg::YourTrackingCode)}": "<strong class="tracking-code" data-testid="tracking-code">{code.clone()}</strong></p>
                {move || sms_line(&notices.get(), c.with(|c| c.now)).map(|line| view! {
                    <p class="muted" data-testid="sms-status">{line}</p>
                })}
                // Photos sent with the complaint are said where they are listed.
                {(!sent_with_photos).then(|| view! {
                    <p><a href="#evidence">{t(Msg::EvidenceNewPrompt)}</a></p>
                })}
            </section>
        })}
        {move || survey_pending.get().then(|| view! {
            <InAppSurvey code=survey_code.clone() done=answered />
        })}
        {move || (c.with(|c| c.status) == domain::Status::Disputed).then(|| view! {
            <section class="card awaiting" role="status" data-testid="disputed"><p>{t(Msg::JudgementDisputed)}</p></section>
        })}
        {move || judgement.get().map(|j| view! {
            <JudgementAnswer code=judgement_code.clone() judgement=j done=answered />
        })}
        {move || c.with(|c| c.waiting.clone()).map(|w| view! {
            <section class="card awaiting" role="status" data-testid="awaiting">
                <h2>{t(Msg::AwaitingTitle)}</h2>
                <p><strong>{w.awaiting.owner_sentence(lang)}</strong></p>
                {(!w.note.is_empty()).then(|| view! { <p class="awaiting-note">{w.note.clone()}</p> })}
                <p class="muted">{t(Msg::PromisePaused)}</p>
                <p><a class="button" href="#message">{t(Msg::MessageTitle)}</a></p>
            </section>
        })}
        <section class="card">
            <header class="complaint-head">
                <h1 class=if is_new { "h2" } else { "" }>{t(Msg::TrackTitle)}</h1>
                <p class="code-line">{t(Msg::YourTrackingCode)}": "<span class="mono">{code}</span></p>
                <LiveIndicator live />
            </header>
            <ErrorBanner error />
            {move || view! { <OwnerFacts complaint=c.get() /> }}
        </section>
        <OwnerEvidence code=evidence_code items=Signal::derive(move || c.with(|c| c.evidence.clone())) open />
        {move || {
            let code = raw_code.clone();
            view! { <OwnerMessageForm code open=open.get() sent=answered /> }
        }}
        <NoticeSettings code=notices_code notices saved=answered />
    }
}

/// The owner's answer to a 不成立 judgement: accept it (the complaint is closed), or dispute
/// it once with reasons. Mounted while the judgement waits, so typed reasons survive updates.
#[component]
fn JudgementAnswer(
    code: String,
    judgement: crate::model::JudgementView,
    done: RwSignal<u32>,
) -> impl IntoView {
    let accept = ServerAction::<AnswerJudgement>::new();
    let dispute = ServerAction::<AnswerJudgement>::new();
    let error = Signal::derive(move || {
        dispute
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| accept.value().get().and_then(Result::err))
    });
    Effect::new(move |_| {
        if matches!(accept.value().get(), Some(Ok(())))
            || matches!(dispute.value().get(), Some(Ok(())))
        {
            done.update(|n| *n += 1);
        }
    });
    let accept_code = code.clone();
    let help = if judgement.may_dispute {
        t(Msg::JudgementHelp)
    } else {
        t(Msg::JudgementFinal)
    };
    view! {
        <section class="card judgement" aria-labelledby="judgement-title" data-testid="judgement">
            <h2 id="judgement-title">{t(Msg::JudgementTitle)}</h2>
            {(!judgement.reasoning.is_empty()).then(|| view! {
                <p><strong>{t(Msg::JudgementReasoning)}":"</strong>{judgement.reasoning.clone()}</p>
            })}
            <p class="muted">{help}</p>
            <ErrorBanner error />
            {judgement.may_dispute.then(|| view! {
                <ActionForm action=dispute attr:class="form" attr:novalidate=true attr:data-testid="dispute-form">
                    <input type="hidden" name="code" value=code.clone() />
                    <input type="hidden" name="answer" value="dispute" />
                    <div class="field">
                        <label for="dispute-reason">{t(Msg::JudgementReasons)}</label>
                        <textarea id="dispute-reason" name="reason" rows="4" maxlength="1000" aria-describedby="dispute-reason-error"></textarea>
                        <FieldMessage id="dispute-reason-error" field="reason" error />
                    </div>
                    <button type="submit" class="button primary" disabled=move || dispute.pending().get()>{t(Msg::JudgementDispute)}</button>
                </ActionForm>
            })}
            <ActionForm action=accept attr:class="form inline" attr:novalidate=true>
                <input type="hidden" name="code" value=accept_code />
                <input type="hidden" name="answer" value="accept" />
                <button type="submit" class="button" disabled=move || accept.pending().get()>{t(Msg::JudgementAccept)}</button>
            </ActionForm>
        </section>
    }
}

/// Status, who handles it, the promises, the description and the timeline.
#[component]
fn OwnerFacts(complaint: OwnerComplaint) -> impl IntoView {
    let lang = current_lang();
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
        <dl class="facts">
            <dt>{t(Msg::StatusLabel)}</dt><dd data-testid="status"><StatusBadge status=complaint.status /></dd>
            <dt>{t(Msg::CategoryLabel)}</dt><dd>{complaint.category.label(lang)}</dd>
            {complaint.department.as_ref().map(|d| view! {
                <dt>{t(Msg::DepartmentLabel)}</dt><dd>{d.name(lang).to_owned()}</dd>
            })}
            {complaint.handler.clone().map(|h| view! {
                <dt>{t(Msg::HandlerLabel)}</dt><dd data-testid="handler">{h}</dd>
            })}
            <dt>{t(Msg::FiledAtLabel)}</dt><dd>{format_time(complaint.filed_at)}</dd>
            <dt>{t(Msg::LocationLabel)}</dt><dd>{place}</dd>
        </dl>
        <h2>{t(Msg::PromisesTitle)}</h2>
        <Promises promises=complaint.promises now=complaint.now />
        <h2>{t(Msg::DescriptionLabel)}</h2>
        <p class="description">{complaint.description}</p>
        <h2>{t(Msg::TimelineTitle)}</h2>
        <Timeline entries=complaint.timeline />
    }
}

/// What we promised and by when ("我们将在12月7日（周一）10:30 前联系您"), from the same
/// computation as the server's clocks, and whether we kept it, honestly.
#[component]
fn Promises(promises: Vec<Promise>, now: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    let lang = current_lang();
    let offset = crate::ui::shared::local_offset();
    view! {
        <ul class="promises" data-testid="promises">
            {promises.into_iter().filter(|p| p.state != ClockState::NotRunning).map(|p| {
                let name = t(match p.clock {
                    Clock::FirstContact => Msg::PromiseFirstContact,
                    Clock::FirstReply => Msg::PromiseFirstReply,
                    Clock::ProgressUpdate => Msg::PromiseProgress,
                    Clock::Resolution => Msg::PromiseResolution,
                }).to_owned();
                let within = match chrono::TimeDelta::try_minutes(p.window_minutes) {
                    Some(window) if p.window_minutes > 0 => domain::promise_within(p.clock, window, lang),
                    _ => name.clone(),
                };
                let (class, what, when) = match p.state {
                    ClockState::OnTrack { due } | ClockState::DueSoon { due } => {
                        ("promise open", domain::sla::promise_by(p.clock, due, now, offset, lang), String::new())
                    }
                    ClockState::Breached { due } => ("promise late", within, fill(t(LiveMsg::OverdueSince), &[&format_time(due)])),
                    ClockState::MetOnTime { at, .. } => ("promise kept", name, fill(t(Msg::PromiseKept), &[&format_time(at)])),
                    ClockState::MetLate { at, .. } => ("promise late", name, fill(t(Msg::PromiseLate), &[&format_time(at)])),
                    ClockState::Paused { .. } => ("promise paused", name, t(Msg::PromisePaused).to_owned()),
                    ClockState::NotRunning => ("promise", name, String::new()),
                };
                view! { <li class=class><span class="promise-what">{what}</span><span class="promise-when">{when}</span></li> }
            }).collect_view()}
        </ul>
    }
}

/// Tracking code + phone. A wrong pair says only that it does not match.
#[component]
fn LookUpForm(code: String, action: ServerAction<LookUpComplaint>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let echo = move |name: &str, fallback: &str| {
        error
            .with_untracked(|e| e.as_ref().and_then(|e| e.echo(name)))
            .unwrap_or_else(|| fallback.to_owned())
    };
    view! {
        <section class="card narrow">
            <h1>{t(Msg::TrackTitle)}</h1>
            <p class="lead">{t(Msg::TrackIntro)}</p>
            <ErrorBanner error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <div class="field">
                    <label for="code">{t(Msg::FieldCode)}</label>
                    <input id="code" name="code" type="text" required autocapitalize="characters"
                        autocomplete="off" spellcheck="false" class="mono" value=echo("code", &code)
                        aria-describedby="code-error" />
                    <FieldMessage id="code-error" field="code" error />
                </div>
                <div class="field">
                    <label for="phone">{t(Msg::FieldPhone)}</label>
                    <input id="phone" name="phone" type="tel" required inputmode="tel" autocomplete="tel"
                        value=echo("phone", "") aria-describedby="phone-error" />
                    <FieldMessage id="phone-error" field="phone" error />
                </div>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    {t(Msg::TrackSubmit)}
                </button>
            </ActionForm>
        </section>
    }
}
