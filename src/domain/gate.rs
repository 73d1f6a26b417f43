//! Gate requirements: what a case must have before it enters a stage.

use super::{Case, Gate, Stage};
use crate::Error;

/// Who asks to let a case in, for the words that say how to meet a requirement: a
/// command on an existing case, or `new` with its flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// `advance`: the case exists; other commands meet the requirements.
    Existing,
    /// `new`: the case is being registered; its flags meet the requirements.
    New,
}

/// Whether `case` may enter `stage`: its gate met, or overridden by `force` (which the
/// caller lets through only with a note saying why). Both `new` (the stage a case starts
/// in) and `advance` (every stage it enters) go through here. Says whether the case
/// went in only because of `force` (a requirement was not met), for the history's
/// `forced = true`.
pub fn enter(stage: &Stage, case: &Case, force: bool, entry: Entry) -> Result<bool, Error> {
    let failures = stage
        .gate
        .as_ref()
        .map(|g| unmet_for(g, case, entry))
        .unwrap_or_default();
    if failures.is_empty() {
        Ok(false)
    } else if force {
        Ok(true)
    } else {
        Err(Error::GateNotMet {
            stage: stage.name.clone(),
            failures,
        })
    }
}

/// The requirements of `gate` that `case` does not meet, in words a coach understands.
pub fn unmet(gate: &Gate, case: &Case) -> Vec<String> {
    unmet_for(gate, case, Entry::Existing)
}

fn unmet_for(gate: &Gate, case: &Case, entry: Entry) -> Vec<String> {
    let how = |existing: &str, new: &str| match entry {
        Entry::Existing => existing.to_string(),
        Entry::New => new.to_string(),
    };
    let mut failures = Vec::new();
    if gate.coach && case.coach.as_deref().is_none_or(str::is_empty) {
        failures.push(format!(
            "a coach must be assigned ({})",
            how("`sluss assign ID COACH`", "--coach KEY")
        ));
    }
    if gate.need && case.need().is_none() {
        failures.push(format!(
            "description.need must be filled in ({})",
            how("`sluss set ID --need TEXT`", "--need TEXT")
        ));
    }
    if gate.idea && case.idea().is_none() {
        failures.push(format!(
            "description.idea must be filled in ({})",
            how("`sluss set ID --idea TEXT`", "--idea TEXT")
        ));
    }
    let sessions = case.sessions.len();
    if (sessions as u64) < u64::from(gate.min_sessions) {
        failures.push(format!(
            "at least {} coaching session(s) must be logged, found {sessions} ({})",
            gate.min_sessions,
            how(
                "`sluss session ID --minutes N`",
                "a new case has none; the first stage should not ask for sessions"
            )
        ));
    }
    failures
}
