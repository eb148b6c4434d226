//! The similar-complaint index (rules.md "Group and repeat complaints"): each indexed
//! complaint's grams (canonical characters and character bigrams, [`Features`]) by community,
//! category and gram. A new complaint is compared only with the complaints that share at least
//! [`Features::min_shared`] of its grams — a bound that drops none alike enough — so filing
//! reads a few posting lists instead of the community's month. The grams most texts have (修,
//! 水 in a month of repairs) are left out of the lookup where the bound allows.
//!
//! Indexed: complaints in no group, each group's first complaint and its [`GROUP_SAMPLE`] most
//! recent members. When a complaint joins a group, the member that falls out of that sample
//! leaves the index, so one more complaint costs the same whatever the group's size. Only the
//! group window is indexed: others' older complaints never join a new one's group, and the
//! owner's own (repeats) are read by phone. Older rows are pruned; complaints missing from the
//! index (an older database, the demo history) are indexed at start.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use domain::{Category, Features, RecentComplaint, Status};
use sqlx::{AnyConnection, Row};

use super::row;
use crate::store::{from_ms, to_ms};

/// How many of a group's most recent complaints a new one is compared with (besides its
/// first): owners describing one leak drift in their words, and a handful follows the drift.
pub const GROUP_SAMPLE: usize = 8;

/// Rows written per statement (six values each).
const ROWS_PER_INSERT: usize = 500;

/// A recent complaint of the same community and category, with its group.
pub struct Recent {
    pub complaint: RecentComplaint,
    pub group_id: Option<i64>,
}

/// A gram at least this frequent in a community and category may be left out of a lookup.
const COMMON: u32 = 64;
/// How long a count of frequent grams is used before it is taken again.
const RECOUNT: std::time::Duration = std::time::Duration::from_secs(600);

/// How many indexed texts of a community and category have each frequent gram, as this
/// instance last counted them. Only the choice of grams to look up depends on it
/// ([`Features::lookup`]), never which complaints are found: a stale count (another instance
/// indexing, texts pruned) costs reading, not correctness.
#[derive(Default)]
pub struct Frequencies {
    counted: std::sync::Mutex<HashMap<(i64, String), Counted>>,
}

struct Counted {
    at: std::time::Instant,
    grams: Arc<HashMap<String, u32>>,
}

impl Frequencies {
    async fn of(
        &self,
        conn: &mut AnyConnection,
        community_id: i64,
        category: &str,
    ) -> Result<Arc<HashMap<String, u32>>, sqlx::Error> {
        let key = (community_id, category.to_owned());
        if let Some(counted) = self.lock().get(&key) {
            if counted.at.elapsed() < RECOUNT {
                return Ok(Arc::clone(&counted.grams));
            }
        }
        let grams: HashMap<String, u32> = sqlx::query(
            "SELECT gram, COUNT(*) AS n FROM complaint_grams
             WHERE community_id = $1 AND category = $2
             GROUP BY gram HAVING COUNT(*) >= $3",
        )
        .bind(community_id)
        .bind(category)
        .bind(i64::from(COMMON))
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            let n: i64 = r.try_get("n")?;
            Ok((r.try_get("gram")?, u32::try_from(n).unwrap_or(u32::MAX)))
        })
        .collect::<Result<_, sqlx::Error>>()?;
        let grams = Arc::new(grams);
        self.lock().insert(
            key,
            Counted {
                at: std::time::Instant::now(),
                grams: Arc::clone(&grams),
            },
        );
        Ok(grams)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(i64, String), Counted>> {
        // A panic elsewhere leaves a usable map: counts are only a hint.
        self.counted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// What a new complaint is compared with.
pub struct Query<'a> {
    pub community_id: i64,
    pub category: Category,
    /// Its phone: this phone's own complaints filed since `since` are always compared
    /// (repeats: the repeat window).
    pub phone: &'a str,
    pub since: DateTime<Utc>,
    /// Others' complaints only count within the group window: the index is read from here.
    pub others_since: DateTime<Utc>,
    pub features: &'a Features,
    pub min_similarity: f64,
    pub frequencies: &'a Frequencies,
}

/// The complaints of the same community and category filed since `since` that may be about the
/// same issue: the indexed ones sharing enough grams, and all of this phone's.
pub async fn candidates(
    conn: &mut AnyConnection,
    query: &Query<'_>,
) -> Result<Vec<Recent>, sqlx::Error> {
    const COLUMNS: &str = "id, building_id, description, phone, filed_at, status, group_id";
    let counts = query
        .frequencies
        .of(&mut *conn, query.community_id, query.category.code())
        .await?;
    let lookup = query.features.lookup(query.min_similarity, COMMON, |g| {
        counts.get(g).copied().unwrap_or(0)
    });
    let grams = lookup.grams;
    let own = format!(
        "SELECT {COLUMNS} FROM complaints
         WHERE phone = $4 AND filed_at >= $3 AND community_id = $1 AND category = $2"
    );
    let sql = if grams.is_empty() {
        format!("{own} ORDER BY filed_at DESC LIMIT 2000")
    } else {
        let placeholders = (0..grams.len())
            .map(|i| format!("${}", i + 7))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "SELECT {COLUMNS} FROM complaints WHERE id IN (
                SELECT complaint_id FROM complaint_grams
                WHERE community_id = $1 AND category = $2 AND filed_at >= $6
                  AND gram IN ({placeholders})
                GROUP BY complaint_id HAVING COUNT(*) >= $5)
             UNION {own}
             ORDER BY filed_at DESC LIMIT 2000"
        )
    };
    let min_shared = i64::try_from(lookup.min_shared).unwrap_or(i64::MAX);
    let mut q = sqlx::query(&sql)
        .bind(query.community_id)
        .bind(query.category.code())
        .bind(to_ms(query.since))
        .bind(query.phone);
    if !grams.is_empty() {
        q = q.bind(min_shared).bind(to_ms(query.others_since));
        for gram in &grams {
            q = q.bind(*gram);
        }
    }
    let handled = [Status::Resolved, Status::Revisited, Status::Closed];
    q.fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            let status = row::parse_status(&r.try_get::<String, _>("status")?);
            Ok(Recent {
                complaint: RecentComplaint {
                    id: r.try_get("id")?,
                    community_id: query.community_id,
                    building_id: r.try_get("building_id")?,
                    category: query.category,
                    text: r.try_get("description")?,
                    complainant: r.try_get("phone")?,
                    filed_at: from_ms(r.try_get("filed_at")?),
                    handled: handled.contains(&status),
                },
                group_id: r.try_get("group_id")?,
            })
        })
        .collect()
}

/// One complaint as the index keeps it.
pub struct Indexed<'a> {
    pub id: i64,
    pub community_id: i64,
    pub category: &'a str,
    pub filed_at: DateTime<Utc>,
    pub group_id: Option<i64>,
    pub features: &'a Features,
}

/// Adds a complaint's grams to the index (again: nothing changes).
pub async fn index(conn: &mut AnyConnection, complaint: &Indexed<'_>) -> Result<(), sqlx::Error> {
    let grams: Vec<&str> = complaint.features.grams().collect();
    for chunk in grams.chunks(ROWS_PER_INSERT) {
        let values = (0..chunk.len())
            .map(|i| {
                let b = i * 6;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO complaint_grams
                (complaint_id, gram, community_id, category, filed_at, group_id)
             VALUES {values} ON CONFLICT (complaint_id, gram) DO NOTHING"
        );
        let mut q = sqlx::query(&sql);
        for gram in chunk {
            q = q
                .bind(complaint.id)
                .bind(*gram)
                .bind(complaint.community_id)
                .bind(complaint.category)
                .bind(to_ms(complaint.filed_at))
                .bind(complaint.group_id);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The complaints `ids` joined the group `root`: their grams carry it, and the group's indexed
/// members beyond its first and the [`GROUP_SAMPLE`] most recent leave the index. Reads and
/// writes a sample's worth of rows, whatever the group's size.
pub async fn grouped(conn: &mut AnyConnection, root: i64, ids: &[i64]) -> Result<(), sqlx::Error> {
    for id in ids {
        sqlx::query("UPDATE complaint_grams SET group_id = $2 WHERE complaint_id = $1")
            .bind(id)
            .bind(root)
            .execute(&mut *conn)
            .await?;
    }
    let indexed: Vec<i64> = sqlx::query(
        "SELECT complaint_id, MAX(filed_at) AS filed_at FROM complaint_grams
         WHERE group_id = $1 AND complaint_id <> $1
         GROUP BY complaint_id ORDER BY MAX(filed_at) DESC, complaint_id DESC",
    )
    .bind(root)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.try_get("complaint_id"))
    .collect::<Result<_, _>>()?;
    for id in indexed.iter().skip(GROUP_SAMPLE) {
        sqlx::query("DELETE FROM complaint_grams WHERE complaint_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The complaint's category was corrected: it is found under the new one.
pub async fn recategorised(
    conn: &mut AnyConnection,
    id: i64,
    category: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE complaint_grams SET category = $2 WHERE complaint_id = $1")
        .bind(id)
        .bind(category)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Drops the grams of complaints filed before `since`, the start of the group window (others'
/// older complaints are never in a group with a new one; the owner's own are read by phone). Complaint
/// ids grow with time, so everything below the first id still in the window goes.
pub async fn prune(conn: &mut AnyConnection, since: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "DELETE FROM complaint_grams WHERE complaint_id <
            (SELECT MIN(id) FROM complaints WHERE filed_at >= $1)",
    )
    .bind(to_ms(since))
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

/// Indexes the complaints filed since `since` that belong in the index and are not in it
/// (a database from before the index, complaints written without filing). Returns how many.
pub async fn index_missing(
    conn: &mut AnyConnection,
    since: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let sql = format!(
        "SELECT id, community_id, category, description, filed_at, group_id FROM (
            SELECT c.id, c.community_id, c.category, c.description, c.filed_at, c.group_id,
                   ROW_NUMBER() OVER (PARTITION BY COALESCE(c.group_id, c.id)
                                      ORDER BY c.filed_at DESC, c.id DESC) AS nth
            FROM complaints c WHERE c.filed_at >= $1
         ) r
         WHERE (r.nth <= {GROUP_SAMPLE} OR r.id = r.group_id)
           AND NOT EXISTS (SELECT 1 FROM complaint_grams g WHERE g.complaint_id = r.id)
         ORDER BY r.id"
    );
    let rows = sqlx::query(&sql)
        .bind(to_ms(since))
        .fetch_all(&mut *conn)
        .await?;
    for r in &rows {
        let description: String = r.try_get("description")?;
        let category: String = r.try_get("category")?;
        let features = Features::of(&description);
        index(
            &mut *conn,
            &Indexed {
                id: r.try_get("id")?,
                community_id: r.try_get("community_id")?,
                category: &category,
                filed_at: from_ms(r.try_get("filed_at")?),
                group_id: r.try_get("group_id")?,
                features: &features,
            },
        )
        .await?;
    }
    Ok(rows.len())
}
