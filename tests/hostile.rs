//! Hostile inputs, end to end. Every bad essay gets exactly one line on
//! stderr naming the file and the reason (exit 2 when it is the only input;
//! listed and skipped in a batch, which still grades the rest), every bad
//! rubric a located error, and every command finishes within a time bound
//! (`assert_cmd`'s timeout kills it and fails the test otherwise). Big
//! inputs (50 MB of text, zip bombs) are generated here, never committed.
//!
//! The last part runs the fuzz targets' bodies (fuzz/bodies.rs) on stable:
//! over every input the fuzzers once crashed on (tests/fixtures/hostile/fuzz)
//! and over bounded random and mutated inputs, so the code paths the fuzzers
//! cover are exercised by `cargo test` too.

mod common;

use assert_cmd::Command;
use common::{check_json, graded, pdf_of, skipped};
use essaymark::batch::grade;
use essaymark::batch::walk::Walker;
use essaymark::configuration::thresholds::Thresholds;
use essaymark::ingest::Limits;
use essaymark::report::JsonRenderer;
use essaymark::rubric::Rubric;
use proptest::prelude::*;
use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};
use tempfile::TempDir;

#[path = "../fuzz/bodies.rs"]
mod bodies;

/// Generous bound for one command, in a debug build on a slow 2-core
/// machine: every case here takes well under a tenth of it.
const BOUND: Duration = Duration::from_secs(120);

/// The default limits, as documented in docs/limits.md.
const FILE_LIMIT: u64 = 16 * 1024 * 1024;
const UNPACKED_LIMIT: u64 = 64 * 1024 * 1024;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn sample(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name);
    fs::read_to_string(p).expect("sample exists")
}

fn essaymark(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("essaymark").expect("binary builds");
    cmd.current_dir(cwd).env_remove("NO_COLOR").timeout(BOUND);
    cmd
}

/// A fresh working folder holding `files` (names may contain folders).
fn folder(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in files {
        let p = dir.path().join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, body).unwrap();
    }
    dir
}

/// Run `essaymark check ARGS` in `cwd`, expect exit 2, and return stderr,
/// which must be exactly one line.
fn one_line_error(cwd: &Path, args: &[&str]) -> String {
    let out = essaymark(cwd)
        .arg("check")
        .args(args)
        .args(["--color", "never"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line, got: {stderr}");
    stderr.trim_end().to_string()
}

/// Write `name` with `body` into a fresh folder, check it alone, and assert
/// the exact error line.
fn rejects(name: &str, body: &[u8], reason: &str) {
    let dir = folder(&[(name, body)]);
    assert_eq!(
        one_line_error(dir.path(), &[name]),
        format!("essaymark: error: {name}: {reason}")
    );
}

fn json_run(cwd: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    check_json(essaymark(cwd), args)
}

// ---------------------------------------------------------------------------
// Building documents and archives in memory.

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// An archive whose `name` inflates to `size` zero bytes.
fn zip_bomb(name: &str, size: u64) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .large_file(size >= u32::MAX as u64);
    w.start_file(name, opts).unwrap();
    let chunk = vec![0u8; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        w.write_all(&chunk[..n]).unwrap();
        left -= n as u64;
    }
    w.finish().unwrap().into_inner()
}

/// Rewrite every declared uncompressed size in a (non-zip64) archive, as a
/// bomb that lies about its size would.
fn lie_about_sizes(zip: &mut [u8], size: u32) {
    let patch = |zip: &mut [u8], sig: &[u8], field: usize| {
        let mut i = 0;
        while let Some(pos) = zip[i..].windows(4).position(|w| w == sig) {
            let at = i + pos + field;
            zip[at..at + 4].copy_from_slice(&size.to_le_bytes());
            i = i + pos + 4;
        }
    };
    patch(zip, b"PK\x03\x04", 22);
    patch(zip, b"PK\x01\x02", 24);
}

fn docx(body_xml: &str) -> Vec<u8> {
    let doc = format!(r#"<w:document xmlns:w="{W_NS}"><w:body>{body_xml}</w:body></w:document>"#);
    zip(&[("word/document.xml", doc.as_bytes())])
}

/// A .docx with one paragraph per line of each of `paras`.
fn docx_paragraphs(paras: &[&str]) -> Vec<u8> {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let body: String = paras
        .iter()
        .flat_map(|p| p.split('\n'))
        .map(|p| format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", escape(p)))
        .collect();
    docx(&body)
}

// ---------------------------------------------------------------------------
// Essays, one at a time: exactly one line naming the file and the reason.

#[test]
fn empty_file() {
    rejects("empty.txt", b"", "file is empty");
    rejects("empty.md", b"", "file is empty");
    rejects("empty.docx", b"", "file is empty");
}

#[test]
fn whitespace_only() {
    rejects(
        "blank.txt",
        b"  \n\t\r\n   \n",
        "file has no text (only white space)",
    );
    // Markup with no prose is as blank as white space.
    rejects(
        "blank.md",
        b"---\ntitle: x\n---\n\n<!-- nothing -->\n",
        "file has no text (only white space)",
    );
    rejects(
        "blank.docx",
        &docx_paragraphs(&["   ", ""]),
        "file has no text (only white space)",
    );
}

#[test]
fn one_giant_line_is_graded_within_the_bound() {
    // About 2 MB of real prose with no line break at all.
    let line = sample("strong.txt").replace(['\n', '\r'], " ");
    let giant = line.repeat((2 << 20) / line.len() + 1);
    let dir = folder(&[("giant.txt", giant.as_bytes())]);
    let start = Instant::now();
    let (code, v) = json_run(dir.path(), &["giant.txt"]);
    assert_eq!(code, Some(0));
    assert_eq!(graded(&v), ["giant.txt"]);
    let score = v["reports"][0]["score"].as_f64().unwrap();
    assert!((0.0..=100.0).contains(&score));
    // Every piece of evidence is on the one line.
    for c in v["reports"][0]["criteria"].as_array().unwrap() {
        for e in c["evidence"].as_array().unwrap() {
            assert_eq!(e["line"], 1, "{e}");
        }
    }
    assert!(start.elapsed() < BOUND);
}

#[test]
fn fifty_megabytes_of_text_is_refused_before_it_is_read() {
    let size = 50 * 1024 * 1024;
    let text = "The Taliban and the TTP. ".repeat(size / 25 + 1);
    let dir = folder(&[("huge.txt", &text.as_bytes()[..size])]);
    let start = Instant::now();
    assert_eq!(
        one_line_error(dir.path(), &["huge.txt"]),
        format!(
            "essaymark: error: huge.txt: file is too large ({size} bytes; the limit is {FILE_LIMIT} bytes)"
        )
    );
    // Refused from its size alone: no reading, decoding or grading.
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
    // Just over the limit is refused too; the limit is inclusive.
    let over = vec![b'a'; FILE_LIMIT as usize + 1];
    rejects(
        "over.txt",
        &over,
        &format!(
            "file is too large ({} bytes; the limit is {FILE_LIMIT} bytes)",
            FILE_LIMIT + 1
        ),
    );
}

#[test]
fn stdin_over_the_limit_is_cut_off_not_buffered() {
    let dir = folder(&[]);
    let big = vec![b'a'; FILE_LIMIT as usize + 4096];
    let out = essaymark(dir.path())
        .args(["check", "-"])
        .write_stdin(big)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!("essaymark: error: <stdin>: input is too large (more than {FILE_LIMIT} bytes)\n")
    );
}

#[test]
fn nul_bytes_and_binary_data() {
    rejects(
        "nul.txt",
        b"The TTP\0\0\0 is back.\n",
        "looks like a binary file, not text",
    );
    // Binary without a single NUL byte: control characters give it away.
    let soup: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 31 + 1) as u8).collect();
    rejects("soup.md", &soup, "looks like a binary file, not text");
    rejects(
        "photo.txt",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        "not a text file: this is a PNG image",
    );
    rejects(
        "essay.md",
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj",
        "not a text file: this is a PDF document (export the essay as .txt, .md, .docx or .odt)",
    );
}

#[test]
fn invalid_utf8_is_graded_as_windows_1252_with_a_warning() {
    // Not an error: a file that is not UTF-8 and holds no UTF-8 characters
    // is almost always a legacy Windows encoding, and refusing it would
    // fail the student.
    let dir = folder(&[(
        "legacy.txt",
        b"\x93Strategic depth\x94 and the caf\xE9 of Peshawar: the TTP is back.\n",
    )]);
    let (code, v) = json_run(dir.path(), &["legacy.txt"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        v["reports"][0]["warnings"][0],
        "decoded as Windows-1252 (not valid UTF-8)"
    );
    // Cut off in the middle of its last character: still UTF-8, warned.
    let dir = folder(&[("cut.txt", b"Kab\xC3\xBCl and the TTP \xE2\x80")]);
    let (code, v) = json_run(dir.path(), &["cut.txt"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        v["reports"][0]["warnings"][0],
        "file ends in the middle of a UTF-8 character (truncated?)"
    );
}

/// An Urdu essay with one damaged byte keeps its score: the byte becomes
/// U+FFFD with a warning naming where it was, instead of the whole file
/// being re-read as Windows-1252 (which scored it 0).
#[test]
fn one_stray_byte_keeps_a_utf8_essay_utf8() {
    let rubric = "id: urdu\ntitle: Urdu\nsections:\n  - id: s\n    title: S\n    criteria:\n      - {id: a, points: 1, match: [\"دہشت گردی\"]}\n      - {id: b, points: 1, match: [\"سرحدی جھڑپیں\"]}\n";
    let essay = "پاکستان اور افغانستان کے درمیان دہشت گردی ایک بڑا مسئلہ ہے۔\nسرحدی جھڑپیں تجارت کو روکتی ہیں۔\n";
    let mut damaged = essay.as_bytes().to_vec();
    let at = essay.find('\n').unwrap() + 1;
    damaged.insert(at, 0x9D);
    let dir = folder(&[
        ("rubric.yaml", rubric.as_bytes()),
        ("clean.txt", essay.as_bytes()),
        ("damaged.txt", &damaged),
    ]);
    let (code, v) = json_run(
        dir.path(),
        &["clean.txt", "damaged.txt", "--rubric", "rubric.yaml"],
    );
    assert_eq!(code, Some(0), "{v}");
    assert!(v["reports"][0]["score"].as_f64().unwrap() > 0.0, "{v}");
    assert_eq!(v["reports"][1]["score"], v["reports"][0]["score"], "{v}");
    assert_eq!(
        v["reports"][1]["warnings"][0].as_str().unwrap(),
        format!(
            "1 invalid UTF-8 byte sequence(s) replaced with U+FFFD (the first at byte {at}, line 2)"
        )
    );
}

/// UTF-16 saved without a byte-order mark is text, not "a binary file".
#[test]
fn utf16_without_a_bom_is_graded() {
    let essay = sample("strong.txt");
    let le: Vec<u8> = essay.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = essay.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let dir = folder(&[
        ("lf.txt", essay.as_bytes()),
        ("le.txt", &le),
        ("be.txt", &be),
    ]);
    let (code, v) = json_run(dir.path(), &["lf.txt", "le.txt", "be.txt"]);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["reports"][1]["score"], v["reports"][0]["score"]);
    assert_eq!(v["reports"][2]["score"], v["reports"][0]["score"]);
    assert_eq!(
        v["reports"][1]["warnings"][0],
        "decoded as UTF-16LE (no byte-order mark)"
    );
}

/// Old Mac exports end lines with a lone CR: without reading it as a line
/// break the essay was one line and scored 33.5 instead of 100.
#[test]
fn cr_only_and_mixed_line_endings_score_as_lf() {
    let essay = sample("strong.txt");
    let cr = essay.replace('\n', "\r");
    let mut mixed = String::new();
    for (i, line) in essay.split_inclusive('\n').enumerate() {
        mixed.push_str(&match i % 3 {
            0 => line.replace('\n', "\r"),
            1 => line.replace('\n', "\r\n"),
            _ => line.to_string(),
        });
    }
    let dir = folder(&[
        ("lf.txt", essay.as_bytes()),
        ("cr.txt", cr.as_bytes()),
        ("mixed.txt", mixed.as_bytes()),
        ("lf.md", essay.as_bytes()),
        ("cr.md", cr.as_bytes()),
    ]);
    let (code, v) = json_run(
        dir.path(),
        &["lf.txt", "cr.txt", "mixed.txt", "lf.md", "cr.md"],
    );
    assert_eq!(code, Some(0), "{v}");
    let report = |name: &str| {
        v["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["essay"] == name)
            .unwrap()
            .clone()
    };
    let lf = report("lf.txt");
    for (name, like) in [
        ("cr.txt", "lf.txt"),
        ("mixed.txt", "lf.txt"),
        ("cr.md", "lf.md"),
    ] {
        let r = report(name);
        assert_eq!(r["score"], report(like)["score"], "{name}");
        assert!(
            r["warnings"][0]
                .as_str()
                .unwrap()
                .contains("were a lone CR (classic Mac) and were read as line breaks"),
            "{r}"
        );
    }
    // line:column are those of the file, counting a lone CR as a line end.
    let lines = |r: &serde_json::Value| -> Vec<serde_json::Value> {
        r["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["evidence"].as_array().cloned().unwrap_or_default())
            .map(|e| e["line"].clone())
            .collect()
    };
    assert!(!lines(&lf).is_empty());
    assert_eq!(lines(&report("cr.txt")), lines(&lf));
}

#[test]
fn truncated_utf16() {
    rejects(
        "utf16.txt",
        b"\xFF\xFEa\0b\0c",
        "not valid text: UTF-16LE file has an odd number of bytes (truncated?)",
    );
    rejects(
        "utf16be.md",
        b"\xFE\xFF\0a\0",
        "not valid text: UTF-16BE file has an odd number of bytes (truncated?)",
    );
}

#[test]
fn docx_that_is_not_a_zip() {
    rejects(
        "essay.docx",
        b"Dear teacher, here is my essay.",
        "not a valid docx document: not a Word document (not a zip archive)",
    );
    rejects(
        "renamed.docx",
        b"%PDF-1.4\n",
        "not a valid docx document: not a Word document (not a zip archive; it looks like a PDF document (export the essay as .txt, .md, .docx or .odt))",
    );
    // Starts like a zip, but is cut short.
    let mut cut = docx_paragraphs(&["The TTP is back."]);
    cut.truncate(cut.len() / 2);
    rejects(
        "cut.docx",
        &cut,
        "not a valid docx document: not a Word document (not a zip archive: invalid Zip archive: Could not find EOCD)",
    );
    rejects(
        "essay.odt",
        b"plain words",
        "not a valid odt document: not an OpenDocument text (not a zip archive)",
    );
}

#[test]
fn zip_bomb_disguised_as_docx_stops_at_the_decompression_cap() {
    let bomb_error = format!(
        "not a valid docx document: decompressed size exceeds the limit of {UNPACKED_LIMIT} bytes (zip bomb?)"
    );
    // 80 MB of zeros in about 80 KB: refused from its declared size.
    let bomb = zip_bomb("word/document.xml", UNPACKED_LIMIT + 16 * 1024 * 1024);
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    rejects("bomb.docx", &bomb, &bomb_error);
    // The same bomb declaring 100 bytes: inflating stops at the cap (or at
    // the zip reader's own size check), whatever the header says.
    let mut liar = bomb.clone();
    lie_about_sizes(&mut liar, 100);
    let dir = folder(&[("liar.docx", &liar)]);
    let line = one_line_error(dir.path(), &["liar.docx"]);
    assert!(
        line == format!("essaymark: error: liar.docx: {bomb_error}")
            || line.starts_with(
                "essaymark: error: liar.docx: not a valid docx document: cannot decompress word/document.xml"
            ),
        "{line}"
    );
    let odt_bomb = zip_bomb("content.xml", UNPACKED_LIMIT + 1024 * 1024);
    rejects(
        "bomb.odt",
        &odt_bomb,
        &format!(
            "not a valid odt document: decompressed size exceeds the limit of {UNPACKED_LIMIT} bytes (zip bomb?)"
        ),
    );
}

#[test]
fn docx_within_the_cap_but_with_too_much_text() {
    // 20 MB of text compresses to a small file, but grading cost follows
    // the text, so the text is held to the file-size limit.
    let para = "word ".repeat(1 << 20);
    let paras: Vec<&str> = std::iter::repeat_n(para.as_str(), 4).collect();
    let dir = folder(&[("long.docx", &docx_paragraphs(&paras))]);
    let line = one_line_error(dir.path(), &["long.docx"]);
    assert!(
        line.starts_with("essaymark: error: long.docx: extracted text is too large (")
            && line.ends_with(&format!("bytes; the limit is {FILE_LIMIT} bytes)")),
        "{line}"
    );
}

#[test]
fn docx_with_a_missing_document_xml() {
    let archive = zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/styles.xml", b"<w:styles/>"),
    ]);
    rejects(
        "nodoc.docx",
        &archive,
        "not a valid docx document: the archive has no word/document.xml (is it a Word document?)",
    );
    let archive = zip(&[("mimetype", b"application/vnd.oasis.opendocument.text")]);
    rejects(
        "nocontent.odt",
        &archive,
        "not a valid odt document: the archive has no content.xml (is it an OpenDocument text?)",
    );
}

#[test]
fn docx_archive_and_xml_limits() {
    // More entries than any real document.
    let names: Vec<String> = (0..10_001).map(|i| format!("media/{i}.bin")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    rejects(
        "many.docx",
        &zip(&entries),
        "not a valid docx document: the archive has 10001 entries; the limit is 10000",
    );
    // Nesting deeper than any real document (and than quick-xml can count).
    let deep = format!(
        "{}<w:t>x</w:t>{}",
        "<w:p>".repeat(10_001),
        "</w:p>".repeat(10_001)
    );
    rejects(
        "deep.docx",
        &docx(&deep),
        "not a valid docx document: word/document.xml nests elements more than 10000 deep",
    );
    // Malformed XML is named with its byte position.
    let dir = folder(&[("bad.docx", &docx("<w:p><w:r><w:t>x</w:r></w:p>"))]);
    let line = one_line_error(dir.path(), &["bad.docx"]);
    assert!(
        line.starts_with(
            "essaymark: error: bad.docx: not a valid docx document: word/document.xml is malformed XML (at byte"
        ),
        "{line}"
    );
}

#[test]
fn path_that_does_not_exist() {
    let dir = folder(&[]);
    assert_eq!(
        one_line_error(dir.path(), &["nowhere.txt"]),
        "essaymark: error: nowhere.txt: no such file or folder"
    );
    assert_eq!(
        one_line_error(dir.path(), &["no/such/folder"]),
        "essaymark: error: no/such/folder: no such file or folder"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_and_dangling_link() {
    let dir = folder(&[]);
    std::os::unix::fs::symlink("loop.txt", dir.path().join("loop.txt")).unwrap();
    std::os::unix::fs::symlink("gone.txt", dir.path().join("dangling.txt")).unwrap();
    assert_eq!(
        one_line_error(dir.path(), &["loop.txt"]),
        "essaymark: error: loop.txt: cannot read: Too many levels of symbolic links (os error 40)"
    );
    assert_eq!(
        one_line_error(dir.path(), &["dangling.txt"]),
        "essaymark: error: dangling.txt: broken symbolic link: No such file or directory (os error 2)"
    );
}

#[cfg(unix)]
#[test]
fn devices_are_not_read() {
    // An essay or rubric linked to /dev/zero has size 0 and never ends.
    let dir = folder(&[("essay.txt", sample("weak.txt").as_bytes())]);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.txt")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.yaml")).unwrap();
    assert_eq!(
        one_line_error(dir.path(), &["zero.txt"]),
        "essaymark: error: zero.txt: not a regular file (a device, pipe or socket)"
    );
    let out = essaymark(dir.path())
        .args(["check", "essay.txt", "--rubric", "zero.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8(out.stderr).unwrap();
    assert!(e.contains("zero.yaml") && e.contains("not read"), "{e}");
    // Named directly, not through a link: refused as a device.
    let out = essaymark(dir.path())
        .args(["check", "essay.txt", "--rubric", "/dev/zero"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8(out.stderr).unwrap();
    assert!(e.contains("/dev/zero:1:1: not a regular file"), "{e}");
}

/// Inputs that were quadratic before (each name compared with every
/// reporting verb of the essay, each hit with every earlier piece of
/// evidence, each heading with every hit): 100,000 repetitions took minutes
/// in a debug build, now well under a second each.
#[test]
fn repetitive_essays_grade_in_linear_time() {
    let cases: [(&str, String); 5] = [
        ("cited.txt", "Stephen Walt argues that. ".repeat(100_000)),
        // One sentence with a hundred thousand hits and no commas (not a
        // keyword list): the enumeration rule splits it once, not per hit.
        (
            "one-list.txt",
            format!(
                "Pakistan needs {}credible deterrence.",
                "credible deterrence and ".repeat(100_000)
            ),
        ),
        (
            "one-sentence.txt",
            "Stephen Walt argues that ".repeat(100_000),
        ),
        (
            "argued.txt",
            "The Taliban refuse to recognise the Durand Line as the border.\n\n".repeat(50_000),
        ),
        (
            "headings.md",
            "# Durand Line\n\nThe Durand Line border fence was built.\n\n".repeat(50_000),
        ),
    ];
    for (name, text) in cases {
        let dir = folder(&[(name, text.as_bytes())]);
        let start = Instant::now();
        let (code, _) = json_run(dir.path(), &[name]);
        assert_eq!(code, Some(0), "{name}");
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{name}: {:?}",
            start.elapsed()
        );
    }
}

/// Whether file permissions bind this process (they do not for root, or
/// with CAP_DAC_OVERRIDE): checked by trying, not by the user id.
#[cfg(unix)]
fn permissions_apply(locked_dir: &Path) -> bool {
    fs::read_dir(locked_dir).is_err()
}

#[cfg(unix)]
#[test]
fn file_and_folder_without_permission() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder(&[
        ("class/ok.txt", sample("average.txt").as_bytes()),
        ("class/locked/inside.txt", b"x"),
        ("secret.txt", b"The TTP is back."),
    ]);
    let locked = dir.path().join("class/locked");
    let secret = dir.path().join("secret.txt");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    let restore = || {
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(&secret, fs::Permissions::from_mode(0o644)).unwrap();
    };
    if !permissions_apply(&locked) {
        restore();
        eprintln!(
            "skipped file_and_folder_without_permission: running as root (or with \
             CAP_DAC_OVERRIDE), so file permissions do not apply"
        );
        return;
    }
    let single = one_line_error(dir.path(), &["secret.txt"]);
    let (code, v) = json_run(dir.path(), &["class"]);
    restore();
    assert_eq!(
        single,
        "essaymark: error: secret.txt: cannot read: Permission denied (os error 13)"
    );
    assert_eq!(code, Some(0));
    assert_eq!(graded(&v), ["class/ok.txt"]);
    assert_eq!(
        skipped(&v),
        [(
            "class/locked".to_string(),
            "cannot read: Permission denied (os error 13)".to_string()
        )]
    );
}

/// A file listed when the batch starts and deleted before it is graded
/// (tested at the library level, so no sleeps or races): listed with the
/// reason, and the rest is graded.
#[test]
fn file_that_vanishes_mid_batch() {
    let dir = folder(&[
        ("class/a.txt", sample("weak.txt").as_bytes()),
        ("class/b.txt", sample("average.txt").as_bytes()),
        ("class/c.md", sample("strong.txt").as_bytes()),
    ]);
    let root = dir.path().join("class");
    let (inputs, early) = grade::collect_inputs(std::slice::from_ref(&root), &Walker::default());
    assert_eq!(inputs.len(), 3);
    assert!(early.is_empty());
    fs::remove_file(root.join("b.txt")).unwrap();
    let mut out = Vec::new();
    let outcome = grade::run(
        &Rubric::builtin(),
        &inputs,
        early,
        &Limits::default(),
        Thresholds::default(),
        &mut JsonRenderer::default(),
        &mut out,
        |_| {},
    )
    .unwrap();
    assert_eq!(outcome.summary.essays, 2);
    assert_eq!(outcome.summary.failed, 1);
    let f = &outcome.summary.failures[0];
    assert_eq!(f.essay, root.join("b.txt").display().to_string());
    assert_eq!(
        f.error,
        "cannot read: No such file or directory (os error 2)"
    );
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let graded: Vec<&str> = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["essay"].as_str().unwrap())
        .collect();
    assert_eq!(graded.len(), 2);
    assert!(graded[0].ends_with("a.txt") && graded[1].ends_with("c.md"));
}

// ---------------------------------------------------------------------------
// Batches: every bad file listed with its reason, the rest graded.

#[cfg(unix)]
#[test]
fn a_batch_of_hostile_files_grades_the_good_ones() {
    let good = sample("average.txt");
    let mut liar = zip_bomb("word/document.xml", UNPACKED_LIMIT + 1024 * 1024);
    lie_about_sizes(&mut liar, 100);
    let huge = vec![b'a'; FILE_LIMIT as usize + 1];
    let dir = folder(&[
        ("class/01-good.txt", good.as_bytes()),
        ("class/02-empty.txt", b""),
        ("class/03-blank.md", b"\n   \n"),
        ("class/04-nul.txt", b"a\0b"),
        ("class/05-utf16.txt", b"\xFF\xFEa\0b"),
        ("class/06-notzip.docx", b"hello"),
        ("class/07-bomb.docx", &liar),
        ("class/08-nodoc.docx", &zip(&[("x.xml", b"<x/>")])),
        ("class/09-huge.txt", &huge),
        ("class/10-good.docx", &docx_paragraphs(&[good.as_str()])),
        ("class/11-scan.pdf", b"%PDF-1.7"),
        ("class/11b-legacy.doc", b"\xD0\xCF\x11\xE0"),
        ("class/sub/12-good.md", sample("strong.txt").as_bytes()),
    ]);
    let root = dir.path().join("class");
    std::os::unix::fs::symlink(&root, root.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink("nowhere.txt", root.join("13-dangling.txt")).unwrap();
    let (code, v) = json_run(dir.path(), &["class"]);
    assert_eq!(code, Some(2), "files that could not be graded fail the run");
    let (code, _) = json_run(dir.path(), &["class", "--allow-ungraded"]);
    assert_eq!(code, Some(0), "unless allowed");
    assert_eq!(
        graded(&v),
        [
            "class/01-good.txt",
            "class/10-good.docx",
            "class/sub/12-good.md"
        ]
    );
    let reasons: Vec<(String, String)> = skipped(&v)
        .into_iter()
        .map(|(e, r)| (e.trim_start_matches("class/").to_string(), r))
        .collect();
    let expect = [
        ("02-empty.txt", "file is empty"),
        ("03-blank.md", "file has no text (only white space)"),
        ("04-nul.txt", "looks like a binary file, not text"),
        (
            "05-utf16.txt",
            "not valid text: UTF-16LE file has an odd number of bytes (truncated?)",
        ),
        (
            "06-notzip.docx",
            "not a valid docx document: not a Word document (not a zip archive)",
        ),
        ("07-bomb.docx", "not a valid docx document: "),
        (
            "08-nodoc.docx",
            "not a valid docx document: the archive has no word/document.xml (is it a Word document?)",
        ),
        ("09-huge.txt", "file is too large ("),
        ("11-scan.pdf", "damaged PDF: "),
        ("11b-legacy.doc", "unsupported file type .doc: a legacy Word document"),
        ("13-dangling.txt", "broken symbolic link: "),
    ];
    for (name, reason) in expect {
        assert!(
            reasons
                .iter()
                .any(|(e, r)| e == name && r.starts_with(reason)),
            "{name}: {reason}\n{reasons:#?}"
        );
    }
    assert_eq!(reasons.len(), expect.len(), "{reasons:#?}");
    // --strict turns any skipped file into exit 2, still with every report.
    let (code, v) = json_run(dir.path(), &["class", "--strict"]);
    assert_eq!(code, Some(2));
    assert_eq!(graded(&v).len(), 3);
    // Text output lists each skipped file on one line.
    let out = essaymark(dir.path())
        .args(["check", "class", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for (name, _) in expect {
        assert_eq!(
            text.lines()
                .filter(|l| l.starts_with("skipped: ") && l.contains(name))
                .count(),
            1,
            "{name}"
        );
    }
}

#[test]
fn several_bad_inputs_and_nothing_gradable_lists_each() {
    let dir = folder(&[("a.txt", b""), ("b.docx", b"x")]);
    let out = essaymark(dir.path())
        .args(["check", "a.txt", "b.docx", "c.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "essaymark: error: nothing could be graded\n\
         c.md: no such file or folder\n\
         a.txt: file is empty\n\
         b.docx: not a valid docx document: not a Word document (not a zip archive)\n"
    );
}

// ---------------------------------------------------------------------------
// Rubrics: a located error (file:line:column), exit 2, bounded time.

const RUBRIC_HEAD: &str = "id: hostile\ntitle: Hostile\nsections:\n  - id: s\n    title: S\n    criteria:\n      - id: c\n        points: 1\n";

/// Check the weak sample against `rubric` (written as rubric.yaml) and
/// return stderr, after asserting exit 2.
fn rubric_error(rubric: &[u8]) -> String {
    let dir = folder(&[
        ("essay.txt", sample("weak.txt").as_bytes()),
        ("rubric.yaml", rubric),
    ]);
    let out = essaymark(dir.path())
        .args(["check", "essay.txt", "--rubric", "rubric.yaml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("essaymark: error: invalid rubric\n"),
        "{stderr}"
    );
    stderr
}

#[test]
fn rubric_yaml_syntax_error() {
    let e = rubric_error(b"id: x\ntitle: \"unterminated\nsections: []\n");
    assert!(e.contains("rubric.yaml:2:8: unclosed quote"), "{e}");
    let e = rubric_error(b"id: x\n  title: bad indent\n");
    assert!(e.contains("rubric.yaml:2:"), "{e}");
}

#[test]
fn rubric_wrong_types_and_unknown_keys() {
    let e = rubric_error(
        b"id: x\ntitle: t\nsections:\n  - id: s\n    title: S\n    criteria:\n      - id: c\n        points: lots\n        match: [a]\n",
    );
    assert!(
        e.contains("rubric.yaml:8:17: criterion `c`: invalid floating point"),
        "{e}"
    );
    let e = rubric_error(b"id: x\ntitle: t\ncolour: red\nsections: []\n");
    assert!(
        e.contains("rubric.yaml:3:1: unknown field `colour`, expected one of"),
        "{e}"
    );
    let e =
        rubric_error(format!("{RUBRIC_HEAD}        match: [a]\n        mach: [b]\n").as_bytes());
    assert!(
        e.contains("rubric.yaml:10:9: criterion `c`: unknown field `mach`"),
        "{e}"
    );
}

#[test]
fn rubric_alias_bomb_is_refused_quickly() {
    // "Billion laughs": nine levels of ten aliases each would be 10^9
    // phrases; the YAML budget stops it after a quarter-million nodes.
    let mut levels = vec!["&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]".to_string()];
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        levels.push(format!("&a{i} [{refs}]"));
    }
    let yaml = format!("{RUBRIC_HEAD}        match: [{}]\n", levels.join(", "));
    let start = Instant::now();
    let e = rubric_error(yaml.as_bytes());
    assert!(
        e.contains("rubric.yaml:9:") && e.contains("criterion `c`: YAML budget exceeded"),
        "{e}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
    // A long scalar repeated through aliases: stopped by the scalar budget.
    let long = "lol".repeat(100_000);
    let mut yaml =
        format!("id: x\ntitle: &t \"{long}\"\nsections:\n  - id: s\n    title: S\n    criteria:\n");
    for i in 0..1000 {
        yaml.push_str(&format!(
            "      - {{id: c{i}, title: *t, feedback: *t, points: 1, match: [a]}}\n"
        ));
    }
    let e = rubric_error(yaml.as_bytes());
    assert!(e.contains("YAML budget exceeded"), "{e}");
}

#[test]
fn rubric_deeply_nested_input() {
    // Flow nesting, 100,000 deep: no stack overflow.
    let deep = format!(
        "id: x\ntitle: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let e = rubric_error(deep.as_bytes());
    assert!(e.contains("rubric.yaml:2:"), "{e}");
    // Nested match lists (which the schema allows) beyond the depth budget.
    let nested = format!(
        "{RUBRIC_HEAD}        match: {}a{}\n",
        "[".repeat(100),
        "]".repeat(100)
    );
    let e = rubric_error(nested.as_bytes());
    assert!(
        e.contains("rubric.yaml:9:") && e.contains("YAML budget exceeded: nesting deeper than"),
        "{e}"
    );
    // Block nesting.
    let block: String = (0..2000)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect();
    let e = rubric_error(format!("id: x\ntitle: t\nsections:\n{block}").as_bytes());
    assert!(e.contains("rubric.yaml:"), "{e}");
}

#[test]
fn rubric_huge_and_broken_regexes() {
    let e = rubric_error(
        format!(
            "{RUBRIC_HEAD}        match: {{regex: \"\\\\w{{1000}}\\\\w{{1000}}\\\\w{{1000}}\"}}\n"
        )
        .as_bytes(),
    );
    assert!(
        e.contains("rubric.yaml:9:")
            && e.contains("criterion `c`: invalid regex")
            && e.contains("exceeds size limit of 1048576 bytes"),
        "{e}"
    );
    let e =
        rubric_error(format!("{RUBRIC_HEAD}        match: {{regex: \"(unclosed\"}}\n").as_bytes());
    assert!(
        e.contains("rubric.yaml:9:")
            && e.contains("criterion `c`: invalid regex \"(unclosed\": unclosed group"),
        "{e}"
    );
    // Catastrophic backtracking patterns are harmless: the regex crate
    // matches in linear time.
    let dir = folder(&[
        ("essay.txt", "a".repeat(100_000).as_bytes()),
        (
            "rubric.yaml",
            format!("{RUBRIC_HEAD}        match: {{regex: \"(a+)+$\"}}\n").as_bytes(),
        ),
    ]);
    essaymark(dir.path())
        .args(["check", "essay.txt", "--rubric", "rubric.yaml"])
        .assert()
        .success();
}

#[test]
fn rubric_with_thousands_of_criteria_loads_and_grades() {
    let mut yaml = String::from("id: many\ntitle: Many\nsections:\n");
    for s in 0..20 {
        yaml.push_str(&format!("  - id: s{s}\n    title: S{s}\n    criteria:\n"));
        for c in 0..250 {
            yaml.push_str(&format!(
                "      - {{id: c{s}-{c}, points: 1, match: [word{c}x{s}, \"taliban rule {c}\", {regex}], develop: [border*]}}\n",
                // One criterion in five has a regex: 1,000, the most a
                // rubric may hold.
                regex = if c % 5 == 0 {
                    format!("{{regex: \"x{s}y{c}\"}}")
                } else {
                    format!("\"x{s}y{c}\"")
                }
            ));
        }
    }
    let dir = folder(&[
        ("essay.txt", sample("average.txt").as_bytes()),
        ("rubric.yaml", yaml.as_bytes()),
    ]);
    let start = Instant::now();
    let (code, v) = json_run(dir.path(), &["essay.txt", "--rubric", "rubric.yaml"]);
    assert_eq!(code, Some(0));
    assert_eq!(v["reports"][0]["criteria"].as_array().unwrap().len(), 5000);
    assert!(start.elapsed() < BOUND);
}

#[test]
fn rubric_too_large_not_utf8_missing_or_a_folder() {
    let big = format!("id: x\ntitle: t\n# {}\n", "x".repeat(4 * 1024 * 1024));
    let e = rubric_error(big.as_bytes());
    assert!(
        e.contains(&format!(
            "rubric.yaml:1:1: rubric is too large ({} bytes; the limit is 4194304)",
            big.len()
        )),
        "{e}"
    );
    let e = rubric_error(b"id: x\ntitle: caf\xE9\n");
    assert!(e.contains("rubric.yaml:1:1: rubric is not UTF-8"), "{e}");
    let dir = folder(&[("essay.txt", sample("weak.txt").as_bytes())]);
    fs::create_dir(dir.path().join("folder.yaml")).unwrap();
    let run = |rubric: &str| {
        let out = essaymark(dir.path())
            .args(["check", "essay.txt", "--rubric", rubric])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8(out.stderr).unwrap()
    };
    // A missing file may be the id of a built-in rubric; neither: one line.
    let e = run("missing.yaml");
    assert!(
        e.starts_with("essaymark: error: no rubric file missing.yaml") && e.lines().count() == 1,
        "{e}"
    );
    let e = run("folder.yaml");
    assert!(
        e.contains("folder.yaml:1:1: not a regular file (a device, pipe or folder): not read"),
        "{e}"
    );
}

// ---------------------------------------------------------------------------
// No data lost.

fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let m = fs::symlink_metadata(&p).unwrap();
            if m.is_dir() {
                stack.push(p);
            } else if m.is_file() {
                out.push((p.clone(), fs::read(&p).unwrap(), m.modified().unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn inputs_are_never_written_and_out_refuses_the_rubric() {
    let rubric = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics/pakistan-western-security.yaml"),
    )
    .unwrap();
    let dir = folder(&[
        ("class/a.txt", sample("weak.txt").as_bytes()),
        ("class/b.md", sample("strong.txt").as_bytes()),
        (
            "class/c.docx",
            &docx_paragraphs(&[sample("average.txt").as_str()]),
        ),
        ("class/d.txt", b""),
        ("rubric.yaml", &rubric),
    ]);
    let before = snapshot(dir.path());
    // A normal run with --out beside the inputs.
    essaymark(dir.path())
        .args([
            "check",
            "class",
            "--rubric",
            "rubric.yaml",
            "--out",
            "report.json",
            "--allow-ungraded",
        ])
        .assert()
        .success();
    assert!(dir.path().join("report.json").exists());
    fs::remove_file(dir.path().join("report.json")).unwrap();
    // --out naming the rubric, an essay in a folder batch, or the rubric
    // through another path: refused before anything is written.
    for out in ["rubric.yaml", "class/a.txt", "./class/../rubric.yaml"] {
        essaymark(dir.path())
            .args(["check", "class", "--rubric", "rubric.yaml", "--out", out])
            .assert()
            .code(2)
            .stderr(format!(
                "essaymark: error: refusing to overwrite {out} with the report: it is an input\n"
            ));
    }
    assert_eq!(snapshot(dir.path()), before, "inputs untouched");
}

#[test]
fn a_failed_run_keeps_the_previous_report() {
    let dir = folder(&[
        ("a.txt", sample("weak.txt").as_bytes()),
        ("empty.txt", b""),
        ("report.json", b"previous report"),
    ]);
    // Nothing could be graded: exit 2, and the old report stays.
    essaymark(dir.path())
        .args(["check", "empty.txt", "--out", "report.json"])
        .assert()
        .code(2);
    // An invalid rubric: exit 2 before grading.
    fs::write(dir.path().join("bad.yaml"), "id: [").unwrap();
    essaymark(dir.path())
        .args([
            "check",
            "a.txt",
            "--rubric",
            "bad.yaml",
            "--out",
            "report.json",
        ])
        .assert()
        .code(2);
    assert_eq!(
        fs::read(dir.path().join("report.json")).unwrap(),
        b"previous report"
    );
    let leftovers = fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 4, "no temporary files left behind");
}

// ---------------------------------------------------------------------------
// The fuzz targets' bodies, on stable.

fn fuzz_regressions(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile/fuzz")
        .join(target);
    let mut out: Vec<(PathBuf, Vec<u8>)> = match fs::read_dir(&dir) {
        Ok(rd) => rd
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| {
                let bytes = fs::read(&p).unwrap();
                (p, bytes)
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    out
}

/// Every input a fuzzer once crashed on (kept under
/// tests/fixtures/hostile/fuzz/TARGET/), run through the same body.
#[test]
fn fuzz_regressions_stay_fixed() {
    type Body = fn(&[u8]);
    let bodies: [(&str, Body); 4] = [
        ("rubric_loader", bodies::rubric_loader),
        ("ingest", bodies::ingest),
        ("check_pipeline", bodies::check_pipeline),
        ("pdf", bodies::pdf),
    ];
    for (target, body) in bodies {
        for (path, bytes) in fuzz_regressions(target) {
            let start = Instant::now();
            let r = std::panic::catch_unwind(|| body(&bytes));
            assert!(r.is_ok(), "{target}: {} panics again", path.display());
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{target}: {} takes {:?}",
                path.display(),
                start.elapsed()
            );
        }
    }
}

/// Small valid documents of every format, as seeds for byte mutations.
fn seeds() -> Vec<(u8, Vec<u8>)> {
    let odt_content = concat!(
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
        r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" "#,
        r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>"#,
        r#"<text:h text:outline-level="1">Border</text:h><text:p>The TTP<text:s text:c="3"/>rose after 2021.</text:p>"#,
        r#"<table:table><table:table-row><table:table-cell><text:p>a</text:p></table:table-cell>"#,
        r#"<table:table-cell><text:p>b</text:p></table:table-cell></table:table-row></table:table>"#,
        r#"</office:text></office:body></office:document-content>"#,
    );
    let odt = zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", odt_content.as_bytes()),
    ]);
    let docx = docx(concat!(
        r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Border</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:t xml:space="preserve">Stephen Walt argues the TTP rose </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r><w:r><w:tab/><w:t>in 2021.</w:t></w:r></w:p>"#,
        r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
    ));
    let md = "---\nt: x\n---\n# Border\n\nThe **TTP** rose ~~not~~ after [2021](x).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- Walt argues\n  > quoted\n";
    let txt = "Introduction\n\nThe Taliban refuse the Durand Line; attacks rose sharply.\nStephen Walt argues ~~x~~ that refugees cost the economy.\n";
    vec![
        (0, txt.as_bytes().to_vec()),
        (1, md.as_bytes().to_vec()),
        (2, docx),
        (3, odt),
    ]
}

/// A seed with random edits: bytes overwritten, inserted, removed, and the
/// tail cut, which reaches the archive and XML error paths as well as the
/// text ones.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let edits = prop::collection::vec((any::<u16>(), any::<u8>(), 0u8..4), 0..8);
    (0..4usize, edits, any::<u16>()).prop_map(|(seed, edits, cut)| {
        let (selector, mut bytes) = seeds().swap_remove(seed);
        for (at, byte, op) in edits {
            let at = at as usize % (bytes.len() + 1);
            match op {
                0 if at < bytes.len() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                2 if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => {}
            }
        }
        if cut % 4 == 0 {
            bytes.truncate(cut as usize % (bytes.len() + 1));
        }
        let mut data = vec![selector];
        data.extend(bytes);
        data
    })
}

/// The exercise rubric with random text edits: most fail to load, each
/// with a located error.
fn mutated_rubric() -> impl Strategy<Value = Vec<u8>> {
    let edits = prop::collection::vec((any::<u16>(), "[ -~\n\t]{0,4}", 0u8..3), 1..6);
    edits.prop_map(|edits| {
        let mut text = bodies::EXERCISE_RUBRIC.to_string();
        for (at, s, op) in edits {
            let mut at = at as usize % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match op {
                0 => text.insert_str(at, &s),
                1 => {
                    let end = (at + s.len().max(1)).min(text.len());
                    if text.is_char_boundary(end) {
                        text.replace_range(at..end, "");
                    }
                }
                _ => {
                    let end = (at + s.len()).min(text.len());
                    if text.is_char_boundary(end) {
                        text.replace_range(at..end, &s);
                    }
                }
            }
        }
        text.into_bytes()
    })
}

/// Found by the pipeline fuzz body: "\n\r" is two line breaks (a lone CR
/// counts), so evidence on the third line is in range.
#[test]
fn fuzz_body_check_pipeline_lf_then_cr() {
    bodies::check_pipeline(b"\x00Introduction\n\rThe Taliban refuse the Durand Line; ");
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn fuzz_body_ingest_on_random_bytes(data in prop::collection::vec(any::<u8>(), 0..2048)) {
        bodies::ingest(&data);
    }

    #[test]
    fn fuzz_body_ingest_on_mutated_documents(data in mutated()) {
        bodies::ingest(&data);
    }

    #[test]
    fn fuzz_body_pdf_on_mutated_pdfs(
        data in (prop::collection::vec(any::<u8>(), 0..64), any::<u8>(), 0usize..400).prop_map(|(junk, sel, at)| {
            // A small valid PDF with junk spliced in somewhere.
            let mut pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >> endobj\n4 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n5 0 obj << /Length 44 >> stream\nBT /F1 10 Tf 56 800 Td (The TTP rose.) Tj ET\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec();
            let at = at.min(pdf.len());
            pdf.splice(at..at, junk);
            pdf.insert(0, sel);
            pdf
        })
    ) {
        bodies::pdf(&data);
    }

    #[test]
    fn fuzz_body_check_pipeline_on_mutated_documents(data in mutated()) {
        bodies::check_pipeline(&data);
    }

    #[test]
    fn fuzz_body_rubric_loader_on_mutated_rubrics(data in mutated_rubric()) {
        bodies::rubric_loader(&data);
    }

    #[test]
    fn fuzz_body_rubric_loader_on_random_yaml(data in "[a-z:\\-\\[\\]{}&*!|>'\" \n#,?%@`]{0,400}") {
        bodies::rubric_loader(data.as_bytes());
    }
}

// Second hardening round (issue #15): each test reproduces one broken
// promise of docs/limits.md.

/// `check - --out essay.md < essay.md` must not replace the essay.
#[test]
fn stdin_that_is_the_out_file_is_refused() {
    let dir = folder(&[("essay.md", sample("strong.txt").as_bytes())]);
    let essay = dir.path().join("essay.md");
    let before = fs::read(&essay).unwrap();
    let stdin = fs::File::open(&essay).unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("essaymark"))
        .current_dir(dir.path())
        .args(["check", "-", "--out", "essay.md"])
        .stdin(stdin)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("refusing to overwrite essay.md with the report: it is an input"),
        "{err}"
    );
    assert_eq!(fs::read(&essay).unwrap(), before, "the essay is intact");
}

/// A file name and an essay written to inject: workflow commands through the
/// per-essay line, terminal escapes through text output, raw HTML through
/// the Markdown report. No format may pass any of it on.
#[test]
fn no_output_format_passes_on_injected_commands_or_markup() {
    let name =
        "x\n::error file=evil.yml,line=1::INJECTED\n::add-mask::x\n\x1b]0;pwned\x07\x1b[2J.txt";
    let essay = format!(
        "{}\n\nThe Durand Line <script>alert(1)</script> <img src=x onerror=alert(2)> \x1b[31mred\x1b[0m Pakistan border.\n",
        sample("average.txt")
    );
    let dir = folder(&[(name, essay.as_bytes())]);
    for format in [
        "github", "concise", "text", "markdown", "html", "junit", "sarif", "json", "csv",
    ] {
        let out = essaymark(dir.path())
            .args(["check", ".", "--color", "always", "--format", format])
            .env("GITHUB_STEP_SUMMARY", "")
            .output()
            .unwrap();
        assert!(out.status.code().unwrap() < 2, "{format}: {out:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        for line in stdout.lines() {
            let t = line.trim_start();
            assert!(
                !(t.starts_with("::error file=evil") || t.starts_with("::add-mask::")),
                "{format}: injected workflow command: {line}"
            );
        }
        // Colour codes are essaymark's own; the title sequence and clear
        // screen from the name and the essay's red must not appear.
        assert!(!stdout.contains("\x1b]0;"), "{format}: OSC passed on");
        assert!(!stdout.contains("\x1b[2J"), "{format}: escape passed on");
        assert!(
            !stdout.contains("\x1b[31mred"),
            "{format}: escape passed on"
        );
        if format != "json" && format != "sarif" {
            assert!(!stdout.contains("<script>alert"), "{format}: raw HTML");
            assert!(!stdout.contains("<img src=x"), "{format}: raw HTML");
        }
    }
}

/// Issue #15.11: two criteria of `points: 1e308` made the score NaN, and NaN
/// passed `--fail-under`. Huge points are refused with their place.
#[test]
fn non_finite_or_huge_points_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let rubric = dir.path().join("huge.yaml");
    std::fs::write(
        &rubric,
        "id: huge\ntitle: Huge\nsections:\n  - id: s\n    title: S\n    criteria:\n      - {id: a, points: 1e308, match: [TTP]}\n      - {id: b, points: 1e308, match: [ISIS-K]}\n",
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("essaymark")
        .unwrap()
        .args([
            "check",
            "samples/weak.txt",
            "--fail-under",
            "50",
            "--rubric",
        ])
        .arg(&rubric)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("huge.yaml:7:") && err.contains("points must be a number from 0 to 1000000"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------
// Issue #15, second round: pipes, encodings, reports in the graded folder,
// special files, signals, configs, hidden text, memory and regex budgets.

fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("essaymark")
}

/// The samples folder plus a binary file, so a CSV run writes its report to
/// stdout and then a "skipped" line to stderr.
fn samples_and_a_bad_file() -> TempDir {
    let dir = folder(&[("bad.txt", b"\x00\x01\x02binary\x00")]);
    for name in ["strong.txt", "weak.txt", "average.txt"] {
        fs::write(dir.path().join(name), sample(name)).unwrap();
    }
    dir
}

/// `check --format csv | head -1`: the reader goes away before the report
/// is written. The run ends quietly with 0, as `cat` or `grep` do.
#[test]
fn a_closed_stdout_pipe_ends_the_run_quietly() {
    use std::process::Stdio;
    let dir = samples_and_a_bad_file();
    let mut child = std::process::Command::new(binary())
        .current_dir(dir.path())
        .args(["check", ".", "--format", "csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Closed long before the child has graded anything.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

/// Warnings written to a stderr whose reader has gone are lost, not a
/// panic (exit 101).
#[test]
fn a_closed_stderr_pipe_is_no_panic() {
    use std::process::Stdio;
    let dir = samples_and_a_bad_file();
    let mut child = std::process::Command::new(binary())
        .current_dir(dir.path())
        .args(["check", ".", "--format", "csv", "--allow-ungraded"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

/// `check ... 2>&1 | head -c0`: both streams on one closed pipe.
#[cfg(unix)]
#[test]
fn both_streams_on_a_closed_pipe() {
    let dir = samples_and_a_bad_file();
    let out = std::process::Command::new("bash")
        .current_dir(dir.path())
        .arg("-c")
        .arg(r#""$0" check . --format csv 2>&1 | head -c0; exit "${PIPESTATUS[0]}""#)
        .arg(binary())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

/// `check class/ --out class/report.md`, run twice: the second run must
/// neither grade the report as a student nor refuse to run because the
/// report "is an input". A Markdown report or feedback saved there earlier
/// is recognised by its marker and left out with a note, not a failure.
#[test]
fn a_report_written_into_the_graded_folder_is_not_graded() {
    let dir = folder(&[
        ("class/ali.txt", sample("strong.txt").as_bytes()),
        ("class/sara.txt", sample("weak.txt").as_bytes()),
    ]);
    for _ in 0..2 {
        essaymark(dir.path())
            .args(["check", "class", "--out", "class/report.md", "--strict"])
            .args(["--feedback", "class/feedback", "--feedback-format", "md"])
            .assert()
            .code(0);
        // A text report saved as .txt carries the marker too.
        essaymark(dir.path())
            .args(["check", "class", "--out", "class/report.txt", "--strict"])
            .assert()
            .code(0);
    }
    let report = fs::read_to_string(dir.path().join("class/report.md")).unwrap();
    assert!(!report.contains("report.md"), "{report}");
    assert!(!report.contains("feedback/"), "{report}");
    // A later run with no --out at all: the earlier outputs are notes.
    let out = essaymark(dir.path())
        .args(["check", "class", "--strict", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(graded(&v), ["class/ali.txt", "class/sara.txt"]);
    assert!(
        stderr.contains("essaymark: note: skipping class/report.md: written by essaymark"),
        "{stderr}"
    );
    assert!(
        stderr.contains("class/feedback/ali.md: written by essaymark"),
        "{stderr}"
    );
    // Feedback into the graded folder itself: graded once, left out after.
    for _ in 0..2 {
        let (code, v) = json_run(
            dir.path(),
            &["class", "--feedback", "class", "--feedback-format", "md"],
        );
        assert_eq!(code, Some(0));
        assert_eq!(graded(&v), ["class/ali.txt", "class/sara.txt"]);
    }
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// A FIFO or a device inside a folder is listed as skipped and never
/// opened (a FIFO would block the read); `--out` onto a FIFO that nothing
/// reads is an error at once, not a run that blocks forever.
#[cfg(unix)]
#[test]
fn fifos_in_a_folder_and_as_out_never_block() {
    let dir = folder(&[("class/ali.txt", sample("strong.txt").as_bytes())]);
    mkfifo(&dir.path().join("class/pipe.txt"));
    mkfifo(&dir.path().join("class/other"));
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("class/zero.txt")).unwrap();
    let (code, v) = json_run(dir.path(), &["class"]);
    assert_eq!(code, Some(2), "files that could not be graded fail the run");
    assert_eq!(graded(&v), ["class/ali.txt"]);
    let reason = "not a regular file (a device, pipe or socket)".to_string();
    assert_eq!(
        skipped(&v),
        [
            ("class/other".to_string(), reason.clone()),
            ("class/pipe.txt".to_string(), reason.clone()),
            ("class/zero.txt".to_string(), reason),
        ]
    );
    mkfifo(&dir.path().join("out.json"));
    let started = Instant::now();
    let e = one_line_error(dir.path(), &["class/ali.txt", "--out", "out.json"]);
    assert!(started.elapsed() < Duration::from_secs(60));
    assert!(
        e.contains("out.json is a named pipe that nothing is reading"),
        "{e}"
    );
}

/// SIGTERM, SIGINT or SIGHUP while `--out` is being written: the temporary
/// file is deleted, the previous report kept, and the exit code is 128 +
/// the signal's number.
#[cfg(unix)]
#[test]
fn a_signal_during_out_leaves_no_temporary_file() {
    let essay = sample("strong.txt");
    for (signal, code) in [("TERM", 143), ("INT", 130), ("HUP", 129)] {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..400 {
            fs::create_dir_all(dir.path().join("class")).unwrap();
            fs::write(dir.path().join(format!("class/{i:03}.txt")), &essay).unwrap();
        }
        fs::create_dir(dir.path().join("out")).unwrap();
        fs::write(dir.path().join("out/report.json"), "old").unwrap();
        let mut child = std::process::Command::new(binary())
            .current_dir(dir.path())
            .args(["check", "class", "--out", "out/report.json"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let temporaries = || {
            fs::read_dir(dir.path().join("out"))
                .unwrap()
                .filter(|e| e.as_ref().unwrap().file_name() != "report.json")
                .count()
        };
        let started = Instant::now();
        while temporaries() == 0 {
            assert!(started.elapsed() < BOUND, "no temporary file appeared");
            assert!(child.try_wait().unwrap().is_none(), "finished too soon");
            std::thread::sleep(Duration::from_millis(20));
        }
        let killed = std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "SIG{signal}");
        assert_eq!(temporaries(), 0, "SIG{signal}");
        assert_eq!(
            fs::read_to_string(dir.path().join("out/report.json")).unwrap(),
            "old"
        );
    }
}

/// A config from a pull request cannot make essaymark read files outside
/// the repository: links out of it (to a file or a folder, named in
/// `paths:` or met while walking) are listed as not read, and a rubric
/// outside it is refused at its line and column without quoting the file.
#[cfg(unix)]
#[test]
fn a_config_cannot_reach_outside_the_repository() {
    use std::os::unix::fs::symlink;
    let secret = "Stephen Walt argues the secret sauce is SECRET-TOKEN-4711.";
    let dir = folder(&[
        ("outside/secret.txt", secret.as_bytes()),
        ("outside/folder/essay.txt", secret.as_bytes()),
        ("outside/rubric.yaml", b"id: SECRET-TOKEN-4711\n"),
        ("repo/class/ali.txt", sample("strong.txt").as_bytes()),
        ("repo/class/inside.txt", sample("weak.txt").as_bytes()),
    ]);
    let repo = dir.path().join("repo");
    symlink("../../outside/secret.txt", repo.join("class/evil.txt")).unwrap();
    symlink("../outside/secret.txt", repo.join("leak.txt")).unwrap();
    symlink("../outside/folder", repo.join("linked")).unwrap();
    symlink("../outside/rubric.yaml", repo.join("rubric.yaml")).unwrap();
    fs::write(
        repo.join(".essaymark.yaml"),
        "essays:\n  - paths: [\"class\", \"leak.txt\", \"linked\"]\n",
    )
    .unwrap();
    let out = essaymark(&repo)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("SECRET-TOKEN"), "{all}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(graded(&v), ["class/ali.txt", "class/inside.txt"]);
    let outside: Vec<String> = skipped(&v)
        .into_iter()
        .filter(|(_, why)| why.contains("leads outside the repository"))
        .map(|(p, _)| p)
        .collect();
    assert_eq!(outside, ["class/evil.txt", "leak.txt", "linked"], "{v}");

    for (value, reason) in [
        ("/etc/shadow", "is absolute"),
        ("../outside/rubric.yaml", "`..` is not allowed"),
        ("rubric.yaml", "leads outside the config file's folder"),
    ] {
        fs::write(
            repo.join(".essaymark.yaml"),
            format!("fail_under: 10\nrubric: {value}\n"),
        )
        .unwrap();
        let out = essaymark(&repo)
            .args(["check", "class/ali.txt"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(".essaymark.yaml:2:9:"), "{stderr}");
        assert!(stderr.contains(reason), "{stderr}");
        assert!(!stderr.contains("SECRET-TOKEN"), "{stderr}");
        assert!(!stderr.contains("root:"), "{stderr}");
    }
}

/// A weak essay with a strong one hidden in it scores like the weak one,
/// with a warning, in every way .docx and .odt can hide text.
#[test]
fn hidden_text_is_not_graded_in_docx_or_odt() {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let weak = sample("weak.txt");
    let strong = sample("strong.txt");
    let lines = |text: &str, run_props: &str| -> String {
        text.lines()
            .map(|l| format!("<w:p><w:r>{run_props}<w:t>{}</w:t></w:r></w:p>", esc(l)))
            .collect()
    };
    let docx_with = |props: &str| docx(&(lines(&weak, "") + &lines(&strong, props)));
    let odt_with = |styles: &str, wrap: &dyn Fn(&str) -> String| {
        let paras = |t: &str| -> String {
            t.lines()
                .map(|l| format!("<text:p>{}</text:p>", esc(l)))
                .collect()
        };
        let content = format!(
            r##"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
<office:automatic-styles>{styles}</office:automatic-styles>
<office:body><office:text>{}{}</office:text></office:body></office:document-content>"##,
            paras(&weak),
            wrap(&strong)
        );
        zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", content.as_bytes()),
        ])
    };
    let styled = |style: &'static str| {
        move |t: &str| -> String {
            t.lines()
                .map(|l| format!(r#"<text:p text:style-name="{style}">{}</text:p>"#, esc(l)))
                .collect()
        }
    };
    let white_tiny = r##"<style:style style:name="W" style:family="paragraph"><style:text-properties fo:color="#ffffff" fo:font-size="1pt"/></style:style><style:style style:name="H" style:family="paragraph"><style:text-properties text:display="none"/></style:style>"##;
    let section = |t: &str| -> String {
        let inner: String = t
            .lines()
            .map(|l| format!("<text:p>{}</text:p>", esc(l)))
            .collect();
        format!(r#"<text:section text:name="S" text:display="none">{inner}</text:section>"#)
    };
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("weak.txt", weak.clone().into_bytes()),
        (
            "white.docx",
            docx_with(r#"<w:rPr><w:color w:val="FFFFFF"/></w:rPr>"#),
        ),
        (
            "tiny.docx",
            docx_with(r#"<w:rPr><w:sz w:val="2"/></w:rPr>"#),
        ),
        ("section.odt", odt_with("", &section)),
        ("white.odt", odt_with(white_tiny, &styled("W"))),
        ("hidden.odt", odt_with(white_tiny, &styled("H"))),
    ];
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let dir = folder(&refs);
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    let (code, v) = json_run(dir.path(), &names);
    assert_eq!(code, Some(0));
    let reports = v["reports"].as_array().unwrap();
    let weak_score = reports[0]["score"].as_f64().unwrap();
    assert!(weak_score < 30.0, "{weak_score}");
    for r in &reports[1..] {
        assert_eq!(r["score"].as_f64().unwrap(), weak_score, "{}", r["essay"]);
        assert!(
            r["warnings"][0]
                .as_str()
                .unwrap_or_default()
                .contains("characters of hidden text"),
            "{r}"
        );
    }
}

/// Run `essaymark ARGS` in `cwd` with its address space capped at `mib`
/// MiB (`ulimit -v`), returning the output.
#[cfg(unix)]
fn under_memory_limit(cwd: &Path, mib: u64, args: &[&str]) -> std::process::Output {
    std::process::Command::new("sh")
        .current_dir(cwd)
        .arg("-c")
        .arg(format!("ulimit -v {}; exec \"$0\" \"$@\"", mib * 1024))
        .arg(binary())
        .args(args)
        .output()
        .unwrap()
}

/// Regex rubrics within the 4 MiB file limit are compiled or refused
/// within bounded memory and time: 5,000 `\w` regexes took 2.4-3.6 GB
/// before the refusal, 12,000 small ones ran for over 100 s.
#[cfg(unix)]
#[test]
fn regex_rubrics_are_refused_within_a_memory_and_time_budget() {
    let head = "id: x\ntitle: t\nsections:\n  - id: s\n    title: S\n    criteria:\n";
    let rubric = |n: usize, pattern: &dyn Fn(usize) -> String| {
        let mut y = head.to_string();
        for i in 0..n {
            y.push_str(&format!(
                "      - {{id: c{i}, points: 1, match: [{{regex: '{}'}}]}}\n",
                pattern(i)
            ));
        }
        y
    };
    let word = rubric(5_000, &|i| format!(r"\w+ x{i}"));
    let small = rubric(12_000, &|i| format!("ab{i}c"));
    let fine = rubric(500, &|i| format!("ab{i}c"));
    assert!(small.len() < 4 << 20);
    let dir = folder(&[
        ("essay.txt", sample("weak.txt").as_bytes()),
        ("word.yaml", word.as_bytes()),
        ("small.yaml", small.as_bytes()),
        ("fine.yaml", fine.as_bytes()),
    ]);
    for (file, expect) in [
        (
            "word.yaml",
            "word.yaml:463:47: criterion `c456`: the rubric's regexes compile to more than 8388608 bytes together",
        ),
        (
            "small.yaml",
            "small.yaml:1007:48: criterion `c1000`: more than 1000 regexes in one rubric",
        ),
    ] {
        let started = Instant::now();
        let out = under_memory_limit(dir.path(), 1024, &["check", "essay.txt", "--rubric", file]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expect), "{stderr}");
        // A debug build on a loaded machine: release takes well under 5 s.
        assert!(started.elapsed() < Duration::from_secs(60));
    }
    let out = under_memory_limit(
        dir.path(),
        1024,
        &["check", "essay.txt", "--rubric", "fine.yaml"],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

/// Memory follows the number of blocks, not bytes: 16 MiB of "a\n\n" took
/// 1.4 GB, a .docx of millions of one-letter paragraphs 0.8-1.2 GB, 16 MiB
/// of two-word sentences 358 MB. All are refused with a reason, in well
/// under 512 MiB of address space.
#[cfg(unix)]
#[test]
fn millions_of_tiny_paragraphs_are_refused_in_bounded_memory() {
    let blank_separated = "a\n\n".repeat((FILE_LIMIT / 3) as usize - 10);
    let list = "- a\n".repeat(1_100_000);
    let paragraphs = {
        let body = "<p><r><t>a</t></r></p>".repeat(2_900_000);
        let doc = format!(r#"<document xmlns="{W_NS}"><body>{body}</body></document>"#);
        zip(&[("word/document.xml", doc.as_bytes())])
    };
    let blocks = "a\n\n".repeat(250_000);
    let sentences = "A b. ".repeat((FILE_LIMIT / 5) as usize - 10);
    let dir = folder(&[
        ("sentences.txt", sentences.as_bytes()),
        ("blank.txt", blank_separated.as_bytes()),
        ("list.md", list.as_bytes()),
        ("paras.docx", &paragraphs),
        ("blocks.txt", blocks.as_bytes()),
    ]);
    for (file, reason) in [
        (
            "sentences.txt",
            "too many sentences (more than 500000): not an essay",
        ),
        (
            "blank.txt",
            "too many lines (more than 1000000): not an essay",
        ),
        (
            "list.md",
            "too many lines (more than 1000000): not an essay",
        ),
        (
            "paras.docx",
            "too many paragraphs (more than 200000): not an essay",
        ),
        (
            "blocks.txt",
            "too many paragraphs (more than 200000): not an essay",
        ),
    ] {
        let out = under_memory_limit(dir.path(), 512, &["check", file]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {stderr}");
        assert_eq!(
            stderr.trim_end(),
            format!("essaymark: error: {file}: {reason}")
        );
    }
}

// ---------------------------------------------------------------------------
// Round 3 (issue #25): an untrusted repository, as CI on a pull request sees
// it, controls every file and link in its tree.

#[cfg(unix)]
fn link(target: impl AsRef<Path>, at: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, at).unwrap();
}

/// (1) `--out` and `--feedback` never write through a link, and never
/// through a linked folder of the repository.
#[cfg(unix)]
#[test]
fn reports_are_never_written_through_links() {
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("bashrc");
    fs::write(&victim, "export SAFE=1\n").unwrap();
    let dir = folder(&[("essay.txt", sample("strong.txt").as_bytes())]);
    let root = dir.path();
    link(&victim, root.join("report.sarif"));
    let err = one_line_error(root, &["essay.txt", "--out", "report.sarif"]);
    assert!(err.contains("symbolic link"), "{err}");
    // A folder of the repository that links outside.
    link(outside.path(), root.join("work"));
    let err = one_line_error(root, &["essay.txt", "--out", "work/report.json"]);
    assert!(err.contains("symbolic link"), "{err}");
    assert!(!outside.path().join("report.json").exists());
    // A feedback file that is a link to a file outside: left alone, the
    // student's feedback goes to the next free name.
    fs::create_dir(root.join("fb")).unwrap();
    link(&victim, root.join("fb/essay.html"));
    essaymark(root)
        .args(["check", "essay.txt", "--feedback", "fb", "-q"])
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "export SAFE=1\n");
    assert!(root.join("fb/essay-2.html").is_file());
    // The feedback folder itself a link: refused.
    link(outside.path(), root.join("fb2"));
    let err = one_line_error(root, &["essay.txt", "--feedback", "fb2"]);
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(fs::read_to_string(&victim).unwrap(), "export SAFE=1\n");
}

/// (2) A config or rubric linked to the environment (or anything outside
/// the repository) is refused, and nothing of it is shown.
#[cfg(target_os = "linux")]
#[test]
fn a_linked_config_or_rubric_never_prints_the_environment() {
    let dir = folder(&[("essay.txt", sample("strong.txt").as_bytes())]);
    let root = dir.path();
    fs::create_dir(root.join(".git")).unwrap();
    link("/proc/self/environ", root.join(".essaymark.yaml"));
    let out = essaymark(root)
        .env("ESSAYMARK_SECRET_TOKEN", "ghp_topsecret")
        .args(["check", "essay.txt"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("topsecret"), "{stderr}");
    assert!(stderr.contains("outside the repository"), "{stderr}");
    fs::remove_file(root.join(".essaymark.yaml")).unwrap();
    link("/proc/self/environ", root.join("rubric.yaml"));
    let out = essaymark(root)
        .env("ESSAYMARK_SECRET_TOKEN", "ghp_topsecret")
        .args(["check", "essay.txt", "--rubric", "rubric.yaml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("topsecret"), "{stderr}");
    // Named directly (not through a link), a system file is refused too.
    let out = essaymark(root)
        .env("ESSAYMARK_SECRET_TOKEN", "ghp_topsecret")
        .args(["check", "essay.txt", "--rubric", "/proc/self/environ"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("topsecret"), "{stderr}");
    assert!(stderr.contains("system file"), "{stderr}");
    // A settings file with NUL bytes is not echoed either.
    fs::remove_file(root.join("rubric.yaml")).unwrap();
    fs::write(root.join("rubric.yaml"), b"id: x\0TOKEN=ghp_topsecret\n").unwrap();
    let out = essaymark(root)
        .args(["check", "essay.txt", "--rubric", "rubric.yaml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("topsecret"), "{stderr}");
    assert!(stderr.contains("NUL"), "{stderr}");
}

/// (3) A folder walk does not read links that lead out of the folder, nor
/// into `.git`.
#[cfg(unix)]
#[test]
fn the_walk_does_not_follow_links_outside_or_into_git() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "root:x:0:0:TOPSECRET\n").unwrap();
    let dir = folder(&[
        ("essays/ali.txt", sample("strong.txt").as_bytes()),
        (
            ".git/config",
            b"[remote]\nurl = https://x:TOKEN@github.com/r\n",
        ),
    ]);
    let root = dir.path();
    link(
        outside.path().join("secret.txt"),
        root.join("essays/passwd.txt"),
    );
    link(root.join(".git/config"), root.join("essays/creds.txt"));
    let (code, v) = json_run(root, &["essays", "--allow-ungraded"]);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(graded(&v), vec!["essays/ali.txt"]);
    let s = v.to_string();
    assert!(!s.contains("TOPSECRET") && !s.contains("TOKEN@"), "{s}");
    let skipped = skipped(&v);
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped.iter().all(|(_, why)| why.contains("symbolic link")));
}

/// (6) `--feedback DIR` replaces only files it wrote: the teacher's
/// README.md stays, and the class report is never a student's page.
#[test]
fn feedback_replaces_only_its_own_files() {
    let dir = folder(&[
        ("class/class.txt", sample("average.txt").as_bytes()),
        ("class/readme.txt", sample("weak.txt").as_bytes()),
        ("fb/README.md", b"# Notes for the class\n"),
        ("fb/class.md", b"a page of the teacher's\n"),
    ]);
    let root = dir.path();
    essaymark(root)
        .args([
            "check",
            "class",
            "--glob",
            "*.txt",
            "--feedback",
            "fb",
            "--feedback-format",
            "md",
            "--out",
            "fb/class.html",
            "-q",
        ])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(root.join("fb/README.md")).unwrap(),
        "# Notes for the class\n"
    );
    assert_eq!(
        fs::read_to_string(root.join("fb/class.md")).unwrap(),
        "a page of the teacher's\n"
    );
    // The student called "class" got the next name; the class report is the
    // class report.
    assert!(fs::read_to_string(root.join("fb/class-2.md"))
        .unwrap()
        .contains("Feedback"));
    assert!(fs::read_to_string(root.join("fb/class.html"))
        .unwrap()
        .contains("<html"));
    // A second run replaces its own files and still not the teacher's.
    essaymark(root)
        .args([
            "check",
            "class",
            "--glob",
            "*.txt",
            "--feedback",
            "fb",
            "--feedback-format",
            "md",
            "-q",
        ])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(root.join("fb/class.md")).unwrap(),
        "a page of the teacher's\n"
    );
    assert!(!root.join("fb/class-3.md").exists());
}

/// (7) A 255-byte file name does not stop the class; Windows device names
/// and two Unicode spellings of one name are handled.
#[test]
fn long_reserved_and_unicode_names_get_safe_feedback_files() {
    let long = format!("{}.txt", "é".repeat(125)); // 250 bytes + ".txt"
    let nfd = "Jose\u{301}.txt"; // José, decomposed
    let nfc = "Jos\u{e9}.txt"; // José, composed
    let dir = folder(&[
        (&format!("class/{long}"), sample("average.txt").as_bytes()),
        ("class/CON.txt", sample("weak.txt").as_bytes()),
        (&format!("class/{nfd}"), sample("weak.txt").as_bytes()),
        (&format!("class2/{nfc}"), sample("weak.txt").as_bytes()),
    ]);
    let root = dir.path();
    essaymark(root)
        .args(["check", "class", "class2", "--feedback", "fb", "-q"])
        .assert()
        .success();
    let names = sorted_names(&root.join("fb"));
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(names.iter().all(|n| n.len() <= 140), "{names:?}");
    assert!(names.contains(&"CON_.html".to_string()), "{names:?}");
    assert!(names.contains(&"Jos\u{e9}.html".to_string()), "{names:?}");
    assert!(names.contains(&"Jos\u{e9}-2.html".to_string()), "{names:?}");
}

/// (8) Ids and globs from a config reach stderr without control characters
/// or a line a CI runner would take as a workflow command.
#[test]
fn messages_never_carry_workflow_commands_or_escapes() {
    let dir = folder(&[
        ("essay.txt", sample("strong.txt").as_bytes()),
        (
            ".essaymark.yaml",
            b"essays:\n  - paths: [\"nothing\\n::error title=pwned::gotcha\\u001b[2J/**\"]\n",
        ),
    ]);
    let out = essaymark(dir.path()).args(["check"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    for line in stderr.lines() {
        assert!(!line.trim_start().starts_with("::"), "{stderr}");
    }
}

/// (10) An essay that cannot be graded fails the run (exit 2, after the
/// report is written) unless `--allow-ungraded`.
#[test]
fn an_ungraded_essay_fails_the_run_unless_allowed() {
    let dir = folder(&[
        ("class/good.txt", sample("strong.txt").as_bytes()),
        ("class/bad.txt", b"essay\0with a NUL byte"),
    ]);
    let root = dir.path();
    let out = essaymark(root)
        .args(["check", "class", "--out", "marks.csv", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-ungraded"));
    let csv = fs::read_to_string(root.join("marks.csv")).unwrap();
    assert!(
        csv.contains("good.txt") && csv.contains("not graded"),
        "{csv}"
    );
    essaymark(root)
        .args(["check", "class", "--allow-ungraded", "-q"])
        .assert()
        .success();
}

/// (11, 12) Links, images and control characters from an essay or a file
/// name stay text in the Markdown report and feedback.
#[test]
fn markdown_outputs_have_no_live_links_or_escapes() {
    let essay = format!(
        "{}\n\nThe TTP revival after 2021 is explained at [this page](https://evil.example/x) and ![img](http://evil.example/p.png), see www.evil.example or mail me@evil.example.\n",
        sample("average.txt")
    );
    let dir = folder(&[("class/a\u{1b}[31mred.txt", essay.as_bytes())]);
    let root = dir.path();
    let out = essaymark(root)
        .args([
            "check",
            "class",
            "-f",
            "markdown",
            "--feedback",
            "fb",
            "--feedback-format",
            "md",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).unwrap();
    let fb = fs::read_dir(root.join("fb"))
        .unwrap()
        .map(|e| fs::read_to_string(e.unwrap().path()).unwrap())
        .collect::<String>();
    for text in [&md, &fb] {
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(!text.contains("](http"), "{text}");
        assert!(
            !text.contains("https://") && !text.contains("http://"),
            "{text}"
        );
        assert!(!text.contains("www.evil"), "{text}");
    }
}

/// (13) CSV cells cannot turn into formulas under `;` as the separator.
#[test]
fn csv_names_cannot_inject_formulas_under_either_separator() {
    let dir = folder(&[("class/alice;=2+5;.txt", sample("average.txt").as_bytes())]);
    let out = essaymark(dir.path())
        .args(["check", "class", "-f", "csv", "-q"])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    for line in csv.lines().skip(1) {
        for sep in [',', ';'] {
            // Split the way a spreadsheet does: separators inside quotes
            // do not split.
            let mut inside = false;
            let mut field = String::new();
            for c in line.chars().chain([sep]) {
                match c {
                    '"' => inside = !inside,
                    c if c == sep && !inside => {
                        assert!(
                            !field.starts_with(['=', '+', '@']),
                            "{sep:?}: {field:?} in {line}"
                        );
                        field.clear();
                    }
                    c => field.push(c),
                }
            }
        }
    }
}

/// (14) `--out` never replaces an essay, even one `--glob` left out.
#[test]
fn out_never_replaces_an_essay_the_glob_left_out() {
    let dir = folder(&[
        ("class/a.txt", sample("average.txt").as_bytes()),
        ("class/notes.md", b"# My own essay draft\n\nNot a report.\n"),
    ]);
    let root = dir.path();
    let err = one_line_error(
        root,
        &[
            "class",
            "--glob",
            "*.txt",
            "-f",
            "markdown",
            "--out",
            "class/notes.md",
        ],
    );
    assert!(err.contains("looks like an essay"), "{err}");
    assert_eq!(
        fs::read_to_string(root.join("class/notes.md")).unwrap(),
        "# My own essay draft\n\nNot a report.\n"
    );
    // Its own report it may replace, run after run.
    for _ in 0..2 {
        essaymark(root)
            .args(["check", "class/a.txt", "--out", "class/report.md", "-q"])
            .assert()
            .success();
    }
}

/// Messages for a write that fails name the target, not a temporary file.
#[cfg(unix)]
#[test]
fn a_failed_write_names_the_target() {
    let dir = folder(&[("essay.txt", sample("average.txt").as_bytes())]);
    let root = dir.path();
    fs::create_dir(root.join("ro")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(root.join("ro"), fs::Permissions::from_mode(0o555)).unwrap();
    if !permissions_apply(&root.join("ro")) {
        eprintln!("skipped: running as root, file permissions do not apply");
        return;
    }
    let err = one_line_error(root, &["essay.txt", "--out", "ro/report.json"]);
    assert!(err.contains("ro/report.json"), "{err}");
    assert!(!err.contains(".tmp"), "{err}");
}

/// README, LICENSE and the like in a class folder are not students (issue
/// #26, 9), unless a glob picks them.
#[test]
fn project_files_in_a_class_folder_are_not_graded() {
    let dir = folder(&[
        ("class/ali.txt", sample("average.txt").as_bytes()),
        (
            "class/README.md",
            b"# Class 10-B\n\nSubmissions for the essay.\n",
        ),
        ("class/LICENSE.txt", b"MIT License\n"),
    ]);
    let root = dir.path();
    let out = essaymark(root)
        .args(["check", "class", "-f", "json", "-q"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(graded(&v), vec!["class/ali.txt"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("README"),
        "a note says why"
    );
    let (_, v) = json_run(root, &["class", "--glob", "README.md"]);
    assert_eq!(graded(&v), vec!["class/README.md"]);
}

// ---------------------------------------------------------------------------
// Damaged, encrypted and scanned PDFs, and password-protected documents,
// each get their own message (issue #25, 16).

/// A one-page PDF with a text layer: the sample essay's first lines.
fn text_pdf() -> Vec<u8> {
    let mut content = String::new();
    for (i, line) in sample("average.txt").lines().take(40).enumerate() {
        let line: String = line
            .chars()
            .filter(|c| c.is_ascii() && !matches!(c, '(' | ')' | '\\'))
            .collect();
        content += &format!("BT /F1 10 Tf 56 {} Td ({line}) Tj ET\n", 800 - 14 * i);
    }
    let stream = format!(
        "<< /Length {} >>\nstream\n{content}endstream",
        content.len()
    );
    pdf_of(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            &stream,
        ],
        "",
    )
}

#[test]
fn a_pdf_built_here_with_a_text_layer_is_graded() {
    let dir = folder(&[("essay.pdf", &text_pdf())]);
    let (code, v) = json_run(dir.path(), &["essay.pdf"]);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(graded(&v), ["essay.pdf"]);
}

/// A truncated text PDF is damaged, not a scan and not "cannot read".
#[test]
fn a_truncated_pdf_is_damaged_not_scanned() {
    let good = text_pdf();
    for cut in [good.len() / 4, good.len() / 2, good.len() - 40] {
        let dir = folder(&[("essay.pdf", &good[..cut])]);
        let err = one_line_error(dir.path(), &["essay.pdf"]);
        assert!(
            err.starts_with("essaymark: error: essay.pdf: damaged PDF: ")
                && err.ends_with("; re-export it"),
            "cut at {cut} of {}: {err}",
            good.len()
        );
        assert!(!err.contains("scanned"), "{err}");
    }
    // The structure is whole but the page's text is not there (its content
    // stream's object is lost): the reader finds no text, and that is
    // damage, not a scan.
    let at = position_of(&good, b"5 0 obj");
    let mut lost = good.clone();
    lost[at] = b'9';
    let dir = folder(&[("essay.pdf", &lost)]);
    let err = one_line_error(dir.path(), &["essay.pdf"]);
    assert_eq!(
        err,
        "essaymark: error: essay.pdf: damaged PDF: page 1 is missing or incomplete (truncated?); re-export it"
    );
}

fn position_of(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .position(|w| w == needle)
        .expect("present")
}

/// A PDF with /Encrypt in its trailer that the empty password does not
/// open: no password was supplied, so none is called incorrect.
#[test]
fn an_encrypted_pdf_says_so() {
    let o = "<".to_string() + &"4f".repeat(32) + ">";
    let u = "<".to_string() + &"75".repeat(32) + ">";
    let encrypt = format!("<< /Filter /Standard /V 1 /R 2 /O {o} /U {u} /P -4 >>");
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        "<< /Length 8 >>\nstream\n\x01\x02\x03\x04\x05\x06\x07\x08\nendstream",
    ];
    objects.push(&encrypt);
    let id = "<00112233445566778899aabbccddeeff>";
    let bytes = pdf_of(&objects, &format!("/Encrypt 5 0 R /ID [{id} {id}]"));
    rejects(
        "essay.pdf",
        &bytes,
        "encrypted PDF: essaymark cannot open password-protected files; save an unprotected copy",
    );
}

/// A valid PDF whose page is an image and nothing else: a scan.
#[test]
fn an_image_only_pdf_is_a_scan() {
    let bytes = pdf_of(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
            "<< /Length 31 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\nendstream",
            "<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\x00\x40\x40\x7f\nendstream",
        ],
        "",
    );
    rejects(
        "scan.pdf",
        &bytes,
        "no text layer (scanned?): run OCR or ask for the .docx",
    );
}

/// A minimal Compound File (OLE) container, as Office writes a
/// password-protected .docx: 512-byte sectors, the FAT in sector 0, the
/// directory in sector 1 holding a root entry and one stream per name.
fn cfb_of(streams: &[&str]) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    let mut out = vec![0u8; 512 * 3];
    let mut put = |at: usize, bytes: &[u8]| out[at..at + bytes.len()].copy_from_slice(bytes);
    put(0, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    put(0x18, &0x3Eu16.to_le_bytes());
    put(0x1A, &3u16.to_le_bytes());
    put(0x1C, &0xFFFEu16.to_le_bytes());
    put(0x1E, &9u16.to_le_bytes()); // 512-byte sectors
    put(0x20, &6u16.to_le_bytes());
    put(0x2C, &1u32.to_le_bytes()); // one FAT sector
    put(0x30, &1u32.to_le_bytes()); // the directory starts at sector 1
    put(0x38, &4096u32.to_le_bytes());
    put(0x3C, &END.to_le_bytes());
    put(0x44, &END.to_le_bytes());
    put(0x4C, &0u32.to_le_bytes()); // the FAT is sector 0
    for i in 1..109 {
        put(0x4C + 4 * i, &FREE.to_le_bytes());
    }
    put(512, &0xFFFF_FFFDu32.to_le_bytes()); // sector 0: a FAT sector
    put(516, &END.to_le_bytes()); // sector 1: the directory, one sector
    for i in 2..128 {
        put(512 + 4 * i, &FREE.to_le_bytes());
    }
    let names = std::iter::once(("Root Entry", 5u8)).chain(streams.iter().map(|s| (*s, 2)));
    for (i, (name, kind)) in names.enumerate() {
        let e = 1024 + 128 * i;
        let units: Vec<u16> = name.encode_utf16().chain([0]).collect();
        for (j, u) in units.iter().enumerate() {
            put(e + 2 * j, &u.to_le_bytes());
        }
        put(e + 64, &((units.len() * 2) as u16).to_le_bytes());
        put(e + 66, &[kind]);
        for off in [68, 72, 76] {
            put(e + off, &FREE.to_le_bytes());
        }
    }
    out
}

/// A password-protected .docx is an OLE container like a legacy .doc, with
/// `EncryptionInfo` and `EncryptedPackage` streams: it is called what it
/// is, and a plain OLE file stays a legacy .doc.
#[test]
fn a_password_protected_docx_is_not_a_legacy_doc() {
    let locked = cfb_of(&["EncryptionInfo", "EncryptedPackage"]);
    rejects(
        "essay.docx",
        &locked,
        "password-protected Word file: save an unprotected copy",
    );
    rejects(
        "essay.txt",
        &locked,
        "not a text file: this is a password-protected Office file (save an unprotected copy as .docx)",
    );
    let legacy = cfb_of(&["WordDocument", "1Table"]);
    let dir = folder(&[("essay.docx", &legacy)]);
    let err = one_line_error(dir.path(), &["essay.docx"]);
    assert!(err.contains("legacy Word .doc"), "{err}");
}

/// An .odt saved with a password: the manifest lists encryption data.
#[test]
fn a_password_protected_odt_says_so() {
    let manifest = br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="2048">
  <manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA">
   <manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/>
   <manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" manifest:iteration-count="100000" manifest:salt="AAAA"/>
  </manifest:encryption-data>
 </manifest:file-entry>
</manifest:manifest>
"#;
    let odt = zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", b"\x8f\x13\xa7 encrypted bytes \x00\xff"),
    ]);
    rejects(
        "essay.odt",
        &odt,
        "password-protected OpenDocument file: save an unprotected copy",
    );
}

/// A write that fails names the target and keeps the system's reason,
/// whoever runs the test: root ignores a read-only folder (see
/// `a_failed_write_names_the_target`), not a parent that is a file.
#[test]
fn a_write_under_a_file_names_the_target_and_the_reason() {
    let dir = folder(&[
        ("essay.txt", sample("average.txt").as_bytes()),
        ("somefile.txt", b"not a folder\n"),
    ]);
    let err = one_line_error(
        dir.path(),
        &["essay.txt", "--out", "somefile.txt/report.json"],
    );
    assert!(
        err.starts_with("essaymark: error: cannot write somefile.txt/report.json: Not a directory"),
        "{err}"
    );
    assert!(!err.contains(".tmp"), "{err}");
}

/// Windows takes a name up to its first dot as the device ("con.final" is
/// CON), and COM¹ is a port too: their feedback files are made safe.
#[test]
fn reserved_names_with_a_dot_or_a_superscript_get_safe_feedback_files() {
    let dir = folder(&[
        ("class/con.final.txt", sample("average.txt").as_bytes()),
        ("class/COM\u{b9}.txt", sample("weak.txt").as_bytes()),
        ("class/console.txt", sample("weak.txt").as_bytes()),
    ]);
    let root = dir.path();
    essaymark(root)
        .args(["check", "class", "--feedback", "fb", "-q"])
        .assert()
        .success();
    let names = sorted_names(&root.join("fb"));
    assert_eq!(
        names,
        ["COM\u{b9}_.html", "con_.final.html", "console.html"],
        "{names:?}"
    );
}

/// The file names in `dir`, sorted.
fn sorted_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Item 15 of #25: invisible joiners inside every word and Latin words spelt
/// with Cyrillic look-alike letters used to change the grade silently
/// (strong sample 100 -> 2.0 and 100 -> 49.5). Now the grade is the clean
/// text's, the look-alikes are named in a warning and evidence quotes the
/// words as a reader sees them.
#[test]
fn invisible_and_look_alike_characters_do_not_change_the_grade() {
    let strong = common::sample("strong.txt");
    // A zero-width space after the second letter of every longer word.
    let zero_width: String = strong
        .split(' ')
        .map(|w| {
            if w.len() > 3 && w.is_char_boundary(2) {
                format!("{}\u{200B}{}", &w[..2], &w[2..])
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    // Cyrillic а/е/о for Latin a/e/o in every word that has one.
    let cyrillic = strong.replace('a', "а").replace('e', "е").replace('o', "о");
    // A right-to-left override around a word.
    let bidi = strong.replacen("Pakistan", "\u{202E}Pakistan\u{202C}", 1);
    let dir = common::class(&[
        ("a-clean.txt", strong.as_bytes()),
        ("b-zero-width.txt", zero_width.as_bytes()),
        ("c-cyrillic.txt", cyrillic.as_bytes()),
        ("d-bidi.txt", bidi.as_bytes()),
    ]);
    let (code, v) = check_json(common::essaymark(dir.path()), &["--no-config", "class"]);
    assert_eq!(code, Some(0), "{v}");
    let reports = v["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 4, "{v}");
    let clean = reports[0]["score"].as_f64().unwrap();
    assert!(clean > 90.0, "{clean}");
    for r in &reports[1..] {
        assert_eq!(r["score"].as_f64().unwrap(), clean, "{}", r["essay"]);
    }
    assert_eq!(reports[1]["warnings"].as_array().map_or(0, Vec::len), 0);
    let warning = reports[2]["warnings"][0].as_str().unwrap();
    assert!(
        warning.contains("words mix Latin with Cyrillic or Greek look-alike letters")
            && warning.contains("they were read as Latin"),
        "{warning}"
    );
    assert!(
        reports[3]["warnings"][0]
            .as_str()
            .unwrap()
            .contains("bidirectional control characters"),
        "{}",
        reports[3]["warnings"]
    );
    // Evidence quotes what the reader sees: no 0x1F filler, no U+200B.
    let json = v.to_string();
    assert!(
        !json.contains('\u{1F}') && !json.contains("\\u001f"),
        "filler leaked"
    );
    let evidence = reports[1].to_string();
    assert!(!evidence.contains('\u{200B}'), "zero-width space quoted");
}
