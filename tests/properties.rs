//! Invariants of grading, checked on generated essays (proptest):
//! scores stay in bounds, grading is deterministic, adding an argument never
//! lowers the score, reordering unrelated paragraphs changes no theme, and
//! every evidence position points at the quoted text.

use essaymark::ingest::{extract, Format, Limits};
use essaymark::report::Report;
use essaymark::rubric::Rubric;
use essaymark::scoring::{grade, Status};
use proptest::prelude::*;
use std::sync::OnceLock;

fn rubric() -> &'static Rubric {
    static R: OnceLock<Rubric> = OnceLock::new();
    R.get_or_init(Rubric::builtin)
}

fn report(text: &str) -> Report {
    let ex = extract(Format::Text, text.as_bytes(), &Limits::default()).expect("text extracts");
    let doc = ex.into_document();
    let g = grade(rubric(), &doc);
    Report::new("essay.txt", Format::Text, Vec::new(), rubric(), &doc, &g)
}

/// Paragraphs mixing on-topic sentences, filler and noise.
const SENTENCES: &[&str] = &[
    "The TTP regrouped in Afghan sanctuaries after 2021 and attacks in Khyber Pakhtunkhwa rose sharply.",
    "ISIS-K recruits defectors and favours mass-casualty bombings.",
    "The Durand Line is not recognised by the Taliban, who oppose the fence.",
    "Millions of Afghan refugees strain Pakistan's economy and security.",
    "Chinese engineers on CPEC projects have been attacked by militants.",
    "Border closures at Torkham halted trade and cost traders millions.",
    "From a realist perspective, states pursue survival and national interest.",
    "Stephen Walt argues that states balance against threats.",
    "Pakistan should pursue conditional engagement with Kabul.",
    "The weather was pleasant and the market was busy.",
    "Cricket remains the most popular sport in the country.",
    "TTP, ISIS-K, CPEC and refugees are problems.",
    "Introduction",
    "Conclusion",
    "- smuggling of arms and narcotics",
    "Aspect\tBefore\tAfter",
    "DATE: ___/___/___",
];

fn essay() -> impl Strategy<Value = Vec<Vec<usize>>> {
    prop::collection::vec(prop::collection::vec(0..SENTENCES.len(), 1..5), 1..12)
}

/// Index `usize::MAX` stands for a developed Durand Line argument. It names
/// Pakistan, the question's subject: an argument that does not can make an
/// essay off-focus (topic/off-focus), which rightly lowers it.
const ARGUMENT: &str =
    "The Taliban refuse to recognise the Durand Line as Pakistan's international border. \
    That colonial boundary of 1893 remains disputed and every fence post becomes a flashpoint.";

fn render(paras: &[Vec<usize>]) -> String {
    paras
        .iter()
        .map(|p| {
            p.iter()
                .map(|&i| SENTENCES.get(i).copied().unwrap_or(ARGUMENT))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
        + "\n"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn scores_and_points_stay_in_bounds(paras in essay()) {
        let r = report(&render(&paras));
        prop_assert!((0.0..=100.0).contains(&r.score));
        for c in &r.criteria {
            prop_assert!(c.points >= 0.0 && c.points <= c.max_points, "{}: {} of {}", c.id, c.points, c.max_points);
            match c.status {
                Status::Missing => prop_assert!(c.points == 0.0, "{}", c.id),
                Status::Met => prop_assert!(c.points == c.max_points, "{}", c.id),
                Status::Partial => prop_assert!(c.points < c.max_points || c.max_points == 0.0, "{}", c.id),
            }
        }
        let sum: f64 = r.criteria.iter().map(|c| c.points).sum();
        prop_assert!((sum - r.points).abs() < 0.02);
    }

    #[test]
    fn grading_is_deterministic(paras in essay()) {
        let text = render(&paras);
        let a = serde_json::to_string(&report(&text)).unwrap();
        let b = serde_json::to_string(&report(&text)).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn adding_a_developed_argument_never_loses_an_argument(paras in essay()) {
        // Inserted in the body: the first block may be the title and the
        // last ones the conclusion, whose structure checks (rightly) depend
        // on what opens and closes the essay.
        // Tables and headings are kept out: a paragraph dropped between two
        // table rows splits the table, which is a structural change.
        let paras: Vec<Vec<usize>> = paras
            .into_iter()
            .map(|p| p.into_iter().filter(|&i| i < 12 || i == 14).collect::<Vec<_>>())
            .filter(|p| !p.is_empty())
            .collect();
        prop_assume!(!paras.is_empty());
        let before = report(&render(&paras));
        let mut with_argument = paras.clone();
        let at = (with_argument.len() / 2).max(1).min(with_argument.len());
        with_argument.insert(at, vec![usize::MAX]);
        let after = report(&render(&with_argument));
        // Inserted between two paragraphs of one argument it may split it
        // (argument/scattered: met becomes partial), so in the middle it
        // never loses a theme; after the body it never loses a point of one.
        let present = |r: &Report| {
            r.criteria
                .iter()
                .filter(|c| (c.kind == "theme" || c.kind == "lens") && c.status != Status::Missing)
                .count()
        };
        prop_assert!(present(&after) >= present(&before), "{} -> {}", present(&before), present(&after));
        let mut appended = paras.clone();
        appended.push(vec![usize::MAX]);
        let appended = report(&render(&appended));
        let argued = |r: &Report| -> f64 {
            r.criteria
                .iter()
                .filter(|c| c.kind == "theme" || c.kind == "lens")
                .map(|c| c.points)
                .sum()
        };
        prop_assert!(argued(&appended) >= argued(&before), "{} -> {}", argued(&before), argued(&appended));
    }

    #[test]
    fn reordering_paragraphs_keeps_theme_presence(paras in essay(), seed in any::<u64>()) {
        // Paragraphs only: headings and tables carry position-dependent meaning.
        let plain: Vec<Vec<usize>> = paras
            .into_iter()
            .map(|p| p.into_iter().filter(|&i| i < 12).collect::<Vec<_>>())
            .filter(|p| !p.is_empty())
            .collect();
        prop_assume!(!plain.is_empty());
        // The first line stays first: it may be the title, which is not evidence.
        let mut shuffled = plain.clone();
        let n = shuffled.len();
        shuffled[1..].rotate_left((seed as usize) % n.max(1));
        let a = report(&render(&plain));
        let b = report(&render(&shuffled));
        // Order decides whether an argument's sentences stand together
        // (argument/scattered: met or partial), never whether it is present.
        for (x, y) in a.criteria.iter().zip(&b.criteria) {
            if x.kind == "theme" || x.kind == "lens" {
                prop_assert_eq!(x.status == Status::Missing, y.status == Status::Missing, "{}", x.id);
            }
        }
    }

    #[test]
    fn evidence_positions_point_at_the_quoted_text(paras in essay()) {
        let text = render(&paras);
        let r = report(&text);
        let lines: Vec<&str> = text.lines().collect();
        for c in &r.criteria {
            for e in &c.evidence {
                let line = lines[e.line - 1];
                let at: String = line.chars().skip(e.column - 1).collect();
                let quoted: String = e.text.split_whitespace().collect::<Vec<_>>().join(" ");
                let rest: String = text.lines().skip(e.line - 1).collect::<Vec<_>>().join(" ");
                let rest: String = rest.split_whitespace().collect::<Vec<_>>().join(" ");
                prop_assert!(!at.is_empty(), "{}: {}:{} is past the end of the line", c.id, e.line, e.column);
                prop_assert!(rest.contains(quoted.trim_end_matches('…')), "{}: quote not found from line {}", c.id, e.line);
            }
        }
    }
}

/// `essaymark check ARGS` run from the repository root with `threads`
/// rayon workers; stdout.
fn check_with_threads(threads: usize, args: &[&str]) -> Vec<u8> {
    let out = assert_cmd::Command::cargo_bin("essaymark")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("RAYON_NUM_THREADS", threads.to_string())
        .args(["check", "--no-config", "--color", "never"])
        .args(args)
        .timeout(std::time::Duration::from_secs(300))
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    out.stdout
}

/// A batch is graded in parallel; its output must not depend on how many
/// threads grade it, for every format that lists essays in order.
#[test]
fn output_is_identical_across_thread_counts() {
    for format in ["json", "text", "csv"] {
        let args = ["samples", "tests/fixtures/eval", "--format", format];
        let one = check_with_threads(1, &args);
        assert!(!one.is_empty());
        for threads in [2, 4] {
            assert!(
                one == check_with_threads(threads, &args),
                "--format {format}: 1 thread and {threads} threads differ"
            );
        }
    }
}

/// An essay's report does not depend on the other inputs of its batch:
/// graded alone, or beside files that fail, it is the same report.
#[test]
fn a_failing_neighbour_never_changes_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("samples/average.txt"), dir.path().join("b.txt")).unwrap();
    std::fs::write(dir.path().join("a.txt"), b"").unwrap();
    std::fs::write(dir.path().join("c.docx"), b"not a zip").unwrap();
    let run = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("essaymark")
            .unwrap()
            .current_dir(dir.path())
            .args(["check", "--format", "jsonl"])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let alone = run(&["b.txt"]);
    let batch = run(&["."]);
    let alone_line = alone
        .lines()
        .next()
        .unwrap()
        .replace("\"b.txt\"", "\"./b.txt\"");
    assert!(
        batch.lines().any(|l| l == alone_line),
        "alone:\n{alone}\nbatch:\n{batch}"
    );
}

/// The case proptest found: bullet notes, then one shorter paragraph. The
/// bullets are notes, not the plan of that paragraph (a plan comes before
/// an essay longer than itself), so the paragraph adds and takes nothing.
#[test]
fn a_short_paragraph_after_bullet_notes_keeps_the_notes_credit() {
    let notes = vec![vec![14], vec![14, 0], vec![14]];
    let mut with = notes.clone();
    with.push(vec![usize::MAX]);
    let points = |r: &Report, id: &str| {
        r.criteria
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.points)
            .unwrap()
    };
    let (before, after) = (report(&render(&notes)), report(&render(&with)));
    for id in ["ttp-revival", "hybrid-threats"] {
        assert!(points(&before, id) > 0.0, "{id}");
        assert_eq!(points(&after, id), points(&before, id), "{id}");
    }
    assert!(points(&after, "durand-line") > 0.0);
}
