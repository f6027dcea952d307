//! PDF submissions end to end: PDFs with a text layer are written here by
//! hand (Helvetica, WinAnsi encoding, lines wrapped and long words
//! hyphenated at line ends, as a word processor's export is) from the
//! project's sample essays; they are read by `essaymark check` through its
//! memory-capped child process and must score within 3 points of the .txt.
//! Malformed PDFs and scans are reported failures, never a panic or a hang.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::path::Path;

fn sample(name: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(name),
    )
    .unwrap()
}

/// A PDF string literal in WinAnsi: bytes above 0x7F as octal escapes.
fn pdf_string(s: &str) -> String {
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(s);
    let mut o = String::from("(");
    for &b in bytes.iter() {
        match b {
            b'(' | b')' | b'\\' => {
                o.push('\\');
                o.push(b as char);
            }
            0x20..=0x7e => o.push(b as char),
            _ => o.push_str(&format!("\\{b:03o}")),
        }
    }
    o.push(')');
    o
}

/// Wrap `text` at `width` characters, hyphenating long words that would
/// leave a line short.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let room = width.saturating_sub(line.chars().count() + 1);
        if line.is_empty() || line.chars().count() + 1 + word.chars().count() <= width {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        let letters = word.chars().all(char::is_alphabetic);
        if letters && word.chars().count() >= 9 && room >= 5 {
            let cut: String = word.chars().take(room - 1).collect();
            let rest: String = word.chars().skip(room - 1).collect();
            line.push(' ');
            line.push_str(&cut);
            line.push('-');
            lines.push(std::mem::take(&mut line));
            line = rest;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// One page's content: (font, size, x, y, text) per line.
type Page = Vec<(&'static str, f32, f32, String)>;

/// Lay an essay out on A4 pages: blocks separated by blank lines, short
/// title-like blocks in bold, page numbers at the foot.
fn layout(essay: &str) -> Vec<Page> {
    layout_width(essay, 88)
}

fn layout_width(essay: &str, width: usize) -> Vec<Page> {
    let mut pages: Vec<Page> = vec![Vec::new()];
    let mut y = 800.0;
    for block in essay.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        let heading = !block.contains('\n')
            && block.split_whitespace().count() <= 12
            && !block.ends_with('.');
        let font = if heading { "F2" } else { "F1" };
        for raw in block.lines() {
            for l in wrap(raw, width) {
                if y < 70.0 {
                    let n = pages.len();
                    pages
                        .last_mut()
                        .unwrap()
                        .push(("F1", 297.0, 40.0, n.to_string()));
                    pages.push(Vec::new());
                    y = 800.0;
                }
                pages.last_mut().unwrap().push((font, 56.0, y, l));
                y -= 14.0;
            }
        }
        y -= 10.0;
    }
    let n = pages.len();
    pages
        .last_mut()
        .unwrap()
        .push(("F1", 297.0, 40.0, n.to_string()));
    pages
}

/// A complete PDF 1.4 file (objects, cross-reference table, trailer).
fn pdf(pages: &[Page]) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    // 1 catalog, 2 pages, 3 F1, 4 F2, then (page, content) pairs.
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 5 + 2 * i))
        .collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages.len()
    ));
    objects.push(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into(),
    );
    objects.push(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
            .into(),
    );
    for (i, page) in pages.iter().enumerate() {
        let mut content = String::new();
        for (font, x, y, text) in page {
            content += &format!("BT /{font} 10 Tf {x} {y} Td {} Tj ET\n", pdf_string(text));
        }
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
            6 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ));
    }
    common::pdf_of(&objects, "")
}

fn essaymark(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("essaymark").unwrap();
    cmd.current_dir(cwd)
        .arg("check")
        .arg("--no-config")
        .arg("--quiet");
    cmd
}

fn scores(cwd: &Path, path: &str) -> Vec<(String, f64, String)> {
    let out = essaymark(cwd)
        .args([path, "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["essay"].as_str().unwrap().to_string(),
                r["score"].as_f64().unwrap(),
                r["positions"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_text_layer_pdf_scores_within_3_points_of_the_txt() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["strong", "average", "weak"] {
        let txt = sample(&format!("{name}.txt"));
        fs::write(dir.path().join(format!("{name}.txt")), &txt).unwrap();
        fs::write(dir.path().join(format!("{name}.pdf")), pdf(&layout(&txt))).unwrap();
    }
    let got = scores(dir.path(), ".");
    assert_eq!(got.len(), 6, "{got:?}");
    for pair in got.chunks(2) {
        let [(pdf, p, pos), (txt, t, _)] = pair else {
            unreachable!()
        };
        assert!(pdf.ends_with(".pdf") && txt.ends_with(".txt"), "{got:?}");
        assert_eq!(pos, "extracted", "positions refer to the extracted text");
        assert!((p - t).abs() <= 3.0, "{pdf}: {p} vs {t} as .txt");
    }
}

#[test]
fn hyphenated_line_ends_are_joined() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Border Essay\n\nThe fence along the Durand Line has been contested since its construction and smuggling networks adapted quickly to it.\n";
    let pages = layout_width(text, 68);
    assert!(
        pages[0].iter().any(|(_, _, _, l)| l.ends_with('-')),
        "the layout breaks a word: {pages:?}"
    );
    fs::write(dir.path().join("e.pdf"), pdf(&pages)).unwrap();
    let out = essaymark(dir.path())
        .args(["e.pdf", "--format", "html", "--out", "r.html"])
        .assert()
        .code(0);
    drop(out);
    let html = fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(html.contains("construction and"), "{html}");
    assert!(!html.contains("-\nstruction"), "{html}");
}

#[test]
fn malformed_pdfs_and_scans_are_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let good = pdf(&layout(&sample("average.txt")));
    let mut truncated = good.clone();
    truncated.truncate(good.len() / 3);
    let mut scrambled = good.clone();
    for (i, b) in scrambled.iter_mut().enumerate().skip(200) {
        if i % 7 == 0 {
            *b = b'\x00';
        }
    }
    // A scan: a page with an image-like drawing and no text at all.
    let scan = pdf(&[vec![]]);
    fs::create_dir(dir.path().join("class")).unwrap();
    for (name, bytes) in [
        ("class/truncated.pdf", truncated),
        ("class/scrambled.pdf", scrambled),
        ("class/scan.pdf", scan),
        ("class/header-only.pdf", b"%PDF-1.7\n".to_vec()),
        (
            "class/not-a-pdf.pdf",
            b"Dear teacher, here is my essay".to_vec(),
        ),
        ("class/good.pdf", good),
    ] {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    essaymark(dir.path())
        .args(["class", "--out", "marks.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "skipped class/scan.pdf: no text layer (scanned?)",
        ))
        .stderr(predicate::str::contains(
            "skipped class/not-a-pdf.pdf: not a valid pdf document: not a PDF file",
        ))
        .stderr(predicate::str::contains(
            "skipped class/truncated.pdf: damaged PDF: ",
        ))
        .stderr(predicate::str::contains("panicked").not());
    let csv = fs::read_to_string(dir.path().join("marks.csv")).unwrap();
    assert_eq!(csv.lines().count(), 7, "a row per submission:\n{csv}");
    assert!(
        csv.lines()
            .any(|l| l.starts_with("class/good.pdf,good,graded,")),
        "{csv}"
    );
    // The internal subcommand is hidden from --help.
    Command::cargo_bin("essaymark")
        .unwrap()
        .arg("--help")
        .assert()
        .stdout(predicate::str::contains("__pdf-text").not());
}
