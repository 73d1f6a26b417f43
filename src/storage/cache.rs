//! An invisible cache of parsed cases under `.sluss/cache/`, so that a report over tens
//! of thousands of cases need not parse every file every time.
//!
//! It is never trusted blindly. Each entry remembers its file's size, modification time
//! and a hash of its bytes. Reports reuse an entry only while size and time are
//! unchanged (as git's index does), and never for a file changed so recently that a
//! second change could share its timestamp; `check` reads every file and reuses an
//! entry only when the bytes hash the same. A cache that is missing, of another version
//! or unreadable is simply rebuilt. It holds no personal data: submitters' names and
//! contact details and free-text notes are left out, so `forget` has nothing to chase
//! here. `SLUSS_NO_CACHE=1` turns it off.

use std::collections::HashMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::domain::{Case, Description, HistoryEntry, Outcome, Person, Session, Status};
use crate::storage::write;

/// Bumped whenever what is stored changes shape or meaning.
const VERSION: u32 = 4;
/// The cache is split in this many files, read in parallel.
const SHARDS: usize = 16;
/// Files changed less than this long before the cache was written are not cached.
const RACY: Duration = Duration::from_secs(2);

fn shard_file(dir: &Path, shard: usize) -> PathBuf {
    dir.join(format!("cases-v{VERSION}-{shard:02}.bin"))
}

fn shard_of(name: &str) -> usize {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    name.hash(&mut h);
    (h.finish() % SHARDS as u64) as usize
}

/// Whether the cache is in use (`SLUSS_NO_CACHE` turns it off).
pub fn enabled() -> bool {
    std::env::var_os("SLUSS_NO_CACHE").is_none_or(|v| v.is_empty() || v == "0")
}

/// What identifies a version of a file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub len: u64,
    pub modified_ns: i128,
}

impl Stamp {
    pub fn of(meta: &fs::Metadata) -> Option<Stamp> {
        let modified = meta.modified().ok()?;
        let ns = match modified.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        Some(Stamp {
            len: meta.len(),
            modified_ns: ns,
        })
    }
}

/// A stable hash of a file's bytes.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    stamp: Stamp,
    hash: u64,
    /// The case as an encoded [`Lean`], decoded only when it is used: kept encoded, the
    /// entries of a hundred thousand cases take a fraction of the memory.
    case: Vec<u8>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    entries: HashMap<String, Entry>,
}

/// The cache of one repository, as read at the start of a command. An entry that is
/// used is taken out and decoded into the case it describes.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    shards: Vec<Mutex<HashMap<String, Entry>>>,
    /// How many entries were read, to notice files that have gone.
    read: usize,
    /// Files whose entry was found valid, with what identified it.
    seen: Mutex<HashMap<String, (Stamp, u64)>>,
    /// Entries parsed afresh.
    fresh: Mutex<HashMap<String, Entry>>,
    dirty: AtomicBool,
}

impl Cache {
    /// Opens the cache of the repository whose state folder is `state_dir`.
    pub fn open(state_dir: &Path) -> Cache {
        let dir = state_dir.join("cache");
        let shards: Vec<usize> = (0..SHARDS).collect();
        let maps = crate::parallel::map_each(&shards, |&shard| read_shard(&dir, shard));
        let read = maps.iter().map(HashMap::len).sum();
        Cache {
            dir,
            shards: maps.into_iter().map(Mutex::new).collect(),
            read,
            seen: Default::default(),
            fresh: Default::default(),
            dirty: Default::default(),
        }
    }

    fn take(&self, name: &str, valid: impl FnOnce(&Entry) -> bool) -> Option<Case> {
        let mut shard = self.shards[shard_of(name)].lock().expect("cache lock");
        if !shard.get(name).is_some_and(valid) {
            return None;
        }
        let entry = shard.remove(name)?;
        drop(shard);
        self.seen
            .lock()
            .expect("cache lock")
            .insert(name.to_string(), (entry.stamp, entry.hash));
        postcard::from_bytes::<Lean>(&entry.case)
            .ok()
            .map(Lean::into_case)
    }

    /// The cached case of file `name` if its stamp is unchanged.
    pub fn by_stamp(&self, name: &str, stamp: Stamp) -> Option<Case> {
        self.take(name, |e| e.stamp == stamp)
    }

    /// The cached case of file `name` if its bytes hash the same.
    pub fn by_content(&self, name: &str, hash: u64) -> Option<Case> {
        self.take(name, |e| e.hash == hash)
    }

    /// Remembers a case just parsed from file `name`.
    pub fn store(&self, name: &str, stamp: Stamp, hash: u64, case: &Case) {
        let written_recently = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|now| stamp.modified_ns > now.as_nanos() as i128 - RACY.as_nanos() as i128)
            .unwrap_or(true);
        if written_recently {
            return;
        }
        let Ok(case) = postcard::to_stdvec(&Lean::from(case)) else {
            return;
        };
        let entry = Entry { stamp, hash, case };
        self.fresh
            .lock()
            .expect("cache lock")
            .insert(name.to_string(), entry);
        self.dirty.store(true, Ordering::Relaxed);
    }

    /// Writes the cache back when something changed: the entries of files that still
    /// exist, so deleted cases leave it too. Entries that were used were taken out for
    /// their cases, so they are read again from the old cache files (only here, when
    /// something changed; an entry that no longer matches what was seen is dropped and
    /// simply rebuilt next time). Failing to write is not an error.
    pub fn save(self) {
        let seen = self.seen.into_inner().expect("cache lock");
        let mut entries = self.fresh.into_inner().expect("cache lock");
        let gone = self.read > seen.len();
        if !self.dirty.into_inner() && !gone {
            return;
        }
        let shards: Vec<usize> = (0..SHARDS).collect();
        let kept = crate::parallel::map_each(&shards, |&shard| {
            let mut old = read_shard(&self.dir, shard);
            old.retain(|name, entry| {
                seen.get(name)
                    .is_some_and(|&(stamp, hash)| entry.stamp == stamp && entry.hash == hash)
            });
            old
        });
        for old in kept {
            for (name, entry) in old {
                entries.entry(name).or_insert(entry);
            }
        }
        let mut shards: Vec<HashMap<String, Entry>> = (0..SHARDS).map(|_| HashMap::new()).collect();
        for (name, entry) in entries {
            shards[shard_of(&name)].insert(name, entry);
        }
        if fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let numbered: Vec<(usize, HashMap<String, Entry>)> =
            shards.into_iter().enumerate().collect();
        crate::parallel::map_each(&numbered, |(shard, entries)| {
            let file = CacheFile {
                version: VERSION,
                entries: entries.clone(),
            };
            if let Ok(bytes) = postcard::to_stdvec(&file) {
                let _ = write::atomic_write(&shard_file(&self.dir, *shard), &bytes);
            }
        });
    }
}

/// The entries of one cache file; none when it is missing, unreadable or of another
/// version.
fn read_shard(dir: &Path, shard: usize) -> HashMap<String, Entry> {
    fs::read(shard_file(dir, shard))
        .ok()
        .and_then(|bytes| postcard::from_bytes::<CacheFile>(&bytes).ok())
        .filter(|f| f.version == VERSION)
        .map(|f| f.entries)
        .unwrap_or_default()
}

/// A date-time as seconds since the epoch and its offset.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct When(i64, i32);

impl When {
    fn of(dt: &DateTime<FixedOffset>) -> When {
        When(dt.timestamp(), dt.offset().local_minus_utc())
    }
    fn get(self) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(self.1)
            .and_then(|o| o.timestamp_opt(self.0, 0).single())
            .unwrap_or_default()
    }
}

/// A case without personal data or notes, in a form that (de)serialises quickly.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Lean {
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
    need: Option<String>,
    idea: Option<String>,
    history: Vec<LeanEntry>,
    sessions: Vec<(i32, String, u32, Option<String>)>,
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
    program: Option<String>,
    partner_added: Option<String>,
    partner_removed: Option<String>,
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
            need: c.description.need.clone(),
            idea: c.description.idea.clone(),
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
                    program: e.program.clone(),
                    partner_added: e.partner_added.clone(),
                    partner_removed: e.partner_removed.clone(),
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
            submitter: self.consent.map(|consent| Person {
                name: String::new(),
                consent,
                contact: None,
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
                    program: e.program,
                    partner_added: e.partner_added,
                    partner_removed: e.partner_removed,
                    note: None,
                })
                .collect(),
            sessions: self
                .sessions
                .into_iter()
                .map(|(days, coach, minutes, kind)| Session {
                    date: NaiveDate::from_num_days_from_ce_opt(days).unwrap_or_default(),
                    coach,
                    minutes,
                    kind,
                    notes: None,
                    next_steps: Vec::new(),
                })
                .collect(),
        }
    }
}

use chrono::Datelike as _;
