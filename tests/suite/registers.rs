//! The registers a new case is held to: the units register (`[[units]]`: `new --unit`
//! by key or name, `--new-unit`, `check`, `sluss unit list/add`, reports that count a
//! unit once however the cases write it), coaches and programs by key or name, a
//! session no earlier than its case, and `new` asking at a terminal for what is missing.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common::{Outcome, Sandbox};

/// A repository with a small units register and a team (erik, sara; ip2018).
fn with_units() -> Sandbox {
    let sb = Sandbox::with_team();
    sb.run(&[
        "unit",
        "add",
        "vard_och_omsorg",
        "--name",
        "Vård och omsorg",
        "--headcount",
        "2400",
    ])
    .success()
    .stdout_has("Added unit vard_och_omsorg");
    sb.run(&[
        "unit",
        "add",
        "samhallsbyggnad",
        "--name",
        "Samhällsbyggnad",
    ])
    .success();
    sb
}

fn new_args<'a>(title: &'a str, unit: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "new",
        title,
        "--submitter",
        "Anna Berg",
        "--unit",
        unit,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    args
}

fn cases_count(sb: &Sandbox) -> usize {
    sb.case_ids().len()
}

// ---- the register in sluss.toml ----

#[test]
fn unit_add_writes_the_register_and_keeps_the_comments() {
    let sb = with_units();
    let text = sb.read("sluss.toml");
    assert!(
        text.contains(
            "[[units]]\nkey = \"vard_och_omsorg\"\nname = \"Vård och omsorg\"\nheadcount = 2400"
        ),
        "{text}"
    );
    assert!(text.contains("# The idea coaches."), "comments are kept");
    // A key twice, a name twice (case and Swedish letters aside), a headcount of 0: refused.
    sb.assert_untouched("sluss.toml", || {
        sb.run(&["unit", "add", "vard_och_omsorg", "--name", "Annat"])
            .failure(2)
            .stderr_has("vard_och_omsorg");
        sb.run(&["unit", "add", "vo", "--name", "VARD OCH OMSORG"])
            .fails()
            .stderr_has("have the same name");
        sb.run(&["unit", "add", "ks", "--name", "KS", "--headcount", "0"])
            .failure(2);
    });
}

#[test]
fn a_register_with_a_name_twice_or_headcount_0_is_refused() {
    let sb = with_units();
    let text = sb.read("sluss.toml");
    sb.write(
        "sluss.toml",
        &format!("{text}\n[[units]]\nkey = \"samhall\"\nname = \"samhällsbyggnad\"\n"),
    );
    sb.run(&["list"])
        .failure(2)
        .stderr_has("units 'samhallsbyggnad' and 'samhall' have the same name");
    sb.write(
        "sluss.toml",
        &format!("{text}\n[[units]]\nkey = \"ks\"\nname = \"KS\"\nheadcount = 0\n"),
    );
    sb.run(&["list"])
        .failure(2)
        .stderr_has("unit 'ks' has headcount 0");
    sb.write("sluss.toml", &text);
}

#[test]
fn the_demo_has_a_register_of_its_nine_units() {
    let sb = Sandbox::demo(1);
    let out = sb.run(&["unit", "list", "--format", "json"]).success();
    let units = out.json()["units"].as_array().unwrap().clone();
    assert_eq!(units.len(), 9);
    assert!(units.iter().all(|u| u["headcount"].as_u64().unwrap() > 0));
    let vo = units
        .iter()
        .find(|u| u["key"] == "vard_och_omsorg")
        .unwrap();
    assert_eq!(vo["name"], "Vård och omsorg");
    assert_eq!(vo["cases"], 45);
    // Every case of the demo names a unit of the register.
    let variants = out.json()["variants"].as_array().unwrap().clone();
    assert!(
        variants.iter().all(|v| !v["unit"].is_null()),
        "{variants:?}"
    );
    sb.run(&["check"]).success();
}

// ---- new --unit ----

#[test]
fn new_takes_a_unit_by_key_or_name_folded_and_stores_its_name() {
    let sb = with_units();
    for word in [
        "vard_och_omsorg",
        "vård och omsorg",
        "VARD OCH OMSORG",
        "Vard-och-omsorg",
    ] {
        let out = sb.run(&new_args("Idé", word, &[])).success();
        assert_eq!(out.json()["unit"], "Vård och omsorg", "--unit {word}");
        let id = out.json()["id"].as_str().unwrap().to_string();
        assert!(
            sb.case_text(&id).contains("unit = \"Vård och omsorg\""),
            "the file stores the name"
        );
    }
}

#[test]
fn new_refuses_a_unit_outside_the_register_with_did_you_mean() {
    let sb = with_units();
    sb.assert_untouched("sluss.toml", || {
        sb.run(&new_args("Idé", "Vård och omsrg", &[]))
            .failure(2)
            .stderr_has("unit 'Vård och omsrg' is not in the units register")
            .hint_has("did you mean 'Vård och omsorg'?")
            .hint_has("--new-unit");
    });
    assert_eq!(cases_count(&sb), 0, "nothing was created");
}

#[test]
fn new_unit_adds_the_unit_to_the_register() {
    let sb = with_units();
    let out = sb
        .run(&new_args("Idé", "Räddningstjänst Mitt", &["--new-unit"]))
        .success()
        .stderr_has("Added unit raddningstjanst_mitt (Räddningstjänst Mitt)");
    assert_eq!(out.json()["unit"], "Räddningstjänst Mitt");
    let text = sb.read("sluss.toml");
    assert!(
        text.contains("[[units]]\nkey = \"raddningstjanst_mitt\"\nname = \"Räddningstjänst Mitt\""),
        "{text}"
    );
    assert!(text.contains("# The idea coaches."), "comments are kept");
    // Now it is a unit like the others; --new-unit on a known unit adds nothing.
    sb.assert_untouched("sluss.toml", || {
        let out = sb
            .run(&new_args("Idé 2", "raddningstjanst mitt", &["--new-unit"]))
            .success();
        assert_eq!(out.json()["unit"], "Räddningstjänst Mitt");
    });
    sb.run(&["check"]).success();
}

#[test]
fn without_a_register_units_stay_free_text() {
    let sb = Sandbox::with_team();
    let out = sb.run(&new_args("Idé", "samhällsbyggnad", &[])).success();
    assert_eq!(out.json()["unit"], "samhällsbyggnad");
    sb.run(&["check"]).success();
    sb.run(&["unit", "list"])
        .success()
        .stdout_has("no units register")
        .stdout_has("samhällsbyggnad");
    // --new-unit starts a register, and says what that means.
    let out = sb
        .run(&new_args("Idé 2", "Räddningstjänst", &["--new-unit"]))
        .success()
        .stderr_has("it starts the units register");
    assert_eq!(out.json()["unit"], "Räddningstjänst");
    sb.run(&["check"])
        .failure(1)
        .stdout_has("unit 'samhällsbyggnad' is not in the units register");
}

// ---- check ----

#[test]
fn check_flags_a_case_whose_unit_is_not_in_the_register() {
    let sb = Sandbox::demo(1);
    let id = sb.case_ids()[0].clone();
    let text = sb.case_text(&id);
    let line = text
        .lines()
        .position(|l| l.starts_with("unit = "))
        .expect("a unit line")
        + 1;
    let old = text.lines().nth(line - 1).unwrap().to_string();
    sb.write_case(&id, &text.replace(&old, "unit = \"Räddningstjänst\""));
    let out = sb.run(&["check"]).failure(1);
    let rel = Sandbox::case_rel(&id);
    assert!(
        out.stdout.contains(&format!("{rel}:{line}:"))
            || out.stderr.contains(&format!("{rel}:{line}:")),
        "check names the file and line: {out:?}"
    );
    let json = sb.run(&["check", "--format", "json"]).failure(1).json();
    let problems = json["problems"].as_array().expect("problems").clone();
    let p = problems
        .iter()
        .find(|p| p["code"] == "unknown-unit")
        .expect("an unknown-unit problem");
    assert_eq!(p["line"], line);
    assert!(
        p["hint"].as_str().unwrap().contains("sluss unit add"),
        "{p}"
    );
    // Written another way, a unit of the register is no problem.
    sb.write_case(&id, &text.replace(&old, "unit = \"VÅRD OCH OMSORG\""));
    sb.run(&["check"]).success();
}

// ---- unit list ----

/// The demo with one case written in lower case and one in a unit not in the register.
fn demo_with_variants() -> Sandbox {
    let sb = Sandbox::demo(1);
    let mut seen = 0;
    for id in sb.case_ids() {
        let text = sb.case_text(&id);
        if text.contains("unit = \"Socialtjänst\"") && seen < 2 {
            let unit = if seen == 0 {
                "socialtjänst"
            } else {
                "Räddningstjänst"
            };
            sb.write_case(
                &id,
                &text.replace("unit = \"Socialtjänst\"", &format!("unit = \"{unit}\"")),
            );
            seen += 1;
        }
    }
    assert_eq!(seen, 2);
    sb
}

#[test]
fn unit_list_shows_the_variants_the_cases_write() {
    let sb = demo_with_variants();
    let json = sb
        .run(&["unit", "list", "--format", "json"])
        .success()
        .json();
    let variants = json["variants"].as_array().unwrap();
    let find = |text: &str| {
        variants
            .iter()
            .find(|v| v["text"] == text)
            .unwrap_or_else(|| panic!("{text} in {variants:?}"))
            .clone()
    };
    assert_eq!(find("Socialtjänst")["cases"], 39);
    assert_eq!(find("socialtjänst")["cases"], 1);
    assert_eq!(find("socialtjänst")["unit"], "socialtjanst");
    assert_eq!(find("Räddningstjänst")["unit"], serde_json::Value::Null);
    let units = json["units"].as_array().unwrap();
    let st = units.iter().find(|u| u["key"] == "socialtjanst").unwrap();
    assert_eq!(st["cases"], 40, "both spellings count as the unit");

    let table = sb.run(&["unit", "list"]).success().stdout;
    let row = |text: &str| {
        table
            .lines()
            .find(|l| l.trim_start().starts_with(text))
            .unwrap_or_else(|| panic!("a row for {text}:\n{table}"))
            .to_string()
    };
    assert!(row("socialtjänst").contains("Socialtjänst"), "{table}");
    assert!(
        row("Räddningstjänst").contains("not in the register"),
        "{table}"
    );
    assert!(
        table.contains("1 case(s) name a unit that is not in the register"),
        "{table}"
    );

    let csv = sb
        .run(&["unit", "list", "--format", "csv"])
        .success()
        .stdout;
    assert!(
        csv.starts_with("text,cases,unit_key,unit_name,headcount\n"),
        "{csv}"
    );
    assert!(
        csv.contains("socialtjänst,1,socialtjanst,Socialtjänst,900\n"),
        "{csv}"
    );
    assert!(csv.contains("Räddningstjänst,1,,,\n"), "{csv}");
}

#[test]
fn unit_list_table_snapshot() {
    let sb = demo_with_variants();
    let out = sb
        .cmd(&["unit", "list"])
        .env("SLUSS_WIDTH", "80")
        .run()
        .success();
    insta::assert_snapshot!("unit_list_table", out.stdout);
    let out = sb
        .cmd(&["unit", "list", "--format", "markdown", "--lang", "sv"])
        .run()
        .success();
    insta::assert_snapshot!("unit_list_markdown_sv", out.stdout);
}

// ---- reports count a unit once ----

#[test]
fn summary_by_unit_counts_the_ways_of_writing_a_unit_as_one_row() {
    let sb = demo_with_variants();
    let json = sb
        .run(&["summary", "--by", "unit", "--format", "json"])
        .success()
        .json();
    let text = json.to_string();
    assert!(
        !text.contains("\"socialtjänst\""),
        "no row of its own: {text}"
    );
    let groups = json["breakdown"]["groups"].as_array().unwrap();
    let names: Vec<&str> = groups.iter().filter_map(|g| g["group"].as_str()).collect();
    let socialtjanst = groups
        .iter()
        .find(|g| g["group"] == "Socialtjänst")
        .unwrap();
    assert_eq!(socialtjanst["total"], 40, "both spellings in one row");
    assert!(names.contains(&"Socialtjänst"), "{names:?}");
    assert!(names.contains(&"Räddningstjänst"), "{names:?}");
}

// ---- sessions are not older than their case ----

#[test]
fn a_session_before_the_case_was_created_is_refused() {
    let sb = Sandbox::with_team();
    let id = sb.new_case_on("2020-03-10", "Idé", &["--coach", "erik"]);
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run_on(
            "2020-03-20",
            &["session", &id, "--minutes", "30", "--date", "2020-03-09"],
        )
        .failure(1)
        .stderr_has("before case")
        .hint_has("2020-03-10");
    });
    sb.run_on(
        "2020-03-20",
        &["session", &id, "--minutes", "30", "--date", "2020-03-10"],
    )
    .success();
}

#[test]
fn check_flags_a_session_dated_before_its_case() {
    let sb = Sandbox::with_team();
    let id = sb.new_case_on("2020-03-10", "Idé", &["--coach", "erik"]);
    sb.run_on(
        "2020-03-20",
        &["session", &id, "--minutes", "30", "--date", "2020-03-12"],
    )
    .success();
    let text = sb.case_text(&id);
    sb.write_case(&id, &text.replace("date = 2020-03-12", "date = 2020-03-01"));
    let line = sb
        .case_text(&id)
        .lines()
        .position(|l| l.starts_with("date = 2020-03-01"))
        .expect("the session's date")
        + 1;
    let json = sb.run(&["check", "--format", "json"]).failure(1).json();
    let p = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "session-before-created")
        .unwrap_or_else(|| panic!("{json}"))
        .clone();
    assert_eq!(p["line"], line);
    assert!(p["path"].as_str().unwrap().ends_with(".toml"));
    assert!(p["message"].as_str().unwrap().contains("2020-03-10"), "{p}");
}

// ---- coaches and programs by key or name ----

#[test]
fn new_takes_coach_and_program_by_key_or_name() {
    let sb = with_units();
    let out = sb
        .run(&new_args(
            "Idé",
            "Samhällsbyggnad",
            &[
                "--coach",
                "Sara Berg",
                "--program",
                "innovationsprogram 2018",
            ],
        ))
        .success();
    assert_eq!(out.json()["coach"], "sara");
    assert_eq!(out.json()["program"], "ip2018");
    sb.run(&new_args("Idé", "Samhällsbyggnad", &["--coach", "sarah"]))
        .failure(2)
        .hint_has("did you mean 'sara'?");
    sb.run(&new_args(
        "Idé",
        "Samhällsbyggnad",
        &["--program", "ip2019"],
    ))
    .failure(2)
    .hint_has("did you mean 'ip2018'?");
}

#[test]
fn an_inactive_coach_is_refused_for_a_new_case() {
    let sb = with_units();
    let text = sb.read("sluss.toml");
    let text = text.replacen(
        "name = \"Sara Berg\"",
        "name = \"Sara Berg\"\nactive = false",
        1,
    );
    sb.write("sluss.toml", &text);
    let before = cases_count(&sb);
    sb.run(&new_args("Idé", "Samhällsbyggnad", &["--coach", "sara"]))
        .failure(1)
        .stderr_has("has left")
        .hint_has("erik");
    assert_eq!(cases_count(&sb), before);
}

// ---- new at a terminal ----

#[test]
fn new_does_not_ask_when_stdin_is_not_a_terminal() {
    let sb = with_units();
    // stdin is /dev/null in the harness: the usual error, at once.
    sb.run(&["new", "Idé", "--unit", "Samhällsbyggnad"])
        .failure(2)
        .stderr_has("a new case needs --submitter");
    sb.run(&["new", "--submitter", "Anna", "--unit", "Samhällsbyggnad"])
        .failure(2)
        .stderr_has("a new case needs the title");
    // A pipe, even with answers in it, is not asked either.
    let out = typed(
        command(
            &sb,
            env!("CARGO_BIN_EXE_sluss"),
            &["new", "Idé", "--submitter", "Anna"],
        ),
        "Samhällsbyggnad\n",
    );
    let out = out.failure(2).stderr_has("a new case needs --unit");
    assert!(
        !out.stderr.contains("Unit:"),
        "nothing was asked: {}",
        out.stderr
    );
    assert_eq!(cases_count(&sb), 0);
}

/// `program ARGS` in the sandbox's repository with the harness's fixed environment,
/// its stdin a pipe.
fn command(sb: &Sandbox, program: &str, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command
        .args(args)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", sb.home())
        .env("XDG_CONFIG_HOME", sb.config_home())
        .env("SLUSS_NOW", crate::common::NOW)
        .env("SLUSS_USER", crate::common::USER)
        .env("SLUSS_LANG", "en")
        .env("NO_COLOR", "1")
        .env("TERM", "dumb")
        .current_dir(sb.root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs `command`, writing `input` to its stdin.
fn typed(mut command: Command, input: &str) -> Outcome {
    let mut child = command.spawn().expect("the command starts");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    drop(stdin);
    Outcome::from_output("(typed)", child.wait_with_output().unwrap())
}

/// Runs `sluss ARGS` in a pseudo-terminal (util-linux `script`), typing `answers`.
fn at_a_terminal(sb: &Sandbox, args: &str, answers: &str) -> Outcome {
    let script = ["/usr/bin/script", "/bin/script"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("util-linux `script` is installed: the terminal path is tested through it");
    let line = format!("{} {args}", env!("CARGO_BIN_EXE_sluss"));
    typed(command(sb, script, &["-qec", &line, "/dev/null"]), answers)
}

#[test]
fn new_at_a_terminal_asks_for_what_is_missing() {
    let sb = with_units();
    // Title, submitter; a unit by a number out of range, then a misspelt name, then its
    // number; a misspelt coach, then a coach by name; an empty need.
    let out = at_a_terminal(
        &sb,
        "new",
        "Digital matsedel\nAnna Berg\n7\nSamhallsbygnad\n2\nsarah\nSara Berg\n\n",
    )
    .success();
    let shown = out.stdout.replace('\r', "");
    assert!(shown.contains("Title: "), "{shown}");
    assert!(
        shown.contains("   1) Vård och omsorg\n   2) Samhällsbyggnad"),
        "{shown}"
    );
    assert!(shown.contains("choose a number from 1 to 2"), "{shown}");
    assert!(shown.contains("did you mean 'Samhällsbyggnad'?"), "{shown}");
    assert!(shown.contains("   1) Erik Lind (erik)"), "{shown}");
    assert!(shown.contains("did you mean 'sara'?"), "{shown}");
    assert!(
        shown.contains("Need (and for whom) [empty: none]"),
        "{shown}"
    );
    assert!(shown.contains("Created case"), "{shown}");
    let ids = sb.case_ids();
    assert_eq!(ids.len(), 1);
    let case = sb.case(&ids[0]);
    assert_eq!(case["title"].as_str(), Some("Digital matsedel"));
    assert_eq!(case["unit"].as_str(), Some("Samhällsbyggnad"));
    assert_eq!(case["coach"].as_str(), Some("sara"));
    assert_eq!(case["submitter"]["name"].as_str(), Some("Anna Berg"));
    assert!(
        case.get("description")
            .and_then(|d| d.get("need"))
            .is_none()
    );
}

#[test]
fn new_at_a_terminal_asks_only_for_what_is_missing_and_stops_at_the_end_of_input() {
    let sb = with_units();
    // Only the submitter is missing; coach and need are asked then too, and skipped.
    let out = at_a_terminal(
        &sb,
        "new 'Idé' --unit vard_och_omsorg --format json",
        "Anna\n\nFler besök\n",
    )
    .success();
    let shown = out.stdout.replace('\r', "");
    assert!(!shown.contains("Title:"), "{shown}");
    assert!(!shown.contains("Unit"), "{shown}");
    let case = sb.case(&sb.case_ids()[0]);
    assert_eq!(case["unit"].as_str(), Some("Vård och omsorg"));
    assert!(case.get("coach").is_none());
    assert_eq!(case["description"]["need"].as_str(), Some("Fler besök"));
    // Without a register the unit is free text; the input ending gives up, creating nothing.
    let sb = Sandbox::with_team();
    let out = at_a_terminal(&sb, "new --submitter Anna", "Idé\n").failure(2);
    let shown = out.stdout.replace('\r', "");
    assert!(shown.contains("Unit: "), "{shown}");
    assert!(shown.contains("no answer for Unit"), "{shown}");
    assert!(sb.case_ids().is_empty());
}

#[test]
fn a_maturity_assessment_names_a_unit_of_the_register() {
    let sb = Sandbox::demo(1);
    sb.run(&[
        "maturity",
        "record",
        "--unit",
        "socialtjanst",
        "--date",
        "2020-06-01",
        "--score",
        "tid=3",
    ])
    .success()
    .stdout_has("Recorded Socialtjänst's assessment");
    sb.assert_untouched("sluss.toml", || {
        sb.run(&[
            "maturity",
            "record",
            "--unit",
            "Socialtjenst",
            "--date",
            "2020-06-02",
            "--score",
            "tid=3",
        ])
        .failure(2)
        .hint_has("did you mean 'Socialtjänst'?");
    });
}

#[test]
fn the_digest_counts_a_unit_written_two_ways_as_one() {
    let sb = with_units();
    let new = |day: &str, title: &str| {
        let out = sb.run_on(day, &new_args(title, "Samhällsbyggnad", &[]));
        out.success().json()["id"].as_str().unwrap().to_string()
    };
    let a = new("2020-06-10", "Idé A");
    let b = new("2020-06-11", "Idé B");
    // A hand edit (or a case from before the register) writes it in lower case.
    let text = sb.case_text(&b);
    sb.write_case(
        &b,
        &text.replace("unit = \"Samhällsbyggnad\"", "unit = \"samhällsbyggnad\""),
    );
    let json = sb
        .run(&[
            "digest",
            "--since",
            "2020-06-01",
            "--until",
            "2020-06-30",
            "--format",
            "json",
        ])
        .success()
        .json();
    let units = json["groups"]["new_ideas"]["units"].as_array().unwrap();
    assert_eq!(units.len(), 1, "{units:?}");
    assert_eq!(units[0]["unit"], "Samhällsbyggnad");
    assert_eq!(units[0]["total"], 2);
    let shown: Vec<&str> = units[0]["shown"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(
        shown.contains(&a.as_str()) && shown.contains(&b.as_str()),
        "{shown:?}"
    );
}

// ---- units without a register, and units the register lacks ----

#[test]
fn without_a_register_spellings_of_a_unit_are_one_unit_and_new_takes_the_spelling_in_use() {
    let sb = Sandbox::with_team();
    let a = sb.new_case("A", &[]);
    let b = sb.new_case("B", &[]);
    let c = sb.new_case("C", &[]);
    sb.run(&["set", &a, "--unit", "vård"]).success();
    sb.run(&["set", &b, "--unit", "vård"]).success();
    sb.run(&["set", &c, "--unit", "VÅRD"]).success();
    // One row, shown by the spelling most cases use.
    let out = sb
        .run(&["summary", "--by", "unit", "--format", "csv"])
        .success();
    assert!(!out.stdout.contains("VÅRD"), "{}", out.stdout);
    assert!(out.stdout.contains("vård"), "{}", out.stdout);
    // `new` files a spelling of a unit in use as the cases write it, and says so.
    let out = sb
        .run(&new_args("D", "Vård", &[]))
        .success()
        .stderr_has("written 'vård'");
    let d = out.json()["id"].as_str().unwrap().to_string();
    assert_eq!(sb.case(&d)["unit"].as_str(), Some("vård"));
    // The listing's unit column and filter fold them too.
    let out = sb
        .run(&["list", "--unit", "VARD"])
        .success()
        .stdout_has("4 case(s)");
    assert!(!out.stdout.contains("VÅRD"), "{}", out.stdout);
}

#[test]
fn a_unit_the_register_lacks_but_the_cases_name_can_be_filtered_on() {
    let sb = with_units();
    let old = sb.new_case("Gammalt", &[]);
    let other = sb.new_case("Annat", &[]);
    let text = sb
        .case_text(&old)
        .replace("unit = \"Vård och omsorg\"", "unit = \"Gamla enheten\"");
    sb.write_case(&old, &text);
    let out = sb
        .run(&["list", "--unit", "gamla ENHETEN"])
        .success()
        .stdout_has(&old);
    assert!(!out.stdout.contains(&other), "{}", out.stdout);
    sb.run(&["set", "--in-unit", "Gamla enheten", "+arkiv"])
        .success()
        .stdout_has("changed 1 of 1");
    // A unit neither the register nor the cases name is still refused.
    sb.run(&["list", "--unit", "Nyckelenheten"])
        .failure(2)
        .stderr_has("unknown unit");
}

#[test]
fn register_names_with_control_characters_are_refused_and_check_flags_them() {
    let sb = Sandbox::with_team();
    sb.assert_untouched("sluss.toml", || {
        sb.run(&["coach", "add", "eva", "--name", "Eva\u{1b}[31m"])
            .failure(1)
            .stderr_has("control character");
        sb.run(&["unit", "add", "vard", "--name", "Vård\nomsorg"])
            .failure(1)
            .stderr_has("line break");
        sb.run(&["program", "add", "p1", "--name", "P\u{1b}1"])
            .failure(1)
            .stderr_has("control character");
    });
    let settings = sb
        .read("sluss.toml")
        .replace("\"Erik Lind\"", "\"Erik\\u001bLind\"");
    sb.write("sluss.toml", &settings);
    let out = sb.run(&["check"]).fails();
    assert!(
        format!("{}{}", out.stdout, out.stderr).contains("coach 'erik'"),
        "{}{}",
        out.stdout,
        out.stderr
    );
}

#[test]
fn a_user_who_names_a_coach_is_recorded_by_the_coach_key() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("A", &[]);
    sb.cmd(&["set", &id, "--title", "B"])
        .env("SLUSS_USER", "SARA BERG")
        .run()
        .success();
    sb.cmd(&["set", &id, "--title", "C"])
        .env("SLUSS_USER", "SARA")
        .run()
        .success();
    let text = sb.case_text(&id);
    assert!(!text.contains("by = \"SARA"), "{text}");
    assert_eq!(text.matches("by = \"sara\"").count(), 2, "{text}");
}
