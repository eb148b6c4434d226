//! The company's labelled cases and the models trained from them (`classifier_models`).
//! The rules for training and promotion are the domain's (`domain::classifier::learning`);
//! the workflow is `crate::learning`.

use chrono::{DateTime, Utc};
use domain::Category;
use sqlx::{AnyConnection, AnyPool};

use super::to_ms;

/// Labelled by assigning the complaint (its category confirmed).
pub const ASSIGNED: &str = "assigned";
/// Labelled by correcting the complaint's category.
pub const CORRECTED: &str = "corrected";

/// Records that `by` confirmed or corrected `complaint_id`'s category, in the step's
/// transaction. A later label replaces an earlier one: the last word of staff counts.
pub async fn record_label(
    conn: &mut AnyConnection,
    complaint_id: i64,
    category: Category,
    source: &str,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO category_labels (complaint_id, category, source, labelled_by, labelled_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (complaint_id) DO UPDATE SET category = excluded.category,
            source = excluded.source, labelled_by = excluded.labelled_by,
            labelled_at = excluded.labelled_at",
    )
    .bind(complaint_id)
    .bind(category.code())
    .bind(source)
    .bind(by)
    .bind(to_ms(now))
    .execute(conn)
    .await
    .map(|_| ())
}

/// One labelled complaint with the text and the name to mask.
#[derive(Debug, sqlx::FromRow)]
pub struct CaseRow {
    pub complaint_id: i64,
    pub category: String,
    pub description: String,
    pub complainant_name: String,
    pub labelled_at: i64,
}

/// Every labelled complaint, oldest label first.
pub async fn cases(pool: &AnyPool) -> Result<Vec<CaseRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.complaint_id, l.category, c.description, c.complainant_name, l.labelled_at
         FROM category_labels l JOIN complaints c ON c.id = l.complaint_id
         ORDER BY l.labelled_at, l.complaint_id",
    )
    .fetch_all(pool)
    .await
}

/// How many complaints are labelled, and how many of them after `since` (ms).
pub async fn label_counts(pool: &AnyPool, since: i64) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN labelled_at > $1 THEN 1 ELSE 0 END), 0)
         FROM category_labels",
    )
    .bind(since)
    .fetch_one(pool)
    .await
}

/// Every staff member's and owner's display name (masked out of training texts).
pub async fn user_names(pool: &AnyPool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT display_name FROM users")
        .fetch_all(pool)
        .await
}

/// A trained model without its bytes.
#[derive(Debug, sqlx::FromRow)]
pub struct ModelRow {
    pub id: i64,
    pub created_at: i64,
    pub trainer: Option<String>,
    pub verdict: String,
    pub active: i64,
    pub digest: String,
    pub size: i64,
    pub cases: i64,
    pub trained_on: i64,
    pub report: String,
}

/// The latest models, newest first.
pub async fn models(pool: &AnyPool, limit: i64) -> Result<Vec<ModelRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id, m.created_at, u.display_name AS trainer, m.verdict, m.active, m.digest,
                LENGTH(m.bytes) AS size, m.cases, m.trained_on, m.report
         FROM classifier_models m LEFT JOIN users u ON u.id = m.trained_by
         ORDER BY m.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// A model's bytes and digest.
#[derive(Debug, sqlx::FromRow)]
pub struct ModelBytes {
    pub id: i64,
    pub digest: String,
    pub bytes: Vec<u8>,
}

/// The active model, if the portal has promoted one (none: the shipped model).
pub async fn active(pool: &AnyPool) -> Result<Option<ModelBytes>, sqlx::Error> {
    sqlx::query_as("SELECT id, digest, bytes FROM classifier_models WHERE active = 1")
        .fetch_optional(pool)
        .await
}

/// The active model's id (0: the shipped one), cheap enough to poll.
pub async fn active_id(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT id FROM classifier_models WHERE active = 1")
        .fetch_optional(pool)
        .await
        .map(Option::unwrap_or_default)
}

/// One model's bytes.
pub async fn model(pool: &AnyPool, id: i64) -> Result<Option<ModelBytes>, sqlx::Error> {
    sqlx::query_as("SELECT id, digest, bytes FROM classifier_models WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// When the last model was trained (ms; 0 for never).
pub async fn last_trained_at(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(created_at) FROM classifier_models")
        .fetch_one(pool)
        .await
        .map(Option::unwrap_or_default)
}

/// A model to store.
pub struct NewModel<'a> {
    pub trained_by: Option<i64>,
    pub verdict: &'a str,
    pub digest: &'a str,
    pub bytes: &'a [u8],
    pub cases: i64,
    pub trained_on: i64,
    pub report: &'a str,
}

/// Stores a trained model; a promoted one becomes the only active one. Returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    model: &NewModel<'_>,
    promote: bool,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    if promote {
        sqlx::query("UPDATE classifier_models SET active = 0 WHERE active = 1")
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query_scalar(
        "INSERT INTO classifier_models
            (created_at, trained_by, verdict, active, digest, bytes, cases, trained_on, report)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(to_ms(now))
    .bind(model.trained_by)
    .bind(model.verdict)
    .bind(i64::from(promote))
    .bind(model.digest)
    .bind(model.bytes.to_vec())
    .bind(model.cases)
    .bind(model.trained_on)
    .bind(model.report)
    .fetch_one(conn)
    .await
}

/// Makes model `id` the active one (`None`: back to the shipped model). False if there is
/// no such model, or it was never promoted (a rejected candidate cannot be switched on).
pub async fn activate(conn: &mut AnyConnection, id: Option<i64>) -> Result<bool, sqlx::Error> {
    if let Some(id) = id {
        let promotable: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM classifier_models WHERE id = $1 AND verdict = 'promoted'",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        if promotable.is_none() {
            return Ok(false);
        }
    }
    sqlx::query("UPDATE classifier_models SET active = 0 WHERE active = 1")
        .execute(&mut *conn)
        .await?;
    if let Some(id) = id {
        sqlx::query("UPDATE classifier_models SET active = 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(true)
}
