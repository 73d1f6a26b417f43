//! `sluss list`: the cases, filtered, as a table (fitted to the terminal), JSON, CSV,
//! Markdown or HTML.

use std::process::ExitCode;

use anyhow::Result;
use clap::builder::TypedValueParser as _;
use serde::Serialize;

use super::{Offered as _, OutputArgs, formats};
use crate::context::Context;
use crate::document::{Cell, Column, ColumnKind, Document, Lang, Table};
use crate::domain::names::Fingerprint;
use crate::domain::replay::state;
use crate::domain::{Case, Status};
use crate::output::{self, Format};
use crate::report::escape;

/// List cases, optionally filtered; every filter must match.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only cases in this stage (a stage key).
    #[arg(long, value_name = "KEY")]
    pub stage: Option<String>,
    /// Only cases with this status: open, parked or closed.
    #[arg(long, value_name = "STATUS", value_parser = clap::builder::PossibleValuesParser::new(["open", "parked", "closed"])
        .map(|s| s.parse::<Status>().expect("listed status")))]
    pub status: Option<Status>,
    /// Only cases with this coach (a coach key).
    #[arg(long, value_name = "KEY")]
    pub coach: Option<String>,
    /// Only cases from this unit.
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// Only cases in this program (a program key).
    #[arg(long, value_name = "KEY")]
    pub program: Option<String>,
    /// Only cases with this tag.
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Only stale cases: open and idle longer than stale_after_days.
    #[arg(long)]
    pub stale: bool,
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
    let repo = ctx.open_repo()?;
    let config = &repo.config;
    if let Some(stage) = &args.stage
        && config.stage(stage).is_none()
    {
        return Err(crate::Error::unknown("stage", stage, config.stage_keys()).into());
    }
    // Whether a case is listed, and if so its idle days and staleness, counted in the
    // case's own days (see `Case::today_at`).
    let matches = |case: &Case| -> Option<(i64, bool)> {
        let st = state(case, config, None)?;
        let today = case.today_at(ctx.now);
        let keep = args.stage.as_ref().is_none_or(|s| &case.stage == s)
            && args.status.is_none_or(|s| case.status == s)
            && args
                .coach
                .as_ref()
                .is_none_or(|c| case.coach.as_ref() == Some(c))
            && args
                .unit
                .as_ref()
                .is_none_or(|u| case.unit.eq_ignore_ascii_case(u))
            && args
                .program
                .as_ref()
                .is_none_or(|p| case.program.as_ref() == Some(p))
            && args.tag.as_ref().is_none_or(|t| case.tags.contains(t));
        let stale = st.is_stale(today, config.stale_after_days);
        (keep && (!args.stale || stale)).then(|| (st.idle_days(today), stale))
    };
    // JSON shows every key of a case, so it reads the files whole; the other formats
    // need no personal data or notes: they fold over the cache, keeping only the
    // cases listed, and (for Markdown and HTML, which are published) the fingerprints
    // of every submitter who has not agreed to be named.
    let published = matches!(format, Format::Markdown | Format::Html);
    let kept: Vec<(Case, i64, bool)> = if format == Format::Json {
        let portfolio = repo.load()?;
        super::warn_broken(&portfolio);
        portfolio
            .cases
            .into_iter()
            .filter_map(|c| matches(&c.case).map(|(d, s)| (c.case, d, s)))
            .collect()
    } else {
        type Share = (Vec<(Case, i64, bool)>, Vec<Fingerprint>);
        let (parts, broken) =
            repo.fold_for_report(Share::default, |(acc, prints): &mut Share, _, case| {
                if published && let Some(p) = case.submitter.as_ref().filter(|p| !p.consent) {
                    prints.extend(crate::privacy::fingerprints_of(p));
                }
                if let Some((d, s)) = matches(&case) {
                    acc.push((case, d, s));
                }
            })?;
        for b in &broken {
            crate::output::safe_eprintln!("warning: skipped {}", b.error);
        }
        // Published: nobody who has not agreed to be named is named in a title.
        let names = published
            .then(|| super::published_names_of(&repo, parts.iter().flat_map(|(_, p)| p)))
            .transpose()?;
        let mut kept: Vec<(Case, i64, bool)> = parts.into_iter().flat_map(|(acc, _)| acc).collect();
        if let Some(names) = names {
            for (case, _, _) in &mut kept {
                crate::privacy::hide_names(case, &names);
            }
        }
        kept
    };
    let mut rows: Vec<Listed> = kept
        .iter()
        .map(|(case, days_idle, stale)| Listed {
            case,
            days_idle: *days_idle,
            stale: *stale,
        })
        .collect();
    rows.sort_by(|a, b| (a.case.created, &a.case.id).cmp(&(b.case.created, &b.case.id)));

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
            args.output
                .deliver(&crate::document::render(&doc, format, layout))?
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
            Cell::Text(c.unit.clone()),
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
