//! The repository itself: `init`, finding the repository, who is acting, and the
//! coaches and programs kept in sluss.toml.

use std::fs;

use crate::common::{NOW, Sandbox};

const STAGE_KEYS: [&str; 7] = [
    "inkommen",
    "provning",
    "utforska",
    "utveckla",
    "testa",
    "verifiera",
    "infora",
];

/// The stages of sluss.toml as (key, name) pairs.
fn stages(sb: &Sandbox) -> Vec<(String, String)> {
    let config: toml::Table = toml::from_str(&sb.read("sluss.toml")).unwrap();
    config["stages"]
        .as_array()
        .expect("[[stages]]")
        .iter()
        .map(|s| {
            (
                s["key"].as_str().unwrap().to_string(),
                s["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// init

#[test]
fn init_writes_the_swedish_pipeline_with_comments_and_an_empty_cases_folder() {
    let sb = Sandbox::empty();
    sb.run(&["init"]).success().stdout_has("sluss coach add");

    let names: Vec<&str> = vec![
        "Inkommen",
        "Prövning",
        "Utforska",
        "Utveckla",
        "Testa",
        "Verifiera",
        "Införa",
    ];
    let expected: Vec<(String, String)> = STAGE_KEYS
        .iter()
        .zip(names)
        .map(|(k, n)| (k.to_string(), n.to_string()))
        .collect();
    assert_eq!(stages(&sb), expected);

    let text = sb.read("sluss.toml");
    let comment_lines = text
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .count();
    assert!(
        comment_lines >= 10,
        "the template explains itself in comments:\n{text}"
    );
    assert!(
        text.contains("stale_after_days = 60"),
        "the staleness limit is set:\n{text}"
    );
    assert!(sb.path("cases").is_dir());
    assert_eq!(fs::read_dir(sb.path("cases")).unwrap().count(), 0);
}

#[test]
fn init_template_en_gives_english_stage_names_and_keys() {
    let sb = Sandbox::empty();
    sb.run(&["init", "--template", "en"]).success();
    let names: Vec<String> = stages(&sb).into_iter().map(|(_, n)| n).collect();
    assert_eq!(
        names,
        [
            "Received",
            "Screening",
            "Explore the need",
            "Develop",
            "Test",
            "Verify",
            "Implement"
        ]
    );
    let keys: Vec<String> = stages(&sb).into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        keys,
        [
            "received",
            "screening",
            "explore",
            "develop",
            "test",
            "verify",
            "implement"
        ]
    );
}

#[test]
fn init_into_a_named_folder_with_a_portfolio_name() {
    let sb = Sandbox::empty();
    sb.cmd(&["init", "sluice", "--name", "Idésluss Sundsvallsregionen"])
        .current_dir(sb.base())
        .run()
        .success();
    let text = fs::read_to_string(sb.base().join("sluice/sluss.toml")).unwrap();
    let config: toml::Table = toml::from_str(&text).unwrap();
    assert_eq!(config["name"].as_str(), Some("Idésluss Sundsvallsregionen"));
    assert!(sb.base().join("sluice/cases").is_dir());
    // The comment above `name` is kept when the name is replaced.
    assert!(text.contains("# The portfolio's name, shown at the top of reports.\nname = "));
}

#[test]
fn init_refuses_an_existing_repository_and_leaves_it_alone() {
    let sb = Sandbox::new();
    sb.run(&["coach", "add", "erik", "--name", "Erik Lind"])
        .success();
    sb.assert_untouched("sluss.toml", || {
        sb.run(&["init"])
            .fails()
            .stderr_has("already holds a sluss repository")
            .hint_has("never overwrites");
        sb.run(&["init", "--template", "en"]).fails();
    });
}

// ---------------------------------------------------------------------------------------
// Finding the repository

#[test]
fn the_repository_is_found_from_a_subfolder() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Matsedel", &[]);
    let deep = sb.path("docs/2020/juni");
    fs::create_dir_all(&deep).unwrap();
    let out = sb
        .cmd(&["list", "--format", "json"])
        .current_dir(&deep)
        .run()
        .success();
    assert_eq!(out.json()[0]["id"], id.as_str());
    // Writes from a subfolder land in the repository's cases/, not beside the caller.
    sb.cmd(&["advance", &id, "--to", "provning", "--force", "--note", "x"])
        .current_dir(&deep)
        .run()
        .success();
    assert_eq!(sb.case(&id)["stage"].as_str(), Some("provning"));
    assert!(!deep.join("cases").exists());
}

#[test]
fn repo_flag_and_sluss_repo_variable_override_the_search() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("I huvudrepot", &[]);

    // A second repository; commands run from inside it, pointed at the first.
    let other = sb.base().join("other");
    fs::create_dir_all(&other).unwrap();
    sb.cmd(&["init"]).current_dir(&other).run().success();

    let here = sb
        .cmd(&["list", "--format", "json"])
        .current_dir(&other)
        .run()
        .success();
    assert_eq!(here.json(), serde_json::json!([]));

    let root = sb.root();
    let flag = sb
        .cmd(&["--repo", root.to_str().unwrap(), "list", "--format", "json"])
        .current_dir(&other)
        .run()
        .success();
    assert_eq!(flag.json()[0]["id"], id.as_str());

    // The flag also works after the subcommand (it is global).
    let after = sb
        .cmd(&["show", &id, "--repo", root.to_str().unwrap()])
        .current_dir(&other)
        .run()
        .success();
    assert!(after.stdout.contains("I huvudrepot"));

    let var = sb
        .cmd(&["list", "--format", "json"])
        .env("SLUSS_REPO", &root)
        .current_dir(&other)
        .run()
        .success();
    assert_eq!(var.json()[0]["id"], id.as_str());

    // --repo beats SLUSS_REPO.
    let both = sb
        .cmd(&[
            "--repo",
            other.to_str().unwrap(),
            "list",
            "--format",
            "json",
        ])
        .env("SLUSS_REPO", &root)
        .run()
        .success();
    assert_eq!(both.json(), serde_json::json!([]));
}

#[test]
fn outside_any_repository_the_error_says_to_run_sluss_init() {
    let sb = Sandbox::empty();
    sb.cmd(&["list"])
        .current_dir(sb.base())
        .run()
        .failure(2)
        .stderr_has("no sluss repository found")
        .hint_has("sluss init");
}

#[test]
fn repo_flag_to_a_folder_without_sluss_toml_is_an_error() {
    let sb = Sandbox::new();
    let elsewhere = sb.base().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    sb.run(&["--repo", elsewhere.to_str().unwrap(), "list"])
        .failure(2)
        .hint_has("sluss init");
}

#[test]
fn a_broken_file_is_named_with_its_line_and_how_to_mend_that_kind_of_file() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Matsedel", &[]);
    let settings = sb.read("sluss.toml");
    sb.write(
        "sluss.toml",
        &settings.replacen("stale_after_days = 60", "stale_after_days = \"ninety\"", 1),
    );
    assert!(sb.read("sluss.toml").contains("\"ninety\""));
    sb.run(&["list"])
        .failure(2)
        .stderr_has("sluss.toml:")
        .hint_has("fix sluss.toml by hand (its comments, and `sluss schema config`, describe the settings)");
    sb.write("sluss.toml", &settings);
    let rel = Sandbox::case_rel(&id);
    let case = sb.read(&rel);
    sb.write(
        &rel,
        &case.replacen("status = \"open\"", "status = \"öppen\"", 1),
    );
    sb.run(&["show", &id])
        .failure(2)
        .hint_has("fix the file by hand (or with `sluss edit`); the other cases stay usable");
    sb.write(&rel, &case);
}

// ---------------------------------------------------------------------------------------
// Who is acting

/// The `by` of the last history entry of a case.
fn last_by(sb: &Sandbox, id: &str) -> String {
    let case = sb.case(id);
    let history = case["history"].as_array().expect("history");
    history.last().unwrap()["by"].as_str().unwrap().to_string()
}

#[test]
fn by_flag_beats_sluss_user() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Aktör", &["--coach", "erik"]);
    sb.cmd(&["advance", &id, "--by", "maria"])
        .env("SLUSS_USER", "sara")
        .run()
        .success();
    assert_eq!(last_by(&sb, &id), "maria");
}

#[test]
fn sluss_user_beats_the_settings_file() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Aktör", &["--coach", "erik"]);
    sb.write_settings("user = \"maria\"\n");
    sb.cmd(&["advance", &id])
        .env("SLUSS_USER", "sara")
        .run()
        .success();
    assert_eq!(last_by(&sb, &id), "sara");
}

#[test]
fn the_user_settings_file_is_used_when_sluss_user_is_unset() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Aktör", &["--coach", "erik"]);
    sb.write_settings("# who I am\nuser = \"maria\"\n");
    sb.cmd(&["advance", &id])
        .env_remove("SLUSS_USER")
        .run()
        .success();
    assert_eq!(last_by(&sb, &id), "maria");
}

#[test]
fn git_user_name_is_used_last_and_mapped_to_a_coach_key() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Aktör", &["--coach", "erik", "--need", "Behov"]);
    sb.git(&["init", "--quiet"]);
    sb.git(&["config", "user.name", "Sara Berg"]);
    sb.cmd(&["advance", &id])
        .env_remove("SLUSS_USER")
        .run()
        .success();
    assert_eq!(last_by(&sb, &id), "sara", "Sara Berg is coach sara");

    // A name that is no coach's is recorded as it is.
    sb.git(&["config", "user.name", "Olle Ek"]);
    sb.cmd(&["advance", &id])
        .env_remove("SLUSS_USER")
        .run()
        .success();
    assert_eq!(last_by(&sb, &id), "Olle Ek");

    // The settings file beats git.
    sb.write_settings("user = \"maria\"\n");
    sb.cmd(&["advance", &id])
        .env_remove("SLUSS_USER")
        .run()
        .success();
    assert_eq!(last_by(&sb, &id), "maria");
}

#[test]
fn with_nobody_known_as_acting_the_change_is_refused_with_a_hint() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Aktör", &["--coach", "erik"]);
    let rel = Sandbox::case_rel(&id);
    sb.assert_untouched(&rel, || {
        sb.cmd(&["advance", &id])
            .env_remove("SLUSS_USER")
            .run()
            .failure(2)
            .stderr_has("nobody is named")
            .hint_has("--by NAME")
            .hint_has("SLUSS_USER");
        // An empty SLUSS_USER names nobody either.
        sb.cmd(&["advance", &id])
            .env("SLUSS_USER", "  ")
            .run()
            .failure(2)
            .hint_has("--by NAME");
    });
}

// ---------------------------------------------------------------------------------------
// Coaches and programs

#[test]
fn coach_add_and_list_in_table_and_json() {
    let sb = Sandbox::new();
    sb.run(&["coach", "add", "sara", "--name", "Sara Berg"])
        .success()
        .stdout_has("Added coach sara (Sara Berg)");
    sb.run(&["coach", "add", "erik", "--name", "Erik Lind"])
        .success();

    // Kept in the order they were added.
    let json = sb
        .run(&["coach", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(
        json,
        serde_json::json!([
            {"key": "sara", "name": "Sara Berg", "active": true},
            {"key": "erik", "name": "Erik Lind", "active": true}
        ])
    );
    let table = sb.run(&["coach", "list"]).success();
    // The title, a blank line, the header and its rule, then a row per coach.
    let rows: Vec<Vec<&str>> = table
        .stdout
        .lines()
        .skip(4)
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    assert_eq!(rows, [vec!["sara", "Sara Berg"], vec!["erik", "Erik Lind"]]);

    let config: toml::Table = toml::from_str(&sb.read("sluss.toml")).unwrap();
    assert_eq!(config["coaches"].as_array().unwrap().len(), 2);
}

#[test]
fn program_add_and_list_in_table_and_json() {
    let sb = Sandbox::new();
    sb.run(&[
        "program",
        "add",
        "ip2018",
        "--name",
        "Innovationsprogram 2018",
        "--start",
        "2018-02-01",
        "--end",
        "2018-06-30",
    ])
    .success()
    .stdout_has("Added program ip2018");
    sb.run(&["program", "add", "lopande", "--name", "Löpande"])
        .success();

    let json = sb
        .run(&["program", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(
        json,
        serde_json::json!([
            {"key": "ip2018", "name": "Innovationsprogram 2018",
             "start": "2018-02-01", "end": "2018-06-30"},
            {"key": "lopande", "name": "Löpande", "start": null, "end": null}
        ])
    );
    sb.run(&["program", "list"])
        .success()
        .stdout_has("ip2018")
        .stdout_has("2018-06-30")
        .stdout_has("Löpande");

    // Dates are TOML local dates, not strings.
    let text = sb.read("sluss.toml");
    assert!(text.contains("start = 2018-02-01\n"), "{text}");
    assert!(text.contains("end = 2018-06-30\n"), "{text}");
}

#[test]
fn program_that_ends_before_it_starts_is_refused() {
    let sb = Sandbox::new();
    sb.assert_untouched("sluss.toml", || {
        sb.run(&[
            "program",
            "add",
            "bad",
            "--name",
            "Bakvänt",
            "--start",
            "2018-06-30",
            "--end",
            "2018-02-01",
        ])
        .failure(1)
        .hint_has("swap");
    });
}

#[test]
fn coach_and_program_add_keep_every_comment_of_sluss_toml() {
    let sb = Sandbox::new();
    let hand_written = "\
# Idéslussen i Sundsvall: settings kept by hand.
name = \"Idésluss Sundsvallsregionen\"   # shown on reports
stale_after_days = 45 # shorter than the default

# The pipeline.
[[stages]]
key = \"inkommen\"
name = \"Inkommen\"  # first

[[stages]]
key = \"provning\"
name = \"Prövning\"
[stages.gate]
coach = true   # someone must own it

# Our coaches, oldest first.
[[coaches]]
key = \"erik\"
name = \"Erik Lind\"   # since 2017

# Programs.
[[programs]]
key = \"ip2018\"
name = \"Innovationsprogram 2018\"
start = 2018-02-01
end = 2018-06-30
";
    sb.write("sluss.toml", hand_written);
    sb.run(&["coach", "add", "sara", "--name", "Sara Berg"])
        .success();
    sb.run(&[
        "program",
        "add",
        "ip2019",
        "--name",
        "Innovationsprogram 2019",
    ])
    .success();
    let text = sb.read("sluss.toml");

    // Every original line is still there, in its original order.
    let mut rest = text.lines();
    for line in hand_written.lines() {
        assert!(
            rest.any(|l| l == line),
            "line {line:?} was lost or moved:\n{text}"
        );
    }
    let config: toml::Table = toml::from_str(&text).unwrap();
    let keys = |k: &str| -> Vec<String> {
        config[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["key"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(keys("coaches"), ["erik", "sara"]);
    assert_eq!(keys("programs"), ["ip2018", "ip2019"]);
    assert_eq!(config["stale_after_days"].as_integer(), Some(45));
}

#[test]
fn duplicate_coach_and_program_keys_are_refused_and_the_file_is_unchanged() {
    let sb = Sandbox::with_team();
    sb.assert_untouched("sluss.toml", || {
        sb.run(&["coach", "add", "erik", "--name", "Erik Andersson"])
            .fails()
            .stderr_has("coach 'erik' already exists");
        sb.run(&["program", "add", "ip2018", "--name", "Igen"])
            .fails()
            .stderr_has("program 'ip2018' already exists");
    });
    let coaches = sb
        .run(&["coach", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(coaches.as_array().unwrap().len(), 2);
}

#[test]
fn a_coach_key_that_a_case_file_could_not_store_cleanly_is_refused() {
    let sb = Sandbox::new();
    sb.assert_untouched("sluss.toml", || {
        sb.run(&["coach", "add", "Erik Lind", "--name", "Erik Lind"])
            .failure(1)
            .hint_has("erik");
        sb.run(&["coach", "add", "erik", "--name", "  "])
            .failure(1)
            .hint_has("--name");
    });
}

#[test]
fn the_fixed_clock_is_what_commands_see() {
    // A guard for the harness itself: SLUSS_NOW reaches the binary.
    let sb = Sandbox::with_team();
    let id = sb.new_case("Klocka", &[]);
    assert_eq!(sb.case(&id)["created"].to_string(), NOW);
}
