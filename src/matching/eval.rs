//! Evaluate a criterion's match expression over a scanned essay. The result
//! is a list of hits, each tied to the sentence that holds it, which is what
//! scoring counts and reports quote.

use super::{Occurrence, PhraseId, RegexId, Scan};
use crate::rubric::Within;
use crate::text::Document;

/// A compiled match expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Phrase(PhraseId),
    Regex(RegexId),
    Any(Vec<Expr>),
    All(Vec<Expr>, Within),
}

/// One piece of evidence: a token range, its sentence, and whether any of
/// its words was matched as a misspelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    pub sentence: u32,
    pub tokens: (u32, u32),
    pub fuzzy: bool,
}

impl Expr {
    /// Every phrase this expression can match, depth first.
    pub fn phrases(&self, out: &mut Vec<PhraseId>) {
        match self {
            Expr::Phrase(p) => out.push(*p),
            Expr::Regex(_) => {}
            Expr::Any(items) | Expr::All(items, _) => items.iter().for_each(|e| e.phrases(out)),
        }
    }
}

/// The hits of `expr` in `doc`, sorted by position, without duplicates.
pub fn evaluate(expr: &Expr, scan: &Scan, doc: &Document) -> Vec<Hit> {
    let mut hits = eval(expr, scan, doc);
    hits.sort_unstable();
    hits.dedup();
    hits
}

fn to_hits(occ: &[Occurrence], doc: &Document) -> Vec<Hit> {
    occ.iter()
        .map(|o| Hit {
            sentence: doc.sentence_of(o.tokens.0 as usize) as u32,
            tokens: o.tokens,
            fuzzy: o.fuzzy,
        })
        .collect()
}

fn eval(expr: &Expr, scan: &Scan, doc: &Document) -> Vec<Hit> {
    match expr {
        Expr::Phrase(p) => to_hits(&scan.phrases[*p], doc),
        Expr::Regex(r) => to_hits(&scan.regexes[*r], doc),
        Expr::Any(items) => items.iter().flat_map(|e| eval(e, scan, doc)).collect(),
        Expr::All(items, within) => {
            let parts: Vec<Vec<Hit>> = items.iter().map(|e| eval(e, scan, doc)).collect();
            if parts.iter().any(Vec::is_empty) {
                return Vec::new();
            }
            match within {
                Within::Words(n) => within_words(&parts, *n, doc),
                scope => {
                    let unit = |h: &Hit| scope_unit(doc, h.sentence as usize, *scope);
                    let mut out = Vec::new();
                    for h in &parts[0] {
                        let u = unit(h);
                        if parts[1..].iter().all(|p| p.iter().any(|o| unit(o) == u)) {
                            out.push(*h);
                            for p in &parts[1..] {
                                out.extend(p.iter().filter(|o| unit(o) == u));
                            }
                        }
                    }
                    out
                }
            }
        }
    }
}

/// The sentence, block or section a sentence belongs to, as one number.
fn scope_unit(doc: &Document, sentence: usize, within: Within) -> usize {
    let block = doc.sentences[sentence].block;
    match within {
        Within::Sentence | Within::Words(_) => sentence,
        Within::Paragraph => block,
        Within::Section => doc.block_section[block].map_or(usize::MAX, |s| s),
    }
}

/// Hits of the first part that have a hit of every other part within `n` words.
/// Proximity never reaches across a paragraph break.
fn within_words(parts: &[Vec<Hit>], n: u32, doc: &Document) -> Vec<Hit> {
    let block = |h: &Hit| doc.sentences[h.sentence as usize].block;
    let mut out = Vec::new();
    for h in &parts[0] {
        let near: Option<Vec<Hit>> = parts[1..]
            .iter()
            .map(|p| {
                p.iter()
                    .filter(|o| gap(h, o) <= n && block(o) == block(h))
                    .min_by_key(|o| gap(h, o))
                    .copied()
            })
            .collect();
        if let Some(near) = near {
            out.push(*h);
            out.extend(near);
        }
    }
    out
}

fn gap(a: &Hit, b: &Hit) -> u32 {
    // Zero when the two overlap.
    if a.tokens.1 <= b.tokens.0 {
        b.tokens.0 - a.tokens.1
    } else {
        a.tokens.0.saturating_sub(b.tokens.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::PhraseSetBuilder;

    fn run(phrases: &[&str], build: impl Fn(&[usize]) -> Expr, text: &str) -> Vec<u32> {
        let mut b = PhraseSetBuilder::default();
        let ids: Vec<usize> = phrases
            .iter()
            .map(|p| b.phrase(p, |_, _| false).unwrap())
            .collect();
        let set = b.build().unwrap();
        let doc = Document::from_plain_text(text.into());
        let scan = set.scan(&doc);
        let mut s: Vec<u32> = evaluate(&build(&ids), &scan, &doc)
            .iter()
            .map(|h| h.sentence)
            .collect();
        s.dedup();
        s
    }

    #[test]
    fn all_within_sentence_needs_every_part_in_one_sentence() {
        let text = "Deterrence matters. Deterrence against militants matters.";
        let all = |ids: &[usize]| {
            Expr::All(
                vec![Expr::Phrase(ids[0]), Expr::Phrase(ids[1])],
                Within::Sentence,
            )
        };
        assert_eq!(run(&["deterrence", "militants"], all, text), vec![1]);
    }

    #[test]
    fn all_within_paragraph_and_words() {
        let text = "Deterrence matters.\nIt stops militants.\n\nDeterrence alone.\n";
        let para = |ids: &[usize]| {
            Expr::All(
                vec![Expr::Phrase(ids[0]), Expr::Phrase(ids[1])],
                Within::Paragraph,
            )
        };
        assert_eq!(run(&["deterrence", "militants"], para, text), vec![0, 1]);
        let near = |ids: &[usize]| {
            Expr::All(
                vec![Expr::Phrase(ids[0]), Expr::Phrase(ids[1])],
                Within::Words(2),
            )
        };
        assert_eq!(
            run(&["deterrence", "militants"], near, text),
            Vec::<u32>::new()
        );
        let near = |ids: &[usize]| {
            Expr::All(
                vec![Expr::Phrase(ids[0]), Expr::Phrase(ids[1])],
                Within::Words(3),
            )
        };
        assert_eq!(run(&["deterrence", "militants"], near, text), vec![0, 1]);
    }

    #[test]
    fn any_unions_hits() {
        let text = "TTP grew. ISKP too. Nothing here.";
        let any = |ids: &[usize]| Expr::Any(vec![Expr::Phrase(ids[0]), Expr::Phrase(ids[1])]);
        assert_eq!(run(&["ttp", "iskp"], any, text), vec![0, 1]);
    }
}
