//! The one way into a repository's files. Every read, write, new folder, removal and
//! lock of a path inside a repository goes through here, so that a symbolic link
//! someone committed can never make sluss reach outside the repository.
//!
//! The rules:
//! - A folder on the way to a path (`cases/`, `network/`, `.sluss/`, `.sluss/locks/`,
//!   …) may be a link only when it leads to a folder inside the repository; one that
//!   leads outside, or nowhere, is refused, naming the link and where it leads.
//! - A file is read through a link only when the link leads inside the repository (a
//!   case kept elsewhere in the repository stays readable).
//! - Nothing is ever written, created or locked through a link: a link where sluss would
//!   write is refused, and files are opened with `O_NOFOLLOW`, so that a link put there
//!   after the check makes the open fail instead of following it.
//! - A removal removes at most the link itself, never what it leads to.
//!
//! The checks look at the disk before the file is opened; without `openat` (and so
//! without unsafe code) a folder swapped for a link between the check and the open
//! cannot be caught, but a committed link, which is what a repository can bring, is.

use std::fs::{self, OpenOptions};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::storage::{Repo, write};
use crate::{Error, Result};

/// Files larger than this are refused before they are read whole.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

const OUTSIDE_HINT: &str = "sluss reads and writes only inside the repository; replace the link with a real file or folder";

/// Makes `opts` refuse to open the file through a symbolic link in its last component.
pub fn no_follow(opts: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking too, so that opening a named pipe never waits; the file is then
        // refused as not a regular file.
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    opts
}

/// The repository's root with every link resolved.
fn real_root(root: &Path) -> Result<PathBuf> {
    root.canonicalize().map_err(|e| Error::io(root, e))
}

fn outside(path: &Path, real: &Path) -> Error {
    Error::refused(
        format!(
            "{} leads outside the repository, to {}",
            path.display(),
            real.display()
        ),
        OUTSIDE_HINT,
    )
}

/// Where the link at `path` leads, if that is inside the repository at `root`.
fn resolve_inside(root: &Path, path: &Path, real_root: &mut Option<PathBuf>) -> Result<PathBuf> {
    let root_real = match real_root {
        Some(r) => r,
        None => real_root.insert(self::real_root(root)?),
    };
    match path.canonicalize() {
        Ok(real) if real.starts_with(&*root_real) => Ok(real),
        Ok(real) => Err(outside(path, &real)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let target = fs::read_link(path).unwrap_or_default();
            Err(Error::refused(
                format!(
                    "{} is a symbolic link to {}, which does not exist",
                    path.display(),
                    target.display()
                ),
                "sluss follows no link that leads nowhere; remove the link, or make it a real folder",
            ))
        }
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Refuses `path` unless it lies under `root` by plain names (no `..`), and every one
/// of its components below the root that is a symbolic link leads inside the
/// repository. With `last`, the path's own last component is checked too (for a folder
/// that is about to be used); without, only the folders on the way to it.
fn check_components(root: &Path, path: &Path, last: bool) -> Result<()> {
    let rel = path.strip_prefix(root).map_err(|_| not_inside(path))?;
    let parts: Vec<Component> = rel.components().collect();
    let upto = if last {
        parts.len()
    } else {
        parts.len().saturating_sub(1)
    };
    let mut here = root.to_path_buf();
    let mut root_real = None;
    for part in &parts[..upto] {
        match part {
            Component::Normal(name) => here.push(name),
            Component::CurDir => continue,
            _ => return Err(not_inside(path)),
        }
        match fs::symlink_metadata(&here) {
            Ok(meta) if meta.file_type().is_symlink() => {
                resolve_inside(root, &here, &mut root_real)?;
            }
            Ok(_) => {}
            // Nothing below a missing folder exists either.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
            Err(e) => return Err(Error::io(&here, e)),
        }
    }
    if let Some(Component::ParentDir) = parts.last() {
        return Err(not_inside(path));
    }
    Ok(())
}

fn not_inside(path: &Path) -> Error {
    Error::refused(
        format!("{} is not inside the repository", path.display()),
        OUTSIDE_HINT,
    )
}

/// Refuses a folder of the repository that is, or lies behind, a link leading outside it.
pub fn check_dir(root: &Path, dir: &Path) -> Result<()> {
    check_components(root, dir, true)
}

/// What to open to read `path`: the path itself, or, when it is a link that leads
/// inside the repository, the real file it leads to. Refuses a link (of a folder on the
/// way, or of the file) that leads outside the repository.
pub fn check_read(root: &Path, path: &Path) -> Result<PathBuf> {
    check_components(root, path, false)?;
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => resolve_link(root, path),
        _ => Ok(path.to_path_buf()),
    }
}

/// Where the link at `path`, whose folders are already checked, leads, if inside the
/// repository. A link that leads nowhere gives the same error as a missing file.
pub fn resolve_link(root: &Path, path: &Path) -> Result<PathBuf> {
    let real = path.canonicalize().map_err(|e| Error::io(path, e))?;
    if real.starts_with(real_root(root)?) {
        Ok(real)
    } else {
        Err(outside(path, &real))
    }
}

/// Refuses to write `path`: when it is a symbolic link (wherever it leads), or a folder
/// on the way to it leads outside the repository.
pub fn check_write(root: &Path, path: &Path) -> Result<()> {
    check_components(root, path, false)?;
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::refused(
            format!(
                "{} is a symbolic link; sluss writes only regular files",
                path.display()
            ),
            "replace the link with the file itself",
        ));
    }
    Ok(())
}

/// Reads a file of the repository, refusing a link out of it, a file that is too large
/// (before reading it whole), and anything that is not a regular file.
pub fn read_bytes(root: &Path, path: &Path) -> Result<Vec<u8>> {
    let target = check_read(root, path)?;
    read_bounded(path, &target, None)
}

/// [`read_bytes`] as UTF-8 text.
pub fn read_text(root: &Path, path: &Path) -> Result<String> {
    utf8(path, read_bytes(root, path)?)
}

/// Reads `target` (already checked; shown as `path`), without following a link, and
/// refusing what is not a regular file or larger than [`MAX_FILE_BYTES`]. `meta` is its
/// metadata if already at hand, saving a look at the disk.
pub fn read_bounded(path: &Path, target: &Path, meta: Option<&fs::Metadata>) -> Result<Vec<u8>> {
    let not_regular = || Error::Invalid {
        path: path.to_path_buf(),
        message: "not a regular file, so it was not read".to_string(),
    };
    let too_large = |len: u64| Error::Invalid {
        path: path.to_path_buf(),
        message: format!(
            "the file is too large ({len} bytes, more than the {MAX_FILE_BYTES} bytes a case file may have), so it was not read"
        ),
    };
    if let Some(meta) = meta {
        if !meta.is_file() {
            return Err(not_regular());
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(too_large(meta.len()));
        }
    }
    let file = no_follow(OpenOptions::new().read(true))
        .open(target)
        .map_err(|e| open_error(path, e))?;
    let len = match meta {
        Some(meta) => meta.len(),
        None => {
            let meta = file.metadata().map_err(|e| Error::io(path, e))?;
            if !meta.is_file() {
                return Err(not_regular());
            }
            if meta.len() > MAX_FILE_BYTES {
                return Err(too_large(meta.len()));
            }
            meta.len()
        }
    };
    // Bounded, in case the file grew since its size was looked at.
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads a file of any size (the cache), refusing a link out of the repository.
pub fn read_unbounded(root: &Path, path: &Path) -> Result<Vec<u8>> {
    let target = check_read(root, path)?;
    let mut file = no_follow(OpenOptions::new().read(true))
        .open(&target)
        .map_err(|e| open_error(path, e))?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            message: "not a regular file, so it was not read".to_string(),
        });
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    Ok(bytes)
}

/// An open that failed because a link appeared in the last component since the check
/// is refused as a link; anything else is an I/O error.
fn open_error(path: &Path, e: std::io::Error) -> Error {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return Error::refused(
            format!(
                "{} is a symbolic link, so it was not opened",
                path.display()
            ),
            "replace the link with the file itself",
        );
    }
    Error::io(path, e)
}

/// A file's bytes as text, or where they stop being UTF-8.
pub fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String> {
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

/// Creates a folder of the repository and the folders above it, refusing one that is
/// or lies behind a link out of the repository (or nowhere).
pub fn create_dir_all(root: &Path, dir: &Path) -> Result<()> {
    check_dir(root, dir)?;
    fs::create_dir_all(dir).map_err(|e| not_a_folder(root, dir).unwrap_or(Error::io(dir, e)))
}

/// The refusal for a folder of the repository (or one above it) that is something
/// else, a file or a named pipe, if one is: a clear error instead of the system's "File
/// exists", which a caller could take for a file it tried to create.
fn not_a_folder(root: &Path, dir: &Path) -> Option<Error> {
    let rel = dir.strip_prefix(root).ok()?;
    let mut here = root.to_path_buf();
    for part in rel.components() {
        here.push(part);
        match fs::metadata(&here) {
            Ok(meta) if meta.is_dir() => continue,
            Ok(_) => {
                return Some(Error::refused(
                    format!(
                        "{} is a file, not a folder, so sluss cannot keep its files there",
                        here.display()
                    ),
                    "move the file away (or rename it), then run the command again",
                ));
            }
            Err(_) => return None,
        }
    }
    None
}

/// Removes a file of the repository; a link is removed itself, never what it leads to.
/// A missing file is no error.
pub fn remove_file(root: &Path, path: &Path) -> Result<()> {
    check_components(root, path, false)?;
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}

/// Removes a folder of the repository and all it holds, following no link: a link in
/// its place is removed itself, and a folder on the way that leads outside the
/// repository is refused. A missing folder is no error.
pub fn remove_dir_all(root: &Path, dir: &Path) -> Result<()> {
    check_components(root, dir, false)?;
    let removed = match fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => fs::remove_file(dir),
        Ok(_) => fs::remove_dir_all(dir),
        Err(e) => Err(e),
    };
    match removed {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(dir, e)),
        _ => Ok(()),
    }
}

/// Writes a file of the repository atomically, replacing it (never through a link, and
/// never past the size sluss reads back).
pub fn atomic_write(root: &Path, path: &Path, contents: &[u8]) -> Result<()> {
    check_write(root, path)?;
    write::atomic_write_record(path, contents)
}

/// Creates a file of the repository atomically; fails if it exists (even as a link).
pub fn atomic_create(root: &Path, path: &Path, contents: &[u8]) -> Result<()> {
    check_write(root, path)?;
    write::atomic_create(path, contents)
}

/// [`write::atomic_write_locked`] of a file of the repository.
pub fn atomic_write_locked(root: &Path, path: &Path, contents: &[u8]) -> Result<()> {
    check_write(root, path)?;
    write::atomic_write_locked(path, contents)
}

/// [`write::atomic_write_parts`] of a file of the repository, creating its folder.
pub fn atomic_write_parts<'a>(
    root: &Path,
    path: &Path,
    parts: impl IntoIterator<Item = &'a [u8]>,
) -> Result<()> {
    check_write(root, path)?;
    if let Some(dir) = path.parent() {
        create_dir_all(root, dir)?;
    }
    write::atomic_write_parts(path, parts)
}

/// Takes the lock at `path` (under `.sluss/locks/`), creating its folder; never through
/// a link.
pub fn lock(root: &Path, path: &Path) -> Result<write::Lock> {
    check_write(root, path)?;
    if let Some(dir) = path.parent() {
        create_dir_all(root, dir)?;
    }
    write::lock(path)
}

/// A file's identity on this machine (device, inode and birth time), which no one can
/// know before the file exists: so a record of it, kept beside the file, says that
/// this sluss made the file here. A file that came with the repository (committed,
/// unpacked, copied) has another identity. `None` where the system tells none.
fn identity(path: &Path) -> Option<String> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let born = meta
        .created()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        Some(format!("{} {} {born}\n", meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        (born != 0).then(|| format!("{born}\n"))
    }
}

/// The guarded ways into this repository's files (see the module's rules).
impl Repo {
    /// Records, in `record`, that this sluss made `file` here (see `identity`).
    pub fn record_made_here(&self, file: &Path, record: &Path) -> Result<()> {
        let text = identity(file).unwrap_or_default();
        self.write_file(record, text.as_bytes())
    }

    /// Whether `record` says that this sluss made `file` here: false for a file (or a
    /// record) that came with the repository, or was copied from elsewhere.
    pub fn made_here(&self, file: &Path, record: &Path) -> bool {
        match (identity(file), self.read_text(record)) {
            (Some(id), Ok(recorded)) => id == recorded,
            _ => false,
        }
    }

    /// Refuses a folder of the repository that is, or lies behind, a link leading out.
    pub fn guard_dir(&self, dir: &Path) -> Result<()> {
        check_dir(&self.root, dir)
    }

    /// Refuses to write through a symbolic link, or into a folder that lies outside the
    /// repository (a `cases/` that is itself a link elsewhere).
    pub fn guard_write(&self, path: &Path) -> Result<()> {
        check_write(&self.root, path)
    }

    /// A file's bytes; see [`read_bytes`].
    pub fn read_bytes(&self, path: &Path) -> Result<Vec<u8>> {
        read_bytes(&self.root, path)
    }

    /// A file's text; see [`read_text`].
    pub fn read_text(&self, path: &Path) -> Result<String> {
        read_text(&self.root, path)
    }

    /// Writes a file atomically, replacing it; never through a link.
    pub fn write_file(&self, path: &Path, contents: &[u8]) -> Result<()> {
        atomic_write(&self.root, path, contents)
    }

    /// Creates a file atomically; never overwrites, never through a link.
    pub fn create_file(&self, path: &Path, contents: &[u8]) -> Result<()> {
        atomic_create(&self.root, path, contents)
    }

    /// Creates a folder (and those above it); never through a link out.
    pub fn create_dir_all(&self, dir: &Path) -> Result<()> {
        create_dir_all(&self.root, dir)
    }

    /// Removes a file (a link itself, never what it leads to).
    pub fn remove_file(&self, path: &Path) -> Result<()> {
        remove_file(&self.root, path)
    }

    /// Removes a folder and what it holds, following no link.
    pub fn remove_dir_all(&self, dir: &Path) -> Result<()> {
        remove_dir_all(&self.root, dir)
    }

    /// Takes the lock whose own file is `lock_file` (see [`Repo::lock`] for the lock of a
    /// file of the repository); never through a link.
    pub fn lock_file(&self, lock_file: &Path) -> Result<write::Lock> {
        lock(&self.root, lock_file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_folder_link_out_of_the_root_is_refused_and_one_inside_is_not() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        let away = tmp.path().join("away");
        fs::create_dir_all(root.join("real")).unwrap();
        fs::create_dir_all(&away).unwrap();
        symlink(&away, root.join("out")).unwrap();
        symlink(root.join("real"), root.join("in")).unwrap();
        symlink(tmp.path().join("nowhere"), root.join("dangling")).unwrap();

        let err = check_dir(&root, &root.join("out/x")).unwrap_err();
        assert!(err.to_string().contains("leads outside the repository"));
        assert!(check_write(&root, &root.join("out/x.toml")).is_err());
        assert!(check_dir(&root, &root.join("in/x")).is_ok());
        assert!(check_write(&root, &root.join("in/x.toml")).is_ok());
        assert!(create_dir_all(&root, &root.join("dangling/sub")).is_err());
        assert!(!tmp.path().join("nowhere").exists());
        assert!(check_read(&root, &root.join("../away/x")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_file_link_is_read_only_when_it_stays_inside_and_never_written() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        fs::create_dir_all(&root).unwrap();
        fs::write(root.join("real.toml"), "a = 1\n").unwrap();
        fs::write(tmp.path().join("away.toml"), "b = 2\n").unwrap();
        symlink(root.join("real.toml"), root.join("in.toml")).unwrap();
        symlink(tmp.path().join("away.toml"), root.join("out.toml")).unwrap();

        assert_eq!(read_text(&root, &root.join("in.toml")).unwrap(), "a = 1\n");
        assert!(read_text(&root, &root.join("out.toml")).is_err());
        assert!(atomic_write(&root, &root.join("in.toml"), b"x").is_err());
        assert!(lock(&root, &root.join("out.toml")).is_err());
        remove_file(&root, &root.join("out.toml")).unwrap();
        assert_eq!(fs::read(tmp.path().join("away.toml")).unwrap(), b"b = 2\n");
    }
}
