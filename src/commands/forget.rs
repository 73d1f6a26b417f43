//! `sluss forget`: the right to erasure.

use std::process::ExitCode;

use anyhow::Result;

use crate::context::Context;
use crate::output;
use crate::privacy;
use crate::storage::CaseDocument;

/// Remove a person's name and contact details from every case (the right to erasure).
///
/// A table that describes the person (the submitter, a participant) loses its name and
/// contact and is marked `forgotten = true`; the name and the person's contact details
/// inside any text (notes, titles) become `[removed]`. The cases, their history and
/// every number stay.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The person's name, as written in the cases (case does not matter).
    pub name: String,
    /// Show what would change, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub commit: super::CommitArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let name = args.name.trim();
    if name.chars().count() < 3 {
        return Err(crate::Error::usage(
            format!("'{name}' is too short to name one person safely"),
            "give the person's full name as it is written in the cases",
        )
        .into());
    }
    let repo = ctx.open_repo()?;
    // Locks live in .sluss/: one that links out of the repository stops everything
    // before any file is searched.
    repo.ensure_state_dir()?;
    // Cases, and the other files that hold people: network members' contacts,
    // programs' participants, and assessments' notes.
    let cases = repo.case_files()?;
    let mut paths: Vec<(std::path::PathBuf, bool)> = cases.into_iter().map(|p| (p, true)).collect();
    for other in [
        repo.network_files()?,
        repo.program_files()?,
        repo.maturity_files()?,
    ] {
        paths.extend(other.into_iter().map(|p| (p, false)));
    }
    // The person's contact details, wherever they are recorded, are removed from the
    // text of every case, as the name is.
    let mut contacts: Vec<String> = Vec::new();
    for (path, _) in &paths {
        if let Ok(text) = repo.read_text(path)
            && let Ok(doc) = CaseDocument::parse(path, &text)
        {
            contacts.extend(privacy::contacts_of(doc.document(), name));
        }
    }
    contacts.sort();
    contacts.dedup();
    let mut report = String::new();
    let (mut files, mut places) = (0, 0);
    let mut changed = Vec::new();
    // A file that cannot be read or written does not stop the others: what was changed
    // is still reported, and the command fails at the end naming what it skipped.
    let mut skipped = Vec::new();
    for (path, is_case) in &paths {
        let shown = path.strip_prefix(&repo.root).unwrap_or(path);
        let forget = |doc: &mut toml_edit::DocumentMut| privacy::forget_in(doc, name, &contacts);
        let edited = if *is_case {
            repo.edit_case_document(path, args.dry_run, forget)
        } else {
            repo.edit_document(
                path,
                args.dry_run,
                |p, t| CaseDocument::parse(p, t).map(|_| ()),
                forget,
            )
        };
        let changes = match edited {
            Ok(changes) => changes,
            Err(e) => {
                crate::output::safe_eprintln!("warning: skipped {e}");
                skipped.push(shown.display().to_string());
                continue;
            }
        };
        if changes.is_empty() {
            continue;
        }
        files += 1;
        places += changes.len();
        changed.push(path.clone());
        for c in changes {
            report.push_str(&format!("{}: {c}\n", shown.display()));
        }
    }
    if repo
        .config
        .coaches
        .iter()
        .any(|c| c.name.trim().eq_ignore_ascii_case(name))
    {
        report.push_str("note: sluss.toml names this person as a coach; edit [[coaches]] by hand if they are to be forgotten there too\n");
    }
    let verb = if args.dry_run {
        "would change"
    } else {
        "changed"
    };
    report.push_str(&format!("{verb} {places} place(s) in {files} file(s)\n"));
    if files > 0 && !args.dry_run {
        // Cached titles and descriptions may still hold the name: the cache goes, and
        // the next report builds it again from the files as they are now.
        if let Err(e) = repo.clear_cache() {
            crate::output::safe_eprintln!(
                "warning: could not remove the cache ({e}); remove it by hand, it may still hold the name"
            );
        }
        report.push_str(
            "note: earlier versions in git history still hold the name; erasing it there means rewriting history (for example with git filter-repo) in every clone\n",
        );
    }
    output::emit(&report)?;
    if !args.dry_run {
        // The message names no one: the commit outlives the erasure.
        super::commit_written(
            &repo,
            args.commit.commit,
            &changed,
            &format!("forget: a person's name removed from {files} file(s)"),
        )?;
    }
    if !skipped.is_empty() {
        return Err(crate::Error::usage(
            format!(
                "{} file(s) could not be searched, so the person may still be named there: {}",
                skipped.len(),
                skipped.join(", ")
            ),
            "fix those files (the warnings above say why), then run forget again",
        )
        .into());
    }
    Ok(ExitCode::SUCCESS)
}
