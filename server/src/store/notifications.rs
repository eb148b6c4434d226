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

/// The newest notifications of `user_id`.
pub async fn list(
    pool: &AnyPool,
    user_id: i64,
    lang: Lang,
    limit: i64,
) -> Result<Vec<Notification>, sqlx::Error> {
    sqlx::query(
        "SELECT id, complaint_id, kind, message_zh, message_en, created_at, read_at
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
