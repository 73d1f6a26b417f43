//! `sluss check`: validate the whole repository, for people, pre-commit hooks and CI.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use crate::check::maturity::{AssessmentCheck, check_assessment, duplicate_assessments};
use crate::check::{self, FileCheck, GateFailure, Problem, Severity};
use crate::context::Context;
use crate::domain::config::Policy;
use crate::output;
use crate::storage::Repo;
use crate::storage::cache;
use crate::storage::guard;
use crate::storage::repo::CONFIG_FILE;

/// Validate sluss.toml and every case, network, program and maturity file, and the
/// policy's gates.
///
/// Reports every problem as path:line:column with a hint. Silent with exit 0 when all
/// is well; exit 1 when it found problems (or a gate fails); exit 2 when it could not run.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Gate: every open case has a coach (also `[policy] require_coach = true`).
    #[arg(long)]
    pub require_coach: bool,
    /// Gate: no open case is idle for more than N days (also `[policy] max_stale_days`).
    #[arg(long, value_name = "N")]
    pub max_stale_days: Option<u32>,
    /// Gate: every case past STAGE describes its need (also `[policy] need_after`).
    #[arg(long, value_name = "STAGE")]
    pub need_after: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: CheckFormat,
}

/// How `check` reports what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// `path:line:column: error: message`, with hints, for people and editors.
    Table,
    /// Stable JSON for scripts.
    Json,
    /// GitHub Actions workflow commands: each problem becomes an annotation on its line
    /// in the pull request (files named from the top of the git repository, so a sluice
    /// in a sub-folder works too).
    Github,
}

#[derive(Serialize)]
struct Outcome<'a> {
    ok: bool,
    files: usize,
    errors: usize,
    warnings: usize,
    problems: &'a [Problem],
    gates: &'a [GateFailure],
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let root = match ctx.repo_dirs()?.as_slice() {
        [] => Repo::discover(&std::env::current_dir()?)?,
        [one] => one.clone(),
        _ => {
            return Err(crate::Error::refused(
                "check works on one repository",
                "run it once per repository",
            )
            .into());
        }
    };
    let config_path = root.join(CONFIG_FILE);
    let config_bytes = guard::read_bytes(&root, &config_path)?;
    let (mut problems, config) = check::check_config(Path::new(CONFIG_FILE), &config_bytes);
    let Some(config) = config else {
        // Without valid settings no case can be judged: report and stop.
        return finish(&args, &root, problems, Vec::new(), 1);
    };
    let repo = Repo {
        root: root.clone(),
        config,
    };
    let config = &repo.config;
    let today = ctx.today();
    if let Some(note) = super::git_setup::stale_driver_note(&root) {
        crate::output::safe_eprintln!("{note}");
    }
    let policy = Policy {
        require_coach: args.require_coach || config.policy.require_coach,
        max_stale_days: args.max_stale_days.or(config.policy.max_stale_days),
        need_after: args.need_after.clone().or(config.policy.need_after.clone()),
    };
    // A case is kept past its own check only for what looks at it again: a policy gate,
    // or partners that are not all members of the network (located in its file below).
    // Otherwise its id will do.
    let gates = policy != Policy::default();
    let network = network(&repo, today)?;
    let slim = |check: &mut FileCheck| {
        if !gates
            && check
                .case
                .as_ref()
                .is_some_and(|c| !names_partners(c) || partners_in_order(c, &network.keys))
        {
            check.case = None;
        }
    };

    // Before the listing, which sweeps old leftovers away.
    problems.extend(temp_files(&repo));
    let (files, strays) = repo.case_listing()?;
    let shown = |p: &Path| p.strip_prefix(&root).unwrap_or(p).to_path_buf();
    // Every file is read; a file whose bytes are what the cache saw last time is not
    // parsed again.
    let cache = repo.open_cache();
    // Names `sluss forget` erased that are back, looked for in the bytes each case's
    // check reads anyway (the other files are looked at in `forgotten_names`).
    let privacy = &repo.config.privacy;
    let forgotten_back = |rel: &Path, bytes: &[u8]| -> Vec<Problem> {
        match std::str::from_utf8(bytes) {
            Ok(text) if !privacy.forgotten.is_empty() => {
                check::forgotten::forgotten_names(rel, text, privacy)
            }
            // Not UTF-8: the file has its own problem already.
            _ => Vec::new(),
        }
    };
    // With each check, the day it is now in the offsets of the case (see
    // `Case::today_at`).
    let checks: Vec<(PathBuf, FileCheck, Option<NaiveDate>)> =
        crate::parallel::map(&files, |entry| {
            let path = &entry.path;
            let rel = shown(path);
            if entry.name_problem().is_some() {
                let problem = Problem {
                    path: rel.clone(),
                    line: 1,
                    column: 1,
                    severity: Severity::Error,
                    code: "file-name",
                    message: "the file's name is not UTF-8 text, so no command can name this case"
                        .to_string(),
                    hint: Some("rename it to <id>.toml".to_string()),
                };
                // Such a file is still looked through for forgotten names.
                let mut problems = vec![problem];
                if let Ok(bytes) = repo.read_bytes(path) {
                    problems.extend(forgotten_back(&rel, &bytes));
                }
                return (
                    rel,
                    FileCheck {
                        problems,
                        ..FileCheck::default()
                    },
                    None,
                );
            }
            let check = match repo.read_entry(entry) {
                Ok((bytes, stamp)) => {
                    let Some(cache) = &cache else {
                        let mut check = check::check_case(&rel, &bytes, config, ctx.now);
                        check.problems.extend(forgotten_back(&rel, &bytes));
                        let day = check.case.as_ref().map(|c| c.today_at(ctx.now));
                        slim(&mut check);
                        return (rel, check, day);
                    };
                    let name = path.file_name().unwrap_or_default().to_string_lossy();
                    let hash = cache::content_hash(&bytes);
                    let known = cache.by_content(&name, hash, stamp);
                    let fresh = known.is_none();
                    let mut check = check::check_case_known(&rel, &bytes, config, ctx.now, known);
                    check.problems.extend(forgotten_back(&rel, &bytes));
                    if fresh && let (Some(case), Some(stamp)) = (&check.case, stamp) {
                        cache.store(&name, stamp, hash, case);
                    }
                    let day = check.case.as_ref().map(|c| c.today_at(ctx.now));
                    slim(&mut check);
                    (check, day)
                }
                Err(e) => (
                    FileCheck {
                        problems: vec![unreadable(&rel, path, &e)],
                        ..FileCheck::default()
                    },
                    None,
                ),
            };
            (rel, check.0, check.1)
        });
    // Dates without an offset (a member's `joined`, an assessment's `date`) and idle
    // days are judged on the latest day it is now in the offsets the sluice's cases are
    // written in, as reports judge them (`Case::report_day`): a member added at
    // 00:50+02:00 is not in the future for a UTC clock at 22:45.
    let latest_day = checks
        .iter()
        .filter_map(|(_, _, day)| *day)
        .fold(today, NaiveDate::max);
    let checks: Vec<(PathBuf, FileCheck)> = checks.into_iter().map(|(p, c, _)| (p, c)).collect();
    let network = if latest_day > today {
        self::network(&repo, latest_day)?
    } else {
        network
    };
    if let Some(cache) = cache {
        repo.save_cache(cache);
    }
    for (_, c) in &checks {
        problems.extend(c.problems.iter().cloned());
    }
    let refs: Vec<(PathBuf, &FileCheck)> = checks.iter().map(|(p, c)| (p.clone(), c)).collect();
    problems.extend(check::duplicate_ids(&refs));
    for stray in strays {
        problems.push(stray_file(
            shown(&stray),
            "case file: cases/ holds only <id>.toml files",
            "cases",
        ));
    }

    let maturity_files = repo.maturity_files()?;
    let assessments: Vec<(PathBuf, AssessmentCheck)> = maturity_files
        .iter()
        .map(|path| {
            let rel = shown(path);
            let check = match repo.read_bytes(path) {
                Ok(bytes) => check_assessment(&rel, &bytes, config.maturity.as_ref(), latest_day),
                Err(e) => AssessmentCheck {
                    problems: vec![unreadable(&rel, path, &e)],
                    ..AssessmentCheck::default()
                },
            };
            (rel, check)
        })
        .collect();
    for (_, c) in &assessments {
        problems.extend(c.problems.iter().cloned());
    }
    let refs: Vec<(PathBuf, &AssessmentCheck)> =
        assessments.iter().map(|(p, c)| (p.clone(), c)).collect();
    problems.extend(duplicate_assessments(&refs));
    for stray in repo.stray_files(&repo.maturity_dir())? {
        problems.push(stray_file(
            shown(&stray),
            "assessment: maturity/ holds only <date>-<unit>.toml files",
            "maturity",
        ));
    }

    let (side_problems, side_files) = network_and_programs(&repo, &network, &checks)?;
    problems.extend(side_problems);
    problems.extend(forgotten_names(&repo)?);

    if let Some(after) = &policy.need_after
        && config.stage_index(after).is_none()
    {
        return Err(crate::Error::unknown("stage", after, config.stage_keys()).into());
    }
    let cases: Vec<(PathBuf, &crate::domain::Case)> = checks
        .iter()
        .filter_map(|(p, c)| c.case.as_deref().map(|case| (p.clone(), case)))
        .collect();
    let gates = check::policy_gates(&policy, &cases, config, latest_day);
    let unmerged = unmerged(&root, &problems);
    problems.extend(unmerged);
    finish(
        &args,
        &root,
        problems,
        gates,
        files.len() + maturity_files.len() + side_files + 1,
    )
}

/// The problems of the partner network's member files (read by [`network`]), the
/// programs' participant files, and the partner keys that cases name; returns the problems and how many files were read.
fn network_and_programs(
    repo: &Repo,
    network: &Network,
    cases: &[(PathBuf, FileCheck)],
) -> Result<(Vec<Problem>, usize)> {
    use crate::check::network::{
        MemberCheck, case_partners, check_program_file, duplicate_members,
    };
    use crate::storage::records::{NETWORK_DIR, PROGRAMS_DIR};
    let shown = |p: &Path| p.strip_prefix(&repo.root).unwrap_or(p).to_path_buf();
    let mut problems = Vec::new();

    for (_, c) in &network.members {
        problems.extend(c.problems.iter().cloned());
    }
    let refs: Vec<(PathBuf, &MemberCheck)> = network
        .members
        .iter()
        .map(|(p, c)| (p.clone(), c))
        .collect();
    problems.extend(duplicate_members(&refs));
    let keys = &network.keys;
    for (rel, check) in cases {
        let Some(case) = &check.case else { continue };
        // The file is read and parsed again only to locate a problem, so not when every
        // partner it names is a member, once.
        if names_partners(case) && !partners_in_order(case, keys) {
            let bytes = repo.read_case_bytes(&repo.root.join(rel))?;
            problems.extend(case_partners(rel, &bytes, case, keys));
        }
    }

    let program_files = repo.program_files()?;
    for path in &program_files {
        let rel = shown(path);
        match repo.read_bytes(path) {
            Ok(bytes) => problems.extend(check_program_file(&rel, &bytes, &repo.config)),
            Err(e) => problems.push(unreadable(&rel, path, &e)),
        }
    }

    for (dir, what) in [
        (
            NETWORK_DIR,
            "member file: network/ holds only <key>.toml files",
        ),
        (
            PROGRAMS_DIR,
            "participants file: programs/ holds only <key>.toml files",
        ),
    ] {
        for stray in repo.stray_files(&repo.root.join(dir))? {
            problems.push(stray_file(shown(&stray), what, dir));
        }
    }
    Ok((problems, network.members.len() + program_files.len()))
}

/// Files git has not finished merging that no other problem names: a file one branch
/// deleted and the other changed, or one whose markers were taken out without telling
/// git. Nothing in the file shows it, yet the merge is not done.
fn unmerged(root: &Path, problems: &[Problem]) -> Vec<Problem> {
    crate::storage::git::unmerged(root)
        .into_iter()
        .filter(|path| !problems.iter().any(|p| &p.path == path))
        .map(|path| Problem {
            path,
            line: 1,
            column: 1,
            severity: Severity::Error,
            code: "unmerged",
            message: "git has not finished merging this file (one branch deleted it while the other changed it, or the conflict is not marked resolved)".to_string(),
            hint: Some(
                "keep or drop the file as it should be, then `git add` or `git rm` it and commit the merge".to_string(),
            ),
        })
        .collect()
}

/// Temporary files of writers at the root and in the folders sluss writes: a crashed
/// writer leaves one behind (git ignores them, once `sluss init` or `sluss git-setup`
/// has said so in `.gitignore`).
fn temp_files(repo: &Repo) -> Vec<Problem> {
    use crate::storage::records::{NETWORK_DIR, PROGRAMS_DIR};
    use crate::storage::write::temp_files_in;
    let dirs = [
        repo.root.clone(),
        repo.cases_dir(),
        repo.root.join(NETWORK_DIR),
        repo.root.join(PROGRAMS_DIR),
        repo.maturity_dir(),
    ];
    dirs.iter()
        .flat_map(|dir| temp_files_in(dir))
        .map(|path| Problem {
            path: path.strip_prefix(&repo.root).unwrap_or(&path).to_path_buf(),
            line: 1,
            column: 1,
            severity: Severity::Warning,
            code: "temp-file",
            message: "a temporary file of a sluss write that was interrupted (or is running now)"
                .to_string(),
            hint: Some(
                "when no sluss command is running, delete it; the file it was to replace is intact"
                    .to_string(),
            ),
        })
        .collect()
}

/// A file in `dir`/ that is not a `what` (nor anything else sluss reads there).
fn stray_file(path: PathBuf, what: &str, dir: &str) -> Problem {
    let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    Problem {
        path,
        line: 1,
        column: 1,
        severity: Severity::Warning,
        code: "stray-file",
        message: format!("not {article} {what}"),
        hint: Some(format!("move it out of {dir}/")),
    }
}

/// Whether a case names partners, now or in its history.
fn names_partners(case: &crate::domain::Case) -> bool {
    !case.partners.is_empty()
        || case
            .history
            .iter()
            .any(|e| e.partner_added.is_some() || e.partner_removed.is_some())
}

/// Whether every partner a case names is a member of the network (`members`), and
/// none is named twice in `partners`: then the case has no partner problems.
fn partners_in_order(
    case: &crate::domain::Case,
    members: &std::collections::BTreeSet<String>,
) -> bool {
    let mut seen = std::collections::BTreeSet::new();
    case.partners
        .iter()
        .all(|p| members.contains(p) && seen.insert(p))
        && case.history.iter().all(|e| {
            [&e.partner_added, &e.partner_removed]
                .into_iter()
                .flatten()
                .all(|k| members.contains(k))
        })
}

/// The partner network's member files, checked, and the member keys (read before the
/// cases, so that a case whose partners are all members need not be kept).
struct Network {
    members: Vec<(PathBuf, crate::check::network::MemberCheck)>,
    keys: std::collections::BTreeSet<String>,
}

fn network(repo: &Repo, today: chrono::NaiveDate) -> Result<Network> {
    use crate::check::network::{MemberCheck, check_member};
    let shown = |p: &Path| p.strip_prefix(&repo.root).unwrap_or(p).to_path_buf();
    let network_files = repo.network_files()?;
    let members: Vec<(PathBuf, MemberCheck)> = network_files
        .iter()
        .map(|path| {
            let rel = shown(path);
            let check = match repo.read_bytes(path) {
                Ok(bytes) => check_member(&rel, &bytes, today),
                Err(e) => MemberCheck {
                    problems: vec![unreadable(&rel, path, &e)],
                    ..MemberCheck::default()
                },
            };
            (rel, check)
        })
        .collect();
    // A member whose file is broken is still a member: its file name is its key.
    let keys: std::collections::BTreeSet<String> = members
        .iter()
        .filter_map(|(p, c)| match &c.member {
            Some(m) => Some(m.key.clone()),
            None => p.file_stem().map(|s| s.to_string_lossy().into_owned()),
        })
        .collect();
    Ok(Network { members, keys })
}

/// A file that could not be read at all, as a problem at its first line.
fn unreadable(rel: &Path, path: &Path, e: &crate::Error) -> Problem {
    Problem {
        path: rel.to_path_buf(),
        line: 1,
        column: 1,
        severity: Severity::Error,
        code: "unreadable",
        message: e.to_string().replace(&format!("{}: ", path.display()), ""),
        hint: e.hint(),
    }
}

/// `root` is the sluice's folder, which the problems' paths are relative to.
fn finish(
    args: &Args,
    root: &Path,
    mut problems: Vec<Problem>,
    gates: Vec<GateFailure>,
    files: usize,
) -> Result<ExitCode> {
    problems.sort();
    problems.dedup();
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    let failed = errors > 0 || !gates.is_empty() || (args.strict && warnings > 0);
    let totals = format!(
        "{errors} error(s), {warnings} warning(s), {} failed gate(s) in {files} file(s)\n",
        gates.len()
    );
    if args.format == CheckFormat::Json {
        output::emit(&output::json(&Outcome {
            ok: !failed,
            files,
            errors,
            warnings,
            problems: &problems,
            gates: &gates,
        }))?;
    } else if args.format == CheckFormat::Github {
        // The runner places an annotation by its path from the top of the git
        // repository, which is not the sluice's folder when the sluice lives in a
        // sub-folder of a larger repository.
        let prefix = crate::storage::git::prefix(root).unwrap_or_default();
        let mut text = String::new();
        for p in &problems {
            let level = match p.severity {
                Severity::Warning if !args.strict => "warning",
                _ => "error",
            };
            let mut message = p.message.clone();
            if let Some(h) = &p.hint {
                message.push_str("\nhint: ");
                message.push_str(h);
            }
            text.push_str(&github::annotation(
                level,
                (&prefix.join(&p.path), p.line, p.column),
                p.code,
                &message,
            ));
        }
        for g in &gates {
            for c in &g.cases {
                text.push_str(&github::annotation(
                    "error",
                    (&prefix.join(&c.path), 1, 1),
                    g.gate,
                    &format!("gate failed: {}: {} ({})", g.description, c.title, c.detail),
                ));
            }
        }
        if !problems.is_empty() || !gates.is_empty() {
            text.push_str(&totals);
        }
        output::emit(&text)?;
    } else {
        let mut text = String::new();
        for p in &problems {
            let severity = match p.severity {
                Severity::Error => "error",
                Severity::Warning if args.strict => "error (strict)",
                Severity::Warning => "warning",
            };
            text.push_str(&format!(
                "{}:{}:{}: {severity}: {}\n",
                p.path.display(),
                p.line,
                p.column,
                p.message
            ));
            if let Some(h) = &p.hint {
                text.push_str(&format!("  hint: {h}\n"));
            }
        }
        for g in &gates {
            text.push_str(&format!(
                "gate failed: {} ({} case(s))\n",
                g.description,
                g.cases.len()
            ));
            for c in &g.cases {
                text.push_str(&format!(
                    "  {}: {} ({})\n",
                    c.path.display(),
                    c.title,
                    c.detail
                ));
            }
        }
        if !problems.is_empty() || !gates.is_empty() {
            text.push_str(&totals);
        }
        output::emit(&text)?;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// GitHub Actions' workflow commands, which the runner turns into annotations.
mod github {
    use std::path::Path;

    /// One `::error file=…,line=…,col=…,title=…::message` line. The message may hold
    /// line breaks; both it and the properties are escaped as the runner expects.
    pub fn annotation(
        level: &str,
        (path, line, column): (&Path, usize, usize),
        title: &str,
        message: &str,
    ) -> String {
        format!(
            "::{level} file={},line={line},col={column},title={}::{}\n",
            property(&path.to_string_lossy()),
            property(title),
            data(message)
        )
    }

    fn data(text: &str) -> String {
        text.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }

    fn property(text: &str) -> String {
        data(text).replace(':', "%3A").replace(',', "%2C")
    }
}

/// Names that `sluss forget` erased and that are back, in the repository's files other
/// than cases (whose check looks for them in the bytes it reads).
fn forgotten_names(repo: &Repo) -> Result<Vec<Problem>> {
    let privacy = &repo.config.privacy;
    if privacy.forgotten.is_empty() {
        return Ok(Vec::new());
    }
    let mut paths: Vec<PathBuf> = vec![repo.config_path()];
    paths.extend(repo.network_files()?);
    paths.extend(repo.program_files()?);
    paths.extend(repo.maturity_files()?);
    let found: Vec<Vec<Problem>> = crate::parallel::map(&paths, |path| {
        let rel = path.strip_prefix(&repo.root).unwrap_or(path);
        match repo.read_bytes(path).map(String::from_utf8) {
            Ok(Ok(text)) => check::forgotten::forgotten_names(rel, &text, privacy),
            // Unreadable files have their own problem already.
            _ => Vec::new(),
        }
    });
    let mut found: Vec<Problem> = found.into_iter().flatten().collect();
    // The digest's template is published text too (a template that cannot be read is
    // the digest's error, not check's).
    if let Some(path) = super::digest::template_file(repo)
        && let Ok(Ok(text)) = repo.read_bytes(&path).map(String::from_utf8)
    {
        let rel = path.strip_prefix(&repo.root).unwrap_or(&path);
        found.extend(check::forgotten::forgotten_in_text(rel, &text, privacy));
    }
    Ok(found)
}
