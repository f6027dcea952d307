//! The HTML report in a real browser: headless Chromium opens the report of
//! the evaluation essays with `#selftest`, the page sorts its students table
//! by score, follows the links to the last student and to one of that
//! student's highlighted sentences, and writes the order and positions it
//! saw (and any script error) into `<pre id="selftest">`, which
//! `--dump-dom` hands back to us. A screenshot goes to
//! `target/html-report.png` for a human to look at. A class with a
//! near-copy shows its "Similar submissions" section, passages highlighted
//! side by side.
//!
//! Skipped, with a message, when no Chromium is installed (`/usr/bin/chromium`
//! or `chromium` on PATH).

mod common;

use assert_cmd::Command;
use common::browser::{chromium, run_chromium};
use std::path::Path;

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The page at `path` opened with `#selftest`: its DOM and what its
/// self-test wrote.
fn open_selftest(bin: &Path, path: &Path) -> (String, serde_json::Value) {
    let url = format!("file://{}#selftest", path.display());
    let dom = run_chromium(bin, &["--dump-dom".to_string()], &url);
    let result = selftest_result(&dom);
    (dom, result)
}

/// What the page's self-test wrote into `<pre id="selftest">`.
fn selftest_result(dom: &str) -> serde_json::Value {
    let start = dom
        .find("<pre id=\"selftest\"")
        .unwrap_or_else(|| panic!("no selftest element in:\n{dom}"));
    let body = &dom[start..];
    let body = &body[body.find('>').unwrap() + 1..body.find("</pre>").unwrap()];
    let result: serde_json::Value = serde_json::from_str(&unescape(body))
        .unwrap_or_else(|e| panic!("selftest did not run ({e}): {body:?}"));
    result
}

/// Chromium, the crate's root and a scratch folder; or `None` after saying
/// loudly that the test is skipped.
fn setup() -> Option<(std::path::PathBuf, &'static Path, tempfile::TempDir)> {
    let Some(bin) = chromium() else {
        eprintln!(
            "skipping html_browser: no Chromium found (/usr/bin/chromium or chromium on PATH)"
        );
        return None;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Some((bin, root, tempfile::tempdir().unwrap()))
}

#[test]
fn html_report_sorts_in_headless_chromium_without_errors() {
    let Some((bin, root, dir)) = setup() else {
        return;
    };
    let report = dir.path().join("report.html");
    Command::cargo_bin("essaymark")
        .unwrap()
        .current_dir(root)
        // The fixture's README describes the set; it is not an essay.
        .args([
            "check",
            "tests/fixtures/eval",
            "--no-config",
            "--glob",
            "!README.md",
            "--out",
        ])
        .arg(&report)
        .assert()
        .code(0);
    let json = Command::cargo_bin("essaymark")
        .unwrap()
        .current_dir(root)
        .args([
            "check",
            "tests/fixtures/eval",
            "--no-config",
            "--glob",
            "!README.md",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let mut expected: Vec<f64> = json["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    expected.sort_by(f64::total_cmp);
    assert!(
        expected.len() >= 12,
        "evaluation set has {} essays",
        expected.len()
    );

    let url = format!("file://{}", report.display());
    let (_, result) = open_selftest(&bin, &report);
    assert_eq!(
        result["errors"],
        serde_json::json!([]),
        "script errors: {result}"
    );
    assert_eq!(result["rows"].as_u64(), Some(expected.len() as u64));
    let scores = |k: &str| -> Vec<f64> {
        result[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    assert_eq!(scores("ascending"), expected, "ascending sort by score");
    let mut descending = expected.clone();
    descending.reverse();
    assert_eq!(scores("descending"), descending, "second click reverses");
    assert_eq!(
        result["aria"],
        serde_json::json!(["ascending", "descending"])
    );

    // Student sections are not laid out while off screen
    // (`content-visibility: auto`); links into the last one must still land.
    let last = format!("s{}", expected.len());
    let student = &result["student"];
    assert_eq!(student["id"], last.as_str(), "{result}");
    assert_eq!(
        student["top"].as_i64(),
        Some(0),
        "the students table's link scrolls the section to the top: {result}"
    );
    let evidence = &result["evidence"];
    let id = evidence["id"].as_str().unwrap_or_default();
    assert!(id.starts_with(&format!("{last}-e")), "{result}");
    assert_eq!(evidence["target"], format!("#{id}").as_str());
    let (top, bottom, viewport) = (
        evidence["top"].as_i64().unwrap(),
        evidence["bottom"].as_i64().unwrap(),
        evidence["viewport"].as_i64().unwrap(),
    );
    assert!(
        0 <= top && top < bottom && bottom <= viewport,
        "the evidence link shows its highlighted sentence: {result}"
    );

    let png = root.join("target/html-report.png");
    let _ = std::fs::remove_file(&png);
    std::fs::create_dir_all(png.parent().unwrap()).unwrap();
    run_chromium(
        &bin,
        &[
            "--window-size=1280,2000".to_string(),
            format!("--screenshot={}", png.display()),
        ],
        &url,
    );
    let bytes = std::fs::read(&png).expect("screenshot written");
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 10_000,
        "{} bytes",
        bytes.len()
    );
    eprintln!("screenshot: {}", png.display());
}

#[test]
fn feedback_page_renders_in_headless_chromium_without_errors() {
    let Some((bin, root, dir)) = setup() else {
        return;
    };
    let feedback = dir.path().join("feedback");
    Command::cargo_bin("essaymark")
        .unwrap()
        .current_dir(root)
        .args(["check", "samples/average.txt", "--no-config", "--quiet"])
        .arg("--feedback")
        .arg(&feedback)
        .assert()
        .code(0);
    let (_, result) = open_selftest(&bin, &feedback.join("average.html"));
    assert_eq!(result["errors"], serde_json::json!([]), "{result}");
    assert_eq!(result["title"], "Feedback: average", "{result}");
    assert_eq!(result["broken"], 0, "every in-page link lands: {result}");
    assert!(result["links"].as_u64().unwrap() > 10, "{result}");
    assert!(result["marks"].as_u64().unwrap() > 10, "{result}");
    // One row per criterion of the built-in rubric.
    let json = Command::cargo_bin("essaymark")
        .unwrap()
        .current_dir(root)
        .args([
            "check",
            "samples/average.txt",
            "--no-config",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let criteria = json["reports"][0]["criteria"].as_array().unwrap().len();
    assert_eq!(result["rows"].as_u64(), Some(criteria as u64), "{result}");
}

/// A class with a near-copy: the report's "Similar submissions" section
/// renders in the browser, each shared passage highlighted in both essays'
/// columns, and its links land on the two students' sections.
#[test]
fn similar_submissions_render_side_by_side_in_headless_chromium() {
    let Some((bin, root, dir)) = setup() else {
        return;
    };
    let class = dir.path().join("class");
    std::fs::create_dir(&class).unwrap();
    let strong = std::fs::read_to_string(root.join("samples/strong.txt")).unwrap();
    let mut words: Vec<&str> = strong.split(' ').collect();
    let n = words.len();
    for k in [n / 4, n / 2, 3 * n / 4] {
        words[k] = "indeed";
    }
    std::fs::write(class.join("zara.txt"), &strong).unwrap();
    std::fs::write(class.join("hamid.txt"), words.join(" ")).unwrap();
    for name in ["average.txt", "weak.txt"] {
        std::fs::copy(root.join("samples").join(name), class.join(name)).unwrap();
    }
    let report = dir.path().join("report.html");
    Command::cargo_bin("essaymark")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "class", "--no-config", "--quiet", "--out"])
        .arg(&report)
        .assert()
        .code(0);
    let (dom, result) = open_selftest(&bin, &report);
    assert_eq!(result["errors"], serde_json::json!([]), "{result}");
    let start = dom
        .find("<section id=\"similar\"")
        .expect("a Similar submissions section");
    let section = &dom[start..start + dom[start..].find("</section>").unwrap()];
    assert_eq!(
        section.matches("<article class=\"pair\"").count(),
        1,
        "{section}"
    );
    assert!(section.contains("class/hamid.txt") && section.contains("class/zara.txt"));
    // Three passages, each highlighted in both columns.
    assert_eq!(section.matches("<tr>").count(), 3 + 1, "{section}");
    assert_eq!(section.matches("<mark>").count(), 6, "{section}");
    // The pair's heading links to both students' sections, which exist.
    let links: Vec<&str> = section
        .split("href=\"#")
        .skip(1)
        .map(|r| &r[..r.find('"').unwrap()])
        .collect();
    assert_eq!(links.len(), 2, "{section}");
    for id in links {
        assert!(dom.contains(&format!("id=\"{id}\"")), "no section #{id}");
    }
}
