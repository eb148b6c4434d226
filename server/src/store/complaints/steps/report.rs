//! The handling report submitted to the general manager (001 第5篇 第六条: 报告呈总经理批示):
//! once per complaint after its resolution, by staff who may act on it. It stops the report
//! stage clock, goes on the internal timeline, and the general manager is told, with a link
//! to the printable report.

use app::access::{may, Doing, Scope};
use app::error::{AppError, AppResult};
use app::model::{Actor, EventKind};
use domain::{Approver, Lang, Status};
use sqlx::AnyConnection;

use super::Ctx;
use crate::error::db;
use crate::store::complaints::row::ComplaintRow;
use crate::store::events::{self, NewEvent};
use crate::store::notifications::{self, Message};
use crate::store::to_ms;

/// Whether the report of `complaint` may be submitted now: resolved (and still resolved,
/// revisited or closed).
pub fn due(complaint: &ComplaintRow) -> bool {
    complaint.resolved_at.is_some()
        && matches!(
            complaint.status,
            Status::Resolved | Status::Revisited | Status::Closed
        )
}

/// Whether `actor` may submit the report of `complaint` now: it is due, and a step on it is
/// theirs to take.
pub fn may_submit(actor: &Actor, complaint: &ComplaintRow) -> bool {
    let scope = Scope {
        department_id: complaint.department_id,
        handler_id: complaint.handler_id,
    };
    due(complaint) && may(Some(actor), Doing::ActOn(scope))
}

/// `submit_report` (the caller has checked that the step is the actor's to take).
pub async fn submit(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
) -> AppResult<()> {
    if !due(complaint) {
        return Err(AppError::Conflict(match ctx.lang {
            Lang::Zh => "投诉解决后才能呈报处理报告".to_owned(),
            Lang::En => {
                "The handling report is submitted once the complaint is resolved".to_owned()
            }
        }));
    }
    let done = sqlx::query(
        "UPDATE complaints SET report_submitted_at = $2, report_submitted_by = $3
         WHERE id = $1 AND report_submitted_at IS NULL",
    )
    .bind(complaint.id)
    .bind(to_ms(ctx.now))
    .bind(ctx.actor.user_id)
    .execute(&mut *conn)
    .await
    .map_err(db("submitting a report"))?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(match ctx.lang {
            Lang::Zh => "处理报告已经呈报过".to_owned(),
            Lang::En => "The handling report was already submitted".to_owned(),
        }));
    }
    let code = &complaint.tracking_code;
    let message = Message {
        kind: "report_submitted",
        zh: format!(
            "投诉 {code} 的处理报告已由{}呈报，请审阅并批示（在投诉页打开“处理报告”）",
            ctx.actor.display_name
        ),
        en: format!(
            "The handling report of {code} was submitted by {}: please read it and give your instructions (open \"Handling report\" on the complaint)",
            ctx.actor.display_name
        ),
    };
    let managers = notifications::chain(conn, &[Approver::GeneralManager], None)
        .await
        .map_err(db("finding the general manager"))?;
    notifications::notify(conn, &managers, Some(complaint.id), &message, ctx.now)
        .await
        .map_err(db("notifying"))?;
    let event = NewEvent::internal(complaint.id, ctx.now, EventKind::Note)
        .by(ctx.actor)
        .body_both(
            "处理报告已呈报总经理",
            "Handling report submitted to the general manager",
        )
        .after("report_submitted");
    events::append(&mut *conn, event)
        .await
        .map_err(db("recording a report"))?;
    Ok(())
}
