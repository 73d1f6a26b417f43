//! A forgotten name that comes back: `sluss forget` lists a salted digest of each name
//! it erased (`[privacy] forgotten` in sluss.toml); this looks for text whose words, as
//! the name matcher reads them, hash to one of those digests. It finds a name that a
//! merge, a restored branch or a re-import brings back without the repository keeping
//! the name itself.

use std::collections::HashSet;
use std::path::Path;

use sha2::{Digest, Sha256};
use toml_edit::{Document, Item, Table, Value};

use super::{Problem, Severity};
use crate::domain::config::Privacy;
use crate::domain::names;

/// The longest name, in words, that the scan looks for: long enough for a double first
/// name and a double surname with particles ("María José García López de Haro"), since
/// each word costs a digest per window length. `forget` says when a name is longer.
pub const WINDOW: usize = 8;

/// Every string value of `text` (a TOML file of the repository; keys such as
/// `coach = "maria"` are identifiers and not looked at) that names a forgotten person.
pub fn forgotten_names(path: &Path, text: &str, privacy: &Privacy) -> Vec<Problem> {
    if privacy.forgotten.is_empty() {
        return Vec::new();
    }
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let offset = text.len() - body.len();
    let Ok(doc) = Document::parse(body) else {
        // A file that is not TOML has its own error.
        return Vec::new();
    };
    let known = forgotten_key(privacy);
    let mut problems = Vec::new();
    let mut found = |value: &str, span: Option<std::ops::Range<usize>>| {
        let value = names::nfc(value);
        for hit in names::scan(&value, WINDOW, &known) {
            let start = span.clone().map_or(0, |s| s.start) + offset;
            let (line, column, _) = crate::error::locate(text, start);
            // A multi-line string drops the line break right after its opening quotes.
            let raw = text.get(start..).unwrap_or_default();
            let skipped = ["\"\"\"\n", "'''\n", "\"\"\"\r\n", "'''\r\n"]
                .iter()
                .any(|open| raw.starts_with(open));
            let line = line + usize::from(skipped) + value[..hit.start].matches('\n').count();
            problems.push(problem(path, line, column));
        }
    };
    walk_table(doc.as_table(), &mut found);
    // Comments too, on lines of their own and after a value (`forget` takes the name
    // out of every comment). Everything from a line's first '#' is read: a '#' inside a
    // string only makes the string's text be read twice, and a key (`coach = "maria"`)
    // never holds one.
    for (i, line) in text.lines().enumerate() {
        let Some(hash) = line.find('#') else {
            continue;
        };
        let comment = names::nfc(&line[hash..]);
        for hit in names::scan(&comment, WINDOW, &known) {
            let column = line[..hash].chars().count() + comment[..hit.start].chars().count() + 1;
            problems.push(problem(path, i + 1, column));
        }
    }
    // A '#' inside a string is read both ways: once a line is enough.
    problems.sort();
    problems.dedup_by(|a, b| a.line == b.line && a.message == b.message);
    problems
}

/// Every line of `text`, a plain text file the sluice publishes (the digest's template),
/// that names a forgotten person.
pub fn forgotten_in_text(path: &Path, text: &str, privacy: &Privacy) -> Vec<Problem> {
    if privacy.forgotten.is_empty() {
        return Vec::new();
    }
    let known = forgotten_key(privacy);
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = names::nfc(line);
        for hit in names::scan(&line, WINDOW, &known) {
            problems.push(problem(path, i + 1, line[..hit.start].chars().count() + 1));
        }
    }
    problems
}

/// Whether a name, as the name matcher normalises it, is one `forget` erased: its salted
/// digest is listed. The digests are compared as bytes and the salt is hashed once, so
/// a window of words costs one short hash.
fn forgotten_key(privacy: &Privacy) -> impl Fn(&str) -> bool + '_ {
    let digests: HashSet<Vec<u8>> = privacy
        .forgotten
        .iter()
        .filter_map(|d| d.strip_prefix("sha256:").and_then(from_hex))
        .collect();
    let mut salted = Sha256::new();
    salted.update(privacy.salt.as_bytes());
    salted.update(b":");
    move |key: &str| {
        let mut hash = salted.clone();
        hash.update(key.as_bytes());
        digests.contains(hash.finalize().as_slice())
    }
}

/// The problem names the place, never the name: check's output goes into CI logs that
/// are kept, and may be published, after the file is put right (and after git history is
/// rewritten); quoting the name would make a copy that `forget` cannot reach.
fn problem(path: &Path, line: usize, column: usize) -> Problem {
    Problem {
        path: path.to_path_buf(),
        line,
        column,
        severity: Severity::Error,
        code: "forgotten-name",
        message: "a forgotten person's name is here again (not repeated here: this output may be published)".to_string(),
        hint: Some(
            "a merge, an old branch or an import brought it back; run `sluss forget` with the name again"
                .to_string(),
        ),
    }
}

fn walk_table(table: &Table, found: &mut impl FnMut(&str, Option<std::ops::Range<usize>>)) {
    for (key, item) in table.iter() {
        // A key that spells a name (`"Anna Berg" = …`, written by hand) is no pseudonym:
        // `forget` rewrites no key, so check is where it shows.
        found(key, table.key(key).and_then(toml_edit::Key::span));
        if crate::privacy::is_key_field(key) {
            continue;
        }
        match item {
            Item::Table(t) => walk_table(t, found),
            Item::ArrayOfTables(a) => a.iter().for_each(|t| walk_table(t, found)),
            Item::Value(v) => walk_value(v, found),
            Item::None => {}
        }
    }
}

fn walk_value(value: &Value, found: &mut impl FnMut(&str, Option<std::ops::Range<usize>>)) {
    match value {
        Value::String(s) => found(s.value(), value.span()),
        Value::Array(a) => a.iter().for_each(|v| walk_value(v, found)),
        Value::InlineTable(t) => {
            for (key, v) in t.iter() {
                found(key, t.key(key).and_then(toml_edit::Key::span));
                if !crate::privacy::is_key_field(key) {
                    walk_value(v, found);
                }
            }
        }
        _ => {}
    }
}

fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) || !hex.is_ascii() {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect()
}
