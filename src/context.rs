//! What a command needs from its surroundings: where the repository is, who is acting,
//! and what time it is. Tests fix the time with `SLUSS_NOW` and the user with
//! `SLUSS_USER`, so that every run is deterministic.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, FixedOffset, Local, NaiveDate, TimeZone, Timelike};

use crate::domain::Config;
use crate::storage::Repo;
use crate::{Error, Result};

#[derive(Debug, Clone)]
pub struct Context {
    /// `--repo` (possibly several) or `SLUSS_REPO`; when empty, the repository is found
    /// from the current folder.
    pub repos: Vec<PathBuf>,
    pub now: DateTime<FixedOffset>,
    /// `--lang`: the language of published output, over sluss.toml's `language`.
    pub lang: Option<crate::i18n::Lang>,
}

impl Context {
    pub fn new(repos: Vec<PathBuf>, lang: Option<crate::i18n::Lang>) -> Result<Context> {
        Ok(Context {
            repos,
            lang,
            // Files store seconds; keeping `now` at that precision makes what a command
            // prints agree with what it wrote.
            now: now_from_env()?
                .with_nanosecond(0)
                .expect("zero nanoseconds is valid"),
        })
    }

    /// The language published output speaks: `--lang`, else sluss.toml's `language`,
    /// else English.
    pub fn lang(&self, config: &crate::domain::Config) -> crate::i18n::Lang {
        self.lang
            .or(config.language)
            .unwrap_or(crate::i18n::Lang::En)
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// The repository this command works on.
    pub fn open_repo(&self) -> Result<Repo> {
        let repo = self.open_one()?;
        crate::output::csv::use_setting(repo.config.csv.dialect);
        Ok(repo)
    }

    /// As [`Context::open_repo`], with the units the cases spell learned
    /// ([`Repo::learn_units`]): for the commands that group or filter by unit.
    pub fn open_repo_units(&self) -> Result<Repo> {
        let mut repo = self.open_repo()?;
        repo.learn_units();
        Ok(repo)
    }

    fn open_one(&self) -> Result<Repo> {
        match self.repo_dirs()?.as_slice() {
            [] => {
                let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
                Repo::open(&Repo::discover(&cwd)?)
            }
            [dir] => Repo::open(dir),
            several => Err(Error::refused(
                format!(
                    "--repo names {} repositories, but this command works on one",
                    several.len()
                ),
                "only `sluss summary` reads several repositories at once",
            )),
        }
    }

    /// Every repository named with `--repo`, or the one found from the current folder.
    pub fn open_repos(&self) -> Result<Vec<Repo>> {
        if self.repos.is_empty() {
            return Ok(vec![self.open_repo()?]);
        }
        let repos: Vec<Repo> = self
            .repo_dirs()?
            .iter()
            .map(|dir| Repo::open(dir))
            .collect::<Result<_>>()?;
        if let Some(first) = repos.first() {
            crate::output::csv::use_setting(first.config.csv.dialect);
        }
        Ok(repos)
    }

    /// The folders named with `--repo` (or `SLUSS_REPO`), each holding a sluss.toml, in
    /// order. A repository named twice (`--repo . --repo cases/..`, or through a link)
    /// counts once, with a warning naming both spellings. Every command asks here once.
    pub fn repo_dirs(&self) -> Result<Vec<PathBuf>> {
        let mut seen: Vec<(FolderId, &PathBuf)> = Vec::new();
        for dir in &self.repos {
            if !dir.join(crate::storage::repo::CONFIG_FILE).is_file() {
                return Err(Error::NoRepository {
                    start: dir.to_path_buf(),
                });
            }
            let id = FolderId::of(dir)?;
            if let Some((_, first)) = seen.iter().find(|(known, _)| *known == id) {
                crate::output::safe_eprintln!(
                    "warning: --repo {} is the same repository as --repo {}; it counts once",
                    dir.display(),
                    first.display()
                );
                continue;
            }
            seen.push((id, dir));
        }
        Ok(seen.into_iter().map(|(_, dir)| dir.clone()).collect())
    }

    /// Who is acting: `--by`, `SLUSS_USER`, the user settings file, then git's
    /// `user.name` (mapped to a coach key when it is a coach's name).
    pub fn actor(&self, repo: &Repo, by: Option<&str>) -> Result<String> {
        // A user who names a coach (by key or name, case and Swedish letters aside)
        // is recorded by the coach's key, so that history says one name for one person.
        let as_coach = |who: String| coach_key_for_name(&repo.config, &who).unwrap_or(who);
        if let Some(by) = by.map(str::trim).filter(|b| !b.is_empty()) {
            return Ok(as_coach(by.to_string()));
        }
        if let Some(user) = user_from_settings() {
            return Ok(as_coach(user));
        }
        if let Some(name) = git_user_name(&repo.root) {
            return Ok(coach_key_for_name(&repo.config, &name).unwrap_or(name));
        }
        Err(Error::UnknownUser)
    }
}

/// What makes two spellings of a folder the same folder: its device and inode where
/// there are such (links, bind mounts, `..`), else its canonical path.
#[derive(Debug, PartialEq, Eq)]
enum FolderId {
    #[cfg_attr(not(unix), allow(dead_code))]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

impl FolderId {
    fn of(dir: &Path) -> Result<FolderId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            let meta = std::fs::metadata(dir).map_err(|e| Error::io(dir, e))?;
            Ok(FolderId::Inode(meta.dev(), meta.ino()))
        }
        #[cfg(not(unix))]
        {
            dir.canonicalize()
                .map(FolderId::Path)
                .map_err(|e| Error::io(dir, e))
        }
    }
}

/// Parses a day given on the command line as people say it (`2020-06-30`, `idag`,
/// `igår`, `-3d`, `måndag`: see [`crate::domain::datetime::parse_day`]), counted from
/// today by the same clock the command uses (`SLUSS_NOW` in tests).
pub fn parse_cli_date(text: &str) -> std::result::Result<NaiveDate, String> {
    let today = now_from_env().map_err(|e| e.to_string())?.date_naive();
    crate::domain::datetime::parse_day(text, today)
}

/// Parses a day something is due by, as people say it (`2026-12-10`, `imorgon`, `+7d`,
/// `fredag`, the next one: see [`crate::domain::datetime::parse_due_day`]), counted from
/// today by the command's clock.
pub fn parse_cli_due_date(text: &str) -> std::result::Result<NaiveDate, String> {
    let today = now_from_env().map_err(|e| e.to_string())?.date_naive();
    crate::domain::datetime::parse_due_day(text, today)
}

fn now_from_env() -> Result<DateTime<FixedOffset>> {
    match std::env::var("SLUSS_NOW") {
        Ok(s) if !s.trim().is_empty() => parse_now(s.trim()).ok_or_else(|| {
            Error::refused(
                format!("SLUSS_NOW='{s}' is neither a date nor an RFC 3339 date-time"),
                "write it as 2020-06-30 or 2020-06-30T12:00:00+02:00, or unset it".to_string(),
            )
        }),
        _ => Ok(Local::now().fixed_offset()),
    }
}

fn parse_now(s: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt);
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    FixedOffset::east_opt(0)?
        .from_local_datetime(&date.and_hms_opt(12, 0, 0)?)
        .single()
}

/// The user settings file: `<config dir>/sluss/config.toml`, e.g.
/// `~/.config/sluss/config.toml` on Linux.
pub fn user_settings_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("sluss").join("config.toml"))
}

fn user_from_settings() -> Option<String> {
    let text = std::fs::read_to_string(user_settings_path()?).ok()?;
    let value: toml::Table = toml::from_str(&text).ok()?;
    value
        .get("user")?
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn git_user_name(dir: &Path) -> Option<String> {
    let out = Command::new("git")
        .args(["config", "user.name"])
        .current_dir(dir)
        .output()
        .ok()?;
    let name = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !name.is_empty()).then_some(name)
}

fn coach_key_for_name(config: &Config, name: &str) -> Option<String> {
    let wanted = crate::domain::words::fold(name.trim());
    config
        .coaches
        .iter()
        .find(|c| {
            crate::domain::words::fold(&c.name) == wanted
                || crate::domain::words::fold(&c.key) == wanted
        })
        .map(|c| c.key.clone())
}
