//! One innovation program at a glance (`sluss program show`): its cases, how far they
//! got, the coaching they had and the people and teams taking part. Computed once from
//! the cases and the program's participants file, then rendered as a table or JSON.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use super::portfolio::{self, Figures, Input, Options, Period};
use crate::domain::participants::{Participant, ParticipantKind};
use crate::domain::replay::{CaseState, state};
use crate::domain::{Case, Config, Outcome, Program, Status};
use crate::output::{show, table};

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

/// The report as text for a terminal.
pub fn render_text(r: &ProgramReport, config: &Config) -> String {
    let mut s = String::new();
    let dates = match (r.start, r.end) {
        (Some(a), Some(b)) => format!("  {a} – {b}"),
        (Some(a), None) => format!("  from {a}"),
        (None, Some(b)) => format!("  until {b}"),
        (None, None) => String::new(),
    };
    let as_of = if r.replayed {
        format!("  (as of {})", r.as_of)
    } else {
        String::new()
    };
    let _ = writeln!(s, "{}  {}{dates}{as_of}", r.key, r.name);
    let f = &r.figures;
    let _ = writeln!(
        s,
        "{} case(s): {} open, {} parked, {} closed ({} implemented); {} participant(s); {} coaching hours in {} session(s)",
        f.total,
        f.by_status["open"],
        f.by_status["parked"],
        f.by_status["closed"],
        f.by_outcome["implemented"],
        r.participants.total,
        super::render::hours(f.minutes),
        f.sessions
    );

    let _ = writeln!(s, "\nHow far the cases got");
    let mut t = table(&["stage", "reached", "open now"]);
    for st in &f.stages {
        t.add_row([st.name.clone(), st.reached.to_string(), st.open.to_string()]);
    }
    let _ = writeln!(s, "{}", show(&t));

    let cases_table = |cases: &[ProgramCase]| {
        let mut t = table(&["id", "title", "stage", "status", "coach", "hours"]);
        for c in cases {
            let status = match c.outcome {
                Some(o) => format!("{} ({o})", c.status),
                None => c.status.to_string(),
            };
            t.add_row([
                c.id.clone(),
                crate::output::truncate(&c.title, 44),
                config.stage_name(&c.stage).to_string(),
                status,
                c.coach.clone().unwrap_or_default(),
                super::render::hours(c.minutes),
            ]);
        }
        show(&t)
    };
    if r.cases.is_empty() {
        let _ = writeln!(s, "\nCases: none");
    } else {
        let _ = writeln!(s, "\nCases ({})", r.cases.len());
        let _ = writeln!(s, "{}", cases_table(&r.cases));
    }
    if !r.left.is_empty() {
        let _ = writeln!(s, "\nLeft the program ({})", r.left.len());
        let _ = writeln!(s, "{}", cases_table(&r.left));
    }

    let p = &r.participants;
    if p.total == 0 {
        let _ = writeln!(
            s,
            "\nParticipants: none (add them with `sluss program participant add {} NAME --unit UNIT`)",
            r.key
        );
        return s;
    }
    let _ = writeln!(
        s,
        "\nParticipants ({}: {} {}, {} {}; {} may be named in published output)",
        p.total,
        p.people,
        if p.people == 1 { "person" } else { "people" },
        p.teams,
        if p.teams == 1 { "team" } else { "teams" },
        p.consenting
    );
    let mut header = vec!["name", "unit", "kind"];
    if !r.public {
        header.extend(["consent", "contact"]);
    }
    let mut t = table(&header);
    for x in &p.list {
        let mut row = vec![
            x.name.clone().unwrap_or_else(|| "(not named)".to_string()),
            x.unit.clone(),
            x.kind.to_string(),
        ];
        if !r.public {
            row.push(if x.consent { "yes" } else { "no" }.to_string());
            row.push(x.contact.clone().unwrap_or_default());
        }
        t.add_row(row);
    }
    let _ = writeln!(s, "{}", show(&t));
    s
}
