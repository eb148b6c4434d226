//! The append-only history of a complaint, written in the same transaction as the change
//! it records. Owners see the public part as their timeline; supervisors see all of it.

use app::model::{Actor, EventKind, TimelineEntry};
use chrono::{DateTime, Utc};
use domain::Role;
use sqlx::{AnyConnection, Row};

use super::{from_ms, to_ms};
use crate::live::Change;

/// One new history row.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub complaint_id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_role: Option<Role>,
    pub kind: EventKind,
    pub public: bool,
    pub body: Option<&'a str>,
    /// The body in English, for texts the system writes (staff-written texts have none).
    pub body_en: Option<&'a str>,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

impl<'a> NewEvent<'a> {
    /// An entry the owner sees.
    pub fn public(complaint_id: i64, at: DateTime<Utc>, kind: EventKind) -> NewEvent<'a> {
        NewEvent {
            complaint_id,
            at,
            actor_id: None,
            actor_role: None,
            kind,
            public: true,
            body: None,
            body_en: None,
            before: None,
            after: None,
        }
    }

    /// An entry only staff see.
    pub fn internal(complaint_id: i64, at: DateTime<Utc>, kind: EventKind) -> NewEvent<'a> {
        NewEvent {
            public: false,
            ..NewEvent::public(complaint_id, at, kind)
        }
    }

    pub fn by(mut self, actor: &Actor) -> NewEvent<'a> {
        self.actor_id = Some(actor.user_id);
        self.actor_role = Some(actor.role);
        self
    }

    pub fn by_role(mut self, role: Role) -> NewEvent<'a> {
        self.actor_role = Some(role);
        self
    }

    pub fn body(mut self, body: &'a str) -> NewEvent<'a> {
        self.body = Some(body);
        self
    }

    /// A system-written text in both languages.
    pub fn body_both(mut self, zh: &'a str, en: &'a str) -> NewEvent<'a> {
        self.body = Some(zh);
        self.body_en = Some(en);
        self
    }

    pub fn before(mut self, before: &'a str) -> NewEvent<'a> {
        self.before = Some(before);
        self
    }

    pub fn after(mut self, after: &'a str) -> NewEvent<'a> {
        self.after = Some(after);
        self
    }
}

/// Appends `event`; returns its id (the live stream's event id).
pub async fn append(conn: &mut AnyConnection, event: NewEvent<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO complaint_events
            (complaint_id, at, actor_id, actor_role, kind, public, body, before_value, after_value,
             body_en)
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
    .bind(event.body_en)
    .fetch_one(conn)
    .await?
    .try_get::<i64, _>(0)
}

/// The timeline of a complaint, oldest first; `public_only` for owners.
pub async fn timeline(
    conn: &mut AnyConnection,
    complaint_id: i64,
    public_only: bool,
) -> Result<Vec<TimelineEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT e.id, e.at, e.kind, e.public, e.actor_role, u.display_name, e.body, e.body_en,
                e.before_value, e.after_value
         FROM complaint_events e LEFT JOIN users u ON u.id = e.actor_id
         WHERE e.complaint_id = $1 AND (e.public = 1 OR $2 = 0)
         ORDER BY e.id",
    )
    .bind(complaint_id)
    .bind(i64::from(public_only))
    .fetch_all(conn)
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
                body_en: row.try_get("body_en")?,
                before: row.try_get("before_value")?,
                after: row.try_get("after_value")?,
            })
        })
        .collect()
}

/// The newest timeline row of a complaint and its department, if it exists (read inside
/// the transaction that is about to publish a change).
pub async fn newest(
    conn: &mut AnyConnection,
    complaint_id: i64,
) -> Result<Option<(i64, Option<i64>)>, sqlx::Error> {
    sqlx::query(
        "SELECT (SELECT MAX(e.id) FROM complaint_events e WHERE e.complaint_id = c.id), c.department_id
         FROM complaints c WHERE c.id = $1",
    )
    .bind(complaint_id)
    .fetch_optional(conn)
    .await?
    .map(|row| {
        let newest: Option<i64> = row.try_get(0)?;
        let department: Option<i64> = row.try_get(1)?;
        Ok::<_, sqlx::Error>(newest.map(|id| (id, department)))
    })
    .transpose()
    .map(Option::flatten)
}

/// Which changes a stream resumed after `after` missed: one per complaint, its newest row,
/// oldest first — of `complaint` only, or of the queue (of one department's complaints).
pub async fn changes_since(
    pool: &sqlx::AnyPool,
    after: i64,
    complaint: Option<i64>,
    department: Option<i64>,
    limit: i64,
) -> Result<Vec<Change>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT e.complaint_id, MAX(e.id) AS event_id, c.department_id
         FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id
         WHERE e.id > $1 AND ($2 = 0 OR e.complaint_id = $3) AND ($4 = 0 OR c.department_id = $5)
         GROUP BY e.complaint_id, c.department_id
         ORDER BY MAX(e.id) LIMIT $6",
    )
    .bind(after)
    .bind(i64::from(complaint.is_some()))
    .bind(complaint.unwrap_or(0))
    .bind(i64::from(department.is_some()))
    .bind(department.unwrap_or(0))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Change {
                complaint_id: row.try_get("complaint_id")?,
                event_id: row.try_get("event_id")?,
                department: row.try_get("department_id")?,
                previous_department: None,
            })
        })
        .collect()
}
