//! `sluss new`: register an idea as a new case.

use std::process::ExitCode;

use anyhow::Result;

use crate::Error;
use crate::context::Context;
use crate::domain::id::new_id;
use crate::domain::{Case, Description, Person, Status};
use crate::output::{self, Format};

/// Register a new idea: a case in the first stage, status open.
///
/// The first stage's gate must be met, as `advance` requires of every stage it enters;
/// --force overrides it and needs --note saying why.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A short title, e.g. "Digital matsedel på äldreboenden".
    pub title: String,
    /// The person who brought the idea (personal data).
    #[arg(long, value_name = "NAME")]
    pub submitter: String,
    /// The organisational unit the idea comes from.
    #[arg(long, value_name = "UNIT")]
    pub unit: String,
    /// The coach who takes it (a coach key from sluss.toml).
    #[arg(long, value_name = "KEY")]
    pub coach: Option<String>,
    /// The innovation program it belongs to (a program key).
    #[arg(long, value_name = "KEY")]
    pub program: Option<String>,
    /// A tag; repeat for several.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// A partner-network member that takes part (a key of network/KEY.toml); repeat
    /// for several.
    #[arg(long = "partner", value_name = "KEY")]
    pub partners: Vec<String>,
    /// The need, and for whom.
    #[arg(long, value_name = "TEXT")]
    pub need: Option<String>,
    /// The proposed change.
    #[arg(long, value_name = "TEXT")]
    pub idea: Option<String>,
    /// The submitter agrees to be named in published reports.
    #[arg(long)]
    pub consent: bool,
    /// Why, recorded in history; needed with --force.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Register the case even though it does not meet the gate of the first stage
    /// (needs --note).
    #[arg(long)]
    pub force: bool,
    #[arg(long, default_value = "table", value_parser = super::format_parser(&[Format::Table, Format::Json]))]
    pub format: Format,
    #[command(flatten)]
    pub write: super::WriteArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    super::require_format(args.format, &[Format::Table, Format::Json])?;
    let repo = ctx.open_repo()?;
    let config = &repo.config;
    let title = args.title.trim();
    if title.is_empty() {
        return Err(Error::refused("a case needs a title", "give a short title in quotes").into());
    }
    for (what, value) in [("--submitter", &args.submitter), ("--unit", &args.unit)] {
        if value.trim().is_empty() {
            return Err(
                Error::refused(format!("{what} is empty"), format!("give {what} a value")).into(),
            );
        }
    }
    if let Some(coach) = &args.coach
        && config.coach(coach).is_none()
    {
        return Err(Error::unknown("coach", coach, config.coach_keys()).into());
    }
    // A coach who has left takes no new cases.
    if let Some(known) = args.coach.as_deref().and_then(|c| config.coach(c)) {
        crate::domain::change::require_active(config, known)?;
    }
    if let Some(program) = &args.program
        && config.program(program).is_none()
    {
        return Err(Error::unknown("program", program, config.program_keys()).into());
    }
    // Each partner once, in the order given, and every one a member of the network.
    let mut partners: Vec<String> = Vec::new();
    for key in args.partners.iter().map(|k| k.trim()) {
        if !partners.iter().any(|known| known == key) {
            partners.push(key.to_string());
        }
    }
    if !partners.is_empty() {
        let network = repo.load_network()?;
        if let Some(unknown) = partners.iter().find(|k| !network.contains(k)) {
            return Err(crate::domain::change::unknown_member(unknown).into());
        }
    }
    let first = config
        .first_stage()
        .expect("an opened repository has a pipeline");
    // Each tag once, in the order given.
    let mut tags: Vec<String> = Vec::new();
    for tag in args.tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        if !tags.iter().any(|known| known == tag) {
            tags.push(tag.to_string());
        }
    }
    let text = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut rng = fastrand::Rng::new();
    let mut case = Case {
        id: new_id(&mut rng),
        title: title.to_string(),
        created: ctx.now,
        stage: first.key.clone(),
        status: Status::Open,
        outcome: None,
        coach: args.coach.clone(),
        unit: args.unit.trim().to_string(),
        program: args.program.clone(),
        tags,
        partners,
        result: None,
        follow_up: None,
        submitter: Some(Person {
            name: args.submitter.trim().to_string(),
            consent: args.consent,
            contact: None,
            forgotten: false,
            fingerprints: Vec::new(),
        }),
        description: Description {
            need: text(&args.need),
            idea: text(&args.idea),
        },
        history: Vec::new(),
        sessions: Vec::new(),
    };
    let actor = || {
        Ok(crate::domain::change::Actor {
            by: ctx.actor(&repo, args.write.by.as_deref())?,
            at: ctx.now,
        })
    };
    case.history.extend(crate::domain::change::admit_new(
        &case,
        config,
        args.note.as_deref(),
        args.force,
        actor,
    )?);
    // A clash of 60 random bits is all but impossible; never overwrite if it happens.
    // Bounded, so that a file that exists whatever the id (a folder the system will not
    // create) can never make it try for ever.
    let mut tries = 0;
    let path = loop {
        tries += 1;
        match repo.create_case(&case) {
            Err(Error::Io { source, .. })
                if source.kind() == std::io::ErrorKind::AlreadyExists && tries < 8 =>
            {
                case.id = new_id(&mut rng);
            }
            other => break other?,
        }
    };
    let short = &case.id[..4.min(case.id.len())];
    args.write
        .commit_if_asked(&repo, &path, &format!("{short}: new case: {}", case.title))?;
    if args.format == Format::Json {
        output::emit(&output::json(&case))?;
    } else {
        let shown = path.strip_prefix(&repo.root).unwrap_or(&path);
        output::emit(&format!(
            "Created case {}: {} ({})\n",
            case.id,
            case.title,
            shown.display()
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
