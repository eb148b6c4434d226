//! The staff queue: filters, sort, counts, SLA state — in SQL, so it stays fast with
//! a hundred thousand complaints (every filter has an index leading with its column).

use app::error::AppResult;
use app::model::{Actor, QueueCounts, QueueFilter, QueuePage, QueueRow};
use chrono::{DateTime, Utc};
use domain::{grading::Reason, Category, Deadlines, Level, Status, TrackingCode};
use sqlx::Row;

use super::row::{self, open_statuses};
use super::views::visible_department;
use super::ComplaintStore;
use crate::error::db;
use crate::store::sql::Sql;
use crate::store::{from_ms, to_ms};

pub const PAGE_SIZE: i64 = 50;
/// Longest search text used (longer input is cut, not refused).
const MAX_QUERY_CHARS: usize = 100;

pub async fn queue(
    store: &ComplaintStore,
    actor: &Actor,
    filter: &QueueFilter,
    now: DateTime<Utc>,
) -> AppResult<QueuePage> {
    let mut conditions = Sql::new("");
    where_clause(&mut conditions, actor, filter, now);
    let page = filter
        .page
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|p| *p >= 1)
        .unwrap_or(1);

    let mut list = Sql::new(
        "SELECT c.id, c.tracking_code, c.filed_at, c.category, c.level, c.level_reasons, c.status,
                m.name AS community, c.description, c.complainant_name, h.display_name AS handler,
                c.emergency, c.sla_warn_at, c.sla_due_at, c.paused_since, c.channel
         FROM complaints c
         JOIN communities m ON m.id = c.community_id
         LEFT JOIN users h ON h.id = c.handler_id",
    );
    append(&mut list, &conditions);
    list.push(order_by(&filter.sort));
    list.push(" LIMIT ")
        .bind(PAGE_SIZE)
        .push(" OFFSET ")
        .bind((page - 1) * PAGE_SIZE);
    let rows = list
        .query()
        .fetch_all(&store.db.pool)
        .await
        .map_err(db("loading the queue"))?;
    let rows = rows
        .iter()
        .map(|r| queue_row(r, now))
        .collect::<Result<Vec<_>, _>>()
        .map_err(db("reading the queue"))?;

    let mut counts = Sql::new("SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN c.sla_due_at < ");
    counts.bind(to_ms(now));
    counts.push(" THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN c.sla_warn_at < ");
    counts.bind(to_ms(now));
    counts.push(" AND (c.sla_due_at IS NULL OR c.sla_due_at >= ");
    counts.bind(to_ms(now));
    counts.push(") THEN 1 ELSE 0 END), 0) AS BIGINT) FROM complaints c");
    append(&mut counts, &conditions);
    let totals = counts
        .query()
        .fetch_one(&store.db.pool)
        .await
        .map_err(db("counting the queue"))?;
    let counts = QueueCounts {
        total: totals.try_get(0).map_err(db("reading counts"))?,
        breached: totals.try_get(1).map_err(db("reading counts"))?,
        due_soon: totals.try_get(2).map_err(db("reading counts"))?,
    };
    Ok(QueuePage {
        rows,
        counts,
        page,
        page_size: PAGE_SIZE,
        now,
    })
}

/// Appends `conditions` (which numbered its own parameters from $1) to `sql`.
fn append(sql: &mut Sql, conditions: &Sql) {
    conditions.append_to(sql);
}

fn where_clause(sql: &mut Sql, actor: &Actor, filter: &QueueFilter, now: DateTime<Utc>) {
    sql.push(" WHERE 1 = 1");
    match filter.status.trim() {
        "" | "open" => {
            sql.push(" AND c.status IN (");
            for (i, status) in open_statuses().into_iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(status);
            }
            sql.push(")");
        }
        "all" => {}
        code => {
            let status = Status::parse(code).map(|s| s.code()).unwrap_or("none");
            sql.push(" AND c.status = ").bind(status);
        }
    }
    if let Some(category) = Category::parse(filter.category.trim()) {
        sql.push(" AND c.category = ").bind(category.code());
    }
    if let Some(level) = filter
        .level
        .trim()
        .parse::<u8>()
        .ok()
        .and_then(Level::from_number)
    {
        sql.push(" AND c.level = ").bind(i64::from(level.number()));
    }
    match visible_department(actor) {
        Some(own) => {
            sql.push(" AND c.department_id = ").bind(own);
        }
        None => {
            if let Ok(department) = filter.department.trim().parse::<i64>() {
                sql.push(" AND c.department_id = ").bind(department);
            }
        }
    }
    match filter.handler.trim() {
        "mine" => {
            sql.push(" AND (c.handler_id = ")
                .bind(actor.user_id)
                .push(" OR c.agent_id = ")
                .bind(actor.user_id)
                .push(")");
        }
        other => {
            if let Ok(handler) = other.parse::<i64>() {
                sql.push(" AND c.handler_id = ").bind(handler);
            }
        }
    }
    if let Ok(community) = filter.community.trim().parse::<i64>() {
        sql.push(" AND c.community_id = ").bind(community);
    }
    // `none`: complaints that name no building (a hot-spot row of the reports).
    if filter.building.trim() == "none" {
        sql.push(" AND c.building_id IS NULL");
    } else if let Ok(building) = filter.building.trim().parse::<i64>() {
        sql.push(" AND c.building_id = ").bind(building);
    }
    // Months as the reports count them (`filed_month`); unreadable ones are ignored.
    if let Some(from) = app::reports::Month::parse(&filter.from) {
        sql.push(" AND c.filed_month >= ").bind(from.code());
    }
    if let Some(to) = app::reports::Month::parse(&filter.to) {
        sql.push(" AND c.filed_month <= ").bind(to.code());
    }
    let now = to_ms(now);
    match filter.sla.trim() {
        "breached" => {
            sql.push(" AND c.sla_due_at < ").bind(now);
        }
        "due_soon" => {
            sql.push(" AND c.sla_warn_at < ")
                .bind(now)
                .push(" AND (c.sla_due_at IS NULL OR c.sla_due_at >= ")
                .bind(now)
                .push(")");
        }
        "on_track" => {
            sql.push(" AND (c.sla_warn_at IS NULL OR c.sla_warn_at >= ")
                .bind(now);
            sql.push(") AND (c.sla_due_at IS NULL OR c.sla_due_at >= ")
                .bind(now)
                .push(")");
        }
        _ => {}
    }
    let q: String = filter.q.trim().chars().take(MAX_QUERY_CHARS).collect();
    if !q.is_empty() {
        if let Ok(code) = TrackingCode::parse(&q) {
            sql.push(" AND c.tracking_code = ").bind(code.as_str());
        } else if q.chars().filter(char::is_ascii_digit).count() >= 4
            && q.chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        {
            let digits: String = q.chars().filter(char::is_ascii_digit).collect();
            sql.push(" AND c.phone LIKE ")
                .bind(format!("%{}%", like_escape(&digits)))
                .push(" ESCAPE '\\'");
        } else {
            let pattern = format!("%{}%", like_escape(&q));
            sql.push(" AND (c.description LIKE ")
                .bind(pattern.clone())
                .push(" ESCAPE '\\'");
            sql.push(" OR c.complainant_name = ")
                .bind(q.clone())
                .push(" OR c.unit LIKE ")
                .bind(pattern)
                .push(" ESCAPE '\\')");
        }
    }
}

fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn order_by(sort: &str) -> &'static str {
    match sort.trim() {
        "oldest" => " ORDER BY c.filed_at ASC, c.id ASC",
        "level" => " ORDER BY c.level ASC, c.filed_at DESC, c.id DESC",
        "due" => {
            " ORDER BY CASE WHEN c.sla_due_at IS NULL THEN 1 ELSE 0 END, c.sla_due_at ASC, c.id ASC"
        }
        _ => " ORDER BY c.filed_at DESC, c.id DESC",
    }
}

fn queue_row(r: &sqlx::any::AnyRow, now: DateTime<Utc>) -> Result<QueueRow, sqlx::Error> {
    let description: String = r.try_get("description")?;
    let reasons: Vec<Reason> =
        serde_json::from_str(&r.try_get::<String, _>("level_reasons")?).unwrap_or_default();
    let deadlines = Deadlines {
        warn_at: r.try_get::<Option<i64>, _>("sla_warn_at")?.map(from_ms),
        due_at: r.try_get::<Option<i64>, _>("sla_due_at")?.map(from_ms),
    };
    Ok(QueueRow {
        id: r.try_get("id")?,
        tracking_code: r.try_get("tracking_code")?,
        filed_at: from_ms(r.try_get("filed_at")?),
        category: row::parse_category(&r.try_get::<String, _>("category")?),
        level: row::parse_level(r.try_get("level")?),
        top_reason: reasons.into_iter().next(),
        status: row::parse_status(&r.try_get::<String, _>("status")?),
        community: r.try_get("community")?,
        summary: description.chars().take(60).collect(),
        complainant: r.try_get("complainant_name")?,
        handler: r.try_get("handler")?,
        emergency: r.try_get::<i64, _>("emergency")? == 1,
        channel: domain::Channel::parse(&r.try_get::<String, _>("channel")?).unwrap_or_default(),
        waiting: r.try_get::<Option<i64>, _>("paused_since")?.is_some(),
        sla: deadlines.state_at(now),
        next_due: deadlines.due_at,
    })
}
