//! The filtered complaints as CSV, streamed row by row (a year of a large portal is
//! hundreds of thousands of rows): the same months and keys as the dashboard, so the file
//! has exactly as many rows as the dashboard counts.

use app::reports::csv::{self, Cell};
use app::reports::ReportQuery;
use domain::{Lang, Level, Status};
use futures::TryStreamExt;
use sqlx::any::AnyRow;
use sqlx::Row;
use tokio::sync::mpsc;

use crate::db::Db;
use crate::store::complaints::row::{parse_category, parse_level, parse_status};
use crate::store::from_ms;
use crate::store::sql::Sql;

/// Rows are sent in chunks of about this many bytes.
const CHUNK: usize = 64 * 1024;

const COLUMNS: &[(&str, &str)] = &[
    ("查询码", "Tracking code"),
    ("提交时间", "Filed at"),
    ("月份", "Month"),
    ("小区", "Community"),
    ("楼栋", "Building"),
    ("单元/房号", "Unit"),
    ("类别", "Category"),
    ("等级", "Level"),
    ("状态", "Status"),
    ("紧急", "Emergency"),
    ("责任部门", "Department"),
    ("处理人", "Handler"),
    ("首次联系用时（分钟）", "Minutes to first contact"),
    ("首次联系按时", "First contact on time"),
    ("首次答复按时", "First reply on time"),
    ("解决用时（小时）", "Hours to resolve"),
    ("解决按时", "Resolved on time"),
    ("重复投诉", "Repeat"),
    ("群诉", "Group"),
    ("回访轮次", "Revisit rounds"),
    ("处理过程满意度", "Process satisfaction"),
    ("处理及时性满意度", "Timeliness satisfaction"),
    ("服务态度满意度", "Attitude satisfaction"),
    ("处理结果满意度", "Result satisfaction"),
    ("总体评分", "Overall score"),
    ("投诉内容", "Description"),
    ("根本原因", "Root cause"),
    ("纠正和预防措施", "Corrective and preventive action"),
];

/// The SQL of the export (public for the benchmark).
pub fn query_sql(query: &ReportQuery) -> Sql {
    let mut sql = Sql::new(
        "SELECT c.tracking_code, c.filed_at, c.filed_month, m.name AS community, b.name AS building,
                c.unit, c.category, c.level, c.status, c.emergency, d.name_zh, d.name_en,
                h.display_name AS handler, c.first_contact_at, c.first_contact_on_time,
                c.first_reply_on_time, c.resolved_at, c.resolution_on_time, c.repeat_of, c.group_id,
                c.revisit_round, r.process, r.timeliness, r.attitude, r.result, r.overall, c.description, c.root_cause,
                c.corrective_action
         FROM complaints c
         JOIN communities m ON m.id = c.community_id
         LEFT JOIN buildings b ON b.id = c.building_id
         LEFT JOIN departments d ON d.id = c.department_id
         LEFT JOIN users h ON h.id = c.handler_id
         LEFT JOIN revisits r ON r.complaint_id = c.id AND r.round = c.revisit_round
              AND r.answered_at IS NOT NULL
         WHERE c.filed_month >= ",
    );
    sql.bind(query.from.code())
        .push(" AND c.filed_month <= ")
        .bind(query.to.code());
    if let Some(id) = query.community {
        sql.push(" AND c.community_id = ").bind(id);
    }
    if let Some(id) = query.department {
        sql.push(" AND c.department_id = ").bind(id);
    }
    if let Some(category) = query.category {
        sql.push(" AND c.category = ").bind(category.code());
    }
    sql.push(" ORDER BY c.filed_at, c.id");
    sql
}

/// Starts writing the CSV; chunks arrive on the returned channel. A database error
/// mid-way ends the stream with an error (the client sees a broken download, never a
/// silently short file).
pub fn complaints_csv(
    db: Db,
    query: ReportQuery,
    lang: Lang,
    utc_offset_minutes: i32,
) -> mpsc::Receiver<Result<String, std::io::Error>> {
    let (tx, rx) = mpsc::channel(8);
    tokio::spawn(async move {
        let sql = query_sql(&query);
        let mut out = String::from(csv::BOM);
        let header: Vec<Cell> = COLUMNS
            .iter()
            .map(|(zh, en)| Cell::from(if lang == Lang::Zh { *zh } else { *en }))
            .collect();
        csv::push_row(&mut out, &header);
        let mut rows = sql.query().fetch(&db.pool);
        loop {
            match rows.try_next().await {
                Ok(Some(row)) => match cells(&row, lang, utc_offset_minutes) {
                    Ok(cells) => csv::push_row(&mut out, &cells),
                    Err(error) => {
                        let _ = tx.send(Err(failed(error))).await;
                        return;
                    }
                },
                Ok(None) => break,
                Err(error) => {
                    let _ = tx.send(Err(failed(error))).await;
                    return;
                }
            }
            if out.len() >= CHUNK && tx.send(Ok(std::mem::take(&mut out))).await.is_err() {
                return; // The client went away.
            }
        }
        if !out.is_empty() {
            let _ = tx.send(Ok(out)).await;
        }
    });
    rx
}

fn failed(error: sqlx::Error) -> std::io::Error {
    tracing::error!(%error, "exporting complaints failed");
    std::io::Error::other("export failed")
}

fn cells(row: &AnyRow, lang: Lang, utc_offset_minutes: i32) -> Result<Vec<Cell>, sqlx::Error> {
    let yes_no = |v: Option<i64>| -> Cell {
        match (v, lang) {
            (None, _) => "".into(),
            (Some(1), Lang::Zh) => "是".into(),
            (Some(_), Lang::Zh) => "否".into(),
            (Some(1), Lang::En) => "yes".into(),
            (Some(_), Lang::En) => "no".into(),
        }
    };
    let filed_at: i64 = row.try_get("filed_at")?;
    let local = from_ms(filed_at) + chrono::Duration::minutes(i64::from(utc_offset_minutes));
    let first_contact: Option<i64> = row.try_get("first_contact_at")?;
    let resolved: Option<i64> = row.try_get("resolved_at")?;
    let status = parse_status(&row.try_get::<String, _>("status")?);
    let handled = matches!(
        status,
        Status::Resolved | Status::Revisited | Status::Closed
    );
    let level: Level = parse_level(row.try_get("level")?);
    let department = match lang {
        Lang::Zh => row.try_get::<Option<String>, _>("name_zh")?,
        Lang::En => row.try_get::<Option<String>, _>("name_en")?,
    };
    let satisfaction = |column: &str| -> Result<Cell, sqlx::Error> {
        Ok(row
            .try_get::<Option<String>, _>(column)?
            .and_then(|code| app::model::Satisfaction::parse(&code))
            .map_or_else(|| "".into(), |s| s.label(lang).into()))
    };
    let text = |column: &str| -> Result<Cell, sqlx::Error> {
        Ok(row
            .try_get::<Option<String>, _>(column)?
            .unwrap_or_default()
            .into())
    };
    let optional_int = |v: Option<i64>| v.map_or_else(|| Cell::from(""), Cell::Int);
    Ok(vec![
        text("tracking_code")?,
        local.format("%Y-%m-%d %H:%M").to_string().into(),
        text("filed_month")?,
        text("community")?,
        text("building")?,
        text("unit")?,
        parse_category(&row.try_get::<String, _>("category")?)
            .label(lang)
            .into(),
        Cell::Int(i64::from(level.number())),
        status.label(lang).into(),
        yes_no(Some(row.try_get::<i64, _>("emergency")?)),
        department.unwrap_or_default().into(),
        text("handler")?,
        optional_int(first_contact.map(|at| (at - filed_at) / 60_000)),
        yes_no(row.try_get("first_contact_on_time")?),
        yes_no(row.try_get("first_reply_on_time")?),
        optional_int(
            resolved
                .filter(|_| handled)
                .map(|at| (at - filed_at) / 3_600_000),
        ),
        yes_no(row.try_get("resolution_on_time")?),
        yes_no(Some(i64::from(
            row.try_get::<Option<i64>, _>("repeat_of")?.is_some(),
        ))),
        yes_no(Some(i64::from(
            row.try_get::<Option<i64>, _>("group_id")?.is_some(),
        ))),
        Cell::Int(row.try_get("revisit_round")?),
        satisfaction("process")?,
        satisfaction("timeliness")?,
        satisfaction("attitude")?,
        satisfaction("result")?,
        optional_int(row.try_get("overall")?),
        text("description")?,
        text("root_cause")?,
        text("corrective_action")?,
    ])
}
