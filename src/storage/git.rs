//! The few git operations sluss needs, through the `git` command that teams already use.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Error, Result};

fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| {
            Error::refused(
                format!("could not run git: {e}"),
                "install git, or leave out --commit",
            )
        })?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(Error::refused(
            format!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ),
            "see git's message above",
        ))
    }
}

/// The top folder of the git work tree that holds `dir`, if any.
pub fn toplevel(dir: &Path) -> Option<PathBuf> {
    git(dir, &["rev-parse", "--show-toplevel"])
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

/// Commits exactly `file` with `message`, leaving anything else staged as it was.
pub fn commit_file(dir: &Path, file: &Path, message: &str) -> Result<()> {
    let file = file.to_string_lossy();
    git(dir, &["add", "--", &file])?;
    git(
        dir,
        &[
            "commit",
            "--quiet",
            "--message",
            message,
            "--only",
            "--",
            &file,
        ],
    )
    .map(|_| ())
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
