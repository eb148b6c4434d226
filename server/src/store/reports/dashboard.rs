//! The dashboard's queries. Each sums the rollup (`report_totals`, or `report_facts` for
//! one community or per place) over the query's months and keys, grouped by what one
//! chart needs; none reads the complaints but "open now".

use std::collections::{BTreeMap, HashMap};

use app::error::AppResult;
use app::reports::{
    ClockCompliance, Durations, Flags, HotSpotRow, HotSpots, Month, MonthRow, Report, ReportQuery,
    Revisits, Satisfactions, TeamLoad,
};
use chrono::{DateTime, Utc};
use domain::{Category, Clock, Level, Status, Text};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use crate::db::Db;
use crate::error::db;
use crate::store::complaints::row::open_statuses;
use crate::store::sql::Sql;
use crate::store::to_ms;

/// The busiest places the hot-spot table lists.
pub const HOT_SPOT_ROWS: usize = 15;
/// The busiest handlers listed.
pub const TOP_HANDLERS: usize = 10;

/// The whole dashboard (without the FAQ panel), its queries run side by side.
pub async fn report(db: &Db, query: &ReportQuery, now: DateTime<Utc>) -> AppResult<Report> {
    let pool = &db.pool;
    let (keys, values, level_months, departments, handlers, spots, live) = futures::try_join!(
        totals(pool, query),
        values(pool, query),
        levels_by_month(pool, query),
        department_timeliness(pool, query),
        handlers(pool, query),
        hot_spots(pool, query),
        open_now(pool, query, now),
    )?;
    let names = Names::load(pool).await?;
    let by_channel = channels(pool, query).await?;

    let mut months: BTreeMap<Month, MonthRow> = query
        .from
        .through(query.to)
        .map(|month| {
            let row = MonthRow {
                month,
                total: 0,
                levels: [0; 4],
            };
            (month, row)
        })
        .collect();
    let mut categories: HashMap<Category, i64> = HashMap::new();
    let mut loads: BTreeMap<i64, i64> = BTreeMap::new();
    for key in &keys {
        if let Some(row) = months.get_mut(&key.month) {
            row.total += key.n;
        }
        *categories.entry(key.category).or_default() += key.n;
        *loads.entry(key.department_id).or_default() += key.n;
    }
    for (month, level, n) in level_months {
        if let Some(row) = months.get_mut(&month) {
            row.levels[usize::from(level.number() - 1)] += n;
        }
    }
    let count = |dim: &str, value: &str| {
        values
            .get(&(dim.to_owned(), value.to_owned()))
            .copied()
            .unwrap_or(0)
    };
    // Ascending bounds, "longer" (-1) last.
    let buckets = |dim: &str| {
        let mut buckets: Vec<(i64, i64)> = values
            .iter()
            .filter(|((d, _), n)| d == dim && **n != 0)
            .filter_map(|((_, v), n)| Some((v.parse::<i64>().ok()?, *n)))
            .collect();
        buckets.sort_by_key(|(bound, _)| if *bound < 0 { i64::MAX } else { *bound });
        Durations { buckets }
    };
    let answers = |dim: &str| ["satisfied", "basic", "unsatisfied"].map(|a| count(dim, a));
    let mut departments: Vec<TeamLoad> = loads
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(id, total)| {
            let (on_time, timed) = departments.get(id).copied().unwrap_or((0, 0));
            TeamLoad {
                id: *id,
                name: names.department(*id),
                total: *total,
                on_time,
                timed,
            }
        })
        .collect();
    departments.sort_by_key(|t| (std::cmp::Reverse(t.total), t.id));
    let handlers = handlers
        .into_iter()
        .map(|(id, total, on_time, timed)| TeamLoad {
            id,
            name: names.user(id),
            total,
            on_time,
            timed,
        })
        .collect();

    Ok(Report {
        query: *query,
        total: keys.iter().map(|k| k.n).sum(),
        months: months.into_values().collect(),
        channels: domain::Channel::ALL
            .iter()
            .map(|c| (*c, by_channel.get(c).copied().unwrap_or(0)))
            .collect(),
        categories: Category::ALL
            .iter()
            .map(|c| (*c, categories.get(c).copied().unwrap_or(0)))
            .collect(),
        levels: Level::ALL
            .iter()
            .map(|l| (*l, count("level", &l.number().to_string())))
            .collect(),
        statuses: Status::ALL
            .iter()
            .map(|s| (*s, count("status", s.code())))
            .filter(|(_, n)| *n != 0)
            .collect(),
        first_contact: buckets("first_contact_minutes"),
        resolution: buckets("resolution_minutes"),
        clocks: Clock::ALL
            .iter()
            .enumerate()
            .map(|(i, clock)| ClockCompliance {
                clock: *clock,
                on_time: count(clock.code(), "1"),
                late: count(clock.code(), "0"),
                overdue_now: live.overdue[i],
            })
            .collect(),
        open_now: live.open,
        overdue_now: live.overdue_any,
        revisits: Revisits {
            answered: count("revisit", "answered"),
            pending: count("revisit", "pending"),
        },
        satisfaction: Satisfactions {
            process: answers("process"),
            timeliness: answers("timeliness"),
            attitude: answers("attitude"),
            result: answers("result"),
            overall: [1, 2, 3, 4, 5].map(|score: i64| count("overall", &score.to_string())),
        },
        flags: Flags {
            resolved: count("flag", "resolved"),
            reopened: count("flag", "reopened"),
            repeat: count("flag", "repeat"),
            group: count("flag", "group"),
            emergency: count("flag", "emergency"),
        },
        departments,
        handlers,
        hot_spots: spots.into_report(&names, query),
        faq: Default::default(),
        generated_at: now,
    })
}

/// `SELECT <columns>, SUM(n)` over `dims` and the query's months and keys, grouped by
/// `columns`: from `report_facts` when the query or the grouping names a community (its key
/// leads with the community), else from `report_totals`, summed over communities already.
pub fn facts(columns: &str, dims: &[&str], query: &ReportQuery) -> Sql {
    let table = if query.community.is_some() || columns.contains("community_id") {
        "report_facts"
    } else {
        "report_totals"
    };
    let mut sql = Sql::new(&format!(
        "SELECT {columns}, CAST(SUM(n) AS BIGINT) AS n FROM {table} WHERE dim IN ("
    ));
    for (i, dim) in dims.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(*dim);
    }
    sql.push(") AND month >= ")
        .bind(query.from.code())
        .push(" AND month <= ")
        .bind(query.to.code());
    if let Some(id) = query.community {
        sql.push(" AND community_id = ").bind(id);
    }
    if let Some(id) = query.department {
        sql.push(" AND department_id = ").bind(id);
    }
    if let Some(category) = query.category {
        sql.push(" AND category = ").bind(category.code());
    }
    sql.push(" GROUP BY ").push(columns);
    sql
}

/// Complaints of the query by channel. Read from the complaints themselves (the rollup
/// has no channel key), through the month index: the channel is fixed at filing.
pub async fn channels(
    pool: &AnyPool,
    query: &ReportQuery,
) -> AppResult<HashMap<domain::Channel, i64>> {
    let mut sql =
        Sql::new("SELECT channel, CAST(COUNT(*) AS BIGINT) FROM complaints WHERE filed_month >= ");
    sql.bind(query.from.code())
        .push(" AND filed_month <= ")
        .bind(query.to.code());
    if let Some(id) = query.community {
        sql.push(" AND community_id = ").bind(id);
    }
    if let Some(id) = query.department {
        sql.push(" AND department_id = ").bind(id);
    }
    if let Some(category) = query.category {
        sql.push(" AND category = ").bind(category.code());
    }
    sql.push(" GROUP BY channel");
    let mut out = HashMap::new();
    for row in fetch(pool, &sql, "counting channels").await? {
        let code: String = row.try_get(0).map_err(db("reading a channel"))?;
        let n: i64 = row.try_get(1).map_err(db("reading a count"))?;
        if let Some(channel) = domain::Channel::parse(&code) {
            *out.entry(channel).or_default() += n;
        }
    }
    Ok(out)
}

async fn fetch(pool: &AnyPool, sql: &Sql, what: &'static str) -> AppResult<Vec<AnyRow>> {
    sql.query().fetch_all(pool).await.map_err(db(what))
}

/// Complaints per month, category and department.
pub struct KeyCount {
    pub month: Month,
    pub category: Category,
    pub department_id: i64,
    pub n: i64,
}

pub async fn totals(pool: &AnyPool, query: &ReportQuery) -> AppResult<Vec<KeyCount>> {
    let sql = facts("month, category, department_id", &["all"], query);
    let rows = fetch(pool, &sql, "counting complaints").await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let month: String = row.try_get(0).map_err(db("reading a month"))?;
        let category: String = row.try_get(1).map_err(db("reading a category"))?;
        let (Some(month), Some(category)) = (Month::parse(&month), Category::parse(&category))
        else {
            continue;
        };
        out.push(KeyCount {
            month,
            category,
            department_id: row.try_get(2).map_err(db("reading a department"))?,
            n: row.try_get(3).map_err(db("reading a count"))?,
        });
    }
    Ok(out)
}

/// The dimensions that are simple counts per value, over the whole query.
pub const VALUE_DIMS: &[&str] = &[
    "level",
    "status",
    "first_contact",
    "first_reply",
    "resolution",
    "first_contact_minutes",
    "resolution_minutes",
    "flag",
    "revisit",
    "process",
    "timeliness",
    "attitude",
    "result",
    "overall",
];

pub async fn values(
    pool: &AnyPool,
    query: &ReportQuery,
) -> AppResult<HashMap<(String, String), i64>> {
    let sql = facts("dim, value", VALUE_DIMS, query);
    fetch(pool, &sql, "counting report values")
        .await?
        .iter()
        .map(|row| Ok(((row.try_get(0)?, row.try_get(1)?), row.try_get(2)?)))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(db("reading report values"))
}

pub async fn levels_by_month(
    pool: &AnyPool,
    query: &ReportQuery,
) -> AppResult<Vec<(Month, Level, i64)>> {
    let sql = facts("month, value", &["level"], query);
    let mut out = Vec::new();
    for row in fetch(pool, &sql, "counting levels per month").await? {
        let month: String = row.try_get(0).map_err(db("reading a month"))?;
        let level: String = row.try_get(1).map_err(db("reading a level"))?;
        let n: i64 = row.try_get(2).map_err(db("reading a count"))?;
        let level = level.parse::<u8>().ok().and_then(Level::from_number);
        if let (Some(month), Some(level)) = (Month::parse(&month), level) {
            out.push((month, level, n));
        }
    }
    Ok(out)
}

/// Per department: resolution clocks met on time, of those stopped.
pub async fn department_timeliness(
    pool: &AnyPool,
    query: &ReportQuery,
) -> AppResult<HashMap<i64, (i64, i64)>> {
    let sql = facts("department_id, value", &["resolution"], query);
    let mut out: HashMap<i64, (i64, i64)> = HashMap::new();
    for row in fetch(pool, &sql, "counting departments' timeliness").await? {
        let id: i64 = row.try_get(0).map_err(db("reading a department"))?;
        let value: String = row.try_get(1).map_err(db("reading a value"))?;
        let n: i64 = row.try_get(2).map_err(db("reading a count"))?;
        let entry = out.entry(id).or_default();
        if value == "1" {
            entry.0 += n;
        }
        entry.1 += n;
    }
    Ok(out)
}

/// The busiest handlers: (user id, complaints, resolved on time, resolution clocks stopped).
pub async fn handlers(pool: &AnyPool, query: &ReportQuery) -> AppResult<Vec<(i64, i64, i64, i64)>> {
    let sql = facts(
        "dim, value",
        &["handler", "handler_on_time", "handler_timed"],
        query,
    );
    let mut by_handler: HashMap<i64, (i64, i64, i64)> = HashMap::new();
    for row in fetch(pool, &sql, "counting handlers' load").await? {
        let dim: String = row.try_get(0).map_err(db("reading a dimension"))?;
        let value: String = row.try_get(1).map_err(db("reading a handler"))?;
        let n: i64 = row.try_get(2).map_err(db("reading a count"))?;
        let Ok(id) = value.parse::<i64>() else {
            continue;
        };
        let entry = by_handler.entry(id).or_default();
        match dim.as_str() {
            "handler" => entry.0 += n,
            "handler_on_time" => entry.1 += n,
            _ => entry.2 += n,
        }
    }
    let mut list: Vec<(i64, i64, i64, i64)> = by_handler
        .into_iter()
        .filter(|(_, (total, _, _))| *total > 0)
        .map(|(id, (total, on_time, timed))| (id, total, on_time, timed))
        .collect();
    list.sort_by_key(|(id, total, _, _)| (std::cmp::Reverse(*total), *id));
    list.truncate(TOP_HANDLERS);
    Ok(list)
}

/// Complaints per (community, building) and category; building 0 means "none named".
pub struct Spots(Vec<(i64, i64, Category, i64)>);

pub async fn hot_spots(pool: &AnyPool, query: &ReportQuery) -> AppResult<Spots> {
    let sql = facts("community_id, value, category", &["building"], query);
    let mut out = Vec::new();
    for row in fetch(pool, &sql, "counting hot spots").await? {
        let community: i64 = row.try_get(0).map_err(db("reading a community"))?;
        let building: String = row.try_get(1).map_err(db("reading a building"))?;
        let category: String = row.try_get(2).map_err(db("reading a category"))?;
        let n: i64 = row.try_get(3).map_err(db("reading a count"))?;
        if let (Ok(building), Some(category)) = (building.parse(), Category::parse(&category)) {
            if n != 0 {
                out.push((community, building, category, n));
            }
        }
    }
    Ok(Spots(out))
}

impl Spots {
    fn into_report(self, names: &Names, query: &ReportQuery) -> HotSpots {
        let mut places: HashMap<(i64, i64), HashMap<Category, i64>> = HashMap::new();
        for (community, building, category, n) in self.0 {
            *places
                .entry((community, building))
                .or_default()
                .entry(category)
                .or_default() += n;
        }
        let mut places: Vec<((i64, i64), HashMap<Category, i64>)> = places.into_iter().collect();
        let total = |counts: &HashMap<Category, i64>| counts.values().sum::<i64>();
        places.sort_by_key(|((community, building), counts)| {
            (std::cmp::Reverse(total(counts)), *community, *building)
        });
        let more = places.len().saturating_sub(HOT_SPOT_ROWS);
        places.truncate(HOT_SPOT_ROWS);
        // Columns: the categories anyone complained about here, in the spec's order.
        let categories: Vec<Category> = Category::ALL
            .iter()
            .copied()
            .filter(|c| {
                query.category.is_none_or(|only| only == *c)
                    && places
                        .iter()
                        .any(|(_, counts)| counts.get(c).copied().unwrap_or(0) > 0)
            })
            .collect();
        let rows = places
            .into_iter()
            .map(|((community, building), counts)| HotSpotRow {
                community_id: community,
                community: names.community(community),
                building_id: (building != 0).then_some(building),
                building: (building != 0).then(|| names.building(building)),
                counts: categories
                    .iter()
                    .map(|c| counts.get(c).copied().unwrap_or(0))
                    .collect(),
            })
            .collect();
        HotSpots {
            categories,
            rows,
            more,
        }
    }
}

/// Open complaints of the query now, and how many of them are past each clock's due time
/// (in `Clock::ALL` order).
pub struct Live {
    pub open: i64,
    pub overdue: [i64; 4],
    /// Open complaints with any clock past due.
    pub overdue_any: i64,
}

pub async fn open_now(pool: &AnyPool, query: &ReportQuery, now: DateTime<Utc>) -> AppResult<Live> {
    const DUE: [&str; 4] = [
        "first_contact_due",
        "first_reply_due",
        "progress_update_due",
        "resolution_due",
    ];
    // The query's own filters go inside the sums, so that the only index the WHERE clause
    // can use is the partial one holding just the open complaints (complaints_open_clocks),
    // and it covers every column read: a few thousand index entries, no table reads.
    let filters = |sql: &mut Sql| {
        sql.push("1 = 1");
        if let Some(id) = query.community {
            sql.push(" AND community_id = ").bind(id);
        }
        if let Some(id) = query.department {
            sql.push(" AND department_id = ").bind(id);
        }
        if let Some(category) = query.category {
            sql.push(" AND category = ").bind(category.code());
        }
    };
    let mut sql = Sql::new("SELECT CAST(COALESCE(SUM(CASE WHEN ");
    filters(&mut sql);
    sql.push(" THEN 1 ELSE 0 END), 0) AS BIGINT)");
    for column in DUE {
        sql.push(", CAST(COALESCE(SUM(CASE WHEN ");
        filters(&mut sql);
        sql.push(&format!(" AND {column} < "))
            .bind(to_ms(now))
            .push(" THEN 1 ELSE 0 END), 0) AS BIGINT)");
    }
    sql.push(", CAST(COALESCE(SUM(CASE WHEN ");
    filters(&mut sql);
    sql.push(" AND (");
    for (i, column) in DUE.iter().enumerate() {
        if i > 0 {
            sql.push(" OR ");
        }
        sql.push(&format!("{column} < ")).bind(to_ms(now));
    }
    sql.push(") THEN 1 ELSE 0 END), 0) AS BIGINT)");
    sql.push(" FROM complaints WHERE ")
        .push(&open_condition())
        .push(" AND filed_month >= ")
        .bind(query.from.code())
        .push(" AND filed_month <= ")
        .bind(query.to.code());
    let row = sql
        .query()
        .fetch_one(pool)
        .await
        .map_err(db("counting open complaints"))?;
    let read = |i: usize| row.try_get::<i64, _>(i).map_err(db("reading open counts"));
    Ok(Live {
        open: read(0)?,
        overdue: [read(1)?, read(2)?, read(3)?, read(4)?],
        overdue_any: read(5)?,
    })
}

/// `status IN ('filed', …)` over the open statuses, as literals (program constants): a
/// partial index is only used for the very condition it was made with.
pub fn open_condition() -> String {
    let list: Vec<String> = open_statuses().iter().map(|s| format!("'{s}'")).collect();
    format!("status IN ({})", list.join(", "))
}

/// Names of the places, departments and people a report mentions.
pub struct Names {
    communities: HashMap<i64, String>,
    buildings: HashMap<i64, String>,
    departments: HashMap<i64, Text>,
    users: HashMap<i64, String>,
}

impl Names {
    pub async fn load(pool: &AnyPool) -> AppResult<Names> {
        let pairs = |sql: &'static str| async move {
            sqlx::query(sql)
                .fetch_all(pool)
                .await
                .map_err(db("loading names"))?
                .iter()
                .map(|r| Ok((r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?)))
                .collect::<Result<HashMap<_, _>, sqlx::Error>>()
                .map_err(db("reading names"))
        };
        let departments = sqlx::query("SELECT id, name_zh, name_en FROM departments")
            .fetch_all(pool)
            .await
            .map_err(db("loading departments"))?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    Text::new(r.try_get::<String, _>(1)?, r.try_get::<String, _>(2)?),
                ))
            })
            .collect::<Result<HashMap<_, _>, sqlx::Error>>()
            .map_err(db("reading departments"))?;
        Ok(Names {
            communities: pairs("SELECT id, name FROM communities").await?,
            buildings: pairs("SELECT id, name FROM buildings").await?,
            // Staff are few; owners (who never handle complaints) are not read.
            users: pairs("SELECT id, display_name FROM users WHERE role <> 'owner'").await?,
            departments,
        })
    }

    fn community(&self, id: i64) -> String {
        self.communities
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("#{id}"))
    }

    fn building(&self, id: i64) -> String {
        self.buildings
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("#{id}"))
    }

    fn department(&self, id: i64) -> Text {
        match id {
            0 => Text::new("未分派", "Unassigned"),
            id => self
                .departments
                .get(&id)
                .cloned()
                .unwrap_or_else(|| Text::new(format!("#{id}"), format!("#{id}"))),
        }
    }

    fn user(&self, id: i64) -> Text {
        let name = self
            .users
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("#{id}"));
        Text::new(name.clone(), name)
    }
}

#[cfg(test)]
mod tests {
    use super::open_condition;

    #[test]
    fn the_open_index_names_the_statuses_the_domain_calls_open() {
        for migration in [
            include_str!("../../../migrations/sqlite/0012_responsibility.sql"),
            include_str!("../../../migrations/postgres/0012_responsibility.sql"),
        ] {
            let index = migration
                .split("CREATE INDEX complaints_open_clocks")
                .nth(1)
                .and_then(|rest| rest.split(';').next())
                .expect("the index is there");
            let condition: String = index
                .split("WHERE ")
                .nth(1)
                .expect("a partial index")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(condition.replace("( ", "("), open_condition());
        }
    }
}
