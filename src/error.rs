//! Typed errors of the library. Each knows what the user can do about it (its hint)
//! and which exit code it deserves.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no sluss repository found in {start} or any folder above it")]
    NoRepository { start: PathBuf },

    #[error("{path} already holds a sluss repository")]
    AlreadyInitialised { path: PathBuf },

    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
        /// The offending source line with a caret under the column.
        excerpt: String,
    },

    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },

    #[error("no case matches '{0}'")]
    UnknownCase(String),

    #[error("'{prefix}' is ambiguous: it matches {}", .candidates.join(", "))]
    AmbiguousCase {
        prefix: String,
        candidates: Vec<String>,
    },

    #[error("several files claim the case id '{id}': {}", .files.join(", "))]
    DuplicateId { id: String, files: Vec<String> },

    #[error("'{0}' is not a valid case id")]
    BadCaseId(String),

    #[error("unknown {kind} '{key}'")]
    UnknownKey {
        kind: &'static str,
        key: String,
        known: Vec<String>,
        /// The known key closest to `key`, for "did you mean" (see [`Error::unknown`]).
        suggestion: Option<String>,
        /// The name people see for the suggested key, when it is more than the key
        /// written plainly ("Vård och omsorg" for `vard_och_omsorg`).
        suggestion_name: Option<String>,
    },

    #[error("{kind} '{key}' already exists")]
    DuplicateKey { kind: &'static str, key: String },

    #[error("refused: {message}")]
    Refused { message: String, hint: String },

    /// The command line asks for something that cannot be done as asked.
    #[error("{message}")]
    Usage { message: String, hint: String },

    #[error("gate for entering {stage} is not met: {}", .failures.join("; "))]
    GateNotMet {
        stage: String,
        failures: Vec<String>,
    },

    #[error("nobody is named as the one acting")]
    UnknownUser,

    /// `seconds` is the timeout as given, so `SLUSS_LOCK_TIMEOUT=0.5` reads "0.5 seconds".
    #[error("could not lock {path} within {seconds} seconds: another sluss is writing it")]
    LockTimeout { path: PathBuf, seconds: f64 },

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// What the user can do next, shown as `hint:` under the error.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NoRepository { .. } => Some(
                "run `sluss init` to create one, or point to one with --repo DIR or SLUSS_REPO"
                    .into(),
            ),
            Error::AlreadyInitialised { .. } => {
                Some("init never overwrites; remove sluss.toml first if you mean to start over".into())
            }
            Error::Syntax { path, excerpt, .. } => Some(format!("{}\n{excerpt}", mend(path))),
            Error::UnknownCase(_) => Some("`sluss list` shows the case ids".into()),
            Error::AmbiguousCase { .. } => Some("give more characters of the id".into()),
            Error::DuplicateId { .. } => Some(
                "an id must be unique: give one of the files a new id (`sluss check` lists such problems)".into(),
            ),
            Error::DuplicateKey { kind, .. } => Some(format!(
                "choose another key; `sluss {kind} list` shows those in use"
            )),
            Error::BadCaseId(_) => Some(
                "a case id is letters and digits only, as shown by `sluss list`".into(),
            ),
            Error::UnknownKey {
                known,
                suggestion: Some(suggestion),
                ..
            } => Some(format!(
                "did you mean '{suggestion}'? known: {}",
                known_list(known)
            )),
            Error::UnknownKey { known, .. } if !known.is_empty() => {
                Some(format!("known: {}", known_list(known)))
            }
            Error::UnknownKey { kind, .. } => Some(format!(
                "no {kind} is defined yet in sluss.toml"
            )),
            Error::Refused { hint, .. } | Error::Usage { hint, .. } => Some(hint.clone()),
            Error::GateNotMet { .. } => Some(
                "meet the requirement first, or pass --force together with --note saying why".into(),
            ),
            Error::UnknownUser => Some(
                "pass --by NAME, set SLUSS_USER, put `user = \"NAME\"` in the user settings file, or set git's user.name".into(),
            ),
            Error::LockTimeout { .. } => Some("nothing was changed; try again in a moment".into()),
            _ => None,
        }
    }

    /// Refusals (a gate, a rule) exit 1; everything else that stops a command exits 2.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::GateNotMet { .. } | Error::Refused { .. } => 1,
            _ => 2,
        }
    }

    /// `key` names no known `kind`; suggests the closest of `known`.
    pub fn unknown(kind: &'static str, key: &str, known: Vec<String>) -> Self {
        let suggestion = crate::domain::words::suggest(key, crate::domain::words::keys(&known))
            .map(str::to_string);
        Error::UnknownKey {
            kind,
            key: key.to_string(),
            known,
            suggestion,
            suggestion_name: None,
        }
    }

    /// `key` names no known `kind`, each known by its key and other names (a stage's
    /// display name); suggests the closest by key or name.
    pub fn unknown_named<'a>(
        kind: &'static str,
        key: &str,
        named: impl IntoIterator<Item = (&'a str, Vec<&'a str>)>,
    ) -> Self {
        let named: Vec<(&str, Vec<&str>)> = named.into_iter().collect();
        let known = named.iter().map(|(k, _)| (*k).to_string()).collect();
        let suggestion = crate::domain::words::suggest(key, named.clone());
        let suggestion_name = suggestion
            .and_then(|found| named.iter().find(|(k, _)| *k == found))
            .and_then(|(found, names)| {
                names
                    .first()
                    .filter(|n| crate::domain::words::fold(n) != crate::domain::words::fold(found))
            })
            .map(|n| (*n).to_string());
        let suggestion = suggestion.map(str::to_string);
        Error::UnknownKey {
            kind,
            key: key.to_string(),
            known,
            suggestion,
            suggestion_name,
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn refused(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Refused {
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// A TOML error at a byte span of `text`, located by line and column.
    pub fn syntax(
        path: impl Into<PathBuf>,
        text: &str,
        span: Option<std::ops::Range<usize>>,
        message: &str,
    ) -> Self {
        let offset = span.map(|s| s.start).unwrap_or(0).min(text.len());
        let (line, column, excerpt) = locate(text, offset);
        Error::Syntax {
            path: path.into(),
            line,
            column,
            message: message.trim().to_string(),
            excerpt,
        }
    }
}

/// Line and column (1-based, columns in characters) of a byte offset, and the line
/// itself with a caret under the column.
pub fn locate(text: &str, offset: usize) -> (usize, usize, String) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = text[line_start..offset].chars().count() + 1;
    let line_end = text[offset..]
        .find('\n')
        .map(|i| offset + i)
        .unwrap_or(text.len());
    // The line is quoted with its control characters shown as text (a tab as a space),
    // and the caret placed under the column as shown.
    let one_line = crate::report::escape::one_line;
    let source: String = one_line(text[line_start..line_end].trim_end_matches('\r'))
        .chars()
        .take(160)
        .collect();
    let shown_column = one_line(&text[line_start..offset]).chars().count() + 1;
    let gutter = line.to_string().len();
    let excerpt = format!(
        "{:gutter$} |\n{line} | {source}\n{:gutter$} | {:>col$}",
        "",
        "",
        "^",
        col = shown_column.min(161)
    );
    (line, column, excerpt)
}

/// How to mend a file that does not read: a case, the settings, or another record file.
fn mend(path: &std::path::Path) -> &'static str {
    let folder = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str());
    if path.file_name().is_some_and(|n| n == "sluss.toml") {
        "fix sluss.toml by hand (its comments, and `sluss schema config`, describe the settings); `sluss check` lists every problem"
    } else if folder == Some("cases") {
        "fix the file by hand (or with `sluss edit`); the other cases stay usable"
    } else {
        "fix the file by hand; `sluss check` lists every problem"
    }
}

/// The known keys for a hint: all of a short list, the first dozen of a long one (a
/// network of 90 members would fill the screen) with how many there are in all.
fn known_list(known: &[String]) -> String {
    const SHOWN: usize = 12;
    if known.len() <= SHOWN {
        known.join(", ")
    } else {
        format!("{}, … ({} in all)", known[..SHOWN].join(", "), known.len())
    }
}
