//! Registering and reading cases: `new`, case ids and prefixes, `list` and `show`.

use std::collections::BTreeSet;
use std::fs;

use crate::common::{NOW, Sandbox, trim_lines};

// ---------------------------------------------------------------------------------------
// new

#[test]
fn new_with_every_flag_writes_the_spec_keys() {
    let sb = Sandbox::with_team();
    let out = sb
        .run(&[
            "new",
            "Digital matsedel på äldreboenden",
            "--submitter",
            "Anna Berg",
            "--unit",
            "Vård och omsorg",
            "--coach",
            "sara",
            "--program",
            "ip2018",
            "--tag",
            "välfärd",
            "--tag",
            "digitalisering",
            "--need",
            "Boende vill se veckans mat",
            "--idea",
            "En skärm i matsalen",
            "--consent",
        ])
        .success();
    let ids = sb.case_ids();
    assert_eq!(ids.len(), 1);
    let id = &ids[0];
    assert!(
        out.stdout.contains(id) && out.stdout.contains(&format!("cases/{id}.toml")),
        "new names the case and its file: {}",
        out.stdout
    );

    let case = sb.case(id);
    let keys: Vec<&str> = case.keys().map(String::as_str).collect();
    let expected_keys = BTreeSet::from([
        "id",
        "title",
        "created",
        "stage",
        "status",
        "coach",
        "unit",
        "program",
        "tags",
        "submitter",
        "description",
    ]);
    assert_eq!(keys.iter().copied().collect::<BTreeSet<_>>(), expected_keys);
    assert_eq!(case["id"].as_str(), Some(id.as_str()));
    assert_eq!(
        case["title"].as_str(),
        Some("Digital matsedel på äldreboenden")
    );
    // A TOML offset date-time (not a string), equal to the fixed now.
    assert!(case["created"].is_datetime());
    assert_eq!(case["created"].to_string(), NOW);
    assert_eq!(case["stage"].as_str(), Some("inkommen"));
    assert_eq!(case["status"].as_str(), Some("open"));
    assert_eq!(case["coach"].as_str(), Some("sara"));
    assert_eq!(case["unit"].as_str(), Some("Vård och omsorg"));
    assert_eq!(case["program"].as_str(), Some("ip2018"));
    assert_eq!(
        case["tags"],
        toml::Value::Array(vec!["välfärd".into(), "digitalisering".into()])
    );
    assert_eq!(case["submitter"]["name"].as_str(), Some("Anna Berg"));
    assert_eq!(case["submitter"]["consent"].as_bool(), Some(true));
    assert_eq!(
        case["description"]["need"].as_str(),
        Some("Boende vill se veckans mat")
    );
    assert_eq!(
        case["description"]["idea"].as_str(),
        Some("En skärm i matsalen")
    );
    assert!(!case.contains_key("outcome"), "only closed cases have one");

    // The spec's key order: id, title, created, stage, status, … as a person reads it.
    let text = sb.case_text(id);
    let order: Vec<usize> = ["id =", "title =", "created =", "stage =", "status ="]
        .iter()
        .map(|k| text.find(k).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
}

#[test]
fn new_without_consent_records_consent_false() {
    let sb = Sandbox::with_team();
    let id = sb.new_case("Utan samtycke", &[]);
    assert_eq!(sb.case(&id)["submitter"]["consent"].as_bool(), Some(false));
}

#[test]
fn new_the_first_stage_follows_the_pipeline_in_sluss_toml() {
    let sb = Sandbox::new();
    sb.write(
        "sluss.toml",
        "name = \"Annan pipeline\"\n\n[[stages]]\nkey = \"ide\"\nname = \"Idé\"\n\n[[stages]]\nkey = \"klar\"\nname = \"Klar\"\n",
    );
    let id = sb.new_case("Egen pipeline", &[]);
    assert_eq!(sb.case(&id)["stage"].as_str(), Some("ide"));
}

#[test]
fn new_format_json_prints_the_case() {
    let sb = Sandbox::with_team();
    let out = sb
        .run(&[
            "new",
            "Matsedel",
            "--submitter",
            "Anna Berg",
            "--unit",
            "Vård och omsorg",
            "--coach",
            "erik",
            "--tag",
            "välfärd",
            "--format",
            "json",
        ])
        .success();
    let json = out.json();
    let id = json["id"].as_str().unwrap();
    assert_eq!(sb.case_ids(), [id]);
    assert_eq!(json["title"], "Matsedel");
    assert_eq!(json["created"], NOW);
    assert_eq!(json["stage"], "inkommen");
    assert_eq!(json["status"], "open");
    assert_eq!(json["coach"], "erik");
    assert_eq!(json["unit"], "Vård och omsorg");
    assert_eq!(json["tags"], serde_json::json!(["välfärd"]));
    assert_eq!(json["submitter"]["name"], "Anna Berg");
    assert_eq!(json["history"], serde_json::json!([]));
    assert_eq!(json["sessions"], serde_json::json!([]));
}

#[test]
fn new_with_an_unknown_coach_or_program_writes_nothing() {
    let sb = Sandbox::with_team();
    sb.run(&[
        "new",
        "X",
        "--submitter",
        "A",
        "--unit",
        "U",
        "--coach",
        "nobody",
    ])
    .failure(2)
    .stderr_has("unknown coach 'nobody'")
    .hint_has("erik, sara");
    sb.run(&[
        "new",
        "X",
        "--submitter",
        "A",
        "--unit",
        "U",
        "--program",
        "ip1999",
    ])
    .failure(2)
    .stderr_has("unknown program 'ip1999'")
    .hint_has("ip2018");
    assert_eq!(fs::read_dir(sb.path("cases")).unwrap().count(), 0);
}

#[test]
fn new_without_required_flags_is_a_usage_error() {
    let sb = Sandbox::with_team();
    sb.run(&["new", "X", "--unit", "U"])
        .failure(2)
        .stderr_has("--submitter");
    sb.run(&["new", "  ", "--submitter", "A", "--unit", "U"])
        .failure(1)
        .hint_has("title");
    assert_eq!(fs::read_dir(sb.path("cases")).unwrap().count(), 0);
}

#[test]
fn new_keeps_each_tag_once() {
    let sb = Sandbox::with_team();
    let id = sb.new_case(
        "Taggar",
        &[
            "--tag",
            "välfärd",
            "--tag",
            "digitalisering",
            "--tag",
            "välfärd",
        ],
    );
    assert_eq!(
        sb.case(&id)["tags"],
        toml::Value::Array(vec!["välfärd".into(), "digitalisering".into()])
    );
}

#[test]
fn new_format_json_prints_what_the_file_holds() {
    // The clock has sub-second precision (as the real clock does); the file stores
    // whole seconds, and the JSON that `new` prints must say the same as the file.
    let sb = Sandbox::with_team();
    let out = sb
        .cmd(&[
            "new",
            "Bråkdelar",
            "--submitter",
            "Anna Berg",
            "--unit",
            "Kultur",
            "--format",
            "json",
        ])
        .env("SLUSS_NOW", "2020-06-30T12:00:00.5+02:00")
        .run()
        .success();
    let printed = out.json();
    let id = printed["id"].as_str().unwrap();
    let shown = sb.run(&["show", id, "--format", "json"]).success().json();
    assert_eq!(
        sb.case(id)["created"].to_string(),
        "2020-06-30T12:00:00+02:00"
    );
    assert_eq!(printed["created"], shown["created"]);
    assert_eq!(printed, shown);
}

#[test]
fn ids_are_unique_over_fifty_new_cases() {
    let sb = Sandbox::with_team();
    let printed: BTreeSet<String> = (0..50)
        .map(|i| sb.new_case(&format!("Idé {i}"), &[]))
        .collect();
    assert_eq!(printed.len(), 50, "an id was reused");
    let on_disk: BTreeSet<String> = sb.case_ids().into_iter().collect();
    assert_eq!(on_disk, printed);
    for id in &printed {
        assert!(
            !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{id} is not a plain id"
        );
        assert_eq!(sb.case(id)["id"].as_str(), Some(id.as_str()));
    }
}

// ---------------------------------------------------------------------------------------
// Ids and prefixes

#[test]
fn a_short_unique_prefix_finds_the_case() {
    let sb = Sandbox::with_team();
    let a = sb.new_case("Första", &[]);
    let b = sb.new_case("Andra", &[]);
    // The shortest prefix of `a` that `b` does not share.
    let n = (1..=a.len()).find(|&n| !b.starts_with(&a[..n])).unwrap();
    let prefix = &a[..n];
    let out = sb
        .run(&["show", prefix, "--format", "json"])
        .success()
        .json();
    assert_eq!(out["id"], a.as_str());
    assert_eq!(out["title"], "Första");
    // Prefixes are not case-sensitive.
    let upper = prefix.to_ascii_uppercase();
    let out = sb
        .run(&["show", &upper, "--format", "json"])
        .success()
        .json();
    assert_eq!(out["id"], a.as_str());
}

#[test]
fn an_ambiguous_prefix_names_the_candidates() {
    let sb = Sandbox::with_team();
    sb.write_case("abc123", &minimal_case("abc123", "Ett"));
    sb.write_case("abc456", &minimal_case("abc456", "Två"));
    sb.run(&["show", "abc"])
        .failure(2)
        .stderr_has("ambiguous")
        .stderr_has("abc123")
        .stderr_has("abc456")
        .hint_has("more characters");
    // The full id is never ambiguous.
    sb.run(&["show", "abc456"]).success().stdout_has("Två");
}

#[test]
fn an_exact_id_wins_over_longer_ids_it_prefixes() {
    let sb = Sandbox::with_team();
    sb.write_case("abc", &minimal_case("abc", "Kort"));
    sb.write_case("abcd", &minimal_case("abcd", "Längre"));
    sb.run(&["show", "abc"]).success().stdout_has("Kort");
}

#[test]
fn two_files_claiming_one_id_are_both_named() {
    // After a careless merge: the same case under two names. Giving more characters
    // cannot help, so the error must say which files clash.
    let sb = Sandbox::with_team();
    sb.write_case("dup1", &minimal_case("dup1", "Original"));
    sb.write("cases/dup1-kopia.toml", &minimal_case("dup1", "Kopia"));
    sb.run(&["show", "dup"])
        .failure(2)
        .stderr_has("dup1.toml")
        .stderr_has("dup1-kopia.toml");
    // A whole id goes straight to its file (no listing of the folder); `check` is what
    // names the clash then.
    sb.run(&["show", "dup1"]).success().stdout_has("Original");
    sb.run(&["check"])
        .failure(1)
        .stdout_has("cases/dup1-kopia.toml")
        .stdout_has("is also used by cases/dup1.toml");
}

#[test]
fn an_unknown_id_says_where_to_find_ids() {
    let sb = Sandbox::with_team();
    sb.new_case("Något", &[]);
    sb.run(&["show", "zzzz"])
        .failure(2)
        .stderr_has("no case matches 'zzzz'")
        .hint_has("sluss list");
}

#[test]
fn a_path_like_id_is_refused() {
    let sb = Sandbox::with_team();
    // A file that a path-like id could reach, if it were used as one.
    sb.write("x.toml", &minimal_case("x", "Utanför"));
    for bad in ["../x", "/etc/passwd", "a/b", "..", "./abc", "x y"] {
        let out = sb.run(&["show", bad]).failure(2);
        assert!(
            out.stderr.contains("not a valid case id"),
            "{bad}: {}",
            out.stderr
        );
        assert!(!out.stdout.contains("Utanför"));
        sb.assert_untouched("x.toml", || {
            sb.run(&["advance", bad, "--to", "provning", "--force", "--note", "n"])
                .failure(2)
                .hint_has("letters and digits");
        });
    }
}

#[test]
fn a_case_file_with_a_readable_suffix_is_found_by_its_id_and_changed_in_place() {
    let sb = Sandbox::with_team();
    sb.write(
        "cases/abcd1234-matsedel.toml",
        &minimal_case("abcd1234", "Matsedel"),
    );
    sb.run(&["show", "abcd"]).success().stdout_has("Matsedel");
    sb.run(&["session", "abcd", "--minutes", "30", "--coach", "erik"])
        .success();
    let files: Vec<String> = fs::read_dir(sb.path("cases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(files, ["abcd1234-matsedel.toml"]);
    let text = sb.read("cases/abcd1234-matsedel.toml");
    assert!(text.contains("[[sessions]]"), "{text}");
}

// ---------------------------------------------------------------------------------------
// list

/// A small portfolio written by hand. Today is 2020-06-30 and stale_after_days is 60.
///
/// | id   | created    | stage    | status           | coach | unit            | program | tags              | last activity |
/// |------|------------|----------|------------------|-------|-----------------|---------|-------------------|---------------|
/// | aaaa | 2020-06-20 | inkommen | open             | erik  | Vård och omsorg | ip2018  | välfärd           | 2020-06-20    |
/// | bbbb | 2020-01-02 | utforska | open (stale)     | sara  | Skola           |         | digitalisering    | 2020-03-01    |
/// | cccc | 2019-01-01 | utveckla | parked           | erik  | Skola           | ip2018  | välfärd, digital… | 2019-02-01    |
/// | dddd | 2019-05-05 | testa    | closed/implement | sara  | Vård och omsorg |         |                   | 2019-12-01    |
/// | eeee | 2020-02-01 | provning | open             |       | Kultur          |         |                   | 2020-06-01    |
fn list_portfolio() -> Sandbox {
    let sb = Sandbox::with_team();
    sb.write_case(
        "aaaa0001",
        r#"id = "aaaa0001"
title = "Matsedel"
created = 2020-06-20T09:00:00+02:00
stage = "inkommen"
status = "open"
coach = "erik"
unit = "Vård och omsorg"
program = "ip2018"
tags = ["välfärd"]
"#,
    );
    sb.write_case(
        "bbbb0002",
        r#"id = "bbbb0002"
title = "Skolskjuts"
created = 2020-01-02T09:00:00+01:00
stage = "utforska"
status = "open"
coach = "sara"
unit = "Skola"
tags = ["digitalisering"]

[[history]]
at = 2020-03-01T10:00:00+01:00
by = "sara"
from = "provning"
to = "utforska"
"#,
    );
    sb.write_case(
        "cccc0003",
        r#"id = "cccc0003"
title = "Läxhjälp"
created = 2019-01-01T09:00:00+01:00
stage = "utveckla"
status = "parked"
coach = "erik"
unit = "Skola"
program = "ip2018"
tags = ["välfärd", "digitalisering"]

[[history]]
at = 2019-02-01T10:00:00+01:00
by = "erik"
status = "parked"
note = "Väntar på budget"
"#,
    );
    sb.write_case(
        "dddd0004",
        r#"id = "dddd0004"
title = "Trygghetslarm"
created = 2019-05-05T09:00:00+02:00
stage = "testa"
status = "closed"
outcome = "implemented"
coach = "sara"
unit = "Vård och omsorg"

[[history]]
at = 2019-12-01T10:00:00+01:00
by = "sara"
status = "closed"
outcome = "implemented"
"#,
    );
    sb.write_case(
        "eeee0005",
        r#"id = "eeee0005"
title = "Bibliotek"
created = 2020-02-01T09:00:00+01:00
stage = "provning"
status = "open"
unit = "Kultur"

[[sessions]]
date = 2020-06-01
coach = "erik"
minutes = 60
"#,
    );
    sb
}

/// The ids that `list ARGS --format json` prints, in its order.
/// The ids `list` gives, closed cases included (`--all`) unless a status is named.
fn listed(sb: &Sandbox, args: &[&str]) -> Vec<String> {
    let mut all = vec!["list"];
    all.extend_from_slice(args);
    if !args.contains(&"--status") {
        all.push("--all");
    }
    all.extend_from_slice(&["--format", "json"]);
    let out = sb.run(&all).success();
    assert_eq!(out.stderr, "", "no warnings");
    out.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn list_sorts_by_creation_then_id() {
    let sb = list_portfolio();
    assert_eq!(
        listed(&sb, &[]),
        ["cccc0003", "dddd0004", "bbbb0002", "eeee0005", "aaaa0001"]
    );
}

#[test]
fn list_filters_each_on_their_own() {
    let sb = list_portfolio();
    assert_eq!(listed(&sb, &["--stage", "utforska"]), ["bbbb0002"]);
    assert_eq!(listed(&sb, &["--stage", "infora"]), Vec::<String>::new());
    assert_eq!(
        listed(&sb, &["--status", "open"]),
        ["bbbb0002", "eeee0005", "aaaa0001"]
    );
    assert_eq!(listed(&sb, &["--status", "parked"]), ["cccc0003"]);
    assert_eq!(listed(&sb, &["--status", "closed"]), ["dddd0004"]);
    assert_eq!(listed(&sb, &["--coach", "erik"]), ["cccc0003", "aaaa0001"]);
    assert_eq!(listed(&sb, &["--unit", "Skola"]), ["cccc0003", "bbbb0002"]);
    assert_eq!(
        listed(&sb, &["--unit", "Vård och omsorg"]),
        ["dddd0004", "aaaa0001"]
    );
    assert_eq!(
        listed(&sb, &["--program", "ip2018"]),
        ["cccc0003", "aaaa0001"]
    );
    assert_eq!(
        listed(&sb, &["--tag", "digitalisering"]),
        ["cccc0003", "bbbb0002"]
    );
    assert_eq!(listed(&sb, &["--tag", "välfärd"]), ["cccc0003", "aaaa0001"]);
    // Only open cases go stale; bbbb was last touched 2020-03-01, 121 days ago.
    assert_eq!(listed(&sb, &["--stale"]), ["bbbb0002"]);
}

#[test]
fn list_filters_combine() {
    let sb = list_portfolio();
    assert_eq!(
        listed(&sb, &["--status", "open", "--coach", "sara"]),
        ["bbbb0002"]
    );
    assert_eq!(
        listed(&sb, &["--unit", "Skola", "--tag", "välfärd"]),
        ["cccc0003"]
    );
    assert_eq!(
        listed(&sb, &["--coach", "erik", "--status", "closed"]),
        Vec::<String>::new()
    );
}

#[test]
fn list_stale_means_idle_for_more_than_stale_after_days() {
    let sb = Sandbox::with_team();
    // 60 days before 2020-06-30 is 2020-05-01: not stale yet; a day earlier is.
    let case = |id: &str, created: &str| {
        format!(
            "id = \"{id}\"\ntitle = \"{id}\"\ncreated = {created}\nstage = \"inkommen\"\nstatus = \"open\"\nunit = \"Kultur\"\n"
        )
    };
    sb.write_case("sixty", &case("sixty", "2020-05-01T09:00:00+02:00"));
    sb.write_case("sixtyone", &case("sixtyone", "2020-04-30T09:00:00+02:00"));
    assert_eq!(listed(&sb, &["--stale"]), ["sixtyone"]);
    // stale_after_days comes from sluss.toml.
    let config = sb
        .read("sluss.toml")
        .replace("stale_after_days = 60", "stale_after_days = 59");
    sb.write("sluss.toml", &config);
    assert_eq!(listed(&sb, &["--stale"]), ["sixtyone", "sixty"]);
}

#[test]
fn list_json_carries_idle_days_and_staleness() {
    let sb = list_portfolio();
    let out = sb
        .run(&["list", "--all", "--format", "json"])
        .success()
        .json();
    let by_id = |id: &str| {
        out.as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    let b = by_id("bbbb0002");
    assert_eq!(b["days_idle"], 121);
    assert_eq!(b["stale"], true);
    assert_eq!(b["stage"], "utforska");
    assert_eq!(b["coach"], "sara");
    let e = by_id("eeee0005");
    assert_eq!(e["days_idle"], 29, "the session on 2020-06-01 is activity");
    assert_eq!(e["stale"], false);
    let c = by_id("cccc0003");
    assert_eq!(c["stale"], false, "a parked case is never stale");
    assert_eq!(by_id("dddd0004")["outcome"], "implemented");
}

#[test]
fn list_as_a_table() {
    let sb = list_portfolio();
    let out = sb.run(&["list", "--status", "open"]).success();
    insta::assert_snapshot!(trim_lines(&out.stdout), @"
    Cases

     id        title       stage     status  coach  unit             idle days
    ──────────────────────────────────────────────────────────────────────────
     bbbb0002  Skolskjuts  Utforska  open    sara   Skola                  121
     eeee0005  Bibliotek   Prövning  open    –      Kultur                  29
     aaaa0001  Matsedel    Inkommen  open    erik   Vård och omsorg         10

    3 case(s)
    ");
}

#[test]
fn list_as_csv() {
    let sb = list_portfolio();
    let out = sb
        .run(&["list", "--format", "csv", "--coach", "erik"])
        .success();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "id,title,created,stage,stage_name,status,outcome,coach,unit,program,tags,sessions,minutes,days_idle,stale,hours"
    );
    assert_eq!(
        &lines[1..],
        [
            "cccc0003,Läxhjälp,2019-01-01T09:00:00+01:00,utveckla,Utveckla,parked,,erik,Skola,ip2018,välfärd;digitalisering,0,0,515,false,0.0",
            "aaaa0001,Matsedel,2020-06-20T09:00:00+02:00,inkommen,Inkommen,open,,erik,Vård och omsorg,ip2018,välfärd,0,0,10,false,0.0",
        ]
    );
}

#[test]
fn list_with_an_unknown_stage_names_the_known_ones() {
    let sb = list_portfolio();
    sb.run(&["list", "--stage", "nowhere"])
        .failure(2)
        .stderr_has("unknown stage 'nowhere'")
        .hint_has("inkommen, provning, utforska");
    sb.run(&["list", "--status", "sleeping"])
        .failure(2)
        .stderr_has("sleeping");
}

#[test]
fn a_broken_case_file_is_named_with_line_and_column_and_the_rest_are_listed() {
    let mut sb = list_portfolio();
    sb.allow_broken_cases();
    sb.write_case(
        "ffff0006",
        "id = \"ffff0006\"\ntitle = \"Trasig\"\nstatus = open\n",
    );
    let out = sb.run(&["list", "--all", "--format", "json"]).success();
    let json = out.json();
    let ids: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["cccc0003", "dddd0004", "bbbb0002", "eeee0005", "aaaa0001"]
    );
    let broken = sb.path("cases/ffff0006.toml");
    let place = format!("{}:3:10", broken.display());
    assert!(
        out.stderr.contains(&place),
        "stderr names {place}: {}",
        out.stderr
    );

    // The table and CSV also go on.
    sb.run(&["list", "--all"])
        .success()
        .stdout_has("5 case(s)")
        .stderr_has("ffff0006.toml:3:10");
    sb.run(&["list", "--format", "csv"])
        .success()
        .stdout_has("aaaa0001")
        .stderr_has("ffff0006.toml:3:10");

    // Showing the broken case itself says where and how to fix it.
    sb.run(&["show", "ffff"])
        .failure(2)
        .stderr_has("ffff0006.toml:3:10")
        .hint_has("3 | status = open");
}

// ---------------------------------------------------------------------------------------
// show

/// A case whose file lists history and sessions out of time order, as a git merge
/// leaves them. The two moves on 2020-02-29/03-01 are in different offsets: the one
/// written 2020-03-01T00:30+02:00 happened first (22:30 UTC on 2020-02-29).
const SHOW_CASE: &str = r#"id = "show0001"
title = "Digital matsedel"
created = 2020-01-10T09:15:00+01:00
stage = "utforska"
status = "open"
coach = "sara"
unit = "Vård och omsorg"
program = "ip2018"
tags = ["välfärd", "digitalisering"]

[submitter]
name = "Anna Berg"
consent = false

[description]
need = "Boende vill veta vad det blir för mat"
idea = "En skärm i matsalen"

[[history]]
at = 2020-02-29T23:00:00+00:00
by = "sara"
from = "provning"
to = "utforska"

[[history]]
at = 2020-01-12T10:00:00+01:00
by = "erik"
coach = "sara"

[[history]]
at = 2020-03-01T00:30:00+02:00
by = "erik"
from = "inkommen"
to = "provning"
note = "Inom uppdraget"

[[sessions]]
date = 2020-03-05
coach = "sara"
minutes = 90
kind = "workshop"
notes = "Med enhetschefer"
next_steps = ["Boka test", "Fråga IT"]

[[sessions]]
date = 2020-02-01
coach = "erik"
minutes = 30
kind = "telefon"
"#;

#[test]
fn show_json_has_history_and_sessions_in_time_order() {
    let sb = Sandbox::with_team();
    sb.write_case("show0001", SHOW_CASE);
    let json = sb
        .run(&["show", "show0001", "--format", "json"])
        .success()
        .json();
    let at: Vec<&str> = json["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["at"].as_str().unwrap())
        .collect();
    assert_eq!(
        at,
        [
            "2020-01-12T10:00:00+01:00",
            "2020-03-01T00:30:00+02:00",
            "2020-02-29T23:00:00Z"
        ]
    );
    let dates: Vec<&str> = json["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2020-02-01", "2020-03-05"]);
    assert_eq!(json["id"], "show0001");
    assert_eq!(json["stage"], "utforska");
    assert_eq!(json["submitter"]["consent"], false);
    assert_eq!(json["description"]["idea"], "En skärm i matsalen");
    assert_eq!(
        json["sessions"][1]["next_steps"],
        serde_json::json!(["Boka test", "Fråga IT"])
    );
    assert_eq!(json["history"][0]["coach"], "sara");
    assert!(json["history"][0].get("from").is_none());
}

#[test]
fn show_text_reads_like_a_case_sheet() {
    let sb = Sandbox::with_team();
    sb.write_case("show0001", SHOW_CASE);
    let out = sb.run(&["show", "show"]).success();
    insta::assert_snapshot!(out.stdout, @"
    show0001  Digital matsedel

     stage      Utforska
     status     open
     created    2020-01-10 09:15
     idle       117 days
     coach      Sara Berg
     unit       Vård och omsorg
     program    ip2018
     tags       välfärd, digitalisering
     submitter  Anna Berg (not to be named in published output)

    Need
    ────

    Boende vill veta vad det blir för mat

    Idea
    ────

    En skärm i matsalen

    History
    ───────

     when              who   what                 note
    ────────────────────────────────────────────────────────────
     2020-01-12 10:00  erik  coach → sara
     2020-03-01 00:30  erik  Inkommen → Prövning  Inom uppdraget
     2020-02-29 23:00  sara  Prövning → Utforska

    Sessions (120 min in all)
    ─────────────────────────

     date        coach  min  kind      notes
    ──────────────────────────────────────────────────────────────────────────────────────
     2020-02-01  erik    30  telefon
     2020-03-05  sara    90  workshop  Med enhetschefer · next: Boka test · next: Fråga IT
    ");
}

#[test]
fn show_refuses_formats_it_does_not_have() {
    let sb = Sandbox::with_team();
    sb.write_case("show0001", SHOW_CASE);
    sb.run(&["show", "show0001", "--format", "csv"])
        .failure(2)
        .stderr_has("[possible values: table, json, markdown, html]");
}

/// The smallest valid case: the keys the spec requires.
fn minimal_case(id: &str, title: &str) -> String {
    format!(
        "id = \"{id}\"\ntitle = \"{title}\"\ncreated = 2020-06-01T09:00:00+02:00\nstage = \"inkommen\"\nstatus = \"open\"\nunit = \"Kultur\"\n"
    )
}
