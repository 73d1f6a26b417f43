//! `program show` and `network report` (and the program and network listings) as
//! documents: snapshots of the demo portfolio in each format and language, the sluice's
//! language by default, hours labelled with their window, totals that say why they are
//! not sums, the terminal width (never used for `-o FILE`), and `--as-of`.

use crate::common::Sandbox;

/// The command's output with the version of sluss taken out, so that a release does not
/// change the snapshots.
fn stable(text: &str) -> String {
    text.replace(
        &format!("sluss {}", env!("CARGO_PKG_VERSION")),
        "sluss [version]",
    )
}

/// HTML with the writer's style sheet and chart drawings left out: the snapshots are of
/// this report's document, not of the HTML writer (tested with the writers).
fn without_style_and_drawings(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<style>").or_else(|| rest.find("<svg")) {
        let (open, close) = if rest[start..].starts_with("<style>") {
            ("<style>", "</style>")
        } else {
            ("<svg", "</svg>")
        };
        out.push_str(&rest[..start]);
        let end = rest[start..].find(close).expect("closed") + start + close.len();
        out.push_str(&format!("{open}…{close}"));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `args` on the demo portfolio in `lang` (piped: nothing is fitted to a terminal).
fn demo_in(sb: &Sandbox, lang: &str, args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["--lang", lang]);
    stable(&sb.run(&all).success().stdout)
}

#[test]
fn program_show_of_the_demo_in_every_document_format_and_language() {
    let sb = Sandbox::demo(1);
    for lang in ["sv", "en"] {
        for format in ["table", "markdown", "html"] {
            let text = demo_in(
                &sb,
                lang,
                &["program", "show", "ip2020", "--format", format],
            );
            let text = without_style_and_drawings(&text);
            insta::assert_snapshot!(format!("program_show_{lang}_{format}"), text);
        }
    }
}

#[test]
fn network_report_of_the_demo_in_every_document_format_and_language() {
    let sb = Sandbox::demo(1);
    for lang in ["sv", "en"] {
        for format in ["table", "markdown", "html"] {
            let text = demo_in(&sb, lang, &["network", "report", "--format", format]);
            let text = without_style_and_drawings(&text);
            insta::assert_snapshot!(format!("network_report_{lang}_{format}"), text);
        }
    }
}

#[test]
fn program_show_has_html_in_the_sluices_language() {
    let sb = Sandbox::demo(1);
    // The demo says language = "sv": with no --lang and no SLUSS_LANG, Swedish.
    let html = sb
        .cmd(&["program", "show", "ip2020", "--format", "html"])
        .env_remove("SLUSS_LANG")
        .run()
        .success()
        .stdout;
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"sv\">"),
        "{html}"
    );
    for swedish in [
        "<h1>Innovationsprogram 2020 (ip2020)</h1>",
        "Programperiod: 15 januari–15 juni 2020",
        "Coachningstimmar",
        "75,5",
        "avslutad (införd)",
        "Hur långt ärendena har kommit",
        // The demo describes 30 June 2020 ([reports] as_of), so its hours are those up to then.
        "Programmets ärenden, längst komna först; timmar: till och med 30 juni 2020",
        "Definitioner",
    ] {
        assert!(html.contains(swedish), "no {swedish} in\n{html}");
    }
    for english in ["Coaching hours", "implemented", "handed_over", "75.5"] {
        assert!(!html.contains(english), "{english} in\n{html}");
    }
    // -o picks HTML from the extension, as for every report.
    sb.run(&["program", "show", "ip2020", "-o", "ip2020.html"])
        .success()
        .stderr_has("Wrote ip2020.html");
    assert!(sb.read("ip2020.html").contains("<html lang=\"en\">"));
}

#[test]
fn hours_name_their_window_and_a_rounded_total_says_why() {
    let sb = Sandbox::demo(1);
    // The demo describes 30 June 2020 ([reports] as_of): its hours are those up to that
    // day, and say so. (Hours of all time, with no day set, are in programs.rs.)
    let now = sb.run(&["program", "show", "ip2020", "--format", "markdown"]);
    let md = now.success().stdout;
    assert!(
        md.contains("- **75.5** Coaching hours (up to 30 June 2020)\n"),
        "{md}"
    );
    assert!(
        md.contains("**The program's cases, furthest stage first; hours: up to 30 June 2020**"),
        "{md}"
    );
    // The rows' rounded hours add up to 75.4, the total of all minutes to 75.5.
    assert!(
        md.contains("| **Total** |  |  |  |  | **75.5** |\n"),
        "{md}"
    );
    assert!(
        md.contains("_Each case's hours are rounded; the total is rounded from all the minutes, so it differs from the sum of the rows._"),
        "{md}"
    );
    // As of a day, the hours are those up to that day, and every format says so.
    let args = ["program", "show", "ip2020", "--as-of", "2020-03-31"];
    for format in ["table", "markdown", "html"] {
        let mut all = args.to_vec();
        all.extend(["--format", format]);
        let text = sb.run(&all).success().stdout;
        for label in [
            "as it stood on 31 March 2020",
            "hours: up to 31 March 2020",
            "(up to 31 March 2020)",
        ] {
            assert!(text.contains(label), "{format}: no {label} in\n{text}");
        }
        assert!(!text.contains("all time"), "{format}:\n{text}");
    }
}

#[test]
fn the_network_says_why_its_totals_are_not_sums_of_rows() {
    let sb = Sandbox::demo(1);
    let text = sb
        .run(&["network", "report", "--lang", "sv"])
        .success()
        .stdout;
    assert!(
        text.contains(" Alla                     87        90       3         39       59\nEtt ärende med partner av flera slag räknas en gång för varje slag"),
        "{text}"
    );
    assert!(
        text.contains("Ett ärende med flera partner räknas en gång för var och en av dem"),
        "{text}"
    );
    let doc = sb
        .run(&[
            "network",
            "report",
            "--as-of",
            "2019-12-31",
            "--format",
            "markdown",
        ])
        .success()
        .stdout;
    assert!(
        doc.starts_with(
            "# Partner network – Idésluss Sundsvallsregionen\n\n_As it stood on 31 December 2019_\n"
        ),
        "{doc}"
    );
    assert!(
        doc.contains("Period: January 2017–December 2019  \n"),
        "{doc}"
    );
    assert!(
        doc.contains("| October–December 2019 | 12 | 0 | 70 |"),
        "{doc}"
    );
    assert!(!doc.contains("2020 |"), "no period after the day:\n{doc}");
}

#[test]
fn the_network_chart_is_a_stacked_chart_with_its_table() {
    let sb = Sandbox::demo(1);
    let html = sb
        .run(&[
            "network", "report", "--period", "year", "--format", "html", "--lang", "sv",
        ])
        .success()
        .stdout;
    let figure = &html[html.find("<figure>").expect("a figure")..];
    let figure = &figure[..figure.find("</figure>").expect("its end")];
    assert!(
        figure.contains("<figcaption>Medlemmar vid varje periods slut, efter slag</figcaption>"),
        "{figure}"
    );
    assert!(figure.contains("<svg"), "{figure}");
    // The chart's table: a row per year, its size by kind.
    assert!(
        figure.contains("<caption>Medlemmar som gått med och lämnat"),
        "{figure}"
    );
    assert!(figure.contains(">2019</th>"), "{figure}");
    assert!(figure.contains(">januari–juni 2020</th>"), "{figure}");
    assert!(figure.contains(">civilsamhälle</th>"), "{figure}");
    // One chart, drawn by the document writer: the old hand-drawn one is gone.
    assert_eq!(html.matches("<svg").count(), 1, "{html}");
    assert!(!html.contains("Network size"), "{html}");
}

#[test]
fn a_file_never_depends_on_the_terminal_and_ids_are_never_split() {
    let sb = Sandbox::demo(1);
    for args in [
        &["program", "show", "ip2020"][..],
        &["network", "report"],
        &["network", "list"],
    ] {
        let piped = sb.run(args).success().stdout;
        let mut with_file = args.to_vec();
        with_file.extend(["-o", "out.txt"]);
        sb.cmd(&with_file).env("SLUSS_WIDTH", "60").run().success();
        assert_eq!(sb.read("out.txt"), piped, "{args:?}");
    }
    // In an 80-column terminal titles are cut with "…"; ids stay whole.
    let narrow = sb
        .cmd(&["program", "show", "ip2020"])
        .env("SLUSS_WIDTH", "80")
        .run()
        .success()
        .stdout;
    let json = sb
        .run(&["program", "show", "ip2020", "--format", "json"])
        .success()
        .json();
    for case in json["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        assert!(
            narrow.lines().any(|l| l.starts_with(&format!(" {id}  "))),
            "{id} split or missing:\n{narrow}"
        );
    }
    assert!(narrow.contains(" Chatt med socialsekr… "), "{narrow}");
    assert!(!narrow.contains("Chatt med socialsekreterare"), "{narrow}");
    let wide = sb.run(&["program", "show", "ip2020"]).success().stdout;
    assert!(wide.contains("Chatt med socialsekreterare för unga för fler enheter"));
}

#[test]
fn program_and_network_listings_offer_every_format_in_the_sluices_language() {
    let sb = Sandbox::demo(1);
    let swedish = |args: &[&str]| sb.cmd(args).env_remove("SLUSS_LANG").run().success().stdout;
    let list = swedish(&["program", "list"]);
    assert!(
        list.starts_with("Program\n\nInnovationsprogrammen i sluss.toml\n Nyckel  Namn "),
        "{list}"
    );
    assert!(list.contains(" ip2020  Innovationsprogram 2020  2020-01-15  2020-06-15\n"));
    assert_eq!(
        swedish(&["program", "list", "--format", "csv"])
            .lines()
            .nth(3),
        Some("ip2020,Innovationsprogram 2020,2020-01-15,2020-06-15")
    );
    let members = swedish(&["network", "list", "--format", "markdown"]);
    assert!(
        members.starts_with("# Partnernätverkets medlemmar\n"),
        "{members}"
    );
    assert!(members.contains("| alno-sensor | Alnö Sensor AB | företag | 2019-05-20 |"));
    assert!(members.ends_with("Medlemmar: 90.\n"), "{members}");
    let member = swedish(&["network", "show", "alno-sensor", "--format", "html"]);
    assert!(member.contains("<html lang=\"sv\">"), "{member}");
    assert!(
        member.contains("Ärenden där den är partner (1)"),
        "{member}"
    );
    assert!(member.contains("<td>öppen</td>"), "{member}");
    assert_eq!(
        swedish(&["network", "show", "alno-sensor", "--format", "csv"]),
        "member,id,title,stage,status,outcome,coach\n\
         alno-sensor,kwdehq3aq11v,Riskbaserad tillsyn,testa,open,,sara\n"
    );
}

#[test]
fn program_show_csv_has_a_row_per_case() {
    let sb = Sandbox::demo(1);
    let csv = sb
        .run(&["program", "show", "ip2020", "--format", "csv"])
        .success()
        .stdout;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "program,id,title,in_program,stage,status,outcome,coach,sessions,minutes"
    );
    assert_eq!(lines.len(), 1 + 17, "{csv}");
    assert!(
        lines.contains(&"ip2020,kc0mcafd8kcz,Chatt med socialsekreterare för unga för fler enheter,true,infora,closed,implemented,erik,5,315"),
        "{csv}"
    );
}

#[test]
fn public_program_show_names_no_one_without_consent_in_any_format() {
    let sb = Sandbox::demo(1);
    // Internal, the demo's program names Ali Svensson (no consent) and the coaches.
    let internal = sb
        .run(&["program", "show", "ip2020", "--format", "html"])
        .success()
        .stdout;
    assert!(internal.contains("Ali Svensson") && internal.contains("Erik Lind"));
    for format in ["table", "markdown", "html", "csv", "json"] {
        let text = sb
            .run(&["program", "show", "ip2020", "--public", "--format", format])
            .success()
            .stdout;
        for secret in ["Ali Svensson", "Karl Ahmadi", "@sundsvall.example"] {
            assert!(!text.contains(secret), "{format}: {secret} in\n{text}");
        }
    }
}
