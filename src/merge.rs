//! A three-way merge of two versions of a case file, for git's merge driver.
//!
//! Append-only logs (`history`, `sessions`) are unioned: every entry either side added
//! is kept once, in time order. `partners` is merged as a set: a partner either side
//! added is named, one either side removed is not. A field changed on one side only takes that side's
//! value; a field both sides changed differently is a real conflict, written with git's
//! conflict markers around the two versions so that a person sees it and `sluss check`
//! refuses the file until it is resolved. The result starts from "ours", so our
//! comments and formatting stay.

use std::collections::BTreeSet;
use std::ops::Range;

use chrono::NaiveDateTime;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

use crate::domain::datetime::{to_local_date, to_offset_datetime};

/// The logs that are merged by union.
const LOGS: [(&str, &str); 2] = [("history", "at"), ("sessions", "date")];

/// Top-level arrays of strings that are merged as sets.
const SETS: [&str; 1] = ["partners"];

/// The merged text and the dotted keys both sides changed differently.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub text: String,
    pub conflicts: Vec<String>,
}

/// One field both sides changed: where it is, whether ours removed it, and theirs as a
/// `key = value` line (empty when theirs removed it).
struct Conflict {
    path: Vec<String>,
    ours_removed: bool,
    theirs: String,
}

/// Merges `ours` and `theirs`, both descended from `base`. Fails when a version is not
/// TOML; the caller then falls back to a line-based merge.
pub fn merge_case(base: &str, ours: &str, theirs: &str) -> Result<Merged, String> {
    let parse = |label: &str, text: &str| -> Result<DocumentMut, String> {
        text.strip_prefix('\u{feff}')
            .unwrap_or(text)
            .parse::<DocumentMut>()
            .map_err(|e| format!("{label}: {}", e.message()))
    };
    let base_doc = parse("base", base)?;
    let theirs_doc = parse("theirs", theirs)?;
    let mut result = parse("ours", ours)?;
    let ours_doc = result.clone();

    let mut conflicts = Vec::new();
    merge_table(
        base_doc.as_table(),
        ours_doc.as_table(),
        theirs_doc.as_table(),
        result.as_table_mut(),
        &mut Vec::new(),
        &mut conflicts,
    );
    crate::storage::document::renumber_tables(&mut result);
    let mut text = mark(&result.to_string(), &conflicts);
    let names = conflicts.iter().map(|c| c.path.join(".")).collect();
    if ours.contains("\r\n") {
        text = text.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    if ours.starts_with('\u{feff}') {
        text.insert(0, '\u{feff}');
    }
    Ok(Merged {
        text,
        conflicts: names,
    })
}

fn merge_table(
    base: &Table,
    ours: &Table,
    theirs: &Table,
    result: &mut Table,
    path: &mut Vec<String>,
    conflicts: &mut Vec<Conflict>,
) {
    let mut keys: Vec<String> = ours.iter().map(|(k, _)| k.to_string()).collect();
    for (k, _) in theirs.iter().chain(base.iter()) {
        if !keys.iter().any(|known| known == k) {
            keys.push(k.to_string());
        }
    }
    for key in keys {
        let (b, o, t) = (base.get(&key), ours.get(&key), theirs.get(&key));
        path.push(key.clone());
        if path.len() == 1
            && let Some((_, time_key)) = LOGS.iter().find(|(log, _)| *log == key)
        {
            let merged = union(entries(b), entries(o), entries(t), time_key);
            if merged.is_empty() {
                // Theirs removed the last entries ours still had.
                result.remove(&key);
            } else {
                let mut aot = ArrayOfTables::new();
                for entry in merged {
                    aot.push(entry);
                }
                result.insert(&key, Item::ArrayOfTables(aot));
            }
        } else if path.len() == 1
            && SETS.contains(&key.as_str())
            && let (Some(bs), Some(os), Some(ts)) = (strings(b), strings(o), strings(t))
        {
            merge_set(result, &key, &bs, &os, &ts);
        } else if let (Some(Item::Table(ot)), Some(Item::Table(tt))) = (o, t) {
            let empty = Table::new();
            let bt = b.and_then(Item::as_table).unwrap_or(&empty);
            if let Some(Item::Table(rt)) = result.get_mut(&key) {
                merge_table(bt, ot, tt, rt, path, conflicts);
            }
        } else {
            let (cb, co, ct) = (b.map(canon), o.map(canon), t.map(canon));
            if co == ct || ct == cb {
                // Same on both sides, or only ours changed it: ours stands.
            } else if co == cb {
                match t {
                    Some(item) => set_keeping_decor(result, &key, item.clone()),
                    None => {
                        result.remove(&key);
                    }
                }
            } else {
                if o.is_none()
                    && let Some(item) = t
                {
                    // Ours removed what theirs changed: show theirs inside the markers.
                    result.insert(&key, item.clone());
                }
                conflicts.push(Conflict {
                    path: path.clone(),
                    ours_removed: o.is_none(),
                    theirs: t.map(|item| line_of(&key, item)).unwrap_or_default(),
                });
            }
        }
        path.pop();
    }
}

/// The strings of an array of strings (none when the key is missing); `None` when it
/// holds anything else.
fn strings(item: Option<&Item>) -> Option<Vec<String>> {
    match item {
        None => Some(Vec::new()),
        Some(Item::Value(Value::Array(a))) => {
            a.iter().map(|v| v.as_str().map(str::to_string)).collect()
        }
        Some(_) => None,
    }
}

/// Ours, less what theirs removed, plus what theirs added (in theirs' order), edited
/// in place so that our layout stays.
fn merge_set(result: &mut Table, key: &str, base: &[String], ours: &[String], theirs: &[String]) {
    let removed: Vec<&String> = base.iter().filter(|x| !theirs.contains(x)).collect();
    let added: Vec<&String> = theirs
        .iter()
        .filter(|x| !base.contains(x) && !ours.contains(x))
        .collect();
    if removed.iter().all(|x| !ours.contains(x)) && added.is_empty() {
        return;
    }
    match result.get_mut(key) {
        Some(Item::Value(Value::Array(a))) => {
            a.retain(|v| v.as_str().is_none_or(|s| !removed.iter().any(|r| *r == s)));
            for x in added {
                a.push(x.as_str());
            }
        }
        _ => {
            let a: toml_edit::Array = added.iter().map(|x| x.as_str()).collect();
            result.insert(key, toml_edit::value(a));
        }
    }
}

/// The entries of a log, whichever way the file writes them.
fn entries(item: Option<&Item>) -> Vec<Table> {
    match item {
        Some(Item::ArrayOfTables(a)) => a.iter().cloned().collect(),
        Some(Item::Value(Value::Array(a))) => a
            .iter()
            .filter_map(|v| v.as_inline_table().map(|t| t.clone().into_table()))
            .collect(),
        _ => Vec::new(),
    }
}

/// Ours, less what theirs removed, plus what theirs added; in time order.
fn union(base: Vec<Table>, ours: Vec<Table>, theirs: Vec<Table>, time_key: &str) -> Vec<Table> {
    let key = |t: &Table| canon_table(t);
    let base_keys: BTreeSet<String> = base.iter().map(key).collect();
    let ours_keys: BTreeSet<String> = ours.iter().map(key).collect();
    let theirs_keys: BTreeSet<String> = theirs.iter().map(key).collect();
    let mut merged: Vec<Table> = ours
        .into_iter()
        .filter(|e| {
            let k = key(e);
            theirs_keys.contains(&k) || !base_keys.contains(&k)
        })
        .collect();
    let mut added = BTreeSet::new();
    for e in theirs {
        let k = key(&e);
        if !ours_keys.contains(&k) && !base_keys.contains(&k) && added.insert(k) {
            merged.push(e);
        }
    }
    // Stable: entries at the same time keep ours-then-theirs order.
    merged.sort_by_cached_key(|t| moment(t.get(time_key)));
    merged
}

/// When an entry happened, for ordering: a date-time by its instant (two people's
/// clocks may write different offsets for one moment), a date at its midnight.
fn moment(item: Option<&Item>) -> Option<NaiveDateTime> {
    let (datetime, _) = crate::domain::datetime::item_datetime(item?)?;
    match to_offset_datetime(&datetime) {
        Some(at) => Some(at.naive_utc()),
        None => to_local_date(&datetime)?.and_hms_opt(0, 0, 0),
    }
}

/// A value's meaning, free of comments and layout, so that two sides compare equal
/// when they say the same thing.
fn canon(item: &Item) -> String {
    match item {
        Item::Value(v) => canon_value(v),
        Item::Table(t) => canon_table(t),
        Item::ArrayOfTables(a) => a.iter().map(canon_table).collect::<Vec<_>>().join("\n"),
        Item::None => String::new(),
    }
}

fn canon_value(v: &Value) -> String {
    let mut v = v.clone();
    v.decor_mut().clear();
    let text = format!("v = {v}");
    match text.parse::<toml::Table>() {
        Ok(t) => toml::to_string(&t).unwrap_or(text),
        Err(_) => text,
    }
}

fn canon_table(t: &Table) -> String {
    let mut parts: Vec<String> = t
        .iter()
        .map(|(k, item)| format!("{k}:{}", canon(item)))
        .collect();
    parts.sort();
    parts.join("\u{1f}")
}

fn set_keeping_decor(table: &mut Table, key: &str, item: Item) {
    match (table.get_mut(key), item) {
        (Some(Item::Value(old)), Item::Value(mut new)) => {
            *new.decor_mut() = old.decor().clone();
            *old = new;
        }
        (_, item) => {
            table.insert(key, item);
        }
    }
}

/// `key = value` as a line of TOML.
fn line_of(key: &str, item: &Item) -> String {
    let mut doc = DocumentMut::new();
    let mut item = item.clone();
    if let Item::Value(v) = &mut item {
        v.decor_mut().clear();
    }
    doc.insert(key, item);
    doc.to_string().trim_end().to_string()
}

/// Wraps the lines of each conflicting key in git's conflict markers. The places are
/// all found in the clean text first: text with markers in it no longer parses.
fn mark(text: &str, conflicts: &[Conflict]) -> String {
    let Ok(doc) = toml_edit::Document::parse(text) else {
        return text.to_string();
    };
    let mut places: Vec<(Range<usize>, &Conflict)> = conflicts
        .iter()
        .filter_map(|c| Some((lines_of_key(&doc, text, &c.path)?, c)))
        .collect();
    places.sort_by_key(|(lines, _)| lines.start);
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for (lines, conflict) in places {
        if lines.start < done {
            continue;
        }
        out.push_str(&text[done..lines.start]);
        let ours = if conflict.ours_removed {
            // Ours removed the key: our side is empty (the result held theirs only to
            // give the markers a place).
            String::new()
        } else if text[lines.clone()].ends_with('\n') {
            text[lines.clone()].to_string()
        } else {
            format!("{}\n", &text[lines.clone()])
        };
        let theirs = if conflict.theirs.is_empty() {
            String::new()
        } else {
            format!("{}\n", conflict.theirs)
        };
        out.push_str(&format!(
            "<<<<<<< ours\n{ours}=======\n{theirs}>>>>>>> theirs\n"
        ));
        done = lines.end;
    }
    out.push_str(&text[done..]);
    out
}

/// The whole lines that hold the key at `path` and its value.
fn lines_of_key(
    doc: &toml_edit::Document<&str>,
    text: &str,
    path: &[String],
) -> Option<Range<usize>> {
    let (last, parents) = path.split_last()?;
    let mut table = doc.as_table();
    for p in parents {
        table = table.get(p).and_then(Item::as_table)?;
    }
    let key = table.key(last)?.span()?;
    let value = table.get(last).and_then(Item::span)?;
    let start = text[..key.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[value.end..]
        .find('\n')
        .map_or(text.len(), |i| value.end + i + 1);
    Some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"id = "c0f3"
title = "Matsedel"
stage = "utforska" # where it is
status = "open"

[[history]]
at = 2020-01-01T10:00:00+01:00
by = "erik"
from = "inkommen"
to = "utforska"
"#;

    #[test]
    fn appended_sessions_on_both_sides_are_both_kept_in_date_order() {
        let ours =
            format!("{BASE}\n[[sessions]]\ndate = 2020-02-03\ncoach = \"erik\"\nminutes = 60\n");
        let theirs =
            format!("{BASE}\n[[sessions]]\ndate = 2020-02-01\ncoach = \"sara\"\nminutes = 30\n");
        let m = merge_case(BASE, &ours, &theirs).unwrap();
        assert!(m.conflicts.is_empty());
        let case: toml::Table = toml::from_str(&m.text).unwrap();
        let sessions = case["sessions"].as_array().unwrap();
        assert_eq!(sessions.len(), 2);
        assert_eq!(sessions[0]["coach"].as_str(), Some("sara"));
    }

    #[test]
    fn a_field_changed_on_one_side_is_taken_with_our_comment() {
        let theirs = BASE.replace("stage = \"utforska\"", "stage = \"utveckla\"");
        let m = merge_case(BASE, BASE, &theirs).unwrap();
        assert!(
            m.text.contains("stage = \"utveckla\" # where it is"),
            "{}",
            m.text
        );
    }

    #[test]
    fn both_sides_changing_a_field_differently_is_marked() {
        let ours = BASE.replace("title = \"Matsedel\"", "title = \"Digital matsedel\"");
        let theirs = BASE.replace("title = \"Matsedel\"", "title = \"Meny på nätet\"");
        let m = merge_case(BASE, &ours, &theirs).unwrap();
        assert_eq!(m.conflicts, vec!["title".to_string()]);
        assert!(m.text.contains("<<<<<<< ours\ntitle = \"Digital matsedel\"\n=======\ntitle = \"Meny på nätet\"\n>>>>>>> theirs\n"), "{}", m.text);
    }
}
