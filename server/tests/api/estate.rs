//! The estate import: the spreadsheet a property company has (CSV in UTF-8 with or
//! without a BOM or in GB18030, or XLSX) becomes communities, buildings and units with
//! owners, all or nothing, idempotently, audited; and it comes back out as CSV.

use serde_json::Value;
use sqlx::Row;

use crate::on_every_engine;
use crate::support::TestApp;

const ESTATE: &str = "\
小区,楼栋,单元,房号,业主姓名,手机号
阳光小区,1栋,1单元,101,张三,13911110001
阳光小区,1栋,1单元,102,李四,13911110002
阳光小区,1栋,2单元,201,王五,+86 139-1111-0003
阳光小区,2栋,,301,,
明月苑,A座,,1203,赵六,13911110005
";

async fn upload(app: &TestApp, name: &str, bytes: Vec<u8>, lang: &str) -> (u16, Value) {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    let response = app
        .client
        .post(format!("{}/staff/admin/estate/import", app.base))
        .header("accept-language", lang)
        .multipart(form)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

async fn households(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM households").await
}

fn with_bom(text: &str) -> Vec<u8> {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

fn gb18030(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// The same estate as an XLSX workbook, English headers in another order, the phones as
/// numbers the way Excel keeps them.
fn xlsx() -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let headers = [
        "phone",
        "owner_name",
        "community",
        "building",
        "entrance",
        "unit",
    ];
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    let rows = [
        (
            Some(13911110001.0),
            "张三",
            "阳光小区",
            "1栋",
            "1单元",
            "101",
        ),
        (
            Some(13911110002.0),
            "李四",
            "阳光小区",
            "1栋",
            "1单元",
            "102",
        ),
        (
            Some(13911110003.0),
            "王五",
            "阳光小区",
            "1栋",
            "2单元",
            "201",
        ),
        (None, "", "阳光小区", "2栋", "", "301"),
        (Some(13911110005.0), "赵六", "明月苑", "A座", "", "1203"),
    ];
    for (i, (phone, name, community, building, entrance, unit)) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        if let Some(phone) = phone {
            sheet.write_number(row, 0, *phone).unwrap();
        }
        for (column, text) in [(1, name), (2, community), (3, building), (4, entrance)] {
            if !text.is_empty() {
                sheet.write_string(row, column, *text).unwrap();
            }
        }
        // 房号 typed as a number, as people do.
        sheet
            .write_number(row, 5, unit.parse::<f64>().unwrap())
            .unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

async fn every_format_imports_the_same_estate_once(app: &TestApp) {
    app.log_in("admin").await;
    let (status, body) = upload(app, "estate.csv", ESTATE.as_bytes().to_vec(), "zh-CN").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["units_created"], 5, "{body}");
    assert_eq!(body["communities_created"], 2, "{body}");
    assert_eq!(body["buildings_created"], 3, "{body}");
    let phone: String = sqlx::query("SELECT owner_phone FROM households WHERE unit = '201'")
        .fetch_one(app.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(phone, "13911110003");

    // The same estate in every other format: nothing new, nothing changed.
    for (name, bytes) in [
        ("estate-bom.csv", with_bom(ESTATE)),
        ("estate-gbk.csv", gb18030(ESTATE)),
        ("estate.xlsx", xlsx()),
        ("estate.csv", ESTATE.as_bytes().to_vec()),
    ] {
        let (status, body) = upload(app, name, bytes, "zh-CN").await;
        assert_eq!(status, 200, "{name}: {body}");
        assert_eq!(body["units_unchanged"], 5, "{name}: {body}");
        assert_eq!(body["units_created"], 0, "{name}: {body}");
        assert_eq!(body["units_updated"], 0, "{name}: {body}");
    }
    assert_eq!(households(app).await, 5);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'estate_unit_updated'")
            .await,
        0
    );

    // The complaint form offers the new community.
    let (status, page) = app.get("/complaints/new").await;
    assert_eq!(status, 200);
    assert!(page.contains("明月苑"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_format_imports_the_same_estate_once_on_every_engine() {
    on_every_engine!(every_format_imports_the_same_estate_once);
}

async fn a_bad_file_imports_nothing_and_lists_every_bad_row(app: &TestApp) {
    app.log_in("admin").await;
    let bad = "\
小区,楼栋,单元,房号,业主姓名,手机号
阳光小区,1栋,1单元,101,张三,13911110001
阳光小区,1栋,1单元,,李四,13911110002
阳光小区,1栋,1单元,103,王五,12345
阳光小区,1栋,1单元,101,赵六,13911110004
";
    let (status, body) = upload(app, "bad.csv", bad.as_bytes().to_vec(), "zh-CN").await;
    assert_eq!(status, 422, "{body}");
    let errors = body["errors"].as_array().unwrap();
    let found: Vec<(u64, &str)> = errors
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        vec![(3, "房号"), (4, "手机号"), (5, "房号")],
        "{body}"
    );
    assert!(
        errors[2]["reason"].as_str().unwrap().contains("第2行"),
        "{body}"
    );
    assert_eq!(households(app).await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM communities WHERE name = '阳光小区'")
            .await,
        0
    );

    // In English when the page is in English.
    let (status, body) = upload(app, "bad.csv", bad.as_bytes().to_vec(), "en").await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][1]["column"], "phone", "{body}");
    assert!(body["errors"][1]["reason"]
        .as_str()
        .unwrap()
        .contains("not a mainland mobile"));

    // Bytes in no known encoding.
    let (status, body) = upload(app, "odd.csv", b"\x80\x80,\xff\xff\n".to_vec(), "zh-CN").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"][0]["row"], 0);
    assert!(body["errors"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("编码"));
    assert_eq!(households(app).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_file_imports_nothing_and_lists_every_bad_row_on_every_engine() {
    on_every_engine!(a_bad_file_imports_nothing_and_lists_every_bad_row);
}

async fn a_changed_owner_updates_the_unit_and_is_audited(app: &TestApp) {
    app.log_in("admin").await;
    let (status, _) = upload(app, "estate.csv", ESTATE.as_bytes().to_vec(), "zh-CN").await;
    assert_eq!(status, 200);
    let changed = ESTATE.replace("李四,13911110002", "李四新,13911119999");
    let (status, body) = upload(app, "estate.csv", changed.into_bytes(), "zh-CN").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["units_updated"], 1, "{body}");
    assert_eq!(body["units_unchanged"], 4, "{body}");
    let row = sqlx::query(
        "SELECT target, before_value, after_value, actor_id FROM audit_log
         WHERE action = 'estate_unit_updated'",
    )
    .fetch_one(app.pool())
    .await
    .unwrap();
    let target: String = row.get("target");
    let before: String = row.get("before_value");
    let after: String = row.get("after_value");
    let actor: Option<i64> = row.get("actor_id");
    assert_eq!(target, "阳光小区/1栋/1单元/102");
    assert!(before.contains("13911110002") && before.contains("李四"));
    assert!(after.contains("13911119999") && after.contains("李四新"));
    assert!(actor.is_some());
    assert_eq!(households(app).await, 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_owner_updates_the_unit_and_is_audited_on_every_engine() {
    on_every_engine!(a_changed_owner_updates_the_unit_and_is_audited);
}

async fn the_export_imports_back_unchanged(app: &TestApp) {
    app.log_in("admin").await;
    let (status, _) = upload(app, "estate.csv", ESTATE.as_bytes().to_vec(), "zh-CN").await;
    assert_eq!(status, 200);
    let response = app
        .client
        .get(format!("{}/staff/admin/estate/export.csv", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let bytes = response.bytes().await.unwrap().to_vec();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        text.starts_with("小区,楼栋,单元,房号,业主姓名,手机号"),
        "{text}"
    );
    assert!(text.contains("明月苑,A座,,1203,赵六,13911110005"), "{text}");
    let (status, body) = upload(app, "export.csv", bytes, "zh-CN").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["units_unchanged"], 5, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_imports_back_unchanged_on_every_engine() {
    on_every_engine!(the_export_imports_back_unchanged);
}

async fn only_administrators_import(app: &TestApp) {
    let (status, _) = upload(app, "estate.csv", ESTATE.as_bytes().to_vec(), "zh-CN").await;
    assert_eq!(status, 401);
    app.log_in("agent").await;
    let (status, _) = upload(app, "estate.csv", ESTATE.as_bytes().to_vec(), "zh-CN").await;
    assert_eq!(status, 403);
    assert_eq!(households(app).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_administrators_import_on_every_engine() {
    on_every_engine!(only_administrators_import);
}

async fn the_page_imports_without_script_and_shows_every_bad_row(app: &TestApp) {
    app.log_in("admin").await;
    let post = |bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("房产.csv"),
        );
        app.client
            .post(format!("{}/staff/admin/estate/import", app.base))
            .header("accept", "text/html,application/xhtml+xml")
            .multipart(form)
            .send()
    };
    let response = post(ESTATE.as_bytes().to_vec()).await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("/staff/admin/estate?import="),
        "{location}"
    );
    let (status, page) = app.get(location.trim_end_matches("#import")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("已导入「房产.csv」：新增5户，更新0户，0户无变化。"),
        "{page}"
    );
    assert!(page.contains("明月苑"));

    let bad = ESTATE
        .replace("13911110005", "1391111")
        .replace(",301,", ",,");
    let response = post(bad.into_bytes()).await.unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let (_, page) = app.get(location.trim_end_matches("#import")).await;
    assert!(page.contains("共2处错误"), "{page}");
    assert!(page.contains("第5行「房号」：不能为空"), "{page}");
    assert!(page.contains("第6行「手机号」"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_imports_without_script_and_shows_every_bad_row_on_every_engine() {
    on_every_engine!(the_page_imports_without_script_and_shows_every_bad_row);
}

async fn a_unit_is_added_by_hand_and_a_retired_community_leaves_the_form(app: &TestApp) {
    app.log_in("admin").await;
    let (status, body) = app
        .call(
            "save_estate_unit",
            &[
                ("unit[community]", "桂花园"),
                ("unit[building]", "7栋"),
                ("unit[unit]", "602"),
                ("unit[owner_name]", "钱七"),
                ("unit[phone]", "0571-8888"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("phone"), "{body}");
    assert_eq!(households(app).await, 0);
    let (status, body) = app
        .call(
            "save_estate_unit",
            &[
                ("unit[community]", "桂花园"),
                ("unit[building]", "7栋"),
                ("unit[unit]", "602"),
                ("unit[owner_name]", "钱七"),
                ("unit[phone]", "13911117777"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(households(app).await, 1);
    let (_, page) = app.get("/complaints/new").await;
    assert!(page.contains("桂花园"));

    let id = app
        .count("SELECT id FROM communities WHERE name = '桂花园'")
        .await
        .to_string();
    let (status, body) = app
        .call(
            "set_estate_retired",
            &[("kind", "community"), ("id", &id), ("retired", "1")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, page) = app.get("/complaints/new").await;
    assert!(!page.contains("桂花园"));
    assert_eq!(households(app).await, 1, "nothing is deleted");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'estate_retired'")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unit_is_added_by_hand_and_a_retired_community_leaves_the_form_on_every_engine() {
    on_every_engine!(a_unit_is_added_by_hand_and_a_retired_community_leaves_the_form);
}

async fn a_complaint_names_its_unit_from_the_estate_or_is_flagged(app: &TestApp) {
    app.log_in("admin").await;
    let (status, _) = upload(app, "estate.csv", ESTATE.as_bytes().to_vec(), "zh-CN").await;
    assert_eq!(status, 200);
    let building: i64 = sqlx::query(
        "SELECT b.id FROM buildings b JOIN communities c ON c.id = b.community_id
         WHERE c.name = '阳光小区' AND b.name = '1栋'",
    )
    .fetch_one(app.pool())
    .await
    .unwrap()
    .get(0);
    let community: i64 = sqlx::query("SELECT id FROM communities WHERE name = '阳光小区'")
        .fetch_one(app.pool())
        .await
        .unwrap()
        .get(0);

    // The form's suggestions: the building's units, no owners.
    let response = app
        .new_visitor()
        .get(format!("{}/estate/buildings/{building}/units", app.base))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert_eq!(status, 200);
    assert_eq!(body, r#"["1单元101","1单元102","2单元201"]"#);

    let (building, community) = (building.to_string(), community.to_string());
    let place = |unit: &'static str| {
        vec![
            ("intake[community_id]", community.clone()),
            ("intake[building_id]", building.clone()),
            ("intake[unit]", unit.to_owned()),
        ]
    };
    let mut codes = Vec::new();
    for unit in ["1单元 102", "9单元999"] {
        let fields = place(unit);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (id, _, _) = crate::workflow::file(app, &fields).await;
        codes.push(id);
    }
    let linked: Option<i64> = sqlx::query("SELECT household_id FROM complaints WHERE id = $1")
        .bind(codes[0].parse::<i64>().unwrap())
        .fetch_one(app.pool())
        .await
        .unwrap()
        .get(0);
    assert!(linked.is_some());
    app.log_in("agent").await;
    let (_, known) = app.call("load_staff_complaint", &[("id", &codes[0])]).await;
    assert_eq!(known["unit_in_estate"], true, "{known}");
    let (_, unknown) = app.call("load_staff_complaint", &[("id", &codes[1])]).await;
    assert_eq!(unknown["unit_in_estate"], false, "{unknown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complaint_names_its_unit_from_the_estate_or_is_flagged_on_every_engine() {
    on_every_engine!(a_complaint_names_its_unit_from_the_estate_or_is_flagged);
}
