//! Evaluate a rubric against essays an examiner has labelled: precision and
//! recall of the detector, per criterion and overall, with the false hits and
//! misses quoted so phrases can be tuned. The project's own evaluation test
//! and `essaymark rubric test` share this code.

use crate::args::{TestArgs, TestFormat};
use crate::batch::pipeline::{extract_input, Input};
use crate::ingest::Limits;
use crate::report::Report;
use crate::rubric::Rubric;
use crate::scoring::{self, Status};
use crate::text::Document;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{self, Write};
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
    /// The examiner's overall mark out of 100, for the rank correlation
    /// between essaymark's score and the examiner's judgment of quality.
    #[serde(default)]
    pub mark: Option<f64>,
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
    /// `false-hit` (found, examiner says absent), `miss` (examiner says
    /// present, nothing found), `over-credit` (full credit, examiner says
    /// only partly made) or `under-credit` (partial, examiner says developed).
    pub kind: &'static str,
    /// The evidence quoted for a false hit.
    pub evidence: Option<String>,
    /// For a miss: what came nearest to matching (see `essaymark explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near_miss: Option<String>,
    /// For an under-credit: why scoring held it to partial credit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// essaymark's score for one essay beside the examiner's mark.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EssayScore {
    pub essay: String,
    pub score: f64,
    pub mark: Option<f64>,
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
    /// Every essay's score, in label order, with the examiner's mark if given.
    pub scores: Vec<EssayScore>,
    /// Spearman's rank correlation between score and mark over the essays
    /// that have a mark; `None` with fewer than two or when either is constant.
    pub spearman: Option<f64>,
}

impl Evaluation {
    /// How many essays carry an examiner's mark.
    pub fn marked(&self) -> usize {
        self.scores.iter().filter(|s| s.mark.is_some()).count()
    }
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
    #[error("{path}: the mark of `{essay}` is {mark}; a mark is out of 100 (0-100)")]
    Mark {
        path: String,
        essay: String,
        mark: f64,
    },
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
    for (essay, l) in &labels.essays {
        if let Some(mark) = l.mark.filter(|m| !(0.0..=100.0).contains(m)) {
            return Err(EvalError::Mark {
                path: labels_path.display().to_string(),
                essay: essay.clone(),
                mark,
            });
        }
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
        scores: Vec::new(),
        spearman: None,
    };
    for (name, label) in &labels.essays {
        let input = Input::File(dir.join(name));
        let essay_error = |reason: String| EvalError::Essay {
            essay: input.display(),
            reason,
        };
        let extracted = extract_input(&input, &Limits::default()).map_err(essay_error)?;
        let (format, warnings) = (extracted.format, extracted.warnings.clone());
        let doc = extracted.into_document();
        let grade = scoring::grade(rubric, &doc);
        let report = Report::new(&input.display(), format, warnings, rubric, &doc, &grade);
        eval.essays += 1;
        eval.scores.push(EssayScore {
            essay: name.clone(),
            score: report.score,
            mark: label.mark,
        });
        compare(&mut eval, name, &report, label, rubric, &doc);
    }
    let (scores, marks): (Vec<f64>, Vec<f64>) = eval
        .scores
        .iter()
        .filter_map(|s| Some((s.score, s.mark?)))
        .unzip();
    eval.spearman = essaymark_core::calibration::stats::spearman(&scores, &marks);
    Ok(eval)
}

fn compare(
    eval: &mut Evaluation,
    name: &str,
    report: &Report,
    label: &EssayLabels,
    rubric: &Rubric,
    doc: &Document,
) {
    for (index, c) in report.criteria.iter().enumerate() {
        let predicted = c.status != Status::Missing;
        let actual = label.present.contains(&c.id);
        eval.presence.add(predicted, actual);
        eval.per_criterion
            .entry(c.id.clone())
            .or_default()
            .add(predicted, actual);
        let full = c.status == Status::Met;
        let developed = label.developed.contains(&c.id);
        eval.development.add(full, developed);
        let quote = || {
            c.evidence
                .first()
                .map(|e| format!("{}:{} {}", e.line, e.column, e.text))
        };
        if predicted && actual && full != developed {
            eval.disagreements.push(Disagreement {
                essay: name.to_string(),
                criterion: c.id.clone(),
                kind: if full { "over-credit" } else { "under-credit" },
                evidence: quote(),
                near_miss: None,
                note: (!full).then(|| c.note.clone()).flatten(),
            });
        }
        if predicted != actual {
            eval.disagreements.push(Disagreement {
                essay: name.to_string(),
                criterion: c.id.clone(),
                kind: if predicted { "false-hit" } else { "miss" },
                evidence: quote(),
                // A miss is tuned from what almost matched.
                near_miss: (!predicted)
                    .then(|| crate::scoring::nearmiss::nearest_miss(rubric, doc, index))
                    .flatten()
                    .map(|n| format!("{}:{} \"{}\": {}", n.line, n.column, n.phrase, n.why)),
                note: None,
            });
        }
    }
}

/// Render an evaluation for a terminal: per-criterion precision and recall,
/// the totals, then every disagreement quoted.
pub fn render_text(eval: &Evaluation, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{:<34} {:>3} {:>3} {:>3}  {:>9}  {:>6}",
        "criterion", "tp", "fp", "fn", "precision", "recall"
    )?;
    for (id, c) in &eval.per_criterion {
        let flag = if c.precision() < 0.9 || c.recall() < 0.9 {
            "  <"
        } else {
            ""
        };
        writeln!(
            out,
            "{:<34} {:>3} {:>3} {:>3}  {:>9.2}  {:>6.2}{flag}",
            id,
            c.true_positives,
            c.false_positives,
            c.false_negatives,
            c.precision(),
            c.recall()
        )?;
    }
    writeln!(
        out,
        "\npresence     precision {:.3}  recall {:.3}  ({} essays, {} labels)",
        eval.presence.precision(),
        eval.presence.recall(),
        eval.essays,
        eval.presence.true_positives + eval.presence.false_negatives
    )?;
    writeln!(
        out,
        "development  precision {:.3}  recall {:.3}",
        eval.development.precision(),
        eval.development.recall()
    )?;
    if eval.marked() > 0 {
        let rho = eval
            .spearman
            .map_or_else(|| "undefined".to_string(), |r| format!("{r:.3}"));
        writeln!(
            out,
            "score / examiner's mark  Spearman rho {rho}  ({} marked essays)",
            eval.marked()
        )?;
    }
    for (kind, heading) in [
        (
            "false-hit",
            "False hits (found, but the examiner says absent)",
        ),
        ("miss", "Misses (the examiner says present, nothing found)"),
        (
            "over-credit",
            "Over-credited (full credit, but the examiner says only partly made)",
        ),
        (
            "under-credit",
            "Under-credited (partial credit, but the examiner says developed)",
        ),
    ] {
        let list: Vec<&Disagreement> = eval
            .disagreements
            .iter()
            .filter(|d| d.kind == kind)
            .collect();
        if list.is_empty() {
            continue;
        }
        writeln!(out, "\n{heading}")?;
        for d in list {
            writeln!(out, "  {}  {}", d.essay, d.criterion)?;
            if let Some(e) = &d.evidence {
                writeln!(out, "      {e}")?;
            }
            if let Some(n) = &d.note {
                writeln!(out, "      held to partial: {n}")?;
            }
            match (&d.near_miss, kind) {
                (Some(n), _) => writeln!(out, "      nearest: {n}")?,
                (None, "miss") => writeln!(
                    out,
                    "      nothing close: add the student's wording to `match`"
                )?,
                _ => {}
            }
        }
    }
    Ok(())
}

/// Run `rubric test`; `Ok(true)` when a `--min-*` threshold is not met, or
/// with `--adversarial` when an attack scores above its limit.
pub fn run(args: &TestArgs, rubric: &Rubric, out: &mut dyn Write) -> Result<bool, String> {
    if args.adversarial {
        return run_adversarial(args, rubric, out);
    }
    let (Some(essays), Some(labels_path)) = (&args.essays, &args.labels) else {
        return Err("rubric test needs --essays and --labels (or --adversarial --model)".into());
    };
    let labels = load_labels(labels_path).map_err(|e| e.to_string())?;
    let eval = evaluate(rubric, essays, &labels, labels_path).map_err(|e| e.to_string())?;
    let written = match args.format {
        TestFormat::Text => render_text(&eval, out),
        TestFormat::Json => serde_json::to_writer_pretty(&mut *out, &eval)
            .map_err(io::Error::other)
            .and_then(|_| writeln!(out)),
    };
    written.map_err(|e| {
        crate::output::note_write_error(&e);
        e.to_string()
    })?;
    let below = args
        .min_precision
        .is_some_and(|p| eval.presence.precision() < p)
        || args.min_recall.is_some_and(|r| eval.presence.recall() < r);
    Ok(below)
}

fn run_adversarial(args: &TestArgs, rubric: &Rubric, out: &mut dyn Write) -> Result<bool, String> {
    let Some(model_path) = &args.model else {
        return Err("--adversarial needs --model FILE (a model answer)".into());
    };
    let input = Input::File(model_path.clone());
    let model = extract_input(&input, &Limits::default())
        .map_err(|e| format!("{}: {e}", input.display()))?
        .into_document();
    let thresholds = crate::adversarial::Thresholds {
        max_attack_score: args.max_attack_score,
        max_attack_fraction: args.max_attack_fraction,
    };
    let report = crate::adversarial::attack(rubric, &model, &input.display(), thresholds)?;
    let written = match args.format {
        TestFormat::Text => crate::adversarial::render_text(&report, out),
        TestFormat::Json => serde_json::to_writer_pretty(&mut *out, &report)
            .map_err(io::Error::other)
            .and_then(|_| writeln!(out)),
    };
    written.map_err(|e| e.to_string())?;
    Ok(report.above > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_give_precision_and_recall() {
        let mut c = Counts::default();
        for (p, a) in [
            (true, true),
            (true, true),
            (true, false),
            (false, true),
            (false, false),
        ] {
            c.add(p, a);
        }
        assert_eq!(
            (c.true_positives, c.false_positives, c.false_negatives),
            (2, 1, 1)
        );
        assert!((c.precision() - 2.0 / 3.0).abs() < 1e-9);
        assert!((c.recall() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(Counts::default().precision(), 1.0);
    }

    #[test]
    fn misses_are_quoted_with_what_came_nearest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.txt"),
            "Introduction\n\nThe line that Durand drew still divides the Pashtun tribes today.\n",
        )
        .unwrap();
        let rubric = crate::rubric::load_str(
            "id: t\ntitle: T\nsections:\n  - id: s\n    title: S\n    criteria:\n      - id: durand\n        points: 2\n        match: [Durand Line]\n",
            "t.yaml",
        )
        .unwrap();
        let labels: LabelFile =
            serde_saphyr::from_str("essays:\n  a.txt: {present: [durand]}\n").unwrap();
        let eval = evaluate(&rubric, dir.path(), &labels, Path::new("labels.yaml")).unwrap();
        assert_eq!(eval.presence.false_negatives, 1);
        let d = &eval.disagreements[0];
        assert_eq!(d.kind, "miss");
        assert_eq!(
            d.near_miss.as_deref(),
            Some("3:15 \"Durand Line\": every word of the phrase is in this sentence, but not together in that order")
        );
        let mut out = Vec::new();
        render_text(&eval, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("durand                               0   0   1       1.00    0.00  <"),
            "{text}"
        );
        assert!(text.contains("nearest: 3:15"), "{text}");
    }

    fn one_criterion_rubric() -> Rubric {
        crate::rubric::load_str(
            "id: t\ntitle: T\nsections:\n  - id: s\n    title: S\n    criteria:\n      - id: durand\n        points: 2\n        match: [Durand Line]\n",
            "t.yaml",
        )
        .unwrap()
    }

    #[test]
    fn marks_give_a_rank_correlation_with_the_score() {
        let dir = tempfile::tempdir().unwrap();
        let line = "The Durand Line was drawn in 1893 and Kabul has never accepted it.\n";
        std::fs::write(dir.path().join("a.txt"), "Nothing relevant here at all.\n").unwrap();
        std::fs::write(dir.path().join("b.txt"), line).unwrap();
        std::fs::write(dir.path().join("c.txt"), line.repeat(3)).unwrap();
        let labels: LabelFile = serde_saphyr::from_str(
            "essays:\n  a.txt: {present: [], mark: 10}\n  b.txt: {present: [durand], mark: 60}\n  c.txt: {present: [durand], developed: [durand], mark: 90}\n",
        )
        .unwrap();
        let eval = evaluate(
            &one_criterion_rubric(),
            dir.path(),
            &labels,
            Path::new("l.yaml"),
        )
        .unwrap();
        assert_eq!(eval.marked(), 3);
        let names: Vec<&str> = eval.scores.iter().map(|s| s.essay.as_str()).collect();
        assert_eq!(names, ["a.txt", "b.txt", "c.txt"]);
        assert_eq!(eval.scores[0].score, 0.0);
        let rho = eval.spearman.expect("three marked essays");
        assert!(rho > 0.8, "{rho} {:?}", eval.scores);
        let mut out = Vec::new();
        render_text(&eval, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("Spearman rho"), "{text}");
        assert!(text.contains("(3 marked essays)"), "{text}");
    }

    #[test]
    fn a_mark_outside_0_to_100_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Text.\n").unwrap();
        let labels: LabelFile =
            serde_saphyr::from_str("essays:\n  a.txt: {present: [], mark: 140}\n").unwrap();
        let err = evaluate(
            &one_criterion_rubric(),
            dir.path(),
            &labels,
            Path::new("l.yaml"),
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "l.yaml: the mark of `a.txt` is 140; a mark is out of 100 (0-100)"
        );
    }
}
