//! `check`'s rules for the files beside the cases: partner-network members
//! (`network/<key>.toml`), program participants (`programs/<key>.toml`), and the partner
//! keys that cases name. The same layers as for a case (bytes, TOML syntax, keys and
//! types, then the rules), each problem at its line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use toml_edit::{Document, Item, Table};

use super::{Locator, Problem, entry_tables, value_span};
use crate::domain::config::check_key;
use crate::domain::datetime::{item_datetime, to_local_date};
use crate::domain::network::{Member, MemberKind};
use crate::domain::participants::ProgramParticipants;
use crate::domain::{Case, Config};

/// What checking one member file found.
#[derive(Debug, Default)]
pub struct MemberCheck {
    pub problems: Vec<Problem>,
    pub member: Option<Member>,
    /// Where the `key` value stands, to point at duplicates across files.
    pub key_at: (usize, usize),
}

const MEMBER_HINT: &str = "see the user guide's \"Programs and the partner network\" (docs/guide.md); `sluss network add` writes a valid member";
const PROGRAM_HINT: &str = "see the user guide's \"Programs and the partner network\" (docs/guide.md); `sluss program participant add` writes a valid file";

/// A required key that is missing or not a string, reported once; says whether it is
/// a string.
/// Whether the person's `consent`, if written, is true or false; else says so.
fn consent_is_bool(loc: &mut Locator, person: &Table) -> bool {
    match person.get("consent") {
        Some(c) if !c.is_bool() => {
            loc.error(
                c.span(),
                "invalid",
                "`consent` must be true or false".into(),
                None,
            );
            false
        }
        _ => true,
    }
}

fn require_string(
    loc: &mut Locator,
    table: &Table,
    key: &str,
    at: Option<std::ops::Range<usize>>,
    hint: &str,
) -> bool {
    match table.get(key) {
        None => {
            loc.error(
                at,
                "missing-key",
                format!("the required key `{key}` is missing"),
                Some(hint),
            );
            false
        }
        Some(item) if item.as_str().is_none() => {
            loc.error(
                item.span(),
                "invalid",
                format!("`{key}` must be a string"),
                Some(hint),
            );
            false
        }
        Some(_) => true,
    }
}

/// A key that must hold a TOML local date (`2019-03-05`), when present; says whether
/// it does.
fn check_date(loc: &mut Locator, table: &Table, key: &str) -> Option<NaiveDate> {
    let item = table.get(key)?;
    let date = item_datetime(item).and_then(|(d, _)| to_local_date(&d));
    if date.is_none() {
        loc.error(
            item.span(),
            "date",
            format!("`{key}` must be a date such as 2019-03-05"),
            Some("write the day as a TOML local date, without a time"),
        );
    }
    date
}

/// Checks one member file's bytes on day `today`.
pub fn check_member(path: &Path, bytes: &[u8], today: NaiveDate) -> MemberCheck {
    let mut out = MemberCheck::default();
    let (body, doc) = match super::parse_layers(
        path,
        bytes,
        "network",
        "`sluss network add` writes a valid member",
    ) {
        Ok(parsed) => parsed,
        Err(problems) => {
            out.problems = problems;
            return out;
        }
    };
    let mut loc = Locator::new(path, body);
    let root = doc.as_table();

    // Keys and types, each at its place.
    let mut ok = true;
    for key in ["key", "organisation", "kind"] {
        ok &= require_string(&mut loc, root, key, None, MEMBER_HINT);
    }
    if let Some(kind) = root.get("kind").and_then(Item::as_str)
        && kind.parse::<MemberKind>().is_err()
    {
        loc.error(
            value_span(root, "kind"),
            "kind",
            format!("kind '{kind}' is not a kind of member"),
            Some("use company, research, public or civic"),
        );
        ok = false;
    }
    if root.get("joined").is_none() {
        loc.error(
            None,
            "missing-key",
            "the required key `joined` is missing".into(),
            Some("say when it joined: joined = 2019-03-05"),
        );
        ok = false;
    }
    let joined = check_date(&mut loc, root, "joined");
    let left = check_date(&mut loc, root, "left");
    ok &= root.get("joined").is_none() || joined.is_some();
    ok &= root.get("left").is_none() || left.is_some();
    match root.get("contact") {
        None => {}
        Some(Item::Table(t)) => {
            // A forgotten person (`sluss forget`) leaves a table without a name.
            let forgotten = t.get("forgotten").and_then(Item::as_bool) == Some(true);
            if !forgotten
                && t.get("name")
                    .and_then(Item::as_str)
                    .is_none_or(|n| n.trim().is_empty())
            {
                loc.error(
                    t.get("name").and_then(Item::span).or(t.span()),
                    "contact",
                    "the contact has no name".into(),
                    Some("write the contact person's name: name = \"…\" (or remove [contact])"),
                );
                ok = false;
            }
            ok &= consent_is_bool(&mut loc, t);
            if let Some(email) = t.get("email").and_then(Item::as_str)
                && !email.contains('@')
            {
                loc.warning(
                    value_span(t, "email"),
                    "email",
                    format!("'{email}' does not look like an e-mail address"),
                    None,
                );
            }
        }
        Some(item) => {
            loc.error(
                item.span(),
                "invalid",
                "`contact` must be a table: [contact] with name, email or phone, consent".into(),
                None,
            );
            ok = false;
        }
    }
    if !ok {
        out.problems = loc.problems;
        return out;
    }
    let member = match Member::from_toml(body) {
        Ok(m) => m,
        Err(e) => {
            loc.error(
                e.span(),
                "invalid",
                e.message().trim().to_string(),
                Some(MEMBER_HINT),
            );
            out.problems = loc.problems;
            return out;
        }
    };
    out.key_at = loc.at(value_span(root, "key").map_or(0, |s| s.start));

    // The rules.
    if let Err(message) = check_key("network member", &member.key) {
        loc.error(value_span(root, "key"), "key", message, None);
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if stem != member.key {
        loc.error(
            value_span(root, "key"),
            "key-file-name",
            format!(
                "key '{}' does not match the file name {}",
                member.key,
                path.file_name().and_then(|n| n.to_str()).unwrap_or("")
            ),
            Some("a member lives in network/<key>.toml; rename the file or fix the key"),
        );
    }
    if member.organisation.trim().is_empty() {
        loc.error(
            value_span(root, "organisation"),
            "organisation",
            "the organisation's name is empty".into(),
            None,
        );
    }
    if member.joined > today {
        loc.error(
            value_span(root, "joined"),
            "future",
            format!("joined {} is in the future", member.joined),
            Some("check the date"),
        );
    }
    if let Some(left) = member.left {
        if left < member.joined {
            loc.error(
                value_span(root, "left"),
                "left-before-joined",
                format!("left {left} is before joined {}", member.joined),
                Some("check the dates"),
            );
        }
        if left > today {
            loc.error(
                value_span(root, "left"),
                "future",
                format!("left {left} is in the future"),
                Some("record the day it left once it has"),
            );
        }
    }
    out.problems = loc.problems;
    out.member = Some(member);
    out
}

/// Two or more member files with one key (keys that differ only in the case of their
/// letters are one key): each is named, pointing at the others.
pub fn duplicate_members(files: &[(PathBuf, &MemberCheck)]) -> Vec<Problem> {
    super::duplicate_keys(
        files.iter().filter_map(|(path, check)| {
            let member = check.member.as_ref()?;
            Some((path, member.key.as_str(), check.key_at))
        }),
        super::Duplicate {
            code: "duplicate-key",
            what: "key",
            hint: "a member's key must be unique; give one of them a new key (and file name)",
        },
    )
}

/// Checks one program participants file's bytes against the settings.
pub fn check_program_file(path: &Path, bytes: &[u8], config: &Config) -> Vec<Problem> {
    let (body, doc) = match super::parse_layers(
        path,
        bytes,
        "programs",
        "`sluss program participant add` writes a valid file",
    ) {
        Ok(parsed) => parsed,
        Err(problems) => return problems,
    };
    let mut loc = Locator::new(path, body);
    let root = doc.as_table();
    let mut ok = require_string(&mut loc, root, "program", None, PROGRAM_HINT);
    if let Some(program) = root.get("program").and_then(Item::as_str) {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if program != stem {
            loc.error(
                value_span(root, "program"),
                "key-file-name",
                format!(
                    "program '{program}' does not match the file name {}",
                    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
                ),
                Some("a program's participants live in programs/<key>.toml; rename the file or fix the key"),
            );
        }
        if config.program(program).is_none() {
            loc.error(
                value_span(root, "program"),
                "unknown-program",
                format!("program '{program}' is not defined in sluss.toml"),
                Some("add it with `sluss program add KEY --name NAME`, or fix the key"),
            );
        }
    }
    match root.get("participants") {
        None | Some(Item::ArrayOfTables(_)) => {}
        Some(Item::Value(toml_edit::Value::Array(a))) if a.iter().all(|v| v.is_inline_table()) => {}
        Some(item) => {
            loc.error(
                item.span(),
                "invalid",
                "`participants` must be a list of tables: [[participants]]".into(),
                Some(PROGRAM_HINT),
            );
            ok = false;
        }
    }
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for t in entry_tables(root, "participants") {
        let at = t.span();
        let forgotten = t.get("forgotten").and_then(Item::as_bool) == Some(true);
        ok &= forgotten
            || require_string(
                &mut loc,
                &t,
                "name",
                at.clone(),
                "every participant has a name = \"…\"",
            );
        if let Some(name) = t.get("name").and_then(Item::as_str)
            && name.trim().is_empty()
        {
            loc.error(
                value_span(&t, "name"),
                "name",
                "the participant's name is empty".into(),
                None,
            );
        }
        match t.get("kind") {
            None => {
                loc.error(
                    at.clone(),
                    "missing-key",
                    "the required key `kind` is missing".into(),
                    Some("write kind = \"person\" or kind = \"team\""),
                );
                ok = false;
            }
            Some(k) if !matches!(k.as_str(), Some("person" | "team")) => {
                loc.error(
                    k.span(),
                    "kind",
                    format!(
                        "kind {} is not a kind of participant",
                        k.as_value()
                            .map(|v| v.to_string().trim().to_string())
                            .unwrap_or_default()
                    ),
                    Some("use person or team"),
                );
                ok = false;
            }
            Some(_) => {}
        }
        ok &= consent_is_bool(&mut loc, &t);
        let unit = t.get("unit").and_then(Item::as_str).unwrap_or("");
        if unit.trim().is_empty() {
            loc.warning(
                value_span(&t, "unit")
                    .or(value_span(&t, "name"))
                    .or(at.clone()),
                "unit",
                "no unit is given".into(),
                Some("say which organisational unit they come from: unit = \"…\""),
            );
        }
        if let Some(name) = t.get("name").and_then(Item::as_str) {
            let key = (name.trim().to_lowercase(), unit.trim().to_lowercase());
            let n = seen.entry(key).or_default();
            *n += 1;
            if *n == 2 {
                loc.warning(
                    value_span(&t, "name"),
                    "duplicate-participant",
                    format!("{name} ({unit}) is listed more than once"),
                    Some("remove the extra entry"),
                );
            }
        }
    }
    if ok && let Err(e) = ProgramParticipants::from_toml(body) {
        loc.error(
            e.span(),
            "invalid",
            e.message().trim().to_string(),
            Some(PROGRAM_HINT),
        );
    }
    loc.problems
}

/// The partner keys a case names (in `partners` and in its history) that are no member
/// of the network: `members` holds the keys of the member files.
pub fn case_partners(
    path: &Path,
    bytes: &[u8],
    case: &Case,
    members: &BTreeSet<String>,
) -> Vec<Problem> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Ok(doc) = Document::parse(body) else {
        return Vec::new();
    };
    let root = doc.as_table();
    let mut loc = Locator::new(path, body);
    let hint = "add the member with `sluss network add KEY --organisation ORG --kind KIND`, or fix the key";
    if let Some(Item::Value(toml_edit::Value::Array(a))) = root.get("partners") {
        let mut seen = BTreeSet::new();
        for v in a.iter() {
            let Some(key) = v.as_str() else { continue };
            if !members.contains(key) {
                loc.error(
                    v.span(),
                    "unknown-partner",
                    format!(
                        "partner '{key}' is not a member of the network (no network/{key}.toml)"
                    ),
                    Some(hint),
                );
            }
            if !seen.insert(key) {
                loc.warning(
                    v.span(),
                    "duplicate-partner",
                    format!("partner '{key}' is named twice"),
                    Some("remove the second one"),
                );
            }
        }
    }
    for (table, entry) in entry_tables(root, "history").iter().zip(&case.history) {
        for (key, named) in [
            ("partner_added", &entry.partner_added),
            ("partner_removed", &entry.partner_removed),
        ] {
            if let Some(k) = named
                && !members.contains(k)
            {
                loc.error(
                    value_span(table, key),
                    "unknown-partner",
                    format!("partner '{k}' is not a member of the network (no network/{k}.toml)"),
                    Some(hint),
                );
            }
        }
    }
    loc.problems
}
