//! `sluss set` (or `modify`): change a case's fields from the command line, or those of
//! every case a filter matches.

use std::process::ExitCode;

use anyhow::Result;

use crate::Error;
use crate::context::Context;
use crate::domain::change::{self, Actor, Edits};
use crate::domain::filter::Found;
use crate::domain::replay::state;
use crate::output;
use crate::report::escape::one_line;

/// Change a case without an editor: title, need, idea, unit, tags, follow-up day …
///
/// Its title, need, idea, result, unit, program, follow-up day and tags (`+pilot` adds
/// a tag, `-old` takes one out). Each command is recorded in one history entry, with
/// who and when.
///
/// Without an id, every case the filter flags match is changed (`sluss set --stage
/// testa --coach sara +pilot`), each with its own history entry; every case is checked
/// before any is written, and --dry-run only says what would change.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case id (or a unique prefix), then tags to add (`+TAG`) or take out
    /// (`-TAG`); without an id, the cases the filter matches.
    #[arg(value_name = "ID|+TAG|-TAG")]
    pub words: Vec<String>,
    /// A new title.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// A new need text (what is needed, and for whom).
    #[arg(long, value_name = "TEXT")]
    pub need: Option<String>,
    /// A new idea text.
    #[arg(long, value_name = "TEXT")]
    pub idea: Option<String>,
    /// A result text, as `sluss result` gives it (one line, at most 600 characters).
    #[arg(long, value_name = "TEXT")]
    pub result: Option<String>,
    /// The unit (key or name from the unit register when sluss.toml has one).
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// The program (key or name), or `none` to take the case out of its program.
    #[arg(long, value_name = "PROGRAM|none")]
    pub program: Option<String>,
    /// The day to come back to the case (2026-12-10, tomorrow, +2w, 3d, fredag: the next
    /// one …), or `none`.
    #[arg(long, value_name = "DAY|none", allow_hyphen_values = true)]
    pub follow_up: Option<String>,
    /// Why, recorded in the history entry.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// A tag to take out (as `-TAG`); repeat for several.
    #[arg(long, value_name = "TAG")]
    pub untag: Vec<String>,
    #[command(flatten)]
    pub filter: super::filter::FilterArgs,
    /// With a filter: only cases from these units.
    #[arg(long, value_name = "UNIT")]
    pub in_unit: Vec<String>,
    /// With a filter: only cases in these programs.
    #[arg(long, value_name = "PROGRAM")]
    pub in_program: Vec<String>,
    /// Say what would change, and in how many cases, without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub write: super::WriteArgs,
}

/// The command line with each `-TAG` word of `set` (or `modify`) written as
/// `--untag=TAG`, so that clap takes it for the tag it is and not for short flags (a
/// value of an option, such as `--title -x`, stays as it is; `-h` is still help).
pub fn untag_words(
    cmd: &clap::Command,
    args: impl IntoIterator<Item = std::ffi::OsString>,
) -> Vec<std::ffi::OsString> {
    let args: Vec<std::ffi::OsString> = args.into_iter().collect();
    let takes_value = |c: &clap::Command, long: &str| {
        c.get_arguments()
            .any(|a| a.get_long() == Some(long) && a.get_action().takes_values())
    };
    let mut out = Vec::with_capacity(args.len());
    let mut set_cmd: Option<&clap::Command> = None;
    let mut skip_value = false;
    for (i, arg) in args.iter().enumerate() {
        let text = arg.to_str();
        if i == 0 || skip_value {
            skip_value = false;
            out.push(arg.clone());
            continue;
        }
        let current = set_cmd.unwrap_or(cmd);
        match text {
            Some("--") => {
                out.extend(args[i..].iter().cloned());
                return out;
            }
            Some(t) if t.starts_with("--") => {
                skip_value = !t.contains('=') && takes_value(current, &t[2..]);
            }
            Some(t) if set_cmd.is_some() && t.len() > 1 && t.starts_with('-') && t != "-h" => {
                out.push(format!("--untag={}", &t[1..]).into());
                continue;
            }
            Some(t) if set_cmd.is_none() && !t.starts_with('-') => {
                let sub = cmd.find_subcommand(t);
                if sub.is_some_and(|s| s.get_name() == "set") {
                    set_cmd = sub;
                } else {
                    // Another command: nothing to rewrite.
                    out.extend(args[i..].iter().cloned());
                    return out;
                }
            }
            _ => {}
        }
        out.push(arg.clone());
    }
    out
}

/// The id and the tag words of the command line.
fn split_words(words: &[String]) -> Result<(Option<&str>, Vec<String>, Vec<String>)> {
    let mut id = None;
    let (mut add, mut remove) = (Vec::new(), Vec::new());
    for w in words {
        if let Some(tag) = w.strip_prefix('+') {
            add.push(tag.to_string());
        } else if let Some(tag) = w.strip_prefix('-') {
            remove.push(tag.to_string());
        } else if id.is_none() {
            id = Some(w.as_str());
        } else {
            return Err(Error::usage(
                format!("'{w}' is neither a tag to add (+TAG) nor to take out (-TAG)"),
                "name one case id, then tags as +TAG or -TAG; change several cases with a filter",
            )
            .into());
        }
    }
    Ok((id, add, remove))
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let repo = ctx.open_repo_units()?;
    let config = &repo.config;
    let (id, tags_add, mut tags_remove) = split_words(&args.words)?;
    tags_remove.extend(args.untag.iter().cloned());
    let program = match args.program.as_deref().map(str::trim) {
        None => None,
        Some(w) if crate::domain::words::fold(w) == "none" => Some(None),
        Some(w) => Some(Some(config.find_program(w)?.key.clone())),
    };
    let unit = match args.unit.as_deref().map(str::trim) {
        Some(u) if !config.units.is_empty() && !u.is_empty() => {
            Some(config.find_unit(u)?.name.clone())
        }
        other => other.map(str::to_string),
    };
    let follow_up = match args.follow_up.as_deref().map(str::trim) {
        None => None,
        Some(w) if crate::domain::words::fold(w) == "none" => Some(None),
        Some(w) => Some(Some(
            crate::domain::datetime::parse_due_day(w, ctx.today()).map_err(|e| {
                Error::usage(
                    format!("--follow-up: {e}"),
                    "give a day to come back: 2026-12-10, tomorrow/imorgon, +2w, 3d, friday/fredag (the next one), or none",
                )
            })?,
        )),
    };
    let edits = Edits {
        title: args.title.clone(),
        need: args.need.clone(),
        idea: args.idea.clone(),
        result: args.result.clone(),
        unit,
        tags_add,
        tags_remove,
        program,
        follow_up,
        note: args.note.clone(),
    };
    if edits.is_empty() {
        return Err(Error::usage(
            "nothing to set",
            "say what to change: --title, --need, --idea, --result, --unit, --program, --follow-up, or tags as +TAG / -TAG",
        )
        .into());
    }
    edits.check()?;
    let given = args.filter.given(
        ctx,
        &repo,
        &args.in_unit,
        &args.in_program,
        args.write.by.as_deref(),
    )?;
    let actor = Actor {
        by: ctx.actor(&repo, args.write.by.as_deref())?,
        at: ctx.now,
    };
    // A new tag is spelled as the portfolio already spells it.
    let known_tags = |repo: &crate::storage::Repo| -> Result<Vec<String>> {
        if edits.tags_add.is_empty() {
            return Ok(Vec::new());
        }
        let (parts, _) = repo.fold_for_report(Found::default, |f: &mut Found, _, c| f.note(&c))?;
        let mut found = Found::default();
        parts.into_iter().for_each(|p| found.join(p));
        Ok(found.tags)
    };

    if let Some(id) = id {
        if !given.is_empty() || args.filter.mine {
            return Err(Error::usage(
                "give a case id or a filter, not both",
                format!("`sluss set {id} …` changes that case; leave out the id to change every case the filter matches"),
            )
            .into());
        }
        let tags = known_tags(&repo)?;
        warn_near_tags(&edits.tags_add, &tags);
        let path = repo.resolve(id)?;
        if args.dry_run {
            let case = repo.read_case(&path)?;
            return match change::set_fields(&case, &edits, &tags, &actor)? {
                Some(c) => {
                    output::emit(&format!("would change {}\n", one_line(&c.summary)))?;
                    Ok(ExitCode::SUCCESS)
                }
                None => Err(unchanged_tags(&case, &edits).into()),
            };
        }
        let (change, _) = repo.update_case(&path, |case| {
            change::set_fields(case, &edits, &tags, &actor)?
                .ok_or_else(|| unchanged_tags(case, &edits))
        })?;
        args.write.commit_if_asked(&repo, &path, &change.summary)?;
        output::emit(&format!("{}\n", one_line(&change.summary)))?;
        return Ok(ExitCode::SUCCESS);
    }

    if given.is_empty() && !args.filter.mine {
        return Err(Error::usage(
            "no case named",
            "give a case id (`sluss set ID …`), or a filter (--stage, --coach, --tag, --search …) to change every case it matches",
        )
        .into());
    }
    let filter = given.resolve(&repo)?;
    let portfolio = repo.load()?;
    super::warn_broken(&portfolio);
    let mut found = Found::default();
    let mut matching = Vec::new();
    // Staleness counted to the report day, as list counts it.
    // A report day after today (refused by reports) is not a day to count to.
    let as_of = config.reports.as_of.filter(|day| *day <= ctx.today());
    for c in &portfolio.cases {
        found.note(&c.case);
        let stale_ok = !given.stale
            || (state(&c.case, config, None).is_some()
                && super::idle_on_report_day(&c.case, config, as_of, ctx.now).1);
        if stale_ok && filter.matches(&c.case) {
            matching.push(c);
        }
    }
    if filter.needs_found(config) {
        given.check_found(&repo, &filter, &found)?;
    }
    if matching.is_empty() {
        return Err(Error::refused(
            "no case matches the filter, so nothing was changed",
            "`sluss list` with the same filter shows which cases match",
        )
        .into());
    }
    matching.sort_by(|a, b| a.case.id.cmp(&b.case.id));
    warn_near_tags(&edits.tags_add, &found.tags);
    // Every case is checked before any is written: one that cannot take the change
    // stops them all.
    let mut planned = Vec::new();
    for c in &matching {
        if let Some(change) = change::set_fields(&c.case, &edits, &found.tags, &actor)? {
            planned.push((c, change));
        }
    }
    let count = format!("{} of {} matching case(s)", planned.len(), matching.len());
    if args.dry_run {
        let mut out = String::new();
        for (_, change) in &planned {
            out.push_str(&format!("would change {}\n", one_line(&change.summary)));
        }
        out.push_str(&format!("would change {count}\n"));
        output::emit(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if planned.is_empty() {
        return Err(Error::refused(
            format!(
                "none of the {} matching case(s) would change",
                matching.len()
            ),
            "nothing to do: every matching case is already as asked",
        )
        .into());
    }
    let mut out = String::new();
    let mut files = Vec::new();
    for (c, _) in &planned {
        let (change, _) = repo.update_case(&c.path, |case| {
            change::set_fields(case, &edits, &found.tags, &actor)?
                .ok_or_else(|| unchanged(&case.id))
        })?;
        out.push_str(&format!("{}\n", one_line(&change.summary)));
        files.push(c.path.clone());
    }
    out.push_str(&format!("changed {count}\n"));
    super::commit_written(
        &repo,
        args.write.commit,
        &files,
        &format!("set: changed {count}"),
    )?;
    output::emit(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn unchanged(id: &str) -> Error {
    Error::refused(
        format!("case {id} is already as asked, so nothing was changed"),
        format!("`sluss show {id}` shows what it holds now"),
    )
}

/// "already as asked", with "did you mean" when a tag to take out is a near miss of
/// one the case has (`-halsaa` for `hälsa`).
fn unchanged_tags(case: &crate::domain::Case, edits: &Edits) -> Error {
    use crate::domain::words::{fold, suggest};
    let has = |t: &str| case.tags.iter().any(|k| fold(k) == fold(t));
    let near = edits.tags_remove.iter().find_map(|t| {
        let t = t.trim();
        if has(t) {
            return None;
        }
        suggest(t, case.tags.iter().map(|k| (k.as_str(), Vec::new()))).map(|k| (t, k))
    });
    match near {
        Some((typed, tag)) => Error::refused(
            format!(
                "case {} has no tag '{typed}', so nothing was changed",
                case.id
            ),
            format!(
                "did you mean '-{tag}'? the case's tags: {}",
                case.tags.join(", ")
            ),
        ),
        None => unchanged(&case.id),
    }
}

/// Warns of a new tag that is a near miss of one the portfolio already has
/// (`+välfärdd` beside `välfärd`): it is added, but the typing mistake is said.
fn warn_near_tags(adding: &[String], known: &[String]) {
    use crate::domain::words::{fold, suggest};
    for tag in adding.iter().map(|t| t.trim()) {
        if known.iter().any(|k| fold(k) == fold(tag)) {
            continue;
        }
        if let Some(near) = suggest(tag, known.iter().map(|k| (k.as_str(), Vec::new()))) {
            crate::output::safe_eprintln!("warning: '{tag}' is a new tag; did you mean '{near}'?");
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    fn rewritten(line: &[&str]) -> Vec<String> {
        super::untag_words(
            &crate::cli::Cli::command(),
            line.iter().map(std::ffi::OsString::from),
        )
        .into_iter()
        .map(|a| a.into_string().unwrap())
        .collect()
    }

    #[test]
    fn a_minus_tag_of_set_is_untag_and_option_values_stay() {
        assert_eq!(
            rewritten(&[
                "sluss", "--repo", "-r", "set", "ab12", "-old", "--title", "-x", "-h"
            ]),
            [
                "sluss",
                "--repo",
                "-r",
                "set",
                "ab12",
                "--untag=old",
                "--title",
                "-x",
                "-h"
            ]
        );
        assert_eq!(
            rewritten(&[
                "sluss",
                "modify",
                "+ny",
                "--follow-up",
                "-3d",
                "--",
                "-kvar"
            ]),
            [
                "sluss",
                "modify",
                "+ny",
                "--follow-up",
                "-3d",
                "--",
                "-kvar"
            ]
        );
        assert_eq!(
            rewritten(&["sluss", "list", "-old"]),
            ["sluss", "list", "-old"]
        );
    }
}
