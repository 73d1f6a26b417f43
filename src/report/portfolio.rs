//! The portfolio report: computed once from the cases, rendered by `render`.
//!
//! Its first keys are the spec's `summary --format json` contract (`as_of`, `total`,
//! `by_status`, `by_outcome`, `stages`, `coaching`, `stale`); the rest extends it with
//! the funnel's conversion, flow, caseload, attention list, programs and breakdowns.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, FixedOffset, Months, NaiveDate};
use serde::Serialize;

use super::stats::{Durations, percent};
use crate::domain::replay::{CaseState, state};
use crate::domain::{AsOfSource, Case, Config, HistoryEntry, Outcome, Status};

pub mod document;

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
    /// Where `as_of` comes from: `--as-of` (`option`), sluss.toml's `[reports] as_of`
    /// (`settings`) or the day the report was made (`today`).
    pub as_of_from: AsOfSource,
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
    /// Moves forced past a gate that was not met (`forced = true` in history) within
    /// the flow window, of every case (open or not), oldest first: for a leader to
    /// audit overrides.
    pub forced: Vec<ForcedMove>,
}

/// One history entry that went past a gate that was not met.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForcedMove {
    pub id: String,
    pub title: String,
    pub at: DateTime<FixedOffset>,
    /// The stage the case left (none for a new case let into its first stage).
    pub from: Option<String>,
    /// The stage whose gate was overridden.
    pub stage: String,
    pub by: String,
    /// Why, as the entry says.
    pub note: Option<String>,
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

/// Computes the report. `config` gives the pipeline, coaches and programs.
pub fn compute(
    inputs: &[Input],
    config: &Config,
    options: &Options,
    skipped_files: usize,
) -> Report {
    let mut acc = Accumulator::new(config, options);
    for input in inputs {
        acc.add(*input);
    }
    acc.finish(skipped_files)
}

/// The report being computed, one case at a time, so that the cases need not all be
/// held at once: each thread can fold its share of the cases into its own accumulator,
/// and the accumulators are then merged in the order of their cases. Everything whose
/// meaning depends on all cases (the default start of the window, the longest waits)
/// is kept in a form that is settled only by `finish`.
pub struct Accumulator<'c> {
    config: &'c Config,
    options: &'c Options,
    as_of: Option<NaiveDate>,
    whole: Tally,
    /// Sessions and minutes per coach, for `coaching`.
    by_coach: BTreeMap<String, (usize, u64)>,
    /// The earliest creation day of a counted case: the window's default start.
    first_day: Option<NaiveDate>,
    /// Completed stays per stage, in days.
    stays: Vec<Vec<f64>>,
    /// Days from registration to closing as implemented.
    lead: Vec<f64>,
    /// Throughput events per day (bucketed once the window is known).
    events: BTreeMap<NaiveDate, Throughput>,
    /// Open cases per coach.
    open_cases: BTreeMap<String, usize>,
    /// Counted sessions and minutes per coach and day (windowed once it is known).
    session_days: BTreeMap<String, BTreeMap<NaiveDate, (usize, u64)>>,
    stale: Vec<CaseRef>,
    no_coach: Vec<CaseRef>,
    /// Candidates for the longest waits; cut down to the limit now and then.
    waiting: Vec<CaseRef>,
    /// Forced moves up to the report's day (windowed once the window is known).
    forced: Vec<ForcedMove>,
    /// Per program of the configuration, in its order.
    programs: Vec<Tally>,
    breakdown: BTreeMap<String, Tally>,
    repositories: BTreeMap<String, Tally>,
    /// Every repository with a case, counted or not.
    repos_seen: BTreeSet<String>,
}

/// The counts behind one [`Figures`].
#[derive(Clone)]
struct Tally {
    total: usize,
    by_status: BTreeMap<&'static str, usize>,
    by_outcome: BTreeMap<&'static str, usize>,
    open: Vec<usize>,
    reached: Vec<usize>,
    sessions: usize,
    minutes: u64,
    stale: usize,
}

impl Tally {
    fn new(config: &Config) -> Tally {
        Tally {
            total: 0,
            by_status: Status::ALL.iter().map(|s| (s.as_str(), 0)).collect(),
            by_outcome: Outcome::ALL.iter().map(|o| (o.as_str(), 0)).collect(),
            open: vec![0; config.stages.len()],
            reached: vec![0; config.stages.len()],
            sessions: 0,
            minutes: 0,
            stale: 0,
        }
    }

    fn add(&mut self, c: &Counted, config: &Config, options: &Options) {
        let st = &c.state;
        self.total += 1;
        *self.by_status.entry(st.status.as_str()).or_default() += 1;
        if st.status == Status::Closed
            && let Some(o) = st.outcome
        {
            *self.by_outcome.entry(o.as_str()).or_default() += 1;
        }
        if st.status == Status::Open
            && let Some(i) = config.stage_index(&st.stage)
        {
            self.open[i] += 1;
        }
        if let Some(f) = st.furthest {
            self.reached[..=f].iter_mut().for_each(|r| *r += 1);
        }
        if st.is_stale(options.day, config.stale_after_days) {
            self.stale += 1;
        }
        self.sessions += c.sessions;
        self.minutes += c.minutes;
    }

    fn merge(&mut self, other: Tally) {
        self.total += other.total;
        for (k, n) in other.by_status {
            *self.by_status.entry(k).or_default() += n;
        }
        for (k, n) in other.by_outcome {
            *self.by_outcome.entry(k).or_default() += n;
        }
        add_each(&mut self.open, &other.open);
        add_each(&mut self.reached, &other.reached);
        self.sessions += other.sessions;
        self.minutes += other.minutes;
        self.stale += other.stale;
    }

    fn figures(self, config: &Config) -> Figures {
        let (open, reached) = (self.open, self.reached);
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
            total: self.total,
            by_status: self.by_status,
            by_outcome: self.by_outcome,
            stages,
            sessions: self.sessions,
            minutes: self.minutes,
            stale: self.stale,
        }
    }
}

fn add_each(to: &mut [usize], from: &[usize]) {
    to.iter_mut().zip(from).for_each(|(t, f)| *t += f);
}

/// What the report needs of one counted case, worked out once.
struct Counted {
    state: CaseState,
    /// Sessions and minutes that count on the report's day.
    sessions: usize,
    minutes: u64,
}

/// Longest wait first, then by id.
fn by_days_then_id(a: &CaseRef, b: &CaseRef) -> std::cmp::Ordering {
    b.days.cmp(&a.days).then_with(|| a.id.cmp(&b.id))
}

impl<'c> Accumulator<'c> {
    pub fn new(config: &'c Config, options: &'c Options) -> Accumulator<'c> {
        Accumulator {
            config,
            options,
            as_of: options.replay.then_some(options.day),
            whole: Tally::new(config),
            by_coach: config
                .coaches
                .iter()
                .map(|c| (c.key.clone(), (0, 0)))
                .collect(),
            first_day: None,
            stays: vec![Vec::new(); config.stages.len()],
            lead: Vec::new(),
            events: BTreeMap::new(),
            open_cases: BTreeMap::new(),
            session_days: BTreeMap::new(),
            stale: Vec::new(),
            no_coach: Vec::new(),
            waiting: Vec::new(),
            forced: Vec::new(),
            programs: vec![Tally::new(config); config.programs.len()],
            breakdown: BTreeMap::new(),
            repositories: BTreeMap::new(),
            repos_seen: BTreeSet::new(),
        }
    }

    /// Counts one case.
    pub fn add(&mut self, input: Input) {
        let (config, options) = (self.config, self.options);
        let case = input.case;
        if !self.repos_seen.contains(input.repo) {
            self.repos_seen.insert(input.repo.to_string());
        }
        let Some(state) = state(case, config, self.as_of) else {
            return;
        };
        let as_of = self.as_of;
        let counts = |day: NaiveDate| crate::domain::AsOf::from(as_of).counts(day);
        let history: Vec<&HistoryEntry> = case
            .history_in_order()
            .into_iter()
            .filter(|e| counts(e.day()))
            .collect();

        // Sessions: coaching, and the caseload by day.
        let (mut sessions, mut minutes) = (0, 0u64);
        for s in case.sessions.iter().filter(|s| counts(s.date)) {
            sessions += 1;
            minutes += u64::from(s.minutes);
            bump(&mut self.by_coach, &s.coach, (1, u64::from(s.minutes)));
            let days = match self.session_days.get_mut(&s.coach) {
                Some(days) => days,
                None => self.session_days.entry(s.coach.clone()).or_default(),
            };
            let day = days.entry(s.date).or_default();
            day.0 += 1;
            day.1 += u64::from(s.minutes);
        }
        let counted = Counted {
            state,
            sessions,
            minutes,
        };

        // Figures of the whole, its programs and its groups.
        self.whole.add(&counted, config, options);
        if let Some(program) = &counted.state.program {
            for (p, tally) in config.programs.iter().zip(&mut self.programs) {
                if p.key == *program {
                    tally.add(&counted, config, options);
                }
            }
        }
        if let Some(by) = options.by {
            for key in group_keys(case, &counted.state, by, config) {
                self.breakdown
                    .entry(key)
                    .or_insert_with(|| Tally::new(config))
                    .add(&counted, config, options);
            }
        }
        match self.repositories.get_mut(input.repo) {
            Some(t) => t.add(&counted, config, options),
            None => {
                let mut t = Tally::new(config);
                t.add(&counted, config, options);
                self.repositories.insert(input.repo.to_string(), t);
            }
        }
        let created = case.created_day();
        self.first_day = Some(self.first_day.map_or(created, |d| d.min(created)));

        // Flow: stays in each stage, lead time, throughput events.
        let mut current = history
            .iter()
            .find(|e| e.is_move())
            .and_then(|e| e.from.as_deref())
            .unwrap_or(case.stage.as_str());
        let mut since = case.created;
        for e in history.iter().filter(|e| e.is_move()) {
            if let Some(i) = config.stage_index(current) {
                self.stays[i].push(days_between(since, e.at).max(0.0));
            }
            current = e.to.as_deref().unwrap_or_default();
            since = e.at;
        }
        if let Some(done) = history
            .iter()
            .find(|e| e.status == Some(Status::Closed) && e.outcome == Some(Outcome::Implemented))
        {
            self.lead.push(days_between(case.created, done.at).max(0.0));
        }
        self.events.entry(created).or_default().received += 1;
        // A forced entry without `to` let a new case into the stage it started in.
        let first_stage = case
            .history_in_order()
            .into_iter()
            .find(|e| e.is_move())
            .and_then(|e| e.from.clone())
            .unwrap_or_else(|| case.stage.clone());
        for e in history.iter().filter(|e| e.forced) {
            self.forced.push(ForcedMove {
                id: case.id.clone(),
                title: case.title.clone(),
                at: e.at,
                from: e.from.clone(),
                stage: e.to.clone().unwrap_or_else(|| first_stage.clone()),
                by: e.by.clone(),
                note: e.note.clone(),
            });
        }
        for e in &history {
            if let (Some(from), Some(to)) = (&e.from, &e.to)
                && let (Some(f), Some(t)) = (config.stage_index(from), config.stage_index(to))
                && t > f
            {
                self.events.entry(e.day()).or_default().moved_on += 1;
            }
            if e.status == Some(Status::Closed) {
                let day = self.events.entry(e.day()).or_default();
                day.closed += 1;
                if e.outcome == Some(Outcome::Implemented) {
                    day.implemented += 1;
                }
            }
        }

        // Caseload and attention: open cases only.
        let st = &counted.state;
        if st.status != Status::Open {
            return;
        }
        if let Some(coach) = &st.coach {
            *self.open_cases.entry(coach.clone()).or_default() += 1;
        }
        let day = options.day;
        let case_ref = |days: i64| CaseRef {
            id: case.id.clone(),
            title: case.title.clone(),
            stage: st.stage.clone(),
            coach: st.coach.clone(),
            unit: config.unit_name(&case.unit).to_string(),
            days,
        };
        if st.is_stale(day, config.stale_after_days) {
            self.stale.push(case_ref(st.idle_days(day)));
        }
        if st.coach.as_deref().is_none_or(str::is_empty) {
            self.no_coach
                .push(case_ref((day - case.created_day()).num_days().max(0)));
        }
        self.waiting.push(case_ref(
            (day - st.in_stage_since.date_naive()).num_days().max(0),
        ));
        if self.waiting.len() >= options.attention_limit.max(64).saturating_mul(2) {
            self.cut_waiting();
        }
    }

    /// Keeps only the longest waits (a stable sort, so that equal ones keep the order of
    /// their cases).
    fn cut_waiting(&mut self) {
        self.waiting.sort_by(by_days_then_id);
        self.waiting.truncate(self.options.attention_limit);
    }

    /// Adds the cases of `later`, which come after this accumulator's cases.
    pub fn merge(&mut self, later: Accumulator) {
        self.whole.merge(later.whole);
        for (coach, n) in later.by_coach {
            bump(&mut self.by_coach, &coach, n);
        }
        self.first_day = match (self.first_day, later.first_day) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        for (to, from) in self.stays.iter_mut().zip(later.stays) {
            to.extend(from);
        }
        self.lead.extend(later.lead);
        for (day, t) in later.events {
            let e = self.events.entry(day).or_default();
            e.received += t.received;
            e.moved_on += t.moved_on;
            e.closed += t.closed;
            e.implemented += t.implemented;
        }
        for (coach, n) in later.open_cases {
            *self.open_cases.entry(coach).or_default() += n;
        }
        for (coach, days) in later.session_days {
            let mine = self.session_days.entry(coach).or_default();
            for (day, (n, m)) in days {
                let e = mine.entry(day).or_default();
                e.0 += n;
                e.1 += m;
            }
        }
        self.stale.extend(later.stale);
        self.no_coach.extend(later.no_coach);
        self.waiting.extend(later.waiting);
        self.cut_waiting();
        self.forced.extend(later.forced);
        for (to, from) in self.programs.iter_mut().zip(later.programs) {
            to.merge(from);
        }
        for (key, t) in later.breakdown {
            match self.breakdown.get_mut(&key) {
                Some(mine) => mine.merge(t),
                None => {
                    self.breakdown.insert(key, t);
                }
            }
        }
        for (key, t) in later.repositories {
            match self.repositories.get_mut(&key) {
                Some(mine) => mine.merge(t),
                None => {
                    self.repositories.insert(key, t);
                }
            }
        }
        self.repos_seen.extend(later.repos_seen);
    }

    /// The report of every case added. `skipped_files` counts files that could not be
    /// read.
    pub fn finish(mut self, skipped_files: usize) -> Report {
        let (config, options) = (self.config, self.options);
        let until = options.until.unwrap_or(options.day);
        // The window never runs backwards: a first case after the window's end starts
        // it at its end (and so it is empty), never after it.
        let since = options
            .since
            .or(self.first_day.map(|first| first.min(until)))
            .unwrap_or(until);
        self.stale.sort_by(by_days_then_id);
        self.no_coach.sort_by(by_days_then_id);
        self.cut_waiting();
        let mut forced: Vec<ForcedMove> = std::mem::take(&mut self.forced)
            .into_iter()
            .filter(|f| (since..=until).contains(&f.at.date_naive()))
            .collect();
        forced.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
        let whole = self.whole.figures(config);
        let groups = |tallies: BTreeMap<String, Tally>| -> Vec<Group> {
            tallies
                .into_iter()
                .map(|(group, t)| Group {
                    group,
                    figures: t.figures(config),
                })
                .collect()
        };
        Report {
            name: config.name.clone(),
            as_of: options.day,
            as_of_from: if options.replay {
                AsOfSource::Option
            } else {
                AsOfSource::Today
            },
            total: whole.total,
            by_status: whole.by_status,
            by_outcome: whole.by_outcome,
            stages: whole.stages,
            coaching: Coaching {
                sessions: whole.sessions,
                minutes: whole.minutes,
                by_coach: self
                    .by_coach
                    .into_iter()
                    .map(|(coach, (sessions, minutes))| CoachFigures {
                        coach,
                        sessions,
                        minutes,
                    })
                    .collect(),
            },
            stale: whole.stale,
            skipped_files,
            replayed: options.replay,
            flow: Flow {
                since,
                until,
                period: options.period,
                time_in_stage: config
                    .stages
                    .iter()
                    .zip(self.stays)
                    .map(|(s, days)| StageTime {
                        key: s.key.clone(),
                        name: s.name.clone(),
                        days: Durations::of(days),
                    })
                    .collect(),
                lead_time: Durations::of(self.lead),
                throughput: throughput(&self.events, since, until, options.period),
            },
            caseload: caseload(self.open_cases, &self.session_days, config, since, until),
            attention: Attention {
                stale: self.stale,
                no_coach: self.no_coach,
                waiting_longest: self.waiting,
                forced,
            },
            programs: config
                .programs
                .iter()
                .zip(self.programs)
                .map(|(p, t)| ProgramFigures {
                    key: p.key.clone(),
                    name: p.name.clone(),
                    start: p.start,
                    end: p.end,
                    figures: t.figures(config),
                })
                .collect(),
            breakdown: options.by.map(|by| Breakdown {
                by,
                groups: groups(std::mem::take(&mut self.breakdown)),
            }),
            repositories: if self.repos_seen.len() > 1 {
                groups(self.repositories)
            } else {
                Vec::new()
            },
        }
    }
}

/// Adds `n` to the sessions and minutes of `coach`.
fn bump(map: &mut BTreeMap<String, (usize, u64)>, coach: &str, n: (usize, u64)) {
    let e = match map.get_mut(coach) {
        Some(e) => e,
        None => map.entry(coach.to_string()).or_default(),
    };
    e.0 += n.0;
    e.1 += n.1;
}

/// The groups a case counts in; a unit by the register's name, so that the ways cases
/// write one unit ("Samhällsbyggnad", "samhällsbyggnad") are one row.
fn group_keys(case: &Case, state: &CaseState, by: GroupBy, config: &Config) -> Vec<String> {
    let or_none = |v: Option<&String>| {
        v.filter(|s| !s.is_empty())
            .cloned()
            .unwrap_or_else(|| NO_GROUP.to_string())
    };
    match by {
        GroupBy::Unit => vec![or_none(Some(&config.unit_name(&case.unit).to_string()))],
        GroupBy::Program => vec![or_none(state.program.as_ref())],
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

fn days_between(a: DateTime<FixedOffset>, b: DateTime<FixedOffset>) -> f64 {
    (b - a).num_seconds() as f64 / 86_400.0
}

/// Throughput per period of `since..=until`, from the events of each day.
fn throughput(
    events: &BTreeMap<NaiveDate, Throughput>,
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
    if since <= until {
        for (day, t) in events.range(since..=until) {
            if let Some(b) = buckets.get_mut(&period.start_of(*day)) {
                b.received += t.received;
                b.moved_on += t.moved_on;
                b.closed += t.closed;
                b.implemented += t.implemented;
            }
        }
    }
    buckets.into_values().collect()
}

/// Open cases per coach, and sessions within `since..=until` that count on the report's
/// day (a `--until` after `--as-of` must not reveal later sessions: `session_days` holds
/// only those that count).
fn caseload(
    open_cases: BTreeMap<String, usize>,
    session_days: &BTreeMap<String, BTreeMap<NaiveDate, (usize, u64)>>,
    config: &Config,
    since: NaiveDate,
    until: NaiveDate,
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
    for (coach, n) in open_cases {
        entry(&mut loads, &coach);
        loads.get_mut(&coach).expect("just added").open_cases += n;
    }
    if since <= until {
        for (coach, days) in session_days {
            // Keyed by the month's first day; labelled once each.
            let mut months: BTreeMap<NaiveDate, (usize, u64)> = BTreeMap::new();
            for (day, (sessions, minutes)) in days.range(since..=until) {
                let m = months.entry(Period::Month.start_of(*day)).or_default();
                m.0 += sessions;
                m.1 += minutes;
            }
            if months.is_empty() {
                continue;
            }
            entry(&mut loads, coach);
            let load = loads.get_mut(coach).expect("just added");
            for (month, (sessions, minutes)) in months {
                load.sessions += sessions;
                load.minutes += minutes;
                load.by_month.push(MonthLoad {
                    month: Period::Month.label(month),
                    sessions,
                    minutes,
                });
            }
        }
    }
    loads.into_values().collect()
}
