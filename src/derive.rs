//! `essaymark rubric derive MODEL`: draft a complete rubric from a model
//! answer. The model's headings become sections; each argument (a
//! sub-heading, or a bullet group / substantial list item) becomes a
//! criterion whose phrases are the argument's key terms (acronyms,
//! capitalised names, and content n-grams that are frequent in the argument
//! but not common English and not spread over the whole essay); people the
//! model introduces with a reporting verb or a quotation become scholars; a
//! lens is proposed when the model uses a framework from the built-in lexicon
//! (`src/data/lenses.txt`); structure criteria come from what the model has.
//!
//! The draft is then checked against the model itself: it must load, and
//! every criterion must be met by the answer it was drawn from. An argument
//! the model makes in a single sentence gets `min_hits: 1`; a criterion the
//! model does not meet at all is dropped (it was not really in the model).
//! Data (lenses, background words) lives in `src/data/`, apart from the engine.

use crate::lint::phrases_overlap;
use crate::matching::{inflect, PhraseSetBuilder};
use crate::rubric::{load_str, Kind, Rubric, REPORTING_VERBS};
use crate::scoring::{self, Status};
use crate::text::is_stop_word;
use crate::text::{fold_token, BlockKind, Document};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::OnceLock;

const BACKGROUND: &str = include_str!("data/background.txt");
const LENSES: &str = include_str!("data/lenses.txt");

/// Match phrases kept per criterion (the best-scoring key terms).
const MATCH_PHRASES: usize = 6;
/// Fewer central terms than this: passing details fill the criterion up.
const MIN_PHRASES: usize = 3;
/// `develop` terms kept per criterion.
const DEVELOP_TERMS: usize = 8;
/// A term found in more than this share of the arguments is the essay's
/// topic, not any one argument's (with at least `MIN_SPREAD` arguments).
const TOPIC_SHARE: f64 = 0.3;
const MIN_SPREAD: usize = 2;
/// Word-count margin around the model's length.
const WORD_MARGIN: f64 = 0.25;

/// The background word list (`src/data/background.txt`), parsed once; the
/// benchmark corpus draws students' own words from it too.
pub(crate) fn background_words() -> &'static [&'static str] {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        BACKGROUND
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

fn background() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| background_words().iter().copied().collect())
}

/// Whether a folded word (or an inflection of one) is common English that
/// says nothing about a topic.
pub fn is_common_word(word: &str) -> bool {
    let bg = background();
    if bg.contains(word) {
        return true;
    }
    // "effects" → "effect", "studies" → "study", "improved" → "improve".
    let strip = |suffix: &str| word.strip_suffix(suffix).filter(|s| s.len() >= 3);
    [
        strip("s").map(str::to_string),
        strip("es").map(str::to_string),
        strip("ies").map(|s| format!("{s}y")),
        strip("ed").map(str::to_string),
        strip("d").map(str::to_string),
        strip("ing").map(str::to_string),
        strip("ing").map(|s| format!("{s}e")),
    ]
    .into_iter()
    .flatten()
    .any(|b| bg.contains(b.as_str()))
}

/// A lens from the built-in lexicon.
#[derive(Debug, Clone, PartialEq)]
pub struct Lens {
    pub id: String,
    pub title: String,
    pub triggers: Vec<String>,
    pub develop: Vec<String>,
    pub feedback: String,
}

/// The built-in lens lexicon (see `src/data/lenses.txt` for the format).
pub fn lenses() -> Vec<Lens> {
    LENSES
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split(" | ").map(str::trim).collect();
            let list = |s: &str| -> Vec<String> {
                s.split(',')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect()
            };
            (f.len() == 5).then(|| Lens {
                id: f[0].to_string(),
                title: f[1].to_string(),
                triggers: list(f[2]),
                develop: list(f[3]),
                feedback: f[4].to_string(),
            })
        })
        .collect()
}

/// What `derive` drafted, and how the model scores against it.
#[derive(Debug, Clone)]
pub struct Draft {
    pub yaml: String,
    pub rubric_id: String,
    /// The model answer's score against the draft (0-100).
    pub score: f64,
    pub sections: usize,
    pub criteria: usize,
    pub lenses: Vec<String>,
    pub scholars: usize,
    pub structure: usize,
    /// Criteria given `min_hits: 1` because the model argues them once.
    pub single_sentence: Vec<String>,
    /// Criteria dropped because the model itself does not meet them.
    pub dropped: Vec<String>,
}

/// Options for [`derive`].
#[derive(Debug, Clone, Default)]
pub struct DeriveOptions {
    /// The rubric id (default: from the model's title, else its file name).
    pub id: Option<String>,
    /// The model's file name, for the header comment and a fallback id.
    pub source: String,
    /// The model's raw file text when it is Markdown: heading levels come
    /// from its `#` marks.
    pub markdown_source: Option<String>,
}

/// Draft a rubric from a model answer.
pub fn derive(doc: &Document, opts: &DeriveOptions) -> Result<Draft, String> {
    if doc.word_count() < 30 {
        return Err(
            "the model answer is too short to derive a rubric from (under 30 words)".into(),
        );
    }
    let outline = Outline::build(doc, opts.markdown_source.as_deref());
    let mut draft = DraftRubric::new(doc, &outline, opts);
    // Check the draft against the model it came from, at most three rounds:
    // each round only relaxes or removes criteria, so it converges.
    let mut single = Vec::new();
    let mut dropped = Vec::new();
    let mut score = 0.0;
    for _ in 0..3 {
        let yaml = draft.to_yaml(opts, None);
        let rubric = load_str(&yaml, "draft").map_err(|e| {
            format!("internal error: the drafted rubric does not load ({e}); please report this with the model answer")
        })?;
        let grade = scoring::grade(&rubric, doc);
        score = grade.score;
        let mut changed = false;
        for s in &grade.criteria {
            let id = &rubric.criteria[s.criterion].id;
            match (s.status, draft.find(id)) {
                (Status::Met, _) | (_, None) => {}
                (Status::Partial, Some(c)) if c.is_argument() && c.min_hits.is_none() => {
                    c.min_hits = Some(1);
                    single.push(id.clone());
                    changed = true;
                }
                (Status::Partial, Some(_)) => {}
                (Status::Missing, Some(_)) => {
                    draft.remove(id);
                    dropped.push(id.clone());
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let yaml = draft.to_yaml(opts, Some((score, doc.word_count())));
    // The header comment changed nothing that loads, but be sure.
    let rubric = load_str(&yaml, "draft")
        .map_err(|e| format!("internal error: the drafted rubric does not load ({e})"))?;
    let count = |k: Kind| rubric.criteria.iter().filter(|c| c.kind == k).count();
    Ok(Draft {
        rubric_id: rubric.id.clone(),
        score: scoring::grade(&rubric, doc).score,
        sections: rubric.sections.len(),
        criteria: rubric.criteria.len(),
        lenses: draft.lenses.clone(),
        scholars: count(Kind::Scholar),
        structure: count(Kind::Structure),
        single_sentence: single,
        dropped,
        yaml,
    })
}

// ---------------------------------------------------------------------------
// Outline: the model's sections and arguments.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Intro,
    Conclusion,
    References,
    Outline,
    Scholars,
    Lens,
    Theme,
}

#[derive(Debug, Clone)]
struct Unit {
    title: String,
    level: u8,
    role: Role,
    /// The heading (or heading-like paragraph) block, if any.
    head: Option<usize>,
    body: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Argument {
    title: String,
    /// Blocks whose sentences make the argument (heading included).
    blocks: Vec<usize>,
    /// Blocks that are the argument's heading (key terms there weigh more).
    head: Option<usize>,
    line: usize,
}

#[derive(Debug, Clone)]
struct SectionOutline {
    title: String,
    role: Role,
    arguments: Vec<Argument>,
}

#[derive(Debug, Clone)]
struct Outline {
    /// The title as written (not shortened), for the rubric's `title`.
    full_title: Option<String>,
    title_block: Option<usize>,
    sections: Vec<SectionOutline>,
}

fn block_text(doc: &Document, b: usize) -> &str {
    doc.text[doc.blocks[b].span.clone()].trim()
}

/// "(IV)", "II.", "3)", "10": a heading that only numbers what follows.
fn is_marker(text: &str) -> bool {
    let core: String = text
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '.' | ':' | ' ' | '-'))
        .collect();
    !core.is_empty()
        && (core.chars().all(|c| c.is_ascii_digit())
            || core.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L')))
}

/// A heading that starts with a section enumerator: "(I) ...", "II. ...", "2. ...", "Part 2".
fn is_enumerated(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    let lower = first.to_lowercase();
    if lower == "part" || lower == "section" || lower == "chapter" {
        return true;
    }
    let core = first
        .trim_start_matches('(')
        .trim_end_matches(['.', ')', ':']);
    core.len() < first.len()
        && !core.is_empty()
        && (core.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
            || (core.len() <= 2 && core.chars().all(|c| c.is_ascii_digit())))
}

/// Strip enumerators, markup residue and trailing punctuation from a heading.
fn clean_title(text: &str) -> String {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    if words
        .first()
        .is_some_and(|w| is_enumerated(w) || is_marker(w))
    {
        words.remove(0);
    }
    let t = words.join(" ");
    let t = t.trim_matches(|c: char| matches!(c, '.' | ':' | ';' | ',' | '-' | '#' | '*' | ' '));
    let mut out = String::new();
    for w in t.split_whitespace() {
        if out.chars().count() + w.chars().count() > 90 {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn role_of(title: &str) -> Role {
    let t = title.to_lowercase();
    let starts = |k: &str| t.starts_with(k);
    if starts("introduc") {
        Role::Intro
    } else if starts("conclu") || starts("in conclusion") || starts("summing up") {
        Role::Conclusion
    } else if [
        "references",
        "bibliography",
        "works cited",
        "sources",
        "further reading",
    ]
    .iter()
    .any(|k| starts(k))
    {
        Role::References
    } else if starts("outline") {
        Role::Outline
    } else if t.contains("scholar") {
        Role::Scholars
    } else if ["lens", "theoretical", "theory", "framework", "perspective"]
        .iter()
        .any(|k| t.contains(k))
    {
        Role::Lens
    } else {
        Role::Theme
    }
}

/// Words of the essay's title (folded): the topic, not any one argument.
fn words_of(text: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    for w in fold_token(text) {
        // "Pakistan's" folds to "pakistans": keep "pakistan" too.
        if let Some(base) = w.strip_suffix('s').filter(|b| b.len() >= 3) {
            out.insert(base.to_string());
        }
        out.insert(w);
    }
    out
}

impl Outline {
    fn build(doc: &Document, markdown: Option<&str>) -> Outline {
        let title_block = doc
            .blocks
            .first()
            .filter(|b| b.kind == BlockKind::Heading)
            .filter(|_| role_of(block_text(doc, 0)) == Role::Theme)
            .map(|_| 0);
        let title = title_block.map(|b| clean_title(block_text(doc, b)));
        let title_words = title.as_deref().map(words_of).unwrap_or_default();
        let md_levels = markdown.map(|src| markdown_levels(doc, src));
        // The shallowest Markdown heading level below the title: sections.
        let section_level = md_levels.as_ref().and_then(|levels| {
            levels
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != title_block)
                .filter_map(|(_, l)| *l)
                .min()
        });

        let mut units: Vec<Unit> = Vec::new();
        let mut colon_run = false;
        // Blocks seen since the colon that opened the run.
        let mut run_items = 0;
        let mut pending_l1 = false;
        for (i, block) in doc.blocks.iter().enumerate() {
            if Some(i) == title_block {
                continue;
            }
            let text = block_text(doc, i);
            let new_unit = |title: String, level: u8, units: &mut Vec<Unit>| {
                units.push(Unit {
                    role: role_of(&title),
                    title,
                    level,
                    head: Some(i),
                    body: Vec::new(),
                });
            };
            match block.kind {
                BlockKind::Heading => {
                    if is_marker(text) {
                        pending_l1 = true;
                        continue;
                    }
                    let role = role_of(text);
                    // A title-cased heading of four or more words after the
                    // list has begun is a new heading, not one more line.
                    let breaks_run = run_items > 0
                        && text.split_whitespace().count() >= 4
                        && is_title_case(text);
                    if colon_run && role == Role::Theme && !is_enumerated(text) && !breaks_run {
                        run_items += 1;
                        // A line under "Effects inside Pakistan:" is a list line.
                        push_body(&mut units, i);
                        continue;
                    }
                    let level = match (md_levels.as_ref(), section_level) {
                        (Some(levels), Some(sl)) => {
                            if levels[i].is_some_and(|l| l <= sl) {
                                1
                            } else {
                                2
                            }
                        }
                        _ => {
                            if pending_l1
                                || is_enumerated(text)
                                || role != Role::Theme
                                || is_all_caps(text)
                            {
                                1
                            } else {
                                2
                            }
                        }
                    };
                    pending_l1 = false;
                    colon_run = false;
                    new_unit(clean_title(text), level, &mut units);
                }
                BlockKind::Paragraph if !colon_run && pseudo_heading(text) => {
                    new_unit(clean_title(text), 2, &mut units);
                }
                BlockKind::Paragraph
                    if !colon_run
                        && !units.is_empty()
                        && colon_lead_heading(text, &title_words) =>
                {
                    new_unit(clean_title(text), 2, &mut units);
                    colon_run = true;
                    run_items = 0;
                }
                _ => {
                    push_body(&mut units, i);
                    if colon_run {
                        run_items += 1;
                    }
                    if block.kind == BlockKind::Paragraph {
                        let short_line = text.split_whitespace().count() <= 6
                            && !text.ends_with(['.', '!', '?', '"', '”']);
                        if text.ends_with(':') {
                            colon_run = true;
                            run_items = 0;
                        } else if !short_line {
                            colon_run = false;
                        }
                    }
                }
            }
        }
        // Headings before the first numbered section (after the
        // introduction) are sections of their own; so is everything in an
        // essay whose headings are all one level.
        let themes_l1 = units
            .iter()
            .any(|u| u.level == 1 && matches!(u.role, Role::Theme | Role::Lens));
        let mut seen_l1_theme = false;
        for u in &mut units {
            if u.level == 1 && matches!(u.role, Role::Theme | Role::Lens) {
                seen_l1_theme = true;
            }
            if !themes_l1 || (!seen_l1_theme && u.level == 2) {
                u.level = 1;
            }
        }

        let mut sections: Vec<SectionOutline> = Vec::new();
        for u in units {
            if u.level == 1 || sections.is_empty() {
                let mut s = SectionOutline {
                    title: u.title.clone(),
                    role: u.role,
                    arguments: Vec::new(),
                };
                let direct = Argument {
                    title: u.title.clone(),
                    blocks: u.head.into_iter().chain(u.body.iter().copied()).collect(),
                    head: u.head,
                    line: line_of(doc, u.head.or(u.body.first().copied()).unwrap_or(0)),
                };
                s.arguments.push(direct);
                sections.push(s);
            } else if let Some(s) = sections.last_mut() {
                s.arguments.push(Argument {
                    title: u.title.clone(),
                    blocks: u.head.into_iter().chain(u.body.iter().copied()).collect(),
                    head: u.head,
                    line: line_of(doc, u.head.unwrap_or(0)),
                });
            }
        }
        // A section's own text before its first sub-heading is an argument
        // only when it says something; a section without sub-headings is
        // split into its substantial list items when it has them.
        for s in &mut sections {
            let direct = s.arguments.remove(0);
            let body_words: usize = direct
                .blocks
                .iter()
                .filter(|&&b| Some(b) != direct.head)
                .map(|&b| content_words(doc, b))
                .sum();
            if s.arguments.is_empty() {
                let items: Vec<usize> = direct
                    .blocks
                    .iter()
                    .copied()
                    .filter(|&b| {
                        doc.blocks[b].kind == BlockKind::ListItem && content_words(doc, b) >= 8
                    })
                    .collect();
                if items.len() >= 2 && s.role == Role::Theme {
                    for b in items {
                        s.arguments.push(Argument {
                            title: item_title(block_text(doc, b)),
                            blocks: vec![b],
                            head: None,
                            line: line_of(doc, b),
                        });
                    }
                } else {
                    s.arguments.push(direct);
                }
            } else if body_words >= 15 {
                s.arguments.insert(0, direct);
            }
        }
        Outline {
            full_title: title_block.map(|b| {
                block_text(doc, b)
                    .trim_matches(|c: char| matches!(c, '#' | '.' | ' '))
                    .to_string()
            }),
            title_block,
            sections,
        }
    }
}

fn push_body(units: &mut [Unit], block: usize) {
    if let Some(u) = units.last_mut() {
        u.body.push(block);
    }
}

fn line_of(doc: &Document, block: usize) -> usize {
    doc.blocks
        .get(block)
        .map_or(1, |b| doc.origin.line_col(&doc.text, b.span.start).line)
}

/// Most content words capitalised, as in a title.
fn is_title_case(text: &str) -> bool {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty() && !is_stop_word(&w.to_lowercase()))
        .collect();
    let capital = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    capital >= 2 && capital * 10 >= words.len() * 6
}

fn is_all_caps(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase())
}

/// "Refugee Presence: From humanitarian issues to security stress." — a
/// short stand-alone line with a capitalised label before a colon.
fn pseudo_heading(text: &str) -> bool {
    if text.contains('\n') || text.split_whitespace().count() > 14 || text.ends_with(':') {
        return false;
    }
    let Some((label, rest)) = text.split_once(": ") else {
        return false;
    };
    let words: Vec<&str> = label.split_whitespace().collect();
    !rest.trim().is_empty()
        && (1..=5).contains(&words.len())
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric())
        })
}

/// "Strategic options for Pakistan:" — a short title-like line that leads
/// a list, naming something the essay's title does not.
fn colon_lead_heading(text: &str, title_words: &HashSet<String>) -> bool {
    let Some(lead) = text.strip_suffix(':') else {
        return false;
    };
    let words: Vec<&str> = lead.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 || lead.contains('\n') {
        return false;
    }
    let last_capital = words
        .last()
        .and_then(|w| w.chars().next())
        .is_some_and(char::is_uppercase);
    let specific = fold_token(lead).iter().any(|w| {
        w.len() >= 4 && !is_stop_word(w) && !is_common_word(w) && !title_words.contains(w)
    });
    last_capital && specific
}

fn content_words(doc: &Document, block: usize) -> usize {
    doc.block_sentences[block]
        .clone()
        .flat_map(|s| doc.sentences[s].tokens.clone())
        .filter(|&t| {
            let w = doc.fold(t);
            w.len() > 2 && !is_stop_word(w)
        })
        .count()
}

/// A list item's title: its first sentence or clause, up to ten words.
fn item_title(text: &str) -> String {
    let first = text
        .split(['.', ':', ';'])
        .next()
        .unwrap_or(text)
        .trim_matches(|c: char| !c.is_alphanumeric());
    let words: Vec<&str> = first.split_whitespace().take(10).collect();
    clean_title(&words.join(" "))
}

/// Markdown heading levels (`#` count, or 1/2 for underlined headings) of
/// heading blocks, read from the source lines the blocks map back to.
fn markdown_levels(doc: &Document, source: &str) -> Vec<Option<u8>> {
    let lines: Vec<&str> = source.lines().collect();
    doc.blocks
        .iter()
        .map(|b| {
            if b.kind != BlockKind::Heading {
                return None;
            }
            let line = doc.origin.line_col(&doc.text, b.span.start).line;
            let raw = lines.get(line.checked_sub(1)?)?.trim_start();
            let hashes = raw.chars().take_while(|&c| c == '#').count();
            if hashes > 0 {
                return Some(hashes.min(6) as u8);
            }
            let under = lines.get(line).map(|l| l.trim()).unwrap_or("");
            if !under.is_empty() && under.chars().all(|c| c == '=') {
                Some(1)
            } else if !under.is_empty() && under.chars().all(|c| c == '-') {
                Some(2)
            } else {
                Some(3)
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Key terms.

#[derive(Debug, Clone)]
struct Candidate {
    /// As it will be written in the rubric.
    text: String,
    score: f64,
    /// Named in the heading or said more than once: what the argument is
    /// about rather than a passing detail.
    central: bool,
}

/// The forms of a term that count as one (plural, possessive): grouping key.
fn term_key(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            let w = w.strip_suffix("ies").map_or_else(
                || {
                    w.strip_suffix('s')
                        .filter(|s| s.len() >= 3 && !s.ends_with('s'))
                        .unwrap_or(w)
                        .to_string()
                },
                |s| format!("{s}y"),
            );
            w
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A raw word that is an acronym: "TTP", "ISIS-K", "CPEC", "SDGs".
fn is_acronym(raw: &str) -> bool {
    let letters: Vec<char> = raw.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    upper >= 2
        && upper * 10 >= letters.len() * 7
        && raw.chars().all(|c| c.is_alphanumeric() || c == '-')
        && !raw.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
}

fn trim_word(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'' && c != '’')
        .trim_end_matches(['\'', '’'])
        .trim_end_matches("'s")
        .trim_end_matches("’s")
        .trim_matches('-')
}

/// Words that only frame a name ("Dr", "Lt. Gen (R)") and never belong to it.
const HONORIFICS: &[&str] = &[
    "dr",
    "prof",
    "professor",
    "mr",
    "mrs",
    "ms",
    "sir",
    "lt",
    "gen",
    "general",
    "r",
    "retd",
    "col",
    "colonel",
    "maj",
    "major",
    "brig",
    "ambassador",
    "justice",
    "senator",
    "president",
    "minister",
    "as",
    "according",
    "while",
    "when",
    "scholar",
    "analyst",
    "writer",
    "author",
];

/// A key-term candidate of one argument.
#[derive(Debug, Clone)]
struct Found {
    /// As it will be written in the rubric.
    text: String,
    /// Weighted occurrences (heading occurrences weigh more).
    tf: f64,
    /// Named in the argument's own heading.
    in_heading: bool,
    /// Plain occurrences.
    count: usize,
}

/// The pieces of text of a block that terms may not cross: its sentences,
/// or a table row's cells.
fn pieces(doc: &Document, b: usize) -> Vec<&str> {
    let block = &doc.blocks[b];
    if block.kind == BlockKind::TableRow && !block.cells.is_empty() {
        return block
            .cells
            .iter()
            .filter_map(|c| doc.text.get(c.clone()))
            .map(|t| t.trim_start_matches(['→', '-', '•', ' ']))
            .collect();
    }
    doc.block_sentences[b]
        .clone()
        .map(|s| &doc.text[doc.sentences[s].span.clone()])
        .collect()
}

/// Key terms of one argument: acronyms, capitalised names (outside
/// headings, where every word is capitalised) and content n-grams.
fn candidates(
    doc: &Document,
    arg: &Argument,
    title_words: &HashSet<String>,
    exclude_words: &HashSet<String>,
) -> HashMap<String, Found> {
    let mut found: HashMap<String, Found> = HashMap::new();
    let mut add = |words: &[String], text: String, weight: f64, heading: bool| {
        let e = found.entry(term_key(words)).or_insert(Found {
            text,
            tf: 0.0,
            in_heading: false,
            count: 0,
        });
        e.tf += weight;
        e.count += 1;
        e.in_heading |= heading;
    };
    let topical = |w: &str| title_words.contains(w);
    for &b in &arg.blocks {
        let heading = Some(b) == arg.head || doc.blocks[b].kind == BlockKind::Heading;
        let weight = if heading { 3.0 } else { 1.0 };
        for piece in pieces(doc, b) {
            // Acronyms and names, from the raw words. A comma, colon or
            // semicolon ends a name ("Targets Pakistan, China").
            let mut run: Vec<&str> = Vec::new();
            let mut at_start = true;
            let mut names: Vec<(Vec<&str>, bool)> = Vec::new();
            for (i, raw) in piece.split_whitespace().enumerate() {
                let w = trim_word(raw);
                let ends = raw.ends_with([',', ';', ':', '.', ')']);
                if w.is_empty() {
                    continue;
                }
                if is_acronym(w) {
                    let words = fold_token(w);
                    let alpha = w.chars().filter(|c| c.is_alphabetic()).count();
                    if alpha >= 3 && !words.iter().all(|x| topical(x)) {
                        add(&words, w.to_string(), weight * 2.0, heading);
                    }
                    names.push((std::mem::take(&mut run), at_start));
                    continue;
                }
                let capital = w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars().skip(1).any(char::is_lowercase);
                if capital {
                    if run.is_empty() {
                        at_start = i == 0;
                    }
                    run.push(w);
                }
                if !capital || ends {
                    names.push((std::mem::take(&mut run), at_start));
                }
            }
            names.push((run, at_start));
            if !heading {
                for (mut run, at_start) in names {
                    // Honorifics, function words and common words at the
                    // edges ("As", "Targets") are not part of a name.
                    let edge = |w: &&str| {
                        let l = w.to_lowercase();
                        HONORIFICS.contains(&l.as_str()) || is_stop_word(&l) || is_common_word(&l)
                    };
                    while run.first().is_some_and(edge) {
                        run.remove(0);
                    }
                    while run.last().is_some_and(edge) {
                        run.pop();
                    }
                    let words: Vec<String> = run.iter().flat_map(|w| fold_token(w)).collect();
                    let ok = (2..=4).contains(&run.len()) || (run.len() == 1 && !at_start);
                    if ok
                        && !words.iter().all(|w| topical(w))
                        && !words
                            .iter()
                            .any(|w| exclude_words.contains(w) || w.len() < 3)
                    {
                        add(&words, run.join(" "), weight * 1.5, heading);
                    }
                }
            }

            // Content n-grams. Multi-word terms start and end on a content
            // word that is neither the essay's topic nor common English at
            // the end (the head noun), and never span a stop word.
            let toks = fold_token(piece);
            let content = |w: &str| {
                w.len() >= 3
                    && !is_stop_word(w)
                    && !w.chars().all(|c| c.is_ascii_digit())
                    && !exclude_words.contains(w)
            };
            for n in 1..=3 {
                for win in toks.windows(n) {
                    if !win.iter().all(|w| content(w)) {
                        continue;
                    }
                    let (first, last) = (&win[0], &win[n - 1]);
                    let ok = if n == 1 {
                        first.len() >= 5 && !is_common_word(first) && !topical(first)
                    } else {
                        !topical(first)
                            && !topical(last)
                            && !is_common_word(last)
                            && (n == 2 || !is_common_word(first))
                    };
                    if !ok {
                        continue;
                    }
                    // A trigram must recur (or head the argument) to beat
                    // the bigrams inside it.
                    let w = weight
                        * if n == 3 {
                            1.2
                        } else {
                            1.0 + 0.4 * (n - 1) as f64
                        };
                    add(win, wildcard_form(win), w, heading);
                }
            }
        }
    }
    // One-off trigrams from the body are usually a clause, not a term, and
    // so is a one-off pair led by a common word ("becomes dangerous").
    found.retain(|k, f| {
        let central = f.in_heading || f.count >= 2;
        let words: Vec<&str> = k.split(' ').collect();
        match words.len() {
            1 => true,
            2 => central || !is_common_word(words[0]),
            _ => central,
        }
    });
    found
}

/// "youth radicalization" → "youth radicali*": British and American
/// spellings (-isation / -ization) both match.
fn wildcard_form(words: &[String]) -> String {
    let mut out = words.to_vec();
    if let Some(last) = out.last_mut() {
        for suffix in [
            "ization", "isation", "izations", "isations", "izes", "ises", "ized", "ised", "izing",
            "ising", "ize", "ise",
        ] {
            if let Some(stem) = last.strip_suffix(suffix) {
                if stem.len() >= 5
                    && suffix.len() >= 3
                    && (suffix.contains('z')
                        || suffix.starts_with("isation")
                        || suffix.starts_with("ise"))
                {
                    *last = format!("{stem}i*");
                }
                break;
            }
        }
    }
    out.join(" ")
}

// ---------------------------------------------------------------------------
// The draft rubric.

#[derive(Debug, Clone)]
enum Body {
    Argument {
        matcher: Vec<String>,
        develop: Vec<String>,
    },
    Scholar {
        name: String,
        aliases: Vec<String>,
    },
    Structure(String),
}

#[derive(Debug, Clone)]
struct DraftCriterion {
    id: String,
    title: String,
    points: f64,
    feedback: String,
    body: Body,
    min_hits: Option<u32>,
    /// Where it came from, for a comment.
    origin: String,
}

impl DraftCriterion {
    fn is_argument(&self) -> bool {
        matches!(self.body, Body::Argument { .. })
    }
}

#[derive(Debug, Clone)]
struct DraftSection {
    id: String,
    title: String,
    kind: Kind,
    criteria: Vec<DraftCriterion>,
}

#[derive(Debug, Clone)]
struct DraftRubric {
    id: String,
    title: String,
    sections: Vec<DraftSection>,
    lenses: Vec<String>,
}

fn slug(text: &str, max_words: usize) -> String {
    let words: Vec<String> = fold_token(text)
        .into_iter()
        .filter(|w| !is_stop_word(w))
        .map(|w| {
            w.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .take(max_words)
        .collect();
    let mut s = words.join("-");
    s.truncate(48);
    s.trim_end_matches('-').to_string()
}

fn unique(id: String, used: &mut HashSet<String>, fallback: &str) -> String {
    let base = if id.is_empty() {
        fallback.to_string()
    } else {
        id
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

/// A person's name from raw words: honorifics and function words dropped,
/// two to four capitalised words, none of them the essay's topic or common
/// English ("Pakistan warns" is not a person).
fn person_name(raw: &[&str], title_words: &HashSet<String>) -> Option<String> {
    let words: Vec<&str> = raw
        .iter()
        .map(|w| trim_word(w))
        .filter(|w| {
            let l = w.to_lowercase();
            let l = l.trim_end_matches('.');
            !w.is_empty() && !HONORIFICS.contains(&l) && !is_stop_word(l)
        })
        .collect();
    let capitalised = words.iter().all(|w| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().skip(1).any(char::is_lowercase)
    });
    let folded: Vec<String> = words.iter().flat_map(|w| fold_token(w)).collect();
    let plausible = (2..=4).contains(&words.len())
        && capitalised
        && folded
            .iter()
            .all(|w| w.len() >= 2 && !title_words.contains(w) && !is_common_word(w));
    plausible.then(|| words.join(" "))
}

/// Names the model attributes a view to: "As Stephen Walt explains",
/// "according to Maleeha Lodhi", or "Amir Rana:" over a quotation.
fn scholars(doc: &Document, title_words: &HashSet<String>) -> Vec<(String, usize)> {
    let verbs: Vec<String> = REPORTING_VERBS
        .iter()
        .filter(|v| !v.contains(' '))
        .flat_map(|v| inflect::forms(v))
        .collect();
    let mut out: Vec<(String, usize)> = Vec::new();
    for (si, s) in doc.sentences.iter().enumerate() {
        let text = doc.text[s.span.clone()].trim();
        let raw: Vec<&str> = text.split_whitespace().collect();
        let mut names: Vec<String> = Vec::new();
        // "Name:" alone, with the quotation on the next line.
        let next_is_quote = doc
            .sentences
            .get(si + 1)
            .map(|n| doc.text[n.span.clone()].trim_start())
            .is_some_and(|n| n.starts_with(['"', '“', '\'', '↳']));
        if let Some(lead) = text.strip_suffix(':').filter(|_| next_is_quote) {
            let lead: Vec<&str> = lead.split_whitespace().collect();
            names.extend(person_name(&lead, title_words));
        }
        for (i, w) in raw.iter().enumerate() {
            let folded = fold_token(w);
            if folded.len() == 1 && verbs.contains(&folded[0]) {
                // The capitalised run just before the reporting verb.
                let start = raw[..i]
                    .iter()
                    .rposition(|x| {
                        let t = trim_word(x);
                        !(t.chars().next().is_some_and(char::is_uppercase) || t == "R")
                    })
                    .map_or(0, |p| p + 1);
                names.extend(person_name(&raw[start..i], title_words));
            } else if w.eq_ignore_ascii_case("according")
                && raw.get(i + 1).is_some_and(|n| n.eq_ignore_ascii_case("to"))
            {
                let rest = &raw[(i + 2).min(raw.len())..];
                let end = rest
                    .iter()
                    .position(|x| {
                        !trim_word(x).chars().next().is_some_and(char::is_uppercase)
                            || x.ends_with(',')
                    })
                    .map_or(
                        rest.len(),
                        |p| if rest[p].ends_with(',') { p + 1 } else { p },
                    );
                names.extend(person_name(&rest[..end], title_words));
            }
        }
        for name in names {
            if !out.iter().any(|(n, _)| *n == name) {
                out.push((name, line_of(doc, s.block)));
            }
        }
    }
    out
}

impl DraftRubric {
    fn new(doc: &Document, outline: &Outline, opts: &DeriveOptions) -> DraftRubric {
        let title = outline.full_title.clone().unwrap_or_else(|| {
            std::path::Path::new(&opts.source)
                .file_stem()
                .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
                .unwrap_or_else(|| "Derived rubric".into())
        });
        let title_words = words_of(&title);
        let id = opts
            .id
            .clone()
            .unwrap_or_else(|| slug(title.split(':').next().unwrap_or(&title), 5));
        let id = if id.is_empty() {
            "derived-rubric".to_string()
        } else {
            id
        };
        let mut used_ids: HashSet<String> = HashSet::new();
        // Phrases already claimed by a criterion: no other criterion may use
        // an overlapping one, so one sentence never scores twice.
        let mut claimed: Vec<String> = Vec::new();
        let mut sections: Vec<DraftSection> = Vec::new();

        // Lenses: triggers found in the model outside its title.
        let found_lenses = found_lenses(doc, outline.title_block);
        let mut lens_ids = Vec::new();
        if !found_lenses.is_empty() {
            let mut criteria = Vec::new();
            for lens in &found_lenses {
                let matcher: Vec<String> = lens
                    .triggers
                    .iter()
                    .filter(|t| !claimed.iter().any(|c| phrases_overlap(c, t)))
                    .cloned()
                    .collect();
                claimed.extend(matcher.iter().cloned());
                lens_ids.push(lens.id.clone());
                criteria.push(DraftCriterion {
                    id: unique(format!("lens-{}", lens.id), &mut used_ids, "lens"),
                    title: lens.title.clone(),
                    points: 5.0,
                    feedback: lens.feedback.clone(),
                    body: Body::Argument {
                        matcher,
                        develop: lens.develop.clone(),
                    },
                    min_hits: None,
                    origin: "the built-in lens lexicon".into(),
                });
            }
            sections.push(DraftSection {
                id: String::new(),
                title: "Analytical lens".into(),
                kind: Kind::Lens,
                criteria,
            });
        }

        // Scholars, claimed before themes so names never become theme phrases.
        let people = scholars(doc, &title_words);
        let mut name_words: HashSet<String> = HashSet::new();
        let mut scholar_criteria = Vec::new();
        for (name, line) in &people {
            let words: Vec<&str> = name.split_whitespace().collect();
            let surname = words.last().copied().unwrap_or(name);
            let mut aliases = Vec::new();
            if words.len() >= 3 {
                aliases.push(words[words.len() - 2..].join(" "));
            }
            if surname.chars().count() >= 4 && !is_common_word(&surname.to_lowercase()) {
                aliases.push(surname.to_string());
            }
            aliases.retain(|a| !claimed.iter().any(|c| phrases_overlap(c, a)));
            name_words.extend(fold_token(name));
            claimed.push(name.clone());
            claimed.extend(aliases.iter().cloned());
            scholar_criteria.push(DraftCriterion {
                id: unique(slug(surname, 1), &mut used_ids, "scholar"),
                title: name.clone(),
                points: 2.0,
                feedback: format!(
                    "Cite {name}: attribute a view to them (\"{surname} argues that ...\") or quote them."
                ),
                body: Body::Scholar {
                    name: name.clone(),
                    aliases,
                },
                min_hits: None,
                origin: format!("cited at line {line}"),
            });
        }

        // Themes: every argument's key terms, each term given to the
        // argument where it weighs most.
        let mut args: Vec<(usize, &Argument)> = Vec::new();
        for (si, s) in outline.sections.iter().enumerate() {
            let skip = match s.role {
                Role::Theme => false,
                Role::Lens => !found_lenses.is_empty(),
                _ => true,
            };
            if !skip {
                args.extend(s.arguments.iter().map(|a| (si, a)));
            }
        }
        let per_arg: Vec<HashMap<String, Found>> = args
            .iter()
            .map(|(_, a)| candidates(doc, a, &title_words, &name_words))
            .collect();
        let mut df: HashMap<&str, usize> = HashMap::new();
        for c in &per_arg {
            for k in c.keys() {
                *df.entry(k.as_str()).or_default() += 1;
            }
        }
        // Reporting verbs ("observes", "warns") develop nothing.
        let reporting: HashSet<String> = REPORTING_VERBS
            .iter()
            .flat_map(|v| inflect::forms(v))
            .collect();
        let n = args.len().max(1);
        let spread_limit = ((n as f64 * TOPIC_SHARE).ceil() as usize).max(MIN_SPREAD);
        let mut ranked: Vec<(f64, usize, Candidate)> = Vec::new();
        let mut develop_pool: Vec<Vec<Candidate>> = vec![Vec::new(); args.len()];
        for (ai, c) in per_arg.iter().enumerate() {
            for (key, f) in c {
                let d = df.get(key.as_str()).copied().unwrap_or(1);
                let idf = ((n as f64 + 1.0) / (d as f64 + 0.5)).ln().max(0.1);
                let cand = Candidate {
                    text: f.text.clone(),
                    // The heading names the argument: its terms come first.
                    score: f.tf * idf + if f.in_heading { 10.0 } else { 0.0 },
                    central: f.in_heading || f.count >= 2,
                };
                // Spread over the essay, it is the topic, not this argument
                // (unless this argument's heading names it).
                if d > spread_limit && !f.in_heading {
                    continue;
                }
                let single = !key.contains(' ');
                if !single || d <= 1 || f.in_heading {
                    ranked.push((cand.score, ai, cand.clone()));
                }
                if single && !reporting.contains(key) && !is_common_word(key) {
                    develop_pool[ai].push(cand);
                }
            }
        }
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.text.cmp(&b.2.text)));
        let mut chosen: Vec<Vec<String>> = vec![Vec::new(); args.len()];
        // Central terms first; passing details only fill a criterion that
        // would otherwise have too few phrases (a terse model answer).
        for (pass, limit) in [(true, MATCH_PHRASES), (false, MIN_PHRASES)] {
            for (_, ai, cand) in &ranked {
                if chosen[*ai].len() >= limit || (pass && !cand.central) {
                    continue;
                }
                // A lens, a scholar or another argument has a phrase that
                // overlaps it: the same sentence would score twice.
                let clash = claimed.iter().any(|c| phrases_overlap(c, &cand.text))
                    || chosen.iter().enumerate().any(|(other, list)| {
                        other != *ai && list.iter().any(|c| phrases_overlap(c, &cand.text))
                    });
                // Overlaps a phrase this criterion already has: redundant.
                let redundant = chosen[*ai].iter().any(|c| phrases_overlap(c, &cand.text));
                if !clash && !redundant {
                    chosen[*ai].push(cand.text.clone());
                }
            }
        }
        let mut theme_sections: Vec<DraftSection> = Vec::new();
        let mut current: Option<usize> = None;
        for (ai, (si, arg)) in args.iter().enumerate() {
            let matcher = chosen[ai].clone();
            if matcher.is_empty() {
                continue;
            }
            let mut pool = develop_pool[ai].clone();
            pool.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.text.cmp(&b.text)));
            let develop: Vec<String> = pool
                .into_iter()
                .map(|c| c.text)
                .filter(|t| !matcher.iter().any(|m| phrases_overlap(m, t)))
                .take(DEVELOP_TERMS)
                .collect();
            let title = if arg.title.is_empty() {
                matcher[0].clone()
            } else {
                arg.title.clone()
            };
            let key_terms = matcher.iter().take(4).cloned().collect::<Vec<_>>();
            let short = title
                .split(':')
                .next()
                .unwrap_or(&title)
                .trim_end_matches('…');
            // "Cover the revival of ...", not "Cover The Revival of ...".
            let named = ["The ", "A ", "An "]
                .iter()
                .find_map(|a| short.strip_prefix(a).map(|rest| format!("the {rest}")))
                .unwrap_or_else(|| short.to_string());
            let feedback = format!(
                "Cover {named}: bring in {}, and develop it with causes, effects or evidence.",
                join_and(&key_terms)
            );
            let criterion = DraftCriterion {
                id: unique(slug(short, 4), &mut used_ids, "argument"),
                title,
                points: 4.0,
                feedback,
                body: Body::Argument { matcher, develop },
                min_hits: None,
                origin: format!("the model's argument at line {}", arg.line),
            };
            if current != Some(*si) {
                current = Some(*si);
                let s = &outline.sections[*si];
                theme_sections.push(DraftSection {
                    id: String::new(),
                    title: s
                        .title
                        .split(':')
                        .next()
                        .unwrap_or(&s.title)
                        .trim()
                        .to_string(),
                    kind: Kind::Theme,
                    criteria: Vec::new(),
                });
            }
            if let Some(s) = theme_sections.last_mut() {
                s.criteria.push(criterion);
            }
        }
        // A model with flat headings gives one argument per section: keep
        // those together in one section rather than many of one criterion.
        for t in theme_sections {
            let single = t.criteria.len() == 1;
            match sections.last_mut() {
                Some(prev) if single && prev.kind == Kind::Theme && prev.title == "Arguments" => {
                    prev.criteria.extend(t.criteria)
                }
                _ if single => sections.push(DraftSection {
                    title: "Arguments".into(),
                    ..t
                }),
                _ => sections.push(t),
            }
        }
        if !scholar_criteria.is_empty() {
            sections.push(DraftSection {
                id: String::new(),
                title: "Scholars cited".into(),
                kind: Kind::Scholar,
                criteria: scholar_criteria,
            });
        }
        let structure = structure_criteria(doc, outline, &mut used_ids);
        if !structure.is_empty() {
            sections.push(DraftSection {
                id: String::new(),
                title: "Structure".into(),
                kind: Kind::Structure,
                criteria: structure,
            });
        }
        // Section ids last: criterion ids get the plain slugs.
        for s in &mut sections {
            let base = match s.kind {
                Kind::Lens => "lens".to_string(),
                Kind::Scholar => "scholars".to_string(),
                Kind::Structure => "structure".to_string(),
                Kind::Theme => slug(&s.title, 3),
            };
            let base = if used_ids.contains(&base) {
                format!("{base}-section")
            } else {
                base
            };
            s.id = unique(base, &mut used_ids, "section");
        }
        DraftRubric {
            id,
            title,
            sections,
            lenses: lens_ids,
        }
    }

    fn find(&mut self, id: &str) -> Option<&mut DraftCriterion> {
        self.sections
            .iter_mut()
            .flat_map(|s| s.criteria.iter_mut())
            .find(|c| c.id == id)
    }

    fn remove(&mut self, id: &str) {
        for s in &mut self.sections {
            s.criteria.retain(|c| c.id != id);
        }
        self.sections.retain(|s| !s.criteria.is_empty());
    }

    fn to_yaml(&self, opts: &DeriveOptions, result: Option<(f64, usize)>) -> String {
        let mut y = String::new();
        let total: f64 = self
            .sections
            .iter()
            .flat_map(|s| &s.criteria)
            .map(|c| c.points)
            .sum();
        y.push_str("# yaml-language-server: $schema=rubric.schema.json\n#\n");
        let _ = writeln!(
            y,
            "# Drafted by `essaymark rubric derive` from {}.",
            if opts.source.is_empty() {
                "a model answer"
            } else {
                &opts.source
            }
        );
        if let Some((score, words)) = result {
            let _ = writeln!(
                y,
                "# The model answer ({words} words) scores {score:.1} against this draft."
            );
        }
        y.push_str(
            "# Review it before grading: rename ids, tighten or add phrases, mark the\n\
             # arguments an answer cannot pass without `required: true`, adjust points,\n\
             # then run `essaymark rubric lint` and `essaymark rubric test` on it.\n",
        );
        let _ = writeln!(y, "id: {}", self.id);
        let _ = writeln!(y, "title: {}", quote(&self.title));
        y.push_str("version: \"0.1\"\n");
        let _ = writeln!(y, "total: {}", crate::report::fmt_points(total));
        y.push_str("pass_mark: 50\n");
        y.push_str("bands:\n  - { min: 80, label: Excellent }\n  - { min: 65, label: Good }\n  - { min: 50, label: Adequate }\n  - { min: 0, label: Needs work }\n");
        let themes = self
            .sections
            .iter()
            .filter(|s| matches!(s.kind, Kind::Theme | Kind::Lens))
            .map(|s| s.criteria.len())
            .sum::<usize>();
        let _ = writeln!(
            y,
            "settings:\n  off_topic_min_themes: {}",
            (themes / 4).clamp(1, 5)
        );
        y.push_str("\nsections:\n");
        for s in &self.sections {
            let _ = writeln!(y, "  - id: {}", s.id);
            let _ = writeln!(y, "    title: {}", quote(&s.title));
            if s.kind != Kind::Theme {
                let _ = writeln!(y, "    kind: {}", s.kind.as_str());
            }
            y.push_str("    criteria:\n");
            for c in &s.criteria {
                let _ = writeln!(y, "      # from {}", c.origin);
                let _ = writeln!(y, "      - id: {}", c.id);
                match &c.body {
                    Body::Scholar { name, aliases } => {
                        let _ = writeln!(y, "        name: {}", quote(name));
                        if !aliases.is_empty() {
                            let _ = writeln!(y, "        aliases: {}", flow(aliases));
                        }
                    }
                    _ => {
                        let _ = writeln!(y, "        title: {}", quote(&c.title));
                    }
                }
                let _ = writeln!(y, "        points: {}", crate::report::fmt_points(c.points));
                let _ = writeln!(y, "        feedback: {}", quote(&c.feedback));
                match &c.body {
                    Body::Argument { matcher, develop } => {
                        let _ = writeln!(y, "        match: {}", flow(matcher));
                        if !develop.is_empty() {
                            let _ = writeln!(y, "        develop: {}", flow(develop));
                        }
                        if let Some(m) = c.min_hits {
                            let _ = writeln!(
                                y,
                                "        min_hits: {m}  # the model argues this in one sentence"
                            );
                        }
                    }
                    Body::Structure(check) => {
                        let _ = writeln!(y, "        check: {check}");
                    }
                    Body::Scholar { .. } => {}
                }
            }
        }
        y
    }
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Lenses whose triggers occur in the model outside its title.
fn found_lenses(doc: &Document, title_block: Option<usize>) -> Vec<Lens> {
    let all = lenses();
    let mut builder = PhraseSetBuilder::default();
    let mut ids: Vec<Vec<usize>> = Vec::new();
    for lens in &all {
        ids.push(
            lens.triggers
                .iter()
                .filter_map(|t| builder.phrase(t, |_, _| false).ok())
                .collect(),
        );
    }
    let Ok(set) = builder.build() else {
        return Vec::new();
    };
    let scan = set.scan(doc);
    let outside_title = |o: &crate::matching::Occurrence| {
        let s = doc.sentence_of(o.tokens.0 as usize);
        Some(doc.sentences[s].block) != title_block
    };
    all.into_iter()
        .zip(ids)
        .filter(|(_, ids)| {
            ids.iter()
                .any(|&p| scan.phrases[p].iter().any(outside_title))
        })
        .map(|(l, _)| l)
        .collect()
}

fn structure_criteria(
    doc: &Document,
    outline: &Outline,
    used: &mut HashSet<String>,
) -> Vec<DraftCriterion> {
    let mut out = Vec::new();
    let mut push = |id: &str,
                    title: &str,
                    points: f64,
                    check: String,
                    feedback: &str,
                    used: &mut HashSet<String>| {
        out.push(DraftCriterion {
            id: unique(id.to_string(), used, id),
            title: title.to_string(),
            points,
            feedback: feedback.to_string(),
            body: Body::Structure(check),
            min_hits: None,
            origin: "the model's structure".into(),
        });
    };
    push(
        "introduction",
        "Introduction that sets up the argument",
        2.0,
        "introduction".into(),
        "Open with an introduction that gives the context and states your thesis.",
        used,
    );
    push(
        "conclusion",
        "Conclusion that answers the question",
        3.0,
        "conclusion".into(),
        "Close with a marked conclusion that draws the threads together and answers the question.",
        used,
    );
    let headings = doc
        .blocks
        .iter()
        .enumerate()
        .filter(|(i, b)| b.kind == BlockKind::Heading && Some(*i) != outline.title_block)
        .count();
    let sections = outline.sections.len();
    let min = sections.clamp(2, 6).min(headings);
    if min >= 2 {
        push(
            "headings",
            "Headings that organise the essay",
            2.0,
            format!("{{ headings: {{ min: {min} }} }}"),
            &format!(
                "Organise the essay under at least {min} headings, one per part of the argument."
            ),
            used,
        );
    }
    if let Some((rows, cols)) = largest_table(doc) {
        let (r, c) = (rows.min(4), cols.min(3));
        push(
            "table",
            "A comparison table",
            2.0,
            format!("{{ table: {{ min_rows: {r}, min_columns: {c} }} }}"),
            &format!("Add a table (at least {r} rows by {c} columns) that compares the cases side by side."),
            used,
        );
    }
    let words = doc.word_count() as f64;
    let round = |x: f64| ((x / 50.0).round() * 50.0).max(50.0) as u32;
    let (lo, hi) = (
        round(words * (1.0 - WORD_MARGIN)),
        round(words * (1.0 + WORD_MARGIN)),
    );
    push(
        "word-count",
        "Length within the expected range",
        1.0,
        format!("{{ words: {{ min: {lo}, max: {hi} }} }}"),
        &format!(
            "Write roughly {lo}-{hi} words, the length of the model answer give or take a quarter."
        ),
        used,
    );
    if doc
        .blocks
        .iter()
        .take(12)
        .filter(|b| b.kind == BlockKind::ListItem)
        .count()
        >= 5
    {
        push(
            "outline",
            "An outline before the body",
            2.0,
            "outline".into(),
            "Start with an outline that lists the essay's main points.",
            used,
        );
    }
    out
}

fn largest_table(doc: &Document) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < doc.blocks.len() {
        if doc.blocks[i].kind == BlockKind::TableRow {
            let start = i;
            let mut cols = 0;
            while i < doc.blocks.len() && doc.blocks[i].kind == BlockKind::TableRow {
                cols = cols.max(doc.blocks[i].cells.len());
                i += 1;
            }
            let rows = i - start;
            if best.is_none_or(|(r, c)| rows * cols > r * c) {
                best = Some((rows, cols));
            }
        } else {
            i += 1;
        }
    }
    best.filter(|&(r, c)| r >= 2 && c >= 2)
}

/// A YAML scalar: plain when that is unambiguous, else double-quoted (JSON
/// string syntax is valid YAML).
fn quote(s: &str) -> String {
    let plain = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, ' ' | '-' | '\'' | '’' | '*' | '.' | '(' | ')')
        })
        && !s.ends_with(' ')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "yes" | "no" | "true" | "false" | "null" | "on" | "off" | "y" | "n"
        );
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
    }
}

/// A flow sequence of scalars: `[a, b, "c: d"]`.
fn flow(items: &[String]) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|s| {
            // Parentheses are fine in a plain scalar but not worth the doubt
            // inside a flow sequence.
            if s.contains(['(', ')']) {
                serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
            } else {
                quote(s)
            }
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// Output of `rubric derive`.
#[derive(Debug, clap::Args)]
pub struct DeriveArgs {
    /// The model answer (.txt, .md, .docx, .odt).
    #[arg(value_name = "MODEL_ESSAY")]
    pub model: std::path::PathBuf,
    /// The rubric's id (default: from the model's title).
    #[arg(long)]
    pub id: Option<String>,
    /// Write the draft to FILE (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
}

/// Read the model, draft the rubric; the summary goes to stderr so stdout
/// stays valid YAML.
pub fn run(args: &DeriveArgs) -> Result<Draft, String> {
    if let Some(id) = &args.id {
        if id.is_empty()
            || id.len() > 64
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        {
            return Err(format!(
                "--id {id:?}: use lower-case letters, digits, '-' or '_'"
            ));
        }
    }
    let input = crate::pipeline::Input::File(args.model.clone());
    let extracted = crate::pipeline::extract_input(&input, &crate::ingest::Limits::default())
        .map_err(|e| format!("{}: {e}", args.model.display()))?;
    let markdown_source = (extracted.format == crate::ingest::Format::Markdown)
        .then(|| std::fs::read(&args.model).ok())
        .flatten()
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    let opts = DeriveOptions {
        id: args.id.clone(),
        source: args
            .model
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        markdown_source,
    };
    let doc = extracted.into_document();
    derive(&doc, &opts)
}

/// Compile the draft as `rubric` (for callers that want to grade with it).
pub fn compile(draft: &Draft) -> Result<Rubric, String> {
    load_str(&draft.yaml, "draft").map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lens_lexicon_parses_and_every_trigger_compiles() {
        let all = lenses();
        assert!(all.len() >= 20, "{} lenses", all.len());
        for id in [
            "realism",
            "liberalism",
            "constructivism",
            "security-dilemma",
            "balance-of-power",
            "dependency-theory",
        ] {
            assert!(all.iter().any(|l| l.id == id), "{id}");
        }
        let mut b = PhraseSetBuilder::default();
        for l in &all {
            assert!(!l.triggers.is_empty() && !l.feedback.is_empty(), "{}", l.id);
            for t in l.triggers.iter().chain(&l.develop) {
                b.phrase(t, |_, _| false)
                    .unwrap_or_else(|e| panic!("{}: {e}", l.id));
            }
        }
        let lines = LENSES
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        assert_eq!(lines, all.len(), "every data line has five fields");
    }

    #[test]
    fn background_words_and_inflections_are_common() {
        assert!(is_common_word("effects"));
        assert!(is_common_word("studies"));
        assert!(!is_common_word("sanctuaries"));
        assert!(!is_common_word("radicalization"));
    }

    #[test]
    fn acronyms_markers_and_titles() {
        assert!(is_acronym("TTP") && is_acronym("ISIS-K") && is_acronym("SDGs"));
        assert!(!is_acronym("IV") && !is_acronym("Kabul") && !is_acronym("A"));
        assert!(is_marker("(IV)") && is_marker("10") && !is_marker("IV Regional"));
        assert!(
            is_enumerated("(II) Border") && is_enumerated("3. Water") && !is_enumerated("Border")
        );
        assert_eq!(
            clean_title("(II) Border management: Fault Lines."),
            "Border management: Fault Lines"
        );
        assert_eq!(
            slug("Re-Energization of the TTP: Afghan space", 4),
            "re-energization-ttp-afghan"
        );
        assert_eq!(
            wildcard_form(&["youth".into(), "radicalization".into()]),
            "youth radicali*"
        );
        assert_eq!(wildcard_form(&["militancy".into()]), "militancy");
    }

    #[test]
    fn yaml_scalars_are_quoted_when_needed() {
        assert_eq!(quote("Durand Line"), "Durand Line");
        assert_eq!(quote("a: b"), "\"a: b\"");
        assert_eq!(quote("1893"), "\"1893\"");
        assert_eq!(quote("no"), "\"no\"");
        assert_eq!(flow(&["x".into(), "y, z".into()]), "[x, \"y, z\"]");
    }

    const MODEL: &str = "# Water and the Indus Economy\n\n## Introduction\n\nPakistan depends on the Indus basin for most of its farming, and the river system is under pressure from glacier melt, population growth and poor storage. This essay argues that water scarcity is an economic problem before it is an environmental one, and that reform of irrigation pricing matters more than new dams.\n\n## The Analytical Lens\n\nA political economy reading helps: canal water is cheap because large landowners capture the irrigation bureaucracy, and elite capture explains why reform stalls.\n\n## Glacier Melt and River Flows\n\nGlacier melt in the Karakoram feeds the Indus in summer. As glaciers retreat, river flows will first rise and then fall, and glacier melt will stop buffering dry years. Hydrologists expect glacier melt to peak by mid-century.\n\n## Irrigation Pricing\n\nCanal water is priced far below its cost, so farmers flood fields and waste it. Irrigation pricing reform would recover maintenance costs, and volumetric irrigation pricing would reward farmers who line watercourses.\n\n## Scholars\n\nAs Daanish Mustafa argues, the water crisis is a crisis of governance. Simi Kamal notes that the Indus delta is dying for lack of flows.\n\n## Conclusion\n\nIn conclusion, water scarcity in Pakistan is a governance problem. Irrigation pricing and honest accounting of glacier melt should come before any new dam.\n";

    fn derive_md(text: &str) -> Draft {
        let doc = crate::ingest::extract(
            crate::ingest::Format::Markdown,
            text.as_bytes(),
            &crate::ingest::Limits::default(),
        )
        .unwrap()
        .into_document();
        derive(
            &doc,
            &DeriveOptions {
                id: None,
                source: "model.md".into(),
                markdown_source: Some(text.to_string()),
            },
        )
        .unwrap()
    }

    #[test]
    fn a_model_answer_becomes_a_rubric_it_meets() {
        let d = derive_md(MODEL);
        assert_eq!(d.rubric_id, "water-indus-economy", "{}", d.yaml);
        assert!(d.score >= 90.0, "{}\n{}", d.score, d.yaml);
        let r = compile(&d).unwrap();
        let ids: Vec<&str> = r.criteria.iter().map(|c| c.id.as_str()).collect();
        assert!(ids.contains(&"lens-political-economy"), "{ids:?}");
        assert!(
            ids.contains(&"mustafa") && ids.contains(&"kamal"),
            "{ids:?}"
        );
        assert!(
            ids.contains(&"glacier-melt-river-flows") && ids.contains(&"irrigation-pricing"),
            "{ids:?}"
        );
        assert!(
            ids.contains(&"introduction") && ids.contains(&"conclusion"),
            "{ids:?}"
        );
        assert!(r
            .criteria
            .iter()
            .all(|c| c.feedback.as_deref().is_some_and(|f| !f.is_empty())));
        // The draft lints clean: no overlapping phrases, feedback everywhere.
        let lint = crate::lint::lint_str(&d.yaml, "draft.yaml");
        assert_eq!(lint.findings.len(), 0, "{:#?}", lint.findings);
    }
}
