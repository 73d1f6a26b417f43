//! Files stay as the user had them: their permissions, their bytes, their size within
//! what sluss reads back, the copy `edit` keeps, no temporary files left for git, and
//! every name `check` accepts is a name every command can write.

use std::fs;
use std::path::Path;

use crate::common::Sandbox;

/// A hand-written case; `{NEED}` is replaced by the value of `description.need`.
const CASE: &str = r#"id = "fil12345"
title = "Filer som de var"
created = 2020-01-10T09:00:00+01:00
stage = "inkommen"
status = "open"
coach = "erik"
unit = "Vård och omsorg"
tags = ["välfärd"]

[submitter]
name = "Anna Berg"
consent = true

[description]
need = """
Första raden
andra raden"""
idea = "Idé"

[[history]]
at = 2020-01-11T10:00:00+01:00
by = "erik"
coach = "erik"
"#;

const ID: &str = "fil12345";

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// The mode any program's new file gets here: 0666 less the umask the tests run under
/// (which the sluss they start inherits).
#[cfg(unix)]
fn umask_mode(sb: &Sandbox) -> u32 {
    let probe = sb.base().join("umask-probe");
    fs::write(&probe, "").unwrap();
    let m = mode(&probe);
    fs::remove_file(&probe).unwrap();
    m
}

fn session(sb: &Sandbox) -> crate::common::Outcome {
    sb.run(&["session", ID, "--minutes", "30", "--date", "2020-06-01"])
}

// ---------------------------------------------------------------------------------------
// Permissions

#[cfg(unix)]
#[test]
fn new_files_get_the_mode_the_umask_gives() {
    let sb = Sandbox::new();
    let expected = umask_mode(&sb);
    for rel in ["sluss.toml", "schemas/case.schema.json", ".gitignore"] {
        assert_eq!(mode(&sb.path(rel)), expected, "{rel} after init");
    }
    sb.run(&["coach", "add", "erik", "--name", "Erik Lind"])
        .success();
    assert_eq!(mode(&sb.path("sluss.toml")), expected, "after coach add");
    let id = sb.new_case("Ny", &[]);
    assert_eq!(
        mode(&sb.path(&Sandbox::case_rel(&id))),
        expected,
        "a new case"
    );
    sb.run(&["summary", "-o", "summary.html"]).success();
    assert_eq!(mode(&sb.path("summary.html")), expected, "a report file");
}

#[cfg(unix)]
#[test]
fn new_files_follow_a_strict_umask_too() {
    let sb = Sandbox::empty();
    // `init` and `new` under umask 027, through a shell that sets it.
    let run = |args: &[&str]| {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg("umask 027 && exec \"$@\"")
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_sluss"))
            .args(args)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", sb.home())
            .env("XDG_CONFIG_HOME", sb.config_home())
            .env("SLUSS_NOW", crate::common::NOW)
            .env("SLUSS_USER", crate::common::USER)
            .current_dir(sb.root())
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
    };
    run(&["init"]);
    run(&[
        "new",
        "Strikt",
        "--unit",
        "Skola",
        "--submitter",
        "Anna Berg",
    ]);
    let case = fs::read_dir(sb.path("cases"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    for path in [
        sb.path("sluss.toml"),
        sb.path(".gitignore"),
        sb.path("schemas/case.schema.json"),
        case,
    ] {
        assert_eq!(mode(&path), 0o640, "{}", path.display());
    }
}

#[cfg(unix)]
#[test]
fn a_rewrite_keeps_the_files_mode() {
    let sb = Sandbox::with_team();
    sb.write_case(ID, CASE);
    let case = sb.path(&Sandbox::case_rel(ID));
    set_mode(&case, 0o640);
    session(&sb).success();
    assert_eq!(mode(&case), 0o640, "after session");
    sb.run(&["advance", ID, "--note", "vidare"]).success();
    assert_eq!(mode(&case), 0o640, "after advance");
    let retitles = editor(
        &sb,
        "retitles.sh",
        r#"sed -i 's/^title = .*/title = "Ny"/' "$file""#,
    );
    sb.cmd(&["edit", ID])
        .env("EDITOR", &retitles)
        .run()
        .success();
    assert_eq!(mode(&case), 0o640, "after edit");
    set_mode(&sb.path("sluss.toml"), 0o604);
    sb.run(&["coach", "add", "olle", "--name", "Olle"])
        .success();
    assert_eq!(mode(&sb.path("sluss.toml")), 0o604, "sluss.toml");
    sb.run(&["summary", "-o", "summary.html"]).success();
    set_mode(&sb.path("summary.html"), 0o660);
    sb.run(&["summary", "-o", "summary.html"]).success();
    assert_eq!(mode(&sb.path("summary.html")), 0o660, "a report rewritten");
    set_mode(&sb.path("summary.html"), 0o444);
    sb.assert_untouched("summary.html", || {
        sb.run(&["summary", "-o", "summary.html"])
            .failure(1)
            .stderr_has("read-only");
    });
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_refused_never_made_writable() {
    let sb = Sandbox::with_team();
    sb.write_case(ID, CASE);
    let rel = Sandbox::case_rel(ID);
    set_mode(&sb.path(&rel), 0o440);
    sb.assert_untouched(&rel, || {
        session(&sb)
            .failure(1)
            .stderr_has("read-only")
            .hint_has("chmod u+w");
        sb.run(&["forget", "Anna Berg"])
            .fails()
            .stderr_has("read-only");
    });
    assert_eq!(mode(&sb.path(&rel)), 0o440);
    // `edit` says so before the editor opens, not after the work is done.
    let runs = sb.base().join("editor-ran");
    let script = editor(&sb, "touch.sh", &format!("touch '{}'", runs.display()));
    sb.assert_untouched(&rel, || {
        sb.cmd(&["edit", ID])
            .env("EDITOR", &script)
            .run()
            .failure(1)
            .stderr_has("read-only");
    });
    assert!(!runs.exists(), "the editor opened");

    set_mode(&sb.path("sluss.toml"), 0o444);
    sb.assert_untouched("sluss.toml", || {
        sb.run(&["coach", "add", "olle", "--name", "Olle"])
            .failure(1)
            .stderr_has("read-only");
    });
    assert_eq!(mode(&sb.path("sluss.toml")), 0o444);
    set_mode(&sb.path("sluss.toml"), 0o644);
}

// ---------------------------------------------------------------------------------------
// Line endings

#[test]
fn a_crlf_file_keeps_the_lf_inside_its_multi_line_string() {
    let sb = Sandbox::with_team();
    // CRLF lines, but the multi-line string holds a bare LF, which is part of its value.
    let text = CASE
        .replace('\n', "\r\n")
        .replace("Första raden\r\nandra", "Första raden\nandra");
    sb.write_case(ID, &text);
    let need = |t: &str| {
        let table: toml::Table = toml::from_str(t).unwrap();
        table["description"]["need"].as_str().unwrap().to_string()
    };
    assert_eq!(need(&text), "Första raden\nandra raden");
    session(&sb).success();
    let after = sb.case_text(ID);
    assert!(
        after.starts_with(&text),
        "every byte before the new session is kept:\n{after:?}"
    );
    let added = &after[text.len()..];
    assert!(added.contains("[[sessions]]"), "{added:?}");
    assert_eq!(
        added.matches('\n').count(),
        added.matches("\r\n").count(),
        "the new lines end in CRLF: {added:?}"
    );
    assert_eq!(need(&after), "Första raden\nandra raden");
}

#[test]
fn a_file_with_mixed_line_endings_keeps_every_untouched_byte() {
    let sb = Sandbox::with_team();
    // Every other line ends in CRLF.
    let text: String = CASE
        .split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| {
            if i % 2 == 0 && !l.starts_with("Första") {
                l.replace('\n', "\r\n")
            } else {
                l.to_string()
            }
        })
        .collect();
    sb.write_case(ID, &text);
    sb.run(&["assign", ID, "sara"]).success();
    let after = sb.case_text(ID);
    // Only the coach line changed; each other line has its own ending still.
    let before_lines: Vec<&str> = text.split_inclusive('\n').collect();
    let after_lines: Vec<&str> = after.split_inclusive('\n').collect();
    for line in before_lines.iter().filter(|l| !l.starts_with("coach = ")) {
        assert!(
            after_lines.contains(line),
            "{line:?} was changed:\n{after:?}"
        );
    }
    let table: toml::Table = toml::from_str(&after).unwrap();
    assert_eq!(table["coach"].as_str(), Some("sara"));
    assert_eq!(
        table["description"]["need"].as_str(),
        Some("Första raden\nandra raden")
    );
}

// ---------------------------------------------------------------------------------------
// Size

/// The largest file sluss reads back (`MAX_CASE_BYTES`).
const LIMIT: usize = 4 * 1024 * 1024;

#[test]
fn a_write_past_the_read_limit_is_refused_before_writing() {
    let sb = Sandbox::with_team();
    // A case just under the limit: a long comment at its end.
    let mut text = CASE.to_string();
    let room = LIMIT - text.len() - 100;
    text.push('#');
    text.push_str(&"x".repeat(room - 2));
    text.push('\n');
    assert!(text.len() <= LIMIT);
    sb.write_case(ID, &text);
    sb.run(&["show", ID]).success();
    let rel = Sandbox::case_rel(ID);
    let notes = "n".repeat(500);
    sb.assert_untouched(&rel, || {
        sb.run(&[
            "session",
            ID,
            "--minutes",
            "30",
            "--date",
            "2020-06-01",
            "--notes",
            &notes,
        ])
        .failure(1)
        .stderr_has(&rel)
        .stderr_has(&LIMIT.to_string());
    });
    // The case is still readable, and a small change still fits.
    sb.run(&["show", ID]).success();
}

// ---------------------------------------------------------------------------------------
// edit

fn editor(sb: &Sandbox, name: &str, body: &str) -> String {
    let path = sb.base().join(name);
    fs::write(&path, format!("#!/bin/sh\nset -e\nfile=\"$1\"\n{body}\n")).unwrap();
    #[cfg(unix)]
    set_mode(&path, 0o755);
    path.display().to_string()
}

/// An edit that breaks the file (and changes the title), saved twice: sluss gives up
/// and keeps the copy.
fn give_up_on_a_broken_edit(sb: &Sandbox) -> String {
    let breaks = editor(
        sb,
        "breaks.sh",
        r#"if ! grep -q '^# sluss: ' "$file"; then
  sed -i 's/^title = .*/title = "Ny titel"/' "$file"
  echo 'oops = ' >> "$file"
fi"#,
    );
    let rel = Sandbox::case_rel(ID);
    let out = sb.assert_untouched(&rel, || {
        sb.cmd(&["edit", ID])
            .env("EDITOR", &breaks)
            .run()
            .failure(1)
            .hint_has("kept in")
            .hint_has(&format!("sluss edit {ID}"))
    });
    let copy = sb.path(&format!(".sluss/edit/{ID}.toml"));
    assert!(copy.is_file(), "{}", out.stderr);
    fs::read_to_string(copy).unwrap()
}

#[test]
fn edit_continues_from_the_copy_it_kept() {
    let sb = Sandbox::with_team();
    sb.write_case(ID, CASE);
    let copy = give_up_on_a_broken_edit(&sb);
    assert!(
        copy.contains("Ny titel") && copy.contains("oops = "),
        "{copy}"
    );
    // Following the advice: `sluss edit` again opens the kept copy, with the work in it.
    let mends = editor(&sb, "mends.sh", r#"sed -i '/^oops = /d' "$file""#);
    sb.cmd(&["edit", ID])
        .env("EDITOR", &mends)
        .run()
        .success()
        .stderr_has("kept copy")
        .stdout_has("Saved case");
    assert_eq!(sb.case(ID)["title"].as_str(), Some("Ny titel"));
    assert!(!sb.path(&format!(".sluss/edit/{ID}.toml")).exists());
}

#[test]
fn edit_never_overwrites_a_kept_copy_of_a_case_that_changed_since() {
    let sb = Sandbox::with_team();
    sb.write_case(ID, CASE);
    let copy = give_up_on_a_broken_edit(&sb);
    session(&sb).success();
    let any = editor(&sb, "any.sh", r#"echo '# touched' >> "$file""#);
    let kept = format!(".sluss/edit/{ID}.toml");
    sb.assert_untouched(&kept, || {
        sb.assert_untouched(&Sandbox::case_rel(ID), || {
            sb.cmd(&["edit", ID])
                .env("EDITOR", &any)
                .run()
                .failure(1)
                .stderr_has("changed")
                .hint_has("delete it");
        });
    });
    assert_eq!(sb.read(&kept), copy);
    // Deleting it, as the hint says, starts afresh.
    fs::remove_file(sb.path(&kept)).unwrap();
    sb.cmd(&["edit", ID])
        .env("EDITOR", &any)
        .run()
        .success()
        .stdout_has("Saved case");
}

// ---------------------------------------------------------------------------------------
// Temporary files

/// Runs `args` with a crash injected after the temporary file is half written.
fn crash(sb: &Sandbox, args: &[&str]) {
    let out = sb
        .cmd(args)
        .env("SLUSS_FAULT_INJECT", "half-written")
        .output();
    assert!(!out.status.success(), "the crash did not happen: {args:?}");
}

fn temp_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".sluss-tmp-"))
        .collect();
    names.sort();
    names
}

#[test]
fn leftovers_of_a_crash_are_ignored_by_git_reported_by_check_and_swept() {
    let sb = Sandbox::with_team();
    sb.write_case(ID, CASE);
    sb.git(&["init", "-q"]);
    crash(&sb, &["session", ID, "--minutes", "30"]);
    crash(&sb, &["coach", "add", "olle", "--name", "Olle"]);
    assert_eq!(temp_files(&sb.path("cases")).len(), 1);
    assert_eq!(temp_files(&sb.root()).len(), 1);
    // A leftover of an older writer of sluss.toml, under a random name.
    sb.write(".sluss-tmp-sluss.toml-Ab12Cd.tmp", "half");

    let status = sb.git_outcome(&["status", "--porcelain", "--untracked-files=all"]);
    assert!(
        !status.stdout.contains(".sluss-tmp-"),
        "git sees a temporary file:\n{}",
        status.stdout
    );

    let check = sb.run(&["check"]).success();
    for leftover in temp_files(&sb.path("cases"))
        .iter()
        .map(|n| format!("cases/{n}"))
        .chain(temp_files(&sb.root()))
    {
        assert!(
            check.stdout.contains(&format!("{leftover}:1:1: warning")),
            "{leftover} not reported:\n{}",
            check.stdout
        );
    }
    sb.run(&["check", "--strict"]).failure(1);

    session(&sb).success();
    assert_eq!(temp_files(&sb.path("cases")), Vec::<String>::new());
    sb.run(&["coach", "add", "olle", "--name", "Olle"])
        .success();
    assert_eq!(temp_files(&sb.root()), Vec::<String>::new());
    sb.run(&["check", "--strict"]).success();
}

#[test]
fn init_adds_the_ignore_rule_to_an_existing_gitignore() {
    let sb = Sandbox::empty();
    sb.write(".gitignore", "target/\n*.bak");
    sb.run(&["init"]).success();
    let ignore = sb.read(".gitignore");
    assert!(ignore.starts_with("target/\n*.bak\n"), "{ignore}");
    assert!(ignore.lines().any(|l| l == ".sluss-tmp-*"), "{ignore}");
}

// ---------------------------------------------------------------------------------------
// Names

#[test]
fn a_long_name_that_check_accepts_can_be_written_and_forgotten() {
    let sb = Sandbox::with_team();
    // As long as a lock file's name allows: `<name>.lock` has at most 255 bytes.
    let words = "ord-".repeat(60);
    let name = format!("{ID}-{}.toml", &words[..250 - ID.len() - 1 - ".toml".len()]);
    assert_eq!(name.len(), 250);
    let rel = format!("cases/{name}");
    sb.write(&rel, CASE);
    sb.run(&["check"]).success();
    session(&sb).success();
    sb.run(&["forget", "Anna Berg"]).success();
    let text = sb.read(&rel);
    assert!(!text.contains("Anna Berg"), "{text}");
    assert!(text.contains("[[sessions]]"), "{text}");
}

#[cfg(unix)]
#[test]
fn a_case_file_whose_name_is_not_utf8_is_flagged_and_not_counted() {
    use std::os::unix::ffi::OsStrExt;
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    sb.write_case(ID, CASE);
    let odd = sb
        .path("cases")
        .join(std::ffi::OsStr::from_bytes(b"fil99999-\xff\xfe.toml"));
    fs::write(&odd, CASE.replace(ID, "fil99999")).unwrap();

    sb.run(&["check"])
        .failure(1)
        .stdout_has("not UTF-8")
        .stdout_has("rename");
    let list = sb.run(&["list", "--format", "json"]).success();
    assert_eq!(list.json().as_array().unwrap().len(), 1, "{}", list.stdout);
    assert!(list.stderr.contains("warning") && list.stderr.contains("fil99999-"));
    let summary = sb.run(&["summary", "--format", "json"]).success();
    assert!(summary.stderr.contains("fil99999-"), "{}", summary.stderr);
    sb.run(&["show", "fil99999"]).fails();

    // The same beside the cases: such a file is not read as a record, and check says so.
    fs::create_dir_all(sb.path("network")).unwrap();
    fs::write(
        sb.path("network")
            .join(std::ffi::OsStr::from_bytes(b"n\xff.toml")),
        "key = \"n\"\n",
    )
    .unwrap();
    let check = sb.run(&["check", "--format", "json"]).failure(1).json();
    let network: Vec<&serde_json::Value> = check["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["path"].as_str().unwrap().starts_with("network/"))
        .collect();
    assert_eq!(network.len(), 1, "{network:?}");
    assert_eq!(network[0]["code"], "stray-file");
}

#[test]
fn units_whose_names_differ_only_in_letters_outside_ascii_get_different_files() {
    let sb = Sandbox::new();
    let record = |unit: &str| {
        sb.run(&[
            "maturity",
            "record",
            "--unit",
            unit,
            "--date",
            "2020-03-14",
            "--score",
            "tid=2",
        ])
        .success();
    };
    record("Vård");
    record("Värd");
    let mut files: Vec<String> = fs::read_dir(sb.path("maturity"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    let units: Vec<String> = files
        .iter()
        .map(|f| {
            let t: toml::Table = toml::from_str(&sb.read(&format!("maturity/{f}"))).unwrap();
            t["unit"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(units.contains(&"Vård".to_string()) && units.contains(&"Värd".to_string()));
    // Both names are ones check accepts, and the same unit twice is still refused.
    sb.run(&["check", "--strict"]).success();
    sb.run(&[
        "maturity",
        "record",
        "--unit",
        "Värd",
        "--date",
        "2020-03-14",
        "--score",
        "tid=3",
    ])
    .failure(1)
    .stderr_has("already has an assessment");
}

#[test]
fn a_second_edit_of_the_same_case_does_not_take_over_the_first_ones_copy() {
    let sb = Sandbox::with_team();
    sb.write_case(ID, CASE);
    let started = sb.base().join("started");
    let go = sb.base().join("go");
    let waits = editor(
        &sb,
        "waits.sh",
        &format!(
            "touch '{}'\nwhile [ ! -f '{}' ]; do sleep 0.05; done",
            started.display(),
            go.display()
        ),
    );
    let first = sb.cmd(&["edit", ID]).env("EDITOR", &waits).spawn();
    // Whatever happens below, the first editor is let go.
    struct Go(std::path::PathBuf);
    impl Drop for Go {
        fn drop(&mut self) {
            let _ = fs::write(&self.0, "");
        }
    }
    let go = Go(go);
    while !started.exists() {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let other = editor(&sb, "other.sh", r#"echo '# other' >> "$file""#);
    sb.assert_untouched(&format!(".sluss/edit/{ID}.toml"), || {
        sb.cmd(&["edit", ID])
            .env("EDITOR", &other)
            .run()
            .failure(1)
            .stderr_has("being edited");
    });
    drop(go);
    crate::common::wait(first)
        .success()
        .stdout_has("No changes");
}

#[cfg(unix)]
#[test]
fn init_beside_a_read_only_gitignore_makes_nothing() {
    let sb = Sandbox::empty();
    sb.write(".gitignore", "target/\n");
    set_mode(&sb.path(".gitignore"), 0o444);
    sb.run(&["init"]).failure(1).stderr_has("read-only");
    assert!(!sb.path("sluss.toml").exists());
    assert_eq!(sb.read(".gitignore"), "target/\n");
}

#[test]
fn old_leftovers_are_swept_by_the_next_write_beside_them() {
    let sb = Sandbox::with_team();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let old = |rel: &str| {
        sb.write(rel, "half");
        fs::File::options()
            .write(true)
            .open(sb.path(rel))
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
    };
    old(".sluss-tmp-.gitattributes-Xy12Zw.tmp");
    old("maturity/.sluss-tmp-2020-01-01-skola.toml-Qw34Er.tmp");
    // A fresh one of another file may belong to a writer at work: it stays.
    sb.write(".sluss-tmp-.gitignore-Fr56Sh.tmp", "half");
    sb.run(&["coach", "add", "olle", "--name", "Olle"])
        .success();
    assert_eq!(temp_files(&sb.root()), [".sluss-tmp-.gitignore-Fr56Sh.tmp"]);
    sb.run(&[
        "maturity",
        "record",
        "--unit",
        "Skola",
        "--date",
        "2020-03-14",
        "--score",
        "tid=2",
    ])
    .success();
    assert_eq!(temp_files(&sb.path("maturity")), Vec::<String>::new());
}
