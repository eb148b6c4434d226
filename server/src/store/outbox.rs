//! The outbox: messages that leave the portal (SMS, e-mail, WeChat, webhooks), written in
//! the same transaction as the change that causes them and delivered later by the outbox
//! worker (`crate::outbox`). A crash between the commit and the delivery loses nothing: the
//! rows are there when the portal starts again.
//!
//! What a change sends is derived from the timeline rows it wrote (`derive`, called by
//! `live::commit` for every complaint a transaction touched): each complaint remembers the
//! newest row messages were derived from, so every row is looked at exactly once.

use app::model::EventKind;
use chrono::{DateTime, Utc};
use domain::{Level, Occasion, PhoneNumber, Status};
use sqlx::{AnyConnection, AnyPool, Row};

use super::{from_ms, to_ms};

/// The channels a message can leave by.
pub const SMS: &str = "sms";
pub const EMAIL: &str = "email";
pub const WECHAT: &str = "wechat";
pub const WEBHOOK: &str = "webhook";

/// The kind of a notice to a staff member (its text is the notice's).
pub const STAFF: &str = "staff";

/// Webhook events, as named in `openapi.yaml`.
pub const WEBHOOK_EVENTS: [&str; 6] = [
    "complaint.filed",
    "complaint.status_changed",
    "complaint.level_changed",
    "complaint.replied",
    "complaint.closed",
    "survey.answered",
];

/// What a complaint's owner chose and what webhooks need to know of it.
struct Facts {
    tracking_code: String,
    category: String,
    level: i64,
    status: String,
    phone: String,
    notify_sms: bool,
    notify_email: Option<String>,
    wechat_openid: Option<String>,
    urgent: bool,
    derived_up_to: i64,
    /// The language the owner reads (a tag, as stored).
    lang: String,
}

/// One message to write.
pub struct NewDelivery<'a> {
    pub complaint_id: Option<i64>,
    pub event_id: Option<i64>,
    pub channel: &'a str,
    pub kind: &'a str,
    pub recipient: &'a str,
    pub recipient_shown: &'a str,
    pub endpoint_id: Option<i64>,
    pub payload: Option<&'a str>,
    pub secret: Option<&'a str>,
    pub urgent: bool,
    pub at: DateTime<Utc>,
    /// The language the message is written in (a tag: `zh-CN`, `en`).
    pub lang: &'a str,
}

/// A fresh idempotency key: 128 random bits, hex.
pub fn new_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes one message; returns its idempotency key.
pub async fn insert(
    conn: &mut AnyConnection,
    message: &NewDelivery<'_>,
) -> Result<String, sqlx::Error> {
    let key = new_key();
    sqlx::query(
        "INSERT INTO deliveries (delivery_key, complaint_id, event_id, channel, kind, recipient,
                                 recipient_shown, endpoint_id, payload, secret, urgent, next_at, created_at,
                                 lang)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13)",
    )
    .bind(&key)
    .bind(message.complaint_id)
    .bind(message.event_id)
    .bind(message.channel)
    .bind(message.kind)
    .bind(message.recipient)
    .bind(message.recipient_shown)
    .bind(message.endpoint_id)
    .bind(message.payload)
    .bind(message.secret)
    .bind(i64::from(message.urgent))
    .bind(to_ms(message.at))
    .bind(message.lang)
    .execute(conn)
    .await?;
    Ok(key)
}

/// The owner's channels for a complaint: (channel, recipient, shown).
fn owner_channels(facts: &Facts) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    if facts.notify_sms {
        if let Ok(phone) = PhoneNumber::parse(&facts.phone) {
            if phone.is_mobile() {
                out.push((SMS, phone.as_str().to_owned(), phone.masked()));
            }
        }
    }
    if let Some(email) = facts.notify_email.as_deref().filter(|e| !e.is_empty()) {
        out.push((
            EMAIL,
            email.to_owned(),
            domain::messages::masked_email(email),
        ));
    }
    if let Some(openid) = facts.wechat_openid.as_deref().filter(|o| !o.is_empty()) {
        let shown: String = openid.chars().take(4).collect();
        out.push((WECHAT, openid.to_owned(), format!("{shown}…")));
    }
    out
}

async fn facts(conn: &mut AnyConnection, complaint_id: i64) -> Result<Option<Facts>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT tracking_code, category, level, status, phone,
                CASE WHEN EXISTS (SELECT 1 FROM sms_optouts o WHERE o.phone = complaints.phone)
                     THEN 0 ELSE notify_sms END AS notify_sms,
                notify_email, wechat_openid, emergency, outbox_event_id, lang
         FROM complaints WHERE id = $1",
    )
    .bind(complaint_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let level: i64 = row.try_get("level")?;
    Ok(Some(Facts {
        tracking_code: row.try_get("tracking_code")?,
        category: row.try_get("category")?,
        level,
        status: row.try_get("status")?,
        phone: row.try_get("phone")?,
        notify_sms: row.try_get::<i64, _>("notify_sms")? == 1,
        notify_email: row.try_get("notify_email")?,
        wechat_openid: row.try_get("wechat_openid")?,
        urgent: level == 1 || row.try_get::<i64, _>("emergency")? == 1,
        derived_up_to: row.try_get("outbox_event_id")?,
        lang: row.try_get("lang")?,
    }))
}

/// Queues the survey link for each of the owner's channels (the link is dropped from the
/// row once it has been sent).
pub async fn queue_survey(
    conn: &mut AnyConnection,
    complaint_id: i64,
    link: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let Some(facts) = facts(&mut *conn, complaint_id).await? else {
        return Ok(());
    };
    for (channel, recipient, shown) in owner_channels(&facts) {
        insert(
            &mut *conn,
            &NewDelivery {
                complaint_id: Some(complaint_id),
                event_id: None,
                channel,
                kind: Occasion::Survey.code(),
                recipient: &recipient,
                recipient_shown: &shown,
                endpoint_id: None,
                payload: None,
                secret: Some(link),
                urgent: false,
                at: now,
                lang: &facts.lang,
            },
        )
        .await?;
    }
    Ok(())
}

/// What one timeline row means outside the app.
struct Derived {
    occasion: Option<Occasion>,
    webhooks: Vec<(&'static str, serde_json::Value)>,
}

fn status_of(code: Option<&str>) -> Option<Status> {
    code.and_then(Status::parse)
}

fn meaning(
    kind: EventKind,
    public: bool,
    before: Option<&str>,
    after: Option<&str>,
    body: Option<&str>,
    by_owner: bool,
) -> Derived {
    let mut webhooks = Vec::new();
    let mut occasion = None;
    match kind {
        EventKind::Filed => {
            occasion = Some(Occasion::Filed);
            webhooks.push(("complaint.filed", serde_json::Value::Null));
        }
        EventKind::Reply if public => {
            occasion = Some(Occasion::Replied);
            webhooks.push((
                "complaint.replied",
                serde_json::json!({ "reply": { "body": body.unwrap_or_default() } }),
            ));
        }
        EventKind::Level => {
            let number = |v: Option<&str>| {
                v.and_then(|v| v.parse::<u8>().ok())
                    .and_then(Level::from_number)
            };
            if let (Some(from), Some(to)) = (number(before), number(after)) {
                if from != to {
                    webhooks.push((
                        "complaint.level_changed",
                        serde_json::json!({ "change": { "from": from.number(), "to": to.number() } }),
                    ));
                }
            }
        }
        _ => {}
    }
    if let (Some(from), Some(to)) = (status_of(before), status_of(after)) {
        if from != to && kind != EventKind::Level {
            webhooks.push((
                "complaint.status_changed",
                serde_json::json!({ "change": { "from": from.code(), "to": to.code() } }),
            ));
            if to == Status::Closed {
                webhooks.push(("complaint.closed", serde_json::Value::Null));
            }
            if public && occasion.is_none() {
                occasion = match to {
                    Status::NotValid => Some(Occasion::NotValid),
                    Status::SolutionProposed => Some(Occasion::Solution),
                    Status::Resolved => Some(Occasion::Resolved),
                    Status::Reopened => Some(Occasion::Reopened),
                    _ => None,
                };
            }
        }
    }
    if kind == EventKind::Revisit && by_owner {
        webhooks.push((
            "survey.answered",
            serde_json::json!({ "survey": { "summary": body.unwrap_or_default() } }),
        ));
    }
    Derived { occasion, webhooks }
}

/// An active webhook endpoint: its id, host (what staff see) and the events it wants.
struct Endpoint {
    id: i64,
    shown: String,
    events: String,
}

impl Endpoint {
    fn wants(&self, event: &str) -> bool {
        self.events.trim() == "*" || self.events.split(',').any(|e| e.trim() == event)
    }
}

/// Writes the messages the timeline rows of `complaint_id` newer than the last derivation
/// call for; returns how many. Runs inside the transaction that wrote the rows.
pub async fn derive(
    conn: &mut AnyConnection,
    complaint_id: i64,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let Some(facts) = facts(&mut *conn, complaint_id).await? else {
        return Ok(0);
    };
    let rows = sqlx::query(
        "SELECT id, at, kind, public, actor_role, body, before_value, after_value
         FROM complaint_events WHERE complaint_id = $1 AND id > $2 ORDER BY id",
    )
    .bind(complaint_id)
    .bind(facts.derived_up_to)
    .fetch_all(&mut *conn)
    .await?;
    let Some(newest) = rows.last().map(|r| r.try_get::<i64, _>("id")).transpose()? else {
        return Ok(0);
    };
    let endpoints: Vec<Endpoint> =
        sqlx::query("SELECT id, url, events FROM webhook_endpoints WHERE active = 1")
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| {
                let url: String = r.try_get("url")?;
                Ok(Endpoint {
                    id: r.try_get("id")?,
                    shown: crate::outbox::targets::host_of(&url),
                    events: r.try_get("events")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
    let owner = owner_channels(&facts);
    let mut written = 0;
    for row in &rows {
        let event_id: i64 = row.try_get("id")?;
        let Some(kind) = EventKind::parse(row.try_get::<String, _>("kind")?.as_str()) else {
            continue;
        };
        let public = row.try_get::<i64, _>("public")? == 1;
        let before: Option<String> = row.try_get("before_value")?;
        let after: Option<String> = row.try_get("after_value")?;
        let body: Option<String> = row.try_get("body")?;
        let by_owner = row.try_get::<Option<String>, _>("actor_role")?.as_deref() == Some("owner");
        let at = from_ms(row.try_get("at")?);
        let derived = meaning(
            kind,
            public,
            before.as_deref(),
            after.as_deref(),
            body.as_deref(),
            by_owner,
        );
        if let Some(occasion) = derived.occasion {
            for (channel, recipient, shown) in &owner {
                insert(
                    &mut *conn,
                    &NewDelivery {
                        complaint_id: Some(complaint_id),
                        event_id: Some(event_id),
                        channel,
                        kind: occasion.code(),
                        recipient,
                        recipient_shown: shown,
                        endpoint_id: None,
                        payload: None,
                        secret: None,
                        urgent: facts.urgent,
                        at: now,
                        lang: &facts.lang,
                    },
                )
                .await?;
                written += 1;
            }
        }
        for (event, extra) in derived.webhooks {
            for endpoint in endpoints.iter().filter(|e| e.wants(event)) {
                let key = new_key();
                let mut body = serde_json::json!({
                    "event": event,
                    "id": key,
                    "occurred_at": at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                    "complaint": {
                        "tracking_code": facts.tracking_code,
                        "category": facts.category,
                        "level": facts.level,
                        "status": facts.status,
                    },
                });
                if let (Some(body), serde_json::Value::Object(extra)) =
                    (body.as_object_mut(), &extra)
                {
                    body.extend(extra.clone());
                }
                let payload = body.to_string();
                sqlx::query(
                    "INSERT INTO deliveries (delivery_key, complaint_id, event_id, channel, kind, recipient,
                                             recipient_shown, endpoint_id, payload, urgent, next_at, created_at)
                     VALUES ($1, $2, $3, 'webhook', $4, $5, $6, $7, $8, $9, $10, $10)",
                )
                .bind(&key)
                .bind(complaint_id)
                .bind(event_id)
                .bind(event)
                .bind(endpoint.id.to_string())
                .bind(&endpoint.shown)
                .bind(endpoint.id)
                .bind(&payload)
                .bind(i64::from(facts.urgent))
                .bind(to_ms(now))
                .execute(&mut *conn)
                .await?;
                written += 1;
            }
        }
    }
    sqlx::query("UPDATE complaints SET outbox_event_id = $2 WHERE id = $1")
        .bind(complaint_id)
        .bind(newest)
        .execute(&mut *conn)
        .await?;
    Ok(written)
}

/// A message the worker holds for delivery.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub key: String,
    pub complaint_id: Option<i64>,
    pub channel: String,
    pub kind: String,
    pub recipient: String,
    pub recipient_shown: String,
    pub endpoint_id: Option<i64>,
    pub lang: String,
    pub payload: Option<String>,
    pub secret: Option<String>,
    pub urgent: bool,
    pub attempts: i64,
    pub tracking_code: Option<String>,
}

/// Claims up to `limit` messages that are due (or whose claim lapsed: a worker died while
/// sending them) until `lease_until`. On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several
/// instances claim side by side without taking the same row.
pub async fn claim(
    db: &crate::db::Db,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let lock = match db.engine {
        crate::db::Engine::Postgres => "FOR UPDATE SKIP LOCKED",
        crate::db::Engine::Sqlite => "",
    };
    let sql = format!(
        "UPDATE deliveries SET status = 'sending', locked_until = $1, attempts = attempts + 1
         WHERE id IN (SELECT id FROM deliveries
                      WHERE (status IN ('queued', 'retrying') AND next_at <= $2)
                         OR (status = 'sending' AND locked_until < $2)
                      ORDER BY next_at, id LIMIT $3 {lock})
         RETURNING id, delivery_key, complaint_id, channel, kind, recipient, recipient_shown,
                   endpoint_id, lang, payload, secret, urgent, attempts"
    );
    let mut tx = db.begin().await?;
    let rows = sqlx::query(&sql)
        .bind(to_ms(lease_until))
        .bind(to_ms(now))
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
    let mut claimed = Vec::with_capacity(rows.len());
    for r in &rows {
        claimed.push(Claimed {
            id: r.try_get("id")?,
            key: r.try_get("delivery_key")?,
            complaint_id: r.try_get("complaint_id")?,
            channel: r.try_get("channel")?,
            kind: r.try_get("kind")?,
            recipient: r.try_get("recipient")?,
            recipient_shown: r.try_get("recipient_shown")?,
            endpoint_id: r.try_get("endpoint_id")?,
            lang: r.try_get("lang")?,
            payload: r.try_get("payload")?,
            secret: r.try_get("secret")?,
            urgent: r.try_get::<i64, _>("urgent")? == 1,
            attempts: r.try_get("attempts")?,
            tracking_code: None,
        });
    }
    // The tracking codes the texts need, in one query.
    let ids: Vec<i64> = claimed.iter().filter_map(|c| c.complaint_id).collect();
    if !ids.is_empty() {
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let codes = sqlx::query(&format!(
            "SELECT id, tracking_code FROM complaints WHERE id IN ({list})"
        ))
        .fetch_all(&mut *tx)
        .await?;
        for row in &codes {
            let id: i64 = row.try_get("id")?;
            let code: String = row.try_get("tracking_code")?;
            for c in claimed.iter_mut().filter(|c| c.complaint_id == Some(id)) {
                c.tracking_code = Some(code.clone());
            }
        }
    }
    tx.commit().await?;
    Ok(claimed)
}

/// How a delivery attempt ended.
pub enum Outcome {
    /// Accepted by the receiver (an HTTP status, when there is one).
    Sent {
        code: Option<u16>,
        segments: Option<u32>,
    },
    /// No channel is configured: written to the server log only.
    Logged,
    /// Not now: quiet hours; try again at this time (not counted as an attempt).
    Held(DateTime<Utc>),
    /// Failed; retried at `retry_at`, or given up (dead) when `None`.
    Failed {
        error: String,
        code: Option<u16>,
        retry_at: Option<DateTime<Utc>>,
    },
}

/// Records how an attempt ended. A survey link is forgotten once it has left (a message
/// only logged has not left: its link stays for a channel configured later).
pub async fn settle(
    pool: &AnyPool,
    id: i64,
    outcome: &Outcome,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let query = match outcome {
        Outcome::Sent { code, segments } => sqlx::query(
            "UPDATE deliveries SET status = 'sent', sent_at = $2, locked_until = NULL, secret = NULL,
                    last_error = NULL, response_code = $3, segments = $4 WHERE id = $1",
        )
        .bind(id)
        .bind(to_ms(now))
        .bind(code.map(i64::from))
        .bind(segments.map(i64::from)),
        Outcome::Logged => sqlx::query(
            "UPDATE deliveries SET status = 'logged', sent_at = $2, locked_until = NULL,
                    last_error = NULL WHERE id = $1",
        )
        .bind(id)
        .bind(to_ms(now)),
        Outcome::Held(until) => sqlx::query(
            "UPDATE deliveries SET status = 'queued', next_at = $2, locked_until = NULL,
                    attempts = attempts - 1 WHERE id = $1",
        )
        .bind(id)
        .bind(to_ms(*until)),
        Outcome::Failed { error, code, retry_at } => {
            let (status, next) = match retry_at {
                Some(at) => ("retrying", to_ms(*at)),
                None => ("dead", to_ms(now)),
            };
            sqlx::query(
                "UPDATE deliveries SET status = $2, next_at = $3, locked_until = NULL, last_error = $4,
                        response_code = $5 WHERE id = $1",
            )
            .bind(id)
            .bind(status)
            .bind(next)
            .bind(error.chars().take(500).collect::<String>())
            .bind(code.map(i64::from))
        }
    };
    query.execute(pool).await.map(|_| ())
}

/// A dead (or held) message goes back in the queue with a fresh count of tries.
pub async fn retry(pool: &AnyPool, id: i64, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE deliveries SET status = 'queued', attempts = 0, next_at = $2, last_error = NULL
         WHERE id = $1 AND status IN ('dead', 'retrying', 'queued')",
    )
    .bind(id)
    .bind(to_ms(now))
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A webhook endpoint as the worker needs it.
pub struct EndpointTarget {
    pub url: String,
    pub secret: String,
    pub allow_private: bool,
    pub active: bool,
}

pub async fn endpoint(pool: &AnyPool, id: i64) -> Result<Option<EndpointTarget>, sqlx::Error> {
    sqlx::query("SELECT url, secret, allow_private, active FROM webhook_endpoints WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| {
            Ok(EndpointTarget {
                url: r.try_get("url")?,
                secret: r.try_get("secret")?,
                allow_private: r.try_get::<i64, _>("allow_private")? == 1,
                active: r.try_get::<i64, _>("active")? == 1,
            })
        })
        .transpose()
}

/// Registers (or updates) the operator's endpoint from `PORTAL_WEBHOOK_URL`: trusted as the
/// operator's choice, so a private address is allowed.
pub async fn ensure_env_endpoint(
    pool: &AnyPool,
    url: &str,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let existing: Option<i64> = sqlx::query("SELECT id FROM webhook_endpoints WHERE from_env = 1")
        .fetch_optional(pool)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
    match existing {
        Some(id) => {
            sqlx::query("UPDATE webhook_endpoints SET url = $2, secret = $3, events = '*', allow_private = 1, active = 1 WHERE id = $1")
                .bind(id)
                .bind(url)
                .bind(secret)
                .execute(pool)
                .await?;
        }
        None => {
            sqlx::query(
                "INSERT INTO webhook_endpoints (url, secret, events, allow_private, from_env, active, created_at)
                 VALUES ($1, $2, '*', 1, 1, 1, $3)",
            )
            .bind(url)
            .bind(secret)
            .bind(to_ms(now))
            .execute(pool)
            .await?;
        }
    }
    Ok(())
}

/// The operator removed `PORTAL_WEBHOOK_URL`: its endpoint stops receiving.
pub async fn retire_env_endpoint(pool: &AnyPool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE webhook_endpoints SET active = 0 WHERE from_env = 1")
        .execute(pool)
        .await
        .map(|_| ())
}

const LINE_COLUMNS: &str =
    "d.id, d.channel, d.kind, d.recipient_shown, d.status, d.attempts, d.last_error,
     d.response_code, d.created_at, d.sent_at, d.next_at, c.tracking_code";

fn line(r: &sqlx::any::AnyRow) -> Result<app::model::NoticeLine, sqlx::Error> {
    Ok(app::model::NoticeLine {
        id: r.try_get("id")?,
        channel: r.try_get("channel")?,
        kind: r.try_get("kind")?,
        to: r.try_get("recipient_shown")?,
        status: r.try_get("status")?,
        attempts: r.try_get("attempts")?,
        last_error: r.try_get("last_error")?,
        response_code: r.try_get("response_code")?,
        created_at: from_ms(r.try_get("created_at")?),
        sent_at: r.try_get::<Option<i64>, _>("sent_at")?.map(from_ms),
        next_at: from_ms(r.try_get("next_at")?),
        tracking_code: r.try_get("tracking_code")?,
    })
}

/// What the owner chose and the messages sent to them (webhooks are not theirs to see).
pub async fn owner_notices(
    conn: &mut AnyConnection,
    complaint_id: i64,
) -> Result<app::model::OwnerNotices, sqlx::Error> {
    let Some(facts) = facts(&mut *conn, complaint_id).await? else {
        return Ok(app::model::OwnerNotices::default());
    };
    let recent = sqlx::query(&format!(
        "SELECT {LINE_COLUMNS} FROM deliveries d LEFT JOIN complaints c ON c.id = d.complaint_id
         WHERE d.complaint_id = $1 AND d.channel <> 'webhook' AND d.kind <> 'staff' ORDER BY d.id DESC LIMIT 10"
    ))
    .bind(complaint_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(line)
    .collect::<Result<Vec<_>, _>>()?;
    let mobile = PhoneNumber::parse(&facts.phone)
        .ok()
        .filter(PhoneNumber::is_mobile);
    Ok(app::model::OwnerNotices {
        sms_to: mobile.map(|p| p.masked()),
        sms_on: facts.notify_sms,
        email_to: facts
            .notify_email
            .as_deref()
            .filter(|e| !e.is_empty())
            .map(domain::messages::masked_email),
        recent,
    })
}

/// The owner's choice; switching SMS off also stops the SMS still waiting to go.
pub async fn set_notices(
    conn: &mut AnyConnection,
    complaint_id: i64,
    sms_on: bool,
    email: Option<&str>,
) -> Result<(), sqlx::Error> {
    // The page shows the address on record masked: sent back as shown, it stays.
    let stored: Option<String> = sqlx::query("SELECT notify_email FROM complaints WHERE id = $1")
        .bind(complaint_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get::<Option<String>, _>(0))
        .transpose()?
        .flatten();
    let email = match (email, stored.as_deref()) {
        (Some(shown), Some(stored)) if shown == domain::messages::masked_email(stored) => {
            Some(stored)
        }
        (email, _) => email,
    };
    sqlx::query("UPDATE complaints SET notify_sms = $2, notify_email = $3 WHERE id = $1")
        .bind(complaint_id)
        .bind(i64::from(sms_on))
        .bind(email)
        .execute(&mut *conn)
        .await?;
    // Turning SMS on again lifts an unsubscription made by reply.
    if sms_on {
        sqlx::query(
            "DELETE FROM sms_optouts WHERE phone = (SELECT phone FROM complaints WHERE id = $1)",
        )
        .bind(complaint_id)
        .execute(&mut *conn)
        .await?;
    }
    let mut stopped = Vec::new();
    if !sms_on {
        stopped.push(SMS);
    }
    if email.is_none() {
        stopped.push(EMAIL);
    }
    for channel in stopped {
        sqlx::query(
            "UPDATE deliveries SET status = 'cancelled', secret = NULL
             WHERE complaint_id = $1 AND channel = $2 AND status IN ('queued', 'retrying')",
        )
        .bind(complaint_id)
        .bind(channel)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The owner texted the unsubscribe keyword: no more SMS to this phone, on any complaint.
pub async fn unsubscribe_phone(
    pool: &AnyPool,
    phone: &str,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO sms_optouts (phone, created_at) VALUES ($1, $2) ON CONFLICT (phone) DO NOTHING",
    )
    .bind(phone)
    .bind(to_ms(now))
    .execute(&mut *tx)
    .await?;
    let done =
        sqlx::query("UPDATE complaints SET notify_sms = 0 WHERE phone = $1 AND notify_sms = 1")
            .bind(phone)
            .execute(&mut *tx)
            .await?;
    sqlx::query(
        "UPDATE deliveries SET status = 'cancelled', secret = NULL
         WHERE channel = 'sms' AND recipient = $1 AND status IN ('queued', 'retrying')",
    )
    .bind(phone)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

/// The delivery log, newest first, optionally of one status.
pub async fn log(
    pool: &AnyPool,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<app::model::NoticeLine>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {LINE_COLUMNS} FROM deliveries d LEFT JOIN complaints c ON c.id = d.complaint_id
         WHERE ($1 = '' OR d.status = $1) ORDER BY d.id DESC LIMIT $2"
    ))
    .bind(status.unwrap_or(""))
    .bind(limit)
    .fetch_all(pool)
    .await?
    .iter()
    .map(line)
    .collect()
}

/// How many messages per status.
pub async fn counts(pool: &AnyPool) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query("SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status ORDER BY status")
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
        .collect()
}

/// Every webhook endpoint with its newest deliveries.
pub async fn endpoints(
    pool: &AnyPool,
) -> Result<Vec<app::model::WebhookEndpointView>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, url, events, allow_private, from_env, active FROM webhook_endpoints ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let last = sqlx::query(
            "SELECT status, response_code FROM deliveries WHERE endpoint_id = $1 ORDER BY id DESC LIMIT 5",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|d| Ok((d.try_get("status")?, d.try_get("response_code")?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        out.push(app::model::WebhookEndpointView {
            id,
            url: r.try_get("url")?,
            events: r.try_get("events")?,
            allow_private: r.try_get::<i64, _>("allow_private")? == 1,
            from_env: r.try_get::<i64, _>("from_env")? == 1,
            active: r.try_get::<i64, _>("active")? == 1,
            last,
        });
    }
    Ok(out)
}

/// Adds an administrator's endpoint.
pub async fn add_endpoint(
    conn: &mut AnyConnection,
    url: &str,
    secret: &str,
    events: &str,
    allow_private: bool,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO webhook_endpoints (url, secret, events, allow_private, from_env, active, created_at)
         VALUES ($1, $2, $3, $4, 0, 1, $5) RETURNING id",
    )
    .bind(url)
    .bind(secret)
    .bind(events)
    .bind(i64::from(allow_private))
    .bind(to_ms(now))
    .fetch_one(conn)
    .await?
    .try_get(0)
}

/// Switches an endpoint off (its queued deliveries are cancelled) or on again.
pub async fn set_endpoint_active(
    conn: &mut AnyConnection,
    id: i64,
    active: bool,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE webhook_endpoints SET active = $2 WHERE id = $1 AND from_env = 0")
            .bind(id)
            .bind(i64::from(active))
            .execute(&mut *conn)
            .await?;
    if !active {
        sqlx::query(
            "UPDATE deliveries SET status = 'cancelled' WHERE endpoint_id = $1 AND status IN ('queued', 'retrying')",
        )
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(done.rows_affected() == 1)
}
