//! `explain` renders scoring's own trace: for every labelled essay and every
//! criterion, explain's status and points are check's, a missing criterion
//! has no counted hit, and every evidence quote in check's report is a
//! counted hit (or block) in explain.

use essaymark::batch::grade::{grade_input, Input};
use essaymark::commands::explain::{explain, Node};
use essaymark::ingest::Limits;
use essaymark::rubric::Rubric;
use essaymark::scoring::Status;
use essaymark::text::Document;
use std::path::Path;

/// Every labelled set with the built-in rubric it was written for.
fn sets() -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("tests/fixtures").unwrap() {
        let dir = entry.unwrap().path();
        if !dir.join("labels.yaml").exists() {
            continue;
        }
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let rubric = match name.as_str() {
            "eval-climate" => "climate-economy",
            "eval-cpec" => "cpec-connectivity",
            _ => "pakistan-western-security",
        };
        out.push((rubric, name));
    }
    out.sort();
    out
}

/// Every hit of the tree: (sentence, counted, rule).
fn all_hits<'a>(n: &'a Node, out: &mut Vec<(&'a str, bool, Option<&'static str>)>) {
    for h in &n.hits {
        out.push((h.sentence.as_str(), h.counted, h.rule));
    }
    for c in &n.children {
        all_hits(c, out);
    }
}

fn counted_places(n: &Node, out: &mut Vec<(usize, usize)>) {
    for h in &n.hits {
        if h.counted {
            out.push((h.line, h.column));
        }
    }
    for c in &n.children {
        counted_places(c, out);
    }
}

#[test]
fn explain_agrees_with_check_on_every_labelled_essay() {
    let mut checked = 0;
    for (rubric_id, set) in sets() {
        let rubric = Rubric::builtin_by_id(rubric_id).unwrap();
        let mut essays: Vec<_> = std::fs::read_dir(Path::new("tests/fixtures").join(&set))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("txt" | "md" | "docx" | "odt")
                ) && p.file_name().unwrap() != "README.md"
            })
            .collect();
        essays.sort();
        for path in essays {
            let input = Input::File(path.clone());
            let report = grade_input(&rubric, &input, &Limits::default()).unwrap();
            let doc: Document = essaymark::batch::grade::extract_input(&input, &Limits::default())
                .unwrap()
                .into_document();
            for (i, c) in report.criteria.iter().enumerate() {
                let e = explain(&rubric, &doc, &path.display().to_string(), i);
                let at = format!("{} {}", path.display(), c.id);
                assert_eq!(e.status, c.status, "{at}: status");
                assert_eq!(e.points, c.points, "{at}: points");
                let mut counted = Vec::new();
                for n in e.matched.iter().chain(&e.develop) {
                    counted_places(n, &mut counted);
                }
                counted.extend(
                    e.blocks
                        .iter()
                        .filter(|b| b.counted)
                        .map(|b| (b.line, b.column)),
                );
                // Sentences the meaning stage proposed and a rule counted.
                counted.extend(
                    e.by_meaning
                        .iter()
                        .filter(|h| h.counted)
                        .map(|h| (h.line, h.column)),
                );
                // "another hit in a sentence already counted" only where that
                // sentence is shown counted: explain never contradicts itself.
                let mut hits = Vec::new();
                if let Some(n) = &e.matched {
                    all_hits(n, &mut hits);
                }
                for (sentence, _, rule) in &hits {
                    if *rule == Some("argument/same-sentence") {
                        assert!(
                            hits.iter().any(|(s, counted, _)| *counted && s == sentence),
                            "{at}: {sentence:?} is 'already counted' but no hit in it is"
                        );
                    }
                }
                let mut text = Vec::new();
                essaymark::commands::explain::render_text(&e, &mut text).unwrap();
                let text = String::from_utf8(text).unwrap();
                assert!(
                    !text.chars().any(|ch| ch.is_control() && ch != '\n'),
                    "{at}: a control character in the explanation"
                );
                if c.status == Status::Missing {
                    assert!(
                        counted.is_empty(),
                        "{at}: missing with counted hits {counted:?}"
                    );
                }
                for ev in &c.evidence {
                    assert!(
                        counted.contains(&(ev.line, ev.column)),
                        "{at}: evidence {}:{} {:?} is not a counted hit in explain",
                        ev.line,
                        ev.column,
                        ev.text
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} criteria checked");
}
