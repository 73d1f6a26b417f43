//! The case cache under `.sluss/cache/` is invisible: reports give the same answers with
//! it, without it and with a broken one; it notices changed files; `check` still reads
//! every file; and it holds no personal data.

use std::fs;
use std::time::{Duration, SystemTime};

use crate::common::Sandbox;

const CACHE: &str = ".sluss/cache";

/// The bytes of every cache file.
fn cache_bytes(sb: &Sandbox) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in fs::read_dir(sb.path(CACHE)).unwrap() {
        all.extend(fs::read(entry.unwrap().path()).unwrap());
    }
    all
}

/// A portfolio of three cases whose files are an hour old, so the cache takes them
/// (files changed in the last moments are never cached).
fn portfolio() -> (Sandbox, Vec<String>) {
    let sb = Sandbox::with_team();
    let mut ids = Vec::new();
    for (i, title) in ["Matsedel", "Cykelpool", "Språkcafé"].iter().enumerate() {
        let id = sb.new_case(title, &["--coach", "erik"]);
        sb.run(&[
            "session",
            &id,
            "--minutes",
            &format!("{}", 30 + i * 15),
            "--notes",
            "Ringde Anna Berg om idén",
        ])
        .success();
        ids.push(id);
    }
    age_files(&sb);
    (sb, ids)
}

fn age_files(sb: &Sandbox) {
    age_files_by(sb, 3600);
}

/// Gives every case file the time `seconds` ago, as a checkout does (bytes unchanged).
fn age_files_by(sb: &Sandbox, seconds: u64) {
    let then = SystemTime::now() - Duration::from_secs(seconds);
    for entry in fs::read_dir(sb.path("cases")).unwrap() {
        let file = fs::File::options()
            .write(true)
            .open(entry.unwrap().path())
            .unwrap();
        file.set_modified(then).unwrap();
    }
}

/// What the cache says it did, on standard error under `SLUSS_DEBUG=cache`.
fn cache_debug(sb: &Sandbox, args: &[&str]) -> String {
    let out = sb.cmd(args).env("SLUSS_DEBUG", "cache").run().success();
    out.stderr
        .lines()
        .find(|l| l.starts_with("sluss: cache:"))
        .unwrap_or_else(|| panic!("no cache line in:\n{}", out.stderr))
        .to_string()
}

fn summary(sb: &Sandbox) -> String {
    sb.run(&["summary", "--format", "json"]).success().stdout
}

fn summary_without_cache(sb: &Sandbox) -> String {
    sb.cmd(&["summary", "--format", "json"])
        .env("SLUSS_NO_CACHE", "1")
        .run()
        .success()
        .stdout
}

#[test]
fn reports_are_the_same_with_without_and_with_a_broken_cache() {
    let (sb, _) = portfolio();
    let without = summary_without_cache(&sb);
    assert!(!sb.path(CACHE).exists(), "SLUSS_NO_CACHE=1 writes no cache");
    let first = summary(&sb);
    assert!(sb.path(CACHE).exists(), "the first report fills the cache");
    let second = summary(&sb);
    assert_eq!(first, without);
    assert_eq!(second, without);
    let listed = sb.run(&["list", "--format", "csv"]).success().stdout;
    for entry in fs::read_dir(sb.path(CACHE)).unwrap() {
        fs::write(entry.unwrap().path(), b"\x00\x01 not a cache at all").unwrap();
    }
    assert_eq!(
        summary(&sb),
        without,
        "a broken cache is rebuilt, not believed"
    );
    assert_eq!(
        sb.run(&["list", "--format", "csv"]).success().stdout,
        listed
    );
}

#[test]
fn a_cut_short_cache_or_one_of_another_version_is_not_believed() {
    let (sb, _) = portfolio();
    let without = summary_without_cache(&sb);
    summary(&sb);
    let whole = cache_bytes(&sb);
    // Cut just before the last encoded case: the index still reads, but points past the end.
    let files: Vec<_> = fs::read_dir(sb.path(CACHE)).unwrap().collect();
    assert_eq!(files.len(), 1, "one cache file");
    let file = files.into_iter().next().unwrap().unwrap().path();
    fs::write(&file, &whole[..whole.len() - 20]).unwrap();
    assert_eq!(summary(&sb), without, "a cut-short cache is not believed");
    assert_eq!(cache_bytes(&sb), whole, "and is mended by the next report");
    // A file an older sluss left behind is removed when the cache is next written.
    let old = sb.path(CACHE).join("cases-v4-00.bin");
    fs::write(&old, b"old").unwrap();
    fs::remove_file(&file).unwrap();
    assert_eq!(summary(&sb), without);
    assert!(!old.exists(), "the old version's file is removed");
    assert_eq!(cache_bytes(&sb), whole);
}

#[test]
fn files_checked_out_again_are_known_by_their_bytes_and_restamped() {
    let (sb, _) = portfolio();
    assert_eq!(
        cache_debug(&sb, &["summary"]),
        "sluss: cache: 0 found by stamp, 0 by content (0 restamped), 3 stored afresh, 0 dropped"
    );
    assert_eq!(
        cache_debug(&sb, &["summary"]),
        "sluss: cache: 3 found by stamp, 0 by content (0 restamped), 0 stored afresh, 0 dropped; not rewritten"
    );
    // A fresh checkout gives the same bytes a new time: the report
    // reads them, finds them unchanged and parses nothing.
    age_files_by(&sb, 7200);
    let without = summary_without_cache(&sb);
    assert_eq!(
        cache_debug(&sb, &["summary"]),
        "sluss: cache: 0 found by stamp, 3 by content (3 restamped), 0 stored afresh, 0 dropped"
    );
    assert_eq!(
        cache_debug(&sb, &["summary"]),
        "sluss: cache: 3 found by stamp, 0 by content (0 restamped), 0 stored afresh, 0 dropped; not rewritten"
    );
    assert_eq!(summary(&sb), without);
    // check, which always compares bytes, restamps too, so reports after it go by stamp.
    age_files_by(&sb, 10800);
    assert_eq!(
        cache_debug(&sb, &["check"]),
        "sluss: cache: 0 found by stamp, 3 by content (3 restamped), 0 stored afresh, 0 dropped"
    );
    assert!(cache_debug(&sb, &["summary"]).contains("3 found by stamp"));
}

#[test]
fn a_changed_or_removed_case_is_read_again() {
    let (sb, ids) = portfolio();
    let before = summary(&sb);
    sb.run(&["session", &ids[0], "--minutes", "45"]).success();
    let after: serde_json::Value = serde_json::from_str(&summary(&sb)).unwrap();
    let before: serde_json::Value = serde_json::from_str(&before).unwrap();
    assert_eq!(
        after["coaching"]["minutes"],
        before["coaching"]["minutes"].as_u64().unwrap() + 45
    );
    fs::remove_file(sb.path(&Sandbox::case_rel(&ids[1]))).unwrap();
    let after: serde_json::Value = serde_json::from_str(&summary(&sb)).unwrap();
    assert_eq!(after["total"], 2);
}

#[test]
fn check_reads_every_file_even_when_size_and_time_are_unchanged() {
    let (sb, ids) = portfolio();
    sb.run(&["check"]).success();
    summary(&sb);
    // The same length, the same modification time, different bytes: a stamp cannot
    // tell, but check compares the bytes themselves.
    let rel = Sandbox::case_rel(&ids[2]);
    let text = sb
        .read(&rel)
        .replace("stage = \"inkommen\"", "stage = \"inkomxen\"");
    fs::write(sb.path(&rel), text).unwrap();
    age_files(&sb);
    sb.run(&["check"])
        .failure(1)
        .stdout_has("stage 'inkomxen' is not defined");
}

#[test]
fn the_cache_holds_no_personal_data_or_notes() {
    let (sb, _) = portfolio();
    summary(&sb);
    sb.run(&["check"]).success();
    let bytes = cache_bytes(&sb);
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("Matsedel"), "titles are cached");
    assert!(
        !text.contains("Anna Berg"),
        "no submitter's name and no note in the cache"
    );
    assert!(!text.contains("Ringde"));
}

#[test]
fn the_cache_stays_out_of_git() {
    let (sb, _) = portfolio();
    sb.git(&["init", "--quiet"]);
    summary(&sb);
    assert!(sb.path(CACHE).exists());
    let out = std::process::Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=all"])
        .current_dir(sb.root())
        .output()
        .unwrap();
    let status = String::from_utf8(out.stdout).unwrap();
    assert!(!status.contains(".sluss"), "git sees the cache:\n{status}");
}

#[test]
fn switching_branches_is_seen_by_the_next_report() {
    let (sb, ids) = portfolio();
    let git = |args: &[&str]| {
        let mut all = vec!["-c", "user.name=Test", "-c", "user.email=t@example.org"];
        all.extend_from_slice(args);
        sb.git(&all);
    };
    git(&["init", "--quiet", "--initial-branch", "main"]);
    git(&["add", "-A"]);
    git(&["commit", "--quiet", "-m", "portfolio"]);
    git(&["checkout", "--quiet", "-b", "more"]);
    sb.run(&["session", &ids[0], "--minutes", "45"]).success();
    git(&["commit", "--quiet", "-am", "a session"]);
    git(&["checkout", "--quiet", "main"]);
    age_files(&sb);
    let minutes = |sb: &Sandbox| -> u64 {
        let s: serde_json::Value = serde_json::from_str(&summary(sb)).unwrap();
        s["coaching"]["minutes"].as_u64().unwrap()
    };
    let on_main = minutes(&sb);
    assert!(cache_debug(&sb, &["summary"]).contains("3 found by stamp"));
    // The checkout rewrites the case: its new time or bytes tell the cache.
    git(&["checkout", "--quiet", "more"]);
    assert_eq!(minutes(&sb), on_main + 45);
    git(&["checkout", "--quiet", "main"]);
    assert_eq!(minutes(&sb), on_main);
    assert_eq!(summary(&sb), summary_without_cache(&sb));
}

#[test]
fn forget_leaves_no_copy_of_the_name_in_the_cache() {
    let (sb, _) = portfolio();
    sb.new_case("Anna Bergs idé om matsedel", &[]);
    age_files(&sb);
    summary(&sb);
    let before = String::from_utf8_lossy(&cache_bytes(&sb)).into_owned();
    assert!(before.contains("Anna Berg"), "the title is cached");
    // A dry run changes nothing, the cache included.
    sb.run(&["forget", "Anna Berg", "--dry-run"]).success();
    assert!(String::from_utf8_lossy(&cache_bytes(&sb)).contains("Anna Berg"));
    sb.run(&["forget", "Anna Berg"]).success();
    assert!(!sb.path(CACHE).exists(), "forget removes the cache");
    age_files(&sb);
    summary(&sb);
    let after = String::from_utf8_lossy(&cache_bytes(&sb)).into_owned();
    assert!(!after.contains("Anna Berg"), "{after}");
    assert!(after.contains("[removed] idé om matsedel"));
}
