//! The thresholds that fail a run (`fail_under`, `max_missing_required`),
//! each remembering the setting it came from so a failure can name it.

use crate::report::{Report, ThresholdFailure};

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
