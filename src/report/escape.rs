//! Escaping of text that comes from a case, for the format it lands in.
//!
//! Text from a file or a person never reaches a terminal raw: [`terminal`] and
//! [`one_line`] are the one statement of which characters a terminal would act on (C0
//! controls, DEL, C1 controls, bidirectional overrides and isolates) and how they are
//! shown instead (`\u{1b}`). Every other format's escape applies the same rule.

use std::borrow::Cow;

/// Whether a terminal (or a reader of the text) could be made to act on `c`: move the
/// cursor, start an escape sequence or a link, ring the bell, or reorder what is shown.
/// Line feed and tab are among them; the callers decide what becomes of those.
pub fn is_control(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// How a control character is shown: as Rust writes it in a string, `\u{1b}`.
fn shown(c: char, out: &mut String) {
    use std::fmt::Write;
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

/// Whether a character that starts with byte `b` of its UTF-8 form may be a control
/// character ([`is_control`]): the C0 controls and DEL, and the lead bytes of C1
/// (U+0080–U+009F), U+061C and the bidirectional marks (U+200E…U+2069). Every other
/// byte of text can be copied without decoding it.
pub(crate) fn may_start_control(b: u8) -> bool {
    LEADS[usize::from(b)]
}

/// [`may_start_control`] of every byte, looked up rather than compared.
static LEADS: [bool; 256] = {
    let mut leads = [false; 256];
    let mut b = 0;
    while b < 256 {
        leads[b] = b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xd8 || b == 0xe2;
        b += 1;
    }
    leads
};

/// The characters of `s`, each control character shown by `line_break` when it is a line
/// feed (or a CR LF pair), by `tab` when it is a tab, and visibly escaped otherwise.
fn neutralised<'a>(s: &'a str, line_break: &str, tab: &str) -> Cow<'a, str> {
    // Found byte by byte, since reports and exports of megabytes pass through here: the
    // first character that comes out otherwise than it went in.
    let kept = |c: char| match c {
        '\n' => line_break == "\n",
        '\t' => tab == "\t",
        c => !is_control(c),
    };
    let first = s
        .bytes()
        .enumerate()
        .filter(|&(_, b)| may_start_control(b))
        .find(|&(i, _)| s[i..].chars().next().is_some_and(|c| !kept(c)));
    let Some((first, _)) = first else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..first]);
    let mut chars = s[first..].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push_str(line_break),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\t' => out.push_str(tab),
            c if is_control(c) => shown(c, &mut out),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text of several lines made safe for a terminal: line feeds and tabs stay, a CR LF
/// becomes a line feed, and every other control character is shown escaped.
///
/// ```
/// use sluss::report::escape::terminal;
/// assert_eq!(terminal("a\x1b[31mb\r\nc\x07"), "a\\u{1b}[31mb\nc\\u{7}");
/// assert_eq!(terminal("Matsedel"), "Matsedel");
/// ```
pub fn terminal(s: &str) -> Cow<'_, str> {
    neutralised(s, "\n", "\t")
}

/// Text of a one-line field (a title, a name, a cell) made safe for a terminal: as
/// [`terminal`], and a line break shows as `⏎`, a tab as a space.
///
/// ```
/// use sluss::report::escape::one_line;
/// assert_eq!(one_line("a\nb\tc\x1b]8;;http://x\x07"), "a⏎b c\\u{1b}]8;;http://x\\u{7}");
/// ```
pub fn one_line(s: &str) -> Cow<'_, str> {
    neutralised(s, "⏎", " ")
}

/// A CSV cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab
/// or carriage return first) is prefixed with `'` so it stays text; control characters
/// are neutralised as for a terminal (line feeds and tabs stay: CSV quotes them).
///
/// ```
/// use sluss::report::escape::csv_cell;
/// assert_eq!(csv_cell("=SUM(A1:A9)"), "'=SUM(A1:A9)");
/// assert_eq!(csv_cell("Digital matsedel"), "Digital matsedel");
/// assert_eq!(csv_cell("a\x1b[2Jb"), "a\\u{1b}[2Jb");
/// ```
pub fn csv_cell(s: &str) -> String {
    let s = terminal(s);
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.into_owned()
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
            '\n' | '\t' => out.push(c),
            c if is_control(c) => shown(c, &mut out),
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
    // Runs of characters that stay as they are are copied whole.
    let special = |b: u8| MARKDOWN_SPECIAL[usize::from(b)];
    let mut rest = s;
    while let Some(at) = rest.bytes().position(special) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let c = rest.chars().next().expect("a character starts here");
        rest = &rest[c.len_utf8()..];
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '<' | '>' | '~' | '@' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_control(c) => shown(c, &mut out),
            _ => out.push(c),
        }
    }
    out.push_str(rest);
    out
}

/// The bytes at which [`markdown`] may change something: the start of a control
/// character ([`may_start_control`]) or a character it escapes with a backslash.
static MARKDOWN_SPECIAL: [bool; 256] = {
    let mut special = LEADS;
    let escaped = b"\\`*_[]#|<>~@";
    let mut i = 0;
    while i < escaped.len() {
        special[escaped[i] as usize] = true;
        i += 1;
    }
    special
};

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
    fn controls_are_shown_not_obeyed() {
        let hostile = "\x1b[31mred\x1b]8;;http://x\x07link\x1b]8;;\x07\r\u{9b}2J\u{202e}txt\x7f";
        for text in [
            terminal(hostile).into_owned(),
            one_line(hostile).into_owned(),
            csv_cell(hostile),
            html(hostile),
            markdown(hostile),
        ] {
            assert!(
                !text.chars().any(|c| is_control(c) && c != '\n'),
                "{text:?}"
            );
        }
        assert_eq!(one_line("a\r\nb"), "a⏎b");
        assert_eq!(terminal("a\rb"), "a\\u{d}b");
        assert_eq!(one_line("\u{202e}"), "\\u{202e}");
    }

    #[test]
    fn the_lead_bytes_cover_every_control() {
        for c in (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|&c| is_control(c))
        {
            let mut buf = [0; 4];
            assert!(
                may_start_control(c.encode_utf8(&mut buf).as_bytes()[0]),
                "{c:?}"
            );
        }
        assert!(matches!(terminal("a\nb\tc é ü"), Cow::Borrowed(_)));
        assert_eq!(terminal("é\r\nx\u{200f}"), "é\nx\\u{200f}");
        assert_eq!(one_line("ok\tthen\nmore"), "ok then⏎more");
    }

    #[test]
    fn markdown_cannot_break_a_table() {
        assert_eq!(markdown("a|b\nc"), "a\\|b c");
        assert_eq!(
            markdown("Åsa\u{85}é_x\r\n\u{202e}@"),
            "Åsa\\u{85}é\\_x  \\u{202e}\\@"
        );
    }
}
