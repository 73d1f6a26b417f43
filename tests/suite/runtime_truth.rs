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
        "program", "add", "ip2018", "--name", "IP 2018", "--start", "2018-02-01",
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
    out.json()["id"].as_str().expect("new prints the id").to_string()
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
    assert!(head_subject(&sb).contains("inkommen → provning"));
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
    step(&["coach", "add", "sara", "--name", "Sara Berg"], None, &["sluss.toml"]);
    step(&["program", "add", "ip2019", "--name", "IP 2019"], None, &["sluss.toml"]);
    step(
        &["program", "participant", "add", "ip2019", "Anna Berg", "--unit", "Kultur"],
        None,
        &["programs/ip2019.toml"],
    );
    step(
        &["network", "add", "norrdata", "--organisation", "Norrdata AB", "--kind", "company"],
        None,
        &["network/norrdata.toml"],
    );
    step(&["program", "join", &id, "ip2019"], None, &[&case]);
    step(&["partner", "add", &id, "norrdata"], None, &[&case]);
    step(&["assign", &id, "sara"], None, &[&case]);
    step(&["forget", "Anna Berg"], None, &[&case, "programs/ip2019.toml"]);
    assert!(!head_subject(&sb).contains("Anna"), "the message names no one");
    let log = git_text(&sb, &["log", "--format=%s"]);
    assert_eq!(log.lines().count(), 2 + 1 + commits, "{log}");
    assert!(sb.case_text(&id).contains("meny"));
}

#[test]
fn a_commit_refused_by_a_hook_leaves_nothing_staged() {
    let sb = git_with_sluice_in("");
    let id = new_id(
        sb.run(&[
            "new", "Digital matsedel", "--submitter", "Anna Berg", "--unit", "Kultur",
            "--coach", "erik", "--commit", "--format", "json",
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
    assert_eq!(sb.case(&id)["stage"].as_str(), Some("provning"), "the change stays written");
    assert_eq!(index(), before, "the index is as it was");
    assert_eq!(git_text(&sb, &["diff", "--cached", "--name-only"]), "anteckningar.md");

    sb.run(&[
        "new", "Läxhjälp", "--submitter", "Bo Ek", "--unit", "Skola", "--commit",
    ])
    .failure(1);
    assert_eq!(index(), before);
    let status = git_text(&sb, &["status", "--porcelain", "--untracked-files=all"]);
    assert!(
        status.lines().any(|l| l.starts_with("?? cases/") && l.ends_with(".toml")),
        "the new case is written and untracked:\n{status}"
    );

    // A file the user had staged in another version gets that version back.
    fs::remove_file(&hook).unwrap();
    sb.run(&["session", &id, "--minutes", "30"]).success();
    sb.git(&["add", &Sandbox::case_rel(&id)]);
    let staged = index();
    fs::write(&hook, "#!/bin/sh\nexit 1\n").unwrap();
    fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();
    sb.run(&["session", &id, "--minutes", "45", "--commit"]).failure(1);
    assert_eq!(index(), staged);
}
