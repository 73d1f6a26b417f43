//! Personal data: forgetting a person, redacting exports, and pseudonyms for published
//! reports. Pure functions over documents and values; commands do the reading and writing.

use std::collections::BTreeMap;

use toml_edit::{DocumentMut, InlineTable, Item, Table, TableLike, Value};

use crate::domain::{Case, Config};

/// What replaces a forgotten person's name inside free text.
pub const REMOVED: &str = "[removed]";

/// Keys that hold contact details of the person a table describes.
pub const CONTACT_KEYS: [&str; 4] = ["contact", "email", "phone", "telefon"];

/// Removes every trace of `name` from a case (or any sluss file): a table that
/// describes that person (its `name` is the name) loses `name` and contact details and
/// gets `forgotten = true`; the name, and each of `contacts` (the person's contact
/// details, found with [`contacts_of`] in every case first), inside any other text
/// becomes `[removed]`. Returns what it changed, one line per place, in file order.
pub fn forget_in(doc: &mut DocumentMut, name: &str, contacts: &[String]) -> Vec<String> {
    let name = name.trim();
    let mut changes = Vec::new();
    if name.is_empty() {
        return changes;
    }
    let person = Forgotten { name, contacts };
    forget_table(doc.as_table_mut(), &person, "", &mut changes);
    changes
}

/// The contact details (`contact`, `email`, `phone`, `telefon`) of every table in `doc`
/// that describes the person called `name`.
pub fn contacts_of(doc: &DocumentMut, name: &str) -> Vec<String> {
    fn walk(table: &dyn TableLike, name: &str, out: &mut Vec<String>) {
        if table
            .get("name")
            .and_then(Item::as_str)
            .is_some_and(|v| same_person(v, name))
        {
            for key in CONTACT_KEYS {
                if let Some(c) = table.get(key).and_then(Item::as_str)
                    && !c.trim().is_empty()
                {
                    out.push(c.trim().to_string());
                }
            }
        }
        for (_, item) in table.iter() {
            match item {
                Item::Table(t) => walk(t, name, out),
                Item::ArrayOfTables(a) => a.iter().for_each(|t| walk(t, name, out)),
                Item::Value(v) => walk_value(v, name, out),
                Item::None => {}
            }
        }
    }
    fn walk_value(value: &Value, name: &str, out: &mut Vec<String>) {
        match value {
            Value::InlineTable(t) => walk(t, name, out),
            Value::Array(a) => a.iter().for_each(|v| walk_value(v, name, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc.as_table(), name.trim(), &mut out);
    out.sort();
    out.dedup();
    out
}

/// The person being forgotten: the name, and contact details to remove from text.
struct Forgotten<'a> {
    name: &'a str,
    contacts: &'a [String],
}

fn same_person(value: &str, name: &str) -> bool {
    value.trim().to_lowercase() == name.to_lowercase()
}

fn forget_table(table: &mut Table, person: &Forgotten, path: &str, changes: &mut Vec<String>) {
    let name = person.name;
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
            Some(Item::Table(t)) => forget_table(t, person, &here, changes),
            Some(Item::ArrayOfTables(a)) => {
                for (i, t) in a.iter_mut().enumerate() {
                    forget_table(t, person, &format!("{here}[{i}]"), changes);
                }
            }
            Some(Item::Value(v)) => forget_value(v, person, &here, changes),
            _ => {}
        }
    }
}

fn forget_inline(
    table: &mut InlineTable,
    person: &Forgotten,
    path: &str,
    changes: &mut Vec<String>,
) {
    let name = person.name;
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
            forget_value(v, person, &join(path, &key), changes);
        }
    }
}

fn forget_value(value: &mut Value, person: &Forgotten, path: &str, changes: &mut Vec<String>) {
    match value {
        Value::String(s) => {
            let mut text = s.value().clone();
            let name_found = replace_in(&mut text, person.name);
            let mut contact_found = false;
            for contact in person.contacts {
                contact_found |= replace_in(&mut text, contact);
            }
            let what = match (name_found, contact_found) {
                (false, false) => return,
                (true, false) => "name",
                (false, true) => "contact",
                (true, true) => "name and contact",
            };
            let decor = s.decor().clone();
            let mut new = Value::from(text);
            *new.decor_mut() = decor;
            *value = new;
            changes.push(format!(
                "{}: {what} removed from the text",
                display_path(path)
            ));
        }
        Value::Array(a) => {
            for (i, v) in a.iter_mut().enumerate() {
                forget_value(v, person, &format!("{path}[{i}]"), changes);
            }
        }
        Value::InlineTable(t) => forget_inline(t, person, path, changes),
        _ => {}
    }
}

/// Replaces `needle` in `text` with [`REMOVED`]; whether it was there.
fn replace_in(text: &mut String, needle: &str) -> bool {
    match replace_ignoring_case(text, needle, REMOVED) {
        Some(replaced) => {
            *text = replaced;
            true
        }
        None => false,
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
/// there is none. Compares character by character, so Å and å match. Only whole words
/// match, or a whole word with the genitive -s ("Anna Bergs förslag"): forgetting
/// "Anna Berg" leaves "Anna Bergström", another person, alone.
pub fn replace_ignoring_case(haystack: &str, needle: &str, with: &str) -> Option<String> {
    let hay: Vec<(usize, char)> = haystack.char_indices().collect();
    let pat: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    if pat.is_empty() {
        return None;
    }
    // A needle that starts or ends with a letter or digit must not continue a word.
    let starts_word = pat[0].is_alphanumeric();
    let ends_word = pat[pat.len() - 1].is_alphanumeric();
    let alnum_at = |i: usize| hay.get(i).is_some_and(|(_, c)| c.is_alphanumeric());
    let genitive_at = |i: usize| hay.get(i).is_some_and(|(_, c)| matches!(c, 's' | 'S'));
    let word_ends_at = |k: usize| !alnum_at(k) || (genitive_at(k) && !alnum_at(k + 1));
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
        let starts_ok = !starts_word || i == 0 || !alnum_at(i - 1);
        let ends_ok = !ends_word || word_ends_at(k);
        let whole_word = starts_ok && ends_ok;
        if j == pat.len() && whole_word {
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

/// Makes `cases` and the settings fit for publication: coaches who have not consented
/// become pseudonyms ("coach-1", …), one per coach across all of `cases`, in the cases
/// and in `config` alike; and the names of people who have not consented are taken out
/// of titles and descriptions.
pub fn publish(config: &mut Config, mut cases: Vec<&mut Case>) {
    let pseudonyms = coach_pseudonyms(config, cases.iter().map(|c| &**c));
    let names = names_to_hide(config, cases.iter().map(|c| &**c), true);
    for case in &mut cases {
        pseudonymise_coaches(case, &pseudonyms);
        hide_names(case, &names);
    }
    for coach in &mut config.coaches {
        if let Some(p) = pseudonyms.get(&coach.key) {
            coach.key = p.clone();
            coach.name = p.clone();
        }
    }
    config.coaches.sort_by(|a, b| a.key.cmp(&b.key));
}

/// Pseudonyms for coaches in published output: a coach is named only with
/// `consent = true` in sluss.toml; the others, and coaches that cases name but sluss.toml
/// no longer lists, become "coach-1", "coach-2", … in the order of their keys.
pub fn coach_pseudonyms<'a>(
    config: &Config,
    cases: impl IntoIterator<Item = &'a Case>,
) -> BTreeMap<String, String> {
    let mut keys: std::collections::BTreeSet<&str> =
        config.coaches.iter().map(|c| c.key.as_str()).collect();
    for case in cases {
        keys.extend(case.coach.as_deref());
        for e in &case.history {
            keys.extend(e.coach.as_deref());
            keys.extend(e.previous_coach.as_deref().filter(|c| !c.is_empty()));
        }
        keys.extend(case.sessions.iter().map(|s| s.coach.as_str()));
    }
    keys.into_iter()
        .filter(|k| !config.coach(k).is_some_and(|c| c.consent))
        .enumerate()
        .map(|(i, k)| (k.to_string(), format!("coach-{}", i + 1)))
        .collect()
}

/// The names and contact details of people in `cases` and sluss.toml's coaches, for
/// removing from the free text that redacted and published output keep. With
/// `unconsented_only`, only those who have not agreed to be named.
pub fn names_to_hide<'a>(
    config: &Config,
    cases: impl IntoIterator<Item = &'a Case>,
    unconsented_only: bool,
) -> Vec<String> {
    let hide = |consent: bool| !(unconsented_only && consent);
    let mut names: Vec<String> = config
        .coaches
        .iter()
        .filter(|c| hide(c.consent))
        .map(|c| c.name.trim().to_string())
        .collect();
    for case in cases {
        if let Some(p) = case.submitter.as_ref().filter(|p| hide(p.consent)) {
            names.push(p.name.trim().to_string());
            names.extend(p.contact.iter().map(|c| c.trim().to_string()));
        }
    }
    // Two letters would hide ordinary words; `forget` refuses such names too.
    names.retain(|n| n.chars().count() >= 3);
    // Longest first, so that "Anna Berg" goes before "Anna" could split it.
    names.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    names.dedup();
    names
}

/// Replaces each of `names` in the free text of `case` that redacted and published
/// output keep (title, tags, need and idea) with [`REMOVED`].
pub fn hide_names(case: &mut Case, names: &[String]) {
    let hide = |text: &mut String| {
        for name in names {
            replace_in(text, name);
        }
    };
    hide(&mut case.title);
    case.tags.iter_mut().for_each(hide);
    if let Some(need) = case.description.need.as_mut() {
        hide(need);
    }
    if let Some(idea) = case.description.idea.as_mut() {
        hide(idea);
    }
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
        for c in [e.coach.as_mut(), e.previous_coach.as_mut()]
            .into_iter()
            .flatten()
        {
            swap(c);
        }
    }
    for s in &mut case.sessions {
        swap(&mut s.coach);
    }
}

/// A case as it may leave the team: no names, no contact details and no free-text
/// notes; units, stages, dates and numbers stay, and the title and description stay with
/// `names` (see [`names_to_hide`]) removed from them. Coach keys and the `by` of history
/// become pseudonyms (`coaches` maps them), so workload can still be compared.
pub fn redact(case: &Case, coaches: &BTreeMap<String, String>, names: &[String]) -> Case {
    let pseudonym = |who: &str| {
        coaches
            .get(who)
            .cloned()
            .unwrap_or_else(|| "person".to_string())
    };
    let mut c = case.clone();
    hide_names(&mut c, names);
    c.submitter = c.submitter.map(|p| crate::domain::Person {
        name: String::new(),
        consent: p.consent,
        contact: None,
    });
    c.coach = c.coach.as_deref().map(pseudonym);
    for e in &mut c.history {
        e.by = pseudonym(&e.by);
        e.coach = e.coach.as_deref().map(pseudonym);
        // "" (no coach before) stays as it is.
        e.previous_coach = e.previous_coach.as_deref().map(|c| {
            if c.is_empty() {
                String::new()
            } else {
                pseudonym(c)
            }
        });
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
        for e in &case.history {
            keys.insert(e.by.clone());
            keys.extend(e.coach.iter().cloned());
            keys.extend(e.previous_coach.iter().filter(|c| !c.is_empty()).cloned());
        }
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
    fn only_whole_words_are_replaced() {
        assert_eq!(
            replace_ignoring_case("Anna Bergström och Anna Berg.", "Anna Berg", "[removed]")
                .as_deref(),
            Some("Anna Bergström och [removed].")
        );
        assert_eq!(replace_ignoring_case("Joanna Berg", "Anna Berg", "x"), None);
        assert_eq!(
            replace_ignoring_case(
                "Anna Bergs förslag, inte Anna Bergsten",
                "Anna Berg",
                "[removed]"
            )
            .as_deref(),
            Some("[removed]s förslag, inte Anna Bergsten")
        );
        assert_eq!(
            replace_ignoring_case("mejl:anna@x.se.", "anna@x.se", "[removed]").as_deref(),
            Some("mejl:[removed].")
        );
    }

    #[test]
    fn a_submitter_is_forgotten_and_the_rest_kept() {
        let mut doc: DocumentMut = "title = \"Idé\"\n[submitter]\nname = \"Anna Berg\" # who\nconsent = true\ncontact = \"anna@x.se\"\n\n[[sessions]]\nnotes = \"Ringde Anna Berg\"\nminutes = 30\n\n[[sessions]]\nnotes = \"Mejlade anna@x.se\"\nminutes = 15\n".parse().unwrap();
        let contacts = contacts_of(&doc, "anna berg");
        assert_eq!(contacts, vec!["anna@x.se"]);
        let changes = forget_in(&mut doc, "anna berg", &contacts);
        assert_eq!(
            changes,
            vec![
                "submitter: name and contact removed",
                "sessions[0].notes: name removed from the text",
                "sessions[1].notes: contact removed from the text"
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
