//! Levels of development of an argument (lens and theme criteria): named,
//! argued, developed, developed in depth. The status rules (argument.rs)
//! decide named/argued/developed; this file decides when a developed
//! argument is developed in depth, and what the next level needs.
//!
//! Examples (tests below):
//! - "The TTP has revived since 2021. Its fighters shelter in Kunar." is
//!   developed (two arguing sentences), not in depth: no reason, no evidence.
//! - The same with "because Kabul released hundreds of its men in August
//!   2021, and attacks in Bajaur rose by 60 percent, according to PICSS" is in
//!   depth: a reason and evidence of two kinds (a figure, a date, a source,
//!   a place) in the argument's own paragraph.

use super::context::Context;
use super::trace::RuleInfo;
use super::{Evidence, Status};
use serde::Serialize;

pub const IN_DEPTH: RuleInfo = RuleInfo {
    id: "depth/in-depth",
    summary: "developed in depth: a developed argument whose own paragraph (3+ sentences) gives a reason (\"because\", \"as a result\", \"which means\") and evidence of two kinds: a figure, a date, a source (\"according to\", a report, a quotation), an example (\"for example\", \"such as\") or names of places and people",
};

pub const RULES: &[&RuleInfo] = &[&IN_DEPTH];

/// How far an argument is developed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// No phrase of the criterion occurs.
    Absent,
    /// Named (a heading, a list, a thin sentence), never argued: no credit.
    Named,
    /// Argued in a sentence: partial credit.
    Argued,
    /// Argued in enough sentences together, or with development next to it.
    Developed,
    /// Developed with reasons and evidence in its own paragraph.
    InDepth,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Absent => "absent",
            Level::Named => "named",
            Level::Argued => "argued",
            Level::Developed => "developed",
            Level::InDepth => "in depth",
        }
    }

    /// What the next level needs, in a student's words.
    pub fn next(self) -> Option<&'static str> {
        match self {
            Level::Absent => Some("make the argument: a claim with a reason"),
            Level::Named => Some("argue it: a sentence with a claim and a reason, not just its name"),
            Level::Argued => Some("develop it: more sentences in the same paragraph with causes, effects or evidence"),
            Level::Developed => Some("in depth: give a reason and evidence in its paragraph, such as a figure, a date, a source or an example"),
            Level::InDepth => None,
        }
    }
}

/// Sentences an argument's paragraph needs to be developed in depth.
const IN_DEPTH_MIN_SENTENCES: usize = 3;
/// Kinds of evidence it needs (figure, date, source, example, names).
const IN_DEPTH_MIN_KINDS: usize = 2;

/// The level of a lens or theme criterion scored `status`, with the
/// evidence the rules counted. `named` says whether any phrase of it
/// occurs.
pub(crate) fn level(
    ctx: &Context,
    cache: &mut Cache,
    status: Status,
    evidence: &[Evidence],
    named: bool,
) -> Level {
    match status {
        Status::Missing if named => Level::Named,
        Status::Missing => Level::Absent,
        Status::Partial => Level::Argued,
        Status::Met if in_depth(ctx, cache, evidence) => Level::InDepth,
        Status::Met => Level::Developed,
    }
}

/// Per block, whether it develops an argument in depth, once decided: an
/// essay's criteria often share a paragraph, and the answer is the
/// paragraph's, not the criterion's.
#[derive(Default)]
pub(crate) struct Cache(rustc_hash::FxHashMap<usize, bool>);

/// Whether the paragraphs of `evidence` give a reason and evidence of
/// `IN_DEPTH_MIN_KINDS` kinds over `IN_DEPTH_MIN_SENTENCES` sentences or
/// more (see `IN_DEPTH`).
fn in_depth(ctx: &Context, cache: &mut Cache, evidence: &[Evidence]) -> bool {
    let doc = ctx.doc;
    // Each hit's paragraph, then the paragraph with most of them: the last
    // of those with most, as `max_by_key` over the sorted paragraphs
    // chooses.
    let mut blocks: Vec<usize> = evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::Hit(h) => Some(doc.sentences[h.sentence as usize].block),
            Evidence::Block(_) => None,
        })
        .collect();
    blocks.sort_unstable();
    // One paragraph of its own: the paragraph with most of the evidence.
    let mut best: Option<(usize, usize)> = None;
    for run in blocks.chunk_by(|a, b| a == b) {
        if best.is_none_or(|(_, n)| run.len() >= n) {
            best = Some((run[0], run.len()));
        }
    }
    let Some((b, _)) = best else {
        return false;
    };
    *cache
        .0
        .entry(b)
        .or_insert_with(|| paragraph_in_depth(ctx, b))
}

/// What a word is evidence of, for `in_depth` (folded words).
#[derive(PartialEq)]
enum Cue {
    Reason,
    Source,
    Example,
    Month,
    Figure,
    None,
}

fn cue(w: &str) -> Cue {
    match w {
        "because" | "therefore" | "thus" | "hence" | "consequently" | "so" | "causes"
        | "caused" | "cause" | "leads" | "led" | "means" | "result" | "due" | "since" | "why" => {
            Cue::Reason
        }
        "according" | "report" | "reported" | "reports" | "survey" | "study" | "studies"
        | "data" | "estimates" | "estimated" | "figures" | "census" | "statistics" | "records"
        | "recorded" => Cue::Source,
        "example" | "instance" | "e.g" | "eg" | "such" | "case" | "illustrates" => Cue::Example,
        "january" | "february" | "march" | "april" | "may" | "june" | "july" | "august"
        | "september" | "october" | "november" | "december" => Cue::Month,
        "percent" | "per" | "million" | "millions" | "billion" | "thousand" | "thousands"
        | "hundreds" | "dozens" => Cue::Figure,
        _ => Cue::None,
    }
}

/// Whether paragraph `b` gives a reason and evidence of two kinds over
/// enough sentences (see `IN_DEPTH`).
fn paragraph_in_depth(ctx: &Context, b: usize) -> bool {
    let doc = ctx.doc;
    let sentences = doc.block_sentences[b].clone();
    if sentences.len() < IN_DEPTH_MIN_SENTENCES {
        return false;
    }
    let (mut reason, mut figure, mut date, mut source, mut example, mut names) =
        (false, false, false, false, false, 0usize);
    let mut named: Vec<&str> = Vec::new();
    for s in sentences {
        let tokens = doc.sentences[s].tokens.clone();
        let first = tokens.start;
        for t in tokens {
            let w = doc.fold(t);
            let original = &doc.text[doc.tokens[t].start as usize..doc.tokens[t].end as usize];
            if w.bytes().any(|c| c.is_ascii_digit()) {
                let year =
                    w.len() == 4 && w.parse::<u32>().is_ok_and(|y| (1800..=2100).contains(&y));
                if year {
                    date = true;
                } else {
                    figure = true;
                }
            } else {
                match cue(w) {
                    Cue::Reason => reason = true,
                    Cue::Source => source = true,
                    Cue::Example => example = true,
                    Cue::Month => date = true,
                    Cue::Figure => figure = true,
                    Cue::None => {}
                }
            }
            // A capitalised word inside the sentence, not a word of the
            // question: a place, a person, an organisation.
            if names < 2
                && t > first
                && original.chars().next().is_some_and(char::is_uppercase)
                && ctx.is_content(t)
                && !named.contains(&w)
                && !ctx.is_title_word(t)
            {
                named.push(w);
                names += 1;
            }
        }
        if doc.text[doc.sentences[s].span.clone()].contains(['"', '“', '”']) {
            source = true;
        }
    }
    let kinds = [figure, date, source, example, names >= 2]
        .iter()
        .filter(|&&k| k)
        .count();
    reason && kinds >= IN_DEPTH_MIN_KINDS
}

#[cfg(test)]
mod tests {
    use super::Level;

    fn level_of(text: &str, id: &str) -> Level {
        let rubric = crate::rubric::Rubric::builtin();
        let doc = crate::text::Document::from_plain_text(format!("Essay\n\n{text}\n"));
        let grade = super::super::grade(&rubric, &doc);
        let i = rubric.criteria.iter().position(|c| c.id == id).unwrap();
        grade.criteria[i]
            .level
            .expect("an argument criterion has a level")
    }

    #[test]
    fn levels_rise_with_reasons_and_evidence() {
        let developed = "The TTP has regrouped in Kunar and Paktika since the fall of Kabul, and its fighters cross the border at will. The TTP leadership lives openly in Afghan towns and plans raids on the police in the tribal districts. Its commanders give interviews from there.";
        assert_eq!(level_of(developed, "ttp-revival"), Level::Developed);
        let deep = "The TTP has regrouped in Kunar and Paktika since the fall of Kabul, because the Taliban released hundreds of its men from Bagram in August 2021. The TTP leadership lives openly in Afghan towns and plans raids on the police in the tribal districts. According to PICSS, attacks in Bajaur rose by 60 percent in 2023.";
        assert_eq!(level_of(deep, "ttp-revival"), Level::InDepth);
        assert_eq!(level_of("TTP.", "ttp-revival"), Level::Named);
        assert_eq!(
            level_of(
                "The weather was pleasant and the market was busy.",
                "ttp-revival"
            ),
            Level::Absent
        );
        assert!(Level::Argued < Level::Developed && Level::Developed < Level::InDepth);
        assert!(Level::InDepth.next().is_none() && Level::Developed.next().is_some());
    }
}
