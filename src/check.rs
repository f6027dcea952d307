//! The `check` pipeline: find the inputs, grade them (in parallel, in
//! bounded chunks so memory does not grow with the batch), and stream the
//! reports to a renderer in a deterministic order.

use crate::ingest::Limits;
pub use crate::pipeline::{extract_input, grade_input, Input};
use crate::report::{Failure, Renderer, Report, Summary, SummaryBuilder, ThresholdFailure};
use crate::rubric::Rubric;
use crate::walk::Walker;
use rayon::prelude::*;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Expand the command-line paths: files are taken as given (in order, and
/// whatever their extension: naming a file is asking for it), folders are
/// walked by `walker` (ignore files, hidden files, `--glob`), sorted by path.
/// Paths that do not exist, and submissions in a folder that cannot be read
/// (PDFs, images, ...), become failures with a reason.
pub fn collect_inputs(paths: &[PathBuf], walker: &Walker) -> (Vec<Input>, Vec<Failure>) {
    let mut inputs = Vec::new();
    let mut failures = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if p.is_dir() {
            let walked = walker.walk(p);
            for note in &walked.notes {
                crate::say!("essaymark: note: {note}");
            }
            inputs.extend(walked.essays.into_iter().map(Input::File));
            failures.extend(walked.skipped);
        } else if p.exists() {
            inputs.push(Input::File(p.clone()));
        } else {
            failures.push(Failure {
                essay: p.display().to_string(),
                error: missing_reason(p),
            });
        }
    }
    (inputs, failures)
}

/// Why a path given on the command line cannot be opened: a symbolic link
/// loop or a folder that cannot be searched is not "no such file".
fn missing_reason(p: &std::path::Path) -> String {
    match (std::fs::metadata(p), std::fs::symlink_metadata(p)) {
        (Err(e), Ok(m)) if m.file_type().is_symlink() && e.kind() == io::ErrorKind::NotFound => {
            format!("broken symbolic link: {e}")
        }
        (Err(e), _) if e.kind() != io::ErrorKind::NotFound => format!("cannot read: {e}"),
        _ => "no such file or folder".into(),
    }
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

/// A threshold and where it was set (`--fail-under`, `.essaymark.yaml`),
/// so a failure can say which setting it broke.
#[derive(Debug, Clone, PartialEq)]
pub struct Limit<T> {
    pub value: T,
    pub source: String,
}

/// Options that decide whether an essay fails the run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Thresholds {
    pub fail_under: Option<Limit<f64>>,
    pub max_missing_required: Option<Limit<usize>>,
}

impl Thresholds {
    /// Every threshold `r` does not meet, in a fixed order.
    pub fn check(&self, r: &Report) -> Vec<ThresholdFailure> {
        let mut out = Vec::new();
        // A score that is not a number never passes.
        if let Some(t) = self
            .fail_under
            .as_ref()
            .filter(|t| r.score.is_nan() || r.score < t.value)
        {
            out.push(ThresholdFailure {
                threshold: "fail_under",
                source: t.source.clone(),
                limit: t.value,
                actual: r.score,
            });
        }
        let missing = r.missing_required();
        if let Some(t) = self
            .max_missing_required
            .as_ref()
            .filter(|t| missing > t.value)
        {
            out.push(ThresholdFailure {
                threshold: "max_missing_required",
                source: t.source.clone(),
                limit: t.value as f64,
                actual: missing as f64,
            });
        }
        out
    }

    pub fn fails(&self, r: &Report) -> bool {
        !self.check(r).is_empty()
    }
}

/// Grade every input and stream the reports to `renderer`. `progress` is
/// called with 1 as each essay is graded, from rayon's worker threads (so a
/// progress bar moves per essay, not per chunk of 256).
#[allow(clippy::too_many_arguments)]
pub fn run(
    rubric: &Rubric,
    inputs: &[Input],
    early_failures: Vec<Failure>,
    limits: &Limits,
    thresholds: Thresholds,
    renderer: &mut dyn Renderer,
    out: &mut dyn Write,
    progress: impl Fn(usize) + Sync,
) -> io::Result<RunOutcome> {
    run_batches(
        &[Batch {
            rubric,
            inputs,
            thresholds: &thresholds,
        }],
        early_failures,
        limits,
        None,
        renderer,
        out,
        progress,
    )
}

/// Essays graded against one rubric and one set of thresholds (a
/// `.essaymark.yaml` group, or the command-line paths no group matches).
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    pub rubric: &'a Rubric,
    pub inputs: &'a [Input],
    pub thresholds: &'a Thresholds,
}

/// [`run`] for several batches, each with its own rubric, streamed to one
/// renderer in batch order: one report, one summary, one exit decision.
/// `root` is the repository root essay paths are given relative to in
/// reports for code scanning (SARIF, GitHub annotations).
#[allow(clippy::too_many_arguments)]
pub fn run_batches(
    batches: &[Batch],
    early_failures: Vec<Failure>,
    limits: &Limits,
    root: Option<&Path>,
    renderer: &mut dyn Renderer,
    out: &mut dyn Write,
    progress: impl Fn(usize) + Sync,
) -> io::Result<RunOutcome> {
    let mut bands: Vec<String> = Vec::new();
    let mut rubrics: Vec<&Rubric> = Vec::new();
    for b in batches {
        if rubrics.iter().any(|r| std::ptr::eq(*r, b.rubric)) {
            continue;
        }
        rubrics.push(b.rubric);
        renderer.rubric(b.rubric);
        for band in &b.rubric.bands {
            if !bands.contains(&band.label) {
                bands.push(band.label.clone());
            }
        }
    }
    let mut summary = SummaryBuilder::new(bands);
    let mut failing = 0;
    renderer.start(out)?;
    for f in early_failures {
        renderer.failure(out, &f)?;
        summary.fail(f);
    }
    let keep_text = renderer.needs_essay_text();
    // Chunk k+1 is graded on the pool while this thread renders chunk k:
    // output stays in input order, and only two chunks of reports are ever
    // held, whatever the size of the batch.
    let mut emit = |results: Vec<Result<Report, Failure>>| -> io::Result<()> {
        for r in results {
            match r {
                Ok(report) => {
                    failing += usize::from(!report.threshold_failures.is_empty());
                    summary.add(&report);
                    renderer.essay(out, &report)?;
                }
                Err(f) => {
                    renderer.failure(out, &f)?;
                    summary.fail(f);
                }
            }
        }
        Ok(())
    };
    let chunks = batches
        .iter()
        .flat_map(|&b| b.inputs.chunks(CHUNK).map(move |c| (b, c)));
    let mut pending: Vec<Result<Report, Failure>> = Vec::new();
    for (batch, chunk) in chunks {
        let grade = |i: &Input| {
            let mut r = grade_input(batch.rubric, i, limits);
            if let Ok(report) = &mut r {
                if !keep_text {
                    report.text = None;
                }
                report.threshold_failures = batch.thresholds.check(report);
                if let (Some(root), Input::File(p)) = (root, i) {
                    report.repo_path = crate::repo::relative(p, root);
                }
            }
            progress(1);
            r
        };
        let mut next = Vec::new();
        let rendered = rayon::in_place_scope(|scope| {
            scope.spawn(|_| {
                next = if chunk.len() == 1 {
                    vec![grade(&chunk[0])]
                } else {
                    chunk.par_iter().map(grade).collect()
                };
            });
            emit(std::mem::take(&mut pending))
        });
        rendered?;
        pending = next;
    }
    emit(pending)?;
    let summary = summary.build();
    renderer.finish(out, &summary)?;
    out.flush()?;
    Ok(RunOutcome { summary, failing })
}
