//! Innovation programs: cases joining and leaving them (each move in history),
//! participants kept in `programs/<key>.toml`, `program show` with every figure worked
//! out by hand, and `check` on program files and program keys in history.

use serde_json::{Value, json};

use crate::common::{NOW, Sandbox, trim_lines};

/// The last history entry of a case file.
fn last_entry(sb: &Sandbox, id: &str) -> toml::Table {
    sb.case(id)["history"]
        .as_array()
        .and_then(|h| h.last())
        .and_then(|e| e.as_table())
        .cloned()
        .expect("the case has history")
}

fn at(entry: &toml::Table) -> String {
    entry["at"].as_datetime().unwrap().to_string()
}

#[test]
fn join_and_leave_set_the_program_and_are_recorded_in_history() {
    let sb = Sandbox::with_team();
    sb.run(&[
        "program",
        "add",
        "ip2019",
        "--name",
        "Innovationsprogram 2019",
    ])
    .success();
    let id = sb.new_case("Digital matsedel", &[]);
    let short = &id[..4];

    sb.run(&[
        "program",
        "join",
        short,
        "ip2018",
        "--note",
        "Antagen till kohorten",
    ])
    .success()
    .stdout_has(&format!("{short}: joined program ip2018"));
    let case = sb.case(&id);
    assert_eq!(case["program"].as_str(), Some("ip2018"));
    let e = last_entry(&sb, &id);
    assert_eq!(at(&e), NOW);
    assert_eq!(e["by"].as_str(), Some("erik"));
    assert_eq!(e["program"].as_str(), Some("ip2018"));
    assert_eq!(e["note"].as_str(), Some("Antagen till kohorten"));
    assert!(e.get("from").is_none() && e.get("to").is_none());

    // Joining it again is refused and changes nothing; an unknown program is a usage
    // error that names the known ones.
    let rel = Sandbox::case_rel(&id);
    sb.assert_untouched(&rel, || {
        sb.run(&["program", "join", &id, "ip2018"])
            .failure(1)
            .stderr_has("already in program 'ip2018'");
        sb.run(&["program", "join", &id, "ip2099"])
            .failure(2)
            .stderr_has("unknown program 'ip2099'")
            .hint_has("known: ip2018, ip2019");
    });

    // Moving to another program.
    sb.run(&["program", "join", &id, "ip2019"])
        .success()
        .stdout_has(&format!("{short}: program ip2018 → ip2019"));
    assert_eq!(sb.case(&id)["program"].as_str(), Some("ip2019"));

    // Leaving removes the key and records program = "".
    sb.run(&["program", "leave", &id, "--by", "sara"])
        .success()
        .stdout_has(&format!("{short}: left program ip2019"));
    let case = sb.case(&id);
    assert!(case.get("program").is_none(), "{case:?}");
    let e = last_entry(&sb, &id);
    assert_eq!(e["program"].as_str(), Some(""));
    assert_eq!(e["by"].as_str(), Some("sara"));
    sb.assert_untouched(&rel, || {
        sb.run(&["program", "leave", &id])
            .failure(1)
            .stderr_has("is in no program");
    });
    assert_eq!(sb.case(&id)["history"].as_array().unwrap().len(), 3);

    // show and log tell the story; log's JSON names the kind and the program.
    let show = sb.run(&["show", &id]).success();
    let row = |who: &str, what: &str, note: &str| {
        show.stdout.lines().any(|l| {
            l.contains(&format!(" {who} ")) && l.contains(what) && l.trim_end().ends_with(note)
        })
    };
    assert!(
        row("erik", "program → ip2018", "Antagen till kohorten"),
        "{}",
        show.stdout
    );
    assert!(
        row("erik", "program ip2018 → ip2019", "ip2019"),
        "{}",
        show.stdout
    );
    assert!(
        row("sara", "left program ip2019", "ip2019"),
        "{}",
        show.stdout
    );
    let log = sb.run(&["log", &id, "--format", "json"]).success().json();
    let programs: Vec<(&str, &str, &str)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap(),
                e["previous_program"].as_str().unwrap(),
                e["program"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        programs,
        [
            ("program", "", "ip2018"),
            ("program", "ip2018", "ip2019"),
            ("program", "ip2019", "")
        ]
    );
    let log = sb.run(&["log", &id]).success();
    assert!(log.stdout.contains("left program ip2019"), "{}", log.stdout);

    // The result is a valid case: check is silent.
    let check = sb.run(&["check"]).success();
    assert_eq!(check.stdout, "");
}

#[test]
fn a_closed_case_may_still_join_a_program() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Läxhjälp", &[]);
    sb.run(&["close", &id, "--outcome", "stopped"]).success();
    sb.run(&["program", "join", &id, "ip2018"]).success();
    assert_eq!(sb.case(&id)["program"].as_str(), Some("ip2018"));
}

#[test]
fn check_finds_an_unknown_program_in_history() {
    let sb = Sandbox::with_team();
    sb.write_case(
        "h1",
        r#"id = "h1"
title = "Bytte program"
created = 2020-01-10T10:00:00+01:00
stage = "inkommen"
status = "open"
unit = "Skola"

[[history]]
at = 2020-02-01T10:00:00+01:00
by = "erik"
program = "ip2099"

[[history]]
at = 2020-03-01T10:00:00+01:00
by = "erik"
program = ""
"#,
    );
    let out = sb.run(&["check"]).failure(1);
    assert_eq!(
        trim_lines(&out.stdout),
        "cases/h1.toml:11:11: error: program 'ip2099' is not defined in sluss.toml\n  \
         hint: add it with `sluss program add KEY --name NAME`, or fix the key\n\
         1 error(s), 0 warning(s), 0 failed gate(s) in 2 file(s)"
    );
}

#[test]
fn participant_add_creates_the_file_and_appends_to_it_in_place() {
    let sb = Sandbox::with_team();
    assert!(!sb.path("programs").exists());
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2018",
        "Anna Berg",
        "--unit",
        "Vård och omsorg",
        "--consent",
        "--contact",
        "anna.berg@example.org",
    ])
    .success()
    .stdout_has(
        "Added person Anna Berg (Vård och omsorg) to program ip2018 (programs/ip2018.toml)",
    );
    assert_eq!(
        sb.read("programs/ip2018.toml"),
        r#"#:schema ../schemas/program.schema.json
program = "ip2018"

[[participants]]
name = "Anna Berg"
unit = "Vård och omsorg"
kind = "person"
consent = true
contact = "anna.berg@example.org"
"#
    );

    // A person's comment survives the next addition.
    let text = sb.read("programs/ip2018.toml").replace(
        "[[participants]]\n",
        "# Anmälda vid kickoff\n[[participants]]\n",
    );
    sb.write("programs/ip2018.toml", &text);
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2018",
        "Team Alnö",
        "--unit",
        "Hemtjänsten",
        "--team",
    ])
    .success()
    .stdout_has("Added team Team Alnö (Hemtjänsten) to program ip2018");
    assert_eq!(
        sb.read("programs/ip2018.toml"),
        r#"#:schema ../schemas/program.schema.json
program = "ip2018"

# Anmälda vid kickoff
[[participants]]
name = "Anna Berg"
unit = "Vård och omsorg"
kind = "person"
consent = true
contact = "anna.berg@example.org"

[[participants]]
name = "Team Alnö"
unit = "Hemtjänsten"
kind = "team"
consent = false
"#
    );

    // The same person twice, an unknown program, an empty unit: refused, nothing changes.
    sb.assert_untouched("programs/ip2018.toml", || {
        sb.run(&[
            "program",
            "participant",
            "add",
            "ip2018",
            "anna berg",
            "--unit",
            "Vård och omsorg",
        ])
        .failure(1)
        .stderr_has("already takes part in program ip2018");
        sb.run(&[
            "program",
            "participant",
            "add",
            "ip2018",
            "Bo Ek",
            "--unit",
            " ",
        ])
        .failure(1);
    });
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2099",
        "Bo Ek",
        "--unit",
        "Skola",
    ])
    .failure(2)
    .stderr_has("unknown program 'ip2099'");
    assert!(!sb.path("programs/ip2099.toml").exists());
    assert_eq!(sb.run(&["check"]).success().stdout, "");
}

/// Five cases by hand for program ip2018 (2018-02-01 – 2018-06-30):
///
/// | id | program now | stage     | status             | coach | sessions (min) |
/// |----|-------------|-----------|--------------------|-------|----------------|
/// | p1 | ip2018      | testa     | open               | erik  | 60, 30         |
/// | p2 | ip2018      | infora    | closed implemented | sara  | 45             |
/// | p3 | ip2018      | provning  | parked             |       |                |
/// | p4 | none (left) | utforska  | open               | erik  | 20             |
/// | p5 | none        | utveckla  | open               | sara  | 90             |
///
/// So: 3 cases; open 1, parked 1, closed 1; implemented 1. Reached (the furthest stage
/// is the current one here): inkommen 3, provning 3, utforska 2, utveckla 2, testa 2,
/// verifiera 1, infora 1; open now: testa 1. Sessions 3, minutes 135 (2.3 hours).
/// p4 left the program: its history says it joined ip2018 and then left.
/// Participants: Anna Berg (person, consent, contact), Bo Ek (person, no consent,
/// contact), Team Alnö (team, no consent): 3, 2 people, 1 team, 1 consenting.
fn program_portfolio() -> Sandbox {
    let sb = Sandbox::with_team();
    let case = |id: &str, program: &str, stage: &str, status: &str, extra: &str| {
        let program = if program.is_empty() {
            String::new()
        } else {
            format!("program = \"{program}\"\n")
        };
        sb.write_case(
            id,
            &format!(
                "id = \"{id}\"\ntitle = \"Fall {id}\"\ncreated = 2018-02-05T10:00:00+01:00\nstage = \"{stage}\"\nstatus = \"{status}\"\nunit = \"Skola\"\n{program}{extra}"
            ),
        );
    };
    case(
        "p1",
        "ip2018",
        "testa",
        "open",
        "coach = \"erik\"\n\n[[sessions]]\ndate = 2018-03-01\ncoach = \"erik\"\nminutes = 60\n\n[[sessions]]\ndate = 2018-04-01\ncoach = \"erik\"\nminutes = 30\n",
    );
    case(
        "p2",
        "ip2018",
        "infora",
        "closed",
        "outcome = \"implemented\"\ncoach = \"sara\"\n\n[[history]]\nat = 2018-02-05T10:00:00+01:00\nby = \"sara\"\nstatus = \"closed\"\noutcome = \"implemented\"\n\n[[sessions]]\ndate = 2018-03-02\ncoach = \"sara\"\nminutes = 45\n",
    );
    case(
        "p3",
        "ip2018",
        "provning",
        "parked",
        "\n[[history]]\nat = 2018-02-05T10:00:00+01:00\nby = \"erik\"\nstatus = \"parked\"\n",
    );
    case(
        "p4",
        "",
        "utforska",
        "open",
        "coach = \"erik\"\n\n[[history]]\nat = 2018-02-06T10:00:00+01:00\nby = \"erik\"\nprogram = \"ip2018\"\n\n[[history]]\nat = 2018-03-06T10:00:00+01:00\nby = \"erik\"\nprogram = \"\"\n\n[[sessions]]\ndate = 2018-02-10\ncoach = \"erik\"\nminutes = 20\n",
    );
    case(
        "p5",
        "",
        "utveckla",
        "open",
        "coach = \"sara\"\n\n[[sessions]]\ndate = 2018-02-10\ncoach = \"sara\"\nminutes = 90\n",
    );
    sb.write(
        "programs/ip2018.toml",
        r#"program = "ip2018"

[[participants]]
name = "Team Alnö"
unit = "Hemtjänsten"
kind = "team"
consent = false

[[participants]]
name = "Bo Ek"
unit = "Skola"
kind = "person"
consent = false
contact = "bo.ek@example.org"

[[participants]]
name = "Anna Berg"
unit = "Vård och omsorg"
kind = "person"
consent = true
contact = "anna.berg@example.org"
"#,
    );
    sb
}

#[test]
fn program_show_has_every_figure_worked_out_by_hand() {
    let sb = program_portfolio();
    assert_eq!(sb.run(&["check"]).success().stdout, "");
    let r = sb
        .run(&["program", "show", "ip2018", "--format", "json"])
        .success()
        .json();
    assert_eq!(r["key"], "ip2018");
    assert_eq!(r["start"], "2018-02-01");
    assert_eq!(r["end"], "2018-06-30");
    assert_eq!(r["public"], false);
    assert_eq!(r["total"], 3);
    assert_eq!(r["by_status"], json!({"closed": 1, "open": 1, "parked": 1}));
    assert_eq!(r["by_outcome"]["implemented"], 1);
    let reached: Vec<(&str, u64, u64)> = r["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["key"].as_str().unwrap(),
                s["reached"].as_u64().unwrap(),
                s["open"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        reached,
        [
            ("inkommen", 3, 0),
            ("provning", 3, 0),
            ("utforska", 2, 0),
            ("utveckla", 2, 0),
            ("testa", 2, 1),
            ("verifiera", 1, 0),
            ("infora", 1, 0),
        ]
    );
    assert_eq!(
        (r["sessions"].clone(), r["minutes"].clone()),
        (json!(3), json!(135))
    );
    let cases: Vec<(&str, &str, &str, u64)> = r["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap(),
                c["stage"].as_str().unwrap(),
                c["status"].as_str().unwrap(),
                c["minutes"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        cases,
        [
            ("p2", "infora", "closed", 45),
            ("p1", "testa", "open", 90),
            ("p3", "provning", "parked", 0),
        ]
    );
    assert_eq!(r["cases"][0]["outcome"], "implemented");
    assert_eq!(r["cases"][1]["coach"], "erik");
    assert_eq!(r["cases"][2]["coach"], Value::Null);
    let left: Vec<&str> = r["left"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(left, ["p4"]);
    let p = &r["participants"];
    assert_eq!(
        (&p["total"], &p["people"], &p["teams"], &p["consenting"]),
        (&json!(3), &json!(2), &json!(1), &json!(1))
    );
    assert_eq!(
        p["list"],
        json!([
            {"name": "Anna Berg", "unit": "Vård och omsorg", "kind": "person", "consent": true, "contact": "anna.berg@example.org"},
            {"name": "Bo Ek", "unit": "Skola", "kind": "person", "consent": false, "contact": "bo.ek@example.org"},
            {"name": "Team Alnö", "unit": "Hemtjänsten", "kind": "team", "consent": false},
        ])
    );

    let text = sb.run(&["program", "show", "ip2018"]).success().stdout;
    assert_eq!(
        trim_lines(&text),
        format!(
            "Innovationsprogram 2018 (ip2018)
Program period: February–June 2018

Cases                3
Open                 1
Parked               1
Closed               1
Implemented          1
Participants         3
Coaching hours     2.3  all time
Coaching sessions    3  all time

How far the cases got
─────────────────────

Cases that reached each stage, and the open cases in it now
 Stage      Reached  Open now
─────────────────────────────
 Inkommen         3         0
 Prövning         3         0
 Utforska         2         0
 Utveckla         2         0
 Testa            2         1
 Verifiera        1         0
 Införa           1         0

Cases (3)
─────────

The program's cases, furthest stage first; hours: all time
 Id     Title    Stage     Status                Coach      Hours
─────────────────────────────────────────────────────────────────
 p2     Fall p2  Införa    closed (implemented)  Sara Berg    0.8
 p1     Fall p1  Testa     open                  Erik Lind    1.5
 p3     Fall p3  Prövning  parked                –            0.0
─────────────────────────────────────────────────────────────────
 Total                                                        2.3

Left the program (1)
────────────────────

Cases that were in the program and are no longer; hours: all time
 Id  Title    Stage     Status  Coach      Hours
────────────────────────────────────────────────
 p4  Fall p4  Utforska  open    Erik Lind    0.3

Participants
────────────

Participants: 3 (people: 2, teams: 1); may be named in published output: 1.

The people and teams taking part
 Name       Unit             Kind    Consent  Contact
───────────────────────────────────────────────────────────────────
 Anna Berg  Vård och omsorg  person  yes      anna.berg@example.org
 Bo Ek      Skola            person  no       bo.ek@example.org
 Team Alnö  Hemtjänsten      team    no       –

Definitions
───────────
Reached: A case has reached a stage when it is in it or has passed it.
Open now: The open cases in the stage on the report's day.
Coaching hours: Hours of the coaching sessions recorded in the program's cases (all time), those before and after the program included.
Left the program: Cases whose history says they were in the program, but that were no longer in it on the report's day.

Period: February–June 2018
Made 30 June 2020 by sluss {}",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn public_program_show_names_only_those_who_consented_and_no_contacts() {
    let sb = program_portfolio();
    let r = sb
        .run(&["program", "show", "ip2018", "--public", "--format", "json"])
        .success()
        .json();
    assert_eq!(r["public"], true);
    assert_eq!(
        r["participants"]["list"],
        json!([
            {"name": "Anna Berg", "unit": "Vård och omsorg", "kind": "person", "consent": true},
            {"name": null, "unit": "Hemtjänsten", "kind": "team", "consent": false},
            {"name": null, "unit": "Skola", "kind": "person", "consent": false},
        ])
    );
    let text = sb
        .run(&["program", "show", "ip2018", "--public"])
        .success()
        .stdout;
    assert!(
        text.contains(" Anna Berg    Vård och omsorg  person\n"),
        "{text}"
    );
    assert!(
        text.contains(" (not named)  Hemtjänsten      team\n"),
        "{text}"
    );
    assert!(text.contains("only the participants who agreed to be named are named"));
    for secret in ["Bo Ek", "Team Alnö", "@example.org", "consent"] {
        assert!(!text.contains(secret), "{secret} leaked:\n{text}");
    }
    // Coaches who have not consented are pseudonyms, as in `summary --public`.
    let coaches: Vec<&Value> = r["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["coach"])
        .collect();
    assert_eq!(
        coaches,
        [&json!("coach-2"), &json!("coach-1"), &Value::Null]
    );
    for coach in ["erik", "sara", "Erik", "Sara"] {
        assert!(!text.contains(coach), "{coach} named:\n{text}");
    }
    assert!(
        text.contains("coach-1") && text.contains("coach-2"),
        "{text}"
    );
    let internal = sb.run(&["program", "show", "ip2018"]).success().stdout;
    assert!(internal.contains("Erik Lind") && internal.contains("Sara Berg"));
}

#[test]
fn program_show_of_a_program_without_cases_or_participants() {
    let sb = Sandbox::with_team();
    let text = sb.run(&["program", "show", "ip2018"]).success().stdout;
    assert!(
        text.contains("Cases                0\nOpen                 0\nParked               0\nClosed               0\nImplemented          0\nParticipants         0\nCoaching hours     0.0  all time\nCoaching sessions    0  all time\n"),
        "{text}"
    );
    assert!(
        text.contains("Cases (0)\n─────────\n\nNo cases are in the program.\n"),
        "{text}"
    );
    assert!(text.contains("No participants yet (add them with `sluss program participant add ip2018 NAME --unit UNIT`)."), "{text}");
    sb.run(&["program", "show", "ip2099"])
        .failure(2)
        .stderr_has("unknown program 'ip2099'");
    // CSV has a row per case: here none, only the header.
    assert_eq!(
        sb.run(&["program", "show", "ip2018", "--format", "csv"])
            .success()
            .stdout,
        "program,id,title,in_program,stage,status,outcome,coach,sessions,minutes\n"
    );
}

#[test]
fn check_validates_program_participant_files() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    sb.write(
        "programs/ip2018.toml",
        r#"program = "ip2019"

[[participants]]
name = "Anna Berg"
kind = "robot"
consent = "ja"

[[participants]]
unit = "Skola"
kind = "person"
"#,
    );
    sb.write(
        "programs/ip2020.toml",
        "program = \"ip2020\"\n[[participants]\n",
    );
    sb.write("programs/notes.txt", "anteckningar\n");
    let out = sb.run(&["check"]).failure(1);
    assert_eq!(
        trim_lines(&out.stdout),
        "programs/ip2018.toml:1:11: error: program 'ip2019' does not match the file name ip2018.toml
  hint: a program's participants live in programs/<key>.toml; rename the file or fix the key
programs/ip2018.toml:1:11: error: program 'ip2019' is not defined in sluss.toml
  hint: add it with `sluss program add KEY --name NAME`, or fix the key
programs/ip2018.toml:4:8: warning: no unit is given
  hint: say which organisational unit they come from: unit = \"…\"
programs/ip2018.toml:5:8: error: kind \"robot\" is not a kind of participant
  hint: use person or team
programs/ip2018.toml:6:11: error: `consent` must be true or false
programs/ip2018.toml:8:1: error: the required key `name` is missing
  hint: every participant has a name = \"…\"
programs/ip2020.toml:2:16: error: unclosed array table, expected `]`
  hint: fix the TOML syntax at this place
programs/notes.txt:1:1: warning: not a participants file: programs/ holds only <key>.toml files
  hint: move it out of programs/
6 error(s), 2 warning(s), 0 failed gate(s) in 3 file(s)"
    );
}

#[test]
fn a_case_registered_in_a_program_that_left_it_is_listed_as_left() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Läxhjälp", &["--program", "ip2018"]);
    sb.run(&["program", "leave", &id]).success();
    let r = sb
        .run(&["program", "show", "ip2018", "--format", "json"])
        .success()
        .json();
    assert_eq!(r["cases"], json!([]));
    let left: Vec<&str> = r["left"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(left, [id.as_str()]);
}

#[test]
fn program_show_as_of_a_day_shows_the_cases_in_it_then() {
    let sb = Sandbox::with_team();
    sb.run(&[
        "program",
        "add",
        "ip2019",
        "--name",
        "Innovationsprogram 2019",
    ])
    .success();
    let id = sb.new_case_on("2020-01-10", "Läxhjälp", &["--coach", "erik"]);
    for (day, args) in [
        ("2020-04-01", vec!["program", "join", &id, "ip2018"]),
        ("2020-04-15", vec!["session", &id, "--minutes", "30"]),
        ("2020-05-01", vec!["program", "join", &id, "ip2019"]),
        ("2020-05-10", vec!["session", &id, "--minutes", "45"]),
    ] {
        sb.run_on(day, &args).success();
    }
    let show = |key: &str, day: Option<&str>| {
        let mut args = vec!["program", "show", key, "--format", "json"];
        if let Some(day) = day {
            args.extend(["--as-of", day]);
        }
        sb.run(&args).success().json()
    };
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    let before = show("ip2018", Some("2020-03-15"));
    assert_eq!(
        (ids(&before["cases"]), ids(&before["left"])),
        (vec![], vec![])
    );
    assert_eq!(before["replayed"], true);
    let during = show("ip2018", Some("2020-04-20"));
    assert_eq!(ids(&during["cases"]), [id.as_str()]);
    assert_eq!(
        (
            &during["cases"][0]["sessions"],
            &during["cases"][0]["minutes"]
        ),
        (&json!(1), &json!(30))
    );
    assert_eq!(during["total"], 1);
    let after = show("ip2018", Some("2020-05-15"));
    assert_eq!(
        (ids(&after["cases"]), ids(&after["left"])),
        (vec![], vec![id.clone()])
    );
    assert_eq!(after["total"], 0);
    let next = show("ip2019", Some("2020-05-15"));
    assert_eq!(ids(&next["cases"]), [id.as_str()]);
    assert_eq!(next["minutes"], 75);
    let now = show("ip2019", None);
    assert_eq!(now["replayed"], false);
    assert_eq!(ids(&now["cases"]), [id.as_str()]);
    sb.run(&["program", "show", "ip2018", "--as-of", "2020-04-20"])
        .success()
        .stdout_has("Program period: February–June 2018 · as it stood on 20 April 2020\n")
        .stdout_has("Coaching hours     0.5  up to 20 April 2020\n");
}
