//! The tools around the files: a case's timeline (`log`), the JSON Schemas that editors
//! and CI validate case files with (`schema`, the `#:schema` line), shell completions
//! and the manual page.

use crate::common::{Sandbox, trim_lines};
use serde_json::Value;

const CASE_DIRECTIVE: &str = "#:schema ../schemas/case.schema.json";

/// A case whose file order differs from its time order: sessions logged late for an
/// earlier day, and a same-day change logged after that day's session.
fn case_with_a_story(sb: &Sandbox) -> String {
    let at = |now: &str, args: &[&str]| {
        sb.cmd(args).env("SLUSS_NOW", now).run().success();
    };
    let id = sb.new_case_at(
        "2020-06-01T09:00:00+02:00",
        "Digital matsedel",
        &["--coach", "erik", "--need", "Boende vill se menyn"],
    );
    at("2020-06-02T10:00:00+02:00", &["advance", &id]);
    at(
        "2020-06-03T08:00:00+02:00",
        &[
            "session",
            &id,
            "--minutes",
            "60",
            "--kind",
            "workshop",
            "--notes",
            "Behovet bekräftat",
            "--next-step",
            "Ta fram en testplan",
        ],
    );
    at("2020-06-03T15:30:00+02:00", &["assign", &id, "sara"]);
    // Logged last, for the day the case came in.
    at(
        "2020-06-04T09:00:00+02:00",
        &["session", &id, "--minutes", "30", "--date", "2020-06-01"],
    );
    at(
        "2020-06-10T11:00:00+02:00",
        &["park", &id, "--note", "Väntar på budget"],
    );
    id
}

#[test]
fn log_interleaves_history_and_sessions_by_day_history_first() {
    let sb = Sandbox::with_team();
    let id = case_with_a_story(&sb);
    let out = sb.run(&["log", &id[..6]]).success();
    let text = trim_lines(&out.stdout).replace(&id, "ID");
    insta::assert_snapshot!(text, @"
    ID  Digital matsedel

     when              who   what                     note
    ───────────────────────────────────────────────────────────────────────────────────────────────
     2020-06-01        erik  session 30 min
     2020-06-02 10:00  erik  Inkommen → Prövning
     2020-06-03 15:30  erik  coach erik → sara
     2020-06-03        erik  session 60 min workshop  Behovet bekräftat · next: Ta fram en testplan
     2020-06-10 11:00  erik  parked                   Väntar på budget

    5 event(s)
    ");
}

#[test]
fn log_json_is_an_array_of_events_with_kind_by_and_their_own_keys() {
    let sb = Sandbox::with_team();
    let id = case_with_a_story(&sb);
    let events = sb.run(&["log", &id, "--format", "json"]).success().json();
    let events = events.as_array().expect("an array");
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["session", "move", "coach", "session", "status"]);
    let dates: Vec<&str> = events.iter().map(|e| e["date"].as_str().unwrap()).collect();
    assert_eq!(
        dates,
        [
            "2020-06-01",
            "2020-06-02",
            "2020-06-03",
            "2020-06-03",
            "2020-06-10"
        ]
    );

    // A session has a day, not an instant; its coach is the one who acted.
    let first = &events[0];
    assert!(first.get("at").is_none(), "{first}");
    assert_eq!(first["by"], "erik");
    assert_eq!(first["minutes"], 30);

    let moved = &events[1];
    assert_eq!(moved["at"], "2020-06-02T10:00:00+02:00");
    assert_eq!(moved["by"], "erik");
    assert_eq!(
        (&moved["from"], &moved["to"]),
        (&"inkommen".into(), &"provning".into())
    );

    assert_eq!(events[2]["coach"], "sara");

    let session = &events[3];
    assert_eq!(session["session_kind"], "workshop");
    assert_eq!(session["notes"], "Behovet bekräftat");
    assert_eq!(
        session["next_steps"],
        serde_json::json!(["Ta fram en testplan"])
    );

    let parked = &events[4];
    assert_eq!(parked["status"], "parked");
    assert_eq!(parked["note"], "Väntar på budget");
    assert!(parked.get("outcome").is_none());
}

#[test]
fn log_of_a_new_case_is_empty_and_of_an_unknown_case_an_error() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Ny idé", &[]);
    sb.run(&["log", &id]).success().stdout_has("0 event(s)");
    assert_eq!(
        sb.run(&["log", &id, "--format", "json"]).json(),
        Value::Array(vec![])
    );
    sb.run(&["log", "zzzz9999"]).failure(2);
    sb.run(&["log", &id, "--format", "csv"]).failure(2);
}

#[test]
fn schema_prints_a_json_schema_of_case_files_without_a_repository() {
    let sb = Sandbox::empty();
    let case = sb.run(&["schema"]).success().json();
    assert_eq!(case, sb.run(&["schema", "case"]).success().json());
    assert_eq!(case["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(case["type"], "object");
    assert_eq!(
        case["required"],
        serde_json::json!(["id", "title", "created", "stage", "status"])
    );
    let props = &case["properties"];
    assert_eq!(
        props["status"]["enum"],
        serde_json::json!(["open", "parked", "closed"])
    );
    assert_eq!(
        props["outcome"]["enum"],
        serde_json::json!([
            "implemented",
            "handed_over",
            "stopped",
            "duplicate",
            "referred"
        ])
    );
    // TOML dates reach a validator as RFC 3339 text.
    assert_eq!(props["created"]["type"], "string");
    assert_eq!(props["created"]["format"], "date-time");
    assert_eq!(
        case["definitions"]["session"]["properties"]["date"]["format"],
        "date"
    );
    // The spec lets teams add keys.
    assert_ne!(case.get("additionalProperties"), Some(&Value::Bool(false)));
}

#[test]
fn schema_config_describes_sluss_toml() {
    let sb = Sandbox::empty();
    let config = sb.run(&["schema", "config"]).success().json();
    assert_eq!(config["required"], serde_json::json!(["name", "stages"]));
    let props = &config["properties"];
    for key in [
        "name",
        "stale_after_days",
        "stages",
        "coaches",
        "programs",
        "policy",
        "git",
    ] {
        assert!(props.get(key).is_some(), "no {key}");
    }
    assert_eq!(
        config["definitions"]["program"]["properties"]["start"]["format"],
        "date"
    );
    // sluss itself refuses unknown keys in a gate, so the schema does too.
    assert_eq!(
        config["definitions"]["stage"]["properties"]["gate"]["additionalProperties"],
        false
    );
}

#[test]
fn every_key_that_sluss_writes_is_described_by_the_schema() {
    let sb = Sandbox::with_team();
    let id = case_with_a_story(&sb);
    sb.run(&["reopen", &id]).success();
    sb.run(&["close", &id, "--outcome", "implemented"])
        .success();
    let schema = sb.run(&["schema"]).success().json();
    let case = sb.case(&id);
    let described = |table: &toml::Table, props: &Value, what: &str| {
        for key in table.keys() {
            assert!(
                props.get(key).is_some(),
                "{what}.{key} is not in the schema"
            );
        }
    };
    described(&case, &schema["properties"], "case");
    for key in ["submitter", "description"] {
        let props = match key {
            "submitter" => &schema["definitions"]["person"]["properties"],
            _ => &schema["properties"]["description"]["properties"],
        };
        described(case[key].as_table().unwrap(), props, key);
    }
    for (list, def) in [("history", "history_entry"), ("sessions", "session")] {
        for entry in case[list].as_array().unwrap() {
            described(
                entry.as_table().unwrap(),
                &schema["definitions"][def]["properties"],
                list,
            );
        }
    }
    for key in schema["required"].as_array().unwrap() {
        assert!(case.contains_key(key.as_str().unwrap()), "no {key}");
    }
}

#[test]
fn schema_write_writes_both_schemas_into_the_repository() {
    let sb = Sandbox::new();
    std::fs::remove_dir_all(sb.path("schemas")).unwrap();
    sb.run(&["schema", "--write"])
        .success()
        .stdout_has("schemas/case.schema.json")
        .stdout_has("schemas/sluss.schema.json");
    let written: Value = serde_json::from_str(&sb.read("schemas/case.schema.json")).unwrap();
    assert_eq!(written, sb.run(&["schema", "case"]).json());
    let written: Value = serde_json::from_str(&sb.read("schemas/sluss.schema.json")).unwrap();
    assert_eq!(written, sb.run(&["schema", "config"]).json());
    // Writing again is harmless.
    sb.run(&["schema", "--write"]).success();
    // --write writes both, so it takes no choice of schema.
    sb.run(&["schema", "config", "--write"]).failure(2);
}

#[test]
fn init_writes_the_schemas_and_names_its_own_on_the_first_line() {
    let sb = Sandbox::new();
    for file in ["schemas/case.schema.json", "schemas/sluss.schema.json"] {
        let text = sb.read(file);
        let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(value["properties"].is_object(), "{file}");
    }
    let settings = sb.read("sluss.toml");
    assert_eq!(
        settings.lines().next(),
        Some("#:schema schemas/sluss.schema.json")
    );
    // Editing the settings keeps the line.
    sb.run(&["coach", "add", "erik", "--name", "Erik Lind"])
        .success();
    assert!(
        sb.read("sluss.toml")
            .starts_with("#:schema schemas/sluss.schema.json\n")
    );

    let en = Sandbox::empty();
    en.run(&["init", "--template", "en", "--name", "Pilot"])
        .success();
    assert!(
        en.read("sluss.toml")
            .starts_with("#:schema schemas/sluss.schema.json\n")
    );
    assert!(en.path("schemas/case.schema.json").is_file());
}

#[test]
fn a_new_case_names_its_schema_on_the_first_line_and_keeps_it_through_changes() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Digital matsedel", &["--coach", "erik"]);
    let first_line = |sb: &Sandbox| sb.case_text(&id).lines().next().unwrap().to_string();
    assert_eq!(first_line(&sb), CASE_DIRECTIVE);
    assert_eq!(sb.case(&id)["id"].as_str(), Some(id.as_str()));

    sb.run(&["advance", &id]).success();
    sb.run(&["session", &id, "--minutes", "45", "--notes", "Första mötet"])
        .success();
    sb.run(&["assign", &id, "sara"]).success();
    sb.run(&["close", &id, "--outcome", "stopped"]).success();
    sb.run(&["reopen", &id]).success();
    let text = sb.case_text(&id);
    assert_eq!(first_line(&sb), CASE_DIRECTIVE, "{text}");
    assert_eq!(text.matches("#:schema").count(), 1, "{text}");
    sb.run(&["show", &id]).success().stdout_has("Prövning");
    let case = sb.case(&id);
    assert_eq!(case["history"].as_array().unwrap().len(), 4);
    assert_eq!(case["sessions"].as_array().unwrap().len(), 1);
}

#[test]
fn completions_for_every_shell_name_the_subcommands() {
    let sb = Sandbox::empty();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = sb.run(&["completions", shell]).success();
        assert!(!out.stdout.trim().is_empty(), "{shell}: empty");
        assert!(out.stdout.contains("sluss"), "{shell}: no sluss");
        // The script registers sluss, which the shell then asks for the words.
        let out = sb
            .cmd(&["--", "sluss", ""])
            .env("COMPLETE", shell)
            .env("_CLAP_COMPLETE_INDEX", "1")
            .run()
            .success();
        for sub in ["advance", "log", "schema"] {
            assert!(out.stdout.contains(sub), "{shell}: no {sub}");
        }
        // The merge driver is for git, not for people.
        assert!(!out.stdout.contains("merge-driver"), "{shell}");
    }
    sb.run(&["completions", "tcsh"]).failure(2);
}

#[test]
fn man_prints_a_roff_page_that_lists_the_subcommands() {
    let sb = Sandbox::empty();
    let out = sb.run(&["man"]).success();
    assert!(out.stdout.contains(".TH SLUSS 1"), "{}", out.stdout);
    assert!(out.stdout.contains(".SH SYNOPSIS"));
    assert!(out.stdout.contains("advance"));
    assert!(!out.stdout.contains("merge\\-driver"));
}

#[test]
fn every_command_and_subcommand_says_what_it_does_in_help() {
    let sb = Sandbox::empty();
    let described = |args: &[&str]| -> Vec<String> {
        let out = sb.run(args).success().stdout;
        let commands = out.split("Commands:\n").nth(1).unwrap_or("");
        let listing = commands.split("\n\n").next().unwrap_or("");
        let mut names = Vec::new();
        for line in listing
            .lines()
            .filter(|l| l.starts_with("  ") && !l.starts_with("    "))
        {
            let mut words = line.split_whitespace();
            let name = words.next().unwrap().to_string();
            assert!(
                words.next().is_some(),
                "`sluss {}` has no description:\n{out}",
                name
            );
            names.push(name);
        }
        names
    };
    let top = described(&["--help"]);
    assert!(top.len() > 20, "{top:?}");
    for group in ["coach", "program", "network", "partner", "maturity"] {
        assert!(top.contains(&group.to_string()));
        assert!(!described(&[group, "--help"]).is_empty(), "{group}");
    }
}

#[test]
fn man_dir_writes_a_page_per_subcommand() {
    let sb = Sandbox::empty();
    let dir = sb.base().join("man1");
    sb.run(&["man", "--dir", dir.to_str().unwrap()])
        .success()
        .stdout_has("manual pages");
    for page in [
        "sluss.1",
        "sluss-advance.1",
        "sluss-log.1",
        "sluss-coach-add.1",
    ] {
        let text =
            std::fs::read_to_string(dir.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.contains(".TH"), "{page}");
    }
    assert!(!dir.join("sluss-merge-driver.1").exists());
}
