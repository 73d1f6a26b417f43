//! Rules a case must keep beyond its TOML types: keys that `sluss.toml` defines, a
//! status and outcome that agree, fields that agree with the history, and sessions
//! within bounds. Used after `edit`; `check` builds on it and locates each problem.

use std::collections::BTreeMap;

use super::{Case, Config, Outcome, Status};

/// The problems of `case` under `config`, each a sentence naming the key.
pub fn problems(case: &Case, config: &Config) -> Vec<String> {
    let mut problems = Vec::new();
    if config.stage(&case.stage).is_none() {
        problems.push(format!(
            "stage '{}' is not a stage in sluss.toml (known: {})",
            case.stage,
            config.stage_keys().join(", ")
        ));
    }
    if let Some(coach) = &case.coach
        && config.coach(coach).is_none()
    {
        problems.push(if coach.trim().is_empty() {
            format!(
                "coach is empty; to take the case's coach away, delete the coach line (recorded as `sluss unassign` records it), or run `sluss unassign {} --note TEXT`",
                case.id
            )
        } else {
            let hint = match config.find_coach(coach) {
                Ok(known) => format!("write its key: coach = \"{}\"", known.key),
                Err(e) => e.hint().unwrap_or_default(),
            };
            format!("coach '{coach}' is not a coach in sluss.toml ({hint})")
        });
    }
    if let Some(program) = &case.program
        && config.program(program).is_none()
    {
        problems.push(format!(
            "program '{program}' is not a program in sluss.toml"
        ));
    }
    if !case.unit.trim().is_empty()
        && !config.units.is_empty()
        && config.find_unit(&case.unit).is_err()
    {
        problems.push(format!(
            "unit '{}' is not in the units register of sluss.toml ({}; {})",
            case.unit,
            UNKNOWN_UNIT_HINT,
            config.unknown_unit_hint(&case.unit)
        ));
    }
    for (first, again) in repeated_tags(&case.tags) {
        let (message, hint) = repeated_tag(&first, &again);
        problems.push(format!("{message} ({hint})"));
    }
    match (case.status, case.outcome) {
        (Status::Closed, None) => {
            problems.push("a closed case needs an outcome".to_string());
        }
        (status, Some(_)) if status != Status::Closed => {
            problems.push(format!(
                "outcome is set but the case is {status}; only closed cases have one"
            ));
        }
        _ => {}
    }
    if case.title.trim().is_empty() {
        problems.push("title is empty".to_string());
    }
    for s in &case.sessions {
        problems.extend(super::bounds::session_minutes_problem(i64::from(s.minutes)));
    }
    problems.extend(history_disagreements(case).into_iter().map(|d| d.message));
    problems
}

/// What to do about a unit outside a non-empty units register (`check` and `edit`).
pub const UNKNOWN_UNIT_HINT: &str = "write a unit of the register, or add this one with `sluss unit add KEY --name NAME` (`sluss unit list` shows how the cases write units)";

/// Tags that repeat an earlier tag of the list as the same word (folded: case, Swedish
/// letters, `-`/`_`/spaces), each with the earlier spelling: `(first, again)`.
pub fn repeated_tags(tags: &[String]) -> Vec<(String, String)> {
    let mut seen: Vec<(String, &String)> = Vec::new();
    let mut repeated = Vec::new();
    for tag in tags {
        let folded = super::words::fold(tag);
        match seen.iter().find(|(f, _)| *f == folded) {
            Some((_, first)) => repeated.push(((*first).clone(), tag.clone())),
            None => seen.push((folded, tag)),
        }
    }
    repeated
}

/// What is wrong with tag `again`, which repeats `first`, and what to do: `(message,
/// hint)`, for `check` and `edit` alike.
pub fn repeated_tag(first: &str, again: &str) -> (String, String) {
    if first == again {
        (
            format!("tag '{again}' is given twice"),
            "keep it once".to_string(),
        )
    } else {
        (
            format!("tag '{again}' is the same word as '{first}'"),
            format!("keep one spelling, e.g. '{first}'"),
        )
    }
}

/// A field of a case that says something else than its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// The top-level key that disagrees (`stage`, `status`, `outcome`, `coach`,
    /// `program`, `partners`).
    pub field: &'static str,
    /// For `partners`, the member key in question.
    pub item: Option<String>,
    pub message: String,
    /// Which command records the change properly.
    pub hint: String,
}

/// Where a case's fields and its history disagree. Reports read the fields; `--as-of`
/// replays the history: when they disagree, one day's report contradicts the next.
/// Each field is compared with the last entry (in time order) that changed it:
/// - `stage` with the last move's `to`;
/// - `status` and `outcome` with the last status change, or, with none, `status` must be
///   open (a case starts open; `close` and `park` record their change);
/// - `coach` and `program` with the last entry that set them (`""`: none);
/// - `partners` with the last `partner_added` or `partner_removed` of each member.
pub fn history_disagreements(case: &Case) -> Vec<Disagreement> {
    let history = case.history_in_order();
    let mut out = Vec::new();
    let mut push = |field: &'static str, item: Option<String>, message: String, hint: &str| {
        out.push(Disagreement {
            field,
            item,
            message,
            hint: hint.to_string(),
        });
    };
    let id = &case.id;
    if let Some(to) = history.iter().rev().find_map(|e| e.to.as_ref())
        && to != &case.stage
    {
        push(
            "stage",
            None,
            format!(
                "stage is '{}' but the last move in history went to '{to}'",
                case.stage
            ),
            "record the move with `sluss advance`, or fix stage to match the history",
        );
    }
    let last_status: Option<(Status, Option<Outcome>)> = history
        .iter()
        .rev()
        .find_map(|e| e.status.map(|s| (s, e.outcome)));
    match last_status {
        Some((status, _)) if status != case.status => push(
            "status",
            None,
            format!(
                "status is '{}' but the last status change in history made it '{status}'",
                case.status
            ),
            "change status with `sluss park`, `close` or `reopen`, which record it; or fix status to match the history",
        ),
        Some((Status::Closed, outcome)) if outcome != case.outcome => push(
            "outcome",
            None,
            "outcome differs from the outcome the case was closed with in history".into(),
            "fix outcome to match the history, or reopen and close the case again",
        ),
        None if case.status != Status::Open => push(
            "status",
            None,
            format!(
                "status is '{}' but history records no status change, so the case was never {}",
                case.status,
                if case.status == Status::Closed {
                    "closed"
                } else {
                    "parked"
                }
            ),
            &format!(
                "set status = \"open\" (and remove outcome), then `sluss {} {id} {}`, which records it",
                if case.status == Status::Closed {
                    "close"
                } else {
                    "park"
                },
                if case.status == Status::Closed {
                    "--outcome …"
                } else {
                    "--note …"
                }
            ),
        ),
        _ => {}
    }
    let field = |value: &Option<String>| value.clone().filter(|v| !v.is_empty());
    if let Some(last) = history.iter().rev().find_map(|e| e.coach.as_ref())
        && field(&Some(last.clone())) != field(&case.coach)
    {
        push(
            "coach",
            None,
            format!(
                "coach is {} but the last assignment in history gave the case to '{last}'",
                shown(&case.coach)
            ),
            &format!(
                "give the case to its coach with `sluss assign {id} COACH`, which records it; or fix coach to match the history"
            ),
        );
    }
    if let Some(last) = history.iter().rev().find_map(|e| e.program.as_ref())
        && field(&Some(last.clone())) != field(&case.program)
    {
        let said = if last.is_empty() {
            "the last program change in history took the case out of its program".to_string()
        } else {
            format!("the last program change in history put the case in '{last}'")
        };
        push(
            "program",
            None,
            format!("program is {} but {said}", shown(&case.program)),
            &format!(
                "use `sluss program join {id} KEY` or `sluss program leave {id}`, which record it; or fix program to match the history"
            ),
        );
    }
    let mut partner_events: BTreeMap<&str, bool> = BTreeMap::new();
    for e in &history {
        if let Some(k) = &e.partner_added {
            partner_events.insert(k, true);
        }
        if let Some(k) = &e.partner_removed {
            partner_events.insert(k, false);
        }
    }
    for (key, added) in partner_events {
        let named = case.partners.iter().any(|p| p == key);
        if named != added {
            let message = if added {
                format!("partner '{key}' was added in history but is not in partners")
            } else {
                format!("partners names '{key}', but history records that it was removed")
            };
            push(
                "partners",
                Some(key.to_string()),
                message,
                &format!(
                    "use `sluss partner add {id} KEY` or `sluss partner remove {id} KEY`, which record it; or fix partners to match the history"
                ),
            );
        }
    }
    out
}

fn shown(value: &Option<String>) -> String {
    match value.as_deref().filter(|v| !v.is_empty()) {
        Some(v) => format!("'{v}'"),
        None => "not set".to_string(),
    }
}
