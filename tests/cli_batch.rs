//! End-to-end tests of batch grading a class folder: the walk (ignore files,
//! hidden files, `--glob`, symlinks, skipped submissions with reasons), exit
//! codes, the progress bar staying off a non-terminal, CSV and HTML output.
//!
//! Every test runs in its own temporary folder (as the working directory,
//! so no `.essaymark.yaml` of the checkout applies) with copies of the
//! sample essays.

mod common;

use common::{check_json, class, essaymark, graded, sample, skipped};
use predicates::prelude::*;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

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
        ("group-b/sana.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
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
    assert_eq!(
        code,
        Some(2),
        "a skipped file fails the run, after the report"
    );
    let (code, _) = json(dir.path(), &["class", "--allow-ungraded"]);
    assert_eq!(code, Some(0), "unless --allow-ungraded");
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
            "class/group-b/sana.doc",
            "class/photo of essay.JPG",
            "class/empty.txt"
        ],
        "{skipped:?}"
    );
    assert!(skipped[0].1.contains("legacy Word document"), "{skipped:?}");
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
        .code(2)
        .stdout(predicate::str::contains(
            "skipped: class/group-b/sana.doc: unsupported file type .doc: a legacy Word document (save it as .docx)",
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
        .args(["check", "class", "--format", "json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "3 input(s) could not be graded (listed in the report; --allow-ungraded to exit 0 anyway)",
        ));
    // `--strict`, the old spelling of the default, is still accepted.
    essaymark(dir.path())
        .args(["check", "class", "--strict", "--format", "json"])
        .assert()
        .code(2);
    let dir = class(&[
        ("a.doc", b"\xD0\xCF\x11\xE0"),
        ("b.png", b"\x89PNG\r\n\x1a\n"),
        ("notes.yaml", b"x: 1"),
    ]);
    essaymark(dir.path())
        .args(["check", "class"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing could be graded"))
        .stderr(predicate::str::contains(
            "class/a.doc: unsupported file type .doc",
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
    // Excluding a folder prunes it, including its legacy .doc.
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
            .args(["check", "class", "--format", "json", "--allow-ungraded"])
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
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "essaymark: skipped class/group-b/sana.doc: unsupported file type .doc",
        ))
        .stderr(predicate::str::contains(
            "essaymark: skipped class/empty.txt: file is empty",
        ));
    let (header, rows) = read_csv(&dir.path().join("class.csv"));
    assert_eq!(
        &header[..7],
        ["path", "student", "status", "score", "band", "passed", "words"]
    );
    assert_eq!(
        header[header.len() - 3..],
        ["levels", "missing", "threshold_failures"]
    );
    assert!(header.contains(&"ttp-revival".to_string()), "{header:?}");
    // Every submission has a row: the mark book never loses a student.
    let students: Vec<(&str, &str)> = rows.iter().map(|r| (&r[1], &r[2])).collect();
    let expected = [
        ("sana", "not graded: unsupported file type .doc"),
        (
            "photo of essay",
            "not graded: unsupported file type .jpg: an image",
        ),
        ("ali", "graded"),
        ("empty", "not graded: file is empty"),
        ("bilal", "graded"),
        ("o'neil, \"jr\"", "graded"),
        ("zara", "graded"),
    ];
    assert_eq!(students.len(), expected.len(), "{students:?}");
    for ((student, status), (want, why)) in students.iter().zip(expected) {
        assert_eq!(*student, want);
        assert!(status.starts_with(why), "{student}: {status}");
    }
    for r in rows.iter().filter(|r| &r[2] != "graded") {
        assert!(r.iter().skip(3).all(str::is_empty), "no marks: {r:?}");
    }
    let rows: Vec<_> = rows.into_iter().filter(|r| &r[2] == "graded").collect();
    // Same numbers as the JSON report.
    let (_, v) = json(dir.path(), &["class"]);
    for (row, report) in rows.iter().zip(v["reports"].as_array().unwrap()) {
        assert_eq!(&row[0], report["essay"].as_str().unwrap());
        assert_eq!(
            row[3].parse::<f64>().unwrap(),
            report["score"].as_f64().unwrap()
        );
        assert_eq!(&row[4], report["band"].as_str().unwrap());
        assert_eq!(&row[5], report["passed"].to_string());
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
        .args([
            "check",
            "class",
            "--format",
            "json",
            "--out",
            "x.csv",
            "--allow-ungraded",
        ])
        .assert()
        .code(0);
    let text = fs::read_to_string(dir.path().join("x.csv")).unwrap();
    assert!(text.starts_with("{\"version\":1"), "{text}");
}

#[test]
fn out_needs_an_extension_it_can_write_or_a_format() {
    let dir = class(&[("zara.txt", sample("strong.txt").as_bytes())]);
    for (out, format, why) in [
        ("report.pdf", None, "cannot write a .pdf report"),
        ("report.pdf", Some("text"), "cannot write a .pdf report"),
        ("marks.docx", None, "cannot write a .docx report"),
        ("report", None, "--out report: no extension"),
        (
            "report.xyz",
            None,
            "--out report.xyz: unknown extension .xyz",
        ),
    ] {
        let mut cmd = essaymark(dir.path());
        cmd.args(["check", "class", "--out", out]);
        if let Some(f) = format {
            cmd.args(["--format", f]);
        }
        cmd.assert().code(2).stderr(predicate::str::contains(why));
        assert!(!dir.path().join(out).exists(), "{out} not written");
    }
    // With --format the name is the teacher's choice.
    essaymark(dir.path())
        .args(["check", "class", "--out", "report", "--format", "json"])
        .assert()
        .code(0);
    assert!(fs::read_to_string(dir.path().join("report"))
        .unwrap()
        .starts_with("{\"version\":1"));
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
fn a_legacy_doc_named_on_the_command_line_gets_the_same_advice() {
    let dir = class(&[
        ("sana.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
        ("ali.txt", sample("weak.txt").as_bytes()),
    ]);
    essaymark(dir.path())
        .args(["check", "class/sana.doc", "class/ali.txt", "--color", "never"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "skipped: class/sana.doc: unsupported file type .doc: a legacy Word document (save it as .docx)",
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

#[test]
fn feedback_writes_one_file_per_student_with_their_report_alone() {
    let dir = class(&[
        ("zara.txt", sample("strong.txt").as_bytes()),
        ("group-a/ali.txt", sample("weak.txt").as_bytes()),
        ("group-b/ali.md", sample("average.txt").as_bytes()),
        ("empty.txt", b""),
    ]);
    essaymark(dir.path())
        .args([
            "check",
            "class",
            "--feedback",
            "out/feedback",
            "--quiet",
            "--allow-ungraded",
        ])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "essaymark: wrote feedback for 3 student(s) to out/feedback",
        ));
    let fb = dir.path().join("out/feedback");
    let mut names: Vec<String> = fs::read_dir(&fb)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // Two students called ali: the second is ali-2; nothing for the
    // empty file, which has nothing to hand back.
    assert_eq!(names, ["ali-2.html", "ali.html", "zara.html"]);
    let zara = fs::read_to_string(fb.join("zara.html")).unwrap();
    assert!(zara.starts_with("<!DOCTYPE html>"));
    assert!(zara.contains("Score 100.0/100"), "zara's own score");
    for other in [
        "group-a/ali",
        "group-b/ali",
        "empty",
        "students table",
        "Class",
    ] {
        assert!(!zara.contains(other), "nothing about {other}");
    }
    let ali = fs::read_to_string(fb.join("ali.html")).unwrap();
    assert!(
        ali.contains("class/group-a/ali.txt"),
        "first ali is group-a's"
    );

    // Markdown, into the class folder itself: inputs are never replaced.
    essaymark(dir.path())
        .args([
            "check",
            "class/group-b",
            "--feedback",
            "class/group-b",
            "--feedback-format",
            "md",
        ])
        .assert()
        .code(0);
    assert_eq!(
        fs::read_to_string(dir.path().join("class/group-b/ali.md")).unwrap(),
        sample("average.txt"),
        "the submission ali.md is untouched"
    );
    let md = fs::read_to_string(dir.path().join("class/group-b/ali-2.md")).unwrap();
    assert!(md.starts_with("# Feedback: ali\n"), "{md}");
    assert!(md.contains("## What to add next"));

    // A file where the folder should be is an error, before any grading.
    fs::write(dir.path().join("notadir"), "x").unwrap();
    essaymark(dir.path())
        .args(["check", "class", "--feedback", "notadir"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a folder"));
}
