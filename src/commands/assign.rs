//! `sluss assign` and `sluss unassign`: give a case to a coach, or take it from one.

use std::process::ExitCode;

use anyhow::Result;

use crate::context::Context;
use crate::domain::change;

/// Give a case to a coach (or take it away with --none), recorded in history.
///
/// A coach who has left (`sluss coach retire`) is refused.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case id, or a unique prefix of it.
    pub id: String,
    #[command(flatten)]
    pub actor: super::WriteArgs,
    /// A coach from sluss.toml, by key or name.
    #[arg(required_unless_present = "none", conflicts_with = "none")]
    pub coach: Option<String>,
    /// Take the case from its coach (as `sluss unassign ID`).
    #[arg(long)]
    pub none: bool,
    /// Why, recorded in history.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

/// Take a case from its coach; the change is recorded in history (`coach = ""`).
#[derive(Debug, clap::Args)]
pub struct UnassignArgs {
    /// The case id, or a unique prefix of it.
    pub id: String,
    #[command(flatten)]
    pub actor: super::WriteArgs,
    /// Why, recorded in history.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    super::change_case(ctx, &args.id, &args.actor, |repo, actor, case| {
        match args.coach.as_deref().filter(|_| !args.none) {
            Some(coach) => change::assign(case, &repo.config, coach, args.note.as_deref(), actor),
            None => change::unassign(case, args.note.as_deref(), actor),
        }
    })
}

pub fn unassign(ctx: &Context, args: UnassignArgs) -> Result<ExitCode> {
    super::change_case(ctx, &args.id, &args.actor, |_, actor, case| {
        change::unassign(case, args.note.as_deref(), actor)
    })
}
