//! Candidate evidence by meaning: the sentences that resemble one of a
//! criterion's examples closely, more than they resemble any other
//! criterion and clearly more than the essay's sentences do on average.
//! A proposal is only a candidate: scoring puts it through the rules a
//! phrase hit goes through.

use super::{Vector, TABLE};
use crate::rubric::Rubric;
use crate::text::Document;

/// When a sentence is close enough to be proposed (docs/scoring-rules.md,
/// "Meaning", says how the defaults and the built-in rubrics' thresholds
/// were calibrated).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Off (`--no-meaning`, `settings.meaning: false`): no proposals.
    pub enabled: bool,
    /// Least cosine similarity to one of the criterion's examples.
    pub threshold: f64,
    /// By how much it must beat every other criterion's best example.
    pub margin_other: f64,
    /// By how much it must beat the essay's mean similarity to the
    /// criterion: a text all about the subject resembles every example a
    /// little, and those sentences are topical, not the point.
    pub margin_baseline: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            enabled: true,
            threshold: DEFAULT_THRESHOLD,
            margin_other: 0.03,
            margin_baseline: 0.08,
        }
    }
}

pub const DEFAULT_THRESHOLD: f64 = 0.6;

/// A rubric's examples as vectors, computed once per rubric.
#[derive(Debug, Default)]
pub struct Prepared {
    /// By criterion index; `None` for a criterion without examples.
    criteria: Vec<Option<Examples>>,
}

#[derive(Debug)]
struct Examples {
    examples: Vec<Vector>,
    counter: Vec<Vector>,
}

impl Prepared {
    pub fn new(rubric: &Rubric) -> Prepared {
        Prepared {
            criteria: rubric
                .criteria
                .iter()
                .map(|c| {
                    (!c.examples.is_empty()).then(|| Examples {
                        examples: c.examples.iter().map(|e| super::embed(e)).collect(),
                        counter: c.counter_examples.iter().map(|e| super::embed(e)).collect(),
                    })
                })
                .collect(),
        }
    }

    /// Whether any criterion has examples.
    pub fn any(&self) -> bool {
        self.criteria.iter().any(Option::is_some)
    }

    pub fn has_examples(&self, criterion: usize) -> bool {
        matches!(self.criteria.get(criterion), Some(Some(_)))
    }
}

/// Why a sentence that cleared the threshold was not proposed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rejection {
    /// It resembles another criterion's example as much or more.
    CloserToOther { criterion: usize, similarity: f64 },
    /// It is not clearly above the essay's own level of resemblance.
    Topical { baseline: f64 },
    /// It resembles a counter-example (1-based) at least as much.
    CounterExample { index: usize, similarity: f64 },
}

/// A sentence that resembles a criterion's example.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub criterion: usize,
    pub sentence: u32,
    /// The example it resembles most (1-based, as the rubric lists them).
    pub example: usize,
    pub similarity: f64,
    /// Its words closest to that example, best first (token indices).
    pub aligned: Vec<u32>,
    /// `None` for a candidate; why not, for one looked at and set aside
    /// (only returned when asked for).
    pub rejected: Option<Rejection>,
}

/// Fewer other eligible sentences than this: no essay baseline is used.
const MIN_BASELINE_SENTENCES: usize = 3;

/// How many aligned words a proposal names.
const ALIGNED_WORDS: usize = 3;

/// Propose sentences of `doc` for the criteria in `wanted` (by index; the
/// others are compared with, not proposed for). `eligible` says which
/// sentences may be looked at (not the title, not headings). With
/// `rejections`, also returns those that cleared the threshold but were set
/// aside, and why.
pub fn propose(
    prepared: &Prepared,
    settings: &Settings,
    doc: &Document,
    eligible: &[bool],
    wanted: &[bool],
    rejections: bool,
) -> Vec<Proposal> {
    let mut out = Vec::new();
    if !settings.enabled || !wanted.iter().any(|&w| w) {
        return out;
    }
    let active: Vec<(usize, &Examples)> = prepared
        .criteria
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.as_ref().map(|e| (i, e)))
        .collect();
    if !active.iter().any(|(i, _)| wanted.get(*i) == Some(&true)) {
        return out;
    }
    let sentences: Vec<u32> = (0..doc.sentences.len() as u32)
        .filter(|&s| eligible.get(s as usize) == Some(&true))
        .collect();
    if sentences.is_empty() {
        return out;
    }
    // best[s][k]: the best example similarity of sentence s to active k.
    let mut rows = Vec::new();
    let mut best: Vec<Vec<(f64, usize)>> = Vec::with_capacity(sentences.len());
    let mut vectors: Vec<Vector> = Vec::with_capacity(sentences.len());
    for &s in &sentences {
        rows.clear();
        let span = doc.sentences[s as usize].span.clone();
        super::rows(&doc.text[span], &mut rows);
        let v = Vector::from_rows(&TABLE, &rows);
        best.push(
            active
                .iter()
                .map(|(_, e)| {
                    e.examples
                        .iter()
                        .enumerate()
                        .map(|(x, ex)| (v.cosine(ex), x))
                        .fold((f64::MIN, 0), |a, b| if b.0 > a.0 { b } else { a })
                })
                .collect(),
        );
        vectors.push(v);
    }
    let totals: Vec<f64> = (0..active.len())
        .map(|k| best.iter().map(|b| b[k].0).sum::<f64>())
        .collect();
    // The essay's level of resemblance without the sentence itself; too
    // few other sentences give no level to beat.
    let others = sentences.len() - 1;
    let baseline_without = |k: usize, sim: f64| {
        (others >= MIN_BASELINE_SENTENCES).then(|| (totals[k] - sim) / others as f64)
    };
    for (k, &(c, ex)) in active.iter().enumerate() {
        if wanted.get(c) != Some(&true) {
            continue;
        }
        for (i, &s) in sentences.iter().enumerate() {
            let (sim, example) = best[i][k];
            if sim < settings.threshold {
                continue;
            }
            let other = (0..active.len())
                .filter(|&o| o != k)
                .map(|o| (best[i][o].0, active[o].0))
                .fold((f64::MIN, usize::MAX), |a, b| if b.0 > a.0 { b } else { a });
            let counter = ex
                .counter
                .iter()
                .enumerate()
                .map(|(x, v)| (vectors[i].cosine(v), x + 1))
                .fold((f64::MIN, 0), |a, b| if b.0 > a.0 { b } else { a });
            let rejected = if counter.1 > 0 && counter.0 >= sim {
                Some(Rejection::CounterExample {
                    index: counter.1,
                    similarity: counter.0,
                })
            } else if other.1 != usize::MAX && other.0 > sim - settings.margin_other {
                Some(Rejection::CloserToOther {
                    criterion: other.1,
                    similarity: other.0,
                })
            } else {
                baseline_without(k, sim)
                    .filter(|b| sim < b + settings.margin_baseline)
                    .map(|baseline| Rejection::Topical { baseline })
            };
            if rejected.is_some() && !rejections {
                continue;
            }
            out.push(Proposal {
                criterion: c,
                sentence: s,
                example: example + 1,
                similarity: sim,
                aligned: aligned(doc, s, &ex.examples[example]),
                rejected,
            });
        }
    }
    out
}

/// The sentence's content words closest to the example, best first.
fn aligned(doc: &Document, s: u32, example: &Vector) -> Vec<u32> {
    let mut rows = Vec::new();
    let mut scored: Vec<(f64, u32)> = doc.sentences[s as usize]
        .tokens
        .clone()
        .filter(|&t| crate::text::is_content_word(doc.fold(t)))
        .map(|t| {
            rows.clear();
            let tok = &doc.tokens[t];
            super::rows(&doc.text[tok.start as usize..tok.end as usize], &mut rows);
            (Vector::from_rows(&TABLE, &rows).cosine(example), t as u32)
        })
        .collect();
    // Ties by position, so the choice is deterministic.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut words: Vec<u32> = Vec::new();
    for (_, t) in scored {
        if words.len() == ALIGNED_WORDS {
            break;
        }
        // A word repeated in the sentence is named once.
        if !words
            .iter()
            .any(|&w| doc.fold(w as usize) == doc.fold(t as usize))
        {
            words.push(t);
        }
    }
    words
}
