//! Evidence by meaning, as scoring sees it: which sentences the meaning
//! stage may look at, for which criteria (those the phrases alone cannot
//! decide), and how its proposals join the criterion's hits, so that the
//! argument rules judge them exactly as they judge a phrase hit.
//!
//! Examples (tests below and in tests/meaning.rs):
//! - "Whatever Islamabad does to guard its side, fences, posts, raids, Kabul
//!   reads as a threat, and its reply leaves Pakistan less safe than
//!   before." names no phrase of the security dilemma; it resembles the
//!   criterion's examples and is argued, so it counts.
//! - "The security dilemma is not a useful idea here." resembles them too,
//!   but the stance rules reject it: meaning never credits on its own.

use super::context::Context;
use super::trace::{Candidate, RuleInfo};
use super::{Evidence, Role};
use crate::matching::Hit;
use crate::meaning::{self, Proposal, Rejection};
use crate::rubric::{Rubric, Rule};
use crate::text::BlockKind;

pub const PROPOSED: RuleInfo = RuleInfo {
    id: "meaning/proposed",
    summary: "no phrase of the criterion, but the sentence resembles one of its examples (at least the threshold, above every other criterion and clearly above the essay's average): a candidate the argument rules then judge",
};
pub const CLOSER_TO_OTHER: RuleInfo = RuleInfo {
    id: "meaning/closer-to-other",
    summary: "not proposed: the sentence resembles another criterion's examples as much or more",
};
pub const TOPICAL: RuleInfo = RuleInfo {
    id: "meaning/topical",
    summary: "not proposed: the sentence is no closer to the examples than the essay's sentences are on average (on the subject, not the point)",
};
pub const COUNTER_EXAMPLE: RuleInfo = RuleInfo {
    id: "meaning/counter-example",
    summary: "not proposed: the sentence resembles one of the criterion's counter-examples (what does not count) at least as much",
};

pub const RULES: &[&RuleInfo] = &[&PROPOSED, &CLOSER_TO_OTHER, &TOPICAL, &COUNTER_EXAMPLE];

/// Sentences shorter than this are not compared: too few words to
/// resemble anything but by chance, and too thin to argue.
const MIN_TOKENS: usize = 6;

/// A proposal that joined a criterion's hits, for the report and the trace.
#[derive(Debug, Clone, PartialEq)]
pub struct MeaningMatch {
    pub sentence: u32,
    /// The example it resembles (1-based).
    pub example: usize,
    pub similarity: f64,
    /// The sentence's words closest to that example, as written.
    pub aligned: Vec<String>,
}

impl MeaningMatch {
    pub fn describe(&self) -> String {
        describe(self.example, self.similarity, &self.aligned)
    }
}

/// "by meaning: resembles example 2 (0.81; fence, threat, safe)"
pub fn describe(example: usize, similarity: f64, aligned: &[String]) -> String {
    let mut s = format!("by meaning: resembles example {example} ({similarity:.2}");
    if !aligned.is_empty() {
        s.push_str("; ");
        s.push_str(&aligned.join(", "));
    }
    s.push(')');
    s
}

/// What the meaning stage added to a context: per criterion, its accepted
/// proposals (by sentence) and, when tracing, the ones set aside.
#[derive(Debug, Default)]
pub(crate) struct Added {
    pub matches: Vec<Vec<MeaningMatch>>,
    /// With the token the candidate points at.
    pub rejected: Vec<Vec<(Proposal, u32)>>,
}

/// Run the meaning stage for the criteria the phrases leave undecided and
/// add its proposals to `ctx.argument_hits`, keeping them sorted.
pub(crate) fn add_proposals(rubric: &Rubric, ctx: &mut Context) -> Added {
    let n = rubric.criteria.len();
    let mut added = Added {
        matches: vec![Vec::new(); n],
        rejected: vec![Vec::new(); n],
    };
    if !rubric.meaning.enabled || !meaning::AVAILABLE {
        return added;
    }
    let prepared = rubric.meaning_vectors();
    if !prepared.any() {
        return added;
    }
    let doc = ctx.doc;
    // Only criteria a proposal can still change: the phrases give fewer
    // arguing sentences than full credit needs.
    let wanted: Vec<bool> = rubric
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| match &c.rule {
            Rule::Argument { min_hits, .. } if prepared.has_examples(i) => {
                let mut arguing: Vec<u32> = ctx.argument_hits[i]
                    .iter()
                    .map(|h| h.sentence)
                    .filter(|&s| ctx.substantive(s))
                    .collect();
                arguing.dedup();
                arguing.len() < *min_hits as usize
            }
            _ => false,
        })
        .collect();
    if !wanted.iter().any(|&w| w) {
        return added;
    }
    let eligible: Vec<bool> = doc
        .sentences
        .iter()
        .map(|s| {
            Some(s.block) != ctx.title_block
                && doc.blocks[s.block].kind != BlockKind::Heading
                && s.tokens.len() >= MIN_TOKENS
        })
        .collect();
    let proposals = meaning::propose(
        prepared,
        &rubric.meaning,
        doc,
        &eligible,
        &wanted,
        ctx.tracing,
    );
    for p in proposals {
        let c = p.criterion;
        // A sentence with a phrase hit of the criterion is judged by it.
        if ctx.argument_hits[c]
            .iter()
            .any(|h| h.sentence == p.sentence)
        {
            continue;
        }
        // The hit is the word closest to the example: the rules measure the
        // sentence's own words around it as they do around a phrase.
        let anchor = p
            .aligned
            .first()
            .copied()
            .unwrap_or(doc.sentences[p.sentence as usize].tokens.start as u32);
        if p.rejected.is_some() {
            added.rejected[c].push((p, anchor));
            continue;
        }
        ctx.argument_hits[c].push(Hit {
            sentence: p.sentence,
            tokens: (anchor, anchor + 1),
            fuzzy: false,
        });
        added.matches[c].push(MeaningMatch {
            sentence: p.sentence,
            example: p.example,
            similarity: p.similarity,
            aligned: p
                .aligned
                .iter()
                .map(|&t| {
                    let tok = &doc.tokens[t as usize];
                    doc.text[tok.start as usize..tok.end as usize].to_string()
                })
                .collect(),
        });
    }
    for (c, m) in added.matches.iter().enumerate() {
        if !m.is_empty() {
            ctx.argument_hits[c].sort();
            ctx.argument_hits[c].dedup();
        }
    }
    added
}

impl Added {
    /// The match of criterion `c` in sentence `s`, if meaning proposed it.
    pub fn get(&self, c: usize, s: u32) -> Option<&MeaningMatch> {
        self.matches.get(c)?.iter().find(|m| m.sentence == s)
    }

    /// Mark criterion `c`'s trace candidates that meaning proposed, and add
    /// those it looked at and set aside, with the rule that did.
    pub fn trace(&self, c: usize, candidates: &mut Vec<Candidate>) {
        for k in candidates.iter_mut() {
            if k.role != Role::Match {
                continue;
            }
            if let Evidence::Hit(h) = k.evidence {
                if let Some(m) = self.get(c, h.sentence) {
                    k.role = Role::Meaning;
                    let d = m.describe();
                    k.detail = Some(match k.detail.take() {
                        Some(old) => format!("{d}; {old}"),
                        None => d,
                    });
                }
            }
        }
        for (p, anchor) in &self.rejected[c] {
            let (rule, why) = match p.rejected {
                Some(Rejection::CloserToOther { similarity, .. }) => (
                    &CLOSER_TO_OTHER,
                    format!("another criterion {similarity:.2}"),
                ),
                Some(Rejection::Topical { baseline }) => {
                    (&TOPICAL, format!("essay average {baseline:.2}"))
                }
                Some(Rejection::CounterExample { index, similarity }) => (
                    &COUNTER_EXAMPLE,
                    format!("counter-example {index} {similarity:.2}"),
                ),
                None => continue,
            };
            candidates.push(Candidate {
                role: Role::Meaning,
                evidence: Evidence::Hit(Hit {
                    sentence: p.sentence,
                    tokens: (*anchor, anchor + 1),
                    fuzzy: false,
                }),
                counted: false,
                rule,
                detail: Some(format!(
                    "resembles example {} ({:.2}), {why}",
                    p.example, p.similarity
                )),
            });
        }
    }
}
