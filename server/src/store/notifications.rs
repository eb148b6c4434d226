//! In-app notifications: who gets told what, written in the same transaction as the
//! change that caused them.

use app::model::Notification;
use chrono::{DateTime, Utc};
use domain::{Lang, Role};
use sqlx::{AnyConnection, AnyPool, Row};

use super::{from_ms, to_ms};

/// A message in both languages.
pub struct Message {
    pub kind: &'static str,
    pub zh: String,
    pub en: String,
}

impl Message {
    /// A complaint is level 1: what happened, and what the people told must do, by when.
    pub fn level_one(code: &str, why_zh: &str, why_en: &str) -> Message {
        Message {
            kind: "level_one",
            zh: format!(
                "一级（重大）投诉 {code}：{why_zh}。请立即指定统一指挥人，2小时内联系业主，第一时间出面处理"
            ),
            en: format!(
                "Level-1 (major) complaint {code}: {why_en}. Name one commander now, contact the owner within 2 hours and take charge in person"
            ),
        }
    }
}

/// Tells each of `users` about `complaint_id`.
pub async fn notify(
    conn: &mut AnyConnection,
    users: &[i64],
    complaint_id: Option<i64>,
    message: &Message,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    for user in users {
        sqlx::query(
            "INSERT INTO notifications (user_id, complaint_id, kind, message_zh, message_en, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(user)
        .bind(complaint_id)
        .bind(message.kind)
        .bind(&message.zh)
        .bind(&message.en)
        .bind(to_ms(now))
        .execute(&mut *conn)
        .await?;
    }
    if must_act(message.kind) {
        by_sms(conn, users, complaint_id, message, now).await?;
    }
    Ok(())
}

/// A notice that asks its reader to act also goes by SMS to those of `users` with a mobile
/// number on record, through the outbox in the same transaction. A level-1 complaint and a
/// named commander reach them at any hour; the rest wait out the quiet hours. The text is
/// the notice itself (a tracking code and what to do, no owner's data), kept only until
/// sent.
async fn by_sms(
    conn: &mut AnyConnection,
    users: &[i64],
    complaint_id: Option<i64>,
    message: &Message,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let urgent = matches!(message.kind, "level_one" | "commander");
    for user in users {
        let phone: Option<String> =
            sqlx::query_scalar("SELECT phone FROM users WHERE id = $1 AND active = 1")
                .bind(user)
                .fetch_optional(&mut *conn)
                .await?
                .flatten();
        let Some(phone) = phone.and_then(|p| domain::PhoneNumber::parse(&p).ok()) else {
            continue;
        };
        if !phone.is_mobile() {
            continue;
        }
        super::outbox::insert(
            &mut *conn,
            &super::outbox::NewDelivery {
                complaint_id,
                event_id: None,
                channel: super::outbox::SMS,
                kind: super::outbox::STAFF,
                recipient: phone.as_str(),
                recipient_shown: &phone.masked(),
                endpoint_id: None,
                payload: None,
                secret: Some(&message.zh),
                urgent,
                at: now,
                lang: domain::Lang::Zh.tag(),
            },
        )
        .await?;
    }
    Ok(())
}

/// The active supervisors (they take escalations and approvals).
pub async fn supervisors(conn: &mut AnyConnection) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query("SELECT id FROM users WHERE role = $1 AND active = 1 ORDER BY id")
        .bind(Role::Supervisor.code())
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect()
}

/// The active people who hold an approver's authority: for a department manager, the
/// manager of `department_id`; for a supervisor, every supervisor and 客服主管.
pub async fn holders(
    conn: &mut AnyConnection,
    approver: domain::Approver,
    department_id: Option<i64>,
) -> Result<Vec<i64>, sqlx::Error> {
    use domain::{Approver, Position};
    let query = match approver {
        // Supervisors who hold no higher position, and the 客服主管.
        Approver::Handler | Approver::Supervisor => sqlx::query(
            "SELECT id FROM users WHERE active = 1
               AND ((role = $1 AND position = '') OR position = $2) ORDER BY id",
        )
        .bind(Role::Supervisor.code())
        .bind(Position::CsSupervisor.code()),
        Approver::DepartmentManager => sqlx::query(
            "SELECT id FROM users WHERE active = 1 AND position = $1 AND department_id = $2 ORDER BY id",
        )
        .bind(Position::DepartmentManager.code())
        .bind(department_id.unwrap_or(-1)),
        Approver::DeputyGm => {
            sqlx::query("SELECT id FROM users WHERE active = 1 AND position = $1 ORDER BY id")
                .bind(Position::DeputyGm.code())
        }
        Approver::GeneralManager => {
            sqlx::query("SELECT id FROM users WHERE active = 1 AND position = $1 ORDER BY id")
                .bind(Position::GeneralManager.code())
        }
        Approver::Admin => {
            sqlx::query("SELECT id FROM users WHERE active = 1 AND role = $1 ORDER BY id")
                .bind(Role::Admin.code())
        }
    };
    query
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect()
}

/// Everyone who holds one of `positions` (a department manager: of `department_id`), each
/// once; the supervisors when nobody holds any yet, so a notice never reaches no one.
pub async fn chain(
    conn: &mut AnyConnection,
    positions: &[domain::Approver],
    department_id: Option<i64>,
) -> Result<Vec<i64>, sqlx::Error> {
    let mut told: Vec<i64> = Vec::new();
    for position in positions {
        for user in holders(&mut *conn, *position, department_id).await? {
            if !told.contains(&user) {
                told.push(user);
            }
        }
    }
    if told.is_empty() {
        told = supervisors(&mut *conn).await?;
    }
    Ok(told)
}

/// The duty agents (客服): told of a clock about to run out while nobody holds the complaint.
pub async fn duty_agents(conn: &mut AnyConnection) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query("SELECT id FROM users WHERE role = $1 AND active = 1 ORDER BY id")
        .bind(Role::Agent.code())
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect()
}

/// The newest notifications of `user_id`.
pub async fn list(
    pool: &AnyPool,
    user_id: i64,
    lang: Lang,
    limit: i64,
) -> Result<Vec<Notification>, sqlx::Error> {
    sqlx::query(
        "SELECT id, complaint_id, kind, message_zh, message_en, created_at, read_at, acknowledged_at
         FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(Notification {
            id: r.try_get("id")?,
            complaint_id: r.try_get("complaint_id")?,
            kind: r.try_get("kind")?,
            message: r.try_get(match lang {
                Lang::Zh => "message_zh",
                Lang::En => "message_en",
            })?,
            created_at: from_ms(r.try_get("created_at")?),
            read: r.try_get::<Option<i64>, _>("read_at")?.is_some(),
            acknowledged_at: r
                .try_get::<Option<i64>, _>("acknowledged_at")?
                .map(from_ms),
            must_act: must_act(&r.try_get::<String, _>("kind")?),
        })
    })
    .collect()
}

pub async fn unread(pool: &AnyPool, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .fetch_one(pool)
        .await?
        .try_get(0)
}

/// Notices that ask the reader to act (escalations, approvals, disputes): acknowledging one
/// is recorded on the complaint's timeline.
pub fn must_act(kind: &str) -> bool {
    matches!(
        kind,
        "sla_breach"
            | "sla_warning"
            | "level_one"
            | "level_assigned"
            | "group"
            | "approval_requested"
            | "dispute"
            | "commander"
            | "revisit_overdue"
            | "revisit_phone"
            | "plan_overdue"
            | "report_overdue"
            | "report_submitted"
    )
}

/// `user_id` acknowledges their notice `id`: it is read, the moment is kept, and the
/// complaint's internal timeline says who acknowledged what. Once only.
pub async fn acknowledge(
    conn: &mut AnyConnection,
    user_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE notifications SET acknowledged_at = $3, read_at = COALESCE(read_at, $3)
         WHERE id = $1 AND user_id = $2 AND acknowledged_at IS NULL",
    )
    .bind(id)
    .bind(user_id)
    .bind(to_ms(now))
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    let row = sqlx::query("SELECT complaint_id, message_zh FROM notifications WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let complaint: Option<i64> = row.try_get(0)?;
    Ok(complaint.map(|c| (c, row.try_get(1).unwrap_or_default())))
}

/// Marks one (or, with `None`, every) notification of `user_id` read.
pub async fn mark_read(
    pool: &AnyPool,
    user_id: i64,
    id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE notifications SET read_at = $3
         WHERE user_id = $1 AND read_at IS NULL AND ($2 = 0 OR id = $2)",
    )
    .bind(user_id)
    .bind(id.unwrap_or(0))
    .bind(to_ms(now))
    .execute(pool)
    .await
    .map(|_| ())
}
