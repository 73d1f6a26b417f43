//! The coach's words: stages, outcomes, coaches, programs, partners, units and
//! questions named by key or by the name people see, case and Swedish letters aside,
//! with "did you mean" for a word that names nothing; `init --template en` with English
//! stage keys; days as people say them (`idag`, `yesterday`, `-3d`, `måndag`) on every
//! command that takes a date; and stages named by their display name in what sluss says.
//!
//! Every command runs on 2020-06-30, a Tuesday (see [`crate::common::NOW`]).

use crate::common::{Sandbox, TODAY};

/// A case of the team's sandbox with coach erik, its need and idea described, so that
/// gates up to `testa` let it through but for sessions.
fn case(sb: &Sandbox) -> String {
    sb.new_case(
        "Digital matsedel",
        &[
            "--coach",
            "erik",
            "--need",
            "Boende vill se menyn",
            "--idea",
            "En skärm i matsalen",
        ],
    )
}

fn field(sb: &Sandbox, id: &str, key: &str) -> String {
    sb.case(id)[key].as_str().unwrap_or_default().to_string()
}

// ---------------------------------------------------------------------------------------
// Stages and outcomes by key or name
// ---------------------------------------------------------------------------------------

#[test]
fn advance_to_takes_a_stage_by_key_display_name_or_without_swedish_letters() {
    let sb = Sandbox::with_team();
    for word in ["Prövning", "prövning", "provning", "PROVNING"] {
        let id = case(&sb);
        sb.run(&["advance", &id, "--to", word])
            .success()
            .stdout_has(&format!("{}: Inkommen → Prövning", &id[..4]));
        assert_eq!(field(&sb, &id, "stage"), "provning", "--to {word}");
    }
    // A name of several words, with its letters folded.
    let id = case(&sb);
    sb.run(&["advance", &id, "--to", "utforska"]).success();
    sb.run(&["advance", &id, "--to", "Utveckla"]).success();
    assert_eq!(field(&sb, &id, "stage"), "utveckla");
    let history = sb.case(&id)["history"].as_array().unwrap().clone();
    let last = history.last().unwrap().as_table().unwrap();
    assert_eq!(last["from"].as_str(), Some("utforska"), "files keep keys");
    assert_eq!(last["to"].as_str(), Some("utveckla"));
}

#[test]
fn an_unknown_stage_gets_did_you_mean_and_changes_nothing() {
    let sb = Sandbox::with_team();
    let id = case(&sb);
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run(&["advance", &id, "--to", "provnig"])
            .failure(2)
            .stderr_has("unknown stage 'provnig'")
            .hint_has("did you mean 'provning'?");
        sb.run(&["advance", &id, "--to", "Utvekla"])
            .failure(2)
            .hint_has("did you mean 'utveckla'?");
    });
    // Spelled right, the name moves it.
    sb.run(&["advance", &id, "--to", "Utveckla"]).success();
}

#[test]
fn advance_refusals_and_gates_name_stages_by_their_display_name() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Utan coach", &[]);
    sb.run(&["advance", &id])
        .failure(1)
        .stderr_has("gate for entering Prövning is not met");
    let id = case(&sb);
    sb.run(&["advance", &id, "--to", "utforska"]).success();
    sb.run(&["advance", &id, "--to", "inkommen"])
        .failure(1)
        .stderr_has("moving case")
        .stderr_has("back from Utforska to Inkommen needs a reason");
    sb.run(&["advance", &id, "--to", "Utforska"])
        .failure(1)
        .stderr_has("is already in stage Utforska");
}

#[test]
fn close_takes_outcomes_by_key_or_swedish_or_english_word() {
    let sb = Sandbox::with_team();
    for (word, key) in [
        ("införd", "implemented"),
        ("Överlämnad", "handed_over"),
        ("overlamnad", "handed_over"),
        ("handed over", "handed_over"),
        ("handed-over", "handed_over"),
        ("stoppad", "stopped"),
        ("dubblett", "duplicate"),
        ("hänvisad", "referred"),
        ("referred", "referred"),
    ] {
        let id = case(&sb);
        sb.run(&["close", &id, "--outcome", word]).success();
        assert_eq!(field(&sb, &id, "outcome"), key, "--outcome {word}");
    }
}

#[test]
fn an_unknown_outcome_gets_did_you_mean_and_help_names_the_swedish_words() {
    let sb = Sandbox::with_team();
    let id = case(&sb);
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run(&["close", &id, "--outcome", "stopad"])
            .failure(2)
            .stderr_has("unknown outcome 'stopad'")
            .stderr_has("did you mean 'stopped'?");
    });
    let help = sb.run(&["close", "--help"]).success();
    assert!(
        help.stdout
            .contains("implemented, handed_over, stopped, duplicate or referred"),
        "{}",
        help.stdout
    );
    assert!(
        help.stdout.contains("införd, överlämnad"),
        "{}",
        help.stdout
    );
}

// ---------------------------------------------------------------------------------------
// Coaches, programs, partners, network members, units and questions
// ---------------------------------------------------------------------------------------

#[test]
fn session_coach_by_key_or_name_and_did_you_mean() {
    let sb = Sandbox::with_team();
    let id = case(&sb);
    sb.run(&["session", &id, "--minutes", "30", "--coach", "Sara Berg"])
        .success()
        .stdout_has("with sara");
    sb.run(&["session", &id, "--minutes", "30", "--coach", "SARA"])
        .success();
    let sessions = sb.case(&id)["sessions"].as_array().unwrap().clone();
    assert!(sessions.iter().all(|s| s["coach"].as_str() == Some("sara")));
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run(&["session", &id, "--minutes", "30", "--coach", "sarah"])
            .failure(2)
            .stderr_has("unknown coach 'sarah'")
            .hint_has("did you mean 'sara'?");
    });
}

#[test]
fn programs_by_key_or_name_with_did_you_mean() {
    let sb = Sandbox::with_team();
    let id = case(&sb);
    sb.run(&["program", "join", &id, "innovationsprogram 2018"])
        .success();
    assert_eq!(field(&sb, &id, "program"), "ip2018");
    sb.run(&[
        "program",
        "show",
        "Innovationsprogram 2018",
        "--format",
        "json",
    ])
    .success();
    sb.run(&["program", "show", "ip2108"])
        .failure(2)
        .stderr_has("unknown program 'ip2108'")
        .hint_has("did you mean 'ip2018'?");
    sb.run(&["program", "join", &id, "ip2081"])
        .failure(2)
        .hint_has("did you mean 'ip2018'?");
    sb.run(&[
        "program",
        "participant",
        "add",
        "IP2018",
        "Hemtjänstens team",
        "--team",
        "--unit",
        "Vård och omsorg",
    ])
    .success()
    .stdout_has("to program ip2018");
    assert!(sb.path("programs/ip2018.toml").is_file());
}

#[test]
fn partners_and_network_members_by_key_or_organisation_with_did_you_mean() {
    let sb = Sandbox::demo(1);
    let id = sb.new_case("Solceller på förskolan", &[]);
    sb.run(&["partner", "add", &id, "Alnö Miljöteknik AB"])
        .success()
        .stdout_has("partner + alno-miljoteknik");
    sb.run(&["partner", "add", &id, "alno-mobilitet"]).success();
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run(&["partner", "add", &id, "alno-miljotekink"])
            .failure(2)
            .stderr_has("unknown network member 'alno-miljotekink'")
            .hint_has("did you mean 'alno-miljoteknik'?");
        sb.run(&["partner", "remove", &id, "alno-mobiliteten"])
            .failure(1)
            .hint_has("did you mean 'alno-mobilitet'?");
    });
    sb.run(&["partner", "remove", &id, "ALNO-MOBILITET"])
        .success()
        .stdout_has("partner − alno-mobilitet");
    sb.run(&["network", "show", "alnö miljöteknik ab"])
        .success()
        .stdout_has("Alnö Miljöteknik AB");
    sb.run(&["network", "show", "alno-miljotekink"])
        .failure(2)
        .hint_has("did you mean 'alno-miljoteknik'?");
}

#[test]
fn maturity_questions_and_units_are_matched_folded_with_did_you_mean() {
    let sb = Sandbox::demo(1);
    // Without a units register, units are spelled as the cases spell them (matching
    // by the register is tested in `registers`): each `[[units]]` block goes.
    let config = sb.read("sluss.toml");
    let mut kept = Vec::new();
    let mut in_unit = false;
    for line in config.lines() {
        in_unit = line == "[[units]]" || (in_unit && !line.trim().is_empty());
        if !in_unit {
            kept.push(line);
        }
    }
    sb.write("sluss.toml", &kept.join("\n"));
    assert!(!sb.read("sluss.toml").contains("[[units]]"));
    // A unit spelled in another case is refused with the repository's spelling; one
    // spelled with other letters is another unit ("Värd" is not "Vård"), with a note.
    sb.run(&[
        "maturity",
        "record",
        "--unit",
        "VÅRD OCH OMSORG",
        "--score",
        "ledning=4",
    ])
    .failure(1)
    .hint_has("--unit \"Vård och omsorg\"");
    sb.run(&[
        "maturity",
        "record",
        "--unit",
        "Vard och omsorg",
        "--score",
        "ledning=4",
        "--date",
        "-1w",
    ])
    .success()
    .stderr_has("did you mean 'Vård och omsorg'?");
    sb.run(&[
        "maturity",
        "record",
        "--unit",
        "Vård och omsorg",
        "--score",
        "Ledning=4,IDEER=3",
    ])
    .success();
    let file = sb.read(&format!("maturity/{TODAY}-vard-och-omsorg.toml"));
    assert!(
        file.contains("ledning = 4") && file.contains("ideer = 3"),
        "{file}"
    );
    sb.run(&[
        "maturity",
        "record",
        "--unit",
        "Socialtjänst",
        "--score",
        "ledningen=4",
    ])
    .failure(2)
    .hint_has("did you mean 'ledning'?");
    let listed = sb
        .run(&[
            "maturity",
            "list",
            "--unit",
            "socialtjanst",
            "--format",
            "json",
        ])
        .success()
        .json();
    assert_eq!(listed.as_array().map(Vec::len), Some(7), "{listed}");
    sb.run(&["maturity", "list", "--unit", "Socialtjenst"])
        .failure(2)
        .stderr_has("unknown assessed unit 'Socialtjenst'")
        .hint_has("did you mean 'Socialtjänst'?");
}

#[test]
fn check_takes_need_after_by_stage_name_and_explains_a_stage_named_in_a_file() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Utan behov", &["--coach", "erik"]);
    sb.run(&["advance", &id, "--to", "utforska"]).success();
    for word in ["Prövning", "provning"] {
        sb.run(&["check", "--need-after", word])
            .failure(1)
            .stdout_has("every case past Prövning describes its need");
    }
    sb.run(&["check", "--need-after", "Provnig"])
        .failure(2)
        .hint_has("did you mean 'provning'?");
    // In sluss.toml too.
    let settings = sb.read("sluss.toml");
    sb.write(
        "sluss.toml",
        &format!("{settings}\n[policy]\nneed_after = \"Prövning\"\n"),
    );
    sb.run(&["check"])
        .failure(1)
        .stdout_has("every case past Prövning describes its need");
    sb.write(
        "sluss.toml",
        &format!("{settings}\n[policy]\nneed_after = \"Provnig\"\n"),
    );
    sb.run(&["check"])
        .failure(1)
        .stdout_has("[policy] need_after names 'Provnig', which is not a stage")
        .stdout_has("did you mean 'provning'?");
    sb.write("sluss.toml", &settings);

    // A case file that stores a stage's display name is told the key to write.
    let text = sb
        .case_text(&id)
        .replace("stage = \"utforska\"", "stage = \"Utforska\"");
    sb.write_case(&id, &text);
    sb.run(&["check"])
        .failure(1)
        .stdout_has("stage 'Utforska' is not defined in sluss.toml")
        .stdout_has("files store the stage's key: stage = \"utforska\" (Utforska)");
}

// ---------------------------------------------------------------------------------------
// init --template en
// ---------------------------------------------------------------------------------------

#[test]
fn init_template_en_gives_english_keys_and_advance_takes_english_names() {
    let sb = Sandbox::empty();
    sb.run(&["init", "--template", "en"]).success();
    let settings = sb.read("sluss.toml");
    assert!(settings.contains("key = \"screening\""), "{settings}");
    assert!(!settings.contains("provning"), "{settings}");
    sb.run(&["coach", "add", "erik", "--name", "Erik Lind"])
        .success();
    let id = case(&sb);
    assert_eq!(field(&sb, &id, "stage"), "received");
    sb.run(&["advance", &id, "--to", "explore the need"])
        .success()
        .stdout_has("Received → Explore the need");
    assert_eq!(field(&sb, &id, "stage"), "explore");
    sb.run(&["advance", &id, "--to", "Develop"]).success();
    assert_eq!(field(&sb, &id, "stage"), "develop");

    // The Swedish template keeps its keys.
    let sv = Sandbox::new();
    assert!(sv.read("sluss.toml").contains("key = \"provning\""));
}

// ---------------------------------------------------------------------------------------
// Stages by display name in show, log and check
// ---------------------------------------------------------------------------------------

#[test]
fn advance_show_and_log_name_stages_by_display_name() {
    let sb = Sandbox::with_team();
    let id = case(&sb);
    sb.run(&["advance", &id, "--to", "utforska"])
        .success()
        .stdout_has("Inkommen → Utforska");
    let show = sb.run(&["show", &id]).success();
    assert!(
        show.stdout.contains(" stage      Utforska\n"),
        "{}",
        show.stdout
    );
    assert!(
        show.stdout.contains("Inkommen → Utforska"),
        "{}",
        show.stdout
    );
    sb.run(&["log", &id])
        .success()
        .stdout_has("Inkommen → Utforska");
}

// ---------------------------------------------------------------------------------------
// Dates as people say them
// ---------------------------------------------------------------------------------------

/// The days the words name on Tuesday 2020-06-30.
const DAYS: [(&str, &str); 8] = [
    ("idag", "2020-06-30"),
    ("today", "2020-06-30"),
    ("igår", "2020-06-29"),
    ("yesterday", "2020-06-29"),
    ("-3d", "2020-06-27"),
    ("-1w", "2020-06-23"),
    ("måndag", "2020-06-29"),
    ("friday", "2020-06-26"),
];

#[test]
fn session_date_takes_words_and_refuses_a_day_to_come() {
    let sb = Sandbox::with_team();
    // Made a fortnight before the days the sessions are dated.
    let id = sb.new_case_on(
        "2020-06-15",
        "Digital matsedel",
        &["--coach", "erik", "--need", "Boende vill se menyn"],
    );
    for (word, day) in DAYS {
        sb.run(&["session", &id, "--minutes", "30", "--date", word])
            .success()
            .stdout_has(&format!("on {day}"));
    }
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        for word in ["imorgon", "tomorrow", "+2d"] {
            sb.run(&["session", &id, "--minutes", "30", "--date", word])
                .failure(1)
                .stderr_has("is in the future");
        }
        sb.run(&["session", &id, "--minutes", "30", "--date", "igåår"])
            .failure(2)
            .stderr_has("'igåår' is not a date");
    });
    let help = sb.run(&["session", "--help"]).success();
    assert!(
        help.stdout.contains("today, igår, -3d, måndag"),
        "{}",
        help.stdout
    );
}

/// `args` with the day as a word gives what it gives with the ISO day.
#[track_caller]
fn same_as_iso(sb: &Sandbox, args: &[&str], flag: &str) {
    for (word, day) in DAYS {
        let with = |d: &str| {
            let mut a = args.to_vec();
            a.extend([flag, d]);
            sb.run(&a).success().stdout
        };
        assert_eq!(with(word), with(day), "{args:?} {flag} {word}");
    }
}

#[test]
fn summary_takes_words_for_as_of_since_and_until_and_refuses_days_to_come() {
    let sb = Sandbox::demo(1);
    let json = ["summary", "--format", "json"];
    same_as_iso(&sb, &json, "--as-of");
    same_as_iso(&sb, &json, "--since");
    same_as_iso(&sb, &json, "--until");
    sb.run(&["summary", "--as-of", "+2d"])
        .failure(2)
        .stderr_has("is after today");
}

#[test]
fn digest_takes_words_for_since_and_until() {
    let sb = Sandbox::demo(1);
    let md = ["digest", "--since", "2020-06-01", "--format", "json"];
    same_as_iso(&sb, &md, "--until");
    let a = sb
        .run(&[
            "digest", "--since", "-4w", "--until", "igår", "--format", "json",
        ])
        .success()
        .stdout;
    let b = sb
        .run(&[
            "digest",
            "--since",
            "2020-06-02",
            "--until",
            "2020-06-29",
            "--format",
            "json",
        ])
        .success()
        .stdout;
    assert_eq!(a, b);
}

#[test]
fn network_takes_words_for_as_of_and_joined() {
    let sb = Sandbox::demo(1);
    same_as_iso(&sb, &["network", "report", "--format", "json"], "--as-of");
    sb.run(&["network", "report", "--as-of", "+1w"])
        .failure(2)
        .stderr_has("is after today");
    sb.run(&[
        "network",
        "add",
        "matsalen",
        "--organisation",
        "Matsalen AB",
        "--kind",
        "company",
        "--joined",
        "måndag",
    ])
    .success();
    assert!(
        sb.read("network/matsalen.toml")
            .contains("joined = 2020-06-29")
    );
}

#[test]
fn program_takes_words_for_start_end_and_as_of() {
    let sb = Sandbox::with_team();
    sb.run(&[
        "program",
        "add",
        "sommar",
        "--name",
        "Sommarprogram",
        "--start",
        "måndag",
        "--end",
        "+8w",
    ])
    .success();
    let settings = sb.read("sluss.toml");
    assert!(
        settings.contains("start = 2020-06-29") && settings.contains("end = 2020-08-25"),
        "{settings}"
    );
    let id = case(&sb);
    sb.run(&["program", "join", &id, "Sommarprogram"]).success();
    same_as_iso(
        &sb,
        &["program", "show", "sommar", "--format", "json"],
        "--as-of",
    );
}

#[test]
fn maturity_takes_words_for_record_date_and_report_days_and_refuses_a_day_to_come() {
    let sb = Sandbox::demo(1);
    same_as_iso(&sb, &["maturity", "report", "--format", "json"], "--as-of");
    same_as_iso(&sb, &["maturity", "report", "--format", "json"], "--since");
    sb.run(&[
        "maturity",
        "record",
        "--unit",
        "Socialtjänst",
        "--score",
        "ledning=3",
        "--date",
        "igår",
    ])
    .success();
    assert!(sb.path("maturity/2020-06-29-socialtjanst.toml").is_file());
    sb.run(&[
        "maturity",
        "record",
        "--unit",
        "Socialtjänst",
        "--score",
        "ledning=3",
        "--date",
        "imorgon",
    ])
    .failure(1)
    .stderr_has("is in the future");
}

/// A hint names a dozen of a long register and how many there are, not all 90 members
/// of the network on one line.
#[test]
fn a_long_register_is_named_in_part_in_a_hint() {
    let sb = Sandbox::demo(1);
    let out = sb
        .run(&["partner", "add", "81e6", "juniskar-miljotekni"])
        .failure(2)
        .hint_has("did you mean 'juniskar-miljoteknik'?")
        .hint_has("… (90 in all)");
    let hint = out.stderr.lines().find(|l| l.starts_with("hint:")).unwrap();
    assert!(hint.matches(", ").count() < 15, "{hint}");
}

#[test]
fn agenda_today_board_and_step_take_days_with_a_hyphen() {
    let sb = Sandbox::demo(1);
    same_as_iso(
        &sb,
        &["agenda", "--coach", "sara", "--format", "json"],
        "--as-of",
    );
    same_as_iso(
        &sb,
        &["today", "--coach", "sara", "--format", "json"],
        "--as-of",
    );
    same_as_iso(&sb, &["board", "--format", "json"], "--as-of");
}
