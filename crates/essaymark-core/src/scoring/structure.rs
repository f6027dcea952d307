//! Structure checks: introduction, conclusion, outline, headings, length,
//! paragraphs and tables. Each check is one rule; in an outline, an
//! introduction or conclusion that is a heading over bullets is partial.

use super::context::Context;
use super::trace::{RuleInfo, Sink};
use super::{Evidence, Outcome, Role, Status, OUTLINE_NOTE};
use crate::rubric::StructureCheck;
use crate::text::BlockKind;

pub const INTRODUCTION: RuleInfo = RuleInfo {
    id: "structure/introduction",
    summary: "an `Introduction` heading among the first three, or an opening paragraph of 40+ words that is not a keyword list, or of 20+ words that names the question's subject (two of its words or two of the rubric's arguments) and states a thesis (otherwise 15+ is partial); full credit needs a thesis (\"In this essay I argue\", \"My answer is\", \"I will explain\"), context alone is partial",
};
pub const CONCLUSION: RuleInfo = RuleInfo {
    id: "structure/conclusion",
    summary: "a concluding heading in the second half (or the last one) with text under it, or a final paragraph opening \"In conclusion\", \"To sum up\", ...; full credit needs it to name the essay's arguments (two distinct words that matched them elsewhere), the marker alone is partial; an unmarked long closing paragraph is partial",
};
pub const OUTLINE_SECTION: RuleInfo = RuleInfo {
    id: "structure/outline",
    summary: "an `Outline` heading, or five or more list items near the start",
};
pub const HEADINGS: RuleInfo = RuleInfo {
    id: "structure/headings",
    summary: "at least `min` headings besides the title (one fewer is partial)",
};
pub const WORDS: RuleInfo = RuleInfo {
    id: "structure/words",
    summary: "a length within the range (within 75%-125% of it is partial)",
};
pub const PARAGRAPHS: RuleInfo = RuleInfo {
    id: "structure/paragraphs",
    summary: "at least `min` paragraphs of 20+ words (half as many is partial)",
};
pub const TABLE: RuleInfo = RuleInfo {
    id: "structure/table",
    summary:
        "a table of at least `min_rows` rows and `min_columns` columns (a smaller table is partial)",
};
pub const OUTLINE_CAP: RuleInfo = RuleInfo {
    id: "structure/outline-cap",
    summary: "partial at most: in an outline, an introduction or conclusion that is a heading over bullets is not a paragraph",
};

/// An opening paragraph this long or longer is an introduction by its
/// content when it names the question's subject and states a thesis.
const INTRODUCTION_MIN_WORDS_BY_CONTENT: usize = 20;

/// Whether paragraph `p` names the question's subject: two distinct words
/// of the question (the essay's and the rubric's titles), or the phrases of
/// two of the rubric's arguments.
fn names_the_question(ctx: &Context, p: usize) -> bool {
    let doc = ctx.doc;
    let sentences = doc.block_sentences[p].clone();
    let mut words: Vec<&str> = sentences
        .clone()
        .flat_map(|s| doc.sentences[s].tokens.clone())
        .filter(|&t| ctx.is_content(t) && ctx.is_title_word(t))
        .map(|t| doc.fold(t))
        .collect();
    words.sort_unstable();
    words.dedup();
    words.len() >= 2
        || ctx
            .argument_hits
            .iter()
            .filter(|hits| {
                hits.iter()
                    .any(|h| sentences.contains(&(h.sentence as usize)))
            })
            .count()
            >= 2
}

/// An opening paragraph longer than this is the body, not an introduction.
const INTRODUCTION_MAX_WORDS: usize = 400;

/// Words that state a thesis, say what the essay will do, or take a side
/// (a contrast, a reason, a recommendation): an opening with none of them
/// only tells the story so far ("In 2021 the Taliban came back to power,
/// which was a turning point for the region.").
const THESIS_WORDS: &[&str] = &[
    "analyse",
    "analyses",
    "analyze",
    "analyzes",
    "argue",
    "argued",
    "argues",
    "argument",
    "assess",
    "assesses",
    "because",
    "but",
    "claim",
    "contend",
    "contends",
    "discuss",
    "discusses",
    "essay",
    "evaluate",
    "evaluates",
    "examine",
    "examines",
    "explore",
    "explores",
    "hence",
    "how",
    "however",
    "instead",
    "must",
    "not",
    "rather",
    "should",
    "therefore",
    "thesis",
    "thus",
    "why",
    "yet",
];

/// Word pairs that state a thesis ("I think", "my answer", "will explain").
const THESIS_PAIRS: &[[&str; 2]] = &[
    ["i", "think"],
    ["i", "believe"],
    ["i", "will"],
    ["we", "will"],
    ["my", "answer"],
    ["my", "view"],
    ["my", "opinion"],
    ["will", "explain"],
    ["will", "show"],
    ["this", "paper"],
    ["this", "answer"],
    ["this", "article"],
];

/// Whether the paragraphs of `blocks` state a thesis (`THESIS_WORDS`,
/// `THESIS_PAIRS`).
fn states_thesis(doc: &crate::text::Document, blocks: impl Iterator<Item = usize>) -> bool {
    blocks.into_iter().any(|b| {
        doc.block_sentences[b].clone().any(|s| {
            let t = doc.sentences[s].tokens.clone();
            t.clone().any(|i| THESIS_WORDS.contains(&doc.fold(i)))
                || t.clone()
                    .zip(t.clone().skip(1))
                    .any(|(a, b)| THESIS_PAIRS.contains(&[doc.fold(a), doc.fold(b)]))
        })
    })
}

/// Partial credit note for an opening without a thesis.
const NO_THESIS: &str = "the opening gives context but no thesis: say what the essay argues and how it will answer the question";

/// Words that mark a closing paragraph as concluding, when it has no
/// "In conclusion" opening.
const CONCLUDING_CUES: &[&str] = &[
    "therefore",
    "thus",
    "hence",
    "overall",
    "ultimately",
    "in short",
    "in the end",
    "way forward",
    "in sum",
    "to conclude",
    "in conclusion",
    "to sum up",
    "all in all",
];

pub const RULES: &[&RuleInfo] = &[
    &INTRODUCTION,
    &CONCLUSION,
    &OUTLINE_SECTION,
    &HEADINGS,
    &WORDS,
    &PARAGRAPHS,
    &TABLE,
    &OUTLINE_CAP,
];

/// The rule that implements a check.
pub fn rule_of(check: &StructureCheck) -> &'static RuleInfo {
    match check {
        StructureCheck::Introduction => &INTRODUCTION,
        StructureCheck::Conclusion => &CONCLUSION,
        StructureCheck::Outline => &OUTLINE_SECTION,
        StructureCheck::Headings { .. } => &HEADINGS,
        StructureCheck::Words { .. } => &WORDS,
        StructureCheck::Paragraphs { .. } => &PARAGRAPHS,
        StructureCheck::Table { .. } => &TABLE,
    }
}

/// The check with its parameters, in words.
pub fn describe(check: &StructureCheck) -> String {
    match check {
        StructureCheck::Introduction | StructureCheck::Conclusion | StructureCheck::Outline => {
            rule_of(check).summary.to_string()
        }
        StructureCheck::Headings { min } => format!("at least {min} headings besides the title (one fewer is partial)"),
        StructureCheck::Words { min, max } => format!("{min}-{max} words (within 75%-125% of that range is partial)"),
        StructureCheck::Paragraphs { min } => format!("at least {min} paragraphs of 20+ words (half as many is partial)"),
        StructureCheck::Table { min_rows, min_columns } => format!("a table of at least {min_rows} rows and {min_columns} columns (a smaller table is partial)"),
    }
}

pub(crate) fn score(ctx: &Context, check: &StructureCheck) -> Outcome {
    let (status, mut evidence, note) = in_text(ctx, check);
    // A missing check earned nothing: what it looked at is in the note
    // ("1 heading (at least 4 expected)"), not quoted as evidence.
    if status == Status::Missing {
        evidence.clear();
    }
    let mut sink = Sink::new(ctx.tracing);
    for e in &evidence {
        sink.push(
            Role::Block,
            *e,
            status != Status::Missing,
            rule_of(check),
            || None,
        );
    }
    let part = match check {
        StructureCheck::Introduction => Some("introduction"),
        StructureCheck::Conclusion => Some("conclusion"),
        _ => None,
    };
    let mut out = Outcome::new(
        status,
        rule_of(check),
        ctx.say(|| match status {
            Status::Met => "met".into(),
            Status::Partial => "partial: close to what is asked".into(),
            Status::Missing => "missing".into(),
        }),
    );
    out.evidence = evidence;
    out.note = note;
    if let (Some(part), Some((prose, bullets)), Status::Met) = (part, ctx.outline, status) {
        out.status = Status::Partial;
        out.rule = &OUTLINE_CAP;
        out.note = Some(format!(
            "{OUTLINE_NOTE} ({bullets} words in bullet points, {prose} in paragraphs); \
             write the {part} as a paragraph"
        ));
        out.decision = ctx.say(|| {
            "partial: the essay is an outline, and this is a heading over bullet points, not a paragraph".into()
        });
    }
    out.candidates = sink.items;
    out
}

/// Partial-credit note for a marked conclusion that names none of the
/// essay's arguments.
const NO_THREADS: &str = "the conclusion names none of the essay's arguments: draw them together and answer the question";

/// A marked conclusion (`blocks`, shown by `evidence`) is met when it draws
/// the essay's threads together: at least two distinct content words of
/// the words that matched the rubric's arguments elsewhere in the essay
/// ("debt", "insecurity", "TTP", "border"). "In conclusion" over a scrap
/// about something else has the form of a conclusion without its job:
/// partial. An essay whose arguments match nothing (or a rubric without
/// lens or theme criteria) is judged on the form alone: the other rules
/// say what it lacks.
fn closes_threads(
    ctx: &Context,
    blocks: std::ops::Range<usize>,
    evidence: Evidence,
) -> (Status, Vec<Evidence>, Option<String>) {
    let doc = ctx.doc;
    let word_id = &ctx.scan.word_id;
    let in_blocks = |t: usize| blocks.contains(&doc.sentences[doc.sentence_of(t)].block);
    // The arguments' words (outside `blocks`), marked by word number: no
    // sort of their text.
    let mut argued = vec![false; ctx.scan.words];
    let mut any_argued = false;
    for t in ctx
        .argument_hits
        .iter()
        .flatten()
        .flat_map(|h| h.tokens.0 as usize..h.tokens.1 as usize)
        .filter(|&t| ctx.is_content(t) && !in_blocks(t))
    {
        argued[word_id[t] as usize] = true;
        any_argued = true;
    }
    if !any_argued {
        return (Status::Met, vec![evidence], None);
    }
    // How many distinct words of `blocks` the arguments use.
    let mut named = 0usize;
    for t in blocks
        .clone()
        .flat_map(|b| doc.block_sentences[b].clone())
        .flat_map(|s| doc.sentences[s].tokens.clone())
    {
        let w = &mut argued[word_id[t] as usize];
        if *w {
            *w = false;
            named += 1;
        }
    }
    // The essay's own words are read only when the arguments' words fall
    // short, and once.
    let threads = named >= 2 || {
        let shared = shared_words(ctx, blocks);
        shared >= 4 || (named != 0 && shared >= 2)
    };
    if threads {
        (Status::Met, vec![evidence], None)
    } else {
        (Status::Partial, vec![evidence], Some(NO_THREADS.into()))
    }
}

/// How many distinct content words the conclusion `blocks` share with the
/// essay's other paragraphs: a closing paragraph in the essay's own words
/// ("climate", "governance", "floods") sums it up even when the rubric's
/// phrases matched other words; a scrap about a holiday shares none.
fn shared_words(ctx: &Context, blocks: std::ops::Range<usize>) -> usize {
    let doc = ctx.doc;
    let word_id = &ctx.scan.word_id;
    let words_of = |b: usize| {
        doc.block_sentences[b]
            .clone()
            .flat_map(|s| doc.sentences[s].tokens.clone())
            .filter(|&t| ctx.is_content(t))
            .map(|t| word_id[t] as usize)
    };
    // The conclusion's words (few), marked by word number, then one pass
    // over the rest counting those it meets, each once.
    const CLOSING: u8 = 1;
    const MET: u8 = 2;
    let mut mark = vec![0u8; ctx.scan.words];
    for w in blocks.clone().flat_map(words_of) {
        mark[w] = CLOSING;
    }
    let mut met = 0;
    for w in (0..doc.blocks.len())
        .filter(|b| !blocks.contains(b) && doc.blocks[*b].kind != BlockKind::Heading)
        .flat_map(words_of)
    {
        if mark[w] == CLOSING {
            mark[w] = MET;
            met += 1;
        }
    }
    met
}

fn in_text(ctx: &Context, check: &StructureCheck) -> (Status, Vec<Evidence>, Option<String>) {
    let doc = ctx.doc;
    let headings: Vec<usize> = doc
        .blocks
        .iter()
        .enumerate()
        .filter(|&(i, b)| {
            b.kind == BlockKind::Heading
                && Some(i) != ctx.title_block
                && i >= ctx.body_start
                && !ctx.outline_block.contains(&i)
        })
        .map(|(i, _)| i)
        .collect();
    let heading_text = |i: usize| doc.plain(doc.blocks[i].span.clone()).to_lowercase();
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
                // The paragraphs under the heading, up to the next one.
                let under = (h + 1..n_blocks)
                    .take_while(|&i| doc.blocks[i].kind != BlockKind::Heading)
                    .filter(|&i| doc.blocks[i].kind == BlockKind::Paragraph);
                return if states_thesis(doc, under) {
                    (Status::Met, vec![Evidence::Block(h)], None)
                } else {
                    (
                        Status::Partial,
                        vec![Evidence::Block(h)],
                        Some(NO_THESIS.into()),
                    )
                };
            }
            // The first paragraph of prose: after the title, a name or byline
            // line, and the outline an answer may open with.
            let start = ctx.body_start.max(ctx.outline_block.end);
            let first_para = (start..n_blocks)
                .take(4)
                .find(|&i| doc.blocks[i].kind == BlockKind::Paragraph);
            // A paragraph of keyword lists or filler introduces nothing.
            let first_para = first_para.filter(|&p| {
                doc.block_sentences[p]
                    .clone()
                    .any(|s| ctx.substantive(s as u32))
            });
            let paragraphs = doc
                .blocks
                .iter()
                .filter(|b| b.kind == BlockKind::Paragraph)
                .count();
            match first_para {
                // One paragraph is the whole essay, not its introduction.
                Some(p) if paragraphs == 1 || block_words(p) > INTRODUCTION_MAX_WORDS => (
                    Status::Missing,
                    Vec::new(),
                    Some(format!("the opening paragraph is the whole essay ({} words); open with a paragraph that sets out the question and your thesis", block_words(p))),
                ),
                Some(p) if block_words(p) >= 40 && states_thesis(doc, [p].into_iter()) => {
                    (Status::Met, vec![Evidence::Block(p)], None)
                }
                Some(p) if block_words(p) >= 40 => (
                    Status::Partial,
                    vec![Evidence::Block(p)],
                    Some(NO_THESIS.into()),
                ),
                // Short, but it does an introduction's job: it names the
                // question's subject and states what the essay will argue.
                Some(p)
                    if block_words(p) >= INTRODUCTION_MIN_WORDS_BY_CONTENT
                        && states_thesis(doc, [p].into_iter())
                        && names_the_question(ctx, p) =>
                {
                    (Status::Met, vec![Evidence::Block(p)], None)
                }
                Some(p) if block_words(p) >= 15 => (
                    Status::Partial,
                    vec![Evidence::Block(p)],
                    Some("the opening paragraph is very short; introduce the question, its context and your thesis".into()),
                ),
                _ => (Status::Missing, Vec::new(), None),
            }
        }
        StructureCheck::Conclusion => {
            // A text that stops mid-sentence has no conclusion, whatever its
            // last heading says.
            // (A bullet or a table row may end without a full stop.)
            let ends = doc.text.trim_end();
            let last_is_prose = doc
                .blocks
                .last()
                .is_some_and(|b| b.kind == BlockKind::Paragraph);
            if last_is_prose && !ends.ends_with(['.', '!', '?', '"', '”', ')', '\'', '’', '|'])
            {
                return (
                    Status::Missing,
                    Vec::new(),
                    Some("the essay stops mid-sentence: finish the argument and close with a conclusion".into()),
                );
            }
            let paragraph_count = doc
                .blocks
                .iter()
                .filter(|b| b.kind == BlockKind::Paragraph)
                .count();
            if paragraph_count <= 1 && headings.is_empty() {
                return (Status::Missing, Vec::new(), None);
            }
            let argues = |p: usize| {
                doc.block_sentences[p]
                    .clone()
                    .any(|s| ctx.substantive(s as u32))
            };
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
                    let end = (h + 1..n_blocks)
                        .find(|&i| doc.blocks[i].kind == BlockKind::Heading)
                        .unwrap_or(n_blocks);
                    return closes_threads(ctx, h + 1..end, Evidence::Block(h));
                }
            }
            let paragraphs: Vec<usize> = (0..n_blocks)
                .rev()
                .filter(|&i| doc.blocks[i].kind == BlockKind::Paragraph)
                .take(2)
                .collect();
            for &p in &paragraphs {
                let t = doc
                    .plain(doc.blocks[p].span.clone())
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
                    && argues(p)
                {
                    return closes_threads(ctx, p..p + 1, Evidence::Block(p));
                }
            }
            // An unmarked closing paragraph concludes only when it sums up.
            let sums_up = |p: usize| {
                let t = doc.plain(doc.blocks[p].span.clone()).to_lowercase();
                CONCLUDING_CUES.iter().any(|k| t.contains(k))
            };
            match paragraphs.first() {
                Some(&p)
                    if p + 3 >= n_blocks
                        && block_words(p) >= 30
                        && n_blocks >= 4
                        && argues(p)
                        && sums_up(p) =>
                (
                    Status::Partial,
                    vec![Evidence::Block(p)],
                    Some("the essay ends without a clear conclusion; close with a marked conclusion that answers the question".into()),
                ),
                _ => (Status::Missing, Vec::new(), None),
            }
        }
        StructureCheck::Outline => {
            let early = (n_blocks / 4).max(6);
            // The outline's own "Outline" heading counts here (it is left
            // out of the essay's headings everywhere else).
            if let Some(h) = (0..n_blocks).find(|&i| {
                doc.blocks[i].kind == BlockKind::Heading
                    && Some(i) != ctx.title_block
                    && heading_text(i).contains("outline")
            }) {
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

#[cfg(test)]
mod tests {
    use super::super::test_util::{status_of, traced};
    use super::super::Status::{Met, Partial};

    const BODY: &str = "The TTP has killed hundreds of policemen in Khyber Pakhtunkhwa since 2022, because its leaders found shelter across the border.\n\nIn conclusion, Pakistan must combine talks with Kabul and firm border control.";

    /// "In conclusion" over a scrap about something else has the form of a
    /// conclusion, not its job: partial, with a note. One that names the
    /// essay's arguments is met.
    #[test]
    fn a_conclusion_must_name_the_essays_arguments() {
        let body = "The TTP has killed hundreds of policemen in Khyber Pakhtunkhwa since 2022, because its leaders found shelter across the border and Kabul refuses to act against them.\n\nRefugees returning in large numbers strain the border towns, and trade through Torkham has collapsed as the crossings close for weeks at a time.";
        let scrap = format!("{body}\n\nIn conclusion, my cousins and I went to Murree last winter and the snow on the hills was lovely, so we want to go again next year.");
        let (status, trace) = traced(&scrap, "conclusion");
        assert_eq!(status, Partial);
        assert_eq!(trace.note.as_deref(), Some(super::NO_THREADS));
        let closing = format!("{body}\n\nIn conclusion, the TTP's sanctuaries and the closed border leave Pakistan less safe, so it must press Kabul while keeping trade open.");
        assert_eq!(status_of(&closing, "conclusion"), Met);
        // The same under a Conclusion heading.
        let headed = format!("{body}\n\nConclusion\n\nMy cousins and I went to Murree last winter and the snow on the hills was lovely, so we want to go again next year.");
        assert_eq!(status_of(&headed, "conclusion"), Partial);
    }

    /// An opening that only tells the story so far introduces the topic
    /// but not the essay's argument: partial credit.
    #[test]
    fn an_introduction_needs_a_thesis_for_full_credit() {
        let story = "In August 2021 the Taliban took over Kabul in a few weeks and the American-backed government fell. This was a shock for the world and it changed the situation for Pakistan, which has always been closely involved in Afghanistan and its wars.";
        assert_eq!(
            status_of(&format!("{story}\n\n{BODY}"), "introduction"),
            Partial
        );
        let thesis = format!(
            "{story} In this essay I argue that the new Afghanistan has made Pakistan less safe."
        );
        assert_eq!(
            status_of(&format!("{thesis}\n\n{BODY}"), "introduction"),
            Met
        );
        // Short, but an introduction by its content: the subject and a thesis.
        let short = "Since the Taliban returned to Kabul in 2021, attacks in the north-west have doubled. This answer argues that Taliban rule has made Pakistan less secure, through militancy, border disputes and lost trade.";
        assert_eq!(
            status_of(&format!("{short}\n\n{BODY}"), "introduction"),
            Met
        );
        let short_story = "Since the Taliban returned to Kabul in 2021, attacks in the north-west have doubled and the border has grown tense for everyone.";
        assert_eq!(
            status_of(&format!("{short_story}\n\n{BODY}"), "introduction"),
            Partial
        );
        let implicit = "In August 2021 the Taliban took over Kabul in a few weeks and the American-backed government fell. Instead of a friendly neighbour, Pakistan now faces a revived TTP, a disputed border and a collapsing trade route, and these problems are structural rather than passing.";
        assert_eq!(
            status_of(&format!("{implicit}\n\n{BODY}"), "introduction"),
            Met
        );
    }
}
