//! Holes a mutation probe of the suite found: the parallel fold and its merge (every
//! other portfolio is too small to be split), a closed pipe, and the README's example
//! outputs checked against the demo portfolio.

use std::io::Read;

use crate::common::{Sandbox, wait};

/// Every report a portfolio gives, as the command lines that make it.
const REPORTS: &[&[&str]] = &[
    &["summary"],
    &["summary", "--format", "json"],
    &["summary", "--format", "csv"],
    &["summary", "--format", "markdown"],
    &["summary", "--format", "html"],
    &["summary", "--period", "month", "--format", "json"],
    &["summary", "--as-of", "2019-06-30", "--format", "json"],
    &["summary", "--as-of", "2018-03-31", "--format", "csv"],
    &[
        "summary",
        "--since",
        "2018-01-01",
        "--until",
        "2019-12-31",
        "--format",
        "json",
    ],
    &["summary", "--by", "unit", "--format", "json"],
    &["summary", "--by", "program", "--format", "csv"],
    &["summary", "--by", "tag", "--format", "json"],
    &[
        "summary", "--by", "coach", "--period", "month", "--format", "json",
    ],
    &["summary", "--by", "coach", "--as-of", "2019-09-30"],
    &["summary", "--public", "--format", "json"],
    &["list"],
    &["list", "--format", "json"],
    &["list", "--format", "csv"],
    &["check"],
    &["check", "--format", "json"],
    &["program", "show", "ip2019"],
    &["program", "show", "ip2019", "--format", "json"],
    &[
        "program",
        "show",
        "ip2020",
        "--as-of",
        "2020-03-01",
        "--format",
        "json",
    ],
    &["network", "report"],
    &["network", "report", "--format", "json"],
    &[
        "network",
        "report",
        "--as-of",
        "2019-06-30",
        "--format",
        "json",
    ],
    &["maturity", "report"],
    &["maturity", "report", "--format", "json"],
    &[
        "maturity",
        "report",
        "--as-of",
        "2019-06-30",
        "--format",
        "json",
    ],
    &["digest", "--since", "2019-01-01"],
    &["digest", "--since", "2020-01-01", "--format", "markdown"],
    &["export", "--format", "json"],
    &["export", "--format", "csv"],
    &["export", "--redact", "--format", "csv"],
];

/// The parallel fold splits a portfolio into one contiguous share per thread and merges
/// the tallies: with the demo portfolio twice over (340 cases, shares of 85 or 114),
/// every report is byte-identical on one thread and on four, with and
/// without the cache.
#[test]
fn every_report_is_the_same_on_one_thread_and_on_several() {
    let sb = Sandbox::demo(2);
    assert_eq!(sb.case_ids().len(), 340);
    for args in REPORTS {
        let run = |threads: &str, cache: bool| {
            let cmd = sb.cmd(args).env("SLUSS_THREADS", threads);
            let cmd = if cache {
                cmd
            } else {
                cmd.env("SLUSS_NO_CACHE", "1")
            };
            cmd.run()
        };
        let one = run("1", false);
        assert!(
            one.code == 0 || (args[0] == "check" && one.code == 1),
            "{} failed: {}",
            one.line,
            one.stderr
        );
        for (threads, cache) in [("4", false), ("3", true)] {
            let other = run(threads, cache);
            assert!(
                (other.code, &other.stdout, &other.stderr) == (one.code, &one.stdout, &one.stderr),
                "`{}` differs with SLUSS_THREADS={threads} (cache {cache}) from one thread:\n\
                 --- one thread\n{}\n{}\n--- {threads} threads\n{}\n{}",
                one.line,
                one.stdout,
                one.stderr,
                other.stdout,
                other.stderr
            );
        }
    }
}

/// `sluss export | head -c 10`: a reader that goes away after a few bytes is not an
/// error. The output is far larger than a pipe holds, so the command is still writing
/// when the pipe closes.
#[test]
fn a_closed_pipe_is_not_an_error() {
    let sb = Sandbox::demo(6);
    for args in [
        &["export", "--format", "json"][..],
        &["export", "--format", "csv"],
        &["list", "--all"],
        &["list", "--all", "--format", "json"],
    ] {
        let whole = sb.run(args);
        assert!(
            whole.stdout.len() > 128 * 1024,
            "`{}` writes {} bytes, too few to outlast a pipe's buffer",
            whole.line,
            whole.stdout.len()
        );
        let (line, mut child) = sb.cmd(args).spawn();
        let mut start = [0u8; 10];
        child
            .stdout
            .take()
            .expect("stdout is piped")
            .read_exact(&mut start)
            .expect("ten bytes come");
        // The read end is dropped here: the rest of the output meets a closed pipe.
        let out = wait((line, child));
        assert_eq!(
            out.code, whole.code,
            "`{}` with its reader gone: {}",
            out.line, out.stderr
        );
        assert_eq!(
            out.stderr, whole.stderr,
            "`{}` said more on stderr",
            out.line
        );
    }
}

/// A small repository where something happens on 2019-03-01 (the as-of day below) and
/// the same kind of thing on 2019-03-02 (the day after), for every report with
/// `--as-of`: stage moves and sessions (summary), joining and leaving a program
/// (`program show`), members joining the network and partners named (network report),
/// assessments (maturity report) and cases registered.
fn as_of_story() -> (Sandbox, [String; 6]) {
    let sb = Sandbox::new();
    let day = "2019-01-01";
    sb.run_on(day, &["coach", "add", "erik", "--name", "Erik Lind"])
        .success();
    sb.run_on(
        day,
        &[
            "program",
            "add",
            "p19",
            "--name",
            "P19",
            "--start",
            day,
            "--end",
            "2019-12-31",
        ],
    )
    .success();
    let new = |on: &str, title: &str, extra: &[&str]| {
        let mut args = vec!["--coach", "erik"];
        args.extend_from_slice(extra);
        sb.new_case_on(on, title, &args)
    };
    let a = new("2019-01-10", "A moves and meets", &[]);
    let b = new("2019-01-10", "B leaves on the day", &["--program", "p19"]);
    let c = new(
        "2019-01-10",
        "C leaves the day after",
        &["--program", "p19"],
    );
    let d = new("2019-01-10", "D joins the day after", &[]);
    let e = new("2019-03-01", "E registered on the day", &[]);
    let f = new("2019-03-02", "F registered the day after", &[]);
    for (key, joined) in [("m1", "2019-03-01"), ("m2", "2019-03-02")] {
        sb.run_on(
            "2019-03-05",
            &[
                "network",
                "add",
                key,
                "--organisation",
                key,
                "--kind",
                "company",
                "--joined",
                joined,
            ],
        )
        .success();
    }
    for (on, unit) in [("2019-03-01", "Skola"), ("2019-03-02", "Omsorg")] {
        sb.run_on(
            "2019-03-05",
            &[
                "maturity",
                "record",
                "--unit",
                unit,
                "--date",
                on,
                "--score",
                "ledning=3",
            ],
        )
        .success();
    }
    for (on, args) in [
        ("2019-03-01", vec!["advance", &a]),
        ("2019-03-01", vec!["session", &a, "--minutes", "30"]),
        ("2019-03-01", vec!["partner", "add", &a, "m1"]),
        ("2019-03-01", vec!["program", "leave", &b]),
        ("2019-03-02", vec!["advance", &a]),
        ("2019-03-02", vec!["session", &a, "--minutes", "45"]),
        ("2019-03-02", vec!["partner", "add", &a, "m2"]),
        ("2019-03-02", vec!["program", "leave", &c]),
        ("2019-03-02", vec!["program", "join", &d, "p19"]),
    ] {
        sb.run_on(on, &args).success();
    }
    (sb, [a, b, c, d, e, f])
}

fn ids(list: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// `--as-of DAY` is the end of DAY: what happened on DAY counts, in every report, and
/// what happened the day after does not.
#[test]
fn the_as_of_day_itself_counts_and_the_next_day_does_not() {
    let (sb, [a, b, c, d, e, f]) = as_of_story();
    let on = "2019-03-01";
    let next = "2019-03-02";

    // summary: cases registered, stage moves, sessions.
    let summary = |day: &str| {
        sb.run(&["summary", "--as-of", day, "--format", "json"])
            .success()
            .json()
    };
    let reached = |s: &serde_json::Value, stage: &str| {
        s["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|st| st["key"] == stage)
            .unwrap()["reached"]
            .clone()
    };
    let s = summary(on);
    assert_eq!(
        s["total"], 5,
        "E, registered on the day, counts; F does not"
    );
    assert_eq!(reached(&s, "provning"), 1, "the move on the day counts");
    assert_eq!(
        reached(&s, "utforska"),
        0,
        "the move the day after does not"
    );
    assert_eq!(s["coaching"]["sessions"], 1);
    assert_eq!(s["coaching"]["minutes"], 30);
    let s = summary(next);
    assert_eq!(s["total"], 6);
    assert_eq!(reached(&s, "utforska"), 1);
    assert_eq!(s["coaching"]["minutes"], 75);

    // program show: joining and leaving.
    let program = |day: &str| {
        sb.run(&["program", "show", "p19", "--as-of", day, "--format", "json"])
            .success()
            .json()
    };
    let p = program(on);
    assert_eq!(
        ids(&p["cases"]),
        vec![c.clone()],
        "B left on the day, D joins after"
    );
    assert_eq!(ids(&p["left"]), vec![b.clone()]);
    let p = program(next);
    assert_eq!(ids(&p["cases"]), vec![d.clone()]);
    assert_eq!(ids(&p["left"]), sorted(vec![b.clone(), c.clone()]));

    // network report: members joining, partners named.
    let network = |day: &str| {
        sb.run(&["network", "report", "--as-of", day, "--format", "json"])
            .success()
            .json()
    };
    let n = network(on);
    assert_eq!(n["joined"], 1, "m1 joined on the day, m2 the day after");
    assert_eq!(n["cases_with_partners"]["cases"], 1, "{n}");
    let text = n["participation"].to_string();
    // By member key: a random case id may hold "m2" too.
    assert!(
        text.contains(r#""key":"m1""#) && !text.contains(r#""key":"m2""#),
        "{text}"
    );
    let n = network(next);
    assert_eq!(n["joined"], 2);
    assert!(n["participation"].to_string().contains(r#""key":"m2""#));

    // maturity report: assessments.
    let maturity = |day: &str| {
        let r = sb
            .run(&["maturity", "report", "--as-of", day, "--format", "json"])
            .success()
            .json();
        let mut units: Vec<String> = r["units"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| !u["assessments"].as_array().unwrap().is_empty())
            .map(|u| u["unit"].as_str().unwrap().to_string())
            .collect();
        units.sort();
        units
    };
    assert_eq!(maturity(on), vec!["Skola"]);
    assert_eq!(maturity(next), vec!["Omsorg", "Skola"]);
    let _ = (a, e, f);
}

/// A command shown in the README and the output shown under it.
struct Transcript {
    /// Where the command is in README.md (1-based line).
    line: usize,
    words: Vec<String>,
    expected: Vec<String>,
}

/// The README's transcripts of the demo portfolio: every ```` ```console ```` block whose
/// first line is `$ sluss …` and whose lead-in (the prose since the block before) says
/// "on the demo portfolio". In such a block each `$ ` line is a command (a line ending
/// in `\` goes on on the next), the lines under it its output, and a line that is only
/// `…` stands for any number of lines.
fn demo_transcripts(readme: &str) -> Vec<Transcript> {
    let mut out = Vec::new();
    let mut prose = String::new();
    let mut lines = readme.lines().enumerate();
    while let Some((_, line)) = lines.next() {
        if !line.starts_with("```") {
            prose.push_str(line);
            prose.push(' ');
            continue;
        }
        let console = line.trim() == "```console";
        let mut block: Vec<(usize, &str)> = Vec::new();
        for (n, l) in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            block.push((n + 1, l));
        }
        let on_demo = prose.to_lowercase().contains("on the demo portfolio");
        prose.clear();
        if !console
            || !on_demo
            || !block
                .first()
                .is_some_and(|(_, l)| l.starts_with("$ sluss "))
        {
            continue;
        }
        let mut rest = block.into_iter().peekable();
        while let Some((n, l)) = rest.next() {
            let mut command = l.strip_prefix("$ ").expect("a command line").to_string();
            while command.ends_with('\\') {
                command.pop();
                let (_, next) = rest.next().expect("a continued command goes on");
                command.push_str(next);
            }
            let mut expected = Vec::new();
            while let Some((_, l)) = rest.next_if(|(_, l)| !l.starts_with("$ ")) {
                expected.push(l.trim_end().to_string());
            }
            out.push(Transcript {
                line: n,
                words: shell_words(&command),
                expected,
            });
        }
    }
    out
}

/// A command line split into words as a shell would: blanks apart, quotes kept together.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_default().push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                word.get_or_insert_default();
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_default().push(c),
        }
    }
    words.extend(word);
    words
}

/// Whether `actual` is what `expected` shows, a `…` line standing for any lines.
fn shows(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "…" => {
            (0..=actual.len()).any(|skip| shows(rest, &actual[skip..]))
        }
        Some((first, rest)) => {
            actual.first().is_some_and(|a| a == first) && shows(rest, &actual[1..])
        }
    }
}

/// The example outputs on the demo portfolio in the README and the user guide are what
/// sluss prints today, run on a copy of the demo portfolio on the demo's last day
/// (2020-06-30).
#[test]
fn the_readme_shows_real_output_of_the_demo_portfolio() {
    // The README and the user guide it links, each read as documented.
    let mut transcripts = Vec::new();
    for doc in ["README.md", "docs/guide.md"] {
        let text = std::fs::read_to_string(crate::common::demo_root().join(doc)).expect(doc);
        let found = demo_transcripts(&text);
        assert!(
            !found.is_empty(),
            "{doc} has no transcript of the demo portfolio: a ```console block starting \
             with `$ sluss …` after prose that says \"on the demo portfolio\""
        );
        transcripts.extend(found.into_iter().map(|t| (doc, t)));
    }
    let sb = Sandbox::demo(1);
    let mut wrong = Vec::new();
    for (doc, t) in &transcripts {
        assert_eq!(
            t.words.first().map(String::as_str),
            Some("sluss"),
            "{doc}:{}: only sluss commands can be checked",
            t.line
        );
        let words: Vec<&str> = t.words[1..].iter().map(String::as_str).collect();
        // As a reader runs it: in the language the demo portfolio chose.
        let out = sb.cmd(&words).env_remove("SLUSS_LANG").run();
        let text = format!("{}{}", out.stdout, out.stderr);
        let actual: Vec<&str> = text.lines().map(str::trim_end).collect();
        if !shows(&t.expected, &actual) {
            wrong.push(format!(
                "{doc}:{}: `{}` prints (exit {}):\n{}\n--- where {doc} shows:\n{}",
                t.line,
                t.words.join(" "),
                out.code,
                actual.join("\n"),
                t.expected.join("\n")
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn transcripts_are_read_as_documented() {
    let readme = "Intro.\n\n```console\n$ sluss list\nnot the demo\n```\n\nOn the demo \
                  portfolio:\n\n```console\n$ sluss show \"a b\" \\\n  --public\nline 1\n…\n\
                  $ sluss log x\n```\n";
    let t = demo_transcripts(readme);
    assert_eq!(t.len(), 2);
    assert_eq!(t[0].words, ["sluss", "show", "a b", "--public"]);
    assert_eq!(t[0].expected, ["line 1", "…"]);
    assert!(t[1].expected.is_empty());
    let e = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(shows(&e(&["a", "…", "d"]), &["a", "b", "c", "d"]));
    assert!(shows(&e(&["a", "…"]), &["a"]));
    assert!(!shows(&e(&["a", "…", "d"]), &["a", "b"]));
    assert!(!shows(&e(&["a"]), &["a", "b"]));
}
