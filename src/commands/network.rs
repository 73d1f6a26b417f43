//! `sluss network`: the partner network, one member organisation per file in
//! `network/<key>.toml`, and its report.

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;

use super::OutputArgs;
use crate::Error;
use crate::context::Context;
use crate::context::parse_cli_date;
use crate::domain::Case;
use crate::domain::config::check_key;
use crate::domain::network::{Contact, Member, MemberKind};
use crate::domain::replay::state;
use crate::output::{self, Format};
use crate::report::network::{self as report, ListedMember, MemberCase, MemberView, Period};
use crate::report::render::network as lists;
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
    /// The day it joined (YYYY-MM-DD, today, igår, -3d, måndag …; default: today).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = parse_cli_date)]
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
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Show one member: its details, contact person, and the cases that name it as a
/// partner, with their stages.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The member's key or organisation name.
    pub key: String,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The network report: its size and growth per quarter or year by kind of
/// organisation, and which members take part in which cases, by the stage each case is
/// in (member × stage).
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Report the network as it stood at the end of this day (YYYY-MM-DD, today, igår,
    /// -3d, måndag …): members that had joined, and each case's stage and partners
    /// replayed from its history.
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = parse_cli_date)]
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

fn list(ctx: &Context, args: ListArgs) -> Result<ExitCode> {
    let format = args.output.report_format()?;
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
    let rows: Vec<ListedMember> = members
        .iter()
        .map(|m| ListedMember {
            member: m,
            cases: count(&m.key),
        })
        .collect();
    let text = match format {
        Format::Json => output::json(&rows),
        Format::Csv => lists::list_csv(&rows),
        _ => {
            let doc = lists::list_document(&rows, ctx.lang(&repo.config));
            crate::document::render(&doc, format, args.output.layout())
        }
    };
    args.output.deliver(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn show(ctx: &Context, args: ShowArgs) -> Result<ExitCode> {
    let format = args.output.report_format()?;
    let repo = ctx.open_repo()?;
    let network = load_network(&repo)?;
    let member = network.find(&args.key)?;
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
    let shown = MemberView {
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
    let text = match format {
        Format::Json => output::json(&shown),
        Format::Csv => lists::member_csv(&shown),
        _ => {
            let doc = lists::member_document(&shown, config, ctx.lang(config));
            crate::document::render(&doc, format, args.output.layout())
        }
    };
    args.output.deliver(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn report(ctx: &Context, args: ReportArgs) -> Result<ExitCode> {
    let format = args.output.report_format()?;
    let repo = ctx.open_repo()?;
    let network = load_network(&repo)?;
    let portfolio = repo.load()?;
    super::warn_broken(&portfolio);
    let cases: Vec<&Case> = portfolio.cases.iter().map(|c| &c.case).collect();
    // `--as-of`, else sluss.toml's `[reports] as_of`, else today.
    let as_of = super::check_as_of(ctx, repo.config.report_as_of(args.as_of))?;
    let options = report::Options {
        day: as_of.unwrap_or_else(|| Case::report_day(ctx.now, cases.iter().copied())),
        replay: as_of.is_some(),
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
        .deliver(&crate::report::render::network::render(
            &r,
            format,
            ctx.lang(&repo.config),
            ctx.today(),
            args.output.layout(),
        ))?;
    Ok(ExitCode::SUCCESS)
}
