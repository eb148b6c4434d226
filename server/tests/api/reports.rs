//! Reports: the dashboard's numbers for a known fixture, the rollup staying equal
//! to the complaints through the workflow, CSV exports, and who may read them.

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_counts_a_known_fixture_exactly() {
    on_every_engine!(known_fixture);
}

async fn known_fixture(app: &TestApp) {
    seed_fixture(app).await;
    // One of them came by phone.
    sqlx::query("UPDATE complaints SET channel = 'phone' WHERE tracking_code = 'FIXB00000002'")
        .execute(app.pool())
        .await
        .expect("a channel");
    app.log_in("supervisor").await;
    let r = report(app, &[]).await;
    assert_eq!(r["total"], 5);
    let channels: Vec<(String, i64)> = pairs(&r["channels"])
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(
        channels,
        [("web".to_owned(), 4), ("phone".to_owned(), 1)],
        "the channels of the period"
    );
    let months: Vec<(String, i64, Value)> = r["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                format!(
                    "{}-{:02}",
                    m["month"]["year"],
                    m["month"]["month"].as_i64().unwrap()
                ),
                m["total"].as_i64().unwrap(),
                m["levels"].clone(),
            )
        })
        .collect();
    assert_eq!(
        months,
        [
            ("2020-01".to_owned(), 2, json!([0, 1, 0, 1])),
            ("2020-02".to_owned(), 1, json!([0, 0, 1, 0])),
            ("2020-03".to_owned(), 2, json!([1, 1, 0, 0])),
        ]
    );
    let categories: Vec<(String, i64)> = pairs(&r["categories"])
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(
        categories,
        [
            ("engineering_quality".to_owned(), 2),
            ("property_management".to_owned(), 2),
            ("repair_service".to_owned(), 1),
        ]
    );
    assert_eq!(
        pairs(&r["levels"]),
        [
            ("1".into(), 1),
            ("2".into(), 2),
            ("3".into(), 1),
            ("4".into(), 1)
        ]
    );
    assert_eq!(
        pairs(&r["statuses"]),
        [
            ("not_valid".into(), 1),
            ("investigating".into(), 1),
            ("resolved".into(), 1),
            ("revisited".into(), 1),
            ("closed".into(), 1),
        ]
    );
    // First contact: 10 min, 30 min, 100 min, 3 h → buckets ≤15, ≤30, ≤120, ≤240 min.
    let mut contact = r["first_contact"]["buckets"].as_array().unwrap().clone();
    contact.sort_by_key(|b| b[0].as_i64());
    assert_eq!(
        Value::Array(contact),
        json!([[15, 1], [30, 1], [120, 1], [240, 1]])
    );
    // Resolution (handled only): 1 day, 5 days, 12 days.
    let mut resolution = r["resolution"]["buckets"].as_array().unwrap().clone();
    resolution.sort_by_key(|b| b[0].as_i64());
    assert_eq!(
        Value::Array(resolution),
        json!([[1440, 1], [7200, 1], [20160, 1]])
    );
    // Clocks, as the domain judged them, in service time (08:30–17:30 on working days): B,
    // received on Monday 20 January 08:00, was contacted at 11:00 (due 10:30), answered at
    // 04:00 the next night (9 service hours: due Monday 17:30) and resolved after 12 days
    // (7 working days); D, open since 2020, is past due on all four.
    assert_eq!(
        r["clocks"],
        json!([
            {"clock": "first_contact", "on_time": 3, "late": 1, "overdue_now": 1},
            {"clock": "first_reply", "on_time": 3, "late": 1, "overdue_now": 1},
            {"clock": "progress_update", "on_time": 0, "late": 0, "overdue_now": 1},
            {"clock": "resolution", "on_time": 2, "late": 1, "overdue_now": 1},
        ])
    );
    assert_eq!(
        (r["open_now"].as_i64(), r["overdue_now"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(r["revisits"], json!({"answered": 3, "pending": 1}));
    assert_eq!(
        r["satisfaction"],
        json!({
            "process": [2, 1, 0],
            "timeliness": [1, 1, 1],
            "attitude": [1, 2, 0],
            "result": [1, 1, 1],
            "overall": [0, 1, 0, 1, 1]
        })
    );
    assert_eq!(
        r["flags"],
        json!({"resolved": 3, "reopened": 1, "repeat": 1, "group": 1, "emergency": 1})
    );
    let departments: Vec<(i64, i64, i64, i64)> = r["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["id"].as_i64().unwrap(),
                d["total"].as_i64().unwrap(),
                d["on_time"].as_i64().unwrap(),
                d["timed"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        departments,
        [(4, 2, 1, 1), (0, 1, 0, 0), (2, 1, 1, 1), (3, 1, 0, 1)]
    );
    let handlers: Vec<(String, i64, i64, i64)> = r["handlers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["name"]["zh"].as_str().unwrap().to_owned(),
                h["total"].as_i64().unwrap(),
                h["on_time"].as_i64().unwrap(),
                h["timed"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        handlers,
        [
            ("物业 陈静".to_owned(), 2, 1, 1),
            ("维修 张师傅".to_owned(), 1, 0, 1),
            ("工程 王工".to_owned(), 1, 1, 1),
        ]
    );
    let spots = &r["hot_spots"];
    assert_eq!(
        spots["categories"],
        json!([
            "engineering_quality",
            "property_management",
            "repair_service"
        ])
    );
    let rows: Vec<(Value, Value)> = spots["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["building"].clone(), row["counts"].clone()))
        .collect();
    assert_eq!(
        rows,
        [
            (json!("3栋"), json!([1, 0, 1])),
            (Value::Null, json!([1, 0, 0])),
            (json!("1栋"), json!([0, 1, 0])),
            (json!("5栋"), json!([0, 1, 0])),
        ]
    );
    assert_eq!(r["faq"], "NoDataYet");

    // The rollup per community and the one over all communities agree.
    let (mut one, mut all) = (report(app, &[("filter[community]", "1")]).await, r.clone());
    for v in [&mut one, &mut all] {
        v["query"] = Value::Null;
        v["generated_at"] = Value::Null;
    }
    assert_eq!(one, all);

    // Filters narrow every figure alike.
    let property = report(app, &[("filter[department]", "4")]).await;
    assert_eq!(property["total"], 2);
    assert_eq!(property["flags"]["group"], 1);
    let repairs = report(app, &[("filter[category]", "repair_service")]).await;
    assert_eq!(repairs["total"], 1);
    assert_eq!(repairs["first_contact"]["buckets"], json!([[240, 1]]));
    assert_eq!(
        repairs["hot_spots"]["categories"],
        json!(["repair_service"])
    );
    let elsewhere = report(app, &[("filter[community]", "2")]).await;
    assert_eq!(elsewhere["total"], 0);
    let february = report(
        app,
        &[("filter[from]", "2020-02"), ("filter[to]", "2020-02")],
    )
    .await;
    assert_eq!(february["total"], 1);
    assert_eq!(february["months"].as_array().unwrap().len(), 1);

    // A range that runs backwards is refused on its field.
    let (status, error) = app
        .call(
            "load_report",
            &[("filter[from]", "2020-05"), ("filter[to]", "2020-01")],
        )
        .await;
    assert_eq!(status, 422, "{error}");
    assert!(error["Validation"]["fields"]["from"].is_string(), "{error}");

    // The queue opens on the cell a hot spot links to: 3栋, every status, that quarter.
    let (_, queue) = app
        .call(
            "staff_queue",
            &[
                ("filter[status]", "all"),
                ("filter[community]", "1"),
                ("filter[building]", "3"),
                ("filter[from]", "2020-01"),
                ("filter[to]", "2020-03"),
            ],
        )
        .await;
    assert_eq!(queue["counts"]["total"], 2, "{queue}");
    // The row of complaints that name no building links with `building=none`.
    let (_, queue) = app
        .call(
            "staff_queue",
            &[
                ("filter[status]", "all"),
                ("filter[community]", "1"),
                ("filter[building]", "none"),
                ("filter[from]", "2020-01"),
                ("filter[to]", "2020-03"),
            ],
        )
        .await;
    assert_eq!(queue["counts"]["total"], 1, "{queue}");
    let (_, queue) = app
        .call(
            "staff_queue",
            &[
                ("filter[status]", "all"),
                ("filter[category]", "repair_service"),
                ("filter[from]", "2020-01"),
                ("filter[to]", "2020-01"),
            ],
        )
        .await;
    assert_eq!(queue["rows"][0]["tracking_code"], "FIXB00000002");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_faq_panel_counts_the_periods_reads_answers_and_deflections() {
    on_every_engine!(faq_panel);
}

async fn faq_id(app: &TestApp, slug: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM faq_articles WHERE slug = $1")
        .bind(slug)
        .fetch_one(app.pool())
        .await
        .unwrap()
}

/// Articles of a ranking as (slug, reads, helpful, not helpful).
fn articles(list: &Value) -> Vec<(String, i64, i64, i64)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["slug"].as_str().unwrap().to_owned(),
                a["reads"].as_i64().unwrap(),
                a["helpful"].as_i64().unwrap(),
                a["not_helpful"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn faq_panel(app: &TestApp) {
    // Three articles read in January–March 2020 (far from the demo's year), and a little in
    // April, outside the range.
    let warranty = faq_id(app, "warranty-periods").await; // engineering_quality
    let keys = faq_id(app, "lost-keys-and-access-cards").await; // property_management
    let parking = faq_id(app, "parking-space-disputes").await; // property_management
    let (feb, mar, apr) = (
        JAN_2020 + 31 * DAY,
        JAN_2020 + 60 * DAY,
        JAN_2020 + 91 * DAY,
    );
    for (article, month, reads) in [
        (warranty, "2020-01", 30_i64),
        (warranty, "2020-02", 20),
        (keys, "2020-02", 40),
        (parking, "2020-03", 10),
        (parking, "2020-04", 999),
    ] {
        sqlx::query("INSERT INTO faq_monthly_reads (article_id, month, reads) VALUES ($1, $2, $3)")
            .bind(article)
            .bind(month)
            .bind(reads)
            .execute(app.pool())
            .await
            .unwrap();
    }
    let votes = [
        (warranty, 1_i64, feb),
        (warranty, 1, feb),
        (warranty, 1, mar),
        (warranty, 0, mar),
        (keys, 0, feb),
        (keys, 0, mar),
        (parking, 1, feb),
        (parking, 0, apr),
    ];
    for (n, (article, helpful, at)) in votes.into_iter().enumerate() {
        sqlx::query(
            "INSERT INTO faq_feedback (article_id, visit_key, helpful, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(article)
        .bind(format!("fixture-{n}"))
        .bind(helpful)
        .bind(at)
        .execute(app.pool())
        .await
        .unwrap();
    }
    let opens: [(i64, Option<&str>, i64); 6] = [
        (warranty, Some("deflected"), JAN_2020),
        (warranty, Some("deflected"), JAN_2020 + HOUR),
        (warranty, Some("filed"), feb),
        (keys, Some("deflected"), mar),
        // Never settled, long past its window: a deflection all the same.
        (parking, None, feb),
        (parking, Some("deflected"), apr),
    ];
    for (n, (article, outcome, at)) in opens.into_iter().enumerate() {
        sqlx::query(
            "INSERT INTO faq_suggested_opens (article_id, visit_key, opened_at, outcome)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(article)
        .bind(format!("fixture-visit-{n}"))
        .bind(at)
        .bind(outcome)
        .execute(app.pool())
        .await
        .unwrap();
    }
    app.log_in("supervisor").await;

    let r = report(app, &[]).await;
    let usage = &r["faq"]["Usage"];
    assert_eq!(usage["deflections"], 4, "{usage}");
    assert_eq!(
        articles(&usage["most_read"]),
        [
            ("warranty-periods".to_owned(), 50, 3, 1),
            ("lost-keys-and-access-cards".to_owned(), 40, 0, 2),
            ("parking-space-disputes".to_owned(), 10, 1, 0),
        ]
    );
    // Smoothed share of "no": keys (2+1)/(2+2) before warranty (1+1)/(4+2); parking had
    // no "no" in the period.
    assert_eq!(
        articles(&usage["least_helpful"]),
        [
            ("lost-keys-and-access-cards".to_owned(), 40, 0, 2),
            ("warranty-periods".to_owned(), 50, 3, 1),
        ]
    );

    let quality = report(app, &[("filter[category]", "engineering_quality")]).await;
    let usage = &quality["faq"]["Usage"];
    assert_eq!(usage["deflections"], 2);
    assert_eq!(
        articles(&usage["most_read"]),
        [("warranty-periods".to_owned(), 50, 3, 1)]
    );

    // Reading is not tied to a community: that filter leaves the panel as it is.
    let here = report(app, &[("filter[community]", "1")]).await;
    assert_eq!(here["faq"], r["faq"]);

    let april = report(
        app,
        &[("filter[from]", "2020-04"), ("filter[to]", "2020-04")],
    )
    .await;
    let usage = &april["faq"]["Usage"];
    assert_eq!(usage["deflections"], 1);
    assert_eq!(
        articles(&usage["least_helpful"]),
        [("parking-space-disputes".to_owned(), 999, 0, 1)]
    );
    let empty = report(
        app,
        &[("filter[from]", "2020-05"), ("filter[to]", "2020-06")],
    )
    .await;
    assert_eq!(empty["faq"], "NoDataYet");

    // A read through the portal counts in this month, in the portal's zone.
    let month = server::store::local_month(chrono::Utc::now(), 480);
    let this_month = format!(
        "SELECT CAST(COALESCE(SUM(reads), 0) AS BIGINT) FROM faq_monthly_reads
         WHERE article_id = {keys} AND month = '{month}'"
    );
    let before = app.count(&this_month).await;
    let (status, _) = call_with(
        &app.new_visitor(),
        &app.base,
        "load_faq_article",
        &[("slug", "lost-keys-and-access-cards")],
    )
    .await;
    assert_eq!(status, 200);
    app.running().faq.flush_reads().await.unwrap();
    assert_eq!(app.count(&this_month).await, before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_lists_closing_actions_by_category() {
    on_every_engine!(summary);
}

async fn summary(app: &TestApp) {
    seed_fixture(app).await;
    app.log_in("admin").await;
    let (status, s) = app.call("load_summary", &[("period", "2020-01")]).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["report"]["total"], 2);
    assert_eq!(s["actions"].as_array().unwrap().len(), 1);
    let group = &s["actions"][0];
    assert_eq!(
        (group["category"].as_str(), group["closed"].as_i64()),
        (Some("engineering_quality"), Some(1))
    );
    assert_eq!(
        group["items"][0]["corrective_action"],
        "重做防水;同批次排查"
    );
    let (status, half) = app.call("load_summary", &[("period", "2020-H1")]).await;
    assert_eq!(status, 200);
    assert_eq!(half["report"]["total"], 5);
    let (status, _) = app.call("load_summary", &[("period", "2020-H3")]).await;
    assert_eq!(status, 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rollup_stays_equal_to_the_complaints_through_the_workflow() {
    on_every_engine!(rollup_consistency);
}

async fn rollup_consistency(app: &TestApp) {
    // The demo's year (inserted with its final state), a fixture changed after inserting,
    // and a complaint taken through the real workflow to an unsatisfied revisit.
    seed_fixture(app).await;
    let (id, code, owner) = file(app, &[]).await;
    app.log_in("supervisor").await;
    let (_, departments) = app.call("list_departments", &[]).await;
    let repair = departments
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "repair")
        .unwrap();
    let (department, handler) = (
        repair["id"].to_string(),
        repair["handlers"][0]["id"].to_string(),
    );
    for step in [
        vec![("action", "judge_valid")],
        vec![
            ("action", "assign"),
            ("department_id", &department),
            ("handler_id", &handler),
        ],
        vec![("action", "start_investigation")],
        vec![
            ("action", "propose_solution"),
            ("plan", "更换破损的水管接头"),
        ],
        vec![("action", "resolve"), ("body", "接头已更换")],
    ] {
        let (status, body) = app.step(&id, &step).await;
        assert_eq!(status, 200, "{step:?}: {body}");
    }
    let form = [
        ("code", code.as_str()),
        ("answers[process]", "basic"),
        ("answers[timeliness]", "satisfied"),
        ("answers[attitude]", "satisfied"),
        ("answers[result]", "unsatisfied"),
        ("answers[overall]", "2"),
        ("answers[comment]", ""),
    ];
    let (status, body) = call_with(&owner, &app.base, "answer_revisit", &form).await;
    assert_eq!(status, 200, "{body}");

    let rows = |sql: &'static str| async move {
        let mut rows: Vec<(String, String, i64, i64, String, String, i64)> = sqlx::query(sql)
            .fetch_all(app.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r.get(0),
                    r.get(1),
                    r.get(2),
                    r.get(3),
                    r.get(4),
                    r.get(5),
                    r.get(6),
                )
            })
            .collect();
        rows.sort();
        rows
    };
    let expected = rows(
        "SELECT dim, month, community_id, department_id, category, value, COUNT(*)
         FROM report_fact_source GROUP BY dim, month, community_id, department_id, category, value",
    )
    .await;
    let actual = rows(
        "SELECT dim, month, community_id, department_id, category, value, n FROM report_facts WHERE n <> 0",
    )
    .await;
    assert!(expected.len() > 100, "the demo's year is there");
    assert_eq!(actual, expected);
    let expected_totals = rows(
        "SELECT dim, month, CAST(0 AS BIGINT), department_id, category, value, COUNT(*) FROM report_fact_source
         WHERE dim <> 'building' GROUP BY dim, month, department_id, category, value",
    )
    .await;
    let totals = rows(
        "SELECT dim, month, CAST(0 AS BIGINT), department_id, category, value, n FROM report_totals WHERE n <> 0",
    )
    .await;
    assert_eq!(totals, expected_totals);
    let reopened = actual
        .iter()
        .filter(|r| r.0 == "flag" && r.5 == "reopened")
        .map(|r| r.6)
        .sum::<i64>();
    assert!(
        reopened >= 2,
        "the demo's reopened ones, the fixture's and this one"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_exports_have_a_bom_a_row_per_complaint_and_honour_the_filters() {
    on_every_engine!(csv_exports);
}

/// Records of a CSV file (quoted fields may hold line breaks).
fn records(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field, mut quoted) = (vec![], vec![], String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (c, _) => field.push(c),
        }
    }
    records
}

async fn csv_exports(app: &TestApp) {
    seed_fixture(app).await;
    app.log_in("supervisor").await;
    let get = |path: String| async move {
        let response = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let kind = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned());
        let disposition = response
            .headers()
            .get("content-disposition")
            .map(|v| v.to_str().unwrap().to_owned());
        (
            status,
            kind,
            disposition,
            response.bytes().await.unwrap().to_vec(),
        )
    };
    let (status, kind, disposition, body) =
        get("/staff/reports/export/complaints.csv?from=2020-01&to=2020-03".into()).await;
    assert_eq!(status, 200);
    assert_eq!(kind.as_deref(), Some("text/csv; charset=utf-8"));
    assert!(disposition
        .unwrap()
        .contains("complaints-2020-01-2020-03.csv"));
    assert_eq!(body[..3], [0xEF, 0xBB, 0xBF], "UTF-8 with a BOM");
    let text = String::from_utf8(body).unwrap();
    let rows = records(&text);
    assert_eq!(rows.len(), 1 + 5, "a header and one row per complaint");
    assert_eq!(rows[0][0], "\u{feff}查询码");
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));
    assert_eq!(rows[1][0], "FIXA00000001");
    assert_eq!(rows[1].last().unwrap(), "重做防水;同批次排查");

    // The same filters as the dashboard: the row count equals its total.
    let r = report(app, &[("filter[department]", "4")]).await;
    let (_, _, _, body) =
        get("/staff/reports/export/complaints.csv?from=2020-01&to=2020-03&department=4".into())
            .await;
    assert_eq!(
        records(&String::from_utf8(body).unwrap()).len() as i64,
        1 + r["total"].as_i64().unwrap()
    );
    // And for the demo's year, too.
    let (status, year) = app.call("load_report", &[]).await;
    assert_eq!(status, 200);
    let query = format!(
        "from={}-{:02}&to={}-{:02}",
        year["query"]["from"]["year"],
        year["query"]["from"]["month"].as_i64().unwrap(),
        year["query"]["to"]["year"],
        year["query"]["to"]["month"].as_i64().unwrap()
    );
    let (_, _, _, body) = get(format!("/staff/reports/export/complaints.csv?{query}")).await;
    let total = year["total"].as_i64().unwrap();
    assert!(total > 300, "the demo's year: {total}");
    assert_eq!(
        records(&String::from_utf8(body).unwrap()).len() as i64,
        1 + total
    );

    // Each chart's table.
    let (status, _, _, body) =
        get("/staff/reports/export/categories.csv?from=2020-01&to=2020-03".into()).await;
    assert_eq!(status, 200);
    let rows = records(&String::from_utf8(body).unwrap());
    assert_eq!(rows.len(), 1 + 8);
    assert!(
        rows.contains(&vec!["维修服务".to_owned(), "1".to_owned()]),
        "{rows:?}"
    );
    let (status, _, _, body) =
        get("/staff/reports/export/clocks.csv?from=2020-01&to=2020-03".into()).await;
    assert_eq!(status, 200);
    let rows = records(&String::from_utf8(body).unwrap());
    assert_eq!(rows[1], ["首次联系", "3", "1", "1", "75%"]);
    assert_eq!(get("/staff/reports/export/nope.csv".into()).await.0, 404);
    assert_eq!(
        get("/staff/reports/export/complaints.csv?from=2020-13".into())
            .await
            .0,
        422
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_supervisors_and_administrators_read_reports() {
    on_every_engine!(access);
}

async fn access(app: &TestApp) {
    let (_, _, owner) = file(app, &[]).await;
    let csv = "/staff/reports/export/complaints.csv";
    let try_as = |client: reqwest::Client| async move {
        let (report, _) = call_with(&client, &app.base, "load_report", &[]).await;
        let (summary, _) = call_with(&client, &app.base, "load_summary", &[]).await;
        let export = client
            .get(format!("{}{csv}", app.base))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        let chart = client
            .get(format!("{}/staff/reports/export/trend.csv", app.base))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        (report, summary, export, chart)
    };
    assert_eq!(
        try_as(owner).await,
        (401, 401, 401, 401),
        "an owner tracking a complaint"
    );
    assert_eq!(
        try_as(app.new_visitor()).await,
        (401, 401, 401, 401),
        "a visitor"
    );
    for login in ["agent", "repair", "engineer"] {
        let client = app.new_visitor();
        call_with(
            &client,
            &app.base,
            "log_in",
            &[("login", login), ("password", "demo-2026")],
        )
        .await;
        assert_eq!(try_as(client).await, (403, 403, 403, 403), "{login}");
    }
    for login in ["supervisor", "admin"] {
        let client = app.new_visitor();
        call_with(
            &client,
            &app.base,
            "log_in",
            &[("login", login), ("password", "demo-2026")],
        )
        .await;
        assert_eq!(try_as(client).await, (200, 200, 200, 200), "{login}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_year_stays_out_of_the_live_demo_and_the_ticker() {
    on_every_engine!(demo_year);
}

async fn demo_year(app: &TestApp) {
    let history = "FROM complaints WHERE phone LIKE '1770000%'";
    let year = app.count(&format!("SELECT COUNT(*) {history}")).await;
    assert_eq!(year as usize, server::seed::history::COMPLAINTS);
    let open = app
        .count(&format!(
            "SELECT COUNT(*) {history} AND status NOT IN ('resolved', 'revisited', 'closed', 'not_valid')"
        ))
        .await;
    assert_eq!(open, 0, "nothing of the year is still open");
    let recent_here = app
        .count(&format!(
            "SELECT COUNT(*) {history} AND community_id = 1 AND filed_at > {}",
            chrono::Utc::now().timestamp_millis() - 31 * DAY
        ))
        .await;
    assert_eq!(recent_here, 0, "none in 翠湖花园's 30-day group window");
    let pending = app
        .count("SELECT COUNT(*) FROM revisits r JOIN complaints c ON c.id = r.complaint_id WHERE c.phone LIKE '1770000%' AND r.answered_at IS NULL")
        .await;
    assert_eq!(pending, 0, "every revisit of the year is answered");
    let reopened = app
        .count(&format!("SELECT COUNT(*) {history} AND revisit_round = 2"))
        .await;
    assert!((5..=60).contains(&reopened), "a few reopened: {reopened}");

    // The portal's own ticker makes its first round at start; ours waits for its lock.
    let running = app.running();
    server::jobs::sla::tick(
        &running.db,
        &running.policy,
        &*running.live,
        chrono::Utc::now(),
    )
    .await
    .expect("an SLA round");
    let escalated = app
        .count("SELECT COUNT(*) FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE c.phone LIKE '1770000%' AND e.kind = 'escalation'")
        .await;
    assert_eq!(
        escalated, 0,
        "late clocks of the past are not escalated again"
    );
}
