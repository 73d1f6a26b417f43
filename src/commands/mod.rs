//! One module per subcommand: its clap arguments (whose doc comments are the help text)
//! and the function that runs it. The real work lives in the library.

pub mod advance;
pub mod agenda;
pub mod assign;
pub mod board;
pub mod check;
pub mod coach;
pub mod completions;
pub mod digest;
pub mod edit;
pub mod export;
pub mod filter;
pub mod forget;
pub mod git_setup;
pub mod init;
pub mod list;
pub mod log;
pub mod man;
pub mod maturity;
pub mod network;
pub mod new;
pub mod partner;
pub mod program;
pub mod prompt;
pub mod result;
pub mod schema;
pub mod session;
pub mod set;
pub mod show;
pub mod status;
pub mod step;
pub mod summary;
pub mod unit;

use std::process::ExitCode;

use anyhow::Result;

use crate::context::Context;
use crate::domain::Change;
use crate::domain::change::Actor;
use crate::output::{self, Format};
use crate::storage::{Portfolio, Repo};

/// Names the case files that could not be read, on stderr, so that the rest of the
/// output stays usable.
pub fn warn_broken(portfolio: &Portfolio) {
    for broken in &portfolio.broken {
        crate::output::safe_eprintln!("warning: skipped {}", broken.error);
    }
}

/// The formats a command offers: what its `--format` lists in `--help` and accepts.
/// Each is a marker type made by [`formats!`](crate::commands::formats), named by what
/// it offers, for [`OutputArgs`]'s type parameter.
pub trait Offered: Clone + std::fmt::Debug + Send + Sync + 'static {
    /// The formats, the command's usual one first (as `--help` names it the default).
    const FORMATS: &'static [Format];
}

/// Declares marker types for [`OutputArgs`], one per set of formats.
macro_rules! formats {
    ($($(#[$doc:meta])* $name:ident: [$($format:ident),+];)+) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, Default)]
            pub struct $name;
            impl super::Offered for $name {
                const FORMATS: &'static [Format] = &[$(Format::$format),+];
            }
        )+
    };
}

/// The sets of formats commands offer (see [`OutputArgs`]).
pub mod formats {
    use crate::output::Format;

    formats! {
        /// Every format: a report whose rows fit a CSV (the default).
        All: [Table, Json, Csv, Markdown, Html];
        /// A report or listing without CSV (its rows do not fit one).
        NoCsv: [Table, Json, Markdown, Html];
        /// A published text, Markdown first: the digest.
        MarkdownHtmlJson: [Markdown, Html, Json, Table];
        /// Data for other programs: the export.
        JsonCsv: [Json, Csv];
        /// A listing for the terminal and for scripts.
        TableJson: [Table, Json];
        /// A listing for the terminal, scripts and spreadsheets.
        TableJsonCsv: [Table, Json, Csv];
    }
}

/// A `--format` value parser that offers exactly `formats` (in `--help`, in
/// completions and in what it accepts), for a command whose `format` is a field of its
/// own: `#[arg(long, default_value = "table", value_parser = format_parser(&[..]))]`.
pub fn format_parser(
    formats: &'static [Format],
) -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::ValueEnum as _;
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(
        formats
            .iter()
            .map(|f| f.to_possible_value().expect("every format has a name")),
    )
    .map(|name| Format::from_str(&name, false).expect("an offered format"))
}

/// The file name endings of the formats `offered`, as a hint words them: ".html, .md,
/// .json or .txt".
fn extensions(offered: &[Format]) -> String {
    let endings: Vec<&str> = [
        (Format::Html, ".html"),
        (Format::Markdown, ".md"),
        (Format::Csv, ".csv"),
        (Format::Json, ".json"),
        (Format::Table, ".txt"),
    ]
    .into_iter()
    .filter(|(f, _)| offered.contains(f))
    .map(|(_, e)| e)
    .collect();
    match endings.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_string(),
        None => String::new(),
    }
}

/// Where a report goes and in which format: `--format`, or `-o FILE` whose extension
/// picks the format; `--csv-dialect` when the command writes CSV. `F` says which
/// formats the command offers ([`formats`]): `--help` lists exactly those, and `--format`
/// accepts only those.
#[derive(Debug, Clone)]
pub struct OutputArgs<F: Offered = formats::All> {
    /// The output format (default: the command's usual one, or what -o's extension says).
    pub format: Option<Format>,
    /// Write the report to FILE (written whole or not at all) instead of stdout.
    pub output: Option<std::path::PathBuf>,
    /// `--csv-dialect`, over `[csv] dialect` in sluss.toml.
    pub csv_dialect: Option<output::csv::CsvDialect>,
    offered: std::marker::PhantomData<F>,
}

impl<F: Offered> OutputArgs<F> {
    fn offers_csv() -> bool {
        F::FORMATS.contains(&Format::Csv)
    }
}

impl<F: Offered> clap::FromArgMatches for OutputArgs<F> {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        Self::from_arg_matches_mut(&mut matches.clone())
    }

    fn from_arg_matches_mut(matches: &mut clap::ArgMatches) -> Result<Self, clap::Error> {
        Ok(OutputArgs {
            format: matches.remove_one::<Format>("format"),
            output: matches.remove_one::<std::path::PathBuf>("output"),
            csv_dialect: if Self::offers_csv() {
                matches.remove_one::<output::csv::CsvDialect>("csv_dialect")
            } else {
                None
            },
            offered: std::marker::PhantomData,
        })
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl<F: Offered> clap::Args for OutputArgs<F> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        use clap::{Arg, value_parser};
        let cmd = cmd
            .arg(
                Arg::new("format")
                    .long("format")
                    .value_name("FORMAT")
                    .value_parser(format_parser(F::FORMATS))
                    .help(format!(
                        "The output format (default: {}, or what -o's extension says)",
                        F::FORMATS[0].name()
                    )),
            )
            .arg(
                Arg::new("output")
                    .short('o')
                    .long("output")
                    .value_name("FILE")
                    .value_parser(value_parser!(std::path::PathBuf))
                    .help(
                        "Write the output to FILE (written whole or not at all) instead of stdout",
                    ),
            );
        if !Self::offers_csv() {
            return cmd;
        }
        cmd.arg(
            Arg::new("csv_dialect")
                .long("csv-dialect")
                .value_name("DIALECT")
                .value_parser(value_parser!(output::csv::CsvDialect))
                .help("How CSV is written: standard (RFC 4180) or excel (semicolons, decimal commas, a byte-order mark, for Excel in Swedish); over [csv] dialect in sluss.toml"),
        )
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

impl<F: Offered> OutputArgs<F> {
    /// The format to render in, checked against what the command offers.
    pub fn format(&self, default: Format, offered: &[Format]) -> Result<Format> {
        let format = match (self.format, &self.output) {
            (Some(f), _) => f,
            (None, Some(path)) => Format::from_extension(path).ok_or_else(|| {
                crate::Error::usage(
                    format!("cannot tell the format from the name {}", path.display()),
                    format!("end it in {}, or add --format", extensions(offered)),
                )
            })?,
            (None, None) => default,
        };
        require_format(format, offered)?;
        Ok(format)
    }

    /// How to lay a document out: fitted to the terminal when output goes to one, never
    /// when it goes to a file (`-o`) or a pipe.
    pub fn layout(&self) -> crate::document::Options {
        crate::document::Options {
            width: if self.output.is_some() {
                None
            } else {
                output::stdout_width()
            },
        }
    }

    /// The format of a report, which can be rendered in every format (a table unless
    /// asked otherwise).
    pub fn report_format(&self) -> Result<Format> {
        self.format(
            Format::Table,
            &[
                Format::Table,
                Format::Json,
                Format::Csv,
                Format::Markdown,
                Format::Html,
            ],
        )
    }

    /// Writes the list `items` as JSON ([`output::json`]) to the file, or to stdout as it
    /// is made (for output of many megabytes, such as an export), each item changed by
    /// `prepare` just before its text is made.
    pub fn deliver_json_list<T, P>(&self, items: &mut [T], prepare: P) -> Result<()>
    where
        T: serde::Serialize + Send,
        P: Fn(&mut T) + Sync,
    {
        match &self.output {
            Some(path) => {
                let mut text = Vec::new();
                output::write_json_list_prepared(&mut text, items, prepare)?;
                crate::storage::write::atomic_write(path, &text)?;
                crate::output::safe_eprintln!("Wrote {}", path.display());
            }
            None => output::emit_with(|out| output::write_json_list_prepared(out, items, prepare))?,
        }
        Ok(())
    }

    /// The CSV dialect to write in: `--csv-dialect`, else `[csv] dialect` in sluss.toml.
    pub fn csv_dialect(&self) -> output::csv::CsvDialect {
        output::csv::dialect(self.csv_dialect)
    }

    /// Whether the output is CSV: `--format csv`, or `-o FILE.csv` without `--format`
    /// (no command has CSV as its usual format).
    fn is_csv(&self) -> bool {
        match (self.format, &self.output) {
            (Some(f), _) => f == Format::Csv,
            (None, Some(path)) => Format::from_extension(path) == Some(Format::Csv),
            (None, None) => false,
        }
    }

    /// Writes the rendered report to the file, or to stdout. CSV is put in the dialect
    /// asked for ([`output::csv::finish`]), so every command's CSV gets it here.
    pub fn deliver(&self, text: &str) -> Result<()> {
        let text = if self.is_csv() {
            std::borrow::Cow::Owned(output::csv::finish(text.to_string(), self.csv_dialect()))
        } else {
            std::borrow::Cow::Borrowed(text)
        };
        match &self.output {
            Some(path) => {
                crate::storage::write::atomic_write(path, text.as_bytes())?;
                crate::output::safe_eprintln!("Wrote {}", path.display());
            }
            None => output::emit(&text)?,
        }
        Ok(())
    }
}

/// Refuses a window that ends before it starts (a usage error, exit 2): `--since` after
/// `--until`, or after `--as-of` when that is where the window ends. Every command with
/// these flags asks here.
pub fn check_window(
    since: Option<chrono::NaiveDate>,
    until: Option<chrono::NaiveDate>,
    as_of: Option<chrono::NaiveDate>,
) -> Result<()> {
    let Some(since) = since else {
        return Ok(());
    };
    let end = match (until, as_of) {
        (Some(until), _) => Some(("--until", until)),
        (None, Some(as_of)) => Some(("--as-of", as_of)),
        (None, None) => None,
    };
    if let Some((flag, end)) = end
        && end < since
    {
        return Err(crate::Error::usage(
            format!("{flag} {end} is before --since {since}"),
            format!("give --since a day on or before {flag}, or swap the two dates"),
        )
        .into());
    }
    Ok(())
}

/// Refuses `--since` after the day a window ends by default (the report's day, known
/// only once the cases are read), as [`check_window`] refuses it before an `--until`.
pub fn check_default_end(since: Option<chrono::NaiveDate>, end: chrono::NaiveDate) -> Result<()> {
    match since {
        Some(since) if end < since => Err(crate::Error::usage(
            format!("--since {since} is after {end}, the report's day (where the window ends without --until)"),
            "give --since a day on or before the report's day, or an --until after it",
        )
        .into()),
        _ => Ok(()),
    }
}

/// Refuses a format that a command does not offer, naming those it does.
pub fn require_format(format: Format, offered: &[Format]) -> Result<()> {
    if offered.contains(&format) {
        return Ok(());
    }
    let names: Vec<&str> = offered.iter().map(|f| f.name()).collect();
    Err(crate::Error::usage(
        format!("this command has no {} output", format.name()),
        format!("use --format {}", names.join(" or --format ")),
    )
    .into())
}

/// Options of every command that changes a case: who acts, and whether to commit.
#[derive(Debug, Clone, clap::Args)]
pub struct WriteArgs {
    /// Who is acting, recorded in history (default: SLUSS_USER, the user settings file,
    /// then git's user.name).
    #[arg(long, env = "SLUSS_USER", value_name = "NAME")]
    pub by: Option<String>,
    /// Commit the changed case file with a message saying what happened (also
    /// `[git] auto_commit = true` in sluss.toml).
    #[arg(long)]
    pub commit: bool,
}

impl WriteArgs {
    /// Commits `file` when asked to, by flag or by the repository's settings.
    pub fn commit_if_asked(
        &self,
        repo: &Repo,
        file: &std::path::Path,
        message: &str,
    ) -> Result<()> {
        commit_written(repo, self.commit, &[file.to_path_buf()], message)
    }
}

/// `--commit`, for writing commands that record no actor.
#[derive(Debug, Clone, clap::Args)]
pub struct CommitArgs {
    /// Commit the changed file(s) with a message saying what happened (also
    /// `[git] auto_commit = true` in sluss.toml).
    #[arg(long)]
    pub commit: bool,
}

/// The one way a writing command commits what it wrote: `files`, exactly, with
/// `message`, when `--commit` was given (`asked`) or sluss.toml says
/// `[git] auto_commit = true`. Every command that changes a file in the repository
/// ends here, so none of them can forget the setting.
///
/// When git refuses, the files stay written and nothing of them stays staged; the
/// command fails (exit 1) saying so.
pub fn commit_written(
    repo: &Repo,
    asked: bool,
    files: &[std::path::PathBuf],
    message: &str,
) -> Result<()> {
    if files.is_empty() || !(asked || repo.config.git.auto_commit) {
        return Ok(());
    }
    crate::storage::git::commit_files(&repo.root, files, message).map_err(|e| {
        let shown: Vec<String> = files
            .iter()
            .map(|f| {
                f.strip_prefix(&repo.root)
                    .unwrap_or(f)
                    .display()
                    .to_string()
            })
            .collect();
        anyhow::Error::from(e).context(format!(
            "{} was written, but not committed",
            shown.join(", ")
        ))
    })?;
    Ok(())
}

/// The shared path of every command that changes one case: resolve the id, decide the
/// change under the lock, write it, and say what happened.
pub fn change_case<F>(ctx: &Context, id: &str, by: &WriteArgs, decide: F) -> Result<ExitCode>
where
    F: FnOnce(&Repo, &Actor, &crate::domain::Case) -> crate::Result<Change>,
{
    let repo = ctx.open_repo()?;
    let actor = Actor {
        by: ctx.actor(&repo, by.by.as_deref())?,
        at: ctx.now,
    };
    let path = repo.resolve(id)?;
    let (change, _) = repo.update_case(&path, |case| decide(&repo, &actor, case))?;
    by.commit_if_asked(&repo, &path, &change.summary)?;
    output::emit(&format!(
        "{}\n",
        crate::report::escape::one_line(&change.summary)
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// The people that the network and the programs record, for keeping those who have not
/// consented out of published output. A file that cannot be read at all refuses the
/// publication: nobody could say whom it names.
pub fn people_recorded(repo: &Repo) -> Result<Vec<crate::privacy::Recorded>> {
    let mut people = Vec::new();
    for path in repo
        .network_files()?
        .into_iter()
        .chain(repo.program_files()?)
    {
        let text = repo.read_text(&path)?;
        let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let doc: toml_edit::DocumentMut = body.parse().map_err(|e: toml_edit::TomlError| {
            anyhow::Error::from(crate::Error::syntax(&path, body, e.span(), e.message())).context(
                "published output would not know whom this file names, so nothing was published",
            )
        })?;
        people.extend(crate::privacy::people_in(&doc));
    }
    Ok(people)
}

/// The report's day (`--as-of`, else `[reports] as_of`, see
/// [`crate::domain::Config::report_as_of`]) unless it lies after today: a report
/// describes a day that has been, and a day years ahead would count every open case idle
/// for years, or fill a report with thousands of empty periods. Today is the latest day
/// it is anywhere on earth, so no time zone makes a real day "after today".
/// A case's idle days and staleness on the report day `as_of` (`[reports] as_of`), as
/// the board counts them: the case as it stood that day, not yet idle (nor stale) when
/// it did not exist yet; without a report day, to the case's own today.
pub fn idle_on_report_day(
    case: &crate::domain::Case,
    config: &crate::domain::Config,
    as_of: Option<chrono::NaiveDate>,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> (i64, bool) {
    let day = as_of.unwrap_or_else(|| case.today_at(now));
    crate::domain::replay::state(case, config, as_of).map_or((0, false), |st| {
        (st.idle_days(day), st.is_stale(day, config.stale_after_days))
    })
}

pub fn check_as_of(
    ctx: &Context,
    (day, source): (Option<chrono::NaiveDate>, crate::domain::AsOfSource),
) -> Result<Option<chrono::NaiveDate>> {
    let latest = (ctx.now.naive_utc() + chrono::Duration::hours(14)).date();
    match day {
        Some(day) if day > latest => {
            let what = match source {
                crate::domain::AsOfSource::Settings => {
                    format!(
                        "sluss.toml: [reports] as_of = {day} is after today ({})",
                        ctx.today()
                    )
                }
                _ => format!("--as-of {day} is after today ({})", ctx.today()),
            };
            Err(crate::Error::usage(
                what,
                "a report describes a day that has been: give a day up to today, or leave it out",
            )
            .into())
        }
        _ => Ok(day),
    }
}

/// The names that a published listing (`show`, `log` or `list` in Markdown or HTML)
/// keeps out of its text: those of everyone who has not agreed to be named, whichever
/// case, setting or record names them, as the other published output does. The cases'
/// submitters come from the cache's fingerprints where it can.
pub fn published_names(repo: &Repo) -> Result<crate::domain::names::NameSet> {
    let (survey, shares) = repo.survey_for_report(Vec::new, |prints, _, facts| {
        prints.extend(facts.unconsented_prints().iter().cloned())
    })?;
    survey.finish();
    published_names_of(repo, shares.iter().flatten())
}

/// [`published_names`] when the fingerprints of the cases' unconsented submitters are
/// known already (a listing that has read every case).
pub fn published_names_of<'a>(
    repo: &Repo,
    prints: impl IntoIterator<Item = &'a crate::domain::names::Fingerprint>,
) -> Result<crate::domain::names::NameSet> {
    let others = people_recorded(repo)?;
    let mut names = crate::privacy::names_to_hide(&repo.config, std::iter::empty(), &others, true);
    for print in prints {
        names.insert_fingerprint(print);
    }
    Ok(names)
}

/// [`published_names`] for publishing `case`, read whole: its submitter as the file
/// says now, should the cache know an older one.
pub fn published_names_with(
    repo: &Repo,
    case: &crate::domain::Case,
) -> Result<crate::domain::names::NameSet> {
    let mut names = published_names(repo)?;
    if let Some(p) = case.submitter.as_ref().filter(|p| !p.consent) {
        for print in crate::privacy::fingerprints_of(p) {
            names.insert_fingerprint(&print);
        }
    }
    Ok(names)
}

/// The language of a listing (`list`, `show`, `log`, `coach list`) in `format`: at the
/// terminal (a table) a listing is part of the command line, which speaks English, as
/// its messages do; in Markdown and HTML it is published, and speaks the sluice's
/// language ([`Context::lang`]). JSON and CSV have no words to translate.
pub fn listing_lang(
    ctx: &Context,
    config: &crate::domain::Config,
    format: Format,
) -> crate::i18n::Lang {
    match format {
        Format::Markdown | Format::Html => ctx.lang(config),
        _ => crate::i18n::Lang::En,
    }
}

/// A case's status in words of `lang`, with its outcome when it has one: "closed
/// (implemented)".
pub fn status_words(
    lang: crate::i18n::Lang,
    status: crate::domain::Status,
    outcome: Option<crate::domain::Outcome>,
) -> String {
    let status = lang.text(&format!("status.{status}"));
    match outcome {
        Some(o) => format!("{status} ({})", lang.text(&format!("outcome.{o}"))),
        None => status.to_string(),
    }
}

/// Fits a listing's `table` into `width` terminal columns, one line a row: leaves out
/// columns in the order `drop` gives (indices into its columns) until its narrowest
/// layout fits (the column `main`, the one that names the row, counted at
/// `main_floor` columns), then cuts the text of `main` to the room left (at least 8
/// columns) with the text writer's own cut
/// ([`crate::document::text::cut`]). Other text columns may be cut by the writer to
/// their label or 8 columns; ids, numbers and dates are never cut.
///
/// The text writer cuts text but keeps every column, so a listing with many columns
/// chooses them here: the columns in `drop` go, in that order, until the others fit at
/// their least, and then `main` is cut to the room that is left.
pub fn drop_columns_to_fit(
    table: &mut crate::document::Table,
    lang: crate::i18n::Lang,
    width: usize,
    drop: &[usize],
    main: usize,
    main_floor: usize,
) {
    use crate::document::text::{cut, display_width};
    use crate::document::{Cell, ColumnKind};
    use crate::report::escape::one_line;
    let natural: Vec<usize> = (0..table.columns.len())
        .map(|i| {
            table
                .rows
                .iter()
                .chain(table.total.as_ref())
                .map(|row| display_width(&one_line(&row[i].format(lang))))
                .chain(std::iter::once(display_width(&table.columns[i].label)))
                .max()
                .unwrap_or(0)
        })
        .collect();
    // As the text writer lays the table out.
    let needed = |kept: &[bool], each: &dyn Fn(usize) -> usize| {
        let widths: Vec<usize> = (0..kept.len()).filter(|&i| kept[i]).map(each).collect();
        crate::document::text::table_width(&widths)
    };
    let mut kept: Vec<bool> = vec![true; table.columns.len()];
    // Only `main` is cut, and not below `main_floor` (or its label), so the others count
    // at their whole width: a column that does not fit beside a readable `main` goes.
    let at_least = |i: usize| {
        if i == main && table.columns[i].kind == ColumnKind::Text {
            natural[i].min(main_floor.max(display_width(&table.columns[i].label)))
        } else {
            natural[i]
        }
    };
    for &i in drop {
        if needed(&kept, &at_least) <= width {
            break;
        }
        kept[i] = false;
    }
    let others = needed(&kept, &|i| if i == main { 0 } else { natural[i] });
    let room = width.saturating_sub(others).max(8);
    if natural[main] > room && table.columns[main].kind == ColumnKind::Text {
        for row in table.rows.iter_mut() {
            if let Cell::Text(s) = &row[main] {
                row[main] = Cell::Text(cut(&one_line(s), room));
            }
        }
    }
    let keep = |cells: &mut Vec<Cell>| {
        let mut i = 0;
        cells.retain(|_| {
            i += 1;
            kept[i - 1]
        });
    };
    let mut i = 0;
    table.columns.retain(|_| {
        i += 1;
        kept[i - 1]
    });
    table.rows.iter_mut().for_each(keep);
    if let Some(total) = table.total.as_mut() {
        keep(total);
    }
}
