//! A case's state on a given day, replayed from its history (the spec's semantics).

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::{Case, Config, HistoryEntry, Outcome, Status};

/// Where a case stood on a day, and what it had been through by then.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseState {
    pub stage: String,
    pub status: Status,
    pub outcome: Option<Outcome>,
    pub coach: Option<String>,
    /// The program the case was in (the current one without `--as-of`).
    pub program: Option<String>,
    /// Pipeline index of the furthest stage the case has held, if any is known.
    pub furthest: Option<usize>,
    /// The latest of `created`, counted history entries and counted sessions.
    pub last_activity: NaiveDate,
    /// When the case entered its current stage (its creation if it never moved).
    pub in_stage_since: DateTime<FixedOffset>,
}

impl CaseState {
    /// Whole days from the last activity to `day`; never less than none (a record
    /// dated after `day` in its own offset is active today).
    pub fn idle_days(&self, day: NaiveDate) -> i64 {
        (day - self.last_activity).num_days().max(0)
    }

    /// The spec's staleness: open, and idle for more than `stale_after_days`.
    pub fn is_stale(&self, day: NaiveDate, stale_after_days: u32) -> bool {
        self.status == Status::Open && self.idle_days(day) > i64::from(stale_after_days)
    }

    pub fn reached(&self, stage_index: usize) -> bool {
        self.furthest.is_some_and(|f| f >= stage_index)
    }
}

/// The state of `case` as of `as_of` (inclusive), or its recorded state when `as_of` is
/// `None`. Returns `None` when the case did not exist yet on that day.
pub fn state(case: &Case, config: &Config, as_of: Option<NaiveDate>) -> Option<CaseState> {
    let as_of = crate::domain::AsOf::from(as_of);
    if !as_of.counts(case.created_day()) {
        return None;
    }
    let replaying = as_of.day().is_some();
    let counts = |day: NaiveDate| as_of.counts(day);
    let history = case.history_in_order();

    let mut furthest: Option<usize> = None;
    let mut hold = |key: &str| {
        if let Some(i) = config.stage_index(key) {
            furthest = Some(furthest.map_or(i, |f| f.max(i)));
        }
    };

    let mut state = if replaying {
        let initial = history
            .iter()
            .find(|e| e.is_move())
            .and_then(|e| e.from.clone())
            .unwrap_or_else(|| case.stage.clone());
        CaseState {
            stage: initial,
            status: Status::Open,
            outcome: None,
            coach: initial_value(
                &history,
                |e| e.coach.is_some(),
                |e| &e.previous_coach,
                &case.coach,
            ),
            program: initial_value(
                &history,
                |e| e.program.is_some(),
                |e| &e.previous_program,
                &case.program,
            ),
            furthest: None,
            last_activity: case.created_day(),
            in_stage_since: case.created,
        }
    } else {
        CaseState {
            stage: case.stage.clone(),
            status: case.status,
            outcome: case.outcome,
            coach: case.coach.clone(),
            program: case.program.clone(),
            furthest: None,
            last_activity: case.created_day(),
            in_stage_since: case.created,
        }
    };
    if replaying {
        hold(&state.stage);
    } else {
        hold(&case.stage);
    }

    for entry in history.iter().filter(|e| counts(e.day())) {
        state.last_activity = state.last_activity.max(entry.day());
        if let Some(to) = &entry.to {
            if let Some(from) = &entry.from {
                hold(from);
            }
            hold(to);
            state.in_stage_since = entry.at;
            if replaying {
                state.stage = to.clone();
            }
        }
        if replaying {
            if let Some(s) = entry.status {
                state.status = s;
                state.outcome = entry.outcome;
            }
            if let Some(c) = &entry.coach {
                state.coach = Some(c.clone()).filter(|c| !c.is_empty());
            }
            if let Some(p) = &entry.program {
                state.program = Some(p.clone()).filter(|p| !p.is_empty());
            }
        }
    }
    for session in case.sessions.iter().filter(|s| counts(s.date)) {
        state.last_activity = state.last_activity.max(session.date);
    }
    state.furthest = furthest;
    Some(state)
}

/// What a case's coach or program was when it was created: what the first entry that
/// changed it says it was before (`""`: none). Without such an entry it never changed,
/// and the current value is the first. Older files do not say what came before; then
/// the current value stands in, too.
fn initial_value(
    history: &[&HistoryEntry],
    changes: impl Fn(&HistoryEntry) -> bool,
    previous: impl Fn(&HistoryEntry) -> &Option<String>,
    current: &Option<String>,
) -> Option<String> {
    match history.iter().find(|e| changes(e)) {
        Some(first) => match previous(first) {
            Some(before) => Some(before.clone()).filter(|b| !b.is_empty()),
            None => current.clone(),
        },
        None => current.clone(),
    }
}

/// The partners a case named as of `as_of` (inclusive), or its recorded `partners` when
/// `as_of` is `None`. Replayed backwards from the recorded list: a partner added after
/// the day was not named yet, one removed after it still was. (Partners named when the
/// case was registered have no history entry; they count from its creation.)
pub fn partners_as_of(case: &Case, as_of: Option<NaiveDate>) -> Vec<String> {
    let mut partners = case.partners.clone();
    let as_of = crate::domain::AsOf::from(as_of);
    if as_of.day().is_none() {
        return partners;
    }
    for entry in case.history_in_order().into_iter().rev() {
        if as_of.counts(entry.day()) {
            break;
        }
        if let Some(added) = &entry.partner_added {
            partners.retain(|p| p != added);
        }
        if let Some(removed) = &entry.partner_removed
            && !partners.contains(removed)
        {
            partners.push(removed.clone());
        }
    }
    partners
}
