//! The next steps this staff member may take, as forms (the server checks again).

use domain::waiting::Awaiting;
use domain::{Action, Approver, ClosingCheck, Status};
use leptos::prelude::*;

use super::{SendAnyway, StepField, StepForm, StepMessage};
use crate::i18n::{current_lang, fill, t, StaffMsg};
use crate::model::{Department, Satisfaction, StaffComplaint, WaitingView};
use crate::ui::shared::format_time;

/// What the step forms are built from: they are rebuilt only when this changes (a step
/// was taken), not on every refetch, so nothing typed into them is lost.
#[derive(Clone, PartialEq)]
struct Offer {
    id: i64,
    status: Status,
    actions: Vec<Action>,
    /// Who must approve the plan on file (`None`: the handler decides alone).
    approver: Option<Approver>,
    departments: Vec<Department>,
    may_wait: bool,
    waiting: Option<WaitingView>,
    /// The record as it stands, when this staff member may correct it.
    record: Option<Record>,
    may_reassign: bool,
}

/// What the correction form starts from.
#[derive(Clone, PartialEq)]
struct Record {
    category: domain::Category,
    unit: String,
    people_count: u32,
    claimed_amount_fen: u64,
    /// As stated; `None`: left to the description.
    impact: Option<domain::Impact>,
    flags: Vec<domain::RiskFlag>,
    emergency: bool,
}

impl Offer {
    fn of(complaint: &StaffComplaint) -> Offer {
        Offer {
            id: complaint.id,
            status: complaint.status,
            approver: complaint.approver,
            actions: complaint
                .actions
                .iter()
                .copied()
                // One revisit form decides satisfied or not from the answers.
                .filter(|a| {
                    *a != Action::RecordUnsatisfiedRevisit
                        || !complaint.actions.contains(&Action::RecordRevisit)
                })
                .collect(),
            departments: complaint.departments.clone(),
            may_wait: complaint.may_wait,
            waiting: complaint.waiting.clone(),
            record: complaint.may_correct.then(|| Record {
                category: complaint.category,
                unit: complaint.unit.clone(),
                people_count: complaint.people_count,
                claimed_amount_fen: complaint.claimed_amount_fen,
                impact: complaint.stated_impact,
                flags: complaint.flags.clone(),
                emergency: complaint.emergency,
            }),
            may_reassign: complaint.may_reassign,
        }
    }
}

#[component]
pub fn NextSteps(complaint: Memo<StaffComplaint>) -> impl IntoView {
    let offer = Memo::new(move |_| complaint.with(Offer::of));
    move || {
        let offer = offer.get();
        view! { <StepsOnOffer offer /> }
    }
}

#[component]
fn StepsOnOffer(offer: Offer) -> impl IntoView {
    let lang = current_lang();
    let Offer {
        id,
        status,
        actions,
        approver,
        departments,
        may_wait,
        waiting,
        record,
        may_reassign,
    } = offer;
    let waiting = may_wait.then(|| view! { <WaitingStep id waiting /> });
    let reassign = may_reassign.then(|| {
        let departments = departments.clone();
        view! {
            <details class="step" data-testid="reassign"><summary>{t(StaffMsg::Reassign)}</summary>
                <StepForm id action="reassign" submit=t(StaffMsg::Reassign)>
                    <AssignFields departments prefix="reassign" />
                    <p class="field-help">{t(StaffMsg::ReassignHelp)}</p>
                </StepForm>
            </details>
        }
    });
    let correct = record.map(|record| view! { <CorrectStep id record /> });
    view! {
        <section class="card next-steps" aria-labelledby="next-steps-title">
            <h2 id="next-steps-title">{t(StaffMsg::NextSteps)}</h2>
            {(actions.is_empty() && waiting.is_none() && reassign.is_none() && correct.is_none()).then(|| view! { <p class="muted">{t(StaffMsg::NoActions)}</p> })}
            {actions.into_iter().map(|action| {
                let label = action.label(lang).to_owned();
                let code = action.code();
                match action {
                    // Nothing in the plan needs approval: asking for it stays on offer, folded
                    // away, and resolving is the step in front.
                    Action::RequestApproval if approver.is_none() => view! {
                        <details class="step"><summary>{label.clone()}</summary>
                            <p class="field-help">{t(StaffMsg::ApprovalOptional)}</p>
                            <StepForm id action=code submit=label />
                        </details>
                    }.into_any(),
                    Action::JudgeValid | Action::StartInvestigation | Action::RequestApproval => {
                        let hint = (action == Action::RequestApproval).then(|| {
                            let by = approver.unwrap_or(Approver::Supervisor);
                            view! { <p class="field-help" data-testid="approver">{fill(t(StaffMsg::ApprovalBy), &[&by.label(lang)])}</p> }
                        });
                        view! { <div class="step">{hint}<StepForm id action=code submit=label /></div> }.into_any()
                    }
                    Action::JudgeNotValid | Action::ConfirmNotValid => {
                        let field = match (action, status) {
                            (Action::ConfirmNotValid, _) => t(StaffMsg::ConfirmReasonedReply),
                            (_, Status::Investigating) => t(StaffMsg::FindingsReply),
                            _ => t(StaffMsg::ActionReasonedReply),
                        };
                        view! {
                            <details class="step" open=action == Action::ConfirmNotValid><summary>{label.clone()}</summary>
                                <StepForm id action=code submit=label danger=true>
                                    <StepField name="body" label=field multiline=true />
                                    <SendAnyway />
                                </StepForm>
                            </details>
                        }.into_any()
                    }
                    Action::ReverseJudgement => view! {
                        <details class="step" open=true><summary>{label.clone()}</summary>
                            <StepForm id action=code submit=label>
                                <StepField name="reason" label=t(StaffMsg::ReverseReason) multiline=true />
                                <SendAnyway />
                            </StepForm>
                        </details>
                    }.into_any(),
                    Action::Assign => {
                        let departments = departments.clone();
                        view! {
                            <details class="step" open=true><summary>{label.clone()}</summary>
                                <StepForm id action=code submit=label><AssignFields departments prefix="assign" /></StepForm>
                            </details>
                        }.into_any()
                    }
                    Action::ProposeSolution => view! {
                        <details class="step" open=true><summary>{label.clone()}</summary>
                            <StepForm id action=code submit=label>
                                <StepField name="plan" label=t(StaffMsg::ActionPlan) multiline=true />
                                <StepField name="compensation_yuan" label=t(StaffMsg::ActionCompensation) inputmode="decimal" />
                                <p class="field-help">{t(StaffMsg::ApprovalHint)}</p>
                                <SendAnyway />
                            </StepForm>
                        </details>
                    }.into_any(),
                    Action::GrantApproval | Action::DenyApproval => view! {
                        <details class="step" open=action == Action::GrantApproval><summary>{label.clone()}</summary>
                            <StepForm id action=code submit=label danger=action == Action::DenyApproval>
                                <StepField name="reason" label=t(StaffMsg::ActionDecisionReason) multiline=true />
                            </StepForm>
                        </details>
                    }.into_any(),
                    Action::Resolve => {
                        // A plan above the handler's tier waits for its approver.
                        let waits = status == Status::SolutionProposed && approver.is_some();
                        view! {
                            <details class="step" open=!waits><summary>{label.clone()}</summary>
                                <StepForm id action=code submit=label>
                                    <StepField name="body" label=t(StaffMsg::ActionResult) multiline=true />
                                    <SendAnyway />
                                </StepForm>
                            </details>
                        }.into_any()
                    }
                    // Satisfied or not is decided by the answers, not by the button.
                    Action::RecordRevisit | Action::RecordUnsatisfiedRevisit => view! {
                        <details class="step" open=true><summary>{t(StaffMsg::LogRevisit)}</summary>
                            <StepForm id action=Action::RecordRevisit.code() submit=t(StaffMsg::LogRevisit)><RevisitFields /></StepForm>
                        </details>
                    }.into_any(),
                    Action::Close => {
                        // A 不成立 complaint has nobody responsible to name.
                        let responsibility = (status != Status::NotValid).then(|| {
                            let departments = departments.clone();
                            view! { <ResponsibilityFields departments /> }
                        });
                        view! {
                            <details class="step" open=true><summary>{label.clone()}</summary>
                                <StepForm id action=code submit=label>
                                    <StepField name="root_cause" label=t(StaffMsg::RootCause) multiline=true />
                                    <StepField name="corrective_action" label=t(StaffMsg::CorrectiveAction) multiline=true />
                                    {responsibility}
                                </StepForm>
                            </details>
                        }.into_any()
                    }
                    Action::Reopen => view! {
                        <details class="step"><summary>{label.clone()}</summary>
                            <StepForm id action=code submit=label danger=true>
                                <StepField name="reason" label=t(StaffMsg::ActionReopenReason) multiline=true />
                            </StepForm>
                        </details>
                    }.into_any(),
                    Action::Dispute | Action::AcceptJudgement => ().into_any(),
                }
            }).collect_view()}
            {waiting}
            {reassign}
            {correct}
        </section>
    }
}

/// Who was responsible (查明…具体责任人), the 四不放过 checks, and a training case.
#[component]
fn ResponsibilityFields(departments: Vec<crate::model::Department>) -> impl IntoView {
    let lang = current_lang();
    view! {
        <div class="field">
            <label for="close-responsible_department_id">{t(StaffMsg::ResponsibleDepartment)}</label>
            <select id="close-responsible_department_id" name="step[responsible_department_id]">
                <option value="">{t(StaffMsg::ChooseDepartment)}</option>
                {departments.into_iter().map(|d| view! {
                    <option value=d.id.to_string()>{d.name(lang).to_owned()}</option>
                }).collect_view()}
            </select>
            <StepMessage field="responsible_department_id" />
        </div>
        <StepField name="responsible_person" label=t(StaffMsg::ResponsiblePerson) />
        <fieldset class="field checks">
            <legend>{t(StaffMsg::ClosingChecks)}</legend>
            {ClosingCheck::ALL.iter().map(|c| view! {
                <label class="check">
                    <input type="checkbox" name="step[checks][]" value=c.code() />
                    {c.label(lang)}
                </label>
            }).collect_view()}
            <StepMessage field="checks" />
        </fieldset>
        <label class="check">
            <input type="checkbox" name="step[training_case]" value="on" />
            {t(StaffMsg::TrainingCase)}
        </label>
    }
}

/// Correcting the record: the category, the unit and the facts as they really are, with
/// the reason. The level is worked out again from them (the server says how).
#[component]
fn CorrectStep(id: i64, record: Record) -> impl IntoView {
    let lang = current_lang();
    let amount = if record.claimed_amount_fen == 0 {
        String::new()
    } else {
        domain::format_yuan(record.claimed_amount_fen)
    };
    view! {
        <details class="step" data-testid="correct"><summary>{t(StaffMsg::Correct)}</summary>
            <StepForm id action="correct" submit=t(StaffMsg::CorrectSubmit)>
                <div class="field">
                    <label for="correct-category">{t(crate::i18n::Msg::FieldCategory)}</label>
                    <select id="correct-category" name="step[category]">
                        {domain::Category::ALL.iter().map(|c| view! {
                            <option value=c.code() selected=*c == record.category>{c.label(lang)}</option>
                        }).collect_view()}
                    </select>
                    <StepMessage field="category" />
                </div>
                <StepField name="unit" label=t(crate::i18n::Msg::FieldUnit) value=record.unit.clone() />
                <StepField name="people_count" label=t(crate::i18n::Msg::FieldPeople) value=record.people_count.max(1).to_string() inputmode="numeric" />
                <StepField name="claimed_amount_yuan" label=t(crate::i18n::Msg::FieldAmount) value=amount inputmode="decimal" />
                <div class="field">
                    <label for="correct-impact">{t(crate::i18n::Msg::FieldImpact)}</label>
                    <select id="correct-impact" name="step[impact]">
                        <option value="" selected=record.impact.is_none()>{t(crate::i18n::Msg::ImpactUnstated)}</option>
                        {domain::Impact::ALL.iter().rev().map(|i| view! {
                            <option value=i.code() selected=Some(*i) == record.impact>{i.label(lang)}</option>
                        }).collect_view()}
                    </select>
                    <StepMessage field="impact" />
                </div>
                <fieldset class="field checks">
                    <legend>{t(crate::i18n::Msg::FieldFlags)}</legend>
                    {domain::RiskFlag::ALL.iter().map(|&f| view! {
                        <label class="check">
                            <input type="checkbox" name="step[flags][]" value=f.code() checked=record.flags.contains(&f) />
                            {f.label(lang)}
                        </label>
                    }).collect_view()}
                    <StepMessage field="flags" />
                </fieldset>
                <label class="check">
                    <input type="checkbox" name="step[emergency]" value="on" checked=record.emergency />
                    {t(crate::i18n::Msg::FieldEmergency)}
                </label>
                <StepField name="reason" label=t(StaffMsg::CorrectReason) multiline=true />
                <p class="field-help">{t(StaffMsg::CorrectHelp)}</p>
            </StepForm>
        </details>
    }
}

/// Waiting for the owner: start it with what the owner must do (the progress and
/// resolution clocks stop), or end it when they answered another way.
#[component]
fn WaitingStep(id: i64, waiting: Option<WaitingView>) -> impl IntoView {
    let lang = current_lang();
    match waiting {
        Some(w) => view! {
            <div class="step waiting" data-testid="waiting">
                <p><strong>{w.awaiting.label(lang)}</strong>" · "{fill(t(StaffMsg::WaitingSince), &[&format_time(w.since)])}</p>
                <p class="field-help">{w.note}</p>
                <StepForm id action="end_wait" submit=t(StaffMsg::EndWait)>
                    <StepField name="reason" label=t(StaffMsg::EndWaitNote) />
                </StepForm>
            </div>
        }.into_any(),
        None => view! {
            <details class="step"><summary>{t(StaffMsg::WaitForOwner)}</summary>
                <StepForm id action="wait_for_owner" submit=t(StaffMsg::WaitForOwner)>
                    <fieldset class="field choice">
                        <legend>{t(StaffMsg::WaitWhat)}</legend>
                        {Awaiting::ALL.iter().map(|a| view! {
                            <label class="check"><input type="radio" name="step[method]" value=a.code() />{a.label(lang)}</label>
                        }).collect_view()}
                        <StepMessage field="method" />
                    </fieldset>
                    <StepField name="reason" label=t(StaffMsg::WaitNote) multiline=true />
                    <p class="field-help">{t(StaffMsg::WaitHelp)}</p>
                </StepForm>
            </details>
        }.into_any(),
    }
}

/// One department, then one handler in it. Without JavaScript every handler is listed,
/// grouped by department.
#[component]
fn AssignFields(departments: Vec<Department>, prefix: &'static str) -> impl IntoView {
    let lang = current_lang();
    let department_id = format!("{prefix}-department");
    let handler_id = format!("{prefix}-handler");
    let departments = StoredValue::new(departments);
    let chosen = RwSignal::new(String::new());
    view! {
        <div class="field">
            <label for=department_id.clone()>{t(StaffMsg::ActionDepartment)}</label>
            <select id=department_id name="step[department_id]"
                on:change=move |ev| chosen.set(event_target_value(&ev))>
                <option value="">{t(StaffMsg::ChooseDepartment)}</option>
                {departments.get_value().into_iter().filter(|d| !d.handlers.is_empty()).map(|d| {
                    view! { <option value=d.id.to_string()>{d.name(lang).to_owned()}</option> }
                }).collect_view()}
            </select>
            <StepMessage field="department_id" />
        </div>
        <div class="field">
            <label for=handler_id.clone()>{t(StaffMsg::ActionHandler)}</label>
            <select id=handler_id name="step[handler_id]">
                <option value="">{t(StaffMsg::ChooseHandler)}</option>
                {move || {
                    let chosen = chosen.get();
                    let shown: Vec<Department> = departments.get_value().into_iter()
                        .filter(|d| !d.handlers.is_empty() && (chosen.is_empty() || d.id.to_string() == chosen))
                        .collect();
                    // One handler to choose from (in the chosen department, or at all): chosen.
                    let only = shown.iter().map(|d| d.handlers.len()).sum::<usize>() == 1;
                    shown.into_iter()
                        .map(|d| {
                            let label = d.name(lang).to_owned();
                            view! {
                                <optgroup label=label>
                                    {d.handlers.into_iter().map(|h| view! {
                                        <option value=h.id.to_string() selected=only>{h.name}</option>
                                    }).collect_view()}
                                </optgroup>
                            }
                        })
                        .collect_view()
                }}
            </select>
            <StepMessage field="handler_id" />
        </div>
    }
}

/// The revisit questions: process and result asked separately (rules.md "Satisfaction revisit").
#[component]
fn RevisitFields() -> impl IntoView {
    let lang = current_lang();
    let question = move |name: &'static str, label: StaffMsg| {
        view! {
            <fieldset class="field choice">
                <legend>{t(label)}</legend>
                {Satisfaction::ALL.iter().map(|s| view! {
                    <label class="check">
                        <input type="radio" name=format!("step[{name}]") value=s.code() />
                        {s.label(lang)}
                    </label>
                }).collect_view()}
                <StepMessage field=name />
            </fieldset>
        }
    };
    view! {
        <fieldset class="field choice">
            <legend>{t(StaffMsg::RevisitMethod)}</legend>
            <label class="check"><input type="radio" name="step[method]" value="phone" checked=true />{t(StaffMsg::MethodPhone)}</label>
            <label class="check"><input type="radio" name="step[method]" value="visit" />{t(StaffMsg::MethodVisit)}</label>
            <StepMessage field="method" />
        </fieldset>
        {question("process", StaffMsg::QProcess)}
        {question("timeliness", StaffMsg::QTimeliness)}
        {question("attitude", StaffMsg::QAttitude)}
        {question("result", StaffMsg::QResult)}
        <div class="field">
            <label for="revisit-overall">{t(StaffMsg::QOverall)}</label>
            <select id="revisit-overall" name="step[overall]">
                {(1..=5).rev().map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
            </select>
            <StepMessage field="overall" />
        </div>
        <StepField name="comment" label=t(StaffMsg::QComment) multiline=true />
    }
}
