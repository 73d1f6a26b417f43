//! `sluss export`: every case with its details, for archives, researchers and other tools.

use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;

use anyhow::Result;

use super::OutputArgs;
use crate::context::Context;
use crate::domain::Case;
use crate::domain::names::{Fingerprint, NameSet};
use crate::output::Format;
use crate::privacy;
use crate::report::escape::csv_cell;
use crate::storage::Portfolio;

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
    pub output: OutputArgs<super::formats::JsonCsv>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let format = args
        .output
        .format(Format::Json, &[Format::Json, Format::Csv])?;
    let repo = ctx.open_repo()?;
    // Sorted from file order, so the same whoever reads the folder; ids are unique.
    let by_creation = |a: &&mut Case, b: &&mut Case| (a.created, &a.id).cmp(&(b.created, &b.id));
    // A redacted export may come from the cache (see `Redaction`); a full one reads
    // every file.
    let (mut shares, redaction) = if args.redact {
        let (shares, redaction) = Redaction::gather(&repo)?;
        (shares, Some(redaction))
    } else {
        let portfolio = repo.load()?;
        super::warn_broken(&portfolio);
        (
            vec![portfolio.cases.into_iter().map(|c| c.case).collect()],
            None,
        )
    };
    let mut cases: Vec<&mut Case> = shares.iter_mut().flatten().collect();
    cases.sort_unstable_by(by_creation);
    let prepare = |case: &mut &mut Case| {
        if let Some(r) = &redaction {
            privacy::redact_in_place(case, &r.pseudonyms, &r.names);
        }
    };
    match format {
        Format::Csv => {
            crate::parallel::for_each_mut(&mut cases, prepare);
            args.output.deliver(&csv(&cases, args.redact)?)?
        }
        // Each case redacted as its text is made, in the same thread.
        _ => args.output.deliver_json_list(&mut cases, prepare)?,
    }
    // The process ends soon: freeing every case one by one would only cost time.
    std::mem::forget(shares);
    Ok(ExitCode::SUCCESS)
}

/// What redacting each case ([`privacy::redact_in_place`]) needs to know of all of
/// them: the coaches' pseudonyms and the names to hide.
struct Redaction {
    pseudonyms: BTreeMap<String, String>,
    names: NameSet,
}

impl Redaction {
    /// Every case, in each thread's share of the files, and what redacting them needs.
    /// A redacted export shows nothing that the cache leaves out (notes, contacts, the
    /// names of people), so the cases come from the cache where they can; each thread
    /// notes the coach keys and the fingerprints of submitters' names of its share as it
    /// reads them.
    fn gather(repo: &crate::storage::Repo) -> Result<(Vec<Vec<Case>>, Redaction)> {
        #[derive(Default)]
        struct Share {
            cases: Vec<Case>,
            coaches: BTreeSet<String>,
            prints: Vec<Fingerprint>,
        }
        let (shares, broken) = repo.fold_for_report(Share::default, |share, _, case| {
            for key in privacy::coach_keys(&case) {
                if !share.coaches.contains(key) {
                    share.coaches.insert(key.to_string());
                }
            }
            if let Some(person) = &case.submitter {
                share.prints.extend(privacy::fingerprints_of(person));
            }
            share.cases.push(case);
        })?;
        super::warn_broken(&Portfolio {
            cases: Vec::new(),
            broken,
        });
        let pseudonyms = privacy::pseudonyms_of_keys(
            &repo.config,
            shares
                .iter()
                .flat_map(|s| s.coaches.iter().map(String::as_str)),
        );
        let others = super::people_recorded(repo)?;
        let mut names = privacy::names_to_hide(&repo.config, std::iter::empty(), &others, false);
        for print in shares.iter().flat_map(|s| &s.prints) {
            names.insert_fingerprint(print);
        }
        let cases = shares.into_iter().map(|s| s.cases).collect();
        Ok((cases, Redaction { pseudonyms, names }))
    }
}

fn csv(cases: &[&mut Case], redacted: bool) -> Result<String> {
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
    // Added after the columns other tools already read by position.
    header.push("result");
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
        row.push(text(c.result().unwrap_or_default()));
        w.write_record(&row)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}
