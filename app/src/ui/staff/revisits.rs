use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::surveys::revisits_due;
use crate::i18n::{current_lang, fill, t, Msg, SurveyMsg};
use crate::ui::shared::format_time;
use crate::ui::staff::StaffError;

/// Resolved complaints still waiting for their revisit, oldest first; the revisit rate.
#[component]
pub fn RevisitsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| revisits_due());
    let lang = current_lang();
    view! {
        <section class="card wide">
            <h1>{t(SurveyMsg::ListTitle)}</h1>
            <p class="lead">{t(SurveyMsg::ListIntro)}</p>
            <Transition fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => {
                            let now = list.now;
                            let review_percent = if list.answered == 0 { 100 } else { list.reviewed * 100 / list.answered };
                            let percent = if list.rounds == 0 { 100 } else { list.answered * 100 / list.rounds };
                            view! {
                                <p class="revisit-rate" data-testid="revisit-rate">
                                    {fill(t(SurveyMsg::Rate), &[&percent, &list.answered, &list.rounds])}
                                </p>
                                <p class="muted small" data-testid="review-rate">
                                    {fill(t(SurveyMsg::ReviewRate), &[&review_percent, &list.reviewed, &list.answered])}
                                </p>
                                {list.due.is_empty().then(|| view! { <p class="muted">{t(SurveyMsg::Empty)}</p> })}
                                <ul class="revisit-list">
                                    {list.due.into_iter().map(|r| view! {
                                        <li class="card-row">
                                            <div>
                                                <A href=format!("/staff/complaints/{}", r.id)><span class="mono">{r.tracking_code}</span></A>
                                                " · "{r.category.label(lang)}" · "{r.complainant}" · "
                                                <a href=format!("tel:{}", r.phone)>{r.phone.clone()}</a>
                                                <br />
                                                <span class="muted small">
                                                    {fill(t(SurveyMsg::ResolvedAgo), &[&format_time(r.resolved_at)])}
                                                    {r.handler.map(|h| format!(" · {h}"))}
                                                    {r.due_at.map(|due| format!(" · {}", fill(t(SurveyMsg::DueBy), &[&format_time(due)])))}
                                                </span>
                                                {r.due_at.filter(|due| *due < now).map(|_| view! {
                                                    " "<span class="badge danger" data-testid="revisit-overdue">{t(SurveyMsg::Overdue)}</span>
                                                })}
                                                {r.phone_task.then(|| view! {
                                                    " "<span class="badge warn" data-testid="phone-task">{t(SurveyMsg::PhoneTask)}</span>
                                                })}
                                            </div>
                                            {r.survey_queued_to.map(|to| {
                                                let text = if r.survey_sent { SurveyMsg::SentTo } else { SurveyMsg::QueuedTo };
                                                view! { <p class="small muted" data-testid="survey-queued">{fill(t(text), &[&to])}</p> }
                                            })}
                                            <A href=format!("/staff/complaints/{}", r.id) attr:class="button">{t(SurveyMsg::DoRevisit)}</A>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                        Err(error) => view! { <StaffError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
