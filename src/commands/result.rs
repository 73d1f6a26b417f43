//! `sluss result`: say what an idea brought about, for the newsletter.

use std::process::ExitCode;

use anyhow::Result;

use crate::context::Context;
use crate::domain::change;

/// Say what an idea brought about, in a sentence or two: the digest quotes it.
///
/// For example "Halverade väntetiden för hemtjänstens nycklar". The digest quotes it
/// under an implemented idea. The change is recorded in history; `--clear` removes the
/// text.
///
/// The text is published: name only people who agreed to be named (the digest and
/// redacted exports hide the names of those who have not).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case id, or a unique prefix of it.
    pub id: String,
    /// The result, one line of at most 600 characters.
    #[arg(required_unless_present = "clear", conflicts_with = "clear")]
    pub text: Option<String>,
    /// Remove the case's result text.
    #[arg(long)]
    pub clear: bool,
    #[command(flatten)]
    pub write: super::WriteArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    super::change_case(ctx, &args.id, &args.write, |_, actor, case| {
        change::set_result(case, args.text.as_deref(), actor)
    })
}
