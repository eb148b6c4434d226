//! The append-only history of a complaint, written in the same transaction as the change
//! it records. Owners see the public part as their timeline; supervisors see all of it.

use app::model::{Actor, EventKind, TimelineEntry};
use chrono::{DateTime, Utc};
use domain::Role;
use sqlx::{AnyConnection, Row};

use super::{from_ms, to_ms};

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
            (complaint_id, at, actor_id, actor_role, kind, public, body, before_value, after_value)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
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
        "SELECT e.id, e.at, e.kind, e.public, e.actor_role, u.display_name, e.body,
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
                before: row.try_get("before_value")?,
                after: row.try_get("after_value")?,
            })
        })
        .collect()
}
