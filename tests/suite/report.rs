//! The portfolio report (`summary`): every figure worked out by hand on a small
//! portfolio, replayed `--as-of` earlier days, in every format, escaped against hostile
//! case text, byte for byte the same on every run, and summed over a region.

use serde_json::{Value, json};

use crate::common::{Sandbox, trim_lines};

/// Eight cases, written by hand. Today is 2020-06-30 and stale_after_days is 60. Every
/// time is 10:00+01:00 unless said otherwise, so that stays are whole days.
/// Stage indexes: inkommen 0, provning 1, utforska 2, utveckla 3, testa 4, verifiera 5,
/// infora 6. Coaches erik and sara; programs ip2018 (no cases) and ip2019.
///
/// | id | unit            | coach | program | tags                      | now                  |
/// |----|-----------------|-------|---------|---------------------------|----------------------|
/// | c1 | Vård och omsorg | sara  | ip2019  | välfärd, digitalisering   | closed implemented   |
/// | c2 | Skola           | erik  | ip2019  | digitalisering            | closed implemented   |
/// | c3 | Skola           | erik  | ip2019  | skola                     | closed stopped       |
/// | c4 | Vård och omsorg | sara  |         | välfärd                   | open in utveckla     |
/// | c5 | Kultur          |       |         |                           | open in inkommen     |
/// | c6 | Teknik          | erik  |         | teknik, digitalisering    | parked in provning   |
/// | c7 | Teknik          |       |         | teknik                    | open in provning     |
/// | c8 | Kultur          | erik  | ip2019  | integration               | open in testa        |
///
/// Histories (the stay in the stage left, in days, in brackets):
/// - c1: created 2019-01-10; → provning 01-20 [inkommen 10], → utforska 02-01
///   [provning 12], → utveckla 03-01 [utforska 28], → testa 04-01 [utveckla 31],
///   → verifiera 05-01 [testa 30], → infora 06-01 [verifiera 31]; closed implemented
///   2019-07-01. Sessions: sara 60 (2019-01-15), sara 90 (2019-03-10).
/// - c2: created 2019-11-04; → provning 11-08 [inkommen 4], → infora 2020-01-07
///   [provning 60], skipping four stages; closed implemented 2020-04-01.
///   Sessions: erik 45 (2019-11-20), erik 60 (2020-01-05).
/// - c3: created 2019-09-02; → provning 09-09 [inkommen 7], → utforska 09-29
///   [provning 20], back → provning 10-19 [utforska 20]; closed stopped 2019-12-02.
///   Sessions: maria 30 (2019-09-20; maria is not a coach in sluss.toml), erik 45
///   (2019-10-10).
/// - c4: created 2020-01-15; → provning 01-30 [inkommen 15], → utforska 02-09
///   [provning 10], → utveckla 03-10 [utforska 30, 2020 is a leap year].
///   Sessions: sara 60 (2020-02-01), sara 45 (2020-03-10).
/// - c5: created 2020-06-01T10:00+02:00, never touched.
/// - c6: created 2019-05-06; → provning 05-18 [inkommen 12]; parked 2019-06-01.
///   Session: erik 30 (2019-05-20).
/// - c7: created 2020-02-01; → provning 2020-02-11T22:00 [inkommen 10.5].
/// - c8: created 2019-10-01; → provning 10-21 [inkommen 20], → utforska 10-31
///   [provning 10], → utveckla 11-30 [utforska 30], → testa 2020-05-30 [utveckla 182].
///   Sessions: erik 60 (2020-04-02), erik 30 (2020-06-15).
///
/// Submitters: c1 Anna Berg, c2 Bo Ek and c4 Karin Ström consented to be named; c7's
/// Nils Hemlig did not.
fn portfolio() -> Sandbox {
    let sb = Sandbox::with_team();
    sb.run(&[
        "program",
        "add",
        "ip2019",
        "--name",
        "Innovationsprogram 2019",
        "--start",
        "2019-01-01",
        "--end",
        "2019-12-31",
    ])
    .success();
    write_cases(&sb, &CASES);
    sb
}

fn write_cases(sb: &Sandbox, cases: &[(&str, &str)]) {
    for (id, text) in cases {
        sb.write_case(id, text);
    }
}

const CASES: [(&str, &str); 8] = [
    (
        "c1",
        r#"id = "c1"
title = "Digital matsedel på äldreboenden"
created = 2019-01-10T10:00:00+01:00
stage = "infora"
status = "closed"
outcome = "implemented"
coach = "sara"
unit = "Vård och omsorg"
program = "ip2019"
tags = ["välfärd", "digitalisering"]

[submitter]
name = "Anna Berg"
consent = true

[description]
need = "Boende vill se veckans mat"

[[history]]
at = 2019-01-20T10:00:00+01:00
by = "sara"
from = "inkommen"
to = "provning"

[[history]]
at = 2019-02-01T10:00:00+01:00
by = "sara"
from = "provning"
to = "utforska"

[[history]]
at = 2019-03-01T10:00:00+01:00
by = "sara"
from = "utforska"
to = "utveckla"

[[history]]
at = 2019-04-01T10:00:00+01:00
by = "sara"
from = "utveckla"
to = "testa"

[[history]]
at = 2019-05-01T10:00:00+01:00
by = "sara"
from = "testa"
to = "verifiera"

[[history]]
at = 2019-06-01T10:00:00+01:00
by = "sara"
from = "verifiera"
to = "infora"

[[history]]
at = 2019-07-01T10:00:00+01:00
by = "sara"
status = "closed"
outcome = "implemented"

[[sessions]]
date = 2019-01-15
coach = "sara"
minutes = 60

[[sessions]]
date = 2019-03-10
coach = "sara"
minutes = 90
"#,
    ),
    (
        "c2",
        r#"id = "c2"
title = "Skolskjuts i appen"
created = 2019-11-04T10:00:00+01:00
stage = "infora"
status = "closed"
outcome = "implemented"
coach = "erik"
unit = "Skola"
program = "ip2019"
tags = ["digitalisering"]

[submitter]
name = "Bo Ek"
consent = true

[description]
idea = "Se skolbussen i realtid"

[[history]]
at = 2019-11-08T10:00:00+01:00
by = "erik"
from = "inkommen"
to = "provning"

[[history]]
at = 2020-01-07T10:00:00+01:00
by = "erik"
from = "provning"
to = "infora"
note = "Färdig lösning finns hos leverantören"

[[history]]
at = 2020-04-01T10:00:00+01:00
by = "erik"
status = "closed"
outcome = "implemented"

[[sessions]]
date = 2019-11-20
coach = "erik"
minutes = 45

[[sessions]]
date = 2020-01-05
coach = "erik"
minutes = 60
"#,
    ),
    (
        "c3",
        r#"id = "c3"
title = "Läxhjälp på distans"
created = 2019-09-02T10:00:00+01:00
stage = "provning"
status = "closed"
outcome = "stopped"
coach = "erik"
unit = "Skola"
program = "ip2019"
tags = ["skola"]

[[history]]
at = 2019-09-09T10:00:00+01:00
by = "erik"
from = "inkommen"
to = "provning"

[[history]]
at = 2019-09-29T10:00:00+01:00
by = "erik"
from = "provning"
to = "utforska"

[[history]]
at = 2019-10-19T10:00:00+01:00
by = "erik"
from = "utforska"
to = "provning"
note = "Behovet var inte bekräftat"

[[history]]
at = 2019-12-02T10:00:00+01:00
by = "erik"
status = "closed"
outcome = "stopped"

[[sessions]]
date = 2019-09-20
coach = "maria"
minutes = 30

[[sessions]]
date = 2019-10-10
coach = "erik"
minutes = 45
"#,
    ),
    (
        "c4",
        r#"id = "c4"
title = "Trygghetslarm utan fast telefon"
created = 2020-01-15T10:00:00+01:00
stage = "utveckla"
status = "open"
coach = "sara"
unit = "Vård och omsorg"
tags = ["välfärd"]

[submitter]
name = "Karin Ström"
consent = true

[description]
need = "Larm som fungerar utan fast telefon"

[[history]]
at = 2020-01-30T10:00:00+01:00
by = "sara"
from = "inkommen"
to = "provning"

[[history]]
at = 2020-02-09T10:00:00+01:00
by = "sara"
from = "provning"
to = "utforska"

[[history]]
at = 2020-03-10T10:00:00+01:00
by = "sara"
from = "utforska"
to = "utveckla"

[[sessions]]
date = 2020-02-01
coach = "sara"
minutes = 60

[[sessions]]
date = 2020-03-10
coach = "sara"
minutes = 45
"#,
    ),
    (
        "c5",
        r#"id = "c5"
title = "Meröppet bibliotek"
created = 2020-06-01T10:00:00+02:00
stage = "inkommen"
status = "open"
unit = "Kultur"
"#,
    ),
    (
        "c6",
        r#"id = "c6"
title = "Snöröjning med drönare"
created = 2019-05-06T10:00:00+01:00
stage = "provning"
status = "parked"
coach = "erik"
unit = "Teknik"
tags = ["teknik", "digitalisering"]

[[history]]
at = 2019-05-18T10:00:00+01:00
by = "erik"
from = "inkommen"
to = "provning"

[[history]]
at = 2019-06-01T10:00:00+01:00
by = "erik"
status = "parked"

[[sessions]]
date = 2019-05-20
coach = "erik"
minutes = 30
"#,
    ),
    (
        "c7",
        r#"id = "c7"
title = "Cykelpool för personal"
created = 2020-02-01T10:00:00+01:00
stage = "provning"
status = "open"
unit = "Teknik"
tags = ["teknik"]

[submitter]
name = "Nils Hemlig"
consent = false

[description]
need = "Lånecyklar för korta tjänsteresor"

[[history]]
at = 2020-02-11T22:00:00+01:00
by = "erik"
from = "inkommen"
to = "provning"
"#,
    ),
    (
        "c8",
        r#"id = "c8"
title = "Språkcafé"
created = 2019-10-01T10:00:00+01:00
stage = "testa"
status = "open"
coach = "erik"
unit = "Kultur"
program = "ip2019"
tags = ["integration"]

[[history]]
at = 2019-10-21T10:00:00+01:00
by = "erik"
from = "inkommen"
to = "provning"

[[history]]
at = 2019-10-31T10:00:00+01:00
by = "erik"
from = "provning"
to = "utforska"

[[history]]
at = 2019-11-30T10:00:00+01:00
by = "erik"
from = "utforska"
to = "utveckla"

[[history]]
at = 2020-05-30T10:00:00+01:00
by = "erik"
from = "utveckla"
to = "testa"

[[sessions]]
date = 2020-04-02
coach = "erik"
minutes = 60

[[sessions]]
date = 2020-06-15
coach = "erik"
minutes = 30
"#,
    ),
];

fn summary(sb: &Sandbox, args: &[&str]) -> String {
    let mut all = vec!["summary"];
    all.extend_from_slice(args);
    let out = sb.run(&all).success();
    assert_eq!(out.stderr, "", "no warnings");
    out.stdout
}

fn summary_json(sb: &Sandbox, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&summary(sb, &all)).expect("summary prints JSON")
}

/// The window most tests look at: two quarters and a day, so that both ends are tested.
const WINDOW: [&str; 4] = ["--since", "2019-10-01", "--until", "2020-04-01"];

/// A stage's figures as (key, reached, conversion, open).
fn funnel(stages: &Value) -> Vec<(String, u64, Value, u64)> {
    stages
        .as_array()
        .expect("stages is a list")
        .iter()
        .map(|s| {
            (
                s["key"].as_str().unwrap().to_string(),
                s["reached"].as_u64().unwrap(),
                s["conversion"].clone(),
                s["open"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[track_caller]
fn assert_funnel(stages: &Value, expected: &[(&str, u64, Value, u64)]) {
    let want: Vec<(String, u64, Value, u64)> = expected
        .iter()
        .map(|(k, r, c, o)| (k.to_string(), *r, c.clone(), *o))
        .collect();
    assert_eq!(funnel(stages), want);
}

/// The ids of an attention list with their days.
fn case_days(list: &Value) -> Vec<(String, i64)> {
    list.as_array()
        .expect("a list of cases")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["days"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn ids_days(expected: &[(&str, i64)]) -> Vec<(String, i64)> {
    expected.iter().map(|(i, d)| (i.to_string(), *d)).collect()
}

/// The group of a breakdown (or of `repositories`) with this name.
fn group<'a>(groups: &'a Value, name: &str) -> &'a Value {
    groups
        .as_array()
        .expect("a list of groups")
        .iter()
        .find(|g| g["group"] == name)
        .unwrap_or_else(|| panic!("no group {name} in {groups}"))
}

fn group_names(groups: &Value) -> Vec<&str> {
    groups
        .as_array()
        .expect("a list of groups")
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect()
}

/// Reached per stage, in pipeline order.
fn reached(figures: &Value) -> Vec<u64> {
    figures["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reached"].as_u64().unwrap())
        .collect()
}

/// Open cases per stage, in pipeline order.
fn open_in(figures: &Value) -> Vec<u64> {
    figures["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["open"].as_u64().unwrap())
        .collect()
}

const NO_OUTCOMES: [(&str, u64); 0] = [];

/// Asserts the counts that every group has: cases, statuses, outcomes, sessions, minutes
/// and stale cases.
#[track_caller]
fn assert_figures(
    g: &Value,
    total: u64,
    (open, parked, closed): (u64, u64, u64),
    outcomes: &[(&str, u64)],
    (sessions, minutes): (u64, u64),
    stale: u64,
) {
    assert_eq!(g["total"], total, "total of {g}");
    assert_eq!(
        g["by_status"],
        json!({"open": open, "parked": parked, "closed": closed}),
        "by_status of {g}"
    );
    for (outcome, n) in g["by_outcome"].as_object().unwrap() {
        let want = outcomes
            .iter()
            .find(|(o, _)| o == outcome)
            .map_or(0, |(_, n)| *n);
        assert_eq!(n, &json!(want), "{outcome} of {g}");
    }
    assert_eq!(
        (g["sessions"].clone(), g["minutes"].clone()),
        (json!(sessions), json!(minutes)),
        "coaching of {g}"
    );
    assert_eq!(g["stale"], stale, "stale of {g}");
}

// ---------------------------------------------------------------------------------------
// Each figure, worked out by hand.

#[test]
fn funnel_counts_reached_conversion_and_open_now() {
    let s = summary_json(&portfolio(), &[]);
    assert_eq!(s["total"], 8);
    // Open c4 c5 c7 c8, parked c6, closed c1 c2 c3.
    assert_eq!(s["by_status"], json!({"open": 4, "parked": 1, "closed": 3}));
    // Every outcome is listed; only closed cases count.
    assert_eq!(
        s["by_outcome"],
        json!({"implemented": 2, "handed_over": 0, "stopped": 1, "duplicate": 0, "referred": 0})
    );
    // Furthest stage: c1 6, c2 6 (the stages it skipped count as reached), c3 2 (it went
    // back to provning; what it reached stays), c4 3, c5 0, c6 1, c7 1, c8 4.
    // Reached: 8, 7, 5 (c1 c2 c3 c4 c8), 4 (c1 c2 c4 c8), 3 (c1 c2 c8), 2, 2.
    // Conversion = reached / reached of the stage before, one decimal:
    // 7/8 = 87.5, 5/7 = 71.43, 4/5 = 80, 3/4 = 75, 2/3 = 66.67, 2/2 = 100.
    // Open now: c5 inkommen, c7 provning, c4 utveckla, c8 testa (parked c6 is not open).
    assert_funnel(
        &s["stages"],
        &[
            ("inkommen", 8, Value::Null, 1),
            ("provning", 7, json!(87.5), 1),
            ("utforska", 5, json!(71.4), 0),
            ("utveckla", 4, json!(80.0), 1),
            ("testa", 3, json!(75.0), 1),
            ("verifiera", 2, json!(66.7), 0),
            ("infora", 2, json!(100.0), 0),
        ],
    );
}

#[test]
fn time_in_stage_is_median_and_90th_percentile_by_nearest_rank() {
    let s = summary_json(&portfolio(), &[]);
    let t = &s["flow"]["time_in_stage"];
    // Nearest rank: the value at rank ceil(p/100 × n) of the sorted stays.
    // inkommen: c2 4, c3 7, c1 10, c7 10.5, c6 12, c4 15, c8 20 (c5 never left).
    //   n = 7: median rank ceil(3.5) = 4 → 10.5; p90 rank ceil(6.3) = 7 → 20.
    assert_eq!(
        t[0],
        json!({"key": "inkommen", "name": "Inkommen", "samples": 7, "median_days": 10.5, "p90_days": 20.0})
    );
    // provning: c4 10, c8 10, c1 12, c3 20 (its second stay ended in closing, not a
    //   move, so it is not a completed stay), c2 60 (c6 and c7 are still there).
    //   n = 5: median rank 3 → 12; p90 rank ceil(4.5) = 5 → 60.
    assert_eq!(
        t[1],
        json!({"key": "provning", "name": "Prövning", "samples": 5, "median_days": 12.0, "p90_days": 60.0})
    );
    // utforska: c3 20 (a move back ends a stay too), c1 28, c4 30, c8 30.
    //   n = 4: median rank 2 → 28 (not the interpolated 29); p90 rank ceil(3.6) = 4 → 30.
    assert_eq!(
        t[2],
        json!({"key": "utforska", "name": "Utforska", "samples": 4, "median_days": 28.0, "p90_days": 30.0})
    );
    // utveckla: c1 31, c8 182 (2019-11-30 to 2020-05-30); n = 2: median rank 1 → 31.
    assert_eq!(t[3]["samples"], 2);
    assert_eq!(t[3]["median_days"], 31.0);
    assert_eq!(t[3]["p90_days"], 182.0);
    // testa and verifiera: c1 alone, 30 and 31.
    assert_eq!(t[4]["median_days"], 30.0);
    assert_eq!(t[5]["p90_days"], 31.0);
    // Nobody has left infora: no figure rather than a made-up zero.
    assert_eq!(
        t[6],
        json!({"key": "infora", "name": "Införa", "samples": 0, "median_days": null, "p90_days": null})
    );
}

#[test]
fn lead_time_runs_from_received_to_implemented() {
    let s = summary_json(&portfolio(), &[]);
    // c1: 2019-01-10 → 2019-07-01 = 21 + 28 + 31 + 30 + 31 + 30 + 1 = 172 days.
    // c2: 2019-11-04 → 2020-04-01 = 26 + 31 + 31 + 29 + 31 + 1 = 149 days.
    // n = 2: median rank 1 → 149; p90 rank 2 → 172. Stopped c3 does not count.
    assert_eq!(
        s["flow"]["lead_time"],
        json!({"samples": 2, "median_days": 149.0, "p90_days": 172.0})
    );
}

#[test]
fn throughput_per_quarter_counts_inside_since_and_until_both_inclusive() {
    let s = summary_json(&portfolio(), &WINDOW);
    assert_eq!(s["flow"]["since"], "2019-10-01");
    assert_eq!(s["flow"]["until"], "2020-04-01");
    assert_eq!(s["flow"]["period"], "quarter");
    // 2019-Q4: received c8 (10-01, the first day) and c2 (11-04); moved on c8 ×3
    //   (10-21, 10-31, 11-30) and c2 (11-08); c3's move back on 10-19 is not moving on;
    //   closed c3 (12-02, stopped).
    // 2020-Q1: received c4 (01-15), c7 (02-01); moved on c2 (01-07), c4 ×3 (01-30, 02-09,
    //   03-10), c7 (02-11).
    // 2020-Q2: only 04-01, the last day: c2 closed as implemented.
    // Outside: c3 received 2019-09-02, c5 received 2020-06-01, c8 moved 2020-05-30.
    assert_eq!(
        s["flow"]["throughput"],
        json!([
            {"period": "2019-Q4", "received": 2, "moved_on": 4, "closed": 1, "implemented": 0},
            {"period": "2020-Q1", "received": 2, "moved_on": 5, "closed": 0, "implemented": 0},
            {"period": "2020-Q2", "received": 0, "moved_on": 0, "closed": 1, "implemented": 1},
        ])
    );
}

#[test]
fn throughput_per_month() {
    let mut args = WINDOW.to_vec();
    args.extend(["--period", "month"]);
    let s = summary_json(&portfolio(), &args);
    assert_eq!(s["flow"]["period"], "month");
    // The same events as per quarter, by month; a quiet month is still listed.
    assert_eq!(
        s["flow"]["throughput"],
        json!([
            {"period": "2019-10", "received": 1, "moved_on": 2, "closed": 0, "implemented": 0},
            {"period": "2019-11", "received": 1, "moved_on": 2, "closed": 0, "implemented": 0},
            {"period": "2019-12", "received": 0, "moved_on": 0, "closed": 1, "implemented": 0},
            {"period": "2020-01", "received": 1, "moved_on": 2, "closed": 0, "implemented": 0},
            {"period": "2020-02", "received": 1, "moved_on": 2, "closed": 0, "implemented": 0},
            {"period": "2020-03", "received": 0, "moved_on": 1, "closed": 0, "implemented": 0},
            {"period": "2020-04", "received": 0, "moved_on": 0, "closed": 1, "implemented": 1},
        ])
    );
}

#[test]
fn throughput_without_a_window_runs_from_the_first_case_to_today() {
    let s = summary_json(&portfolio(), &[]);
    assert_eq!(s["flow"]["since"], "2019-01-10");
    assert_eq!(s["flow"]["until"], "2020-06-30");
    let periods: Vec<&str> = s["flow"]["throughput"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    assert_eq!(
        periods,
        [
            "2019-Q1", "2019-Q2", "2019-Q3", "2019-Q4", "2020-Q1", "2020-Q2"
        ]
    );
    // 2019-Q3: c3 received (09-02); c3 moved on twice (09-09, 09-29); c1 closed
    // implemented (07-01).
    assert_eq!(
        s["flow"]["throughput"][2],
        json!({"period": "2019-Q3", "received": 1, "moved_on": 2, "closed": 1, "implemented": 1})
    );
}

#[test]
fn caseload_per_coach_counts_open_cases_and_sessions_in_the_window() {
    let s = summary_json(&portfolio(), &WINDOW);
    // Open cases with a coach: c4 sara, c8 erik (c5 and c7 have none).
    // Sessions 2019-10-01..=2020-04-01: erik c3 45 (2019-10-10), c2 45 (2019-11-20),
    // c2 60 (2020-01-05) = 3 sessions, 150 minutes; c8's on 2020-04-02 is a day late.
    // sara c4 60 (2020-02-01), 45 (2020-03-10). maria's only session (2019-09-20) is
    // before the window, and she coaches no open case, so she is not listed.
    assert_eq!(
        s["caseload"],
        json!([
            {"coach": "erik", "name": "Erik Lind", "open_cases": 1, "sessions": 3, "minutes": 150,
             "by_month": [
                {"month": "2019-10", "sessions": 1, "minutes": 45},
                {"month": "2019-11", "sessions": 1, "minutes": 45},
                {"month": "2020-01", "sessions": 1, "minutes": 60},
             ]},
            {"coach": "sara", "name": "Sara Berg", "open_cases": 1, "sessions": 2, "minutes": 105,
             "by_month": [
                {"month": "2020-02", "sessions": 1, "minutes": 60},
                {"month": "2020-03", "sessions": 1, "minutes": 45},
             ]},
        ])
    );
}

#[test]
fn caseload_without_a_window_counts_every_session_and_a_former_coach() {
    let s = summary_json(&portfolio(), &[]);
    let load = s["caseload"].as_array().unwrap();
    let rows: Vec<(&str, &str, u64, u64, u64)> = load
        .iter()
        .map(|l| {
            (
                l["coach"].as_str().unwrap(),
                l["name"].as_str().unwrap(),
                l["open_cases"].as_u64().unwrap(),
                l["sessions"].as_u64().unwrap(),
                l["minutes"].as_u64().unwrap(),
            )
        })
        .collect();
    // erik: c6 30, c3 45, c2 45 + 60, c8 60 + 30 = 6 sessions, 270 minutes.
    // maria (not in sluss.toml, so her key is her name): c3 30.
    // sara: c1 60 + 90, c4 60 + 45 = 4 sessions, 255 minutes.
    assert_eq!(
        rows,
        [
            ("erik", "Erik Lind", 1, 6, 270),
            ("maria", "maria", 0, 1, 30),
            ("sara", "Sara Berg", 1, 4, 255),
        ]
    );
    let erik_months: Vec<&str> = load[0]["by_month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    assert_eq!(
        erik_months,
        [
            "2019-05", "2019-10", "2019-11", "2020-01", "2020-04", "2020-06"
        ]
    );
}

#[test]
fn breakdown_by_unit() {
    let s = summary_json(&portfolio(), &["--by", "unit"]);
    let groups = &s["breakdown"]["groups"];
    assert_eq!(s["breakdown"]["by"], "unit");
    // Sorted by name; each case in exactly one unit.
    assert_eq!(
        group_names(groups),
        ["Kultur", "Skola", "Teknik", "Vård och omsorg"]
    );
    // Kultur: c5 (open, inkommen), c8 (open, testa; sessions 60 + 30).
    let kultur = group(groups, "Kultur");
    assert_figures(kultur, 2, (2, 0, 0), &NO_OUTCOMES, (2, 90), 0);
    assert_eq!(reached(kultur), [2, 1, 1, 1, 1, 0, 0]);
    assert_eq!(open_in(kultur), [1, 0, 0, 0, 1, 0, 0]);
    // Skola: c2 implemented (reached infora), c3 stopped (reached utforska);
    // sessions 45 + 60 + 30 (maria's) + 45.
    let skola = group(groups, "Skola");
    assert_figures(
        skola,
        2,
        (0, 0, 2),
        &[("implemented", 1), ("stopped", 1)],
        (4, 180),
        0,
    );
    assert_eq!(reached(skola), [2, 2, 2, 1, 1, 1, 1]);
    // Teknik: c6 parked, c7 open and stale.
    let teknik = group(groups, "Teknik");
    assert_figures(teknik, 2, (1, 1, 0), &NO_OUTCOMES, (1, 30), 1);
    assert_eq!(reached(teknik), [2, 2, 0, 0, 0, 0, 0]);
    // Vård och omsorg: c1 implemented, c4 open in utveckla and stale.
    let vard = group(groups, "Vård och omsorg");
    assert_figures(vard, 2, (1, 0, 1), &[("implemented", 1)], (4, 255), 1);
    assert_eq!(reached(vard), [2, 2, 2, 2, 1, 1, 1]);
    // Conversion per group: Kultur 1 of 2 reached provning.
    assert_eq!(kultur["stages"][1]["conversion"], 50.0);
}

#[test]
fn breakdown_by_tag_counts_a_case_in_each_of_its_tags() {
    let s = summary_json(&portfolio(), &["--by", "tag"]);
    let groups = &s["breakdown"]["groups"];
    // c5 has no tags: "(none)". c1 and c6 have two tags each, so the groups hold
    // 1 + 3 + 1 + 1 + 2 + 2 = 10 cases for 8.
    assert_eq!(
        group_names(groups),
        [
            "(none)",
            "digitalisering",
            "integration",
            "skola",
            "teknik",
            "välfärd"
        ]
    );
    let totals: Vec<u64> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["total"].as_u64().unwrap())
        .collect();
    assert_eq!(totals, [1, 3, 1, 1, 2, 2]);
    // digitalisering: c1 (implemented), c2 (implemented), c6 (parked);
    // sessions 60 + 90 + 45 + 60 + 30.
    let digi = group(groups, "digitalisering");
    assert_figures(digi, 3, (0, 1, 2), &[("implemented", 2)], (5, 285), 0);
    assert_eq!(reached(digi), [3, 3, 2, 2, 2, 2, 2]);
    // välfärd: c1 and c4, the same two as the unit Vård och omsorg.
    let valfard = group(groups, "välfärd");
    assert_figures(valfard, 2, (1, 0, 1), &[("implemented", 1)], (4, 255), 1);
    // teknik: c6 (also digitalisering) and c7.
    assert_figures(
        group(groups, "teknik"),
        2,
        (1, 1, 0),
        &NO_OUTCOMES,
        (1, 30),
        1,
    );
    assert_figures(
        group(groups, "(none)"),
        1,
        (1, 0, 0),
        &NO_OUTCOMES,
        (0, 0),
        0,
    );
}

#[test]
fn breakdown_by_coach_groups_cases_by_their_coach() {
    let s = summary_json(&portfolio(), &["--by", "coach"]);
    let groups = &s["breakdown"]["groups"];
    assert_eq!(group_names(groups), ["(none)", "erik", "sara"]);
    // (none): c5 and c7, both open; c7 is stale.
    assert_figures(
        group(groups, "(none)"),
        2,
        (2, 0, 0),
        &NO_OUTCOMES,
        (0, 0),
        1,
    );
    // erik: c2, c3, c6, c8. Sessions are those of his cases, maria's on c3 included:
    // c2 45 + 60, c3 30 + 45, c6 30, c8 60 + 30 = 7 sessions, 300 minutes.
    let erik = group(groups, "erik");
    assert_figures(
        erik,
        4,
        (1, 1, 2),
        &[("implemented", 1), ("stopped", 1)],
        (7, 300),
        0,
    );
    assert_eq!(reached(erik), [4, 4, 3, 2, 2, 1, 1]);
    // sara: c1 and c4.
    assert_figures(
        group(groups, "sara"),
        2,
        (1, 0, 1),
        &[("implemented", 1)],
        (4, 255),
        1,
    );
}

#[test]
fn breakdown_by_program() {
    let s = summary_json(&portfolio(), &["--by", "program"]);
    let groups = &s["breakdown"]["groups"];
    // ip2018 has no cases, so it is no group here (it is in `programs`).
    assert_eq!(group_names(groups), ["(none)", "ip2019"]);
    // (none): c4 (open, stale), c5 (open), c6 (parked), c7 (open, stale);
    // sessions c4 60 + 45, c6 30.
    let none = group(groups, "(none)");
    assert_figures(none, 4, (3, 1, 0), &NO_OUTCOMES, (3, 135), 2);
    assert_eq!(reached(none), [4, 3, 1, 1, 0, 0, 0]);
    assert_figures(
        group(groups, "ip2019"),
        4,
        (1, 0, 3),
        &[("implemented", 2), ("stopped", 1)],
        (8, 420),
        0,
    );
}

#[test]
fn no_breakdown_without_by() {
    let s = summary_json(&portfolio(), &[]);
    assert!(s.get("breakdown").is_none(), "{s}");
    assert!(s.get("repositories").is_none(), "one repository: {s}");
}

#[test]
fn programs_list_their_cases_and_how_far_they_got() {
    let s = summary_json(&portfolio(), &[]);
    let programs = s["programs"].as_array().unwrap();
    // In sluss.toml's order, every program, even one without cases.
    assert_eq!(programs.len(), 2);
    let ip2018 = &programs[0];
    assert_eq!(ip2018["key"], "ip2018");
    assert_eq!(ip2018["name"], "Innovationsprogram 2018");
    assert_eq!(ip2018["start"], "2018-02-01");
    assert_eq!(ip2018["end"], "2018-06-30");
    assert_figures(ip2018, 0, (0, 0, 0), &NO_OUTCOMES, (0, 0), 0);
    assert_eq!(reached(ip2018), [0; 7]);
    // ip2019: c1, c2, c3, c8. Furthest: c1 6, c2 6, c3 2, c8 4.
    // Reached 4, 4, 4, 3, 3, 2, 2; conversion 100, 100, 75, 100, 66.7, 100.
    let ip2019 = &programs[1];
    assert_eq!(ip2019["key"], "ip2019");
    assert_figures(
        ip2019,
        4,
        (1, 0, 3),
        &[("implemented", 2), ("stopped", 1)],
        (8, 420),
        0,
    );
    assert_funnel(
        &ip2019["stages"],
        &[
            ("inkommen", 4, Value::Null, 0),
            ("provning", 4, json!(100.0), 0),
            ("utforska", 4, json!(100.0), 0),
            ("utveckla", 3, json!(75.0), 0),
            ("testa", 3, json!(100.0), 1),
            ("verifiera", 2, json!(66.7), 0),
            ("infora", 2, json!(100.0), 0),
        ],
    );
}

#[test]
fn attention_lists_stale_uncoached_and_longest_waiting_cases() {
    let s = summary_json(&portfolio(), &["--top", "2"]);
    let a = &s["attention"];
    // Open cases: c4, c5, c7, c8 (parked c6 and closed cases never need attention).
    // Idle: c7 since 2020-02-11 → 140 days; c4 since 2020-03-10 (move and session)
    // → 112; c8 since its session 2020-06-15 → 15; c5 since 2020-06-01 → 29.
    // Stale is idle more than 60 days, longest first.
    assert_eq!(
        case_days(&a["stale"]),
        ids_days(&[("c7", 140), ("c4", 112)])
    );
    assert_eq!(s["stale"], 2);
    // No coach: c7 (age 150 days, from 2020-02-01) and c5 (29), oldest first.
    assert_eq!(
        case_days(&a["no_coach"]),
        ids_days(&[("c7", 150), ("c5", 29)])
    );
    // Days in the current stage: c7 140 (since 02-11), c4 112 (since 03-10), c8 31
    // (since 05-30), c5 29; --top 2 keeps the first two.
    assert_eq!(
        case_days(&a["waiting_longest"]),
        ids_days(&[("c7", 140), ("c4", 112)])
    );
    // Each names the case so that someone can act on it.
    assert_eq!(
        a["stale"][1],
        json!({"id": "c4", "title": "Trygghetslarm utan fast telefon", "stage": "utveckla",
               "coach": "sara", "unit": "Vård och omsorg", "days": 112})
    );
    assert_eq!(a["no_coach"][0]["coach"], Value::Null);
    // The default shows up to ten.
    let all = summary_json(&portfolio(), &[]);
    assert_eq!(
        case_days(&all["attention"]["waiting_longest"]),
        ids_days(&[("c7", 140), ("c4", 112), ("c8", 31), ("c5", 29)])
    );
}

// ---------------------------------------------------------------------------------------
// The spec's contract and --as-of replay.

#[test]
fn the_spec_contract_keys_are_kept_with_their_meaning() {
    let s = summary_json(&portfolio(), &[]);
    for key in [
        "as_of",
        "total",
        "by_status",
        "by_outcome",
        "stages",
        "coaching",
        "stale",
    ] {
        assert!(s.get(key).is_some(), "no {key} in {s}");
    }
    assert_eq!(s["as_of"], "2020-06-30");
    // Stages in pipeline order, each with key, name, open and reached (checked by
    // hand in funnel_counts_reached_conversion_and_open_now).
    let keys: Vec<&str> = s["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| st["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "inkommen",
            "provning",
            "utforska",
            "utveckla",
            "testa",
            "verifiera",
            "infora"
        ]
    );
    for field in ["key", "name", "open", "reached"] {
        assert!(s["stages"][0].get(field).is_some(), "no stages[].{field}");
    }
    assert_eq!(s["stages"][1]["name"], "Prövning");
    // Coaching counts every session by the session's coach, sorted by coach key.
    assert_eq!(
        s["coaching"],
        json!({"sessions": 11, "minutes": 555, "by_coach": [
            {"coach": "erik", "sessions": 6, "minutes": 270},
            {"coach": "maria", "sessions": 1, "minutes": 30},
            {"coach": "sara", "sessions": 4, "minutes": 255},
        ]})
    );
    assert_eq!(s["stale"], 2);
}

#[test]
fn as_of_replays_flow_caseload_and_attention() {
    let s = summary_json(&portfolio(), &["--as-of", "2020-03-31"]);
    assert_eq!(s["as_of"], "2020-03-31");
    assert_eq!(s["replayed"], true);
    // c5 (2020-06-01) did not exist yet.
    assert_eq!(s["total"], 7);
    // c2 was in infora but not yet closed (2020-04-01); c8 still in utveckla.
    assert_eq!(s["by_status"], json!({"open": 4, "parked": 1, "closed": 2}));
    assert_eq!(s["by_outcome"]["implemented"], 1);
    assert_eq!(s["by_outcome"]["stopped"], 1);
    // Open: c7 provning, c4 and c8 utveckla, c2 infora. c8 had not reached testa.
    assert_funnel(
        &s["stages"],
        &[
            ("inkommen", 7, Value::Null, 0),
            ("provning", 7, json!(100.0), 1),
            ("utforska", 5, json!(71.4), 0),
            ("utveckla", 4, json!(80.0), 2),
            ("testa", 2, json!(50.0), 0),
            ("verifiera", 2, json!(100.0), 0),
            ("infora", 2, json!(100.0), 1),
        ],
    );
    // Time in stage: c8's 182 days in utveckla ended on 2020-05-30, after the day.
    assert_eq!(
        s["flow"]["time_in_stage"][3],
        json!({"key": "utveckla", "name": "Utveckla", "samples": 1, "median_days": 31.0, "p90_days": 31.0})
    );
    // Lead time: only c1 had been implemented.
    assert_eq!(
        s["flow"]["lead_time"],
        json!({"samples": 1, "median_days": 172.0, "p90_days": 172.0})
    );
    // Throughput ends with the day: 2020-Q1 as before, and no 2020-Q2.
    let throughput = s["flow"]["throughput"].as_array().unwrap();
    assert_eq!(s["flow"]["until"], "2020-03-31");
    assert_eq!(
        throughput.last().unwrap(),
        &json!({"period": "2020-Q1", "received": 2, "moved_on": 5, "closed": 0, "implemented": 0})
    );
    // Caseload: erik coached open c2 and c8; c8's sessions (04-02, 06-15) had not
    // happened: erik c6 30, c3 45, c2 45 + 60 = 4 sessions, 180 minutes.
    let load: Vec<(&str, u64, u64, u64)> = s["caseload"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["coach"].as_str().unwrap(),
                l["open_cases"].as_u64().unwrap(),
                l["sessions"].as_u64().unwrap(),
                l["minutes"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        load,
        [
            ("erik", 2, 4, 180),
            ("maria", 0, 1, 30),
            ("sara", 1, 4, 255)
        ]
    );
    // Stale on 2020-03-31: c8 idle since 2019-11-30 (122 days), c2 since 2020-01-07
    // (84); c7 (49) and c4 (21) are not.
    let a = &s["attention"];
    assert_eq!(case_days(&a["stale"]), ids_days(&[("c8", 122), ("c2", 84)]));
    assert_eq!(s["stale"], 2);
    // No coach: c7 alone, 59 days old (c5 did not exist).
    assert_eq!(case_days(&a["no_coach"]), ids_days(&[("c7", 59)]));
    assert_eq!(
        case_days(&a["waiting_longest"]),
        ids_days(&[("c8", 122), ("c2", 84), ("c7", 49), ("c4", 21)])
    );
    // The spec's coaching: every session on or before the day, 555 - 90 minutes.
    assert_eq!(s["coaching"]["sessions"], 9);
    assert_eq!(s["coaching"]["minutes"], 465);
}

#[test]
fn as_of_with_a_later_until_still_hides_what_came_after() {
    // A window that reaches past the day must not reveal later sessions or moves.
    let s = summary_json(
        &portfolio(),
        &[
            "--as-of",
            "2020-03-31",
            "--until",
            "2020-06-30",
            "--since",
            "2020-01-01",
        ],
    );
    // erik's sessions of 2020-04-02 and 2020-06-15 had not happened on 2020-03-31;
    // in 2020 before the day he had one, c2's of 2020-01-05.
    assert_eq!(s["caseload"][0]["coach"], "erik");
    assert_eq!(s["caseload"][0]["sessions"], 1);
    assert_eq!(s["caseload"][0]["minutes"], 60);
    // c2's closing on 2020-04-01 and c8's move on 2020-05-30 are not counted either.
    assert_eq!(
        s["flow"]["throughput"][1],
        json!({"period": "2020-Q2", "received": 0, "moved_on": 0, "closed": 0, "implemented": 0})
    );
}

#[test]
fn as_of_reports_are_the_same_whenever_they_are_made() {
    let sb = portfolio();
    for format in ["json", "table", "csv", "markdown", "html"] {
        let args = [
            "summary",
            "--as-of",
            "2020-03-31",
            "--by",
            "tag",
            "--format",
            format,
        ];
        let now = sb.run(&args).success();
        let later = sb
            .cmd(&args)
            .env("SLUSS_NOW", "2023-01-01T08:00:00+01:00")
            .run()
            .success();
        // Only the colophon's date of making differs.
        assert_eq!(
            now.stdout,
            later
                .stdout
                .replace("Made 1 January 2023", "Made 30 June 2020"),
            "{format} changed with the clock"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Formats.

#[test]
fn summary_as_a_table() {
    let out = summary(
        &portfolio(),
        &[
            "--since",
            "2019-10-01",
            "--until",
            "2020-04-01",
            "--top",
            "3",
        ],
    );
    insta::assert_snapshot!(trim_lines(&out), @r#"
    Portfolio summary – Idésluss
    As of 30 June 2020

    Cases             8
    Open              4
    Parked            1
    Closed            3
    Implemented       2
    Stale             2  no activity for more than 60 days
    Coaching hours  9.3  all time, 11 sessions

    Funnel
    ──────

    Cases per stage
     Stage      Reached  Conversion  Open now
    ─────────────────────────────────────────
     Inkommen         8           –         1
     Prövning         7       87.5%         1
     Utforska         5       71.4%         0
     Utveckla         4       80.0%         1
     Testa            3       75.0%         1
     Verifiera        2       66.7%         0
     Införa           2      100.0%         0

    Closed cases by outcome
     Outcome      Cases
    ───────────────────
     implemented      2
     handed over      0
     stopped          1
     duplicate        0
     referred         0
    ───────────────────
     Total            3

    Flow
    ────

    Time in each stage (days, completed stays)
     Stage      Median  90th percentile  Stays
    ──────────────────────────────────────────
     Inkommen     10.5             20.0      7
     Prövning     12.0             60.0      5
     Utforska     28.0             30.0      4
     Utveckla     31.0            182.0      2
     Testa        30.0             30.0      1
     Verifiera    31.0             31.0      1
     Införa          –                –      0

    Lead time from received to implemented: median 149.0 days, 90th percentile 172.0 days (2 cases).

    Throughput per quarter, 1 October 2019–1 April 2020
     Period   Received  Moved on  Closed  Implemented
    ─────────────────────────────────────────────────
     Q4 2019         2         4       1            0
     Q1 2020         2         5       0            0
     Q2 2020         0         0       1            1
    ─────────────────────────────────────────────────
     Total           4         9       2            1

    Coaching
    ────────

    Coaching per coach; the period is 1 October 2019–1 April 2020
     Coach      Open  Sessions, period  Hours, period  Hours, all time
    ──────────────────────────────────────────────────────────────────
     Erik Lind     1                 3            2.5              4.5
     Sara Berg     1                 2            1.8              4.3
     maria         0                 0            0.0              0.5
    ──────────────────────────────────────────────────────────────────
     Total         2                 5            4.3              9.3
    Open cases without a coach (2) are on no row.

    All coaching, all time: 11 sessions, 9.3 hours.

    Programs
    ────────

    Cases per program
     Program                  Cases  Open  Parked  Closed  Implemented  → Prövning  → Utforska  → Utveckla  → Testa  → Verifiera  → Införa  Hours, all time
    ───────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
     Innovationsprogram 2018      0     0       0       0            0           0           0           0        0            0         0              0.0
     Innovationsprogram 2019      4     1       0       3            2           4           4           3        3            2         2              7.0

    Attention
    ─────────

    Stale open cases, idle longest first (2)
     Id  Title                            Stage     Coach      Unit             Idle days
    ─────────────────────────────────────────────────────────────────────────────────────
     c7  Cykelpool för personal           Prövning  –          Teknik                 140
     c4  Trygghetslarm utan fast telefon  Utveckla  Sara Berg  Vård och omsorg        112

    Open cases without a coach (2)
     Id  Title                   Stage     Coach  Unit    Age in days
    ─────────────────────────────────────────────────────────────────
     c7  Cykelpool för personal  Prövning  –      Teknik          150
     c5  Meröppet bibliotek      Inkommen  –      Kultur           29

    Waiting longest in their stage (3)
     Id  Title                            Stage     Coach      Unit             Days in stage
    ─────────────────────────────────────────────────────────────────────────────────────────
     c7  Cykelpool för personal           Prövning  –          Teknik                     140
     c4  Trygghetslarm utan fast telefon  Utveckla  Sara Berg  Vård och omsorg            112
     c8  Språkcafé                        Testa     Erik Lind  Kultur                      31

    Moves forced past a gate that was not met, 1 October 2019–1 April 2020: none.

    Definitions
    ───────────
    Stale case: an open case with no activity (a change in its history or a coaching session) for more than 60 days.
    Reached: cases that reached the stage or a later one, also those that later went back or were closed.
    Conversion: the share of the cases that reached the stage before that also reached this one.
    Time in stage: days from a case's entering a stage to its leaving it, for completed stays (from history).
    Lead time: days from a case's registration to its closing as implemented.
    Throughput: cases received, moved on to a later stage, closed, and closed as implemented in each period of 1 October 2019–1 April 2020.
    Hours: the minutes of coaching sessions divided by 60, with one decimal. "All time" counts every session up to the report's day (30 June 2020); the period counts the sessions in 1 October 2019–1 April 2020.

    Period: 1 October 2019–1 April 2020
    Made 30 June 2020 by sluss 0.3.0
    "#);
}

#[test]
fn summary_as_markdown() {
    let out = summary(
        &portfolio(),
        &[
            "--format",
            "markdown",
            "--since",
            "2019-10-01",
            "--until",
            "2020-04-01",
            "--top",
            "3",
            "--by",
            "unit",
        ],
    );
    insta::assert_snapshot!(out, @r#"
    # Portfolio summary – Idésluss

    _As of 30 June 2020_

    - **8** Cases
    - **4** Open
    - **1** Parked
    - **3** Closed
    - **2** Implemented
    - **2** Stale (no activity for more than 60 days)
    - **9.3** Coaching hours (all time, 11 sessions)

    ## Funnel

    **Cases per stage**

    | Stage | Reached | Conversion | Open now |
    | --- | ---: | ---: | ---: |
    | Inkommen | 8 | – | 1 |
    | Prövning | 7 | 87.5% | 1 |
    | Utforska | 5 | 71.4% | 0 |
    | Utveckla | 4 | 80.0% | 1 |
    | Testa | 3 | 75.0% | 1 |
    | Verifiera | 2 | 66.7% | 0 |
    | Införa | 2 | 100.0% | 0 |

    **Closed cases by outcome**

    | Outcome | Cases |
    | --- | ---: |
    | implemented | 2 |
    | handed over | 0 |
    | stopped | 1 |
    | duplicate | 0 |
    | referred | 0 |
    | **Total** | **3** |

    ## Flow

    **Time in each stage (days, completed stays)**

    | Stage | Median | 90th percentile | Stays |
    | --- | ---: | ---: | ---: |
    | Inkommen | 10.5 | 20.0 | 7 |
    | Prövning | 12.0 | 60.0 | 5 |
    | Utforska | 28.0 | 30.0 | 4 |
    | Utveckla | 31.0 | 182.0 | 2 |
    | Testa | 30.0 | 30.0 | 1 |
    | Verifiera | 31.0 | 31.0 | 1 |
    | Införa | – | – | 0 |

    Lead time from received to implemented: median 149.0 days, 90th percentile 172.0 days (2 cases).

    **Throughput per quarter, 1 October 2019–1 April 2020**

    | Period | Received | Moved on | Closed | Implemented |
    | --- | ---: | ---: | ---: | ---: |
    | Q4 2019 | 2 | 4 | 1 | 0 |
    | Q1 2020 | 2 | 5 | 0 | 0 |
    | Q2 2020 | 0 | 0 | 1 | 1 |
    | **Total** | **4** | **9** | **2** | **1** |

    ## Coaching

    **Coaching per coach; the period is 1 October 2019–1 April 2020**

    | Coach | Open | Sessions, period | Hours, period | Hours, all time |
    | --- | ---: | ---: | ---: | ---: |
    | Erik Lind | 1 | 3 | 2.5 | 4.5 |
    | Sara Berg | 1 | 2 | 1.8 | 4.3 |
    | maria | 0 | 0 | 0.0 | 0.5 |
    | **Total** | **2** | **5** | **4.3** | **9.3** |

    _Open cases without a coach (2) are on no row._

    All coaching, all time: 11 sessions, 9.3 hours.

    ## By unit

    **Cases per unit**

    | Unit | Cases | Open | Parked | Closed | Implemented | → Prövning | → Utforska | → Utveckla | → Testa | → Verifiera | → Införa | Hours, all time |
    | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
    | Kultur | 2 | 2 | 0 | 0 | 0 | 1 | 1 | 1 | 1 | 0 | 0 | 1.5 |
    | Skola | 2 | 0 | 0 | 2 | 1 | 2 | 2 | 1 | 1 | 1 | 1 | 3.0 |
    | Teknik | 2 | 1 | 1 | 0 | 0 | 2 | 0 | 0 | 0 | 0 | 0 | 0.5 |
    | Vård och omsorg | 2 | 1 | 0 | 1 | 1 | 2 | 2 | 2 | 1 | 1 | 1 | 4.3 |
    | **Total** | **8** | **4** | **1** | **3** | **2** | **7** | **5** | **4** | **3** | **2** | **2** | **9.3** |

    ## Programs

    **Cases per program**

    | Program | Cases | Open | Parked | Closed | Implemented | → Prövning | → Utforska | → Utveckla | → Testa | → Verifiera | → Införa | Hours, all time |
    | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
    | Innovationsprogram 2018 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0.0 |
    | Innovationsprogram 2019 | 4 | 1 | 0 | 3 | 2 | 4 | 4 | 3 | 3 | 2 | 2 | 7.0 |

    ## Attention

    **Stale open cases, idle longest first (2)**

    | Id | Title | Stage | Coach | Unit | Idle days |
    | --- | --- | --- | --- | --- | ---: |
    | c7 | Cykelpool för personal | Prövning | – | Teknik | 140 |
    | c4 | Trygghetslarm utan fast telefon | Utveckla | Sara Berg | Vård och omsorg | 112 |

    **Open cases without a coach (2)**

    | Id | Title | Stage | Coach | Unit | Age in days |
    | --- | --- | --- | --- | --- | ---: |
    | c7 | Cykelpool för personal | Prövning | – | Teknik | 150 |
    | c5 | Meröppet bibliotek | Inkommen | – | Kultur | 29 |

    **Waiting longest in their stage (3)**

    | Id | Title | Stage | Coach | Unit | Days in stage |
    | --- | --- | --- | --- | --- | ---: |
    | c7 | Cykelpool för personal | Prövning | – | Teknik | 140 |
    | c4 | Trygghetslarm utan fast telefon | Utveckla | Sara Berg | Vård och omsorg | 112 |
    | c8 | Språkcafé | Testa | Erik Lind | Kultur | 31 |

    Moves forced past a gate that was not met, 1 October 2019–1 April 2020: none.

    ## Definitions

    - **Stale case**: an open case with no activity (a change in its history or a coaching session) for more than 60 days.
    - **Reached**: cases that reached the stage or a later one, also those that later went back or were closed.
    - **Conversion**: the share of the cases that reached the stage before that also reached this one.
    - **Time in stage**: days from a case's entering a stage to its leaving it, for completed stays (from history).
    - **Lead time**: days from a case's registration to its closing as implemented.
    - **Throughput**: cases received, moved on to a later stage, closed, and closed as implemented in each period of 1 October 2019–1 April 2020.
    - **Hours**: the minutes of coaching sessions divided by 60, with one decimal. "All time" counts every session up to the report's day (30 June 2020); the period counts the sessions in 1 October 2019–1 April 2020.

    ---

    Period: 1 October 2019–1 April 2020  
    _Made 30 June 2020 by sluss 0.3.0_
    "#);
}

#[test]
fn summary_as_csv() {
    let out = summary(
        &portfolio(),
        &[
            "--format",
            "csv",
            "--since",
            "2019-10-01",
            "--until",
            "2020-04-01",
            "--top",
            "1",
        ],
    );
    insta::assert_snapshot!(out, @"
    section,group,key,metric,value
    portfolio,,,name,Idésluss
    portfolio,,,as_of,2020-06-30
    flow,,,since,2019-10-01
    flow,,,until,2020-04-01
    portfolio,,,total,8
    portfolio,,,stale,2
    portfolio,,closed,cases_by_status,3
    portfolio,,open,cases_by_status,4
    portfolio,,parked,cases_by_status,1
    portfolio,,duplicate,closed_by_outcome,0
    portfolio,,handed_over,closed_by_outcome,0
    portfolio,,implemented,closed_by_outcome,2
    portfolio,,referred,closed_by_outcome,0
    portfolio,,stopped,closed_by_outcome,1
    funnel,,inkommen,reached,8
    funnel,,inkommen,open,1
    funnel,,provning,reached,7
    funnel,,provning,open,1
    funnel,,provning,conversion_pct,87.5
    funnel,,utforska,reached,5
    funnel,,utforska,open,0
    funnel,,utforska,conversion_pct,71.4
    funnel,,utveckla,reached,4
    funnel,,utveckla,open,1
    funnel,,utveckla,conversion_pct,80
    funnel,,testa,reached,3
    funnel,,testa,open,1
    funnel,,testa,conversion_pct,75
    funnel,,verifiera,reached,2
    funnel,,verifiera,open,0
    funnel,,verifiera,conversion_pct,66.7
    funnel,,infora,reached,2
    funnel,,infora,open,0
    funnel,,infora,conversion_pct,100
    time_in_stage,,inkommen,stays,7
    time_in_stage,,inkommen,median_days,10.5
    time_in_stage,,inkommen,p90_days,20
    time_in_stage,,provning,stays,5
    time_in_stage,,provning,median_days,12
    time_in_stage,,provning,p90_days,60
    time_in_stage,,utforska,stays,4
    time_in_stage,,utforska,median_days,28
    time_in_stage,,utforska,p90_days,30
    time_in_stage,,utveckla,stays,2
    time_in_stage,,utveckla,median_days,31
    time_in_stage,,utveckla,p90_days,182
    time_in_stage,,testa,stays,1
    time_in_stage,,testa,median_days,30
    time_in_stage,,testa,p90_days,30
    time_in_stage,,verifiera,stays,1
    time_in_stage,,verifiera,median_days,31
    time_in_stage,,verifiera,p90_days,31
    time_in_stage,,infora,stays,0
    lead_time,,implemented,cases,2
    lead_time,,implemented,median_days,149
    lead_time,,implemented,p90_days,172
    throughput,,2019-Q4,received,2
    throughput,,2019-Q4,moved_on,4
    throughput,,2019-Q4,closed,1
    throughput,,2019-Q4,implemented,0
    throughput,,2020-Q1,received,2
    throughput,,2020-Q1,moved_on,5
    throughput,,2020-Q1,closed,0
    throughput,,2020-Q1,implemented,0
    throughput,,2020-Q2,received,0
    throughput,,2020-Q2,moved_on,0
    throughput,,2020-Q2,closed,1
    throughput,,2020-Q2,implemented,1
    coaching,erik,,sessions,6
    coaching,erik,,minutes,270
    coaching,maria,,sessions,1
    coaching,maria,,minutes,30
    coaching,sara,,sessions,4
    coaching,sara,,minutes,255
    caseload,erik,,open_cases,1
    caseload,erik,2019-10,sessions,1
    caseload,erik,2019-10,minutes,45
    caseload,erik,2019-11,sessions,1
    caseload,erik,2019-11,minutes,45
    caseload,erik,2020-01,sessions,1
    caseload,erik,2020-01,minutes,60
    caseload,sara,,open_cases,1
    caseload,sara,2020-02,sessions,1
    caseload,sara,2020-02,minutes,60
    caseload,sara,2020-03,sessions,1
    caseload,sara,2020-03,minutes,45
    program,ip2018,,total,0
    program,ip2018,closed,cases_by_status,0
    program,ip2018,open,cases_by_status,0
    program,ip2018,parked,cases_by_status,0
    program,ip2018,duplicate,closed_by_outcome,0
    program,ip2018,handed_over,closed_by_outcome,0
    program,ip2018,implemented,closed_by_outcome,0
    program,ip2018,referred,closed_by_outcome,0
    program,ip2018,stopped,closed_by_outcome,0
    program,ip2018,inkommen,reached,0
    program,ip2018,inkommen,open,0
    program,ip2018,provning,reached,0
    program,ip2018,provning,open,0
    program,ip2018,utforska,reached,0
    program,ip2018,utforska,open,0
    program,ip2018,utveckla,reached,0
    program,ip2018,utveckla,open,0
    program,ip2018,testa,reached,0
    program,ip2018,testa,open,0
    program,ip2018,verifiera,reached,0
    program,ip2018,verifiera,open,0
    program,ip2018,infora,reached,0
    program,ip2018,infora,open,0
    program,ip2018,,sessions,0
    program,ip2018,,minutes,0
    program,ip2018,,stale,0
    program,ip2019,,total,4
    program,ip2019,closed,cases_by_status,3
    program,ip2019,open,cases_by_status,1
    program,ip2019,parked,cases_by_status,0
    program,ip2019,duplicate,closed_by_outcome,0
    program,ip2019,handed_over,closed_by_outcome,0
    program,ip2019,implemented,closed_by_outcome,2
    program,ip2019,referred,closed_by_outcome,0
    program,ip2019,stopped,closed_by_outcome,1
    program,ip2019,inkommen,reached,4
    program,ip2019,inkommen,open,0
    program,ip2019,provning,reached,4
    program,ip2019,provning,open,0
    program,ip2019,provning,conversion_pct,100
    program,ip2019,utforska,reached,4
    program,ip2019,utforska,open,0
    program,ip2019,utforska,conversion_pct,100
    program,ip2019,utveckla,reached,3
    program,ip2019,utveckla,open,0
    program,ip2019,utveckla,conversion_pct,75
    program,ip2019,testa,reached,3
    program,ip2019,testa,open,1
    program,ip2019,testa,conversion_pct,100
    program,ip2019,verifiera,reached,2
    program,ip2019,verifiera,open,0
    program,ip2019,verifiera,conversion_pct,66.7
    program,ip2019,infora,reached,2
    program,ip2019,infora,open,0
    program,ip2019,infora,conversion_pct,100
    program,ip2019,,sessions,8
    program,ip2019,,minutes,420
    program,ip2019,,stale,0
    attention,stale,c7,days,140
    attention,stale,c7,title,Cykelpool för personal
    attention,stale,c7,stage,provning
    attention,stale,c7,unit,Teknik
    attention,stale,c4,days,112
    attention,stale,c4,title,Trygghetslarm utan fast telefon
    attention,stale,c4,stage,utveckla
    attention,stale,c4,unit,Vård och omsorg
    attention,stale,c4,coach,sara
    attention,no_coach,c7,days,150
    attention,no_coach,c7,title,Cykelpool för personal
    attention,no_coach,c7,stage,provning
    attention,no_coach,c7,unit,Teknik
    attention,no_coach,c5,days,29
    attention,no_coach,c5,title,Meröppet bibliotek
    attention,no_coach,c5,stage,inkommen
    attention,no_coach,c5,unit,Kultur
    attention,waiting_longest,c7,days,140
    attention,waiting_longest,c7,title,Cykelpool för personal
    attention,waiting_longest,c7,stage,provning
    attention,waiting_longest,c7,unit,Teknik
    ");
}

#[test]
fn summary_as_one_self_contained_html_file() {
    let html = summary(&portfolio(), &["--format", "html", "--by", "unit"]);
    assert!(html.starts_with("<!DOCTYPE html>\n"), "{html}");
    assert!(html.ends_with("</html>\n"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("<style>"), "the style is inline");
    // Nothing is run or fetched: no scripts, links, images or external references.
    for needle in [
        "<script", "<link", "<img", "<iframe", "src=", "href=", "http://", "https://", "url(",
    ] {
        assert!(!html.contains(needle), "the report contains {needle}");
    }
    // Three charts: the funnel, throughput, time in stage, each with its table.
    assert_eq!(html.matches("<svg").count(), 3);
    assert_eq!(html.matches("</svg>").count(), 3);
    for chart in [
        "<figcaption>Cases that reached each stage</figcaption>",
        "<figcaption>Throughput per quarter, ",
        "<figcaption>Time in each stage (days, completed stays)</figcaption>",
    ] {
        assert!(html.contains(chart), "no {chart}");
    }
    assert!(html.contains("<h2>By unit</h2>"));
    let attention = &html[html
        .find("<h2>Attention</h2>")
        .expect("an attention section")
        ..html.find("<h2>Definitions</h2>").expect("definitions")];
    insta::assert_snapshot!(attention, @r#"
    <h2>Attention</h2>
    <div class="scroll" tabindex="0" role="region" aria-label="Stale open cases, idle longest first (2)">
    <table>
    <caption>Stale open cases, idle longest first (2)</caption>
    <thead><tr><th scope="col" class="id">Id</th><th scope="col">Title</th><th scope="col">Stage</th><th scope="col">Coach</th><th scope="col">Unit</th><th scope="col" class="n">Idle days</th></tr></thead>
    <tbody>
    <tr><td class="id">c7</td><td>Cykelpool för personal</td><td>Prövning</td><td>–</td><td>Teknik</td><td class="n">140</td></tr>
    <tr><td class="id">c4</td><td>Trygghetslarm utan fast telefon</td><td>Utveckla</td><td>Sara Berg</td><td>Vård och omsorg</td><td class="n">112</td></tr>
    </tbody>
    </table>
    </div>
    <div class="scroll" tabindex="0" role="region" aria-label="Open cases without a coach (2)">
    <table>
    <caption>Open cases without a coach (2)</caption>
    <thead><tr><th scope="col" class="id">Id</th><th scope="col">Title</th><th scope="col">Stage</th><th scope="col">Coach</th><th scope="col">Unit</th><th scope="col" class="n">Age in days</th></tr></thead>
    <tbody>
    <tr><td class="id">c7</td><td>Cykelpool för personal</td><td>Prövning</td><td>–</td><td>Teknik</td><td class="n">150</td></tr>
    <tr><td class="id">c5</td><td>Meröppet bibliotek</td><td>Inkommen</td><td>–</td><td>Kultur</td><td class="n">29</td></tr>
    </tbody>
    </table>
    </div>
    <div class="scroll" tabindex="0" role="region" aria-label="Waiting longest in their stage (4)">
    <table>
    <caption>Waiting longest in their stage (4)</caption>
    <thead><tr><th scope="col" class="id">Id</th><th scope="col">Title</th><th scope="col">Stage</th><th scope="col">Coach</th><th scope="col">Unit</th><th scope="col" class="n">Days in stage</th></tr></thead>
    <tbody>
    <tr><td class="id">c7</td><td>Cykelpool för personal</td><td>Prövning</td><td>–</td><td>Teknik</td><td class="n">140</td></tr>
    <tr><td class="id">c4</td><td>Trygghetslarm utan fast telefon</td><td>Utveckla</td><td>Sara Berg</td><td>Vård och omsorg</td><td class="n">112</td></tr>
    <tr><td class="id">c8</td><td>Språkcafé</td><td>Testa</td><td>Erik Lind</td><td>Kultur</td><td class="n">31</td></tr>
    <tr><td class="id">c5</td><td>Meröppet bibliotek</td><td>Inkommen</td><td>–</td><td>Kultur</td><td class="n">29</td></tr>
    </tbody>
    </table>
    </div>
    <p>Moves forced past a gate that was not met, 10 January 2019–30 June 2020: none.</p>
    <section>
    "#);
}

// ---------------------------------------------------------------------------------------
// Hostile text from cases.

const HOSTILE_TITLE: &str = r#"<script>alert(1)</script> | *x* =HYPERLINK("http://evil")"#;
const HOSTILE_UNIT: &str = "=cmd|' /C calc'!A0";

/// Cases whose text tries to break out of every format: a script tag, Markdown table
/// pipes and emphasis, and spreadsheet formulas (`=`, `@`, `+`, `-` first).
fn hostile() -> Sandbox {
    let sb = Sandbox::with_team();
    sb.write_case(
        "h1",
        r#"id = "h1"
title = '<script>alert(1)</script> | *x* =HYPERLINK("http://evil")'
created = 2020-01-10T10:00:00+01:00
stage = "provning"
status = "open"
unit = "=cmd|' /C calc'!A0"
tags = ["=tag"]

[submitter]
name = "<b>Eve</b>"
consent = true

[description]
need = "<img src=x onerror=alert(2)> | [link](javascript:alert(3))"

[[history]]
at = 2020-01-20T10:00:00+01:00
by = "erik"
from = "inkommen"
to = "provning"
"#,
    );
    sb.write_case(
        "h2",
        r#"id = "h2"
title = "@SUM(1+1)"
created = 2020-01-11T10:00:00+01:00
stage = "inkommen"
status = "open"
unit = "+46 Kultur"
"#,
    );
    sb.write_case(
        "h3",
        r#"id = "h3"
title = "-2+3"
created = 2020-01-12T10:00:00+01:00
stage = "inkommen"
status = "open"
coach = "erik"
unit = "@Teknik"
"#,
    );
    sb
}

/// The cells of a Markdown table row, split at the pipes that are not escaped.
fn markdown_cells(row: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut escaped = false;
    for c in row.chars() {
        if c == '|' && !escaped {
            cells.push(String::new());
        } else {
            cells.last_mut().unwrap().push(c);
        }
        escaped = c == '\\' && !escaped;
    }
    cells
}

/// Asserts that every row of every Markdown table has as many cells as its header.
#[track_caller]
fn assert_tables_intact(markdown: &str) {
    let mut header: Option<usize> = None;
    for line in markdown.lines() {
        if !line.starts_with('|') {
            header = None;
            continue;
        }
        let n = markdown_cells(line).len();
        match header {
            None => header = Some(n),
            Some(h) => assert_eq!(n, h, "a row with other cells than its header: {line}"),
        }
    }
}

/// Asserts that Markdown has no tag: every `<` is escaped.
#[track_caller]
fn assert_no_raw_angle_brackets(markdown: &str) {
    for (i, _) in markdown.match_indices('<') {
        assert!(
            markdown[..i].ends_with('\\'),
            "a raw < in: {}",
            markdown[i.saturating_sub(40)..].lines().next().unwrap()
        );
    }
}

/// The cells of a CSV text.
fn csv_cells(text: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .flat_map(|r| {
            r.expect("valid CSV")
                .iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Asserts that no CSV cell would run as a spreadsheet formula, and that the hostile
/// texts are there, defused with a leading `'`.
#[track_caller]
fn assert_csv_defused(text: &str, expected: &[&str]) {
    let cells = csv_cells(text);
    for cell in &cells {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a formula cell: {cell:?}"
        );
    }
    for want in expected {
        assert!(
            cells.iter().any(|c| c == want),
            "no cell {want:?} in\n{text}"
        );
    }
}

#[test]
fn hostile_text_is_inert_in_html() {
    let sb = hostile();
    let html = summary(&sb, &["--format", "html", "--by", "unit"]);
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains(HOSTILE_TITLE));
    assert!(html.contains(
        "&lt;script&gt;alert(1)&lt;/script&gt; | *x* =HYPERLINK(&quot;http://evil&quot;)"
    ));
    assert!(
        html.contains("<td>=cmd|&#39; /C calc&#39;!A0</td>"),
        "the unit, also as a group"
    );
    assert!(!html.contains("src=") && !html.contains("href="));
}

#[test]
fn hostile_text_cannot_break_markdown() {
    let sb = hostile();
    let md = summary(&sb, &["--format", "markdown", "--by", "unit"]);
    assert_no_raw_angle_brackets(&md);
    assert!(md.contains(r#"\<script\>alert(1)\</script\> \| \*x\* =HYPERLINK("http://evil")"#));
    assert!(
        md.contains(r"| =cmd\|' /C calc'!A0 |"),
        "the unit as a group: {md}"
    );
    assert_tables_intact(&md);
}

#[test]
fn hostile_text_cannot_run_as_a_formula_in_csv() {
    let sb = hostile();
    let report = summary(&sb, &["--format", "csv", "--by", "unit"]);
    assert_csv_defused(
        &report,
        &[
            &format!("'{HOSTILE_UNIT}"),
            "'@SUM(1+1)",
            "'-2+3",
            "'+46 Kultur",
            "'@Teknik",
            // Text that does not start like a formula is kept as it is.
            HOSTILE_TITLE,
        ],
    );
    let list = sb.run(&["list", "--format", "csv"]).success().stdout;
    assert_csv_defused(
        &list,
        &[
            &format!("'{HOSTILE_UNIT}"),
            "'@SUM(1+1)",
            "'-2+3",
            "'+46 Kultur",
            "'@Teknik",
            "'=tag",
            HOSTILE_TITLE,
        ],
    );
}

#[test]
fn hostile_text_is_plain_data_in_json() {
    let s = summary_json(&hostile(), &["--by", "unit"]);
    assert_eq!(s["attention"]["no_coach"][0]["title"], HOSTILE_TITLE);
    assert_eq!(s["attention"]["no_coach"][0]["unit"], HOSTILE_UNIT);
    assert_eq!(s["breakdown"]["groups"][1]["group"], HOSTILE_UNIT);
}

#[test]
fn hostile_text_is_escaped_in_the_digest() {
    let sb = hostile();
    let md = sb
        .run(&[
            "--lang",
            "sv",
            "digest",
            "--since",
            "2020-01-01",
            "--format",
            "markdown",
        ])
        .success()
        .stdout;
    assert_no_raw_angle_brackets(&md);
    assert!(md.contains(r#"**\<script\>alert(1)\</script\> \| \*x\* =HYPERLINK("http://evil")**"#));
    assert!(
        md.contains(r"Idé från \<b\>Eve\</b\>, =cmd\|' /C calc'!A0."),
        "{md}"
    );
    assert!(
        md.contains(r"\[link\](javascript:alert(3))"),
        "no live link: {md}"
    );
    let html = sb
        .run(&[
            "--lang",
            "sv",
            "digest",
            "--since",
            "2020-01-01",
            "--format",
            "html",
        ])
        .success()
        .stdout;
    assert!(
        !html.contains("<script") && !html.contains("<img") && !html.contains("<b>"),
        "{html}"
    );
    assert!(html.contains(
        "<strong>&lt;script&gt;alert(1)&lt;/script&gt; | *x* =HYPERLINK(&quot;http://evil&quot;)</strong>"
    ));
    assert!(html.contains("Idé från &lt;b&gt;Eve&lt;/b&gt;, =cmd|&#39; /C calc&#39;!A0"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
}

/// Stages are data: another pipeline, whose names need escaping too, is reported the
/// same way, and each name is escaped exactly once.
#[test]
fn another_pipeline_with_names_that_need_escaping() {
    let sb = Sandbox::empty();
    sb.write(
        "sluss.toml",
        r#"name = "Sluss <&> test"
stale_after_days = 30

[[stages]]
key = "idea"
name = "Idé"

[[stages]]
key = "trial"
name = "Test & lär"

[[stages]]
key = "done"
name = "Klar <3"
"#,
    );
    sb.write_case(
        "x1",
        r#"id = "x1"
title = "Första"
created = 2020-06-01T10:00:00+02:00
stage = "trial"
status = "open"
unit = "Kultur"

[[history]]
at = 2020-06-11T10:00:00+02:00
by = "erik"
from = "idea"
to = "trial"
"#,
    );
    let s = summary_json(&sb, &[]);
    assert_funnel(
        &s["stages"],
        &[
            ("idea", 1, Value::Null, 0),
            ("trial", 1, json!(100.0), 1),
            ("done", 0, json!(0.0), 0),
        ],
    );
    assert_eq!(s["flow"]["time_in_stage"][0]["median_days"], 10.0);
    let html = summary(&sb, &["--format", "html", "--by", "unit"]);
    assert!(
        !html.contains("&amp;amp;") && !html.contains("&amp;lt;"),
        "escaped twice: {html}"
    );
    assert!(html.contains("<title>Portfolio summary – Sluss &lt;&amp;&gt; test</title>"));
    assert!(html.contains("<th scope=\"row\">Test &amp; lär</th>"));
    assert!(
        html.contains("<th scope=\"col\" class=\"n\">→ Test &amp; lär</th>"),
        "{html}"
    );
    assert!(html.contains("<th scope=\"col\" class=\"n\">→ Klar &lt;3</th>"));
    let md = summary(&sb, &["--format", "markdown", "--by", "unit"]);
    assert!(
        md.starts_with(r"# Portfolio summary – Sluss \<&\> test"),
        "{md}"
    );
    assert!(md.contains(r"| → Klar \<3 |"), "{md}");
    assert_tables_intact(&md);
}

// ---------------------------------------------------------------------------------------
// Same data, same bytes; -o.

const FORMATS: [&str; 5] = ["table", "json", "csv", "markdown", "html"];

#[test]
fn two_runs_give_identical_bytes_in_every_format() {
    let sb = portfolio();
    for format in FORMATS {
        for by in ["unit", "tag", "coach", "program"] {
            let args = ["summary", "--format", format, "--by", by];
            let first = sb.run(&args).success().stdout;
            let second = sb.run(&args).success().stdout;
            assert!(first == second, "{format} --by {by} differs between runs");
        }
    }
}

#[test]
fn output_file_gets_the_same_bytes_and_its_format_from_the_extension() {
    let sb = portfolio();
    for (file, format) in [
        ("report.txt", "table"),
        ("report.json", "json"),
        ("report.csv", "csv"),
        ("report.md", "markdown"),
        ("report.html", "html"),
    ] {
        let out = sb.run(&["summary", "-o", file, "--by", "tag"]).success();
        assert_eq!(out.stdout, "", "-o {file} writes nothing to stdout");
        assert!(
            out.stderr.contains(file),
            "says where it wrote: {}",
            out.stderr
        );
        let written = std::fs::read(sb.path(file)).unwrap();
        let shown = summary(&sb, &["--format", format, "--by", "tag"]);
        assert!(
            written == shown.as_bytes(),
            "-o {file} differs from --format {format}"
        );
        std::fs::remove_file(sb.path(file)).unwrap();
    }
    // --format wins over the extension.
    sb.run(&["summary", "-o", "report.txt", "--format", "csv"])
        .success();
    assert!(
        sb.read("report.txt")
            .starts_with("section,group,key,metric,value\n")
    );
}

#[test]
fn output_file_with_an_unknown_extension_needs_a_format() {
    let sb = portfolio();
    sb.run(&["summary", "-o", "report.pdf"])
        .fails()
        .stderr_has("report.pdf")
        .hint_has("--format");
    assert!(!sb.path("report.pdf").exists());
    sb.run(&["summary", "-o", "report"])
        .fails()
        .hint_has(".html");
}

// ---------------------------------------------------------------------------------------
// Options.

#[test]
fn until_before_since_is_refused() {
    let sb = portfolio();
    sb.run(&["summary", "--since", "2020-04-01", "--until", "2020-03-31"])
        .fails()
        .stderr_has("--until 2020-03-31 is before --since 2020-04-01")
        .hint_has("swap");
}

#[test]
fn one_day_window_is_allowed() {
    let s = summary_json(
        &portfolio(),
        &["--since", "2020-04-01", "--until", "2020-04-01"],
    );
    assert_eq!(
        s["flow"]["throughput"],
        json!([{"period": "2020-Q2", "received": 0, "moved_on": 0, "closed": 1, "implemented": 1}])
    );
}

#[test]
fn unknown_period_and_grouping_are_usage_errors() {
    let sb = portfolio();
    sb.run(&["summary", "--period", "week"])
        .failure(2)
        .stderr_has("month");
    sb.run(&["summary", "--by", "color"])
        .failure(2)
        .stderr_has("unit");
}

// ---------------------------------------------------------------------------------------
// A region: several repositories summed.

fn rename(sb: &Sandbox, name: &str) {
    let config = sb.read("sluss.toml");
    assert!(config.contains("name = \"Idésluss\""));
    sb.write(
        "sluss.toml",
        &config.replacen("name = \"Idésluss\"", &format!("name = \"{name}\""), 1),
    );
}

/// A second, smaller portfolio with its own coach lena.
/// - t1: open in utforska, coach lena, created 2020-05-01; → provning 05-05,
///   → utforska 05-10; session lena 60 (2020-05-06). Idle 51 days: not stale.
/// - t2: closed duplicate in inkommen, created 2020-04-01, closed 04-02, no coach.
fn timra() -> Sandbox {
    let sb = Sandbox::with_team();
    rename(&sb, "Idésluss Timrå");
    sb.run(&["coach", "add", "lena", "--name", "Lena Nord"])
        .success();
    sb.write_case(
        "t1",
        r#"id = "t1"
title = "Lånecyklar"
created = 2020-05-01T10:00:00+02:00
stage = "utforska"
status = "open"
coach = "lena"
unit = "Skola"

[[history]]
at = 2020-05-05T10:00:00+02:00
by = "lena"
from = "inkommen"
to = "provning"

[[history]]
at = 2020-05-10T10:00:00+02:00
by = "lena"
from = "provning"
to = "utforska"

[[sessions]]
date = 2020-05-06
coach = "lena"
minutes = 60
"#,
    );
    sb.write_case(
        "t2",
        r#"id = "t2"
title = "Digital matsedel"
created = 2020-04-01T10:00:00+02:00
stage = "inkommen"
status = "closed"
outcome = "duplicate"
unit = "Vård och omsorg"

[[history]]
at = 2020-04-02T10:00:00+02:00
by = "lena"
status = "closed"
outcome = "duplicate"
"#,
    );
    sb
}

#[test]
fn a_region_sums_its_repositories_and_keeps_each_one() {
    let sundsvall = portfolio();
    rename(&sundsvall, "Idésluss Sundsvall");
    let timra = timra();
    let a = sundsvall.root();
    let b = timra.root();
    let s = summary_json(
        &sundsvall,
        &["--repo", a.to_str().unwrap(), "--repo", b.to_str().unwrap()],
    );
    assert_eq!(s["name"], "Idésluss Sundsvall + Idésluss Timrå");
    // 8 + 2 cases; t1 open, t2 closed as a duplicate.
    assert_eq!(s["total"], 10);
    assert_eq!(s["by_status"], json!({"open": 5, "parked": 1, "closed": 4}));
    assert_eq!(
        s["by_outcome"],
        json!({"implemented": 2, "handed_over": 0, "stopped": 1, "duplicate": 1, "referred": 0})
    );
    // t1 reached utforska, t2 only inkommen: 8+2, 7+1, 5+1, then Sundsvall's alone.
    assert_funnel(
        &s["stages"],
        &[
            ("inkommen", 10, Value::Null, 1),
            ("provning", 8, json!(80.0), 1),
            ("utforska", 6, json!(75.0), 1),
            ("utveckla", 4, json!(66.7), 1),
            ("testa", 3, json!(75.0), 1),
            ("verifiera", 2, json!(66.7), 0),
            ("infora", 2, json!(100.0), 0),
        ],
    );
    assert_eq!(
        s["coaching"],
        json!({"sessions": 12, "minutes": 615, "by_coach": [
            {"coach": "erik", "sessions": 6, "minutes": 270},
            {"coach": "lena", "sessions": 1, "minutes": 60},
            {"coach": "maria", "sessions": 1, "minutes": 30},
            {"coach": "sara", "sessions": 4, "minutes": 255},
        ]})
    );
    assert_eq!(s["stale"], 2);
    // Coaches of both repositories carry their names.
    let lena = s["caseload"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["coach"] == "lena")
        .expect("lena's caseload");
    assert_eq!(lena["name"], "Lena Nord");
    assert_eq!(lena["open_cases"], 1);
    // One entry per repository, by name, with its own figures.
    let repos = &s["repositories"];
    assert_eq!(group_names(repos), ["Idésluss Sundsvall", "Idésluss Timrå"]);
    assert_figures(
        group(repos, "Idésluss Sundsvall"),
        8,
        (4, 1, 3),
        &[("implemented", 2), ("stopped", 1)],
        (11, 555),
        2,
    );
    let t = group(repos, "Idésluss Timrå");
    assert_figures(t, 2, (1, 0, 1), &[("duplicate", 1)], (1, 60), 0);
    assert_eq!(reached(t), [2, 1, 1, 0, 0, 0, 0]);
    // The other formats show the repositories too.
    let md = summary(
        &sundsvall,
        &[
            "--format",
            "markdown",
            "--repo",
            a.to_str().unwrap(),
            "--repo",
            b.to_str().unwrap(),
        ],
    );
    assert!(md.contains("## By repository"), "{md}");
    assert!(
        md.contains("| Idésluss Timrå | 2 | 1 | 0 | 1 | 0 | 1 | 1 | 0 | 0 | 0 | 0 | 1.0 |"),
        "{md}"
    );
}

#[test]
fn a_region_needs_one_pipeline() {
    let sundsvall = portfolio();
    let other = Sandbox::new();
    let config = other.read("sluss.toml");
    other.write(
        "sluss.toml",
        &config.replacen("key = \"testa\"", "key = \"pilot\"", 1),
    );
    sundsvall
        .run(&[
            "summary",
            "--repo",
            sundsvall.root().to_str().unwrap(),
            "--repo",
            other.root().to_str().unwrap(),
        ])
        .fails()
        .stderr_has("pilot")
        .stderr_has("testa")
        .hint_has("align the [[stages]] keys");
}

/// A case created with erik and no program, given to sara on 2020-03-01, put into
/// ip2018 on 2020-04-01 and moved to ip2019 on 2020-05-01.
fn reassigned_case() -> Sandbox {
    let sb = Sandbox::with_team();
    sb.run(&[
        "program",
        "add",
        "ip2019",
        "--name",
        "Innovationsprogram 2019",
        "--start",
        "2019-02-01",
        "--end",
        "2019-06-30",
    ])
    .success();
    let id = sb.new_case_on("2020-01-10", "Matsedel", &["--coach", "erik"]);
    sb.run_on("2020-03-01", &["assign", &id, "sara"]).success();
    sb.run_on("2020-04-01", &["program", "join", &id, "ip2018"])
        .success();
    sb.run_on("2020-05-01", &["program", "join", &id, "ip2019"])
        .success();
    sb
}

#[test]
fn as_of_replays_the_coach_and_the_program_a_case_had_then() {
    let sb = reassigned_case();
    let by = |what: &str, day: Option<&str>| {
        let mut args = vec!["--by", what];
        if let Some(day) = day {
            args.extend(["--as-of", day]);
        }
        let s = summary_json(&sb, &args);
        group_names(&s["breakdown"]["groups"])
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    // Before its first reassignment the case was erik's, though the file now says sara.
    assert_eq!(by("coach", Some("2020-02-15")), ["erik"]);
    assert_eq!(by("coach", Some("2020-03-01")), ["sara"]);
    assert_eq!(by("coach", None), ["sara"]);
    assert_eq!(by("program", Some("2020-03-15")), ["(none)"]);
    assert_eq!(by("program", Some("2020-04-15")), ["ip2018"]);
    assert_eq!(by("program", Some("2020-05-15")), ["ip2019"]);
    assert_eq!(by("program", None), ["ip2019"]);
    // The programs' own figures follow too.
    let totals = |day: &str| {
        let s = summary_json(&sb, &["--as-of", day]);
        s["programs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["key"].as_str().unwrap().to_string(),
                    p["total"].as_u64().unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    let pairs = |a: u64, b: u64| vec![("ip2018".to_string(), a), ("ip2019".to_string(), b)];
    assert_eq!(totals("2020-03-15"), pairs(0, 0));
    assert_eq!(totals("2020-04-15"), pairs(1, 0));
    assert_eq!(totals("2020-05-15"), pairs(0, 1));
    // The history says what came before, and `log` shows it.
    sb.run(&["log", &sb.case_ids()[0]])
        .success()
        .stdout_has("coach erik → sara")
        .stdout_has("program → ip2018")
        .stdout_has("program ip2018 → ip2019");
}
