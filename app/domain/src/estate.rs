//! The estate a property company manages — communities, buildings, entrances (单元),
//! units (房号) and their owners — as it arrives in a spreadsheet: a header row naming
//! the columns in any order, then one unit per row. This module turns the cells into
//! typed rows and lists every bad row; reading the file and storing the rows are the
//! server's.

use crate::intake::PhoneNumber;
use crate::lang::{Lang, Text};

/// The longest community, building, entrance or unit name accepted.
pub const MAX_PLACE_CHARS: usize = 50;
/// The longest owner name accepted.
pub const MAX_OWNER_NAME_CHARS: usize = 30;

/// One column of the estate spreadsheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EstateColumn {
    /// 小区.
    Community,
    /// 楼栋.
    Building,
    /// 单元 (may be empty).
    Entrance,
    /// 房号.
    Unit,
    /// 业主姓名.
    OwnerName,
    /// 手机号.
    Phone,
}

impl EstateColumn {
    /// Every column, in the order an export writes them.
    pub const ALL: [EstateColumn; 6] = [
        EstateColumn::Community,
        EstateColumn::Building,
        EstateColumn::Entrance,
        EstateColumn::Unit,
        EstateColumn::OwnerName,
        EstateColumn::Phone,
    ];

    /// The Chinese header, as exports write it.
    pub fn header_zh(self) -> &'static str {
        match self {
            EstateColumn::Community => "小区",
            EstateColumn::Building => "楼栋",
            EstateColumn::Entrance => "单元",
            EstateColumn::Unit => "房号",
            EstateColumn::OwnerName => "业主姓名",
            EstateColumn::Phone => "手机号",
        }
    }

    /// The English header, also accepted on import.
    pub fn header_en(self) -> &'static str {
        match self {
            EstateColumn::Community => "community",
            EstateColumn::Building => "building",
            EstateColumn::Entrance => "entrance",
            EstateColumn::Unit => "unit",
            EstateColumn::OwnerName => "owner_name",
            EstateColumn::Phone => "phone",
        }
    }

    /// The column's name in a message.
    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.header_zh(),
            Lang::En => self.header_en(),
        }
    }

    /// Reads a header cell: the Chinese or English name, ignoring case and spaces.
    pub fn from_header(cell: &str) -> Option<EstateColumn> {
        let cell: String = cell
            .trim()
            .trim_start_matches('\u{feff}')
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase();
        EstateColumn::ALL
            .into_iter()
            .find(|c| cell == c.header_zh() || cell == c.header_en())
    }

    fn required(self) -> bool {
        !matches!(
            self,
            EstateColumn::Entrance | EstateColumn::OwnerName | EstateColumn::Phone
        )
    }
}

/// One unit of the estate, as a row of the spreadsheet states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EstateRow {
    /// The row's number as the spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// 小区.
    pub community: String,
    /// 楼栋.
    pub building: String,
    /// 单元; empty when the building has none.
    pub entrance: String,
    /// 房号.
    pub unit: String,
    /// 业主姓名; empty when not known.
    pub owner_name: String,
    /// 手机号, a mainland mobile number; `None` when not known.
    pub phone: Option<PhoneNumber>,
}

impl EstateRow {
    /// What makes a unit the same unit: community, building, entrance and unit.
    pub fn key(&self) -> (&str, &str, &str, &str) {
        (&self.community, &self.building, &self.entrance, &self.unit)
    }
}

/// Why one row (or the whole file, `row` 0) cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The spreadsheet's row number; 1 is the header, 0 the file as a whole.
    pub row: usize,
    /// The column at fault, when one is.
    pub column: Option<EstateColumn>,
    /// Why, in both languages.
    pub reason: Text,
}

impl RowError {
    /// An error about the file as a whole (its format or encoding).
    pub fn file(zh: impl Into<String>, en: impl Into<String>) -> RowError {
        RowError {
            row: 0,
            column: None,
            reason: Text::new(zh, en),
        }
    }

    /// One line for people: "第3行「手机号」：…" / "Row 3, phone: …".
    pub fn describe(&self, lang: Lang) -> String {
        let reason = self.reason.get(lang);
        match (lang, self.row, self.column) {
            (Lang::Zh, 0, _) => format!("文件：{reason}"),
            (Lang::En, 0, _) => format!("File: {reason}"),
            (Lang::Zh, row, Some(c)) => format!("第{row}行「{}」：{reason}", c.header_zh()),
            (Lang::Zh, row, None) => format!("第{row}行：{reason}"),
            (Lang::En, row, Some(c)) => format!("Row {row}, {}: {reason}", c.header_en()),
            (Lang::En, row, None) => format!("Row {row}: {reason}"),
        }
    }
}

/// Reads the cells of a whole spreadsheet (header row first): every unit, or every
/// problem found. Blank rows are skipped; columns with other headers are ignored.
pub fn parse_estate(records: &[Vec<String>]) -> Result<Vec<EstateRow>, Vec<RowError>> {
    let mut errors = Vec::new();
    let Some(header_index) = records.iter().position(|r| !is_blank(r)) else {
        return Err(vec![RowError::file("文件是空的", "The file is empty")]);
    };
    let header_row = header_index + 1;
    let mut columns: Vec<(EstateColumn, usize)> = Vec::new();
    for (index, cell) in records[header_index].iter().enumerate() {
        if let Some(column) = EstateColumn::from_header(cell) {
            if columns.iter().any(|(c, _)| *c == column) {
                errors.push(RowError {
                    row: header_row,
                    column: Some(column),
                    reason: Text::new("这一列出现了两次", "This column appears twice"),
                });
            } else {
                columns.push((column, index));
            }
        }
    }
    for column in EstateColumn::ALL {
        if column.required() && !columns.iter().any(|(c, _)| *c == column) {
            errors.push(RowError {
                row: header_row,
                column: Some(column),
                reason: Text::new(
                    format!(
                        "缺少这一列：第一行须是表头，如：{}",
                        header_line(EstateColumn::header_zh, "，")
                    ),
                    format!(
                        "This column is missing: the first row must be the headers, e.g. {}",
                        header_line(EstateColumn::header_en, ",")
                    ),
                ),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows: Vec<EstateRow> = Vec::new();
    let mut seen: std::collections::HashMap<(String, String, String, String), usize> =
        std::collections::HashMap::new();
    for (index, record) in records.iter().enumerate().skip(header_index + 1) {
        if is_blank(record) {
            continue;
        }
        let row = index + 1;
        let cell = |column: EstateColumn| -> String {
            columns
                .iter()
                .find(|(c, _)| *c == column)
                .and_then(|(_, i)| record.get(*i))
                .map(|v| collapse_spaces(v))
                .unwrap_or_default()
        };
        let before = errors.len();
        let mut place = |column: EstateColumn, max: usize| -> String {
            let value = cell(column);
            if value.is_empty() && column.required() {
                errors.push(RowError {
                    row,
                    column: Some(column),
                    reason: Text::new("不能为空", "Must not be empty"),
                });
            } else if value.chars().count() > max {
                errors.push(RowError {
                    row,
                    column: Some(column),
                    reason: Text::new(
                        format!("最多{max}个字"),
                        format!("At most {max} characters"),
                    ),
                });
            }
            value
        };
        let community = place(EstateColumn::Community, MAX_PLACE_CHARS);
        let building = place(EstateColumn::Building, MAX_PLACE_CHARS);
        let entrance = place(EstateColumn::Entrance, MAX_PLACE_CHARS);
        let unit = place(EstateColumn::Unit, MAX_PLACE_CHARS);
        let owner_name = place(EstateColumn::OwnerName, MAX_OWNER_NAME_CHARS);
        let phone = match parse_mobile(&cell(EstateColumn::Phone)) {
            Ok(phone) => phone,
            Err(reason) => {
                errors.push(RowError {
                    row,
                    column: Some(EstateColumn::Phone),
                    reason,
                });
                None
            }
        };
        if errors.len() > before {
            continue;
        }
        let parsed = EstateRow {
            row,
            community,
            building,
            entrance,
            unit,
            owner_name,
            phone,
        };
        let key = parsed.key();
        let key = (
            key.0.to_owned(),
            key.1.to_owned(),
            key.2.to_owned(),
            key.3.to_owned(),
        );
        if let Some(first) = seen.get(&key) {
            errors.push(RowError {
                row,
                column: Some(EstateColumn::Unit),
                reason: Text::new(
                    format!("与第{first}行是同一户（小区、楼栋、单元、房号都相同）"),
                    format!(
                        "The same unit as row {first} (same community, building, entrance and unit)"
                    ),
                ),
            });
            continue;
        }
        seen.insert(key, row);
        rows.push(parsed);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if rows.is_empty() {
        return Err(vec![RowError::file(
            "表头下面没有任何一户",
            "There are no units below the headers",
        )]);
    }
    Ok(rows)
}

/// The headers joined, for messages and exports.
pub fn header_line(name: fn(EstateColumn) -> &'static str, separator: &str) -> String {
    EstateColumn::ALL
        .into_iter()
        .map(name)
        .collect::<Vec<_>>()
        .join(separator)
}

/// An owner's phone must be a mainland mobile number (11 digits starting 13–19); empty
/// means not known.
fn parse_mobile(raw: &str) -> Result<Option<PhoneNumber>, Text> {
    if raw.is_empty() {
        return Ok(None);
    }
    let not_mobile = || {
        Text::new(
            format!("「{raw}」不是大陆手机号（11位，以13–19开头）"),
            format!("“{raw}” is not a mainland mobile number (11 digits starting 13–19)"),
        )
    };
    let phone = PhoneNumber::parse(raw).map_err(|_| not_mobile())?;
    let digits = phone.as_str();
    if digits.len() == 11 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(Some(phone))
    } else {
        Err(not_mobile())
    }
}

fn is_blank(record: &[String]) -> bool {
    record.iter().all(|cell| cell.trim().is_empty())
}

/// Trims and folds runs of white space (including full-width spaces) into one space.
fn collapse_spaces(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect()
    }

    #[test]
    fn columns_in_any_order_with_chinese_or_english_headers() {
        let zh = sheet(&[
            &["手机号", "房号", "小区", "楼栋", "单元", "业主姓名"],
            &[
                "138 1234 5678",
                "1501",
                "翠湖花园",
                "3栋",
                "2单元",
                "王先生",
            ],
        ]);
        let en = sheet(&[
            &["Community", "building", "unit", "owner_name", "phone"],
            &["翠湖花园", "3栋", "1501", "王先生", "13812345678"],
        ]);
        let zh = parse_estate(&zh).unwrap();
        assert_eq!(zh[0].row, 2);
        assert_eq!(zh[0].key(), ("翠湖花园", "3栋", "2单元", "1501"));
        assert_eq!(zh[0].phone.as_ref().unwrap().as_str(), "13812345678");
        let en = parse_estate(&en).unwrap();
        assert_eq!(en[0].key(), ("翠湖花园", "3栋", "", "1501"));
        assert_eq!(en[0].owner_name, "王先生");
    }

    #[test]
    fn every_bad_row_is_listed_with_its_column() {
        let bad = sheet(&[
            &["小区", "楼栋", "单元", "房号", "业主姓名", "手机号"],
            &["翠湖花园", "1栋", "1单元", "", "李女士", "13900001111"],
            &["翠湖花园", "1栋", "1单元", "302", "李女士", "0571-88886666"],
            &[],
            &["翠湖花园", "1栋", "1单元", "303", "", ""],
            &["翠湖花园", "1栋", "1单元", "303", "赵先生", "13700002222"],
        ]);
        let errors = parse_estate(&bad).unwrap_err();
        let found: Vec<(usize, Option<EstateColumn>)> =
            errors.iter().map(|e| (e.row, e.column)).collect();
        assert_eq!(
            found,
            vec![
                (2, Some(EstateColumn::Unit)),
                (3, Some(EstateColumn::Phone)),
                (6, Some(EstateColumn::Unit)),
            ]
        );
        assert_eq!(errors[0].describe(Lang::Zh), "第2行「房号」：不能为空");
        assert!(errors[2].describe(Lang::En).contains("row 5"));
    }

    #[test]
    fn a_missing_column_is_named() {
        let errors =
            parse_estate(&sheet(&[&["小区", "楼栋", "业主姓名"], &["a", "b", "c"]])).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].row, 1);
        assert_eq!(errors[0].column, Some(EstateColumn::Unit));
    }

    #[test]
    fn an_empty_file_or_headers_alone_are_refused() {
        assert_eq!(parse_estate(&[]).unwrap_err()[0].row, 0);
        let headers_only = sheet(&[&["小区", "楼栋", "房号"]]);
        assert_eq!(parse_estate(&headers_only).unwrap_err()[0].row, 0);
    }
}
