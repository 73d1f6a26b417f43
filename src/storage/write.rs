//! Atomic writes and per-case locks.
//!
//! A write goes to a temporary file beside the target, is synced, then renamed over it,
//! so a crash leaves either the old file or the new one. Writers of one case are
//! serialised by a lock on a side file under `.sluss/locks/` (never the file that is
//! renamed over, whose inode changes), which lives outside `cases/` and is git-ignored.
//!
//! A write leaves the file as the user had it: a rewrite keeps the file's permissions, a
//! new file gets the usual ones (0666 less the umask, as any program's new file), and a
//! file its owner may not write is refused, never made writable behind their back.

use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions, Permissions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::domain::id::fingerprint;
use crate::storage::guard::no_follow;
use crate::storage::repo::MAX_CASE_BYTES;
use crate::{Error, Result};

/// Prefix of the temporary files that an atomic write leaves for a moment.
pub const TEMP_PREFIX: &str = ".sluss-tmp-";

/// Temporary files older than this are leftovers of a crashed writer.
const STALE_TEMP_AGE: Duration = Duration::from_secs(10 * 60);

/// A target's name goes whole into its temporary file's name only up to this length;
/// a longer one is cut and followed by its fingerprint, so that every name the folder
/// can hold can also be written (a file name has at most 255 bytes).
const MAX_NAME_IN_TEMP: usize = 64;

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
    let kept = kept_permissions(path)?;
    let tmp = temp_file_in(dir, path)?;
    keep_permissions(tmp.as_file(), tmp.path(), kept)?;
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

/// Writes a file that sluss reads back (settings, a record) atomically, refusing
/// contents that its readers would refuse as too large (see [`refuse_unreadable`]).
pub fn atomic_write_record(path: &Path, contents: &[u8]) -> Result<()> {
    refuse_unreadable(path, contents)?;
    atomic_write(path, contents)
}

/// Refuses, before anything is written, contents larger than sluss reads back
/// ([`MAX_CASE_BYTES`]): written, they would leave a file that no command can open.
pub fn refuse_unreadable(path: &Path, contents: &[u8]) -> Result<()> {
    let len = contents.len() as u64;
    if len <= MAX_CASE_BYTES {
        return Ok(());
    }
    Err(Error::refused(
        format!(
            "{} would become {len} bytes, more than the {MAX_CASE_BYTES} bytes sluss reads in a file, so nothing was written",
            path.display()
        ),
        "make the text smaller (long notes belong in a document the case links to)",
    ))
}

/// Writes `contents` to `path` atomically while the caller holds `path`'s lock. Only
/// one writer can be here, so the temporary file has a fixed name: whatever a crashed
/// writer left under that name is simply overwritten, and nothing needs to list the
/// folder, so a write costs the same in a folder of ten cases as of a hundred thousand.
/// Only files that sluss reads back are written so, and so the size is checked too.
pub fn atomic_write_locked(path: &Path, contents: &[u8]) -> Result<()> {
    refuse_unreadable(path, contents)?;
    let kept = kept_permissions(path)?;
    let tmp_path = locked_temp_path(path);
    let dir = tmp_path.parent().unwrap_or(Path::new("."));
    // Never through a link someone left under the temporary file's name.
    let mut tmp = no_follow(OpenOptions::new().write(true).create(true).truncate(true))
        .open(&tmp_path)
        .map_err(|e| Error::io(&tmp_path, e))?;
    fault_point("temp-created");
    keep_permissions(&tmp, &tmp_path, kept)?;
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

/// Creates `path` with `contents` atomically, failing if it exists. Only files that
/// sluss reads back are created so, and so the size is checked too.
pub fn atomic_create(path: &Path, contents: &[u8]) -> Result<()> {
    refuse_unreadable(path, contents)?;
    write_atomically(path, contents, Mode::CreateNew)
}

/// The temporary files' names start with the target's name, so that the next writer of
/// that file (who holds its lock) knows whose leftovers they are. A long name is cut and
/// followed by the fingerprint of the whole name, so the temporary name stays short.
fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().unwrap_or_default();
    match name.to_str() {
        Some(text) if text.len() <= MAX_NAME_IN_TEMP => format!("{TEMP_PREFIX}{text}-"),
        _ => {
            let text = name.to_string_lossy();
            let mut cut = MAX_NAME_IN_TEMP.min(text.len()) / 2;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            format!(
                "{TEMP_PREFIX}{}~{}-",
                &text[..cut],
                fingerprint(name.as_encoded_bytes())
            )
        }
    }
}

/// A new temporary file for `target` in `dir`, with the permissions a new file gets
/// (0666 less the umask: the mode asked for when it is opened, which the system masks).
fn temp_file_in(dir: &Path, target: &Path) -> Result<tempfile::NamedTempFile> {
    let prefix = temp_prefix(target);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir).map_err(|e| {
        // tempfile names its own random file ("… at path /dir/.sluss-tmp-…"): say which
        // file could not be written instead.
        let text = e.to_string();
        let text = text.split(" at path ").next().unwrap_or(&text).to_string();
        Error::io(target, std::io::Error::new(e.kind(), text))
    })
}

/// Refuses, as a write would, a file whose owner may not write it: for a command that
/// asks the user for work (an editor session) before it writes.
pub fn ensure_writable(path: &Path) -> Result<()> {
    kept_permissions(path).map(|_| ())
}

/// The permissions a write must keep: those of the file it replaces (`None` for a new
/// file). A file whose owner may not write it is refused before anything is written.
fn kept_permissions(path: &Path) -> Result<Option<Permissions>> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() => {
            if owner_may_not_write(&meta) {
                return Err(Error::refused(
                    format!(
                        "{} is read-only, so sluss did not change it",
                        path.display()
                    ),
                    format!(
                        "if it should change, make it writable first (chmod u+w {})",
                        path.display()
                    ),
                ));
            }
            Ok(Some(meta.permissions()))
        }
        Ok(_) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

#[cfg(unix)]
fn owner_may_not_write(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o200 == 0
}

#[cfg(not(unix))]
fn owner_may_not_write(meta: &fs::Metadata) -> bool {
    meta.permissions().readonly()
}

/// Gives the temporary file the permissions of the file it will replace.
fn keep_permissions(tmp: &File, tmp_path: &Path, kept: Option<Permissions>) -> Result<()> {
    match kept {
        Some(permissions) => tmp
            .set_permissions(permissions)
            .map_err(|e| Error::io(tmp_path, e)),
        None => Ok(()),
    }
}

fn write_atomically(path: &Path, contents: &[u8], mode: Mode) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let kept = match mode {
        Mode::Replace => kept_permissions(path)?,
        Mode::CreateNew => None,
    };
    let mut tmp = temp_file_in(dir, path)?;
    fault_point("temp-created");
    keep_permissions(tmp.as_file(), tmp.path(), kept)?;
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

/// Removes every temporary file of `path` in its folder, whatever its age. Call it only
/// while holding `path`'s lock, and only where listing the folder is cheap (the
/// repository's root, not `cases/`).
pub fn remove_all_leftovers_of(path: &Path) {
    let Some(dir) = path.parent() else { return };
    let prefix = temp_prefix(path);
    for leftover in temp_files_in(dir) {
        if leftover
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
        {
            let _ = fs::remove_file(leftover);
        }
    }
}

/// Whether a file's name marks it as a writer's temporary file.
pub fn is_temp_name(name: &OsStr) -> bool {
    name.as_encoded_bytes().starts_with(TEMP_PREFIX.as_bytes())
}

/// The temporary files in `dir` (of running writers, or left by crashed ones), sorted.
pub fn temp_files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| is_temp_name(&e.file_name()))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Removes temporary files that crashed writers left in `dir` long ago.
pub fn sweep_stale_temp_files(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !is_temp_name(&name) {
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

/// Takes the lock at `path` if no one holds it, without waiting.
pub fn try_lock(path: &Path) -> Result<Option<Lock>> {
    let file = open_lock_file(path)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(Lock { _file: file })),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(path, e)),
    }
}

fn open_lock_file(path: &Path) -> Result<File> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    no_follow(OpenOptions::new().create(true).truncate(false).write(true))
        .open(path)
        .map_err(|e| Error::io(path, e))
}

/// Takes the lock at `path`, waiting up to [`lock_timeout`].
pub fn lock(path: &Path) -> Result<Lock> {
    let file = open_lock_file(path)?;
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
