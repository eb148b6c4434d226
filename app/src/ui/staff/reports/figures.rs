//! The key figures above the charts.

use leptos::prelude::*;

use crate::i18n::{t, ReportMsg};
use crate::reports::charts::percentile_label;
use crate::reports::Report;

fn rate(value: Option<i64>) -> String {
    value.map_or_else(|| "—".to_owned(), |p| format!("{p}%"))
}

#[component]
pub fn KeyFigures(report: Report) -> impl IntoView {
    let lang = crate::i18n::current_lang();
    let s = &report.satisfaction;
    let share = |a: &[i64; 3]| crate::reports::percent(a[0] + a[1], a.iter().sum());
    let mean = s
        .overall_mean_tenths()
        .map_or_else(|| "—".to_owned(), |t| format!("{}.{} / 5", t / 10, t % 10));
    let figures: Vec<(ReportMsg, String, &'static str)> = vec![
        (ReportMsg::Total, report.total.to_string(), "total"),
        (ReportMsg::OpenNow, report.open_now.to_string(), "open"),
        (
            ReportMsg::OverdueNowTotal,
            report.overdue_now.to_string(),
            "overdue",
        ),
        (
            ReportMsg::MedianContact,
            percentile_label(&report.first_contact, 50, lang),
            "contact-median",
        ),
        (
            ReportMsg::P90Contact,
            percentile_label(&report.first_contact, 90, lang),
            "contact-p90",
        ),
        (
            ReportMsg::MedianResolution,
            percentile_label(&report.resolution, 50, lang),
            "resolution-median",
        ),
        (
            ReportMsg::P90Resolution,
            percentile_label(&report.resolution, 90, lang),
            "resolution-p90",
        ),
        (
            ReportMsg::RevisitRate,
            rate(report.revisit_rate()),
            "revisit-rate",
        ),
        (
            ReportMsg::SatisfiedRate,
            rate(share(&s.process)),
            "process-rate",
        ),
        (
            ReportMsg::TimelinessRate,
            rate(share(&s.timeliness)),
            "timeliness-rate",
        ),
        (
            ReportMsg::AttitudeRate,
            rate(share(&s.attitude)),
            "attitude-rate",
        ),
        (ReportMsg::ResultRate, rate(share(&s.result)), "result-rate"),
        (ReportMsg::OverallScore, mean, "overall"),
        (
            ReportMsg::ReopenRate,
            rate(report.reopen_rate()),
            "reopen-rate",
        ),
        (
            ReportMsg::Repeats,
            report.flags.repeat.to_string(),
            "repeats",
        ),
        (ReportMsg::Groups, report.flags.group.to_string(), "groups"),
    ];
    view! {
        <dl class="figures">
            {figures.into_iter().map(|(label, value, id)| view! {
                <div class="figure">
                    <dt>{t(label)}</dt>
                    <dd data-testid=format!("figure-{id}")>{value}</dd>
                </div>
            }).collect_view()}
        </dl>
        <p class="muted small" data-testid="rates-note">{t(ReportMsg::RatesNote)}</p>
    }
}
