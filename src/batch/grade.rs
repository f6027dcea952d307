//! The `check` pipeline: find the inputs, grade them (in parallel, in
//! bounded chunks so memory does not grow with the batch), and stream the
//! reports to a renderer in a deterministic order. With similarity on, each
//! graded essay also leaves its fingerprint (a few bytes a word, see
//! [`crate::batch::similar`]), and the batch's near-copies go into the summary.

pub use crate::batch::pipeline::{extract_input, grade_input, grade_input_with, Input};
use crate::batch::similar::{self, Exclusions, Fingerprint};
use crate::batch::walk::Walker;
use crate::configuration::thresholds::Thresholds;
use crate::ingest::Limits;
use crate::report::{
    Excerpt, Failure, Renderer, Report, SharedPassage, SimilarPair, Summary, SummaryBuilder,
};
use crate::rubric::Rubric;
use crate::text::{Document, Origin};
use rayon::prelude::*;
use std::collections::HashMap;
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
/// reports for code scanning (SARIF, GitHub annotations). `similarity`:
/// compare the graded essays with each other and list in the summary the
/// pairs at or above this threshold (0-1; `None` or 0: do not compare).
#[allow(clippy::too_many_arguments)]
pub fn run_batches(
    batches: &[Batch],
    early_failures: Vec<Failure>,
    limits: &Limits,
    root: Option<&Path>,
    similarity: Option<f64>,
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
    let similarity = similarity.filter(|t| *t > 0.0);
    // The rubric's own text is no sign of copying: one exclusion set per
    // rubric, each batch pointing at its rubric's.
    let exclusions: Vec<Exclusions> = match similarity {
        Some(_) => rubrics.iter().map(|&r| rubric_exclusions(r)).collect(),
        None => Vec::new(),
    };
    let empty = Exclusions::default();
    let excluded = |b: &Batch| {
        rubrics
            .iter()
            .position(|r| std::ptr::eq(*r, b.rubric))
            .and_then(|i| exclusions.get(i))
            .unwrap_or(&empty)
    };
    let mut compared: Vec<Compared> = Vec::new();
    // Chunk k+1 is graded on the pool while this thread renders chunk k:
    // output stays in input order, and only two chunks of reports are ever
    // held, whatever the size of the batch.
    let mut emit = |results: Vec<Graded>| -> io::Result<()> {
        for g in results {
            if let (Ok(_), Some(print)) = (&g.result, g.print) {
                compared.push(Compared {
                    input: g.input,
                    print,
                    stdin_doc: g.stdin_doc,
                });
            }
            match g.result {
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
    let mut pending: Vec<Graded> = Vec::new();
    for (batch, chunk) in chunks {
        let excluded = excluded(&batch);
        let grade = |i: &Input| {
            // The fingerprint comes from the document the grader built, so
            // an essay is tokenised once. Standard input cannot be read
            // again to show the shared passages: its document is kept.
            let inspect = |doc: &Document| match similarity {
                Some(_) => (
                    Some(Fingerprint::of_document(doc, excluded)),
                    (*i == Input::Stdin).then(|| doc.clone()),
                ),
                None => (None, None),
            };
            let (mut r, print, stdin_doc) = match grade_input_with(batch.rubric, i, limits, inspect)
            {
                Ok((report, (print, doc))) => (Ok(report), print, doc),
                Err(f) => (Err(f), None, None),
            };
            if let Ok(report) = &mut r {
                if !keep_text {
                    report.text = None;
                }
                report.threshold_failures = batch.thresholds.check(report);
                if let (Some(root), Input::File(p)) = (root, i) {
                    report.repo_path = crate::configuration::repo::relative(p, root);
                }
            }
            progress(1);
            Graded {
                input: i.clone(),
                result: r,
                print,
                stdin_doc,
            }
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
    if let Some(threshold) = similarity {
        if compared.len() >= 2 {
            let pairs = similar_pairs(
                &mut compared,
                threshold,
                renderer.wants_shared_passages(),
                limits,
            );
            summary.similar(threshold, pairs);
        }
    }
    let summary = summary.build();
    renderer.finish(out, &summary)?;
    out.flush()?;
    Ok(RunOutcome { summary, failing })
}

/// One input graded, with what similarity needs of it.
struct Graded {
    input: Input,
    result: Result<Report, Failure>,
    print: Option<Fingerprint>,
    stdin_doc: Option<Document>,
}

/// A graded essay, kept for comparing with the others.
struct Compared {
    input: Input,
    print: Fingerprint,
    stdin_doc: Option<Document>,
}

/// Pairs whose shared passages are shown; the others are listed only.
const PAIRS_WITH_PASSAGES: usize = 50;
/// Passages shown per pair, longest first.
const PASSAGES_PER_PAIR: usize = 3;
/// Characters of context on each side of a shared passage.
const CONTEXT_CHARS: usize = 60;
/// Longest shared passage shown in full, in characters.
const MAX_SHARED_CHARS: usize = 600;

/// The rubric's own text: its title, question, section and criterion
/// titles, advice, and phrases.
fn rubric_exclusions(r: &Rubric) -> Exclusions {
    let mut texts: Vec<&str> = vec![r.title.as_str()];
    texts.extend(r.question.as_deref());
    texts.extend(r.sections.iter().map(|s| s.title.as_str()));
    for c in &r.criteria {
        texts.push(&c.title);
        texts.extend(c.feedback.as_deref());
    }
    texts.extend((0..r.phrases.phrase_count()).map(|i| r.phrases.phrase_text(i)));
    Exclusions::from_texts(texts)
}

/// The similar pairs of the batch as the summary lists them, ordered by
/// similarity (as shown, three decimals), then by path. With `passages`,
/// the first pairs' essays are read again to quote what they share (a file
/// that can no longer be read is listed without them).
fn similar_pairs(
    compared: &mut [Compared],
    threshold: f64,
    passages: bool,
    limits: &Limits,
) -> Vec<SimilarPair> {
    let mut prints: Vec<Fingerprint> = compared
        .iter_mut()
        .map(|c| std::mem::take(&mut c.print))
        .collect();
    let found = similar::similar_pairs(&mut prints, threshold);
    let round3 = |x: f64| (x * 1000.0).round() / 1000.0;
    let mut pairs: Vec<(similar::Pair, SimilarPair)> = found
        .into_iter()
        .map(|p| {
            let pair = SimilarPair {
                a: compared[p.a].input.display(),
                b: compared[p.b].input.display(),
                similarity: round3(p.similarity),
                containment: round3(p.containment),
                shared: p.shared,
                passages: Vec::new(),
            };
            (p, pair)
        })
        .collect();
    pairs.sort_by(|(_, x), (_, y)| {
        y.similarity
            .total_cmp(&x.similarity)
            .then_with(|| x.a.cmp(&y.a))
            .then_with(|| x.b.cmp(&y.b))
    });
    if passages {
        let mut docs: HashMap<usize, Option<Document>> = HashMap::new();
        for (p, pair) in pairs.iter_mut().take(PAIRS_WITH_PASSAGES) {
            for i in [p.a, p.b] {
                docs.entry(i)
                    .or_insert_with(|| document_of(&compared[i], limits));
            }
            if let (Some(Some(da)), Some(Some(db))) = (docs.get(&p.a), docs.get(&p.b)) {
                pair.passages = similar::shared_passages(da, &prints[p.a], db, &prints[p.b])
                    .into_iter()
                    .take(PASSAGES_PER_PAIR)
                    .map(|s| SharedPassage {
                        words: s.words,
                        a: excerpt(&da.text, &da.origin, s.a),
                        b: excerpt(&db.text, &db.origin, s.b),
                    })
                    .collect();
            }
        }
    }
    pairs.into_iter().map(|(_, pair)| pair).collect()
}

/// An essay's document again, as graded.
fn document_of(c: &Compared, limits: &Limits) -> Option<Document> {
    match &c.stdin_doc {
        Some(d) => Some(d.clone()),
        None => extract_input(&c.input, limits)
            .ok()
            .map(|e| e.into_document()),
    }
}

/// `range` of `text` with some context, on one line each.
fn excerpt(text: &str, origin: &Origin, range: std::ops::Range<usize>) -> Excerpt {
    // Line breaks and runs of spaces become one space.
    let one_line = |s: &str| {
        let mut o = String::with_capacity(s.len());
        for c in s.chars() {
            match (c.is_whitespace(), o.ends_with(' ')) {
                (true, true) => {}
                (true, false) => o.push(' '),
                (false, _) => o.push(c),
            }
        }
        o
    };
    let before = &text[..range.start];
    let before = match before.char_indices().rev().nth(CONTEXT_CHARS) {
        // Start the context at a word.
        Some((i, _)) => match before[i..].find(char::is_whitespace) {
            Some(w) => format!("…{}", &before[i + w..]),
            None => format!("…{}", &before[i..]),
        },
        None => before.to_string(),
    };
    let after = &text[range.end..];
    let after = match after.char_indices().nth(CONTEXT_CHARS) {
        Some((i, _)) => match after[..i].rfind(char::is_whitespace) {
            Some(w) => format!("{}…", &after[..w]),
            None => format!("{}…", &after[..i]),
        },
        None => after.to_string(),
    };
    let shared = &text[range.clone()];
    let shared = match shared.char_indices().nth(MAX_SHARED_CHARS) {
        Some((i, _)) => {
            let cut = shared[..i].rfind(char::is_whitespace).unwrap_or(i);
            format!(
                "{} … [{} more words]",
                &shared[..cut],
                shared[cut..].split_whitespace().count()
            )
        }
        None => shared.to_string(),
    };
    let pos = origin.line_col(text, range.start);
    Excerpt {
        line: pos.line,
        column: pos.column,
        before: one_line(&before).trim_start().to_string(),
        shared: one_line(&shared),
        after: one_line(&after).trim_end().to_string(),
    }
}
