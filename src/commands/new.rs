//! `sluss new`: register an idea as a new case.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Result;

use crate::Error;
use crate::context::Context;
use crate::domain::config::Unit;
use crate::domain::id::new_id;
use crate::domain::{Case, Config, Description, Person, Status};
use crate::output::{self, Format};

/// Register a new idea: a case in the first stage, status open.
///
/// The first stage's gate must be met, as `advance` requires of every stage it enters;
/// --force overrides it and needs --note saying why.
///
/// At a terminal, a missing title, submitter or unit is asked for, and then the coach
/// and the need too if they were not given (an empty answer skips what is optional).
/// When stdin is not a terminal nothing is asked: a missing value is an error at once.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A short title, e.g. "Digital matsedel på äldreboenden".
    pub title: Option<String>,
    /// The person who brought the idea (personal data).
    #[arg(long, value_name = "NAME")]
    pub submitter: Option<String>,
    /// The organisational unit the idea comes from: a unit of the register
    /// (`[[units]]` in sluss.toml) by key or name, or free text when there is none.
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// Add --unit to the register (`[[units]]`), its key made from the name, when it
    /// is not in it.
    #[arg(long, requires = "unit")]
    pub new_unit: bool,
    /// The coach who takes it: an active coach of sluss.toml, by key or name.
    #[arg(long, value_name = "COACH")]
    pub coach: Option<String>,
    /// The innovation program it belongs to, by key or name.
    #[arg(long, value_name = "PROGRAM")]
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

pub fn run(ctx: &Context, mut args: Args) -> Result<ExitCode> {
    super::require_format(args.format, &[Format::Table, Format::Json])?;
    let repo = ctx.open_repo_units()?;
    let config = &repo.config;
    let missing = args.title.is_none() || args.submitter.is_none() || args.unit.is_none();
    if missing && std::io::stdin().is_terminal() {
        ask_for_what_is_missing(config, &mut args)?;
    }
    let required = |value: &Option<String>, what: &str, hint: &str| -> Result<String> {
        match value.as_deref().map(str::trim) {
            None => Err(Error::usage(format!("a new case needs {what}"), hint).into()),
            Some("") => Err(Error::refused(format!("{what} is empty"), hint).into()),
            Some(text) => Ok(text.to_string()),
        }
    };
    let title = required(&args.title, "the title", "give a short title in quotes")?;
    let submitter = required(&args.submitter, "--submitter", "give --submitter NAME")?;
    let unit_text = required(&args.unit, "--unit", "give --unit UNIT")?;
    let (unit, new_unit) = resolve_unit(config, &unit_text, args.new_unit)?;
    let coach = match &args.coach {
        Some(word) => Some(config.find_active_coach(word)?.key.clone()),
        None => None,
    };
    let program = match &args.program {
        Some(word) => Some(config.find_program(word)?.key.clone()),
        None => None,
    };
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
    // Each tag once (case and Swedish letters aside), in the order given, spelled as
    // the portfolio already spells it (as `set +TAG` does).
    let mut tags: Vec<String> = Vec::new();
    let given: Vec<&str> = args
        .tags
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect();
    for tag in &given {
        crate::domain::change::check_tag_separators(tag)?;
    }
    let known_tags: Vec<String> = if given.is_empty() {
        Vec::new()
    } else {
        let mut all: Vec<String> = repo.glance(|_| true, |c| Some(c.tags.clone())).concat();
        all.sort();
        all
    };
    for tag in given {
        let wanted = crate::domain::words::fold(tag);
        if tags
            .iter()
            .any(|known| crate::domain::words::fold(known) == wanted)
        {
            continue;
        }
        let spelled = known_tags
            .iter()
            .find(|t| crate::domain::words::fold(t) == wanted)
            .map_or(tag, String::as_str);
        tags.push(spelled.to_string());
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
        title,
        created: ctx.now,
        stage: first.key.clone(),
        status: Status::Open,
        outcome: None,
        coach,
        unit,
        program,
        tags,
        partners,
        result: None,
        follow_up: None,
        duplicate_of: None,
        handed_to: None,
        submitter: Some(Person {
            name: submitter,
            consent: args.consent,
            contact: None,
            forgotten: false,
            fingerprints: Vec::new(),
        }),
        description: Description {
            need: text(&args.need),
            idea: text(&args.idea),
        },
        benefits: Vec::new(),
        adoptions: Vec::new(),
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
    let mut written = Vec::new();
    if let Some(unit) = &new_unit {
        add_unit(&repo, unit)?;
        written.push(repo.config_path());
    }
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
    written.push(path.clone());
    super::commit_written(
        &repo,
        args.write.commit,
        &written,
        &format!("{short}: new case: {}", case.title),
    )?;
    if let Some(unit) = &new_unit {
        eprintln!("Added unit {} ({}) to sluss.toml", unit.key, unit.name);
        if config.units.is_empty() {
            eprintln!(
                "note: it starts the units register: `sluss check` now holds every case's unit to it (`sluss unit list` shows them)"
            );
        }
    }
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

/// The unit a case is filed under: with a register, the register's name for the unit
/// `text` names (by key or name, folded), or with `add` a new unit of that name, to be
/// added to the register; without one, the text as given.
fn resolve_unit(config: &Config, text: &str, add: bool) -> Result<(String, Option<Unit>)> {
    if let Ok(unit) = config.find_unit(text) {
        return Ok((unit.name.clone(), None));
    }
    if !add {
        if config.units.is_empty() {
            // As `set` does for tags: the spelling the cases already use.
            if let Some(in_use) = config.unit_in_use(text) {
                crate::output::safe_eprintln!(
                    "note: unit '{text}' is written '{in_use}' in the cases; filed as '{in_use}'"
                );
                return Ok((in_use.to_string(), None));
            }
            return Ok((text.to_string(), None));
        }
        return Err(Error::usage(
            format!("unit '{text}' is not in the units register of sluss.toml"),
            format!(
                "{}; or add it to the register with --new-unit",
                config.unknown_unit_hint(text)
            ),
        )
        .into());
    }
    let key = Unit::key_from_name(text);
    crate::domain::config::check_key("unit", &key).map_err(|m| {
        Error::refused(
            format!("no key can be made of the unit name '{text}': {m}"),
            "add the unit with `sluss unit add KEY --name NAME` first",
        )
    })?;
    if config.units.iter().any(|u| u.key == key) {
        return Err(Error::refused(
            format!("the register already has a unit with key '{key}'"),
            "add the unit with `sluss unit add KEY --name NAME` under another key",
        )
        .into());
    }
    let unit = Unit {
        key,
        name: text.to_string(),
        headcount: None,
    };
    Ok((unit.name.clone(), Some(unit)))
}

/// Adds `unit` to the register in sluss.toml, comments and order kept.
pub(crate) fn add_unit(repo: &crate::storage::Repo, unit: &Unit) -> Result<()> {
    repo.update_config(|config, doc| {
        if config.units.iter().any(|u| u.key == unit.key) {
            return Err(Error::DuplicateKey {
                kind: "unit",
                key: unit.key.clone(),
            });
        }
        let mut t = toml_edit::Table::new();
        t.insert("key", toml_edit::value(unit.key.as_str()));
        t.insert("name", toml_edit::value(unit.name.as_str()));
        if let Some(n) = unit.headcount {
            t.insert("headcount", toml_edit::value(i64::from(n)));
        }
        crate::storage::document::append_to_array_of_tables(doc, "units", t)
    })?;
    Ok(())
}

/// At a terminal: asks for the title, submitter, unit, coach and need not given, on
/// stderr, each answer checked as the option would be.
fn ask_for_what_is_missing(config: &Config, args: &mut Args) -> Result<()> {
    use super::prompt::{Choice, Prompter};
    let stdin = std::io::stdin();
    let mut p = Prompter::new(stdin.lock(), std::io::stderr());
    if args.title.is_none() {
        args.title = p.text("Title", true)?;
    }
    if args.submitter.is_none() {
        args.submitter = p.text("Submitter (who brought the idea)", true)?;
    }
    if args.unit.is_none() {
        args.unit = if config.units.is_empty() {
            p.text("Unit", true)?
        } else {
            let choices: Vec<Choice> = config
                .units
                .iter()
                .map(|u| Choice {
                    key: &u.name,
                    label: u.name.clone(),
                })
                .collect();
            p.choose("Unit", &choices, false, |word| {
                match config.find_unit(word) {
                    Ok(unit) => Ok(unit.name.clone()),
                    Err(_) => Err(Error::usage(
                        format!("unit '{word}' is not in the register"),
                        config.unknown_unit_hint(word),
                    )),
                }
            })?
        };
    }
    let active: Vec<Choice> = config
        .coaches
        .iter()
        .filter(|c| c.active)
        .map(|c| Choice {
            key: &c.key,
            label: format!("{} ({})", c.name, c.key),
        })
        .collect();
    if args.coach.is_none() && !active.is_empty() {
        args.coach = p.choose("Coach", &active, true, |word| {
            Ok(config.find_active_coach(word)?.key.clone())
        })?;
    }
    if args.need.is_none() {
        args.need = p.text("Need (and for whom)", false)?;
    }
    Ok(())
}
