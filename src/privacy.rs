//! Personal data: forgetting a person, redacting exports, and pseudonyms for published
//! reports. Pure functions over documents and values; commands do the reading and writing.

use std::collections::BTreeMap;

use toml_edit::{DocumentMut, InlineTable, Item, Table, TableLike, Value};

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::domain::names::{Fingerprint, NameSet};
use crate::domain::{Case, Config};

/// What replaces a forgotten person's name inside free text.
pub const REMOVED: &str = "[removed]";

/// Keys that hold contact details of the person a table describes.
pub const CONTACT_KEYS: [&str; 4] = ["contact", "email", "phone", "telefon"];

/// Keys whose values are identifiers (coach, stage, program and partner keys, ids), not
/// free text: `forget` never rewrites them and `check` does not look for forgotten names
/// in them. A key is a pseudonym; a person's name is data.
pub const KEY_FIELDS: [&str; 15] = [
    "key",
    "id",
    "coach",
    "by",
    "previous_coach",
    "program",
    "previous_program",
    "partners",
    "partner_added",
    "partner_removed",
    "set",
    "stage",
    "from",
    "to",
    "salt",
];

/// Whether `key` holds an identifier (see [`KEY_FIELDS`]).
pub fn is_key_field(key: &str) -> bool {
    KEY_FIELDS.contains(&key)
}

/// Removes every trace of the person `name` matches from a case (or any sluss file): a
/// table that describes that person (its `name` is the name) loses `name` and contact
/// details and gets `forgotten = true`; the name, and each of `contacts` (the person's
/// contact details, found with [`contacts_of`] in every file first), inside any other
/// text becomes `[removed]`. Keys ([`KEY_FIELDS`]) are never rewritten. Returns what it
/// changed, one line per place, in file order.
pub fn forget_in(doc: &mut DocumentMut, name: &NameSet, contacts: &NameSet) -> Vec<String> {
    let mut changes = Vec::new();
    if name.is_empty() {
        return changes;
    }
    let person = Forgotten { name, contacts };
    forget_table(doc.as_table_mut(), &person, "", &mut changes);
    let trailing = doc.trailing().as_str().and_then(|s| person.scrub(s));
    if let Some(new) = trailing {
        doc.set_trailing(new);
        changes.push(comment_removed(""));
    }
    changes
}

/// In `sluss.toml`: a coach whom `name` names keeps the key (a pseudonym, which every
/// case uses) and loses the name, which becomes `[removed]`, and any consent.
pub fn forget_coach(doc: &mut DocumentMut, name: &NameSet) -> Vec<String> {
    let mut changes = Vec::new();
    if let Some(Item::ArrayOfTables(coaches)) = doc.get_mut("coaches") {
        for (i, coach) in coaches.iter_mut().enumerate() {
            if coach
                .get("name")
                .and_then(Item::as_str)
                .is_some_and(|v| name.is_exactly(v))
            {
                let decor = coach
                    .get("name")
                    .and_then(Item::as_value)
                    .map(|v| v.decor().clone());
                let mut new = Value::from(REMOVED);
                if let Some(decor) = decor {
                    *new.decor_mut() = decor;
                }
                coach.insert("name", Item::Value(new));
                if coach.contains_key("consent") {
                    coach.insert("consent", toml_edit::value(false));
                }
                changes.push(format!(
                    "coaches[{i}]: name removed; the key stays, as a pseudonym"
                ));
            }
        }
    }
    changes
}

/// Lists the salted digest of each of `names` under `[privacy] forgotten` in the
/// settings document `doc` (creating the repository's random salt the first time), so
/// that `check` can tell when one comes back without the name being kept. Returns how
/// many digests were new.
pub fn list_forgotten<'a>(
    config: &Config,
    doc: &mut DocumentMut,
    names: impl IntoIterator<Item = &'a str>,
) -> usize {
    let mut privacy = config.privacy.clone();
    if privacy.salt.is_empty() {
        // Derived from the portfolio's name rather than drawn at random: the salt is in
        // the repository for anyone who has it either way, and two branches that each
        // forget someone for the first time then write the same salt, so that merging
        // them keeps both digests valid instead of a conflict over two salts.
        use sha2::Digest;
        let seed = sha2::Sha256::digest(format!("sluss [privacy] salt: {}", config.name));
        privacy.salt = seed[..16].iter().map(|b| format!("{b:02x}")).collect();
    }
    let mut added = 0;
    for name in names {
        if let Some((key, _)) = crate::domain::names::normal_key(name) {
            let digest = privacy.digest(&key);
            if !privacy.forgotten.contains(&digest) {
                privacy.forgotten.push(digest);
                added += 1;
            }
        }
    }
    if added == 0 {
        return 0;
    }
    if !doc.contains_key("privacy") {
        let mut table = Table::new();
        table.decor_mut().set_prefix(
            "\n# Salted digests of the names `sluss forget` erased, so that `sluss check` notices\n# one that comes back (the names themselves are not kept).\n",
        );
        doc.insert("privacy", Item::Table(table));
    }
    if let Some(table) = doc.get_mut("privacy").and_then(Item::as_table_like_mut) {
        table.insert("salt", toml_edit::value(privacy.salt.clone()));
        let mut list = toml_edit::Array::new();
        for d in &privacy.forgotten {
            list.push_formatted(Value::from(d.as_str()).decorated("\n    ", ""));
        }
        list.set_trailing("\n");
        list.set_trailing_comma(true);
        table.insert("forgotten", toml_edit::value(list));
    }
    added
}

/// The contact details (`contact`, `email`, `phone`, `telefon`) of every table in `doc`
/// that describes the person `name` matches.
pub fn contacts_of(doc: &DocumentMut, name: &NameSet) -> Vec<String> {
    fn walk(table: &dyn TableLike, name: &NameSet, out: &mut Vec<String>) {
        if table
            .get("name")
            .and_then(Item::as_str)
            .is_some_and(|v| name.is_exactly(v))
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
    fn walk_value(value: &Value, name: &NameSet, out: &mut Vec<String>) {
        match value {
            Value::InlineTable(t) => walk(t, name, out),
            Value::Array(a) => a.iter().for_each(|v| walk_value(v, name, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc.as_table(), name, &mut out);
    out.sort();
    out.dedup();
    out
}

/// The person being forgotten: the name, and contact details to remove from text.
struct Forgotten<'a> {
    name: &'a NameSet,
    contacts: &'a NameSet,
}

impl Forgotten<'_> {
    /// `text` without the name and contact details, or `None` when it holds neither.
    fn scrub(&self, text: &str) -> Option<String> {
        let mut text = text.to_string();
        // Contacts first: an address made of the name goes whole, not its name part.
        let contact = self.contacts.hide_in(&mut text, REMOVED);
        let name = self.name.hide_in(&mut text, REMOVED);
        (name || contact).then_some(text)
    }
}

/// Takes the name out of the comments around a key, value or table header.
fn scrub_decor(decor: &mut toml_edit::Decor, person: &Forgotten) -> bool {
    let comment = |raw: Option<&toml_edit::RawString>| {
        raw.and_then(toml_edit::RawString::as_str)
            .filter(|s| s.contains('#'))
            .and_then(|s| person.scrub(s))
    };
    let mut changed = false;
    if let Some(new) = comment(decor.prefix()) {
        decor.set_prefix(new);
        changed = true;
    }
    if let Some(new) = comment(decor.suffix()) {
        decor.set_suffix(new);
        changed = true;
    }
    changed
}

fn comment_removed(path: &str) -> String {
    format!("{}: name removed from a comment", display_path(path))
}

fn forget_table(table: &mut Table, person: &Forgotten, path: &str, changes: &mut Vec<String>) {
    if table
        .get("name")
        .and_then(Item::as_str)
        .is_some_and(|v| person.name.is_exactly(v))
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
    if scrub_decor(table.decor_mut(), person) {
        changes.push(comment_removed(path));
    }
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    for key in keys {
        let here = join(path, &key);
        // Comments go wherever they are, on a key's line too; a key's value stays.
        let mut comment = table
            .key_mut(&key)
            .is_some_and(|mut k| scrub_decor(k.leaf_decor_mut(), person));
        if is_key_field(&key) {
            if let Some(Item::Value(v)) = table.get_mut(&key) {
                comment |= scrub_decor(v.decor_mut(), person);
            }
            if comment {
                changes.push(comment_removed(&here));
            }
            continue;
        }
        if comment {
            changes.push(comment_removed(&here));
        }
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
    if table
        .get("name")
        .and_then(Value::as_str)
        .is_some_and(|v| person.name.is_exactly(v))
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
        if is_key_field(&key) {
            continue;
        }
        if let Some(v) = table.get_mut(&key) {
            forget_value(v, person, &join(path, &key), changes);
        }
    }
    let trailing = table.trailing().as_str().and_then(|s| person.scrub(s));
    if let Some(new) = trailing {
        table.set_trailing(new);
        changes.push(comment_removed(path));
    }
}

fn forget_value(value: &mut Value, person: &Forgotten, path: &str, changes: &mut Vec<String>) {
    if scrub_decor(value.decor_mut(), person) {
        changes.push(comment_removed(path));
    }
    if let Value::Array(a) = value {
        let trailing = a.trailing().as_str().and_then(|s| person.scrub(s));
        if let Some(new) = trailing {
            a.set_trailing(new);
            changes.push(comment_removed(path));
        }
    }
    match value {
        Value::String(s) => {
            let mut text = s.value().clone();
            // Contacts first: an address made of the name goes whole.
            let contact_found = person.contacts.hide_in(&mut text, REMOVED);
            let name_found = person.name.hide_in(&mut text, REMOVED);
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

/// Replaces every occurrence of `needle` in `haystack` as the shared name matcher finds
/// it ([`NameSet`]), or `None` when there is none.
pub fn replace_ignoring_case(haystack: &str, needle: &str, with: &str) -> Option<String> {
    NameSet::new([needle]).replace(haystack, with)
}

/// A person recorded outside the cases (a network member's contact, a program's
/// participant): their name and contact details, and whether they may be named.
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    pub name: String,
    pub contacts: Vec<String>,
    pub consent: bool,
}

/// Every person a record file (a network member, a program's participants) describes:
/// each table with a `name`, its contact details, and whether it says `consent = true`.
pub fn people_in(doc: &DocumentMut) -> Vec<Recorded> {
    fn walk(table: &dyn TableLike, out: &mut Vec<Recorded>) {
        if let Some(name) = table.get("name").and_then(Item::as_str)
            && !name.trim().is_empty()
        {
            out.push(Recorded {
                name: name.to_string(),
                contacts: CONTACT_KEYS
                    .iter()
                    .filter_map(|k| table.get(k).and_then(Item::as_str))
                    .map(str::to_string)
                    .collect(),
                consent: table
                    .get("consent")
                    .and_then(Item::as_bool)
                    .unwrap_or(false),
            });
        }
        for (_, item) in table.iter() {
            match item {
                Item::Table(t) => walk(t, out),
                Item::ArrayOfTables(a) => a.iter().for_each(|t| walk(t, out)),
                Item::Value(Value::InlineTable(t)) => walk(t, out),
                Item::Value(Value::Array(a)) => a.iter().for_each(|v| {
                    if let Value::InlineTable(t) = v {
                        walk(t, out)
                    }
                }),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(doc.as_table(), &mut out);
    out
}

/// Makes `cases` and the settings fit for publication: coaches who have not consented
/// become pseudonyms ("coach-1", …), one per coach across all of `cases`, in the cases
/// and in `config` alike; and the names of people who have not consented (from the
/// cases, sluss.toml and `others`) are taken out of every free-text field. Returns those
/// names, for the caller to take out of any other text it publishes.
pub fn publish(config: &mut Config, mut cases: Vec<&mut Case>, others: &[Recorded]) -> NameSet {
    let publication = Publication::prepare(config, cases.iter().map(|c| &**c), others);
    crate::parallel::for_each_mut(&mut cases, |case| publication.apply(case));
    publication.names
}

/// What [`publish`] learns from all the cases before it changes any: the coaches'
/// pseudonyms and the names to hide. Each case can then be made fit for publication on
/// its own ([`Publication::apply`]), in any thread, as it is counted.
#[derive(Debug, Clone)]
pub struct Publication {
    pseudonyms: BTreeMap<String, String>,
    names: NameSet,
}

impl Publication {
    /// Learns from `cases` (all of them) and makes `config` fit for publication.
    pub fn prepare<'a>(
        config: &mut Config,
        cases: impl IntoIterator<Item = &'a Case> + Clone,
        others: &[Recorded],
    ) -> Publication {
        let pseudonyms = coach_pseudonyms(config, cases.clone());
        let names = names_to_hide(config, cases, others, true);
        Publication::finish(config, pseudonyms, names)
    }

    /// [`Publication::prepare`] from what every case tells ([`Facts`]) rather than the
    /// cases: the coach keys they name ([`Facts::coaches`], not `by`) and the
    /// fingerprints of the submitters who have not agreed to be named.
    pub fn prepare_from<'a>(
        config: &mut Config,
        coach_keys: impl IntoIterator<Item = &'a str>,
        unconsented_prints: impl IntoIterator<Item = &'a Fingerprint>,
        others: &[Recorded],
    ) -> Publication {
        let pseudonyms = pseudonyms_of_unconsented(config, coach_keys);
        let mut names = names_to_hide(config, std::iter::empty(), others, true);
        for print in unconsented_prints {
            names.insert_fingerprint(print);
        }
        Publication::finish(config, pseudonyms, names)
    }

    fn finish(
        config: &mut Config,
        pseudonyms: BTreeMap<String, String>,
        names: NameSet,
    ) -> Publication {
        for coach in &mut config.coaches {
            if let Some(p) = pseudonyms.get(&coach.key) {
                coach.key = p.clone();
                coach.name = p.clone();
            }
        }
        for program in &mut config.programs {
            names.hide_in(&mut program.name, REMOVED);
        }
        config.coaches.sort_by(|a, b| a.key.cmp(&b.key));
        Publication { pseudonyms, names }
    }

    /// Makes one case fit for publication.
    pub fn apply(&self, case: &mut Case) {
        pseudonymise_coaches(case, &self.pseudonyms);
        hide_names(case, &self.names);
    }
}

/// Pseudonyms for coaches in published output: a coach is named only with
/// `consent = true` in sluss.toml; the others, and coaches that cases name but sluss.toml
/// no longer lists, become "coach-1", "coach-2", … in the order of their keys.
pub fn coach_pseudonyms<'a>(
    config: &Config,
    cases: impl IntoIterator<Item = &'a Case>,
) -> BTreeMap<String, String> {
    let mut keys: Vec<&str> = Vec::new();
    for case in cases {
        keys.extend(case.coach.as_deref());
        for e in &case.history {
            // `coach = ""` records an unassignment: no key.
            keys.extend(e.coach.as_deref().filter(|c| !c.is_empty()));
            keys.extend(e.previous_coach.as_deref().filter(|c| !c.is_empty()));
        }
        keys.extend(case.sessions.iter().map(|s| s.coach.as_str()));
    }
    pseudonyms_of_unconsented(config, keys)
}

/// [`coach_pseudonyms`] of the coach keys the cases name and sluss.toml's coaches.
fn pseudonyms_of_unconsented<'k>(
    config: &Config,
    keys: impl IntoIterator<Item = &'k str>,
) -> BTreeMap<String, String> {
    let mut keys: std::collections::BTreeSet<&str> = keys.into_iter().collect();
    keys.extend(config.coaches.iter().map(|c| c.key.as_str()));
    keys.into_iter()
        .filter(|k| !config.coach(k).is_some_and(|c| c.consent))
        .enumerate()
        .map(|(i, k)| (k.to_string(), format!("coach-{}", i + 1)))
        .collect()
}

/// The names and contact details of people in `cases`, sluss.toml's coaches and
/// `others`, for removing from the free text that redacted and published output keep.
/// With `unconsented_only`, only those who have not agreed to be named.
pub fn names_to_hide<'a>(
    config: &Config,
    cases: impl IntoIterator<Item = &'a Case>,
    others: &[Recorded],
    unconsented_only: bool,
) -> NameSet {
    let hide = |consent: bool| !(unconsented_only && consent);
    // Two letters would hide ordinary words; `forget` refuses such names too.
    let long_enough = |name: &&str| name.trim().chars().count() >= 3;
    let mut names = NameSet::default();
    for coach in config.coaches.iter().filter(|c| hide(c.consent)) {
        if coach.name != REMOVED && long_enough(&coach.name.as_str()) {
            names.insert(&coach.name);
        }
    }
    for case in cases {
        if let Some(p) = case.submitter.as_ref().filter(|p| hide(p.consent)) {
            for print in fingerprints_of(p) {
                names.insert_fingerprint(&print);
            }
        }
    }
    for person in others.iter().filter(|p| hide(p.consent)) {
        std::iter::once(person.name.as_str())
            .chain(person.contacts.iter().map(String::as_str))
            .filter(long_enough)
            .for_each(|n| names.insert(n));
    }
    names
}

/// The fingerprints of a person's name and contact that [`names_to_hide`] would hide,
/// for the cache to keep in their stead.
pub fn fingerprints_of(person: &crate::domain::Person) -> Vec<crate::domain::names::Fingerprint> {
    std::iter::once(person.name.as_str())
        .chain(person.contact.as_deref())
        .filter(|n| n.trim().chars().count() >= 3)
        .filter_map(crate::domain::names::Fingerprint::of)
        .chain(person.fingerprints.iter().cloned())
        .collect()
}

/// Replaces each of `names` in every free-text field of `case` that redacted and
/// published output may show (title, unit, tags, need, idea, result, history notes and
/// results, session
/// kinds, notes and next steps) with [`REMOVED`].
pub fn hide_names(case: &mut Case, names: &NameSet) {
    if names.is_empty() {
        return;
    }
    let hide = |text: &mut String| {
        names.hide_in(text, REMOVED);
    };
    hide(&mut case.title);
    hide(&mut case.unit);
    case.tags.iter_mut().for_each(hide);
    for text in [
        case.description.need.as_mut(),
        case.description.idea.as_mut(),
        case.result.as_mut(),
    ]
    .into_iter()
    .flatten()
    {
        hide(text);
    }
    for e in &mut case.history {
        for text in [e.note.as_mut(), e.result.as_mut()].into_iter().flatten() {
            hide(text);
        }
    }
    for s in &mut case.sessions {
        for text in [s.kind.as_mut(), s.notes.as_mut()].into_iter().flatten() {
            hide(text);
        }
        s.next_steps
            .iter_mut()
            .for_each(|step| hide(&mut step.text));
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
pub fn redact(case: &Case, coaches: &BTreeMap<String, String>, names: &NameSet) -> Case {
    let mut c = case.clone();
    redact_in_place(&mut c, coaches, names);
    c
}

/// [`redact`] without a copy.
pub fn redact_in_place(c: &mut Case, coaches: &BTreeMap<String, String>, names: &NameSet) {
    let pseudonym = |who: &str| {
        coaches
            .get(who)
            .cloned()
            .unwrap_or_else(|| "person".to_string())
    };
    // In place, in the key's own memory where it fits.
    let swap = |who: &mut String| {
        let p = coaches.get(who.as_str()).map_or("person", String::as_str);
        who.clear();
        who.push_str(p);
    };
    // Notes go first: no need to look for names in them.
    for e in &mut c.history {
        e.note = None;
    }
    for s in &mut c.sessions {
        s.notes = None;
        s.next_steps.clear();
    }
    hide_names(c, names);
    c.submitter = c.submitter.take().map(|p| crate::domain::Person {
        name: String::new(),
        consent: p.consent,
        contact: None,
        forgotten: false,
        fingerprints: Vec::new(),
    });
    if let Some(coach) = c.coach.as_mut() {
        swap(coach);
    }
    for e in &mut c.history {
        swap(&mut e.by);
        // `coach = ""` (unassigned) stays as it is.
        if let Some(coach) = e.coach.as_mut().filter(|c| !c.is_empty()) {
            swap(coach);
        }
        // "" (no coach before) stays as it is.
        e.previous_coach = e.previous_coach.as_deref().map(|c| {
            if c.is_empty() {
                String::new()
            } else {
                pseudonym(c)
            }
        });
    }
    for s in &mut c.sessions {
        swap(&mut s.coach);
    }
}

/// Pseudonyms for every coach key, named or not, for redacted exports.
pub fn all_coach_pseudonyms(config: &Config, cases: &[&Case]) -> BTreeMap<String, String> {
    let mut keys = std::collections::BTreeSet::new();
    for case in cases {
        keys.extend(coach_keys(case));
    }
    pseudonyms_of_keys(config, keys)
}

/// Every coach key `case` names (its coach, history's `by`, coaches before and after,
/// and the sessions' coaches), for [`pseudonyms_of_keys`].
pub fn coach_keys(case: &Case) -> impl Iterator<Item = &str> {
    case.coach
        .as_deref()
        .into_iter()
        .chain(case.sessions.iter().map(|s| s.coach.as_str()))
        .chain(case.history.iter().flat_map(|e| {
            std::iter::once(e.by.as_str())
                .chain(e.coach.as_deref().filter(|c| !c.is_empty()))
                .chain(e.previous_coach.as_deref().filter(|c| !c.is_empty()))
        }))
}

/// [`all_coach_pseudonyms`] of the keys the cases name (see [`coach_keys`]) and
/// sluss.toml's coaches: "coach-1", "coach-2", … in the order of the keys.
pub fn pseudonyms_of_keys<'a>(
    config: &'a Config,
    keys: impl IntoIterator<Item = &'a str>,
) -> BTreeMap<String, String> {
    let mut keys: std::collections::BTreeSet<&str> = keys.into_iter().collect();
    keys.extend(config.coaches.iter().map(|c| c.key.as_str()));
    keys.into_iter()
        .enumerate()
        .map(|(i, k)| (k.to_string(), format!("coach-{}", i + 1)))
        .collect()
}

/// What published output must know of a case before it publishes any case: whom it
/// names (to keep out of every case's text), which coach keys (to number the
/// pseudonyms), and where it goes in time. The cache keeps it beside each case, so that
/// a first look at every case need not decode whole cases (see
/// [`crate::storage::repo::Survey`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Facts<'a> {
    pub id: &'a str,
    pub created: DateTime<FixedOffset>,
    /// The easternmost offset the case is written in (its creation's and its history's),
    /// which is all [`Case::today_at`] looks at.
    pub offset: FixedOffset,
    /// The latest day of its creation and its history, each in its own offset.
    pub last_day: NaiveDate,
    /// Whether the submitter agreed to be named; `None` without a submitter.
    pub consent: Option<bool>,
    /// The case's status now (the digest counts the open cases it does not read).
    pub status: crate::domain::Status,
    /// The fingerprints of the submitter's name and contact ([`fingerprints_of`]).
    pub prints: Vec<Fingerprint>,
    /// The coach keys the case names but the `by` of history: its coach, history's
    /// coaches before and after, and the sessions' coaches ([`coach_pseudonyms`]).
    pub coaches: Vec<&'a str>,
    /// The `by` of its history ([`coach_keys`] names these too).
    pub by: Vec<&'a str>,
}

impl<'a> Facts<'a> {
    /// The facts of `case`.
    pub fn of(case: &'a Case) -> Facts<'a> {
        let offset = std::iter::once(case.created.offset())
            .chain(case.history.iter().map(|e| e.at.offset()))
            .max_by_key(|o| o.local_minus_utc())
            .copied()
            .unwrap_or(*case.created.offset());
        let last_day = case
            .history
            .iter()
            .map(|e| e.day())
            .fold(case.created_day(), NaiveDate::max);
        let mut coaches: Vec<&str> = case
            .coach
            .as_deref()
            .into_iter()
            .chain(case.history.iter().flat_map(|e| {
                e.coach
                    .as_deref()
                    .filter(|c| !c.is_empty())
                    .into_iter()
                    .chain(e.previous_coach.as_deref().filter(|c| !c.is_empty()))
            }))
            .chain(case.sessions.iter().map(|s| s.coach.as_str()))
            .collect();
        coaches.sort_unstable();
        coaches.dedup();
        let mut by: Vec<&str> = case.history.iter().map(|e| e.by.as_str()).collect();
        by.sort_unstable();
        by.dedup();
        Facts {
            id: &case.id,
            created: case.created,
            offset,
            last_day,
            consent: case.submitter.as_ref().map(|p| p.consent),
            status: case.status,
            prints: case
                .submitter
                .as_ref()
                .map(fingerprints_of)
                .unwrap_or_default(),
            coaches,
            by,
        }
    }

    /// [`Case::today_at`] of the case.
    pub fn today_at(&self, now: DateTime<FixedOffset>) -> NaiveDate {
        now.date_naive()
            .max(now.with_timezone(&self.offset).date_naive())
    }

    /// Whether the case was created or changed on `since` or later (a day of its history
    /// in its own offset).
    pub fn active_since(&self, since: NaiveDate) -> bool {
        self.last_day >= since
    }

    /// The fingerprints to hide of a submitter who has not agreed to be named.
    pub fn unconsented_prints(&self) -> &[Fingerprint] {
        if self.consent == Some(false) {
            &self.prints
        } else {
            &[]
        }
    }

    /// Every coach key the case names ([`coach_keys`]), a key possibly twice.
    pub fn all_coach_keys(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.coaches.iter().chain(&self.by).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case_written_east_and_west() -> Case {
        Case::from_toml(
            "id = \"c0f3\"\ntitle = \"Idé\"\ncreated = 2019-03-02T09:15:00-05:00\n\
             stage = \"inkommen\"\nstatus = \"open\"\ncoach = \"erik\"\nunit = \"Kultur\"\n\
             [submitter]\nname = \"Anna Berg\"\nconsent = false\ncontact = \"anna@x.se\"\n\
             [[history]]\nat = 2019-04-01T00:30:00+02:00\nby = \"sara\"\ncoach = \"maria\"\n\
             previous_coach = \"erik\"\n\
             [[history]]\nat = 2019-04-02T10:00:00-08:00\nby = \"erik\"\ncoach = \"erik\"\n\
             previous_coach = \"\"\n\
             [[sessions]]\ndate = 2019-03-05\ncoach = \"olle\"\nminutes = 30\n",
        )
        .unwrap()
    }

    #[test]
    fn the_facts_of_a_case_say_what_the_case_says() {
        let case = case_written_east_and_west();
        let facts = Facts::of(&case);
        assert_eq!(facts.id, "c0f3");
        assert_eq!(facts.created, case.created);
        assert_eq!(facts.offset.local_minus_utc(), 2 * 3600);
        for now in [
            "2020-06-30T23:30:00+00:00",
            "2020-06-30T21:59:00-01:00",
            "2020-06-30T00:10:00+00:00",
            "2020-06-30T12:00:00+14:00",
        ] {
            let now = chrono::DateTime::parse_from_rfc3339(now).unwrap();
            assert_eq!(facts.today_at(now), case.today_at(now), "{now}");
        }
        // The latest day is the second entry's (2019-04-02 in its own offset).
        for day in ["2019-03-01", "2019-04-01", "2019-04-02", "2019-04-03"] {
            let day: NaiveDate = day.parse().unwrap();
            let active = case.created_day() >= day || case.history.iter().any(|e| e.day() >= day);
            assert_eq!(facts.active_since(day), active, "{day}");
        }
        assert_eq!(facts.consent, Some(false));
        assert_eq!(
            facts.prints,
            fingerprints_of(case.submitter.as_ref().unwrap())
        );
        assert_eq!(facts.unconsented_prints().len(), 2);
        assert_eq!(facts.coaches, ["erik", "maria", "olle"]);
        assert_eq!(facts.by, ["erik", "sara"]);
        let mut all: Vec<&str> = facts.all_coach_keys().collect();
        all.sort_unstable();
        all.dedup();
        let mut keys: Vec<&str> = coach_keys(&case).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(all, keys);
        // The pseudonyms from the facts are those from the case.
        let config = Config::from_toml(include_str!("../sluss.toml")).unwrap();
        let mut from_case = config.clone();
        let mut from_facts = config.clone();
        let a = Publication::prepare(&mut from_case, [&case], &[]);
        let b = Publication::prepare_from(
            &mut from_facts,
            facts.coaches.iter().copied(),
            facts.unconsented_prints(),
            &[],
        );
        assert_eq!(a.pseudonyms, b.pseudonyms);
        let text = "Anna Bergs idé, mejl anna@x.se";
        assert_eq!(a.names.replace(text, "x"), b.names.replace(text, "x"));
        assert!(b.names.replace(text, "x").is_some());
    }

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
            Some("[removed] förslag, inte Anna Bergsten")
        );
        assert_eq!(
            replace_ignoring_case("mejl:anna@x.se.", "anna@x.se", "[removed]").as_deref(),
            Some("mejl:[removed].")
        );
    }

    #[test]
    fn a_submitter_is_forgotten_and_the_rest_kept() {
        let mut doc: DocumentMut = "title = \"Idé\"\n[submitter]\nname = \"Anna Berg\" # who\nconsent = true\ncontact = \"anna@x.se\"\n\n[[sessions]]\nnotes = \"Ringde Anna Berg\"\nminutes = 30\n\n[[sessions]]\nnotes = \"Mejlade anna@x.se\"\nminutes = 15\n".parse().unwrap();
        let name = NameSet::new(["anna berg"]);
        let contacts = contacts_of(&doc, &name);
        assert_eq!(contacts, vec!["anna@x.se"]);
        let changes = forget_in(&mut doc, &name, &NameSet::new(&contacts));
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
