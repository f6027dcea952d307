//! `essaymark rubric lint`: every error the loader finds, plus the warnings a
//! teacher needs before grading a class with a rubric — a phrase that can
//! never match once normalised, phrases that overlap between criteria (the
//! same sentence would score twice), phrases made only of stop words or of
//! one common word,
//! regexes that match the empty string, and criteria without feedback.
//! Findings print like a compiler's: file:line:col, the criterion, and a
//! caret under the YAML.

use crate::matching::{PhraseSetBuilder, PhraseWords};
use crate::rubric::schema::{Kind, MatchSpec, RubricFile};
use crate::rubric::{self, RubricError};
use crate::text::is_stop_word;
use crate::text::lexicon::is_common_word;
use crate::text::{fold_token, Document};
use serde::Serialize;
use serde_saphyr::Location;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in a rubric.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// A stable name for the kind of problem (`duplicate-phrase`, ...).
    pub code: &'static str,
    #[serde(flatten)]
    pub at: RubricError,
    /// Characters to underline from the column.
    #[serde(skip)]
    pub width: usize,
}

impl Finding {
    /// Compiler-style: `file:line:col: warning[code]: criterion `x`: message`
    /// and the YAML line with carets under the problem.
    pub fn render(&self) -> String {
        let e = &self.at;
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{}:{}:{}: {severity}", e.file, e.line, e.column);
        if self.code != "load" {
            out.push_str(&format!("[{}]", self.code));
        }
        out.push_str(": ");
        if let Some(c) = &e.criterion {
            out.push_str(&format!("criterion `{c}`: "));
        } else if let Some(s) = &e.section {
            out.push_str(&format!("section `{s}`: "));
        }
        out.push_str(&e.message);
        if let Some(snippet) = e.snippet(self.width) {
            out.push('\n');
            out.push_str(&snippet);
        }
        out
    }
}

/// The findings for one rubric file.
#[derive(Debug, Clone, Serialize)]
pub struct FileLint {
    pub file: String,
    pub errors: usize,
    pub warnings: usize,
    pub findings: Vec<Finding>,
}

/// Lint a rubric file (or, when no such file exists, a built-in rubric id).
pub fn lint_path(path: &Path) -> FileLint {
    if !path.exists() {
        if let Some(b) = path.to_str().and_then(rubric::builtin) {
            return lint_str(b.yaml, &format!("builtin:{}", b.id));
        }
    }
    let name = path.display().to_string();
    // Read at most the limit: a device or FIFO reports no length.
    let text = std::fs::File::open(path)
        .and_then(|f| {
            use std::io::Read as _;
            let mut bytes = Vec::new();
            f.take(rubric::MAX_RUBRIC_BYTES + 1)
                .read_to_end(&mut bytes)
                .map(|_| bytes)
        })
        .map_err(|e| e.to_string())
        .and_then(|b| {
            if b.len() as u64 > rubric::MAX_RUBRIC_BYTES {
                Err(format!(
                    "rubric is too large (more than {} bytes)",
                    rubric::MAX_RUBRIC_BYTES
                ))
            } else {
                String::from_utf8(b).map_err(|e| format!("rubric is not UTF-8: {e}"))
            }
        });
    match text {
        Ok(t) => lint_str(&t, &name),
        Err(reason) => {
            let finding = Finding {
                severity: Severity::Error,
                code: "load",
                at: RubricError {
                    file: name.clone(),
                    line: 1,
                    column: 1,
                    criterion: None,
                    section: None,
                    message: format!("cannot read rubric: {reason}"),
                    source_line: None,
                },
                width: 1,
            };
            FileLint {
                file: name,
                errors: 1,
                warnings: 0,
                findings: vec![finding],
            }
        }
    }
}

/// Lint rubric YAML; `file` names it in findings.
pub fn lint_str(yaml: &str, file: &str) -> FileLint {
    let lines: Vec<&str> = crate::rubric::yaml_lines(yaml);
    let mut findings: Vec<Finding> = Vec::new();
    let loaded = rubric::load_str(yaml, file);
    if let Err(errors) = &loaded {
        findings.extend(errors.0.iter().cloned().map(|at| Finding {
            severity: Severity::Error,
            code: "load",
            at,
            width: 1,
        }));
    }
    // Warnings need the parsed file; when it does not even parse, the load
    // error above already says why.
    if let Ok(spec) = serde_saphyr::from_str::<RubricFile>(yaml) {
        let mut w = Warnings {
            file,
            lines: &lines,
            out: Vec::new(),
        };
        w.check(&spec);
        if let Ok(r) = &loaded {
            w.unrelated(&spec, r);
        }
        findings.extend(w.out);
    }
    findings.sort_by(|a, b| {
        (a.at.line, a.at.column, a.severity, a.code).cmp(&(
            b.at.line,
            b.at.column,
            b.severity,
            b.code,
        ))
    });
    findings.dedup_by(|a, b| a.at == b.at && a.code == b.code);
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    FileLint {
        file: file.to_string(),
        errors,
        warnings: findings.len() - errors,
        findings,
    }
}

/// The project's off-topic passage (everyday subjects): a criterion's
/// phrases should match almost none of it.
const UNRELATED: &str = include_str!("../data/off-topic.txt");
/// A criterion matching a quarter of its sentences or more is flagged.
const UNRELATED_MAX_SHARE_DENOMINATOR: usize = 4;

struct Warnings<'a> {
    file: &'a str,
    lines: &'a [&'a str],
    out: Vec<Finding>,
}

/// A phrase or name that scores a criterion on its own (not as one part of
/// an `all` group), folded the way essays are.
struct Pattern {
    criterion: String,
    text: String,
    at: Location,
    words: PhraseWords,
}

impl Pattern {
    fn new(criterion: &str, text: &str, at: Location) -> Option<Pattern> {
        PhraseWords::new(text).map(|words| Pattern {
            criterion: criterion.to_string(),
            text: text.to_string(),
            at,
            words,
        })
    }

    /// Whether a sentence holding `other` also holds `self`.
    fn inside(&self, other: &Pattern) -> bool {
        self.words.inside(&other.words)
    }
}

/// Leaves that score on their own: reached through lists and `any`, not
/// through `all` (a part of an `all` group needs its partners).
fn standalone<'a>(spec: &'a MatchSpec, out: &mut Vec<&'a MatchSpec>) {
    match spec {
        MatchSpec::Phrase { .. } | MatchSpec::Regex { .. } => out.push(spec),
        MatchSpec::Any(items) => items.iter().for_each(|i| standalone(i, out)),
        MatchSpec::All { .. } => {}
    }
}

fn only_stop_words(text: &str) -> bool {
    let words = fold_token(text);
    !words.is_empty() && words.iter().all(|w| is_stop_word(w))
}

/// The items of every non-empty `all` group in an expression.
fn all_groups<'a>(spec: &'a MatchSpec, out: &mut Vec<&'a [MatchSpec]>) {
    match spec {
        MatchSpec::Phrase { .. } | MatchSpec::Regex { .. } => {}
        MatchSpec::Any(items) => items.iter().for_each(|i| all_groups(i, out)),
        MatchSpec::All { items, .. } => {
            if !items.is_empty() {
                out.push(items);
            }
            items.iter().for_each(|i| all_groups(i, out));
        }
    }
}

/// Characters that mean something in a regex but are dropped from a phrase.
const REGEX_SYNTAX: &[char] = &['\\', '[', ']', '(', ')', '|', '^', '$', '?', '+', '{', '}'];

/// A criterion's id, the line of its id, and its examples with their vectors.
type ExampleSet<'a> = (&'a str, usize, Vec<(&'a str, crate::meaning::Vector)>);

impl Warnings<'_> {
    fn push(&mut self, code: &'static str, at: Location, criterion: Option<&str>, message: String) {
        let line = (at.line() as usize).max(1);
        let column = (at.column() as usize).max(1);
        self.push_at(code, line, column, criterion, message);
    }

    fn push_at(
        &mut self,
        code: &'static str,
        line: usize,
        column: usize,
        criterion: Option<&str>,
        message: String,
    ) {
        let source_line = self.lines.get(line - 1).map(|s| s.to_string());
        let width = source_line
            .as_deref()
            .map_or(1, |l| scalar_width(l, column));
        self.out.push(Finding {
            severity: Severity::Warning,
            code,
            at: RubricError {
                file: self.file.to_string(),
                line,
                column,
                criterion: criterion.map(str::to_string),
                section: None,
                message,
                source_line,
            },
            width,
        });
    }

    /// A criterion most of whose examples resemble another criterion's
    /// examples more than its own is a warning: the meaning stage
    /// would propose its look-alikes for the wrong criterion, or for none
    /// (the margin over the other criteria fails). Closeness is the cosine
    /// to a criterion's centre, the sum of its examples (its own: without
    /// the example judged).
    /// Without the embedding table (a build without it) nothing is checked.
    fn examples(&mut self, spec: &RubricFile) {
        let criteria: Vec<ExampleSet> = spec
            .sections
            .iter()
            .filter(|s| matches!(s.kind, Kind::Lens | Kind::Theme))
            .flat_map(|s| &s.criteria)
            .filter(|c| !c.examples.is_empty())
            .map(|c| {
                let line = c.id.referenced.line() as usize;
                let vectors = c
                    .examples
                    .iter()
                    .map(|e| (e.as_str(), crate::meaning::embed(e)))
                    .collect();
                (c.id.value.as_str(), line, vectors)
            })
            .collect();
        if criteria.len() < 2 || criteria.iter().flat_map(|c| &c.2).all(|(_, v)| v.is_zero()) {
            return;
        }
        // A criterion's centre: the sum of its examples' pieces (one
        // vector for all of them, so that plain and textbook wordings of one
        // point meet), without the example being judged.
        let centre = |of: &[(&str, crate::meaning::Vector)], skip: Option<usize>| {
            let text: Vec<&str> = of
                .iter()
                .enumerate()
                .filter(|(k, _)| Some(*k) != skip)
                .map(|(_, (t, _))| *t)
                .collect();
            (!text.is_empty()).then(|| crate::meaning::embed(&text.join(" ")))
        };
        let centres: Vec<Option<crate::meaning::Vector>> =
            criteria.iter().map(|c| centre(&c.2, None)).collect();
        let closeness = |v: &crate::meaning::Vector,
                         of: &[(&str, crate::meaning::Vector)],
                         skip: Option<usize>| {
            match skip {
                Some(_) => centre(of, skip),
                None => None,
            }
            .map(|c| v.cosine(&c))
        };
        let margin = crate::meaning::Settings::default().margin_other;
        let mut found = Vec::new();
        for (ci, (id, line, examples)) in criteria.iter().enumerate() {
            // Examples closer to another criterion than to their own, with
            // that criterion.
            let mut astray: Vec<(usize, &str, f64, f64)> = Vec::new();
            for (k, (_, v)) in examples.iter().enumerate() {
                let Some(own) = closeness(v, examples, Some(k)) else {
                    continue;
                };
                let Some((other, sim)) = criteria
                    .iter()
                    .enumerate()
                    .filter(|(cj, _)| *cj != ci)
                    .filter_map(|(cj, (oid, _, _))| {
                        centres[cj].as_ref().map(|c| (*oid, v.cosine(c)))
                    })
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                else {
                    continue;
                };
                if sim > own + margin {
                    astray.push((k + 1, other, sim, own));
                }
            }
            // A criterion most of whose examples sit closer to others has
            // no distinct examples: one warning, at its id.
            if !astray.is_empty() && 2 * astray.len() > examples.len() {
                let list: Vec<String> = astray
                    .iter()
                    .map(|(k, other, sim, own)| format!("{k} (`{other}` {sim:.2}, own {own:.2})"))
                    .collect();
                found.push((
                    *line,
                    id.to_string(),
                    format!(
                        "{} of its {} examples resemble another criterion's examples more than its own: {}; make them say what is specific to this criterion",
                        astray.len(),
                        examples.len(),
                        list.join(", ")
                    ),
                ));
            }
        }
        for (line, id, message) in found {
            let column = self
                .lines
                .get(line.saturating_sub(1))
                .and_then(|l| l.find(&id).map(|c| l[..c].chars().count() + 1))
                .unwrap_or(1);
            self.push_at("examples-resemble-others", line, column, Some(&id), message);
        }
    }

    /// A criterion whose phrases match many sentences of a text about
    /// something else entirely (tea, gardens, buses: the project's
    /// off-topic passage) scores on common words, not on its point; so do
    /// two criteria with one title, which a student cannot tell apart.
    fn unrelated(&mut self, spec: &RubricFile, rubric: &rubric::Rubric) {
        let text: String = UNRELATED
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        let doc = Document::from_plain_text(text);
        let scan = rubric.phrases.scan(&doc);
        let total = doc.sentences.len().max(1);
        let mut titles: Vec<(String, &str)> = Vec::new();
        for c in &rubric.criteria {
            let Some(at) = spec
                .sections
                .iter()
                .flat_map(|s| &s.criteria)
                .find(|x| x.id.value == c.id)
                .map(|x| x.id.referenced)
            else {
                continue;
            };
            let title = c.title.trim().to_lowercase();
            if !title.is_empty() {
                if let Some((_, first)) = titles.iter().find(|(t, _)| *t == title) {
                    self.push(
                        "duplicate-title",
                        at,
                        Some(&c.id),
                        format!("the same title as criterion `{first}` ({:?}): a student cannot tell them apart", c.title),
                    );
                } else {
                    titles.push((title, c.id.as_str()));
                }
            }
            let expr = match &c.rule {
                rubric::Rule::Argument { expr, .. } => expr,
                rubric::Rule::Scholar { names, .. } => names,
                rubric::Rule::Structure(_) => continue,
            };
            let mut hit: Vec<u32> = crate::matching::evaluate(expr, &scan, &doc)
                .iter()
                .map(|h| h.sentence)
                .collect();
            hit.sort_unstable();
            hit.dedup();
            if hit.len() * UNRELATED_MAX_SHARE_DENOMINATOR >= total && hit.len() >= 3 {
                let first = &doc.text[doc.sentences[hit[0] as usize].span.clone()];
                self.push(
                    "matches-unrelated-text",
                    at,
                    Some(&c.id),
                    format!(
                        "its phrases match {} of the {total} sentences of an unrelated text (about tea, gardens and buses), e.g. {:?}: they score common words, not the point",
                        hit.len(),
                        first.chars().take(80).collect::<String>()
                    ),
                );
            }
        }
    }

    fn check(&mut self, spec: &RubricFile) {
        self.examples(spec);
        let mut patterns: Vec<Pattern> = Vec::new();
        for section in &spec.sections {
            for c in &section.criteria {
                let id = c.id.value.as_str();
                if c.feedback.as_deref().is_none_or(|f| f.trim().is_empty()) {
                    self.push(
                        "feedback-missing",
                        c.id.referenced,
                        Some(id),
                        "no `feedback`: a student who misses this criterion is told nothing about what to add".into(),
                    );
                }
                match section.kind {
                    Kind::Lens | Kind::Theme => {
                        for (field, m) in [("match", &c.matcher), ("develop", &c.develop)] {
                            let Some(m) = m else { continue };
                            let spec = m.value.clone().located(m.referenced);
                            for leaf in spec.leaves() {
                                self.leaf(id, field, leaf);
                            }
                            self.stop_words(id, field, &spec);
                            if field == "match" {
                                let mut alone = Vec::new();
                                standalone(&spec, &mut alone);
                                for leaf in alone {
                                    if let MatchSpec::Phrase { text, at, .. } = leaf {
                                        patterns.extend(Pattern::new(id, text, *at));
                                    }
                                }
                            }
                        }
                    }
                    Kind::Scholar => {
                        if let Some(name) = &c.name {
                            patterns.extend(Pattern::new(id, &name.value, name.referenced));
                            // Aliases have no positions of their own: point at the name.
                            for a in &c.aliases {
                                patterns.extend(Pattern::new(id, a, name.referenced));
                            }
                        }
                    }
                    Kind::Structure => {}
                }
            }
        }
        self.overlaps(&patterns);
    }

    /// Checks on one phrase or regex.
    fn leaf(&mut self, id: &str, field: &str, leaf: &MatchSpec) {
        match leaf {
            MatchSpec::Phrase { text, at, .. } => {
                let words = fold_token(text);
                if words.is_empty() {
                    return; // a load error already
                }
                let normalised = words.join(" ");
                if let Some(c) = text.chars().find(|c| REGEX_SYNTAX.contains(c)) {
                    self.push(
                        "regex-in-phrase",
                        *at,
                        Some(id),
                        format!(
                            "`{field}` phrase {text:?} contains `{c}`, which phrases ignore: it is matched as the words \"{normalised}\"; write {{regex: {text:?}}} if a pattern was meant"
                        ),
                    );
                } else if !matches_itself(text) {
                    self.push(
                        "never-matches",
                        *at,
                        Some(id),
                        format!(
                            "`{field}` phrase {text:?} can never match: normalised it is \"{normalised}\", and phrases do not cross sentence breaks"
                        ),
                    );
                }
            }
            MatchSpec::Regex { pattern, at } => {
                let empty = regex::RegexBuilder::new(pattern)
                    .case_insensitive(true)
                    .size_limit(crate::matching::REGEX_SIZE_LIMIT)
                    .build()
                    .is_ok_and(|r| r.is_match(""));
                if empty {
                    self.push(
                        "empty-regex",
                        *at,
                        Some(id),
                        format!(
                            "`{field}` regex {pattern:?} matches the empty string, so it hits every essay; require at least one character (`+` instead of `*`)"
                        ),
                    );
                }
            }
            MatchSpec::Any(_) | MatchSpec::All { .. } => {}
        }
    }

    /// Phrases that score on their own yet are only stop words, and `all`
    /// groups whose every part is. A stop word inside an `all` group next to
    /// a real term ("should" + "engage*") is a deliberate cue, not a problem.
    fn stop_words(&mut self, id: &str, field: &str, spec: &MatchSpec) {
        let mut alone = Vec::new();
        standalone(spec, &mut alone);
        for leaf in alone {
            if let MatchSpec::Phrase { text, at, .. } = leaf {
                let words = fold_token(text);
                // An acronym ("CARs", "IT") folds to a word but is not one.
                let upper = text.chars().filter(|c| c.is_uppercase()).count();
                let acronym = upper >= 2
                    && upper * 10 >= text.chars().filter(|c| c.is_alphabetic()).count() * 7;
                if field == "match"
                    && words.len() == 1
                    && !acronym
                    && !text.contains('*')
                    && !only_stop_words(text)
                    && is_common_word(&words[0])
                {
                    self.push(
                        "common-word",
                        *at,
                        Some(id),
                        format!(
                            "`{field}` phrase {text:?} is a single common word: it turns up in essays on any topic, so it says little about this argument; use a term or a phrase specific to it"
                        ),
                    );
                }
                if only_stop_words(text) {
                    self.push(
                        "stop-words",
                        *at,
                        Some(id),
                        format!(
                            "`{field}` phrase {text:?} is only stop words, which scoring treats as carrying no argument: it matches almost any essay"
                        ),
                    );
                }
            }
        }
        let mut groups = Vec::new();
        all_groups(spec, &mut groups);
        for items in groups {
            let trivial = items.iter().all(|item| {
                item.leaves().iter().all(|l| match l {
                    MatchSpec::Phrase { text, .. } => only_stop_words(text),
                    _ => false,
                })
            });
            if let (true, Some(MatchSpec::Phrase { at, .. })) = (trivial, items[0].leaves().first())
            {
                self.push(
                    "stop-words",
                    *at,
                    Some(id),
                    format!("every part of this `{field}` `all` group is only stop words: it matches almost any essay"),
                );
            }
        }
    }

    /// Phrases of different criteria that can match the same words.
    fn overlaps(&mut self, patterns: &[Pattern]) {
        // One finding per phrase and other criterion: "debt-for-nature" and
        // "debt for nature" there are the same words.
        let mut reported: Vec<(Location, &str)> = Vec::new();
        for (j, b) in patterns.iter().enumerate() {
            for a in &patterns[..j] {
                if a.criterion == b.criterion {
                    continue;
                }
                let (a_in_b, b_in_a) = (a.inside(b), b.inside(a));
                let (at, other) = if a_in_b && !b_in_a {
                    (a.at, b.criterion.as_str())
                } else {
                    (b.at, a.criterion.as_str())
                };
                if !(a_in_b || b_in_a) || reported.contains(&(at, other)) {
                    continue;
                }
                reported.push((at, other));
                if a_in_b && b_in_a {
                    self.push(
                        "duplicate-phrase",
                        b.at,
                        Some(&b.criterion),
                        format!(
                            "{:?} is also a phrase of criterion `{}` (line {}): a sentence that holds it scores for both",
                            b.text,
                            a.criterion,
                            a.at.line()
                        ),
                    );
                } else {
                    // Warn at the shorter phrase: it is the one that fires on both.
                    let (short, long) = if a_in_b { (a, b) } else { (b, a) };
                    self.push(
                        "overlapping-phrase",
                        short.at,
                        Some(&short.criterion),
                        format!(
                            "{:?} also matches inside {:?} of criterion `{}` (line {}): a sentence that holds the longer phrase scores for both",
                            short.text,
                            long.text,
                            long.criterion,
                            long.at.line()
                        ),
                    );
                }
            }
        }
    }
}

/// Whether a phrase finds itself when written as an essay: if not, nothing
/// an essay can say will match it (it spans a sentence break, say).
fn matches_itself(text: &str) -> bool {
    let mut b = PhraseSetBuilder::default();
    let Ok(id) = b.phrase(text, |_, _| false) else {
        return true; // a load error reports it
    };
    let Ok(set) = b.build() else { return true };
    let essay = text.replace('*', "");
    let doc = Document::from_plain_text(essay);
    !set.scan(&doc).phrases[id].is_empty()
}

/// Width of the YAML scalar that starts at `column` (1-based, in chars):
/// a quoted string to its closing quote, a plain one to the next `,`, `]`,
/// `}` or comment.
fn scalar_width(line: &str, column: usize) -> usize {
    let rest: Vec<char> = line.chars().skip(column.saturating_sub(1)).collect();
    let Some(&first) = rest.first() else { return 1 };
    if first == '"' || first == '\'' {
        let mut escaped = false;
        for (i, &c) in rest.iter().enumerate().skip(1) {
            if c == first && !escaped {
                return i + 1;
            }
            escaped = first == '"' && c == '\\' && !escaped;
        }
        return rest.len();
    }
    let end = rest
        .iter()
        .position(|&c| matches!(c, ',' | ']' | '}' | '#'))
        .unwrap_or(rest.len());
    let text: String = rest[..end].iter().collect();
    text.trim_end().chars().count().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(yaml: &str) -> Vec<(&'static str, usize, usize, Option<String>)> {
        lint_str(yaml, "t.yaml")
            .findings
            .into_iter()
            .map(|f| (f.code, f.at.line, f.at.column, f.at.criterion))
            .collect()
    }

    const HEAD: &str = "id: t\ntitle: T\nsections:\n  - id: s\n    title: S\n    criteria:\n";

    /// A criterion whose examples mostly make another criterion's point is
    /// one warning at its id.
    #[cfg(feature = "meaning-table")]
    #[test]
    fn examples_that_resemble_another_criterion_are_a_warning() {
        let yaml = format!(
            "{HEAD}      - id: refugees\n        points: 2\n        feedback: Say it.\n        match: [refugee*]\n        examples:\n          - Millions of Afghan refugees crowd the schools and hospitals of Peshawar.\n          - Trucks wait for days at Torkham and traders lose their goods when the crossing shuts.\n          - Exporters of fruit and cement lose their Afghan market whenever the border gates close.\n      - id: trade\n        points: 2\n        feedback: Say it.\n        match: [trade]\n        examples:\n          - Closing the Torkham and Chaman crossings halts trade and ruins traders on both sides.\n          - Lorries of fruit rot at the border gates when the crossings close for weeks.\n"
        );
        let lint = lint_str(&yaml, "t.yaml");
        let found: Vec<_> = lint
            .findings
            .iter()
            .filter(|f| {
                f.code == "examples-resemble-others"
                    && f.at.criterion.as_deref() == Some("refugees")
            })
            .collect();
        assert_eq!(found.len(), 1, "{:#?}", lint.findings);
        assert_eq!((found[0].at.line, found[0].at.column), (7, 13));
        assert_eq!(found[0].at.criterion.as_deref(), Some("refugees"));
        assert!(
            found[0].at.message.starts_with("2 of its 3 examples"),
            "{}",
            found[0].at.message
        );
        assert!(
            found[0].at.message.contains("`trade`"),
            "{}",
            found[0].at.message
        );
    }

    /// A criterion that scores common words matches a text about tea and
    /// gardens; two criteria with one title cannot be told apart.
    #[test]
    fn unrelated_text_matches_and_duplicate_titles_are_warnings() {
        let yaml = format!(
            "{HEAD}      - id: a\n        title: Everyday life\n        points: 2\n        feedback: Say it.\n        match: [people, day, daily, every, years, time, part]\n      - id: b\n        title: everyday life\n        points: 2\n        feedback: Say it.\n        match: [refugee*]\n"
        );
        let found = codes(&yaml);
        assert!(
            found.contains(&("matches-unrelated-text", 7, 13, Some("a".into()))),
            "{found:?}"
        );
        assert!(
            found.contains(&("duplicate-title", 12, 13, Some("b".into()))),
            "{found:?}"
        );
        assert!(!found
            .iter()
            .any(|f| f.0 == "matches-unrelated-text" && f.3.as_deref() == Some("b")));
    }

    #[test]
    fn a_clean_rubric_has_no_findings() {
        let yaml = format!(
            "{HEAD}      - id: a\n        points: 2\n        feedback: Say it.\n        match: [Durand Line, border fenc*]\n      - id: b\n        points: 2\n        feedback: Say it.\n        match: [refugee*]\n"
        );
        assert_eq!(codes(&yaml), vec![]);
    }

    #[test]
    fn overlapping_and_duplicate_phrases_between_criteria() {
        let yaml = format!(
            "{HEAD}      - id: a\n        points: 2\n        feedback: x\n        match: [Durand Line, refugees]\n      - id: b\n        points: 2\n        feedback: x\n        match:\n          - durand\n          - Refugee\n          - all: [Durand, fence]\n"
        );
        assert_eq!(
            codes(&yaml),
            vec![
                ("overlapping-phrase", 15, 13, Some("b".into())),
                ("duplicate-phrase", 16, 13, Some("b".into())),
            ]
        );
        let lint = lint_str(&yaml, "t.yaml");
        let text = lint.findings[0].render();
        assert!(
            text.starts_with("t.yaml:15:13: warning[overlapping-phrase]: criterion `b`: \"durand\" also matches inside \"Durand Line\" of criterion `a` (line 10)"),
            "{text}"
        );
        assert!(
            text.ends_with("15 |           - durand\n   |             ^^^^^^"),
            "{text}"
        );
    }

    #[test]
    fn wildcards_overlap_the_words_they_cover() {
        let yaml = format!(
            "{HEAD}      - id: a\n        points: 2\n        feedback: x\n        match: [militan*]\n      - id: b\n        points: 2\n        feedback: x\n        match: [militant networks]\n"
        );
        assert_eq!(
            codes(&yaml),
            vec![("overlapping-phrase", 10, 17, Some("a".into()))]
        );
    }

    #[test]
    fn phrases_that_cannot_match_stop_words_empty_regexes_and_missing_feedback() {
        let yaml = format!(
            "{HEAD}      - id: a\n        points: 2\n        match:\n          - \"Talks ended. Fighting resumed\"\n          - tehr[ie]k\n          - the issues\n          - {{regex: \"x*\"}}\n          - all: [[should, must], engage*]\n          - all: [should, [it, the]]\n"
        );
        assert_eq!(
            codes(&yaml),
            vec![
                ("feedback-missing", 7, 13, Some("a".into())),
                // `{regex: "x*"}` matches everything, an unrelated text too.
                ("matches-unrelated-text", 7, 13, Some("a".into())),
                ("never-matches", 10, 13, Some("a".into())),
                ("regex-in-phrase", 11, 13, Some("a".into())),
                ("stop-words", 12, 13, Some("a".into())),
                ("empty-regex", 13, 21, Some("a".into())),
                ("stop-words", 15, 19, Some("a".into())),
            ]
        );
    }

    #[test]
    fn a_single_common_word_as_a_match_phrase_is_flagged() {
        let yaml = format!(
            "{HEAD}      - id: a\n        points: 2\n        feedback: x\n        match: [international, refugees, hybrid threats, strateg*, CARs]\n        develop: [international]\n"
        );
        assert_eq!(
            codes(&yaml),
            vec![("common-word", 10, 17, Some("a".into()))]
        );
    }

    #[test]
    fn load_errors_are_errors_and_warnings_still_run() {
        let yaml = format!(
            "{HEAD}      - id: a\n        points: 2\n        feedback: x\n        match: [\"(x\"]\n      - id: b\n        points: 3\n        match: [{{regex: \"(\"}}]\ntotal: 4\n"
        );
        let lint = lint_str(&yaml, "t.yaml");
        let got: Vec<(Severity, &str, usize)> = lint
            .findings
            .iter()
            .map(|f| (f.severity, f.code, f.at.line))
            .collect();
        assert_eq!(
            got,
            vec![
                (Severity::Warning, "regex-in-phrase", 10),
                (Severity::Warning, "feedback-missing", 11),
                (Severity::Error, "load", 13),
                (Severity::Error, "load", 14),
            ]
        );
        assert_eq!((lint.errors, lint.warnings), (2, 2));
        assert!(
            lint.findings[3].at.message.contains("add up to 5"),
            "{:?}",
            lint.findings[3]
        );
    }

    #[test]
    fn scalar_widths() {
        assert_eq!(scalar_width("  - foo bar  # c", 5), 7);
        assert_eq!(scalar_width("  match: [a b, c]", 11), 3);
        assert_eq!(scalar_width(r#"  - "x \" y", z"#, 5), 8);
        assert_eq!(scalar_width("", 3), 1);
    }
}
