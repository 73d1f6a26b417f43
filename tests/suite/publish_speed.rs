//! Published output (`summary --public`, `export --redact`, `digest`) reads the cases in
//! two looks: a first look at every case for what publishing must know of all of them
//! (the submitters' fingerprints, the coach keys, the order of an export), taken from the
//! cache without decoding the cases where it can, then a second look that publishes each
//! case and lets it go. Whatever the first look believed must be what the second look
//! shows: the same output with and without the cache, by stamp and by content, on one
//! thread and on several; and facts the cache took from an older version of a file are
//! never believed.

use std::fs;
use std::time::{Duration, SystemTime};

use crate::common::Sandbox;

/// Every published report, as the command lines that make it.
const PUBLISHED: &[&[&str]] = &[
    &["summary", "--public"],
    &["summary", "--public", "--format", "json"],
    &["summary", "--public", "--format", "csv"],
    &["summary", "--public", "--by", "coach", "--format", "json"],
    &["export", "--redact"],
    &["export", "--redact", "--format", "csv"],
    &["digest", "--since", "2018-01-01", "--format", "json"],
    &["digest", "--since", "2019-06-01"],
    &["digest", "--since", "2020-01-01", "--format", "html"],
];

/// Gives every case file the time `seconds` ago (bytes unchanged), so that the cache
/// takes them (it never takes a file changed in the last moments).
fn age_cases(sb: &Sandbox, seconds: u64) {
    let then = SystemTime::now() - Duration::from_secs(seconds);
    for entry in fs::read_dir(sb.path("cases")).unwrap() {
        let file = fs::File::options()
            .write(true)
            .open(entry.unwrap().path())
            .unwrap();
        file.set_modified(then).unwrap();
    }
}

fn published(sb: &Sandbox, args: &[&str], threads: &str, cache: bool) -> (i32, String, String) {
    let cmd = sb.cmd(args).env("SLUSS_THREADS", threads);
    let cmd = if cache {
        cmd
    } else {
        cmd.env("SLUSS_NO_CACHE", "1")
    };
    let out = cmd.run();
    assert_eq!(out.code, 0, "{} failed: {}", out.line, out.stderr);
    (out.code, out.stdout, out.stderr)
}

/// What the cache says it did, on standard error under `SLUSS_DEBUG=cache`.
fn cache_line(sb: &Sandbox, args: &[&str]) -> String {
    let out = sb.cmd(args).env("SLUSS_DEBUG", "cache").run().success();
    out.stderr
        .lines()
        .find(|l| l.starts_with("sluss: cache:"))
        .unwrap_or_else(|| panic!("no cache line in:\n{}", out.stderr))
        .to_string()
}

/// The demo twice over (340 cases, several shares per thread and an export of more
/// than one batch of text per core): each published report is byte-identical without
/// the cache on one thread, with a cache being filled, with every case found by its
/// stamp, and with every case found by its bytes after a new checkout, on one thread
/// and on several.
#[test]
fn published_output_is_the_same_with_and_without_the_cache_on_any_number_of_threads() {
    let sb = Sandbox::demo(2);
    assert_eq!(sb.case_ids().len(), 340);
    age_cases(&sb, 3600);
    for args in PUBLISHED {
        let one = published(&sb, args, "1", false);
        let differs = |how: &str, other: &(i32, String, String)| {
            assert!(
                *other == one,
                "`sluss {}` differs {how} from one thread without the cache:\n\
                 --- without\n{}\n{}\n--- {how}\n{}\n{}",
                args.join(" "),
                one.1,
                one.2,
                other.1,
                other.2
            );
        };
        differs("on four threads", &published(&sb, args, "4", false));
        fs::remove_dir_all(sb.path(".sluss/cache")).ok();
        differs("filling the cache", &published(&sb, args, "3", true));
        differs(
            "from the cache on one thread",
            &published(&sb, args, "1", true),
        );
        differs(
            "from the cache on two threads",
            &published(&sb, args, "2", true),
        );
        // A new checkout: every file a new time, the same bytes.
        age_cases(&sb, 7200);
        differs(
            "by content on three threads",
            &published(&sb, args, "3", true),
        );
    }
    // The first look took every case from the cache.
    for args in [
        &["export", "--redact"][..],
        &["summary", "--public"],
        &["digest", "--since", "2019-01-01"],
    ] {
        let line = cache_line(&sb, args);
        assert!(
            line.contains("340 found by stamp, 0 by content"),
            "{}: {line}",
            args.join(" ")
        );
    }
}

/// `export --redact -o FILE` writes what it writes to standard output.
#[test]
fn a_redacted_export_to_a_file_is_the_same_as_on_standard_output() {
    let sb = Sandbox::demo(2);
    age_cases(&sb, 3600);
    let shown = sb.run(&["export", "--redact"]).success().stdout;
    sb.run(&["export", "--redact", "-o", "out.json"])
        .success()
        .stderr_has("Wrote out.json");
    assert_eq!(sb.read("out.json"), shown);
    let empty = Sandbox::with_team();
    assert_eq!(
        empty.run(&["export", "--redact"]).success().stdout,
        "[]\n",
        "no case, an empty list"
    );
}

/// Case `a`, whose submitter has not agreed to be named, and case `b`, whose title
/// names two people.
fn two_cases(sb: &Sandbox, submitter: &str) {
    let case = |id: &str, title: &str, submitter: &str, day: &str| {
        format!(
            "id = \"{id}\"\ntitle = \"{title}\"\ncreated = {day}T09:00:00+01:00\n\
             stage = \"inkommen\"\nstatus = \"open\"\ncoach = \"erik\"\nunit = \"Kultur\"\n\n\
             [submitter]\nname = \"{submitter}\"\nconsent = false\n\n\
             [[history]]\nat = {day}T09:30:00+01:00\nby = \"erik\"\ncoach = \"erik\"\n\
             previous_coach = \"\"\n"
        )
    };
    sb.write(
        "cases/aaaa1111.toml",
        &case("aaaa1111", "Ny lekplats", submitter, "2020-05-04"),
    );
    sb.write(
        "cases/bbbb2222.toml",
        &case(
            "bbbb2222",
            "Vidare med Tova Lindqvists och Maxi Ekmans idé",
            "Per Holm",
            "2020-05-06",
        ),
    );
}

/// The facts the cache keeps of a case (here, its submitter's fingerprints) are
/// believed only with the case itself: once the file changes, even to the same size
/// and modification time, the first look reads the file again, so that the new name is
/// hidden and the old one, no longer anyone's, is not.
#[test]
fn the_cache_is_not_believed_about_a_submitter_whose_file_changed() {
    let sb = Sandbox::with_team();
    two_cases(&sb, "Tova Lindqvist");
    age_cases(&sb, 3600);
    let commands: [&[&str]; 3] = [
        &["export", "--redact"],
        &["digest", "--since", "2020-05-01", "--format", "json"],
        &["summary", "--public", "--format", "json"],
    ];
    let before: Vec<String> = commands
        .iter()
        .map(|args| sb.run(args).success().stdout)
        .collect();
    assert!(
        cache_line(&sb, &["export", "--redact"]).contains("2 found by stamp"),
        "the cache holds both cases"
    );
    for out in &before[..2] {
        assert!(
            !out.contains("Tova") && out.contains("Maxi Ekmans"),
            "{out}"
        );
    }
    // The same length, and the old modification time back.
    let path = sb.path("cases/aaaa1111.toml");
    let old_time = fs::metadata(&path).unwrap().modified().unwrap();
    let text = sb.read("cases/aaaa1111.toml");
    let renamed = text.replace("Tova Lindqvist", "Maxi Ekman    ");
    assert_eq!(renamed.len(), text.len());
    fs::write(&path, renamed).unwrap();
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(old_time)
        .unwrap();
    for (args, before) in commands.iter().zip(&before) {
        let out = sb.run(args).success().stdout;
        let without = sb
            .cmd(args)
            .env("SLUSS_NO_CACHE", "1")
            .run()
            .success()
            .stdout;
        assert_eq!(out, without, "{}", args.join(" "));
        if args[0] != "summary" {
            assert!(
                out.contains("Tova Lindqvists") && !out.contains("Maxi"),
                "{}:\n{out}",
                args.join(" ")
            );
            assert_ne!(&out, before);
        }
    }
}
