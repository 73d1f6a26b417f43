//! Finding a repository, reading its settings and cases, and changing one case safely.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::domain::id::{id_from_file_name, is_id_text};
use crate::domain::{Case, Change, Config};
use crate::storage::cache::{self, Cache, Stamp};
use crate::storage::document::CaseDocument;
use crate::storage::write;
use crate::{Error, Result};

pub const CONFIG_FILE: &str = "sluss.toml";
pub const CASES_DIR: &str = "cases";
/// Local state that is never committed: locks and the like.
pub const STATE_DIR: &str = ".sluss";

/// Case files larger than this are refused before they are read whole.
pub const MAX_CASE_BYTES: u64 = 4 * 1024 * 1024;

/// An opened repository: its root and its settings.
#[derive(Debug, Clone)]
pub struct Repo {
    pub root: PathBuf,
    pub config: Config,
}

/// A case file as found in the listing of `cases/`.
#[derive(Debug)]
pub struct CaseEntry {
    pub path: PathBuf,
    /// Whether it is a symbolic link (which must not lead out of the repository).
    pub link: bool,
    entry: fs::DirEntry,
}

impl CaseEntry {
    /// The file's metadata, looked up by name in the already opened folder rather than
    /// by walking its whole path again: with a hundred thousand files, that walk costs
    /// more than the rest of a warm report. A link is followed.
    fn metadata(&self) -> std::io::Result<fs::Metadata> {
        if self.link {
            fs::metadata(&self.path)
        } else {
            self.entry.metadata()
        }
    }

    /// The file's bytes (refused as [`read_bytes`] refuses them), and its stamp as it was
    /// before they were read.
    pub fn read(&self) -> Result<(Vec<u8>, Option<Stamp>)> {
        let meta = self.metadata().map_err(|e| Error::io(&self.path, e))?;
        Ok((read_bytes_of(&self.path, &meta)?, Stamp::of(&meta)))
    }
}

/// A case read from its file.
#[derive(Debug, Clone)]
pub struct LoadedCase {
    pub path: PathBuf,
    pub case: Case,
}

/// A case file that could not be read, and why.
#[derive(Debug)]
pub struct BrokenCase {
    pub path: PathBuf,
    pub error: Error,
}

/// Every case of a repository that could be read, in file-name order, and the files
/// that could not.
#[derive(Debug, Default)]
pub struct Portfolio {
    pub cases: Vec<LoadedCase>,
    pub broken: Vec<BrokenCase>,
}

impl Repo {
    /// Walks up from `start` to the first folder holding `sluss.toml`.
    pub fn discover(start: &Path) -> Result<PathBuf> {
        let start = start.canonicalize().map_err(|e| Error::io(start, e))?;
        start
            .ancestors()
            .find(|dir| dir.join(CONFIG_FILE).is_file())
            .map(Path::to_path_buf)
            .ok_or(Error::NoRepository { start })
    }

    /// Opens the repository at `root` and reads its settings.
    pub fn open(root: &Path) -> Result<Repo> {
        let path = root.join(CONFIG_FILE);
        if !path.is_file() {
            return Err(Error::NoRepository {
                start: root.to_path_buf(),
            });
        }
        let text = read_text(&path)?;
        let config = Config::from_toml(&text)
            .map_err(|e| Error::syntax(&path, &text, e.span(), e.message()))?;
        if let Some(problem) = config.problems().into_iter().next() {
            return Err(Error::Invalid {
                path,
                message: problem,
            });
        }
        Ok(Repo {
            root: root.to_path_buf(),
            config,
        })
    }

    pub fn config_path(&self) -> PathBuf {
        self.root.join(CONFIG_FILE)
    }

    pub fn cases_dir(&self) -> PathBuf {
        self.root.join(CASES_DIR)
    }

    pub fn state_dir(&self) -> PathBuf {
        self.root.join(STATE_DIR)
    }

    /// The case files, sorted by name. Hidden files (temporary files of a writer) and
    /// anything that is not a `.toml` file are not cases.
    pub fn case_files(&self) -> Result<Vec<PathBuf>> {
        Ok(self
            .case_entries()?
            .into_iter()
            .map(|entry| entry.path)
            .collect())
    }

    /// The case files, sorted by name, each with whether it is a symbolic link (known
    /// from the folder listing, without another look at the disk).
    pub fn case_entries(&self) -> Result<Vec<CaseEntry>> {
        Ok(self.case_listing()?.0)
    }

    /// [`Repo::case_entries`], and the entries of `cases/` that are not case files (a
    /// case folder holds only cases), from one listing of the folder. Hidden files, such
    /// as a writer's temporary files, are neither.
    pub fn case_listing(&self) -> Result<(Vec<CaseEntry>, Vec<PathBuf>)> {
        let dir = self.cases_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Vec::new(), Vec::new()));
            }
            Err(e) => return Err(Error::io(&dir, e)),
        };
        let mut leftovers = false;
        let mut files: Vec<CaseEntry> = Vec::new();
        let mut stray: Vec<PathBuf> = Vec::new();
        for e in entries.filter_map(|e| e.ok()) {
            let name = e.file_name();
            let name = name.to_string_lossy();
            leftovers |= name.starts_with(write::TEMP_PREFIX);
            if name.starts_with('.') {
                continue;
            }
            if name.ends_with(".toml") {
                let link = e.file_type().is_ok_and(|t| t.is_symlink());
                files.push(CaseEntry {
                    path: e.path(),
                    link,
                    entry: e,
                });
            } else {
                stray.push(e.path());
            }
        }
        // By the name's bytes: comparing whole paths component by component costs more
        // than everything else a report does with a hundred thousand names.
        files.sort_unstable_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
        stray.sort();
        if leftovers {
            write::sweep_stale_temp_files(&dir);
        }
        Ok((files, stray))
    }

    /// Reads every case, in parallel. A broken file does not stop the others.
    pub fn load(&self) -> Result<Portfolio> {
        self.load_cases(false)
    }

    /// Reads every case for a report that needs neither personal data nor notes:
    /// unchanged files come from the cache (see `storage::cache`), which holds neither.
    pub fn load_for_report(&self) -> Result<Portfolio> {
        self.load_cases(true)
    }

    fn load_cases(&self, from_cache: bool) -> Result<Portfolio> {
        let (parts, broken) = self.fold_cases(from_cache, Vec::new, |cases, path, case| {
            cases.push(LoadedCase {
                path: path.to_path_buf(),
                case,
            });
        })?;
        Ok(Portfolio {
            cases: parts.into_iter().flatten().collect(),
            broken,
        })
    }

    /// Reads every case for a report as [`Repo::load_for_report`] does, but hands each
    /// case to `add` as soon as it is read instead of keeping them all: each thread folds
    /// its contiguous share of the files (in file-name order) into its own accumulator,
    /// made by `init`. Returns the accumulators in file order, and the broken files.
    pub fn fold_for_report<A, I, F>(&self, init: I, add: F) -> Result<(Vec<A>, Vec<BrokenCase>)>
    where
        A: Send,
        I: Fn() -> A + Sync,
        F: Fn(&mut A, &Path, Case) + Sync,
    {
        self.fold_cases(true, init, add)
    }

    fn fold_cases<A, I, F>(
        &self,
        from_cache: bool,
        init: I,
        add: F,
    ) -> Result<(Vec<A>, Vec<BrokenCase>)>
    where
        A: Send,
        I: Fn() -> A + Sync,
        F: Fn(&mut A, &Path, Case) + Sync,
    {
        self.guard_cases_dir()?;
        // The cache file is read while the folder is listed.
        let (entries, cache) = std::thread::scope(|scope| {
            let cache = (from_cache && cache::enabled())
                .then(|| scope.spawn(|| Cache::open(&self.state_dir())));
            let entries = self.case_entries();
            let cache = cache.map(|c| c.join().expect("the cache reader panicked"));
            (entries, cache)
        });
        let entries = entries?;
        let read = |entry: &CaseEntry| {
            if entry.link {
                self.guard_inside(&entry.path)?;
            }
            match &cache {
                Some(cache) => read_case_cached(entry, cache),
                None => {
                    let (bytes, _) = entry.read()?;
                    parse_case(&entry.path, &utf8(&entry.path, bytes)?)
                }
            }
        };
        let parts = crate::parallel::fold(
            &entries,
            || (init(), Vec::new()),
            |(acc, broken), entry| match read(entry) {
                Ok(case) => add(acc, &entry.path, case),
                Err(error) => broken.push(BrokenCase {
                    path: entry.path.clone(),
                    error,
                }),
            },
        );
        if let Some(cache) = cache
            && self.ensure_state_dir().is_ok()
        {
            cache.save();
        }
        let mut accs = Vec::with_capacity(parts.len());
        let mut broken = Vec::new();
        for (acc, b) in parts {
            accs.push(acc);
            broken.extend(b);
        }
        Ok((accs, broken))
    }

    /// The file of the case whose id is, or starts with, `prefix`.
    pub fn resolve(&self, prefix: &str) -> Result<PathBuf> {
        if !is_id_text(prefix) {
            return Err(Error::BadCaseId(prefix.to_string()));
        }
        let wanted = prefix.to_ascii_lowercase();
        // A whole id goes straight to its file, without listing the folder: so naming a
        // case costs the same among ten cases as among a hundred thousand. (Two files
        // claiming one id are `check`'s to report; a prefix still names them both.)
        let direct = self.cases_dir().join(format!("{wanted}.toml"));
        if fs::symlink_metadata(&direct).is_ok_and(|m| !m.is_dir()) {
            return Ok(direct);
        }
        let mut exact = Vec::new();
        let mut matches = Vec::new();
        for path in self.case_files()? {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let Some(id) = id_from_file_name(name) else {
                continue;
            };
            let id = id.to_ascii_lowercase();
            if id == wanted {
                exact.push(path.clone());
            } else if id.starts_with(&wanted) {
                matches.push((id, path.clone()));
            }
        }
        let file_names = |paths: &[PathBuf]| {
            paths
                .iter()
                .map(|p| {
                    p.file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect()
        };
        match (exact.len(), matches.len()) {
            (1, _) => Ok(exact.remove(0)),
            (n, _) if n > 1 => Err(Error::DuplicateId {
                id: prefix.to_string(),
                files: file_names(&exact),
            }),
            (0, 1) => Ok(matches.remove(0).1),
            (0, n) if n > 1 && matches.iter().all(|(id, _)| *id == matches[0].0) => {
                let paths: Vec<PathBuf> = matches.iter().map(|(_, p)| p.clone()).collect();
                Err(Error::DuplicateId {
                    id: matches[0].0.clone(),
                    files: file_names(&paths),
                })
            }
            (0, 0) => Err(Error::UnknownCase(prefix.to_string())),
            _ => Err(Error::AmbiguousCase {
                prefix: prefix.to_string(),
                candidates: matches.into_iter().map(|(id, _)| id).collect(),
            }),
        }
    }

    /// The one lock file of `file`, which every writer of that file takes, whatever the
    /// command: derived from the file's path relative to the repository root, so that
    /// `programs/ip2018.toml` is locked by `.sluss/locks/programs/ip2018.toml.lock`
    /// and two files of one name in different folders do not share a lock.
    pub fn lock_path(&self, file: &Path) -> PathBuf {
        let locks = self.state_dir().join("locks");
        let absolute = if file.is_absolute() {
            file.to_path_buf()
        } else {
            self.root.join(file)
        };
        let relative = absolute
            .strip_prefix(&self.root)
            .ok()
            .map(Path::to_path_buf)
            .or_else(|| {
                let root = self.root.canonicalize().ok()?;
                let parent = absolute.parent()?.canonicalize().ok()?;
                let inside = parent.strip_prefix(&root).ok()?;
                Some(inside.join(absolute.file_name()?))
            })
            .unwrap_or_else(|| PathBuf::from(file.file_name().unwrap_or_default()));
        // Lexically normal, so that `cases/./x.toml` and `cases/x.toml` share a lock.
        let mut parts: Vec<String> = Vec::new();
        for part in relative.components() {
            match part {
                std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
                std::path::Component::ParentDir => {
                    parts.pop();
                }
                _ => {}
            }
        }
        let name = parts.pop().unwrap_or_default();
        let mut lock = locks;
        for dir in parts {
            // `.sluss/edit/x.toml` is locked in `locks/_.sluss/edit/`, apart from the
            // files of the repository itself.
            lock.push(if dir.starts_with('.') {
                format!("_{dir}")
            } else {
                dir
            });
        }
        lock.join(format!("{name}.lock"))
    }

    /// Takes `file`'s one lock (see [`Repo::lock_path`]).
    pub fn lock(&self, file: &Path) -> Result<write::Lock> {
        self.ensure_state_dir()?;
        write::lock(&self.lock_path(file))
    }

    /// Changes one case under its lock: reads it afresh, lets `decide` turn the current
    /// case into a change, applies that in place, checks the result still reads as a
    /// case, and writes it atomically. A refused change leaves the file untouched.
    pub fn update_case<F>(&self, path: &Path, decide: F) -> Result<(Change, Case)>
    where
        F: FnOnce(&Case) -> Result<Change>,
    {
        self.guard_write(path)?;
        self.ensure_state_dir()?;
        let _lock = write::lock(&self.lock_path(path))?;
        write::remove_leftovers_of(path);
        let text = read_text(path)?;
        let case = parse_case(path, &text)?;
        let change = decide(&case)?;
        let mut doc = CaseDocument::parse(path, &text)?;
        doc.apply(&change)?;
        let new_text = doc.render();
        let updated = parse_case(path, &new_text).map_err(|e| Error::Invalid {
            path: path.to_path_buf(),
            message: format!("the change would break the file, so it was not written: {e}"),
        })?;
        write::atomic_write_locked(path, new_text.as_bytes())?;
        Ok((change, updated))
    }

    /// Edits one case file's document in place under its lock (for changes that are not
    /// a domain `Change`, such as forgetting a person). `edit` says what it changed; the
    /// file is written only when something changed and it still reads as a case.
    pub fn edit_case_document<F>(&self, path: &Path, dry_run: bool, edit: F) -> Result<Vec<String>>
    where
        F: FnOnce(&mut toml_edit::DocumentMut) -> Vec<String>,
    {
        self.edit_document(path, dry_run, |p, t| parse_case(p, t).map(|_| ()), edit)
    }

    /// As [`Repo::edit_case_document`], for any of the repository's TOML files (a network
    /// member, a program's participants, an assessment): `valid` says whether a text
    /// reads as that kind of file.
    pub fn edit_document<V, F>(
        &self,
        path: &Path,
        dry_run: bool,
        valid: V,
        edit: F,
    ) -> Result<Vec<String>>
    where
        V: Fn(&Path, &str) -> Result<()>,
        F: FnOnce(&mut toml_edit::DocumentMut) -> Vec<String>,
    {
        self.guard_write(path)?;
        self.ensure_state_dir()?;
        let _lock = write::lock(&self.lock_path(path))?;
        write::remove_leftovers_of(path);
        let text = read_text(path)?;
        valid(path, &text)?;
        let mut doc = CaseDocument::parse(path, &text)?;
        let changes = edit(doc.document_mut());
        if changes.is_empty() || dry_run {
            return Ok(changes);
        }
        let new_text = doc.render();
        valid(path, &new_text).map_err(|e| Error::Invalid {
            path: path.to_path_buf(),
            message: format!("the change would break the file, so it was not written: {e}"),
        })?;
        write::atomic_write_locked(path, new_text.as_bytes())?;
        Ok(changes)
    }

    /// Refuses to write through a symbolic link, or into a folder that lies outside the
    /// repository (a `cases/` that is itself a link elsewhere).
    pub fn guard_write(&self, path: &Path) -> Result<()> {
        if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Error::refused(
                format!(
                    "{} is a symbolic link; sluss writes only regular files",
                    path.display()
                ),
                "replace the link with the file itself",
            ));
        }
        self.guard_inside(path.parent().unwrap_or(path))
    }

    /// Refuses a `cases/` that is a link to somewhere outside the repository.
    pub fn guard_cases_dir(&self) -> Result<()> {
        let dir = self.cases_dir();
        if fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
            self.guard_inside(&dir)?;
        }
        Ok(())
    }

    /// Reads the case at `path` (found by `resolve`), refusing a link that leads
    /// outside the repository.
    pub fn read_case_at(&self, path: &Path) -> Result<Case> {
        let text = self.read_case_text(path)?;
        parse_case(path, &text)
    }

    /// The text of the case file at `path`, refusing a link that leads outside the
    /// repository.
    pub fn read_case_text(&self, path: &Path) -> Result<String> {
        self.guard_cases_dir()?;
        if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            self.guard_inside(path)?;
        }
        read_text(path)
    }

    /// Refuses a path that, links resolved, lies outside the repository.
    pub fn guard_inside(&self, path: &Path) -> Result<()> {
        let root = self
            .root
            .canonicalize()
            .map_err(|e| Error::io(&self.root, e))?;
        match path.canonicalize() {
            Ok(real) if real.starts_with(&root) => Ok(()),
            Ok(real) => Err(Error::refused(
                format!(
                    "{} leads outside the repository, to {}",
                    path.display(),
                    real.display()
                ),
                "sluss reads and writes only inside the repository; replace the link with a real file or folder",
            )),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Writes a new case file; never overwrites.
    pub fn create_case(&self, case: &Case) -> Result<PathBuf> {
        if !is_id_text(&case.id) {
            return Err(Error::BadCaseId(case.id.clone()));
        }
        let dir = self.cases_dir();
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let path = dir.join(format!("{}.toml", case.id));
        self.guard_write(&path)?;
        let text = CaseDocument::for_new_case(case).render();
        let _lock = self.lock(&path)?;
        write::atomic_create(&path, text.as_bytes())?;
        Ok(path)
    }

    /// Changes `sluss.toml` in place under its lock, keeping comments and order, and
    /// writes it only if the result still reads as valid settings.
    pub fn update_config<F>(&self, edit: F) -> Result<Config>
    where
        F: FnOnce(&Config, &mut toml_edit::DocumentMut) -> Result<()>,
    {
        self.ensure_state_dir()?;
        let path = self.config_path();
        let _lock = self.lock(&path)?;
        let text = read_text(&path)?;
        let config = Config::from_toml(&text)
            .map_err(|e| Error::syntax(&path, &text, e.span(), e.message()))?;
        let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
            Error::syntax(&path, &text, e.span(), e.message())
        })?;
        edit(&config, &mut doc)?;
        let new_text = doc.to_string();
        let updated = Config::from_toml(&new_text).map_err(|e| Error::Invalid {
            path: path.clone(),
            message: format!("the change would break the file, so it was not written: {e}"),
        })?;
        if let Some(problem) = updated.problems().into_iter().next() {
            return Err(Error::Invalid {
                path,
                message: problem,
            });
        }
        write::atomic_write(&path, new_text.as_bytes())?;
        Ok(updated)
    }

    /// Writes the JSON Schemas of case files and `sluss.toml` to `schemas/`, which
    /// the `#:schema` line of every new case file points at. Returns the files written.
    pub fn write_schemas(&self) -> Result<Vec<PathBuf>> {
        let dir = self.root.join(crate::schema::SCHEMAS_DIR);
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let mut written = Vec::new();
        for (name, schema) in crate::schema::all() {
            let path = dir.join(name);
            let _lock = self.lock(&path)?;
            write::atomic_write(&path, crate::schema::to_text(&schema).as_bytes())?;
            written.push(path);
        }
        Ok(written)
    }

    /// Creates `.sluss/` with a `.gitignore` that keeps it out of git.
    pub fn ensure_state_dir(&self) -> Result<()> {
        let dir = self.state_dir();
        if !dir.is_dir() {
            fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
            let ignore = dir.join(".gitignore");
            fs::write(
                &ignore,
                "# Local state of sluss (locks); never committed.\n*\n",
            )
            .map_err(|e| Error::io(&ignore, e))?;
        }
        Ok(())
    }
}

/// Reads a file's bytes, refusing one that is too large before reading it whole, and
/// anything that is not a regular file (opening a named pipe would wait forever).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let meta = fs::metadata(path).map_err(|e| Error::io(path, e))?;
    read_bytes_of(path, &meta)
}

/// [`read_bytes`] of a file whose metadata was just looked up.
fn read_bytes_of(path: &Path, meta: &fs::Metadata) -> Result<Vec<u8>> {
    if !meta.is_file() {
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            message: "not a regular file, so it was not read".to_string(),
        });
    }
    let too_large = |len: u64| Error::Invalid {
        path: path.to_path_buf(),
        message: format!(
            "the file is too large ({len} bytes, more than the {MAX_CASE_BYTES} bytes a case file may have), so it was not read"
        ),
    };
    let len = meta.len();
    if len > MAX_CASE_BYTES {
        return Err(too_large(len));
    }
    let file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    // Bounded, in case the file grew since its size was looked at.
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_CASE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_CASE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads a file as UTF-8 text, refusing one that is too large before reading it whole.
pub fn read_text(path: &Path) -> Result<String> {
    utf8(path, read_bytes(path)?)
}

/// A file's bytes as text, or where they stop being UTF-8.
fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let offset = e.utf8_error().valid_up_to();
        Error::syntax(
            path,
            &text,
            Some(offset..offset),
            "the file is not valid UTF-8 text",
        )
    })
}

/// Parses a case file's text, locating any error by line and column.
pub fn parse_case(path: &Path, text: &str) -> Result<Case> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body.trim().is_empty() {
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            message: "the file is empty".to_string(),
        });
    }
    Case::from_toml(body).map_err(|e| Error::syntax(path, body, e.span(), e.message()))
}

/// Reads one case, from the cache when its file is unchanged: by size and time, or else
/// by its bytes (which are then read, but not parsed).
fn read_case_cached(entry: &CaseEntry, cache: &Cache) -> Result<Case> {
    let path = entry.path.as_path();
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let meta = entry.metadata().map_err(|e| Error::io(path, e))?;
    let stamp = Stamp::of(&meta);
    if let Some(stamp) = stamp
        && let Some(case) = cache.by_stamp(&name, stamp)
    {
        return Ok(case);
    }
    // A new stamp on the same bytes (a fresh clone gives every file a new time) still
    // spares the parsing.
    let bytes = read_bytes_of(path, &meta)?;
    let hash = cache::content_hash(&bytes);
    if let Some(case) = cache.by_content(&name, hash, stamp) {
        return Ok(case);
    }
    let case = parse_case(path, &utf8(path, bytes)?)?;
    if let Some(stamp) = stamp {
        cache.store(&name, stamp, hash, &case);
    }
    Ok(case)
}

/// Reads and parses one case file.
pub fn read_case(path: &Path) -> Result<Case> {
    let text = read_text(path)?;
    parse_case(path, &text)
}
