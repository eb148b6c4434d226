//! The State Council's holiday schedules that ship with the crate, written the way an
//! administrator types them (see [`CalendarYear::parse`]), one notice per year.

use super::CalendarYear;

/// One year's notice: holidays and make-up working days, as the two textareas would hold them.
struct Notice {
    year: i32,
    holidays: &'static str,
    makeup_workdays: &'static str,
}

const NOTICES: &[Notice] = &[
    Notice {
        // 国务院办公厅关于2025年部分节假日安排的通知(国办发明电〔2024〕12号,2024-11-12)
        year: 2025,
        holidays: "
            2025-01-01                # 元旦
            2025-01-28..2025-02-04    # 春节 (8 days)
            2025-04-04..2025-04-06    # 清明节
            2025-05-01..2025-05-05    # 劳动节
            2025-05-31..2025-06-02    # 端午节
            2025-10-01..2025-10-08    # 国庆节、中秋节 (8 days)
        ",
        makeup_workdays: "
            2025-01-26, 2025-02-08    # 春节
            2025-04-27                # 劳动节
            2025-09-28, 2025-10-11    # 国庆节、中秋节
        ",
    },
    Notice {
        // 国务院办公厅关于2026年部分节假日安排的通知(2025-11-04)
        year: 2026,
        holidays: "
            2026-01-01..2026-01-03    # 元旦
            2026-02-15..2026-02-23    # 春节 (9 days)
            2026-04-04..2026-04-06    # 清明节
            2026-05-01..2026-05-05    # 劳动节
            2026-06-19..2026-06-21    # 端午节
            2026-09-25..2026-09-27    # 中秋节
            2026-10-01..2026-10-07    # 国庆节
        ",
        makeup_workdays: "
            2026-01-04                # 元旦
            2026-02-14, 2026-02-28    # 春节
            2026-05-09                # 劳动节
            2026-09-20, 2026-10-10    # 国庆节
        ",
    },
];

/// Every shipped year.
pub(super) fn years() -> Vec<CalendarYear> {
    NOTICES.iter().filter_map(read).collect()
}

/// The shipped year `year`, if any.
pub(super) fn year(year: i32) -> Option<CalendarYear> {
    NOTICES.iter().find(|n| n.year == year).and_then(read)
}

/// A notice as a year; `None` only if the text above were wrong (a test reads every notice).
fn read(notice: &Notice) -> Option<CalendarYear> {
    CalendarYear::parse(notice.year, notice.holidays, notice.makeup_workdays).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_shipped_notice_reads_without_a_problem() {
        for notice in super::NOTICES {
            let read =
                super::CalendarYear::parse(notice.year, notice.holidays, notice.makeup_workdays);
            assert!(read.is_ok(), "{}: {read:?}", notice.year);
        }
        assert_eq!(super::years().len(), super::NOTICES.len());
    }
}
