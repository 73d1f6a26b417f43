//! `sluss agenda`: a coach's day at a glance, computed once from the cases: the next
//! steps still open, the follow-ups that are due, the cases waiting longest and the new
//! cases nobody coaches yet. The command renders it as a table, JSON or an iCalendar
//! feed ([`ics`]).

pub mod ics;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::{Case, Config, Status, replay};

/// The agenda of one coach (or of everyone) on one day. Its JSON is this value, plain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agenda {
    /// The day it is for ("today": `--as-of`, `[reports] as_of`, else today).
    pub day: NaiveDate,
    /// Whose agenda: a coach's key, or `null` for everyone's (`--all`).
    pub coach: Option<String>,
    /// Next steps not yet done on `day`: overdue first, then by due day, then those
    /// without one by the day they were agreed; ties by case id and step number.
    pub next_steps: Vec<StepItem>,
    /// Cases whose follow-up day has come (`follow_up` on or before `day`), the
    /// earliest first.
    pub follow_ups: Vec<FollowUp>,
    /// Open cases waiting longest since anything happened, the longest first (at most
    /// `--top`).
    pub waiting: Vec<Waiting>,
    /// Open cases without a coach, the oldest first (everyone's, whoever asks).
    pub unassigned: Vec<Unassigned>,
    /// Coaching sessions held (the coach's, or everyone's), oldest first: the calendar
    /// feed's events, not shown in the table.
    pub sessions: Vec<SessionItem>,
}

/// An open next step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepItem {
    pub case: String,
    pub title: String,
    pub coach: Option<String>,
    /// Its number in the case, as `sluss step done ID N` takes it.
    pub step: usize,
    pub text: String,
    /// The day of the session that agreed on it.
    pub agreed: NaiveDate,
    pub due: Option<NaiveDate>,
    /// Days past its due day (0 when due on the day itself); `null` when not due yet
    /// or undated.
    pub overdue_days: Option<i64>,
}

/// A case whose follow-up day has come.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUp {
    pub case: String,
    pub title: String,
    pub coach: Option<String>,
    pub follow_up: NaiveDate,
    /// Days since the follow-up day (0 on the day).
    pub days_late: i64,
}

/// An open case and how long it has waited.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Waiting {
    pub case: String,
    pub title: String,
    pub coach: Option<String>,
    pub stage: String,
    pub idle_days: i64,
}

/// An open case without a coach.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unassigned {
    pub case: String,
    pub title: String,
    pub stage: String,
    pub created: NaiveDate,
}

/// A coaching session, for the calendar feed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionItem {
    pub case: String,
    pub title: String,
    pub coach: String,
    pub date: NaiveDate,
    pub minutes: u32,
    pub kind: Option<String>,
    /// The session's place among the case's sessions in its file (from 0): with the
    /// case id, what keeps its calendar event the same event from one feed to the next.
    pub index: usize,
}

/// What the agenda is asked for.
#[derive(Debug, Clone)]
pub struct Options {
    pub day: NaiveDate,
    /// Whether the cases are replayed to `day` (`--as-of` or `[reports] as_of`), so
    /// that what happened after it does not count.
    pub replay: bool,
    /// The coach whose agenda it is; `None` for everyone's.
    pub coach: Option<String>,
    /// How many waiting cases to show.
    pub top: usize,
}

/// The agenda of `cases` as `options` asks.
pub fn agenda(cases: &[Case], config: &Config, options: &Options) -> Agenda {
    let day = options.day;
    let as_of = crate::domain::AsOf::replaying(day, options.replay);
    let mine = |coach: Option<&str>| options.coach.is_none() || coach == options.coach.as_deref();
    let mut out = Agenda {
        day,
        coach: options.coach.clone(),
        next_steps: Vec::new(),
        follow_ups: Vec::new(),
        waiting: Vec::new(),
        unassigned: Vec::new(),
        sessions: Vec::new(),
    };
    for case in cases {
        let Some(state) = replay::state(case, config, as_of.day()) else {
            continue;
        };
        let coach = state.coach.as_deref();
        for (index, s) in case.sessions.iter().enumerate() {
            if as_of.counts(s.date) && mine(Some(&s.coach)) {
                out.sessions.push(SessionItem {
                    case: case.id.clone(),
                    title: case.title.clone(),
                    coach: s.coach.clone(),
                    date: s.date,
                    minutes: s.minutes,
                    kind: s.kind.clone(),
                    index,
                });
            }
        }
        if state.status == Status::Closed {
            continue;
        }
        // A step is the case's coach's to see to, or, on a case without one, the
        // coach's who agreed on it.
        for r in case.next_steps() {
            let open = r.step.done.is_none_or(|done| !as_of.counts(done));
            if !open || !as_of.counts(r.of.date) || !mine(coach.or(Some(&r.of.coach))) {
                continue;
            }
            out.next_steps.push(StepItem {
                case: case.id.clone(),
                title: case.title.clone(),
                coach: state.coach.clone(),
                step: r.number,
                text: r.step.text.clone(),
                agreed: r.of.date,
                due: r.step.due,
                overdue_days: r
                    .step
                    .due
                    .map(|due| (day - due).num_days())
                    .filter(|d| *d >= 0),
            });
        }
        if let Some(follow_up) = case.follow_up.filter(|f| *f <= day)
            && mine(coach)
        {
            out.follow_ups.push(FollowUp {
                case: case.id.clone(),
                title: case.title.clone(),
                coach: state.coach.clone(),
                follow_up,
                days_late: (day - follow_up).num_days(),
            });
        }
        if state.status != Status::Open {
            continue;
        }
        if coach.is_none() {
            out.unassigned.push(Unassigned {
                case: case.id.clone(),
                title: case.title.clone(),
                stage: state.stage.clone(),
                created: case.created_day(),
            });
        }
        if mine(coach) {
            out.waiting.push(Waiting {
                case: case.id.clone(),
                title: case.title.clone(),
                coach: state.coach.clone(),
                stage: state.stage.clone(),
                idle_days: state.idle_days(day),
            });
        }
    }
    out.next_steps.sort_by(|a, b| {
        // Overdue (and due today) first, the longest overdue first; then by due day;
        // undated last, the longest agreed first.
        let key = |s: &StepItem| (s.overdue_days.is_none(), s.due.is_none(), s.due, s.agreed);
        key(a)
            .cmp(&key(b))
            .then_with(|| a.case.cmp(&b.case))
            .then(a.step.cmp(&b.step))
    });
    out.follow_ups.sort_by(|a, b| {
        a.follow_up
            .cmp(&b.follow_up)
            .then_with(|| a.case.cmp(&b.case))
    });
    out.waiting.sort_by(|a, b| {
        b.idle_days
            .cmp(&a.idle_days)
            .then_with(|| a.case.cmp(&b.case))
    });
    out.waiting.truncate(options.top);
    out.unassigned
        .sort_by(|a, b| a.created.cmp(&b.created).then_with(|| a.case.cmp(&b.case)));
    out.sessions
        .sort_by(|a, b| (a.date, &a.case, a.index).cmp(&(b.date, &b.case, b.index)));
    out
}
