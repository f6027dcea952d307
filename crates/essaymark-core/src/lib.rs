//! essaymark-core: the grading engine, with no operating system needed.
//!
//! Data flows one way: [`ingest`] (decode, strip markup) → [`text`]
//! (blocks, sentences, tokens) → [`rubric`] (load, validate, compile once) →
//! [`matching`] (one pass over the essay for every phrase) → [`meaning`]
//! (candidate evidence by resemblance to a criterion's examples) → [`scoring`]
//! (points, partial credit, bands) → [`report`] (one renderer per format);
//! [`engine`] runs one essay held in memory through all of them.
//!
//! No argument parsing, folder walking, threads or processes: those are the
//! `essaymark` command's. So this crate builds for `wasm32-unknown-unknown`
//! (the browser page, `crates/essaymark-web`). The `pdf` feature adds the
//! PDF reader (a child process or a thread), `wordnet` the synonyms that
//! rubric authoring offers; the command enables both.

pub mod adversarial;
pub mod calibration;
pub mod corpus;
pub mod derive;
pub mod engine;
pub mod ingest;
pub mod matching;
pub mod meaning;
pub mod number;
pub mod output;
pub mod report;
pub mod rubric;
pub mod scoring;
pub mod text;
