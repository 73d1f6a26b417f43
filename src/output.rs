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
    let mut out = Vec::with_capacity(4096);
    write_json(&mut out, value).expect("report values serialise");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// [`json`], written to `w` as it is made rather than held whole: the same bytes.
pub fn write_json<W: Write, T: serde::Serialize>(w: W, value: &T) -> io::Result<()> {
    let mut controls = JsonControls {
        inner: w,
        carry: Vec::new(),
    };
    // serde_json writes many small pieces; they are escaped in large ones.
    let mut buffered = io::BufWriter::with_capacity(1 << 16, &mut controls);
    serde_json::to_writer_pretty(&mut buffered, value)?;
    buffered.write_all(b"\n")?;
    buffered.flush()?;
    drop(buffered);
    let JsonControls { mut inner, carry } = controls;
    inner.write_all(&carry)?;
    inner.flush()
}

/// Passes JSON on with the control characters serde_json leaves as they are written as
/// `\uXXXX` escapes (see [`json`]). A character cut between two writes waits for its
/// rest.
struct JsonControls<W> {
    inner: W,
    carry: Vec<u8>,
}

impl<W: Write> JsonControls<W> {
    fn pass(&mut self, buf: &[u8]) -> io::Result<()> {
        let mut at = 0;
        let mut i = 0;
        while let Some(found) = buf[i..].iter().position(|&b| escape::may_start_control(b)) {
            i += found;
            // The lead bytes of the controls beyond ASCII: two bytes, or three.
            let len = match buf[i] {
                0xc2 | 0xd8 => 2,
                0xe2 => 3,
                _ => 1,
            };
            if i + len > buf.len() {
                self.inner.write_all(&buf[at..i])?;
                self.carry.extend_from_slice(&buf[i..]);
                return Ok(());
            }
            let c = std::str::from_utf8(&buf[i..i + len])
                .ok()
                .and_then(|s| s.chars().next());
            // serde_json escapes C0 inside strings; outside them only a line feed occurs.
            if let Some(c) = c.filter(|&c| escape::is_control(c) && c != '\n') {
                self.inner.write_all(&buf[at..i])?;
                write!(self.inner, "\\u{:04x}", c as u32)?;
                at = i + len;
            }
            i += 1;
        }
        self.inner.write_all(&buf[at..])
    }
}

impl<W: Write> Write for JsonControls<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.carry.is_empty() {
            self.pass(buf)?;
        } else {
            let mut joined = std::mem::take(&mut self.carry);
            joined.extend_from_slice(buf);
            self.pass(&joined)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// [`json`] of the list `items`, written to `w`: the same bytes, each core making the
/// text of its share of the items (for lists of many megabytes, such as an export).
pub fn write_json_list<W: Write, T: serde::Serialize + Sync>(
    mut w: W,
    items: &[T],
) -> io::Result<()> {
    if items.is_empty() {
        return write_json(w, &items);
    }
    w.write_all(b"[")?;
    // A batch at a time, so that the text of a few items is held at once and its memory
    // is used again.
    for (n, batch) in items.chunks(2048).enumerate() {
        let parts = crate::parallel::fold(
            batch,
            || {
                let out = JsonControls {
                    inner: Vec::new(),
                    carry: Vec::new(),
                };
                (out, Vec::new(), Vec::new())
            },
            |(out, scratch, item_text), item| {
                scratch.clear();
                serde_json::to_writer_pretty(&mut *scratch, item).expect("report values serialise");
                // As serde_json writes an item of a list: one level further in. Only the
                // structure has line breaks; those inside strings are escaped.
                item_text.clear();
                item_text.extend_from_slice(b",\n  ");
                let mut lines = scratch.split(|&b| b == b'\n');
                if let Some(first) = lines.next() {
                    item_text.extend_from_slice(first);
                }
                for line in lines {
                    item_text.extend_from_slice(b"\n  ");
                    item_text.extend_from_slice(line);
                }
                let _ = out.pass(item_text);
            },
        );
        for (i, (part, _, _)) in parts.iter().enumerate() {
            // The first item has no comma before it.
            let skip = usize::from(n == 0 && i == 0);
            w.write_all(&part.inner[skip..])?;
        }
    }
    w.write_all(b"\n]\n")?;
    w.flush()
}

/// Writes to stdout through one buffer with `write`. A reader that went away ends the
/// program quietly, as with [`emit`]. For JSON ([`write_json`], [`write_json_list`]),
/// which holds no control character a terminal acts on.
pub fn emit_with(
    write: impl FnOnce(&mut io::BufWriter<io::StdoutLock>) -> io::Result<()>,
) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    match write(&mut out).and_then(|_| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => other,
    }
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
