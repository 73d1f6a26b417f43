//! Honest history: `edit` records (or refuses) a change of stage, status, outcome or
//! coach as the matching command would; `--force` past an unmet gate is recorded as
//! `forced = true` and shown in `show`, `log` and the summary's attention part; `assign`
//! takes a note and can unassign; coaches who leave are marked inactive.

use std::fs;

use crate::common::{Sandbox, USER};

/// A scripted editor: `body` runs with `$file` the copy, and `$n` how many times the
/// editor has run before in this test (0 the first time).
fn editor(sb: &Sandbox, body: &str) -> String {
    let path = sb.base().join("audit-editor.sh");
    let runs = sb.base().join("audit-editor-runs");
    fs::write(
        &path,
        format!(
            "#!/bin/sh\nset -e\nfile=\"$1\"\nn=$(cat '{runs}' 2>/dev/null | wc -l)\necho run >> '{runs}'\n{body}\n",
            runs = runs.display()
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

fn history(sb: &Sandbox, id: &str) -> Vec<toml::Table> {
    sb.case(id)["history"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e.as_table().unwrap().clone())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
}

/// The keys and values of a history entry other than when it happened.
fn shape(entry: &toml::Table) -> Vec<(String, String)> {
    entry
        .iter()
        .filter(|(k, _)| k.as_str() != "at")
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect()
}

fn sed(expr: &str) -> String {
    format!("sed -i '{expr}' \"$file\"")
}

/// As [`sed`], on the case's own fields only (before its first table), so that history
/// entries with the same keys are left alone.
fn sed_top(expr: &str) -> String {
    sed(&format!("1,/^\\[/{{{expr}}}"))
}

// edit

#[test]
fn edit_records_a_stage_move_exactly_as_advance_does() {
    let sb = Sandbox::with_team();
    let edited = sb.new_case("Idé", &["--coach", "erik"]);
    let advanced = sb.new_case("Idé", &["--coach", "erik"]);
    let script = editor(&sb, &sed(r#"s/^stage = "inkommen"/stage = "provning"/"#));
    sb.cmd(&["edit", &edited])
        .env("EDITOR", &script)
        .run()
        .success()
        .stdout_has(&format!("Saved case {edited}"))
        .stdout_has("Recorded in history: Inkommen → Prövning");
    sb.run(&["advance", &advanced]).success();
    let (a, b) = (history(&sb, &edited), history(&sb, &advanced));
    assert_eq!(a.len(), 1);
    assert_eq!(shape(&a[0]), shape(&b[0]));
    assert_eq!(a[0]["by"].as_str(), Some(USER));
    assert_eq!(sb.case(&edited)["stage"].as_str(), Some("provning"));
    sb.run(&["check"]).success();
}

#[test]
fn edit_refuses_a_move_past_an_unmet_gate_and_names_the_command() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Idé", &[]);
    let rel = Sandbox::case_rel(&id);
    // The editor changes the stage each time; the second time the copy is as it was,
    // which gives up.
    let script = editor(&sb, &sed(r#"s/^stage = "inkommen"/stage = "provning"/"#));
    sb.assert_untouched(&rel, || {
        sb.cmd(&["edit", &id])
            .env("EDITOR", &script)
            .run()
            .failure(1)
            .stderr_has("gate for entering Prövning is not met")
            .stderr_has(&format!(
                "sluss advance {id} --to provning --note TEXT --force"
            ));
    });
    let runs = fs::read_to_string(sb.base().join("audit-editor-runs")).unwrap();
    assert_eq!(runs.lines().count(), 2, "the editor opened again");
}

/// The "keep editing" loop: the second time, the coach the gate asks for is given too,
/// and both changes are recorded, the coach first.
#[test]
fn edit_keeps_editing_until_the_gate_is_met_then_records_both() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Idé", &[]);
    let script = editor(
        &sb,
        &format!(
            "{}\nif [ \"$n\" = 1 ]; then grep -q '^# sluss: .*Prövning' \"$file\"; {}; fi",
            sed(r#"s/^stage = "inkommen"/stage = "provning"/"#),
            sed(r#"s/^stage = "provning"/stage = "provning"\ncoach = "sara"/"#)
        ),
    );
    sb.cmd(&["edit", &id])
        .env("EDITOR", &script)
        .run()
        .success()
        .stderr_has("The editor opens again")
        .stdout_has("Recorded in history: coach none → sara")
        .stdout_has("Recorded in history: Inkommen → Prövning");
    let h = history(&sb, &id);
    assert_eq!(h.len(), 2);
    assert_eq!(h[0]["coach"].as_str(), Some("sara"));
    assert_eq!(h[0]["previous_coach"].as_str(), Some(""));
    assert_eq!(h[1]["to"].as_str(), Some("provning"));
    assert!(!sb.case_text(&id).contains("# sluss:"));
    sb.run(&["check"]).success();
}

#[test]
fn edit_records_closing_and_reassigning_as_close_and_assign_do() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Idé", &["--coach", "erik"]);
    let twin = sb.new_case("Idé", &["--coach", "erik"]);
    let script = editor(
        &sb,
        &format!(
            "{}\n{}",
            sed(r#"s/^status = "open"/status = "closed"\noutcome = "stopped"/"#),
            sed(r#"s/^coach = "erik"/coach = "sara"/"#)
        ),
    );
    sb.cmd(&["edit", &id])
        .env("EDITOR", &script)
        .run()
        .success()
        .stdout_has("Recorded in history: coach erik → sara")
        .stdout_has("Recorded in history: open → closed (stopped)");
    sb.run(&["assign", &twin, "sara"]).success();
    sb.run(&["close", &twin, "--outcome", "stopped"]).success();
    let (a, b) = (history(&sb, &id), history(&sb, &twin));
    assert_eq!(
        a.iter().map(shape).collect::<Vec<_>>(),
        b.iter().map(shape).collect::<Vec<_>>()
    );
    sb.run(&["check"]).success();

    // Reopened in the editor: recorded as reopen.
    let script = editor(
        &sb,
        &format!(
            "{}\n{}",
            sed_top(r#"s/^status = "closed"/status = "open"/"#),
            sed_top("/^outcome = /d")
        ),
    );
    sb.cmd(&["edit", &id])
        .env("EDITOR", &script)
        .run()
        .success()
        .stdout_has("Recorded in history: closed → open");
    sb.run(&["check"]).success();
}

#[test]
fn edit_refuses_parking_a_move_back_and_a_changed_outcome_with_the_command() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Idé", &["--coach", "erik"]);
    let rel = Sandbox::case_rel(&id);
    let park = editor(&sb, &sed(r#"s/^status = "open"/status = "parked"/"#));
    sb.assert_untouched(&rel, || {
        sb.cmd(&["edit", &id])
            .env("EDITOR", &park)
            .run()
            .failure(1)
            .stderr_has(&format!("sluss park {id} --note TEXT"));
    });

    // A refused edit keeps its copy; start afresh.
    fs::remove_dir_all(sb.path(".sluss/edit")).unwrap();
    sb.run(&["advance", &id]).success();
    let back = editor(&sb, &sed(r#"s/^stage = "provning"/stage = "inkommen"/"#));
    sb.assert_untouched(&rel, || {
        sb.cmd(&["edit", &id])
            .env("EDITOR", &back)
            .run()
            .failure(1)
            .stderr_has("needs a reason")
            .stderr_has(&format!("sluss advance {id} --to inkommen --note TEXT"));
    });

    fs::remove_dir_all(sb.path(".sluss/edit")).unwrap();
    sb.run(&["close", &id, "--outcome", "stopped"]).success();
    let outcome = editor(
        &sb,
        &sed_top(r#"s/^outcome = "stopped"/outcome = "duplicate"/"#),
    );
    sb.assert_untouched(&rel, || {
        sb.cmd(&["edit", &id])
            .env("EDITOR", &outcome)
            .run()
            .failure(1)
            .stderr_has(&format!("sluss reopen {id}"))
            .stderr_has(&format!("sluss close {id} --outcome duplicate"));
    });
}

/// A program given or taken away in the editor is recorded as `program join` and
/// `program leave` record it (and `set --program`).
#[test]
fn edit_records_a_program_change_as_program_join_and_leave_do() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Idé", &[]);
    let twin = sb.new_case("Idé", &[]);
    let join = editor(
        &sb,
        &sed_top(r#"s/^unit = \(.*\)/unit = \1\nprogram = "ip2018"/"#),
    );
    sb.cmd(&["edit", &id])
        .env("EDITOR", &join)
        .run()
        .success()
        .stdout_has("Recorded in history: joined program ip2018");
    sb.run(&["program", "join", &twin, "ip2018"]).success();
    let (a, b) = (history(&sb, &id), history(&sb, &twin));
    assert_eq!(a.len(), 1);
    assert_eq!(shape(&a[0]), shape(&b[0]));
    sb.run(&["check"]).success();

    fs::remove_file(sb.base().join("audit-editor-runs")).unwrap();
    let leave = editor(&sb, &sed_top("/^program = /d"));
    sb.cmd(&["edit", &id])
        .env("EDITOR", &leave)
        .run()
        .success()
        .stdout_has("Recorded in history: left program ip2018");
    sb.run(&["program", "leave", &twin]).success();
    let (a, b) = (history(&sb, &id), history(&sb, &twin));
    assert_eq!(a.len(), 2);
    assert_eq!(shape(&a[1]), shape(&b[1]));
    sb.run(&["check"]).success();
}

/// An empty coach points to `unassign`; a misspelt one gets a did-you-mean; the key
/// is asked for when the coach is written by name.
#[test]
fn edit_with_an_empty_or_misspelt_coach_says_what_to_write() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Idé", &["--coach", "erik"]);
    let rel = Sandbox::case_rel(&id);
    for (coach, says) in [
        ("", format!("sluss unassign {id} --note TEXT")),
        ("eirk", "did you mean 'erik'?".to_string()),
        ("Erik Lind", "write its key: coach = \"erik\"".to_string()),
    ] {
        let _ = fs::remove_dir_all(sb.path(".sluss/edit"));
        let script = editor(
            &sb,
            &sed_top(&format!(r#"s/^coach = "erik"/coach = "{coach}"/"#)),
        );
        sb.assert_untouched(&rel, || {
            sb.cmd(&["edit", &id])
                .env("EDITOR", &script)
                .run()
                .failure(1)
                .stderr_has(&says);
        });
    }
}

/// A unit outside a non-empty register and a tag spelled twice are refused in the
/// editor as `check` flags them; `new` keeps one spelling of a tag.
#[test]
fn edit_refuses_a_unit_outside_the_register_and_a_tag_twice_as_check_does() {
    let sb = Sandbox::with_team();
    sb.run(&["unit", "add", "vard", "--name", "Vård och omsorg"])
        .success();
    let id = sb.new_case("Idé", &["--tag", "pilot", "--tag", "Pilot"]);
    assert_eq!(sb.case(&id)["tags"].as_array().unwrap().len(), 1);
    let rel = Sandbox::case_rel(&id);
    let script = editor(
        &sb,
        &sed_top(
            r#"s/^unit = .*/unit = "Vård och omsor"/;s/^tags = .*/tags = ["pilot", "Pilot"]/"#,
        ),
    );
    sb.assert_untouched(&rel, || {
        sb.cmd(&["edit", &id])
            .env("EDITOR", &script)
            .run()
            .failure(1)
            .stderr_has("unit 'Vård och omsor' is not in the units register of sluss.toml")
            .stderr_has("did you mean 'Vård och omsorg'?")
            .stderr_has("tag 'Pilot' is the same word as 'pilot' (keep one spelling");
    });
    // The same file, saved by hand, is flagged by check.
    let kept = fs::read_to_string(sb.path(&format!(".sluss/edit/{id}.toml"))).unwrap();
    let body: String = kept
        .lines()
        .filter(|l| !l.starts_with("# sluss: "))
        .map(|l| format!("{l}\n"))
        .collect();
    sb.write(&rel, &body);
    sb.run(&["check"])
        .failure(1)
        .stdout_has("unit 'Vård och omsor' is not in the units register")
        .stdout_has("tag 'Pilot' is the same word as 'pilot'")
        .stdout_has("hint: keep one spelling, e.g. 'pilot'");
}

#[test]
fn edit_to_a_coach_who_has_left_is_refused() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Idé", &["--coach", "erik"]);
    sb.run(&["coach", "retire", "sara"]).success();
    let script = editor(&sb, &sed(r#"s/^coach = "erik"/coach = "sara"/"#));
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.cmd(&["edit", &id])
            .env("EDITOR", &script)
            .run()
            .failure(1)
            .stderr_has("has left")
            .stderr_has("erik (Erik Lind)");
    });
}

#[test]
fn edit_commit_commits_the_case_with_what_was_recorded() {
    let sb = Sandbox::empty();
    sb.git(&["init", "--quiet", "--initial-branch=main"]);
    sb.git(&["config", "user.name", "Erik Lind"]);
    sb.git(&["config", "user.email", "erik@example.org"]);
    sb.run(&["init"]).success();
    sb.run(&["coach", "add", "erik", "--name", "Erik Lind"])
        .success();
    let id = sb.new_case("Idé", &["--coach", "erik"]);
    sb.git(&["add", "--all"]);
    sb.git(&["commit", "--quiet", "--message", "start"]);
    let script = editor(&sb, &sed(r#"s/^stage = "inkommen"/stage = "provning"/"#));
    sb.cmd(&["edit", &id, "--commit"])
        .env("EDITOR", &script)
        .run()
        .success();
    let subject = sb
        .git_outcome(&["log", "-1", "--format=%s"])
        .success()
        .stdout;
    assert_eq!(
        subject.trim(),
        format!("{}: edited; Inkommen → Prövning", &id[..4])
    );
    let files = sb
        .git_outcome(&["show", "--name-only", "--format=", "HEAD"])
        .success()
        .stdout;
    assert_eq!(files.trim(), Sandbox::case_rel(&id));
}

/// History is append-only: the editor may not take `forced = true` away, reword a
/// note, change who did it or remove an entry; appending one by hand stays allowed.
#[test]
fn edit_refuses_to_change_or_remove_history_entries() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Idé", &[]);
    sb.run(&["advance", &id, "--force", "--note", "chefen vill"])
        .success();
    let rel = Sandbox::case_rel(&id);
    let rewrite = editor(
        &sb,
        &format!(
            "{}\n{}",
            sed("/^forced = true/d"),
            sed(r#"s/^note = "chefen vill"/note = "gate ok"/"#)
        ),
    );
    sb.assert_untouched(&rel, || {
        sb.cmd(&["edit", &id])
            .env("EDITOR", &rewrite)
            .run()
            .failure(1)
            .stderr_has("history entry 1 (")
            .stderr_has("was changed in the editor (note, forced)")
            .stderr_has("history is append-only")
            .stderr_has("undo that change in the editor");
    });
    let kept = fs::read_to_string(sb.path(&format!(".sluss/edit/{id}.toml"))).unwrap();
    assert!(kept.starts_with("# sluss: "), "{kept}");

    for (expr, says) in [
        (r#"s/^by = "erik"/by = "sara"/"#.to_string(), "(by)"),
        (
            "/^\\[\\[history\\]\\]/,$d".to_string(),
            "was removed in the editor",
        ),
    ] {
        fs::remove_dir_all(sb.path(".sluss/edit")).unwrap();
        fs::remove_file(sb.base().join("audit-editor-runs")).unwrap();
        let script = editor(&sb, &sed(&expr));
        sb.assert_untouched(&rel, || {
            sb.cmd(&["edit", &id])
                .env("EDITOR", &script)
                .run()
                .failure(1)
                .stderr_has(says);
        });
    }

    // An entry appended by hand is still saved.
    fs::remove_dir_all(sb.path(".sluss/edit")).unwrap();
    let append = editor(
        &sb,
        "printf '\\n[[history]]\\nat = 2026-01-02T10:00:00+01:00\\nby = \"sara\"\\nnote = \"Ringde\"\\n' >> \"$file\"",
    );
    sb.cmd(&["edit", &id])
        .env("EDITOR", &append)
        .run()
        .success()
        .stdout_has(&format!("Saved case {id}"));
    assert_eq!(history(&sb, &id).len(), 2);
}

// forced gates

#[test]
fn force_past_an_unmet_gate_is_recorded_as_forced_and_only_then() {
    let sb = Sandbox::with_team();
    let forced = sb.new_case("Idé", &[]);
    sb.run(&[
        "advance",
        &forced,
        "--force",
        "--note",
        "Coach utses nästa vecka",
    ])
    .success();
    let h = history(&sb, &forced);
    assert_eq!(h[0]["forced"].as_bool(), Some(true));
    assert!(sb.case_text(&forced).contains("forced = true"));

    // --force on a gate that is met is no override.
    let met = sb.new_case("Idé", &["--coach", "erik"]);
    sb.run(&["advance", &met, "--force", "--note", "För säkerhets skull"])
        .success();
    assert!(history(&sb, &met)[0].get("forced").is_none());
    sb.run(&["check"]).success();
}

#[test]
fn new_with_force_past_the_first_gate_is_forced() {
    let sb = Sandbox::with_team();
    let settings = sb.read("sluss.toml").replacen(
        "name = \"Inkommen\"",
        "name = \"Inkommen\"\n[stages.gate]\ncoach = true",
        1,
    );
    sb.write("sluss.toml", &settings);
    let id = sb.new_case("Idé", &["--force", "--note", "Ingen coach ledig"]);
    assert_eq!(history(&sb, &id)[0]["forced"].as_bool(), Some(true));
    let met = sb.new_case(
        "Idé",
        &["--coach", "erik", "--force", "--note", "Inget att forcera"],
    );
    assert!(history(&sb, &met)[0].get("forced").is_none());
}

/// `forced = true` belongs on a stage move (or the note-only first entry of `new
/// --force`), with a note: `check` flags it anywhere else, or without a note.
#[test]
fn check_flags_forced_on_an_entry_that_is_no_move_or_has_no_note() {
    let sb = Sandbox::with_team();
    let born = sb.new_case("Idé", &["--force", "--note", "Ingen coach ledig"]);
    let moved = sb.new_case("Idé", &[]);
    sb.run(&["advance", &moved, "--force", "--note", "Brådskande"])
        .success();
    sb.run(&["check"]).success();

    let text = sb.case_text(&moved);
    let bare = text.replace("note = \"Brådskande\"\n", "");
    assert_ne!(bare, text);
    sb.write_case(&moved, &bare);
    sb.write_case(
        &born,
        &format!(
            "{}\n[[history]]\nat = 2020-06-30T13:00:00+02:00\nby = \"erik\"\ncoach = \"erik\"\nprevious_coach = \"\"\nnote = \"x\"\nforced = true\n",
            sb.case_text(&born).replace("coach = \"erik\"\n", "")
        ),
    );
    let out = sb.run(&["check"]).failure(1);
    let rel_born = Sandbox::case_rel(&born);
    let rel_moved = Sandbox::case_rel(&moved);
    let line_of = |rel: &str, needle: &str| {
        out.stdout
            .lines()
            .find(|l| l.starts_with(rel) && l.contains(needle))
            .unwrap_or_else(|| panic!("no '{needle}' for {rel} in:\n{}", out.stdout))
            .to_string()
    };
    line_of(
        &rel_born,
        "forced = true is on an entry that is not a stage move",
    );
    line_of(&rel_moved, "this forced move has no note");
    out.stdout_has("hint: only a move past a gate")
        .stdout_has("write it in this entry, note = ");
}

#[test]
fn show_and_log_mark_forced_entries() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Idé", &[]);
    sb.run(&["advance", &id, "--force", "--note", "Brådskande"])
        .success();
    sb.run(&["show", &id])
        .success()
        .stdout_has("forced past the gate");
    sb.run(&["log", &id])
        .success()
        .stdout_has("forced past the gate");
    sb.run(&["log", &id, "--format", "markdown", "--lang", "sv"])
        .success()
        .stdout_has("forcerad förbi grinden");
    let log = sb.run(&["log", &id, "--format", "json"]).success().json();
    let entries = log.as_array().unwrap();
    assert_eq!(entries.last().unwrap()["forced"], true);
}

#[test]
fn summary_lists_forced_moves_for_audit_in_every_format() {
    let sb = Sandbox::with_team();
    let id = sb.new_case_on("2020-05-01", "Digital matsedel", &[]);
    sb.run_on(
        "2020-05-02",
        &["advance", &id, "--force", "--note", "Brådskande"],
    )
    .success();
    let _plain = sb.new_case("Läxhjälp", &["--coach", "erik"]);
    let json = sb.run(&["summary", "--format", "json"]).success().json();
    let forced = json["attention"]["forced"].as_array().unwrap();
    assert_eq!(forced.len(), 1);
    assert_eq!(forced[0]["id"], id.as_str());
    assert_eq!(forced[0]["stage"], "provning");
    assert_eq!(forced[0]["from"], "inkommen");
    assert_eq!(forced[0]["by"], USER);
    assert_eq!(forced[0]["note"], "Brådskande");

    sb.run(&["summary"])
        .success()
        .stdout_has("Moves forced past a gate")
        .stdout_has("Brådskande");
    sb.run(&["summary", "--format", "markdown"])
        .success()
        .stdout_has("Moves forced past a gate")
        .stdout_has(&id);
    sb.run(&["summary", "--format", "html"])
        .success()
        .stdout_has("Moves forced past a gate")
        .stdout_has("Brådskande");
    sb.cmd(&["summary", "--format", "markdown"])
        .env("SLUSS_LANG", "sv")
        .run()
        .success()
        .stdout_has("Flyttar förbi en grind");
    sb.run(&["summary", "--format", "csv"])
        .success()
        .stdout_has(&format!("attention,forced,{id}#1,note,Brådskande"));

    // Outside the window, it is not listed.
    let json = sb
        .run(&["summary", "--format", "json", "--since", "2020-06-15"])
        .success()
        .json();
    assert_eq!(json["attention"]["forced"], serde_json::json!([]));
    sb.run(&["summary", "--since", "2020-06-15"])
        .success()
        .stdout_has("Moves forced past a gate that was not met, ");
}

/// Gives every case file the time an hour ago (bytes unchanged), so that the cache
/// takes them (files changed in the last moments are never cached).
fn age_case_files(sb: &Sandbox) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in fs::read_dir(sb.path("cases")).unwrap() {
        let file = fs::File::options()
            .write(true)
            .open(entry.unwrap().path())
            .unwrap();
        file.set_modified(then).unwrap();
    }
}

/// The cache keeps no notes; the forced-move list must still show each move's note once
/// the cache is warm, in the report and the published report alike.
#[test]
fn summary_keeps_the_note_of_a_forced_move_with_a_warm_cache() {
    let sb = Sandbox::with_team();
    let id = sb.new_case_on("2020-05-01", "Digital matsedel", &[]);
    sb.run_on(
        "2020-05-02",
        &["advance", &id, "--force", "--note", "Chefen beslutade"],
    )
    .success();
    let _plain = sb.new_case("Läxhjälp", &["--coach", "erik"]);
    age_case_files(&sb);
    let without = sb
        .cmd(&["summary", "--format", "json"])
        .env("SLUSS_NO_CACHE", "1")
        .run()
        .success()
        .stdout;
    for public in [false, true] {
        let args: &[&str] = if public {
            &["summary", "--format", "json", "--public"]
        } else {
            &["summary", "--format", "json"]
        };
        // The first run fills the cache, the next ones read from it.
        for _ in 0..3 {
            let json = sb.run(args).success().json();
            assert_eq!(json["attention"]["forced"][0]["note"], "Chefen beslutade");
        }
    }
    assert!(sb.path(".sluss/cache").exists(), "the cache was not used");
    assert_eq!(
        sb.run(&["summary", "--format", "json"]).success().stdout,
        without
    );
    sb.run(&["summary", "--format", "csv"])
        .success()
        .stdout_has(&format!("attention,forced,{id}#1,note,Chefen beslutade"));
}

// assign, unassign, coaches who leave

#[test]
fn assign_records_a_note_and_takes_a_coach_by_name() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Idé", &["--coach", "erik"]);
    sb.run(&[
        "assign",
        &id,
        "Sara Berg",
        "--note",
        "Erik är föräldraledig",
    ])
    .success()
    .stdout_has("coach erik → sara");
    let h = history(&sb, &id);
    assert_eq!(h[0]["coach"].as_str(), Some("sara"));
    assert_eq!(h[0]["note"].as_str(), Some("Erik är föräldraledig"));
}

#[test]
fn a_case_is_unassigned_and_history_says_so() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Idé", &["--coach", "erik"]);
    sb.run(&["assign", &id, "--none", "--note", "Väntar på ny coach"])
        .success()
        .stdout_has("coach erik → none");
    assert!(sb.case(&id).get("coach").is_none());
    let h = history(&sb, &id);
    assert_eq!(h[0]["coach"].as_str(), Some(""));
    assert_eq!(h[0]["previous_coach"].as_str(), Some("erik"));
    assert_eq!(h[0]["note"].as_str(), Some("Väntar på ny coach"));
    sb.run(&["check"]).success();
    sb.run(&["log", &id])
        .success()
        .stdout_has("coach erik → none");

    // Nothing to take: refused with a hint, the file unchanged.
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run(&["unassign", &id])
            .failure(1)
            .stderr_has("has no coach")
            .hint_has(&format!("sluss assign {id} COACH"));
    });
    sb.run(&["assign", &id, "sara"]).success();
    sb.run(&["unassign", &id]).success();
    assert!(sb.case(&id).get("coach").is_none());
    sb.run(&["check"]).success();
}

#[test]
fn a_coach_who_leaves_is_kept_in_history_and_refused_new_work() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Idé", &["--coach", "sara"]);
    sb.run(&["session", &id, "--minutes", "30", "--coach", "sara"])
        .success();
    let before = sb.read("sluss.toml");
    sb.run(&["coach", "retire", "sara"])
        .success()
        .stdout_has("Retired coach sara");
    let after = sb.read("sluss.toml");
    assert!(after.contains("active = false"));
    // Edited in place: every line that was there is still there.
    for line in before.lines() {
        assert!(after.contains(line), "lost: {line}");
    }
    sb.run(&["coach", "list"]).success().stdout_has("inactive");
    let list = sb
        .run(&["coach", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(list[1]["active"], false);

    let other = sb.new_case("Idé", &["--coach", "erik"]);
    sb.assert_untouched(&Sandbox::case_rel(&other), || {
        sb.run(&["assign", &other, "sara"])
            .failure(1)
            .stderr_has("has left")
            .hint_has("erik (Erik Lind)");
        sb.run(&["session", &other, "--minutes", "30", "--coach", "sara"])
            .failure(1)
            .hint_has("erik (Erik Lind)");
    });
    let cases = sb.case_ids().len();
    sb.run(&[
        "new",
        "Ny",
        "--submitter",
        "Anna",
        "--unit",
        "Skola",
        "--coach",
        "sara",
    ])
    .failure(1)
    .stderr_has("has left");
    assert_eq!(sb.case_ids().len(), cases);
    // History and reports keep the coach's name.
    sb.run(&["show", &id]).success().stdout_has("sara");
    let json = sb.run(&["summary", "--format", "json"]).success().json();
    assert!(json["coaching"]["by_coach"].to_string().contains("sara"));
    sb.run(&["check"]).success();

    sb.run(&["coach", "activate", "sara"])
        .success()
        .stdout_has("Activated coach sara");
    assert_eq!(sb.read("sluss.toml"), before);
    sb.run(&["assign", &other, "sara"]).success();
}

/// An unassignment stays one in output that leaves the team: `coach = ""` is no key, so
/// it is not given a pseudonym.
#[test]
fn a_redacted_export_keeps_an_unassignment_as_one() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Idé", &["--coach", "erik"]);
    sb.run(&["unassign", &id]).success();
    let out = sb.run(&["export", "--redact"]).success().json();
    let case = out
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id.as_str())
        .unwrap();
    let entry = &case["history"][0];
    assert_eq!(entry["coach"], "");
    assert!(
        entry["previous_coach"]
            .as_str()
            .unwrap()
            .starts_with("coach-")
    );
}

/// Published, the one who forced a move is a pseudonym like any coach.
#[test]
fn the_public_summary_names_who_forced_by_pseudonym() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Idé", &[]);
    sb.run(&["advance", &id, "--force", "--note", "Brådskande"])
        .success();
    let json = sb
        .run(&["summary", "--public", "--format", "json"])
        .success()
        .json();
    let forced = &json["attention"]["forced"][0];
    assert_eq!(forced["id"], id.as_str());
    assert!(
        forced["by"].as_str().unwrap().starts_with("coach-"),
        "{forced}"
    );
    let md = sb
        .run(&["summary", "--public", "--format", "markdown"])
        .success()
        .stdout;
    assert!(!md.contains("Erik Lind"), "{md}");
}

/// Retiring a coach who still has cases not closed retires them, but lists those cases
/// with the command to reassign them; `check` warns about each such case.
#[test]
fn retiring_a_coach_with_open_cases_lists_them_and_check_warns() {
    let sb = Sandbox::with_team();
    let open = sb.new_case("Matsedel", &["--coach", "erik"]);
    let parked = sb.new_case("Cykelpool", &["--coach", "erik"]);
    sb.run(&["park", &parked, "--note", "Väntar på budget"])
        .success();
    let closed = sb.new_case("Språkcafé", &["--coach", "erik"]);
    sb.run(&["close", &closed, "--outcome", "stopped"])
        .success();
    let other = sb.new_case("Läxhjälp", &["--coach", "sara"]);
    let out = sb
        .run(&["coach", "retire", "erik"])
        .success()
        .stdout_has("Retired coach erik")
        .stderr_has("warning: coach erik has left but still has 2 case(s) not closed")
        .stderr_has(&open)
        .stderr_has(&parked)
        .stderr_has("sluss assign ");
    assert!(!out.stderr.contains(&closed), "{}", out.stderr);
    assert!(!out.stderr.contains(&other), "{}", out.stderr);
    assert!(sb.read("sluss.toml").contains("active = false"));

    let out = sb
        .run(&["check"])
        .success()
        .stdout_has("coach 'erik' has left (active = false in sluss.toml) but the case is open")
        .stdout_has("but the case is parked")
        .stdout_has(&format!(
            "hint: give it another coach: `sluss assign {open} COACH"
        ));
    let rel_closed = Sandbox::case_rel(&closed);
    assert!(
        !out.stdout.lines().any(|l| l.starts_with(&rel_closed)),
        "{}",
        out.stdout
    );

    // Sara has no open case: no warning.
    sb.run(&["close", &other, "--outcome", "stopped"]).success();
    let out = sb.run(&["coach", "retire", "sara"]).success();
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
}
