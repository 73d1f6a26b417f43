//! One module per subcommand: its clap arguments (whose doc comments are the help text)
//! and the function that runs it. The real work lives in the library.

pub mod advance;
pub mod assign;
pub mod coach;
pub mod edit;
pub mod init;
pub mod list;
pub mod new;
pub mod program;
pub mod session;
pub mod show;
pub mod status;
pub mod summary;

use std::process::ExitCode;

use anyhow::Result;

use crate::context::Context;
use crate::domain::Change;
use crate::domain::change::Actor;
use crate::output::{self, Format};
use crate::storage::{Portfolio, Repo};

/// Names the case files that could not be read, on stderr, so that the rest of the
/// output stays usable.
pub fn warn_broken(portfolio: &Portfolio) {
    for broken in &portfolio.broken {
        eprintln!("warning: skipped {}", broken.error);
    }
}

/// Refuses a format that a command does not offer, naming those it does.
pub fn require_format(format: Format, offered: &[Format]) -> Result<()> {
    if offered.contains(&format) {
        return Ok(());
    }
    let names: Vec<&str> = offered.iter().map(|f| f.name()).collect();
    Err(crate::Error::refused(
        format!("this command has no {} output", format.name()),
        format!("use --format {}", names.join(" or --format ")),
    )
    .into())
}

/// The shared path of every command that changes one case: resolve the id, decide the
/// change under the lock, write it, and say what happened.
pub fn change_case<F>(ctx: &Context, id: &str, decide: F) -> Result<ExitCode>
where
    F: FnOnce(&Repo, &Actor, &crate::domain::Case) -> crate::Result<Change>,
{
    let repo = ctx.open_repo()?;
    let actor = Actor {
        by: ctx.actor(&repo)?,
        at: ctx.now,
    };
    let path = repo.resolve(id)?;
    let (change, _) = repo.update_case(&path, |case| decide(&repo, &actor, case))?;
    output::emit(&format!("{}\n", change.summary))?;
    Ok(ExitCode::SUCCESS)
}
