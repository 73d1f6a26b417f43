//! A case as the spec defines it, read from its TOML file.
//!
//! These types are for reading and reporting. Writes never re-serialise them: they edit
//! the file in place (see `storage::document`), so that unknown keys and a person's
//! comments survive.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

use super::datetime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Parked,
    Closed,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Open, Status::Parked, Status::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Parked => "parked",
            Status::Closed => "closed",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Implemented,
    HandedOver,
    Stopped,
    Duplicate,
    Referred,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Implemented,
        Outcome::HandedOver,
        Outcome::Stopped,
        Outcome::Duplicate,
        Outcome::Referred,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Implemented => "implemented",
            Outcome::HandedOver => "handed_over",
            Outcome::Stopped => "stopped",
            Outcome::Duplicate => "duplicate",
            Outcome::Referred => "referred",
        }
    }
}

impl Outcome {
    /// The outcome a coach's word names: its key or its label in either language
    /// (`införd`, `överlämnad`, `handed over`), case and Swedish letters aside.
    pub fn from_word(word: &str) -> Result<Outcome, crate::Error> {
        let labels: Vec<(&str, Vec<&str>)> = Outcome::ALL
            .iter()
            .map(|o| (o.as_str(), o.labels()))
            .collect();
        super::words::find(word, labels.clone())
            .and_then(|key| key.parse().ok())
            .ok_or_else(|| crate::Error::unknown_named("outcome", word, labels))
    }

    fn labels(self) -> Vec<&'static str> {
        let key = format!("outcome.{}", self.as_str());
        crate::i18n::Lang::ALL
            .iter()
            .map(|lang| lang.text(&key))
            .collect()
    }
}

impl Status {
    /// The status a coach's word names: its key or its label in either language
    /// (`parkerad`, `avslutad`), case and Swedish letters aside.
    pub fn from_word(word: &str) -> Result<Status, crate::Error> {
        let labels: Vec<(&str, Vec<&str>)> = Status::ALL
            .iter()
            .map(|s| {
                let key = format!("status.{}", s.as_str());
                (
                    s.as_str(),
                    crate::i18n::Lang::ALL
                        .iter()
                        .map(|l| l.text(&key))
                        .collect(),
                )
            })
            .collect();
        super::words::find(word, labels.clone())
            .and_then(|key| key.parse().ok())
            .ok_or_else(|| crate::Error::unknown_named("status", word, labels))
    }
}

impl std::str::FromStr for Outcome {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Outcome::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| {
                let known: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
                format!("'{s}' is not an outcome; use one of {}", known.join(", "))
            })
    }
}

impl std::str::FromStr for Status {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| format!("'{s}' is not a status; use open, parked or closed"))
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub id: String,
    pub title: String,
    #[serde(deserialize_with = "datetime::offset_datetime::deserialize")]
    pub created: DateTime<FixedOffset>,
    pub stage: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coach: Option<String>,
    #[serde(default)]
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Keys of partner-network members (`network/<key>.toml`) that take part in the case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<String>,
    /// What the idea brought about, in a sentence or two (`sluss result`): the
    /// newsletter quotes it under an implemented idea. Free text that may name people,
    /// so published output and redacted exports treat it as they treat the description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// The day a coach means to come back to the case (`sluss set ID --follow-up DAY`);
    /// `sluss agenda` lists it once it is due.
    #[serde(
        default,
        deserialize_with = "datetime::option_local_date::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub follow_up: Option<NaiveDate>,
    /// The case this one repeats (`sluss close ID --outcome duplicate --of OTHER`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// The partner-network member a handed-over case went to (a member key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handed_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitter: Option<Person>,
    #[serde(default)]
    pub description: Description,
    /// What the idea gave or is expected to give (`sluss benefit add`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub benefits: Vec<Benefit>,
    /// Who else took the idea up (`sluss adopt`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adoptions: Vec<Adoption>,
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    #[serde(default)]
    pub sessions: Vec<Session>,
}

/// Whether a benefit is an estimate made ahead (`projected`) or what was measured or
/// counted afterwards (`realised`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BenefitBasis {
    Projected,
    Realised,
}

impl BenefitBasis {
    pub const ALL: [BenefitBasis; 2] = [BenefitBasis::Projected, BenefitBasis::Realised];

    pub fn as_str(self) -> &'static str {
        match self {
            BenefitBasis::Projected => "projected",
            BenefitBasis::Realised => "realised",
        }
    }
}

impl fmt::Display for BenefitBasis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a case gave or is expected to give (`[[benefits]]`, `sluss benefit add`).
///
/// `kind` is `kronor` (money saved), `hours` (working hours saved), `quality`, or any
/// other named kind; a kind other than kronor and hours names what `amount` counts in
/// `unit` ("besök", "NKI-poäng"). It applies to a `year`, or to a period `from`–`to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Benefit {
    pub kind: String,
    pub amount: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub basis: BenefitBasis,
    /// The calendar year the amount applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The first day of the period the amount applies to (instead of a year).
    #[serde(
        default,
        deserialize_with = "datetime::option_local_date::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub from: Option<NaiveDate>,
    /// The last day of that period.
    #[serde(
        default,
        deserialize_with = "datetime::option_local_date::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub to: Option<NaiveDate>,
    /// The day it was recorded: `--as-of` an earlier day does not count it.
    #[serde(
        default,
        deserialize_with = "datetime::option_local_date::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub recorded: Option<NaiveDate>,
    /// How it was estimated or measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How an adopter took up an idea.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdoptionKind {
    /// Took it up as it was.
    Copied,
    /// Took it up and changed it to fit.
    Adapted,
}

impl AdoptionKind {
    pub const ALL: [AdoptionKind; 2] = [AdoptionKind::Copied, AdoptionKind::Adapted];

    pub fn as_str(self) -> &'static str {
        match self {
            AdoptionKind::Copied => "copied",
            AdoptionKind::Adapted => "adapted",
        }
    }
}

impl fmt::Display for AdoptionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Someone else who took up an implemented or handed-over idea (`[[adoptions]]`,
/// `sluss adopt`): an organisation of the partner network (`org`, a member key) or a
/// unit of the organisation (`unit`, as a case writes its unit), never both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Adoption {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The day it was taken up.
    #[serde(deserialize_with = "datetime::local_date::deserialize")]
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how: Option<AdoptionKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Personal data: shown in published output only with `consent = true`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Person {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub consent: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// `sluss forget` took the name and contact out (`forgotten = true`): the only way a
    /// submitter is left without a name.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub forgotten: bool,
    /// Fingerprints of the name and contact, where the cache stands in for the file
    /// and keeps these instead of the name of someone who has not consented: enough for
    /// published output to find the name in free text. Never in a file.
    #[serde(skip)]
    pub fingerprints: Vec<super::names::Fingerprint>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Description {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idea: Option<String>,
}

/// One append-only history entry. A stage move has `from` and `to`; other changes carry
/// their own keys.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    #[serde(deserialize_with = "datetime::offset_datetime::deserialize")]
    pub at: DateTime<FixedOffset>,
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coach: Option<String>,
    /// The coach the case had before this entry gave it to `coach` (`""`: none), so that
    /// `--as-of` knows who had it before its first reassignment. Older files lack it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_coach: Option<String>,
    /// The case joined this program; `""` records that it left its program.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    /// The program the case was in before this entry (`""`: none), as for the coach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_program: Option<String>,
    /// A partner-network member the case started to name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_added: Option<String>,
    /// A partner-network member the case no longer names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_removed: Option<String>,
    /// The result text the case was given (`sluss result`); `""` records that it was
    /// cleared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// The fields `sluss set` changed that have no key of their own in the entry
    /// (`title`, `need`, `idea`, `unit`, `tags`, `follow_up`), in that order; a program
    /// or result it changed is recorded as `program` or `result`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<String>,
    /// Tags `sluss set` added (`+TAG`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags_added: Vec<String>,
    /// Tags `sluss set` took out (`-TAG`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags_removed: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The case that a case closed as a duplicate repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// The partner-network member a case closed as handed over went to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handed_to: Option<String>,
    /// The benefit this entry recorded (`sluss benefit add`), as it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub benefit: Option<Benefit>,
    /// The adoption this entry recorded (`sluss adopt`), as it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adoption: Option<Adoption>,
    /// The move went through a gate that was not met (`--force`, with the note saying
    /// why), so that a leader can audit overrides.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub forced: bool,
}

impl HistoryEntry {
    pub fn is_move(&self) -> bool {
        self.to.is_some()
    }

    /// The day the entry happened, in its own offset (the spec's counting rule).
    pub fn day(&self) -> NaiveDate {
        self.at.date_naive()
    }
}

/// A session's minutes: a whole number, written `60` or, as the JSON Schema (where 60 and
/// 60.0 are one number) accepts it too, `60.0`; never a fraction.
fn whole_minutes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    struct Visitor;
    impl serde::de::Visitor<'_> for Visitor {
        type Value = u32;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number of minutes, such as 45")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u32, E> {
            u32::try_from(v).map_err(|_| E::custom(format!("{v} minutes is out of range")))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u32, E> {
            u32::try_from(v).map_err(|_| E::custom(format!("{v} minutes is out of range")))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u32, E> {
            if v.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&v) {
                return Err(E::custom(format!(
                    "{v} is not a whole number of minutes, such as 45"
                )));
            }
            // Whole and in range, as just checked.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Ok(v as u32)
        }
    }
    d.deserialize_any(Visitor)
}

/// One coaching session from the append-only log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    #[serde(deserialize_with = "datetime::local_date::deserialize")]
    pub date: NaiveDate,
    pub coach: String,
    #[serde(deserialize_with = "whole_minutes")]
    pub minutes: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub next_steps: Vec<NextStep>,
}

/// A next step agreed on in a session. Written as a plain string (`"Ta fram
/// testplan"`), or as an inline table when it has a day it is due or has been done:
/// `{ text = "Ta fram testplan", due = 2026-12-10, done = 2026-12-09 }`. It is open
/// until it has a `done` day. In JSON it is the string when it is only a text, the
/// object otherwise, as in the file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(into = "StepForm")]
pub struct NextStep {
    pub text: String,
    /// The day it should be done by.
    pub due: Option<NaiveDate>,
    /// The day it was done (`sluss step done`).
    pub done: Option<NaiveDate>,
}

impl NextStep {
    /// A step with only its text, as the files of old have them.
    pub fn new(text: impl Into<String>) -> NextStep {
        NextStep {
            text: text.into(),
            ..NextStep::default()
        }
    }

    pub fn is_open(&self) -> bool {
        self.done.is_none()
    }

    /// Whether the file writes it as a plain string.
    pub fn is_plain(&self) -> bool {
        self.due.is_none() && self.done.is_none()
    }
}

impl From<String> for NextStep {
    fn from(text: String) -> NextStep {
        NextStep::new(text)
    }
}

impl From<&str> for NextStep {
    fn from(text: &str) -> NextStep {
        NextStep::new(text)
    }
}

/// A next step where a case has it: its number in the case (from 1) and its place in
/// the file.
#[derive(Debug, Clone, Copy)]
pub struct StepRef<'a> {
    pub number: usize,
    /// The session's index in the file's `sessions`.
    pub session: usize,
    /// The step's index in that session's `next_steps`.
    pub index: usize,
    /// The session that agreed on it.
    pub of: &'a Session,
    pub step: &'a NextStep,
}

/// The two ways a next step is written.
#[derive(Serialize)]
#[serde(untagged)]
enum StepForm {
    Plain(String),
    Table(StepTable),
}

#[derive(Serialize, Deserialize)]
struct StepTable {
    text: String,
    #[serde(
        default,
        deserialize_with = "datetime::option_local_date::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    due: Option<NaiveDate>,
    #[serde(
        default,
        deserialize_with = "datetime::option_local_date::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    done: Option<NaiveDate>,
}

/// A string, or a table read field by field (so that a wrong `due` is named as such).
impl<'de> Deserialize<'de> for NextStep {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<NextStep, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = NextStep;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a next step: a string, or a table such as \
                     { text = \"Ta fram testplan\", due = 2026-12-10 }",
                )
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<NextStep, E> {
                Ok(NextStep::new(s))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<NextStep, A::Error> {
                let t = StepTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(NextStep::from(StepForm::Table(t)))
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl From<StepForm> for NextStep {
    fn from(form: StepForm) -> NextStep {
        match form {
            StepForm::Plain(text) => NextStep::new(text),
            StepForm::Table(t) => NextStep {
                text: t.text,
                due: t.due,
                done: t.done,
            },
        }
    }
}

impl From<NextStep> for StepForm {
    fn from(step: NextStep) -> StepForm {
        if step.is_plain() {
            StepForm::Plain(step.text)
        } else {
            StepForm::Table(StepTable {
                text: step.text,
                due: step.due,
                done: step.done,
            })
        }
    }
}

impl Case {
    /// Parses a case file's text. Errors carry the byte span that `toml` reports.
    pub fn from_toml(text: &str) -> Result<Case, toml::de::Error> {
        toml::from_str(text)
    }

    pub fn created_day(&self) -> NaiveDate {
        self.created.date_naive()
    }

    /// Today as this case counts days at the moment `now`: the latest day `now` falls
    /// on in the offsets the case is written in (and in `now`'s own). Days are counted in
    /// each record's own offset, so a case written at 00:30+02:00 is dated a day after
    /// a UTC clock that reads 22:45: judged by this day, a record already made is never
    /// "in the future" and never idle for less than nothing, wherever the clock is.
    pub fn today_at(&self, now: DateTime<FixedOffset>) -> NaiveDate {
        std::iter::once(self.created.offset())
            .chain(self.history.iter().map(|e| e.at.offset()))
            .map(|offset| now.with_timezone(offset).date_naive())
            .fold(now.date_naive(), NaiveDate::max)
    }

    /// The day a report made at `now` without `--as-of` is about: the latest day it is
    /// in the offsets the cases are written in, or by the clock (see
    /// [`Case::today_at`]). A case written at 00:30+02:00 and reported by a UTC clock at
    /// 22:45 is then not after its report's day, and the report equals the one
    /// `--as-of` that day.
    pub fn report_day<'c>(
        now: DateTime<FixedOffset>,
        cases: impl IntoIterator<Item = &'c Case>,
    ) -> NaiveDate {
        cases
            .into_iter()
            .map(|c| c.today_at(now))
            .fold(now.date_naive(), NaiveDate::max)
    }

    /// History in time order (stable for equal instants, so file order breaks ties).
    pub fn history_in_order(&self) -> Vec<&HistoryEntry> {
        let mut entries: Vec<&HistoryEntry> = self.history.iter().collect();
        entries.sort_by_key(|e| e.at);
        entries
    }

    /// Every next step of the case, numbered from 1 in file order (sessions as the file
    /// has them, steps in each), done ones too, so that a step keeps its number.
    pub fn next_steps(&self) -> Vec<StepRef<'_>> {
        self.sessions
            .iter()
            .enumerate()
            .flat_map(|(s, session)| {
                session
                    .next_steps
                    .iter()
                    .enumerate()
                    .map(move |(i, step)| (s, i, session, step))
            })
            .enumerate()
            .map(|(n, (session, index, of, step))| StepRef {
                number: n + 1,
                session,
                index,
                of,
                step,
            })
            .collect()
    }

    /// Sessions in date order.
    pub fn sessions_in_order(&self) -> Vec<&Session> {
        let mut sessions: Vec<&Session> = self.sessions.iter().collect();
        sessions.sort_by_key(|s| s.date);
        sessions
    }

    pub fn need(&self) -> Option<&str> {
        self.description
            .need
            .as_deref()
            .filter(|s| !s.trim().is_empty())
    }

    pub fn idea(&self) -> Option<&str> {
        self.description
            .idea
            .as_deref()
            .filter(|s| !s.trim().is_empty())
    }

    /// The result text, when it says something.
    pub fn result(&self) -> Option<&str> {
        self.result.as_deref().filter(|s| !s.trim().is_empty())
    }
}

impl Benefit {
    /// The amount in kronor: kronor as they are, hours at `hourly_cost` kronor an hour
    /// when the sluice sets one; any other kind (or hours without a cost) has no value
    /// in kronor.
    pub fn in_kronor(&self, hourly_cost: Option<f64>) -> Option<f64> {
        match self.kind.as_str() {
            "kronor" => Some(self.amount),
            "hours" => hourly_cost.map(|cost| self.amount * cost),
            _ => None,
        }
    }

    /// Whether a report about `day` counts it: recorded that day or before (a benefit
    /// with no `recorded` day always counts).
    pub fn recorded_by(&self, day: NaiveDate) -> bool {
        self.recorded.is_none_or(|r| r <= day)
    }

    /// The calendar years the amount applies to, each with its share of the amount: the
    /// whole for a `year`; for a period `from`–`to`, shared by the days of it in each
    /// year. Empty when it names neither (a problem `check` reports).
    pub fn years(&self) -> Vec<(i32, f64)> {
        use chrono::Datelike;
        if let Some(year) = self.year {
            return vec![(year, 1.0)];
        }
        let (Some(from), Some(to)) = (self.from, self.to) else {
            return Vec::new();
        };
        if to < from {
            return Vec::new();
        }
        let all = (to - from).num_days() + 1;
        (from.year()..=to.year())
            .filter_map(|year| {
                let start = NaiveDate::from_ymd_opt(year, 1, 1)?.max(from);
                let end = NaiveDate::from_ymd_opt(year, 12, 31)?.min(to);
                // Day counts are far below 2^52: exact in f64.
                #[allow(clippy::cast_precision_loss)]
                let share = ((end - start).num_days() + 1) as f64 / all as f64;
                Some((year, share))
            })
            .collect()
    }
}

#[cfg(test)]
mod benefit_tests {
    use super::*;

    fn benefit(kind: &str, amount: f64) -> Benefit {
        Benefit {
            kind: kind.into(),
            amount,
            unit: None,
            basis: BenefitBasis::Realised,
            year: Some(2020),
            from: None,
            to: None,
            recorded: None,
            note: None,
        }
    }

    #[test]
    fn hours_are_kronor_only_at_an_hourly_cost() {
        assert_eq!(benefit("kronor", 100.0).in_kronor(None), Some(100.0));
        assert_eq!(benefit("hours", 10.0).in_kronor(None), None);
        assert_eq!(benefit("hours", 10.0).in_kronor(Some(450.0)), Some(4500.0));
        assert_eq!(benefit("quality", 3.0).in_kronor(Some(450.0)), None);
    }

    #[test]
    fn a_period_is_shared_between_its_years_by_days() {
        let mut b = benefit("kronor", 100.0);
        b.year = None;
        b.from = NaiveDate::from_ymd_opt(2019, 12, 1);
        b.to = NaiveDate::from_ymd_opt(2020, 1, 30);
        let years = b.years();
        assert_eq!(years.len(), 2);
        assert_eq!(years[0].0, 2019);
        assert!((years[0].1 - 31.0 / 61.0).abs() < 1e-12);
        assert!((years[1].1 - 30.0 / 61.0).abs() < 1e-12);
    }
}
