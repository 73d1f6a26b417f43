//! A document for the terminal: plain lines and tables, fitted to `width` when output
//! goes to a terminal, and never cut or wrapped when it goes to a pipe or a file.

use super::{Block, ColumnKind, Document, Options, Table};
use crate::report::escape;

/// `doc` as terminal text (control characters in user text shown harmlessly).
pub fn write(doc: &Document, options: Options) -> String {
    let lang = doc.lang;
    let mut out = String::new();
    out.push_str(&escape::one_line(&doc.title));
    out.push('\n');
    if let Some(sub) = &doc.subtitle {
        out.push_str(&escape::one_line(sub));
        out.push('\n');
    }
    for block in &doc.blocks {
        out.push('\n');
        match block {
            Block::Heading(h) => {
                let h = escape::one_line(h);
                out.push_str(&h);
                out.push('\n');
                out.push_str(&"─".repeat(h.chars().count()));
                out.push('\n');
            }
            Block::Paragraph(p) => {
                out.push_str(&escape::terminal(p));
                out.push('\n');
            }
            Block::KeyFigures(figures) => {
                for f in figures {
                    let note = f
                        .note
                        .as_deref()
                        .map(|n| format!(" ({})", escape::one_line(n)))
                        .unwrap_or_default();
                    out.push_str(&format!(
                        "{}: {}{note}\n",
                        escape::one_line(&f.label),
                        escape::one_line(&f.value.format(lang))
                    ));
                }
            }
            Block::Table(t) => out.push_str(&table(t, lang, options)),
            Block::Chart(c) => {
                if let Some(t) = &c.table {
                    out.push_str(&table(t, lang, options));
                }
            }
            Block::Items(items) => {
                for item in items {
                    out.push_str(&format!("- {}\n", escape::one_line(&item.title)));
                    if let Some(d) = &item.detail {
                        out.push_str(&format!("  {}\n", escape::one_line(d)));
                    }
                }
            }
            Block::Notes(notes) => {
                for n in notes {
                    out.push_str(&format!("{}\n", escape::terminal(n)));
                }
            }
            Block::Definitions(defs) => {
                out.push_str(lang.text("common.definitions"));
                out.push('\n');
                for d in defs {
                    out.push_str(&format!(
                        "  {}: {}\n",
                        escape::one_line(&d.term),
                        escape::one_line(&d.meaning)
                    ));
                }
            }
            Block::Colophon(c) => {
                if let Some(p) = &c.period {
                    out.push_str(&format!(
                        "{}: {}\n",
                        lang.text("common.period"),
                        escape::one_line(p)
                    ));
                }
                out.push_str(&lang.format(
                    "common.made_by",
                    &[
                        ("date", &lang.short_date(c.generated)),
                        ("version", &c.version),
                    ],
                ));
                out.push('\n');
            }
        }
    }
    out
}

/// A table's text, its caption above it. With a width, text columns are cut (with "…",
/// at a word boundary where there is one) until the table fits; ids, numbers and dates
/// never are. Without one, nothing is cut.
pub fn table(t: &Table, lang: super::Lang, options: Options) -> String {
    let mut cells: Vec<Vec<String>> = t
        .rows
        .iter()
        .chain(t.total.as_ref())
        .map(|row| {
            row.iter()
                .map(|c| escape::one_line(&c.format(lang)).into_owned())
                .collect()
        })
        .collect();
    let header: Vec<String> = t
        .columns
        .iter()
        .map(|c| escape::one_line(&c.label).into_owned())
        .collect();
    if let Some(width) = options.width {
        fit(&t.columns, &header, &mut cells, width);
    }
    let mut grid = comfy_table::Table::new();
    grid.load_style(crate::output::STYLE);
    grid.force_no_tty();
    grid.set_content_arrangement(comfy_table::ContentArrangement::Disabled);
    grid.set_header(header);
    for row in cells {
        grid.add_row(row);
    }
    for (i, column) in t.columns.iter().enumerate() {
        if matches!(column.kind, ColumnKind::Number | ColumnKind::Percent)
            && let Some(c) = grid.column_mut(i)
        {
            c.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    let mut out = String::new();
    if !t.caption.is_empty() {
        out.push_str(&escape::one_line(&t.caption));
        out.push('\n');
    }
    for line in grid.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if let Some(note) = &t.note {
        out.push_str(&escape::one_line(note));
        out.push('\n');
    }
    out
}

/// Cuts the text columns of `cells` until a table of them fits in `width` columns: the
/// widest text column first, one column at a time, never below 8 columns (or the header).
fn fit(columns: &[super::Column], header: &[String], cells: &mut [Vec<String>], width: usize) {
    let natural = |i: usize, cells: &[Vec<String>]| {
        cells
            .iter()
            .map(|r| display_width(&r[i]))
            .chain(std::iter::once(display_width(&header[i])))
            .max()
            .unwrap_or(0)
    };
    let mut widths: Vec<usize> = (0..columns.len()).map(|i| natural(i, cells)).collect();
    // Each column is padded by one space on either side by the style.
    let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len();
    while total(&widths) > width {
        let Some((i, _)) = columns
            .iter()
            .enumerate()
            .filter(|(i, c)| {
                c.kind == ColumnKind::Text && widths[*i] > display_width(&header[*i]).max(8)
            })
            .max_by_key(|(i, _)| widths[*i])
        else {
            break;
        };
        let excess = total(&widths) - width;
        let floor = display_width(&header[i]).max(8);
        widths[i] = widths[i].saturating_sub(excess).max(floor);
    }
    for (i, column) in columns.iter().enumerate() {
        if column.kind == ColumnKind::Text {
            for row in cells.iter_mut() {
                row[i] = cut(&row[i], widths[i]);
            }
        }
    }
}

/// The columns a terminal gives `s`.
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` in at most `max` columns: whole, or cut at the last word boundary that leaves
/// most of it (else mid-word) and ended with "…".
pub fn cut(s: &str, max: usize) -> String {
    if display_width(s) <= max {
        return s.to_string();
    }
    let mut kept = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        kept.push(c);
        used += w;
    }
    // Back to a word boundary when that keeps at least half of what fits.
    if let Some(space) = kept.rfind(' ')
        && display_width(&kept[..space]) * 2 >= max
    {
        kept.truncate(space);
    }
    let mut out = kept.trim_end().to_string();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_at_a_word_boundary() {
        assert_eq!(cut("Digital signering av avtal", 20), "Digital signering…");
        assert_eq!(cut("Kort", 20), "Kort");
        assert_eq!(cut("Ettmycketlångtord", 8), "Ettmyck…");
        assert!(display_width(&cut("Åtgärdsprogram för äldreomsorgen", 12)) <= 12);
    }
}
