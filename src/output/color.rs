//! Colour on the terminal, where it helps: stale cases and stages over their WIP limit
//! on the board, stale rows in `list`, problems in `check`, and the `error:`,
//! `warning:`, `hint:` and `refused` of messages on stderr.
//!
//! Whether a stream is painted is decided once per stream from `--color` ([`set`]), then
//! `NO_COLOR` (not empty: never), `CLICOLOR_FORCE` (always) and whether the stream is a
//! terminal, as anstream decides it. A file written with `-o` is never painted: only
//! [`emit`] paints, and it writes to stdout.
//!
//! Text is laid out plain and painted afterwards: a [`Painted`] text is pieces, each
//! with an optional [`Paint`]; its width is that of its plain text, and the escape
//! sequences are added only when it is written, after each piece's control characters
//! are shown harmlessly ([`escape::terminal`]), so no text from a file can smuggle its
//! own sequence in.

use std::io::{self, Write as _};

use anstyle::{AnsiColor, Effects, Style};

use crate::report::escape;

/// `--color`: when to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorWhen {
    /// Colour when the stream is a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    /// Always colour, even into a pipe (not into a file written with -o).
    Always,
    /// Never colour.
    Never,
}

/// Sets the choice for the whole run; `auto` leaves it to the environment and the
/// stream.
pub fn set(when: ColorWhen) {
    let choice = match when {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
}

/// Whether what goes to stdout is painted.
pub fn stdout_paints() -> bool {
    anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
}

/// Whether what goes to stderr is painted.
pub fn stderr_paints() -> bool {
    anstream::AutoStream::choice(&io::stderr()) != anstream::ColorChoice::Never
}

/// What a piece of text means, which its colour shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    /// Idle for more than half of `stale_after_days`: getting old.
    Aging,
    /// Stale: open and idle for more than `stale_after_days`.
    Stale,
    /// A stage over its WIP limit.
    Over,
    /// A heading (a column of the board).
    Heading,
    /// Something quiet (a note under a board).
    Dim,
    /// `error:`, `refused`.
    Error,
    /// `warning:`.
    Warning,
    /// `hint:`.
    Hint,
}

impl Paint {
    fn style(self) -> Style {
        let fg = |c: AnsiColor| Style::new().fg_color(Some(c.into()));
        match self {
            Paint::Aging => fg(AnsiColor::Yellow),
            Paint::Stale => fg(AnsiColor::Red),
            Paint::Over => fg(AnsiColor::Red).effects(Effects::BOLD),
            Paint::Heading => Style::new().effects(Effects::BOLD),
            Paint::Dim => Style::new().effects(Effects::DIMMED),
            Paint::Error => fg(AnsiColor::Red).effects(Effects::BOLD),
            Paint::Warning => fg(AnsiColor::Yellow).effects(Effects::BOLD),
            Paint::Hint => fg(AnsiColor::Cyan),
        }
    }
}

/// Text in pieces, some painted. Laid out by its plain text; painted when written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Painted {
    pieces: Vec<(String, Option<Paint>)>,
}

impl Painted {
    pub fn new() -> Painted {
        Painted::default()
    }

    /// Adds `text`, painted with `paint` when there is one.
    pub fn push(&mut self, text: impl Into<String>, paint: Option<Paint>) -> &mut Painted {
        let text = text.into();
        if !text.is_empty() {
            self.pieces.push((text, paint));
        }
        self
    }

    /// Adds plain `text`.
    pub fn plain(&mut self, text: impl Into<String>) -> &mut Painted {
        self.push(text, None)
    }

    /// `text` line by line, each line painted as `paint` says (for a listing whose
    /// rows are lines).
    pub fn lines(text: &str, paint: impl Fn(&str) -> Option<Paint>) -> Painted {
        let mut painted = Painted::new();
        for line in text.split_inclusive('\n') {
            let (body, end) = match line.strip_suffix('\n') {
                Some(body) => (body, "\n"),
                None => (line, ""),
            };
            painted.push(body, paint(body)).plain(end);
        }
        painted
    }

    /// The text without colour.
    pub fn text(&self) -> String {
        self.pieces.iter().map(|(t, _)| t.as_str()).collect()
    }

    /// The text for a terminal: each piece's control characters shown harmlessly, and,
    /// when `colour`, each painted piece wrapped in its escape sequences.
    pub fn render(&self, colour: bool) -> String {
        let mut out = String::new();
        for (text, paint) in &self.pieces {
            let safe = escape::terminal(text);
            match paint.filter(|_| colour) {
                Some(p) => {
                    let style = p.style();
                    out.push_str(&format!("{style}{safe}{style:#}"));
                }
                None => out.push_str(&safe),
            }
        }
        out
    }
}

/// Writes `text` to stdout, painted when stdout takes colour. A reader that went away
/// ends the program quietly, as [`crate::output::emit`] does.
pub fn emit(text: &Painted) -> io::Result<()> {
    let rendered = text.render(stdout_paints());
    crate::output::emit_with(|out| out.write_all(rendered.as_bytes()))
}

/// Text for stderr, already shown harmlessly ([`escape::terminal`]), with the `error:`,
/// `warning:` and `hint:` that open a line (after its indent) and a `refused` after
/// `error:` painted.
pub fn paint_messages(safe: &str) -> String {
    let mut out = String::with_capacity(safe.len() + 32);
    for line in safe.split_inclusive('\n') {
        let body = line.trim_start_matches(' ');
        out.push_str(&line[..line.len() - body.len()]);
        let found = [
            ("error: refused:", Paint::Error),
            ("error:", Paint::Error),
            ("warning:", Paint::Warning),
            ("hint:", Paint::Hint),
        ]
        .into_iter()
        .find(|(prefix, _)| body.starts_with(prefix));
        match found {
            Some((prefix, paint)) => {
                let style = paint.style();
                out.push_str(&format!("{style}{prefix}{style:#}"));
                out.push_str(&body[prefix.len()..]);
            }
            None => out.push_str(body),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn painted_text_is_laid_out_plain_and_sanitised_before_it_is_painted() {
        let mut p = Painted::new();
        p.plain("id ").push("Gammal\x1b[2J", Some(Paint::Stale));
        assert_eq!(p.text(), "id Gammal\x1b[2J");
        assert_eq!(p.render(false), "id Gammal\\u{1b}[2J");
        let painted = p.render(true);
        assert!(painted.starts_with("id \x1b[31mGammal\\u{1b}[2J"));
        assert!(painted.ends_with("\x1b[0m"));
    }

    #[test]
    fn message_prefixes_are_painted_at_the_start_of_a_line_only() {
        let text = paint_messages("error: refused: no\n  hint: do this\nsaid error: x\n");
        assert!(text.starts_with("\x1b[1m\x1b[31merror: refused:\x1b[0m no\n  \x1b[36mhint:"));
        assert!(text.ends_with("said error: x\n"));
    }
}
