//! essaymark: grade essays against a YAML rubric.
//!
//! Data flows one way: [`ingest`] (read, decode, strip markup) → [`text`]
//! (blocks, sentences, tokens) → [`rubric`] (load, validate, compile once) →
//! [`matching`] (one pass over the essay for every phrase) → [`scoring`]
//! (points, partial credit, bands) → [`report`] (one renderer per format).

pub mod adversarial;
pub mod calibrate;
pub mod check;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod derive;
pub mod evaluate;
pub mod explain;
pub mod ingest;
pub mod lint;
pub mod matching;
pub mod nearmiss;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod repo;
pub mod report;
pub mod rubric;
pub mod scoring;
pub mod settings;
pub mod similar;
pub mod stats;
pub mod text;
pub mod walk;
