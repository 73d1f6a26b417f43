//! `sluss step`: the next steps agreed on in a case's sessions: list them, mark one
//! done.

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use super::{Offered as _, OutputArgs, formats};
use crate::context::{Context, parse_cli_date};
use crate::document::{Cell, Column, ColumnKind, Document, Table};
use crate::domain::change;
use crate::output::{self, Format};

#[derive(Debug, clap::Subcommand)]
pub enum StepCommand {
    /// Mark a next step done, recorded in the step (`done = DAY`) and in history.
    Done(DoneArgs),
    /// List a case's next steps, numbered as `step done` takes them.
    List(ListArgs),
}

#[derive(Debug, clap::Args)]
pub struct DoneArgs {
    /// The case id, or a unique prefix of it.
    pub id: String,
    /// The step: its number (`sluss step list ID`), or its text or a unique part of it;
    /// may be left out when the case has one open step.
    pub step: Option<String>,
    /// The day it was done (default today).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = parse_cli_date)]
    pub date: Option<NaiveDate>,
    #[command(flatten)]
    pub actor: super::WriteArgs,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// The case id, or a unique prefix of it.
    pub id: String,
    /// Show done steps too.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub output: OutputArgs<formats::TableJson>,
}

/// A next step as `step list --format json` gives it.
#[derive(Debug, Serialize)]
struct Row<'a> {
    number: usize,
    text: &'a str,
    /// The day of the session that agreed on it.
    agreed: NaiveDate,
    due: Option<NaiveDate>,
    done: Option<NaiveDate>,
}

pub fn run(ctx: &Context, cmd: StepCommand) -> Result<ExitCode> {
    match cmd {
        StepCommand::Done(args) => {
            let today = ctx.today();
            let day = args.date.unwrap_or(today);
            super::change_case(ctx, &args.id, &args.actor, |_, actor, case| {
                change::mark_step_done(case, args.step.as_deref(), day, today, actor)
            })
        }
        StepCommand::List(args) => list(ctx, args),
    }
}

fn list(ctx: &Context, args: ListArgs) -> Result<ExitCode> {
    let format = args
        .output
        .format(Format::Table, formats::TableJson::FORMATS)?;
    let repo = ctx.open_repo()?;
    let case = repo.read_case(&repo.resolve(&args.id)?)?;
    let steps = case.next_steps();
    let rows: Vec<Row> = steps
        .iter()
        .filter(|s| args.all || s.step.is_open())
        .map(|s| Row {
            number: s.number,
            text: &s.step.text,
            agreed: s.of.date,
            due: s.step.due,
            done: s.step.done,
        })
        .collect();
    if format == Format::Json {
        args.output.deliver(&output::json(&rows))?;
        return Ok(ExitCode::SUCCESS);
    }
    let lang = crate::i18n::Lang::En;
    let mut doc = Document::new(lang, format!("{}  {}", case.id, case.title));
    let mut table = Table::new(
        "",
        vec![
            Column::new("#", ColumnKind::Number),
            Column::new("next step", ColumnKind::Text),
            Column::new("agreed", ColumnKind::Date),
            Column::new("due", ColumnKind::Date),
            Column::new("done", ColumnKind::Date),
        ],
    );
    let day = |d: Option<NaiveDate>| d.map_or(Cell::Missing, Cell::Date);
    for r in &rows {
        table.row(vec![
            Cell::Int(r.number as i64),
            Cell::Text(r.text.to_string()),
            Cell::Date(r.agreed),
            day(r.due),
            day(r.done),
        ]);
    }
    doc.push(table);
    args.output
        .deliver(&crate::document::render(&doc, format, args.output.layout()))?;
    Ok(ExitCode::SUCCESS)
}
