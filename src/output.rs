//! Writing to the terminal: output formats, and a closed pipe that is not an error.
//!
//! Text from files and people reaches the terminal only through here: [`emit`] and
//! [`eprint()`] show every control character harmlessly ([`escape::terminal`]), table
//! cells and [`truncate`] keep a one-line field on one line ([`escape::one_line`]), and
//! [`json`] writes those characters as JSON escapes, so the values stay exact.

use std::io::{self, IsTerminal, Write};

use crate::report::escape;

/// The output formats a command may offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable table for people.
    Table,
    /// Stable, sorted JSON for scripts.
    Json,
    /// One row per record, for spreadsheets.
    Csv,
    /// A Markdown document, for CI job summaries and wikis.
    Markdown,
    /// One self-contained HTML file.
    Html,
}

impl Format {
    /// The format a file name's extension asks for (`-o report.html`).
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "txt" => Some(Format::Table),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }
}

/// Writes `text` to stdout. A reader that went away (`sluss list | head`) ends the
/// program quietly and successfully, as it does for other command-line tools.
pub fn emit(text: &str) -> io::Result<()> {
    let text = escape::terminal(text);
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => other,
    }
}

/// Writes `text` to stderr (warnings, errors), control characters shown harmlessly.
pub fn eprint(text: &str) {
    let _ = io::stderr()
        .lock()
        .write_all(escape::terminal(text).as_bytes());
}

/// `eprintln!` through [`eprint`]: a warning or note that may quote a file name, a title
/// or a line of a file, with control characters shown harmlessly.
macro_rules! safe_eprintln {
    ($($arg:tt)*) => {
        $crate::output::eprint(&format!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use safe_eprintln;

/// Pretty JSON with a final newline. The control characters serde_json leaves as they
/// are (DEL, C1, bidirectional overrides) are written as `\uXXXX` escapes: the same
/// values to a JSON reader, nothing for a terminal to act on.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    let s = serde_json::to_string_pretty(value).expect("report values serialise");
    let mut out = String::with_capacity(s.len() + 1);
    for c in s.chars() {
        if escape::is_control(c) && !matches!(c, '\n' | ' ') {
            // serde_json escapes C0 inside strings; outside them only a line feed occurs.
            let _ = std::fmt::Write::write_fmt(&mut out, format_args!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    out
}

/// Whether output goes to a person at a terminal.
pub fn is_terminal() -> bool {
    io::stdout().is_terminal()
}

/// Columns apart, one rule under the header: quiet enough to read many rows.
const STYLE: comfy_table::TableStyle = comfy_table::TableStyle::new()
    .header_separator(comfy_table::LineStyle::none().fill('─').junction('─'));

/// A table for the terminal whose every cell is a one-line field: control characters
/// are shown harmlessly and a line break as `⏎`, so no cell can move the cursor or
/// break the rows.
pub struct Table(comfy_table::Table);

impl Table {
    /// Adds a row; each cell is the text of one value.
    pub fn add_row<I>(&mut self, row: I) -> &mut Self
    where
        I: IntoIterator,
        I::Item: std::fmt::Display,
    {
        self.0.add_row(
            row.into_iter()
                .map(|cell| escape::one_line(&cell.to_string()).into_owned()),
        );
        self
    }

    /// Adds a row whose cells each hold lines of their own (a session's notes, then its
    /// next steps): each line is a one-line field, as in [`Table::add_row`].
    pub fn add_row_of_lines(&mut self, row: Vec<Vec<String>>) -> &mut Self {
        self.0.add_row(row.into_iter().map(|lines| {
            lines
                .iter()
                .map(|l| escape::one_line(l).into_owned())
                .collect::<Vec<_>>()
                .join("\n")
        }));
        self
    }
}

/// A table styled for the terminal: sized to it when there is one, plain otherwise.
pub fn table(header: &[&str]) -> Table {
    let mut t = comfy_table::Table::new();
    t.load_style(STYLE);
    t.set_header(header.iter().map(|h| escape::one_line(h).into_owned()));
    if is_terminal() {
        t.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    } else {
        t.force_no_tty();
    }
    Table(t)
}

/// A table's text without the padding comfy-table leaves at the ends of lines, so that
/// output pasted into a document or compared in a test has no trailing blanks.
pub fn show(t: &Table) -> String {
    t.0.lines()
        .map(|l| l.trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Shortens a one-line field for a table cell, on a character boundary, after its
/// control characters are shown as text: so a cut never falls inside an escape sequence.
pub fn truncate(s: &str, max: usize) -> String {
    let s = escape::one_line(s);
    if s.chars().count() <= max {
        s.into_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
