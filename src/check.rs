//! The `check` pipeline: find the inputs, grade them (in parallel, in
//! bounded chunks so memory does not grow with the batch), and stream the
//! reports to a renderer in a deterministic order.

use crate::ingest::{self, Extracted, Format, Limits};
use crate::report::{Failure, Renderer, Report, Summary, SummaryBuilder};
use crate::rubric::Rubric;
use crate::scoring;
use rayon::prelude::*;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

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

/// Expand the command-line paths: files are taken as given (in order),
/// folders are walked recursively for supported files, sorted by path.
/// Paths that do not exist become failures.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<Failure>) {
    let mut inputs = Vec::new();
    let mut failures = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, &mut failures);
            found.sort();
            inputs.extend(found.into_iter().map(Input::File));
        } else if p.exists() {
            inputs.push(Input::File(p.clone()));
        } else {
            failures.push(Failure {
                essay: p.display().to_string(),
                error: "no such file or folder".into(),
            });
        }
    }
    (inputs, failures)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>, failures: &mut Vec<Failure>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            failures.push(Failure {
                essay: dir.display().to_string(),
                error: format!("cannot read folder: {e}"),
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        // file_type() does not follow symlinks, so a link loop is never walked.
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, found, failures),
            Ok(t) if t.is_file() && ingest::format_for_path(&path).is_some() => found.push(path),
            _ => {}
        }
    }
}

/// Read and extract one input.
pub fn extract_input(input: &Input, limits: &Limits) -> Result<Extracted, String> {
    match input {
        Input::File(p) => ingest::read_path(p, limits).map_err(|e| e.to_string()),
        Input::Stdin => {
            let mut bytes = Vec::new();
            io::stdin()
                .take(limits.max_file_bytes + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            ingest::extract(Format::Text, &bytes, limits).map_err(|e| e.to_string())
        }
    }
}

/// Grade one input.
pub fn grade_input(rubric: &Rubric, input: &Input, limits: &Limits) -> Result<Report, Failure> {
    let name = input.display();
    let extracted = extract_input(input, limits).map_err(|error| Failure {
        essay: name.clone(),
        error,
    })?;
    let format = extracted.format;
    let warnings = extracted.warnings.clone();
    let doc = extracted.into_document();
    let grade = scoring::grade(rubric, &doc);
    Ok(Report::new(&name, format, warnings, rubric, &doc, &grade))
}

/// Essays graded in parallel before their reports are written.
const CHUNK: usize = 256;

/// What a run produced, for choosing the exit code.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    pub summary: Summary,
    /// Reports below the threshold (or failing a required-criterion rule).
    pub failing: usize,
}

/// Options that decide whether an essay fails the run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Thresholds {
    pub fail_under: Option<f64>,
    pub max_missing_required: Option<usize>,
}

impl Thresholds {
    pub fn fails(&self, r: &Report) -> bool {
        self.fail_under.is_some_and(|t| r.score < t) || self.max_missing_required.is_some_and(|m| r.missing_required() > m)
    }
}

/// Grade every input and stream the reports to `renderer`.
pub fn run(
    rubric: &Rubric,
    inputs: &[Input],
    early_failures: Vec<Failure>,
    limits: &Limits,
    thresholds: Thresholds,
    renderer: &mut dyn Renderer,
    out: &mut dyn Write,
    mut progress: impl FnMut(usize),
) -> io::Result<RunOutcome> {
    let mut summary = SummaryBuilder::new(rubric.bands.iter().map(|b| b.label.clone()).collect());
    let mut failing = 0;
    renderer.start(out)?;
    for f in early_failures {
        renderer.failure(out, &f)?;
        summary.fail(f);
    }
    for chunk in inputs.chunks(CHUNK) {
        let results: Vec<Result<Report, Failure>> = if chunk.len() == 1 {
            vec![grade_input(rubric, &chunk[0], limits)]
        } else {
            chunk.par_iter().map(|i| grade_input(rubric, i, limits)).collect()
        };
        for r in results {
            match r {
                Ok(report) => {
                    failing += usize::from(thresholds.fails(&report));
                    summary.add(&report);
                    renderer.essay(out, &report)?;
                }
                Err(f) => {
                    renderer.failure(out, &f)?;
                    summary.fail(f);
                }
            }
        }
        progress(chunk.len());
    }
    let summary = summary.build();
    renderer.finish(out, &summary)?;
    out.flush()?;
    Ok(RunOutcome { summary, failing })
}

/// Write `bytes` to `path` atomically: a temporary file in the same folder,
/// then a rename, so readers never see a half-written report.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
