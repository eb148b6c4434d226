use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::staff::{my_notifications, AcknowledgeNotification, MarkNotificationsRead};
use crate::i18n::{t, Msg, StaffMsg};
use crate::ui::shared::format_time;
use crate::ui::staff::StaffError;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let acknowledge = ServerAction::<AcknowledgeNotification>::new();
    let list = Resource::new(
        move || (mark.version().get(), acknowledge.version().get()),
        |_| my_notifications(),
    );
    view! {
        <section class="card">
            <h1>{t(StaffMsg::NotificationsTitle)}</h1>
            <ActionForm action=mark attr:class="inline-form">
                <button type="submit" class="button">{t(StaffMsg::MarkAllRead)}</button>
            </ActionForm>
            <Transition fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => view! { <p class="muted">{t(StaffMsg::NotificationsEmpty)}</p> }.into_any(),
                        Ok(items) => view! {
                            <ul class="notifications">
                                {items.into_iter().map(|n| view! {
                                    <li class:unread=!n.read class=format!("notification kind-{}", n.kind)>
                                        <time datetime=n.created_at.to_rfc3339()>{format_time(n.created_at)}</time>
                                        <span>{n.message}</span>
                                        {n.complaint_id.map(|id| view! {
                                            <A href=format!("/staff/complaints/{id}")>{t(StaffMsg::Open)}</A>
                                        })}
                                        {n.must_act.then(|| match n.acknowledged_at {
                                            Some(at) => view! { <span class="muted small" data-testid="acknowledged">{t(StaffMsg::Acknowledged)}" "{format_time(at)}</span> }.into_any(),
                                            None => view! {
                                                <ActionForm action=acknowledge attr:class="inline-form">
                                                    <input type="hidden" name="id" value=n.id.to_string() />
                                                    <button type="submit" class="button small">{t(StaffMsg::Acknowledge)}</button>
                                                </ActionForm>
                                            }.into_any(),
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <StaffError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
