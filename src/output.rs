//! Writing to the terminal: output formats, and a closed pipe that is not an error.

use std::io::{self, IsTerminal, Write};

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
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => other,
    }
}

/// Pretty JSON with a final newline.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("report values serialise");
    s.push('\n');
    s
}

/// Whether output goes to a person at a terminal.
pub fn is_terminal() -> bool {
    io::stdout().is_terminal()
}

/// Columns apart, one rule under the header: quiet enough to read many rows.
const STYLE: comfy_table::TableStyle = comfy_table::TableStyle::new()
    .header_separator(comfy_table::LineStyle::none().fill('─').junction('─'));

/// A table styled for the terminal: sized to it when there is one, plain otherwise.
pub fn table(header: &[&str]) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_style(STYLE);
    t.set_header(header.iter().copied());
    if is_terminal() {
        t.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    } else {
        t.force_no_tty();
    }
    t
}

/// A table's text without the padding comfy-table leaves at the ends of lines, so that
/// output pasted into a document or compared in a test has no trailing blanks.
pub fn show(t: &comfy_table::Table) -> String {
    t.lines()
        .map(|l| l.trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Shortens text for a table cell, on a character boundary.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
