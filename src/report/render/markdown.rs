//! Markdown pieces the reports not yet on the document model share. The portfolio
//! summary's Markdown comes from `crate::document::markdown`.

use std::fmt::Write as _;

/// A pipe table; cells must already be escaped.
pub(super) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut s = format!(
        "| {} |\n|{}\n",
        header.join(" | "),
        " --- |".repeat(header.len())
    );
    for row in rows {
        let _ = writeln!(s, "| {} |", row.join(" | "));
    }
    s
}
