//! Automatic re-grading (app/domain/docs/grading.md): time passing, a group forming, a
//! repeat, an agreed compensation. It raises a level only on facts new since the level was
//! set — at filing, by hand, or by the last raise (the domain's `escalate`) — so it never
//! puts back what a staff member lowered by hand, and never lowers anything. Each raise says
//! on the timeline which fact raised it.

use app::model::EventKind;
use chrono::{DateTime, Utc};
use domain::grading::{Reason, Rule};
use domain::{escalate, new_reasons, Grade, IntakeFacts, Policy};
use sqlx::AnyConnection;

use super::row::ComplaintRow;
use crate::store::events::{self, NewEvent};
use crate::store::to_ms;

/// Raises `complaint` when `facts` (as they stand now) hold a new fact that forces a more
/// severe level. Returns the new grade when the level went up; otherwise a new fact at or
/// below the level is only added to the recorded reasons.
pub async fn raise(
    conn: &mut AnyConnection,
    complaint: &ComplaintRow,
    facts: &IntakeFacts,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Option<Grade>, sqlx::Error> {
    let basis = complaint.level_basis();
    let Some(escalation) = escalate(complaint.level, &basis, facts, &policy.grading) else {
        let new = new_reasons(&basis, facts, &policy.grading);
        if !new.is_empty() && !complaint.level_manual {
            // Same level, one more reason (a repeat): keep the record complete.
            let reasons = merged(&new, &complaint.reasons);
            sqlx::query("UPDATE complaints SET level_reasons = $2, level_basis = $3 WHERE id = $1")
                .bind(complaint.id)
                .bind(json(&reasons))
                .bind(json(facts))
                .execute(&mut *conn)
                .await?;
        }
        return Ok(None);
    };
    let grade = Grade {
        level: escalation.grade.level,
        reasons: merged(&escalation.grade.reasons, &complaint.reasons),
    };
    sqlx::query(
        "UPDATE complaints SET level = $2, level_reasons = $3, level_basis = $4, updated_at = $5
         WHERE id = $1",
    )
    .bind(complaint.id)
    .bind(i64::from(grade.level.number()))
    .bind(json(&grade.reasons))
    .bind(json(facts))
    .bind(to_ms(now))
    .execute(&mut *conn)
    .await?;
    let (before, after) = (
        complaint.level.number().to_string(),
        grade.level.number().to_string(),
    );
    let why = escalation.timeline_text();
    let event = NewEvent::internal(complaint.id, now, EventKind::Level)
        .before(&before)
        .after(&after)
        .body_both(&why.zh, &why.en);
    events::append(&mut *conn, event).await?;
    Ok(Some(grade))
}

/// The facts kept beside a level: automatic re-grading compares later facts with these.
pub fn basis_json(facts: &IntakeFacts) -> String {
    json(facts)
}

/// The new reasons first, then the earlier ones not repeated (never "routine" beside others).
fn merged(new: &[Reason], earlier: &[Reason]) -> Vec<Reason> {
    let mut all: Vec<Reason> = new.to_vec();
    for reason in earlier {
        if reason.rule != Rule::Routine && !all.iter().any(|r| r.rule == reason.rule) {
            all.push(reason.clone());
        }
    }
    all.sort_by_key(|r| r.level.number());
    all
}

fn json<T: serde::Serialize>(value: &T) -> String {
    // Plain data: encoding cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}
