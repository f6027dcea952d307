//! The detector against the labelled evaluation set: precision and recall of
//! "criterion present" over every label must both reach 0.90.

use essaymark::evaluate::{evaluate, load_labels};
use essaymark::rubric::Rubric;
use std::path::Path;

#[test]
fn detector_precision_and_recall_on_labelled_essays() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/eval");
    let labels_path = dir.join("labels.yaml");
    let labels = load_labels(&labels_path).expect("labels load");
    let rubric = Rubric::builtin();
    let eval = evaluate(&rubric, &dir, &labels, &labels_path).expect("evaluation runs");
    assert!(
        eval.essays >= 12,
        "evaluation set has {} essays",
        eval.essays
    );
    for d in &eval.disagreements {
        eprintln!(
            "{:<10} {:<32} {:<26} {}",
            d.kind,
            d.essay,
            d.criterion,
            d.evidence.as_deref().unwrap_or("")
        );
    }
    let (p, r) = (eval.presence.precision(), eval.presence.recall());
    eprintln!(
        "presence: precision {p:.3} recall {r:.3} ({:?})",
        eval.presence
    );
    eprintln!(
        "development: precision {:.3} recall {:.3}",
        eval.development.precision(),
        eval.development.recall()
    );
    assert!(p >= 0.90, "precision {p:.3} below 0.90");
    assert!(r >= 0.90, "recall {r:.3} below 0.90");
}
