//! Complaints filed before migration 0004 get their per-clock record once, at start: the
//! migration leaves a marker in `settings`, this removes it when done.

use sqlx::Row;

use crate::db::Db;
use crate::policy::PolicyHandle;
use crate::store::complaints::deadlines;

const MARKER: &str = "reports_clock_backfill";
const BATCH: i64 = 500;

/// Records every complaint's clocks if the marker is there; returns how many it did.
pub async fn clocks(db: &Db, rules: &PolicyHandle) -> Result<usize, sqlx::Error> {
    let pending = sqlx::query("SELECT 1 FROM settings WHERE key = $1")
        .bind(MARKER)
        .fetch_optional(&db.pool)
        .await?
        .is_some();
    if !pending {
        return Ok(0);
    }
    let (mut done, mut after) = (0, 0_i64);
    loop {
        let ids: Vec<i64> =
            sqlx::query("SELECT id FROM complaints WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after)
                .bind(BATCH)
                .fetch_all(&db.pool)
                .await?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<_, _>>()?;
        let Some(last) = ids.last().copied() else {
            break;
        };
        let mut tx = db.begin().await?;
        for id in &ids {
            deadlines::refresh(&mut tx, *id, rules).await?;
        }
        tx.commit().await?;
        done += ids.len();
        after = last;
    }
    sqlx::query("DELETE FROM settings WHERE key = $1")
        .bind(MARKER)
        .execute(&db.pool)
        .await?;
    if done > 0 {
        tracing::info!(
            complaints = done,
            "recorded the SLA clocks of earlier complaints"
        );
    }
    Ok(done)
}
