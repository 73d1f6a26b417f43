//! Text from users never reaches a terminal raw: escape sequences, OSC 8 links, the bell,
//! carriage returns and bidirectional overrides in any field are shown as text
//! (`\u{1b}`), a line break in a one-line field as `⏎`, in every command's output, on
//! stderr, and in CSV; JSON keeps the exact values as JSON escapes.

use crate::common::Sandbox;

/// Colour, an OSC 8 link ended by BEL, a carriage return that would overwrite the line,
/// a line break, C1's CSI, a right-to-left override and DEL.
const EVIL: &str =
    "A\u{1b}[31mred\u{1b}]8;;http://x\u{7}link\u{1b}]8;;\u{7}\rover\nnext\u{9b}2J\u{202e}rtl\u{7f}";

/// A character a terminal would act on (line feed and tab aside, which text may hold).
fn is_raw_control(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}'
            | '\u{b}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

#[track_caller]
fn assert_harmless(what: &str, text: &str) {
    if let Some((at, c)) = text.char_indices().find(|(_, c)| is_raw_control(*c)) {
        let from = text[..at]
            .char_indices()
            .rev()
            .nth(40)
            .map_or(0, |(i, _)| i);
        panic!(
            "{what}: a raw {c:?} reaches the terminal, after {:?}\n--- whole text\n{text:?}",
            &text[from..at]
        );
    }
}

/// A repository where every field a person types holds [`EVIL`]: a coach's name, a
/// partner organisation, a case's title, unit, tags, need, idea, notes of a stage move
/// and of a session, its kind and next step (written into the file: `--next-step`
/// refuses it). Returns the sandbox and the case's id.
fn hostile() -> (Sandbox, String) {
    let sb = Sandbox::with_team();
    // `coach add` refuses such a name, and `new` such a tag: they are written by hand,
    // as a file edited elsewhere may hold them.
    sb.run(&["coach", "add", "evil", "--name", "Evil Placeholder"])
        .success();
    let evil = toml::Value::String(EVIL.into()).to_string();
    let settings = sb.read("sluss.toml").replace("\"Evil Placeholder\"", &evil);
    sb.write("sluss.toml", &settings);
    sb.run(&[
        "network",
        "add",
        "evilorg",
        "--organisation",
        EVIL,
        "--kind",
        "company",
        "--joined",
        "2018-01-01",
    ])
    .success();
    let new = sb.run_on(
        "2018-02-01",
        &[
            "new",
            EVIL,
            "--submitter",
            EVIL,
            "--unit",
            EVIL,
            "--need",
            EVIL,
            "--idea",
            EVIL,
            "--tag",
            "eviltag",
            "--format",
            "json",
        ],
    );
    let id = new.success().json()["id"].as_str().unwrap().to_string();
    let text = sb.case_text(&id).replace("\"eviltag\"", &evil);
    sb.write_case(&id, &text);
    for (day, args) in [
        ("2018-02-02", vec!["assign", &id, "evil"]),
        ("2018-02-03", vec!["program", "join", &id, "ip2018"]),
        ("2018-02-04", vec!["partner", "add", &id, "evilorg"]),
        (
            "2018-02-05",
            vec![
                "session",
                &id,
                "--minutes",
                "30",
                "--coach",
                "evil",
                "--kind",
                EVIL,
                "--notes",
                EVIL,
                "--next-step",
                "EVIL STEP",
            ],
        ),
        (
            "2018-02-06",
            vec!["advance", &id, "--note", EVIL, "--by", EVIL],
        ),
    ] {
        sb.run_on(day, &args).success();
    }
    // `--next-step` refuses control characters; a hand-edited file can hold them.
    let text = sb.case_text(&id);
    let evil = toml::Value::String(EVIL.to_string()).to_string();
    sb.write_case(&id, &text.replacen("\"EVIL STEP\"", &evil, 1));
    (sb, id)
}

#[test]
fn user_text_is_shown_harmlessly_by_every_command() {
    let (sb, id) = hostile();
    let commands: Vec<Vec<&str>> = vec![
        vec!["list"],
        vec!["list", "--format", "csv"],
        vec!["list", "--format", "json"],
        vec!["show", &id],
        vec!["show", &id, "--format", "json"],
        vec!["log", &id],
        vec!["log", &id, "--format", "json"],
        vec!["summary"],
        vec!["summary", "--by", "coach"],
        vec!["summary", "--by", "tag", "--format", "csv"],
        vec!["summary", "--by", "unit", "--format", "markdown"],
        vec!["summary", "--by", "unit", "--format", "html"],
        vec!["summary", "--by", "unit", "--format", "json"],
        vec!["check"],
        vec!["check", "--format", "json"],
        vec!["digest", "--since", "2018-01-01"],
        vec!["digest", "--since", "2018-01-01", "--format", "markdown"],
        vec!["export", "--format", "csv"],
        vec!["export", "--format", "json"],
        vec!["coach", "list"],
        vec!["program", "show", "ip2018"],
        vec!["network", "list"],
        vec!["network", "show", "evilorg"],
        vec!["network", "report"],
        vec!["network", "report", "--format", "csv"],
    ];
    for args in &commands {
        let out = sb.run(args);
        assert!(out.code <= 1, "{} failed: {}", out.line, out.stderr);
        assert_harmless(&format!("stdout of `{}`", out.line), &out.stdout);
        assert_harmless(&format!("stderr of `{}`", out.line), &out.stderr);
    }
    // A one-line field stays on its line: the title's line break shows as ⏎.
    let list = sb.run(&["list"]).success();
    let row = list
        .stdout
        .lines()
        .find(|l| l.contains(&id))
        .expect("the case is listed");
    assert!(row.contains("A\\u{1b}[31mred"), "{row}");
    assert!(
        row.contains("evil"),
        "the row goes on past the title: {row}"
    );
    let show = sb.run(&["show", &id]).success();
    assert!(
        show.stdout.lines().next().unwrap().contains("over⏎next"),
        "{}",
        show.stdout
    );
    // In `log`, a session's note and its next step share the session's line, and a
    // line break inside either shows as ⏎.
    let log = sb.run(&["log", &id]).success();
    let lines: Vec<&str> = log.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("session 30 min"))
        .expect("the session is logged");
    assert!(lines[at].contains("over⏎next"), "{}", log.stdout);
    assert!(
        lines[at].contains(" · next: A\\u{1b}[31mred"),
        "{}",
        log.stdout
    );
    // JSON keeps the exact values.
    let json = sb.run(&["show", &id, "--format", "json"]).success().json();
    assert_eq!(json["title"], EVIL);
    assert_eq!(json["unit"], EVIL);
}

#[test]
fn a_broken_file_is_quoted_harmlessly_with_the_caret_in_place() {
    let (mut sb, id) = hostile();
    sb.allow_broken_cases();
    sb.write(
        "cases/b4d.toml",
        "id = \"b4d\"\ntitle = \"x\"\n\u{1b}[2J\u{1b}]8;;http://x\u{7}\t= \u{9b}31m\n",
    );
    sb.write(&format!("cases/b4e\u{1b}[2J{}.toml", "\u{7}"), "junk = \n");
    for args in [
        vec!["show", "b4d"],
        vec!["list"],
        vec!["summary"],
        vec!["check"],
        vec!["check", "--format", "json"],
        vec!["digest", "--since", "2018-01-01"],
        vec!["export", "--format", "csv"],
        vec!["show", &id],
    ] {
        let out = sb.run(&args);
        assert_harmless(&format!("stdout of `{}`", out.line), &out.stdout);
        assert_harmless(&format!("stderr of `{}`", out.line), &out.stderr);
    }
    let out = sb.run(&["show", "b4d"]).failure(2);
    let quoted: Vec<&str> = out.stderr.lines().filter(|l| l.contains(" | ")).collect();
    let (source, caret) = (quoted[0], quoted[1]);
    assert!(source.contains("\\u{1b}[2J"), "{}", out.stderr);
    assert_eq!(
        source.char_indices().count(),
        source.chars().count(),
        "one column a character"
    );
    let caret_at = caret.chars().position(|c| c == '^').expect("a caret");
    assert!(caret_at < source.chars().count(), "{}", out.stderr);
}

#[test]
fn truncation_never_cuts_an_escape_in_half() {
    let sb = Sandbox::with_team();
    // A title whose ESC falls at the list's cut (48 characters).
    let title = format!("{}\u{1b}[31m{}", "x".repeat(45), "y".repeat(10));
    let id = sb.new_case(&title, &[]);
    // Piped, the title is whole; at a terminal, it is cut after the escape is shown.
    let list = sb.run(&["list"]).success();
    assert_harmless("list", &list.stdout);
    let row = list.stdout.lines().find(|l| l.contains(&id)).unwrap();
    assert!(
        row.contains(&format!(
            "{}\\u{{1b}}[31m{}",
            "x".repeat(45),
            "y".repeat(10)
        )),
        "{row}"
    );
    for width in ["60", "64", "66", "70"] {
        let list = sb.cmd(&["list"]).env("SLUSS_WIDTH", width).run().success();
        assert_harmless("list", &list.stdout);
        let row = list.stdout.lines().find(|l| l.contains(&id)).unwrap();
        assert!(row.contains("…"), "{row}");
    }
}

/// A report written to a file (`-o`) neutralises control characters too: a CSV opened
/// in a terminal or a spreadsheet, a Markdown or HTML page, shows them as text.
#[test]
fn reports_written_to_files_hold_no_raw_control_characters() {
    let (sb, _) = hostile();
    for (args, file) in [
        (vec!["export", "--format", "csv", "-o"], "export.csv"),
        (vec!["summary", "--by", "unit", "-o"], "summary.csv"),
        (vec!["summary", "--by", "tag", "-o"], "summary.md"),
        (vec!["summary", "--by", "coach", "-o"], "summary.html"),
        (vec!["network", "report", "-o"], "network.csv"),
        (vec!["digest", "--since", "2018-01-01", "-o"], "digest.md"),
        (vec!["digest", "--since", "2018-01-01", "-o"], "digest.html"),
    ] {
        let mut args = args.clone();
        args.push(file);
        sb.run(&args).success();
        assert_harmless(file, &sb.read(file));
    }
}
