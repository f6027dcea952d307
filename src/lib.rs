//! essaymark: grade essays against a YAML rubric.
//!
//! Data flows one way: [`ingest`] (read, decode, strip markup) → [`text`]
//! (blocks, sentences, tokens) → [`rubric`] (load, validate, compile once) →
//! [`matching`] (one pass over the essay for every phrase) → [`scoring`]
//! (points, partial credit, bands) → [`report`] (one renderer per format).
//!
//! Those modules are the grading engine, `essaymark-core`
//! (`crates/essaymark-core`), re-exported here under their old paths; this
//! crate adds the commands, reading files and folders, parallel grading and
//! progress bars.

pub use essaymark_core::{engine, ingest, matching, output, report, rubric, say, scoring, text};

pub mod adversarial;
pub mod calibrate;
pub mod check;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod derive;
pub mod evaluate;
pub mod explain;
pub mod lint;
pub mod nearmiss;
pub mod pipeline;
pub mod progress;
pub mod repo;
pub mod settings;
pub mod similar;
pub mod stats;
pub mod walk;
