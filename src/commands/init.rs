//! `sluss init`: a new repository with the default pipeline.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::Error;
use crate::context::Context;
use crate::output;
use crate::storage::repo::{CASES_DIR, CONFIG_FILE, STATE_DIR};
use crate::storage::{Repo, guard};

const TEMPLATE_SV: &str = include_str!("../templates/sluss.sv.toml");
const TEMPLATE_EN: &str = include_str!("../templates/sluss.en.toml");

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Template {
    /// The Swedish municipal idea-sluice pipeline (Inkommen … Införa).
    Sv,
    /// The same pipeline with English keys and names (received … implement).
    En,
}

/// Create a repository: sluss.toml with the default pipeline, and an empty cases/.
///
/// It also writes the JSON Schemas of case files and sluss.toml to schemas/, for editors
/// (see `sluss schema`).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to create it (default: the current folder).
    pub dir: Option<PathBuf>,
    /// The language of the pipeline's stage keys, names and comments.
    #[arg(long, value_enum, default_value = "sv")]
    pub template: Template,
    /// The portfolio's name, shown on reports.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

pub fn run(_ctx: &Context, args: Args) -> Result<ExitCode> {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    let config_path = dir.join(CONFIG_FILE);
    if config_path.exists() {
        return Err(Error::AlreadyInitialised { path: dir }.into());
    }
    // The folder may already hold files (a clone without settings): nothing is made
    // through a link out of it, and a link that would stop a later step stops the
    // command before anything is written.
    for folder in [CASES_DIR, STATE_DIR, crate::schema::SCHEMAS_DIR] {
        guard::check_dir(&dir, &dir.join(folder))?;
    }
    guard::check_write(&dir, &config_path)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    // Then the ignore rule, so that a `.gitignore` sluss may not change stops it before
    // anything else is made.
    crate::storage::repo::ignore_temp_files(&dir)?;
    guard::create_dir_all(&dir, &dir.join(CASES_DIR))?;
    let in_git = crate::storage::git::toplevel(&dir).is_some();
    if in_git {
        guard::check_write(&dir, &dir.join(".gitattributes"))?;
    }
    let mut text = match args.template {
        Template::Sv => TEMPLATE_SV.to_string(),
        Template::En => TEMPLATE_EN.to_string(),
    };
    if let Some(name) = &args.name {
        let mut doc: toml_edit::DocumentMut = text.parse().expect("the template is valid TOML");
        let decor = doc["name"].as_value().map(|v| v.decor().clone());
        doc["name"] = toml_edit::value(name.as_str());
        if let (Some(decor), Some(v)) = (decor, doc["name"].as_value_mut()) {
            *v.decor_mut() = decor;
        }
        text = doc.to_string();
    }
    guard::atomic_create(&dir, &config_path, text.as_bytes())?;
    let repo = Repo::open(&dir)?;
    repo.ensure_state_dir()?;
    repo.write_schemas()?;
    output::emit(&format!(
        "Created an idea sluice in {}: edit {CONFIG_FILE} to name it and add coaches (`sluss coach add`).\n",
        dir.display()
    ))?;
    if in_git {
        let done = super::git_setup::install(&repo)?;
        output::emit(&format!("{done}\n"))?;
    }
    Ok(ExitCode::SUCCESS)
}
