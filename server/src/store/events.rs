//! The append-only history of a complaint: written in the same transaction as the
//! change it records.

use app::model::{EventKind, TimelineEntry};
use chrono::{DateTime, Utc};
use domain::Role;
use sqlx::{Any, Row, Transaction};

use super::{from_ms, to_ms};

/// One new history row.
pub struct NewEvent<'a> {
    pub complaint_id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_role: Option<Role>,
    pub kind: EventKind,
    pub public: bool,
    pub body: Option<&'a str>,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub data: Option<&'a str>,
}

/// Appends `event`; returns its id (the live stream's event id).
pub async fn append(
    tx: &mut Transaction<'_, Any>,
    event: NewEvent<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO complaint_events
            (complaint_id, at, actor_id, actor_role, kind, public, body, before_value, after_value, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         RETURNING id",
    )
    .bind(event.complaint_id)
    .bind(to_ms(event.at))
    .bind(event.actor_id)
    .bind(event.actor_role.map(|r| r.code()))
    .bind(event.kind.code())
    .bind(i64::from(event.public))
    .bind(event.body)
    .bind(event.before)
    .bind(event.after)
    .bind(event.data)
    .fetch_one(&mut **tx)
    .await?
    .try_get::<i64, _>(0)
}

/// The timeline of a complaint, oldest first; `public_only` for owners.
pub async fn timeline(
    pool: &sqlx::AnyPool,
    complaint_id: i64,
    public_only: bool,
) -> Result<Vec<TimelineEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT e.id, e.at, e.kind, e.public, e.actor_role, u.display_name, e.body,
                e.before_value, e.after_value
         FROM complaint_events e LEFT JOIN users u ON u.id = e.actor_id
         WHERE e.complaint_id = $1 AND (e.public = 1 OR $2 = 0)
         ORDER BY e.id",
    )
    .bind(complaint_id)
    .bind(i64::from(public_only))
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(TimelineEntry {
                id: row.try_get("id")?,
                at: from_ms(row.try_get("at")?),
                kind: EventKind::parse(row.try_get::<String, _>("kind")?.as_str())
                    .unwrap_or(EventKind::Note),
                public: row.try_get::<i64, _>("public")? == 1,
                actor_role: row
                    .try_get::<Option<String>, _>("actor_role")?
                    .as_deref()
                    .and_then(Role::parse),
                actor_name: row.try_get("display_name")?,
                body: row.try_get("body")?,
                before: row.try_get("before_value")?,
                after: row.try_get("after_value")?,
            })
        })
        .collect()
}
