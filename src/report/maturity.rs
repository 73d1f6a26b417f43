//! The innovation-maturity report: each unit's self-assessments over time, the
//! organisation's maturity per year, and next to it what the portfolio itself shows
//! each year (which units bring ideas, how far ideas get, how long implementation takes).
//! Computed once here, rendered by `render::maturity`.
//!
//! Definitions, per calendar year Y:
//! - **maturity**: the mean, over the units assessed in Y, of each unit's latest
//!   assessment in Y; an assessment's score is the mean of its answered questions, so
//!   every unit weighs the same whatever its size or number of assessments.
//! - **units known in Y**: every unit named by a case received, or an assessment made,
//!   on or before the last day of Y (and, with `--as-of`, on or before that day): the
//!   organisation as far as the repository knew it then. A unit is known from the first
//!   dated record that names it, so a unit first seen in a later year never changes an
//!   earlier year's figures.
//! - **units with ideas**: units named by cases received in Y, as a share of the units
//!   known in Y; **ideas per unit**: cases received in Y per unit known in Y.
//! - **tested**: of the cases received in Y, those that have reached the test stage (by
//!   now, as the case files say): the stage keyed `testa`, else the 5th stage.
//! - **implemented**: of the closings recorded in Y, those with outcome implemented (as
//!   `summary` counts throughput).
//! - **lead time**: days from received to the first closing as implemented, for cases
//!   implemented in Y (as `summary` computes it).
//!
//! As of a day D (`--as-of`), only what had happened by D counts: assessments dated on or
//! before D, cases received by D, history entries up to D (and "tested" is replayed to
//! D), as `summary --as-of` replays. `--since` and `--until` pick the years shown.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::stats::{Durations, percent};
use crate::domain::maturity::{Assessment, MaturitySettings, Question, mean};
use crate::domain::replay::state;
use crate::domain::{Case, Config, Outcome, Status};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaturityReport {
    pub name: String,
    /// The day the report was replayed to, if it was.
    pub as_of: Option<NaiveDate>,
    pub scale: Scale,
    pub questions: Vec<Question>,
    /// The stage that counts as "tested".
    pub tested_stage: TestedStage,
    /// Units named by any case or assessment (that counts as of the report's day).
    pub units_known: usize,
    pub assessments: usize,
    /// Scores that do not count: an unknown question, or outside the scale (`check`
    /// names them).
    pub ignored_scores: usize,
    /// Every assessed unit, by name, with its assessments in time order.
    pub units: Vec<UnitSeries>,
    /// Every year from the first case or assessment to the last.
    pub years: Vec<YearFigures>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scale {
    pub min: i64,
    pub max: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestedStage {
    pub key: String,
    pub name: String,
    /// 1-based position in the pipeline.
    pub position: usize,
    pub chosen_because: TestedRule,
}

/// Why a stage stands for "tested".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TestedRule {
    /// It is keyed `testa`.
    KeyedTesta,
    /// No stage is keyed `testa`; it is the 5th stage.
    FifthStage,
    /// No stage is keyed `testa` and the pipeline is shorter than five: the last stage.
    LastStage,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitSeries {
    pub unit: String,
    pub assessments: Vec<AssessmentPoint>,
    /// The latest mean less the first, when there are two or more.
    pub change: Option<f64>,
    /// The unit's latest assessment with a score in each year it was assessed: what the
    /// organisation's maturity of that year averages (two decimals).
    pub per_year: Vec<UnitYear>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct UnitYear {
    pub year: i32,
    pub mean: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentPoint {
    pub date: NaiveDate,
    /// The mean of the answered questions (two decimals).
    pub mean: Option<f64>,
    /// How many questions were answered (with a score that counts).
    pub answered: usize,
    pub respondents: Option<u32>,
    /// Question key to score, for the scores that count.
    pub scores: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearFigures {
    pub year: i32,
    /// Units with an assessment in the year.
    pub units_assessed: usize,
    /// The mean over those units' latest assessments in the year (two decimals).
    pub maturity: Option<f64>,
    /// The same mean, question by question.
    pub questions: Vec<QuestionMean>,
    /// Units known in the year: named by a case received or an assessment made on or
    /// before its last day. The denominator of the year's shares.
    pub units_known: usize,
    pub units_with_ideas: usize,
    pub units_with_ideas_pct: Option<f64>,
    /// Cases received in the year.
    pub ideas: usize,
    /// `ideas` per unit known (two decimals).
    pub ideas_per_unit: Option<f64>,
    /// Cases received in the year that have reached the test stage.
    pub tested: usize,
    pub tested_pct: Option<f64>,
    /// Closings recorded in the year, and those as implemented.
    pub closed: usize,
    pub implemented: usize,
    pub implemented_pct: Option<f64>,
    /// Received to implemented, for cases implemented in the year.
    pub lead_time: Durations,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionMean {
    pub key: String,
    pub mean: Option<f64>,
    /// How many units' latest assessments answered it.
    pub answers: usize,
}

/// Rounds to two decimals: scores on a short scale need them.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The stage that stands for "tested": `testa`, else the 5th, else the last.
pub fn tested_stage(config: &Config) -> Option<TestedStage> {
    let (index, rule) = match config.stage_index("testa") {
        Some(i) => (i, TestedRule::KeyedTesta),
        None if config.stages.len() >= 5 => (4, TestedRule::FifthStage),
        None => (config.stages.len().checked_sub(1)?, TestedRule::LastStage),
    };
    let stage = &config.stages[index];
    Some(TestedStage {
        key: stage.key.clone(),
        name: stage.name.clone(),
        position: index + 1,
        chosen_because: rule,
    })
}

/// One assessment as the report sees it: its unit (trimmed), day and valid scores.
struct Scored<'a> {
    unit: &'a str,
    date: NaiveDate,
    respondents: Option<u32>,
    scores: Vec<(&'a str, i64)>,
    mean: Option<f64>,
}

/// What part of time a report covers.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Window {
    /// Count only what had happened by the end of this day.
    pub as_of: Option<NaiveDate>,
    /// Show the years from this day's year on.
    pub since: Option<NaiveDate>,
    /// Show the years up to this day's year.
    pub until: Option<NaiveDate>,
}

impl Window {
    fn counts(&self, day: NaiveDate) -> bool {
        crate::domain::AsOf::from(self.as_of).counts(day)
    }

    fn shows(&self, year: i32) -> bool {
        self.since.is_none_or(|d| year >= d.year()) && self.until.is_none_or(|d| year <= d.year())
    }
}

/// Computes the report. `assessments` and `cases` may come in any order; the result is
/// sorted by unit name and date, and reads no clock.
pub fn compute(
    cases: &[&Case],
    assessments: &[&Assessment],
    config: &Config,
    settings: &MaturitySettings,
    window: Window,
) -> MaturityReport {
    let tested = tested_stage(config).expect("an opened repository has a pipeline");
    let cases: Vec<&Case> = cases
        .iter()
        .copied()
        .filter(|c| window.counts(c.created_day()))
        .collect();
    let cases = cases.as_slice();
    let assessments: Vec<&Assessment> = assessments
        .iter()
        .copied()
        .filter(|a| window.counts(a.date))
        .collect();
    let mut scored: Vec<Scored> = assessments
        .iter()
        .map(|a| {
            let scores: Vec<(&str, i64)> = a.valid_scores(settings).collect();
            Scored {
                unit: config.unit_name(a.unit.trim()),
                date: a.date,
                respondents: a.respondents,
                mean: mean(scores.iter().map(|(_, s)| *s as f64)),
                scores,
            }
        })
        .collect();
    // Stable: two assessments of a unit on one day keep the order they came in.
    scored.sort_by(|a, b| a.unit.cmp(b.unit).then(a.date.cmp(&b.date)));

    // Each unit and the day the first case or assessment that names it is dated.
    let mut first_seen: BTreeMap<&str, NaiveDate> = BTreeMap::new();
    for (unit, day) in cases
        .iter()
        .map(|c| (config.unit_name(c.unit.trim()), c.created_day()))
        .chain(scored.iter().map(|s| (s.unit, s.date)))
        .filter(|(u, _)| !u.is_empty())
    {
        first_seen
            .entry(unit)
            .and_modify(|d| *d = (*d).min(day))
            .or_insert(day);
    }

    let mut units: Vec<UnitSeries> = Vec::new();
    for s in scored.iter().filter(|s| window.shows(s.date.year())) {
        if units.last().is_none_or(|u| u.unit != s.unit) {
            units.push(UnitSeries {
                unit: s.unit.to_string(),
                assessments: Vec::new(),
                change: None,
                per_year: Vec::new(),
            });
        }
        let series = units.last_mut().expect("just pushed");
        series.assessments.push(AssessmentPoint {
            date: s.date,
            mean: s.mean.map(round2),
            answered: s.scores.len(),
            respondents: s.respondents,
            scores: s.scores.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        });
    }
    for series in &mut units {
        let means: Vec<f64> = series.assessments.iter().filter_map(|a| a.mean).collect();
        if let [first, .., last] = means.as_slice() {
            series.change = Some(round2(last - first));
        }
        // In time order, so the last assessment with a score in a year wins.
        for a in &series.assessments {
            let Some(mean) = a.mean else { continue };
            let year = a.date.year();
            match series.per_year.last_mut() {
                Some(y) if y.year == year => y.mean = mean,
                _ => series.per_year.push(UnitYear { year, mean }),
            }
        }
    }

    let per_year = PerYear {
        cases,
        scored: &scored,
        first_seen: &first_seen,
        config,
        settings,
        tested_stage: &tested,
        window,
    };
    let years = year_range(cases, &scored, window)
        .into_iter()
        .filter(|year| window.shows(*year))
        .map(|year| per_year.figures(year))
        .collect();

    MaturityReport {
        name: config.name.clone(),
        as_of: window.as_of,
        scale: Scale {
            min: settings.min(),
            max: settings.max(),
        },
        questions: settings.questions.clone(),
        tested_stage: tested,
        units_known: first_seen.len(),
        assessments: assessments.len(),
        ignored_scores: assessments.iter().map(|a| a.invalid_scores(settings)).sum(),
        units,
        years,
    }
}

/// From the first year with a case or an assessment to the last year with a case, a
/// (counted) history entry or an assessment.
fn year_range(cases: &[&Case], scored: &[Scored], window: Window) -> Vec<i32> {
    let starts = cases
        .iter()
        .map(|c| c.created_day().year())
        .chain(scored.iter().map(|s| s.date.year()));
    let ends = cases
        .iter()
        .flat_map(|c| {
            c.history
                .iter()
                .filter(|e| window.counts(e.day()))
                .map(|e| e.day().year())
                .chain([c.created_day().year()])
        })
        .chain(scored.iter().map(|s| s.date.year()));
    match (starts.min(), ends.max()) {
        (Some(first), Some(last)) => (first..=last).collect(),
        _ => Vec::new(),
    }
}

/// What the figures of each year are computed from.
struct PerYear<'r, 'a> {
    cases: &'r [&'a Case],
    scored: &'r [Scored<'a>],
    first_seen: &'r BTreeMap<&'a str, NaiveDate>,
    config: &'r Config,
    settings: &'r MaturitySettings,
    tested_stage: &'r TestedStage,
    window: Window,
}

impl PerYear<'_, '_> {
    fn figures(&self, year: i32) -> YearFigures {
        let PerYear {
            cases,
            scored,
            first_seen,
            config,
            settings,
            tested_stage,
            window,
        } = *self;
        let units_known = first_seen.values().filter(|d| d.year() <= year).count();
        // Each unit's latest assessment in the year that has a score; `scored` is sorted by
        // unit and date, so the last one seen wins.
        let mut latest: BTreeMap<&str, &Scored> = BTreeMap::new();
        for s in scored
            .iter()
            .filter(|s| s.date.year() == year && s.mean.is_some())
        {
            latest.insert(s.unit, s);
        }
        let maturity = mean(latest.values().filter_map(|s| s.mean));
        let questions = settings
            .questions
            .iter()
            .map(|q| {
                let answers: Vec<f64> = latest
                    .values()
                    .filter_map(|s| s.scores.iter().find(|(k, _)| *k == q.key))
                    .map(|(_, v)| *v as f64)
                    .collect();
                QuestionMean {
                    key: q.key.clone(),
                    answers: answers.len(),
                    mean: mean(answers).map(round2),
                }
            })
            .collect();

        let received: Vec<&Case> = cases
            .iter()
            .copied()
            .filter(|c| c.created_day().year() == year)
            .collect();
        let units_with_ideas = received
            .iter()
            .map(|c| config.unit_name(c.unit.trim()))
            .filter(|u| !u.is_empty())
            .collect::<BTreeSet<_>>()
            .len();
        let tested_index = tested_stage.position - 1;
        let tested = received
            .iter()
            .filter(|c| state(c, config, window.as_of).is_some_and(|st| st.reached(tested_index)))
            .count();

        let (mut closed, mut implemented) = (0, 0);
        let mut lead_days = Vec::new();
        for case in cases {
            let history: Vec<_> = case
                .history_in_order()
                .into_iter()
                .filter(|e| window.counts(e.day()))
                .collect();
            for e in history.iter().filter(|e| e.day().year() == year) {
                if e.status == Some(Status::Closed) {
                    closed += 1;
                    if e.outcome == Some(Outcome::Implemented) {
                        implemented += 1;
                    }
                }
            }
            if let Some(done) = history.iter().find(|e| {
                e.status == Some(Status::Closed) && e.outcome == Some(Outcome::Implemented)
            }) && done.day().year() == year
            {
                lead_days.push(((done.at - case.created).num_seconds() as f64 / 86_400.0).max(0.0));
            }
        }

        YearFigures {
            year,
            units_assessed: latest.len(),
            maturity: maturity.map(round2),
            questions,
            units_known,
            units_with_ideas,
            units_with_ideas_pct: percent(units_with_ideas, units_known),
            ideas: received.len(),
            ideas_per_unit: (units_known > 0)
                .then(|| round2(received.len() as f64 / units_known as f64)),
            tested,
            tested_pct: percent(tested, received.len()),
            closed,
            implemented,
            implemented_pct: percent(implemented, closed),
            lead_time: Durations::of(lead_days),
        }
    }
}
