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
    review_public(conn, ctx, complaint.id, "body", &body).await?;
    let event = NewEvent::public(complaint.id, ctx.now, EventKind::Reply)
        .by(ctx.actor)
        .body(&body);
    events::append(&mut *conn, event)
        .await
        .map_err(db("recording a reply"))?;
    touch_contact(conn, complaint.id, ctx, Touch::written(ctx)).await
}

/// Every text the owner reads (replies, the 不成立 reasoning, plans, results, the decision on
/// a dispute) passes the forbidden-phrase check (禁语): a hit stops it, with `field` marked,
/// unless the sender ticked "send anyway"; sending anyway is written to the audit log.
pub async fn review_public(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint_id: i64,
    field: &str,
    text: &str,
) -> AppResult<()> {
    let send_anyway = ctx.input.send_anyway == "on";
    match review_reply(text, send_anyway) {
        Err(needs) => {
            let mut errors = FieldErrors::one(field, needs.message(ctx.lang));
            errors
                .fields
                .insert("send_anyway".to_owned(), needs.message(ctx.lang));
            errors.echo = super::echo(ctx.input);
            Err(AppError::Validation(errors))
        }
        Ok(hits) if !hits.is_empty() => {
            let phrases: Vec<&str> = hits.iter().map(|h| h.phrase).collect();
            sqlx::query(
                "INSERT INTO audit_log (at, actor_id, action, target, before_value, after_value)
                 VALUES ($1, $2, 'forbidden_phrase_sent', $3, $4, $5)",
            )
            .bind(to_ms(ctx.now))
            .bind(ctx.actor.user_id)
            .bind(format!("complaint:{complaint_id}"))
            .bind(field)
            .bind(phrases.join("、"))
            .execute(&mut *conn)
            .await
            .map_err(db("auditing a forbidden phrase"))?;
            Ok(())
        }
        Ok(_) => Ok(()),
    }
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
    let touch = Touch {
        reply: false,
        contact: true,
    };
    touch_contact(conn, complaint.id, ctx, touch).await
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

/// What a step told the owner, for the clocks (rules.md "Time limits").
#[derive(Debug, Clone, Copy)]
pub struct Touch {
    /// A substantive written answer: stops the first-reply clock.
    pub reply: bool,
    /// A phone call or visit with the owner (or a reply the handler marks as one): stops the
    /// first-contact clock. A written reply alone never does.
    pub contact: bool,
}

impl Touch {
    /// A written answer; a contact too when the handler ticked that they spoke with the owner.
    pub fn written(ctx: &Ctx<'_>) -> Touch {
        Touch {
            reply: true,
            contact: ctx.input.counts_as_contact == "on",
        }
    }
}

/// Stops the clocks the step answers and restarts the progress clock.
pub async fn touch_contact(
    conn: &mut AnyConnection,
    id: i64,
    ctx: &Ctx<'_>,
    touch: Touch,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE complaints SET
            first_contact_at = CASE WHEN $4 = 1 THEN COALESCE(first_contact_at, $2) ELSE first_contact_at END,
            first_reply_at = CASE WHEN $3 = 1 THEN COALESCE(first_reply_at, $2) ELSE first_reply_at END,
            last_progress_at = $2, updated_at = $2
         WHERE id = $1",
    )
    .bind(id)
    .bind(to_ms(ctx.now))
    .bind(i64::from(touch.reply))
    .bind(i64::from(touch.contact))
    .execute(&mut *conn)
    .await
    .map_err(db("updating contact times"))
    .map(|_| ())
}

/// While a complaint is level 1 and has a named commander (统一指挥,不令出多门), only the
/// commander sends the owner replies.
pub async fn require_commander(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
) -> AppResult<()> {
    let Some(commander) = complaint.commander_id else {
        return Ok(());
    };
    if complaint.level != Level::One || commander == ctx.actor.user_id {
        return Ok(());
    }
    let name = crate::store::directory::person(conn, commander)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    Err(AppError::Conflict(match ctx.lang {
        domain::Lang::Zh => format!(
            "一级投诉统一指挥：只有指挥人{name}可以答复业主，请把意见写在内部备注里"
        ),
        domain::Lang::En => format!(
            "Level 1 has one commander: only {name} replies to the owner; put your advice in an internal note"
        ),
    }))
}

/// A supervisor names (or changes) the one commander of a level-1 complaint; the
/// commander is told, and the timeline (internal) records it.
pub async fn name_commander(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
) -> AppResult<()> {
    if ctx.actor.role != Role::Supervisor {
        return Err(AppError::Forbidden);
    }
    if complaint.level != Level::One || !complaint.status.is_open() {
        return Err(AppError::Conflict(match ctx.lang {
            domain::Lang::Zh => "只有处理中的一级投诉需要指定统一指挥人".to_owned(),
            domain::Lang::En => "Only an open level-1 complaint has a commander".to_owned(),
        }));
    }
    let chosen: Option<i64> = ctx.input.commander_id.trim().parse().ok();
    let choices = crate::store::directory::commanders(conn).await?;
    let Some(person) = chosen.and_then(|id| choices.into_iter().find(|p| p.id == id)) else {
        return Err(ctx.invalid(
            "commander_id",
            "请选择一位统一指挥人",
            "Choose one commander",
        ));
    };
    sqlx::query("UPDATE complaints SET commander_id = $2 WHERE id = $1")
        .bind(complaint.id)
        .bind(person.id)
        .execute(&mut *conn)
        .await
        .map_err(db("naming a commander"))?;
    let text = format!("统一指挥人：{}", person.name);
    let text_en = format!("Commander: {}", person.name);
    let event = NewEvent::internal(complaint.id, ctx.now, EventKind::Escalation)
        .by(ctx.actor)
        .body_both(&text, &text_en)
        .after("commander");
    events::append(&mut *conn, event)
        .await
        .map_err(db("recording a commander"))?;
    let message = crate::store::notifications::Message {
        kind: "commander",
        zh: format!(
            "您被指定为一级投诉 {} 的统一指挥人：由您统一答复业主，2小时内联系业主",
            complaint.tracking_code
        ),
        en: format!(
            "You command level-1 complaint {}: you alone answer the owner; contact them within 2 hours",
            complaint.tracking_code
        ),
    };
    crate::store::notifications::notify(
        &mut *conn,
        &[person.id],
        Some(complaint.id),
        &message,
        ctx.now,
    )
    .await
    .map_err(db("notifying"))
}
