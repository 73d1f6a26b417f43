//! The whole test suite as one crate, so that it links once: each file is a module.
//! `common` is the harness (a sandbox over the real binary); the others test one area.

mod adversarial_merge;
mod adversarial_privacy;
mod adversarial_repo;
mod cache;
mod cases;
mod check;
mod check_rules;
mod common;
mod digest;
mod digest_newsletter;
mod escape_paths;
mod files_kept;
mod git;
mod git_tools;
mod hostile;
mod listings_fit;
mod maturity;
mod maturity_document;
mod merge_exact;
mod network;
mod privacy;
mod privacy_hard;
mod privacy_records;
mod program_network_document;
mod programs;
mod properties;
mod regressions;
mod reliability;
mod repo;
mod report;
mod runtime_truth;
mod summary;
mod summary_document;
mod terminal_safety;
mod writes;
