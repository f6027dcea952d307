//! The detector against the labelled evaluation sets (the same code as
//! `essaymark rubric test`). For each set it prints presence precision and
//! recall (at least partial credit), development precision and recall (full
//! credit) and, where the examiner gave marks, Spearman's rank correlation
//! between the score and the mark.
//!
//! The sets the rules were tuned on (`eval`, `eval-climate`, `eval-cpec`)
//! are gated on presence and development. The sets written for issue #12
//! (`eval-fresh`, and `eval-holdout`, which nobody looks at while tuning)
//! are only reported for now: their gates come with the scoring changes.
//! See the figures with `cargo test --test evaluation -- --nocapture`.

use essaymark::evaluate::{evaluate, load_labels, Evaluation};
use essaymark::rubric::Rubric;
use std::path::Path;

/// Lowest acceptable (precision, recall) for presence and for development.
struct Gate {
    presence: (f64, f64),
    development: (f64, f64),
}

/// Grade a labelled set and print its figures; `quote` also prints every
/// disagreement (never for the held-out set, so that it is not tuned to).
fn run(rubric_id: &str, set: &str, min_essays: usize, quote: bool) -> Evaluation {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(set);
    let labels_path = dir.join("labels.yaml");
    let labels = load_labels(&labels_path).expect("labels load");
    let rubric = Rubric::builtin_by_id(rubric_id).expect("built-in rubric");
    let eval = evaluate(&rubric, &dir, &labels, &labels_path).expect("evaluation runs");
    assert!(
        eval.essays >= min_essays,
        "{set}: evaluation set has {} essays",
        eval.essays
    );
    if quote {
        for d in &eval.disagreements {
            eprintln!(
                "{set}: {:<12} {:<34} {:<24} {}",
                d.kind,
                d.essay,
                d.criterion,
                d.evidence
                    .as_deref()
                    .or(d.near_miss.as_deref())
                    .unwrap_or("")
            );
        }
    }
    let rho = eval
        .spearman
        .map_or_else(|| "n/a (no marks)".to_string(), |r| format!("{r:.3}"));
    eprintln!(
        "{set:<13} ({rubric_id}, {} essays): presence P {:.3} R {:.3} | development P {:.3} R {:.3} | Spearman(score, mark) {rho}",
        eval.essays,
        eval.presence.precision(),
        eval.presence.recall(),
        eval.development.precision(),
        eval.development.recall(),
    );
    eval
}

fn gate(rubric_id: &str, set: &str, min_essays: usize, gate: Gate) {
    let eval = run(rubric_id, set, min_essays, true);
    for (what, counts, (min_p, min_r)) in [
        ("presence", eval.presence, gate.presence),
        ("development", eval.development, gate.development),
    ] {
        let (p, r) = (counts.precision(), counts.recall());
        assert!(p >= min_p, "{set}: {what} precision {p:.3} below {min_p}");
        assert!(r >= min_r, "{set}: {what} recall {r:.3} below {min_r}");
    }
}

// Gates at the levels measured when development was first gated (issue #12,
// before its scoring changes), rounded down to two decimals:
//   eval          presence P 0.963 R 0.928, development P 0.777 R 0.939
//   eval-climate  presence P 0.995 R 1.000, development P 0.834 R 0.945
//   eval-cpec     presence P 0.991 R 0.995, development P 0.796 R 0.926
#[test]
fn detector_precision_and_recall_on_labelled_essays() {
    gate(
        "pakistan-western-security",
        "eval",
        12,
        Gate {
            presence: (0.96, 0.92),
            development: (0.77, 0.93),
        },
    );
}

#[test]
fn climate_economy_precision_and_recall() {
    gate(
        "climate-economy",
        "eval-climate",
        12,
        Gate {
            presence: (0.99, 1.00),
            development: (0.83, 0.94),
        },
    );
}

#[test]
fn cpec_connectivity_precision_and_recall() {
    gate(
        "cpec-connectivity",
        "eval-cpec",
        12,
        Gate {
            presence: (0.99, 0.99),
            development: (0.79, 0.92),
        },
    );
}

/// The sets written for issue #12, labelled before any grading: reported,
/// not gated yet. Every essay carries the examiner's mark, so Spearman is
/// defined; the test fails only if a set stops loading or loses essays.
#[test]
fn fresh_and_held_out_sets_are_reported() {
    for (set, min_essays, quote) in [("eval-fresh", 14, true), ("eval-holdout", 8, false)] {
        let eval = run("pakistan-western-security", set, min_essays, quote);
        assert_eq!(eval.marked(), eval.essays, "{set}: every essay has a mark");
        assert!(eval.spearman.is_some(), "{set}: Spearman is defined");
    }
}
