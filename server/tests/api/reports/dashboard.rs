//! The dashboard's numbers for a known fixture, the closing summary, and the rollup staying
//! equal to the complaints through the workflow.

use super::*;

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
