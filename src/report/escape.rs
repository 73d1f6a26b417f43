//! Escaping of text that comes from a case, for the format it lands in.

/// A CSV cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab
/// or carriage return first) is prefixed with `'` so it stays text.
///
/// ```
/// use sluss::report::escape::csv_cell;
/// assert_eq!(csv_cell("=SUM(A1:A9)"), "'=SUM(A1:A9)");
/// assert_eq!(csv_cell("Digital matsedel"), "Digital matsedel");
/// ```
pub fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Text for HTML element content and attribute values.
///
/// ```
/// assert_eq!(sluss::report::escape::html("<b>&</b>"), "&lt;b&gt;&amp;&lt;/b&gt;");
/// ```
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text for a Markdown table cell or paragraph: markup characters are backslash-escaped,
/// line breaks become spaces, so a title can neither break the table nor inject HTML.
///
/// ```
/// assert_eq!(sluss::report::escape::markdown("a | *b*\nc"), "a \\| \\*b\\* c");
/// ```
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '<' | '>' | '~' | '@' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_stay_text() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("Matsedel"), "Matsedel");
    }

    #[test]
    fn html_is_inert() {
        assert_eq!(
            html("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn markdown_cannot_break_a_table() {
        assert_eq!(markdown("a|b\nc"), "a\\|b c");
    }
}
