//! Listings through the document writers: `list` fitted to the terminal (ids whole, one
//! line a case), never fitted when piped or written to a file; every command's
//! `--format` offering exactly what it accepts; and CSV in Excel's Swedish dialect.

use sluss::document::text::display_width;

use crate::common::Sandbox;

/// The demo's case ids, as `list --format json` gives them.
fn ids(sb: &Sandbox) -> Vec<String> {
    let out = sb.run(&["list", "--all", "--format", "json"]).success();
    let cases: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    cases
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// `list --all` as a terminal `width` columns wide shows it.
fn list_at(sb: &Sandbox, width: usize) -> String {
    sb.cmd(&["list", "--all"])
        .env("SLUSS_WIDTH", width.to_string())
        .run()
        .success()
        .stdout
}

#[track_caller]
fn assert_fits(text: &str, width: usize) {
    for line in text.lines() {
        assert!(
            display_width(line) <= width,
            "a line of {} columns at width {width}: {line:?}\n{text}",
            display_width(line)
        );
    }
}

#[test]
fn list_at_80_columns_shows_one_line_per_case_with_ids_whole() {
    let sb = Sandbox::demo(1);
    let ids = ids(&sb);
    let text = list_at(&sb, 80);
    assert_fits(&text, 80);
    for id in &ids {
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| l.split_whitespace().next() == Some(id.as_str()))
            .collect();
        assert_eq!(lines.len(), 1, "case {id} on one line of its own:\n{text}");
    }
    // Rows are the cases, the header and its rule, the title and the count.
    let rows = text
        .lines()
        .filter(|l| ids.iter().any(|id| l.split_whitespace().next() == Some(id)))
        .count();
    assert_eq!(rows, ids.len());
    // What the table keeps at 80 columns: the status, and titles cut with "…".
    assert!(text.contains("status"), "{text}");
    assert!(text.contains('…'), "long titles are cut:\n{text}");
}

#[test]
fn list_at_40_columns_fits_and_keeps_ids_whole() {
    let sb = Sandbox::demo(1);
    let ids = ids(&sb);
    let text = list_at(&sb, 40);
    assert_fits(&text, 40);
    for id in &ids {
        assert!(
            text.lines()
                .any(|l| l.split_whitespace().next() == Some(id.as_str())),
            "{id} whole at the start of its line:\n{text}"
        );
    }
}

#[test]
fn piped_list_is_not_fitted() {
    let sb = Sandbox::demo(1);
    let text = sb.run(&["list", "--all"]).success().stdout;
    // The demo's longest titles, whole.
    assert!(
        text.contains("Sommarjobbare som digitala guider – pilot i Njurunda"),
        "{text}"
    );
    assert!(!text.contains('…'), "nothing is cut when piped:\n{text}");
    assert!(text.lines().any(|l| display_width(l) > 120), "{text}");
}

#[test]
fn list_to_a_file_is_the_same_whatever_the_terminal() {
    let sb = Sandbox::demo(1);
    let mut files = Vec::new();
    for width in [None, Some("40"), Some("80"), Some("200")] {
        let name = format!("list-{}.txt", width.unwrap_or("none"));
        let mut cmd = sb.cmd(&["list", "-o", &name]);
        if let Some(w) = width {
            cmd = cmd.env("SLUSS_WIDTH", w);
        }
        cmd.run().success().stderr_has("Wrote");
        files.push(sb.read(&name));
    }
    assert!(files.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(files[0], sb.run(&["list"]).success().stdout);
}

#[test]
fn list_and_show_in_markdown_and_html_speak_the_sluices_language() {
    let sb = Sandbox::demo(1);
    let md = sb
        .cmd(&["list", "--all", "--format", "markdown"])
        .env_remove("SLUSS_LANG")
        .run()
        .success()
        .stdout;
    assert!(md.starts_with("# Ärenden\n"), "{md}");
    assert!(md.contains("| id | titel | steg | status |"), "{md}");
    assert!(md.contains("avslutad (införd)"), "{md}");
    let html = sb
        .run(&["show", "ttfx", "--format", "html", "--lang", "sv"])
        .success()
        .stdout;
    assert!(html.contains("<html lang=\"sv\""), "{html}");
    assert!(html.contains("Historik"), "{html}");
    // The submitter has not agreed to be named: published output leaves them out.
    assert!(!html.contains("Hassan Jonsson"), "{html}");
    // The terminal speaks English, and names the submitter to the coaches.
    sb.cmd(&["show", "ttfx"])
        .env_remove("SLUSS_LANG")
        .run()
        .success()
        .stdout_has("closed (implemented)")
        .stdout_has("Hassan Jonsson");
}

// --- --format offers exactly what each command accepts ----------------------------

const FORMATS: [(&str, &str); 5] = [
    ("table", "txt"),
    ("json", "json"),
    ("csv", "csv"),
    ("markdown", "md"),
    ("html", "html"),
];

/// The arguments a command needs to run on the demo, besides its format.
fn needs(path: &str) -> Option<&'static [&'static str]> {
    Some(match path {
        "new" => &[
            "A test idea",
            "--submitter",
            "Anna Berg",
            "--unit",
            "Kultur",
        ],
        "show" | "log" => &["ttfx"],
        "step list" => &["44dp"],
        "digest" => &["--since", "2019-01-01"],
        "program show" => &["ip2018"],
        "network show" => &["alno-miljoteknik"],
        "maturity record" => &["--unit", "Test", "--score", "ledning=3"],
        _ => return None,
    })
}

/// Every (sub)command with a `--format` of sluss's formats, by its path
/// ("network report"), with the formats its `--help` offers and whether it takes `-o`.
fn commands_with_formats() -> Vec<(String, Vec<String>, bool, bool)> {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<(String, Vec<String>, bool, bool)>) {
        for sub in cmd.get_subcommands() {
            let p = format!("{path} {}", sub.get_name()).trim().to_string();
            walk(sub, &p, out);
        }
        let Some(format) = cmd.get_arguments().find(|a| a.get_id() == "format") else {
            return;
        };
        let offered: Vec<String> = format
            .get_possible_values()
            .iter()
            .map(|v| v.get_name().to_string())
            .collect();
        if !offered
            .iter()
            .all(|v| FORMATS.iter().any(|(name, _)| name == v))
        {
            return; // `check` has formats of its own (text, JSON, GitHub annotations).
        }
        let has_output = cmd.get_arguments().any(|a| a.get_id() == "output");
        let needs_args = cmd
            .get_arguments()
            .any(|a| a.is_required_set() && a.get_id() != "format");
        out.push((path.to_string(), offered, has_output, needs_args));
    }
    let mut out = Vec::new();
    walk(&sluss::cli::Cli::command(), "", &mut out);
    out
}

#[test]
fn every_command_offers_exactly_the_formats_it_accepts() {
    let sb = Sandbox::demo(1);
    let commands = commands_with_formats();
    assert!(commands.len() >= 15, "{commands:?}");
    let mut wrong = Vec::new();
    for (path, offered, has_output, needs_args) in &commands {
        let extra: &[&str] = match needs(path) {
            Some(extra) => extra,
            None if *needs_args => panic!("say in `needs` what `{path}` needs to run"),
            None => &[],
        };
        for (format, ext) in FORMATS {
            let mut args: Vec<&str> = path.split(' ').collect();
            args.extend_from_slice(extra);
            let is_offered = offered.iter().any(|o| o == format);
            let out = sb.run(&[&args[..], &["--format", format]].concat());
            let refused = out.stderr.contains(&format!("has no {format} output"))
                || out.stderr.contains("invalid value");
            if is_offered && refused {
                wrong.push(format!(
                    "`{path}` offers {format} but refuses it: {}",
                    out.stderr
                ));
            }
            let clap_refused = out.code == 2 && refused;
            if !is_offered && !clap_refused {
                wrong.push(format!("`{path}` does not offer {format} but took it"));
            }
            if !is_offered && *has_output {
                let file = format!("out.{ext}");
                let out = sb.run(&[&args[..], &["-o", &file]].concat());
                if !(out.code == 2 && out.stderr.contains(&format!("has no {format} output"))) {
                    wrong.push(format!(
                        "`{path} -o {file}` took {format}, which --help does not offer"
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn help_lists_only_the_offered_formats() {
    let sb = Sandbox::demo(1);
    let help = sb.run(&["show", "--help"]).success().stdout;
    assert!(help.contains("markdown"), "{help}");
    assert!(!help.contains("- csv"), "show has no CSV:\n{help}");
    let help = sb.run(&["export", "--help"]).success().stdout;
    assert!(help.contains("--csv-dialect"), "{help}");
    assert!(!help.contains("- table"), "export has no table:\n{help}");
    let help = sb.run(&["digest", "--help"]).success().stdout;
    assert!(!help.contains("--csv-dialect"), "{help}");
}

// --- CSV for Swedish Excel ----------------------------------------------------------

/// A case of the demo with a title holding a semicolon, and its id.
fn with_semicolon(sb: &Sandbox) -> String {
    let id = "ttfxyd03f29n";
    let text = sb.case_text(id).replace(
        "Digital introduktion för nyanställda",
        "Introduktion; digital",
    );
    sb.write_case(id, &text);
    id.to_string()
}

fn bytes(sb: &Sandbox, args: &[&str]) -> Vec<u8> {
    let out = sb.cmd(args).output();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn list_csv_for_excel_has_a_bom_semicolons_and_decimal_commas() {
    let sb = Sandbox::demo(1);
    let id = with_semicolon(&sb);
    let out = bytes(
        &sb,
        &["list", "--all", "--format", "csv", "--csv-dialect", "excel"],
    );
    assert_eq!(&out[..3], b"\xEF\xBB\xBF", "a UTF-8 byte-order mark first");
    let text = String::from_utf8(out[3..].to_vec()).unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.starts_with("id;title;created;stage;"), "{header}");
    assert!(!header.contains(','), "{header}");
    let row = text.lines().find(|l| l.starts_with(&id)).unwrap();
    // 525 minutes are 8.8 hours, with a decimal comma; the ; in the title is quoted.
    assert!(row.ends_with(";8,8"), "{row}");
    assert!(row.contains(";\"Introduktion; digital\";"), "{row}");
    assert!(!row.contains("8.8"), "{row}");
}

#[test]
fn the_default_csv_stays_rfc_4180() {
    let sb = Sandbox::demo(1);
    let id = with_semicolon(&sb);
    let out = bytes(&sb, &["list", "--all", "--format", "csv"]);
    assert!(out.starts_with(b"id,title,created,"), "no byte-order mark");
    let text = String::from_utf8(out).unwrap();
    let row = text.lines().find(|l| l.starts_with(&id)).unwrap();
    assert!(row.ends_with(",8.8"), "{row}");
    assert!(row.contains(",Introduktion; digital,"), "{row}");
}

#[test]
fn the_setting_applies_and_the_flag_overrides_it() {
    let sb = Sandbox::demo(1);
    let settings = sb.read("sluss.toml");
    sb.write(
        "sluss.toml",
        &format!("{settings}\n[csv]\ndialect = \"excel\"\n"),
    );
    sb.run(&["check"]).success();
    let out = bytes(&sb, &["list", "--format", "csv"]);
    assert!(
        out.starts_with(b"\xEF\xBB\xBFid;title;"),
        "the setting applies"
    );
    let out = bytes(
        &sb,
        &["list", "--format", "csv", "--csv-dialect", "standard"],
    );
    assert!(out.starts_with(b"id,title,"), "the flag overrides it");
    // Every CSV: a file written with -o, the export, the summary, the network list.
    sb.run(&["list", "-o", "cases.csv"]).success();
    assert!(
        std::fs::read(sb.path("cases.csv"))
            .unwrap()
            .starts_with(b"\xEF\xBB\xBFid;")
    );
    let out = bytes(&sb, &["export", "--format", "csv"]);
    assert!(out.starts_with(b"\xEF\xBB\xBF"));
    let out = bytes(&sb, &["summary", "--format", "csv"]);
    assert!(out.starts_with(b"\xEF\xBB\xBFsection;group;key;metric;value"));
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.lines()
            .any(|l| l.rsplit(';').next().unwrap().contains(',')),
        "some figure has a decimal comma:\n{text}"
    );
    let out = bytes(&sb, &["network", "list", "--format", "csv"]);
    assert!(out.starts_with(b"\xEF\xBB\xBFkey;"));
    let out = bytes(&sb, &["coach", "list", "--format", "csv"]);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "\u{feff}key;name;active\nerik;Erik Lind;true\nsara;Sara Holm;true\nmaria;Maria Nyström;true\n"
    );
}

#[test]
fn a_csv_dialect_that_does_not_exist_is_a_usage_error() {
    let sb = Sandbox::demo(1);
    sb.run(&["list", "--format", "csv", "--csv-dialect", "libreoffice"])
        .failure(2)
        .stderr_has("excel");
    let settings = sb.read("sluss.toml");
    sb.write(
        "sluss.toml",
        &format!("{settings}\n[csv]\ndialect = \"semicolon\"\n"),
    );
    sb.run(&["list"])
        .failure(2)
        .stderr_has("sluss.toml:")
        .stderr_has("expected `standard` or `excel`");
    sb.write("sluss.toml", &settings);
}

#[test]
fn list_at_80_columns_on_the_demo() {
    let sb = Sandbox::demo(1);
    let out = sb
        .cmd(&["list", "--stage", "testa", "--status", "open"])
        .env("SLUSS_WIDTH", "80")
        .run()
        .success();
    insta::assert_snapshot!(out.stdout, @"
    Cases

     id            title                             stage  status  coach  idle days
    ────────────────────────────────────────────────────────────────────────────────
     81e68hjeq9n2  Måltidsvänner för ensamma äldre   Testa  open    sara         454
     ty5smz036pj2  Gemensam planering med skolan…    Testa  open    erik          85
     bqv3c0210h1s  Gemensam bilpool för hemtjänsten  Testa  open    maria         15
     kwdehq3aq11v  Riskbaserad tillsyn               Testa  open    sara           1
     fxhjjr9w53h7  E-signering av avtal              Testa  open    sara           6
     6tkxnrf1pd2j  Förenklad orosanmälan för…        Testa  open    maria         20
     ksa516ece7dt  Digital tillsyn nattetid i…       Testa  open    sara           1
     qnfcr1ffkv8r  Chatt med socialsekreterare för…  Testa  open    sara           1
     ydy79x07snv3  Rörelsepauser i klassrummet i…    Testa  open    erik           8

    9 case(s)
    ");
}

#[test]
fn coach_list_in_swedish_markdown_names_only_who_agreed() {
    let sb = Sandbox::demo(1);
    let md = sb
        .run(&["coach", "list", "--format", "markdown", "--lang", "sv"])
        .success()
        .stdout;
    insta::assert_snapshot!(md, @r"
        # Coacher

        | nyckel | namn |
        | --- | --- |
        | erik | – |
        | sara | – |
        | maria | – |
    ");
}

#[test]
fn published_log_names_nobody_who_has_not_agreed() {
    let sb = Sandbox::demo(1);
    let id = "ttfxyd03f29n";
    let text = sb.case_text(id).replace(
        "Budget för drift säkrad",
        "Budget säkrad, Hassan Jonsson informerad",
    );
    assert!(text.contains("Hassan Jonsson informerad"));
    sb.write_case(id, &text);
    for format in ["markdown", "html"] {
        let out = sb.run(&["log", id, "--format", format]).success().stdout;
        assert!(!out.contains("Hassan"), "{format}:\n{out}");
        assert!(out.contains("Budget säkrad"), "{format}:\n{out}");
    }
    sb.run(&["log", id])
        .success()
        .stdout_has("Hassan Jonsson informerad");
}
