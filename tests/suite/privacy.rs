//! Personal data: `export` (whole and `--redact`ed), `forget` (the right to erasure),
//! `summary --public` and `digest` (published output names only those who consented),
//! and every text that reaches an export escaped for its format.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use crate::common::Sandbox;

/// Anna Berg did not consent; her name and e-mail address are also in free text: the
/// need, history notes, session notes and next steps (once in the genitive).
const ANNA: &str = r#"id = "anna0001"
title = "Digital matsedel"
created = 2020-02-03T09:00:00+01:00
stage = "utforska"
status = "open"
coach = "erik"
unit = "Vård och omsorg"
program = "ip2018"
tags = ["välfärd", "mat"]

[submitter]
name = "Anna Berg"   # kontaktperson
consent = false
contact = "anna.berg@sundsvall.se"

[description]
need = "Anna Berg har sett att de boende inte vet veckans meny"
idea = "Menyn på en skärm i matsalen"

[[history]]
at = 2020-02-10T10:00:00+01:00
by = "erik"
from = "inkommen"
to = "provning"
note = "Ringde Anna Berg om menyn"

[[history]]
at = 2020-03-02T10:00:00+01:00
by = "erik"
from = "provning"
to = "utforska"
note = "Behovet bekräftat av tre enhetschefer"

[[sessions]]
date = 2020-02-12
coach = "erik"
minutes = 60
kind = "workshop"
notes = "Workshop med ANNA BERG och köket"
next_steps = ["Mejla anna.berg@sundsvall.se en testplan", "Boka Anna Bergs enhet"]

[[sessions]]
date = 2020-05-20
coach = "maria"
minutes = 30
kind = "telefon"
notes = "Uppföljning i telefon"
"#;

/// Bertil Åkesson consented to be named.
const BERTIL: &str = r#"id = "bert0001"
title = "Elcyklar för hemtjänsten"
created = 2020-01-15T08:30:00+01:00
stage = "infora"
status = "closed"
outcome = "implemented"
coach = "sara"
unit = "Vård och omsorg"
tags = ["miljö"]

[submitter]
name = "Bertil Åkesson"
consent = true
contact = "070-123 45 67"

[description]
need = "Bilarna räcker inte till på morgonen"
idea = "Elcyklar för korta besök"

[[history]]
at = 2020-01-20T10:00:00+01:00
by = "sara"
from = "inkommen"
to = "infora"
note = "Snabbspår efter beslut i ledningsgruppen"

[[history]]
at = 2020-06-01T10:00:00+02:00
by = "sara"
status = "closed"
outcome = "implemented"
note = "Införd i tre hemtjänstgrupper"

[[sessions]]
date = 2020-01-22
coach = "sara"
minutes = 90
notes = "Provtur på elcykel"
"#;

/// Anna Bergström is another person, who did not consent either; forgetting Anna Berg
/// must leave her alone.
const BERGSTROM: &str = r#"id = "berg0001"
title = "Anna Bergströms läxhjälp"
created = 2020-06-10T13:00:00+02:00
stage = "inkommen"
status = "open"
coach = "erik"
unit = "Kultur"

[submitter]
name = "Anna Bergström"
consent = false

[description]
need = "Anna Bergström ser att eleverna saknar en lugn plats"

[[sessions]]
date = 2020-06-15
coach = "erik"
minutes = 20
notes = "Träffade Anna Bergström på biblioteket"
"#;

/// Every name, contact detail and note text of the portfolio.
const PERSONAL: &[&str] = &[
    "Anna Berg",
    "anna.berg@sundsvall.se",
    "Bertil Åkesson",
    "070-123 45 67",
    "Anna Bergström",
    "Erik Lind",
    "Sara Berg",
    "Ringde",
    "Behovet bekräftat av tre enhetschefer",
    "Workshop med",
    "Mejla",
    "Boka",
    "Uppföljning i telefon",
    "Snabbspår efter beslut i ledningsgruppen",
    "Införd i tre hemtjänstgrupper",
    "Provtur på elcykel",
    "Träffade",
    "kontaktperson",
];

fn portfolio() -> Sandbox {
    let sb = Sandbox::with_team();
    sb.write_case("anna0001", ANNA);
    sb.write_case("bert0001", BERTIL);
    sb.write_case("berg0001", BERGSTROM);
    sb
}

/// Every file in cases/, by name, as bytes.
fn snapshot(sb: &Sandbox) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(sb.path("cases"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The export as JSON, by case id.
fn export_json(sb: &Sandbox, extra: &[&str]) -> (String, BTreeMap<String, serde_json::Value>) {
    let mut args = vec!["export", "--format", "json"];
    args.extend_from_slice(extra);
    let out = sb.run(&args).success();
    let cases = out
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap().to_string(), c.clone()))
        .collect();
    (out.stdout, cases)
}

/// A CSV text as records, the header first.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The CSV as one map per row, from header to cell.
fn csv_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let records = csv_records(text);
    let header = &records[0];
    records[1..]
        .iter()
        .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

#[track_caller]
fn assert_nothing_personal(output: &str, what: &str) {
    let lower = output.to_lowercase();
    for text in PERSONAL {
        assert!(
            !lower.contains(&text.to_lowercase()),
            "{what} holds {text:?}:\n{output}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// export

#[test]
fn export_json_and_csv_hold_every_case_with_its_details() {
    let sb = portfolio();
    let (_, cases) = export_json(&sb, &[]);
    assert_eq!(
        cases.keys().collect::<Vec<_>>(),
        ["anna0001", "berg0001", "bert0001"]
    );
    let anna = &cases["anna0001"];
    assert_eq!(anna["submitter"]["name"], "Anna Berg");
    assert_eq!(anna["submitter"]["contact"], "anna.berg@sundsvall.se");
    assert_eq!(anna["history"][0]["note"], "Ringde Anna Berg om menyn");
    assert_eq!(
        anna["sessions"][0]["notes"],
        "Workshop med ANNA BERG och köket"
    );
    assert_eq!(anna["sessions"][1]["coach"], "maria");
    assert_eq!(
        anna["description"]["need"],
        "Anna Berg har sett att de boende inte vet veckans meny"
    );

    let csv = sb.run(&["export", "--format", "csv"]).success().stdout;
    let rows = csv_rows(&csv);
    assert_eq!(rows.len(), 3);
    let by_id: BTreeMap<&str, &BTreeMap<String, String>> =
        rows.iter().map(|r| (r["id"].as_str(), r)).collect();
    let anna = by_id["anna0001"];
    assert_eq!(anna["submitter"], "Anna Berg");
    assert_eq!(anna["consent"], "false");
    assert_eq!(anna["history_entries"], "2");
    assert_eq!(anna["sessions"], "2");
    assert_eq!(anna["minutes"], "90");
    assert_eq!(anna["stage"], "utforska");
    assert_eq!(anna["tags"], "välfärd;mat");
    assert_eq!(by_id["bert0001"]["outcome"], "implemented");
}

#[test]
fn a_redacted_export_has_no_names_contacts_or_notes_and_keeps_the_numbers() {
    let sb = portfolio();
    let (_, whole) = export_json(&sb, &[]);
    let (text, redacted) = export_json(&sb, &["--redact"]);
    assert_nothing_personal(&text, "export --redact --format json");
    let csv = sb
        .run(&["export", "--redact", "--format", "csv"])
        .success()
        .stdout;
    assert_nothing_personal(&csv, "export --redact --format csv");
    assert!(!csv_records(&csv)[0].contains(&"submitter".to_string()));

    // Coach keys become pseudonyms, one for one, the same everywhere.
    let mut pseudonym: BTreeMap<String, String> = BTreeMap::new();
    let mut same = |key: &serde_json::Value, p: &serde_json::Value| {
        let (key, p) = (key.as_str().unwrap(), p.as_str().unwrap());
        assert!(p.starts_with("coach-"), "{p}");
        let before = pseudonym.insert(key.to_string(), p.to_string());
        assert!(
            before.as_deref().is_none_or(|b| b == p),
            "{key} is both {before:?} and {p}"
        );
    };
    assert_eq!(
        whole.keys().collect::<Vec<_>>(),
        redacted.keys().collect::<Vec<_>>()
    );
    for (id, w) in &whole {
        let r = &redacted[id];
        same(&w["coach"], &r["coach"]);
        for key in [
            "id", "created", "stage", "status", "outcome", "unit", "program", "tags",
        ] {
            assert_eq!(w.get(key), r.get(key), "{id}: {key}");
        }
        assert_eq!(r["submitter"]["consent"], w["submitter"]["consent"]);
        assert!(r["submitter"].get("contact").is_none());
        let (wh, rh) = (
            w["history"].as_array().unwrap(),
            r["history"].as_array().unwrap(),
        );
        assert_eq!(wh.len(), rh.len(), "{id}: history entries");
        for (we, re) in wh.iter().zip(rh) {
            for key in ["at", "from", "to", "status", "outcome"] {
                assert_eq!(we.get(key), re.get(key), "{id}: history {key}");
            }
            same(&we["by"], &re["by"]);
            assert!(re.get("note").is_none());
        }
        let (ws, rs) = (
            w["sessions"].as_array().unwrap(),
            r["sessions"].as_array().unwrap(),
        );
        assert_eq!(ws.len(), rs.len(), "{id}: sessions");
        for (we, re) in ws.iter().zip(rs) {
            assert_eq!(we["date"], re["date"]);
            assert_eq!(we["minutes"], re["minutes"]);
            assert_eq!(we.get("kind"), re.get("kind"));
            same(&we["coach"], &re["coach"]);
            assert!(re.get("notes").is_none() && re.get("next_steps").is_none());
        }
    }
    let distinct: BTreeSet<&String> = pseudonym.values().collect();
    assert_eq!(
        distinct.len(),
        pseudonym.len(),
        "two coaches share a pseudonym"
    );
    assert_eq!(
        pseudonym.keys().collect::<Vec<_>>(),
        ["erik", "maria", "sara"]
    );

    // The title and description stay, without the names in them.
    assert_eq!(
        redacted["anna0001"]["description"]["need"],
        "[removed] har sett att de boende inte vet veckans meny"
    );
    assert_eq!(redacted["berg0001"]["title"], "[removed] läxhjälp");
    assert_eq!(redacted["bert0001"]["title"], "Elcyklar för hemtjänsten");

    // The CSV carries the same figures.
    for row in csv_rows(&csv) {
        let w = &whole[&row["id"]];
        assert_eq!(row["unit"], w["unit"].as_str().unwrap());
        assert_eq!(row["stage"], w["stage"].as_str().unwrap());
        assert_eq!(
            row["sessions"],
            w["sessions"].as_array().unwrap().len().to_string()
        );
        assert_eq!(row["coach"], pseudonym[w["coach"].as_str().unwrap()]);
    }
}

// ---------------------------------------------------------------------------------------
// forget

#[test]
fn forget_dry_run_says_what_would_change_and_changes_nothing() {
    let sb = portfolio();
    let before = snapshot(&sb);
    let out = sb.run(&["forget", "Anna Berg", "--dry-run"]).success();
    assert_eq!(snapshot(&sb), before, "a dry run wrote something");
    assert!(
        out.stdout
            .contains("cases/anna0001.toml: submitter: name and contact removed"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "cases/anna0001.toml: sessions[0].next_steps[0]: contact removed from the text"
        )
    );
    assert!(
        out.stdout.contains("would change 6 place(s) in 1 file(s)"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("berg0001"), "{}", out.stdout);
}

#[test]
fn forget_removes_the_name_and_contact_everywhere_and_keeps_every_number() {
    let sb = portfolio();
    let summary = |sb: &Sandbox| sb.run(&["summary", "--format", "json"]).success().stdout;
    let summary_before = summary(&sb);
    let export_before = export_json(&sb, &[]).1;
    let others_before = (sb.case_text("berg0001"), sb.case_text("bert0001"));

    // Matching ignores case.
    let out = sb.run(&["forget", "anna berg"]).success();
    assert_eq!(
        out.stdout,
        "cases/anna0001.toml: submitter: name and contact removed\n\
         cases/anna0001.toml: description.need: name removed from the text\n\
         cases/anna0001.toml: history[0].note: name removed from the text\n\
         cases/anna0001.toml: sessions[0].notes: name removed from the text\n\
         cases/anna0001.toml: sessions[0].next_steps[0]: contact removed from the text\n\
         cases/anna0001.toml: sessions[0].next_steps[1]: name removed from the text\n\
         changed 6 place(s) in 1 file(s)\n\
         note: earlier versions in git history still hold the name; erasing it there means rewriting history (for example with git filter-repo) in every clone\n"
    );

    let text = sb.case_text("anna0001");
    assert!(!text.to_lowercase().contains("anna berg"), "{text}");
    assert!(!text.contains("sundsvall.se"), "{text}");
    let case = sb.case("anna0001");
    assert_eq!(case["submitter"]["forgotten"].as_bool(), Some(true));
    assert_eq!(case["submitter"]["consent"].as_bool(), Some(false));
    assert!(case["submitter"].get("name").is_none());
    assert!(case["submitter"].get("contact").is_none());
    assert_eq!(
        case["sessions"][0]["next_steps"][1].as_str(),
        Some("Boka [removed] enhet")
    );
    // The comment on the submitter's name went with it; the rest of the file stays.
    assert!(text.contains("title = \"Digital matsedel\"\n"));
    // Another person with a similar name, and everyone else, are untouched.
    assert_eq!(
        (sb.case_text("berg0001"), sb.case_text("bert0001")),
        others_before
    );

    // Every case, history entry, session and minute is still there.
    assert_eq!(summary(&sb), summary_before);
    let export_after = export_json(&sb, &[]).1;
    assert_eq!(export_after.len(), export_before.len());
    for (id, before) in &export_before {
        let after = &export_after[id];
        for key in ["stage", "status", "created", "coach", "unit", "tags"] {
            assert_eq!(before[key], after[key], "{id}: {key}");
        }
        assert_eq!(
            before["history"].as_array().unwrap().len(),
            after["history"].as_array().unwrap().len()
        );
        let minutes = |c: &serde_json::Value| -> Vec<i64> {
            c["sessions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["minutes"].as_i64().unwrap())
                .collect()
        };
        assert_eq!(minutes(before), minutes(after), "{id}");
    }

    // A second run finds nothing more to change.
    let files = snapshot(&sb);
    let out = sb.run(&["forget", "Anna Berg"]).success();
    assert_eq!(out.stdout, "changed 0 place(s) in 0 file(s)\n");
    assert_eq!(snapshot(&sb), files);
}

#[test]
fn forget_refuses_a_name_too_short_to_name_one_person() {
    let sb = portfolio();
    let before = snapshot(&sb);
    for name in ["Bo", " A ", ""] {
        sb.run(&["forget", name])
            .failure(2)
            .stderr_has("is too short to name one person safely")
            .hint_has("give the person's full name");
    }
    assert_eq!(snapshot(&sb), before);
}

#[test]
fn forget_goes_on_past_a_broken_case_and_names_it() {
    let mut sb = portfolio();
    sb.allow_broken_cases();
    sb.write_case("trasig1", "id = \"trasig1\"\ntitle = \"Anna Berg\n");
    let out = sb.run(&["forget", "Anna Berg"]).failure(2);
    assert!(
        out.stdout.contains("changed 6 place(s) in 1 file(s)"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("warning: skipped"), "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "1 file(s) could not be searched, so the person may still be named there: cases/trasig1.toml"
        ),
        "{}",
        out.stderr
    );
    assert!(!sb.case_text("anna0001").contains("Anna Berg"));
}

#[test]
fn forget_says_a_coach_of_that_name_keeps_the_key() {
    let sb = portfolio();
    let out = sb.run(&["forget", "Sara Berg", "--dry-run"]).success();
    assert!(
        out.stdout
            .contains("note: coach 'sara' keeps the key, which the cases use, as a pseudonym"),
        "{}",
        out.stdout
    );
}

// ---------------------------------------------------------------------------------------
// Published output: summary --public and digest

/// The portfolio with coach sara's consent to be named in sluss.toml.
fn with_sara_consenting() -> Sandbox {
    let sb = portfolio();
    let config = sb.read("sluss.toml");
    let config = config.replacen(
        "key = \"sara\"\nname = \"Sara Berg\"\n",
        "key = \"sara\"\nname = \"Sara Berg\"\nconsent = true\n",
        1,
    );
    assert!(config.contains("consent = true"));
    sb.write("sluss.toml", &config);
    sb
}

#[test]
fn summary_public_names_only_coaches_who_consented() {
    let sb = with_sara_consenting();
    let json = sb
        .run(&["summary", "--public", "--format", "json"])
        .success()
        .json();
    let by_coach: Vec<&str> = json["coaching"]["by_coach"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["coach"].as_str().unwrap())
        .collect();
    // erik has not consented; maria, no longer in sluss.toml, has not either.
    assert_eq!(by_coach, ["coach-1", "coach-2", "sara"]);

    for format in ["table", "json", "csv", "markdown", "html"] {
        let out = sb
            .run(&["summary", "--public", "--format", format])
            .success()
            .stdout;
        let lower = out.to_lowercase();
        for hidden in ["erik", "maria", "anna berg", "anna bergström"] {
            assert!(
                !lower.contains(hidden),
                "--format {format} names {hidden}:\n{out}"
            );
        }
        assert!(out.contains("coach-1"), "--format {format}:\n{out}");
    }
    let table = sb.run(&["summary", "--public"]).success().stdout;
    assert!(table.contains("Sara Berg"), "{table}");

    // Without --public, the team sees everyone.
    let team = sb.run(&["summary"]).success().stdout;
    assert!(
        team.contains("Erik Lind") && team.contains("Sara Berg"),
        "{team}"
    );
}

#[test]
fn summary_public_keeps_every_number() {
    let sb = with_sara_consenting();
    let team = sb.run(&["summary", "--format", "json"]).success().json();
    let public = sb
        .run(&["summary", "--public", "--format", "json"])
        .success()
        .json();
    for key in ["total", "by_status", "by_outcome", "stages", "stale"] {
        assert_eq!(team[key], public[key], "{key}");
    }
    for key in ["sessions", "minutes"] {
        assert_eq!(team["coaching"][key], public["coaching"][key], "{key}");
    }
}

#[test]
fn the_digest_names_only_submitters_who_consented() {
    let sb = portfolio();
    for format in ["markdown", "html", "json"] {
        let out = sb
            .run(&["digest", "--since", "2020-01-01", "--format", format])
            .success()
            .stdout;
        assert!(out.contains("Bertil Åkesson"), "--format {format}:\n{out}");
        let lower = out.to_lowercase();
        for hidden in ["anna berg", "anna.berg", "070-123"] {
            assert!(
                !lower.contains(hidden),
                "--format {format} names {hidden}:\n{out}"
            );
        }
        // The ideas are still there, with their units.
        assert!(
            out.contains("Digital matsedel") && out.contains("Kultur"),
            "{out}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Escaping

const FORMULAS: &[&str] = &[
    "=HYPERLINK(\"http://example.org\",\"klicka\")",
    "+46 70 123",
    "-2+3",
    "@SUM(A1)",
    "\tflik",
    "\rvagn",
];

#[test]
fn no_exported_csv_cell_can_run_as_a_formula() {
    let sb = Sandbox::with_team();
    // `--flag=VALUE`, so that a value starting with `-` is not taken for a flag.
    let mut args: Vec<String> = vec![
        "new".into(),
        "--coach=erik".into(),
        format!("--submitter={}", FORMULAS[3]),
        format!("--unit={}", FORMULAS[1]),
        format!("--need={}", FORMULAS[2]),
        "--idea==1+1".into(),
    ];
    // A tag holds no ',' (`new` refuses one): the formula with commas is a title here.
    args.extend(
        FORMULAS
            .iter()
            .filter(|t| !t.contains(','))
            .map(|t| format!("--tag={t}")),
    );
    args.extend(["--".into(), FORMULAS[0].into()]);
    sb.run(&args.iter().map(String::as_str).collect::<Vec<_>>())
        .success();
    // Also text written by hand, where `new` would have trimmed it.
    sb.write_case(
        "form0001",
        "id = \"form0001\"\ntitle = \"\\tTitel\"\ncreated = 2020-01-10T09:00:00+01:00\nstage = \"inkommen\"\nstatus = \"open\"\nunit = \"\\rEnhet\"\ntags = [\"-x\"]\n\n[submitter]\nname = \"+Namn\"\nconsent = true\n",
    );

    for args in [
        &["export", "--format", "csv"][..],
        &["export", "--redact", "--format", "csv"],
        &["list", "--format", "csv"],
        &["summary", "--format", "csv", "--by", "unit"],
        &["summary", "--format", "csv", "--by", "tag"],
    ] {
        let out = sb.run(args).success().stdout;
        let records = csv_records(&out);
        assert!(records.len() > 1, "`{}` printed no rows", args.join(" "));
        for cell in records.iter().flatten() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "`sluss {}` has the cell {cell:?}",
                args.join(" ")
            );
        }
    }
    // Escaped, not lost: the text is there after its quote mark.
    let out = sb.run(&["export", "--format", "csv"]).success().stdout;
    let rows = csv_rows(&out);
    let row = rows.iter().find(|r| r["id"] != "form0001").unwrap();
    assert_eq!(row["title"], format!("'{}", FORMULAS[0]));
    assert_eq!(row["submitter"], format!("'{}", FORMULAS[3]));
    assert_eq!(row["unit"], format!("'{}", FORMULAS[1]));
}

#[test]
fn exported_json_holds_any_text_exactly() {
    let sb = Sandbox::with_team();
    let title = "Citat \" och \\ och </script><script>alert(1)</script> och\nny rad\u{7}";
    sb.write_case(
        "json0001",
        &format!(
            "id = \"json0001\"\ntitle = {}\ncreated = 2020-01-10T09:00:00+01:00\nstage = \"inkommen\"\nstatus = \"open\"\nunit = \"Kultur\"\n",
            toml::Value::String(title.to_string())
        ),
    );
    let (text, cases) = export_json(&sb, &[]);
    assert_eq!(cases["json0001"]["title"], title);
    assert!(!text.contains('\u{7}'), "a raw control character in JSON");
}

#[test]
fn the_coach_a_case_had_before_is_pseudonymised_too() {
    let sb = Sandbox::with_team();
    let id = sb.new_case_on("2020-01-10", "Matsedel", &["--coach", "erik"]);
    sb.run_on("2020-03-01", &["assign", &id, "sara"]).success();
    assert_eq!(
        sb.case(&id)["history"][0]["previous_coach"].as_str(),
        Some("erik")
    );
    // As of February the case was erik's: published, he is a pseudonym.
    let json = sb
        .run(&[
            "summary",
            "--public",
            "--as-of",
            "2020-02-01",
            "--by",
            "coach",
            "--format",
            "json",
        ])
        .success()
        .json();
    let groups: Vec<&str> = json["breakdown"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["coach-1"]);
    // A redacted export names no coach, before or after.
    for format in ["json", "csv"] {
        let out = sb
            .run(&["export", "--redact", "--format", format])
            .success()
            .stdout
            .to_lowercase();
        for hidden in ["erik", "sara"] {
            assert!(
                !out.contains(hidden),
                "--format {format} names {hidden}:\n{out}"
            );
        }
    }
}
