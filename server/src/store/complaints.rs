//! Complaints: filing, finding, the queue, replies.

use app::error::{AppError, AppResult};
use app::model::{Actor, EventKind, OwnerComplaint, QueueRow, Receipt, StaffComplaint};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{Category, Intake, Level, PhoneNumber, Role, Status, TrackingCode};
use rand::RngCore;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::events::{self, NewEvent};
use super::{from_ms, local_month, to_ms};
use crate::db::Db;
use crate::error::db;

/// How many rows the queue shows at once.
const QUEUE_PAGE: i64 = 200;

pub struct ComplaintStore {
    pub db: Db,
    pub utc_offset_minutes: i32,
}

#[async_trait]
impl app::ssr::Complaints for ComplaintStore {
    async fn file(&self, intake: Intake, now: DateTime<Utc>) -> AppResult<Receipt> {
        let level = Level::Four;
        let flags: Vec<&str> = intake.flags.iter().map(|f| f.code()).collect();
        let mut tx = self.db.pool.begin().await.map_err(db("starting to file"))?;
        // A clash among 30^12 codes is practically impossible; the UNIQUE index would
        // refuse it and the owner could simply submit again.
        let code = new_tracking_code();
        let id: i64 = sqlx::query(
            "INSERT INTO complaints
                (tracking_code, channel, community_id, building_id, unit, complainant_name, phone,
                 category, description, people_count, claimed_amount_fen, flags, impact, emergency,
                 status, level, level_reasons, filed_at, filed_month, updated_at)
             VALUES ($1, 'web', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, '[]', $16, $17, $16)
             RETURNING id",
        )
        .bind(code.as_str())
        .bind(intake.community_id)
        .bind(intake.building_id)
        .bind(&intake.unit)
        .bind(&intake.name)
        .bind(intake.phone.as_str())
        .bind(intake.category.code())
        .bind(&intake.description)
        .bind(i64::from(intake.people_count))
        .bind(i64::try_from(intake.claimed_amount_fen).unwrap_or(i64::MAX))
        .bind(flags.join(","))
        .bind(intake.impact.code())
        .bind(i64::from(intake.emergency))
        .bind(Status::Filed.code())
        .bind(i64::from(level.number()))
        .bind(to_ms(now))
        .bind(local_month(now, self.utc_offset_minutes))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                AppError::Validation(app::error::FieldErrors::one("community_id", unknown_place()))
            }
            _ => crate::error::internal("filing a complaint", e),
        })?
        .try_get(0)
        .map_err(db("reading the new complaint id"))?;
        events::append(
            &mut tx,
            NewEvent {
                complaint_id: id,
                at: now,
                actor_id: None,
                actor_role: Some(Role::Owner),
                kind: EventKind::Filed,
                public: true,
                body: None,
                before: None,
                after: Some(Status::Filed.code()),
                data: None,
            },
        )
        .await
        .map_err(db("recording the filing"))?;
        tx.commit().await.map_err(db("committing a filing"))?;
        Ok(Receipt {
            complaint_id: id,
            tracking_code: code.as_str().to_owned(),
        })
    }

    async fn id_by_code(&self, code: &TrackingCode) -> AppResult<Option<i64>> {
        sqlx::query("SELECT id FROM complaints WHERE tracking_code = $1")
            .bind(code.as_str())
            .fetch_optional(&self.db.pool)
            .await
            .map_err(db("finding a complaint by code"))?
            .map(|row| row.try_get(0))
            .transpose()
            .map_err(db("reading a complaint id"))
    }

    async fn find_by_code(
        &self,
        code: &TrackingCode,
        phone: &PhoneNumber,
    ) -> AppResult<Option<i64>> {
        sqlx::query("SELECT id FROM complaints WHERE tracking_code = $1 AND phone = $2")
            .bind(code.as_str())
            .bind(phone.as_str())
            .fetch_optional(&self.db.pool)
            .await
            .map_err(db("checking a tracking code"))?
            .map(|row| row.try_get(0))
            .transpose()
            .map_err(db("reading a complaint id"))
    }

    async fn owner_view(&self, complaint_id: i64) -> AppResult<Option<OwnerComplaint>> {
        let Some(row) = self.load(complaint_id).await? else {
            return Ok(None);
        };
        let timeline = events::timeline(&self.db.pool, complaint_id, true)
            .await
            .map_err(db("loading a public timeline"))?;
        let c = Loaded::from_row(&row).map_err(db("reading a complaint"))?;
        Ok(Some(OwnerComplaint {
            tracking_code: c.tracking_code,
            status: c.status,
            category: c.category,
            level: c.level,
            filed_at: c.filed_at,
            community: c.community,
            building: c.building,
            unit: c.unit,
            description: c.description,
            timeline,
        }))
    }

    async fn queue(&self, actor: &Actor) -> AppResult<Vec<QueueRow>> {
        let department = visible_department(actor);
        let rows = sqlx::query(
            "SELECT c.id, c.tracking_code, c.filed_at, c.category, c.level, c.status,
                    m.name AS community, c.description, c.complainant_name
             FROM complaints c JOIN communities m ON m.id = c.community_id
             WHERE ($1 = 0 OR c.department_id = $2)
             ORDER BY c.filed_at DESC, c.id DESC
             LIMIT $3",
        )
        .bind(i64::from(department.is_some()))
        .bind(department.unwrap_or(0))
        .bind(QUEUE_PAGE)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db("loading the queue"))?;
        rows.iter()
            .map(queue_row)
            .collect::<Result<_, _>>()
            .map_err(db("reading the queue"))
    }

    async fn staff_view(
        &self,
        actor: &Actor,
        complaint_id: i64,
    ) -> AppResult<Option<StaffComplaint>> {
        let Some(row) = self.load(complaint_id).await? else {
            return Ok(None);
        };
        let c = Loaded::from_row(&row).map_err(db("reading a complaint"))?;
        if !may_see(actor, c.department_id) {
            return Err(AppError::Forbidden);
        }
        let timeline = events::timeline(&self.db.pool, complaint_id, false)
            .await
            .map_err(db("loading a timeline"))?;
        Ok(Some(StaffComplaint {
            id: complaint_id,
            tracking_code: c.tracking_code,
            status: c.status,
            category: c.category,
            level: c.level,
            filed_at: c.filed_at,
            community: c.community,
            building: c.building,
            unit: c.unit,
            complainant: c.complainant,
            phone: c.phone,
            people_count: c.people_count,
            description: c.description,
            timeline,
        }))
    }

    async fn add_reply(
        &self,
        actor: &Actor,
        complaint_id: i64,
        body: String,
        public: bool,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let mut tx = self.db.pool.begin().await.map_err(db("starting a reply"))?;
        let department: Option<Option<i64>> =
            sqlx::query("SELECT department_id FROM complaints WHERE id = $1")
                .bind(complaint_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db("checking a complaint"))?
                .map(|row| row.try_get(0))
                .transpose()
                .map_err(db("reading a complaint"))?;
        let Some(department) = department else {
            return Err(AppError::NotFound);
        };
        if !may_see(actor, department) {
            return Err(AppError::Forbidden);
        }
        events::append(
            &mut tx,
            NewEvent {
                complaint_id,
                at: now,
                actor_id: Some(actor.user_id),
                actor_role: Some(actor.role),
                kind: if public {
                    EventKind::Reply
                } else {
                    EventKind::Note
                },
                public,
                body: Some(&body),
                before: None,
                after: None,
                data: None,
            },
        )
        .await
        .map_err(db("recording a reply"))?;
        if public {
            // A public reply is a contact, a reply and a progress update for the SLA clocks.
            sqlx::query(
                "UPDATE complaints SET
                    first_contact_at = COALESCE(first_contact_at, $2),
                    first_reply_at = COALESCE(first_reply_at, $2),
                    last_progress_at = $2, updated_at = $2
                 WHERE id = $1",
            )
            .bind(complaint_id)
            .bind(to_ms(now))
            .execute(&mut *tx)
            .await
            .map_err(db("updating reply times"))?;
        }
        tx.commit().await.map_err(db("committing a reply"))
    }
}

impl ComplaintStore {
    async fn load(&self, complaint_id: i64) -> AppResult<Option<AnyRow>> {
        sqlx::query(
            "SELECT c.*, m.name AS community_name, b.name AS building_name
             FROM complaints c
             JOIN communities m ON m.id = c.community_id
             LEFT JOIN buildings b ON b.id = c.building_id
             WHERE c.id = $1",
        )
        .bind(complaint_id)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db("loading a complaint"))
    }
}

/// Handlers see their own department's complaints; other staff see all.
fn visible_department(actor: &Actor) -> Option<i64> {
    match actor.role {
        Role::Handler => Some(actor.department_id.unwrap_or(-1)),
        _ => None,
    }
}

fn may_see(actor: &Actor, complaint_department: Option<i64>) -> bool {
    match visible_department(actor) {
        None => actor.role.is_staff(),
        Some(department) => complaint_department == Some(department),
    }
}

fn new_tracking_code() -> TrackingCode {
    let mut rng = rand::rngs::OsRng;
    TrackingCode::generate(|| rng.next_u32())
}

fn unknown_place() -> String {
    "所选小区不存在,请重新选择 / The chosen community does not exist".to_owned()
}

/// The columns of one complaint that views need.
struct Loaded {
    tracking_code: String,
    status: Status,
    category: Category,
    level: Level,
    filed_at: DateTime<Utc>,
    community: String,
    building: Option<String>,
    unit: String,
    complainant: String,
    phone: String,
    people_count: u32,
    description: String,
    department_id: Option<i64>,
}

impl Loaded {
    fn from_row(row: &AnyRow) -> Result<Loaded, sqlx::Error> {
        Ok(Loaded {
            tracking_code: row.try_get("tracking_code")?,
            status: parse_status(row.try_get("status")?),
            category: parse_category(row.try_get("category")?),
            level: parse_level(row.try_get("level")?),
            filed_at: from_ms(row.try_get("filed_at")?),
            community: row.try_get("community_name")?,
            building: row.try_get("building_name")?,
            unit: row.try_get("unit")?,
            complainant: row.try_get("complainant_name")?,
            phone: row.try_get("phone")?,
            people_count: u32::try_from(row.try_get::<i64, _>("people_count")?).unwrap_or(1),
            description: row.try_get("description")?,
            department_id: row.try_get("department_id")?,
        })
    }
}

fn queue_row(row: &AnyRow) -> Result<QueueRow, sqlx::Error> {
    let description: String = row.try_get("description")?;
    Ok(QueueRow {
        id: row.try_get("id")?,
        tracking_code: row.try_get("tracking_code")?,
        filed_at: from_ms(row.try_get("filed_at")?),
        category: parse_category(row.try_get("category")?),
        level: parse_level(row.try_get("level")?),
        status: parse_status(row.try_get("status")?),
        community: row.try_get("community")?,
        summary: description.chars().take(60).collect(),
        complainant: row.try_get("complainant_name")?,
    })
}

// Codes in the database were written by this program; an unknown one means the
// row was edited by hand, and the safest reading is the most attention-getting one.
fn parse_status(code: String) -> Status {
    Status::parse(&code).unwrap_or(Status::Filed)
}

fn parse_category(code: String) -> Category {
    Category::parse(&code).unwrap_or(Category::PropertyManagement)
}

fn parse_level(n: i64) -> Level {
    u8::try_from(n)
        .ok()
        .and_then(Level::from_number)
        .unwrap_or(Level::One)
}
