//! A three-way merge of two versions of a sluss file (a case, a program's participants,
//! a network member, an assessment), for git's merge driver.
//!
//! Arrays of tables (`history`, `sessions`, `participants`, …) are multisets of entries:
//! each entry of the common ancestor is found again on each side (unchanged, changed or
//! removed), and what each side added is kept as often as that side added it. An entry
//! changed on one side only is that side's entry, once; one changed on both sides is
//! merged field by field. An entry both sides added alike is the same work done twice
//! and kept once; so is the same change of stage, status, coach, program or partner
//! made on both sides, and one coach, program or participant both sides added (merged
//! field by field). `partners` and `tags` are merged as sets. A field changed on one side only takes that side's value; a field
//! both sides changed differently is a conflict, marked in place with git's markers when
//! it is one `key = value` line of a table, or else left for the caller to mark the whole
//! file (see [`Merged::marked`]). A person's table that is `forgotten` on either side
//! gains no name or contact from the other. The result starts from "ours", so our
//! comments and formatting stay.

use std::ops::Range;
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, TableLike, Value};

use crate::domain::datetime::{to_local_date, to_offset_datetime};
use crate::domain::names::NameSet;
use crate::privacy::CONTACT_KEYS;

/// The logs ordered in time, and the key that says when an entry happened.
const TIME_KEYS: [(&str, &str); 2] = [("history", "at"), ("sessions", "date")];

/// Keys that name one entry across versions, in order of preference: an entry whose
/// other fields changed still has these.
const IDENTITY_KEYS: [&str; 4] = ["at", "date", "key", "name"];

/// Arrays of tables whose order means something (the stages of `sluss.toml`, in the
/// order a case goes through them): when both sides changed one, a person decides.
/// A line merge of the file, when it is clean and passes `check`, is the order the
/// two sides meant.
pub const ORDERED: [&str; 1] = ["stages"];

/// Arrays of strings that are merged as sets, by their dotted path: a case's partners and
/// tags, and the digests of forgotten names in `sluss.toml` (two branches that each
/// forgot someone keep both erasures).
const SETS: [&str; 3] = ["partners", "tags", "privacy.forgotten"];

/// The merged text and what both sides changed differently.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub text: String,
    /// Where both sides disagree, as dotted keys (`title`, `sessions[2].minutes`).
    pub conflicts: Vec<String>,
    /// Whether `text` marks every conflict with git's markers. When it does not, some
    /// conflict has no single line to stand on (a whole table, an entry of a log) and
    /// the caller marks the whole file instead.
    pub marked: bool,
}

/// One place where both sides disagree; `line` when it can be marked in place.
struct Conflict {
    path: Vec<String>,
    line: Option<InPlace>,
}

/// A conflict on one `key = value` line: whether ours removed it, and theirs as a
/// `key = value` line (empty when theirs removed it).
struct InPlace {
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
    let mut merger = Merger {
        path: Vec::new(),
        conflicts: &mut conflicts,
        in_entry: false,
    };
    merger.table(
        base_doc.as_table(),
        ours_doc.as_table(),
        theirs_doc.as_table(),
        result.as_table_mut(),
    );
    stage_from_history(&mut result, &ours_doc, &theirs_doc, &mut conflicts);
    for (name, contacts) in forgotten_people(&base_doc, &ours_doc, &theirs_doc) {
        crate::privacy::forget_in(
            &mut result,
            &NameSet::new([&name]),
            &NameSet::new(&contacts),
        );
        for line in conflicts.iter_mut().filter_map(|c| c.line.as_mut()) {
            line.theirs = forget_in_text(&line.theirs, &name, &contacts);
        }
    }
    forget_forgotten(result.as_table_mut());
    crate::storage::document::renumber_tables(&mut result);
    let marked = conflicts.iter().all(|c| c.line.is_some());
    let mut text = mark(&result.to_string(), &conflicts);
    let names = conflicts.iter().map(|c| c.path.join(".")).collect();
    let ours_body = ours.strip_prefix('\u{feff}').unwrap_or(ours);
    if ours_body.contains('\r') {
        // Our lines keep their bytes (a bare LF inside a multi-line string of a CRLF
        // file stays LF); new lines take our style.
        text = crate::storage::document::keep_line_endings(
            ours_body,
            &text.replace("\r\n", "\n"),
            ours_body.contains("\r\n"),
        );
    }
    if ours.starts_with('\u{feff}') {
        text.insert(0, '\u{feff}');
    }
    Ok(Merged {
        text,
        conflicts: names,
        marked,
    })
}

/// The people one side forgot since the common ancestor, with their contact details:
/// a person named in a table of `base` whose name that side no longer has anywhere,
/// while it has a table marked `forgotten` (what `sluss forget` leaves).
fn forgotten_people(
    base: &DocumentMut,
    ours: &DocumentMut,
    theirs: &DocumentMut,
) -> Vec<(String, Vec<String>)> {
    fn names(table: &dyn TableLike, out: &mut Vec<String>) {
        if let Some(name) = table.get("name").and_then(Item::as_str) {
            out.push(name.trim().to_string());
        }
        for (_, item) in table.iter() {
            match item {
                Item::Table(t) => names(t, out),
                Item::ArrayOfTables(a) => a.iter().for_each(|t| names(t, out)),
                Item::Value(Value::InlineTable(t)) => names(t, out),
                Item::Value(Value::Array(a)) => a
                    .iter()
                    .filter_map(Value::as_inline_table)
                    .for_each(|t| names(t, out)),
                _ => {}
            }
        }
    }
    fn has_forgotten(table: &dyn TableLike) -> bool {
        is_forgotten(table)
            || table.iter().any(|(_, item)| match item {
                Item::Table(t) => has_forgotten(t),
                Item::ArrayOfTables(a) => a.iter().any(|t| has_forgotten(t)),
                Item::Value(Value::InlineTable(t)) => has_forgotten(t),
                Item::Value(Value::Array(a)) => a
                    .iter()
                    .filter_map(Value::as_inline_table)
                    .any(|t| has_forgotten(t)),
                _ => false,
            })
    }
    let mut people = Vec::new();
    names(base.as_table(), &mut people);
    people.retain(|n| n.chars().count() >= 3);
    people.sort();
    people.dedup();
    let sides: Vec<(String, bool)> = [ours, theirs]
        .iter()
        .map(|d| (d.to_string(), has_forgotten(d.as_table())))
        .collect();
    people
        .into_iter()
        .filter(|name| {
            sides.iter().any(|(text, forgot)| {
                *forgot && crate::privacy::replace_ignoring_case(text, name, "").is_none()
            })
        })
        .map(|name| {
            let mut contacts: Vec<String> = [base, ours, theirs]
                .iter()
                .flat_map(|d| crate::privacy::contacts_of(d, &NameSet::new([&name])))
                .collect();
            contacts.sort();
            contacts.dedup();
            (name, contacts)
        })
        .collect()
}

/// `text` with a forgotten person's name and contact details removed.
fn forget_in_text(text: &str, name: &str, contacts: &[String]) -> String {
    let mut text = text.to_string();
    for needle in std::iter::once(name).chain(contacts.iter().map(String::as_str)) {
        if let Some(t) =
            crate::privacy::replace_ignoring_case(&text, needle, crate::privacy::REMOVED)
        {
            text = t;
        }
    }
    text
}

/// The three versions with every person one side forgot (see `forgotten_people`)
/// forgotten in each, for a line merge that must not bring them back; `None` when no
/// one was forgotten, or a version is not TOML.
pub fn forgetting(base: &str, ours: &str, theirs: &str) -> Option<[String; 3]> {
    let parse = |t: &str| {
        t.strip_prefix('\u{feff}')
            .unwrap_or(t)
            .parse::<DocumentMut>()
            .ok()
    };
    let docs = [parse(base)?, parse(ours)?, parse(theirs)?];
    let people = forgotten_people(&docs[0], &docs[1], &docs[2]);
    if people.is_empty() {
        return None;
    }
    Some(docs.map(|mut doc| {
        for (name, contacts) in &people {
            crate::privacy::forget_in(&mut doc, &NameSet::new([name]), &NameSet::new(contacts));
        }
        doc.to_string()
    }))
}

/// Both sides moved the case to different stages, but the merged history is one chain
/// of moves (each from the stage the one before went to) that ends where one side's
/// stage is: one side moved further along the same path, so that stage stands.
fn stage_from_history(
    result: &mut DocumentMut,
    ours: &DocumentMut,
    theirs: &DocumentMut,
    conflicts: &mut Vec<Conflict>,
) {
    let Some(at) = conflicts.iter().position(|c| c.path == ["stage"]) else {
        return;
    };
    let mut end: Option<String> = None;
    for entry in entries(result.get("history")) {
        let (Some(from), Some(to)) = (
            entry.get("from").and_then(Item::as_str),
            entry.get("to").and_then(Item::as_str),
        ) else {
            continue;
        };
        if end.as_ref().is_some_and(|e| e != from) {
            return;
        }
        end = Some(to.to_string());
    }
    let Some(end) = end else {
        return;
    };
    let stage = |doc: &DocumentMut| doc.get("stage").and_then(Item::as_str).map(str::to_string);
    if stage(ours).as_ref() == Some(&end) || stage(theirs).as_ref() == Some(&end) {
        set_keeping_decor(result.as_table_mut(), "stage", toml_edit::value(end));
        conflicts.remove(at);
    }
}

/// Walks the three versions together, writing into the result.
struct Merger<'a> {
    path: Vec<String>,
    conflicts: &'a mut Vec<Conflict>,
    /// Inside an entry of a log, where no conflict can be marked on its own line.
    in_entry: bool,
}

impl Merger<'_> {
    fn table(&mut self, base: &Table, ours: &Table, theirs: &Table, result: &mut Table) {
        let forgotten = is_forgotten(ours) || is_forgotten(theirs);
        let mut keys: Vec<String> = ours.iter().map(|(k, _)| k.to_string()).collect();
        for (k, _) in theirs.iter().chain(base.iter()) {
            if !keys.iter().any(|known| known == k) {
                keys.push(k.to_string());
            }
        }
        for key in keys {
            if forgotten && is_personal(&key) {
                // Erasure wins: the other side's name or contact does not come back.
                result.remove(&key);
                continue;
            }
            let (b, o, t) = (base.get(&key), ours.get(&key), theirs.get(&key));
            self.path.push(key.clone());
            self.item(&key, b, o, t, result);
            self.path.pop();
        }
        if forgotten && let Some(Item::Value(v)) = result.get_mut("consent") {
            let decor = v.decor().clone();
            *v = Value::from(false);
            *v.decor_mut() = decor;
        }
    }

    fn item(
        &mut self,
        key: &str,
        b: Option<&Item>,
        o: Option<&Item>,
        t: Option<&Item>,
        result: &mut Table,
    ) {
        let top = self.path.len() == 1 && !self.in_entry;
        let (cb, co, ct) = (b.map(canon), o.map(canon), t.map(canon));
        // A log without a time (coaches, programs, stages, participants) keeps the
        // order of the side that changed it; one with a time is put in time order.
        let untimed_log =
            top && is_log(key, [b, o, t]) && !TIME_KEYS.iter().any(|(l, _)| *l == key);
        if untimed_log && (co == ct || ct == cb) {
            // Theirs left the log as it was, or made it what ours made it: ours stands,
            // in our order.
        } else if untimed_log && co == cb {
            // Only theirs changed the log: theirs, in their order.
            match t {
                Some(item) => {
                    result.insert(key, item.clone());
                }
                None => {
                    result.remove(key);
                }
            }
        } else if top && is_log(key, [b, o, t]) && ORDERED.contains(&key) {
            // Both changed a list whose order means something: a person decides.
            self.conflict(key, o, t, result);
        } else if top && is_log(key, [b, o, t]) {
            let merged = self.entries(key, b, o, t);
            if merged.is_empty() {
                // Theirs removed the last entries ours still had.
                result.remove(key);
            } else {
                let mut aot = ArrayOfTables::new();
                for entry in merged {
                    aot.push(entry);
                }
                result.insert(key, Item::ArrayOfTables(aot));
            }
        } else if !self.in_entry
            && SETS.contains(&self.path.join(".").as_str())
            && let (Some(bs), Some(os), Some(ts)) = (strings(b), strings(o), strings(t))
        {
            merge_set(result, key, &bs, &os, &ts);
        } else if self.in_entry
            && key == "next_steps"
            && let Some(merged) = merge_steps(b, o, t)
        {
            set_keeping_decor(result, key, merged);
        } else if let (Some(Item::Table(ot)), Some(Item::Table(tt))) = (o, t) {
            let empty = Table::new();
            let bt = b.and_then(Item::as_table).unwrap_or(&empty);
            if let Some(Item::Table(rt)) = result.get_mut(key) {
                self.table(bt, ot, tt, rt);
            }
        } else {
            if co == ct || ct == cb {
                // Same on both sides, or only ours changed it: ours stands.
            } else if co == cb {
                match t {
                    Some(item) => set_keeping_decor(result, key, item.clone()),
                    None => {
                        result.remove(key);
                    }
                }
            } else {
                self.conflict(key, o, t, result);
            }
        }
    }

    /// Both sides changed `key` differently. A plain value is marked on its line; a
    /// table, or anything inside a log's entry, leaves the whole file to be marked.
    fn conflict(&mut self, key: &str, o: Option<&Item>, t: Option<&Item>, result: &mut Table) {
        let plain = |item: Option<&Item>| item.is_none_or(Item::is_value);
        let line = (!self.in_entry && plain(o) && plain(t)).then(|| {
            if o.is_none()
                && let Some(item) = t
            {
                // Ours removed what theirs changed: show theirs inside the markers.
                result.insert(key, item.clone());
            }
            InPlace {
                ours_removed: o.is_none(),
                theirs: t.map(|item| line_of(key, item)).unwrap_or_default(),
            }
        });
        self.conflicts.push(Conflict {
            path: self.path.clone(),
            line,
        });
    }

    /// The entries of a log after the merge, in time order when the log has a time.
    fn entries(
        &mut self,
        key: &str,
        b: Option<&Item>,
        o: Option<&Item>,
        t: Option<&Item>,
    ) -> Vec<Table> {
        let (base, ours, theirs) = (entries(b), entries(o), entries(t));
        let (o, t) = (align(&base, &ours), align(&base, &theirs));
        let (ours_fate, ours_added, theirs_fate, theirs_added) = (o.fate, o.added, t.fate, t.added);
        let mut merged = Vec::new();
        for (i, entry) in base.iter().enumerate() {
            let label = format!("{key}[{i}]");
            let unsure = (o.unsure[i] && !matches!(theirs_fate[i], Fate::Kept(_)))
                || (t.unsure[i] && !matches!(ours_fate[i], Fate::Kept(_)));
            if unsure {
                // Which entry one side changed depends on a guess, and the other side
                // did something to it too: a person decides.
                self.conflicts.push(Conflict {
                    path: vec![label.clone()],
                    line: None,
                });
            }
            match (ours_fate[i], theirs_fate[i]) {
                (Fate::Kept(j), Fate::Kept(_)) | (Fate::Changed(j), Fate::Kept(_)) => {
                    merged.push(ours[j].clone());
                }
                (Fate::Kept(_), Fate::Changed(k)) => merged.push(theirs[k].clone()),
                (Fate::Changed(j), Fate::Changed(k)) => {
                    let mut r = ours[j].clone();
                    if canon_table(&ours[j]) != canon_table(&theirs[k]) {
                        let was = std::mem::replace(&mut self.in_entry, true);
                        let path = std::mem::replace(&mut self.path, vec![label]);
                        self.table(entry, &ours[j], &theirs[k], &mut r);
                        self.path = path;
                        self.in_entry = was;
                    }
                    merged.push(r);
                }
                (Fate::Removed, Fate::Changed(_)) | (Fate::Changed(_), Fate::Removed) => {
                    // One side changed an entry the other removed: a person decides.
                    self.conflicts.push(Conflict {
                        path: vec![label],
                        line: None,
                    });
                }
                (Fate::Removed, _) | (_, Fate::Removed) => {}
            }
        }
        let mut ours_new: Vec<(Table, bool)> = ours_added
            .iter()
            .map(|&j| (ours[j].clone(), false))
            .collect();
        let mut theirs_new = Vec::new();
        for &k in &theirs_added {
            let entry = &theirs[k];
            let same = ours_new.iter().position(|(o, taken)| {
                !taken
                    && (canon_table(o) == canon_table(entry)
                        || (key == "history" && same_move(o, entry)))
            });
            match same {
                Some(at) => {
                    // Both sides did this; keep it once, as whoever did it first wrote it.
                    let (o, taken) = &mut ours_new[at];
                    *taken = true;
                    if moment(entry.get("at")) < moment(o.get("at")) {
                        *o = entry.clone();
                    }
                }
                None => {
                    let timed = TIME_KEYS.iter().any(|(log, _)| *log == key);
                    let record = ours_new
                        .iter()
                        .position(|(o, taken)| !taken && !timed && same_record(o, entry));
                    match record {
                        Some(at) => {
                            // One coach, program or participant added on both sides with
                            // different details: one record, merged field by field.
                            let (o, taken) = &mut ours_new[at];
                            *taken = true;
                            let mine = o.clone();
                            let was = std::mem::replace(&mut self.in_entry, true);
                            let path = std::mem::replace(
                                &mut self.path,
                                vec![format!("{key}[{}]", theirs_new.len() + at)],
                            );
                            self.table(&Table::new(), &mine, entry, o);
                            self.path = path;
                            self.in_entry = was;
                        }
                        None => theirs_new.push(entry.clone()),
                    }
                }
            }
        }
        merged.extend(ours_new.into_iter().map(|(t, _)| t));
        merged.extend(theirs_new);
        if let Some((_, time_key)) = TIME_KEYS.iter().find(|(log, _)| *log == key) {
            // Stable: entries at the same time keep base, ours, theirs order.
            merged.sort_by_cached_key(|t| moment(t.get(time_key)));
        }
        merged
    }
}

/// What became of an entry of the common ancestor on one side.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fate {
    /// The side has it unchanged, at this index.
    Kept(usize),
    /// The side changed it into the entry at this index.
    Changed(usize),
    Removed,
}

/// How one side's entries of a log relate to the common ancestor's.
struct Alignment {
    /// What became of each base entry.
    fate: Vec<Fate>,
    /// The indices of the entries the side added.
    added: Vec<usize>,
    /// Base entries the side may have changed or removed: which one, the file cannot
    /// tell (two alike, one changed and one removed).
    unsure: Vec<bool>,
}

/// Finds each entry of `base` in `side`: unchanged first (as often as it occurs), then
/// changed, known by its identity (its time, key or name) or, for a person forgotten on
/// that side, by everything but personal data. An entry whose identity changed counts
/// as removed and added: if the other side changed it too, a person decides.
fn align(base: &[Table], side: &[Table]) -> Alignment {
    let base_canon: Vec<String> = base.iter().map(canon_table).collect();
    let side_canon: Vec<String> = side.iter().map(canon_table).collect();
    let mut used = vec![false; side.len()];
    let mut fate = vec![Fate::Removed; base.len()];
    for (i, b) in base_canon.iter().enumerate() {
        if let Some(j) = (0..side.len()).find(|&j| !used[j] && side_canon[j] == *b) {
            used[j] = true;
            fate[i] = Fate::Kept(j);
        }
    }
    // Changed entries: among those of one identity, the closest pairs first, so that
    // of two sessions on one day the one that kept more of its fields is the one found.
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (i, b) in base.iter().enumerate() {
        for (j, s) in side.iter().enumerate() {
            if fate[i] == Fate::Removed && !used[j] && (same_identity(b, s) || similar(b, s)) {
                pairs.push((differences(b, s), i, j));
            }
        }
    }
    pairs.sort_unstable();
    let mut unsure = vec![false; base.len()];
    for (n, &(d, i, j)) in pairs.iter().enumerate() {
        if fate[i] == Fate::Removed && !used[j] {
            // Another entry just as close either way: the file cannot tell which one
            // this side changed (and which it removed).
            for &(_, i2, j2) in pairs[n + 1..].iter().take_while(|p| p.0 == d) {
                if (i2 == i && !used[j2]) || (j2 == j && fate[i2] == Fate::Removed) {
                    unsure[i] = true;
                    unsure[i2] = true;
                }
            }
            used[j] = true;
            fate[i] = Fate::Changed(j);
        }
    }
    let added = (0..side.len()).filter(|&j| !used[j]).collect();
    Alignment {
        fate,
        added,
        unsure,
    }
}

/// How many fields differ between two entries.
fn differences(a: &Table, b: &Table) -> usize {
    let mut keys: Vec<&str> = a.iter().chain(b.iter()).map(|(k, _)| k).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.iter()
        .filter(|k| a.get(k).map(canon) != b.get(k).map(canon))
        .count()
}

/// Whether two entries carry the same identity: the first of [`IDENTITY_KEYS`] the
/// older one has, with the same value in both.
fn same_identity(old: &Table, new: &Table) -> bool {
    IDENTITY_KEYS
        .iter()
        .find_map(|k| old.get(k).map(|v| (k, canon(v))))
        .is_some_and(|(k, v)| new.get(k).map(canon) == Some(v))
}

/// Whether `new` is `old` with its person forgotten: everything but personal data is
/// the same.
fn similar(old: &Table, new: &Table) -> bool {
    if !is_forgotten(new) || is_forgotten(old) {
        return false;
    }
    let mut keys: Vec<&str> = old.iter().chain(new.iter()).map(|(k, _)| k).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.retain(|k| !is_personal(k) && *k != "consent" && *k != "forgotten");
    !keys.is_empty()
        && keys
            .iter()
            .all(|k| old.get(k).map(canon) == new.get(k).map(canon))
}

/// The keys of a history entry that record a change of the case (a stage, a status, a
/// coach, a program, a partner, a result text), as opposed to a note alone.
const CHANGE_KEYS: [&str; 8] = [
    "to",
    "result",
    "status",
    "coach",
    "program",
    "partner_added",
    "partner_removed",
    "outcome",
];

/// Two history entries that record the same change and differ only in when and by
/// whom: both sides made that change (advanced the case the same step, gave it to the
/// same coach, named the same partner), which happened once.
fn same_move(a: &Table, b: &Table) -> bool {
    let strip = |t: &Table| {
        let mut t = t.clone();
        t.remove("at");
        t.remove("by");
        canon_table(&t)
    };
    CHANGE_KEYS.iter().any(|k| a.contains_key(k)) && strip(a) == strip(b)
}

/// Whether two entries of a log without a time name the same record: the same `key`
/// (a coach, a program), or else the same name from the same unit (a participant), as
/// the commands that add them compare.
fn same_record(a: &Table, b: &Table) -> bool {
    let text = |t: &Table, k: &str| {
        t.get(k)
            .and_then(Item::as_str)
            .map(|s| s.trim().to_lowercase())
    };
    match (text(a, "key"), text(b, "key")) {
        (Some(x), Some(y)) => x == y,
        _ => {
            text(a, "name").is_some()
                && text(a, "name") == text(b, "name")
                && text(a, "unit") == text(b, "unit")
        }
    }
}

/// Whether `key` holds a log: an array of tables on some side (or a known log).
fn is_log(key: &str, items: [Option<&Item>; 3]) -> bool {
    let entries_or_none = |item: &Option<&Item>| match item {
        None | Some(Item::ArrayOfTables(_)) => true,
        Some(Item::Value(Value::Array(a))) => a.iter().all(Value::is_inline_table),
        Some(_) => false,
    };
    let some_table = items
        .iter()
        .any(|item| matches!(item, Some(Item::ArrayOfTables(_))));
    items.iter().all(entries_or_none)
        && (some_table || TIME_KEYS.iter().any(|(log, _)| *log == key))
}

/// `forgotten = true`: `sluss forget` erased the person this table describes.
fn is_forgotten(table: &dyn TableLike) -> bool {
    table.get("forgotten").and_then(Item::as_bool) == Some(true)
}

/// A key that names or reaches a person.
fn is_personal(key: &str) -> bool {
    key == "name" || CONTACT_KEYS.contains(&key)
}

/// Takes name and contact out of every table (inline ones too) marked `forgotten`,
/// wherever the merge put them.
fn forget_forgotten(table: &mut dyn TableLike) {
    if is_forgotten(table) {
        let personal: Vec<String> = table
            .iter()
            .map(|(k, _)| k.to_string())
            .filter(|k| is_personal(k))
            .collect();
        for key in personal {
            table.remove(&key);
        }
    }
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(t) => forget_forgotten(t),
            Item::ArrayOfTables(a) => a.iter_mut().for_each(|t| forget_forgotten(t)),
            Item::Value(v) => forget_in_value(v),
            Item::None => {}
        }
    }
}

fn forget_in_value(value: &mut Value) {
    match value {
        Value::InlineTable(t) => {
            if t.get("forgotten").and_then(Value::as_bool) == Some(true) {
                t.retain(|k, _| !is_personal(k));
            }
            t.iter_mut().for_each(|(_, v)| forget_in_value(v));
        }
        Value::Array(a) => a.iter_mut().for_each(forget_in_value),
        _ => {}
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

/// When an entry happened, for ordering: a date-time by its instant (two people's
/// clocks may write different offsets for one moment), a date at its midnight.
fn moment(item: Option<&Item>) -> Option<NaiveDateTime> {
    let (datetime, _) = crate::domain::datetime::item_datetime(item?)?;
    match to_offset_datetime(&datetime) {
        Some(at) => Some(at.naive_utc()),
        None => to_local_date(&datetime)?.and_hms_opt(0, 0, 0),
    }
}

/// A session's next steps that both sides changed, merged step by step when both kept
/// the steps of the common ancestor in place (each side marked different steps done,
/// or gave them due days): a step changed on one side only is that side's. `None` when
/// the lists differ in length or text, or both changed one step differently.
fn merge_steps(b: Option<&Item>, o: Option<&Item>, t: Option<&Item>) -> Option<Item> {
    fn array(item: Option<&Item>) -> Option<&toml_edit::Array> {
        item.and_then(Item::as_value).and_then(Value::as_array)
    }
    let (ba, oa, ta) = (array(b)?, array(o)?, array(t)?);
    if ba.len() != oa.len() || ba.len() != ta.len() {
        return None;
    }
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.value().clone()),
        Value::InlineTable(t) => t.get("text").and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    let mut merged = oa.clone();
    for (i, ((bv, ov), tv)) in ba.iter().zip(oa.iter()).zip(ta.iter()).enumerate() {
        let texts = [text(bv)?, text(ov)?, text(tv)?];
        if texts[0] != texts[1] || texts[0] != texts[2] {
            return None;
        }
        let (cb, co, ct) = (canon_value(bv), canon_value(ov), canon_value(tv));
        if co == ct || ct == cb {
            continue;
        }
        if co != cb {
            return None;
        }
        let mut theirs = tv.clone();
        *theirs.decor_mut() = ov.decor().clone();
        merged.replace(i, theirs);
    }
    Some(Item::Value(Value::Array(merged)))
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
    let mut places: Vec<(Range<usize>, &InPlace)> = conflicts
        .iter()
        .filter_map(|c| Some((lines_of_key(&doc, text, &c.path)?, c.line.as_ref()?)))
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

/// Both whole versions between git's conflict markers: what a person sees when no
/// finer merge is safe. Choosing either side gives that side's file back.
pub fn whole_file_markers(ours: &[u8], theirs: &[u8]) -> Vec<u8> {
    let line = |side: &[u8]| {
        let mut v = side.to_vec();
        if !v.is_empty() && !v.ends_with(b"\n") {
            v.push(b'\n');
        }
        v
    };
    [
        b"<<<<<<< ours\n".to_vec(),
        line(ours),
        b"=======\n".to_vec(),
        line(theirs),
        b">>>>>>> theirs\n".to_vec(),
    ]
    .concat()
}

/// Whether text with conflict markers can be resolved either way: taking every "ours"
/// part, or every "theirs" part, gives TOML whose keys all stand in tables where ours,
/// theirs or base have them (no key left under the table before a removed header).
/// Versions that are not all TOML cannot be judged this way: any markers do.
pub fn resolves_cleanly(marked: &str, versions: [&str; 3]) -> bool {
    let Some(known) = versions
        .iter()
        .map(|v| key_paths(v))
        .collect::<Option<Vec<Vec<String>>>>()
    else {
        return true;
    };
    [true, false].into_iter().all(|keep_ours| {
        let Some(paths) = key_paths(&resolve(marked, keep_ours)) else {
            return false;
        };
        paths
            .iter()
            .all(|p| known.iter().any(|k| k.binary_search(p).is_ok()))
    })
}

/// One side of every conflict in `marked`.
fn resolve(marked: &str, keep_ours: bool) -> String {
    #[derive(PartialEq)]
    enum Part {
        Both,
        Ours,
        Base,
        Theirs,
    }
    let mut part = Part::Both;
    let mut out = String::with_capacity(marked.len());
    for line in marked.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\r', '\n']);
        if bare.starts_with("<<<<<<<") {
            part = Part::Ours;
        } else if bare.starts_with("|||||||") && part == Part::Ours {
            part = Part::Base;
        } else if bare == "=======" && part != Part::Both {
            part = Part::Theirs;
        } else if bare.starts_with(">>>>>>>") {
            part = Part::Both;
        } else if part == Part::Both
            || (part == Part::Ours && keep_ours)
            || (part == Part::Theirs && !keep_ours)
        {
            out.push_str(line);
        }
    }
    out
}

/// Every key of a TOML text as the path of tables (and entries) above it, sorted;
/// `None` when it is not TOML.
fn key_paths(text: &str) -> Option<Vec<String>> {
    fn walk(table: &dyn TableLike, prefix: &str, out: &mut Vec<String>) {
        for (k, item) in table.iter() {
            let here = format!("{prefix}/{k}");
            out.push(here.clone());
            match item {
                Item::Table(t) => walk(t, &here, out),
                Item::ArrayOfTables(a) => a.iter().for_each(|t| walk(t, &here, out)),
                _ => {}
            }
        }
    }
    let doc = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .parse::<DocumentMut>()
        .ok()?;
    let mut out = Vec::new();
    walk(doc.as_table(), "", &mut out);
    out.sort();
    out.dedup();
    Some(out)
}

/// What `sluss check` finds wrong (errors only) in a merged file at `path` in the
/// repository (`sluss.toml`, `cases/…`, `programs/…`, `network/…`, `maturity/…`), one
/// line each. Keys
/// of stages, coaches and programs are taken as known here: `sluss.toml` may be merged
/// in the same run, and `check` over the whole repository looks at them afterwards.
pub fn problems(path: &Path, text: &str, now: DateTime<FixedOffset>) -> Vec<String> {
    // A member's day has no offset: judged on the latest day it is anywhere now, so that
    // a member added east of the clock is not "in the future".
    let latest_day = (now.naive_utc() + chrono::Duration::hours(14)).date();
    let folder = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|f| f.to_str())
        .unwrap_or("cases");
    let bytes = text.as_bytes();
    if path.file_name() == Some(std::ffi::OsStr::new(crate::storage::repo::CONFIG_FILE)) {
        let (found, _) = crate::check::check_config(path, bytes);
        return found
            .into_iter()
            .filter(|p| p.severity == crate::check::Severity::Error)
            .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
            .collect();
    }
    let found = match folder {
        "programs" => crate::check::network::check_program_file(path, bytes, &lenient_config(text)),
        "network" => crate::check::network::check_member(path, bytes, latest_day).problems,
        "maturity" => match text
            .strip_prefix('\u{feff}')
            .unwrap_or(text)
            .parse::<DocumentMut>()
        {
            Ok(_) => Vec::new(),
            Err(e) => return vec![format!("not TOML: {}", e.message().trim())],
        },
        _ => crate::check::check_case(path, bytes, &lenient_config(text), now).problems,
    };
    found
        .into_iter()
        .filter(|p| p.severity == crate::check::Severity::Error)
        .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
        .collect()
}

/// Settings that know every stage, coach and program key `text` names.
fn lenient_config(text: &str) -> crate::domain::Config {
    use crate::domain::config::{Coach, Program, Stage};
    fn walk(table: &dyn TableLike, out: &mut [Vec<String>; 3]) {
        for (k, item) in table.iter() {
            let slot = match k {
                "stage" | "from" | "to" => Some(0),
                "coach" | "previous_coach" => Some(1),
                "program" | "previous_program" => Some(2),
                _ => None,
            };
            if let (Some(slot), Some(s)) = (slot, item.as_str()) {
                out[slot].push(s.to_string());
            }
            match item {
                Item::Table(t) => walk(t, out),
                Item::ArrayOfTables(a) => a.iter().for_each(|t| walk(t, out)),
                Item::Value(Value::Array(a)) => a
                    .iter()
                    .filter_map(Value::as_inline_table)
                    .for_each(|t| walk(t, out)),
                Item::Value(Value::InlineTable(t)) => walk(t, out),
                _ => {}
            }
        }
    }
    let mut keys: [Vec<String>; 3] = Default::default();
    if let Ok(doc) = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .parse::<DocumentMut>()
    {
        walk(doc.as_table(), &mut keys);
    }
    let [stages, coaches, programs] = keys;
    crate::domain::Config {
        name: String::new(),
        language: None,
        reports: Default::default(),
        csv: Default::default(),
        privacy: Default::default(),
        digest: Default::default(),
        goals: Default::default(),
        benefits: Default::default(),
        unit_spellings: Default::default(),
        stale_after_days: 60,
        stages: stages
            .into_iter()
            .map(|key| Stage {
                name: key.clone(),
                key,
                gate: None,
                wip: None,
            })
            .collect(),
        coaches: coaches
            .into_iter()
            .map(|key| Coach {
                name: key.clone(),
                key,
                consent: false,
                active: true,
            })
            .collect(),
        programs: programs
            .into_iter()
            .map(|key| Program {
                name: key.clone(),
                key,
                start: None,
                end: None,
            })
            .collect(),
        units: Vec::new(),
        policy: Default::default(),
        git: Default::default(),
        maturity: None,
    }
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
    fn next_steps_marked_done_on_both_sides_are_both_kept() {
        let session = |steps: &str| {
            format!(
                "{BASE}\n[[sessions]]\ndate = 2020-02-03\ncoach = \"erik\"\nminutes = 60\n\
                 next_steps = [{steps}]\n"
            )
        };
        let base = session(r#""Boka möte", { text = "Ta fram testplan", due = 2020-02-10 }"#);
        let ours = session(
            r#"{ text = "Boka möte", done = 2020-02-05 }, { text = "Ta fram testplan", due = 2020-02-10 }"#,
        );
        let theirs = session(
            r#""Boka möte", { text = "Ta fram testplan", due = 2020-02-10, done = 2020-02-09 }"#,
        );
        let m = merge_case(&base, &ours, &theirs).unwrap();
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        let parsed: toml::Table = toml::from_str(&m.text).unwrap();
        let steps = parsed["sessions"][0]["next_steps"].as_array().unwrap();
        assert_eq!(steps[0]["done"].to_string(), "2020-02-05");
        assert_eq!(steps[1]["done"].to_string(), "2020-02-09");
        // Both marking one step done on different days is a conflict a person decides.
        let other = session(
            r#"{ text = "Boka möte", done = 2020-02-06 }, { text = "Ta fram testplan", due = 2020-02-10 }"#,
        );
        let m = merge_case(&base, &ours, &other).unwrap();
        assert!(!m.conflicts.is_empty());
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
    fn markers_that_leave_a_key_under_the_table_before_do_not_resolve_cleanly() {
        let base = "[submitter]\nname = \"Anna\"\n\n[description]\nneed = \"\"\n";
        let ours = "[submitter]\nname = \"Anna\"\n";
        let theirs = "[submitter]\nname = \"Anna\"\n\n[description]\nneed = \"Boende\"\n";
        // Only the header is marked: keeping ours leaves need under [submitter].
        let split = "[submitter]\nname = \"Anna\"\n\n<<<<<<< ours\n=======\n[description]\n>>>>>>> theirs\nneed = \"Boende\"\n";
        assert!(!resolves_cleanly(split, [base, ours, theirs]));
        let whole = "[submitter]\nname = \"Anna\"\n\n<<<<<<< ours\n=======\n[description]\nneed = \"Boende\"\n>>>>>>> theirs\n";
        assert!(resolves_cleanly(whole, [base, ours, theirs]));
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
