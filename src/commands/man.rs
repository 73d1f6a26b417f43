//! `sluss man`: manual pages, made from the clap tree.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::CommandFactory as _;

use crate::output;

/// Print the manual page (roff).
///
/// For example `sluss man > ~/.local/share/man/man1/sluss.1`; `--dir` writes a page per
/// subcommand as well.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Instead, write sluss.1 and a page for each subcommand (sluss-advance.1 …) into DIR.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let Some(dir) = args.dir else {
        output::emit(&render(crate::cli::Cli::command())?.1)?;
        return Ok(ExitCode::SUCCESS);
    };
    // Built, so that each subcommand knows its full name (`sluss-advance`).
    let mut command = crate::cli::Cli::command().disable_help_subcommand(true);
    command.build();
    let mut pages = Vec::new();
    collect(&command, &mut pages)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    for (name, page) in &pages {
        crate::storage::write::atomic_write(&dir.join(name), page.as_bytes())?;
    }
    output::emit(&format!(
        "Wrote {} manual pages to {}\n",
        pages.len(),
        dir.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// A page's file name and its text.
fn render(command: clap::Command) -> Result<(String, String)> {
    let title = command
        .get_display_name()
        .unwrap_or_else(|| command.get_name())
        .to_uppercase();
    let man = clap_mangen::Man::new(command)
        .title(title)
        .date(date())
        .source(format!("sluss {}", env!("CARGO_PKG_VERSION")))
        .manual("sluss manual");
    let mut page = Vec::new();
    man.render(&mut page)?;
    Ok((man.get_filename(), tidy(&String::from_utf8(page)?)))
}

/// The day the pages carry in their footer: `SOURCE_DATE_EPOCH` when it is set (as
/// reproducible builds set it), else the newest day a release heading of the CHANGELOG
/// names (`## 0.3.0 (2026-12-10): …`), else [`RELEASE_DAY`]. Never today: the same
/// sluss makes the same pages.
fn date() -> String {
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0));
    if let Some(moment) = epoch {
        return moment.date_naive().to_string();
    }
    changelog_day(include_str!("../../CHANGELOG.md")).unwrap_or_else(|| RELEASE_DAY.to_string())
}

/// The day of the version this sluss was built from, when its CHANGELOG heading names
/// none (an unreleased version).
const RELEASE_DAY: &str = "2026-12-03";

/// The newest ISO day named in a `## ` heading of a CHANGELOG.
fn changelog_day(changelog: &str) -> Option<String> {
    changelog
        .lines()
        .filter(|line| line.starts_with("## "))
        .flat_map(|line| {
            line.char_indices()
                .filter_map(|(at, _)| line.get(at..at + 10))
                .filter_map(|word| chrono::NaiveDate::parse_from_str(word, "%Y-%m-%d").ok())
                .collect::<Vec<_>>()
        })
        .max()
        .map(|day| day.to_string())
}

/// Puts clap_mangen's roff right for `mandoc -Tlint` and `groff -ww`: every character
/// outside ASCII as a roff escape (`\[u00E5]`), an empty line next to a break as one
/// `.sp`, no whitespace at the ends of lines, and text lines wrapped at 80 bytes.
fn tidy(page: &str) -> String {
    let page = page
        .replace(".br\n\n.br\n", ".sp\n")
        .replace("\n\n.br\n", "\n.sp\n");
    let mut out = String::with_capacity(page.len() + page.len() / 8);
    let mut tag_next = false;
    for line in page.lines() {
        let line = escape_non_ascii(line.trim_end());
        let is_text = !line.starts_with(['.', '\'']);
        if is_text && !tag_next {
            wrap(&line, 80, &mut out);
        } else {
            out.push_str(&line);
            out.push('\n');
        }
        // The line after `.TP` is the tag: a second line would begin the paragraph.
        tag_next = line == ".TP" || line.starts_with(".TP ");
    }
    out
}

fn escape_non_ascii(line: &str) -> String {
    if line.is_ascii() {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + 16);
    for c in line.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", u32::from(c)));
        }
    }
    out
}

/// A text line as lines of at most `width` bytes where it has spaces to break at (in fill
/// mode a line's end is a space). A line never begins with a control character.
fn wrap(line: &str, width: usize, out: &mut String) {
    let mut current = String::new();
    for word in words(line) {
        if !current.is_empty() && current.len() + 1 + word.len() > width {
            out.push_str(&current);
            out.push('\n');
            current.clear();
        }
        if current.is_empty() {
            if word.starts_with(['.', '\'']) {
                current.push_str("\\&");
            }
        } else {
            current.push(' ');
        }
        current.push_str(word);
    }
    out.push_str(&current);
    out.push('\n');
}

/// The words of a roff text line: split at single spaces that are not escaped (`\ `);
/// where spaces run together the run stays inside a word, as it would be lost at a break.
fn words(line: &str) -> Vec<&str> {
    let bytes = line.as_bytes();
    let mut words = Vec::new();
    let mut start = 0;
    for at in 0..bytes.len() {
        let breakable = bytes[at] == b' '
            && at > start
            && bytes[at - 1] != b'\\'
            && bytes[at - 1] != b' '
            && bytes.get(at + 1).is_some_and(|&b| b != b' ');
        if breakable {
            words.push(&line[start..at]);
            start = at + 1;
        }
    }
    words.push(&line[start..]);
    words
}

fn collect(command: &clap::Command, pages: &mut Vec<(String, String)>) -> Result<()> {
    pages.push(render(command.clone())?);
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, pages)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_is_the_newest_a_changelog_heading_names() {
        let changelog = "# Changelog\n\nSince 2031-01-01 in prose.\n\n## Unreleased (0.4.0)\n\n\
                         ## 0.3.0 (2026-12-10): reports\n\n- x\n\n## 0.2.0 (2026-01-05)\n";
        assert_eq!(changelog_day(changelog).as_deref(), Some("2026-12-10"));
        assert_eq!(changelog_day("## Unreleased\n## 0.1.0\n"), None);
    }

    #[test]
    fn text_lines_are_wrapped_at_spaces_and_never_begin_with_a_control_character() {
        let line = format!("{} .profile 'x' a\\ b", "word ".repeat(15));
        let mut out = String::new();
        wrap(&line, 80, &mut out);
        for l in out.lines() {
            assert!(l.len() <= 80, "{l}");
            assert!(!l.starts_with(['.', '\'']), "{l}");
        }
        assert!(
            out.contains("\\&.profile") || out.contains(" .profile"),
            "{out}"
        );
        assert!(out.contains("a\\ b"), "{out}");
        let tidied = tidy(".TP\n\\fB\\-\\-to\\fR\nPr\u{f6}vning \u{2026}  \n.br\n\n.br\nx\n");
        assert_eq!(
            tidied,
            ".TP\n\\fB\\-\\-to\\fR\nPr\\[u00F6]vning \\[u2026]\n.sp\nx\n"
        );
    }
}
