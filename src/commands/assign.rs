//! `sluss assign`: give a case to a coach.

use std::process::ExitCode;

use anyhow::Result;

use crate::context::Context;
use crate::domain::change;

/// Give a case to a coach; the change is recorded in history.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case id, or a unique prefix of it.
    pub id: String,
    #[command(flatten)]
    pub actor: super::WriteArgs,
    /// A coach key from sluss.toml.
    pub coach: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    super::change_case(ctx, &args.id, &args.actor, |repo, actor, case| {
        change::assign(case, &repo.config, &args.coach, actor)
    })
}
