//! CSV that Excel opens correctly: UTF-8 with a byte-order mark (so Chinese is not
//! garbled), CRLF line ends, RFC 4180 quoting, and no cell that a spreadsheet would run
//! as a formula (text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`).

use std::borrow::Cow;

/// The UTF-8 byte-order mark, the first thing in every file.
pub const BOM: &str = "\u{feff}";

/// One cell: numbers are written as they are, text is made safe.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Int(i64),
    Text(String),
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Int(n)
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }
}

/// A text cell, defused and quoted as needed.
pub fn field(text: &str) -> Cow<'_, str> {
    let defused = match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    };
    if defused.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", defused.replace('"', "\"\"")))
    } else {
        defused
    }
}

/// Appends one record (with its CRLF) to `out`.
pub fn push_row<'a>(out: &mut String, cells: impl IntoIterator<Item = &'a Cell>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match cell {
            Cell::Int(n) => out.push_str(&n.to_string()),
            Cell::Text(t) => out.push_str(&field(t)),
        }
    }
    out.push_str("\r\n");
}

/// A whole file: BOM, header, rows.
pub fn document(header: &[Cell], rows: &[Vec<Cell>]) -> String {
    let mut out = String::from(BOM);
    push_row(&mut out, header);
    for row in rows {
        push_row(&mut out, row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_a_spreadsheet_would_run_is_defused() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+86 138"), "'+86 138");
        assert_eq!(field("-1"), "'-1");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("\tcmd"), "'\tcmd");
        assert_eq!(field("漏水"), "漏水");
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("说\"好\"的"), "\"说\"\"好\"\"的\"");
        assert_eq!(field("第一行\n第二行"), "\"第一行\n第二行\"");
    }

    #[test]
    fn a_document_starts_with_the_bom_and_ends_rows_with_crlf() {
        let doc = document(
            &["类别".into(), "件数".into()],
            &[
                vec!["维修服务".into(), Cell::Int(-3)],
                vec!["a,b".into(), 7.into()],
            ],
        );
        assert!(doc.starts_with('\u{feff}'));
        assert_eq!(doc.as_bytes()[..3], [0xEF, 0xBB, 0xBF]);
        assert_eq!(doc, "\u{feff}类别,件数\r\n维修服务,-3\r\n\"a,b\",7\r\n");
    }
}
