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
mod escape_paths;
mod files_kept;
mod git;
mod git_tools;
mod hostile;
mod maturity;
mod merge_exact;
mod network;
mod privacy;
mod privacy_hard;
mod privacy_records;
mod programs;
mod properties;
mod publish_speed;
mod regressions;
mod reliability;
mod repo;
mod report;
mod runtime_truth;
mod summary;
mod terminal_safety;
mod writes;
