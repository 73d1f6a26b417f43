//! An adversarial pass over git merges and commits: the same change made on two
//! branches, a clone that never ran `git-setup`, and settings changed on two branches,
//! each through real git and the real binary.

use crate::common::{Outcome, Sandbox};

/// An empty git repository with sluss set up inside it (the driver registered),
/// coaches erik and sara, the program ip2018 and the network members kth and rise, all
/// committed on main.
fn team_repo() -> Sandbox {
    let sb = Sandbox::empty();
    sb.git(&["init", "--quiet", "--initial-branch=main"]);
    sb.git(&["config", "user.name", "Erik Lind"]);
    sb.git(&["config", "user.email", "erik@example.org"]);
    sb.run(&["init"]).success();
    sb.run(&["coach", "add", "erik", "--name", "Erik Lind"])
        .success();
    sb.run(&["coach", "add", "sara", "--name", "Sara Berg"])
        .success();
    sb.run(&["program", "add", "ip2018", "--name", "Innovationsprogram"])
        .success();
    for (key, org) in [("kth", "KTH"), ("rise", "RISE")] {
        sb.run(&[
            "network",
            "add",
            key,
            "--organisation",
            org,
            "--kind",
            "research",
            "--joined",
            "2020-01-01",
        ])
        .success();
    }
    commit_all(&sb, "A new idea sluice");
    sb
}

fn commit_all(sb: &Sandbox, message: &str) {
    sb.git(&["add", "--all"]);
    sb.git(&["commit", "--quiet", "--message", message]);
}

fn branch(sb: &Sandbox, name: &str) {
    sb.git(&["checkout", "--quiet", "-b", name]);
}

fn main_branch(sb: &Sandbox) {
    sb.git(&["checkout", "--quiet", "main"]);
}

fn merge(sb: &Sandbox, other: &str) -> Outcome {
    sb.git_outcome(&["merge", "--no-edit", other])
}

/// `args` as if run at `now`.
fn at(sb: &Sandbox, now: &str, args: &[&str]) -> Outcome {
    sb.cmd(args).env("SLUSS_NOW", now).run()
}

/// A committed case with a coach, registered early in June.
fn committed_case(sb: &Sandbox) -> String {
    let id = sb.new_case_at(
        "2020-06-01T09:00:00+02:00",
        "Matsedel",
        &[
            "--coach",
            "erik",
            "--need",
            "Boende vill veta vad som serveras",
        ],
    );
    at(
        sb,
        "2020-06-02T09:00:00+02:00",
        &["partner", "add", &id, "rise"],
    )
    .success();
    commit_all(sb, "Matsedel");
    id
}

fn history(sb: &Sandbox, id: &str) -> Vec<toml::Value> {
    sb.case(id)
        .get("history")
        .and_then(toml::Value::as_array)
        .cloned()
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// The same change made on two branches happened once

#[test]
fn the_same_coach_program_and_partner_changes_on_two_branches_are_recorded_once() {
    let sb = team_repo();
    let id = committed_case(&sb);
    let changes = |sb: &Sandbox, day: &str, by: &str| {
        let now = |hour: &str| format!("2020-06-{day}T{hour}:00:00+02:00");
        at(sb, &now("10"), &["assign", &id, "sara", "--by", by]).success();
        at(
            sb,
            &now("11"),
            &["program", "join", &id, "ip2018", "--by", by],
        )
        .success();
        at(sb, &now("12"), &["partner", "add", &id, "kth", "--by", by]).success();
        at(
            sb,
            &now("13"),
            &["partner", "remove", &id, "rise", "--by", by],
        )
        .success();
    };
    branch(&sb, "sara");
    changes(&sb, "10", "sara");
    commit_all(&sb, "Sara takes it");
    main_branch(&sb);
    changes(&sb, "11", "erik");
    commit_all(&sb, "Erik hands it over");

    merge(&sb, "sara").success();
    sb.run(&["check"]).success();
    let history = history(&sb, &id);
    // The partner named before the branches, and each of the four changes once, as
    // whoever made it first wrote it.
    assert_eq!(history.len(), 5, "{history:?}");
    assert!(
        history[1..]
            .iter()
            .all(|h| h["by"].as_str() == Some("sara"))
    );
    let case = sb.case(&id);
    assert_eq!(case["coach"].as_str(), Some("sara"));
    assert_eq!(case["program"].as_str(), Some("ip2018"));
    assert_eq!(case["partners"].as_array().unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------
// A clone that never registered the driver

#[test]
fn check_says_when_a_clone_has_not_registered_the_merge_driver() {
    let sb = team_repo();
    committed_case(&sb);
    sb.git(&["config", "--unset", "merge.sluss.driver"]);
    sb.run(&["check"])
        .success()
        .stderr_has("does not define it here")
        .hint_has("sluss git-setup");
    sb.run(&["git-setup"]).success();
    let out = sb.run(&["check"]).success();
    assert!(!out.stderr.contains("does not define"), "{out:?}");
}

// ---------------------------------------------------------------------------------------
// sluss.toml is merged by the driver

fn keys(sb: &Sandbox, list: &str) -> Vec<String> {
    let settings: toml::Table = toml::from_str(&sb.read("sluss.toml")).unwrap();
    settings[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["key"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn coaches_and_programs_added_to_sluss_toml_on_two_branches_merge_clean() {
    let sb = team_repo();
    branch(&sb, "olle");
    sb.run(&["coach", "add", "olle", "--name", "Olle Ek"])
        .success();
    sb.run(&["program", "add", "ip2019", "--name", "Program 2019"])
        .success();
    commit_all(&sb, "Olle and 2019");
    main_branch(&sb);
    sb.run(&["coach", "add", "stina", "--name", "Stina Ek"])
        .success();
    sb.run(&["program", "add", "ip2020", "--name", "Program 2020"])
        .success();
    commit_all(&sb, "Stina and 2020");

    merge(&sb, "olle").success();
    sb.run(&["check"]).success();
    assert_eq!(keys(&sb, "coaches"), ["erik", "sara", "stina", "olle"]);
    assert_eq!(keys(&sb, "programs"), ["ip2018", "ip2020", "ip2019"]);
    // The comments of the template stay where they were.
    assert!(sb.read("sluss.toml").contains("# The pipeline, in order."));
}

#[test]
fn a_stage_inserted_on_one_branch_keeps_its_place_when_the_other_renames_one() {
    let sb = team_repo();
    branch(&sb, "pilot");
    let text = sb.read("sluss.toml").replace(
        "[[stages]]\nkey = \"testa\"",
        "[[stages]]\nkey = \"pilot\"\nname = \"Pilot\"\n\n[[stages]]\nkey = \"testa\"",
    );
    sb.write("sluss.toml", &text);
    commit_all(&sb, "A pilot stage before Testa");
    main_branch(&sb);
    let text = sb
        .read("sluss.toml")
        .replace("name = \"Utforska\"", "name = \"Utforska behovet\"");
    sb.write("sluss.toml", &text);
    sb.run(&["coach", "add", "olle", "--name", "Olle Ek"])
        .success();
    commit_all(&sb, "Utforska behovet, and Olle");

    merge(&sb, "pilot").success();
    sb.run(&["check"]).success();
    assert_eq!(
        keys(&sb, "stages"),
        [
            "inkommen",
            "provning",
            "utforska",
            "utveckla",
            "pilot",
            "testa",
            "verifiera",
            "infora"
        ]
    );
    let text = sb.read("sluss.toml");
    assert!(text.contains("name = \"Utforska behovet\""), "{text}");
    assert!(keys(&sb, "coaches").contains(&"olle".to_string()));
}

#[test]
fn stages_reordered_on_one_branch_stay_in_that_order_when_the_other_adds_a_coach() {
    let sb = team_repo();
    branch(&sb, "order");
    let text = sb.read("sluss.toml");
    let verifiera = "[[stages]]\nkey = \"verifiera\"";
    let testa = "[[stages]]\nkey = \"testa\"";
    let text = text
        .replace(verifiera, "@V@")
        .replace(testa, verifiera)
        .replace("@V@", testa);
    sb.write("sluss.toml", &text);
    commit_all(&sb, "Verifiera before Testa");
    let want = keys(&sb, "stages");
    main_branch(&sb);
    sb.run(&["coach", "add", "olle", "--name", "Olle Ek"])
        .success();
    commit_all(&sb, "Olle");

    merge(&sb, "order").success();
    assert_eq!(keys(&sb, "stages"), want);
}

// ---------------------------------------------------------------------------------------
// A conflict without markers is still named

#[test]
fn check_names_a_case_deleted_on_one_branch_and_changed_on_the_other() {
    let sb = team_repo();
    let id = committed_case(&sb);
    branch(&sb, "tidy");
    sb.git(&["rm", "--quiet", &Sandbox::case_rel(&id)]);
    commit_all(&sb, "Not a case after all");
    main_branch(&sb);
    at(
        &sb,
        "2020-06-10T10:00:00+02:00",
        &["session", &id, "--minutes", "30", "--date", "2020-06-10"],
    )
    .success();
    commit_all(&sb, "A session");

    let out = merge(&sb, "tidy");
    assert_ne!(out.code, 0, "{out:?}");
    let json = sb.run(&["check", "--format", "json"]).failure(1).json();
    let problems = json["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["code"] == "unmerged" && p["path"] == Sandbox::case_rel(&id)),
        "{problems:?}"
    );
    // Once git is told what stays, check is content.
    sb.git(&["add", &Sandbox::case_rel(&id)]);
    sb.run(&["check"]).success();
}

// ---------------------------------------------------------------------------------------
// One record added on two branches is one record

fn participants(sb: &Sandbox) -> Vec<toml::Value> {
    let file: toml::Table = toml::from_str(&sb.read("programs/ip2018.toml")).unwrap();
    file["participants"].as_array().unwrap().clone()
}

#[test]
fn a_participant_added_on_two_branches_with_and_without_a_contact_is_one_participant() {
    let sb = team_repo();
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2018",
        "Lisa Holm",
        "--unit",
        "IT",
    ])
    .success();
    commit_all(&sb, "Lisa");
    branch(&sb, "sara");
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2018",
        "Bo Ek",
        "--unit",
        "HR",
    ])
    .success();
    commit_all(&sb, "Bo");
    main_branch(&sb);
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2018",
        "Bo Ek",
        "--unit",
        "HR",
        "--contact",
        "bo@example.org",
    ])
    .success();
    commit_all(&sb, "Bo, with his address");

    merge(&sb, "sara").success();
    sb.run(&["check", "--strict"]).success();
    let people = participants(&sb);
    assert_eq!(people.len(), 2, "{people:?}");
    assert_eq!(people[1]["contact"].as_str(), Some("bo@example.org"));
}

#[test]
fn a_participant_added_on_two_branches_with_different_consent_is_a_conflict() {
    let mut sb = team_repo();
    sb.allow_broken_cases();
    branch(&sb, "sara");
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2018",
        "Bo Ek",
        "--unit",
        "HR",
        "--consent",
    ])
    .success();
    commit_all(&sb, "Bo, who agrees");
    main_branch(&sb);
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2018",
        "Bo Ek",
        "--unit",
        "HR",
    ])
    .success();
    commit_all(&sb, "Bo");

    let out = merge(&sb, "sara");
    assert_ne!(out.code, 0, "{out:?}");
    let json = sb.run(&["check", "--format", "json"]).failure(1).json();
    assert!(
        json["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "conflict-marker" && p["path"] == "programs/ip2018.toml"),
        "{json}"
    );
    // Whichever side is kept, Bo Ek takes part once.
    let text = sb.read("programs/ip2018.toml");
    assert_eq!(text.matches("name = \"Bo Ek\"").count(), 1, "{text}");
}

#[test]
fn two_branches_that_each_forget_someone_keep_both_erasures() {
    let sb = team_repo();
    for (title, person) in [("Matsedel", "Anna Berg"), ("Lånecyklar", "Bo Ek")] {
        sb.run(&[
            "new",
            title,
            "--submitter",
            person,
            "--unit",
            "Kultur",
            "--coach",
            "erik",
        ])
        .success();
    }
    commit_all(&sb, "Two ideas");
    branch(&sb, "bo");
    sb.run(&["forget", "Bo Ek"]).success();
    commit_all(&sb, "forget Bo");
    main_branch(&sb);
    sb.run(&["forget", "Anna Berg"]).success();
    commit_all(&sb, "forget Anna");

    merge(&sb, "bo").success();
    let settings: toml::Table = toml::from_str(&sb.read("sluss.toml")).unwrap();
    let forgotten = settings["privacy"]["forgotten"].as_array().unwrap();
    assert_eq!(forgotten.len(), 2, "both erasures are kept: {forgotten:?}");
    sb.run(&["check"]).success();
    // A name either branch forgot that comes back is caught.
    sb.run(&[
        "new",
        "Igen",
        "--submitter",
        "Bo Ek",
        "--unit",
        "Kultur",
        "--coach",
        "erik",
    ])
    .success();
    sb.run(&["check"])
        .failure(1)
        .stdout_has("a forgotten person's name is here again");
}
