//! Where settings come from: the project file `.essaymark.yaml`
//! ([`config`]), the layers defaults < file < command line ([`settings`]),
//! and the repository an essay belongs to ([`repo`]).

pub mod config;
pub mod repo;
pub mod settings;
