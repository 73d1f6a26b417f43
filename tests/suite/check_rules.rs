//! Rules that `check`, the commands and the schemas share: a key is never a name Windows
//! reserves, an id two files claim is ambiguous whatever the case of its letters, a
//! session lasts a minute to a day, a case's fields agree with its history, `new` applies
//! the first stage's gate, and a file the JSON Schemas accept is one `check` accepts (and
//! the other way round, as far as a schema can say it).

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::common::Sandbox;

/// A valid case of the team sandbox: moved to Prövning, one session.
fn good_case(id: &str) -> String {
    format!(
        r#"id = "{id}"
title = "Bra idé"
created = 2020-01-10T10:00:00+01:00
stage = "provning"
status = "open"
coach = "erik"
unit = "Skola"
tags = ["skola"]

[description]
need = "Ett behov"

[[history]]
at = 2020-02-01T10:00:00+01:00
by = "erik"
from = "inkommen"
to = "provning"

[[sessions]]
date = 2020-02-02
coach = "erik"
minutes = 60
"#
    )
}

/// The codes `check --format json` reports.
fn codes(sb: &Sandbox) -> Vec<String> {
    let json = sb.run(&["check", "--format", "json"]).json();
    json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == "error")
        .map(|p| p["code"].as_str().unwrap().to_string())
        .collect()
}

// Keys and ids

#[test]
fn no_command_accepts_a_key_windows_reserves() {
    let sb = Sandbox::with_team();
    for name in ["con", "aux", "nul", "prn", "com1", "lpt9"] {
        sb.assert_untouched("sluss.toml", || {
            sb.run(&["coach", "add", name, "--name", "X"])
                .failure(1)
                .stderr_has("Windows reserves it");
            sb.run(&["program", "add", name, "--name", "X"])
                .failure(1)
                .stderr_has("Windows reserves it");
        });
        sb.run(&[
            "network",
            "add",
            name,
            "--organisation",
            "X AB",
            "--kind",
            "company",
        ])
        .failure(1)
        .stderr_has("Windows reserves it");
        assert!(!sb.path(&format!("network/{name}.toml")).exists());
    }
}

#[test]
fn every_key_in_sluss_toml_follows_the_key_rule() {
    // Stage keys were not checked at all: "" and "../../etc" passed.
    for (bad, kind) in [
        ("\nkey = \"utforska\"", "\nkey = \"\""),
        ("\nkey = \"utforska\"", "\nkey = \"../../etc\""),
        ("\nkey = \"utforska\"", "\nkey = \"Aux\""),
        ("\nkey = \"erik\"", "\nkey = \"lpt1\""),
        ("\nkey = \"erik\"", "\nkey = \"Erik\""),
        ("\nkey = \"ip2018\"", "\nkey = \"nul\""),
    ] {
        let mut sb = Sandbox::with_team();
        sb.allow_broken_cases();
        let settings = sb.read("sluss.toml").replacen(bad, kind, 1);
        assert_ne!(settings, sb.read("sluss.toml"), "{kind}");
        sb.write("sluss.toml", &settings);
        let out = sb.run(&["check"]).failure(1);
        assert!(
            out.stdout.contains("is not a valid"),
            "{kind}: {}",
            out.stdout
        );
        // Every command reads the settings the same way.
        sb.run(&["list"]).failure(2).stderr_has("is not a valid");
    }
}

#[test]
fn a_case_id_windows_reserves_is_a_problem() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    for id in ["con", "Aux", "NUL", "com3", "lpt0"] {
        sb.write(&format!("cases/{id}.toml"), &good_case(id));
        let out = sb.run(&["check"]).failure(1);
        assert!(
            out.stdout.contains(&format!(
                "cases/{id}.toml:1:6: error: '{id}' is not a valid id"
            )),
            "{}",
            out.stdout
        );
        assert!(out.stdout.contains("Windows reserves"), "{}", out.stdout);
        std::fs::remove_file(sb.path(&format!("cases/{id}.toml"))).unwrap();
    }
}

#[test]
fn ids_that_differ_only_in_case_are_one_id_to_show_and_check() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    sb.write("cases/abc.toml", &good_case("abc"));
    sb.write("cases/AbC.toml", &good_case("AbC"));
    for name in ["abc", "ABC", "AbC", "ab"] {
        sb.run(&["show", name])
            .failure(2)
            .stderr_has("several files claim the case id")
            .stderr_has("abc.toml")
            .stderr_has("AbC.toml")
            .hint_has("give one of the files a new id");
    }
    // An id with more letters than are looked up one spelling at a time.
    let long = "abcdefghjkmnpqrstvwxyz";
    sb.write(&format!("cases/{long}.toml"), &good_case(long));
    sb.run(&["show", long]).success();
    let twin = "abcdefghjkmnpqrstvwxyZ";
    sb.write(&format!("cases/{twin}.toml"), &good_case(twin));
    sb.run(&["show", long])
        .failure(2)
        .stderr_has(&format!("{twin}.toml"));
    std::fs::remove_file(sb.path(&format!("cases/{twin}.toml"))).unwrap();
    std::fs::remove_file(sb.path(&format!("cases/{long}.toml"))).unwrap();
    let out = sb.run(&["check"]).failure(1);
    assert!(
        out.stdout
            .contains("cases/AbC.toml:1:6: error: id 'AbC' is also used by cases/abc.toml"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("cases/abc.toml:1:6: error: id 'abc' is also used by cases/AbC.toml"),
        "{}",
        out.stdout
    );
    // A write command is refused the same way, and changes neither file.
    sb.assert_untouched("cases/abc.toml", || {
        sb.run(&["assign", "abc", "sara"]).failure(2);
    });
}

// Bounds

#[test]
fn check_bounds_minutes_as_the_session_command_does() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    let id = "mins00000001";
    for (minutes, message) in [
        (
            "1441",
            "a session lasts at most a day (1440 minutes), found 1441",
        ),
        (
            "4294967295",
            "a session lasts at most a day (1440 minutes), found 4294967295",
        ),
        (
            "4294967296",
            "a session lasts at most a day (1440 minutes), found 4294967296",
        ),
        ("0", "a session's minutes must be positive, found 0"),
        ("-3", "a session's minutes must be positive, found -3"),
    ] {
        sb.write_case(
            id,
            &good_case(id).replace("minutes = 60", &format!("minutes = {minutes}")),
        );
        let out = sb.run(&["check"]).failure(1);
        assert!(
            out.stdout
                .contains(&format!("cases/{id}.toml:22:11: error: {message}")),
            "{minutes}: {}",
            out.stdout
        );
        assert!(out.stdout.contains("1 error(s)"), "{}", out.stdout);
    }
    sb.write_case(id, &good_case(id).replace("minutes = 60", "minutes = 1440"));
    sb.run(&["check"]).success();
    sb.assert_untouched(&Sandbox::case_rel(id), || {
        sb.run(&["session", id, "--minutes", "1441"])
            .failure(2)
            .stderr_has("at most a day (1440 minutes)");
    });
}

// Fields and history

#[test]
fn a_status_no_history_entry_made_is_a_problem() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    let id = "stat00000001";
    let closed = good_case(id).replace(
        "status = \"open\"",
        "status = \"closed\"\noutcome = \"stopped\"",
    );
    sb.write_case(id, &closed);
    let out = sb.run(&["check"]).failure(1);
    assert!(
        out.stdout.contains(&format!(
            "cases/{id}.toml:5:10: error: status is 'closed' but history records no status change"
        )),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains(&format!("`sluss close {id} --outcome …`")),
        "{}",
        out.stdout
    );
    sb.write_case(
        id,
        &good_case(id).replace("status = \"open\"", "status = \"parked\""),
    );
    let out = sb.run(&["check"]).failure(1);
    assert!(
        out.stdout
            .contains("error: status is 'parked' but history records no status change"),
        "{}",
        out.stdout
    );
    // With the entry that closed it, all is well.
    sb.write_case(
        id,
        &format!(
            "{closed}\n[[history]]\nat = 2020-03-01T10:00:00+01:00\nby = \"erik\"\nstatus = \"closed\"\noutcome = \"stopped\"\n"
        ),
    );
    sb.run(&["check"]).success();
}

#[test]
fn a_coach_program_or_partner_the_history_does_not_end_with_is_a_problem() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    sb.run(&[
        "network",
        "add",
        "norrdata",
        "--organisation",
        "Norrdata AB",
        "--kind",
        "company",
        "--joined",
        "2019-01-01",
    ])
    .success();
    let id = "hist00000001";
    let entry = |keys: &str| {
        format!("\n[[history]]\nat = 2020-03-01T10:00:00+01:00\nby = \"erik\"\n{keys}\n")
    };
    for (fields, keys, code, message) in [
        (
            "coach = \"erik\"",
            "coach = \"sara\"\nprevious_coach = \"erik\"",
            "coach-history",
            "coach is 'erik' but the last assignment in history gave the case to 'sara'",
        ),
        (
            "coach = \"erik\"\nprogram = \"ip2018\"",
            "program = \"\"\nprevious_program = \"ip2018\"",
            "program-history",
            "program is 'ip2018' but the last program change in history took the case out of its program",
        ),
        (
            "coach = \"erik\"",
            "program = \"ip2018\"\nprevious_program = \"\"",
            "program-history",
            "program is not set but the last program change in history put the case in 'ip2018'",
        ),
        (
            "coach = \"erik\"",
            "partner_added = \"norrdata\"",
            "partner-history",
            "partner 'norrdata' was added in history but is not in partners",
        ),
        (
            "coach = \"erik\"\npartners = [\"norrdata\"]",
            "partner_removed = \"norrdata\"",
            "partner-history",
            "partners names 'norrdata', but history records that it was removed",
        ),
    ] {
        let text = good_case(id).replacen("coach = \"erik\"", fields, 1) + &entry(keys);
        sb.write_case(id, &text);
        assert_eq!(codes(&sb), vec![code.to_string()], "{keys}");
        let out = sb.run(&["check"]).failure(1);
        assert!(out.stdout.contains(message), "{keys}: {}", out.stdout);
        assert!(out.stdout.contains("  hint: "), "{}", out.stdout);
        assert!(out.stdout.contains(&format!(" {id}")), "{}", out.stdout);
    }
    // What the commands write agrees by construction.
    let made = sb.new_case("Ny", &["--coach", "erik", "--program", "ip2018"]);
    sb.run(&["assign", &made, "sara"]).success();
    sb.run(&["program", "leave", &made]).success();
    sb.run(&["partner", "add", &made, "norrdata"]).success();
    sb.run(&["close", &made, "--outcome", "stopped"]).success();
    std::fs::remove_file(sb.path(&Sandbox::case_rel(id))).unwrap();
    sb.run(&["check"]).success();
}

/// A status that `edit` cannot record as its command would (parking needs a note) is
/// refused, naming the command; one it can record (closing) is recorded, see
/// `audit::edit_records_closing_and_reassigning_as_close_and_assign_do`.
#[test]
fn edit_refuses_a_status_written_by_hand() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Idé", &["--coach", "erik"]);
    let rel = Sandbox::case_rel(&id);
    sb.assert_untouched(&rel, || {
        sb.cmd(&["edit", &id])
            .env(
                "EDITOR",
                "sed -i 's/^status = \"open\"/status = \"parked\"/'",
            )
            .run()
            .fails()
            .stderr_has("parking needs a note")
            .stderr_has(&format!("sluss park {id} --note TEXT"));
    });
}

// new and the first stage's gate

/// The team sandbox, its first stage gated on a coach and a need.
fn gated_first_stage() -> Sandbox {
    let sb = Sandbox::with_team();
    let settings = sb.read("sluss.toml").replacen(
        "name = \"Inkommen\"",
        "name = \"Inkommen\"\n[stages.gate]\ncoach = true\nneed = true",
        1,
    );
    sb.write("sluss.toml", &settings);
    sb
}

#[test]
fn new_applies_the_gate_of_the_first_stage() {
    let sb = gated_first_stage();
    let args = ["new", "Idé", "--submitter", "Anna", "--unit", "Skola"];
    sb.run(&args)
        .failure(1)
        .stderr_has("gate for entering Inkommen")
        .stderr_has("a coach must be assigned (--coach KEY)")
        .stderr_has("description.need must be filled in (--need TEXT)")
        .hint_has("--force together with --note");
    assert!(sb.case_ids().is_empty());
    let mut forced = args.to_vec();
    forced.push("--force");
    sb.run(&forced)
        .failure(1)
        .stderr_has("--force needs --note");
    assert!(sb.case_ids().is_empty());
    // Met, it passes; overridden with a reason, the reason is in the history.
    let met = sb.new_case("Idé", &["--coach", "erik", "--need", "Ett behov"]);
    assert!(sb.case(&met).get("history").is_none());
    forced.extend(["--note", "Akut, behovet tas fram i veckan"]);
    sb.run(&forced).success();
    let ids = sb.case_ids();
    let other = ids.iter().find(|i| **i != met).unwrap();
    let case = sb.case(other);
    let history = case["history"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        history[0]["note"].as_str(),
        Some("Akut, behovet tas fram i veckan")
    );
    assert_eq!(history[0]["by"].as_str(), Some("erik"));
    sb.run(&["check"]).success();
}

// Dates written as quoted strings

#[test]
fn a_quoted_date_is_read_as_the_date_it_spells() {
    let sb = Sandbox::with_team();
    let id = "quot00000001";
    let text = good_case(id)
        .replace(
            "created = 2020-01-10T10:00:00+01:00",
            "created = \"2020-01-10T10:00:00+01:00\"",
        )
        .replace("date = 2020-02-02", "date = \"2020-02-02\"")
        .replace(
            "at = 2020-02-01T10:00:00+01:00",
            "at = \"2020-02-01T10:00:00+01:00\"",
        );
    sb.write_case(id, &text);
    sb.run(&["check"]).success();
    let summary = sb.run(&["summary", "--format", "json"]).success().json();
    assert_eq!(summary["coaching"]["minutes"], 60);
    let before = sb
        .run(&["summary", "--as-of", "2020-01-31", "--format", "json"])
        .success()
        .json();
    assert_eq!(before["coaching"]["minutes"], 0);
    assert_eq!(before["stages"][0]["open"], 1);
    sb.run(&["session", id, "--minutes", "30"]).success();
    sb.run(&["check"]).success();
    // A quoted string that is no date of the right kind is still refused, at its place.
    let mut sb = sb;
    sb.allow_broken_cases();
    sb.write_case(
        id,
        &good_case(id).replace("date = 2020-02-02", "date = \"2020-02-02T10:00:00\""),
    );
    let out = sb.run(&["check"]).failure(1);
    assert!(
        out.stdout.contains("expected a date such as 2019-03-05"),
        "{}",
        out.stdout
    );
}

// The schemas and check agree

#[derive(Clone, Copy, Debug)]
enum Kind {
    Case,
    Config,
    Network,
    Program,
    Maturity,
}

impl Kind {
    fn schema(self) -> &'static str {
        match self {
            Kind::Case => "case.schema.json",
            Kind::Config => "sluss.schema.json",
            Kind::Network => "network.schema.json",
            Kind::Program => "program.schema.json",
            Kind::Maturity => "maturity.schema.json",
        }
    }
}

/// One file, where it goes, and whether both `check` and the schema should accept it.
struct Sample {
    what: String,
    kind: Kind,
    path: String,
    text: String,
    ok: bool,
}

fn samples(settings: &str) -> Vec<Sample> {
    let mut out = Vec::new();
    let id = "samp00000001";
    let case = |what: &str, text: String, ok: bool| Sample {
        what: format!("case: {what}"),
        kind: Kind::Case,
        path: Sandbox::case_rel(id),
        text,
        ok,
    };
    let good = good_case(id);
    let closing = "\n[[history]]\nat = 2020-03-01T10:00:00+01:00\nby = \"erik\"\nstatus = \"closed\"\noutcome = \"stopped\"\n";
    let closed = good.replace(
        "status = \"open\"",
        "status = \"closed\"\noutcome = \"stopped\"",
    ) + closing;
    out.extend([
        case("valid", good.clone(), true),
        case(
            "quoted dates",
            good.replace(
                "created = 2020-01-10T10:00:00+01:00",
                "created = \"2020-01-10T10:00:00+01:00\"",
            )
            .replace("date = 2020-02-02", "date = \"2020-02-02\""),
            true,
        ),
        case(
            "a day's minutes",
            good.replace("minutes = 60", "minutes = 1440"),
            true,
        ),
        case("closed, with its entry", closed.clone(), true),
        case(
            "minutes written as a whole float",
            good.replace("minutes = 60", "minutes = 60.0"),
            true,
        ),
        case(
            "half a minute",
            good.replace("minutes = 60", "minutes = 0.5"),
            false,
        ),
        case(
            "minutes a float over a day",
            good.replace("minutes = 60", "minutes = 1441.0"),
            false,
        ),
        case(
            "unknown keys",
            good.replace("tags = [\"skola\"]", "tags = [\"skola\"]\negen = 3"),
            true,
        ),
        case(
            "left its program",
            good.clone()
                + "\n[[history]]\nat = 2020-03-01T10:00:00+01:00\nby = \"erik\"\nprogram = \"\"\nprevious_program = \"ip2018\"\n",
            true,
        ),
        case(
            "a note alone, as new --force writes",
            good.clone() + "\n[[history]]\nat = 2020-03-01T10:00:00+01:00\nby = \"erik\"\nnote = \"Akut\"\n",
            true,
        ),
        case(
            "a previous coach that is no key",
            good.clone()
                + "\n[[history]]\nat = 2020-03-01T10:00:00+01:00\nby = \"erik\"\ncoach = \"erik\"\nprevious_coach = \"Sara B\"\n",
            false,
        ),
        case(
            "minutes over a day",
            good.replace("minutes = 60", "minutes = 1441"),
            false,
        ),
        case(
            "71 million hours",
            good.replace("minutes = 60", "minutes = 4294967295"),
            false,
        ),
        case(
            "no minutes",
            good.replace("minutes = 60", "minutes = 0"),
            false,
        ),
        case(
            "minutes as text",
            good.replace("minutes = 60", "minutes = \"60\""),
            false,
        ),
        case(
            "created without offset",
            good.replace(
                "created = 2020-01-10T10:00:00+01:00",
                "created = 2020-01-10T10:00:00",
            ),
            false,
        ),
        case(
            "created a quoted day",
            good.replace(
                "created = 2020-01-10T10:00:00+01:00",
                "created = \"2020-01-10\"",
            ),
            false,
        ),
        case(
            "created not a date",
            good.replace(
                "created = 2020-01-10T10:00:00+01:00",
                "created = \"i januari\"",
            ),
            false,
        ),
        case(
            "a session on 30 February",
            good.replace("date = 2020-02-02", "date = \"2020-02-30\""),
            false,
        ),
        case(
            "a blank title",
            good.replace("title = \"Bra idé\"", "title = \"  \""),
            false,
        ),
        case(
            "a status that is none",
            good.replace("status = \"open\"", "status = \"done\""),
            false,
        ),
        case(
            "closed without outcome",
            good.replace("status = \"open\"", "status = \"closed\"") + closing,
            false,
        ),
        case(
            "an outcome while open",
            good.replace("status = \"open\"", "status = \"open\"\noutcome = \"stopped\""),
            false,
        ),
        case(
            "a closing entry without outcome",
            good.replace(
                "status = \"open\"",
                "status = \"closed\"\noutcome = \"stopped\"",
            ) + "\n[[history]]\nat = 2020-03-01T10:00:00+01:00\nby = \"erik\"\nstatus = \"closed\"\n",
            false,
        ),
        case(
            "an outcome in an entry that does not close",
            good.clone() + "\n[[history]]\nat = 2020-03-01T10:00:00+01:00\nby = \"erik\"\noutcome = \"stopped\"\n",
            false,
        ),
        case(
            "a move with from and no to",
            good.clone() + "\n[[history]]\nat = 2020-03-01T10:00:00+01:00\nby = \"erik\"\nfrom = \"provning\"\n",
            false,
        ),
        case(
            "a stage key in capitals",
            good.replace("stage = \"provning\"", "stage = \"Provning\""),
            false,
        ),
        case(
            "a coach key Windows reserves",
            good.replace("coach = \"erik\"\nunit", "coach = \"con\"\nunit"),
            false,
        ),
        case(
            "a history entry with a blank by",
            good.replace("by = \"erik\"\nfrom", "by = \" \"\nfrom"),
            false,
        ),
        case(
            "a forgotten submitter",
            good.replace(
                "[description]",
                "[submitter]\nconsent = false\nforgotten = true\n\n[description]",
            ),
            true,
        ),
        case(
            "a submitter without a name",
            good.replace("[description]", "[submitter]\nconsent = false\n\n[description]"),
            false,
        ),
        case(
            "a submitter with a blank name",
            good.replace("[description]", "[submitter]\nname = \" \"\n\n[description]"),
            false,
        ),
        case(
            "created quoted with a space for the T",
            good.replace(
                "created = 2020-01-10T10:00:00+01:00",
                "created = \"2020-01-10 10:00:00+01:00\"",
            ),
            false,
        ),
        case(
            "created quoted without seconds",
            good.replace(
                "created = 2020-01-10T10:00:00+01:00",
                "created = \"2020-01-10T10:00+01:00\"",
            ),
            false,
        ),
        case(
            "a history entry without by",
            good.replace("by = \"erik\"\nfrom", "from"),
            false,
        ),
    ]);
    out.push(Sample {
        what: "case: an id Windows reserves".into(),
        kind: Kind::Case,
        path: "cases/Nul.toml".into(),
        text: good_case("Nul"),
        ok: false,
    });

    let config = |what: &str, text: String, ok: bool| Sample {
        what: format!("sluss.toml: {what}"),
        kind: Kind::Config,
        path: "sluss.toml".into(),
        text,
        ok,
    };
    out.extend([
        config(
            "a coach who consents",
            settings.replacen(
                "\nname = \"Erik Lind\"",
                "\nname = \"Erik Lind\"\nconsent = true",
                1,
            ),
            true,
        ),
        config(
            "a quoted program start",
            settings.replacen("\nstart = 2018-02-01", "\nstart = \"2018-02-01\"", 1),
            true,
        ),
        config(
            "an empty stage key",
            settings.replacen("\nkey = \"utforska\"", "\nkey = \"\"", 1),
            false,
        ),
        config(
            "a stage key that is a path",
            settings.replacen("\nkey = \"utforska\"", "\nkey = \"../../etc\"", 1),
            false,
        ),
        config(
            "a coach key Windows reserves",
            settings.replacen("\nkey = \"sara\"", "\nkey = \"aux\"", 1),
            false,
        ),
        config(
            "a program key Windows reserves",
            settings.replacen("\nkey = \"ip2018\"", "\nkey = \"com1\"", 1),
            false,
        ),
        config(
            "a question key in capitals",
            settings.replacen("\nkey = \"ledning\"", "\nkey = \"Ledning\"", 1),
            false,
        ),
        config(
            "an unknown gate",
            settings.replacen(
                "[stages.gate]\ncoach = true",
                "[stages.gate]\ncoach = true\nbudget = true",
                1,
            ),
            false,
        ),
    ]);

    let member = |what: &str, key: &str, text: String, ok: bool| Sample {
        what: format!("member: {what}"),
        kind: Kind::Network,
        path: format!("network/{key}.toml"),
        text,
        ok,
    };
    let norrdata = "key = \"norrdata\"\norganisation = \"Norrdata AB\"\nkind = \"company\"\njoined = 2019-01-01\n";
    out.extend([
        member("valid", "norrdata", norrdata.into(), true),
        member(
            "a quoted joined",
            "norrdata",
            norrdata.replace("joined = 2019-01-01", "joined = \"2019-01-01\""),
            true,
        ),
        member(
            "a forgotten contact",
            "norrdata",
            format!("{norrdata}\n[contact]\nforgotten = true\n"),
            true,
        ),
        member(
            "a contact without a name",
            "norrdata",
            format!("{norrdata}\n[contact]\nemail = \"a@b.se\"\n"),
            false,
        ),
        member(
            "a contact with a blank name",
            "norrdata",
            format!("{norrdata}\n[contact]\nname = \" \"\n"),
            false,
        ),
        member(
            "a key Windows reserves",
            "prn",
            norrdata.replace("key = \"norrdata\"", "key = \"prn\""),
            false,
        ),
        member(
            "a blank organisation",
            "norrdata",
            norrdata.replace("\"Norrdata AB\"", "\"\""),
            false,
        ),
        member(
            "joined not a day",
            "norrdata",
            norrdata.replace("joined = 2019-01-01", "joined = \"förra året\""),
            false,
        ),
    ]);

    let program = |what: &str, participants: &str, ok: bool| Sample {
        what: format!("program: {what}"),
        kind: Kind::Program,
        path: "programs/ip2018.toml".into(),
        text: format!("program = \"ip2018\"\n\n[[participants]]\n{participants}\n"),
        ok,
    };
    out.extend([
        program(
            "valid",
            "name = \"Anna Berg\"\nunit = \"Skola\"\nkind = \"person\"",
            true,
        ),
        program(
            "a forgotten participant",
            "forgotten = true\nunit = \"Skola\"\nkind = \"person\"",
            true,
        ),
        program(
            "a participant without a name",
            "unit = \"Skola\"\nkind = \"person\"",
            false,
        ),
        program(
            "a participant with a blank name",
            "name = \"\"\nunit = \"Skola\"\nkind = \"team\"",
            false,
        ),
        program(
            "a kind that is none",
            "name = \"Anna\"\nunit = \"Skola\"\nkind = \"group\"",
            false,
        ),
    ]);

    let assessment = |what: &str, text: String, ok: bool| Sample {
        what: format!("assessment: {what}"),
        kind: Kind::Maturity,
        path: "maturity/2020-03-14-skola.toml".into(),
        text,
        ok,
    };
    let scores = "date = 2020-03-14\nunit = \"Skola\"\nrespondents = 4\n\n[scores]\nledning = 4\n";
    out.extend([
        assessment("valid", scores.into(), true),
        assessment(
            "a quoted date",
            scores.replace("date = 2020-03-14", "date = \"2020-03-14\""),
            true,
        ),
        assessment(
            "no respondents",
            scores.replace("respondents = 4", "respondents = 0"),
            false,
        ),
        assessment("no scores", scores.replace("ledning = 4\n", ""), false),
        assessment(
            "a blank unit",
            scores.replace("unit = \"Skola\"", "unit = \" \""),
            false,
        ),
    ]);
    out
}

/// A TOML document as Taplo hands it to a JSON Schema validator: every date a string.
fn toml_to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => json!(s),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => json!(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

/// Validates each (schema, instance) with Python's `jsonschema` (draft-07, formats
/// checked); `None` when Python or the package is not at hand.
fn python_verdicts(schemas: &Path, instances: &[(&str, Value)]) -> Option<Vec<(bool, String)>> {
    const SCRIPT: &str = r#"
import json, sys
import jsonschema
folder, items = json.load(sys.stdin)
out = []
for schema_file, instance in items:
    with open(folder + "/" + schema_file) as f:
        schema = json.load(f)
    v = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = [e.message for e in v.iter_errors(instance)]
    out.append([not errors, "; ".join(errors)])
print(json.dumps(out))
"#;
    let probe = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output()
        .ok()?;
    if !probe.status.success() {
        return None;
    }
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let input = json!([schemas.to_string_lossy(), instances]);
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.to_string().as_bytes())
            .unwrap();
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "the validator failed");
    let verdicts: Vec<(bool, String)> = serde_json::from_slice(&output.stdout).unwrap();
    Some(verdicts)
}

#[test]
fn the_schemas_and_check_accept_and_refuse_the_same_files() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    let settings = sb.read("sluss.toml");
    let samples = samples(&settings);

    // check's verdicts, one file at a time beside the valid rest.
    for s in &samples {
        sb.write(&s.path, &s.text);
        let json = sb.run(&["check", "--format", "json"]).json();
        assert_eq!(
            json["ok"] == true,
            s.ok,
            "check on {}: {}",
            s.what,
            json["problems"]
        );
        if matches!(s.kind, Kind::Config) {
            sb.write("sluss.toml", &settings);
        } else {
            std::fs::remove_file(sb.path(&s.path)).unwrap();
        }
    }

    // The schemas' verdicts on the same files, as Taplo would see them.
    let instances: Vec<(&str, Value)> = samples
        .iter()
        .map(|s| {
            let value: toml::Value = toml::from_str(&s.text).unwrap();
            (s.kind.schema(), toml_to_json(&value))
        })
        .collect();
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let Some(verdicts) = python_verdicts(&schemas, &instances) else {
        eprintln!(
            "SKIPPED the schema half of the_schemas_and_check_accept_and_refuse_the_same_files: python3 with the jsonschema package is not at hand (pip install jsonschema)"
        );
        return;
    };
    for (s, (ok, errors)) in samples.iter().zip(verdicts) {
        assert_eq!(ok, s.ok, "the schema on {}: {errors}", s.what);
    }
}

#[test]
fn the_committed_schemas_are_the_generated_ones() {
    let sb = Sandbox::new();
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    for (which, file) in [
        ("case", "case.schema.json"),
        ("config", "sluss.schema.json"),
        ("network", "network.schema.json"),
        ("program", "program.schema.json"),
        ("maturity", "maturity.schema.json"),
    ] {
        let committed: Value =
            serde_json::from_str(&std::fs::read_to_string(folder.join(file)).unwrap()).unwrap();
        assert_eq!(
            committed,
            sb.run(&["schema", which]).json(),
            "schemas/{file} is out of date: run `cargo run -- schema --write`"
        );
    }
}
