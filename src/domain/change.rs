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
    /// A day, written as a TOML local date (`follow_up = 2026-12-10`).
    Date(NaiveDate),
}

/// An edit to one case file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Change {
    /// Top-level keys to set, in this order.
    pub set: Vec<(&'static str, FieldValue)>,
    /// Top-level keys to remove.
    pub remove: Vec<&'static str>,
    /// Keys to set inside a top-level table (`("description", "need", ..)`), the table
    /// created when missing.
    pub set_in: Vec<(&'static str, &'static str, FieldValue)>,
    /// Strings to append to a top-level array (created when missing), edited in place.
    pub push: Vec<(&'static str, String)>,
    /// Strings to take out of a top-level array, edited in place.
    pub pull: Vec<(&'static str, String)>,
    pub history: Option<HistoryEntry>,
    pub session: Option<Session>,
    /// A benefit to append to `[[benefits]]`.
    pub benefit: Option<super::Benefit>,
    /// An adoption to append to `[[adoptions]]`.
    pub adoption: Option<super::Adoption>,
    /// Next steps to mark done: the session's index in the file, the step's index in
    /// it, and the day.
    pub steps_done: Vec<(usize, usize, NaiveDate)>,
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
    let from_name = config.stage_name(&case.stage);
    let to = match target {
        Some(word) => config
            .stage_index(&config.find_stage(word)?.key)
            .expect("a stage found is in the list"),
        None if current + 1 < config.stages.len() => current + 1,
        None => {
            return Err(Error::refused(
                format!("case {} is already in the last stage, {from_name}", case.id),
                format!(
                    "close it instead: `sluss close {} --outcome implemented`",
                    case.id
                ),
            ));
        }
    };
    if to == current {
        return Err(Error::refused(
            format!("case {} is already in stage {from_name}", case.id),
            "name another stage with --to".to_string(),
        ));
    }
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if to < current && note.is_none() {
        return Err(Error::refused(
            format!(
                "moving case {} back from {from_name} to {} needs a reason",
                case.id, config.stages[to].name
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
    let mut forced = false;
    if to > current {
        for stage in &config.stages[current + 1..=to] {
            forced |= gate::enter(stage, case, force, gate::Entry::Existing)?;
        }
    }
    let to_key = config.stages[to].key.clone();
    let entry = HistoryEntry {
        from: Some(case.stage.clone()),
        to: Some(to_key.clone()),
        note: note.map(str::to_string),
        forced,
        ..actor.entry()
    };
    Ok(Change {
        set: vec![("stage", FieldValue::Str(to_key.clone()))],
        summary: format!("{}: {from_name} → {}", short(case), config.stages[to].name),
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
    let forced = gate::enter(stage, case, force, gate::Entry::New)?;
    match note {
        Some(note) => Ok(Some(HistoryEntry {
            note: Some(note),
            forced,
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

/// Gives a case to another coach, named by key or name (see [`Config::find_coach`]);
/// a coach who has left (`active = false`) is refused. `note` says why, in history.
pub fn assign(
    case: &Case,
    config: &Config,
    coach: &str,
    note: Option<&str>,
    actor: &Actor,
) -> Result<Change, Error> {
    let coach = config.find_coach(coach)?;
    require_active(config, coach)?;
    let coach = coach.key.as_str();
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
            note: clean(note),
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

/// Takes a case from its coach; the history records `coach = ""` with the coach it had.
pub fn unassign(case: &Case, note: Option<&str>, actor: &Actor) -> Result<Change, Error> {
    let Some(old) = case.coach.as_deref().filter(|c| !c.is_empty()) else {
        return Err(Error::refused(
            format!("case {} has no coach", case.id),
            format!(
                "nothing to do; give it to a coach with `sluss assign {} COACH`",
                case.id
            ),
        ));
    };
    Ok(Change {
        remove: vec!["coach"],
        history: Some(HistoryEntry {
            coach: Some(String::new()),
            previous_coach: Some(old.to_string()),
            note: clean(note),
            ..actor.entry()
        }),
        summary: format!("{}: coach {old} → none", short(case)),
        ..Change::default()
    })
}

/// Refuses new work for a coach who has left (`active = false` in sluss.toml), with a
/// hint naming the active coaches.
pub fn require_active(config: &Config, coach: &super::Coach) -> Result<(), Error> {
    if coach.active {
        return Ok(());
    }
    let active: Vec<String> = config
        .coaches
        .iter()
        .filter(|c| c.active)
        .map(|c| format!("{} ({})", c.key, c.name))
        .collect();
    let hint = if active.is_empty() {
        format!(
            "no coach is active; bring one back with `sluss coach activate {}`",
            coach.key
        )
    } else {
        format!(
            "choose an active coach: {} (or `sluss coach activate {}` if {} is back)",
            active.join(", "),
            coach.key,
            coach.name
        )
    };
    Err(Error::refused(
        format!(
            "coach '{}' ({}) has left (active = false in sluss.toml)",
            coach.key, coach.name
        ),
        hint,
    ))
}

/// Logs a coaching session.
pub fn log_session(
    case: &Case,
    config: &Config,
    session: Session,
    today: NaiveDate,
) -> Result<Change, Error> {
    match config.coach(&session.coach) {
        None => return Err(Error::unknown("coach", &session.coach, config.coach_keys())),
        Some(coach) => require_active(config, coach)?,
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
    for step in &session.next_steps {
        if step.text.trim().is_empty() {
            return Err(Error::refused(
                "--next-step is empty",
                "give --next-step the step agreed on, as one line of plain text",
            ));
        }
        if step.text.chars().any(unseen) {
            return Err(Error::refused(
                format!(
                    "--next-step '{}' has a line break, a control character or an invisible character",
                    step.text.escape_debug()
                ),
                "write --next-step as one line of plain text",
            ));
        }
        if let Some(due) = step.due
            && let Some(problem) = super::bounds::day_ahead_problem(
                "due day",
                due,
                session.date,
                "the session that agrees on the step",
                today,
            )
        {
            return Err(Error::refused(
                problem,
                format!(
                    "give --due a day from {} to {}: 2026-12-10, imorgon, +7d, fredag (the next one)",
                    session.date,
                    super::bounds::latest_day_ahead(today)
                ),
            ));
        }
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

/// Marks a next step of `case` done on `day`: the step `which` names by its number in
/// the case (`2`) or its text (whole, or a unique part of it, folded), or the only open
/// one when `which` is `None`. Recorded in the step (`done = DAY`) and in history.
/// `day` is neither after `today` nor before the session that agreed on the step.
pub fn mark_step_done(
    case: &Case,
    which: Option<&str>,
    day: NaiveDate,
    today: NaiveDate,
    actor: &Actor,
) -> Result<Change, Error> {
    let steps = case.next_steps();
    let open: Vec<_> = steps.iter().filter(|s| s.step.is_open()).collect();
    let listing = || {
        if open.is_empty() {
            format!("case {} has no open next step", case.id)
        } else {
            let list: Vec<String> = open
                .iter()
                .map(|s| format!("{}: {}", s.number, s.step.text))
                .collect();
            format!("open next steps: {}", list.join("; "))
        }
    };
    let found = match which.map(str::trim) {
        None | Some("") => match open.as_slice() {
            [only] => *only,
            [] => {
                return Err(Error::refused(
                    format!("case {} has no open next step", case.id),
                    format!("add one with `sluss session {} --next-step TEXT`", case.id),
                ));
            }
            _ => {
                return Err(Error::refused(
                    format!(
                        "case {} has {} open next steps; say which",
                        case.id,
                        open.len()
                    ),
                    listing(),
                ));
            }
        },
        Some(word) => match word.parse::<usize>() {
            Ok(n) => match steps.iter().find(|s| s.number == n) {
                Some(step) => step,
                None => {
                    return Err(Error::refused(
                        format!("case {} has no next step {n}", case.id),
                        listing(),
                    ));
                }
            },
            Err(_) => find_step(&steps, word).map_err(|problem| {
                Error::refused(format!("case {}: {problem}", case.id), listing())
            })?,
        },
    };
    if let Some(done) = found.step.done {
        return Err(Error::refused(
            format!(
                "next step {} of case {} ({}) was done on {done}",
                found.number, case.id, found.step.text
            ),
            listing(),
        ));
    }
    if day > today {
        return Err(Error::refused(
            format!("{day} is in the future; a step is marked done when it has been done"),
            "leave out --date, or give a past day",
        ));
    }
    if day < found.of.date {
        return Err(Error::refused(
            format!(
                "{day} is before the session of {} that agreed on the step",
                found.of.date
            ),
            format!("give --date {} or later", found.of.date),
        ));
    }
    let mut entry = actor.entry();
    entry.note = Some(format!("next step done: {}", found.step.text));
    Ok(Change {
        summary: format!(
            "{}: next step {} done: {}",
            short(case),
            found.number,
            found.step.text
        ),
        history: Some(entry),
        steps_done: vec![(found.session, found.index, day)],
        ..Change::default()
    })
}

/// The open step whose text is `word` (folded), else the one open step whose text
/// contains it.
fn find_step<'s, 'a>(
    steps: &'s [super::case::StepRef<'a>],
    word: &str,
) -> Result<&'s super::case::StepRef<'a>, String> {
    use super::words::fold;
    let wanted = fold(word);
    let open = || steps.iter().filter(|s| s.step.is_open());
    let same: Vec<_> = open().filter(|s| fold(&s.step.text) == wanted).collect();
    match same.as_slice() {
        [one] => return Ok(one),
        [] => {}
        many => {
            let numbers: Vec<String> = many.iter().map(|s| s.number.to_string()).collect();
            return Err(format!(
                "'{word}' is the text of open next steps {}; say which by its number",
                numbers.join(", ")
            ));
        }
    }
    let containing: Vec<_> = open()
        .filter(|s| fold(&s.step.text).contains(&wanted))
        .collect();
    match containing.as_slice() {
        [one] => Ok(one),
        [] => Err(format!("no open next step reads '{word}'")),
        _ => Err(format!(
            "{} open next steps contain '{word}'; give its number",
            containing.len()
        )),
    }
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
    let named = super::words::keys(&case.partners);
    let Some(member) = super::words::find(member, named.clone()) else {
        let hint = match (
            super::words::suggest(member, named),
            case.partners.is_empty(),
        ) {
            (_, true) => "it names no partners".to_string(),
            (Some(near), false) => format!(
                "did you mean '{near}'? it names {}",
                case.partners.join(", ")
            ),
            (None, false) => format!("it names {}", case.partners.join(", ")),
        };
        return Err(Error::refused(
            format!("case {} does not name partner '{member}'", case.id),
            hint,
        ));
    };
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

/// A character that does not belong in one line of published text: a control
/// character (a line break among them), or one that breaks a line as a newline does
/// (line and paragraph separators), or an invisible one (a zero-width space, a bidi
/// mark) that would hide a name from the matcher that keeps names out of published text.
pub(crate) fn unseen(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}'
                | '\u{ad}' | '\u{61c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Whether `text` holds a character that does not belong in one line of text (see
/// `unseen`): a line break, ESC or another control, an invisible character.
pub fn has_unseen(text: &str) -> bool {
    text.chars().any(unseen)
}

/// Refuses a register name (`coach add`, `unit add`, `program add`) with a line break,
/// a control character (ESC among them) or an invisible character, as `set --title`
/// refuses such a title.
pub fn check_register_name(what: &str, name: &str) -> Result<(), Error> {
    if has_unseen(name) {
        return Err(Error::refused(
            format!(
                "the {what}'s name has a line break, a control character or an invisible character"
            ),
            "write --name as one line of plain text",
        ));
    }
    Ok(())
}

/// The longest title `sluss set` accepts, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// The longest need or idea text `sluss set` accepts, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;
/// The longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 60;

/// What `sluss set` changes in a case; `None` (or an empty list) leaves a field as it
/// is. Names are resolved already: `unit` as the register names it, `program` a key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Edits {
    pub title: Option<String>,
    pub need: Option<String>,
    pub idea: Option<String>,
    pub result: Option<String>,
    pub unit: Option<String>,
    /// Tags to add; one the case has already (folded alike) is left as it is.
    pub tags_add: Vec<String>,
    /// Tags to take out, matched folded; one the case does not have is left out.
    pub tags_remove: Vec<String>,
    /// `Some(None)`: out of its program.
    pub program: Option<Option<String>>,
    /// `Some(None)`: no follow-up day.
    pub follow_up: Option<Option<NaiveDate>>,
    /// Why, recorded in the history entry (it changes nothing by itself).
    pub note: Option<String>,
}

impl Edits {
    /// Whether it asks for no change at all (a note alone changes nothing).
    pub fn is_empty(&self) -> bool {
        *self
            == Edits {
                note: self.note.clone(),
                ..Edits::default()
            }
    }

    /// Refuses text that no case may hold, before any case is read: an empty or
    /// over-long title, need, idea or tag, a line break in a title or tag, a control or
    /// invisible character; the result text as `sluss result` checks it.
    pub fn check(&self) -> Result<(), Error> {
        let long = |flag: &str, text: &str, max: usize| -> Result<(), Error> {
            let chars = text.trim().chars().count();
            if chars > max {
                return Err(Error::refused(
                    format!("{flag} is {chars} characters long; at most {max} are allowed"),
                    format!("shorten {flag}; the details belong in the case's notes"),
                ));
            }
            Ok(())
        };
        let one_line = |flag: &str, text: &str, max: usize| -> Result<(), Error> {
            if text.trim().is_empty() {
                return Err(Error::refused(
                    format!("{flag} is empty"),
                    format!("give {flag} a value"),
                ));
            }
            if text.chars().any(unseen) {
                return Err(Error::refused(
                    format!(
                        "{flag} has a line break, a control character or an invisible character"
                    ),
                    format!("write {flag} as one line of plain text"),
                ));
            }
            long(flag, text, max)
        };
        if let Some(t) = &self.title {
            one_line("--title", t, MAX_TITLE_CHARS)?;
        }
        for (flag, text) in [("--need", &self.need), ("--idea", &self.idea)] {
            if let Some(text) = text {
                if text.trim().is_empty() {
                    return Err(Error::refused(
                        format!("{flag} is empty"),
                        format!("give {flag} a value"),
                    ));
                }
                // Line breaks and tabs are text here; other controls and invisible
                // characters are not.
                if text.chars().any(|c| c != '\n' && c != '\t' && unseen(c)) {
                    return Err(Error::refused(
                        format!("{flag} has a control character or an invisible character"),
                        format!("write {flag} as plain text"),
                    ));
                }
                long(flag, text, MAX_DESCRIPTION_CHARS)?;
            }
        }
        if let Some(u) = &self.unit {
            one_line("--unit", u, MAX_TITLE_CHARS)?;
        }
        for tag in self.tags_add.iter().chain(&self.tags_remove) {
            one_line("a tag", tag, MAX_TAG_CHARS)?;
        }
        for tag in &self.tags_add {
            check_tag_separators(tag)?;
        }
        Ok(())
    }
}

/// Refuses a tag holding `,` or `;`: a filter splits its words at commas and CSV at
/// the dialect's separator, so such a tag could be neither found nor read back.
pub fn check_tag_separators(tag: &str) -> Result<(), Error> {
    match tag.chars().find(|c| matches!(c, ',' | ';')) {
        Some(c) => Err(Error::refused(
            format!("the tag '{}' has a '{c}'", tag.trim()),
            "a tag is one word or phrase without ',' or ';'; give several tags as +a +b (set) or --tag a --tag b (new)",
        )),
        None => Ok(()),
    }
}

/// Makes the changes `edits` asks for in `case`, recorded in one history entry by
/// `actor`: the fields changed in `set`, a program as `program`/`previous_program`, a
/// result text as `result`. A field already as asked is left out; `Ok(None)` when
/// nothing would change. `known_tags` spell a new tag as the portfolio already does.
pub fn set_fields(
    case: &Case,
    edits: &Edits,
    known_tags: &[String],
    actor: &Actor,
) -> Result<Option<Change>, Error> {
    use super::words::fold;
    edits.check()?;
    let mut change = Change::default();
    let mut entry = actor.entry();
    let mut said: Vec<String> = Vec::new();
    if let Some(title) = edits.title.as_deref().map(str::trim)
        && title != case.title
    {
        change
            .set
            .push(("title", FieldValue::Str(title.to_string())));
        entry.set.push("title".into());
        said.push(format!("title “{title}”"));
    }
    for (key, old, new) in [
        ("need", &case.description.need, &edits.need),
        ("idea", &case.description.idea, &edits.idea),
    ] {
        if let Some(new) = new.as_deref().map(str::trim)
            && old.as_deref() != Some(new)
        {
            change
                .set_in
                .push(("description", key, FieldValue::Str(new.to_string())));
            entry.set.push(key.into());
            said.push(key.to_string());
        }
    }
    if let Some(unit) = edits.unit.as_deref().map(str::trim)
        && unit != case.unit
    {
        change.set.push(("unit", FieldValue::Str(unit.to_string())));
        entry.set.push("unit".into());
        said.push(format!("unit {unit}"));
    }
    let mut tags: Vec<String> = case.tags.clone();
    let mut tag_words = Vec::new();
    for tag in edits.tags_remove.iter().map(|t| t.trim()) {
        let wanted = fold(tag);
        let gone: Vec<String> = tags.iter().filter(|t| fold(t) == wanted).cloned().collect();
        for t in gone {
            tags.retain(|x| *x != t);
            tag_words.push(format!("-{t}"));
            entry.tags_removed.push(t.clone());
            change.pull.push(("tags", t));
        }
    }
    for tag in edits.tags_add.iter().map(|t| t.trim()) {
        let wanted = fold(tag);
        if tags.iter().any(|t| fold(t) == wanted) {
            continue;
        }
        let spelled = known_tags
            .iter()
            .find(|t| fold(t) == wanted)
            .map_or(tag, String::as_str)
            .to_string();
        tags.push(spelled.clone());
        tag_words.push(format!("+{spelled}"));
        entry.tags_added.push(spelled.clone());
        change.push.push(("tags", spelled));
    }
    if !tag_words.is_empty() {
        entry.set.push("tags".into());
        said.push(format!("tags {}", tag_words.join(" ")));
    }
    if let Some(Some(d)) = edits.follow_up
        && Some(d) != case.follow_up
        && let Some(problem) = super::bounds::day_ahead_problem(
            "follow-up",
            d,
            case.created_day(),
            "the case was created",
            case.today_at(actor.at),
        )
    {
        return Err(Error::refused(
            format!("case {}: {problem}", short(case)),
            format!(
                "give --follow-up a day from {} to {}: 2026-12-10, tomorrow, +2w, friday (the next one)",
                case.created_day(),
                super::bounds::latest_day_ahead(case.today_at(actor.at))
            ),
        ));
    }
    if let Some(day) = edits.follow_up
        && day != case.follow_up
    {
        match day {
            Some(d) => {
                change.set.push(("follow_up", FieldValue::Date(d)));
                said.push(format!("follow-up {d}"));
            }
            None => {
                change.remove.push("follow_up");
                said.push("no follow-up".to_string());
            }
        }
        entry.set.push("follow_up".into());
    }
    if let Some(program) = &edits.program
        && *program != case.program
    {
        match program {
            Some(p) => {
                change.set.push(("program", FieldValue::Str(p.clone())));
                said.push(format!("program {p}"));
            }
            None => {
                change.remove.push("program");
                said.push("no program".to_string());
            }
        }
        entry.program = Some(program.clone().unwrap_or_default());
        entry.previous_program = Some(case.program.clone().unwrap_or_default());
    }
    if let Some(text) = edits.result.as_deref()
        && case.result.as_deref() != Some(text.trim())
    {
        let result = set_result(case, Some(text), actor)?;
        change.set.extend(result.set);
        entry.result = result.history.and_then(|h| h.result);
        said.push("result".to_string());
    }
    if said.is_empty() {
        return Ok(None);
    }
    entry.note = clean(edits.note.as_deref());
    change.summary = format!("{}: {}", short(case), said.join(", "));
    change.history = Some(entry);
    Ok(Some(change))
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
