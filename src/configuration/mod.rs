//! Where settings come from: the project file `.essaymark.yaml`
//! ([`config`]), the layers defaults < file < command line ([`settings`]),
//! the thresholds that fail a run ([`thresholds`]) and the repository an
//! essay belongs to ([`repo`]).

pub mod config;
pub mod format;
pub mod repo;
pub mod settings;
pub mod thresholds;
