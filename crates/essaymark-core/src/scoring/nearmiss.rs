//! Near misses: what almost matched a criterion — a word a few edits from a
//! phrase word, a phrase's words apart in one sentence, every part of an
//! `all` group found but not within its scope. `explain` lists them and
//! `rubric test` quotes the nearest one of each missed criterion.

use crate::matching::{evaluate, inflect, max_edits, Expr, Hit, Scan, Within};
use crate::rubric::{Rubric, Rule};
use crate::scoring::found_as;
use crate::text::lexicon::is_common_word;
use crate::text::{fold_token, Document};
use serde::Serialize;

/// Longest sentence quoted, in characters.
const QUOTE_CHARS: usize = 140;
/// Near misses reported per criterion.
const NEAR_MISSES: usize = 8;

/// Something that almost matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearMiss {
    pub line: usize,
    pub column: usize,
    pub sentence: String,
    /// The phrase (or group) that almost matched.
    pub phrase: String,
    pub why: String,
}

/// The nearest miss of a criterion, for quoting a miss in `rubric test`.
pub fn nearest_miss(rubric: &Rubric, doc: &Document, index: usize) -> Option<NearMiss> {
    let scan = rubric.phrases.scan(doc);
    match &rubric.criteria.get(index)?.rule {
        Rule::Argument { expr, .. } => near_misses(rubric, doc, &scan, expr).into_iter().next(),
        Rule::Scholar { names, .. } => near_misses(rubric, doc, &scan, names).into_iter().next(),
        Rule::Structure(_) => None,
    }
}

pub fn within_text(w: Within) -> String {
    match w {
        Within::Sentence => "one sentence".into(),
        Within::Clause => format!(
            "one clause ({} words, no clause break between)",
            crate::matching::CLAUSE_REACH
        ),
        Within::Paragraph => "one paragraph".into(),
        Within::Section => "one section".into(),
        Within::Words(n) => format!("{n} words of each other"),
    }
}
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
pub fn quote(s: &str) -> String {
    if s.chars().count() <= QUOTE_CHARS {
        return s.to_string();
    }
    let cut: String = s.chars().take(QUOTE_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}
/// A phrase's words as the essay would be folded, with a wildcard flag.
struct PhraseWords {
    words: Vec<(String, Vec<String>)>,
    /// Edits each word may tolerate when misspellings are on (the loader's
    /// rule: names written capitalised of 5+ letters, other words of 8+).
    tolerated: Vec<usize>,
    wildcard: bool,
}

impl PhraseWords {
    fn new(text: &str) -> PhraseWords {
        let mut words = Vec::new();
        let mut tolerated = Vec::new();
        for raw in text.split_whitespace() {
            let capital = raw.chars().next().is_some_and(char::is_uppercase);
            for w in fold_token(raw) {
                let n = w.chars().count();
                let fuzzy = n >= 5 && (n >= 8 || capital);
                tolerated.push(if fuzzy { usize::from(max_edits(n)) } else { 0 });
                let forms = inflect::forms(&w);
                words.push((w, forms));
            }
        }
        PhraseWords {
            words,
            tolerated,
            wildcard: text.trim_end().ends_with('*'),
        }
    }

    /// Whether essay word `token` (folded) is word `i` of the phrase.
    fn is_word(&self, i: usize, token: &str) -> bool {
        let (w, forms) = &self.words[i];
        if self.wildcard && i + 1 == self.words.len() {
            token.starts_with(w.as_str())
        } else {
            forms.iter().any(|f| f == token)
        }
    }
}

/// What almost matched, nearest first: misspellings beyond tolerance, the
/// words of a phrase apart, parts of an `all` group outside its scope.
pub fn near_misses(rubric: &Rubric, doc: &Document, scan: &Scan, expr: &Expr) -> Vec<NearMiss> {
    let mut out = Vec::new();
    near(rubric, doc, scan, expr, &mut out);
    // Words apart and parts out of scope say more than a misspelling does.
    out.sort_by_key(|n| {
        if n.why.starts_with("every part") {
            0
        } else if n.why.contains(" edit") {
            2
        } else {
            1
        }
    });
    let mut seen: Vec<NearMiss> = Vec::new();
    for n in out {
        if !seen.contains(&n) {
            seen.push(n);
        }
    }
    seen.truncate(NEAR_MISSES);
    seen
}

fn near(rubric: &Rubric, doc: &Document, scan: &Scan, expr: &Expr, out: &mut Vec<NearMiss>) {
    match expr {
        Expr::Phrase(p) => {
            if !scan.phrases[*p].is_empty() {
                return;
            }
            let text = rubric.phrases.phrase_text(*p);
            let pw = PhraseWords::new(text);
            apart(doc, text, &pw, out);
            misspelled(doc, text, &pw, out);
        }
        Expr::Regex(_) => {}
        Expr::Any(items) => items.iter().for_each(|i| near(rubric, doc, scan, i, out)),
        Expr::All(items, within) => {
            let parts: Vec<Vec<Hit>> = items.iter().map(|i| evaluate(i, scan, doc)).collect();
            if evaluate(expr, scan, doc).is_empty() && parts.iter().all(|p| !p.is_empty()) {
                out.extend(out_of_scope(doc, &parts, *within));
            }
            items.iter().for_each(|i| near(rubric, doc, scan, i, out));
        }
    }
}

/// A near miss placed at `token`: its line:column and its sentence.
fn at(doc: &Document, token: usize, phrase: String, why: String) -> NearMiss {
    let pos = doc
        .origin
        .line_col(&doc.text, doc.tokens[token].start as usize);
    NearMiss {
        line: pos.line,
        column: pos.column,
        sentence: quote(&doc.sentence_text(doc.sentence_of(token))),
        phrase,
        why,
    }
}

/// The words of a multi-word phrase in one sentence but not together.
fn apart(doc: &Document, text: &str, pw: &PhraseWords, out: &mut Vec<NearMiss>) {
    // Words like "each other" or "has to" are in every essay: finding them
    // apart says nothing.
    let trivial = pw
        .words
        .iter()
        .all(|(w, _)| crate::text::is_stop_word(w) || is_common_word(w));
    if pw.words.len() < 2 || trivial {
        return;
    }
    let mut seen_everywhere = vec![None; pw.words.len()];
    for s in &doc.sentences {
        let mut first = vec![None; pw.words.len()];
        for t in s.tokens.clone() {
            let w = doc.fold(t);
            for i in 0..pw.words.len() {
                if first[i].is_none() && pw.is_word(i, w) {
                    first[i] = Some(t);
                }
                if seen_everywhere[i].is_none() && pw.is_word(i, w) {
                    seen_everywhere[i] = Some(t);
                }
            }
        }
        if let Some(Some(t)) = first.iter().all(Option::is_some).then(|| first[0]) {
            out.push(at(
                doc,
                t,
                text.to_string(),
                "every word of the phrase is in this sentence, but not together in that order"
                    .into(),
            ));
            return;
        }
    }
    if let Some(Some(t)) = seen_everywhere
        .iter()
        .all(Option::is_some)
        .then(|| seen_everywhere[0])
    {
        out.push(at(
            doc,
            t,
            text.to_string(),
            "every word of the phrase occurs in the essay, but never in one sentence".into(),
        ));
    }
}

/// Essay words a few edits from a phrase word, which the phrase did not
/// accept (too many edits for the word's length, or misspellings are off).
fn misspelled(doc: &Document, text: &str, pw: &PhraseWords, out: &mut Vec<NearMiss>) {
    let mut reported: Vec<String> = Vec::new();
    for (i, (word, forms)) in pw.words.iter().enumerate() {
        let n = word.chars().count();
        // Short words are one edit from too many real words ("less" /
        // "loss") to say anything; two edits only make sense on long words.
        if n < 5 || (pw.wildcard && i + 1 == pw.words.len()) {
            continue;
        }
        let limit = if n < 7 { 1 } else { 2 };
        let first = word.chars().next();
        for t in 0..doc.tokens.len() {
            let token = doc.fold(t);
            if token.chars().next() != first
                || token.chars().count().abs_diff(n) > limit
                || is_common_word(token)
                || forms.iter().any(|f| f == token)
                || reported.iter().any(|r| r == token)
            {
                continue;
            }
            let d = strsim::osa_distance(token, word);
            if d == 0 || d > limit {
                continue;
            }
            reported.push(token.to_string());
            out.push(at(
                doc,
                t,
                text.to_string(),
                format!(
                    "\"{}\" is {d} edit{} from \"{word}\", {}",
                    doc.word_shown(t),
                    plural(d),
                    if d <= pw.tolerated[i] && pw.words.len() > 1 {
                        "a misspelling the phrase accepts, but the rest of the phrase does not follow it"
                    } else {
                        "more than this phrase accepts"
                    }
                ),
            ));
            if reported.len() >= 3 {
                return;
            }
        }
    }
}

/// Every part of an `all` group found, but never within its scope: the
/// closest the parts came.
fn out_of_scope(doc: &Document, parts: &[Vec<Hit>], within: Within) -> Option<NearMiss> {
    // For each hit of the first part, the nearest hit of every other part,
    // in sentences; keep the tightest spread.
    let mut best: Option<(u32, Hit, Vec<Hit>)> = None;
    for h in &parts[0] {
        let mut spread = 0;
        let mut nearest = Vec::new();
        for p in &parts[1..] {
            let n = p.iter().min_by_key(|o| o.sentence.abs_diff(h.sentence))?;
            spread = spread.max(n.sentence.abs_diff(h.sentence));
            nearest.push(*n);
        }
        if best.as_ref().is_none_or(|(b, _, _)| spread < *b) {
            best = Some((spread, *h, nearest));
        }
    }
    let (_, h, nearest) = best?;
    let describe = |hit: &Hit| {
        let pos = doc
            .origin
            .line_col(&doc.text, doc.tokens[hit.tokens.0 as usize].start as usize);
        format!("\"{}\" at {}:{}", found_as(doc, hit), pos.line, pos.column)
    };
    let found: Vec<String> = std::iter::once(&h).chain(&nearest).map(describe).collect();
    Some(at(
        doc,
        h.tokens.0 as usize,
        "all of an `all` group".into(),
        format!(
            "every part was found, but not within {}: {}",
            within_text(within),
            found.join(", ")
        ),
    ))
}
