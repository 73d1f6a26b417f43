//! Reports: each is computed once as a plain value from the cases, then rendered as a
//! table, JSON, CSV and so on. Nothing here reads the disk or the clock.

pub mod escape;
pub mod summary;
