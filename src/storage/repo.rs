//! Finding a repository, reading its settings and cases, and changing one case safely.

use std::borrow::Cow;
use std::fs;
use std::path::{Path, PathBuf};

use crate::domain::id::{id_from_file_name, is_id, is_id_text};
use crate::domain::key::is_reserved_name;

/// The most letters of an id whose spellings in upper and lower case are each looked
/// up, when a case file is named by its whole id (see `Repo::has_case_twin`): 12, the
/// length of an id `new` makes.
const MAX_PROBED_LETTERS: usize = crate::domain::id::ID_LEN;

/// Whether two lookups found one file (on a file system that ignores the case of
/// letters, every spelling of a name finds the same file).
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        // Windows ignores case but for folders set to tell it apart, which are rare.
        let _ = (a, b);
        true
    }
}
use crate::domain::{Case, Change, Config};
use crate::privacy::Facts;
use crate::storage::cache::{self, Cache, Stamp};
use crate::storage::document::CaseDocument;
use crate::storage::guard::{self, utf8};
use crate::storage::write;
use crate::{Error, Result};

pub const CONFIG_FILE: &str = "sluss.toml";
pub const CASES_DIR: &str = "cases";
/// Local state that is never committed: locks and the like.
pub const STATE_DIR: &str = ".sluss";

/// Case files larger than this are refused before they are read whole.
pub const MAX_CASE_BYTES: u64 = guard::MAX_FILE_BYTES;

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
    /// Whether its name is UTF-8 text; one that is not cannot be named on the command
    /// line, so it is a problem, not a case.
    named: bool,
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

    /// Why the file's name makes it no case: it is not UTF-8 text, so no command could
    /// name the case (`show` would not find it while `list` counted it).
    pub fn name_problem(&self) -> Option<Error> {
        (!self.named).then(|| Error::Invalid {
            path: self.path.clone(),
            message: "the file's name is not UTF-8 text, so no command can name this case; rename it to <id>.toml".to_string(),
        })
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

/// Every case of a repository after the first look at each ([`Repo::survey_for_report`]):
/// where each will come from for the second look ([`Survey::fold`],
/// [`Survey::fold_over`]), and the files that could not be read.
pub struct Survey<'r> {
    repo: &'r Repo,
    cache: Option<Cache>,
    entries: Vec<CaseEntry>,
    /// Per entry, in file order: where its case comes from, or `None` when it is broken.
    sources: Vec<Option<Source>>,
    broken: Vec<BrokenCase>,
    /// Whether the second look hands over the cases' sessions.
    sessions: bool,
}

impl std::fmt::Debug for Survey<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Survey")
            .field("entries", &self.entries.len())
            .field("broken", &self.broken.len())
            .finish_non_exhaustive()
    }
}

/// Where the second look finds a case.
enum Source {
    /// In the cache, at this entry.
    Cached(usize),
    /// Parsed by the first look (taken by the second).
    Parsed(Box<std::sync::Mutex<Option<Case>>>),
}

/// A case file as the first look finds it: the facts of a cache entry, or the case
/// just parsed.
enum Looked<'c> {
    Cached(usize, Facts<'c>),
    Parsed(Box<Case>),
}

impl Survey<'_> {
    /// The files that could not be read (each is left out of the second look). Taken:
    /// a second call gives none.
    pub fn take_broken(&mut self) -> Vec<BrokenCase> {
        std::mem::take(&mut self.broken)
    }

    /// Has the second look hand over each case without its sessions, for output that
    /// shows none (the cache then need not decode them).
    pub fn without_sessions(&mut self) {
        self.sessions = false;
    }

    /// The places of the cases that were read, in file order.
    pub fn places(&self) -> Vec<usize> {
        (0..self.sources.len())
            .filter(|&at| self.sources[at].is_some())
            .collect()
    }

    /// The second look: every case in file order, each thread folding its contiguous
    /// share into its own accumulator (made by `init`), as [`Repo::fold_for_report`]
    /// does. Returns the accumulators in file order, and the files that could not be
    /// read this time (only when one changed or vanished since the first look).
    pub fn fold<A, I, F>(&self, init: I, add: F) -> (Vec<A>, Vec<BrokenCase>)
    where
        A: Send,
        I: Fn() -> A + Sync,
        F: Fn(&mut A, usize, Case) + Sync,
    {
        self.fold_over(&self.places(), init, add)
    }

    /// As [`Survey::fold`], over the cases at `places` (from the first look), in that
    /// order. Each case is handed over once: a case asked for again is read again.
    pub fn fold_over<A, I, F>(&self, places: &[usize], init: I, add: F) -> (Vec<A>, Vec<BrokenCase>)
    where
        A: Send,
        I: Fn() -> A + Sync,
        F: Fn(&mut A, usize, Case) + Sync,
    {
        let parts = crate::parallel::fold(
            places,
            || (init(), Vec::new()),
            |(acc, broken), &at| match self.case(at) {
                Ok(case) => add(acc, at, case),
                Err(error) => broken.push(BrokenCase {
                    path: self.entries[at].path.clone(),
                    error,
                }),
            },
        );
        let mut accs = Vec::with_capacity(parts.len());
        let mut broken = Vec::new();
        for (acc, b) in parts {
            accs.push(acc);
            broken.extend(b);
        }
        (accs, broken)
    }

    /// The case at `at`: from the cache, or as the first look parsed it; read again if
    /// neither can give it.
    fn case(&self, at: usize) -> Result<Case> {
        let entry = &self.entries[at];
        let found = match &self.sources[at] {
            Some(Source::Cached(i)) => self
                .cache
                .as_ref()
                .and_then(|c| c.case_at(*i, self.sessions)),
            Some(Source::Parsed(case)) => case.lock().expect("case lock").take(),
            None => None,
        };
        let mut case = match found {
            Some(case) => case,
            None => {
                let (bytes, stamp) = self.repo.read_entry(entry)?;
                let hash = cache::content_hash(&bytes);
                let case = parse_case(&entry.path, &utf8(&entry.path, bytes)?)?;
                if let (Some(cache), Some(stamp)) = (&self.cache, stamp) {
                    let name = entry.path.file_name().unwrap_or_default().to_string_lossy();
                    cache.store(&name, stamp, hash, &case);
                }
                case
            }
        };
        if !self.sessions {
            case.sessions = Vec::new();
        }
        Ok(case)
    }

    /// Writes the cache back (see [`Repo::save_cache`]).
    pub fn finish(self) {
        if let Some(cache) = self.cache {
            self.repo.save_cache(cache);
        }
    }
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
        let text = guard::read_text(root, &path)?;
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
    /// as a writer's temporary files, are neither. A `cases/` that links out of the
    /// repository is refused.
    pub fn case_listing(&self) -> Result<(Vec<CaseEntry>, Vec<PathBuf>)> {
        let dir = self.cases_dir();
        self.guard_dir(&dir)?;
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
            let os_name = e.file_name();
            let named = os_name.to_str().is_some();
            let name = os_name.to_string_lossy();
            leftovers |= name.starts_with(write::TEMP_PREFIX);
            if name.starts_with('.') {
                continue;
            }
            if name.ends_with(".toml") {
                let link = e.file_type().is_ok_and(|t| t.is_symlink());
                files.push(CaseEntry {
                    path: e.path(),
                    link,
                    named,
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
        // The cache file is read while the folder is listed.
        let (entries, cache) = std::thread::scope(|scope| {
            let cache = from_cache.then(|| scope.spawn(|| self.open_cache()));
            let entries = self.case_entries();
            let cache = cache.and_then(|c| c.join().expect("the cache reader panicked"));
            (entries, cache)
        });
        let entries = entries?;
        let read = |entry: &CaseEntry| self.read_case_from(entry, cache.as_ref());
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
        if let Some(cache) = cache {
            self.save_cache(cache);
        }
        let mut accs = Vec::with_capacity(parts.len());
        let mut broken = Vec::new();
        for (acc, b) in parts {
            accs.push(acc);
            broken.extend(b);
        }
        Ok((accs, broken))
    }

    /// One case file: from the cache when it has the file unchanged, else read and
    /// parsed; a file whose name is no case id is refused.
    fn read_case_from(&self, entry: &CaseEntry, cache: Option<&Cache>) -> Result<Case> {
        if let Some(problem) = entry.name_problem() {
            return Err(problem);
        }
        match cache {
            Some(cache) => self.read_case_cached(entry, cache),
            None => {
                let (bytes, _) = self.read_entry(entry)?;
                parse_case(&entry.path, &utf8(&entry.path, bytes)?)
            }
        }
    }

    /// Reads the cases whose file name (without `.toml`) `only` accepts, for a glance
    /// that must neither write nor speak (shell completion): unchanged files come from
    /// the cache when there is one, which is not written back; nothing is said on stderr,
    /// and a file that cannot be read is left out. `pick` keeps what the glance needs of
    /// each case, in file order.
    pub fn glance<T, O, F>(&self, only: O, pick: F) -> Vec<T>
    where
        T: Send,
        O: Fn(&str) -> bool,
        F: Fn(&Case) -> Option<T> + Sync,
    {
        let cache = (cache::enabled()
            && self.guard_dir(&self.state_dir().join(cache::DIR)).is_ok())
        .then(|| Cache::open(&self.root, &self.state_dir()));
        let Ok(mut entries) = self.case_entries() else {
            return Vec::new();
        };
        entries.retain(|entry| {
            entry
                .path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .is_some_and(&only)
        });
        let read = |entry: &CaseEntry| self.read_case_from(entry, cache.as_ref());
        crate::parallel::fold(&entries, Vec::new, |found, entry| {
            if let Some(picked) = read(entry).ok().as_ref().and_then(&pick) {
                found.push(picked);
            }
        })
        .into_iter()
        .flatten()
        .collect()
    }

    /// Learns how the cases spell their units ([`Config::learn_unit_spellings`]), so
    /// that reports and filters take spellings that fold alike as one unit. A quiet
    /// look, as [`Repo::glance`]: a file that cannot be read is left out here.
    pub fn learn_units(&mut self) {
        let units = self.glance(|_| true, |case| Some(case.unit.clone()));
        self.config
            .learn_unit_spellings(units.iter().map(String::as_str));
    }

    /// The first of two looks at every case, for output that must know something of
    /// every case before it shows any (published output: the names to keep out of all
    /// text, the coaches' pseudonyms). Each thread notes the [`Facts`] of its contiguous
    /// share of the cases, in file order, into its own accumulator (made by `init`),
    /// with the case's place among the files. A case unchanged since the cache took it
    /// gives its facts without being decoded; any other is read and parsed now, and kept
    /// for the second look ([`Survey::fold`]), which hands over each case in turn to be
    /// shown and let go, so that the cases are never all held at once. As
    /// [`Repo::fold_for_report`], files that cannot be read are noted as broken.
    pub fn survey_for_report<A, I, F>(&self, init: I, note: F) -> Result<(Survey<'_>, Vec<A>)>
    where
        A: Send,
        I: Fn() -> A + Sync,
        F: Fn(&mut A, usize, &Facts) + Sync,
    {
        let (entries, cache) = std::thread::scope(|scope| {
            let cache = scope.spawn(|| self.open_cache());
            let entries = self.case_entries();
            (entries, cache.join().expect("the cache reader panicked"))
        });
        let entries = entries?;
        let numbered: Vec<(usize, &CaseEntry)> = entries.iter().enumerate().collect();
        let parts = crate::parallel::fold(
            &numbered,
            || (init(), Vec::new(), Vec::new()),
            |(acc, found, broken), &(at, entry)| match self.first_look(entry, cache.as_ref()) {
                Ok(Looked::Cached(i, facts)) => {
                    note(acc, at, &facts);
                    found.push(Some(Source::Cached(i)));
                }
                Ok(Looked::Parsed(case)) => {
                    note(acc, at, &Facts::of(&case));
                    found.push(Some(Source::Parsed(Box::new(std::sync::Mutex::new(Some(
                        *case,
                    ))))));
                }
                Err(error) => {
                    found.push(None);
                    broken.push(BrokenCase {
                        path: entry.path.clone(),
                        error,
                    });
                }
            },
        );
        let mut accs = Vec::with_capacity(parts.len());
        let mut sources = Vec::with_capacity(entries.len());
        let mut broken = Vec::new();
        for (acc, found, b) in parts {
            accs.push(acc);
            sources.extend(found);
            broken.extend(b);
        }
        Ok((
            Survey {
                repo: self,
                cache,
                entries,
                sources,
                broken,
                sessions: true,
            },
            accs,
        ))
    }

    /// What [`Repo::survey_for_report`] learns of one case file: its facts, and where
    /// the case will come from.
    fn first_look<'c>(&self, entry: &CaseEntry, cache: Option<&'c Cache>) -> Result<Looked<'c>> {
        if let Some(problem) = entry.name_problem() {
            return Err(problem);
        }
        let Some(cache) = cache else {
            let (bytes, _) = self.read_entry(entry)?;
            let case = parse_case(&entry.path, &utf8(&entry.path, bytes)?)?;
            return Ok(Looked::Parsed(Box::new(case)));
        };
        // As `read_case_cached`, with the facts in place of the case.
        let path = entry.path.as_path();
        let target = self.entry_target(entry)?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let meta = entry.metadata().map_err(|e| Error::io(path, e))?;
        let stamp = Stamp::of(&meta);
        if let Some(stamp) = stamp
            && let Some((at, facts)) = cache.facts_by_stamp(&name, stamp)
        {
            return Ok(Looked::Cached(at, facts));
        }
        let bytes = guard::read_bounded(path, &target, Some(&meta))?;
        let hash = cache::content_hash(&bytes);
        if let Some((at, facts)) = cache.facts_by_content(&name, hash, stamp) {
            return Ok(Looked::Cached(at, facts));
        }
        let case = parse_case(path, &utf8(path, bytes)?)?;
        if let Some(stamp) = stamp {
            cache.store(&name, stamp, hash, &case);
        }
        Ok(Looked::Parsed(Box::new(case)))
    }

    /// The file of the case whose id is, or starts with, `prefix`.
    pub fn resolve(&self, prefix: &str) -> Result<PathBuf> {
        if !is_id_text(prefix) {
            return Err(Error::BadCaseId(prefix.to_string()));
        }
        let wanted = prefix.to_ascii_lowercase();
        // A whole id goes straight to its file, without listing the folder: so naming a
        // case costs the same among ten cases as among a hundred thousand. Ids are one
        // id whatever the case of their letters, so a file that differs only in that
        // (`AbC.toml` beside `abc.toml`, on a file system that tells them apart) makes
        // the id ambiguous; it is looked for below. (A file `<id>-<words>.toml` claiming
        // the id too is `check`'s to report; a prefix still names them both.) A name
        // Windows reserves is never opened as a path.
        let direct = self.cases_dir().join(format!("{wanted}.toml"));
        if !is_reserved_name(&wanted)
            && let Ok(meta) = fs::symlink_metadata(&direct)
            && !meta.is_dir()
            && !self.has_case_twin(&wanted, &meta)?
        {
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

    /// Whether `cases/` holds another `<id>.toml` whose id is `wanted` (lowercase) with
    /// some of its letters in upper case. Each such spelling is looked up (at most
    /// 2^[`MAX_PROBED_LETTERS`] lookups, about 500 for an id `new` makes); the first
    /// that finds the very file `direct` is (`meta`) shows that the file system ignores
    /// case, so that no twin can exist. An id with more letters has its twins looked
    /// for in the folder's names.
    fn has_case_twin(&self, wanted: &str, meta: &fs::Metadata) -> Result<bool> {
        let dir = self.cases_dir();
        let letters: Vec<usize> = wanted
            .bytes()
            .enumerate()
            .filter(|(_, b)| b.is_ascii_alphabetic())
            .map(|(i, _)| i)
            .collect();
        if letters.len() > MAX_PROBED_LETTERS {
            let entries = fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))?;
            let twins = entries
                .filter_map(|e| e.ok())
                .filter(|e| {
                    let name = e.file_name();
                    let name = name.to_string_lossy();
                    name.strip_suffix(".toml")
                        .is_some_and(|id| id != wanted && id.eq_ignore_ascii_case(wanted))
                })
                .count();
            return Ok(twins > 0);
        }
        let mut spelled = wanted.as_bytes().to_vec();
        for mask in 1u32..(1 << letters.len()) {
            for (bit, &i) in letters.iter().enumerate() {
                spelled[i] = if mask >> bit & 1 == 1 {
                    wanted.as_bytes()[i].to_ascii_uppercase()
                } else {
                    wanted.as_bytes()[i]
                };
            }
            let name = format!("{}.toml", String::from_utf8_lossy(&spelled));
            if let Ok(other) = fs::symlink_metadata(dir.join(name)) {
                return Ok(!same_file(meta, &other));
            }
        }
        Ok(false)
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
        // A lock's name stays within what a file system takes, however long the file's.
        let name = if name.len() > 64 {
            let cut = (0..=64)
                .rev()
                .find(|&i| name.is_char_boundary(i))
                .unwrap_or(0);
            format!(
                "{}-{}",
                &name[..cut],
                crate::domain::id::fingerprint(name.as_bytes())
            )
        } else {
            name
        };
        lock.join(format!("{name}.lock"))
    }

    /// Takes `file`'s one lock (see [`Repo::lock_path`]).
    pub fn lock(&self, file: &Path) -> Result<write::Lock> {
        self.ensure_state_dir()?;
        self.lock_file(&self.lock_path(file))
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
        let _lock = self.lock(path)?;
        write::remove_leftovers_of(path);
        let text = self.read_case_text(path)?;
        let case = parse_case(path, &text)?;
        let change = decide(&case)?;
        let mut doc = CaseDocument::parse(path, &text)?;
        doc.apply(&change)?;
        let new_text = doc.render();
        let updated = parse_case(path, &new_text).map_err(|e| Error::Invalid {
            path: path.to_path_buf(),
            message: format!("the change would break the file, so it was not written: {e}"),
        })?;
        guard::atomic_write_locked(&self.root, path, new_text.as_bytes())?;
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
        let _lock = self.lock(path)?;
        write::remove_leftovers_of(path);
        let text = self.read_text(path)?;
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
        guard::atomic_write_locked(&self.root, path, new_text.as_bytes())?;
        Ok(changes)
    }

    /// Reads the case at `path` (found by `resolve`): the one way to read one case.
    pub fn read_case(&self, path: &Path) -> Result<Case> {
        let text = self.read_case_text(path)?;
        parse_case(path, &text)
    }

    /// The text of the case file at `path`, refusing a link that leads outside the
    /// repository (a link inside it is followed).
    pub fn read_case_text(&self, path: &Path) -> Result<String> {
        utf8(path, self.read_case_bytes(path)?)
    }

    /// The bytes of the case file at `path`, refusing a link that leads outside the
    /// repository (a link inside it is followed).
    pub fn read_case_bytes(&self, path: &Path) -> Result<Vec<u8>> {
        self.read_bytes(path)
    }

    /// The bytes of a case file found by listing `cases/` (whose folder the listing
    /// checked), and its stamp as it was before they were read: the same rules as
    /// [`Repo::read_case_bytes`], with fewer looks at the disk.
    pub fn read_entry(&self, entry: &CaseEntry) -> Result<(Vec<u8>, Option<Stamp>)> {
        if let Some(problem) = entry.name_problem() {
            return Err(problem);
        }
        let target = self.entry_target(entry)?;
        let meta = entry.metadata().map_err(|e| Error::io(&entry.path, e))?;
        let bytes = guard::read_bounded(&entry.path, &target, Some(&meta))?;
        Ok((bytes, Stamp::of(&meta)))
    }

    /// What to open to read a listed case file: itself, or where its link leads if that
    /// is inside the repository.
    fn entry_target<'e>(&self, entry: &'e CaseEntry) -> Result<Cow<'e, Path>> {
        if entry.link {
            guard::resolve_link(&self.root, &entry.path).map(Cow::Owned)
        } else {
            Ok(Cow::Borrowed(&entry.path))
        }
    }

    /// Reads one case, from the cache when its file is unchanged: by size and time, or
    /// else by its bytes (which are then read, but not parsed).
    fn read_case_cached(&self, entry: &CaseEntry, cache: &Cache) -> Result<Case> {
        let path = entry.path.as_path();
        let target = self.entry_target(entry)?;
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
        let bytes = guard::read_bounded(path, &target, Some(&meta))?;
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

    /// The cache of parsed cases, unless it is turned off or `.sluss/` (or its cache
    /// folder) links out of the repository: then reports go without it, and say why.
    pub fn open_cache(&self) -> Option<Cache> {
        if !cache::enabled() {
            return None;
        }
        let dir = self.state_dir().join(cache::DIR);
        if let Err(e) = self.guard_dir(&dir) {
            let why = match e {
                Error::Refused { message, .. } => message,
                e => e.to_string(),
            };
            crate::output::safe_eprintln!("warning: the cache is not used: {why}");
            return None;
        }
        Some(Cache::open(&self.root, &self.state_dir()))
    }

    /// Writes the cache back, if `.sluss/` can be made; failing is not an error.
    pub fn save_cache(&self, cache: Cache) {
        if self.ensure_state_dir().is_ok() {
            cache.save();
        }
    }

    /// Removes the cache (the next report builds it again), never through a link.
    pub fn clear_cache(&self) -> Result<()> {
        self.remove_dir_all(&self.state_dir().join(cache::DIR))
    }

    /// Writes a new case file; never overwrites.
    pub fn create_case(&self, case: &Case) -> Result<PathBuf> {
        if !is_id(&case.id) {
            return Err(Error::BadCaseId(case.id.clone()));
        }
        let dir = self.cases_dir();
        self.create_dir_all(&dir)?;
        let path = dir.join(format!("{}.toml", case.id));
        let text = CaseDocument::for_new_case(case).render();
        let _lock = self.lock(&path)?;
        self.create_file(&path, text.as_bytes())?;
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
        // The root is a small folder: leftovers of crashed writers go with every write.
        write::remove_all_leftovers_of(&path);
        write::sweep_stale_temp_files(&self.root);
        let text = self.read_text(&path)?;
        let config = Config::from_toml(&text)
            .map_err(|e| Error::syntax(&path, &text, e.span(), e.message()))?;
        let mut doc = CaseDocument::parse(&path, &text)?;
        edit(&config, doc.document_mut())?;
        let new_text = doc.render();
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
        guard::atomic_write_locked(&self.root, &path, new_text.as_bytes())?;
        Ok(updated)
    }

    /// Writes the JSON Schemas of case files and `sluss.toml` to `schemas/`, which
    /// the `#:schema` line of every new case file points at. Returns the files written.
    pub fn write_schemas(&self) -> Result<Vec<PathBuf>> {
        let dir = self.root.join(crate::schema::SCHEMAS_DIR);
        self.create_dir_all(&dir)?;
        let mut written = Vec::new();
        for (name, schema) in crate::schema::all() {
            let path = dir.join(name);
            let _lock = self.lock(&path)?;
            self.write_file(&path, crate::schema::to_text(&schema).as_bytes())?;
            written.push(path);
        }
        Ok(written)
    }

    /// See [`ignore_temp_files`].
    pub fn ignore_temp_files(&self) -> Result<bool> {
        ignore_temp_files(&self.root)
    }

    /// Creates `.sluss/` with a `.gitignore` that keeps it out of git. Refuses a
    /// `.sluss` that is a link leading out of the repository (or nowhere), so that no
    /// command keeps its locks, cache or edit copies outside it.
    pub fn ensure_state_dir(&self) -> Result<()> {
        let dir = self.state_dir();
        self.guard_dir(&dir)?;
        if !dir.is_dir() {
            self.create_dir_all(&dir)?;
            let ignore = dir.join(".gitignore");
            self.write_file(
                &ignore,
                b"# Local state of sluss (locks); never committed.\n*\n",
            )?;
        }
        Ok(())
    }
}

/// Makes sure the `.gitignore` at `root` keeps writers' temporary files (which a crash
/// can leave in `cases/` or at the root) out of git, adding the rule to what is there.
/// Returns whether it changed the file.
pub fn ignore_temp_files(root: &Path) -> Result<bool> {
    let path = root.join(".gitignore");
    let rule = format!("{}*", write::TEMP_PREFIX);
    let existing = match fs::symlink_metadata(&path) {
        Ok(_) => guard::read_text(root, &path)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(&path, e)),
    };
    if existing.lines().any(|l| l.trim() == rule) {
        return Ok(false);
    }
    let newline = if existing.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut text = existing.clone();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push_str(newline);
    }
    text.push_str(&format!(
        "# Temporary files of an interrupted sluss write; never committed.{newline}{rule}{newline}"
    ));
    guard::atomic_write(root, &path, text.as_bytes())?;
    Ok(true)
}

/// Reads a file that belongs to no repository (the versions git hands the merge
/// driver), refusing one that is too large and anything that is not a regular file.
/// A repository's own files are read through [`Repo::read_text`] instead.
pub fn read_foreign_text(path: &Path) -> Result<String> {
    utf8(path, guard::read_bounded(path, path, None)?)
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
