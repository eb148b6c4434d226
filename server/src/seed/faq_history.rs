//! A year of FAQ reading for the demo: monthly reads per article (a few popular ones, a
//! long tail), "这篇文章有帮助吗?" answers (some articles mostly unhelpful, so the reports'
//! "least helpful" list says something), and suggested opens from the complaint form, most
//! deflected, some followed by a complaint. The articles' all-time counters are raised by
//! the same amounts, so the FAQ pages and the reports agree.

use app::reports::Month;
use chrono::{DateTime, TimeDelta, Utc};
use sqlx::{AnyConnection, Row};

use super::history::Dice;
use crate::db::Db;
use crate::store::sql::Sql;
use crate::store::to_ms;
use crate::AnyError;

/// Months of history, ending with the one before this.
const MONTHS: i64 = 12;

struct Feedback {
    article: i64,
    key: String,
    helpful: bool,
    comment: Option<&'static str>,
    at: i64,
}

struct Open {
    article: i64,
    key: String,
    at: i64,
    deflected: bool,
}

const UNHELPFUL_COMMENTS: &[&str] = &[
    "没有说清楚具体找谁",
    "步骤太笼统,照着做没解决",
    "电话打不通",
    "和我遇到的情况不一样",
];

pub async fn seed(db: &Db, utc_offset_minutes: i32, now: DateTime<Utc>) -> Result<(), AnyError> {
    let mut dice = Dice(0xFA0_2026_0008);
    let articles: Vec<(i64, bool)> = sqlx::query(
        "SELECT id, complaint_category FROM faq_articles
         WHERE status = 'published' ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|row| {
        Ok((
            row.try_get(0)?,
            row.try_get::<Option<String>, _>(1)?.is_some(),
        ))
    })
    .collect::<Result<_, sqlx::Error>>()?;
    if articles.is_empty() {
        return Ok(());
    }
    let mut reads: Vec<(i64, String, i64)> = Vec::new();
    let mut feedback = Vec::new();
    let mut opens = Vec::new();
    for (rank, (article, suggested)) in articles.iter().enumerate() {
        // A long tail: the first few articles are read most; every fifth one disappoints.
        let popularity = 600 / (rank as i64 % 17 + 1) + dice.below(40) as i64;
        let disappoints = rank % 5 == 3;
        for back in 1..=MONTHS {
            // One row per calendar month: somewhere in its first four weeks.
            let calendar = Month::of(now, utc_offset_minutes).add(-(back as i32));
            let at = calendar.start(utc_offset_minutes)
                + TimeDelta::hours(1 + dice.below(27 * 24) as i64);
            let month = calendar.code();
            // Busier in the rainy months (60–150 days back).
            let season = if (2..=5).contains(&back) { 3 } else { 2 };
            let n = popularity * season / 2 + dice.below(30) as i64;
            reads.push((*article, month, n));
            for vote in 0..(n / 40 + dice.below(3) as i64) {
                let helpful = if disappoints {
                    dice.chance(25)
                } else {
                    dice.chance(85)
                };
                feedback.push(Feedback {
                    article: *article,
                    key: format!("demo-{article}-{back}-{vote}"),
                    helpful,
                    comment: (!helpful && dice.chance(50)).then(|| *dice.pick(UNHELPFUL_COMMENTS)),
                    at: to_ms(at + TimeDelta::minutes(vote * 17)),
                });
            }
            if *suggested {
                for open in 0..(n / 25 + dice.below(2) as i64) {
                    opens.push(Open {
                        article: *article,
                        key: format!("demo-visit-{article}-{back}-{open}"),
                        at: to_ms(at + TimeDelta::minutes(open * 23)),
                        deflected: dice.chance(if disappoints { 35 } else { 70 }),
                    });
                }
            }
        }
    }
    let mut tx = db.begin().await?;
    for chunk in reads.chunks(100) {
        insert_reads(&mut tx, chunk).await?;
    }
    for chunk in feedback.chunks(100) {
        insert_feedback(&mut tx, chunk).await?;
    }
    for chunk in opens.chunks(100) {
        insert_opens(&mut tx, chunk).await?;
    }
    sqlx::query(
        "UPDATE faq_articles SET
            views = views + COALESCE((SELECT SUM(reads) FROM faq_monthly_reads r
                                      WHERE r.article_id = faq_articles.id), 0),
            helpful_yes = (SELECT COUNT(*) FROM faq_feedback f
                           WHERE f.article_id = faq_articles.id AND f.helpful = 1),
            helpful_no = (SELECT COUNT(*) FROM faq_feedback f
                          WHERE f.article_id = faq_articles.id AND f.helpful = 0),
            deflections = (SELECT COUNT(*) FROM faq_suggested_opens o
                           WHERE o.article_id = faq_articles.id AND o.outcome = 'deflected')",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn insert_reads(
    conn: &mut AnyConnection,
    rows: &[(i64, String, i64)],
) -> Result<(), sqlx::Error> {
    let mut sql = Sql::new("INSERT INTO faq_monthly_reads (article_id, month, reads) VALUES ");
    for (i, (article, month, n)) in rows.iter().enumerate() {
        sql.push(if i > 0 { ", (" } else { "(" })
            .bind(*article)
            .push(", ")
            .bind(month.as_str())
            .push(", ")
            .bind(*n)
            .push(")");
    }
    sql.push(
        " ON CONFLICT (article_id, month) DO UPDATE SET reads = faq_monthly_reads.reads + excluded.reads",
    );
    sql.query().execute(conn).await?;
    Ok(())
}

async fn insert_feedback(conn: &mut AnyConnection, rows: &[Feedback]) -> Result<(), sqlx::Error> {
    let mut sql = Sql::new(
        "INSERT INTO faq_feedback (article_id, visit_key, helpful, comment, created_at, updated_at) VALUES ",
    );
    for (i, f) in rows.iter().enumerate() {
        sql.push(if i > 0 { ", (" } else { "(" })
            .bind(f.article)
            .push(", ")
            .bind(f.key.as_str())
            .push(", ")
            .bind(i64::from(f.helpful))
            .push(", ");
        match f.comment {
            Some(comment) => sql.bind(comment),
            None => sql.push("NULL"),
        };
        sql.push(", ").bind(f.at).push(", ").bind(f.at).push(")");
    }
    sql.query().execute(conn).await?;
    Ok(())
}

async fn insert_opens(conn: &mut AnyConnection, rows: &[Open]) -> Result<(), sqlx::Error> {
    let mut sql = Sql::new(
        "INSERT INTO faq_suggested_opens (article_id, visit_key, opened_at, outcome, settled_at) VALUES ",
    );
    for (i, o) in rows.iter().enumerate() {
        sql.push(if i > 0 { ", (" } else { "(" })
            .bind(o.article)
            .push(", ")
            .bind(o.key.as_str())
            .push(", ")
            .bind(o.at)
            .push(", ")
            .bind(if o.deflected { "deflected" } else { "filed" })
            .push(", ")
            .bind(o.at + 2 * 3_600_000)
            .push(")");
    }
    sql.query().execute(conn).await?;
    Ok(())
}
