//! The handling report (投诉处理报告): one printable page per complaint that a manager signs —
//! facts, level and its reasons, the whole timeline, investigation and solution, approvals,
//! cost, responsibility, revisits and the closing, with lines for signatures.

use domain::format_yuan;
use leptos::prelude::*;

use crate::i18n::Listed;
use leptos_router::{components::A, hooks::use_params_map};

use crate::api::staff::load_staff_complaint;
use crate::i18n::{current_lang, t, Msg, StaffMsg};
use crate::model::StaffComplaint;
use crate::ui::shared::{format_time, Timeline};
use crate::ui::staff::StaffError;

#[component]
pub fn HandlingReportPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let complaint = Resource::new(id, load_staff_complaint);
    view! {
        <Suspense fallback=move || view! { <p class="card">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match complaint.await {
                    Ok(c) => view! { <HandlingReport c /> }.into_any(),
                    Err(error) => view! { <StaffError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A label and a value, or a dash when there is none.
fn row(label: &'static str, value: Option<String>) -> impl IntoView {
    view! {
        <tr><th scope="row">{label}</th><td>{value.filter(|v| !v.is_empty()).unwrap_or_else(|| "—".to_owned())}</td></tr>
    }
}

#[component]
fn HandlingReport(c: StaffComplaint) -> impl IntoView {
    let lang = current_lang();
    let place = [
        Some(c.community.clone()),
        c.building.clone(),
        Some(c.unit.clone()),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let flags = c
        .flags
        .iter()
        .map(|f| f.label(lang))
        .collect::<Vec<_>>()
        .listed();
    let responsibility = c.responsibility.clone();
    let back = format!("/staff/complaints/{}", c.id);
    view! {
        <article class="card wide handling-report" data-testid="handling-report">
            <p class="no-print report-actions">
                <A href=back>{t(StaffMsg::BackToComplaint)}</A>" "
                <button type="button" class="button" on:click=move |_| { let _ = window().print(); }>{t(StaffMsg::Print)}</button>
            </p>
            <header>
                <h1>{t(StaffMsg::HandlingReport)}</h1>
                <p class="mono">{c.tracking_code.clone()}" · "{c.category.label(lang)}" · "{c.status.label(lang)}</p>
            </header>

            <section data-section="facts">
                <h2>{t(StaffMsg::ReportFacts)}</h2>
                <table class="report-table"><tbody>
                    {row(t(Msg::ColComplainant), Some(format!("{} · {}", c.complainant, c.phone)))}
                    {row(t(Msg::LocationLabel), Some(place))}
                    {row(t(Msg::FiledAtLabel), Some(format_time(c.filed_at)))}
                    {row(t(StaffMsg::ReceivedBy), Some(c.received.channel.label(lang).to_owned()))}
                    {row(t(Msg::FieldPeople), Some(c.people_count.to_string()))}
                    {row(t(StaffMsg::ReportClaimed), (c.claimed_amount_fen > 0).then(|| format_yuan(c.claimed_amount_fen)))}
                    {row(t(StaffMsg::ReportImpact), Some(c.stated_impact.map_or_else(|| "—".to_owned(), |i| i.label(lang).to_owned())))}
                    {row(t(StaffMsg::ReportFlags), Some(flags))}
                </tbody></table>
                <p class="description">{c.description.clone()}</p>
            </section>

            <section data-section="level">
                <h2>{t(StaffMsg::ReportLevel)}</h2>
                <p><strong>{c.level.label(lang)}</strong>{c.level_manual.then(|| view! { " ("{t(StaffMsg::LevelManual)}")" })}</p>
                <ul>{c.reasons.iter().map(|r| view! { <li>{r.message.get(lang).to_owned()}</li> }).collect_view()}</ul>
            </section>

            // Part of the level's section: the time limits follow from the level.
            <section data-section="clocks">
                <h3>{t(StaffMsg::Clocks)}</h3>
                <table class="report-table"><tbody>
                    {c.clocks.iter().map(|p| {
                        let (class, text) = super::facts::clock_text(p.state, c.now);
                        view! { <tr data-state=class><th scope="row">{p.clock.label(lang)}</th><td>{text}</td></tr> }
                    }).collect_view()}
                    {c.stages.iter().map(|s| {
                        let (class, text) = super::facts::clock_text(s.state, c.now);
                        view! { <tr data-state=class><th scope="row">{s.stage.label(lang)}</th><td>{text}</td></tr> }
                    }).collect_view()}
                    {c.report_submitted.as_ref().map(|d| view! {
                        <tr><th scope="row">{t(StaffMsg::SubmitReport)}</th><td>{d.by.clone()}" "{format_time(d.at)}</td></tr>
                    })}
                </tbody></table>
            </section>

            <section data-section="timeline">
                <h2>{t(StaffMsg::ReportTimeline)}</h2>
                <Timeline entries=c.timeline.clone() />
            </section>

            <section data-section="solution">
                <h2>{t(StaffMsg::ReportSolution)}</h2>
                <table class="report-table"><tbody>
                    {row(t(StaffMsg::Department), c.department.as_ref().map(|d| d.name(lang).to_owned()))}
                    {row(t(StaffMsg::Handler), c.handler.as_ref().map(|h| h.name.clone()))}
                    {row(t(StaffMsg::Agent), c.agent.as_ref().map(|a| a.name.clone()))}
                    {row(t(StaffMsg::SolutionTitle), c.solution.clone())}
                    {row(t(StaffMsg::ReportCost), Some(format_yuan(c.compensation_fen)))}
                </tbody></table>
            </section>

            <section data-section="approvals">
                <h2>{t(StaffMsg::ReportApprovals)}</h2>
                {if c.approvals.is_empty() {
                    view! { <p class="muted">{t(StaffMsg::ReportNone)}</p> }.into_any()
                } else {
                    view! {
                        <table class="report-table"><thead><tr>
                            <th>{t(StaffMsg::ReportTier)}</th><th>{t(StaffMsg::Compensation)}</th><th>{t(StaffMsg::Requested)}</th><th>{t(StaffMsg::ReportDecision)}</th>
                        </tr></thead><tbody>
                            {c.approvals.iter().map(|a| {
                                let decision = match a.decision.as_deref() {
                                    Some("granted") => t(StaffMsg::Granted),
                                    Some(_) => t(StaffMsg::Denied),
                                    None => t(StaffMsg::Pending),
                                };
                                view! { <tr>
                                    <td>{a.approver.label(lang)}</td>
                                    <td>{format_yuan(a.compensation_fen)}</td>
                                    <td>{a.requested_by.clone()}" "{format_time(a.requested_at)}</td>
                                    <td>{decision}{a.decided_by.clone().map(|d| format!(" · {d}"))}
                                        {a.decided_at.map(|at| format!(" {}", format_time(at)))}
                                        {a.reason.clone().map(|r| view! { <br />{r} })}</td>
                                </tr> }
                            }).collect_view()}
                        </tbody></table>
                    }.into_any()
                }}
            </section>

            <section data-section="responsibility">
                <h2>{t(StaffMsg::ReportResponsibility)}</h2>
                {match responsibility {
                    Some(r) => view! {
                        <table class="report-table"><tbody>
                            {row(t(StaffMsg::ResponsibleDepartment), r.department.as_ref().map(|d| d.name(lang).to_owned()))}
                            {row(t(StaffMsg::ReportPerson), Some(r.person.clone()))}
                            <tr><th scope="row">{t(StaffMsg::ClosingChecks)}</th><td>
                                {domain::ClosingCheck::ALL.iter().map(|check| {
                                    let met = r.checks.contains(check);
                                    view! { <span class="check-mark">{if met { "☑ " } else { "☐ " }}{check.label(lang)}</span>" " }
                                }).collect_view()}
                            </td></tr>
                            {row(t(StaffMsg::TrainingCase), Some(if r.training_case { t(StaffMsg::Yes) } else { t(StaffMsg::No) }.to_owned()))}
                        </tbody></table>
                    }.into_any(),
                    None => view! { <p class="muted">{t(StaffMsg::ReportNone)}</p> }.into_any(),
                }}
            </section>

            <section data-section="revisit">
                <h2>{t(StaffMsg::ReportRevisits)}</h2>
                {if c.revisits.is_empty() {
                    view! { <p class="muted">{t(StaffMsg::ReportNone)}</p> }.into_any()
                } else {
                    view! {
                        <ul>{c.revisits.iter().map(|r| {
                            let answer = |s: Option<crate::model::Satisfaction>| s.map(|s| s.label(lang)).unwrap_or("—");
                            view! { <li>
                                {r.answered_at.map(format_time).unwrap_or_else(|| t(StaffMsg::Pending).to_owned())}" · "
                                {t(StaffMsg::ReportProcess)}" "{answer(r.process)}" · "
                                {t(StaffMsg::ReportTimeliness)}" "{answer(r.timeliness)}" · "
                                {t(StaffMsg::ReportAttitude)}" "{answer(r.attitude)}" · "
                                {t(StaffMsg::ReportResult)}" "{answer(r.result)}
                                {r.overall.map(|o| format!(" · {o}/5"))}
                                {r.comment.clone().map(|x| view! { <br />{x} })}
                                {r.reviewed_by.clone().map(|by| view! {
                                    <br />{t(StaffMsg::RevisitReviewed)}": "{by}
                                    {r.reviewed_at.map(|at| format!(" {}", format_time(at)))}
                                    {r.review_note.clone().map(|n| format!(" · {n}"))}
                                })}
                            </li> }
                        }).collect_view()}</ul>
                    }.into_any()
                }}
            </section>

            <section data-section="closing">
                <h2>{t(StaffMsg::ReportClosing)}</h2>
                <table class="report-table"><tbody>
                    {row(t(StaffMsg::RootCause), c.root_cause.clone())}
                    {row(t(StaffMsg::CorrectiveAction), c.corrective_action.clone())}
                </tbody></table>
            </section>

            <section class="signatures" data-section="signatures">
                <p>{t(StaffMsg::SignHandler)}" ________"</p>
                <p>{t(StaffMsg::SignManager)}" ________"</p>
                <p>{t(StaffMsg::SignGm)}" ________"</p>
                <p>{t(StaffMsg::SignDate)}" ________"</p>
            </section>
        </article>
    }
}
