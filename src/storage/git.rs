//! The few git operations sluss needs, through the `git` command that teams already use.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::{Error, Result};

/// `git ARGS` in `dir`, fed `input` on standard input. Paths are taken literally, never
/// as patterns, so that a file named `*.toml` means that file.
fn git_with_input(dir: &Path, args: &[&str], input: Option<&[u8]>) -> Result<String> {
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_LITERAL_PATHSPECS", "1")
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            Error::refused(
                format!("could not run git: {e}"),
                "install git, or leave out --commit",
            )
        })?;
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        // A git that stops reading early reports why on its own.
        let _ = stdin.write_all(input);
    }
    let out = child.wait_with_output().map_err(|e| Error::io(dir, e))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        let said = String::from_utf8_lossy(&out.stderr).trim().to_string();
        let command = args.first().copied().unwrap_or_default();
        Err(Error::refused(
            if said.is_empty() {
                format!("git {command} failed ({}) and said nothing", out.status)
            } else {
                format!("git {command} failed: {said}")
            },
            "see git's message above",
        ))
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<String> {
    git_with_input(dir, args, None)
}

/// The top folder of the git work tree that holds `dir`, if any.
pub fn toplevel(dir: &Path) -> Option<PathBuf> {
    git(dir, &["rev-parse", "--show-toplevel"])
        .ok()
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
}

/// Where `dir` lies inside its git work tree, from the top (`kommun/sluss/`; empty at
/// the top), if it is inside one.
pub fn prefix(dir: &Path) -> Option<PathBuf> {
    git(dir, &["rev-parse", "--show-prefix"])
        .ok()
        .map(PathBuf::from)
}

/// Sets a key in the repository's own git config (`.git/config`).
pub fn set_config(dir: &Path, key: &str, value: &str) -> Result<()> {
    git(dir, &["config", "--local", key, value]).map(|_| ())
}

/// A key of the repository's own git config, when it is set.
pub fn get_config(dir: &Path, key: &str) -> Option<String> {
    git(dir, &["config", "--local", "--get", key]).ok()
}

/// A key of git's config as git reads it (the repository's own, the user's or the
/// system's), when it is set anywhere.
pub fn get_config_anywhere(dir: &Path, key: &str) -> Option<String> {
    git(dir, &["config", "--get", key]).ok()
}

/// The value git's attributes give `attribute` for `path` (relative to `dir`), when
/// they set it to a value.
pub fn attribute(dir: &Path, path: &str, attribute: &str) -> Option<String> {
    let out = git(dir, &["check-attr", attribute, "--", path]).ok()?;
    let value = out.trim_end().rsplit(": ").next()?;
    (!["unspecified", "set", "unset"].contains(&value)).then(|| value.to_string())
}

/// The files in or below `dir` that git has not finished merging (a conflict not yet
/// resolved with `git add` or `git rm`), relative to `dir`; none outside git.
pub fn unmerged(dir: &Path) -> Vec<PathBuf> {
    let Ok(out) = git(dir, &["ls-files", "--unmerged", "-z"]) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = out
        .split('\0')
        .filter_map(|entry| entry.split_once('\t').map(|(_, path)| PathBuf::from(path)))
        .collect();
    paths.dedup();
    paths
}

/// Commits exactly `files` (inside the repository at `root`) with `message`, leaving
/// anything else staged as it was.
///
/// git runs in `root` made absolute, with each file named relative to it, so that a
/// relative `--repo` names the same files for git as for sluss. When the commit is
/// refused (a pre-commit hook, a missing committer), the index entries of `files` are
/// put back exactly as they were before, so that nothing sluss staged is swept into
/// the next commit; the files themselves stay as written.
pub fn commit_files(root: &Path, files: &[PathBuf], message: &str) -> Result<()> {
    let root = std::path::absolute(root).map_err(|e| Error::io(root, e))?;
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            let abs = std::path::absolute(f).unwrap_or_else(|_| f.clone());
            abs.strip_prefix(&root)
                .map(Path::to_path_buf)
                .unwrap_or(abs)
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let with_names = |args: &[&str]| -> Vec<String> {
        args.iter()
            .map(|a| a.to_string())
            .chain(["--".to_string()])
            .chain(names.iter().cloned())
            .collect()
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        git(&root, &args)
    };
    let before = run(with_names(&["ls-files", "--stage", "-z", "--full-name"]))?;
    run(with_names(&["add"]))?;
    // Files written as they already were in the last commit: nothing to commit.
    if run(with_names(&["diff", "--cached", "--quiet"])).is_ok() {
        return Ok(());
    }
    let committed = run(with_names(&[
        "commit",
        "--quiet",
        "--message",
        message,
        "--only",
    ]));
    let Err(refused) = committed else {
        return Ok(());
    };
    let restored = restore_index(&root, &names, &before);
    let git_said = match &refused {
        Error::Refused { message, .. } => message.clone(),
        other => other.to_string(),
    };
    Err(match restored {
        Ok(()) => Error::refused(
            git_said,
            "nothing was left staged; deal with what git said, then commit the file(s) by hand (`git add` and `git commit`), or run without --commit",
        ),
        Err(e) => Error::refused(
            format!("{git_said}; and putting back what was staged failed too: {e}"),
            "look at `git status`: the file(s) may still be staged",
        ),
    })
}

/// Puts the index entries of `names` (relative to `root`) back as
/// `git ls-files --stage -z --full-name` listed them (`before`, paths from the top of
/// the work tree): entries that were there are written back, the others removed.
fn restore_index(root: &Path, names: &[String], before: &str) -> Result<()> {
    let top = toplevel(root).ok_or_else(|| {
        Error::refused(
            format!("{} is not inside a git work tree", root.display()),
            "see git's message above",
        )
    })?;
    let prefix = git(root, &["rev-parse", "--show-prefix"])?;
    let entries: Vec<&str> = before.split('\0').filter(|e| !e.is_empty()).collect();
    let listed: Vec<&str> = entries
        .iter()
        .filter_map(|e| e.split_once('\t').map(|(_, path)| path))
        .collect();
    let gone: Vec<String> = names
        .iter()
        .map(|n| format!("{prefix}{n}"))
        .filter(|n| !listed.contains(&n.as_str()))
        .collect();
    if !gone.is_empty() {
        let mut args = vec!["update-index", "--force-remove", "--"];
        args.extend(gone.iter().map(String::as_str));
        git(&top, &args)?;
    }
    if !entries.is_empty() {
        let mut input = entries.join("\0").into_bytes();
        input.push(0);
        git_with_input(&top, &["update-index", "-z", "--index-info"], Some(&input))?;
    }
    Ok(())
}

/// A line-based three-way merge of three texts: the merged bytes, with git's conflict
/// markers where lines collide, and whether there were none.
pub fn merge_texts(base: &[u8], ours: &[u8], theirs: &[u8]) -> Result<(Vec<u8>, bool)> {
    let dir = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let mut paths = Vec::new();
    for (name, bytes) in [("ours", ours), ("base", base), ("theirs", theirs)] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
        paths.push(path);
    }
    let out = Command::new("git")
        .args([
            "merge-file",
            "-p",
            "-L",
            "ours",
            "-L",
            "base",
            "-L",
            "theirs",
        ])
        .args(&paths)
        .output()
        .map_err(|e| Error::io(&paths[0], e))?;
    match out.status.code() {
        Some(0) => Ok((out.stdout, true)),
        Some(1..=127) => Ok((out.stdout, false)),
        _ => Err(Error::refused(
            format!(
                "git merge-file failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
            "see git's message above",
        )),
    }
}
