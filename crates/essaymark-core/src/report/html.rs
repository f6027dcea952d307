//! A single self-contained HTML class report a teacher can email: overview
//! (statistics, score histogram and band counts as inline SVG), a heat map
//! of students × criteria, the most-missed arguments, a sortable table of
//! students, and one section per student with evidence, missing arguments
//! and the essay with its evidence sentences highlighted.
//!
//! Self-contained means no network: styles, script and charts are inline,
//! and a Content-Security-Policy forbids loading anything, so the file opens
//! the same from an email attachment, a USB stick or `file://`.
//!
//! Safety: every piece of text that comes from a submission, a file name or
//! the rubric goes through [`esc`]; the only markup and script are the
//! constants in this file, and the script reads the data from the DOM (data
//! attributes) rather than having it spliced into JavaScript.
//!
//! Memory: the overview, the heat map and the sortable table come before
//! the per-student sections and need the whole class, but not the essays.
//! So `essay` renders that student's section (the bulk of the page: the
//! evidence and the highlighted essay) at once into an anonymous temporary
//! file, the spool, and keeps only what the top of the page needs: a
//! kilobyte or so per student (path, score, band, points and status per
//! criterion), never the essay. `finish` writes the top of the page and
//! then copies the sections back in input order. A section is spooled with
//! two gaps where the student's name goes, because a name is the file stem
//! unless another essay of the class shares it, which is only known at the
//! end. The spool takes about the size of the page on disk, in the system's
//! temporary folder, and is gone when the renderer is dropped.
//!
//! Output is deterministic (no timestamps, input order), so two runs over
//! the same folder produce identical files.

use super::{fmt_points, CriterionReport, Failure, Renderer, Report, Summary};
use crate::rubric::Rubric;
use crate::scoring::Status;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

#[derive(Default)]
pub struct HtmlRenderer {
    page: Page,
    /// Created with the first essay, so a run that grades nothing leaves no
    /// file behind.
    spool: Option<Spool>,
    /// Set when a write to the spool failed: what it holds no longer lines
    /// up with `page.students`, and must not be copied into a page.
    spool_failed: bool,
}

/// What the page is built from: everything but the student sections, which
/// are in the spool.
#[derive(Default, Debug)]
struct Page {
    /// (title, id, version, question) per rubric of the run.
    rubrics: Vec<(String, String, String, Option<String>)>,
    /// Heat-map columns: (criterion id, title), rubric order, several
    /// rubrics sharing the ids they have in common.
    columns: Vec<(String, String)>,
    /// Columns as the reports name them, for a caller that announced no
    /// rubric.
    report_columns: Vec<(String, String)>,
    /// (title, id, version) of the first report's rubric, ditto.
    first_rubric: Option<(String, String, String)>,
    /// Criterion ids, each once: a student's cells refer to them by index
    /// instead of repeating the id per essay.
    ids: Vec<String>,
    /// The rubric's advice per criterion, from the first essay that got it.
    advice: BTreeMap<String, String>,
    students: Vec<Student>,
    failures: Vec<Failure>,
}

/// What the top of the page needs from one graded essay. No essay text: that
/// went to the spool with the rest of the student's section.
#[derive(Debug)]
struct Student {
    essay: String,
    score: f64,
    band: String,
    passed: bool,
    words: usize,
    /// One per criterion of the report, in its order.
    cells: Vec<Cell>,
    /// Where this student's section is in the spool.
    section: Spooled,
}

impl Student {
    fn count(&self, s: Status) -> usize {
        self.cells.iter().filter(|c| c.status == s).count()
    }
}

#[derive(Debug, Clone, Copy)]
struct Cell {
    /// Index into [`Page::ids`].
    id: usize,
    status: Status,
    points: f64,
    max_points: f64,
}

/// A section in the spool: the lengths of its three parts around the two
/// places where the student's name goes. Sections follow each other in
/// input order, so lengths are enough to find them.
#[derive(Debug, Clone, Copy)]
struct Spooled {
    parts: [u64; 3],
}

/// Anything the spool can live in: an anonymous temporary file in the
/// program, something that fails on cue in the tests.
trait SpoolFile: Read + Write + Seek {}
impl<T: Read + Write + Seek> SpoolFile for T {}

struct Spool {
    file: BufWriter<Box<dyn SpoolFile>>,
}

impl Spool {
    fn new(file: Box<dyn SpoolFile>) -> Spool {
        Spool {
            file: BufWriter::with_capacity(SPOOL_BUFFER, file),
        }
    }

    /// The sections written so far, readable from the first.
    fn into_reader(self) -> io::Result<BufReader<Box<dyn SpoolFile>>> {
        let mut file = self
            .file
            .into_inner()
            .map_err(|e| spool_error("write", e.into_error()))?;
        file.seek(SeekFrom::Start(0))
            .map_err(|e| spool_error("read", e))?;
        Ok(BufReader::with_capacity(SPOOL_BUFFER, file))
    }
}

/// Large enough that copying a section back costs a few system calls.
const SPOOL_BUFFER: usize = 64 * 1024;

/// Names the spool in an error, which would otherwise read as if the report
/// itself could not be written ("No space left on device" while the
/// report's folder has room, because the temporary folder does not).
fn spool_error(what: &str, e: io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("cannot {what} the HTML report's temporary file: {e}"),
    )
}

fn earlier_write_failed() -> io::Error {
    spool_error("use", io::Error::other("an earlier write failed"))
}

/// The index of `s` in `list`, added if missing. The list is short: the
/// criteria of the run's rubrics.
fn intern(list: &mut Vec<String>, s: &str) -> usize {
    match list.iter().position(|x| x == s) {
        Some(i) => i,
        None => {
            list.push(s.to_string());
            list.len() - 1
        }
    }
}

impl HtmlRenderer {
    fn spool(&mut self) -> io::Result<&mut Spool> {
        if self.spool_failed {
            return Err(earlier_write_failed());
        }
        let spool = match self.spool.take() {
            Some(s) => s,
            None => Spool::new(Box::new(
                tempfile::tempfile().map_err(|e| spool_error("create", e))?,
            )),
        };
        Ok(self.spool.insert(spool))
    }
}

impl Renderer for HtmlRenderer {
    /// The essay is highlighted in its section, rendered in `essay`; the
    /// renderer keeps none of it afterwards.
    fn needs_essay_text(&self) -> bool {
        true
    }

    /// The similar pairs are shown with their shared passages side by side.
    fn wants_shared_passages(&self) -> bool {
        true
    }

    fn rubric(&mut self, r: &Rubric) {
        self.page.rubrics.push((
            r.title.clone(),
            r.id.clone(),
            r.version.clone(),
            r.question.clone(),
        ));
        for c in &r.criteria {
            if !self.page.columns.iter().any(|(id, _)| id == &c.id) {
                self.page.columns.push((c.id.clone(), c.title.clone()));
            }
        }
    }

    fn essay(&mut self, _out: &mut dyn Write, report: &Report) -> io::Result<()> {
        let mut section = String::new();
        let [a, b] = student_section(
            &mut section,
            report,
            &anchor(self.page.students.len()),
            true,
        );
        let written = self.spool()?.file.write_all(section.as_bytes());
        if let Err(e) = written {
            self.spool_failed = true;
            return Err(spool_error("write", e));
        }

        let page = &mut self.page;
        if page.first_rubric.is_none() {
            let r = &report.rubric;
            page.first_rubric = Some((r.title.clone(), r.id.clone(), r.version.clone()));
        }
        for c in &report.criteria {
            if !page.report_columns.iter().any(|(id, _)| id == &c.id) {
                page.report_columns.push((c.id.clone(), c.title.clone()));
            }
            if let Some(f) = &c.feedback {
                if !page.advice.contains_key(&c.id) {
                    page.advice.insert(c.id.clone(), f.clone());
                }
            }
        }
        let cells = report
            .criteria
            .iter()
            .map(|c| Cell {
                id: intern(&mut page.ids, &c.id),
                status: c.status,
                points: c.points,
                max_points: c.max_points,
            })
            .collect();
        page.students.push(Student {
            essay: report.essay.clone(),
            score: report.score,
            band: report.band.clone(),
            passed: report.passed,
            words: report.words,
            cells,
            section: Spooled {
                parts: [a, b - a, section.len() - b].map(|n| n as u64),
            },
        });
        Ok(())
    }

    fn failure(&mut self, _out: &mut dyn Write, failure: &Failure) -> io::Result<()> {
        self.page.failures.push(failure.clone());
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        if self.spool_failed {
            return Err(earlier_write_failed());
        }
        let mut spool = match self.spool.take() {
            Some(s) => Some(s.into_reader()?),
            None => None,
        };
        render(&self.page, summary, spool.as_mut(), out)
    }
}

/// Escape text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + s.len() / 8);
    // A CI log reads a line that starts with `::` as a workflow command:
    // a colon first on a line of submitted text is written as a reference.
    let mut line_start = true;
    for c in s.chars() {
        let was_line_start = line_start;
        line_start = c == '\n' || (line_start && c.is_whitespace());
        match c {
            ':' if was_line_start => o.push_str("&#58;"),
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            // An escape sequence must not reach a terminal the page is
            // printed on (a lone CR would also hide a line from a log).
            c if c.is_control() && !matches!(c, '\t' | '\n') => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

/// `.student` has `content-visibility: auto` so that a browser lays out only
/// the sections on screen: the top of a 1,000-essay page shows in about
/// 8 s instead of 26 s, and links into a section still land on it. Until a
/// section has been shown, 400rem stands in for its height (a typical
/// section on a laptop); the browser then remembers the real one. Print
/// lays every section out.
pub(super) const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1b1b1b; --muted: #555; --line: #c8c8c8; --bg-alt: #f4f4f2; --accent: #1f4e79;
  --met-bg: #d4edda; --met-ink: #0b4d1d; --part-bg: #fff0c2; --part-ink: #5c4300; --miss-bg: #f8d3d3; --miss-ink: #7a0f0f; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
.wrap { max-width: 72rem; margin: 0 auto; padding: 1rem; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible { outline: 3px solid #e8a317; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 2; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
h1 { font-size: 1.7rem; margin: .5rem 0; line-height: 1.2; }
h2 { font-size: 1.35rem; margin: 2rem 0 .75rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; }
h3 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1.25rem 0 .4rem; }
.meta { color: var(--muted); margin: .25rem 0; }
.question { font-style: italic; max-width: 48rem; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr)); gap: .5rem; margin: 0; }
.stats div { background: var(--bg-alt); border-radius: .4rem; padding: .5rem .75rem; }
.stats dt { font-size: .85rem; color: var(--muted); }
.stats dd { margin: 0; font-size: 1.4rem; font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
figure { margin: 1rem 0; }
figcaption { font-weight: 600; margin-bottom: .25rem; }
svg { width: 100%; height: auto; display: block; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; margin: .5rem 0; }
caption { text-align: left; color: var(--muted); padding: .25rem 0; caption-side: top; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: var(--bg-alt); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.heat th.crit { vertical-align: bottom; padding: .3rem .1rem; }
.heat th.crit span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-size: .8rem; font-weight: 500; }
.heat td { text-align: center; padding: .15rem .3rem; font-weight: 700; min-width: 1.7rem; }
.heat th[scope=row] { white-space: nowrap; font-weight: 500; position: sticky; left: 0; background: #fff; }
.met { background: var(--met-bg); color: var(--met-ink); }
.partial { background: var(--part-bg); color: var(--part-ink); }
.missing { background: var(--miss-bg); color: var(--miss-ink); }
.legend span { display: inline-block; padding: 0 .4rem; border-radius: .2rem; margin-right: .25rem; font-weight: 600; }
.bar { background: var(--bg-alt); height: .8rem; min-width: 6rem; border-radius: .2rem; }
.bar span { display: block; height: 100%; background: var(--miss-ink); border-radius: .2rem; }
th button { font: inherit; font-weight: 700; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; text-align: left; }
th button::after { content: " \2195"; color: var(--muted); }
th[aria-sort=ascending] button::after { content: " \2191"; color: var(--ink); }
th[aria-sort=descending] button::after { content: " \2193"; color: var(--ink); }
.student { border-top: 1px solid var(--line); margin-top: 2rem; content-visibility: auto; contain-intrinsic-block-size: auto 400rem; }
.status { white-space: nowrap; font-weight: 600; }
.ev { margin: 0; padding-left: 1.1rem; }
.ev li { margin: .15rem 0; }
.note, .feedback { color: var(--muted); font-size: .92rem; margin: .2rem 0 0; }
.essay { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--bg-alt); padding: 1rem; border-radius: .4rem; line-height: 1.65; }
.essay mark { background: #ffe38a; color: inherit; padding: 0 .1rem; border-bottom: 2px solid #b08400; }
.essay mark:target { outline: 3px solid var(--accent); }
.tag { font-size: .75rem; font-weight: 600; color: var(--accent); white-space: normal; }
.warn { color: var(--part-ink); }
#selftest { white-space: pre-wrap; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  .wrap { padding: .6rem; }
  h1 { font-size: 1.4rem; }
  .stats dd { font-size: 1.15rem; }
  th, td { padding: .25rem .35rem; }
}
@media print {
  body { font-size: 10pt; }
  .wrap { max-width: none; padding: 0; }
  nav, .skip, .back { display: none; }
  a { color: inherit; text-decoration: none; }
  th button::after { content: ""; }
  .scroll { overflow: visible; }
  .heat { font-size: 7pt; }
  .student { break-before: page; border: 0; content-visibility: visible; }
  h2, h3, h4 { break-after: avoid; }
  tr, figure, li { break-inside: avoid; }
  .essay { background: none; border: 1px solid var(--line); }
  .met, .partial, .missing, .essay mark, .bar span { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Installed first, so that an error in the main script is still recorded.
pub(super) const ERROR_HOOK: &str = "window.__essaymarkErrors=[];window.onerror=function(m,s,l,c){window.__essaymarkErrors.push(String(m)+' at '+l+':'+c);};";

/// Sorting for the students table. Values come from `data-v` attributes.
const SORT_SCRIPT: &str = r#"
(function () {
  "use strict";
  var table = document.getElementById("students-table");
  if (!table) { return; }
  var tbody = table.tBodies[0];
  var headers = table.tHead.rows[0].cells;
  var live = document.getElementById("sort-status");
  function value(row, col, numeric) {
    var cell = row.cells[col];
    var v = cell.getAttribute("data-v");
    if (v === null) { v = cell.textContent; }
    return numeric ? parseFloat(v) : v;
  }
  function sortBy(col) {
    var th = headers[col];
    var numeric = th.getAttribute("data-type") === "num";
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    var rows = Array.prototype.slice.call(tbody.rows).map(function (r, i) {
      return { v: value(r, col, numeric), i: i, r: r };
    });
    rows.sort(function (a, b) {
      var c = numeric ? a.v - b.v : String(a.v).localeCompare(String(b.v), undefined, { numeric: true, sensitivity: "base" });
      if (dir === "descending") { c = -c; }
      return c || a.i - b.i;
    });
    rows.forEach(function (x) { tbody.appendChild(x.r); });
    for (var i = 0; i < headers.length; i++) {
      if (i === col) { headers[i].setAttribute("aria-sort", dir); } else { headers[i].removeAttribute("aria-sort"); }
    }
    if (live) { live.textContent = "Sorted by " + th.textContent.trim() + ", " + dir + "."; }
  }
  Array.prototype.forEach.call(headers, function (th, col) {
    var b = th.querySelector("button");
    if (b) { b.addEventListener("click", function () { sortBy(col); }); }
  });
})();
"#;

/// Opened as `report.html#selftest`, the page sorts the students table by
/// score (ascending, then descending), follows the links to the last
/// student and to that student's first evidence sentence, and writes what it
/// saw, plus any script error, into `<pre id="selftest">`: a browser test
/// reads that back from `--dump-dom`. Without the fragment it does nothing.
const SELFTEST_SCRIPT: &str = r##"
(function () {
  if (location.hash !== "#selftest") { return; }
  var out = { errors: window.__essaymarkErrors || [], rows: 0, ascending: [], descending: [], aria: [] };
  try {
    var table = document.getElementById("students-table");
    var th = table.querySelector("th[data-col=score]");
    var col = th.cellIndex;
    var read = function () {
      return Array.prototype.map.call(table.tBodies[0].rows, function (r) { return parseFloat(r.cells[col].getAttribute("data-v")); });
    };
    out.rows = table.tBodies[0].rows.length;
    th.querySelector("button").click();
    out.ascending = read();
    out.aria.push(th.getAttribute("aria-sort"));
    th.querySelector("button").click();
    out.descending = read();
    out.aria.push(th.getAttribute("aria-sort"));
  } catch (e) {
    out.errors.push(String(e));
  }
  try {
    // Sections far down the page are not laid out until needed; following
    // a link into one must still land on it.
    var seen = function (el) {
      var r = el.getBoundingClientRect();
      return { id: el.id, top: Math.round(r.top), bottom: Math.round(r.bottom), viewport: window.innerHeight };
    };
    var articles = document.querySelectorAll("article.student");
    var last = articles[articles.length - 1];
    document.querySelector("#students-table a[href='#" + last.id + "']").click();
    out.student = seen(last);
    var link = last.querySelector("a[href^='#" + last.id + "-e']");
    link.click();
    out.evidence = seen(document.getElementById(link.getAttribute("href").slice(1)));
    out.evidence.target = location.hash;
  } catch (e) {
    out.errors.push(String(e));
  }
  var pre = document.getElementById("selftest");
  pre.textContent = JSON.stringify(out);
  pre.hidden = false;
})();
"##;

/// Name shown for an essay: its file stem, or the whole path when two
/// essays share a stem (`a/essay.txt`, `b/essay.txt`).
fn names(essays: &[&str]) -> Vec<String> {
    let stem = |e: &str| -> String {
        Path::new(e)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| e.to_string())
    };
    let mut count: HashMap<String, usize> = HashMap::new();
    for e in essays {
        *count.entry(stem(e)).or_default() += 1;
    }
    essays
        .iter()
        .map(|e| {
            let s = stem(e);
            if count.get(&s).copied().unwrap_or(0) > 1 {
                e.to_string()
            } else {
                s
            }
        })
        .collect()
}

/// `s1`, `s2`, ... in input order: ids never depend on file names, so a
/// section can be rendered before the class is complete.
fn anchor(i: usize) -> String {
    format!("s{}", i + 1)
}

fn status_symbol(s: Status) -> &'static str {
    match s {
        Status::Met => "✔",
        Status::Partial => "◐",
        Status::Missing => "✘",
    }
}

/// A status as symbol plus word, so it never depends on colour alone.
fn status_label(s: Status) -> String {
    format!(
        "<span aria-hidden=\"true\">{}</span> {}",
        status_symbol(s),
        s.as_str()
    )
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// Writes the page to `h`, the student sections copied from `spool`.
fn render(
    page: &Page,
    s: &Summary,
    spool: Option<&mut impl BufRead>,
    h: &mut dyn Write,
) -> io::Result<()> {
    let (students, failures) = (&page.students[..], &page.failures[..]);
    // Columns from the rubrics announced, else from the reports themselves.
    let columns = if page.columns.is_empty() {
        &page.report_columns
    } else {
        &page.columns
    };
    let mut rubrics: Vec<(&str, &str, &str, Option<&str>)> = page
        .rubrics
        .iter()
        .map(|(t, id, v, q)| (t.as_str(), id.as_str(), v.as_str(), q.as_deref()))
        .collect();
    if rubrics.is_empty() {
        if let Some((t, id, v)) = &page.first_rubric {
            rubrics.push((t, id, v, None));
        }
    }
    let essays: Vec<&str> = students.iter().map(|st| st.essay.as_str()).collect();
    let names = names(&essays);
    let title = match &rubrics[..] {
        [(t, ..)] => format!("Class report: {t}"),
        _ => "Class report".to_string(),
    };
    h.write_all(b"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")?;
    h.write_all(b"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")?;
    h.write_all(b"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n")?;
    h.write_all(b"<meta name=\"generator\" content=\"essaymark\">\n")?;
    writeln!(h, "<title>{}</title>", esc(&title))?;
    writeln!(h, "<style>{STYLE}</style>")?;
    if s.similar.is_some() {
        writeln!(h, "<style>{SIMILAR_STYLE}</style>")?;
    }
    writeln!(h, "<script>{ERROR_HOOK}</script>")?;
    h.write_all(b"</head>\n<body>\n<a class=\"skip\" href=\"#students\">Skip to the students table</a>\n<div class=\"wrap\">\n<header>\n")?;
    writeln!(h, "<h1>{}</h1>", esc(&title))?;
    for (t, id, version, question) in &rubrics {
        if rubrics.len() > 1 {
            write!(h, "<p class=\"meta\"><strong>{}</strong> ", esc(t))?;
        } else {
            h.write_all(b"<p class=\"meta\">")?;
        }
        writeln!(h, "Rubric {} v{}</p>", esc(id), esc(version))?;
        if let Some(q) = question {
            writeln!(h, "<p class=\"question\">{}</p>", esc(q))?;
        }
    }
    h.write_all(b"<nav aria-label=\"Contents\"><ul><li><a href=\"#overview\">Overview</a></li><li><a href=\"#heatmap\">Criteria by student</a></li><li><a href=\"#most-missed\">Most-missed arguments</a></li><li><a href=\"#students\">Students</a></li>")?;
    if s.similar.is_some() {
        h.write_all(b"<li><a href=\"#similar\">Similar submissions</a></li>")?;
    }
    if !failures.is_empty() {
        h.write_all(b"<li><a href=\"#not-graded\">Not graded</a></li>")?;
    }
    h.write_all(b"<li><a href=\"#essays\">Essays</a></li></ul></nav>\n</header>\n<main>\n")?;

    overview(h, s, students, failures.len())?;
    if !students.is_empty() {
        heatmap(h, page, &names, columns)?;
        most_missed(h, s, &page.advice)?;
        students_table(h, page, &names, s)?;
    }
    similar(h, s, &essays, &names)?;
    not_graded(h, failures)?;
    if !students.is_empty() {
        let Some(spool) = spool else {
            return Err(io::Error::other(
                "the HTML report's student sections were not kept",
            ));
        };
        h.write_all(b"<section id=\"essays\" aria-labelledby=\"essays-h\">\n<h2 id=\"essays-h\">Essays</h2>\n")?;
        for (st, name) in students.iter().zip(&names) {
            let name = esc(name);
            let [before, between, after] = st.section.parts;
            copy_from_spool(spool, before, h)?;
            h.write_all(name.as_bytes())?;
            copy_from_spool(spool, between, h)?;
            h.write_all(name.as_bytes())?;
            copy_from_spool(spool, after, h)?;
        }
        h.write_all(b"</section>\n")?;
    }
    h.write_all(b"</main>\n<pre id=\"selftest\" hidden></pre>\n</div>\n")?;
    writeln!(h, "<script>{SORT_SCRIPT}</script>")?;
    writeln!(h, "<script>{SELFTEST_SCRIPT}</script>")?;
    h.write_all(b"</body>\n</html>\n")
}

/// Copies the next `n` bytes of the spool to `out`. Errors reading the spool
/// say so; errors writing `out` are passed on as they are.
fn copy_from_spool(spool: &mut impl BufRead, mut n: u64, out: &mut dyn Write) -> io::Result<()> {
    while n > 0 {
        let buf = match spool.fill_buf() {
            Ok([]) => {
                return Err(spool_error(
                    "read",
                    io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "it is shorter than what was written to it",
                    ),
                ))
            }
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(spool_error("read", e)),
        };
        let k = buf.len().min(usize::try_from(n).unwrap_or(usize::MAX));
        out.write_all(&buf[..k])?;
        spool.consume(k);
        n -= k as u64;
    }
    Ok(())
}

fn overview(h: &mut dyn Write, s: &Summary, students: &[Student], failed: usize) -> io::Result<()> {
    h.write_all("<section id=\"overview\" aria-labelledby=\"overview-h\">\n<h2 id=\"overview-h\">Class overview</h2>\n".as_bytes())?;
    if s.essays == 0 {
        return h.write_all("<p>No essays were graded.</p>\n</section>\n".as_bytes());
    }
    h.write_all("<dl class=\"stats\">".as_bytes())?;
    let mut stat =
        |label: &str, value: String| write!(h, "<div><dt>{label}</dt><dd>{value}</dd></div>");
    stat("Essays graded", s.essays.to_string())?;
    if failed > 0 {
        stat(
            "Not graded",
            format!("<a href=\"#not-graded\">{failed}</a>"),
        )?;
    }
    stat("Mean", format!("{:.1}", s.mean))?;
    stat("Median", format!("{:.1}", s.median))?;
    stat("Lowest", format!("{:.1}", s.min))?;
    stat("Highest", format!("{:.1}", s.max))?;
    stat(
        "Pass rate",
        format!(
            "{} <small>({} of {})</small>",
            pct(s.pass_rate),
            s.passed,
            s.essays
        ),
    )?;
    if s.below_threshold > 0 {
        stat("Below a CI threshold", s.below_threshold.to_string())?;
    }
    h.write_all("</dl>\n<div class=\"charts\">\n".as_bytes())?;
    histogram(h, students)?;
    band_chart(h, s)?;
    h.write_all("</div>\n</section>\n".as_bytes())
}

/// Essays per ten-point score range (the last range includes 100).
fn histogram(h: &mut dyn Write, students: &[Student]) -> io::Result<()> {
    let mut bins = [0usize; 10];
    for r in students {
        let i = ((r.score / 10.0).floor().max(0.0) as usize).min(9);
        bins[i] += 1;
    }
    let label = |i: usize| {
        if i == 9 {
            "90–100".to_string()
        } else {
            format!("{}–{}", i * 10, i * 10 + 9)
        }
    };
    let top = bins.iter().copied().max().unwrap_or(0).max(1);
    let desc: Vec<String> = (0..10)
        .map(|i| format!("{}: {}", label(i), bins[i]))
        .collect();
    let (w, hgt, left, bottom, top_pad) = (400.0, 220.0, 8.0, 34.0, 18.0);
    let bar_w = (w - 2.0 * left) / 10.0;
    let plot_h = hgt - bottom - top_pad;
    h.write_all("<figure>\n<figcaption id=\"hist-cap\">Scores</figcaption>\n".as_bytes())?;
    writeln!(
        h,
        "<svg viewBox=\"0 0 {w} {hgt}\" role=\"img\" aria-labelledby=\"hist-title hist-desc\"><title id=\"hist-title\">Number of essays per score range</title><desc id=\"hist-desc\">{}</desc>",
        esc(&desc.join("; "))
    )?;
    write!(
        h,
        "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#555\"/>",
        hgt - bottom,
        w - left,
        hgt - bottom
    )?;
    for (i, &n) in bins.iter().enumerate() {
        let bh = plot_h * n as f64 / top as f64;
        let x = left + i as f64 * bar_w;
        let y = hgt - bottom - bh;
        write!(
            h,
            "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"#1f4e79\"><title>{}: {n}</title></rect>",
            x + 3.0,
            bar_w - 6.0,
            label(i)
        )?;
        if n > 0 {
            write!(h, "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1b1b1b\">{n}</text>", x + bar_w / 2.0, y - 4.0)?;
        }
        write!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#1b1b1b\">{}</text>",
            x + bar_w / 2.0,
            hgt - bottom + 14.0,
            if i == 9 { "90+".to_string() } else { (i * 10).to_string() }
        )?;
    }
    write!(h, "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#555\">score (ranges of 10 points)</text>", w / 2.0, hgt - 4.0)?;
    h.write_all("</svg>\n</figure>\n".as_bytes())
}

/// Essays per band, in the rubric's band order.
fn band_chart(h: &mut dyn Write, s: &Summary) -> io::Result<()> {
    let top = s.bands.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let row = 30.0;
    let (w, label_w, count_w) = (400.0, 110.0, 34.0);
    let hgt = row * s.bands.len().max(1) as f64 + 8.0;
    let desc: Vec<String> = s.bands.iter().map(|(b, n)| format!("{b}: {n}")).collect();
    h.write_all("<figure>\n<figcaption>Bands</figcaption>\n".as_bytes())?;
    writeln!(
        h,
        "<svg viewBox=\"0 0 {w} {hgt}\" role=\"img\" aria-labelledby=\"bands-title bands-desc\"><title id=\"bands-title\">Number of essays per band</title><desc id=\"bands-desc\">{}</desc>",
        esc(&desc.join("; "))
    )?;
    for (i, (band, n)) in s.bands.iter().enumerate() {
        let y = 4.0 + i as f64 * row;
        let bw = (w - label_w - count_w) * *n as f64 / top as f64;
        write!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"12\" fill=\"#1b1b1b\">{}</text>",
            label_w - 6.0,
            y + row / 2.0 + 4.0,
            esc(band)
        )?;
        write!(
            h,
            "<rect x=\"{label_w}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"#1f4e79\"><title>{}: {n}</title></rect>",
            y + 4.0,
            row - 8.0,
            esc(band)
        )?;
        write!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#1b1b1b\">{n}</text>",
            label_w + bw + 5.0,
            y + row / 2.0 + 4.0
        )?;
    }
    h.write_all("</svg>\n</figure>\n".as_bytes())
}

fn heatmap(
    h: &mut dyn Write,
    page: &Page,
    names: &[String],
    criteria: &[(String, String)],
) -> io::Result<()> {
    h.write_all("<section id=\"heatmap\" aria-labelledby=\"heatmap-h\">\n<h2 id=\"heatmap-h\">Criteria by student</h2>\n".as_bytes())?;
    // The legend sits outside the scrolling table so a phone shows it whole.
    h.write_all("<p class=\"legend\">Whether each essay meets each criterion (hover a cell for its points; select a name to read the essay). Key: <span class=\"met\">✔ met</span> <span class=\"partial\">◐ partial</span> <span class=\"missing\">✘ missing</span></p>\n".as_bytes())?;
    h.write_all("<div class=\"scroll\">\n<table class=\"heat\">\n<caption>Criteria met, partly met or missing, per student</caption>\n".as_bytes())?;
    h.write_all(
        "<thead><tr><th scope=\"col\">Student</th><th scope=\"col\" class=\"num\">Score</th>"
            .as_bytes(),
    )?;
    for (id, title) in criteria {
        write!(
            h,
            "<th scope=\"col\" class=\"crit\" title=\"{}\"><span>{}</span></th>",
            esc(title),
            esc(id)
        )?;
    }
    h.write_all("</tr></thead>\n<tbody>\n".as_bytes())?;
    // Each column's criterion as the students' cells name it; None when no
    // essay was graded on it.
    let column_ids: Vec<Option<usize>> = criteria
        .iter()
        .map(|(id, _)| page.ids.iter().position(|x| x == id))
        .collect();
    for (i, (st, name)) in page.students.iter().zip(names).enumerate() {
        write!(
            h,
            "<tr><th scope=\"row\"><a href=\"#{}\">{}</a></th><td class=\"num\">{:.1}</td>",
            anchor(i),
            esc(name),
            st.score
        )?;
        for ((id, _), column) in criteria.iter().zip(&column_ids) {
            match st.cells.iter().find(|x| Some(x.id) == *column) {
                Some(x) => {
                    write!(
                        h,
                        "<td class=\"{}\" title=\"{}: {} ({}/{})\"><span aria-hidden=\"true\">{}</span><span class=\"sr-only\">{}</span></td>",
                        x.status.as_str(),
                        esc(id),
                        x.status.as_str(),
                        fmt_points(x.points),
                        fmt_points(x.max_points),
                        status_symbol(x.status),
                        x.status.as_str()
                    )?;
                }
                // Graded against another rubric that lacks this criterion.
                None => {
                    h.write_all("<td title=\"not in this essay's rubric\">–</td>".as_bytes())?
                }
            }
        }
        h.write_all("</tr>\n".as_bytes())?;
    }
    h.write_all("</tbody>\n</table>\n</div>\n</section>\n".as_bytes())
}

/// `advice`: the rubric's advice per criterion, from the first essay that
/// got it.
fn most_missed(
    h: &mut dyn Write,
    s: &Summary,
    advice: &BTreeMap<String, String>,
) -> io::Result<()> {
    h.write_all("<section id=\"most-missed\" aria-labelledby=\"most-missed-h\">\n<h2 id=\"most-missed-h\">Most-missed arguments</h2>\n".as_bytes())?;
    let missed: Vec<_> = s
        .criteria
        .iter()
        .filter(|c| c.missing + c.partial > 0)
        .collect();
    if missed.is_empty() {
        return h.write_all("<p>Every essay met every criterion.</p>\n</section>\n".as_bytes());
    }
    h.write_all("<div class=\"scroll\">\n<table>\n<caption>Criteria ordered by how many essays missed them; partial credit counts separately.</caption>\n".as_bytes())?;
    h.write_all("<thead><tr><th scope=\"col\">Criterion</th><th scope=\"col\" class=\"num\">Missed</th><th scope=\"col\" class=\"num\">Partial</th><th scope=\"col\" class=\"num\">Met</th><th scope=\"col\">Share missed</th><th scope=\"col\">Advice</th></tr></thead>\n<tbody>\n".as_bytes())?;
    for c in missed {
        writeln!(
            h,
            "<tr><th scope=\"row\"><code>{}</code><br>{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td><div class=\"bar\" aria-hidden=\"true\"><span style=\"width:{:.1}%\"></span></div>{}</td><td>{}</td></tr>",
            esc(&c.id),
            esc(&c.title),
            c.missing,
            c.partial,
            c.met,
            c.missed_share * 100.0,
            pct(c.missed_share),
            esc(advice.get(&c.id).map_or("", String::as_str))
        )?;
    }
    h.write_all("</tbody>\n</table>\n</div>\n</section>\n".as_bytes())
}

fn students_table(h: &mut dyn Write, page: &Page, names: &[String], s: &Summary) -> io::Result<()> {
    // Band order for sorting: the rubric lists bands best first, so the
    // best band gets the largest key and "ascending" reads worst to best.
    let band_rank = |b: &str| {
        s.bands
            .iter()
            .position(|(x, _)| x == b)
            .map_or(0, |i| s.bands.len() - i)
    };
    h.write_all("<section id=\"students\" aria-labelledby=\"students-h\">\n<h2 id=\"students-h\">Students</h2>\n<div class=\"scroll\">\n<table id=\"students-table\">\n".as_bytes())?;
    h.write_all("<caption>One row per essay. Select a column heading to sort by it; select it again to reverse.</caption>\n<thead><tr>".as_bytes())?;
    let cols: [(&str, &str, &str); 8] = [
        ("student", "Student", "text"),
        ("score", "Score", "num"),
        ("band", "Band", "num"),
        ("passed", "Passed", "num"),
        ("words", "Words", "num"),
        ("met", "Met", "num"),
        ("partial", "Partial", "num"),
        ("missing", "Missing", "num"),
    ];
    for (key, label, kind) in cols {
        let class = if kind == "num" && key != "band" && key != "passed" {
            " class=\"num\""
        } else {
            ""
        };
        write!(h, "<th scope=\"col\" data-col=\"{key}\" data-type=\"{kind}\"{class}><button type=\"button\">{label}</button></th>")?;
    }
    h.write_all("</tr></thead>\n<tbody>\n".as_bytes())?;
    for (i, (r, name)) in page.students.iter().zip(names).enumerate() {
        writeln!(
            h,
            "<tr><th scope=\"row\" data-v=\"{}\"><a href=\"#{}\">{}</a></th><td class=\"num\" data-v=\"{:.1}\">{:.1}</td><td data-v=\"{}\">{}</td><td data-v=\"{}\">{}</td><td class=\"num\" data-v=\"{}\">{}</td><td class=\"num\" data-v=\"{met}\">{met}</td><td class=\"num\" data-v=\"{partial}\">{partial}</td><td class=\"num\" data-v=\"{missing}\">{missing}</td></tr>",
            esc(name),
            anchor(i),
            esc(name),
            r.score,
            r.score,
            band_rank(&r.band),
            esc(&r.band),
            u8::from(r.passed),
            if r.passed { "yes" } else { "no" },
            r.words,
            r.words,
            met = r.count(Status::Met),
            partial = r.count(Status::Partial),
            missing = r.count(Status::Missing),
        )?;
    }
    h.write_all("</tbody>\n</table>\n</div>\n<p id=\"sort-status\" class=\"sr-only\" aria-live=\"polite\"></p>\n</section>\n".as_bytes())
}

/// Styles of the similar-submissions section, only in a page that has one.
const SIMILAR_STYLE: &str = r#"
.pair { border-top: 1px solid var(--line); margin-top: 1rem; }
.passages { table-layout: fixed; width: 100%; }
.passages td { width: 50%; overflow-wrap: anywhere; font-size: .95rem; }
.passages mark { background: #f8d3d3; color: inherit; border-bottom: 2px solid var(--miss-ink); }
.passages .loc { display: block; color: var(--muted); font-size: .85rem; }
@media print { .pair { break-inside: avoid; } .passages mark { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"#;

/// The pairs of submissions that share much of their wording, each with
/// its longest shared passages side by side. Absent when the class was not
/// compared.
fn similar(h: &mut dyn Write, s: &Summary, essays: &[&str], names: &[String]) -> io::Result<()> {
    let (Some(threshold), Some(pairs)) = (s.similarity_threshold, &s.similar) else {
        return Ok(());
    };
    let at = format!("{}%", fmt_points(threshold * 100.0));
    h.write_all("<section id=\"similar\" aria-labelledby=\"similar-h\">\n<h2 id=\"similar-h\">Similar submissions</h2>\n".as_bytes())?;
    writeln!(
        h,
        "<p class=\"meta\">Pairs of essays sharing {at} or more of their wording (the share of their five-word sequences found in both). Quotations, the rubric&#39;s question and titles, and phrasing common to the class are left out. A high share is a reason to look, not a verdict.</p>"
    )?;
    if pairs.is_empty() {
        writeln!(h, "<p>No pair of submissions reaches {at}.</p>\n</section>")?;
        return Ok(());
    }
    // A link to the student's section, by the name the page gives them.
    let student = |e: &str| match essays.iter().position(|x| *x == e) {
        Some(i) => format!("<a href=\"#{}\">{}</a>", anchor(i), esc(&names[i])),
        None => format!("<code>{}</code>", esc(e)),
    };
    for (k, pair) in pairs.iter().enumerate() {
        writeln!(
            h,
            "<article class=\"pair\" aria-labelledby=\"pair{k}-h\">\n<h3 id=\"pair{k}-h\">{} similar: {} and {}</h3>",
            pct(pair.similarity),
            student(&pair.a),
            student(&pair.b)
        )?;
        writeln!(
            h,
            "<p class=\"meta\">{} five-word sequences in common; {} of the shorter essay&#39;s wording is in the other.</p>",
            pair.shared,
            pct(pair.containment)
        )?;
        if pair.passages.is_empty() {
            h.write_all(b"</article>\n")?;
            continue;
        }
        writeln!(
            h,
            "<table class=\"passages\"><caption class=\"sr-only\">Longest passages both essays share</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            esc(&pair.a),
            esc(&pair.b)
        )?;
        for p in &pair.passages {
            h.write_all(b"<tr>")?;
            for e in [&p.a, &p.b] {
                writeln!(
                    h,
                    "<td><span class=\"loc\">{}:{}, {} words</span>{}<mark>{}</mark>{}</td>",
                    e.line,
                    e.column,
                    p.words,
                    esc(&e.before),
                    esc(&e.shared),
                    esc(&e.after)
                )?;
            }
            h.write_all(b"</tr>\n")?;
        }
        h.write_all(b"</tbody></table>\n</article>\n")?;
    }
    h.write_all(b"</section>\n")
}

fn not_graded(h: &mut dyn Write, failures: &[Failure]) -> io::Result<()> {
    if failures.is_empty() {
        return Ok(());
    }
    h.write_all("<section id=\"not-graded\" aria-labelledby=\"not-graded-h\">\n<h2 id=\"not-graded-h\">Not graded</h2>\n<p>These files were found but could not be graded:</p>\n<ul>\n".as_bytes())?;
    for f in failures {
        writeln!(
            h,
            "<li><code>{}</code>: {}</li>",
            esc(&f.essay),
            esc(&f.error)
        )?;
    }
    h.write_all("</ul>\n</section>\n".as_bytes())
}

/// The evidence sentences of one essay: byte span in `Report::text`, the
/// criteria it supports (rubric order), and the anchor id of its `<mark>`.
struct Highlight {
    start: usize,
    end: usize,
    criteria: Vec<String>,
    anchor: String,
}

fn highlights(r: &Report, prefix: &str) -> Vec<Highlight> {
    let Some(text) = r.text.as_deref() else {
        return Vec::new();
    };
    let mut by_span: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
    for c in &r.criteria {
        for e in &c.evidence {
            let Some(span) = &e.span else { continue };
            // Spans come from the same document, but a bad one must not
            // panic or cut a character in half: skip it.
            if span.start >= span.end || text.get(span.clone()).is_none() {
                continue;
            }
            let ids = by_span.entry((span.start, span.end)).or_default();
            if !ids.contains(&c.id) {
                ids.push(c.id.clone());
            }
        }
    }
    let mut out: Vec<Highlight> = Vec::new();
    for ((start, end), criteria) in by_span {
        // Sentences do not overlap; if two spans ever did, keep the first.
        if out.last().is_some_and(|l| start < l.end) {
            continue;
        }
        let anchor = format!("{prefix}-e{}", out.len() + 1);
        out.push(Highlight {
            start,
            end,
            criteria,
            anchor,
        });
    }
    out
}

/// Appends the section of the student at `anchor` to `h`, leaving out the
/// student's name, which depends on the whole class. Returns the two offsets
/// in `h`, from where the section starts, where the name goes.
pub(super) fn student_section(
    h: &mut String,
    r: &Report,
    anchor: &str,
    in_class: bool,
) -> [usize; 2] {
    let start = h.len();
    let marks = highlights(r, anchor);
    let _ = writeln!(
        h,
        "<article class=\"student\" id=\"{anchor}\" aria-labelledby=\"{anchor}-h\">"
    );
    let _ = write!(h, "<h3 id=\"{anchor}-h\">");
    let name_in_heading = h.len() - start;
    h.push_str("</h3>\n");
    let _ = writeln!(
        h,
        "<p class=\"meta\"><code>{}</code> · {} words{}</p>",
        esc(&r.essay),
        r.words,
        if r.positions == "extracted" {
            " · line:column refer to the text extracted from the document"
        } else {
            ""
        }
    );
    let _ = writeln!(
        h,
        "<p><strong>Score {:.1}/100</strong> · {} · {} · {} of {} points</p>",
        r.score,
        esc(&r.band),
        if r.passed {
            "passed"
        } else {
            "<strong>below the pass mark</strong>"
        },
        fmt_points(r.points),
        fmt_points(r.max_points)
    );
    for t in &r.threshold_failures {
        let _ = writeln!(
            h,
            "<p class=\"warn\"><strong>Fails the check:</strong> {}</p>",
            esc(&t.message())
        );
    }
    if let Some((label, why)) = r.topic_flag() {
        let _ = writeln!(h, "<p class=\"warn\"><strong>{label}:</strong> {why}.</p>");
    }
    for w in &r.warnings {
        let _ = writeln!(
            h,
            "<p class=\"warn\"><strong>Warning:</strong> {}</p>",
            esc(w)
        );
    }
    for n in &r.notes {
        let _ = writeln!(h, "<p class=\"note\"><strong>Note:</strong> {}</p>", esc(n));
    }

    let _ = writeln!(h, "<h4 id=\"{anchor}-criteria\">Criteria</h4>");
    h.push_str("<div class=\"scroll\">\n<table>\n<caption>Criteria for ");
    let name_in_caption = h.len() - start;
    h.push_str(
        ", in rubric order, with the evidence found (line:column and sentence).</caption>\n",
    );
    h.push_str("<thead><tr><th scope=\"col\">Status</th><th scope=\"col\">Criterion</th><th scope=\"col\" class=\"num\">Points</th><th scope=\"col\">Evidence</th></tr></thead>\n<tbody>\n");
    for c in &r.criteria {
        criterion_row(h, c, &marks);
    }
    h.push_str("</tbody>\n</table>\n</div>\n");

    // Biggest gain first, as in the text report.
    let (missing, _) = super::what_to_add(r);
    if !missing.is_empty() {
        let _ = writeln!(h, "<h4>Missing arguments</h4>\n<ul>");
        for c in missing {
            let _ = writeln!(
                h,
                "<li><strong><code>{}</code></strong> {} ({} points{}){}</li>",
                esc(&c.id),
                esc(&c.title),
                fmt_points(c.max_points),
                if c.required { ", required" } else { "" },
                c.feedback
                    .as_deref()
                    .map(|f| format!("<p class=\"feedback\">{}</p>", esc(f)))
                    .unwrap_or_default()
            );
        }
        h.push_str("</ul>\n");
    }

    h.push_str("<h4>Essay</h4>\n");
    match r.text.as_deref() {
        Some(text) => {
            h.push_str("<p class=\"meta\">Evidence sentences are highlighted and followed by the criteria they support, in brackets.");
            if r.format != crate::ingest::Format::Text {
                h.push_str(" Formatting is removed: this is the text as analysed.");
            }
            h.push_str("</p>\n<div class=\"essay\">");
            let mut at = 0;
            for m in &marks {
                // `highlights` checked the spans against this text.
                h.push_str(&esc(text.get(at..m.start).unwrap_or("")));
                let _ = write!(
                    h,
                    "<mark id=\"{}\">{}</mark> <small class=\"tag\">[{}]</small>",
                    m.anchor,
                    esc(text.get(m.start..m.end).unwrap_or("")),
                    esc(&m.criteria.join(", "))
                );
                at = m.end;
            }
            h.push_str(&esc(text.get(at..).unwrap_or("")));
            h.push_str("</div>\n");
        }
        None => h.push_str("<p>The essay text is not available.</p>\n"),
    }
    // A student's own page has no students table to go back to.
    if in_class {
        h.push_str("<p class=\"back\"><a href=\"#students\">Back to the students table</a></p>\n");
    }
    h.push_str("</article>\n");
    [name_in_heading, name_in_caption]
}

/// The anchor of the `<mark>` for an evidence span, if it was highlighted.
fn anchor_of<'a>(marks: &'a [Highlight], span: &Option<std::ops::Range<usize>>) -> Option<&'a str> {
    let s = span.as_ref()?;
    marks
        .iter()
        .find(|m| m.start == s.start && m.end == s.end)
        .map(|m| m.anchor.as_str())
}

fn criterion_row(h: &mut String, c: &CriterionReport, marks: &[Highlight]) {
    let _ = write!(
        h,
        "<tr><td class=\"status {}\">{}</td><th scope=\"row\"><code>{}</code><br>{}{}</th><td class=\"num\">{}/{}{}</td><td>",
        c.status.as_str(),
        status_label(c.status),
        esc(&c.id),
        esc(&c.title),
        if c.required { " <small>(required)</small>" } else { "" },
        fmt_points(c.points),
        fmt_points(c.max_points),
        c.level
            .map(|l| format!("<br><small class=\"level\">{}</small>", l.as_str()))
            .unwrap_or_default()
    );
    if !c.evidence.is_empty() {
        h.push_str("<ul class=\"ev\">");
        for e in &c.evidence {
            let loc = format!("{}:{}", e.line, e.column);
            let loc = match anchor_of(marks, &e.span) {
                Some(a) => format!("<a href=\"#{a}\">{loc}</a>"),
                None => loc,
            };
            let found = e
                .found_as
                .as_deref()
                .map(|f| format!(" <small>(spelled “{}”)</small>", esc(f)))
                .or_else(|| {
                    e.by_meaning
                        .as_ref()
                        .map(|m| format!(" <small>({})</small>", esc(&m.describe())))
                })
                .unwrap_or_default();
            let _ = write!(h, "<li>{loc} “{}”{found}</li>", esc(&e.text));
        }
        h.push_str("</ul>");
    }
    if let Some(n) = &c.note {
        let _ = write!(h, "<p class=\"note\">{}</p>", esc(n));
    }
    if let (Some(next), Status::Met) = (c.next_level, c.status) {
        let _ = write!(h, "<p class=\"next\">Next level: {}</p>", esc(next));
    }
    if c.status == Status::Partial {
        if let Some(f) = &c.feedback {
            let _ = write!(h, "<p class=\"feedback\">To develop: {}</p>", esc(f));
        }
    }
    h.push_str("</td></tr>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Format;
    use crate::report::SummaryBuilder;
    use crate::rubric::Rubric;
    use crate::scoring;
    use crate::text::Document;

    const STRONG: &str = "Pakistan's Western Security\n\n\
        The TTP revival after the Taliban takeover in 2021 has raised terrorist attacks in Khyber Pakhtunkhwa sharply. \
        Sanctuaries across the Durand Line let the TTP regroup, train and strike Pakistani soldiers.\n\n\
        Border clashes at Torkham and Chaman closed trade for weeks and hurt traders on both sides.\n";

    fn report(name: &str, text: &str) -> Report {
        let rubric = Rubric::builtin();
        let doc = Document::from_plain_text(text.to_string());
        let grade = scoring::grade(&rubric, &doc);
        Report::new(name, Format::Text, Vec::new(), &rubric, &doc, &grade)
    }

    fn render_all(reports: &[Report], failures: &[Failure]) -> String {
        render_with(&Rubric::builtin(), reports, failures)
    }

    fn render_with(rubric: &Rubric, reports: &[Report], failures: &[Failure]) -> String {
        let mut b = SummaryBuilder::new(rubric.bands.iter().map(|b| b.label.clone()).collect());
        let mut r = HtmlRenderer::default();
        r.rubric(rubric);
        let mut out = Vec::new();
        r.start(&mut out).unwrap();
        for f in failures {
            r.failure(&mut out, f).unwrap();
            b.fail(f.clone());
        }
        for rep in reports {
            b.add(rep);
            r.essay(&mut out, rep).unwrap();
        }
        r.finish(&mut out, &b.build()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_everything_that_comes_from_a_submission() {
        let evil = "<script>alert('x')</script> & \"quotes\" <img src=x onerror=alert(1)>";
        let text = format!("{STRONG}\n{evil}\n");
        let name = "class/<script>alert(1)</script>\".txt";
        let failure = Failure {
            essay: "<b>bad</b>.pdf".into(),
            error: "unsupported <i>type</i>".into(),
        };
        let html = render_all(&[report(name, &text)], &[failure]);
        // Only this file's own three scripts exist, and none of the payloads.
        assert_eq!(html.matches("<script").count(), 3, "{html}");
        assert!(!html.contains("<script>alert"));
        assert!(!html.contains("<img"));
        assert!(!html.contains("<b>bad"));
        assert!(!html.contains("<i>type"));
        assert!(html
            .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("class/&lt;script&gt;alert(1)&lt;/script&gt;&quot;.txt"));
        assert!(html.contains("&lt;b&gt;bad&lt;/b&gt;.pdf"));
    }

    #[test]
    fn self_contained_accessible_and_deterministic() {
        let reports = [
            report("a/ali.txt", STRONG),
            report(
                "b/sara.txt",
                "A short note about the weather today, nothing more.\n",
            ),
        ];
        let html = render_all(&reports, &[]);
        assert_eq!(html, render_all(&reports, &[]), "same input, same bytes");
        for needle in [
            "<html lang=\"en\">",
            "name=\"viewport\"",
            "@media print",
            "<caption>",
            "scope=\"col\"",
            "scope=\"row\"",
            "id=\"students-table\"",
            "<svg viewBox",
            "role=\"img\"",
            "id=\"selftest\"",
        ] {
            assert!(html.contains(needle), "missing {needle}");
        }
        // Nothing is loaded from anywhere.
        for banned in ["http://", "https://", "src=\"", "<link", "@import", "url("] {
            assert!(!html.contains(banned), "found {banned}");
        }
        // Heat map: one row per student, symbols with words.
        assert_eq!(
            html.matches("<tr><th scope=\"row\"><a href=\"#s").count(),
            2
        );
        assert!(html.contains("<span class=\"sr-only\">missing</span>"));
        // Names are stems; two students, two articles.
        assert!(
            html.contains("<h3 id=\"s1-h\">ali</h3>") && html.contains("<h3 id=\"s2-h\">sara</h3>")
        );
    }

    #[test]
    fn evidence_sentences_are_highlighted_and_labelled() {
        let r = report("ali.txt", STRONG);
        let ttp = r.criteria.iter().find(|c| c.id == "ttp-revival").unwrap();
        assert!(!ttp.evidence.is_empty(), "fixture should find ttp-revival");
        let html = render_all(std::slice::from_ref(&r), &[]);
        let text = r.text.as_deref().unwrap();
        let span = ttp.evidence[0].span.clone().unwrap();
        let sentence = esc(&text[span]);
        let at = html
            .find(&format!("\">{sentence}</mark>"))
            .expect("evidence sentence is marked");
        let label_end = html[at..].find("</small>").unwrap() + at;
        assert!(
            html[at..label_end].contains("ttp-revival"),
            "{}",
            &html[at..label_end]
        );
        // The evidence list links to the mark.
        assert!(html.contains("<a href=\"#s1-e"));
        // The essay text outside highlights is kept.
        assert!(html.contains("Pakistan&#39;s Western Security"));
    }

    #[test]
    fn duplicate_stems_show_paths_and_empty_runs_render() {
        let reports = [report("a/essay.txt", STRONG), report("b/essay.txt", STRONG)];
        let essays: Vec<&str> = reports.iter().map(|r| r.essay.as_str()).collect();
        assert_eq!(names(&essays), ["a/essay.txt", "b/essay.txt"]);
        let html = render_all(&[], &[]);
        assert!(html.contains("No essays were graded."));
        assert!(html.ends_with("</html>\n"));
    }

    /// A rubric of three criteria, so that a whole page stays small enough
    /// to read as a snapshot.
    const SMALL_RUBRIC: &str = r#"
id: western-border
title: "Pakistan's western border"
question: "What threatens Pakistan's <western> border?"
version: "2"
total: 12
pass_mark: 50
bands:
  - {min: 75, label: Strong}
  - {min: 50, label: Adequate}
  - {min: 0, label: Needs work}
sections:
  - id: themes
    title: Themes
    criteria:
      - id: ttp
        title: The TTP revival
        points: 4
        required: true
        feedback: "Explain why the TTP revived after 2021."
        match: [TTP, Tehrik-i-Taliban]
        develop: [sanctuar*, regroup*]
      - id: border
        title: Border clashes & trade
        points: 4
        feedback: Name the crossings and what closing them cost.
        match: [Torkham, Chaman, border clash*]
        develop: [trade, traders]
      - id: refugees
        title: Refugees
        points: 4
        feedback: Discuss the deportation of Afghan refugees.
        match: [refugee*]
"#;

    fn small_report(rubric: &Rubric, name: &str, text: &str) -> Report {
        let doc = Document::from_plain_text(text.to_string());
        let grade = scoring::grade(rubric, &doc);
        Report::new(name, Format::Text, Vec::new(), rubric, &doc, &grade)
    }

    /// The whole page for a small class that touches every part: duplicate
    /// file stems (names depend on the whole class), a docx with a warning,
    /// a report without its text and a failure. Output is a product promise
    /// (same input, same bytes), so any change to the page shows up here as
    /// a reviewed diff.
    #[test]
    fn small_class_page_is_stable() {
        let rubric = crate::rubric::load_str(SMALL_RUBRIC, "small.yaml").unwrap();
        let mut docx = small_report(&rubric, "class/sara.docx", STRONG);
        docx.format = Format::Docx;
        docx.positions = "extracted";
        docx.warnings = vec!["decoded as <Windows-1252>".into()];
        let mut no_text = small_report(&rubric, "omar.txt", STRONG);
        no_text.text = None;
        let reports = [
            small_report(&rubric, "a/essay.txt", STRONG),
            small_report(
                &rubric,
                "b/essay.txt",
                "Refugees & the weather: nothing more.\n",
            ),
            docx,
            no_text,
        ];
        let failure = Failure {
            essay: "late/scan.pdf".into(),
            error: "not a text file".into(),
        };
        insta::assert_snapshot!(render_with(&rubric, &reports, &[failure]));
    }

    #[test]
    fn keeps_no_essay_text_once_the_section_is_spooled() {
        let rubric = Rubric::builtin();
        let mut r = HtmlRenderer::default();
        r.rubric(&rubric);
        let text = format!("{STRONG}\nMy grandmother kept bees in Quetta.\n");
        let reports = [report("a/ali.txt", &text), report("b/ali.txt", &text)];
        for rep in &reports {
            r.essay(&mut io::sink(), rep).unwrap();
        }
        let kept = format!("{:?}", r.page);
        assert!(kept.contains("a/ali.txt") && kept.contains("b/ali.txt"));
        // An evidence quote, and a sentence that is nobody's evidence.
        for phrase in ["Sanctuaries across", "grandmother kept bees"] {
            assert!(!kept.contains(phrase), "{phrase:?} kept in memory");
        }
        // What is not in memory is in the spool, written as it came.
        let spooled: u64 = r
            .page
            .students
            .iter()
            .map(|st| st.section.parts.iter().sum::<u64>())
            .sum();
        let mut file = r.spool.take().unwrap().into_reader().unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        assert_eq!(text.len() as u64, spooled);
        assert_eq!(text.matches("grandmother kept bees").count(), 2);
    }

    /// More sections than fit in the spool's buffers, so that copying them
    /// back crosses buffer boundaries everywhere: each student's section,
    /// name and essay still land together and in order.
    #[test]
    fn many_sections_come_back_in_order_with_their_names() {
        let reports: Vec<Report> = (0..40)
            .map(|i| {
                // Every tenth essay shares its stem with another one.
                let name = if i % 10 == 0 {
                    format!("group{i}/essay-{}.txt", i / 20)
                } else {
                    format!("essay-{i}.txt")
                };
                let text = format!("{STRONG}\nStudent number {i} wrote this.\n").repeat(2);
                report(&name, &text)
            })
            .collect();
        let essays: Vec<&str> = reports.iter().map(|r| r.essay.as_str()).collect();
        let names = names(&essays);
        let html = render_all(&reports, &[]);
        assert!(html.len() > 4 * SPOOL_BUFFER, "{} bytes", html.len());
        let sections: Vec<&str> = html.split("<article class=\"student\"").skip(1).collect();
        assert_eq!(sections.len(), reports.len());
        for (i, (section, name)) in sections.iter().zip(&names).enumerate() {
            let name = esc(name);
            assert!(section.starts_with(&format!(" id=\"s{}\"", i + 1)), "{i}");
            assert!(section.contains(&format!("<h3 id=\"s{}-h\">{name}</h3>", i + 1)));
            assert!(section.contains(&format!("<caption>Criteria for {name}, in rubric order")));
            assert_eq!(
                section
                    .matches(&format!("Student number {i} wrote"))
                    .count(),
                2,
                "{i}"
            );
            assert!(section.contains("</article>\n"));
        }
        assert!(names[0].contains('/') && !names[1].contains('/'));
        assert!(html.ends_with("</html>\n"));
    }

    /// A spool that fails: writes (`fail_writes`) or reads back short.
    struct BadSpool {
        fail_writes: bool,
    }

    impl Write for BadSpool {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.fail_writes {
                Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
            } else {
                Ok(buf.len())
            }
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Read for BadSpool {
        fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
            Ok(0)
        }
    }

    impl Seek for BadSpool {
        fn seek(&mut self, _pos: SeekFrom) -> io::Result<u64> {
            Ok(0)
        }
    }

    fn with_bad_spool(fail_writes: bool) -> HtmlRenderer {
        let mut r = HtmlRenderer::default();
        r.rubric(&Rubric::builtin());
        r.spool = Some(Spool::new(Box::new(BadSpool { fail_writes })));
        r
    }

    fn summary_of(reports: &[Report]) -> Summary {
        let rubric = Rubric::builtin();
        let mut b = SummaryBuilder::new(rubric.bands.iter().map(|b| b.label.clone()).collect());
        for rep in reports {
            b.add(rep);
        }
        b.build()
    }

    #[test]
    fn a_spool_write_error_is_an_error_not_a_panic() {
        // Small sections wait in the buffer: the error comes with `finish`.
        let small = [report("a.txt", STRONG)];
        let mut r = with_bad_spool(true);
        r.essay(&mut io::sink(), &small[0]).unwrap();
        let mut out = Vec::new();
        let e = r.finish(&mut out, &summary_of(&small)).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::StorageFull);
        assert_eq!(
            e.to_string(),
            "cannot write the HTML report's temporary file: disk full"
        );
        assert!(out.is_empty(), "no page from a broken spool");

        // A section larger than the buffer fails in `essay`, and the spool
        // is not used again: it would no longer match the students.
        let big = [report("b.txt", &STRONG.repeat(400))];
        let mut r = with_bad_spool(true);
        let e = r.essay(&mut io::sink(), &big[0]).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::StorageFull);
        assert!(r.essay(&mut io::sink(), &small[0]).is_err());
        assert!(r.finish(&mut Vec::new(), &summary_of(&big)).is_err());
    }

    #[test]
    fn a_spool_that_reads_back_short_is_an_error() {
        let reports = [report("a.txt", STRONG)];
        let mut r = with_bad_spool(false);
        r.essay(&mut io::sink(), &reports[0]).unwrap();
        let e = r
            .finish(&mut Vec::new(), &summary_of(&reports))
            .unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
        assert!(
            e.to_string()
                .starts_with("cannot read the HTML report's temporary file"),
            "{e}"
        );
    }

    #[test]
    fn bad_spans_are_skipped_not_panicked_on() {
        let mut r = report("x.txt", STRONG);
        for c in &mut r.criteria {
            for e in &mut c.evidence {
                e.span = Some(0..10_000);
            }
        }
        r.text = Some("é".into());
        assert!(highlights(&r, "s1").is_empty());
        let html = render_all(&[r], &[]);
        assert!(html.contains("<div class=\"essay\">é</div>"));
    }
}
