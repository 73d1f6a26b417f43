//! `sluss advance`: move a case on through the pipeline.

use std::process::ExitCode;

use anyhow::Result;

use crate::context::Context;
use crate::domain::change;

/// Move a case to the next stage, or to any stage with --to.
///
/// The gate of every stage entered must be met; --force overrides a gate and needs
/// --note saying why. Moving back needs --note.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case id, or a unique prefix of it.
    pub id: String,
    #[command(flatten)]
    pub actor: super::WriteArgs,
    /// The stage to move to (a stage key from sluss.toml).
    #[arg(long, value_name = "STAGE")]
    pub to: Option<String>,
    /// Why, recorded in history.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Move even though a gate is not met (needs --note).
    #[arg(long)]
    pub force: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    super::change_case(ctx, &args.id, &args.actor, |repo, actor, case| {
        change::advance(
            case,
            &repo.config,
            args.to.as_deref(),
            args.note.as_deref(),
            args.force,
            actor,
        )
    })
}
