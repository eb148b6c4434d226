//! Unsuccessful login attempts, counted in the database so that every instance sees
//! the same count (`auth::LoginLimiter` decides what a count means).

use sqlx::{AnyPool, Row};

/// Counts one more attempt on `digest` and returns how many there were before it in the
/// current window. A window that started at or before `expired` starts again now. One
/// statement, so parallel attempts (on any instance) each see the ones before them.
pub async fn count_attempt(
    pool: &AnyPool,
    digest: &str,
    now_ms: i64,
    expired: i64,
) -> Result<i64, sqlx::Error> {
    let attempts: i64 = sqlx::query(
        "INSERT INTO login_attempts (login_digest, attempts, window_start) VALUES ($1, 1, $2)
         ON CONFLICT (login_digest) DO UPDATE SET
           attempts = CASE WHEN login_attempts.window_start <= $3 THEN 1
                           ELSE login_attempts.attempts + 1 END,
           window_start = CASE WHEN login_attempts.window_start <= $3 THEN $2
                               ELSE login_attempts.window_start END
         RETURNING attempts",
    )
    .bind(digest)
    .bind(now_ms)
    .bind(expired)
    .fetch_one(pool)
    .await?
    .try_get(0)?;
    Ok(attempts - 1)
}

/// Attempts on `digest` in a window that started after `expired`.
pub async fn attempts(pool: &AnyPool, digest: &str, expired: i64) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "SELECT attempts FROM login_attempts WHERE login_digest = $1 AND window_start > $2",
    )
    .bind(digest)
    .bind(expired)
    .fetch_optional(pool)
    .await?;
    row.map_or(Ok(0), |r| r.try_get(0))
}

pub async fn clear(pool: &AnyPool, digest: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_attempts WHERE login_digest = $1")
        .bind(digest)
        .execute(pool)
        .await?;
    Ok(())
}

/// Forgets the windows that started at or before `expired`.
pub async fn delete_expired(pool: &AnyPool, expired: i64) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM login_attempts WHERE window_start <= $1")
            .bind(expired)
            .execute(pool)
            .await?
            .rows_affected(),
    )
}
