//! `sluss edit`: open a case in the editor; a broken result is never saved.
//!
//! Like `visudo` and `git commit`, the editor works on a copy. When the saved copy does
//! not read as a valid case, the editor opens again with the error written at the top;
//! saving it unchanged gives up and leaves the case as it was.
//!
//! A change of stage, status, outcome, coach or program is recorded in history as the
//! matching command records it, or refused with that command (see
//! [`crate::domain::edited`]); a change to history itself is refused (it is append-only).

use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{Context as _, Result};

use crate::Error;
use crate::context::Context;
use crate::domain::{change, edited, validate};
use crate::output;
use crate::storage::document::CaseDocument;
use crate::storage::repo::parse_case;
use crate::storage::{Repo, guard, write};

/// Lines that sluss puts at the top of the copy to explain an error; removed on save.
const ERROR_MARK: &str = "# sluss: ";

/// Edit a case in $VISUAL or $EDITOR; the result is checked before it is saved.
///
/// A change of stage, status, outcome, coach or program is recorded in history as
/// `advance`, `reopen`, `close`, `assign` and `program join` record it, gates applied; one those commands would
/// refuse (a gate not met, a move back, parking) opens the editor again saying which
/// command to use instead.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case id, or a unique prefix of it.
    pub id: String,
    #[command(flatten)]
    pub actor: super::WriteArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let repo = ctx.open_repo()?;
    let path = repo.resolve(&args.id)?;
    repo.guard_write(&path)?;
    // Refused before the editor opens, not after the work is done.
    write::ensure_writable(&path)?;
    let original = repo.read_case_text(&path)?;
    // A broken case can be edited too: that is how it gets mended. Its id then comes
    // from its file name, and its changes are not recorded (there is nothing to compare).
    let before = parse_case(&path, &original).ok();
    let id = match &before {
        Some(case) => case.id.clone(),
        None => path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(crate::domain::id::id_from_file_name)
            .unwrap_or_default()
            .to_string(),
    };
    repo.ensure_state_dir()?;
    let work_dir = repo.state_dir().join("edit");
    let name = path.file_name().expect("a case file has a name");
    let work = work_dir.join(name);
    let base = work_dir.join("base").join(name);
    // Says that this sluss made the copies here, so that a copy that came with the
    // repository is never taken for one of the user's (see `continue_from_kept_copy`).
    let made = work_dir
        .join("base")
        .join(format!("{}.made", name.to_string_lossy()));
    // One editor a case: a second `sluss edit` would take over the first one's copy.
    let editing_lock = work_dir.join("locks").join(name);
    repo.create_dir_all(&work_dir.join("locks"))?;
    repo.guard_write(&editing_lock)?;
    let Some(_editing) = write::try_lock(&editing_lock)? else {
        return Err(Error::refused(
            format!("case {id} is being edited already, in another `sluss edit`"),
            "finish that edit first",
        )
        .into());
    };
    let mut header = if work.exists() {
        continue_from_kept_copy(&repo, &path, &original, &work, &base, &made, &id)?
    } else {
        let base_dir = work_dir.join("base");
        repo.create_dir_all(&base_dir)?;
        repo.write_file(&base, original.as_bytes())?;
        repo.record_made_here(&base, &made)?;
        write_copy(&repo, &work, &original)?;
        String::new()
    };
    let kept = Kept {
        repo: &repo,
        work: &work,
        base: &base,
        made: &made,
        id: &id,
    };

    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .ok()
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string());
    let mut last_broken: Option<String> = None;
    let mut actor: Option<change::Actor> = None;
    loop {
        run_editor(&editor, &work, &kept)?;
        // A copy that cannot be read back (made too large in the editor) is kept, and
        // the user is told where, as for any other edit that is not saved.
        let saved = match repo.read_text(&work) {
            Ok(saved) => saved,
            Err(e) => {
                crate::output::safe_eprintln!("note: {}", kept.advice());
                return Err(e.into());
            }
        };
        let edited = saved
            .strip_prefix(header.as_str())
            .unwrap_or(&saved)
            .to_string();
        if edited == original {
            kept.remove();
            output::emit("No changes.\n")?;
            return Ok(ExitCode::SUCCESS);
        }
        let recorded = match (&before, parse_case(&path, &edited)) {
            (Some(before), Ok(after)) if let Err(e) = edited::history_kept(before, &after) => {
                Err(refusal(&path, e))
            }
            (Some(before), Ok(after))
                if after.history.len() <= before.history.len()
                    && edited::touches(before, &after) =>
            {
                if actor.is_none() {
                    let by = ctx
                        .actor(&repo, args.actor.by.as_deref())
                        .inspect_err(|_| {
                            crate::output::safe_eprintln!("note: {}", kept.advice());
                        })?;
                    actor = Some(change::Actor { by, at: ctx.now });
                }
                let actor = actor.as_ref().expect("set just above");
                edited::record(before, &after, &repo.config, actor)
                    .map_err(|e| refusal(&path, e))
                    .and_then(|changes| with_history(&path, &edited, &changes))
            }
            _ => Ok((edited.clone(), Vec::new())),
        };
        match recorded
            .and_then(|(text, said)| check(&repo, &path, &text, &id).map(|()| (text, said)))
        {
            Ok((text, said)) => {
                match save(&repo, &path, &original, &text) {
                    Ok(true) => {}
                    Ok(false) => return Err(changed_meanwhile(&path, &kept).into()),
                    Err(e) => {
                        crate::output::safe_eprintln!("note: {}", kept.advice());
                        return Err(e);
                    }
                }
                kept.remove();
                let short: String = id.chars().take(4).collect();
                let message = if said.is_empty() {
                    format!("{short}: edited")
                } else {
                    format!("{short}: edited; {}", said.join("; "))
                };
                super::commit_written(
                    &repo,
                    args.actor.commit,
                    std::slice::from_ref(&path),
                    &message,
                )?;
                let mut out = format!("Saved case {id}.\n");
                for line in &said {
                    out.push_str(&format!(
                        "Recorded in history: {}\n",
                        crate::report::escape::one_line(line)
                    ));
                }
                output::emit(&out)?;
                return Ok(ExitCode::SUCCESS);
            }
            Err(message) => {
                if last_broken.as_deref() == Some(edited.as_str()) {
                    return Err(Error::refused(
                        format!(
                            "the case is still invalid, so {} is unchanged: {message}",
                            path.display()
                        ),
                        kept.advice(),
                    )
                    .into());
                }
                crate::output::safe_eprintln!(
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

/// The copy the editor works on, and the case's text it started from. Both stay when an
/// edit is not saved, and the next `sluss edit` of the case continues from the copy: so
/// a copy that sluss told the user about is never overwritten or deleted behind them.
struct Kept<'a> {
    repo: &'a Repo,
    work: &'a Path,
    base: &'a Path,
    made: &'a Path,
    id: &'a str,
}

impl Kept<'_> {
    /// What to tell the user when their copy is kept.
    fn advice(&self) -> String {
        format!(
            "your edited copy is kept in {}; `sluss edit {}` continues from it (delete it to start afresh)",
            self.work.display(),
            self.id
        )
    }

    /// Once the edit is saved, or nothing was changed, the copy is no longer needed.
    fn remove(&self) {
        let _ = self.repo.remove_file(self.work);
        let _ = self.repo.remove_file(self.base);
        let _ = self.repo.remove_file(self.made);
    }
}

/// Continues an edit from the copy an earlier `sluss edit` kept, when the case is still
/// as it was then; returns the error lines at the top of the copy. When the case has
/// changed since, continuing would undo that change, so nothing happens. Nor when the
/// copy is not one this sluss made here: a hostile repository can commit a copy under
/// `.sluss/edit/` (with the case's text as its base), which an editor closed without a
/// change would otherwise save as the user's own edit.
fn continue_from_kept_copy(
    repo: &Repo,
    path: &Path,
    original: &str,
    work: &Path,
    base: &Path,
    made: &Path,
    id: &str,
) -> Result<String> {
    let copy = repo.read_text(work)?;
    if !repo.made_here(base, made) {
        return Err(Error::refused(
            format!(
                "{} was not left by a `sluss edit` in this folder (it came with the repository, or was copied here), so sluss does not continue from it and nothing was done",
                work.display()
            ),
            format!(
                "look at it; keep what you need of it elsewhere, then delete it (rm {}) and run `sluss edit {id}` again",
                work.display()
            ),
        )
        .into());
    }
    if repo.read_text(base).ok().as_deref() != Some(original) {
        return Err(Error::refused(
            format!(
                "{} holds an edit of case {id} begun before the case last changed; continuing from it would undo that change, so nothing was done",
                work.display()
            ),
            format!(
                "compare it with {}; then delete it (rm {}) and run `sluss edit {id}` to make your changes to the case as it is now",
                path.display(),
                work.display()
            ),
        )
        .into());
    }
    crate::output::safe_eprintln!(
        "Continuing from your kept copy {} (delete it to start from the case as it is).",
        work.display()
    );
    Ok(copy
        .split_inclusive('\n')
        .take_while(|l| l.starts_with(ERROR_MARK))
        .collect())
}

/// Writes the editor's copy under its lock, which `forget` takes too when it scrubs it.
fn write_copy(repo: &Repo, work: &Path, text: &str) -> Result<()> {
    let _lock = repo.lock(work)?;
    repo.write_file(work, text.as_bytes())?;
    Ok(())
}

fn run_editor(editor: &str, file: &Path, kept: &Kept) -> Result<()> {
    // Through the shell, so that EDITOR="code --wait" works as it does for git.
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg("sluss-edit")
        .arg(file)
        .status()
        .with_context(|| format!("could not start the editor '{editor}'"))?;
    if !status.success() {
        return Err(Error::refused(
            format!("the editor '{editor}' failed ({status}); the case is unchanged"),
            kept.advice(),
        )
        .into());
    }
    Ok(())
}

/// The edited text with the history entries of `changes` appended (in place, the
/// rest of the text as the editor left it), and what each says without the case's
/// short id.
fn with_history(
    path: &Path,
    edited: &str,
    changes: &[change::Change],
) -> Result<(String, Vec<String>), String> {
    if changes.is_empty() {
        return Ok((edited.to_string(), Vec::new()));
    }
    let mut doc = CaseDocument::parse(path, edited).map_err(|e| e.to_string())?;
    let mut said = Vec::new();
    for c in changes {
        let entry_only = change::Change {
            history: c.history.clone(),
            ..change::Change::default()
        };
        doc.apply(&entry_only).map_err(|e| e.to_string())?;
        let summary = c
            .summary
            .split_once(": ")
            .map_or(c.summary.as_str(), |x| x.1);
        said.push(summary.to_string());
    }
    Ok((doc.render(), said))
}

/// A change the editor made that is refused, as the top of the copy says it: the file,
/// the reason and the hint.
fn refusal(path: &Path, e: Error) -> String {
    let said = match &e {
        Error::Refused { message, .. } => message.clone(),
        other => other.to_string(),
    };
    match e.hint() {
        Some(hint) => format!("{}: {said}\nhint: {hint}", path.display()),
        None => format!("{}: {said}", path.display()),
    }
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

/// Saves the edit unless someone else changed the case while the editor was open;
/// says whether it saved.
fn save(repo: &Repo, path: &Path, original: &str, edited: &str) -> Result<bool> {
    repo.ensure_state_dir()?;
    let _lock = repo.lock(path)?;
    write::remove_leftovers_of(path);
    if repo.read_case_text(path)? != original {
        return Ok(false);
    }
    guard::atomic_write_locked(&repo.root, path, edited.as_bytes())?;
    Ok(true)
}

/// The case changed while its editor was open: the edit is not saved, and the copy is
/// kept (the next `sluss edit` refuses to continue from it, since it would undo the
/// change).
fn changed_meanwhile(path: &Path, kept: &Kept) -> Error {
    Error::refused(
        format!(
            "{} was changed by someone else while you edited it; nothing was saved",
            path.display()
        ),
        format!(
            "your edited copy is kept in {}: compare it with the case, then delete it and make your changes again with `sluss edit {}`",
            kept.work.display(),
            kept.id
        ),
    )
}
