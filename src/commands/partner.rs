//! `sluss partner`: name partner-network members in a case, or stop naming them; each
//! change recorded in the case's history.

use std::process::ExitCode;

use anyhow::Result;

use crate::context::Context;
use crate::domain::change;

#[derive(Debug, clap::Subcommand)]
pub enum PartnerCommand {
    Add(Args),
    Remove(RemoveArgs),
}

/// Name a member of the partner network in a case (recorded in history as
/// `partner_added`).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case id, or a unique prefix of it.
    pub id: String,
    /// The member's key (network/KEY.toml) or organisation name.
    pub key: String,
    /// Why, recorded in history.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    #[command(flatten)]
    pub write: super::WriteArgs,
}

/// Stop naming a partner in a case (recorded in history as `partner_removed`).
#[derive(Debug, clap::Args)]
pub struct RemoveArgs {
    /// The case id, or a unique prefix of it.
    pub id: String,
    /// The member's key, as the case names it (case and å, ä, ö aside).
    pub key: String,
    /// Why, recorded in history.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    #[command(flatten)]
    pub write: super::WriteArgs,
}

pub fn run(ctx: &Context, cmd: PartnerCommand) -> Result<ExitCode> {
    match cmd {
        PartnerCommand::Add(args) => {
            super::change_case(ctx, &args.id, &args.write, |repo, actor, case| {
                let network = repo.load_network()?;
                let member = network.find(&args.key)?;
                change::add_partner(case, &member.key, true, args.note.as_deref(), actor)
            })
        }
        PartnerCommand::Remove(args) => {
            super::change_case(ctx, &args.id, &args.write, |_, actor, case| {
                change::remove_partner(case, &args.key, args.note.as_deref(), actor)
            })
        }
    }
}
