use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::staff::staff_queue;
use crate::i18n::{current_lang, t, Msg};
use crate::model::QueueRow;
use crate::ui::shared::{format_time, LevelBadge, StatusBadge};
use crate::ui::staff::StaffError;

#[component]
pub fn QueuePage() -> impl IntoView {
    let rows = Resource::new(|| (), |_| staff_queue());
    view! {
        <section class="card wide">
            <h1>{t(Msg::QueueTitle)}</h1>
            <Suspense fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) if rows.is_empty() => view! { <p class="muted">{t(Msg::QueueEmpty)}</p> }.into_any(),
                        Ok(rows) => view! { <QueueTable rows /> }.into_any(),
                        Err(error) => view! { <StaffError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn QueueTable(rows: Vec<QueueRow>) -> impl IntoView {
    let lang = current_lang();
    view! {
        <div class="table-scroll">
            <table class="queue">
                <thead>
                    <tr>
                        <th scope="col">{t(Msg::ColLevel)}</th>
                        <th scope="col">{t(Msg::ColSummary)}</th>
                        <th scope="col">{t(Msg::ColCategory)}</th>
                        <th scope="col">{t(Msg::ColStatus)}</th>
                        <th scope="col">{t(Msg::ColCommunity)}</th>
                        <th scope="col">{t(Msg::ColFiled)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let href = format!("/staff/complaints/{}", row.id);
                        view! {
                            <tr>
                                <td><LevelBadge level=row.level /></td>
                                <td class="summary">
                                    <A href=href>{row.summary}</A>
                                    <span class="muted small">" · "{row.complainant}" · "<span class="mono">{row.tracking_code}</span></span>
                                </td>
                                <td>{row.category.label(lang)}</td>
                                <td><StatusBadge status=row.status /></td>
                                <td>{row.community}</td>
                                <td><time datetime=row.filed_at.to_rfc3339()>{format_time(row.filed_at)}</time></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
