//! The report as Markdown: fits a CI job summary or a wiki page. Text from cases is
//! escaped so that it can neither break a table nor inject markup.

use std::fmt::Write as _;

use super::days;
use crate::domain::Config;
use crate::report::escape::markdown as esc;
use crate::report::portfolio::{CaseRef, Figures, Report};

/// A pipe table; cells must already be escaped.
pub(super) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut s = format!(
        "| {} |\n|{}\n",
        header.join(" | "),
        " --- |".repeat(header.len())
    );
    for row in rows {
        let _ = writeln!(s, "| {} |", row.join(" | "));
    }
    s
}

pub fn render(r: &Report, config: &Config) -> String {
    let mut s = String::new();
    let when = if r.replayed {
        format!("as of {}", r.as_of)
    } else {
        r.as_of.to_string()
    };
    let _ = writeln!(s, "# {}: portfolio {when}\n", esc(&r.name));
    let _ = writeln!(
        s,
        "**{}** cases: {} open, {} parked, {} closed; {} stale.\n",
        r.total, r.by_status["open"], r.by_status["parked"], r.by_status["closed"], r.stale
    );

    let _ = writeln!(s, "## Funnel\n");
    s.push_str(&table(
        &["Stage", "Reached", "Conversion", "Open now"],
        &super::funnel_rows(r, esc),
    ));
    let _ = writeln!(s, "\nClosed by outcome: {}.\n", super::closed_by_outcome(r));

    let _ = writeln!(s, "## Flow\n");
    s.push_str(&table(
        &["Stage", "Median days", "90th percentile", "Stays"],
        &super::time_in_stage_rows(r, esc),
    ));
    let lt = &r.flow.lead_time;
    let _ = writeln!(
        s,
        "\nLead time from received to implemented: median {} days, 90th percentile {} days ({} cases).\n",
        days(lt.median_days),
        days(lt.p90_days),
        lt.samples
    );
    let _ = writeln!(s, "### Throughput {} to {}\n", r.flow.since, r.flow.until);
    let rows = super::throughput_rows(r);
    s.push_str(&table(
        &["Period", "Received", "Moved on", "Closed", "Implemented"],
        &rows,
    ));

    let _ = writeln!(s, "\n## Coaching\n");
    s.push_str(&table(
        &["Coach", "Open cases", "Sessions", "Hours"],
        &super::caseload_rows(r, esc),
    ));

    if let Some(b) = &r.breakdown {
        let by = super::group_by_name(b.by);
        let _ = writeln!(s, "\n## By {by}\n");
        s.push_str(&figures_table(
            by,
            b.groups.iter().map(|g| (g.group.as_str(), &g.figures)),
            config,
        ));
    }
    if !r.repositories.is_empty() {
        let _ = writeln!(s, "\n## By repository\n");
        s.push_str(&figures_table(
            "repository",
            r.repositories
                .iter()
                .map(|g| (g.group.as_str(), &g.figures)),
            config,
        ));
    }
    if !r.programs.is_empty() {
        let _ = writeln!(s, "\n## Programs\n");
        s.push_str(&figures_table(
            "program",
            r.programs.iter().map(|p| (p.name.as_str(), &p.figures)),
            config,
        ));
    }

    let _ = writeln!(s, "\n## Attention\n");
    for (title, days_label, cases) in super::attention_lists(r) {
        attention(&mut s, title, days_label, cases, config);
    }
    s
}

fn figures_table<'a>(
    first: &str,
    groups: impl Iterator<Item = (&'a str, &'a Figures)>,
    config: &Config,
) -> String {
    let (header, rows) = super::figures_grid(first, groups, config, esc);
    let header: Vec<String> = header.iter().map(|h| esc(h)).collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    table(&header, &rows)
}

fn attention(s: &mut String, title: &str, days_label: &str, cases: &[CaseRef], config: &Config) {
    let _ = writeln!(s, "### {title}: {}\n", cases.len());
    if cases.is_empty() {
        return;
    }
    let mut rows = super::case_rows(cases, config, esc);
    for row in &mut rows {
        row[0] = format!("`{}`", row[0]);
    }
    s.push_str(&table(
        &["Id", "Title", "Stage", "Coach", "Unit", days_label],
        &rows,
    ));
    s.push('\n');
}
