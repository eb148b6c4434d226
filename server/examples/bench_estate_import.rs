//! The estate import with a property company's whole spreadsheet: 20,000 units (by
//! default) in 4 communities, as CSV in GB18030 (what Excel writes on a Chinese Windows)
//! and as XLSX. Times reading and checking the file, the first import into a fresh SQLite
//! file (or the PostgreSQL database in `BENCH_DATABASE_URL`), the same file again
//! (nothing changes), and a file where 1,000 owners changed (updated and audited).
//!
//! `cargo run --release -p server --example bench_estate_import [-- <units>]`

use std::time::Instant;

use chrono::Utc;
use server::estate::read_estate;
use server::store::estate::import;

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), server::AnyError> {
    let units: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000);
    let dir = tempfile::tempdir()?;
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let db = server::db::connect(&url).await?;

    let csv = estate_csv(units, 0);
    let (gbk, _, _) = encoding_rs::GB18030.encode(&csv);
    let xlsx = estate_xlsx(&csv)?;
    println!(
        "{units} units: CSV {:.1} MB (GB18030), XLSX {:.1} MB; database {url}",
        gbk.len() as f64 / 1e6,
        xlsx.len() as f64 / 1e6
    );

    let started = Instant::now();
    let rows = read_estate(&gbk).map_err(|e| format!("{} bad rows", e.len()))?;
    let read_csv = started.elapsed();
    let started = Instant::now();
    let from_xlsx = read_estate(&xlsx).map_err(|e| format!("{} bad rows", e.len()))?;
    let read_xlsx = started.elapsed();
    assert_eq!(rows, from_xlsx, "the CSV and the XLSX read the same");
    println!(
        "read + check: CSV (GB18030) {:.0} ms, XLSX {:.0} ms",
        read_csv.as_secs_f64() * 1e3,
        read_xlsx.as_secs_f64() * 1e3
    );

    let started = Instant::now();
    let first = import(&db, &rows, None, Utc::now()).await?;
    println!(
        "first import: {:.2} s ({} units created) — with reading the CSV {:.2} s",
        started.elapsed().as_secs_f64(),
        first.units_created,
        (started.elapsed() + read_csv).as_secs_f64()
    );

    let started = Instant::now();
    let again = import(&db, &rows, None, Utc::now()).await?;
    println!(
        "same file again: {:.2} s ({} unchanged, {} updated)",
        started.elapsed().as_secs_f64(),
        again.units_unchanged,
        again.units_updated
    );

    let changed = read_estate(estate_csv(units, 1_000).as_bytes())
        .map_err(|e| format!("{} bad rows", e.len()))?;
    let started = Instant::now();
    let updated = import(&db, &changed, None, Utc::now()).await?;
    println!(
        "1,000 owners changed: {:.2} s ({} updated and audited)",
        started.elapsed().as_secs_f64(),
        updated.units_updated
    );
    Ok(())
}

/// `units` rows; the first `changed` have a new owner.
fn estate_csv(units: usize, changed: usize) -> String {
    let mut csv = String::from("小区,楼栋,单元,房号,业主姓名,手机号\n");
    let communities = ["翠湖花园", "锦绣江南", "滨江商业广场", "阳光小区"];
    for i in 0..units {
        let community = communities[i % communities.len()];
        let n = i / communities.len();
        let building = n / 120 + 1;
        let entrance = n / 40 % 3 + 1;
        let unit = (n % 40) / 4 + 1;
        let door = n % 4 + 1;
        let (name, phone) = if i < changed {
            (format!("新业主{i}"), 15_000_000_000u64 + i as u64)
        } else {
            (format!("业主{i}"), 13_900_000_000u64 + i as u64)
        };
        csv.push_str(&format!(
            "{community},{building}栋,{entrance}单元,{unit}0{door},{name},{phone}\n"
        ));
    }
    csv
}

fn estate_xlsx(csv: &str) -> Result<Vec<u8>, server::AnyError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (row, line) in csv.lines().enumerate() {
        for (column, cell) in line.split(',').enumerate() {
            sheet.write_string(row as u32, column as u16, cell)?;
        }
    }
    Ok(workbook.save_to_buffer()?)
}
