//! What the owner sees of the messages sent to them, and their choice of channels.

use leptos::prelude::*;

use crate::api::deliveries::SetNotices;
use crate::i18n::{fill, t, NoticeMsg};
use crate::model::{NoticeLine, OwnerNotices};
use crate::ui::shared::{format_time, ErrorBanner, FieldMessage};

/// A delivery status as people read it.
pub fn status_label(status: &str) -> &'static str {
    t(match status {
        "queued" => NoticeMsg::StatusQueued,
        "sending" => NoticeMsg::StatusSending,
        "sent" => NoticeMsg::StatusSent,
        "retrying" => NoticeMsg::StatusRetrying,
        "dead" => NoticeMsg::StatusDead,
        "logged" => NoticeMsg::StatusLogged,
        _ => NoticeMsg::StatusCancelled,
    })
}

/// A channel's name as people read it.
pub fn channel_label(channel: &str) -> String {
    match channel {
        "sms" => t(NoticeMsg::ChannelSms).to_owned(),
        "email" => t(NoticeMsg::ChannelEmail).to_owned(),
        "wechat" => t(NoticeMsg::ChannelWechat).to_owned(),
        "webhook" => t(NoticeMsg::ChannelWebhook).to_owned(),
        other => other.to_owned(),
    }
}

/// What became of the newest SMS: sent to 138****5678, goes out in the morning, retrying…
pub fn sms_line(notices: &OwnerNotices, now: chrono::DateTime<chrono::Utc>) -> Option<String> {
    let newest: &NoticeLine = notices.recent.iter().find(|l| l.channel == "sms")?;
    Some(match newest.status.as_str() {
        "sent" => fill(t(NoticeMsg::SentTo), &[&newest.to]),
        "queued" if newest.next_at > now + chrono::Duration::minutes(1) => {
            fill(t(NoticeMsg::HeldUntil), &[&format_time(newest.next_at)])
        }
        "queued" | "sending" => fill(t(NoticeMsg::WillSendTo), &[&newest.to]),
        "retrying" | "dead" => t(NoticeMsg::Failing).to_owned(),
        _ => return None,
    })
}

/// Still on its way: worth looking again in a moment.
pub fn pending(notices: &OwnerNotices, now: chrono::DateTime<chrono::Utc>) -> bool {
    notices.recent.iter().any(|l| {
        matches!(l.status.as_str(), "queued" | "sending")
            && l.next_at <= now + chrono::Duration::minutes(1)
    })
}

/// The owner's channels and the messages sent. Mounted once: a live update does not take
/// away what the owner is typing.
#[component]
pub fn NoticeSettings(
    code: String,
    notices: Signal<OwnerNotices>,
    saved: RwSignal<u32>,
) -> impl IntoView {
    let action = ServerAction::<SetNotices>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            saved.update(|n| *n += 1);
        }
    });
    let initial = notices.get_untracked();
    let email_value = initial.email_to.clone().unwrap_or_default();
    view! {
        <section class="card" id="notices" data-testid="notices">
            <h2>{t(NoticeMsg::Title)}</h2>
            <p class="muted small">{t(NoticeMsg::Intro)}</p>
            <ErrorBanner error />
            {move || matches!(action.value().get(), Some(Ok(()))).then(|| view! {
                <p class="notice" role="status">{t(NoticeMsg::Saved)}</p>
            })}
            <ActionForm action attr:class="form" attr:novalidate=true>
                <input type="hidden" name="code" value=code />
                {match initial.sms_to.clone() {
                    Some(to) => view! {
                        <label class="check">
                            <input type="checkbox" name="sms" value="on" checked=initial.sms_on />
                            {fill(t(NoticeMsg::SmsOnTo), &[&to])}
                        </label>
                    }.into_any(),
                    None => view! { <p class="muted small">{t(NoticeMsg::NoSms)}</p> }.into_any(),
                }}
                <div class="field">
                    <label for="notice-email">{t(NoticeMsg::Email)}</label>
                    // A masked address stands for the one on record: sent back unchanged,
                    // it keeps it.
                    <input id="notice-email" name="email" type="email" inputmode="email" autocomplete="email"
                        value=email_value aria-describedby="notice-email-error" />
                    <FieldMessage id="notice-email-error" field="email" error />
                </div>
                <button type="submit" class="button" disabled=move || action.pending().get()>{t(NoticeMsg::Save)}</button>
            </ActionForm>
            {move || {
                let lines = notices.get().recent;
                (!lines.is_empty()).then(|| view! {
                    <h3 class="h4">{t(NoticeMsg::Recent)}</h3>
                    <ul class="notice-lines">
                        {lines.into_iter().map(|l| {
                            let kind = domain::Occasion::parse(&l.kind)
                                .map(|o| o.label(crate::i18n::current_lang()).to_owned())
                                .unwrap_or(l.kind.clone());
                            view! {
                                <li>
                                    <span class="muted small">{format_time(l.created_at)}</span>" "
                                    {kind}" · "{l.to.clone()}" · "
                                    <span class=format!("badge {}", if l.status == "sent" { "ok" } else { "" })>{status_label(&l.status)}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <p class="muted small">{t(NoticeMsg::Unsubscribe)}</p>
                })
            }}
        </section>
    }
}
