//! `sluss forget`: the right to erasure.

use std::process::ExitCode;

use anyhow::Result;

use crate::context::Context;
use crate::output;
use crate::privacy;
use std::path::{Path, PathBuf};

use crate::domain::Config;
use crate::domain::names::NameSet;
use crate::storage::{CaseDocument, Repo};

/// Remove a person's name and contact details from every case (the right to erasure).
///
/// A table that describes the person (the submitter, a participant, a network contact)
/// loses its name and contact and is marked `forgotten = true`; the name and the
/// person's contact details inside any text (notes, titles) become `[removed]`, however
/// they are written (case, accents as one character or two, spaces, line breaks, any
/// dash in a double name, the genitive). Keys (`coach`, `by`, …) are never rewritten: a coach who is forgotten keeps
/// the key as a pseudonym and loses the name in sluss.toml. The editor's copies are
/// scrubbed too and left-over temporary files removed. sluss.toml keeps a salted digest
/// of the name, never the name, so that `sluss check` notices if it comes back. The
/// cases, their history and every number stay.
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
    let person = NameSet::new([name]);
    if person.is_empty() {
        return Err(crate::Error::usage(
            format!("'{name}' has no letters to look for"),
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
    let mut paths: Vec<(PathBuf, bool)> = cases.into_iter().map(|p| (p, true)).collect();
    for other in [
        repo.network_files()?,
        repo.program_files()?,
        repo.maturity_files()?,
    ] {
        paths.extend(other.into_iter().map(|p| (p, false)));
    }
    let contacts = contacts_everywhere(&repo, &paths, &person);
    let contact_set = NameSet::new(&contacts);
    let mut out = Outcome::default();
    for (path, is_case) in &paths {
        let forget =
            |doc: &mut toml_edit::DocumentMut| privacy::forget_in(doc, &person, &contact_set);
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
        out.record(&repo, path, edited);
    }
    let config_path = repo.config_path();
    let settings = forget_in_settings(&repo, &person, &contact_set, name, &contacts, args.dry_run);
    out.record(&repo, &config_path, settings);
    // The digest's template: published text in a file of its own.
    if let Some(template) = super::digest::template_file(&repo) {
        let scrubbed = repo.scrub_edit_copy(&template, args.dry_run, |text| {
            scrub_plain_text(text, &person, &contact_set)
        });
        let changes = scrubbed.map(|changed| {
            if changed {
                vec!["the digest's template: name removed".to_string()]
            } else {
                Vec::new()
            }
        });
        out.record(&repo, &template, changes);
    }
    scrub_leftovers(&repo, &person, &contact_set, args.dry_run, &mut out);
    if let Some((_, words)) = crate::domain::names::normal_key(name)
        && words > crate::check::forgotten::WINDOW
    {
        out.report.push_str(&format!(
            "note: the name has {words} words and `sluss check` looks for names of up to {}, so it will not notice this one if it comes back\n",
            crate::check::forgotten::WINDOW
        ));
    }
    if let Some(coach) = repo
        .config
        .coaches
        .iter()
        .find(|c| person.is_exactly(&c.name))
    {
        out.report.push_str(&format!(
            "note: coach '{}' keeps the key, which the cases use, as a pseudonym; only the name goes\n",
            coach.key
        ));
    }
    let verb = if args.dry_run {
        "would change"
    } else {
        "changed"
    };
    out.report.push_str(&format!(
        "{verb} {} place(s) in {} file(s)\n",
        out.places, out.files
    ));
    if out.files > 0 && !args.dry_run {
        // Cached titles and descriptions may still hold the name: the cache goes, and
        // the next report builds it again from the files as they are now.
        if let Err(e) = repo.clear_cache() {
            crate::output::safe_eprintln!(
                "warning: could not remove the cache ({e}); remove it by hand, it may still hold the name"
            );
        }
        out.report.push_str(
            "note: earlier versions in git history still hold the name; erasing it there means rewriting history (for example with git filter-repo) in every clone\n",
        );
    }
    output::emit(&out.report)?;
    if !args.dry_run {
        // `sluss.toml` keeps the digests of the forgotten name even when no name stood
        // in it, so it goes with the commit (git commits only what changed).
        let mut written = out.changed.clone();
        if !written.contains(&config_path) {
            written.push(config_path.clone());
        }
        // The message names no one: the commit outlives the erasure.
        super::commit_written(
            &repo,
            args.commit.commit,
            &written,
            &format!("forget: a person's name removed from {} file(s)", out.files),
        )?;
    }
    if !out.skipped.is_empty() {
        return Err(crate::Error::usage(
            format!(
                "{} file(s) could not be searched, so the person may still be named there: {}",
                out.skipped.len(),
                out.skipped.join(", ")
            ),
            "fix those files (the warnings above say why), then run forget again",
        )
        .into());
    }
    Ok(ExitCode::SUCCESS)
}

/// What forget did, file by file.
#[derive(Default)]
struct Outcome {
    report: String,
    files: usize,
    places: usize,
    /// The files changed, for `--commit`.
    changed: Vec<PathBuf>,
    /// A file that cannot be read or written does not stop the others: what was
    /// changed is still reported, and the command fails at the end naming it.
    skipped: Vec<String>,
}

impl Outcome {
    fn record(&mut self, repo: &Repo, path: &Path, edited: crate::Result<Vec<String>>) {
        let shown = path.strip_prefix(&repo.root).unwrap_or(path);
        match edited {
            Ok(changes) if changes.is_empty() => {}
            Ok(changes) => {
                self.files += 1;
                self.places += changes.len();
                self.changed.push(path.to_path_buf());
                for c in changes {
                    self.report.push_str(&format!("{}: {c}\n", shown.display()));
                }
            }
            Err(e) => {
                crate::output::safe_eprintln!("warning: skipped {e}");
                self.skipped.push(shown.display().to_string());
            }
        }
    }
}

/// The person's contact details, wherever they are recorded, so that they are removed
/// from the text of every file as the name is.
fn contacts_everywhere(repo: &Repo, paths: &[(PathBuf, bool)], person: &NameSet) -> Vec<String> {
    let mut contacts: Vec<String> = Vec::new();
    for (path, _) in paths {
        if let Ok(text) = repo.read_text(path)
            && let Ok(doc) = CaseDocument::parse(path, &text)
        {
            contacts.extend(privacy::contacts_of(doc.document(), person));
        }
    }
    contacts.sort();
    contacts.dedup();
    contacts
}

/// In `sluss.toml`: a coach of that name loses the name (the key stays), the name goes
/// from any other text, and the salted digests of the name and contact details are
/// listed under `[privacy]`, so that `check` catches them if they come back.
fn forget_in_settings(
    repo: &Repo,
    person: &NameSet,
    contact_set: &NameSet,
    name: &str,
    contacts: &[String],
    dry_run: bool,
) -> crate::Result<Vec<String>> {
    let mut changes = Vec::new();
    let mut edit = |config: &Config, doc: &mut toml_edit::DocumentMut| {
        changes.extend(privacy::forget_coach(doc, person));
        changes.extend(privacy::forget_in(doc, person, contact_set));
        // Not a change to report: the digests are what keeps the change.
        privacy::list_forgotten(
            config,
            doc,
            std::iter::once(name).chain(contacts.iter().map(String::as_str)),
        );
    };
    if dry_run {
        let path = repo.config_path();
        let text = repo.read_text(&path)?;
        let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
            crate::Error::syntax(&path, &text, e.span(), e.message())
        })?;
        edit(&repo.config, &mut doc);
    } else {
        repo.update_config(|config, doc| {
            edit(config, doc);
            Ok(())
        })?;
    }
    Ok(changes)
}

/// The editor's copies in `.sluss/edit/` are scrubbed as the cases are; temporary files
/// that crashed writers left behind are removed.
/// `text` without the person's name and contacts, read as plain text; `None` when it
/// names neither.
fn scrub_plain_text(text: &str, person: &NameSet, contacts: &NameSet) -> Option<String> {
    let mut text = text.to_string();
    let b = contacts.hide_in(&mut text, privacy::REMOVED);
    let a = person.hide_in(&mut text, privacy::REMOVED);
    (a || b).then_some(text)
}

fn scrub_leftovers(
    repo: &Repo,
    person: &NameSet,
    contact_set: &NameSet,
    dry_run: bool,
    out: &mut Outcome,
) {
    for copy in repo.edit_copies() {
        let scrubbed = repo.scrub_edit_copy(&copy, dry_run, |text| {
            // A copy that reads as TOML is scrubbed as a case is (its keys kept); a
            // half-edited one that does not is scrubbed as plain text.
            match text.parse::<toml_edit::DocumentMut>() {
                Ok(mut doc) => {
                    let changes = privacy::forget_in(&mut doc, person, contact_set);
                    (!changes.is_empty()).then(|| doc.to_string())
                }
                Err(_) => scrub_plain_text(text, person, contact_set),
            }
        });
        let changes = scrubbed.map(|changed| {
            if changed {
                vec!["the editor's copy: name removed".to_string()]
            } else {
                Vec::new()
            }
        });
        out.record(repo, &copy, changes);
    }
    for leftover in repo.remove_temp_leftovers(dry_run) {
        out.record(
            repo,
            &leftover,
            Ok(vec![
                "a temporary file left by a crashed writer: removed".to_string(),
            ]),
        );
    }
}
