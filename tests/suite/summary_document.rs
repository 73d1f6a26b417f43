//! `summary` as a document: the demo portfolio's report in every format and both
//! languages, a file that does not depend on the terminal it was written in, hours
//! labelled with their window, totals that say why they are not the sum of their rows,
//! and `[reports] as_of`, the day an archived portfolio's reports describe.

use crate::common::{Outcome, Sandbox};

/// `summary ARGS` on `sb` as a reader runs it: in the sluice's own language unless
/// `ARGS` says `--lang`.
fn summary(sb: &Sandbox, args: &[&str]) -> Outcome {
    let mut all = vec!["summary"];
    all.extend_from_slice(args);
    sb.cmd(&all).env_remove("SLUSS_LANG").run().success()
}

/// A copy of the demo portfolio (its sluss.toml says `language = "sv"` and
/// `[reports] as_of = 2020-06-30`).
fn demo() -> Sandbox {
    Sandbox::demo(1)
}

#[test]
fn the_demo_summary_in_each_format_and_language() {
    let sb = demo();
    for lang in ["sv", "en"] {
        let plain = summary(&sb, &["--lang", lang]).stdout;
        insta::assert_snapshot!(format!("demo_{lang}_table"), plain);
        let fitted = sb
            .cmd(&["summary", "--lang", lang])
            .env("SLUSS_WIDTH", "80")
            .run()
            .success()
            .stdout;
        insta::assert_snapshot!(format!("demo_{lang}_table_80"), fitted);
        let md = summary(&sb, &["--lang", lang, "--format", "markdown"]).stdout;
        insta::assert_snapshot!(format!("demo_{lang}_markdown"), md);
        let html = summary(&sb, &["--lang", lang, "--format", "html"]).stdout;
        insta::assert_snapshot!(format!("demo_{lang}_html"), html);
    }
}

#[test]
fn the_demo_speaks_swedish_with_decimal_commas() {
    let sb = demo();
    let out = summary(&sb, &[]).stdout;
    for needle in [
        "Portföljöversikt – Idésluss Sundsvallsregionen\n",
        "Läget 30 juni 2020",
        "Coachtimmar  604,3  hela tiden, 538 sessioner\n",
        "Avslutade ärenden efter utfall",
        " överlämnad ",
        " införd ",
        "87,6\u{a0}%",
        "Ledtid från inkommen till införd: median 466,3 dagar",
        "Timmar, hela tiden",
        "Definitioner\n",
        "Skapad 30 juni 2020 med sluss ",
    ] {
        assert!(out.contains(needle), "no {needle:?} in\n{out}");
    }
    for english in ["handed_over", "Funnel", "hours", "Closed by outcome"] {
        assert!(!out.contains(english), "{english:?} in\n{out}");
    }
    // Markdown and HTML format their numbers alike.
    let md = summary(&sb, &["--format", "markdown"]).stdout;
    assert!(md.contains("| Prövning | 149 | 87,6\u{a0}% | 8 |"), "{md}");
    let html = summary(&sb, &["--format", "html"]).stdout;
    assert!(html.contains("<html lang=\"sv\">"), "{html}");
    assert!(html.contains(">604,3<"), "{html}");
}

/// `-o FILE` writes what a pipe gets, whatever the terminal's width: before, a
/// 70-column terminal broke the programs' header into "pro/gra/m" in the file.
#[test]
fn a_file_written_with_o_does_not_depend_on_the_terminal() {
    let sb = demo();
    let piped = summary(&sb, &["--by", "program"]).stdout;
    sb.cmd(&["summary", "--by", "program", "-o", "narrow.txt"])
        .env_remove("SLUSS_LANG")
        .env("SLUSS_WIDTH", "70")
        .run()
        .success();
    sb.cmd(&["summary", "--by", "program", "-o", "wide.txt"])
        .env_remove("SLUSS_LANG")
        .env("SLUSS_WIDTH", "200")
        .run()
        .success();
    let narrow = sb.read("narrow.txt");
    assert_eq!(narrow, piped);
    assert_eq!(sb.read("wide.txt"), piped);
    assert!(
        narrow.contains(" Innovationsprogram 2019 "),
        "names are whole in a file:\n{narrow}"
    );
    // On a 70-column terminal the same report is fitted (titles cut with "…").
    let terminal = sb
        .cmd(&["summary", "--by", "program"])
        .env_remove("SLUSS_LANG")
        .env("SLUSS_WIDTH", "70")
        .run()
        .success()
        .stdout;
    assert_ne!(terminal, piped);
    assert!(terminal.contains('…'), "{terminal}");
}

/// On an 80-column terminal every line of the demo's summary fits: the tables of groups
/// leave out their columns per stage ("→ Prövning", …) and say so under the table; a
/// pipe, and so a file, keeps them.
#[test]
fn the_demo_summary_fits_80_columns_leaving_out_the_stages_of_its_groups() {
    let sb = demo();
    for (lang, note) in [
        ("sv", "Kolumnerna per steg (→) är utelämnade"),
        ("en", "The columns per stage (→) are left out"),
    ] {
        for by in [
            None,
            Some("tag"),
            Some("unit"),
            Some("program"),
            Some("coach"),
        ] {
            let mut args = vec!["summary", "--lang", lang];
            if let Some(by) = by {
                args.extend(["--by", by]);
            }
            let fitted = sb
                .cmd(&args)
                .env("SLUSS_WIDTH", "80")
                .run()
                .success()
                .stdout;
            for line in fitted.lines() {
                // Box drawing, "→", "…" and Swedish letters all take one column.
                assert!(
                    line.chars().count() <= 80,
                    "{lang} --by {by:?}: {} columns:\n{line}\n\n{fitted}",
                    line.chars().count()
                );
            }
            // The programs' table is always there, so the note is too (once per table
            // of groups), and it follows the caption of the table it is about.
            let programs = &fitted[fitted
                .find(if lang == "sv" {
                    "Ärenden per program\n"
                } else {
                    "Cases per program\n"
                })
                .expect("the programs' table")..];
            assert!(programs.contains(note), "{lang}:\n{fitted}");
            assert!(!fitted.contains(" → "), "{lang}:\n{fitted}");
            assert_eq!(fitted.matches(note).count(), 1 + usize::from(by.is_some()));
            let piped = summary(&sb, &args[1..]).stdout;
            assert!(piped.contains("→ Prövning"), "{lang}:\n{piped}");
            assert!(!piped.contains(note), "{lang}:\n{piped}");
        }
    }
}

/// Hours say their window in every format, and the all-time hours and their total are
/// in every format, not only the terminal's.
#[test]
fn hours_are_labelled_with_their_window_in_every_format() {
    let sb = demo();
    let args = ["--lang", "en", "--since", "2019-07-01"];
    for format in ["table", "markdown", "html"] {
        let mut all = args.to_vec();
        all.extend(["--format", format]);
        let out = summary(&sb, &all).stdout;
        for needle in [
            "Coaching per coach; the period is July 2019–June 2020",
            "Sessions, period",
            "Hours, period",
            "Hours, all time",
            "All coaching, all time: 538 sessions, 604.3 hours.",
            // Erik's hours in the period, then of all time.
            "83.8",
            "179.8",
            // Their totals.
            "293.8",
            "604.3",
            "Period: July 2019–June 2020",
        ] {
            assert!(out.contains(needle), "{format}: no {needle:?} in\n{out}");
        }
        // No column of hours without its window.
        assert!(!out.contains("| Hours |") && !out.contains("\">Hours</th>"));
    }
    let md = summary(
        &sb,
        &[
            "--lang",
            "en",
            "--format",
            "markdown",
            "--since",
            "2019-07-01",
        ],
    )
    .stdout;
    assert!(
        md.contains("| **Total** | **49** | **258** | **293.8** | **604.3** |"),
        "{md}"
    );
}

/// A total that is not the sum of its rows says why: tags (a case with several counts
/// under each), and hours rounded row by row.
#[test]
fn a_total_that_is_not_the_sum_of_its_rows_says_why() {
    let sb = demo();
    let out = summary(
        &sb,
        &["--lang", "en", "--by", "tag", "--format", "markdown"],
    )
    .stdout;
    assert!(
        out.contains("| **Total** | **170** | **49** | **13** | **108** | **24** |"),
        "{out}"
    );
    assert!(
        out.contains(
            "_A case with several tags counts under each of them, so the total is less than the sum of the rows._"
        ),
        "{out}"
    );
    // 179.8 + 184.8 + 239.8 is 604.4, but the minutes make 604.3 hours.
    assert!(
        out.contains("_Hours are rounded row by row; the total is worked out from all the minutes and can differ from the sum of the rows._"),
        "{out}"
    );
    // By unit every case is in one group: the rows add up, and nothing needs saying.
    let by_unit = summary(
        &sb,
        &["--lang", "en", "--by", "unit", "--format", "markdown"],
    )
    .stdout;
    let section =
        &by_unit[by_unit.find("## By unit").unwrap()..by_unit.find("## Programs").unwrap()];
    assert!(section.contains("| **Total** | **170** |"), "{section}");
    assert!(!section.contains("several tags"), "{section}");
}

#[test]
fn every_report_ends_with_its_definitions_and_colophon() {
    let sb = demo();
    let version = env!("CARGO_PKG_VERSION");
    for format in ["table", "markdown", "html"] {
        let out = summary(&sb, &["--lang", "en", "--format", format]).stdout;
        let definitions = out.find("Definitions").expect("definitions");
        for term in [
            "Stale case",
            "Conversion",
            "Lead time",
            "Hours",
            "Throughput",
        ] {
            assert!(out[definitions..].contains(term), "{format}: no {term}");
        }
        assert!(
            out[definitions..].contains("more than 60 days"),
            "{format}: the stale rule"
        );
        let made = format!("Made 30 June 2020 by sluss {version}");
        assert!(out[definitions..].contains(&made), "{format}:\n{out}");
        assert!(
            out[definitions..].contains("Period: 3 September 2016–30 June 2020"),
            "{format}"
        );
    }
}

/// The funnel is a bar chart and throughput lines, each with its table.
#[test]
fn the_html_has_the_funnel_and_throughput_as_charts_with_their_tables() {
    let sb = demo();
    let html = summary(
        &sb,
        &["--lang", "en", "--format", "html", "--since", "2019-07-01"],
    )
    .stdout;
    let funnel = html.find("<figcaption>Cases that reached each stage</figcaption>");
    let throughput =
        html.find("<figcaption>Throughput per quarter, July 2019–June 2020</figcaption>");
    assert!(funnel.is_some() && throughput.is_some(), "{html}");
    let after = &html[funnel.unwrap()..];
    let figure = &after[..after.find("</figure>").unwrap()];
    assert!(figure.contains("<svg"), "{figure}");
    assert!(
        figure.contains("<caption>Cases per stage</caption>"),
        "{figure}"
    );
    let after = &html[throughput.unwrap()..];
    let figure = &after[..after.find("</figure>").unwrap()];
    assert!(figure.contains("<svg"), "{figure}");
    assert!(
        figure.contains("<th scope=\"row\">Q2 2020</th><td class=\"n\">12</td><td class=\"n\">55</td><td class=\"n\">15</td><td class=\"n\">4</td>"),
        "{figure}"
    );
}

// ---------------------------------------------------------------------------------------
// `[reports] as_of`: the day an archived portfolio's reports describe.

/// A sluice with a case on 2020-01-10 moved on 2020-05-02, and one on 2020-06-01.
fn archived() -> Sandbox {
    let sb = Sandbox::with_team();
    let first = sb.new_case_on("2020-01-10", "Matsedel", &["--coach", "erik"]);
    sb.run_on("2020-05-02", &["advance", &first]).success();
    sb.new_case_on("2020-06-01", "Cykelpool", &[]);
    let settings = sb.read("sluss.toml");
    sb.write(
        "sluss.toml",
        &format!("{settings}\n[reports]\nas_of = 2020-03-31\n"),
    );
    sb
}

#[test]
fn the_report_day_of_the_settings_is_honoured_shown_and_overridden() {
    let sb = archived();
    let json = sb.run(&["summary", "--format", "json"]).success().json();
    assert_eq!(json["as_of"], "2020-03-31");
    assert_eq!(json["as_of_from"], "settings");
    assert_eq!(json["replayed"], true);
    // The second case did not exist, and the first had not moved on.
    assert_eq!(json["total"], 1);
    assert_eq!(json["stages"][0]["open"], 1);
    assert_eq!(json["flow"]["until"], "2020-03-31");

    let text = sb.run(&["summary"]).success().stdout;
    assert!(
        text.contains(
            "As of 31 March 2020: the report day set in sluss.toml ([reports] as_of), not today\n"
        ),
        "{text}"
    );
    let md = sb
        .run(&["summary", "--format", "markdown"])
        .success()
        .stdout;
    assert!(
        md.contains("_As of 31 March 2020: the report day set in sluss.toml"),
        "{md}"
    );

    // --as-of says otherwise.
    let json = sb
        .run(&["summary", "--format", "json", "--as-of", "2020-06-30"])
        .success()
        .json();
    assert_eq!(json["as_of"], "2020-06-30");
    assert_eq!(json["as_of_from"], "option");
    assert_eq!(json["total"], 2);
    let text = sb
        .run(&["summary", "--as-of", "2020-06-30"])
        .success()
        .stdout;
    assert!(
        text.contains("As of 30 June 2020, replayed from the cases' history\n"),
        "{text}"
    );
    // A --since after the setting's day is a window running backwards.
    sb.run(&["summary", "--since", "2020-04-01"])
        .failure(2)
        .stderr_has("--as-of 2020-03-31 is before --since 2020-04-01");
}

#[test]
fn the_other_reports_describe_the_day_of_the_settings_too() {
    let sb = archived();
    let digest = sb
        .run(&["digest", "--since", "2020-01-01", "--format", "json"])
        .success()
        .json();
    assert_eq!(digest["until"], "2020-03-31", "{digest}");
    let network = sb
        .run(&["network", "report", "--format", "json"])
        .success()
        .json();
    assert_eq!(network["as_of"], "2020-03-31", "{network}");
    let program = sb
        .run(&["program", "show", "ip2018", "--format", "json"])
        .success()
        .json();
    assert_eq!(program["as_of"], "2020-03-31", "{program}");
}

#[test]
fn check_validates_the_report_day() {
    let sb = archived();
    sb.run(&["check"]).success();
    let settings = sb.read("sluss.toml");
    sb.write(
        "sluss.toml",
        &settings.replace("as_of = 2020-03-31", "as_of = \"last spring\""),
    );
    let out = sb.run(&["check"]).failure(1);
    assert!(out.stdout.contains("sluss.toml:"), "{}", out.stdout);
    sb.write(
        "sluss.toml",
        &settings.replace(
            "as_of = 2020-03-31",
            "as_of = 2020-03-31\nuntil = 2020-04-01",
        ),
    );
    sb.run(&["check"])
        .failure(1)
        .stdout_has("unknown field `until`");
    sb.write("sluss.toml", &settings);
}

/// The README's first command, `summary` on the demo, shows the portfolio as its users
/// saw it in June 2020, not every open case thousands of days stale.
#[test]
fn the_demo_describes_the_day_it_ended() {
    let sb = demo();
    let out = sb
        .cmd(&["summary", "--format", "json"])
        .env("SLUSS_NOW", "2026-12-03T10:00:00+01:00")
        .run()
        .success()
        .json();
    assert_eq!(out["as_of"], "2020-06-30");
    assert_eq!(out["as_of_from"], "settings");
    assert_eq!(out["stale"], 11);
    let text = sb
        .cmd(&["summary"])
        .env_remove("SLUSS_LANG")
        .env("SLUSS_NOW", "2026-12-03T10:00:00+01:00")
        .run()
        .success()
        .stdout;
    assert!(
        text.contains("Läget 30 juni 2020: rapportdagen som sluss.toml anger"),
        "{text}"
    );
    assert!(text.contains("Skapad 3 december 2026 med sluss"), "{text}");
}

/// A region's repositories describe the day they agree on; when they do not, the report
/// is of today and says why on stderr.
#[test]
fn a_region_uses_the_report_day_its_repositories_agree_on() {
    let a = archived();
    let b = archived();
    let (ra, rb) = (a.root(), b.root());
    let region = [
        "--repo",
        ra.to_str().unwrap(),
        "--repo",
        rb.to_str().unwrap(),
    ];
    let mut args = vec!["summary", "--format", "json"];
    args.extend(region);
    let agreed = a.run(&args).success();
    assert_eq!(agreed.stderr, "");
    let json = agreed.json();
    assert_eq!(json["as_of"], "2020-03-31");
    assert_eq!(json["as_of_from"], "settings");
    assert_eq!(json["total"], 2);

    let settings = b.read("sluss.toml");
    b.write(
        "sluss.toml",
        &settings.replace("as_of = 2020-03-31", "as_of = 2020-06-30"),
    );
    let disagreed = a.run(&args).success();
    assert!(
        disagreed
            .stderr
            .contains("the repositories do not agree on [reports] as_of"),
        "{}",
        disagreed.stderr
    );
    let json = disagreed.json();
    assert_eq!(json["as_of"], "2020-06-30");
    assert_eq!(json["as_of_from"], "today");
    assert_eq!(json["total"], 4);
    // --as-of settles it.
    args.extend(["--as-of", "2020-03-31"]);
    let chosen = a.run(&args).success();
    assert_eq!(chosen.stderr, "");
    assert_eq!(chosen.json()["as_of_from"], "option");
}

#[test]
fn the_lead_time_of_one_case_is_said_in_the_singular() {
    let sb = Sandbox::new();
    let id = sb.new_case("Matsedel", &[]);
    sb.run(&["close", &id, "--outcome", "implemented"])
        .success();
    sb.run(&["summary"])
        .success()
        .stdout_has("Lead time from received to implemented: 0.0 days (1 case).");
    sb.cmd(&["summary"])
        .env_remove("SLUSS_LANG")
        .run()
        .success()
        .stdout_has("Ledtid från inkommen till införd: 0,0 dagar (1 ärende).");
}

#[test]
fn a_region_whose_repositories_choose_different_languages_says_which_it_speaks() {
    let a = Sandbox::new();
    let b = Sandbox::new();
    a.new_case("Matsedel", &[]);
    b.new_case("Skolskjuts", &[]);
    let settings = b.read("sluss.toml");
    assert!(settings.contains("language = \"sv\""), "{settings}");
    b.write(
        "sluss.toml",
        &settings.replace("language = \"sv\"", "language = \"en\""),
    );
    let (ra, rb) = (a.root(), b.root());
    let region = [
        "--repo",
        ra.to_str().unwrap(),
        "--repo",
        rb.to_str().unwrap(),
    ];
    let mut args = vec!["summary"];
    args.extend(region);
    let out = a.cmd(&args).env_remove("SLUSS_LANG").run().success();
    assert!(out.stdout.contains("Portföljöversikt"), "{}", out.stdout);
    assert!(
        out.stderr
            .contains("choose different languages in sluss.toml")
            && out.stderr.contains("give --lang to choose"),
        "{}",
        out.stderr
    );
    // --lang decides for all: nothing to warn about.
    args.extend(["--lang", "en"]);
    let chosen = a.cmd(&args).env_remove("SLUSS_LANG").run().success();
    assert_eq!(chosen.stderr, "");
    assert!(
        chosen.stdout.contains("Portfolio summary"),
        "{}",
        chosen.stdout
    );
}
