//! The portfolio report: computed once from the cases, rendered by `render`.
//!
//! Its first keys are the spec's `summary --format json` contract (`as_of`, `total`,
//! `by_status`, `by_outcome`, `stages`, `coaching`, `stale`); the rest extends it with
//! the funnel's conversion, flow, caseload, attention list, programs and breakdowns.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, FixedOffset, Months, NaiveDate};
use serde::Serialize;

use super::stats::{Durations, percent};
use crate::domain::replay::{CaseState, state};
use crate::domain::{Case, Config, HistoryEntry, Outcome, Status};

/// How throughput is bucketed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Month,
    Quarter,
}

impl Period {
    /// The bucket a day falls in: `2019-03` or `2019-Q1`.
    pub fn label(self, day: NaiveDate) -> String {
        match self {
            Period::Month => format!("{}-{:02}", day.year(), day.month()),
            Period::Quarter => format!("{}-Q{}", day.year(), (day.month() - 1) / 3 + 1),
        }
    }

    fn start_of(self, day: NaiveDate) -> NaiveDate {
        let month = match self {
            Period::Month => day.month(),
            Period::Quarter => (day.month() - 1) / 3 * 3 + 1,
        };
        NaiveDate::from_ymd_opt(day.year(), month, 1).expect("first of a month")
    }

    fn step(self) -> Months {
        Months::new(match self {
            Period::Month => 1,
            Period::Quarter => 3,
        })
    }
}

/// What a breakdown groups cases by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Unit,
    Program,
    Tag,
    Coach,
}

/// Label of the group of cases that have no value for the grouping key.
pub const NO_GROUP: &str = "(none)";

/// What to compute.
#[derive(Debug, Clone)]
pub struct Options {
    /// The day reported on: `--as-of`, or today.
    pub day: NaiveDate,
    /// Replay each case's history as of `day` (the spec's `--as-of`).
    pub replay: bool,
    /// Start of the throughput window (default: the first case's creation).
    pub since: Option<NaiveDate>,
    /// End of the throughput window (default: `day`).
    pub until: Option<NaiveDate>,
    pub period: Period,
    pub by: Option<GroupBy>,
    /// How many cases the "waiting longest" list shows.
    pub attention_limit: usize,
}

/// A case as reports see it: its repository's name and the case.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub repo: &'a str,
    pub case: &'a Case,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub name: String,
    pub as_of: NaiveDate,
    pub total: usize,
    pub by_status: BTreeMap<&'static str, usize>,
    pub by_outcome: BTreeMap<&'static str, usize>,
    pub stages: Vec<StageFigures>,
    pub coaching: Coaching,
    pub stale: usize,
    /// Case files that could not be read and are not counted.
    pub skipped_files: usize,
    pub replayed: bool,
    pub flow: Flow,
    pub caseload: Vec<CoachLoad>,
    pub attention: Attention,
    pub programs: Vec<ProgramFigures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<Breakdown>,
    /// Per repository, when several are read together (a region).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub repositories: Vec<Group>,
}

/// The counts that every group of cases has: the whole portfolio, a unit, a program.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub total: usize,
    pub by_status: BTreeMap<&'static str, usize>,
    pub by_outcome: BTreeMap<&'static str, usize>,
    pub stages: Vec<StageFigures>,
    pub sessions: usize,
    pub minutes: u64,
    pub stale: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageFigures {
    pub key: String,
    pub name: String,
    /// Open cases in this stage.
    pub open: usize,
    /// Cases that reached this stage or a later one.
    pub reached: usize,
    /// `reached` as a percentage of the stage before's (none for the first stage).
    pub conversion: Option<f64>,
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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flow {
    pub since: NaiveDate,
    pub until: NaiveDate,
    pub period: Period,
    /// Completed stays in each stage, from history.
    pub time_in_stage: Vec<StageTime>,
    /// From registration to closing as implemented.
    pub lead_time: Durations,
    pub throughput: Vec<Throughput>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageTime {
    pub key: String,
    pub name: String,
    #[serde(flatten)]
    pub days: Durations,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Throughput {
    pub period: String,
    pub received: usize,
    pub moved_on: usize,
    pub closed: usize,
    pub implemented: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoachLoad {
    pub coach: String,
    pub name: String,
    pub open_cases: usize,
    /// Sessions and minutes within the flow window.
    pub sessions: usize,
    pub minutes: u64,
    pub by_month: Vec<MonthLoad>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthLoad {
    pub month: String,
    pub sessions: usize,
    pub minutes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attention {
    /// Open cases idle longer than `stale_after_days`, longest idle first.
    pub stale: Vec<CaseRef>,
    /// Open cases that nobody coaches.
    pub no_coach: Vec<CaseRef>,
    /// Open cases that have waited longest in their current stage.
    pub waiting_longest: Vec<CaseRef>,
}

/// A case named in a report. `days` is what the list is about (idle, or in stage).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseRef {
    pub id: String,
    pub title: String,
    pub stage: String,
    pub coach: Option<String>,
    pub unit: String,
    pub days: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgramFigures {
    pub key: String,
    pub name: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    pub by: GroupBy,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub group: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// What the report needs of one case, worked out once.
struct Derived<'a> {
    input: Input<'a>,
    state: CaseState,
    /// History entries that count on the report's day, in time order.
    history: Vec<&'a HistoryEntry>,
}

/// Computes the report. `config` gives the pipeline, coaches and programs.
pub fn compute(
    inputs: &[Input],
    config: &Config,
    options: &Options,
    skipped_files: usize,
) -> Report {
    let as_of = options.replay.then_some(options.day);
    let counts = |day: NaiveDate| as_of.is_none_or(|d| day <= d);
    let derived: Vec<Derived> = inputs
        .iter()
        .filter_map(|input| {
            let state = state(input.case, config, as_of)?;
            let history = input
                .case
                .history_in_order()
                .into_iter()
                .filter(|e| counts(e.day()))
                .collect();
            Some(Derived {
                input: *input,
                state,
                history,
            })
        })
        .collect();

    let whole = figures(derived.iter(), config, options);
    let since = options
        .since
        .or_else(|| derived.iter().map(|d| d.input.case.created_day()).min())
        .unwrap_or(options.day);
    let until = options.until.unwrap_or(options.day);

    Report {
        name: config.name.clone(),
        as_of: options.day,
        total: whole.total,
        by_status: whole.by_status.clone(),
        by_outcome: whole.by_outcome.clone(),
        stages: whole.stages.clone(),
        coaching: coaching(&derived, config, as_of),
        stale: whole.stale,
        skipped_files,
        replayed: options.replay,
        flow: Flow {
            since,
            until,
            period: options.period,
            time_in_stage: time_in_stage(&derived, config),
            lead_time: lead_time(&derived),
            throughput: throughput(&derived, config, since, until, options.period),
        },
        caseload: caseload(&derived, config, since, until, as_of),
        attention: attention(&derived, config, options),
        programs: config
            .programs
            .iter()
            .map(|p| ProgramFigures {
                key: p.key.clone(),
                name: p.name.clone(),
                start: p.start,
                end: p.end,
                figures: figures(
                    derived
                        .iter()
                        .filter(|d| d.input.case.program.as_deref() == Some(p.key.as_str())),
                    config,
                    options,
                ),
            })
            .collect(),
        breakdown: options.by.map(|by| Breakdown {
            by,
            groups: groups(
                &derived,
                |d| group_keys(d.input.case, &d.state, by),
                config,
                options,
            ),
        }),
        repositories: {
            let repos: std::collections::BTreeSet<&str> = inputs.iter().map(|i| i.repo).collect();
            if repos.len() > 1 {
                groups(
                    &derived,
                    |d| vec![d.input.repo.to_string()],
                    config,
                    options,
                )
            } else {
                Vec::new()
            }
        },
    }
}

fn group_keys(case: &Case, state: &CaseState, by: GroupBy) -> Vec<String> {
    let or_none = |v: Option<&String>| {
        v.filter(|s| !s.is_empty())
            .cloned()
            .unwrap_or_else(|| NO_GROUP.to_string())
    };
    match by {
        GroupBy::Unit => vec![or_none(Some(&case.unit))],
        GroupBy::Program => vec![or_none(case.program.as_ref())],
        GroupBy::Coach => vec![or_none(state.coach.as_ref())],
        GroupBy::Tag if case.tags.is_empty() => vec![NO_GROUP.to_string()],
        GroupBy::Tag => {
            let mut tags = case.tags.clone();
            tags.sort();
            tags.dedup();
            tags
        }
    }
}

/// Figures per group, groups sorted by name. A case with several tags counts in each.
fn groups<'a, F>(
    derived: &'a [Derived<'a>],
    keys: F,
    config: &Config,
    options: &Options,
) -> Vec<Group>
where
    F: Fn(&Derived) -> Vec<String>,
{
    let mut members: BTreeMap<String, Vec<&Derived>> = BTreeMap::new();
    for d in derived {
        for key in keys(d) {
            members.entry(key).or_default().push(d);
        }
    }
    members
        .into_iter()
        .map(|(group, ds)| Group {
            group,
            figures: figures(ds.into_iter(), config, options),
        })
        .collect()
}

fn figures<'a, 'b: 'a>(
    derived: impl Iterator<Item = &'a Derived<'b>>,
    config: &Config,
    options: &Options,
) -> Figures {
    let as_of = options.replay.then_some(options.day);
    let mut by_status: BTreeMap<&'static str, usize> =
        Status::ALL.iter().map(|s| (s.as_str(), 0)).collect();
    let mut by_outcome: BTreeMap<&'static str, usize> =
        Outcome::ALL.iter().map(|o| (o.as_str(), 0)).collect();
    let mut open = vec![0usize; config.stages.len()];
    let mut reached = vec![0usize; config.stages.len()];
    let (mut total, mut stale, mut sessions, mut minutes) = (0, 0, 0, 0u64);
    for d in derived {
        let st = &d.state;
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
            open[i] += 1;
        }
        if let Some(f) = st.furthest {
            reached[..=f].iter_mut().for_each(|r| *r += 1);
        }
        if st.is_stale(options.day, config.stale_after_days) {
            stale += 1;
        }
        for s in d
            .input
            .case
            .sessions
            .iter()
            .filter(|s| as_of.is_none_or(|day| s.date <= day))
        {
            sessions += 1;
            minutes += u64::from(s.minutes);
        }
    }
    let stages = config
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| StageFigures {
            key: s.key.clone(),
            name: s.name.clone(),
            open: open[i],
            reached: reached[i],
            conversion: if i == 0 {
                None
            } else {
                percent(reached[i], reached[i - 1])
            },
        })
        .collect();
    Figures {
        total,
        by_status,
        by_outcome,
        stages,
        sessions,
        minutes,
        stale,
    }
}

fn coaching(derived: &[Derived], config: &Config, as_of: Option<NaiveDate>) -> Coaching {
    let mut by_coach: BTreeMap<String, (usize, u64)> = config
        .coaches
        .iter()
        .map(|c| (c.key.clone(), (0, 0)))
        .collect();
    let (mut sessions, mut minutes) = (0, 0u64);
    for d in derived {
        for s in d
            .input
            .case
            .sessions
            .iter()
            .filter(|s| as_of.is_none_or(|day| s.date <= day))
        {
            sessions += 1;
            minutes += u64::from(s.minutes);
            let e = by_coach.entry(s.coach.clone()).or_default();
            e.0 += 1;
            e.1 += u64::from(s.minutes);
        }
    }
    Coaching {
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
    }
}

fn days_between(a: DateTime<FixedOffset>, b: DateTime<FixedOffset>) -> f64 {
    (b - a).num_seconds() as f64 / 86_400.0
}

/// Completed stays per stage: from entering a stage (creation, or a move into it) to the
/// next move out of it.
fn time_in_stage(derived: &[Derived], config: &Config) -> Vec<StageTime> {
    let mut stays: Vec<Vec<f64>> = vec![Vec::new(); config.stages.len()];
    for d in derived {
        let case = d.input.case;
        let mut current = d
            .history
            .iter()
            .find(|e| e.is_move())
            .and_then(|e| e.from.clone())
            .unwrap_or_else(|| case.stage.clone());
        let mut since = case.created;
        for e in d.history.iter().filter(|e| e.is_move()) {
            if let Some(i) = config.stage_index(&current) {
                stays[i].push(days_between(since, e.at).max(0.0));
            }
            current = e.to.clone().unwrap_or_default();
            since = e.at;
        }
    }
    config
        .stages
        .iter()
        .zip(stays)
        .map(|(s, days)| StageTime {
            key: s.key.clone(),
            name: s.name.clone(),
            days: Durations::of(days),
        })
        .collect()
}

fn lead_time(derived: &[Derived]) -> Durations {
    Durations::of(
        derived
            .iter()
            .filter_map(|d| {
                let done = d.history.iter().find(|e| {
                    e.status == Some(Status::Closed) && e.outcome == Some(Outcome::Implemented)
                })?;
                Some(days_between(d.input.case.created, done.at).max(0.0))
            })
            .collect(),
    )
}

fn throughput(
    derived: &[Derived],
    config: &Config,
    since: NaiveDate,
    until: NaiveDate,
    period: Period,
) -> Vec<Throughput> {
    let mut buckets: BTreeMap<NaiveDate, Throughput> = BTreeMap::new();
    let mut start = period.start_of(since);
    while start <= until {
        buckets.insert(
            start,
            Throughput {
                period: period.label(start),
                ..Throughput::default()
            },
        );
        start = start + period.step();
    }
    let inside = |day: NaiveDate| day >= since && day <= until;
    let mut bump = |day: NaiveDate, f: &dyn Fn(&mut Throughput)| {
        if inside(day)
            && let Some(b) = buckets.get_mut(&period.start_of(day))
        {
            f(b);
        }
    };
    for d in derived {
        bump(d.input.case.created_day(), &|b| b.received += 1);
        for e in &d.history {
            if let (Some(from), Some(to)) = (&e.from, &e.to)
                && let (Some(f), Some(t)) = (config.stage_index(from), config.stage_index(to))
                && t > f
            {
                bump(e.day(), &|b| b.moved_on += 1);
            }
            if e.status == Some(Status::Closed) {
                bump(e.day(), &|b| b.closed += 1);
                if e.outcome == Some(Outcome::Implemented) {
                    bump(e.day(), &|b| b.implemented += 1);
                }
            }
        }
    }
    buckets.into_values().collect()
}

/// Open cases per coach, and sessions within `since..=until` that count on the report's
/// day (a `--until` after `--as-of` must not reveal later sessions).
fn caseload(
    derived: &[Derived],
    config: &Config,
    since: NaiveDate,
    until: NaiveDate,
    as_of: Option<NaiveDate>,
) -> Vec<CoachLoad> {
    let mut loads: BTreeMap<String, CoachLoad> = BTreeMap::new();
    let entry = |loads: &mut BTreeMap<String, CoachLoad>, key: &str| {
        if !loads.contains_key(key) {
            let name = config
                .coach(key)
                .map_or(key, |c| c.name.as_str())
                .to_string();
            loads.insert(
                key.to_string(),
                CoachLoad {
                    coach: key.to_string(),
                    name,
                    open_cases: 0,
                    sessions: 0,
                    minutes: 0,
                    by_month: Vec::new(),
                },
            );
        }
    };
    for c in &config.coaches {
        entry(&mut loads, &c.key);
    }
    // Keyed by coach and the month's first day; labelled once at the end.
    let mut months: BTreeMap<(&str, NaiveDate), (usize, u64)> = BTreeMap::new();
    for d in derived {
        if d.state.status == Status::Open
            && let Some(coach) = &d.state.coach
        {
            entry(&mut loads, coach);
            loads.get_mut(coach).expect("just added").open_cases += 1;
        }
        for s in d
            .input
            .case
            .sessions
            .iter()
            .filter(|s| s.date >= since && s.date <= until && as_of.is_none_or(|d| s.date <= d))
        {
            entry(&mut loads, &s.coach);
            let load = loads.get_mut(&s.coach).expect("just added");
            load.sessions += 1;
            load.minutes += u64::from(s.minutes);
            let m = months
                .entry((s.coach.as_str(), Period::Month.start_of(s.date)))
                .or_default();
            m.0 += 1;
            m.1 += u64::from(s.minutes);
        }
    }
    for ((coach, month), (sessions, minutes)) in months {
        let month = Period::Month.label(month);
        loads
            .get_mut(coach)
            .expect("coach seen")
            .by_month
            .push(MonthLoad {
                month,
                sessions,
                minutes,
            });
    }
    loads.into_values().collect()
}

fn case_ref(d: &Derived, days: i64) -> CaseRef {
    let case = d.input.case;
    CaseRef {
        id: case.id.clone(),
        title: case.title.clone(),
        stage: d.state.stage.clone(),
        coach: d.state.coach.clone(),
        unit: case.unit.clone(),
        days,
    }
}

fn attention(derived: &[Derived], config: &Config, options: &Options) -> Attention {
    let day = options.day;
    let open: Vec<&Derived> = derived
        .iter()
        .filter(|d| d.state.status == Status::Open)
        .collect();
    let by_days_then_id =
        |a: &CaseRef, b: &CaseRef| b.days.cmp(&a.days).then_with(|| a.id.cmp(&b.id));

    let mut stale: Vec<CaseRef> = open
        .iter()
        .filter(|d| d.state.is_stale(day, config.stale_after_days))
        .map(|d| case_ref(d, d.state.idle_days(day)))
        .collect();
    stale.sort_by(by_days_then_id);

    let mut no_coach: Vec<CaseRef> = open
        .iter()
        .filter(|d| d.state.coach.as_deref().is_none_or(str::is_empty))
        .map(|d| case_ref(d, (day - d.input.case.created_day()).num_days()))
        .collect();
    no_coach.sort_by(by_days_then_id);

    let mut waiting: Vec<CaseRef> = open
        .iter()
        .map(|d| case_ref(d, (day - d.state.in_stage_since.date_naive()).num_days()))
        .collect();
    waiting.sort_by(by_days_then_id);
    waiting.truncate(options.attention_limit);

    Attention {
        stale,
        no_coach,
        waiting_longest: waiting,
    }
}
