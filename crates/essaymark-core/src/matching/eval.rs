//! Evaluate a criterion's match expression over a scanned essay. The result
//! is a list of hits, each tied to the sentence that holds it, which is what
//! scoring counts and reports quote.

use super::{Occurrence, PhraseId, RegexId, Scan};
use crate::text::Document;

/// Proximity scope for `all` groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Within {
    Sentence,
    Paragraph,
    Section,
    Words(u32),
    /// One clause: within `CLAUSE_REACH` words, no clause break between
    /// (see `text::clauses`). What a pair rule means by "related".
    Clause,
}

/// Farthest apart (in words) two parts of one clause may be.
pub const CLAUSE_REACH: u32 = 15;

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
    let mut hits = Vec::new();
    eval(expr, scan, doc, &mut hits);
    // A stable sort: `hits` is a few runs already in order (one per phrase),
    // which it merges instead of re-sorting.
    hits.sort();
    hits.dedup();
    hits
}

fn push_hits(occ: &[Occurrence], doc: &Document, out: &mut Vec<Hit>) {
    out.extend(occ.iter().map(|o| Hit {
        sentence: doc.sentence_of(o.tokens.0 as usize) as u32,
        tokens: o.tokens,
        fuzzy: o.fuzzy,
    }));
}

/// Append the hits of `expr` to `out` (one buffer for a whole expression tree).
fn eval(expr: &Expr, scan: &Scan, doc: &Document, out: &mut Vec<Hit>) {
    match expr {
        Expr::Phrase(p) => push_hits(&scan.phrases[*p], doc, out),
        Expr::Regex(r) => push_hits(&scan.regexes[*r], doc, out),
        Expr::Any(items) => items.iter().for_each(|e| eval(e, scan, doc, out)),
        Expr::All(items, within) => {
            let mut parts: Vec<Vec<Hit>> = Vec::with_capacity(items.len());
            for e in items {
                let mut part = Vec::new();
                eval(e, scan, doc, &mut part);
                if part.is_empty() {
                    return;
                }
                parts.push(part);
            }
            match within {
                Within::Words(n) => out.extend(within_words(&parts, *n, doc, false)),
                Within::Clause => out.extend(within_words(&parts, CLAUSE_REACH, doc, true)),
                scope => within_scope(&parts, doc, *scope, out),
            }
        }
    }
}

/// Hits of every part in the scope units (sentences, blocks, sections)
/// where all parts have a hit. One counter per unit: a unit's count rises
/// to k+1 only if part k hits it after parts 0..k all did, so no sorting
/// and no pairing of hits, however often a part ("Afghan*") occurs.
fn within_scope(parts: &[Vec<Hit>], doc: &Document, scope: Within, out: &mut Vec<Hit>) {
    let units = match scope {
        Within::Sentence | Within::Words(_) | Within::Clause => doc.sentences.len(),
        Within::Paragraph | Within::Section => doc.blocks.len() + 1,
    };
    let mut count = vec![0u32; units];
    for (k, part) in parts.iter().enumerate() {
        for h in part {
            let u = scope_unit(doc, h.sentence as usize, scope);
            if count[u] == k as u32 {
                count[u] += 1;
            }
        }
    }
    let all = parts.len() as u32;
    for part in parts {
        out.extend(
            part.iter()
                .filter(|h| count[scope_unit(doc, h.sentence as usize, scope)] == all),
        );
    }
}

/// The sentence, block or section a sentence belongs to, as one number.
fn scope_unit(doc: &Document, sentence: usize, within: Within) -> usize {
    let block = doc.sentences[sentence].block;
    match within {
        Within::Sentence | Within::Words(_) | Within::Clause => sentence,
        Within::Paragraph => block,
        // Before the first heading is unit 0; a heading's section is its index + 1.
        Within::Section => doc.block_section[block].map_or(0, |s| s + 1),
    }
}

/// Hits of the first part that have a hit of every other part within `n` words.
/// Hits of the first part that have a hit of every other part within `n`
/// words (never across a paragraph break), with those nearest hits.
/// With `clause`, the hits must also be in one clause.
fn within_words(parts: &[Vec<Hit>], n: u32, doc: &Document, clause: bool) -> Vec<Hit> {
    let block = |h: &Hit| doc.sentences[h.sentence as usize].block;
    let sorted: Vec<(Vec<Hit>, u32)> = parts[1..]
        .iter()
        .map(|p| {
            let mut v = p.clone();
            v.sort_unstable_by_key(|h| h.tokens);
            let longest = v.iter().map(|h| h.tokens.1 - h.tokens.0).max().unwrap_or(0);
            (v, longest)
        })
        .collect();
    let mut out = Vec::new();
    for h in &parts[0] {
        let near: Option<Vec<Hit>> = sorted
            .iter()
            .map(|(p, longest)| {
                // Only hits starting within `n` words (plus the longest hit's
                // length, for hits before `h`) can be near.
                let lo = p.partition_point(|o| o.tokens.0 + longest + n < h.tokens.0);
                p[lo..]
                    .iter()
                    .take_while(|o| o.tokens.0 <= h.tokens.1 + n)
                    .filter(|o| {
                        gap(h, o) <= n
                            && block(o) == block(h)
                            && (!clause
                                || crate::text::clauses::same_clause(
                                    doc,
                                    h.tokens.0 as usize,
                                    o.tokens.0 as usize,
                                ))
                    })
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
    fn all_within_clause_needs_related_terms() {
        let clause = |ids: &[usize]| {
            Expr::All(
                vec![Expr::Phrase(ids[0]), Expr::Phrase(ids[1])],
                Within::Clause,
            )
        };
        let apart = "Kabul wants recognition from the world, and lorries still wait at the border for days.";
        assert_eq!(run(&["kabul", "border"], clause, apart), Vec::<u32>::new());
        let together = "Kabul has never accepted the border that the British drew.";
        assert_eq!(run(&["kabul", "border"], clause, together), vec![0]);
    }

    #[test]
    fn any_unions_hits() {
        let text = "TTP grew. ISKP too. Nothing here.";
        let any = |ids: &[usize]| Expr::Any(vec![Expr::Phrase(ids[0]), Expr::Phrase(ids[1])]);
        assert_eq!(run(&["ttp", "iskp"], any, text), vec![0, 1]);
    }
}
