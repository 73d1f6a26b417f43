//! Reports never lie, and files stay as the user had them: the cache cannot be fooled
//! by an edit that keeps a file's size and time, one repository named twice counts
//! once, time zones never make a case "in the future", `--commit` and
//! `[git] auto_commit` commit exactly what each writing command wrote (and a refused
//! commit leaves nothing staged), and `check --format github` names files from the top
//! of the git repository.

use std::fs;

use crate::common::{Outcome, Sandbox};

// ---------------------------------------------------------------------------------------
// git: one way to commit, for every writing command

/// A git repository in the sandbox's folder with a committer, and a sluice made by
/// `sluss init` in its sub-folder `sub`, committed.
fn git_with_sluice_in(sub: &str) -> Sandbox {
    let sb = Sandbox::empty();
    sb.git(&["init", "--quiet", "--initial-branch=main"]);
    sb.git(&["config", "user.name", "Erik Lind"]);
    sb.git(&["config", "user.email", "erik@example.org"]);
    let mut init = vec!["init"];
    if !sub.is_empty() {
        init.push(sub);
    }
    sb.run(&init).success();
    let repo = |args: &[&str]| {
        let mut all = vec![];
        if !sub.is_empty() {
            all.extend(["--repo", sub]);
        }
        all.extend(args);
        sb.run(&all).success();
    };
    repo(&["coach", "add", "erik", "--name", "Erik Lind"]);
    repo(&[
        "program",
        "add",
        "ip2018",
        "--name",
        "IP 2018",
        "--start",
        "2018-02-01",
    ]);
    sb.git(&["add", "--all"]);
    sb.git(&["commit", "--quiet", "--message", "A new idea sluice"]);
    sb
}

fn git_text(sb: &Sandbox, args: &[&str]) -> String {
    sb.git_outcome(args).success().stdout.trim_end().to_string()
}

fn head_files(sb: &Sandbox) -> Vec<String> {
    git_text(sb, &["show", "--name-only", "--format=", "HEAD"])
        .lines()
        .map(str::to_string)
        .collect()
}

fn head_subject(sb: &Sandbox) -> String {
    git_text(sb, &["log", "-1", "--format=%s"])
}

/// The id that `sluss new --format json` printed.
fn new_id(out: Outcome) -> String {
    out.json()["id"]
        .as_str()
        .expect("new prints the id")
        .to_string()
}

#[test]
fn commit_works_with_a_relative_repo_and_sluss_repo() {
    let sb = git_with_sluice_in("kommun/sluss");
    let out = sb
        .run(&[
            "--repo",
            "kommun/sluss",
            "new",
            "Digital matsedel",
            "--format",
            "json",
            "--submitter",
            "Anna Berg",
            "--unit",
            "Kultur",
            "--coach",
            "erik",
            "--commit",
        ])
        .success();
    let id = new_id(out);
    let file = format!("kommun/sluss/cases/{id}.toml");
    assert_eq!(head_files(&sb), vec![file.clone()]);

    // SLUSS_REPO, relative, from another folder.
    fs::create_dir_all(sb.path("kommun/annat")).unwrap();
    sb.cmd(&["advance", &id, "--commit"])
        .env("SLUSS_REPO", "../sluss")
        .current_dir(sb.path("kommun/annat"))
        .run()
        .success();
    assert_eq!(head_files(&sb), vec![file.clone()]);
    assert!(head_subject(&sb).contains("Inkommen → Prövning"));
    assert_eq!(git_text(&sb, &["status", "--porcelain"]), "");
}

/// `[git] auto_commit = true` in the sluice's settings, committed.
fn auto_commit(sb: &Sandbox, settings: &str) {
    let mut config = sb.read(settings);
    config.push_str("\n[git]\nauto_commit = true\n");
    sb.write(settings, &config);
    sb.git(&["add", "--all"]);
    sb.git(&["commit", "--quiet", "--message", "Commit every change"]);
}

#[test]
fn auto_commit_is_honoured_by_every_writing_command() {
    let sb = git_with_sluice_in("");
    auto_commit(&sb, "sluss.toml");
    let id = new_id(
        sb.run(&[
            "new",
            "Digital matsedel",
            "--format",
            "json",
            "--submitter",
            "Anna Berg",
            "--unit",
            "Kultur",
        ])
        .success(),
    );
    let case = Sandbox::case_rel(&id);
    let mut commits = 0;
    let mut step = |args: &[&str], editor: Option<&str>, files: &[&str]| {
        let mut cmd = sb.cmd(args);
        if let Some(editor) = editor {
            cmd = cmd.env("EDITOR", editor);
        }
        cmd.run().success();
        commits += 1;
        assert_eq!(
            head_files(&sb),
            files.iter().map(|f| f.to_string()).collect::<Vec<_>>(),
            "after sluss {}",
            args.join(" ")
        );
        assert_eq!(
            git_text(&sb, &["status", "--porcelain"]),
            "",
            "after sluss {}",
            args.join(" ")
        );
    };
    step(&["edit", &id], Some("sed -i s/matsedel/meny/"), &[&case]);
    step(
        &["coach", "add", "sara", "--name", "Sara Berg"],
        None,
        &["sluss.toml"],
    );
    step(
        &["program", "add", "ip2019", "--name", "IP 2019"],
        None,
        &["sluss.toml"],
    );
    step(
        &[
            "program",
            "participant",
            "add",
            "ip2019",
            "Anna Berg",
            "--unit",
            "Kultur",
        ],
        None,
        &["programs/ip2019.toml"],
    );
    step(
        &[
            "network",
            "add",
            "norrdata",
            "--organisation",
            "Norrdata AB",
            "--kind",
            "company",
        ],
        None,
        &["network/norrdata.toml"],
    );
    step(&["program", "join", &id, "ip2019"], None, &[&case]);
    step(&["partner", "add", &id, "norrdata"], None, &[&case]);
    step(&["assign", &id, "sara"], None, &[&case]);
    step(
        &["forget", "Anna Berg"],
        None,
        // sluss.toml: the salted digest of the forgotten name.
        &[&case, "programs/ip2019.toml", "sluss.toml"],
    );
    assert!(
        !head_subject(&sb).contains("Anna"),
        "the message names no one"
    );
    let log = git_text(&sb, &["log", "--format=%s"]);
    assert_eq!(log.lines().count(), 2 + 1 + commits, "{log}");
    assert!(sb.case_text(&id).contains("meny"));
}

#[test]
fn a_commit_refused_by_a_hook_leaves_nothing_staged() {
    let sb = git_with_sluice_in("");
    let id = new_id(
        sb.run(&[
            "new",
            "Digital matsedel",
            "--submitter",
            "Anna Berg",
            "--unit",
            "Kultur",
            "--coach",
            "erik",
            "--commit",
            "--format",
            "json",
        ])
        .success(),
    );
    // Other work in progress, staged, stays staged; a new case stays untracked.
    sb.write("anteckningar.md", "Att göra\n");
    sb.git(&["add", "anteckningar.md"]);
    let hook = sb.path(".git/hooks/pre-commit");
    fs::write(&hook, "#!/bin/sh\necho 'no commits today' >&2\nexit 1\n").unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();
    let index = || git_text(&sb, &["ls-files", "--stage"]);
    let before = index();

    sb.run(&["advance", &id, "--commit"])
        .failure(1)
        .stderr_has("was written, but not committed")
        .stderr_has("no commits today")
        .hint_has("nothing was left staged");
    assert_eq!(
        sb.case(&id)["stage"].as_str(),
        Some("provning"),
        "the change stays written"
    );
    assert_eq!(index(), before, "the index is as it was");
    assert_eq!(
        git_text(&sb, &["diff", "--cached", "--name-only"]),
        "anteckningar.md"
    );

    sb.run(&[
        "new",
        "Läxhjälp",
        "--submitter",
        "Bo Ek",
        "--unit",
        "Skola",
        "--commit",
    ])
    .failure(1);
    assert_eq!(index(), before);
    let status = git_text(&sb, &["status", "--porcelain", "--untracked-files=all"]);
    assert!(
        status
            .lines()
            .any(|l| l.starts_with("?? cases/") && l.ends_with(".toml")),
        "the new case is written and untracked:\n{status}"
    );

    // A file the user had staged in another version gets that version back.
    fs::remove_file(&hook).unwrap();
    sb.run(&["session", &id, "--minutes", "30"]).success();
    sb.git(&["add", &Sandbox::case_rel(&id)]);
    let staged = index();
    fs::write(&hook, "#!/bin/sh\nexit 1\n").unwrap();
    fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();
    sb.run(&["session", &id, "--minutes", "45", "--commit"])
        .failure(1);
    assert_eq!(index(), staged);
}

// ---------------------------------------------------------------------------------------
// Time zones: days are counted in each record's own offset, wherever the clock is

/// A UTC clock a quarter of an hour after a case was written at 00:30+02:00 (still the
/// day before, in UTC).
const UTC_NOW: &str = "2020-06-29T22:45:00Z";

/// A case written, moved and coached just after midnight at +02:00.
fn case_written_after_midnight_east(sb: &Sandbox) -> String {
    let id = sb.new_case_at(
        "2020-06-30T00:30:00+02:00",
        "Matsedel",
        &["--coach", "erik"],
    );
    sb.cmd(&["advance", &id])
        .env("SLUSS_NOW", "2020-06-30T00:35:00+02:00")
        .run()
        .success();
    sb.cmd(&["session", &id, "--minutes", "30"])
        .env("SLUSS_NOW", "2020-06-30T00:40:00+02:00")
        .run()
        .success();
    id
}

fn at_utc(sb: &Sandbox, args: &[&str]) -> Outcome {
    sb.cmd(args).env("SLUSS_NOW", UTC_NOW).run()
}

#[test]
fn a_case_written_at_half_past_midnight_east_is_not_in_the_future_on_a_utc_clock() {
    let sb = Sandbox::with_team();
    let id = case_written_after_midnight_east(&sb);
    let out = at_utc(&sb, &["check"]).success();
    assert!(!out.stdout.contains("future"), "{}", out.stdout);
    at_utc(&sb, &["check", "--max-stale-days", "0"]).success();
    // Members and assessments carry bare dates, written where the day had begun.
    sb.cmd(&[
        "network",
        "add",
        "norrdata",
        "--organisation",
        "Norrdata AB",
        "--kind",
        "company",
    ])
    .env("SLUSS_NOW", "2020-06-30T00:50:00+02:00")
    .run()
    .success();
    at_utc(&sb, &["check"]).success();

    let listed = at_utc(&sb, &["list", "--format", "json"]).success().json();
    assert_eq!(listed[0]["days_idle"], 0);
    let show = at_utc(&sb, &["show", &id]).success().stdout;
    assert!(
        show.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["idle", "0", "days"]),
        "{show}"
    );
}

#[test]
fn summary_and_summary_as_of_its_day_agree_across_offsets() {
    let sb = Sandbox::with_team();
    // An older case moved just now, and a new one, both at +02:00.
    let old = sb.new_case_at(
        "2020-06-01T09:00:00+02:00",
        "Cykelpool",
        &["--coach", "sara"],
    );
    sb.cmd(&["advance", &old])
        .env("SLUSS_NOW", "2020-06-30T00:20:00+02:00")
        .run()
        .success();
    case_written_after_midnight_east(&sb);

    let now = at_utc(&sb, &["summary", "--format", "json"])
        .success()
        .json();
    let day = now["as_of"].as_str().unwrap().to_string();
    assert_eq!(day, "2020-06-30", "no record lies after its report's day");
    let replayed = at_utc(&sb, &["summary", "--format", "json", "--as-of", &day])
        .success()
        .json();
    let without_flag = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("replayed");
        v.as_object_mut().unwrap().remove("as_of_from");
        v
    };
    assert_eq!(
        serde_json::to_string_pretty(&without_flag(now.clone())).unwrap(),
        serde_json::to_string_pretty(&without_flag(replayed)).unwrap()
    );
    assert_eq!(now["total"], 2);
    let text = serde_json::to_string(&now).unwrap();
    assert!(!text.contains("\"days\":-"), "no negative days: {text}");

    // The other reports with --as-of, on a case that joined a program and named a
    // partner just now.
    let at = |now: &str, args: &[&str]| sb.cmd(args).env("SLUSS_NOW", now).run().success();
    at(
        "2020-06-01T09:00:00+02:00",
        &[
            "network",
            "add",
            "norrdata",
            "--organisation",
            "Norrdata AB",
            "--kind",
            "company",
        ],
    );
    at(
        "2020-06-30T00:45:00+02:00",
        &["program", "join", &old, "ip2018"],
    );
    at(
        "2020-06-30T00:46:00+02:00",
        &["partner", "add", &old, "norrdata"],
    );
    for report in [
        &["program", "show", "ip2018", "--format", "json"][..],
        &["network", "report", "--format", "json"],
    ] {
        let now = at_utc(&sb, report).json();
        let mut args = report.to_vec();
        args.extend(["--as-of", "2020-06-30"]);
        let replayed = at_utc(&sb, &args).json();
        assert_eq!(
            serde_json::to_string_pretty(&without_flag(now)).unwrap(),
            serde_json::to_string_pretty(&without_flag(replayed)).unwrap(),
            "sluss {}",
            report.join(" ")
        );
    }
}

#[test]
fn since_after_until_or_as_of_is_a_usage_error() {
    let sb = Sandbox::with_team();
    sb.new_case("Matsedel", &["--coach", "erik"]);
    for args in [
        &["summary", "--since", "2020-05-02", "--until", "2020-05-01"][..],
        &["summary", "--since", "2020-05-02", "--as-of", "2020-05-01"],
        &["digest", "--since", "2020-05-02", "--until", "2020-05-01"],
        &[
            "maturity",
            "report",
            "--since",
            "2020-05-02",
            "--until",
            "2020-05-01",
        ],
        &[
            "maturity",
            "report",
            "--since",
            "2020-05-02",
            "--as-of",
            "2020-05-01",
        ],
    ] {
        sb.run(args)
            .failure(2)
            .stderr_has("is before --since 2020-05-02");
    }
}

// ---------------------------------------------------------------------------------------
// One repository named twice counts once

#[test]
fn the_same_repository_named_twice_counts_once_with_a_warning() {
    let sb = Sandbox::with_team();
    sb.new_case("Matsedel", &["--coach", "erik"]);
    sb.new_case("Cykelpool", &["--coach", "sara"]);
    let once = sb.run(&["summary", "--format", "json"]).success().stdout;
    std::os::unix::fs::symlink(sb.root(), sb.base().join("link")).unwrap();
    for twice in [
        &["--repo", ".", "--repo", "cases/.."][..],
        &["--repo", ".", "--repo", "../link"],
        &["--repo", ".", "--repo", "./", "--repo", "../repo"],
    ] {
        let mut args = twice.to_vec();
        args.extend(["summary", "--format", "json"]);
        let out = sb.run(&args).success();
        assert_eq!(out.stdout, once, "sluss {}", args.join(" "));
        let warnings: Vec<&str> = out
            .stderr
            .lines()
            .filter(|l| l.starts_with("warning:"))
            .collect();
        assert_eq!(warnings.len(), twice.len() / 2 - 1, "{}", out.stderr);
        assert!(warnings[0].contains("--repo ."), "{}", warnings[0]);
        assert!(warnings[0].contains(twice[3]), "{}", warnings[0]);
    }
    // A command of one repository takes it, named twice, as one.
    let list = sb.run(&["list", "--format", "json"]).success().stdout;
    for args in [
        &[
            "--repo", ".", "--repo", "../link", "list", "--format", "json",
        ][..],
        &["--repo", ".", "--repo", "cases/..", "check"],
    ] {
        let out = sb.run(args).success();
        assert!(out.stderr.contains("counts once"), "{}", out.stderr);
        if args[4] == "list" {
            assert_eq!(out.stdout, list);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The cache: a report equals the report without it, always

/// Gives a file the modification time an hour ago, as a checkout does, so that the
/// cache takes it (files changed in the last moments are never cached).
fn age(path: &std::path::Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(then)
        .unwrap();
}

/// What the cache says it did, on standard error under `SLUSS_DEBUG=cache`.
fn cache_line(sb: &Sandbox, args: &[&str]) -> (String, String) {
    let out = sb.cmd(args).env("SLUSS_DEBUG", "cache").run().success();
    let line = out
        .stderr
        .lines()
        .find(|l| l.starts_with("sluss: cache:"))
        .unwrap_or_else(|| panic!("no cache line in:\n{}", out.stderr))
        .to_string();
    (out.stdout, line)
}

fn without_cache(sb: &Sandbox, args: &[&str]) -> String {
    sb.cmd(args)
        .env("SLUSS_NO_CACHE", "1")
        .run()
        .success()
        .stdout
}

#[test]
fn an_edit_that_keeps_size_and_modification_time_is_seen() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Matsedel", &["--coach", "erik"]);
    let file = sb.path(&Sandbox::case_rel(&id));
    age(&file);
    let summary = ["summary", "--format", "json"];
    let list = ["list", "--format", "json"];
    cache_line(&sb, &summary);
    let (_, line) = cache_line(&sb, &summary);
    assert!(
        line.contains("1 found by stamp"),
        "the cache is in use: {line}"
    );

    // Same size, and the modification time set back (`touch -r`).
    let before = fs::metadata(&file).unwrap();
    let text = sb
        .read(&Sandbox::case_rel(&id))
        .replace("title = \"Matsedel\"", "title = \"Matsedal\"")
        .replace("stage = \"inkommen\"", "stage = \"provning\"");
    fs::write(&file, &text).unwrap();
    fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(before.modified().unwrap())
        .unwrap();
    let after = fs::metadata(&file).unwrap();
    assert_eq!(
        (before.len(), before.modified().unwrap()),
        (after.len(), after.modified().unwrap())
    );

    let (cached, _) = cache_line(&sb, &summary);
    assert_eq!(cached, without_cache(&sb, &summary));
    let listed = sb.run(&list).success().stdout;
    assert_eq!(listed, without_cache(&sb, &list));
    assert!(
        listed.contains("Matsedal") && listed.contains("provning"),
        "{listed}"
    );
}

#[test]
fn changes_within_one_second_keep_their_order_through_the_cache() {
    let sb = Sandbox::with_team();
    // Filed out of order: the later move first. Both within one second.
    sb.write_case(
        "c0f3k7f3q2a8",
        r#"id = "c0f3k7f3q2a8"
title = "Matsedel"
created = 2020-06-01T09:00:00+02:00
stage = "utforska"
status = "open"
coach = "erik"
unit = "Kultur"

[[history]]
at = 2020-06-02T10:00:00.750001+02:00
by = "erik"
from = "provning"
to = "utforska"

[[history]]
at = 2020-06-02T10:00:00.250001+02:00
by = "erik"
from = "inkommen"
to = "provning"
"#,
    );
    age(&sb.path("cases/c0f3k7f3q2a8.toml"));
    let args = ["summary", "--format", "json", "--as-of", "2020-06-30"];
    let fresh = without_cache(&sb, &args);
    cache_line(&sb, &args);
    let (cached, line) = cache_line(&sb, &args);
    assert!(
        line.contains("1 found by stamp"),
        "the cache is in use: {line}"
    );
    assert_eq!(cached, fresh);
    let stages = &serde_json::from_str::<serde_json::Value>(&cached).unwrap()["stages"];
    let open_in = |key: &str| {
        stages
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == key)
            .unwrap()["open"]
            .clone()
    };
    assert_eq!(open_in("utforska"), 1);
}

#[test]
fn a_cache_committed_to_the_repository_is_not_believed() {
    let sb = git_with_sluice_in("");
    let id = sb.new_case("Matsedel", &["--coach", "erik"]);
    age(&sb.path(&Sandbox::case_rel(&id)));
    let summary = ["summary", "--format", "json"];
    cache_line(&sb, &summary);
    // A hostile repository could ship any case under the hash of a file's true bytes.
    let cached: Vec<String> = fs::read_dir(sb.path(".sluss/cache"))
        .unwrap()
        .map(|e| format!(".sluss/cache/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    let mut add = vec!["add", "--force", "--"];
    add.extend(cached.iter().map(String::as_str));
    sb.git(&add);
    sb.git(&["add", "--all"]);
    sb.git(&["commit", "--quiet", "--message", "With its cache"]);
    sb.git(&["clone", "--quiet", ".", "../clone"]);
    let clone = sb.base().join("clone");
    assert!(
        clone.join(&cached[0]).is_file(),
        "the clone holds the cache"
    );
    let out = sb
        .cmd(&summary)
        .env("SLUSS_DEBUG", "cache")
        .current_dir(&clone)
        .run()
        .success();
    assert!(
        out.stderr.contains("0 found by stamp, 0 by content"),
        "a cache from elsewhere is not read: {}",
        out.stderr
    );
}

#[test]
fn two_writes_within_one_second_are_never_served_stale() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Matsedel", &["--coach", "erik"]);
    let rel = Sandbox::case_rel(&id);
    let file = sb.path(&rel);
    age(&file);
    let modified = fs::metadata(&file).unwrap().modified().unwrap();
    let summary = ["summary", "--format", "json"];
    cache_line(&sb, &summary);
    // Two writes of the same size, one right after the other, each keeping the old
    // modification time; a report after each.
    for stage in ["provning", "utforska"] {
        let text = sb.read(&rel);
        let current = text
            .lines()
            .find(|l| l.starts_with("stage = "))
            .unwrap()
            .to_string();
        fs::write(
            &file,
            text.replace(&current, &format!("stage = \"{stage}\"")),
        )
        .unwrap();
        fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        let (cached, _) = cache_line(&sb, &summary);
        assert_eq!(
            cached,
            without_cache(&sb, &summary),
            "after the write of {stage}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// CI points at the right line

const BAD_CASE: &str = r#"id = "c0f3k7f3q2a8"
title = "Matsedel"
created = 2020-06-01T09:00:00+02:00
stage = "okand"
status = "open"
unit = "Kultur"
"#;

/// The `file=` of each annotation line.
fn annotated_files(out: &Outcome) -> Vec<String> {
    out.stdout
        .lines()
        .filter(|l| l.starts_with("::"))
        .map(|l| {
            l.split("file=")
                .nth(1)
                .unwrap()
                .split(',')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn github_annotations_name_files_from_the_top_of_the_git_repository() {
    let mut sb = git_with_sluice_in("kommun/sluss");
    sb.allow_broken_cases();
    sb.write("kommun/sluss/cases/c0f3k7f3q2a8.toml", BAD_CASE);
    let expected = vec!["kommun/sluss/cases/c0f3k7f3q2a8.toml".to_string()];
    let from_top = sb
        .run(&["--repo", "kommun/sluss", "check", "--format", "github"])
        .failure(1);
    assert_eq!(annotated_files(&from_top), expected, "{}", from_top.stdout);
    assert!(from_top.stdout.contains("line=4,"), "{}", from_top.stdout);
    let inside = sb
        .cmd(&["check", "--format", "github"])
        .current_dir(sb.path("kommun/sluss/cases"))
        .run()
        .failure(1);
    assert_eq!(annotated_files(&inside), expected);

    // Outside git, from the sluice's own folder.
    let mut plain = Sandbox::with_team();
    plain.allow_broken_cases();
    plain.write_case("c0f3k7f3q2a8", BAD_CASE);
    let out = plain.run(&["check", "--format", "github"]).failure(1);
    assert_eq!(
        annotated_files(&out),
        vec!["cases/c0f3k7f3q2a8.toml".to_string()]
    );
}
