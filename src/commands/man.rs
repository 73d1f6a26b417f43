//! `sluss man`: manual pages, made from the clap tree.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::CommandFactory as _;

use crate::output;

/// Print the manual page (roff).
///
/// For example `sluss man > ~/.local/share/man/man1/sluss.1`; `--dir` writes a page per
/// subcommand as well.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Instead, write sluss.1 and a page for each subcommand (sluss-advance.1 …) into DIR.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let Some(dir) = args.dir else {
        output::emit(&render(crate::cli::Cli::command())?.1)?;
        return Ok(ExitCode::SUCCESS);
    };
    // Built, so that each subcommand knows its full name (`sluss-advance`).
    let mut command = crate::cli::Cli::command().disable_help_subcommand(true);
    command.build();
    let mut pages = Vec::new();
    collect(&command, &mut pages)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    for (name, page) in &pages {
        crate::storage::write::atomic_write(&dir.join(name), page.as_bytes())?;
    }
    output::emit(&format!(
        "Wrote {} manual pages to {}\n",
        pages.len(),
        dir.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// A page's file name and its text.
fn render(command: clap::Command) -> Result<(String, String)> {
    let man = clap_mangen::Man::new(command);
    let mut page = Vec::new();
    man.render(&mut page)?;
    Ok((man.get_filename(), String::from_utf8(page)?))
}

fn collect(command: &clap::Command, pages: &mut Vec<(String, String)>) -> Result<()> {
    pages.push(render(command.clone())?);
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, pages)?;
    }
    Ok(())
}
