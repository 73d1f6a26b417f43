//! Personal data stays erased and unpublished, even when it is written as people write:
//! `forget` never rewrites keys, finds a name in any spelling of it (NFC or NFD, case,
//! non-breaking spaces, broken across lines, in the genitive), reaches the editor's
//! copies and left-over temporary files, shares each file's one lock with every other
//! writer, and leaves salted digests so that `check` catches the name if it comes back.
//! Published output keeps out the name of everyone who has not consented, from every
//! register, in every free-text field.

use crate::common::{Sandbox, wait};

/// Maria Nyström is a coach (key "maria"); Maria Ek is a submitter who did not consent;
/// Mariana Lund is someone else.
fn with_maria() -> Sandbox {
    let sb = Sandbox::with_team();
    sb.run(&["coach", "add", "maria", "--name", "Maria Nyström"])
        .success();
    sb.write_case(
        "mari0001",
        r#"id = "mari0001"
title = "Marias idé om matsedeln"
created = 2020-01-15T08:30:00+01:00
stage = "inkommen"
status = "open"
coach = "maria"
unit = "Vård och omsorg"

[submitter]
name = "Maria Ek"
consent = false

[description]
need = """
Maria Ek och Mariana Lund
ser att de boende inte vet veckans meny"""

[[history]]
at = 2020-01-20T10:00:00+01:00
by = "maria"
coach = "maria"
previous_coach = ""
note = "Ringde MARIA\u00a0EK; Maria Eks förslag, Maria Ek’s idé"

[[sessions]]
date = 2020-01-22
coach = "maria"
minutes = 45
notes = """Möte med Maria
    Ek och Mariana Lund"""
"#,
    );
    sb
}

/// Every key field of the case, as it was written.
const KEYS: [&str; 4] = [
    "coach = \"maria\"\n",
    "by = \"maria\"\n",
    "coach = \"maria\"\nprevious_coach",
    "date = 2020-01-22\ncoach = \"maria\"\n",
];

#[test]
fn forgetting_a_name_never_rewrites_a_key() {
    let sb = with_maria();
    sb.run(&["forget", "Maria"]).success();
    let text = sb.case_text("mari0001");
    for key in KEYS {
        assert!(text.contains(key), "{key:?} was rewritten:\n{text}");
    }
    // "Maria" alone is a word of its own, so "Maria Ek" loses only its first name here;
    // Mariana is someone else.
    assert!(text.contains("Mariana Lund"), "{text}");
    assert!(!text.contains("Marias"), "{text}");
    sb.run(&["check"]).success();
}

#[test]
fn forget_finds_the_name_in_every_spelling_and_keeps_the_keys() {
    let sb = with_maria();
    // Typed in another case, with a non-breaking and a doubled space.
    sb.run(&["forget", "maria\u{a0} ek"]).success();
    let text = sb.case_text("mari0001");
    assert!(!text.to_lowercase().contains("maria ek"), "{text}");
    assert!(
        !text.contains("Maria\u{a0}Ek") && !text.contains("MARIA"),
        "{text}"
    );
    assert!(!text.contains("Maria\n    Ek"), "{text}");
    assert!(
        !text.contains("Eks förslag") && !text.contains("Ek’s"),
        "{text}"
    );
    assert!(
        text.contains("[removed] förslag, [removed] idé"),
        "the genitive goes with the name: {text}"
    );
    assert!(text.contains("Mariana Lund"), "{text}");
    assert!(text.contains("forgotten = true"), "{text}");
    for key in KEYS {
        assert!(text.contains(key), "{key:?} was rewritten:\n{text}");
    }
    sb.run(&["check"]).success();
}

#[test]
fn a_name_written_in_nfd_is_forgotten_by_its_nfc_spelling() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Matsedel", &["--coach", "erik"]);
    sb.run(&[
        "session",
        &id,
        "--minutes",
        "30",
        "--notes",
        "Möte med Jose\u{301} Nystro\u{308}m",
    ])
    .success();
    sb.run(&["forget", "José Nyström"]).success();
    let text = sb.case_text(&id);
    assert!(text.contains("Möte med [removed]"), "{text}");
}

#[test]
fn forgetting_a_coach_keeps_the_key_and_removes_the_name() {
    let sb = with_maria();
    let out = sb.run(&["forget", "Maria Nyström"]).success();
    assert!(
        out.stdout.contains("coach 'maria' keeps the key"),
        "{}",
        out.stdout
    );
    let settings = sb.read("sluss.toml");
    assert!(!settings.contains("Nyström"), "{settings}");
    assert!(settings.contains("key = \"maria\""), "{settings}");
    let text = sb.case_text("mari0001");
    for key in KEYS {
        assert!(text.contains(key), "{key:?} was rewritten:\n{text}");
    }
    sb.run(&["check"]).success();
    // Reports still count the coach's cases, under the key.
    let json = sb.run(&["summary", "--format", "json"]).success().json();
    assert!(json.to_string().contains("maria"), "{json}");
}

#[test]
fn forget_scrubs_the_editors_copies_and_removes_left_over_temporary_files() {
    let sb = with_maria();
    let copy = "\nid = \"mari0001\"\ncoach = \"maria\"\ntitle = \"Ring Maria Ek\"\n";
    sb.write(".sluss/edit/mari0001.toml", copy);
    // A half-edited copy that is not TOML is scrubbed as text.
    sb.write(".sluss/edit/x0000001.toml", "title = \"Maria Ek\n");
    sb.write(
        "cases/.sluss-tmp-mari0001.toml-abc123.tmp",
        "notes = \"Maria Ek\"\n",
    );
    sb.write(".sluss-tmp-sluss.toml-locked.tmp", "name = \"Maria Ek\"\n");
    sb.run(&["forget", "Maria Ek"]).success();
    let copy = sb.read(".sluss/edit/mari0001.toml");
    assert!(!copy.contains("Maria Ek"), "{copy}");
    assert!(copy.contains("coach = \"maria\""), "{copy}");
    assert!(!sb.read(".sluss/edit/x0000001.toml").contains("Maria Ek"));
    assert!(
        !sb.path("cases/.sluss-tmp-mari0001.toml-abc123.tmp")
            .exists()
    );
    assert!(!sb.path(".sluss-tmp-sluss.toml-locked.tmp").exists());
}

#[test]
fn a_forgotten_name_that_comes_back_is_caught_by_check() {
    let sb = with_maria();
    sb.run(&["forget", "Maria Ek"]).success();
    // Nobody is called José Nyström yet; forgotten all the same.
    sb.run(&["forget", "José Nyström"]).success();
    let settings = sb.read("sluss.toml");
    assert!(settings.contains("[privacy]"), "{settings}");
    assert!(settings.contains("sha256:"), "{settings}");
    assert!(
        !settings.contains("Maria Ek"),
        "the name itself is not kept"
    );
    sb.run(&["check"]).success();

    // A merge brings back a case that names her, in NFD and over a line break.
    sb.write_case(
        "back0001",
        "id = \"back0001\"\ntitle = \"Tillbaka\"\ncreated = 2020-02-01T08:00:00+01:00\nstage = \"inkommen\"\nstatus = \"open\"\ncoach = \"maria\"\nunit = \"Kultur\"\n\n[description]\nneed = \"\"\"\nFrån MARIA\n  eks team, och Jose\u{301} Nystro\u{308}m\"\"\"\n",
    );
    let out = sb.run(&["check"]).failure(1);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(all.contains("cases/back0001.toml:11"), "{all}");
    // The place is named, not the name (see adversarial_privacy).
    assert!(
        all.contains("cases/back0001.toml:12"),
        "the NFD spelling is caught too: {all}"
    );
    assert!(all.contains("forgotten"), "{all}");
    assert!(all.contains("sluss forget"), "{all}");

    // The same in a program's participants, as a re-import would write it.
    sb.write_case(
        "back0001",
        "id = \"back0001\"\ntitle = \"Tillbaka\"\ncreated = 2020-02-01T08:00:00+01:00\nstage = \"inkommen\"\nstatus = \"open\"\nunit = \"Kultur\"\n",
    );
    sb.run(&["check"]).success();
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2018",
        "Maria Ek",
        "--unit",
        "Kultur",
    ])
    .success();
    let out = sb.run(&["check"]).failure(1);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(all.contains("programs/ip2018.toml"), "{all}");
    // Forgetting her again mends it.
    sb.run(&["forget", "Maria Ek"]).success();
    sb.run(&["check"]).success();
}

#[test]
fn participants_added_while_others_are_forgotten_all_land_and_every_erasure_holds() {
    let sb = Sandbox::with_team();
    let doomed: Vec<String> = (1..=10).map(|n| format!("Glömd Person{n}")).collect();
    for name in &doomed {
        sb.run(&[
            "program",
            "participant",
            "add",
            "ip2018",
            name,
            "--unit",
            "Kultur",
        ])
        .success();
    }
    // All started before any is waited for; a generous lock timeout, so that a slow
    // machine makes the test slower, never flaky.
    let mut children = Vec::new();
    for n in 1..=30 {
        let name = format!("Ny Deltagare{n}");
        children.push(
            sb.cmd(&[
                "program",
                "participant",
                "add",
                "ip2018",
                &name,
                "--unit",
                "Kultur",
            ])
            .env("SLUSS_LOCK_TIMEOUT", "600")
            .spawn(),
        );
        if n % 3 == 0 {
            children.push(
                sb.cmd(&["forget", &doomed[n / 3 - 1]])
                    .env("SLUSS_LOCK_TIMEOUT", "600")
                    .spawn(),
            );
        }
    }
    for child in children {
        wait(child).success();
    }
    let text = sb.read("programs/ip2018.toml");
    for n in 1..=30 {
        assert!(
            text.contains(&format!("\"Ny Deltagare{n}\"")),
            "participant {n} vanished:\n{text}"
        );
    }
    assert!(!text.contains("Glömd"), "an erasure was undone:\n{text}");
    assert_eq!(text.matches("forgotten = true").count(), 10, "{text}");
    sb.run(&["check"]).success();
}

/// Greta Ek is a network contact and Per Holm a program participant, neither of whom
/// consented; Bo Ljung, a participant, consented.
fn with_registers() -> Sandbox {
    let sb = Sandbox::with_team();
    sb.run(&[
        "network",
        "add",
        "norrdata",
        "--organisation",
        "Norrdata AB",
        "--kind",
        "company",
        "--joined",
        "2018-03-01",
        "--contact",
        "Greta Ek",
        "--email",
        "greta@norrdata.example",
    ])
    .success();
    for (name, consent) in [("Per Holm", false), ("Bo Ljung", true)] {
        let mut args = vec![
            "program",
            "participant",
            "add",
            "ip2018",
            name,
            "--unit",
            "Kultur",
        ];
        if consent {
            args.push("--consent");
        }
        sb.run(&args).success();
    }
    sb.write_case(
        "gret0001",
        r#"id = "gret0001"
title = "Greta Eks sensorer, med Bo Ljung"
created = 2020-06-10T08:30:00+02:00
stage = "inkommen"
status = "open"
coach = "erik"
unit = "Per Holms enhet"
tags = ["greta@norrdata.example"]

[submitter]
name = "Bo Ljung"
consent = true

[description]
need = "Per Holm saknar data"

[[sessions]]
date = 2020-06-12
coach = "erik"
minutes = 30
kind = "möte med Greta Ek"
notes = "Per Holm var med"
"#,
    );
    sb
}

const HIDDEN: [&str; 4] = ["Greta", "Per Holm", "greta@norrdata", "Holms"];

#[test]
fn the_digest_names_no_one_who_has_not_consented_from_any_register() {
    let sb = with_registers();
    for format in ["markdown", "html", "json"] {
        let out = sb
            .run(&["digest", "--since", "2020-06-01", "--format", format])
            .success();
        for name in HIDDEN {
            assert!(
                !out.stdout.contains(name),
                "{name} in the {format} digest:\n{}",
                out.stdout
            );
        }
        assert!(out.stdout.contains("Bo Ljung"), "{}", out.stdout);
    }
}

#[test]
fn public_reports_and_redacted_exports_name_no_one_who_has_not_consented() {
    let sb = with_registers();
    for args in [
        &["summary", "--public"][..],
        &["summary", "--public", "--format", "json"],
        &["summary", "--public", "--by", "unit"],
        &["export", "--redact"],
        &["export", "--redact", "--format", "csv"],
        &["program", "show", "ip2018", "--public"],
    ] {
        let out = sb.run(args).success();
        for name in HIDDEN {
            assert!(
                !out.stdout.contains(name),
                "{name} in {args:?}:\n{}",
                out.stdout
            );
        }
    }
    let export = sb.run(&["export", "--redact"]).success().stdout;
    assert!(export.contains("[removed] enhet"), "{export}");
}

/// Gives every case file a time an hour ago, so that the cache takes them.
fn age_cases(sb: &Sandbox) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in std::fs::read_dir(sb.path("cases")).unwrap() {
        let file = std::fs::File::options()
            .write(true)
            .open(entry.unwrap().path())
            .unwrap();
        file.set_modified(then).unwrap();
    }
}

#[test]
fn published_output_made_from_the_cache_still_names_no_one_who_has_not_consented() {
    let sb = with_registers();
    // Sara Ek did not consent; her name is in the title of her own idea.
    sb.write_case(
        "sara0001",
        r#"id = "sara0001"
title = "Sara Eks cykelidé"
created = 2020-06-11T08:30:00+02:00
stage = "inkommen"
status = "open"
unit = "Kultur"

[submitter]
name = "Sara Ek"
consent = false
contact = "sara.ek@example.se"

[description]
need = "Mejla sara.ek@example.se"
"#,
    );
    age_cases(&sb);
    // Warm: the cache now holds every case.
    sb.run(&["summary"]).success();
    sb.run(&["summary"]).success();
    assert!(sb.path(".sluss/cache").exists());
    for args in [
        &["digest", "--since", "2020-06-01"][..],
        &["summary", "--public", "--format", "json"],
        &["export", "--redact"],
    ] {
        let out = sb.run(args).success();
        for name in HIDDEN.iter().chain(&["Sara Ek", "sara.ek@"]) {
            assert!(
                !out.stdout.contains(name),
                "{name} in {args:?}:\n{}",
                out.stdout
            );
        }
    }
    let digest = sb
        .run(&["digest", "--since", "2020-06-01", "--format", "json"])
        .success()
        .stdout;
    assert!(
        digest.contains("Bo Ljung"),
        "a consenting submitter is named: {digest}"
    );
}

#[test]
fn forget_takes_the_name_out_of_comments_and_check_looks_there_too() {
    let sb = Sandbox::with_team();
    sb.write_case(
        "komm0001",
        "# Maria Ek ringde in idén\nid = \"komm0001\"\ntitle = \"Kommentarer\" # från Maria Ek\ncreated = 2020-01-15T08:30:00+01:00\nstage = \"inkommen\"\nstatus = \"open\"\ncoach = \"erik\" # Maria Eks kontakt\nunit = \"Kultur\"\ntags = [\n  \"mat\", # maria.ek@example.se\n]\n",
    );
    let out = sb.run(&["forget", "Maria Ek"]).success();
    assert!(out.stdout.contains("comment"), "{}", out.stdout);
    let text = sb.case_text("komm0001");
    assert!(!text.contains("Maria"), "{text}");
    assert!(
        text.contains("coach = \"erik\" # [removed] kontakt"),
        "{text}"
    );
    sb.run(&["check"]).success();
    // A comment that brings her back is caught.
    sb.write("cases/komm0001.toml", &format!("{text}# Maria Ek igen\n"));
    let out = sb.run(&["check"]).failure(1);
    let all = format!("{}{}", out.stdout, out.stderr);
    // The column of the name in the comment.
    assert!(all.contains("cases/komm0001.toml:12:3"), "{all}");
}

#[test]
fn every_writer_of_a_program_file_takes_the_one_lock_named_after_its_path() {
    let sb = Sandbox::with_team();
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2018",
        "Greta Ek",
        "--unit",
        "Kultur",
    ])
    .success();
    let lock = sb.path(".sluss/locks/programs/ip2018.toml.lock");
    std::fs::create_dir_all(lock.parent().unwrap()).unwrap();
    let held = std::fs::File::create(&lock).unwrap();
    held.lock().unwrap();
    let add = sb.assert_untouched("programs/ip2018.toml", || {
        sb.cmd(&[
            "program",
            "participant",
            "add",
            "ip2018",
            "Per Holm",
            "--unit",
            "Kultur",
        ])
        .env("SLUSS_LOCK_TIMEOUT", "0.3")
        .run()
        .failure(2)
    });
    assert!(add.stderr.contains("ip2018.toml.lock"), "{}", add.stderr);
    let forget = sb.assert_untouched("programs/ip2018.toml", || {
        sb.cmd(&["forget", "Greta Ek"])
            .env("SLUSS_LOCK_TIMEOUT", "0.3")
            .run()
            .failure(2)
    });
    assert!(
        forget.stderr.contains("ip2018.toml.lock"),
        "{}",
        forget.stderr
    );
    drop(held);
    sb.run(&["forget", "Greta Ek"]).success();
    assert!(!sb.read("programs/ip2018.toml").contains("Greta"));
}

#[test]
fn two_branches_that_each_forget_someone_write_the_same_salt() {
    let sb = Sandbox::with_team();
    let before = sb.read("sluss.toml");
    let salt = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("salt = "))
            .map(str::to_string)
            .expect("a salt")
    };
    sb.run(&["forget", "Greta Ek"]).success();
    let one = sb.read("sluss.toml");
    // The other branch, from the same settings.
    sb.write("sluss.toml", &before);
    sb.run(&["forget", "Per Holm"]).success();
    let other = sb.read("sluss.toml");
    assert_eq!(salt(&one), salt(&other));
    assert!(!one.contains("Greta") && !other.contains("Per Holm"));
}

/// The digest reads only the cases that may appear in its window, but hides the name of
/// every submitter who has not consented, also of the cases it does not show.
#[test]
fn the_digest_hides_the_submitter_of_a_case_before_its_window() {
    let sb = Sandbox::with_team();
    for (day, title, submitter) in [
        ("2018-03-01", "Gammal idé", "Vera Lund"),
        ("2020-06-10", "Vidare med Vera Lunds idé", "Bo Ljung"),
    ] {
        sb.run_on(
            day,
            &[
                "new",
                title,
                "--submitter",
                submitter,
                "--unit",
                "Kultur",
                "--coach",
                "erik",
            ],
        )
        .success();
    }
    for format in ["markdown", "html", "json"] {
        let out = sb
            .run(&["digest", "--since", "2020-06-01", "--format", format])
            .success();
        assert!(out.stdout.contains("Vidare med"), "{}", out.stdout);
        assert!(
            !out.stdout.contains("Vera") && !out.stdout.contains("Lund"),
            "the old case's submitter in the {format} digest:\n{}",
            out.stdout
        );
    }
}
