//! The newsletter digest of a window of days: the ideas implemented (each with its
//! result text), a few headline numbers, then the new ideas and the ideas that moved
//! on, grouped by unit and capped so that a long quarter still reads as a newsletter.
//! It is published output, so a submitter is named only with consent; otherwise the
//! unit alone says where the idea came from.
//!
//! [`compute`] makes the value (its JSON is plain serde of it); [`document`] builds the
//! [`Document`] that the Markdown and HTML writers render.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::document::{Block, Cell, Colophon, Document, KeyFigure};
use crate::domain::{Case, Config, Outcome, Status};

pub use crate::i18n::Lang;

/// At most this many ideas of one unit are listed in a section.
pub const PER_UNIT: usize = 5;
/// At most this many ideas are listed in a section (new ideas, ideas that moved on).
pub const PER_SECTION: usize = 15;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Digest {
    pub name: String,
    pub since: NaiveDate,
    pub until: NaiveDate,
    pub new_ideas: Vec<Item>,
    pub moved_on: Vec<Item>,
    pub implemented: Vec<Item>,
    /// The headline numbers of the period.
    pub figures: Figures,
    /// What the newsletter lists of `new_ideas` and `moved_on`: by unit, capped.
    pub groups: Groups,
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
    /// What the idea brought about (`sluss result`), on one line.
    pub result: Option<String>,
}

/// The headline numbers: ideas that came in, moved on and were implemented in the
/// period, and the cases open on its last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub new_ideas: usize,
    pub moved_on: usize,
    pub implemented: usize,
    pub open: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Groups {
    pub new_ideas: Grouped,
    pub moved_on: Grouped,
}

/// One section's ideas by unit: the units with the most ideas first, at most
/// [`PER_UNIT`] ideas of each and [`PER_SECTION`] in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grouped {
    pub units: Vec<UnitGroup>,
    /// Ideas of units that no room was left for.
    pub more: usize,
    /// How many units those are.
    pub more_units: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitGroup {
    pub unit: String,
    /// The unit's ideas in the section.
    pub total: usize,
    /// The ids of those listed, in date order.
    pub shown: Vec<String>,
    /// The unit's ideas not listed.
    pub more: usize,
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn item(case: &Case, config: &Config, date: NaiveDate, stage: &str) -> Item {
    let text = case.need().or(case.idea()).unwrap_or("");
    Item {
        id: case.id.clone(),
        date,
        title: case.title.clone(),
        unit: config.unit_name(&case.unit).to_string(),
        submitter: case
            .submitter
            .as_ref()
            .filter(|p| p.consent && !p.name.trim().is_empty())
            .map(|p| p.name.clone()),
        stage: config.stage_name(stage).to_string(),
        summary: crate::output::truncate(one_line(text).as_str(), 240),
        result: case.result().map(one_line),
    }
}

/// The digest of `since..=until`. `cases` are those that may appear in it; the open
/// cases among the others are added with [`Digest::count_open_elsewhere`].
pub fn compute<'a>(
    cases: impl IntoIterator<Item = &'a Case>,
    config: &Config,
    since: NaiveDate,
    until: NaiveDate,
) -> Digest {
    let mut gathered = Gathered::default();
    for case in cases {
        gathered.add(case, config, since, until);
    }
    gathered.finish(config, since, until)
}

/// What the digest learns from its cases one at a time (see [`compute`]): so that a
/// thread can take each case as it is read and let it go, and the threads' parts are
/// merged ([`Gathered::merge`]) before [`Gathered::finish`].
#[derive(Debug, Default)]
pub struct Gathered {
    new_ideas: Vec<Item>,
    moved_on: Vec<Item>,
    implemented: Vec<Item>,
    open: usize,
}

impl Gathered {
    /// Notes what `case` adds to the digest of `since..=until`.
    pub fn add(&mut self, case: &Case, config: &Config, since: NaiveDate, until: NaiveDate) {
        let inside = |d: NaiveDate| d >= since && d <= until;
        if crate::domain::replay::state(case, config, Some(until))
            .is_some_and(|s| s.status == Status::Open)
        {
            self.open += 1;
        }
        if inside(case.created_day()) {
            self.new_ideas
                .push(item(case, config, case.created_day(), &case.stage));
        }
        let history = case.history_in_order();
        let done = history.iter().rev().find(|e| {
            e.status == Some(Status::Closed)
                && e.outcome == Some(Outcome::Implemented)
                && inside(e.day())
        });
        if let Some(e) = done {
            self.implemented
                .push(item(case, config, e.day(), &case.stage));
            return;
        }
        let last_forward = history.iter().rev().find(|e| {
            inside(e.day())
                && matches!((e.from.as_deref().and_then(|f| config.stage_index(f)), e.to.as_deref().and_then(|t| config.stage_index(t))),
                    (Some(f), Some(t)) if t > f)
        });
        if let Some(e) = last_forward {
            self.moved_on.push(item(
                case,
                config,
                e.day(),
                e.to.as_deref().unwrap_or(&case.stage),
            ));
        }
    }

    /// Adds another thread's part.
    pub fn merge(&mut self, other: Gathered) {
        self.new_ideas.extend(other.new_ideas);
        self.moved_on.extend(other.moved_on);
        self.implemented.extend(other.implemented);
        self.open += other.open;
    }

    /// The digest, every list in date order (ties by id, so the same whatever order the
    /// cases came in).
    pub fn finish(mut self, config: &Config, since: NaiveDate, until: NaiveDate) -> Digest {
        for list in [
            &mut self.new_ideas,
            &mut self.moved_on,
            &mut self.implemented,
        ] {
            list.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        }
        Digest {
            name: config.name.clone(),
            since,
            until,
            figures: Figures {
                new_ideas: self.new_ideas.len(),
                moved_on: self.moved_on.len(),
                implemented: self.implemented.len(),
                open: self.open,
            },
            groups: Groups {
                new_ideas: group(&self.new_ideas),
                moved_on: group(&self.moved_on),
            },
            new_ideas: self.new_ideas,
            moved_on: self.moved_on,
            implemented: self.implemented,
        }
    }
}

impl Digest {
    /// Adds `n` cases that were open on the last day of the period but could not appear
    /// in the digest (and so were not given to [`compute`]).
    pub fn count_open_elsewhere(mut self, n: usize) -> Digest {
        self.figures.open += n;
        self
    }
}

/// `items` by unit, capped (see [`Grouped`]). Units with more ideas come first, then by
/// name; within a unit, ideas stay in date order.
fn group(items: &[Item]) -> Grouped {
    let mut by_unit: BTreeMap<&str, Vec<&Item>> = BTreeMap::new();
    for i in items {
        by_unit.entry(i.unit.as_str()).or_default().push(i);
    }
    let mut units: Vec<(&str, Vec<&Item>)> = by_unit.into_iter().collect();
    units.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let mut room = PER_SECTION;
    let mut out = Grouped {
        units: Vec::new(),
        more: 0,
        more_units: 0,
    };
    for (unit, list) in units {
        let take = list.len().min(PER_UNIT).min(room);
        if take == 0 {
            out.more += list.len();
            out.more_units += 1;
            continue;
        }
        room -= take;
        out.units.push(UnitGroup {
            unit: unit.to_string(),
            total: list.len(),
            shown: list[..take].iter().map(|i| i.id.clone()).collect(),
            more: list.len() - take,
        });
    }
    out
}

/// What the newsletter says around its news (see `[digest]` in sluss.toml): each text
/// `None` takes the catalogue's default; `contact` `Some("")` leaves the line out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Words {
    pub intro: Option<String>,
    pub closing: Option<String>,
    pub contact: Option<String>,
}

/// The paragraphs of a text: blocks separated by blank lines, each on one line.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(&one_line(line));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The words of a template file: the text before a line `{news}` is the introduction,
/// the text after it the closing (which then holds the contact line too). Without
/// such a line the whole text is the introduction.
pub fn words_from_template(text: &str) -> Words {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut before = String::new();
    let mut after: Option<String> = None;
    for line in text.lines() {
        match after.as_mut() {
            Some(a) => {
                a.push_str(line);
                a.push('\n');
            }
            None if line.trim() == "{news}" => after = Some(String::new()),
            None => {
                before.push_str(line);
                before.push('\n');
            }
        }
    }
    Words {
        intro: Some(before),
        closing: after,
        contact: Some(String::new()),
    }
}

/// The digest as a document, in `lang`; `today` is the day it was made.
pub fn document(d: &Digest, words: &Words, lang: Lang, today: NaiveDate) -> Document {
    let t = |key: &str| lang.text(&format!("digest.{key}"));
    let period = lang.period(d.since, d.until);
    let fill = |text: &str| text.replace("{name}", &d.name).replace("{period}", &period);
    let mut doc = Document::new(lang, t("title")).subtitle(format!("{} · {period}", d.name));
    let own_or = |own: &Option<String>, key: &str| match own {
        Some(text) => paragraphs(&fill(text)),
        None => vec![fill(t(key))],
    };
    for p in own_or(&words.intro, "intro") {
        doc.paragraph(p);
    }

    doc.heading(t("implemented"));
    if d.implemented.is_empty() {
        doc.paragraph(t("none_implemented"));
    } else {
        let labels = labels(&d.implemented, lang);
        let items = d
            .implemented
            .iter()
            .zip(labels)
            .map(|(i, title)| crate::document::Item {
                title,
                detail: Some(match &i.result {
                    Some(r) => format!("{r} {}", origin(i, lang)),
                    None => origin(i, lang),
                }),
            })
            .collect();
        doc.push(Block::Items(items));
    }

    doc.heading(t("in_numbers"));
    // "1 new idea", "2 new ideas".
    let figure = |key: &str, n: usize, note: Option<String>| KeyFigure {
        label: if n == 1 {
            t(&format!("{key}_one")).to_string()
        } else {
            t(key).to_string()
        },
        value: Cell::from(n),
        note,
    };
    doc.push(Block::KeyFigures(vec![
        figure("figure_new", d.figures.new_ideas, None),
        figure("figure_moved_on", d.figures.moved_on, None),
        figure("figure_implemented", d.figures.implemented, None),
        figure(
            "figure_open",
            d.figures.open,
            Some(lang.format("digest.open_on", &[("date", &lang.long_date(d.until))])),
        ),
    ]));

    section(&mut doc, &d.new_ideas, &d.groups.new_ideas, false, lang);
    section(&mut doc, &d.moved_on, &d.groups.moved_on, true, lang);

    for p in own_or(&words.closing, "closing") {
        doc.paragraph(p);
    }
    for p in own_or(&words.contact, "contact") {
        doc.paragraph(p);
    }
    doc.push(Block::Colophon(Colophon {
        period: Some(period),
        generated: today,
        version: env!("CARGO_PKG_VERSION").to_string(),
    }));
    doc
}

/// A section of new ideas (or of ideas that moved on) by unit, with what was left out.
fn section(doc: &mut Document, items: &[Item], grouped: &Grouped, moved: bool, lang: Lang) {
    let t = |key: &str| lang.text(&format!("digest.{key}"));
    doc.heading(t(if moved { "moved_on" } else { "new_ideas" }));
    if items.is_empty() {
        doc.paragraph(t("none"));
        return;
    }
    let labels: BTreeMap<&str, String> = items
        .iter()
        .map(|i| i.id.as_str())
        .zip(labels(items, lang))
        .collect();
    let by_id: BTreeMap<&str, &Item> = items.iter().map(|i| (i.id.as_str(), i)).collect();
    for g in &grouped.units {
        let unit = if g.unit.trim().is_empty() {
            t("no_unit").to_string()
        } else {
            g.unit.clone()
        };
        doc.paragraph(format!("{unit} ({})", lang.integer(g.total as i64)));
        let list = g
            .shown
            .iter()
            .filter_map(|id| by_id.get(id.as_str()))
            .map(|i| {
                let mut detail = if moved {
                    lang.format(
                        "digest.moved_detail",
                        &[("origin", &origin(i, lang)), ("stage", &i.stage)],
                    )
                } else {
                    origin(i, lang)
                };
                if !i.summary.is_empty() {
                    detail.push(' ');
                    detail.push_str(&i.summary);
                }
                crate::document::Item {
                    title: labels[i.id.as_str()].clone(),
                    detail: Some(detail),
                }
            })
            .collect();
        doc.push(Block::Items(list));
        if g.more > 0 {
            doc.push(Block::Notes(vec![lang.format(
                "digest.more_in_unit",
                &[("n", &lang.integer(g.more as i64)), ("unit", &unit)],
            )]));
        }
    }
    if grouped.more > 0 {
        let key = if grouped.more_units == 1 {
            "digest.more_elsewhere_one"
        } else {
            "digest.more_elsewhere"
        };
        doc.push(Block::Notes(vec![lang.format(
            key,
            &[
                ("n", &lang.integer(grouped.more as i64)),
                ("units", &lang.integer(grouped.more_units as i64)),
            ],
        )]));
    }
}

/// "Idea from Anna Berg, Vård och omsorg." or, without consent, "Idea from Vård och
/// omsorg."
fn origin(item: &Item, lang: Lang) -> String {
    let unit = if item.unit.trim().is_empty() {
        lang.text("digest.no_unit").to_string()
    } else {
        item.unit.clone()
    };
    match &item.submitter {
        Some(name) => lang.format("digest.from_named", &[("name", name), ("unit", &unit)]),
        None => lang.format("digest.from_unit", &[("unit", &unit)]),
    }
}

/// The titles of `items` as listed: a title that two of them share gets its day
/// ("3 maj 2020"), or its id when they share the day too.
fn labels(items: &[Item], lang: Lang) -> Vec<String> {
    let key = |i: &Item| one_line(&i.title).to_lowercase();
    let mut by_title: BTreeMap<String, Vec<&Item>> = BTreeMap::new();
    for i in items {
        by_title.entry(key(i)).or_default().push(i);
    }
    items
        .iter()
        .map(|i| {
            let same = &by_title[&key(i)];
            if same.len() < 2 {
                i.title.clone()
            } else if same.iter().filter(|o| o.date == i.date).count() == 1 {
                format!("{} ({})", i.title, lang.long_date(i.date))
            } else {
                format!("{} ({})", i.title, i.id)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_splits_at_its_news_line_into_paragraphs() {
        let w =
            words_from_template("\u{feff}Hej {name}!\nRad två.\n\nStycke två.\n {news} \nTack.\n");
        assert_eq!(
            paragraphs(w.intro.as_deref().unwrap()),
            ["Hej {name}! Rad två.", "Stycke två."]
        );
        assert_eq!(paragraphs(w.closing.as_deref().unwrap()), ["Tack."]);
        assert_eq!(w.contact.as_deref(), Some(""));
        let whole = words_from_template("Bara en inledning.");
        assert_eq!(whole.intro.as_deref(), Some("Bara en inledning.\n"));
        assert_eq!(whole.closing, None);
    }

    fn item(id: &str, unit: &str) -> Item {
        Item {
            id: id.to_string(),
            date: NaiveDate::from_ymd_opt(2020, 5, 1).unwrap(),
            title: id.to_string(),
            unit: unit.to_string(),
            submitter: None,
            stage: String::new(),
            summary: String::new(),
            result: None,
        }
    }

    #[test]
    fn groups_put_the_largest_units_first_and_stop_at_the_caps() {
        let mut items: Vec<Item> = (0..7).map(|i| item(&format!("a{i}"), "A")).collect();
        items.extend((0..2).map(|i| item(&format!("b{i}"), "B")));
        items.extend((0..2).map(|i| item(&format!("c{i}"), "C")));
        let g = group(&items);
        let units: Vec<(&str, usize, usize)> = g
            .units
            .iter()
            .map(|u| (u.unit.as_str(), u.shown.len(), u.more))
            .collect();
        assert_eq!(units, [("A", 5, 2), ("B", 2, 0), ("C", 2, 0)]);
        assert_eq!((g.more, g.more_units), (0, 0));
        let many: Vec<Item> = (0..40)
            .map(|i| item(&format!("x{i:02}"), &format!("U{}", i % 8)))
            .collect();
        let g = group(&many);
        assert_eq!(
            g.units.iter().map(|u| u.shown.len()).sum::<usize>(),
            PER_SECTION
        );
        assert_eq!(g.units.len(), 3);
        assert_eq!((g.more, g.more_units), (25, 5));
    }
}
