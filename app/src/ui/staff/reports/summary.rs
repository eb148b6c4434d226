//! The printable monthly / half-year summary: key figures, the main charts with
//! their tables open, and the corrective and preventive actions recorded at closing,
//! grouped by category. The stylesheet's print rules drop the navigation.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::figures::KeyFigures;
use super::ChartFigure;
use crate::api::reports::load_summary;
use crate::i18n::{current_lang, fill, t, Msg, ReportMsg};
use crate::reports::charts;
use crate::reports::{Period, Summary};
use crate::ui::shared::format_time;
use crate::ui::staff::StaffError;

#[component]
pub fn SummaryPage() -> impl IntoView {
    let query = use_query_map();
    let period = move || query.read().get("period").unwrap_or_default();
    let summary = Resource::new(period, load_summary);
    view! {
        <article class="card wide summary-report">
            <Transition fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match summary.await {
                        Ok(summary) => view! { <SummaryBody summary /> }.into_any(),
                        Err(error) => view! { <StaffError error /> }.into_any(),
                    }
                })}
            </Transition>
        </article>
    }
}

#[component]
fn SummaryBody(summary: Summary) -> impl IntoView {
    let lang = current_lang();
    let Summary {
        period,
        report,
        actions,
    } = summary;
    let query = report.query;
    let link = |p: Period| format!("/staff/reports/summary?period={}", p.code());
    let (_, last) = period.months();
    let other_kind = match period {
        Period::Month(m) => (
            ReportMsg::SummaryHalf,
            Period::Half {
                year: m.year,
                second: m.month > 6,
            },
        ),
        Period::Half { .. } => (ReportMsg::SummaryMonthly, Period::Month(last)),
    };
    let all = charts::all(&report, lang);
    let mut ids = vec![
        "categories",
        "levels",
        "clocks",
        "satisfaction",
        "hot_spots",
    ];
    if matches!(period, Period::Half { .. }) {
        ids.insert(0, "trend");
    }
    let shown: Vec<_> = ids
        .into_iter()
        .filter_map(|id| all.iter().find(|c| c.id == id).cloned())
        .collect();
    let hot_spots = all.iter().find(|c| c.id == "hot_spots").cloned();
    view! {
        <nav class="summary-nav no-print">
            <A href=format!("/staff/reports?{}", query.to_query())>{t(ReportMsg::SummaryBack)}</A>
            <A href=link(period.step(false))>{t(ReportMsg::SummaryPrev)}</A>
            <A href=link(period.step(true))>{t(ReportMsg::SummaryNext)}</A>
            <A href=link(other_kind.1)>{t(other_kind.0)}</A>
            <button type="button" class="button" on:click=|_| { let _ = window().print(); }>{t(ReportMsg::SummaryPrint)}</button>
        </nav>
        <h1 data-testid="summary-title">{fill(t(ReportMsg::SummaryTitle), &[&period.label(lang)])}</h1>
        <p class="muted small">{fill(t(ReportMsg::SummaryGenerated), &[&format_time(report.generated_at)])}</p>
        <h2>{t(ReportMsg::SummaryKeyFigures)}</h2>
        <KeyFigures report=report.clone() />
        <div class="chart-grid">
            {shown.into_iter().map(|chart| view! { <ChartFigure chart query open=true /> }).collect_view()}
        </div>
        <div class="chart-wide">
            {hot_spots.map(|chart| view! { <ChartFigure chart query /> })}
        </div>
        <h2>{t(ReportMsg::SummaryActions)}</h2>
        <p class="muted small">{t(ReportMsg::SummaryActionsIntro)}</p>
        {actions.is_empty().then(|| view! { <p class="muted">{t(ReportMsg::SummaryNoActions)}</p> })}
        {actions.into_iter().map(|group| {
            let listed = group.items.len();
            view! {
                <section class="actions" data-testid="summary-actions">
                    <h3>
                        {group.category.label(lang)}" · "
                        <span class="muted">{fill(t(ReportMsg::SummaryClosed), &[&group.closed])}</span>
                        {(i64::try_from(listed).unwrap_or(0) < group.closed).then(|| view! {
                            <span class="muted">", "{fill(t(ReportMsg::SummaryShown), &[&listed])}</span>
                        })}
                    </h3>
                    <ol class="action-list">
                        {group.items.into_iter().map(|item| view! {
                            <li>
                                <p class="muted small">
                                    <A href=format!("/staff/complaints/{}", item.id)><span class="mono">{item.tracking_code}</span></A>
                                    " · "{item.community}" · "{format_time(item.closed_at)}
                                </p>
                                <p><strong>{t(crate::i18n::StaffMsg::RootCause)}":"</strong>{item.root_cause}</p>
                                <p><strong>{t(crate::i18n::StaffMsg::CorrectiveAction)}":"</strong>{item.corrective_action}</p>
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
            }
        }).collect_view()}
    }
}
