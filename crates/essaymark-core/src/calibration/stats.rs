//! Correlation statistics shared by `rubric calibrate` (a teacher's marks)
//! and `rubric test` / the evaluation test (an examiner's marks): Pearson,
//! average ranks and Spearman's rank correlation.

/// Pearson correlation; `None` when either side is constant.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 2 {
        return None;
    }
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Ranks (1-based), ties sharing their average rank.
pub fn ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut out = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && x[order[j + 1]] == x[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &o in &order[i..=j] {
            out[o] = rank;
        }
        i = j + 1;
    }
    out
}

/// Spearman's rank correlation (Pearson on average ranks).
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    pearson(&ranks(x), &ranks(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn correlations_match_hand_computed_values() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let y = [2.0, 4.0, 5.0, 4.0];
        // r = 3.5 / sqrt(5 * 4.75) = 0.71818
        assert!(close(
            pearson(&x, &y).unwrap(),
            3.5 / (5.0f64 * 4.75).sqrt()
        ));
        // ranks of y: 1, 2.5, 4, 2.5; rho = 3 / sqrt(5 * 4.5) = 0.63246
        assert_eq!(ranks(&y), vec![1.0, 2.5, 4.0, 2.5]);
        assert!(close(
            spearman(&x, &y).unwrap(),
            3.0 / (5.0f64 * 4.5).sqrt()
        ));
        assert_eq!(pearson(&x, &[3.0; 4]), None);
    }

    #[test]
    fn ties_share_their_average_rank_and_spearman_ignores_scale() {
        // Two ties of two: ranks 1.5, 1.5, 3.5, 3.5.
        assert_eq!(ranks(&[5.0, 5.0, 9.0, 9.0]), vec![1.5, 1.5, 3.5, 3.5]);
        // A monotonic but non-linear relation is a perfect rank correlation.
        let x = [1.0, 2.0, 3.0, 10.0];
        let y = [1.0, 4.0, 9.0, 100.0];
        assert!(close(spearman(&x, &y).unwrap(), 1.0));
        assert!(close(spearman(&x, &[4.0, 3.0, 2.0, 1.0]).unwrap(), -1.0));
        assert_eq!(spearman(&[1.0], &[2.0]), None);
    }
}
