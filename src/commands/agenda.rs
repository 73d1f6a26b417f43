//! `sluss agenda` (also `today`): the day's work of a coach at a glance.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;

use crate::context::{Context, parse_cli_date};
use crate::document::{Cell, Column, ColumnKind, Document, Table};
use crate::domain::Config;
use crate::i18n::Lang;
use crate::output;
use crate::report::agenda::{self, Agenda};

/// The day's work: next steps, follow-ups due, cases waiting, cases without a coach.
///
/// Open next steps come overdue first, then the follow-ups due, the cases waiting
/// longest and new cases without a coach.
///
/// For the acting coach (--by, SLUSS_USER, the user settings file, git's user.name),
/// another one (--coach) or everyone (--all). "Today" is --as-of, else `[reports]
/// as_of` in sluss.toml, else today. `--format ics` gives an iCalendar feed of the
/// coach's sessions and due next steps, for Outlook or Google Calendar; it names nobody
/// who has not agreed to be named.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Whose agenda: a coach's key or name (default: the one acting).
    #[arg(long, value_name = "COACH", conflicts_with = "all")]
    pub coach: Option<String>,
    /// Everyone's agenda.
    #[arg(long)]
    pub all: bool,
    /// Who is acting (default: SLUSS_USER, the user settings file, then git's
    /// user.name).
    #[arg(long, env = "SLUSS_USER", value_name = "NAME")]
    pub by: Option<String>,
    /// The day to see the agenda of (default: `[reports] as_of` in sluss.toml, else
    /// today).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = parse_cli_date)]
    pub as_of: Option<NaiveDate>,
    /// How many of the cases waiting longest to show.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub top: usize,
    /// The output format (default: table, or what -o's extension says: .txt, .json,
    /// .ics).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<AgendaFormat>,
    /// Write the output to FILE (written whole or not at all) instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The formats of the agenda.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AgendaFormat {
    /// A table for the terminal.
    Table,
    /// Stable JSON for scripts.
    Json,
    /// An iCalendar feed (RFC 5545) of sessions and due next steps.
    Ics,
}

impl Args {
    fn format(&self) -> Result<AgendaFormat> {
        if let Some(f) = self.format {
            return Ok(f);
        }
        let Some(path) = &self.output else {
            return Ok(AgendaFormat::Table);
        };
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("txt") => Ok(AgendaFormat::Table),
            Some("json") => Ok(AgendaFormat::Json),
            Some("ics") => Ok(AgendaFormat::Ics),
            _ => Err(crate::Error::usage(
                format!("cannot tell the format from the name {}", path.display()),
                "end it in .txt, .json or .ics, or add --format",
            )
            .into()),
        }
    }

    /// Writes `text` to the file or to stdout. The feed goes out byte for byte, its
    /// CRLF line ends kept: its writer has left out every control character of the
    /// cases' texts already.
    fn deliver(&self, text: &str, format: AgendaFormat) -> Result<()> {
        match &self.output {
            Some(path) => {
                crate::storage::write::atomic_write(path, text.as_bytes())?;
                crate::output::safe_eprintln!("Wrote {}", path.display());
            }
            None if format == AgendaFormat::Ics => {
                use std::io::Write as _;
                output::emit_with(|out| out.write_all(text.as_bytes()))?;
            }
            None => output::emit(text)?,
        }
        Ok(())
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let format = args.format()?;
    let repo = ctx.open_repo()?;
    let coach = whose(ctx, &repo, &args)?;
    let as_of = super::check_as_of(ctx, repo.config.report_as_of(args.as_of))?;
    let mut portfolio = repo.load()?;
    super::warn_broken(&portfolio);
    if format == AgendaFormat::Ics {
        // The feed leaves the terminal: names of people who have not agreed to be
        // named are taken out of every text, as in published reports.
        let prints: Vec<_> = portfolio
            .cases
            .iter()
            .filter_map(|c| c.case.submitter.as_ref().filter(|p| !p.consent))
            .flat_map(crate::privacy::fingerprints_of)
            .collect();
        let names = super::published_names_of(&repo, prints.iter())?;
        for c in &mut portfolio.cases {
            crate::privacy::hide_names(&mut c.case, &names);
        }
    }
    let cases: Vec<_> = portfolio.cases.into_iter().map(|c| c.case).collect();
    let options = agenda::Options {
        day: as_of.unwrap_or_else(|| crate::domain::Case::report_day(ctx.now, &cases)),
        replay: as_of.is_some(),
        coach,
        top: args.top,
    };
    let agenda = agenda::agenda(&cases, &repo.config, &options);
    let text = match format {
        AgendaFormat::Json => output::json(&agenda),
        AgendaFormat::Ics => {
            let lang = ctx.lang(&repo.config);
            let name = lang.format("agenda.calendar", &[("name", &repo.config.name)]);
            agenda::ics::calendar(&agenda, lang, &name, ctx.now).ok_or_else(|| {
                crate::Error::refused(
                    format!(
                        "nothing to put in a calendar: {} no coaching sessions and no open next steps with a due day",
                        match &agenda.coach {
                            Some(c) => format!("{c} has"),
                            None => "the cases have".to_string(),
                        }
                    ),
                    "log a session (`sluss session ID --minutes N`) or give next steps a day (`--due`); `sluss agenda` shows the rest",
                )
            })?
        }
        AgendaFormat::Table => {
            // At the terminal the agenda is part of the command line, which speaks
            // English unless --lang asks otherwise.
            let lang = ctx.lang.unwrap_or(Lang::En);
            let width = if args.output.is_some() {
                None
            } else {
                output::stdout_width()
            };
            let doc = document(&agenda, &repo.config, lang, width);
            crate::document::render(
                &doc,
                output::Format::Table,
                crate::document::Options { width },
            )
        }
    };
    args.deliver(&text, format)?;
    Ok(ExitCode::SUCCESS)
}

/// The coach whose agenda it is: `--coach`, nobody's in particular with `--all`, else
/// the one acting, who must be a coach.
fn whose(ctx: &Context, repo: &crate::storage::Repo, args: &Args) -> Result<Option<String>> {
    if args.all {
        return Ok(None);
    }
    if let Some(word) = &args.coach {
        return Ok(Some(repo.config.find_coach(word)?.key.clone()));
    }
    let hint = "name the coach with --coach KEY, or see everyone's with --all";
    let actor = ctx
        .actor(repo, args.by.as_deref())
        .map_err(|_| crate::Error::usage("sluss cannot tell who you are", hint))?;
    match repo.config.find_coach(&actor) {
        Ok(coach) => Ok(Some(coach.key.clone())),
        Err(_) => Err(crate::Error::usage(
            format!("you ({actor}) are not a coach in sluss.toml"),
            if repo.config.coach_keys().is_empty() {
                "sluss.toml has no coaches yet: add one with `sluss coach add KEY --name NAME`"
                    .to_string()
            } else {
                format!("{hint} (coaches: {})", repo.config.coach_keys().join(", "))
            },
        )
        .into()),
    }
}

/// The agenda as a document: one table for each part that has something in it.
fn document(agenda: &Agenda, config: &Config, lang: Lang, width: Option<usize>) -> Document {
    let text = |key: &str| lang.text(&format!("agenda.{key}")).to_string();
    let day = agenda.day.to_string();
    let title = match &agenda.coach {
        Some(coach) => {
            let name = config
                .coach(coach)
                .map_or(coach.as_str(), |c| c.name.as_str());
            lang.format("agenda.title_coach", &[("coach", name), ("day", &day)])
        }
        None => lang.format("agenda.title", &[("day", &day)]),
    };
    let mut doc = Document::new(lang, title);
    let everyone = agenda.coach.is_none();
    let days = |n: i64| Cell::Text(lang.format("agenda.days", &[("n", &lang.integer(n))]));
    // Late by nothing: due, or to follow up, today.
    let late = |n: i64| {
        if n == 0 {
            Cell::Text(text("late_today"))
        } else {
            days(n)
        }
    };
    let coach_cell = |c: &Option<String>| c.clone().map_or(Cell::Missing, Cell::Text);
    let id = Column::new(text("case"), ColumnKind::Id);
    let coach_col = Column::new(lang.text("listing.coach"), ColumnKind::Id);
    let title_col = Column::new(lang.text("listing.title"), ColumnKind::Text);

    let mut sections: Vec<(String, Table, usize)> = Vec::new();
    if !agenda.next_steps.is_empty() {
        let mut columns = vec![
            id.clone(),
            Column::new("#", ColumnKind::Number),
            Column::new(text("step"), ColumnKind::Text),
            Column::new(text("due"), ColumnKind::Date),
            Column::new(text("late"), ColumnKind::Text),
        ];
        if everyone {
            columns.push(coach_col.clone());
        }
        let mut t = Table::new("", columns);
        for s in &agenda.next_steps {
            let mut row = vec![
                Cell::Text(s.case.clone()),
                Cell::Int(s.step as i64),
                Cell::Text(s.text.clone()),
                s.due.map_or(Cell::Missing, Cell::Date),
                s.overdue_days.map_or(Cell::Text(String::new()), late),
            ];
            if everyone {
                row.push(coach_cell(&s.coach));
            }
            t.row(row);
        }
        sections.push((text("steps"), t, 2));
    }
    if !agenda.follow_ups.is_empty() {
        let mut columns = vec![
            id.clone(),
            Column::new(text("follow_up"), ColumnKind::Date),
            Column::new(text("late"), ColumnKind::Text),
            title_col.clone(),
        ];
        if everyone {
            columns.push(coach_col.clone());
        }
        let mut t = Table::new("", columns);
        for f in &agenda.follow_ups {
            let mut row = vec![
                Cell::Text(f.case.clone()),
                Cell::Date(f.follow_up),
                late(f.days_late),
                Cell::Text(f.title.clone()),
            ];
            if everyone {
                row.push(coach_cell(&f.coach));
            }
            t.row(row);
        }
        sections.push((text("follow_ups"), t, 3));
    }
    if !agenda.waiting.is_empty() {
        let mut columns = vec![
            id.clone(),
            Column::new(text("idle"), ColumnKind::Text),
            Column::new(lang.text("listing.stage"), ColumnKind::Text),
            title_col.clone(),
        ];
        if everyone {
            columns.push(coach_col.clone());
        }
        let mut t = Table::new("", columns);
        for w in &agenda.waiting {
            let mut row = vec![
                Cell::Text(w.case.clone()),
                days(w.idle_days),
                Cell::Text(config.stage_name(&w.stage).to_string()),
                Cell::Text(w.title.clone()),
            ];
            if everyone {
                row.push(coach_cell(&w.coach));
            }
            t.row(row);
        }
        sections.push((text("waiting"), t, 3));
    }
    if !agenda.unassigned.is_empty() {
        let mut t = Table::new(
            "",
            vec![
                id.clone(),
                Column::new(text("created"), ColumnKind::Date),
                Column::new(lang.text("listing.stage"), ColumnKind::Text),
                title_col.clone(),
            ],
        );
        for u in &agenda.unassigned {
            t.row(vec![
                Cell::Text(u.case.clone()),
                Cell::Date(u.created),
                Cell::Text(config.stage_name(&u.stage).to_string()),
                Cell::Text(u.title.clone()),
            ]);
        }
        sections.push((text("unassigned"), t, 3));
    }
    if agenda.next_steps.is_empty() && agenda.follow_ups.is_empty() {
        doc.paragraph(text("nothing"));
    }
    for (heading, mut table, main) in sections {
        if let Some(width) = width {
            super::drop_columns_to_fit(&mut table, lang, width, &[], main, 12);
        }
        doc.heading(heading);
        doc.push(table);
    }
    doc
}
