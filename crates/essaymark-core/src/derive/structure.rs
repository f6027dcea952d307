//! Lenses the model frames its argument with, and the structure criteria
//! (introduction, conclusion, length, a table) a draft carries.

#[allow(unused_imports)]
use super::*;

pub(super) fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Lenses the model frames its argument with: a trigger named at least
/// twice outside the title, or once in the introduction or an analytical
/// ("lens", "framework") section. One passing word elsewhere is not a lens,
/// and a trigger only counts as the word it is ("commons" is not "common").
pub(super) fn found_lenses(doc: &Document, outline: &Outline) -> Vec<Lens> {
    let all = lenses();
    let mut builder = PhraseSetBuilder::default();
    let mut ids: Vec<Vec<(usize, Vec<String>)>> = Vec::new();
    for lens in &all {
        ids.push(
            lens.triggers
                .iter()
                .filter_map(|t| {
                    let words: Vec<String> = fold_token(&t.replace('*', ""));
                    builder.phrase(t, |_, _| false).ok().map(|id| (id, words))
                })
                .collect(),
        );
    }
    let Ok(set) = builder.build() else {
        return Vec::new();
    };
    let scan = set.scan(doc);
    all.into_iter()
        .zip(ids)
        .filter(|(_, ids)| {
            let mut count = 0;
            let mut framing = false;
            for (p, words) in ids {
                for o in &scan.phrases[*p] {
                    let block = doc.sentences[doc.sentence_of(o.tokens.0 as usize)].block;
                    let exact = (o.tokens.0..o.tokens.1)
                        .zip(words)
                        .all(|(t, w)| doc.fold(t as usize).starts_with(w.as_str()));
                    if o.fuzzy || !exact || Some(block) == outline.title_block {
                        continue;
                    }
                    count += 1;
                    framing |= outline.framing_blocks.contains(&block);
                }
            }
            count >= 2 || framing
        })
        .map(|(l, _)| l)
        .collect()
}

pub(super) fn structure_criteria(
    doc: &Document,
    outline: &Outline,
    words: (u32, u32),
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
            notes: Notes::default(),
        });
    };
    push(
        "introduction",
        "Introduction that sets up the argument",
        // Structure earns little next to the arguments: a filler answer
        // with an opening and a closing must not outrank a thin one on
        // the topic.
        1.0,
        "introduction".into(),
        "Open with an introduction that gives the context and states your thesis.",
        used,
    );
    push(
        "conclusion",
        "Conclusion that answers the question",
        1.0,
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
    let (lo, hi) = words;
    let note = if words == DEFAULT_WORDS {
        "the length of a CSS exam essay"
    } else if Some(words) == short_model_words(doc) {
        "about the length of the model answer"
    } else {
        "the length set for this answer"
    };
    push(
        "word-count",
        "Length within the expected range",
        1.0,
        format!("{{ words: {{ min: {lo}, max: {hi} }} }}"),
        &format!("Write roughly {lo}-{hi} words, {note}."),
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

pub(super) fn largest_table(doc: &Document) -> Option<(usize, usize)> {
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

/// A model under this many words with no headings is a short school
/// answer (a letter, a one-page essay): the answer expected is about its
/// length, not a CSS exam essay's.
const SHORT_MODEL_WORDS: usize = 800;

/// The expected length for a short school model ([`SHORT_MODEL_WORDS`]):
/// 0.6-1.5 times the model, in tens of words. `None` for any other model,
/// whose own length says little (see [`DEFAULT_WORDS`]).
pub(super) fn short_model_words(doc: &Document) -> Option<(u32, u32)> {
    let words = doc.word_count();
    let headed = doc
        .blocks
        .iter()
        .skip(1)
        .any(|b| b.kind == BlockKind::Heading);
    let tens = |x: f64| ((x / 10.0).round() * 10.0) as u32;
    (words < SHORT_MODEL_WORDS && !headed)
        .then(|| (tens(words as f64 * 0.6), tens(words as f64 * 1.5)))
}
