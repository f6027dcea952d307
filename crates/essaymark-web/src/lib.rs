//! essaymark in the browser: the grading engine compiled to WebAssembly,
//! behind a small JavaScript API (`wasm-bindgen`). Everything runs in the
//! page; nothing is uploaded. `scripts/build-web.sh` builds it and inlines
//! it into one self-contained page, `target/web/index.html`.
//!
//! Every function takes the essay as bytes plus its file name (the
//! extension picks the reader: .txt, .md, .docx, .odt) and a rubric: the id
//! of a built-in rubric, YAML text, or "" for the default. Errors come back
//! as JavaScript exceptions carrying the CLI's message.

use essaymark_core::engine;
use essaymark_core::ingest::Limits;
use essaymark_core::report::{
    feedback_html, feedback_markdown, JsonRenderer, Report, TextRenderer,
};
use essaymark_core::rubric::{self, Rubric};
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The sample essays of `samples/`, for `?sample=NAME` (demos and tests).
pub const SAMPLES: &[(&str, &str)] = &[
    ("average", include_str!("../../../samples/average.txt")),
    (
        "noisy-scan",
        include_str!("../../../samples/noisy-scan.txt"),
    ),
    ("strong", include_str!("../../../samples/strong.txt")),
    ("weak", include_str!("../../../samples/weak.txt")),
];

/// The CLI's JSON report for this essay: the document `essaymark check FILE
/// --format json` writes (`{"version":1,"reports":[...],"summary":{...}}`),
/// with the essay named `fileName`.
#[wasm_bindgen]
pub fn grade(
    bytes: &[u8],
    #[wasm_bindgen(js_name = fileName)] file_name: &str,
    rubric: &str,
) -> Result<String, JsError> {
    grade_json(bytes, file_name, rubric).map_err(|e| JsError::new(&e))
}

/// What the page shows: `{"report": <the report>, "segments": [...],
/// "document": <grade()'s JSON>}`, where the segments cut the analysed
/// text into pieces, each with the indexes of the criteria whose evidence
/// covers it (for highlighting).
#[wasm_bindgen]
pub fn analyse(
    bytes: &[u8],
    #[wasm_bindgen(js_name = fileName)] file_name: &str,
    rubric: &str,
) -> Result<String, JsError> {
    analyse_json(bytes, file_name, rubric).map_err(|e| JsError::new(&e))
}

/// The report as a file to download: "txt" (the CLI's text report), "md"
/// or "html" (the student's feedback page, essay highlighted), "json".
#[wasm_bindgen]
pub fn render(
    bytes: &[u8],
    #[wasm_bindgen(js_name = fileName)] file_name: &str,
    rubric: &str,
    format: &str,
) -> Result<String, JsError> {
    render_as(bytes, file_name, rubric, format).map_err(|e| JsError::new(&e))
}

/// The built-in rubrics as JSON: `[{"id", "title", "version"}]`, the
/// default first.
#[wasm_bindgen]
pub fn rubrics() -> String {
    #[derive(Serialize)]
    struct Info {
        id: &'static str,
        title: String,
        version: String,
    }
    let list: Vec<Info> = rubric::BUILTINS
        .iter()
        .filter_map(|b| {
            let r = Rubric::builtin_by_id(b.id)?;
            Some(Info {
                id: b.id,
                title: r.title,
                version: r.version,
            })
        })
        .collect();
    serde_json::to_string(&list).unwrap_or_else(|_| "[]".into())
}

/// The names of the sample essays, as JSON.
#[wasm_bindgen]
pub fn samples() -> String {
    let names: Vec<&str> = SAMPLES.iter().map(|(n, _)| *n).collect();
    serde_json::to_string(&names).unwrap_or_else(|_| "[]".into())
}

/// The text of a sample essay, if there is one by that name.
#[wasm_bindgen]
pub fn sample(name: &str) -> Option<String> {
    SAMPLES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| text.to_string())
}

/// The version of essaymark compiled in.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

thread_local! {
    /// The last rubric compiled, by its argument: the page re-grades on
    /// every pause in typing, and compiling a rubric costs more than
    /// grading an essay against it.
    static RUBRIC: RefCell<Option<(String, Rc<Rubric>)>> = const { RefCell::new(None) };
}

/// The rubric an argument names: "" is the default built-in rubric, a word
/// without a colon or a line break is a built-in id, anything else YAML.
pub fn resolve_rubric(arg: &str) -> Result<Rc<Rubric>, String> {
    if let Some(r) = RUBRIC.with(|c| {
        c.borrow()
            .as_ref()
            .filter(|(k, _)| k == arg)
            .map(|(_, r)| r.clone())
    }) {
        return Ok(r);
    }
    let id = arg.trim();
    let compiled = if id.is_empty() {
        Rubric::builtin()
    } else if !id.contains(':') && !id.contains('\n') {
        Rubric::builtin_by_id(id).ok_or_else(|| {
            let ids: Vec<&str> = rubric::BUILTINS.iter().map(|b| b.id).collect();
            format!(
                "no built-in rubric with the id '{id}' (built-in: {})",
                ids.join(", ")
            )
        })?
    } else {
        rubric::load_str(arg, "rubric.yaml").map_err(|e| {
            let rendered: Vec<String> = e.0.iter().map(|x| x.render_snippet()).collect();
            format!("invalid rubric\n{}", rendered.join("\n"))
        })?
    };
    let compiled = Rc::new(compiled);
    RUBRIC.with(|c| *c.borrow_mut() = Some((arg.to_string(), compiled.clone())));
    Ok(compiled)
}

fn report_for(bytes: &[u8], file_name: &str, rubric: &Rubric) -> Result<Report, String> {
    engine::grade_bytes(rubric, file_name, bytes, &Limits::default())
        .map_err(|f| format!("{}: {}", f.essay, f.error))
}

fn json_document(rubric: &Rubric, report: &Report) -> Result<String, String> {
    let bytes = engine::render_one(&mut JsonRenderer::default(), rubric, report)
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|e| e.to_string())?;
    Ok(text.trim_end().to_string())
}

/// Draft a rubric from a model answer, as `essaymark rubric derive MODEL
/// --report` does: `{"yaml", "id", "score", "criteria", "sections",
/// "scholars", "lenses", "misspellings": [{"word", "suggestion", "line",
/// "column", "because"}], "listed", "single_sentence", "dropped",
/// "report"}`. The page's draft has no WordNet synonym comments (the data
/// is not in the page) and its examples are not vetted by the meaning
/// table; everything else is the CLI's.
#[wasm_bindgen]
pub fn derive(
    bytes: &[u8],
    #[wasm_bindgen(js_name = fileName)] file_name: &str,
) -> Result<String, JsError> {
    derive_json(bytes, file_name).map_err(|e| JsError::new(&e))
}

/// [`derive`] for Rust callers and tests.
pub fn derive_json(bytes: &[u8], file_name: &str) -> Result<String, String> {
    use essaymark_core::{derive as d, ingest};
    let fail = |e: ingest::IngestError| format!("{file_name}: {e}");
    let format = ingest::format_of(std::path::Path::new(file_name)).map_err(fail)?;
    let extracted = ingest::extract(format, bytes, &Limits::default()).map_err(fail)?;
    let markdown_source =
        (format == ingest::Format::Markdown).then(|| String::from_utf8_lossy(bytes).into_owned());
    let doc = extracted.into_document();
    let opts = d::DeriveOptions {
        id: None,
        source: file_name.to_string(),
        markdown_source,
        words: None,
    };
    let draft = d::derive(&doc, &opts).map_err(|e| format!("{file_name}: {e}"))?;
    let misspellings: Vec<serde_json::Value> = draft
        .misspellings
        .iter()
        .map(|m| {
            serde_json::json!({
                "word": m.word, "suggestion": m.suggestion, "line": m.line,
                "column": m.column, "because": m.because,
            })
        })
        .collect();
    serde_json::to_string(&serde_json::json!({
        "yaml": draft.yaml,
        "id": draft.rubric_id,
        "score": draft.score,
        "criteria": draft.criteria,
        "sections": draft.sections,
        "scholars": draft.scholars,
        "lenses": draft.lenses,
        "misspellings": misspellings,
        "listed": draft.listed,
        "single_sentence": draft.single_sentence,
        "dropped": draft.dropped,
        "report": draft.report,
    }))
    .map_err(|e| e.to_string())
}

/// [`grade`] for Rust callers and tests.
pub fn grade_json(bytes: &[u8], file_name: &str, rubric: &str) -> Result<String, String> {
    let rubric = resolve_rubric(rubric)?;
    let report = report_for(bytes, file_name, &rubric)?;
    json_document(&rubric, &report)
}

/// A piece of the analysed text and the criteria whose evidence covers it.
#[derive(Debug, Serialize, PartialEq)]
pub struct Segment<'a> {
    #[serde(rename = "t")]
    pub text: &'a str,
    #[serde(rename = "c")]
    pub criteria: Vec<usize>,
}

/// Cut the report's text at every evidence boundary.
pub fn segments(report: &Report) -> Vec<Segment<'_>> {
    let Some(text) = report.text.as_deref() else {
        return Vec::new();
    };
    let spans: Vec<(usize, usize, usize)> = report
        .criteria
        .iter()
        .enumerate()
        .flat_map(|(i, c)| {
            c.evidence
                .iter()
                .filter_map(move |e| e.span.clone().map(|s| (s.start, s.end, i)))
        })
        .filter(|&(s, e, _)| s < e && e <= text.len())
        .filter(|&(s, e, _)| text.is_char_boundary(s) && text.is_char_boundary(e))
        .collect();
    let mut cuts: Vec<usize> = spans.iter().flat_map(|&(s, e, _)| [s, e]).collect();
    cuts.extend([0, text.len()]);
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Segment> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let mut covering: Vec<usize> = spans
            .iter()
            .filter(|&&(s, e, _)| s <= a && b <= e)
            .map(|&(_, _, i)| i)
            .collect();
        covering.sort_unstable();
        covering.dedup();
        match out.last_mut() {
            // Neighbours with the same criteria are one piece.
            Some(last) if last.criteria == covering => {
                let start = last.text.as_ptr() as usize - text.as_ptr() as usize;
                last.text = &text[start..b];
            }
            _ => out.push(Segment {
                text: &text[a..b],
                criteria: covering,
            }),
        }
    }
    out
}

/// [`analyse`] for Rust callers and tests.
pub fn analyse_json(bytes: &[u8], file_name: &str, rubric: &str) -> Result<String, String> {
    #[derive(Serialize)]
    struct Page<'a> {
        report: &'a Report,
        segments: Vec<Segment<'a>>,
        document: serde_json::Value,
        /// Criterion ids in the order to work on them: missing, then partial.
        next: [Vec<&'a str>; 2],
    }
    let rubric = resolve_rubric(rubric)?;
    let report = report_for(bytes, file_name, &rubric)?;
    let document =
        serde_json::from_str(&json_document(&rubric, &report)?).map_err(|e| e.to_string())?;
    let (missing, partial) = essaymark_core::report::what_to_add(&report);
    let page = Page {
        report: &report,
        segments: segments(&report),
        document,
        next: [
            missing.iter().map(|c| c.id.as_str()).collect(),
            partial.iter().map(|c| c.id.as_str()).collect(),
        ],
    };
    serde_json::to_string(&page).map_err(|e| e.to_string())
}

/// [`render`] for Rust callers and tests.
pub fn render_as(
    bytes: &[u8],
    file_name: &str,
    rubric: &str,
    format: &str,
) -> Result<String, String> {
    let rubric = resolve_rubric(rubric)?;
    let report = report_for(bytes, file_name, &rubric)?;
    match format {
        "json" => json_document(&rubric, &report),
        "md" => Ok(feedback_markdown(&report)),
        "html" => Ok(feedback_html(&report)),
        "txt" => {
            colored::control::set_override(false);
            let bytes = engine::render_one(&mut TextRenderer::default(), &rubric, &report)
                .map_err(|e| e.to_string())?;
            String::from_utf8(bytes).map_err(|e| e.to_string())
        }
        other => Err(format!(
            "unknown report format '{other}' (txt, md, html or json)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn average() -> &'static [u8] {
        SAMPLES[0].1.as_bytes()
    }

    #[test]
    fn segments_cover_the_text_once_and_mark_every_evidence_sentence() {
        let rubric = resolve_rubric("").unwrap();
        let report = report_for(average(), "average.txt", &rubric).unwrap();
        let segs = segments(&report);
        let joined: String = segs.iter().map(|s| s.text).collect();
        assert_eq!(Some(joined.as_str()), report.text.as_deref());
        for (i, c) in report.criteria.iter().enumerate() {
            let marked: String = segs
                .iter()
                .filter(|s| s.criteria.contains(&i))
                .map(|s| s.text)
                .collect();
            for e in &c.evidence {
                let quote = e.text.trim_end_matches('…');
                assert!(marked.contains(quote), "{}: {quote}", c.id);
            }
        }
        assert!(segs.windows(2).all(|w| w[0].criteria != w[1].criteria));
    }

    /// The page drafts a rubric from a model answer it can grade with at
    /// once: the draft loads, the model scores high against it, and the
    /// misspellings are reported.
    #[test]
    fn a_model_answer_becomes_a_draft_the_page_can_grade_with() {
        let model = include_str!("../../../tests/fixtures/derive/school-letter.txt");
        let v: serde_json::Value =
            serde_json::from_str(&derive_json(model.as_bytes(), "letter.txt").unwrap()).unwrap();
        let yaml = v["yaml"].as_str().unwrap();
        assert!(v["score"].as_f64().unwrap() >= 80.0, "{v}");
        assert!(v["criteria"].as_u64().unwrap() >= 5, "{yaml}");
        let words: Vec<&str> = v["misspellings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["word"].as_str().unwrap())
            .collect();
        assert_eq!(words, ["recieve", "definately", "enviroment"]);
        // The YAML is a rubric grade() takes as it is.
        let graded: serde_json::Value =
            serde_json::from_str(&grade_json(model.as_bytes(), "letter.txt", yaml).unwrap())
                .unwrap();
        assert!(graded["reports"][0]["score"].as_f64().unwrap() > 0.0);
        assert!(derive_json(b"too short", "m.txt")
            .unwrap_err()
            .contains("too short"));
    }

    #[test]
    fn a_rubric_is_an_id_yaml_or_the_default() {
        assert_eq!(resolve_rubric("").unwrap().id, rubric::BUILTIN_ID);
        assert_eq!(
            resolve_rubric("climate-economy").unwrap().id,
            "climate-economy"
        );
        let e = resolve_rubric("climate").unwrap_err();
        assert!(
            e.contains("no built-in rubric with the id 'climate'"),
            "{e}"
        );
        let e = resolve_rubric("id: x\ncriteria: 3\n").unwrap_err();
        assert!(e.starts_with("invalid rubric\n"), "{e}");
        let yaml = rubric::builtin("cpec-connectivity").unwrap().yaml;
        assert_eq!(resolve_rubric(yaml).unwrap().id, "cpec-connectivity");
    }

    #[test]
    fn the_page_data_and_downloads_come_from_one_report() {
        let page: serde_json::Value =
            serde_json::from_str(&analyse_json(average(), "average.txt", "").unwrap()).unwrap();
        let doc: serde_json::Value =
            serde_json::from_str(&grade_json(average(), "average.txt", "").unwrap()).unwrap();
        assert_eq!(page["document"], doc);
        assert_eq!(page["report"]["score"], doc["reports"][0]["score"]);
        let missing = page["next"][0].as_array().unwrap();
        assert_eq!(
            missing.len(),
            doc["reports"][0]["missing"].as_array().unwrap().len()
        );
        let txt = render_as(average(), "average.txt", "", "txt").unwrap();
        assert!(txt.contains("Score ") && !txt.contains('\u{1b}'), "{txt}");
        let html = render_as(average(), "average.txt", "", "html").unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..40]);
        assert!(render_as(average(), "average.txt", "", "md")
            .unwrap()
            .contains("# "));
        let e = render_as(average(), "average.txt", "", "pdf").unwrap_err();
        assert!(e.contains("unknown report format 'pdf'"));
    }

    #[test]
    fn an_unreadable_file_is_an_error_naming_it() {
        // In a workspace `cargo test` the CLI turns on the core's PDF
        // reader (features unify), so this build may read the PDF and
        // refuse it as malformed; the WebAssembly build has no reader and
        // says so (tests/web.rs checks that one under Node).
        let e = grade_json(b"%PDF-1.7", "essay.pdf", "").unwrap_err();
        assert!(
            e.starts_with("essay.pdf: not a text file: this is a PDF")
                || e.starts_with("essay.pdf: damaged PDF"),
            "{e}"
        );
        let e = grade_json(b"   \n", "essay.txt", "").unwrap_err();
        assert_eq!(e, "essay.txt: file has no text (only white space)");
        assert_eq!(sample("nope"), None);
        assert!(samples().contains("\"average\""));
        assert!(rubrics().starts_with(&format!("[{{\"id\":\"{}\"", rubric::BUILTIN_ID)));
    }
}
