//! `sluss git-setup` and `sluss merge-driver`: let git merge case files by itself.

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::context::Context;
use crate::merge::merge_case;
use crate::output;
use crate::storage::repo::read_text;
use crate::storage::{Repo, git, write};

/// The line in `.gitattributes` that hands case files to sluss's merge driver.
pub const ATTRIBUTES_LINE: &str = "cases/*.toml merge=sluss";

/// Register sluss's merge driver for cases/*.toml in .gitattributes and git's config.
///
/// Afterwards `git merge` unions the history and sessions that two branches appended
/// to one case, and leaves a conflict only where both changed the same field.
#[derive(Debug, clap::Args)]
pub struct SetupArgs {}

/// The merge driver git calls (set up by `sluss git-setup`): `BASE OURS THEIRS [PATH]`.
#[derive(Debug, clap::Args)]
pub struct DriverArgs {
    /// The common ancestor's version (git's %O).
    pub base: PathBuf,
    /// Our version, where the result is written (git's %A).
    pub ours: PathBuf,
    /// Their version (git's %B).
    pub theirs: PathBuf,
    /// The file's path in the repository, for messages (git's %P).
    pub path: Option<String>,
}

pub fn setup(ctx: &Context, _args: SetupArgs) -> Result<ExitCode> {
    let repo = ctx.open_repo()?;
    let done = install(&repo)?;
    output::emit(&format!("{done}\n"))?;
    Ok(ExitCode::SUCCESS)
}

/// Registers the driver for `repo`; says what it did.
pub fn install(repo: &Repo) -> Result<String> {
    git::toplevel(&repo.root).ok_or_else(|| {
        crate::Error::refused(
            format!("{} is not inside a git repository", repo.root.display()),
            "run `git init` first",
        )
    })?;
    let attributes = repo.root.join(".gitattributes");
    let _lock = repo.lock(&attributes)?;
    let existing = fs::read_to_string(&attributes).unwrap_or_default();
    if !existing.lines().any(|l| l.trim() == ATTRIBUTES_LINE) {
        let mut text = existing.clone();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(
            "# Case files are merged by sluss: logs are unioned, fields merged three-way.\n",
        );
        text.push_str(ATTRIBUTES_LINE);
        text.push('\n');
        write::atomic_write(&attributes, text.as_bytes())?;
    }
    let exe = std::env::current_exe().context("could not tell where the sluss program is")?;
    let quoted = format!("'{}'", exe.display().to_string().replace('\'', r"'\''"));
    git::set_config(
        &repo.root,
        "merge.sluss.name",
        "sluss: union of case histories and sessions",
    )?;
    git::set_config(
        &repo.root,
        "merge.sluss.driver",
        &format!("{quoted} merge-driver %O %A %B %P"),
    )?;
    Ok(format!(
        "git now merges case files with sluss ({} and merge.sluss.driver in .git/config). Commit .gitattributes so the team shares it; each clone runs `sluss git-setup` once.",
        ATTRIBUTES_LINE
    ))
}

pub fn driver(args: DriverArgs) -> Result<ExitCode> {
    let name = args
        .path
        .clone()
        .unwrap_or_else(|| args.ours.display().to_string());
    let (base, ours, theirs) = (
        read_text(&args.base)?,
        read_text(&args.ours)?,
        read_text(&args.theirs)?,
    );
    match merge_case(&base, &ours, &theirs) {
        Ok(merged) => {
            write::atomic_write(&args.ours, merged.text.as_bytes())?;
            if merged.conflicts.is_empty() {
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!(
                    "sluss: {name}: both sides changed {}; resolve the marked lines, then `sluss check`",
                    merged.conflicts.join(", ")
                );
                Ok(ExitCode::from(1))
            }
        }
        Err(why) => {
            eprintln!("sluss: {name}: not merged as a case ({why}); merging line by line");
            Ok(if git::merge_file(&args.ours, &args.base, &args.theirs)? {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}
