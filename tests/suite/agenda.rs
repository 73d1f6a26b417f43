//! Next steps with due days, `sluss step`, and `sluss agenda` (`today`): the day's work
//! as a table, JSON and an iCalendar feed.

use std::collections::BTreeSet;
use std::fs;

use crate::common::*;

/// A repository with coaches erik and sara and one case of erik's, returning its id.
/// Erik's case, made on 1 May 2020, before the sessions the tests log in June.
fn erik_case() -> (Sandbox, String) {
    let sb = Sandbox::with_team();
    let id = sb.new_case_on("2020-05-01", "Digital matsedel", &["--coach", "erik"]);
    (sb, id)
}

#[test]
fn a_next_step_gets_a_due_day_as_people_say_it() {
    let (sb, id) = erik_case();
    // SLUSS_NOW is Tuesday 2020-06-30: "fredag" is the coming Friday.
    sb.run(&[
        "session",
        &id,
        "--minutes",
        "30",
        "--next-step",
        "Ta fram testplan",
        "--due",
        "fredag",
    ])
    .success();
    sb.run(&[
        "session",
        &id,
        "--minutes",
        "15",
        "--next-step",
        "Boka möte",
    ])
    .success();
    let text = sb.case_text(&id);
    assert!(
        text.contains(r#"next_steps = [{ text = "Ta fram testplan", due = 2020-07-03 }]"#),
        "{text}"
    );
    assert!(text.contains(r#"next_steps = ["Boka möte"]"#), "{text}");
    sb.run(&["check"]).success();
    // --due without a next step is a usage error.
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run(&["session", &id, "--minutes", "15", "--due", "+3d"])
            .failure(2);
    });
}

#[test]
fn step_done_marks_the_step_in_the_file_and_in_history() {
    let (sb, id) = erik_case();
    sb.run(&[
        "session",
        &id,
        "--minutes",
        "30",
        "--next-step",
        "Ta fram testplan",
        "--next-step",
        "Boka möte",
        "--due",
        "2020-07-10",
        "--date",
        "2020-06-20",
    ])
    .success();
    let rel = Sandbox::case_rel(&id);
    // Two open steps: say which; an unknown one is refused with the open ones listed.
    sb.assert_untouched(&rel, || {
        sb.run(&["step", "done", &id])
            .failure(1)
            .hint_has("1: Ta fram testplan; 2: Boka möte");
        sb.run(&["step", "done", &id, "7"])
            .failure(1)
            .stderr_has("no next step 7")
            .hint_has("1: Ta fram testplan; 2: Boka möte");
        sb.run(&["step", "done", &id, "intervju"])
            .failure(1)
            .stderr_has("no open next step reads 'intervju'");
        sb.run(&["step", "done", &id, "1", "--date", "imorgon"])
            .failure(1)
            .stderr_has("is in the future");
        sb.run(&["step", "done", &id, "1", "--date", "2020-01-01"])
            .failure(1)
            .hint_has("give --date 2020-06-20 or later");
    });
    sb.run(&["step", "done", &id, "testplan", "--date", "igår"])
        .success()
        .stdout_has("next step 1 done: Ta fram testplan");
    let text = sb.case_text(&id);
    assert!(
        text.contains(
            r#"next_steps = [{ text = "Ta fram testplan", due = 2020-07-10, done = 2020-06-29 }, { text = "Boka möte", due = 2020-07-10 }]"#
        ),
        "{text}"
    );
    let case = sb.case(&id);
    let last = case["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last["note"].as_str(),
        Some("next step done: Ta fram testplan")
    );
    assert_eq!(last["by"].as_str(), Some("erik"));
    // Done once is done: a second time is refused.
    sb.run(&["step", "done", &id, "1"])
        .failure(1)
        .stderr_has("was done on 2020-06-29");
    // The one open step left needs no name.
    sb.run(&["step", "done", &id]).success();
    let steps = sb
        .run(&["step", "list", &id, "--all", "--format", "json"])
        .json();
    let done: Vec<&str> = steps
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["done"].as_str().unwrap())
        .collect();
    assert_eq!(done, ["2020-06-29", "2020-06-30"]);
    sb.run(&["check"]).success();
}

#[test]
fn a_plain_step_marked_done_becomes_a_table_keeping_its_neighbours() {
    let (sb, id) = erik_case();
    let mut text = sb.case_text(&id);
    text.push_str(
        "\n[[sessions]]\ndate = 2020-06-01\ncoach = \"erik\"\nminutes = 30\n\
         next_steps = [\"Boka möte\", # ring först\n  \"Skriv rapport\"]\n",
    );
    sb.write_case(&id, &text);
    sb.run(&["step", "done", &id, "boka mote"]).success();
    let after = sb.case_text(&id);
    assert!(
        after.contains(
            "next_steps = [{ text = \"Boka möte\", done = 2020-06-30 }, # ring först\n  \"Skriv rapport\"]"
        ),
        "{after}"
    );
}

#[test]
fn check_reads_both_forms_and_names_a_bad_due_day() {
    let (mut sb, id) = erik_case();
    let text = sb.case_text(&id);
    sb.write_case(
        &id,
        &format!(
            "{text}\n[[sessions]]\ndate = 2020-06-01\ncoach = \"erik\"\nminutes = 30\n\
             next_steps = [\"Boka möte\", {{ text = \"Testa\", due = 2020-06-10, done = 2020-06-09 }}, {{ text = \"Skriv\", due = \"2020-07-01\" }}]\n"
        ),
    );
    sb.run(&["check"]).success();
    sb.write_case(
        &id,
        &format!(
            "{text}\n[[sessions]]\ndate = 2020-06-01\ncoach = \"erik\"\nminutes = 30\n\
             next_steps = [{{ text = \"Testa\", due = \"snart\" }}]\n"
        ),
    );
    sb.allow_broken_cases();
    sb.run(&["check"])
        .failure(1)
        .stdout_has("'snart' is not a date");
}

#[test]
fn check_flags_a_step_done_in_the_future_or_before_it_was_agreed() {
    let (sb, id) = erik_case();
    let text = sb.case_text(&id);
    let with_steps = |steps: &str| {
        format!(
            "{text}\n[[sessions]]\ndate = 2020-06-10\ncoach = \"erik\"\nminutes = 30\n\
             next_steps = [{steps}]\n"
        )
    };
    sb.write_case(&id, &with_steps(r#"{ text = "Testa", done = 2020-07-02 }"#));
    sb.run(&["check"])
        .failure(1)
        .stdout_has("next step 'Testa' is done on 2020-07-02, in the future");
    sb.write_case(
        &id,
        &with_steps(r#""Boka", { text = "Testa", done = 2020-06-01 }"#),
    );
    sb.run(&["check"])
        .stdout_has("before the session of 2020-06-10 that agreed on it");
    sb.write_case(&id, &with_steps(r#"{ text = "Testa", done = 2020-06-12 }"#));
    let out = sb.run(&["check"]).success();
    assert!(!out.stdout.contains("Testa"), "{}", out.stdout);
}

#[test]
fn the_agenda_of_the_demo_on_its_last_day() {
    let sb = Sandbox::demo(1);
    let out = sb.cmd(&["agenda"]).env("SLUSS_WIDTH", "80").run().success();
    for line in out.stdout.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
    insta::assert_snapshot!(out.stdout);
    // `today` is the same command.
    let today = sb.cmd(&["today"]).env("SLUSS_WIDTH", "80").run().success();
    assert_eq!(today.stdout, out.stdout);
}

#[test]
fn the_agenda_as_json_orders_each_part() {
    let sb = Sandbox::demo(1);
    let a = sb.run(&["agenda", "--format", "json"]).success().json();
    assert_eq!(a["day"], "2020-06-30");
    assert_eq!(a["coach"], "erik");
    let steps = a["next_steps"].as_array().unwrap();
    let late: Vec<i64> = steps
        .iter()
        .map_while(|s| s["overdue_days"].as_i64())
        .collect();
    assert_eq!(late, [106, 4, 0], "overdue first, the longest first");
    assert_eq!(steps[3]["due"], "2020-07-03", "then by due day");
    assert!(
        steps[4..].iter().all(|s| s["due"].is_null()),
        "undated last"
    );
    assert!(steps.iter().all(|s| s["coach"] == "erik"));
    let follow: Vec<&str> = a["follow_ups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["follow_up"].as_str().unwrap())
        .collect();
    assert_eq!(follow, ["2020-06-15", "2020-06-29"]);
    let idle: Vec<i64> = a["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["idle_days"].as_i64().unwrap())
        .collect();
    assert_eq!(idle.len(), 5);
    assert!(idle.windows(2).all(|w| w[0] >= w[1]), "{idle:?}");
    // Everyone's: sara's and maria's steps too, still overdue first.
    let all = sb
        .run(&["agenda", "--all", "--format", "json"])
        .success()
        .json();
    assert!(all["coach"].is_null());
    let coaches: BTreeSet<&str> = all["next_steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["coach"].as_str())
        .collect();
    assert_eq!(coaches, BTreeSet::from(["erik", "maria", "sara"]));
    assert_eq!(all["next_steps"][0]["overdue_days"], 106);
}

#[test]
fn the_agenda_names_its_coach_by_key_or_name_and_suggests() {
    let sb = Sandbox::demo(1);
    let a = sb
        .run(&["agenda", "--coach", "Sara Holm", "--format", "json"])
        .success()
        .json();
    assert_eq!(a["coach"], "sara");
    assert_eq!(a["next_steps"][0]["case"], "2yn7dwwjwc0c");
    sb.run(&["agenda", "--coach", "sarah"])
        .fails()
        .hint_has("did you mean 'sara'?");
    // Someone who is not a coach is asked to say whose agenda.
    sb.cmd(&["agenda"])
        .env("SLUSS_USER", "Kim")
        .run()
        .failure(2)
        .stderr_has("you (Kim) are not a coach")
        .hint_has("--all");
}

#[test]
fn the_agenda_of_an_earlier_day_counts_only_what_had_happened() {
    let sb = Sandbox::demo(1);
    // On 2020-05-01 sara's first step of 2yn7 was done (2020-04-06), the second agreed
    // (2020-04-06) and "Kontakta IT-avdelningen" not done yet (done 2020-06-25).
    let a = sb
        .run(&[
            "agenda",
            "--coach",
            "sara",
            "--as-of",
            "2020-05-01",
            "--format",
            "json",
        ])
        .success()
        .json();
    assert_eq!(a["day"], "2020-05-01");
    let texts: Vec<&str> = a["next_steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["case"] == "2yn7dwwjwc0c")
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["Ta fram testplan", "Kontakta IT-avdelningen"]);
    assert!(
        a["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["date"].as_str().unwrap() <= "2020-05-01")
    );
}

/// The content lines of an iCalendar text, checked for what RFC 5545 requires of
/// every line: CRLF endings, at most 75 octets, continuation lines unfolded.
fn ics_lines(text: &str) -> Vec<String> {
    assert!(text.ends_with("\r\n"), "ends in CRLF");
    let body = &text[..text.len() - 2];
    let mut lines: Vec<String> = Vec::new();
    for raw in body.split("\r\n") {
        assert!(
            !raw.contains('\n') && !raw.contains('\r'),
            "bare line break"
        );
        assert!(raw.len() <= 75, "{} octets: {raw}", raw.len());
        match raw.strip_prefix(' ') {
            Some(rest) => lines.last_mut().expect("a line to continue").push_str(rest),
            None => lines.push(raw.to_string()),
        }
    }
    lines
}

/// Checks the feed's structure; returns its events' UIDs.
fn ics_events(lines: &[String]) -> Vec<String> {
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert!(lines.iter().any(|l| l == "VERSION:2.0"));
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")));
    let mut open: Vec<&str> = Vec::new();
    let mut uids = Vec::new();
    for l in lines {
        if let Some(what) = l.strip_prefix("BEGIN:") {
            open.push(what);
        } else if let Some(what) = l.strip_prefix("END:") {
            assert_eq!(open.pop(), Some(what), "END:{what} without its BEGIN");
        } else if let Some(uid) = l.strip_prefix("UID:") {
            assert_eq!(open.last(), Some(&"VEVENT"));
            uids.push(uid.to_string());
        }
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
    let unique: BTreeSet<&String> = uids.iter().collect();
    assert_eq!(unique.len(), uids.len(), "UIDs are unique");
    uids
}

#[test]
fn the_ics_feed_is_well_formed_and_stable() {
    let sb = Sandbox::demo(1);
    let out = sb.run(&["agenda", "--format", "ics"]).success();
    let lines = ics_lines(&out.stdout);
    let uids = ics_events(&lines);
    let json = sb.run(&["agenda", "--format", "json"]).success().json();
    let due = json["next_steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| !s["due"].is_null())
        .count();
    let sessions = json["sessions"].as_array().unwrap().len();
    assert_eq!(uids.len(), sessions + due);
    // A UID is the case, the kind, the day it was agreed on and a hash of what it is.
    assert!(uids.contains(&"44dpjb8etyr4-step-20200302-bc7650d501@sluss".to_string()));
    // DTSTAMP is the command's clock (SLUSS_NOW 2020-06-30T12:00:00+02:00), in UTC.
    assert!(
        lines
            .iter()
            .filter(|l| l.starts_with("DTSTAMP"))
            .all(|l| l == "DTSTAMP:20200630T100000Z")
    );
    // Every event lasts one whole day.
    assert!(lines.iter().any(|l| l == "DTSTART;VALUE=DATE:20200316"));
    assert!(lines.iter().any(|l| l == "DTEND;VALUE=DATE:20200317"));
    // The sluice's language, Swedish, unless asked otherwise.
    let sv = sb
        .cmd(&["agenda", "--format", "ics"])
        .env_remove("SLUSS_LANG")
        .run()
        .success();
    assert!(
        sv.stdout
            .contains("SUMMARY:Nästa steg: Skicka kompletterande frågor")
    );
    // The same repository gives the same feed, and -o FILE.ics picks the format.
    sb.run(&["agenda", "-o", "erik.ics"])
        .success()
        .stderr_has("Wrote erik.ics");
    assert_eq!(fs::read_to_string(sb.path("erik.ics")).unwrap(), out.stdout);
    // The header and the first two events.
    let end = out.stdout.match_indices("END:VEVENT\r\n").nth(1).unwrap();
    let first = &out.stdout[..end.0 + end.1.len()];
    let first = first.replace(env!("CARGO_PKG_VERSION"), "VERSION");
    insta::assert_snapshot!(first.replace("\r\n", "\u{240d}\n"));
}

#[test]
fn the_ics_feed_escapes_folds_and_names_nobody_without_consent() {
    let sb = Sandbox::with_team();
    // The submitter (without consent) is named in the title; the title is long and
    // has the characters TEXT escapes.
    let title = "Anna Bergs idé; matsedel, bilder och ljud \\ för boende på Solgården i Sundsvall och Timrå";
    let id = sb.new_case(title, &["--coach", "erik"]);
    sb.run(&[
        "session",
        &id,
        "--minutes",
        "45",
        "--next-step",
        "Ring Anna Berg",
        "--due",
        "+1w",
    ])
    .success();
    let out = sb.run(&["agenda", "--format", "ics"]).success();
    assert!(!out.stdout.contains("Anna"), "{}", out.stdout);
    let lines = ics_lines(&out.stdout);
    assert_eq!(ics_events(&lines).len(), 2);
    let summary = lines
        .iter()
        .find(|l| l.starts_with("SUMMARY:Coaching:"))
        .unwrap();
    assert_eq!(
        summary,
        "SUMMARY:Coaching: [removed] idé\\; matsedel\\, bilder och ljud \\\\ för boende på \
         Solgården i Sundsvall och Timrå (45 min)"
    );
    assert!(lines.iter().any(|l| l == "DTSTART;VALUE=DATE:20200707"));
    // In the terminal the coach sees the names.
    sb.run(&["agenda"]).success().stdout_has("Ring Anna Berg");
}

#[test]
fn steps_marked_done_on_two_branches_merge_cleanly() {
    let (sb, id) = erik_case();
    sb.run(&[
        "session",
        &id,
        "--minutes",
        "30",
        "--next-step",
        "Ta fram testplan",
        "--next-step",
        "Boka möte",
        "--date",
        "2020-06-20",
    ])
    .success();
    let base = sb.case_text(&id);
    sb.run(&["step", "done", &id, "1"]).success();
    let ours = sb.case_text(&id);
    sb.write_case(&id, &base);
    sb.run_on("2020-06-29", &["step", "done", &id, "2"])
        .success();
    let theirs = sb.case_text(&id);
    let dir = sb.base().join("merge");
    fs::create_dir_all(&dir).unwrap();
    for (name, text) in [("base", &base), ("ours", &ours), ("theirs", &theirs)] {
        fs::write(dir.join(name), text).unwrap();
    }
    let rel = Sandbox::case_rel(&id);
    sb.cmd(&["merge-driver", "base", "ours", "theirs", &rel])
        .current_dir(&dir)
        .run()
        .success();
    let merged: toml::Table =
        toml::from_str(&fs::read_to_string(dir.join("ours")).unwrap()).unwrap();
    let steps = merged["sessions"][0]["next_steps"].as_array().unwrap();
    assert_eq!(steps[0]["done"].to_string(), "2020-06-30");
    assert_eq!(steps[1]["done"].to_string(), "2020-06-29");
    let before: toml::Table = toml::from_str(&base).unwrap();
    let count = |t: &toml::Table| {
        t.get("history")
            .and_then(|h| h.as_array())
            .map_or(0, Vec::len)
    };
    assert_eq!(
        count(&merged),
        count(&before) + 2,
        "both history entries kept"
    );
}

#[test]
fn new_cases_without_a_coach_are_on_every_agenda_and_top_limits_the_waiting() {
    let sb = Sandbox::with_team();
    let mine = sb.new_case_on("2020-06-01", "Digital matsedel", &["--coach", "erik"]);
    let nobodys = sb.new_case_on("2020-06-10", "Cykelpool", &[]);
    sb.new_case_on("2020-06-20", "Sara's", &["--coach", "sara"]);
    let a = sb
        .run(&["agenda", "--top", "1", "--format", "json"])
        .success()
        .json();
    let unassigned: Vec<&str> = a["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["case"].as_str().unwrap())
        .collect();
    assert_eq!(unassigned, [nobodys.as_str()]);
    let waiting = a["waiting"].as_array().unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["case"], mine.as_str());
    assert_eq!(waiting[0]["idle_days"], 29);
    sb.run(&["agenda"])
        .success()
        .stdout_has("New cases without a coach")
        .stdout_has("Cykelpool");
}

#[test]
fn a_follow_up_looks_ahead_and_days_out_of_bounds_are_refused() {
    let (sb, id) = erik_case();
    let case = Sandbox::case_rel(&id);
    // SLUSS_NOW is Tuesday 2020-06-30: "fredag" is the coming Friday, 4d four days on.
    sb.run(&["set", &id, "--follow-up", "fredag"]).success();
    assert_eq!(sb.case(&id)["follow_up"].to_string(), "2020-07-03");
    sb.run(&["set", &id, "--follow-up", "4d"]).success();
    assert_eq!(sb.case(&id)["follow_up"].to_string(), "2020-07-04");
    sb.run(&["set", &id, "--follow-up", "-2d"]).success();
    assert_eq!(sb.case(&id)["follow_up"].to_string(), "2020-06-28");
    sb.assert_untouched(&case, || {
        sb.run(&["set", &id, "--follow-up", "0000-01-01"])
            .failure(1)
            .stderr_has("before the case was created (2020-05-01)")
            .hint_has("the next one");
        sb.run(&["set", &id, "--follow-up", "+99999d"])
            .failure(1)
            .stderr_has("more than 10 years ahead");
        sb.run(&["set", &id, "--follow-up", "snart"])
            .failure(2)
            .hint_has("the next one");
        sb.run(&[
            "session",
            &id,
            "--minutes",
            "30",
            "--next-step",
            "Testa",
            "--due",
            "9999-12-31",
        ])
        .failure(1)
        .stderr_has("more than 10 years ahead");
        sb.run(&[
            "session",
            &id,
            "--minutes",
            "30",
            "--next-step",
            "Testa",
            "--due",
            "+99999d",
        ])
        .failure(1)
        .stderr_has("more than 10 years ahead");
    });
    sb.run(&[
        "session",
        &id,
        "--minutes",
        "30",
        "--next-step",
        "Testa",
        "--due",
        "+2w",
    ])
    .success();
}

#[test]
fn a_due_day_before_the_session_that_agreed_on_it_is_refused() {
    let (sb, id) = erik_case();
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run(&[
            "session",
            &id,
            "--minutes",
            "30",
            "--date",
            "2020-06-20",
            "--next-step",
            "Testa",
            "--due",
            "2020-06-10",
        ])
        .failure(1)
        .stderr_has("due day 2020-06-10 is before the session that agrees on the step (2020-06-20)")
        .hint_has("2020-06-20");
    });
    // A past session may agree on a step due on a day since gone by.
    sb.run(&[
        "session",
        &id,
        "--minutes",
        "30",
        "--date",
        "2020-06-20",
        "--next-step",
        "Testa",
        "--due",
        "2020-06-25",
    ])
    .success();
}

#[test]
fn check_flags_follow_up_and_due_days_out_of_bounds() {
    let (mut sb, id) = erik_case();
    sb.allow_broken_cases();
    let text = sb.case_text(&id);
    let with = |follow_up: &str, due: &str| {
        let text = text.replacen("\n", &format!("\nfollow_up = {follow_up}\n"), 1);
        format!(
            "{text}\n[[sessions]]\ndate = 2020-06-10\ncoach = \"erik\"\nminutes = 30\n\
             next_steps = [{{ text = \"Testa\", due = {due} }}]\n"
        )
    };
    sb.write_case(&id, &with("0000-01-01", "0000-01-01"));
    sb.run(&["check"])
        .stdout_has("follow_up 0000-01-01 is before the case was created (2020-05-01)")
        .stdout_has("next step 'Testa': due 0000-01-01 is before the session that agreed on it (2020-06-10)");
    sb.write_case(&id, &with("9999-12-31", "2020-06-01"));
    sb.run(&["check"])
        .stdout_has("follow_up 9999-12-31 is more than 10 years ahead")
        .stdout_has("due 2020-06-01 is before the session");
    sb.write_case(&id, &with("2020-07-03", "2020-06-12"));
    let out = sb.run(&["check"]).success();
    assert!(!out.stdout.contains("Testa"), "{}", out.stdout);
    assert!(!out.stdout.contains("follow_up"), "{}", out.stdout);
}

#[test]
fn ics_uids_stay_when_a_merge_puts_an_earlier_session_first() {
    let (mut sb, id) = erik_case();
    sb.allow_broken_cases();
    sb.run_on(
        "2020-06-10",
        &[
            "session",
            &id,
            "--minutes",
            "30",
            "--next-step",
            "Testa",
            "--due",
            "+2w",
        ],
    )
    .success();
    let uids = |sb: &Sandbox| {
        let out = sb.run(&["agenda", "--format", "ics"]).success();
        ics_events(&ics_lines(&out.stdout))
    };
    let before = uids(&sb);
    assert_eq!(before.len(), 2, "{before:?}");
    // What a merge gives when another branch logged an earlier session: it comes first.
    let text = sb.case_text(&id);
    let at = text.find("[[sessions]]").expect("a session");
    let earlier = "[[sessions]]\ndate = 2020-06-05\ncoach = \"erik\"\nminutes = 15\n\
                   next_steps = [{ text = \"Boka\", due = 2020-07-20 }]\n\n";
    sb.write_case(&id, &format!("{}{earlier}{}", &text[..at], &text[at..]));
    sb.run(&["check"]).success();
    let after = uids(&sb);
    assert_eq!(after.len(), 4, "{after:?}");
    for uid in &before {
        assert!(after.contains(uid), "{uid} is gone: {after:?}");
    }
}

#[test]
fn an_empty_calendar_is_refused_and_days_past_9999_are_left_out() {
    let (mut sb, id) = erik_case();
    sb.allow_broken_cases();
    sb.run(&["agenda", "--coach", "erik", "--format", "ics"])
        .failure(1)
        .stderr_has("nothing to put in a calendar");
    sb.run(&["agenda", "--coach", "erik", "-o", "erik.ics"])
        .failure(1);
    assert!(!sb.path("erik.ics").exists());
    let text = sb.case_text(&id);
    sb.write_case(
        &id,
        &format!(
            "{text}\n[[sessions]]\ndate = 2020-06-10\ncoach = \"erik\"\nminutes = 30\n\
             next_steps = [{{ text = \"Aldrig\", due = 9999-12-31 }}, {{ text = \"Snart\", due = 2020-07-01 }}]\n"
        ),
    );
    let out = sb
        .run(&["agenda", "--coach", "erik", "--format", "ics"])
        .success();
    let lines = ics_lines(&out.stdout);
    assert_eq!(ics_events(&lines).len(), 2, "{}", out.stdout);
    assert!(!out.stdout.contains("Aldrig"), "{}", out.stdout);
    for l in lines
        .iter()
        .filter(|l| l.starts_with("DTSTART") || l.starts_with("DTEND"))
    {
        let day = l.rsplit(':').next().unwrap();
        assert!(
            day.len() == 8 && day.bytes().all(|b| b.is_ascii_digit()),
            "{l}"
        );
    }
}

#[test]
fn step_done_by_a_text_two_open_steps_share_is_ambiguous() {
    let (sb, id) = erik_case();
    sb.run(&[
        "session",
        &id,
        "--minutes",
        "30",
        "--date",
        "2020-06-20",
        "--next-step",
        "Ringa Anna",
        "--next-step",
        "Ringa Anna",
    ])
    .success();
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        sb.run(&["step", "done", &id, "ringa anna"])
            .failure(1)
            .stderr_has("open next steps 1, 2; say which by its number");
    });
    sb.run(&["step", "done", &id, "2", "--date", "-3d"])
        .success();
    assert!(sb.case_text(&id).contains("done = 2020-06-27"));
    sb.run(&["step", "done", &id, "Ringa Anna"]).success();
}

#[test]
fn a_blank_next_step_or_one_with_control_characters_is_refused_and_flagged() {
    let (mut sb, id) = erik_case();
    sb.assert_untouched(&Sandbox::case_rel(&id), || {
        for bad in ["  ", "Ring\u{1b}[31mAnna", "Ring\nAnna"] {
            sb.run(&["session", &id, "--minutes", "30", "--next-step", bad])
                .failure(1)
                .hint_has("one line of plain text");
        }
    });
    sb.allow_broken_cases();
    let text = sb.case_text(&id);
    sb.write_case(
        &id,
        &format!(
            "{text}\n[[sessions]]\ndate = 2020-06-10\ncoach = \"erik\"\nminutes = 30\n\
             next_steps = [\"Ring\\u001b[31mAnna\"]\n"
        ),
    );
    sb.run(&["check"]).stdout_has(
        r"next step 'Ring\u{1b}[31mAnna' is empty or has a line break, a control character",
    );
}

#[test]
fn steps_written_as_an_array_of_tables_are_checked_and_marked_done() {
    let (sb, id) = erik_case();
    let text = sb.case_text(&id);
    sb.write_case(
        &id,
        &format!(
            "{text}\n[[sessions]]\ndate = 2020-06-10\ncoach = \"erik\"\nminutes = 30\n\n\
             [[sessions.next_steps]]\ntext = \"Testa\"\ndue = 2020-07-01\n\n\
             [[sessions.next_steps]]\ntext = \"Boka möte\"\n"
        ),
    );
    sb.run(&["check"]).success();
    sb.run(&["step", "done", &id, "boka"]).success();
    let after = sb.case_text(&id);
    assert!(
        after.contains("[[sessions.next_steps]]\ntext = \"Boka möte\"\ndone = 2020-06-30\n"),
        "{after}"
    );
    sb.run(&["check"]).success();
    sb.run(&["step", "done", &id, "1", "--date", "-2d"])
        .success();
    assert!(
        sb.case_text(&id)
            .contains("due = 2020-07-01\ndone = 2020-06-28\n")
    );
    sb.run(&["check"]).success();
}

#[test]
fn a_step_due_today_says_today_and_an_agenda_without_coaches_points_to_coach_add() {
    let sb = Sandbox::demo(1);
    let en = sb.run(&["agenda", "--coach", "erik"]).success();
    assert!(
        en.stdout
            .contains(" sv81qbbg4nd7  3  Ta fram prototyp               2020-06-30  today\n"),
        "{}",
        en.stdout
    );
    assert!(!en.stdout.contains(" 0 d"), "{}", en.stdout);
    let sv = sb
        .run(&["agenda", "--coach", "erik", "--lang", "sv"])
        .success();
    assert!(sv.stdout.contains("2020-06-30  idag"), "{}", sv.stdout);

    let empty = Sandbox::new();
    empty
        .cmd(&["agenda"])
        .env("SLUSS_USER", "sara")
        .run()
        .failure(2)
        .hint_has("add one with `sluss coach add KEY --name NAME`");
}

#[test]
fn agenda_to_a_missing_folder_says_so_once() {
    let sb = Sandbox::demo(1);
    let out = sb
        .run(&["today", "--coach", "erik", "-o", "/nonexist/x.ics"])
        .failure(2);
    assert_eq!(
        out.stderr.trim_end(),
        "error: /nonexist/x.ics: No such file or directory (os error 2)",
    );
}
