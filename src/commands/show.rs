//! `sluss show`: one case in full, with history and sessions in time order.

use std::process::ExitCode;

use anyhow::Result;

use super::{Offered as _, OutputArgs, formats};
use crate::context::Context;
use crate::document::{Cell, Column, ColumnKind, Document, Lang, Options, Table};
use crate::domain::replay::state;
use crate::domain::timeline::Event;
use crate::domain::{Case, Config};
use crate::output::{self, Format};

/// Show one case: its fields, description, history and coaching sessions.
///
/// In Markdown and HTML (published), the case speaks the sluice's language, and names
/// nobody who has not agreed to be named: such a submitter is left out, a coach is
/// shown by key, and their names are taken out of the texts.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case id, or a unique prefix of it.
    pub id: String,
    #[command(flatten)]
    pub output: OutputArgs<formats::NoCsv>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let format = args.output.format(Format::Table, formats::NoCsv::FORMATS)?;
    let repo = ctx.open_repo()?;
    let path = repo.resolve(&args.id)?;
    let mut case = repo.read_case(&path)?;
    case.history.sort_by_key(|e| e.at);
    case.sessions.sort_by_key(|s| s.date);
    if format == Format::Json {
        args.output.deliver(&output::json(&case))?;
        return Ok(ExitCode::SUCCESS);
    }
    let published = matches!(format, Format::Markdown | Format::Html);
    if published {
        let names = super::published_names_with(&repo, &case)?;
        crate::privacy::hide_names(&mut case, &names);
    }
    // Partners are shown with their organisation's name where the network knows them.
    let network = repo.load_network().unwrap_or_default();
    case.partners = case
        .partners
        .iter()
        .map(|key| match network.get(key) {
            Some(m) => format!("{key} ({})", m.organisation),
            None => key.clone(),
        })
        .collect();
    let today = case.today_at(ctx.now);
    let lang = super::listing_lang(ctx, &repo.config, format);
    let layout = args.output.layout();
    let doc = document(&case, &repo.config, today, lang, published, layout);
    args.output
        .deliver(&crate::document::render(&doc, format, layout))?;
    Ok(ExitCode::SUCCESS)
}

/// The case as a document: its fields, need and idea, history and sessions.
fn document(
    case: &Case,
    config: &Config,
    today: chrono::NaiveDate,
    lang: Lang,
    published: bool,
    layout: Options,
) -> Document {
    let label = |key: &str| lang.text(&format!("listing.{key}")).to_string();
    let mut doc = Document::new(lang, format!("{}  {}", case.id, case.title));
    let fitted = |mut t: Table, main: usize| {
        if let Some(width) = layout.width {
            super::drop_columns_to_fit(&mut t, lang, width, &[], main, 8);
        }
        t
    };
    doc.push(fitted(fields(case, config, today, lang, published), 1));
    for (key, text) in [
        ("need", case.need()),
        ("idea", case.idea()),
        ("result", case.result()),
    ] {
        if let Some(text) = text {
            doc.heading(label(key));
            doc.paragraph(text);
        }
    }
    if !case.history.is_empty() {
        doc.heading(label("history"));
        let mut t = Table::new(
            "",
            vec![
                Column::new(label("when"), ColumnKind::Date),
                Column::new(label("who"), ColumnKind::Text),
                Column::new(label("what"), ColumnKind::Text),
                Column::new(label("note"), ColumnKind::Text),
            ],
        );
        for e in &case.history {
            let event = Event::History(e);
            t.row(vec![
                Cell::Text(e.at.format("%Y-%m-%d %H:%M").to_string()),
                Cell::Text(e.by.clone()),
                Cell::Text(super::log::what(&event, config, lang)),
                Cell::Text(super::log::note(&event, lang).join(" · ")),
            ]);
        }
        doc.push(fitted(t, 3));
    }
    if !case.sessions.is_empty() {
        let total: u64 = case.sessions.iter().map(|x| u64::from(x.minutes)).sum();
        doc.heading(lang.format(
            "listing.sessions_total",
            &[("minutes", &lang.integer(total as i64))],
        ));
        let mut t = Table::new(
            "",
            vec![
                Column::new(label("date"), ColumnKind::Date),
                Column::new(label("coach"), ColumnKind::Text),
                Column::new(label("minutes"), ColumnKind::Number),
                Column::new(label("kind"), ColumnKind::Text),
                Column::new(label("notes"), ColumnKind::Text),
            ],
        );
        for x in &case.sessions {
            let event = Event::Session(x);
            t.row(vec![
                Cell::Date(x.date),
                Cell::Text(x.coach.clone()),
                Cell::Int(i64::from(x.minutes)),
                x.kind.clone().into(),
                Cell::Text(super::log::note(&event, lang).join(" · ")),
            ]);
        }
        doc.push(fitted(t, 4));
    }
    doc
}

/// The case's fields, a row each, those without a value left out.
fn fields(
    case: &Case,
    config: &Config,
    today: chrono::NaiveDate,
    lang: Lang,
    published: bool,
) -> Table {
    let label = |key: &str| lang.text(&format!("listing.{key}")).to_string();
    let mut t = Table::new(
        "",
        vec![
            Column::new(label("field"), ColumnKind::Text),
            Column::new(label("value"), ColumnKind::Text),
        ],
    );
    t.row_headers = true;
    t.fields = true;
    // Counted to the report day (`[reports] as_of`), as list and the board count.
    let as_of = config.reports.as_of.filter(|day| *day <= today);
    let idle = match as_of {
        Some(day) => state(case, config, Some(day)).map_or(0, |st| st.idle_days(day)),
        None => state(case, config, None).map_or(0, |st| st.idle_days(today)),
    };
    let coach = case.coach.as_deref().map(|key| match config.coach(key) {
        Some(c) if c.consent || !published => c.name.clone(),
        _ => key.to_string(),
    });
    let submitter = case
        .submitter
        .as_ref()
        .filter(|p| p.consent || !published)
        .map(|p| {
            let consent = if p.consent {
                "may_be_named"
            } else {
                "not_named"
            };
            format!("{} ({})", p.name, label(consent))
        });
    let rows = [
        ("stage", Some(stage_line(config, &case.stage))),
        (
            "status",
            Some(super::status_words(lang, case.status, case.outcome)),
        ),
        (
            "created",
            Some(case.created.format("%Y-%m-%d %H:%M").to_string()),
        ),
        (
            "idle_field",
            Some(lang.format("listing.idle_days", &[("n", &lang.integer(idle))])),
        ),
        ("coach", coach),
        ("unit", Some(case.unit.clone())),
        ("program", case.program.clone()),
        ("follow_up", case.follow_up.map(|d| d.to_string())),
        ("tags", Some(case.tags.join(", "))),
        ("partners", Some(case.partners.join(", "))),
        ("submitter", submitter),
    ];
    for (key, value) in rows {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            // The follow-up day came with `sluss set`, and its label with it.
            let name = match key {
                "follow_up" => lang.text("set.follow_up").to_string(),
                _ => label(key),
            };
            t.row(vec![Cell::Text(name), Cell::Text(value)]);
        }
    }
    t
}

/// The stage as `show` names it: its display name, and its key too when the key is not
/// just the name written plainly (`Inkommen (received)`, but `Prövning`, not
/// `Prövning (provning)`), since filters and files take the key.
fn stage_line(config: &crate::domain::Config, key: &str) -> String {
    use crate::domain::words::fold;
    let name = config.stage_name(key);
    if fold(name) == fold(key) {
        name.to_string()
    } else {
        format!("{name} ({key})")
    }
}
