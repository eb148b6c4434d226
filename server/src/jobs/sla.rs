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
use crate::store::leader::{self, Job};
use crate::store::notifications::{self, Message};
use crate::store::{from_ms, to_ms};

/// A clock about to run out: (complaint, tracking code, handler, agent, due at).
type Warning = (i64, String, Option<i64>, Option<i64>, i64);

/// A breached clock: (complaint, tracking code, due at, the due time last escalated, the
/// rung told about it, department).
type Breach = (i64, String, i64, Option<i64>, Option<i64>, Option<i64>);

/// Complaints handled per kind of work per tick; the rest wait for the next tick.
const BATCH: i64 = 500;

/// What one tick did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tick {
    pub raised: usize,
    pub warned: usize,
    pub escalated: usize,
    /// Revisits past their due time, escalated.
    pub revisits_overdue: usize,
    /// Unanswered surveys handed to the phone.
    pub phone_revisits: usize,
    /// Stage clocks (the plan, the report) past due, escalated.
    pub stages_overdue: usize,
}

/// Runs `tick` every `period` until the task is aborted; with several instances on one
/// PostgreSQL, one of them ticks at a time.
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
            let ticked =
                leader::exclusively(&db, Job::SlaTick, tick(&db, &policy, &*live, Utc::now()));
            match ticked.await {
                Ok(Some(Ok(done))) => {
                    metrics::counter!("portal_sla_ticks_total").increment(1);
                    let breaches = done.escalated + done.stages_overdue + done.revisits_overdue;
                    metrics::counter!("portal_sla_breaches_found_total").increment(breaches as u64);
                    metrics::counter!("portal_sla_warnings_total").increment(done.warned as u64);
                    if done != Tick::default() {
                        tracing::info!(?done, "sla tick");
                    }
                }
                Ok(None) => tracing::debug!("sla tick: another instance is ticking"),
                Ok(Some(Err(error))) | Err(error) => tracing::error!(%error, "sla tick failed"),
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
        // Claimed first: a threshold already weighed (by another tick) is not weighed again.
        let claimed = sqlx::query(
            "UPDATE complaints SET time_checked_days = $2 WHERE id = $1 AND time_checked_days < $2",
        )
        .bind(id)
        .bind(threshold)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            tx.rollback().await?;
            continue;
        }
        let raised = raise_for_time(&mut tx, id, rules, now).await?;
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
        // Claimed before anything is sent, so a due time is warned of once.
        let claimed = sqlx::query(
            "UPDATE complaints SET sla_warned_for = $2
             WHERE id = $1 AND (sla_warned_for IS NULL OR sla_warned_for <> $2)",
        )
        .bind(id)
        .bind(due)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            tx.rollback().await?;
            continue;
        }
        let due_label = domain::format_local(from_ms(due), &policy);
        let message = Message {
            kind: "sla_warning",
            zh: format!("投诉 {code} 即将超时（截止 {due_label}），请尽快处理"),
            en: format!("Complaint {code} is about to breach its time limit (due {due_label})"),
        };
        // Whoever holds it; while nobody does, the duty agents.
        let assignees: Vec<i64> = match handler.or(agent) {
            Some(holder) => vec![holder],
            None => notifications::duty_agents(&mut tx).await?,
        };
        notifications::notify(&mut tx, &assignees, Some(id), &message, now).await?;
        let note = NewEvent::internal(id, now, EventKind::Escalation)
            .body_both(&message.zh, &message.en)
            .after("sla_warning");
        events::append(&mut tx, note).await?;
        live::commit(tx, live, &[Touched::new(id)]).await?;
        done.warned += 1;
    }

    // 3. Breached: up the escalation ladder — its first rung at the breach, one rung more
    // for every further window it stays breached. Each rung is told once per due time: the
    // update is conditional, so two instances ticking together cannot both send it.
    let ladder = &policy.escalation;
    let top = i64::try_from(ladder.ladder.len().saturating_sub(1)).unwrap_or(0);
    let breached: Vec<Breach> = sqlx::query(
        "SELECT id, tracking_code, sla_due_at, sla_escalated_for, escalation_rung, department_id
         FROM complaints
         WHERE sla_due_at < $1
           AND (sla_escalated_for IS NULL OR sla_escalated_for <> sla_due_at
                OR (escalation_rung IS NOT NULL AND escalation_rung < $3))
         ORDER BY sla_due_at LIMIT $2",
    )
    .bind(to_ms(now))
    .bind(BATCH)
    .bind(top)
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
            r.try_get(5)?,
        ))
    })
    .collect::<Result<_, sqlx::Error>>()?;
    for (id, code, due, escalated_for, rung_told, department) in breached {
        let minutes = (now - from_ms(due)).num_minutes();
        let rung = ladder.rung_for(minutes);
        let rung_i64 = i64::try_from(rung).unwrap_or(0);
        // Escalated before the ladder existed (no rung kept): that breach is history.
        let already = if escalated_for == Some(due) {
            rung_told.unwrap_or(top)
        } else {
            -1
        };
        if rung_i64 <= already {
            continue;
        }
        let mut tx = db.begin().await?;
        let claimed = sqlx::query(
            "UPDATE complaints SET sla_escalated_for = $2, escalation_rung = $3
             WHERE id = $1 AND (sla_escalated_for IS NULL OR sla_escalated_for <> $2
                                OR (escalation_rung IS NOT NULL AND escalation_rung < $3))",
        )
        .bind(id)
        .bind(due)
        .bind(rung_i64)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            tx.rollback().await?;
            continue;
        }
        let position = ladder
            .ladder
            .get(rung)
            .copied()
            .unwrap_or(domain::Approver::GeneralManager);
        let due_label = domain::format_local(from_ms(due), &policy);
        let next = (!ladder.is_top(rung)).then(|| {
            let at = from_ms(due)
                + chrono::Duration::hours(i64::from(ladder.rung_after_hours) * (rung_i64 + 1));
            (
                domain::format_local(at, &policy),
                ladder.ladder.get(rung + 1).copied().unwrap_or(position),
            )
        });
        let message = Message {
            kind: "sla_breach",
            zh: format!(
                "投诉 {code} 已超时（截止 {due_label}），升级至{}：请督办处理人立即联系业主并更新进度{}",
                position.label(domain::Lang::Zh),
                next.as_ref()
                    .map(|(at, up)| format!("；{at} 前仍未处理将升级至{}", up.label(domain::Lang::Zh)))
                    .unwrap_or_default()
            ),
            en: format!(
                "Complaint {code} breached its time limit (due {due_label}); escalated to the {}: have the handler contact the owner and update progress now{}",
                position.label(domain::Lang::En).to_lowercase(),
                next.as_ref()
                    .map(|(at, up)| format!("; if still unhandled by {at} it goes to the {}", up.label(domain::Lang::En).to_lowercase()))
                    .unwrap_or_default()
            ),
        };
        let told = notifications::chain(&mut tx, &[position], department).await?;
        notifications::notify(&mut tx, &told, Some(id), &message, now).await?;
        let note = NewEvent::internal(id, now, EventKind::Escalation)
            .body_both(&message.zh, &message.en)
            .after("sla_breach");
        events::append(&mut tx, note).await?;
        live::commit(tx, live, &[Touched::new(id)]).await?;
        done.escalated += 1;
    }
    revisit_clocks(db, &policy, live, now, &mut done).await?;
    stage_clocks(db, rules, &open_list, live, now, &mut done).await?;
    // The similar-complaint index keeps only what a new complaint can still be compared with.
    let mut conn = db.pool.acquire().await?;
    crate::store::complaints::similar::prune(&mut conn, now - policy.groups.window()).await?;
    Ok(done)
}

/// The stage clocks of serious complaints: a plan not agreed in time is escalated to the
/// manager of the complaint's department, a handling report not submitted in time to the
/// department manager and the general manager; the handler is told too. Each once per
/// complaint. A stage can only be past due once its window has passed in calendar time
/// (service time is never shorter), which narrows what is read.
async fn stage_clocks(
    db: &Db,
    rules: &PolicyHandle,
    open_list: &str,
    live: &dyn LiveHub,
    now: DateTime<Utc>,
    done: &mut Tick,
) -> Result<(), sqlx::Error> {
    use domain::{Approver, ClockState, Stage};
    let policy = rules.current();
    let policy = &*policy;
    let stages = &policy.stages;
    if stages.up_to_level == 0 {
        return Ok(());
    }
    let before = |window: domain::SlaWindow| to_ms(now) - i64::from(window.minutes) * 60_000;
    let sql = format!(
        "{} WHERE c.level <= $1 AND (
            (c.plan_stage_escalated = 0 AND c.plan_at IS NULL AND c.accepted_at < $2
             AND c.status IN ({open_list}))
            OR (c.report_stage_escalated = 0 AND c.report_submitted_at IS NULL AND c.report_owed_since < $3
             AND c.status IN ('resolved', 'revisited', 'closed')))
         ORDER BY c.id LIMIT $4",
        row::SELECT
    );
    let candidates = sqlx::query(&sql)
        .bind(i64::from(stages.up_to_level))
        .bind(before(stages.plan))
        .bind(before(stages.report))
        .bind(BATCH)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(row::ComplaintRow::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let calendar = rules.calendar();
    let ctx = domain::SlaContext::new(policy, &calendar);
    for complaint in candidates {
        for (stage, state) in domain::evaluate_stages(&complaint.stage_inputs(), stages, &ctx, now)
        {
            let ClockState::Breached { due } = state else {
                continue;
            };
            let (column, up) = match stage {
                Stage::Plan => ("plan_stage_escalated", vec![Approver::DepartmentManager]),
                Stage::Report => (
                    "report_stage_escalated",
                    vec![Approver::DepartmentManager, Approver::GeneralManager],
                ),
            };
            let mut tx = db.begin().await?;
            let claim =
                format!("UPDATE complaints SET {column} = 1 WHERE id = $1 AND {column} = 0");
            if sqlx::query(&claim)
                .bind(complaint.id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                != 1
            {
                tx.rollback().await?;
                continue;
            }
            let code = &complaint.tracking_code;
            let due_label = domain::format_local(due, policy);
            let message = match stage {
                Stage::Plan => Message {
                    kind: "plan_overdue",
                    zh: format!("投诉 {code} 未在时限内（{due_label}）明确责任并与业主商定方案：请部门经理督办，今天内与业主沟通方案"),
                    en: format!("Complaint {code} has no plan agreed with the owner by {due_label}: department manager, see that the plan is settled with the owner today"),
                },
                Stage::Report => Message {
                    kind: "report_overdue",
                    zh: format!("投诉 {code} 的处理报告未在时限内（{due_label}）呈报总经理：请尽快在投诉页呈报处理报告"),
                    en: format!("The handling report of {code} was due to the general manager by {due_label}: submit it from the complaint page"),
                },
            };
            let mut told = notifications::chain(&mut tx, &up, complaint.department_id).await?;
            if let Some(handler) = complaint.handler_id {
                if !told.contains(&handler) {
                    told.push(handler);
                }
            }
            notifications::notify(&mut tx, &told, Some(complaint.id), &message, now).await?;
            let note = NewEvent::internal(complaint.id, now, EventKind::Escalation)
                .body_both(&message.zh, &message.en)
                .after(message.kind);
            events::append(&mut tx, note).await?;
            live::commit(tx, live, &[Touched::new(complaint.id)]).await?;
            done.stages_overdue += 1;
        }
    }
    Ok(())
}

/// A resolved complaint waits for its revisit on a clock: past due, the customer-service
/// supervisors are told (once per round); a survey unanswered for `phone_after_days`
/// becomes a phone-revisit task for the duty agents (once per round). Complaints resolved
/// before the revisit clock existed (no due time kept) are left to the revisit list.
async fn revisit_clocks(
    db: &Db,
    policy: &domain::Policy,
    live: &dyn LiveHub,
    now: DateTime<Utc>,
    done: &mut Tick,
) -> Result<(), sqlx::Error> {
    let resolved = domain::Status::Resolved.code();
    let overdue: Vec<(i64, String, i64, i64)> = sqlx::query(
        "SELECT id, tracking_code, revisit_round, revisit_due_at FROM complaints
         WHERE status = $1 AND revisit_due_at < $2
           AND (revisit_escalated_round IS NULL OR revisit_escalated_round < revisit_round)
         ORDER BY revisit_due_at LIMIT $3",
    )
    .bind(resolved)
    .bind(to_ms(now))
    .bind(BATCH)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
    .collect::<Result<_, sqlx::Error>>()?;
    for (id, code, round, due) in overdue {
        let mut tx = db.begin().await?;
        let claimed = sqlx::query(
            "UPDATE complaints SET revisit_escalated_round = $2
             WHERE id = $1 AND (revisit_escalated_round IS NULL OR revisit_escalated_round < $2)",
        )
        .bind(id)
        .bind(round)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            tx.rollback().await?;
            continue;
        }
        let due_label = domain::format_local(from_ms(due), policy);
        let message = Message {
            kind: "revisit_overdue",
            zh: format!("投诉 {code} 的回访已逾期（应于 {due_label} 前回访）：请客服中心今天内电话回访并登记"),
            en: format!("The revisit of {code} is overdue (due {due_label}): have the service centre call the owner today and log it"),
        };
        let told = notifications::chain(&mut tx, &[domain::Approver::Supervisor], None).await?;
        notifications::notify(&mut tx, &told, Some(id), &message, now).await?;
        let note = NewEvent::internal(id, now, EventKind::Escalation)
            .body_both(&message.zh, &message.en)
            .after("revisit_overdue");
        events::append(&mut tx, note).await?;
        live::commit(tx, live, &[Touched::new(id)]).await?;
        done.revisits_overdue += 1;
    }

    let days = i64::from(policy.revisit.phone_after_days);
    let unanswered: Vec<(i64, String, i64)> = sqlx::query(
        "SELECT id, tracking_code, revisit_round FROM complaints
         WHERE status = $1 AND resolved_at < $2 AND revisit_due_at IS NOT NULL
           AND (revisit_phone_round IS NULL OR revisit_phone_round < revisit_round)
         ORDER BY resolved_at LIMIT $3",
    )
    .bind(resolved)
    .bind(to_ms(now - chrono::Duration::days(days)))
    .bind(BATCH)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
    .collect::<Result<_, sqlx::Error>>()?;
    for (id, code, round) in unanswered {
        let mut tx = db.begin().await?;
        let claimed = sqlx::query(
            "UPDATE complaints SET revisit_phone_round = $2
             WHERE id = $1 AND (revisit_phone_round IS NULL OR revisit_phone_round < $2)",
        )
        .bind(id)
        .bind(round)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            tx.rollback().await?;
            continue;
        }
        let message = Message {
            kind: "revisit_phone",
            zh: format!("投诉 {code} 的回访问卷{days}天未答复：请电话回访业主并登记结果"),
            en: format!("The survey of {code} is unanswered after {days} days: call the owner and log the revisit"),
        };
        let agents = notifications::duty_agents(&mut tx).await?;
        notifications::notify(&mut tx, &agents, Some(id), &message, now).await?;
        let note = NewEvent::internal(id, now, EventKind::Escalation)
            .body_both(&message.zh, &message.en)
            .after("revisit_phone");
        events::append(&mut tx, note).await?;
        live::commit(tx, live, &[Touched::new(id)]).await?;
        done.phone_revisits += 1;
    }
    Ok(())
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
        let message = Message::level_one(
            &complaint.tracking_code,
            &format!(
                "已满{}天未解决，升为一级",
                policy.grading.raise_to_level_1_after_days
            ),
            &format!(
                "unresolved for {} days: now level 1",
                policy.grading.raise_to_level_1_after_days
            ),
        );
        let told = notifications::chain(
            &mut *conn,
            &policy.escalation.level_1,
            complaint.department_id,
        )
        .await?;
        notifications::notify(&mut *conn, &told, Some(id), &message, now).await?;
    }
    Ok(true)
}
