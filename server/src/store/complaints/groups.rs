//! Groups of complaints about the same issue (rules.md "Group and repeat complaints"), kept
//! in `complaint_groups`: a group is named after its first complaint and counts its distinct
//! complainants itself. One more complaint costs the same whatever the group's size: its own
//! row, one complainant row and the group's count. Members are raised only when the count
//! crosses a threshold the group has not reached before (≥ 3 → level 2, ≥ 10 → level 1), once
//! per threshold, by whichever filing crosses it first.

use chrono::{DateTime, Utc};
use domain::{GroupPolicy, Level};
use sqlx::{AnyConnection, Row};

use crate::store::to_ms;

/// What a group looked like before a complaint joined it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Known {
    pub complainants: u32,
    /// The new complainant has complained in this group before.
    pub has_phone: bool,
}

/// The group after a complaint joined it.
#[derive(Debug, Clone, Copy)]
pub struct Joined {
    pub complainants: u32,
    /// The level this complaint's joining forced on the group for the first time: its open
    /// members are to be raised and the supervisors told (the caller does both).
    pub crossed: Option<Level>,
}

/// The group `root` as it stands, and whether `phone` has complained in it.
pub async fn known(conn: &mut AnyConnection, root: i64, phone: &str) -> Result<Known, sqlx::Error> {
    let row = sqlx::query(
        "SELECT g.complainants,
                (SELECT COUNT(*) FROM complaint_group_complainants p
                 WHERE p.group_id = g.id AND p.phone = $2) AS has_phone
         FROM complaint_groups g WHERE g.id = $1",
    )
    .bind(root)
    .bind(phone)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some(row) => Known {
            complainants: count(row.try_get("complainants")?),
            has_phone: row.try_get::<i64, _>("has_phone")? > 0,
        },
        None => Known::default(),
    })
}

/// Puts the complaint `new` (inserted with `group_id = root`) and the earlier complaints in
/// `attach` that were in no group yet (the root among them when the group is new) into the
/// group `root`, and counts their complainants.
pub async fn join(
    conn: &mut AnyConnection,
    root: i64,
    new_phone: &str,
    attach: &[(i64, String)],
    policy: &GroupPolicy,
    now: DateTime<Utc>,
) -> Result<Joined, sqlx::Error> {
    sqlx::query(
        "INSERT INTO complaint_groups (id, complainants, level_applied, updated_at)
         VALUES ($1, 0, 0, $2) ON CONFLICT (id) DO NOTHING",
    )
    .bind(root)
    .bind(to_ms(now))
    .execute(&mut *conn)
    .await?;
    let mut added = 0_i64;
    for (id, phone) in attach {
        sqlx::query("UPDATE complaints SET group_id = $2 WHERE id = $1 AND group_id IS NULL")
            .bind(id)
            .bind(root)
            .execute(&mut *conn)
            .await?;
        added += add_complainant(conn, root, phone).await?;
    }
    added += add_complainant(conn, root, new_phone).await?;
    let row = sqlx::query(
        "UPDATE complaint_groups SET complainants = complainants + $2, updated_at = $3
         WHERE id = $1 RETURNING complainants, level_applied",
    )
    .bind(root)
    .bind(added)
    .bind(to_ms(now))
    .fetch_one(&mut *conn)
    .await?;
    let complainants = count(row.try_get("complainants")?);
    let applied_before = level(row.try_get("level_applied")?);
    let forced = policy.forced_level(complainants);
    let crossed = match forced {
        Some(forced) if applied_before.is_none_or(|before| forced.is_more_severe_than(before)) => {
            // Claimed first: two filings crossing at once raise and tell once.
            let claimed = sqlx::query(
                "UPDATE complaint_groups SET level_applied = $2
                 WHERE id = $1 AND (level_applied = 0 OR level_applied > $2)",
            )
            .bind(root)
            .bind(i64::from(forced.number()))
            .execute(&mut *conn)
            .await?
            .rows_affected();
            (claimed == 1).then_some(forced)
        }
        _ => None,
    };
    Ok(Joined {
        complainants,
        crossed,
    })
}

/// The group's open members (the ones a crossed threshold raises).
pub async fn open_members(
    conn: &mut AnyConnection,
    root: i64,
    open_codes: &[&str],
) -> Result<Vec<i64>, sqlx::Error> {
    let placeholders = (0..open_codes.len())
        .map(|i| format!("${}", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT id FROM complaints WHERE group_id = $1 AND status IN ({placeholders}) ORDER BY id"
    );
    let mut query = sqlx::query(&sql).bind(root);
    for code in open_codes {
        query = query.bind(*code);
    }
    query
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect()
}

/// Records `phone` among the group's complainants: 1 when it is new there, else 0.
async fn add_complainant(
    conn: &mut AnyConnection,
    root: i64,
    phone: &str,
) -> Result<i64, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO complaint_group_complainants (group_id, phone) VALUES ($1, $2)
         ON CONFLICT (group_id, phone) DO NOTHING",
    )
    .bind(root)
    .bind(phone)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(i64::from(inserted > 0))
}

/// Groups whose complaints were written without going through [`join`] (the demo history):
/// their rows, counted from their members.
pub async fn backfill(conn: &mut AnyConnection, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    // A group's first complaint belongs to it too.
    sqlx::query(
        "UPDATE complaints SET group_id = id
         WHERE group_id IS NULL
           AND id IN (SELECT m.group_id FROM complaints m WHERE m.group_id IS NOT NULL)",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO complaint_groups (id, complainants, level_applied, updated_at)
         SELECT c.group_id, COUNT(DISTINCT c.phone),
                CASE WHEN MAX(c.same_issue_complainants) >= 10 THEN 1
                     WHEN MAX(c.same_issue_complainants) >= 3 THEN 2 ELSE 0 END,
                $1
         FROM complaints c
         WHERE c.group_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM complaint_groups g WHERE g.id = c.group_id)
         GROUP BY c.group_id",
    )
    .bind(to_ms(now))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO complaint_group_complainants (group_id, phone)
         SELECT DISTINCT c.group_id, c.phone FROM complaints c
         WHERE c.group_id IS NOT NULL
         ON CONFLICT (group_id, phone) DO NOTHING",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn level(n: i64) -> Option<Level> {
    u8::try_from(n).ok().and_then(Level::from_number)
}
