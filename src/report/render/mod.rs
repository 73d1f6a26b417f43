//! Renderings of reports not (yet) built as a [`crate::document::Document`], the
//! portfolio report's tidy CSV, and helpers they share. The portfolio summary's table,
//! Markdown and HTML come from its document (`crate::report::portfolio::document`).
//! Every listing is in a fixed order, and nothing reads the clock, so the same data
//! gives the same bytes.

pub mod csv;
pub mod maturity;
pub mod network;

use crate::domain::Config;

/// The label people see for a coach key.
pub fn coach_name<'a>(config: &'a Config, key: &'a str) -> &'a str {
    config.coach(key).map_or(key, |c| c.name.as_str())
}
