//! The portfolio at a glance: the `summary --format json` contract of the spec.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::replay::state;
use crate::domain::{Case, Config, Outcome, Status};

/// The summary report. Field order and names are the spec's contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub name: String,
    pub as_of: NaiveDate,
    pub total: usize,
    pub by_status: BTreeMap<&'static str, usize>,
    pub by_outcome: BTreeMap<&'static str, usize>,
    pub stages: Vec<StageFigures>,
    pub coaching: Coaching,
    pub stale: usize,
    /// Files that could not be read and are not counted.
    pub skipped_files: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageFigures {
    pub key: String,
    pub name: String,
    /// Open cases in this stage now.
    pub open: usize,
    /// Cases that have reached this stage or a later one.
    pub reached: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coaching {
    pub sessions: usize,
    pub minutes: u64,
    pub by_coach: Vec<CoachFigures>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoachFigures {
    pub coach: String,
    pub sessions: usize,
    pub minutes: u64,
}

/// Computes the summary of `cases` on day `day`; with `replay`, the state of each case
/// is replayed from its history as of `day` (the spec's `--as-of`).
pub fn compute<'a>(
    cases: impl IntoIterator<Item = &'a Case>,
    config: &Config,
    day: NaiveDate,
    replay: bool,
    skipped_files: usize,
) -> Summary {
    let as_of = replay.then_some(day);
    let mut by_status: BTreeMap<&'static str, usize> =
        Status::ALL.iter().map(|s| (s.as_str(), 0)).collect();
    let mut by_outcome: BTreeMap<&'static str, usize> =
        Outcome::ALL.iter().map(|o| (o.as_str(), 0)).collect();
    let mut open_in = vec![0usize; config.stages.len()];
    let mut reached = vec![0usize; config.stages.len()];
    let mut by_coach: BTreeMap<String, (usize, u64)> = config
        .coaches
        .iter()
        .map(|c| (c.key.clone(), (0, 0)))
        .collect();
    let (mut total, mut stale, mut sessions, mut minutes) = (0, 0, 0, 0u64);

    for case in cases {
        let Some(st) = state(case, config, as_of) else {
            continue;
        };
        total += 1;
        *by_status.entry(st.status.as_str()).or_default() += 1;
        if st.status == Status::Closed
            && let Some(o) = st.outcome
        {
            *by_outcome.entry(o.as_str()).or_default() += 1;
        }
        if st.status == Status::Open
            && let Some(i) = config.stage_index(&st.stage)
        {
            open_in[i] += 1;
        }
        if let Some(f) = st.furthest {
            for r in &mut reached[..=f] {
                *r += 1;
            }
        }
        if st.is_stale(day, config.stale_after_days) {
            stale += 1;
        }
        for s in case
            .sessions
            .iter()
            .filter(|s| as_of.is_none_or(|d| s.date <= d))
        {
            sessions += 1;
            minutes += u64::from(s.minutes);
            let e = by_coach.entry(s.coach.clone()).or_default();
            e.0 += 1;
            e.1 += u64::from(s.minutes);
        }
    }

    Summary {
        name: config.name.clone(),
        as_of: day,
        total,
        by_status,
        by_outcome,
        stages: config
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| StageFigures {
                key: s.key.clone(),
                name: s.name.clone(),
                open: open_in[i],
                reached: reached[i],
            })
            .collect(),
        coaching: Coaching {
            sessions,
            minutes,
            by_coach: by_coach
                .into_iter()
                .map(|(coach, (sessions, minutes))| CoachFigures {
                    coach,
                    sessions,
                    minutes,
                })
                .collect(),
        },
        stale,
        skipped_files,
    }
}

/// Hours with one decimal, for people, rounding half up (435 minutes is 7.3 hours).
pub fn hours(minutes: u64) -> String {
    let tenths = (minutes + 3) / 6;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The summary as tables for a terminal.
pub fn render_table(s: &Summary, config: &Config) -> String {
    let mut out = format!("{} as of {}: {} cases\n\n", s.name, s.as_of, s.total);
    let mut t = crate::output::table(&["stage", "open", "reached"]);
    for st in &s.stages {
        t.add_row([st.name.clone(), st.open.to_string(), st.reached.to_string()]);
    }
    out.push_str(&format!("{t}\n\n"));
    let mut t = crate::output::table(&["status", "cases"]);
    for status in Status::ALL {
        t.add_row([
            status.as_str().to_string(),
            s.by_status[status.as_str()].to_string(),
        ]);
    }
    for outcome in Outcome::ALL {
        t.add_row([
            format!("  closed: {outcome}"),
            s.by_outcome[outcome.as_str()].to_string(),
        ]);
    }
    t.add_row(["stale (open, idle)".to_string(), s.stale.to_string()]);
    out.push_str(&format!("{t}\n\n"));
    let mut t = crate::output::table(&["coach", "sessions", "hours"]);
    for c in &s.coaching.by_coach {
        let name = config
            .coach(&c.coach)
            .map(|k| k.name.as_str())
            .unwrap_or(c.coach.as_str());
        t.add_row([name.to_string(), c.sessions.to_string(), hours(c.minutes)]);
    }
    t.add_row([
        "all".to_string(),
        s.coaching.sessions.to_string(),
        hours(s.coaching.minutes),
    ]);
    out.push_str(&format!("{t}\n"));
    out
}
