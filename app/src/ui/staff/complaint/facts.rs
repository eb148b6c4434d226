//! The side panel: intake facts, level and its reasons, clocks, who handles it, the
//! solution, approvals, revisits and the closing report.

use domain::{format_yuan, ClockState, Level};
use leptos::prelude::*;

use crate::i18n::Listed;
use leptos_router::components::A;

use super::{StepField, StepForm};
use crate::i18n::{current_lang, fill, t, Msg, StaffMsg};
use crate::model::{LinkedComplaint, StaffComplaint};
use crate::ui::shared::{format_time, StatusBadge};

#[component]
pub fn Facts(complaint: StaffComplaint) -> impl IntoView {
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
    let flags = if complaint.flags.is_empty() {
        t(StaffMsg::NoFlags).to_owned()
    } else {
        complaint
            .flags
            .iter()
            .map(|f| f.label(lang))
            .collect::<Vec<_>>()
            .listed()
    };
    view! {
        <section class="card">
            <h2>{t(StaffMsg::Facts)}</h2>
            <dl class="facts">
                <dt>{t(Msg::ColComplainant)}</dt><dd>{complaint.complainant}" · "<a href=format!("tel:{}", complaint.phone)>{complaint.phone.clone()}</a></dd>
                <dt>{t(Msg::LocationLabel)}</dt><dd>{place}
                    {(complaint.unit_in_estate == Some(false)).then(|| view! {
                        " "<span class="badge warn" data-testid="unit-not-in-estate">{t(StaffMsg::UnitNotInEstate)}</span>
                    })}
                    {complaint.household_id.map(|household| view! {
                        " · "<A href=format!("/staff/households/{household}") attr:data-testid="household-link">{t(StaffMsg::HouseholdLink)}</A>
                    })}
                </dd>
                <dt>{t(Msg::FiledAtLabel)}</dt><dd>{format_time(complaint.filed_at)}</dd>
                {(complaint.received.channel != domain::Channel::Web).then(|| {
                    let received = complaint.received.clone();
                    view! {
                        <dt>{t(StaffMsg::ReceivedBy)}</dt>
                        <dd data-testid="received-by">
                            {received.channel.label(lang)}
                            {received.recorded_at.map(|at| view! {
                                <span class="muted small">" · "{t(StaffMsg::RecordedAt)}" "{format_time(at)}</span>
                            })}
                        </dd>
                        {received.external_ref.map(|reference| view! {
                            <dt>{t(StaffMsg::ExternalRef)}</dt><dd class="mono">{reference}</dd>
                        })}
                        {received.external_due_at.map(|due| view! {
                            <dt>{t(StaffMsg::ExternalDue)}</dt><dd>{format_time(due)}</dd>
                        })}
                    }
                })}
                <dt>{t(Msg::FieldPeople)}</dt><dd>{complaint.people_count}</dd>
                // What the owner said; "not stated" is not the same as "no effect on use".
                <dt>{t(StaffMsg::Impact)}</dt><dd>{match (complaint.stated_impact, complaint.impact) {
                    (Some(impact), _) => impact.label(lang).to_owned(),
                    (None, domain::Impact::None) => t(StaffMsg::ImpactNotStated).to_owned(),
                    (None, read) => fill(t(StaffMsg::ImpactFromText), &[&read.label(lang)]),
                }}</dd>
                <dt>{t(StaffMsg::Flags)}</dt><dd>{flags}</dd>
                {(complaint.claimed_amount_fen > 0).then(|| view! {
                    <dt>{t(StaffMsg::ClaimedAmount)}</dt><dd>{format_yuan(complaint.claimed_amount_fen)}</dd>
                })}
            </dl>
            <h3>{t(Msg::DescriptionLabel)}</h3>
            <p class="description">{complaint.description}</p>
            <GuidedAnswers category=complaint.category topic=complaint.topic answers=complaint.answers />
            <h3>{t(Msg::EvidenceTitle)}</h3>
            <crate::ui::owner::EvidenceGallery items=complaint.evidence />
        </section>
    }
}

/// The topic the owner started from and their answers to the guided questions, when given.
#[component]
fn GuidedAnswers(
    category: domain::Category,
    topic: Option<String>,
    answers: domain::guide::Answers,
) -> impl IntoView {
    let lang = current_lang();
    let topic = topic
        .as_deref()
        .and_then(domain::guide::Topic::parse)
        .map(|t| t.label(lang));
    (topic.is_some() || !answers.is_empty()).then(|| {
        view! {
            <h3>{t(StaffMsg::GuidedTitle)}</h3>
            <dl class="facts answers" data-testid="guided-answers">
                {topic.map(|topic| view! { <dt>{t(StaffMsg::OwnerTopic)}</dt><dd>{topic}</dd> })}
                {answers.shown(category, lang).into_iter().map(|(question, answer)| view! {
                    <dt>{question}</dt><dd>{answer}</dd>
                }).collect_view()}
            </dl>
        }
    })
}

/// The level, every rule that fired, and (for agents and supervisors) a manual override.
#[component]
pub fn LevelCard(complaint: Memo<StaffComplaint>) -> impl IntoView {
    let lang = current_lang();
    let id = complaint.with_untracked(|c| c.id);
    // The override form is mounted once (it keeps a half-typed reason through refreshes).
    let may_override = Memo::new(move |_| complaint.with(|c| c.may_override_level));
    view! {
        <section class="card">
            <h2>{t(StaffMsg::LevelAndReasons)}</h2>
            {move || {
                let complaint = complaint.get();
                view! {
                    <p>
                        <span class=format!("badge level-{}", complaint.level.number())>{complaint.level.label(lang)}</span>
                        {complaint.level_manual.then(|| view! { " "<span class="badge">{t(StaffMsg::LevelManual)}</span> })}
                    </p>
                    <ul class="reasons" data-testid="level-reasons">
                        {complaint.reasons.into_iter().map(|r| view! {
                            <li><span class=format!("dot level-{}", r.level.number())></span>{r.message.get(lang).to_owned()}</li>
                        }).collect_view()}
                    </ul>
                    {(complaint.same_issue_complainants > 1 || !complaint.group.is_empty()).then(|| view! {
                        <h3>{t(StaffMsg::GroupTitle)}</h3>
                        <p class="muted small">{match complaint.same_issue_complainants {
                            1 => t(StaffMsg::GroupCountOne).to_owned(),
                            n => fill(t(StaffMsg::GroupCount), &[&n]),
                        }}</p>
                        {(complaint.group_total as usize > complaint.group.len()).then(|| view! {
                            <p class="muted small" data-testid="group-listed">{fill(t(StaffMsg::GroupListed), &[&complaint.group_total, &complaint.group.len()])}</p>
                        })}
                        <Linked items=complaint.group.clone() />
                    })}
                    {complaint.repeat_of.clone().map(|earlier| view! {
                        <h3>{t(StaffMsg::RepeatOf)}</h3>
                        <Linked items=vec![earlier] />
                    })}
                }
            }}
            {move || may_override.get().then(|| view! {
                <details class="step">
                    <summary>{t(StaffMsg::OverrideTitle)}</summary>
                    <StepForm id action="override_level" submit=t(StaffMsg::OverrideSubmit)>
                        <div class="field">
                            <label for="override-level">{t(StaffMsg::FilterLevel)}</label>
                            <select id="override-level" name="step[level]">
                                {Level::ALL.iter().map(|l| view! { <option value=l.number().to_string()>{l.label(lang)}</option> }).collect_view()}
                            </select>
                        </div>
                        <StepField name="reason" label=t(StaffMsg::OverrideReason) multiline=true />
                    </StepForm>
                </details>
            })}
        </section>
    }
}

#[component]
fn Linked(items: Vec<LinkedComplaint>) -> impl IntoView {
    view! {
        <ul class="linked">
            {items.into_iter().map(|c| view! {
                <li>
                    <A href=format!("/staff/complaints/{}", c.id)><span class="mono">{c.tracking_code}</span></A>
                    " "{c.complainant}" · "{format_time(c.filed_at)}" "<StatusBadge status=c.status />
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The four clocks: due, met on time, met late, breached.
#[component]
pub fn Clocks(complaint: StaffComplaint) -> impl IntoView {
    let lang = current_lang();
    let now = complaint.now;
    let missing = complaint
        .calendar_missing_years
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .listed();
    view! {
        <section class="card">
            <h2>{t(StaffMsg::Clocks)}</h2>
            {(!missing.is_empty()).then(|| view! {
                <p class="notice warn" data-testid="calendar-fallback">{fill(t(StaffMsg::CalendarFallback), &[&missing])}</p>
            })}
            <ul class="clocks">
                {complaint.clocks.into_iter().map(|p| {
                    let (class, text) = clock_text(p.state, now);
                    view! { <li class=format!("clock {class}")><span>{p.clock.label(lang)}</span><span>{text}</span></li> }
                }).collect_view()}
                {complaint.stages.into_iter().map(|s| {
                    let (class, text) = clock_text(s.state, now);
                    view! {
                        <li class=format!("clock stage {class}") data-testid=format!("stage-{}", s.stage.code())>
                            <span>{s.stage.label(lang)}</span><span>{text}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {complaint.report_submitted.map(|d| view! {
                <p class="muted" data-testid="report-submitted">{fill(t(StaffMsg::ReportSubmittedBy), &[&d.by, &format_time(d.at)])}</p>
            })}
            {complaint.may_submit_report.then(|| view! {
                <StepForm id=complaint.id action="submit_report" submit=t(StaffMsg::SubmitReport)>
                    <p class="field-help">{t(StaffMsg::SubmitReportHelp)}</p>
                </StepForm>
            })}
        </section>
    }
}

/// A clock's state as a CSS class and a short text: due, met, late, breached, paused.
pub fn clock_text(state: ClockState, now: chrono::DateTime<chrono::Utc>) -> (&'static str, String) {
    let lang = current_lang();
    match state {
        ClockState::OnTrack { due } => (
            "on_track",
            format!(
                "{} · {}",
                fill(t(StaffMsg::ClockDue), &[&format_time(due)]),
                domain::remaining_label(due, now, lang)
            ),
        ),
        ClockState::DueSoon { due } => (
            "due_soon",
            format!(
                "{} · {}",
                fill(t(StaffMsg::ClockDue), &[&format_time(due)]),
                domain::remaining_label(due, now, lang)
            ),
        ),
        ClockState::Breached { due } => ("breached", domain::remaining_label(due, now, lang)),
        ClockState::MetOnTime { at, .. } => {
            ("met", fill(t(StaffMsg::ClockMetAt), &[&format_time(at)]))
        }
        ClockState::MetLate { at, .. } => {
            ("late", fill(t(StaffMsg::ClockMetAt), &[&format_time(at)]))
        }
        ClockState::NotRunning => ("off", t(StaffMsg::ClockNotRunning).to_owned()),
        ClockState::Paused { since, .. } => (
            "paused",
            fill(t(StaffMsg::WaitingSince), &[&format_time(since)]),
        ),
    }
}

/// Who is responsible, the solution and its approvals, revisits, the closing report.
#[component]
pub fn Handling(complaint: StaffComplaint) -> impl IntoView {
    let lang = current_lang();
    view! {
        <section class="card">
            <h2>{t(StaffMsg::Responsibility)}</h2>
            <dl class="facts">
                <dt>{t(StaffMsg::Department)}</dt>
                <dd>{complaint.department.as_ref().map(|d| d.name(lang).to_owned()).unwrap_or_else(|| t(StaffMsg::Unassigned).to_owned())}</dd>
                <dt>{t(StaffMsg::Handler)}</dt>
                <dd data-testid="handler">{complaint.handler.as_ref().map(|h| h.name.clone()).unwrap_or_else(|| t(StaffMsg::Unassigned).to_owned())}</dd>
                <dt>{t(StaffMsg::Agent)}</dt>
                <dd>{complaint.agent.as_ref().map(|a| a.name.clone()).unwrap_or_default()}</dd>
                {(complaint.level == Level::One).then(|| view! {
                    <dt>{t(StaffMsg::Commander)}</dt>
                    <dd data-testid="commander">{match complaint.commander.as_ref() {
                        Some(p) => view! { <strong>{p.name.clone()}</strong> }.into_any(),
                        None => view! { <span class="badge warn">{t(StaffMsg::NoCommander)}</span> }.into_any(),
                    }}</dd>
                })}
            </dl>
            {(!complaint.commander_choices.is_empty()).then(|| {
                let current = complaint.commander.as_ref().map(|p| p.id);
                let choices = complaint.commander_choices.clone();
                view! {
                    <details class="step" data-testid="name-commander"><summary>{t(StaffMsg::NameCommander)}</summary>
                        <StepForm id=complaint.id action="name_commander" submit=t(StaffMsg::NameCommander)>
                            <div class="field">
                                <label for="name_commander-commander_id">{t(StaffMsg::Commander)}</label>
                                <select id="name_commander-commander_id" name="step[commander_id]">
                                    <option value="">{t(StaffMsg::ChooseCommander)}</option>
                                    {choices.into_iter().map(|p| view! {
                                        <option value=p.id.to_string() selected=Some(p.id) == current>{p.name}</option>
                                    }).collect_view()}
                                </select>
                                <super::StepMessage field="commander_id" />
                            </div>
                            <p class="field-help">{t(StaffMsg::CommanderHelp)}</p>
                        </StepForm>
                    </details>
                }
            })}
            {complaint.solution.clone().map(|plan| view! {
                <h3>{t(StaffMsg::SolutionTitle)}</h3>
                <p class="description">{plan}</p>
                {(complaint.compensation_fen > 0).then(|| view! {
                    <p>{t(StaffMsg::Compensation)}": "<strong>{format_yuan(complaint.compensation_fen)}</strong></p>
                })}
            })}
            {(!complaint.approvals.is_empty()).then(|| view! {
                <h3>{t(StaffMsg::ApprovalsTitle)}</h3>
                <ul class="approvals">
                    {complaint.approvals.iter().map(|a| {
                        let decision = match a.decision.as_deref() {
                            Some("granted") => t(StaffMsg::Granted),
                            Some(_) => t(StaffMsg::Denied),
                            None => t(StaffMsg::Pending),
                        };
                        view! {
                            <li>
                                <strong>{decision}</strong>" · "{a.approver.label(lang)}" · "{format_yuan(a.compensation_fen)}" · "
                                {t(StaffMsg::Requested)}" "{a.requested_by.clone()}" "{format_time(a.requested_at)}
                                {a.decided_by.clone().map(|d| view! { " · "{d} })}
                                {a.reason.clone().map(|r| view! { <br /><span class="muted">{r}</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {(!complaint.revisits.is_empty()).then(|| view! {
                <h3>{t(StaffMsg::RevisitsTitle)}</h3>
                <ul class="revisits">
                    {complaint.revisits.iter().map(|r| match (r.answered_at, r.process) {
                        (Some(at), Some(process)) => view! {
                            <li>
                                {format_time(at)}" · "{r.method.clone().unwrap_or_default()}" · "
                                {process.label(lang)}" / "{r.result.map(|x| x.label(lang)).unwrap_or("")}
                                " · "{r.overall.unwrap_or(0)}"/5"
                                {r.comment.clone().map(|c| view! { <br /><span class="muted">{c}</span> })}
                                {r.reviewed_by.clone().map(|who| view! {
                                    <br /><span class="small" data-testid="revisit-reviewed">{t(StaffMsg::RevisitReviewed)}" · "{who}
                                        {r.review_note.clone().map(|n| format!(":{n}"))}</span>
                                })}
                            </li>
                        }.into_any(),
                        _ => view! { <li class="muted">{fill(t(StaffMsg::RevisitPending), &[&r.round])}</li> }.into_any(),
                    }).collect_view()}
                </ul>
            })}
            {complaint.may_review_revisit.then(|| view! {
                <details class="step" data-testid="review-revisit"><summary>{t(StaffMsg::ReviewRevisit)}</summary>
                    <StepForm id=complaint.id action="review_revisit" submit=t(StaffMsg::ReviewRevisit)>
                        <StepField name="review_note" label=t(StaffMsg::ReviewNote) multiline=true />
                    </StepForm>
                </details>
            })}
            {complaint.root_cause.clone().map(|cause| view! {
                <h3>{t(StaffMsg::ClosingTitle)}</h3>
                <p><strong>{t(StaffMsg::RootCause)}": "</strong>{cause}</p>
                <p><strong>{t(StaffMsg::CorrectiveAction)}": "</strong>{complaint.corrective_action.clone().unwrap_or_default()}</p>
            })}
            {complaint.responsibility.clone().map(|r| view! {
                <p data-testid="responsibility"><strong>{t(StaffMsg::ResponsibleDepartment)}": "</strong>
                    {r.department.as_ref().map(|d| d.name(lang).to_owned()).unwrap_or_default()}
                    {(!r.person.is_empty()).then(|| format!(" · {}", r.person))}
                </p>
                <p class="muted small">{t(StaffMsg::ClosingChecks)}": "
                    {r.checks.iter().map(|c| c.label(lang)).collect::<Vec<_>>().listed()}
                    {r.training_case.then(|| format!(" · {}", t(StaffMsg::TrainingCase)))}
                </p>
            })}
            <p class="no-print"><A href=format!("/staff/complaints/{}/report", complaint.id) attr:data-testid="report-link">{t(StaffMsg::HandlingReportLink)}</A></p>
        </section>
    }
}
