//! What a backup reads and writes in the database (SQLite; PostgreSQL is backed up with
//! `pg_dump`).

use sqlx::{AnyPool, Row};

/// Writes a consistent copy of the live database to `path` while it keeps serving
/// (`VACUUM INTO` reads one snapshot; writers carry on).
pub async fn vacuum_into(pool: &AnyPool, path: &str) -> Result<(), sqlx::Error> {
    sqlx::query("VACUUM INTO $1")
        .bind(path)
        .execute(pool)
        .await?;
    Ok(())
}

/// `ok`, or what SQLite's integrity check found.
pub async fn integrity(pool: &AnyPool) -> Result<String, sqlx::Error> {
    let rows = sqlx::query("PRAGMA integrity_check")
        .fetch_all(pool)
        .await?;
    let found = rows
        .iter()
        .map(|r| r.try_get::<String, _>(0))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(found.join("; "))
}

/// Rows that say what a backup holds: complaints, timeline rows, accounts, evidence.
pub async fn counts(pool: &AnyPool) -> Result<Counts, sqlx::Error> {
    let one = |table: &'static str| async move {
        sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(pool)
            .await?
            .try_get::<i64, _>(0)
    };
    Ok(Counts {
        complaints: one("complaints").await?,
        events: one("complaint_events").await?,
        users: one("users").await?,
        evidence: one("evidence").await?,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub complaints: i64,
    pub events: i64,
    pub users: i64,
    pub evidence: i64,
}

/// Every evidence file the database refers to: (id, SHA-256 in hex).
pub async fn evidence_files(pool: &AnyPool) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query("SELECT id, sha256 FROM evidence ORDER BY id")
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}
