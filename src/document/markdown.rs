//! A document as Markdown: for CI job summaries, wikis, an intranet or an e-mail.

use super::{Block, ColumnKind, Document, Table};
use crate::report::escape::markdown as esc;

/// Running text escaped, and a first character that would start a list, a heading or a
/// rule at the beginning of a line ("- ", "1. ", "=") escaped as well.
fn text(s: &str) -> String {
    let out = esc(s);
    let digits = out.bytes().take_while(u8::is_ascii_digit).count();
    let list_number = digits > 0 && matches!(out.as_bytes().get(digits), Some(b'.' | b')'));
    if out.starts_with(['-', '+', '=']) {
        format!("\\{out}")
    } else if list_number {
        format!("{}\\{}", &out[..digits], &out[digits..])
    } else {
        out
    }
}

/// `doc` as Markdown (GitHub-flavoured tables).
pub fn write(doc: &Document) -> String {
    let doc = &*doc.localised();
    let lang = doc.lang;
    let mut out = format!("# {}\n", esc(&doc.title));
    if let Some(sub) = &doc.subtitle {
        out.push_str(&format!("\n_{}_\n", esc(sub)));
    }
    for block in doc.blocks.iter().filter(|b| !b.is_empty()) {
        out.push('\n');
        match block {
            Block::Heading(h) => out.push_str(&format!("## {}\n", esc(h))),
            Block::Paragraph(p) => out.push_str(&format!("{}\n", text(p))),
            Block::KeyFigures(figures) => {
                for f in figures {
                    let note = f
                        .note
                        .as_deref()
                        .map(|n| format!(" ({})", esc(n)))
                        .unwrap_or_default();
                    out.push_str(&format!(
                        "- **{}** {}{note}\n",
                        esc(&f.value.format(lang)),
                        esc(&f.label)
                    ));
                }
            }
            Block::Table(t) => out.push_str(&table(t, lang)),
            Block::Chart(c) => out.push_str(&table(&c.data_table(), lang)),
            Block::Items(items) => {
                for item in items {
                    out.push_str(&format!("- **{}**", esc(&item.title)));
                    if let Some(d) = &item.detail {
                        out.push_str(&format!("  \n  {}", esc(d)));
                    }
                    out.push('\n');
                }
            }
            Block::Notes(notes) => {
                let quoted: Vec<String> =
                    notes.iter().map(|n| format!("> {}\n", text(n))).collect();
                out.push_str(&quoted.join(">\n"));
            }
            Block::Definitions(defs) => {
                out.push_str(&format!("## {}\n\n", esc(lang.text("common.definitions"))));
                for d in defs {
                    out.push_str(&format!("- **{}**: {}\n", esc(&d.term), esc(&d.meaning)));
                }
            }
            Block::Colophon(c) => {
                out.push_str("---\n\n");
                if let Some(p) = &c.period {
                    out.push_str(&format!(
                        "{}: {}  \n",
                        esc(lang.text("common.period")),
                        esc(p)
                    ));
                }
                out.push_str(&format!("_{}_\n", esc(&c.made_by(lang))));
            }
        }
    }
    out
}

/// A table with its caption in bold above it; numbers right-aligned.
pub fn table(t: &Table, lang: super::Lang) -> String {
    let mut out = String::new();
    if !t.caption.is_empty() {
        out.push_str(&format!("**{}**\n\n", esc(&t.caption)));
    }
    if t.rows.is_empty() && t.total.is_none() {
        out.push_str(&format!("{}\n", esc(lang.text("common.none"))));
        return out;
    }
    let cells = |row: &[super::Cell]| {
        row.iter()
            .map(|c| esc(&c.format(lang)))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    out.push_str(&format!(
        "| {} |\n",
        t.columns
            .iter()
            .map(|c| esc(&c.label))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    out.push_str(&format!(
        "|{}|\n",
        t.columns
            .iter()
            .map(|c| match c.kind {
                ColumnKind::Number | ColumnKind::Percent => " ---: ",
                _ => " --- ",
            })
            .collect::<Vec<_>>()
            .join("|")
    ));
    for row in &t.rows {
        out.push_str(&format!("| {} |\n", cells(row)));
    }
    if let Some(total) = &t.total {
        let bold: Vec<String> = total
            .iter()
            .map(|c| {
                let text = esc(&c.format(lang));
                if text.is_empty() {
                    text
                } else {
                    format!("**{text}**")
                }
            })
            .collect();
        out.push_str(&format!("| {} |\n", bold.join(" | ")));
    }
    if let Some(note) = &t.note {
        out.push_str(&format!("\n_{}_\n", esc(note).trim()));
    }
    out
}
