//! The adversarial review of personal data after issue 11's hardening: a name written
//! with another dash or a space in a double name, a forgotten name back in a comment
//! after a value, what `check` prints about a forgotten name, and a program published
//! with its name and its participants' free text naming people who have not consented.

use crate::common::Sandbox;

/// A case with Anna-Karin Öberg as a submitter who did not consent.
fn with_anna_karin(sb: &Sandbox) {
    sb.write_case(
        "akob0001",
        r#"id = "akob0001"
title = "Idé från ANNA KARIN ÖBERG"
created = 2020-01-15T08:30:00+01:00
stage = "inkommen"
status = "open"
unit = "Skola"

[submitter]
name = "Anna-Karin Öberg"
consent = false

[description]
need = "Anna–Karin Öbergs behov"
idea = """
Ringde anna\u2011karin
    öberg, sedan Anna — Karin Öberg."""
"#,
    );
}

/// A double name is the same name with a hyphen, a non-breaking hyphen, an en or em
/// dash, or a space between its parts: forget takes out every spelling.
#[test]
fn forget_reads_any_dash_in_a_double_name_as_the_same_name() {
    let sb = Sandbox::new();
    with_anna_karin(&sb);
    sb.run(&["forget", "Anna-Karin Öberg"]).success();
    let text = sb.case_text("akob0001").to_lowercase();
    for part in ["anna", "karin", "öberg"] {
        assert!(!text.contains(part), "{part} is still there:\n{text}");
    }
    sb.run(&["forget", "Anna-Karin Öberg"])
        .success()
        .stdout_has("changed 0 place(s) in 0 file(s)");
    sb.run(&["check"]).success();
}

/// A forgotten name brought back in a comment after a value, or spelt with another
/// dash, is found by `check` at its line; and the output names the place, never the
/// name (CI logs are kept and may be published after the file is put right).
#[test]
fn check_finds_a_forgotten_name_in_a_trailing_comment_and_does_not_repeat_it() {
    let sb = Sandbox::new();
    with_anna_karin(&sb);
    sb.run(&["forget", "Anna-Karin Öberg"]).success();
    sb.run(&["check"]).success();
    let text = sb.case_text("akob0001");
    let text = text.replacen(
        "unit = \"Skola\"\n",
        "unit = \"Skola\" # Anna-Karin Öberg\n",
        1,
    ) + "# om Anna Karin Öberg\nextra = \"ANNA–KARIN ÖBERG\"\n";
    sb.write_case("akob0001", &text);
    let line = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .expect("the line is there")
            + 1
    };
    let out = sb.run(&["check"]).failure(1);
    for needle in ["unit = ", "# om", "extra = "] {
        assert!(
            out.stdout
                .contains(&format!("cases/akob0001.toml:{}:", line(needle))),
            "no problem at the line of {needle:?}:\n{}",
            out.stdout
        );
    }
    let all = format!("{}{}", out.stdout, out.stderr).to_lowercase();
    for part in ["anna", "karin", "öberg"] {
        assert!(!all.contains(part), "check repeats {part}:\n{all}");
    }
}

/// `program show --public`: the program's name, a consenting participant's unit and a
/// team's name are free text, and lose the names of people who have not consented;
/// consenting people are still named.
#[test]
fn program_show_public_hides_unconsented_names_in_the_program_and_participants() {
    let sb = Sandbox::new();
    sb.run(&[
        "program",
        "add",
        "p1",
        "--name",
        "Programmet med Lena Dahl",
        "--start",
        "2020-01-01",
        "--end",
        "2020-12-31",
    ])
    .success();
    for args in [
        &["Lena Dahl", "--unit", "Skola", "--contact", "lena@d.se"][..],
        &[
            "Team Lena Dahl",
            "--team",
            "--consent",
            "--unit",
            "Enhet hos LENA DAHL",
        ],
        &["Karl Ström", "--consent", "--unit", "Lena Dahls enhet"],
    ] {
        let mut all = vec!["program", "participant", "add", "p1"];
        all.extend_from_slice(args);
        sb.run(&all).success();
    }
    for format in ["table", "json"] {
        let out = sb
            .run(&["program", "show", "p1", "--public", "--format", format])
            .success();
        let text = out.stdout.to_lowercase();
        assert!(
            !text.contains("lena") && !text.contains("dahl"),
            "{format}:\n{}",
            out.stdout
        );
        assert!(text.contains("karl ström"), "{format}:\n{}", out.stdout);
    }
}

/// `network list --redact`: a sole trader's firm carries its owner's name; redacted, the
/// organisation's name loses it in every format, as the contact goes.
#[test]
fn network_list_redact_hides_a_name_inside_an_organisation() {
    let sb = Sandbox::new();
    sb.run(&[
        "network",
        "add",
        "holm",
        "--organisation",
        "Per Holms Konsult",
        "--kind",
        "company",
        "--joined",
        "2020-01-01",
        "--contact",
        "Per Holm",
        "--email",
        "per.holm@example.se",
    ])
    .success();
    for format in ["table", "json", "csv"] {
        let out = sb
            .run(&["network", "list", "--redact", "--format", format])
            .success();
        assert!(
            !out.stdout.to_lowercase().contains("per holm"),
            "{format}:\n{}",
            out.stdout
        );
        assert!(out.stdout.contains("Konsult"), "{format}:\n{}", out.stdout);
    }
}

/// A long name (six words, as a double first name and a double surname with particles
/// make) that comes back is found by `check` too.
#[test]
fn check_finds_a_forgotten_name_of_six_words() {
    let sb = Sandbox::new();
    sb.run(&["forget", "María José García López de Haro"])
        .success();
    sb.write_case(
        "long0001",
        "id = \"long0001\"\ntitle = \"Från maría josé garcía lópez de haro\"\ncreated = 2020-01-15T08:30:00+01:00\nstage = \"inkommen\"\nstatus = \"open\"\nunit = \"Skola\"\n",
    );
    let out = sb.run(&["check"]).failure(1);
    assert!(
        out.stdout.contains("cases/long0001.toml:2:"),
        "{}",
        out.stdout
    );
}

/// Characters nobody sees (a soft hyphen, a zero-width space, a word joiner) inside or
/// between the words of a name do not hide it: forget takes it out, check finds it when
/// it comes back, and published output keeps it out.
#[test]
fn invisible_characters_do_not_hide_a_name() {
    let sb = Sandbox::new();
    sb.write_case(
        "invi0001",
        "id = \"invi0001\"\ntitle = \"Från An\u{ad}na Berg\"\ncreated = 2020-01-15T08:30:00+01:00\nstage = \"inkommen\"\nstatus = \"open\"\nunit = \"Skola\"\n\n[submitter]\nname = \"Anna Berg\"\nconsent = false\n\n[description]\nneed = \"Anna\u{200b} \u{2060}Bergs behov\"\n",
    );
    for args in [
        &["summary", "--public", "--format", "json"][..],
        &["export", "--redact", "--format", "json"],
    ] {
        let out = sb.run(args).success();
        let seen: String = out
            .stdout
            .chars()
            .filter(|c| !matches!(c, '\u{ad}' | '\u{200b}' | '\u{2060}'))
            .collect();
        assert!(!seen.contains("Anna"), "{args:?}:\n{}", out.stdout);
    }
    sb.run(&["forget", "Anna Berg"]).success();
    let text = sb.case_text("invi0001");
    assert!(
        !text.contains("na Berg") && !text.contains("Berg"),
        "{text}"
    );
    let back = text.replacen(
        "unit = \"Skola\"",
        "unit = \"Skola\"\ntags = [\"A\u{ad}nna Berg\"]",
        1,
    );
    sb.write_case("invi0001", &back);
    sb.run(&["check"])
        .failure(1)
        .stdout_has("cases/invi0001.toml:7:");
}

/// A name written as a key by hand (`"Anna Berg" = …`) is no pseudonym: `forget`
/// rewrites no key, and `check` reports it at its line.
#[test]
fn check_finds_a_forgotten_name_written_as_a_key() {
    let sb = Sandbox::new();
    sb.run(&["forget", "Anna Berg"]).success();
    sb.write_case(
        "keyn0001",
        "id = \"keyn0001\"\ntitle = \"Nyckel\"\ncreated = 2020-01-15T08:30:00+01:00\nstage = \"inkommen\"\nstatus = \"open\"\nunit = \"Skola\"\n\n[description]\n\"anna berg\" = \"ringde\"\nx = { \"Anna Bergs\" = 1 }\n",
    );
    let out = sb.run(&["check"]).failure(1);
    for line in [9, 10] {
        assert!(
            out.stdout.contains(&format!("cases/keyn0001.toml:{line}:")),
            "{}",
            out.stdout
        );
    }
}

/// An e-mail address made of the name (`anna.berg@…`) names the person, recorded as
/// her contact or not: forget takes the name out of it, and published output too.
#[test]
fn a_name_inside_an_address_is_the_name() {
    let sb = Sandbox::new();
    sb.write_case(
        "mejl0001",
        "id = \"mejl0001\"\ntitle = \"Idé\"\ncreated = 2020-01-15T08:30:00+01:00\nstage = \"inkommen\"\nstatus = \"open\"\nunit = \"Skola\"\n\n[submitter]\nname = \"Anna Berg\"\nconsent = false\n\n[description]\nneed = \"Svar till anna.berg@kommun.se eller anna_berg\"\n",
    );
    let out = sb
        .run(&["export", "--redact", "--format", "json"])
        .success();
    assert!(
        !out.stdout.to_lowercase().contains("berg"),
        "{}",
        out.stdout
    );
    sb.run(&["forget", "Anna Berg"]).success();
    let text = sb.case_text("mejl0001");
    assert!(!text.to_lowercase().contains("berg"), "{text}");
    assert!(text.contains("[removed]@kommun.se"), "{text}");
}
