//! Case files edited in place with `toml_edit`, so that a person's comments, key order,
//! formatting and unknown keys survive every command.

use std::path::Path;

use chrono::NaiveDate;

use toml_edit::visit_mut::VisitMut;
use toml_edit::{ArrayOfTables, DocumentMut, Formatted, Item, Table, Value};

use crate::domain::change::FieldValue;
use crate::domain::datetime::{local_date_to_toml, offset_datetime_to_toml};
use crate::domain::{Case, Change, HistoryEntry, Session};
use crate::{Error, Result};

const BOM: &str = "\u{feff}";

/// A file's text, parsed for editing, that remembers the file's bytes, line endings and
/// byte-order mark so that a rewrite changes only what it means to change.
#[derive(Debug, Clone)]
pub struct CaseDocument {
    doc: DocumentMut,
    crlf: bool,
    bom: bool,
    /// The text as read (without its byte-order mark), when it has carriage returns,
    /// which `toml_edit` does not keep at the ends of lines.
    read: Option<String>,
}

impl CaseDocument {
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let bom = text.starts_with(BOM);
        let body = text.strip_prefix(BOM).unwrap_or(text);
        let crlf = body.contains("\r\n");
        let doc: DocumentMut = body
            .parse()
            .map_err(|e: toml_edit::TomlError| Error::syntax(path, body, e.span(), e.message()))?;
        let read = body.contains('\r').then(|| body.to_string());
        Ok(CaseDocument {
            doc,
            crlf,
            bom,
            read,
        })
    }

    /// A document made in memory, for a new file (LF line endings, no byte-order mark).
    pub fn from_document(doc: DocumentMut) -> Self {
        CaseDocument {
            doc,
            crlf: false,
            bom: false,
            read: None,
        }
    }

    /// The text of a new case, keys in the spec's order, under a first line that names
    /// its JSON Schema for editors (Taplo's `#:schema` directive, a comment to TOML).
    pub fn for_new_case(case: &Case) -> Self {
        let mut doc = DocumentMut::new();
        doc.insert("id", toml_edit::value(case.id.as_str()));
        if let Some(mut id) = doc.key_mut("id") {
            id.leaf_decor_mut()
                .set_prefix(format!("{}\n", crate::schema::CASE_DIRECTIVE));
        }
        doc.insert("title", toml_edit::value(case.title.as_str()));
        doc.insert(
            "created",
            toml_edit::value(offset_datetime_to_toml(&case.created)),
        );
        doc.insert("stage", toml_edit::value(case.stage.as_str()));
        doc.insert("status", toml_edit::value(case.status.as_str()));
        if let Some(o) = case.outcome {
            doc.insert("outcome", toml_edit::value(o.as_str()));
        }
        if let Some(c) = &case.coach {
            doc.insert("coach", toml_edit::value(c.as_str()));
        }
        doc.insert("unit", toml_edit::value(case.unit.as_str()));
        if let Some(p) = &case.program {
            doc.insert("program", toml_edit::value(p.as_str()));
        }
        let tags: toml_edit::Array = case.tags.iter().map(String::as_str).collect();
        doc.insert("tags", toml_edit::value(tags));
        if !case.partners.is_empty() {
            let partners: toml_edit::Array = case.partners.iter().map(String::as_str).collect();
            doc.insert("partners", toml_edit::value(partners));
        }
        if let Some(person) = &case.submitter {
            let mut t = Table::new();
            t.insert("name", toml_edit::value(person.name.as_str()));
            t.insert("consent", toml_edit::value(person.consent));
            if let Some(c) = &person.contact {
                t.insert("contact", toml_edit::value(c.as_str()));
            }
            doc.insert("submitter", Item::Table(t));
        }
        let mut d = Table::new();
        if let Some(need) = &case.description.need {
            d.insert("need", toml_edit::value(need.as_str()));
        }
        if let Some(idea) = &case.description.idea {
            d.insert("idea", toml_edit::value(idea.as_str()));
        }
        doc.insert("description", Item::Table(d));
        for (key, value) in [
            ("duplicate_of", &case.duplicate_of),
            ("handed_to", &case.handed_to),
        ] {
            if let Some(v) = value {
                doc.insert(key, toml_edit::value(v.as_str()));
            }
        }
        let mut this = CaseDocument::from_document(doc);
        for benefit in &case.benefits {
            append_to_array_of_tables(&mut this.doc, "benefits", benefit_table(benefit))
                .expect("a new document has room for benefits");
        }
        for adoption in &case.adoptions {
            append_to_array_of_tables(&mut this.doc, "adoptions", adoption_table(adoption))
                .expect("a new document has room for adoptions");
        }
        for entry in &case.history {
            this.append_history(entry)
                .expect("a new document has room for history");
        }
        for session in &case.sessions {
            this.append_session(session)
                .expect("a new document has room for sessions");
        }
        this
    }

    /// The document itself, for reading keys that the `Case` type does not have.
    pub fn document(&self) -> &DocumentMut {
        &self.doc
    }

    /// The document itself, for edits that are not a domain `Change`.
    pub fn document_mut(&mut self) -> &mut DocumentMut {
        &mut self.doc
    }

    /// Applies a change decided by the domain.
    pub fn apply(&mut self, change: &Change) -> Result<()> {
        for (key, value) in &change.set {
            set_keeping_decor(self.doc.as_table_mut(), key, field_value(value));
        }
        for key in &change.remove {
            self.doc.remove(key);
        }
        for (table, key, value) in &change.set_in {
            set_in_table(self.doc.as_table_mut(), table, key, field_value(value))?;
        }
        for (key, item) in &change.push {
            push_to_array(self.doc.as_table_mut(), key, item)?;
        }
        for (key, item) in &change.pull {
            pull_from_array(self.doc.as_table_mut(), key, item)?;
        }
        if let Some(entry) = &change.history {
            self.append_history(entry)?;
        }
        if let Some(session) = &change.session {
            self.append_session(session)?;
        }
        if let Some(benefit) = &change.benefit {
            append_to_array_of_tables(&mut self.doc, "benefits", benefit_table(benefit))?;
        }
        if let Some(adoption) = &change.adoption {
            append_to_array_of_tables(&mut self.doc, "adoptions", adoption_table(adoption))?;
        }
        for &(session, step, day) in &change.steps_done {
            self.mark_step_done(session, step, day)?;
        }
        Ok(())
    }

    fn append_history(&mut self, e: &HistoryEntry) -> Result<()> {
        let mut t = Table::new();
        t.insert("at", toml_edit::value(offset_datetime_to_toml(&e.at)));
        t.insert("by", toml_edit::value(e.by.as_str()));
        if let Some(from) = &e.from {
            t.insert("from", toml_edit::value(from.as_str()));
        }
        if let Some(to) = &e.to {
            t.insert("to", toml_edit::value(to.as_str()));
        }
        if let Some(s) = e.status {
            t.insert("status", toml_edit::value(s.as_str()));
        }
        if let Some(o) = e.outcome {
            t.insert("outcome", toml_edit::value(o.as_str()));
        }
        if let Some(c) = &e.coach {
            t.insert("coach", toml_edit::value(c.as_str()));
        }
        if let Some(c) = &e.previous_coach {
            t.insert("previous_coach", toml_edit::value(c.as_str()));
        }
        if let Some(p) = &e.program {
            t.insert("program", toml_edit::value(p.as_str()));
        }
        if let Some(p) = &e.previous_program {
            t.insert("previous_program", toml_edit::value(p.as_str()));
        }
        if let Some(p) = &e.partner_added {
            t.insert("partner_added", toml_edit::value(p.as_str()));
        }
        if let Some(p) = &e.partner_removed {
            t.insert("partner_removed", toml_edit::value(p.as_str()));
        }
        if let Some(r) = &e.result {
            t.insert("result", toml_edit::value(r.as_str()));
        }
        if !e.set.is_empty() {
            let fields: toml_edit::Array = e.set.iter().map(String::as_str).collect();
            t.insert("set", toml_edit::value(fields));
        }
        for (key, tags) in [
            ("tags_added", &e.tags_added),
            ("tags_removed", &e.tags_removed),
        ] {
            if !tags.is_empty() {
                let tags: toml_edit::Array = tags.iter().map(String::as_str).collect();
                t.insert(key, toml_edit::value(tags));
            }
        }
        for (key, value) in [
            ("duplicate_of", &e.duplicate_of),
            ("handed_to", &e.handed_to),
        ] {
            if let Some(v) = value {
                t.insert(key, toml_edit::value(v.as_str()));
            }
        }
        if let Some(b) = &e.benefit {
            t.insert("benefit", toml_edit::value(inline(benefit_table(b))));
        }
        if let Some(a) = &e.adoption {
            t.insert("adoption", toml_edit::value(inline(adoption_table(a))));
        }
        if let Some(n) = &e.note {
            t.insert("note", toml_edit::value(n.as_str()));
        }
        if e.forced {
            t.insert("forced", toml_edit::value(true));
        }
        append_to_array_of_tables(&mut self.doc, "history", t)
    }

    fn append_session(&mut self, s: &Session) -> Result<()> {
        let mut t = Table::new();
        t.insert("date", toml_edit::value(local_date_to_toml(s.date)));
        t.insert("coach", toml_edit::value(s.coach.as_str()));
        t.insert("minutes", toml_edit::value(i64::from(s.minutes)));
        if let Some(k) = &s.kind {
            t.insert("kind", toml_edit::value(k.as_str()));
        }
        if let Some(n) = &s.notes {
            t.insert("notes", toml_edit::value(n.as_str()));
        }
        if !s.next_steps.is_empty() {
            let steps: toml_edit::Array = s.next_steps.iter().map(step_value).collect();
            t.insert("next_steps", toml_edit::value(steps));
        }
        append_to_array_of_tables(&mut self.doc, "sessions", t)
    }

    /// Marks next step `step` of session `session` (indices in file order) done on
    /// `day`: a plain string becomes an inline table, a table gets `done`; the other
    /// steps and the session's other keys keep their bytes.
    pub fn mark_step_done(&mut self, session: usize, step: usize, day: NaiveDate) -> Result<()> {
        let missing = || Error::Invalid {
            path: std::path::PathBuf::from("sessions"),
            message: format!("session {} has no next step {}", session + 1, step + 1),
        };
        let steps = match self.doc.get_mut("sessions") {
            Some(Item::ArrayOfTables(a)) => {
                match a.get_mut(session).and_then(|t| t.get_mut("next_steps")) {
                    // `[[sessions.next_steps]]`: the step is a table of its own.
                    Some(Item::ArrayOfTables(steps)) => {
                        let t = steps.get_mut(step).ok_or_else(missing)?;
                        t.insert("done", toml_edit::value(local_date_to_toml(day)));
                        return Ok(());
                    }
                    other => other.and_then(Item::as_value_mut),
                }
            }
            Some(Item::Value(Value::Array(a))) => a
                .get_mut(session)
                .and_then(Value::as_inline_table_mut)
                .and_then(|t| t.get_mut("next_steps")),
            _ => None,
        };
        let item = steps
            .and_then(Value::as_array_mut)
            .and_then(|a| a.get_mut(step))
            .ok_or_else(missing)?;
        let done = Value::from(local_date_to_toml(day));
        match item {
            Value::String(text) => {
                let decor = text.decor().clone();
                let mut t = toml_edit::InlineTable::new();
                t.insert("text", Value::from(text.value().as_str()));
                t.insert("done", done);
                let mut value = Value::InlineTable(t);
                *value.decor_mut() = decor;
                *item = value;
            }
            Value::InlineTable(t) => {
                // The space before `}` stays at the end: it goes after the new key.
                let end = t.iter_mut().last().and_then(|(_, v)| {
                    let end = v.decor().suffix().cloned();
                    v.decor_mut().set_suffix("");
                    end
                });
                t.insert("done", done);
                if let (Some(end), Some(v)) = (end, t.get_mut("done")) {
                    v.decor_mut().set_suffix(end);
                }
            }
            _ => return Err(missing()),
        }
        Ok(())
    }

    /// The text to write, in the author's line endings and with their byte-order mark.
    /// Every line the edit did not touch keeps its bytes, line ending included (a bare LF
    /// inside a multi-line string of a CRLF file stays LF); new lines take CRLF when the
    /// file has any.
    pub fn render(&self) -> String {
        let mut text = match &self.read {
            Some(read) => {
                // New text with line breaks goes on one line, escaped, in a CRLF file:
                // its line breaks would otherwise be written as CRLF, changing the text.
                let mut doc = self.doc.clone();
                if self.crlf {
                    OneLineStrings.visit_document_mut(&mut doc);
                }
                keep_line_endings(read, &doc.to_string(), self.crlf)
            }
            None => self.doc.to_string(),
        };
        if self.bom {
            text.insert_str(0, BOM);
        }
        text
    }
}

/// `edited` (a rendering by `toml_edit` of the file as it was `read`, whose own line
/// breaks are LF) with the bytes of the file where it did not change: a line that is
/// still there is written as it was read, line ending and all, and a new line ends in
/// CRLF when `crlf`. So a rewrite changes no byte it did not mean to change (a bare LF
/// inside a multi-line string of a CRLF file stays LF, and so the string's text).
pub fn keep_line_endings(read: &str, edited: &str, crlf: bool) -> String {
    let old: Vec<&str> = read.split_inclusive('\n').collect();
    let new: Vec<&str> = edited.split_inclusive('\n').collect();
    let old_keys: Vec<(&str, bool)> = old.iter().map(|l| line_key(l)).collect();
    let new_keys: Vec<(&str, bool)> = new.iter().map(|l| line_key(l)).collect();
    let matched = matching_lines(&old_keys, &new_keys);
    let mut out = String::with_capacity(edited.len() + edited.len() / 16);
    for (line, old_line) in new.iter().zip(matched) {
        match old_line {
            Some(i) => out.push_str(old[i]),
            None if crlf && line.ends_with('\n') && !line.ends_with("\r\n") => {
                out.push_str(&line[..line.len() - 1]);
                out.push_str("\r\n");
            }
            None => out.push_str(line),
        }
    }
    out
}

/// A line without its ending, and whether it has one: lines that differ only in CRLF
/// against LF are the same line.
fn line_key(line: &str) -> (&str, bool) {
    match line.strip_suffix('\n') {
        Some(rest) => (rest.strip_suffix('\r').unwrap_or(rest), true),
        None => (line, false),
    }
}

/// For each line of `new`, the line of `old` it is: a longest common subsequence (after
/// the common start and end, by Myers' algorithm, quick when few lines changed, as in
/// every edit sluss makes). Past a great many changed lines, the middle counts as new.
fn matching_lines<T: PartialEq>(old: &[T], new: &[T]) -> Vec<Option<usize>> {
    /// Beyond this many changed lines the comparison would cost more than the write.
    const MAX_CHANGES: usize = 2_000;
    let mut matched = vec![None; new.len()];
    let start = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let end = old[start..]
        .iter()
        .rev()
        .zip(new[start..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    for (k, m) in matched.iter_mut().enumerate().take(start) {
        *m = Some(k);
    }
    for k in 0..end {
        matched[new.len() - 1 - k] = Some(old.len() - 1 - k);
    }
    let (a, b) = (&old[start..old.len() - end], &new[start..new.len() - end]);
    if let Some(pairs) = common_subsequence(a, b, MAX_CHANGES) {
        for (i, j) in pairs {
            matched[start + j] = Some(start + i);
        }
    }
    matched
}

/// The pairs `(i, j)` with `a[i] == b[j]` of a longest common subsequence of `a` and `b`
/// (Myers, "An O(ND) difference algorithm"), or `None` when more than `max_d` lines
/// differ.
fn common_subsequence<T: PartialEq>(a: &[T], b: &[T], max_d: usize) -> Option<Vec<(usize, usize)>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    // v[k + offset]: the furthest x reached on diagonal k = x - y; each round's values
    // for k in -d..=d are kept for the way back.
    let offset = max_d as isize + 1;
    let mut v = vec![0isize; 2 * max_d + 3];
    let mut rounds: Vec<Vec<isize>> = Vec::new();
    let mut found = None;
    'search: for d in 0..=max_d as isize {
        for k in (-d..=d).step_by(2) {
            let down =
                k == -d || (k != d && v[(k - 1 + offset) as usize] < v[(k + 1 + offset) as usize]);
            let mut x = if down {
                v[(k + 1 + offset) as usize]
            } else {
                v[(k - 1 + offset) as usize] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[(k + offset) as usize] = x;
            if x >= n && y >= m {
                rounds.push(v[(offset - d) as usize..=(offset + d) as usize].to_vec());
                found = Some(d);
                break 'search;
            }
        }
        rounds.push(v[(offset - d) as usize..=(offset + d) as usize].to_vec());
    }
    let last = found?;
    // Back from the end: in each round, the snake that led there.
    let mut pairs = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (0..=last).rev() {
        let k = x - y;
        let (prev_x, prev_y) = if d == 0 {
            (0, 0)
        } else {
            let before = &rounds[(d - 1) as usize];
            let at = |k: isize| before[(k + d - 1) as usize];
            let down = k == -d || (k != d && at(k - 1) < at(k + 1));
            let prev_k = if down { k + 1 } else { k - 1 };
            let prev_x = at(prev_k);
            (prev_x, prev_x - prev_k)
        };
        // The snake: the diagonal run after the step from the previous round.
        let (step_x, step_y) = if d == 0 {
            (0, 0)
        } else if prev_x - prev_y < k {
            (prev_x + 1, prev_y)
        } else {
            (prev_x, prev_y + 1)
        };
        while x > step_x && y > step_y {
            pairs.push(((x - 1) as usize, (y - 1) as usize));
            x -= 1;
            y -= 1;
        }
        x = prev_x;
        y = prev_y;
    }
    pairs.reverse();
    Some(pairs)
}

/// Rewrites every string value that sluss made (it has no text from the file yet) and
/// that holds a line break as a one-line basic string with escapes.
struct OneLineStrings;

impl VisitMut for OneLineStrings {
    fn visit_string_mut(&mut self, node: &mut Formatted<String>) {
        if node.as_repr().is_some() || !node.value().contains(['\n', '\r']) {
            return;
        }
        let parsed: Value = basic_string(node.value())
            .parse()
            .expect("an escaped basic string is a TOML value");
        if let Value::String(mut one_line) = parsed {
            *one_line.decor_mut() = node.decor().clone();
            *node = one_line;
        }
    }
}

/// `s` as a TOML basic string: quotes, backslashes and control characters escaped.
fn basic_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() && (c as u32) < 0x80 => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Sets `key` to `value`, keeping the comment and spacing the old value had.
/// The TOML value of a field a change sets.
fn field_value(value: &FieldValue) -> Value {
    match value {
        FieldValue::Str(s) => Value::from(s.as_str()),
        FieldValue::Date(d) => Value::from(local_date_to_toml(*d)),
    }
}

/// Sets `key` in the table `table` (`[description]`, or an inline table), creating the
/// table when missing; the value keeps the decor of the one it replaces.
fn set_in_table(doc: &mut Table, table: &str, key: &str, mut value: Value) -> Result<()> {
    if doc.get(table).is_none() {
        doc.insert(table, Item::Table(Table::new()));
    }
    let Some(t) = doc.get_mut(table).and_then(Item::as_table_like_mut) else {
        return Err(Error::refused(
            format!("`{table}` is not a table, so sluss cannot change {table}.{key}"),
            format!("write it as [{table}] with {key} = \"…\" under it"),
        ));
    };
    match t.get_mut(key) {
        Some(Item::Value(old)) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        _ => {
            t.insert(key, Item::Value(value));
        }
    }
    Ok(())
}

fn set_keeping_decor(table: &mut Table, key: &str, mut value: Value) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        _ => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// Appends `item` to the array of strings at `key`, creating the array when missing; the
/// array's layout and comments stay as they are.
fn push_to_array(table: &mut Table, key: &str, item: &str) -> Result<()> {
    match table.get_mut(key) {
        None => {
            let array: toml_edit::Array = [item].into_iter().collect();
            table.insert(key, toml_edit::value(array));
        }
        Some(Item::Value(Value::Array(a))) => {
            // A multi-line array keeps one item a line: the new item takes the decor
            // of the last one, and a comment after the last item stays on its line.
            let decor = a.iter().last().map(|v| v.decor().clone()).filter(|d| {
                d.prefix()
                    .and_then(|p| p.as_str())
                    .is_some_and(|p| p.contains('\n'))
            });
            let trailing = a.trailing().as_str().unwrap_or("").to_string();
            a.push(item);
            if let Some(mut decor) = decor {
                if trailing.contains('#') {
                    let prefix = decor.prefix().and_then(|p| p.as_str()).unwrap_or("");
                    let indent = prefix.rsplit('\n').next().unwrap_or("").to_string();
                    decor.set_prefix(format!("{trailing}{indent}"));
                    a.set_trailing("\n");
                }
                if let Some(last) = a.iter_mut().last() {
                    *last.decor_mut() = decor;
                }
            }
        }
        Some(_) => return Err(not_an_array(key)),
    }
    Ok(())
}

/// Removes every `item` from the array of strings at `key`.
fn pull_from_array(table: &mut Table, key: &str, item: &str) -> Result<()> {
    match table.get_mut(key) {
        None => {}
        Some(Item::Value(Value::Array(a))) => {
            a.retain(|v| v.as_str() != Some(item));
            // A one-line array is written afresh (`["a", "b"]`), so that taking out its
            // first item leaves no stray space; a multi-line one keeps its layout.
            let multi_line = a.iter().any(|v| {
                v.decor()
                    .prefix()
                    .and_then(|p| p.as_str())
                    .is_some_and(|p| p.contains('\n'))
            });
            if !multi_line {
                a.fmt();
            }
        }
        Some(_) => return Err(not_an_array(key)),
    }
    Ok(())
}

/// A next step as the file writes it: its text, or an inline table with its days.
/// A benefit as a table of `[[benefits]]` (or, inlined, of a history entry).
fn benefit_table(b: &crate::domain::Benefit) -> Table {
    let mut t = Table::new();
    t.insert("kind", toml_edit::value(b.kind.as_str()));
    t.insert("amount", toml_edit::value(number(b.amount)));
    if let Some(u) = &b.unit {
        t.insert("unit", toml_edit::value(u.as_str()));
    }
    t.insert("basis", toml_edit::value(b.basis.as_str()));
    if let Some(y) = b.year {
        t.insert("year", toml_edit::value(i64::from(y)));
    }
    for (key, day) in [("from", b.from), ("to", b.to), ("recorded", b.recorded)] {
        if let Some(day) = day {
            t.insert(key, toml_edit::value(local_date_to_toml(day)));
        }
    }
    if let Some(n) = &b.note {
        t.insert("note", toml_edit::value(n.as_str()));
    }
    t
}

/// An adoption as a table of `[[adoptions]]` (or, inlined, of a history entry).
fn adoption_table(a: &crate::domain::Adoption) -> Table {
    let mut t = Table::new();
    if let Some(o) = &a.org {
        t.insert("org", toml_edit::value(o.as_str()));
    }
    if let Some(u) = &a.unit {
        t.insert("unit", toml_edit::value(u.as_str()));
    }
    t.insert("date", toml_edit::value(local_date_to_toml(a.date)));
    if let Some(h) = a.how {
        t.insert("how", toml_edit::value(h.as_str()));
    }
    if let Some(n) = &a.note {
        t.insert("note", toml_edit::value(n.as_str()));
    }
    t
}

/// A whole amount as a TOML integer (`85000`), any other as a float (`12.5`).
fn number(amount: f64) -> Value {
    // Whole and within i64's exact range: written as an integer.
    #[allow(clippy::cast_possible_truncation)]
    if amount.fract() == 0.0 && amount.abs() < 9.0e15 {
        Value::from(amount as i64)
    } else {
        Value::from(amount)
    }
}

fn inline(t: Table) -> toml_edit::InlineTable {
    t.into_inline_table()
}

fn step_value(step: &crate::domain::NextStep) -> Value {
    if step.is_plain() {
        return Value::from(step.text.as_str());
    }
    let mut t = toml_edit::InlineTable::new();
    t.insert("text", Value::from(step.text.as_str()));
    if let Some(due) = step.due {
        t.insert("due", Value::from(local_date_to_toml(due)));
    }
    if let Some(done) = step.done {
        t.insert("done", Value::from(local_date_to_toml(done)));
    }
    Value::InlineTable(t)
}

fn not_an_array(key: &str) -> Error {
    Error::refused(
        format!("`{key}` is not a list, so sluss cannot change it"),
        format!("write it as {key} = [\"…\", \"…\"]"),
    )
}

/// Gives every table a position in the order of the document's keys, so that tables
/// moved or reordered in memory are written in that order.
pub fn renumber_tables(doc: &mut DocumentMut) {
    fn walk(table: &mut Table, next: &mut isize) {
        for (_, item) in table.iter_mut() {
            match item {
                Item::Table(t) => {
                    if !t.is_dotted() {
                        t.set_position(Some(*next));
                        *next += 1;
                    }
                    walk(t, next);
                }
                Item::ArrayOfTables(a) => {
                    for t in a.iter_mut() {
                        t.set_position(Some(*next));
                        *next += 1;
                        walk(t, next);
                    }
                }
                _ => {}
            }
        }
    }
    let mut next = 1;
    walk(doc.as_table_mut(), &mut next);
}

/// Appends a table to the array of tables at `key`, whether the file writes it as
/// `[[key]]` sections or as an inline array; the new entry lands after the last one.
pub fn append_to_array_of_tables(doc: &mut DocumentMut, key: &str, table: Table) -> Result<()> {
    match doc.get_mut(key) {
        Some(Item::ArrayOfTables(a)) => a.push(table),
        Some(Item::Value(Value::Array(a))) => a.push(Value::InlineTable(table.into_inline_table())),
        None => {
            let mut a = ArrayOfTables::new();
            a.push(table);
            // A case's first history entry goes before its sessions, where the spec
            // shows it: then a branch that advances and one that logs a session touch
            // different parts of the file, and git merges them even without sluss.
            let sessions = (key == "history").then(|| doc.remove("sessions")).flatten();
            doc.insert(key, Item::ArrayOfTables(a));
            if let Some(sessions) = sessions {
                doc.insert("sessions", sessions);
                renumber_tables(doc);
            }
        }
        Some(_) => {
            return Err(Error::refused(
                format!("`{key}` is not a list of tables, so nothing can be appended to it"),
                format!("write it as [[{key}]] sections"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::change::FieldValue;
    use crate::domain::{Description, Status};
    use crate::schema::CASE_DIRECTIVE;

    fn at(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn case() -> Case {
        Case {
            id: "abc123".into(),
            title: "Digital matsedel".into(),
            created: at("2020-06-01T09:00:00+02:00"),
            stage: "inkommen".into(),
            status: Status::Open,
            outcome: None,
            coach: None,
            unit: "Vård och omsorg".into(),
            program: None,
            tags: vec![],
            partners: vec![],
            result: None,
            follow_up: None,
            duplicate_of: None,
            handed_to: None,
            benefits: Vec::new(),
            adoptions: Vec::new(),
            submitter: None,
            description: Description::default(),
            history: vec![],
            sessions: vec![],
        }
    }

    #[test]
    fn a_new_case_names_its_schema_on_the_first_line_and_keeps_it() {
        let text = CaseDocument::for_new_case(&case()).render();
        assert_eq!(text.lines().next(), Some(CASE_DIRECTIVE), "{text}");
        assert_eq!(Case::from_toml(&text).unwrap(), case());

        let mut doc = CaseDocument::parse(Path::new("abc123.toml"), &text).unwrap();
        doc.apply(&Change {
            set: vec![("stage", FieldValue::Str("provning".into()))],
            history: Some(HistoryEntry {
                at: at("2020-06-02T10:00:00+02:00"),
                by: "erik".into(),
                from: Some("inkommen".into()),
                to: Some("provning".into()),
                status: None,
                outcome: None,
                coach: None,
                program: None,
                partner_added: None,
                partner_removed: None,
                note: None,
                ..HistoryEntry::default()
            }),
            session: Some(Session {
                date: chrono::NaiveDate::from_ymd_opt(2020, 6, 3).unwrap(),
                coach: "erik".into(),
                minutes: 30,
                kind: None,
                notes: None,
                next_steps: vec![],
            }),
            ..Change::default()
        })
        .unwrap();
        let edited = doc.render();
        assert_eq!(edited.lines().next(), Some(CASE_DIRECTIVE), "{edited}");
        assert_eq!(edited.matches("#:schema").count(), 1, "{edited}");
        let parsed = Case::from_toml(&edited).unwrap();
        assert_eq!(
            (parsed.stage.as_str(), parsed.history.len()),
            ("provning", 1)
        );
        assert_eq!(parsed.sessions.len(), 1);
    }

    #[test]
    fn a_rewrite_keeps_each_lines_ending_and_the_lf_inside_a_string() {
        let text = "id = \"abc123\"\r\nstage = \"inkommen\"\n[description]\r\nneed = \"\"\"\r\nett\ntvå\"\"\"\r\n";
        let mut doc = CaseDocument::parse(Path::new("abc123.toml"), text).unwrap();
        doc.apply(&Change {
            set: vec![("stage", FieldValue::Str("provning".into()))],
            ..Change::default()
        })
        .unwrap();
        let edited = doc.render();
        assert_eq!(
            edited,
            text.replace("stage = \"inkommen\"\n", "stage = \"provning\"\r\n"),
            "only the changed line differs (and takes the file's CRLF)"
        );
        let need = toml::from_str::<toml::Table>(&edited).unwrap()["description"]["need"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(need, "ett\ntvå");
    }

    #[test]
    fn new_lines_take_the_files_style_and_old_lines_keep_their_bytes() {
        assert_eq!(keep_line_endings("a\r\n", "a\nc\n", true), "a\r\nc\r\n");
        assert_eq!(
            keep_line_endings("a\r\nb\n", "a\nx\nb\n", true),
            "a\r\nx\r\nb\n"
        );
        // Lines in the middle of a long file, with changes at both ends.
        let old: Vec<String> = (0..5000).map(|i| format!("l{i}\r\n")).collect();
        let mut new: Vec<String> = old.iter().map(|l| l.replace("\r\n", "\n")).collect();
        new[0] = "changed\n".into();
        new.push("added\n".into());
        new[2500] = "also\n".into();
        let kept = keep_line_endings(&old.concat(), &new.concat(), false);
        assert_eq!(kept.matches("\r\n").count(), 4998, "{}", &kept[..40]);
        assert!(kept.starts_with("changed\nl1\r\n") && kept.ends_with("l4999\r\nadded\n"));
        // A last line without a line break is not the same line as one with.
        assert_eq!(
            keep_line_endings("a\r\nb", "a\nb\nc\n", true),
            "a\r\nb\r\nc\r\n"
        );
    }

    #[test]
    fn the_common_subsequence_is_a_longest_one() {
        fn lcs_len(a: &[u8], b: &[u8]) -> usize {
            let mut t = vec![vec![0usize; b.len() + 1]; a.len() + 1];
            for i in (0..a.len()).rev() {
                for j in (0..b.len()).rev() {
                    t[i][j] = if a[i] == b[j] {
                        t[i + 1][j + 1] + 1
                    } else {
                        t[i + 1][j].max(t[i][j + 1])
                    };
                }
            }
            t[0][0]
        }
        let mut rng = fastrand::Rng::with_seed(11);
        for _ in 0..2000 {
            let a: Vec<u8> = (0..rng.usize(0..12)).map(|_| rng.u8(0..3)).collect();
            let b: Vec<u8> = (0..rng.usize(0..12)).map(|_| rng.u8(0..3)).collect();
            let pairs = common_subsequence(&a, &b, 100).unwrap();
            assert_eq!(pairs.len(), lcs_len(&a, &b), "{a:?} {b:?}");
            assert!(pairs.iter().all(|&(i, j)| a[i] == b[j]), "{a:?} {b:?}");
            assert!(
                pairs.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1),
                "{a:?} {b:?} {pairs:?}"
            );
        }
        assert!(common_subsequence(&[1, 2, 3], &[4, 5, 6], 2).is_none());
    }
}
