//! The detector against the labelled evaluation sets: precision and recall
//! of "criterion present" over every label must both reach 0.90, for each
//! built-in rubric and its own set (the same code as `essaymark rubric test`).

use essaymark::evaluate::{evaluate, load_labels};
use essaymark::rubric::Rubric;
use std::path::Path;

fn check(rubric_id: &str, set: &str, min_essays: usize) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(set);
    let labels_path = dir.join("labels.yaml");
    let labels = load_labels(&labels_path).expect("labels load");
    let rubric = Rubric::builtin_by_id(rubric_id).expect("built-in rubric");
    let eval = evaluate(&rubric, &dir, &labels, &labels_path).expect("evaluation runs");
    assert!(
        eval.essays >= min_essays,
        "evaluation set has {} essays",
        eval.essays
    );
    for d in &eval.disagreements {
        eprintln!(
            "{:<10} {:<32} {:<26} {}",
            d.kind,
            d.essay,
            d.criterion,
            d.evidence
                .as_deref()
                .or(d.near_miss.as_deref())
                .unwrap_or("")
        );
    }
    let (p, r) = (eval.presence.precision(), eval.presence.recall());
    eprintln!(
        "{rubric_id}: presence: precision {p:.3} recall {r:.3} ({:?})",
        eval.presence
    );
    eprintln!(
        "{rubric_id}: development: precision {:.3} recall {:.3}",
        eval.development.precision(),
        eval.development.recall()
    );
    assert!(p >= 0.90, "{rubric_id}: precision {p:.3} below 0.90");
    assert!(r >= 0.90, "{rubric_id}: recall {r:.3} below 0.90");
}

#[test]
fn detector_precision_and_recall_on_labelled_essays() {
    check("pakistan-western-security", "eval", 12);
}

#[test]
fn climate_economy_precision_and_recall() {
    check("climate-economy", "eval-climate", 12);
}

#[test]
fn cpec_connectivity_precision_and_recall() {
    check("cpec-connectivity", "eval-cpec", 12);
}
