//! `sluss program`: the innovation programs (cohorts) in sluss.toml.

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use crate::Error;
use crate::context::Context;
use crate::domain::config::check_key;
use crate::domain::datetime::{local_date_to_toml, parse_cli_date};
use crate::output::{self, Format};

#[derive(Debug, clap::Subcommand)]
pub enum ProgramCommand {
    /// Add an innovation program to sluss.toml (comments and order are kept).
    Add {
        /// A short key that case files store, e.g. ip2018.
        key: String,
        /// The name people see.
        #[arg(long)]
        name: String,
        /// First day (YYYY-MM-DD).
        #[arg(long, value_parser = parse_cli_date)]
        start: Option<NaiveDate>,
        /// Last day (YYYY-MM-DD).
        #[arg(long, value_parser = parse_cli_date)]
        end: Option<NaiveDate>,
    },
    /// List the programs.
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Serialize)]
struct Row<'a> {
    key: &'a str,
    name: &'a str,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
}

pub fn run(ctx: &Context, cmd: ProgramCommand) -> Result<ExitCode> {
    let repo = ctx.open_repo()?;
    match cmd {
        ProgramCommand::Add {
            key,
            name,
            start,
            end,
        } => {
            check_key("program", &key).map_err(|m| Error::refused(m, "for example: ip2018"))?;
            if name.trim().is_empty() {
                return Err(Error::refused("a program needs a name", "give --name NAME").into());
            }
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
            output::emit(&format!("Added program {key} ({})\n", name.trim()))?;
        }
        ProgramCommand::List { format } => {
            super::require_format(format, &[Format::Table, Format::Json])?;
            let rows: Vec<Row> = repo
                .config
                .programs
                .iter()
                .map(|p| Row {
                    key: &p.key,
                    name: &p.name,
                    start: p.start,
                    end: p.end,
                })
                .collect();
            if format == Format::Json {
                output::emit(&output::json(&rows))?;
            } else {
                let mut t = output::table(&["key", "name", "start", "end"]);
                let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
                for r in &rows {
                    t.add_row([
                        r.key.to_string(),
                        r.name.to_string(),
                        day(r.start),
                        day(r.end),
                    ]);
                }
                output::emit(&format!("{}\n", output::show(&t)))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
