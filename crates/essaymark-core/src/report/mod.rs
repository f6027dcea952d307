//! Reports: the graded result of one essay as a plain data model, a class
//! summary, and one renderer per output format behind the [`Renderer`] trait.
//! Renderers stream: `start`, then one `essay` (or `failure`) per input in
//! input order, then `finish` with the summary, so a batch never has to be
//! held in memory for formats that do not need it.

mod concise;
mod csv;
mod feedback;
mod github;
mod html;
mod json;
mod junit;
mod markdown;
mod sarif;
mod summary;
mod text;

pub use self::csv::CsvRenderer;
pub use concise::ConciseRenderer;
pub use feedback::{feedback_html, feedback_markdown, FeedbackFormat, FeedbackRenderer};
pub use github::{GithubRenderer, STEP_SUMMARY_ENV};
pub use html::HtmlRenderer;
pub use json::{JsonLinesRenderer, JsonRenderer};
pub use junit::{escape_attr, escape_text, JunitRenderer};
pub use markdown::MarkdownRenderer;
pub use sarif::SarifRenderer;
pub use summary::{CriterionStats, Excerpt, SharedPassage, SimilarPair, Summary, SummaryBuilder};
pub use text::TextRenderer;

use crate::ingest::Format;
use crate::rubric::Rubric;
use crate::scoring::{found_as, Evidence, Grade, Status};
use crate::text::Document;
use serde::Serialize;
use std::io::{self, Write};

/// Longest evidence quote, in characters; longer sentences are trimmed.
const MAX_QUOTE_CHARS: usize = 200;
/// Evidence items kept per criterion.
const MAX_EVIDENCE: usize = 5;

#[derive(Debug, Clone, Serialize)]
pub struct RubricInfo {
    pub id: String,
    pub title: String,
    pub version: String,
}

impl RubricInfo {
    pub fn of(r: &Rubric) -> RubricInfo {
        RubricInfo {
            id: r.id.clone(),
            title: r.title.clone(),
            version: r.version.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceItem {
    pub line: usize,
    pub column: usize,
    pub text: String,
    /// The student's spelling, when the match tolerated a misspelling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found_as: Option<String>,
    /// How the meaning stage found it, when no phrase did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_meaning: Option<ByMeaning>,
    /// Byte range of the evidence sentence in [`Report::text`], for
    /// highlighting it in the essay (HTML). Not part of the JSON schema.
    #[serde(skip)]
    pub span: Option<std::ops::Range<usize>>,
}

/// Evidence the meaning stage proposed and the rules accepted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ByMeaning {
    /// The example of the criterion it resembles most (1-based).
    pub example: usize,
    /// Cosine similarity to it, to two decimals.
    pub similarity: f64,
    /// The sentence's words closest to the example, best first.
    pub aligned: Vec<String>,
}

impl ByMeaning {
    /// "by meaning: resembles example 2 (0.81; fence, threat, safe)"
    pub fn describe(&self) -> String {
        crate::scoring::meaning::describe(self.example, self.similarity, &self.aligned)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CriterionReport {
    pub id: String,
    pub section: String,
    pub kind: &'static str,
    pub title: String,
    pub status: Status,
    pub points: f64,
    pub max_points: f64,
    pub required: bool,
    pub evidence: Vec<EvidenceItem>,
    /// Advice from the rubric, given when the criterion is not fully met.
    pub feedback: Option<String>,
    /// Why the status is what it is ("mentioned in passing", "spelled X").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// How far the argument is developed (lens and theme criteria):
    /// absent, named, argued, developed, in-depth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<crate::scoring::depth::Level>,
    /// What the next level needs, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_level: Option<&'static str>,
}

/// The graded result of one essay.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub essay: String,
    pub format: Format,
    /// `file` when line:column refer to the file itself, `extracted` when
    /// they refer to text extracted from a document (.docx, .odt, .pdf).
    pub positions: &'static str,
    pub rubric: RubricInfo,
    pub score: f64,
    pub points: f64,
    pub max_points: f64,
    pub band: String,
    pub passed: bool,
    pub words: usize,
    pub off_topic: bool,
    /// On the question but arguing few of its themes (see
    /// [`Report::topic_flag`]); left out of JSON when false.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub too_little_argued: bool,
    pub criteria: Vec<CriterionReport>,
    pub missing: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// What scoring says once for the essay ("Policy options are a bare
    /// list ...").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The CI thresholds this essay failed (`--fail-under`,
    /// `--max-missing-required`, the config's `fail_under`, ...): empty when
    /// it passes the check. Distinct from `passed`, the rubric's pass mark.
    pub threshold_failures: Vec<ThresholdFailure>,
    /// The essay's path relative to the repository root (the folder holding
    /// `.essaymark.yaml` or `.git`), `/`-separated, for code scanning and
    /// annotations; `None` for stdin or a file outside the repository.
    #[serde(skip)]
    pub repo_path: Option<String>,
    /// The analysed essay text (markup stripped), which evidence spans index.
    /// Only the HTML report shows it; it stays out of the JSON schema.
    #[serde(skip)]
    pub text: Option<String>,
}

impl Report {
    /// The essay-level flag every format shows, as (label, explanation):
    /// off-topic (the text is about something else) or too little argued
    /// (on the question, few of its themes argued).
    pub fn topic_flag(&self) -> Option<(&'static str, &'static str)> {
        if self.off_topic {
            Some((
                "Likely off-topic",
                "the text hardly names the question's themes: it may answer another question",
            ))
        } else if self.too_little_argued {
            Some((
                "Too little argued",
                "the essay is on the question but argues few of its themes: develop more of the arguments listed below",
            ))
        } else {
            None
        }
    }

    pub fn new(
        essay: &str,
        format: Format,
        warnings: Vec<String>,
        rubric: &Rubric,
        doc: &Document,
        grade: &Grade,
    ) -> Report {
        let mut report = Report::without_text(essay, format, warnings, rubric, doc, grade);
        report.text = Some(doc.text.clone());
        report
    }

    /// [`Report::new`] with `text` left `None`, for a caller that owns the
    /// document and moves its text in rather than copying it.
    pub fn without_text(
        essay: &str,
        format: Format,
        warnings: Vec<String>,
        rubric: &Rubric,
        doc: &Document,
        grade: &Grade,
    ) -> Report {
        let criteria: Vec<CriterionReport> = grade
            .criteria
            .iter()
            .map(|s| {
                let c = &rubric.criteria[s.criterion];
                CriterionReport {
                    id: c.id.clone(),
                    section: rubric.sections[c.section].id.clone(),
                    kind: c.kind.as_str(),
                    title: c.title.clone(),
                    status: s.status,
                    points: s.points,
                    max_points: c.points,
                    required: c.required,
                    evidence: s
                        .evidence
                        .iter()
                        .take(MAX_EVIDENCE)
                        .map(|e| evidence_item(doc, e, &s.by_meaning))
                        .collect(),
                    feedback: if s.status == Status::Met {
                        None
                    } else {
                        c.feedback.clone()
                    },
                    note: s.note.clone(),
                    level: s.level,
                    next_level: s.level.and_then(|l| l.next()),
                }
            })
            .collect();
        let missing = criteria
            .iter()
            .filter(|c| c.status == Status::Missing)
            .map(|c| c.id.clone())
            .collect();
        let positions = if matches!(format, Format::Docx | Format::Odt | Format::Pdf) {
            "extracted"
        } else {
            "file"
        };
        Report {
            essay: essay.to_string(),
            format,
            positions,
            rubric: RubricInfo::of(rubric),
            score: grade.score,
            points: grade.points,
            max_points: grade.max_points,
            band: grade.band.clone(),
            passed: grade.passed,
            words: grade.words,
            off_topic: grade.off_topic,
            too_little_argued: grade.too_little,
            criteria,
            missing,
            warnings,
            notes: grade.notes.clone(),
            threshold_failures: Vec::new(),
            repo_path: None,
            text: None,
        }
    }

    /// Missing criteria that the rubric marks required.
    pub fn missing_required(&self) -> usize {
        self.criteria
            .iter()
            .filter(|c| c.required && c.status == Status::Missing)
            .count()
    }
}

fn evidence_item(
    doc: &Document,
    e: &Evidence,
    by_meaning: &[crate::scoring::meaning::MeaningMatch],
) -> EvidenceItem {
    let (offset, sentence, fuzzy) = match *e {
        Evidence::Hit(h) => (
            doc.tokens[h.tokens.0 as usize].start as usize,
            h.sentence as usize,
            h.fuzzy.then(|| found_as(doc, &h)),
        ),
        Evidence::Block(b) => {
            let s = doc.block_sentences[b]
                .start
                .min(doc.sentences.len().saturating_sub(1));
            (doc.blocks[b].span.start, s, None)
        }
    };
    let pos = doc.origin.line_col(&doc.text, offset);
    EvidenceItem {
        line: pos.line,
        column: pos.column,
        text: trim_quote(doc.sentence_text(sentence)),
        found_as: fuzzy,
        by_meaning: match *e {
            Evidence::Hit(h) => by_meaning
                .iter()
                .find(|m| m.sentence == h.sentence)
                .map(|m| ByMeaning {
                    example: m.example,
                    similarity: (m.similarity * 100.0).round() / 100.0,
                    aligned: m.aligned.clone(),
                }),
            Evidence::Block(_) => None,
        },
        span: doc.sentences.get(sentence).map(|s| s.span.clone()),
    }
}

fn trim_quote(s: String) -> String {
    if s.len() <= MAX_QUOTE_CHARS || s.chars().count() <= MAX_QUOTE_CHARS {
        return s;
    }
    let end = s
        .char_indices()
        .nth(MAX_QUOTE_CHARS - 1)
        .map_or(s.len(), |(i, _)| i);
    let cut = &s[..end];
    let cut = match cut.rfind(' ') {
        Some(i) if i > MAX_QUOTE_CHARS / 2 => &cut[..i],
        _ => cut,
    };
    format!("{cut}…")
}

/// A CI threshold an essay did not meet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThresholdFailure {
    /// `fail_under` or `max_missing_required`.
    pub threshold: &'static str,
    /// Where it was set: `--fail-under`, `.essaymark.yaml`, ...
    pub source: String,
    /// The threshold's value.
    pub limit: f64,
    /// The essay's value (its score, or its missing required criteria).
    pub actual: f64,
}

impl ThresholdFailure {
    /// One line saying what failed and where the threshold comes from:
    /// "score 58.0 is below fail_under 60 (--fail-under)".
    pub fn message(&self) -> String {
        match self.threshold {
            "fail_under" => format!(
                "score {:.1} is below fail_under {} ({})",
                self.actual,
                fmt_points(self.limit),
                self.source
            ),
            _ => format!(
                "{} required {} missing, more than max_missing_required {} ({})",
                self.actual,
                if self.actual == 1.0 {
                    "criterion"
                } else {
                    "criteria"
                },
                self.limit,
                self.source
            ),
        }
    }
}

/// All of an essay's threshold failures in one line ("" when none).
pub fn threshold_message(r: &Report) -> String {
    r.threshold_failures
        .iter()
        .map(ThresholdFailure::message)
        .collect::<Vec<_>>()
        .join("; ")
}

/// An input that could not be graded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    pub essay: String,
    pub error: String,
}

/// One output format.
pub trait Renderer {
    /// Called once per rubric of the run, before `start` (SARIF lists every
    /// criterion of every rubric as a rule).
    fn rubric(&mut self, _rubric: &Rubric) {}
    /// Whether reports must carry the essay's text (`Report::text`). Only a
    /// renderer that quotes whole essays wants it; for the others it is
    /// dropped as soon as the essay is graded, so a batch holds no essays.
    fn needs_essay_text(&self) -> bool {
        false
    }
    /// Whether the summary's similar pairs should carry the passages they
    /// share (read again from the essays at the end of the run).
    fn wants_shared_passages(&self) -> bool {
        false
    }
    fn start(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    fn essay(&mut self, out: &mut dyn Write, report: &Report) -> io::Result<()>;
    fn failure(&mut self, _out: &mut dyn Write, _failure: &Failure) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}

/// What a student should work on next, biggest gain first: the missing
/// criteria (required before optional, then by points) and the partial ones
/// (required first, then by the points still to win). Ties keep rubric order.
/// Text from an essay, a file name or a rubric for a Markdown report,
/// feedback file or job summary (table cells, headings, list items), made
/// to stay text where it is rendered (a pull-request comment, a job
/// summary): no HTML (`<`, `>`, `&` as entities), no emphasis, code, table
/// or heading syntax, no link or image (`[`, `]` escaped), and no autolink
/// (`:` of `https://`, the `.` of `www.`, the `@` of an address escaped, so
/// GitHub does not make a live link of them). Line breaks become spaces and
/// control characters are shown escaped (`\u{1b}`), never sent.
pub fn markdown_text(s: &str) -> String {
    let flat = s.replace(['\r', '\n'], " ");
    let s = printable(&flat);
    let mut o = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { chars[i - 1] } else { ' ' };
        let next = chars.get(i + 1).copied();
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '\\' | '`' | '*' | '[' | ']' | '|' | '#' | '~' | '@' => {
                o.push('\\');
                o.push(c);
            }
            // `_` emphasises only at a word's edge (GFM), `:` autolinks
            // only as `://`: escaped there, left alone in `fail_under` or
            // `10:30`.
            '_' if !(prev.is_alphanumeric() && next.is_some_and(char::is_alphanumeric)) => {
                o.push_str("\\_");
            }
            ':' if next == Some('/') => o.push_str("\\:"),
            '.' if o.len() >= 3 && o.as_bytes()[o.len() - 3..].eq_ignore_ascii_case(b"www") => {
                o.push_str("\\.");
            }
            c => o.push(c),
        }
    }
    o
}

/// `s` safe to print on a terminal on one line: control characters (escape
/// sequences, carriage returns, line breaks, ...) shown escaped (`\u{1b}`,
/// `\n`) rather than sent, so a file name or an essay cannot move the
/// cursor, recolour, retitle the terminal or forge a line of the report.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    // Nearly all text is printable ASCII: checked on bytes, which vectorises.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) || !s.chars().any(is_unprintable) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unprintable(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// C0 and C1 controls (tab included: it would break the columns), and the
/// bidirectional overrides that can make text read differently from what it is.
fn is_unprintable(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

pub fn what_to_add(r: &Report) -> (Vec<&CriterionReport>, Vec<&CriterionReport>) {
    let ranked = |status: Status| {
        let mut v: Vec<&CriterionReport> =
            r.criteria.iter().filter(|c| c.status == status).collect();
        v.sort_by(|a, b| {
            b.required
                .cmp(&a.required)
                .then((b.max_points - b.points).total_cmp(&(a.max_points - a.points)))
        });
        v
    };
    (ranked(Status::Missing), ranked(Status::Partial))
}

pub use crate::number::fmt_points;

#[cfg(test)]
mod tests {
    use super::*;

    /// The general path, which the fast path must reproduce byte for byte.
    fn reference(p: f64) -> String {
        let s = format!("{:.2}", p);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }

    #[test]
    fn fmt_points_matches_two_decimal_formatting() {
        let mut values = vec![
            0.0,
            -0.0,
            0.125,
            0.375,
            1.0 / 3.0,
            2.0 / 3.0,
            0.1 + 0.2,
            1e16,
        ];
        values.extend((0..20_000).map(|h| f64::from(h) / 100.0));
        values.extend((0..2_000).map(|h| f64::from(h) * 0.05));
        values.extend((0..2_000).map(|h| f64::from(h) / 8.0));
        for p in values {
            assert_eq!(fmt_points(p), reference(p), "{p:?}");
        }
        assert_eq!(fmt_points(2.5), "2.5");
        assert_eq!(fmt_points(0.75), "0.75");
        assert_eq!(fmt_points(10.0), "10");
    }
}

/// The renderers' output for an essay that fails CI thresholds, pinned by
/// snapshots: each format must name the essay and the threshold.
#[cfg(test)]
mod threshold_snapshots {
    use super::*;
    use crate::ingest::Format;
    use crate::text::Document;

    pub(super) const RUBRIC: &str = "\
id: tiny
title: Tiny
version: \"1.0\"
total: 10
pass_mark: 50
bands:
  - { min: 50, label: Pass }
  - { min: 0, label: Fail }
sections:
  - id: body
    title: Body
    kind: theme
    criteria:
      - id: floods
        title: Floods
        points: 5
        required: true
        feedback: Discuss the floods.
        match: [flood*]
      - id: heat
        title: Heat
        points: 5
        required: true
        feedback: Discuss the heat.
        match: [heatwave*]
";

    pub(super) fn failing() -> Vec<Report> {
        let rubric = crate::rubric::load_str(RUBRIC, "tiny.yaml").unwrap();
        let essay = |text: &str, name: &str| {
            let doc = Document::from_plain_text(text.to_string());
            let grade = crate::scoring::grade(&rubric, &doc);
            Report::new(name, Format::Text, Vec::new(), &rubric, &doc, &grade)
        };
        let mut a = essay(
            "The floods of 2022 ruined farms. Floods will come again.\n",
            "answers/a.md",
        );
        a.repo_path = Some("answers/a.md".into());
        a.threshold_failures = vec![
            ThresholdFailure {
                threshold: "fail_under",
                source: "--fail-under".into(),
                limit: 60.0,
                actual: a.score,
            },
            ThresholdFailure {
                threshold: "max_missing_required",
                source: "required_must_pass in .essaymark.yaml".into(),
                limit: 0.0,
                actual: 1.0,
            },
        ];
        let b = essay(
            "Floods and heatwaves: the floods ruined farms; heatwaves cut yields.\n",
            "answers/b.md",
        );
        vec![a, b]
    }

    fn render(renderer: &mut dyn Renderer) -> String {
        colored::control::set_override(false);
        let reports = failing();
        let rubric = crate::rubric::load_str(RUBRIC, "tiny.yaml").unwrap();
        renderer.rubric(&rubric);
        let mut summary = SummaryBuilder::new(vec!["Pass".into(), "Fail".into()]);
        let mut out = Vec::new();
        renderer.start(&mut out).unwrap();
        for r in &reports {
            summary.add(r);
            renderer.essay(&mut out, r).unwrap();
        }
        renderer.finish(&mut out, &summary.build()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn text_names_the_failed_threshold() {
        insta::assert_snapshot!(render(&mut TextRenderer::default()));
    }

    #[test]
    fn concise_prints_one_line_per_finding() {
        insta::assert_snapshot!(render(&mut ConciseRenderer::default()));
    }

    #[test]
    fn summary_only_prints_the_class_table() {
        insta::assert_snapshot!(render(&mut TextRenderer::summary_only()));
    }

    #[test]
    fn markdown_names_the_failed_threshold() {
        insta::assert_snapshot!(render(&mut MarkdownRenderer::default()));
    }

    #[test]
    fn github_annotates_the_failed_threshold() {
        insta::assert_snapshot!(render(&mut GithubRenderer::with_step_summary(None)));
    }

    #[test]
    fn junit_fails_a_threshold_test_case() {
        insta::assert_snapshot!(render(&mut JunitRenderer));
    }

    #[test]
    fn csv_has_a_threshold_failures_column() {
        insta::assert_snapshot!(render(&mut CsvRenderer::default()));
    }

    #[test]
    fn sarif_has_a_threshold_result() {
        let v: serde_json::Value =
            serde_json::from_str(&render(&mut SarifRenderer::default())).unwrap();
        let results: Vec<&serde_json::Value> = v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["ruleId"] == sarif::THRESHOLD_RULE)
            .collect();
        insta::assert_json_snapshot!(results);
    }

    #[test]
    fn json_lists_threshold_failures() {
        let r = &failing()[0];
        insta::assert_json_snapshot!(serde_json::json!({
            "passed": r.passed,
            "threshold_failures": r.threshold_failures,
        }));
    }
}

/// The similar-submissions part of the class summary, pinned by snapshots:
/// text lists the pairs, HTML shows the passages side by side, escaped.
#[cfg(test)]
mod similar_snapshots {
    use super::threshold_snapshots::{failing, RUBRIC};
    use super::*;

    fn excerpt(line: usize, before: &str, shared: &str, after: &str) -> Excerpt {
        Excerpt {
            line,
            column: 1,
            before: before.into(),
            shared: shared.into(),
            after: after.into(),
        }
    }

    fn render(renderer: &mut dyn Renderer, pairs: Vec<SimilarPair>) -> String {
        colored::control::set_override(false);
        let rubric = crate::rubric::load_str(RUBRIC, "tiny.yaml").unwrap();
        renderer.rubric(&rubric);
        let mut summary = SummaryBuilder::new(vec!["Pass".into(), "Fail".into()]);
        let mut out = Vec::new();
        renderer.start(&mut out).unwrap();
        for r in &failing() {
            summary.add(r);
            renderer.essay(&mut out, r).unwrap();
        }
        summary.similar(0.5, pairs);
        renderer.finish(&mut out, &summary.build()).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn pairs() -> Vec<SimilarPair> {
        vec![SimilarPair {
            a: "answers/a.md".into(),
            b: "answers/b.md".into(),
            similarity: 0.934,
            containment: 0.97,
            shared: 412,
            passages: vec![SharedPassage {
                words: 14,
                a: excerpt(
                    3,
                    "…as the minister said, ",
                    "floods <b>&</b> heatwaves ruined the farms of Sindh",
                    " in 2022.",
                ),
                b: excerpt(
                    1,
                    "",
                    "Floods <b>&</b> heatwaves ruined the farms of Sindh",
                    "…",
                ),
            }],
        }]
    }

    fn section(html: &str) -> &str {
        let start = html.find("<section id=\"similar\"").expect("section");
        let end = start + html[start..].find("</section>").unwrap();
        &html[start..end]
    }

    #[test]
    fn text_lists_the_similar_pairs() {
        let out = render(&mut TextRenderer::default(), pairs());
        let summary = &out[out.find("Summary").unwrap()..];
        insta::assert_snapshot!(summary);
        let none = render(&mut TextRenderer::default(), Vec::new());
        assert!(
            none.ends_with("  similar submissions: none at 50% or more\n"),
            "{none}"
        );
    }

    #[test]
    fn html_shows_the_shared_passages_side_by_side() {
        let html = render(&mut HtmlRenderer::default(), pairs());
        assert!(html.contains("<li><a href=\"#similar\">Similar submissions</a></li>"));
        insta::assert_snapshot!(section(&html));
        let none = render(&mut HtmlRenderer::default(), Vec::new());
        assert!(section(&none).contains("<p>No pair of submissions reaches 50%.</p>"));
    }

    #[test]
    fn json_lists_the_pairs_without_passages() {
        let mut summary = SummaryBuilder::new(Vec::new());
        summary.similar(0.5, pairs());
        let v = serde_json::to_value(summary.build()).unwrap();
        insta::assert_json_snapshot!(serde_json::json!({
            "similarity_threshold": v["similarity_threshold"],
            "similar": v["similar"],
        }));
    }
}

#[cfg(test)]
mod markdown_text_tests {
    use super::markdown_text;

    #[test]
    fn essay_text_cannot_become_a_link_markup_or_a_control_sequence() {
        let t = markdown_text("see [here](https://evil.example) ![x](http://t/p.png)");
        assert!(!t.contains("](") || t.contains("\\]("), "{t}");
        assert!(t.contains("https\\://"), "{t}");
        assert!(!t.contains("https://"), "{t}");
        assert_eq!(markdown_text("www.evil.com"), "www\\.evil.com");
        assert_eq!(markdown_text("me@x.org"), "me\\@x.org");
        // Shown escaped (the backslash itself escaped for Markdown).
        assert_eq!(markdown_text("a\u{1b}[31mred"), "a\\\\u{1b}\\[31mred");
        // Ordinary prose stays readable: no escapes inside words or times.
        assert_eq!(markdown_text("fail_under at 10:30"), "fail_under at 10:30");
        assert_eq!(
            markdown_text("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(markdown_text("line\nbreak | pipe"), "line break \\| pipe");
    }
}
