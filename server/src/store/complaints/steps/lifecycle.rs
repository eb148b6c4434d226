//! Transitions of the lifecycle (rules.md "Lifecycle" 2–8) and what each records.

use app::error::{AppError, AppResult};
use app::model::EventKind;
use domain::fields::{bounded_text, Field};
use domain::{
    check, check_resolve, Action, ApprovalPolicy, Approver, Authority, ClosingReport,
    NotValidReply, Policy, Position, Responsibility, Role, SolutionPlan, Status,
};
use sqlx::{AnyConnection, Row};

use super::messages::{review_public, touch_contact, Touch};
use super::{revisit, Ctx};
use crate::error::db;
use crate::store::complaints::row::ComplaintRow;
use crate::store::events::{self, NewEvent};
use crate::store::notifications::{self, Message};
use crate::store::to_ms;

const REASON: Field = Field {
    name: "reason",
    zh: "理由",
    en: "reason",
};
const RESULT: Field = Field {
    name: "body",
    zh: "处理结果说明",
    en: "result for the owner",
};

pub async fn transition(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
    action: Action,
    policy: &Policy,
) -> AppResult<()> {
    let (mut action, from) = (action, complaint.status);
    check(from, action, ctx.actor.role).map_err(|e| ctx.refused(e))?;
    // What the owner reads on the timeline, and whether they read it at all.
    let mut kind = EventKind::Status;
    let mut public = true;
    let mut body: Option<String> = None;
    let mut body_en: Option<String> = None;
    match action {
        Action::JudgeValid | Action::StartInvestigation => {}
        Action::JudgeNotValid => {
            let reply = not_valid_reply(conn, ctx, complaint).await?;
            sqlx::query("UPDATE complaints SET judged_by = $2 WHERE id = $1")
                .bind(complaint.id)
                .bind(ctx.actor.user_id)
                .execute(&mut *conn)
                .await
                .map_err(db("recording who judged"))?;
            body = Some(reply);
            touch_contact(conn, complaint.id, ctx, Touch::written(ctx)).await?;
        }
        Action::ConfirmNotValid | Action::ReverseJudgement => {
            if complaint.judged_by == Some(ctx.actor.user_id) {
                return Err(AppError::Conflict(match ctx.lang {
                    domain::Lang::Zh => "申诉须由作出不成立判定以外的主管复核".to_owned(),
                    domain::Lang::En => {
                        "A dispute is decided by a supervisor other than the one who judged it"
                            .to_owned()
                    }
                }));
            }
            kind = EventKind::Dispute;
            body = Some(if action == Action::ConfirmNotValid {
                not_valid_reply(conn, ctx, complaint).await?
            } else {
                let reason = bounded_text(REASON, &ctx.input.reason, 2, 1000)
                    .map_err(|e| ctx.field_error(e))?;
                review_public(conn, ctx, complaint.id, "reason", &reason).await?;
                reason
            });
            touch_contact(conn, complaint.id, ctx, Touch::written(ctx)).await?;
        }
        Action::Assign => {
            kind = EventKind::Assignment;
            body = Some(assign(conn, ctx, complaint).await?);
        }
        Action::ProposeSolution => {
            kind = EventKind::Solution;
            let fen = domain::money::parse_yuan(&ctx.input.compensation_yuan, "compensation_yuan")
                .map_err(|e| ctx.field_error(e))?;
            let plan = SolutionPlan::parse(&ctx.input.plan, fen).map_err(|e| ctx.field_error(e))?;
            review_public(conn, ctx, complaint.id, "plan", plan.plan()).await?;
            sqlx::query("UPDATE complaints SET solution = $2, compensation_fen = $3, last_progress_at = $4, solution_by = $5 WHERE id = $1")
                .bind(complaint.id)
                .bind(plan.plan())
                .bind(i64::try_from(fen).unwrap_or(i64::MAX))
                .bind(to_ms(ctx.now))
                .bind(ctx.actor.user_id)
                .execute(&mut *conn)
                .await
                .map_err(db("saving a solution"))?;
            // The amount agreed is a fact of the grading table: it raises the level now,
            // not at the next tick of the SLA job.
            if fen > complaint.compensation_fen {
                let updated = ComplaintRow {
                    compensation_fen: fen,
                    ..complaint.clone()
                };
                let facts = updated.facts_at(ctx.now);
                crate::store::complaints::regrading::raise(conn, &updated, &facts, policy, ctx.now)
                    .await
                    .map_err(db("raising a level"))?;
            }
            body = Some(plan.plan().to_owned());
        }
        Action::RequestApproval => {
            (kind, public) = (EventKind::Approval, false);
            request_approval(conn, ctx, complaint, &policy.approval).await?;
        }
        Action::GrantApproval | Action::DenyApproval => {
            (kind, public) = (EventKind::Approval, false);
            body = decide_approval(
                conn,
                ctx,
                complaint,
                action == Action::GrantApproval,
                &policy.approval,
            )
            .await?;
        }
        Action::Resolve => {
            let plan = SolutionPlan::parse(
                complaint.solution.as_deref().unwrap_or(""),
                complaint.compensation_fen,
            )
            .map_err(|e| ctx.field_error(e))?;
            check_resolve(from, ctx.actor.role, &plan, &policy.approval)
                .map_err(|e| ctx.refused(e))?;
            let result =
                bounded_text(RESULT, &ctx.input.body, 2, 2000).map_err(|e| ctx.field_error(e))?;
            review_public(conn, ctx, complaint.id, "body", &result).await?;
            resolve(conn, ctx, complaint).await?;
            // Telling the owner the result is a substantive reply.
            touch_contact(conn, complaint.id, ctx, Touch::written(ctx)).await?;
            body = Some(result);
        }
        Action::RecordRevisit | Action::RecordUnsatisfiedRevisit => {
            let logged = revisit::log_by_staff(conn, ctx, complaint, policy).await?;
            action = logged.action;
            check(from, action, ctx.actor.role).map_err(|e| ctx.refused(e))?;
            kind = EventKind::Revisit;
            body = Some(logged.summary.0);
            body_en = Some(logged.summary.1);
        }
        Action::Close => {
            let report = ClosingReport::parse(&ctx.input.root_cause, &ctx.input.corrective_action)
                .map_err(|e| ctx.field_error(e))?;
            // A valid complaint names who was responsible; a 不成立 one has nobody to name.
            let responsibility = if from == Status::NotValid {
                None
            } else {
                Some(responsibility(conn, ctx).await?)
            };
            let checks: Vec<&str> = responsibility
                .iter()
                .flat_map(|r| r.checks.iter().map(|c| c.code()))
                .collect();
            sqlx::query(
                "UPDATE complaints SET root_cause = $2, corrective_action = $3, closed_at = $4,
                    responsible_department_id = $5, responsible_person = $6, closing_checks = $7,
                    training_case = $8
                 WHERE id = $1",
            )
            .bind(complaint.id)
            .bind(report.root_cause())
            .bind(report.corrective_action())
            .bind(to_ms(ctx.now))
            .bind(responsibility.as_ref().map(|r| r.department_id))
            .bind(responsibility.as_ref().map(|r| r.person.clone()))
            .bind(serde_json::to_string(&checks).unwrap_or_else(|_| "[]".to_owned()))
            .bind(i64::from(
                responsibility.as_ref().is_some_and(|r| r.training_case),
            ))
            .execute(&mut *conn)
            .await
            .map_err(db("closing"))?;
            let mut text = format!(
                "根本原因：{}\n纠正和预防措施：{}",
                report.root_cause(),
                report.corrective_action()
            );
            if let Some(r) = &responsibility {
                let met: Vec<&str> = r.checks.iter().map(|c| c.label(domain::Lang::Zh)).collect();
                text.push_str(&format!(
                    "\n责任人：{}\n四不放过：{}{}",
                    if r.person.is_empty() {
                        "—"
                    } else {
                        &r.person
                    },
                    if met.is_empty() {
                        "未确认".to_owned()
                    } else {
                        met.join("、")
                    },
                    if r.training_case {
                        "\n列为培训案例"
                    } else {
                        ""
                    }
                ));
            }
            let note = NewEvent::internal(complaint.id, ctx.now, EventKind::Note)
                .by(ctx.actor)
                .body(&text);
            events::append(&mut *conn, note)
                .await
                .map_err(db("recording a closing report"))?;
        }
        Action::Reopen => {
            let reason =
                bounded_text(REASON, &ctx.input.reason, 2, 1000).map_err(|e| ctx.field_error(e))?;
            if let Some(handler) = complaint.handler_id {
                let message = Message {
                    kind: "reopened",
                    zh: format!("投诉 {} 已重新打开，请继续处理", complaint.tracking_code),
                    en: format!(
                        "Complaint {} was reopened; please handle it again",
                        complaint.tracking_code
                    ),
                };
                notifications::notify(
                    &mut *conn,
                    &[handler],
                    Some(complaint.id),
                    &message,
                    ctx.now,
                )
                .await
                .map_err(db("notifying"))?;
            }
            body = Some(reason);
        }
        // The owner answers a judgement from the tracking page, never through a staff step.
        Action::Dispute | Action::AcceptJudgement => return Err(AppError::Forbidden),
    }
    let to = check(from, action, ctx.actor.role).map_err(|e| ctx.refused(e))?;
    set_status(conn, ctx, complaint, from, to).await?;
    if public {
        // Every step the owner can see is news for them: the progress clock restarts.
        sqlx::query("UPDATE complaints SET last_progress_at = $2 WHERE id = $1")
            .bind(complaint.id)
            .bind(to_ms(ctx.now))
            .execute(&mut *conn)
            .await
            .map_err(db("recording progress"))?;
    }
    let mut event = NewEvent::public(complaint.id, ctx.now, kind)
        .by(ctx.actor)
        .before(from.code())
        .after(to.code());
    event.public = public;
    if let Some(text) = body.as_deref() {
        event = event.body(text);
    }
    event.body_en = body_en.as_deref();
    events::append(&mut *conn, event)
        .await
        .map_err(db("recording a step"))?;
    Ok(())
}

/// Moves the status only if nobody else moved it meanwhile. The receiving agent becomes
/// accountable for the complaint until it is closed (首问负责制).
async fn set_status(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
    from: Status,
    to: Status,
) -> AppResult<()> {
    let agent = (ctx.actor.role == Role::Agent).then_some(ctx.actor.user_id);
    let done = sqlx::query(
        "UPDATE complaints SET status = $3, updated_at = $4, agent_id = COALESCE(agent_id, $5),
            accepted_at = CASE WHEN $3 = 'accepted' THEN COALESCE(accepted_at, $4) ELSE accepted_at END,
            plan_at = CASE WHEN $3 = 'solution_proposed' THEN COALESCE(plan_at, $4) ELSE plan_at END
         WHERE id = $1 AND status = $2",
    )
    .bind(complaint.id)
    .bind(from.code())
    .bind(to.code())
    .bind(to_ms(ctx.now))
    .bind(agent)
    .execute(&mut *conn)
    .await
    .map_err(db("changing a status"))?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(match ctx.lang {
            domain::Lang::Zh => "这件投诉刚被其他人更新，请刷新后再操作".to_owned(),
            domain::Lang::En => {
                "Someone else just updated this complaint; please reload and try again".to_owned()
            }
        }));
    }
    Ok(())
}

/// One department and one named handler in it; returns "部门 · 处理人" for the timeline.
pub(super) async fn assign(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
) -> AppResult<String> {
    let department: i64 = ctx.input.department_id.trim().parse().map_err(|_| {
        ctx.invalid(
            "department_id",
            "请选择责任部门",
            "Choose the responsible department",
        )
    })?;
    let handler: i64 = ctx
        .input
        .handler_id
        .trim()
        .parse()
        .map_err(|_| ctx.invalid("handler_id", "请选择一位处理人", "Choose one handler"))?;
    let found = sqlx::query(
        "SELECT u.display_name, d.name_zh FROM users u JOIN departments d ON d.id = u.department_id
         WHERE u.id = $1 AND u.department_id = $2 AND u.role = $3 AND u.active = 1",
    )
    .bind(handler)
    .bind(department)
    .bind(Role::Handler.code())
    .fetch_optional(&mut *conn)
    .await
    .map_err(db("checking a handler"))?
    .ok_or_else(|| {
        ctx.invalid(
            "handler_id",
            "处理人不属于所选部门",
            "That handler is not in the chosen department",
        )
    })?;
    let (name, department_name): (String, String) = (
        found.try_get(0).map_err(db("reading a handler"))?,
        found.try_get(1).map_err(db("reading a department"))?,
    );
    sqlx::query("UPDATE complaints SET department_id = $2, handler_id = $3 WHERE id = $1")
        .bind(complaint.id)
        .bind(department)
        .bind(handler)
        .execute(&mut *conn)
        .await
        .map_err(db("assigning"))?;
    crate::store::classifier::record_label(
        conn,
        complaint.id,
        complaint.category,
        crate::store::classifier::ASSIGNED,
        ctx.actor.user_id,
        ctx.now,
    )
    .await
    .map_err(db("recording a confirmed category"))?;
    let message = Message {
        kind: "assigned",
        zh: format!("新分派给您的投诉 {}", complaint.tracking_code),
        en: format!("Complaint {} was assigned to you", complaint.tracking_code),
    };
    notifications::notify(
        &mut *conn,
        &[handler],
        Some(complaint.id),
        &message,
        ctx.now,
    )
    .await
    .map_err(db("notifying"))?;
    // A serious complaint reaching a department: its manager takes charge (seed 000).
    if complaint.level.is_more_severe_than(domain::Level::Three) {
        let level = complaint.level.label(domain::Lang::Zh);
        let message = Message {
            kind: "level_assigned",
            zh: format!(
                "{level}投诉 {} 已分派到{department_name}（{name}）：请部门经理出面督办，1个工作日内与业主商定处理方案",
                complaint.tracking_code
            ),
            en: format!(
                "{} complaint {} was assigned to your department ({name}): take charge as its manager and agree a plan with the owner within 1 working day",
                complaint.level.label(domain::Lang::En),
                complaint.tracking_code
            ),
        };
        let mut positions = ctx.policy.escalation.level_2.clone();
        if complaint.level == domain::Level::One {
            positions.extend(ctx.policy.escalation.level_1.iter().copied());
        }
        let mut told: Vec<i64> = Vec::new();
        for position in positions {
            for user in notifications::holders(&mut *conn, position, Some(department))
                .await
                .map_err(db("finding who is told"))?
            {
                if !told.contains(&user) && user != handler && user != ctx.actor.user_id {
                    told.push(user);
                }
            }
        }
        notifications::notify(&mut *conn, &told, Some(complaint.id), &message, ctx.now)
            .await
            .map_err(db("notifying"))?;
    }
    Ok(format!("{department_name} · {name}"))
}

/// Asks the tier that covers the plan's amount; tells the people who hold it.
async fn request_approval(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
    policy: &ApprovalPolicy,
) -> AppResult<()> {
    let plan = complaint.solution.clone().unwrap_or_default();
    // Asked for although the handler could decide alone: a supervisor decides.
    let approver = policy
        .approver_for(complaint.compensation_fen)
        .max(Approver::Supervisor);
    sqlx::query(
        "INSERT INTO approvals (complaint_id, plan, compensation_fen, requested_by, requested_at, approver) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(complaint.id)
    .bind(&plan)
    .bind(i64::try_from(complaint.compensation_fen).unwrap_or(i64::MAX))
    .bind(ctx.actor.user_id)
    .bind(to_ms(ctx.now))
    .bind(approver.code())
    .execute(&mut *conn)
    .await
    .map_err(db("requesting approval"))?;
    let amount = domain::format_yuan(complaint.compensation_fen);
    let message = Message {
        kind: "approval_requested",
        zh: format!(
            "投诉 {} 的方案待您审批（补偿 {amount}，须{}审批）",
            complaint.tracking_code,
            approver.label(domain::Lang::Zh)
        ),
        en: format!(
            "The solution for {} awaits your approval (compensation {amount}; {} tier)",
            complaint.tracking_code,
            approver.label(domain::Lang::En)
        ),
    };
    let mut told = notifications::holders(&mut *conn, approver, complaint.department_id)
        .await
        .map_err(db("finding approvers"))?;
    told.retain(|u| *u != ctx.actor.user_id);
    if told.is_empty() {
        // Nobody holds the position yet: the supervisors must see it rather than no one.
        told = notifications::supervisors(&mut *conn)
            .await
            .map_err(db("finding supervisors"))?;
    }
    notifications::notify(&mut *conn, &told, Some(complaint.id), &message, ctx.now)
        .await
        .map_err(db("notifying"))
}

/// The position of a staff member (`None`: holds none).
async fn position_of(conn: &mut AnyConnection, user_id: i64) -> AppResult<Option<Position>> {
    let position: Option<String> = sqlx::query_scalar("SELECT position FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db("reading a position"))?;
    Ok(position.as_deref().and_then(Position::parse))
}

/// Grants or denies the pending request; a denial needs a reason. Only someone with the
/// authority of the plan's tier decides, and never the person who proposed or submitted it.
async fn decide_approval(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
    grant: bool,
    policy: &ApprovalPolicy,
) -> AppResult<Option<String>> {
    let pending = sqlx::query(
        "SELECT id, requested_by, compensation_fen FROM approvals WHERE complaint_id = $1 AND decided_at IS NULL ORDER BY id DESC LIMIT 1",
    )
    .bind(complaint.id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db("finding the approval request"))?
    .ok_or_else(|| AppError::Conflict("没有待审批的申请 / Nothing awaits approval".to_owned()))?;
    let (approval, requester, fen): (i64, i64, i64) = (
        pending.try_get(0).map_err(db("reading an approval"))?,
        pending.try_get(1).map_err(db("reading an approval"))?,
        pending.try_get(2).map_err(db("reading an approval"))?,
    );
    let fen = u64::try_from(fen).unwrap_or(0);
    let who = Authority {
        role: ctx.actor.role,
        position: position_of(conn, ctx.actor.user_id).await?,
        in_complaint_department: ctx.actor.department_id.is_some()
            && ctx.actor.department_id == complaint.department_id,
        own_plan: requester == ctx.actor.user_id
            || complaint.solution_by == Some(ctx.actor.user_id),
    };
    // Asked for although the handler could decide alone: a supervisor decides.
    let tiers = if policy.needs_approval(fen) {
        policy.clone()
    } else {
        ApprovalPolicy {
            every_plan_needs_approval: true,
            ..policy.clone()
        }
    };
    domain::may_decide(who, fen, &tiers)
        .map_err(|refusal| AppError::Conflict(refusal.message(ctx.lang)))?;
    let reason = ctx.input.reason.trim();
    let reason = if grant && reason.is_empty() {
        None
    } else {
        Some(bounded_text(REASON, reason, 2, 1000).map_err(|e| ctx.field_error(e))?)
    };
    sqlx::query("UPDATE approvals SET decided_by = $2, decided_at = $3, decision = $4, reason = $5 WHERE id = $1")
        .bind(approval)
        .bind(ctx.actor.user_id)
        .bind(to_ms(ctx.now))
        .bind(if grant { "granted" } else { "denied" })
        .bind(reason.as_deref())
        .execute(&mut *conn)
        .await
        .map_err(db("deciding an approval"))?;
    audit_decision(conn, ctx, complaint, grant, fen).await?;
    let (zh, en) = if grant {
        ("已批准", "approved")
    } else {
        ("未批准，已退回处理人", "denied and returned to the handler")
    };
    let why = reason
        .as_deref()
        .map(|r| format!(":{r}"))
        .unwrap_or_default();
    let message = Message {
        kind: if grant {
            "approval_granted"
        } else {
            "approval_denied"
        },
        zh: format!("投诉 {} 的方案{zh}{why}", complaint.tracking_code),
        en: format!("The solution for {} was {en}{why}", complaint.tracking_code),
    };
    let mut told = vec![requester];
    told.extend(complaint.handler_id.filter(|h| *h != requester));
    notifications::notify(&mut *conn, &told, Some(complaint.id), &message, ctx.now)
        .await
        .map_err(db("notifying"))?;
    Ok(reason)
}

/// Approvals are in the audit log as well as on the (internal) timeline.
async fn audit_decision(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
    grant: bool,
    fen: u64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, target, before_value, after_value)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(to_ms(ctx.now))
    .bind(ctx.actor.user_id)
    .bind(if grant {
        "approval_granted"
    } else {
        "approval_denied"
    })
    .bind(format!("complaint:{}", complaint.id))
    .bind(complaint.status.code())
    .bind(fen.to_string())
    .execute(&mut *conn)
    .await
    .map_err(db("auditing an approval"))?;
    Ok(())
}

/// The reasoned 不成立 reply from the form, checked for length and forbidden phrases.
async fn not_valid_reply(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
) -> AppResult<String> {
    let reply = NotValidReply::parse(&ctx.input.body).map_err(|e| {
        ctx.field_error(domain::FieldError::new(
            "body",
            e.message(domain::Lang::Zh),
            e.message(domain::Lang::En),
        ))
    })?;
    review_public(conn, ctx, complaint.id, "body", reply.as_str()).await?;
    Ok(reply.as_str().to_owned())
}

/// The responsibility part of the closing form; the department must exist.
async fn responsibility(conn: &mut AnyConnection, ctx: &Ctx<'_>) -> AppResult<Responsibility> {
    let r = Responsibility::parse(
        &ctx.input.responsible_department_id,
        &ctx.input.responsible_person,
        &ctx.input.checks,
        &ctx.input.training_case,
    )
    .map_err(|e| ctx.field_error(e))?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM departments WHERE id = $1")
        .bind(r.department_id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db("checking a department"))?;
    if exists.is_none() {
        return Err(ctx.invalid(
            "responsible_department_id",
            "请选择责任部门",
            "Choose the responsible department",
        ));
    }
    Ok(r)
}

/// Resolved: the resolution clock stops and a new revisit round opens (every resolved
/// complaint is revisited, rules.md "Lifecycle" 7).
async fn resolve(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
) -> AppResult<()> {
    // The revisit clock: by default the close of the same working day.
    let calendar = ctx.calendar;
    let sla = domain::SlaContext::new(ctx.policy, calendar);
    let revisit_due = ctx.policy.revisit.due(ctx.now, &sla.working_time());
    sqlx::query(
        "UPDATE complaints SET resolved_at = $2, last_progress_at = $2, revisit_round = revisit_round + 1,
            revisit_due_at = $3,
            report_owed_since = CASE WHEN report_submitted_at IS NULL THEN $2 ELSE report_owed_since END
         WHERE id = $1",
    )
    .bind(complaint.id)
    .bind(to_ms(ctx.now))
    .bind(to_ms(revisit_due))
    .execute(&mut *conn)
    .await
    .map_err(db("resolving"))?;
    revisit::open_round(
        conn,
        complaint,
        complaint.revisit_round + 1,
        ctx.public_url,
        ctx.now,
    )
    .await
}
