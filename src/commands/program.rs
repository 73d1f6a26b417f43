//! `sluss program`: the innovation programs (cohorts) in sluss.toml, their cases and
//! their participants (`programs/<key>.toml`).

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;

use super::OutputArgs;
use crate::Error;
use crate::context::Context;
use crate::context::parse_cli_date;
use crate::domain::change;
use crate::domain::config::check_key;
use crate::domain::datetime::local_date_to_toml;
use crate::domain::participants::{Participant, ParticipantKind};
use crate::output::{self, Format};
use crate::report::program as report;

#[derive(Debug, clap::Subcommand)]
pub enum ProgramCommand {
    /// Add an innovation program to sluss.toml (comments and order are kept).
    Add {
        /// A short key that case files store, e.g. ip2018.
        key: String,
        /// The name people see.
        #[arg(long)]
        name: String,
        /// First day (YYYY-MM-DD, today, igår, -3d, måndag …).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = parse_cli_date)]
        start: Option<NaiveDate>,
        /// Last day (YYYY-MM-DD, today, igår, -3d, måndag …).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = parse_cli_date)]
        end: Option<NaiveDate>,
        #[command(flatten)]
        commit: super::CommitArgs,
    },
    /// List the programs.
    List {
        #[command(flatten)]
        output: OutputArgs,
    },
    Show(ShowArgs),
    Join(JoinArgs),
    Leave(LeaveArgs),
    /// The people and teams taking part in a program (programs/KEY.toml).
    #[command(subcommand)]
    Participant(ParticipantCommand),
}

/// Show one program: its cases with stage and status, how far they got, the coaching
/// hours they had and the people and teams taking part.
///
/// Participants are personal data. This view is internal and names them all; with
/// --public only those with consent = true are named, and no contact is shown.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The program, by key or name.
    pub key: String,
    /// Show the program as it stood at the end of this day (YYYY-MM-DD, today, igår,
    /// -3d, måndag …): the cases in it then, each replayed to that day as
    /// `summary --as-of` does.
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = crate::context::parse_cli_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Name only participants who agreed to be named, and show no contacts.
    #[arg(long)]
    pub public: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Put a case into a program (or move it from its program to another); recorded in
/// history as `program = "KEY"`.
#[derive(Debug, clap::Args)]
pub struct JoinArgs {
    /// The case id, or a unique prefix of it.
    pub id: String,
    /// The program, by key or name.
    pub key: String,
    /// Why, recorded in history.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    #[command(flatten)]
    pub write: super::WriteArgs,
}

/// Take a case out of its program; recorded in history as `program = ""`.
#[derive(Debug, clap::Args)]
pub struct LeaveArgs {
    /// The case id, or a unique prefix of it.
    pub id: String,
    /// Why, recorded in history.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    #[command(flatten)]
    pub write: super::WriteArgs,
}

#[derive(Debug, clap::Subcommand)]
pub enum ParticipantCommand {
    Add(ParticipantAddArgs),
}

/// Add a person or team to a program's participants (programs/KEY.toml, created when
/// needed). The name is personal data: it is named in published output only with
/// --consent.
#[derive(Debug, clap::Args)]
pub struct ParticipantAddArgs {
    /// The program, by key or name.
    pub key: String,
    /// The person's or team's name.
    pub name: String,
    /// The organisational unit they come from.
    #[arg(long, value_name = "UNIT")]
    pub unit: String,
    /// A team rather than a person.
    #[arg(long)]
    pub team: bool,
    /// They agree to be named in published output.
    #[arg(long)]
    pub consent: bool,
    /// An e-mail address or telephone number.
    #[arg(long, value_name = "CONTACT")]
    pub contact: Option<String>,
    #[command(flatten)]
    pub commit: super::CommitArgs,
}

pub fn run(ctx: &Context, cmd: ProgramCommand) -> Result<ExitCode> {
    match cmd {
        ProgramCommand::Add {
            key,
            name,
            start,
            end,
            commit,
        } => add(ctx, key, name, (start, end), commit),
        ProgramCommand::List { output } => list(ctx, output),
        ProgramCommand::Show(args) => show(ctx, args),
        ProgramCommand::Join(args) => {
            super::change_case(ctx, &args.id, &args.write, |repo, actor, case| {
                let key = repo.config.find_program(&args.key)?.key.clone();
                change::join_program(case, &repo.config, &key, args.note.as_deref(), actor)
            })
        }
        ProgramCommand::Leave(args) => {
            super::change_case(ctx, &args.id, &args.write, |_, actor, case| {
                change::leave_program(case, args.note.as_deref(), actor)
            })
        }
        ProgramCommand::Participant(ParticipantCommand::Add(args)) => add_participant(ctx, args),
    }
}

fn add(
    ctx: &Context,
    key: String,
    name: String,
    (start, end): (Option<NaiveDate>, Option<NaiveDate>),
    commit: super::CommitArgs,
) -> Result<ExitCode> {
    let repo = ctx.open_repo()?;
    check_key("program", &key).map_err(|m| Error::refused(m, "for example: ip2018"))?;
    if name.trim().is_empty() {
        return Err(Error::refused("a program needs a name", "give --name NAME").into());
    }
    crate::domain::change::check_register_name("program", &name)?;
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        return Err(Error::refused(
            format!("the program would end ({e}) before it starts ({s})"),
            "swap --start and --end",
        )
        .into());
    }
    repo.update_config(|config, doc| {
        if config.program(&key).is_some() {
            return Err(Error::DuplicateKey {
                kind: "program",
                key: key.clone(),
            });
        }
        let mut t = toml_edit::Table::new();
        t.insert("key", toml_edit::value(key.as_str()));
        t.insert("name", toml_edit::value(name.trim()));
        if let Some(s) = start {
            t.insert("start", toml_edit::value(local_date_to_toml(s)));
        }
        if let Some(e) = end {
            t.insert("end", toml_edit::value(local_date_to_toml(e)));
        }
        crate::storage::document::append_to_array_of_tables(doc, "programs", t)
    })?;
    super::commit_written(
        &repo,
        commit.commit,
        &[repo.config_path()],
        &format!("program: {key} added"),
    )?;
    output::emit(&format!("Added program {key} ({})\n", name.trim()))?;
    Ok(ExitCode::SUCCESS)
}

fn list(ctx: &Context, args: OutputArgs) -> Result<ExitCode> {
    let format = args.report_format()?;
    let repo = ctx.open_repo()?;
    let rows: Vec<report::ProgramRow> = repo
        .config
        .programs
        .iter()
        .map(|p| report::ProgramRow {
            key: &p.key,
            name: &p.name,
            start: p.start,
            end: p.end,
        })
        .collect();
    let text = match format {
        Format::Json => output::json(&rows),
        Format::Csv => report::list_csv(&rows),
        _ => {
            let doc = report::list_document(&rows, ctx.lang(&repo.config));
            crate::document::render(&doc, format, args.layout())
        }
    };
    args.deliver(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn show(ctx: &Context, args: ShowArgs) -> Result<ExitCode> {
    let format = args.output.report_format()?;
    let repo = ctx.open_repo()?;
    let program = repo.config.find_program(&args.key)?;
    let mut portfolio = repo.load()?;
    super::warn_broken(&portfolio);
    let mut participants = repo
        .load_participants(&program.key)?
        .map(|f| f.participants)
        .unwrap_or_default();
    // Published, coaches who have not consented are pseudonyms, as in `summary --public`.
    let mut config = repo.config.clone();
    if args.public {
        let others = super::people_recorded(&repo)?;
        let names = crate::privacy::publish(
            &mut config,
            portfolio.cases.iter_mut().map(|c| &mut c.case).collect(),
            &others,
        );
        // A participant who may be named is shown with a team's name and a unit, free
        // text that may name someone who may not.
        for p in &mut participants {
            names.hide_in(&mut p.unit, crate::privacy::REMOVED);
            if p.consent && !names.is_exactly(&p.name) {
                names.hide_in(&mut p.name, crate::privacy::REMOVED);
            }
        }
    }
    // The program as published: its name without the names `publish` hid.
    let program = config.program(&program.key).unwrap_or(program);
    let cases: Vec<&crate::domain::Case> = portfolio.cases.iter().map(|c| &c.case).collect();
    let as_of = super::check_as_of(ctx, config.report_as_of(args.as_of))?;
    let r = report::compute(
        program,
        &cases,
        &participants,
        &config,
        // `--as-of`, else sluss.toml's `[reports] as_of`, else today.
        as_of.unwrap_or_else(|| crate::domain::Case::report_day(ctx.now, cases.iter().copied())),
        as_of.is_some(),
        args.public,
    );
    let text = match format {
        Format::Json => output::json(&r),
        Format::Csv => report::csv(&r),
        _ => {
            let doc = report::document(&r, &config, ctx.lang(&repo.config), ctx.today());
            crate::document::render(&doc, format, args.output.layout())
        }
    };
    args.output.deliver(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn add_participant(ctx: &Context, args: ParticipantAddArgs) -> Result<ExitCode> {
    let repo = ctx.open_repo()?;
    let key = repo.config.find_program(&args.key)?.key.clone();
    let name = args.name.trim();
    let unit = args.unit.trim();
    if name.is_empty() {
        return Err(Error::refused("a participant needs a name", "give the name in quotes").into());
    }
    if unit.is_empty() {
        return Err(Error::refused("--unit is empty", "give --unit a value").into());
    }
    let participant = Participant {
        name: name.to_string(),
        unit: unit.to_string(),
        kind: if args.team {
            ParticipantKind::Team
        } else {
            ParticipantKind::Person
        },
        consent: args.consent,
        contact: args
            .contact
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string),
    };
    let path = repo.add_participant(&key, &participant)?;
    // The message names no one: participants are personal data.
    super::commit_written(
        &repo,
        args.commit.commit,
        std::slice::from_ref(&path),
        &format!("program {key}: a participant added"),
    )?;
    let shown = path.strip_prefix(&repo.root).unwrap_or(&path);
    output::emit(&format!(
        "Added {} {name} ({unit}) to program {} ({})\n",
        participant.kind,
        key,
        shown.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}
