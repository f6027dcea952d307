//! Hostile submissions at the ingest layer (issue #25, items 4, 5, 9, 15
//! and 16; issue #26, item 5), end to end through `essaymark check`: an XML
//! namespace bomb, a PDF helper whose parent is killed, every way found to
//! hide a model answer in a weak essay, invisible and look-alike
//! characters, misleading PDF and encrypted-document messages, and plain
//! text saved as .md. Inputs are built here in temporary folders.

mod common;

use assert_cmd::Command;
use std::fs;
use std::io::{Cursor, Write};
use std::path::Path;
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// Generous bound for one command in a debug build.
const BOUND: Duration = Duration::from_secs(120);

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn sample(name: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(name),
    )
    .expect("sample exists")
}

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

/// Each file graded alone (JSON): its score and warnings.
fn graded(dir: &Path, file: &str) -> (f64, Vec<String>) {
    let out = essaymark(dir)
        .args([file, "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{file}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    let r = &v["reports"][0];
    let score = r["score"]
        .as_f64()
        .unwrap_or_else(|| panic!("{file} graded: {v}"));
    let warnings = r["warnings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|w| w.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default();
    (score, warnings)
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

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
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

// ---------------------------------------------------------------------------
// Item 9: hidden text, in every way found to bypass the detection.

/// A .docx of `visible` then `hidden`, one paragraph per line; `hidden`
/// lines are wrapped by `wrap` (a paragraph's XML from its escaped text).
fn docx_with(
    visible: &str,
    hidden: &str,
    wrap: &dyn Fn(&str) -> String,
    styles: Option<&str>,
) -> Vec<u8> {
    let plain: String = visible
        .lines()
        .map(|l| format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", esc(l)))
        .collect();
    let hidden: String = hidden.lines().map(|l| wrap(&esc(l))).collect();
    let doc = format!(
        r#"<w:document xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"><w:body>{plain}{hidden}</w:body></w:document>"#
    );
    let styles = styles.map(|s| format!(r#"<w:styles xmlns:w="{W_NS}">{s}</w:styles>"#));
    let mut entries: Vec<(&str, &[u8])> = vec![("word/document.xml", doc.as_bytes())];
    if let Some(s) = &styles {
        entries.push(("word/styles.xml", s.as_bytes()));
    }
    zip(&entries)
}

const ODT_NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0""#;

/// An .odt of `visible` then `hidden` (paragraphs in style `style`), with
/// `common` styles in styles.xml and `automatic` ones in content.xml.
fn odt_with(visible: &str, hidden: &str, style: &str, common: &str, automatic: &str) -> Vec<u8> {
    let paras = |t: &str, attrs: &str| -> String {
        t.lines()
            .map(|l| format!("<text:p{attrs}>{}</text:p>", esc(l)))
            .collect()
    };
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NS}><office:automatic-styles>{automatic}</office:automatic-styles><office:body><office:text>{}{}</office:text></office:body></office:document-content>"#,
        paras(visible, ""),
        paras(hidden, &format!(r#" text:style-name="{style}""#)),
    );
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ODT_NS}><office:styles>{common}</office:styles></office:document-styles>"#
    );
    zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("styles.xml", styles.as_bytes()),
        ("content.xml", content.as_bytes()),
    ])
}

/// Every trick found to hide the strong sample in the weak one.
fn hidden_text_tricks() -> Vec<(&'static str, Vec<u8>)> {
    let weak = sample("weak.txt");
    let strong = sample("strong.txt");
    let styled = |ppr: &'static str| {
        move |t: &str| format!("<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>")
    };
    let run = |rpr: &'static str| {
        move |t: &str| format!("<w:p><w:r><w:rPr>{rpr}</w:rPr><w:t>{t}</w:t></w:r></w:p>")
    };
    let mut files: Vec<(&'static str, Vec<u8>)> = vec![
        (
            "character-style.docx",
            docx_with(
                &weak,
                &strong,
                &run(r#"<w:rStyle w:val="Quiet"/>"#),
                Some(
                    r#"<w:style w:type="character" w:styleId="Quiet"><w:name w:val="Quiet"/><w:rPr><w:vanish/></w:rPr></w:style>"#,
                ),
            ),
        ),
        (
            "paragraph-style-chain.docx",
            docx_with(
                &weak,
                &strong,
                &styled(r#"<w:pStyle w:val="Body2"/>"#),
                Some(
                    r#"<w:style w:type="paragraph" w:styleId="Body1"><w:rPr><w:color w:val="FFFFFF"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Body2"><w:basedOn w:val="Body1"/></w:style>"#,
                ),
            ),
        ),
        ("doc-defaults.docx", {
            // Everything is 1 pt unless sized: the weak lines are.
            let visible: String = weak
                .lines()
                .map(|l| {
                    format!(
                        r#"<w:p><w:r><w:rPr><w:sz w:val="24"/></w:rPr><w:t>{}</w:t></w:r></w:p>"#,
                        esc(l)
                    )
                })
                .collect();
            let hidden: String = strong
                .lines()
                .map(|l| format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", esc(l)))
                .collect();
            let doc = format!(
                r#"<w:document xmlns:w="{W_NS}"><w:body>{visible}{hidden}</w:body></w:document>"#
            );
            let styles = format!(
                r#"<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="2"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>"#
            );
            zip(&[
                ("word/document.xml", doc.as_bytes()),
                ("word/styles.xml", styles.as_bytes()),
            ])
        }),
        (
            "theme-background1.docx",
            docx_with(
                &weak,
                &strong,
                &run(r#"<w:color w:val="000000" w:themeColor="background1"/>"#),
                None,
            ),
        ),
        (
            "near-white.docx",
            docx_with(&weak, &strong, &run(r#"<w:color w:val="FFFFFE"/>"#), None),
        ),
        (
            "transparent-fill.docx",
            docx_with(
                &weak,
                &strong,
                &run("<w14:textFill><w14:noFill/></w14:textFill>"),
                None,
            ),
        ),
        (
            "vml-hidden.docx",
            docx_with(
                &weak,
                &strong,
                &|t: &str| {
                    format!(
                        r#"<w:p><w:r><w:pict><v:shape style="position:absolute;visibility:hidden"><v:textbox><w:txbxContent><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"#
                    )
                },
                None,
            ),
        ),
        (
            "one-percent.odt",
            odt_with(
                &weak,
                &strong,
                "Fine",
                r#"<style:style style:name="Fine" style:family="paragraph"><style:text-properties fo:font-size="1%"/></style:style>"#,
                "",
            ),
        ),
        (
            "styles-xml-display-none.odt",
            odt_with(
                &weak,
                &strong,
                "P9",
                r#"<style:style style:name="Gone" style:family="paragraph"><style:text-properties text:display="none"/></style:style>"#,
                r#"<style:style style:name="P9" style:family="paragraph" style:parent-style-name="Gone"/>"#,
            ),
        ),
        (
            "near-white.odt",
            odt_with(
                &weak,
                &strong,
                "P1",
                "",
                r##"<style:style style:name="P1" style:family="paragraph"><style:text-properties fo:color="#fefefe"/></style:style>"##,
            ),
        ),
    ];
    let md = |wrap: &dyn Fn(&str) -> String| weak.clone() + "\n\n" + &wrap(&strong);
    files.push((
        "div-hidden.md",
        md(&|s| format!("<div hidden>\n\n{s}\n\n</div>\n")).into_bytes(),
    ));
    files.push((
        "span-display-none.md",
        md(&|s| {
            s.lines()
                .map(|l| {
                    if l.trim().is_empty() {
                        String::new()
                    } else {
                        format!(r#"<span style="display:none">{l}</span>"#)
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .into_bytes(),
    ));
    files.push((
        "visibility-hidden.md",
        md(&|s| format!("<section style=\"visibility: hidden\">\n\n{s}\n\n</section>\n"))
            .into_bytes(),
    ));
    files.push((
        "comment.md",
        md(&|s| format!("<!--\n\n{s}\n\n-->\n")).into_bytes(),
    ));
    files
}

#[test]
fn hidden_text_is_not_graded_however_it_is_hidden() {
    let files = hidden_text_tricks();
    let weak = sample("weak.txt");
    let strong = sample("strong.txt");
    // The weak essay alone, in each format, is what each trick must score.
    let alone = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let weak_docx = docx_with(&weak, "", &alone, None);
    let weak_odt = odt_with(&weak, "", "P", "", "");
    let mut refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    refs.extend([
        ("weak.txt", weak.as_bytes()),
        ("strong.txt", strong.as_bytes()),
        ("weak.md", weak.as_bytes()),
        ("weak.docx", &weak_docx),
        ("weak.odt", &weak_odt),
    ]);
    let dir = folder(&refs);
    let (weak_score, _) = graded(dir.path(), "weak.txt");
    let (strong_score, _) = graded(dir.path(), "strong.txt");
    assert!(
        weak_score + 50.0 < strong_score,
        "{weak_score} vs {strong_score}"
    );
    for (name, _) in &files {
        let ext = name.rsplit('.').next().unwrap();
        let (weak_score, _) = graded(dir.path(), &format!("weak.{ext}"));
        let (score, warnings) = graded(dir.path(), name);
        assert!(
            (score - weak_score).abs() <= 1.0,
            "{name}: {score}, the weak essay alone {weak_score}"
        );
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with("ignored ") && w.ends_with(" characters of hidden text (formatted as hidden, white, or smaller than 4 pt)")),
            "{name}: {warnings:?}"
        );
    }
}

#[test]
fn white_text_on_a_dark_fill_is_read() {
    let weak = sample("weak.txt");
    let strong = sample("strong.txt");
    let shaded = docx_with(
        &weak,
        &strong,
        &|t: &str| {
            format!(
                r#"<w:p><w:pPr><w:shd w:val="clear" w:color="auto" w:fill="1F3864"/></w:pPr><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>{t}</w:t></w:r></w:p>"#
            )
        },
        None,
    );
    let plain = docx_with(
        &weak,
        &strong,
        &|t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>"),
        None,
    );
    let dir = folder(&[("shaded.docx", &shaded), ("plain.docx", &plain)]);
    let (shaded_score, warnings) = graded(dir.path(), "shaded.docx");
    let (plain_score, _) = graded(dir.path(), "plain.docx");
    assert_eq!(shaded_score, plain_score);
    assert!(
        warnings.iter().all(|w| !w.contains("hidden text")),
        "{warnings:?}"
    );
}

// ---------------------------------------------------------------------------
// Item 5: the PDF reader process dies with essaymark.

/// A PDF that keeps the reader busy for well over 20 s in a debug build:
/// 2,000 pages sharing one content stream of 2,000 text lines (460 KB).
fn slow_pdf() -> Vec<u8> {
    let line = "BT /F1 10 Tf 56 800 Td (The TTP rose again in the tribal districts.) Tj ET\n";
    let ops = line.repeat(2000);
    let pages = 2000;
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 5 + i)).collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        ),
        format!("<< /Length {} >>\nstream\n{ops}endstream", ops.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    for _ in 0..pages {
        objects.push("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 3 0 R >>".to_string());
    }
    common::pdf_of(&objects, "")
}

/// Processes whose parent is `parent` and whose command line has `arg`.
#[cfg(target_os = "linux")]
fn children_running(parent: u32, arg: &str) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may hold spaces, so split
        // after its closing parenthesis.
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let cmdline = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if fields.get(1) == Some(&parent.to_string().as_str())
            && String::from_utf8_lossy(&cmdline).contains(arg)
        {
            found.push(pid);
        }
    }
    found
}

/// Whether `pid` is still running (a zombie waiting for its reaper is not).
#[cfg(target_os = "linux")]
fn alive(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        let state = stat
            .rsplit_once(')')
            .map(|(_, r)| r.trim_start().chars().next());
        !matches!(state, Some(Some('Z' | 'X')) | None)
    })
}

#[cfg(target_os = "linux")]
#[test]
fn the_pdf_reader_dies_with_essaymark() {
    let dir = folder(&[("slow.pdf", &slow_pdf())]);
    let mut parent = std::process::Command::new(assert_cmd::cargo::cargo_bin("essaymark"))
        .current_dir(dir.path())
        .args(["check", "--no-config", "slow.pdf"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let helper = loop {
        if let Some(&pid) = children_running(parent.id(), "__pdf-text").first() {
            break pid;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "no PDF reader process started"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    // Let the reader get going, then kill essaymark as `kill -9` would.
    std::thread::sleep(Duration::from_millis(300));
    assert!(alive(helper), "the reader is still reading");
    parent.kill().unwrap();
    parent.wait().unwrap();
    let killed = Instant::now();
    while alive(helper) && killed.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let survived = alive(helper);
    if survived {
        // Do not leave it running after a failure.
        let _ = std::process::Command::new("kill")
            .args(["-9", &helper.to_string()])
            .status();
    }
    assert!(!survived, "the PDF reader {helper} outlived its parent");
}
