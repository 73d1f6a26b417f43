//! `sluss summary`: the portfolio at a glance.

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;

use crate::context::Context;
use crate::domain::datetime::parse_cli_date;
use crate::output::{self, Format};
use crate::report::summary;

/// The portfolio at a glance: cases per stage and status, coaching time per coach.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Report the portfolio as it stood at the end of this day (YYYY-MM-DD), replaying
    /// each case's history.
    #[arg(long, value_name = "DATE", value_parser = parse_cli_date)]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    super::require_format(args.format, &[Format::Table, Format::Json])?;
    let repo = ctx.open_repo()?;
    let portfolio = repo.load()?;
    super::warn_broken(&portfolio);
    let day = args.as_of.unwrap_or_else(|| ctx.today());
    let report = summary::compute(
        portfolio.cases.iter().map(|c| &c.case),
        &repo.config,
        day,
        args.as_of.is_some(),
        portfolio.broken.len(),
    );
    let text = match args.format {
        Format::Json => output::json(&report),
        _ => summary::render_table(&report, &repo.config),
    };
    output::emit(&text)?;
    Ok(ExitCode::SUCCESS)
}
