//! The dashboard's charts as data: what each shows (labels × series), its accessible
//! title and summary, and the table behind it — the same table the page shows under
//! the chart and the CSV export writes.

use domain::{Category, Clock, Lang, Level};

use super::csv::{self, Cell};
use super::{bound_label, percent, Durations, Report};
use crate::i18n::{fill, Message, ReportMsg};
use crate::model::Satisfaction;

/// How a chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// One point per label, joined (trends over months).
    Line,
    /// Horizontal bars, one per label (long names read best this way on a phone).
    Bars,
    /// Vertical bars, one per label.
    Columns,
    /// Vertical bars with the series stacked.
    Stacked,
    /// Labels × series as coloured cells, each a link.
    Heat,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub color: &'static str,
    pub values: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Stable id: the HTML anchor and the CSV file name.
    pub id: &'static str,
    pub kind: ChartKind,
    pub title: String,
    /// One sentence saying what the chart shows (its `<desc>`).
    pub summary: String,
    /// The header of the label column in the table.
    pub label_header: String,
    pub labels: Vec<String>,
    /// Short axis labels, one per label (empty: the labels themselves).
    pub ticks: Vec<String>,
    pub series: Vec<Series>,
    /// Heat charts: where each cell leads (labels × series).
    pub links: Vec<Vec<String>>,
    /// Columns only the table has (e.g. rates), after the series.
    pub extra: Vec<(String, Vec<String>)>,
}

impl Chart {
    fn new(
        id: &'static str,
        kind: ChartKind,
        title: ReportMsg,
        label_header: ReportMsg,
        lang: Lang,
    ) -> Chart {
        Chart {
            id,
            kind,
            title: title.text(lang).to_owned(),
            summary: String::new(),
            label_header: label_header.text(lang).to_owned(),
            labels: Vec::new(),
            ticks: Vec::new(),
            series: Vec::new(),
            links: Vec::new(),
            extra: Vec::new(),
        }
    }

    fn series(mut self, name: impl Into<String>, color: &'static str, values: Vec<i64>) -> Chart {
        self.series.push(Series {
            name: name.into(),
            color,
            values,
        });
        self
    }

    /// Everything drawn adds up to zero: the page says so instead of drawing.
    pub fn is_empty(&self) -> bool {
        self.series.iter().all(|s| s.values.iter().all(|v| *v == 0))
    }

    /// The sum over series at label `i`.
    pub fn total_at(&self, i: usize) -> i64 {
        self.series.iter().filter_map(|s| s.values.get(i)).sum()
    }

    pub fn header(&self) -> Vec<Cell> {
        std::iter::once(Cell::Text(self.label_header.clone()))
            .chain(self.series.iter().map(|s| Cell::Text(s.name.clone())))
            .chain(self.extra.iter().map(|(name, _)| Cell::Text(name.clone())))
            .collect()
    }

    pub fn rows(&self) -> Vec<Vec<Cell>> {
        self.labels
            .iter()
            .enumerate()
            .map(|(i, label)| {
                std::iter::once(Cell::Text(label.clone()))
                    .chain(
                        self.series
                            .iter()
                            .map(|s| Cell::Int(s.values.get(i).copied().unwrap_or(0))),
                    )
                    .chain(
                        self.extra
                            .iter()
                            .map(|(_, v)| Cell::Text(v.get(i).cloned().unwrap_or_default())),
                    )
                    .collect()
            })
            .collect()
    }

    /// The table as a CSV file.
    pub fn csv(&self) -> String {
        csv::document(&self.header(), &self.rows())
    }

    /// "共 N 件,最多的是 X(n 件)" from the label with the largest total.
    fn summarise(mut self, lang: Lang) -> Chart {
        let total: i64 = (0..self.labels.len()).map(|i| self.total_at(i)).sum();
        let top = (0..self.labels.len()).max_by_key(|i| (self.total_at(*i), std::cmp::Reverse(*i)));
        self.summary = match top.filter(|_| total > 0) {
            Some(i) => fill(
                ReportMsg::DescTop.text(lang),
                &[&self.title, &total, &self.labels[i], &self.total_at(i)],
            ),
            None => fill(ReportMsg::DescEmpty.text(lang), &[&self.title]),
        };
        self
    }
}

/// Colours (the stylesheet's palette): levels 1–4, then good / middling / bad.
pub const LEVEL_COLORS: [&str; 4] = ["#b3261e", "#e07b00", "#2456a6", "#8a9a94"];
pub const GOOD: &str = "#1b7f3b";
pub const MIDDLING: &str = "#e0a800";
pub const BAD: &str = "#b3261e";
pub const WARN: &str = "#e07b00";
pub const BRAND: &str = "#0b6e4f";

/// Every chart id, in page order.
pub const IDS: &[&str] = &[
    "trend",
    "levels_by_month",
    "categories",
    "channels",
    "levels",
    "statuses",
    "clocks",
    "first_contact",
    "resolution",
    "satisfaction",
    "overall",
    "departments",
    "handlers",
    "hot_spots",
];

/// The chart `id` of `report`.
pub fn by_id(report: &Report, id: &str, lang: Lang) -> Option<Chart> {
    let chart = match id {
        "trend" => trend(report, lang),
        "levels_by_month" => levels_by_month(report, lang),
        "categories" => categories(report, lang),
        "channels" => channels(report, lang),
        "levels" => levels(report, lang),
        "statuses" => statuses(report, lang),
        "clocks" => clocks(report, lang),
        "first_contact" => durations(
            "first_contact",
            ReportMsg::ChartFirstContact,
            &report.first_contact,
            lang,
        ),
        "resolution" => durations(
            "resolution",
            ReportMsg::ChartResolution,
            &report.resolution,
            lang,
        ),
        "satisfaction" => satisfaction(report, lang),
        "overall" => overall(report, lang),
        "departments" => teams(
            "departments",
            ReportMsg::ChartDepartments,
            ReportMsg::ColDepartment,
            &report.departments,
            lang,
        ),
        "handlers" => teams(
            "handlers",
            ReportMsg::ChartHandlers,
            ReportMsg::ColHandler,
            &report.handlers,
            lang,
        ),
        "hot_spots" => hot_spots(report, lang),
        _ => return None,
    };
    Some(chart)
}

/// Every chart of `report`, in page order.
pub fn all(report: &Report, lang: Lang) -> Vec<Chart> {
    IDS.iter()
        .filter_map(|id| by_id(report, id, lang))
        .collect()
}

fn trend(report: &Report, lang: Lang) -> Chart {
    let mut chart = Chart::new(
        "trend",
        ChartKind::Line,
        ReportMsg::ChartTrend,
        ReportMsg::ColMonth,
        lang,
    );
    chart.labels = report.months.iter().map(|m| m.month.label(lang)).collect();
    chart.ticks = month_ticks(report, lang);
    chart
        .series(
            ReportMsg::ColComplaints.text(lang),
            BRAND,
            report.months.iter().map(|m| m.total).collect(),
        )
        .summarise(lang)
}

fn levels_by_month(report: &Report, lang: Lang) -> Chart {
    let mut chart = Chart::new(
        "levels_by_month",
        ChartKind::Stacked,
        ReportMsg::ChartLevelsByMonth,
        ReportMsg::ColMonth,
        lang,
    );
    chart.labels = report.months.iter().map(|m| m.month.label(lang)).collect();
    chart.ticks = month_ticks(report, lang);
    for (i, level) in Level::ALL.iter().enumerate() {
        let values = report.months.iter().map(|m| m.levels[i]).collect();
        chart = chart.series(level.label(lang), LEVEL_COLORS[i], values);
    }
    chart.summarise(lang)
}

fn month_ticks(report: &Report, lang: Lang) -> Vec<String> {
    report
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| m.month.axis_label(i == 0, lang))
        .collect()
}

fn categories(report: &Report, lang: Lang) -> Chart {
    let mut chart = Chart::new(
        "categories",
        ChartKind::Bars,
        ReportMsg::ChartCategories,
        ReportMsg::ColCategory,
        lang,
    );
    chart.labels = report
        .categories
        .iter()
        .map(|(c, _)| c.label(lang).to_owned())
        .collect();
    let values = report.categories.iter().map(|(_, n)| *n).collect();
    chart
        .series(ReportMsg::ColComplaints.text(lang), BRAND, values)
        .summarise(lang)
}

/// How complaints reached the company: the portal, calls, visits, letters, 12345…
fn channels(report: &Report, lang: Lang) -> Chart {
    let mut chart = Chart::new(
        "channels",
        ChartKind::Bars,
        ReportMsg::ChartChannels,
        ReportMsg::ColChannel,
        lang,
    );
    chart.labels = report
        .channels
        .iter()
        .map(|(c, _)| c.label(lang).to_owned())
        .collect();
    let values = report.channels.iter().map(|(_, n)| *n).collect();
    chart
        .series(ReportMsg::ColComplaints.text(lang), BRAND, values)
        .summarise(lang)
}

fn levels(report: &Report, lang: Lang) -> Chart {
    let mut chart = Chart::new(
        "levels",
        ChartKind::Columns,
        ReportMsg::ChartLevels,
        ReportMsg::ColLevel,
        lang,
    );
    chart.labels = report
        .levels
        .iter()
        .map(|(l, _)| l.label(lang).to_owned())
        .collect();
    let values = report.levels.iter().map(|(_, n)| *n).collect();
    chart
        .series(ReportMsg::ColComplaints.text(lang), BRAND, values)
        .summarise(lang)
}

fn statuses(report: &Report, lang: Lang) -> Chart {
    let mut chart = Chart::new(
        "statuses",
        ChartKind::Bars,
        ReportMsg::ChartStatuses,
        ReportMsg::ColStatus,
        lang,
    );
    chart.labels = report
        .statuses
        .iter()
        .map(|(s, _)| s.label(lang).to_owned())
        .collect();
    let values = report.statuses.iter().map(|(_, n)| *n).collect();
    chart
        .series(ReportMsg::ColComplaints.text(lang), BRAND, values)
        .summarise(lang)
}

fn clocks(report: &Report, lang: Lang) -> Chart {
    let mut chart = Chart::new(
        "clocks",
        ChartKind::Stacked,
        ReportMsg::ChartClocks,
        ReportMsg::ColClock,
        lang,
    );
    chart.labels = report
        .clocks
        .iter()
        .map(|c| c.clock.label(lang).to_owned())
        .collect();
    let rates = report
        .clocks
        .iter()
        .map(|c| {
            c.percent_on_time()
                .map_or_else(|| "—".to_owned(), |p| format!("{p}%"))
        })
        .collect();
    chart
        .extra
        .push((ReportMsg::ColOnTimeRate.text(lang).to_owned(), rates));
    let pick =
        |f: fn(&super::ClockCompliance) -> i64| report.clocks.iter().map(f).collect::<Vec<_>>();
    let mut chart = chart
        .series(ReportMsg::OnTime.text(lang), GOOD, pick(|c| c.on_time))
        .series(ReportMsg::Late.text(lang), BAD, pick(|c| c.late))
        .series(
            ReportMsg::OverdueNow.text(lang),
            WARN,
            pick(|c| c.overdue_now),
        );
    let stopped: Vec<String> = report
        .clocks
        .iter()
        .filter(|c| c.clock != Clock::ProgressUpdate)
        .map(|c| {
            let rate = c
                .percent_on_time()
                .map_or_else(|| "—".to_owned(), |p| format!("{p}%"));
            format!("{} {rate}", c.clock.label(lang))
        })
        .collect();
    chart.summary = fill(ReportMsg::DescClocks.text(lang), &[&stopped.join(", ")]);
    chart
}

fn durations(id: &'static str, title: ReportMsg, durations: &Durations, lang: Lang) -> Chart {
    let mut chart = Chart::new(id, ChartKind::Columns, title, ReportMsg::ColWithin, lang);
    let mut buckets = durations.buckets.clone();
    buckets.sort_by_key(|(bound, _)| if *bound < 0 { i64::MAX } else { *bound });
    let last = buckets.iter().map(|(b, _)| *b).max().unwrap_or(0);
    chart.labels = buckets
        .iter()
        .map(|(b, _)| bound_label(Some(*b), last, lang))
        .collect();
    let values = buckets.iter().map(|(_, n)| *n).collect();
    let mut chart = chart.series(ReportMsg::ColComplaints.text(lang), BRAND, values);
    chart.summary = match durations.count() {
        0 => fill(ReportMsg::DescEmpty.text(lang), &[&chart.title]),
        n => fill(
            ReportMsg::DescDurations.text(lang),
            &[
                &chart.title,
                &n,
                &bound_label(durations.percentile(50), last, lang),
                &bound_label(durations.percentile(90), last, lang),
            ],
        ),
    };
    chart
}

fn satisfaction(report: &Report, lang: Lang) -> Chart {
    let mut chart = Chart::new(
        "satisfaction",
        ChartKind::Stacked,
        ReportMsg::ChartSatisfaction,
        ReportMsg::ColQuestion,
        lang,
    );
    let s = &report.satisfaction;
    let questions = [
        (ReportMsg::Process, &s.process),
        (ReportMsg::Timeliness, &s.timeliness),
        (ReportMsg::Attitude, &s.attitude),
        (ReportMsg::Result, &s.result),
    ];
    chart.labels = questions
        .iter()
        .map(|(label, _)| label.text(lang).to_owned())
        .collect();
    let share = |a: &[i64; 3]| {
        percent(a[0] + a[1], a.iter().sum()).map_or_else(|| "—".to_owned(), |p| format!("{p}%"))
    };
    chart.extra.push((
        ReportMsg::ColSatisfiedRate.text(lang).to_owned(),
        questions.iter().map(|(_, a)| share(a)).collect(),
    ));
    for (i, (answer, color)) in Satisfaction::ALL
        .iter()
        .zip([GOOD, MIDDLING, BAD])
        .enumerate()
    {
        chart = chart.series(
            answer.label(lang),
            color,
            questions.iter().map(|(_, a)| a[i]).collect(),
        );
    }
    chart.summary = fill(
        ReportMsg::DescSatisfaction.text(lang),
        &[
            &share(&s.process),
            &share(&s.timeliness),
            &share(&s.attitude),
            &share(&s.result),
        ],
    );
    chart
}

fn overall(report: &Report, lang: Lang) -> Chart {
    let mut chart = Chart::new(
        "overall",
        ChartKind::Columns,
        ReportMsg::ChartOverall,
        ReportMsg::ColScore,
        lang,
    );
    chart.labels = (1..=5).map(|n| n.to_string()).collect();
    let mut chart = chart.series(
        ReportMsg::ColAnswers.text(lang),
        BRAND,
        report.satisfaction.overall.to_vec(),
    );
    chart.summary = match report.satisfaction.overall_mean_tenths() {
        Some(t) => fill(
            ReportMsg::DescOverall.text(lang),
            &[
                &format!("{}.{}", t / 10, t % 10),
                &report.satisfaction.overall.iter().sum::<i64>(),
            ],
        ),
        None => fill(ReportMsg::DescEmpty.text(lang), &[&chart.title]),
    };
    chart
}

fn teams(
    id: &'static str,
    title: ReportMsg,
    header: ReportMsg,
    teams: &[super::TeamLoad],
    lang: Lang,
) -> Chart {
    let mut chart = Chart::new(id, ChartKind::Bars, title, header, lang);
    chart.labels = teams.iter().map(|t| t.name.get(lang).to_owned()).collect();
    chart.extra.push((
        ReportMsg::ColOnTimeRate.text(lang).to_owned(),
        teams
            .iter()
            .map(|t| {
                percent(t.on_time, t.timed).map_or_else(|| "—".to_owned(), |p| format!("{p}%"))
            })
            .collect(),
    ));
    let values = teams.iter().map(|t| t.total).collect();
    chart
        .series(ReportMsg::ColComplaints.text(lang), BRAND, values)
        .summarise(lang)
}

fn hot_spots(report: &Report, lang: Lang) -> Chart {
    let spots = &report.hot_spots;
    let mut chart = Chart::new(
        "hot_spots",
        ChartKind::Heat,
        ReportMsg::ChartHotSpots,
        ReportMsg::ColPlace,
        lang,
    );
    chart.labels = spots
        .rows
        .iter()
        .map(|r| match &r.building {
            Some(b) => format!("{} {b}", r.community),
            None => r.community.clone(),
        })
        .collect();
    chart.links = spots
        .rows
        .iter()
        .map(|r| {
            spots
                .categories
                .iter()
                .map(|c| {
                    report
                        .query
                        .queue_link(Some(r.community_id), Some(r.building_id), Some(*c))
                })
                .collect()
        })
        .collect();
    for (i, category) in spots.categories.iter().enumerate() {
        let values = spots
            .rows
            .iter()
            .map(|r| r.counts.get(i).copied().unwrap_or(0))
            .collect();
        chart = chart.series(category.label(lang), BRAND, values);
    }
    let hottest = spots
        .rows
        .iter()
        .enumerate()
        .flat_map(|(r, row)| row.counts.iter().enumerate().map(move |(c, n)| (*n, r, c)))
        .max_by_key(|(n, r, c)| (*n, std::cmp::Reverse((*r, *c))));
    chart.summary = match hottest.filter(|(n, _, _)| *n > 0) {
        Some((n, r, c)) => fill(
            ReportMsg::DescHotSpot.text(lang),
            &[&chart.labels[r], &spots.categories[c].label(lang), &n],
        ),
        None => fill(ReportMsg::DescEmpty.text(lang), &[&chart.title]),
    };
    chart
}

/// Short names for the heat table's narrow columns.
pub fn short_category(category: Category, lang: Lang) -> &'static str {
    match (lang, category) {
        (Lang::Zh, Category::EngineeringQuality) => "工程",
        (Lang::Zh, Category::PlanningDesign) => "规划",
        (Lang::Zh, Category::SalesManagement) => "销售",
        (Lang::Zh, Category::PropertyManagement) => "物业",
        (Lang::Zh, Category::ServiceConduct) => "服务",
        (Lang::Zh, Category::RepairService) => "维修",
        (Lang::Zh, Category::LeasingCommercial) => "租赁",
        (Lang::Zh, Category::ExternalEnvironment) => "外部",
        (Lang::En, Category::EngineeringQuality) => "Build",
        (Lang::En, Category::PlanningDesign) => "Plan",
        (Lang::En, Category::SalesManagement) => "Sales",
        (Lang::En, Category::PropertyManagement) => "Prop.",
        (Lang::En, Category::ServiceConduct) => "Staff",
        (Lang::En, Category::RepairService) => "Repair",
        (Lang::En, Category::LeasingCommercial) => "Lease",
        (Lang::En, Category::ExternalEnvironment) => "Extern.",
    }
}

/// "≤ 2小时" for the median/p90 tiles.
pub fn percentile_label(durations: &Durations, p: u32, lang: Lang) -> String {
    let last = durations.buckets.iter().map(|(b, _)| *b).max().unwrap_or(0);
    bound_label(durations.percentile(p), last, lang)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::reports::*;
    use chrono::TimeZone;
    use domain::{Status, Text};

    /// A small report with known numbers, shared by the chart and SVG tests.
    pub fn sample() -> Report {
        let from = Month::parse("2026-01").unwrap();
        let query = ReportQuery {
            from,
            to: from.add(2),
            community: None,
            department: None,
            category: None,
        };
        Report {
            query,
            total: 12,
            months: from
                .through(from.add(2))
                .zip([[1, 1, 2, 1], [0, 0, 1, 3], [0, 1, 1, 1]])
                .map(|(month, levels)| MonthRow {
                    month,
                    total: levels.iter().sum(),
                    levels,
                })
                .collect(),
            categories: Category::ALL
                .iter()
                .map(|c| (*c, if *c == Category::RepairService { 7 } else { 0 }))
                .collect(),
            channels: vec![(domain::Channel::Web, 9), (domain::Channel::Phone, 3)],
            levels: Level::ALL
                .iter()
                .zip([1, 2, 4, 5])
                .map(|(l, n)| (*l, n))
                .collect(),
            statuses: vec![(Status::Closed, 10), (Status::Filed, 2)],
            first_contact: Durations {
                buckets: vec![(60, 4), (120, 6)],
            },
            resolution: Durations::default(),
            clocks: vec![ClockCompliance {
                clock: Clock::FirstContact,
                on_time: 3,
                late: 1,
                overdue_now: 2,
            }],
            open_now: 2,
            overdue_now: 2,
            revisits: Revisits {
                answered: 9,
                pending: 1,
            },
            satisfaction: Satisfactions {
                process: [6, 2, 1],
                timeliness: [5, 3, 1],
                attitude: [8, 1, 0],
                result: [4, 2, 3],
                overall: [1, 0, 2, 3, 3],
            },
            flags: Flags::default(),
            departments: vec![TeamLoad {
                id: 3,
                name: Text::new("维修部", "Repairs"),
                total: 7,
                on_time: 5,
                timed: 6,
            }],
            handlers: vec![],
            hot_spots: HotSpots {
                categories: vec![Category::EngineeringQuality, Category::RepairService],
                rows: vec![HotSpotRow {
                    community_id: 1,
                    community: "翠湖花园".into(),
                    building_id: Some(3),
                    building: Some("3栋".into()),
                    counts: vec![5, 2],
                }],
                more: 0,
            },
            faq: FaqUsage::NoDataYet,
            generated_at: chrono::Utc.with_ymd_and_hms(2026, 3, 20, 0, 0, 0).unwrap(),
        }
    }

    #[test]
    fn every_id_has_a_chart_and_a_table_of_its_labels() {
        let report = sample();
        let charts = all(&report, Lang::Zh);
        assert_eq!(charts.len(), IDS.len());
        for chart in &charts {
            assert_eq!(chart.rows().len(), chart.labels.len(), "{}", chart.id);
            assert!(!chart.summary.is_empty(), "{}", chart.id);
        }
        assert!(by_id(&report, "nope", Lang::Zh).is_none());
    }

    #[test]
    fn tables_carry_the_numbers_and_rates() {
        let report = sample();
        let clocks = by_id(&report, "clocks", Lang::Zh).unwrap();
        assert_eq!(
            clocks.rows()[0],
            vec![
                Cell::Text("首次联系".into()),
                Cell::Int(3),
                Cell::Int(1),
                Cell::Int(2),
                Cell::Text("75%".into())
            ]
        );
        let trend = by_id(&report, "trend", Lang::Zh).unwrap();
        assert_eq!(trend.series[0].values, vec![5, 4, 3]);
        assert!(
            trend.summary.contains("12") && trend.summary.contains("2026年1月"),
            "{}",
            trend.summary
        );
        let csv = by_id(&report, "departments", Lang::En).unwrap().csv();
        assert_eq!(
            csv,
            "\u{feff}Department,Complaints,On time\r\nRepairs,7,83%\r\n"
        );
    }

    #[test]
    fn heat_cells_link_to_the_queue_filtered_by_place_category_and_period() {
        let chart = by_id(&sample(), "hot_spots", Lang::Zh).unwrap();
        assert_eq!(chart.labels, ["翠湖花园 3栋"]);
        assert_eq!(
            chart.links[0][1],
            "/staff?status=all&from=2026-01&to=2026-03&community=1&building=3&category=repair_service"
        );
        assert!(chart.summary.contains("工程质量"), "{}", chart.summary);
    }

    #[test]
    fn durations_read_as_at_most_a_bound() {
        let chart = by_id(&sample(), "first_contact", Lang::Zh).unwrap();
        assert_eq!(chart.labels, ["≤ 1小时", "≤ 2小时"]);
        assert!(chart.summary.contains("≤ 2小时"), "{}", chart.summary);
        assert!(by_id(&sample(), "resolution", Lang::Zh).unwrap().is_empty());
    }
}
