//! Personal data: forgetting a person, redacting exports, and pseudonyms for published
//! reports. Pure functions over documents and values; commands do the reading and writing.

use std::collections::BTreeMap;

use toml_edit::{DocumentMut, InlineTable, Item, Table, Value};

use crate::domain::{Case, Config};

/// What replaces a forgotten person's name inside free text.
pub const REMOVED: &str = "[removed]";

/// Keys that hold contact details of the person a table describes.
const CONTACT_KEYS: [&str; 4] = ["contact", "email", "phone", "telefon"];

/// Removes every trace of `name` from a case (or any sluss file): a table that
/// describes that person (its `name` is the name) loses `name` and contact details and
/// gets `forgotten = true`; the name inside any other text becomes `[removed]`. Returns
/// what it changed, one line per place, in file order.
pub fn forget_in(doc: &mut DocumentMut, name: &str) -> Vec<String> {
    let name = name.trim();
    let mut changes = Vec::new();
    if name.is_empty() {
        return changes;
    }
    forget_table(doc.as_table_mut(), name, "", &mut changes);
    changes
}

fn same_person(value: &str, name: &str) -> bool {
    value.trim().to_lowercase() == name.to_lowercase()
}

fn forget_table(table: &mut Table, name: &str, path: &str, changes: &mut Vec<String>) {
    if table
        .get("name")
        .and_then(Item::as_str)
        .is_some_and(|v| same_person(v, name))
    {
        table.remove("name");
        for key in CONTACT_KEYS {
            table.remove(key);
        }
        if table.contains_key("consent") {
            table.insert("consent", toml_edit::value(false));
        }
        table.insert("forgotten", toml_edit::value(true));
        changes.push(format!("{}: name and contact removed", display_path(path)));
    }
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    for key in keys {
        let here = join(path, &key);
        match table.get_mut(&key) {
            Some(Item::Table(t)) => forget_table(t, name, &here, changes),
            Some(Item::ArrayOfTables(a)) => {
                for (i, t) in a.iter_mut().enumerate() {
                    forget_table(t, name, &format!("{here}[{i}]"), changes);
                }
            }
            Some(Item::Value(v)) => forget_value(v, name, &here, changes),
            _ => {}
        }
    }
}

fn forget_inline(table: &mut InlineTable, name: &str, path: &str, changes: &mut Vec<String>) {
    if table
        .get("name")
        .and_then(Value::as_str)
        .is_some_and(|v| same_person(v, name))
    {
        table.remove("name");
        for key in CONTACT_KEYS {
            table.remove(key);
        }
        if table.contains_key("consent") {
            table.insert("consent", Value::from(false));
        }
        table.insert("forgotten", Value::from(true));
        changes.push(format!("{}: name and contact removed", display_path(path)));
    }
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    for key in keys {
        if let Some(v) = table.get_mut(&key) {
            forget_value(v, name, &join(path, &key), changes);
        }
    }
}

fn forget_value(value: &mut Value, name: &str, path: &str, changes: &mut Vec<String>) {
    match value {
        Value::String(s) => {
            if let Some(replaced) = replace_ignoring_case(s.value(), name, REMOVED) {
                let decor = s.decor().clone();
                let mut new = Value::from(replaced);
                *new.decor_mut() = decor;
                *value = new;
                changes.push(format!(
                    "{}: name removed from the text",
                    display_path(path)
                ));
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter_mut().enumerate() {
                forget_value(v, name, &format!("{path}[{i}]"), changes);
            }
        }
        Value::InlineTable(t) => forget_inline(t, name, path, changes),
        _ => {}
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn display_path(path: &str) -> &str {
    if path.is_empty() { "(top)" } else { path }
}

/// Replaces every occurrence of `needle` in `haystack`, ignoring case, or `None` when
/// there is none. Compares character by character, so Å and å match.
pub fn replace_ignoring_case(haystack: &str, needle: &str, with: &str) -> Option<String> {
    let hay: Vec<(usize, char)> = haystack.char_indices().collect();
    let pat: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    if pat.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(haystack.len());
    let mut i = 0;
    let mut found = false;
    while i < hay.len() {
        let mut j = 0;
        let mut k = i;
        while k < hay.len() && j < pat.len() {
            let lower: Vec<char> = hay[k].1.to_lowercase().collect();
            if pat[j..].starts_with(&lower) {
                j += lower.len();
                k += 1;
            } else {
                break;
            }
        }
        if j == pat.len() {
            out.push_str(with);
            found = true;
            i = k;
        } else {
            out.push(hay[i].1);
            i += 1;
        }
    }
    found.then_some(out)
}

/// Pseudonyms for coaches in published output: a coach is named only with
/// `consent = true` in sluss.toml; the others become "coach 1", "coach 2", … in the order
/// of their keys, the same in every report.
pub fn coach_pseudonyms(config: &Config) -> BTreeMap<String, String> {
    let mut keys: Vec<&str> = config.coaches.iter().map(|c| c.key.as_str()).collect();
    keys.sort();
    keys.iter()
        .enumerate()
        .filter(|(_, k)| !config.coach(k).is_some_and(|c| c.consent))
        .map(|(i, k)| (k.to_string(), format!("coach-{}", i + 1)))
        .collect()
}

/// Replaces the coach keys of `case` that `pseudonyms` maps (for published reports).
pub fn pseudonymise_coaches(case: &mut Case, pseudonyms: &BTreeMap<String, String>) {
    let swap = |key: &mut String| {
        if let Some(p) = pseudonyms.get(key.as_str()) {
            *key = p.clone();
        }
    };
    if let Some(c) = case.coach.as_mut() {
        swap(c);
    }
    for e in &mut case.history {
        swap(&mut e.by);
        if let Some(c) = e.coach.as_mut() {
            swap(c);
        }
    }
    for s in &mut case.sessions {
        swap(&mut s.coach);
    }
}

/// A case as it may leave the team: no names, no contact details and no free-text
/// notes; units, stages, dates and numbers stay. Coach keys and the `by` of history
/// become pseudonyms (`coaches` maps them), so workload can still be compared.
pub fn redact(case: &Case, coaches: &BTreeMap<String, String>) -> Case {
    let pseudonym = |who: &str| {
        coaches
            .get(who)
            .cloned()
            .unwrap_or_else(|| "person".to_string())
    };
    let mut c = case.clone();
    c.submitter = c.submitter.map(|p| crate::domain::Person {
        name: String::new(),
        consent: p.consent,
        contact: None,
    });
    c.coach = c.coach.as_deref().map(pseudonym);
    for e in &mut c.history {
        e.by = pseudonym(&e.by);
        e.coach = e.coach.as_deref().map(pseudonym);
        e.note = None;
    }
    for s in &mut c.sessions {
        s.coach = pseudonym(&s.coach);
        s.notes = None;
        s.next_steps.clear();
    }
    c
}

/// Pseudonyms for every coach key, named or not, for redacted exports.
pub fn all_coach_pseudonyms(config: &Config, cases: &[&Case]) -> BTreeMap<String, String> {
    let mut keys: std::collections::BTreeSet<String> =
        config.coaches.iter().map(|c| c.key.clone()).collect();
    for case in cases {
        keys.extend(case.coach.iter().cloned());
        keys.extend(case.sessions.iter().map(|s| s.coach.clone()));
        keys.extend(case.history.iter().map(|e| e.by.clone()));
    }
    keys.into_iter()
        .enumerate()
        .map(|(i, k)| (k, format!("coach-{}", i + 1)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_replaced_ignoring_case() {
        assert_eq!(
            replace_ignoring_case("Möte med ÅSA Berg och åsa berg", "Åsa Berg", "[removed]")
                .as_deref(),
            Some("Möte med [removed] och [removed]")
        );
        assert_eq!(replace_ignoring_case("inget namn", "Åsa", "x"), None);
    }

    #[test]
    fn a_submitter_is_forgotten_and_the_rest_kept() {
        let mut doc: DocumentMut = "title = \"Idé\"\n[submitter]\nname = \"Anna Berg\" # who\nconsent = true\ncontact = \"anna@x.se\"\n\n[[sessions]]\nnotes = \"Ringde Anna Berg\"\nminutes = 30\n".parse().unwrap();
        let changes = forget_in(&mut doc, "anna berg");
        assert_eq!(
            changes,
            vec![
                "submitter: name and contact removed",
                "sessions[0].notes: name removed from the text"
            ]
        );
        let text = doc.to_string();
        assert!(!text.to_lowercase().contains("anna"), "{text}");
        assert!(
            text.contains("consent = false")
                && text.contains("forgotten = true")
                && text.contains("minutes = 30")
        );
    }
}
