//! Photos and videos attached to complaints, and owners' messages on their complaints.
//! Each is a public timeline entry written in the same transaction, and tells whoever is
//! handling the complaint.

use app::error::{AppError, AppResult, FieldErrors};
use app::model::{EventKind, EvidenceItem};
use chrono::{DateTime, Utc};
use domain::evidence::{self, EvidenceLimits, Format, MediaKind};
use domain::{Lang, Role, Status};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, AnyPool, Row};

use super::events::{self, NewEvent};
use super::notifications::{self, Message};
use super::{from_ms, to_ms};
use crate::db::Db;
use crate::error::db;
use crate::files::FileStore;
use crate::live::{self, LiveHub, Touched};

/// Who attaches or writes: the owner (tracking session or account) or a staff member.
#[derive(Debug, Clone, Copy)]
pub struct Author {
    pub role: Role,
    pub user_id: Option<i64>,
}

/// A stored file: what it is (its bytes are in the file store).
pub struct Stored {
    pub complaint_id: i64,
    pub content_type: String,
    pub file_name: String,
}

fn refused(field: &str, lang: Lang, zh: &str, en: &str) -> AppError {
    AppError::Validation(FieldErrors::one(
        field,
        if lang == Lang::Zh { zh } else { en },
    ))
}

/// The complaint's status, or `NotFound`.
async fn status(conn: &mut AnyConnection, complaint_id: i64) -> AppResult<Status> {
    let code: String = sqlx::query("SELECT status FROM complaints WHERE id = $1")
        .bind(complaint_id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db("loading a complaint"))?
        .ok_or(AppError::NotFound)?
        .try_get(0)
        .map_err(db("reading a complaint"))?;
    Status::parse(&code).ok_or(AppError::Internal)
}

/// The handler and the receiving agent, who hear about what the owner adds.
async fn handlers(conn: &mut AnyConnection, complaint_id: i64) -> AppResult<Vec<i64>> {
    let row = sqlx::query("SELECT handler_id, agent_id FROM complaints WHERE id = $1")
        .bind(complaint_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(db("loading a complaint"))?;
    let mut users: Vec<i64> = [
        row.try_get::<Option<i64>, _>(0),
        row.try_get::<Option<i64>, _>(1),
    ]
    .into_iter()
    .filter_map(|r| r.ok().flatten())
    .collect();
    users.dedup();
    Ok(users)
}

/// Refuses to add to a closed complaint, on the form's `field`.
fn closed(field: &str, lang: Lang) -> AppError {
    refused(
        field,
        lang,
        "这宗投诉已结案，如有新的问题请重新提交投诉",
        "This complaint is closed; please file a new one for a new problem",
    )
}

/// An upload as it was received: written to a file in the store's `tmp/`, its size,
/// its first bytes (the format is read from them) and its digest, computed on the way.
#[derive(Debug)]
pub struct Received {
    pub path: std::path::PathBuf,
    pub size: u64,
    head: Vec<u8>,
    hasher: Sha256,
}

/// Bytes kept to recognise the format.
const HEAD_BYTES: usize = 32;

impl Received {
    pub fn new(path: std::path::PathBuf) -> Received {
        Received {
            path,
            size: 0,
            head: Vec::with_capacity(HEAD_BYTES),
            hasher: Sha256::new(),
        }
    }

    /// The next chunk, as it arrives (the caller writes it to the file).
    pub fn add(&mut self, chunk: &[u8]) {
        let room = HEAD_BYTES.saturating_sub(self.head.len());
        self.head
            .extend_from_slice(chunk.get(..room.min(chunk.len())).unwrap_or_default());
        self.hasher.update(chunk);
        self.size = self.size.saturating_add(chunk.len() as u64);
    }
}

/// Checks one upload (format read from its first bytes, size, room left:
/// `domain::evidence::check`), removes a photo's position, and stores it with its
/// timeline entry, in one transaction: two uploads at once cannot both take the last
/// place. The file is moved to its place before the row commits, and removed if the
/// commit fails.
#[allow(clippy::too_many_arguments)]
pub async fn add(
    database: &Db,
    files: &FileStore,
    hub: &dyn LiveHub,
    complaint_id: i64,
    author: Author,
    file_name: &str,
    received: Received,
    limits: &EvidenceLimits,
    lang: Lang,
    now: DateTime<Utc>,
) -> AppResult<i64> {
    let mut tx = database.begin().await.map_err(db("starting"))?;
    if status(&mut tx, complaint_id).await? == Status::Closed {
        return Err(closed("evidence", lang));
    }
    let existing: i64 = sqlx::query("SELECT COUNT(*) FROM evidence WHERE complaint_id = $1")
        .bind(complaint_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(db("counting evidence"))?
        .try_get(0)
        .map_err(db("reading a count"))?;
    let existing = usize::try_from(existing).unwrap_or(usize::MAX);
    let format = evidence::check(&received.head, received.size, existing, limits)
        .map_err(|e| AppError::Validation(FieldErrors::one(e.field(), e.message(lang))))?;
    let Received {
        path, size, hasher, ..
    } = received;
    // Where a photo was taken stays with the owner: GPS and XMP location are removed
    // (orientation kept) before it is stored or hashed. Photos are at most 10 MB.
    let (size, digest) = match format.kind {
        MediaKind::Image => {
            let bytes = tokio::fs::read(&path)
                .await
                .map_err(|e| crate::error::internal("reading an upload", e))?;
            let (bytes, stripped) = domain::photo_metadata::strip_location(bytes, format.mime);
            if stripped != domain::photo_metadata::Stripped::default() {
                tokio::fs::write(&path, &bytes)
                    .await
                    .map_err(|e| crate::error::internal("rewriting an upload", e))?;
            }
            (bytes.len() as u64, format!("{:x}", Sha256::digest(&bytes)))
        }
        MediaKind::Video => (size, format!("{:x}", hasher.finalize())),
    };
    let name = clean_name(file_name, format);
    let kind = match format.kind {
        MediaKind::Image => "image",
        MediaKind::Video => "video",
    };
    let size = i64::try_from(size).unwrap_or(i64::MAX);
    let id: i64 = sqlx::query(
        "INSERT INTO evidence (complaint_id, uploaded_at, uploader_role, uploader_id, file_name, content_type, kind, size_bytes, sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(complaint_id)
    .bind(to_ms(now))
    .bind(author.role.code())
    .bind(author.user_id)
    .bind(&name)
    .bind(format.mime)
    .bind(kind)
    .bind(size)
    .bind(&digest)
    .fetch_one(&mut *tx)
    .await
    .map_err(db("recording evidence"))?
    .try_get(0)
    .map_err(db("reading an id"))?;
    files
        .place(&path, id)
        .await
        .map_err(|e| crate::error::internal("placing an upload", e))?;
    // The timeline shows the file itself: what kind it is, and which.
    let evidence_id = id.to_string();
    let mut event = NewEvent::public(complaint_id, now, EventKind::Evidence)
        .by_role(author.role)
        .before(kind)
        .after(&evidence_id)
        .body(&name);
    event.actor_id = author.user_id;
    events::append(&mut tx, event)
        .await
        .map_err(db("recording the timeline"))?;
    if author.role == Role::Owner {
        let told = handlers(&mut tx, complaint_id).await?;
        let message = Message {
            kind: "evidence",
            zh: format!(
                "业主为投诉补充了{}：{name}",
                if kind == "image" { "照片" } else { "视频" }
            ),
            en: format!("The owner attached a {kind}: {name}"),
        };
        notifications::notify(&mut tx, &told, Some(complaint_id), &message, now)
            .await
            .map_err(db("notifying"))?;
    }
    if let Err(e) = live::commit(tx, hub, &[Touched::new(complaint_id)]).await {
        files.remove(id).await;
        return Err(db("committing")(e));
    }
    Ok(id)
}

/// Whether evidence `id` has its row (a stored file without one is an orphan).
pub async fn exists(pool: &sqlx::AnyPool, id: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("SELECT 1 FROM evidence WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .is_some())
}

/// A display name without paths or control characters, with the real extension.
fn clean_name(raw: &str, format: Format) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem: String = base
        .rsplit_once('.')
        .map_or(base, |(stem, _)| stem)
        .chars()
        .filter(|c| !c.is_control())
        .take(60)
        .collect();
    let stem = stem.trim();
    let stem = if stem.is_empty() { "evidence" } else { stem };
    format!("{stem}.{}", format.extension)
}

/// The complaint's files, oldest first (no bytes).
pub async fn list(conn: &mut AnyConnection, complaint_id: i64) -> AppResult<Vec<EvidenceItem>> {
    sqlx::query(
        "SELECT id, kind, file_name, size_bytes, uploaded_at FROM evidence WHERE complaint_id = $1 ORDER BY id",
    )
    .bind(complaint_id)
    .fetch_all(&mut *conn)
    .await
    .map_err(db("listing evidence"))?
    .iter()
    .map(|r| {
        Ok(EvidenceItem {
            id: r.try_get("id")?,
            kind: if r.try_get::<String, _>("kind")? == "video" {
                MediaKind::Video
            } else {
                MediaKind::Image
            },
            file_name: r.try_get("file_name")?,
            size_bytes: r.try_get("size_bytes")?,
            uploaded_at: from_ms(r.try_get("uploaded_at")?),
        })
    })
    .collect::<Result<_, sqlx::Error>>()
    .map_err(db("reading evidence"))
}

/// Whose file `id` is: its complaint and that complaint's department and handler (read
/// before the file itself, so a refused request never loads its bytes).
pub async fn owner_of(pool: &AnyPool, id: i64) -> AppResult<Option<(i64, app::access::Scope)>> {
    let Some(row) = sqlx::query(
        "SELECT e.complaint_id, c.department_id, c.handler_id
         FROM evidence e JOIN complaints c ON c.id = e.complaint_id WHERE e.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
    .map_err(db("finding evidence"))?
    else {
        return Ok(None);
    };
    let scope = app::access::Scope {
        department_id: row.try_get(1).map_err(db("reading evidence"))?,
        handler_id: row.try_get(2).map_err(db("reading evidence"))?,
    };
    Ok(Some((
        row.try_get(0).map_err(db("reading evidence"))?,
        scope,
    )))
}

/// What file `id` is (callers check who may see its complaint first).
pub async fn load(pool: &AnyPool, id: i64) -> AppResult<Option<Stored>> {
    let Some(row) =
        sqlx::query("SELECT complaint_id, content_type, file_name FROM evidence WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await
            .map_err(db("loading evidence"))?
    else {
        return Ok(None);
    };
    Ok(Some(Stored {
        complaint_id: row.try_get(0).map_err(db("reading evidence"))?,
        content_type: row.try_get(1).map_err(db("reading evidence"))?,
        file_name: row.try_get(2).map_err(db("reading evidence"))?,
    }))
}

/// Most characters in an owner's message.
pub const MESSAGE_MAX_CHARS: usize = 1000;

/// An owner's message on their complaint (补充说明, 催办): a public timeline entry; the
/// handler and the receiving agent are told.
#[allow(clippy::too_many_arguments)]
pub async fn owner_message(
    database: &Db,
    rules: &crate::policy::PolicyHandle,
    hub: &dyn LiveHub,
    complaint_id: i64,
    author: Author,
    body: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let body = body.trim();
    if body.is_empty() {
        return Err(refused(
            "body",
            lang,
            "请写下您要补充的内容",
            "Write what you want to add",
        ));
    }
    if body.chars().count() > MESSAGE_MAX_CHARS {
        return Err(refused(
            "body",
            lang,
            &format!("留言最多{MESSAGE_MAX_CHARS}字"),
            &format!("At most {MESSAGE_MAX_CHARS} characters"),
        ));
    }
    let mut tx = database.begin().await.map_err(db("starting"))?;
    if status(&mut tx, complaint_id).await? == Status::Closed {
        return Err(closed("body", lang));
    }
    let mut event = NewEvent::public(complaint_id, now, EventKind::OwnerMessage)
        .by_role(author.role)
        .body(body);
    event.actor_id = author.user_id;
    events::append(&mut tx, event)
        .await
        .map_err(db("recording the timeline"))?;
    // The owner answered what we were waiting for: the clocks run again.
    if let Some(complaint) = crate::store::complaints::row::load(&mut tx, complaint_id)
        .await
        .map_err(db("loading the complaint"))?
    {
        let ended =
            crate::store::complaints::steps::waiting::end_by_owner(&mut tx, &complaint, now)
                .await
                .map_err(db("ending a wait"))?;
        if ended {
            crate::store::complaints::deadlines::refresh(&mut tx, complaint_id, rules)
                .await
                .map_err(db("computing deadlines"))?;
        }
    }
    let told = handlers(&mut tx, complaint_id).await?;
    let preview: String = body.chars().take(40).collect();
    let message = Message {
        kind: "owner_message",
        zh: format!("业主留言：{preview}"),
        en: format!("The owner wrote: {preview}"),
    };
    notifications::notify(&mut tx, &told, Some(complaint_id), &message, now)
        .await
        .map_err(db("notifying"))?;
    live::commit(tx, hub, &[Touched::new(complaint_id)])
        .await
        .map_err(db("committing"))
}
