//! Waiting for the owner (app/domain/docs/working-time.md "Pauses"): staff start a wait
//! with what the owner must do, and end it; the owner's own message ends it too. While it
//! lasts the progress-update and resolution clocks stand still.

use app::error::AppResult;
use app::model::EventKind;
use chrono::{DateTime, Utc};
use domain::waiting::{self, Awaiting, WaitError};
use sqlx::AnyConnection;

use super::Ctx;
use crate::error::db;
use crate::store::complaints::row::{waits_json, ComplaintRow};
use crate::store::events::{self, NewEvent};
use crate::store::to_ms;

/// Starts waiting for the owner: what is awaited (`method`) and the owner-facing note
/// (`reason`), both on the public timeline.
pub async fn start(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
) -> AppResult<()> {
    if !complaint.status.is_open() {
        return Err(ctx.invalid(
            "method",
            "投诉已不在处理中，无需等待业主",
            "The complaint is no longer open",
        ));
    }
    let awaiting = Awaiting::parse(ctx.input.method.trim()).ok_or_else(|| {
        ctx.invalid(
            "method",
            "请选择需要业主做什么",
            "Choose what the owner needs to do",
        )
    })?;
    let mut waits = complaint.waits.clone();
    let wait = waiting::start(&waits, awaiting, &ctx.input.reason, ctx.now)
        .map_err(|e| refused(ctx, &e))?;
    let event = NewEvent::public(complaint.id, ctx.now, EventKind::Waiting)
        .by(ctx.actor)
        .after(awaiting.code())
        .body(&wait.note);
    waits.push(wait.clone());
    store(conn, complaint, &waits, Some(ctx.now), ctx.now)
        .await
        .map_err(db("starting a wait"))?;
    events::append(&mut *conn, event)
        .await
        .map_err(db("recording a wait"))
        .map(|_| ())
}

/// Staff end the wait (the owner answered by phone, gave access, confirmed).
pub async fn end(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
) -> AppResult<()> {
    let mut waits = complaint.waits.clone();
    waiting::end(&mut waits, ctx.now).map_err(|e| refused(ctx, &e))?;
    store(conn, complaint, &waits, None, ctx.now)
        .await
        .map_err(db("ending a wait"))?;
    let note = ctx.input.reason.trim();
    let event = NewEvent::public(complaint.id, ctx.now, EventKind::Waiting)
        .by(ctx.actor)
        .after("ended");
    let event = if note.is_empty() {
        event
    } else {
        event.body(note)
    };
    events::append(&mut *conn, event)
        .await
        .map_err(db("ending a wait"))
        .map(|_| ())
}

/// The owner wrote while we were waiting for them: the wait ends with their message.
/// Returns whether a wait ended.
pub async fn end_by_owner(
    conn: &mut AnyConnection,
    complaint: &ComplaintRow,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let mut waits = complaint.waits.clone();
    if waiting::end(&mut waits, now).is_err() {
        return Ok(false);
    }
    store(conn, complaint, &waits, None, now).await?;
    let event = NewEvent::public(complaint.id, now, EventKind::Waiting)
        .by_role(domain::Role::Owner)
        .after("ended");
    events::append(&mut *conn, event).await?;
    Ok(true)
}

async fn store(
    conn: &mut AnyConnection,
    complaint: &ComplaintRow,
    waits: &[waiting::Wait],
    paused_since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let unresolved_since = waiting::unresolved_since(complaint.filed_at, waits);
    sqlx::query(
        "UPDATE complaints SET pauses = $2, paused_since = $3, unresolved_since = $4, updated_at = $5
         WHERE id = $1",
    )
        .bind(complaint.id)
        .bind(waits_json(waits))
        .bind(paused_since.map(to_ms))
        .bind(to_ms(unresolved_since))
        .bind(to_ms(now))
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

fn refused(ctx: &Ctx<'_>, error: &WaitError) -> app::error::AppError {
    let field = match error {
        WaitError::Note(_) => "reason",
        _ => "method",
    };
    ctx.invalid(
        field,
        &error.message(domain::Lang::Zh),
        &error.message(domain::Lang::En),
    )
}
