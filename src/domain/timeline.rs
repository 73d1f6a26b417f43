//! A case's timeline: its history entries and coaching sessions as one sequence.
//!
//! A session has only a day, so the order is by day first; within a day the history
//! entries come before the sessions (a session is logged after the day's moves), entries
//! by their instant and sessions in file order. Ties keep file order, so the same file
//! always gives the same timeline.

use chrono::NaiveDate;

use super::{Case, HistoryEntry, Session};

/// One event of a case's timeline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event<'a> {
    History(&'a HistoryEntry),
    Session(&'a Session),
}

/// What a history entry did, by the keys it carries. An entry with several (a status
/// change that also assigns a coach) is named by the first that applies, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Move,
    Status,
    Coach,
    Program,
    Partner,
    /// Fields `sluss set` changed (title, tags …) with no key of their own.
    Set,
    Note,
    Session,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Move => "move",
            Kind::Status => "status",
            Kind::Coach => "coach",
            Kind::Program => "program",
            Kind::Partner => "partner",
            Kind::Set => "set",
            Kind::Note => "note",
            Kind::Session => "session",
        }
    }
}

impl Event<'_> {
    /// The day it happened (a history entry's day in its own offset).
    pub fn date(&self) -> NaiveDate {
        match self {
            Event::History(e) => e.day(),
            Event::Session(s) => s.date,
        }
    }

    /// Who acted: the history entry's author, or the coach who held the session.
    pub fn by(&self) -> &str {
        match self {
            Event::History(e) => &e.by,
            Event::Session(s) => &s.coach,
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Event::Session(_) => Kind::Session,
            Event::History(e) if e.to.is_some() || e.from.is_some() => Kind::Move,
            Event::History(e) if e.status.is_some() => Kind::Status,
            Event::History(e) if e.coach.is_some() => Kind::Coach,
            Event::History(e) if e.program.is_some() => Kind::Program,
            Event::History(e) if e.partner_added.is_some() || e.partner_removed.is_some() => {
                Kind::Partner
            }
            Event::History(e) if !e.set.is_empty() => Kind::Set,
            Event::History(_) => Kind::Note,
        }
    }
}

/// What a history entry did to the case's coach, in words: `coach erik → sara`, or
/// `coach → sara` when the entry does not say who had it before; `coach erik → none`
/// when it unassigned the case (`coach = ""`).
pub fn coach_words(e: &HistoryEntry) -> Option<String> {
    let coach = e.coach.as_deref()?;
    let coach = if coach.is_empty() { "none" } else { coach };
    Some(
        match e.previous_coach.as_deref().filter(|c| !c.is_empty()) {
            Some(before) => format!("coach {before} → {coach}"),
            None => format!("coach → {coach}"),
        },
    )
}

/// What a history entry did to the case's program and partners, in words: `program →
/// ip2019` (`program ip2018 → ip2019` when it says which program the case was in),
/// `left program` (`left program ip2018`), `partner + norrdata`, `partner − norrdata`.
pub fn program_and_partner_words(e: &HistoryEntry) -> Vec<String> {
    let mut words = Vec::new();
    let before = e.previous_program.as_deref().filter(|p| !p.is_empty());
    match (e.program.as_deref(), before) {
        (Some(""), Some(before)) => words.push(format!("left program {before}")),
        (Some(""), None) => words.push("left program".to_string()),
        (Some(p), Some(before)) => words.push(format!("program {before} → {p}")),
        (Some(p), None) => words.push(format!("program → {p}")),
        (None, _) => {}
    }
    if let Some(p) = &e.partner_added {
        words.push(format!("partner + {p}"));
    }
    if let Some(p) = &e.partner_removed {
        words.push(format!("partner − {p}"));
    }
    words.extend(e.tags_added.iter().map(|t| format!("tag + {t}")));
    words.extend(e.tags_removed.iter().map(|t| format!("tag − {t}")));
    match e.result.as_deref() {
        Some("") => words.push("result cleared".to_string()),
        Some(r) => words.push(format!("result: {r}")),
        None => {}
    }
    words
}

/// The case's history and sessions interleaved in time order.
pub fn timeline(case: &Case) -> Vec<Event<'_>> {
    let history = case.history.iter().enumerate().map(|(i, e)| {
        let key = (e.day(), 0u8, Some(e.at), i);
        (key, Event::History(e))
    });
    let sessions = case.sessions.iter().enumerate().map(|(i, s)| {
        let key = (s.date, 1u8, None, i);
        (key, Event::Session(s))
    });
    let mut events: Vec<_> = history.chain(sessions).collect();
    events.sort_by_key(|(key, _)| *key);
    events.into_iter().map(|(_, event)| event).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Description, Status};

    fn entry(at: &str, to: Option<&str>) -> HistoryEntry {
        HistoryEntry {
            at: chrono::DateTime::parse_from_rfc3339(at).unwrap(),
            by: "erik".into(),
            from: None,
            to: to.map(str::to_string),
            status: None,
            outcome: None,
            coach: None,
            program: None,
            partner_added: None,
            partner_removed: None,
            note: None,
            ..HistoryEntry::default()
        }
    }

    fn session(date: &str, minutes: u32) -> Session {
        Session {
            date: date.parse().unwrap(),
            coach: "sara".into(),
            minutes,
            kind: None,
            notes: None,
            next_steps: vec![],
        }
    }

    #[test]
    fn a_day_lists_its_history_before_its_sessions_and_ties_keep_file_order() {
        let case = Case {
            id: "x".into(),
            title: "x".into(),
            created: chrono::DateTime::parse_from_rfc3339("2019-01-01T09:00:00+01:00").unwrap(),
            stage: "a".into(),
            status: Status::Open,
            outcome: None,
            coach: None,
            unit: String::new(),
            program: None,
            tags: vec![],
            partners: vec![],
            result: None,
            follow_up: None,
            duplicate_of: None,
            handed_to: None,
            benefits: Vec::new(),
            adoptions: Vec::new(),
            submitter: None,
            description: Description::default(),
            // Out of order on purpose, as a hand-edited file may be.
            history: vec![
                entry("2019-03-05T15:00:00+01:00", Some("c")),
                entry("2019-03-05T09:00:00+01:00", Some("b")),
                entry("2019-03-04T23:30:00+01:00", None),
            ],
            sessions: vec![
                session("2019-03-05", 60),
                session("2019-03-04", 30),
                session("2019-03-05", 45),
            ],
        };
        let got: Vec<String> = timeline(&case)
            .iter()
            .map(|e| match e {
                Event::History(h) => format!("{} {}", e.date(), h.at.format("%H:%M")),
                Event::Session(s) => format!("{} {}min", e.date(), s.minutes),
            })
            .collect();
        assert_eq!(
            got,
            [
                "2019-03-04 23:30",
                "2019-03-04 30min",
                "2019-03-05 09:00",
                "2019-03-05 15:00",
                "2019-03-05 60min",
                "2019-03-05 45min",
            ]
        );
    }
}
