//! `sluss unit`: the units register in sluss.toml (`[[units]]`), and the ways the cases
//! write their units, so that a portfolio can be cleaned up.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use crate::Error;
use crate::context::Context;
use crate::domain::Config;
use crate::domain::config::{Unit, check_key};
use crate::output::{self, Format};

#[derive(Debug, clap::Subcommand)]
pub enum UnitCommand {
    /// Add a unit to the register in sluss.toml (comments and order are kept).
    Add {
        /// A short key, e.g. vard_och_omsorg.
        key: String,
        /// The name people see, and case files store, e.g. "Vård och omsorg".
        #[arg(long)]
        name: String,
        /// How many people work there.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        headcount: Option<u32>,
        #[command(flatten)]
        commit: super::CommitArgs,
    },
    /// List the register and every way the cases write a unit: how many cases each,
    /// and which unit of the register it counts as, or that it is not in the register.
    List {
        #[command(flatten)]
        output: super::OutputArgs,
    },
}

/// `unit list`: the register and the variants found in the cases.
#[derive(Debug, Serialize)]
pub struct UnitListing {
    /// The units of the register, in sluss.toml's order, with the cases that count as
    /// each.
    pub units: Vec<RegisterRow>,
    /// Each `unit` text as the cases write it, with how many cases write it so.
    pub variants: Vec<Variant>,
}

#[derive(Debug, Serialize)]
pub struct RegisterRow {
    pub key: String,
    pub name: String,
    pub headcount: Option<u32>,
    pub cases: usize,
}

#[derive(Debug, Serialize)]
pub struct Variant {
    /// The text as written in the case files.
    pub text: String,
    pub cases: usize,
    /// The key of the register's unit it counts as; none when it is not in the
    /// register (or there is no register).
    pub unit: Option<String>,
}

impl UnitListing {
    /// The listing for `config`'s register and the cases' unit texts with their counts.
    pub fn new(config: &Config, texts: BTreeMap<String, usize>) -> UnitListing {
        let mut variants: Vec<Variant> = texts
            .into_iter()
            .map(|(text, cases)| Variant {
                unit: config.find_unit(&text).ok().map(|u| u.key.clone()),
                text,
                cases,
            })
            .collect();
        // Variants of one unit together, in the register's order, those outside it last.
        let place = |v: &Variant| {
            v.unit
                .as_ref()
                .and_then(|k| config.units.iter().position(|u| &u.key == k))
                .unwrap_or(usize::MAX)
        };
        variants.sort_by(|a, b| {
            (place(a), crate::domain::words::fold(&a.text), &a.text).cmp(&(
                place(b),
                crate::domain::words::fold(&b.text),
                &b.text,
            ))
        });
        let units = config
            .units
            .iter()
            .map(|u| RegisterRow {
                key: u.key.clone(),
                name: u.name.clone(),
                headcount: u.headcount,
                cases: variants
                    .iter()
                    .filter(|v| v.unit.as_ref() == Some(&u.key))
                    .map(|v| v.cases)
                    .sum(),
            })
            .collect();
        UnitListing { units, variants }
    }
}

pub fn run(ctx: &Context, cmd: UnitCommand) -> Result<ExitCode> {
    let repo = ctx.open_repo_units()?;
    match cmd {
        UnitCommand::Add {
            key,
            name,
            headcount,
            commit,
        } => {
            check_key("unit", &key)
                .map_err(|m| Error::refused(m, "for example: vard_och_omsorg"))?;
            let name = name.trim();
            if name.is_empty() {
                return Err(Error::refused("a unit needs a name", "give --name NAME").into());
            }
            crate::domain::change::check_register_name("unit", name)?;
            let unit = Unit {
                key: key.clone(),
                name: name.to_string(),
                headcount,
            };
            super::new::add_unit(&repo, &unit)?;
            super::commit_written(
                &repo,
                commit.commit,
                &[repo.config_path()],
                &format!("unit: {key} added"),
            )?;
            output::emit(&format!("Added unit {key} ({name})\n"))?;
        }
        UnitCommand::List { output } => list(ctx, &repo, &output)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn list(ctx: &Context, repo: &crate::storage::Repo, out: &super::OutputArgs) -> Result<()> {
    use super::Offered as _;
    let format = out.format(Format::Table, super::formats::All::FORMATS)?;
    let portfolio = repo.load_for_report()?;
    super::warn_broken(&portfolio);
    let mut texts: BTreeMap<String, usize> = BTreeMap::new();
    for c in &portfolio.cases {
        *texts.entry(c.case.unit.clone()).or_default() += 1;
    }
    let listing = UnitListing::new(&repo.config, texts);
    let text = match format {
        Format::Json => output::json(&listing),
        Format::Csv => csv(&repo.config, &listing)?,
        _ => {
            let lang = super::listing_lang(ctx, &repo.config, format);
            let doc = document(&repo.config, &listing, lang);
            crate::document::render(&doc, format, out.layout())
        }
    };
    out.deliver(&text)
}

/// One row per variant (`text`, `cases`, the unit it counts as), and one per unit of
/// the register that no case names (empty text, 0 cases).
fn csv(config: &Config, listing: &UnitListing) -> Result<String> {
    use crate::report::escape::csv_cell;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["text", "cases", "unit_key", "unit_name", "headcount"])?;
    let unit = |key: Option<&String>| key.and_then(|k| config.units.iter().find(|u| &u.key == k));
    for v in &listing.variants {
        let u = unit(v.unit.as_ref());
        w.write_record([
            csv_cell(&v.text),
            v.cases.to_string(),
            csv_cell(u.map_or("", |u| u.key.as_str())),
            csv_cell(u.map_or("", |u| u.name.as_str())),
            u.and_then(|u| u.headcount)
                .map_or(String::new(), |n| n.to_string()),
        ])?;
    }
    for r in listing.units.iter().filter(|r| r.cases == 0) {
        w.write_record([
            String::new(),
            "0".to_string(),
            csv_cell(&r.key),
            csv_cell(&r.name),
            r.headcount.map_or(String::new(), |n| n.to_string()),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

fn document(
    config: &Config,
    listing: &UnitListing,
    lang: crate::i18n::Lang,
) -> crate::document::Document {
    use crate::document::{Cell, Column, ColumnKind, Document, Table};
    let t = |key: &str| lang.text(&format!("unit.{key}")).to_string();
    let mut doc = Document::new(lang, t("title"));
    if config.units.is_empty() {
        doc.paragraph(t("no_register"));
    } else {
        let mut register = Table::new(
            t("register"),
            vec![
                Column::new(t("key"), ColumnKind::Id),
                Column::new(t("name"), ColumnKind::Text),
                Column::new(t("headcount"), ColumnKind::Number),
                Column::new(t("cases"), ColumnKind::Number),
            ],
        );
        for r in &listing.units {
            register.row(vec![
                Cell::from(r.key.as_str()),
                Cell::from(r.name.as_str()),
                Cell::from(r.headcount.map(i64::from)),
                Cell::from(r.cases),
            ]);
        }
        doc.push(register);
    }
    let mut variants = Table::new(
        t("variants"),
        vec![
            Column::new(t("as_written"), ColumnKind::Text),
            Column::new(t("cases"), ColumnKind::Number),
            Column::new(t("counts_as"), ColumnKind::Text),
        ],
    );
    for v in &listing.variants {
        let counts_as = match v.unit.as_ref() {
            Some(key) => Cell::from(config.unit_name(key)),
            None if config.units.is_empty() => Cell::Missing,
            None => Cell::from(t("not_in_register")),
        };
        let text = (!v.text.trim().is_empty()).then_some(v.text.as_str());
        variants.row(vec![Cell::from(text), Cell::from(v.cases), counts_as]);
    }
    doc.push(variants);
    let outside: usize = listing
        .variants
        .iter()
        .filter(|v| v.unit.is_none())
        .map(|v| v.cases)
        .sum();
    if !config.units.is_empty() && outside > 0 {
        doc.paragraph(lang.format("unit.outside", &[("n", &outside.to_string())]));
    }
    doc
}
