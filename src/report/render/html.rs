//! HTML pieces the reports not yet on the document model share. The portfolio
//! summary's HTML comes from `crate::document::html`.

use std::fmt::Write as _;

use crate::report::escape::html as esc;

pub(super) const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d2733}\
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}\
table{border-collapse:collapse;margin:.8rem 0;font-size:.92rem}th,td{padding:.25rem .6rem;text-align:left;border-bottom:1px solid #e5e8eb}\
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.lead{font-size:1.1rem}\
svg{max-width:100%;height:auto;font-size:12px}svg text{fill:#1d2733}.muted{color:#57606a}";

pub(super) fn table(s: &mut String, header: &[&str], numeric_from: usize, rows: &[Vec<String>]) {
    s.push_str("<table><thead><tr>");
    for (i, h) in header.iter().enumerate() {
        let class = if i >= numeric_from {
            " class=\"n\""
        } else {
            ""
        };
        let _ = write!(s, "<th{class}>{}</th>", esc(h));
    }
    s.push_str("</tr></thead><tbody>\n");
    for row in rows {
        s.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if i >= numeric_from {
                " class=\"n\""
            } else {
                ""
            };
            let _ = write!(s, "<td{class}>{cell}</td>");
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table>\n");
}
