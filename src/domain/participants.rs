//! The participants of an innovation program (people or teams), kept outside
//! `sluss.toml` in one file per program, `programs/<key>.toml`. Names are personal data.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantKind {
    Person,
    Team,
}

impl ParticipantKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ParticipantKind::Person => "person",
            ParticipantKind::Team => "team",
        }
    }
}

impl fmt::Display for ParticipantKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One program's participants file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramParticipants {
    /// The program key from `sluss.toml`; the file is `programs/<key>.toml`.
    pub program: String,
    #[serde(default)]
    pub participants: Vec<Participant>,
}

/// A person or team taking part in a program: shown in published output by name only
/// with `consent = true`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    /// Empty once the person has been forgotten (`forgotten = true`).
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub unit: String,
    pub kind: ParticipantKind,
    #[serde(default)]
    pub consent: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

impl ProgramParticipants {
    pub fn from_toml(text: &str) -> Result<ProgramParticipants, toml::de::Error> {
        toml::from_str(text)
    }
}
