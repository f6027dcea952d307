//! One essay through the whole pipeline: read an input (a file or stdin),
//! extract its text, grade it and build its report. Every command that
//! grades (`check`, `explain`, `rubric test`, `rubric calibrate`, `rubric
//! derive`) goes through here, so none of them imports another.

use crate::batch::walk;
use crate::engine;
use crate::ingest::{self, Extracted, Format, Limits};
use crate::report::{Failure, Report};
use crate::rubric::Rubric;
use crate::text::Document;
use std::io;
use std::path::PathBuf;

/// One essay to grade.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    pub fn display(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "<stdin>".into(),
        }
    }
}

/// Read and extract one input.
pub fn extract_input(input: &Input, limits: &Limits) -> Result<Extracted, String> {
    match input {
        Input::File(p) => ingest::read_path(p, limits).map_err(|e| match (&e, walk::classify(p)) {
            // A PDF or photo named on the command line gets the same advice
            // as one found in a folder.
            (ingest::IngestError::Unsupported(_), walk::Classified::Unreadable(why)) => why,
            _ => e.to_string(),
        }),
        Input::Stdin => {
            ingest::read_stream(io::stdin().lock(), Format::Text, limits).map_err(|e| match e {
                ingest::IngestError::Io(e) => format!("cannot read stdin: {e}"),
                e => e.to_string(),
            })
        }
    }
}

/// Grade one input.
pub fn grade_input(rubric: &Rubric, input: &Input, limits: &Limits) -> Result<Report, Failure> {
    grade_input_with(rubric, input, limits, |_| ()).map(|(report, ())| report)
}

/// Grade one input, handing its graded [`Document`] to `inspect` (see
/// [`engine::report_with`]).
pub fn grade_input_with<T>(
    rubric: &Rubric,
    input: &Input,
    limits: &Limits,
    inspect: impl FnOnce(&Document) -> T,
) -> Result<(Report, T), Failure> {
    let name = input.display();
    let extracted = extract_input(input, limits).map_err(|error| Failure {
        essay: name.clone(),
        error,
    })?;
    Ok(engine::report_with(rubric, &name, extracted, inspect))
}
