//! One module per subcommand: its clap arguments (whose doc comments are the help text)
//! and the function that runs it. The real work lives in the library.

pub mod advance;
pub mod assign;
pub mod check;
pub mod coach;
pub mod completions;
pub mod digest;
pub mod edit;
pub mod export;
pub mod forget;
pub mod git_setup;
pub mod init;
pub mod list;
pub mod log;
pub mod man;
pub mod maturity;
pub mod network;
pub mod new;
pub mod partner;
pub mod program;
pub mod result;
pub mod schema;
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
        crate::output::safe_eprintln!("warning: skipped {}", broken.error);
    }
}

/// Where a report goes and in which format: `--format`, or `-o FILE` whose extension
/// picks the format.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// The output format (default: table, or what -o's extension says).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to FILE (written whole or not at all) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

impl OutputArgs {
    /// The format to render in, checked against what the command offers.
    pub fn format(&self, default: Format, offered: &[Format]) -> Result<Format> {
        let format = match (self.format, &self.output) {
            (Some(f), _) => f,
            (None, Some(path)) => Format::from_extension(path).ok_or_else(|| {
                crate::Error::usage(
                    format!("cannot tell the format from the name {}", path.display()),
                    "end it in .html, .md, .csv, .json or .txt, or add --format",
                )
            })?,
            (None, None) => default,
        };
        require_format(format, offered)?;
        Ok(format)
    }

    /// How to lay a document out: fitted to the terminal when output goes to one, never
    /// when it goes to a file (`-o`) or a pipe.
    pub fn layout(&self) -> crate::document::Options {
        crate::document::Options {
            width: if self.output.is_some() {
                None
            } else {
                output::stdout_width()
            },
        }
    }

    /// The format of a report, which can be rendered in every format (a table unless
    /// asked otherwise).
    pub fn report_format(&self) -> Result<Format> {
        self.format(
            Format::Table,
            &[
                Format::Table,
                Format::Json,
                Format::Csv,
                Format::Markdown,
                Format::Html,
            ],
        )
    }

    /// Writes the list `items` as JSON ([`output::json`]) to the file, or to stdout as it
    /// is made (for output of many megabytes, such as an export), each item changed by
    /// `prepare` just before its text is made.
    pub fn deliver_json_list<T, P>(&self, items: &mut [T], prepare: P) -> Result<()>
    where
        T: serde::Serialize + Send,
        P: Fn(&mut T) + Sync,
    {
        match &self.output {
            Some(path) => {
                let mut text = Vec::new();
                output::write_json_list_prepared(&mut text, items, prepare)?;
                crate::storage::write::atomic_write(path, &text)?;
                crate::output::safe_eprintln!("Wrote {}", path.display());
            }
            None => output::emit_with(|out| output::write_json_list_prepared(out, items, prepare))?,
        }
        Ok(())
    }

    /// Writes the rendered report to the file, or to stdout.
    pub fn deliver(&self, text: &str) -> Result<()> {
        match &self.output {
            Some(path) => {
                crate::storage::write::atomic_write(path, text.as_bytes())?;
                crate::output::safe_eprintln!("Wrote {}", path.display());
            }
            None => output::emit(text)?,
        }
        Ok(())
    }
}

/// Refuses a window that ends before it starts (a usage error, exit 2): `--since` after
/// `--until`, or after `--as-of` when that is where the window ends. Every command with
/// these flags asks here.
pub fn check_window(
    since: Option<chrono::NaiveDate>,
    until: Option<chrono::NaiveDate>,
    as_of: Option<chrono::NaiveDate>,
) -> Result<()> {
    let Some(since) = since else {
        return Ok(());
    };
    let end = match (until, as_of) {
        (Some(until), _) => Some(("--until", until)),
        (None, Some(as_of)) => Some(("--as-of", as_of)),
        (None, None) => None,
    };
    if let Some((flag, end)) = end
        && end < since
    {
        return Err(crate::Error::usage(
            format!("{flag} {end} is before --since {since}"),
            format!("give --since a day on or before {flag}, or swap the two dates"),
        )
        .into());
    }
    Ok(())
}

/// Refuses `--since` after the day a window ends by default (the report's day, known
/// only once the cases are read), as [`check_window`] refuses it before an `--until`.
pub fn check_default_end(since: Option<chrono::NaiveDate>, end: chrono::NaiveDate) -> Result<()> {
    match since {
        Some(since) if end < since => Err(crate::Error::usage(
            format!("--since {since} is after {end}, the report's day (where the window ends without --until)"),
            "give --since a day on or before the report's day, or an --until after it",
        )
        .into()),
        _ => Ok(()),
    }
}

/// Refuses a format that a command does not offer, naming those it does.
pub fn require_format(format: Format, offered: &[Format]) -> Result<()> {
    if offered.contains(&format) {
        return Ok(());
    }
    let names: Vec<&str> = offered.iter().map(|f| f.name()).collect();
    Err(crate::Error::usage(
        format!("this command has no {} output", format.name()),
        format!("use --format {}", names.join(" or --format ")),
    )
    .into())
}

/// Options of every command that changes a case: who acts, and whether to commit.
#[derive(Debug, Clone, clap::Args)]
pub struct WriteArgs {
    /// Who is acting, recorded in history (default: SLUSS_USER, the user settings file,
    /// then git's user.name).
    #[arg(long, env = "SLUSS_USER", value_name = "NAME")]
    pub by: Option<String>,
    /// Commit the changed case file with a message saying what happened (also
    /// `[git] auto_commit = true` in sluss.toml).
    #[arg(long)]
    pub commit: bool,
}

impl WriteArgs {
    /// Commits `file` when asked to, by flag or by the repository's settings.
    pub fn commit_if_asked(
        &self,
        repo: &Repo,
        file: &std::path::Path,
        message: &str,
    ) -> Result<()> {
        commit_written(repo, self.commit, &[file.to_path_buf()], message)
    }
}

/// `--commit`, for writing commands that record no actor.
#[derive(Debug, Clone, clap::Args)]
pub struct CommitArgs {
    /// Commit the changed file(s) with a message saying what happened (also
    /// `[git] auto_commit = true` in sluss.toml).
    #[arg(long)]
    pub commit: bool,
}

/// The one way a writing command commits what it wrote: `files`, exactly, with
/// `message`, when `--commit` was given (`asked`) or sluss.toml says
/// `[git] auto_commit = true`. Every command that changes a file in the repository
/// ends here, so none of them can forget the setting.
///
/// When git refuses, the files stay written and nothing of them stays staged; the
/// command fails (exit 1) saying so.
pub fn commit_written(
    repo: &Repo,
    asked: bool,
    files: &[std::path::PathBuf],
    message: &str,
) -> Result<()> {
    if files.is_empty() || !(asked || repo.config.git.auto_commit) {
        return Ok(());
    }
    crate::storage::git::commit_files(&repo.root, files, message).map_err(|e| {
        let shown: Vec<String> = files
            .iter()
            .map(|f| {
                f.strip_prefix(&repo.root)
                    .unwrap_or(f)
                    .display()
                    .to_string()
            })
            .collect();
        anyhow::Error::from(e).context(format!(
            "{} was written, but not committed",
            shown.join(", ")
        ))
    })?;
    Ok(())
}

/// The shared path of every command that changes one case: resolve the id, decide the
/// change under the lock, write it, and say what happened.
pub fn change_case<F>(ctx: &Context, id: &str, by: &WriteArgs, decide: F) -> Result<ExitCode>
where
    F: FnOnce(&Repo, &Actor, &crate::domain::Case) -> crate::Result<Change>,
{
    let repo = ctx.open_repo()?;
    let actor = Actor {
        by: ctx.actor(&repo, by.by.as_deref())?,
        at: ctx.now,
    };
    let path = repo.resolve(id)?;
    let (change, _) = repo.update_case(&path, |case| decide(&repo, &actor, case))?;
    by.commit_if_asked(&repo, &path, &change.summary)?;
    output::emit(&format!(
        "{}\n",
        crate::report::escape::one_line(&change.summary)
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// The people that the network and the programs record, for keeping those who have not
/// consented out of published output. A file that cannot be read at all refuses the
/// publication: nobody could say whom it names.
pub fn people_recorded(repo: &Repo) -> Result<Vec<crate::privacy::Recorded>> {
    let mut people = Vec::new();
    for path in repo
        .network_files()?
        .into_iter()
        .chain(repo.program_files()?)
    {
        let text = repo.read_text(&path)?;
        let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let doc: toml_edit::DocumentMut = body.parse().map_err(|e: toml_edit::TomlError| {
            anyhow::Error::from(crate::Error::syntax(&path, body, e.span(), e.message())).context(
                "published output would not know whom this file names, so nothing was published",
            )
        })?;
        people.extend(crate::privacy::people_in(&doc));
    }
    Ok(people)
}
