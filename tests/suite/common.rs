//! The test harness: a sandbox over a temporary folder and the real `sluss` binary.
//!
//! Every command runs with a cleared environment: a fixed "now", a fixed user, a home
//! and a settings folder inside the sandbox, and git kept from reading the machine's own
//! configuration, so that each run is deterministic and nothing leaks in from the person
//! or CI running the tests. When a sandbox is dropped after a passing test, every file in
//! it that sluss reads is parsed by `toml` and, where Python 3.11+ is at hand, by Python's
//! `tomllib`; both must agree (just's round-trip check, here across two parsers).

// Each test file uses a different part of the harness.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

/// The fixed moment every command runs at (`SLUSS_NOW`).
pub const NOW: &str = "2020-06-30T12:00:00+02:00";
/// The day of [`NOW`] in its own offset.
pub const TODAY: &str = "2020-06-30";
/// The fixed user (`SLUSS_USER`).
pub const USER: &str = "erik";

const BIN: &str = env!("CARGO_BIN_EXE_sluss");

/// The `sluss` under test, for a test that must run it some other way (under `script`).
pub fn bin() -> &'static str {
    BIN
}
const PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// PATH for git: the folder of the `sluss` under test first, so that the merge driver
/// that `git-setup` registers (`sluss merge-driver …`) is the one being tested.
pub fn git_path() -> String {
    let bin = Path::new(BIN).parent().expect("the binary is in a folder");
    format!("{}:{PATH}", bin.display())
}

/// A temporary folder with a home, a settings folder and (usually) a repository in
/// `repo/`, where commands run by default.
pub struct Sandbox {
    tmp: tempfile::TempDir,
    round_trip_on_drop: bool,
}

impl Sandbox {
    /// A sandbox without a repository.
    pub fn empty() -> Sandbox {
        let tmp = tempfile::Builder::new()
            .prefix("sluss-test-")
            .tempdir()
            .expect("a temporary folder");
        let sb = Sandbox {
            tmp,
            round_trip_on_drop: true,
        };
        fs::create_dir_all(sb.config_home()).unwrap();
        fs::create_dir_all(sb.root()).unwrap();
        sb
    }

    /// A sandbox with a repository made by `sluss init` (the Swedish template).
    pub fn new() -> Sandbox {
        let sb = Sandbox::empty();
        sb.run(&["init"]).success();
        sb
    }

    /// [`Sandbox::new`] plus coaches erik and sara and the program ip2018.
    pub fn with_team() -> Sandbox {
        let sb = Sandbox::new();
        sb.run(&["coach", "add", "erik", "--name", "Erik Lind"])
            .success();
        sb.run(&["coach", "add", "sara", "--name", "Sara Berg"])
            .success();
        sb.run(&[
            "program",
            "add",
            "ip2018",
            "--name",
            "Innovationsprogram 2018",
            "--start",
            "2018-02-01",
            "--end",
            "2018-06-30",
        ])
        .success();
        sb
    }

    /// The temporary folder itself: outside any repository.
    pub fn base(&self) -> &Path {
        self.tmp.path()
    }

    /// The repository's root (where `sluss init` ran).
    pub fn root(&self) -> PathBuf {
        self.base().join("repo")
    }

    pub fn home(&self) -> PathBuf {
        self.base().join("home")
    }

    /// `XDG_CONFIG_HOME`: the user settings file is `sluss/config.toml` in it.
    pub fn config_home(&self) -> PathBuf {
        self.home().join(".config")
    }

    /// A path inside the repository.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.path(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
    }

    /// Writes a file inside the repository, creating its folder.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
    }

    pub fn case_rel(id: &str) -> String {
        format!("cases/{id}.toml")
    }

    pub fn case_text(&self, id: &str) -> String {
        self.read(&Sandbox::case_rel(id))
    }

    /// Writes a case file by hand, as a person would.
    pub fn write_case(&self, id: &str, text: &str) {
        self.write(&Sandbox::case_rel(id), text);
    }

    /// A case file parsed by the `toml` crate.
    pub fn case(&self, id: &str) -> toml::Table {
        toml::from_str(&self.case_text(id)).expect("the case file is valid TOML")
    }

    /// The ids of the case files, in name order.
    pub fn case_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = case_files(&self.path("cases"))
            .iter()
            .map(|p| {
                p.file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .split('-')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        ids.sort();
        ids
    }

    /// A command in the repository with the fixed environment. Published output speaks
    /// English (`SLUSS_LANG=en`) unless a test asks otherwise: most tests read its words;
    /// those about the sluice's language use `.env_remove("SLUSS_LANG")` or `--lang`.
    pub fn cmd(&self, args: &[&str]) -> Cmd {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .env_clear()
            .env("PATH", PATH)
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.config_home())
            .env("SLUSS_NOW", NOW)
            .env("SLUSS_USER", USER)
            .env("SLUSS_LANG", "en")
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .current_dir(self.root())
            .stdin(Stdio::null());
        Cmd {
            command,
            line: format!("sluss {}", args.join(" ")),
        }
    }

    /// Runs a command in the repository with the fixed environment.
    pub fn run(&self, args: &[&str]) -> Outcome {
        self.cmd(args).run()
    }

    /// Runs a command as if at 10:00 (+01:00) on `day` (YYYY-MM-DD), for a story that
    /// unfolds over several days.
    pub fn run_on(&self, day: &str, args: &[&str]) -> Outcome {
        self.cmd(args)
            .env("SLUSS_NOW", format!("{day}T10:00:00+01:00"))
            .run()
    }

    /// `sluss new TITLE --submitter .. --unit .. EXTRA..`, returning the new id.
    pub fn new_case(&self, title: &str, extra: &[&str]) -> String {
        new_id(self.run(&new_case_args(title, extra)))
    }

    /// [`Sandbox::new_case`] as if on `day` (see [`Sandbox::run_on`]).
    pub fn new_case_on(&self, day: &str, title: &str, extra: &[&str]) -> String {
        new_id(self.run_on(day, &new_case_args(title, extra)))
    }

    /// [`Sandbox::new_case`] as if at the moment `now` (as `SLUSS_NOW` takes it).
    pub fn new_case_at(&self, now: &str, title: &str, extra: &[&str]) -> String {
        new_id(
            self.cmd(&new_case_args(title, extra))
                .env("SLUSS_NOW", now)
                .run(),
        )
    }

    /// Runs `f` and asserts that the file at `rel` is byte-for-byte what it was.
    #[track_caller]
    pub fn assert_untouched<R>(&self, rel: &str, f: impl FnOnce() -> R) -> R {
        let before = fs::read(self.path(rel)).expect("the file exists before");
        let result = f();
        let after = fs::read(self.path(rel)).expect("the file exists after");
        assert!(
            before == after,
            "{rel} changed:\n--- before\n{}\n--- after\n{}",
            String::from_utf8_lossy(&before),
            String::from_utf8_lossy(&after)
        );
        result
    }

    /// Writes the user settings file, `$XDG_CONFIG_HOME/sluss/config.toml`.
    pub fn write_settings(&self, text: &str) {
        let dir = self.config_home().join("sluss");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("config.toml"), text).unwrap();
    }

    /// Runs git in the repository, kept from the machine's own git configuration.
    pub fn git(&self, args: &[&str]) {
        let status = Command::new("git")
            .args(args)
            .current_dir(self.root())
            .env_clear()
            .env("PATH", git_path())
            .env("HOME", self.home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?} failed");
    }

    /// Runs git like [`Sandbox::git`] and returns what it did, for a git command that
    /// may fail (a merge with a conflict) or whose output matters.
    pub fn git_outcome(&self, args: &[&str]) -> Outcome {
        let output = Command::new("git")
            .args(args)
            .current_dir(self.root())
            .env_clear()
            .env("PATH", git_path())
            .env("HOME", self.home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .expect("git runs");
        Outcome::new(format!("git {}", args.join(" ")), output)
    }

    /// This test leaves a broken case file on purpose: skip the round-trip check.
    pub fn allow_broken_cases(&mut self) {
        self.round_trip_on_drop = false;
    }

    /// Every file sluss reads (sluss.toml, cases/*.toml, maturity/*.toml, network/*.toml
    /// and programs/*.toml) is plain
    /// TOML 1.0: `toml`
    /// and Python's `tomllib` read the same values from it, and sluss itself reads every
    /// case without a warning.
    #[track_caller]
    pub fn assert_round_trip(&self) {
        let mut files = case_files(&self.path("cases"));
        files.extend(case_files(&self.path("maturity")));
        files.extend(case_files(&self.path("network")));
        files.extend(case_files(&self.path("programs")));
        let config = self.path("sluss.toml");
        if config.is_file() {
            files.push(config.clone());
        }
        if files.is_empty() {
            return;
        }
        let ours: serde_json::Map<String, serde_json::Value> = files
            .iter()
            .map(|p| {
                let text = fs::read_to_string(p).unwrap();
                let value: toml::Value = toml::from_str(&text)
                    .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", p.display()));
                (p.display().to_string(), toml_to_json(value))
            })
            .collect();
        if let Some(python) = python() {
            let out = Command::new(python)
                .arg("-c")
                .arg(PY_READ_TOML)
                .args(&files)
                .output()
                .expect("python3 runs");
            assert!(
                out.status.success(),
                "Python's tomllib could not read the files:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let theirs: serde_json::Map<String, serde_json::Value> =
                serde_json::from_slice(&out.stdout).expect("the script prints JSON");
            for (path, value) in &ours {
                assert_eq!(
                    Some(value),
                    theirs.get(path),
                    "toml and Python's tomllib read {path} differently"
                );
            }
        }
        if config.is_file() {
            let list = self.run(&["list", "--format", "json"]).success();
            assert!(
                !list.stderr.contains("warning"),
                "sluss could not read a case it wrote:\n{}",
                list.stderr
            );
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if self.round_trip_on_drop && !std::thread::panicking() {
            self.assert_round_trip();
        }
    }
}

/// The `.toml` files of a folder, hidden ones (a writer's temporary files) left out.
fn case_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            !name.starts_with('.') && name.ends_with(".toml")
        })
        .collect();
    files.sort();
    files
}

/// Prints `{path: value}` as JSON for each TOML file named on the command line, dates
/// and times in ISO 8601.
const PY_READ_TOML: &str = r#"
import datetime, json, sys, tomllib

def plain(v):
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
        return v.isoformat()
    return v

out = {}
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        out[path] = plain(tomllib.load(f))
print(json.dumps(out))
"#;

/// The same shape as [`PY_READ_TOML`] prints: dates as ISO 8601, `Z` as `+00:00`.
fn toml_to_json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => J::from(f),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => {
            let s = d.to_string();
            J::String(match s.strip_suffix('Z') {
                Some(rest) => format!("{rest}+00:00"),
                None => s,
            })
        }
        toml::Value::Array(a) => J::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            J::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// A Python 3 with `tomllib` (3.11+). Without one the two-parser check cannot run: in
/// CI (`CI` set) that fails the test; elsewhere it is said once on stderr and skipped.
fn python() -> Option<&'static str> {
    static PYTHON: OnceLock<Option<&'static str>> = OnceLock::new();
    let found = *PYTHON.get_or_init(|| {
        let found = [
            "python3",
            "/usr/bin/python3",
            "python3.13",
            "python3.12",
            "python3.11",
        ]
        .into_iter()
        .find(|py| {
            Command::new(py)
                .args(["-c", "import tomllib"])
                .output()
                .is_ok_and(|o| o.status.success())
        });
        if found.is_none() && !in_ci() {
            eprintln!(
                "note: no Python 3.11+ with tomllib found: the two-parser check (Python's \
                 tomllib against the toml crate) was skipped"
            );
        }
        found
    });
    assert!(
        found.is_some() || !in_ci(),
        "CI is set but no Python 3.11+ with tomllib was found: the two-parser check must \
         run in CI (.ci/run installs it)"
    );
    found
}

/// Whether the tests run in CI (`CI` set to anything but empty, `0` or `false`).
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

fn new_case_args<'a>(title: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "new",
        title,
        "--submitter",
        "Anna Berg",
        "--unit",
        "Vård och omsorg",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    args
}

/// The id `sluss new --format json` printed.
fn new_id(out: Outcome) -> String {
    out.success().json()["id"]
        .as_str()
        .expect("new prints the id")
        .to_string()
}

/// A command about to run; change its environment or folder before running it.
pub struct Cmd {
    command: Command,
    line: String,
}

impl Cmd {
    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Cmd {
        self.command.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Cmd {
        self.command.env_remove(key);
        self
    }

    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Cmd {
        self.command.current_dir(dir);
        self
    }

    pub fn run(mut self) -> Outcome {
        let output = self
            .command
            .output()
            .unwrap_or_else(|e| panic!("could not run {}: {e}", self.line));
        Outcome::new(self.line, output)
    }

    /// Runs the command and returns what the operating system reports, for a command
    /// that is expected to die of a signal (which [`Cmd::run`] does not allow).
    pub fn output(mut self) -> Output {
        self.command
            .output()
            .unwrap_or_else(|e| panic!("could not run {}: {e}", self.line))
    }

    /// Starts the command without waiting; [`wait`] collects it.
    pub fn spawn(mut self) -> (String, Child) {
        let child = self
            .command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {}: {e}", self.line));
        (self.line, child)
    }
}

/// Waits for a command started with [`Cmd::spawn`].
pub fn wait((line, child): (String, Child)) -> Outcome {
    let output = child.wait_with_output().expect("the child ends");
    Outcome::new(line, output)
}

/// What a command did: exit code, stdout and stderr.
#[derive(Debug)]
pub struct Outcome {
    pub line: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// What a command run outside the harness did, under the name `line`.
    pub fn from_output(line: &str, output: Output) -> Outcome {
        Outcome::new(line.to_string(), output)
    }

    fn new(line: String, output: Output) -> Outcome {
        Outcome {
            line,
            code: output.status.code().expect("not killed by a signal"),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    fn describe(&self) -> String {
        format!(
            "`{}` exited {}\n--- stdout\n{}--- stderr\n{}",
            self.line, self.code, self.stdout, self.stderr
        )
    }

    /// Asserts exit code 0.
    #[track_caller]
    pub fn success(self) -> Outcome {
        assert_eq!(self.code, 0, "expected success: {}", self.describe());
        self
    }

    /// Asserts this exit code (1 refused by a rule, 2 usage, input or I/O error).
    #[track_caller]
    pub fn failure(self, code: i32) -> Outcome {
        assert_eq!(self.code, code, "expected exit {code}: {}", self.describe());
        self
    }

    /// Asserts any non-zero exit code.
    #[track_caller]
    pub fn fails(self) -> Outcome {
        assert_ne!(self.code, 0, "expected a failure: {}", self.describe());
        self
    }

    #[track_caller]
    pub fn stdout_has(self, needle: &str) -> Outcome {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}: {}",
            self.describe()
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(self, needle: &str) -> Outcome {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}: {}",
            self.describe()
        );
        self
    }

    /// Asserts a `hint:` line that says what to do, containing `needle`.
    #[track_caller]
    pub fn hint_has(self, needle: &str) -> Outcome {
        let hint = self
            .stderr
            .lines()
            .skip_while(|l| !l.starts_with("hint: "))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            hint.contains(needle),
            "no `hint:` containing {needle:?}: {}",
            self.describe()
        );
        self
    }

    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.describe()))
    }
}

/// Output with the padding that tables leave at line ends removed, for snapshots.
pub fn trim_lines(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The repository's own demo portfolio (the repository root's `sluss.toml`, `cases/`,
/// `network/`, `programs/` and `maturity/`).
pub fn demo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl Sandbox {
    /// A sandbox holding a copy of the demo portfolio, its cases `copies` times over: each
    /// further copy of a case gets the id `<id>c<k>` (in its file name and its `id`), so
    /// that a portfolio of any size has the demo's variety of stages, sessions, history,
    /// programs and partners.
    pub fn demo(copies: usize) -> Sandbox {
        let sb = Sandbox::empty();
        let demo = demo_root();
        fs::copy(demo.join("sluss.toml"), sb.path("sluss.toml")).unwrap();
        for folder in ["network", "programs", "maturity"] {
            fs::create_dir_all(sb.path(folder)).unwrap();
            for file in case_files(&demo.join(folder)) {
                fs::copy(&file, sb.path(folder).join(file.file_name().unwrap())).unwrap();
            }
        }
        fs::create_dir_all(sb.path("cases")).unwrap();
        for file in case_files(&demo.join("cases")) {
            let text = fs::read_to_string(&file).unwrap();
            let id = file.file_stem().unwrap().to_string_lossy().into_owned();
            for k in 0..copies.max(1) {
                let (new_id, text) = if k == 0 {
                    (id.clone(), text.clone())
                } else {
                    let new_id = format!("{id}c{k}");
                    let line = format!("id = \"{id}\"");
                    assert!(text.contains(&line), "{} names its id", file.display());
                    (
                        new_id.clone(),
                        text.replacen(&line, &format!("id = \"{new_id}\""), 1),
                    )
                };
                fs::write(sb.path(&Sandbox::case_rel(&new_id)), text).unwrap();
            }
        }
        sb
    }
}
