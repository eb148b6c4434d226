//! The FAQ panel: reads, answers and deflections per period.

use super::*;

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
