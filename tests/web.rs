//! The browser build (`scripts/build-web.sh`, issue #17) against the CLI:
//! the WebAssembly `grade()` under Node returns the CLI's JSON report for
//! every sample, and the page, opened from disk in headless Chromium with
//! `?sample=average`, shows the CLI's score.
//!
//! They need the built page (`target/web/`): without it they say so loudly
//! and pass, unless `ESSAYMARK_WEB_REQUIRED=1` (set by `.ci/run`, which
//! builds the page first) makes a missing page a failure. Likewise for
//! Node and Chromium.

mod common;

use assert_cmd::Command;
use common::browser::{chromium, run_chromium};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn required() -> bool {
    std::env::var_os("ESSAYMARK_WEB_REQUIRED").is_some_and(|v| v == "1")
}

/// Skip (loudly) or fail, as `ESSAYMARK_WEB_REQUIRED` says.
fn missing(what: &str) {
    let msg = format!(
        "{what}; run scripts/build-web.sh (and install node/chromium) to test the browser build"
    );
    assert!(!required(), "ESSAYMARK_WEB_REQUIRED=1: {msg}");
    eprintln!("\n*** SKIPPING {msg} ***\n");
}

fn web_dir() -> Option<PathBuf> {
    let dir = root().join("target/web");
    let built = dir.join("index.html").is_file() && dir.join("pkg/essaymark_web_bg.wasm").is_file();
    if !built {
        missing(&format!("no browser build in {}", dir.display()));
    }
    built.then_some(dir)
}

fn node() -> Option<&'static str> {
    let ok = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        missing("node is not installed");
    }
    ok.then_some("node")
}

fn samples() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join("samples"))
        .unwrap()
        .map(|e| format!("samples/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    v.sort();
    v
}

/// `check FILE --format json` as written (a newline closes it).
fn cli_output(file: &str) -> String {
    let out = Command::cargo_bin("essaymark")
        .unwrap()
        .current_dir(root())
        .args(["check", "--no-config", "--format", "json", file])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn cli_json(file: &str) -> Value {
    let text = cli_output(file);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}: {text}"))
}

fn run_node(dir: &Path, args: &[&str]) -> Value {
    let out = std::process::Command::new("node")
        .current_dir(root())
        .arg("crates/essaymark-web/tests/grade.js")
        .arg(dir.join("pkg"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn wasm_grade_under_node_matches_the_cli_on_every_sample() {
    let (Some(dir), Some(_)) = (web_dir(), node()) else {
        return;
    };
    let files = samples();
    assert!(files.len() >= 4, "{files:?}");
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let web = run_node(&dir, &args);
    for f in &files {
        let cli_text = cli_output(f);
        let web_text = web[f.as_str()].as_str().unwrap();
        let cli: Value = serde_json::from_str(&cli_text).unwrap();
        let got: Value = serde_json::from_str(web_text).unwrap();
        let (c, w) = (&cli["reports"][0], &got["reports"][0]);
        assert_eq!(w["score"].as_f64(), c["score"].as_f64(), "{f}: score");
        assert_eq!(w["band"], c["band"], "{f}: band");
        let statuses = |r: &Value| -> Vec<(String, String)> {
            r["criteria"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| (x["id"].to_string(), x["status"].to_string()))
                .collect()
        };
        assert_eq!(statuses(w), statuses(c), "{f}: statuses");
        // Not only the figures: the whole document is the CLI's, byte for byte.
        assert_eq!(web_text, cli_text.trim_end(), "{f}: JSON document");
    }
    let e = run_node(&dir, &["--error", "essay.pdf"]);
    let msg = e["error"].as_str().unwrap_or_default();
    assert!(
        msg.starts_with("essay.pdf: not a text file: this is a PDF"),
        "grade() throws the reason: {e}"
    );
}

/// Derive in the page drafts what the CLI drafts (less WordNet's synonym
/// comments and the meaning table's vetting of examples, neither of which
/// is in the page), and the page grades with the draft at once.
#[test]
fn wasm_derive_under_node_drafts_the_clis_rubric() {
    let (Some(dir), Some(_)) = (web_dir(), node()) else {
        return;
    };
    for model in [
        "tests/fixtures/derive/headings.md",
        "tests/fixtures/derive/school-letter.txt",
    ] {
        let web = run_node(&dir, &["--derive", model, "samples/strong.txt"]);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_essaymark"))
            .current_dir(root())
            .args(["rubric", "derive", model])
            .output()
            .unwrap();
        assert!(out.status.success(), "{model}");
        let cli = String::from_utf8(out.stdout).unwrap();
        // Ids, titles, points and phrases: line for line.
        let skeleton = |yaml: &str| -> Vec<String> {
            yaml.lines()
                .map(str::trim)
                .filter(|l| {
                    ["- id:", "title:", "points:", "match:", "name:"]
                        .iter()
                        .any(|k| l.starts_with(k))
                })
                .map(str::to_string)
                .collect()
        };
        let yaml = web["yaml"].as_str().unwrap();
        assert_eq!(skeleton(yaml), skeleton(&cli), "{model}");
        assert!(
            web["score"].as_f64().unwrap() >= 80.0,
            "{model}: {}",
            web["score"]
        );
        assert!(web["graded"]["reports"][0]["score"].is_number(), "{model}");
    }
}

#[test]
fn page_opened_from_disk_shows_the_cli_score_for_a_sample() {
    let Some(dir) = web_dir() else {
        return;
    };
    let Some(bin) = chromium() else {
        missing("no Chromium found (/usr/bin/chromium or chromium on PATH)");
        return;
    };
    let expected = cli_json("samples/average.txt")["reports"][0]["score"]
        .as_f64()
        .unwrap();
    let url = format!("file://{}?sample=average", dir.join("index.html").display());
    let dom = run_chromium(
        &bin,
        &[
            "--dump-dom".to_string(),
            "--virtual-time-budget=10000".to_string(),
        ],
        &url,
    );
    let body = dom
        .find("<body")
        .map(|i| &dom[i..dom[i..].find('>').map_or(dom.len(), |j| i + j)])
        .unwrap_or_else(|| panic!("no body in:\n{dom}"));
    assert!(
        body.contains("data-state=\"graded\""),
        "page state: {body}\n{dom}"
    );
    assert!(
        body.contains(&format!("data-score=\"{expected}\"")),
        "score {expected} in {body}"
    );
    let shown = format!("<span id=\"score\" class=\"score\">{expected:.1}</span>");
    assert!(dom.contains(&shown), "page shows {shown}");
    // Evidence is highlighted in the essay, and the lists of what to add are there.
    assert!(
        dom.contains("<mark class=\"met\""),
        "no highlighted evidence"
    );
    assert!(dom.contains("Missing arguments"), "no missing arguments");
}

/// The teachers' panel end to end in the real page: a rubric drafted from
/// one sample (`?derive=strong`) grades another (`?sample=average`) with
/// the score the CLI gives it against the CLI's own draft.
#[test]
fn page_drafts_a_rubric_and_grades_with_it_as_the_cli_does() {
    let Some(dir) = web_dir() else {
        return;
    };
    let Some(bin) = chromium() else {
        missing("no Chromium found (/usr/bin/chromium or chromium on PATH)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let draft = tmp.path().join("draft.yaml");
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_essaymark"))
        .current_dir(root())
        .args(["rubric", "derive", "samples/strong.txt", "--out"])
        .arg(&draft)
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_essaymark"))
        .current_dir(root())
        .args([
            "check",
            "samples/average.txt",
            "--format",
            "json",
            "--rubric",
        ])
        .arg(&draft)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected = v["reports"][0]["score"].as_f64().unwrap();
    let url = format!(
        "file://{}?derive=strong&sample=average",
        dir.join("index.html").display()
    );
    let dom = run_chromium(
        &bin,
        &[
            "--dump-dom".to_string(),
            "--virtual-time-budget=10000".to_string(),
        ],
        &url,
    );
    assert!(dom.contains("data-state=\"graded\""), "{dom}");
    assert!(
        dom.contains(&format!("data-score=\"{expected}\"")),
        "score {expected} with the page's draft:\n{dom}"
    );
    assert!(
        dom.contains("Drafted "),
        "the panel shows the draft's summary"
    );
    assert!(
        dom.contains("Draft: "),
        "the draft is the page's rubric now"
    );
}
