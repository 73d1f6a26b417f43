//! `sluss summary`: the portfolio report for coaches, leaders and CI.

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;

use super::OutputArgs;
use crate::context::Context;
use crate::context::parse_cli_date;
use crate::domain::names::Fingerprint;
use crate::domain::{AsOfSource, Config};
use crate::output::Format;
use crate::privacy;
use crate::report::portfolio::{Accumulator, GroupBy, Input, Options, Period, Report};
use crate::report::render;
use crate::storage::{Portfolio, Repo};

/// The portfolio report: funnel, flow, coaching, breakdowns and the attention list.
///
/// `--format json` keeps the summary contract of the case-format spec and extends it.
/// Give --repo several times to sum a region's repositories.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Report the portfolio as it stood at the end of this day (YYYY-MM-DD, today, igår,
    /// -3d, måndag …), replaying each case's history, so that an old report can be made
    /// again identically (default: `[reports] as_of` in sluss.toml, else today).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = parse_cli_date)]
    pub as_of: Option<NaiveDate>,
    /// Start of the throughput window (YYYY-MM-DD, today, igår, -3d, måndag …; default:
    /// the first case).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = parse_cli_date)]
    pub since: Option<NaiveDate>,
    /// End of the throughput window (a DATE as for --since; default: the report's day).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = parse_cli_date)]
    pub until: Option<NaiveDate>,
    /// Throughput per month or per quarter.
    #[arg(long, value_enum, default_value = "quarter")]
    pub period: Period,
    /// Also break the figures down per unit, program, tag or coach.
    #[arg(long, value_enum)]
    pub by: Option<GroupBy>,
    /// How many cases the "waiting longest" list shows.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
    /// For publication: coaches without `consent = true` in sluss.toml appear as
    /// "coach-1", "coach-2", …
    #[arg(long)]
    pub public: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let format = args.output.report_format()?;
    let repos = ctx.open_repos()?;
    let (as_of, as_of_from) = report_as_of(&repos, args.as_of);
    let as_of = super::check_as_of(ctx, (as_of, as_of_from))?;
    super::check_window(args.since, args.until, as_of)?;
    let mut options = Options {
        day: as_of.unwrap_or_else(|| ctx.today()),
        replay: as_of.is_some(),
        since: args.since,
        until: args.until,
        period: args.period,
        by: args.by,
        attention_limit: args.top,
    };
    let mut config = combined_config(&repos)?;
    // Unit spellings that fold alike are one unit, across every repository.
    let units: Vec<String> = repos
        .iter()
        .flat_map(|r| r.glance(|_| true, |c| Some(c.unit.clone())))
        .collect();
    config.learn_unit_spellings(units.iter().map(String::as_str));
    // A region's report speaks one language: the first repository's, said when another
    // chose otherwise and --lang does not decide.
    if ctx.lang.is_none()
        && let Some(other) = repos
            .iter()
            .find(|r| r.config.language != repos[0].config.language)
    {
        crate::output::safe_eprintln!(
            "warning: {} and {} choose different languages in sluss.toml; the report speaks the first one's (give --lang to choose)",
            repos[0].root.display(),
            other.root.display()
        );
    }
    let mut report = if args.public {
        public_report(&repos, &mut config, &mut options, as_of.is_none(), ctx)?
    } else {
        let (report, latest) = streamed_report(&repos, &config, &options, ctx)?;
        // Without --as-of the report's day is today in the offsets the cases are
        // written in (see `Case::report_day`), which is known once they are read:
        // counted again in the rare hours when it is not the clock's own day.
        if as_of.is_none() && latest > options.day {
            options.day = latest;
            streamed_report(&repos, &config, &options, ctx)?.0
        } else {
            report
        }
    };
    report.as_of_from = as_of_from;
    if args.until.is_none() && as_of.is_none() {
        super::check_default_end(args.since, report.flow.until)?;
    }
    let text = match format {
        Format::Json => crate::output::json(&report),
        Format::Csv => render::csv::render(&report),
        _ => {
            let lang = ctx.lang(&config);
            let layout = args.output.layout();
            // Only a table on a terminal has a width to fit; Markdown and HTML keep all.
            let width = layout.width.filter(|_| format == Format::Table);
            let doc = crate::report::portfolio::document::document(
                &report,
                &config,
                lang,
                ctx.today(),
                width,
            );
            crate::document::render(&doc, format, layout)
        }
    };
    args.output.deliver(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The day the report describes: `--as-of`, else `[reports] as_of` of sluss.toml. A
/// region's repositories must agree on that setting for it to count; when they do not,
/// the report is of today, with a warning.
fn report_as_of(repos: &[Repo], flag: Option<NaiveDate>) -> (Option<NaiveDate>, AsOfSource) {
    let each: Vec<(Option<NaiveDate>, AsOfSource)> =
        repos.iter().map(|r| r.config.report_as_of(flag)).collect();
    match each.as_slice() {
        [first, rest @ ..] if rest.iter().all(|d| d == first) => *first,
        _ => {
            crate::output::safe_eprintln!(
                "warning: the repositories do not agree on [reports] as_of in sluss.toml; \
                 the report is of today (give --as-of DATE to choose a day)"
            );
            (None, AsOfSource::Today)
        }
    }
}

/// The report without holding the cases: each thread counts its share of the files as
/// they are read (from the cache where it can), and the counts are merged in file order.
/// Also returns the report's day without `--as-of` (see
/// [`crate::domain::Case::report_day`]).
fn streamed_report(
    repos: &[Repo],
    config: &Config,
    options: &Options,
    ctx: &Context,
) -> Result<(Report, NaiveDate)> {
    let mut whole = Accumulator::new(config, options);
    let mut latest = ctx.today();
    let mut skipped = 0;
    for repo in repos {
        let label = repo_label(repo, repos);
        let (parts, broken) = repo.fold_for_report(
            || (Accumulator::new(config, options), NaiveDate::MIN),
            |(acc, latest), _, case| {
                *latest = (*latest).max(case.today_at(ctx.now));
                acc.add(Input {
                    repo: &label,
                    case: &case,
                })
            },
        )?;
        let broken = Portfolio {
            cases: Vec::new(),
            broken,
        };
        super::warn_broken(&broken);
        skipped += broken.broken.len();
        for (part, part_latest) in parts {
            whole.merge(part);
            latest = latest.max(part_latest);
        }
    }
    Ok((whole.finish(skipped), latest))
}

/// The report for publication: coaches pseudonymised and the names of those who have not
/// consented kept out of the text, which needs to know every case before any is counted.
/// A first look at every case ([`Repo::survey_for_report`]) gives the coach keys and the
/// submitters' fingerprints (from the cache without decoding the cases, where it can);
/// then each case is made fit for publication and counted as `streamed_report` does,
/// and let go.
fn public_report(
    repos: &[Repo],
    config: &mut Config,
    options: &mut Options,
    today_by_records: bool,
    ctx: &Context,
) -> Result<Report> {
    #[derive(Default)]
    struct Share {
        coaches: std::collections::BTreeSet<String>,
        prints: Vec<Fingerprint>,
        latest: Option<NaiveDate>,
    }
    let mut surveys = Vec::new();
    let mut shares: Vec<Share> = Vec::new();
    let mut skipped = 0;
    let mut others = Vec::new();
    for repo in repos {
        others.extend(super::people_recorded(repo)?);
        let (mut survey, notes) = repo.survey_for_report(Share::default, |share, _, facts| {
            for key in &facts.coaches {
                if !share.coaches.contains(*key) {
                    share.coaches.insert(key.to_string());
                }
            }
            share
                .prints
                .extend(facts.unconsented_prints().iter().cloned());
            share.latest = share.latest.max(Some(facts.today_at(ctx.now)));
        })?;
        let broken = Portfolio {
            cases: Vec::new(),
            broken: survey.take_broken(),
        };
        super::warn_broken(&broken);
        skipped += broken.broken.len();
        surveys.push((repo_label(repo, repos), survey));
        shares.extend(notes);
    }
    // Over every case at once, so that a pseudonym means one coach in the whole report.
    let publication = privacy::Publication::prepare_from(
        config,
        shares
            .iter()
            .flat_map(|s| s.coaches.iter().map(String::as_str)),
        shares.iter().flat_map(|s| &s.prints),
        &others,
    );
    if today_by_records {
        // As `Case::report_day`.
        options.day = shares
            .iter()
            .filter_map(|s| s.latest)
            .fold(ctx.now.date_naive(), NaiveDate::max);
    }
    let (config, options, publication) = (&*config, &*options, &publication);
    // Each thread makes its share fit for publication and counts it; the counts merged
    // in file order, as `streamed_report` does.
    let mut whole = Accumulator::new(config, options);
    for (label, survey) in surveys {
        let (parts, broken) = survey.fold(
            || Accumulator::new(config, options),
            |acc, _, mut case| {
                publication.apply(&mut case);
                acc.add(Input {
                    repo: label.as_str(),
                    case: &case,
                });
            },
        );
        // Only a file that changed or vanished since the first look.
        let broken = Portfolio {
            cases: Vec::new(),
            broken,
        };
        super::warn_broken(&broken);
        skipped += broken.broken.len();
        for part in parts {
            whole.merge(part);
        }
        survey.finish();
    }
    Ok(whole.finish(skipped))
}

/// A repository's name in a regional report: its portfolio name, made unique by its
/// folder when two share a name.
fn repo_label(repo: &Repo, all: &[Repo]) -> String {
    let same = all
        .iter()
        .filter(|r| r.config.name == repo.config.name)
        .count();
    if same > 1 {
        format!("{} ({})", repo.config.name, repo.root.display())
    } else {
        repo.config.name.clone()
    }
}

/// One configuration for several repositories: the pipeline must agree; coaches and
/// programs are pooled.
fn combined_config(repos: &[Repo]) -> Result<Config> {
    let mut config = repos[0].config.clone();
    if repos.len() == 1 {
        return Ok(config);
    }
    for repo in &repos[1..] {
        if repo.config.stage_keys() != config.stage_keys() {
            return Err(crate::Error::usage(
                format!(
                    "{} has the stages {} but {} has {}",
                    repo.root.display(),
                    repo.config.stage_keys().join(" "),
                    repos[0].root.display(),
                    config.stage_keys().join(" ")
                ),
                "a regional summary needs one pipeline; align the [[stages]] keys in sluss.toml",
            )
            .into());
        }
        for c in &repo.config.coaches {
            if config.coach(&c.key).is_none() {
                config.coaches.push(c.clone());
            }
        }
        for p in &repo.config.programs {
            if config.program(&p.key).is_none() {
                config.programs.push(p.clone());
            }
        }
    }
    config.coaches.sort_by(|a, b| a.key.cmp(&b.key));
    config.programs.sort_by(|a, b| a.key.cmp(&b.key));
    config.name = repos
        .iter()
        .map(|r| r.config.name.as_str())
        .collect::<Vec<_>>()
        .join(" + ");
    Ok(config)
}
