//! `summary`: the numbers other tools rely on (`--format json`), worked out by hand on a
//! small portfolio, now and replayed `--as-of` earlier days, and the table for people.

use serde_json::{Value, json};

use crate::common::{Sandbox, trim_lines};

/// Six cases, written by hand. Today is 2020-06-30 and stale_after_days is 60.
/// Stage indexes: inkommen 0, provning 1, utforska 2, utveckla 3, testa 4, verifiera 5,
/// infora 6.
///
/// - aaaa: moved to provning, then straight to utveckla; reassigned; closed handed_over
///   on 2020-01-15. Sessions: erik 60 (2019-03-05), sara 90 (2019-12-01).
/// - bbbb: open in testa, last touched 2020-05-15. Its move to utveckla happened at
///   2019-10-02T00:30+02:00, which is still 2019-10-01 in UTC: by the spec it counts on
///   its own day, the 2nd. Sessions: erik 60 (2019-09-01), erik 30 (2020-05-10).
/// - cccc: parked on 2020-02-01 in utforska. Its move to utforska happened at
///   2019-10-01T23:30-02:00 (already the 2nd in UTC): it counts on the 1st.
///   Session: maria 45 (2019-10-01); maria is no longer a coach in sluss.toml.
/// - dddd: created 2020-01-10, open in provning, last touched 2020-02-15: stale.
///   Session: sara 120 (2020-02-15).
/// - eeee: created 2020-06-01, open in inkommen, never touched.
/// - ffff: reached utveckla, moved back to utforska, parked, reopened, closed stopped on
///   2020-03-01. Session: erik 30 (2019-02-20).
fn portfolio() -> Sandbox {
    let sb = Sandbox::with_team();
    sb.write_case(
        "aaaa",
        r#"id = "aaaa"
title = "Digital matsedel på äldreboenden"
created = 2019-03-02T09:15:00+01:00
stage = "utveckla"
status = "closed"
outcome = "handed_over"
coach = "sara"
unit = "Vård och omsorg"
tags = ["välfärd"]

[[history]]
at = 2019-03-10T10:00:00+01:00
by = "erik"
from = "inkommen"
to = "provning"

[[history]]
at = 2019-04-10T13:02:11+02:00
by = "erik"
from = "provning"
to = "utveckla"

[[history]]
at = 2019-11-04T09:00:00+01:00
by = "maria"
coach = "sara"

[[history]]
at = 2020-01-15T10:00:00+01:00
by = "sara"
status = "closed"
outcome = "handed_over"

[[sessions]]
date = 2019-03-05
coach = "erik"
minutes = 60

[[sessions]]
date = 2019-12-01
coach = "sara"
minutes = 90
"#,
    );
    sb.write_case(
        "bbbb",
        r#"id = "bbbb"
title = "Skolskjuts i appen"
created = 2019-06-01T10:00:00+02:00
stage = "testa"
status = "open"
coach = "erik"
unit = "Skola"

[[history]]
at = 2019-06-05T10:00:00+02:00
by = "erik"
from = "inkommen"
to = "provning"

[[history]]
at = 2019-08-01T10:00:00+02:00
by = "erik"
from = "provning"
to = "utforska"

[[history]]
at = 2019-10-02T00:30:00+02:00
by = "erik"
from = "utforska"
to = "utveckla"

[[history]]
at = 2020-05-15T10:00:00+02:00
by = "erik"
from = "utveckla"
to = "testa"

[[sessions]]
date = 2019-09-01
coach = "erik"
minutes = 60

[[sessions]]
date = 2020-05-10
coach = "erik"
minutes = 30
"#,
    );
    sb.write_case(
        "cccc",
        r#"id = "cccc"
title = "Läxhjälp på distans"
created = 2019-09-01T08:00:00+02:00
stage = "utforska"
status = "parked"
coach = "erik"
unit = "Skola"

[[history]]
at = 2019-09-02T09:00:00+02:00
by = "erik"
from = "inkommen"
to = "provning"

[[history]]
at = 2019-10-01T23:30:00-02:00
by = "erik"
from = "provning"
to = "utforska"

[[history]]
at = 2020-02-01T09:00:00+01:00
by = "erik"
status = "parked"
note = "Väntar på budget"

[[sessions]]
date = 2019-10-01
coach = "maria"
minutes = 45
"#,
    );
    sb.write_case(
        "dddd",
        r#"id = "dddd"
title = "Trygghetslarm"
created = 2020-01-10T09:00:00+01:00
stage = "provning"
status = "open"
coach = "sara"
unit = "Vård och omsorg"

[[history]]
at = 2020-01-20T09:00:00+01:00
by = "sara"
from = "inkommen"
to = "provning"

[[sessions]]
date = 2020-02-15
coach = "sara"
minutes = 120
"#,
    );
    sb.write_case(
        "eeee",
        r#"id = "eeee"
title = "Meröppet bibliotek"
created = 2020-06-01T09:00:00+02:00
stage = "inkommen"
status = "open"
unit = "Kultur"
"#,
    );
    sb.write_case(
        "ffff",
        r#"id = "ffff"
title = "Snöröjning med drönare"
created = 2019-02-01T09:00:00+01:00
stage = "utforska"
status = "closed"
outcome = "stopped"
coach = "erik"
unit = "Teknik"

[[history]]
at = 2019-02-10T09:00:00+01:00
by = "erik"
from = "inkommen"
to = "provning"

[[history]]
at = 2019-03-01T09:00:00+01:00
by = "erik"
from = "provning"
to = "utveckla"

[[history]]
at = 2019-05-01T09:00:00+02:00
by = "erik"
from = "utveckla"
to = "utforska"
note = "Behovet var inte bekräftat"

[[history]]
at = 2019-06-01T09:00:00+02:00
by = "erik"
status = "parked"
note = "Sommaruppehåll"

[[history]]
at = 2019-09-01T09:00:00+02:00
by = "erik"
status = "open"

[[history]]
at = 2020-03-01T09:00:00+01:00
by = "erik"
status = "closed"
outcome = "stopped"

[[sessions]]
date = 2019-02-20
coach = "erik"
minutes = 30
"#,
    );
    sb
}

fn summary_json(sb: &Sandbox, extra: &[&str]) -> Value {
    let mut args = vec!["summary", "--format", "json"];
    args.extend_from_slice(extra);
    let out = sb.run(&args).success();
    assert_eq!(out.stderr, "", "no warnings");
    out.json()
}

/// Asserts a map of counts: the given keys have these numbers, any other key is 0 (a
/// zero may be written out or left out).
#[track_caller]
fn assert_counts(actual: &Value, expected: &[(&str, u64)]) {
    let map = actual.as_object().expect("an object of counts");
    for (key, n) in expected {
        assert_eq!(map.get(*key), Some(&json!(n)), "{key} in {actual}");
    }
    for (key, value) in map {
        if !expected.iter().any(|(k, _)| k == key) {
            assert_eq!(value, &json!(0), "{key} should be 0 or absent in {actual}");
        }
    }
}

/// Asserts the stages in pipeline order as (key, name, open, reached).
#[track_caller]
fn assert_stages(actual: &Value, expected: &[(&str, &str, u64, u64)]) {
    let got: Vec<(String, String, u64, u64)> = actual
        .as_array()
        .expect("stages is a list")
        .iter()
        .map(|s| {
            (
                s["key"].as_str().unwrap().to_string(),
                s["name"].as_str().unwrap().to_string(),
                s["open"].as_u64().unwrap(),
                s["reached"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, String, u64, u64)> = expected
        .iter()
        .map(|(k, n, o, r)| (k.to_string(), n.to_string(), *o, *r))
        .collect();
    assert_eq!(got, want);
}

/// Asserts coaching per coach, sorted by key; coaches without sessions may be listed
/// with zeros or left out.
#[track_caller]
fn assert_by_coach(actual: &Value, expected: &[(&str, u64, u64)]) {
    let got: Vec<(String, u64, u64)> = actual
        .as_array()
        .expect("by_coach is a list")
        .iter()
        .map(|c| {
            (
                c["coach"].as_str().unwrap().to_string(),
                c["sessions"].as_u64().unwrap(),
                c["minutes"].as_u64().unwrap(),
            )
        })
        .collect();
    let keys: Vec<&String> = got.iter().map(|(k, _, _)| k).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "by_coach is sorted by coach key");
    let nonzero: Vec<(String, u64, u64)> = got.into_iter().filter(|(_, s, _)| *s > 0).collect();
    let want: Vec<(String, u64, u64)> = expected
        .iter()
        .map(|(k, s, m)| (k.to_string(), *s, *m))
        .collect();
    assert_eq!(nonzero, want);
}

#[test]
fn summary_json_today() {
    let sb = portfolio();
    let s = summary_json(&sb, &[]);
    assert_eq!(s["as_of"], "2020-06-30");
    assert_eq!(s["total"], 6);
    assert_eq!(s["by_status"], json!({"open": 3, "parked": 1, "closed": 2}));
    assert_counts(&s["by_outcome"], &[("handed_over", 1), ("stopped", 1)]);
    // open: bbbb in testa, dddd in provning, eeee in inkommen.
    // furthest: aaaa 3, bbbb 4, cccc 2, dddd 1, eeee 0, ffff 3 (it went back).
    assert_stages(
        &s["stages"],
        &[
            ("inkommen", "Inkommen", 1, 6),
            ("provning", "Prövning", 1, 5),
            ("utforska", "Utforska", 0, 4),
            ("utveckla", "Utveckla", 0, 3),
            ("testa", "Testa", 1, 1),
            ("verifiera", "Verifiera", 0, 0),
            ("infora", "Införa", 0, 0),
        ],
    );
    assert_eq!(s["coaching"]["sessions"], 7);
    assert_eq!(s["coaching"]["minutes"], 435);
    // Counted by the session's coach, even one no longer in sluss.toml, sorted by key.
    assert_by_coach(
        &s["coaching"]["by_coach"],
        &[("erik", 4, 180), ("maria", 1, 45), ("sara", 2, 210)],
    );
    // dddd: idle since 2020-02-15, 136 days. bbbb: 46 days. eeee: 29 days.
    assert_eq!(s["stale"], 1);
}

#[test]
fn summary_json_as_of_2019_10_01_replays_history() {
    let sb = portfolio();
    let s = summary_json(&sb, &["--as-of", "2019-10-01"]);
    assert_eq!(s["as_of"], "2019-10-01");
    // dddd and eeee did not exist yet.
    assert_eq!(s["total"], 4);
    // aaaa was not yet closed, cccc not yet parked, ffff had been reopened.
    assert_eq!(s["by_status"], json!({"open": 4, "parked": 0, "closed": 0}));
    assert_counts(&s["by_outcome"], &[]);
    // aaaa in utveckla; bbbb still in utforska (its next move counts on the 2nd);
    // cccc already in utforska (its move counts on the 1st); ffff back in utforska.
    assert_stages(
        &s["stages"],
        &[
            ("inkommen", "Inkommen", 0, 4),
            ("provning", "Prövning", 0, 4),
            ("utforska", "Utforska", 3, 4),
            ("utveckla", "Utveckla", 1, 2),
            ("testa", "Testa", 0, 0),
            ("verifiera", "Verifiera", 0, 0),
            ("infora", "Införa", 0, 0),
        ],
    );
    // erik 60 + 60 + 30, maria 45; sara's sessions came later.
    assert_eq!(s["coaching"]["sessions"], 4);
    assert_eq!(s["coaching"]["minutes"], 195);
    assert_by_coach(
        &s["coaching"]["by_coach"],
        &[("erik", 3, 150), ("maria", 1, 45)],
    );
    // aaaa: idle since 2019-04-10, 174 days.
    assert_eq!(s["stale"], 1);
}

#[test]
fn summary_json_as_of_2020_02_15_replays_status_changes() {
    let sb = portfolio();
    let s = summary_json(&sb, &["--as-of", "2020-02-15"]);
    assert_eq!(s["as_of"], "2020-02-15");
    // eeee did not exist yet.
    assert_eq!(s["total"], 5);
    // aaaa closed (2020-01-15), cccc parked (2020-02-01), ffff not yet closed.
    assert_eq!(s["by_status"], json!({"open": 3, "parked": 1, "closed": 1}));
    assert_counts(&s["by_outcome"], &[("handed_over", 1)]);
    assert_stages(
        &s["stages"],
        &[
            ("inkommen", "Inkommen", 0, 5),
            ("provning", "Prövning", 1, 5),
            ("utforska", "Utforska", 1, 4),
            ("utveckla", "Utveckla", 1, 3),
            ("testa", "Testa", 0, 0),
            ("verifiera", "Verifiera", 0, 0),
            ("infora", "Införa", 0, 0),
        ],
    );
    // A session on the day itself counts (dddd's, 2020-02-15).
    assert_eq!(s["coaching"]["sessions"], 6);
    assert_eq!(s["coaching"]["minutes"], 405);
    assert_by_coach(
        &s["coaching"]["by_coach"],
        &[("erik", 3, 150), ("maria", 1, 45), ("sara", 2, 210)],
    );
    // bbbb idle since 2019-10-02 (136 days), ffff since 2019-09-01 (167 days).
    assert_eq!(s["stale"], 2);
}

#[test]
fn a_case_counts_from_the_day_it_was_created_in_its_own_offset() {
    let sb = Sandbox::with_team();
    let case = |id: &str, created: &str| {
        format!(
            "id = \"{id}\"\ntitle = \"{id}\"\ncreated = {created}\nstage = \"inkommen\"\nstatus = \"open\"\nunit = \"Kultur\"\n"
        )
    };
    // Still the 1st where it was made (the 2nd in UTC): counts as of the 1st.
    sb.write_case("west", &case("west", "2019-10-01T23:30:00-02:00"));
    // Already the 2nd where it was made (the 1st in UTC): does not.
    sb.write_case("east", &case("east", "2019-10-02T00:30:00+02:00"));
    assert_eq!(summary_json(&sb, &["--as-of", "2019-10-01"])["total"], 1);
    assert_eq!(summary_json(&sb, &["--as-of", "2019-10-02"])["total"], 2);
}

#[test]
fn summary_as_of_before_the_first_case_is_empty() {
    let sb = portfolio();
    let s = summary_json(&sb, &["--as-of", "2019-01-31"]);
    assert_eq!(s["total"], 0);
    assert_eq!(s["by_status"], json!({"open": 0, "parked": 0, "closed": 0}));
    assert_eq!(s["coaching"]["sessions"], 0);
    assert_eq!(s["stale"], 0);
    assert!(
        s["stages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|st| st["open"] == 0 && st["reached"] == 0)
    );
}

#[test]
fn summary_skips_a_broken_case_file_and_says_so() {
    let mut sb = portfolio();
    sb.allow_broken_cases();
    sb.write_case("zzzz", "id = \"zzzz\"\ntitle = \n");
    let out = sb.run(&["summary", "--format", "json"]).success();
    assert!(out.stderr.contains("zzzz.toml:2:"), "{}", out.stderr);
    assert_eq!(out.json()["total"], 6);
}

#[test]
fn summary_rejects_a_malformed_as_of_date() {
    let sb = portfolio();
    sb.run(&["summary", "--as-of", "2019-13-01"])
        .failure(2)
        .stderr_has("YYYY-MM-DD");
}

#[test]
fn summary_as_a_table() {
    let sb = portfolio();
    let out = sb.run(&["summary"]).success();
    insta::assert_snapshot!(trim_lines(&out.stdout), @r#"
    Portfolio summary – Idésluss
    As of 30 June 2020

    Cases             6
    Open              3
    Parked            1
    Closed            2
    Implemented       0
    Stale             1  no activity for more than 60 days
    Coaching hours  7.3  all time, 7 sessions

    Funnel
    ──────

    Cases per stage
     Stage      Reached  Conversion  Open now
    ─────────────────────────────────────────
     Inkommen         6           –         1
     Prövning         5       83.3%         1
     Utforska         4       80.0%         0
     Utveckla         3       75.0%         0
     Testa            1       33.3%         1
     Verifiera        0        0.0%         0
     Införa           0           –         0

    Closed cases by outcome
     Outcome      Cases
    ───────────────────
     implemented      0
     handed over      1
     stopped          1
     duplicate        0
     referred         0
    ───────────────────
     Total            2

    Flow
    ────

    Time in each stage (days, completed stays)
     Stage      Median  90th percentile  Stays
    ──────────────────────────────────────────
     Inkommen      8.0             10.0      5
     Prövning     29.8             57.0      4
     Utforska     61.6             61.6      1
     Utveckla     61.0            226.4      2
     Testa           –                –      0
     Verifiera       –                –      0
     Införa          –                –      0

    Lead time from received to implemented: median – days, 90th percentile – days (0 cases).

    Throughput per quarter, February 2019–June 2020
     Period   Received  Moved on  Closed  Implemented
    ─────────────────────────────────────────────────
     Q1 2019         2         3       0            0
     Q2 2019         1         2       0            0
     Q3 2019         1         2       0            0
     Q4 2019         0         2       0            0
     Q1 2020         1         1       2            0
     Q2 2020         1         1       0            0
    ─────────────────────────────────────────────────
     Total           6        11       2            0

    Coaching
    ────────

    Coaching per coach; the period is February 2019–June 2020
     Coach      Open  Sessions, period  Hours, period  Hours, all time
    ──────────────────────────────────────────────────────────────────
     Erik Lind     1                 4            3.0              3.0
     maria         0                 1            0.8              0.8
     Sara Berg     1                 2            3.5              3.5
    ──────────────────────────────────────────────────────────────────
     Total         2                 7            7.3              7.3
    Open cases without a coach (1) are on no row.

    All coaching, all time: 7 sessions, 7.3 hours.

    Programs
    ────────

    Cases per program
     Program                  Cases  Open  Parked  Closed  Implemented  → Prövning  → Utforska  → Utveckla  → Testa  → Verifiera  → Införa  Hours, all time
    ───────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
     Innovationsprogram 2018      0     0       0       0            0           0           0           0        0            0         0              0.0

    Attention
    ─────────

    Stale open cases, idle longest first (1)
     Id    Title          Stage     Coach      Unit             Idle days
    ─────────────────────────────────────────────────────────────────────
     dddd  Trygghetslarm  Prövning  Sara Berg  Vård och omsorg        136

    Open cases without a coach (1)
     Id    Title               Stage     Coach  Unit    Age in days
    ───────────────────────────────────────────────────────────────
     eeee  Meröppet bibliotek  Inkommen  –      Kultur           29

    Waiting longest in their stage (3)
     Id    Title               Stage     Coach      Unit             Days in stage
    ──────────────────────────────────────────────────────────────────────────────
     dddd  Trygghetslarm       Prövning  Sara Berg  Vård och omsorg            162
     bbbb  Skolskjuts i appen  Testa     Erik Lind  Skola                       46
     eeee  Meröppet bibliotek  Inkommen  –          Kultur                      29

    Moves forced past a gate that was not met, February 2019–June 2020: none.

    Definitions
    ───────────
    Stale case: an open case with no activity (a change in its history or a coaching session) for more than 60 days.
    Reached: cases that reached the stage or a later one, also those that later went back or were closed.
    Conversion: the share of the cases that reached the stage before that also reached this one.
    Time in stage: days from a case's entering a stage to its leaving it, for completed stays (from history).
    Lead time: days from a case's registration to its closing as implemented.
    Throughput: cases received, moved on to a later stage, closed, and closed as implemented in each period of February 2019–June 2020.
    Hours: the minutes of coaching sessions divided by 60, with one decimal. "All time" counts every session up to the report's day (30 June 2020); the period counts the sessions in February 2019–June 2020.

    Period: February 2019–June 2020
    Made 30 June 2020 by sluss 0.3.0
    "#);
}

#[test]
fn the_headline_counts_one_case_and_many() {
    let sb = Sandbox::with_team();
    sb.new_case("Matsedel", &[]);
    sb.run(&["summary"])
        .success()
        .stdout_has(
            "\nCases             1\nOpen              1\nParked            0\nClosed            0\nImplemented       0\nStale             0  no activity",
        );
    sb.new_case("Cykelpool", &[]);
    sb.run(&["summary"])
        .success()
        .stdout_has(
            "\nCases             2\nOpen              2\nParked            0\nClosed            0\nImplemented       0\nStale             0  no activity",
        );
}
