//! One innovation program at a glance (`sluss program show`): its cases, how far they
//! got, the coaching they had and the people and teams taking part. Computed once from
//! the cases and the program's participants file, then built as a [`Document`] for the
//! writers (table, Markdown, HTML), or written as JSON or tidy CSV (one row per case).

use chrono::NaiveDate;
use serde::Serialize;

use super::portfolio::{self, Figures, Input, Options, Period};
use crate::document::{
    Block, Cell, Colophon, Column, ColumnKind, Definition, Document, KeyFigure, Lang, Table,
};
use crate::domain::participants::{Participant, ParticipantKind};
use crate::domain::replay::{CaseState, state};
use crate::domain::{Case, Config, Outcome, Program, Status};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgramReport {
    pub key: String,
    pub name: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub as_of: NaiveDate,
    /// Whether the cases were replayed to `as_of` (`--as-of`) rather than taken as
    /// their files say now.
    pub replayed: bool,
    /// Made for publication: only consenting participants are named, no contacts.
    pub public: bool,
    /// The same counts as the program's row in `summary`: cases by status and outcome,
    /// per stage the cases that reached it and the open cases in it, sessions, minutes.
    #[serde(flatten)]
    pub figures: Figures,
    /// The cases in the program (on `as_of`), furthest stage first.
    pub cases: Vec<ProgramCase>,
    /// Cases whose history (up to `as_of`) says they were in the program, but that were
    /// no longer in it.
    pub left: Vec<ProgramCase>,
    pub participants: Participants,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgramCase {
    pub id: String,
    pub title: String,
    pub stage: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    pub coach: Option<String>,
    pub sessions: usize,
    pub minutes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Participants {
    pub total: usize,
    pub people: usize,
    pub teams: usize,
    /// Those who agreed to be named in published output.
    pub consenting: usize,
    pub list: Vec<ShownParticipant>,
}

/// A participant as the report shows it. In a public report a participant without
/// consent has no name, and nobody's contact is shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShownParticipant {
    pub name: Option<String>,
    pub unit: String,
    pub kind: ParticipantKind,
    pub consent: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// Computes the report of `program` on `day` from every case of the repository; with
/// `replay`, each case as it stood on `day` (its stage, status, coach, program and
/// sessions), as `summary --as-of` replays it.
pub fn compute(
    program: &Program,
    cases: &[&Case],
    participants: &[Participant],
    config: &Config,
    day: NaiveDate,
    replay: bool,
    public: bool,
) -> ProgramReport {
    let inputs: Vec<Input> = cases.iter().map(|case| Input { repo: "", case }).collect();
    let as_of = replay.then_some(day);
    let options = Options {
        day,
        replay,
        since: None,
        until: None,
        period: Period::Quarter,
        by: None,
        attention_limit: 0,
    };
    let figures = portfolio::compute(&inputs, config, &options, 0)
        .programs
        .into_iter()
        .find(|p| p.key == program.key)
        .map(|p| p.figures)
        .expect("the program is in the settings");

    let key = Some(program.key.as_str());
    let counts = |day: NaiveDate| crate::domain::AsOf::from(as_of).counts(day);
    // Every case that existed on the day, with its state then.
    let states: Vec<(&Case, CaseState)> = cases
        .iter()
        .filter_map(|case| Some((*case, state(case, config, as_of)?)))
        .collect();
    let row = |(case, st): &(&Case, CaseState)| {
        let sessions = case.sessions.iter().filter(|s| counts(s.date));
        ProgramCase {
            id: case.id.clone(),
            title: case.title.clone(),
            stage: st.stage.clone(),
            status: st.status,
            outcome: st.outcome,
            coach: st.coach.clone(),
            sessions: sessions.clone().count(),
            minutes: sessions.map(|s| u64::from(s.minutes)).sum(),
        }
    };
    let furthest_first = |a: &ProgramCase, b: &ProgramCase| {
        let at = |c: &ProgramCase| config.stage_index(&c.stage).unwrap_or(usize::MAX);
        at(b).cmp(&at(a)).then_with(|| a.id.cmp(&b.id))
    };
    let mut in_program: Vec<ProgramCase> = states
        .iter()
        .filter(|(_, st)| st.program.as_deref() == key)
        .map(row)
        .collect();
    in_program.sort_by(furthest_first);
    let mut left: Vec<ProgramCase> = states
        .iter()
        .filter(|(_, st)| st.program.as_deref() != key)
        .filter(|(c, _)| {
            // It joined the program, or (registered in it) left it, by the day.
            c.history
                .iter()
                .filter(|e| counts(e.day()))
                .any(|e| e.program.as_deref() == key || e.previous_program.as_deref() == key)
        })
        .map(row)
        .collect();
    left.sort_by(furthest_first);

    let mut list: Vec<ShownParticipant> = participants
        .iter()
        .map(|p| ShownParticipant {
            name: (!public || p.consent).then(|| p.name.clone()),
            unit: p.unit.clone(),
            kind: p.kind,
            consent: p.consent,
            contact: if public { None } else { p.contact.clone() },
        })
        .collect();
    // Named first, by name; then the unnamed, by unit. Ties keep the file's order.
    list.sort_by(|a, b| {
        a.name
            .is_none()
            .cmp(&b.name.is_none())
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.unit.cmp(&b.unit))
    });
    let participants = Participants {
        total: participants.len(),
        people: participants
            .iter()
            .filter(|p| p.kind == ParticipantKind::Person)
            .count(),
        teams: participants
            .iter()
            .filter(|p| p.kind == ParticipantKind::Team)
            .count(),
        consenting: participants.iter().filter(|p| p.consent).count(),
        list,
    };

    ProgramReport {
        key: program.key.clone(),
        name: program.name.clone(),
        start: program.start,
        end: program.end,
        as_of: day,
        replayed: replay,
        public,
        figures,
        cases: in_program,
        left,
        participants,
    }
}

/// The program's period as people read it ("15 januari–15 juni 2020", "från 1 mars
/// 2020"), if it has dates.
pub fn period(start: Option<NaiveDate>, end: Option<NaiveDate>, lang: Lang) -> Option<String> {
    match (start, end) {
        (Some(a), Some(b)) => Some(lang.period(a, b)),
        (Some(a), None) => Some(lang.format("program.from", &[("date", &lang.long_date(a))])),
        (None, Some(b)) => Some(lang.format("program.until", &[("date", &lang.long_date(b))])),
        (None, None) => None,
    }
}

/// Which sessions the hours count, as a column label and a definition say it: all of
/// them, or those up to the `--as-of` day.
fn hours_window(r: &ProgramReport, lang: Lang) -> String {
    if r.replayed {
        lang.format(
            "program.window_until",
            &[("date", &lang.long_date(r.as_of))],
        )
    } else {
        lang.text("common.all_time").to_string()
    }
}

/// A case's status as published: "avslutad (införd)".
pub fn status_label(status: Status, outcome: Option<Outcome>, lang: Lang) -> String {
    let status = lang.text(&format!("status.{}", status.as_str()));
    match outcome {
        Some(o) => lang.format(
            "program.status_outcome",
            &[
                ("status", status),
                ("outcome", lang.text(&format!("outcome.{}", o.as_str()))),
            ],
        ),
        None => status.to_string(),
    }
}

/// The report as a document in `lang`, made on `generated` (the command's today).
pub fn document(r: &ProgramReport, config: &Config, lang: Lang, generated: NaiveDate) -> Document {
    let t = |key: &str| lang.text(&format!("program.{key}")).to_string();
    let window = hours_window(r, lang);
    let mut subtitle: Vec<String> = Vec::new();
    if let Some(p) = period(r.start, r.end, lang) {
        subtitle.push(lang.format("program.runs", &[("period", &p)]));
    }
    if r.replayed {
        subtitle.push(lang.format("program.as_of", &[("date", &lang.long_date(r.as_of))]));
    }
    let mut doc = Document::new(
        lang,
        lang.format("program.title", &[("name", &r.name), ("key", &r.key)]),
    );
    if !subtitle.is_empty() {
        doc = doc.subtitle(subtitle.join(" · "));
    }
    doc.push(key_figures(r, lang, &window));
    doc.heading(t("stages_heading"));
    doc.push(stages_table(r, lang));

    let n =
        |k: &str, n: usize| lang.format(&format!("program.{k}"), &[("n", &lang.integer(n as i64))]);
    doc.heading(n("cases_heading", r.cases.len()));
    if r.cases.is_empty() {
        doc.paragraph(t("no_cases"));
    } else {
        doc.push(cases_table(
            "cases_caption",
            &r.cases,
            config,
            lang,
            &window,
        ));
    }
    if !r.left.is_empty() {
        doc.heading(n("left_heading", r.left.len()));
        doc.push(cases_table("left_caption", &r.left, config, lang, &window));
    }
    participants(&mut doc, r, lang);
    ending(&mut doc, r, lang, &window, generated);
    doc
}

/// The headline figures; the hours and sessions say which sessions they count.
fn key_figures(r: &ProgramReport, lang: Lang, window: &str) -> Block {
    let f = &r.figures;
    let figure = |label: &str, value: Cell, note: Option<&str>| KeyFigure {
        label: lang.text(&format!("program.{label}")).to_string(),
        value,
        note: note.map(str::to_string),
    };
    Block::KeyFigures(vec![
        figure("fig_cases", f.total.into(), None),
        figure("fig_open", f.by_status["open"].into(), None),
        figure("fig_parked", f.by_status["parked"].into(), None),
        figure("fig_closed", f.by_status["closed"].into(), None),
        figure("fig_implemented", f.by_outcome["implemented"].into(), None),
        figure("fig_participants", r.participants.total.into(), None),
        figure("fig_hours", Cell::hours(f.minutes), Some(window)),
        figure("fig_sessions", f.sessions.into(), Some(window)),
    ])
}

/// How far the cases got: per stage, the cases that reached it and the open ones in it.
fn stages_table(r: &ProgramReport, lang: Lang) -> Table {
    let t = |key: &str| lang.text(&format!("program.{key}")).to_string();
    let mut stages = Table::new(
        t("stages_caption"),
        vec![
            Column::new(t("col_stage"), ColumnKind::Text),
            Column::new(t("col_reached"), ColumnKind::Number),
            Column::new(t("col_open_now"), ColumnKind::Number),
        ],
    );
    stages.row_headers = true;
    for st in &r.figures.stages {
        stages.row(vec![
            st.name.clone().into(),
            st.reached.into(),
            st.open.into(),
        ]);
    }
    stages
}

/// What the report's words mean, then the colophon.
fn ending(doc: &mut Document, r: &ProgramReport, lang: Lang, window: &str, generated: NaiveDate) {
    let t = |key: &str| lang.text(&format!("program.{key}")).to_string();
    let def = |term: &str, meaning: String| Definition {
        term: t(term),
        meaning,
    };
    let mut defs = vec![
        def("def_reached_term", t("def_reached")),
        def("def_open_now_term", t("def_open_now")),
        def(
            "def_hours_term",
            lang.format("program.def_hours", &[("window", window)]),
        ),
    ];
    if !r.left.is_empty() {
        defs.push(def("def_left_term", t("def_left")));
    }
    doc.push(Block::Definitions(defs));
    doc.push(Block::Colophon(Colophon {
        period: period(r.start, r.end, lang),
        generated,
        version: env!("CARGO_PKG_VERSION").to_string(),
    }));
}

/// A table of cases (its caption the catalogue key `caption`, which names the hours'
/// `window`) with a total of the hours; where the rounded hours of the
/// rows do not add up to the rounded total, a note says why.
fn cases_table(
    caption: &str,
    cases: &[ProgramCase],
    config: &Config,
    lang: Lang,
    window: &str,
) -> Table {
    let t = |key: &str| lang.text(&format!("program.{key}")).to_string();
    let caption = lang.format(&format!("program.{caption}"), &[("window", window)]);
    let mut table = Table::new(
        caption,
        vec![
            Column::new(t("col_id"), ColumnKind::Id),
            Column::new(t("col_title"), ColumnKind::Text),
            Column::new(t("col_stage"), ColumnKind::Text),
            Column::new(t("col_status"), ColumnKind::Text),
            Column::new(t("col_coach"), ColumnKind::Text),
            Column::new(t("col_hours"), ColumnKind::Number),
        ],
    );
    for c in cases {
        table.row(vec![
            c.id.clone().into(),
            c.title.clone().into(),
            config.stage_name(&c.stage).to_string().into(),
            status_label(c.status, c.outcome, lang).into(),
            c.coach
                .as_deref()
                .map(|k| super::render::coach_name(config, k).to_string())
                .into(),
            Cell::hours(c.minutes),
        ]);
    }
    if cases.len() < 2 {
        return table;
    }
    let minutes: u64 = cases.iter().map(|c| c.minutes).sum();
    table.total = Some(vec![
        lang.text("common.total").into(),
        Cell::Text(String::new()),
        Cell::Text(String::new()),
        Cell::Text(String::new()),
        Cell::Text(String::new()),
        Cell::hours(minutes),
    ]);
    let tenths = |m: u64| (m + 3) / 6;
    if cases.iter().map(|c| tenths(c.minutes)).sum::<u64>() != tenths(minutes) {
        table.note = Some(t("hours_rounding"));
    }
    table
}

/// The participants: how many of each kind, then each, as the report may name them.
fn participants(doc: &mut Document, r: &ProgramReport, lang: Lang) {
    let t = |key: &str| lang.text(&format!("program.{key}")).to_string();
    let p = &r.participants;
    doc.heading(t("participants_heading"));
    if p.total == 0 {
        doc.paragraph(lang.format("program.no_participants", &[("key", &r.key)]));
        return;
    }
    let int = |n: usize| lang.integer(n as i64);
    doc.paragraph(lang.format(
        "program.participants_summary",
        &[
            ("total", &int(p.total)),
            ("people", &int(p.people)),
            ("teams", &int(p.teams)),
            ("consenting", &int(p.consenting)),
        ],
    ));
    let mut columns = vec![
        Column::new(t("col_name"), ColumnKind::Text),
        Column::new(t("col_unit"), ColumnKind::Text),
        Column::new(t("col_kind"), ColumnKind::Text),
    ];
    if !r.public {
        columns.push(Column::new(t("col_consent"), ColumnKind::Text));
        columns.push(Column::new(t("col_contact"), ColumnKind::Text));
    }
    let mut table = Table::new(t("participants_caption"), columns);
    for x in &p.list {
        let mut row: Vec<Cell> = vec![
            x.name.clone().unwrap_or_else(|| t("not_named")).into(),
            x.unit.clone().into(),
            t(x.kind.as_str()).into(),
        ];
        if !r.public {
            row.push(t(if x.consent { "yes" } else { "no" }).into());
            row.push(x.contact.clone().into());
        }
        table.row(row);
    }
    doc.push(table);
    if r.public {
        doc.push(Block::Notes(vec![t("public_note")]));
    }
}

/// The report as tidy CSV: one row per case, in the program or having left it.
pub fn csv(r: &ProgramReport) -> String {
    let cell = super::escape::csv_cell;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "program",
        "id",
        "title",
        "in_program",
        "stage",
        "status",
        "outcome",
        "coach",
        "sessions",
        "minutes",
    ])
    .expect("in memory");
    for (cases, in_program) in [(&r.cases, true), (&r.left, false)] {
        for c in cases {
            w.write_record([
                cell(&r.key),
                cell(&c.id),
                cell(&c.title),
                in_program.to_string(),
                cell(&c.stage),
                c.status.as_str().to_string(),
                c.outcome
                    .map(|o| o.as_str().to_string())
                    .unwrap_or_default(),
                cell(c.coach.as_deref().unwrap_or("")),
                c.sessions.to_string(),
                c.minutes.to_string(),
            ])
            .expect("in memory");
        }
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("CSV of UTF-8 text is UTF-8")
}

/// A program as `program list` shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgramRow<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

/// The programs as a document: one row per program, in sluss.toml's order.
pub fn list_document(rows: &[ProgramRow], lang: Lang) -> Document {
    let t = |key: &str| lang.text(&format!("program.{key}")).to_string();
    let mut doc = Document::new(lang, t("list_title"));
    if rows.is_empty() {
        doc.paragraph(t("list_none"));
        return doc;
    }
    let mut table = Table::new(
        t("list_caption"),
        vec![
            Column::new(t("col_key"), ColumnKind::Id),
            Column::new(t("col_name"), ColumnKind::Text),
            Column::new(t("col_start"), ColumnKind::Date),
            Column::new(t("col_end"), ColumnKind::Date),
        ],
    );
    for r in rows {
        table.row(vec![
            r.key.into(),
            r.name.into(),
            Cell::from(r.start),
            Cell::from(r.end),
        ]);
    }
    doc.push(table);
    doc
}

/// The programs as tidy CSV.
pub fn list_csv(rows: &[ProgramRow]) -> String {
    let cell = super::escape::csv_cell;
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["key", "name", "start", "end"])
        .expect("in memory");
    for r in rows {
        w.write_record([cell(r.key), cell(r.name), day(r.start), day(r.end)])
            .expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("CSV of UTF-8 text is UTF-8")
}
