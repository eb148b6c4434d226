//! The SLA and escalation ticker (rules.md "Time limits", "Severity"): raises levels as
//! time passes unresolved, warns the assignee before a clock breaches, and tells the
//! supervisors when one has — each exactly once per due time.

use std::sync::Arc;
use std::time::Duration;

use app::model::EventKind;
use chrono::{DateTime, Utc};
use domain::Level;
use sqlx::{AnyConnection, Row};

use crate::db::Db;
use crate::live::{self, LiveHub, Touched};
use crate::policy::PolicyHandle;
use crate::store::complaints::{deadlines, regrading, row};
use crate::store::events::{self, NewEvent};
use crate::store::notifications::{self, Message};
use crate::store::{from_ms, to_ms};

/// A clock about to run out: (complaint, tracking code, handler, agent, due at).
type Warning = (i64, String, Option<i64>, Option<i64>, i64);

/// Complaints handled per kind of work per tick; the rest wait for the next tick.
const BATCH: i64 = 500;

/// What one tick did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tick {
    pub raised: usize,
    pub warned: usize,
    pub escalated: usize,
}

/// Runs `tick` every `period` until the task is aborted.
pub fn spawn(
    db: Db,
    policy: Arc<PolicyHandle>,
    live: Arc<dyn LiveHub>,
    period: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(period);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            match tick(&db, &policy, &*live, Utc::now()).await {
                Ok(done) if done != Tick::default() => tracing::info!(?done, "sla tick"),
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "sla tick failed"),
            }
        }
    })
}

/// One pass over the open complaints; every change is published to `live` once committed
/// (the queue's SLA badges and the staff page's clocks follow the job).
pub async fn tick(
    db: &Db,
    rules: &PolicyHandle,
    live: &dyn LiveHub,
    now: DateTime<Utc>,
) -> Result<Tick, sqlx::Error> {
    let policy = rules.current();
    let mut done = Tick::default();
    let open = row::open_statuses();
    let open_list = open
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ");

    // 1. Time passing raises the level (15 days → 2, 30 days → 1), days counted without
    // the time spent waiting for the owner. Each threshold is weighed once per complaint,
    // so a level kept by hand is not read again on every tick.
    let (days_2, days_1) = (
        i64::from(policy.grading.raise_to_level_2_after_days),
        i64::from(policy.grading.raise_to_level_1_after_days),
    );
    let due_for_raise: Vec<(i64, i64)> = sqlx::query(&format!(
        "SELECT id, CASE WHEN COALESCE(unresolved_since, filed_at) <= $2 THEN $4 ELSE $3 END
         FROM complaints
         WHERE status IN ({open_list}) AND paused_since IS NULL
           AND ((COALESCE(unresolved_since, filed_at) <= $1 AND time_checked_days < $3)
             OR (COALESCE(unresolved_since, filed_at) <= $2 AND time_checked_days < $4))
         ORDER BY filed_at LIMIT $5"
    ))
    .bind(to_ms(now - chrono::Duration::days(days_2)))
    .bind(to_ms(now - chrono::Duration::days(days_1)))
    .bind(days_2)
    .bind(days_1)
    .bind(BATCH)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
    .collect::<Result<_, sqlx::Error>>()?;
    for (id, threshold) in due_for_raise {
        let mut tx = db.begin().await?;
        let raised = raise_for_time(&mut tx, id, rules, now).await?;
        sqlx::query("UPDATE complaints SET time_checked_days = $2 WHERE id = $1")
            .bind(id)
            .bind(threshold)
            .execute(&mut *tx)
            .await?;
        if raised {
            done.raised += 1;
            live::commit(tx, live, &[Touched::new(id)]).await?;
        } else {
            tx.commit().await?;
        }
    }

    // 2. About to breach: warn whoever holds it.
    let warn: Vec<Warning> = sqlx::query(&format!(
        "SELECT id, tracking_code, handler_id, agent_id, sla_due_at FROM complaints
         WHERE status IN ({open_list}) AND sla_warn_at < $1 AND sla_due_at >= $1
           AND (sla_warned_for IS NULL OR sla_warned_for <> sla_due_at)
         LIMIT $2"
    ))
    .bind(to_ms(now))
    .bind(BATCH)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get(2)?,
            r.try_get(3)?,
            r.try_get(4)?,
        ))
    })
    .collect::<Result<_, sqlx::Error>>()?;
    for (id, code, handler, agent, due) in warn {
        let mut tx = db.begin().await?;
        let due_label = domain::format_local(from_ms(due), &policy);
        let message = Message {
            kind: "sla_warning",
            zh: format!("投诉 {code} 即将超时(截止 {due_label}),请尽快处理"),
            en: format!("Complaint {code} is about to breach its time limit (due {due_label})"),
        };
        let assignees: Vec<i64> = handler.or(agent).into_iter().collect();
        notifications::notify(&mut tx, &assignees, Some(id), &message, now).await?;
        let note = NewEvent::internal(id, now, EventKind::Escalation)
            .body(&message.zh)
            .after("sla_warning");
        events::append(&mut tx, note).await?;
        sqlx::query("UPDATE complaints SET sla_warned_for = $2 WHERE id = $1")
            .bind(id)
            .bind(due)
            .execute(&mut *tx)
            .await?;
        live::commit(tx, live, &[Touched::new(id)]).await?;
        done.warned += 1;
    }

    // 3. Breached: escalate to the supervisors (and count it in reports: the clock says so).
    let breached: Vec<(i64, String, i64)> = sqlx::query(
        "SELECT id, tracking_code, sla_due_at FROM complaints
         WHERE sla_due_at < $1 AND (sla_escalated_for IS NULL OR sla_escalated_for <> sla_due_at)
         LIMIT $2",
    )
    .bind(to_ms(now))
    .bind(BATCH)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
    .collect::<Result<_, sqlx::Error>>()?;
    for (id, code, due) in breached {
        let mut tx = db.begin().await?;
        let due_label = domain::format_local(from_ms(due), &policy);
        let message = Message {
            kind: "sla_breach",
            zh: format!("投诉 {code} 已超时(截止 {due_label}),已升级至主管"),
            en: format!("Complaint {code} breached its time limit (due {due_label}); escalated"),
        };
        let supervisors = notifications::supervisors(&mut tx).await?;
        notifications::notify(&mut tx, &supervisors, Some(id), &message, now).await?;
        let note = NewEvent::internal(id, now, EventKind::Escalation)
            .body(&message.zh)
            .after("sla_breach");
        events::append(&mut tx, note).await?;
        sqlx::query("UPDATE complaints SET sla_escalated_for = $2 WHERE id = $1")
            .bind(id)
            .bind(due)
            .execute(&mut *tx)
            .await?;
        live::commit(tx, live, &[Touched::new(id)]).await?;
        done.escalated += 1;
    }
    Ok(done)
}

/// Re-grades one open complaint with its days unresolved; records a raise (never a
/// lowering) and tells the supervisors when it reaches level 1.
async fn raise_for_time(
    conn: &mut AnyConnection,
    id: i64,
    rules: &PolicyHandle,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let policy = &*rules.current();
    let Some(complaint) = row::load(&mut *conn, id).await? else {
        return Ok(false);
    };
    let facts = complaint.facts_at(now);
    let Some(raised) = regrading::raise(&mut *conn, &complaint, &facts, policy, now).await? else {
        return Ok(false);
    };
    deadlines::refresh(&mut *conn, id, rules).await?;
    if raised.level == Level::One {
        let message = Message {
            kind: "level_one",
            zh: format!(
                "投诉 {} 已满{}天未解决,升为一级",
                complaint.tracking_code, policy.grading.raise_to_level_1_after_days
            ),
            en: format!(
                "Complaint {} has been unresolved for {} days: now level 1",
                complaint.tracking_code, policy.grading.raise_to_level_1_after_days
            ),
        };
        let supervisors = notifications::supervisors(&mut *conn).await?;
        notifications::notify(&mut *conn, &supervisors, Some(id), &message, now).await?;
    }
    Ok(true)
}
