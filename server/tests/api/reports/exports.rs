//! CSV exports: a BOM, a row per complaint, the filters honoured.

use super::*;

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
