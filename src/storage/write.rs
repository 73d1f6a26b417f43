//! Atomic writes and per-case locks.
//!
//! A write goes to a temporary file beside the target, is synced, then renamed over it,
//! so a crash leaves either the old file or the new one. Writers of one case are
//! serialised by a lock on a side file under `.sluss/locks/` (never the file that is
//! renamed over, whose inode changes), which lives outside `cases/` and is git-ignored.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::storage::guard::no_follow;
use crate::{Error, Result};

/// Prefix of the temporary files that an atomic write leaves for a moment.
pub const TEMP_PREFIX: &str = ".sluss-tmp-";

/// Temporary files older than this are leftovers of a crashed writer.
const STALE_TEMP_AGE: Duration = Duration::from_secs(10 * 60);

/// The steps of an atomic write, in order. `SLUSS_FAULT_INJECT=<step>` makes the process
/// abort right after that step, as a crash or a power cut would; the tests use it to
/// show that every crash leaves the old file or the new one, never a mix.
const STEPS: [&str; 5] = [
    "temp-created",
    "half-written",
    "written",
    "synced",
    "renamed",
];

fn fault_point(step: &str) {
    debug_assert!(STEPS.contains(&step));
    if std::env::var_os("SLUSS_FAULT_INJECT").is_some_and(|v| v == step) {
        eprintln!("sluss: fault injected after step '{step}'");
        std::process::abort();
    }
}

/// Whether a write may replace an existing file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Replace,
    CreateNew,
}

/// Writes `contents` to `path` atomically, replacing what is there.
pub fn atomic_write(path: &Path, contents: &[u8]) -> Result<()> {
    write_atomically(path, contents, Mode::Replace)
}

/// Writes the concatenation of `parts` to `path` atomically, creating its folder if
/// need be, without gathering them in memory first. For large files that sluss can
/// always rebuild (its cache), so it has no fault points of its own.
pub fn atomic_write_parts<'a>(
    path: &Path,
    parts: impl IntoIterator<Item = &'a [u8]>,
) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tmp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    let mut out = std::io::BufWriter::new(tmp);
    for part in parts {
        out.write_all(part).map_err(|e| Error::io(path, e))?;
    }
    let tmp = out
        .into_inner()
        .map_err(|e| Error::io(path, e.into_error()))?;
    tmp.as_file().sync_data().map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Writes `contents` to `path` atomically while the caller holds `path`'s lock. Only
/// one writer can be here, so the temporary file has a fixed name: whatever a crashed
/// writer left under that name is simply overwritten, and nothing needs to list the
/// folder, so a write costs the same in a folder of ten cases as of a hundred thousand.
pub fn atomic_write_locked(path: &Path, contents: &[u8]) -> Result<()> {
    let tmp_path = locked_temp_path(path);
    let dir = tmp_path.parent().unwrap_or(Path::new("."));
    // Never through a link someone left under the temporary file's name.
    let mut tmp = no_follow(OpenOptions::new().write(true).create(true).truncate(true))
        .open(&tmp_path)
        .map_err(|e| Error::io(&tmp_path, e))?;
    fault_point("temp-created");
    let (first, rest) = contents.split_at(contents.len() / 2);
    tmp.write_all(first).map_err(|e| Error::io(&tmp_path, e))?;
    fault_point("half-written");
    tmp.write_all(rest).map_err(|e| Error::io(&tmp_path, e))?;
    fault_point("written");
    tmp.sync_data().map_err(|e| Error::io(&tmp_path, e))?;
    fault_point("synced");
    drop(tmp);
    fs::rename(&tmp_path, path).map_err(|e| Error::io(path, e))?;
    fault_point("renamed");
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The temporary file of a write under `path`'s lock.
fn locked_temp_path(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    dir.join(format!("{}locked.tmp", temp_prefix(path)))
}

/// Creates `path` with `contents` atomically, failing if it exists.
pub fn atomic_create(path: &Path, contents: &[u8]) -> Result<()> {
    write_atomically(path, contents, Mode::CreateNew)
}

/// The temporary files' names start with the target's name, so that the next writer of
/// that file (who holds its lock) knows whose leftovers they are.
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{TEMP_PREFIX}{name}-")
}

fn write_atomically(path: &Path, contents: &[u8], mode: Mode) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    fault_point("temp-created");
    let (first, rest) = contents.split_at(contents.len() / 2);
    tmp.write_all(first).map_err(|e| Error::io(tmp.path(), e))?;
    fault_point("half-written");
    tmp.write_all(rest).map_err(|e| Error::io(tmp.path(), e))?;
    fault_point("written");
    tmp.as_file()
        .sync_data()
        .map_err(|e| Error::io(tmp.path(), e))?;
    fault_point("synced");
    match mode {
        Mode::Replace => tmp.persist(path).map(|_| ()),
        Mode::CreateNew => tmp.persist_noclobber(path).map(|_| ()),
    }
    .map_err(|e| Error::io(path, e.error))?;
    fault_point("renamed");
    // The rename itself is durable only once the folder is synced.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Removes what a crashed writer of `path` left behind. Call it only while holding
/// `path`'s lock: then no living writer can own that file.
pub fn remove_leftovers_of(path: &Path) {
    let _ = fs::remove_file(locked_temp_path(path));
}

/// Removes temporary files that crashed writers left in `dir` long ago.
pub fn sweep_stale_temp_files(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(TEMP_PREFIX) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > STALE_TEMP_AGE);
        if old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// An exclusive lock, released when dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// How long a writer waits for another one before giving up (`SLUSS_LOCK_TIMEOUT`
/// seconds overrides it).
pub fn lock_timeout() -> Duration {
    std::env::var("SLUSS_LOCK_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| *s >= 0.0)
        .map(Duration::from_secs_f64)
        .unwrap_or(Duration::from_secs(10))
}

/// Takes the lock at `path`, waiting up to [`lock_timeout`].
pub fn lock(path: &Path) -> Result<Lock> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let file = no_follow(OpenOptions::new().create(true).truncate(false).write(true))
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    let timeout = lock_timeout();
    let start = Instant::now();
    let mut pause = Duration::from_millis(2);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < timeout => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::LockTimeout {
                    path: PathBuf::from(path),
                    seconds: timeout.as_secs_f64(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(path, e)),
        }
    }
}
