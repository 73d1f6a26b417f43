//! The maturity report as one document: the demo's report in every written format and
//! both languages, question texts instead of keys and "–" for a question not answered,
//! shares per year over the units known in that year (so that history stays put when a
//! unit turns up later), and the listings in the sluice's language, fitted to the
//! terminal.

use serde_json::Value;

use crate::common::Sandbox;

/// The report with what changes without the data changing made fixed: the sluss
/// version in the colophon, and the HTML's style sheet and chart drawing (the writers'
/// business, tested with them; the chart's data is in its table).
fn redacted(text: &str) -> String {
    let mut out = text.replace(
        &format!("sluss {}", env!("CARGO_PKG_VERSION")),
        "sluss VERSION",
    );
    for (open, close, stand_in) in [
        ("<style>", "</style>", "<style>…</style>"),
        ("<svg", "</svg>", "<svg>…</svg>"),
    ] {
        let mut from = 0;
        while let Some(start) = out[from..].find(open).map(|i| from + i) {
            let end = out[start..].find(close).expect("closed") + start + close.len();
            out.replace_range(start..end, stand_in);
            from = start + stand_in.len();
        }
    }
    out
}

#[test]
fn the_demo_report_in_each_format_and_language() {
    let sb = Sandbox::demo(1);
    for lang in ["sv", "en"] {
        for format in ["table", "markdown", "html"] {
            let out = sb
                .run(&["maturity", "report", "--lang", lang, "--format", format])
                .success();
            insta::assert_snapshot!(
                format!("demo_report_{lang}_{format}"),
                redacted(&out.stdout)
            );
        }
    }
}

#[test]
fn the_report_speaks_the_language_the_sluice_chose() {
    let sb = Sandbox::demo(1);
    let out = sb
        .cmd(&["maturity", "report", "--format", "html"])
        .env_remove("SLUSS_LANG")
        .run()
        .success();
    assert!(out.stdout.contains("<html lang=\"sv\">"), "{}", out.stdout);
    assert!(out.stdout.contains("innovationsmognad"));
    assert!(
        out.stdout.contains("<td class=\"n\">3,06</td>"),
        "decimal comma"
    );
    let out = sb
        .cmd(&["maturity", "report", "--as-of", "2019-06-30"])
        .env_remove("SLUSS_LANG")
        .run()
        .success();
    assert!(
        out.stdout
            .contains("\n2016–2019, som läget var vid slutet av 30 juni 2019\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("\nPeriod: 2016–2019\nSkapad 30 juni 2020 med sluss "),
        "{}",
        out.stdout
    );
}

/// A repository whose three questions are scored by one unit, which leaves one out.
fn one_assessment() -> Sandbox {
    let sb = Sandbox::with_team();
    let text = sb.read("sluss.toml");
    let cut = text
        .find("\n# Innovation maturity")
        .expect("a [maturity] section");
    sb.write(
        "sluss.toml",
        &format!(
            "{}\n[maturity]\nscale = [1, 5]\n\n[[maturity.questions]]\nkey = \"ledning\"\ntext = \"Ledningen stöttar nya idéer.\"\n\n[[maturity.questions]]\nkey = \"tid\"\ntext = \"Det finns tid för utveckling.\"\n\n[[maturity.questions]]\nkey = \"samverkan\"\ntext = \"Vi samverkar med andra.\"\n",
            &text[..=cut]
        ),
    );
    sb.write(
        "maturity/2019-03-14-skola.toml",
        "date = 2019-03-14\nunit = \"Skola\"\nrespondents = 4\n\n[scores]\nledning = 3\ntid = 2\n",
    );
    sb
}

#[test]
fn questions_are_shown_by_their_text_and_an_unanswered_one_as_a_dash() {
    let sb = one_assessment();
    let md = sb
        .run(&["maturity", "report", "--format", "markdown"])
        .success()
        .stdout;
    // The organisation per question: by text, "–" where no unit answered.
    assert!(md.contains("| No. | Question | 2019 |\n"), "{md}");
    assert!(
        md.contains("| 1 | Ledningen stöttar nya idéer. | 3.00 |\n"),
        "{md}"
    );
    assert!(md.contains("| 3 | Vi samverkar med andra. | – |\n"), "{md}");
    // The assessment: "–" for the question it left out.
    assert!(
        md.contains("| Skola | 2019-03-14 | 2.50 |  | 4 | 3 | 2 | – |\n"),
        "{md}"
    );
    for format in ["table", "markdown", "html"] {
        let out = sb
            .run(&["maturity", "report", "--format", format])
            .success()
            .stdout;
        for key in ["ledning", "samverkan"] {
            assert!(!out.contains(key), "{format} shows the key {key}:\n{out}");
        }
        assert!(out.contains("Det finns tid för utveckling."), "{out}");
    }
    let html = sb
        .run(&["maturity", "report", "--format", "html"])
        .success()
        .stdout;
    assert!(
        html.contains("<th scope=\"row\">Skola</th><td class=\"id\">2019-03-14</td><td class=\"n\">2.50</td><td class=\"n\"></td><td class=\"n\">4</td><td class=\"n\">3</td><td class=\"n\">2</td><td class=\"n\">–</td>"),
        "{html}"
    );
}

/// The report's years as JSON, by year.
fn years(sb: &Sandbox, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["maturity", "report", "--format", "json"];
    args.extend_from_slice(extra);
    sb.run(&args).success().json()["years"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_unit_first_seen_in_2020_does_not_change_2016s_share() {
    let sb = Sandbox::demo(1);
    let before = years(&sb, &[]);
    assert_eq!(before[0]["year"], 2016);
    // In 2016 three units had sent ideas, and no other unit was known yet.
    assert_eq!(before[0]["units_known"], 3);
    assert_eq!(before[0]["units_with_ideas"], 3);
    assert_eq!(before[0]["units_with_ideas_pct"], 100.0);
    assert_eq!(before[0]["ideas_per_unit"], 1.67);
    assert_eq!(before[1]["units_known"], 7);
    assert_eq!(before[4]["units_known"], 9);

    // Räddningstjänsten turns up in 2020: with an idea, and with an assessment.
    sb.run_on(
        "2020-03-02",
        &[
            "new",
            "Larm direkt till mobilen",
            "--submitter",
            "Per Ek",
            "--unit",
            "Räddningstjänsten",
            "--new-unit",
        ],
    )
    .success();
    sb.run(&[
        "maturity",
        "record",
        "--unit",
        "Räddningstjänsten",
        "--date",
        "2020-04-01",
        "--score",
        "ledning=2",
    ])
    .success();
    let after = years(&sb, &[]);
    assert_eq!(
        before[..4],
        after[..4],
        "2016–2019 are as they were before the unit was known"
    );
    assert_eq!(after[4]["units_known"], 10);
    assert_eq!(after[4]["units_with_ideas"], 10);
    assert_eq!(after[4]["units_assessed"], 5);

    // As of the day before the unit was seen, it is not known at all; as of that day, it is.
    let as_of = years(&sb, &["--as-of", "2020-03-01"]);
    assert_eq!(as_of[4]["units_known"], 9);
    let as_of = years(&sb, &["--as-of", "2020-03-02"]);
    assert_eq!(as_of[4]["units_known"], 10);

    // The report says what the denominator is.
    sb.run(&["maturity", "report"]).success().stdout_has(
        "Units known: the units named by a case received, or an assessment made, on or \
         before the last day of the year",
    );
}

#[test]
fn the_listings_speak_the_sluices_language_and_fit_the_terminal() {
    let sb = Sandbox::demo(1);
    let out = sb
        .cmd(&["maturity", "questions"])
        .env_remove("SLUSS_LANG")
        .env("SLUSS_WIDTH", "80")
        .run()
        .success();
    assert!(out.stdout.contains(" Nyckel "), "{}", out.stdout);
    assert!(out.stdout.contains(" testa_litet "), "keys are never cut");
    assert!(out.stdout.ends_with("Skala 1–5 (--score NYCKEL=N)\n"));
    assert!(
        out.stdout
            .contains("Vi samverkar med andra förvaltningar, organisationer och…"),
        "{}",
        out.stdout
    );
    for line in out.stdout.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }

    let out = sb
        .cmd(&["maturity", "list", "--unit", "Socialtjänst"])
        .env_remove("SLUSS_LANG")
        .run()
        .success();
    assert!(out.stdout.contains(" Datum "), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("\n 2019-05-27  Socialtjänst   2,56    9 av 10        27  maturity/2019-05-27-socialtjanst.toml\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.ends_with("\n7 självskattningar\n"),
        "{}",
        out.stdout
    );
    let out = sb
        .run(&["maturity", "list", "--unit", "Kultur och fritid"])
        .success();
    assert!(out.stdout.ends_with("\n3 assessments\n"), "{}", out.stdout);
}
