//! Feedback to hand back: one file per student holding that student's
//! report alone (score, band, every criterion with its evidence and advice,
//! what to add next), never anything about the rest of the class. HTML (a
//! self-contained page, the class report's student section on its own) or
//! Markdown. [`FeedbackRenderer`] wraps the run's renderer and writes each
//! file as its essay is graded, so a batch is still streamed.

use super::html::{esc, student_section, ERROR_HOOK, STYLE};
use super::{fmt_points, what_to_add, CriterionReport, Failure, Renderer, Report, Summary};
use crate::output::AtomicFile;
use crate::rubric::Rubric;
use crate::scoring::Status;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The format of the feedback files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackFormat {
    Html,
    Markdown,
}

impl FeedbackFormat {
    fn extension(self) -> &'static str {
        match self {
            FeedbackFormat::Html => "html",
            FeedbackFormat::Markdown => "md",
        }
    }
}

/// The student's name as the teacher knows it: the submission's file stem.
fn student_name(essay: &str) -> String {
    if essay == "<stdin>" {
        return "stdin".into();
    }
    Path::new(essay)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "essay".into())
}

/// A file stem safe on every file system: Unicode-normalised (NFC, so the
/// two spellings of "José" a Mac and a PC produce are one name), path
/// separators, control characters and the characters Windows refuses as
/// `_`, Windows' reserved device names (`CON`, `NUL`, `COM1`...) given a
/// trailing `_`, and at most [`MAX_STEM_BYTES`] bytes: a longer name is cut
/// at a character boundary and given a short hash of the whole, so two long
/// names that share a beginning stay two files, and no file system refuses
/// it ("File name too long" at 255 bytes).
fn safe_stem(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let s: String = name
        .nfc()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let s = s.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let mut s = if s.is_empty() {
        "essay".to_string()
    } else {
        s.to_string()
    };
    if s.len() > MAX_STEM_BYTES {
        // FNV-1a: a stable hash, the same on every platform and run.
        let hash = s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        let mut cut = MAX_STEM_BYTES - 9;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s = format!("{}-{:08x}", s[..cut].trim_end(), hash as u32);
    }
    // Windows reads the name up to its first dot, trailing spaces dropped,
    // as the device: "con.final" is CON too, so the `_` goes after the
    // base, not at the end. COM¹-COM³ and LPT¹-LPT³ are devices as well.
    let base_len = s.find('.').unwrap_or(s.len());
    let base = s[..base_len].trim_end().to_ascii_uppercase();
    let numbered = |prefix: &str| {
        base.strip_prefix(prefix).is_some_and(|n| {
            let mut c = n.chars();
            matches!((c.next(), c.next()), (Some(d), None) if d.is_ascii_digit() || matches!(d, '¹' | '²' | '³'))
        })
    };
    let reserved = matches!(base.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || numbered("COM")
        || numbered("LPT");
    if reserved {
        s.insert(base_len, '_');
    }
    s
}

/// The longest feedback file stem in bytes: well under the 255 bytes most
/// file systems allow a name, leaving room for `-12.html`.
const MAX_STEM_BYTES: usize = 120;

/// One student's feedback as a self-contained HTML page.
pub fn feedback_html(r: &Report) -> String {
    let name = student_name(&r.essay);
    let mut h = String::with_capacity(16 * 1024);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n");
    h.push_str("<meta name=\"generator\" content=\"essaymark\">\n");
    let _ = writeln!(h, "<title>Feedback: {}</title>", esc(&name));
    let _ = writeln!(h, "<style>{STYLE}</style>");
    let _ = writeln!(h, "<script>{ERROR_HOOK}</script>");
    h.push_str("</head>\n<body>\n<div class=\"wrap\">\n<header>\n");
    let _ = writeln!(h, "<h1>Feedback: {}</h1>", esc(&name));
    let _ = writeln!(
        h,
        "<p class=\"meta\">{} (rubric {} v{})</p>\n</header>\n<main>",
        esc(&r.rubric.title),
        esc(&r.rubric.id),
        esc(&r.rubric.version)
    );
    // Score and band first, as in the Markdown feedback: a student reads
    // the result before the advice.
    let _ = writeln!(
        h,
        "<p class=\"score\"><strong>Score {:.1}/100</strong> · {} · {} · {} of {} points · {} words</p>",
        r.score,
        esc(&r.band),
        if r.passed {
            "passed"
        } else {
            "below the pass mark"
        },
        fmt_points(r.points),
        fmt_points(r.max_points),
        r.words
    );
    let (missing, partial) = what_to_add(r);
    let todo: Vec<&CriterionReport> = missing.iter().chain(&partial).copied().collect();
    if !todo.is_empty() {
        let item = |h: &mut String, c: &CriterionReport| {
            let _ = writeln!(
                h,
                "<li><strong>{}</strong> ({}){}{}</li>",
                esc(&c.title),
                gain(c),
                c.feedback
                    .as_deref()
                    .map(|f| format!("<p class=\"feedback\">{}</p>", esc(f)))
                    .unwrap_or_default(),
                c.next_level
                    .map(|n| format!("<p class=\"next\">Next level: {}.</p>", esc(n)))
                    .unwrap_or_default()
            );
        };
        h.push_str("<section id=\"next\" aria-labelledby=\"next-h\">\n<h2 id=\"next-h\">What to add next</h2>\n<p class=\"meta\">The three that gain most first.</p>\n<ol>\n");
        for c in todo.iter().take(3) {
            item(&mut h, c);
        }
        h.push_str("</ol>\n");
        if todo.len() > 3 {
            let _ = writeln!(
                h,
                "<details>\n<summary>{} more to add</summary>\n<ol start=\"4\">",
                todo.len() - 3
            );
            for c in &todo[3..] {
                item(&mut h, c);
            }
            h.push_str("</ol>\n</details>\n");
        }
        h.push_str("</section>\n");
    }
    let start = h.len();
    let [heading, caption] = student_section(&mut h, r, "report", false);
    let escaped = esc(&name);
    // The caption's offset is the later one: insert it first.
    h.insert_str(start + caption, &escaped);
    h.insert_str(start + heading, &escaped);
    h.push_str("</main>\n<pre id=\"selftest\" hidden></pre>\n</div>\n");
    let _ = writeln!(h, "<script>{SELFTEST}</script>");
    h.push_str("</body>\n</html>\n");
    h
}

/// Opened with `#selftest` (the headless-browser test), the page checks
/// that every in-page link has a target and writes what it found.
const SELFTEST: &str = r##"
if (location.hash === '#selftest') {
  var links = Array.prototype.slice.call(document.querySelectorAll('a[href^="#"]'));
  var broken = links.filter(function (a) { return !document.getElementById(a.getAttribute('href').slice(1)); }).length;
  var out = document.getElementById('selftest');
  out.textContent = JSON.stringify({ errors: window.__essaymarkErrors, links: links.length, broken: broken,
    marks: document.querySelectorAll('mark').length, rows: document.querySelectorAll('tbody tr').length,
    title: document.title });
}
"##;

/// "5 points, required" / "2.5 more points" / "1 more point".
fn gain(c: &CriterionReport) -> String {
    let (value, more) = match c.status {
        Status::Missing => (c.max_points, ""),
        _ => (c.max_points - c.points, "more "),
    };
    let n = fmt_points(value);
    let unit = if n == "1" { "point" } else { "points" };
    let required = if c.required && c.status == Status::Missing {
        ", required"
    } else {
        ""
    };
    format!("{n} {more}{unit}{required}")
}

/// Escape text for Markdown prose ([`super::markdown_text`]).
fn md(s: &str) -> String {
    super::markdown_text(s)
}

/// One student's feedback as Markdown.
pub fn feedback_markdown(r: &Report) -> String {
    let mut m = String::with_capacity(8 * 1024);
    let _ = writeln!(m, "# Feedback: {}\n", md(&student_name(&r.essay)));
    let _ = writeln!(
        m,
        "{} (rubric {} v{})\n",
        md(&r.rubric.title),
        md(&r.rubric.id),
        md(&r.rubric.version)
    );
    let _ = writeln!(
        m,
        "**Score {:.1}/100** · {} · {} · {} of {} points · {} words\n",
        r.score,
        md(&r.band),
        if r.passed {
            "passed"
        } else {
            "below the pass mark"
        },
        fmt_points(r.points),
        fmt_points(r.max_points),
        r.words
    );
    if r.positions == "extracted" {
        m.push_str("Line:column refer to the text extracted from the document.\n\n");
    }
    if let Some((label, why)) = r.topic_flag() {
        let _ = writeln!(m, "**{label}:** {why}.\n");
    }
    for w in &r.warnings {
        let _ = writeln!(m, "**Warning:** {}\n", md(w));
    }
    for n in &r.notes {
        let _ = writeln!(m, "**Note:** {}\n", md(n));
    }
    let (missing, partial) = what_to_add(r);
    if !missing.is_empty() || !partial.is_empty() {
        m.push_str("## What to add next\n\nBiggest gain first.\n\n");
        for (i, c) in missing.iter().chain(&partial).enumerate() {
            let _ = writeln!(m, "{}. **{}** ({})", i + 1, md(&c.title), gain(c));
            if let Some(f) = &c.feedback {
                let _ = writeln!(m, "   {}", md(f));
            }
            if let Some(next) = c.next_level {
                let _ = writeln!(m, "   Next level: {}.", md(next));
            }
        }
        m.push('\n');
    }
    m.push_str("## Criteria\n");
    let mut section = "";
    for c in &r.criteria {
        if c.section != section {
            section = &c.section;
            let _ = writeln!(m, "\n### {}\n", md(section));
        }
        let icon = match c.status {
            Status::Met => "✔ met",
            Status::Partial => "◐ partial",
            Status::Missing => "✘ missing",
        };
        let level = c
            .level
            .map(|l| format!(" ({})", l.as_str()))
            .unwrap_or_default();
        let _ = writeln!(
            m,
            "- **{}** — {}{level}, {}/{}{}",
            md(&c.title),
            icon,
            fmt_points(c.points),
            fmt_points(c.max_points),
            if c.required { " (required)" } else { "" }
        );
        for e in &c.evidence {
            let _ = writeln!(m, "  - {}:{} “{}”", e.line, e.column, md(&e.text));
        }
        if let Some(n) = &c.note {
            let _ = writeln!(m, "  - *{}*", md(n));
        }
        if let Some(f) = &c.feedback {
            let _ = writeln!(m, "  - Advice: {}", md(f));
        }
    }
    m
}

/// Wraps the run's renderer: passes everything on, and writes each graded
/// essay's feedback file into `dir`.
pub struct FeedbackRenderer {
    inner: Box<dyn Renderer>,
    dir: PathBuf,
    format: FeedbackFormat,
    /// File names handed out so far (lower-cased: a case-insensitive file
    /// system would otherwise let `Ali` overwrite `ali`).
    used: HashSet<String>,
    /// Inputs (canonical paths) that a feedback file must never replace.
    protected: HashSet<PathBuf>,
    /// Other outputs of the run (absolute paths, which may not exist yet),
    /// such as the class report `--out fb/class.html`.
    reserved: HashSet<PathBuf>,
    written: usize,
}

impl FeedbackRenderer {
    /// `dir` must exist. `protected` are the run's inputs.
    pub fn new(
        inner: Box<dyn Renderer>,
        dir: &Path,
        format: FeedbackFormat,
        protected: &[PathBuf],
    ) -> FeedbackRenderer {
        FeedbackRenderer {
            inner,
            dir: dir.to_path_buf(),
            format,
            used: HashSet::new(),
            protected: protected
                .iter()
                .filter_map(|p| p.canonicalize().ok())
                .collect(),
            reserved: HashSet::new(),
            written: 0,
        }
    }

    /// Never give a student the file name `path` (another output of the
    /// run, such as the class report in the same folder).
    pub fn reserve(&mut self, path: &Path) {
        if let Ok(a) = std::path::absolute(path) {
            self.reserved.insert(a);
        }
    }

    /// Feedback files written so far.
    pub fn written(&self) -> usize {
        self.written
    }

    /// The file for `essay`: its stem, then `-2`, `-3`, ... for a stem met
    /// before (two `ali.txt` in different folders) or a name that is an
    /// input. Runs are in input order, so the names are deterministic.
    fn path_for(&mut self, essay: &str) -> PathBuf {
        let stem = safe_stem(&student_name(essay));
        let ext = self.format.extension();
        let mut n = 1;
        loop {
            let name = if n == 1 {
                format!("{stem}.{ext}")
            } else {
                format!("{stem}-{n}.{ext}")
            };
            let path = self.dir.join(&name);
            let is_input = path
                .canonicalize()
                .is_ok_and(|c| self.protected.contains(&c));
            // Only a file this tool wrote may be replaced: a teacher's
            // README.md, another program's page or a link in the folder
            // is left alone and the student gets the next free name.
            let foreign = match std::fs::symlink_metadata(&path) {
                Err(_) => false,
                Ok(m) => !(m.is_file() && crate::output::written_by_essaymark(&path)),
            };
            let reserved = std::path::absolute(&path).is_ok_and(|a| self.reserved.contains(&a));
            if !is_input && !foreign && !reserved && self.used.insert(name.to_lowercase()) {
                return path;
            }
            n += 1;
        }
    }

    fn write_feedback(&mut self, r: &Report) -> io::Result<()> {
        let path = self.path_for(&r.essay);
        let body = match self.format {
            FeedbackFormat::Html => feedback_html(r),
            FeedbackFormat::Markdown => feedback_markdown(r),
        };
        let wrap = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
        let mut f = AtomicFile::create(&path).map_err(wrap)?;
        f.write_all(body.as_bytes()).map_err(wrap)?;
        if self.format == FeedbackFormat::Markdown {
            // So a later walk of this folder does not grade it as a student.
            writeln!(f, "\n{}", crate::output::REPORT_MARKER).map_err(wrap)?;
        }
        f.commit().map_err(wrap)?;
        self.written += 1;
        Ok(())
    }
}

impl Renderer for FeedbackRenderer {
    fn rubric(&mut self, rubric: &Rubric) {
        self.inner.rubric(rubric);
    }
    fn needs_essay_text(&self) -> bool {
        // The HTML page shows the essay with its evidence highlighted.
        self.format == FeedbackFormat::Html || self.inner.needs_essay_text()
    }
    fn wants_shared_passages(&self) -> bool {
        // Only for the class report: a student's file never shows them.
        self.inner.wants_shared_passages()
    }
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.inner.start(out)
    }
    fn essay(&mut self, out: &mut dyn Write, report: &Report) -> io::Result<()> {
        self.write_feedback(report)?;
        self.inner.essay(out, report)
    }
    fn failure(&mut self, out: &mut dyn Write, failure: &Failure) -> io::Result<()> {
        self.inner.failure(out, failure)
    }
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.inner.finish(out, summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Format;
    use crate::report::TextRenderer;
    use crate::scoring;
    use crate::text::Document;

    fn report(name: &str, text: &str) -> Report {
        let rubric = Rubric::builtin();
        let doc = Document::from_plain_text(text.to_string());
        let grade = scoring::grade(&rubric, &doc);
        Report::new(name, Format::Text, Vec::new(), &rubric, &doc, &grade)
    }

    const ESSAY: &str = "Border Tensions\n\nThe TTP revival after the Taliban takeover in 2021 has raised attacks in Khyber Pakhtunkhwa. Rana notes that sanctuary rebuilt the group.\n\n<script>alert(1)</script> Fencing the Durand Line angered Kabul.\n";

    #[test]
    fn html_feedback_is_one_students_page() {
        let html = feedback_html(&report("class/<i>ali.txt", ESSAY));
        insta::assert_snapshot!("feedback_html", html);
        assert!(html.contains("<h1>Feedback: &lt;i&gt;ali</h1>"));
        assert!(!html.contains("<script>alert"), "essay text is escaped");
        assert!(!html.contains("students table"), "nothing about the class");
        assert!(html.contains("What to add next"));
    }

    #[test]
    fn markdown_feedback_has_every_criterion_and_advice() {
        let r = report("class/ali.txt", ESSAY);
        let m = feedback_markdown(&r);
        insta::assert_snapshot!("feedback_markdown", m);
        for c in &r.criteria {
            assert!(m.contains(&md(&c.title)), "{}", c.id);
        }
        assert!(m.contains("## What to add next"));
        assert!(!m.contains("<script>"), "markup is escaped");
        assert_eq!(md("<b>|*x*"), "&lt;b&gt;\\|\\*x\\*");
    }

    #[test]
    fn names_are_safe_unique_and_never_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("zara.md");
        std::fs::write(&input, "essay").unwrap();
        let mut f = FeedbackRenderer::new(
            Box::<TextRenderer>::default(),
            dir.path(),
            FeedbackFormat::Markdown,
            std::slice::from_ref(&input),
        );
        let names: Vec<String> = [
            "a/ali.txt",
            "b/ali.docx",
            "b/ALI.txt",
            "zara.md",
            "../x:y?.txt",
            "<stdin>",
        ]
        .iter()
        .map(|e| {
            f.path_for(e)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
        assert_eq!(
            names,
            [
                "ali.md",
                "ali-2.md",
                "ALI-3.md",
                "zara-2.md",
                "x_y_.md",
                "stdin.md"
            ]
        );
    }
}
