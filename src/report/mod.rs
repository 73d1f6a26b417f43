//! Reports: each is computed once as a plain value from the cases, then rendered as a
//! table, JSON, CSV, Markdown or HTML. Nothing here reads the disk or the clock.

pub mod agenda;
pub mod board;
pub mod digest;
pub mod escape;
pub mod maturity;
pub mod network;
pub mod portfolio;
pub mod program;
pub mod render;
pub mod stats;
