//! The partner network: member files in `network/`, cases naming partners (`new
//! --partner`, `partner add`/`remove`, each recorded in history), `check` on member
//! files and partner keys, git merging partners as a set, and the network report with
//! every figure worked out by hand, in every format.

use serde_json::{Value, json};

use crate::common::{NOW, Sandbox, trim_lines};

/// A repository with coaches and two members: norrdata (a company with a contact) and
/// miun (research, no contact).
fn network() -> Sandbox {
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
        "Anna Berg",
        "--email",
        "anna.berg@norrdata.example",
        "--consent",
    ])
    .success();
    sb.run(&[
        "network",
        "add",
        "miun",
        "--organisation",
        "Högskolan i Medelpad",
        "--kind",
        "research",
        "--joined",
        "2019-01-01",
    ])
    .success();
    sb
}

fn history(sb: &Sandbox, id: &str) -> Vec<toml::Table> {
    sb.case(id)
        .get("history")
        .and_then(|h| h.as_array())
        .map(|h| h.iter().map(|e| e.as_table().unwrap().clone()).collect())
        .unwrap_or_default()
}

fn partners(sb: &Sandbox, id: &str) -> Vec<String> {
    sb.case(id)
        .get("partners")
        .and_then(|p| p.as_array())
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn network_add_writes_one_file_per_member() {
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
        "Anna Berg",
        "--email",
        "anna.berg@norrdata.example",
        "--phone",
        "070-123 45 67",
    ])
    .success()
    .stdout_has("Added norrdata (Norrdata AB, company) to the network (network/norrdata.toml)");
    assert_eq!(
        sb.read("network/norrdata.toml"),
        r#"#:schema ../schemas/network.schema.json
key = "norrdata"
organisation = "Norrdata AB"
kind = "company"
joined = 2018-03-01

[contact]
name = "Anna Berg"
email = "anna.berg@norrdata.example"
phone = "070-123 45 67"
consent = false
"#
    );
    // Joined defaults to today; no contact, no [contact].
    sb.run(&[
        "network",
        "add",
        "timra",
        "--organisation",
        "Timrå kommun",
        "--kind",
        "public",
    ])
    .success();
    assert_eq!(
        sb.read("network/timra.toml"),
        "#:schema ../schemas/network.schema.json\nkey = \"timra\"\norganisation = \"Timrå kommun\"\nkind = \"public\"\njoined = 2020-06-30\n"
    );

    // Refusals change nothing.
    sb.assert_untouched("network/norrdata.toml", || {
        sb.run(&[
            "network",
            "add",
            "norrdata",
            "--organisation",
            "X",
            "--kind",
            "civic",
        ])
        .failure(2)
        .stderr_has("network 'norrdata' already exists")
        .hint_has("`sluss network list`");
    });
    sb.run(&[
        "network",
        "add",
        "x",
        "--organisation",
        "X",
        "--kind",
        "club",
    ])
    .failure(2)
    .stderr_has("'club' is not a kind of member");
    sb.run(&[
        "network",
        "add",
        "x",
        "--organisation",
        "X",
        "--kind",
        "civic",
        "--email",
        "a@b",
    ])
    .failure(2)
    .stderr_has("--contact");
    sb.run(&[
        "network",
        "add",
        "../x",
        "--organisation",
        "X",
        "--kind",
        "civic",
    ])
    .failure(1)
    .stderr_has("is not a valid network member key");
    sb.run(&[
        "network",
        "add",
        "x",
        "--organisation",
        "X",
        "--kind",
        "civic",
        "--joined",
        "2020-07-01",
    ])
    .failure(1)
    .stderr_has("in the future");
    sb.run(&[
        "network",
        "add",
        "x",
        "--organisation",
        " ",
        "--kind",
        "civic",
    ])
    .failure(1);
    assert!(!sb.path("network/x.toml").exists());
    assert_eq!(sb.run(&["check"]).success().stdout, "");
}

#[test]
fn network_list_in_every_format_and_by_kind() {
    let sb = network();
    sb.new_case("Digital matsedel", &["--partner", "miun"]);
    let out = sb.run(&["network", "list"]).success();
    assert_eq!(
        trim_lines(&out.stdout),
        "Partner network members

The member organisations, by key
 Key       Organisation          Kind      Joined      Left  Contact    Cases
─────────────────────────────────────────────────────────────────────────────
 miun      Högskolan i Medelpad  research  2019-01-01  –     –              1
 norrdata  Norrdata AB           company   2018-03-01  –     Anna Berg      0

Members: 2."
    );
    let json = sb
        .run(&["network", "list", "--format", "json"])
        .success()
        .json();
    assert_eq!(
        json,
        json!([
            {"key": "miun", "organisation": "Högskolan i Medelpad", "kind": "research", "joined": "2019-01-01", "cases": 1},
            {"key": "norrdata", "organisation": "Norrdata AB", "kind": "company", "joined": "2018-03-01",
             "contact": {"name": "Anna Berg", "email": "anna.berg@norrdata.example", "consent": true}, "cases": 0},
        ])
    );
    let csv = sb
        .run(&["network", "list", "--kind", "company", "--format", "csv"])
        .success()
        .stdout;
    assert_eq!(
        csv,
        "key,organisation,kind,joined,left,cases,contact,email,phone,consent\n\
         norrdata,Norrdata AB,company,2018-03-01,,0,Anna Berg,anna.berg@norrdata.example,,true\n"
    );
    // Every report format: Markdown and HTML as documents.
    let md = sb
        .run(&["network", "list", "--format", "markdown"])
        .success()
        .stdout;
    assert!(
        md.contains("| norrdata | Norrdata AB | company | 2018-03-01 | – | Anna Berg | 0 |\n"),
        "{md}"
    );
    let html = sb
        .run(&["network", "list", "--format", "html"])
        .success()
        .stdout;
    assert!(html.contains("<td class=\"id\">miun</td>"), "{html}");
}

#[test]
fn new_names_partners_and_refuses_unknown_ones() {
    let sb = network();
    let id = sb.new_case(
        "Sensorer för fallrisk",
        &[
            "--partner",
            "norrdata",
            "--partner",
            "miun",
            "--partner",
            "norrdata",
        ],
    );
    assert_eq!(partners(&sb, &id), ["norrdata", "miun"]);
    assert!(
        sb.case_text(&id)
            .contains("tags = []\npartners = [\"norrdata\", \"miun\"]\n")
    );
    assert!(history(&sb, &id).is_empty());

    let before = sb.case_ids();
    sb.run(&[
        "new",
        "Okänd partner",
        "--submitter",
        "Bo Ek",
        "--unit",
        "Skola",
        "--partner",
        "nope",
    ])
    .failure(2)
    .stderr_has("'nope' is not a member of the partner network")
    .hint_has("`sluss network list`");
    assert_eq!(sb.case_ids(), before);
}

#[test]
fn partner_add_and_remove_are_recorded_in_history() {
    let sb = network();
    let id = sb.new_case("Digital matsedel", &["--partner", "norrdata"]);
    let short = &id[..4];

    sb.run(&["partner", "add", short, "miun", "--note", "Forskningsstöd"])
        .success()
        .stdout_has(&format!("{short}: partner + miun"));
    assert_eq!(partners(&sb, &id), ["norrdata", "miun"]);
    let h = history(&sb, &id);
    assert_eq!(h.len(), 1);
    assert_eq!(h[0]["at"].as_datetime().unwrap().to_string(), NOW);
    assert_eq!(h[0]["by"].as_str(), Some("erik"));
    assert_eq!(h[0]["partner_added"].as_str(), Some("miun"));
    assert_eq!(h[0]["note"].as_str(), Some("Forskningsstöd"));

    sb.run(&["partner", "remove", &id, "norrdata", "--by", "sara"])
        .success()
        .stdout_has(&format!("{short}: partner − norrdata"));
    assert_eq!(partners(&sb, &id), ["miun"]);
    assert!(sb.case_text(&id).contains("partners = [\"miun\"]\n"));
    let h = history(&sb, &id);
    assert_eq!(h[1]["partner_removed"].as_str(), Some("norrdata"));
    assert_eq!(h[1]["by"].as_str(), Some("sara"));

    // Refusals leave the file as it was.
    let rel = Sandbox::case_rel(&id);
    sb.assert_untouched(&rel, || {
        sb.run(&["partner", "add", &id, "miun"])
            .failure(1)
            .stderr_has("already names partner 'miun'");
        sb.run(&["partner", "add", &id, "nope"])
            .failure(2)
            .stderr_has("unknown network member 'nope'");
        sb.run(&["partner", "remove", &id, "norrdata"])
            .failure(1)
            .stderr_has("does not name partner 'norrdata'")
            .hint_has("it names miun");
    });

    // A case without partners gets the key; the last one removed leaves an empty list.
    let other = sb.new_case("Läxhjälp", &[]);
    sb.run(&["partner", "add", &other, "norrdata"]).success();
    assert_eq!(partners(&sb, &other), ["norrdata"]);
    sb.run(&["partner", "remove", &other, "norrdata"]).success();
    assert!(sb.case_text(&other).contains("partners = []\n"));

    // show and log tell it.
    let show = sb.run(&["show", &id]).success().stdout;
    assert!(
        show.lines().any(|l| l.trim_start().starts_with("partners")
            && l.ends_with("miun (Högskolan i Medelpad)")),
        "{show}"
    );
    assert!(
        show.lines().any(|l| l.contains("erik")
            && l.contains("partner + miun")
            && l.ends_with("Forskningsstöd")),
        "{show}"
    );
    assert!(
        show.lines()
            .any(|l| l.contains(" sara ") && l.contains("partner − norrdata")),
        "{show}"
    );
    let log = sb.run(&["log", &id, "--format", "json"]).success().json();
    assert_eq!(log[0]["kind"], "partner");
    assert_eq!(log[0]["partner_added"], "miun");
    assert_eq!(log[1]["partner_removed"], "norrdata");
    assert_eq!(sb.run(&["check"]).success().stdout, "");
}

#[test]
fn a_multi_line_partner_list_keeps_its_layout_and_comments() {
    let sb = network();
    let id = sb.new_case("Digital matsedel", &[]);
    let text = sb.case_text(&id).replace(
        "tags = []\n",
        "tags = []\npartners = [\n    \"norrdata\", # sedan starten\n]\n",
    );
    sb.write_case(&id, &text);
    sb.run(&["partner", "add", &id, "miun"]).success();
    assert!(
        sb.case_text(&id)
            .contains("partners = [\n    \"norrdata\", # sedan starten\n    \"miun\",\n]\n"),
        "{}",
        sb.case_text(&id)
    );
}

#[test]
fn network_show_lists_the_member_and_its_cases() {
    let sb = network();
    let a = sb.new_case(
        "Sensorer för fallrisk",
        &["--partner", "norrdata", "--coach", "erik"],
    );
    let b = sb.new_case("Läxhjälp", &["--partner", "norrdata", "--partner", "miun"]);
    sb.new_case("Utan partner", &[]);
    sb.run(&["advance", &a]).success();
    sb.run(&["close", &b, "--outcome", "stopped"]).success();
    let out = sb.run(&["network", "show", "norrdata"]).success();
    let rows: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        rows[..12],
        [
            "Norrdata AB",
            "norrdata",
            "",
            "- Kind: company",
            "- Joined: 2018-03-01",
            "- Contact: Anna Berg (may be named)",
            "- E-mail: anna.berg@norrdata.example",
            "",
            "Cases it is a partner in (2)",
            "────────────────────────────",
            "",
            "The cases that name it as a partner, furthest stage first",
        ]
    );
    // Furthest stage first.
    assert!(
        rows[14].starts_with(&format!(
            " {a}  Sensorer för fallrisk  Prövning  open              Erik Lind"
        )),
        "{}",
        out.stdout
    );
    assert!(
        rows[15].starts_with(&format!(
            " {b}  Läxhjälp               Inkommen  closed (stopped)"
        )),
        "{}",
        out.stdout
    );
    let json = sb
        .run(&["network", "show", "miun", "--format", "json"])
        .success()
        .json();
    assert_eq!(json["kind"], "research");
    assert_eq!(json["member_now"], true);
    assert_eq!(json["cases"][0]["id"], b.as_str());
    assert_eq!(json["cases"][0]["outcome"], "stopped");
    sb.run(&["network", "show", "nope"])
        .failure(2)
        .stderr_has("unknown network member 'nope'");
}

#[test]
fn check_validates_member_files_and_partner_keys() {
    let mut sb = network();
    sb.allow_broken_cases();
    sb.write_case(
        "c1",
        r#"id = "c1"
title = "Okända partner"
created = 2020-01-10T10:00:00+01:00
stage = "inkommen"
status = "open"
unit = "Skola"
partners = ["norrdata", "nope", "norrdata"]

[[history]]
at = 2020-02-01T10:00:00+01:00
by = "erik"
partner_removed = "ghost"
"#,
    );
    // A broken file (its key still counts, so cases naming it are not blamed twice),
    // a bad kind, a key that is not the file name, and dates the wrong way round.
    sb.write(
        "network/broken.toml",
        "key = \"broken\"\norganisation = \"Trasig AB\nkind = \"company\"\n",
    );
    sb.write(
        "network/club.toml",
        "key = \"club\"\norganisation = \"Klubben\"\nkind = \"club\"\njoined = 2019-01-01\n",
    );
    sb.write(
        "network/other.toml",
        "key = \"norrdata\"\norganisation = \"Norrdata AB\"\nkind = \"company\"\njoined = \"i fjol\"\n",
    );
    sb.write(
        "network/late.toml",
        "key = \"late\"\norganisation = \"Sent AB\"\nkind = \"company\"\njoined = 2019-05-01\nleft = 2019-04-01\n\n[contact]\nemail = \"sent.example\"\n",
    );
    let out = sb.run(&["check"]).failure(1);
    assert_eq!(
        trim_lines(&out.stdout),
        "cases/c1.toml:7:25: error: partner 'nope' is not a member of the network (no network/nope.toml)
  hint: add the member with `sluss network add KEY --organisation ORG --kind KIND`, or fix the key
cases/c1.toml:7:33: warning: partner 'norrdata' is named twice
  hint: remove the second one
cases/c1.toml:12:19: error: partner 'ghost' is not a member of the network (no network/ghost.toml)
  hint: add the member with `sluss network add KEY --organisation ORG --kind KIND`, or fix the key
network/broken.toml:2:26: error: invalid basic string, expected `\"`
  hint: fix the TOML syntax at this place
network/club.toml:3:8: error: kind 'club' is not a kind of member
  hint: use company, research, public or civic
network/late.toml:7:1: error: the contact has no name
  hint: write the contact person's name: name = \"…\" (or remove [contact])
network/late.toml:8:9: warning: 'sent.example' does not look like an e-mail address
network/other.toml:4:10: error: `joined` must be a date such as 2019-03-05
  hint: write the day as a TOML local date, without a time
6 error(s), 2 warning(s), 0 failed gate(s) in 8 file(s)"
    );

    // Once the types are right, the rules: key = file name, left after joined, keys
    // unique.
    sb.write(
        "network/other.toml",
        "key = \"norrdata\"\norganisation = \"Norrdata AB\"\nkind = \"company\"\njoined = 2019-01-01\n",
    );
    sb.write(
        "network/late.toml",
        "key = \"late\"\norganisation = \"Sent AB\"\nkind = \"company\"\njoined = 2019-05-01\nleft = 2019-04-01\n",
    );
    std::fs::remove_file(sb.path("network/broken.toml")).unwrap();
    std::fs::remove_file(sb.path("network/club.toml")).unwrap();
    std::fs::remove_file(sb.path("cases/c1.toml")).unwrap();
    let out = sb.run(&["check"]).failure(1);
    assert_eq!(
        trim_lines(&out.stdout),
        "network/late.toml:5:8: error: left 2019-04-01 is before joined 2019-05-01
  hint: check the dates
network/norrdata.toml:2:7: error: key 'norrdata' is also used by network/other.toml
  hint: a member's key must be unique; give one of them a new key (and file name)
network/other.toml:1:7: error: key 'norrdata' is also used by network/norrdata.toml
  hint: a member's key must be unique; give one of them a new key (and file name)
network/other.toml:1:7: error: key 'norrdata' does not match the file name other.toml
  hint: a member lives in network/<key>.toml; rename the file or fix the key
4 error(s), 0 warning(s), 0 failed gate(s) in 5 file(s)"
    );
    let json = sb.run(&["check", "--format", "json"]).failure(1).json();
    assert_eq!(json["problems"][0]["code"], "left-before-joined");
}

#[test]
fn git_merges_partners_named_on_two_branches() {
    let sb = Sandbox::empty();
    sb.git(&["init", "--quiet", "--initial-branch=main"]);
    sb.git(&["config", "user.name", "Erik Lind"]);
    sb.git(&["config", "user.email", "erik@example.org"]);
    sb.run(&["init"]).success();
    for (key, kind) in [("a", "company"), ("b", "research"), ("c", "civic")] {
        sb.run(&[
            "network",
            "add",
            key,
            "--organisation",
            key,
            "--kind",
            kind,
            "--joined",
            "2019-01-01",
        ])
        .success();
    }
    let id = sb.new_case("Digital matsedel", &["--partner", "a"]);
    let commit = |message: &str| {
        sb.git(&["add", "--all"]);
        sb.git(&["commit", "--quiet", "--message", message]);
    };
    commit("start");
    sb.git(&["checkout", "--quiet", "-b", "other"]);
    sb.run(&["partner", "add", &id, "b"]).success();
    commit("b");
    sb.git(&["checkout", "--quiet", "main"]);
    sb.run(&["partner", "add", &id, "c"]).success();
    sb.run(&["partner", "remove", &id, "a"]).success();
    commit("c, not a");
    sb.git_outcome(&["merge", "--no-edit", "other"]).success();
    assert_eq!(partners(&sb, &id), ["c", "b"]);
    assert_eq!(history(&sb, &id).len(), 3);
    assert_eq!(sb.run(&["check"]).success().stdout, "");
}

/// Five members and six cases by hand; today is 2020-06-30.
///
/// | member | organisation   | kind     | joined     | left       |
/// |--------|----------------|----------|------------|------------|
/// | a      | Alfa AB        | company  | 2019-01-15 |            |
/// | b      | Beta <Lab>     | research | 2019-02-01 |            |
/// | c      | Gamma kommun   | public   | 2019-05-10 | 2020-03-01 |
/// | d      | Delta förening | civic    | 2020-04-01 |            |
/// | e      | Epsilon AB     | company  | 2020-06-30 |            |
///
/// Growth per quarter (size at the end of the quarter): 2019-Q1 joined a, b: 2
/// (company 1, research 1); Q2 joined c: 3; Q3 and Q4 quiet: 3; 2020-Q1 c left: 2;
/// Q2 joined d and e: 4 (company 2, research 1, civic 1). Per year: 2019 joined 3,
/// size 3; 2020 joined 2, left 1, size 4. Now: 4 members, 5 joined, 1 left.
///
/// | case | stage    | status             | partners      |
/// |------|----------|--------------------|---------------|
/// | k1   | utveckla | open               | a, b          |
/// | k2   | infora   | closed implemented | a             |
/// | k3   | provning | parked             | c             |
/// | k4   | inkommen | open               | zzz (unknown) |
/// | k5   | utforska | open               |               |
/// | k6   | utveckla | open               | b, d (d added 2020-06-15 in history) |
///
/// Member × stage: a 2 cases (1 open; utveckla 1, infora 1); b 2 (2 open; utveckla 2);
/// c 1 (0 open; provning 1; no longer a member); d 1 (1 open; utveckla 1). Cases with a
/// member as partner: k1, k2, k3, k6: 4, 2 open; provning 1, utveckla 2, infora 1.
/// Per kind: company 2 cases (k1, k2), research 2 (k1, k6), public 1 (k3), civic 1
/// (k6); one member of each kind takes part. Members in no case: e. Unknown: zzz in 1.
fn report_portfolio() -> Sandbox {
    let sb = Sandbox::with_team();
    let member = |key: &str, org: &str, kind: &str, joined: &str, left: Option<&str>| {
        let left = left.map(|l| format!("left = {l}\n")).unwrap_or_default();
        sb.write(
            &format!("network/{key}.toml"),
            &format!(
                "key = \"{key}\"\norganisation = \"{org}\"\nkind = \"{kind}\"\njoined = {joined}\n{left}"
            ),
        );
    };
    member("a", "Alfa AB", "company", "2019-01-15", None);
    member("b", "Beta <Lab>", "research", "2019-02-01", None);
    member(
        "c",
        "Gamma kommun",
        "public",
        "2019-05-10",
        Some("2020-03-01"),
    );
    member("d", "Delta förening", "civic", "2020-04-01", None);
    member("e", "Epsilon AB", "company", "2020-06-30", None);
    let case = |id: &str, stage: &str, status: &str, partners: &str, extra: &str| {
        sb.write_case(
            id,
            &format!(
                "id = \"{id}\"\ntitle = \"Fall {id}\"\ncreated = 2020-01-10T10:00:00+01:00\nstage = \"{stage}\"\nstatus = \"{status}\"\nunit = \"Skola\"\npartners = [{partners}]\n{extra}"
            ),
        );
    };
    case("k1", "utveckla", "open", "\"a\", \"b\"", "");
    case(
        "k2",
        "infora",
        "closed",
        "\"a\"",
        "outcome = \"implemented\"\n",
    );
    case("k3", "provning", "parked", "\"c\"", "");
    case("k4", "inkommen", "open", "\"zzz\"", "");
    case("k5", "utforska", "open", "", "");
    case(
        "k6",
        "utveckla",
        "open",
        "\"b\", \"d\"",
        "\n[[history]]\nat = 2020-06-15T10:00:00+02:00\nby = \"erik\"\npartner_added = \"d\"\n",
    );
    sb
}

/// Cases, open cases, and cases per stage in pipeline order.
type Counts = (u64, u64, Vec<u64>);

fn stage_counts(v: &Value) -> Counts {
    (
        v["cases"].as_u64().unwrap(),
        v["open"].as_u64().unwrap(),
        v["by_stage"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap())
            .collect(),
    )
}

#[test]
fn network_report_has_every_figure_worked_out_by_hand() {
    let sb = report_portfolio();
    let r = sb
        .run(&["network", "report", "--format", "json"])
        .success()
        .json();
    assert_eq!(r["as_of"], "2020-06-30");
    assert_eq!(
        (&r["size"], &r["joined"], &r["left"]),
        (&json!(4), &json!(5), &json!(1))
    );
    let growth: Vec<(String, u64, u64, u64)> = r["growth"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["period"].as_str().unwrap().to_string(),
                g["joined"].as_u64().unwrap(),
                g["left"].as_u64().unwrap(),
                g["size"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        growth,
        [
            ("2019-Q1".into(), 2, 0, 2),
            ("2019-Q2".into(), 1, 0, 3),
            ("2019-Q3".into(), 0, 0, 3),
            ("2019-Q4".into(), 0, 0, 3),
            ("2020-Q1".into(), 0, 1, 2),
            ("2020-Q2".into(), 2, 0, 4),
        ]
    );
    assert_eq!(
        r["growth"][5]["size_by_kind"],
        json!({"civic": 1, "company": 2, "public": 0, "research": 1})
    );
    assert_eq!(
        r["growth"][1]["size_by_kind"],
        json!({"civic": 0, "company": 1, "public": 1, "research": 1})
    );
    let kinds: Vec<(&str, u64, u64, u64, u64, u64)> = r["by_kind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["kind"].as_str().unwrap(),
                k["members"].as_u64().unwrap(),
                k["joined"].as_u64().unwrap(),
                k["left"].as_u64().unwrap(),
                k["in_cases"].as_u64().unwrap(),
                k["cases"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("company", 2, 2, 0, 1, 2),
            ("research", 1, 1, 0, 1, 2),
            ("public", 0, 1, 1, 1, 1),
            ("civic", 1, 1, 0, 1, 1),
        ]
    );
    assert_eq!(
        stage_counts(&r["by_kind"][1]),
        (2, 2, vec![0, 0, 0, 2, 0, 0, 0])
    );

    // Member × stage, most cases first, then by key.
    let members: Vec<(&str, bool, Counts)> = r["participation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["key"].as_str().unwrap(),
                m["member"].as_bool().unwrap(),
                stage_counts(m),
            )
        })
        .collect();
    assert_eq!(
        members,
        [
            ("a", true, (2, 1, vec![0, 0, 0, 1, 0, 0, 1])),
            ("b", true, (2, 2, vec![0, 0, 0, 2, 0, 0, 0])),
            ("c", false, (1, 0, vec![0, 1, 0, 0, 0, 0, 0])),
            ("d", true, (1, 1, vec![0, 0, 0, 1, 0, 0, 0])),
        ]
    );
    assert_eq!(r["participation"][0]["case_ids"], json!(["k1", "k2"]));
    assert_eq!(
        stage_counts(&r["cases_with_partners"]),
        (4, 2, vec![0, 1, 0, 2, 0, 0, 1])
    );
    assert_eq!(r["members_without_cases"], 1);
    assert_eq!(r["unknown_partners"], json!({"zzz": 1}));

    let text = sb.run(&["network", "report"]).success().stdout;
    assert_eq!(
        trim_lines(&text),
        format!(
            "Partner network – Idésluss
On 30 June 2020

Members              4
Have joined          5
Have left            1
Members in cases     4
Cases with partners  4
Members in no case   1

By kind of organisation
───────────────────────

Members and the cases they take part in, by kind
 Kind           Members  Joined  Left  In cases  Cases
──────────────────────────────────────────────────────
 company              2       2     0         1      2
 research             1       1     0         1      2
 public sector        0       1     1         1      1
 civic                1       1     0         1      1
──────────────────────────────────────────────────────
 All                  4       5     1         4      4
A case with partners of several kinds counts once for each kind, so the total of cases is less than the sum of the rows.

Growth per quarter
──────────────────

Members who joined and left in each period, and the size at its end
 Period                 Joined  Left  Size  company  research  public sector  civic
───────────────────────────────────────────────────────────────────────────────────
 January–March 2019          2     0     2        1         1              0      0
 April–June 2019             1     0     3        1         1              1      0
 July–September 2019         0     0     3        1         1              1      0
 October–December 2019       0     0     3        1         1              1      0
 January–March 2020          0     1     2        1         1              0      0
 April–June 2020             2     0     4        2         1              0      1

Members in cases, by the stage each case is in
──────────────────────────────────────────────

Each member's cases by stage, most cases first
 Member               Organisation         Kind           Cases  Open  Inkommen  Prövning  Utforska  Utveckla  Testa  Verifiera  Införa
───────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
 a                    Alfa AB              company            2     1         0         0         0         1      0          0       1
 b                    Beta <Lab>           research           2     2         0         0         0         2      0          0       0
 c                    Gamma kommun (left)  public sector      1     0         0         1         0         0      0          0       0
 d                    Delta förening       civic              1     1         0         0         0         1      0          0       0
───────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
 Cases with partners                                          4     2         0         1         0         2      0          0       1
A case with several partners counts once for each of them, so the total is less than the sum of the rows.

Cases by kind of partner
────────────────────────

Cases that name a member of each kind, by stage
 Kind           Cases  Open  Inkommen  Prövning  Utforska  Utveckla  Testa  Verifiera  Införa
─────────────────────────────────────────────────────────────────────────────────────────────
 company            2     1         0         0         0         1      0          0       1
 research           2     2         0         0         0         2      0          0       0
 public sector      1     0         0         1         0         0      0          0       0
 civic              1     1         0         0         0         1      0          0       0

Cases name partners that are not in the network: zzz (1) (run `sluss check`).

Definitions
───────────
Member: An organisation is a member from the day it joined up to the day before it left.
In cases: A member takes part in a case when the case names it as a partner on the report's day.
Stage: Each case counts in the stage it is in on the report's day.
Size: The members at the end of each period; the last period ends on the report's day.

Period: January 2019–June 2020
Made 30 June 2020 by sluss {}",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn network_report_per_year_and_as_of_an_earlier_day() {
    let sb = report_portfolio();
    let r = sb
        .run(&["network", "report", "--period", "year", "--format", "json"])
        .success()
        .json();
    let years: Vec<(&str, u64, u64, u64)> = r["growth"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["period"].as_str().unwrap(),
                g["joined"].as_u64().unwrap(),
                g["left"].as_u64().unwrap(),
                g["size"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(years, [("2019", 3, 0, 3), ("2020", 2, 1, 4)]);

    // On 2020-06-01 e had not joined, c had left, and k6 named only b (d came on
    // 06-15): a, b, d are members, d takes part in nothing.
    let r = sb
        .run(&[
            "network",
            "report",
            "--as-of",
            "2020-06-01",
            "--format",
            "json",
        ])
        .success()
        .json();
    assert_eq!(r["replayed"], true);
    assert_eq!(
        (&r["size"], &r["joined"], &r["left"]),
        (&json!(3), &json!(4), &json!(1))
    );
    let keys: Vec<&str> = r["participation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["a", "b", "c"]);
    assert_eq!(r["members_without_cases"], 1);
    assert_eq!(r["growth"].as_array().unwrap().len(), 6);
    assert_eq!(r["growth"][5]["size"], 3);
    assert_eq!(r["by_kind"][3]["cases"], 0);
}

#[test]
fn network_report_in_csv_markdown_and_html() {
    let sb = report_portfolio();
    let csv = sb
        .run(&["network", "report", "--format", "csv"])
        .success()
        .stdout;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "section,group,key,metric,value");
    for row in [
        "network,,,size,4",
        "kind,company,,members,2",
        "kind,research,utveckla,cases_in_stage,2",
        "growth,2020-Q1,,left,1",
        "growth,2020-Q2,civic,size_by_kind,1",
        "member,a,,organisation,Alfa AB",
        "member,a,infora,cases_in_stage,1",
        "member,c,provning,cases_in_stage,1",
        "cases_with_partners,,,cases,4",
        "unknown_partner,zzz,,cases,1",
    ] {
        assert!(lines.contains(&row), "no {row} in\n{csv}");
    }

    let md = sb
        .run(&["network", "report", "--format", "markdown"])
        .success()
        .stdout;
    assert!(
        md.starts_with("# Partner network – Idésluss\n\n_On 30 June 2020_\n"),
        "{md}"
    );
    assert!(
        md.contains("| April–June 2020 | 2 | 0 | 4 | 2 | 1 | 0 | 1 |\n"),
        "{md}"
    );
    assert!(
        md.contains("| b | Beta \\<Lab\\> | research | 2 | 2 | 0 | 0 | 0 | 2 | 0 | 0 | 0 |\n"),
        "{md}"
    );

    // -o picks HTML from the extension: one self-contained file, text escaped.
    sb.run(&["network", "report", "-o", "network.html"])
        .success()
        .stderr_has("Wrote network.html");
    let html = sb.read("network.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    // The size over time: a chart, with its data as a table beside it.
    assert!(html.contains("<svg"), "a chart of the size over time");
    assert!(
        html.contains("<figcaption>Members at the end of each period, by kind</figcaption>"),
        "{html}"
    );
    assert!(html.contains(">April–June 2020</th>"), "{html}");
    assert!(html.contains("Beta &lt;Lab&gt;"));
    assert!(!html.contains("<Lab>"));
    // Nothing is fetched (inline SVG needs no namespace).
    for outside in ["<script", "http://", "https://", "@import"] {
        assert!(!html.contains(outside), "{outside} in the HTML");
    }
    // The same data give the same bytes.
    sb.run(&["network", "report", "-o", "again.html"]).success();
    assert_eq!(html, sb.read("again.html"));

    sb.run(&["network", "report", "-o", "network.pdf"])
        .failure(2)
        .stderr_has("cannot tell the format");
}

#[test]
fn a_repository_without_a_network_reports_an_empty_one() {
    let sb = Sandbox::with_team();
    let text = sb.run(&["network", "report"]).success().stdout;
    assert!(
        text.starts_with(
            "Partner network – Idésluss\nOn 30 June 2020\n\nMembers              0\nHave joined          0\n"
        ),
        "{text}"
    );
    assert!(text.contains("No member takes part in a case.\n"), "{text}");
    let html = sb
        .run(&["network", "report", "--format", "html"])
        .success()
        .stdout;
    assert!(html.contains("</svg>"));
    assert_eq!(
        sb.run(&["network", "list"]).success().stdout.lines().last(),
        Some("Members: 0.")
    );
}
