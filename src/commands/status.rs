//! `sluss park`, `close` and `reopen`: status changes, each recorded in history.

use std::process::ExitCode;

use anyhow::Result;

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
    /// implemented, handed_over, stopped, duplicate or referred; the Swedish words work
    /// too (införd, överlämnad, stoppad, dubblett, hänvisad), in any case, with or
    /// without å, ä and ö.
    #[arg(long, value_name = "OUTCOME", value_parser = parse_outcome)]
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

/// `--outcome` as a coach types it (see [`Outcome::from_word`]); an unknown word is a
/// usage error with "did you mean".
fn parse_outcome(word: &str) -> Result<Outcome, String> {
    Outcome::from_word(word).map_err(|e| match e.hint() {
        Some(hint) => format!("{e}\n  hint: {hint}"),
        None => e.to_string(),
    })
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
