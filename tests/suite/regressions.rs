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
    &["summary", "--since", "2018-01-01", "--until", "2019-12-31", "--format", "json"],
    &["summary", "--by", "unit", "--format", "json"],
    &["summary", "--by", "program", "--format", "csv"],
    &["summary", "--by", "tag", "--format", "json"],
    &["summary", "--by", "coach", "--period", "month", "--format", "json"],
    &["summary", "--by", "coach", "--as-of", "2019-09-30"],
    &["summary", "--public", "--format", "json"],
    &["list"],
    &["list", "--format", "json"],
    &["list", "--format", "csv"],
    &["check"],
    &["check", "--format", "json"],
    &["program", "show", "ip2019"],
    &["program", "show", "ip2019", "--format", "json"],
    &["program", "show", "ip2020", "--as-of", "2020-03-01", "--format", "json"],
    &["network", "report"],
    &["network", "report", "--format", "json"],
    &["network", "report", "--as-of", "2019-06-30", "--format", "json"],
    &["maturity", "report"],
    &["maturity", "report", "--format", "json"],
    &["maturity", "report", "--as-of", "2019-06-30", "--format", "json"],
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
        &["list"],
        &["list", "--format", "json"],
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
        assert_eq!(out.stderr, whole.stderr, "`{}` said more on stderr", out.line);
    }
}
