//! The one presentation model of everything sluss shows: a report, the digest or a
//! listing is built once as a [`Document`], and the writers turn it into a terminal
//! table ([`text`]), Markdown ([`markdown`]) or one self-contained HTML file
//! ([`html`]). JSON stays plain serde of the report values, and CSV stays tidy per
//! report; neither goes through here.
//!
//! A document holds values, not formatted text: numbers, percentages and dates are
//! formatted by the writer in the document's language ([`Lang`]), so a Swedish report
//! has decimal commas everywhere without each report knowing it. Writers never look at
//! the terminal: the width is passed in ([`Options::width`]), and `None` means "do not
//! fit" (piped output and files written with `-o`).

pub mod html;
pub mod markdown;
pub mod svg;
pub mod text;

use chrono::NaiveDate;
use serde::Serialize;

pub use crate::i18n::Lang;

/// A report, a digest or a listing, ready for any writer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// The language every writer formats numbers, dates and fixed texts in.
    pub lang: Lang,
    pub title: String,
    /// A line under the title: the portfolio's name, the period.
    pub subtitle: Option<String>,
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn new(lang: Lang, title: impl Into<String>) -> Document {
        Document {
            lang,
            title: title.into(),
            subtitle: None,
            blocks: Vec::new(),
        }
    }

    pub fn subtitle(mut self, text: impl Into<String>) -> Document {
        self.subtitle = Some(text.into());
        self
    }

    pub fn push(&mut self, block: impl Into<Block>) -> &mut Document {
        self.blocks.push(block.into());
        self
    }

    pub fn heading(&mut self, text: impl Into<String>) -> &mut Document {
        self.push(Block::Heading(text.into()))
    }

    pub fn paragraph(&mut self, text: impl Into<String>) -> &mut Document {
        self.push(Block::Paragraph(text.into()))
    }

    /// The document with the marker that published output leaves where it took a name
    /// out (`[removed]`, as the files keep it) in the document's language
    /// (`[borttaget]`). Every writer shows a document through here.
    pub fn localised(&self) -> std::borrow::Cow<'_, Document> {
        let marker = self.lang.text("common.removed");
        if marker == crate::privacy::REMOVED {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut doc = self.clone();
        doc.each_text(&mut |text| {
            if text.contains(crate::privacy::REMOVED) {
                *text = text.replace(crate::privacy::REMOVED, marker);
            }
        });
        std::borrow::Cow::Owned(doc)
    }

    /// Calls `f` on every text the document shows.
    fn each_text(&mut self, f: &mut impl FnMut(&mut String)) {
        fn cell(c: &mut Cell, f: &mut impl FnMut(&mut String)) {
            if let Cell::Text(t) = c {
                f(t);
            }
        }
        fn table(t: &mut Table, f: &mut impl FnMut(&mut String)) {
            f(&mut t.caption);
            t.columns.iter_mut().for_each(|c| f(&mut c.label));
            for row in t.rows.iter_mut().chain(t.total.as_mut()) {
                row.iter_mut().for_each(|c| cell(c, f));
            }
            t.note.iter_mut().for_each(&mut *f);
        }
        f(&mut self.title);
        self.subtitle.iter_mut().for_each(&mut *f);
        for block in &mut self.blocks {
            match block {
                Block::Heading(t) | Block::Paragraph(t) => f(t),
                Block::KeyFigures(figures) => {
                    for k in figures {
                        f(&mut k.label);
                        cell(&mut k.value, f);
                        k.note.iter_mut().for_each(&mut *f);
                    }
                }
                Block::Table(t) => table(t, f),
                Block::Chart(c) => {
                    f(&mut c.title);
                    f(&mut c.unit);
                    c.categories.iter_mut().for_each(&mut *f);
                    c.series.iter_mut().for_each(|s| f(&mut s.name));
                    c.table.iter_mut().for_each(|t| table(t, f));
                }
                Block::Items(items) => {
                    for i in items {
                        f(&mut i.title);
                        i.detail.iter_mut().for_each(&mut *f);
                    }
                }
                Block::Notes(notes) => notes.iter_mut().for_each(&mut *f),
                Block::Definitions(defs) => {
                    for d in defs {
                        f(&mut d.term);
                        f(&mut d.meaning);
                    }
                }
                Block::Colophon(c) => c.period.iter_mut().for_each(&mut *f),
            }
        }
    }

    /// Every table of the document, charts' tables included, in order (for tests and
    /// for CSV writers that want the same rows).
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Chart(c) => c.table.as_ref(),
            _ => None,
        })
    }
}

/// One part of a document, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A section heading (the title is the document's only first-level heading).
    Heading(String),
    /// Running text.
    Paragraph(String),
    /// A few headline numbers, shown large in HTML and as `label: value` lines elsewhere.
    KeyFigures(Vec<KeyFigure>),
    Table(Table),
    Chart(Chart),
    /// A bulleted list of items, each with an optional line of detail (the digest's
    /// ideas, a case's history).
    Items(Vec<Item>),
    /// Remarks in small print: what was left out, and why.
    Notes(Vec<String>),
    /// What the report's words mean (stale, conversion, lead time, which hours count).
    Definitions(Vec<Definition>),
    /// The colophon that ends every report: period, generation date, sluss version.
    Colophon(Colophon),
}

impl Block {
    /// Whether the block would show nothing (no figures, items, notes or definitions),
    /// so that a writer leaves no empty list or stray heading for it.
    pub fn is_empty(&self) -> bool {
        match self {
            Block::KeyFigures(v) => v.is_empty(),
            Block::Items(v) => v.is_empty(),
            Block::Notes(v) => v.is_empty(),
            Block::Definitions(v) => v.is_empty(),
            _ => false,
        }
    }
}

impl From<Table> for Block {
    fn from(t: Table) -> Block {
        Block::Table(t)
    }
}

impl From<Chart> for Block {
    fn from(c: Chart) -> Block {
        Block::Chart(c)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyFigure {
    pub label: String,
    pub value: Cell,
    /// A short qualifier under the value ("of 172 cases", "all time").
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub title: String,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Definition {
    pub term: String,
    pub meaning: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Colophon {
    /// The period the report covers, as people read it ("april–juni 2020").
    pub period: Option<String>,
    /// The day the report was made (the command's "today": `SLUSS_NOW` in tests).
    pub generated: NaiveDate,
    pub version: String,
}

impl Colophon {
    /// "Made 1 July 2020 by sluss 0.9.0", in `lang`.
    pub fn made_by(&self, lang: Lang) -> String {
        lang.format(
            "common.made_by",
            &[
                ("date", &lang.long_date(self.generated)),
                ("version", &self.version),
            ],
        )
    }
}

/// What a column holds, which decides its alignment, how it is cut to fit a terminal,
/// and how its cells are formatted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// A case id or a key: never split, never cut.
    Id,
    /// Free text: cut with "…" at a word boundary when the terminal is too narrow.
    Text,
    /// Right-aligned.
    Number,
    /// Right-aligned, with a percent sign.
    Percent,
    Date,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    pub label: String,
    pub kind: ColumnKind,
}

impl Column {
    pub fn new(label: impl Into<String>, kind: ColumnKind) -> Column {
        Column {
            label: label.into(),
            kind,
        }
    }
}

/// One value of a table or a key figure. The writer formats it in the document's
/// language.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A number shown with `decimals` decimals (hours: 1).
    Decimal {
        value: f64,
        decimals: u8,
    },
    /// A share from 0 to 100, shown with one decimal and a percent sign.
    Percent(f64),
    Date(NaiveDate),
    /// No value: shown as "–".
    Missing,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Cell {
        Cell::Int(n as i64)
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Cell {
        Cell::Int(n as i64)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Int(n)
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Cell {
        Cell::Date(d)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map_or(Cell::Missing, Into::into)
    }
}

impl Cell {
    /// Hours from minutes, with one decimal (435 minutes is 7.3 hours; half rounds up).
    pub fn hours(minutes: u64) -> Cell {
        Cell::Decimal {
            value: ((minutes + 3) / 6) as f64 / 10.0,
            decimals: 1,
        }
    }

    /// The cell as text in `lang`.
    pub fn format(&self, lang: Lang) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => lang.integer(*n),
            Cell::Decimal { value, decimals } => lang.decimal(*value, usize::from(*decimals)),
            Cell::Percent(p) => lang.percent(*p),
            Cell::Date(d) => lang.short_date(*d),
            Cell::Missing => "–".to_string(),
        }
    }
}

/// A table: a caption (for HTML's `<caption>` and screen readers), typed columns, rows
/// and an optional totals row. With `row_headers`, the first column heads its row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub caption: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    pub total: Option<Vec<Cell>>,
    pub row_headers: bool,
    /// Said under the table: why a total is not the sum of its rows, what a dash means.
    pub note: Option<String>,
    /// A table of fields (a label and its value per row) whose header the terminal need
    /// not show; Markdown and HTML keep it, for screen readers.
    pub fields: bool,
}

impl Table {
    pub fn new(caption: impl Into<String>, columns: Vec<Column>) -> Table {
        Table {
            caption: caption.into(),
            columns,
            rows: Vec::new(),
            total: None,
            row_headers: false,
            note: None,
            fields: false,
        }
    }

    pub fn row(&mut self, cells: Vec<Cell>) -> &mut Table {
        debug_assert_eq!(
            cells.len(),
            self.columns.len(),
            "a row has a cell per column"
        );
        self.rows.push(cells);
        self
    }
}

/// How a chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Horizontal bars, one per category (a funnel, cases per stage).
    Bars,
    /// One line per series over the categories (periods, years), with markers.
    Lines,
    /// Vertical bars per category, the series stacked.
    Stacked,
}

/// A chart, always with its data as a table beside it (for screen readers, print and
/// the terminal, which shows the table only).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    pub kind: ChartKind,
    pub title: String,
    /// What the values count, named on the axis ("cases", "hours", "level 1–5").
    pub unit: String,
    /// The categories along the axis (stages, periods, years).
    pub categories: Vec<String>,
    /// Each series' name and its value per category (`None`: no value there).
    pub series: Vec<Series>,
    /// The same data as a table.
    pub table: Option<Table>,
}

impl Chart {
    /// The chart's data as a table: [`Chart::table`] when the report gave one, else a
    /// table made of the categories (row headers) and a number column per series, with
    /// the chart's title as its caption.
    pub fn data_table(&self) -> Table {
        if let Some(t) = &self.table {
            let mut t = t.clone();
            if t.caption.is_empty() {
                t.caption = self.title.clone();
            }
            return t;
        }
        let mut columns = vec![Column::new("", ColumnKind::Text)];
        columns.extend(
            self.series
                .iter()
                .map(|s| Column::new(s.name.clone(), ColumnKind::Number)),
        );
        let mut t = Table::new(self.title.clone(), columns);
        t.row_headers = true;
        // As many decimals as the values have, up to two.
        let decimals = (0..=2u8)
            .find(|d| {
                let scale = 10f64.powi(i32::from(*d));
                self.series
                    .iter()
                    .flat_map(|s| s.values.iter().flatten())
                    .all(|v| ((v * scale).round() - v * scale).abs() < 1e-6)
            })
            .unwrap_or(2);
        for (i, category) in self.categories.iter().enumerate() {
            let mut row = vec![Cell::Text(category.clone())];
            row.extend(
                self.series
                    .iter()
                    .map(|s| match s.values.get(i).copied().flatten() {
                        Some(v) if v.is_finite() && decimals == 0 => Cell::Int(v.round() as i64),
                        Some(v) if v.is_finite() => Cell::Decimal { value: v, decimals },
                        _ => Cell::Missing,
                    }),
            );
            t.rows.push(row);
        }
        t
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// Also what fixes the series' colour and marker, so that a unit keeps its colour
    /// when another unit is added.
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// How a writer should lay a document out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// The terminal's width in columns when output goes to one; `None` (a pipe, a file)
    /// means that nothing is cut or wrapped.
    pub width: Option<usize>,
}

/// `doc` written in `format` (table, Markdown or HTML).
pub fn render(doc: &Document, format: crate::output::Format, options: Options) -> String {
    use crate::output::Format;
    match format {
        Format::Markdown => markdown::write(doc),
        Format::Html => html::write(doc),
        _ => text::write(doc, options),
    }
}

#[cfg(test)]
mod tests;
