//! `sluss board` (the open cases as a kanban board, fitted to the terminal, with WIP
//! limits) and colour (`--color`, `NO_COLOR`, `CLICOLOR_FORCE`; stale and over-WIP on
//! the board, stale rows in `list`, problems in `check`, message prefixes on stderr).

use crate::common::Sandbox;

const ESC: &str = "\u{1b}[";

/// The demo with WIP limits on two stages: Testa (9 open on the demo's last day) over
/// its limit of 8, Verifiera (4 open) within 5.
fn demo_with_wip() -> Sandbox {
    let sb = Sandbox::demo(1);
    let text = sb
        .read("sluss.toml")
        .replacen("name = \"Testa\"", "name = \"Testa\"\nwip = 8", 1)
        .replacen("name = \"Verifiera\"", "name = \"Verifiera\"\nwip = 5", 1);
    sb.write("sluss.toml", &text);
    sb
}

fn board(sb: &Sandbox, width: &str, args: &[&str]) -> crate::common::Outcome {
    let mut all = vec!["board"];
    all.extend_from_slice(args);
    sb.cmd(&all).env("SLUSS_WIDTH", width).run()
}

#[test]
fn the_demo_board_fits_80_columns_with_all_seven_stages() {
    let sb = Sandbox::demo(1);
    let out = board(&sb, "80", &[]).success();
    for line in out.stdout.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 80,
            "{line:?} is wider than 80 columns:\n{}",
            out.stdout
        );
    }
    let header = out.stdout.lines().next().unwrap();
    for stage in [
        "Inkommen",
        "Prövning",
        "Utforska",
        "Utveckla",
        "Testa",
        "Verifiera",
        "Införa",
    ] {
        assert!(header.contains(stage), "{header:?} lacks {stage}");
    }
    // Short ids (four characters tell the demo's cases apart), idle days to the demo's
    // last day ([reports] as_of), titles cut with "…".
    assert!(out.stdout.contains("81e6  454d"), "{}", out.stdout);
    assert!(out.stdout.contains('…'));
    assert!(!out.stdout.contains("81e68hjeq9n2"));
    assert!(out.stdout.contains("Open cases: 49, as of 2020-06-30"));
    insta::assert_snapshot!(out.stdout);
    // Piped, as into a file, the board is laid out for 80 columns.
    let piped = sb.run(&["board"]).success();
    assert_eq!(piped.stdout, out.stdout);
}

#[test]
fn a_pipe_too_narrow_for_the_board_gets_it_at_natural_widths() {
    let sb = Sandbox::demo(1);
    // Nine more stages, each holding one of the cases now in Testa: fifteen columns
    // do not fit 80 even at their narrowest (Testa, emptied, folds). (Without [reports] as_of, each case
    // stands in the stage its file records.)
    let json = sb
        .run(&["board", "--format", "json", "--stage", "testa"])
        .success();
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let ids: Vec<String> = v["stages"][0]["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    let mut settings = sb
        .read("sluss.toml")
        .replace("[reports]\nas_of = 2020-06-30\n", "");
    for (n, id) in ids.iter().take(9).enumerate() {
        settings.push_str(&format!(
            "\n[[stages]]\nkey = \"extra{n}\"\nname = \"Extra {n}\"\n"
        ));
        let text = sb.case_text(id);
        sb.write_case(
            id,
            &text.replacen("stage = \"testa\"", &format!("stage = \"extra{n}\""), 1),
        );
    }
    sb.write("sluss.toml", &settings);
    board(&sb, "80", &[])
        .failure(2)
        .stderr_has("the board's 15 columns need");
    let piped = sb.run(&["board"]).success();
    let header = piped.stdout.lines().next().unwrap();
    assert!(header.contains("Extra 8 1"), "{header:?}");
    assert!(header.chars().count() > 80);
}

#[test]
fn wip_limits_show_beside_the_count_and_an_exceeded_one_is_marked_without_colour() {
    let sb = demo_with_wip();
    let out = board(&sb, "120", &[]).success();
    let header = out.stdout.lines().next().unwrap();
    assert!(header.contains("Testa 9/8 !"), "{header:?}");
    assert!(header.contains("Verifiera 4/5"), "{header:?}");
    assert!(!header.contains("4/5 !"), "{header:?}");
    assert!(!out.stdout.contains(ESC), "NO_COLOR: no colour");

    let json = sb.run(&["board", "--format", "json"]).success();
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let testa = &v["stages"][4];
    assert_eq!(testa["key"], "testa");
    assert_eq!(testa["count"], 9);
    assert_eq!(testa["wip"], 8);
    assert_eq!(testa["over"], true);
    assert_eq!(v["stages"][5]["over"], false);
    assert_eq!(testa["cards"][0]["age"], "stale");
    assert_eq!(testa["cards"][0]["short_id"], "81e6");
    assert_eq!(v["as_of"], "2020-06-30");
}

#[test]
fn a_wip_limit_of_zero_is_refused_with_the_file_named() {
    let sb = Sandbox::demo(1);
    let settings = sb.read("sluss.toml");
    let text = settings.replacen("name = \"Testa\"", "name = \"Testa\"\nwip = 0", 1);
    sb.write("sluss.toml", &text);
    board(&sb, "80", &[])
        .failure(2)
        .stderr_has("sluss.toml")
        .stderr_has("stage 'testa' has wip = 0");
    sb.run(&["check"])
        .fails()
        .stdout_has("stage 'testa' has wip = 0");
    sb.write("sluss.toml", &settings);
}

#[test]
fn stages_with_nothing_open_fold_into_a_line_below() {
    let sb = Sandbox::demo(1);
    let out = board(&sb, "80", &["--coach", "Maria Nyström"]).success();
    let header = out.stdout.lines().next().unwrap();
    assert!(!header.contains("Inkommen"), "{header:?}");
    assert!(
        out.stdout.contains("Nothing open in: Inkommen"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_board_too_wide_for_the_terminal_says_how_to_narrow_it() {
    let sb = Sandbox::demo(1);
    let out = board(&sb, "30", &[]).failure(2);
    assert!(out.stdout.is_empty());
    let out = out
        .stderr_has("the board's 7 columns need")
        .hint_has("--stage");
    assert!(out.stderr.contains("--coach"));
    // Narrowed as it says, it fits.
    let out = board(&sb, "30", &["--stage", "testa,verifiera"]).success();
    assert!(out.stdout.lines().next().unwrap().starts_with("Testa 9"));
    assert!(out.stdout.lines().all(|l| l.chars().count() <= 30));
}

#[test]
fn filters_take_keys_or_names_and_unknown_ones_get_did_you_mean() {
    let sb = Sandbox::demo(1);
    let by_name = board(&sb, "100", &["--coach", "sara holm", "--stage", "Prövning"]).success();
    let by_key = board(&sb, "100", &["--coach", "sara", "--stage", "provning"]).success();
    assert_eq!(by_name.stdout, by_key.stdout);
    assert!(
        by_key.stdout.contains("Open cases: 3,"),
        "{}",
        by_key.stdout
    );

    board(&sb, "100", &["--coach", "sar"])
        .failure(2)
        .hint_has("did you mean 'sara'");
    board(&sb, "100", &["--stage", "testaa"])
        .failure(2)
        .hint_has("did you mean 'testa'");
    board(&sb, "100", &["--program", "ip202"])
        .failure(2)
        .hint_has("did you mean");
    board(&sb, "100", &["--unit", "vard och omsorg"]).success();
    board(&sb, "100", &["--unit", "vård"])
        .failure(2)
        .hint_has("did you mean 'Vård och omsorg'");
    let program = board(&sb, "100", &["--program", "Innovationsprogram 2020"]).success();
    assert!(program.stdout.contains("Open cases:"));
}

#[test]
fn parked_cases_join_the_board_with_a_flag() {
    let sb = Sandbox::demo(1);
    let open = sb
        .run(&["board", "--format", "json", "--coach", "maria"])
        .success();
    let with_parked = sb
        .run(&["board", "--format", "json", "--coach", "maria", "--parked"])
        .success();
    assert!(!open.stdout.contains("\"parked\","));
    assert!(with_parked.stdout.contains("\"status\": \"parked\""));
    assert!(!open.stdout.contains("\"status\": \"parked\""));
}

#[test]
fn as_of_counts_idle_days_to_that_day_and_places_cases_where_they_stood() {
    let sb = Sandbox::demo(1);
    let now = sb.run(&["board", "--format", "json"]).success();
    let earlier = sb
        .run(&["board", "--format", "json", "--as-of", "2020-03-31"])
        .success();
    let v: serde_json::Value = serde_json::from_str(&earlier.stdout).unwrap();
    assert_eq!(v["as_of"], "2020-03-31");
    assert_ne!(now.stdout, earlier.stdout);
}

#[test]
fn the_board_in_markdown_and_html_speaks_the_sluices_language() {
    let sb = demo_with_wip();
    let md = sb
        .cmd(&["board", "--format", "markdown"])
        .env_remove("SLUSS_LANG")
        .run()
        .success();
    assert!(md.stdout.contains("# Tavla"), "{}", md.stdout);
    assert!(md.stdout.contains("Testa 9/8 (över WIP-gränsen)"));
    let html = sb.run(&["board", "--format", "html"]).success();
    assert!(html.stdout.contains("over the WIP limit"));
}

// Colour.

#[test]
fn color_always_paints_stale_cards_and_the_stage_over_its_limit() {
    let sb = demo_with_wip();
    let out = board(&sb, "120", &["--color", "always"]).success();
    assert!(out.stdout.contains(ESC), "{}", out.stdout);
    // Stale: red; over the WIP limit: bold red.
    assert!(out.stdout.contains("\u{1b}[31m81e6"), "{}", out.stdout);
    assert!(out.stdout.contains("\u{1b}[1m\u{1b}[31mTesta 9/8 !"));
    // The layout is that of the plain text: the same once the sequences are gone.
    let plain = board(&sb, "120", &["--color", "never"]).success();
    assert_eq!(strip(&out.stdout), plain.stdout);
}

#[test]
fn a_pipe_gets_no_colour_by_default_and_no_color_wins_over_auto() {
    let sb = Sandbox::demo(1);
    // Auto into a pipe: none.
    let out = sb
        .cmd(&["board"])
        .env_remove("NO_COLOR")
        .env("SLUSS_WIDTH", "80")
        .run()
        .success();
    assert!(!out.stdout.contains(ESC));
    // CLICOLOR_FORCE asks for it, NO_COLOR (not empty) wins over it.
    let forced = sb
        .cmd(&["board"])
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .run()
        .success();
    assert!(forced.stdout.contains(ESC));
    let both = sb
        .cmd(&["board"])
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .run()
        .success();
    assert!(!both.stdout.contains(ESC));
    // An empty NO_COLOR is one that is not set.
    let empty = sb
        .cmd(&["board"])
        .env("NO_COLOR", "")
        .env("CLICOLOR_FORCE", "1")
        .run()
        .success();
    assert!(empty.stdout.contains(ESC));
}

#[test]
fn a_file_written_with_o_is_never_coloured() {
    let sb = Sandbox::demo(1);
    sb.run(&["board", "--color", "always", "-o", "board.txt"])
        .success();
    let text = sb.read("board.txt");
    assert!(text.contains("Testa"));
    assert!(!text.contains(ESC));
    sb.run(&["list", "--color", "always", "-o", "list.txt"])
        .success();
    assert!(!sb.read("list.txt").contains(ESC));
}

#[test]
fn list_paints_stale_rows() {
    let sb = Sandbox::demo(1);
    let out = sb.run(&["list", "--stale", "--color", "always"]).success();
    let row = out
        .stdout
        .lines()
        .find(|l| l.contains("se5025j7q1wv"))
        .unwrap();
    assert!(row.starts_with("\u{1b}[31m"), "{row:?}");
    let plain = sb.run(&["list", "--stale"]).success();
    assert_eq!(strip(&out.stdout), plain.stdout);
}

#[test]
fn error_warning_hint_and_refused_are_painted_on_stderr_when_asked() {
    let sb = Sandbox::demo(1);
    let out = sb
        .run(&["advance", "se50", "--to", "nope", "--color", "always"])
        .failure(2);
    assert!(
        out.stderr.starts_with("\u{1b}[1m\u{1b}[31merror:\u{1b}[0m"),
        "{:?}",
        out.stderr
    );
    assert!(out.stderr.contains("\u{1b}[36mhint:\u{1b}[0m"));
    // A refusal: "error: refused:" painted whole.
    let closed = sb
        .run(&["advance", "ev9d", "--to", "testa", "--color", "always"])
        .failure(1);
    assert!(
        closed.stderr.contains("\u{1b}[31merror: refused:\u{1b}[0m"),
        "{:?}",
        closed.stderr
    );
    // NO_COLOR (the harness sets it) and auto: plain.
    let plain = sb.run(&["advance", "se50", "--to", "nope"]).failure(2);
    assert!(plain.stderr.starts_with("error: "));
    assert!(!plain.stderr.contains(ESC));
}

#[test]
fn check_paints_its_problems() {
    let sb = Sandbox::demo(1);
    let text = sb.case_text("se5025j7q1wv");
    sb.write_case(
        "se5025j7q1wv",
        &text.replacen("stage = ", "stage = \"nope\"\nx = ", 1),
    );
    let out = sb.run(&["check", "--color", "always"]).failure(1);
    assert!(
        out.stdout.contains("\u{1b}[31merror:\u{1b}[0m"),
        "{}",
        out.stdout
    );
    let plain = sb.run(&["check"]).failure(1);
    assert!(!plain.stdout.contains(ESC));
    assert_eq!(strip(&out.stdout), plain.stdout);
}

/// The text without its SGR escape sequences.
fn strip(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find(ESC) {
        out.push_str(&rest[..at]);
        let after = &rest[at + ESC.len()..];
        let end = after.find('m').expect("an SGR sequence ends in m");
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn a_published_board_names_nobody_who_has_not_agreed_to_be_named() {
    let sb = Sandbox::with_team();
    sb.run(&[
        "new",
        "Cykelpool",
        "--submitter",
        "Jonas Åström",
        "--unit",
        "Skola",
    ])
    .success();
    sb.new_case("Lånecyklar enligt Jonas Åström", &[]);
    let md = sb
        .cmd(&["board", "--format", "markdown"])
        .env_remove("SLUSS_LANG")
        .run()
        .success()
        .stdout;
    assert!(md.contains("Lånecyklar enligt \\[borttaget\\]"), "{md}");
    assert!(!md.contains("Åström"), "{md}");
    let html = sb.run(&["board", "--format", "html"]).success().stdout;
    assert!(html.contains("Lånecyklar enligt [removed]"), "{html}");
    // At the terminal (not published) the title is as written.
    let table = sb.run(&["board"]).success().stdout;
    assert!(table.contains("Jonas Åström"), "{table}");
}

#[test]
fn the_board_in_swedish_markdown() {
    let sb = demo_with_wip();
    let md = sb
        .cmd(&[
            "board",
            "--format",
            "markdown",
            "--stage",
            "testa,verifiera",
        ])
        .env_remove("SLUSS_LANG")
        .run()
        .success()
        .stdout;
    insta::assert_snapshot!(md);
}

fn assert_fits(text: &str, width: usize) {
    for line in text.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= width,
            "{line:?} is wider than {width} columns:\n{text}"
        );
    }
}

#[test]
fn an_old_portfolio_fits_80_columns_with_idle_years_written_short() {
    let sb = Sandbox::demo(1);
    // Without [reports] as_of, idle days count to the day it is: years after the demo.
    let text = sb
        .read("sluss.toml")
        .replace("[reports]\nas_of = 2020-06-30\n", "");
    sb.write("sluss.toml", &text);
    let out = sb
        .cmd(&["board"])
        .env("SLUSS_WIDTH", "80")
        .env("SLUSS_NOW", "2026-12-03T10:00:00+01:00")
        .run()
        .success();
    assert_fits(&out.stdout, 80);
    assert!(out.stdout.contains("81e6    7y"), "{}", out.stdout);
    assert!(!out.stdout.contains("000d"), "{}", out.stdout);
    let sv = sb
        .cmd(&["board", "--lang", "sv"])
        .env("SLUSS_WIDTH", "80")
        .env("SLUSS_NOW", "2026-12-03T10:00:00+01:00")
        .run()
        .success();
    assert_fits(&sv.stdout, 80);
    assert!(sv.stdout.contains("81e6    7å"), "{}", sv.stdout);
    // On the demo's last day the board fits 80 columns with its days written out; at
    // 70 a case idle 1062 days shows as 2 years.
    let demo = board(&Sandbox::demo(1), "80", &[]).success();
    assert!(demo.stdout.contains("se50 1062d"), "{}", demo.stdout);
    let demo = board(&Sandbox::demo(1), "70", &[]).success();
    assert_fits(&demo.stdout, 70);
    assert!(demo.stdout.contains("se50  2y"), "{}", demo.stdout);
}

#[test]
fn a_narrow_terminal_gets_the_board_without_idle_days_before_it_is_refused() {
    let sb = Sandbox::demo(1);
    for width in [70, 60, 50, 40] {
        let out = board(&sb, &width.to_string(), &[]).success();
        assert_fits(&out.stdout, width);
        let header = out.stdout.lines().next().unwrap();
        assert!(header.starts_with("Ink"), "{header:?}");
        assert!(out.stdout.contains("81e6"), "{}", out.stdout);
    }
    let sixty = board(&sb, "60", &[]).success();
    assert!(sixty.stdout.contains("\nn7e5 "), "{}", sixty.stdout);
}

#[test]
fn a_terminal_that_reports_no_width_gets_the_board_for_80_columns() {
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: no /usr/bin/script to run sluss at a terminal");
        return;
    }
    let sb = Sandbox::demo(1);
    for command in ["board", "agenda", "list"] {
        let out = std::process::Command::new("/usr/bin/script")
            .args([
                "-qec",
                &format!("stty cols 0 rows 0; '{}' {command}", crate::common::bin()),
                "/dev/null",
            ])
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", sb.home())
            .env("SLUSS_NOW", "2020-06-30T10:00:00+02:00")
            .env("SLUSS_USER", "erik")
            .env("SLUSS_LANG", "en")
            .env("NO_COLOR", "1")
            .current_dir(sb.root())
            .stdin(std::process::Stdio::null())
            .output()
            .expect("script runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{command}: {stdout}");
        assert!(!stdout.contains("error"), "{command}: {stdout}");
        if command == "board" {
            assert!(stdout.contains("Open cases: 49"), "{stdout}");
            assert_fits(&stdout.replace('\r', ""), 80);
        }
    }
}

#[test]
fn the_board_at_the_terminal_speaks_the_language_asked_for() {
    let sb = Sandbox::demo(1);
    let out = board(&sb, "80", &["--lang", "sv"]).success();
    assert!(
        out.stdout.contains("Öppna ärenden: 49, per 2020-06-30"),
        "{}",
        out.stdout
    );
    let folded = board(&sb, "80", &["--lang", "sv", "--coach", "maria"]).success();
    assert!(
        folded.stdout.contains("Inget öppet i:"),
        "{}",
        folded.stdout
    );
    // Without --lang, as the agenda, English.
    let en = sb
        .cmd(&["board"])
        .env_remove("SLUSS_LANG")
        .env("SLUSS_WIDTH", "80")
        .run()
        .success();
    assert!(en.stdout.contains("Open cases: 49"), "{}", en.stdout);
}

#[test]
fn wip_limits_count_the_stages_open_cases_whatever_the_filters() {
    let sb = demo_with_wip();
    let text =
        sb.read("sluss.toml")
            .replacen("name = \"Utforska\"", "name = \"Utforska\"\nwip = 12", 1);
    sb.write("sluss.toml", &text);
    // Parked cases join the board but not the count against the limit: Utforska holds
    // 12 open cases, its limit.
    let parked = board(&sb, "80", &["--parked"]).success();
    let counts = parked.stdout.lines().nth(1).unwrap();
    assert!(counts.contains("(12/12)"), "{}", parked.stdout);
    assert!(!counts.contains("12 !"), "{}", parked.stdout);
    // Parked cards are marked without colour.
    assert!(parked.stdout.contains(" ‖"), "{}", parked.stdout);
    // Erik's two cases in Testa: the stage is still over its limit.
    let erik = board(&sb, "80", &["--coach", "erik"]).success();
    assert!(erik.stdout.contains("2 (9/8) !"), "{}", erik.stdout);
    let json = sb
        .run(&[
            "board", "--format", "json", "--coach", "erik", "--stage", "testa",
        ])
        .success()
        .json();
    let testa = &json["stages"][0];
    assert_eq!(testa["count"], 2);
    assert_eq!(testa["open"], 9);
    assert_eq!(testa["over"], true);
    let json = sb
        .run(&[
            "board", "--format", "json", "--parked", "--stage", "utforska",
        ])
        .success()
        .json();
    assert_eq!(json["stages"][0]["open"], 12);
    assert_eq!(json["stages"][0]["over"], false);
}

#[test]
fn parked_cards_say_parked_in_markdown_and_html() {
    let sb = Sandbox::demo(1);
    let md = sb
        .cmd(&["board", "--parked", "--format", "markdown"])
        .env_remove("SLUSS_LANG")
        .run()
        .success()
        .stdout;
    assert!(md.contains("| bh94 | Utomhuspedagogik året runt |"), "{md}");
    assert!(md.contains(" | parkerad |"), "{md}");
    let html = sb
        .run(&["board", "--parked", "--format", "html"])
        .success()
        .stdout;
    assert!(html.contains("parked"), "{html}");
    let open_only = sb.run(&["board", "--format", "html"]).success().stdout;
    assert!(!open_only.contains("parked"), "{open_only}");
}

#[test]
fn an_output_file_of_no_known_kind_gets_a_hint_naming_only_the_boards_formats() {
    let sb = Sandbox::demo(1);
    let out = sb
        .run(&["board", "-o", "x.ics"])
        .failure(2)
        .stderr_has("cannot tell the format from the name x.ics")
        .hint_has("end it in .html, .md, .json or .txt, or add --format");
    assert!(!out.stderr.contains(".csv"), "{}", out.stderr);
    assert!(!sb.path("x.ics").exists());
    // A command that writes CSV still offers it.
    sb.run(&["list", "-o", "x.ics"]).failure(2).hint_has(".csv");
}
