//! `sluss park`, `close` and `reopen`: status changes, each recorded in history.

use std::process::ExitCode;

use anyhow::Result;
use clap::builder::TypedValueParser as _;

use crate::context::Context;
use crate::domain::{Outcome, change};

/// Park an open case: it waits for something outside the sluice's hands.
#[derive(Debug, clap::Args)]
pub struct ParkArgs {
    /// The case id, or a unique prefix of it.
    pub id: String,
    #[command(flatten)]
    pub actor: super::WriteArgs,
    /// What the case waits for.
    #[arg(long, value_name = "TEXT")]
    pub note: String,
}

/// Close a case with its outcome.
#[derive(Debug, clap::Args)]
pub struct CloseArgs {
    /// The case id, or a unique prefix of it.
    pub id: String,
    #[command(flatten)]
    pub actor: super::WriteArgs,
    /// implemented, handed_over, stopped, duplicate or referred.
    #[arg(long, value_name = "OUTCOME", value_parser = clap::builder::PossibleValuesParser::new(
        Outcome::ALL.map(|o| o.as_str())).map(|s| s.parse::<Outcome>().expect("listed outcome")))]
    pub outcome: Outcome,
    /// Why, recorded in history.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

/// Reopen a parked or closed case.
#[derive(Debug, clap::Args)]
pub struct ReopenArgs {
    /// The case id, or a unique prefix of it.
    pub id: String,
    #[command(flatten)]
    pub actor: super::WriteArgs,
    /// Why, recorded in history.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

pub fn park(ctx: &Context, args: ParkArgs) -> Result<ExitCode> {
    if args.note.trim().is_empty() {
        return Err(crate::Error::refused(
            "parking a case needs a note",
            "say what it waits for: --note TEXT",
        )
        .into());
    }
    super::change_case(ctx, &args.id, &args.actor, |_, actor, case| {
        change::park(case, &args.note, actor)
    })
}

pub fn close(ctx: &Context, args: CloseArgs) -> Result<ExitCode> {
    super::change_case(ctx, &args.id, &args.actor, |_, actor, case| {
        change::close(case, args.outcome, args.note.as_deref(), actor)
    })
}

pub fn reopen(ctx: &Context, args: ReopenArgs) -> Result<ExitCode> {
    super::change_case(ctx, &args.id, &args.actor, |_, actor, case| {
        change::reopen(case, args.note.as_deref(), actor)
    })
}
