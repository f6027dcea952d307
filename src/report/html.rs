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
//! Unlike the other renderers this one keeps every report (with its essay
//! text) in memory until `finish`: the overview, the heat map and the
//! sortable table come before the per-student sections, and all need the
//! whole class. That is a few megabytes for a large class.
//!
//! Output is deterministic (no timestamps, input order), so two runs over
//! the same folder produce identical files.

use super::{fmt_points, CriterionReport, Failure, Renderer, Report, Summary};
use crate::rubric::Rubric;
use crate::scoring::Status;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

#[derive(Default)]
pub struct HtmlRenderer {
    page: Page,
}

/// What the page is built from.
#[derive(Default)]
struct Page {
    /// (title, id, version, question) per rubric of the run.
    rubrics: Vec<(String, String, String, Option<String>)>,
    /// Heat-map columns: (criterion id, title), rubric order, several
    /// rubrics sharing the ids they have in common.
    columns: Vec<(String, String)>,
    reports: Vec<Report>,
    failures: Vec<Failure>,
}

impl Renderer for HtmlRenderer {
    fn needs_essay_text(&self) -> bool {
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
        self.page.reports.push(report.clone());
        Ok(())
    }

    fn failure(&mut self, _out: &mut dyn Write, failure: &Failure) -> io::Result<()> {
        self.page.failures.push(failure.clone());
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        out.write_all(render(&self.page, summary).as_bytes())
    }
}

/// Escape text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

const STYLE: &str = r#"
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
.student { border-top: 1px solid var(--line); margin-top: 2rem; }
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
  .student { break-before: page; border: 0; }
  h2, h3, h4 { break-after: avoid; }
  tr, figure, li { break-inside: avoid; }
  .essay { background: none; border: 1px solid var(--line); }
  .met, .partial, .missing, .essay mark, .bar span { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Installed first, so that an error in the main script is still recorded.
const ERROR_HOOK: &str = "window.__essaymarkErrors=[];window.onerror=function(m,s,l,c){window.__essaymarkErrors.push(String(m)+' at '+l+':'+c);};";

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
/// score (ascending, then descending) and writes what it saw, plus any
/// script error, into `<pre id="selftest">`: a browser test reads that back
/// from `--dump-dom`. Without the fragment it does nothing.
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
  var pre = document.getElementById("selftest");
  pre.textContent = JSON.stringify(out);
  pre.hidden = false;
})();
"##;

/// Everything the page knows about one student, computed once.
struct Student<'a> {
    r: &'a Report,
    /// `s1`, `s2`, ... in input order: ids never depend on file names.
    anchor: String,
    name: String,
}

/// Name shown for an essay: its file stem, or the whole path when two
/// essays share a stem (`a/essay.txt`, `b/essay.txt`).
fn names(reports: &[Report]) -> Vec<String> {
    let stem = |e: &str| -> String {
        Path::new(e)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| e.to_string())
    };
    let mut count: HashMap<String, usize> = HashMap::new();
    for r in reports {
        *count.entry(stem(&r.essay)).or_default() += 1;
    }
    reports
        .iter()
        .map(|r| {
            let s = stem(&r.essay);
            if count.get(&s).copied().unwrap_or(0) > 1 {
                r.essay.clone()
            } else {
                s
            }
        })
        .collect()
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

fn render(page: &Page, s: &Summary) -> String {
    let (reports, failures) = (&page.reports[..], &page.failures[..]);
    // Columns from the rubrics announced, else from the reports themselves.
    let mut columns = page.columns.clone();
    if columns.is_empty() {
        for c in reports.iter().flat_map(|r| &r.criteria) {
            if !columns.iter().any(|(id, _)| id == &c.id) {
                columns.push((c.id.clone(), c.title.clone()));
            }
        }
    }
    let mut rubrics = page.rubrics.clone();
    if rubrics.is_empty() {
        if let Some(r) = reports.first() {
            rubrics.push((
                r.rubric.title.clone(),
                r.rubric.id.clone(),
                r.rubric.version.clone(),
                None,
            ));
        }
    }
    let names = names(reports);
    let students: Vec<Student> = reports
        .iter()
        .zip(names)
        .enumerate()
        .map(|(i, (r, name))| Student {
            r,
            anchor: format!("s{}", i + 1),
            name,
        })
        .collect();
    let mut h = String::with_capacity(
        64 * 1024
            + reports
                .iter()
                .map(|r| r.text.as_ref().map_or(0, |t| t.len() * 2))
                .sum::<usize>(),
    );
    let title = match &rubrics[..] {
        [(t, ..)] => format!("Class report: {t}"),
        _ => "Class report".to_string(),
    };
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n");
    h.push_str("<meta name=\"generator\" content=\"essaymark\">\n");
    let _ = writeln!(h, "<title>{}</title>", esc(&title));
    let _ = writeln!(h, "<style>{STYLE}</style>");
    let _ = writeln!(h, "<script>{ERROR_HOOK}</script>");
    h.push_str("</head>\n<body>\n<a class=\"skip\" href=\"#students\">Skip to the students table</a>\n<div class=\"wrap\">\n<header>\n");
    let _ = writeln!(h, "<h1>{}</h1>", esc(&title));
    for (t, id, version, question) in &rubrics {
        if rubrics.len() > 1 {
            let _ = write!(h, "<p class=\"meta\"><strong>{}</strong> ", esc(t));
        } else {
            h.push_str("<p class=\"meta\">");
        }
        let _ = writeln!(h, "Rubric {} v{}</p>", esc(id), esc(version));
        if let Some(q) = question {
            let _ = writeln!(h, "<p class=\"question\">{}</p>", esc(q));
        }
    }
    h.push_str("<nav aria-label=\"Contents\"><ul><li><a href=\"#overview\">Overview</a></li><li><a href=\"#heatmap\">Criteria by student</a></li><li><a href=\"#most-missed\">Most-missed arguments</a></li><li><a href=\"#students\">Students</a></li>");
    if !failures.is_empty() {
        h.push_str("<li><a href=\"#not-graded\">Not graded</a></li>");
    }
    h.push_str("<li><a href=\"#essays\">Essays</a></li></ul></nav>\n</header>\n<main>\n");

    overview(&mut h, s, reports, failures.len());
    if !students.is_empty() {
        heatmap(&mut h, &students, &columns);
        most_missed(&mut h, s, reports);
        students_table(&mut h, &students, s);
    }
    not_graded(&mut h, failures);
    if !students.is_empty() {
        h.push_str("<section id=\"essays\" aria-labelledby=\"essays-h\">\n<h2 id=\"essays-h\">Essays</h2>\n");
        for st in &students {
            student_section(&mut h, st);
        }
        h.push_str("</section>\n");
    }
    h.push_str("</main>\n<pre id=\"selftest\" hidden></pre>\n</div>\n");
    let _ = writeln!(h, "<script>{SORT_SCRIPT}</script>");
    let _ = writeln!(h, "<script>{SELFTEST_SCRIPT}</script>");
    h.push_str("</body>\n</html>\n");
    h
}

fn overview(h: &mut String, s: &Summary, reports: &[Report], failed: usize) {
    h.push_str("<section id=\"overview\" aria-labelledby=\"overview-h\">\n<h2 id=\"overview-h\">Class overview</h2>\n");
    if s.essays == 0 {
        h.push_str("<p>No essays were graded.</p>\n</section>\n");
        return;
    }
    h.push_str("<dl class=\"stats\">");
    let mut stat = |label: &str, value: String| {
        let _ = write!(h, "<div><dt>{label}</dt><dd>{value}</dd></div>");
    };
    stat("Essays graded", s.essays.to_string());
    if failed > 0 {
        stat(
            "Not graded",
            format!("<a href=\"#not-graded\">{failed}</a>"),
        );
    }
    stat("Mean", format!("{:.1}", s.mean));
    stat("Median", format!("{:.1}", s.median));
    stat("Lowest", format!("{:.1}", s.min));
    stat("Highest", format!("{:.1}", s.max));
    stat(
        "Pass rate",
        format!(
            "{} <small>({} of {})</small>",
            pct(s.pass_rate),
            s.passed,
            s.essays
        ),
    );
    h.push_str("</dl>\n<div class=\"charts\">\n");
    histogram(h, reports);
    band_chart(h, s);
    h.push_str("</div>\n</section>\n");
}

/// Essays per ten-point score range (the last range includes 100).
fn histogram(h: &mut String, reports: &[Report]) {
    let mut bins = [0usize; 10];
    for r in reports {
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
    h.push_str("<figure>\n<figcaption id=\"hist-cap\">Scores</figcaption>\n");
    let _ = writeln!(
        h,
        "<svg viewBox=\"0 0 {w} {hgt}\" role=\"img\" aria-labelledby=\"hist-title hist-desc\"><title id=\"hist-title\">Number of essays per score range</title><desc id=\"hist-desc\">{}</desc>",
        esc(&desc.join("; "))
    );
    let _ = write!(
        h,
        "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#555\"/>",
        hgt - bottom,
        w - left,
        hgt - bottom
    );
    for (i, &n) in bins.iter().enumerate() {
        let bh = plot_h * n as f64 / top as f64;
        let x = left + i as f64 * bar_w;
        let y = hgt - bottom - bh;
        let _ = write!(
            h,
            "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"#1f4e79\"><title>{}: {n}</title></rect>",
            x + 3.0,
            bar_w - 6.0,
            label(i)
        );
        if n > 0 {
            let _ = write!(h, "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1b1b1b\">{n}</text>", x + bar_w / 2.0, y - 4.0);
        }
        let _ = write!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#1b1b1b\">{}</text>",
            x + bar_w / 2.0,
            hgt - bottom + 14.0,
            if i == 9 { "90+".to_string() } else { (i * 10).to_string() }
        );
    }
    let _ = write!(h, "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#555\">score (ranges of 10 points)</text>", w / 2.0, hgt - 4.0);
    h.push_str("</svg>\n</figure>\n");
}

/// Essays per band, in the rubric's band order.
fn band_chart(h: &mut String, s: &Summary) {
    let top = s.bands.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let row = 30.0;
    let (w, label_w, count_w) = (400.0, 110.0, 34.0);
    let hgt = row * s.bands.len().max(1) as f64 + 8.0;
    let desc: Vec<String> = s.bands.iter().map(|(b, n)| format!("{b}: {n}")).collect();
    h.push_str("<figure>\n<figcaption>Bands</figcaption>\n");
    let _ = writeln!(
        h,
        "<svg viewBox=\"0 0 {w} {hgt}\" role=\"img\" aria-labelledby=\"bands-title bands-desc\"><title id=\"bands-title\">Number of essays per band</title><desc id=\"bands-desc\">{}</desc>",
        esc(&desc.join("; "))
    );
    for (i, (band, n)) in s.bands.iter().enumerate() {
        let y = 4.0 + i as f64 * row;
        let bw = (w - label_w - count_w) * *n as f64 / top as f64;
        let _ = write!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"12\" fill=\"#1b1b1b\">{}</text>",
            label_w - 6.0,
            y + row / 2.0 + 4.0,
            esc(band)
        );
        let _ = write!(
            h,
            "<rect x=\"{label_w}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"#1f4e79\"><title>{}: {n}</title></rect>",
            y + 4.0,
            row - 8.0,
            esc(band)
        );
        let _ = write!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#1b1b1b\">{n}</text>",
            label_w + bw + 5.0,
            y + row / 2.0 + 4.0
        );
    }
    h.push_str("</svg>\n</figure>\n");
}

fn heatmap(h: &mut String, students: &[Student], criteria: &[(String, String)]) {
    h.push_str("<section id=\"heatmap\" aria-labelledby=\"heatmap-h\">\n<h2 id=\"heatmap-h\">Criteria by student</h2>\n");
    // The legend sits outside the scrolling table so a phone shows it whole.
    h.push_str("<p class=\"legend\">Whether each essay meets each criterion (hover a cell for its points; select a name to read the essay). Key: <span class=\"met\">✔ met</span> <span class=\"partial\">◐ partial</span> <span class=\"missing\">✘ missing</span></p>\n");
    h.push_str("<div class=\"scroll\">\n<table class=\"heat\">\n<caption>Criteria met, partly met or missing, per student</caption>\n");
    h.push_str(
        "<thead><tr><th scope=\"col\">Student</th><th scope=\"col\" class=\"num\">Score</th>",
    );
    for (id, title) in criteria {
        let _ = write!(
            h,
            "<th scope=\"col\" class=\"crit\" title=\"{}\"><span>{}</span></th>",
            esc(title),
            esc(id)
        );
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for st in students {
        let _ = write!(
            h,
            "<tr><th scope=\"row\"><a href=\"#{}\">{}</a></th><td class=\"num\">{:.1}</td>",
            st.anchor,
            esc(&st.name),
            st.r.score
        );
        for (id, _) in criteria {
            match st.r.criteria.iter().find(|x| &x.id == id) {
                Some(x) => {
                    let _ = write!(
                        h,
                        "<td class=\"{}\" title=\"{}: {} ({}/{})\"><span aria-hidden=\"true\">{}</span><span class=\"sr-only\">{}</span></td>",
                        x.status.as_str(),
                        esc(&x.id),
                        x.status.as_str(),
                        fmt_points(x.points),
                        fmt_points(x.max_points),
                        status_symbol(x.status),
                        x.status.as_str()
                    );
                }
                // Graded against another rubric that lacks this criterion.
                None => h.push_str("<td title=\"not in this essay's rubric\">–</td>"),
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

fn most_missed(h: &mut String, s: &Summary, reports: &[Report]) {
    // The rubric's advice for a criterion, from any essay that missed it.
    let mut advice: BTreeMap<&str, &str> = BTreeMap::new();
    for r in reports {
        for c in &r.criteria {
            if let Some(f) = &c.feedback {
                advice.entry(c.id.as_str()).or_insert(f.as_str());
            }
        }
    }
    h.push_str("<section id=\"most-missed\" aria-labelledby=\"most-missed-h\">\n<h2 id=\"most-missed-h\">Most-missed arguments</h2>\n");
    let missed: Vec<_> = s
        .criteria
        .iter()
        .filter(|c| c.missing + c.partial > 0)
        .collect();
    if missed.is_empty() {
        h.push_str("<p>Every essay met every criterion.</p>\n</section>\n");
        return;
    }
    h.push_str("<div class=\"scroll\">\n<table>\n<caption>Criteria ordered by how many essays missed them; partial credit counts separately.</caption>\n");
    h.push_str("<thead><tr><th scope=\"col\">Criterion</th><th scope=\"col\" class=\"num\">Missed</th><th scope=\"col\" class=\"num\">Partial</th><th scope=\"col\" class=\"num\">Met</th><th scope=\"col\">Share missed</th><th scope=\"col\">Advice</th></tr></thead>\n<tbody>\n");
    for c in missed {
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\"><code>{}</code><br>{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td><div class=\"bar\" aria-hidden=\"true\"><span style=\"width:{:.1}%\"></span></div>{}</td><td>{}</td></tr>",
            esc(&c.id),
            esc(&c.title),
            c.missing,
            c.partial,
            c.met,
            c.missed_share * 100.0,
            pct(c.missed_share),
            esc(advice.get(c.id.as_str()).copied().unwrap_or(""))
        );
    }
    h.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

fn students_table(h: &mut String, students: &[Student], s: &Summary) {
    // Band order for sorting: the rubric lists bands best first, so the
    // best band gets the largest key and "ascending" reads worst to best.
    let band_rank = |b: &str| {
        s.bands
            .iter()
            .position(|(x, _)| x == b)
            .map_or(0, |i| s.bands.len() - i)
    };
    h.push_str("<section id=\"students\" aria-labelledby=\"students-h\">\n<h2 id=\"students-h\">Students</h2>\n<div class=\"scroll\">\n<table id=\"students-table\">\n");
    h.push_str("<caption>One row per essay. Select a column heading to sort by it; select it again to reverse.</caption>\n<thead><tr>");
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
        let _ = write!(h, "<th scope=\"col\" data-col=\"{key}\" data-type=\"{kind}\"{class}><button type=\"button\">{label}</button></th>");
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for st in students {
        let r = st.r;
        let count = |s: Status| r.criteria.iter().filter(|c| c.status == s).count();
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\" data-v=\"{}\"><a href=\"#{}\">{}</a></th><td class=\"num\" data-v=\"{:.1}\">{:.1}</td><td data-v=\"{}\">{}</td><td data-v=\"{}\">{}</td><td class=\"num\" data-v=\"{}\">{}</td><td class=\"num\" data-v=\"{met}\">{met}</td><td class=\"num\" data-v=\"{partial}\">{partial}</td><td class=\"num\" data-v=\"{missing}\">{missing}</td></tr>",
            esc(&st.name),
            st.anchor,
            esc(&st.name),
            r.score,
            r.score,
            band_rank(&r.band),
            esc(&r.band),
            u8::from(r.passed),
            if r.passed { "yes" } else { "no" },
            r.words,
            r.words,
            met = count(Status::Met),
            partial = count(Status::Partial),
            missing = count(Status::Missing),
        );
    }
    h.push_str("</tbody>\n</table>\n</div>\n<p id=\"sort-status\" class=\"sr-only\" aria-live=\"polite\"></p>\n</section>\n");
}

fn not_graded(h: &mut String, failures: &[Failure]) {
    if failures.is_empty() {
        return;
    }
    h.push_str("<section id=\"not-graded\" aria-labelledby=\"not-graded-h\">\n<h2 id=\"not-graded-h\">Not graded</h2>\n<p>These files were found but could not be graded:</p>\n<ul>\n");
    for f in failures {
        let _ = writeln!(
            h,
            "<li><code>{}</code>: {}</li>",
            esc(&f.essay),
            esc(&f.error)
        );
    }
    h.push_str("</ul>\n</section>\n");
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

fn student_section(h: &mut String, st: &Student) {
    let r = st.r;
    let marks = highlights(r, &st.anchor);
    let _ = writeln!(
        h,
        "<article class=\"student\" id=\"{}\" aria-labelledby=\"{}-h\">",
        st.anchor, st.anchor
    );
    let _ = writeln!(h, "<h3 id=\"{}-h\">{}</h3>", st.anchor, esc(&st.name));
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
    if r.off_topic {
        h.push_str("<p class=\"warn\"><strong>Likely off-topic:</strong> few of the rubric's themes were found; this may not answer the question set.</p>\n");
    }
    for w in &r.warnings {
        let _ = writeln!(
            h,
            "<p class=\"warn\"><strong>Warning:</strong> {}</p>",
            esc(w)
        );
    }

    let _ = writeln!(h, "<h4 id=\"{}-criteria\">Criteria</h4>", st.anchor);
    h.push_str("<div class=\"scroll\">\n<table>\n");
    let _ = writeln!(h, "<caption>Criteria for {}, in rubric order, with the evidence found (line:column and sentence).</caption>", esc(&st.name));
    h.push_str("<thead><tr><th scope=\"col\">Status</th><th scope=\"col\">Criterion</th><th scope=\"col\" class=\"num\">Points</th><th scope=\"col\">Evidence</th></tr></thead>\n<tbody>\n");
    for c in &r.criteria {
        criterion_row(h, c, &marks);
    }
    h.push_str("</tbody>\n</table>\n</div>\n");

    let missing: Vec<&CriterionReport> = r
        .criteria
        .iter()
        .filter(|c| c.status == Status::Missing)
        .collect();
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
    h.push_str(
        "<p class=\"back\"><a href=\"#students\">Back to the students table</a></p>\n</article>\n",
    );
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
        "<tr><td class=\"status {}\">{}</td><th scope=\"row\"><code>{}</code><br>{}{}</th><td class=\"num\">{}/{}</td><td>",
        c.status.as_str(),
        status_label(c.status),
        esc(&c.id),
        esc(&c.title),
        if c.required { " <small>(required)</small>" } else { "" },
        fmt_points(c.points),
        fmt_points(c.max_points)
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
                .unwrap_or_default();
            let _ = write!(h, "<li>{loc} “{}”{found}</li>", esc(&e.text));
        }
        h.push_str("</ul>");
    }
    if let Some(n) = &c.note {
        let _ = write!(h, "<p class=\"note\">{}</p>", esc(n));
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
        assert_eq!(names(&reports), ["a/essay.txt", "b/essay.txt"]);
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
