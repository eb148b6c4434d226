//! Keeping each complaint's stored SLA deadlines equal to what the domain computes.

use domain::{deadlines, SlaPolicy};
use sqlx::AnyConnection;

use super::row;
use crate::store::to_ms;

/// Recomputes the warn/due moments of complaint `id` from its timestamps.
pub async fn refresh(
    conn: &mut AnyConnection,
    id: i64,
    policy: &SlaPolicy,
) -> Result<(), sqlx::Error> {
    let Some(complaint) = row::load(&mut *conn, id).await? else {
        return Ok(());
    };
    let stored = deadlines(&complaint.clock_inputs(), policy);
    sqlx::query("UPDATE complaints SET sla_warn_at = $2, sla_due_at = $3 WHERE id = $1")
        .bind(id)
        .bind(stored.warn_at.map(to_ms))
        .bind(stored.due_at.map(to_ms))
        .execute(&mut *conn)
        .await
        .map(|_| ())
}
