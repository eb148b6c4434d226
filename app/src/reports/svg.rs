//! Charts as inline SVG, drawn on the server: they show with JavaScript off, scale to a
//! phone (a narrow `viewBox`, `width: 100%` in the stylesheet), and speak to screen
//! readers (`role="img"` named by `<title>` and described by `<desc>`; every mark has
//! its own `<title>`). The numbers are also in the table the page puts under each chart.

use std::fmt::Write;

use super::charts::{Chart, ChartKind};

/// The drawing's width in user units; phones show it at about this many pixels.
pub const WIDTH: f64 = 360.0;
const FONT: f64 = 11.0;
const INK: &str = "#1d2a26";
const SOFT: &str = "#51615b";
const GRID: &str = "#d9e2de";

/// The chart as an `<svg>` element.
pub fn render(chart: &Chart) -> String {
    match chart.kind {
        ChartKind::Line => line(chart),
        ChartKind::Columns | ChartKind::Stacked => columns(chart),
        ChartKind::Bars => bars(chart),
        ChartKind::Heat => heat(chart),
    }
}

/// Text safe inside SVG/HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// About how wide `text` is at `size` (CJK characters are square, Latin about half).
fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.6 * size } else { size })
        .sum()
}

/// `text` cut to fit `width`, with an ellipsis.
fn fit(text: &str, width: f64, size: f64) -> String {
    if text_width(text, size) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = text_width("…", size);
    for c in text.chars() {
        let w = text_width(&c.to_string(), size);
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

fn num(v: f64) -> String {
    let rounded = (v * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

/// A round axis maximum at or above `max`, and its tick step (1, 2 or 5 × 10ⁿ).
pub fn nice_scale(max: i64) -> (i64, i64) {
    if max <= 0 {
        return (4, 1);
    }
    let rough = (max as f64 / 4.0).max(1.0);
    let magnitude = 10f64.powi(rough.log10().floor() as i32);
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * magnitude)
        .max(1.0) as i64;
    let top = ((max + step - 1) / step) * step;
    (top, step)
}

fn open(out: &mut String, chart: &Chart, height: f64, width: f64, role: &str) {
    let id = chart.id;
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" class="chart-svg chart-{kind}" role="{role}" aria-labelledby="{id}-title {id}-desc" font-size="{FONT}"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        w = num(width),
        h = num(height),
        kind = format!("{:?}", chart.kind).to_lowercase(),
        title = escape(&chart.title),
        desc = escape(&chart.summary),
    );
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, fill: &str, content: &str) {
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="{anchor}" fill="{fill}">{}</text>"#,
        num(x),
        num(y),
        escape(content)
    );
}

/// A row of coloured keys; returns the height it took.
fn legend(out: &mut String, chart: &Chart, top: f64, width: f64) -> f64 {
    if chart.series.len() < 2 {
        return 0.0;
    }
    let (mut x, mut y) = (4.0, top + 10.0);
    out.push_str(r#"<g class="legend">"#);
    for series in &chart.series {
        let w = 14.0 + text_width(&series.name, FONT) + 12.0;
        if x + w > width && x > 4.0 {
            x = 4.0;
            y += 16.0;
        }
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="10" height="10" rx="2" fill="{}"/>"#,
            num(x),
            num(y - 9.0),
            series.color
        );
        text(out, x + 14.0, y, "start", INK, &series.name);
        x += w;
    }
    out.push_str("</g>");
    y - top + 8.0
}

/// Horizontal grid lines with their values; returns the y of a value.
fn y_axis(
    out: &mut String,
    left: f64,
    right: f64,
    top: f64,
    height: f64,
    max: i64,
) -> impl Fn(f64) -> f64 {
    let (top_value, step) = nice_scale(max);
    let y_of = move |v: f64| top + height - v / top_value as f64 * height;
    let mut v = 0;
    while v <= top_value {
        let y = y_of(v as f64);
        let _ = write!(
            out,
            r#"<line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="{GRID}" stroke-width="1"/>"#,
            num(left),
            num(right),
            y = num(y)
        );
        text(out, left - 4.0, y + 4.0, "end", SOFT, &v.to_string());
        v += step;
    }
    y_of
}

/// Axis labels under slots of `slot` width; slanted when they would collide, thinned
/// when even that is too crowded. Returns the height they took.
fn x_labels(
    out: &mut String,
    labels: &[String],
    x_of: impl Fn(usize) -> f64,
    slot: f64,
    top: f64,
) -> f64 {
    let widest = labels
        .iter()
        .map(|l| text_width(l, FONT))
        .fold(0.0, f64::max);
    if widest + 4.0 <= slot {
        for (i, label) in labels.iter().enumerate() {
            text(out, x_of(i), top + 12.0, "middle", SOFT, label);
        }
        return 18.0;
    }
    let every = ((FONT + 4.0) / slot).ceil().max(1.0) as usize;
    let shown = widest.min(90.0);
    for (i, label) in labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let (x, y) = (x_of(i) + 3.0, top + 8.0);
        let _ = write!(
            out,
            r#"<text x="{x}" y="{y}" text-anchor="end" fill="{SOFT}" transform="rotate(-40 {x} {y})">{}</text>"#,
            escape(&fit(label, 90.0, FONT)),
            x = num(x),
            y = num(y)
        );
    }
    shown * 0.65 + 14.0
}

/// The short axis label of each point: the chart's own ticks if it has them.
fn axis_labels(chart: &Chart) -> Vec<String> {
    if chart.ticks.len() == chart.labels.len() {
        chart.ticks.clone()
    } else {
        chart.labels.clone()
    }
}

fn max_value(chart: &Chart, stacked: bool) -> i64 {
    (0..chart.labels.len())
        .map(|i| {
            if stacked {
                chart.total_at(i)
            } else {
                chart
                    .series
                    .iter()
                    .filter_map(|s| s.values.get(i))
                    .copied()
                    .max()
                    .unwrap_or(0)
            }
        })
        .max()
        .unwrap_or(0)
}

fn y_label_width(max: i64) -> f64 {
    text_width(&nice_scale(max).0.to_string(), FONT) + 8.0
}

/// Points joined by a line per series, with a grid and month labels.
pub fn line(chart: &Chart) -> String {
    let mut body = String::new();
    let legend_h = legend(&mut body, chart, 0.0, WIDTH);
    let max = max_value(chart, false);
    let (left, right, top, plot_h) = (
        y_label_width(max) + 4.0,
        WIDTH - 12.0,
        legend_h + 8.0,
        150.0,
    );
    let y_of = y_axis(&mut body, left, right, top, plot_h, max);
    let n = chart.labels.len();
    let slot = if n > 1 {
        (right - left) / (n - 1) as f64
    } else {
        right - left
    };
    let x_of = |i: usize| {
        if n > 1 {
            left + i as f64 * slot
        } else {
            (left + right) / 2.0
        }
    };
    for series in &chart.series {
        let points: Vec<String> = series
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{},{}", num(x_of(i)), num(y_of(*v as f64))))
            .collect();
        let _ = write!(
            body,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" stroke-linejoin="round"/>"#,
            points.join(" "),
            series.color
        );
        for (i, v) in series.values.iter().enumerate() {
            let _ = write!(
                body,
                r#"<circle cx="{}" cy="{}" r="3.5" fill="{}"><title>{}</title></circle>"#,
                num(x_of(i)),
                num(y_of(*v as f64)),
                series.color,
                escape(&format!("{} · {}: {v}", chart.labels[i], series.name))
            );
        }
    }
    let labels_h = x_labels(&mut body, &axis_labels(chart), x_of, slot, top + plot_h);
    let mut out = String::new();
    open(&mut out, chart, top + plot_h + labels_h, WIDTH, "img");
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

/// Vertical bars, stacked when the chart has several series, with totals on top.
pub fn columns(chart: &Chart) -> String {
    let mut body = String::new();
    let legend_h = legend(&mut body, chart, 0.0, WIDTH);
    let max = max_value(chart, true);
    let (left, right, top, plot_h) = (
        y_label_width(max) + 4.0,
        WIDTH - 8.0,
        legend_h + 14.0,
        150.0,
    );
    let y_of = y_axis(&mut body, left, right, top, plot_h, max);
    let n = chart.labels.len().max(1);
    let slot = (right - left) / n as f64;
    let bar = (slot * 0.7).min(44.0);
    let x_of = |i: usize| left + slot * (i as f64 + 0.5);
    for i in 0..chart.labels.len() {
        let mut base = 0.0;
        for series in &chart.series {
            let v = series.values.get(i).copied().unwrap_or(0) as f64;
            if v <= 0.0 {
                continue;
            }
            let (y0, y1) = (y_of(base), y_of(base + v));
            let _ = write!(
                body,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>"#,
                num(x_of(i) - bar / 2.0),
                num(y1),
                num(bar),
                num((y0 - y1).max(0.5)),
                series.color,
                escape(&format!(
                    "{} · {}: {}",
                    chart.labels[i], series.name, v as i64
                ))
            );
            base += v;
        }
        let total = chart.total_at(i);
        if slot >= text_width(&total.to_string(), 10.0) + 2.0 {
            let _ = write!(
                body,
                r#"<text x="{}" y="{}" text-anchor="middle" font-size="10" fill="{INK}">{total}</text>"#,
                num(x_of(i)),
                num(y_of(total as f64) - 3.0)
            );
        }
    }
    let labels_h = x_labels(&mut body, &axis_labels(chart), x_of, slot, top + plot_h);
    let mut out = String::new();
    open(&mut out, chart, top + plot_h + labels_h, WIDTH, "img");
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

/// Horizontal bars (stacked when several series), labels on the left, totals on the right.
pub fn bars(chart: &Chart) -> String {
    const ROW: f64 = 24.0;
    let mut body = String::new();
    let legend_h = legend(&mut body, chart, 0.0, WIDTH);
    let label_w = chart
        .labels
        .iter()
        .map(|l| text_width(l, FONT))
        .fold(0.0, f64::max)
        .min(120.0);
    let max = max_value(chart, true).max(1);
    // The total at the end of each bar, with the chart's first table-only column (e.g. the
    // on-time rate of a department) after it.
    let value_label = |i: usize| match chart.extra.first().and_then(|(_, v)| v.get(i)) {
        Some(note) => format!("{} · {note}", chart.total_at(i)),
        None => chart.total_at(i).to_string(),
    };
    let value_w = (0..chart.labels.len())
        .map(|i| text_width(&value_label(i), FONT))
        .fold(text_width(&max.to_string(), FONT), f64::max)
        + 8.0;
    let (left, right, top) = (label_w + 10.0, WIDTH - value_w, legend_h + 4.0);
    let scale = (right - left) / max as f64;
    for (i, label) in chart.labels.iter().enumerate() {
        let y = top + i as f64 * ROW;
        let _ = write!(
            body,
            r#"<text x="{}" y="{}" text-anchor="end" fill="{INK}">{}<title>{}</title></text>"#,
            num(left - 6.0),
            num(y + ROW / 2.0 + 4.0),
            escape(&fit(label, label_w, FONT)),
            escape(label)
        );
        let mut x = left;
        for series in &chart.series {
            let v = series.values.get(i).copied().unwrap_or(0);
            if v <= 0 {
                continue;
            }
            let w = v as f64 * scale;
            let _ = write!(
                body,
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}"><title>{}</title></rect>"#,
                num(x),
                num(y + 4.0),
                num(w.max(1.0)),
                num(ROW - 8.0),
                series.color,
                escape(&format!("{label} · {}: {v}", series.name))
            );
            x += w;
        }
        text(
            &mut body,
            x + 4.0,
            y + ROW / 2.0 + 4.0,
            "start",
            INK,
            &value_label(i),
        );
    }
    let height = top + chart.labels.len().max(1) as f64 * ROW + 4.0;
    let mut out = String::new();
    open(&mut out, chart, height, WIDTH, "img");
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

/// `#rrggbb` between `from` and `to` at `t` (0..=1).
fn mix(from: (u8, u8, u8), to: (u8, u8, u8), t: f64) -> String {
    let c = |a: u8, b: u8| {
        (f64::from(a) + (f64::from(b) - f64::from(a)) * t.clamp(0.0, 1.0)).round() as u8
    };
    format!(
        "#{:02x}{:02x}{:02x}",
        c(from.0, to.0),
        c(from.1, to.1),
        c(from.2, to.2)
    )
}

/// Places × categories as cells shaded by count; each non-empty cell links to the queue.
/// Column heads are the series names, slanted; `short` names them when space is tight.
pub fn heat(chart: &Chart) -> String {
    const ROW: f64 = 26.0;
    let cols = chart.series.len().max(1);
    let label_w = chart
        .labels
        .iter()
        .map(|l| text_width(l, FONT))
        .fold(0.0, f64::max)
        .min(124.0);
    // Column heads are slanted up and to the right: room for the last one on the right.
    const SLANT_ROOM: f64 = 40.0;
    let cell = ((WIDTH - label_w - 12.0 - SLANT_ROOM) / cols as f64).max(28.0);
    let width = label_w + 12.0 + cell * cols as f64 + SLANT_ROOM;
    let head_h = chart
        .series
        .iter()
        .map(|s| text_width(&s.name, FONT).min(84.0))
        .fold(0.0, f64::max)
        * 0.82
        + 12.0;
    let max = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter())
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    let mut body = String::new();
    let left = label_w + 10.0;
    for (c, series) in chart.series.iter().enumerate() {
        let (x, y) = (left + cell * (c as f64 + 0.5), head_h - 4.0);
        let _ = write!(
            body,
            r#"<text x="{x}" y="{y}" transform="rotate(-55 {x} {y})" fill="{SOFT}">{}<title>{}</title></text>"#,
            escape(&fit(&series.name, 84.0, FONT)),
            escape(&series.name),
            x = num(x),
            y = num(y)
        );
    }
    for (r, label) in chart.labels.iter().enumerate() {
        let y = head_h + r as f64 * ROW;
        let _ = write!(
            body,
            r#"<text x="{}" y="{}" text-anchor="end" fill="{INK}">{}<title>{}</title></text>"#,
            num(left - 6.0),
            num(y + ROW / 2.0 + 4.0),
            escape(&fit(label, label_w, FONT)),
            escape(label)
        );
        for (c, series) in chart.series.iter().enumerate() {
            let v = series.values.get(r).copied().unwrap_or(0);
            let t = v as f64 / max as f64;
            let fill = if v == 0 {
                "#f5f7f6".to_owned()
            } else {
                mix((0xfd, 0xec, 0xea), (0xb3, 0x26, 0x1e), 0.15 + 0.85 * t)
            };
            let x = left + cell * c as f64;
            let cell_svg = format!(
                r##"<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{fill}" stroke="#fff" stroke-width="2"/>"##,
                num(x),
                num(y),
                num(cell),
                num(ROW)
            );
            if v == 0 {
                body.push_str(&cell_svg);
                continue;
            }
            let href = chart
                .links
                .get(r)
                .and_then(|row| row.get(c))
                .map(String::as_str)
                .unwrap_or("");
            let _ = write!(
                body,
                r#"<a href="{}" class="heat-cell">{cell_svg}<text x="{}" y="{}" text-anchor="middle" fill="{}">{v}</text><title>{}</title></a>"#,
                escape(href),
                num(x + cell / 2.0),
                num(y + ROW / 2.0 + 4.0),
                if t > 0.5 { "#fff" } else { INK },
                escape(&format!("{label} · {}: {v}", series.name))
            );
        }
    }
    let height = head_h + chart.labels.len().max(1) as f64 * ROW + 4.0;
    let mut out = String::new();
    // Not role="img": the cells are links, and must stay reachable.
    open(&mut out, chart, height, width, "group");
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::charts::{all, by_id, tests::sample};
    use domain::Lang;

    fn count(haystack: &str, needle: &str) -> usize {
        haystack.matches(needle).count()
    }

    #[test]
    fn every_chart_is_named_described_and_scales() {
        for chart in all(&sample(), Lang::Zh) {
            let svg = render(&chart);
            assert!(svg.starts_with("<svg"), "{}", chart.id);
            assert!(svg.ends_with("</svg>"), "{}", chart.id);
            assert!(svg.contains(r#"viewBox="0 0 "#), "{}", chart.id);
            assert!(
                !svg.contains(" width=\"100%\""),
                "sizing is the stylesheet's"
            );
            assert!(svg.contains(&format!(
                r#"aria-labelledby="{0}-title {0}-desc""#,
                chart.id
            )));
            assert!(svg.contains(&format!(
                "<title id=\"{}-title\">{}</title>",
                chart.id,
                escape(&chart.title)
            )));
            assert!(svg.contains(&format!("<desc id=\"{}-desc\">", chart.id)));
            assert_eq!(count(&svg, "<svg"), count(&svg, "</svg>"));
            assert_eq!(count(&svg, "<text"), count(&svg, "</text>"), "{}", chart.id);
        }
    }

    #[test]
    fn a_line_has_a_point_per_month_each_with_its_value() {
        let svg = render(&by_id(&sample(), "trend", Lang::Zh).unwrap());
        assert!(svg.contains(r#"role="img""#));
        assert_eq!(count(&svg, "<circle"), 3);
        assert_eq!(count(&svg, "<polyline"), 1);
        assert!(
            svg.contains("<title>2026年1月 · 投诉件数: 5</title>"),
            "{svg}"
        );
        // Axis labels are short: the year only at the start.
        assert!(
            svg.contains(">2026-01</text>") && svg.contains(">2月</text>"),
            "{svg}"
        );
    }

    #[test]
    fn stacked_columns_draw_one_rect_per_non_zero_part_and_a_legend() {
        let svg = render(&by_id(&sample(), "levels_by_month", Lang::Zh).unwrap());
        // Months: [1,1,2,1], [0,0,1,3], [0,1,1,1] → 4 + 2 + 3 parts, plus 4 legend keys.
        assert_eq!(count(&svg, "<rect"), 9 + 4);
        assert!(svg.contains("一级（重大）"));
        assert!(svg.contains(">5</text>"), "the total over the first month");
    }

    #[test]
    fn horizontal_bars_skip_zero_values_but_keep_every_label() {
        let svg = render(&by_id(&sample(), "categories", Lang::Zh).unwrap());
        assert_eq!(count(&svg, "<rect"), 1);
        assert!(svg.contains("物业招商与租赁"), "every category is labelled");
        assert!(svg.contains("维修服务 · 投诉件数: 7"));
    }

    #[test]
    fn heat_cells_are_links_shaded_by_count_and_stay_reachable() {
        let svg = render(&by_id(&sample(), "hot_spots", Lang::Zh).unwrap());
        assert!(svg.contains(r#"role="group""#));
        assert_eq!(count(&svg, "<a href="), 2);
        assert!(svg.contains(
            r#"href="/staff?status=all&amp;from=2026-01&amp;to=2026-03&amp;community=1&amp;building=3&amp;category=engineering_quality""#
        ));
        // The busiest cell is the darkest, with white text.
        assert!(
            svg.contains(r##"fill="#b3261e""##) && svg.contains(r##"fill="#fff">5<"##),
            "{svg}"
        );
    }

    #[test]
    fn bars_of_departments_carry_their_on_time_rate() {
        let svg = render(&by_id(&sample(), "departments", Lang::Zh).unwrap());
        assert!(svg.contains(">7 · 83%</text>"), "{svg}");
    }

    #[test]
    fn text_from_the_database_is_escaped() {
        let mut chart = by_id(&sample(), "categories", Lang::Zh).unwrap();
        chart.labels[0] = "<script>&\"'".into();
        chart.title = "a<b".into();
        let svg = render(&chart);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;&amp;&quot;&#39;"));
        assert!(svg.contains("<title id=\"categories-title\">a&lt;b</title>"));
    }

    #[test]
    fn scales_end_on_round_numbers() {
        assert_eq!(nice_scale(0), (4, 1));
        assert_eq!(nice_scale(3), (3, 1));
        assert_eq!(nice_scale(7), (8, 2));
        assert_eq!(nice_scale(37), (40, 10));
        assert_eq!(nice_scale(1234), (1500, 500));
        assert_eq!(fit("翠湖花园十一号楼", 50.0, 11.0), "翠湖花…");
    }
}
