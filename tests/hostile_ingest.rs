//! Hostile submissions at the ingest layer (issue #25, items 4, 5, 9, 15
//! and 16; issue #26, item 5), end to end through `essaymark check`: an XML
//! namespace bomb, a PDF helper whose parent is killed, every way found to
//! hide a model answer in a weak essay, invisible and look-alike
//! characters, misleading PDF and encrypted-document messages, and plain
//! text saved as .md. Inputs are built here in temporary folders.

use assert_cmd::Command;
use std::fs;
use std::io::{Cursor, Write};
use std::path::Path;
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// Generous bound for one command in a debug build.
const BOUND: Duration = Duration::from_secs(120);

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn essaymark(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("essaymark").expect("binary builds");
    cmd.current_dir(cwd)
        .env_remove("NO_COLOR")
        .arg("check")
        .arg("--no-config")
        .timeout(BOUND);
    cmd
}

/// A fresh working folder holding `files`.
fn folder(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in files {
        let p = dir.path().join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, body).unwrap();
    }
    dir
}

/// `check FILE` alone: exit 2 and its one error line.
fn error_line(dir: &Path, file: &str) -> String {
    let out = essaymark(dir)
        .args([file, "--color", "never"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{file}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    stderr.trim_end().to_string()
}

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

// ---------------------------------------------------------------------------
// Item 4: an XML namespace-declaration bomb.

/// Nested elements that each declare 250 prefixes: every element name is
/// then looked up through all the bindings in scope. 30 KB; 28.8 s in a
/// debug build before the budget.
fn namespace_bomb() -> Vec<u8> {
    let decls: String = (0..250)
        .map(|i| format!(r#" xmlns:n{i}="urn:x""#))
        .collect();
    let depth = 1000;
    let body = format!("<w:sdt{decls}>").repeat(depth)
        + &"<w:p><w:r><w:t>hello</w:t></w:r></w:p>".repeat(3000)
        + &"</w:sdt>".repeat(depth);
    let doc = format!(r#"<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>"#);
    zip(&[("word/document.xml", doc.as_bytes())])
}

#[test]
fn a_namespace_bomb_is_refused_at_once() {
    let bomb = namespace_bomb();
    assert!(bomb.len() < 40_000, "{}", bomb.len());
    let dir = folder(&[("bomb.docx", &bomb)]);
    let started = Instant::now();
    let line = error_line(dir.path(), "bomb.docx");
    let took = started.elapsed();
    assert_eq!(
        line,
        "essaymark: error: bomb.docx: not a valid docx document: word/document.xml has too many \
         XML namespace declarations (more than 256 in scope or 100000 in all): not read"
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
}
