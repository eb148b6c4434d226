use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

use super::ArticleStatusBadge;
use crate::api::faq::staff_faq_list;
use crate::i18n::{fill, t, FaqMsg, Msg};
use crate::ui::faq::topic_label;
use crate::ui::shared::format_time;
use crate::ui::staff::StaffError;

/// `/staff/faq`: every article with its views, votes and deflections.
#[component]
pub fn FaqListPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        (
            q.get("q").unwrap_or_default(),
            q.get("status").unwrap_or_default(),
        )
    };
    let list = Resource::new(filter, |(q, status)| staff_faq_list(q, status));
    let (q, status) = filter();
    view! {
        <section class="card wide">
            <div class="title-row">
                <h1>{t(FaqMsg::ListTitle)}</h1>
                <A href="/staff/faq/new" attr:class="button primary">{t(FaqMsg::NewArticle)}</A>
            </div>
            <p class="lead">{t(FaqMsg::ListIntro)}</p>
            <Form method="GET" action="" attr:class="filters">
                <div class="filter">
                    <label for="faq-f-q">{t(FaqMsg::FilterText)}</label>
                    <input id="faq-f-q" name="q" type="search" value=q />
                </div>
                <div class="filter">
                    <label for="faq-f-status">{t(FaqMsg::ColStatus)}</label>
                    <select id="faq-f-status" name="status">
                        <option value="">{t(FaqMsg::FilterAll)}</option>
                        <option value="draft" selected=status == "draft">{t(FaqMsg::StatusDraft)}</option>
                        <option value="published" selected=status == "published">{t(FaqMsg::StatusPublished)}</option>
                    </select>
                </div>
                <div class="filter-actions"><button type="submit" class="button">{t(FaqMsg::FilterApply)}</button></div>
            </Form>
            <Transition fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(rows) if rows.is_empty() => view! { <p class="muted">{t(FaqMsg::Empty)}</p> }.into_any(),
                        Ok(rows) => view! {
                            <div class="table-scroll" tabindex="0">
                                <table class="queue faq-table">
                                    <thead>
                                        <tr>
                                            <th>{t(FaqMsg::ColTitle)}</th>
                                            <th>{t(FaqMsg::ColStatus)}</th>
                                            <th class="num">{t(FaqMsg::ColViews)}</th>
                                            <th class="num">{t(FaqMsg::ColHelpful)}</th>
                                            <th class="num">{t(FaqMsg::ColDeflections)}</th>
                                            <th>{t(FaqMsg::ColUpdated)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| view! {
                                            <tr data-id=r.id.to_string()>
                                                <td class="summary">
                                                    <A href=format!("/staff/faq/{}", r.id)>{r.title}</A>
                                                    <span class="muted small">{topic_label(r.topic)}" · "{r.slug}</span>
                                                </td>
                                                <td><ArticleStatusBadge status=r.status /></td>
                                                <td class="num">{r.views}</td>
                                                <td class="num">{r.helpful_yes}" / "{r.helpful_no}</td>
                                                <td class="num">
                                                    {r.deflections}
                                                    {(r.pending_opens > 0).then(|| view! {
                                                        <span class="muted small sla-detail">{fill(t(FaqMsg::Pending), &[&r.pending_opens])}</span>
                                                    })}
                                                </td>
                                                <td class="small">{format_time(r.updated_at)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(error) => view! { <StaffError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
