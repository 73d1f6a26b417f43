//! The files that are not records but may still hold what a person wrote: the editor's
//! copies in `.sluss/edit/` and temporary files that a crashed writer left behind.
//! `forget` scrubs the first and removes the second, each under its file's lock.

use std::fs;
use std::path::PathBuf;

use crate::Result;
use crate::storage::repo::Repo;
use crate::storage::write::TEMP_PREFIX;

impl Repo {
    /// The copies that `sluss edit` keeps in `.sluss/edit/`.
    pub fn edit_copies(&self) -> Vec<PathBuf> {
        let dir = self.state_dir().join("edit");
        // Never the listing of a folder outside the repository.
        if self.guard_dir(&dir).is_err() {
            return Vec::new();
        }
        let mut out: Vec<PathBuf> = fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.path())
            .collect();
        out.sort();
        out
    }

    /// Rewrites the edit copy at `path` under its lock with what `scrub` makes of its
    /// text (`None`: nothing to change). Says whether it changed.
    pub fn scrub_edit_copy(
        &self,
        path: &std::path::Path,
        dry_run: bool,
        scrub: impl FnOnce(&str) -> Option<String>,
    ) -> Result<bool> {
        let _lock = self.lock(path)?;
        let text = self.read_text(path)?;
        let Some(new) = scrub(&text) else {
            return Ok(false);
        };
        if !dry_run {
            self.write_file(path, new.as_bytes())?;
        }
        Ok(true)
    }

    /// Removes the temporary files that writers left in the repository's folders (the
    /// root, `cases/`, `network/`, `programs/`, `maturity/`, `.sluss/edit/`), each
    /// under the lock of the file it was written for, so that no living writer loses
    /// one. Returns those removed (or, with `dry_run`, those that would be).
    pub fn remove_temp_leftovers(&self, dry_run: bool) -> Vec<PathBuf> {
        let dirs = [
            self.root.clone(),
            self.cases_dir(),
            self.network_dir(),
            self.programs_dir(),
            self.maturity_dir(),
            self.state_dir().join("edit"),
        ];
        let mut removed = Vec::new();
        for dir in dirs {
            if self.guard_dir(&dir).is_err() {
                continue;
            }
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            let mut leftovers: Vec<PathBuf> = entries
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.path())
                .collect();
            leftovers.sort();
            for leftover in leftovers {
                let name = leftover.file_name().unwrap_or_default().to_string_lossy();
                // `.sluss-tmp-<target>-<random>.tmp`: the target is before the last '-'.
                let rest = &name[TEMP_PREFIX.len()..];
                let target = rest.rsplit_once('-').map_or(rest, |(t, _)| t);
                let Ok(_lock) = self.lock(&dir.join(target)) else {
                    continue;
                };
                if dry_run || self.remove_file(&leftover).is_ok() {
                    removed.push(leftover);
                }
            }
        }
        removed
    }
}
