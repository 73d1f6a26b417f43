//! Published listings (`show`, `log`, `list` in Markdown or HTML) and the digest's
//! template keep names out as all other published output does, and a wider terminal
//! never gives a listing less room for its titles.

use crate::common::Sandbox;

#[test]
fn published_listings_name_nobody_whom_another_case_names_without_consent() {
    let sb = Sandbox::with_team();
    // Jonas Åström submitted an idea and has not agreed to be named; a colleague's
    // case names him in its title, a session's notes and its result.
    sb.run(&[
        "new",
        "Cykelpool",
        "--submitter",
        "Jonas Åström",
        "--unit",
        "Skola",
    ])
    .success();
    let id = sb.new_case("Lånecyklar enligt Jonas Åström", &["--coach", "sara"]);
    sb.run(&[
        "session",
        &id,
        "--minutes",
        "30",
        "--notes",
        "Samtal med Jonas Åström",
    ])
    .success();
    sb.run(&["result", &id, "Jonas Åström ledde införandet"])
        .success();
    for format in ["markdown", "html"] {
        for args in [
            vec!["show", id.as_str(), "--format", format],
            vec!["log", id.as_str(), "--format", format],
            vec!["list", "--format", format],
        ] {
            let out = sb.run(&args).success().stdout;
            assert!(
                !out.contains("Jonas") && !out.contains("Åström"),
                "`sluss {}` names him:\n{out}",
                args.join(" ")
            );
        }
    }
    // The terminal is the team's own view: it names him.
    let list = sb.run(&["list"]).success().stdout;
    assert!(list.contains("Lånecyklar enligt Jonas Åström"), "{list}");
}

#[test]
fn forget_erases_a_name_from_the_digests_template_and_check_sees_it_come_back() {
    let sb = Sandbox::with_team();
    let mut settings = sb.read("sluss.toml");
    settings.push_str("\n[digest]\ntemplate = \"brev.txt\"\n");
    sb.write("sluss.toml", &settings);
    sb.write(
        "brev.txt",
        "Hej från Greta Lund!\n{news}\nHälsningar, Greta Lund\n",
    );
    sb.new_case("Matsedel", &[]);
    let before = sb
        .run(&["digest", "--since", "2020-01-01"])
        .success()
        .stdout;
    assert!(before.contains("Greta Lund"), "{before}");
    sb.run(&["forget", "Greta Lund"])
        .success()
        .stdout_has("brev.txt");
    let template = sb.read("brev.txt");
    assert!(!template.contains("Greta"), "{template}");
    assert!(template.contains("{news}"), "{template}");
    let after = sb
        .run(&["digest", "--since", "2020-01-01"])
        .success()
        .stdout;
    assert!(!after.contains("Greta"), "{after}");
    // An old copy of the template brings the name back: check names the place.
    sb.write("brev.txt", "Hej!\n{news}\nHälsningar, Greta Lund\n");
    let out = sb.run(&["check"]).failure(1);
    let text = format!("{}{}", out.stdout, out.stderr);
    assert!(text.contains("brev.txt:3:"), "{text}");
    assert!(text.contains("forgotten person's name"), "{text}");
    assert!(!text.contains("Greta"), "check repeats the name:\n{text}");
}

#[test]
fn a_terminal_of_80_columns_or_more_gives_the_titles_of_a_list_room() {
    let sb = Sandbox::demo(1);
    let title = "Chatt med socialsekreterare för unga – pilot i Stöde";
    for width in (80..=160).step_by(5) {
        let out = sb
            .cmd(&["list", "--stage", "testa"])
            .env("SLUSS_WIDTH", width.to_string())
            .run()
            .success()
            .stdout;
        let line = out
            .lines()
            .find(|l| l.starts_with(" qnfcr1ffkv8r"))
            .unwrap_or_else(|| panic!("no row for the case at {width}:\n{out}"));
        assert!(line.chars().count() <= width, "{width}: {line}");
        let cell = line[" qnfcr1ffkv8r".len()..].trim_start();
        let shown = title
            .chars()
            .zip(cell.chars())
            .take_while(|(a, b)| a == b)
            .count();
        // Columns the list can do without go before a title is cut below 30 columns
        // (its "…" included).
        assert!(
            shown >= 24,
            "at {width} columns the title shows only {shown} characters:\n{out}"
        );
        if width >= 150 {
            assert_eq!(shown, title.chars().count(), "{width}:\n{out}");
        }
    }
}

#[test]
fn a_result_text_with_a_separator_or_an_invisible_character_is_refused() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Matsedel", &[]);
    let file = format!("cases/{id}.toml");
    for text in [
        "Halverad väntetid\u{2028}för alla",
        "Halverad\u{2029}väntetid",
        "Greta\u{200b}Lund ledde det",
        "Greta Lund\u{202e} ledde det",
    ] {
        sb.assert_untouched(&file, || {
            sb.run(&["result", &id, text])
                .failure(1)
                .stderr_has("invisible character");
        });
    }
    sb.run(&["result", &id, "Halverad väntetid för alla"])
        .success();
}

#[test]
fn a_name_taken_out_is_marked_in_the_language_of_the_publication() {
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
    let swedish = sb
        .cmd(&["list", "--format", "markdown"])
        .env_remove("SLUSS_LANG")
        .run()
        .success()
        .stdout;
    // Markdown escapes the brackets.
    assert!(
        swedish.contains("Lånecyklar enligt \\[borttaget\\]"),
        "{swedish}"
    );
    assert!(!swedish.contains("removed"), "{swedish}");
    let english = sb
        .run(&["list", "--format", "html", "--lang", "en"])
        .success()
        .stdout;
    assert!(english.contains("Lånecyklar enligt [removed]"), "{english}");
    // Data for other programs keeps the one marker the files use.
    let redacted = sb
        .cmd(&["export", "--redact"])
        .env_remove("SLUSS_LANG")
        .run()
        .success()
        .stdout;
    assert!(
        redacted.contains("Lånecyklar enligt [removed]"),
        "{redacted}"
    );
}
