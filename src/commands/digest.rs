//! `sluss digest`: the newsletter of what happened in a period.

use std::process::ExitCode;

use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, Result};
use chrono::NaiveDate;

use super::OutputArgs;
use crate::context::Context;
use crate::context::parse_cli_date;
use crate::domain::Status;
use crate::domain::names::Fingerprint;
use crate::output::{self, Format};
use crate::privacy;
use crate::report::digest;
use crate::storage::{Portfolio, Repo};

/// The newsletter: new ideas, ideas that moved on, ideas implemented.
///
/// Published output: a submitter is named only with `consent = true`; otherwise the
/// unit alone says where the idea came from.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// First day of the period (YYYY-MM-DD, today, igår, -3d, måndag …).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = parse_cli_date)]
    pub since: NaiveDate,
    /// Last day of the period (a DATE as for --since; default: today).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = parse_cli_date)]
    pub until: Option<NaiveDate>,
    #[command(flatten)]
    pub output: OutputArgs<super::formats::MarkdownHtmlJson>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let format = args.output.format(
        Format::Markdown,
        &[Format::Markdown, Format::Html, Format::Json, Format::Table],
    )?;
    super::check_window(Some(args.since), args.until, None)?;
    let repo = ctx.open_repo_units()?;
    // A first look at every case (from the cache, without decoding the cases, where it
    // can) tells the report's day, the names of submitters who have not agreed to be
    // named (the cache keeps their fingerprints), and which cases have a day on or after
    // --since (the others cannot appear). Only those are then read, without their
    // sessions (a digest shows none).
    let since = args.since;
    let (mut survey, shares) = repo.survey_for_report(Share::default, |share, at, facts| {
        share.latest = share.latest.max(facts.today_at(ctx.now));
        share
            .prints
            .extend(facts.unconsented_prints().iter().cloned());
        if facts.active_since(since) {
            share.wanted.push(at);
        } else if facts.status == Status::Open {
            // Nothing after --since: open on the period's last day as it is now.
            share.open += 1;
        }
    })?;
    super::warn_broken(&Portfolio {
        cases: Vec::new(),
        broken: survey.take_broken(),
    });
    // Without --until, the window ends on the report day of sluss.toml's
    // `[reports] as_of`, else today.
    let until = args
        .until
        .or(super::check_as_of(ctx, repo.config.report_as_of(None))?)
        .unwrap_or_else(|| {
            shares
                .iter()
                .map(|s| s.latest)
                .fold(ctx.now.date_naive(), NaiveDate::max)
        });
    if args.until.is_none() {
        super::check_default_end(Some(args.since), until)?;
    }
    // Published output: people who have not agreed to be named are not named in the
    // titles and descriptions it quotes either.
    let others = super::people_recorded(&repo)?;
    let mut names = privacy::names_to_hide(&repo.config, std::iter::empty(), &others, true);
    for print in shares.iter().flat_map(|s| &s.prints) {
        names.insert_fingerprint(print);
    }
    let open_elsewhere = shares.iter().map(|s| s.open).sum();
    let wanted: Vec<usize> = shares.into_iter().flat_map(|s| s.wanted).collect();
    survey.without_sessions();
    // Each case is made fit for publication and noted as it is read, then let go.
    let config = &repo.config;
    let (parts, broken) = survey.fold_over(
        &wanted,
        digest::Gathered::default,
        |gathered, _, mut case| {
            privacy::hide_names(&mut case, &names);
            gathered.add(&case, config, args.since, until);
        },
    );
    // Only a file that changed or vanished since the first look.
    super::warn_broken(&Portfolio {
        cases: Vec::new(),
        broken,
    });
    survey.finish();
    let mut gathered = digest::Gathered::default();
    for part in parts {
        gathered.merge(part);
    }
    let d = gathered
        .finish(config, args.since, until)
        .count_open_elsewhere(open_elsewhere);
    let text = match format {
        Format::Json => output::json(&d),
        _ => {
            let words = words(&repo)?;
            let doc = digest::document(&d, &words, ctx.lang(&repo.config), ctx.now.date_naive());
            crate::document::render(&doc, format, args.output.layout())
        }
    };
    args.output.deliver(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// What one thread learns from its share of the cases (see [`run`]).
struct Share {
    prints: Vec<Fingerprint>,
    latest: NaiveDate,
    /// Open cases that cannot appear in the digest, for its headline numbers.
    open: usize,
    /// The places of the cases with a day on or after --since.
    wanted: Vec<usize>,
}

impl Default for Share {
    fn default() -> Share {
        Share {
            prints: Vec::new(),
            latest: NaiveDate::MIN,
            open: 0,
            wanted: Vec::new(),
        }
    }
}

/// The newsletter's own words from `[digest]` in sluss.toml: `intro`, `closing` and
/// `contact`, or a `template` file inside the repository that holds the introduction
/// and the closing (a key set beside it wins over the file).
fn words(repo: &Repo) -> Result<digest::Words> {
    let settings = &repo.config.digest;
    let mut words = match &settings.template {
        Some(rel) => {
            let path = template_path(repo, rel)?;
            let text = repo.read_text(&path).with_context(|| {
                format!("reading the digest template that sluss.toml names ([digest] template = \"{rel}\")")
            })?;
            digest::words_from_template(&text)
        }
        None => digest::Words::default(),
    };
    let own = |text: &Option<String>| text.clone().filter(|t| !t.trim().is_empty());
    words.intro = own(&settings.intro).or(words.intro);
    words.closing = own(&settings.closing).or(words.closing);
    words.contact = own(&settings.contact).or(words.contact);
    Ok(words)
}

/// The digest's template file, when sluss.toml names one inside the repository and it
/// is there (for `forget` and `check`, which look for names in it).
pub fn template_file(repo: &Repo) -> Option<PathBuf> {
    let rel = repo.config.digest.template.as_deref()?;
    template_path(repo, rel).ok().filter(|p| p.is_file())
}

/// The template's path: relative to sluss.toml and inside the repository, so that a
/// shared sluss.toml cannot make the digest print a file from elsewhere.
fn template_path(repo: &Repo, rel: &str) -> Result<PathBuf> {
    let path = Path::new(rel);
    let inside = !rel.trim().is_empty()
        && path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !inside {
        return Err(crate::Error::usage(
            format!(
                "sluss.toml: [digest] template = \"{rel}\" is not a path inside the repository"
            ),
            "name a file relative to sluss.toml, such as template = \"digest.txt\"",
        )
        .into());
    }
    Ok(repo.root.join(path))
}
