//! Who may read reports, and the demo year kept out of the live demo and the ticker.

use super::*;

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
