//! An invisible cache of parsed cases under `.sluss/cache/`, so that a report over tens
//! of thousands of cases need not parse every file every time.
//!
//! It is never trusted blindly. Each entry remembers its file's stamp and a hash of its
//! bytes. Reports reuse an entry while the stamp is unchanged (as git's index does);
//! when it has changed, they read the file and reuse the entry only if the bytes hash
//! the same (then the entry takes the new stamp). `check` reads every file and reuses
//! an entry only when the bytes hash the same.
//!
//! What makes a stamp trustworthy is that no change of the bytes can keep it:
//! - It holds the size, the modification time *and the status-change time* (ctime), in
//!   nanoseconds, and the file's device and inode. A program can set the modification
//!   time back (`touch -r`, `cp -p`, an editor that keeps times), but not the ctime:
//!   every write and every `touch` sets it to the clock. A file replaced by another
//!   (an atomic rename, a checkout) has another inode.
//! - Two writes within one second get different stamps: the times are kept to the
//!   nanosecond, and the ctime of every write is the clock's (its tick is a few
//!   milliseconds, shorter than any command). A file modified less than two seconds
//!   before the command ran is still not cached (nor restamped) until it has aged, as
//!   git does with racily clean files; on a file system that keeps whole seconds only
//!   (no time has a fraction), the same holds for its ctime, so that a second write in
//!   the same second cannot share the stamp of the first.
//!
//! A cache is believed only in the folder it was made in: its index names the cache
//! folder's device, inode and birth time, which no one can know before the folder
//! exists. A cache that came from elsewhere (committed to git by a hostile repository,
//! unpacked from an archive, copied or restored with the rest) could otherwise hold any
//! case under the hash of a file's true bytes; it is rebuilt instead.
//!
//! A cache that is missing, cut short, of another version or unreadable is rebuilt. It
//! keeps as little personal data as it can: free-text notes and contact details are left
//! out, and a submitter's name is kept only when they agreed to be named in published
//! output; otherwise only fingerprints of name and contact, with which published output
//! finds the name in titles. Titles and
//! descriptions may still name someone, so `forget` removes the whole cache. A case with
//! a move forced past a gate is not cached at all: the report lists such moves with
//! their notes, which the cache does not keep, so those few files are always read.
//! `SLUSS_NO_CACHE=1` turns it off.

use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use serde::{Deserialize, Serialize};

use crate::domain::{Case, Description, HistoryEntry, Outcome, Person, Session, Status};
use crate::privacy::Facts;
use crate::storage::guard;

/// Bumped whenever what is stored changes shape or meaning.
const VERSION: u32 = 12;
/// The one file of the cache. Files of other versions beside it are removed when it is
/// written.
const FILE: &str = "cases-v10.bin";
/// A stamp this recent (before the command ran) does not vouch for a file's bytes: such
/// files are not cached, nor restamped.
const RACY: Duration = Duration::from_secs(2);

/// The cache's folder under `.sluss/` (removed by [`crate::storage::Repo::clear_cache`]).
pub const DIR: &str = "cache";

/// Whether the cache is in use (`SLUSS_NO_CACHE` turns it off).
pub fn enabled() -> bool {
    std::env::var_os("SLUSS_NO_CACHE").is_none_or(|v| v.is_empty() || v == "0")
}

/// What identifies a version of a file without reading it (see the module's doc for why
/// an edit cannot keep it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub len: u64,
    pub modified_ns: i128,
    /// The status-change time (ctime), which no program can set back.
    pub changed_ns: i128,
    pub device: u64,
    pub inode: u64,
}

impl Stamp {
    pub fn of(meta: &fs::Metadata) -> Option<Stamp> {
        let modified = meta.modified().ok()?;
        let ns = match modified.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        let (changed_ns, device, inode) = change_and_identity(meta)?;
        Some(Stamp {
            len: meta.len(),
            modified_ns: ns,
            changed_ns,
            device,
            inode,
        })
    }

    /// The time that must have aged before the stamp vouches for the bytes: the
    /// modification time, or the later ctime where the file system keeps whole seconds
    /// only (a second write in the same second could keep the stamp).
    fn settled_ns(&self) -> i128 {
        const SECOND: i128 = 1_000_000_000;
        if self.modified_ns % SECOND == 0 && self.changed_ns % SECOND == 0 {
            self.modified_ns.max(self.changed_ns)
        } else {
            self.modified_ns
        }
    }
}

/// The ctime in nanoseconds, the device and the inode of a file.
#[cfg(unix)]
fn change_and_identity(meta: &fs::Metadata) -> Option<(i128, u64, u64)> {
    use std::os::unix::fs::MetadataExt as _;
    let changed = i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec());
    Some((changed, meta.dev(), meta.ino()))
}

/// Without a ctime that programs cannot set, no stamp can vouch for a file's bytes, and
/// nothing is cached.
#[cfg(not(unix))]
fn change_and_identity(_meta: &fs::Metadata) -> Option<(i128, u64, u64)> {
    None
}

/// A stable hash of a file's bytes.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// The cache file is this index, sorted by file name, followed by the encoded cases it
/// points into. Reading it costs one allocation per entry (its name); a case is decoded
/// only when it is used. Each case is preceded by its [`Facts`], what published output
/// must know of every case before it shows any, which decode without the case.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Index {
    version: u32,
    home: Home,
    entries: Vec<IndexEntry>,
}

/// Which folder a cache file was made in (see the module's doc).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Home {
    device: u64,
    inode: u64,
    born_ns: i128,
}

impl Home {
    fn of(dir: &Path) -> Option<Home> {
        let meta = fs::metadata(dir).ok()?;
        let born_ns = meta
            .created()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            Some(Home {
                device: meta.dev(),
                inode: meta.ino(),
                born_ns,
            })
        }
        #[cfg(not(unix))]
        {
            (born_ns != 0).then_some(Home {
                device: 0,
                inode: 0,
                born_ns,
            })
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct IndexEntry {
    name: String,
    stamp: Stamp,
    hash: u64,
    /// Where the case lies after the index: its encoded [`StoredFacts`] (the first
    /// `facts` bytes), then the encoded [`Lean`].
    start: u64,
    len: u64,
    facts: u32,
}

/// A case parsed afresh during this command, to be added to the cache: its encoded
/// facts, then the case.
struct Fresh {
    name: String,
    stamp: Stamp,
    hash: u64,
    facts: u32,
    case: Vec<u8>,
}

/// The cache of one repository, as read at the start of a command. Lookups take no
/// lock: each entry found valid is marked in its own flag.
pub struct Cache {
    /// The repository's root, under which every file of the cache is guarded.
    root: PathBuf,
    file: PathBuf,
    index: Vec<IndexEntry>,
    /// The cache file's bytes; the encoded cases start at `cases_at`.
    bytes: Vec<u8>,
    cases_at: usize,
    /// Which entries were found valid, so that saving keeps only those.
    used: Vec<AtomicBool>,
    fresh: Mutex<Vec<Fresh>>,
    /// Entries whose bytes were found unchanged under a new stamp (as after a fresh
    /// clone, which gives every file a new time), with that stamp.
    restamped: Mutex<Vec<(usize, Stamp)>>,
    /// How cases were found, told on standard error when `SLUSS_DEBUG=cache`.
    by_stamp: AtomicUsize,
    by_content: AtomicUsize,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache")
            .field("file", &self.file)
            .field("entries", &self.index.len())
            .finish_non_exhaustive()
    }
}

impl Cache {
    /// Opens the cache of the repository at `root` whose state folder is `state_dir`. A
    /// cache file that is missing, of another version, not well formed, made in another
    /// folder or a link out of the repository counts as empty.
    pub fn open(root: &Path, state_dir: &Path) -> Cache {
        let dir = state_dir.join(DIR);
        let file = dir.join(FILE);
        let home = Home::of(&dir);
        let bytes = guard::read_unbounded(root, &file).unwrap_or_default();
        let (index, cases_at) = postcard::take_from_bytes::<Index>(&bytes)
            .ok()
            .filter(|(index, _)| {
                index.version == VERSION
                    && Some(index.home) == home
                    && index.entries.is_sorted_by(|a, b| a.name < b.name)
            })
            .map(|(index, rest)| (index.entries, bytes.len() - rest.len()))
            .unwrap_or_default();
        let used = index.iter().map(|_| AtomicBool::new(false)).collect();
        Cache {
            root: root.to_path_buf(),
            file,
            index,
            bytes,
            cases_at,
            used,
            fresh: Mutex::default(),
            restamped: Mutex::default(),
            by_stamp: AtomicUsize::default(),
            by_content: AtomicUsize::default(),
        }
    }

    /// The entry of file `name` and what `decode` makes of it, if `valid` accepts the
    /// entry and `decode` can read it. The entry is then marked as used.
    fn take<T>(
        &self,
        name: &str,
        valid: impl FnOnce(&IndexEntry) -> bool,
        decode: impl FnOnce(usize) -> Option<T>,
    ) -> Option<(usize, T)> {
        let at = self
            .index
            .binary_search_by(|e| e.name.as_str().cmp(name))
            .ok()?;
        if !valid(&self.index[at]) {
            return None;
        }
        let found = decode(at)?;
        self.used[at].store(true, Ordering::Relaxed);
        Some((at, found))
    }

    /// The case of entry `at`, if it decodes.
    fn decode_case(&self, at: usize) -> Option<Case> {
        let bytes = case_bytes(&self.bytes, self.cases_at, &self.index[at])?;
        let case = postcard::from_bytes::<Lean>(bytes).ok()?;
        (!case.has_forced()).then(|| case.into_case())
    }

    /// The case of entry `at` without its sessions, if it decodes.
    fn decode_case_without_sessions(&self, at: usize) -> Option<Case> {
        let bytes = case_bytes(&self.bytes, self.cases_at, &self.index[at])?;
        let case = postcard::from_bytes::<Lean<()>>(bytes).ok()?;
        (!case.has_forced()).then(|| case.into_case_with(|()| Vec::new()))
    }

    /// The facts of the case of entry `at`, if they decode.
    fn decode_facts(&self, at: usize) -> Option<Facts<'_>> {
        let bytes = facts_bytes(&self.bytes, self.cases_at, &self.index[at])?;
        let facts = postcard::from_bytes::<StoredFacts>(bytes).ok()?;
        Some(facts.into_facts())
    }

    /// Notes that entry `at` was found by its bytes; when they hash the same under
    /// another `stamp` (the file was checked out again, or touched), the entry takes the
    /// new stamp, so that reports know it by its stamp again next time.
    fn found_by_content(&self, at: usize, stamp: Option<Stamp>) {
        self.by_content.fetch_add(1, Ordering::Relaxed);
        if let Some(stamp) = stamp
            && stamp != self.index[at].stamp
            && !written_recently(stamp)
        {
            self.restamped.lock().expect("cache lock").push((at, stamp));
        }
    }

    /// The cached case of file `name` if its stamp is unchanged.
    pub fn by_stamp(&self, name: &str, stamp: Stamp) -> Option<Case> {
        let (_, case) = self.take(name, |e| e.stamp == stamp, |at| self.decode_case(at))?;
        self.by_stamp.fetch_add(1, Ordering::Relaxed);
        Some(case)
    }

    /// The cached case of file `name` if its bytes hash the same. When they do under
    /// another `stamp` (the file was checked out again, or touched), the entry takes the
    /// new stamp, so that reports know it by its stamp again next time.
    pub fn by_content(&self, name: &str, hash: u64, stamp: Option<Stamp>) -> Option<Case> {
        let (at, case) = self.take(name, |e| e.hash == hash, |at| self.decode_case(at))?;
        self.found_by_content(at, stamp);
        Some(case)
    }

    /// As [`Cache::by_stamp`], but only the facts of the case (which decode without the
    /// case) and where the entry is, for [`Cache::case_at`] to decode the case later.
    pub fn facts_by_stamp(&self, name: &str, stamp: Stamp) -> Option<(usize, Facts<'_>)> {
        let found = self.take(name, |e| e.stamp == stamp, |at| self.decode_facts(at))?;
        self.by_stamp.fetch_add(1, Ordering::Relaxed);
        Some(found)
    }

    /// As [`Cache::by_content`], but only the facts, as [`Cache::facts_by_stamp`].
    pub fn facts_by_content(
        &self,
        name: &str,
        hash: u64,
        stamp: Option<Stamp>,
    ) -> Option<(usize, Facts<'_>)> {
        let found = self.take(name, |e| e.hash == hash, |at| self.decode_facts(at))?;
        self.found_by_content(found.0, stamp);
        Some(found)
    }

    /// The case of the entry that [`Cache::facts_by_stamp`] or
    /// [`Cache::facts_by_content`] found at `at`, without its sessions unless `sessions`.
    /// `None` if it does not decode (a cache damaged inside): the entry then leaves the
    /// cache, and the caller reads the file.
    pub fn case_at(&self, at: usize, sessions: bool) -> Option<Case> {
        let case = if sessions {
            self.decode_case(at)
        } else {
            self.decode_case_without_sessions(at)
        };
        if case.is_none() {
            self.used[at].store(false, Ordering::Relaxed);
        }
        case
    }

    /// Remembers a case just parsed from file `name`.
    /// Not a case with a forced move (see `cacheable`).
    pub fn store(&self, name: &str, stamp: Stamp, hash: u64, case: &Case) {
        if written_recently(stamp) || !cacheable(case) {
            return;
        }
        let Ok(mut bytes) = postcard::to_stdvec(&StoredFacts::of(&Facts::of(case))) else {
            return;
        };
        let Ok(facts) = u32::try_from(bytes.len()) else {
            return;
        };
        let Ok(bytes) = postcard::to_extend(&Lean::from(case), std::mem::take(&mut bytes)) else {
            return;
        };
        self.fresh.lock().expect("cache lock").push(Fresh {
            name: name.to_string(),
            stamp,
            hash,
            facts,
            case: bytes,
        });
    }

    /// Writes the cache back when something changed: the entries that were found valid
    /// and those parsed afresh. Entries of files that are gone or changed were not found
    /// valid, so they leave the cache. Failing to write is not an error.
    pub fn save(self) {
        let fresh = self.fresh.into_inner().expect("cache lock");
        let restamped = self.restamped.into_inner().expect("cache lock");
        let used: Vec<bool> = self.used.into_iter().map(AtomicBool::into_inner).collect();
        let unchanged = fresh.is_empty() && restamped.is_empty() && used.iter().all(|&u| u);
        if std::env::var_os("SLUSS_DEBUG").is_some_and(|v| v == "cache") {
            crate::output::safe_eprintln!(
                "sluss: cache: {} found by stamp, {} by content ({} restamped), {} stored afresh, {} dropped{}",
                self.by_stamp.into_inner(),
                self.by_content.into_inner(),
                restamped.len(),
                fresh.len(),
                used.iter().filter(|&&u| !u).count(),
                if unchanged { "; not rewritten" } else { "" },
            );
        }
        if unchanged {
            return;
        }
        let mut known = self.index;
        for (at, stamp) in restamped {
            known[at].stamp = stamp;
        }
        let kept = known
            .iter()
            .zip(&used)
            .filter(|(_, used)| **used)
            .map(|(e, _)| {
                let case = entry_bytes(&self.bytes, self.cases_at, e).unwrap_or_default();
                (e.name.as_str(), e.stamp, e.hash, e.facts, case)
            });
        // What was parsed afresh comes first, so that it wins over an old entry of the
        // same file (the sort is stable; dedup keeps the first).
        let mut all: Vec<(&str, Stamp, u64, u32, &[u8])> = fresh
            .iter()
            .map(|f| (f.name.as_str(), f.stamp, f.hash, f.facts, f.case.as_slice()))
            .chain(kept)
            .collect();
        all.sort_by(|a, b| a.0.cmp(b.0));
        all.dedup_by(|a, b| a.0 == b.0);
        let mut start = 0u64;
        let entries = all
            .iter()
            .map(|&(name, stamp, hash, facts, case)| {
                let entry = IndexEntry {
                    name: name.to_string(),
                    stamp,
                    hash,
                    start,
                    len: case.len() as u64,
                    facts,
                };
                start += case.len() as u64;
                entry
            })
            .collect();
        let Some(dir) = self.file.parent() else {
            return;
        };
        // Made first, through the guard, for its identity to go into the index.
        if guard::create_dir_all(&self.root, dir).is_err() {
            return;
        }
        let Some(home) = Home::of(dir) else {
            return;
        };
        let index = Index {
            version: VERSION,
            home,
            entries,
        };
        let Ok(head) = postcard::to_stdvec(&index) else {
            return;
        };
        drop(index);
        // Streamed to the file rather than gathered first: for a hundred thousand cases
        // that would be another copy of the whole cache in memory.
        let cases = all.iter().map(|(_, _, _, _, case)| *case);
        let parts = std::iter::once(head.as_slice()).chain(cases);
        if guard::atomic_write_parts(&self.root, &self.file, parts).is_ok()
            && let Some(dir) = self.file.parent()
        {
            remove_other_versions(dir);
        }
    }
}

/// The encoded facts and case of an entry in a cache file's `bytes`, whose cases start
/// at `cases_at`, if the file holds them whole.
fn entry_bytes<'b>(bytes: &'b [u8], cases_at: usize, entry: &IndexEntry) -> Option<&'b [u8]> {
    let start = cases_at.checked_add(usize::try_from(entry.start).ok()?)?;
    let end = start.checked_add(usize::try_from(entry.len).ok()?)?;
    bytes.get(start..end)
}

/// The encoded facts of an entry (see [`entry_bytes`]).
fn facts_bytes<'b>(bytes: &'b [u8], cases_at: usize, entry: &IndexEntry) -> Option<&'b [u8]> {
    entry_bytes(bytes, cases_at, entry)?.get(..usize::try_from(entry.facts).ok()?)
}

/// The encoded case of an entry (see [`entry_bytes`]).
fn case_bytes<'b>(bytes: &'b [u8], cases_at: usize, entry: &IndexEntry) -> Option<&'b [u8]> {
    entry_bytes(bytes, cases_at, entry)?.get(usize::try_from(entry.facts).ok()?..)
}

/// Whether a file with this stamp changed so recently that a second change could share
/// its time: such a stamp cannot vouch for the file's bytes.
fn written_recently(stamp: Stamp) -> bool {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|now| stamp.settled_ns() > now.as_nanos() as i128 - RACY.as_nanos() as i128)
        .unwrap_or(true)
}

/// Removes cache files that another version of sluss wrote.
fn remove_other_versions(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("cases-v") && name.ends_with(".bin") && name != FILE {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A date-time as seconds since the epoch, nanoseconds and its offset: whole, so that
/// two changes within one second keep their order.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct When(i64, u32, i32);

impl When {
    fn of(dt: &DateTime<FixedOffset>) -> When {
        When(
            dt.timestamp(),
            dt.timestamp_subsec_nanos(),
            dt.offset().local_minus_utc(),
        )
    }
    fn get(self) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(self.2)
            .and_then(|o| o.timestamp_opt(self.0, self.1).single())
            .unwrap_or_default()
    }
}

/// [`Facts`] in a form that (de)serialises quickly, its text borrowed from the cache.
#[derive(Debug, Serialize, Deserialize)]
struct StoredFacts<'a> {
    #[serde(borrow)]
    id: &'a str,
    created: When,
    offset: i32,
    last_day: i32,
    consent: Option<bool>,
    status: Status,
    prints: Vec<crate::domain::names::Fingerprint>,
    #[serde(borrow)]
    coaches: Vec<&'a str>,
    #[serde(borrow)]
    by: Vec<&'a str>,
}

impl<'a> StoredFacts<'a> {
    fn of(facts: &Facts<'a>) -> StoredFacts<'a> {
        StoredFacts {
            id: facts.id,
            created: When::of(&facts.created),
            offset: facts.offset.local_minus_utc(),
            last_day: facts.last_day.num_days_from_ce(),
            consent: facts.consent,
            status: facts.status,
            prints: facts.prints.clone(),
            coaches: facts.coaches.clone(),
            by: facts.by.clone(),
        }
    }

    fn into_facts(self) -> Facts<'a> {
        Facts {
            id: self.id,
            created: self.created.get(),
            offset: FixedOffset::east_opt(self.offset)
                .unwrap_or(FixedOffset::east_opt(0).expect("UTC")),
            last_day: NaiveDate::from_num_days_from_ce_opt(self.last_day).unwrap_or_default(),
            consent: self.consent,
            status: self.status,
            prints: self.prints,
            coaches: self.coaches,
            by: self.by,
        }
    }
}

/// A case's sessions as the cache keeps them: day, coach, minutes and kind.
type LeanSessions = Vec<(i32, String, u32, Option<String>)>;

/// A case without personal data or notes, in a form that (de)serialises quickly. The
/// sessions come last, so that a case decodes without them as a `Lean<()>` (for output
/// that shows none).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Lean<S = LeanSessions> {
    id: String,
    title: String,
    created: When,
    stage: String,
    status: Status,
    outcome: Option<Outcome>,
    coach: Option<String>,
    unit: String,
    program: Option<String>,
    tags: Vec<String>,
    partners: Vec<String>,
    consent: Option<bool>,
    /// The submitter's name only when they agreed to be named in published output;
    /// otherwise fingerprints of name and contact (see `privacy::fingerprints_of`), so
    /// that published output can still keep the name out of titles.
    named: Option<String>,
    prints: Vec<crate::domain::names::Fingerprint>,
    need: Option<String>,
    idea: Option<String>,
    result: Option<String>,
    follow_up: Option<i32>,
    duplicate_of: Option<String>,
    handed_to: Option<String>,
    benefits: Vec<crate::domain::Benefit>,
    adoptions: Vec<crate::domain::Adoption>,
    history: Vec<LeanEntry>,
    sessions: S,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct LeanEntry {
    at: When,
    by: String,
    from: Option<String>,
    to: Option<String>,
    status: Option<Status>,
    outcome: Option<Outcome>,
    coach: Option<String>,
    previous_coach: Option<String>,
    program: Option<String>,
    previous_program: Option<String>,
    partner_added: Option<String>,
    partner_removed: Option<String>,
    result: Option<String>,
    duplicate_of: Option<String>,
    handed_to: Option<String>,
    forced: bool,
}

impl From<&Case> for Lean {
    fn from(c: &Case) -> Lean {
        Lean {
            id: c.id.clone(),
            title: c.title.clone(),
            created: When::of(&c.created),
            stage: c.stage.clone(),
            status: c.status,
            outcome: c.outcome,
            coach: c.coach.clone(),
            unit: c.unit.clone(),
            program: c.program.clone(),
            tags: c.tags.clone(),
            partners: c.partners.clone(),
            consent: c.submitter.as_ref().map(|p| p.consent),
            named: c
                .submitter
                .as_ref()
                .filter(|p| p.consent)
                .map(|p| p.name.clone()),
            prints: c
                .submitter
                .as_ref()
                .map(crate::privacy::fingerprints_of)
                .unwrap_or_default(),
            need: c.description.need.clone(),
            idea: c.description.idea.clone(),
            result: c.result.clone(),
            follow_up: c.follow_up.map(|d| d.num_days_from_ce()),
            duplicate_of: c.duplicate_of.clone(),
            handed_to: c.handed_to.clone(),
            benefits: c.benefits.clone(),
            adoptions: c.adoptions.clone(),
            history: c
                .history
                .iter()
                .map(|e| LeanEntry {
                    at: When::of(&e.at),
                    by: e.by.clone(),
                    from: e.from.clone(),
                    to: e.to.clone(),
                    status: e.status,
                    outcome: e.outcome,
                    coach: e.coach.clone(),
                    previous_coach: e.previous_coach.clone(),
                    program: e.program.clone(),
                    previous_program: e.previous_program.clone(),
                    partner_added: e.partner_added.clone(),
                    partner_removed: e.partner_removed.clone(),
                    result: e.result.clone(),
                    duplicate_of: e.duplicate_of.clone(),
                    handed_to: e.handed_to.clone(),
                    forced: e.forced,
                })
                .collect(),
            sessions: c
                .sessions
                .iter()
                .map(|s| {
                    (
                        s.date.num_days_from_ce(),
                        s.coach.clone(),
                        s.minutes,
                        s.kind.clone(),
                    )
                })
                .collect(),
        }
    }
}

impl Lean {
    fn into_case(self) -> Case {
        self.into_case_with(|sessions| {
            sessions
                .into_iter()
                .map(|(days, coach, minutes, kind)| Session {
                    date: NaiveDate::from_num_days_from_ce_opt(days).unwrap_or_default(),
                    coach,
                    minutes,
                    kind,
                    notes: None,
                    next_steps: Vec::new(),
                })
                .collect()
        })
    }
}

/// Whether a case may be cached: not when a move of it was forced past a gate. The
/// report lists forced moves with their notes (why the gate was passed), and the cache
/// keeps no notes (they may name people); those few cases are read from their files, so
/// that the report is the same with or without the cache.
fn cacheable(case: &Case) -> bool {
    !case.history.iter().any(|e| e.forced)
}

impl<S> Lean<S> {
    /// A cache written before [`cacheable`] may hold such a case: it is not believed
    /// (the entry leaves the cache and the file is read).
    fn has_forced(&self) -> bool {
        self.history.iter().any(|e| e.forced)
    }

    fn into_case_with(self, sessions: impl FnOnce(S) -> Vec<Session>) -> Case {
        Case {
            id: self.id,
            title: self.title,
            created: self.created.get(),
            stage: self.stage,
            status: self.status,
            outcome: self.outcome,
            coach: self.coach,
            unit: self.unit,
            program: self.program,
            tags: self.tags,
            partners: self.partners,
            result: self.result,
            follow_up: self
                .follow_up
                .and_then(NaiveDate::from_num_days_from_ce_opt),
            duplicate_of: self.duplicate_of,
            handed_to: self.handed_to,
            benefits: self.benefits,
            adoptions: self.adoptions,
            submitter: self.consent.map(|consent| Person {
                name: self.named.unwrap_or_default(),
                consent,
                contact: None,
                forgotten: false,
                fingerprints: self.prints,
            }),
            description: Description {
                need: self.need,
                idea: self.idea,
            },
            history: self
                .history
                .into_iter()
                .map(|e| HistoryEntry {
                    at: e.at.get(),
                    by: e.by,
                    from: e.from,
                    to: e.to,
                    status: e.status,
                    outcome: e.outcome,
                    coach: e.coach,
                    previous_coach: e.previous_coach,
                    program: e.program,
                    previous_program: e.previous_program,
                    partner_added: e.partner_added,
                    partner_removed: e.partner_removed,
                    result: e.result,
                    duplicate_of: e.duplicate_of,
                    handed_to: e.handed_to,
                    // The benefit or adoption an entry recorded: the case keeps both
                    // in its own arrays, which reports read.
                    benefit: None,
                    adoption: None,
                    // What `sluss set` changed: no report reads it (`show` and
                    // `log` read the file whole).
                    set: Vec::new(),
                    tags_added: Vec::new(),
                    tags_removed: Vec::new(),
                    note: None,
                    forced: e.forced,
                })
                .collect(),
            sessions: sessions(self.sessions),
        }
    }
}

use chrono::Datelike as _;

#[cfg(test)]
mod tests {
    use super::*;

    fn case(title: &str) -> Case {
        Case::from_toml(&format!(
            "id = \"c0f3\"\ntitle = \"{title}\"\ncreated = 2019-03-02T09:15:00+01:00\n\
             stage = \"inkommen\"\nstatus = \"open\"\nunit = \"Kultur\"\n"
        ))
        .unwrap()
    }

    const OLD: Stamp = Stamp {
        len: 10,
        modified_ns: 1_000_000_000,
        changed_ns: 1_000_000_000,
        device: 1,
        inode: 2,
    };

    #[test]
    fn what_is_stored_is_found_by_stamp_or_content_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), dir.path());
        assert!(cache.by_stamp("a.toml", OLD).is_none());
        cache.store("b.toml", OLD, 2, &case("B"));
        cache.store("a.toml", OLD, 1, &case("A"));
        cache.save();

        let cache = Cache::open(dir.path(), dir.path());
        let names: Vec<&str> = cache.index.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["a.toml", "b.toml"], "the index is sorted by name");
        assert_eq!(cache.by_stamp("a.toml", OLD).unwrap().title, "A");
        let newer = Stamp {
            modified_ns: OLD.modified_ns + 5,
            ..OLD
        };
        assert!(cache.by_stamp("b.toml", Stamp { len: 11, ..OLD }).is_none());
        assert!(cache.by_content("b.toml", 3, Some(newer)).is_none());
        assert_eq!(
            cache.by_content("b.toml", 2, Some(newer)).unwrap().title,
            "B"
        );
        assert!(cache.by_stamp("c.toml", OLD).is_none());
    }

    #[test]
    fn a_file_not_found_valid_leaves_the_cache_and_a_fresh_parse_wins() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), dir.path());
        cache.store("a.toml", OLD, 1, &case("A"));
        cache.store("b.toml", OLD, 2, &case("B"));
        cache.save();

        // a.toml changed (and was parsed again); b.toml is gone.
        let cache = Cache::open(dir.path(), dir.path());
        let changed = Stamp { len: 12, ..OLD };
        assert!(cache.by_stamp("a.toml", changed).is_none());
        cache.store("a.toml", changed, 9, &case("A2"));
        cache.save();

        let cache = Cache::open(dir.path(), dir.path());
        assert_eq!(cache.index.len(), 1);
        assert_eq!(cache.by_stamp("a.toml", changed).unwrap().title, "A2");
        assert!(cache.by_stamp("b.toml", OLD).is_none());
        // Should a file be both found and parsed again, what was parsed is kept.
        cache.store("a.toml", OLD, 7, &case("A3"));
        cache.save();
        let cache = Cache::open(dir.path(), dir.path());
        assert_eq!(cache.index.len(), 1);
        assert_eq!(cache.by_stamp("a.toml", OLD).unwrap().title, "A3");
    }

    #[test]
    fn a_recent_file_is_not_stored_and_an_unsorted_index_is_not_believed() {
        let dir = tempfile::tempdir().unwrap();
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        let recent = Stamp {
            modified_ns: now.as_nanos() as i128,
            changed_ns: now.as_nanos() as i128,
            ..OLD
        };
        // On a file system of whole seconds, a recent ctime is as recent as a recent
        // modification time (`touch -r` right after a write).
        let second = 1_000_000_000;
        let coarse = Stamp {
            changed_ns: now.as_nanos() as i128 / second * second,
            ..OLD
        };
        let cache = Cache::open(dir.path(), dir.path());
        cache.store("a.toml", recent, 1, &case("A"));
        cache.store("b.toml", coarse, 1, &case("B"));
        cache.save();
        assert!(!dir.path().join("cache").join(FILE).exists());

        let entry = |name: &str| IndexEntry {
            name: name.into(),
            stamp: OLD,
            hash: 1,
            start: 0,
            len: 0,
            facts: 0,
        };
        let home_dir = dir.path().join("cache");
        fs::create_dir_all(&home_dir).unwrap();
        let write = |entries: Vec<IndexEntry>, home: Home| {
            let index = Index {
                version: VERSION,
                home,
                entries,
            };
            fs::write(home_dir.join(FILE), postcard::to_stdvec(&index).unwrap()).unwrap();
        };
        let home = Home::of(&home_dir).unwrap();
        write(vec![entry("b.toml"), entry("a.toml")], home);
        assert!(Cache::open(dir.path(), dir.path()).index.is_empty());
        write(vec![entry("a.toml"), entry("b.toml")], home);
        assert_eq!(Cache::open(dir.path(), dir.path()).index.len(), 2);
    }

    #[test]
    fn the_facts_of_a_case_are_found_without_the_case_and_match_it() {
        let dir = tempfile::tempdir().unwrap();
        let full = Case::from_toml(
            "id = \"c0f3\"\ntitle = \"Idé\"\ncreated = 2019-03-02T09:15:00.5-05:00\n\
             stage = \"inkommen\"\nstatus = \"open\"\ncoach = \"erik\"\nunit = \"Kultur\"\n\
             [submitter]\nname = \"Anna Berg\"\nconsent = false\n\
             [[history]]\nat = 2019-04-01T00:30:00+02:00\nby = \"sara\"\ncoach = \"maria\"\n\
             [[sessions]]\ndate = 2019-03-05\ncoach = \"olle\"\nminutes = 30\n",
        )
        .unwrap();
        let cache = Cache::open(dir.path(), dir.path());
        cache.store("a.toml", OLD, 1, &full);
        cache.store("b.toml", OLD, 2, &case("B"));
        cache.save();

        let cache = Cache::open(dir.path(), dir.path());
        let (at, facts) = cache.facts_by_stamp("a.toml", OLD).unwrap();
        assert_eq!(facts, Facts::of(&full));
        assert!(
            cache
                .facts_by_stamp("a.toml", Stamp { len: 11, ..OLD })
                .is_none()
        );
        let (_, by_bytes) = cache.facts_by_content("a.toml", 1, Some(OLD)).unwrap();
        assert_eq!(by_bytes, facts);
        assert!(cache.facts_by_content("b.toml", 1, Some(OLD)).is_none());
        let case = cache.case_at(at, true).unwrap();
        assert_eq!(Facts::of(&case).prints, facts.prints);
        assert_eq!(case.sessions.len(), 1);
        let without = cache.case_at(at, false).unwrap();
        assert!(without.sessions.is_empty());
        assert_eq!(without.history, case.history);
        assert_eq!(without.title, case.title);
    }

    #[test]
    fn a_case_that_does_not_decode_behind_good_facts_leaves_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), dir.path());
        cache.store("a.toml", OLD, 1, &case("A"));
        cache.save();
        // The case's last bytes cut off: the index and the facts still read.
        let file = dir.path().join("cache").join(FILE);
        let mut bytes = fs::read(&file).unwrap();
        let cache = Cache::open(dir.path(), dir.path());
        let entry = cache.index[0].clone();
        let end = cache.cases_at + entry.start as usize + entry.len as usize;
        let facts_end = cache.cases_at + entry.start as usize + entry.facts as usize;
        bytes.truncate(end);
        // The encoded case made unreadable: its first field's length set past the end.
        bytes[facts_end] = 0x7f;
        drop(cache);
        fs::write(&file, &bytes).unwrap();
        let cache = Cache::open(dir.path(), dir.path());
        let (at, _) = cache.facts_by_stamp("a.toml", OLD).unwrap();
        assert!(cache.case_at(at, true).is_none());
        cache.save();
        assert!(Cache::open(dir.path(), dir.path()).index.is_empty());
    }

    #[test]
    fn a_cache_made_in_another_folder_is_not_believed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), dir.path());
        cache.store("a.toml", OLD, 1, &case("A"));
        cache.save();
        assert_eq!(Cache::open(dir.path(), dir.path()).index.len(), 1);
        // The same bytes in another folder, as a repository that commits its cache or
        // an archive would bring them.
        let other = tempfile::tempdir().unwrap();
        fs::create_dir_all(other.path().join("cache")).unwrap();
        fs::copy(
            dir.path().join("cache").join(FILE),
            other.path().join("cache").join(FILE),
        )
        .unwrap();
        assert!(Cache::open(other.path(), other.path()).index.is_empty());
    }
}
