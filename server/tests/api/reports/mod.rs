//! Reports: the dashboard's numbers for a known fixture, the rollup staying equal
//! to the complaints through the workflow, CSV exports, and who may read them.

mod access;
mod dashboard;
mod exports;
mod faq_panel;

use serde_json::{json, Value};
use server::store::complaints::deadlines;
use sqlx::Row;

use crate::on_every_engine;
use crate::support::{call_with, TestApp};
use crate::workflow::file;

const JAN_2020: i64 = 1_578_614_400_000; // 2020-01-10 00:00 UTC
const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

async fn user_id(app: &TestApp, login: &str) -> i64 {
    sqlx::query("SELECT id FROM users WHERE login = $1")
        .bind(login)
        .fetch_one(app.pool())
        .await
        .unwrap()
        .get(0)
}

/// One fixture complaint, as stored; times are offsets from its filing.
struct Fixture {
    code: &'static str,
    filed: i64,
    month: &'static str,
    building: Option<i64>,
    category: &'static str,
    level: i64,
    status: &'static str,
    department: Option<i64>,
    handler: Option<&'static str>,
    emergency: bool,
    contact: Option<i64>,
    reply: Option<i64>,
    resolved: Option<i64>,
    rounds: i64,
}

/// Five complaints of January–March 2020 in 翠湖花园 (community 1), far from the demo's year:
/// A closed, B reopened once then revisited (both rounds answered), C not valid and a repeat
/// of A, D open and overdue on every clock (its own group), E an emergency resolved and
/// awaiting its revisit. Their clocks are recorded by the domain, as in production.
async fn seed_fixture(app: &TestApp) -> Vec<i64> {
    let fixtures = [
        Fixture {
            code: "FIXA00000001",
            filed: JAN_2020,
            month: "2020-01",
            building: Some(3),
            category: "engineering_quality",
            level: 2,
            status: "closed",
            department: Some(2),
            handler: Some("engineer"),
            emergency: false,
            contact: Some(30 * MINUTE),
            reply: Some(3 * HOUR),
            resolved: Some(5 * DAY),
            rounds: 1,
        },
        Fixture {
            code: "FIXB00000002",
            filed: JAN_2020 + 10 * DAY,
            month: "2020-01",
            building: Some(3),
            category: "repair_service",
            level: 4,
            status: "revisited",
            department: Some(3),
            handler: Some("repair"),
            emergency: false,
            contact: Some(3 * HOUR),
            reply: Some(20 * HOUR),
            resolved: Some(12 * DAY),
            rounds: 2,
        },
        Fixture {
            code: "FIXC00000003",
            filed: JAN_2020 + 26 * DAY,
            month: "2020-02",
            building: None,
            category: "engineering_quality",
            level: 3,
            status: "not_valid",
            department: None,
            handler: None,
            emergency: false,
            contact: Some(10 * MINUTE),
            reply: Some(HOUR),
            resolved: None,
            rounds: 0,
        },
        Fixture {
            code: "FIXD00000004",
            filed: JAN_2020 + 51 * DAY,
            month: "2020-03",
            building: Some(1),
            category: "property_management",
            level: 1,
            status: "investigating",
            department: Some(4),
            handler: Some("property"),
            emergency: false,
            contact: None,
            reply: None,
            resolved: None,
            rounds: 0,
        },
        Fixture {
            code: "FIXE00000005",
            filed: JAN_2020 + 65 * DAY,
            month: "2020-03",
            building: Some(4),
            category: "property_management",
            level: 2,
            status: "resolved",
            department: Some(4),
            handler: Some("property"),
            emergency: true,
            contact: Some(100 * MINUTE),
            reply: Some(23 * HOUR),
            resolved: Some(DAY),
            rounds: 1,
        },
    ];
    let mut ids = Vec::new();
    for f in &fixtures {
        let handler = match f.handler {
            Some(login) => Some(user_id(app, login).await),
            None => None,
        };
        let id: i64 = sqlx::query(
            "INSERT INTO complaints (tracking_code, channel, community_id, building_id, complainant_name, phone,
                category, description, status, level, department_id, handler_id, emergency, revisit_round,
                filed_at, filed_month, first_contact_at, first_reply_at, resolved_at, updated_at)
             VALUES ($1, 'web', 1, $2, '测试', '17799990000', $3, '报表测试数据', $4, $5, $6, $7, $8, $9,
                $10, $11, $12, $13, $14, $10) RETURNING id",
        )
        .bind(f.code)
        .bind(f.building)
        .bind(f.category)
        .bind(f.status)
        .bind(f.level)
        .bind(f.department)
        .bind(handler)
        .bind(i64::from(f.emergency))
        .bind(f.rounds)
        .bind(f.filed)
        .bind(f.month)
        .bind(f.contact.map(|d| f.filed + d))
        .bind(f.reply.map(|d| f.filed + d))
        .bind(f.resolved.map(|d| f.filed + d))
        .fetch_one(app.pool())
        .await
        .unwrap()
        .get(0);
        ids.push(id);
    }
    let (a, b, c, d, e) = (ids[0], ids[1], ids[2], ids[3], ids[4]);
    let update = |sql: &'static str, id: i64, other: i64| async move {
        sqlx::query(sql)
            .bind(id)
            .bind(other)
            .execute(app.pool())
            .await
            .unwrap();
    };
    update("UPDATE complaints SET repeat_of = $2 WHERE id = $1", c, a).await;
    update("UPDATE complaints SET group_id = $2 WHERE id = $1", d, d).await;
    update("UPDATE complaints SET closed_at = filed_at + $2, root_cause = '防水层漏刷', corrective_action = '重做防水;同批次排查' WHERE id = $1", a, 7 * DAY).await;
    for (complaint, round, answers) in [
        (a, 1, Some(("satisfied", "basic", 4))),
        (b, 1, Some(("basic", "unsatisfied", 2))),
        (b, 2, Some(("satisfied", "satisfied", 5))),
        (e, 1, None),
    ] {
        sqlx::query("INSERT INTO revisits (complaint_id, round, created_at) VALUES ($1, $2, $3)")
            .bind(complaint)
            .bind(round)
            .bind(JAN_2020)
            .execute(app.pool())
            .await
            .unwrap();
        if let Some((process, result, overall)) = answers {
            sqlx::query(
                "UPDATE revisits SET answered_at = $3, method = 'survey', process = $4, timeliness = $5,
                    attitude = $4, result = $5, overall = $6
                 WHERE complaint_id = $1 AND round = $2",
            )
            .bind(complaint)
            .bind(round)
            .bind(JAN_2020 + 90 * DAY)
            .bind(process)
            .bind(result)
            .bind(overall)
            .execute(app.pool())
            .await
            .unwrap();
        }
    }
    // An answer corrected later moves in the rollup too.
    update(
        "UPDATE revisits SET attitude = 'basic' WHERE complaint_id = $1 AND round = $2",
        a,
        1,
    )
    .await;
    let mut conn = app.pool().acquire().await.unwrap();
    for id in &ids {
        deadlines::refresh(&mut conn, *id, &app.running().policy)
            .await
            .unwrap();
    }
    ids
}

async fn report(app: &TestApp, extra: &[(&str, &str)]) -> Value {
    let mut form = vec![("filter[from]", "2020-01"), ("filter[to]", "2020-03")];
    form.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
    form.extend_from_slice(extra);
    let (status, report) = app.call("load_report", &form).await;
    assert_eq!(status, 200, "{report}");
    report
}

fn pairs(value: &Value) -> Vec<(String, i64)> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].to_string().trim_matches('"').to_owned(),
                p[1].as_i64().unwrap(),
            )
        })
        .collect()
}
