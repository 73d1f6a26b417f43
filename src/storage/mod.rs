//! The only part of sluss that touches the disk: finding the repository, reading
//! cases, editing them in place, and writing atomically under a lock.

pub mod cache;
pub mod document;
pub mod git;
pub mod guard;
pub mod maturity;
pub mod records;
pub mod repo;
pub mod scrub;
pub mod write;

pub use document::CaseDocument;
pub use repo::{BrokenCase, LoadedCase, Portfolio, Repo};
