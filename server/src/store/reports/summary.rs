//! The printed summary's list of corrective and preventive actions (rules.md
//! "Lifecycle" 8), by category: the complaints closed in the period, latest first.

use app::error::AppResult;
use app::reports::{CategoryActions, ClosingAction, Period, SUMMARY_ACTIONS_PER_CATEGORY};
use domain::Category;
use sqlx::{AnyPool, Row};

use crate::db::Db;
use crate::error::db;
use crate::store::{from_ms, to_ms};

/// Per category (index `complaints_by_closed` leads with it): how many were closed in the
/// period, and the latest closings with their actions.
pub async fn closing_actions(
    db: &Db,
    period: Period,
    utc_offset_minutes: i32,
) -> AppResult<Vec<CategoryActions>> {
    let (first, last) = period.months();
    let (start, end) = (
        to_ms(first.start(utc_offset_minutes)),
        to_ms(last.add(1).start(utc_offset_minutes)),
    );
    let mut out = Vec::new();
    for category in Category::ALL {
        let closed = count(&db.pool, *category, start, end).await?;
        if closed == 0 {
            continue;
        }
        let items = latest(&db.pool, *category, start, end).await?;
        out.push(CategoryActions {
            category: *category,
            closed,
            items,
        });
    }
    Ok(out)
}

async fn count(pool: &AnyPool, category: Category, start: i64, end: i64) -> AppResult<i64> {
    sqlx::query(
        "SELECT COUNT(*) FROM complaints WHERE category = $1 AND closed_at >= $2 AND closed_at < $3",
    )
    .bind(category.code())
    .bind(start)
    .bind(end)
    .fetch_one(pool)
    .await
    .and_then(|r| r.try_get(0))
    .map_err(db("counting closings"))
}

async fn latest(
    pool: &AnyPool,
    category: Category,
    start: i64,
    end: i64,
) -> AppResult<Vec<ClosingAction>> {
    sqlx::query(
        "SELECT c.id, c.tracking_code, m.name, c.closed_at, c.root_cause, c.corrective_action
         FROM complaints c JOIN communities m ON m.id = c.community_id
         WHERE c.category = $1 AND c.closed_at >= $2 AND c.closed_at < $3
         ORDER BY c.closed_at DESC, c.id DESC LIMIT $4",
    )
    .bind(category.code())
    .bind(start)
    .bind(end)
    .bind(SUMMARY_ACTIONS_PER_CATEGORY)
    .fetch_all(pool)
    .await
    .map_err(db("loading closing actions"))?
    .iter()
    .map(|r| {
        Ok(ClosingAction {
            id: r.try_get(0)?,
            tracking_code: r.try_get(1)?,
            community: r.try_get(2)?,
            closed_at: from_ms(r.try_get(3)?),
            root_cause: r.try_get::<Option<String>, _>(4)?.unwrap_or_default(),
            corrective_action: r.try_get::<Option<String>, _>(5)?.unwrap_or_default(),
        })
    })
    .collect::<Result<_, sqlx::Error>>()
    .map_err(db("reading closing actions"))
}
