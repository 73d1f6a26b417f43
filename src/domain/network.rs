//! The partner network: the organisations the sluice works with, one member per file,
//! `network/<key>.toml`. A member's contact person is personal data.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::datetime;

/// What kind of organisation a member is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberKind {
    /// A company.
    Company,
    /// A university, research institute or the like.
    Research,
    /// Another municipality, a region or a government agency.
    Public,
    /// A civic organisation: associations, foundations, the voluntary sector.
    Civic,
}

impl MemberKind {
    pub const ALL: [MemberKind; 4] = [
        MemberKind::Company,
        MemberKind::Research,
        MemberKind::Public,
        MemberKind::Civic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MemberKind::Company => "company",
            MemberKind::Research => "research",
            MemberKind::Public => "public",
            MemberKind::Civic => "civic",
        }
    }
}

impl fmt::Display for MemberKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for MemberKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MemberKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!("'{s}' is not a kind of member; use company, research, public or civic")
            })
    }
}

/// One member organisation of the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// The key cases store in `partners`; the file is `network/<key>.toml`.
    pub key: String,
    pub organisation: String,
    pub kind: MemberKind,
    /// The day it joined the network.
    #[serde(deserialize_with = "datetime::local_date::deserialize")]
    pub joined: NaiveDate,
    /// The day it left the network, if it has; it is a member up to the day before.
    #[serde(
        default,
        deserialize_with = "datetime::option_local_date::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub left: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
}

/// A member's contact person: personal data, named in published output only with
/// `consent = true`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Contact {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default)]
    pub consent: bool,
}

impl Member {
    /// Parses a member file's text. Errors carry the byte span that `toml` reports.
    pub fn from_toml(text: &str) -> Result<Member, toml::de::Error> {
        toml::from_str(text)
    }

    /// Whether it was a member on `day`: joined on or before it, and not left by then.
    pub fn is_member_on(&self, day: NaiveDate) -> bool {
        let as_of = crate::domain::AsOf::end_of(day);
        as_of.counts(self.joined) && !self.left.is_some_and(|left| as_of.counts(left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_file_reads_and_membership_ends_on_the_day_it_left() {
        let m = Member::from_toml(
            "key = \"norrdata\"\norganisation = \"Norrdata AB\"\nkind = \"company\"\n\
             joined = 2018-03-01\nleft = 2019-06-30\n[contact]\nname = \"Anna Berg\"\n",
        )
        .unwrap();
        assert_eq!(m.kind, MemberKind::Company);
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(!m.is_member_on(day("2018-02-28")));
        assert!(m.is_member_on(day("2018-03-01")));
        assert!(m.is_member_on(day("2019-06-29")));
        assert!(!m.is_member_on(day("2019-06-30")));
        assert!(!m.contact.unwrap().consent);
        assert!(
            Member::from_toml(
                "key = \"x\"\norganisation = \"X\"\nkind = \"club\"\njoined = 2018-03-01\n"
            )
            .is_err()
        );
    }
}
