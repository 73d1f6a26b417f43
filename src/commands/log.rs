//! `sluss log`: a case's timeline, history entries and coaching sessions in time order.

use std::process::ExitCode;

use anyhow::Result;
use serde_json::{Map, Value, json};

use super::{Offered as _, OutputArgs, formats};
use crate::context::Context;
use crate::document::{Cell, Column, ColumnKind, Document, Lang, Table};
use crate::domain::Config;
use crate::domain::timeline::{Event, timeline};
use crate::output::{self, Format};

/// Show a case's timeline: every change and coaching session, oldest first.
///
/// A session has only a day, so within a day the changes come before the sessions.
/// In Markdown and HTML (published), it speaks the sluice's language and names nobody
/// who has not agreed to be named.
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
    if matches!(format, Format::Markdown | Format::Html) {
        // Published: names of people who have not agreed to be named are taken out.
        let names = super::published_names_with(&repo, &case)?;
        crate::privacy::hide_names(&mut case, &names);
    }
    let events = timeline(&case);
    if format == Format::Json {
        args.output.deliver(&output::json(
            &events.iter().map(to_json).collect::<Vec<_>>(),
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    let lang = super::listing_lang(ctx, &repo.config, format);
    let layout = args.output.layout();
    let mut doc = Document::new(lang, format!("{}  {}", case.id, case.title));
    let mut table = table(&events, &repo.config, lang);
    if let Some(width) = layout.width {
        // The note gives way first; the writer cuts what is still too wide.
        super::drop_columns_to_fit(&mut table, lang, width, &[], 3, 8);
    }
    doc.push(table);
    doc.paragraph(lang.format(
        "listing.events_count",
        &[("n", &lang.integer(events.len() as i64))],
    ));
    args.output
        .deliver(&crate::document::render(&doc, format, layout))?;
    Ok(ExitCode::SUCCESS)
}

/// The timeline as a table: when, who, what, and the note (a session's notes and its
/// next steps, one after the other).
fn table(events: &[Event], config: &Config, lang: Lang) -> Table {
    let label = |key: &str| lang.text(&format!("listing.{key}")).to_string();
    let mut t = Table::new(
        "",
        vec![
            Column::new(label("when"), ColumnKind::Date),
            Column::new(label("who"), ColumnKind::Text),
            Column::new(label("what"), ColumnKind::Text),
            Column::new(label("note"), ColumnKind::Text),
        ],
    );
    for e in events {
        t.row(vec![
            Cell::Text(when(e)),
            Cell::Text(e.by().to_string()),
            Cell::Text(what(e, config, lang)),
            Cell::Text(note(e, lang).join(" · ")),
        ]);
    }
    t
}

fn when(e: &Event) -> String {
    match e {
        Event::History(h) => h.at.format("%Y-%m-%d %H:%M").to_string(),
        Event::Session(s) => s.date.to_string(),
    }
}

/// What happened, in words: every change the entry carries.
pub(super) fn what(e: &Event, config: &Config, lang: Lang) -> String {
    let h = match e {
        Event::Session(s) => {
            let mut w = format!(
                "{} {} {}",
                lang.text("listing.session"),
                s.minutes,
                lang.text("listing.minutes")
            );
            if let Some(kind) = &s.kind {
                w.push(' ');
                w.push_str(kind);
            }
            return w;
        }
        Event::History(h) => h,
    };
    let mut parts = Vec::new();
    match (&h.from, &h.to) {
        (Some(from), Some(to)) => parts.push(format!(
            "{} → {}",
            config.stage_name(from),
            config.stage_name(to)
        )),
        (None, Some(to)) => parts.push(format!("→ {}", config.stage_name(to))),
        (Some(from), None) => parts.push(format!("{} →", config.stage_name(from))),
        (None, None) => {}
    }
    if h.forced {
        parts.push(lang.text("audit.forced").to_string());
    }
    if let Some(status) = h.status {
        parts.push(super::status_words(lang, status, h.outcome));
    }
    parts.extend(crate::domain::timeline::coach_words(h));
    parts.extend(crate::domain::timeline::program_and_partner_words(h));
    // Tags added or taken out are already named above; the other fields by their names.
    let fields: Vec<String> = h
        .set
        .iter()
        .filter(|f| f.as_str() != "tags" || (h.tags_added.is_empty() && h.tags_removed.is_empty()))
        .map(|f| f.replace('_', "-"))
        .collect();
    if !fields.is_empty() {
        parts.push(lang.format("set.changed", &[("fields", &fields.join(", "))]));
    }
    if parts.is_empty() {
        lang.text("listing.plain_note").to_string()
    } else {
        parts.join("; ")
    }
}

/// The note of an event, one line each: a session's notes, then its next steps.
pub(super) fn note(e: &Event, lang: Lang) -> Vec<String> {
    match e {
        Event::History(h) => h.note.iter().cloned().collect(),
        Event::Session(s) => {
            let mut lines: Vec<String> = s.notes.iter().cloned().collect();
            lines.extend(
                s.next_steps.iter().map(|step| {
                    format!("{}: {}", lang.text("listing.next"), step_words(step, lang))
                }),
            );
            lines
        }
    }
}

/// A next step with its due and done days, when it has them: "Ta fram testplan (due
/// 2026-12-10, done 2026-12-09)".
pub(super) fn step_words(step: &crate::domain::NextStep, lang: Lang) -> String {
    let mut days = Vec::new();
    if let Some(due) = step.due {
        days.push(format!("{} {}", lang.text("agenda.due"), due));
    }
    if let Some(done) = step.done {
        days.push(format!("{} {}", lang.text("agenda.done"), done));
    }
    if days.is_empty() {
        step.text.clone()
    } else {
        format!("{} ({})", step.text, days.join(", "))
    }
}

/// One event as JSON: date, at (history only), kind, by, then the event's own keys.
fn to_json(e: &Event) -> Value {
    let mut m = Map::new();
    m.insert("date".into(), json!(e.date()));
    if let Event::History(h) = e {
        m.insert("at".into(), json!(h.at));
    }
    m.insert("kind".into(), json!(e.kind().as_str()));
    m.insert("by".into(), json!(e.by()));
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(v) = value {
            m.insert(key.into(), v);
        }
    };
    match e {
        Event::History(h) => {
            put("from", h.from.as_ref().map(|v| json!(v)));
            put("to", h.to.as_ref().map(|v| json!(v)));
            put("status", h.status.map(|v| json!(v)));
            put("outcome", h.outcome.map(|v| json!(v)));
            put("coach", h.coach.as_ref().map(|v| json!(v)));
            put(
                "previous_coach",
                h.previous_coach.as_ref().map(|v| json!(v)),
            );
            put("program", h.program.as_ref().map(|v| json!(v)));
            put(
                "previous_program",
                h.previous_program.as_ref().map(|v| json!(v)),
            );
            put("partner_added", h.partner_added.as_ref().map(|v| json!(v)));
            put(
                "partner_removed",
                h.partner_removed.as_ref().map(|v| json!(v)),
            );
            put("result", h.result.as_ref().map(|v| json!(v)));
            put("set", (!h.set.is_empty()).then(|| json!(h.set)));
            put(
                "tags_added",
                (!h.tags_added.is_empty()).then(|| json!(h.tags_added)),
            );
            put(
                "tags_removed",
                (!h.tags_removed.is_empty()).then(|| json!(h.tags_removed)),
            );
            put("note", h.note.as_ref().map(|v| json!(v)));
            put("forced", h.forced.then(|| json!(true)));
        }
        Event::Session(s) => {
            put("minutes", Some(json!(s.minutes)));
            put("session_kind", s.kind.as_ref().map(|v| json!(v)));
            put("notes", s.notes.as_ref().map(|v| json!(v)));
            put(
                "next_steps",
                (!s.next_steps.is_empty()).then(|| json!(s.next_steps)),
            );
        }
    }
    Value::Object(m)
}
