//! Class statistics, accumulated one report at a time, and the pairs of
//! submissions found similar (see [`crate::similar`]), added at the end.

use super::{Failure, Report};
use crate::scoring::Status;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CriterionStats {
    pub id: String,
    pub title: String,
    pub met: usize,
    pub partial: usize,
    pub missing: usize,
    /// Share of essays that missed it (0-1).
    pub missed_share: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    pub essays: usize,
    pub failed: usize,
    pub mean: f64,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    /// Essays at or above the rubric's pass mark.
    pub passed: usize,
    pub pass_rate: f64,
    /// Essays that failed a CI threshold (`--fail-under`, ...): the ones
    /// that make the run exit 1.
    pub below_threshold: usize,
    /// Essays per band, in the rubric's band order.
    pub bands: Vec<(String, usize)>,
    /// Per criterion, most missed first.
    pub criteria: Vec<CriterionStats>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<Failure>,
    /// The similarity threshold the batch was compared at (0-1); absent
    /// when submissions were not compared (switched off, or one essay).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity_threshold: Option<f64>,
    /// Pairs of submissions at or above the threshold, most similar first;
    /// absent when submissions were not compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similar: Option<Vec<SimilarPair>>,
}

/// Two submissions of the batch that share much of their text.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SimilarPair {
    pub a: String,
    pub b: String,
    /// Shared 5-word sequences over the sequences of either essay
    /// (Jaccard index, 0-1, three decimals), quotations, the rubric's text
    /// and the class's common phrasing left out.
    pub similarity: f64,
    /// Shared sequences over those of the shorter essay (0-1): near 1 when
    /// one essay is contained in the other.
    pub containment: f64,
    /// 5-word sequences the two essays share.
    pub shared: usize,
    /// The longest shared passages, for the HTML report (not in the JSON).
    #[serde(skip)]
    pub passages: Vec<SharedPassage>,
}

/// A passage two submissions share, as each of them has it.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedPassage {
    pub words: usize,
    pub a: Excerpt,
    pub b: Excerpt,
}

/// A shared passage in one essay, with a little of the text around it.
#[derive(Debug, Clone, PartialEq)]
pub struct Excerpt {
    pub line: usize,
    pub column: usize,
    pub before: String,
    pub shared: String,
    pub after: String,
}

/// Builds a [`Summary`] while reports stream past.
#[derive(Debug, Default)]
pub struct SummaryBuilder {
    scores: Vec<f64>,
    passed: usize,
    below_threshold: usize,
    band_order: Vec<String>,
    bands: BTreeMap<String, usize>,
    criteria: Vec<CriterionStats>,
    failures: Vec<Failure>,
    similarity_threshold: Option<f64>,
    similar: Option<Vec<SimilarPair>>,
}

impl SummaryBuilder {
    pub fn new(band_order: Vec<String>) -> SummaryBuilder {
        SummaryBuilder {
            band_order,
            ..Default::default()
        }
    }

    pub fn add(&mut self, r: &Report) {
        self.scores.push(r.score);
        self.passed += usize::from(r.passed);
        self.below_threshold += usize::from(!r.threshold_failures.is_empty());
        *self.bands.entry(r.band.clone()).or_default() += 1;
        for c in &r.criteria {
            let pos = match self.criteria.iter().position(|s| s.id == c.id) {
                Some(p) => p,
                None => {
                    self.criteria.push(CriterionStats {
                        id: c.id.clone(),
                        title: c.title.clone(),
                        met: 0,
                        partial: 0,
                        missing: 0,
                        missed_share: 0.0,
                    });
                    self.criteria.len() - 1
                }
            };
            let s = &mut self.criteria[pos];
            match c.status {
                Status::Met => s.met += 1,
                Status::Partial => s.partial += 1,
                Status::Missing => s.missing += 1,
            }
        }
    }

    pub fn fail(&mut self, f: Failure) {
        self.failures.push(f);
    }

    /// The batch's submissions were compared at `threshold`: `pairs` are
    /// the similar ones, most similar first.
    pub fn similar(&mut self, threshold: f64, pairs: Vec<SimilarPair>) {
        self.similarity_threshold = Some(threshold);
        self.similar = Some(pairs);
    }

    pub fn build(&self) -> Summary {
        let n = self.scores.len();
        let mut sorted = self.scores.clone();
        sorted.sort_by(f64::total_cmp);
        let round1 = |x: f64| (x * 10.0).round() / 10.0;
        let median = match n {
            0 => 0.0,
            _ if n % 2 == 1 => sorted[n / 2],
            _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        };
        let mut criteria = self.criteria.clone();
        for c in &mut criteria {
            let total = c.met + c.partial + c.missing;
            c.missed_share = if total == 0 {
                0.0
            } else {
                (c.missing as f64 / total as f64 * 1000.0).round() / 1000.0
            };
        }
        // Most missed first; ties keep rubric order (stable sort).
        criteria.sort_by_key(|c| std::cmp::Reverse((c.missing, c.partial)));
        let mut bands: Vec<(String, usize)> = self
            .band_order
            .iter()
            .map(|b| (b.clone(), self.bands.get(b).copied().unwrap_or(0)))
            .collect();
        for (b, count) in &self.bands {
            if !self.band_order.contains(b) {
                bands.push((b.clone(), *count));
            }
        }
        Summary {
            essays: n,
            failed: self.failures.len(),
            mean: if n == 0 {
                0.0
            } else {
                round1(self.scores.iter().sum::<f64>() / n as f64)
            },
            median: round1(median),
            min: sorted.first().copied().unwrap_or(0.0),
            max: sorted.last().copied().unwrap_or(0.0),
            passed: self.passed,
            pass_rate: if n == 0 {
                0.0
            } else {
                (self.passed as f64 / n as f64 * 1000.0).round() / 1000.0
            },
            below_threshold: self.below_threshold,
            bands,
            criteria,
            failures: self.failures.clone(),
            similarity_threshold: self.similarity_threshold,
            similar: self.similar.clone(),
        }
    }
}
