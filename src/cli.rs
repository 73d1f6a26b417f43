//! The clap tree: global options and one subcommand per module in `commands`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands;
use crate::context::Context;

/// A case tracker for idea sluices: one TOML file per case, kept in git.
#[derive(Debug, Parser)]
#[command(name = "sluss", version, about, max_term_width = 100)]
pub struct Cli {
    /// The repository to use, instead of searching upwards for sluss.toml (also the
    /// environment variable SLUSS_REPO). `summary` takes it several times to sum a
    /// region's repositories.
    #[arg(long, global = true, value_name = "DIR")]
    pub repo: Vec<PathBuf>,

    /// The language of published output (reports, the digest, HTML), over sluss.toml's
    /// `language` (also the environment variable SLUSS_LANG).
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<crate::i18n::Lang>,

    /// When to colour the output: auto (on a terminal, unless NO_COLOR is set), always
    /// or never. Files written with -o are never coloured.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value = "auto"
    )]
    pub color: crate::output::color::ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(commands::init::Args),
    New(commands::new::Args),
    List(commands::list::Args),
    Board(commands::board::Args),
    Show(commands::show::Args),
    Log(commands::log::Args),
    Edit(commands::edit::Args),
    Advance(commands::advance::Args),
    Park(commands::status::ParkArgs),
    Close(commands::status::CloseArgs),
    Reopen(commands::status::ReopenArgs),
    Assign(commands::assign::Args),
    Unassign(commands::assign::UnassignArgs),
    Result(commands::result::Args),
    #[command(visible_alias = "modify")]
    Set(commands::set::Args),
    Session(commands::session::Args),
    #[command(visible_alias = "today")]
    Agenda(commands::agenda::Args),
    /// Next steps agreed on in sessions: list a case's, mark one done.
    #[command(subcommand)]
    Step(commands::step::StepCommand),
    Summary(commands::summary::Args),
    Check(commands::check::Args),
    GitSetup(commands::git_setup::SetupArgs),
    #[command(hide = true)]
    MergeDriver(commands::git_setup::DriverArgs),
    Digest(commands::digest::Args),
    Export(commands::export::Args),
    Forget(commands::forget::Args),
    /// The coaches in sluss.toml: add one, or list them.
    #[command(subcommand)]
    Coach(commands::coach::CoachCommand),
    /// The units register in sluss.toml, and the units the cases name: add one, or
    /// list them.
    #[command(subcommand)]
    Unit(commands::unit::UnitCommand),
    /// Innovation programs: their cases, participants, and cases joining or leaving.
    #[command(subcommand)]
    Program(commands::program::ProgramCommand),
    /// The partner network: member organisations (network/KEY.toml) and its report.
    #[command(subcommand)]
    Network(commands::network::NetworkCommand),
    /// Name partner-network members in a case, or stop naming them.
    #[command(subcommand)]
    Partner(commands::partner::PartnerCommand),
    /// Innovation maturity: units' self-assessments (maturity/) and the maturity report.
    #[command(subcommand)]
    Maturity(commands::maturity::MaturityCommand),
    Schema(commands::schema::Args),
    Completions(commands::completions::Args),
    Man(commands::man::Args),
}

/// Runs the command line and turns the outcome into an exit code: 0 done, 1 refused by
/// a rule (or problems found), 2 a usage, input or I/O error.
pub fn main() -> ExitCode {
    // A shell asking for completions (`COMPLETE=bash sluss -- …`) is answered, then sluss exits.
    commands::completions::answer_the_shell();
    use clap::CommandFactory as _;
    let args = commands::set::untag_words(&Cli::command(), std::env::args_os());
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => return usage_error(&err),
    };
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            report_error(&err);
            ExitCode::from(exit_code(&err))
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    crate::output::color::set(cli.color);
    // The environment speaks where the command line is silent; an empty variable is one
    // that is not set, as for other Unix tools.
    let repos = if cli.repo.is_empty() {
        std::env::var_os("SLUSS_REPO")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .into_iter()
            .collect()
    } else {
        cli.repo
    };
    let lang = match cli.lang {
        Some(lang) => Some(lang),
        None => lang_from_env()?,
    };
    let ctx = Context::new(repos, lang)?;
    match cli.command {
        Command::Init(args) => commands::init::run(&ctx, args),
        Command::New(args) => commands::new::run(&ctx, args),
        Command::List(args) => commands::list::run(&ctx, args),
        Command::Board(args) => commands::board::run(&ctx, args),
        Command::Show(args) => commands::show::run(&ctx, args),
        Command::Log(args) => commands::log::run(&ctx, args),
        Command::Edit(args) => commands::edit::run(&ctx, args),
        Command::Advance(args) => commands::advance::run(&ctx, args),
        Command::Park(args) => commands::status::park(&ctx, args),
        Command::Close(args) => commands::status::close(&ctx, args),
        Command::Reopen(args) => commands::status::reopen(&ctx, args),
        Command::Assign(args) => commands::assign::run(&ctx, args),
        Command::Unassign(args) => commands::assign::unassign(&ctx, args),
        Command::Result(args) => commands::result::run(&ctx, args),
        Command::Set(args) => commands::set::run(&ctx, args),
        Command::Session(args) => commands::session::run(&ctx, args),
        Command::Agenda(args) => commands::agenda::run(&ctx, args),
        Command::Step(cmd) => commands::step::run(&ctx, cmd),
        Command::Summary(args) => commands::summary::run(&ctx, args),
        Command::Check(args) => commands::check::run(&ctx, args),
        Command::GitSetup(args) => commands::git_setup::setup(&ctx, args),
        Command::MergeDriver(args) => commands::git_setup::driver(&ctx, args),
        Command::Digest(args) => commands::digest::run(&ctx, args),
        Command::Export(args) => commands::export::run(&ctx, args),
        Command::Forget(args) => commands::forget::run(&ctx, args),
        Command::Coach(cmd) => commands::coach::run(&ctx, cmd),
        Command::Program(cmd) => commands::program::run(&ctx, cmd),
        Command::Unit(cmd) => commands::unit::run(&ctx, cmd),
        Command::Network(cmd) => commands::network::run(&ctx, cmd),
        Command::Partner(cmd) => commands::partner::run(&ctx, cmd),
        Command::Maturity(cmd) => commands::maturity::run(&ctx, cmd),
        Command::Schema(args) => commands::schema::run(&ctx, args),
        Command::Completions(args) => commands::completions::run(args),
        Command::Man(args) => commands::man::run(args),
    }
}

/// Help and the version are printed as clap prints them; a usage error quotes what was
/// typed (`invalid value '…'`), so it goes through the terminal sanitiser as every other
/// error does, and a control character in an argument is shown, never acted on.
fn usage_error(err: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        err.exit();
    }
    crate::output::eprint(&err.render().to_string());
    ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2))
}

fn library_error(err: &anyhow::Error) -> Option<&crate::Error> {
    err.chain().find_map(|e| e.downcast_ref::<crate::Error>())
}

fn exit_code(err: &anyhow::Error) -> u8 {
    library_error(err).map_or(2, crate::Error::exit_code)
}

/// `error: …`, the causes under it, then what to do (`hint: …`).
fn report_error(err: &anyhow::Error) {
    let mut text = format!("error: {err}\n");
    for cause in err.chain().skip(1) {
        // An I/O error says its cause in its own line already.
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(&format!("  caused by: {cause}\n"));
        }
    }
    if let Some(hint) = library_error(err).and_then(crate::Error::hint) {
        text.push_str(&format!("hint: {hint}\n"));
    }
    crate::output::eprint(&text);
}

/// `SLUSS_LANG`, when it is set and not empty.
fn lang_from_env() -> anyhow::Result<Option<crate::i18n::Lang>> {
    use clap::ValueEnum as _;
    let Some(value) = std::env::var_os("SLUSS_LANG").filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    crate::i18n::Lang::from_str(text.trim(), true)
        .map(Some)
        .map_err(|_| {
            crate::Error::usage(
                format!("SLUSS_LANG={text} is not a language sluss speaks"),
                "set SLUSS_LANG to sv or en, or leave it unset",
            )
            .into()
        })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    /// Every flag taking a day (`DATE`, `DAY`, `DAY|none`) says it the way people do,
    /// `-3d` included: clap must not read the leading hyphen as a flag.
    #[test]
    fn every_day_flag_takes_a_relative_day_with_a_hyphen() {
        fn walk(cmd: &clap::Command, path: &str, found: &mut Vec<String>, bad: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let names = arg.get_value_names().unwrap_or_default();
                if !names
                    .iter()
                    .any(|n| n.starts_with("DATE") || n.starts_with("DAY"))
                {
                    continue;
                }
                let flag = format!("{path} --{}", arg.get_long().unwrap_or("?"));
                if !arg.is_allow_hyphen_values_set() {
                    bad.push(flag.clone());
                }
                found.push(flag);
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), found, bad);
            }
        }
        let cmd = super::Cli::command();
        let (mut found, mut bad) = (Vec::new(), Vec::new());
        walk(&cmd, "sluss", &mut found, &mut bad);
        assert!(found.len() >= 20, "too few day flags found: {found:?}");
        assert!(bad.is_empty(), "these day flags refuse -3d: {bad:?}");
    }
}
