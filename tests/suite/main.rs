//! The whole test suite as one crate, so that it links once: each file is a module.
//! `common` is the harness (a sandbox over the real binary); the others test one area.

mod cache;
mod cases;
mod check;
mod common;
mod digest;
mod git;
mod git_tools;
mod hostile;
mod maturity;
mod network;
mod privacy;
mod privacy_hard;
mod privacy_records;
mod programs;
mod properties;
mod reliability;
mod repo;
mod report;
mod summary;
mod writes;
