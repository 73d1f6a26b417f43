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
    /// Mark a coach who has left: `active = false` in sluss.toml. Their name stays in
    /// history and reports; assign and session refuse them.
    #[command(visible_alias = "deactivate")]
    Retire {
        /// The coach, by key or name.
        coach: String,
        #[command(flatten)]
        commit: super::CommitArgs,
    },
    /// Take a retired coach back (undoes `coach retire`).
    Activate {
        /// The coach, by key or name.
        coach: String,
        #[command(flatten)]
        commit: super::CommitArgs,
    },
    /// List the coaches.
    List {
        #[command(flatten)]
        output: super::OutputArgs,
    },
}

#[derive(Serialize)]
struct Row<'a> {
    key: &'a str,
    name: &'a str,
    active: bool,
    #[serde(skip)]
    consent: bool,
}

pub fn run(ctx: &Context, cmd: CoachCommand) -> Result<ExitCode> {
    let repo = ctx.open_repo()?;
    match cmd {
        CoachCommand::Add { key, name, commit } => {
            check_key("coach", &key).map_err(|m| Error::refused(m, "for example: erik"))?;
            if name.trim().is_empty() {
                return Err(Error::refused("a coach needs a name", "give --name NAME").into());
            }
            crate::domain::change::check_register_name("coach", &name)?;
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
        CoachCommand::Retire { coach, commit } => set_active(&repo, &coach, false, commit)?,
        CoachCommand::Activate { coach, commit } => set_active(&repo, &coach, true, commit)?,
        CoachCommand::List { output } => list(ctx, &repo, &output)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `coach list`: the coaches, in sluss.toml's order.
fn list(ctx: &Context, repo: &crate::storage::Repo, out: &super::OutputArgs) -> Result<()> {
    use super::Offered as _;
    use crate::document::{Cell, Column, ColumnKind, Document, Table};
    let format = out.format(Format::Table, super::formats::All::FORMATS)?;
    let rows: Vec<Row> = repo
        .config
        .coaches
        .iter()
        .map(|c| Row {
            key: &c.key,
            name: &c.name,
            active: c.active,
            consent: c.consent,
        })
        .collect();
    let text = match format {
        Format::Json => output::json(&rows),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["key", "name", "active"])?;
            for r in &rows {
                w.write_record([
                    crate::report::escape::csv_cell(r.key),
                    crate::report::escape::csv_cell(r.name),
                    r.active.to_string(),
                ])?;
            }
            String::from_utf8(w.into_inner()?)?
        }
        _ => {
            let lang = super::listing_lang(ctx, &repo.config, format);
            let label = |key: &str| lang.text(&format!("listing.{key}")).to_string();
            let mut columns = vec![
                Column::new(label("key"), ColumnKind::Id),
                Column::new(label("name"), ColumnKind::Text),
            ];
            // A column for who has left, only when someone has.
            let any_left = rows.iter().any(|r| !r.active);
            if any_left {
                columns.push(Column::new(lang.text("audit.col_active"), ColumnKind::Text));
            }
            let mut t = Table::new("", columns);
            // Markdown and HTML are published: a coach who has not agreed to be named
            // is shown by key only.
            let published = matches!(format, Format::Markdown | Format::Html);
            for r in &rows {
                let name = (r.consent || !published).then_some(r.name);
                let mut row = vec![Cell::from(r.key), Cell::from(name)];
                if any_left {
                    let word = if r.active {
                        "audit.active"
                    } else {
                        "audit.inactive"
                    };
                    row.push(Cell::from(lang.text(word)));
                }
                t.row(row);
            }
            let mut doc = Document::new(lang, label("coaches_title"));
            doc.push(t);
            crate::document::render(&doc, format, out.layout())
        }
    };
    out.deliver(&text)
}

/// `coach retire` and `coach activate`: sets or removes `active = false` on the coach's
/// table in sluss.toml, in place (comments and order kept).
fn set_active(
    repo: &crate::storage::Repo,
    word: &str,
    active: bool,
    commit: super::CommitArgs,
) -> Result<()> {
    let coach = repo.config.find_coach(word)?.clone();
    if coach.active == active {
        let (what, hint) = if active {
            ("is active", "nothing to do")
        } else {
            (
                "has left already",
                "nothing to do; `sluss coach activate` takes a coach back",
            )
        };
        return Err(Error::refused(format!("coach '{}' {what}", coach.key), hint).into());
    }
    repo.update_config(|_, doc| {
        let tables = doc
            .get_mut("coaches")
            .and_then(toml_edit::Item::as_array_of_tables_mut)
            .ok_or_else(|| Error::refused("sluss.toml has no [[coaches]]", "add a coach first"))?;
        for t in tables.iter_mut() {
            if t.get("key").and_then(toml_edit::Item::as_str) == Some(coach.key.as_str()) {
                if active {
                    t.remove("active");
                } else {
                    t.insert("active", toml_edit::value(false));
                }
            }
        }
        Ok(())
    })?;
    let (done, verb) = if active {
        ("activated", "Activated")
    } else {
        ("retired", "Retired")
    };
    super::commit_written(
        repo,
        commit.commit,
        &[repo.config_path()],
        &format!("coach: {} {done}", coach.key),
    )?;
    let after = if active {
        String::new()
    } else {
        "; history and reports keep the name, assign and session refuse the coach".to_string()
    };
    output::emit(&format!(
        "{verb} coach {} ({}){after}\n",
        coach.key, coach.name
    ))?;
    if !active {
        warn_open_cases(repo, &coach.key)?;
    }
    Ok(())
}

/// After `coach retire`: the cases not closed that still name the coach, to reassign (the
/// coach is retired all the same).
fn warn_open_cases(repo: &crate::storage::Repo, key: &str) -> Result<()> {
    let portfolio = repo.load_for_report()?;
    let mut left: Vec<&crate::domain::Case> = portfolio
        .cases
        .iter()
        .map(|c| &c.case)
        .filter(|c| c.status != crate::domain::Status::Closed && c.coach.as_deref() == Some(key))
        .collect();
    if left.is_empty() {
        return Ok(());
    }
    left.sort_by(|a, b| a.id.cmp(&b.id));
    let list: Vec<String> = left
        .iter()
        .map(|c| format!("  {} {}", c.id, crate::report::escape::one_line(&c.title)))
        .collect();
    let first = &left[0].id;
    crate::output::safe_eprintln!(
        "warning: coach {key} has left but still has {} case(s) not closed:\n{}\nhint: give each another coach: `sluss assign {first} COACH --note TEXT` (or `sluss unassign {first}`)",
        left.len(),
        list.join("\n")
    );
    Ok(())
}
