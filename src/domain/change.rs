//! The changes a command makes to a case, decided here without touching the disk.
//!
//! Each function checks the rules and returns a [`Change`]: which fields to set or
//! remove and what to append. `storage::document` applies it to the file in place.

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::{Case, Config, HistoryEntry, Outcome, Session, Status, gate};
use crate::Error;

/// A value written into a top-level field of a case file.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Str(String),
}

/// An edit to one case file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Change {
    /// Top-level keys to set, in this order.
    pub set: Vec<(&'static str, FieldValue)>,
    /// Top-level keys to remove.
    pub remove: Vec<&'static str>,
    /// Strings to append to a top-level array (created when missing), edited in place.
    pub push: Vec<(&'static str, String)>,
    /// Strings to take out of a top-level array, edited in place.
    pub pull: Vec<(&'static str, String)>,
    pub history: Option<HistoryEntry>,
    pub session: Option<Session>,
    /// One line saying what happened, for output and commit messages.
    pub summary: String,
}

/// Who acts and when: stamped on every history entry.
#[derive(Debug, Clone)]
pub struct Actor {
    pub by: String,
    pub at: DateTime<FixedOffset>,
}

impl Actor {
    fn entry(&self) -> HistoryEntry {
        HistoryEntry {
            at: self.at,
            by: self.by.clone(),
            ..HistoryEntry::default()
        }
    }
}

fn short(case: &Case) -> &str {
    &case.id[..case.id.len().min(4)]
}

fn require_open(case: &Case, what: &str) -> Result<(), Error> {
    match case.status {
        Status::Open => Ok(()),
        Status::Parked => Err(Error::refused(
            format!("case {} is parked, so it cannot {what}", case.id),
            format!("reopen it first: `sluss reopen {}`", case.id),
        )),
        Status::Closed => Err(Error::refused(
            format!("case {} is closed, so it cannot {what}", case.id),
            format!("reopen it first: `sluss reopen {}`", case.id),
        )),
    }
}

/// Moves a case to `target` (or the next stage), checking gates on the way.
pub fn advance(
    case: &Case,
    config: &Config,
    target: Option<&str>,
    note: Option<&str>,
    force: bool,
    actor: &Actor,
) -> Result<Change, Error> {
    require_open(case, "move")?;
    let current = config
        .stage_index(&case.stage)
        .ok_or_else(|| Error::unknown("stage", &case.stage, config.stage_keys()))?;
    let to = match target {
        Some(key) => config
            .stage_index(key)
            .ok_or_else(|| Error::unknown("stage", key, config.stage_keys()))?,
        None if current + 1 < config.stages.len() => current + 1,
        None => {
            return Err(Error::refused(
                format!(
                    "case {} is already in the last stage, '{}'",
                    case.id, case.stage
                ),
                format!(
                    "close it instead: `sluss close {} --outcome implemented`",
                    case.id
                ),
            ));
        }
    };
    if to == current {
        return Err(Error::refused(
            format!("case {} is already in stage '{}'", case.id, case.stage),
            "name another stage with --to".to_string(),
        ));
    }
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if to < current && note.is_none() {
        return Err(Error::refused(
            format!(
                "moving case {} back from '{}' to '{}' needs a reason",
                case.id, case.stage, config.stages[to].key
            ),
            "add --note TEXT saying why".to_string(),
        ));
    }
    if force && note.is_none() {
        return Err(Error::refused(
            "--force needs --note".to_string(),
            "say why the gate is overridden: --force --note TEXT".to_string(),
        ));
    }
    if to > current {
        for stage in &config.stages[current + 1..=to] {
            gate::enter(stage, case, force, gate::Entry::Existing)?;
        }
    }
    let to_key = config.stages[to].key.clone();
    let entry = HistoryEntry {
        from: Some(case.stage.clone()),
        to: Some(to_key.clone()),
        note: note.map(str::to_string),
        ..actor.entry()
    };
    Ok(Change {
        set: vec![("stage", FieldValue::Str(to_key.clone()))],
        summary: format!("{}: {} → {}", short(case), case.stage, to_key),
        history: Some(entry),
        ..Change::default()
    })
}

/// Lets a new case into the stage it starts in (`case.stage`): its gate must be met,
/// as for `advance`, unless `force` with a note saying why. A note is recorded in the
/// case's history, by `actor` (asked for only then).
pub fn admit_new(
    case: &Case,
    config: &Config,
    note: Option<&str>,
    force: bool,
    actor: impl FnOnce() -> Result<Actor, Error>,
) -> Result<Option<HistoryEntry>, Error> {
    let note = clean(note);
    if force && note.is_none() {
        return Err(Error::refused(
            "--force needs --note".to_string(),
            "say why the gate is overridden: --force --note TEXT".to_string(),
        ));
    }
    let stage = config
        .stage(&case.stage)
        .ok_or_else(|| Error::unknown("stage", &case.stage, config.stage_keys()))?;
    gate::enter(stage, case, force, gate::Entry::New)?;
    match note {
        Some(note) => Ok(Some(HistoryEntry {
            note: Some(note),
            ..actor()?.entry()
        })),
        None => Ok(None),
    }
}

/// Parks an open case (waiting for something outside the sluice's hands).
pub fn park(case: &Case, note: &str, actor: &Actor) -> Result<Change, Error> {
    require_open(case, "be parked")?;
    Ok(status_change(case, Status::Parked, None, Some(note), actor))
}

/// Closes an open or parked case with an outcome.
pub fn close(
    case: &Case,
    outcome: Outcome,
    note: Option<&str>,
    actor: &Actor,
) -> Result<Change, Error> {
    if case.status == Status::Closed {
        return Err(Error::refused(
            format!("case {} is already closed", case.id),
            format!(
                "reopen it first if the outcome changed: `sluss reopen {}`",
                case.id
            ),
        ));
    }
    Ok(status_change(
        case,
        Status::Closed,
        Some(outcome),
        note,
        actor,
    ))
}

/// Reopens a parked or closed case.
pub fn reopen(case: &Case, note: Option<&str>, actor: &Actor) -> Result<Change, Error> {
    if case.status == Status::Open {
        return Err(Error::refused(
            format!("case {} is already open", case.id),
            "nothing to do".to_string(),
        ));
    }
    Ok(status_change(case, Status::Open, None, note, actor))
}

fn status_change(
    case: &Case,
    status: Status,
    outcome: Option<Outcome>,
    note: Option<&str>,
    actor: &Actor,
) -> Change {
    let mut change = Change {
        set: vec![("status", FieldValue::Str(status.as_str().to_string()))],
        history: Some(HistoryEntry {
            status: Some(status),
            outcome,
            note: note
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string),
            ..actor.entry()
        }),
        summary: match outcome {
            Some(o) => format!("{}: {} → {status} ({o})", short(case), case.status),
            None => format!("{}: {} → {status}", short(case), case.status),
        },
        ..Change::default()
    };
    match outcome {
        Some(o) => change
            .set
            .push(("outcome", FieldValue::Str(o.as_str().to_string()))),
        None => change.remove.push("outcome"),
    }
    change
}

/// Gives a case to another coach.
pub fn assign(case: &Case, config: &Config, coach: &str, actor: &Actor) -> Result<Change, Error> {
    if config.coach(coach).is_none() {
        return Err(Error::unknown("coach", coach, config.coach_keys()));
    }
    if case.coach.as_deref() == Some(coach) {
        return Err(Error::refused(
            format!("case {} is already with coach '{coach}'", case.id),
            "nothing to do".to_string(),
        ));
    }
    Ok(Change {
        set: vec![("coach", FieldValue::Str(coach.to_string()))],
        history: Some(HistoryEntry {
            coach: Some(coach.to_string()),
            previous_coach: Some(case.coach.clone().unwrap_or_default()),
            ..actor.entry()
        }),
        summary: format!(
            "{}: coach {} → {coach}",
            short(case),
            case.coach.as_deref().unwrap_or("none")
        ),
        ..Change::default()
    })
}

/// Logs a coaching session.
pub fn log_session(
    case: &Case,
    config: &Config,
    session: Session,
    today: NaiveDate,
) -> Result<Change, Error> {
    if config.coach(&session.coach).is_none() {
        return Err(Error::unknown("coach", &session.coach, config.coach_keys()));
    }
    if let Some(problem) = super::bounds::session_minutes_problem(i64::from(session.minutes)) {
        return Err(Error::refused(
            problem,
            format!(
                "give --minutes a whole number from 1 to {}",
                super::bounds::MAX_SESSION_MINUTES
            ),
        ));
    }
    if session.date > today {
        return Err(Error::refused(
            format!(
                "{} is in the future; the log records sessions that took place",
                session.date
            ),
            "log it on the day, or give --date of a past day".to_string(),
        ));
    }
    if session.date < case.created_day() {
        return Err(Error::refused(
            format!(
                "{} is before case {} was created ({})",
                session.date,
                short(case),
                case.created_day()
            ),
            format!(
                "a session is held on the case: give --date {} or later",
                case.created_day()
            ),
        ));
    }
    Ok(Change {
        summary: format!(
            "{}: session {} min with {} on {}",
            short(case),
            session.minutes,
            session.coach,
            session.date
        ),
        session: Some(session),
        ..Change::default()
    })
}

/// Puts a case into an innovation program (or moves it from another one).
pub fn join_program(
    case: &Case,
    config: &Config,
    program: &str,
    note: Option<&str>,
    actor: &Actor,
) -> Result<Change, Error> {
    if config.program(program).is_none() {
        return Err(Error::unknown("program", program, config.program_keys()));
    }
    if case.program.as_deref() == Some(program) {
        return Err(Error::refused(
            format!("case {} is already in program '{program}'", case.id),
            "nothing to do".to_string(),
        ));
    }
    Ok(Change {
        set: vec![("program", FieldValue::Str(program.to_string()))],
        history: Some(HistoryEntry {
            program: Some(program.to_string()),
            previous_program: Some(case.program.clone().unwrap_or_default()),
            note: clean(note),
            ..actor.entry()
        }),
        summary: match &case.program {
            Some(old) => format!("{}: program {old} → {program}", short(case)),
            None => format!("{}: joined program {program}", short(case)),
        },
        ..Change::default()
    })
}

/// Takes a case out of its program; the history records `program = ""`.
pub fn leave_program(case: &Case, note: Option<&str>, actor: &Actor) -> Result<Change, Error> {
    let Some(old) = case.program.as_deref().filter(|p| !p.is_empty()) else {
        return Err(Error::refused(
            format!("case {} is in no program", case.id),
            "nothing to do".to_string(),
        ));
    };
    Ok(Change {
        remove: vec!["program"],
        history: Some(HistoryEntry {
            program: Some(String::new()),
            previous_program: Some(old.to_string()),
            note: clean(note),
            ..actor.entry()
        }),
        summary: format!("{}: left program {old}", short(case)),
        ..Change::default()
    })
}

/// Names a partner-network member in a case. `is_member` says whether the key names a
/// member file; the command that read the network knows.
pub fn add_partner(
    case: &Case,
    member: &str,
    is_member: bool,
    note: Option<&str>,
    actor: &Actor,
) -> Result<Change, Error> {
    if !is_member {
        return Err(unknown_member(member));
    }
    if case.partners.iter().any(|p| p == member) {
        return Err(Error::refused(
            format!("case {} already names partner '{member}'", case.id),
            "nothing to do".to_string(),
        ));
    }
    Ok(Change {
        push: vec![("partners", member.to_string())],
        history: Some(HistoryEntry {
            partner_added: Some(member.to_string()),
            note: clean(note),
            ..actor.entry()
        }),
        summary: format!("{}: partner + {member}", short(case)),
        ..Change::default()
    })
}

/// Stops naming a partner in a case.
pub fn remove_partner(
    case: &Case,
    member: &str,
    note: Option<&str>,
    actor: &Actor,
) -> Result<Change, Error> {
    if !case.partners.iter().any(|p| p == member) {
        let named = if case.partners.is_empty() {
            "it names no partners".to_string()
        } else {
            format!("it names {}", case.partners.join(", "))
        };
        return Err(Error::refused(
            format!("case {} does not name partner '{member}'", case.id),
            named,
        ));
    }
    Ok(Change {
        pull: vec![("partners", member.to_string())],
        history: Some(HistoryEntry {
            partner_removed: Some(member.to_string()),
            note: clean(note),
            ..actor.entry()
        }),
        summary: format!("{}: partner − {member}", short(case)),
        ..Change::default()
    })
}

/// The longest result text `sluss result` accepts, in characters: a sentence or two
/// for a newsletter, not a report.
pub const MAX_RESULT_CHARS: usize = 600;

/// Gives a case its result text (what the idea brought about), or clears it with
/// `None`; the history records the text, or `result = ""` for a clearing.
pub fn set_result(case: &Case, text: Option<&str>, actor: &Actor) -> Result<Change, Error> {
    let Some(text) = text else {
        if case.result.is_none() {
            return Err(Error::refused(
                format!("case {} has no result text", case.id),
                "nothing to do".to_string(),
            ));
        }
        return Ok(Change {
            remove: vec!["result"],
            history: Some(HistoryEntry {
                result: Some(String::new()),
                ..actor.entry()
            }),
            summary: format!("{}: result cleared", short(case)),
            ..Change::default()
        });
    };
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::refused(
            "the result text is empty".to_string(),
            format!(
                "say what the idea brought about, or remove the text with `sluss result {} --clear`",
                case.id
            ),
        ));
    }
    // Line and paragraph separators break a line as a newline does; invisible
    // characters (a zero-width space, a bidi mark) would hide a name from the matcher
    // that keeps names out of published text.
    let unseen = |c: char| {
        c.is_control()
            || matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}'
                    | '\u{ad}' | '\u{61c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            )
    };
    if text.chars().any(unseen) {
        return Err(Error::refused(
            "the result text has a line break, a control character or an invisible character"
                .to_string(),
            "write it as one line: a sentence or two for the newsletter".to_string(),
        ));
    }
    let chars = text.chars().count();
    if chars > MAX_RESULT_CHARS {
        return Err(Error::refused(
            format!(
                "the result text is {chars} characters long; at most {MAX_RESULT_CHARS} are allowed"
            ),
            "shorten it to a sentence or two; the details belong in the case's notes".to_string(),
        ));
    }
    if case.result.as_deref() == Some(text) {
        return Err(Error::refused(
            format!("case {} already has this result text", case.id),
            "nothing to do".to_string(),
        ));
    }
    Ok(Change {
        set: vec![("result", FieldValue::Str(text.to_string()))],
        history: Some(HistoryEntry {
            result: Some(text.to_string()),
            ..actor.entry()
        }),
        summary: format!("{}: result set", short(case)),
        ..Change::default()
    })
}

/// The error for a partner key that names no member file.
pub fn unknown_member(key: &str) -> Error {
    Error::usage(
        format!("'{key}' is not a member of the partner network (no network/{key}.toml)"),
        "`sluss network list` shows the members; add one with `sluss network add KEY --organisation ORG --kind KIND`",
    )
}

fn clean(note: Option<&str>) -> Option<String> {
    note.map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
}
