//! A document as one self-contained HTML file: no scripts, no fonts or images from
//! elsewhere; readable on a phone, on a projector, printed on A4 and in dark mode.
//!
//! The page is valid HTML5 without a single `id` (so that nothing can clash), and its
//! output is the same bytes for the same document.

use std::fmt::Write as _;

use super::{Block, Cell, Chart, ColumnKind, Document, Lang, Table};
use crate::report::escape::html as esc;

/// The page's style. Tables scroll inside their own box on a narrow screen and long
/// words wrap, so the page itself never scrolls sideways; colours follow the reader's
/// dark-mode setting on screen and are always light on paper; print gives A4 pages with
/// every column, a chart kept with its table and headings kept with what follows.
/// The chart palette (`--k0`…`--k7`) is told apart by colour-blind readers and keeps a
/// contrast of at least 3:1 against the background in both modes.
pub const STYLE: &str = "\
:root{color-scheme:light dark;--fg:#1d2733;--muted:#57606a;--rule:#d0d7de;--bg:#fff;\
--k0:#0072b2;--k1:#d55e00;--k2:#007a5a;--k3:#b8407f;--k4:#8a6a00;--k5:#5a4fcf;--k6:#1b7f8c;--k7:#4d5a66}\
@media screen and (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9da7b3;--rule:#3d444d;--bg:#0d1117;\
--k0:#56b4e9;--k1:#f08a4b;--k2:#3bc99b;--k3:#e38bc2;--k4:#e6c34a;--k5:#a99bff;--k6:#4fc3cf;--k7:#aeb9c4}}\
*{box-sizing:border-box}\
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;max-width:60rem;padding:1rem;\
color:var(--fg);background:var(--bg);line-height:1.45;overflow-wrap:break-word}\
h1{font-size:1.6rem;margin:.5rem 0}h2{margin-top:2rem;border-bottom:1px solid var(--rule);padding-bottom:.3rem;font-size:1.25rem}\
.subtitle,.muted,.notes,footer{color:var(--muted)}\
.scroll{overflow-x:auto;max-width:100%;margin:.8rem 0}.scroll:focus-visible{outline:2px solid var(--fg)}\
table{border-collapse:collapse;font-size:.92rem}caption{text-align:left;font-weight:600;padding:.3rem 0}\
th,td{padding:.25rem .6rem;text-align:left;border-bottom:1px solid var(--rule);vertical-align:top}\
thead th{white-space:nowrap;border-bottom-width:2px}tbody th{font-weight:600;min-width:7rem}.id{white-space:nowrap}td:not([class]){min-width:7rem}\
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
tfoot th,tfoot td{font-weight:700;border-top:2px solid var(--rule)}\
.figures{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0;padding:0;list-style:none}\
.figures li{flex:1 1 9rem;min-width:0;border:1px solid var(--rule);border-radius:.4rem;padding:.6rem .8rem}\
.figures .v{display:block;font-size:1.6rem;font-weight:650;font-variant-numeric:tabular-nums}\
.items li{margin:.5rem 0}.notes{font-size:.92rem;border-left:3px solid var(--rule);padding-left:.8rem}\
figure{margin:1.5rem 0}figcaption{font-weight:600;margin-bottom:.4rem}\
.chart{display:block;width:100%;max-width:32rem;height:auto}.chart text{fill:var(--fg)}.chart .unit{fill:var(--muted)}\
.grid{stroke:var(--rule)}.axis{stroke:var(--muted)}.bg{fill:var(--bg)}\
.k0{--c:var(--k0)}.k1{--c:var(--k1)}.k2{--c:var(--k2)}.k3{--c:var(--k3)}\
.k4{--c:var(--k4)}.k5{--c:var(--k5)}.k6{--c:var(--k6)}.k7{--c:var(--k7)}\
rect[class^=k]{fill:var(--c);stroke:var(--bg);stroke-width:.5}.m{fill:var(--c);stroke:var(--bg)}\
.ln{fill:none;stroke:var(--c);stroke-width:2.2;stroke-linejoin:round;stroke-linecap:round}\
dl{display:grid;grid-template-columns:fit-content(14rem) minmax(0,1fr);gap:.4rem 1rem}dt{font-weight:600}dd{margin:0}\
@media (max-width:30rem){dl{display:block}dd{margin:0 0 .6rem}}\
footer{margin-top:2rem;border-top:1px solid var(--rule);padding-top:.6rem;font-size:.9rem}\
@media print{@page{size:A4;margin:15mm}body{max-width:none;padding:0;font-size:10pt}\
.scroll{overflow:visible}table{font-size:7.5pt;width:100%}th,td,thead th,.n,.id{white-space:normal;padding:.15rem .25rem;overflow-wrap:anywhere}td:not([class]),tbody th{min-width:0}\
thead{display:table-header-group}tr,figure,.figures,dl div{break-inside:avoid}\
h1,h2,caption,figcaption{break-after:avoid}.chart{max-width:14cm}}";

/// `doc` as a whole HTML page in its language.
pub fn write(doc: &Document) -> String {
    let doc = &*doc.localised();
    let lang = doc.lang;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        lang.code(),
        esc(&doc.title),
        esc(&doc.title)
    );
    if let Some(sub) = &doc.subtitle {
        let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", esc(sub));
    }
    let mut footer = String::new();
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => {
                let _ = writeln!(out, "<h2>{}</h2>", esc(h));
            }
            Block::Paragraph(p) => {
                let _ = writeln!(out, "<p>{}</p>", lines(p));
            }
            Block::KeyFigures(figures) if !figures.is_empty() => {
                out.push_str("<ul class=\"figures\">\n");
                for f in figures {
                    let note = f
                        .note
                        .as_deref()
                        .map(|n| format!(" <span class=\"muted\">{}</span>", esc(n)))
                        .unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "<li><span class=\"v\">{}</span> {}{note}</li>",
                        esc(&f.value.format(lang)),
                        esc(&f.label)
                    );
                }
                out.push_str("</ul>\n");
            }
            Block::Table(t) => out.push_str(&table(t, lang)),
            Block::Chart(c) => out.push_str(&chart(c, lang)),
            Block::Items(items) if !items.is_empty() => {
                out.push_str("<ul class=\"items\">\n");
                for item in items {
                    let _ = write!(out, "<li><strong>{}</strong>", esc(&item.title));
                    if let Some(d) = &item.detail {
                        let _ = write!(out, "<br><span class=\"muted\">{}</span>", esc(d));
                    }
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n");
            }
            Block::Notes(notes) if !notes.is_empty() => {
                out.push_str("<div class=\"notes\">\n");
                for n in notes {
                    let _ = writeln!(out, "<p>{}</p>", lines(n));
                }
                out.push_str("</div>\n");
            }
            Block::Definitions(defs) if !defs.is_empty() => {
                let _ = writeln!(
                    out,
                    "<section>\n<h2>{}</h2>\n<dl>",
                    esc(lang.text("common.definitions"))
                );
                for d in defs {
                    let _ = writeln!(
                        out,
                        "<div><dt>{}</dt><dd>{}</dd></div>",
                        esc(&d.term),
                        esc(&d.meaning)
                    );
                }
                out.push_str("</dl>\n</section>\n");
            }
            Block::Colophon(c) => {
                footer.push_str("<footer>\n");
                if let Some(p) = &c.period {
                    let _ = writeln!(
                        footer,
                        "<p>{}: {}</p>",
                        esc(lang.text("common.period")),
                        esc(p)
                    );
                }
                let _ = writeln!(footer, "<p>{}</p>", esc(&c.made_by(lang)));
                footer.push_str("</footer>\n");
            }
            Block::KeyFigures(_) | Block::Items(_) | Block::Notes(_) | Block::Definitions(_) => {}
        }
    }
    out.push_str("</main>\n");
    out.push_str(&footer);
    out.push_str("</body>\n</html>\n");
    out
}

/// Text of several lines: escaped, each line break a `<br>`.
fn lines(s: &str) -> String {
    esc(s).replace("\r\n", "\n").replace('\n', "<br>\n")
}

/// An accessible table: a caption, `scope` on every header, the first column as row
/// headers where the table says so, totals in `<tfoot>`, and a box that scrolls (by
/// keyboard too: it is a labelled region that takes focus) when the table is wider than
/// the screen.
pub fn table(t: &Table, lang: Lang) -> String {
    if t.rows.is_empty() && t.total.is_none() {
        // No empty grid: the caption and "None."
        let caption = if t.caption.is_empty() {
            String::new()
        } else {
            format!("<strong>{}</strong><br>", esc(&t.caption))
        };
        return format!("<p>{caption}{}</p>\n", esc(lang.text("common.none")));
    }
    let label = if t.caption.is_empty() {
        t.columns
            .iter()
            .map(|c| c.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        t.caption.clone()
    };
    labelled_table(t, lang, &label)
}

/// [`table`] in a scrolling region labelled `label` for screen readers.
fn labelled_table(t: &Table, lang: Lang, label: &str) -> String {
    let class = |kind: ColumnKind| match kind {
        ColumnKind::Number | ColumnKind::Percent => " class=\"n\"",
        ColumnKind::Id | ColumnKind::Date => " class=\"id\"",
        ColumnKind::Text => "",
    };
    let mut out = format!(
        "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">\n<table>\n",
        esc(label)
    );
    if !t.caption.is_empty() {
        let _ = writeln!(out, "<caption>{}</caption>", esc(&t.caption));
    }
    out.push_str("<thead><tr>");
    for c in &t.columns {
        let _ = write!(
            out,
            "<th scope=\"col\"{}>{}</th>",
            class(c.kind),
            esc(&c.label)
        );
    }
    out.push_str("</tr></thead>\n");
    let row = |out: &mut String, cells: &[Cell], head: bool| {
        out.push_str("<tr>");
        for (i, (cell, column)) in cells.iter().zip(&t.columns).enumerate() {
            let text = esc(&cell.format(lang));
            if i == 0 && head {
                let _ = write!(out, "<th scope=\"row\"{}>{text}</th>", class(column.kind));
            } else {
                let _ = write!(out, "<td{}>{text}</td>", class(column.kind));
            }
        }
        out.push_str("</tr>\n");
    };
    out.push_str("<tbody>\n");
    for cells in &t.rows {
        row(&mut out, cells, t.row_headers);
    }
    out.push_str("</tbody>\n");
    if let Some(total) = &t.total {
        // A totals row heads itself when its first cell is a label ("Total").
        let head = t.row_headers || matches!(total.first(), Some(Cell::Text(_)));
        out.push_str("<tfoot>\n");
        row(&mut out, total, head);
        out.push_str("</tfoot>\n");
    }
    out.push_str("</table>\n</div>\n");
    if let Some(note) = &t.note {
        let _ = writeln!(out, "<p class=\"muted\">{}</p>", lines(note));
    }
    out
}

/// A chart as a figure: its title, the drawing, then its data as a table, kept together
/// on paper.
pub fn chart(c: &Chart, lang: Lang) -> String {
    let mut out = format!("<figure>\n<figcaption>{}</figcaption>\n", esc(&c.title));
    out.push_str(&super::svg::draw(c, lang));
    let mut data = c.data_table();
    if data.caption == c.title {
        data.caption = lang.text("common.chart_data").to_string();
    }
    let label = lang.format("common.data_of", &[("title", &c.title)]);
    out.push_str(&labelled_table(&data, lang, &label));
    out.push_str("</figure>\n");
    out
}
