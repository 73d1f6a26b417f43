//! `sluss board`: the open cases as a kanban board, one column a stage, fitted to the
//! terminal; also JSON, Markdown and HTML.

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;

use super::{Offered as _, OutputArgs, formats};
use crate::context::{Context, parse_cli_date};
use crate::domain::names::Fingerprint;
use crate::domain::replay::{CaseState, state};
use crate::domain::{Case, Config, Stage, Status, words};
use crate::output::Format;
use crate::output::color;
use crate::report::board::{self, Board, Card};

/// The open cases as a kanban board: a column a stage, coloured by age.
///
/// Each card is a short id and a title, coloured by how long the case has been idle
/// (getting old past half of stale_after_days, stale past it).
///
/// A stage's `wip` limit in sluss.toml shows beside its count ("Testa 9/8"), marked
/// "!" when exceeded. The board fits the terminal: columns shrink, and stages with
/// nothing on them fold into a line below.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only these stages (key or name; several, or comma-separated).
    #[arg(long, value_name = "STAGE", value_delimiter = ',')]
    pub stage: Vec<String>,
    /// Only cases with this coach (key or name).
    #[arg(long, value_name = "COACH")]
    pub coach: Option<String>,
    /// Only cases in this program (key or name).
    #[arg(long, value_name = "PROGRAM")]
    pub program: Option<String>,
    /// Only cases from this unit (key or name of the register, or the unit's text).
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// Also show parked cases.
    #[arg(long)]
    pub parked: bool,
    /// Count idle days to the end of this day, the cases as they stood then (default:
    /// `[reports] as_of` in sluss.toml, else today).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = parse_cli_date)]
    pub as_of: Option<NaiveDate>,
    #[command(flatten)]
    pub output: OutputArgs<formats::NoCsv>,
}

/// The width a board is laid out for when it goes to a pipe or a file.
const PIPE_WIDTH: usize = 80;

/// A case that may go on the board, before the filters that need every case's unit.
struct Candidate {
    stage: String,
    unit: String,
    card: Card,
}

/// What the folds keep of the portfolio.
#[derive(Default)]
struct Gathered {
    candidates: Vec<Candidate>,
    ids: Vec<String>,
    units: Vec<String>,
    latest: Option<NaiveDate>,
    /// The open cases of each stage (by key), whatever the filters: what a WIP limit
    /// is counted against.
    open: std::collections::BTreeMap<String, usize>,
    /// For published output: the fingerprints of submitters who have not agreed to be
    /// named.
    prints: Vec<Fingerprint>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let format = args.output.format(Format::Table, formats::NoCsv::FORMATS)?;
    let repo = ctx.open_repo_units()?;
    let config = &repo.config;
    let as_of = super::check_as_of(ctx, config.report_as_of(args.as_of))?;
    let stages = chosen_stages(config, &args.stage)?;
    let coach = args
        .coach
        .as_deref()
        .map(|c| config.find_coach(c).map(|c| c.key.clone()))
        .transpose()?;
    let program = args
        .program
        .as_deref()
        .map(|p| config.find_program(p).map(|p| p.key.clone()))
        .transpose()?;
    let statuses: &[Status] = if args.parked {
        &[Status::Open, Status::Parked]
    } else {
        &[Status::Open]
    };

    // Published (Markdown, HTML): nobody who has not agreed to be named is named in a
    // title, as in a published `list`.
    let published = matches!(format, Format::Markdown | Format::Html);
    let filter = Filter {
        statuses,
        coach,
        program,
        as_of,
        published,
    };
    let mut all = gather(ctx, &repo, &filter)?;
    if published {
        let names = super::published_names_of(&repo, &all.prints)?;
        for c in &mut all.candidates {
            names.hide_in(&mut c.card.title, crate::privacy::REMOVED);
        }
    }
    let unit = args
        .unit
        .as_deref()
        .map(|u| unit_matcher(config, u, &all.units))
        .transpose()?;
    let cards: Vec<(String, Card)> = all
        .candidates
        .into_iter()
        .filter(|c| unit.as_ref().is_none_or(|u| u(&c.unit)))
        .map(|c| (c.stage, c.card))
        .collect();
    let day = as_of.unwrap_or_else(|| all.latest.unwrap_or_else(|| ctx.today()));
    let board = Board::new(
        config,
        day,
        args.parked,
        &stages,
        cards,
        &all.ids,
        &all.open,
    );

    match format {
        Format::Json => args.output.deliver(&crate::output::json(&board))?,
        Format::Table => {
            // At the terminal, as the agenda: English unless --lang (or SLUSS_LANG)
            // asks otherwise.
            let lang = ctx.lang.unwrap_or(crate::i18n::Lang::En);
            // Piped or into a file, a board is laid out for 80 columns, as `ls` lays
            // out its columns; at natural widths when even that is too narrow.
            let painted = match args.output.layout().width {
                Some(width) => {
                    board::text(&board, lang, Some(width)).map_err(|n| too_narrow(&n))?
                }
                None => board::text(&board, lang, Some(PIPE_WIDTH))
                    .or_else(|_| board::text(&board, lang, None))
                    .expect("a board at natural widths always fits"),
            };
            deliver_painted(&args.output, &painted)?;
        }
        _ => {
            let lang = super::listing_lang(ctx, config, format);
            let doc = board::document(&board, lang);
            args.output
                .deliver(&crate::document::render(&doc, format, args.output.layout()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Which cases go on the board, before `--unit` (which needs every case's unit).
struct Filter<'a> {
    statuses: &'a [Status],
    coach: Option<String>,
    program: Option<String>,
    as_of: Option<NaiveDate>,
    published: bool,
}

/// Reads every case (from the cache where it can) and keeps what the board needs.
fn gather(ctx: &Context, repo: &crate::storage::Repo, filter: &Filter) -> Result<Gathered> {
    let config = &repo.config;
    let (parts, broken) =
        repo.fold_for_report(Gathered::default, |g: &mut Gathered, _, case| {
            g.ids.push(case.id.clone());
            g.units.push(case.unit.clone());
            if filter.published
                && let Some(p) = case.submitter.as_ref().filter(|p| !p.consent)
            {
                g.prints.extend(crate::privacy::fingerprints_of(p));
            }
            let Some((st, card, day)) = card_of(&case, config, filter.as_of, ctx.now) else {
                return;
            };
            g.latest = g.latest.max(Some(day));
            if card.status == Status::Open {
                *g.open.entry(st.stage.clone()).or_default() += 1;
            }
            let keep = filter.statuses.contains(&card.status)
                && filter
                    .coach
                    .as_ref()
                    .is_none_or(|c| card.coach.as_ref() == Some(c))
                && filter
                    .program
                    .as_ref()
                    .is_none_or(|p| st.program.as_ref() == Some(p));
            if keep {
                g.candidates.push(Candidate {
                    stage: st.stage,
                    unit: case.unit.clone(),
                    card,
                });
            }
        })?;
    super::warn_broken(&crate::storage::Portfolio {
        cases: Vec::new(),
        broken,
    });
    let mut all = Gathered::default();
    for part in parts {
        all.candidates.extend(part.candidates);
        all.ids.extend(part.ids);
        all.units.extend(part.units);
        all.latest = all.latest.max(part.latest);
        for (stage, n) in part.open {
            *all.open.entry(stage).or_default() += n;
        }
        all.prints.extend(part.prints);
    }
    Ok(all)
}

/// The stages `--stage` names (each by key or name), in pipeline order; every stage
/// without it.
fn chosen_stages<'c>(config: &'c Config, words: &[String]) -> Result<Vec<&'c Stage>> {
    if words.is_empty() {
        return Ok(config.stages.iter().collect());
    }
    let mut keys = Vec::new();
    for word in words.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
        keys.push(config.find_stage(word)?.key.clone());
    }
    Ok(config
        .stages
        .iter()
        .filter(|s| keys.contains(&s.key))
        .collect())
}

/// The state and card of `case` as it stood on `as_of` (as it stands `now` without
/// it), and the day its idle days are counted to.
fn card_of(
    case: &Case,
    config: &Config,
    as_of: Option<NaiveDate>,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Option<(CaseState, Card, NaiveDate)> {
    let st = state(case, config, as_of)?;
    let day = as_of.unwrap_or_else(|| case.today_at(now));
    let card = Card::new(
        &case.id,
        &case.title,
        st.status,
        st.coach.clone(),
        st.idle_days(day),
        config.stale_after_days,
    );
    Some((st, card, day))
}

/// Whether a case's unit text (the argument) is the unit `--unit` names.
type UnitMatch<'c> = Box<dyn Fn(&str) -> bool + 'c>;

/// Whether a case's unit text is the unit `word` names: by the register when there is
/// one, else by the text, case and Swedish letters aside. An unknown unit gets "did you
/// mean" from the register, or from the units the cases name.
fn unit_matcher<'c>(config: &'c Config, word: &str, seen: &[String]) -> Result<UnitMatch<'c>> {
    if !config.units.is_empty() {
        match config.find_unit(word) {
            Ok(unit) => {
                let name = unit.name.clone();
                return Ok(Box::new(move |unit| config.unit_name(unit) == name));
            }
            // A unit the register lacks but the cases name is still a unit.
            Err(e) if !seen.iter().any(|u| words::fold(u) == words::fold(word)) => {
                return Err(e.into());
            }
            Err(_) => {}
        }
    }
    let wanted = words::fold(word);
    if !seen.iter().any(|u| words::fold(u) == wanted) {
        let mut known: Vec<String> = seen.to_vec();
        known.sort();
        known.dedup();
        return Err(crate::Error::unknown("unit", word, known).into());
    }
    Ok(Box::new(move |unit| words::fold(unit) == wanted))
}

/// The board does not fit even with every column at its narrowest: say how to narrow
/// it rather than wrap it.
fn too_narrow(n: &board::TooNarrow) -> anyhow::Error {
    crate::Error::usage(
        format!(
            "the board's {} columns need {} characters of width; the terminal has {}",
            n.columns, n.needed, n.width
        ),
        "show fewer stages with --stage KEY (several allowed) or fewer cases with --coach KEY, or widen the terminal",
    )
    .into()
}

/// Writes painted text to stdout (coloured when it takes colour), or plain to the file
/// of `-o`.
pub fn deliver_painted<F: super::Offered>(
    out: &OutputArgs<F>,
    painted: &color::Painted,
) -> Result<()> {
    if out.output.is_some() {
        return out.deliver(&painted.text());
    }
    color::emit(painted)?;
    Ok(())
}
