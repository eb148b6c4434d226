//! Background work that several instances must not do at the same moment (the SLA
//! ticker, the nightly training): on PostgreSQL one instance at a time holds a session advisory lock while it
//! works, and the others skip that round. The lock belongs to a connection, so an
//! instance that dies releases it with its connection. SQLite serves one instance, which
//! always leads.
//!
//! Leadership only saves work: every notice the ticker sends is also claimed by a
//! conditional update in its own transaction, so even two ticks at once send it once.

use std::future::Future;

use sqlx::Row;

use crate::db::{Db, Engine};

/// A piece of background work, with its advisory-lock key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    SlaTick,
    NightlyTraining,
}

impl Job {
    fn key(self) -> i64 {
        // "portal" in ASCII, then the job.
        const PORTAL: i64 = 0x706f_7274_616c << 8;
        match self {
            Job::SlaTick => PORTAL | 1,
            Job::NightlyTraining => PORTAL | 2,
        }
    }
}

/// Runs `work` if no other instance is running `job`: `Some` of what it gave, `None` when
/// another instance is running it. The error is taking or releasing the lock.
pub async fn exclusively<T, F>(db: &Db, job: Job, work: F) -> Result<Option<T>, sqlx::Error>
where
    F: Future<Output = T>,
{
    if db.engine == Engine::Sqlite {
        return Ok(Some(work.await));
    }
    let mut conn = db.pool.acquire().await?;
    let locked: bool = sqlx::query("SELECT pg_try_advisory_lock($1)")
        .bind(job.key())
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    if !locked {
        return Ok(None);
    }
    let done = work.await;
    let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(job.key())
        .execute(&mut *conn)
        .await;
    if let Err(error) = unlocked {
        // Closing the connection releases the lock.
        tracing::warn!(%error, ?job, "cannot release the advisory lock; closing its connection");
        drop(conn.detach());
    }
    Ok(Some(done))
}
