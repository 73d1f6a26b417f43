//! `sluss edit`: open a case in the editor; a broken result is never saved.
//!
//! Like `visudo` and `git commit`, the editor works on a copy. When the saved copy does
//! not read as a valid case, the editor opens again with the error written at the top;
//! saving it unchanged gives up and leaves the case as it was.

use std::fs;
use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{Context as _, Result, bail};

use crate::Error;
use crate::context::Context;
use crate::domain::validate;
use crate::output;
use crate::storage::repo::{parse_case, read_text};
use crate::storage::{Repo, write};

/// Lines that sluss puts at the top of the copy to explain an error; removed on save.
const ERROR_MARK: &str = "# sluss: ";

/// Edit a case in $VISUAL or $EDITOR; the result is checked before it is saved.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case id, or a unique prefix of it.
    pub id: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let repo = ctx.open_repo()?;
    let path = repo.resolve(&args.id)?;
    repo.guard_write(&path)?;
    let original = read_text(&path)?;
    // A broken case can be edited too: that is how it gets mended. Its id then comes
    // from its file name.
    let id = match parse_case(&path, &original) {
        Ok(case) => case.id,
        Err(_) => path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(crate::domain::id::id_from_file_name)
            .unwrap_or_default()
            .to_string(),
    };
    repo.ensure_state_dir()?;
    let work_dir = repo.state_dir().join("edit");
    fs::create_dir_all(&work_dir)
        .with_context(|| format!("could not create {}", work_dir.display()))?;
    let work = work_dir.join(path.file_name().expect("a case file has a name"));
    write_copy(&repo, &work, &original)?;

    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .ok()
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string());
    let mut last_broken: Option<String> = None;
    let mut header = String::new();
    loop {
        run_editor(&editor, &work)?;
        let saved = fs::read_to_string(&work)
            .with_context(|| format!("could not read {}", work.display()))?;
        let edited = saved
            .strip_prefix(header.as_str())
            .unwrap_or(&saved)
            .to_string();
        if edited == original {
            let _ = fs::remove_file(&work);
            output::emit("No changes.\n")?;
            return Ok(ExitCode::SUCCESS);
        }
        match check(&repo, &path, &edited, &id) {
            Ok(()) => {
                save(&repo, &path, &original, &edited, &work)?;
                let _ = fs::remove_file(&work);
                output::emit(&format!("Saved case {id}.\n"))?;
                return Ok(ExitCode::SUCCESS);
            }
            Err(message) => {
                if last_broken.as_deref() == Some(edited.as_str()) {
                    return Err(Error::refused(
                        format!(
                            "the case is still invalid, so {} is unchanged: {message}",
                            path.display()
                        ),
                        format!("your edited copy is kept in {}", work.display()),
                    )
                    .into());
                }
                eprintln!(
                    "error: {message}\nThe editor opens again; save the file unchanged to give up."
                );
                header = message
                    .lines()
                    .map(|l| format!("{ERROR_MARK}{l}\n"))
                    .chain([format!(
                        "{ERROR_MARK}Fix the case and save, or save it unchanged to give up.\n"
                    )])
                    .collect();
                write_copy(&repo, &work, &format!("{header}{edited}"))?;
                last_broken = Some(edited);
            }
        }
    }
}

/// Writes the editor's copy under its lock, which `forget` takes too when it scrubs it.
fn write_copy(repo: &Repo, work: &Path, text: &str) -> Result<()> {
    let _lock = repo.lock(work)?;
    fs::write(work, text).with_context(|| format!("could not write {}", work.display()))
}

fn run_editor(editor: &str, file: &Path) -> Result<()> {
    // Through the shell, so that EDITOR="code --wait" works as it does for git.
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg("sluss-edit")
        .arg(file)
        .status()
        .with_context(|| format!("could not start the editor '{editor}'"))?;
    if !status.success() {
        bail!(
            "the editor '{editor}' failed ({status}); the case is unchanged and your copy is in {}",
            file.display()
        );
    }
    Ok(())
}

/// Why the edited text cannot be saved, if it cannot.
fn check(repo: &Repo, path: &Path, text: &str, id: &str) -> Result<(), String> {
    let case = parse_case(path, text).map_err(|e| match &e {
        Error::Syntax { excerpt, .. } => format!("{e}\n{excerpt}"),
        _ => e.to_string(),
    })?;
    let mut problems = validate::problems(&case, &repo.config);
    if case.id != id {
        problems.insert(
            0,
            format!(
                "id was changed from '{id}' to '{}'; ids never change",
                case.id
            ),
        );
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}: {}", path.display(), problems.join("; ")))
    }
}

/// Saves the edit unless someone else changed the case while the editor was open.
fn save(repo: &Repo, path: &Path, original: &str, edited: &str, work: &Path) -> Result<()> {
    let _lock = repo.lock(path)?;
    if read_text(path)? != original {
        return Err(Error::refused(
            format!(
                "{} was changed by someone else while you edited it; nothing was saved",
                path.display()
            ),
            format!(
                "your edited copy is in {}; merge it by hand with `sluss edit`",
                work.display()
            ),
        )
        .into());
    }
    write::atomic_write(path, edited.as_bytes())?;
    Ok(())
}
