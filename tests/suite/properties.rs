//! Properties of the case file format, checked on generated cases through the library:
//! any text in any field survives a write and a read unchanged, and an edit leaves every
//! line it did not touch byte-identical, whatever comments, line endings and byte-order
//! mark the file has.
//!
//! The seed is fixed, so every run tries the same cases (deterministic, like the rest
//! of the suite); change `SEED` locally to explore further.

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

use sluss::domain::change::{Actor, advance, log_session};
use sluss::domain::{Case, Config, Description, HistoryEntry, Person, Session, Status};
use sluss::storage::CaseDocument;
use sluss::storage::repo::parse_case;

const SEED: u64 = 0x51_55_55;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 96,
        rng_seed: RngSeed::Fixed(SEED),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const SETTINGS: &str = r#"name = "Egenskaper"
[[stages]]
key = "inkommen"
name = "Inkommen"
[[stages]]
key = "provning"
name = "Prövning"
[[coaches]]
key = "erik"
name = "Erik Lind"
"#;

fn settings() -> Config {
    Config::from_toml(SETTINGS).unwrap()
}

/// Text as people and programs write it, and worse: any printable text, any single
/// character (control characters included), and pieces that TOML gives meaning to.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<String>(),
        any::<char>().prop_map(String::from),
        prop::char::range('\0', '\u{1f}').prop_map(String::from),
        Just("\"\"\"".to_string()),
        Just("'''".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("\\".to_string()),
        Just("\\n".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\t".to_string()),
        Just("\u{7f}".to_string()),
        Just("\u{feff}".to_string()),
        Just("\u{2028}".to_string()),
        Just("# ingen kommentar".to_string()),
        Just("[[sessions]]\nminutes = 5".to_string()),
        Just("stage = \"infora\"".to_string()),
        "[åäöÅÄÖ ]{0,8}",
    ];
    prop::collection::vec(piece, 0..6).prop_map(|pieces| pieces.concat())
}

fn moment() -> impl Strategy<Value = DateTime<FixedOffset>> {
    let offsets = prop_oneof![
        Just(-5 * 3600),
        Just(0),
        Just(3600),
        Just(7200),
        Just(19800)
    ];
    (946_684_800i64..1_893_456_000, offsets).prop_map(|(secs, offset)| {
        FixedOffset::east_opt(offset)
            .unwrap()
            .timestamp_opt(secs, 0)
            .unwrap()
    })
}

fn day() -> impl Strategy<Value = NaiveDate> {
    (0u64..10_000).prop_map(|d| NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new(d))
}

fn history_entry() -> impl Strategy<Value = HistoryEntry> {
    (moment(), text(), prop::option::of(text())).prop_map(|(at, by, note)| HistoryEntry {
        at,
        by,
        note,
        ..HistoryEntry::default()
    })
}

fn session() -> impl Strategy<Value = Session> {
    (
        day(),
        1u32..=600,
        prop::option::of(text()),
        prop::option::of(text()),
        prop::collection::vec(text(), 0..3),
    )
        .prop_map(|(date, minutes, kind, notes, next_steps)| Session {
            date,
            coach: "erik".to_string(),
            minutes,
            kind,
            notes,
            next_steps,
        })
}

/// An open case in the first stage, with arbitrary text in every free-text field.
fn case() -> impl Strategy<Value = Case> {
    (
        (
            text(),
            text(),
            prop::collection::vec(text(), 0..4),
            moment(),
        ),
        (
            prop::option::of(text()),
            prop::option::of(text()),
            text(),
            any::<bool>(),
            prop::option::of(text()),
        ),
        prop::collection::vec(history_entry(), 0..3),
        prop::collection::vec(session(), 0..3),
    )
        .prop_map(
            |(
                (title, unit, tags, created),
                (need, idea, name, consent, contact),
                history,
                sessions,
            )| Case {
                id: "prop0001".to_string(),
                title,
                created,
                stage: "inkommen".to_string(),
                status: Status::Open,
                outcome: None,
                coach: Some("erik".to_string()),
                unit,
                program: None,
                tags,
                partners: Vec::new(),
                submitter: Some(Person {
                    name,
                    consent,
                    contact,
                    ..Default::default()
                }),
                description: Description { need, idea },
                history,
                sessions,
            },
        )
}

fn path() -> &'static Path {
    Path::new("cases/prop0001.toml")
}

proptest! {
    #![proptest_config(config())]

    /// What sluss writes for a new case reads back as the same case, and reading and
    /// writing it again without a change gives the same bytes.
    #[test]
    fn any_text_in_any_field_survives_a_write_and_a_read(case in case()) {
        let text = CaseDocument::for_new_case(&case).render();
        let back = parse_case(path(), &text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&back, &case);
        let again = CaseDocument::parse(path(), &text).unwrap().render();
        prop_assert_eq!(again, text);
    }

    /// An edit (a session with any notes, or a stage move with any note) leaves every
    /// line it did not touch byte-identical and in order, in a file with comments
    /// between its lines, CRLF line endings and a byte-order mark or not.
    #[test]
    fn an_edit_leaves_every_line_it_did_not_touch_alone(
        case in case(),
        comments in prop::collection::vec(
            (any::<prop::sample::Index>(), "[^\\x00-\\x08\\x0a-\\x1f\\x7f]{0,30}"),
            0..6,
        ),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        new_session in session(),
        move_note in prop::option::of(text()),
        moves in any::<bool>(),
    ) {
        // The file: rendered, with comment lines put in wherever they do not change what
        // it says (not inside a multi-line string), then in the chosen style.
        let mut lines: Vec<String> = CaseDocument::for_new_case(&case)
            .render()
            .lines()
            .map(str::to_string)
            .collect();
        for (at, comment) in &comments {
            let at = at.index(lines.len() + 1);
            lines.insert(at, format!("#{comment}"));
            let candidate = lines.join("\n") + "\n";
            if parse_case(path(), &candidate).ok().as_ref() != Some(&case) {
                lines.remove(at);
            }
        }
        let mut original = lines.join("\n") + "\n";
        if crlf {
            original = original.replace('\n', "\r\n");
        }
        if bom {
            original.insert(0, '\u{feff}');
        }
        // CRLF inside a multi-line string is what the file now says.
        let in_file = parse_case(path(), &original)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{original}")))?;

        let actor = Actor { by: "erik".to_string(), at: in_file.created };
        let today = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
        let change = if moves {
            advance(&in_file, &settings(), None, move_note.as_deref(), false, &actor).unwrap()
        } else {
            log_session(&in_file, &settings(), new_session.clone(), today).unwrap()
        };
        let mut doc = CaseDocument::parse(path(), &original).unwrap();
        doc.apply(&change).unwrap();
        let edited = doc.render();

        // It reads as the case with the change, and nothing else.
        let mut expected = in_file.clone();
        if moves {
            expected.stage = "provning".to_string();
            expected.history.push(change.history.clone().unwrap());
        } else {
            expected.sessions.push(new_session);
        }
        let back = parse_case(path(), &edited)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{edited}")))?;
        prop_assert_eq!(back, expected);

        // Its style is kept.
        prop_assert_eq!(edited.starts_with('\u{feff}'), bom);
        if crlf {
            prop_assert!(!edited.replace("\r\n", "").contains('\n'), "a bare LF:\n{:?}", edited);
        } else {
            prop_assert!(!edited.contains("\r\n") || original.contains("\r\n"));
        }

        // Every line of the original is there, byte for byte and in order; a stage move
        // changes the `stage` line's value alone.
        let mut rest = edited.split('\n');
        for line in original.split('\n') {
            let line = if moves && line.trim_end_matches('\r') == "stage = \"inkommen\"" {
                line.replacen("inkommen", "provning", 1)
            } else {
                line.to_string()
            };
            prop_assert!(
                rest.any(|l| l == line),
                "line {:?} was lost, changed or moved:\n--- before\n{}\n--- after\n{}",
                line, original, edited
            );
        }
    }
}
