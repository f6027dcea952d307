//! How a command ends: [`Outcome`] for the exit codes 0, 1 and 3, and
//! [`CliError`] for exit 2. Below every command and the configuration, so
//! neither needs the other to fail.

use std::io;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything graded and every threshold met.
    Ok,
    /// Graded, but some essay is below a threshold.
    BelowThreshold,
    /// The internal PDF reader could not read its input (exit 3; its
    /// message is on stderr).
    HelperFailed,
}

/// A failure that ends the command with exit code 2.
#[derive(Debug)]
pub struct CliError(pub String);

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> Self {
        // Only the report stream reaches here unwrapped: a closed pipe on it
        // ends the run quietly (see `output::reader_gone`).
        crate::output::note_write_error(&e);
        CliError(e.to_string())
    }
}
