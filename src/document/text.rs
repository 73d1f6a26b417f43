//! A document for the terminal: plain lines and tables, fitted to `width` when output
//! goes to a terminal, and never cut or wrapped when it goes to a pipe or a file.
//!
//! Widths are measured as a terminal shows text (`unicode-width`: a CJK character or an
//! emoji takes two columns, a combining mark none), and text is cut only between
//! user-perceived characters. Every line ends without trailing blanks.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;

use super::{Block, Column, ColumnKind, Document, Lang, Options, Table};
use crate::report::escape;

/// A text column is cut no narrower than this (or its natural width, if smaller).
const TEXT_MIN: usize = 8;

/// `doc` as terminal text (control characters in user text shown harmlessly).
pub fn write(doc: &Document, options: Options) -> String {
    let doc = &*doc.localised();
    let lang = doc.lang;
    let width = options.width;
    let mut out = String::new();
    out.push_str(&wrap(&escape::one_line(&doc.title), width, "", ""));
    if let Some(sub) = &doc.subtitle {
        out.push_str(&wrap(&escape::one_line(sub), width, "", ""));
    }
    for block in &doc.blocks {
        if block.is_empty() {
            continue;
        }
        out.push('\n');
        match block {
            Block::Heading(h) => out.push_str(&heading(h, width)),
            Block::Paragraph(p) => out.push_str(&wrap(&escape::terminal(p), width, "", "")),
            Block::KeyFigures(figures) => out.push_str(&key_figures(figures, lang, width)),
            Block::Table(t) => out.push_str(&table(t, lang, options)),
            Block::Chart(c) => out.push_str(&table(&c.data_table(), lang, options)),
            Block::Items(items) => {
                for item in items {
                    out.push_str(&wrap(&escape::one_line(&item.title), width, "- ", "  "));
                    if let Some(d) = &item.detail {
                        out.push_str(&wrap(&escape::one_line(d), width, "  ", "  "));
                    }
                }
            }
            Block::Notes(notes) => {
                for n in notes {
                    out.push_str(&wrap(&escape::terminal(n), width, "", ""));
                }
            }
            Block::Definitions(defs) => {
                out.push_str(&heading(lang.text("common.definitions"), width));
                for d in defs {
                    let line = format!(
                        "{}: {}",
                        escape::one_line(&d.term),
                        escape::one_line(&d.meaning)
                    );
                    out.push_str(&wrap(&line, width, "", "  "));
                }
            }
            Block::Colophon(c) => {
                if let Some(p) = &c.period {
                    let line = format!("{}: {}", lang.text("common.period"), escape::one_line(p));
                    out.push_str(&wrap(&line, width, "", "  "));
                }
                out.push_str(&wrap(&c.made_by(lang), width, "", ""));
            }
        }
    }
    out
}

fn heading(h: &str, width: Option<usize>) -> String {
    let text = wrap(&escape::one_line(h), width, "", "");
    let rule = text.lines().map(display_width).max().unwrap_or(0);
    format!("{text}{}\n", "─".repeat(rule))
}

/// Key figures as aligned lines: labels padded to one width, values right-aligned under
/// each other, each figure's note after its value.
fn key_figures(figures: &[super::KeyFigure], lang: Lang, width: Option<usize>) -> String {
    let rows: Vec<(Cow<str>, String, Option<Cow<str>>)> = figures
        .iter()
        .map(|f| {
            (
                escape::one_line(&f.label),
                escape::one_line(&f.value.format(lang)).into_owned(),
                f.note.as_deref().map(escape::one_line),
            )
        })
        .collect();
    let label_w = rows.iter().map(|r| display_width(&r.0)).max().unwrap_or(0);
    let value_w = rows.iter().map(|r| display_width(&r.1)).max().unwrap_or(0);
    let mut out = String::new();
    for (label, value, note) in &rows {
        let head = format!(
            "{label}{}  {}{value}",
            " ".repeat(label_w - display_width(label)),
            " ".repeat(value_w - display_width(value))
        );
        match note {
            None => {
                out.push_str(head.trim_end());
                out.push('\n');
            }
            Some(note) => {
                let indent = " ".repeat(display_width(&head) + 2);
                let first = format!("{head}  ");
                out.push_str(&wrap(note, width, &first, &indent));
            }
        }
    }
    out
}

/// `text` as lines of at most `width` columns, broken at spaces (a word longer than the
/// line stays whole), the first line after `first` and the others after `rest`. Without
/// a width, each line of `text` is kept as it is. Ends with a line feed.
pub fn wrap(text: &str, width: Option<usize>, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut prefix = first;
    for line in text.split('\n') {
        let Some(width) = width else {
            out.push_str(prefix);
            out.push_str(line);
            trim_line(&mut out);
            prefix = rest;
            continue;
        };
        let mut current = prefix.to_string();
        let mut used = display_width(prefix);
        let mut empty = true;
        for word in line.split_whitespace() {
            let w = display_width(word);
            if !empty && used + 1 + w > width {
                out.push_str(&current);
                trim_line(&mut out);
                prefix = rest;
                current = prefix.to_string();
                used = display_width(prefix);
                empty = true;
            }
            if !empty {
                current.push(' ');
                used += 1;
            }
            current.push_str(word);
            used += w;
            empty = false;
        }
        out.push_str(&current);
        trim_line(&mut out);
        prefix = rest;
    }
    out
}

/// Ends the line being written: its trailing blanks dropped, then a line feed.
fn trim_line(out: &mut String) {
    let kept = out.trim_end_matches([' ', '\t']).len();
    out.truncate(kept);
    out.push('\n');
}

/// A table's text, its caption above it and its note under it. With a width, the table
/// is fitted (headers broken over lines, then text columns cut, never an id or a
/// number); without one, nothing is cut or wrapped.
pub fn table(t: &Table, lang: Lang, options: Options) -> String {
    if t.rows.is_empty() && t.total.is_none() {
        // No empty grid: the caption and "None."
        let mut out = String::new();
        if !t.caption.is_empty() {
            out.push_str(&wrap(&escape::one_line(&t.caption), options.width, "", ""));
        }
        out.push_str(lang.text("common.none"));
        out.push('\n');
        return out;
    }
    let (header, mut cells) = texts(t, lang);
    let widths = match options.width {
        Some(width) => fit(&t.columns, &header, &cells, width),
        None => natural_widths(&header, &cells),
    };
    for (i, column) in t.columns.iter().enumerate() {
        if column.kind == ColumnKind::Text {
            for row in cells.iter_mut() {
                row[i] = cut(&row[i], widths[i]);
            }
        }
    }
    let header_lines: Vec<Vec<String>> = header
        .iter()
        .zip(&t.columns)
        .zip(&widths)
        .map(|((h, column), &w)| header_cell(h, column.kind, w))
        .collect();
    let rule_width = table_width(&widths);
    let rule = "─".repeat(rule_width);

    let mut out = String::new();
    if !t.caption.is_empty() {
        out.push_str(&wrap(&escape::one_line(&t.caption), options.width, "", ""));
    }
    // A table of fields (label, value) shows no header, nor a rule under it.
    let headless = t.fields;
    let depth = if headless {
        0
    } else {
        header_lines.iter().map(Vec::len).max().unwrap_or(0)
    };
    for line in 0..depth {
        let row: Vec<&str> = header_lines
            .iter()
            .map(|h| h.get(line).map_or("", String::as_str))
            .collect();
        push_row(&mut out, &row, &t.columns, &widths);
    }
    if !headless {
        out.push_str(&rule);
        out.push('\n');
    }
    let body = t.rows.len();
    for (r, row) in cells.iter().enumerate() {
        if r == body {
            out.push_str(&rule);
            out.push('\n');
        }
        let row: Vec<&str> = row.iter().map(String::as_str).collect();
        push_row(&mut out, &row, &t.columns, &widths);
    }
    if let Some(note) = &t.note {
        out.push_str(&wrap(&escape::one_line(note), options.width, "", ""));
    }
    out
}

/// Whether `t` fits in `width` terminal columns as [`table`] writes it, its headers
/// broken over lines and its text cut as far as they may be. A table that does not fit
/// is left wide by the writer; a document that knows its width can choose its columns.
pub fn fits(t: &Table, lang: Lang, width: usize) -> bool {
    if t.rows.is_empty() && t.total.is_none() {
        return true;
    }
    let (header, cells) = texts(t, lang);
    let widths = fit(&t.columns, &header, &cells, width);
    table_width(&widths) <= width
}

/// A table's header and its cells (rows, then the total) as one-line texts.
fn texts(t: &Table, lang: Lang) -> (Vec<String>, Vec<Vec<String>>) {
    let cells = t
        .rows
        .iter()
        .chain(t.total.as_ref())
        .map(|row| {
            row.iter()
                .map(|c| escape::one_line(&c.format(lang)).into_owned())
                .collect()
        })
        .collect();
    let header = t
        .columns
        .iter()
        .map(|c| escape::one_line(&c.label).into_owned())
        .collect();
    (header, cells)
}

/// One line of a table: each cell padded to its column's width, numbers to the right,
/// a space before each column and two between them.
fn push_row(out: &mut String, row: &[&str], columns: &[Column], widths: &[usize]) {
    for ((cell, column), &w) in row.iter().zip(columns).zip(widths) {
        let pad = " ".repeat(w.saturating_sub(display_width(cell)));
        out.push(' ');
        if is_numeric(column.kind) {
            out.push_str(&pad);
            out.push_str(cell);
        } else {
            out.push_str(cell);
            out.push_str(&pad);
        }
        out.push(' ');
    }
    trim_line(out);
}

fn is_numeric(kind: ColumnKind) -> bool {
    matches!(kind, ColumnKind::Number | ColumnKind::Percent)
}

/// A header in lines of at most `width` columns (broken at spaces; a text column's
/// header cut with "…" where one word is wider still).
fn header_cell(h: &str, kind: ColumnKind, width: usize) -> Vec<String> {
    if display_width(h) <= width {
        return vec![h.to_string()];
    }
    let wrapped = wrap(h, Some(width), "", "");
    let mut lines: Vec<String> = wrapped.lines().map(str::to_string).collect();
    if kind == ColumnKind::Text {
        if lines.len() > 2 {
            let rest = lines[1..].join(" ");
            lines.truncate(1);
            lines.push(rest);
        }
        for line in &mut lines {
            *line = cut(line, width);
        }
    }
    lines
}

fn natural_widths(header: &[String], cells: &[Vec<String>]) -> Vec<usize> {
    (0..header.len())
        .map(|i| content_width(i, cells).max(display_width(&header[i])))
        .collect()
}

fn content_width(i: usize, cells: &[Vec<String>]) -> usize {
    cells
        .iter()
        .map(|r| display_width(&r[i]))
        .max()
        .unwrap_or(0)
}

/// The columns' widths for a table that fits in `width` terminal columns, if it can:
/// first headers wider than their column's values are broken over lines (which loses
/// nothing), then text columns are narrowed, the widest first, down to
/// [`TEXT_MIN`] columns. Ids, numbers and dates are never narrowed below their widest
/// value. A table that cannot fit even so is left wide: nothing is dropped.
fn fit(columns: &[Column], header: &[String], cells: &[Vec<String>], width: usize) -> Vec<usize> {
    let mut widths = natural_widths(header, cells);
    let total = table_width;
    let floors: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let content = content_width(i, cells);
            if c.kind == ColumnKind::Text {
                widths[i].min(TEXT_MIN.max(content.min(TEXT_MIN)))
            } else {
                let word = header[i].split_whitespace().map(display_width).max();
                content.max(word.unwrap_or(0)).min(widths[i])
            }
        })
        .collect();
    // Headers first: a non-text column narrows to its widest value or header word.
    while total(&widths) > width {
        let Some(i) = (0..columns.len())
            .filter(|&i| columns[i].kind != ColumnKind::Text && widths[i] > floors[i])
            .max_by_key(|&i| (widths[i] - floors[i], std::cmp::Reverse(i)))
        else {
            break;
        };
        let excess = total(&widths) - width;
        widths[i] -= excess.min(widths[i] - floors[i]);
    }
    // Then text, a column at a time from the widest, so that they meet evenly; the
    // first text column (the title that names a row) counts half, so it keeps about
    // twice the room of the others.
    let first_text = columns.iter().position(|c| c.kind == ColumnKind::Text);
    let weighed = |i: usize, w: usize| if Some(i) == first_text { w } else { 2 * w };
    while total(&widths) > width {
        let Some(i) = (0..columns.len())
            .filter(|&i| columns[i].kind == ColumnKind::Text && widths[i] > floors[i])
            .max_by_key(|&i| (weighed(i, widths[i]), std::cmp::Reverse(i)))
        else {
            break;
        };
        widths[i] -= 1;
    }
    widths
}

/// The columns a table whose columns are `widths` wide takes: one space before the first
/// and two between columns (the rule under the header is as long).
pub fn table_width(widths: &[usize]) -> usize {
    widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1) + 1
}

/// The columns a terminal gives `s`.
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` in at most `max` columns: whole, or cut at the last word boundary that leaves
/// at least half of what fits (else between two characters), ended with "…". A wide
/// character, an emoji sequence or a letter with its combining marks is never split.
pub fn cut(s: &str, max: usize) -> String {
    if display_width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut end = 0;
    for (i, g) in s.grapheme_indices(true) {
        if display_width(&s[..i + g.len()]) + 1 > max {
            break;
        }
        end = i + g.len();
    }
    let mut kept = &s[..end];
    let at_boundary = s[end..].starts_with(char::is_whitespace);
    if !at_boundary
        && let Some(space) = kept.rfind(char::is_whitespace)
        && display_width(kept[..space].trim_end()) * 2 >= max
    {
        kept = &kept[..space];
    }
    let kept = kept.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':'));
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Cell;

    #[test]
    fn cut_at_a_word_boundary() {
        assert_eq!(cut("Digital signering av avtal", 20), "Digital signering…");
        assert_eq!(cut("Digital signering av avtal", 18), "Digital signering…");
        assert_eq!(cut("Kort", 20), "Kort");
        assert_eq!(cut("Ettmycketlångtord", 8), "Ettmyck…");
        assert_eq!(cut("Matsedel, digital", 12), "Matsedel…");
        assert!(display_width(&cut("Åtgärdsprogram för äldreomsorgen", 12)) <= 12);
    }

    #[test]
    fn cut_never_splits_a_character() {
        // Wide characters take two columns each.
        let c = cut("漢字漢字漢字", 6);
        assert_eq!(c, "漢字…");
        assert!(display_width(&c) <= 6);
        // An emoji sequence stays whole or goes whole.
        let family = "👨\u{200d}👩\u{200d}👧";
        let c = cut(&format!("ab{family}cd"), 4);
        assert!(c == "ab…" || c == format!("ab{family}…"), "{c:?}");
        assert!(display_width(&c) <= 4);
        // A combining mark stays with its letter.
        let c = cut("Cafe\u{301} au lait", 6);
        assert_eq!(c, "Cafe\u{301}…");
        assert_eq!(cut("abc", 0), "");
    }

    #[test]
    fn wrap_at_words_without_trailing_blanks() {
        assert_eq!(
            wrap("one two three four", Some(9), "- ", "  "),
            "- one two\n  three\n  four\n"
        );
        assert_eq!(wrap("one  two ", None, "", ""), "one  two\n");
        assert_eq!(
            wrap("ettmycketlångtord kort", Some(5), "", ""),
            "ettmycketlångtord\nkort\n"
        );
    }

    fn listing(titles: &[&str]) -> Table {
        let mut t = Table::new(
            "",
            vec![
                Column::new("ID", ColumnKind::Id),
                Column::new("Title", ColumnKind::Text),
                Column::new("Stage", ColumnKind::Text),
                Column::new("Status", ColumnKind::Text),
                Column::new("Coach", ColumnKind::Text),
                Column::new("Opened", ColumnKind::Date),
            ],
        );
        for (i, title) in titles.iter().enumerate() {
            t.row(vec![
                Cell::from(format!("2020-{:03}", i + 1)),
                Cell::from(*title),
                Cell::from("Pilot"),
                Cell::from("open"),
                Cell::from("Karin Lindqvist"),
                Cell::Date(chrono::NaiveDate::from_ymd_opt(2020, 3, 14).unwrap()),
            ]);
        }
        t
    }

    #[test]
    fn a_listing_fits_one_case_per_line_at_80() {
        let t = listing(&[
            "Digital signering av avtal mellan förvaltningar och bolag",
            "Matsedel i appen för alla skolor i kommunen, med allergener",
            "漢字のタイトルがとても長い場合でもきちんと切られること",
        ]);
        // At 40 columns, six columns cannot fit (ids and dates alone take 18): the
        // listing there has its id, title and date.
        let mut narrow = t.clone();
        narrow.columns.drain(2..5);
        for row in &mut narrow.rows {
            row.drain(2..5);
        }
        for width in [80, 60, 40] {
            let t = if width == 40 { &narrow } else { &t };
            let out = table(t, Lang::Sv, Options { width: Some(width) });
            for line in out.lines() {
                assert!(display_width(line) <= width, "{width}: {line:?}");
                assert_eq!(line, line.trim_end());
            }
            for id in ["2020-001", "2020-002", "2020-003"] {
                assert!(out.contains(id), "{width}: {out}");
            }
            if width == 80 {
                assert_eq!(out.lines().count(), 2 + 3, "{out}");
            }
        }
        let wide = table(&t, Lang::Sv, Options { width: None });
        assert!(wide.contains("Matsedel i appen för alla skolor i kommunen, med allergener"));
        assert!(!wide.contains('…'));
    }

    #[test]
    fn a_table_that_cannot_fit_is_left_wide() {
        let mut t = Table::new(
            "",
            vec![
                Column::new("Identifier", ColumnKind::Id),
                Column::new("Cases implemented", ColumnKind::Number),
                Column::new("Share", ColumnKind::Percent),
            ],
        );
        t.row(vec![
            Cell::from("a-very-long-identifier-that-stays"),
            Cell::Int(1_234_567),
            Cell::Percent(12.5),
        ]);
        let out = table(&t, Lang::En, Options { width: Some(20) });
        assert!(out.contains("a-very-long-identifier-that-stays"), "{out}");
        assert!(out.contains("1,234,567") && out.contains("12.5%"), "{out}");
        // The long header was broken at its space, not cut.
        assert!(
            out.contains("Cases") && out.contains("implemented"),
            "{out}"
        );
        assert!(!out.contains('…'), "{out}");
    }

    #[test]
    fn numbers_are_right_aligned_and_totals_ruled_off() {
        let mut t = Table::new(
            "Hours",
            vec![
                Column::new("Unit", ColumnKind::Text),
                Column::new("Hours", ColumnKind::Number),
            ],
        );
        t.row(vec![Cell::from("Skola"), Cell::hours(600)]);
        t.row(vec![Cell::from("Vård"), Cell::hours(75)]);
        t.total = Some(vec![Cell::from("Totalt"), Cell::hours(675)]);
        let out = table(&t, Lang::Sv, Options { width: None });
        assert_eq!(
            out,
            "Hours\n Unit    Hours\n──────────────\n Skola    10,0\n Vård      1,3\n──────────────\n Totalt   11,3\n"
        );
    }
}
