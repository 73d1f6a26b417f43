//! The portfolio's settings, `sluss.toml`: the pipeline, its gates, coaches and programs.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{datetime, words};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    pub name: String,
    /// The language of what the sluice publishes (reports, the digest, HTML): `sv` or
    /// `en` (`--lang` overrides it; English when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<crate::i18n::Lang>,
    #[serde(default = "default_stale_after_days")]
    pub stale_after_days: u32,
    #[serde(default)]
    pub stages: Vec<Stage>,
    #[serde(default)]
    pub coaches: Vec<Coach>,
    #[serde(default)]
    pub programs: Vec<Program>,
    /// The organisation's units (`[[units]]`): what `new --unit` offers and `check`
    /// holds the cases' units to. Empty: units are free text, as before the register.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<Unit>,
    #[serde(default)]
    pub policy: Policy,
    #[serde(default)]
    pub git: GitSettings,
    /// How reports describe this repository (`[reports]`).
    #[serde(default, skip_serializing_if = "Reports::is_empty")]
    pub reports: Reports,
    /// How CSV is written (`[csv]`).
    #[serde(default, skip_serializing_if = "CsvSettings::is_default")]
    pub csv: CsvSettings,
    /// The innovation-maturity self-assessment (`[maturity]`), when the repository uses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maturity: Option<super::maturity::MaturitySettings>,
    /// Salted digests of forgotten names (`[privacy]`), so that `check` catches a name
    /// that a merge or an old branch brings back, without the name being kept.
    #[serde(default, skip_serializing_if = "Privacy::is_empty")]
    pub privacy: Privacy,
    /// The newsletter's own words (`[digest]`): its introduction, closing and contact
    /// line, or a template file that holds them.
    #[serde(default, skip_serializing_if = "DigestSettings::is_empty")]
    pub digest: DigestSettings,
    /// The sluice's targets (`[goals]`): `summary` and `kpi` show progress against each.
    #[serde(default, skip_serializing_if = "Goals::is_empty")]
    pub goals: Goals,
    /// How benefits are valued (`[benefits]`).
    #[serde(default, skip_serializing_if = "BenefitSettings::is_empty")]
    pub benefits: BenefitSettings,
    /// The spelling reports show for each unit text the cases use that the register
    /// does not name, by its folded form (see [`Config::learn_unit_spellings`]): so
    /// "vård", "Vård" and "VÅRD" are one unit even without `[[units]]`. Not in the file.
    #[serde(skip)]
    pub unit_spellings: std::collections::BTreeMap<String, String>,
}

/// `[digest]`: what the newsletter says around its news. Each text left out takes the
/// catalogue's default in the sluice's language.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestSettings {
    /// The paragraph that opens the newsletter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
    /// The paragraph that ends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing: Option<String>,
    /// The last line: whom to tell about an idea ("Har du en idé? Kontakta …").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// A text file inside the repository (a path relative to sluss.toml) whose text
    /// before a line `{news}` is the introduction and after it the closing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
}

impl DigestSettings {
    pub fn is_empty(&self) -> bool {
        *self == DigestSettings::default()
    }
}

/// `[privacy]`: what `sluss forget` keeps so that a forgotten name stays forgotten.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Privacy {
    /// This repository's salt for the digests (hex), made by the first `forget`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub salt: String,
    /// `sha256:<hex>` of the salt, a colon and each forgotten name (or contact detail)
    /// as the name matcher normalises it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forgotten: Vec<String>,
}

impl Privacy {
    pub fn is_empty(&self) -> bool {
        self.salt.is_empty() && self.forgotten.is_empty()
    }

    /// The digest under which `normal` (a name as [`super::names::normal_key`] gives
    /// it) is listed.
    pub fn digest(&self, normal: &str) -> String {
        use sha2::Digest;
        let mut hash = sha2::Sha256::new();
        hash.update(self.salt.as_bytes());
        hash.update(b":");
        hash.update(normal.as_bytes());
        let bytes = hash.finalize();
        let mut out = String::with_capacity(7 + 64);
        out.push_str("sha256:");
        for b in bytes.iter() {
            out.push_str(&format!("{b:02x}"));
        }
        out
    }
}

/// Rules that `sluss check` enforces on the whole portfolio, for CI (`[policy]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Every open case has a coach.
    #[serde(default)]
    pub require_coach: bool,
    /// No open case is idle longer than this many days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_stale_days: Option<u32>,
    /// Every case that has gone past this stage describes its need.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_after: Option<String>,
}

/// How sluss works with git (`[git]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GitSettings {
    /// Every write command commits the file it changed, as `--commit` does.
    #[serde(default)]
    pub auto_commit: bool,
}

/// How reports describe this repository (`[reports]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reports {
    /// The day reports describe unless `--as-of` names another: for a portfolio that is
    /// archived, or a demo, whose "today" would find every open case stale. Reports
    /// made with it say so.
    #[serde(
        default,
        deserialize_with = "datetime::option_local_date::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub as_of: Option<NaiveDate>,
}

impl Reports {
    pub fn is_empty(&self) -> bool {
        self.as_of.is_none()
    }
}

/// `[goals]`: the sluice's targets, each a number of cases over the portfolio's life
/// (to the report's day). A goal left out is not shown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goals {
    /// Ideas received (cases registered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ideas: Option<u32>,
    /// Cases that reached `tested_stage` (or a later stage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tested: Option<u32>,
    /// The stage that counts as tested: a stage key (required with `tested`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tested_stage: Option<String>,
    /// Cases closed as implemented in the organisation's own work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implemented: Option<u32>,
    /// Cases closed as handed over to another organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handed_over: Option<u32>,
}

impl Goals {
    pub fn is_empty(&self) -> bool {
        *self == Goals::default()
    }
}

/// `[benefits]`: how benefits are valued.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenefitSettings {
    /// Kronor per working hour: with it, hours saved are also counted in kronor;
    /// without it, hours stay hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hourly_cost: Option<f64>,
}

impl BenefitSettings {
    pub fn is_empty(&self) -> bool {
        self.hourly_cost.is_none()
    }
}

/// Where the day a report describes comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AsOfSource {
    /// `--as-of DATE`.
    Option,
    /// `[reports] as_of` in sluss.toml.
    Settings,
    /// Today: no day was named.
    Today,
}

/// How CSV is written (`[csv]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvSettings {
    /// The dialect of every CSV sluss writes; `--csv-dialect` overrides it.
    #[serde(default)]
    pub dialect: CsvDialect,
}

impl CsvSettings {
    pub fn is_default(&self) -> bool {
        *self == CsvSettings::default()
    }
}

/// The dialect of a CSV file (see [`crate::output::csv`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum CsvDialect {
    /// RFC 4180: commas, decimal points, no byte-order mark.
    #[default]
    Standard,
    /// For Excel in Swedish (and most European languages): a UTF-8 byte-order mark,
    /// semicolons and decimal commas.
    Excel,
}

fn default_stale_after_days() -> u32 {
    60
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub key: String,
    pub name: String,
    /// What a case must have before it may enter this stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<Gate>,
    /// A work-in-progress limit: how many open cases the stage should hold at most.
    /// `sluss board` shows it beside the count ("Testa 9/8") and marks a stage over it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wip: Option<u32>,
}

/// Gate requirements for entering a stage. Every field is optional; an empty gate
/// lets every case in.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// A coach is assigned.
    #[serde(default)]
    pub coach: bool,
    /// `description.need` is filled in.
    #[serde(default)]
    pub need: bool,
    /// `description.idea` is filled in.
    #[serde(default)]
    pub idea: bool,
    /// At least this many coaching sessions are logged.
    #[serde(default)]
    pub min_sessions: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coach {
    pub key: String,
    pub name: String,
    /// May this coach be named in published output (`--public` reports)?
    #[serde(default)]
    pub consent: bool,
    /// `false` for a coach who has left: kept in history and reports, no longer offered
    /// or accepted for new work.
    #[serde(default = "yes", skip_serializing_if = "Clone::clone")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// One unit of the organisation (`[[units]]`). Case files store the unit's `name`, as
/// they always have; a case whose unit matches a unit's key or name (case and Swedish
/// letters aside) counts as that unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub key: String,
    pub name: String,
    /// How many people work there, for key figures per employee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headcount: Option<u32>,
}

impl Unit {
    /// The key a unit added by its name gets (`--new-unit`): the name folded to
    /// lowercase ASCII words joined by `_` ("Räddningstjänst Mitt" →
    /// `raddningstjanst_mitt`), cut to the longest a key may be.
    ///
    /// ```
    /// use sluss::domain::config::Unit;
    /// assert_eq!(Unit::key_from_name("Vård och omsorg"), "vard_och_omsorg");
    /// assert_eq!(Unit::key_from_name("  Miljö & hälsa!"), "miljo_halsa");
    /// ```
    pub fn key_from_name(name: &str) -> String {
        let slug = super::maturity::slug(name).replace('-', "_");
        let mut key: String = slug.chars().take(super::key::MAX_KEY_LEN).collect();
        while key.ends_with('_') {
            key.pop();
        }
        key
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Program {
    pub key: String,
    pub name: String,
    #[serde(
        default,
        deserialize_with = "datetime::option_local_date::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub start: Option<NaiveDate>,
    #[serde(
        default,
        deserialize_with = "datetime::option_local_date::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub end: Option<NaiveDate>,
}

/// Keys of stages, coaches and programs: the rule is stated once, in `key`.
pub use super::key::check_key;

impl Config {
    pub fn from_toml(text: &str) -> Result<Config, toml::de::Error> {
        toml::from_str(text)
    }

    /// The day a report describes when one is named: `--as-of` (`flag`), else
    /// `[reports] as_of`; `None` means today. Every report command asks here, so that
    /// the setting means the same everywhere.
    pub fn report_as_of(&self, flag: Option<NaiveDate>) -> (Option<NaiveDate>, AsOfSource) {
        match (flag, self.reports.as_of) {
            (Some(day), _) => (Some(day), AsOfSource::Option),
            (None, Some(day)) => (Some(day), AsOfSource::Settings),
            (None, None) => (None, AsOfSource::Today),
        }
    }

    /// Checks what serde cannot: a pipeline exists and keys are unique.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.stages.is_empty() {
            problems.push("no [[stages]] are defined; a pipeline needs at least one".to_string());
        }
        let mut seen = std::collections::BTreeSet::new();
        let keys = self
            .stages
            .iter()
            .map(|s| ("stage", &s.key))
            .chain(self.coaches.iter().map(|c| ("coach", &c.key)))
            .chain(self.programs.iter().map(|p| ("program", &p.key)))
            .chain(self.units.iter().map(|u| ("unit", &u.key)));
        for (kind, key) in keys {
            if let Err(message) = check_key(kind, key) {
                problems.push(message);
            }
            if !seen.insert((kind, key.as_str())) {
                problems.push(format!("{kind} '{key}' is defined twice"));
            }
        }
        for s in &self.stages {
            if s.wip == Some(0) {
                problems.push(format!(
                    "stage '{}' has wip = 0; a WIP limit is at least 1 (leave it out for none)",
                    s.key
                ));
            }
        }
        let mut unit_names = std::collections::BTreeMap::new();
        for u in &self.units {
            if u.name.trim().is_empty() {
                problems.push(format!("unit '{}' has no name", u.key));
            } else if let Some(first) = unit_names.insert(words::fold(&u.name), &u.key) {
                problems.push(format!(
                    "units '{first}' and '{}' have the same name '{}' (case and Swedish letters aside)",
                    u.key, u.name
                ));
            }
            if u.headcount == Some(0) {
                problems.push(format!(
                    "unit '{}' has headcount 0; leave headcount out when it is not known",
                    u.key
                ));
            }
        }
        for p in &self.programs {
            if let (Some(start), Some(end)) = (p.start, p.end)
                && end < start
            {
                problems.push(format!("program '{}' ends before it starts", p.key));
            }
        }
        if let Some(after) = &self.policy.need_after
            && let Err(e) = self.find_stage(after)
        {
            let hint = e.hint().map(|h| format!(" ({h})")).unwrap_or_default();
            problems.push(format!(
                "[policy] need_after names '{after}', which is not a stage{hint}"
            ));
        }
        if let Some(maturity) = &self.maturity {
            problems.extend(maturity.problems());
        }
        problems
    }

    pub fn stage_index(&self, key: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.key == key)
    }

    pub fn stage(&self, key: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.key == key)
    }

    /// The label people see for a stage key; an unknown key shows as itself.
    pub fn stage_name<'a>(&'a self, key: &'a str) -> &'a str {
        self.stage(key).map(|s| s.name.as_str()).unwrap_or(key)
    }

    /// A stage as a message that helps fix a file names it: its display name with the
    /// key the file stores, "Prövning (provning)"; the key alone when the two are one
    /// word or the stage is unknown.
    pub fn stage_label(&self, key: &str) -> String {
        match self.stage(key) {
            Some(s) if s.name != s.key => format!("{} ({})", s.name, s.key),
            _ => key.to_string(),
        }
    }

    pub fn first_stage(&self) -> Option<&Stage> {
        self.stages.first()
    }

    pub fn coach(&self, key: &str) -> Option<&Coach> {
        self.coaches.iter().find(|c| c.key == key)
    }

    pub fn program(&self, key: &str) -> Option<&Program> {
        self.programs.iter().find(|p| p.key == key)
    }

    /// The stage `word` names: its key or display name, case and Swedish letters
    /// aside (`prövning`, `Prövning`, `provning`); unknown gets "did you mean".
    pub fn find_stage(&self, word: &str) -> Result<&Stage, crate::Error> {
        let named = || {
            self.stages
                .iter()
                .map(|s| (s.key.as_str(), vec![s.name.as_str()]))
        };
        words::find(word, named())
            .and_then(|key| self.stage(key))
            .ok_or_else(|| crate::Error::unknown_named("stage", word, named()))
    }

    /// The coach `word` names, by key or name (see [`Config::find_stage`]).
    pub fn find_coach(&self, word: &str) -> Result<&Coach, crate::Error> {
        let named = || {
            self.coaches
                .iter()
                .map(|c| (c.key.as_str(), vec![c.name.as_str()]))
        };
        words::find(word, named())
            .and_then(|key| self.coach(key))
            .ok_or_else(|| crate::Error::unknown_named("coach", word, named()))
    }

    /// The program `word` names, by key or name (see [`Config::find_stage`]).
    pub fn find_program(&self, word: &str) -> Result<&Program, crate::Error> {
        let named = || {
            self.programs
                .iter()
                .map(|p| (p.key.as_str(), vec![p.name.as_str()]))
        };
        words::find(word, named())
            .and_then(|key| self.program(key))
            .ok_or_else(|| crate::Error::unknown_named("program", word, named()))
    }

    /// The unit of the register `word` names, by key or name (see
    /// [`Config::find_stage`]).
    pub fn find_unit(&self, word: &str) -> Result<&Unit, crate::Error> {
        let named = || {
            self.units
                .iter()
                .map(|u| (u.key.as_str(), vec![u.name.as_str()]))
        };
        // Units are suggested by the name case files store ("Vård och omsorg").
        let by_name = self
            .units
            .iter()
            .map(|u| (u.name.as_str(), vec![u.key.as_str()]));
        words::find(word, named())
            .and_then(|key| self.units.iter().find(|u| u.key == key))
            .ok_or_else(|| crate::Error::unknown_named("unit", word, by_name))
    }

    /// The name reports show for a case's `unit`: the register's name when the text
    /// matches a unit of the register (so "samhällsbyggnad" and "Samhällsbyggnad" are
    /// one unit), else the text as written.
    /// A unit the register lacks is shown by the spelling the cases use most (see
    /// [`Config::learn_unit_spellings`]), so spellings that fold alike are one unit.
    pub fn unit_name<'a>(&'a self, unit: &'a str) -> &'a str {
        if !self.units.is_empty()
            && let Ok(u) = self.find_unit(unit)
        {
            return u.name.as_str();
        }
        self.unit_spellings
            .get(&words::fold(unit))
            .map_or(unit, String::as_str)
    }

    /// Learns how the cases spell the units the register does not name: for each
    /// folded spelling, the one most cases use, ties by the first in sorted order.
    pub fn learn_unit_spellings<'u>(&mut self, units: impl IntoIterator<Item = &'u str>) {
        let mut counts: std::collections::BTreeMap<
            String,
            std::collections::BTreeMap<&str, usize>,
        > = std::collections::BTreeMap::new();
        for unit in units {
            let unit = unit.trim();
            if unit.is_empty() || (!self.units.is_empty() && self.find_unit(unit).is_ok()) {
                continue;
            }
            *counts
                .entry(words::fold(unit))
                .or_default()
                .entry(unit)
                .or_default() += 1;
        }
        self.unit_spellings = counts
            .into_iter()
            .filter_map(|(folded, spellings)| {
                // Most used first; among equals the first in sorted order (the map's).
                let mut best: Option<(&str, usize)> = None;
                for (spelling, n) in spellings {
                    if best.is_none_or(|(_, m)| n > m) {
                        best = Some((spelling, n));
                    }
                }
                best.map(|(spelling, _)| (folded, spelling.to_string()))
            })
            .collect();
    }

    /// The names of the registers (stages, coaches, programs, units) that hold a line
    /// break, a control character or an invisible character: what `check` flags.
    pub fn name_problems(&self) -> Vec<String> {
        let named = self
            .stages
            .iter()
            .map(|s| ("stage", &s.key, &s.name))
            .chain(self.coaches.iter().map(|c| ("coach", &c.key, &c.name)))
            .chain(self.programs.iter().map(|p| ("program", &p.key, &p.name)))
            .chain(self.units.iter().map(|u| ("unit", &u.key, &u.name)));
        named
            .filter(|(_, _, name)| super::change::has_unseen(name))
            .map(|(what, key, name)| {
                format!(
                    "the name of {what} '{key}' ({}) has a line break, a control character or an invisible character",
                    name.escape_debug()
                )
            })
            .collect()
    }

    /// The spelling the cases already use for `unit` when the register lacks it, if
    /// it differs from `unit` as typed.
    pub fn unit_in_use(&self, unit: &str) -> Option<&str> {
        self.unit_spellings
            .get(&words::fold(unit))
            .map(String::as_str)
            .filter(|s| *s != unit.trim())
    }

    /// The coach `word` names (see [`Config::find_coach`]), refused when that coach
    /// has left (`active = false`): what every command that gives a coach new work asks.
    pub fn find_active_coach(&self, word: &str) -> Result<&Coach, crate::Error> {
        let coach = self.find_coach(word)?;
        super::change::require_active(self, coach)?;
        Ok(coach)
    }

    /// What to say of a unit `word` that is not in the register: the closest unit by
    /// its name (what case files store) and the register's names.
    pub fn unknown_unit_hint(&self, word: &str) -> String {
        let named = self
            .units
            .iter()
            .map(|u| (u.key.as_str(), vec![u.name.as_str()]));
        let names: Vec<&str> = self.units.iter().map(|u| u.name.as_str()).collect();
        let known = format!("the register: {}", names.join(", "));
        match words::suggest(word, named).and_then(|key| self.units.iter().find(|u| u.key == key)) {
            Some(unit) => format!("did you mean '{}'? {known}", unit.name),
            None => known,
        }
    }

    pub fn stage_keys(&self) -> Vec<String> {
        self.stages.iter().map(|s| s.key.clone()).collect()
    }

    pub fn coach_keys(&self) -> Vec<String> {
        self.coaches.iter().map(|c| c.key.clone()).collect()
    }

    pub fn program_keys(&self) -> Vec<String> {
        self.programs.iter().map(|p| p.key.clone()).collect()
    }
}
