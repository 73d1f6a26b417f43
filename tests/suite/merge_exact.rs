//! Merges never lose or invent work: git's merges of case files, programs and network
//! members through sluss's merge driver keep every session and history entry exactly as
//! often as the branches logged it, exit 0 only when the result passes `check`, and
//! otherwise leave conflict markers that a person can resolve, whatever goes wrong. The
//! property tests at the end drive `sluss::merge::merge_case` on generated edits.

use std::fs;
use std::process::Command;

use crate::common::{Outcome, Sandbox, git_path};

/// An empty git repository with a committer and sluss set up inside it (so the driver
/// is registered), coaches erik and sara and the program ip2018, all committed on main.
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
    sb.run(&[
        "program",
        "add",
        "ip2018",
        "--name",
        "Innovationsprogram 2018",
    ])
    .success();
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

/// A committed case with a coach and a need, so every gate up to Utforska lets it pass.
fn committed_case(sb: &Sandbox) -> String {
    let id = sb.new_case_on(
        "2020-05-01",
        "Matsedel",
        &[
            "--coach",
            "erik",
            "--need",
            "Boende vill veta vad som serveras",
        ],
    );
    commit_all(sb, "Matsedel");
    id
}

fn session(sb: &Sandbox, id: &str, minutes: &str, date: &str) {
    sb.run(&["session", id, "--minutes", minutes, "--date", date])
        .success();
}

fn summary_minutes(sb: &Sandbox) -> u64 {
    sb.run(&["summary", "--format", "json"]).success().json()["coaching"]["minutes"]
        .as_u64()
        .unwrap()
}

fn entries(sb: &Sandbox, id: &str, log: &str) -> Vec<toml::Value> {
    sb.case(id)
        .get(log)
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
}

/// Asserts that git stopped on a conflict in `file`, that the file holds markers, and
/// that `check` names them.
#[track_caller]
fn assert_marked_conflict(sb: &Sandbox, merge: &Outcome, file: &str) {
    assert_ne!(merge.code, 0, "the merge should stop: {merge:?}");
    let status = sb.git_outcome(&["status", "--porcelain"]).success().stdout;
    assert!(
        status.lines().any(|l| l == format!("UU {file}")),
        "{status}"
    );
    let text = sb.read(file);
    assert!(text.contains("<<<<<<< "), "no markers in {file}:\n{text}");
    let json = sb.run(&["check", "--format", "json"]).failure(1).json();
    let problems = json["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["code"] == "conflict-marker" && p["path"] == file),
        "{problems:?}"
    );
}

/// Runs the driver on three versions; returns what it did and the file it wrote.
fn drive(sb: &Sandbox, base: &[u8], ours: &[u8], theirs: &[u8], path: &str) -> (Outcome, String) {
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
            path,
        ])
        .current_dir(&dir)
        .run();
    (
        out,
        String::from_utf8_lossy(&fs::read(&o).unwrap()).into_owned(),
    )
}

/// Keeps one side of every conflict in a marked text.
fn resolve(text: &str, keep_ours: bool) -> String {
    let mut out = String::new();
    let mut side = None;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare.starts_with("<<<<<<<") {
            side = Some(true);
        } else if bare == "=======" && side.is_some() {
            side = Some(false);
        } else if bare.starts_with(">>>>>>>") {
            side = None;
        } else if side.is_none_or(|ours| ours == keep_ours) {
            out.push_str(line);
        }
    }
    out
}

const ID: &str = "c0f3k7f3q2a8";
const CASE_PATH: &str = "cases/c0f3k7f3q2a8.toml";

const BASE: &str = r#"id = "c0f3k7f3q2a8"
title = "Matsedel"
created = 2020-01-10T09:00:00+01:00
stage = "provning"
status = "open"
coach = "erik"
unit = "Vård och omsorg"

[submitter]
name = "Anna Berg"
consent = false

[description]
need = ""

[[history]]
at = 2020-01-12T10:00:00+01:00
by = "erik"
from = "inkommen"
to = "provning"

[[sessions]]
date = 2020-01-15
coach = "erik"
minutes = 600
notes = "Workshop med Anna Berg"
"#;

// ---------------------------------------------------------------------------------------
// Sessions and history are multisets

#[test]
fn two_identical_sessions_on_one_branch_stay_two_after_the_merge() {
    let sb = team_repo();
    let id = committed_case(&sb);
    branch(&sb, "sara");
    session(&sb, &id, "30", "2020-06-01");
    session(&sb, &id, "30", "2020-06-01");
    commit_all(&sb, "Two half hours");
    main_branch(&sb);
    session(&sb, &id, "60", "2020-06-02");
    commit_all(&sb, "An hour");

    merge(&sb, "sara").success();
    sb.run(&["check"]).success();
    assert_eq!(entries(&sb, &id, "sessions").len(), 3);
    assert_eq!(summary_minutes(&sb), 120);
}

#[test]
fn a_session_edited_on_a_branch_while_forget_ran_on_main_is_one_session() {
    let sb = team_repo();
    let id = committed_case(&sb);
    sb.run(&[
        "session",
        &id,
        "--minutes",
        "60",
        "--date",
        "2020-06-01",
        "--notes",
        "Ringde Anna Berg",
    ])
    .success();
    commit_all(&sb, "A call");

    branch(&sb, "fix");
    let text = sb.case_text(&id).replace("minutes = 60", "minutes = 45");
    sb.write_case(&id, &text);
    commit_all(&sb, "It was 45 minutes");
    main_branch(&sb);
    sb.run(&["forget", "Anna Berg"]).success();
    commit_all(&sb, "Forget Anna Berg");

    merge(&sb, "fix").success();
    sb.run(&["check"]).success();
    let text = sb.case_text(&id);
    assert!(
        !text.contains("Anna"),
        "the forgotten name came back:\n{text}"
    );
    let sessions = entries(&sb, &id, "sessions");
    assert_eq!(sessions.len(), 1, "{text}");
    assert_eq!(sessions[0]["minutes"].as_integer(), Some(45));
    assert_eq!(sessions[0]["notes"].as_str(), Some("Ringde [removed]"));
}

#[test]
fn the_same_session_changed_field_by_field_on_both_sides_is_one_session() {
    let sb = Sandbox::empty();
    let ours = BASE.replace("minutes = 600", "minutes = 60");
    let theirs = BASE.replace("Workshop med Anna Berg", "Workshop om matsedeln");
    let (out, merged) = drive(
        &sb,
        BASE.as_bytes(),
        ours.as_bytes(),
        theirs.as_bytes(),
        CASE_PATH,
    );
    out.success();
    let case: toml::Table = toml::from_str(&merged).unwrap();
    let sessions = case["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1, "{merged}");
    assert_eq!(sessions[0]["minutes"].as_integer(), Some(60));
    assert_eq!(sessions[0]["notes"].as_str(), Some("Workshop om matsedeln"));
}

#[test]
fn the_same_field_of_one_session_changed_differently_is_a_conflict_with_markers() {
    let sb = Sandbox::empty();
    let ours = BASE.replace("minutes = 600", "minutes = 60");
    let theirs = BASE.replace("minutes = 600", "minutes = 90");
    let (out, merged) = drive(
        &sb,
        BASE.as_bytes(),
        ours.as_bytes(),
        theirs.as_bytes(),
        CASE_PATH,
    );
    out.failure(1).stderr_has("sessions[0].minutes");
    assert!(merged.contains("<<<<<<< ours"), "{merged}");
    for (keep_ours, minutes) in [(true, 60), (false, 90)] {
        let case: toml::Table = toml::from_str(&resolve(&merged, keep_ours)).unwrap();
        let sessions = case["sessions"].as_array().unwrap();
        assert_eq!(sessions.len(), 1);
        assert_eq!(sessions[0]["minutes"].as_integer(), Some(minutes));
    }
}

#[test]
fn a_session_removed_on_one_side_and_changed_on_the_other_is_a_conflict() {
    let sb = Sandbox::empty();
    let ours = BASE.replace(
        "\n[[sessions]]\ndate = 2020-01-15\ncoach = \"erik\"\nminutes = 600\nnotes = \"Workshop med Anna Berg\"\n",
        "",
    );
    assert_ne!(ours, BASE);
    let theirs = BASE.replace("minutes = 600", "minutes = 60");
    let (out, merged) = drive(
        &sb,
        BASE.as_bytes(),
        ours.as_bytes(),
        theirs.as_bytes(),
        CASE_PATH,
    );
    out.failure(1);
    assert!(merged.contains("<<<<<<< ours"), "{merged}");
}

// ---------------------------------------------------------------------------------------
// A merge exits 0 only when its result passes check

#[test]
fn close_on_one_branch_and_park_and_reopen_on_the_other_is_a_conflict() {
    let mut sb = team_repo();
    sb.allow_broken_cases();
    let id = committed_case(&sb);
    branch(&sb, "sara");
    sb.cmd(&["park", &id, "--note", "Väntar på budget"])
        .env("SLUSS_NOW", "2020-06-10T10:00:00+02:00")
        .run()
        .success();
    sb.cmd(&["reopen", &id])
        .env("SLUSS_NOW", "2020-06-20T10:00:00+02:00")
        .run()
        .success();
    commit_all(&sb, "Parked and back");
    main_branch(&sb);
    sb.cmd(&["close", &id, "--outcome", "stopped"])
        .env("SLUSS_NOW", "2020-06-15T10:00:00+02:00")
        .run()
        .success();
    commit_all(&sb, "Closed");

    let out = merge(&sb, "sara");
    assert_marked_conflict(&sb, &out, &Sandbox::case_rel(&id));
    assert!(
        out.stderr.contains("would not pass `sluss check`"),
        "{out:?}"
    );
}

#[test]
fn both_branches_advancing_one_stage_at_different_times_is_one_move() {
    let sb = team_repo();
    let id = committed_case(&sb);
    branch(&sb, "sara");
    sb.cmd(&["advance", &id, "--by", "sara"])
        .env("SLUSS_NOW", "2020-06-10T10:00:00+02:00")
        .run()
        .success();
    commit_all(&sb, "To Prövning");
    main_branch(&sb);
    sb.cmd(&["advance", &id])
        .env("SLUSS_NOW", "2020-06-12T10:00:00+02:00")
        .run()
        .success();
    commit_all(&sb, "To Prövning too");

    merge(&sb, "sara").success();
    sb.run(&["check"]).success();
    let history = entries(&sb, &id, "history");
    assert_eq!(history.len(), 1, "{history:?}");
    // The move as whoever made it first wrote it.
    assert_eq!(history[0]["by"].as_str(), Some("sara"));
    assert_eq!(sb.case(&id)["stage"].as_str(), Some("provning"));
}

#[test]
fn both_branches_advancing_the_same_step_at_the_same_moment_is_one_move() {
    let sb = team_repo();
    let id = committed_case(&sb);
    branch(&sb, "sara");
    sb.run(&["advance", &id]).success();
    session(&sb, &id, "30", "2020-06-01");
    commit_all(&sb, "To Prövning");
    main_branch(&sb);
    sb.run(&["advance", &id]).success();
    commit_all(&sb, "To Prövning too");

    merge(&sb, "sara").success();
    sb.run(&["check"]).success();
    assert_eq!(entries(&sb, &id, "history").len(), 1);
    assert_eq!(entries(&sb, &id, "sessions").len(), 1);
}

#[test]
fn one_branch_moving_a_stage_further_along_the_same_path_merges_clean() {
    let sb = team_repo();
    let id = committed_case(&sb);
    branch(&sb, "sara");
    sb.cmd(&["advance", &id, "--by", "sara"])
        .env("SLUSS_NOW", "2020-06-10T10:00:00+02:00")
        .run()
        .success();
    commit_all(&sb, "To Prövning");
    main_branch(&sb);
    for day in ["2020-06-11", "2020-06-12"] {
        sb.cmd(&["advance", &id])
            .env("SLUSS_NOW", format!("{day}T10:00:00+02:00"))
            .run()
            .success();
    }
    commit_all(&sb, "To Utforska");

    merge(&sb, "sara").success();
    sb.run(&["check"]).success();
    let case = sb.case(&id);
    assert_eq!(case["stage"].as_str(), Some("utforska"));
    let moves: Vec<(&str, &str)> = case["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["from"].as_str().unwrap(), h["to"].as_str().unwrap()))
        .collect();
    assert_eq!(moves, [("inkommen", "provning"), ("provning", "utforska")]);
}

#[test]
fn moves_that_differ_in_more_than_time_and_author_are_a_conflict_not_two_moves() {
    let mut sb = team_repo();
    sb.allow_broken_cases();
    let id = committed_case(&sb);
    branch(&sb, "sara");
    sb.cmd(&["advance", &id, "--note", "Inom uppdraget"])
        .env("SLUSS_NOW", "2020-06-10T10:00:00+02:00")
        .run()
        .success();
    commit_all(&sb, "To Prövning");
    main_branch(&sb);
    sb.cmd(&["advance", &id, "--note", "Ser lovande ut"])
        .env("SLUSS_NOW", "2020-06-12T10:00:00+02:00")
        .run()
        .success();
    commit_all(&sb, "To Prövning too");

    let out = merge(&sb, "sara");
    assert_marked_conflict(&sb, &out, &Sandbox::case_rel(&id));
}

// ---------------------------------------------------------------------------------------
// When a side cannot be read, and when sluss cannot run

#[test]
fn a_side_that_is_not_utf8_leaves_markers_and_both_sides() {
    let sb = Sandbox::empty();
    let ours = BASE.replace("minutes = 600", "minutes = 60");
    let mut theirs = (BASE.to_string()
        + "\n[[sessions]]\ndate = 2020-02-01\ncoach = \"sara\"\nminutes = 45\n")
        .into_bytes();
    let at = theirs.len() - 3;
    theirs[at] = 0xff;
    let (out, merged) = drive(&sb, BASE.as_bytes(), ours.as_bytes(), &theirs, CASE_PATH);
    out.failure(1).stderr_has("not UTF-8");
    assert!(merged.contains("<<<<<<< ours"), "{merged}");
    assert!(merged.contains("date = 2020-02-01"), "{merged}");
    assert!(merged.contains("minutes = 60\n"), "{merged}");
}

#[test]
fn a_side_that_is_not_toml_leaves_markers_and_both_sides() {
    let sb = Sandbox::empty();
    let ours =
        BASE.to_string() + "\n[[sessions]]\ndate = 2020-02-01\ncoach = \"erik\"\nminutes = 45\n";
    let theirs =
        BASE.to_string() + "\n[[sessions]]\ndate = 2020-03-01\ncoach = \"sara\"\nminutes = \n";
    let (out, merged) = drive(
        &sb,
        BASE.as_bytes(),
        ours.as_bytes(),
        theirs.as_bytes(),
        CASE_PATH,
    );
    out.failure(1).stderr_has("not merged as a case");
    assert!(merged.contains("<<<<<<< ours"), "{merged}");
    assert!(merged.contains("date = 2020-02-01"), "{merged}");
    assert!(merged.contains("date = 2020-03-01"), "{merged}");
}

#[test]
fn a_driver_that_cannot_read_its_files_still_leaves_markers() {
    let sb = Sandbox::empty();
    let dir = sb.base().join("merge");
    fs::create_dir_all(&dir).unwrap();
    let ours = BASE.replace("minutes = 600", "minutes = 60");
    let theirs = BASE.replace("title = \"Matsedel\"", "title = \"Meny\"");
    fs::write(dir.join("ours"), &ours).unwrap();
    fs::write(dir.join("theirs"), &theirs).unwrap();
    let out = sb
        .cmd(&["merge-driver", "missing-base", "ours", "theirs", CASE_PATH])
        .current_dir(&dir)
        .run();
    out.failure(1);
    let merged = fs::read_to_string(dir.join("ours")).unwrap();
    assert_eq!(
        merged,
        format!("<<<<<<< ours\n{ours}=======\n{theirs}>>>>>>> theirs\n")
    );
}

#[test]
fn the_driver_is_registered_by_name_not_by_the_path_of_the_binary() {
    let sb = team_repo();
    let driver = sb
        .git_outcome(&["config", "merge.sluss.driver"])
        .success()
        .stdout;
    assert!(
        driver.starts_with("sluss merge-driver %O %A %B %P"),
        "{driver}"
    );
    assert!(!driver.contains(env!("CARGO_BIN_EXE_sluss")), "{driver}");
}

/// The issue's case: sluss was upgraded or rebuilt, so git finds no driver to run. git
/// reports a conflict, and the file shows it with both sides.
#[test]
fn a_merge_where_sluss_cannot_run_leaves_markers_with_both_sessions() {
    let mut sb = team_repo();
    sb.allow_broken_cases();
    let id = committed_case(&sb);
    branch(&sb, "sara");
    session(&sb, &id, "30", "2020-06-01");
    commit_all(&sb, "Sara's session");
    main_branch(&sb);
    session(&sb, &id, "60", "2020-06-02");
    commit_all(&sb, "Erik's session");

    // git as the sandbox runs it, but with a PATH where there is no sluss.
    let without_sluss = "/usr/local/bin:/usr/bin:/bin";
    assert!(!git_path().starts_with(without_sluss));
    let output = Command::new("git")
        .args(["merge", "--no-edit", "sara"])
        .current_dir(sb.root())
        .env_clear()
        .env("PATH", without_sluss)
        .env("HOME", sb.home())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    let out = Outcome::from_output("git merge (no sluss on PATH)", output);
    let file = Sandbox::case_rel(&id);
    assert_marked_conflict(&sb, &out, &file);
    let text = sb.read(&file);
    assert!(text.contains("date = 2020-06-01"), "{text}");
    assert!(text.contains("date = 2020-06-02"), "{text}");
    // Either side resolves to a valid file.
    for keep_ours in [true, false] {
        toml::from_str::<toml::Table>(&resolve(&text, keep_ours)).unwrap();
    }
}

#[test]
fn git_setup_says_when_git_cannot_find_sluss() {
    let sb = Sandbox::empty();
    sb.git(&["init", "--quiet"]);
    // The harness runs sluss with a PATH that does not hold it.
    sb.run(&["init"])
        .success()
        .stdout_has("note: there is no `sluss` on PATH");
    let out = sb
        .cmd(&["git-setup"])
        .env("PATH", git_path())
        .run()
        .success();
    assert!(!out.stdout.contains("note:"), "{}", out.stdout);
}

#[test]
fn git_setup_replaces_a_driver_pinned_to_an_absolute_path() {
    let sb = team_repo();
    let old = format!("'{}' merge-driver %O %A %B %P", env!("CARGO_BIN_EXE_sluss"));
    sb.git(&["config", "merge.sluss.driver", &old]);
    sb.run(&["check"]).success().stderr_has("sluss git-setup");
    sb.run(&["git-setup"])
        .success()
        .stdout_has("note: replaced the driver registered as");
    let driver = sb
        .git_outcome(&["config", "merge.sluss.driver"])
        .success()
        .stdout;
    assert!(driver.starts_with("sluss merge-driver"), "{driver}");
    let out = sb.run(&["check"]).success();
    assert_eq!(out.stderr, "");
}

// ---------------------------------------------------------------------------------------
// Markers a person can resolve

#[test]
fn a_table_removed_on_one_side_and_filled_on_the_other_resolves_to_either_side() {
    let sb = Sandbox::empty();
    let ours = BASE.replace("\n[description]\nneed = \"\"\n", "");
    assert_ne!(ours, BASE);
    let theirs = BASE.replace(
        "need = \"\"",
        "need = \"Boende vill veta vad som serveras\"",
    );
    let (out, merged) = drive(
        &sb,
        BASE.as_bytes(),
        ours.as_bytes(),
        theirs.as_bytes(),
        CASE_PATH,
    );
    out.failure(1);
    assert!(merged.contains("<<<<<<< ours"), "{merged}");
    let kept_ours: toml::Table = toml::from_str(&resolve(&merged, true)).unwrap();
    assert!(kept_ours["submitter"].get("need").is_none(), "{merged}");
    assert!(kept_ours.get("description").is_none(), "{merged}");
    let kept_theirs: toml::Table = toml::from_str(&resolve(&merged, false)).unwrap();
    assert!(kept_theirs["submitter"].get("need").is_none(), "{merged}");
    assert_eq!(
        kept_theirs["description"]["need"].as_str(),
        Some("Boende vill veta vad som serveras")
    );
}

// ---------------------------------------------------------------------------------------
// Erasure

#[test]
fn contact_details_added_on_a_branch_do_not_return_to_a_forgotten_person() {
    let sb = team_repo();
    let id = committed_case(&sb);
    branch(&sb, "sara");
    let text = sb.case_text(&id).replace(
        "name = \"Anna Berg\"\n",
        "name = \"Anna Berg\"\nphone = \"070-123 45 67\"\nemail = \"anna@example.org\"\n",
    );
    assert_ne!(text, sb.case_text(&id));
    sb.write_case(&id, &text);
    commit_all(&sb, "Anna's contact");
    main_branch(&sb);
    sb.run(&["forget", "Anna Berg"]).success();
    commit_all(&sb, "Forget Anna Berg");

    merge(&sb, "sara").success();
    sb.run(&["check"]).success();
    let submitter = sb.case(&id)["submitter"].as_table().unwrap().clone();
    assert_eq!(
        submitter.get("forgotten").and_then(|v| v.as_bool()),
        Some(true)
    );
    for key in ["name", "phone", "email"] {
        assert!(
            submitter.get(key).is_none(),
            "{key} came back: {submitter:?}"
        );
    }
    let text = sb.case_text(&id);
    assert!(!text.contains("070-123"), "{text}");
    assert!(!text.contains("anna@example.org"), "{text}");
}

#[test]
fn a_forgotten_name_does_not_come_back_with_a_session_logged_on_another_branch() {
    let sb = team_repo();
    let id = committed_case(&sb);
    branch(&sb, "sara");
    sb.run(&[
        "session",
        &id,
        "--minutes",
        "30",
        "--date",
        "2020-06-01",
        "--notes",
        "Ringde Anna Berg",
    ])
    .success();
    commit_all(&sb, "A call");
    main_branch(&sb);
    sb.run(&["forget", "Anna Berg"]).success();
    commit_all(&sb, "Forget Anna Berg");

    merge(&sb, "sara").success();
    sb.run(&["check"]).success();
    let text = sb.case_text(&id);
    assert!(!text.contains("Anna"), "{text}");
    let sessions = entries(&sb, &id, "sessions");
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0]["notes"].as_str(), Some("Ringde [removed]"));
}

#[test]
fn conflict_markers_do_not_bring_back_a_forgotten_person() {
    let sb = Sandbox::empty();
    let ours = BASE
        .replace("name = \"Anna Berg\"\n", "")
        .replace("consent = false\n", "consent = false\nforgotten = true\n")
        .replace("Workshop med Anna Berg", "Workshop med [removed]")
        .replace("minutes = 600", "minutes = 60");
    let theirs = BASE.replace("minutes = 600", "minutes = 90").replace(
        "name = \"Anna Berg\"\n",
        "name = \"Anna Berg\"\nphone = \"070-123 45 67\"\n",
    );
    let (out, merged) = drive(
        &sb,
        BASE.as_bytes(),
        ours.as_bytes(),
        theirs.as_bytes(),
        CASE_PATH,
    );
    out.failure(1);
    assert!(merged.contains("<<<<<<< ours"), "{merged}");
    assert!(!merged.contains("Anna"), "{merged}");
    assert!(!merged.contains("070-123"), "{merged}");
    for keep_ours in [true, false] {
        let case: toml::Table = toml::from_str(&resolve(&merged, keep_ours)).unwrap();
        assert_eq!(
            case["submitter"]["forgotten"].as_bool(),
            Some(true),
            "{merged}"
        );
    }
}

#[test]
fn a_forgotten_participant_gains_no_contact_from_another_branch() {
    let sb = team_repo();
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2018",
        "Sofia Lundgren",
        "--unit",
        "Vård och omsorg",
    ])
    .success();
    commit_all(&sb, "Sofia");
    branch(&sb, "sara");
    let file = "programs/ip2018.toml";
    let text = sb.read(file).replace(
        "name = \"Sofia Lundgren\"\n",
        "name = \"Sofia Lundgren\"\ncontact = \"sofia@example.org\"\n",
    );
    sb.write(file, &text);
    commit_all(&sb, "Sofia's contact");
    main_branch(&sb);
    sb.run(&["forget", "Sofia Lundgren"]).success();
    commit_all(&sb, "Forget Sofia");

    merge(&sb, "sara").success();
    sb.run(&["check"]).success();
    let text = sb.read(file);
    assert!(!text.contains("Sofia"), "{text}");
    assert!(!text.contains("sofia@"), "{text}");
    assert_eq!(text.matches("[[participants]]").count(), 1, "{text}");
}

// ---------------------------------------------------------------------------------------
// Programs and the network

#[test]
fn two_participants_added_to_one_program_on_two_branches_merge_clean() {
    let sb = team_repo();
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2018",
        "Sofia Lundgren",
        "--unit",
        "Vård och omsorg",
    ])
    .success();
    commit_all(&sb, "Sofia");
    branch(&sb, "sara");
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2018",
        "Karl Hedlund",
        "--unit",
        "Service",
    ])
    .success();
    commit_all(&sb, "Karl");
    main_branch(&sb);
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2018",
        "Lena Nordin",
        "--unit",
        "Skola",
    ])
    .success();
    commit_all(&sb, "Lena");

    merge(&sb, "sara").success();
    sb.run(&["check"]).success();
    let program: toml::Table = toml::from_str(&sb.read("programs/ip2018.toml")).unwrap();
    let names: Vec<&str> = program["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Sofia Lundgren", "Lena Nordin", "Karl Hedlund"]);
}

/// Neither branch found the program's file: both made it (git's add/add).
#[test]
fn the_first_participants_of_a_program_added_on_two_branches_merge_clean() {
    let sb = team_repo();
    branch(&sb, "sara");
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2018",
        "Karl Hedlund",
        "--unit",
        "Service",
    ])
    .success();
    commit_all(&sb, "Karl");
    main_branch(&sb);
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2018",
        "Lena Nordin",
        "--unit",
        "Skola",
        "--team",
    ])
    .success();
    commit_all(&sb, "Lena");

    merge(&sb, "sara").success();
    sb.run(&["check"]).success();
    let program: toml::Table = toml::from_str(&sb.read("programs/ip2018.toml")).unwrap();
    let names: Vec<&str> = program["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Lena Nordin", "Karl Hedlund"]);
}

#[test]
fn a_network_member_changed_on_two_branches_merges_field_by_field() {
    let sb = team_repo();
    sb.run(&[
        "network",
        "add",
        "selanger-sensor",
        "--organisation",
        "Selånger Sensor AB",
        "--kind",
        "company",
        "--contact",
        "Lena Nordin",
    ])
    .success();
    commit_all(&sb, "A member");
    let file = "network/selanger-sensor.toml";
    assert_eq!(
        sb.git_outcome(&["check-attr", "merge", file])
            .success()
            .stdout
            .trim(),
        format!("{file}: merge: sluss")
    );
    branch(&sb, "sara");
    let text = sb
        .read(file)
        .replace("Selånger Sensor AB", "Selånger Sensor");
    sb.write(file, &text);
    commit_all(&sb, "Shorter name");
    main_branch(&sb);
    let text = sb.read(file).replace(
        "name = \"Lena Nordin\"\n",
        "name = \"Lena Nordin\"\nemail = \"lena@example.org\"\n",
    );
    sb.write(file, &text);
    commit_all(&sb, "Lena's e-mail");

    merge(&sb, "sara").success();
    sb.run(&["check"]).success();
    let member: toml::Table = toml::from_str(&sb.read(file)).unwrap();
    assert_eq!(member["organisation"].as_str(), Some("Selånger Sensor"));
    assert_eq!(
        member["contact"]["email"].as_str(),
        Some("lena@example.org")
    );
}

#[test]
fn git_setup_hands_programs_network_and_maturity_to_the_driver() {
    let sb = team_repo();
    for file in [
        "cases/c0f3k7f3q2a8.toml",
        "programs/ip2018.toml",
        "network/selanger-sensor.toml",
        "maturity/2020-06-30-skola.toml",
    ] {
        assert_eq!(
            sb.git_outcome(&["check-attr", "merge", file])
                .success()
                .stdout
                .trim(),
            format!("{file}: merge: sluss")
        );
    }
    let _ = ID;
}

// ---------------------------------------------------------------------------------------
// Properties: generated edits on both sides, through `sluss::merge::merge_case`

mod props {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use proptest::test_runner::RngSeed;

    /// Fixed, so every run tries the same merges; change it locally to explore.
    const SEED: u64 = 0x4d_45_52_47_45;

    fn config() -> ProptestConfig {
        ProptestConfig {
            cases: 256,
            rng_seed: RngSeed::Fixed(SEED),
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    /// One log entry, written as a session or a history entry: when (a day or an hour),
    /// a number (minutes, or who) and a text (notes).
    #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
    struct Entry {
        time: u8,
        number: u32,
        text: String,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Log {
        Sessions,
        History,
    }

    impl Log {
        fn render(self, e: &Entry) -> String {
            match self {
                Log::Sessions => format!(
                    "\n[[sessions]]\ndate = 2020-01-{:02}\ncoach = \"erik\"\nminutes = {}\nnotes = \"{}\"\n",
                    e.time, e.number, e.text
                ),
                Log::History => format!(
                    "\n[[history]]\nat = 2020-01-01T{:02}:00:00+01:00\nby = \"u{}\"\nnote = \"{}\"\n",
                    e.time, e.number, e.text
                ),
            }
        }

        fn read(self, value: &toml::Value) -> Entry {
            match self {
                Log::Sessions => Entry {
                    time: value["date"].to_string()[8..10].parse().unwrap(),
                    number: value["minutes"].as_integer().unwrap() as u32,
                    text: value["notes"].as_str().unwrap().to_string(),
                },
                Log::History => Entry {
                    time: value["at"].to_string()[11..13].parse().unwrap(),
                    number: value["by"].as_str().unwrap()[1..].parse().unwrap(),
                    text: value["note"].as_str().unwrap().to_string(),
                },
            }
        }

        fn key(self) -> &'static str {
            match self {
                Log::Sessions => "sessions",
                Log::History => "history",
            }
        }
    }

    /// What one side does to one entry of the common ancestor.
    #[derive(Debug, Clone)]
    enum Op {
        Keep,
        Remove,
        Number(u32),
        Text(String),
    }

    /// One side's edit: an op for each base entry, and the entries it appends.
    #[derive(Debug, Clone)]
    struct Side {
        ops: Vec<Op>,
        added: Vec<Entry>,
    }

    fn entry(
        times: std::ops::RangeInclusive<u8>,
        texts: &'static [&'static str],
    ) -> impl Strategy<Value = Entry> {
        (
            times,
            prop::sample::select(vec![30u32, 60, 90]),
            prop::sample::select(texts),
        )
            .prop_map(|(time, number, text)| Entry {
                time,
                number,
                text: text.to_string(),
            })
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => Just(Op::Keep),
            1 => Just(Op::Remove),
            1 => prop::sample::select(vec![30u32, 60, 45]).prop_map(Op::Number),
            1 => prop::sample::select(vec!["x", "y", "z"]).prop_map(|t| Op::Text(t.to_string())),
        ]
    }

    /// Base entries on days or hours 1–3 (so some share a time; none is a copy of
    /// another, as one of two copies removed on each side reads as the same copy);
    /// entries a side adds on 10–12, with few values, so both sides often add alike.
    ///
    /// Two kinds of edit are left out because the file they give cannot tell what was
    /// done: an entry removed and one added at the same time on one side is the entry
    /// changed (by design, so added entries keep to their own times), and an entry
    /// changed into a copy of another entry of the log reads as that one kept and this
    /// one removed (so such an edit is left as no edit).
    fn scenario() -> impl Strategy<Value = (Vec<Entry>, Side, Side)> {
        let distinct =
            prop::collection::vec(entry(1..=3, &["x", "y"]), 0..5).prop_map(|mut base| {
                base.sort();
                base.dedup();
                base
            });
        distinct.prop_flat_map(|base| {
            let n = base.len();
            let plain = base.clone();
            let side = move || {
                let base = plain.clone();
                (
                    prop::collection::vec(op(), n),
                    prop::collection::vec(entry(10..=12, &["p", "q"]), 0..4),
                )
                    .prop_map(move |(ops, added)| {
                        let ops = ops
                            .into_iter()
                            .zip(&base)
                            .map(|(op, b)| match apply(b, &op) {
                                Some(e) if &e != b && base.contains(&e) => Op::Keep,
                                _ => op,
                            })
                            .collect();
                        Side { ops, added }
                    })
            };
            (Just(base), side(), side())
        })
    }

    fn apply(base: &Entry, op: &Op) -> Option<Entry> {
        match op {
            Op::Keep => Some(base.clone()),
            Op::Remove => None,
            Op::Number(n) => Some(Entry {
                number: *n,
                ..base.clone()
            }),
            Op::Text(t) => Some(Entry {
                text: t.clone(),
                ..base.clone()
            }),
        }
    }

    fn side_entries(base: &[Entry], side: &Side) -> Vec<Entry> {
        let mut out: Vec<Entry> = base
            .iter()
            .zip(&side.ops)
            .filter_map(|(b, op)| apply(b, op))
            .collect();
        out.extend(side.added.iter().cloned());
        out
    }

    fn field<T: PartialEq + Clone>(base: &T, ours: &T, theirs: &T) -> Option<T> {
        if ours == theirs || theirs == base {
            Some(ours.clone())
        } else if ours == base {
            Some(theirs.clone())
        } else {
            None
        }
    }

    /// The multiset the merge must give, sorted; `None` when the edits collide (one
    /// side removed what the other changed, or both changed one field differently).
    fn expected(base: &[Entry], ours: &Side, theirs: &Side) -> Option<Vec<Entry>> {
        let mut out = Vec::new();
        for (i, b) in base.iter().enumerate() {
            match (apply(b, &ours.ops[i]), apply(b, &theirs.ops[i])) {
                (None, None) => {}
                (None, Some(t)) | (Some(t), None) => {
                    if &t != b {
                        return None;
                    }
                }
                (Some(o), Some(t)) => out.push(Entry {
                    time: b.time,
                    number: field(&b.number, &o.number, &t.number)?,
                    text: field(&b.text, &o.text, &t.text)?,
                }),
            }
        }
        // Added alike on both sides is the same work done twice: as often as the side
        // that did it more often.
        let mut counts: BTreeMap<&Entry, (usize, usize)> = BTreeMap::new();
        for e in &ours.added {
            counts.entry(e).or_default().0 += 1;
        }
        for e in &theirs.added {
            counts.entry(e).or_default().1 += 1;
        }
        for (e, (o, t)) in counts {
            out.extend(std::iter::repeat_n(e.clone(), o.max(t)));
        }
        out.sort();
        Some(out)
    }

    fn file(log: Log, entries: &[Entry]) -> String {
        let mut text = "id = \"c0f3k7f3q2a8\"\ntitle = \"Matsedel\" # working title\n".to_string();
        for e in entries {
            text.push_str(&log.render(e));
        }
        text
    }

    /// Merges the scenario; the merged entries (in file order) or the conflicts.
    fn merge(
        log: Log,
        base: &[Entry],
        ours: &Side,
        theirs: &Side,
    ) -> Result<Vec<Entry>, Vec<String>> {
        let merged = sluss::merge::merge_case(
            &file(log, base),
            &file(log, &side_entries(base, ours)),
            &file(log, &side_entries(base, theirs)),
        )
        .expect("all three are TOML");
        if !merged.conflicts.is_empty() {
            return Err(merged.conflicts);
        }
        let doc: toml::Table = toml::from_str(&merged.text)
            .unwrap_or_else(|e| panic!("not TOML ({e}):\n{}", merged.text));
        assert!(merged.text.contains("title = \"Matsedel\" # working title"));
        Ok(doc
            .get(log.key())
            .and_then(toml::Value::as_array)
            .map(|a| a.iter().map(|v| log.read(v)).collect())
            .unwrap_or_default())
    }

    fn check(
        log: Log,
        base: &[Entry],
        ours: &Side,
        theirs: &Side,
        strict: bool,
    ) -> Result<(), TestCaseError> {
        let want = expected(base, ours, theirs);
        match merge(log, base, ours, theirs) {
            Ok(got) => {
                prop_assert!(
                    got.windows(2).all(|w| w[0].time <= w[1].time),
                    "not in time order: {got:?}"
                );
                let mut sorted = got.clone();
                sorted.sort();
                prop_assert!(
                    want.is_some(),
                    "a clean merge where the edits collide: {got:?}"
                );
                prop_assert_eq!(Some(sorted), want);
            }
            Err(conflicts) => {
                prop_assert!(
                    !strict || want.is_none(),
                    "a conflict ({conflicts:?}) where the edits do not collide; expected {want:?}"
                );
            }
        }
        Ok(())
    }

    fn distinct_times(base: &[Entry]) -> bool {
        let mut times: Vec<u8> = base.iter().map(|e| e.time).collect();
        times.sort_unstable();
        times.windows(2).all(|w| w[0] != w[1])
    }

    proptest! {
        #![proptest_config(config())]

        /// The merged sessions are the base with both sides' changes, and what both
        /// added, each as often as it was logged; or the merge is a conflict.
        #[test]
        fn merged_sessions_are_base_plus_both_sides_changes((base, ours, theirs) in scenario()) {
            check(Log::Sessions, &base, &ours, &theirs, distinct_times(&base))?;
        }

        /// The same for history entries.
        #[test]
        fn merged_history_is_base_plus_both_sides_changes((base, ours, theirs) in scenario()) {
            check(Log::History, &base, &ours, &theirs, distinct_times(&base))?;
        }
    }
}
