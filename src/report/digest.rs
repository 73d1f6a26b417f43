//! The newsletter digest: new ideas, cases that moved on, cases implemented, in a
//! window of days. It is published output, so a submitter is named only with consent;
//! otherwise the unit alone says where the idea came from.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use super::escape;
use crate::domain::{Case, Config, Outcome, Status};

pub use crate::i18n::Lang;

struct Labels {
    title: &'static str,
    new_ideas: &'static str,
    moved_on: &'static str,
    implemented: &'static str,
    none: &'static str,
    idea_from: &'static str,
    now_in: &'static str,
}

const SV: Labels = Labels {
    title: "Nytt från idéslussen",
    new_ideas: "Nya idéer",
    moved_on: "Idéer som tagit nästa steg",
    implemented: "Införda idéer",
    none: "Inga under perioden.",
    idea_from: "Idé från",
    now_in: "vidare till",
};

const EN: Labels = Labels {
    title: "News from the idea sluice",
    new_ideas: "New ideas",
    moved_on: "Ideas that moved on",
    implemented: "Ideas implemented",
    none: "None in this period.",
    idea_from: "Idea from",
    now_in: "moved on to",
};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Digest {
    pub name: String,
    pub since: NaiveDate,
    pub until: NaiveDate,
    pub new_ideas: Vec<Item>,
    pub moved_on: Vec<Item>,
    pub implemented: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub id: String,
    pub date: NaiveDate,
    pub title: String,
    pub unit: String,
    /// Only when the submitter consented to be named.
    pub submitter: Option<String>,
    pub stage: String,
    /// The need (or else the idea), shortened.
    pub summary: String,
}

fn item(case: &Case, config: &Config, date: NaiveDate, stage: &str) -> Item {
    let text = case.need().or(case.idea()).unwrap_or("");
    Item {
        id: case.id.clone(),
        date,
        title: case.title.clone(),
        unit: case.unit.clone(),
        submitter: case
            .submitter
            .as_ref()
            .filter(|p| p.consent && !p.name.trim().is_empty())
            .map(|p| p.name.clone()),
        stage: config.stage_name(stage).to_string(),
        summary: crate::output::truncate(
            text.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .as_str(),
            240,
        ),
    }
}

/// The digest of `since..=until`.
pub fn compute<'a>(
    cases: impl IntoIterator<Item = &'a Case>,
    config: &Config,
    since: NaiveDate,
    until: NaiveDate,
) -> Digest {
    let inside = |d: NaiveDate| d >= since && d <= until;
    let (mut new_ideas, mut moved_on, mut implemented) = (Vec::new(), Vec::new(), Vec::new());
    for case in cases {
        if inside(case.created_day()) {
            new_ideas.push(item(case, config, case.created_day(), &case.stage));
        }
        let history = case.history_in_order();
        let done = history.iter().rev().find(|e| {
            e.status == Some(Status::Closed)
                && e.outcome == Some(Outcome::Implemented)
                && inside(e.day())
        });
        if let Some(e) = done {
            implemented.push(item(case, config, e.day(), &case.stage));
            continue;
        }
        let last_forward = history.iter().rev().find(|e| {
            inside(e.day())
                && matches!((e.from.as_deref().and_then(|f| config.stage_index(f)), e.to.as_deref().and_then(|t| config.stage_index(t))),
                    (Some(f), Some(t)) if t > f)
        });
        if let Some(e) = last_forward {
            moved_on.push(item(
                case,
                config,
                e.day(),
                e.to.as_deref().unwrap_or(&case.stage),
            ));
        }
    }
    for list in [&mut new_ideas, &mut moved_on, &mut implemented] {
        list.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    }
    Digest {
        name: config.name.clone(),
        since,
        until,
        new_ideas,
        moved_on,
        implemented,
    }
}

fn origin(item: &Item, l: &Labels) -> String {
    match &item.submitter {
        Some(name) => format!("{} {name}, {}", l.idea_from, item.unit),
        None => format!("{} {}", l.idea_from, item.unit),
    }
}

pub fn render_markdown(d: &Digest, lang: Lang) -> String {
    let l = if lang == Lang::Sv { &SV } else { &EN };
    let mut s = format!(
        "# {}: {} – {}\n\n",
        escape::markdown(&format!("{} – {}", l.title, d.name)),
        d.since,
        d.until
    );
    for (heading, items, show_stage) in [
        (l.new_ideas, &d.new_ideas, false),
        (l.moved_on, &d.moved_on, true),
        (l.implemented, &d.implemented, false),
    ] {
        let _ = writeln!(s, "## {heading} ({})\n", items.len());
        if items.is_empty() {
            let _ = writeln!(s, "{}\n", l.none);
        }
        for i in items {
            let _ = write!(
                s,
                "- **{}**. {}",
                escape::markdown(&i.title),
                escape::markdown(&origin(i, l))
            );
            if show_stage {
                let _ = write!(s, ", {} {}", l.now_in, escape::markdown(&i.stage));
            }
            s.push('.');
            if !i.summary.is_empty() {
                let _ = write!(s, " {}", escape::markdown(&i.summary));
            }
            s.push('\n');
        }
        if !items.is_empty() {
            s.push('\n');
        }
    }
    s
}

pub fn render_html(d: &Digest, lang: Lang) -> String {
    let l = if lang == Lang::Sv { &SV } else { &EN };
    let code = if lang == Lang::Sv { "sv" } else { "en" };
    let title = format!("{} – {}: {} – {}", l.title, d.name, d.since, d.until);
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>body{{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1d2733}}li{{margin:.6rem 0}}.o{{color:#57606a}}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape::html(&title),
        escape::html(&title)
    );
    for (heading, items, show_stage) in [
        (l.new_ideas, &d.new_ideas, false),
        (l.moved_on, &d.moved_on, true),
        (l.implemented, &d.implemented, false),
    ] {
        let _ = writeln!(s, "<h2>{} ({})</h2>", escape::html(heading), items.len());
        if items.is_empty() {
            let _ = writeln!(s, "<p>{}</p>", escape::html(l.none));
            continue;
        }
        s.push_str("<ul>\n");
        for i in items {
            let mut o = origin(i, l);
            if show_stage {
                o = format!("{o}, {} {}", l.now_in, i.stage);
            }
            let summary = if i.summary.is_empty() {
                String::new()
            } else {
                format!("<br>{}", escape::html(&i.summary))
            };
            let _ = writeln!(
                s,
                "<li><strong>{}</strong> <span class=\"o\">{}</span>{summary}</li>",
                escape::html(&i.title),
                escape::html(&o)
            );
        }
        s.push_str("</ul>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}
