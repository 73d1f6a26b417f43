//! Writing to the terminal: output formats, and a closed pipe that is not an error.
//!
//! Text from files and people reaches the terminal only through here: [`emit`] and
//! [`eprint()`] show every control character harmlessly ([`escape::terminal`]), table
//! cells and [`truncate`] keep a one-line field on one line ([`escape::one_line`]), and
//! [`json`] writes those characters as JSON escapes, so the values stay exact.

pub mod color;
pub mod csv;

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

/// Writes `text` to stderr (warnings, errors), control characters shown harmlessly,
/// and its `error:`, `warning:` and `hint:` coloured when stderr takes colour
/// ([`color::paint_messages`]).
pub fn eprint(text: &str) {
    let safe = escape::terminal(text);
    let text = if color::stderr_paints() {
        std::borrow::Cow::Owned(color::paint_messages(&safe))
    } else {
        safe
    };
    let _ = io::stderr().lock().write_all(text.as_bytes());
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
    // serde_json writes many small pieces.
    let mut buffered = io::BufWriter::with_capacity(1 << 16, w);
    let mut serializer = serde_json::Serializer::with_formatter(&mut buffered, Pretty::new());
    value.serialize(&mut serializer)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// serde_json's pretty layout, with the control characters it leaves as they are (DEL,
/// C1, bidirectional overrides) written as `\uXXXX` escapes as each string is written:
/// the same values to a JSON reader, nothing for a terminal to act on.
struct Pretty(serde_json::ser::PrettyFormatter<'static>);

impl Pretty {
    fn new() -> Pretty {
        Pretty(serde_json::ser::PrettyFormatter::new())
    }

    /// For an item of a list whose brackets are written by the caller: one level in.
    fn in_list() -> Pretty {
        use serde_json::ser::Formatter as _;
        let mut pretty = Pretty::new();
        let _ = pretty.0.begin_array(&mut io::sink());
        pretty
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let bytes = fragment.as_bytes();
        // Almost every fragment is ASCII without DEL (serde_json escaped C0 already),
        // which a plain comparison per byte tells quickly.
        if bytes.iter().all(|&b| b < 0x7f) || !bytes.iter().any(|&b| escape::may_start_control(b)) {
            return w.write_all(bytes);
        }
        let mut at = 0;
        for (i, c) in fragment.char_indices() {
            if escape::is_control(c) {
                w.write_all(&bytes[at..i])?;
                write!(w, "\\u{:04x}", c as u32)?;
                at = i + c.len_utf8();
            }
        }
        w.write_all(&bytes[at..])
    }
}

/// [`json`] of the list `items`, written to `w`: the same bytes, each core making the
/// text of its share of the items (for lists of many megabytes, such as an export), each
/// item changed by `prepare` just before its text is made, in the same thread.
pub fn write_json_list_prepared<W, T, P>(mut w: W, items: &mut [T], prepare: P) -> io::Result<()>
where
    W: Write,
    T: serde::Serialize + Send,
    P: Fn(&mut T) + Sync,
{
    if items.is_empty() {
        return write_json(w, &items);
    }
    w.write_all(b"[")?;
    // A batch at a time, so that the text of a few items is held at once and its memory
    // is used again.
    for (n, batch) in items.chunks_mut(2048).enumerate() {
        let parts = crate::parallel::fold_mut(batch, Vec::new, |out: &mut Vec<u8>, item| {
            prepare(item);
            push_json_list_item(out, item);
        });
        for (i, part) in parts.iter().enumerate() {
            // The first item has no comma before it.
            let skip = usize::from(n == 0 && i == 0);
            w.write_all(&part[skip..])?;
        }
    }
    w.write_all(b"\n]\n")?;
    w.flush()
}

/// One item of a JSON list as [`write_json_list_prepared`] writes it, pushed onto `out`: a comma,
/// a line break and the item one level in. The writer of the list leaves out the first
/// item's comma.
pub fn push_json_list_item<T: serde::Serialize>(out: &mut Vec<u8>, item: &T) {
    out.extend_from_slice(b",\n  ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, Pretty::in_list());
    item.serialize(&mut serializer)
        .expect("report values serialise");
}

/// Writes to stdout through one buffer with `write`. A reader that went away ends the
/// program quietly, as with [`emit`]. For JSON ([`write_json`], [`write_json_list_prepared`]),
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

/// The width to fit tables to on stdout: `SLUSS_WIDTH` when set (for scripts and tests),
/// else the terminal's (`COLUMNS`, else its size) when stdout is one; `None` for a pipe.
/// A width under 20 is taken for none known (a terminal may report 0 columns).
/// Commands look it up and pass it to the writers ([`crate::document::Options`]); no
/// writer looks at the terminal.
pub fn stdout_width() -> Option<usize> {
    let from_env = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&w| w >= 20)
    };
    if let Some(w) = from_env("SLUSS_WIDTH") {
        return Some(w);
    }
    if !is_terminal() {
        return None;
    }
    from_env("COLUMNS").or_else(|| {
        comfy_table::Table::new()
            .width()
            .map(usize::from)
            .filter(|&w| w >= 20)
    })
}

/// Columns apart, one rule under the header: quiet enough to read many rows.
pub(crate) const STYLE: comfy_table::TableStyle = comfy_table::TableStyle::new()
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
