//! The digest as a newsletter people want to read: implemented ideas first with their
//! result text (`sluss result`), the period in numbers, then new ideas and ideas that
//! moved on by unit and capped; the sluice's own introduction, closing and contact line;
//! and the result text kept to the consent rules, through redaction, forgetting and
//! merges.

use std::fs;

use crate::common::{Outcome, Sandbox};

// --- the demo newsletter -------------------------------------------------------------

fn demo_digest(lang: &str, format: &str) -> String {
    let sb = Sandbox::demo(1);
    sb.run(&[
        "--lang",
        lang,
        "digest",
        "--since",
        "2020-04-01",
        "--until",
        "2020-06-30",
        "--format",
        format,
    ])
    .success()
    .stdout
}

/// The page from `<main>` on: the writer's style sheet is the document writers' own.
fn body(html: &str) -> &str {
    &html[html.find("<main>").expect("the page has a main")..]
}

#[test]
fn demo_digest_in_swedish_markdown() {
    insta::assert_snapshot!(demo_digest("sv", "markdown"));
}

#[test]
fn demo_digest_in_english_markdown() {
    insta::assert_snapshot!(demo_digest("en", "markdown"));
}

#[test]
fn demo_digest_in_swedish_html() {
    let html = demo_digest("sv", "html");
    assert!(html.contains("<html lang=\"sv\">"));
    assert!(html.contains("name=\"viewport\""), "phone-friendly");
    insta::assert_snapshot!(body(&html));
}

#[test]
fn demo_digest_in_english_html() {
    let html = demo_digest("en", "html");
    assert!(html.contains("<html lang=\"en\">"));
    insta::assert_snapshot!(body(&html));
}

#[test]
fn implemented_ideas_lead_with_their_result_then_the_numbers() {
    let md = demo_digest("sv", "markdown");
    let at = |needle: &str| {
        md.find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in\n{md}"))
    };
    assert!(at("## Införda idéer") < at("## Perioden i siffror"));
    assert!(at("## Perioden i siffror") < at("## Nya idéer"));
    assert!(at("## Nya idéer") < at("## Idéer som tagit nästa steg"));
    assert!(md.contains("_Idésluss Sundsvallsregionen · april–juni 2020_"));
    // The result text stands under the implemented idea it belongs to.
    assert!(md.contains(
        "- **Sensorer för fallrisk**  \n  Sensorer på två särskilda boenden: personalen är på plats inom fem minuter när en boende med fallrisk reser sig. Idé från Vård och omsorg.\n"
    ));
    assert!(md.contains("- **4** idéer infördes\n"));
    assert!(md.contains("- **49** idéer pågår (den 30 juni 2020)\n"));
    let json = Sandbox::demo(1)
        .run(&[
            "digest",
            "--since",
            "2020-04-01",
            "--until",
            "2020-06-30",
            "--format",
            "json",
        ])
        .success()
        .json();
    // The JSON keeps its fields and adds the result, the figures and the groups.
    assert_eq!(json["implemented"][1]["id"], "jt9wgzf9c2xx");
    assert!(
        json["implemented"][1]["result"]
            .as_str()
            .unwrap()
            .starts_with("Sensorer på två")
    );
    assert_eq!(
        json["figures"],
        serde_json::json!({"new_ideas": 12, "moved_on": 40, "implemented": 4, "open": 49})
    );
    for key in ["name", "since", "until", "new_ideas", "moved_on", "groups"] {
        assert!(json.get(key).is_some(), "no {key}");
    }
}

// --- caps and telling ideas apart ----------------------------------------------------

fn idea(sb: &Sandbox, id: &str, title: &str, unit: &str, day: &str) {
    sb.write_case(
        id,
        &format!(
            "id = \"{id}\"\ntitle = \"{title}\"\ncreated = {day}T10:00:00+02:00\nstage = \"inkommen\"\nstatus = \"open\"\nunit = \"{unit}\"\n"
        ),
    );
}

fn markdown(sb: &Sandbox, extra: &[&str]) -> String {
    let mut args = vec!["digest", "--since", "2020-05-01", "--until", "2020-05-31"];
    args.extend_from_slice(extra);
    sb.run(&args).success().stdout
}

#[test]
fn sections_are_grouped_by_unit_and_capped_with_how_many_more() {
    let sb = Sandbox::new();
    // Kultur 7, Teknik 6, Skola 6, Miljö 2, Fritid 1: 22 new ideas.
    let mut n = 0;
    for (unit, count) in [
        ("Kultur", 7),
        ("Teknik", 6),
        ("Skola", 6),
        ("Miljö", 2),
        ("Fritid", 1),
    ] {
        for k in 0..count {
            n += 1;
            idea(
                &sb,
                &format!("c{n:02}"),
                &format!("{unit} idé {k}"),
                unit,
                &format!("2020-05-{:02}", n),
            );
        }
    }
    let md = markdown(&sb, &[]);
    // Five of each of the three largest units make fifteen: no room for the others.
    for shown in ["Kultur idé 4", "Teknik idé 4", "Skola idé 4"] {
        assert!(
            md.contains(&format!("**{shown}**")),
            "{shown} missing:\n{md}"
        );
    }
    for hidden in ["Kultur idé 5", "Teknik idé 5", "Skola idé 5", "Miljö idé 0"] {
        assert!(
            !md.contains(&format!("**{hidden}**")),
            "{hidden} shown:\n{md}"
        );
    }
    assert!(md.contains("Kultur (7)\n"), "{md}");
    assert!(md.contains("> … and 2 more from Kultur.\n"), "{md}");
    assert!(md.contains("> … and 1 more from Teknik.\n"), "{md}");
    assert!(md.contains("> … and 1 more from Skola.\n"), "{md}");
    assert!(md.contains("> … and 3 more from 2 other units.\n"), "{md}");
    assert!(md.contains("- **22** new ideas\n"), "{md}");
    let sv = markdown(&sb, &["--lang", "sv"]);
    assert!(sv.contains("> … och 2 till från Kultur.\n"), "{sv}");
    assert!(
        sv.contains("> … och 3 till från 2 andra enheter.\n"),
        "{sv}"
    );
    let json = sb
        .run(&["digest", "--since", "2020-05-01", "--format", "json"])
        .success()
        .json();
    let groups = &json["groups"]["new_ideas"];
    assert_eq!(groups["units"][0]["unit"], "Kultur");
    assert_eq!(groups["units"][0]["shown"].as_array().unwrap().len(), 5);
    assert_eq!(groups["units"][0]["more"], 2);
    assert_eq!(groups["more"], 3);
    assert_eq!(groups["more_units"], 2);
    // The full lists stay for other tools.
    assert_eq!(json["new_ideas"].as_array().unwrap().len(), 22);
    // One unit left out is said so.
    let text = sb
        .read("cases/c22.toml")
        .replace("unit = \"Fritid\"", "unit = \"Miljö\"");
    sb.write("cases/c22.toml", &text);
    let md = markdown(&sb, &[]);
    assert!(md.contains("> … and 3 more from one other unit.\n"), "{md}");
    let sv = markdown(&sb, &["--lang", "sv"]);
    assert!(sv.contains("> … och 3 till från en annan enhet.\n"), "{sv}");
}

#[test]
fn ideas_with_the_same_title_get_their_day_or_their_id() {
    let sb = Sandbox::new();
    idea(&sb, "a1", "Cykelpool", "Teknik", "2020-05-04");
    idea(&sb, "a2", "Cykelpool", "Teknik", "2020-05-12");
    idea(&sb, "b1", "Språkcafé", "Kultur", "2020-05-20");
    idea(&sb, "b2", "Språkcafé", "Kultur", "2020-05-20");
    idea(&sb, "c1", "Lånecyklar", "Teknik", "2020-05-20");
    let md = markdown(&sb, &[]);
    assert!(md.contains("- **Cykelpool (4 May 2020)**"), "{md}");
    assert!(md.contains("- **Cykelpool (12 May 2020)**"), "{md}");
    assert!(md.contains("- **Språkcafé (b1)**"), "{md}");
    assert!(md.contains("- **Språkcafé (b2)**"), "{md}");
    assert!(md.contains("- **Lånecyklar**  \n"), "{md}");
    let sv = markdown(&sb, &["--lang", "sv"]);
    assert!(sv.contains("- **Cykelpool (4 maj 2020)**"), "{sv}");
}

// --- the sluice's own words ----------------------------------------------------------

fn with_digest_settings(sb: &Sandbox, settings: &str) {
    let path = sb.path("sluss.toml");
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str(&format!("\n[digest]\n{settings}\n"));
    fs::write(path, text).unwrap();
}

#[test]
fn the_defaults_come_from_the_catalogue() {
    let sb = Sandbox::new();
    idea(&sb, "a1", "Cykelpool", "Teknik", "2020-05-04");
    let sv = markdown(&sb, &["--lang", "sv"]);
    assert!(sv.contains("\nHar du en idé? Kontakta idéslussen – alla idéer är välkomna.\n"));
    assert!(sv.contains("under maj 2020:"), "{sv}");
    let en = markdown(&sb, &[]);
    assert!(en.contains("\nHave an idea? Contact the idea sluice – every idea is welcome.\n"));
}

#[test]
fn intro_closing_and_contact_come_from_sluss_toml() {
    let sb = Sandbox::new();
    idea(&sb, "a1", "Cykelpool", "Teknik", "2020-05-04");
    with_digest_settings(
        &sb,
        "intro = \"Hej! Så här gick det för {name} i {period}.\\n\\nLäs och sprid.\"\nclosing = \"Vi hörs i höst.\"\ncontact = \"Har du en idé? Kontakta Anna Berg, 060-19 10 00.\"",
    );
    let md = markdown(&sb, &["--lang", "sv"]);
    assert!(
        md.contains(
            "\nHej! Så här gick det för Idésluss i maj 2020.\n\nLäs och sprid.\n\n## Införda idéer"
        ),
        "{md}"
    );
    assert!(
        md.contains("\nVi hörs i höst.\n\nHar du en idé? Kontakta Anna Berg, 060-19 10 00.\n"),
        "{md}"
    );
    assert!(!md.contains("Kontakta idéslussen"), "{md}");
    let html = sb
        .run(&["digest", "--since", "2020-05-01", "--format", "html"])
        .success()
        .stdout;
    assert!(html.contains("<p>Vi hörs i höst.</p>"), "{html}");
}

#[test]
fn intro_and_closing_come_from_a_template_file() {
    let sb = Sandbox::new();
    idea(&sb, "a1", "Cykelpool", "Teknik", "2020-05-04");
    sb.write(
        "digest.txt",
        "Nyheter från {name}, {period}.\nEn rad till.\n\n{news}\n\nTack!\n\nHar du en idé? Ring Bo på 123.\n",
    );
    with_digest_settings(&sb, "template = \"digest.txt\"");
    let md = markdown(&sb, &["--lang", "sv"]);
    assert!(
        md.contains("\nNyheter från Idésluss, maj 2020. En rad till.\n\n## Införda idéer"),
        "{md}"
    );
    assert!(
        md.contains("\nTack!\n\nHar du en idé? Ring Bo på 123.\n\n---"),
        "{md}"
    );
    assert!(!md.contains("Kontakta idéslussen"), "{md}");
    // A key beside the template wins over it.
    let text = sb.read("sluss.toml").replace(
        "template = \"digest.txt\"",
        "template = \"digest.txt\"\nclosing = \"Hej då.\"",
    );
    sb.write("sluss.toml", &text);
    let md = markdown(&sb, &["--lang", "sv"]);
    assert!(md.contains("\nHej då.\n\n---"), "{md}");
}

#[test]
fn a_template_outside_the_repository_is_refused() {
    let sb = Sandbox::new();
    idea(&sb, "a1", "Cykelpool", "Teknik", "2020-05-04");
    fs::write(sb.base().join("secret.txt"), "hemligt").unwrap();
    with_digest_settings(&sb, "template = \"../secret.txt\"");
    let out = sb.run(&["digest", "--since", "2020-05-01"]).failure(2);
    assert!(
        out.stderr.contains("not a path inside the repository"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("hint:"), "{}", out.stderr);
    assert!(!out.stdout.contains("hemligt"));
    // Nor through a link that leads out of it.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(sb.base().join("secret.txt"), sb.path("link.txt")).unwrap();
        let text = sb.read("sluss.toml").replace("../secret.txt", "link.txt");
        sb.write("sluss.toml", &text);
        let out = sb.run(&["digest", "--since", "2020-05-01"]);
        assert_ne!(out.code, 0, "{}", out.stdout);
        assert!(!out.stdout.contains("hemligt"));
        assert!(
            out.stderr.contains("outside the repository"),
            "{}",
            out.stderr
        );
    }
    // A missing template names itself.
    let text = sb.read("sluss.toml").replace("link.txt", "saknas.txt");
    sb.write("sluss.toml", &text);
    let out = sb.run(&["digest", "--since", "2020-05-01"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("digest template"), "{}", out.stderr);
}

// --- the result command --------------------------------------------------------------

#[test]
fn result_is_set_shown_recorded_and_cleared() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Cykelpool", &["--coach", "erik"]);
    let out = sb
        .run(&["result", &id, "  Halverade väntetiden för lånecyklar.  "])
        .success();
    assert!(out.stdout.contains("result set"), "{}", out.stdout);
    let case = sb.case(&id);
    assert_eq!(
        case["result"].as_str(),
        Some("Halverade väntetiden för lånecyklar.")
    );
    let history = case["history"].as_array().unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        last["result"].as_str(),
        Some("Halverade väntetiden för lånecyklar.")
    );
    assert_eq!(last["by"].as_str(), Some("erik"));
    let show = sb.run(&["show", &id]).success().stdout;
    assert!(
        show.contains("\nResult\n──────\n\nHalverade väntetiden för lånecyklar.\n"),
        "{show}"
    );
    assert!(show.contains("result: Halverade"), "{show}");
    let json = sb.run(&["show", &id, "--format", "json"]).success().json();
    assert_eq!(json["result"], "Halverade väntetiden för lånecyklar.");
    let export = sb.run(&["export", "--format", "json"]).success().json();
    assert_eq!(export[0]["result"], "Halverade väntetiden för lånecyklar.");
    let csv = sb.run(&["export", "--format", "csv"]).success().stdout;
    assert!(csv.lines().next().unwrap().ends_with(",result"), "{csv}");
    assert!(
        csv.contains("Halverade väntetiden för lånecyklar."),
        "{csv}"
    );
    sb.run(&["check"]).success();

    sb.run(&["result", &id, "--clear"]).success();
    let case = sb.case(&id);
    assert!(case.get("result").is_none());
    let history = case["history"].as_array().unwrap();
    assert_eq!(history.last().unwrap()["result"].as_str(), Some(""));
    let log = sb.run(&["log", &id]).success().stdout;
    assert!(log.contains("result cleared"), "{log}");
    sb.run(&["check"]).success();
}

#[test]
fn a_refused_result_changes_no_file() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Cykelpool", &[]);
    let rel = Sandbox::case_rel(&id);
    let long = "x".repeat(601);
    for (args, code, says) in [
        (vec!["result", "nosuchid", "Bra"], 2, "hint:"),
        (vec!["result", &id, "   "], 1, "--clear"),
        (vec!["result", &id, "rad ett\nrad två"], 1, "one line"),
        (vec!["result", &id, &long], 1, "at most 600"),
        (vec!["result", &id, "--clear"], 1, "no result text"),
        (vec!["result", &id], 2, "required"),
        (
            vec!["result", &id, "Bra", "--clear"],
            2,
            "cannot be used with",
        ),
    ] {
        let out = sb.assert_untouched(&rel, || sb.run(&args));
        assert_eq!(out.code, code, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
    }
    sb.run(&["result", &id, "Bra"]).success();
    let out = sb.assert_untouched(&rel, || sb.run(&["result", &id, "Bra"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("already has this result"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_unknown_case_is_refused_with_a_hint() {
    let sb = Sandbox::with_team();
    sb.new_case("Cykelpool", &[]);
    let out = sb.run(&["result", "zzzz", "Bra"]);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("zzzz"), "{}", out.stderr);
    assert!(out.stderr.contains("hint:"), "{}", out.stderr);
}

// --- consent ---------------------------------------------------------------------------

/// A case implemented in May 2020 whose submitter Karin Holm has not consented, and
/// whose result text names her.
fn implemented_with_a_name_in_its_result(sb: &Sandbox) {
    sb.write_case(
        "k1",
        r#"id = "k1"
title = "Lånecyklar"
created = 2020-04-01T10:00:00+02:00
stage = "infora"
status = "closed"
outcome = "implemented"
coach = "erik"
unit = "Teknik"

[submitter]
name = "Karin Holm"
consent = false

[[history]]
at = 2020-04-02T10:00:00+02:00
by = "erik"
from = "inkommen"
to = "infora"

[[history]]
at = 2020-05-10T10:00:00+02:00
by = "erik"
status = "closed"
outcome = "implemented"

[[history]]
at = 2020-05-11T10:00:00+02:00
by = "erik"
result = "Karin Holms cyklar lånas 40 gånger i veckan."
"#,
    );
    let text = sb.case_text("k1").replace(
        "unit = \"Teknik\"\n",
        "unit = \"Teknik\"\nresult = \"Karin Holms cyklar lånas 40 gånger i veckan.\"\n",
    );
    sb.write_case("k1", &text);
}

#[test]
fn a_name_without_consent_is_kept_out_of_the_result_text() {
    let sb = Sandbox::with_team();
    implemented_with_a_name_in_its_result(&sb);
    sb.run(&["check"]).success();
    for format in ["markdown", "html", "json"] {
        let out = sb
            .run(&["digest", "--since", "2020-05-01", "--format", format])
            .success()
            .stdout;
        assert!(!out.contains("Karin"), "{format}:\n{out}");
        assert!(
            out.contains("cyklar lånas 40 gånger i veckan"),
            "{format}:\n{out}"
        );
    }
    for format in ["json", "csv"] {
        let out = sb
            .run(&["export", "--redact", "--format", format])
            .success()
            .stdout;
        assert!(!out.contains("Karin"), "{format}:\n{out}");
        assert!(
            out.contains("cyklar lånas 40 gånger i veckan"),
            "{format}:\n{out}"
        );
    }
    // With consent she is named, in the result as where the idea came from.
    let text = sb
        .case_text("k1")
        .replace("consent = false", "consent = true");
    sb.write_case("k1", &text);
    let md = sb
        .run(&["digest", "--since", "2020-05-01"])
        .success()
        .stdout;
    assert!(md.contains("Karin Holms cyklar"), "{md}");
}

#[test]
fn forget_removes_a_name_from_the_result_text_and_its_history() {
    let sb = Sandbox::with_team();
    implemented_with_a_name_in_its_result(&sb);
    sb.run(&["forget", "Karin Holm"]).success();
    let text = sb.case_text("k1");
    assert!(!text.contains("Karin"), "{text}");
    assert_eq!(
        text.matches("result = \"[removed] cyklar lånas 40 gånger i veckan.\"")
            .count(),
        2,
        "{text}"
    );
    sb.run(&["check"]).success();
}

// --- merges ----------------------------------------------------------------------------

fn team_repo() -> Sandbox {
    let sb = Sandbox::empty();
    sb.git(&["init", "--quiet", "--initial-branch=main"]);
    sb.git(&["config", "user.name", "Erik Lind"]);
    sb.git(&["config", "user.email", "erik@example.org"]);
    sb.run(&["init"]).success();
    sb.run(&["coach", "add", "erik", "--name", "Erik Lind"])
        .success();
    commit_all(&sb, "A new idea sluice");
    sb
}

fn commit_all(sb: &Sandbox, message: &str) {
    sb.git(&["add", "--all"]);
    sb.git(&["commit", "--quiet", "--message", message]);
}

fn git_merge(sb: &Sandbox, other: &str) -> Outcome {
    sb.git_outcome(&["merge", "--no-edit", other])
}

#[test]
fn a_result_set_on_one_branch_merges_clean() {
    let sb = team_repo();
    let id = sb.new_case_on("2020-06-01", "Cykelpool", &["--coach", "erik"]);
    commit_all(&sb, "Cykelpool");
    sb.git(&["checkout", "--quiet", "-b", "effect"]);
    sb.run(&["result", &id, "Fler cyklar i omlopp."]).success();
    commit_all(&sb, "result");
    sb.git(&["checkout", "--quiet", "main"]);
    sb.run(&["session", &id, "--minutes", "30", "--date", "2020-06-29"])
        .success();
    commit_all(&sb, "session");
    git_merge(&sb, "effect").success();
    let case = sb.case(&id);
    assert_eq!(case["result"].as_str(), Some("Fler cyklar i omlopp."));
    assert_eq!(case["sessions"].as_array().unwrap().len(), 1);
    sb.run(&["check"]).success();
}

#[test]
fn the_same_result_set_on_two_branches_merges_clean_once() {
    let sb = team_repo();
    let id = sb.new_case("Cykelpool", &["--coach", "erik"]);
    commit_all(&sb, "Cykelpool");
    sb.git(&["checkout", "--quiet", "-b", "other"]);
    sb.cmd(&["result", &id, "Fler cyklar."])
        .env("SLUSS_NOW", "2020-06-30T13:00:00+02:00")
        .run()
        .success();
    commit_all(&sb, "result there");
    sb.git(&["checkout", "--quiet", "main"]);
    sb.run(&["result", &id, "Fler cyklar."]).success();
    commit_all(&sb, "result here");
    git_merge(&sb, "other").success();
    let case = sb.case(&id);
    let results = case["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e.get("result").is_some())
        .count();
    assert_eq!(results, 1, "{}", sb.case_text(&id));
}

#[test]
fn different_results_on_two_branches_are_a_marked_conflict() {
    let mut sb = team_repo();
    sb.allow_broken_cases();
    let id = sb.new_case("Cykelpool", &["--coach", "erik"]);
    commit_all(&sb, "Cykelpool");
    sb.git(&["checkout", "--quiet", "-b", "other"]);
    sb.run(&["result", &id, "Fler cyklar."]).success();
    commit_all(&sb, "result there");
    sb.git(&["checkout", "--quiet", "main"]);
    sb.run(&["result", &id, "Färre bilresor."]).success();
    commit_all(&sb, "result here");
    let merge = git_merge(&sb, "other");
    assert_ne!(merge.code, 0, "{merge:?}");
    let rel = Sandbox::case_rel(&id);
    let text = sb.read(&rel);
    assert!(
        text.contains("<<<<<<< ours\nresult = \"Färre bilresor.\"\n=======\nresult = \"Fler cyklar.\"\n>>>>>>> theirs\n"),
        "{text}"
    );
    let json = sb.run(&["check", "--format", "json"]).failure(1).json();
    assert!(
        json["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "conflict-marker"),
        "{json}"
    );
}
