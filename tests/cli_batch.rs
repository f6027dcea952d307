//! End-to-end tests of batch grading a class folder: the walk (ignore files,
//! hidden files, `--glob`, symlinks, skipped submissions with reasons), exit
//! codes, the progress bar staying off a non-terminal, CSV and HTML output.
//!
//! Every test runs in its own temporary folder (as the working directory,
//! so no `.essaymark.yaml` of the checkout applies) with copies of the
//! sample essays.

mod common;

use assert_cmd::Command;
use common::{check_json, graded, skipped};
use predicates::prelude::*;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

fn sample(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name);
    fs::read_to_string(p).expect("sample exists")
}

/// A class folder `class/` inside a fresh working directory.
fn class(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in files {
        let p = dir.path().join("class").join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, body).unwrap();
    }
    dir
}

fn essaymark(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("essaymark").expect("binary builds");
    cmd.current_dir(cwd).env_remove("NO_COLOR");
    cmd
}

fn json(cwd: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    check_json(essaymark(cwd), args)
}

/// A typical class folder: essays in formats we read, submissions we cannot
/// read, files that are not submissions, ignored and hidden files.
fn mixed_class() -> TempDir {
    let strong = sample("strong.txt");
    let weak = sample("weak.txt");
    let average = sample("average.txt");
    class(&[
        ("zara.txt", strong.as_bytes()),
        ("ali.md", weak.as_bytes()),
        ("group-b/bilal.txt", average.as_bytes()),
        ("group-b/sana.pdf", b"%PDF-1.7\n"),
        ("photo of essay.JPG", b"\xFF\xD8\xFF\xE0"),
        ("empty.txt", b""),
        ("rubric.yaml", b"id: x\n"),
        ("marks.json", b"{}"),
        ("~$zara.docx", b"lock"),
        (".hidden.txt", weak.as_bytes()),
        (".gitignore", b"drafts/\n"),
        ("drafts/zara-draft.txt", weak.as_bytes()),
    ])
}

#[test]
fn folder_walk_is_sorted_filtered_and_explains_what_it_skipped() {
    let dir = mixed_class();
    let (code, v) = json(dir.path(), &["class"]);
    assert_eq!(code, Some(0), "a skipped file does not fail the batch");
    assert_eq!(
        graded(&v),
        ["class/ali.md", "class/group-b/bilal.txt", "class/zara.txt"]
    );
    let skipped = skipped(&v);
    let names: Vec<&str> = skipped.iter().map(|(e, _)| e.as_str()).collect();
    // Walk failures come in path order, then the empty file found by ingest.
    assert_eq!(
        names,
        [
            "class/group-b/sana.pdf",
            "class/photo of essay.JPG",
            "class/empty.txt"
        ],
        "{skipped:?}"
    );
    assert!(skipped[0].1.contains("PDF document"), "{skipped:?}");
    assert!(skipped[1].1.contains("an image"), "{skipped:?}");
    assert_eq!(skipped[2].1, "file is empty");
    assert_eq!(v["summary"]["essays"], 3);
    assert_eq!(v["summary"]["failed"], 3);
}

#[test]
fn text_report_lists_skipped_files_with_reasons() {
    let dir = mixed_class();
    essaymark(dir.path())
        .args(["check", "class", "--color", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "skipped: class/group-b/sana.pdf: unsupported file type .pdf: a PDF document (export the essay as .txt, .md, .docx or .odt)",
        ))
        .stdout(predicate::str::contains("skipped: class/empty.txt: file is empty"))
        .stdout(predicate::str::contains("3 graded, 3 skipped"))
        .stdout(predicate::str::contains("rubric.yaml").not())
        .stdout(predicate::str::contains("marks.json").not());
}

#[test]
fn strict_or_nothing_gradable_exits_two() {
    let dir = mixed_class();
    essaymark(dir.path())
        .args(["check", "class", "--strict", "--format", "json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "3 input(s) could not be graded (--strict)",
        ));
    let dir = class(&[
        ("a.pdf", b"%PDF"),
        ("b.png", b"\x89PNG\r\n\x1a\n"),
        ("notes.yaml", b"x: 1"),
    ]);
    essaymark(dir.path())
        .args(["check", "class"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing could be graded"))
        .stderr(predicate::str::contains(
            "class/a.pdf: unsupported file type .pdf",
        ))
        .stderr(predicate::str::contains(
            "class/b.png: unsupported file type .png: an image",
        ));
    // Only non-submissions: nothing to grade, and the message says what is read.
    let dir = class(&[("notes.yaml", b"x: 1")]);
    essaymark(dir.path())
        .args(["check", "class"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no essays found to grade"));
}

#[test]
fn globs_include_and_exclude_and_bad_globs_are_usage_errors() {
    let dir = mixed_class();
    let (_, v) = json(
        dir.path(),
        &["class", "--glob", "*.txt", "--glob", "!zara*"],
    );
    assert_eq!(graded(&v), ["class/group-b/bilal.txt"]);
    // An included glob never resurrects an ignored or hidden file.
    let (_, v) = json(dir.path(), &["class", "-g", "*draft*.txt"]);
    assert!(graded(&v).is_empty() && skipped(&v).is_empty(), "{v}");
    // Excluding a folder prunes it, including its PDF.
    let (_, v) = json(dir.path(), &["class", "--glob", "!group-b/"]);
    assert_eq!(graded(&v), ["class/ali.md", "class/zara.txt"]);
    assert!(
        skipped(&v).iter().all(|(e, _)| !e.contains("group-b")),
        "{v}"
    );
    essaymark(dir.path())
        .args(["check", "class", "--glob", "[abc"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid --glob '[abc'"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_not_followed() {
    let dir = class(&[("a/essay.txt", sample("average.txt").as_bytes())]);
    let root = dir.path().join("class");
    std::os::unix::fs::symlink(&root, root.join("a/loop")).unwrap();
    std::os::unix::fs::symlink(root.join("a"), root.join("b")).unwrap();
    let (code, v) = json(dir.path(), &["class"]);
    assert_eq!(code, Some(0));
    assert_eq!(graded(&v), ["class/a/essay.txt"]);
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal_or_quiet() {
    // assert_cmd pipes stderr, which is exactly the "not a terminal" case.
    let dir = mixed_class();
    for extra in [&[][..], &["--quiet"][..]] {
        essaymark(dir.path())
            .args(["check", "class", "--format", "json"])
            .args(extra)
            .assert()
            .code(0)
            .stderr(predicate::str::is_empty());
    }
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut rd = csv::Reader::from_path(path).unwrap();
    let header = rd.headers().unwrap().iter().map(String::from).collect();
    (header, rd.records().map(|r| r.unwrap()).collect())
}

#[test]
fn csv_out_has_a_row_per_essay_and_reports_skips_on_stderr() {
    let dir = mixed_class();
    // A file name with a comma and a quote must survive quoting.
    fs::write(
        dir.path().join("class/o'neil, \"jr\".txt"),
        sample("average.txt"),
    )
    .unwrap();
    essaymark(dir.path())
        .args(["check", "class", "--out", "class.csv"])
        .assert()
        .code(0)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "essaymark: skipped class/group-b/sana.pdf: unsupported file type .pdf",
        ))
        .stderr(predicate::str::contains(
            "essaymark: skipped class/empty.txt: file is empty",
        ));
    let (header, rows) = read_csv(&dir.path().join("class.csv"));
    assert_eq!(
        &header[..6],
        ["path", "student", "score", "band", "passed", "words"]
    );
    assert_eq!(
        header[header.len() - 2..],
        ["missing", "threshold_failures"]
    );
    assert!(header.contains(&"ttp-revival".to_string()), "{header:?}");
    let students: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
    assert_eq!(
        students,
        ["ali", "bilal", "o'neil, \"jr\"", "zara"],
        "failed inputs are not rows"
    );
    // Same numbers as the JSON report.
    let (_, v) = json(dir.path(), &["class"]);
    for (row, report) in rows.iter().zip(v["reports"].as_array().unwrap()) {
        assert_eq!(&row[0], report["essay"].as_str().unwrap());
        assert_eq!(
            row[2].parse::<f64>().unwrap(),
            report["score"].as_f64().unwrap()
        );
        assert_eq!(&row[3], report["band"].as_str().unwrap());
        assert_eq!(&row[4], report["passed"].to_string());
        let missing: Vec<&str> = report["missing"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap())
            .collect();
        assert_eq!(&row[header.len() - 2], missing.join(";"));
        assert_eq!(&row[header.len() - 1], "", "no threshold set");
        for c in report["criteria"].as_array().unwrap() {
            let col = header
                .iter()
                .position(|h| h == c["id"].as_str().unwrap())
                .unwrap();
            assert_eq!(
                row[col].parse::<f64>().unwrap(),
                c["points"].as_f64().unwrap(),
                "{}",
                c["id"]
            );
        }
    }
    // --format wins over the extension.
    essaymark(dir.path())
        .args(["check", "class", "--format", "json", "--out", "x.csv"])
        .assert()
        .code(0);
    let text = fs::read_to_string(dir.path().join("x.csv")).unwrap();
    assert!(text.starts_with("{\"version\":1"), "{text}");
}

#[test]
fn html_out_is_one_safe_deterministic_file() {
    let payload = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>";
    let evil = format!("{}\n\n{payload}\n", sample("average.txt"));
    let dir = class(&[
        ("<b>mallory</b>.txt", evil.as_bytes()),
        ("zara.txt", sample("strong.txt").as_bytes()),
    ]);
    let run = |out: &str| {
        essaymark(dir.path())
            .args(["check", "class", "--out", out])
            .assert()
            .code(0);
        fs::read_to_string(dir.path().join(out)).unwrap()
    };
    let html = run("report.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(
        html,
        run("again.htm"),
        "no timestamps: two runs are byte-identical"
    );
    assert_eq!(
        html.matches("<script").count(),
        3,
        "only the report's own scripts"
    );
    assert!(!html.contains(payload) && !html.contains("<b>mallory"));
    assert!(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"));
    assert!(html.contains("&lt;b&gt;mallory&lt;/b&gt;"));
    for external in ["http://", "https://", "<link", "src=\""] {
        assert!(!html.contains(external), "{external}");
    }
}

#[test]
fn a_pdf_named_on_the_command_line_gets_the_same_advice() {
    let dir = class(&[
        ("sana.pdf", b"%PDF-1.7\n"),
        ("ali.txt", sample("weak.txt").as_bytes()),
    ]);
    essaymark(dir.path())
        .args(["check", "class/sana.pdf", "class/ali.txt", "--color", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "skipped: class/sana.pdf: unsupported file type .pdf: a PDF document (export the essay as .txt, .md, .docx or .odt)",
        ));
}

/// The HTML report spools student sections to the temporary folder: when
/// that folder is unusable the run fails with the reason, and the previous
/// report is left as it was (no half-written page).
#[test]
fn html_report_without_a_usable_temporary_folder_fails_cleanly() {
    let dir = class(&[("zara.txt", sample("strong.txt").as_bytes())]);
    fs::write(dir.path().join("report.html"), "previous report").unwrap();
    essaymark(dir.path())
        .env("TMPDIR", dir.path().join("no-such-folder"))
        .args(["check", "class", "--out", "report.html"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot create the HTML report's temporary file",
        ));
    assert_eq!(
        fs::read_to_string(dir.path().join("report.html")).unwrap(),
        "previous report"
    );
}
