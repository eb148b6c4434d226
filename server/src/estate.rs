//! Reading an estate spreadsheet as a property company has it: `.xlsx` (or `.xls`,
//! `.ods`), or CSV in UTF-8 with or without a BOM, UTF-16 with a BOM (Excel's "Unicode
//! text") or GB18030/GBK (Excel's CSV on a Chinese Windows). The encoding is detected,
//! never asked for. The cells then go to `domain::estate::parse_estate`.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::Reader;
use domain::estate::{parse_estate, EstateRow, RowError};

/// Files larger than this are refused before reading (a 20,000-unit CSV is ~1.5 MB).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// The cells of the file's first sheet, row by row (the first row is row 1).
pub fn read_cells(bytes: &[u8]) -> Result<Vec<Vec<String>>, RowError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(RowError::file(
            format!("文件太大，最大{}MB", MAX_FILE_BYTES / 1024 / 1024),
            format!(
                "The file is too large (at most {} MB)",
                MAX_FILE_BYTES / 1024 / 1024
            ),
        ));
    }
    if is_workbook(bytes) {
        return read_workbook(bytes);
    }
    read_csv(&decode_text(bytes)?)
}

/// Reads and checks a whole file: every unit, or every problem.
pub fn read_estate(bytes: &[u8]) -> Result<Vec<EstateRow>, Vec<RowError>> {
    let cells = read_cells(bytes).map_err(|e| vec![e])?;
    parse_estate(&cells)
}

/// ZIP (xlsx, ods) or OLE (xls) signatures.
fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

fn read_workbook(bytes: &[u8]) -> Result<Vec<Vec<String>>, RowError> {
    let unreadable = || {
        RowError::file(
            "无法读取这个表格文件，请在Excel中另存为 .xlsx 或 .csv 后再导入",
            "This spreadsheet cannot be read; save it as .xlsx or .csv in Excel and import that",
        )
    };
    let mut workbook =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let range = match workbook.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(_)) => return Err(unreadable()),
        None => return Err(RowError::file("文件是空的", "The file is empty")),
    };
    // The range starts at the first used cell: keep the row numbers Excel shows.
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let mut cells: Vec<Vec<String>> = vec![Vec::new(); first_row as usize];
    for row in range.rows() {
        let mut record = vec![String::new(); first_column as usize];
        record.extend(row.iter().map(cell_text));
        cells.push(record);
    }
    Ok(cells)
}

/// A cell as its text: whole numbers (a phone or a unit typed as a number) without ".0".
fn cell_text(cell: &calamine::Data) -> String {
    match cell {
        calamine::Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        calamine::Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The file's text, whatever its encoding; an encoding that cannot be told is an error.
pub fn decode_text(bytes: &[u8]) -> Result<Cow<'_, str>, RowError> {
    let unknown = || {
        RowError::file(
            "无法识别文件的编码：请导入 .xlsx，或UTF-8、GB18030（GBK）编码的 .csv",
            "Unknown text encoding: import an .xlsx, or a .csv in UTF-8 or GB18030 (GBK)",
        )
    };
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(Cow::Borrowed)
            .map_err(|_| unknown());
    }
    for (bom, encoding) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return encoding
                .decode_without_bom_handling_and_without_replacement(rest)
                .map(|text| Cow::Owned(text.into_owned()))
                .ok_or_else(unknown);
        }
    }
    // Text never holds NUL; binary files and BOM-less UTF-16 do.
    if bytes.contains(&0) {
        return Err(unknown());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(text));
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| Cow::Owned(text.into_owned()))
        .ok_or_else(unknown)
}

/// CSV, or tab-separated when the first line has tabs and no commas.
fn read_csv(text: &str) -> Result<Vec<Vec<String>>, RowError> {
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut cells = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => cells.push(record.iter().map(str::to_owned).collect()),
            Err(error) => {
                let row = error.position().map_or(0, |p| p.line() as usize);
                return Err(RowError {
                    row,
                    column: None,
                    reason: domain::Text::new(
                        "CSV格式有误（引号未闭合？）",
                        "Malformed CSV (an unclosed quote?)",
                    ),
                });
            }
        }
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str =
        "小区,楼栋,单元,房号,业主姓名,手机号\n翠湖花园,3栋,2单元,1501,王先生,13812345678\n";

    #[test]
    fn utf8_with_and_without_bom_and_gb18030_read_the_same() {
        let plain = read_estate(CSV.as_bytes()).unwrap();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(CSV.as_bytes());
        let (gbk, _, unmappable) = encoding_rs::GB18030.encode(CSV);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&gbk).is_err());
        assert_eq!(read_estate(&bom).unwrap(), plain);
        assert_eq!(read_estate(&gbk).unwrap(), plain);
        assert_eq!(plain[0].owner_name, "王先生");
    }

    #[test]
    fn bytes_of_no_known_encoding_are_refused() {
        let errors = read_estate(b"\x80\x80\x80,\xff\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].row, 0);
        assert!(errors[0].reason.zh.contains("编码"));
    }

    #[test]
    fn tab_separated_text_is_read_too() {
        let tsv = CSV.replace(',', "\t");
        assert_eq!(read_estate(tsv.as_bytes()).unwrap().len(), 1);
    }
}
