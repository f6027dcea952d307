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

use essaymark::commands::evaluate::{evaluate, load_labels, Evaluation};
use essaymark::rubric::Rubric;
use std::path::Path;

/// Lowest acceptable (precision, recall) for presence and for development.
struct Gate {
    presence: (f64, f64),
    development: (f64, f64),
    spearman: f64,
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
    let rho = eval.spearman.unwrap_or(f64::NAN);
    assert!(
        rho >= gate.spearman,
        "{set}: Spearman {rho:.3} below {}",
        gate.spearman
    );
}

// The tuned sets were re-marked to the strict standard of issue #12 (a
// mention, a keyword list, an outline line or a rejected option is not
// present) and given marks, by an examiner who did not run essaymark on
// them. Gates at the levels measured after the re-marking, rounded down:
//   eval          presence P 0.872 R 0.910, development P 0.788 R 0.938, Spearman 0.923
//   eval-climate  presence P 0.906 R 0.957, development P 0.815 R 0.975, Spearman 0.806
//   eval-cpec     presence P 0.932 R 0.959, development P 0.794 R 0.932, Spearman 0.839
// (Under the old lenient labels, before issue #12: eval P 0.963 R 0.928 /
// 0.777 0.939; climate 0.995 1.000 / 0.834 0.945; cpec 0.991 0.995 / 0.796
// 0.926. These are tuned sets: not the product's accuracy.)
#[test]
fn detector_precision_and_recall_on_labelled_essays() {
    gate(
        "pakistan-western-security",
        "eval",
        12,
        Gate {
            presence: (0.87, 0.90),
            development: (0.78, 0.93),
            spearman: 0.91,
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
            presence: (0.90, 0.95),
            development: (0.81, 0.97),
            spearman: 0.80,
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
            presence: (0.93, 0.95),
            development: (0.79, 0.93),
            spearman: 0.83,
        },
    );
}

/// The sets written for issue #12, labelled before any grading. The fresh
/// set was used while writing the rules (it is tuned now) and is gated at
/// its measured level (before the rules: presence P 0.493 R 0.831,
/// development P 0.678 R 0.777, Spearman 0.636; after: P 0.851 R 0.838,
/// development P 0.802 R 0.825, Spearman 0.866). The holdout set was not
/// looked at: it is only reported, its disagreements never printed, and it
/// must keep its marks so Spearman is defined.
#[test]
fn fresh_and_held_out_sets_are_reported() {
    let fresh = run("pakistan-western-security", "eval-fresh", 14, true);
    assert_eq!(
        fresh.marked(),
        fresh.essays,
        "eval-fresh: every essay has a mark"
    );
    let (p, r) = (fresh.presence.precision(), fresh.presence.recall());
    assert!(
        p >= 0.84 && r >= 0.78,
        "eval-fresh presence P {p:.3} R {r:.3}"
    );
    let (p, r) = (fresh.development.precision(), fresh.development.recall());
    assert!(
        p >= 0.79 && r >= 0.80,
        "eval-fresh development P {p:.3} R {r:.3}"
    );
    assert!(
        fresh.spearman.is_some_and(|s| s >= 0.85),
        "eval-fresh Spearman {:?}",
        fresh.spearman
    );
    // Reported only, their disagreements never printed; each must keep its
    // marks so Spearman is defined.
    // - eval-holdout: the first blind set, never tuned on.
    // - eval-holdout2: written and labelled blind by another author (not
    //   the one who writes the rules), measured untuned (presence P 0.828
    //   R 0.764, development P 0.739 R 0.822, Spearman 0.771), tuned on since.
    // - eval-holdout3: a third author's blind set, never tuned on; one of
    //   its essays (many-headings-thin-middling) was read when the
    //   plain-text parser learnt numbered headings over their paragraph
    //   (P 0.812 R 0.836 before, 0.815 R 0.848 after, Spearman 0.723 both).
    // - eval-holdout4: a fourth author's (plain-word answers, contrarian,
    //   filler mixed with argument, name-dropping, a neighbouring topic),
    //   never tuned on.
    // - eval-holdout5: a fifth author's, written before the meaning stage
    //   and never tuned on (measured once at 8964f63: presence P 0.860
    //   R 0.828, development P 0.760 R 0.814, Spearman 0.860).
    // With eval-holdout, 4 and 5 give the product's honest figures.
    for (set, essays) in [
        ("eval-holdout", 8),
        ("eval-holdout2", 14),
        ("eval-holdout3", 14),
        ("eval-holdout4", 14),
        ("eval-holdout5", 12),
    ] {
        let e = run("pakistan-western-security", set, essays, false);
        assert_eq!(e.marked(), e.essays, "{set}: every essay has a mark");
        assert!(e.spearman.is_some(), "{set}: Spearman is defined");
    }
}
