//! sluss in the shell: the manual pages pass the roff linters, completion knows the
//! repository (asked as each shell asks it, `COMPLETE=SHELL sluss -- sluss …`), and the
//! guide's CI jobs cache the installed sluss.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Outcome, Sandbox, demo_root};

// ---------------------------------------------------------------------------------------
// The manual

/// Every manual page `sluss man --dir` writes, by file name, with its text.
fn pages(sb: &Sandbox, env: &[(&str, &str)]) -> Vec<(String, String)> {
    let dir = sb.base().join(format!("man{}", env.len()));
    let mut cmd = sb.cmd(&["man", "--dir", dir.to_str().unwrap()]);
    for (key, value) in env {
        cmd = cmd.env(key, value);
    }
    cmd.run().success();
    let mut pages: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    pages.sort();
    assert!(pages.len() > 40, "{} pages", pages.len());
    pages
}

/// A linter, when it is installed. With `SLUSS_MAN_LINT=strict` (as `.ci/run` sets it) a
/// missing linter fails the test; elsewhere the check is skipped, loudly.
fn linter(program: &str) -> Option<&str> {
    // Whatever it says of a bad flag, it is there if it runs.
    if Command::new(program).arg("--version").output().is_ok() {
        return Some(program);
    }
    let strict = std::env::var("SLUSS_MAN_LINT").is_ok_and(|v| v == "strict");
    assert!(
        !strict,
        "SLUSS_MAN_LINT=strict but `{program}` is not installed: install it (apt-get install \
         mandoc groff), as .ci/run does"
    );
    eprintln!(
        "note: `{program}` is not installed: the manual pages were NOT linted with it \
         (apt-get install mandoc groff; CI sets SLUSS_MAN_LINT=strict and fails without it)"
    );
    None
}

/// What a linter says of a page given on stdin.
fn lint(program: &str, args: &[&str], page: &str) -> String {
    use std::io::Write as _;
    let mut child = Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        said
    } else {
        format!("{said}(exit {})", out.status)
    }
}

#[test]
fn every_manual_page_passes_mandoc_lint_and_groff_without_a_warning() {
    let sb = Sandbox::empty();
    let pages = pages(&sb, &[]);
    let mut said = Vec::new();
    if let Some(mandoc) = linter("mandoc") {
        for (name, page) in &pages {
            // -Tlint reports style hints as well as warnings: neither is wanted.
            let out = lint(mandoc, &["-Tlint", "-W", "style"], page);
            if !out.trim().is_empty() {
                said.push(format!("mandoc on {name}:\n{out}"));
            }
        }
    }
    if let Some(groff) = linter("groff") {
        for (name, page) in &pages {
            let out = lint(groff, &["-ww", "-man", "-Tutf8", "-z"], page);
            if !out.trim().is_empty() {
                said.push(format!("groff on {name}:\n{out}"));
            }
        }
    }
    assert!(said.is_empty(), "{}", said.join("\n"));
}

#[test]
fn manual_pages_are_ascii_roff_with_swedish_letters_escaped() {
    let sb = Sandbox::empty();
    let pages = pages(&sb, &[]);
    for (name, page) in &pages {
        let raw: Vec<char> = page.chars().filter(|c| !c.is_ascii()).collect();
        assert!(raw.is_empty(), "{name} holds raw {raw:?}");
        for line in page.lines() {
            assert_eq!(line, line.trim_end(), "{name}: whitespace at the end");
        }
        assert!(!page.contains(".br\n\n.br"), "{name}");
    }
    // `init --template sv`'s help names the stages "Inkommen … Införa".
    let init = &pages.iter().find(|(n, _)| n == "sluss-init.1").unwrap().1;
    assert!(init.contains("Inf\\[u00F6]ra"), "{init}");
    assert!(init.contains("\\[u2026]"), "{init}");
}

#[test]
fn every_manual_page_footer_names_the_version_and_a_fixed_day() {
    let sb = Sandbox::empty();
    let version = format!("\"sluss {}\"", env!("CARGO_PKG_VERSION"));
    let first = pages(&sb, &[]);
    for (name, page) in &first {
        let th = page
            .lines()
            .find(|l| l.starts_with(".TH "))
            .unwrap_or_else(|| panic!("{name}: no .TH"));
        let fields: Vec<&str> = th.splitn(4, ' ').collect();
        let title = name.trim_end_matches(".1").to_uppercase();
        assert_eq!(fields[1], title, "{th}");
        assert_eq!(fields[2], "1", "{th}");
        assert!(
            chrono::NaiveDate::parse_from_str(fields[3].split(' ').next().unwrap(), "%Y-%m-%d")
                .is_ok(),
            "{name}: no day in {th}"
        );
        assert!(fields[3].contains(&version), "{name}: {th}");
    }
    // The day is not the day the pages were made: made on another day, the same page.
    let today = sb.run(&["man"]).success().stdout;
    let later = sb
        .cmd(&["man"])
        .env("SLUSS_NOW", "2031-01-01T10:00:00+01:00");
    assert_eq!(later.run().success().stdout, today);
    // SOURCE_DATE_EPOCH, as reproducible builds set it, names the day.
    let dated = pages(&sb, &[("SOURCE_DATE_EPOCH", "1700000000")]);
    assert!(
        dated[0].1.contains(".TH SLUSS-ADVANCE 1 2023-11-14 "),
        "{}",
        dated[0].1
    );
}

// ---------------------------------------------------------------------------------------
// Completion

/// What `shell` gets back when it asks sluss to complete the last of `words` (the words
/// of the command line, `sluss` first), run in `dir`.
fn complete_in(sb: &Sandbox, dir: &Path, shell: &str, words: &[&str]) -> Outcome {
    let mut args = vec!["--"];
    args.extend_from_slice(words);
    let index = (words.len() - 1).to_string();
    sb.cmd(&args)
        .env("COMPLETE", shell)
        .env("_CLAP_COMPLETE_INDEX", &index)
        .env("_CLAP_IFS", "\n")
        .current_dir(dir)
        .run()
}

/// fish's answer as (value, description) pairs, asked in the repository.
fn fish(sb: &Sandbox, words: &[&str]) -> Vec<(String, String)> {
    let out = complete_in(sb, &sb.root(), "fish", words).success();
    assert_eq!(out.stderr, "", "{words:?}");
    // Flags are offered beside values when nothing is typed; these tests are about values.
    out.stdout
        .lines()
        .filter(|l| !l.starts_with('-'))
        .map(|l| {
            let (value, help) = l.split_once('\t').unwrap_or((l, ""));
            (value.to_string(), help.to_string())
        })
        .collect()
}

fn values(found: &[(String, String)]) -> Vec<&str> {
    found.iter().map(|(v, _)| v.as_str()).collect()
}

fn a_case(sb: &Sandbox) -> String {
    sb.case_ids().into_iter().next().unwrap()
}

#[test]
fn completion_offers_case_ids_with_their_titles() {
    let sb = Sandbox::demo(1);
    let ids = sb.case_ids();
    let found = fish(&sb, &["sluss", "show", ""]);
    assert_eq!(
        values(&found),
        ids.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let case = sb.case(&ids[0]);
    let title = case["title"].as_str().unwrap();
    assert!(
        found.contains(&(ids[0].clone(), title.to_string())),
        "{found:?}"
    );
    // A prefix narrows them; every command about a case completes its id.
    let prefix = &ids[0][..3];
    for command in ["show", "log", "advance", "park", "session", "edit"] {
        let found = fish(&sb, &["sluss", command, prefix]);
        assert!(!found.is_empty(), "{command}");
        assert!(
            found.iter().all(|(v, _)| v.starts_with(prefix)),
            "{found:?}"
        );
    }
}

#[test]
fn completion_reads_the_titles_only_of_the_cases_the_typed_prefix_leaves() {
    // 1190 cases: typed nothing, more than a shell would show; the ids come, without
    // reading a file for its title.
    let sb = Sandbox::demo(7);
    let all = fish(&sb, &["sluss", "show", ""]);
    assert_eq!(all.len(), sb.case_ids().len());
    assert!(
        all.iter().all(|(_, title)| title.is_empty()),
        "{:?}",
        &all[..3]
    );
    // A prefix that leaves a few: each with its title.
    let id = a_case(&sb);
    let few = fish(&sb, &["sluss", "show", &id]);
    assert_eq!(few.len(), 7, "{few:?}");
    assert!(few.iter().all(|(_, title)| !title.is_empty()), "{few:?}");
}

#[test]
fn completion_offers_stages_by_key_with_their_swedish_names() {
    let sb = Sandbox::demo(1);
    let id = a_case(&sb);
    let found = fish(&sb, &["sluss", "advance", &id, "--to", ""]);
    assert!(
        found.contains(&("provning".into(), "Prövning".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("infora".into(), "Införa".into())),
        "{found:?}"
    );
    // Typed as the coach says it, the Swedish name comes back, which sluss takes.
    let found = fish(&sb, &["sluss", "advance", &id, "--to", "Prö"]);
    assert_eq!(values(&found), ["Prövning"]);
    // Case and Swedish letters aside, the key; case aside, the name.
    let found = fish(&sb, &["sluss", "list", "--stage", "PROV"]);
    assert_eq!(values(&found), ["provning"]);
    let found = fish(&sb, &["sluss", "list", "--stage", "inför"]);
    assert_eq!(values(&found), ["Införa"]);
}

#[test]
fn completion_offers_coaches_units_tags_outcomes_and_programs() {
    let sb = Sandbox::demo(1);
    let id = a_case(&sb);
    let coaches = fish(&sb, &["sluss", "list", "--coach", ""]);
    assert!(
        coaches.contains(&("sara".into(), "Sara Holm".into())),
        "{coaches:?}"
    );
    assert!(values(&coaches).contains(&"maria"));
    let units = fish(&sb, &["sluss", "list", "--unit", ""]);
    assert!(values(&units).contains(&"Vård och omsorg"), "{units:?}");
    assert!(
        units
            .iter()
            .any(|(v, h)| v == "Socialtjänst" && h == "socialtjanst"),
        "{units:?}"
    );
    let tags = fish(&sb, &["sluss", "list", "--tag", "digi"]);
    assert_eq!(values(&tags), ["digitalisering"]);
    let outcomes = fish(&sb, &["sluss", "close", &id, "--outcome", ""]);
    assert!(
        outcomes.contains(&("implemented".into(), "införd".into())),
        "{outcomes:?}"
    );
    assert_eq!(
        values(&fish(&sb, &["sluss", "close", &id, "--outcome", "över"])),
        ["överlämnad"]
    );
    let programs = fish(&sb, &["sluss", "program", "show", ""]);
    assert!(
        programs.contains(&("ip2019".into(), "Innovationsprogram 2019".into())),
        "{programs:?}"
    );
    assert_eq!(
        values(&fish(&sb, &["sluss", "list", "--program", "ip2"])),
        ["ip2018", "ip2019", "ip2020"]
    );
}

#[test]
fn completion_offers_register_units_and_only_active_coaches_for_new_work() {
    let sb = Sandbox::with_team();
    // Cases first: a register would refuse a unit it does not know.
    let id = sb.new_case("Idé", &[]);
    sb.run(&[
        "new",
        "Annan idé",
        "--submitter",
        "Anna Berg",
        "--unit",
        "Kultur",
    ])
    .success();
    let settings = sb.read("sluss.toml").replace(
        "key = \"sara\"\nname = \"Sara Berg\"",
        "key = \"sara\"\nname = \"Sara Berg\"\nactive = false",
    );
    assert!(settings.contains("active = false"), "{settings}");
    sb.write(
        "sluss.toml",
        &format!("{settings}\n[[units]]\nkey = \"vof\"\nname = \"Vård och omsorg\"\n"),
    );
    let units = fish(&sb, &["sluss", "new", "x", "--unit", ""]);
    assert_eq!(
        units[0],
        ("Vård och omsorg".into(), "vof".into()),
        "{units:?}"
    );
    assert!(values(&units).contains(&"Kultur"), "{units:?}");
    // A registered unit is offered once, by the name case files store; typing its key
    // completes the key, which every command takes as well.
    assert_eq!(
        values(&units)
            .iter()
            .filter(|v| **v == "Vård och omsorg")
            .count(),
        1,
        "{units:?}"
    );
    assert_eq!(
        values(&fish(&sb, &["sluss", "new", "x", "--unit", "vo"])),
        ["vof"]
    );
    // Sara has left: no new work for her, but she is still there to filter by.
    assert_eq!(values(&fish(&sb, &["sluss", "assign", &id, ""])), ["erik"]);
    let all = fish(&sb, &["sluss", "list", "--coach", ""]);
    assert!(
        all.contains(&("sara".into(), "Sara Berg (inactive)".into())),
        "{all:?}"
    );
}

#[test]
fn completion_speaks_each_shells_language() {
    let sb = Sandbox::demo(1);
    let id = a_case(&sb);
    let words = ["sluss", "advance", id.as_str(), "--to", "prov"];
    // bash: values only, a space escaped, since bash puts a candidate on the line as is.
    let bash = complete_in(&sb, &sb.root(), "bash", &words).success();
    assert_eq!(bash.stdout, "provning");
    let units = complete_in(
        &sb,
        &sb.root(),
        "bash",
        &["sluss", "list", "--unit", "Vård"],
    );
    assert_eq!(units.success().stdout, "Vård\\ och\\ omsorg");
    let typed = complete_in(
        &sb,
        &sb.root(),
        "bash",
        &["sluss", "list", "--unit", "Vård\\ o"],
    );
    assert_eq!(typed.success().stdout, "Vård\\ och\\ omsorg");
    // zsh: value:description.
    let zsh = complete_in(&sb, &sb.root(), "zsh", &words).success();
    assert_eq!(zsh.stdout, "provning:Prövning");
    // PowerShell and elvish, as fish: value, tab, description.
    for shell in ["powershell", "elvish"] {
        let out = complete_in(&sb, &sb.root(), shell, &words).success();
        assert!(
            out.stdout.starts_with("provning"),
            "{shell}: {}",
            out.stdout
        );
    }
}

#[test]
fn completion_finds_the_repository_by_repo_or_sluss_repo() {
    let sb = Sandbox::demo(1);
    let elsewhere = sb.base();
    let root = sb.root();
    let root = root.to_str().unwrap();
    let by_flag = complete_in(
        &sb,
        elsewhere,
        "fish",
        &["sluss", "--repo", root, "program", "show", "ip"],
    );
    assert_eq!(by_flag.success().stdout.lines().count(), 3);
    let by_env = sb
        .cmd(&["--", "sluss", "program", "show", "ip"])
        .env("COMPLETE", "fish")
        .env("SLUSS_REPO", root)
        .current_dir(elsewhere)
        .run();
    assert_eq!(by_env.success().stdout.lines().count(), 3);
    // From a folder inside the repository, as every command finds it.
    let inside = complete_in(&sb, &sb.path("cases"), "fish", &["sluss", "show", ""]);
    assert!(inside.success().stdout.contains(&a_case(&sb)));
}

#[test]
fn completion_outside_a_repository_offers_nothing_and_says_nothing() {
    let sb = Sandbox::empty();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        for words in [
            &["sluss", "show", "a"][..],
            &["sluss", "list", "--coach", ""],
            &["sluss", "advance", "x", "--to", "p"],
        ] {
            let out = complete_in(&sb, sb.base(), shell, words).success();
            assert_eq!(out.stdout, "", "{shell} {words:?}");
            assert_eq!(out.stderr, "", "{shell} {words:?}");
        }
    }
    // A repository whose settings do not read: nothing either, and no error text.
    let mut sb = Sandbox::new();
    sb.allow_broken_cases();
    sb.write("sluss.toml", "this is = = not toml");
    let out = complete_in(&sb, &sb.root(), "fish", &["sluss", "list", "--stage", "p"]);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    // An unknown shell: no completion, and no text for the shell to show.
    let out = complete_in(&sb, &sb.root(), "tcsh", &["sluss", "show", ""]);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
}

/// Every file under `dir` with its length and modification time.
fn listing(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                todo.push(entry.path());
            }
            found.push((entry.path(), meta.len(), meta.modified().unwrap()));
        }
    }
    found.sort();
    found
}

#[test]
fn completion_never_writes_even_where_a_report_would_fill_the_cache() {
    let sb = Sandbox::demo(1);
    let before = listing(&sb.root());
    let id = a_case(&sb);
    fish(&sb, &["sluss", "show", ""]);
    fish(&sb, &["sluss", "list", "--tag", ""]);
    fish(&sb, &["sluss", "advance", &id, "--to", ""]);
    assert_eq!(listing(&sb.root()), before);
    assert!(!sb.path(".sluss").exists());
    // With a cache in place (a report made it), completion reads it and leaves it be.
    sb.run(&["summary", "--format", "json"]).success();
    assert!(sb.path(".sluss").exists());
    let before = listing(&sb.root());
    let found = fish(&sb, &["sluss", "show", ""]);
    assert!(values(&found).contains(&id.as_str()));
    assert_eq!(listing(&sb.root()), before);
}

#[test]
fn completions_prints_the_registration_for_each_shell() {
    let sb = Sandbox::empty();
    for (shell, says) in [
        ("bash", "complete -o nospace"),
        ("zsh", "compdef"),
        ("fish", "complete --keep-order --exclusive --command sluss"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "set edit:completion:arg-completer[sluss]"),
    ] {
        let out = sb.run(&["completions", shell]).success();
        assert!(out.stdout.contains(says), "{shell}:\n{}", out.stdout);
        assert!(out.stdout.contains(shell), "{shell}:\n{}", out.stdout);
        assert!(out.stdout.contains("COMPLETE"), "{shell}:\n{}", out.stdout);
    }
}

// ---------------------------------------------------------------------------------------
// The CI jobs in the guide

/// The ```yaml blocks of the guide.
fn yaml_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim_start() == "```yaml" => current = Some(String::new()),
            Some(block) if line.trim_start() == "```" => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn the_guides_ci_jobs_cache_sluss_by_version_before_installing_it() {
    let guide = std::fs::read_to_string(demo_root().join("docs/guide.md")).unwrap();
    let jobs: Vec<String> = yaml_blocks(&guide)
        .into_iter()
        .filter(|b| b.contains("cargo install"))
        .collect();
    assert!(!jobs.is_empty(), "the guide shows no CI job");
    let github = jobs
        .iter()
        .find(|j| j.contains("actions/checkout"))
        .expect("a GitHub Actions job");
    for job in &jobs {
        let at = |needle: &str| {
            job.find(needle)
                .unwrap_or_else(|| panic!("no `{needle}` in:\n{job}"))
        };
        let install = at("cargo install");
        assert!(job.contains("SLUSS_VERSION:"), "{job}");
        assert!(
            job[install..]
                .lines()
                .next()
                .unwrap()
                .contains("$SLUSS_VERSION"),
            "the install does not pin the version:\n{job}"
        );
        if job == github {
            let cache = at("uses: actions/cache@");
            assert!(
                cache < install,
                "the cache step comes after the install:\n{job}"
            );
            let key = job[cache..]
                .lines()
                .find(|l| l.trim_start().starts_with("key:"))
                .unwrap();
            assert!(key.contains("env.SLUSS_VERSION"), "{key}");
            assert!(job[cache..install].contains("~/.cargo/bin/sluss"), "{job}");
            let step = job[..install].rsplit("- name:").next().unwrap();
            assert!(
                step.contains("if: steps.sluss-cache.outputs.cache-hit != 'true'"),
                "the install runs on a cache hit too:\n{job}"
            );
        } else {
            let cache = at("cache:");
            assert!(cache < install, "{job}");
            let key = job[cache..]
                .lines()
                .find(|l| l.trim_start().starts_with("key:"))
                .unwrap();
            assert!(key.contains("$SLUSS_VERSION"), "{key}");
            assert!(job[install - 60..install].contains("test -x"), "{job}");
        }
    }
}

#[test]
fn completion_offers_tags_after_plus_and_minus_in_set() {
    let sb = Sandbox::demo(1);
    let id = a_case(&sb);
    let add = fish(&sb, &["sluss", "set", &id, "+digi"]);
    assert_eq!(values(&add), ["+digitalisering"], "{add:?}");
    // A tag to take out, not short flags (`-digh`); after other tag words too, and
    // through `modify`.
    let raw = |words: &[&str]| -> Vec<String> {
        let out = complete_in(&sb, &sb.root(), "fish", words).success();
        out.stdout
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect()
    };
    let take = raw(&["sluss", "set", &id, "-digi"]);
    assert_eq!(take, ["-digitalisering"], "{take:?}");
    let after = raw(&["sluss", "modify", &id, "+x", "-digi"]);
    assert_eq!(after, ["-digitalisering"], "{after:?}");
    let bash = complete_in(&sb, &sb.root(), "bash", &["sluss", "set", &id, "-digi"]).success();
    assert_eq!(bash.stdout.trim(), "-digitalisering", "{}", bash.stdout);
    // The first word is the case id.
    let ids = fish(&sb, &["sluss", "set", &id[..3]]);
    assert!(values(&ids).contains(&id.as_str()), "{ids:?}");
}

#[test]
fn completion_completes_the_value_after_the_last_comma_of_a_list_flag() {
    let sb = Sandbox::demo(1);
    let stages = fish(&sb, &["sluss", "list", "--stage", "utforska,te"]);
    assert_eq!(values(&stages), ["utforska,testa"], "{stages:?}");
    let statuses = fish(&sb, &["sluss", "list", "--status", "open,pa"]);
    assert_eq!(values(&statuses), ["open,parked"], "{statuses:?}");
    let tags = fish(&sb, &["sluss", "list", "--tag", "x,digi"]);
    assert_eq!(values(&tags), ["x,digitalisering"], "{tags:?}");
    let coaches = fish(&sb, &["sluss", "list", "--coach", "sara,mar"]);
    assert_eq!(values(&coaches), ["sara,maria"], "{coaches:?}");
    let programs = fish(&sb, &["sluss", "list", "--program", "ip2018,ip2019,ip202"]);
    assert_eq!(values(&programs), ["ip2018,ip2019,ip2020"], "{programs:?}");
}

#[test]
fn completion_offers_the_open_steps_of_the_case_step_done_names() {
    let sb = Sandbox::demo(1);
    let id = "0wt1fn2k01xq";
    let steps = fish(&sb, &["sluss", "step", "done", id, ""]);
    assert_eq!(
        steps,
        [("1".to_string(), "Boka workshop med medarbetare".to_string())]
    );
    // By a prefix of the id too.
    let steps = fish(&sb, &["sluss", "step", "done", "0wt1", ""]);
    assert_eq!(values(&steps), ["1"]);
}
