//! Staff steps on a complaint (rules.md "Lifecycle"): who may take them is decided by
//! the domain's state machine and the actor's role, never by what the client sends; each
//! step and its history rows commit together, or not at all.

mod corrections;
mod lifecycle;
mod messages;
pub mod report;
pub mod revisit;
pub mod waiting;

use std::collections::BTreeMap;

use app::error::{AppError, AppResult, FieldErrors};
use app::model::{Actor, StepInput};
use chrono::{DateTime, Utc};
use domain::{Action, FieldError, Lang, TransitionError};

use super::{deadlines, row, ComplaintStore};
use crate::error::db;
use crate::live::{self, Touched};

pub async fn step(
    store: &ComplaintStore,
    actor: &Actor,
    id: i64,
    input: StepInput,
    lang: Lang,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if !app::access::may(Some(actor), app::access::Doing::WorkQueue) {
        return Err(AppError::Forbidden);
    }
    let policy = store.policy.current();
    let mut tx = store.db.begin().await.map_err(db("starting a step"))?;
    let complaint = row::load(&mut tx, id)
        .await
        .map_err(db("loading a complaint"))?
        .ok_or(AppError::NotFound)?;
    if !super::views::may_see(actor, complaint.department_id) {
        return Err(AppError::Forbidden);
    }
    let calendar = store.policy.calendar();
    let ctx = Ctx {
        policy: &policy,
        calendar: &calendar,
        actor,
        public_url: &store.public_url,
        input: &input,
        lang,
        now,
    };
    match input.action.as_str() {
        "note" => messages::note(&mut tx, &ctx, &complaint).await?,
        "reply" => {
            require_owner_of(&ctx, &complaint)?;
            messages::require_commander(&mut tx, &ctx, &complaint).await?;
            messages::reply(&mut tx, &ctx, &complaint).await?
        }
        "name_commander" => messages::name_commander(&mut tx, &ctx, &complaint).await?,
        "review_revisit" => revisit::review(&mut tx, &ctx, &complaint).await?,
        "submit_report" => {
            require_owner_of(&ctx, &complaint)?;
            report::submit(&mut tx, &ctx, &complaint).await?
        }
        "contact" => {
            require_owner_of(&ctx, &complaint)?;
            messages::contact(&mut tx, &ctx, &complaint).await?
        }
        "override_level" => messages::override_level(&mut tx, &ctx, &complaint).await?,
        "correct" => corrections::correct(&mut tx, &ctx, &complaint, &policy).await?,
        "reassign" => corrections::reassign(&mut tx, &ctx, &complaint).await?,
        "wait_for_owner" => {
            require_owner_of(&ctx, &complaint)?;
            waiting::start(&mut tx, &ctx, &complaint).await?
        }
        "end_wait" => {
            require_owner_of(&ctx, &complaint)?;
            waiting::end(&mut tx, &ctx, &complaint).await?
        }
        code => {
            let action = Action::parse(code)
                .ok_or_else(|| ctx.invalid("action", "未知的操作", "Unknown action"))?;
            require_owner_of(&ctx, &complaint)?;
            lifecycle::transition(&mut tx, &ctx, &complaint, action, &policy).await?
        }
    }
    deadlines::refresh(&mut tx, id, &store.policy)
        .await
        .map_err(db("computing deadlines"))?;
    let touched = Touched::new(id).was_in(complaint.department_id);
    live::commit(tx, &*store.live, &[touched])
        .await
        .map_err(db("committing a step"))
}

/// What every step needs to know about the request.
pub struct Ctx<'a> {
    /// The policy in force for this step.
    pub policy: &'a domain::Policy,
    /// The business calendar the clocks count working time on.
    pub calendar: &'a domain::BusinessCalendar,
    pub actor: &'a Actor,
    /// Where owners reach the portal (for links sent outside the app).
    pub public_url: &'a str,
    pub input: &'a StepInput,
    pub lang: Lang,
    pub now: DateTime<Utc>,
}

impl Ctx<'_> {
    /// A field error in the user's language, with what they typed.
    pub fn invalid(&self, field: &str, zh: &str, en: &str) -> AppError {
        self.field_error(FieldError::new(field, zh, en))
    }

    pub fn field_error(&self, error: FieldError) -> AppError {
        let mut fields = BTreeMap::new();
        fields.insert(
            error.field().to_owned(),
            error.message(self.lang).to_owned(),
        );
        AppError::Validation(FieldErrors {
            fields,
            echo: echo(self.input),
        })
    }

    /// A refused transition: a role that may not, or a state that does not allow it.
    pub fn refused(&self, error: TransitionError) -> AppError {
        match error {
            TransitionError::Forbidden { .. } => AppError::Forbidden,
            other => AppError::Conflict(other.message(self.lang)),
        }
    }
}

pub use corrections::may_reassign;

/// A handler works on the complaints assigned to them (one named handler from start to
/// end, rules.md "Actors"); notes are open to their whole department.
fn require_owner_of(ctx: &Ctx<'_>, complaint: &row::ComplaintRow) -> AppResult<()> {
    let scope = app::access::Scope {
        department_id: complaint.department_id,
        handler_id: complaint.handler_id,
    };
    if app::access::may(Some(ctx.actor), app::access::Doing::ActOn(scope)) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn echo(input: &StepInput) -> BTreeMap<String, String> {
    [
        ("body", &input.body),
        ("plan", &input.plan),
        ("compensation_yuan", &input.compensation_yuan),
        ("root_cause", &input.root_cause),
        ("corrective_action", &input.corrective_action),
        ("reason", &input.reason),
        ("comment", &input.comment),
        ("category", &input.category),
        ("unit", &input.unit),
        ("people_count", &input.people_count),
        ("claimed_amount_yuan", &input.claimed_amount_yuan),
        ("impact", &input.impact),
        ("emergency", &input.emergency),
        ("commander_id", &input.commander_id),
        ("review_note", &input.review_note),
        ("responsible_person", &input.responsible_person),
        (
            "responsible_department_id",
            &input.responsible_department_id,
        ),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| (k.to_owned(), v.clone()))
    .collect()
}
