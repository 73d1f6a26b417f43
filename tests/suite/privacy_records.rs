//! Personal data outside the cases: network members' contact persons and program
//! participants are forgotten and redacted like submitters.

use crate::common::Sandbox;

/// A repository where Greta Ek is a network contact and a program participant, and is
/// named in a case's session notes.
fn with_greta() -> Sandbox {
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
        "greta.ek@norrdata.example",
    ])
    .success();
    sb.run(&[
        "program",
        "participant",
        "add",
        "ip2018",
        "Greta Ek",
        "--unit",
        "Vård och omsorg",
        "--contact",
        "070-123 45 67",
    ])
    .success();
    let id = sb.new_case("Matsedel", &["--coach", "erik", "--partner", "norrdata"]);
    sb.run(&[
        "session",
        &id,
        "--minutes",
        "30",
        "--notes",
        "Möte med Greta Ek, greta.ek@norrdata.example",
    ])
    .success();
    sb
}

fn all_text(sb: &Sandbox) -> String {
    let mut text = String::new();
    for dir in ["cases", "network", "programs"] {
        for entry in std::fs::read_dir(sb.path(dir)).unwrap() {
            text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
        }
    }
    text
}

#[test]
fn forget_reaches_network_contacts_and_program_participants() {
    let sb = with_greta();
    let before = all_text(&sb);
    sb.run(&["forget", "Greta Ek", "--dry-run"])
        .success()
        .stdout_has("network/norrdata.toml: contact: name and contact removed")
        .stdout_has("programs/ip2018.toml");
    assert_eq!(all_text(&sb), before, "a dry run writes nothing");

    sb.run(&["forget", "greta ek"]).success();
    let after = all_text(&sb);
    assert!(
        !after.contains("Greta"),
        "the name is gone everywhere:\n{after}"
    );
    assert!(!after.contains("greta.ek@"), "the e-mail address too");
    assert!(!after.contains("070-123"), "and the phone number");
    // The member, the participant's unit and the case's partner stay.
    assert!(after.contains("Norrdata AB") && after.contains("Vård och omsorg"));
    sb.run(&["check"]).success();
    sb.run(&["network", "show", "norrdata"])
        .success()
        .stdout_has("Norrdata AB");
}

#[test]
fn network_list_redact_leaves_out_contact_persons() {
    let sb = with_greta();
    for format in ["table", "json", "csv"] {
        let full = sb
            .run(&["network", "list", "--format", format])
            .success()
            .stdout;
        assert!(
            full.contains("Greta Ek"),
            "{format}: the team sees the contact"
        );
        let redacted = sb
            .run(&["network", "list", "--redact", "--format", format])
            .success()
            .stdout;
        assert!(
            !redacted.contains("Greta") && !redacted.contains("greta.ek@"),
            "{format}:\n{redacted}"
        );
        assert!(redacted.contains("Norrdata AB"));
    }
}

#[test]
fn program_show_public_names_only_consenting_participants() {
    let sb = with_greta();
    sb.run(&["program", "show", "ip2018"])
        .success()
        .stdout_has("Greta Ek");
    let public = sb
        .run(&["program", "show", "ip2018", "--public"])
        .success()
        .stdout;
    assert!(
        !public.contains("Greta") && !public.contains("070-123"),
        "{public}"
    );
}
