//! `sluss check`: every problem of every file, located as `path:line:column` with a
//! hint; warnings apart from errors; the policy's gates; exit 0 silent when all is well,
//! 1 when it found something, 2 when it could not run.
//!
//! The broken files live in `tests/corpus/check/`, one problem each, next to two valid
//! cases; the table below says where each problem is and what it is called.

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

use crate::common::Sandbox;

/// One broken file of the corpus and what `check` says about it.
struct Broken {
    /// The file in `tests/corpus/check/`.
    corpus: &'static str,
    /// Its name in `cases/`.
    file: &'static str,
    line: usize,
    column: usize,
    /// The problem's stable name (`code` in `--format json`).
    code: &'static str,
    /// A piece of the message.
    message: &'static str,
    /// How many problems the run reports in all (a conflict has three marker lines; a
    /// duplicate id is reported in both files).
    count: usize,
}

const fn broken(
    corpus: &'static str,
    file: &'static str,
    (line, column): (usize, usize),
    code: &'static str,
    message: &'static str,
) -> Broken {
    Broken {
        corpus,
        file,
        line,
        column,
        code,
        message,
        count: 1,
    }
}

const CORPUS: &[Broken] = &[
    broken(
        "syntax.toml",
        "kjq5nrfbfyh5.toml",
        (7, 8),
        "syntax",
        "string values must be quoted",
    ),
    broken(
        "missing-key.toml",
        "k0jkctvjvwae.toml",
        (1, 1),
        "invalid",
        "missing field `status`",
    ),
    broken(
        "wrong-type.toml",
        "kg252xhyn9c4.toml",
        (4, 11),
        "invalid",
        "expected a date-time with offset",
    ),
    broken(
        "unknown-stage.toml",
        "tcwhbpvmcm63.toml",
        (5, 9),
        "unknown-stage",
        "stage 'design' is not defined in sluss.toml",
    ),
    broken(
        "unknown-coach.toml",
        "ehf7nbjx12p5.toml",
        (7, 9),
        "unknown-coach",
        "coach 'maria' is not defined in sluss.toml",
    ),
    broken(
        "unknown-program.toml",
        "jm1mjm9t4jcw.toml",
        (9, 11),
        "unknown-program",
        "program 'ip2019' is not defined in sluss.toml",
    ),
    broken(
        "previous-coach.toml",
        "k3qz8c1m2n4p.toml",
        (15, 18),
        "unknown-coach",
        "coach 'maria' is not defined in sluss.toml",
    ),
    broken(
        "previous-program.toml",
        "r7vw2x9y4z6a.toml",
        (16, 20),
        "unknown-program",
        "program 'ip2017' is not defined in sluss.toml",
    ),
    Broken {
        count: 2,
        ..broken(
            "duplicate-id.toml",
            "fk6sy9541sj3-kopia.toml",
            (2, 6),
            "duplicate-id",
            "id 'fk6sy9541sj3' is also used by cases/fk6sy9541sj3.toml",
        )
    },
    broken(
        "id-file-name.toml",
        "j8gran0q2xay.toml",
        (2, 6),
        "id-file-name",
        "id 'j8gran0q2xaz' does not match the file name j8gran0q2xay.toml",
    ),
    Broken {
        count: 3,
        ..broken(
            "conflict-marker.toml",
            "qj6wdvd7333a.toml",
            (3, 1),
            "conflict-marker",
            "leftover merge-conflict marker",
        )
    },
    broken(
        "stage-history.toml",
        "92zfm27jtcyc.toml",
        (5, 9),
        "stage-history",
        "stage is 'utforska' but the last move in history went to 'provning'",
    ),
    broken(
        "status-history.toml",
        "fwtz2etwfvdz.toml",
        (6, 10),
        "status-history",
        "the last status change in history made it 'parked'",
    ),
    broken(
        "history-order.toml",
        "c22ggfdetg9m.toml",
        (18, 6),
        "history-order",
        "earlier than the one before it",
    ),
    broken(
        "history-from.toml",
        "3m7s2zr5vdan.toml",
        (20, 8),
        "history-from",
        "this move starts from Inkommen (inkommen), but the case was in Prövning (provning)",
    ),
    // Closed without an outcome, and without the history entry that closed it.
    Broken {
        count: 2,
        ..broken(
            "outcome-missing.toml",
            "jymtdhnsz4hc.toml",
            (6, 10),
            "outcome",
            "a closed case needs an outcome",
        )
    },
    broken(
        "outcome-not-closed.toml",
        "2s8h3axysrd0.toml",
        (7, 11),
        "outcome",
        "outcome is set but the case is open",
    ),
    broken(
        "minutes-zero.toml",
        "da0g7sre3can.toml",
        (14, 11),
        "minutes",
        "minutes must be positive, found 0",
    ),
    broken(
        "minutes-negative.toml",
        "yw1527zg82q5.toml",
        (14, 11),
        "minutes",
        "minutes must be positive, found -45",
    ),
    broken(
        "future-created.toml",
        "0kp45xrdkrez.toml",
        (4, 11),
        "future",
        "created 2020-08-01 is in the future",
    ),
    broken(
        "future-history.toml",
        "s647qvtw4cky.toml",
        (12, 6),
        "future",
        "history entry at 2020-07-02 is in the future",
    ),
    broken(
        "future-session.toml",
        "v7aqab9mzng0.toml",
        (12, 8),
        "future",
        "session date 2020-07-15 is in the future",
    ),
    broken(
        "empty.toml",
        "eb03mxkwws9g.toml",
        (1, 1),
        "empty-file",
        "the file is empty",
    ),
    broken(
        "not-utf8.toml",
        "a0k77zy4ftjp.toml",
        (7, 10),
        "not-utf8",
        "not UTF-8",
    ),
];

/// The valid cases of the corpus and their names in `cases/`.
const VALID: &[(&str, &str)] = &[
    ("valid-closed.toml", "fk6sy9541sj3.toml"),
    ("valid-open.toml", "eqhb6gd1ghca-laxhjalp.toml"),
];

fn corpus(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/check")
        .join(name);
    fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Copies a corpus file into `cases/` under `file`.
fn put(sb: &Sandbox, corpus_name: &str, file: &str) {
    fs::write(sb.path(&format!("cases/{file}")), corpus(corpus_name)).unwrap();
}

/// A repository with coaches erik and sara, the program ip2018 and the valid corpus.
fn repo_with_valid_cases() -> Sandbox {
    let sb = Sandbox::with_team();
    for (name, file) in VALID {
        put(&sb, name, file);
    }
    sb
}

fn clear_cases(sb: &Sandbox) {
    for entry in fs::read_dir(sb.path("cases")).unwrap() {
        fs::remove_file(entry.unwrap().path()).unwrap();
    }
}

/// The problems of a `--format json` run as (path, line, column, code).
fn located(json: &serde_json::Value) -> Vec<(String, u64, u64, String)> {
    json["problems"]
        .as_array()
        .expect("problems is a list")
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_string(),
                p["line"].as_u64().unwrap(),
                p["column"].as_u64().unwrap(),
                p["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// The corpus: one problem a file

#[test]
fn the_valid_corpus_passes_silently() {
    let sb = repo_with_valid_cases();
    let out = sb.run(&["check"]).success();
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr, "");
}

#[test]
fn each_broken_file_is_reported_at_its_place_with_its_code() {
    let mut sb = repo_with_valid_cases();
    sb.allow_broken_cases();
    for b in CORPUS {
        clear_cases(&sb);
        for (name, file) in VALID {
            put(&sb, name, file);
        }
        put(&sb, b.corpus, b.file);
        let path = format!("cases/{}", b.file);

        let text = sb.run(&["check"]).failure(1);
        let place = format!("{path}:{}:{}: error: ", b.line, b.column);
        let line = text
            .stdout
            .lines()
            .find(|l| l.starts_with(&place))
            .unwrap_or_else(|| {
                panic!("{}: no line starting {place:?}:\n{}", b.corpus, text.stdout)
            });
        assert!(
            line.contains(b.message),
            "{}: {line:?} lacks {:?}",
            b.corpus,
            b.message
        );
        assert!(
            text.stdout.contains("  hint: "),
            "{}: no hint:\n{}",
            b.corpus,
            text.stdout
        );
        assert_eq!(text.stderr, "", "{}", b.corpus);

        let json = sb.run(&["check", "--format", "json"]).failure(1);
        let json = json.json();
        let problems = located(&json);
        assert!(
            problems.contains(&(
                path.clone(),
                b.line as u64,
                b.column as u64,
                b.code.to_string()
            )),
            "{}: {problems:?}",
            b.corpus
        );
        assert_eq!(problems.len(), b.count, "{}: {problems:?}", b.corpus);
        let others: Vec<_> = problems
            .iter()
            .filter(|p| p.0 != path && b.code != "duplicate-id")
            .collect();
        assert!(
            others.is_empty(),
            "{}: the valid cases were blamed: {others:?}",
            b.corpus
        );
        assert_eq!(json["ok"], false);
        assert_eq!(json["errors"], b.count);
    }
}

#[test]
fn all_broken_files_at_once_are_all_reported_in_one_run() {
    let mut sb = repo_with_valid_cases();
    sb.allow_broken_cases();
    for b in CORPUS {
        put(&sb, b.corpus, b.file);
    }
    let out = sb.run(&["check", "--format", "json"]).failure(1);
    let json = out.json();
    let problems = located(&json);
    for b in CORPUS {
        let want = (
            format!("cases/{}", b.file),
            b.line as u64,
            b.column as u64,
            b.code.to_string(),
        );
        assert!(problems.contains(&want), "missing {want:?} in {problems:?}");
    }
    let total: usize = CORPUS.iter().map(|b| b.count).sum();
    assert_eq!(problems.len(), total, "{problems:?}");
    assert_eq!(json["errors"], total);
    assert_eq!(json["files"], CORPUS.len() + VALID.len() + 1);
    // Every file with a problem, and no other, is named.
    let named: BTreeSet<&str> = problems.iter().map(|p| p.0.as_str()).collect();
    let mut expected: BTreeSet<String> =
        CORPUS.iter().map(|b| format!("cases/{}", b.file)).collect();
    expected.insert("cases/fk6sy9541sj3.toml".into()); // the original of the duplicate
    assert_eq!(
        named,
        expected.iter().map(String::as_str).collect::<BTreeSet<_>>()
    );

    // The text says the same, sorted by path, and counts it up.
    let text = sb.run(&["check"]).failure(1);
    let paths: Vec<&str> = text
        .stdout
        .lines()
        .filter(|l| l.starts_with("cases/"))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(
        text.stdout.ends_with(&format!(
            "{total} error(s), 0 warning(s), 0 failed gate(s) in {} file(s)\n",
            CORPUS.len() + VALID.len() + 1
        )),
        "{}",
        text.stdout
    );
}

#[test]
fn one_file_with_several_problems_reports_each() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    sb.write_case(
        "m4ny0000prob",
        r#"id = "m4ny0000prob"
title = "Flera fel"
created = 2020-02-03T10:00:00+01:00
stage = "utforska"
status = "parked"
outcome = "stopped"
coach = "maria"
unit = "Kultur"
program = "ip2019"

[[history]]
at = 2020-03-01T10:00:00+01:00
by = "erik"
from = "inkommen"
to = "provning"

[[history]]
at = 2020-02-20T10:00:00+01:00
by = "erik"
from = "utforska"
to = "provnig"

[[sessions]]
date = 2020-07-01
coach = "erik"
minutes = 0
"#,
    );
    let out = sb.run(&["check", "--format", "json"]).failure(1);
    let codes: BTreeSet<String> = located(&out.json()).into_iter().map(|p| p.3).collect();
    let want: BTreeSet<String> = [
        "outcome",
        "unknown-coach",
        "unknown-program",
        "history-order",
        "history-from",
        "unknown-stage",
        "stage-history",
        "status-history",
        "minutes",
        "future",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(codes, want);
}

#[test]
fn a_case_file_that_cannot_be_read_is_a_problem_and_the_rest_are_checked() {
    let mut sb = repo_with_valid_cases();
    sb.allow_broken_cases();
    fs::create_dir(sb.path("cases/x2v9w0m4k8d1.toml")).unwrap();
    put(&sb, "unknown-program.toml", "jm1mjm9t4jcw.toml");
    let out = sb.run(&["check", "--format", "json"]).failure(1);
    let problems = located(&out.json());
    assert_eq!(
        problems,
        vec![
            (
                "cases/jm1mjm9t4jcw.toml".into(),
                9,
                11,
                "unknown-program".into()
            ),
            ("cases/x2v9w0m4k8d1.toml".into(), 1, 1, "unreadable".into()),
        ]
    );
}

// ---------------------------------------------------------------------------------------
// What is not a problem

#[test]
fn cases_written_by_sluss_itself_pass_silently() {
    let sb = Sandbox::with_team();
    let a = sb.new_case_on(
        "2020-05-01",
        "Digital matsedel",
        &[
            "--coach",
            "erik",
            "--need",
            "Boende vill veta",
            "--program",
            "ip2018",
        ],
    );
    sb.run(&["advance", &a]).success();
    sb.run(&["session", &a, "--minutes", "45", "--date", "2020-06-01"])
        .success();
    sb.run(&["assign", &a, "sara"]).success();
    let b = sb.new_case("Läxhjälp", &[]);
    sb.run(&["close", &b, "--outcome", "duplicate"]).success();
    let c = sb.new_case("Nattöppet gym", &["--coach", "sara"]);
    sb.run(&["park", &c, "--note", "Väntar på budget"])
        .success();
    sb.run(&["reopen", &c]).success();
    let out = sb.run(&["check"]).success();
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
}

#[test]
fn conflict_markers_inside_a_multiline_string_are_text() {
    let sb = repo_with_valid_cases();
    sb.write_case(
        "n0tes0000001",
        r#"id = "n0tes0000001"
title = "Rubriker i anteckningar"
created = 2020-02-03T10:00:00+01:00
stage = "inkommen"
status = "open"
coach = "erik"
unit = "Kultur"

[[sessions]]
date = 2020-02-10
coach = "erik"
minutes = 30
notes = """
Mötet
=======
Vi gick igenom behovet.
"""
"#,
    );
    let out = sb.run(&["check"]).success();
    assert_eq!(out.stdout, "");
}

#[test]
fn a_moves_from_must_be_a_known_stage_too() {
    let mut sb = Sandbox::with_team();
    sb.allow_broken_cases();
    sb.write_case(
        "fr0m00000001",
        r#"id = "fr0m00000001"
title = "Stavfel i historiken"
created = 2020-02-03T10:00:00+01:00
stage = "provning"
status = "open"
coach = "erik"
unit = "Kultur"

[[history]]
at = 2020-02-05T09:00:00+01:00
by = "erik"
from = "inkomen"
to = "provning"
"#,
    );
    sb.run(&["check"])
        .failure(1)
        .stdout_has("cases/fr0m00000001.toml:12:8: error: stage 'inkomen' is not defined");
}

#[test]
fn ids_that_differ_only_in_case_are_duplicates() {
    // `sluss show` finds a case by its id whatever the case of the letters, so two such
    // files make every command on that id refuse.
    let mut sb = repo_with_valid_cases();
    sb.allow_broken_cases();
    let upper = String::from_utf8(corpus("valid-open.toml"))
        .unwrap()
        .replace("eqhb6gd1ghca", "EQHB6GD1GHCA");
    sb.write("cases/EQHB6GD1GHCA.toml", &upper);
    sb.run(&["show", "eqhb6gd1ghca"])
        .failure(2)
        .stderr_has("several files claim");
    let out = sb.run(&["check", "--format", "json"]).failure(1);
    let problems = located(&out.json());
    assert_eq!(
        problems,
        vec![
            (
                "cases/EQHB6GD1GHCA.toml".into(),
                2,
                6,
                "duplicate-id".into()
            ),
            (
                "cases/eqhb6gd1ghca-laxhjalp.toml".into(),
                2,
                6,
                "duplicate-id".into()
            ),
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Warnings and --strict

#[test]
fn a_stray_file_is_a_warning_that_strict_makes_an_error() {
    let sb = repo_with_valid_cases();
    sb.write("cases/anteckningar.txt", "Att göra: ring Anna\n");

    let out = sb.run(&["check"]).success();
    assert!(
        out.stdout.starts_with(
            "cases/anteckningar.txt:1:1: warning: not a case file: cases/ holds only <id>.toml files\n  hint: move it out of cases/\n"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .ends_with("0 error(s), 1 warning(s), 0 failed gate(s) in 3 file(s)\n"),
        "{}",
        out.stdout
    );

    sb.run(&["check", "--strict"])
        .failure(1)
        .stdout_has("cases/anteckningar.txt:1:1: error (strict): not a case file");

    let json = sb.run(&["check", "--format", "json"]).success().json();
    assert_eq!(json["ok"], true);
    assert_eq!(json["warnings"], 1);
    assert_eq!(json["problems"][0]["severity"], "warning");
    assert_eq!(json["problems"][0]["code"], "stray-file");
    let json = sb
        .run(&["check", "--strict", "--format", "json"])
        .failure(1)
        .json();
    assert_eq!(json["ok"], false);
}

#[test]
fn stray_files_in_every_folder_sluss_reads_are_named() {
    let sb = repo_with_valid_cases();
    for dir in ["network", "programs", "maturity"] {
        sb.write(&format!("{dir}/README.md"), "notes\n");
    }
    sb.run(&["check"])
        .success()
        .stdout_has("maturity/README.md:1:1: warning: not an assessment: maturity/ holds only <date>-<unit>.toml files\n  hint: move it out of maturity/\n")
        .stdout_has("network/README.md:1:1: warning: not a member file: network/ holds only <key>.toml files\n  hint: move it out of network/\n")
        .stdout_has("programs/README.md:1:1: warning: not a participants file: programs/ holds only <key>.toml files\n  hint: move it out of programs/\n")
        .stdout_has("0 error(s), 3 warning(s)");
}

#[test]
fn questionable_but_readable_cases_are_warnings() {
    let sb = Sandbox::with_team();
    sb.write_case(
        "w4rn00000001",
        r#"id = "w4rn00000001"
title = "Utan enhet"
created = 2020-02-03T10:00:00+01:00
stage = "provning"
status = "open"
coach = "erik"

[[history]]
at = 2020-02-01T09:00:00+01:00
by = "erik"
to = "provning"
"#,
    );
    let json = sb.run(&["check", "--format", "json"]).success().json();
    let found: Vec<(String, u64, u64, String)> = located(&json);
    let w = |line, column, code: &str| {
        (
            "cases/w4rn00000001.toml".to_string(),
            line,
            column,
            code.to_string(),
        )
    };
    assert_eq!(
        found,
        vec![
            w(1, 6, "unit"),
            w(9, 6, "before-created"),
            w(11, 6, "history-from")
        ]
    );
    assert!(
        json["problems"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["severity"] == "warning")
    );
    sb.run(&["check", "--strict"]).failure(1);
}

// ---------------------------------------------------------------------------------------
// --format json

#[test]
fn json_output_has_a_stable_shape() {
    let mut sb = repo_with_valid_cases();
    sb.allow_broken_cases();
    put(&sb, "unknown-coach.toml", "ehf7nbjx12p5.toml");
    sb.write("cases/README.md", "Ärenden\n");
    let out = sb.run(&["check", "--format", "json"]).failure(1);
    assert_eq!(out.stderr, "");
    let json = out.json();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["ok", "files", "errors", "warnings", "problems", "gates"]
    );
    assert_eq!(
        json["problems"],
        serde_json::json!([
            {
                "path": "cases/README.md",
                "line": 1,
                "column": 1,
                "severity": "warning",
                "code": "stray-file",
                "message": "not a case file: cases/ holds only <id>.toml files",
                "hint": "move it out of cases/"
            },
            {
                "path": "cases/ehf7nbjx12p5.toml",
                "line": 7,
                "column": 9,
                "severity": "error",
                "code": "unknown-coach",
                "message": "coach 'maria' is not defined in sluss.toml",
                "hint": "add it with `sluss coach add KEY --name NAME`, or fix the key"
            }
        ])
    );
    assert_eq!(json["ok"], false);
    assert_eq!(json["files"], 4);
    assert_eq!(json["errors"], 1);
    assert_eq!(json["warnings"], 1);
    assert_eq!(json["gates"], serde_json::json!([]));
}

#[test]
fn json_on_a_valid_repository_says_ok() {
    let sb = repo_with_valid_cases();
    let json = sb.run(&["check", "--format", "json"]).success().json();
    assert_eq!(
        json,
        serde_json::json!({
            "ok": true, "files": 3, "errors": 0, "warnings": 0, "problems": [], "gates": []
        })
    );
}

#[test]
fn check_offers_no_other_formats() {
    let sb = Sandbox::new();
    sb.run(&["check", "--format", "csv"])
        .failure(2)
        .stderr_has("[possible values: table, json, github]");
}

// ---------------------------------------------------------------------------------------
// Policy gates

/// Five valid cases: one open without a coach, one open and idle since March, one past
/// Prövning without a need, one parked (no coach, idle; in no gate), one closed past
/// Prövning without a need.
fn gated_portfolio() -> Sandbox {
    let sb = Sandbox::with_team();
    let case = |id: &str, title: &str, created: &str, stage: &str, status: &str, extra: &str| {
        sb.write_case(
            id,
            &format!(
                "id = \"{id}\"\ntitle = \"{title}\"\ncreated = {created}\nstage = \"{stage}\"\nstatus = \"{status}\"\nunit = \"Kultur\"\n{extra}"
            ),
        );
    };
    case(
        "nocoach00001",
        "Utan coach",
        "2020-06-20T09:00:00+02:00",
        "inkommen",
        "open",
        "",
    );
    case(
        "stale0000002",
        "Bortglömd",
        "2020-02-03T10:00:00+01:00",
        "provning",
        "open",
        "coach = \"erik\"\n\n[description]\nneed = \"Finns\"\n\n[[history]]\nat = 2020-03-01T10:00:00+01:00\nby = \"erik\"\nfrom = \"inkommen\"\nto = \"provning\"\n",
    );
    case(
        "noneed000003",
        "Utan behov",
        "2020-06-01T10:00:00+02:00",
        "utforska",
        "open",
        "coach = \"sara\"\n",
    );
    case(
        "parked000004",
        "Parkerad",
        "2019-06-01T10:00:00+02:00",
        "inkommen",
        "parked",
        "\n[[history]]\nat = 2019-06-01T10:00:00+02:00\nby = \"erik\"\nstatus = \"parked\"\n",
    );
    case(
        "closed000005",
        "Stängd",
        "2020-05-01T10:00:00+02:00",
        "utveckla",
        "closed",
        "outcome = \"stopped\"\n\n[[history]]\nat = 2020-05-01T10:00:00+02:00\nby = \"erik\"\nstatus = \"closed\"\noutcome = \"stopped\"\n",
    );
    sb
}

/// The gates of a JSON run: gate name and the ids of its cases.
fn gates(json: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    json["gates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["gate"].as_str().unwrap().to_string(),
                g["cases"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["id"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

fn gate(name: &str, ids: &[&str]) -> (String, Vec<String>) {
    (
        name.to_string(),
        ids.iter().map(|s| s.to_string()).collect(),
    )
}

#[test]
fn without_gates_the_gated_portfolio_passes() {
    let sb = gated_portfolio();
    let out = sb.run(&["check"]).success();
    assert_eq!(out.stdout, "");
}

#[test]
fn gates_from_flags_list_the_cases_that_fail_them() {
    let sb = gated_portfolio();
    let out = sb.run(&["check", "--require-coach"]).failure(1);
    assert_eq!(
        out.stdout,
        "gate failed: every open case has a coach (1 case(s))\n  cases/nocoach00001.toml: Utan coach (in Inkommen)\n0 error(s), 0 warning(s), 1 failed gate(s) in 6 file(s)\n"
    );

    let out = sb.run(&["check", "--max-stale-days", "90"]).failure(1);
    assert!(
        out.stdout.starts_with(
            "gate failed: no open case is idle for more than 90 days (1 case(s))\n  cases/stale0000002.toml: Bortglömd (idle 121 days)\n"
        ),
        "{}",
        out.stdout
    );
    // 121 days is within a limit of 121.
    sb.run(&["check", "--max-stale-days", "121"]).success();

    let json = sb
        .run(&["check", "--need-after", "provning", "--format", "json"])
        .failure(1)
        .json();
    assert_eq!(
        gates(&json),
        vec![gate("need_after", &["closed000005", "noneed000003"])]
    );
    assert_eq!(json["ok"], false);
    assert_eq!(json["errors"], 0);

    let json = sb
        .run(&[
            "check",
            "--require-coach",
            "--max-stale-days",
            "90",
            "--need-after",
            "provning",
            "--format",
            "json",
        ])
        .failure(1)
        .json();
    assert_eq!(
        gates(&json),
        vec![
            gate("require_coach", &["nocoach00001"]),
            gate("max_stale_days", &["stale0000002"]),
            gate("need_after", &["closed000005", "noneed000003"]),
        ]
    );
    let first = &json["gates"][0];
    assert_eq!(first["description"], "every open case has a coach");
    assert_eq!(
        first["cases"][0],
        serde_json::json!({
            "id": "nocoach00001",
            "path": "cases/nocoach00001.toml",
            "title": "Utan coach",
            "detail": "in Inkommen"
        })
    );
}

#[test]
fn gates_from_sluss_toml_apply_without_flags() {
    let sb = gated_portfolio();
    let mut config = sb.read("sluss.toml");
    config.push_str(
        "\n[policy]\nrequire_coach = true\nmax_stale_days = 90\nneed_after = \"provning\"\n",
    );
    sb.write("sluss.toml", &config);
    let json = sb.run(&["check", "--format", "json"]).failure(1).json();
    assert_eq!(
        gates(&json),
        vec![
            gate("require_coach", &["nocoach00001"]),
            gate("max_stale_days", &["stale0000002"]),
            gate("need_after", &["closed000005", "noneed000003"]),
        ]
    );
    // A flag can tighten what sluss.toml says.
    let json = sb
        .run(&["check", "--max-stale-days", "10", "--format", "json"])
        .failure(1)
        .json();
    assert_eq!(
        gates(&json)[1],
        gate("max_stale_days", &["noneed000003", "stale0000002"])
    );
}

#[test]
fn a_gate_naming_an_unknown_stage_cannot_run() {
    let sb = gated_portfolio();
    sb.run(&["check", "--need-after", "provnig"])
        .failure(2)
        .stderr_has("unknown stage 'provnig'")
        .hint_has("provning");
}

// ---------------------------------------------------------------------------------------
// The settings, and when check cannot run

#[test]
fn no_repository_cannot_run() {
    let sb = Sandbox::empty();
    let out = sb.run(&["check"]).failure(2);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("no sluss repository found"),
        "{}",
        out.stderr
    );
    let elsewhere = sb.base().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    sb.cmd(&["check", "--repo", elsewhere.to_str().unwrap()])
        .run()
        .failure(2)
        .stderr_has("no sluss repository found")
        .hint_has("sluss init");
}

#[test]
fn broken_settings_are_a_problem_found_and_stop_the_case_checks() {
    let mut sb = repo_with_valid_cases();
    sb.allow_broken_cases();
    put(&sb, "unknown-coach.toml", "ehf7nbjx12p5.toml");
    let good = sb.read("sluss.toml");

    sb.write(
        "sluss.toml",
        &good.replace("[[stages]]\nkey = \"testa\"", "[[stages]\nkey = \"testa\""),
    );
    let out = sb.run(&["check"]).failure(1);
    let first = out.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("sluss.toml:") && first.contains(": error: unclosed array table"),
        "{}",
        out.stdout
    );
    // Without valid settings no case can be judged, so none is.
    assert!(!out.stdout.contains("cases/"), "{}", out.stdout);
    let json = sb.run(&["check", "--format", "json"]).failure(1).json();
    assert_eq!(json["problems"][0]["code"], "syntax");

    sb.write(
        "sluss.toml",
        &good.replace("key = \"testa\"", "key = \"provning\""),
    );
    sb.run(&["check"])
        .failure(1)
        .stdout_has("sluss.toml:1:1: error: stage 'provning' is defined twice");

    let mut latin1 = good
        .replace("name = \"Idésluss\"", "name = \"Id\u{0}sluss\"")
        .into_bytes();
    let nul = latin1.iter().position(|b| *b == 0).unwrap();
    latin1[nul] = 0xe9; // é in Latin-1
    fs::write(sb.path("sluss.toml"), latin1).unwrap();
    let json = sb.run(&["check", "--format", "json"]).failure(1).json();
    assert_eq!(json["problems"][0]["code"], "not-utf8");
    assert_eq!(json["problems"][0]["path"], "sluss.toml");
    assert!(json["problems"][0]["line"].as_u64().unwrap() > 1);
}

#[test]
fn github_format_annotates_each_problem_and_failing_case_on_its_line() {
    let sb = repo_with_valid_cases();
    put(&sb, "unknown-coach.toml", "ehf7nbjx12p5.toml");
    sb.write("cases/anteckningar, 2020.txt", "Att göra\n");
    let out = sb.run(&["check", "--format", "github"]).failure(1);
    assert_eq!(
        out.stdout,
        "::warning file=cases/anteckningar%2C 2020.txt,line=1,col=1,title=stray-file::not a case file: cases/ holds only <id>.toml files%0Ahint: move it out of cases/\n\
         ::error file=cases/ehf7nbjx12p5.toml,line=7,col=9,title=unknown-coach::coach 'maria' is not defined in sluss.toml%0Ahint: add it with `sluss coach add KEY --name NAME`, or fix the key\n\
         1 error(s), 1 warning(s), 0 failed gate(s) in 4 file(s)\n"
    );
    // With --strict a warning is an error too.
    fs::remove_file(sb.path("cases/ehf7nbjx12p5.toml")).unwrap();
    sb.run(&["check", "--format", "github", "--strict"])
        .failure(1)
        .stdout_has("::error file=cases/anteckningar%2C 2020.txt,line=1,col=1,title=stray-file::");
    // A failing gate annotates each case that fails it.
    let sb = gated_portfolio();
    let out = sb
        .run(&["check", "--require-coach", "--format", "github"])
        .failure(1);
    assert_eq!(
        out.stdout,
        "::error file=cases/nocoach00001.toml,line=1,col=1,title=require_coach::gate failed: every open case has a coach: Utan coach (in Inkommen)\n\
         0 error(s), 0 warning(s), 1 failed gate(s) in 6 file(s)\n"
    );
    assert_eq!(
        sb.run(&["check", "--format", "github"]).success().stdout,
        ""
    );
}
