//! The FAQ panel of the dashboard: deflections, the most-read articles and the least
//! helpful ones, over the report's months. Aggregated in SQL (one row per article).
//!
//! - Reads come from `faq_monthly_reads` (per article and month in the portal's zone).
//! - Helpful / not helpful are the "这篇文章有帮助吗?" answers last given in the period.
//! - A deflection is an open of an article the complaint form suggested, in the period,
//!   whose visit filed nothing within the window (rule in `store/faq/counters.rs`); opens
//!   still pending once the window has passed count, as settling would count them.
//! - "Least helpful" ranks by the smoothed share of "no" answers, (no + 1) / (all + 2), so
//!   one stray "no" does not outrank an article that many found useless; only articles with
//!   at least one "no" are listed.
//!
//! The category filter applies through the articles' complaint category; FAQ reading is not
//! tied to a community or department, so those filters do not narrow this panel (the page
//! says so).

use app::error::AppResult;
use app::reports::{FaqArticleStat, FaqUsage, ReportQuery};
use chrono::{DateTime, TimeDelta, Utc};
use sqlx::Row;

use crate::db::Db;
use crate::error::db;
use crate::store::sql::Sql;
use crate::store::to_ms;

/// Articles listed per ranking.
pub const TOP: i64 = 10;

pub async fn usage(
    database: &Db,
    query: &ReportQuery,
    utc_offset_minutes: i32,
    deflection_window: TimeDelta,
    now: DateTime<Utc>,
) -> AppResult<FaqUsage> {
    let start = to_ms(query.from.start(utc_offset_minutes));
    let end = to_ms(query.to.add(1).start(utc_offset_minutes));
    let deflections = deflections(database, query, start, end, now - deflection_window).await?;
    let most_read = ranking(database, query, start, end, Ranking::MostRead).await?;
    let least_helpful = ranking(database, query, start, end, Ranking::LeastHelpful).await?;
    if deflections == 0 && most_read.is_empty() && least_helpful.is_empty() {
        return Ok(FaqUsage::NoDataYet);
    }
    Ok(FaqUsage::Usage {
        deflections,
        most_read,
        least_helpful,
    })
}

fn category_filter(sql: &mut Sql, query: &ReportQuery) {
    if let Some(category) = query.category {
        sql.push(" AND a.complaint_category = ")
            .bind(category.code());
    }
}

async fn deflections(
    database: &Db,
    query: &ReportQuery,
    start: i64,
    end: i64,
    window_passed: DateTime<Utc>,
) -> AppResult<i64> {
    let mut sql = Sql::new(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM faq_suggested_opens o
         JOIN faq_articles a ON a.id = o.article_id
         WHERE o.opened_at >= ",
    );
    sql.bind(start)
        .push(" AND o.opened_at < ")
        .bind(end)
        .push(" AND (o.outcome = 'deflected' OR (o.outcome IS NULL AND o.opened_at <= ")
        .bind(to_ms(window_passed))
        .push("))");
    category_filter(&mut sql, query);
    let row = sql
        .query()
        .fetch_one(&database.pool)
        .await
        .map_err(db("counting FAQ deflections"))?;
    row.try_get(0).map_err(db("counting FAQ deflections"))
}

#[derive(Clone, Copy)]
enum Ranking {
    MostRead,
    LeastHelpful,
}

async fn ranking(
    database: &Db,
    query: &ReportQuery,
    start: i64,
    end: i64,
    ranking: Ranking,
) -> AppResult<Vec<FaqArticleStat>> {
    let mut sql = Sql::new(
        "SELECT a.slug, a.title, COALESCE(r.reads, 0) AS reads,
                COALESCE(f.yes, 0) AS yes, COALESCE(f.no, 0) AS no
         FROM faq_articles a
         LEFT JOIN (SELECT article_id, CAST(SUM(reads) AS BIGINT) AS reads
                    FROM faq_monthly_reads WHERE month >= ",
    );
    sql.bind(query.from.code())
        .push(" AND month <= ")
        .bind(query.to.code())
        .push(
            " GROUP BY article_id) r ON r.article_id = a.id
         LEFT JOIN (SELECT article_id,
                           CAST(SUM(CASE WHEN helpful = 1 THEN 1 ELSE 0 END) AS BIGINT) AS yes,
                           CAST(SUM(CASE WHEN helpful = 1 THEN 0 ELSE 1 END) AS BIGINT) AS no
                    FROM faq_feedback WHERE updated_at >= ",
        )
        .bind(start)
        .push(" AND updated_at < ")
        .bind(end)
        .push(" GROUP BY article_id) f ON f.article_id = a.id WHERE a.status = 'published'");
    category_filter(&mut sql, query);
    match ranking {
        Ranking::MostRead => sql.push(" AND r.reads > 0 ORDER BY r.reads DESC, a.id ASC"),
        Ranking::LeastHelpful => sql.push(
            " AND f.no > 0 ORDER BY CAST(f.no + 1 AS DOUBLE PRECISION) / (f.yes + f.no + 2) DESC,
              f.no DESC, a.id ASC",
        ),
    };
    sql.push(" LIMIT ").bind(TOP);
    let rows = sql
        .query()
        .fetch_all(&database.pool)
        .await
        .map_err(db("ranking FAQ articles"))?;
    rows.iter()
        .map(|row| {
            Ok(FaqArticleStat {
                slug: row.try_get("slug")?,
                title: row.try_get("title")?,
                reads: row.try_get("reads")?,
                helpful: row.try_get("yes")?,
                not_helpful: row.try_get("no")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(db("reading FAQ article figures"))
}
