//! Household files (业主档案): found by phone, name, unit or tracking code; every complaint
//! about the unit, from the portal and from the desk; handlers see only their
//! department's, with the owner's phone masked; others find nothing to open.

use chrono::{Duration, Utc};
use serde_json::Value;

use crate::on_every_engine;
use crate::support::{call_with, complaint_form, estate_unit, owner_account, signed_in, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_household_file_gathers_every_complaint_about_the_unit() {
    on_every_engine!(household_file);
}

async fn household_file(app: &TestApp) {
    estate_unit(
        app,
        ["桂花园", "7栋", "1单元", "602", "钱七", "13911117777"],
    )
    .await;
    let building: i64 = sqlx::query_scalar(
        "SELECT b.id FROM buildings b JOIN communities c ON c.id = b.community_id
         WHERE b.name = '7栋' AND c.name = '桂花园'",
    )
    .fetch_one(app.pool())
    .await
    .expect("the building");
    let community: i64 = sqlx::query_scalar("SELECT id FROM communities WHERE name = '桂花园'")
        .fetch_one(app.pool())
        .await
        .expect("the community");
    let (building, community) = (building.to_string(), community.to_string());

    // The owner files online; the desk records a call about the same unit.
    let (status, web) = call_with(
        &app.new_visitor(),
        &app.base,
        "file_complaint",
        &complaint_form(&[
            ("intake[community_id]", &community),
            ("intake[building_id]", &building),
            ("intake[unit]", "1单元602"),
            ("intake[phone]", "13911117777"),
            ("intake[category]", "repair_service"),
        ]),
    )
    .await;
    assert_eq!(status, 200, "{web}");
    app.log_in("agent").await;
    let received = (Utc::now() - Duration::minutes(30) + Duration::hours(8))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let mut recorded = complaint_form(&[
        ("intake[community_id]", &community),
        ("intake[building_id]", &building),
        ("intake[unit]", "1单元602"),
        ("intake[phone]", "13911117777"),
        ("intake[category]", "property_management"),
        ("intake[description]", "来电:楼道堆放杂物一周无人清理"),
    ]);
    recorded.extend([
        ("recording[channel]", "phone"),
        ("recording[received_at]", received.as_str()),
    ]);
    let (status, call) = app.call("record_complaint", &recorded).await;
    assert_eq!(status, 200, "{call}");

    // Found by phone, name, unit or a complaint's code: one household.
    let code = web["tracking_code"].as_str().expect("a code").to_owned();
    for q in ["139 1111 7777", "钱七", "1单元602", code.as_str()] {
        let (status, hits) = app.call("find_households", &[("q", q)]).await;
        assert_eq!(status, 200, "{q}: {hits}");
        assert_eq!(hits.as_array().map(Vec::len), Some(1), "{q}: {hits}");
    }
    let (_, hits) = app.call("find_households", &[("q", "13000000000")]).await;
    assert_eq!(hits, Value::Array(Vec::new()));
    let household: i64 = sqlx::query_scalar("SELECT id FROM households WHERE unit = '602'")
        .fetch_one(app.pool())
        .await
        .expect("the household");
    let household = household.to_string();

    let (status, file) = app.call("load_household", &[("id", &household)]).await;
    assert_eq!(status, 200, "{file}");
    assert_eq!(file["owner_name"], "钱七");
    assert_eq!(
        file["owner_phone"], "13911117777",
        "the desk sees it in full"
    );
    let complaints = file["complaints"].as_array().expect("complaints");
    assert_eq!(complaints.len(), 2, "{file}");
    assert!(complaints.iter().any(|c| c["channel"] == "phone"));
    assert!(complaints.iter().any(|c| c["channel"] == "web"));

    // The repair department's handler: only its complaint, the phone masked; engineering
    // has nothing here.
    let web_id = web["complaint_id"].to_string();
    crate::support::assign_to(app, &app.client, &web_id, "repair").await;
    let repair_handler = signed_in(app, "repair").await;
    let (status, file) = call_with(
        &repair_handler,
        &app.base,
        "load_household",
        &[("id", &household)],
    )
    .await;
    assert_eq!(status, 200, "{file}");
    assert_eq!(file["owner_phone"], "139****7777");
    assert_eq!(file["complaints"].as_array().map(Vec::len), Some(1));
    assert_eq!(file["hidden"], 1);
    let engineer = signed_in(app, "engineer").await;
    let (status, _) = call_with(
        &engineer,
        &app.base,
        "load_household",
        &[("id", &household)],
    )
    .await;
    assert_eq!(status, 404);
    let (_, hits) = call_with(&engineer, &app.base, "find_households", &[("q", "钱七")]).await;
    assert_eq!(hits, Value::Array(Vec::new()));

    // Every complaint about it links to the file.
    let (_, staff) = app.call("load_staff_complaint", &[("id", &web_id)]).await;
    assert_eq!(staff["household_id"].to_string(), household);
}

/// A logged-in owner is not asked again: the form comes with the account's name and
/// phone, and the unit the estate records under that phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_logged_in_owner_finds_the_form_filled_with_what_the_portal_knows() {
    on_every_engine!(known_owner);
}

async fn known_owner(app: &TestApp) {
    estate_unit(app, ["桂花园", "8栋", "", "301", "孙八", "13911118888"]).await;
    let owner = owner_account(app, "13911118888", "孙先生").await;
    let page = owner
        .get(format!("{}/complaints/new", app.base))
        .send()
        .await
        .expect("the form")
        .text()
        .await
        .expect("html");
    assert!(page.contains("value=\"孙先生\""), "the name");
    assert!(page.contains("value=\"13911118888\""), "the phone");
    assert!(page.contains("value=\"301\""), "the unit");
    let building: i64 = sqlx::query_scalar(
        "SELECT b.id FROM buildings b JOIN communities c ON c.id = b.community_id
         WHERE b.name = '8栋' AND c.name = '桂花园'",
    )
    .fetch_one(app.pool())
    .await
    .expect("the building");
    assert!(
        page.contains(&format!("value=\"{building}\" selected")),
        "the building is chosen"
    );
    // A visitor without an account gets an empty form.
    let (_, anonymous) = app.get("/complaints/new").await;
    assert!(!anonymous.contains("13911118888"));
}

/// An owner with two units chooses which one the complaint is about; a unit that is not
/// theirs is never filled in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_with_two_units_chooses_one() {
    on_every_engine!(two_units);
}

async fn two_units(app: &TestApp) {
    for (unit, phone) in [
        ("101", "13911119999"),
        ("102", "13911119999"),
        ("103", "13911110000"),
    ] {
        estate_unit(app, ["桂花园", "9栋", "", unit, "周九", phone]).await;
    }
    let owner = owner_account(app, "13911119999", "周先生").await;
    let page = |path: String| {
        let owner = owner.clone();
        async move {
            owner
                .get(path)
                .send()
                .await
                .expect("the form")
                .text()
                .await
                .expect("html")
        }
    };
    let first = page(format!("{}/complaints/new", app.base)).await;
    assert!(first.contains("data-testid=\"own-units\""), "both offered");
    assert!(!first.contains("value=\"101\""), "none chosen yet");
    let id = |unit: &'static str| async move {
        sqlx::query_scalar::<_, i64>("SELECT id FROM households WHERE unit = $1")
            .bind(unit)
            .fetch_one(app.pool())
            .await
            .expect("a household")
    };
    let chosen = page(format!(
        "{}/complaints/new?household={}",
        app.base,
        id("102").await
    ))
    .await;
    assert!(chosen.contains("value=\"102\""), "the chosen unit");
    let not_theirs = page(format!(
        "{}/complaints/new?household={}",
        app.base,
        id("103").await
    ))
    .await;
    assert!(
        !not_theirs.contains("value=\"103\""),
        "another owner's unit"
    );
}

/// An owner whose account phone is not the one on record is confirmed by the desk; the
/// form then offers the unit. Without an account for the phone, nothing is linked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_confirms_an_account_as_a_households() {
    on_every_engine!(confirmed);
}

async fn confirmed(app: &TestApp) {
    estate_unit(app, ["桂花园", "10栋", "", "501", "吴十", "13911112222"]).await;
    let household: i64 = sqlx::query_scalar("SELECT id FROM households WHERE unit = '501'")
        .fetch_one(app.pool())
        .await
        .expect("the household");
    let household = household.to_string();
    // The owner registered with a new number.
    let owner = owner_account(app, "13611113333", "吴先生").await;
    let form = || async {
        owner
            .get(format!("{}/complaints/new", app.base))
            .send()
            .await
            .expect("the form")
            .text()
            .await
            .expect("html")
    };
    assert!(!form().await.contains("value=\"501\""), "not theirs yet");

    app.log_in("agent").await;
    let (status, body) = app
        .call(
            "link_household_account",
            &[("id", &household), ("phone", "13000000009")],
        )
        .await;
    assert_eq!(status, 422, "no such account: {body}");
    let (status, body) = app
        .call(
            "link_household_account",
            &[("id", &household), ("phone", "13611113333")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'link_household_account'")
            .await,
        1
    );
    assert!(form().await.contains("value=\"501\""), "offered now");
    // Handlers do not confirm accounts.
    let handler = app.new_visitor();
    call_with(
        &handler,
        &app.base,
        "log_in",
        &[("login", "repair"), ("password", "demo-2026")],
    )
    .await;
    let (status, _) = call_with(
        &handler,
        &app.base,
        "link_household_account",
        &[("id", &household), ("phone", "13611113333")],
    )
    .await;
    assert_eq!(status, 403);
}
