//! sluss and git: `init` and `git-setup` register the merge driver, `git merge` unions
//! what two branches logged on one case and marks only real conflicts, `--commit` and
//! `[git] auto_commit` commit exactly the case file, and the driver itself
//! (`sluss merge-driver BASE OURS THEIRS PATH`) on crafted files.
//!
//! Every test runs the real `git`, with a committer configured in the sandbox's own
//! repository and nothing read from the machine's git configuration.

use std::fs;

use crate::common::{Outcome, Sandbox};

const DRIVER_LINE: &str = "cases/*.toml merge=sluss";

/// An empty git repository with a committer; sluss is not set up yet.
fn git_sandbox() -> Sandbox {
    let sb = Sandbox::empty();
    sb.git(&["init", "--quiet", "--initial-branch=main"]);
    sb.git(&["config", "user.name", "Erik Lind"]);
    sb.git(&["config", "user.email", "erik@example.org"]);
    sb
}

fn commit_all(sb: &Sandbox, message: &str) {
    sb.git(&["add", "--all"]);
    sb.git(&["commit", "--quiet", "--message", message]);
}

/// git's output of a command that must succeed, trimmed.
fn git_text(sb: &Sandbox, args: &[&str]) -> String {
    sb.git_outcome(args).success().stdout.trim_end().to_string()
}

/// A sluss repository made by `sluss init` inside git (so the driver is registered),
/// with coaches erik and sara, all committed on `main`.
fn team_repo() -> Sandbox {
    let sb = git_sandbox();
    sb.run(&["init"]).success();
    sb.run(&["coach", "add", "erik", "--name", "Erik Lind"])
        .success();
    sb.run(&["coach", "add", "sara", "--name", "Sara Berg"])
        .success();
    commit_all(&sb, "A new idea sluice");
    sb
}

/// A case that every gate up to Utforska lets through, committed.
fn committed_case(sb: &Sandbox, title: &str) -> String {
    let id = sb.new_case_on(
        "2020-05-01",
        title,
        &[
            "--coach",
            "erik",
            "--need",
            "Boende vill veta vad som serveras",
        ],
    );
    commit_all(sb, title);
    id
}

fn show(sb: &Sandbox, id: &str) -> serde_json::Value {
    sb.run(&["show", id, "--format", "json"]).success().json()
}

/// The sessions of a shown case as (date, coach, minutes).
fn sessions(case: &serde_json::Value) -> Vec<(String, String, u64)> {
    case["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["date"].as_str().unwrap().to_string(),
                s["coach"].as_str().unwrap().to_string(),
                s["minutes"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The moves in a shown case's history as (from, to).
fn moves(case: &serde_json::Value) -> Vec<(String, String)> {
    case["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e.get("to").is_some())
        .map(|e| {
            (
                e["from"].as_str().unwrap().to_string(),
                e["to"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn case_count(sb: &Sandbox) -> usize {
    sb.run(&["list", "--format", "json"])
        .success()
        .json()
        .as_array()
        .map_or(0, Vec::len)
}

/// Asserts that a merge stopped on a conflict in `file`.
#[track_caller]
fn assert_conflict(merge: &Outcome, sb: &Sandbox, file: &str) {
    assert_ne!(merge.code, 0, "the merge should stop: {merge:?}");
    assert!(
        merge
            .stdout
            .contains(&format!("CONFLICT (content): Merge conflict in {file}")),
        "{merge:?}"
    );
    let status = git_text(sb, &["status", "--porcelain"]);
    assert!(
        status.lines().any(|l| l == format!("UU {file}")),
        "{status}"
    );
}

// ---------------------------------------------------------------------------------------
// Registering the driver

#[test]
fn init_inside_a_git_repository_registers_the_merge_driver() {
    let sb = git_sandbox();
    sb.run(&["init"])
        .success()
        .stdout_has("git now merges case files with sluss");
    let attributes = sb.read(".gitattributes");
    assert_eq!(attributes.lines().filter(|l| *l == DRIVER_LINE).count(), 1);
    // sluss as found on PATH, not the file that ran init: see merge_exact.rs.
    let driver = git_text(&sb, &["config", "merge.sluss.driver"]);
    assert!(
        driver.starts_with("sluss merge-driver %O %A %B %P;"),
        "{driver}"
    );
    assert!(!driver.contains(env!("CARGO_BIN_EXE_sluss")), "{driver}");
    assert!(!git_text(&sb, &["config", "merge.sluss.name"]).is_empty());
    assert_eq!(
        git_text(&sb, &["check-attr", "merge", "cases/c0f3abcdefgh.toml"]),
        "cases/c0f3abcdefgh.toml: merge: sluss"
    );
}

#[test]
fn init_outside_git_leaves_git_alone() {
    let sb = Sandbox::new();
    assert!(!sb.path(".gitattributes").exists());
    sb.run(&["git-setup"])
        .failure(1)
        .stderr_has("is not inside a git repository")
        .hint_has("git init");
}

#[test]
fn git_setup_registers_the_driver_once_however_often_it_runs() {
    let sb = Sandbox::new();
    sb.git(&["init", "--quiet"]);
    // A .gitattributes of the team's own, without a final newline.
    sb.write(".gitattributes", "*.md text");
    sb.run(&["git-setup"])
        .success()
        .stdout_has("Commit .gitattributes");
    let once = sb.read(".gitattributes");
    assert!(once.starts_with("*.md text\n"), "{once}");
    for line in [
        DRIVER_LINE,
        "programs/*.toml merge=sluss",
        "network/*.toml merge=sluss",
    ] {
        assert_eq!(once.lines().filter(|l| *l == line).count(), 1, "{once}");
    }
    let driver = git_text(&sb, &["config", "merge.sluss.driver"]);

    sb.run(&["git-setup"]).success();
    sb.run(&["git-setup"]).success();
    assert_eq!(sb.read(".gitattributes"), once);
    assert_eq!(
        git_text(&sb, &["config", "--get-all", "merge.sluss.driver"]),
        driver
    );
    assert_eq!(
        git_text(&sb, &["config", "--get-all", "merge.sluss.name"])
            .lines()
            .count(),
        1
    );
}

// ---------------------------------------------------------------------------------------
// Merging with the driver

/// The issue's "done when": two branches each log a session on one case, one also
/// advances it, both add new cases; git merges without a conflict and check passes.
#[test]
fn sessions_logged_on_two_branches_merge_without_conflict() {
    let sb = team_repo();
    let id = committed_case(&sb, "Digital matsedel");

    sb.git(&["checkout", "--quiet", "-b", "erik"]);
    sb.run(&[
        "session",
        &id,
        "--minutes",
        "60",
        "--date",
        "2020-06-01",
        "--kind",
        "workshop",
    ])
    .success();
    sb.run(&["advance", &id]).success();
    sb.new_case("Läxhjälp på biblioteket", &[]);
    commit_all(&sb, "Erik's day");

    sb.git(&["checkout", "--quiet", "main"]);
    sb.run(&[
        "session",
        &id,
        "--minutes",
        "45",
        "--date",
        "2020-06-02",
        "--coach",
        "sara",
        "--by",
        "sara",
    ])
    .success();
    sb.new_case("Nattöppet gym", &["--coach", "sara"]);
    commit_all(&sb, "Sara's day");

    sb.git_outcome(&["merge", "--no-edit", "erik"]).success();
    assert_eq!(git_text(&sb, &["status", "--porcelain"]), "");
    let out = sb.run(&["check"]).success();
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));

    let case = show(&sb, &id);
    assert_eq!(
        sessions(&case),
        vec![
            ("2020-06-01".into(), "erik".into(), 60),
            ("2020-06-02".into(), "sara".into(), 45),
        ]
    );
    assert_eq!(case["stage"], "provning");
    assert_eq!(moves(&case), vec![("inkommen".into(), "provning".into())]);
    assert_eq!(case_count(&sb), 3);
    assert!(!sb.case_text(&id).contains("<<<<<<<"));
}

#[test]
fn both_branches_changing_the_title_is_a_conflict_on_that_line() {
    let mut sb = team_repo();
    sb.allow_broken_cases();
    let id = committed_case(&sb, "Matsedel");
    let file = Sandbox::case_rel(&id);
    let retitle = |title: &str| {
        let text = sb
            .case_text(&id)
            .replace("title = \"Matsedel\"", &format!("title = \"{title}\""));
        sb.write_case(&id, &text);
    };

    sb.git(&["checkout", "--quiet", "-b", "sara"]);
    retitle("Meny på nätet");
    sb.run(&["session", &id, "--minutes", "30", "--date", "2020-06-03"])
        .success();
    commit_all(&sb, "Sara's title");
    sb.git(&["checkout", "--quiet", "main"]);
    retitle("Digital matsedel");
    commit_all(&sb, "Erik's title");

    let merge = sb.git_outcome(&["merge", "--no-edit", "sara"]);
    assert_conflict(&merge, &sb, &file);
    assert!(
        merge.stderr.contains("both sides changed title"),
        "{merge:?}"
    );
    let text = sb.case_text(&id);
    assert!(
        text.contains(
            "<<<<<<< ours\ntitle = \"Digital matsedel\"\n=======\ntitle = \"Meny på nätet\"\n>>>>>>> theirs\n"
        ),
        "{text}"
    );
    // Everything else merged: the session from the other branch is there.
    assert!(text.contains("date = 2020-06-03"), "{text}");
    let marker_line = text.lines().position(|l| l == "<<<<<<< ours").unwrap() + 1;

    let json = sb.run(&["check", "--format", "json"]).failure(1).json();
    let problems = json["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems.iter().all(|p| p["code"] == "conflict-marker"));
    assert_eq!(problems[0]["path"], file.as_str());
    assert_eq!(problems[0]["line"], marker_line);
    sb.run(&["check"]).failure(1).stdout_has(&format!(
        "{file}:{marker_line}:1: error: leftover merge-conflict marker"
    ));
}

#[test]
fn both_branches_advancing_to_different_stages_is_a_conflict_on_stage() {
    let mut sb = team_repo();
    sb.allow_broken_cases();
    let id = committed_case(&sb, "Matsedel");
    let file = Sandbox::case_rel(&id);

    // Sara moves it first; Erik, half an hour later on his branch, further.
    sb.git(&["checkout", "--quiet", "-b", "sara"]);
    sb.run(&["advance", &id, "--by", "sara"]).success();
    commit_all(&sb, "To Prövning");
    sb.git(&["checkout", "--quiet", "main"]);
    sb.cmd(&["advance", &id, "--to", "utforska"])
        .env("SLUSS_NOW", "2020-06-30T12:30:00+02:00")
        .run()
        .success();
    commit_all(&sb, "To Utforska");

    let merge = sb.git_outcome(&["merge", "--no-edit", "sara"]);
    assert_conflict(&merge, &sb, &file);
    let text = sb.case_text(&id);
    assert!(
        text.contains(
            "<<<<<<< ours\nstage = \"utforska\"\n=======\nstage = \"provning\"\n>>>>>>> theirs\n"
        ),
        "{text}"
    );
    sb.run(&["check"])
        .failure(1)
        .stdout_has("error: leftover merge-conflict marker");

    // Keeping ours resolves the markers, but not the history: both moves start from
    // Inkommen, and check says so.
    let resolved = text
        .replace("<<<<<<< ours\n", "")
        .replace("=======\nstage = \"provning\"\n>>>>>>> theirs\n", "");
    sb.write_case(&id, &resolved);
    let json = sb.run(&["check", "--format", "json"]).failure(1).json();
    let codes: Vec<&str> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["history-from"]);
}

#[test]
fn a_conflict_in_sluss_toml_is_reported_by_check() {
    // One coach added on two branches under two names collides.
    let mut sb = team_repo();
    sb.allow_broken_cases();
    sb.git(&["checkout", "--quiet", "-b", "maria"]);
    sb.run(&["coach", "add", "maria", "--name", "Maria Ek"])
        .success();
    commit_all(&sb, "Maria");
    sb.git(&["checkout", "--quiet", "main"]);
    sb.run(&["coach", "add", "maria", "--name", "Maria Berg"])
        .success();
    commit_all(&sb, "Olle");
    let merge = sb.git_outcome(&["merge", "--no-edit", "maria"]);
    assert_conflict(&merge, &sb, "sluss.toml");
    let json = sb.run(&["check", "--format", "json"]).failure(1).json();
    let problems = json["problems"].as_array().unwrap();
    assert!(!problems.is_empty());
    assert!(
        problems
            .iter()
            .all(|p| p["code"] == "conflict-marker" && p["path"] == "sluss.toml"),
        "{problems:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Merging without the driver

/// A repository under git where sluss was set up before git, so git merges case files
/// line by line.
fn plain_git_repo() -> Sandbox {
    let sb = Sandbox::with_team();
    sb.git(&["init", "--quiet", "--initial-branch=main"]);
    sb.git(&["config", "user.name", "Erik Lind"]);
    sb.git(&["config", "user.email", "erik@example.org"]);
    assert!(!sb.path(".gitattributes").exists());
    commit_all(&sb, "A new idea sluice");
    sb
}

/// Without the driver, a new history entry lands after the last one and a new session
/// after the last session (each log grows in its own place), and the stage line is far
/// from both: git merges an advance and a session cleanly once the case has both logs.
#[test]
fn without_the_driver_an_advance_and_a_session_merge_once_both_logs_exist() {
    let sb = plain_git_repo();
    let id = sb.new_case_on(
        "2020-05-01",
        "Matsedel",
        &["--coach", "erik", "--need", "Boende vill veta"],
    );
    sb.run(&["session", &id, "--minutes", "30", "--date", "2020-06-01"])
        .success();
    sb.cmd(&["advance", &id])
        .env("SLUSS_NOW", "2020-06-02T09:00:00+02:00")
        .run()
        .success();
    commit_all(&sb, "Matsedel");

    sb.git(&["checkout", "--quiet", "-b", "sara"]);
    sb.run(&["advance", &id]).success();
    commit_all(&sb, "To Utforska");
    sb.git(&["checkout", "--quiet", "main"]);
    sb.run(&[
        "session",
        &id,
        "--minutes",
        "45",
        "--date",
        "2020-06-20",
        "--coach",
        "sara",
    ])
    .success();
    commit_all(&sb, "A session");

    sb.git_outcome(&["merge", "--no-edit", "sara"]).success();
    sb.run(&["check"]).success();
    let case = show(&sb, &id);
    assert_eq!(case["stage"], "utforska");
    assert_eq!(sessions(&case).len(), 2);
    assert_eq!(moves(&case).len(), 2);
}

/// The first history entry of a case goes before its sessions (where the spec shows
/// it), not at the end of the file where a session is appended: so even without the
/// driver, git sees the two edits at different places and merges them.
#[test]
fn without_the_driver_a_first_move_and_a_session_do_not_collide() {
    let sb = plain_git_repo();
    let id = sb.new_case_on(
        "2020-05-01",
        "Matsedel",
        &["--coach", "erik", "--need", "Boende vill veta"],
    );
    sb.run(&["session", &id, "--minutes", "30", "--date", "2020-06-01"])
        .success();
    commit_all(&sb, "Matsedel");

    sb.git(&["checkout", "--quiet", "-b", "sara"]);
    sb.run(&["advance", &id]).success();
    let text = sb.read(&Sandbox::case_rel(&id));
    assert!(
        text.find("[[history]]") < text.find("[[sessions]]"),
        "the first history entry goes before the sessions:\n{text}"
    );
    commit_all(&sb, "To Prövning");
    sb.git(&["checkout", "--quiet", "main"]);
    sb.run(&["session", &id, "--minutes", "45", "--date", "2020-06-20"])
        .success();
    commit_all(&sb, "A session");

    sb.git_outcome(&["merge", "--no-edit", "sara"]).success();
    sb.run(&["check"]).success();
    let case = show(&sb, &id);
    assert_eq!(sessions(&case).len(), 2);
    assert_eq!(moves(&case), vec![("inkommen".into(), "provning".into())]);
}

// ---------------------------------------------------------------------------------------
// --commit and [git] auto_commit

/// The files a commit touched.
fn files_of(sb: &Sandbox, commit: &str) -> Vec<String> {
    git_text(sb, &["show", "--name-only", "--format=", commit])
        .lines()
        .map(str::to_string)
        .collect()
}

fn subject(sb: &Sandbox, commit: &str) -> String {
    git_text(sb, &["log", "-1", "--format=%s", commit])
}

#[test]
fn commit_flag_commits_exactly_the_case_file() {
    let sb = team_repo();
    let id = sb.new_case("Digital matsedel", &["--coach", "erik", "--commit"]);
    let short = &id[..4];
    let file = Sandbox::case_rel(&id);
    assert_eq!(
        subject(&sb, "HEAD"),
        format!("{short}: new case: Digital matsedel")
    );
    assert_eq!(files_of(&sb, "HEAD"), vec![file.clone()]);

    // Other work in progress, staged and not, stays as it was.
    sb.write("anteckningar.md", "Att göra\n");
    sb.git(&["add", "anteckningar.md"]);
    let other = sb.new_case("Läxhjälp", &[]);
    sb.run(&["advance", &id, "--commit"])
        .success()
        .stdout_has(&format!("{short}: Inkommen → Prövning"));
    assert_eq!(
        subject(&sb, "HEAD"),
        format!("{short}: Inkommen → Prövning")
    );
    assert_eq!(files_of(&sb, "HEAD"), vec![file.clone()]);
    assert_eq!(
        git_text(&sb, &["diff", "--cached", "--name-only"]),
        "anteckningar.md"
    );
    assert_eq!(
        git_text(&sb, &["status", "--porcelain", "--", "cases"]),
        format!("?? {}", Sandbox::case_rel(&other))
    );

    sb.run(&["session", &id, "--minutes", "30", "--commit"])
        .success();
    assert_eq!(
        subject(&sb, "HEAD"),
        format!("{short}: session 30 min with erik on 2020-06-30")
    );
    assert_eq!(files_of(&sb, "HEAD"), vec![file]);
}

#[test]
fn auto_commit_in_sluss_toml_commits_without_the_flag() {
    let sb = team_repo();
    let mut config = sb.read("sluss.toml");
    config.push_str("\n[git]\nauto_commit = true\n");
    sb.write("sluss.toml", &config);
    commit_all(&sb, "Commit every change");

    let id = sb.new_case("Digital matsedel", &["--coach", "erik"]);
    let short = &id[..4];
    let file = Sandbox::case_rel(&id);
    assert_eq!(
        subject(&sb, "HEAD"),
        format!("{short}: new case: Digital matsedel")
    );
    assert_eq!(files_of(&sb, "HEAD"), vec![file.clone()]);
    sb.run(&["advance", &id]).success();
    assert_eq!(
        subject(&sb, "HEAD"),
        format!("{short}: Inkommen → Prövning")
    );
    assert_eq!(files_of(&sb, "HEAD"), vec![file]);
    assert_eq!(git_text(&sb, &["status", "--porcelain"]), "");
}

#[test]
fn commit_outside_git_fails_after_writing() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Digital matsedel", &["--coach", "erik"]);
    sb.run(&["advance", &id, "--commit"])
        .failure(1)
        .stderr_has("was written, but not committed");
    assert_eq!(sb.case(&id)["stage"].as_str(), Some("provning"));
}

// ---------------------------------------------------------------------------------------
// The merge driver on crafted files

const BASE: &str = r#"id = "c0f3k7f3q2a8"
title = "Matsedel" # working title
created = 2020-01-10T09:00:00+01:00
stage = "provning" # where it is
status = "open"
coach = "erik"
unit = "Vård och omsorg"

[description]
need = "Boende vill veta vad som serveras"

[[history]]
at = 2020-01-12T10:00:00+01:00
by = "erik"
from = "inkommen"
to = "provning"

[[sessions]]
date = 2020-01-15
coach = "erik"
minutes = 60
"#;

fn session(date: &str, coach: &str, minutes: u32) -> String {
    format!("\n[[sessions]]\ndate = {date}\ncoach = \"{coach}\"\nminutes = {minutes}\n")
}

/// Runs the driver on three versions in the sandbox's base folder; returns what it did
/// and the merged text (written over ours).
fn drive(sb: &Sandbox, base: &str, ours: &str, theirs: &str) -> (Outcome, String) {
    let dir = sb.base().join("merge");
    fs::create_dir_all(&dir).unwrap();
    let (b, o, t) = (dir.join("base"), dir.join("ours"), dir.join("theirs"));
    fs::write(&b, base).unwrap();
    fs::write(&o, ours).unwrap();
    fs::write(&t, theirs).unwrap();
    let out = sb
        .cmd(&[
            "merge-driver",
            b.to_str().unwrap(),
            o.to_str().unwrap(),
            t.to_str().unwrap(),
            "cases/c0f3k7f3q2a8.toml",
        ])
        .current_dir(&dir)
        .run();
    (out, fs::read_to_string(&o).unwrap())
}

fn parsed(text: &str) -> toml::Table {
    toml::from_str(text).unwrap_or_else(|e| panic!("not TOML ({e}):\n{text}"))
}

#[test]
fn driver_unions_the_logs_once_each_in_time_order() {
    let sb = Sandbox::empty();
    let ours = format!(
        "{BASE}{}{}\n[[history]]\nat = 2020-06-30T09:30:00+00:00\nby = \"erik\"\nnote = \"Plan klar\"\n",
        session("2020-03-05", "erik", 30),
        session("2020-02-01", "erik", 20),
    );
    // Theirs logged one of the same sessions (added on both sides: kept once), one
    // between them, and a note at 09:00 UTC written in Swedish summer time.
    let theirs = format!(
        "{BASE}{}{}\n[[history]]\nat = 2020-06-30T11:00:00+02:00\nby = \"sara\"\nnote = \"Ringde Anna\"\n",
        session("2020-03-01", "sara", 45),
        session("2020-03-05", "erik", 30),
    );
    let (out, merged) = drive(&sb, BASE, &ours, &theirs);
    let out = out.success();
    assert_eq!(out.stderr, "");
    let case = parsed(&merged);
    let dates: Vec<String> = case["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["date"].to_string())
        .collect();
    assert_eq!(
        dates,
        ["2020-01-15", "2020-02-01", "2020-03-01", "2020-03-05"]
    );
    let by: Vec<&str> = case["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["by"].as_str().unwrap())
        .collect();
    // 11:00+02:00 is half an hour before 09:30+00:00.
    assert_eq!(by, ["erik", "sara", "erik"]);
    assert!(
        merged.contains("title = \"Matsedel\" # working title"),
        "{merged}"
    );
}

#[test]
fn driver_takes_a_field_changed_on_one_side_and_keeps_our_comment() {
    let sb = Sandbox::empty();
    let ours = BASE.replace("title = \"Matsedel\"", "title = \"Digital matsedel\"");
    let theirs = BASE
        .replace("stage = \"provning\"", "stage = \"utforska\"")
        .replace(
            "need = \"Boende vill veta vad som serveras\"",
            "need = \"Boende och anhöriga\"",
        )
        + "\n[[history]]\nat = 2020-02-01T10:00:00+01:00\nby = \"sara\"\nfrom = \"provning\"\nto = \"utforska\"\n";
    let (out, merged) = drive(&sb, BASE, &ours, &theirs);
    out.success();
    assert!(
        merged.contains("title = \"Digital matsedel\" # working title\n"),
        "{merged}"
    );
    assert!(
        merged.contains("stage = \"utforska\" # where it is\n"),
        "{merged}"
    );
    let case = parsed(&merged);
    assert_eq!(
        case["description"]["need"].as_str(),
        Some("Boende och anhöriga")
    );
    assert_eq!(case["history"].as_array().unwrap().len(), 2);
}

#[test]
fn driver_marks_every_field_both_sides_changed() {
    let sb = Sandbox::empty();
    // The case's coach, not the session's.
    let ours = BASE
        .replace("title = \"Matsedel\"", "title = \"Digital matsedel\"")
        .replacen("coach = \"erik\"", "coach = \"sara\"", 1);
    let theirs = BASE
        .replace("title = \"Matsedel\"", "title = \"Meny på nätet\"")
        .replacen("coach = \"erik\"", "coach = \"maria\"", 1);
    let (out, merged) = drive(&sb, BASE, &ours, &theirs);
    let out = out.failure(1);
    assert!(
        out.stderr
            .contains("cases/c0f3k7f3q2a8.toml: both sides changed title, coach"),
        "{}",
        out.stderr
    );
    assert!(
        merged.contains(
            "<<<<<<< ours\ntitle = \"Digital matsedel\" # working title\n=======\ntitle = \"Meny på nätet\"\n>>>>>>> theirs\n"
        ),
        "{merged}"
    );
    assert!(
        merged.contains(
            "<<<<<<< ours\ncoach = \"sara\"\n=======\ncoach = \"maria\"\n>>>>>>> theirs\n"
        ),
        "{merged}"
    );
}

#[test]
fn driver_shows_a_field_ours_removed_and_theirs_changed_only_on_their_side() {
    let sb = Sandbox::empty();
    let ours = BASE.replace("coach = \"erik\"\nunit", "unit");
    let theirs = BASE.replace("coach = \"erik\"", "coach = \"sara\"");
    let (out, merged) = drive(&sb, BASE, &ours, &theirs);
    out.failure(1);
    assert!(
        merged.contains("<<<<<<< ours\n=======\ncoach = \"sara\"\n>>>>>>> theirs\n"),
        "{merged}"
    );
}

#[test]
fn driver_keeps_our_crlf_line_endings() {
    let sb = Sandbox::empty();
    let ours = (BASE.to_string() + &session("2020-02-01", "erik", 20)).replace('\n', "\r\n");
    let theirs = BASE.replace("stage = \"provning\"", "stage = \"utforska\"")
        + "\n[[history]]\nat = 2020-02-01T10:00:00+01:00\nby = \"sara\"\nfrom = \"provning\"\nto = \"utforska\"\n"
        + &session("2020-03-01", "sara", 45);
    let (out, merged) = drive(&sb, BASE, &ours, &theirs);
    out.success();
    assert_eq!(
        merged.matches('\n').count(),
        merged.matches("\r\n").count(),
        "a bare LF in:\n{merged:?}"
    );
    assert!(merged.contains("stage = \"utforska\" # where it is\r\n"));
    assert!(merged.contains("date = 2020-03-01\r\n"));
    assert!(merged.contains("date = 2020-02-01\r\n"));
}

#[test]
fn driver_merges_a_file_that_is_not_toml_line_by_line() {
    let sb = Sandbox::empty();
    let base = "Anteckningar\nett\ntvå\ntre\nfyra\n";
    let ours = "Anteckningar\n1\ntvå\ntre\nfyra\n";
    let theirs = "Anteckningar\nett\ntvå\ntre\n4\n";
    let (out, merged) = drive(&sb, base, ours, theirs);
    // The lines merge, but the result is no case: `check` would refuse it, so both
    // versions stand between markers and git reports a conflict.
    let out = out.failure(1);
    assert!(
        out.stderr
            .contains("cases/c0f3k7f3q2a8.toml: not merged as a case"),
        "{}",
        out.stderr
    );
    assert_eq!(
        merged,
        format!("<<<<<<< ours\n{ours}=======\n{theirs}>>>>>>> theirs\n")
    );

    // Changed lines that collide are marked the way git marks them.
    let (out, merged) = drive(
        &sb,
        base,
        "Anteckningar\nA\ntvå\ntre\nfyra\n",
        "Anteckningar\nB\ntvå\ntre\nfyra\n",
    );
    out.failure(1);
    assert_eq!(
        merged,
        "Anteckningar\n<<<<<<< ours\nA\n=======\nB\n>>>>>>> theirs\ntvå\ntre\nfyra\n"
    );
}

#[test]
fn driver_drops_a_log_entry_the_other_side_removed() {
    let sb = Sandbox::empty();
    // Theirs removed the only session, logged by mistake; ours changed the title.
    let ours = BASE.replace("title = \"Matsedel\"", "title = \"Digital matsedel\"");
    let theirs = BASE.replace(
        "\n[[sessions]]\ndate = 2020-01-15\ncoach = \"erik\"\nminutes = 60\n",
        "",
    );
    assert_ne!(theirs, BASE);
    let (out, merged) = drive(&sb, BASE, &ours, &theirs);
    out.success();
    let case = parsed(&merged);
    assert!(case.get("sessions").is_none(), "{merged}");
    assert_eq!(case["title"].as_str(), Some("Digital matsedel"));

    // And one of several.
    let base = BASE.to_string() + &session("2020-02-01", "sara", 20);
    let theirs = BASE.to_string();
    let ours = base.clone() + &session("2020-03-01", "erik", 30);
    let (out, merged) = drive(&sb, &base, &ours, &theirs);
    out.success();
    let dates: Vec<String> = parsed(&merged)["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["date"].to_string())
        .collect();
    assert_eq!(dates, ["2020-01-15", "2020-03-01"]);
}
