//! Agreement between a teacher's marks and essaymark's scores, for `rubric
//! calibrate`: quadratic weighted kappa on bands, exact and adjacent
//! agreement, Pearson and Spearman on scores, the mean bias, and the
//! largest disagreements. Reading the marks and printing the result are the
//! command's.

pub mod stats;

use crate::rubric::Rubric;
use serde::Serialize;
use stats::{pearson, spearman};

/// One essay marked by both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    pub essay: String,
    /// The teacher's mark, scaled to 0-100.
    pub teacher: f64,
    pub essaymark: f64,
    pub teacher_band: String,
    pub essaymark_band: String,
}

/// Agreement statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    pub rubric: String,
    pub essays: usize,
    /// Quadratic weighted kappa on bands; `None` when it is undefined (one
    /// band only, or every essay in one band for both).
    pub kappa: Option<f64>,
    pub exact: f64,
    pub adjacent: f64,
    pub pearson: Option<f64>,
    pub spearman: Option<f64>,
    /// Mean of essaymark − teacher, in points of 100.
    pub bias: f64,
    pub mean_absolute: f64,
    /// Largest |essaymark − teacher| first.
    pub disagreements: Vec<Pair>,
}

/// Quadratic weighted kappa between two raters' ordinal categories
/// (`0..k`). `None` when undefined.
pub fn quadratic_weighted_kappa(a: &[usize], b: &[usize], k: usize) -> Option<f64> {
    if a.len() != b.len() || a.is_empty() || k < 2 || a.iter().chain(b).any(|&x| x >= k) {
        return None;
    }
    let n = a.len() as f64;
    let mut observed = vec![vec![0.0; k]; k];
    let (mut ha, mut hb) = (vec![0.0; k], vec![0.0; k]);
    for (&x, &y) in a.iter().zip(b) {
        observed[x][y] += 1.0;
        ha[x] += 1.0;
        hb[y] += 1.0;
    }
    let (mut num, mut den) = (0.0, 0.0);
    for i in 0..k {
        for j in 0..k {
            let w = ((i as f64 - j as f64) / (k as f64 - 1.0)).powi(2);
            num += w * observed[i][j];
            den += w * ha[i] * hb[j] / n;
        }
    }
    (den > 0.0).then(|| 1.0 - num / den)
}

/// The band of a score as an ordinal, 0 for the lowest band.
fn band_ordinal(rubric: &Rubric, score: f64) -> usize {
    let k = rubric.bands.len();
    let index = rubric
        .bands
        .iter()
        .position(|b| score >= b.min)
        .unwrap_or(k.saturating_sub(1));
    k.saturating_sub(1) - index
}

/// Compare marks already paired with essaymark's scores.
pub fn calibrate(rubric: &Rubric, pairs: Vec<Pair>, top: usize) -> Calibration {
    let k = rubric.bands.len();
    let tb: Vec<usize> = pairs
        .iter()
        .map(|p| band_ordinal(rubric, p.teacher))
        .collect();
    let eb: Vec<usize> = pairs
        .iter()
        .map(|p| band_ordinal(rubric, p.essaymark))
        .collect();
    let n = pairs.len().max(1) as f64;
    let share = |f: &dyn Fn(usize, usize) -> bool| {
        tb.iter().zip(&eb).filter(|(a, b)| f(**a, **b)).count() as f64 / n
    };
    let t: Vec<f64> = pairs.iter().map(|p| p.teacher).collect();
    let e: Vec<f64> = pairs.iter().map(|p| p.essaymark).collect();
    let diffs: Vec<f64> = e.iter().zip(&t).map(|(a, b)| a - b).collect();
    let mut disagreements = pairs.clone();
    disagreements.sort_by(|a, b| {
        (b.essaymark - b.teacher)
            .abs()
            .total_cmp(&(a.essaymark - a.teacher).abs())
            .then(a.essay.cmp(&b.essay))
    });
    disagreements.truncate(top);
    Calibration {
        rubric: rubric.id.clone(),
        essays: pairs.len(),
        kappa: quadratic_weighted_kappa(&tb, &eb, k),
        exact: share(&|a, b| a == b),
        adjacent: share(&|a, b| a.abs_diff(b) <= 1),
        pearson: pearson(&t, &e),
        spearman: spearman(&t, &e),
        bias: diffs.iter().sum::<f64>() / n,
        mean_absolute: diffs.iter().map(|d| d.abs()).sum::<f64>() / n,
        disagreements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-4
    }

    #[test]
    fn kappa_matches_a_hand_computed_value() {
        // Teacher 0,1,2,2 vs essaymark 0,2,2,1 over three bands:
        // sum(W*O) = 0.25 + 0.25 = 0.5; sum(W*E) = 0.125 + 1 + 0.25 = 1.375;
        // kappa = 1 - 0.5 / 1.375 = 0.63636.
        let k = quadratic_weighted_kappa(&[0, 1, 2, 2], &[0, 2, 2, 1], 3).unwrap();
        assert!(close(k, 1.0 - 0.5 / 1.375), "{k}");
        assert_eq!(
            quadratic_weighted_kappa(&[0, 1, 2], &[0, 1, 2], 3),
            Some(1.0)
        );
        // Complete reversal over the two extremes is perfect disagreement.
        assert_eq!(quadratic_weighted_kappa(&[0, 2], &[2, 0], 3), Some(-1.0));
        // Everyone in one band for both raters: undefined.
        assert_eq!(quadratic_weighted_kappa(&[1, 1], &[1, 1], 3), None);
        assert_eq!(quadratic_weighted_kappa(&[0], &[3], 3), None);
    }

    #[test]
    fn agreement_bias_and_disagreements() {
        let rubric = Rubric::builtin(); // bands 80 / 65 / 50 / 0
        let pair = |essay: &str, teacher: f64, essaymark: f64| Pair {
            essay: essay.into(),
            teacher,
            essaymark,
            teacher_band: rubric.band_for(teacher).into(),
            essaymark_band: rubric.band_for(essaymark).into(),
        };
        let pairs = vec![
            pair("a", 90.0, 85.0), // Excellent / Excellent
            pair("b", 70.0, 55.0), // Good / Adequate: adjacent
            pair("c", 40.0, 82.0), // Needs work / Excellent
            pair("d", 60.0, 60.0), // Adequate / Adequate
        ];
        let c = calibrate(&rubric, pairs, 2);
        assert!(close(c.exact, 0.5));
        assert!(close(c.adjacent, 0.75));
        // (−5 − 15 + 42 + 0) / 4 = 5.5; |..| = 62 / 4 = 15.5
        assert!(close(c.bias, 5.5));
        assert!(close(c.mean_absolute, 15.5));
        let worst: Vec<&str> = c.disagreements.iter().map(|p| p.essay.as_str()).collect();
        assert_eq!(worst, vec!["c", "b"]);
        // Ordinals teacher 3,2,0,1 vs essaymark 3,1,3,1 over four bands:
        // O has (3,3),(2,1),(0,3),(1,1); W = (i−j)²/9.
        // sum(W*O) = 1/9 + 9/9 = 10/9.
        // Marginals: teacher 1,1,1,1; essaymark 0,2,0,2, so E(i,j) = b_j/4
        // and sum(W*E) = 0.5 * sum_i [(i−1)² + (i−3)²] / 9
        //             = 0.5 * (10 + 4 + 2 + 4) / 9 = 10/9: no better than chance.
        assert!(close(c.kappa.unwrap(), 0.0), "{:?}", c.kappa);
    }
}
