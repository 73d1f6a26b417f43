//! `check`'s rules: everything that can be wrong with a case file or `sluss.toml`,
//! each problem located by line and column with a hint. Pure: text in, problems out.
//!
//! A file is checked in layers, each only when the one before passed, so that one
//! mistake gives one clear message: bytes (empty, not UTF-8), TOML syntax (or, where it
//! fails, leftover conflict markers), then the case's keys and types, then the rules of
//! the pipeline.

pub mod forgotten;
pub mod maturity;
pub mod network;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use toml_edit::{Document, Item, Table};

use crate::domain::bounds::{
    SESSION_MINUTES_HINT, day_ahead_problem, latest_day_ahead, session_minutes_problem,
};
use crate::domain::change::unseen;
use crate::domain::config::Policy;
use crate::domain::id::id_from_file_name;
use crate::domain::replay::state;
use crate::domain::{Case, Config, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Problem {
    #[serde(serialize_with = "lossy_path")]
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    /// A stable name for the kind of problem, for scripts.
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// A path as text for JSON; a name that is not UTF-8 (itself a problem `check`
/// reports) is shown with replacement characters rather than failing the report.
fn lossy_path<S: serde::Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&path.to_string_lossy())
}

/// What checking one case file found: its problems and, when it could be read, the case.
#[derive(Debug, Default)]
pub struct FileCheck {
    pub problems: Vec<Problem>,
    pub case: Option<Box<Case>>,
    /// The case's id, kept when the case itself is let go (duplicate ids are looked for
    /// across every file).
    pub id: Option<String>,
    /// Where the `id` value stands, to point at duplicates across files.
    pub id_at: (usize, usize),
}

/// Locates problems in one file's text.
struct Locator<'a> {
    path: &'a Path,
    text: &'a str,
    problems: Vec<Problem>,
}

impl<'a> Locator<'a> {
    fn new(path: &'a Path, text: &'a str) -> Locator<'a> {
        Locator {
            path,
            text,
            problems: Vec::new(),
        }
    }

    fn at(&self, offset: usize) -> (usize, usize) {
        let (line, column, _) = crate::error::locate(self.text, offset);
        (line, column)
    }

    fn push(
        &mut self,
        span: Option<Range<usize>>,
        severity: Severity,
        code: &'static str,
        message: String,
        hint: Option<&str>,
    ) {
        let (line, column) = self.at(span.map_or(0, |s| s.start));
        self.problems.push(Problem {
            path: self.path.to_path_buf(),
            line,
            column,
            severity,
            code,
            message,
            hint: hint.map(str::to_string),
        });
    }

    fn error(
        &mut self,
        span: Option<Range<usize>>,
        code: &'static str,
        message: String,
        hint: Option<&str>,
    ) {
        self.push(span, Severity::Error, code, message, hint);
    }

    fn warning(
        &mut self,
        span: Option<Range<usize>>,
        code: &'static str,
        message: String,
        hint: Option<&str>,
    ) {
        self.push(span, Severity::Warning, code, message, hint);
    }
}

/// The lines of a leftover merge conflict (`<<<<<<<`, `=======`, `>>>>>>>`, `|||||||`).
fn conflict_marker_lines(text: &str) -> Vec<usize> {
    let mut offsets = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let l = line.trim_end_matches(['\n', '\r']);
        let marker = ["<<<<<<<", ">>>>>>>", "|||||||"]
            .iter()
            .any(|m| l.starts_with(m))
            || l == "=======";
        if marker {
            offsets.push(offset);
        }
        offset += line.len();
    }
    offsets
}

/// Reports the leftover conflict markers of a file that does not parse; says whether
/// there were any. (In a file that parses, marker-like lines are text inside a
/// multi-line string, a Markdown heading's `=======` say: git's markers never parse.)
fn conflict_markers(loc: &mut Locator, hint: &str) -> bool {
    let markers = conflict_marker_lines(loc.text);
    for &m in &markers {
        loc.error(
            Some(m..m),
            "conflict-marker",
            "leftover merge-conflict marker".into(),
            Some(hint),
        );
    }
    !markers.is_empty()
}

/// The span of the value at `key` in `table`.
fn value_span(table: &Table, key: &str) -> Option<Range<usize>> {
    table.get(key).and_then(Item::span)
}

/// The tables of an array of tables, written either as `[[key]]` or inline.
fn entry_tables(root: &Table, key: &str) -> Vec<Table> {
    match root.get(key) {
        Some(Item::ArrayOfTables(a)) => a.iter().cloned().collect(),
        Some(Item::Value(toml_edit::Value::Array(a))) => a
            .iter()
            .filter_map(|v| v.as_inline_table().map(|t| t.clone().into_table()))
            .collect(),
        _ => Vec::new(),
    }
}

/// Line and column of the value of the top-level `id` key, found without parsing.
fn id_position(body: &str) -> (usize, usize) {
    for (n, line) in body.lines().enumerate() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("id")
            && let Some(after_eq) = rest.trim_start().strip_prefix('=')
        {
            let value = line.len() - after_eq.trim_start().len();
            return (n + 1, line[..value].chars().count() + 1);
        }
        if t.starts_with('[') {
            break;
        }
    }
    (1, 1)
}

/// The text of a file that has passed the first layers (UTF-8, not empty, TOML), or the
/// problems that stopped it.
pub(crate) fn parse_layers<'a>(
    path: &Path,
    bytes: &'a [u8],
    folder: &str,
    writes: &str,
) -> Result<(&'a str, Document<&'a str>), Vec<Problem>> {
    let body = text_layers(
        path,
        bytes,
        &format!("save it as UTF-8, or remove it from {folder}/"),
        writes,
    )?;
    let doc = toml_layer(
        path,
        body,
        "resolve the conflict: keep the right lines, delete the markers",
    )?;
    Ok((body, doc))
}

/// The text of a file that is UTF-8 and not empty, without a byte-order mark, or the
/// problem that stopped it. The hints say how to mend a file that is not UTF-8, and
/// what writes a valid one.
fn text_layers<'a>(
    path: &Path,
    bytes: &'a [u8],
    utf8_hint: &str,
    writes: &str,
) -> Result<&'a str, Vec<Problem>> {
    let text = std::str::from_utf8(bytes).map_err(|e| vec![not_utf8(path, bytes, e, utf8_hint)])?;
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body.trim().is_empty() {
        let mut loc = Locator::new(path, body);
        loc.error(
            None,
            "empty-file",
            "the file is empty".into(),
            Some(&format!("delete it, or fill it in; {writes}")),
        );
        return Err(loc.problems);
    }
    Ok(body)
}

/// The text parsed as a TOML document, or where it is not TOML (or holds the markers of
/// a merge conflict, mended as `conflict_hint` says).
fn toml_layer<'a>(
    path: &Path,
    body: &'a str,
    conflict_hint: &str,
) -> Result<Document<&'a str>, Vec<Problem>> {
    Document::parse(body).map_err(|e| {
        let mut loc = Locator::new(path, body);
        if !conflict_markers(&mut loc, conflict_hint) {
            loc.error(
                e.span(),
                "syntax",
                e.message().trim().to_string(),
                Some("fix the TOML syntax at this place"),
            );
        }
        loc.problems
    })
}

/// Where a file stops being UTF-8, as a problem.
fn not_utf8(path: &Path, bytes: &[u8], e: std::str::Utf8Error, hint: &str) -> Problem {
    let lossy = String::from_utf8_lossy(bytes);
    let mut loc = Locator::new(path, &lossy);
    let at = lossy
        .char_indices()
        .nth(
            String::from_utf8_lossy(&bytes[..e.valid_up_to()])
                .chars()
                .count(),
        )
        .map(|(i, _)| i);
    loc.error(
        at.map(|a| a..a),
        "not-utf8",
        "the file is not UTF-8 text (binary data, or another encoding)".into(),
        Some(hint),
    );
    loc.problems.remove(0)
}

/// Checks one case file's bytes against the repository's settings at the moment `now`
/// (a day is in the future when it has not begun in the case's offsets, see
/// [`Case::today_at`]).
pub fn check_case(
    path: &Path,
    bytes: &[u8],
    config: &Config,
    now: DateTime<FixedOffset>,
) -> FileCheck {
    check_case_known(path, bytes, config, now, None)
}

/// As [`check_case`], given the case these very bytes were parsed into before (from the
/// cache, which checked that the bytes are the same), so a valid file needs no parse.
pub fn check_case_known(
    path: &Path,
    bytes: &[u8],
    config: &Config,
    now: DateTime<FixedOffset>,
    known: Option<Case>,
) -> FileCheck {
    let mut out = FileCheck::default();
    let body = match text_layers(
        path,
        bytes,
        "save it as UTF-8, or remove it from cases/ if it is not a case",
        "`sluss new` writes a valid case",
    ) {
        Ok(body) => body,
        Err(problems) => {
            out.problems = problems;
            return out;
        }
    };
    // The common case, a valid file, costs one parse: the rules run without places,
    // and only a file with problems is parsed again to locate them.
    let parsed = match known {
        Some(case) => Ok(case),
        None => Case::from_toml(body),
    };
    if let Ok(case) = parsed {
        let mut quick = Locator::new(path, body);
        rules(&mut quick, None, &case, config, now);
        if quick.problems.is_empty() {
            out.id_at = id_position(body);
            out.id = Some(case.id.clone());
            out.case = Some(Box::new(case));
            return out;
        }
    }
    let doc = match toml_layer(
        path,
        body,
        "resolve the conflict: keep the right lines, delete the markers; `sluss git-setup` lets git merge cases by itself",
    ) {
        Ok(doc) => doc,
        Err(problems) => {
            out.problems = problems;
            return out;
        }
    };
    let mut loc = Locator::new(path, body);
    let root = doc.as_table();

    // Problems serde would report vaguely, located precisely first.
    let mut reported: Vec<Range<usize>> = Vec::new();
    for s in entry_tables(root, "sessions") {
        if let Some(m) = s.get("minutes").and_then(Item::as_integer)
            && let Some(problem) = session_minutes_problem(m)
        {
            let span = value_span(&s, "minutes");
            loc.error(span.clone(), "minutes", problem, Some(SESSION_MINUTES_HINT));
            reported.extend(span);
        }
    }

    let case = match Case::from_toml(body) {
        Ok(case) => case,
        Err(e) => {
            let already = e
                .span()
                .is_some_and(|s| reported.iter().any(|r| s.start < r.end && r.start < s.end));
            if !already {
                loc.error(
                    e.span(),
                    "invalid",
                    e.message().trim().to_string(),
                    Some("`sluss schema case` lists the keys a case has and their types"),
                );
            }
            out.problems = loc.problems;
            return out;
        }
    };
    out.id_at = loc.at(value_span(root, "id").map_or(0, |s| s.start));

    rules(&mut loc, Some(root), &case, config, now);
    out.problems = loc.problems;
    out.id = Some(case.id.clone());
    out.case = Some(Box::new(case));
    out
}

/// The rules of the pipeline and the spec, for a case whose keys and types are right.
fn rules(
    loc: &mut Locator,
    root: Option<&Table>,
    case: &Case,
    config: &Config,
    now: DateTime<FixedOffset>,
) {
    let today = case.today_at(now);
    let span = |key: &str| root.and_then(|r| value_span(r, key));
    if let Some(name) = loc.path.file_name().and_then(|n| n.to_str())
        && id_from_file_name(name) != Some(case.id.as_str())
    {
        loc.error(span("id"), "id-file-name", format!("id '{}' does not match the file name {name}", case.id), Some("a case lives in cases/<id>.toml (or <id>-<words>.toml); rename the file or fix the id"));
    }
    if !crate::domain::id::is_id_text(&case.id) {
        loc.error(
            span("id"),
            "id",
            format!(
                "'{}' is not a valid id: use letters, digits and _ only",
                case.id
            ),
            None,
        );
    } else if !crate::domain::id::is_id(&case.id) {
        loc.error(
            span("id"),
            "id",
            format!(
                "'{}' is not a valid id: Windows reserves it for a device (con, prn, aux, nul, com0–com9, lpt0–lpt9), so no case file may be named after it",
                case.id
            ),
            Some("give the case a new id (and file name); `sluss new` makes ids that are safe everywhere"),
        );
    }
    if case.title.trim().is_empty() {
        loc.error(
            span("title"),
            "title",
            "the title is empty".into(),
            Some("give the case a short title"),
        );
    }
    // As for a network member's contact and a program's participant: a person recorded
    // has a name, unless `sluss forget` took it (`forgotten = true`).
    if let Some(p) = &case.submitter
        && !p.forgotten
        && p.name.trim().is_empty()
    {
        let submitter = root.and_then(|r| r.get("submitter"));
        let at = submitter
            .and_then(|s| s.get("name"))
            .and_then(Item::span)
            .or_else(|| submitter.and_then(Item::span))
            .or(span("id"));
        loc.error(
            at,
            "submitter",
            "the submitter has no name".into(),
            Some("write the submitter's name: name = \"…\" (or remove [submitter]); `sluss forget` leaves forgotten = true instead"),
        );
    }
    if case.unit.trim().is_empty() {
        loc.warning(
            span("unit").or(span("id")),
            "unit",
            "no unit is given".into(),
            Some("say which organisational unit the idea comes from: unit = \"…\""),
        );
    }
    if !case.unit.trim().is_empty()
        && !config.units.is_empty()
        && config.find_unit(&case.unit).is_err()
    {
        let hint = format!(
            "{}; {}",
            crate::domain::validate::UNKNOWN_UNIT_HINT,
            config.unknown_unit_hint(&case.unit)
        );
        loc.error(
            span("unit"),
            "unknown-unit",
            format!(
                "unit '{}' is not in the units register of sluss.toml",
                case.unit
            ),
            Some(&hint),
        );
    }
    for (first, again) in crate::domain::validate::repeated_tags(&case.tags) {
        let (message, hint) = crate::domain::validate::repeated_tag(&first, &again);
        loc.error(span("tags"), "tags", message, Some(&hint));
    }
    for tag in case.tags.iter().filter(|t| t.contains([',', ';'])) {
        loc.warning(
            span("tags"),
            "tag-separator",
            format!(
                "the tag '{tag}' has a ',' or ';': no filter can name it, and CSV reads it as two"
            ),
            Some("split it into separate tags, or write it without ',' and ';'"),
        );
    }
    if config.stage(&case.stage).is_none() {
        loc.error(
            span("stage"),
            "unknown-stage",
            format!("stage '{}' is not defined in sluss.toml", case.stage),
            Some(&unknown_stage_hint(config, &case.stage)),
        );
    }
    if let Some(c) = &case.coach
        && let Some(coach) = config.coach(c)
        && !coach.active
        && case.status != Status::Closed
    {
        loc.warning(
            span("coach"),
            "inactive-coach",
            format!(
                "coach '{c}' has left (active = false in sluss.toml) but the case is {}",
                case.status
            ),
            Some(&format!(
                "give it another coach: `sluss assign {} COACH --note TEXT` (or `sluss unassign {}`)",
                case.id, case.id
            )),
        );
    }
    if let Some(c) = &case.coach
        && config.coach(c).is_none()
    {
        loc.error(
            span("coach"),
            "unknown-coach",
            format!("coach '{c}' is not defined in sluss.toml"),
            Some("add it with `sluss coach add KEY --name NAME`, or fix the key"),
        );
    }
    if let Some(p) = &case.program
        && config.program(p).is_none()
    {
        loc.error(
            span("program"),
            "unknown-program",
            format!("program '{p}' is not defined in sluss.toml"),
            Some("add it with `sluss program add KEY --name NAME`, or fix the key"),
        );
    }
    match (case.status, case.outcome) {
        (Status::Closed, None) => loc.error(
            span("status"),
            "outcome",
            "a closed case needs an outcome".into(),
            Some("add outcome = \"implemented\" (or handed_over, stopped, duplicate, referred)"),
        ),
        (s, Some(_)) if s != Status::Closed => loc.error(
            span("outcome"),
            "outcome",
            format!("outcome is set but the case is {s}; only a closed case has one"),
            Some("remove outcome, or close the case"),
        ),
        _ => {}
    }
    if case.created_day() > today {
        loc.error(
            span("created"),
            "future",
            format!("created {} is in the future", case.created_day()),
            Some("check the date"),
        );
    }

    if let Some(day) = case.follow_up
        && let Some(problem) = day_ahead_problem(
            "follow_up",
            day,
            case.created_day(),
            "the case was created",
            today,
        )
    {
        loc.warning(
            span("follow_up"),
            "day-out-of-bounds",
            problem,
            Some(&format!(
                "write a day from {} to {}, or remove follow_up",
                case.created_day(),
                latest_day_ahead(today)
            )),
        );
    }

    // History: time order, each move from the stage before, and the fields agreeing
    // with the last entries.
    let entries = root.map(|r| entry_tables(r, "history")).unwrap_or_default();
    let mut previous_at = None;
    let mut current_stage: Option<String> = None;
    for (i, entry) in case.history.iter().enumerate() {
        let table = entries.get(i);
        let value_span = |t: Option<&Table>, key: &str| t.and_then(|t| value_span(t, key));
        let at_span = value_span(table, "at");
        if let Some(prev) = previous_at
            && entry.at < prev
        {
            loc.error(
                at_span.clone(),
                "history-order",
                format!(
                    "this entry ({}) is earlier than the one before it",
                    entry.at.format("%Y-%m-%d %H:%M")
                ),
                Some("history is append-only and in time order; move the entry to its place"),
            );
        }
        previous_at = Some(entry.at);
        // Every command records who acted; a blank `by` is as missing as none.
        if entry.by.trim().is_empty() {
            loc.error(
                value_span(table, "by").or(at_span.clone()),
                "by",
                "this entry does not say who made the change (by is blank)".into(),
                Some("write who made it: by = \"…\" (a coach key or a name)"),
            );
        }
        if entry.day() > today {
            loc.error(
                at_span.clone(),
                "future",
                format!("history entry at {} is in the future", entry.day()),
                Some("check the date"),
            );
        }
        if entry.day() < case.created_day() {
            loc.warning(
                at_span.clone(),
                "before-created",
                format!(
                    "history entry at {} is before the case was created",
                    entry.day()
                ),
                None,
            );
        }
        if let Some(from) = &entry.from
            && config.stage(from).is_none()
        {
            loc.error(
                value_span(table, "from"),
                "unknown-stage",
                format!("stage '{from}' is not defined in sluss.toml"),
                None,
            );
        }
        if let Some(to) = &entry.to {
            if config.stage(to).is_none() {
                loc.error(
                    value_span(table, "to"),
                    "unknown-stage",
                    format!("stage '{to}' is not defined in sluss.toml"),
                    None,
                );
            }
            match (&entry.from, &current_stage) {
                (Some(from), Some(cur)) if from != cur => loc.error(
                    value_span(table, "from"),
                    "history-from",
                    format!(
                        "this move starts from {}, but the case was in {}",
                        stage_label(config, from),
                        stage_label(config, cur)
                    ),
                    Some("each move's from is the stage the move before it went to"),
                ),
                (None, _) => loc.warning(
                    value_span(table, "to"),
                    "history-from",
                    "this stage move has no from".into(),
                    Some("write the stage the case left: from = \"…\""),
                ),
                _ => {}
            }
            current_stage = Some(to.clone());
        } else if entry.from.is_some() {
            loc.error(
                value_span(table, "from"),
                "history-from",
                "an entry with from must also have to".into(),
                None,
            );
        }
        if let Some(s) = entry.status
            && s == Status::Closed
            && entry.outcome.is_none()
        {
            loc.error(
                value_span(table, "status"),
                "outcome",
                "closing needs an outcome in the same entry".into(),
                None,
            );
        }
        // `forced = true` marks a move past a gate that was not met (`advance --force`), or
        // the first entry of a case let into its first stage so (`new --force`, a note
        // alone); either way with a note saying why.
        if entry.forced {
            let forced_span = value_span(table, "forced").or(at_span.clone());
            let new_case_entry = i == 0 && is_bare_note(entry);
            if !entry.is_move() && !new_case_entry {
                loc.error(
                    forced_span.clone(),
                    "forced",
                    "forced = true is on an entry that is not a stage move".into(),
                    Some("only a move past a gate (`sluss advance --force`), or the first entry of a case let in by `sluss new --force`, is forced; remove forced = true from this entry"),
                );
            }
            if entry.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
                loc.error(
                    forced_span,
                    "forced",
                    "this forced move has no note saying why the gate was passed".into(),
                    Some("a move past a gate that is not met needs a reason, as `--force --note TEXT` records it: write it in this entry, note = \"…\""),
                );
            }
        }
        if entry.outcome.is_some() && entry.status != Some(Status::Closed) {
            loc.error(
                value_span(table, "outcome"),
                "outcome",
                "only an entry that closes the case (status = \"closed\") has an outcome".into(),
                Some("remove outcome from this entry, or make it the entry that closes the case"),
            );
        }
        // `previous_coach = ""` records that the case had no coach before, and `coach =
        // ""` that it was unassigned (`sluss unassign`).
        for (key, value) in [
            ("coach", &entry.coach),
            ("previous_coach", &entry.previous_coach),
        ] {
            if let Some(c) = value.as_deref().filter(|c| !c.is_empty())
                && config.coach(c).is_none()
            {
                loc.error(
                    value_span(table, key),
                    "unknown-coach",
                    format!("coach '{c}' is not defined in sluss.toml"),
                    Some("add it with `sluss coach add KEY --name NAME`, or fix the key"),
                );
            }
        }
        // `program = ""` records that the case left its program, and `previous_program =
        // ""` that it was in none.
        for (key, value) in [
            ("program", &entry.program),
            ("previous_program", &entry.previous_program),
        ] {
            if let Some(p) = value.as_deref().filter(|p| !p.is_empty())
                && config.program(p).is_none()
            {
                loc.error(
                    value_span(table, key),
                    "unknown-program",
                    format!("program '{p}' is not defined in sluss.toml"),
                    Some("add it with `sluss program add KEY --name NAME`, or fix the key"),
                );
            }
        }
    }
    fields_and_history(loc, root, case);

    // Sessions.
    let session_tables = root
        .map(|r| entry_tables(r, "sessions"))
        .unwrap_or_default();
    for (i, s) in case.sessions.iter().enumerate() {
        let table = session_tables.get(i);
        let value_span = |t: Option<&Table>, key: &str| t.and_then(|t| value_span(t, key));
        if let Some(problem) = session_minutes_problem(i64::from(s.minutes)) {
            loc.error(
                value_span(table, "minutes"),
                "minutes",
                problem,
                Some(SESSION_MINUTES_HINT),
            );
        }
        if config.coach(&s.coach).is_none() {
            loc.error(
                value_span(table, "coach"),
                "unknown-coach",
                format!("coach '{}' is not defined in sluss.toml", s.coach),
                None,
            );
        }
        if s.date > today {
            loc.error(
                value_span(table, "date"),
                "future",
                format!("session date {} is in the future", s.date),
                Some("log sessions that took place"),
            );
        }
        if s.date < case.created_day() {
            loc.error(
                value_span(table, "date"),
                "session-before-created",
                format!(
                    "session date {} is before the case was created ({})",
                    s.date,
                    case.created_day()
                ),
                Some(&format!(
                    "fix the date (on or after {}), or the case's created",
                    case.created_day()
                )),
            );
        }
    }
    step_days(loc, case, &session_tables, today);
}

/// A next step done in the future, or before the session that agreed on it.
fn step_days(loc: &mut Locator, case: &Case, session_tables: &[Table], today: NaiveDate) {
    for r in case.next_steps() {
        let span = session_tables
            .get(r.session)
            .and_then(|t| t.get("next_steps"))
            .and_then(|item| match item {
                Item::Value(v) => v
                    .as_array()
                    .and_then(|a| a.get(r.index))
                    .and_then(|v| v.span()),
                Item::ArrayOfTables(a) => a.get(r.index).and_then(|t| t.span()),
                _ => None,
            });
        if r.step.text.trim().is_empty() || r.step.text.chars().any(unseen) {
            loc.warning(
                span.clone(),
                "step-text",
                format!(
                    "next step '{}' is empty or has a line break, a control character or an invisible character",
                    r.step.text.escape_debug()
                ),
                Some("write the step as one line of plain text"),
            );
        }
        if let Some(due) = r.step.due
            && let Some(problem) = day_ahead_problem(
                &format!("next step '{}': due", r.step.text),
                due,
                r.of.date,
                "the session that agreed on it",
                today,
            )
        {
            loc.warning(
                span.clone(),
                "step-due-out-of-bounds",
                problem,
                Some(&format!(
                    "write a due day from {} (the session) to {}",
                    r.of.date,
                    latest_day_ahead(today)
                )),
            );
        }
        let Some(done) = r.step.done else { continue };
        if done > today {
            loc.error(
                span,
                "future",
                format!(
                    "next step '{}' is done on {done}, in the future",
                    r.step.text
                ),
                Some("mark a step done on the day it was done"),
            );
        } else if done < r.of.date {
            loc.warning(
                span,
                "step-done-early",
                format!(
                    "next step '{}' is done on {done}, before the session of {} that agreed on it",
                    r.step.text, r.of.date
                ),
                Some("check the days: a step is agreed on first, then done"),
            );
        }
    }
}

/// A history entry that records a note and nothing else (as `sluss new --note` writes
/// it).
fn is_bare_note(e: &crate::domain::HistoryEntry) -> bool {
    e.from.is_none()
        && e.to.is_none()
        && e.status.is_none()
        && e.outcome.is_none()
        && e.coach.is_none()
        && e.previous_coach.is_none()
        && e.program.is_none()
        && e.previous_program.is_none()
        && e.partner_added.is_none()
        && e.partner_removed.is_none()
        && e.result.is_none()
        && e.set.is_empty()
        && e.tags_added.is_empty()
        && e.tags_removed.is_empty()
}

/// A stage as a message about a file names it: "Prövning (provning)", the key being
/// what the file stores; an unknown key in quotes.
fn stage_label(config: &Config, key: &str) -> String {
    match config.stage(key) {
        Some(_) => config.stage_label(key),
        None => format!("'{key}'"),
    }
}

/// What to write instead of a stage the file stores that is not a key: the key of the
/// stage it names by display name (`stage = "Prövning"`), else the closest, and the
/// stages there are.
fn unknown_stage_hint(config: &Config, word: &str) -> String {
    let known = config
        .stages
        .iter()
        .map(|s| config.stage_label(&s.key))
        .collect::<Vec<_>>()
        .join(", ");
    match config.find_stage(word) {
        Ok(stage) => format!(
            "files store the stage's key: stage = \"{}\" ({})",
            stage.key, stage.name
        ),
        Err(crate::Error::UnknownKey {
            suggestion: Some(near),
            ..
        }) => format!(
            "did you mean {}? known stages: {known}",
            config.stage_label(&near)
        ),
        Err(_) => format!("known stages: {known}"),
    }
}

/// Where the case's fields say something else than its history (the rule is
/// `validate::history_disagreements`), each at the field's value, or at the id when the
/// field is missing.
fn fields_and_history(loc: &mut Locator, root: Option<&Table>, case: &Case) {
    for d in crate::domain::validate::history_disagreements(case) {
        let field_span = root.and_then(|r| match (&d.item, r.get(d.field)) {
            (Some(item), Some(Item::Value(toml_edit::Value::Array(a)))) => a
                .iter()
                .find(|v| v.as_str() == Some(item.as_str()))
                .and_then(|v| v.span())
                .or_else(|| a.span()),
            (_, Some(value)) => value.span(),
            (_, None) => None,
        });
        let span = field_span.or_else(|| root.and_then(|r| value_span(r, "id")));
        let code = match d.field {
            "stage" => "stage-history",
            "status" | "outcome" => "status-history",
            "coach" => "coach-history",
            "program" => "program-history",
            _ => "partner-history",
        };
        loc.error(span, code, d.message, Some(&d.hint));
    }
}

/// Checks `sluss.toml`'s bytes.
pub fn check_config(path: &Path, bytes: &[u8]) -> (Vec<Problem>, Option<Config>) {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => return (vec![not_utf8(path, bytes, e, "save it as UTF-8")], None),
    };
    if let Err(problems) = toml_layer(
        path,
        text,
        "resolve the conflict: keep the right lines, delete the markers",
    ) {
        return (problems, None);
    }
    let mut loc = Locator::new(path, text);
    match Config::from_toml(text) {
        Ok(config) => {
            for p in config.problems() {
                loc.error(None, "config", p, None);
            }
            let ok = loc.problems.is_empty();
            for p in config.name_problems() {
                loc.error(
                    None,
                    "config-name",
                    p,
                    Some("write the name as one line of plain text in sluss.toml"),
                );
            }
            (loc.problems, ok.then_some(config))
        }
        Err(e) => {
            loc.error(
                e.span(),
                "invalid",
                e.message().trim().to_string(),
                Some("`sluss schema config` describes the settings"),
            );
            (loc.problems, None)
        }
    }
}

/// Two or more files with one id: each is named, pointing at the others. Ids that
/// differ only in the case of their letters are one id, as commands find cases by id
/// whatever the case.
pub fn duplicate_ids(files: &[(PathBuf, &FileCheck)]) -> Vec<Problem> {
    duplicate_keys(
        files.iter().filter_map(|(path, check)| {
            let id = check.id.as_deref()?;
            Some((path, id, check.id_at))
        }),
        Duplicate {
            code: "duplicate-id",
            what: "id",
            hint: "ids must be unique; give one of the cases a new id (and file name)",
        },
    )
}

/// What a key that two files claim is called, and how to mend it.
pub(crate) struct Duplicate {
    pub code: &'static str,
    pub what: &'static str,
    pub hint: &'static str,
}

/// Each file that claims a key another file claims too (keys that differ only in the
/// case of their letters are one key), named at the key's place and pointing at the
/// others. The holders are files, the keys as they write them, and where they stand.
pub(crate) fn duplicate_keys<'a>(
    holders: impl Iterator<Item = (&'a PathBuf, &'a str, (usize, usize))>,
    duplicate: Duplicate,
) -> Vec<Problem> {
    type Holder<'a> = (&'a PathBuf, &'a str, (usize, usize));
    let mut by_key: BTreeMap<String, Vec<Holder>> = BTreeMap::new();
    for holder in holders {
        by_key
            .entry(holder.1.to_ascii_lowercase())
            .or_default()
            .push(holder);
    }
    let mut problems = Vec::new();
    for holders in by_key.into_values().filter(|h| h.len() > 1) {
        for (path, key, (line, column)) in &holders {
            let others: Vec<String> = holders
                .iter()
                .filter(|(p, _, _)| p != path)
                .map(|(p, _, _)| p.display().to_string())
                .collect();
            problems.push(Problem {
                path: (*path).clone(),
                line: *line,
                column: *column,
                severity: Severity::Error,
                code: duplicate.code,
                message: format!(
                    "{} '{key}' is also used by {}",
                    duplicate.what,
                    others.join(", ")
                ),
                hint: Some(duplicate.hint.into()),
            });
        }
    }
    problems
}

/// A gate of the policy that some cases fail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GateFailure {
    pub gate: &'static str,
    pub description: String,
    pub cases: Vec<GateCase>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GateCase {
    pub id: String,
    #[serde(serialize_with = "lossy_path")]
    pub path: PathBuf,
    pub title: String,
    pub detail: String,
}

/// The policy's gates that cases fail, each listing those cases (sorted by path).
pub fn policy_gates(
    policy: &Policy,
    cases: &[(PathBuf, &Case)],
    config: &Config,
    today: NaiveDate,
) -> Vec<GateFailure> {
    let mut failures = Vec::new();
    let mut gate =
        |gate: &'static str, description: String, pick: &dyn Fn(&Case) -> Option<String>| {
            let mut hits: Vec<GateCase> = cases
                .iter()
                .filter_map(|(path, case)| {
                    pick(case).map(|detail| GateCase {
                        id: case.id.clone(),
                        path: path.clone(),
                        title: case.title.clone(),
                        detail,
                    })
                })
                .collect();
            hits.sort_by(|a, b| a.path.cmp(&b.path));
            if !hits.is_empty() {
                failures.push(GateFailure {
                    gate,
                    description,
                    cases: hits,
                });
            }
        };
    if policy.require_coach {
        gate(
            "require_coach",
            "every open case has a coach".into(),
            &|c| {
                (c.status == Status::Open && c.coach.as_deref().is_none_or(|k| k.trim().is_empty()))
                    .then(|| format!("in {}", config.stage_name(&c.stage)))
            },
        );
    }
    if let Some(days) = policy.max_stale_days {
        gate(
            "max_stale_days",
            format!("no open case is idle for more than {days} days"),
            &|c| {
                let st = state(c, config, None)?;
                let idle = st.idle_days(today);
                (c.status == Status::Open && idle > i64::from(days))
                    .then(|| format!("idle {idle} days"))
            },
        );
    }
    if let Some(after) = &policy.need_after
        && let Some(limit) = config.stage_index(after)
    {
        gate(
            "need_after",
            format!(
                "every case past {} describes its need",
                config.stage_name(after)
            ),
            &|c| {
                let st = state(c, config, None)?;
                (st.furthest.is_some_and(|f| f > limit) && c.need().is_none())
                    .then(|| format!("reached {}", config.stage_name(&c.stage)))
            },
        );
    }
    failures
}
