//! `sluss list`: the cases, filtered, as a table (fitted to the terminal), JSON, CSV,
//! Markdown or HTML.

use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use super::{Offered as _, OutputArgs, formats};
use crate::context::Context;
use crate::document::{Cell, Column, ColumnKind, Document, Lang, Table};
use crate::domain::Case;
use crate::domain::filter::{Found, Sort, sort_by};
use crate::domain::names::Fingerprint;
use crate::domain::replay::state;
use crate::output::{self, Format};
use crate::report::escape;

/// List cases: open and parked ones, filtered, searched and sorted.
///
/// Closed cases come with --all. Within a filter any value may match (`--stage
/// testa,verifiera`), across filters every one must; a name no register or case knows
/// is an error with "did you mean", not an empty list.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filter: super::filter::FilterArgs,
    /// Only cases from these units (key or name of the unit register, else as the
    /// cases write them).
    #[arg(long, value_name = "UNIT")]
    pub unit: Vec<String>,
    /// Only cases in these programs (key or name).
    #[arg(long, value_name = "PROGRAM")]
    pub program: Vec<String>,
    /// The order: id, stage (pipeline order), idle (most idle first), created (oldest
    /// first) or coach; ties by id.
    #[arg(long, value_enum, default_value_t = Sort::Created)]
    pub sort: Sort,
    /// Who is acting, for --mine (default: SLUSS_USER, the user settings file, then
    /// git's user.name).
    #[arg(long, env = "SLUSS_USER", value_name = "NAME")]
    pub by: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// A listed case: the case itself plus what the listing computed about it.
#[derive(Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    case: &'a Case,
    days_idle: i64,
    stale: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let format = args.output.format(Format::Table, formats::All::FORMATS)?;
    let repo = ctx.open_repo_units()?;
    let config = &repo.config;
    let given = args
        .filter
        .given(ctx, &repo, &args.unit, &args.program, args.by.as_deref())?;
    let filter = given.resolve(&repo)?;
    let want_stale = given.stale;
    // The report day (`[reports] as_of`), as summary, agenda and board count to.
    // A report day after today (refused by reports) is not a day to count to.
    let as_of = config.reports.as_of.filter(|day| *day <= ctx.today());
    // Whether a case is listed, and if so its idle days and staleness, counted to the
    // report day, else in the case's own days (see `Case::today_at`).
    let matches = |case: &Case| -> Option<(i64, bool)> {
        state(case, config, None)?;
        let (idle, stale) = super::idle_on_report_day(case, config, as_of, ctx.now);
        (filter.matches(case) && (!want_stale || stale)).then_some((idle, stale))
    };
    let needs_found = filter.needs_found(config);
    // JSON shows every key of a case, and --search reads the notes, so they read the
    // files whole; the other formats need no personal data or notes: they fold over the
    // cache, keeping only the cases listed, and (for Markdown and HTML, which are
    // published) the fingerprints of every submitter who has not agreed to be named.
    let published = matches!(format, Format::Markdown | Format::Html);
    let mut found = Found::default();
    let kept: Vec<(Case, i64, bool)> = if format == Format::Json || filter.searches() {
        let portfolio = repo.load()?;
        super::warn_broken(&portfolio);
        let mut prints = Vec::new();
        let mut kept = Vec::new();
        for c in portfolio.cases {
            if needs_found {
                found.note(&c.case);
            }
            if published && let Some(p) = c.case.submitter.as_ref().filter(|p| !p.consent) {
                prints.extend(crate::privacy::fingerprints_of(p));
            }
            if let Some((d, s)) = matches(&c.case) {
                kept.push((c.case, d, s));
            }
        }
        if published {
            let names = super::published_names_of(&repo, prints.iter())?;
            for (case, _, _) in &mut kept {
                crate::privacy::hide_names(case, &names);
            }
        }
        kept
    } else {
        type Share = (Vec<(Case, i64, bool)>, Vec<Fingerprint>, Found);
        let (parts, broken) = repo.fold_for_report(
            Share::default,
            |(acc, prints, found): &mut Share, _, case| {
                if needs_found {
                    found.note(&case);
                }
                if published && let Some(p) = case.submitter.as_ref().filter(|p| !p.consent) {
                    prints.extend(crate::privacy::fingerprints_of(p));
                }
                if let Some((d, s)) = matches(&case) {
                    acc.push((case, d, s));
                }
            },
        )?;
        for b in &broken {
            crate::output::safe_eprintln!("warning: skipped {}", b.error);
        }
        // Published: nobody who has not agreed to be named is named in a title.
        let names = published
            .then(|| super::published_names_of(&repo, parts.iter().flat_map(|(_, p, _)| p)))
            .transpose()?;
        let mut kept: Vec<(Case, i64, bool)> = Vec::new();
        for (acc, _, share) in parts {
            kept.extend(acc);
            found.join(share);
        }
        if let Some(names) = names {
            for (case, _, _) in &mut kept {
                crate::privacy::hide_names(case, &names);
            }
        }
        kept
    };
    if needs_found {
        given.check_found(&repo, &filter, &found)?;
    }
    let mut rows: Vec<Listed> = kept
        .iter()
        .map(|(case, days_idle, stale)| Listed {
            case,
            days_idle: *days_idle,
            stale: *stale,
        })
        .collect();
    sort_by(&mut rows, args.sort, config, |r| (r.case, r.days_idle));

    match format {
        Format::Json => args.output.deliver(&output::json(&rows))?,
        Format::Csv => args.output.deliver(&csv(&rows, config)?)?,
        _ => {
            let layout = args.output.layout();
            let doc = document(
                &rows,
                config,
                super::listing_lang(ctx, config, format),
                layout,
            );
            let text = crate::document::render(&doc, format, layout);
            if format == Format::Table {
                // Stale rows in colour, on a terminal that takes it.
                let stale: Vec<&str> = rows
                    .iter()
                    .filter(|r| r.stale)
                    .map(|r| r.case.id.as_str())
                    .collect();
                let painted = output::color::Painted::lines(&text, |line| {
                    let id = line.split_whitespace().next()?;
                    stale.contains(&id).then_some(output::color::Paint::Stale)
                });
                super::board::deliver_painted(&args.output, &painted)?
            } else {
                args.output.deliver(&text)?
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The listing as a document: a table of the cases and their count. On a terminal, the
/// columns that do not fit are left out, the least needed first (unit, coach, stage,
/// idle days, status), so that each case stays on one line with enough of its title to
/// know it; the writer then cuts the titles to fit.
fn document(
    rows: &[Listed],
    config: &crate::domain::Config,
    lang: Lang,
    layout: crate::document::Options,
) -> Document {
    let label = |key: &str| lang.text(&format!("listing.{key}")).to_string();
    let mut table = Table::new(
        "",
        vec![
            Column::new(label("id"), ColumnKind::Id),
            Column::new(label("title"), ColumnKind::Text),
            Column::new(label("stage"), ColumnKind::Text),
            Column::new(label("status"), ColumnKind::Id),
            Column::new(label("coach"), ColumnKind::Id),
            Column::new(label("unit"), ColumnKind::Text),
            Column::new(label("idle"), ColumnKind::Number),
        ],
    );
    for r in rows {
        let c = r.case;
        table.row(vec![
            Cell::Text(c.id.clone()),
            Cell::Text(c.title.clone()),
            Cell::Text(config.stage_name(&c.stage).to_string()),
            Cell::Text(super::status_words(lang, c.status, c.outcome)),
            c.coach.clone().into(),
            Cell::Text(config.unit_name(&c.unit).to_string()),
            Cell::Int(r.days_idle),
        ]);
    }
    if let Some(width) = layout.width {
        // unit, coach, stage, idle, status; the id and the title always stay.
        super::drop_columns_to_fit(&mut table, lang, width, &[5, 4, 2, 6, 3], 1, 30);
    }
    let mut doc = Document::new(lang, label("cases_title"));
    doc.push(table);
    doc.paragraph(lang.format("listing.count", &[("n", &lang.integer(rows.len() as i64))]));
    doc
}

fn csv(rows: &[Listed], config: &crate::domain::Config) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "title",
        "created",
        "stage",
        "stage_name",
        "status",
        "outcome",
        "coach",
        "unit",
        "program",
        "tags",
        "sessions",
        "minutes",
        "days_idle",
        "stale",
        "hours",
    ])?;
    for r in rows {
        let c = r.case;
        let minutes: u64 = c.sessions.iter().map(|s| u64::from(s.minutes)).sum();
        // Text from the case is escaped against formula injection; numbers stay plain.
        let text = |s: &str| escape::csv_cell(s);
        w.write_record([
            text(&c.id),
            text(&c.title),
            c.created.to_rfc3339(),
            text(&c.stage),
            text(config.stage_name(&c.stage)),
            c.status.to_string(),
            c.outcome.map(|o| o.to_string()).unwrap_or_default(),
            text(c.coach.as_deref().unwrap_or_default()),
            text(&c.unit),
            text(c.program.as_deref().unwrap_or_default()),
            text(&c.tags.join(";")),
            c.sessions.len().to_string(),
            minutes.to_string(),
            r.days_idle.to_string(),
            r.stale.to_string(),
            // As `Cell::hours`: one decimal, half rounds up.
            format!("{:.1}", ((minutes + 3) / 6) as f64 / 10.0),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}
