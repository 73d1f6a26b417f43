//! `sluss export`: every case with its details, for archives, researchers and other tools.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::Result;
use chrono::{DateTime, FixedOffset};

use super::OutputArgs;
use crate::context::Context;
use crate::domain::Case;
use crate::domain::names::Fingerprint;
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
    if args.redact {
        return redacted(&repo, &args, format);
    }
    let portfolio = repo.load()?;
    super::warn_broken(&portfolio);
    let mut all: Vec<Case> = portfolio.cases.into_iter().map(|c| c.case).collect();
    let mut cases: Vec<&mut Case> = all.iter_mut().collect();
    // Sorted from file order, so the same whoever reads the folder; ids are unique.
    cases.sort_unstable_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
    match format {
        Format::Csv => args.output.deliver(&csv(&cases, false)?)?,
        _ => args.output.deliver_json_list(&mut cases, |_| {})?,
    }
    // The process ends soon: freeing every case one by one would only cost time.
    std::mem::forget(all);
    Ok(ExitCode::SUCCESS)
}

/// How many cases are made into text at a time, each core taking a share: the text of a
/// batch is held, then written.
const BATCH: usize = 2048;

/// A redacted export, made without holding every case. A redacted case shows nothing
/// that the cache leaves out (notes, contacts, the names of people), so the cases come
/// from the cache where they can. What redacting any case needs to know of all of them
/// (the coaches' pseudonyms, the names to hide, the order of the cases) comes from a
/// first look at every case ([`crate::storage::Repo::survey_for_report`]); then each
/// case is redacted and made into text in one pass, a batch at a time, and let go.
fn redacted(repo: &crate::storage::Repo, args: &Args, format: Format) -> Result<ExitCode> {
    #[derive(Default)]
    struct Share {
        coaches: BTreeSet<String>,
        prints: Vec<Fingerprint>,
        order: Vec<(DateTime<FixedOffset>, String, usize)>,
    }
    let (mut survey, shares) = repo.survey_for_report(Share::default, |share, at, facts| {
        for key in facts.all_coach_keys() {
            if !share.coaches.contains(key) {
                share.coaches.insert(key.to_string());
            }
        }
        share.prints.extend(facts.prints.iter().cloned());
        share.order.push((facts.created, facts.id.to_string(), at));
    })?;
    super::warn_broken(&Portfolio {
        cases: Vec::new(),
        broken: survey.take_broken(),
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
    // Sorted from file order, so the same whoever reads the folder; ids are unique.
    let mut order: Vec<(DateTime<FixedOffset>, String, usize)> =
        shares.into_iter().flat_map(|s| s.order).collect();
    order.sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let order: Vec<usize> = order.into_iter().map(|(_, _, at)| at).collect();
    let redact = |case: &mut Case| privacy::redact_in_place(case, &pseudonyms, &names);
    let mut broken = Vec::new();
    // The cases of the batch before, each thread letting go of a share of them before
    // it reads its share of the next batch (not all on one core while the others wait).
    match format {
        Format::Csv => {
            let (parts, b) = survey.fold_over(&order, Vec::new, |cases, _, mut case| {
                redact(&mut case);
                cases.push(case);
            });
            broken = b;
            let mut cases: Vec<Case> = parts.into_iter().flatten().collect();
            let cases: Vec<&mut Case> = cases.iter_mut().collect();
            args.output.deliver(&csv(&cases, true)?)?;
        }
        _ if order.is_empty() => args
            .output
            .deliver_json_list(&mut Vec::<Case>::new(), |_| {})?,
        _ => {
            // One pass per batch: each thread takes its share of the batch's cases in
            // order, redacts each, writes its text into a buffer of its own and lets the
            // case go; the buffers are written in order and used again.
            let buffers: Mutex<Vec<Vec<u8>>> = Mutex::default();
            let mut write = |out: &mut dyn Write| -> std::io::Result<()> {
                out.write_all(b"[")?;
                let mut first = true;
                for batch in order.chunks(BATCH) {
                    let (parts, b) = survey.fold_over(
                        batch,
                        || {
                            let mut buffer =
                                buffers.lock().expect("buffers").pop().unwrap_or_default();
                            buffer.clear();
                            buffer
                        },
                        |buffer: &mut Vec<u8>, _, mut case| {
                            redact(&mut case);
                            crate::output::push_json_list_item(buffer, &case);
                        },
                    );
                    broken.extend(b);
                    for part in parts {
                        // The first item of all has no comma before it.
                        let skip = usize::from(first && !part.is_empty());
                        first &= part.is_empty();
                        out.write_all(&part[skip..])?;
                        buffers.lock().expect("buffers").push(part);
                    }
                }
                out.write_all(b"\n]\n")?;
                out.flush()
            };
            match &args.output.output {
                Some(path) => {
                    let mut text = Vec::new();
                    write(&mut text)?;
                    crate::storage::write::atomic_write(path, &text)?;
                    crate::output::safe_eprintln!("Wrote {}", path.display());
                }
                None => crate::output::emit_with(|out| write(out))?,
            }
        }
    }
    // Only a file that changed or vanished since the first look.
    super::warn_broken(&Portfolio {
        cases: Vec::new(),
        broken,
    });
    survey.finish();
    Ok(ExitCode::SUCCESS)
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
