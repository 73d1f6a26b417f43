//! `digest`: the newsletter of a window of days. Which case lands in which section, both
//! ends of the window, the submitter named only with consent, and the reader's language.

use serde_json::{Value, json};

use crate::common::Sandbox;

/// Eight cases around March 2020, the window most tests use (2020-03-01..=2020-03-31).
///
/// - d1: created 2020-03-01, the window's first day; → provning 03-05; → utforska
///   2020-04-10, after the window. Anna Berg consented to be named.
/// - d2: created 2020-02-29, the day before; → provning 2020-03-31, the last day.
///   Nils Hemlig did not consent.
/// - d3: created 2019; → infora 2020-03-10; closed implemented 2020-03-31T23:30-02:00,
///   still the 31st where it happened (already April 1st in UTC). Bo Ek consented.
/// - d4: moved back utveckla → utforska 2020-03-15 and parked 03-20: neither is news.
///   Greta Gömd did not consent.
/// - d5: created 2020-04-01T00:30+02:00, the day after (still March 31st in UTC).
/// - d6: closed stopped 2020-03-10: not news either.
/// - d7: created 2020-03-20, no submitter recorded.
/// - d8: closed implemented 2020-02-29T23:30+01:00, the day before the window.
fn portfolio() -> Sandbox {
    let sb = Sandbox::with_team();
    for (id, text) in CASES {
        sb.write_case(id, text);
    }
    sb
}

const CASES: [(&str, &str); 8] = [
    (
        "d1",
        r#"id = "d1"
title = "Matsedel i appen"
created = 2020-03-01T08:00:00+01:00
stage = "utforska"
status = "open"
coach = "sara"
unit = "Vård och omsorg"

[submitter]
name = "Anna Berg"
consent = true

[description]
need = "Boende vill  se veckans mat"
idea = "En app"

[[history]]
at = 2020-03-05T10:00:00+01:00
by = "sara"
from = "inkommen"
to = "provning"

[[history]]
at = 2020-04-10T10:00:00+02:00
by = "sara"
from = "provning"
to = "utforska"
"#,
    ),
    (
        "d2",
        r#"id = "d2"
title = "Cykelpool för personal"
created = 2020-02-29T10:00:00+01:00
stage = "provning"
status = "open"
coach = "erik"
unit = "Teknik"

[submitter]
name = "Nils Hemlig"
consent = false

[description]
need = "Lånecyklar för korta tjänsteresor"

[[history]]
at = 2020-03-31T10:00:00+02:00
by = "erik"
from = "inkommen"
to = "provning"
"#,
    ),
    (
        "d3",
        r#"id = "d3"
title = "Skolskjuts i appen"
created = 2019-06-01T10:00:00+02:00
stage = "infora"
status = "closed"
outcome = "implemented"
coach = "erik"
unit = "Skola"

[submitter]
name = "Bo Ek"
consent = true

[description]
idea = "Se skolbussen i realtid"

[[history]]
at = 2019-06-10T10:00:00+02:00
by = "erik"
from = "inkommen"
to = "provning"

[[history]]
at = 2020-03-10T10:00:00+01:00
by = "erik"
from = "provning"
to = "infora"

[[history]]
at = 2020-03-31T23:30:00-02:00
by = "erik"
status = "closed"
outcome = "implemented"
"#,
    ),
    (
        "d4",
        r#"id = "d4"
title = "Läxhjälp på distans"
created = 2019-09-01T10:00:00+02:00
stage = "utforska"
status = "parked"
coach = "erik"
unit = "Skola"

[submitter]
name = "Greta Gömd"
consent = false

[[history]]
at = 2019-09-10T10:00:00+02:00
by = "erik"
from = "inkommen"
to = "provning"

[[history]]
at = 2019-10-01T10:00:00+02:00
by = "erik"
from = "provning"
to = "utveckla"

[[history]]
at = 2020-03-15T10:00:00+01:00
by = "erik"
from = "utveckla"
to = "utforska"
note = "Behovet behöver bekräftas"

[[history]]
at = 2020-03-20T10:00:00+01:00
by = "erik"
status = "parked"
"#,
    ),
    (
        "d5",
        r#"id = "d5"
title = "Meröppet bibliotek"
created = 2020-04-01T00:30:00+02:00
stage = "inkommen"
status = "open"
unit = "Kultur"

[submitter]
name = "Karin Ström"
consent = true
"#,
    ),
    (
        "d6",
        r#"id = "d6"
title = "Snöröjning med drönare"
created = 2019-05-01T10:00:00+02:00
stage = "provning"
status = "closed"
outcome = "stopped"
coach = "erik"
unit = "Teknik"

[[history]]
at = 2019-05-10T10:00:00+02:00
by = "erik"
from = "inkommen"
to = "provning"

[[history]]
at = 2020-03-10T10:00:00+01:00
by = "erik"
status = "closed"
outcome = "stopped"
"#,
    ),
    (
        "d7",
        r#"id = "d7"
title = "Språkcafé"
created = 2020-03-20T10:00:00+01:00
stage = "inkommen"
status = "open"
unit = "Kultur"
"#,
    ),
    (
        "d8",
        r#"id = "d8"
title = "Trygghetslarm"
created = 2019-01-01T10:00:00+01:00
stage = "infora"
status = "closed"
outcome = "implemented"
coach = "sara"
unit = "Vård och omsorg"

[[history]]
at = 2020-01-10T10:00:00+01:00
by = "sara"
from = "inkommen"
to = "infora"

[[history]]
at = 2020-02-29T23:30:00+01:00
by = "sara"
status = "closed"
outcome = "implemented"
"#,
    ),
];

const MARCH: [&str; 4] = ["--since", "2020-03-01", "--until", "2020-03-31"];

fn digest(sb: &Sandbox, args: &[&str]) -> String {
    let mut all = vec!["digest"];
    all.extend_from_slice(args);
    // The digest speaks the sluice's language (sv here) unless a test says --lang.
    let out = sb.cmd(&all).env_remove("SLUSS_LANG").run().success();
    assert_eq!(out.stderr, "", "no warnings");
    out.stdout
}

fn digest_json(sb: &Sandbox, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&digest(sb, &all)).expect("digest prints JSON")
}

/// A section as (id, date, stage).
fn items(section: &Value) -> Vec<(String, String, String)> {
    section
        .as_array()
        .expect("a section is a list")
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_string(),
                i["date"].as_str().unwrap().to_string(),
                i["stage"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn ids(section: &Value) -> Vec<&str> {
    section
        .as_array()
        .expect("a section is a list")
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect()
}

#[test]
fn each_case_lands_in_the_right_section() {
    let d = digest_json(&portfolio(), &MARCH);
    assert_eq!(d["since"], "2020-03-01");
    assert_eq!(d["until"], "2020-03-31");
    // New ideas: created in the window, both ends included (d1 on the first day, d7);
    // not d2 (the day before) nor d5 (the day after in its own offset).
    assert_eq!(ids(&d["new_ideas"]), ["d1", "d7"]);
    // Moved on: a forward move in the window, shown in the stage it moved to then (d1
    // is in utforska now, but moved there after the window). d2 moved on the last
    // day. d3 moved too, but was implemented, which says more; d4 only moved back.
    let moved = items(&d["moved_on"]);
    assert_eq!(
        moved,
        [
            ("d1".into(), "2020-03-05".into(), "Prövning".into()),
            ("d2".into(), "2020-03-31".into(), "Prövning".into()),
        ]
    );
    // Implemented: closed as implemented in the window, on the day where it happened.
    // Not d6 (stopped) nor d8 (the day before).
    assert_eq!(
        items(&d["implemented"]),
        [("d3".into(), "2020-03-31".into(), "Införa".into())]
    );
}

#[test]
fn window_ends_are_inclusive_and_exact() {
    let sb = portfolio();
    // One day later at the start: d1 is no longer new, but its move (03-05) still is.
    let d = digest_json(&sb, &["--since", "2020-03-02", "--until", "2020-03-31"]);
    assert_eq!(ids(&d["new_ideas"]), ["d7"]);
    assert_eq!(ids(&d["moved_on"]), ["d1", "d2"]);
    // One day earlier at the end: d2's move and d3's closing fall out, so d3's move
    // to infora on 03-10 is what is left of it: it moved on.
    let d = digest_json(&sb, &["--since", "2020-03-01", "--until", "2020-03-30"]);
    assert_eq!(ids(&d["new_ideas"]), ["d1", "d7"]);
    assert_eq!(
        items(&d["moved_on"]),
        [
            ("d1".into(), "2020-03-05".into(), "Prövning".into()),
            ("d3".into(), "2020-03-10".into(), "Införa".into()),
        ]
    );
    assert_eq!(ids(&d["implemented"]), Vec::<&str>::new());
    // A window of one day.
    let d = digest_json(&sb, &["--since", "2020-03-31", "--until", "2020-03-31"]);
    assert_eq!(ids(&d["new_ideas"]), Vec::<&str>::new());
    assert_eq!(ids(&d["moved_on"]), ["d2"]);
    assert_eq!(ids(&d["implemented"]), ["d3"]);
}

#[test]
fn until_defaults_to_today() {
    let d = digest_json(&portfolio(), &["--since", "2020-04-01"]);
    assert_eq!(d["until"], "2020-06-30");
    // d5 (April 1st) is new; d1 moved to utforska on 04-10.
    assert_eq!(ids(&d["new_ideas"]), ["d5"]);
    assert_eq!(
        items(&d["moved_on"]),
        [("d1".into(), "2020-04-10".into(), "Utforska".into())]
    );
}

#[test]
fn a_submitter_is_named_only_with_consent() {
    let sb = portfolio();
    let d = digest_json(&sb, &MARCH);
    assert_eq!(d["new_ideas"][0]["submitter"], "Anna Berg");
    assert_eq!(d["moved_on"][1]["submitter"], Value::Null);
    assert_eq!(d["moved_on"][1]["unit"], "Teknik");
    assert_eq!(d["implemented"][0]["submitter"], "Bo Ek");
    // d7 has no submitter at all: the unit alone.
    assert_eq!(d["new_ideas"][1]["submitter"], Value::Null);
    for lang in ["sv", "en"] {
        for format in ["markdown", "html", "json"] {
            let mut args = MARCH.to_vec();
            args.extend(["--lang", lang, "--format", format]);
            let text = digest(&sb, &args);
            for secret in ["Nils Hemlig", "Nils", "Hemlig", "Greta Gömd"] {
                assert!(
                    !text.contains(secret),
                    "{format} ({lang}) names {secret}:\n{text}"
                );
            }
            for named in ["Anna Berg", "Bo Ek"] {
                assert!(text.contains(named), "{format} ({lang}) lacks {named}");
            }
        }
    }
    let md = digest(&sb, &MARCH);
    assert!(
        md.contains("- **Cykelpool för personal**  \n  Idé från Teknik. Vidare till Prövning.")
    );
    assert!(md.contains("- **Matsedel i appen**  \n  Idé från Anna Berg, Vård och omsorg."));
    assert!(md.contains("- **Språkcafé**  \n  Idé från Kultur.\n"));
}

#[test]
fn digest_in_english_as_markdown() {
    let md = digest(
        &portfolio(),
        &[
            "--since",
            "2020-03-01",
            "--until",
            "2020-03-31",
            "--lang",
            "en",
        ],
    );
    insta::assert_snapshot!(md);
}

#[test]
fn digest_in_swedish_as_html() {
    let html = digest(
        &portfolio(),
        &[
            "--since",
            "2020-03-01",
            "--until",
            "2020-03-31",
            "--format",
            "html",
        ],
    );
    assert!(html.contains("<html lang=\"sv\">"));
    for needle in ["<script", "src=", "href=", "http://", "https://"] {
        assert!(!html.contains(needle), "the digest contains {needle}");
    }
    // From <main> on: the style sheet is the document writer's.
    let html = &html[html.find("<main>").unwrap()..];
    insta::assert_snapshot!(html);
}

#[test]
fn headings_follow_the_language() {
    let sb = portfolio();
    let sv = digest(&sb, &MARCH);
    for heading in [
        "# Nytt från idéslussen\n\n_Idésluss · mars 2020_\n",
        "\n## Nya idéer\n",
        "\n## Idéer som tagit nästa steg\n",
        "\n## Införda idéer\n",
        "\n## Perioden i siffror\n",
    ] {
        assert!(sv.contains(heading), "no {heading:?} in\n{sv}");
    }
    let mut args = MARCH.to_vec();
    args.extend(["--lang", "en", "--format", "html"]);
    let en = digest(&sb, &args);
    assert!(en.contains("<html lang=\"en\">"));
    for heading in [
        "<h1>News from the idea sluice</h1>",
        "<p class=\"subtitle\">Idésluss · March 2020</p>",
        "<h2>New ideas</h2>",
        "<h2>Ideas that moved on</h2>",
        "<h2>Ideas implemented</h2>",
        "<h2>The period in numbers</h2>",
    ] {
        assert!(en.contains(heading), "no {heading} in\n{en}");
    }
    // An empty section says so.
    let quiet = digest(
        &sb,
        &[
            "--since",
            "2018-01-01",
            "--until",
            "2018-12-31",
            "--lang",
            "en",
        ],
    );
    assert!(
        quiet.contains("## Ideas implemented\n\nNo ideas were implemented in this period.\n"),
        "{quiet}"
    );
}

#[test]
fn two_runs_give_identical_bytes_and_o_picks_the_format() {
    let sb = portfolio();
    for format in ["markdown", "html", "json"] {
        let mut args = MARCH.to_vec();
        args.extend(["--format", format]);
        assert!(digest(&sb, &args) == digest(&sb, &args), "{format} differs");
    }
    sb.cmd(&[
        "digest",
        "--since",
        "2020-03-01",
        "--until",
        "2020-03-31",
        "-o",
        "news.html",
    ])
    .env_remove("SLUSS_LANG")
    .run()
    .success();
    let shown = digest(
        &sb,
        &[
            "--since",
            "2020-03-01",
            "--until",
            "2020-03-31",
            "--format",
            "html",
        ],
    );
    assert_eq!(sb.read("news.html"), shown);
    // A digest has no table or CSV.
    sb.run(&["digest", "--since", "2020-03-01", "--format", "csv"])
        .failure(2)
        .stderr_has("[possible values: markdown, html, json, table]");
}

#[test]
fn digest_until_before_since_is_refused() {
    portfolio()
        .run(&["digest", "--since", "2020-03-31", "--until", "2020-03-01"])
        .fails()
        .stderr_has("before")
        .hint_has("swap");
}

#[test]
fn the_summary_is_the_need_on_one_line() {
    let d = digest_json(&portfolio(), &MARCH);
    // The need wins over the idea, and runs of white space become one space.
    assert_eq!(d["new_ideas"][0]["summary"], "Boende vill se veckans mat");
    // Without a need, the idea.
    assert_eq!(d["implemented"][0]["summary"], "Se skolbussen i realtid");
    assert_eq!(d["new_ideas"][1]["summary"], json!(""));
}
