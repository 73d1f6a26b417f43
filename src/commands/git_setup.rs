//! `sluss git-setup` and `sluss merge-driver`: let git merge sluss's files by itself,
//! exactly (see `crate::merge`), and never leave a merge that lost a side unmarked.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use chrono::{DateTime, FixedOffset};

use crate::context::Context;
use crate::merge;
use crate::output;
use crate::storage::guard::read_bounded;
use crate::storage::{Repo, git, write};

/// The line in `.gitattributes` that hands case files to sluss's merge driver.
pub const ATTRIBUTES_LINE: &str = "cases/*.toml merge=sluss";

/// Every line in `.gitattributes` for the merge driver: cases, programs' participants,
/// network members, maturity assessments and the settings (whose coaches and programs
/// two branches add are kept as those of a case's log).
pub const ATTRIBUTES_LINES: [&str; 5] = [
    ATTRIBUTES_LINE,
    "programs/*.toml merge=sluss",
    "network/*.toml merge=sluss",
    "maturity/*.toml merge=sluss",
    "/sluss.toml merge=sluss",
];

/// The driver command in git's config. It names `sluss` as found on PATH, not the file
/// that ran `git-setup`, so that it keeps working after sluss is upgraded or rebuilt.
/// When sluss cannot run (not on PATH, or it failed), the shell puts both versions
/// between conflict markers: git reports a conflict, and the file shows it.
pub const DRIVER: &str = "sluss merge-driver %O %A %B %P; s=$?; [ $s -le 1 ] && exit $s; \
echo \"sluss: the merge driver could not run (exit $s); both versions are left between conflict markers\" >&2; \
{ echo '<<<<<<< ours'; awk 1 %A; echo '======='; awk 1 %B; echo '>>>>>>> theirs'; } > %A.sluss && mv %A.sluss %A; exit 1";

/// Register sluss's merge driver for cases/, programs/, network/, maturity/ and
/// sluss.toml in .gitattributes and git's config.
///
/// Afterwards `git merge` keeps every session and history entry two branches logged on
/// one case (and every participant added to one program, every coach and program added
/// to sluss.toml), merges the rest field by field, and exits cleanly only when the result passes `sluss check`; anything else is
/// left between conflict markers. Git runs the `sluss` it finds on PATH.
#[derive(Debug, clap::Args)]
pub struct SetupArgs {
    #[command(flatten)]
    pub commit: super::CommitArgs,
}

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

pub fn setup(ctx: &Context, args: SetupArgs) -> Result<ExitCode> {
    let repo = ctx.open_repo()?;
    let done = install(&repo)?;
    super::commit_written(
        &repo,
        args.commit.commit,
        &[repo.root.join(".gitattributes")],
        "git: case files are merged by sluss",
    )?;
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
    repo.ignore_temp_files()?;
    let attributes = repo.root.join(".gitattributes");
    let _lock = repo.lock(&attributes)?;
    let existing = if attributes.exists() {
        repo.read_text(&attributes)?
    } else {
        String::new()
    };
    let missing: Vec<&str> = ATTRIBUTES_LINES
        .into_iter()
        .filter(|line| !existing.lines().any(|l| l.trim() == *line))
        .collect();
    if !missing.is_empty() {
        let mut text = existing.clone();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        if !existing.lines().any(|l| l.trim() == ATTRIBUTES_LINE) {
            text.push_str(
                "# sluss's files are merged by sluss: logs as multisets, fields three-way.\n",
            );
        }
        for line in missing {
            text.push_str(line);
            text.push('\n');
        }
        repo.write_file(&attributes, text.as_bytes())?;
    }
    git::set_config(
        &repo.root,
        "merge.sluss.name",
        "sluss: union of case histories and sessions",
    )?;
    let before = git::get_config(&repo.root, "merge.sluss.driver");
    git::set_config(&repo.root, "merge.sluss.driver", DRIVER)?;
    let mut done = format!(
        "git now merges case files with sluss ({} and merge.sluss.driver in .git/config). Commit .gitattributes so the team shares it; each clone runs `sluss git-setup` once.",
        ATTRIBUTES_LINE
    );
    if let Some(old) = before.filter(|old| old != DRIVER) {
        done.push_str(&format!(
            "\nnote: replaced the driver registered as `{old}`: git now runs the `sluss` it finds on PATH"
        ));
    }
    if !on_path("sluss") {
        done.push_str("\nnote: there is no `sluss` on PATH, so git cannot run the driver and leaves case files it merges with conflict markers; put sluss on PATH (`cargo install` does)");
    }
    Ok(done)
}

/// Whether a program called `name` is in a folder on PATH.
fn on_path(name: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            [name.to_string(), format!("{name}.exe")]
                .iter()
                .any(|file| dir.join(file).is_file())
        })
    })
}

/// A note for a repository whose git config registers a merge driver other than
/// [`DRIVER`] (an older sluss pinned the absolute path of the binary that set it up,
/// which stops working once that file is gone).
///
/// Also a note for a clone whose `.gitattributes` hands case files to the driver while
/// git's config does not define it: git then merges them line by line, silently.
pub fn stale_driver_note(root: &Path) -> Option<String> {
    let Some(driver) = git::get_config(root, "merge.sluss.driver") else {
        let handed = git::attribute(root, "cases/x.toml", "merge").as_deref() == Some("sluss");
        return (handed && git::get_config_anywhere(root, "merge.sluss.driver").is_none()).then(|| {
            "note: .gitattributes hands case files to sluss's merge driver, but git's config does not define it here, so git merges them line by line (sessions logged on two branches collide, and nothing checks the result)\nhint: run `sluss git-setup` once in this clone".to_string()
        });
    };
    (driver != DRIVER).then(|| {
        format!(
            "note: git's merge driver for sluss files is registered as `{driver}`, which may not run after sluss is upgraded or rebuilt\nhint: run `sluss git-setup` to register it by name"
        )
    })
}

pub fn driver(ctx: &Context, args: DriverArgs) -> Result<ExitCode> {
    let name = args
        .path
        .clone()
        .unwrap_or_else(|| args.ours.display().to_string());
    let now = ctx.now;
    // Whatever happens inside, the file ends with the merge or with markers, and a
    // non-zero exit unless the merge is clean: never our side alone.
    let decided = std::panic::catch_unwind(|| decide(&args, &name, now));
    let (bytes, clean) = match decided {
        Ok(Ok(done)) => done,
        failed => {
            let why = match failed {
                Ok(Err(e)) => format!("{e:#}"),
                _ => "the merge driver failed".to_string(),
            };
            crate::output::safe_eprintln!(
                "sluss: {name}: {why}; both versions are left between conflict markers"
            );
            // Without our version there is nothing to mark: leave the file as it is, and
            // the failure to git (and the shell around the driver).
            let ours = read_foreign_bytes(&args.ours)?;
            let theirs = read_foreign_bytes(&args.theirs).unwrap_or_default();
            (merge::whole_file_markers(&ours, &theirs), false)
        }
    };
    write::atomic_write_record(&args.ours, &bytes)?;
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The merged bytes, and whether they are clean (free of conflicts and passing `check`).
fn decide(args: &DriverArgs, name: &str, now: DateTime<FixedOffset>) -> Result<(Vec<u8>, bool)> {
    let read = |p: &PathBuf| read_foreign_bytes(p);
    let (base, ours, theirs) = (read(&args.base)?, read(&args.ours)?, read(&args.theirs)?);
    let texts = match (
        std::str::from_utf8(&base),
        std::str::from_utf8(&ours),
        std::str::from_utf8(&theirs),
    ) {
        (Ok(b), Ok(o), Ok(t)) => Some([b, o, t]),
        _ => None,
    };
    let merged = texts.map(|[b, o, t]| merge::merge_case(b, o, t));
    let (why, unreadable) = match merged {
        Some(Ok(merged)) if merged.conflicts.is_empty() => {
            let problems = merge::problems(&check_path(args, &merged.text), &merged.text, now);
            if problems.is_empty() {
                return Ok((merged.text.into_bytes(), true));
            }
            let why = format!(
                "the merged file would not pass `sluss check` ({})",
                problems.join("; ")
            );
            (why, false)
        }
        Some(Ok(merged)) if merged.marked => {
            crate::output::safe_eprintln!(
                "sluss: {name}: both sides changed {}; resolve the marked lines, then `sluss check`",
                merged.conflicts.join(", ")
            );
            return Ok((merged.text.into_bytes(), false));
        }
        Some(Ok(merged)) => (
            format!("both sides changed {}", merged.conflicts.join(", ")),
            // Lists whose order means something: git's line merge keeps both sides'
            // places, and stands when it is clean and passes check.
            merged
                .conflicts
                .iter()
                .all(|c| merge::ORDERED.contains(&c.as_str())),
        ),
        Some(Err(why)) => (format!("not merged as a case ({why})"), true),
        None => (
            "not merged as a case (a version is not UTF-8 text)".to_string(),
            true,
        ),
    };
    // A person one side forgot stays forgotten in the line merge and its markers too.
    let forgotten = texts.and_then(|[b, o, t]| merge::forgetting(b, o, t));
    let [base, ours, theirs] = match &forgotten {
        Some([b, o, t]) => [b.as_bytes(), o.as_bytes(), t.as_bytes()],
        None => [&base[..], &ours[..], &theirs[..]],
    };
    let (lines, clean) = git::merge_texts(base, ours, theirs)?;
    let text = std::str::from_utf8(&lines).ok();
    if clean {
        // A version sluss could not read merged line by line: kept if check passes.
        if unreadable
            && let Some(text) = text
            && merge::problems(&check_path(args, text), text, now).is_empty()
        {
            crate::output::safe_eprintln!("sluss: {name}: {why}; merged line by line");
            return Ok((lines, true));
        }
    }
    crate::output::safe_eprintln!(
        "sluss: {name}: {why}; resolve the marked lines, then `sluss check`"
    );
    let versions = [base, ours, theirs].map(|v| std::str::from_utf8(v).ok());
    let marked_well = !clean
        && match (text, versions) {
            (Some(text), [Some(b), Some(o), Some(t)]) => merge::resolves_cleanly(text, [b, o, t]),
            _ => true,
        };
    if marked_well {
        Ok((lines, false))
    } else {
        Ok((merge::whole_file_markers(ours, theirs), false))
    }
}

/// The path `check` knows the file by: git's %P, or for a case merged without it,
/// `cases/<id>.toml` after the id it holds.
fn check_path(args: &DriverArgs, text: &str) -> PathBuf {
    if let Some(path) = &args.path {
        return PathBuf::from(path);
    }
    let id = text
        .parse::<toml_edit::DocumentMut>()
        .ok()
        .and_then(|d| d.get("id").and_then(|i| i.as_str()).map(str::to_string))
        .unwrap_or_else(|| "unknown".to_string());
    PathBuf::from(format!("cases/{id}.toml"))
}

/// A version git hands the driver (outside any repository sluss guards), bounded as
/// every file sluss reads is.
fn read_foreign_bytes(path: &Path) -> crate::Result<Vec<u8>> {
    read_bounded(path, path, None)
}
