//! Rules a case must keep beyond its TOML types: keys that `sluss.toml` defines, and a
//! status and outcome that agree. Used after `edit`; `check` builds on it.

use super::{Case, Config, Status};

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
        problems.push(format!("coach '{coach}' is not a coach in sluss.toml"));
    }
    if let Some(program) = &case.program
        && config.program(program).is_none()
    {
        problems.push(format!(
            "program '{program}' is not a program in sluss.toml"
        ));
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
    problems
}
