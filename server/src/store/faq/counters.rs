//! Whether articles help: views, "这篇文章有帮助吗?" answers, and deflections.
//!
//! The deflection rule. The complaint form links its suggested articles as
//! `/faq/:slug?from=complaint`. Opening one records (visit, article) — a visit is the browser
//! session, identified by a random key kept in it; staff are not counted, and one visit counts
//! an article once. The open stays pending while the visit may still file: filing a complaint
//! in the same visit within the window (`FaqSettings::deflection_window`, 2 hours) marks every
//! pending open of that visit `filed`. An open still pending when its window has passed is a
//! deflection: the owner read the suggestion and did not complain. Pending opens are settled
//! (marked `deflected` and added to the article's counter) by the knowledge base's background
//! job; pages that show the numbers count the unsettled ones too, without writing. A filing
//! after the window no longer cancels anything. Reads themselves are counted in memory first
//! (`tally.rs`).

use chrono::{DateTime, TimeDelta, Utc};

use app::error::{AppError, AppResult};
use sqlx::Row;

use super::ms;
use crate::db::Db;
use crate::error::db;

/// Longest comment kept with a vote (`app::api::faq` refuses longer ones with a message).
pub const COMMENT_CHARS: usize = 1000;

pub async fn complaint_filed(
    database: &Db,
    visit_key: &str,
    now: DateTime<Utc>,
    window: TimeDelta,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE faq_suggested_opens SET outcome = 'filed', settled_at = $2
         WHERE visit_key = $1 AND outcome IS NULL AND opened_at > $3",
    )
    .bind(visit_key)
    .bind(ms(now))
    .bind(ms(now - window))
    .execute(&database.pool)
    .await
    .map_err(db("cancelling deflections"))?;
    Ok(())
}

/// Counts every pending open whose window has passed as a deflection of its article. Safe
/// to run concurrently: an open is claimed by the update that marks it, once.
pub async fn settle(database: &Db, now: DateTime<Utc>, window: TimeDelta) -> AppResult<()> {
    let cutoff = ms(now - window);
    let articles: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT article_id FROM faq_suggested_opens WHERE outcome IS NULL AND opened_at <= $1",
    )
    .bind(cutoff)
    .fetch_all(&database.pool)
    .await
    .map_err(db("finding deflections"))?;
    for article in articles {
        let mut tx = database.begin().await.map_err(db("settling deflections"))?;
        let settled = sqlx::query(
            "UPDATE faq_suggested_opens SET outcome = 'deflected', settled_at = $2
             WHERE article_id = $1 AND outcome IS NULL AND opened_at <= $3",
        )
        .bind(article)
        .bind(ms(now))
        .bind(cutoff)
        .execute(&mut *tx)
        .await
        .map_err(db("settling deflections"))?
        .rows_affected();
        sqlx::query("UPDATE faq_articles SET deflections = deflections + $2 WHERE id = $1")
            .bind(article)
            .bind(i64::try_from(settled).unwrap_or(0))
            .execute(&mut *tx)
            .await
            .map_err(db("counting deflections"))?;
        tx.commit().await.map_err(db("committing deflections"))?;
    }
    Ok(())
}

/// Records or changes this visit's answer for a published article.
pub async fn vote(
    database: &Db,
    slug: &str,
    helpful: bool,
    comment: Option<String>,
    visit_key: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    // The server function tells the owner when a comment is too long; here it is only cut.
    let comment = comment
        .map(|c| c.trim().chars().take(COMMENT_CHARS).collect::<String>())
        .filter(|c| !c.is_empty());
    let mut tx = database.begin().await.map_err(db("recording a vote"))?;
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM faq_articles WHERE slug = $1 AND status = 'published'")
            .bind(slug)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db("finding a voted article"))?
            .ok_or(AppError::NotFound)?;
    let inserted = sqlx::query(
        "INSERT INTO faq_feedback (article_id, visit_key, helpful, comment, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (article_id, visit_key) DO NOTHING",
    )
    .bind(id)
    .bind(visit_key)
    .bind(i64::from(helpful))
    .bind(comment.as_deref())
    .bind(ms(now))
    .execute(&mut *tx)
    .await
    .map_err(db("recording a vote"))?
    .rows_affected();
    let column = |yes: bool| if yes { "helpful_yes" } else { "helpful_no" };
    if inserted == 1 {
        let sql = format!(
            "UPDATE faq_articles SET {0} = {0} + 1 WHERE id = $1",
            column(helpful)
        );
        sqlx::query(&sql)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db("counting a vote"))?;
    } else {
        let before = sqlx::query(
            "SELECT helpful, comment FROM faq_feedback WHERE article_id = $1 AND visit_key = $2",
        )
        .bind(id)
        .bind(visit_key)
        .fetch_one(&mut *tx)
        .await
        .map_err(db("loading a vote"))?;
        let was_helpful = before
            .try_get::<i64, _>("helpful")
            .map_err(db("reading a vote"))?
            != 0;
        let old_comment: Option<String> =
            before.try_get("comment").map_err(db("reading a vote"))?;
        sqlx::query(
            "UPDATE faq_feedback SET helpful = $3, comment = $4, updated_at = $5
             WHERE article_id = $1 AND visit_key = $2",
        )
        .bind(id)
        .bind(visit_key)
        .bind(i64::from(helpful))
        .bind(comment.or(old_comment))
        .bind(ms(now))
        .execute(&mut *tx)
        .await
        .map_err(db("changing a vote"))?;
        if was_helpful != helpful {
            let sql = format!(
                "UPDATE faq_articles SET {0} = {0} + 1, {1} = {1} - 1 WHERE id = $1",
                column(helpful),
                column(was_helpful)
            );
            sqlx::query(&sql)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(db("moving a vote"))?;
        }
    }
    tx.commit().await.map_err(db("committing a vote"))
}
