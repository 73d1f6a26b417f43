//! `check`'s rules for maturity self-assessments (`maturity/*.toml`): the same layers
//! as for a case (bytes, TOML syntax, keys and types, then the rules), each problem at
//! its line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use toml_edit::{Item, Table, TableLike};

use super::{Locator, Problem, Severity, value_span};
use crate::domain::maturity::{Assessment, MaturitySettings, ScoreProblem};

/// What checking one assessment file found.
#[derive(Debug, Default)]
pub struct AssessmentCheck {
    pub problems: Vec<Problem>,
    pub assessment: Option<Assessment>,
    /// Where the `date` value stands, to point at duplicates across files.
    pub date_at: (usize, usize),
}

const HOW_TO_ADD: &str = "add [maturity] with scale = [1, 5] and [[maturity.questions]] (key, text) to sluss.toml; see the user guide's \"Innovation maturity\" (docs/guide.md)";

/// Checks one assessment file's bytes against the repository's `[maturity]` settings
/// (`None` when it has none) on day `today`.
pub fn check_assessment(
    path: &Path,
    bytes: &[u8],
    settings: Option<&MaturitySettings>,
    today: NaiveDate,
) -> AssessmentCheck {
    let mut out = AssessmentCheck::default();
    let (body, doc) = match super::parse_layers(
        path,
        bytes,
        "maturity",
        "`sluss maturity record` writes a valid assessment",
    ) {
        Ok(parsed) => parsed,
        Err(problems) => {
            out.problems = problems;
            return out;
        }
    };
    let mut loc = Locator::new(path, body);
    let root = doc.as_table();
    let date = keys_and_types(&mut loc, root, settings);
    out.date_at = loc.at(value_span(root, "date").map_or(0, |s| s.start));
    if loc.problems.is_empty() {
        match Assessment::from_toml(body) {
            Ok(a) => out.assessment = Some(a),
            Err(e) => loc.error(
                e.span(),
                "invalid",
                e.message().trim().to_string(),
                Some("`sluss schema maturity` lists the keys an assessment has"),
            ),
        }
    }
    if let Some(date) = date {
        if date > today {
            loc.error(
                value_span(root, "date"),
                "future",
                format!("the assessment's date {date} is in the future"),
                Some("record assessments that took place"),
            );
        }
        if let (Some(a), Some(name)) = (&out.assessment, path.file_name().and_then(|n| n.to_str()))
            && !a.is_own_file_name(name)
        {
            loc.warning(
                value_span(root, "unit").or(value_span(root, "date")),
                "file-name",
                format!(
                    "the file name does not say the date and unit: expected {}",
                    a.file_name()
                ),
                Some("rename the file, so that the folder lists assessments by date and unit"),
            );
        }
    }
    out.problems = loc.problems;
    out
}

/// Required keys, their types, and every score against the settings. Returns the date
/// when it is a valid local date.
fn keys_and_types(
    loc: &mut Locator,
    root: &Table,
    settings: Option<&MaturitySettings>,
) -> Option<NaiveDate> {
    let date = match root.get("date") {
        None => {
            loc.error(
                None,
                "missing",
                "the assessment has no date".into(),
                Some("add the day it was made: date = 2019-03-14"),
            );
            None
        }
        Some(item) => {
            // A local date displays as YYYY-MM-DD; a date-time, a string or a number
            // does not (a string keeps its quotes).
            let shown = item.as_value().map(|v| v.to_string());
            let date = crate::domain::datetime::item_datetime(item)
                .and_then(|(d, _)| crate::domain::datetime::to_local_date(&d));
            if date.is_none() {
                loc.error(
                    item.span(),
                    "date",
                    format!(
                        "date must be a TOML local date such as 2019-03-14, found {}",
                        shown.as_deref().map_or("a table", str::trim)
                    ),
                    Some("write the date as a TOML local date, without a time"),
                );
            }
            date
        }
    };
    match root.get("unit") {
        None => loc.error(
            None,
            "missing",
            "the assessment has no unit".into(),
            Some("add the organisational unit, spelled as in cases: unit = \"Vård och omsorg\""),
        ),
        Some(item) => match item.as_str() {
            Some(u) if !u.trim().is_empty() => {}
            Some(_) => loc.error(
                item.span(),
                "unit",
                "the unit is empty".into(),
                Some("name the organisational unit that assessed itself"),
            ),
            None => loc.error(
                item.span(),
                "unit",
                "unit must be a string".into(),
                Some("write it in quotes: unit = \"Vård och omsorg\""),
            ),
        },
    }
    if let Some(item) = root.get("respondents")
        && !item
            .as_integer()
            .is_some_and(|n| n >= 1 && n <= i64::from(u32::MAX))
    {
        loc.error(
            item.span(),
            "respondents",
            "respondents must be a positive whole number".into(),
            Some("write how many people answered, or leave the key out"),
        );
    }
    if let Some(item) = root.get("note")
        && item.as_str().is_none()
    {
        loc.error(
            item.span(),
            "note",
            "note must be a string".into(),
            Some("write it in quotes"),
        );
    }
    match root.get("scores") {
        None => loc.error(
            None,
            "missing",
            "the assessment has no [scores]".into(),
            Some("add a [scores] table: one question_key = score line per question answered"),
        ),
        Some(item) => match item.as_table_like() {
            None => loc.error(
                item.span(),
                "scores",
                "scores must be a table of question_key = score".into(),
                Some("write it as a [scores] section"),
            ),
            Some(scores) => check_scores(loc, item, scores, settings),
        },
    }
    date
}

fn check_scores(
    loc: &mut Locator,
    item: &Item,
    scores: &dyn TableLike,
    settings: Option<&MaturitySettings>,
) {
    let at = || {
        item.span()
            .or_else(|| scores.iter().next().and_then(|(_, v)| v.span()))
    };
    if scores.is_empty() {
        loc.error(
            at(),
            "scores",
            "the assessment has no scores".into(),
            Some("score at least one question: question_key = score"),
        );
        return;
    }
    let Some(settings) = settings.filter(|s| !s.questions.is_empty()) else {
        loc.error(
            at(),
            "maturity-settings",
            "sluss.toml defines no maturity questions to check these scores against".into(),
            Some(HOW_TO_ADD),
        );
        return;
    };
    for (key, value) in scores.iter() {
        let key_span = scores.key(key).and_then(|k| k.span());
        let Some(score) = value.as_integer() else {
            loc.error(
                value.span(),
                "score",
                format!("the score of '{key}' must be a whole number"),
                Some(&format!(
                    "write a whole number from {} to {}",
                    settings.min(),
                    settings.max()
                )),
            );
            continue;
        };
        match settings.score_problem(key, score) {
            Some(ScoreProblem::UnknownQuestion) => loc.error(
                key_span,
                "unknown-question",
                format!("'{key}' is not a maturity question in sluss.toml"),
                Some(&format!(
                    "known questions: {}",
                    settings.question_keys().join(", ")
                )),
            ),
            Some(ScoreProblem::OutsideScale) => loc.error(
                value.span(),
                "score",
                format!(
                    "the score {score} of '{key}' is outside the scale {}",
                    settings.scale_text()
                ),
                Some(&format!(
                    "scores run from {} to {} ([maturity] scale in sluss.toml)",
                    settings.min(),
                    settings.max()
                )),
            ),
            None => {}
        }
    }
}

/// Two files that assess one unit on one day: each is named, pointing at the others.
pub fn duplicate_assessments(files: &[(PathBuf, &AssessmentCheck)]) -> Vec<Problem> {
    /// A file that assesses a unit on a day, and where its date stands.
    type Holder<'a> = (&'a PathBuf, (usize, usize));
    let mut by_key: BTreeMap<(NaiveDate, String), Vec<Holder>> = BTreeMap::new();
    for (path, check) in files {
        if let Some(a) = &check.assessment {
            by_key
                .entry((a.date, a.unit.trim().to_string()))
                .or_default()
                .push((path, check.date_at));
        }
    }
    let mut problems = Vec::new();
    for ((date, unit), holders) in by_key.into_iter().filter(|(_, h)| h.len() > 1) {
        for (path, (line, column)) in &holders {
            let others: Vec<String> = holders
                .iter()
                .filter(|(p, _)| p != path)
                .map(|(p, _)| p.display().to_string())
                .collect();
            problems.push(Problem {
                path: (*path).clone(),
                line: *line,
                column: *column,
                severity: Severity::Error,
                code: "duplicate-assessment",
                message: format!("{unit} is also assessed on {date} in {}", others.join(", ")),
                hint: Some("a unit has one assessment a day; merge the two files into one".into()),
            });
        }
    }
    problems
}
