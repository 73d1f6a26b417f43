//! The pure domain: what a case is, what the pipeline allows, and how a case's state
//! is replayed from its history. Nothing here reads the disk or the clock.

pub mod as_of;
pub mod bounds;
pub mod case;
pub mod change;
pub mod config;
pub mod datetime;
pub mod edited;
pub mod filter;
pub mod gate;
pub mod id;
pub mod key;
pub mod maturity;
pub mod names;
pub mod network;
pub mod participants;
pub mod replay;
pub mod timeline;
pub mod validate;
pub mod words;

pub use as_of::AsOf;
pub use case::{
    Adoption, AdoptionKind, Benefit, BenefitBasis, Case, Description, HistoryEntry, NextStep,
    Outcome, Person, Session, Status, StepRef,
};
pub use change::Change;
pub use config::{
    AsOfSource, BenefitSettings, Coach, Config, DigestSettings, Gate, Goals, Program, Stage,
};
pub use replay::CaseState;
