//! Steps that are not transitions: replies, notes, logged contacts, level overrides.

use app::error::{AppError, AppResult, FieldErrors};
use app::model::EventKind;
use domain::fields::{bounded_text, Field};
use domain::{review_reply, Level, ManualOverride, Role};
use sqlx::AnyConnection;

use super::Ctx;
use crate::error::db;
use crate::store::complaints::row::ComplaintRow;
use crate::store::events::{self, NewEvent};
use crate::store::to_ms;

/// Longest reply or note.
const MAX_TEXT: usize = 2000;

const BODY: Field = Field {
    name: "body",
    zh: "内容",
    en: "text",
};

/// A public reply. Forbidden phrases (禁语) stop it unless the agent confirms.
pub async fn reply(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
) -> AppResult<()> {
    let body = bounded_text(BODY, &ctx.input.body, 1, MAX_TEXT).map_err(|e| ctx.field_error(e))?;
    let send_anyway = ctx.input.send_anyway == "on";
    if let Err(needs) = review_reply(&body, send_anyway) {
        let mut errors = FieldErrors::one("body", needs.message(ctx.lang));
        errors
            .fields
            .insert("send_anyway".to_owned(), needs.message(ctx.lang));
        errors.echo.insert("body".to_owned(), body);
        return Err(AppError::Validation(errors));
    }
    let event = NewEvent::public(complaint.id, ctx.now, EventKind::Reply)
        .by(ctx.actor)
        .body(&body);
    events::append(&mut *conn, event)
        .await
        .map_err(db("recording a reply"))?;
    touch_contact(conn, complaint.id, ctx, true).await
}

/// An internal note, never shown to the owner.
pub async fn note(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
) -> AppResult<()> {
    let body = bounded_text(BODY, &ctx.input.body, 1, MAX_TEXT).map_err(|e| ctx.field_error(e))?;
    let event = NewEvent::internal(complaint.id, ctx.now, EventKind::Note)
        .by(ctx.actor)
        .body(&body);
    events::append(&mut *conn, event)
        .await
        .map_err(db("recording a note"))
        .map(|_| ())
}

/// A phone call or visit with the owner: stops the first-contact clock. The owner sees
/// that we contacted them; what was said stays internal.
pub async fn contact(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
) -> AppResult<()> {
    let public = NewEvent::public(complaint.id, ctx.now, EventKind::Contact).by(ctx.actor);
    events::append(&mut *conn, public)
        .await
        .map_err(db("recording a contact"))?;
    let notes = ctx.input.body.trim();
    if !notes.is_empty() {
        let notes = bounded_text(BODY, notes, 1, MAX_TEXT).map_err(|e| ctx.field_error(e))?;
        let note = NewEvent::internal(complaint.id, ctx.now, EventKind::Note)
            .by(ctx.actor)
            .body(&notes);
        events::append(&mut *conn, note)
            .await
            .map_err(db("recording contact notes"))?;
    }
    touch_contact(conn, complaint.id, ctx, false).await
}

/// A manual level with a reason that goes into the audit trail (rules.md "Severity").
pub async fn override_level(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
) -> AppResult<()> {
    if !matches!(ctx.actor.role, Role::Agent | Role::Supervisor | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let level = ctx
        .input
        .level
        .trim()
        .parse::<u8>()
        .ok()
        .and_then(Level::from_number)
        .ok_or_else(|| ctx.invalid("level", "请选择一到四级", "Choose a level from 1 to 4"))?;
    let manual = ManualOverride::new(level, &ctx.input.reason).map_err(|e| {
        ctx.invalid(
            "reason",
            e.message(domain::Lang::Zh),
            e.message(domain::Lang::En),
        )
    })?;
    let reasons = serde_json::to_string(&manual.grade().reasons)
        .map_err(|e| crate::error::internal("encoding reasons", e))?;
    // The facts weighed now: only facts learned later may raise this level again.
    let known = crate::store::complaints::regrading::basis_json(&complaint.facts_at(ctx.now));
    sqlx::query(
        "UPDATE complaints SET level = $2, level_reasons = $3, level_manual = 1,
            level_basis = $5, updated_at = $4 WHERE id = $1",
    )
    .bind(complaint.id)
    .bind(i64::from(level.number()))
    .bind(reasons)
    .bind(to_ms(ctx.now))
    .bind(known)
    .execute(&mut *conn)
    .await
    .map_err(db("overriding a level"))?;
    let (before, after) = (
        complaint.level.number().to_string(),
        level.number().to_string(),
    );
    let event = NewEvent::internal(complaint.id, ctx.now, EventKind::Level)
        .by(ctx.actor)
        .before(&before)
        .after(&after)
        .body(manual.reason());
    events::append(&mut *conn, event)
        .await
        .map_err(db("recording an override"))
        .map(|_| ())
}

/// A contact with the owner stops the first-contact clock; a substantive reply also the
/// first-reply clock; both restart the progress clock (rules.md "Time limits").
pub async fn touch_contact(
    conn: &mut AnyConnection,
    id: i64,
    ctx: &Ctx<'_>,
    is_reply: bool,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE complaints SET
            first_contact_at = COALESCE(first_contact_at, $2),
            first_reply_at = CASE WHEN $3 = 1 THEN COALESCE(first_reply_at, $2) ELSE first_reply_at END,
            last_progress_at = $2, updated_at = $2
         WHERE id = $1",
    )
    .bind(id)
    .bind(to_ms(ctx.now))
    .bind(i64::from(is_reply))
    .execute(&mut *conn)
    .await
    .map_err(db("updating contact times"))
    .map(|_| ())
}
