//! The report as one self-contained HTML file: inline style and SVG charts, no scripts,
//! fonts or anything fetched from elsewhere, so it opens from a CI artefact or a shared
//! drive as it is. All text from cases is escaped.

use std::fmt::Write as _;

use super::days;
use crate::domain::Config;
use crate::report::escape::html as esc;
use crate::report::portfolio::{CaseRef, Figures, Report};

pub(super) const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d2733}\
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}\
table{border-collapse:collapse;margin:.8rem 0;font-size:.92rem}th,td{padding:.25rem .6rem;text-align:left;border-bottom:1px solid #e5e8eb}\
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.lead{font-size:1.1rem}\
svg{max-width:100%;height:auto;font-size:12px}svg text{fill:#1d2733}.muted{color:#57606a}";

const SERIES: [(&str, &str); 4] = [
    ("received", "#1f6feb"),
    ("moved on", "#8250df"),
    ("closed", "#9a6700"),
    ("implemented", "#1a7f37"),
];

pub(super) fn table(s: &mut String, header: &[&str], numeric_from: usize, rows: &[Vec<String>]) {
    s.push_str("<table><thead><tr>");
    for (i, h) in header.iter().enumerate() {
        let class = if i >= numeric_from {
            " class=\"n\""
        } else {
            ""
        };
        let _ = write!(s, "<th{class}>{}</th>", esc(h));
    }
    s.push_str("</tr></thead><tbody>\n");
    for row in rows {
        s.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if i >= numeric_from {
                " class=\"n\""
            } else {
                ""
            };
            let _ = write!(s, "<td{class}>{cell}</td>");
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table>\n");
}

pub fn render(r: &Report, config: &Config) -> String {
    let mut s = String::new();
    let when = if r.replayed {
        format!("as of {}", r.as_of)
    } else {
        r.as_of.to_string()
    };
    let title = format!("{}: portfolio {when}", r.name);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        esc(&title),
        esc(&title)
    );
    let _ = writeln!(
        s,
        "<p class=\"lead\"><strong>{}</strong> cases: {} open, {} parked, {} closed ({} implemented); {} stale.</p>",
        r.total,
        r.by_status["open"],
        r.by_status["parked"],
        r.by_status["closed"],
        r.by_outcome["implemented"],
        r.stale
    );

    s.push_str("<h2>Funnel</h2>\n");
    s.push_str(&funnel_chart(r));
    table(
        &mut s,
        &["Stage", "Reached", "Conversion", "Open now"],
        1,
        &super::funnel_rows(r, esc),
    );
    let _ = writeln!(
        s,
        "<p>Closed by outcome: {}.</p>",
        esc(&super::closed_by_outcome(r))
    );

    let _ = writeln!(
        s,
        "<h2>Throughput {} to {}</h2>",
        r.flow.since, r.flow.until
    );
    s.push_str(&throughput_chart(r));
    let rows = super::throughput_rows(r);
    table(
        &mut s,
        &["Period", "Received", "Moved on", "Closed", "Implemented"],
        1,
        &rows,
    );

    s.push_str("<h2>Time in stage</h2>\n");
    s.push_str(&time_chart(r));
    table(
        &mut s,
        &["Stage", "Median days", "90th percentile", "Completed stays"],
        1,
        &super::time_in_stage_rows(r, esc),
    );
    let lt = &r.flow.lead_time;
    let _ = writeln!(
        s,
        "<p>Lead time from received to implemented: median {} days, 90th percentile {} days ({} cases).</p>",
        days(lt.median_days),
        days(lt.p90_days),
        lt.samples
    );

    s.push_str("<h2>Coaching</h2>\n");
    table(
        &mut s,
        &["Coach", "Open cases", "Sessions", "Hours"],
        1,
        &super::caseload_rows(r, esc),
    );

    if let Some(b) = &r.breakdown {
        let by = super::group_by_name(b.by);
        let _ = writeln!(s, "<h2>By {by}</h2>");
        figures_table(
            &mut s,
            by,
            b.groups.iter().map(|g| (g.group.as_str(), &g.figures)),
            config,
        );
    }
    if !r.repositories.is_empty() {
        s.push_str("<h2>By repository</h2>\n");
        figures_table(
            &mut s,
            "repository",
            r.repositories
                .iter()
                .map(|g| (g.group.as_str(), &g.figures)),
            config,
        );
    }
    if !r.programs.is_empty() {
        s.push_str("<h2>Programs</h2>\n");
        figures_table(
            &mut s,
            "program",
            r.programs.iter().map(|p| (p.name.as_str(), &p.figures)),
            config,
        );
    }

    s.push_str("<h2>Attention</h2>\n");
    for (title, days_label, cases) in super::attention_lists(r) {
        attention(&mut s, title, days_label, cases, config);
    }
    s.push_str(
        "<p class=\"muted\">Made by sluss from the case files in git.</p>\n</body>\n</html>\n",
    );
    s
}

fn figures_table<'a>(
    s: &mut String,
    first: &str,
    groups: impl Iterator<Item = (&'a str, &'a Figures)>,
    config: &Config,
) {
    let (header, rows) = super::figures_grid(first, groups, config, esc);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    table(s, &header, 1, &rows);
}

fn attention(s: &mut String, title: &str, days_label: &str, cases: &[CaseRef], config: &Config) {
    let _ = writeln!(s, "<h3>{}: {}</h3>", esc(title), cases.len());
    if cases.is_empty() {
        return;
    }
    let mut rows = super::case_rows(cases, config, esc);
    for row in &mut rows {
        row[0] = format!("<code>{}</code>", row[0]);
    }
    table(
        s,
        &["Id", "Title", "Stage", "Coach", "Unit", days_label],
        5,
        &rows,
    );
}

/// Horizontal bars: cases that reached each stage.
fn funnel_chart(r: &Report) -> String {
    let (label_w, bar_w, row_h) = (140.0, 480.0, 26.0);
    let max = r.stages.iter().map(|s| s.reached).max().unwrap_or(0).max(1) as f64;
    let height = row_h * r.stages.len() as f64 + 10.0;
    let mut s = format!(
        "<svg role=\"img\" aria-label=\"Funnel: cases that reached each stage\" viewBox=\"0 0 {} {height}\" width=\"{}\">\n<title>Funnel</title>\n",
        label_w + bar_w + 60.0,
        label_w + bar_w + 60.0
    );
    for (i, st) in r.stages.iter().enumerate() {
        let y = 5.0 + i as f64 * row_h;
        let w = (st.reached as f64 / max * bar_w).max(if st.reached > 0 { 1.0 } else { 0.0 });
        let x = label_w + (bar_w - w) / 2.0;
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"#1f6feb\" rx=\"3\"><title>{}: {}</title></rect><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            label_w - 8.0,
            y + row_h * 0.62,
            esc(&st.name),
            row_h - 6.0,
            esc(&st.name),
            st.reached,
            label_w + bar_w + 8.0,
            y + row_h * 0.62,
            st.reached
        );
    }
    s.push_str("</svg>\n");
    s
}

/// Lines per period: received, moved on, closed, implemented.
fn throughput_chart(r: &Report) -> String {
    let periods = &r.flow.throughput;
    let (w, h, left, bottom, top) = (720.0, 260.0, 40.0, 40.0, 30.0);
    let mut s = format!(
        "<svg role=\"img\" aria-label=\"Throughput per period\" viewBox=\"0 0 {w} {h}\" width=\"{w}\">\n<title>Throughput</title>\n"
    );
    if periods.is_empty() {
        s.push_str("</svg>\n");
        return s;
    }
    let values = |p: &crate::report::portfolio::Throughput| {
        [p.received, p.moved_on, p.closed, p.implemented]
    };
    let max = periods.iter().flat_map(values).max().unwrap_or(0).max(1) as f64;
    let plot_w = w - left - 40.0;
    let plot_h = h - bottom - top;
    let step = if periods.len() > 1 {
        plot_w / (periods.len() - 1) as f64
    } else {
        0.0
    };
    let x = |i: usize| left + i as f64 * step;
    let y = |v: usize| top + plot_h - v as f64 / max * plot_h;
    let _ = writeln!(
        s,
        "<line x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#8c959f\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">0</text>",
        top + plot_h,
        left + plot_w,
        top + plot_h,
        left - 4.0,
        top + 4.0,
        max as usize,
        left - 4.0,
        top + plot_h + 4.0
    );
    for (k, (name, colour)) in SERIES.iter().enumerate() {
        let points: Vec<String> = periods
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(values(p)[k])))
            .collect();
        let _ = writeln!(
            s,
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"><title>{name}</title></polyline><rect x=\"{:.1}\" y=\"8\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"17\">{name}</text>",
            points.join(" "),
            left + k as f64 * 120.0,
            left + 14.0 + k as f64 * 120.0
        );
    }
    let every = periods.len().div_ceil(12).max(1);
    for (i, p) in periods.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x(i),
            top + plot_h + 18.0,
            esc(&p.period)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// Bars of the median stay per stage, with a tick at the 90th percentile.
fn time_chart(r: &Report) -> String {
    let (label_w, bar_w, row_h) = (140.0, 480.0, 24.0);
    let stages = &r.flow.time_in_stage;
    let max = stages
        .iter()
        .filter_map(|s| s.days.p90_days)
        .fold(1.0_f64, f64::max);
    let height = row_h * stages.len() as f64 + 30.0;
    let mut s = format!(
        "<svg role=\"img\" aria-label=\"Median and 90th percentile days in each stage\" viewBox=\"0 0 {} {height}\" width=\"{}\">\n<title>Time in stage</title>\n",
        label_w + bar_w + 80.0,
        label_w + bar_w + 80.0
    );
    for (i, st) in stages.iter().enumerate() {
        let y = 5.0 + i as f64 * row_h;
        let median = st.days.median_days.unwrap_or(0.0);
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#8250df\" rx=\"2\"><title>{}: median {} days</title></rect>",
            label_w - 8.0,
            y + row_h * 0.62,
            esc(&st.name),
            median / max * bar_w,
            row_h - 8.0,
            esc(&st.name),
            days(st.days.median_days)
        );
        if let Some(p90) = st.days.p90_days {
            let px = label_w + p90 / max * bar_w;
            let _ = write!(
                s,
                "<line x1=\"{px:.1}\" y1=\"{y:.1}\" x2=\"{px:.1}\" y2=\"{:.1}\" stroke=\"#1d2733\" stroke-width=\"2\"><title>90th percentile {p90:.1} days</title></line>",
                y + row_h - 8.0
            );
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\">{} / {}</text>",
            label_w + bar_w + 8.0,
            y + row_h * 0.62,
            days(st.days.median_days),
            days(st.days.p90_days)
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{label_w}\" y=\"{:.1}\" class=\"muted\">bar: median days; line: 90th percentile</text>",
        height - 6.0
    );
    s.push_str("</svg>\n");
    s
}
