//! `sluss export`: every case with its details, for archives, researchers and other tools.

use std::process::ExitCode;

use anyhow::Result;

use super::OutputArgs;
use crate::context::Context;
use crate::domain::Case;
use crate::output::Format;
use crate::privacy;
use crate::report::escape::csv_cell;

/// Export all cases as JSON (every key) or CSV (one row per case).
///
/// --redact drops names, contact details and free-text notes and replaces coach keys
/// with pseudonyms, keeping units, stages, dates and numbers: for sharing outside the
/// team or with researchers.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Leave out personal data and free-text notes.
    #[arg(long)]
    pub redact: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let format = args
        .output
        .format(Format::Json, &[Format::Json, Format::Csv])?;
    let repo = ctx.open_repo()?;
    // A redacted export shows nothing that the cache leaves out (notes, contacts, the
    // names of people), so it may come from the cache; a full one reads every file.
    let mut portfolio = if args.redact {
        repo.load_for_report()?
    } else {
        repo.load()?
    };
    super::warn_broken(&portfolio);
    // Stable, from file order: the same order whoever reads the folder.
    portfolio
        .cases
        .sort_by(|a, b| (a.case.created, &a.case.id).cmp(&(b.case.created, &b.case.id)));
    if args.redact {
        let cases: Vec<&Case> = portfolio.cases.iter().map(|c| &c.case).collect();
        let pseudonyms = privacy::all_coach_pseudonyms(&repo.config, &cases);
        let others = super::people_recorded(&repo)?;
        let names = privacy::names_to_hide(&repo.config, cases, &others, false);
        crate::parallel::for_each_mut(&mut portfolio.cases, |c| {
            privacy::redact_in_place(&mut c.case, &pseudonyms, &names)
        });
    }
    let cases: Vec<&Case> = portfolio.cases.iter().map(|c| &c.case).collect();
    match format {
        Format::Csv => args.output.deliver(&csv(&cases, args.redact)?)?,
        _ => args.output.deliver_json_list(&cases)?,
    }
    // The process ends soon: freeing every case one by one would only cost time.
    std::mem::forget(portfolio);
    Ok(ExitCode::SUCCESS)
}

fn csv(cases: &[&Case], redacted: bool) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "id",
        "title",
        "created",
        "stage",
        "status",
        "outcome",
        "coach",
        "unit",
        "program",
        "tags",
        "need",
        "idea",
        "history_entries",
        "sessions",
        "minutes",
    ];
    if !redacted {
        header.extend(["submitter", "consent"]);
    }
    w.write_record(&header)?;
    for c in cases {
        let text = |s: &str| csv_cell(s);
        let minutes: u64 = c.sessions.iter().map(|s| u64::from(s.minutes)).sum();
        let mut row = vec![
            text(&c.id),
            text(&c.title),
            c.created.to_rfc3339(),
            text(&c.stage),
            c.status.to_string(),
            c.outcome.map(|o| o.to_string()).unwrap_or_default(),
            text(c.coach.as_deref().unwrap_or_default()),
            text(&c.unit),
            text(c.program.as_deref().unwrap_or_default()),
            text(&c.tags.join(";")),
            text(c.need().unwrap_or_default()),
            text(c.idea().unwrap_or_default()),
            c.history.len().to_string(),
            c.sessions.len().to_string(),
            minutes.to_string(),
        ];
        if !redacted {
            let person = c.submitter.as_ref();
            row.push(text(person.map(|p| p.name.as_str()).unwrap_or_default()));
            row.push(person.is_some_and(|p| p.consent).to_string());
        }
        w.write_record(&row)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}
