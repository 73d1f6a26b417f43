//! Commands that change a case: `advance`, `park`, `close`, `reopen`, `assign`,
//! `session` and `edit`, and what every write promises: comments and unknown keys
//! survive, a refused command leaves the file as it was, and concurrent writers do not
//! lose each other's changes.

use std::collections::BTreeMap;
use std::fs;

use crate::common::{NOW, Sandbox, TODAY, wait};

/// The last history entry of a case.
fn last_entry(sb: &Sandbox, id: &str) -> toml::Table {
    let case = sb.case(id);
    let history = case["history"].as_array().expect("a history");
    history.last().unwrap().as_table().unwrap().clone()
}

fn history_len(sb: &Sandbox, id: &str) -> usize {
    sb.case(id)
        .get("history")
        .and_then(|h| h.as_array())
        .map_or(0, Vec::len)
}

/// The keys of a table and their values as text (the order of keys in a new entry is
/// not part of the contract).
fn entry(t: &toml::Table) -> BTreeMap<String, String> {
    t.iter()
        .map(|(k, v)| {
            let v = match v {
                toml::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), v)
        })
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> BTreeMap<String, String> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A case in `stage` with status `status`, written by hand. `extra` goes at the end of
/// the top-level keys (outcome, description and so on).
fn hand_case(sb: &Sandbox, id: &str, stage: &str, status: &str, extra: &str) {
    sb.write_case(
        id,
        &format!(
            "id = \"{id}\"\ntitle = \"Handskrivet\"\ncreated = 2020-01-10T09:00:00+01:00\nstage = \"{stage}\"\nstatus = \"{status}\"\nunit = \"Kultur\"\n{extra}"
        ),
    );
}

// ---------------------------------------------------------------------------------------
// advance

#[test]
fn advance_moves_to_the_next_stage_and_records_it() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Nästa steg", &["--coach", "erik"]);
    sb.run(&["advance", &id])
        .success()
        .stdout_has("Inkommen → Prövning");
    let case = sb.case(&id);
    assert_eq!(case["stage"].as_str(), Some("provning"));
    assert_eq!(case["history"].as_array().unwrap().len(), 1);
    let e = last_entry(&sb, &id);
    assert_eq!(
        entry(&e),
        pairs(&[
            ("at", NOW),
            ("by", "erik"),
            ("from", "inkommen"),
            ("to", "provning")
        ])
    );
    assert!(e["at"].is_datetime(), "`at` is a TOML date-time");

    sb.run(&["advance", &id, "--note", "Inom uppdraget"])
        .success();
    assert_eq!(sb.case(&id)["stage"].as_str(), Some("utforska"));
    let e = last_entry(&sb, &id);
    assert_eq!(e["from"].as_str(), Some("provning"));
    assert_eq!(e["to"].as_str(), Some("utforska"));
    assert_eq!(e["note"].as_str(), Some("Inom uppdraget"));
    assert_eq!(history_len(&sb, &id), 2);
}

#[test]
fn advance_to_jumps_over_stages_as_one_move() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Hopp", &["--coach", "erik", "--need", "Behov"]);
    sb.run(&["advance", &id, "--to", "utveckla"]).success();
    assert_eq!(sb.case(&id)["stage"].as_str(), Some("utveckla"));
    assert_eq!(history_len(&sb, &id), 1);
    let e = last_entry(&sb, &id);
    assert_eq!(e["from"].as_str(), Some("inkommen"));
    assert_eq!(e["to"].as_str(), Some("utveckla"));
}

#[test]
fn a_gate_that_is_not_met_refuses_and_names_the_requirement() {
    let sb = Sandbox::with_team();
    // No coach: Prövning's gate wants one.
    let id = sb.new_case("Utan coach", &[]);
    let rel = Sandbox::case_rel(&id);
    sb.assert_untouched(&rel, || {
        sb.run(&["advance", &id])
            .failure(1)
            .stderr_has("gate for entering Prövning is not met")
            .stderr_has("a coach must be assigned")
            .hint_has("--force");
    });

    // Jumping ahead checks every gate on the way: Utveckla's wants the need.
    let id = sb.new_case("Utan behov", &["--coach", "erik"]);
    let rel = Sandbox::case_rel(&id);
    sb.assert_untouched(&rel, || {
        sb.run(&["advance", &id, "--to", "testa"])
            .failure(1)
            .stderr_has("gate for entering Utveckla")
            .stderr_has("description.need");
    });

    // Testa wants the idea and a session as well; every failure is named.
    let id = sb.new_case("Bara behov", &["--coach", "erik", "--need", "Behov"]);
    let rel = Sandbox::case_rel(&id);
    sb.assert_untouched(&rel, || {
        sb.run(&["advance", &id, "--to", "testa"])
            .failure(1)
            .stderr_has("gate for entering Testa")
            .stderr_has("description.idea")
            .stderr_has("at least 1 coaching session");
    });
    assert_eq!(history_len(&sb, &id), 0);
}

#[test]
fn force_needs_a_note_and_then_passes_the_gate_recording_why() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Tvingad", &[]);
    let rel = Sandbox::case_rel(&id);
    sb.assert_untouched(&rel, || {
        sb.run(&["advance", &id, "--force"])
            .failure(1)
            .stderr_has("--force needs --note")
            .hint_has("--force --note");
        sb.run(&["advance", &id, "--force", "--note", "   "])
            .failure(1);
    });
    sb.run(&["advance", &id, "--force", "--note", "Chefen bad om det"])
        .success();
    assert_eq!(sb.case(&id)["stage"].as_str(), Some("provning"));
    let e = last_entry(&sb, &id);
    assert_eq!(
        entry(&e),
        pairs(&[
            ("at", NOW),
            ("by", "erik"),
            ("from", "inkommen"),
            ("to", "provning"),
            ("note", "Chefen bad om det"),
            ("forced", "true")
        ])
    );
}

#[test]
fn moving_back_needs_a_note() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Tillbaka", &["--coach", "erik"]);
    sb.run(&["advance", &id, "--to", "utforska"]).success();
    let rel = Sandbox::case_rel(&id);
    sb.assert_untouched(&rel, || {
        sb.run(&["advance", &id, "--to", "inkommen"])
            .failure(1)
            .stderr_has("back")
            .hint_has("--note");
    });
    sb.run(&["advance", &id, "--to", "inkommen", "--note", "Fel ingång"])
        .success();
    assert_eq!(sb.case(&id)["stage"].as_str(), Some("inkommen"));
    let e = last_entry(&sb, &id);
    assert_eq!(e["from"].as_str(), Some("utforska"));
    assert_eq!(e["to"].as_str(), Some("inkommen"));
    assert_eq!(e["note"].as_str(), Some("Fel ingång"));
}

#[test]
fn parked_and_closed_cases_cannot_move() {
    let sb = Sandbox::with_team();
    hand_case(&sb, "park0001", "inkommen", "parked", "coach = \"erik\"\n");
    hand_case(
        &sb,
        "stng0001",
        "inkommen",
        "closed",
        "coach = \"erik\"\noutcome = \"stopped\"\n",
    );
    for id in ["park0001", "stng0001"] {
        let rel = Sandbox::case_rel(id);
        sb.assert_untouched(&rel, || {
            sb.run(&["advance", id])
                .failure(1)
                .stderr_has("cannot move")
                .hint_has(&format!("sluss reopen {id}"));
            sb.run(&["advance", id, "--to", "testa", "--force", "--note", "n"])
                .failure(1);
        });
    }
}

#[test]
fn the_last_stage_has_no_next() {
    let sb = Sandbox::with_team();
    hand_case(&sb, "sist0001", "infora", "open", "coach = \"erik\"\n");
    sb.assert_untouched("cases/sist0001.toml", || {
        sb.run(&["advance", "sist0001"])
            .failure(1)
            .stderr_has("last stage")
            .hint_has("sluss close sist0001 --outcome implemented");
        sb.run(&["advance", "sist0001", "--to", "infora"])
            .failure(1)
            .stderr_has("already in stage");
    });
}

// ---------------------------------------------------------------------------------------
// park, close, reopen

#[test]
fn park_records_status_and_note() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Parkeras", &[]);
    sb.run(&["park", &id, "--note", "Väntar på budget 2021"])
        .success();
    let case = sb.case(&id);
    assert_eq!(case["status"].as_str(), Some("parked"));
    assert!(!case.contains_key("outcome"));
    assert_eq!(
        entry(&last_entry(&sb, &id)),
        pairs(&[
            ("at", NOW),
            ("by", "erik"),
            ("status", "parked"),
            ("note", "Väntar på budget 2021")
        ])
    );
    // Parking a parked case is refused.
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run(&["park", &id, "--note", "igen"])
            .failure(1)
            .hint_has("reopen");
    });
}

#[test]
fn park_needs_a_note() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Parkeras", &[]);
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run(&["park", &id]).failure(2).stderr_has("--note");
        sb.run(&["park", &id, "--note", " "])
            .failure(1)
            .hint_has("--note");
    });
}

#[test]
fn close_records_status_outcome_and_note() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Stängs", &[]);
    sb.run(&[
        "close",
        &id,
        "--outcome",
        "handed_over",
        "--note",
        "Till regionen",
    ])
    .success();
    let case = sb.case(&id);
    assert_eq!(case["status"].as_str(), Some("closed"));
    assert_eq!(case["outcome"].as_str(), Some("handed_over"));
    assert_eq!(
        entry(&last_entry(&sb, &id)),
        pairs(&[
            ("at", NOW),
            ("by", "erik"),
            ("status", "closed"),
            ("outcome", "handed_over"),
            ("note", "Till regionen")
        ])
    );
    // Already closed: refused, nothing written.
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run(&["close", &id, "--outcome", "stopped"])
            .failure(1)
            .hint_has("reopen");
    });
}

#[test]
fn close_without_a_note_and_from_parked() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Parkerad, sedan stängd", &[]);
    sb.run(&["park", &id, "--note", "Väntar"]).success();
    sb.run(&["close", &id, "--outcome", "duplicate"]).success();
    let case = sb.case(&id);
    assert_eq!(case["status"].as_str(), Some("closed"));
    assert_eq!(case["outcome"].as_str(), Some("duplicate"));
    assert_eq!(
        entry(&last_entry(&sb, &id)),
        pairs(&[
            ("at", NOW),
            ("by", "erik"),
            ("status", "closed"),
            ("outcome", "duplicate")
        ])
    );
    assert_eq!(history_len(&sb, &id), 2);
}

#[test]
fn an_unknown_outcome_is_a_usage_error() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Okänt utfall", &[]);
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run(&["close", &id, "--outcome", "maybe"])
            .failure(2)
            .stderr_has("maybe")
            .stderr_has("implemented");
        sb.run(&["close", &id]).failure(2).stderr_has("--outcome");
    });
}

#[test]
fn reopen_clears_the_outcome_and_records_it() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Återöppnas", &[]);
    sb.run(&["close", &id, "--outcome", "stopped"]).success();
    sb.run(&["reopen", &id, "--note", "Ny finansiering"])
        .success();
    let case = sb.case(&id);
    assert_eq!(case["status"].as_str(), Some("open"));
    assert!(!case.contains_key("outcome"), "only closed cases have one");
    assert_eq!(
        entry(&last_entry(&sb, &id)),
        pairs(&[
            ("at", NOW),
            ("by", "erik"),
            ("status", "open"),
            ("note", "Ny finansiering")
        ])
    );
    // Reopening a parked case works too; an open one is refused.
    sb.run(&["park", &id, "--note", "Väntar"]).success();
    sb.run(&["reopen", &id]).success();
    assert_eq!(sb.case(&id)["status"].as_str(), Some("open"));
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run(&["reopen", &id])
            .failure(1)
            .stderr_has("already open");
    });
    assert_eq!(history_len(&sb, &id), 4);
}

// ---------------------------------------------------------------------------------------
// assign

#[test]
fn assign_sets_the_coach_and_records_it_without_a_stage_move() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Tilldelas", &[]);
    sb.run(&["assign", &id, "sara"]).success();
    assert_eq!(sb.case(&id)["coach"].as_str(), Some("sara"));
    // It had no coach before: previous_coach = "".
    assert_eq!(
        entry(&last_entry(&sb, &id)),
        pairs(&[
            ("at", NOW),
            ("by", "erik"),
            ("coach", "sara"),
            ("previous_coach", "")
        ])
    );
    sb.run(&["assign", &id, "erik"]).success();
    assert_eq!(sb.case(&id)["coach"].as_str(), Some("erik"));
    assert_eq!(history_len(&sb, &id), 2);
    assert_eq!(
        last_entry(&sb, &id)["previous_coach"].as_str(),
        Some("sara")
    );
    // The same coach again: nothing to do.
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run(&["assign", &id, "erik"]).failure(1);
    });
}

#[test]
fn assign_to_an_unknown_coach_is_refused() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Tilldelas", &["--coach", "erik"]);
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run(&["assign", &id, "olle"])
            .failure(2)
            .stderr_has("unknown coach 'olle'")
            .hint_has("erik, sara");
    });
}

// ---------------------------------------------------------------------------------------
// session

#[test]
fn session_defaults_to_today_and_the_acting_coach() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Möte", &["--coach", "sara"]);
    sb.run(&["session", &id, "--minutes", "45"]).success();
    let case = sb.case(&id);
    let sessions = case["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1);
    let s = sessions[0].as_table().unwrap();
    assert_eq!(
        entry(s),
        pairs(&[("date", TODAY), ("coach", "erik"), ("minutes", "45")])
    );
    assert!(s["date"].is_datetime(), "a TOML local date, not a string");
    assert!(
        !case.contains_key("history"),
        "a session is not a history entry"
    );

    // Someone who is not a coach logs it for the case's coach.
    sb.run(&["session", &id, "--minutes", "20", "--by", "maria"])
        .success();
    let case = sb.case(&id);
    assert_eq!(case["sessions"][1]["coach"].as_str(), Some("sara"));
}

#[test]
fn today_is_the_day_of_sluss_now_in_its_own_offset() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Sent på kvällen", &["--coach", "erik"]);
    // 23:30 at -05:00 is already July 1st in UTC, but still June 30th there.
    sb.cmd(&["session", &id, "--minutes", "10"])
        .env("SLUSS_NOW", "2020-06-30T23:30:00-05:00")
        .run()
        .success();
    assert_eq!(
        sb.case(&id)["sessions"][0]["date"].to_string(),
        "2020-06-30"
    );
}

#[test]
fn session_with_every_flag() {
    let sb = Sandbox::with_team();
    let id = sb.new_case_on("2020-05-01", "Workshop", &["--coach", "erik"]);
    sb.run(&[
        "session",
        &id,
        "--minutes",
        "90",
        "--date",
        "2020-06-01",
        "--coach",
        "sara",
        "--kind",
        "workshop",
        "--notes",
        "Med tre enhetschefer",
        "--next-step",
        "Boka test",
        "--next-step",
        "Fråga IT",
    ])
    .success();
    let case = sb.case(&id);
    let s = case["sessions"][0].as_table().unwrap();
    assert_eq!(s["date"].to_string(), "2020-06-01");
    assert_eq!(s["coach"].as_str(), Some("sara"));
    assert_eq!(s["minutes"].as_integer(), Some(90));
    assert_eq!(s["kind"].as_str(), Some("workshop"));
    assert_eq!(s["notes"].as_str(), Some("Med tre enhetschefer"));
    assert_eq!(
        s["next_steps"],
        toml::Value::Array(vec!["Boka test".into(), "Fråga IT".into()])
    );
}

#[test]
fn session_minutes_must_be_positive_and_the_date_not_in_the_future() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Felaktiga minuter", &["--coach", "erik"]);
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run(&["session", &id, "--minutes", "-30"])
            .failure(2)
            .stderr_has("-30")
            .stderr_has("positive");
        sb.run(&["session", &id, "--minutes", "0"])
            .failure(2)
            .stderr_has("positive");
        sb.run(&["session", &id, "--minutes", "tre"]).failure(2);
        sb.run(&["session", &id, "--minutes", "30", "--date", "2020-07-01"])
            .failure(1)
            .stderr_has("2020-07-01 is in the future")
            .hint_has("--date");
        sb.run(&["session", &id, "--minutes", "30", "--date", "30/6"])
            .failure(2)
            .stderr_has("YYYY-MM-DD");
        sb.run(&["session", &id, "--minutes", "30", "--coach", "olle"])
            .failure(2)
            .hint_has("erik, sara");
    });
}

#[test]
fn a_session_on_a_case_without_coach_by_a_non_coach_needs_coach() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Ingen coach", &[]);
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run(&["session", &id, "--minutes", "30", "--by", "maria"])
            .failure(1)
            .hint_has("--coach KEY");
    });
}

// ---------------------------------------------------------------------------------------
// Comments, key order and unknown keys survive

const COMMENTED_CASE: &str = r#"# Ärende från Vård och omsorg, skrivet för hand.
# Andra raden i toppkommentaren.
id = "kom12345"
title = "Kommentarer överlever"   # the title
created = 2020-01-10T09:00:00+01:00
stage = "inkommen"  # waiting for screening
status = "open"
coach = "erik"
unit = "Vård och omsorg"
budget = 12000            # kronor, not a sluss key
tags = ["välfärd"]

[submitter]
name = "Anna Berg"
consent = false

[description]
need = "Behov"
idea = "Idé"

[extra]
# free-form notes a team keeps
owner = "IT"
reviewed = 2020-01-20

# --- history below ---
[[history]]
at = 2020-01-11T10:00:00+01:00
by = "erik"
coach = "erik"   # assigned at intake

# a comment between history entries
[[history]]
at = 2020-01-12T10:00:00+01:00
by = "erik"
note = "Talked to the unit"
mood = "good"

[[sessions]]
date = 2020-01-15
coach = "erik"
minutes = 45  # a long one
"#;

#[test]
fn comments_unknown_keys_and_key_order_survive_advance_and_session() {
    let sb = Sandbox::with_team();
    sb.write_case("kom12345", COMMENTED_CASE);
    sb.run(&["advance", "kom1"]).success();
    sb.run(&[
        "session",
        "kom1",
        "--minutes",
        "30",
        "--notes",
        "Uppföljning",
    ])
    .success();
    sb.run(&["assign", "kom1", "sara"]).success();
    let text = sb.case_text("kom12345");

    // Every original line is still there, byte for byte and in order; only the values
    // of `stage` and the top-level `coach` changed, each keeping its comment and spacing.
    let expected = COMMENTED_CASE
        .replacen(
            "stage = \"inkommen\"  # waiting for screening",
            "stage = \"provning\"  # waiting for screening",
            1,
        )
        .replacen("coach = \"erik\"\nunit", "coach = \"sara\"\nunit", 1);
    let mut rest = text.lines();
    for line in expected.lines() {
        assert!(
            rest.any(|l| l == line),
            "line {line:?} was lost, changed or moved:\n{text}"
        );
    }
    assert!(
        text.contains("\nstage = \"provning\"  # waiting for screening\n"),
        "{text}"
    );
    assert!(text.starts_with("# Ärende från Vård och omsorg"), "{text}");
    assert!(text.contains("budget = 12000            # kronor, not a sluss key\n"));
    assert!(text.contains("[extra]\n# free-form notes a team keeps\nowner = \"IT\"\n"));
    assert!(text.contains("# a comment between history entries\n[[history]]\n"));
    assert!(text.contains("minutes = 45  # a long one\n"));

    // And the values are what they should be.
    let case = sb.case("kom12345");
    assert_eq!(case["budget"].as_integer(), Some(12000));
    assert_eq!(case["extra"]["owner"].as_str(), Some("IT"));
    assert_eq!(case["history"][1]["mood"].as_str(), Some("good"));
    assert_eq!(case["stage"].as_str(), Some("provning"));
    assert_eq!(case["coach"].as_str(), Some("sara"));
    let history = case["history"].as_array().unwrap();
    assert_eq!(history.len(), 4);
    assert_eq!(history[2]["to"].as_str(), Some("provning"));
    assert_eq!(history[3]["coach"].as_str(), Some("sara"));
    let sessions = case["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[1]["notes"].as_str(), Some("Uppföljning"));
}

#[test]
fn windows_line_endings_stay_windows_line_endings() {
    let sb = Sandbox::with_team();
    sb.write_case("crlf0001", &COMMENTED_CASE.replace('\n', "\r\n"));
    sb.run(&["session", "crlf", "--minutes", "15"]).success();
    let text = sb.case_text("crlf0001");
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "a bare LF crept in:\n{text:?}"
    );
    assert!(text.contains("minutes = 15\r\n") || text.ends_with("minutes = 15"));
    assert!(text.contains("stage = \"inkommen\"  # waiting for screening\r\n"));
}

// ---------------------------------------------------------------------------------------
// Refused commands change nothing and say what to do

#[test]
fn refused_commands_leave_the_file_byte_identical_and_say_what_to_do() {
    let sb = Sandbox::with_team();
    sb.write_case("kom12345", COMMENTED_CASE);
    // A case that meets no gate, with a comment to lose.
    hand_case(&sb, "gate0001", "inkommen", "open", "# nothing yet\n");

    // (command, exit code, what stderr must say). sluss's own errors end in a `hint:`;
    // clap's usage errors point to --help.
    let refused: &[(&[&str], i32, &str)] = &[
        (&["advance", "kom1", "--bogus"], 2, "try '--help'"),
        (
            &["advance", "kom1", "--to", "nowhere"],
            2,
            "hint: known: inkommen",
        ),
        (&["session", "kom1", "--minutes", "-5"], 2, "try '--help'"),
        (&["session", "kom1", "--minutes", "0"], 2, "try '--help'"),
        (
            &["advance", "nosuchcase"],
            2,
            "hint: `sluss list` shows the case ids",
        ),
        (
            &["session", "nosuchcase", "--minutes", "5"],
            2,
            "hint: `sluss list`",
        ),
        (
            &["advance", "kom1", "--to", "utveckla", "--force"],
            1,
            "hint: say why",
        ),
        (&["advance", "gate"], 1, "hint: meet the requirement"),
        (
            &["advance", "gate", "--to", "testa"],
            1,
            "hint: meet the requirement",
        ),
        (&["assign", "kom1", "nobody"], 2, "hint: known: erik, sara"),
        (&["assign", "kom1", "erik"], 1, "hint: nothing to do"),
        (&["reopen", "kom1"], 1, "hint: nothing to do"),
        (&["close", "kom1", "--outcome", "maybe"], 2, "try '--help'"),
        (
            &["session", "kom1", "--minutes", "5", "--date", "2021-01-01"],
            1,
            "hint: log it on the day",
        ),
        (
            &["show", "kom1", "--format", "csv"],
            2,
            "[possible values: table, json, markdown, html]",
        ),
    ];
    for (args, code, says) in refused {
        let before = [sb.case_text("kom12345"), sb.case_text("gate0001")];
        let out = sb.run(args).failure(*code);
        assert!(
            out.stderr.contains(says),
            "`sluss {}` should say {says:?}:\n{}",
            args.join(" "),
            out.stderr
        );
        assert!(out.stdout.is_empty(), "nothing on stdout: {}", out.stdout);
        let after = [sb.case_text("kom12345"), sb.case_text("gate0001")];
        assert!(before == after, "`sluss {}` changed a file", args.join(" "));
    }
    // No leftovers from a refused write.
    let stray: Vec<String> = fs::read_dir(sb.path("cases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "kom12345.toml" && n != "gate0001.toml")
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

// ---------------------------------------------------------------------------------------
// Concurrent writers

#[test]
fn eight_concurrent_sessions_are_all_kept() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Samtidigt", &["--coach", "erik"]);
    let children: Vec<_> = (1..=8)
        .map(|n| {
            sb.cmd(&[
                "session",
                &id,
                "--minutes",
                &n.to_string(),
                "--notes",
                &format!("Skrivare {n}"),
            ])
            .spawn()
        })
        .collect();
    for child in children {
        wait(child).success();
    }
    let case = sb.case(&id);
    let mut minutes: Vec<i64> = case["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["minutes"].as_integer().unwrap())
        .collect();
    minutes.sort();
    assert_eq!(minutes, (1..=8).collect::<Vec<i64>>());
    // No temporary file is left in cases/.
    assert_eq!(sb.case_ids(), vec![id]);
    let names = fs::read_dir(sb.path("cases")).unwrap().count();
    assert_eq!(names, 1, "a writer left a file behind");
}

#[test]
fn concurrent_writers_of_different_kinds_all_land() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Blandat", &["--coach", "erik", "--need", "Behov"]);
    let commands: Vec<Vec<String>> = vec![
        vec![
            "session".into(),
            id.clone(),
            "--minutes".into(),
            "10".into(),
        ],
        vec!["advance".into(), id.clone()],
        vec![
            "session".into(),
            id.clone(),
            "--minutes".into(),
            "20".into(),
        ],
        vec!["assign".into(), id.clone(), "sara".into()],
        vec![
            "session".into(),
            id.clone(),
            "--minutes".into(),
            "30".into(),
        ],
    ];
    let children: Vec<_> = commands
        .iter()
        .map(|c| {
            let args: Vec<&str> = c.iter().map(String::as_str).collect();
            sb.cmd(&args).spawn()
        })
        .collect();
    for child in children {
        wait(child).success();
    }
    let case = sb.case(&id);
    assert_eq!(case["sessions"].as_array().unwrap().len(), 3);
    assert_eq!(case["history"].as_array().unwrap().len(), 2);
    assert_eq!(case["stage"].as_str(), Some("provning"));
    assert_eq!(case["coach"].as_str(), Some("sara"));
}

// ---------------------------------------------------------------------------------------
// edit

/// Writes an editor script into the sandbox and returns its path. Each run appends a
/// line to `editor-runs` so a test can count how often the editor opened.
fn editor(sb: &Sandbox, body: &str) -> String {
    let path = sb.base().join("editor.sh");
    let runs = sb.base().join("editor-runs");
    fs::write(
        &path,
        format!(
            "#!/bin/sh\nset -e\nfile=\"$1\"\necho run >> '{}'\n{body}\n",
            runs.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }
    path.display().to_string()
}

fn editor_runs(sb: &Sandbox) -> usize {
    fs::read_to_string(sb.base().join("editor-runs"))
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

#[test]
fn edit_saves_a_valid_change() {
    let sb = Sandbox::with_team();
    sb.write_case("kom12345", COMMENTED_CASE);
    let script = editor(
        &sb,
        r#"sed -i 's/^title = .*/title = "Ny titel"   # renamed/' "$file""#,
    );
    sb.cmd(&["edit", "kom1"])
        .env("EDITOR", &script)
        .run()
        .success()
        .stdout_has("Saved case kom12345");
    assert_eq!(editor_runs(&sb), 1);
    let text = sb.case_text("kom12345");
    assert_eq!(
        text,
        COMMENTED_CASE.replace(
            "title = \"Kommentarer överlever\"   # the title",
            "title = \"Ny titel\"   # renamed"
        ),
        "exactly what the editor saved"
    );
}

/// The hint for a broken file says to mend it with `sluss edit`: so edit opens a case
/// that does not parse, and saves it once it does.
#[test]
fn edit_mends_a_broken_case() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    let broken = COMMENTED_CASE.replace(
        "title = \"Kommentarer överlever\"",
        "title = \"Kommentarer överlever",
    );
    sb.write_case("kom12345", &broken);
    sb.run(&["show", "kom1"]).failure(2);
    let script = editor(&sb, r#"sed -i 's/^title = .*/title = "Lagad"/' "$file""#);
    sb.cmd(&["edit", "kom1"])
        .env("EDITOR", &script)
        .run()
        .success()
        .stdout_has("Saved case kom12345");
    sb.run(&["show", "kom1", "--format", "json"])
        .success()
        .stdout_has("\"Lagad\"");
}

#[test]
fn visual_is_preferred_over_editor() {
    let sb = Sandbox::with_team();
    sb.write_case("kom12345", COMMENTED_CASE);
    let script = editor(&sb, r#"sed -i 's/^unit = .*/unit = "Kultur"/' "$file""#);
    sb.cmd(&["edit", "kom1"])
        .env("VISUAL", &script)
        .env("EDITOR", "false")
        .run()
        .success();
    assert_eq!(sb.case("kom12345")["unit"].as_str(), Some("Kultur"));
}

#[test]
fn edit_without_changes_saves_nothing() {
    let sb = Sandbox::with_team();
    sb.write_case("kom12345", COMMENTED_CASE);
    let script = editor(&sb, "true");
    sb.assert_untouched("cases/kom12345.toml", || {
        sb.cmd(&["edit", "kom1"])
            .env("EDITOR", &script)
            .run()
            .success()
            .stdout_has("No changes");
    });
}

#[test]
fn a_broken_edit_reopens_the_editor_with_the_error_on_top() {
    let sb = Sandbox::with_team();
    sb.write_case("kom12345", COMMENTED_CASE);
    // First round: an unknown stage. Second round: the error header is there; keep a
    // copy of it, then fix the stage (leaving the header for sluss to strip).
    let header = sb.base().join("header.txt");
    let script = editor(
        &sb,
        &format!(
            r#"if grep -q '^# sluss: ' "$file"; then
  grep '^# sluss: ' "$file" > '{}'
  sed -i 's/^stage = .*/stage = "provning"  # fixed/' "$file"
else
  sed -i 's/^stage = .*/stage = "nowhere"/' "$file"
fi"#,
            header.display()
        ),
    );
    sb.cmd(&["edit", "kom1"])
        .env("EDITOR", &script)
        .run()
        .success()
        .stderr_has("stage 'nowhere' is not a stage")
        .stderr_has("editor opens again");
    assert_eq!(editor_runs(&sb), 2);
    let header = fs::read_to_string(header).unwrap();
    assert!(
        header.contains("stage 'nowhere' is not a stage in sluss.toml"),
        "{header}"
    );
    let text = sb.case_text("kom12345");
    assert!(
        !text.contains("# sluss: "),
        "the header is not saved:\n{text}"
    );
    // The stage move is recorded in history, as `advance` records it: after the last
    // entry.
    assert_eq!(
        text,
        COMMENTED_CASE
            .replace(
                "stage = \"inkommen\"  # waiting for screening",
                "stage = \"provning\"  # fixed"
            )
            .replace(
                "mood = \"good\"\n",
                &format!(
                    "mood = \"good\"\n\n[[history]]\nat = {NOW}\nby = \"erik\"\nfrom = \"inkommen\"\nto = \"provning\"\n"
                )
            )
    );
}

#[test]
fn a_toml_syntax_error_in_edit_names_line_and_column() {
    let sb = Sandbox::with_team();
    sb.write_case("kom12345", COMMENTED_CASE);
    let header = sb.base().join("header.txt");
    let script = editor(
        &sb,
        &format!(
            r#"if grep -q '^# sluss: ' "$file"; then
  grep '^# sluss: ' "$file" > '{}'
  sed -i 's/^status = open$/status = "open"/' "$file"
else
  sed -i 's/^status = .*/status = open/' "$file"
fi"#,
            header.display()
        ),
    );
    sb.cmd(&["edit", "kom1"])
        .env("EDITOR", &script)
        .run()
        .success();
    let header = fs::read_to_string(header).unwrap();
    assert!(header.contains("kom12345.toml:7:10"), "{header}");
    assert!(header.contains("status = open"), "{header}");
    // Fixed back to the original: nothing to save.
    assert_eq!(sb.case_text("kom12345"), COMMENTED_CASE);
}

#[test]
fn saving_a_broken_edit_unchanged_gives_up_and_keeps_the_case() {
    let sb = Sandbox::with_team();
    sb.write_case("kom12345", COMMENTED_CASE);
    let script = editor(
        &sb,
        r#"if ! grep -q '^# sluss: ' "$file"; then
  sed -i 's/^status = .*/status = "closed"/' "$file"
fi"#,
    );
    sb.assert_untouched("cases/kom12345.toml", || {
        sb.cmd(&["edit", "kom1"])
            .env("EDITOR", &script)
            .run()
            .fails()
            .stderr_has("a closed case needs an outcome")
            .stderr_has("unchanged")
            .hint_has("edited copy");
    });
    assert_eq!(editor_runs(&sb), 2);
}

#[test]
fn edit_refuses_a_changed_id() {
    let sb = Sandbox::with_team();
    sb.write_case("kom12345", COMMENTED_CASE);
    let script = editor(
        &sb,
        r#"if ! grep -q '^# sluss: ' "$file"; then
  sed -i 's/^id = .*/id = "annat"/' "$file"
fi"#,
    );
    sb.assert_untouched("cases/kom12345.toml", || {
        sb.cmd(&["edit", "kom1"])
            .env("EDITOR", &script)
            .run()
            .fails()
            .stderr_has("ids never change");
    });
}

#[test]
fn a_failing_editor_changes_nothing() {
    let sb = Sandbox::with_team();
    sb.write_case("kom12345", COMMENTED_CASE);
    let script = editor(&sb, r#"sed -i 's/^unit = .*/unit = "X"/' "$file"; exit 3"#);
    sb.assert_untouched("cases/kom12345.toml", || {
        sb.cmd(&["edit", "kom1"])
            .env("EDITOR", &script)
            .run()
            .fails()
            .stderr_has("failed");
    });
}
