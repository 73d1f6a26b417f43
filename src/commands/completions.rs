//! `sluss completions`: the script that registers sluss's completion in a shell, and the
//! completion itself, which the shell asks of sluss as the coach types
//! (`COMPLETE=bash sluss -- sluss advance 3f<TAB>`).
//!
//! The completion knows the repository: case ids (with their titles), stages, coaches,
//! units, tags, outcomes, programs and network members. The candidates are attached to
//! the clap tree here, by argument id, so that the command modules stay as they are and a
//! new command's `--coach` or `ID` completes without more work. Completing reads the
//! repository found from the current folder (or `--repo`, `SLUSS_REPO`) through the
//! cache, never writes, and never says anything on stderr: a shell has nowhere to show it.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::OnceLock;

use anyhow::Result;
use clap::CommandFactory as _;
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use clap_complete::env::Shells;

use crate::domain::words::fold;
use crate::output;
use crate::storage::Repo;

/// The environment variable that makes sluss answer the shell instead of running.
const VAR: &str = "COMPLETE";

/// Print the script that registers sluss's completion in a shell.
///
/// The completion asks sluss as you type, so it knows the repository you are in: case ids
/// (with their titles), stages, coaches, units, tags, outcomes and programs. For example,
/// in bash: `echo 'source <(sluss completions bash)' >> ~/.bashrc`; in zsh: `echo 'source
/// <(sluss completions zsh)' >> ~/.zshrc`; in fish: `sluss completions fish >
/// ~/.config/fish/completions/sluss.fish`; in PowerShell: `sluss completions powershell |
/// Out-String | Invoke-Expression` in $PROFILE.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let name = args.shell.to_string();
    let shells = Shells::builtins();
    let shell = shells
        .completer(&name)
        .ok_or_else(|| anyhow::anyhow!("no completion for {name}"))?;
    let mut script = Vec::new();
    shell.write_registration(VAR, "sluss", "sluss", &completer(), &mut script)?;
    output::emit(&String::from_utf8(script)?)?;
    Ok(ExitCode::SUCCESS)
}

/// The program the shell calls to complete: `sluss` as it was called, made absolute when
/// it was called by a path (`./target/debug/sluss`), so that it is found from any folder.
fn completer() -> String {
    let called = PathBuf::from(std::env::args_os().next().unwrap_or_else(|| "sluss".into()));
    if called.components().count() > 1
        && let Ok(cwd) = std::env::current_dir()
    {
        return cwd.join(called).to_string_lossy().into_owned();
    }
    called.to_string_lossy().into_owned()
}

/// Answers the shell and exits when it is the shell asking (`COMPLETE` set); returns
/// otherwise. Nothing goes to stderr: a request sluss cannot answer gets no candidates.
pub fn answer_the_shell() {
    let Some(shell) = std::env::var_os(VAR).filter(|v| !v.is_empty() && v != "0") else {
        return;
    };
    let _ = SHELL.set(shell);
    let current_dir = std::env::current_dir().ok();
    let index = std::env::var("_CLAP_COMPLETE_INDEX")
        .ok()
        .and_then(|i| i.parse::<usize>().ok());
    match clap_complete::CompleteEnv::with_factory(command).try_complete(
        untag_escaped(std::env::args_os().collect(), index),
        current_dir.as_deref(),
    ) {
        Ok(false) => {}
        Ok(true) => std::process::exit(0),
        Err(_) => std::process::exit(1),
    }
}

/// The line the shell asks about, with a `-TAG` word of `set` (or `modify`) being typed
/// made a value: the word before it, an id or a tag word, which tells completion
/// nothing more than that a value came, becomes `--`, so that `-dig` is completed as a
/// tag to take out and not as short flags (`-digh`). The words keep their places, for
/// the shells that say which word is being typed (`index`, counted from `sluss`).
fn untag_escaped(mut args: Vec<OsString>, index: Option<usize>) -> Vec<OsString> {
    let Some(start) = args.iter().position(|a| a == "--").map(|p| p + 1) else {
        return args;
    };
    let words: Vec<String> = args[start..]
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let Some(current) = index.or(words.len().checked_sub(1)) else {
        return args;
    };
    let typed = words.get(current).map(String::as_str).unwrap_or("");
    if current < 3
        || !typed.starts_with('-')
        || typed.starts_with("--")
        || typed == "-"
        || !matches!(words.get(1).map(String::as_str), Some("set" | "modify"))
    {
        return args;
    }
    // The word before must be one of set's own words (the id or a tag), not a flag or
    // a flag's value: every word from `set` on is checked as `set` itself reads them.
    let set = crate::cli::Cli::command();
    let Some(set) = set.find_subcommand("set") else {
        return args;
    };
    let takes_value = |long: &str| {
        set.get_arguments()
            .any(|a| a.get_long() == Some(long) && a.get_action().takes_values())
    };
    let mut positional = false;
    let mut skip = false;
    for word in &words[2..current] {
        if skip {
            skip = false;
            positional = false;
        } else if word == "--" {
            return args;
        } else if let Some(long) = word.strip_prefix("--") {
            skip = !long.contains('=') && takes_value(long);
            positional = false;
        } else {
            positional = true;
        }
    }
    if positional {
        args[start + current - 1] = OsString::from("--");
    }
    args
}

/// The shell that asked (the value of `COMPLETE`, which clap_complete clears).
static SHELL: OnceLock<OsString> = OnceLock::new();

/// The clap tree with a completer on every argument that names something the repository
/// knows.
pub fn command() -> clap::Command {
    attach(crate::cli::Cli::command(), &[])
}

fn attach(command: clap::Command, path: &[String]) -> clap::Command {
    // In place: `mut_arg` and `mut_subcommand` move what they change to the end, which
    // would renumber positional arguments.
    command
        .mut_args(|arg| match Kind::of(path, arg.get_id().as_str()) {
            Some(kind) => {
                // A flag that may be repeated takes values separated by commas too.
                let list =
                    arg.get_long().is_some() && matches!(arg.get_action(), clap::ArgAction::Append);
                arg.add(ArgValueCompleter::new(move |current: &OsStr| {
                    candidates(kind, current, list)
                }))
            }
            None => arg,
        })
        .mut_subcommands(|sub| {
            let mut below = path.to_vec();
            below.push(sub.get_name().to_string());
            attach(sub, &below)
        })
}

/// What an argument names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Case,
    Stage,
    /// Every coach, those who have left too (a filter, a report).
    Coach,
    /// The coaches who still work (a case's new coach).
    ActiveCoach,
    Unit,
    Tag,
    Outcome,
    Program,
    Member,
    Status,
    /// A word of `set`: the case id, or a tag to add (`+TAG`) or take out (`-TAG`).
    SetWord,
    /// A next step of the case the line names (`step done ID STEP`).
    Step,
}

impl Kind {
    /// The kind of argument `id` of the command at `path` (`["program", "show"]`), if it
    /// names something the repository knows.
    fn of(path: &[String], id: &str) -> Option<Kind> {
        let under = |word: &str| path.iter().any(|p| p == word);
        let for_new_work = matches!(
            path.first().map(String::as_str),
            Some("new" | "assign" | "session")
        );
        Some(match id {
            "id" | "ids" => Kind::Case,
            "words" if path.first().is_some_and(|p| p == "set") => Kind::SetWord,
            "step" if under("step") && under("done") => Kind::Step,
            "status" | "statuses" => Kind::Status,
            "to" | "stage" | "stages" => Kind::Stage,
            "coach" | "coaches" | "by" if for_new_work => Kind::ActiveCoach,
            "coach" | "coaches" | "by" => Kind::Coach,
            "unit" | "units" => Kind::Unit,
            "tag" | "tags" => Kind::Tag,
            "outcome" | "outcomes" => Kind::Outcome,
            "program" | "programs" => Kind::Program,
            "partner" | "partners" => Kind::Member,
            "key" if under("program") && !under("add") => Kind::Program,
            "key" if under("program") && under("participant") => Kind::Program,
            "key" if under("partner") || (under("network") && !under("add")) => Kind::Member,
            _ => return None,
        })
    }
}

/// One thing that may be offered: its value, what it is (shown beside it in zsh, fish
/// and PowerShell), and other names it goes by (a stage's display name).
struct Offer {
    value: String,
    help: Option<String>,
    aliases: Vec<String>,
}

/// The candidates for the value `current` of an argument of `kind`; when it is a `list`
/// (a flag taking values separated by commas), for the value after the last comma.
fn candidates(kind: Kind, current: &OsStr, list: bool) -> Vec<CompletionCandidate> {
    let Some(known) = known() else {
        return Vec::new();
    };
    let whole = typed_text(&current.to_string_lossy());
    let (mut head, mut typed) = match whole.rfind(',') {
        Some(i) if list => (whole[..=i].to_string(), whole[i + 1..].to_string()),
        _ => (String::new(), whole.clone()),
    };
    let kind = match kind {
        Kind::SetWord if typed.starts_with(['+', '-']) => {
            head.push_str(&typed[..1]);
            typed.remove(0);
            Kind::Tag
        }
        Kind::SetWord => Kind::Case,
        other => other,
    };
    offers(known, kind, &typed)
        .into_iter()
        .filter_map(|offer| matching(&offer, &typed).map(|value| (value, offer.help)))
        .map(|(value, help)| {
            CompletionCandidate::new(quoted(&format!("{head}{value}"))).help(help.map(Into::into))
        })
        .collect()
}

/// The open next steps of the case `step done` names on the line, numbered as `step
/// list` numbers them, each with its text.
fn step_offers(known: &Known) -> Vec<Offer> {
    let words: Vec<String> = std::env::args_os()
        .skip_while(|a| a != "--")
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let Some(done) = words.iter().position(|w| w == "done") else {
        return Vec::new();
    };
    let Some(id) = words[done + 1..].iter().find(|w| !w.starts_with('-')) else {
        return Vec::new();
    };
    let repo = &known.repo;
    let Some(case) = repo
        .resolve(&typed_text(id))
        .ok()
        .and_then(|path| repo.read_case(&path).ok())
    else {
        return Vec::new();
    };
    case.next_steps()
        .iter()
        .filter(|s| s.step.is_open())
        .map(|s| Offer::new(s.number.to_string(), Some(s.step.text.clone())))
        .collect()
}

/// What the repository knows, read once: its settings, and what completion needs of
/// every case (only when it is asked for units or tags).
struct Known {
    repo: Repo,
    cases: OnceLock<Vec<Glimpse>>,
}

/// What completion needs of a case.
struct Glimpse {
    unit: String,
    tags: Vec<String>,
}

impl Known {
    fn cases(&self) -> &[Glimpse] {
        self.cases.get_or_init(|| {
            self.repo.glance(
                |_| true,
                |case| {
                    Some(Glimpse {
                        unit: case.unit.clone(),
                        tags: case.tags.clone(),
                    })
                },
            )
        })
    }

    /// The cases whose id begins with `typed`, each with its title. Only those files are
    /// read, and none when more than [`MANY`] match (then the ids come alone): a shell
    /// does not show ten thousand titles, and a repository without a cache would be read
    /// whole at every Tab.
    fn case_offers(&self, typed: &str) -> Vec<Offer> {
        let typed = typed.to_lowercase();
        let Ok(entries) = self.repo.case_files() else {
            return Vec::new();
        };
        let ids: Vec<String> = entries
            .iter()
            .filter_map(|path| path.file_stem()?.to_str())
            .filter(|id| id.starts_with(&typed))
            .map(str::to_string)
            .collect();
        if ids.len() > MANY {
            return ids.into_iter().map(|id| Offer::new(id, None)).collect();
        }
        self.repo.glance(
            |id| id.starts_with(&typed),
            |case| Some(Offer::new(case.id.clone(), Some(case.title.clone()))),
        )
    }
}

/// How many cases' titles completion reads at most.
const MANY: usize = 1000;

impl Offer {
    fn new(value: String, help: Option<String>) -> Offer {
        Offer {
            value,
            help,
            aliases: Vec::new(),
        }
    }
}

fn known() -> Option<&'static Known> {
    static KNOWN: OnceLock<Option<Known>> = OnceLock::new();
    KNOWN
        .get_or_init(|| {
            let repo = Repo::open(&repo_dir()?).ok()?;
            Some(Known {
                repo,
                cases: OnceLock::new(),
            })
        })
        .as_ref()
}

/// The repository the completed command would use: the first `--repo` on its line, else
/// `SLUSS_REPO`, else the one found upwards from the current folder.
fn repo_dir() -> Option<PathBuf> {
    let words: Vec<OsString> = std::env::args_os()
        .skip_while(|a| a != "--")
        .skip(1)
        .collect();
    let mut words = words.iter();
    while let Some(word) = words.next() {
        let word = word.to_string_lossy();
        if word == "--repo" {
            return words
                .next()
                .map(|dir| PathBuf::from(typed_text(&dir.to_string_lossy())));
        }
        if let Some(dir) = word.strip_prefix("--repo=") {
            return Some(PathBuf::from(typed_text(dir)));
        }
    }
    if let Some(dir) = std::env::var_os("SLUSS_REPO").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    Repo::discover(&std::env::current_dir().ok()?).ok()
}

fn offers(known: &Known, kind: Kind, typed: &str) -> Vec<Offer> {
    let config = &known.repo.config;
    let lang = config.language.unwrap_or(crate::i18n::Lang::En);
    match kind {
        Kind::Case | Kind::SetWord => known.case_offers(typed),
        Kind::Step => step_offers(known),
        Kind::Status => crate::domain::Status::ALL
            .iter()
            .map(|s| {
                let label = lang.text(&format!("status.{}", s.as_str())).to_string();
                Offer {
                    value: s.as_str().to_string(),
                    help: Some(label.clone()),
                    aliases: vec![label],
                }
            })
            .collect(),
        Kind::Stage => config
            .stages
            .iter()
            .map(|s| Offer {
                value: s.key.clone(),
                help: Some(s.name.clone()),
                aliases: vec![s.name.clone()],
            })
            .collect(),
        Kind::Coach | Kind::ActiveCoach => config
            .coaches
            .iter()
            .filter(|c| c.active || kind == Kind::Coach)
            .map(|c| Offer {
                value: c.key.clone(),
                help: Some(if c.active {
                    c.name.clone()
                } else {
                    format!("{} (inactive)", c.name)
                }),
                aliases: Vec::new(),
            })
            .collect(),
        Kind::Unit => units(known),
        Kind::Tag => counted(known.cases().iter().flat_map(|c| c.tags.iter())),
        Kind::Outcome => crate::domain::Outcome::ALL
            .iter()
            .map(|o| {
                let label = lang.text(&format!("outcome.{}", o.as_str())).to_string();
                Offer {
                    value: o.as_str().to_string(),
                    help: Some(label.clone()),
                    aliases: vec![label],
                }
            })
            .collect(),
        Kind::Program => config
            .programs
            .iter()
            .map(|p| Offer {
                value: p.key.clone(),
                help: Some(p.name.clone()),
                aliases: Vec::new(),
            })
            .collect(),
        Kind::Member => known
            .repo
            .load_network()
            .ok()
            .map(|network| {
                network
                    .members
                    .iter()
                    .map(|m| Offer {
                        value: m.member.key.clone(),
                        help: Some(m.member.organisation.clone()),
                        aliases: Vec::new(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The units of the register (by name, as case files store them; typing the key finds
/// one too), then the other spellings found in the cases, each with how many cases use
/// it.
fn units(known: &Known) -> Vec<Offer> {
    let config = &known.repo.config;
    let mut offers: Vec<Offer> = config
        .units
        .iter()
        .map(|u| Offer {
            value: u.name.clone(),
            help: Some(u.key.clone()),
            aliases: vec![u.key.clone()],
        })
        .collect();
    let registered = |text: &str| config.units.iter().any(|u| u.key == text || u.name == text);
    offers.extend(counted(
        known
            .cases()
            .iter()
            .map(|c| &c.unit)
            .filter(|u| !u.trim().is_empty() && !registered(u)),
    ));
    offers
}

/// Distinct texts in order of first appearance, each offered with how many times it
/// occurs.
fn counted<'a>(texts: impl Iterator<Item = &'a String>) -> Vec<Offer> {
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for text in texts {
        match seen.iter_mut().find(|(t, _)| *t == text) {
            Some((_, n)) => *n += 1,
            None => seen.push((text, 1)),
        }
    }
    seen.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    seen.into_iter()
        .map(|(text, n)| Offer {
            value: text.to_string(),
            help: Some(if n == 1 {
                "1 case".to_string()
            } else {
                format!("{n} cases")
            }),
            aliases: Vec::new(),
        })
        .collect()
}

/// What an offer puts on the line for `typed`: its value when the value begins with what
/// was typed, else a name it goes by that does (`Prö` gives `Prövning`), else the value
/// when they agree with case and Swedish letters folded (`PRO` gives `provning`).
fn matching(offer: &Offer, typed: &str) -> Option<String> {
    if offer.value.starts_with(typed) {
        return Some(offer.value.clone());
    }
    let lower = typed.to_lowercase();
    if let Some(alias) = offer
        .aliases
        .iter()
        .find(|a| a.to_lowercase().starts_with(&lower) && !a.contains(char::is_whitespace))
    {
        return Some(alias.clone());
    }
    let folded = fold(typed);
    if fold(&offer.value).starts_with(&folded) {
        return Some(offer.value.clone());
    }
    offer
        .aliases
        .iter()
        .find(|a| fold(a).starts_with(&folded))
        .map(|_| offer.value.clone())
}

/// bash puts a candidate on the line as it is: a space in it must be escaped there, and
/// what was typed comes with its escapes. The other shells quote for themselves.
fn asked_by_bash() -> bool {
    SHELL.get().is_some_and(|s| s == "bash")
}

fn quoted(value: &str) -> String {
    if !asked_by_bash() {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_whitespace() || "'\"\\$`&;|()<>!*?[]{}#~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The text typed so far, without bash's escapes or an opening quote.
fn typed_text(typed: &str) -> String {
    let typed = typed.trim_start_matches(['\'', '"']);
    if !asked_by_bash() {
        return typed.to_string();
    }
    let mut out = String::with_capacity(typed.len());
    let mut chars = typed.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}
