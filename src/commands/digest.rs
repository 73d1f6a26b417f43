//! `sluss digest`: the newsletter of what happened in a period.

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;

use super::OutputArgs;
use crate::context::Context;
use crate::domain::datetime::parse_cli_date;
use crate::output::{self, Format};
use crate::privacy;
use crate::report::digest::{self, Lang};

/// The newsletter: new ideas, ideas that moved on, ideas implemented.
///
/// Published output: a submitter is named only with `consent = true`; otherwise the
/// unit alone says where the idea came from.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// First day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_cli_date)]
    pub since: NaiveDate,
    /// Last day of the period (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_cli_date)]
    pub until: Option<NaiveDate>,
    /// The language of the headings, for the newsletter's readers.
    #[arg(long, value_enum, default_value = "sv")]
    pub lang: Lang,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let format = args.output.format(
        Format::Markdown,
        &[Format::Markdown, Format::Html, Format::Json],
    )?;
    super::check_window(Some(args.since), args.until, None)?;
    let repo = ctx.open_repo()?;
    // The cache holds all a digest shows: consenting submitters' names, and fingerprints
    // of the others' for keeping them out of the text.
    let mut portfolio = repo.load_for_report()?;
    super::warn_broken(&portfolio);
    let until = args.until.unwrap_or_else(|| {
        crate::domain::Case::report_day(ctx.now, portfolio.cases.iter().map(|c| &c.case))
    });
    if args.until.is_none() {
        super::check_default_end(Some(args.since), until)?;
    }
    // Published output: people who have not agreed to be named are not named in the
    // titles and descriptions it quotes either.
    let others = super::people_recorded(&repo)?;
    let names = privacy::names_to_hide(
        &repo.config,
        portfolio.cases.iter().map(|c| &c.case),
        &others,
        true,
    );
    crate::parallel::for_each_mut(&mut portfolio.cases, |c| {
        privacy::hide_names(&mut c.case, &names)
    });
    let d = digest::compute(
        portfolio.cases.iter().map(|c| &c.case),
        &repo.config,
        args.since,
        until,
    );
    let text = match format {
        Format::Html => digest::render_html(&d, args.lang),
        Format::Json => output::json(&d),
        _ => digest::render_markdown(&d, args.lang),
    };
    args.output.deliver(&text)?;
    Ok(ExitCode::SUCCESS)
}
