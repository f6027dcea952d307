//! What scoring knows about one essay before it looks at any criterion: the
//! title, how each sentence reads (argues, lists keywords, too thin), the
//! reference list, the reporting verbs and whether the essay is an outline.
//! Computed once per essay and shared by every rule.

use super::argument;
use super::trace::RuleInfo;
use super::GENERIC_WORD;
use crate::matching::{evaluate, Hit, Scan, CONTENT_WORD};
use crate::rubric::{Rubric, Rule};
use crate::text::{BlockKind, Document};

/// Sentences with fewer content words than this besides the keyword are too
/// thin to count as developing an argument ("TTP is a threat.").
pub(crate) const MIN_OWN_CONTENT_WORDS: usize = 3;

/// An essay with less than this share of its words in paragraphs (the rest
/// in bullet points) is an outline: its arguments are listed, not argued.
pub(crate) const OUTLINE_MAX_PROSE_SHARE: f64 = 0.25;

pub(crate) struct Context<'a> {
    pub doc: &'a Document,
    pub scan: &'a Scan,
    /// Whether rules record candidates and decisions (for `explain`).
    pub tracing: bool,
    /// Argument hits per criterion (lens/theme only), title excluded.
    pub argument_hits: Vec<Vec<Hit>>,
    /// Per sentence: whether it only lists keywords of several criteria.
    pub list_like: Vec<bool>,
    /// Per sentence: argues rather than names (see `substantive`).
    pub substantive: Vec<bool>,
    /// Per sentence: specific content words (not generic, see
    /// `argument::GENERIC`) not part of any criterion's hit.
    pub own_words: Vec<usize>,
    /// Per sentence: how many criteria (lens and theme) it names.
    pub criteria_per_sentence: Vec<u16>,
    /// Reporting-verb hits, shared by every scholar criterion, by position.
    pub reporting: Vec<Hit>,
    /// Blocks under a "References" heading.
    pub references: Vec<usize>,
    pub title_block: Option<usize>,
    /// The first block after the title and any name, byline or source
    /// lines above it.
    pub body_start: usize,
    /// Words in paragraphs and words in bullets, when the essay is an
    /// outline (see `OUTLINE_MAX_PROSE_SHARE`).
    pub outline: Option<(usize, usize)>,
    /// The blocks of the outline an answer opens with (a plan, before the
    /// prose), when it has one and is not an outline as a whole.
    pub outline_block: std::ops::Range<usize>,
    /// Per block: a bullet of a whole-outline essay written as a sentence
    /// (see `prose_like_item`), which argues rather than plans.
    pub prose_item: Vec<bool>,
    /// The question's own words (folded): those of the essay's title and
    /// the rubric's. Restating them says nothing of the essay's own
    /// ("This essay is about Taliban rule and Pakistan's western security
    /// dilemma.").
    pub title_words: Vec<String>,
    /// Per word number (`Scan::word_id`): 0 not yet looked up, else 1 +
    /// whether the word is one of `title_words`.
    title_word_of: Vec<std::cell::Cell<u8>>,
    /// When the essay negates most of its sentences: how many, of how many
    /// (see `stance::negating_essay`).
    pub negating: Option<(usize, usize)>,
}

impl<'a> Context<'a> {
    pub fn new(rubric: &'a Rubric, doc: &'a Document, scan: &'a Scan, tracing: bool) -> Self {
        let (title_block, body_start) = find_title(doc);
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
        // Counted only as far as any rule compares them: the keyword-list
        // test needs up to twice the criteria a sentence names, the others
        // `SELF_DEVELOPING_OWN_WORDS`. (A hash lookup per word otherwise.)
        let own_words: Vec<usize> = doc
            .sentences
            .iter()
            .zip(&criteria_per_sentence)
            .map(|(s, &n)| {
                let cap = (2 * n as usize).max(argument::SELF_DEVELOPING_OWN_WORDS);
                s.tokens
                    .clone()
                    .filter(|&t| !covered[t] && specific(scan.word_class[t]))
                    .take(cap)
                    .count()
            })
            .collect();
        let list_like: Vec<bool> = own_words
            .iter()
            .zip(&criteria_per_sentence)
            .zip(&doc.sentences)
            .map(|((&own, &n), s)| argument::is_keyword_list(doc, s, own, n as usize))
            .collect();
        let outline = outline_shares(doc);
        // An essay that is an outline as a whole is all plan; otherwise the
        // plan is the outline it opens with, if any.
        let outline_block = if outline.is_some() {
            body_start..doc.blocks.len()
        } else {
            opening_outline(doc, body_start)
        };
        // An answer written in bullets is not all plan: a bullet written as
        // a sentence ("Trade: Pak-Afghan trade has fallen and transit trade
        // has moved to Iran.") argues tersely. Only a whole-outline essay's
        // bullets are judged so; an opening outline is a plan, however full
        // its lines.
        let prose_item: Vec<bool> = if outline.is_some() {
            (0..doc.blocks.len())
                .map(|b| prose_like_item(doc, b))
                .collect()
        } else {
            vec![false; doc.blocks.len()]
        };
        let substantive: Vec<bool> = doc
            .sentences
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let kind = doc.blocks[s.block].kind;
                kind != BlockKind::Heading
                    && (kind != BlockKind::ListItem
                        || !outline_block.contains(&s.block)
                        || prose_item[s.block])
                    && !list_like[i]
                    && own_words[i] >= argument::own_words_needed(kind, s.tokens.len())
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
        // reach, not at every verb of the essay.
        reporting.sort_unstable_by_key(|r| r.tokens);
        let title_words = title_words(rubric, doc, title_block);
        Context {
            doc,
            scan,
            tracing,
            argument_hits,
            list_like,
            substantive,
            own_words,
            criteria_per_sentence,
            reporting,
            references: reference_blocks(doc),
            title_block,
            body_start,
            outline,
            outline_block,
            prose_item,
            title_words,
            title_word_of: vec![std::cell::Cell::new(0); scan.words],
            negating: super::stance::negating_essay(doc),
        }
    }

    /// Whether token `t` is a content word that is not generic: a word of
    /// the essay's own, unless a criterion's keyword or the question's.
    pub fn is_specific(&self, t: usize) -> bool {
        specific(self.scan.word_class[t])
    }

    /// Whether token `t` is a content word (not a stop word), as the scan
    /// classified it once per distinct word.
    pub fn is_content(&self, t: usize) -> bool {
        self.scan.word_class[t] & CONTENT_WORD != 0
    }

    /// Whether token `t` is one of the question's own words.
    pub fn is_title_word(&self, t: usize) -> bool {
        // Looked up once per distinct word of the essay.
        let known = &self.title_word_of[self.scan.word_id[t] as usize];
        match known.get() {
            0 => {
                let w = self.doc.fold(t);
                let is = self.title_words.iter().any(|x| x == w);
                known.set(1 + u8::from(is));
                is
            }
            k => k == 2,
        }
    }

    pub fn block_of(&self, sentence: u32) -> usize {
        self.doc.sentences[sentence as usize].block
    }

    pub fn is_heading(&self, sentence: u32) -> bool {
        self.doc.blocks[self.block_of(sentence)].kind == BlockKind::Heading
    }

    pub fn in_title(&self, sentence: u32) -> bool {
        Some(self.block_of(sentence)) == self.title_block
    }

    /// A sentence that argues rather than names: not a heading, not a
    /// keyword list, and with some words of its own.
    pub fn substantive(&self, sentence: u32) -> bool {
        self.substantive[sentence as usize]
    }

    /// A line of the plan: a list item or heading of the outline.
    pub fn in_outline_block(&self, sentence: u32) -> bool {
        let b = self.block_of(sentence);
        self.outline_block.contains(&b)
            && self.doc.blocks[b].kind != BlockKind::Paragraph
            && !self.prose_item[b]
    }

    /// The rule that keeps a sentence from arguing anything, whatever its
    /// words: a heading, the opening outline, a keyword list.
    pub fn why_not_base(&self, sentence: u32) -> Option<&'static RuleInfo> {
        if self.in_outline_block(sentence) {
            Some(&argument::OUTLINE_PLAN)
        } else if self.is_heading(sentence) {
            Some(&argument::HEADING)
        } else if self.list_like[sentence as usize] {
            Some(&argument::KEYWORD_LIST)
        } else {
            None
        }
    }

    /// A decision in words, built only when tracing.
    pub fn say(&self, f: impl FnOnce() -> String) -> String {
        if self.tracing {
            f()
        } else {
            String::new()
        }
    }
}

/// Whether a word of these classes is specific: a content word that is not
/// generic.
fn specific(class: u8) -> bool {
    class & (CONTENT_WORD | GENERIC_WORD) == CONTENT_WORD
}

/// Words a bullet needs to be written as a sentence rather than a note.
const PROSE_ITEM_MIN_WORDS: usize = 6;

/// Whether block `b` is a bullet written as a sentence: six words or more,
/// ending as a sentence ends. Notes ("TTP revival: sanctuaries in
/// Afghanistan, attacks in KP") and truncated lines do not.
fn prose_like_item(doc: &Document, b: usize) -> bool {
    let block = &doc.blocks[b];
    let words: usize = doc.block_sentences[b]
        .clone()
        .map(|s| doc.sentences[s].tokens.len())
        .sum();
    block.kind == BlockKind::ListItem
        && words >= PROSE_ITEM_MIN_WORDS
        && doc.text[block.span.clone()]
            .trim_end()
            .ends_with(['.', '!', '?', ';'])
}

/// The folded words of the essay's title and of the rubric's title, each
/// once (a handful: looked up linearly).
fn title_words(rubric: &Rubric, doc: &Document, title_block: Option<usize>) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut add = |w: String| {
        if !w.is_empty() && !words.contains(&w) {
            words.push(w);
        }
    };
    if let Some(b) = title_block {
        for s in doc.sentences.iter().filter(|s| s.block == b) {
            for t in s.tokens.clone() {
                add(doc.fold(t).to_string());
            }
        }
    }
    // Folded as the tokenizer folds: lower case, apostrophes dropped.
    for w in rubric
        .title
        .to_lowercase()
        .replace(['\'', '’'], "")
        .split(|c: char| !c.is_alphanumeric())
    {
        add(w.to_string());
    }
    words
}

/// Lines above the title a student or a copy-paste may add: a name, a roll
/// number, a byline, a date, a source.
const PREAMBLE: &[&str] = &[
    "name",
    "student",
    "candidate",
    "roll",
    "by ",
    "written by",
    "author",
    "source",
    "date",
    "submitted",
    "class",
    "section:",
    "reg",
    "id:",
];

/// Longest line (tokens) that can be a preamble line or a question title.
const PREAMBLE_MAX_TOKENS: usize = 12;
const QUESTION_TITLE_MAX_TOKENS: usize = 25;

/// The title block and the first block of the body. Name, byline and
/// source lines before the title are skipped (they are neither title nor
/// heading); a title may be a heading or a one-line question ending in "?".
fn find_title(doc: &Document) -> (Option<usize>, usize) {
    let tokens = |i: usize| -> usize {
        doc.block_sentences[i]
            .clone()
            .map(|s| doc.sentences[s].tokens.len())
            .sum()
    };
    let mut first = 0;
    while first < doc.blocks.len().min(3) && tokens(first) <= PREAMBLE_MAX_TOKENS && {
        let t = doc
            .plain(doc.blocks[first].span.clone())
            .trim_start()
            .to_lowercase();
        PREAMBLE.iter().any(|p| t.starts_with(p))
    } {
        first += 1;
    }
    let Some(b) = doc.blocks.get(first) else {
        return (None, first);
    };
    let plain = doc.plain(b.span.clone());
    let text = plain.trim();
    let title = match b.kind {
        BlockKind::Heading => !is_section_word(text),
        BlockKind::Paragraph => {
            text.ends_with('?')
                && doc.block_sentences[first].len() <= 2
                && tokens(first) <= QUESTION_TITLE_MAX_TOKENS
                && doc.blocks.len() > first + 1
        }
        _ => false,
    };
    if title {
        (Some(first), first + 1)
    } else {
        (None, first)
    }
}

/// Words a paragraph needs to be the start of the prose after an outline.
const PROSE_PARAGRAPH_WORDS: usize = 25;

/// List items (or an "Outline" heading) before the prose that make the
/// opening blocks an outline.
const OUTLINE_MIN_ITEMS: usize = 3;

/// The opening outline: the blocks after the title and before the first
/// paragraph of prose, when they hold a few list items or an "Outline"
/// heading. The heading right above the first paragraph ("Introduction")
/// belongs to the essay, not to the plan.
pub(crate) fn opening_outline(doc: &Document, start: usize) -> std::ops::Range<usize> {
    let words = |i: usize| -> usize {
        doc.block_sentences[i]
            .clone()
            .map(|s| doc.sentences[s].tokens.len())
            .sum()
    };
    let Some(first_prose) = (start..doc.blocks.len())
        .find(|&i| doc.blocks[i].kind == BlockKind::Paragraph && words(i) >= PROSE_PARAGRAPH_WORDS)
    else {
        return 0..0;
    };
    let mut end = first_prose;
    if end > start && doc.blocks[end - 1].kind == BlockKind::Heading {
        end -= 1;
    }
    let items = (start..end)
        .filter(|&i| doc.blocks[i].kind == BlockKind::ListItem)
        .count();
    let named = (start..end).any(|i| {
        doc.blocks[i].kind == BlockKind::Heading
            && doc
                .plain(doc.blocks[i].span.clone())
                .to_lowercase()
                .contains("outline")
    });
    // A plan comes before an essay longer than itself: bullet notes with a
    // shorter paragraph after them are notes, not the plan of that
    // paragraph (else one paragraph added to an answer in bullets would
    // take the credit of every bullet).
    let outline_words: usize = (start..end).map(words).sum();
    let essay_words: usize = (end..doc.blocks.len()).map(words).sum();
    if (items >= OUTLINE_MIN_ITEMS || named) && outline_words < essay_words {
        start..end
    } else {
        0..0
    }
}

/// Blocks under a "References" / "Bibliography" heading.
fn reference_blocks(doc: &Document) -> Vec<usize> {
    let mut out = Vec::new();
    let mut in_refs = false;
    for (i, b) in doc.blocks.iter().enumerate() {
        if b.kind == BlockKind::Heading {
            let t = doc.plain(b.span.clone()).trim().to_lowercase();
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

fn is_section_word(heading: &str) -> bool {
    let t = heading.trim().to_lowercase();
    ["introduction", "outline", "conclusion"]
        .iter()
        .any(|k| t.starts_with(k))
}
