//! sluss keeps an idea sluice's portfolio as one TOML file per case in git.
//!
//! Layout: [`domain`] is pure (cases, stages, gates, replay), [`storage`] alone touches
//! the disk, [`report`] computes report values once and renders them, [`commands`] holds
//! one module per subcommand, and [`cli`] is the clap tree that ties them together.

pub mod check;
pub mod cli;
pub mod commands;
pub mod context;
pub mod document;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod merge;
pub mod output;
pub mod parallel;
pub mod privacy;
pub mod report;
pub mod schema;
pub mod storage;

pub use error::{Error, Result};
