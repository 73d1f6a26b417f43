//! The report as tables for a terminal.

use std::fmt::Write as _;

use super::{bar, days, hours};
use crate::domain::Config;
use crate::output::table;
use crate::report::portfolio::{CaseRef, Figures, Report};

pub fn render(r: &Report, config: &Config) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}{}: {} case{} ({} open, {} parked, {} closed), {} stale",
        r.name,
        if r.replayed {
            format!(" as of {}", r.as_of)
        } else {
            format!(", {}", r.as_of)
        },
        r.total,
        if r.total == 1 { "" } else { "s" },
        r.by_status["open"],
        r.by_status["parked"],
        r.by_status["closed"],
        r.stale
    );
    if r.skipped_files > 0 {
        let _ = writeln!(
            s,
            "({} unreadable case file(s) not counted; run `sluss check`)",
            r.skipped_files
        );
    }

    let _ = writeln!(s, "\nFunnel");
    let max = r.stages.first().map_or(0, |st| st.reached);
    let mut t = table(&["stage", "reached", "conversion", "open now", ""]);
    for (mut row, st) in super::funnel_rows(r, str::to_string)
        .into_iter()
        .zip(&r.stages)
    {
        row.push(bar(st.reached, max, 30));
        t.add_row(row);
    }
    let _ = writeln!(s, "{}", crate::output::show(&t));
    let _ = writeln!(s, "Closed by outcome: {}", super::closed_by_outcome(r));

    let _ = writeln!(s, "\nTime in stage (days, completed stays)");
    let mut t = table(&["stage", "median", "90th pct", "stays"]);
    for row in super::time_in_stage_rows(r, str::to_string) {
        t.add_row(row);
    }
    let _ = writeln!(s, "{}", crate::output::show(&t));
    let lt = &r.flow.lead_time;
    let _ = writeln!(
        s,
        "Lead time, received to implemented: median {} days, 90th percentile {} days ({} cases)",
        days(lt.median_days),
        days(lt.p90_days),
        lt.samples
    );

    let _ = writeln!(s, "\nThroughput {} to {}", r.flow.since, r.flow.until);
    let mut t = table(&["period", "received", "moved on", "closed", "implemented"]);
    for row in super::throughput_rows(r) {
        t.add_row(row);
    }
    let _ = writeln!(s, "{}", crate::output::show(&t));

    let _ = writeln!(s, "\nCoaching");
    let mut t = table(&["coach", "open cases", "sessions", "hours", "all-time hours"]);
    for load in &r.caseload {
        let all_time = r
            .coaching
            .by_coach
            .iter()
            .find(|c| c.coach == load.coach)
            .map_or(0, |c| c.minutes);
        t.add_row([
            load.name.clone(),
            load.open_cases.to_string(),
            load.sessions.to_string(),
            hours(load.minutes),
            hours(all_time),
        ]);
    }
    let _ = writeln!(s, "{}", crate::output::show(&t));
    let _ = writeln!(
        s,
        "All coaching: {} sessions, {} hours",
        r.coaching.sessions,
        hours(r.coaching.minutes)
    );

    if let Some(b) = &r.breakdown {
        let by = super::group_by_name(b.by);
        let _ = writeln!(s, "\nBy {by}");
        let _ = writeln!(
            s,
            "{}",
            figures_table(
                by,
                b.groups.iter().map(|g| (g.group.as_str(), &g.figures)),
                config
            )
        );
    }
    if !r.repositories.is_empty() {
        let _ = writeln!(s, "\nBy repository");
        let _ = writeln!(
            s,
            "{}",
            figures_table(
                "repository",
                r.repositories
                    .iter()
                    .map(|g| (g.group.as_str(), &g.figures)),
                config
            )
        );
    }
    if !r.programs.is_empty() {
        let _ = writeln!(s, "\nPrograms");
        let _ = writeln!(
            s,
            "{}",
            figures_table(
                "program",
                r.programs.iter().map(|p| (p.name.as_str(), &p.figures)),
                config
            )
        );
    }

    let _ = writeln!(s, "\nAttention");
    attention_list(
        &mut s,
        "Stale (open, idle longest first)",
        "idle",
        &r.attention.stale,
        config,
    );
    attention_list(
        &mut s,
        "Open without a coach",
        "age",
        &r.attention.no_coach,
        config,
    );
    attention_list(
        &mut s,
        "Waiting longest in their stage",
        "in stage",
        &r.attention.waiting_longest,
        config,
    );
    s
}

/// A terminal table of groups.
fn figures_table<'a>(
    first: &str,
    rows: impl Iterator<Item = (&'a str, &'a Figures)>,
    config: &Config,
) -> String {
    let (header, rows) = super::figures_grid(first, rows, config, str::to_string);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = table(&header);
    for row in rows {
        t.add_row(row);
    }
    crate::output::show(&t)
}

/// At most this many cases of an attention list are shown on a terminal.
const SHOWN: usize = 15;

fn attention_list(
    s: &mut String,
    title: &str,
    days_label: &str,
    cases: &[CaseRef],
    config: &Config,
) {
    if cases.is_empty() {
        let _ = writeln!(s, "{title}: none");
        return;
    }
    let _ = writeln!(s, "{title}: {}", cases.len());
    let mut t = table(&["id", "title", "stage", "coach", "unit", days_label]);
    for mut row in super::case_rows(&cases[..cases.len().min(SHOWN)], config, str::to_string) {
        row[1] = crate::output::truncate(&row[1], 40);
        row[5].push('d');
        t.add_row(row);
    }
    let _ = writeln!(s, "{}", crate::output::show(&t));
    if cases.len() > SHOWN {
        let _ = writeln!(
            s,
            "… and {} more (all of them with --format csv or json)",
            cases.len() - SHOWN
        );
    }
}
