//! Transitions of the lifecycle (rules.md "Lifecycle" 2–8) and what each records.

use app::error::{AppError, AppResult};
use app::model::EventKind;
use domain::fields::{bounded_text, Field};
use domain::{
    check, check_resolve, Action, ClosingReport, NotValidReply, Policy, Role, SolutionPlan, Status,
};
use sqlx::{AnyConnection, Row};

use super::messages::touch_contact;
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
    match action {
        Action::JudgeValid | Action::StartInvestigation => {}
        Action::JudgeNotValid => {
            let reply = NotValidReply::parse(&ctx.input.body).map_err(|e| ctx.field_error(e))?;
            body = Some(reply.as_str().to_owned());
            touch_contact(conn, complaint.id, ctx, true).await?;
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
            sqlx::query("UPDATE complaints SET solution = $2, compensation_fen = $3, last_progress_at = $4 WHERE id = $1")
                .bind(complaint.id)
                .bind(plan.plan())
                .bind(i64::try_from(fen).unwrap_or(i64::MAX))
                .bind(to_ms(ctx.now))
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
            request_approval(conn, ctx, complaint).await?;
        }
        Action::GrantApproval | Action::DenyApproval => {
            (kind, public) = (EventKind::Approval, false);
            body = decide_approval(conn, ctx, complaint, action == Action::GrantApproval).await?;
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
            resolve(conn, ctx, complaint).await?;
            // Telling the owner the result is a substantive reply.
            touch_contact(conn, complaint.id, ctx, true).await?;
            body = Some(result);
        }
        Action::RecordRevisit | Action::RecordUnsatisfiedRevisit => {
            let logged = revisit::log_by_staff(conn, ctx, complaint, policy).await?;
            action = logged.action;
            check(from, action, ctx.actor.role).map_err(|e| ctx.refused(e))?;
            kind = EventKind::Revisit;
            body = Some(logged.summary);
        }
        Action::Close => {
            let report = ClosingReport::parse(&ctx.input.root_cause, &ctx.input.corrective_action)
                .map_err(|e| ctx.field_error(e))?;
            sqlx::query("UPDATE complaints SET root_cause = $2, corrective_action = $3, closed_at = $4 WHERE id = $1")
                .bind(complaint.id)
                .bind(report.root_cause())
                .bind(report.corrective_action())
                .bind(to_ms(ctx.now))
                .execute(&mut *conn)
                .await
                .map_err(db("closing"))?;
            let text = format!(
                "根本原因:{}\n纠正和预防措施:{}",
                report.root_cause(),
                report.corrective_action()
            );
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
                    zh: format!("投诉 {} 已重新打开,请继续处理", complaint.tracking_code),
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
        Action::OwnerResponds => return Err(AppError::Forbidden),
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
        "UPDATE complaints SET status = $3, updated_at = $4, agent_id = COALESCE(agent_id, $5)
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
            domain::Lang::Zh => "这件投诉刚被其他人更新,请刷新后再操作".to_owned(),
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
    Ok(format!("{department_name} · {name}"))
}

async fn request_approval(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
) -> AppResult<()> {
    let plan = complaint.solution.clone().unwrap_or_default();
    sqlx::query(
        "INSERT INTO approvals (complaint_id, plan, compensation_fen, requested_by, requested_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(complaint.id)
    .bind(&plan)
    .bind(i64::try_from(complaint.compensation_fen).unwrap_or(i64::MAX))
    .bind(ctx.actor.user_id)
    .bind(to_ms(ctx.now))
    .execute(&mut *conn)
    .await
    .map_err(db("requesting approval"))?;
    let amount = domain::format_yuan(complaint.compensation_fen);
    let message = Message {
        kind: "approval_requested",
        zh: format!(
            "投诉 {} 的方案待您审批(赔偿 {amount})",
            complaint.tracking_code
        ),
        en: format!(
            "The solution for {} awaits your approval (compensation {amount})",
            complaint.tracking_code
        ),
    };
    let supervisors = notifications::supervisors(&mut *conn)
        .await
        .map_err(db("finding supervisors"))?;
    notifications::notify(
        &mut *conn,
        &supervisors,
        Some(complaint.id),
        &message,
        ctx.now,
    )
    .await
    .map_err(db("notifying"))
}

/// Grants or denies the pending request; a denial needs a reason.
async fn decide_approval(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
    grant: bool,
) -> AppResult<Option<String>> {
    let reason = ctx.input.reason.trim();
    let reason = if grant && reason.is_empty() {
        None
    } else {
        Some(bounded_text(REASON, reason, 2, 1000).map_err(|e| ctx.field_error(e))?)
    };
    let pending = sqlx::query(
        "SELECT id, requested_by FROM approvals WHERE complaint_id = $1 AND decided_at IS NULL ORDER BY id DESC LIMIT 1",
    )
    .bind(complaint.id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db("finding the approval request"))?
    .ok_or_else(|| AppError::Conflict("没有待审批的申请 / Nothing awaits approval".to_owned()))?;
    let (approval, requester): (i64, i64) = (
        pending.try_get(0).map_err(db("reading an approval"))?,
        pending.try_get(1).map_err(db("reading an approval"))?,
    );
    sqlx::query("UPDATE approvals SET decided_by = $2, decided_at = $3, decision = $4, reason = $5 WHERE id = $1")
        .bind(approval)
        .bind(ctx.actor.user_id)
        .bind(to_ms(ctx.now))
        .bind(if grant { "granted" } else { "denied" })
        .bind(reason.as_deref())
        .execute(&mut *conn)
        .await
        .map_err(db("deciding an approval"))?;
    let (zh, en) = if grant {
        ("已批准", "approved")
    } else {
        ("未批准", "denied")
    };
    let message = Message {
        kind: if grant {
            "approval_granted"
        } else {
            "approval_denied"
        },
        zh: format!("投诉 {} 的方案{zh}", complaint.tracking_code),
        en: format!("The solution for {} was {en}", complaint.tracking_code),
    };
    let mut told = vec![requester];
    told.extend(complaint.handler_id.filter(|h| *h != requester));
    notifications::notify(&mut *conn, &told, Some(complaint.id), &message, ctx.now)
        .await
        .map_err(db("notifying"))?;
    Ok(reason)
}

/// Resolved: the resolution clock stops and a new revisit round opens (every resolved
/// complaint is revisited, rules.md "Lifecycle" 7).
async fn resolve(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE complaints SET resolved_at = $2, last_progress_at = $2, revisit_round = revisit_round + 1 WHERE id = $1",
    )
    .bind(complaint.id)
    .bind(to_ms(ctx.now))
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
