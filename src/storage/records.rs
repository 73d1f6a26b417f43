//! The files beside the cases: the partner network, one member organisation per file
//! (`network/<key>.toml`), and each program's participants (`programs/<key>.toml`).
//!
//! They are read as cases are (a broken file is set aside, the others stay usable),
//! created atomically and never overwritten, and edited in place under a lock, so that
//! comments, key order and keys sluss does not know survive.

use std::fs;
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Table};

use crate::domain::datetime::local_date_to_toml;
use crate::domain::network::Member;
use crate::domain::participants::{Participant, ProgramParticipants};
use crate::storage::document::{CaseDocument, append_to_array_of_tables};
use crate::storage::repo::Repo;
use crate::storage::write;
use crate::{Error, Result};

/// The folder of member files.
pub const NETWORK_DIR: &str = "network";
/// The folder of program participant files.
pub const PROGRAMS_DIR: &str = "programs";

const BOM: &str = "\u{feff}";

/// A member read from its file.
#[derive(Debug, Clone)]
pub struct LoadedMember {
    pub path: PathBuf,
    pub member: Member,
}

/// A file that could not be read, and why.
#[derive(Debug)]
pub struct BrokenFile {
    pub path: PathBuf,
    pub error: Error,
}

/// Every member that could be read, in file-name order, and the files that could not.
#[derive(Debug, Default)]
pub struct Network {
    pub members: Vec<LoadedMember>,
    pub broken: Vec<BrokenFile>,
}

impl Network {
    /// The member whose key is `key`.
    pub fn get(&self, key: &str) -> Option<&Member> {
        self.members
            .iter()
            .map(|m| &m.member)
            .find(|m| m.key == key)
    }

    /// The member `word` names, by key or organisation name, case and Swedish letters
    /// aside; a word that names none gets "did you mean" among the members.
    pub fn find(&self, word: &str) -> Result<&Member, crate::Error> {
        let named = || {
            self.members
                .iter()
                .map(|m| (m.member.key.as_str(), vec![m.member.organisation.as_str()]))
        };
        if self.members.is_empty() {
            return Err(crate::domain::change::unknown_member(word));
        }
        crate::domain::words::find(word, named())
            .and_then(|key| self.get(key))
            .ok_or_else(|| crate::Error::unknown_named("network member", word, named()))
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The members, without where they were read from.
    pub fn members(&self) -> Vec<Member> {
        self.members.iter().map(|m| m.member.clone()).collect()
    }
}

impl Repo {
    /// The `.toml` files of the repository's folder `dir`, sorted by name; hidden files
    /// (a writer's temporary files) and files whose name is not UTF-8 text (which no
    /// command could name) left out. A missing folder has none; one that links
    /// out of the repository is refused.
    pub fn toml_files(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        self.guard_dir(dir)?;
        let mut files = entries(dir, |name| name.is_some_and(|n| n.ends_with(".toml")))?;
        files.sort();
        Ok(files)
    }

    /// Entries of the repository's folder `dir` that are not `.toml` files (hidden files
    /// left out).
    pub fn stray_files(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        self.guard_dir(dir)?;
        let mut files = entries(dir, |name| !name.is_some_and(|n| n.ends_with(".toml")))?;
        files.sort();
        Ok(files)
    }
}

/// The entries of `dir` that are not hidden and that `keep` keeps, given their name
/// when it is UTF-8 text.
fn entries(dir: &Path, keep: impl Fn(Option<&str>) -> bool) -> Result<Vec<PathBuf>> {
    let list = match fs::read_dir(dir) {
        Ok(list) => list,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    Ok(list
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name();
            !name.to_string_lossy().starts_with('.') && keep(name.to_str())
        })
        .map(|e| e.path())
        .collect())
}

impl Repo {
    pub fn network_dir(&self) -> PathBuf {
        self.root.join(NETWORK_DIR)
    }

    pub fn programs_dir(&self) -> PathBuf {
        self.root.join(PROGRAMS_DIR)
    }

    /// The member files, sorted by name.
    pub fn network_files(&self) -> Result<Vec<PathBuf>> {
        self.toml_files(&self.network_dir())
    }

    /// The program participant files, sorted by name.
    pub fn program_files(&self) -> Result<Vec<PathBuf>> {
        self.toml_files(&self.programs_dir())
    }

    /// Reads every member of the network. A broken file does not stop the others.
    pub fn load_network(&self) -> Result<Network> {
        let mut network = Network::default();
        for path in self.network_files()? {
            match self
                .read_text(&path)
                .and_then(|text| parse_member(&path, &text))
            {
                Ok(member) => network.members.push(LoadedMember { path, member }),
                Err(error) => network.broken.push(BrokenFile { path, error }),
            }
        }
        Ok(network)
    }

    /// The file of the member `key` (which must be a valid key, so that it names a
    /// file inside `network/`).
    pub fn member_path(&self, key: &str) -> PathBuf {
        self.network_dir().join(format!("{key}.toml"))
    }

    /// The participants file of program `key`.
    pub fn participants_path(&self, program: &str) -> PathBuf {
        self.programs_dir().join(format!("{program}.toml"))
    }

    /// Writes a new member file under its lock; never overwrites.
    pub fn create_member(&self, member: &Member) -> Result<PathBuf> {
        crate::domain::config::check_key("network member", &member.key)
            .map_err(|m| Error::refused(m, "for example: norrdata"))?;
        self.ensure_state_dir()?;
        let path = self.member_path(&member.key);
        self.guard_write(&path)?;
        let _lock = self.lock(&path)?;
        if path.exists() {
            return Err(Error::DuplicateKey {
                kind: "network",
                key: member.key.clone(),
            });
        }
        self.create_dir_all(&self.network_dir())?;
        let text = member_text(member);
        parse_member(&path, &text)?;
        self.create_file(&path, text.as_bytes())?;
        write::sweep_stale_temp_files(&self.network_dir());
        Ok(path)
    }

    /// The participants of program `key`, or `None` when it has no file yet.
    pub fn load_participants(&self, program: &str) -> Result<Option<ProgramParticipants>> {
        let path = self.participants_path(program);
        self.guard_dir(&self.programs_dir())?;
        if !path.exists() {
            return Ok(None);
        }
        let text = self.read_text(&path)?;
        parse_participants(&path, &text).map(Some)
    }

    /// Adds a participant to program `key`'s file, creating the file when needed; the
    /// file is edited in place under its lock and written atomically. A person or team
    /// of the same name and unit is refused.
    pub fn add_participant(&self, program: &str, participant: &Participant) -> Result<PathBuf> {
        crate::domain::config::check_key("program", program)
            .map_err(|m| Error::refused(m, "for example: ip2018"))?;
        self.ensure_state_dir()?;
        let path = self.participants_path(program);
        self.guard_write(&path)?;
        let _lock = self.lock(&path)?;
        let mut doc = if path.exists() {
            let text = self.read_text(&path)?;
            let current = parse_participants(&path, &text)?;
            if current.program != program {
                return Err(Error::Invalid {
                    path,
                    message: format!(
                        "the file says program = \"{}\", not \"{program}\"",
                        current.program
                    ),
                });
            }
            if current.participants.iter().any(|p| {
                p.name.trim().eq_ignore_ascii_case(participant.name.trim())
                    && p.unit.trim().eq_ignore_ascii_case(participant.unit.trim())
            }) {
                return Err(Error::refused(
                    format!(
                        "{} ({}) already takes part in program {program}",
                        participant.name, participant.unit
                    ),
                    "nothing to do; edit the file by hand to change the entry",
                ));
            }
            CaseDocument::parse(&path, &text)?
        } else {
            let mut doc = DocumentMut::new();
            doc.insert("program", toml_edit::value(program));
            if let Some(mut key) = doc.key_mut("program") {
                key.leaf_decor_mut()
                    .set_prefix(format!("{}\n", crate::schema::PROGRAM_DIRECTIVE));
            }
            CaseDocument::from_document(doc)
        };
        append_to_array_of_tables(
            doc.document_mut(),
            "participants",
            participant_table(participant),
        )?;
        let text = doc.render();
        parse_participants(&path, &text).map_err(|e| Error::Invalid {
            path: path.clone(),
            message: format!("the change would break the file, so it was not written: {e}"),
        })?;
        let dir = self.programs_dir();
        self.create_dir_all(&dir)?;
        self.write_file(&path, text.as_bytes())?;
        write::sweep_stale_temp_files(&dir);
        Ok(path)
    }
}

/// Parses a member file's text, locating any error by line and column.
pub fn parse_member(path: &Path, text: &str) -> Result<Member> {
    let body = text.strip_prefix(BOM).unwrap_or(text);
    if body.trim().is_empty() {
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            message: "the file is empty".to_string(),
        });
    }
    Member::from_toml(body).map_err(|e| Error::syntax(path, body, e.span(), e.message()))
}

/// Parses a participants file's text, locating any error by line and column.
pub fn parse_participants(path: &Path, text: &str) -> Result<ProgramParticipants> {
    let body = text.strip_prefix(BOM).unwrap_or(text);
    ProgramParticipants::from_toml(body)
        .map_err(|e| Error::syntax(path, body, e.span(), e.message()))
}

/// The text of a new member file, under the line that names its JSON Schema.
pub fn member_text(member: &Member) -> String {
    let mut doc = DocumentMut::new();
    doc.insert("key", toml_edit::value(member.key.as_str()));
    if let Some(mut key) = doc.key_mut("key") {
        key.leaf_decor_mut()
            .set_prefix(format!("{}\n", crate::schema::NETWORK_DIRECTIVE));
    }
    doc.insert(
        "organisation",
        toml_edit::value(member.organisation.as_str()),
    );
    doc.insert("kind", toml_edit::value(member.kind.as_str()));
    doc.insert(
        "joined",
        toml_edit::value(local_date_to_toml(member.joined)),
    );
    if let Some(left) = member.left {
        doc.insert("left", toml_edit::value(local_date_to_toml(left)));
    }
    if let Some(c) = &member.contact {
        let mut t = Table::new();
        t.insert("name", toml_edit::value(c.name.as_str()));
        if let Some(e) = &c.email {
            t.insert("email", toml_edit::value(e.as_str()));
        }
        if let Some(p) = &c.phone {
            t.insert("phone", toml_edit::value(p.as_str()));
        }
        t.insert("consent", toml_edit::value(c.consent));
        doc.insert("contact", Item::Table(t));
    }
    doc.to_string()
}

/// The text of a whole participants file (the demo generator writes them at once).
pub fn participants_text(file: &ProgramParticipants) -> String {
    let mut doc = DocumentMut::new();
    doc.insert("program", toml_edit::value(file.program.as_str()));
    if let Some(mut key) = doc.key_mut("program") {
        key.leaf_decor_mut()
            .set_prefix(format!("{}\n", crate::schema::PROGRAM_DIRECTIVE));
    }
    for p in &file.participants {
        append_to_array_of_tables(&mut doc, "participants", participant_table(p))
            .expect("a new document has room for participants");
    }
    doc.to_string()
}

/// A participant as a `[[participants]]` table: `name` first, so that a person can be
/// found (and forgotten) by name like every other personal-data table.
fn participant_table(p: &Participant) -> Table {
    let mut t = Table::new();
    t.insert("name", toml_edit::value(p.name.as_str()));
    t.insert("unit", toml_edit::value(p.unit.as_str()));
    t.insert("kind", toml_edit::value(p.kind.as_str()));
    t.insert("consent", toml_edit::value(p.consent));
    if let Some(c) = &p.contact {
        t.insert("contact", toml_edit::value(c.as_str()));
    }
    t
}
