//! Criterion benchmarks of the two costs every report and check pays: parsing case
//! files, and computing the portfolio report from parsed cases. The data is the seeded
//! demo generator's (`examples/generate.rs`), made once into a temporary folder.
//!
//! `cargo bench --bench portfolio`; the whole-program ratios are in `bench/run.sh`.

use std::path::PathBuf;
use std::process::Command;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sluss::domain::Case;
use sluss::report::portfolio::{self, Input, Options, Period};
use sluss::storage::Repo;

/// A portfolio of `n` cases made by the generator, and the repository opened on it.
fn portfolio(n: usize) -> (tempfile::TempDir, Repo) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let status = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--release", "--example", "generate", "--"])
        .args(["--cases", &n.to_string(), "--seed", "1", "--out"])
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .status()
        .expect("cargo runs the generator");
    assert!(status.success(), "the generator failed");
    let repo = Repo::open(dir.path()).expect("a repository");
    (dir, repo)
}

fn benches(c: &mut Criterion) {
    let (_dir, repo) = portfolio(2_000);
    let files: Vec<PathBuf> = repo.case_files().unwrap();
    let texts: Vec<String> = files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();

    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("2000 case files", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| Case::from_toml(t).unwrap().sessions.len())
                .sum::<usize>()
        })
    });
    group.finish();

    let cases: Vec<Case> = texts.iter().map(|t| Case::from_toml(t).unwrap()).collect();
    let inputs: Vec<Input> = cases
        .iter()
        .map(|case| Input { repo: "demo", case })
        .collect();
    let options = Options {
        day: chrono::NaiveDate::from_ymd_opt(2020, 6, 30).unwrap(),
        replay: false,
        since: None,
        until: None,
        period: Period::Quarter,
        by: None,
        attention_limit: 10,
    };
    let mut group = c.benchmark_group("aggregate");
    group.throughput(Throughput::Elements(cases.len() as u64));
    group.bench_function("report of 2000 cases", |b| {
        b.iter(|| portfolio::compute(&inputs, &repo.config, &options, 0).total)
    });
    let replayed = Options {
        replay: true,
        ..options.clone()
    };
    group.bench_function("report of 2000 cases, replayed as of a day", |b| {
        b.iter(|| portfolio::compute(&inputs, &repo.config, &replayed, 0).total)
    });
    group.finish();

    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Elements(files.len() as u64));
    group.bench_function("read and parse 2000 files in parallel", |b| {
        b.iter(|| repo.load().unwrap().cases.len())
    });
    group.finish();
}

criterion_group!(portfolio_benches, benches);
criterion_main!(portfolio_benches);
