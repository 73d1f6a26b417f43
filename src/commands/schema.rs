//! `sluss schema`: the JSON Schemas of case files and `sluss.toml`, for editors and CI.

use std::process::ExitCode;

use anyhow::Result;

use crate::context::Context;
use crate::output;
use crate::schema;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Which {
    /// A case file, `cases/<id>.toml`.
    Case,
    /// The settings, sluss.toml.
    Config,
    /// A partner-network member, `network/<key>.toml`.
    Network,
    /// A program's participants, `programs/<key>.toml`.
    Program,
    /// A maturity self-assessment, `maturity/<date>-<unit>.toml`.
    Maturity,
}

/// Print the JSON Schema of case files, sluss.toml, network members, program
/// participants or maturity assessments, or write them all to schemas/.
///
/// The schemas follow JSON Schema draft-07, with TOML dates as strings of format
/// date-time or date, as Taplo sees them. New case files name theirs on their first line (`#:schema ../schemas/case.schema.json`),
/// which Taplo and the Even Better TOML editor extension use to check a case as it is
/// typed and to explain its keys.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which schema to print.
    #[arg(value_enum, default_value = "case")]
    pub which: Which,
    /// Write every schema to schemas/ (case.schema.json, sluss.schema.json,
    /// network.schema.json, program.schema.json, maturity.schema.json) instead of
    /// printing one.
    #[arg(long, conflicts_with = "which")]
    pub write: bool,
    /// With --write: commit the schemas (also `[git] auto_commit = true` in sluss.toml).
    #[arg(long, requires = "write")]
    pub commit: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    if args.write {
        let repo = ctx.open_repo()?;
        let written = repo.write_schemas()?;
        super::commit_written(&repo, args.commit, &written, "schemas: written by sluss")?;
        for path in written {
            let shown = path.strip_prefix(&repo.root).unwrap_or(&path);
            output::emit(&format!("Wrote {}\n", shown.display()))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let value = match args.which {
        Which::Case => schema::case_schema(),
        Which::Config => schema::config_schema(),
        Which::Network => schema::network_schema(),
        Which::Program => schema::program_schema(),
        Which::Maturity => schema::maturity_schema(),
    };
    output::emit(&schema::to_text(&value))?;
    Ok(ExitCode::SUCCESS)
}
