//! `sluss session`: log a coaching session.

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;

use crate::context::Context;
use crate::context::{parse_cli_date, parse_cli_due_date};
use crate::domain::{NextStep, Session, change};

/// Log a coaching session on a case.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case id, or a unique prefix of it.
    pub id: String,
    #[command(flatten)]
    pub actor: super::WriteArgs,
    /// How long the session took, in minutes.
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_minutes)]
    pub minutes: u32,
    /// The day of the session (YYYY-MM-DD, today, igår, -3d, måndag …; default today);
    /// not a day to come.
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = parse_cli_date)]
    pub date: Option<NaiveDate>,
    /// The coach who held it, by key or name (default: the one acting if a coach, else
    /// the case's coach).
    #[arg(long, value_name = "COACH")]
    pub coach: Option<String>,
    /// What kind of session: möte, workshop, telefon, test …
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// What was said and done.
    #[arg(long, value_name = "TEXT")]
    pub notes: Option<String>,
    /// A next step agreed on; repeat for several.
    #[arg(long = "next-step", value_name = "TEXT")]
    pub next_steps: Vec<String>,
    /// The day the next steps are due by (2026-12-10, imorgon, +7d, fredag: the next
    /// one); `sluss agenda` shows them by it.
    #[arg(long, value_name = "DAY", allow_hyphen_values = true, value_parser = parse_cli_due_date, requires = "next_steps")]
    pub due: Option<NaiveDate>,
}

fn parse_minutes(s: &str) -> Result<u32, String> {
    let n = s
        .trim()
        .parse::<i64>()
        .map_err(|_| format!("'{s}' is not a positive whole number of minutes"))?;
    match crate::domain::bounds::session_minutes_problem(n) {
        None => Ok(n as u32),
        Some(problem) => Err(problem),
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let today = ctx.today();
    super::change_case(ctx, &args.id, &args.actor, |repo, actor, case| {
        let coach = match args.coach.clone() {
            Some(c) => repo.config.find_coach(&c)?.key.clone(),
            None if repo.config.coach(&actor.by).is_some() => actor.by.clone(),
            None => case.coach.clone().ok_or_else(|| {
                crate::Error::refused(
                    format!(
                        "case {} has no coach and you are not a coach in sluss.toml",
                        case.id
                    ),
                    "name the coach with --coach KEY",
                )
            })?,
        };
        let session = Session {
            date: args.date.unwrap_or(today),
            coach,
            minutes: args.minutes,
            kind: args.kind.clone().filter(|k| !k.trim().is_empty()),
            notes: args.notes.clone().filter(|n| !n.trim().is_empty()),
            next_steps: args
                .next_steps
                .iter()
                .map(|text| NextStep {
                    text: text.clone(),
                    due: args.due,
                    done: None,
                })
                .collect(),
        };
        change::log_session(case, &repo.config, session, today)
    })
}
