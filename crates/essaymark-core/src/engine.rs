//! One essay held in memory through the whole engine: extract its text,
//! grade it, build its report, and render that report the way `check`
//! renders a run of one essay. The CLI reads files and stdin into it (see
//! `pipeline`); the browser page hands it the bytes of a dropped file.

use crate::ingest::{self, Extracted, Limits};
use crate::report::{Failure, Renderer, Report, SummaryBuilder};
use crate::rubric::Rubric;
use crate::scoring;
use crate::text::Document;
use std::io;
use std::path::Path;

/// Grade extracted text and build its report, named `essay`.
pub fn report(rubric: &Rubric, essay: &str, extracted: Extracted) -> Report {
    report_with(rubric, essay, extracted, |_| ()).0
}

/// [`report`], handing the graded [`Document`] to `inspect` before it is
/// dropped, so a caller that needs the essay's blocks, sentences or tokens
/// (the batch's similarity check) does not segment and tokenise it again.
pub fn report_with<T>(
    rubric: &Rubric,
    essay: &str,
    extracted: Extracted,
    inspect: impl FnOnce(&Document) -> T,
) -> (Report, T) {
    let format = extracted.format;
    let warnings = extracted.warnings.clone();
    let mut doc = extracted.into_document();
    let grade = scoring::grade(rubric, &doc);
    let seen = inspect(&doc);
    let mut report = Report::without_text(essay, format, warnings, rubric, &doc, &grade);
    // The document is dropped here: its text moves into the report.
    report.text = Some(std::mem::take(&mut doc.text));
    (report, seen)
}

/// Grade a submission held in memory; its format comes from `name`'s
/// extension, as for a file on disk.
pub fn grade_bytes(
    rubric: &Rubric,
    name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Report, Failure> {
    let failure = |e: ingest::IngestError| Failure {
        essay: name.to_string(),
        error: e.to_string(),
    };
    let format = ingest::format_of(Path::new(name)).map_err(failure)?;
    let extracted = ingest::extract(format, bytes, limits).map_err(failure)?;
    Ok(report(rubric, name, extracted))
}

/// `report` rendered by `renderer` as a run of that one essay: the same
/// bytes `check` writes for it (rubric, start, the essay, the summary).
pub fn render_one(
    renderer: &mut dyn Renderer,
    rubric: &Rubric,
    report: &Report,
) -> io::Result<Vec<u8>> {
    let mut bands: Vec<String> = Vec::new();
    for b in &rubric.bands {
        if !bands.contains(&b.label) {
            bands.push(b.label.clone());
        }
    }
    let mut summary = SummaryBuilder::new(bands);
    let mut out = Vec::new();
    renderer.rubric(rubric);
    renderer.start(&mut out)?;
    summary.add(report);
    renderer.essay(&mut out, report)?;
    renderer.finish(&mut out, &summary.build())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::JsonRenderer;

    #[test]
    fn bytes_grade_like_the_file_they_came_from() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/average.txt");
        let bytes = std::fs::read(path).unwrap();
        let rubric = Rubric::builtin();
        let limits = Limits::default();
        let from_bytes = grade_bytes(&rubric, "average.txt", &bytes, &limits).unwrap();
        let from_file = report(
            &rubric,
            "average.txt",
            ingest::read_path(Path::new(path), &limits).unwrap(),
        );
        let json = |r: &Report| {
            String::from_utf8(render_one(&mut JsonRenderer::default(), &rubric, r).unwrap())
                .unwrap()
        };
        assert_eq!(json(&from_bytes), json(&from_file));
        assert!(
            json(&from_bytes).starts_with("{\"version\":1,\"reports\":[{\"essay\":\"average.txt\"")
        );
    }

    #[test]
    fn a_name_without_a_readable_extension_is_refused_with_the_reason() {
        let rubric = Rubric::builtin();
        let e = grade_bytes(&rubric, "essay.rtf", b"text", &Limits::default()).unwrap_err();
        assert_eq!(e.essay, "essay.rtf");
        assert!(
            e.error.contains("unsupported file type '.rtf'"),
            "{}",
            e.error
        );
        let e = grade_bytes(&rubric, "essay.txt", b"", &Limits::default()).unwrap_err();
        assert_eq!(e.error, "file is empty");
    }
}
