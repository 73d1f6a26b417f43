//! A repository can never reach outside itself: symbolic links someone committed (the
//! state folder `.sluss/`, its edit copies, locks and cache, the record folders, a
//! case file, `sluss.toml`, `.gitattributes`) never make sluss read, write, create or
//! delete anything outside the repository. Each test names the link, runs the commands
//! it could mislead, and checks the outside folder or file is exactly as it was.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use crate::common::{Outcome, Sandbox};

/// Everything under `dir` (links not followed): each path with its bytes, or `None`
/// for a folder, so that any file created, changed or deleted shows.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut all = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(here) = todo.pop() {
        let meta = fs::symlink_metadata(&here).expect("the outside path exists");
        if meta.is_dir() {
            all.insert(here.clone(), None);
            for entry in fs::read_dir(&here).unwrap() {
                todo.push(entry.unwrap().path());
            }
        } else if meta.file_type().is_symlink() {
            all.insert(
                here.clone(),
                Some(
                    fs::read_link(&here)
                        .unwrap()
                        .into_os_string()
                        .into_encoded_bytes(),
                ),
            );
        } else {
            all.insert(here.clone(), Some(fs::read(&here).unwrap()));
        }
    }
    all
}

/// A folder outside the repository holding a few files, as someone's home might.
fn outside_folder(sb: &Sandbox, name: &str) -> PathBuf {
    let dir = sb.base().join(name);
    fs::create_dir_all(dir.join("cache")).unwrap();
    fs::create_dir_all(dir.join("locks")).unwrap();
    fs::create_dir_all(dir.join("edit")).unwrap();
    fs::write(dir.join("precious.txt"), "do not touch\n").unwrap();
    fs::write(dir.join("cache/cases-v1.bin"), "someone else's file\n").unwrap();
    dir
}

/// Replaces the repository's `rel` (a folder or file, if there) with a link to `to`.
fn link(sb: &Sandbox, rel: &str, to: &Path) {
    let path = sb.path(rel);
    match fs::symlink_metadata(&path) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(&path).unwrap(),
        Ok(_) => fs::remove_file(&path).unwrap(),
        Err(_) => fs::create_dir_all(path.parent().unwrap()).unwrap(),
    }
    symlink(to, &path).unwrap();
}

/// Asserts that `out` was refused (exit 1) because `rel` leads out of the repository
/// to `to`, with a hint.
#[track_caller]
fn refused_as_outside(out: Outcome, rel: &str, to: &Path) -> Outcome {
    let to = to.canonicalize().unwrap();
    out.failure(1)
        .stderr_has(&format!(
            "{rel} leads outside the repository, to {}",
            to.display()
        ))
        .hint_has("sluss reads and writes only inside the repository")
}

/// Every command that writes anything, on case `id`.
fn writers(id: &str) -> Vec<Vec<String>> {
    let all: [&[&str]; 12] = [
        &["advance", id],
        &["session", id, "--minutes", "5"],
        &["assign", id, "sara"],
        &["park", id, "--note", "Väntar"],
        &["edit", id],
        &["coach", "add", "olle", "--name", "Olle Ek"],
        &[
            "network",
            "add",
            "norrdata",
            "--organisation",
            "Norrdata AB",
            "--kind",
            "company",
        ],
        &[
            "program",
            "participant",
            "add",
            "ip2018",
            "Bo Ek",
            "--unit",
            "Kultur",
        ],
        &[
            "maturity",
            "record",
            "--unit",
            "Kultur",
            "--score",
            "ledning=3",
        ],
        &["forget", "Anna Berg"],
        &["forget", "Anna Berg", "--dry-run"],
        &["program", "join", id, "ip2018"],
    ];
    all.iter()
        .map(|a| a.iter().map(|s| s.to_string()).collect())
        .collect()
}

fn run(sb: &Sandbox, args: &[String]) -> Outcome {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    sb.cmd(&args).env("EDITOR", "true").run()
}

#[test]
fn a_state_folder_that_links_out_is_refused_by_every_writer() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    let id = sb.new_case("Vanligt", &["--coach", "erik"]);
    let away = outside_folder(&sb, "away");
    link(&sb, ".sluss", &away);
    let before = snapshot(&away);
    let case_before = fs::read(sb.path(&Sandbox::case_rel(&id))).unwrap();

    for args in writers(&id) {
        let out = run(&sb, &args);
        refused_as_outside(out, ".sluss", &away);
        assert_eq!(
            snapshot(&away),
            before,
            "`sluss {}` reached outside",
            args.join(" ")
        );
    }
    assert_eq!(
        fs::read(sb.path(&Sandbox::case_rel(&id))).unwrap(),
        case_before
    );
    assert!(!sb.path("network").exists() && !sb.path("maturity").exists());
    // A new case is created under its lock too, so it is refused as well.
    let out = sb
        .cmd(&["new", "Ny", "--submitter", "Bo Ek", "--unit", "Kultur"])
        .run();
    refused_as_outside(out, ".sluss", &away);
    assert_eq!(snapshot(&away), before);
}

#[test]
fn reports_go_without_the_cache_when_the_state_folder_links_out() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    let id = sb.new_case("Vanligt", &["--coach", "erik"]);
    let away = outside_folder(&sb, "away");
    link(&sb, ".sluss", &away);
    let before = snapshot(&away);

    let reads: [&[&str]; 7] = [
        &["list"],
        &["summary"],
        &["export"],
        &["check"],
        &["show", &id],
        &["log", &id],
        &["digest", "--since", "2020-01-01"],
    ];
    for args in reads {
        let out = sb.run(args).success();
        // Reports read the cache; the others never did.
        if ["list", "summary", "check"].contains(&args[0]) {
            assert!(
                out.stderr.contains(&format!(
                    "warning: the cache is not used: {} leads outside the repository",
                    sb.path(".sluss").display()
                )),
                "`{}`:\n{}",
                out.line,
                out.stderr
            );
        }
        assert_eq!(snapshot(&away), before, "`{}` reached outside", out.line);
    }
}

#[test]
fn a_state_folder_that_links_nowhere_creates_nothing_there() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    let id = sb.new_case("Vanligt", &["--coach", "erik"]);
    let nowhere = sb.base().join("nowhere");
    link(&sb, ".sluss", &nowhere);

    for args in writers(&id) {
        let out = run(&sb, &args).failure(1);
        assert!(
            out.stderr.contains("is a symbolic link to")
                && out.stderr.contains("which does not exist"),
            "`{}`:\n{}",
            out.line,
            out.stderr
        );
        assert!(
            !nowhere.exists(),
            "`{}` created {}",
            out.line,
            nowhere.display()
        );
    }
    let out = sb
        .cmd(&["new", "Ny", "--submitter", "Bo Ek", "--unit", "Kultur"])
        .run()
        .failure(1);
    assert!(
        out.stderr.contains("which does not exist"),
        "{}",
        out.stderr
    );
    sb.run(&["list"]).success();
    sb.run(&["check"]).success();
    assert!(!nowhere.exists());
}

#[test]
fn an_edit_copy_that_links_out_is_never_written() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    let id = sb.new_case("Vanligt", &["--coach", "erik"]);
    let outside = sb.base().join("victim.txt");
    fs::write(&outside, "precious\n").unwrap();
    link(&sb, &format!(".sluss/edit/{id}.toml"), &outside);
    let rel = Sandbox::case_rel(&id);

    // An editor that changes the title, so that a save would happen too.
    let script = sb.base().join("editor.sh");
    fs::write(&script, "#!/bin/sh\nsed -i 's/Vanligt/Ändrat/' \"$1\"\n").unwrap();
    let out = sb.assert_untouched(&rel, || sb.cmd(&["edit", &id]).env("EDITOR", &script).run());
    // A copy already there is one to continue from: reading it is refused as well.
    out.failure(1).stderr_has(&format!(
        ".sluss/edit/{id}.toml leads outside the repository"
    ));
    assert_eq!(fs::read_to_string(&outside).unwrap(), "precious\n");

    // The whole edit folder linked out: refused as well.
    let away = outside_folder(&sb, "away");
    fs::remove_dir_all(sb.path(".sluss/edit")).unwrap();
    link(&sb, ".sluss/edit", &away);
    let before = snapshot(&away);
    let out = sb.assert_untouched(&rel, || sb.cmd(&["edit", &id]).env("EDITOR", &script).run());
    refused_as_outside(out, ".sluss/edit", &away);
    assert_eq!(snapshot(&away), before);
}

#[test]
fn locks_are_never_taken_through_a_link() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    let id = sb.new_case("Vanligt", &["--coach", "erik"]);
    // Every writer leaves its lock file behind; each is swapped for a link to a file
    // outside that does not exist yet (opening it to lock would create it), so the
    // test holds whatever the locks are called.
    for args in [
        &["session", id.as_str(), "--minutes", "5"][..],
        &["coach", "add", "olle", "--name", "Olle Ek"],
        &[
            "maturity",
            "record",
            "--unit",
            "Kultur",
            "--score",
            "ledning=3",
        ],
        &[
            "network",
            "add",
            "norrdata",
            "--organisation",
            "Norrdata AB",
            "--kind",
            "company",
        ],
        &[
            "program",
            "participant",
            "add",
            "ip2018",
            "Bo Ek",
            "--unit",
            "Kultur",
        ],
    ] {
        sb.run(args).success();
    }
    // Every lock file, in whatever folders under `.sluss/locks` they are named.
    fn lock_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                lock_files(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut found = Vec::new();
    lock_files(&sb.path(".sluss/locks"), &mut found);
    found.sort();
    let mut targets = Vec::new();
    for (n, path) in found.into_iter().enumerate() {
        let target = sb.base().join(format!("lock-target-{n}"));
        fs::remove_file(&path).unwrap();
        symlink(&target, &path).unwrap();
        targets.push(target);
    }
    assert!(targets.len() >= 5, "{targets:?}");

    for args in [
        &["session", id.as_str(), "--minutes", "5"][..],
        &["coach", "add", "pia", "--name", "Pia Ek"],
        &[
            "maturity",
            "record",
            "--unit",
            "Kultur",
            "--score",
            "ledning=3",
            "--date",
            "2020-06-01",
        ],
        &[
            "network",
            "add",
            "norrdata",
            "--organisation",
            "Norrdata AB",
            "--kind",
            "company",
        ],
        &[
            "program",
            "participant",
            "add",
            "ip2018",
            "Eva Ek",
            "--unit",
            "Kultur",
        ],
    ] {
        let out = sb.run(args).failure(1);
        assert!(
            out.stderr
                .contains(".lock is a symbolic link; sluss writes only regular files"),
            "`{}`:\n{}",
            out.line,
            out.stderr
        );
        for target in &targets {
            assert!(
                !target.exists(),
                "`{}` created {}",
                out.line,
                target.display()
            );
        }
    }

    // The locks folder itself linked out.
    let away = outside_folder(&sb, "away");
    link(&sb, ".sluss/locks", &away);
    let before = snapshot(&away);
    let out = sb.run(&["session", &id, "--minutes", "5"]);
    refused_as_outside(out, ".sluss/locks", &away);
    assert_eq!(snapshot(&away), before);
}

#[test]
fn a_cache_that_links_out_is_neither_read_written_nor_deleted() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    let id = sb.new_case("Vanligt", &["--coach", "erik"]);
    // A file changed this very second is not cached: make the case older.
    let status = std::process::Command::new("touch")
        .args(["-d", "2020-01-01"])
        .arg(sb.path(&Sandbox::case_rel(&id)))
        .status()
        .unwrap();
    assert!(status.success());
    sb.run(&["list"]).success();

    // The cache file itself a link to a file outside.
    let cache_dir = sb.path(".sluss/cache");
    let file = fs::read_dir(&cache_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let victim = sb.base().join("victim.bin");
    fs::write(&victim, "not a cache\n").unwrap();
    fs::remove_file(&file).unwrap();
    symlink(&victim, &file).unwrap();
    for args in [&["list"][..], &["summary"], &["check"]] {
        sb.run(args).success();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "not a cache\n");
    }

    // The cache folder a link to a folder outside: reports skip the cache, and forget,
    // which removes the cache, removes only the link.
    let away = outside_folder(&sb, "away");
    link(&sb, ".sluss/cache", &away);
    let before = snapshot(&away);
    for args in [&["list"][..], &["summary"], &["check"], &["show", &id]] {
        sb.run(args).success();
        assert_eq!(snapshot(&away), before, "{args:?} reached outside");
    }
    sb.run(&["forget", "Anna Berg"])
        .success()
        .stdout_has("changed");
    assert_eq!(snapshot(&away), before, "forget reached outside");
    assert!(fs::symlink_metadata(&cache_dir).is_err(), "the link stays");
}

/// A member file, a participants file and an assessment, in folders outside.
fn outside_records(sb: &Sandbox) -> (PathBuf, PathBuf, PathBuf) {
    let network = sb.base().join("their-network");
    fs::create_dir_all(&network).unwrap();
    fs::write(
        network.join("hemlig.toml"),
        "key = \"hemlig\"\norganisation = \"Hemlig AB\"\nkind = \"company\"\njoined = 2019-01-01\n",
    )
    .unwrap();
    let programs = sb.base().join("their-programs");
    fs::create_dir_all(&programs).unwrap();
    fs::write(
        programs.join("ip2018.toml"),
        "program = \"ip2018\"\n\n[[participants]]\nname = \"Hemlig Person\"\nunit = \"Kultur\"\nkind = \"person\"\nconsent = false\n",
    )
    .unwrap();
    let maturity = sb.base().join("their-maturity");
    fs::create_dir_all(&maturity).unwrap();
    fs::write(
        maturity.join("2019-01-01-kultur.toml"),
        "date = 2019-01-01\nunit = \"Kultur\"\n\n[scores]\nledning = 2\n",
    )
    .unwrap();
    (network, programs, maturity)
}

#[test]
fn record_folders_that_link_out_are_neither_read_nor_written() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    sb.new_case("Vanligt", &["--coach", "erik"]);
    let (network, programs, maturity) = outside_records(&sb);
    link(&sb, "network", &network);
    link(&sb, "programs", &programs);
    link(&sb, "maturity", &maturity);
    let before = [snapshot(&network), snapshot(&programs), snapshot(&maturity)];
    let unchanged = |line: &str| {
        assert_eq!(
            [snapshot(&network), snapshot(&programs), snapshot(&maturity)],
            before,
            "`{line}` reached outside"
        );
    };

    let cases: [(&[&str], &str, &Path); 9] = [
        (
            &[
                "network",
                "add",
                "ny",
                "--organisation",
                "Ny AB",
                "--kind",
                "company",
            ],
            "network",
            &network,
        ),
        (&["network", "list"], "network", &network),
        (&["network", "show", "hemlig"], "network", &network),
        (&["network", "report"], "network", &network),
        (
            &[
                "program",
                "participant",
                "add",
                "ip2018",
                "Bo Ek",
                "--unit",
                "Kultur",
            ],
            "programs",
            &programs,
        ),
        (&["program", "show", "ip2018"], "programs", &programs),
        (
            &[
                "maturity",
                "record",
                "--unit",
                "Kultur",
                "--score",
                "ledning=3",
            ],
            "maturity",
            &maturity,
        ),
        (&["maturity", "list"], "maturity", &maturity),
        (&["forget", "Hemlig Person"], "network", &network),
    ];
    for (args, rel, to) in cases {
        let out = sb.run(args);
        assert!(
            !out.stdout.contains("Hemlig"),
            "`{}` read outside:\n{}",
            out.line,
            out.stdout
        );
        let line = out.line.clone();
        refused_as_outside(out, rel, to);
        unchanged(&line);
    }
    let out = sb.run(&["check"]);
    let line = out.line.clone();
    refused_as_outside(out, "network", &network);
    unchanged(&line);
}

#[test]
fn record_files_that_link_out_are_skipped_and_never_written() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    let (network, programs, maturity) = outside_records(&sb);
    link(&sb, "network/hemlig.toml", &network.join("hemlig.toml"));
    link(&sb, "programs/ip2018.toml", &programs.join("ip2018.toml"));
    link(
        &sb,
        "maturity/2019-01-01-kultur.toml",
        &maturity.join("2019-01-01-kultur.toml"),
    );
    let before = [snapshot(&network), snapshot(&programs), snapshot(&maturity)];

    let out = sb.run(&["network", "list"]);
    assert!(!out.stdout.contains("Hemlig"), "{}", out.stdout);
    assert!(
        out.stderr
            .contains("network/hemlig.toml leads outside the repository"),
        "{}",
        out.stderr
    );
    sb.run(&["network", "show", "hemlig"]).fails();
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2018",
        "Bo Ek",
        "--unit",
        "Kultur",
    ])
    .failure(1)
    .stderr_has("programs/ip2018.toml is a symbolic link; sluss writes only regular files");
    let out = sb.run(&["program", "show", "ip2018"]).failure(1);
    assert!(!out.stdout.contains("Hemlig"), "{}", out.stdout);
    out.stderr_has("programs/ip2018.toml leads outside the repository");
    let out = sb.run(&["maturity", "list"]);
    assert!(!out.stdout.contains("2019-01-01"), "{}", out.stdout);
    sb.run(&["check"])
        .failure(1)
        .stdout_has("leads outside the repository");
    assert_eq!(
        [snapshot(&network), snapshot(&programs), snapshot(&maturity)],
        before
    );
}

#[test]
fn a_case_file_that_links_out_is_refused_by_every_reader() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    let id = sb.new_case("Vanligt", &["--coach", "erik"]);
    let outside = sb.base().join("hemlig.toml");
    fs::write(
        &outside,
        "id = \"utanfor1\"\ntitle = \"Hemlig titel\"\ncreated = 2020-01-10T09:00:00+01:00\nstage = \"inkommen\"\nstatus = \"open\"\nunit = \"Kultur\"\n\n[description]\nneed = \"Hemligt behov\"\n",
    )
    .unwrap();
    link(&sb, "cases/utanfor1.toml", &outside);
    let before = fs::read(&outside).unwrap();

    for args in [&["log", "utanfor1"][..], &["show", "utanfor1"]] {
        let out = sb.run(args);
        assert!(
            !out.stdout.contains("Hemlig"),
            "`{}`:\n{}",
            out.line,
            out.stdout
        );
        refused_as_outside(out, "cases/utanfor1.toml", &outside);
    }
    for args in [
        &["export"][..],
        &["export", "--format", "json"],
        &["list"],
        &["summary", "--format", "json"],
    ] {
        let out = sb.run(args).success();
        assert!(
            !out.stdout.contains("Hemlig"),
            "`{}`:\n{}",
            out.line,
            out.stdout
        );
        assert!(
            out.stdout.contains(&id) || args[0] == "summary",
            "`{}`:\n{}",
            out.line,
            out.stdout
        );
        out.stderr_has("cases/utanfor1.toml leads outside the repository");
    }
    sb.run(&["check"])
        .failure(1)
        .stdout_has("cases/utanfor1.toml")
        .stdout_has("leads outside the repository");
    assert_eq!(fs::read(&outside).unwrap(), before);
}

#[test]
fn a_case_file_that_links_inside_the_repository_is_still_read() {
    let sb = Sandbox::with_team();
    let target = sb.path("arkiv/innanfor.toml");
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    fs::write(
        &target,
        "id = \"innanfor\"\ntitle = \"Arkiverad\"\ncreated = 2020-01-10T09:00:00+01:00\nstage = \"inkommen\"\nstatus = \"open\"\ncoach = \"erik\"\nunit = \"Kultur\"\n\n[description]\nneed = \"Behov\"\n",
    )
    .unwrap();
    // A relative link, as git checks one out.
    symlink("../arkiv/innanfor.toml", sb.path("cases/innanfor.toml")).unwrap();
    sb.run(&["log", "innanfor"]).success();
    sb.run(&["show", "innanfor"])
        .success()
        .stdout_has("Arkiverad");
    sb.run(&["export", "--format", "json"])
        .success()
        .stdout_has("Arkiverad");
    sb.run(&["check"]).success();
    // A folder linked inside the repository is fine too.
    fs::create_dir_all(sb.path("data/natverk")).unwrap();
    symlink("data/natverk", sb.path("network")).unwrap();
    sb.run(&[
        "network",
        "add",
        "norrdata",
        "--organisation",
        "Norrdata AB",
        "--kind",
        "company",
    ])
    .success();
    assert!(sb.path("data/natverk/norrdata.toml").is_file());
    sb.run(&["network", "list"])
        .success()
        .stdout_has("Norrdata AB");
}

#[test]
fn settings_and_git_files_that_link_out_are_refused() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    sb.git(&["init", "-q"]);
    let attributes = sb.base().join("their.gitattributes");
    fs::write(&attributes, "secret text\n").unwrap();
    link(&sb, ".gitattributes", &attributes);
    let out = sb.run(&["git-setup"]);
    refused_as_outside(out, ".gitattributes", &attributes);
    assert_eq!(fs::read_to_string(&attributes).unwrap(), "secret text\n");
    assert!(
        fs::symlink_metadata(sb.path(".gitattributes"))
            .unwrap()
            .file_type()
            .is_symlink()
    );

    let settings = sb.base().join("their-sluss.toml");
    fs::rename(sb.path("sluss.toml"), &settings).unwrap();
    symlink(&settings, sb.path("sluss.toml")).unwrap();
    let before = fs::read(&settings).unwrap();
    for args in [
        &["list"][..],
        &["coach", "add", "olle", "--name", "Olle Ek"],
        &["check"],
    ] {
        let out = sb.run(args);
        refused_as_outside(out, "sluss.toml", &settings);
        assert_eq!(fs::read(&settings).unwrap(), before);
    }
}

#[test]
fn schemas_are_never_written_outside() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    let away = outside_folder(&sb, "away");
    link(&sb, "schemas", &away);
    let before = snapshot(&away);
    let out = sb.run(&["schema", "--write"]);
    refused_as_outside(out, "schemas", &away);
    assert_eq!(snapshot(&away), before);

    // One schema file a link to a file outside: not written through.
    fs::remove_file(sb.path("schemas")).unwrap();
    fs::create_dir(sb.path("schemas")).unwrap();
    let victim = sb.base().join("victim.json");
    fs::write(&victim, "{}\n").unwrap();
    symlink(&victim, sb.path("schemas/case.schema.json")).unwrap();
    sb.run(&["schema", "--write"])
        .failure(1)
        .stderr_has("schemas/case.schema.json is a symbolic link; sluss writes only regular files");
    assert_eq!(fs::read_to_string(&victim).unwrap(), "{}\n");
}

#[test]
fn init_makes_nothing_through_a_link_out() {
    let sb = Sandbox::empty();
    let away = outside_folder(&sb, "away");
    for folder in ["cases", ".sluss", "schemas"] {
        link(&sb, folder, &away);
        let before = snapshot(&away);
        let out = sb.run(&["init"]);
        refused_as_outside(out, folder, &away);
        assert_eq!(snapshot(&away), before);
        assert!(!sb.path("sluss.toml").exists(), "init went half way");
        fs::remove_file(sb.path(folder)).unwrap();
    }
    sb.run(&["init"]).success();
}
