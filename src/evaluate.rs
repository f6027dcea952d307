//! Evaluate a rubric against essays an examiner has labelled: precision and
//! recall of the detector, per criterion and overall, with the false hits and
//! misses quoted so phrases can be tuned. The project's own evaluation test
//! and `essaymark rubric test` share this code.

use crate::check::{grade_input, Input};
use crate::ingest::Limits;
use crate::report::Report;
use crate::rubric::Rubric;
use crate::scoring::Status;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// What an examiner marked for one essay.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EssayLabels {
    /// Criteria that earn at least partial credit.
    pub present: Vec<String>,
    /// Criteria that earn full credit (a subset of `present`).
    #[serde(default)]
    pub developed: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelFile {
    pub essays: BTreeMap<String, EssayLabels>,
}

/// Precision / recall counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Counts {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        let d = self.true_positives + self.false_positives;
        if d == 0 {
            1.0
        } else {
            self.true_positives as f64 / d as f64
        }
    }
    pub fn recall(&self) -> f64 {
        let d = self.true_positives + self.false_negatives;
        if d == 0 {
            1.0
        } else {
            self.true_positives as f64 / d as f64
        }
    }
    fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.true_positives += 1,
            (true, false) => self.false_positives += 1,
            (false, true) => self.false_negatives += 1,
            (false, false) => {}
        }
    }
}

/// A disagreement between detector and examiner.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    pub essay: String,
    pub criterion: String,
    /// `false-hit` (found, examiner says absent) or `miss` (examiner says present).
    pub kind: &'static str,
    /// The evidence quoted for a false hit.
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// Presence: detector says met or partial; examiner says present.
    pub presence: Counts,
    /// Development: detector says met; examiner says developed.
    pub development: Counts,
    pub per_criterion: BTreeMap<String, Counts>,
    pub disagreements: Vec<Disagreement>,
    pub essays: usize,
}

/// Why the evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read labels {path}: {reason}")]
    Labels { path: String, reason: String },
    #[error("{path}: labels name unknown criterion `{id}`")]
    UnknownCriterion { path: String, id: String },
    #[error("{essay}: {reason}")]
    Essay { essay: String, reason: String },
}

pub fn load_labels(path: &Path) -> Result<LabelFile, EvalError> {
    let err = |reason: String| EvalError::Labels {
        path: path.display().to_string(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    serde_saphyr::from_str(&text).map_err(|e| err(e.to_string()))
}

/// Grade every labelled essay in `dir` and compare with the labels.
pub fn evaluate(
    rubric: &Rubric,
    dir: &Path,
    labels: &LabelFile,
    labels_path: &Path,
) -> Result<Evaluation, EvalError> {
    for l in labels.essays.values() {
        for id in l.present.iter().chain(&l.developed) {
            if rubric.criterion(id).is_none() {
                return Err(EvalError::UnknownCriterion {
                    path: labels_path.display().to_string(),
                    id: id.clone(),
                });
            }
        }
    }
    let mut eval = Evaluation {
        presence: Counts::default(),
        development: Counts::default(),
        per_criterion: BTreeMap::new(),
        disagreements: Vec::new(),
        essays: 0,
    };
    for (name, label) in &labels.essays {
        let input = Input::File(dir.join(name));
        let report =
            grade_input(rubric, &input, &Limits::default()).map_err(|f| EvalError::Essay {
                essay: f.essay,
                reason: f.error,
            })?;
        eval.essays += 1;
        compare(&mut eval, name, &report, label);
    }
    Ok(eval)
}

fn compare(eval: &mut Evaluation, name: &str, report: &Report, label: &EssayLabels) {
    for c in &report.criteria {
        let predicted = c.status != Status::Missing;
        let actual = label.present.contains(&c.id);
        eval.presence.add(predicted, actual);
        eval.per_criterion
            .entry(c.id.clone())
            .or_default()
            .add(predicted, actual);
        eval.development
            .add(c.status == Status::Met, label.developed.contains(&c.id));
        if predicted != actual {
            eval.disagreements.push(Disagreement {
                essay: name.to_string(),
                criterion: c.id.clone(),
                kind: if predicted { "false-hit" } else { "miss" },
                evidence: c
                    .evidence
                    .first()
                    .map(|e| format!("{}:{} {}", e.line, e.column, e.text)),
            });
        }
    }
}
