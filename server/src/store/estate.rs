//! The estate: communities, buildings and their units (households) with owners.
//!
//! An import is all-or-nothing and idempotent: the rows are checked before this module
//! sees them, the whole file is written in one transaction, and a unit that is already
//! as the file says is not written at all. A unit whose owner changed is updated and
//! audited (before/after); a retired place named in the file is in use again.

use std::collections::HashMap;

use app::error::AppResult;
use chrono::{DateTime, Utc};
use domain::estate::{EstateColumn, EstateRow};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use super::to_ms;
use crate::db::Db;
use crate::error::{db, internal};

/// Rows per multi-row INSERT (6 bound values each, well under both engines' limits).
const INSERT_BATCH: usize = 500;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    /// Rows in the file.
    pub rows: usize,
    pub communities_created: usize,
    pub buildings_created: usize,
    pub units_created: usize,
    /// Units whose owner (or retirement) changed.
    pub units_updated: usize,
    pub units_unchanged: usize,
}

struct Household {
    id: i64,
    owner_name: String,
    owner_phone: String,
    retired: bool,
}

/// Writes the checked rows of an estate file; `actor` is `None` from the command line.
pub async fn import(
    database: &Db,
    rows: &[EstateRow],
    actor: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<ImportSummary> {
    let mut tx = database.begin().await.map_err(db("starting the import"))?;
    let summary = import_in(&mut tx, rows, actor, now).await?;
    tx.commit().await.map_err(db("committing the import"))?;
    Ok(summary)
}

async fn import_in(
    conn: &mut AnyConnection,
    rows: &[EstateRow],
    actor: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<ImportSummary> {
    let at = to_ms(now);
    let mut summary = ImportSummary {
        rows: rows.len(),
        ..ImportSummary::default()
    };

    let mut communities: HashMap<String, (i64, bool)> = HashMap::new();
    for row in sqlx::query("SELECT id, name, retired FROM communities")
        .fetch_all(&mut *conn)
        .await
        .map_err(db("reading communities"))?
    {
        let id: i64 = row.try_get("id").map_err(db("reading a community"))?;
        let name: String = row.try_get("name").map_err(db("reading a community"))?;
        let retired: i64 = row.try_get("retired").map_err(db("reading a community"))?;
        communities.insert(name, (id, retired != 0));
    }
    let mut buildings: HashMap<(i64, String), (i64, bool)> = HashMap::new();
    for row in sqlx::query("SELECT id, community_id, name, retired FROM buildings")
        .fetch_all(&mut *conn)
        .await
        .map_err(db("reading buildings"))?
    {
        let id: i64 = row.try_get("id").map_err(db("reading a building"))?;
        let community: i64 = row
            .try_get("community_id")
            .map_err(db("reading a building"))?;
        let name: String = row.try_get("name").map_err(db("reading a building"))?;
        let retired: i64 = row.try_get("retired").map_err(db("reading a building"))?;
        buildings.insert((community, name), (id, retired != 0));
    }
    let mut households: HashMap<(i64, String, String), Household> = HashMap::new();
    for row in sqlx::query(
        "SELECT id, building_id, entrance, unit, owner_name, owner_phone, retired FROM households",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(db("reading units"))?
    {
        let read = db("reading a unit");
        let building: i64 = row.try_get("building_id").map_err(&read)?;
        let entrance: String = row.try_get("entrance").map_err(&read)?;
        let unit: String = row.try_get("unit").map_err(&read)?;
        let retired: i64 = row.try_get("retired").map_err(&read)?;
        households.insert(
            (building, entrance, unit),
            Household {
                id: row.try_get("id").map_err(&read)?,
                owner_name: row.try_get("owner_name").map_err(&read)?,
                owner_phone: row.try_get("owner_phone").map_err(&read)?,
                retired: retired != 0,
            },
        );
    }

    let mut new_units: Vec<(i64, &EstateRow)> = Vec::new();
    for row in rows {
        let community = match communities.get(&row.community).copied() {
            Some((id, retired)) => {
                if retired {
                    sqlx::query("UPDATE communities SET retired = 0 WHERE id = $1")
                        .bind(id)
                        .execute(&mut *conn)
                        .await
                        .map_err(db("bringing back a community"))?;
                    communities.insert(row.community.clone(), (id, false));
                }
                id
            }
            None => {
                let id: i64 =
                    sqlx::query("INSERT INTO communities (name) VALUES ($1) RETURNING id")
                        .bind(&row.community)
                        .fetch_one(&mut *conn)
                        .await
                        .map_err(db("adding a community"))?
                        .try_get(0)
                        .map_err(db("adding a community"))?;
                communities.insert(row.community.clone(), (id, false));
                summary.communities_created += 1;
                id
            }
        };
        let building_key = (community, row.building.clone());
        let building = match buildings.get(&building_key).copied() {
            Some((id, retired)) => {
                if retired {
                    sqlx::query("UPDATE buildings SET retired = 0 WHERE id = $1")
                        .bind(id)
                        .execute(&mut *conn)
                        .await
                        .map_err(db("bringing back a building"))?;
                    buildings.insert(building_key, (id, false));
                }
                id
            }
            None => {
                let id: i64 = sqlx::query(
                    "INSERT INTO buildings (community_id, name) VALUES ($1, $2) RETURNING id",
                )
                .bind(community)
                .bind(&row.building)
                .fetch_one(&mut *conn)
                .await
                .map_err(db("adding a building"))?
                .try_get(0)
                .map_err(db("adding a building"))?;
                buildings.insert(building_key, (id, false));
                summary.buildings_created += 1;
                id
            }
        };
        let phone = row.phone.as_ref().map_or("", |p| p.as_str());
        let key = (building, row.entrance.clone(), row.unit.clone());
        match households.get(&key) {
            None => new_units.push((building, row)),
            Some(found)
                if found.owner_name == row.owner_name
                    && found.owner_phone == phone
                    && !found.retired =>
            {
                summary.units_unchanged += 1;
            }
            Some(found) => {
                sqlx::query(
                    "UPDATE households SET owner_name = $1, owner_phone = $2, retired = 0, updated_at = $3
                     WHERE id = $4",
                )
                .bind(&row.owner_name)
                .bind(phone)
                .bind(at)
                .bind(found.id)
                .execute(&mut *conn)
                .await
                .map_err(db("updating a unit's owner"))?;
                let before = serde_json::json!({
                    "owner_name": found.owner_name,
                    "owner_phone": found.owner_phone,
                    "retired": found.retired,
                });
                let after = serde_json::json!({"owner_name": row.owner_name, "owner_phone": phone});
                audit(
                    conn,
                    at,
                    actor,
                    "estate_unit_updated",
                    &place(row),
                    Some(before.to_string()),
                    Some(after.to_string()),
                )
                .await?;
                summary.units_updated += 1;
            }
        }
    }
    for batch in new_units.chunks(INSERT_BATCH) {
        insert_units(conn, batch, at).await?;
    }
    summary.units_created = new_units.len();
    let totals = serde_json::to_string(&summary).map_err(|e| internal("summing up", e))?;
    audit(
        conn,
        at,
        actor,
        "import_estate",
        "estate",
        None,
        Some(totals),
    )
    .await?;
    Ok(summary)
}

async fn insert_units(
    conn: &mut AnyConnection,
    batch: &[(i64, &EstateRow)],
    at: i64,
) -> AppResult<()> {
    let mut sql = String::from(
        "INSERT INTO households (building_id, entrance, unit, owner_name, owner_phone, created_at, updated_at) VALUES ",
    );
    for i in 0..batch.len() {
        let n = i * 5;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "(${}, ${}, ${}, ${}, ${}, {at}, {at})",
            n + 1,
            n + 2,
            n + 3,
            n + 4,
            n + 5
        ));
    }
    let mut query = sqlx::query(&sql);
    for (building, row) in batch {
        query = query
            .bind(*building)
            .bind(&row.entrance)
            .bind(&row.unit)
            .bind(&row.owner_name)
            .bind(row.phone.as_ref().map_or("", |p| p.as_str()));
    }
    query
        .execute(&mut *conn)
        .await
        .map_err(db("adding units"))?;
    Ok(())
}

/// "翠湖花园/3栋/2单元/1501", for the audit trail.
fn place(row: &EstateRow) -> String {
    [&row.community, &row.building, &row.entrance, &row.unit]
        .iter()
        .filter(|part| !part.is_empty())
        .map(|part| part.as_str())
        .collect::<Vec<_>>()
        .join("/")
}

async fn audit(
    conn: &mut AnyConnection,
    at: i64,
    actor: Option<i64>,
    action: &str,
    target: &str,
    before: Option<String>,
    after: Option<String>,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, target, before_value, after_value)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(at)
    .bind(actor)
    .bind(action)
    .bind(target)
    .bind(before)
    .bind(after)
    .execute(&mut *conn)
    .await
    .map_err(db("auditing the estate"))?;
    Ok(())
}

/// The units in use, as a CSV file with the import's headers (UTF-8 with a BOM, so that
/// Excel opens it as UTF-8); importing it again changes nothing.
pub async fn export_csv(database: &Db) -> AppResult<Vec<u8>> {
    let rows = sqlx::query(
        "SELECT c.name AS community, b.name AS building, h.entrance, h.unit, h.owner_name, h.owner_phone
         FROM households h
         JOIN buildings b ON b.id = h.building_id
         JOIN communities c ON c.id = b.community_id
         WHERE h.retired = 0 AND b.retired = 0 AND c.retired = 0
         ORDER BY c.name, b.name, h.entrance, h.unit",
    )
    .fetch_all(&database.pool)
    .await
    .map_err(db("exporting the estate"))?;
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        let header: Vec<&str> = EstateColumn::ALL
            .into_iter()
            .map(|c| c.header_zh())
            .collect();
        writer
            .write_record(&header)
            .map_err(|e| internal("writing the export", e))?;
        for row in rows {
            let read = db("reading a unit");
            let record: [String; 6] = [
                row.try_get("community").map_err(&read)?,
                row.try_get("building").map_err(&read)?,
                row.try_get("entrance").map_err(&read)?,
                row.try_get("unit").map_err(&read)?,
                row.try_get("owner_name").map_err(&read)?,
                row.try_get("owner_phone").map_err(&read)?,
            ];
            writer
                .write_record(&record)
                .map_err(|e| internal("writing the export", e))?;
        }
        writer
            .flush()
            .map_err(|e| internal("writing the export", e))?;
    }
    Ok(out)
}

/// The units of a building in use, as owners type them ("2单元1501"), for the complaint
/// form's suggestions; owners are not part of it.
pub async fn unit_labels(database: &Db, building_id: i64) -> AppResult<Vec<String>> {
    let rows = sqlx::query(
        "SELECT h.entrance || h.unit AS label FROM households h
         JOIN buildings b ON b.id = h.building_id
         WHERE h.building_id = $1 AND h.retired = 0 AND b.retired = 0
         ORDER BY h.entrance, LENGTH(h.unit), h.unit",
    )
    .bind(building_id)
    .fetch_all(&database.pool)
    .await
    .map_err(db("listing a building's units"))?;
    rows.iter()
        .map(|row| row.try_get("label").map_err(db("reading a unit")))
        .collect()
}
