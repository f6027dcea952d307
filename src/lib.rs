//! essaymark: grade essays against a YAML rubric.
//!
//! Data flows one way: [`ingest`] (read, decode, strip markup) → [`text`]
//! (blocks, sentences, tokens) → [`rubric`] (load, validate, compile once) →
//! [`matching`] (one pass over the essay for every phrase) → [`scoring`]
//! (points, partial credit, bands) → [`report`] (one renderer per format).
//!
//! Those six modules (with [`output`], and [`engine`] that runs them on one
//! essay in memory) are the grading engine: they read an
//! essay from bytes and need no operating system, so they build for
//! `wasm32-unknown-unknown` (the browser page, `crates/essaymark-web`). The
//! commands, folder walking, parallel grading and progress bars need the
//! `cli` feature (on by default).

#[cfg(feature = "cli")]
pub mod adversarial;
#[cfg(feature = "cli")]
pub mod calibrate;
#[cfg(feature = "cli")]
pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "cli")]
pub mod config;
#[cfg(feature = "cli")]
pub mod corpus;
#[cfg(feature = "cli")]
pub mod derive;
pub mod engine;
#[cfg(feature = "cli")]
pub mod evaluate;
#[cfg(feature = "cli")]
pub mod explain;
pub mod ingest;
#[cfg(feature = "cli")]
pub mod lint;
pub mod matching;
#[cfg(feature = "cli")]
pub mod nearmiss;
pub mod output;
#[cfg(feature = "cli")]
pub mod pipeline;
#[cfg(feature = "cli")]
pub mod progress;
#[cfg(feature = "cli")]
pub mod repo;
pub mod report;
pub mod rubric;
pub mod scoring;
#[cfg(feature = "cli")]
pub mod settings;
#[cfg(feature = "cli")]
pub mod stats;
pub mod text;
#[cfg(feature = "cli")]
pub mod walk;
