//! The filter flags that `list` and `set` share, and how they become a
//! [`Filter`]: every word checked against the registers
//! (stage, coach, program, unit, status) or what the cases hold (tags, units without a
//! register), with "did you mean" for a word that names nothing.

use anyhow::Result;

use crate::context::Context;
use crate::domain::filter::{Filter, Found, Words, split};
use crate::storage::Repo;

/// Filters shared by `list` and `set`: any value within a flag, every flag. Each flag
/// may be repeated or take values separated by commas; names match by key or display
/// name, case and Swedish letters aside (`provning` is `Prövning`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Only cases in these stages (key or name).
    #[arg(long, value_name = "STAGE")]
    pub stage: Vec<String>,
    /// Only cases with these statuses: open, parked, closed (or their Swedish names).
    #[arg(long, value_name = "STATUS")]
    pub status: Vec<String>,
    /// Only cases with these coaches (key or name; coaches who have left too).
    #[arg(long, value_name = "COACH")]
    pub coach: Vec<String>,
    /// Only cases with one of these tags.
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// Only cases whose title, need, idea, result, session notes or history notes hold every word.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only stale cases: open and idle longer than stale_after_days.
    #[arg(long)]
    pub stale: bool,
    /// Closed cases too (without it: open and parked ones, unless --status says).
    #[arg(long)]
    pub all: bool,
    /// Only cases whose coach is the acting user (--by, SLUSS_USER, the user settings
    /// file, git's user.name).
    #[arg(long, conflicts_with = "coach")]
    pub mine: bool,
}

/// The filter's words as given, split at commas, ready to resolve.
pub struct Given {
    stages: Vec<String>,
    statuses: Vec<String>,
    coaches: Vec<String>,
    units: Vec<String>,
    programs: Vec<String>,
    tags: Vec<String>,
    search: Option<String>,
    all: bool,
    pub stale: bool,
}

impl Given {
    fn words(&self) -> Words<'_> {
        Words {
            stages: &self.stages,
            statuses: &self.statuses,
            coaches: &self.coaches,
            units: &self.units,
            programs: &self.programs,
            tags: &self.tags,
            search: self.search.as_deref(),
            all: self.all,
        }
    }

    /// Whether no filter at all was given (every open and parked case; `--all` alone
    /// is no filter either, so that `set` never changes every case by accident).
    pub fn is_empty(&self) -> bool {
        self.stages.is_empty()
            && self.statuses.is_empty()
            && self.coaches.is_empty()
            && self.units.is_empty()
            && self.programs.is_empty()
            && self.tags.is_empty()
            && self.search.as_deref().is_none_or(|s| s.trim().is_empty())
            && !self.stale
    }

    /// Resolves the words against the registers: an unknown one is an error.
    pub fn resolve(&self, repo: &Repo) -> Result<Filter> {
        Ok(Filter::resolve(&repo.config, &self.words())?)
    }

    /// Refuses a tag (or a unit without a register) that no case holds.
    pub fn check_found(&self, repo: &Repo, filter: &Filter, found: &Found) -> Result<()> {
        Ok(filter.check_found(&repo.config, &self.words(), found)?)
    }
}

impl FilterArgs {
    /// The words given, with the unit and program filters (which `list` and `set` name
    /// differently) and the acting user's coach key for `--mine`.
    pub fn given(
        &self,
        ctx: &Context,
        repo: &Repo,
        units: &[String],
        programs: &[String],
        by: Option<&str>,
    ) -> Result<Given> {
        let mut coaches = split(&self.coach);
        if self.mine {
            let me = ctx.actor(repo, by)?;
            let coach = repo.config.find_coach(&me).map_err(|_| {
                crate::Error::usage(
                    format!("--mine: the acting user '{me}' is not a coach in sluss.toml"),
                    "act as a coach with --by KEY or SLUSS_USER, or name one with --coach",
                )
            })?;
            coaches.push(coach.key.clone());
        }
        Ok(Given {
            stages: split(&self.stage),
            statuses: split(&self.status),
            coaches,
            units: split(units),
            programs: split(programs),
            tags: split(&self.tag),
            search: self.search.clone(),
            all: self.all,
            stale: self.stale,
        })
    }
}
