//! The board: the open cases of the portfolio as a kanban board, one column a stage,
//! each card a short id and a title, its age (idle days) told by colour. Computed once
//! ([`Board`], which is also the JSON), then laid out for the terminal ([`text`], fitted
//! to a width, painted afterwards) or built as a [`Document`] for Markdown and HTML.

use chrono::NaiveDate;
use serde::Serialize;

use crate::document::text::{cut, display_width};
use crate::document::{Cell, Column as DocColumn, ColumnKind, Document, Table};
use crate::domain::{Config, Stage, Status};
use crate::i18n::Lang;
use crate::output::color::{Paint, Painted};
use crate::report::escape::one_line;

/// The fewest characters of an id a card shows, however few would tell it apart.
pub const MIN_SHORT_ID: usize = 4;

/// The board as of a day.
#[derive(Debug, Clone, Serialize)]
pub struct Board {
    /// The day idle days are counted to.
    pub as_of: NaiveDate,
    pub stale_after_days: u32,
    /// Whether parked cases are on the board (`--parked`) beside the open ones.
    pub parked: bool,
    /// The stages shown, in pipeline order, each with its cards (a stage without
    /// cards is folded on the terminal).
    pub stages: Vec<Column>,
}

/// A stage of the board.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub key: String,
    pub name: String,
    /// How many cases the board shows in the stage (after the filters).
    pub count: usize,
    /// How many open cases the stage holds, whatever the filters: what its WIP limit
    /// is counted against.
    pub open: usize,
    /// The stage's WIP limit (`wip` in sluss.toml), if it has one.
    pub wip: Option<u32>,
    /// Whether `open` is over `wip`.
    pub over: bool,
    /// Its cases, those waiting longest first.
    pub cards: Vec<Card>,
}

/// A case on the board.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub id: String,
    /// The first characters of the id, enough to tell it from every other case's.
    pub short_id: String,
    pub title: String,
    pub status: Status,
    pub coach: Option<String>,
    pub days_idle: i64,
    pub age: Age,
}

/// How long a case has waited, by `stale_after_days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Age {
    /// Idle for at most half of `stale_after_days`.
    Fresh,
    /// Idle for more than half of it: getting old.
    Aging,
    /// Open and idle for more than `stale_after_days` (the spec's staleness).
    Stale,
}

impl Age {
    pub fn of(status: Status, days_idle: i64, stale_after_days: u32) -> Age {
        let limit = i64::from(stale_after_days);
        if days_idle > limit && status == Status::Open {
            Age::Stale
        } else if days_idle * 2 > limit {
            Age::Aging
        } else {
            Age::Fresh
        }
    }

    fn paint(self) -> Option<Paint> {
        match self {
            Age::Fresh => None,
            Age::Aging => Some(Paint::Aging),
            Age::Stale => Some(Paint::Stale),
        }
    }
}

impl Card {
    /// A card for a case in `status`, idle `days_idle` days; its short id is set by
    /// [`Board::new`].
    pub fn new(
        id: &str,
        title: &str,
        status: Status,
        coach: Option<String>,
        days_idle: i64,
        stale_after_days: u32,
    ) -> Card {
        Card {
            id: id.to_string(),
            short_id: id.to_string(),
            title: title.to_string(),
            status,
            coach,
            days_idle,
            age: Age::of(status, days_idle, stale_after_days),
        }
    }
}

impl Card {
    /// Parked cases are quiet; open ones show their age.
    fn paint(&self) -> Option<Paint> {
        if self.status == Status::Parked {
            Some(Paint::Dim)
        } else {
            self.age.paint()
        }
    }
}

impl Board {
    /// The names of the stages with no card on the board, which every form of it
    /// folds into one line.
    pub fn folded(&self) -> Vec<&str> {
        self.stages
            .iter()
            .filter(|c| c.count == 0)
            .map(|c| c.name.as_str())
            .collect()
    }

    /// The board of `stages` holding `cards` (each with its stage key). `all_ids` are
    /// the ids of every case of the portfolio, which the short ids must tell apart;
    /// `open` counts each stage's open cases (by key) whatever the filters, for the
    /// WIP limits.
    pub fn new(
        config: &Config,
        as_of: NaiveDate,
        parked: bool,
        stages: &[&Stage],
        cards: Vec<(String, Card)>,
        all_ids: &[String],
        open: &std::collections::BTreeMap<String, usize>,
    ) -> Board {
        let len = short_id_len(all_ids);
        let mut columns: Vec<Column> = stages
            .iter()
            .map(|s| Column {
                key: s.key.clone(),
                name: s.name.clone(),
                count: 0,
                open: open.get(&s.key).copied().unwrap_or(0),
                wip: s.wip,
                over: false,
                cards: Vec::new(),
            })
            .collect();
        for (stage, mut card) in cards {
            if let Some(column) = columns.iter_mut().find(|c| c.key == stage) {
                card.short_id = card.id.chars().take(len).collect();
                column.cards.push(card);
            }
        }
        for column in &mut columns {
            column
                .cards
                .sort_by(|a, b| (b.days_idle, &a.id).cmp(&(a.days_idle, &b.id)));
            column.count = column.cards.len();
            column.over = column.wip.is_some_and(|w| column.open > w as usize);
        }
        Board {
            as_of,
            stale_after_days: config.stale_after_days,
            parked,
            stages: columns,
        }
    }

    /// How many cases are on the board.
    pub fn count(&self) -> usize {
        self.stages.iter().map(|c| c.count).sum()
    }
}

/// How many characters of an id tell every id of `ids` apart (case aside), at least
/// [`MIN_SHORT_ID`]: one length for the whole board, so that its ids line up.
pub fn short_id_len(ids: &[String]) -> usize {
    let mut sorted: Vec<String> = ids.iter().map(|i| i.to_ascii_lowercase()).collect();
    sorted.sort();
    let common = |a: &str, b: &str| a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    sorted
        .windows(2)
        .map(|w| common(&w[0], &w[1]) + 1)
        .fold(MIN_SHORT_ID, usize::max)
}

/// The board does not fit the width: its columns need `needed` terminal columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooNarrow {
    pub needed: usize,
    pub width: usize,
    pub columns: usize,
}

/// Blanks between two columns.
const GAP: usize = 2;
/// The widest a column grows when there is room.
const MAX_COLUMN: usize = 32;

/// The board for the terminal, fitted to `width` columns when given (else each column
/// at its natural width, up to 32 columns): a header per stage holding cases (name,
/// count, WIP limit, "!" when over it), a rule, then two lines a card (short id and idle
/// days; the title cut at a word boundary), then a line naming the stages with nothing
/// on them, and the count. Stale and over-limit are painted; the layout is by the plain
/// text. Too narrow even for the least width of each column: [`TooNarrow`].
pub fn text(board: &Board, lang: Lang, width: Option<usize>) -> Result<Painted, TooNarrow> {
    let shown: Vec<&Column> = board.stages.iter().filter(|c| c.count > 0).collect();
    let folded = board.folded();
    let mut out = Painted::new();
    if !shown.is_empty() {
        let (widths, short) = fit(&shown, width, lang)?;
        lay_out(&mut out, &shown, &widths, lang, short);
    }
    if !folded.is_empty() {
        let text = lang.format("board.folded", &[("stages", &folded.join(", "))]);
        out.push(wrap(&text, width), Some(Paint::Dim)).plain("\n");
    }
    let count = lang.format(
        if board.parked {
            "board.count_parked"
        } else {
            "board.count"
        },
        &[
            ("n", &lang.integer(board.count() as i64)),
            ("date", &board.as_of.to_string()),
        ],
    );
    out.plain(wrap(&count, width)).plain("\n");
    Ok(out)
}

/// A column's count: the cases shown, and against a WIP limit the stage's open cases,
/// whatever the filters: "9/8" when they are the cases shown, else "2 (9/8)".
fn count_text(column: &Column) -> String {
    match column.wip {
        Some(w) if column.count == column.open => format!("{}/{w}", column.open),
        Some(w) => format!("{} ({}/{w})", column.count, column.open),
        None => column.count.to_string(),
    }
}

/// The header of a column: "Testa 9/8 !" (name, count, WIP limit, "!" when over).
fn header(column: &Column) -> (String, String) {
    let count = count_text(column);
    let count = if column.over {
        format!("{count} !")
    } else {
        count
    };
    (one_line(&column.name).into_owned(), count)
}

/// The mark of a parked card beside its short id, plain, so that it tells without
/// colour.
const PARKED: &str = "‖";

/// A card's short id, marked when the case is parked: "n7e5 ‖".
fn id_text(card: &Card) -> String {
    if card.status == Status::Parked {
        format!("{} {PARKED}", card.short_id)
    } else {
        card.short_id.clone()
    }
}

/// Idle days as a card shows them: "454d"; `short` (when the board would not fit
/// otherwise), from a thousand days on whole years, "2y" ("2å" in Swedish), so that
/// the cards of an old portfolio stay narrow.
pub fn idle_text(days: i64, lang: Lang, short: bool) -> String {
    if days < 1000 || !short {
        lang.format("board.days", &[("n", &days.to_string())])
    } else {
        lang.format("board.years", &[("n", &(days / 365).to_string())])
    }
}

/// A card's first line: its short id and, when there is room, its idle days at the
/// right.
fn id_line(card: &Card, width: usize, lang: Lang, short: bool) -> String {
    let id = id_text(card);
    let days = idle_text(card.days_idle, lang, short);
    let used = display_width(&id) + 1 + display_width(&days);
    if used <= width {
        format!("{id}{}{days}", " ".repeat(width - used + 1))
    } else {
        id
    }
}

/// The width of each column: its natural width (up to [`MAX_COLUMN`]) when all fit,
/// else the room shared out, a narrow column keeping what it needs and the others
/// sharing the rest; none below the least a card needs (its short id and idle days).
/// When that is too wide, idle times of a thousand days or more are written in years;
/// when even that is, the idle days give way (the colour still tells a card's age) and
/// each column keeps only its short ids and its count. Also says whether idle times
/// are written short.
fn fit(
    shown: &[&Column],
    width: Option<usize>,
    lang: Lang,
) -> Result<(Vec<usize>, bool), TooNarrow> {
    let days = |short: bool| {
        move |c: &Column| {
            c.cards
                .iter()
                .map(|card| {
                    display_width(&id_text(card))
                        + 1
                        + display_width(&idle_text(card.days_idle, lang, short))
                })
                .chain([display_width(&header(c).1), 6])
                .max()
                .unwrap_or(6)
        }
    };
    let full_days = days(false);
    let short_days = days(true);
    let without_days = |c: &Column| {
        c.cards
            .iter()
            .map(|card| display_width(&id_text(card)))
            .chain([display_width(&header(c).1), MIN_SHORT_ID])
            .max()
            .unwrap_or(MIN_SHORT_ID)
    };
    let gaps = GAP * shown.len().saturating_sub(1);
    let sum =
        |least: &dyn Fn(&Column) -> usize| shown.iter().map(|c| least(c)).sum::<usize>() + gaps;
    let (least, short): (&dyn Fn(&Column) -> usize, bool) = match width {
        Some(width) if sum(&full_days) <= width => (&full_days, false),
        Some(width) if sum(&short_days) <= width => (&short_days, true),
        Some(_) => (&without_days, true),
        None => (&full_days, false),
    };
    let natural: Vec<usize> = shown
        .iter()
        .map(|c| {
            let (name, count) = header(c);
            c.cards
                .iter()
                .map(|card| display_width(&one_line(&card.title)))
                .chain([display_width(&name) + 1 + display_width(&count)])
                .max()
                .unwrap_or(0)
                .clamp(least(c), MAX_COLUMN.max(least(c)))
        })
        .collect();
    let Some(width) = width else {
        return Ok((natural, short));
    };
    let needed = sum(least);
    if needed > width {
        return Err(TooNarrow {
            needed,
            width,
            columns: shown.len(),
        });
    }
    // Water-filling: the narrowest natural widths are granted first; the columns left
    // share what remains equally.
    let mut room = width - gaps;
    let mut order: Vec<usize> = (0..shown.len()).collect();
    order.sort_by_key(|&i| natural[i]);
    let mut widths = vec![0; shown.len()];
    for (k, &i) in order.iter().enumerate() {
        let share = room / (order.len() - k);
        widths[i] = natural[i].min(share).max(least(shown[i]));
        room = room.saturating_sub(widths[i]);
    }
    Ok((widths, short))
}

fn lay_out(out: &mut Painted, shown: &[&Column], widths: &[usize], lang: Lang, short: bool) {
    let headers: Vec<(String, String)> = shown.iter().map(|c| header(c)).collect();
    let one_line_headers = headers
        .iter()
        .zip(widths)
        .all(|((name, count), &w)| display_width(name) + 1 + display_width(count) <= w);
    let paint_of = |c: &Column| {
        if c.over {
            Some(Paint::Over)
        } else {
            Some(Paint::Heading)
        }
    };
    let mut header_rows: Vec<Vec<(String, Option<Paint>)>> = Vec::new();
    if one_line_headers {
        header_rows.push(
            shown
                .iter()
                .zip(&headers)
                .map(|(c, (name, count))| (format!("{name} {count}"), paint_of(c)))
                .collect(),
        );
    } else {
        header_rows.push(
            shown
                .iter()
                .zip(&headers)
                .zip(widths)
                .map(|((c, (name, _)), &w)| (cut(name, w), paint_of(c)))
                .collect(),
        );
        header_rows.push(
            shown
                .iter()
                .zip(&headers)
                .map(|(c, (_, count))| (count.clone(), paint_of(c)))
                .collect(),
        );
    }
    header_rows.push(widths.iter().map(|&w| ("─".repeat(w), None)).collect());
    let depth = shown.iter().map(|c| c.cards.len()).max().unwrap_or(0);
    let mut rows = header_rows;
    for i in 0..depth {
        for line in 0..2 {
            rows.push(
                shown
                    .iter()
                    .zip(widths)
                    .map(|(c, &w)| match c.cards.get(i) {
                        Some(card) if line == 0 => (id_line(card, w, lang, short), card.paint()),
                        Some(card) => (cut(&one_line(&card.title), w), card.paint()),
                        None => (String::new(), None),
                    })
                    .collect(),
            );
        }
    }
    for row in rows {
        push_row(out, &row, widths);
    }
}

/// One line of the board: each cell padded to its column, the line's end trimmed.
fn push_row(out: &mut Painted, cells: &[(String, Option<Paint>)], widths: &[usize]) {
    let last = cells.iter().rposition(|(t, _)| !t.is_empty()).unwrap_or(0);
    for (i, ((text, paint), &w)) in cells.iter().zip(widths).enumerate().take(last + 1) {
        if i > 0 {
            out.plain(" ".repeat(GAP));
        }
        out.push(text.clone(), *paint);
        if i < last {
            out.plain(" ".repeat(w.saturating_sub(display_width(text))));
        }
    }
    out.plain("\n");
}

/// `text` wrapped at word boundaries to `width` (as it is without one).
fn wrap(text: &str, width: Option<usize>) -> String {
    let Some(width) = width else {
        return text.to_string();
    };
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().expect("a line");
        if !line.is_empty() && display_width(line) + 1 + display_width(word) > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines.join("\n")
}

/// The board as a document, for Markdown and HTML: a table per stage holding cases
/// (its caption the header the terminal shows), the stages with nothing on them, the
/// count.
pub fn document(board: &Board, lang: Lang) -> Document {
    let label = |key: &str| lang.text(&format!("board.{key}")).to_string();
    let mut doc = Document::new(lang, label("title"))
        .subtitle(lang.format("board.as_of", &[("date", &lang.long_date(board.as_of))]));
    for column in board.stages.iter().filter(|c| c.count > 0) {
        let (name, count) = header(column);
        let caption = if column.over {
            let count = count_text(column);
            lang.format("board.caption_over", &[("name", &name), ("count", &count)])
        } else {
            format!("{name} {count}")
        };
        let mut table = Table::new(
            caption,
            vec![
                DocColumn::new(label("id"), ColumnKind::Id),
                DocColumn::new(label("case"), ColumnKind::Text),
                DocColumn::new(label("idle"), ColumnKind::Number),
                DocColumn::new(label("age"), ColumnKind::Text),
            ],
        );
        for card in &column.cards {
            table.row(vec![
                Cell::Text(card.short_id.clone()),
                Cell::Text(card.title.clone()),
                Cell::Int(card.days_idle),
                Cell::Text(if card.status == Status::Parked {
                    lang.text("status.parked").to_string()
                } else {
                    label(match card.age {
                        Age::Fresh => "fresh",
                        Age::Aging => "aging",
                        Age::Stale => "stale",
                    })
                }),
            ]);
        }
        doc.push(table);
    }
    let folded = board.folded();
    if !folded.is_empty() {
        doc.paragraph(lang.format("board.folded", &[("stages", &folded.join(", "))]));
    }
    doc.paragraph(lang.format(
        if board.parked {
            "board.count_parked"
        } else {
            "board.count"
        },
        &[
            ("n", &lang.integer(board.count() as i64)),
            ("date", &lang.long_date(board.as_of)),
        ],
    ));
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_tell_every_id_apart_and_have_at_least_four_characters() {
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(short_id_len(&ids(&["abcdef", "xyz"])), 4);
        assert_eq!(short_id_len(&ids(&["abcdef", "abcdxy"])), 5);
        assert_eq!(short_id_len(&ids(&["ABCDEFG", "abcdefh"])), 7);
        assert_eq!(short_id_len(&[]), 4);
    }

    #[test]
    fn age_follows_stale_after_days() {
        assert_eq!(Age::of(Status::Open, 30, 60), Age::Fresh);
        assert_eq!(Age::of(Status::Open, 31, 60), Age::Aging);
        assert_eq!(Age::of(Status::Open, 61, 60), Age::Stale);
        assert_eq!(Age::of(Status::Parked, 200, 60), Age::Aging);
    }
}
