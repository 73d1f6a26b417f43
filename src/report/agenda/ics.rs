//! The agenda as an iCalendar feed (RFC 5545) that Outlook and Google Calendar import:
//! one all-day `VEVENT` per coaching session and per next step with a due day.
//!
//! Written by hand, being small: lines end in CRLF and are folded at 75 octets (never
//! inside a character), text escapes `\`, `;`, `,` and line breaks, and every event's
//! `UID` comes from its case's id and what the event is (see `Uids`), so that a feed
//! imported again updates its events instead of doubling them, after a merge too. `DTSTAMP` is the command's clock
//! (`SLUSS_NOW` in tests), so the same repository gives the same feed.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use super::Agenda;
use crate::i18n::Lang;

/// The feed of `agenda`, its texts in `lang`, stamped `now`; `name` names the calendar.
/// `None` when it would hold no event: RFC 5545 wants a calendar to hold at least one
/// component, and an empty feed imported would say nothing. An event on a day whose
/// next day cannot be written in four digits (`9999-12-31`, which `sluss check` warns
/// of) is left out.
pub fn calendar(
    agenda: &Agenda,
    lang: Lang,
    name: &str,
    now: DateTime<FixedOffset>,
) -> Option<String> {
    let stamp = now.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string();
    let mut uids = Uids::default();
    let mut events = String::new();
    let mut line = |text: &str| push_line(&mut events, text);
    for s in &agenda.sessions {
        if !writable(s.date) {
            continue;
        }
        let summary = lang.format(
            "agenda.ics_session",
            &[("title", &s.title), ("minutes", &s.minutes.to_string())],
        );
        let description = lang.format("agenda.ics_case", &[("case", &s.case)]);
        let what = format!(
            "{}\0{}\0{}",
            s.coach,
            s.minutes,
            s.kind.as_deref().unwrap_or("")
        );
        event(
            &mut line,
            &uids.uid(&s.case, "session", s.date, &what),
            &stamp,
            s.date,
            &summary,
            &description,
        );
    }
    for s in &agenda.next_steps {
        let Some(due) = s.due.filter(|d| writable(*d)) else {
            continue;
        };
        let summary = lang.format("agenda.ics_step", &[("text", &s.text)]);
        let description = lang.format(
            "agenda.ics_step_case",
            &[
                ("case", &s.case),
                ("title", &s.title),
                ("step", &s.step.to_string()),
            ],
        );
        event(
            &mut line,
            &uids.uid(&s.case, "step", s.agreed, &s.text),
            &stamp,
            due,
            &summary,
            &description,
        );
    }
    if events.is_empty() {
        return None;
    }
    let mut out = String::new();
    let mut line = |text: &str| push_line(&mut out, text);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line(&format!(
        "PRODID:-//sluss//sluss {}//{}",
        env!("CARGO_PKG_VERSION"),
        lang.code().to_uppercase()
    ));
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", escape(name)));
    out.push_str(&events);
    push_line(&mut out, "END:VCALENDAR");
    Some(out)
}

/// Whether an all-day event on `day` can be written: it and the day after it in four
/// digits (RFC 5545, 3.3.4).
fn writable(day: NaiveDate) -> bool {
    use chrono::Datelike as _;
    day.succ_opt()
        .is_some_and(|next| (0..=9999).contains(&day.year()) && next.year() <= 9999)
}

/// Events' UIDs, made of what the event is rather than where it sits in the file, so
/// that a session or step keeps its UID when a merge puts an earlier session before
/// it: the case id, the kind, the day (of the session; of the session that agreed on
/// a step) and a short hash of what it holds (coach, minutes and kind of a session; a
/// step's text). The same event twice in a case gets `-2`, `-3` …
#[derive(Default)]
struct Uids {
    seen: std::collections::HashMap<String, usize>,
}

impl Uids {
    fn uid(&mut self, case: &str, kind: &str, day: NaiveDate, what: &str) -> String {
        use sha2::Digest as _;
        let hash = sha2::Sha256::digest(what.as_bytes());
        let short: String = hash[..5].iter().map(|b| format!("{b:02x}")).collect();
        let base = format!("{case}-{kind}-{}-{short}", day.format("%Y%m%d"));
        let n = self.seen.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            format!("{base}@sluss")
        } else {
            format!("{base}-{n}@sluss")
        }
    }
}

/// One all-day event on `day`.
fn event(
    line: &mut impl FnMut(&str),
    uid: &str,
    stamp: &str,
    day: NaiveDate,
    summary: &str,
    description: &str,
) {
    line("BEGIN:VEVENT");
    line(&format!("UID:{}", escape(uid)));
    line(&format!("DTSTAMP:{stamp}"));
    line(&format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")));
    let next = day.succ_opt().unwrap_or(day);
    line(&format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")));
    line(&format!("SUMMARY:{}", escape(summary)));
    line(&format!("DESCRIPTION:{}", escape(description)));
    line("TRANSP:TRANSPARENT");
    line("END:VEVENT");
}

/// A TEXT value (RFC 5545, 3.3.11): `\`, `;` and `,` escaped, a line break as `\n`,
/// other control characters left out.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `text` as a content line: folded so that no line is longer than 75 octets
/// (a continuation line starts with one space, which counts), ended by CRLF.
fn push_line(out: &mut String, text: &str) {
    out.push_str(&fold(text));
}

/// `text` folded into lines of at most 75 octets, each ended by CRLF, cut only between
/// characters (RFC 5545, 3.1).
pub fn fold(text: &str) -> String {
    const MAX: usize = 75;
    let mut out = String::with_capacity(text.len() + 8);
    let mut used = 0;
    for c in text.chars() {
        let len = c.len_utf8();
        if used + len > MAX {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_what_rfc_5545_names() {
        assert_eq!(escape("a,b;c\\d"), "a\\,b\\;c\\\\d");
        assert_eq!(
            escape("one\ntwo\r\nthree\rfour"),
            "one\\ntwo\\nthree\\nfour"
        );
        assert_eq!(escape("bell\u{7}"), "bell");
        assert_eq!(escape("Möte: plan"), "Möte: plan");
    }

    #[test]
    fn short_lines_are_not_folded() {
        assert_eq!(fold("BEGIN:VEVENT"), "BEGIN:VEVENT\r\n");
        let exactly = "x".repeat(75);
        assert_eq!(fold(&exactly), format!("{exactly}\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let text = format!("SUMMARY:{}", "å".repeat(100));
        let folded = fold(&text);
        assert!(folded.ends_with("\r\n"));
        let lines: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(lines.len() > 1);
        for (i, l) in lines.iter().enumerate() {
            assert!(l.len() <= 75, "line {i} has {} octets", l.len());
            if i > 0 {
                assert!(l.starts_with(' '));
            }
        }
        // Unfolding gives the text back.
        let unfolded: String = lines
            .iter()
            .enumerate()
            .map(|(i, l)| if i == 0 { *l } else { &l[1..] })
            .collect();
        assert_eq!(unfolded, text);
        // The first line is filled: 8 octets of name, then 33 two-octet letters.
        assert_eq!(lines[0].len(), 74);
    }
}
