//! A document as one self-contained HTML file: no scripts, no fonts or images from
//! elsewhere; readable on a phone, on a projector, printed on A4 and in dark mode.

use std::fmt::Write as _;

use super::{Block, Cell, Chart, ColumnKind, Document, Table};
use crate::report::escape::html as esc;

/// The page's style: tables scroll inside their own box on a narrow screen, colours
/// follow the reader's dark-mode setting, and print gives A4 pages without a chart
/// parted from its table.
pub const STYLE: &str = "\
:root{color-scheme:light dark;--fg:#1d2733;--muted:#57606a;--rule:#d0d7de;--faint:#eef1f4;--bg:#fff;--accent:#1f6feb}\
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9da7b3;--rule:#3d444d;--faint:#1c2128;--bg:#0d1117;--accent:#58a6ff}}\
*{box-sizing:border-box}\
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:var(--fg);background:var(--bg);line-height:1.45;overflow-wrap:anywhere}\
h1{font-size:1.6rem;margin:.5rem 0}h2{margin-top:2rem;border-bottom:1px solid var(--rule);padding-bottom:.3rem;font-size:1.25rem}\
.subtitle,.muted,.note{color:var(--muted)}\
.scroll{overflow-x:auto;max-width:100%;margin:.8rem 0}\
table{border-collapse:collapse;font-size:.92rem}caption{text-align:left;font-weight:600;padding:.3rem 0}\
th,td{padding:.25rem .6rem;text-align:left;border-bottom:1px solid var(--rule);vertical-align:top}\
th{white-space:nowrap}td.id{white-space:nowrap}\
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
tfoot td,tfoot th{font-weight:600;border-top:2px solid var(--rule)}\
.figures{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0;padding:0;list-style:none}\
.figures li{flex:1 1 9rem;border:1px solid var(--rule);border-radius:.4rem;padding:.6rem .8rem}\
.figures .v{display:block;font-size:1.6rem;font-weight:650;font-variant-numeric:tabular-nums}\
.items li{margin:.5rem 0}\
figure{margin:1rem 0;break-inside:avoid;page-break-inside:avoid}figcaption{font-weight:600}\
svg{max-width:100%;height:auto;display:block}svg text{fill:var(--fg)}\
dl{display:grid;grid-template-columns:minmax(6rem,max-content) 1fr;gap:.3rem 1rem}dt{font-weight:600}dd{margin:0}\
footer{margin-top:2rem;border-top:1px solid var(--rule);padding-top:.6rem;color:var(--muted);font-size:.9rem}\
@media print{@page{size:A4;margin:15mm}body{max-width:none;padding:0;font-size:10pt;color:#000;background:#fff}\
.scroll{overflow:visible}table{font-size:8.5pt;width:100%}figure,table,.figures{break-inside:avoid}\
h2{break-after:avoid}}";

/// `doc` as a whole HTML page in its language.
pub fn write(doc: &Document) -> String {
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
                let _ = writeln!(out, "<p>{}</p>", esc(p));
            }
            Block::KeyFigures(figures) => {
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
            Block::Items(items) => {
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
            Block::Notes(notes) => {
                for n in notes {
                    let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(n));
                }
            }
            Block::Definitions(defs) => {
                let _ = writeln!(
                    out,
                    "<h2>{}</h2>\n<dl>",
                    esc(lang.text("common.definitions"))
                );
                for d in defs {
                    let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(&d.term), esc(&d.meaning));
                }
                out.push_str("</dl>\n");
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
                let _ = writeln!(
                    footer,
                    "<p>{}</p>",
                    esc(&lang.format(
                        "common.made_by",
                        &[
                            ("date", &lang.short_date(c.generated)),
                            ("version", &c.version)
                        ],
                    ))
                );
                footer.push_str("</footer>\n");
            }
        }
    }
    out.push_str("</main>\n");
    out.push_str(&footer);
    out.push_str("</body>\n</html>\n");
    out
}

/// An accessible table: a caption, `scope` on every header, the first column as row
/// headers where the table says so, and a box that scrolls when the table is wider than
/// the screen.
pub fn table(t: &Table, lang: super::Lang) -> String {
    let class = |kind: ColumnKind| match kind {
        ColumnKind::Number | ColumnKind::Percent => " class=\"n\"",
        ColumnKind::Id => " class=\"id\"",
        _ => "",
    };
    let mut out = String::from("<div class=\"scroll\">\n<table>\n");
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
    out.push_str("</tr></thead>\n<tbody>\n");
    let row = |out: &mut String, cells: &[Cell]| {
        out.push_str("<tr>");
        for (i, (cell, column)) in cells.iter().zip(&t.columns).enumerate() {
            let text = esc(&cell.format(lang));
            if i == 0 && t.row_headers {
                let _ = write!(out, "<th scope=\"row\"{}>{text}</th>", class(column.kind));
            } else {
                let _ = write!(out, "<td{}>{text}</td>", class(column.kind));
            }
        }
        out.push_str("</tr>\n");
    };
    for cells in &t.rows {
        row(&mut out, cells);
    }
    out.push_str("</tbody>\n");
    if let Some(total) = &t.total {
        out.push_str("<tfoot>\n");
        row(&mut out, total);
        out.push_str("</tfoot>\n");
    }
    out.push_str("</table>\n</div>\n");
    if let Some(note) = &t.note {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(note));
    }
    out
}

/// A chart as a figure: the drawing, then its data as a table.
pub fn chart(c: &Chart, lang: super::Lang) -> String {
    let mut out = format!("<figure>\n<figcaption>{}</figcaption>\n", esc(&c.title));
    out.push_str(&super::svg::draw(c, lang));
    if let Some(t) = &c.table {
        out.push_str(&table(t, lang));
    }
    out.push_str("</figure>\n");
    out
}
