//! The bodies of the fuzz targets, shared by `cargo fuzz` (fuzz/fuzz_targets/*)
//! and the stable-toolchain harness in tests/hostile.rs, so both run exactly
//! the same code and check the same invariants. Every body returns normally
//! for any input; a panic (or a sanitizer report) is a bug.

#![allow(dead_code)]

use essaymark::ingest::{extract, Format, Limits};
use essaymark::report::{
    CsvRenderer, Failure, GithubRenderer, HtmlRenderer, JsonLinesRenderer, JsonRenderer,
    JunitRenderer, MarkdownRenderer, Renderer, Report, SarifRenderer, SummaryBuilder, TextRenderer,
};
use essaymark::rubric::{self, Rubric};
use std::sync::OnceLock;

/// Smaller than the defaults so the fuzzer spends its time on structure,
/// not on inflating big archives; the code paths are the same.
pub const FUZZ_LIMITS: Limits = Limits {
    max_file_bytes: 1 << 20,
    max_unpacked_bytes: 4 << 20,
};

/// The formats a leading selector byte picks from.
pub const FORMATS: [Format; 4] = [Format::Text, Format::Markdown, Format::Docx, Format::Odt];

/// A rubric that uses every kind of match expression and structure check,
/// so the pipeline target exercises all of matching and scoring, not only
/// what the built-in rubric happens to use.
pub const EXERCISE_RUBRIC: &str = r#"
id: exercise
title: Every matcher
settings: {min_hits: 2, reporting_verbs: [opines]}
bands: [{min: 50, label: Pass}, {min: 0, label: Fail}]
sections:
  - id: lens
    title: Lens
    kind: lens
    criteria:
      - id: realism
        points: 3
        match: [realis*, {phrase: "balance of power", fuzzy: false}]
        develop: [surviv*, interest*]
  - id: themes
    title: Themes
    criteria:
      - id: regex
        points: 2
        match: {regex: "\\b(19|20)\\d\\d\\b"}
      - id: sentence
        points: 2
        match: {all: [[border, frontier], [trade*, fence]], within: sentence}
      - id: paragraph
        points: 2
        match: {all: [refugee*, [econom*, cost*]], within: paragraph}
      - id: section
        points: 2
        match: {all: [taliban, pakistan], within: section}
      - id: window
        points: 2
        match: {all: [attack*, [rise, rose, risen]], within: "5 words"}
      - id: fuzzy
        points: 2
        match: [Afghanistan, Khyber Pakhtunkhwa, Durand Line]
  - id: scholars
    title: Scholars
    kind: scholar
    criteria:
      - {id: walt, name: Stephen Walt, aliases: [Walt], points: 2}
      - {id: jervis, name: Robert Jervis, points: 2, attribution: false}
  - id: structure
    title: Structure
    kind: structure
    criteria:
      - {id: intro, points: 1, check: introduction}
      - {id: outro, points: 1, check: conclusion}
      - {id: outline, points: 1, check: outline}
      - {id: headings, points: 1, check: {headings: {min: 2}}}
      - {id: words, points: 1, check: {words: {min: 5, max: 50}}}
      - {id: paras, points: 1, check: {paragraphs: {min: 2}}}
      - {id: table, points: 1, check: {table: {min_rows: 2, min_columns: 2}}}
"#;

fn rubrics() -> &'static [Rubric; 2] {
    static R: OnceLock<[Rubric; 2]> = OnceLock::new();
    R.get_or_init(|| {
        let exercise = rubric::load_str(EXERCISE_RUBRIC, "exercise.yaml")
            .unwrap_or_else(|e| panic!("the exercise rubric loads: {e}"));
        [Rubric::builtin(), exercise]
    })
}

/// Any bytes as a rubric: `Ok`, or errors that each carry a line and column
/// inside the file and render without panicking.
pub fn rubric_loader(data: &[u8]) {
    let Ok(yaml) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(errors) = rubric::load_str(yaml, "fuzz.yaml") {
        assert!(!errors.0.is_empty(), "an Err carries at least one error");
        // Lines as YAML counts them: a lone '\r' ends a line too.
        let lines = yaml.replace("\r\n", "\n").split(['\r', '\n']).count();
        for e in &errors.0 {
            assert!(e.line >= 1 && e.column >= 1, "{e}");
            // A position one past the end is where an unexpected end of
            // input is reported.
            assert!(e.line <= lines + 1, "{e} (the file has {lines} lines)");
            if e.line < lines {
                assert!(e.source_line.is_some(), "{e}: no source line shown");
            }
            let _ = e.render_snippet();
        }
    }
}

/// Any bytes as a .txt, .md, .docx or .odt submission (the first byte picks
/// the format): text with valid blocks and positions, or an error.
pub fn ingest(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let format = FORMATS[selector as usize % FORMATS.len()];
    let Ok(ex) = extract(format, bytes, &FUZZ_LIMITS) else {
        return;
    };
    check_extracted(ex);
}

/// Any bytes as a .pdf (odd selector byte): the reader in-process (no
/// helper binary here; a reader panic the fuzzer finds is one the child
/// process contains in production, worth reporting upstream), then the
/// layout cleaning. With an even selector, the bytes as the reader's text,
/// through the cleaning alone: page numbers, hyphens, list items.
pub fn pdf(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    if selector % 2 == 0 {
        let raw = String::from_utf8_lossy(bytes);
        let text = essaymark::ingest::pdf::clean_text(&raw);
        assert!(!text.contains("\n\n\n"), "at most one blank line");
        assert!(
            text.len() <= raw.len() + 1,
            "cleaning never grows text much"
        );
        return;
    }
    if let Ok(ex) = extract(Format::Pdf, bytes, &FUZZ_LIMITS) {
        check_extracted(ex);
    }
}

fn check_extracted(ex: essaymark::ingest::Extracted) {
    assert!(!ex.text.trim().is_empty(), "blank text is an error");
    assert!(ex.text.len() as u64 <= FUZZ_LIMITS.max_file_bytes);
    for b in &ex.blocks {
        assert!(
            b.span.start <= b.span.end && b.span.end <= ex.text.len(),
            "block {:?} outside text of {} bytes",
            b.span,
            ex.text.len()
        );
        assert!(ex.text.is_char_boundary(b.span.start) && ex.text.is_char_boundary(b.span.end));
        for c in &b.cells {
            assert!(b.span.start <= c.start && c.start <= c.end && c.end <= b.span.end);
        }
    }
    let doc = ex.into_document();
    for t in doc.tokens.iter().take(256) {
        let pos = doc.origin.line_col(&doc.text, t.start as usize);
        assert!(pos.line >= 1 && pos.column >= 1);
    }
}

/// Any bytes as a submission (first byte picks the format), graded with the
/// built-in rubric and a rubric that uses every matcher, and rendered in
/// every output format: scores in bounds, evidence inside the essay, and
/// every report written without error.
pub fn check_pipeline(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let format = FORMATS[selector as usize % FORMATS.len()];
    let Ok(ex) = extract(format, bytes, &FUZZ_LIMITS) else {
        return;
    };
    let warnings = ex.warnings.clone();
    let doc = ex.into_document();
    // Lines of the file positions refer to: the source for text formats
    // (Markdown maps back to it), the extracted text for documents. Both are
    // decoded from at most `bytes.len()` bytes, and Windows-1252 decoding
    // keeps one line per line.
    let max_line = match format {
        // A lone CR is a line break too ("\n\r" is two).
        Format::Text | Format::Markdown => {
            let lone_cr = bytes
                .windows(2)
                .filter(|w| w[0] == b'\r' && w[1] != b'\n')
                .count()
                + usize::from(bytes.last() == Some(&b'\r'));
            bytes.iter().filter(|&&b| b == b'\n').count() + lone_cr + 1
        }
        Format::Docx | Format::Odt | Format::Pdf => doc.text.split('\n').count(),
    };
    for rubric in rubrics() {
        let grade = essaymark::scoring::grade(rubric, &doc);
        assert!((0.0..=100.0).contains(&grade.score), "{}", grade.score);
        let report = Report::new("fuzz", format, warnings.clone(), rubric, &doc, &grade);
        assert!((0.0..=100.0).contains(&report.score));
        assert!(report.points <= report.max_points + 1e-9);
        for c in &report.criteria {
            assert!(
                c.points >= 0.0 && c.points <= c.max_points + 1e-9,
                "{}",
                c.id
            );
            for e in &c.evidence {
                assert!(e.column >= 1, "{}: {}:{}", c.id, e.line, e.column);
                assert!(
                    e.line >= 1 && e.line <= max_line,
                    "{}: line {} of {max_line}",
                    c.id,
                    e.line
                );
                if let Some(span) = &e.span {
                    assert!(span.end <= doc.text.len() && doc.text.is_char_boundary(span.start));
                }
            }
        }
        render_everywhere(rubric, &report);
    }
}

fn render_everywhere(rubric: &Rubric, report: &Report) {
    let renderers: Vec<Box<dyn Renderer>> = vec![
        Box::<TextRenderer>::default(),
        Box::<JsonRenderer>::default(),
        Box::<JsonLinesRenderer>::default(),
        Box::<MarkdownRenderer>::default(),
        Box::<SarifRenderer>::default(),
        Box::<JunitRenderer>::default(),
        Box::<GithubRenderer>::default(),
        Box::<CsvRenderer>::default(),
        Box::<HtmlRenderer>::default(),
    ];
    let failure = Failure {
        essay: "other".into(),
        error: "file is empty".into(),
    };
    for (i, mut r) in renderers.into_iter().enumerate() {
        let mut summary =
            SummaryBuilder::new(rubric.bands.iter().map(|b| b.label.clone()).collect());
        let mut out = Vec::new();
        r.rubric(rubric);
        r.start(&mut out).unwrap();
        r.essay(&mut out, report).unwrap();
        summary.add(report);
        r.failure(&mut out, &failure).unwrap();
        summary.fail(failure.clone());
        r.finish(&mut out, &summary.build()).unwrap();
        if i == 1 {
            let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON report parses");
            assert_eq!(v["reports"][0]["score"].as_f64(), Some(report.score));
        }
    }
}
