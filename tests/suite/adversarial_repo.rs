//! The adversarial suite of issue 11, run against main after the hardening round: a
//! hostile repository (links, files where folders belong, hard links, strange names),
//! user text full of terminal controls, and reports that must not lie. Each test here
//! is a defect that an attack found, fixed at the shared mechanism.

use std::fs;
use std::time::{Duration, Instant};

use crate::common::{Outcome, Sandbox};

/// Runs `args` in the sandbox; a command that has not ended after a minute (far more than
/// any of these needs) is killed and the test fails, instead of hanging the suite.
fn run_bounded(sb: &Sandbox, args: &[&str]) -> Outcome {
    let (line, mut child) = sb.cmd(args).spawn();
    let start = Instant::now();
    loop {
        if child
            .try_wait()
            .expect("the child can be waited for")
            .is_some()
        {
            return crate::common::wait((line, child));
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`{line}` never ended (killed after a minute)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A repository whose `cases` (or `.sluss`) is a file where a folder belongs: every
/// writer is refused with a message naming it, and none keeps trying for ever (`new`
/// took the system's "File exists" for a clash of ids and drew new ids without end).
#[test]
fn a_file_where_a_folder_belongs_is_refused_by_name_and_never_loops() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    fs::remove_dir_all(sb.path("cases")).unwrap();
    fs::write(sb.path("cases"), "not a folder\n").unwrap();
    run_bounded(
        &sb,
        &["new", "Idé", "--submitter", "Anna Berg", "--unit", "IT"],
    )
    .failure(1)
    .stderr_has("cases is a file, not a folder")
    .hint_has("move the file away");
    assert_eq!(sb.read("cases"), "not a folder\n");

    let sb = Sandbox::with_team();
    let id = sb.new_case("Idé", &[]);
    fs::remove_dir_all(sb.path(".sluss")).unwrap();
    fs::write(sb.path(".sluss"), "x\n").unwrap();
    let before = sb.case_text(&id);
    for args in [
        vec!["assign", id.as_str(), "sara"],
        vec!["coach", "add", "olle", "--name", "Olle"],
    ] {
        run_bounded(&sb, &args)
            .failure(1)
            .stderr_has(".sluss is a file, not a folder");
    }
    assert_eq!(sb.case_text(&id), before);
    assert_eq!(sb.read(".sluss"), "x\n");
}

/// Characters a terminal would act on, other than a line feed and a tab.
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            matches!(c,
                '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
                | '\u{61c}' | '\u{200e}' | '\u{200f}'
                | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

/// A value clap refuses is quoted in its error (`invalid value '…'`): that quote goes
/// through the terminal sanitiser too, so a carriage return, an 8-bit CSI or a bidi
/// override typed (or pasted, or scripted) into an argument is shown, never acted on.
#[test]
fn an_argument_clap_refuses_is_quoted_without_raw_controls() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Idé", &[]);
    let hostile = "2020-01-01\r\u{9b}31mX\u{202e}Y\u{1b}[2J\u{7}";
    for args in [
        vec!["digest", "--since", hostile],
        vec!["summary", "--until", hostile],
        vec!["close", id.as_str(), "--outcome", hostile],
        vec!["list", "--format", hostile],
        vec!["session", id.as_str(), "--minutes", hostile],
        vec!["schema", hostile],
    ] {
        let out = sb.run(&args).failure(2);
        assert!(
            raw_controls(&out.stderr).is_empty() && raw_controls(&out.stdout).is_empty(),
            "`{}` printed raw controls {:?}:\n{}",
            out.line,
            raw_controls(&out.stderr),
            out.stderr
        );
        assert!(out.stderr.contains("\\u{202e}"), "{}", out.stderr);
    }
    // Help and the version stay as clap prints them.
    sb.run(&["--version"]).success().stdout_has("sluss ");
    sb.run(&["list", "--help"])
        .success()
        .stdout_has("Usage: sluss list");
}

/// A throughput window never runs backwards. `--since` after the report's day (the end
/// of the window without `--until`) is refused as `--since` after `--until` is, by
/// `summary` as by `digest`; and without `--since`, a window whose `--until` comes
/// before the first case starts at its end (empty), not at the first case.
#[test]
fn a_report_window_never_runs_backwards() {
    let sb = Sandbox::with_team();
    sb.new_case_on("2020-06-10", "Matsedel", &[]);
    for args in [
        &["summary", "--since", "2020-07-01"][..],
        &["summary", "--since", "2020-07-01", "--public"],
        &["digest", "--since", "2020-07-01"],
    ] {
        sb.run(args)
            .failure(2)
            .stderr_has("--since 2020-07-01 is after 2020-06-30, the report's day")
            .hint_has("--until");
    }
    let json = sb
        .run(&["summary", "--until", "2020-06-01", "--format", "json"])
        .success()
        .json();
    let flow = &json["flow"];
    assert_eq!(flow["until"], "2020-06-01");
    assert_eq!(flow["since"], "2020-06-01", "{flow}");
    let text = sb.run(&["summary", "--until", "2020-06-01"]).success();
    assert!(
        text.stdout
            .contains("Throughput per quarter, 1 June 2020\n"),
        "{}",
        text.stdout
    );
}

/// A hostile repository commits an edit copy under `.sluss/edit/` (git ignores that
/// folder, but a forced add commits it all the same), with the case's own text as its
/// base: `sluss edit`, its editor closed without a change, saved the stranger's text as
/// the user's edit. A kept copy is continued only when this sluss made it here.
#[test]
fn an_edit_copy_that_came_with_the_repository_is_never_saved_as_the_users_edit() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Vanligt", &["--coach", "erik"]);
    let rel = Sandbox::case_rel(&id);
    let text = sb.case_text(&id);
    fs::create_dir_all(sb.path(".sluss/edit/base")).unwrap();
    sb.write(&format!(".sluss/edit/base/{id}.toml"), &text);
    let planted = text.replace("title = \"Vanligt\"", "title = \"Planterat\"");
    sb.write(&format!(".sluss/edit/{id}.toml"), &planted);
    // Even a record that claims the copy was made here cannot name the file's identity.
    sb.write(&format!(".sluss/edit/base/{id}.toml.made"), "1 2 3\n");
    let closes = sb.base().join("closes.sh");
    fs::write(&closes, "#!/bin/sh\nexit 0\n").unwrap();
    fs::set_permissions(&closes, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    sb.assert_untouched(&rel, || {
        sb.cmd(&["edit", &id])
            .env("EDITOR", &closes)
            .run()
            .failure(1)
            .stderr_has("was not left by a `sluss edit` in this folder")
            .hint_has("delete it");
    });
    assert_eq!(sb.read(&format!(".sluss/edit/{id}.toml")), planted);

    // Deleted, as the hint says: the edit starts from the case, and a copy this sluss
    // keeps (a broken edit given up) is continued as before.
    fs::remove_file(sb.path(&format!(".sluss/edit/{id}.toml"))).unwrap();
    let breaks = sb.base().join("breaks.sh");
    // Breaks the case once; shown the error, saves it as it is (giving up).
    fs::write(
        &breaks,
        "#!/bin/sh\ngrep -q '^# sluss: ' \"$1\" || echo 'oops = ' >> \"$1\"\n",
    )
    .unwrap();
    fs::set_permissions(&breaks, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    sb.cmd(&["edit", &id])
        .env("EDITOR", &breaks)
        .run()
        .failure(1)
        .hint_has("kept in");
    let mends = sb.base().join("mends.sh");
    fs::write(
        &mends,
        "#!/bin/sh\nsed -i -e '/^oops = /d' -e '/^# sluss: /d' -e 's/^title = .*/title = \"Eget\"/' \"$1\"\n",
    )
    .unwrap();
    fs::set_permissions(&mends, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    sb.cmd(&["edit", &id])
        .env("EDITOR", &mends)
        .run()
        .success()
        .stderr_has("kept copy")
        .stdout_has("Saved case");
    assert_eq!(sb.case(&id)["title"].as_str(), Some("Eget"));
    assert!(
        !sb.path(&format!(".sluss/edit/base/{id}.toml.made"))
            .exists()
    );
}

/// An editor that makes the copy larger than sluss reads (4 MiB): the case is left as
/// it was, and the user is told that the copy is kept and where, as for any edit that
/// is not saved.
#[test]
fn an_edit_grown_past_the_size_limit_says_where_the_copy_is_kept() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Vanligt", &["--coach", "erik"]);
    let grows = sb.base().join("grows.sh");
    fs::write(
        &grows,
        "#!/bin/sh\nhead -c 4200000 /dev/zero | tr '\\0' 'x' | sed 's/^/# /' >> \"$1\"\necho >> \"$1\"\n",
    )
    .unwrap();
    fs::set_permissions(&grows, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.cmd(&["edit", &id])
            .env("EDITOR", &grows)
            .run()
            .failure(2)
            .stderr_has("too large")
            .stderr_has("your edited copy is kept in")
            .stderr_has(&format!("sluss edit {id}"));
    });
    assert!(sb.path(&format!(".sluss/edit/{id}.toml")).is_file());
}
