//! Gate requirements: what a case must have before it enters a stage.

use super::{Case, Gate, Stage};
use crate::Error;

/// Whether `case` may enter `stage`: its gate met, or overridden by `force` (which the
/// caller lets through only with a note saying why). Both `new` (the stage a case starts
/// in) and `advance` (every stage it enters) go through here.
pub fn enter(stage: &Stage, case: &Case, force: bool) -> Result<(), Error> {
    let failures = stage
        .gate
        .as_ref()
        .map(|g| unmet(g, case))
        .unwrap_or_default();
    if failures.is_empty() || force {
        Ok(())
    } else {
        Err(Error::GateNotMet {
            stage: stage.key.clone(),
            failures,
        })
    }
}

/// The requirements of `gate` that `case` does not meet, in words a coach understands.
pub fn unmet(gate: &Gate, case: &Case) -> Vec<String> {
    let mut failures = Vec::new();
    if gate.coach && case.coach.as_deref().is_none_or(str::is_empty) {
        failures.push("a coach must be assigned (`sluss assign ID COACH`)".to_string());
    }
    if gate.need && case.need().is_none() {
        failures.push("description.need must be filled in (`sluss edit ID`)".to_string());
    }
    if gate.idea && case.idea().is_none() {
        failures.push("description.idea must be filled in (`sluss edit ID`)".to_string());
    }
    let sessions = case.sessions.len();
    if (sessions as u64) < u64::from(gate.min_sessions) {
        failures.push(format!(
            "at least {} coaching session(s) must be logged, found {sessions} (`sluss session ID --minutes N`)",
            gate.min_sessions
        ));
    }
    failures
}
