//! `essaymark rubric calibrate`: a teacher's own marks for some essays
//! against essaymark's. Agreement on bands (quadratic weighted kappa, exact
//! and adjacent agreement), on scores (Pearson, Spearman), the mean bias,
//! and the essays where the two disagree most — so a teacher can see whether
//! a rubric marks like they do before trusting it with a class.

use crate::batch::pipeline::{grade_input, Input};
use crate::batch::stats::{pearson, spearman};
use crate::ingest::Limits;
use crate::rubric::Rubric;
use serde::Serialize;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

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

/// Read `file,score` rows (a header row is skipped; `#` lines are comments).
pub fn read_scores(path: &Path, out_of: f64) -> Result<Vec<(String, f64)>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 1;
        let record = record.map_err(|e| format!("{}: {e}", path.display()))?;
        let (Some(file), Some(score)) = (record.get(0), record.get(1)) else {
            return Err(format!(
                "{}:{line}: expected two columns, `file,score`",
                path.display()
            ));
        };
        match score.parse::<f64>() {
            Ok(s) if s.is_finite() && (0.0..=out_of).contains(&s) => {
                rows.push((file.to_string(), s / out_of * 100.0))
            }
            Ok(s) => {
                return Err(format!(
                    "{}:{line}: score {s} is outside 0-{out_of} (use --out-of for another scale)",
                    path.display()
                ))
            }
            // The first row may be a header ("file,score").
            Err(_) if i == 0 => {}
            Err(_) => {
                return Err(format!(
                    "{}:{line}: score {score:?} is not a number",
                    path.display()
                ))
            }
        }
    }
    if rows.is_empty() {
        return Err(format!("{}: no scores", path.display()));
    }
    Ok(rows)
}

/// Render for a terminal.
pub fn render_text(c: &Calibration, rubric: &Rubric, out: &mut dyn Write) -> io::Result<()> {
    let opt = |x: Option<f64>| x.map_or_else(|| "n/a".to_string(), |v| format!("{v:.2}"));
    let pct = |x: f64| format!("{:.0}%", x * 100.0);
    writeln!(
        out,
        "Calibration of {} against the teacher's marks ({} essays)\n",
        c.rubric, c.essays
    )?;
    let rows = [
        ("quadratic weighted kappa (bands)", opt(c.kappa)),
        ("exact band agreement", pct(c.exact)),
        ("adjacent band agreement", pct(c.adjacent)),
        ("Pearson r (scores)", opt(c.pearson)),
        ("Spearman rho (scores)", opt(c.spearman)),
        (
            "mean bias (essaymark - teacher)",
            format!("{:+.1} points", c.bias),
        ),
        (
            "mean absolute difference",
            format!("{:.1} points", c.mean_absolute),
        ),
    ];
    for (label, value) in rows {
        writeln!(out, "  {label:<34} {value}")?;
    }
    let bands: Vec<String> = rubric
        .bands
        .iter()
        .map(|b| format!("{} >= {}", b.label, crate::report::fmt_points(b.min)))
        .collect();
    writeln!(out, "\n  bands: {}", bands.join(", "))?;
    if !c.disagreements.is_empty() {
        writeln!(out, "\nLargest disagreements")?;
        writeln!(
            out,
            "  {:<36} {:>7} {:>9} {:>7}  bands (teacher -> essaymark)",
            "essay", "teacher", "essaymark", "diff"
        )?;
        for p in &c.disagreements {
            writeln!(
                out,
                "  {:<36} {:>7.1} {:>9.1} {:>+7.1}  {} -> {}",
                p.essay,
                p.teacher,
                p.essaymark,
                p.essaymark - p.teacher,
                p.teacher_band,
                p.essaymark_band
            )?;
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CalibrateFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// Rubric YAML file or built-in id.
    #[arg(value_name = "FILE")]
    pub rubric: PathBuf,
    /// Folder the essays in the CSV are named relative to.
    #[arg(long, value_name = "DIR")]
    pub essays: PathBuf,
    /// The teacher's marks: CSV rows `file,score` (a header row is fine).
    #[arg(long, value_name = "SCORES.csv")]
    pub scores: PathBuf,
    /// The teacher's scale: marks out of N (scaled to 0-100).
    #[arg(long, value_name = "N", default_value = "100")]
    pub out_of: f64,
    /// Disagreements listed.
    #[arg(long, value_name = "N", default_value = "5")]
    pub top: usize,
    #[arg(long, short, value_enum, default_value = "text")]
    pub format: CalibrateFormat,
    /// Exit with 1 when the kappa is below K (or undefined).
    #[arg(long, value_name = "K")]
    pub min_kappa: Option<f64>,
}

/// Run `rubric calibrate`; `Ok(true)` when `--min-kappa` is not met.
pub fn run(args: &CalibrateArgs, rubric: &Rubric, out: &mut dyn Write) -> Result<bool, String> {
    if !(args.out_of.is_finite() && args.out_of > 0.0) {
        return Err(format!("--out-of must be above 0 (got {})", args.out_of));
    }
    let rows = read_scores(&args.scores, args.out_of)?;
    let mut pairs = Vec::with_capacity(rows.len());
    for (file, teacher) in rows {
        let input = Input::File(args.essays.join(&file));
        let report = grade_input(rubric, &input, &Limits::default())
            .map_err(|f| format!("{}: {}", f.essay, f.error))?;
        pairs.push(Pair {
            essay: file,
            teacher,
            essaymark: report.score,
            teacher_band: rubric.band_for(teacher).to_string(),
            essaymark_band: report.band.clone(),
        });
    }
    let c = calibrate(rubric, pairs, args.top);
    let written = match args.format {
        CalibrateFormat::Text => render_text(&c, rubric, out),
        CalibrateFormat::Json => serde_json::to_writer_pretty(&mut *out, &c)
            .map_err(io::Error::other)
            .and_then(|_| writeln!(out)),
    };
    written.map_err(|e| {
        crate::output::note_write_error(&e);
        e.to_string()
    })?;
    Ok(args
        .min_kappa
        .is_some_and(|k| c.kappa.is_none_or(|v| v < k)))
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

    #[test]
    fn score_files_with_a_header_a_scale_and_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.csv");
        std::fs::write(&p, "file,score\n# a comment\na.txt, 15\nb.txt,20\n").unwrap();
        assert_eq!(
            read_scores(&p, 20.0).unwrap(),
            vec![("a.txt".to_string(), 75.0), ("b.txt".to_string(), 100.0)]
        );
        std::fs::write(&p, "a.txt,15\nb.txt,lots\n").unwrap();
        assert!(read_scores(&p, 20.0)
            .unwrap_err()
            .ends_with(":2: score \"lots\" is not a number"));
        std::fs::write(&p, "a.txt,150\n").unwrap();
        assert!(read_scores(&p, 100.0)
            .unwrap_err()
            .contains("outside 0-100"));
        std::fs::write(&p, "a.txt\n").unwrap();
        assert!(read_scores(&p, 100.0).unwrap_err().contains("two columns"));
    }
}
