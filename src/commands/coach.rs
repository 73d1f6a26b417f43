//! `sluss coach`: the coaches in sluss.toml, kept in order without hand-editing.

use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use crate::Error;
use crate::context::Context;
use crate::domain::config::check_key;
use crate::output::{self, Format};

#[derive(Debug, clap::Subcommand)]
pub enum CoachCommand {
    /// Add a coach to sluss.toml (comments and order are kept).
    Add {
        /// A short key that case files store, e.g. erik.
        key: String,
        /// The name people see.
        #[arg(long)]
        name: String,
        #[command(flatten)]
        commit: super::CommitArgs,
    },
    /// List the coaches.
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Serialize)]
struct Row<'a> {
    key: &'a str,
    name: &'a str,
}

pub fn run(ctx: &Context, cmd: CoachCommand) -> Result<ExitCode> {
    let repo = ctx.open_repo()?;
    match cmd {
        CoachCommand::Add { key, name, commit } => {
            check_key("coach", &key).map_err(|m| Error::refused(m, "for example: erik"))?;
            if name.trim().is_empty() {
                return Err(Error::refused("a coach needs a name", "give --name NAME").into());
            }
            repo.update_config(|config, doc| {
                if config.coach(&key).is_some() {
                    return Err(Error::DuplicateKey {
                        kind: "coach",
                        key: key.clone(),
                    });
                }
                let mut t = toml_edit::Table::new();
                t.insert("key", toml_edit::value(key.as_str()));
                t.insert("name", toml_edit::value(name.trim()));
                crate::storage::document::append_to_array_of_tables(doc, "coaches", t)
            })?;
            super::commit_written(
                &repo,
                commit.commit,
                &[repo.config_path()],
                &format!("coach: {key} added"),
            )?;
            output::emit(&format!("Added coach {key} ({})\n", name.trim()))?;
        }
        CoachCommand::List { format } => {
            super::require_format(format, &[Format::Table, Format::Json])?;
            let rows: Vec<Row> = repo
                .config
                .coaches
                .iter()
                .map(|c| Row {
                    key: &c.key,
                    name: &c.name,
                })
                .collect();
            if format == Format::Json {
                output::emit(&output::json(&rows))?;
            } else {
                let mut t = output::table(&["key", "name"]);
                for r in &rows {
                    t.add_row([r.key, r.name]);
                }
                output::emit(&format!("{}\n", output::show(&t)))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
