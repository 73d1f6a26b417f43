//! `sluss network`: the partner network, one member organisation per file in
//! `network/<key>.toml`, and its report.

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use super::OutputArgs;
use crate::Error;
use crate::context::Context;
use crate::domain::config::check_key;
use crate::domain::datetime::parse_cli_date;
use crate::domain::network::{Contact, Member, MemberKind};
use crate::domain::replay::state;
use crate::domain::{Case, Status};
use crate::output::{self, Format};
use crate::report::network::{self as report, Period};
use crate::storage::Repo;

#[derive(Debug, clap::Subcommand)]
pub enum NetworkCommand {
    Add(AddArgs),
    List(ListArgs),
    Show(ShowArgs),
    Report(ReportArgs),
}

/// Add a member organisation to the partner network: writes network/KEY.toml.
///
/// The contact person is personal data: named in published output only with --consent.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// A short key that cases name in `partners`, e.g. norrdata.
    pub key: String,
    /// The organisation's name.
    #[arg(long, value_name = "ORG")]
    pub organisation: String,
    /// company, research, public or civic.
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    pub kind: MemberKind,
    /// The day it joined (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_cli_date)]
    pub joined: Option<NaiveDate>,
    /// The contact person's name.
    #[arg(long, value_name = "NAME")]
    pub contact: Option<String>,
    /// The contact person's e-mail address.
    #[arg(long, value_name = "EMAIL", requires = "contact")]
    pub email: Option<String>,
    /// The contact person's telephone number.
    #[arg(long, value_name = "PHONE", requires = "contact")]
    pub phone: Option<String>,
    /// The contact person agrees to be named in published output.
    #[arg(long, requires = "contact")]
    pub consent: bool,
    #[command(flatten)]
    pub commit: super::CommitArgs,
}

/// List the members of the partner network.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only members of this kind: company, research, public or civic.
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    pub kind: Option<MemberKind>,
    /// Leave out the contact persons (personal data): for sharing the list outside the
    /// team.
    #[arg(long)]
    pub redact: bool,
    #[arg(long, default_value = "table", value_parser = super::format_parser(&[Format::Table, Format::Json, Format::Csv]))]
    pub format: Format,
}

/// Show one member: its details, contact person, and the cases that name it as a
/// partner, with their stages.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The member's key.
    pub key: String,
    #[arg(long, default_value = "table", value_parser = super::format_parser(&[Format::Table, Format::Json]))]
    pub format: Format,
}

/// The network report: its size and growth per quarter or year by kind of
/// organisation, and which members take part in which cases, by the stage each case is
/// in (member × stage).
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Report the network as it stood at the end of this day (YYYY-MM-DD): members
    /// that had joined, and each case's stage and partners replayed from its history.
    #[arg(long, value_name = "DATE", value_parser = parse_cli_date)]
    pub as_of: Option<NaiveDate>,
    /// Growth per quarter or per year.
    #[arg(long, value_enum, default_value = "quarter")]
    pub period: Period,
    #[command(flatten)]
    pub output: OutputArgs,
}

fn parse_kind(s: &str) -> Result<MemberKind, String> {
    s.parse()
}

pub fn run(ctx: &Context, cmd: NetworkCommand) -> Result<ExitCode> {
    match cmd {
        NetworkCommand::Add(args) => add(ctx, args),
        NetworkCommand::List(args) => list(ctx, args),
        NetworkCommand::Show(args) => show(ctx, args),
        NetworkCommand::Report(args) => report(ctx, args),
    }
}

fn add(ctx: &Context, args: AddArgs) -> Result<ExitCode> {
    let repo = ctx.open_repo()?;
    check_key("network member", &args.key)
        .map_err(|m| Error::refused(m, "for example: norrdata"))?;
    let organisation = args.organisation.trim();
    if organisation.is_empty() {
        return Err(
            Error::refused("--organisation is empty", "give the organisation's name").into(),
        );
    }
    let text = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let contact = text(&args.contact).map(|name| Contact {
        name,
        email: text(&args.email),
        phone: text(&args.phone),
        consent: args.consent,
    });
    let joined = args.joined.unwrap_or_else(|| ctx.today());
    if joined > ctx.today() {
        return Err(Error::refused(
            format!("{joined} is in the future"),
            "record members that have joined; give --joined of a past day",
        )
        .into());
    }
    let member = Member {
        key: args.key.clone(),
        organisation: organisation.to_string(),
        kind: args.kind,
        joined,
        left: None,
        contact,
    };
    let path = repo.create_member(&member)?;
    super::commit_written(
        &repo,
        args.commit.commit,
        std::slice::from_ref(&path),
        &format!("network: {} added", member.key),
    )?;
    let shown = path.strip_prefix(&repo.root).unwrap_or(&path);
    output::emit(&format!(
        "Added {} ({}, {}) to the network ({})\n",
        member.key,
        member.organisation,
        member.kind,
        shown.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

fn load_network(repo: &Repo) -> Result<crate::storage::records::Network> {
    let network = repo.load_network()?;
    for broken in &network.broken {
        crate::output::safe_eprintln!("warning: skipped {}", broken.error);
    }
    Ok(network)
}

#[derive(Serialize)]
struct ListRow<'a> {
    #[serde(flatten)]
    member: &'a Member,
    /// Cases that name it as a partner now.
    cases: usize,
}

fn list(ctx: &Context, args: ListArgs) -> Result<ExitCode> {
    super::require_format(args.format, &[Format::Table, Format::Json, Format::Csv])?;
    let repo = ctx.open_repo()?;
    let network = load_network(&repo)?;
    let portfolio = repo.load()?;
    super::warn_broken(&portfolio);
    let count = |key: &str| {
        portfolio
            .cases
            .iter()
            .filter(|c| c.case.partners.iter().any(|p| p == key))
            .count()
    };
    // Redacted, an organisation's name (a sole trader's firm is often the owner's name)
    // loses every person's name, as the free text of `export --redact` does.
    let names = if args.redact {
        let others = super::people_recorded(&repo)?;
        let cases: Vec<&crate::domain::Case> = portfolio.cases.iter().map(|c| &c.case).collect();
        crate::privacy::names_to_hide(&repo.config, cases, &others, false)
    } else {
        crate::domain::names::NameSet::default()
    };
    let mut members: Vec<Member> = network
        .members
        .iter()
        .map(|m| m.member.clone())
        .filter(|m| args.kind.is_none_or(|k| m.kind == k))
        .map(|mut m| {
            if args.redact {
                m.contact = None;
                names.hide_in(&mut m.organisation, crate::privacy::REMOVED);
            }
            m
        })
        .collect();
    members.sort_by(|a, b| a.key.cmp(&b.key));
    let rows: Vec<ListRow> = members
        .iter()
        .map(|m| ListRow {
            member: m,
            cases: count(&m.key),
        })
        .collect();
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let text = match args.format {
        Format::Json => output::json(&rows),
        Format::Csv => {
            let cell = crate::report::escape::csv_cell;
            let mut w = csv::Writer::from_writer(Vec::new());
            let header = [
                "key",
                "organisation",
                "kind",
                "joined",
                "left",
                "cases",
                "contact",
                "email",
                "phone",
                "consent",
            ];
            w.write_record(header).expect("in memory");
            for r in &rows {
                let m = r.member;
                let c = m.contact.clone().unwrap_or_default();
                w.write_record([
                    cell(&m.key),
                    cell(&m.organisation),
                    m.kind.to_string(),
                    m.joined.to_string(),
                    day(m.left),
                    r.cases.to_string(),
                    cell(&c.name),
                    cell(c.email.as_deref().unwrap_or("")),
                    cell(c.phone.as_deref().unwrap_or("")),
                    if m.contact.is_some() {
                        c.consent.to_string()
                    } else {
                        String::new()
                    },
                ])
                .expect("in memory");
            }
            // In the dialect of sluss.toml's `[csv]` (this command has no --csv-dialect).
            output::csv::finish(
                String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8"),
                output::csv::dialect(None),
            )
        }
        _ => {
            let mut t = output::table(&[
                "key",
                "organisation",
                "kind",
                "joined",
                "left",
                "contact",
                "cases",
            ]);
            for r in &rows {
                let m = r.member;
                t.add_row([
                    m.key.clone(),
                    output::truncate(&m.organisation, 40),
                    m.kind.to_string(),
                    m.joined.to_string(),
                    day(m.left),
                    m.contact
                        .as_ref()
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                    r.cases.to_string(),
                ]);
            }
            format!("{}\n{} member(s)\n", output::show(&t), rows.len())
        }
    };
    output::emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct MemberCase<'a> {
    id: &'a str,
    title: &'a str,
    stage: &'a str,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<crate::domain::Outcome>,
    coach: Option<String>,
}

#[derive(Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    member: &'a Member,
    member_now: bool,
    cases: Vec<MemberCase<'a>>,
}

fn show(ctx: &Context, args: ShowArgs) -> Result<ExitCode> {
    super::require_format(args.format, &[Format::Table, Format::Json])?;
    let repo = ctx.open_repo()?;
    let network = load_network(&repo)?;
    let member = network
        .get(&args.key)
        .ok_or_else(|| crate::domain::change::unknown_member(&args.key))?;
    let portfolio = repo.load()?;
    super::warn_broken(&portfolio);
    let config = &repo.config;
    let mut cases: Vec<&Case> = portfolio
        .cases
        .iter()
        .map(|c| &c.case)
        .filter(|c| c.partners.contains(&member.key))
        .collect();
    // Furthest stage first, then by id.
    cases.sort_by(|a, b| {
        let at = |c: &Case| config.stage_index(&c.stage).unwrap_or(usize::MAX);
        at(b).cmp(&at(a)).then_with(|| a.id.cmp(&b.id))
    });
    let shown = Shown {
        member,
        member_now: member.is_member_on(ctx.today()),
        cases: cases
            .iter()
            .map(|c| MemberCase {
                id: &c.id,
                title: &c.title,
                stage: &c.stage,
                status: c.status,
                outcome: c.outcome,
                coach: state(c, config, None).and_then(|s| s.coach),
            })
            .collect(),
    };
    if args.format == Format::Json {
        output::emit(&output::json(&shown))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut s = String::new();
    let mut field = |k: &str, v: &str| {
        if !v.is_empty() {
            s.push_str(&format!("  {k:<13} {v}\n"));
        }
    };
    let mut text = format!("{}  {}\n", member.key, member.organisation);
    field("kind", member.kind.as_str());
    field("joined", &member.joined.to_string());
    field(
        "left",
        &member.left.map(|d| d.to_string()).unwrap_or_default(),
    );
    if let Some(c) = &member.contact {
        let consent = if c.consent {
            "may be named"
        } else {
            "not to be named in published output"
        };
        field("contact", &format!("{} ({consent})", c.name));
        field("email", c.email.as_deref().unwrap_or(""));
        field("phone", c.phone.as_deref().unwrap_or(""));
    }
    text.push_str(&s);
    if shown.cases.is_empty() {
        text.push_str("\nNo case names it as a partner.\n");
    } else {
        let mut t = output::table(&["id", "title", "stage", "status", "coach"]);
        for c in &shown.cases {
            let status = match c.outcome {
                Some(o) => format!("{} ({o})", c.status),
                None => c.status.to_string(),
            };
            t.add_row([
                c.id.to_string(),
                output::truncate(c.title, 48),
                config.stage_name(c.stage).to_string(),
                status,
                c.coach.clone().unwrap_or_default(),
            ]);
        }
        text.push_str(&format!(
            "\nPartner in {} case(s)\n{}\n",
            shown.cases.len(),
            output::show(&t)
        ));
    }
    output::emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn report(ctx: &Context, args: ReportArgs) -> Result<ExitCode> {
    let format = args.output.report_format()?;
    let repo = ctx.open_repo()?;
    let network = load_network(&repo)?;
    let portfolio = repo.load()?;
    super::warn_broken(&portfolio);
    let cases: Vec<&Case> = portfolio.cases.iter().map(|c| &c.case).collect();
    let options = report::Options {
        day: args
            .as_of
            .unwrap_or_else(|| Case::report_day(ctx.now, cases.iter().copied())),
        replay: args.as_of.is_some(),
        period: args.period,
    };
    let r = report::compute(
        &network.members(),
        &cases,
        &repo.config,
        &options,
        network.broken.len(),
    );
    args.output
        .deliver(&crate::report::render::network::render(&r, format))?;
    Ok(ExitCode::SUCCESS)
}
