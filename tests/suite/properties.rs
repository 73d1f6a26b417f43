//! Properties of the case file format, checked on generated cases through the library:
//! any text in any field survives a write and a read unchanged, and an edit leaves every
//! line it did not touch byte-identical, whatever comments, line endings and byte-order
//! mark the file has; and any sequence of the edits commands make (advance, session,
//! assign, park, close, reopen, program join and leave, partner add and remove) on a
//! case with a program and partners round-trips at every step, and the history it
//! leaves replays to the fields.
//!
//! The seed is fixed, so every run tries the same cases (deterministic, like the rest
//! of the suite); change `SEED` locally to explore further.

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

use sluss::domain::change::{
    Actor, Change, FieldValue, add_partner, advance, assign, close, join_program, leave_program,
    log_session, park, remove_partner, reopen,
};
use sluss::domain::replay::{partners_as_of, state};
use sluss::domain::{
    Case, Config, Description, HistoryEntry, Outcome, Person, Session, Status, validate,
};
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
        prop::collection::vec(
            (text(), prop::option::of(day()), prop::option::of(day())),
            0..3,
        ),
    )
        .prop_map(|(date, minutes, kind, notes, next_steps)| Session {
            date,
            coach: "erik".to_string(),
            minutes,
            kind,
            notes,
            next_steps: next_steps
                .into_iter()
                .map(|(text, due, done)| sluss::domain::NextStep { text, due, done })
                .collect(),
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
                // Each tag once, as a case may have them (the same word twice is a
                // problem `check` and `edit` point out).
                tags: tags
                    .into_iter()
                    .fold(Vec::new(), |mut kept: Vec<String>, t| {
                        let folded = sluss::domain::words::fold(&t);
                        if !kept.iter().any(|k| sluss::domain::words::fold(k) == folded) {
                            kept.push(t);
                        }
                        kept
                    }),
                partners: Vec::new(),
                result: None,
                follow_up: None,
                duplicate_of: None,
                handed_to: None,
                benefits: Vec::new(),
                adoptions: Vec::new(),
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
        // A session is held on the case: never before the day it was created.
        let mut new_session = new_session.clone();
        new_session.date = new_session.date.max(in_file.created_day());
        // A next step is one line of plain text, due no earlier than its session.
        let session_day = new_session.date;
        for step in &mut new_session.next_steps {
            let plain = |c: char| c == ' ' || c.is_alphanumeric() || c.is_ascii_punctuation();
            if step.text.trim().is_empty() || !step.text.chars().all(plain) {
                step.text = "Boka möte".to_string();
            }
            step.due = step.due.map(|d| d.max(session_day));
        }
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

const SETTINGS_WITH_PROGRAMS: &str = r#"name = "Egenskaper"
[[stages]]
key = "inkommen"
name = "Inkommen"
[[stages]]
key = "provning"
name = "Prövning"
[[stages]]
key = "utforska"
name = "Utforska"
[[coaches]]
key = "erik"
name = "Erik Lind"
[[coaches]]
key = "sara"
name = "Sara Berg"
[[programs]]
key = "p1"
name = "Program 1"
start = 2018-01-01
end = 2018-12-31
[[programs]]
key = "p2"
name = "Program 2"
start = 2019-01-01
end = 2019-12-31
"#;

const MEMBERS: [&str; 3] = ["m1", "m2", "m3"];

/// One edit a command makes.
#[derive(Debug, Clone)]
enum Op {
    Advance(Option<String>),
    Session(Session),
    Assign(&'static str),
    Park(String),
    Close(Outcome, Option<String>),
    Reopen(Option<String>),
    Join(&'static str, Option<String>),
    Leave(Option<String>),
    PartnerAdd(&'static str, Option<String>),
    PartnerRemove(&'static str, Option<String>),
}

fn op() -> impl Strategy<Value = Op> {
    let note = || prop::option::of(text());
    let member = prop::sample::select(MEMBERS.to_vec());
    prop_oneof![
        note().prop_map(Op::Advance),
        session().prop_map(Op::Session),
        prop::sample::select(vec!["erik", "sara"]).prop_map(Op::Assign),
        text().prop_map(Op::Park),
        (prop::sample::select(Outcome::ALL.to_vec()), note()).prop_map(|(o, n)| Op::Close(o, n)),
        note().prop_map(Op::Reopen),
        (prop::sample::select(vec!["p1", "p2"]), note()).prop_map(|(p, n)| Op::Join(p, n)),
        note().prop_map(Op::Leave),
        (member.clone(), note()).prop_map(|(m, n)| Op::PartnerAdd(m, n)),
        (member, note()).prop_map(|(m, n)| Op::PartnerRemove(m, n)),
    ]
}

/// A case as [`case`] makes it, without history, in a program or not, with some of the
/// members as partners and a coach or not.
fn case_with_program() -> impl Strategy<Value = Case> {
    (
        case(),
        prop::option::of(prop::sample::select(vec!["p1", "p2"])),
        prop::sample::subsequence(MEMBERS.to_vec(), 0..=3),
        any::<bool>(),
    )
        .prop_map(|(mut case, program, partners, coached)| {
            case.history.clear();
            case.program = program.map(str::to_string);
            case.partners = partners.into_iter().map(str::to_string).collect();
            case.coach = coached.then(|| "erik".to_string());
            if case.title.trim().is_empty() {
                case.title = "Titel".to_string();
            }
            case
        })
}

/// The change an operation makes, or `None` where the rules refuse it.
fn decide(op: &Op, case: &Case, config: &Config, actor: &Actor) -> Option<Change> {
    let far = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
    match op {
        Op::Advance(note) => advance(case, config, None, note.as_deref(), false, actor),
        Op::Session(s) => log_session(case, config, s.clone(), far),
        Op::Assign(coach) => assign(case, config, coach, None, actor),
        Op::Park(note) => park(case, note, actor),
        Op::Close(outcome, note) => close(case, *outcome, note.as_deref(), actor),
        Op::Reopen(note) => reopen(case, note.as_deref(), actor),
        Op::Join(program, note) => join_program(case, config, program, note.as_deref(), actor),
        Op::Leave(note) => leave_program(case, note.as_deref(), actor),
        Op::PartnerAdd(m, note) => add_partner(case, m, true, note.as_deref(), actor),
        Op::PartnerRemove(m, note) => remove_partner(case, m, note.as_deref(), actor),
    }
    .ok()
}

/// The case with `change` made to it: what the file must read as afterwards.
fn model(case: &Case, change: &Change) -> Case {
    let mut case = case.clone();
    for (key, value) in &change.set {
        let FieldValue::Str(v) = value else {
            panic!("a change sets {key} to a day, which the model does not know")
        };
        match *key {
            "stage" => case.stage = v.clone(),
            "status" => case.status = *Status::ALL.iter().find(|s| s.as_str() == v).unwrap(),
            "outcome" => case.outcome = Outcome::ALL.iter().copied().find(|o| o.as_str() == v),
            "coach" => case.coach = Some(v.clone()),
            "program" => case.program = Some(v.clone()),
            other => panic!("a change sets {other}, which the model does not know"),
        }
    }
    for key in &change.remove {
        match *key {
            "outcome" => case.outcome = None,
            "program" => case.program = None,
            "coach" => case.coach = None,
            other => panic!("a change removes {other}, which the model does not know"),
        }
    }
    for (key, v) in &change.push {
        assert_eq!(*key, "partners");
        case.partners.push(v.clone());
    }
    for (key, v) in &change.pull {
        assert_eq!(*key, "partners");
        case.partners.retain(|p| p != v);
    }
    case.history.extend(change.history.clone());
    case.sessions.extend(change.session.clone());
    case
}

proptest! {
    #![proptest_config(config())]

    /// Any sequence of edits, each written in place into the file the one before left:
    /// every step reads back as the case with that change, keeps every line the change
    /// did not touch byte-identical and in order, and leaves a history that replays to
    /// the case's stage, status, outcome, coach and program.
    #[test]
    fn every_edit_round_trips_and_its_history_replays_to_the_fields(
        start in case_with_program(),
        ops in prop::collection::vec(op(), 1..12),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let config = Config::from_toml(SETTINGS_WITH_PROGRAMS).unwrap();
        let mut text = CaseDocument::for_new_case(&start).render();
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        if bom {
            text.insert(0, '\u{feff}');
        }
        let mut case = parse_case(path(), &text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        for (i, op) in ops.iter().enumerate() {
            let actor = Actor {
                by: "erik".to_string(),
                // A day apart, so that replaying to any day sees whole steps.
                at: case.created + chrono::Duration::days(i as i64 + 1),
            };
            let Some(change) = decide(op, &case, &config, &actor) else {
                continue;
            };
            let mut doc = CaseDocument::parse(path(), &text).unwrap();
            doc.apply(&change).unwrap();
            let edited = doc.render();

            let expected = model(&case, &change);
            let back = parse_case(path(), &edited)
                .map_err(|e| TestCaseError::fail(format!("{op:?}: {e}\n{edited}")))?;
            prop_assert_eq!(&back, &expected, "{:?}", op);
            prop_assert_eq!(edited.starts_with('\u{feff}'), bom);
            prop_assert!(
                validate::problems(&back, &config).is_empty(),
                "{:?}: {:?}", op, validate::problems(&back, &config)
            );

            // The lines of the keys it changed aside, every line is kept, in order.
            let touched: Vec<&str> = change
                .set
                .iter()
                .map(|(k, _)| *k)
                .chain(change.remove.iter().copied())
                .chain(change.push.iter().map(|(k, _)| *k))
                .chain(change.pull.iter().map(|(k, _)| *k))
                .collect();
            let mut rest = edited.split('\n');
            for line in text.split('\n') {
                let bare = line.trim_start_matches('\u{feff}');
                if touched.iter().any(|k| bare.starts_with(&format!("{k} ="))) {
                    continue;
                }
                prop_assert!(
                    rest.any(|l| l == line),
                    "{:?}: line {:?} was lost, changed or moved:\n--- before\n{}\n--- after\n{}",
                    op, line, text, edited
                );
            }

            // The history replays to the fields.
            let replayed = state(&back, &config, Some(NaiveDate::MAX)).unwrap();
            prop_assert_eq!(&replayed.stage, &back.stage);
            prop_assert_eq!(replayed.status, back.status);
            prop_assert_eq!(replayed.outcome, back.outcome);
            prop_assert_eq!(&replayed.coach, &back.coach);
            prop_assert_eq!(&replayed.program, &back.program);
            // And to the day it was created, as the case started.
            let created = back.created_day();
            let first = state(&back, &config, Some(created)).unwrap();
            prop_assert_eq!(&first.stage, &start.stage);
            prop_assert_eq!(first.status, Status::Open);
            prop_assert_eq!(&first.coach, &start.coach);
            prop_assert_eq!(&first.program, &start.program);
            let mut partners = partners_as_of(&back, Some(created));
            partners.sort();
            prop_assert_eq!(partners, start.partners.clone());

            text = edited;
            case = back;
        }
    }
}
