//! Scoring: turn hits into points. Every point awarded is backed by evidence
//! (hits tied to sentences); every point withheld belongs to a criterion
//! that is reported missing or partial, with the reason in `note`.
//!
//! Examiner rules encoded here:
//! - a mention is not an argument: full credit needs `min_hits` substantive
//!   sentences, or one plus a `develop` hit in the same paragraph (for a
//!   bullet point, the same section);
//! - a sentence that only lists keywords of several criteria, a heading, or a
//!   sentence with almost nothing but the keyword is not substantive;
//! - the title (the question restated) is not evidence, and neither is a
//!   byline; a reference-list entry is a bare mention of a scholar;
//! - a scholar is cited when a reporting verb (also after an aside), a
//!   possessive ("Lodhi's view") or a quotation attributes a view;
//! - an outline (under a quarter of its words in paragraphs) lists its
//!   arguments: one made only in bullets is partial, and so are an
//!   introduction and a conclusion that are headings over bullets.

use crate::matching::{evaluate, Expr, Hit, Scan};
use crate::rubric::{Criterion, Kind, Rubric, Rule, StructureCheck};
use crate::text::{BlockKind, Document};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Met,
    Partial,
    Missing,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Partial => "partial",
            Status::Missing => "missing",
        }
    }
}

/// Evidence for one criterion: a hit, or a block for structure checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    Hit(Hit),
    Block(usize),
}

#[derive(Debug, Clone)]
pub struct CriterionScore {
    /// Index into `Rubric::criteria`.
    pub criterion: usize,
    pub status: Status,
    pub points: f64,
    pub evidence: Vec<Evidence>,
    /// Why the status is what it is, when that is not obvious.
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Grade {
    pub criteria: Vec<CriterionScore>,
    pub points: f64,
    pub max_points: f64,
    /// 0-100, rounded to one decimal.
    pub score: f64,
    pub band: String,
    pub passed: bool,
    pub words: usize,
    /// Themes (lens and theme criteria) found at least partly.
    pub themes_found: usize,
    pub off_topic: bool,
}

/// Sentences with fewer content words than this besides the keyword are too
/// thin to count as developing an argument ("TTP is a threat.").
const MIN_OWN_CONTENT_WORDS: usize = 3;

/// An essay with less than this share of its words in paragraphs (the rest
/// in bullet points) is an outline: its arguments are listed, not argued.
const OUTLINE_MAX_PROSE_SHARE: f64 = 0.25;

/// How the note of an argument held to partial credit in an outline begins.
pub const OUTLINE_NOTE: &str = "the essay is an outline";

/// How scoring reads each sentence of an essay, for `essaymark explain`.
#[derive(Debug, Clone)]
pub struct SentenceRoles {
    /// Argues rather than names (not a heading, a keyword list or too thin).
    pub substantive: Vec<bool>,
    /// Only lists keywords of several criteria.
    pub list_like: Vec<bool>,
    /// The essay's title block, which is never evidence.
    pub title_block: Option<usize>,
}

pub fn sentence_roles(rubric: &Rubric, doc: &Document) -> SentenceRoles {
    let scan = rubric.phrases.scan(doc);
    let ctx = Context::new(rubric, doc, &scan);
    SentenceRoles {
        substantive: ctx.substantive,
        list_like: ctx.list_like,
        title_block: ctx.title_block,
    }
}

/// Grade one essay.
pub fn grade(rubric: &Rubric, doc: &Document) -> Grade {
    let scan = rubric.phrases.scan(doc);
    let ctx = Context::new(rubric, doc, &scan);
    let mut criteria = Vec::with_capacity(rubric.criteria.len());
    for (i, c) in rubric.criteria.iter().enumerate() {
        criteria.push(ctx.score(i, c));
    }
    let points: f64 = criteria.iter().map(|c| c.points).sum();
    let max_points = rubric.max_points;
    let score = if max_points > 0.0 {
        (points / max_points * 1000.0).round() / 10.0
    } else {
        0.0
    };
    let themes_found = criteria
        .iter()
        .filter(|s| matches!(rubric.criteria[s.criterion].kind, Kind::Theme | Kind::Lens))
        .filter(|s| s.status != Status::Missing)
        .count();
    Grade {
        points: (points * 100.0).round() / 100.0,
        max_points,
        band: rubric.band_for(score).to_string(),
        passed: score >= rubric.pass_mark,
        words: doc.word_count(),
        themes_found,
        off_topic: themes_found < rubric.off_topic_min_themes as usize,
        score,
        criteria,
    }
}

struct Context<'a> {
    doc: &'a Document,
    scan: &'a Scan,
    /// Argument hits per criterion (lens/theme only), title excluded.
    argument_hits: Vec<Vec<Hit>>,
    /// Per sentence: whether it only lists keywords of several criteria.
    list_like: Vec<bool>,
    /// Per sentence: argues rather than names (see `substantive`).
    substantive: Vec<bool>,
    /// Per sentence: content words not part of any criterion's hit.
    own_words: Vec<usize>,
    /// Reporting-verb hits, shared by every scholar criterion.
    reporting: Vec<Hit>,
    /// Blocks under a "References" heading.
    references: Vec<usize>,
    title_block: Option<usize>,
    /// Words in paragraphs and words in bullets, when the essay is an
    /// outline (see `OUTLINE_MAX_PROSE_SHARE`).
    outline: Option<(usize, usize)>,
}

impl<'a> Context<'a> {
    fn new(rubric: &'a Rubric, doc: &'a Document, scan: &'a Scan) -> Context<'a> {
        let title_block = doc
            .blocks
            .first()
            .filter(|b| b.kind == BlockKind::Heading && !is_section_word(&doc.text[b.span.clone()]))
            .map(|_| 0);
        let mut argument_hits = Vec::with_capacity(rubric.criteria.len());
        let mut covered = vec![false; doc.tokens.len()];
        let mut criteria_per_sentence: Vec<u16> = vec![0; doc.sentences.len()];
        for c in &rubric.criteria {
            let hits = match &c.rule {
                Rule::Argument { expr, .. } => {
                    let mut h = evaluate(expr, scan, doc);
                    h.retain(|h| Some(doc.sentences[h.sentence as usize].block) != title_block);
                    h
                }
                _ => Vec::new(),
            };
            let mut last = u32::MAX;
            for h in &hits {
                covered[h.tokens.0 as usize..h.tokens.1 as usize].fill(true);
                if h.sentence != last {
                    criteria_per_sentence[h.sentence as usize] += 1;
                    last = h.sentence;
                }
            }
            argument_hits.push(hits);
        }
        let own_words: Vec<usize> = doc
            .sentences
            .iter()
            .map(|s| own_content_words(s.tokens.clone(), &covered, &scan.content_words))
            .collect();
        let list_like: Vec<bool> = own_words
            .iter()
            .zip(&criteria_per_sentence)
            .zip(&doc.sentences)
            .map(|((&own, &n), s)| {
                // Keywords of three or more criteria with little else, or
                // strung together with commas: an enumeration, not an argument.
                let commas = doc.text[s.span.clone()].matches(',').count();
                n >= 3 && (own < 2 * n as usize || commas >= n as usize)
            })
            .collect();
        let substantive: Vec<bool> = doc
            .sentences
            .iter()
            .enumerate()
            .map(|(i, s)| {
                // Bullets are terse by nature: one word of their own is enough.
                let kind = doc.blocks[s.block].kind;
                let needed = if kind == BlockKind::ListItem {
                    // A bullet of three words or more says something even
                    // when its nouns are all keywords ("Conditional
                    // engagement with Kabul").
                    usize::from(s.tokens.len() < 3)
                } else {
                    MIN_OWN_CONTENT_WORDS
                };
                kind != BlockKind::Heading && !list_like[i] && own_words[i] >= needed
            })
            .collect();
        let has_scholars = rubric
            .criteria
            .iter()
            .any(|c| matches!(c.rule, Rule::Scholar { .. }));
        let mut reporting = if has_scholars {
            evaluate(&rubric.reporting, scan, doc)
        } else {
            Vec::new()
        };
        // Sorted by position, so each name looks only at the verbs within
        // reach (`attributed_by_verb`), not at every verb of the essay.
        reporting.sort_unstable_by_key(|r| r.tokens);
        let references = reference_blocks(doc);
        let outline = outline_shares(doc);
        Context {
            doc,
            scan,
            argument_hits,
            list_like,
            substantive,
            own_words,
            reporting,
            references,
            title_block,
            outline,
        }
    }

    fn score(&self, index: usize, c: &Criterion) -> CriterionScore {
        let (status, evidence, note) = match &c.rule {
            Rule::Argument {
                develop, min_hits, ..
            } => self.argument(index, develop.as_ref(), *min_hits),
            Rule::Scholar {
                names, attribution, ..
            } => self.scholar(names, *attribution),
            Rule::Structure(check) => self.structure(check),
        };
        let partial = match &c.rule {
            Rule::Argument { partial_credit, .. } | Rule::Scholar { partial_credit, .. } => {
                *partial_credit
            }
            Rule::Structure(_) => 0.5,
        };
        // A theme that is only named (in a heading, a keyword list, or a
        // sentence that says nothing about it) earns half the partial credit
        // of one argued in a sentence: naming is not arguing.
        let named_only = matches!(c.rule, Rule::Argument { .. })
            && status == Status::Partial
            && self.argument_hits[index]
                .iter()
                .all(|h| !self.substantive(h.sentence));
        let partial = if named_only { partial / 2.0 } else { partial };
        let points = match status {
            Status::Met => c.points,
            Status::Partial => (c.points * partial * 100.0).round() / 100.0,
            Status::Missing => 0.0,
        };
        CriterionScore {
            criterion: index,
            status,
            points,
            evidence,
            note,
        }
    }

    fn is_heading(&self, sentence: u32) -> bool {
        let block = self.doc.sentences[sentence as usize].block;
        self.doc.blocks[block].kind == BlockKind::Heading
    }

    /// A sentence that argues rather than names: not a heading, not a
    /// keyword list, and with some words of its own.
    fn substantive(&self, sentence: u32) -> bool {
        self.substantive[sentence as usize]
    }

    /// An argument's status. In an outline, an argument whose evidence is
    /// all bullets and headings is at most partly made: a bullet names a
    /// point, and the examiner wants it written out.
    fn argument(
        &self,
        index: usize,
        develop: Option<&Expr>,
        min_hits: u32,
    ) -> (Status, Vec<Evidence>, Option<String>) {
        let (status, evidence, note) = self.argument_in_text(index, develop, min_hits);
        let Some((prose, bullets)) = self.outline else {
            return (status, evidence, note);
        };
        let in_prose = evidence.iter().any(|e| match e {
            Evidence::Hit(h) => {
                let block = self.doc.sentences[h.sentence as usize].block;
                self.doc.blocks[block].kind == BlockKind::Paragraph
            }
            Evidence::Block(_) => false,
        });
        if status != Status::Met || in_prose {
            return (status, evidence, note);
        }
        let note = format!(
            "{OUTLINE_NOTE} ({bullets} words in bullet points, {prose} in paragraphs); \
             write this argument out in a paragraph"
        );
        (Status::Partial, evidence, Some(note))
    }

    fn argument_in_text(
        &self,
        index: usize,
        develop: Option<&Expr>,
        min_hits: u32,
    ) -> (Status, Vec<Evidence>, Option<String>) {
        let hits = &self.argument_hits[index];
        if hits.is_empty() {
            return (Status::Missing, Vec::new(), None);
        }
        let mut substantive: Vec<u32> = hits
            .iter()
            .map(|h| h.sentence)
            .filter(|&s| self.substantive(s))
            .collect();
        substantive.dedup();
        // Evidence: substantive sentences first, one hit per sentence.
        // Sets and maps, not scans: a hostile essay can repeat one argument
        // in hundreds of thousands of sentences or under as many headings.
        let mut evidence: Vec<Evidence> = Vec::new();
        let mut seen: HashSet<u32> = HashSet::default();
        for pass in [true, false] {
            for h in hits {
                if self.substantive(h.sentence) == pass && seen.insert(h.sentence) {
                    evidence.push(Evidence::Hit(*h));
                }
            }
        }
        if substantive.len() >= min_hits as usize {
            return (Status::Met, evidence, None);
        }
        let dev_hits = develop
            .map(|d| evaluate(d, self.scan, self.doc))
            .unwrap_or_default();
        // A heading that names the theme, with a body that argues it: two or
        // more sentences under it carry the theme's or its development terms.
        let mut first_hit: HashMap<u32, Hit> = HashMap::default();
        let mut under: HashMap<usize, Vec<u32>> = HashMap::default();
        if hits.iter().any(|h| self.is_heading(h.sentence)) {
            for x in hits.iter().chain(&dev_hits) {
                let s = x.sentence;
                first_hit.entry(s).or_insert(*x);
                let b = self.doc.sentences[s as usize].block;
                if let Some(heading_block) = self.doc.block_section[b] {
                    if b != heading_block && !self.is_heading(s) && !self.list_like[s as usize] {
                        under.entry(heading_block).or_default().push(s);
                    }
                }
            }
            for body in under.values_mut() {
                body.sort_unstable();
                body.dedup();
            }
        }
        for h in hits.iter().filter(|h| self.is_heading(h.sentence)) {
            let heading_block = self.doc.sentences[h.sentence as usize].block;
            let Some(body) = under.get(&heading_block) else {
                continue;
            };
            if body.len() >= 2 {
                for &s in body {
                    if seen.insert(s) {
                        if let Some(x) = first_hit.get(&s) {
                            evidence.push(Evidence::Hit(*x));
                        }
                    }
                }
                return (Status::Met, evidence, None);
            }
        }
        if develop.is_some() && !substantive.is_empty() {
            // Development belongs where the argument is made: in its
            // paragraph, or, for a bullet, in the list's section (bullets are
            // one block each). The tag 2 keeps paragraph units apart from
            // `scope_of`'s section (0) and pre-heading (1) units.
            let unit = |s: u32| {
                let block = self.doc.sentences[s as usize].block;
                if self.doc.blocks[block].kind == BlockKind::ListItem {
                    scope_of(self.doc, s)
                } else {
                    (2, block)
                }
            };
            let units: HashSet<(usize, usize)> = substantive.iter().map(|&s| unit(s)).collect();
            // Development is another sentence that argues (not the hit's
            // own sentence, not a list of names or keywords).
            // A long sentence (a dense bullet) may develop its own point.
            let near = dev_hits.iter().find(|d| {
                self.substantive(d.sentence)
                    && (!substantive.contains(&d.sentence)
                        || self.own_words[d.sentence as usize] >= 2 * MIN_OWN_CONTENT_WORDS + 2)
                    && units.contains(&unit(d.sentence))
            });
            if let Some(d) = near {
                if !seen.contains(&d.sentence) {
                    evidence.push(Evidence::Hit(*d));
                }
                return (Status::Met, evidence, None);
            }
        }
        let note = if substantive.is_empty() {
            if hits.iter().all(|h| self.is_heading(h.sentence)) {
                "named only in a heading; argue it in the text below"
            } else if hits.iter().any(|h| self.list_like[h.sentence as usize]) {
                "only listed among other keywords, not argued"
            } else {
                "mentioned in passing; develop it with causes, effects or evidence"
            }
        } else {
            "mentioned in one sentence; develop it with causes, effects or evidence"
        };
        (Status::Partial, evidence, Some(note.to_string()))
    }

    fn scholar(&self, names: &Expr, attribution: bool) -> (Status, Vec<Evidence>, Option<String>) {
        let doc = self.doc;
        let references = &self.references;
        let mut hits = evaluate(names, self.scan, doc);
        hits.retain(|h| {
            let s = h.sentence as usize;
            let block = doc.sentences[s].block;
            Some(block) != self.title_block && !is_byline(doc, s)
        });
        if hits.is_empty() {
            return (Status::Missing, Vec::new(), None);
        }
        let reporting = &self.reporting;
        let max_verb_len = reporting
            .iter()
            .map(|r| r.tokens.1 - r.tokens.0)
            .max()
            .unwrap_or(0);
        let mut cited: Vec<Hit> = Vec::new();
        let mut bare: Vec<Hit> = Vec::new();
        // Whether the last sentence looked at quotes: hits come in sentence
        // order, and a hostile essay can be one sentence of megabytes.
        let mut quoted: Option<(usize, bool)> = None;
        for h in &hits {
            let s = h.sentence as usize;
            let in_refs = references.contains(&doc.sentences[s].block);
            let attributed = !in_refs
                && (attributed_by_verb(reporting, max_verb_len, h)
                    || possessive_view(doc, h)
                    || verb_after_aside(doc, reporting, h).is_some()
                    || {
                        match quoted {
                            Some((q, v)) if q == s => v,
                            _ => {
                                let v = has_quotation(doc, s) || introduces_quotation(doc, s);
                                quoted = Some((s, v));
                                v
                            }
                        }
                    });
            if attributed || (!attribution && !in_refs) {
                cited.push(*h);
            } else {
                bare.push(*h);
            }
        }
        let spelled = hits.iter().find(|h| h.fuzzy).map(|h| hit_words(doc, h));
        let mut evidence: Vec<Evidence> = Vec::new();
        let mut seen = HashSet::default();
        for h in cited.iter().chain(&bare) {
            if seen.insert(h.sentence) {
                evidence.push(Evidence::Hit(*h));
            }
        }
        let spelling_note = spelled.map(|w| format!("cited, but spelled \"{w}\""));
        if !cited.is_empty() {
            return (Status::Met, evidence, spelling_note);
        }
        let why = if bare
            .iter()
            .all(|h| references.contains(&doc.sentences[h.sentence as usize].block))
        {
            "listed only in the references; quote or paraphrase them in the essay"
        } else {
            "named but not cited: attribute a view to them (\"X argues that ...\") or quote them"
        };
        let note = match spelling_note {
            Some(s) => format!("{why}; {s}"),
            None => why.to_string(),
        };
        (Status::Partial, evidence, Some(note))
    }

    /// A structure check's status. In an outline, an introduction or a
    /// conclusion that is only a heading over bullets is at most partly
    /// there: the examiner expects it written as a paragraph.
    fn structure(&self, check: &StructureCheck) -> (Status, Vec<Evidence>, Option<String>) {
        let (status, evidence, note) = self.structure_in_text(check);
        let part = match check {
            StructureCheck::Introduction => "introduction",
            StructureCheck::Conclusion => "conclusion",
            _ => return (status, evidence, note),
        };
        match self.outline {
            Some((prose, bullets)) if status == Status::Met => {
                let note = format!(
                    "{OUTLINE_NOTE} ({bullets} words in bullet points, {prose} in paragraphs); \
                     write the {part} as a paragraph"
                );
                (Status::Partial, evidence, Some(note))
            }
            _ => (status, evidence, note),
        }
    }

    fn structure_in_text(&self, check: &StructureCheck) -> (Status, Vec<Evidence>, Option<String>) {
        let doc = self.doc;
        let headings: Vec<usize> = doc
            .blocks
            .iter()
            .enumerate()
            .filter(|&(i, b)| b.kind == BlockKind::Heading && Some(i) != self.title_block)
            .map(|(i, _)| i)
            .collect();
        let heading_text = |i: usize| doc.text[doc.blocks[i].span.clone()].to_lowercase();
        let block_words = |i: usize| -> usize {
            doc.block_sentences[i]
                .clone()
                .map(|s| doc.sentences[s].tokens.len())
                .sum()
        };
        let n_blocks = doc.blocks.len();
        match check {
            StructureCheck::Introduction => {
                if let Some(&h) = headings
                    .iter()
                    .take(3)
                    .find(|&&h| heading_text(h).contains("introduc"))
                {
                    return (Status::Met, vec![Evidence::Block(h)], None);
                }
                let first_para = doc
                    .blocks
                    .iter()
                    .enumerate()
                    .take(4)
                    .find(|(_, b)| b.kind == BlockKind::Paragraph)
                    .map(|(i, _)| i);
                // A paragraph of keyword lists introduces nothing.
                let first_para = first_para
                    .filter(|&p| doc.block_sentences[p].clone().any(|s| !self.list_like[s]));
                match first_para {
                    Some(p) if block_words(p) >= 40 => (Status::Met, vec![Evidence::Block(p)], None),
                    Some(p) if block_words(p) >= 15 => (
                        Status::Partial,
                        vec![Evidence::Block(p)],
                        Some("the opening paragraph is very short; introduce the question, its context and your thesis".into()),
                    ),
                    _ => (Status::Missing, Vec::new(), None),
                }
            }
            StructureCheck::Conclusion => {
                // A concluding heading counts in the second half of the essay,
                // or anywhere as the essay's last section.
                let late = n_blocks / 2;
                let last_heading = headings.last().copied();
                if let Some(&h) = headings.iter().rev().find(|&&h| {
                    (h >= late || Some(h) == last_heading) && {
                        let t = heading_text(h);
                        [
                            "conclu",
                            "way forward",
                            "final thought",
                            "summing up",
                            "in sum",
                            "closing",
                            "final word",
                            "final remarks",
                            "the road ahead",
                        ]
                        .iter()
                        .any(|k| t.contains(k))
                    }
                }) {
                    if h + 1 < n_blocks {
                        return (Status::Met, vec![Evidence::Block(h)], None);
                    }
                }
                let paragraphs: Vec<usize> = (0..n_blocks)
                    .rev()
                    .filter(|&i| doc.blocks[i].kind == BlockKind::Paragraph)
                    .take(2)
                    .collect();
                for &p in &paragraphs {
                    let t = doc.text[doc.blocks[p].span.clone()]
                        .trim_start()
                        .to_lowercase();
                    if [
                        "in conclusion",
                        "to conclude",
                        "to sum up",
                        "in sum",
                        "in short",
                        "conclusively",
                        "in the final analysis",
                        "to summarise",
                        "to summarize",
                        "overall,",
                        "ultimately,",
                        "in a nutshell",
                        "in the end,",
                        "all in all",
                        "to sum it up",
                        "summing up",
                    ]
                    .iter()
                    .any(|k| t.starts_with(k))
                    {
                        return (Status::Met, vec![Evidence::Block(p)], None);
                    }
                }
                match paragraphs.first() {
                    Some(&p) if p + 3 >= n_blocks && block_words(p) >= 30 && n_blocks >= 4 => (
                        Status::Partial,
                        vec![Evidence::Block(p)],
                        Some("the essay ends without a clear conclusion; close with a marked conclusion that answers the question".into()),
                    ),
                    _ => (Status::Missing, Vec::new(), None),
                }
            }
            StructureCheck::Outline => {
                let early = (n_blocks / 4).max(6);
                if let Some(&h) = headings
                    .iter()
                    .find(|&&h| heading_text(h).contains("outline"))
                {
                    return (Status::Met, vec![Evidence::Block(h)], None);
                }
                let items = doc
                    .blocks
                    .iter()
                    .take(early)
                    .filter(|b| b.kind == BlockKind::ListItem)
                    .count();
                let first = doc
                    .blocks
                    .iter()
                    .position(|b| b.kind == BlockKind::ListItem);
                if items >= 5 {
                    (
                        Status::Met,
                        first.map(Evidence::Block).into_iter().collect(),
                        None,
                    )
                } else {
                    (Status::Missing, Vec::new(), None)
                }
            }
            StructureCheck::Headings { min } => {
                let n = headings.len();
                let note = Some(format!(
                    "{n} heading{} (at least {min} expected)",
                    if n == 1 { "" } else { "s" }
                ));
                let evidence = headings
                    .iter()
                    .take(3)
                    .map(|&h| Evidence::Block(h))
                    .collect();
                if n >= *min as usize {
                    (Status::Met, evidence, note)
                } else if n + 1 >= *min as usize && n > 0 {
                    (Status::Partial, evidence, note)
                } else {
                    (Status::Missing, evidence, note)
                }
            }
            StructureCheck::Words { min, max } => {
                let n = doc.word_count();
                let note = Some(format!("{n} words (expected {min}-{max})"));
                let status = if n >= *min as usize && n <= *max as usize {
                    Status::Met
                } else if n * 4 >= *min as usize * 3 && n * 4 <= *max as usize * 5 {
                    Status::Partial
                } else {
                    Status::Missing
                };
                (status, Vec::new(), note)
            }
            StructureCheck::Paragraphs { min } => {
                let n = doc.paragraph_count(20);
                let note = Some(format!(
                    "{n} developed paragraphs (at least {min} expected)"
                ));
                let status = if n >= *min as usize {
                    Status::Met
                } else if n * 2 >= *min as usize {
                    Status::Partial
                } else {
                    Status::Missing
                };
                (status, Vec::new(), note)
            }
            StructureCheck::Table {
                min_rows,
                min_columns,
            } => {
                let mut best: Option<(usize, usize, usize)> = None; // (first block, rows, columns)
                let mut i = 0;
                while i < n_blocks {
                    if doc.blocks[i].kind == BlockKind::TableRow {
                        let start = i;
                        let mut cols = 0;
                        while i < n_blocks && doc.blocks[i].kind == BlockKind::TableRow {
                            cols = cols.max(doc.blocks[i].cells.len());
                            i += 1;
                        }
                        let rows = i - start;
                        if best.is_none_or(|(_, r, c)| rows * cols > r * c) {
                            best = Some((start, rows, cols));
                        }
                    } else {
                        i += 1;
                    }
                }
                match best {
                    Some((start, rows, cols)) => {
                        let note = Some(format!("table of {rows} rows x {cols} columns"));
                        if rows >= *min_rows as usize && cols >= *min_columns as usize {
                            (Status::Met, vec![Evidence::Block(start)], note)
                        } else {
                            (Status::Partial, vec![Evidence::Block(start)], note)
                        }
                    }
                    None => (Status::Missing, Vec::new(), None),
                }
            }
        }
    }
}

/// Blocks under a "References" / "Bibliography" heading.
fn reference_blocks(doc: &Document) -> Vec<usize> {
    let mut out = Vec::new();
    let mut in_refs = false;
    for (i, b) in doc.blocks.iter().enumerate() {
        if b.kind == BlockKind::Heading {
            let t = doc.text[b.span.clone()].trim().to_lowercase();
            in_refs = [
                "references",
                "bibliography",
                "works cited",
                "sources",
                "further reading",
            ]
            .iter()
            .any(|k| t.starts_with(k));
        }
        if in_refs {
            out.push(i);
        }
    }
    out
}

/// Words in paragraphs and in bullet points, when less than
/// `OUTLINE_MAX_PROSE_SHARE` of them are in paragraphs. Headings, the title
/// and table rows count for neither.
fn outline_shares(doc: &Document) -> Option<(usize, usize)> {
    let (mut prose, mut bullets) = (0, 0);
    for (block, sentences) in doc.blocks.iter().zip(&doc.block_sentences) {
        let words: usize = doc.sentences[sentences.clone()]
            .iter()
            .map(|s| s.tokens.len())
            .sum();
        match block.kind {
            BlockKind::Paragraph => prose += words,
            BlockKind::ListItem => bullets += words,
            _ => {}
        }
    }
    let total = prose + bullets;
    (total > 0 && (prose as f64) < OUTLINE_MAX_PROSE_SHARE * total as f64)
        .then_some((prose, bullets))
}

/// Section (or, before any heading, paragraph) a sentence belongs to.
fn scope_of(doc: &Document, sentence: u32) -> (usize, usize) {
    let block = doc.sentences[sentence as usize].block;
    match doc.block_section[block] {
        Some(h) => (0, h),
        None => (1, block),
    }
}

fn own_content_words(tokens: std::ops::Range<usize>, covered: &[bool], content: &[bool]) -> usize {
    tokens.filter(|&t| !covered[t] && content[t]).count()
}

fn is_section_word(heading: &str) -> bool {
    let t = heading.trim().to_lowercase();
    ["introduction", "outline", "conclusion"]
        .iter()
        .any(|k| t.starts_with(k))
}

/// "By Ayesha Khan" under the title. The token count is checked first, so a
/// long sentence is never lowercased (once per name found in it).
fn is_byline(doc: &Document, sentence: usize) -> bool {
    let s = &doc.sentences[sentence];
    s.block <= 2 && s.tokens.len() <= 8 && {
        let t = doc.text[s.span.clone()].trim_start().to_lowercase();
        t.starts_with("by ") || t.starts_with("written by") || t.starts_with("author:")
    }
}

/// A reporting verb within 12 tokens of `h`, in its sentence. `reporting` is
/// sorted by position and no verb spans more than `max_len` tokens, so only
/// the verbs that can be in reach are looked at: linear in the essay, not
/// names times verbs.
fn attributed_by_verb(reporting: &[Hit], max_len: u32, h: &Hit) -> bool {
    const REACH: u32 = 12;
    let from = h.tokens.0.saturating_sub(REACH + max_len);
    let first = reporting.partition_point(|r| r.tokens.0 < from);
    reporting[first..]
        .iter()
        .take_while(|r| r.tokens.0 <= h.tokens.1 + REACH)
        .any(|r| r.sentence == h.sentence && near_tokens(r, h, REACH))
}

/// Words that attribute a view when a name's possessive precedes them
/// ("In Maleeha Lodhi's view, ...", "Walt's argument is that ...").
const POSSESSED_VIEWS: &[&str] = &[
    "view",
    "views",
    "argument",
    "arguments",
    "assessment",
    "analysis",
    "words",
    "account",
    "verdict",
    "warning",
    "thesis",
];

/// "Lodhi's view": the name is possessive and a word of opinion follows it.
pub(crate) fn possessive_view(doc: &Document, h: &Hit) -> bool {
    let last = h.tokens.1 as usize - 1;
    let next = h.tokens.1 as usize;
    let possessive = ["'s", "’s", "ʼs"]
        .iter()
        .any(|p| doc.word(last).ends_with(p));
    possessive
        && next < doc.tokens.len()
        && doc.sentence_of(next) == h.sentence as usize
        && POSSESSED_VIEWS.contains(&doc.fold(next))
}

/// "Amir Rana, who has tracked militant violence for years, observes that":
/// a reporting verb right after an aside set off by commas behind the name,
/// however long the aside (the verb is out of `attributed_by_verb`'s reach).
/// Returns the verb. `reporting` must be sorted by position.
pub(crate) fn verb_after_aside(doc: &Document, reporting: &[Hit], h: &Hit) -> Option<Hit> {
    const AFTER: u32 = 2;
    let sentence = &doc.sentences[h.sentence as usize];
    let name_end = doc.tokens[h.tokens.1 as usize - 1].end as usize;
    let rest = &doc.text[name_end..sentence.span.end];
    let open = rest.strip_prefix(',').or_else(|| rest.strip_prefix(" ,"))?;
    let close = open.find(',')?;
    let close_byte = name_end + (rest.len() - open.len()) + close;
    let after = doc
        .tokens
        .partition_point(|t| (t.start as usize) < close_byte) as u32;
    let first = reporting.partition_point(|r| r.tokens.0 < after);
    reporting[first..]
        .iter()
        .take_while(|r| r.tokens.0 <= after + AFTER)
        .find(|r| r.sentence == h.sentence)
        .copied()
}

fn near_tokens(a: &Hit, b: &Hit, n: u32) -> bool {
    a.tokens.0 <= b.tokens.1 + n && b.tokens.0 <= a.tokens.1 + n
}

const QUOTES: &[char] = &['"', '“', '”', '«', '»', '„'];

fn has_quotation(doc: &Document, sentence: usize) -> bool {
    doc.text[doc.sentences[sentence].span.clone()].contains(QUOTES)
}

/// "Rana notes:" followed by the quoted view in the next sentence or block.
fn introduces_quotation(doc: &Document, sentence: usize) -> bool {
    let text = doc.text[doc.sentences[sentence].span.clone()].trim_end();
    text.ends_with(':') && (sentence + 1 < doc.sentences.len()) && {
        let next = doc.text[doc.sentences[sentence + 1].span.clone()].trim_start();
        next.starts_with(QUOTES) || next.starts_with('↳') || next.starts_with('\'')
    }
}

fn hit_words(doc: &Document, h: &Hit) -> String {
    let a = doc.tokens[h.tokens.0 as usize].start as usize;
    let b = doc.tokens[h.tokens.1 as usize - 1].end as usize;
    doc.text[a..b]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words a hit matched, as the student spelled them.
pub fn found_as(doc: &Document, h: &Hit) -> String {
    hit_words(doc, h)
}

#[cfg(test)]
mod tests {
    fn status_of(text: &str, id: &str) -> super::Status {
        let rubric = crate::rubric::Rubric::builtin();
        let doc = crate::text::Document::from_plain_text(format!("Essay\n\n{text}\n"));
        let grade = super::grade(&rubric, &doc);
        let index = rubric.criteria.iter().position(|c| c.id == id).unwrap();
        grade.criteria[index].status
    }

    /// A view is attributed by a possessive ("Lodhi's view") or by a verb
    /// after an aside, however long the aside; a name with neither is only
    /// mentioned.
    #[test]
    fn possessive_views_and_verbs_after_an_aside_attribute() {
        use super::Status::{Met, Partial};
        let cases = [
            ("In Maleeha Lodhi's view, the way refugees are treated shapes diplomacy for decades.", "lodhi", Met),
            ("Maleeha Lodhi's book on diplomacy sits on many shelves in Islamabad today.", "lodhi", Partial),
            (
                "Muhammad Amir Rana, who has tracked militant violence for many years at a research institute in Islamabad, observes that the TTP returned stronger.",
                "amir-rana",
                Met,
            ),
            (
                "Muhammad Amir Rana, who has tracked militant violence for many years at a research institute in Islamabad, was interviewed on television about the TTP and its return.",
                "amir-rana",
                Partial,
            ),
        ];
        for (text, id, want) in cases {
            assert_eq!(status_of(text, id), want, "{text}");
        }
    }

    /// An argument is developed where it is made: a `develop` term in the
    /// same paragraph completes it, one in another paragraph does not.
    #[test]
    fn development_counts_in_the_paragraph_of_the_argument() {
        use super::Status::{Met, Partial};
        let isis = "ISIS-K has grown into a serious threat on the western frontier of the country.";
        let develop =
            "Its suicide bombings have killed hundreds of worshippers and political workers.";
        let other =
            "Trade through the northern crossings has fallen sharply since the closures began.";
        let same = format!("{isis} {develop}\n\n{other}");
        let apart = format!("{isis} {other}\n\n{develop}");
        assert_eq!(status_of(&same, "isis-k"), Met);
        assert_eq!(status_of(&apart, "isis-k"), Partial);
    }

    /// The windowed look-up finds exactly what a scan of every verb finds
    /// (it replaced that scan, which was quadratic on hostile essays).
    #[test]
    fn attributed_by_verb_matches_a_full_scan() {
        use super::{attributed_by_verb, near_tokens, Hit};
        let hit = |sentence: u32, start: u32, len: u32| Hit {
            sentence,
            tokens: (start, start + len),
            fuzzy: false,
        };
        // A deterministic spread of verbs (1-4 tokens) over 400 tokens.
        let mut verbs: Vec<Hit> = (0..120u32)
            .map(|i| {
                let start = (i * 37) % 400;
                hit(start / 25, start, 1 + i % 4)
            })
            .collect();
        verbs.sort_unstable_by_key(|r| r.tokens);
        let max_len = verbs.iter().map(|r| r.tokens.1 - r.tokens.0).max().unwrap();
        for start in 0..400u32 {
            for len in 1..3 {
                let h = hit(start / 25, start, len);
                let scan = verbs
                    .iter()
                    .any(|r| r.sentence == h.sentence && near_tokens(r, &h, 12));
                assert_eq!(attributed_by_verb(&verbs, max_len, &h), scan, "{h:?}");
            }
        }
        assert!(!attributed_by_verb(&[], 0, &hit(0, 5, 1)));
    }
}
