//! Hostile input: broken, strange and huge case files (the corpus in
//! `tests/corpus/hostile/`, plus files too large to commit, made here), case ids that
//! try to name a path, and symbolic links that lead out of the repository. Every
//! command stays usable for the other cases, names the file it could not read, and
//! never panics.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{Outcome, Sandbox};

/// The corpus of broken case files, each with the line its error is on (`None` where
/// there is no line: an empty file).
const BROKEN: &[(&str, Option<usize>)] = &[
    ("bad_status.toml", Some(5)),
    ("bare_cr.toml", Some(1)),
    ("binary_junk.toml", Some(2)),
    ("conflict_markers.toml", Some(7)),
    ("deep_inline_tables.toml", Some(7)),
    ("deep_nesting.toml", Some(1)),
    ("duplicate_key.toml", Some(7)),
    ("duplicate_table.toml", Some(11)),
    ("empty.toml", None),
    ("huge_number.toml", Some(11)),
    ("invalid_date.toml", Some(3)),
    ("invalid_month.toml", Some(9)),
    ("invalid_session_date.toml", Some(9)),
    ("missing_keys.toml", Some(1)),
    ("negative_minutes.toml", Some(11)),
    ("nul_bytes.toml", Some(2)),
    ("only_comments.toml", Some(1)),
    ("sessions_not_tables.toml", Some(7)),
    ("syntax_error.toml", Some(2)),
    ("utf16.toml", Some(1)),
    ("wrong_type_created.toml", Some(3)),
    ("wrong_type_minutes.toml", Some(11)),
    ("wrong_type_tags.toml", Some(7)),
];

/// Corpus files that are valid cases, however unusual.
const ACCEPTED: &[&str] = &["unknown_keys.toml"];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/hostile")
}

/// A sandbox with two valid cases, returning their ids, sorted.
fn with_two_cases() -> (Sandbox, Vec<String>) {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    let mut ids = vec![
        sb.new_case("Giltigt ett", &["--coach", "erik"]),
        sb.new_case("Giltigt två", &["--coach", "sara"]),
    ];
    ids.sort();
    (sb, ids)
}

/// No panic, no crash: exit 0, 1 or 2 (the harness already refuses a death by signal).
#[track_caller]
fn calm(out: &Outcome, what: &str) {
    assert!(
        !out.stderr.contains("panicked") && [0, 1, 2].contains(&out.code),
        "{what}: `{}` exited {}:\n{}",
        out.line,
        out.code,
        out.stderr
    );
}

/// The ids that `list --format json` prints.
fn listed(out: &Outcome) -> Vec<String> {
    let mut ids: Vec<String> = out
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

/// Every command treats the unreadable case file `name` (in cases/, with its error on
/// `line`) as broken: the other cases stay usable and it is named with its line.
#[track_caller]
fn assert_broken_file_is_handled(sb: &Sandbox, valid: &[String], name: &str, line: Option<usize>) {
    let id = name.strip_suffix(".toml").unwrap();
    let rel = format!("cases/{name}");
    let named = match line {
        Some(line) => format!("{rel}:{line}:"),
        None => rel.clone(),
    };

    for format in ["json", "table", "csv"] {
        let out = sb.run(&["list", "--format", format]);
        calm(&out, name);
        let out = out.success();
        assert!(
            out.stderr.contains("warning: skipped") && out.stderr.contains(&named),
            "{name}: list --format {format} does not name {named}:\n{}",
            out.stderr
        );
        if format == "json" {
            assert_eq!(listed(&out), valid, "{name}: the valid cases are listed");
        } else {
            for v in valid {
                assert!(out.stdout.contains(v.as_str()), "{name}: {v} not listed");
            }
        }
    }

    let changing: [&[&str]; 4] = [
        &["show", id],
        &["advance", id],
        &["session", id, "--minutes", "30"],
        &["close", id, "--outcome", "stopped"],
    ];
    for args in changing {
        // (A folder has no bytes to compare; it must stay a folder.)
        let before = fs::read(sb.path(&rel)).ok();
        let out = sb.run(args);
        assert!(
            fs::read(sb.path(&rel)).ok() == before,
            "{name}: `{}` changed it",
            out.line
        );
        calm(&out, name);
        assert_ne!(out.code, 0, "{name}: `{}` succeeded", out.line);
        assert!(
            out.stderr.contains(&rel),
            "{name}: `{}` does not name the file:\n{}",
            out.line,
            out.stderr
        );
    }

    // check reports it (its own precise place, which can differ from the parser's) and
    // fails, without a panic.
    let out = sb.run(&["check"]);
    calm(&out, name);
    assert_eq!(
        out.code, 1,
        "{name}: check exits 1:\n{}{}",
        out.stdout, out.stderr
    );
    assert!(
        out.stdout.contains(&format!("{rel}:")),
        "{name}: check does not name the file:\n{}",
        out.stdout
    );

    let out = sb.run(&["summary", "--format", "json"]);
    calm(&out, name);
    let summary = out.success().json();
    assert_eq!(
        summary["total"],
        valid.len(),
        "{name}: only valid cases count"
    );
    assert_eq!(summary["skipped_files"], 1, "{name}");

    for args in [
        &["summary"][..],
        &["summary", "--format", "html"],
        &["export", "--format", "csv"],
        &["digest", "--since", "2020-01-01"],
    ] {
        let out = sb.run(args);
        calm(&out, name);
        let out = out.success();
        assert!(out.stderr.contains(&rel), "{name}: `{}`", out.line);
    }
}

#[test]
fn the_corpus_is_exactly_the_files_these_tests_know() {
    let mut known: Vec<&str> = BROKEN.iter().map(|(n, _)| *n).collect();
    known.extend(ACCEPTED);
    known.sort();
    let mut found: Vec<String> = fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    found.sort();
    assert_eq!(found, known, "add a new corpus file to BROKEN or ACCEPTED");
}

#[test]
fn every_broken_corpus_file_is_named_and_the_other_cases_stay_usable() {
    let (sb, valid) = with_two_cases();
    for (name, line) in BROKEN {
        let target = sb.path(&format!("cases/{name}"));
        fs::copy(corpus().join(name), &target).unwrap();
        assert_broken_file_is_handled(&sb, &valid, name, *line);
        fs::remove_file(target).unwrap();
    }
}

#[test]
fn the_whole_corpus_at_once_leaves_the_valid_cases_usable() {
    let (sb, mut valid) = with_two_cases();
    for (name, _) in BROKEN {
        fs::copy(corpus().join(name), sb.path(&format!("cases/{name}"))).unwrap();
    }
    for name in ACCEPTED {
        fs::copy(corpus().join(name), sb.path(&format!("cases/{name}"))).unwrap();
        valid.push(name.strip_suffix(".toml").unwrap().to_string());
    }
    valid.sort();

    let out = sb.run(&["list", "--format", "json"]);
    calm(&out, "list");
    let out = out.success();
    assert_eq!(listed(&out), valid);
    let warnings = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: skipped"))
        .count();
    assert_eq!(warnings, BROKEN.len(), "{}", out.stderr);

    let summary = sb.run(&["summary", "--format", "json"]).success().json();
    assert_eq!(summary["total"], valid.len());
    assert_eq!(summary["skipped_files"], BROKEN.len());

    // The valid cases can still be changed.
    for id in &valid {
        sb.run(&["session", id, "--minutes", "15", "--coach", "erik"])
            .success();
    }
}

#[test]
fn unknown_keys_are_accepted_and_kept() {
    let sb = Sandbox::with_team();
    let original = fs::read_to_string(corpus().join("unknown_keys.toml")).unwrap();
    sb.write_case("unknown_keys", &original);

    let out = sb.run(&["list", "--format", "json"]).success();
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    assert_eq!(listed(&out), vec!["unknown_keys"]);
    sb.run(&["advance", "unknown_keys"]).success();
    sb.run(&["session", "unknown_keys", "--minutes", "20"])
        .success();

    let text = sb.case_text("unknown_keys");
    let expected = original.replacen("stage = \"inkommen\"", "stage = \"provning\"", 1);
    let mut rest = text.lines();
    for line in expected.lines() {
        assert!(rest.any(|l| l == line), "line {line:?} was lost:\n{text}");
    }
    let case = sb.case("unknown_keys");
    assert_eq!(case["budget"].as_integer(), Some(12000));
    assert_eq!(case["links"].as_array().unwrap().len(), 2);
    assert_eq!(
        case["submitter"]["workplace"].as_str(),
        Some("Stadsbiblioteket")
    );
    assert_eq!(
        case["description"]["effect"]["hours_saved"].as_integer(),
        Some(120)
    );
    assert_eq!(case["participants"][0]["count"].as_integer(), Some(4));
    assert_eq!(case["history"][0]["mood"].as_str(), Some("bra"));
    assert_eq!(case["sessions"][0]["place"].as_str(), Some("Biblioteket"));
    assert_eq!(case["sessions"].as_array().unwrap().len(), 2);
}

#[test]
fn a_one_megabyte_line_is_named_by_its_line_without_printing_it_whole() {
    let (sb, valid) = with_two_cases();
    // A title whose closing quote never comes, one megabyte on line 2.
    let text = format!(
        "id = \"long_line\"\ntitle = \"{}\ncreated = 2020-01-10T09:00:00+01:00\n",
        "å".repeat(512 * 1024)
    );
    assert!(text.lines().nth(1).unwrap().len() > 1024 * 1024);
    sb.write_case("long_line", &text);
    assert_broken_file_is_handled(&sb, &valid, "long_line.toml", Some(2));
    let out = sb.run(&["show", "long_line"]).failure(2);
    assert!(out.stderr.len() < 4096, "the whole line was printed");
}

#[test]
fn a_valid_case_with_a_one_megabyte_title_is_read() {
    let sb = Sandbox::with_team();
    let title = "Lång ".repeat(200 * 1024);
    sb.write_case(
        "long_title",
        &format!(
            "id = \"long_title\"\ntitle = \"{title}\"\ncreated = 2020-01-10T09:00:00+01:00\nstage = \"inkommen\"\nstatus = \"open\"\ncoach = \"erik\"\nunit = \"Kultur\"\n"
        ),
    );
    let out = sb.run(&["list", "--format", "json"]).success();
    assert_eq!(out.json()[0]["title"].as_str(), Some(title.as_str()));
    sb.run(&["advance", "long_title"]).success();
    assert_eq!(
        sb.case("long_title")["title"].as_str(),
        Some(title.as_str())
    );
}

#[test]
fn a_64_megabyte_file_is_refused_before_it_is_read() {
    let (sb, valid) = with_two_cases();
    // A sparse file: 64 MB long, written in no time.
    let path = sb.path("cases/huge.toml");
    let file = fs::File::create(&path).unwrap();
    file.set_len(64 * 1024 * 1024).unwrap();
    drop(file);

    assert_broken_file_is_handled(&sb, &valid, "huge.toml", None);
    for args in [&["list"][..], &["show", "huge"], &["advance", "huge"]] {
        let out = sb.run(args);
        assert!(
            out.stderr.contains("cases/huge.toml")
                && out.stderr.contains("too large (67108864 bytes"),
            "`{}`:\n{}",
            out.line,
            out.stderr
        );
    }
}

#[test]
fn folders_and_named_pipes_named_like_cases_are_not_read() {
    let (sb, valid) = with_two_cases();
    fs::create_dir(sb.path("cases/folder.toml")).unwrap();
    assert_broken_file_is_handled(&sb, &valid, "folder.toml", None);
    assert!(sb.path("cases/folder.toml").is_dir());
    fs::remove_dir(sb.path("cases/folder.toml")).unwrap();

    // Opening a named pipe waits for a writer that never comes; sluss must not.
    let made = std::process::Command::new("mkfifo")
        .arg(sb.path("cases/pipe.toml"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    // A writer at the other end, so that a sluss that did open the pipe would read an
    // empty file and fail this test rather than hang it. (With sluss never opening the
    // pipe, this thread waits until the test process ends.)
    let fifo = sb.path("cases/pipe.toml");
    std::thread::spawn(
        move || {
            while fs::OpenOptions::new().write(true).open(&fifo).is_ok() {}
        },
    );
    let out = sb.run(&["list"]).success();
    assert!(
        out.stderr.contains("cases/pipe.toml: not a regular file"),
        "{}",
        out.stderr
    );
    sb.run(&["show", "pipe"]).failure(2);
}

// ---------------------------------------------------------------------------------------
// Case ids never name a path

#[test]
fn case_ids_that_look_like_paths_are_refused() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Ett ärende", &["--coach", "erik"]);
    let rel = Sandbox::case_rel(&id);
    // Something a path could reach, were it followed.
    fs::write(sb.base().join("x.toml"), "not a case").unwrap();
    fs::write(sb.path("x.toml"), "not a case").unwrap();
    for bad in [
        "../x",
        "/etc/passwd",
        "a/b",
        "..\\x",
        "%2e%2e",
        "",
        ".",
        "..",
        "../../x",
        "cases/x",
        "x.toml",
        "~",
    ] {
        for args in [
            vec!["show", bad],
            vec!["advance", bad],
            vec!["session", bad, "--minutes", "5"],
            vec!["assign", bad, "sara"],
            vec!["edit", bad],
        ] {
            let out = sb.assert_untouched(&rel, || sb.cmd(&args).env("EDITOR", "true").run());
            calm(&out, bad);
            let out = out.failure(2);
            assert!(
                out.stderr
                    .contains(&format!("error: '{bad}' is not a valid case id")),
                "{}",
                out.stderr
            );
        }
    }
    assert_eq!(
        fs::read_to_string(sb.base().join("x.toml")).unwrap(),
        "not a case"
    );
}

// ---------------------------------------------------------------------------------------
// Symbolic links

/// A valid case file with the id `id`, as text.
fn case_text(id: &str) -> String {
    format!(
        "id = \"{id}\"\ntitle = \"Länkad\"\ncreated = 2020-01-10T09:00:00+01:00\nstage = \"inkommen\"\nstatus = \"open\"\ncoach = \"erik\"\nunit = \"Kultur\"\n\n[description]\nneed = \"Behov\"\n"
    )
}

#[cfg(unix)]
#[test]
fn a_link_to_a_case_outside_the_repository_is_neither_read_nor_written() {
    use std::os::unix::fs::symlink;
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    let id = sb.new_case("Vanligt", &["--coach", "erik"]);
    let outside = sb.base().join("outside.toml");
    fs::write(&outside, case_text("utanfor1")).unwrap();
    symlink(&outside, sb.path("cases/utanfor1.toml")).unwrap();
    let before = fs::read(&outside).unwrap();

    for args in [
        &["advance", "utanfor1"][..],
        &["session", "utanfor1", "--minutes", "5"],
        &["edit", "utanfor1"],
        &["assign", "utanfor1", "sara"],
        &["show", "utanfor1"],
        &["forget", "Anna Berg"],
    ] {
        let out = sb.cmd(args).env("EDITOR", "true").run();
        calm(&out, "link out");
        assert_ne!(out.code, 0, "`{}` went through", out.line);
        assert!(out.stderr.contains("cases/utanfor1.toml"), "{}", out.stderr);
        assert_eq!(fs::read(&outside).unwrap(), before, "`{}`", out.line);
    }
    assert!(
        sb.run(&["show", "utanfor1"])
            .stderr
            .contains("leads outside the repository")
    );

    // Reading the portfolio skips the link, says so, and counts what it read.
    let out = sb.run(&["list", "--format", "json"]).success();
    assert_eq!(listed(&out), vec![id.clone()]);
    assert!(
        out.stderr.contains("warning: skipped")
            && out
                .stderr
                .contains("cases/utanfor1.toml leads outside the repository"),
        "{}",
        out.stderr
    );
    let out = sb.run(&["summary", "--format", "json"]).success();
    assert!(
        out.stderr
            .contains("cases/utanfor1.toml leads outside the repository")
    );
    assert_eq!(out.json()["total"], 1);
    assert_eq!(out.json()["skipped_files"], 1);
    assert_eq!(fs::read(&outside).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn a_link_inside_the_repository_is_read_but_never_written_through() {
    use std::os::unix::fs::symlink;
    let sb = Sandbox::with_team();
    fs::create_dir_all(sb.path("arkiv")).unwrap();
    let target = sb.path("arkiv/innanfor.toml");
    fs::write(&target, case_text("innanfor")).unwrap();
    symlink(&target, sb.path("cases/innanfor.toml")).unwrap();
    let before = fs::read(&target).unwrap();

    let out = sb.run(&["list", "--format", "json"]).success();
    assert_eq!(listed(&out), vec!["innanfor"]);
    sb.run(&["show", "innanfor"]).success();
    for args in [
        &["advance", "innanfor"][..],
        &["session", "innanfor", "--minutes", "5"],
        &["edit", "innanfor"],
        &["park", "innanfor", "--note", "Väntar"],
    ] {
        let out = sb.cmd(args).env("EDITOR", "true").run().failure(1);
        assert!(
            out.stderr.contains(
                "cases/innanfor.toml is a symbolic link; sluss writes only regular files"
            ),
            "{}",
            out.stderr
        );
        assert_eq!(fs::read(&target).unwrap(), before);
        assert!(
            fs::symlink_metadata(sb.path("cases/innanfor.toml"))
                .unwrap()
                .file_type()
                .is_symlink(),
            "the link was replaced"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_cases_folder_that_links_outside_the_repository_is_refused() {
    use std::os::unix::fs::symlink;
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    let id = sb.new_case("Flyttad", &["--coach", "erik"]);
    let elsewhere = sb.base().join("elsewhere");
    fs::rename(sb.path("cases"), &elsewhere).unwrap();
    symlink(&elsewhere, sb.path("cases")).unwrap();
    let file = elsewhere.join(format!("{id}.toml"));
    let before = fs::read(&file).unwrap();

    let all: [&[&str]; 12] = [
        &["list"],
        &["summary"],
        &["show", &id],
        &["export"],
        &["digest", "--since", "2020-01-01"],
        &["advance", &id],
        &["session", &id, "--minutes", "5"],
        &["edit", &id],
        &["close", &id, "--outcome", "stopped"],
        &["forget", "Anna Berg"],
        &["forget", "Anna Berg", "--dry-run"],
        &["new", "Ny", "--submitter", "Bo Ek", "--unit", "Kultur"],
    ];
    for args in all {
        let out = sb.cmd(args).env("EDITOR", "true").run();
        calm(&out, "cases/ links out");
        let out = out.failure(1);
        assert!(
            out.stderr.contains(&format!(
                "cases leads outside the repository, to {}",
                elsewhere.display()
            )),
            "`{}`:\n{}",
            out.line,
            out.stderr
        );
        assert!(
            out.stderr
                .contains("hint: sluss reads and writes only inside the repository")
        );
        assert!(
            out.stdout.is_empty(),
            "`{}` printed {}",
            out.line,
            out.stdout
        );
    }
    assert_eq!(fs::read(&file).unwrap(), before);
    assert_eq!(
        fs::read_dir(&elsewhere).unwrap().count(),
        1,
        "nothing was added"
    );
}
