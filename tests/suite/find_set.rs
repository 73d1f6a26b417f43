//! Finding cases (`list`'s filters, search, sort, `--all`, `--mine`) and changing them
//! without an editor (`set`/`modify`, one case or every case a filter matches).

use crate::common::Sandbox;

/// Registers a case with `sluss new` (coach erik unless `extra` names one), returning
/// its id.
fn new(sb: &Sandbox, title: &str, unit: &str, extra: &[&str]) -> String {
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
    let out = sb.run(&args).success();
    out.json()["id"].as_str().unwrap().to_string()
}

/// A team with four cases: `a` (erik, Vård och omsorg, tags välfärd), `b` (sara, Skola,
/// digitalisering, moved on to provning), `c` (sara, skola, parked) and `d` (erik,
/// closed).
struct Four {
    sb: Sandbox,
    a: String,
    b: String,
    c: String,
    d: String,
}

fn four() -> Four {
    let sb = Sandbox::with_team();
    let a = new(
        &sb,
        "Digital matsedel",
        "Vård och omsorg",
        &[
            "--coach",
            "erik",
            "--tag",
            "välfärd",
            "--need",
            "Äldre vet inte vad det blir för mat",
        ],
    );
    let b = new(
        &sb,
        "Läxhjälp på nätet",
        "Skola",
        &["--coach", "sara", "--tag", "digitalisering"],
    );
    sb.run(&["advance", &b]).success();
    let c = new(&sb, "Skolskjuts i realtid", "skola", &["--coach", "sara"]);
    sb.run(&["park", &c, "--note", "väntar på budget"])
        .success();
    let d = new(
        &sb,
        "Nyckelfri hemtjänst",
        "Vård och omsorg",
        &["--coach", "erik"],
    );
    sb.run(&["close", &d, "--outcome", "stopped"]).success();
    sb.run(&[
        "session",
        &a,
        "--minutes",
        "30",
        "--notes",
        "Kökspersonalen vill ha en skärm i matsalen",
    ])
    .success();
    Four { sb, a, b, c, d }
}

/// The ids `list ARGS --sort id --format json` gives.
fn ids(sb: &Sandbox, args: &[&str]) -> Vec<String> {
    let mut all = vec!["list"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = sb.run(&all).success();
    out.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

fn sorted(mut ids: Vec<&String>) -> Vec<String> {
    ids.sort();
    ids.into_iter().cloned().collect()
}

#[test]
fn list_refuses_an_unknown_name_in_any_filter_with_did_you_mean() {
    let f = four();
    for (flag, word, suggestion) in [
        ("--stage", "provnig", "provning"),
        ("--coach", "sarah", "sara"),
        ("--program", "ip2081", "ip2018"),
        ("--tag", "digitaliserng", "digitalisering"),
        ("--unit", "Skolan", "Skola"),
        ("--status", "parkd", "parked"),
    ] {
        f.sb.run(&["list", flag, word])
            .failure(2)
            .stderr_has(&format!("'{word}'"))
            .hint_has(&format!("did you mean '{suggestion}'"));
    }
    // A name that is known but matches nothing is an empty list, not an error.
    f.sb.run(&["list", "--stage", "infora"])
        .success()
        .stdout_has("0 case(s)");
}

#[test]
fn list_matches_names_folded_and_filters_repeat_or_take_commas() {
    let f = four();
    // A stage by key, by display name, with Swedish letters or without.
    for word in ["provning", "Prövning", "PRÖVNING", "provning "] {
        assert_eq!(ids(&f.sb, &["--stage", word]), vec![f.b.clone()], "{word}");
    }
    // A coach by name, a unit written two ways in the cases, a tag in capitals.
    assert_eq!(
        ids(&f.sb, &["--coach", "Sara Berg", "--sort", "id"]),
        sorted(vec![&f.b, &f.c])
    );
    assert_eq!(
        ids(&f.sb, &["--unit", "SKOLA", "--sort", "id"]),
        sorted(vec![&f.b, &f.c])
    );
    assert_eq!(ids(&f.sb, &["--tag", "Välfärd"]), vec![f.a.clone()]);
    // OR within a filter (commas or repeats), AND across filters.
    assert_eq!(
        ids(
            &f.sb,
            &[
                "--stage",
                "inkommen,provning",
                "--coach",
                "sara",
                "--sort",
                "id"
            ]
        ),
        sorted(vec![&f.b, &f.c])
    );
    assert_eq!(
        ids(
            &f.sb,
            &[
                "--coach", "erik", "--coach", "sara", "--status", "öppen", "--sort", "id"
            ]
        ),
        sorted(vec![&f.a, &f.b])
    );
}

#[test]
fn list_shows_open_and_parked_cases_unless_all_or_a_status_is_asked_for() {
    let f = four();
    let mut open_parked = sorted(vec![&f.a, &f.b, &f.c]);
    assert_eq!(ids(&f.sb, &["--sort", "id"]), open_parked);
    open_parked.push(f.d.clone());
    open_parked.sort();
    assert_eq!(ids(&f.sb, &["--all", "--sort", "id"]), open_parked);
    assert_eq!(ids(&f.sb, &["--status", "closed"]), vec![f.d.clone()]);
    assert_eq!(ids(&f.sb, &["--status", "avslutad"]), vec![f.d.clone()]);
}

#[test]
fn list_searches_title_need_and_session_notes_for_every_word() {
    let f = four();
    // The need, folded: "aldre" finds "Äldre".
    assert_eq!(ids(&f.sb, &["--search", "aldre MAT"]), vec![f.a.clone()]);
    // A session's notes.
    assert_eq!(
        ids(&f.sb, &["--search", "skärm matsalen"]),
        vec![f.a.clone()]
    );
    // Every word must match.
    assert!(ids(&f.sb, &["--search", "matsedel läxhjälp"]).is_empty());
    // The title, in the table too.
    f.sb.run(&["list", "--search", "läxhjälp"])
        .success()
        .stdout_has(&f.b)
        .stdout_has("1 case(s)");
}

#[test]
fn list_sorts_by_id_stage_idle_created_and_coach_ties_by_id() {
    let sb = Sandbox::with_team();
    let day = |d: &str, title: &str, coach: &str| {
        let out = sb
            .run_on(
                d,
                &[
                    "new",
                    title,
                    "--submitter",
                    "Anna",
                    "--unit",
                    "Skola",
                    "--coach",
                    coach,
                    "--format",
                    "json",
                ],
            )
            .success();
        out.json()["id"].as_str().unwrap().to_string()
    };
    let x = day("2020-03-01", "Först", "sara");
    let y = day("2020-04-01", "Sedan", "erik");
    let z = day("2020-05-01", "Sist", "sara");
    sb.run_on("2020-05-02", &["advance", &x]).success();
    assert_eq!(ids(&sb, &[]), vec![x.clone(), y.clone(), z.clone()]);
    assert_eq!(
        ids(&sb, &["--sort", "created"]),
        [x.clone(), y.clone(), z.clone()]
    );
    assert_eq!(ids(&sb, &["--sort", "id"]), sorted(vec![&x, &y, &z]));
    // y has been idle longest (since 2020-04-01), then z, then x (moved 2020-05-02).
    assert_eq!(
        ids(&sb, &["--sort", "idle"]),
        [y.clone(), z.clone(), x.clone()]
    );
    // The stage in pipeline order: y and z are still inkommen, x is in provning.
    let mut yz = sorted(vec![&y, &z]);
    yz.push(x.clone());
    assert_eq!(ids(&sb, &["--sort", "stage"]), yz);
    // By coach: erik, then sara's two by id.
    let mut by_coach = vec![y.clone()];
    by_coach.extend(sorted(vec![&x, &z]));
    assert_eq!(ids(&sb, &["--sort", "coach"]), by_coach);
}

#[test]
fn list_mine_is_the_acting_coachs_cases() {
    let f = four();
    let mine = |user: &str| -> Vec<String> {
        let out =
            f.sb.cmd(&["list", "--mine", "--sort", "id", "--format", "json"])
                .env("SLUSS_USER", user)
                .run()
                .success();
        out.json()
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(mine("sara"), sorted(vec![&f.b, &f.c]));
    assert_eq!(mine("erik"), vec![f.a.clone()]);
    f.sb.cmd(&["list", "--mine"])
        .env("SLUSS_USER", "kim")
        .run()
        .failure(2)
        .stderr_has("'kim' is not a coach");
}

#[test]
fn list_finds_an_inactive_coachs_cases_and_units_by_the_register() {
    let f = four();
    let settings = f.sb.read("sluss.toml");
    f.sb.write(
        "sluss.toml",
        &format!(
            "{}\n[[units]]\nkey = \"skola\"\nname = \"Skola\"\n\n[[units]]\nkey = \"vo\"\nname = \"Vård och omsorg\"\n",
            settings.replace("name = \"Erik Lind\"", "name = \"Erik Lind\"\nactive = false")
        ),
    );
    assert_eq!(ids(&f.sb, &["--coach", "erik"]), vec![f.a.clone()]);
    // The table names a unit as the register does.
    f.sb.run(&["list", "--unit", "skola", "--status", "parked"])
        .success()
        .stdout_has(" Skola ");
    assert_eq!(
        ids(&f.sb, &["--unit", "vo", "--all", "--sort", "id"]),
        sorted(vec![&f.a, &f.d])
    );
    f.sb.run(&["list", "--unit", "vard"])
        .failure(2)
        .hint_has("did you mean 'Vård och omsorg'");
}

#[test]
fn list_names_stages_by_their_display_names_in_every_language() {
    let f = four();
    // Named by its display name on the command line, shown by it in the table.
    let table = f.sb.run(&["list", "--stage", "Prövning"]).success().stdout;
    assert!(table.contains(" Prövning "), "{table}");
    assert!(!table.contains(" provning "), "{table}");
    for lang in ["sv", "en"] {
        f.sb.run(&[
            "list",
            "--stage",
            "Prövning",
            "--format",
            "markdown",
            "--lang",
            lang,
        ])
        .success()
        .stdout_has("| Prövning |");
    }
}

#[test]
fn set_changes_fields_in_one_history_entry_keeping_comments() {
    let f = four();
    let rel = Sandbox::case_rel(&f.a);
    let text = f.sb.read(&rel);
    f.sb.write(&rel, &text.replace("title =", "# kept\ntitle ="));
    f.sb.run(&[
        "set",
        &f.a,
        "+pilot",
        "-välfärd",
        "--title",
        "Digital matsedel i matsalen",
        "--need",
        "Äldre vill veta vad det blir för mat",
        "--idea",
        "En skärm",
        "--unit",
        "Äldreomsorg",
        "--program",
        "Innovationsprogram 2018",
        "--follow-up",
        "+2w",
        "--result",
        "Fler äter i matsalen",
        "--note",
        "efter mötet",
    ])
    .success()
    .stdout_has("title “Digital matsedel i matsalen”")
    .stdout_has("tags -välfärd +pilot");
    let text = f.sb.read(&rel);
    assert!(
        text.contains("# kept\ntitle = \"Digital matsedel i matsalen\""),
        "{text}"
    );
    assert!(text.contains("follow_up = 2020-07-14"), "{text}");
    f.sb.run(&["show", &f.a])
        .success()
        .stdout_has("follow-up  2020-07-14");
    let case = f.sb.case(&f.a);
    assert_eq!(case["tags"].as_array().unwrap().len(), 1);
    assert_eq!(case["tags"][0].as_str(), Some("pilot"));
    assert_eq!(case["unit"].as_str(), Some("Äldreomsorg"));
    assert_eq!(case["program"].as_str(), Some("ip2018"));
    assert_eq!(case["result"].as_str(), Some("Fler äter i matsalen"));
    assert_eq!(case["description"]["idea"].as_str(), Some("En skärm"));
    let history = case["history"].as_array().unwrap();
    let last = history.last().unwrap();
    assert_eq!(last["by"].as_str(), Some("erik"));
    let set: Vec<&str> = last["set"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(set, ["title", "need", "idea", "unit", "tags", "follow_up"]);
    assert_eq!(last["tags_added"][0].as_str(), Some("pilot"));
    assert_eq!(last["tags_removed"][0].as_str(), Some("välfärd"));
    assert_eq!(last["note"].as_str(), Some("efter mötet"));
    assert_eq!(last["program"].as_str(), Some("ip2018"));
    assert_eq!(last["previous_program"].as_str(), Some(""));
    assert_eq!(last["result"].as_str(), Some("Fler äter i matsalen"));
    f.sb.run(&["check"]).success();
    f.sb.run(&["log", &f.a])
        .success()
        .stdout_has("tag + pilot; tag − välfärd; result: Fler äter i matsalen; changed title, need, idea, unit, follow-up");
    f.sb.run(&["show", &f.a, "--format", "markdown", "--lang", "sv"])
        .success()
        .stdout_has("ändrade title");
    let log =
        f.sb.run(&["log", &f.a, "--format", "json"])
            .success()
            .json();
    let entry = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e.get("set").is_some());
    // The entry also changed the program, so it is of that kind; `set` names the rest.
    assert_eq!(
        entry.map(|e| e["kind"].clone()),
        Some("program".into()),
        "{log}"
    );
    f.sb.run(&["set", &f.b, "+pilot"]).success();
    let log =
        f.sb.run(&["log", &f.b, "--format", "json"])
            .success()
            .json();
    let entry = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e.get("set").is_some());
    assert_eq!(
        entry.map(|e| e["kind"].clone()),
        Some("set".into()),
        "{log}"
    );
    // Replaying the portfolio as of a day before still works.
    f.sb.run(&["summary", "--as-of", "2020-06-29"]).success();

    // `none` takes the follow-up day and the program away.
    f.sb.run(&["modify", &f.a, "--follow-up", "none", "--program", "none"])
        .success();
    let case = f.sb.case(&f.a);
    assert!(case.get("follow_up").is_none());
    assert!(case.get("program").is_none());
}

#[test]
fn set_refuses_a_no_op_bad_text_and_unknown_names_changing_nothing() {
    let f = four();
    let rel = Sandbox::case_rel(&f.a);
    f.sb.assert_untouched(&rel, || {
        f.sb.run(&["set", &f.a]).failure(2).hint_has("--title");
        f.sb.run(&["set", &f.a, "--note", "bara en anteckning"])
            .failure(2)
            .stderr_has("nothing to set");
        f.sb.run(&["set", &f.a, "--title", "Digital matsedel", "+Välfärd"])
            .failure(1)
            .stderr_has("already as asked");
        f.sb.run(&["set", &f.a, "--title", "Två\nrader"])
            .failure(1)
            .stderr_has("--title has a line break");
        let long = "x".repeat(201);
        f.sb.run(&["set", &f.a, "--title", &long])
            .failure(1)
            .stderr_has("at most 200");
        f.sb.run(&["set", &f.a, "--result", "Tyst\u{200b}namn"])
            .failure(1)
            .stderr_has("invisible");
        f.sb.run(&["set", &f.a, "--program", "ip2081"])
            .failure(2)
            .hint_has("did you mean 'ip2018'");
        f.sb.run(&["set", &f.a, "--follow-up", "someday"])
            .failure(2)
            .stderr_has("--follow-up");
        f.sb.run(&["set", &f.a, "--stage", "provning", "+x"])
            .failure(2)
            .stderr_has("not both");
    });
    // A unit register: a unit is taken by key or name, an unknown one refused.
    let settings = f.sb.read("sluss.toml");
    f.sb.write(
        "sluss.toml",
        &format!("{settings}\n[[units]]\nkey = \"skola\"\nname = \"Skola\"\n"),
    );
    f.sb.assert_untouched(&rel, || {
        f.sb.run(&["set", &f.a, "--unit", "skolan"])
            .failure(2)
            .hint_has("did you mean 'Skola'");
    });
    f.sb.run(&["set", &f.a, "--unit", "SKOLA"]).success();
    assert_eq!(f.sb.case(&f.a)["unit"].as_str(), Some("Skola"));
}

#[test]
fn set_over_a_filter_counts_with_dry_run_then_writes_each_case() {
    let f = four();
    let files: Vec<String> = [&f.a, &f.b, &f.c, &f.d]
        .iter()
        .map(|id| Sandbox::case_rel(id))
        .collect();
    let before: Vec<String> = files.iter().map(|r| f.sb.read(r)).collect();
    // b already has the tag: 1 of 2 matching cases would change.
    f.sb.run(&["set", "--coach", "sara", "+Digitalisering", "--dry-run"])
        .success()
        .stdout_has(&format!("would change {}: tags +digitalisering", &f.c[..4]))
        .stdout_has("would change 1 of 2 matching case(s)");
    let after: Vec<String> = files.iter().map(|r| f.sb.read(r)).collect();
    assert_eq!(before, after, "a dry run writes nothing");

    f.sb.run(&[
        "set",
        "--coach",
        "sara",
        "+digitalisering",
        "--follow-up",
        "2020-07-01",
    ])
    .success()
    .stdout_has("changed 2 of 2 matching case(s)");
    for id in [&f.b, &f.c] {
        let case = f.sb.case(id);
        assert_eq!(case["follow_up"].to_string(), "2020-07-01", "{id}");
        let last = case["history"].as_array().unwrap().last().unwrap().clone();
        assert!(
            last["set"]
                .as_array()
                .unwrap()
                .iter()
                .any(|v| v.as_str() == Some("follow_up"))
        );
    }
    // Closed cases only with --all; a filter that matches nothing changes nothing.
    f.sb.run(&["set", "--coach", "erik", "+pilot", "--dry-run"])
        .success()
        .stdout_has("would change 1 of 1 matching case(s)");
    f.sb.run(&["set", "--coach", "erik", "--all", "+pilot", "--dry-run"])
        .success()
        .stdout_has("would change 2 of 2 matching case(s)");
    f.sb.run(&["set", "--stage", "infora", "+pilot"])
        .failure(1)
        .stderr_has("no case matches");
    f.sb.run(&["set", "--stage", "infra", "+pilot"])
        .failure(2)
        .hint_has("did you mean 'infora'");
    f.sb.run(&["set", "+pilot"]).failure(2).hint_has("filter");
}

#[test]
fn set_over_a_filter_commits_every_case_in_one_commit() {
    let sb = Sandbox::empty();
    sb.git(&["init", "--quiet", "--initial-branch=main"]);
    sb.git(&["config", "user.name", "Erik Lind"]);
    sb.git(&["config", "user.email", "erik@example.org"]);
    sb.run(&["init"]).success();
    sb.run(&["coach", "add", "sara", "--name", "Sara Berg"])
        .success();
    let x = new(&sb, "Ett", "Skola", &["--coach", "sara"]);
    let y = new(&sb, "Två", "Skola", &["--coach", "sara"]);
    sb.git(&["add", "--all"]);
    sb.git(&["commit", "--quiet", "--message", "start"]);
    sb.run(&["set", "--coach", "sara", "+pilot", "--commit"])
        .success();
    let files = sb
        .git_outcome(&["show", "--name-only", "--format=%s", "HEAD"])
        .success()
        .stdout;
    assert!(
        files.starts_with("set: changed 2 of 2 matching case(s)"),
        "{files}"
    );
    assert!(files.contains(&Sandbox::case_rel(&x)), "{files}");
    assert!(files.contains(&Sandbox::case_rel(&y)), "{files}");
    let status = sb.git_outcome(&["status", "--porcelain"]).success().stdout;
    assert_eq!(status.trim(), "", "{status}");
}

#[test]
fn a_filtered_sorted_list_of_the_demo_in_each_format_and_language() {
    let sb = Sandbox::demo(1);
    let args = [
        "list",
        "--stage",
        "Testa,verifiera",
        "--coach",
        "Sara Holm",
        "--sort",
        "idle",
    ];
    let table = sb
        .cmd(&args)
        .env("SLUSS_WIDTH", "100")
        .run()
        .success()
        .stdout;
    insta::assert_snapshot!("demo_list_filtered_table", table);
    for lang in ["sv", "en"] {
        let mut words = args.to_vec();
        words.extend_from_slice(&["--format", "markdown", "--lang", lang]);
        let md = sb.run(&words).success().stdout;
        insta::assert_snapshot!(format!("demo_list_filtered_markdown_{lang}"), md);
    }
    let mut words = args.to_vec();
    words.extend_from_slice(&["--format", "csv"]);
    let csv = sb.run(&words).success().stdout;
    insta::assert_snapshot!("demo_list_filtered_csv", csv);
}

// ---- fixes after issue 13's review ----

#[test]
fn new_merges_spellings_of_a_tag_and_takes_the_portfolios_spelling() {
    let f = four();
    let e = new(
        &f.sb,
        "Ny",
        "Skola",
        &["--tag", "VÄLFÄRD", "--tag", "valfard", "--tag", "Skolmat"],
    );
    let case = f.sb.case(&e);
    let tags: Vec<&str> = case["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(tags, ["välfärd", "Skolmat"]);
}

#[test]
fn search_reads_the_notes_of_the_history() {
    let f = four();
    // c was parked with the note "väntar på budget".
    assert_eq!(ids(&f.sb, &["--search", "BUDGET"]), vec![f.c.clone()]);
}

#[test]
fn tags_with_a_comma_or_semicolon_are_refused_and_check_flags_them() {
    let f = four();
    f.sb.assert_untouched(&Sandbox::case_rel(&f.a), || {
        f.sb.run(&["set", &f.a, "+a,b"])
            .failure(1)
            .stderr_has("has a ','");
    });
    f.sb.run(&[
        "new",
        "X",
        "--submitter",
        "A",
        "--unit",
        "Skola",
        "--tag",
        "a;b",
    ])
    .failure(1)
    .stderr_has("has a ';'");
    assert_eq!(f.sb.case_ids().len(), 4);
    let text =
        f.sb.case_text(&f.a)
            .replace("tags = [\"välfärd\"]", "tags = [\"välfärd,skola\"]");
    f.sb.write_case(&f.a, &text);
    let out = f.sb.run(&["check"]);
    assert!(
        format!("{}{}", out.stdout, out.stderr).contains("the tag 'välfärd,skola' has a ','"),
        "{}{}",
        out.stdout,
        out.stderr
    );
}

#[test]
fn a_near_miss_of_a_tag_gets_did_you_mean() {
    let f = four();
    f.sb.run(&["set", &f.a, "-valfardd"])
        .failure(1)
        .hint_has("did you mean '-välfärd'");
    f.sb.run(&["set", &f.b, "+välfärdd"])
        .success()
        .stderr_has("new tag; did you mean 'välfärd'");
}

#[test]
fn list_and_show_count_idle_days_to_the_report_day() {
    let sb = Sandbox::demo(1);
    // Years after the report day: the wall clock would count far more idle days.
    const LATER: &str = "2026-12-03";
    // The demo's sluss.toml says `[reports] as_of = 2020-06-30`: the board's day.
    let out = sb
        .run(&["list", "--search", "Måltidsvänner", "--sort", "idle"])
        .success();
    out.stdout_has("454");
    sb.run_on(LATER, &["show", "81e6"])
        .success()
        .stdout_has("454");
    // The summary counts 11 stale open cases on that day; list --stale lists them.
    sb.run_on(LATER, &["summary", "--lang", "en"])
        .success()
        .stdout_has("Stale open cases, idle longest first (11)");
    sb.run_on(LATER, &["list", "--stale"])
        .success()
        .stdout_has("11 case(s)");
}
