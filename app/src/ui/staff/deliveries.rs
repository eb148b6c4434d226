//! The administrator's message delivery page: the log with a retry per message, webhook
//! endpoints with their last deliveries, and a test message per channel.

use leptos::prelude::*;

use crate::i18n::Listed;
use leptos_router::hooks::use_query_map;

use crate::api::deliveries::{
    deliveries, AddWebhook, RetryDelivery, SendTestMessage, SetWebhookActive,
};
use crate::i18n::{current_lang, fill, t, AdminMsg, Msg, NoticeMsg};
use crate::model::{DeliveryLog, WebhookEndpointView};
use crate::ui::owner::{channel_label, status_label};
use crate::ui::shared::{format_time, ErrorBanner, FieldMessage};
use crate::ui::staff::StaffError;

#[component]
pub fn DeliveriesPage() -> impl IntoView {
    let query = use_query_map();
    let status = move || query.read().get("status").unwrap_or_default();
    let retry = ServerAction::<RetryDelivery>::new();
    let add = ServerAction::<AddWebhook>::new();
    let toggle = ServerAction::<SetWebhookActive>::new();
    let test = ServerAction::<SendTestMessage>::new();
    let log = Resource::new(
        move || {
            (
                status(),
                retry.version().get(),
                add.version().get(),
                toggle.version().get(),
                test.version().get(),
            )
        },
        |(status, ..)| deliveries(status),
    );
    view! {
        <section class="card wide">
            <h1>{t(NoticeMsg::LogTitle)}</h1>
            <nav class="admin-nav">
                <a href="/staff/admin">{t(AdminMsg::Title)}</a>
                <a href="#endpoints">{t(NoticeMsg::Endpoints)}</a>
                <a href="#test">{t(NoticeMsg::Test)}</a>
            </nav>
            <p class="muted">{t(NoticeMsg::LogIntro)}</p>
        </section>
        <Transition fallback=move || view! { <p class="card">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match log.await {
                    Ok(log) => view! {
                        <LogSection log=log.clone() current=status() retry />
                        <EndpointsSection endpoints=log.endpoints.clone() add toggle />
                        <TestSection endpoints=log.endpoints test />
                    }.into_any(),
                    Err(error) => view! { <StaffError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn LogSection(
    log: DeliveryLog,
    current: String,
    retry: ServerAction<RetryDelivery>,
) -> impl IntoView {
    let lang = current_lang();
    let error = Signal::derive(move || retry.value().get().and_then(Result::err));
    let channels = if log.channels.is_empty() {
        t(NoticeMsg::NoChannels).to_owned()
    } else {
        fill(
            t(NoticeMsg::Channels),
            &[&log
                .channels
                .iter()
                .map(|c| channel_label(c))
                .collect::<Vec<_>>()
                .listed()],
        )
    };
    let count = |s: &str| {
        log.counts
            .iter()
            .find(|(k, _)| k == s)
            .map_or(0, |(_, n)| *n)
    };
    let filters = domain::messages::DELIVERY_STATUSES
        .iter()
        .map(|s| (s.to_string(), format!("{} ({})", status_label(s), count(s))))
        .collect::<Vec<_>>();
    view! {
        <section class="card wide" data-testid="delivery-log">
            <p class=if log.channels.is_empty() { "notice warn" } else { "muted" }>{channels}</p>
            <nav class="chips" aria-label=t(NoticeMsg::Status)>
                <a href="/staff/admin/deliveries" class:active=current.is_empty()>{t(NoticeMsg::AllStatuses)}</a>
                {filters.into_iter().map(|(code, label)| {
                    let active = code == current;
                    view! { <a href=format!("/staff/admin/deliveries?status={code}") class:active=active>{label}</a> }
                }).collect_view()}
            </nav>
            <ErrorBanner error />
            {if log.lines.is_empty() {
                view! { <p class="muted">{t(NoticeMsg::Empty)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0">
                    <table class="queue deliveries">
                        <thead><tr>
                            <th>{t(NoticeMsg::When)}</th><th>{t(NoticeMsg::Channel)}</th><th>{t(NoticeMsg::Kind)}</th>
                            <th>{t(NoticeMsg::To)}</th><th>{t(NoticeMsg::Status)}</th><th>{t(NoticeMsg::Attempts)}</th>
                            <th>{t(NoticeMsg::Error)}</th><th><span class="visually-hidden">{t(crate::i18n::Msg::ColActions)}</span></th>
                        </tr></thead>
                        <tbody>
                            {log.lines.into_iter().map(|l| {
                                let kind = match (l.kind.as_str(), domain::Occasion::parse(&l.kind)) {
                                    (_, Some(o)) => o.label(lang).to_owned(),
                                    ("staff", None) => t(NoticeMsg::KindStaff).to_owned(),
                                    ("test", None) => t(NoticeMsg::KindTest).to_owned(),
                                    (other, None) => other.to_owned(),
                                };
                                let may_retry = matches!(l.status.as_str(), "dead" | "retrying");
                                let when = format_time(l.sent_at.unwrap_or(l.created_at));
                                view! {
                                    <tr data-status=l.status.clone()>
                                        <td>{when}</td>
                                        <td>{channel_label(&l.channel)}</td>
                                        <td>{kind}{l.tracking_code.clone().map(|c| view! { <br /><span class="mono small">{c}</span> })}</td>
                                        <td>{l.to.clone()}</td>
                                        <td><span class=format!("badge delivery-{}", l.status)>{status_label(&l.status)}</span>
                                            {l.response_code.map(|c| view! { " "<span class="muted small">{c}</span> })}</td>
                                        <td>{l.attempts}</td>
                                        <td class="small">{l.last_error.clone().unwrap_or_default()}</td>
                                        <td>{may_retry.then(|| view! {
                                            <ActionForm action=retry attr:class="inline">
                                                <input type="hidden" name="id" value=l.id.to_string() />
                                                <button type="submit" class="button small">{t(NoticeMsg::Retry)}</button>
                                            </ActionForm>
                                        })}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn EndpointsSection(
    endpoints: Vec<WebhookEndpointView>,
    add: ServerAction<AddWebhook>,
    toggle: ServerAction<SetWebhookActive>,
) -> impl IntoView {
    let error = Signal::derive(move || add.value().get().and_then(Result::err));
    let toggle_error = Signal::derive(move || toggle.value().get().and_then(Result::err));
    view! {
        <section class="card wide" id="endpoints">
            <h2>{t(NoticeMsg::Endpoints)}</h2>
            <p class="muted small">{t(NoticeMsg::EndpointsIntro)}</p>
            <ErrorBanner error=toggle_error />
            <ul class="endpoint-list">
                {endpoints.into_iter().map(|e| view! {
                    <li data-testid="endpoint">
                        <span class="mono">{"#"}{e.id}" "{e.url.clone()}</span>" "
                        <span class="muted small">"["{e.events.clone()}"]"</span>
                        {e.from_env.then(|| view! { " "<span class="badge">{t(NoticeMsg::FromEnv)}</span> })}
                        {(!e.active).then(|| view! { " "<span class="badge">{t(NoticeMsg::Inactive)}</span> })}
                        <br /><span class="muted small">{t(NoticeMsg::Last)}": "
                            {e.last.iter().map(|(s, c)| format!("{}{}", status_label(s), c.map(|c| format!(" {c}")).unwrap_or_default())).collect::<Vec<_>>().join(" · ")}
                        </span>
                        {(!e.from_env).then(|| view! {
                            <ActionForm action=toggle attr:class="inline">
                                <input type="hidden" name="id" value=e.id.to_string() />
                                <input type="hidden" name="active" value=(!e.active).to_string() />
                                <button type="submit" class="button small">{if e.active { t(NoticeMsg::Disable) } else { t(NoticeMsg::Enable) }}</button>
                            </ActionForm>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            {move || add.value().get().and_then(Result::ok).map(|secret| view! {
                <p class="notice" role="status">{t(NoticeMsg::SecretOnce)}<br /><code data-testid="webhook-secret">{secret}</code></p>
            })}
            <ActionForm action=add attr:class="form admin-form" attr:novalidate=true>
                <ErrorBanner error />
                <div class="field">
                    <label for="webhook-url">{t(NoticeMsg::Url)}</label>
                    <input id="webhook-url" name="url" type="url" placeholder="https://" aria-describedby="webhook-url-error" />
                    <FieldMessage id="webhook-url-error" field="url" error />
                </div>
                <div class="field">
                    <label for="webhook-events">{t(NoticeMsg::Events)}</label>
                    <input id="webhook-events" name="events" type="text" placeholder="complaint.filed, complaint.status_changed" aria-describedby="webhook-events-error" />
                    <FieldMessage id="webhook-events-error" field="events" error />
                </div>
                <label class="check"><input type="checkbox" name="allow_private" value="on" />{t(NoticeMsg::AllowPrivate)}</label>
                <button type="submit" class="button primary" disabled=move || add.pending().get()>{t(NoticeMsg::Add)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn TestSection(
    endpoints: Vec<WebhookEndpointView>,
    test: ServerAction<SendTestMessage>,
) -> impl IntoView {
    let error = Signal::derive(move || test.value().get().and_then(Result::err));
    let _ = endpoints;
    view! {
        <section class="card wide" id="test">
            <h2>{t(NoticeMsg::Test)}</h2>
            {move || matches!(test.value().get(), Some(Ok(()))).then(|| view! {
                <p class="notice" role="status">{t(NoticeMsg::TestQueued)}</p>
            })}
            <ActionForm action=test attr:class="form admin-form" attr:novalidate=true>
                <ErrorBanner error />
                <div class="field">
                    <label for="test-channel">{t(NoticeMsg::Channel)}</label>
                    <select id="test-channel" name="channel">
                        {["sms", "email", "wechat", "webhook"].into_iter().map(|c| view! {
                            <option value=c>{channel_label(c)}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage id="test-channel-error" field="channel" error />
                </div>
                <div class="field">
                    <label for="test-to">{t(NoticeMsg::TestTo)}</label>
                    <input id="test-to" name="to" type="text" aria-describedby="test-to-error" />
                    <FieldMessage id="test-to-error" field="to" error />
                </div>
                <button type="submit" class="button" disabled=move || test.pending().get()>{t(NoticeMsg::Test)}</button>
            </ActionForm>
        </section>
    }
}
