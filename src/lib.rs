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

pub use essaymark_core::{
    adversarial, corpus, derive, engine, ingest, matching, output, report, rubric, say, scoring,
    text,
};

pub mod args;
pub mod batch;
pub mod commands;
pub mod configuration;
pub mod error;
