//! Innovation maturity: recording and listing self-assessments and what is refused,
//! `check` on broken assessment files, and the maturity report's every figure worked out
//! by hand, in every format, byte for byte the same on every run.

use serde_json::{Value, json};

use crate::common::{Sandbox, trim_lines};

/// `[maturity]` with three questions on the scale 1–5, for figures easy to work out.
const MATURITY: &str = r#"
[maturity]
scale = [1, 5]

[[maturity.questions]]
key = "ledning"
text = "Ledningen stöttar nya idéer."

[[maturity.questions]]
key = "tid"
text = "Det finns tid för utveckling."

[[maturity.questions]]
key = "samverkan"
text = "Vi samverkar med andra."
"#;

/// The settings `init` wrote, with the template's ten questions swapped for
/// [`MATURITY`]'s three (or for nothing, with `maturity = None`).
fn set_maturity(sb: &Sandbox, maturity: Option<&str>) {
    let text = sb.read("sluss.toml");
    let cut = text
        .find("\n# Innovation maturity")
        .expect("the template has a [maturity] section");
    sb.write(
        "sluss.toml",
        &format!("{}{}", &text[..=cut], maturity.unwrap_or("")),
    );
}

/// A repository with coaches and the three questions of [`MATURITY`].
fn repo() -> Sandbox {
    let sb = Sandbox::with_team();
    set_maturity(&sb, Some(MATURITY));
    sb
}

// ---------------------------------------------------------------------------------------
// record and list
// ---------------------------------------------------------------------------------------

#[test]
fn init_writes_ten_questions_on_a_five_point_scale_in_both_languages() {
    let sb = Sandbox::new();
    let out = sb
        .run(&["maturity", "questions", "--format", "json"])
        .success();
    let settings = out.json();
    assert_eq!(settings["scale"], json!([1, 5]));
    let keys: Vec<&str> = settings["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "ledning",
            "tid",
            "ideer",
            "samverkan",
            "delaktighet",
            "testa_litet",
            "misslyckanden",
            "spridning",
            "uppfoljning",
            "kompetens"
        ]
    );
    assert_eq!(
        settings["questions"][0]["text"],
        "Ledningen efterfrågar och stöttar nya idéer och förbättringar."
    );

    let en = Sandbox::empty();
    en.run(&["init", "--template", "en"]).success();
    let settings = en
        .run(&["maturity", "questions", "--format", "json"])
        .success()
        .json();
    let en_keys: Vec<&str> = settings["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["key"].as_str().unwrap())
        .collect();
    assert_eq!(en_keys, keys, "the same keys, so assessments compare");
    assert_eq!(
        settings["questions"][0]["text"],
        "Management asks for and supports new ideas and improvements."
    );
}

#[test]
fn record_writes_one_file_per_unit_and_day_and_list_shows_it() {
    let sb = repo();
    sb.run(&[
        "maturity",
        "record",
        "--unit",
        "Vård och omsorg",
        "--date",
        "2020-03-14",
        "--score",
        "tid=2",
        "--score",
        "ledning=4,samverkan=3",
        "--respondents",
        "12",
        "--note",
        "Workshop med ledningsgruppen",
    ])
    .success()
    .stdout_has("Recorded Vård och omsorg's assessment on 2020-03-14: mean 3.00 over 3 of 3 questions (maturity/2020-03-14-vard-och-omsorg.toml)")
    .stderr_has("no case or assessment names the unit 'Vård och omsorg' yet");
    // Scores in the order of the questions; the schema named on the first line.
    assert_eq!(
        sb.read("maturity/2020-03-14-vard-och-omsorg.toml"),
        "#:schema ../schemas/maturity.schema.json\ndate = 2020-03-14\nunit = \"Vård och omsorg\"\nrespondents = 12\nnote = \"Workshop med ledningsgruppen\"\n\n[scores]\nledning = 4\ntid = 2\nsamverkan = 3\n"
    );

    // Today by default; a question may be left out. The unit is known now: no note.
    let out = sb
        .run(&[
            "maturity",
            "record",
            "--unit",
            "Vård och omsorg",
            "--score",
            "ledning=5",
            "--score",
            "tid=4",
            "--format",
            "json",
        ])
        .success();
    assert_eq!(out.stderr, "");
    assert_eq!(
        out.json(),
        json!({
            "date": "2020-06-30",
            "unit": "Vård och omsorg",
            "mean": 4.5,
            "answered": 2,
            "questions": 3,
            "respondents": null,
            "note": null,
            "scores": {"ledning": 5, "tid": 4},
            "file": "maturity/2020-06-30-vard-och-omsorg.toml"
        })
    );
    sb.run(&[
        "maturity",
        "record",
        "--unit",
        "Skola",
        "--date",
        "2019-11-05",
        "--score",
        "ledning=1",
    ])
    .success();
    assert_eq!(sb.run(&["check"]).success().stdout, "");

    let out = sb.run(&["maturity", "list"]).success();
    insta::assert_snapshot!(trim_lines(&out.stdout), @"
     Date        Unit             Mean  Answered  Respondents  File
    ───────────────────────────────────────────────────────────────────────────────────────────────────
     2019-11-05  Skola            1.00    1 of 3            –  maturity/2019-11-05-skola.toml
     2020-03-14  Vård och omsorg  3.00    3 of 3           12  maturity/2020-03-14-vard-och-omsorg.toml
     2020-06-30  Vård och omsorg  4.50    2 of 3            –  maturity/2020-06-30-vard-och-omsorg.toml
    3 assessments
    ");
    let rows = sb
        .run(&["maturity", "list", "--unit", "Skola", "--format", "json"])
        .success()
        .json();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["file"], "maturity/2019-11-05-skola.toml");
    let csv = sb
        .run(&["maturity", "list", "--format", "csv"])
        .success()
        .stdout;
    assert_eq!(
        csv.lines().take(2).collect::<Vec<_>>(),
        [
            "date,unit,mean,answered,questions,respondents,file",
            "2019-11-05,Skola,1,1,3,,maturity/2019-11-05-skola.toml"
        ]
    );
}

#[test]
fn record_refuses_what_it_cannot_write_and_changes_nothing() {
    let sb = repo();
    sb.new_case("Digital matsedel", &[]);
    sb.run(&[
        "maturity",
        "record",
        "--unit",
        "Vård och omsorg",
        "--date",
        "2020-03-14",
        "--score",
        "ledning=3",
    ])
    .success();
    let rel = "maturity/2020-03-14-vard-och-omsorg.toml";
    let record = |extra: &[&str]| {
        let mut args = vec!["maturity", "record"];
        args.extend_from_slice(extra);
        sb.run(&args)
    };
    sb.assert_untouched(rel, || {
        // A second assessment of the unit on that day, however the unit is spelled.
        record(&[
            "--unit",
            "Vård och omsorg",
            "--date",
            "2020-03-14",
            "--score",
            "tid=2",
        ])
        .failure(1)
        .stderr_has("Vård och omsorg already has an assessment on 2020-03-14: maturity/2020-03-14-vard-och-omsorg.toml")
        .hint_has("edit that file");
        record(&["--unit", "vård och omsorg", "--date", "2020-03-15", "--score", "tid=2"])
            .failure(1)
            .stderr_has("the unit is spelled 'Vård och omsorg' in this repository")
            .hint_has("--unit \"Vård och omsorg\"");
        record(&["--unit", "Skola", "--score", "budget=3"])
            .failure(2)
            .stderr_has("unknown maturity question 'budget'")
            .hint_has("known: ledning, tid, samverkan");
        record(&["--unit", "Skola", "--score", "ledning=6"])
            .failure(2)
            .stderr_has("the score 6 of 'ledning' is outside the scale 1–5");
        record(&["--unit", "Skola", "--score", "ledning=0"])
            .failure(2)
            .stderr_has("outside the scale");
        record(&["--unit", "Skola", "--score", "ledning=tre"])
            .failure(2)
            .stderr_has("not a whole number");
        record(&["--unit", "Skola", "--score", "ledning"])
            .failure(2)
            .stderr_has("is not KEY=N");
        record(&["--unit", "Skola", "--score", "ledning=3,ledning=4"])
            .failure(2)
            .stderr_has("'ledning' is scored twice");
        record(&["--unit", "Skola", "--date", "2020-07-01", "--score", "ledning=3"])
            .failure(1)
            .stderr_has("2020-07-01 is in the future");
        record(&["--unit", " ", "--score", "ledning=3"])
            .failure(2)
            .stderr_has("--unit is empty");
        record(&["--unit", "Skola"]).failure(2);
        record(&["--unit", "Skola", "--score", "ledning=3", "--respondents", "0"]).failure(2);
    });
    let files = std::fs::read_dir(sb.path("maturity")).unwrap().count();
    assert_eq!(files, 1, "nothing else was written");
}

#[test]
fn a_repository_without_maturity_questions_works_and_says_how_to_add_them() {
    let sb = Sandbox::with_team();
    set_maturity(&sb, None);
    sb.new_case("Digital matsedel", &[]);
    sb.run(&["summary"]).success();
    assert_eq!(sb.run(&["check"]).success().stdout, "");
    for args in [
        &["maturity", "list"][..],
        &["maturity", "questions"],
        &["maturity", "report"],
        &[
            "maturity",
            "record",
            "--unit",
            "Skola",
            "--score",
            "ledning=3",
        ],
    ] {
        sb.run(args)
            .failure(2)
            .stderr_has("sluss.toml defines no maturity questions")
            .hint_has("[[maturity.questions]]");
    }
    assert!(!sb.path("maturity").exists());

    // An assessment that a person wrote all the same: check names it.
    sb.write(
        "maturity/2020-03-14-skola.toml",
        "date = 2020-03-14\nunit = \"Skola\"\n\n[scores]\nledning = 3\n",
    );
    sb.run(&["check"]).failure(1).stdout_has(
        "maturity/2020-03-14-skola.toml:4:1: error: sluss.toml defines no maturity questions",
    );
}

#[test]
fn record_commits_when_asked() {
    let sb = repo();
    sb.git(&["init", "-q"]);
    sb.git(&["config", "user.name", "Erik Lind"]);
    sb.git(&["config", "user.email", "erik@example.org"]);
    sb.run(&[
        "maturity",
        "record",
        "--unit",
        "Skola",
        "--score",
        "ledning=3",
        "--commit",
    ])
    .success();
    let log = sb.git_outcome(&["log", "--name-only", "--format=%s"]);
    let lines: Vec<&str> = log.stdout.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines,
        [
            "maturity: Skola 2020-06-30",
            "maturity/2020-06-30-skola.toml"
        ]
    );
}

// ---------------------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------------------

#[test]
fn check_names_every_problem_of_an_assessment_by_line_and_column() {
    let mut sb = repo();
    sb.allow_broken_cases();
    sb.write(
        "maturity/2020-03-14-skola.toml",
        "date = 2020-03-14\nunit = \"Skola\"\nrespondents = 0\n\n[scores]\nledning = 6\nbudget = 3\ntid = \"två\"\nsamverkan = 2\n",
    );
    sb.write(
        "maturity/2020-07-01-vard.toml",
        "date = 2020-07-01\nunit = \"Vård\"\n[scores]\nledning = 3\n",
    );
    sb.write(
        "maturity/2020-04-01-kultur.toml",
        "unit = \"Kultur\"\n[scores]\n",
    );
    sb.write(
        "maturity/2020-04-02-teknik.toml",
        "date = \"2 april\"\nunit = \"\"\nscores = 3\n",
    );
    sb.write(
        "maturity/broken.toml",
        "date = 2020-04-03\nunit = \"Skola\n",
    );
    sb.write(
        "maturity/2020-05-01-fel-namn.toml",
        "date = 2020-05-02\nunit = \"Skola\"\n[scores]\nledning = 3\n",
    );
    sb.write(
        "maturity/2020-05-02-skola-igen.toml",
        "date = 2020-05-02\nunit = \"Skola\"\n[scores]\ntid = 3\n",
    );
    sb.write("maturity/2020-05-03-tom.toml", "");
    sb.write("maturity/anteckningar.txt", "Nästa skattning i höst.\n");
    let out = sb.run(&["check"]).failure(1);
    insta::assert_snapshot!(out.stdout, @r#"
    maturity/2020-03-14-skola.toml:3:15: error: respondents must be a positive whole number
      hint: write how many people answered, or leave the key out
    maturity/2020-03-14-skola.toml:6:11: error: the score 6 of 'ledning' is outside the scale 1–5
      hint: scores run from 1 to 5 ([maturity] scale in sluss.toml)
    maturity/2020-03-14-skola.toml:7:1: error: 'budget' is not a maturity question in sluss.toml
      hint: known questions: ledning, tid, samverkan
    maturity/2020-03-14-skola.toml:8:7: error: the score of 'tid' must be a whole number
      hint: write a whole number from 1 to 5
    maturity/2020-04-01-kultur.toml:1:1: error: the assessment has no date
      hint: add the day it was made: date = 2019-03-14
    maturity/2020-04-01-kultur.toml:2:1: error: the assessment has no scores
      hint: score at least one question: question_key = score
    maturity/2020-04-02-teknik.toml:1:8: error: date must be a TOML local date such as 2019-03-14, found "2 april"
      hint: write the date as a TOML local date, without a time
    maturity/2020-04-02-teknik.toml:2:8: error: the unit is empty
      hint: name the organisational unit that assessed itself
    maturity/2020-04-02-teknik.toml:3:10: error: scores must be a table of question_key = score
      hint: write it as a [scores] section
    maturity/2020-05-01-fel-namn.toml:1:8: error: Skola is also assessed on 2020-05-02 in maturity/2020-05-02-skola-igen.toml
      hint: a unit has one assessment a day; merge the two files into one
    maturity/2020-05-01-fel-namn.toml:2:8: warning: the file name does not say the date and unit: expected 2020-05-02-skola.toml
      hint: rename the file, so that the folder lists assessments by date and unit
    maturity/2020-05-02-skola-igen.toml:1:8: error: Skola is also assessed on 2020-05-02 in maturity/2020-05-01-fel-namn.toml
      hint: a unit has one assessment a day; merge the two files into one
    maturity/2020-05-02-skola-igen.toml:2:8: warning: the file name does not say the date and unit: expected 2020-05-02-skola.toml
      hint: rename the file, so that the folder lists assessments by date and unit
    maturity/2020-05-03-tom.toml:1:1: error: the file is empty
      hint: delete it, or fill it in; `sluss maturity record` writes a valid assessment
    maturity/2020-07-01-vard.toml:1:8: error: the assessment's date 2020-07-01 is in the future
      hint: record assessments that took place
    maturity/anteckningar.txt:1:1: warning: not an assessment: maturity/ holds only <date>-<unit>.toml files
      hint: move it out of maturity/
    maturity/broken.toml:2:14: error: invalid basic string, expected `"`
      hint: fix the TOML syntax at this place
    14 error(s), 3 warning(s), 0 failed gate(s) in 9 file(s)
    "#);
}

// ---------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------

/// Seven cases and ten assessments, written by hand. Every time is 10:00+01:00, so that
/// lead times are whole days.
///
/// Cases (created; history; tested = reached `testa`):
/// - k1 Skola, 2018-02-01; → testa 2018-06-01; closed implemented 2018-12-01 (303 days).
/// - k2 Vård, 2018-03-01; → provning 2018-04-01; closed stopped 2018-09-01.
/// - k3 Vård, 2018-05-01; open in inkommen.
/// - k4 Skola, 2019-01-10; → testa 2019-03-01, → verifiera 2019-05-01; closed
///   implemented 2020-01-10 (365 days).
/// - k5 Kultur, 2019-02-01; → testa 2019-06-01; closed stopped 2019-10-01.
/// - k6 Kultur, 2019-03-01; closed implemented 2019-11-01 without a move (245 days).
/// - k7 Vård, 2020-02-01; → provning 2020-02-10.
///
/// Assessments (ledning, tid, samverkan; – not answered) and their means:
///
/// | unit   | date       | scores        | mean  |
/// |--------|------------|---------------|-------|
/// | Skola  | 2017-03-15 | 2 1 3         | 2.00  |
/// | Skola  | 2017-10-10 | 3 2 3         | 2.67  |
/// | Skola  | 2018-09-01 | 4 3 4         | 3.67  |
/// | Skola  | 2020-03-01 | 5 4 4         | 4.33  |
/// | Teknik | 2018-06-01 | 2 1 1         | 1.33  |
/// | Teknik | 2019-09-01 | 3 (9) – (budget 4): two scores do not count | 3.00 |
/// | Vård   | 2017-05-20 | 1 2 –         | 1.50  |
/// | Vård   | 2018-04-01 | 2 2 3         | 2.33  |
/// | Vård   | 2018-11-15 | 3 3 3         | 3.00  |
/// | Vård   | 2019-05-05 | 4 3 5         | 4.00  |
///
/// Units known: Kultur, Skola, Teknik (assessments only) and Vård: 4.
fn report_repo() -> Sandbox {
    let sb = repo();
    let case = |id: &str, unit: &str, created: &str, stage: &str, status: &str, tail: &str| {
        sb.write_case(
            id,
            &format!(
                "id = \"{id}\"\ntitle = \"Idé {id}\"\ncreated = {created}T10:00:00+01:00\nstage = \"{stage}\"\nstatus = \"{status}\"\nunit = \"{unit}\"\n{tail}"
            ),
        );
    };
    let mv = |at: &str, from: &str, to: &str| {
        format!(
            "\n[[history]]\nat = {at}T10:00:00+01:00\nby = \"erik\"\nfrom = \"{from}\"\nto = \"{to}\"\n"
        )
    };
    let close = |at: &str, outcome: &str| {
        format!(
            "\n[[history]]\nat = {at}T10:00:00+01:00\nby = \"erik\"\nstatus = \"closed\"\noutcome = \"{outcome}\"\n"
        )
    };
    case(
        "k1",
        "Skola",
        "2018-02-01",
        "testa",
        "closed",
        &format!(
            "outcome = \"implemented\"\n{}{}",
            mv("2018-06-01", "inkommen", "testa"),
            close("2018-12-01", "implemented")
        ),
    );
    case(
        "k2",
        "Vård",
        "2018-03-01",
        "provning",
        "closed",
        &format!(
            "outcome = \"stopped\"\n{}{}",
            mv("2018-04-01", "inkommen", "provning"),
            close("2018-09-01", "stopped")
        ),
    );
    case("k3", "Vård", "2018-05-01", "inkommen", "open", "");
    case(
        "k4",
        "Skola",
        "2019-01-10",
        "verifiera",
        "closed",
        &format!(
            "outcome = \"implemented\"\n{}{}{}",
            mv("2019-03-01", "inkommen", "testa"),
            mv("2019-05-01", "testa", "verifiera"),
            close("2020-01-10", "implemented")
        ),
    );
    case(
        "k5",
        "Kultur",
        "2019-02-01",
        "testa",
        "closed",
        &format!(
            "outcome = \"stopped\"\n{}{}",
            mv("2019-06-01", "inkommen", "testa"),
            close("2019-10-01", "stopped")
        ),
    );
    case(
        "k6",
        "Kultur",
        "2019-03-01",
        "inkommen",
        "closed",
        &format!(
            "outcome = \"implemented\"\n{}",
            close("2019-11-01", "implemented")
        ),
    );
    case(
        "k7",
        "Vård",
        "2020-02-01",
        "provning",
        "open",
        &mv("2020-02-10", "inkommen", "provning"),
    );
    let assess = |unit: &str, slug: &str, date: &str, scores: &str| {
        sb.write(
            &format!("maturity/{date}-{slug}.toml"),
            &format!("date = {date}\nunit = \"{unit}\"\n\n[scores]\n{scores}"),
        );
    };
    assess(
        "Skola",
        "skola",
        "2017-03-15",
        "ledning = 2\ntid = 1\nsamverkan = 3\n",
    );
    assess(
        "Skola",
        "skola",
        "2017-10-10",
        "ledning = 3\ntid = 2\nsamverkan = 3\n",
    );
    assess(
        "Skola",
        "skola",
        "2018-09-01",
        "ledning = 4\ntid = 3\nsamverkan = 4\n",
    );
    assess(
        "Skola",
        "skola",
        "2020-03-01",
        "ledning = 5\ntid = 4\nsamverkan = 4\n",
    );
    sb.write(
        "maturity/2018-06-01-teknik.toml",
        "date = 2018-06-01\nunit = \"Teknik\"\nrespondents = 7\nnote = \"Enkät\"\n\n[scores]\nledning = 2\ntid = 1\nsamverkan = 1\n",
    );
    assess(
        "Teknik",
        "teknik",
        "2019-09-01",
        "ledning = 3\ntid = 9\nbudget = 4\n",
    );
    assess("Vård", "vard", "2017-05-20", "ledning = 1\ntid = 2\n");
    assess(
        "Vård",
        "vard",
        "2018-04-01",
        "ledning = 2\ntid = 2\nsamverkan = 3\n",
    );
    assess(
        "Vård",
        "vard",
        "2018-11-15",
        "ledning = 3\ntid = 3\nsamverkan = 3\n",
    );
    assess(
        "Vård",
        "vard",
        "2019-05-05",
        "ledning = 4\ntid = 3\nsamverkan = 5\n",
    );
    sb
}

#[test]
fn the_report_follows_each_unit_over_time() {
    let sb = report_repo();
    let out = sb
        .run(&["maturity", "report", "--format", "json"])
        .success()
        .stderr_has("2 score(s) do not count");
    let r = out.json();
    assert_eq!(r["scale"], json!({"min": 1, "max": 5}));
    assert_eq!(r["units_known"], 4);
    assert_eq!(r["assessments"], 10);
    assert_eq!(r["ignored_scores"], 2);
    assert_eq!(
        r["tested_stage"],
        json!({"key": "testa", "name": "Testa", "position": 5, "chosen_because": "keyed_testa"})
    );
    /// A unit, its assessments' (date, mean), and its change.
    type Series<'a> = (&'a str, Vec<(&'a str, f64)>, Value);
    let units: Vec<Series> = r["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["unit"].as_str().unwrap(),
                u["assessments"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| (a["date"].as_str().unwrap(), a["mean"].as_f64().unwrap()))
                    .collect(),
                u["change"].clone(),
            )
        })
        .collect();
    assert_eq!(
        units,
        [
            (
                "Skola",
                vec![
                    ("2017-03-15", 2.0),
                    ("2017-10-10", 2.67),
                    ("2018-09-01", 3.67),
                    ("2020-03-01", 4.33)
                ],
                json!(2.33)
            ),
            (
                "Teknik",
                vec![("2018-06-01", 1.33), ("2019-09-01", 3.0)],
                json!(1.67)
            ),
            (
                "Vård",
                vec![
                    ("2017-05-20", 1.5),
                    ("2018-04-01", 2.33),
                    ("2018-11-15", 3.0),
                    ("2019-05-05", 4.0)
                ],
                json!(2.5)
            ),
        ]
    );
    // Per question, only the scores that count; and how many questions were answered.
    let teknik = &r["units"][1]["assessments"];
    assert_eq!(
        teknik[0],
        json!({"date": "2018-06-01", "mean": 1.33, "answered": 3, "respondents": 7,
               "scores": {"ledning": 2, "samverkan": 1, "tid": 1}})
    );
    assert_eq!(teknik[1]["scores"], json!({"ledning": 3}));
    assert_eq!(teknik[1]["answered"], 1);
    assert_eq!(r["units"][2]["assessments"][0]["answered"], 2);
}

#[test]
fn the_report_gives_the_organisation_per_year_next_to_the_portfolio() {
    let sb = report_repo();
    let r = sb
        .run(&["maturity", "report", "--format", "json"])
        .success()
        .json();
    let years = r["years"].as_array().unwrap();
    assert_eq!(
        years
            .iter()
            .map(|y| y["year"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [2017, 2018, 2019, 2020]
    );
    let pick = |y: &Value, keys: &[&str]| -> Value {
        keys.iter()
            .map(|k| (k.to_string(), y[*k].clone()))
            .collect()
    };
    let maturity_keys = ["units_assessed", "maturity"];
    let question_means = |y: &Value| -> Vec<(String, Value, Value)> {
        y["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                (
                    q["key"].as_str().unwrap().to_string(),
                    q["mean"].clone(),
                    q["answers"].clone(),
                )
            })
            .collect()
    };
    // 2017: Skola's latest is 2017-10-10 (2.67 unrounded 8/3), Vård's 2017-05-20
    // (1.5): (8/3 + 1.5) / 2 = 2.083.
    assert_eq!(
        pick(&years[0], &maturity_keys),
        json!({"units_assessed": 2, "maturity": 2.08})
    );
    assert_eq!(
        question_means(&years[0]),
        [
            ("ledning".into(), json!(2.0), json!(2)),
            ("tid".into(), json!(2.0), json!(2)),
            ("samverkan".into(), json!(3.0), json!(1)),
        ]
    );
    // 2018: Skola 11/3, Vård's latest 3.0 (not 2018-04-01's), Teknik 4/3: 8 / 3.
    assert_eq!(
        pick(&years[1], &maturity_keys),
        json!({"units_assessed": 3, "maturity": 2.67})
    );
    assert_eq!(
        question_means(&years[1]),
        [
            ("ledning".into(), json!(3.0), json!(3)),
            ("tid".into(), json!(2.33), json!(3)),
            ("samverkan".into(), json!(2.67), json!(3)),
        ]
    );
    // 2019: Vård 4.0 and Teknik 3.0 (its one score that counts).
    assert_eq!(
        pick(&years[2], &maturity_keys),
        json!({"units_assessed": 2, "maturity": 3.5})
    );
    assert_eq!(
        question_means(&years[2]),
        [
            ("ledning".into(), json!(3.5), json!(2)),
            ("tid".into(), json!(3.0), json!(1)),
            ("samverkan".into(), json!(5.0), json!(1)),
        ]
    );
    // 2020: Skola alone.
    assert_eq!(
        pick(&years[3], &maturity_keys),
        json!({"units_assessed": 1, "maturity": 4.33})
    );

    let portfolio_keys = [
        "units_known",
        "units_with_ideas",
        "units_with_ideas_pct",
        "ideas",
        "ideas_per_unit",
        "tested",
        "tested_pct",
        "closed",
        "implemented",
        "implemented_pct",
    ];
    // Units known by the end of each year: Skola and Vård by their 2017 assessments,
    // Teknik by its assessment of 2018-06-01, Kultur by k5 of 2019-02-01. A unit counts
    // from the first record that names it, so a later year never changes an earlier one.
    // 2017: no case yet.
    assert_eq!(
        pick(&years[0], &portfolio_keys),
        json!({"units_known": 2, "units_with_ideas": 0, "units_with_ideas_pct": 0.0,
               "ideas": 0, "ideas_per_unit": 0.0, "tested": 0, "tested_pct": null,
               "closed": 0, "implemented": 0, "implemented_pct": null})
    );
    // 2018: k1–k3 from Skola and Vård; k1 tested; k1 implemented and k2 stopped.
    assert_eq!(
        pick(&years[1], &portfolio_keys),
        json!({"units_known": 3, "units_with_ideas": 2, "units_with_ideas_pct": 66.7,
               "ideas": 3, "ideas_per_unit": 1.0, "tested": 1, "tested_pct": 33.3,
               "closed": 2, "implemented": 1, "implemented_pct": 50.0})
    );
    // 2019: k4–k6 from Skola and Kultur; k4 and k5 tested (k6 was implemented without
    // a test); k5 stopped and k6 implemented.
    assert_eq!(
        pick(&years[2], &portfolio_keys),
        json!({"units_known": 4, "units_with_ideas": 2, "units_with_ideas_pct": 50.0,
               "ideas": 3, "ideas_per_unit": 0.75, "tested": 2, "tested_pct": 66.7,
               "closed": 2, "implemented": 1, "implemented_pct": 50.0})
    );
    // 2020: k7 from Vård, not tested; k4 implemented.
    assert_eq!(
        pick(&years[3], &portfolio_keys),
        json!({"units_known": 4, "units_with_ideas": 1, "units_with_ideas_pct": 25.0,
               "ideas": 1, "ideas_per_unit": 0.25, "tested": 0, "tested_pct": 0.0,
               "closed": 1, "implemented": 1, "implemented_pct": 100.0})
    );
    // Lead time: the cases implemented in each year.
    let lead: Vec<Value> = years.iter().map(|y| y["lead_time"].clone()).collect();
    assert_eq!(
        lead,
        [
            json!({"samples": 0, "median_days": null, "p90_days": null}),
            json!({"samples": 1, "median_days": 303.0, "p90_days": 303.0}),
            json!({"samples": 1, "median_days": 245.0, "p90_days": 245.0}),
            json!({"samples": 1, "median_days": 365.0, "p90_days": 365.0}),
        ]
    );
}

/// Each unit and the dates of its assessments, as the JSON report lists them.
fn unit_dates(r: &Value) -> Vec<(String, Vec<String>, Value)> {
    r["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["unit"].as_str().unwrap().to_string(),
                u["assessments"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["date"].as_str().unwrap().to_string())
                    .collect(),
                u["change"].clone(),
            )
        })
        .collect()
}

fn years_of(r: &Value) -> Vec<i64> {
    r["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["year"].as_i64().unwrap())
        .collect()
}

#[test]
fn as_of_a_day_only_what_had_happened_by_then_counts() {
    let sb = report_repo();
    let r = sb
        .run(&[
            "maturity",
            "report",
            "--as-of",
            "2019-06-30",
            "--format",
            "json",
        ])
        .success()
        .json();
    assert_eq!(r["as_of"], "2019-06-30");
    // Skola's 2020 and Teknik's 2019-09-01 assessments had not been made.
    assert_eq!(r["assessments"], 8);
    assert_eq!(
        unit_dates(&r),
        [
            (
                "Skola".to_string(),
                vec![
                    "2017-03-15".into(),
                    "2017-10-10".into(),
                    "2018-09-01".into()
                ],
                json!(1.67)
            ),
            ("Teknik".to_string(), vec!["2018-06-01".into()], Value::Null),
            (
                "Vård".to_string(),
                vec![
                    "2017-05-20".into(),
                    "2018-04-01".into(),
                    "2018-11-15".into(),
                    "2019-05-05".into()
                ],
                json!(2.5)
            ),
        ]
    );
    // No case was received, moved or closed after 2019 by then.
    assert_eq!(years_of(&r), [2017, 2018, 2019]);
    let y2019 = &r["years"][2];
    // Vård alone was assessed in 2019 by then: (4 + 3 + 5) / 3.
    assert_eq!(y2019["units_assessed"], 1);
    assert_eq!(y2019["maturity"], 4.0);
    // k4 and k5 had reached testa (2019-03-01, 2019-06-01); k5 and k6 were closed only
    // in the autumn.
    assert_eq!(y2019["ideas"], 3);
    assert_eq!(y2019["tested"], 2);
    assert_eq!(y2019["closed"], 0);
    assert_eq!(y2019["implemented"], 0);
    assert_eq!(y2019["lead_time"]["samples"], 0);
    // 2018 as before: nothing in it happened after the day.
    let full = sb
        .run(&["maturity", "report", "--format", "json"])
        .success()
        .json();
    assert_eq!(full["as_of"], Value::Null);
    assert_eq!(r["years"][1], full["years"][1]);
    // The title says so.
    sb.run(&["maturity", "report", "--as-of", "2019-06-30"])
        .success()
        .stdout_has("innovation maturity\n2017–2019, as things stood at the end of 30 June 2019\n")
        .stdout_has("As of: only what had happened by the end of 30 June 2019 counts");
}

#[test]
fn since_and_until_pick_the_years() {
    let sb = report_repo();
    let r = sb
        .run(&[
            "maturity",
            "report",
            "--since",
            "2018-03-01",
            "--until",
            "2018-10-01",
            "--format",
            "json",
        ])
        .success()
        .json();
    assert_eq!(years_of(&r), [2018]);
    assert_eq!(
        unit_dates(&r),
        [
            ("Skola".to_string(), vec!["2018-09-01".into()], Value::Null),
            ("Teknik".to_string(), vec!["2018-06-01".into()], Value::Null),
            (
                "Vård".to_string(),
                vec!["2018-04-01".into(), "2018-11-15".into()],
                json!(0.67)
            ),
        ]
    );
    let full = sb
        .run(&["maturity", "report", "--format", "json"])
        .success()
        .json();
    assert_eq!(
        r["years"][0], full["years"][1],
        "the year's figures are whole"
    );
    sb.run(&[
        "maturity",
        "report",
        "--since",
        "2019-01-01",
        "--until",
        "2018-01-01",
    ])
    .failure(2)
    .stderr_has("--until 2018-01-01 is before --since 2019-01-01");
}

#[test]
fn without_a_stage_keyed_testa_the_fifth_stage_counts_as_tested_and_the_report_says_so() {
    let sb = report_repo();
    let text = sb
        .read("sluss.toml")
        .replace("key = \"testa\"", "key = \"pilot\"");
    sb.write("sluss.toml", &text);
    for id in ["k1", "k4", "k5"] {
        let case = sb.case_text(id).replace("\"testa\"", "\"pilot\"");
        sb.write_case(id, &case);
    }
    let r = sb
        .run(&["maturity", "report", "--format", "json"])
        .success()
        .json();
    assert_eq!(
        r["tested_stage"],
        json!({"key": "pilot", "name": "Testa", "position": 5, "chosen_because": "fifth_stage"})
    );
    assert_eq!(r["years"][2]["tested"], 2);
    sb.run(&["maturity", "report"])
        .success()
        .stdout_has("Tested: the cases received in the year that have reached Testa (the 5th stage, pilot; no stage is keyed testa).");
}

#[test]
fn the_report_as_a_table() {
    let sb = report_repo();
    let out = sb.run(&["maturity", "report"]).success();
    let version = format!("sluss {}", env!("CARGO_PKG_VERSION"));
    insta::assert_snapshot!(trim_lines(&out.stdout.replace(&version, "sluss VERSION")), @"
    Idésluss: innovation maturity
    2017–2020

    assessments       10
    units assessed     3  of 4 units known
    questions          3  scale 1–5
    maturity 2020   4.33  2017: 2.08

    Maturity over time
    ──────────────────

    Maturity per unit and year
     Unit              2017  2018  2019  2020
    ─────────────────────────────────────────
     Skola             2.67  3.67     –  4.33
     Teknik               –  1.33  3.00     –
     Vård              1.50  3.00  4.00     –
    ─────────────────────────────────────────
     The organisation  2.08  2.67  3.50  4.33
    The organisation: the mean of the units assessed in the year, each by its latest assessment that year; not a sum.

    The organisation per year
    ─────────────────────────

    Units and their ideas
     Year  Units assessed  Maturity  Units known  Units with ideas  Share with ideas  Ideas  Ideas per unit
    ───────────────────────────────────────────────────────────────────────────────────────────────────────
     2017               2      2.08            2                 0              0.0%      0            0.00
     2018               3      2.67            3                 2             66.7%      3            1.00
     2019               2      3.50            4                 2             50.0%      3            0.75
     2020               1      4.33            4                 1             25.0%      1            0.25

    From idea to implementation
     Year  Ideas  Tested  Share tested  Closed  Implemented  Share implemented  Lead time, median (days)
    ────────────────────────────────────────────────────────────────────────────────────────────────────
     2017      0       0             –       0            0                  –                         –
     2018      3       1         33.3%       2            1              50.0%                     303.0
     2019      3       2         66.7%       2            1              50.0%                     245.0
     2020      1       0          0.0%       1            1             100.0%                     365.0

    Maturity per question
    ─────────────────────

    The organisation's mean score per question
     No.  Question                       2017  2018  2019  2020
    ───────────────────────────────────────────────────────────
     1    Ledningen stöttar nya idéer.   2.00  3.00  3.50  5.00
     2    Det finns tid för utveckling.  2.00  2.33  3.00  4.00
     3    Vi samverkar med andra.        3.00  2.67  5.00  4.00

    Assessments per unit
    ────────────────────

    Every assessment: its mean and the score of each question, numbered as above
     Unit    Date        Mean  Change  Respondents  1  2  3
    ───────────────────────────────────────────────────────
     Skola   2017-03-15  2.00                    –  2  1  3
     Skola   2017-10-10  2.67                    –  3  2  3
     Skola   2018-09-01  3.67                    –  4  3  4
     Skola   2020-03-01  4.33   +2.33            –  5  4  4
     Teknik  2018-06-01  1.33                    7  2  1  1
     Teknik  2019-09-01  3.00   +1.67            –  3  –  –
     Vård    2017-05-20  1.50                    –  1  2  –
     Vård    2018-04-01  2.33                    –  2  2  3
     Vård    2018-11-15  3.00                    –  3  3  3
     Vård    2019-05-05  4.00   +2.50            –  4  3  5
    –: not answered (or no number of respondents given). Change: the latest assessment's mean less the first's.

    2 score(s) do not count: an unknown question, or outside the scale; sluss check names them.

    Definitions
    ───────────
    Maturity: each unit's latest assessment in the year, averaged over the units assessed that year; an assessment's score is the mean of its answered questions (scale 1–5).
    Units known: the units named by a case received, or an assessment made, on or before the last day of the year: the organisation as the records knew it then. A unit first seen in a later year does not change an earlier year's figures.
    Units with ideas: the units named by the cases received in the year, as a share of the units known that year. Ideas per unit: the cases received in the year per unit known that year.
    Tested: the cases received in the year that have reached Testa (the stage keyed testa).
    Implemented: the closings recorded in the year that were implemented.
    Lead time: the median days from received to implemented, for the cases implemented in the year.

    Period: 2017–2020
    Made 30 June 2020 by sluss VERSION
    ");
}

#[test]
fn the_report_as_markdown() {
    let sb = report_repo();
    let out = sb
        .run(&["maturity", "report", "--format", "markdown"])
        .success();
    let version = format!("sluss {}", env!("CARGO_PKG_VERSION"));
    insta::assert_snapshot!(out.stdout.replace(&version, "sluss VERSION"), @"
    # Idésluss: innovation maturity

    _2017–2020_

    - **10** assessments
    - **3** units assessed (of 4 units known)
    - **3** questions (scale 1–5)
    - **4.33** maturity 2020 (2017: 2.08)

    ## Maturity over time

    **Maturity per unit and year**

    | Unit | 2017 | 2018 | 2019 | 2020 |
    | --- | ---: | ---: | ---: | ---: |
    | Skola | 2.67 | 3.67 | – | 4.33 |
    | Teknik | – | 1.33 | 3.00 | – |
    | Vård | 1.50 | 3.00 | 4.00 | – |
    | **The organisation** | **2.08** | **2.67** | **3.50** | **4.33** |

    _The organisation: the mean of the units assessed in the year, each by its latest assessment that year; not a sum._

    ## The organisation per year

    **Units and their ideas**

    | Year | Units assessed | Maturity | Units known | Units with ideas | Share with ideas | Ideas | Ideas per unit |
    | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
    | 2017 | 2 | 2.08 | 2 | 0 | 0.0% | 0 | 0.00 |
    | 2018 | 3 | 2.67 | 3 | 2 | 66.7% | 3 | 1.00 |
    | 2019 | 2 | 3.50 | 4 | 2 | 50.0% | 3 | 0.75 |
    | 2020 | 1 | 4.33 | 4 | 1 | 25.0% | 1 | 0.25 |

    **From idea to implementation**

    | Year | Ideas | Tested | Share tested | Closed | Implemented | Share implemented | Lead time, median (days) |
    | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
    | 2017 | 0 | 0 | – | 0 | 0 | – | – |
    | 2018 | 3 | 1 | 33.3% | 2 | 1 | 50.0% | 303.0 |
    | 2019 | 3 | 2 | 66.7% | 2 | 1 | 50.0% | 245.0 |
    | 2020 | 1 | 0 | 0.0% | 1 | 1 | 100.0% | 365.0 |

    ## Maturity per question

    **The organisation's mean score per question**

    | No. | Question | 2017 | 2018 | 2019 | 2020 |
    | --- | --- | ---: | ---: | ---: | ---: |
    | 1 | Ledningen stöttar nya idéer. | 2.00 | 3.00 | 3.50 | 5.00 |
    | 2 | Det finns tid för utveckling. | 2.00 | 2.33 | 3.00 | 4.00 |
    | 3 | Vi samverkar med andra. | 3.00 | 2.67 | 5.00 | 4.00 |

    ## Assessments per unit

    **Every assessment: its mean and the score of each question, numbered as above**

    | Unit | Date | Mean | Change | Respondents | 1 | 2 | 3 |
    | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |
    | Skola | 2017-03-15 | 2.00 |  | – | 2 | 1 | 3 |
    | Skola | 2017-10-10 | 2.67 |  | – | 3 | 2 | 3 |
    | Skola | 2018-09-01 | 3.67 |  | – | 4 | 3 | 4 |
    | Skola | 2020-03-01 | 4.33 | +2.33 | – | 5 | 4 | 4 |
    | Teknik | 2018-06-01 | 1.33 |  | 7 | 2 | 1 | 1 |
    | Teknik | 2019-09-01 | 3.00 | +1.67 | – | 3 | – | – |
    | Vård | 2017-05-20 | 1.50 |  | – | 1 | 2 | – |
    | Vård | 2018-04-01 | 2.33 |  | – | 2 | 2 | 3 |
    | Vård | 2018-11-15 | 3.00 |  | – | 3 | 3 | 3 |
    | Vård | 2019-05-05 | 4.00 | +2.50 | – | 4 | 3 | 5 |

    _–: not answered (or no number of respondents given). Change: the latest assessment's mean less the first's._

    > 2 score(s) do not count: an unknown question, or outside the scale; sluss check names them.

    ## Definitions

    - **Maturity**: each unit's latest assessment in the year, averaged over the units assessed that year; an assessment's score is the mean of its answered questions (scale 1–5).
    - **Units known**: the units named by a case received, or an assessment made, on or before the last day of the year: the organisation as the records knew it then. A unit first seen in a later year does not change an earlier year's figures.
    - **Units with ideas**: the units named by the cases received in the year, as a share of the units known that year. Ideas per unit: the cases received in the year per unit known that year.
    - **Tested**: the cases received in the year that have reached Testa (the stage keyed testa).
    - **Implemented**: the closings recorded in the year that were implemented.
    - **Lead time**: the median days from received to implemented, for the cases implemented in the year.

    ---

    Period: 2017–2020  
    _Made 30 June 2020 by sluss VERSION_
    ");
}

#[test]
fn the_report_as_tidy_csv() {
    let sb = report_repo();
    let out = sb.run(&["maturity", "report", "--format", "csv"]).success();
    insta::assert_snapshot!(out.stdout, @"
    section,group,key,metric,value
    maturity,,,name,Idésluss
    maturity,,,scale_min,1
    maturity,,,scale_max,5
    maturity,,,tested_stage,testa
    maturity,,,units_known,4
    maturity,,,assessments,10
    maturity,,,ignored_scores,2
    question,,ledning,text,Ledningen stöttar nya idéer.
    question,,tid,text,Det finns tid för utveckling.
    question,,samverkan,text,Vi samverkar med andra.
    year,2017,,units_assessed,2
    year,2017,,maturity,2.08
    year,2017,,units_known,2
    year,2017,,units_with_ideas,0
    year,2017,,units_with_ideas_pct,0
    year,2017,,ideas,0
    year,2017,,ideas_per_unit,0
    year,2017,,tested,0
    year,2017,,closed,0
    year,2017,,implemented,0
    year,2017,,lead_time_cases,0
    year_question,2017,ledning,answers,2
    year_question,2017,ledning,mean,2
    year_question,2017,tid,answers,2
    year_question,2017,tid,mean,2
    year_question,2017,samverkan,answers,1
    year_question,2017,samverkan,mean,3
    year,2018,,units_assessed,3
    year,2018,,maturity,2.67
    year,2018,,units_known,3
    year,2018,,units_with_ideas,2
    year,2018,,units_with_ideas_pct,66.7
    year,2018,,ideas,3
    year,2018,,ideas_per_unit,1
    year,2018,,tested,1
    year,2018,,tested_pct,33.3
    year,2018,,closed,2
    year,2018,,implemented,1
    year,2018,,implemented_pct,50
    year,2018,,lead_time_cases,1
    year,2018,,lead_time_median_days,303
    year_question,2018,ledning,answers,3
    year_question,2018,ledning,mean,3
    year_question,2018,tid,answers,3
    year_question,2018,tid,mean,2.33
    year_question,2018,samverkan,answers,3
    year_question,2018,samverkan,mean,2.67
    year,2019,,units_assessed,2
    year,2019,,maturity,3.5
    year,2019,,units_known,4
    year,2019,,units_with_ideas,2
    year,2019,,units_with_ideas_pct,50
    year,2019,,ideas,3
    year,2019,,ideas_per_unit,0.75
    year,2019,,tested,2
    year,2019,,tested_pct,66.7
    year,2019,,closed,2
    year,2019,,implemented,1
    year,2019,,implemented_pct,50
    year,2019,,lead_time_cases,1
    year,2019,,lead_time_median_days,245
    year_question,2019,ledning,answers,2
    year_question,2019,ledning,mean,3.5
    year_question,2019,tid,answers,1
    year_question,2019,tid,mean,3
    year_question,2019,samverkan,answers,1
    year_question,2019,samverkan,mean,5
    year,2020,,units_assessed,1
    year,2020,,maturity,4.33
    year,2020,,units_known,4
    year,2020,,units_with_ideas,1
    year,2020,,units_with_ideas_pct,25
    year,2020,,ideas,1
    year,2020,,ideas_per_unit,0.25
    year,2020,,tested,0
    year,2020,,tested_pct,0
    year,2020,,closed,1
    year,2020,,implemented,1
    year,2020,,implemented_pct,100
    year,2020,,lead_time_cases,1
    year,2020,,lead_time_median_days,365
    year_question,2020,ledning,answers,1
    year_question,2020,ledning,mean,5
    year_question,2020,tid,answers,1
    year_question,2020,tid,mean,4
    year_question,2020,samverkan,answers,1
    year_question,2020,samverkan,mean,4
    unit,Skola,,change,2.33
    assessment,Skola,2017-03-15,mean,2
    assessment,Skola,2017-03-15,answered,3
    score,Skola,2017-03-15,ledning,2
    score,Skola,2017-03-15,tid,1
    score,Skola,2017-03-15,samverkan,3
    assessment,Skola,2017-10-10,mean,2.67
    assessment,Skola,2017-10-10,answered,3
    score,Skola,2017-10-10,ledning,3
    score,Skola,2017-10-10,tid,2
    score,Skola,2017-10-10,samverkan,3
    assessment,Skola,2018-09-01,mean,3.67
    assessment,Skola,2018-09-01,answered,3
    score,Skola,2018-09-01,ledning,4
    score,Skola,2018-09-01,tid,3
    score,Skola,2018-09-01,samverkan,4
    assessment,Skola,2020-03-01,mean,4.33
    assessment,Skola,2020-03-01,answered,3
    score,Skola,2020-03-01,ledning,5
    score,Skola,2020-03-01,tid,4
    score,Skola,2020-03-01,samverkan,4
    unit,Teknik,,change,1.67
    assessment,Teknik,2018-06-01,mean,1.33
    assessment,Teknik,2018-06-01,answered,3
    assessment,Teknik,2018-06-01,respondents,7
    score,Teknik,2018-06-01,ledning,2
    score,Teknik,2018-06-01,tid,1
    score,Teknik,2018-06-01,samverkan,1
    assessment,Teknik,2019-09-01,mean,3
    assessment,Teknik,2019-09-01,answered,1
    score,Teknik,2019-09-01,ledning,3
    unit,Vård,,change,2.5
    assessment,Vård,2017-05-20,mean,1.5
    assessment,Vård,2017-05-20,answered,2
    score,Vård,2017-05-20,ledning,1
    score,Vård,2017-05-20,tid,2
    assessment,Vård,2018-04-01,mean,2.33
    assessment,Vård,2018-04-01,answered,3
    score,Vård,2018-04-01,ledning,2
    score,Vård,2018-04-01,tid,2
    score,Vård,2018-04-01,samverkan,3
    assessment,Vård,2018-11-15,mean,3
    assessment,Vård,2018-11-15,answered,3
    score,Vård,2018-11-15,ledning,3
    score,Vård,2018-11-15,tid,3
    score,Vård,2018-11-15,samverkan,3
    assessment,Vård,2019-05-05,mean,4
    assessment,Vård,2019-05-05,answered,3
    score,Vård,2019-05-05,ledning,4
    score,Vård,2019-05-05,tid,3
    score,Vård,2019-05-05,samverkan,5
    ");
}

#[test]
fn the_report_as_one_self_contained_html_file_with_a_line_chart() {
    let sb = report_repo();
    sb.run(&["maturity", "report", "-o", "maturity.html"])
        .success()
        .stderr_has("Wrote maturity.html");
    let html = sb.read("maturity.html");
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.ends_with("</html>\n"));
    // Maturity over time: a chart, and beside it its data, a row per unit through its
    // latest assessment each year and the organisation's mean as the last row.
    let figure = &html[html.find("<figure>").expect("a chart")..html.find("</figure>").unwrap()];
    assert!(figure.contains("<svg"), "{figure}");
    assert!(
        figure.contains("<tr><th scope=\"row\">Vård</th><td class=\"n\">1.50</td><td class=\"n\">3.00</td><td class=\"n\">4.00</td><td class=\"n\">–</td></tr>"),
        "{figure}"
    );
    assert!(
        figure.contains("<tfoot>\n<tr><th scope=\"row\">The organisation</th><td class=\"n\">2.08</td><td class=\"n\">2.67</td><td class=\"n\">3.50</td><td class=\"n\">4.33</td></tr>"),
        "{figure}"
    );
    // Self-contained: nothing is fetched and nothing runs (inline SVG needs no namespace).
    let outside = html.clone();
    for banned in [
        "<script", "src=", "href=", "http://", "https://", "@import", "url(",
    ] {
        assert!(!outside.contains(banned), "the HTML has {banned}");
    }
    assert!(html.contains("<th scope=\"row\">Skola</th><td class=\"id\">2017-03-15</td>"));
}

#[test]
fn text_from_files_is_escaped_in_every_format() {
    let sb = repo();
    sb.write(
        "maturity/2020-03-14-x.toml",
        "date = 2020-03-14\nunit = \"<script>alert('x')</script> | *Vård* =1\"\n\n[scores]\nledning = 3\n",
    );
    let html = sb
        .run(&["maturity", "report", "--format", "html"])
        .success()
        .stdout;
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    let md = sb
        .run(&["maturity", "report", "--format", "markdown"])
        .success()
        .stdout;
    assert!(
        md.contains("\\<script\\>alert('x')\\</script\\> \\| \\*Vård\\* =1"),
        "{md}"
    );
    sb.write(
        "maturity/2020-03-14-x.toml",
        "date = 2020-03-14\nunit = \"=HYPERLINK(1)\"\n\n[scores]\nledning = 3\n",
    );
    let csv = sb
        .run(&["maturity", "report", "--format", "csv"])
        .success()
        .stdout;
    assert!(
        csv.contains("assessment,'=HYPERLINK(1),2020-03-14,mean,3"),
        "{csv}"
    );
    assert!(!csv.contains(",=HYPERLINK"));
}

/// The colophon's words for the day the report was made, on the test's day and on another.
const MADE_TODAY: &str = "Made 30 June 2020 by sluss";
const MADE_ANOTHER_DAY: &str = "Made 1 January 2031 by sluss";

/// Every line but the colophon's, which says the day the report was made.
fn without_generation_day(text: &str) -> String {
    text.lines()
        .filter(|l| !l.contains(MADE_TODAY) && !l.contains(MADE_ANOTHER_DAY))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_report_is_the_same_bytes_on_every_run_and_any_day() {
    let sb = report_repo();
    for format in ["table", "json", "csv", "markdown", "html"] {
        let first = sb
            .run(&["maturity", "report", "--format", format])
            .success()
            .stdout;
        let again = sb
            .cmd(&["maturity", "report", "--format", format])
            .env("SLUSS_NOW", "2031-01-01T08:00:00+01:00")
            .run()
            .success()
            .stdout;
        assert_eq!(
            sb.run(&["maturity", "report", "--format", format])
                .success()
                .stdout,
            first,
            "{format} differs between runs"
        );
        // Only the colophon's day of making differs on another day.
        assert_eq!(
            without_generation_day(&first),
            without_generation_day(&again),
            "{format} differs on another day"
        );
        if ["json", "csv"].contains(&format) {
            assert_eq!(first, again, "{format} has no day of making");
        } else {
            assert!(first.contains(MADE_TODAY), "{first}");
            assert!(again.contains(MADE_ANOTHER_DAY), "{again}");
        }
    }
}

#[test]
fn an_empty_report_says_how_to_record() {
    let sb = repo();
    sb.run(&["maturity", "report"]).success().stdout_has(
        "No assessments yet: record one with `sluss maturity record --unit UNIT --score KEY=N …`.",
    );
    let html = sb
        .run(&["maturity", "report", "--format", "html"])
        .success()
        .stdout;
    assert!(!html.contains("<svg"));
}
