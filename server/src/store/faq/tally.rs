//! Reads are counted in memory and written in batches, so reading an article never writes
//! in the request path and readers never queue behind the database's writer. A background
//! task flushes every few seconds (and once more at shutdown); every instance keeps its own
//! tally and adds it, so several instances count correctly. A crash loses at most the reads
//! of the last interval — view counts, never anything an owner or staff member wrote.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Utc};

use super::ms;
use crate::db::Db;

/// Reads not yet written.
#[derive(Debug, Default)]
struct Pending {
    /// (article, month in the portal's zone) → reads.
    views: HashMap<(i64, String), i64>,
    /// Suggested articles opened from the complaint form: (article, visit, when).
    opens: VecDeque<(i64, String, DateTime<Utc>)>,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.views.is_empty() && self.opens.is_empty()
    }

    fn absorb(&mut self, other: Pending) {
        for (key, n) in other.views {
            *self.views.entry(key).or_default() += n;
        }
        self.opens.extend(other.opens);
    }
}

/// At most this many suggested opens wait in memory; beyond it the oldest are dropped (a
/// flood of scripted opens cannot grow memory without bound).
const MAX_PENDING_OPENS: usize = 100_000;

#[derive(Debug, Default)]
pub struct ReadTally {
    pending: Mutex<Pending>,
}

impl ReadTally {
    pub fn view(&self, article: i64, month: String) {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        *pending.views.entry((article, month)).or_default() += 1;
    }

    pub fn suggested_open(&self, article: i64, visit: &str, at: DateTime<Utc>) {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        if pending.opens.len() >= MAX_PENDING_OPENS {
            pending.opens.pop_front();
        }
        pending.opens.push_back((article, visit.to_owned(), at));
    }

    /// Writes what was counted, in one transaction; on failure it is kept for the next try.
    pub async fn flush(&self, database: &Db) -> Result<(), sqlx::Error> {
        let taken = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()));
        if taken.is_empty() {
            return Ok(());
        }
        match write(database, &taken).await {
            Ok(()) => Ok(()),
            Err(error) => {
                self.pending
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .absorb(taken);
                Err(error)
            }
        }
    }
}

async fn write(database: &Db, pending: &Pending) -> Result<(), sqlx::Error> {
    let mut tx = database.begin().await?;
    // In a fixed order, so two instances flushing at once take their locks alike.
    let mut views: Vec<(&(i64, String), &i64)> = pending.views.iter().collect();
    views.sort();
    for ((article, month), n) in views {
        sqlx::query("UPDATE faq_articles SET views = views + $2 WHERE id = $1")
            .bind(article)
            .bind(n)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO faq_monthly_reads (article_id, month, reads) VALUES ($1, $2, $3)
             ON CONFLICT (article_id, month) DO UPDATE SET reads = faq_monthly_reads.reads + excluded.reads",
        )
        .bind(article)
        .bind(month)
        .bind(n)
        .execute(&mut *tx)
        .await?;
    }
    for (article, visit, at) in &pending.opens {
        sqlx::query(
            "INSERT INTO faq_suggested_opens (article_id, visit_key, opened_at) VALUES ($1, $2, $3)
             ON CONFLICT (visit_key, article_id) DO NOTHING",
        )
        .bind(article)
        .bind(visit)
        .bind(ms(*at))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}
