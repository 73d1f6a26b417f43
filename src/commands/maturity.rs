//! `sluss maturity`: units' innovation-maturity self-assessments, one file each in
//! `maturity/`, and the report that sets them next to what the portfolio shows.

use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use super::OutputArgs;
use crate::Error;
use crate::context::Context;
use crate::context::parse_cli_date;
use crate::document::{self, Cell, Column, ColumnKind, Table};
use crate::domain::maturity::{Assessment, MaturitySettings, ScoreProblem, mean};
use crate::output::{self, Format};
use crate::report::maturity::{Window, compute, round2};
use crate::report::render::maturity::render;
use crate::storage::Repo;
use crate::storage::maturity::Assessments;

#[derive(Debug, clap::Subcommand)]
pub enum MaturityCommand {
    Record(RecordArgs),
    List(ListArgs),
    Questions(QuestionsArgs),
    Report(ReportArgs),
}

/// Record a unit's maturity self-assessment as `maturity/<date>-<unit>.toml`.
///
/// Scores the questions of `[maturity]` in sluss.toml (`sluss maturity questions` lists
/// them) on its scale. A question left out was not answered. A unit has one assessment
/// a day. The file names no people: write no names in the note either.
#[derive(Debug, clap::Args)]
pub struct RecordArgs {
    /// The organisational unit that assessed itself: a unit of the register by key or
    /// name (stored by its name), or spelled as in cases when there is no register.
    #[arg(long, value_name = "UNIT")]
    pub unit: String,
    /// The day of the assessment (YYYY-MM-DD, today, igår, -3d, måndag …; default
    /// today); not a day to come.
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = parse_cli_date)]
    pub date: Option<NaiveDate>,
    /// A question's score, e.g. --score ledning=3; repeat it, or separate with commas.
    #[arg(
        long = "score",
        value_name = "KEY=N",
        required = true,
        value_delimiter = ','
    )]
    pub scores: Vec<String>,
    /// How many people answered.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub respondents: Option<u32>,
    /// A note on the assessment (how it was made, what was discussed); no names.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Commit the new file (also `[git] auto_commit = true` in sluss.toml).
    #[arg(long)]
    pub commit: bool,
    #[arg(long, default_value = "table", value_parser = super::format_parser(&[Format::Table, Format::Json]))]
    pub format: Format,
}

/// List the assessments: date, unit, mean score and how many questions were answered.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only this unit's assessments (case and å, ä, ö aside).
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    #[arg(long, default_value = "table", value_parser = super::format_parser(&[Format::Table, Format::Json, Format::Csv]))]
    pub format: Format,
}

/// List the questions of the self-assessment and its scale, from sluss.toml.
#[derive(Debug, clap::Args)]
pub struct QuestionsArgs {
    #[arg(long, default_value = "table", value_parser = super::format_parser(&[Format::Table, Format::Json]))]
    pub format: Format,
}

/// The maturity report: each unit over time, and the organisation per year next to the portfolio.
///
/// Per year: the organisation's maturity (each unit's latest assessment that year,
/// averaged over the units assessed) next to what the portfolio shows that year: the
/// share of units that brought ideas, ideas per unit, the share of ideas tested, the
/// share of closings implemented and the median lead time.
///
/// Then the organisation's mean per question, by the question's text, and every
/// assessment. It speaks the sluice's language (`language` in sluss.toml, or --lang);
/// the HTML report draws maturity over time as a line chart beside its table. It ends
/// with what its words mean and the day it was made: apart from that day, the same
/// files give the same bytes.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Report as things stood at the end of this day (YYYY-MM-DD, today, igår, -3d,
    /// måndag …): later assessments, cases and history do not count, and each case's
    /// stage is replayed.
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = parse_cli_date)]
    pub as_of: Option<NaiveDate>,
    /// Show the years from this day's year on (YYYY-MM-DD, today, igår, -3d, måndag …).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = parse_cli_date)]
    pub since: Option<NaiveDate>,
    /// Show the years up to this day's year (YYYY-MM-DD, today, igår, -3d, måndag …).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = parse_cli_date)]
    pub until: Option<NaiveDate>,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(ctx: &Context, cmd: MaturityCommand) -> Result<ExitCode> {
    let repo = ctx.open_repo_units()?;
    match cmd {
        MaturityCommand::Record(args) => record(ctx, &repo, args),
        MaturityCommand::List(args) => list(ctx, &repo, args),
        MaturityCommand::Questions(args) => questions(ctx, &repo, args),
        MaturityCommand::Report(args) => report(ctx, &repo, args),
    }
}

/// The repository's `[maturity]` settings, or what to add to have them.
fn settings(repo: &Repo) -> Result<&MaturitySettings> {
    repo.config
        .maturity
        .as_ref()
        .filter(|m| !m.questions.is_empty())
        .ok_or_else(|| {
            Error::usage(
                "sluss.toml defines no maturity questions",
                "add a scale and questions to sluss.toml, for example:\n\n    [maturity]\n    scale = [1, 5]\n\n    [[maturity.questions]]\n    key = \"ledning\"\n    text = \"Ledningen efterfrågar och stöttar nya idéer och förbättringar.\"\n\n`sluss init` writes a default set of ten questions into a new repository",
            )
            .into()
        })
}

/// How a listing's table is laid out: fitted to the terminal when stdout is one (these
/// listings have no `-o`).
fn listing_layout() -> document::Options {
    document::Options {
        width: output::stdout_width(),
    }
}

/// Reads every assessment, naming the files that could not be read on stderr.
fn load(repo: &Repo) -> Result<Assessments> {
    let all = repo.load_assessments()?;
    for broken in &all.broken {
        crate::output::safe_eprintln!("warning: skipped {}", broken.error);
    }
    Ok(all)
}

/// `KEY=N` pairs, checked against the questions and the scale.
fn parse_scores(given: &[String], settings: &MaturitySettings) -> Result<BTreeMap<String, i64>> {
    let mut scores = BTreeMap::new();
    for pair in given.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').ok_or_else(|| {
            Error::usage(
                format!("--score {pair} is not KEY=N"),
                "write a question key, '=' and a score, e.g. --score ledning=3",
            )
        })?;
        // A key as typed (`Ledning`, `idéer`) is the question it folds to.
        let typed = key.trim();
        let key = crate::domain::words::find(
            typed,
            settings
                .questions
                .iter()
                .map(|q| (q.key.as_str(), Vec::new())),
        )
        .unwrap_or(typed);
        let value = value.trim();
        let score: i64 = value.parse().map_err(|_| {
            Error::usage(
                format!("the score of '{key}' is '{value}', not a whole number"),
                format!("score on the scale {}", settings.scale_text()),
            )
        })?;
        match settings.score_problem(key, score) {
            Some(ScoreProblem::UnknownQuestion) => {
                return Err(
                    Error::unknown("maturity question", key, settings.question_keys()).into(),
                );
            }
            Some(ScoreProblem::OutsideScale) => {
                return Err(Error::usage(
                    format!(
                        "the score {score} of '{key}' is outside the scale {}",
                        settings.scale_text()
                    ),
                    format!(
                        "score from {} to {} ([maturity] scale in sluss.toml)",
                        settings.min(),
                        settings.max()
                    ),
                )
                .into());
            }
            None => {}
        }
        if scores.insert(key.to_string(), score).is_some() {
            return Err(Error::usage(
                format!("'{key}' is scored twice"),
                "give each question one --score",
            )
            .into());
        }
    }
    if scores.is_empty() {
        return Err(Error::usage(
            "no scores were given",
            "score at least one question, e.g. --score ledning=3",
        )
        .into());
    }
    Ok(scores)
}

fn record(ctx: &Context, repo: &Repo, args: RecordArgs) -> Result<ExitCode> {
    super::require_format(args.format, &[Format::Table, Format::Json])?;
    let settings = settings(repo)?;
    let unit = args.unit.trim();
    if unit.is_empty() {
        return Err(Error::usage("--unit is empty", "name the unit that assessed itself").into());
    }
    // With a units register, the unit is one of it (by key or name), stored by its name.
    let config = &repo.config;
    let registered = !config.units.is_empty();
    let unit = if registered {
        match config.find_unit(unit) {
            Ok(u) => u.name.as_str(),
            Err(_) => {
                return Err(Error::usage(
                    format!("unit '{unit}' is not in the units register of sluss.toml"),
                    config.unknown_unit_hint(unit),
                )
                .into());
            }
        }
    } else {
        unit
    };
    let date = args.date.unwrap_or_else(|| ctx.today());
    if date > ctx.today() {
        return Err(Error::refused(
            format!("{date} is in the future; record assessments that took place"),
            "give the day it was made with --date YYYY-MM-DD",
        )
        .into());
    }
    let scores = parse_scores(&args.scores, settings)?;
    // A unit of the register is recorded by its register name, as reports show it.
    let unit = if repo.config.units.is_empty() {
        unit
    } else {
        repo.config.find_unit(unit)?.name.as_str()
    };

    // The unit as cases and earlier assessments spell it: another spelling of a known
    // unit would count as a unit of its own in every report.
    let portfolio = repo.load()?;
    let existing = repo.load_assessments()?;
    let known: BTreeSet<&str> = portfolio
        .cases
        .iter()
        .map(|c| c.case.unit.trim())
        .chain(existing.loaded.iter().map(|l| l.assessment.unit.trim()))
        .filter(|u| !u.is_empty())
        .collect();
    if !registered && !known.contains(unit) {
        if let Some(spelled) = known
            .iter()
            .find(|k| k.to_lowercase() == unit.to_lowercase())
        {
            return Err(Error::refused(
                format!("the unit is spelled '{spelled}' in this repository, not '{unit}'"),
                format!("record it as --unit \"{spelled}\""),
            )
            .into());
        }
        let near = crate::domain::words::suggest(unit, crate::domain::words::keys(&known));
        crate::output::safe_eprintln!(
            "note: no case or assessment names the unit '{unit}' yet; check its spelling{}",
            if known.is_empty() {
                String::new()
            } else if let Some(near) = near {
                format!(" (did you mean '{near}'?)")
            } else {
                format!(
                    " (known: {})",
                    known.iter().copied().collect::<Vec<_>>().join(", ")
                )
            }
        );
    }

    let assessment = Assessment {
        date,
        unit: unit.to_string(),
        respondents: args.respondents,
        note: args
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string),
        scores,
    };
    let path = repo.create_assessment(&assessment, settings)?;
    let shown = path.strip_prefix(&repo.root).unwrap_or(&path).to_path_buf();
    super::commit_written(
        repo,
        args.commit,
        std::slice::from_ref(&path),
        &format!("maturity: {unit} {date}"),
    )?;
    if args.format == Format::Json {
        output::emit(&output::json(&Row::of(&assessment, settings, &shown)))?;
    } else {
        let answered = assessment.valid_scores(settings).count();
        output::emit(&format!(
            "Recorded {unit}'s assessment on {date}: mean {:.2} over {answered} of {} questions ({})\n",
            assessment_mean(&assessment, settings).unwrap_or(0.0),
            settings.questions.len(),
            shown.display()
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn assessment_mean(a: &Assessment, settings: &MaturitySettings) -> Option<f64> {
    mean(a.valid_scores(settings).map(|(_, s)| s as f64)).map(round2)
}

/// One assessment as `list` and `record --format json` show it.
#[derive(Serialize)]
struct Row<'a> {
    date: NaiveDate,
    unit: &'a str,
    mean: Option<f64>,
    answered: usize,
    questions: usize,
    respondents: Option<u32>,
    note: Option<&'a str>,
    scores: &'a BTreeMap<String, i64>,
    file: String,
}

impl<'a> Row<'a> {
    fn of(a: &'a Assessment, settings: &MaturitySettings, file: &std::path::Path) -> Row<'a> {
        Row {
            date: a.date,
            unit: a.unit.trim(),
            mean: assessment_mean(a, settings),
            answered: a.valid_scores(settings).count(),
            questions: settings.questions.len(),
            respondents: a.respondents,
            note: a.note.as_deref(),
            scores: &a.scores,
            file: file.display().to_string(),
        }
    }
}

/// The unit as the assessments spell it that `word` names (case and Swedish letters
/// aside, or by its name in the units register); a unit that no assessment names is
/// refused with "did you mean", so a typo does not read as "no assessments".
fn assessed_unit<'a>(repo: &'a Repo, all: &'a Assessments, word: &'a str) -> Result<&'a str> {
    let assessed: BTreeSet<&str> = all
        .loaded
        .iter()
        .map(|l| l.assessment.unit.trim())
        .collect();
    let word = repo.config.unit_name(word.trim());
    if assessed.is_empty() {
        return Ok(word);
    }
    crate::domain::words::find(word, assessed.iter().map(|u| (*u, Vec::new()))).ok_or_else(|| {
        let known = assessed.iter().map(|u| u.to_string()).collect();
        Error::unknown("assessed unit", word, known).into()
    })
}

fn list(ctx: &Context, repo: &Repo, args: ListArgs) -> Result<ExitCode> {
    super::require_format(args.format, &[Format::Table, Format::Json, Format::Csv])?;
    let settings = settings(repo)?;
    let all = load(repo)?;
    let wanted = match args.unit.as_deref() {
        Some(word) => Some(assessed_unit(repo, &all, word)?),
        None => None,
    };
    let mut rows: Vec<Row> = all
        .loaded
        .iter()
        .filter(|l| wanted.is_none_or(|u| l.assessment.unit.trim() == u))
        .map(|l| {
            let shown = l.path.strip_prefix(&repo.root).unwrap_or(&l.path);
            Row::of(&l.assessment, settings, shown)
        })
        .collect();
    rows.sort_by(|a, b| (a.date, a.unit, &a.file).cmp(&(b.date, b.unit, &b.file)));
    match args.format {
        Format::Json => output::emit(&output::json(&rows))?,
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record([
                "date",
                "unit",
                "mean",
                "answered",
                "questions",
                "respondents",
                "file",
            ])?;
            for r in &rows {
                w.write_record([
                    r.date.to_string(),
                    crate::report::escape::csv_cell(r.unit),
                    r.mean.map_or_else(String::new, |m| m.to_string()),
                    r.answered.to_string(),
                    r.questions.to_string(),
                    r.respondents.map_or_else(String::new, |n| n.to_string()),
                    crate::report::escape::csv_cell(&r.file),
                ])?;
            }
            // In the dialect of sluss.toml's `[csv]` (this command has no --csv-dialect).
            output::emit(&output::csv::finish(
                String::from_utf8(w.into_inner()?)?,
                output::csv::dialect(None),
            ))?;
        }
        _ => {
            let lang = ctx.lang(&repo.config);
            let t = |key: &str| lang.text(&format!("maturity.{key}")).to_string();
            let mut table = Table::new(
                "",
                vec![
                    Column::new(t("date"), ColumnKind::Date),
                    Column::new(t("unit"), ColumnKind::Text),
                    Column::new(t("mean"), ColumnKind::Number),
                    Column::new(t("list_answered"), ColumnKind::Number),
                    Column::new(t("respondents"), ColumnKind::Number),
                    Column::new(t("list_file"), ColumnKind::Id),
                ],
            );
            for r in &rows {
                table.row(vec![
                    Cell::Date(r.date),
                    Cell::from(r.unit),
                    r.mean
                        .map_or(Cell::Missing, |value| Cell::Decimal { value, decimals: 2 }),
                    Cell::Text(lang.format(
                        "maturity.list_answered_of",
                        &[
                            ("n", &lang.integer(r.answered as i64)),
                            ("total", &lang.integer(r.questions as i64)),
                        ],
                    )),
                    r.respondents
                        .map_or(Cell::Missing, |n| Cell::Int(i64::from(n))),
                    Cell::Text(r.file.clone()),
                ]);
            }
            let count = if rows.len() == 1 {
                "maturity.list_count_one"
            } else {
                "maturity.list_count"
            };
            table.note = Some(lang.format(count, &[("n", &lang.integer(rows.len() as i64))]));
            output::emit(&document::text::table(&table, lang, listing_layout()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn questions(ctx: &Context, repo: &Repo, args: QuestionsArgs) -> Result<ExitCode> {
    super::require_format(args.format, &[Format::Table, Format::Json])?;
    let settings = settings(repo)?;
    if args.format == Format::Json {
        output::emit(&output::json(settings))?;
    } else {
        let lang = ctx.lang(&repo.config);
        let t = |key: &str| lang.text(&format!("maturity.{key}")).to_string();
        let mut table = Table::new(
            "",
            vec![
                Column::new(t("questions_key"), ColumnKind::Id),
                Column::new(t("question"), ColumnKind::Text),
            ],
        );
        for q in &settings.questions {
            table.row(vec![Cell::Text(q.key.clone()), Cell::from(q.text.clone())]);
        }
        table.note = Some(lang.format(
            "maturity.questions_scale",
            &[("scale", &settings.scale_text())],
        ));
        output::emit(&document::text::table(&table, lang, listing_layout()))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn report(ctx: &Context, repo: &Repo, args: ReportArgs) -> Result<ExitCode> {
    let format = args.output.report_format()?;
    // `--as-of`, else sluss.toml's `[reports] as_of`.
    let as_of = super::check_as_of(ctx, repo.config.report_as_of(args.as_of))?;
    super::check_window(args.since, args.until, as_of)?;
    let settings = settings(repo)?;
    let portfolio = repo.load()?;
    super::warn_broken(&portfolio);
    let all = load(repo)?;
    let cases: Vec<&crate::domain::Case> = portfolio.cases.iter().map(|c| &c.case).collect();
    let assessments: Vec<&Assessment> = all.loaded.iter().map(|l| &l.assessment).collect();
    let window = Window {
        as_of,
        since: args.since,
        until: args.until,
    };
    let report = compute(&cases, &assessments, &repo.config, settings, window);
    if report.ignored_scores > 0 {
        crate::output::safe_eprintln!(
            "warning: {} score(s) do not count (an unknown question, or outside the scale); run `sluss check`",
            report.ignored_scores
        );
    }
    let lang = ctx.lang(&repo.config);
    args.output.deliver(&render(
        &report,
        format,
        lang,
        ctx.today(),
        args.output.layout(),
    ))?;
    Ok(ExitCode::SUCCESS)
}
