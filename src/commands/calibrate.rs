//! `essaymark rubric calibrate`: a teacher's own marks for some essays
//! against essaymark's. Agreement on bands (quadratic weighted kappa, exact
//! and adjacent agreement), on scores (Pearson, Spearman), the mean bias,
//! and the essays where the two disagree most — so a teacher can see whether
//! a rubric marks like they do before trusting it with a class.

use crate::args::{CalibrateArgs, CalibrateFormat};
use crate::batch::pipeline::{grade_input, Input};
use crate::ingest::Limits;
use crate::rubric::Rubric;
use essaymark_core::calibration::{calibrate, Calibration, Pair};
use std::io::{self, Write};
use std::path::Path;

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

/// Run `rubric calibrate`; `Ok(true)` when `--min-kappa` is not met.
pub fn run(args: &CalibrateArgs, rubric: &Rubric, out: &mut dyn Write) -> Result<bool, String> {
    if !(args.out_of.is_finite() && args.out_of > 0.0) {
        return Err(format!("--out-of must be above 0 (got {})", args.out_of));
    }
    let rows = read_scores(&args.scores, args.out_of)?;
    let mut pairs = Vec::with_capacity(rows.len());
    let mut skipped = Vec::new();
    for (file, teacher) in rows {
        let input = Input::File(args.essays.join(&file));
        // A submission that cannot be graded (an empty file, a scan) is
        // left out with a note, as `check` does, and the rest compared.
        let report = match grade_input(rubric, &input, &Limits::default()) {
            Ok(r) => r,
            Err(f) => {
                crate::say!(
                    "essaymark: skipped {}: {} (left out of the calibration)",
                    f.essay,
                    f.error
                );
                skipped.push(format!("{}: {}", f.essay, f.error));
                continue;
            }
        };
        pairs.push(Pair {
            essay: file,
            teacher,
            essaymark: report.score,
            teacher_band: rubric.band_for(teacher).to_string(),
            essaymark_band: report.band.clone(),
        });
    }
    if pairs.is_empty() {
        return Err(match skipped.as_slice() {
            [one] => one.clone(),
            _ => format!("nothing could be graded\n{}", skipped.join("\n")),
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
