//! Renderings of reports not (yet) built as a [`crate::document::Document`], the
//! portfolio report's tidy CSV, and helpers they share. The portfolio summary's table,
//! Markdown and HTML come from its document (`crate::report::portfolio::document`).
//! Every listing is in a fixed order, and nothing reads the clock, so the same data
//! gives the same bytes.

pub mod csv;
pub mod html;
pub mod markdown;
pub mod maturity;
pub mod network;

use super::portfolio::{CaseRef, Figures, Report};
use crate::domain::Config;

/// Hours with one decimal, rounding half up (435 minutes is 7.3 hours).
pub fn hours(minutes: u64) -> String {
    let tenths = (minutes + 3) / 6;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// An optional number of days, or a dash.
pub fn days(d: Option<f64>) -> String {
    d.map_or_else(|| "–".to_string(), |d| format!("{d:.1}"))
}

/// A percentage, or nothing for the first stage.
pub fn pct(p: Option<f64>) -> String {
    p.map_or_else(String::new, |p| format!("{p:.1}%"))
}

/// A bar of `width` cells at most, proportional to `value / max`.
pub fn bar(value: usize, max: usize, width: usize) -> String {
    if max == 0 {
        return String::new();
    }
    let cells = (value * width).div_ceil(max);
    "█".repeat(cells)
}

/// The label people see for a coach key.
pub fn coach_name<'a>(config: &'a Config, key: &'a str) -> &'a str {
    config.coach(key).map_or(key, |c| c.name.as_str())
}

/// Header and rows of a table of groups (units, programs, repositories): cases,
/// statuses, implemented, how many reached each stage after the first, coaching hours.
/// `esc` escapes the group names for the target format; the header is plain text, for
/// the renderer to escape once (HTML's table escapes every header it writes).
pub fn figures_grid<'a>(
    first: &str,
    groups: impl Iterator<Item = (&'a str, &'a Figures)>,
    config: &Config,
    esc: fn(&str) -> String,
) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = [first, "cases", "open", "parked", "closed", "implemented"]
        .iter()
        .map(|h| h.to_string())
        .collect();
    header.extend(
        config
            .stages
            .iter()
            .skip(1)
            .map(|st| format!("→ {}", st.name)),
    );
    header.push("hours".to_string());
    let rows = groups
        .map(|(name, f)| {
            let mut row = vec![
                esc(name),
                f.total.to_string(),
                f.by_status["open"].to_string(),
                f.by_status["parked"].to_string(),
                f.by_status["closed"].to_string(),
                f.by_outcome["implemented"].to_string(),
            ];
            row.extend(f.stages.iter().skip(1).map(|st| st.reached.to_string()));
            row.push(hours(f.minutes));
            row
        })
        .collect();
    (header, rows)
}

/// Rows of an attention list: id, title, stage, coach, unit, days.
pub fn case_rows(cases: &[CaseRef], config: &Config, esc: fn(&str) -> String) -> Vec<Vec<String>> {
    cases
        .iter()
        .map(|c| {
            vec![
                esc(&c.id),
                esc(&c.title),
                esc(config.stage_name(&c.stage)),
                esc(c
                    .coach
                    .as_deref()
                    .map(|k| coach_name(config, k))
                    .unwrap_or("")),
                esc(&c.unit),
                c.days.to_string(),
            ]
        })
        .collect()
}

/// Rows of the funnel: stage, reached, conversion, open now.
pub fn funnel_rows(r: &Report, esc: fn(&str) -> String) -> Vec<Vec<String>> {
    r.stages
        .iter()
        .map(|st| {
            vec![
                esc(&st.name),
                st.reached.to_string(),
                pct(st.conversion),
                st.open.to_string(),
            ]
        })
        .collect()
}

/// Closed cases per outcome, in the outcomes' order: `implemented 24, handed_over 16, …`.
pub fn closed_by_outcome(r: &Report) -> String {
    crate::domain::Outcome::ALL
        .iter()
        .map(|o| format!("{o} {}", r.by_outcome[o.as_str()]))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rows of the time in stage: stage, median days, 90th percentile, completed stays.
pub fn time_in_stage_rows(r: &Report, esc: fn(&str) -> String) -> Vec<Vec<String>> {
    r.flow
        .time_in_stage
        .iter()
        .map(|st| {
            vec![
                esc(&st.name),
                days(st.days.median_days),
                days(st.days.p90_days),
                st.days.samples.to_string(),
            ]
        })
        .collect()
}

/// Rows of the coaching table: coach, open cases, sessions, hours (in the window).
pub fn caseload_rows(r: &Report, esc: fn(&str) -> String) -> Vec<Vec<String>> {
    r.caseload
        .iter()
        .map(|l| {
            vec![
                esc(&l.name),
                l.open_cases.to_string(),
                l.sessions.to_string(),
                hours(l.minutes),
            ]
        })
        .collect()
}

/// The name of a breakdown's grouping, as written on the command line.
pub fn group_by_name(by: super::portfolio::GroupBy) -> &'static str {
    use super::portfolio::GroupBy;
    match by {
        GroupBy::Unit => "unit",
        GroupBy::Program => "program",
        GroupBy::Tag => "tag",
        GroupBy::Coach => "coach",
    }
}

/// Rows of the throughput table. A run of quiet periods at the end (a portfolio that
/// ended, or a report made long after) folds into one row, so the table stays short.
pub fn throughput_rows(r: &Report) -> Vec<Vec<String>> {
    let periods = &r.flow.throughput;
    let quiet =
        |p: &super::portfolio::Throughput| p.received + p.moved_on + p.closed + p.implemented == 0;
    let active = periods.iter().rposition(|p| !quiet(p)).map_or(0, |i| i + 1);
    let mut rows: Vec<Vec<String>> = periods[..active]
        .iter()
        .map(|p| {
            vec![
                p.period.clone(),
                p.received.to_string(),
                p.moved_on.to_string(),
                p.closed.to_string(),
                p.implemented.to_string(),
            ]
        })
        .collect();
    match &periods[active..] {
        [] => {}
        [one] => rows.push(vec![
            one.period.clone(),
            "0".into(),
            "0".into(),
            "0".into(),
            "0".into(),
        ]),
        [first, .., last] => rows.push(vec![
            format!("{} – {}", first.period, last.period),
            "0".into(),
            "0".into(),
            "0".into(),
            "0".into(),
        ]),
    }
    rows
}

/// The attention lists as documents (Markdown, HTML) title them: heading, what the
/// days column counts, and the cases.
pub fn attention_lists(r: &Report) -> [(&'static str, &'static str, &[CaseRef]); 3] {
    [
        ("Stale cases", "Idle days", &r.attention.stale),
        ("Open without a coach", "Age in days", &r.attention.no_coach),
        (
            "Waiting longest in their stage",
            "Days in stage",
            &r.attention.waiting_longest,
        ),
    ]
}
