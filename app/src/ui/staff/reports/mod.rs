//! The supervisors' dashboard: filters in the URL (a GET form, so it works
//! without JavaScript and can be bookmarked), key figures, charts drawn as SVG on the
//! server with their data tables, hot spots linking to the queue, CSV exports.

mod figures;
mod summary;

pub use summary::SummaryPage;

use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

use crate::api::complaints::list_communities;
use crate::api::reports::load_report;
use crate::api::staff::list_departments;
use crate::error::AppError;
use crate::i18n::{current_lang, fill, t, Msg, ReportMsg, StaffMsg};
use crate::model::{CommunityOption, Department};
use crate::reports::charts::{self, Chart, ChartKind};
use crate::reports::{svg, FaqUsage, Period, Report, ReportFilter, ReportQuery};
use crate::ui::staff::filters::{
    category_choices, community_choices, department_choices, FilterSelect,
};
use crate::ui::staff::StaffError;
use figures::KeyFigures;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        ReportFilter {
            from: get("from"),
            to: get("to"),
            community: get("community"),
            department: get("department"),
            category: get("category"),
        }
    };
    // Created here, never inside the Suspend (hydration order).
    let report = Resource::new(filter, load_report);
    let communities = Resource::new(|| (), |_| list_communities());
    let departments = Resource::new(|| (), |_| list_departments());
    view! {
        <section class="card wide reports">
            <h1>{t(ReportMsg::Title)}</h1>
            <p class="lead">{t(ReportMsg::Intro)}</p>
            <Transition fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let communities = communities.await.unwrap_or_default();
                    let departments = departments.await.unwrap_or_default();
                    match report.await {
                        Ok(report) => view! {
                            <Filters filter=filter() shown=Some(report.query) communities departments error=None />
                            <Dashboard report />
                        }
                        .into_any(),
                        Err(error @ AppError::Validation(_)) => view! {
                            <Filters filter=filter() shown=None communities departments error=Some(error) />
                        }
                        .into_any(),
                        Err(error) => view! { <StaffError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The filter form. Once the report loaded, the inputs show the months it covers.
#[component]
fn Filters(
    filter: ReportFilter,
    shown: Option<ReportQuery>,
    communities: Vec<CommunityOption>,
    departments: Vec<Department>,
    error: Option<AppError>,
) -> impl IntoView {
    let lang = current_lang();
    let field_error = |name: &str| error.as_ref().and_then(|e| e.field(name));
    let (from_error, to_error) = (field_error("from"), field_error("to"));
    let from = shown.map_or(filter.from.clone(), |q| q.from.code());
    let to = shown.map_or(filter.to.clone(), |q| q.to.code());
    let community = filter.community.trim().to_owned();
    let department = filter.department.trim().to_owned();
    let category = filter.category.trim().to_owned();
    view! {
        <Form method="GET" action="" attr:class="filters report-filters">
            <div class="filter">
                <label for="r-from">{t(ReportMsg::FilterFrom)}</label>
                <input id="r-from" name="from" type="month" value=from placeholder="2026-01"
                    aria-invalid=from_error.is_some().then_some("true") aria-describedby="r-from-error" />
                <p class="field-error" id="r-from-error" aria-live="polite">{from_error}</p>
            </div>
            <div class="filter">
                <label for="r-to">{t(ReportMsg::FilterTo)}</label>
                <input id="r-to" name="to" type="month" value=to placeholder="2026-12"
                    aria-invalid=to_error.is_some().then_some("true") aria-describedby="r-to-error" />
                <p class="field-error" id="r-to-error" aria-live="polite">{to_error}</p>
            </div>
            <FilterSelect id="r-community" name="community" label=t(StaffMsg::FilterCommunity)
                current=community choices=community_choices(&communities) />
            <FilterSelect id="r-department" name="department" label=t(StaffMsg::FilterDepartment)
                current=department choices=department_choices(&departments, lang) />
            <FilterSelect id="r-category" name="category" label=t(StaffMsg::FilterCategory)
                current=category choices=category_choices(lang) />
            <div class="filter-actions">
                <button type="submit" class="button primary">{t(ReportMsg::Apply)}</button>
                <A href="/staff/reports" attr:class="button">{t(ReportMsg::Reset)}</A>
            </div>
        </Form>
    }
}

#[component]
fn Dashboard(report: Report) -> impl IntoView {
    let lang = current_lang();
    let query = report.query;
    let all = charts::all(&report, lang);
    let figure = move |id: &str| {
        all.iter()
            .find(|c| c.id == id)
            .cloned()
            .map(|chart| view! { <ChartFigure chart query /> })
    };
    let half = Period::Half {
        year: query.to.year,
        second: query.to.month > 6,
    };
    let more = report.hot_spots.more;
    let faq_scoped_elsewhere = query.community.is_some() || query.department.is_some();
    view! {
        <nav class="report-actions" aria-label=t(ReportMsg::Title)>
            <a class="button" href=format!("/staff/reports/export/complaints.csv?{}", query.to_query())
                download="" rel="external" data-testid="export-complaints">
                {t(ReportMsg::ExportComplaints)}
            </a>
            <A href=format!("/staff/reports/summary?period={}", query.to.code()) attr:class="button">
                {t(ReportMsg::MonthlySummary)}
            </A>
            <A href=format!("/staff/reports/summary?period={}", half.code()) attr:class="button">
                {t(ReportMsg::HalfSummary)}
            </A>
        </nav>
        <KeyFigures report=report.clone() />

        <h2>{t(ReportMsg::SectionVolume)}</h2>
        <div class="chart-grid">
            {figure("trend")}
            {figure("levels_by_month")}
            {figure("categories")}
            {figure("channels")}
            {figure("levels")}
            {figure("statuses")}
        </div>
        <h2>{t(ReportMsg::SectionSpeed)}</h2>
        <p class="muted small">{t(ReportMsg::BucketNote)}</p>
        <div class="chart-grid">
            {figure("clocks")}
            {figure("first_contact")}
            {figure("resolution")}
        </div>
        <h2>{t(ReportMsg::SectionSatisfaction)}</h2>
        <div class="chart-grid">
            {figure("satisfaction")}
            {figure("overall")}
        </div>
        <h2>{t(ReportMsg::SectionTeams)}</h2>
        <div class="chart-grid">
            {figure("departments")}
            {figure("handlers")}
        </div>
        <h2>{t(ReportMsg::SectionHotSpots)}</h2>
        <p class="muted small">{t(ReportMsg::HotSpotsIntro)}</p>
        <div class="chart-wide">{figure("hot_spots")}</div>
        {(more > 0).then(|| view! { <p class="muted small">{fill(t(ReportMsg::HotSpotsMore), &[&more])}</p> })}
        <h2>{t(ReportMsg::SectionFaq)}</h2>
        <FaqPanel
            usage=report.faq
            scoped_elsewhere=faq_scoped_elsewhere
        />
    }
}

/// One chart: its title, the SVG (or "no data"), a CSV link, and its data table.
#[component]
pub(crate) fn ChartFigure(
    chart: Chart,
    query: ReportQuery,
    /// Show the table open (printed summaries).
    #[prop(optional)]
    open: bool,
) -> impl IntoView {
    let drawing = (!chart.is_empty()).then(|| svg::render(&chart));
    let csv = format!(
        "/staff/reports/export/{}.csv?{}",
        chart.id,
        query.to_query()
    );
    let (id, title) = (chart.id, chart.title.clone());
    view! {
        <figure class="chart" id=format!("chart-{id}") data-testid=format!("chart-{id}")>
            <figcaption>
                <span class="chart-title">{title}</span>
                <a class="chart-csv no-print" href=csv download="" rel="external">{t(ReportMsg::ExportChart)}</a>
            </figcaption>
            {match drawing {
                Some(svg) => view! { <div class="chart-box" inner_html=svg></div> }.into_any(),
                None => view! { <p class="muted no-data">{t(ReportMsg::NoData)}</p> }.into_any(),
            }}
            <details class="chart-data" open=open>
                <summary>{t(ReportMsg::DataTable)}</summary>
                <DataTable chart />
            </details>
        </figure>
    }
}

/// The numbers behind a chart; heat cells link to the queue like the chart's do.
#[component]
fn DataTable(chart: Chart) -> impl IntoView {
    let header = chart.header();
    let rows = chart.rows();
    let heat = chart.kind == ChartKind::Heat;
    let links = chart.links.clone();
    let cell_text = |cell: &crate::reports::csv::Cell| match cell {
        crate::reports::csv::Cell::Int(n) => n.to_string(),
        crate::reports::csv::Cell::Text(s) => s.clone(),
    };
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="data">
                <thead>
                    <tr>{header.iter().map(|h| view! { <th scope="col">{cell_text(h)}</th> }).collect_view()}</tr>
                </thead>
                <tbody>
                    {rows.into_iter().enumerate().map(|(r, row)| {
                        let mut cells = row.into_iter();
                        let label = cells.next().map(|c| cell_text(&c)).unwrap_or_default();
                        let links = links.get(r).cloned().unwrap_or_default();
                        view! {
                            <tr>
                                <th scope="row">{label}</th>
                                {cells.enumerate().map(|(c, cell)| {
                                    let text = cell_text(&cell);
                                    let href = links.get(c).filter(|_| heat && text != "0").cloned();
                                    match href {
                                        Some(href) => view! { <td><a href=href>{text}</a></td> }.into_any(),
                                        None => view! { <td>{text}</td> }.into_any(),
                                    }
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// FAQ deflections and the most-read / least-helpful articles of the period, each linked
/// to its public page. Community and department filters do not apply (reading is anonymous).
#[component]
fn FaqPanel(usage: FaqUsage, scoped_elsewhere: bool) -> impl IntoView {
    let note =
        scoped_elsewhere.then(|| view! { <p class="muted">{t(ReportMsg::FaqNotScoped)}</p> });
    let body = match usage {
        FaqUsage::NoDataYet => view! { <p class="muted">{t(ReportMsg::FaqNoData)}</p> }.into_any(),
        FaqUsage::Usage {
            deflections,
            most_read,
            least_helpful,
        } => {
            let list = |articles: Vec<crate::reports::FaqArticleStat>, testid: &'static str| {
                if articles.is_empty() {
                    return view! { <p class="muted" data-testid=testid>{t(ReportMsg::FaqNone)}</p> }
                        .into_any();
                }
                let items = articles
                    .into_iter()
                    .map(|a| {
                        view! {
                            <li>
                                <a href=format!("/faq/{}", a.slug)>{a.title}</a>" · "
                                {fill(t(ReportMsg::FaqReads), &[&a.reads])}" · "
                                {fill(t(ReportMsg::FaqHelpful), &[&a.helpful, &a.not_helpful])}
                            </li>
                        }
                    })
                    .collect_view();
                view! { <ol data-testid=testid>{items}</ol> }.into_any()
            };
            view! {
                <p>
                    <strong>{t(ReportMsg::FaqDeflections)}</strong>": "
                    <span data-testid="faq-deflections">{deflections}</span>
                </p>
                <h3>{t(ReportMsg::FaqMostRead)}</h3>
                {list(most_read, "faq-most-read")}
                <h3>{t(ReportMsg::FaqLeastHelpful)}</h3>
                {list(least_helpful, "faq-least-helpful")}
            }
            .into_any()
        }
    };
    view! {
        <div class="faq-panel" data-testid="faq-panel">
            {note}
            {body}
        </div>
    }
}
