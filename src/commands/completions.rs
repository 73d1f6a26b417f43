//! `sluss completions`: a shell's completion script, made from the clap tree.

use std::process::ExitCode;

use anyhow::Result;
use clap::CommandFactory as _;

use crate::output;

/// Print the completion script for a shell.
///
/// For example, in bash: `sluss completions bash > ~/.local/share/bash-completion/completions/sluss`;
/// in zsh: `sluss completions zsh > "${fpath[1]}/_sluss"`; in fish:
/// `sluss completions fish > ~/.config/fish/completions/sluss.fish`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let mut command = without_hidden_subcommands(crate::cli::Cli::command());
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "sluss", &mut script);
    output::emit(&String::from_utf8(script)?)?;
    Ok(ExitCode::SUCCESS)
}

/// The command without the subcommands that `--help` hides (the merge driver git calls),
/// which clap_complete would otherwise offer. clap cannot remove a subcommand, so the
/// top level is built anew from the parts completion needs.
fn without_hidden_subcommands(command: clap::Command) -> clap::Command {
    let mut top = clap::Command::new("sluss")
        .version(env!("CARGO_PKG_VERSION"))
        .args(command.get_arguments().cloned())
        .subcommands(
            command
                .get_subcommands()
                .filter(|s| !s.is_hide_set())
                .cloned(),
        );
    if let Some(about) = command.get_about() {
        top = top.about(about.clone());
    }
    top
}
