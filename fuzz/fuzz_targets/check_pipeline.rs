//! Any text graded with the built-in rubric: scores in bounds, evidence in the text.
#![no_main]
use essaymark::ingest::{extract, Format, Limits};
use essaymark::report::Report;
use essaymark::rubric::Rubric;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static RUBRIC: OnceLock<Rubric> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let rubric = RUBRIC.get_or_init(Rubric::builtin);
    let Ok(ex) = extract(Format::Text, data, &Limits::default()) else { return };
    let doc = ex.into_document();
    let grade = essaymark::scoring::grade(rubric, &doc);
    assert!((0.0..=100.0).contains(&grade.score));
    let report = Report::new("fuzz.txt", Format::Text, Vec::new(), rubric, &doc, &grade);
    let lines = doc.text.split('\n').count();
    for c in &report.criteria {
        assert!(c.points <= c.max_points);
        for e in &c.evidence {
            assert!(e.line >= 1 && e.line <= lines);
        }
    }
});
