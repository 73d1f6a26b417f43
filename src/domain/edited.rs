//! What `sluss edit` records when the editor changed a case's stage, status, outcome,
//! coach or program: the history entries that the matching command (`advance`, `park`, `close`,
//! `reopen`, `assign`, `unassign`) would write, with the gates applied as `advance`
//! applies them; or a refusal naming the command to use instead.
//!
//! Per field:
//! - coach: recorded as `assign` (or `unassign` when it was removed); a coach who has
//!   left is refused.
//! - program: recorded as `program join` (or `program leave` when it was removed), as
//!   `set --program` records it.
//! - status: reopening (to open) and closing (to closed, with the outcome written) are
//!   recorded as `reopen` and `close`; parking is refused (`park` needs a note saying
//!   why: `sluss park ID --note TEXT`), as is a closed case parked or its outcome
//!   changed (`sluss reopen ID`, then `close` again).
//! - stage: recorded as `advance --to`, every gate entered checked on the case as
//!   edited; a move back (which needs a reason) or past a gate that is not met is
//!   refused with the `advance` command that does it with `--note` (and `--force`).
//!
//! They are recorded in this order: coach, program, reopening, stage, closing; so a gate that
//! asks for a coach sees the coach given in the same edit. A stage or coach that
//! sluss.toml does not know (or a program) is left to the case's own check, as any other mistake.

use super::change::{self, Actor, Change};
use super::{Case, Config, Status};
use crate::Error;

/// Whether the editor changed any of the fields that history records (stage, status,
/// outcome, coach, program).
pub fn touches(before: &Case, after: &Case) -> bool {
    let coach_of = |c: &Case| c.coach.clone().filter(|c| !c.is_empty());
    before.stage != after.stage
        || before.status != after.status
        || before.outcome != after.outcome
        || coach_of(before) != coach_of(after)
        || program_of(before) != program_of(after)
}

/// The case's program, none when it is empty.
fn program_of(case: &Case) -> Option<String> {
    case.program.clone().filter(|p| !p.is_empty())
}

/// The changes that record what the editor changed between `before` and `after`, in
/// the order they happened; empty when none of these fields changed.
pub fn record(
    before: &Case,
    after: &Case,
    config: &Config,
    actor: &Actor,
) -> Result<Vec<Change>, Error> {
    let id = &before.id;
    let coach_of = |c: &Case| c.coach.clone().filter(|c| !c.is_empty());
    // A stage or coach that sluss.toml does not know is for the case's own check to
    // point out, as for any other edit.
    if config.stage(&after.stage).is_none()
        || coach_of(after).is_some_and(|c| config.coach(&c).is_none())
        || program_of(after).is_some_and(|p| config.program(&p).is_none())
    {
        return Ok(Vec::new());
    }
    // The case as the commands would see it: the edit's text, the recorded fields as
    // they stood, then as each change is recorded.
    let mut now = after.clone();
    now.stage.clone_from(&before.stage);
    now.status = before.status;
    now.outcome = before.outcome;
    now.coach = coach_of(before);
    now.program = program_of(before);
    let mut changes = Vec::new();

    if coach_of(before) != coach_of(after) {
        let change = match coach_of(after) {
            Some(coach) => {
                // Known, as checked above: the file stores the key.
                if let Some(known) = config.coach(&coach) {
                    change::require_active(config, known)?;
                }
                change::assign(&now, config, &coach, None, actor)
            }
            None => change::unassign(&now, None, actor),
        };
        changes.push(change.map_err(|e| {
            refused_field(
                "coach",
                e,
                &match coach_of(after) {
                    Some(c) => format!("sluss assign {id} {c} --note TEXT"),
                    None => format!("sluss unassign {id} --note TEXT"),
                },
            )
        })?);
        now.coach = coach_of(after);
    }

    if program_of(before) != program_of(after) {
        changes.push(match program_of(after) {
            // Known, as checked above.
            Some(program) => change::join_program(&now, config, &program, None, actor)?,
            None => change::leave_program(&now, None, actor)?,
        });
        now.program = program_of(after);
    }

    let status_changed = before.status != after.status;
    if status_changed && after.status == Status::Open {
        changes.push(change::reopen(&now, None, actor)?);
        now.status = Status::Open;
        now.outcome = None;
    }

    if before.stage != after.stage {
        let command = format!("sluss advance {id} --to {} --note TEXT", after.stage);
        if now.status != Status::Open {
            return Err(Error::refused(
                format!(
                    "the stage of case {id} was changed in the editor from '{}' to '{}', but the case is {}",
                    before.stage, after.stage, now.status
                ),
                format!(
                    "undo that change in the editor; reopen the case first (`sluss reopen {id}`), then `{command}`"
                ),
            ));
        }
        let change = change::advance(&now, config, Some(&after.stage), None, false, actor)
            .map_err(|e| {
                let command = match &e {
                    Error::GateNotMet { .. } => format!("{command} --force"),
                    _ => command.clone(),
                };
                refused_field("stage", e, &command)
            })?;
        changes.push(change);
        now.stage.clone_from(&after.stage);
    }

    if status_changed && after.status != Status::Open {
        match (now.status, after.status, after.outcome) {
            (_, Status::Parked, _) => {
                let how = match now.status {
                    Status::Closed => {
                        format!("sluss reopen {id}` and then `sluss park {id} --note TEXT")
                    }
                    _ => format!("sluss park {id} --note TEXT"),
                };
                return Err(Error::refused(
                    format!(
                        "case {id} was parked in the editor; parking needs a note saying what the case waits for"
                    ),
                    format!("undo that change in the editor, and use `{how}`"),
                ));
            }
            (_, Status::Closed, Some(outcome)) => {
                changes.push(change::close(&now, outcome, None, actor)?);
                now.status = Status::Closed;
                now.outcome = Some(outcome);
            }
            // Closed without an outcome: the case's own check says what is missing.
            _ => {}
        }
    } else if before.status == Status::Closed
        && after.status == Status::Closed
        && before.outcome != after.outcome
        && let Some(outcome) = after.outcome
    {
        return Err(Error::refused(
            format!(
                "the outcome of closed case {id} was changed in the editor from '{}' to '{outcome}'",
                before.outcome.map(|o| o.as_str()).unwrap_or("none")
            ),
            format!(
                "undo that change in the editor; reopen the case (`sluss reopen {id}`) and close it again (`sluss close {id} --outcome {outcome}`)"
            ),
        ));
    }
    Ok(changes)
}

/// A change the editor made that the matching command refuses: its reason, and the
/// command that makes it.
fn refused_field(field: &str, e: Error, command: &str) -> Error {
    let (reason, hint) = match &e {
        Error::Refused { message, .. } => (message.clone(), String::new()),
        Error::GateNotMet { .. } => (e.to_string(), "meet the requirement first, or ".to_string()),
        _ => (e.to_string(), String::new()),
    };
    Error::refused(
        format!("the {field} change cannot be recorded as the command would: {reason}"),
        format!("{hint}undo the change in the editor and use `{command}`"),
    )
}

/// History is append-only: the editor may add entries after those the case had, but
/// not change, remove or reorder any of them. Refused otherwise, naming the first entry
/// touched (numbered from 1 in file order) and what of it changed.
pub fn history_kept(before: &Case, after: &Case) -> Result<(), Error> {
    let Some((n, old)) = before
        .history
        .iter()
        .enumerate()
        .find(|&(i, old)| after.history.get(i) != Some(old))
    else {
        return Ok(());
    };
    let which = format!(
        "history entry {} ({}, by {})",
        n + 1,
        old.at.format("%Y-%m-%d %H:%M"),
        old.by
    );
    let what = match after.history.get(n) {
        None => format!("{which} was removed in the editor"),
        Some(new) => {
            let fields = changed_fields(old, new);
            if fields.is_empty() {
                format!("{which} was changed in the editor")
            } else {
                format!("{which} was changed in the editor ({})", fields.join(", "))
            }
        }
    };
    Err(Error::refused(
        format!("{what}; history is append-only, its entries are never changed or removed"),
        "undo that change in the editor; to correct the record, add a new entry with the command that makes the change (its --note says why); to take a person's name out of notes, use `sluss forget NAME`",
    ))
}

/// The keys of a history entry whose values differ between `old` and `new`, in the
/// order the file writes them.
fn changed_fields(old: &super::HistoryEntry, new: &super::HistoryEntry) -> Vec<String> {
    let table = |e: &super::HistoryEntry| match serde_json::to_value(e) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let (old, new) = (table(old), table(new));
    let mut keys: Vec<&String> = old.keys().collect();
    keys.extend(new.keys().filter(|k| !old.contains_key(*k)));
    keys.into_iter()
        .filter(|k| old.get(*k) != new.get(*k))
        .map(|k| k.to_string())
        .collect()
}
