//! Argument rules (lens and theme criteria): which sentences argue a point
//! rather than name it, and when an argued point is developed enough for
//! full credit.
//!
//! Examples (each is a test below):
//! - "ISIS-K is a threat." names ISIS-K: too thin to argue it.
//! - "TTP, ISIS-K, refugees, CPEC, trade." lists keywords of several criteria.
//! - "ISIS-K has grown into a serious threat on the western frontier." argues
//!   it; with "Its suicide bombings have killed hundreds." in the same
//!   paragraph it is developed (full credit).

use super::context::{Context, MIN_OWN_CONTENT_WORDS};
use super::trace::{RuleInfo, Sink};
use super::{Evidence, Outcome, Role, Status, OUTLINE_NOTE};
use crate::matching::{evaluate, Expr, Hit};
use crate::text::{BlockKind, Document, Sentence};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

pub const NO_MATCH: RuleInfo = RuleInfo {
    id: "argument/no-match",
    summary: "no phrase of the criterion occurs outside the title",
};
pub const TITLE: RuleInfo = RuleInfo {
    id: "argument/title",
    summary: "the essay's title restates the question and is never evidence",
};
pub const HEADING: RuleInfo = RuleInfo {
    id: "argument/heading",
    summary: "a heading names a point; it does not argue it",
};
pub const KEYWORD_LIST: RuleInfo = RuleInfo {
    id: "argument/keyword-list",
    summary: "the sentence lists keywords of three or more criteria with little else: an enumeration, not an argument",
};
pub const THIN_SENTENCE: RuleInfo = RuleInfo {
    id: "argument/thin-sentence",
    summary: "too few words of its own besides the keywords to argue anything (three content words; one in a short bullet)",
};
pub const SUBSTANTIVE: RuleInfo = RuleInfo {
    id: "argument/substantive",
    summary:
        "a sentence that argues the point: not a heading or keyword list, with words of its own",
};
pub const SAME_SENTENCE: RuleInfo = RuleInfo {
    id: "argument/same-sentence",
    summary: "another hit in a sentence already counted; a sentence counts once",
};
pub const ARGUED_ENOUGH: RuleInfo = RuleInfo {
    id: "argument/argued-in-enough-sentences",
    summary: "full credit: the argument is made in `min_hits` substantive sentences",
};
pub const HEADING_WITH_BODY: RuleInfo = RuleInfo {
    id: "argument/heading-with-body",
    summary: "full credit: a heading names the point and two or more sentences under it carry it or its development",
};
pub const DEVELOPED: RuleInfo = RuleInfo {
    id: "argument/developed-in-paragraph",
    summary: "full credit: argued in a substantive sentence and developed by a `develop` term in another arguing sentence of the same paragraph (for a bullet, the same section)",
};
pub const DEVELOP_ELSEWHERE: RuleInfo = RuleInfo {
    id: "argument/develop-elsewhere",
    summary: "a development term outside the paragraph of the argument develops nothing",
};
pub const DEVELOP_NOT_ARGUING: RuleInfo = RuleInfo {
    id: "argument/develop-not-arguing",
    summary: "a development term in a heading, keyword list or thin sentence develops nothing",
};
pub const DEVELOP_OWN_SENTENCE: RuleInfo = RuleInfo {
    id: "argument/develop-own-sentence",
    summary: "a development term in the argument's own short sentence does not develop it",
};
pub const DEVELOP_UNUSED: RuleInfo = RuleInfo {
    id: "argument/develop-unused",
    summary: "not needed: the criterion was decided without it",
};
pub const UNDEVELOPED: RuleInfo = RuleInfo {
    id: "argument/undeveloped",
    summary: "partial credit: argued in fewer sentences than needed, with no development in its paragraph",
};
pub const NAMED_ONLY: RuleInfo = RuleInfo {
    id: "argument/named-only",
    summary: "half the partial credit: only named (a heading, a keyword list or a thin sentence), never argued",
};
pub const OUTLINE: RuleInfo = RuleInfo {
    id: "argument/outline",
    summary: "partial at most: in an outline (under a quarter of the words in paragraphs) an argument made only in bullets is listed, not argued",
};

pub const RULES: &[&RuleInfo] = &[
    &NO_MATCH,
    &TITLE,
    &HEADING,
    &KEYWORD_LIST,
    &THIN_SENTENCE,
    &SUBSTANTIVE,
    &SAME_SENTENCE,
    &ARGUED_ENOUGH,
    &HEADING_WITH_BODY,
    &DEVELOPED,
    &DEVELOP_ELSEWHERE,
    &DEVELOP_NOT_ARGUING,
    &DEVELOP_OWN_SENTENCE,
    &DEVELOP_UNUSED,
    &UNDEVELOPED,
    &NAMED_ONLY,
    &OUTLINE,
];

/// Keywords of three or more criteria with little else, or strung together
/// with commas: an enumeration, not an argument (`KEYWORD_LIST`).
pub(crate) fn is_keyword_list(doc: &Document, s: &Sentence, own: usize, criteria: usize) -> bool {
    let commas = doc.text[s.span.clone()].matches(',').count();
    criteria >= 3 && (own < 2 * criteria || commas >= criteria)
}

/// Content words of its own a sentence needs to argue (`THIN_SENTENCE`).
/// Bullets are terse by nature: a bullet of three words or more says
/// something even when its nouns are all keywords ("Conditional engagement
/// with Kabul"); a shorter one needs one word of its own.
pub(crate) fn own_words_needed(kind: BlockKind, tokens: usize) -> usize {
    if kind == BlockKind::ListItem {
        usize::from(tokens < 3)
    } else {
        MIN_OWN_CONTENT_WORDS
    }
}

/// A long sentence (a dense bullet) may develop its own point: the own
/// words a sentence needs for a `develop` term in it to count.
const SELF_DEVELOPING_OWN_WORDS: usize = 2 * MIN_OWN_CONTENT_WORDS + 2;

/// Score an argument criterion. In an outline, an argument whose evidence is
/// all bullets and headings is at most partly made (`OUTLINE`).
pub(crate) fn score(
    ctx: &Context,
    index: usize,
    expr: &Expr,
    develop: Option<&Expr>,
    min_hits: u32,
) -> Outcome {
    let mut sink = Sink::new(ctx.tracing);
    if ctx.tracing {
        for h in evaluate(expr, ctx.scan, ctx.doc)
            .into_iter()
            .filter(|h| ctx.in_title(h.sentence))
        {
            sink.push(Role::Match, Evidence::Hit(h), false, &TITLE, || None);
        }
    }
    let mut out = in_text(ctx, index, develop, min_hits, &mut sink);
    out.candidates = sink.items;
    let Some((prose, bullets)) = ctx.outline else {
        return out;
    };
    if out.status != Status::Met || out.in_prose {
        return out;
    }
    out.status = Status::Partial;
    out.rule = &OUTLINE;
    out.note = Some(format!(
        "{OUTLINE_NOTE} ({bullets} words in bullet points, {prose} in paragraphs); \
         write this argument out in a paragraph"
    ));
    let n = out.evidence.len();
    out.decision = ctx.say(|| {
        format!(
            "partial: argued only in bullet points ({n} counted sentence{}), and the essay is an outline: under a quarter of its words are in paragraphs",
            if n == 1 { "" } else { "s" }
        )
    });
    out
}

fn in_text(
    ctx: &Context,
    index: usize,
    develop: Option<&Expr>,
    min_hits: u32,
    sink: &mut Sink,
) -> Outcome {
    let doc = ctx.doc;
    let hits = &ctx.argument_hits[index];
    if ctx.tracing && (hits.is_empty() || substantive_count(ctx, hits) >= min_hits as usize) {
        // Decided without development: say so of every development term.
        let dev_hits = develop
            .map(|d| evaluate(d, ctx.scan, doc))
            .unwrap_or_default();
        record_develop(ctx, &dev_hits, sink, |_| false);
    }
    if hits.is_empty() {
        let decision = ctx.say(|| {
            if sink.items.is_empty() {
                "missing: no phrase matched anywhere in the essay".into()
            } else {
                "missing: the only hits are in the title, which is never evidence".into()
            }
        });
        return Outcome::new(Status::Missing, &NO_MATCH, decision);
    }
    let mut substantive: Vec<u32> = hits
        .iter()
        .map(|h| h.sentence)
        .filter(|&s| ctx.substantive(s))
        .collect();
    substantive.dedup();
    let in_paragraph = |s: u32| doc.blocks[ctx.block_of(s)].kind == BlockKind::Paragraph;
    // Whether any hit is in a paragraph: an outline's argument written out in
    // prose anywhere stays met.
    let hits_in_prose = hits.iter().any(|h| in_paragraph(h.sentence));
    let n = substantive.len();
    let plural = |n: usize| if n == 1 { "" } else { "s" };

    // Full credit by enough arguing sentences.
    if n >= min_hits as usize {
        let evidence = record_hits(ctx, hits, sink, true);
        let mut out = Outcome::new(
            Status::Met,
            &ARGUED_ENOUGH,
            ctx.say(|| {
                format!(
                    "met: argued in {n} substantive sentence{} (needs {min_hits})",
                    plural(n)
                )
            }),
        );
        out.evidence = evidence;
        out.in_prose = hits_in_prose;
        return out;
    }
    let dev_hits = develop
        .map(|d| evaluate(d, ctx.scan, doc))
        .unwrap_or_default();

    // Full credit by a heading naming the theme over a body that argues it:
    // two or more sentences under it carry the theme's or its development
    // terms. Sets and maps, not scans: a hostile essay can repeat one
    // argument under hundreds of thousands of headings.
    if hits.iter().any(|h| ctx.is_heading(h.sentence)) {
        let mut first_hit: HashMap<u32, Hit> = HashMap::default();
        let mut under: HashMap<usize, Vec<u32>> = HashMap::default();
        for x in hits.iter().chain(&dev_hits) {
            let s = x.sentence;
            first_hit.entry(s).or_insert(*x);
            let b = ctx.block_of(s);
            if let Some(heading_block) = doc.block_section[b] {
                if b != heading_block && !ctx.is_heading(s) && !ctx.list_like[s as usize] {
                    under.entry(heading_block).or_default().push(s);
                }
            }
        }
        for body in under.values_mut() {
            body.sort_unstable();
            body.dedup();
        }
        for h in hits.iter().filter(|h| ctx.is_heading(h.sentence)) {
            let Some(body) = under.get(&ctx.block_of(h.sentence)) else {
                continue;
            };
            if body.len() < 2 {
                continue;
            }
            // Counted: the arguing sentences, the heading and its body.
            let body_set: HashSet<u32> = body.iter().copied().collect();
            let mut evidence = Vec::new();
            let mut seen: HashSet<u32> = HashSet::default();
            for pass in [true, false] {
                for x in hits {
                    let s = x.sentence;
                    if ctx.substantive(s) != pass {
                        continue;
                    }
                    let counts = pass || x == h || body_set.contains(&s);
                    let fresh = seen.insert(s);
                    let rule = if !fresh {
                        &SAME_SENTENCE
                    } else if pass {
                        &SUBSTANTIVE
                    } else if counts {
                        &HEADING_WITH_BODY
                    } else {
                        ctx.why_not_substantive(s).unwrap_or(&THIN_SENTENCE)
                    };
                    let counted = counts && fresh;
                    if counted {
                        evidence.push(Evidence::Hit(*x));
                    }
                    sink.push(Role::Match, Evidence::Hit(*x), counted, rule, || None);
                }
            }
            for &s in body {
                if seen.insert(s) {
                    if let Some(x) = first_hit.get(&s) {
                        evidence.push(Evidence::Hit(*x));
                    }
                }
            }
            record_develop(ctx, &dev_hits, sink, |d| {
                body_set.contains(&d.sentence) && first_hit.get(&d.sentence) == Some(d)
            });
            let mut out = Outcome::new(
                Status::Met,
                &HEADING_WITH_BODY,
                ctx.say(|| {
                    format!(
                        "met: a heading names it and {} sentences under it carry it or its development",
                        body.len()
                    )
                }),
            );
            out.in_prose = hits_in_prose || body.iter().any(|&s| in_paragraph(s));
            out.evidence = evidence;
            return out;
        }
    }

    // Full credit by development in the argument's own paragraph.
    if develop.is_some() && !substantive.is_empty() {
        // For a bullet, the list's section (bullets are one block each). The
        // tag 2 keeps paragraph units apart from section (0) and pre-heading
        // (1) units.
        let unit = |s: u32| {
            let block = ctx.block_of(s);
            if doc.blocks[block].kind == BlockKind::ListItem {
                match doc.block_section[block] {
                    Some(h) => (0, h),
                    None => (1, block),
                }
            } else {
                (2, block)
            }
        };
        let units: HashSet<(usize, usize)> = substantive.iter().map(|&s| unit(s)).collect();
        let usable = |d: &Hit| -> Result<(), &'static RuleInfo> {
            if !ctx.substantive(d.sentence) {
                Err(&DEVELOP_NOT_ARGUING)
            } else if substantive.contains(&d.sentence)
                && ctx.own_words[d.sentence as usize] < SELF_DEVELOPING_OWN_WORDS
            {
                Err(&DEVELOP_OWN_SENTENCE)
            } else if !units.contains(&unit(d.sentence)) {
                Err(&DEVELOP_ELSEWHERE)
            } else {
                Ok(())
            }
        };
        if let Some(d) = dev_hits.iter().find(|d| usable(d).is_ok()) {
            let mut evidence = record_hits(ctx, hits, sink, true);
            if !evidence
                .iter()
                .any(|e| matches!(e, Evidence::Hit(x) if x.sentence == d.sentence))
            {
                evidence.push(Evidence::Hit(*d));
            }
            for x in &dev_hits {
                let rule = if x == d {
                    &DEVELOPED
                } else {
                    usable(x).err().unwrap_or(&DEVELOP_UNUSED)
                };
                sink.push(Role::Develop, Evidence::Hit(*x), x == d, rule, || None);
            }
            let mut out = Outcome::new(
                Status::Met,
                &DEVELOPED,
                ctx.say(|| {
                    format!(
                        "met: argued in {n} substantive sentence{} and developed by a `develop` term in the same paragraph",
                        plural(n)
                    )
                }),
            );
            out.in_prose = hits_in_prose || in_paragraph(d.sentence);
            out.evidence = evidence;
            return out;
        }
        for x in &dev_hits {
            sink.push(
                Role::Develop,
                Evidence::Hit(*x),
                false,
                usable(x).err().unwrap_or(&DEVELOP_UNUSED),
                || None,
            );
        }
    } else {
        record_develop(ctx, &dev_hits, sink, |_| false);
    }

    // Partial credit.
    if n > 0 {
        let evidence = record_hits(ctx, hits, sink, true);
        let mut out = Outcome::new(
            Status::Partial,
            &UNDEVELOPED,
            ctx.say(|| {
                format!(
                    "partial: {n} substantive sentence{} where {min_hits} are needed, and no `develop` term in the same paragraph completes it",
                    plural(n)
                )
            }),
        );
        out.note =
            Some("mentioned in one sentence; develop it with causes, effects or evidence".into());
        out.evidence = evidence;
        out.in_prose = hits_in_prose;
        return out;
    }
    let note = if hits.iter().all(|h| ctx.is_heading(h.sentence)) {
        "named only in a heading; argue it in the text below"
    } else if hits.iter().any(|h| ctx.list_like[h.sentence as usize]) {
        "only listed among other keywords, not argued"
    } else {
        "mentioned in passing; develop it with causes, effects or evidence"
    };
    let evidence = record_hits(ctx, hits, sink, false);
    let mut out = Outcome::new(
        Status::Partial,
        &NAMED_ONLY,
        ctx.say(|| format!("partial, halved: {note}")),
    );
    out.named_only = true;
    out.note = Some(note.to_string());
    out.evidence = evidence;
    out.in_prose = hits_in_prose;
    out
}

/// Record the match hits: one counted hit per sentence, arguing sentences
/// first. With `only_arguing`, sentences that do not argue are rejected
/// with the rule that says why; without it (a point only named), they are
/// what earns the partial credit. Returns the counted hits as evidence.
fn record_hits(ctx: &Context, hits: &[Hit], sink: &mut Sink, only_arguing: bool) -> Vec<Evidence> {
    let mut evidence = Vec::new();
    let mut seen: HashSet<u32> = HashSet::default();
    for pass in [true, false] {
        for h in hits {
            let s = h.sentence;
            if ctx.substantive(s) != pass {
                continue;
            }
            let fresh = seen.insert(s);
            let why_not = ctx.why_not_substantive(s);
            let counted = fresh && (pass || !only_arguing);
            let rule = match (fresh, why_not) {
                (false, _) => &SAME_SENTENCE,
                (true, None) => &SUBSTANTIVE,
                (true, Some(r)) => r,
            };
            if counted {
                evidence.push(Evidence::Hit(*h));
            }
            sink.push(Role::Match, Evidence::Hit(*h), counted, rule, || None);
        }
    }
    evidence
}

fn substantive_count(ctx: &Context, hits: &[Hit]) -> usize {
    let mut v: Vec<u32> = hits
        .iter()
        .map(|h| h.sentence)
        .filter(|&s| ctx.substantive(s))
        .collect();
    v.dedup();
    v.len()
}

/// Record development hits that did not decide anything.
fn record_develop(
    ctx: &Context,
    dev_hits: &[Hit],
    sink: &mut Sink,
    counted: impl Fn(&Hit) -> bool,
) {
    if !ctx.tracing {
        return;
    }
    for d in dev_hits {
        let c = counted(d);
        let rule = if c {
            &HEADING_WITH_BODY
        } else if !ctx.substantive(d.sentence) {
            &DEVELOP_NOT_ARGUING
        } else {
            &DEVELOP_UNUSED
        };
        sink.push(Role::Develop, Evidence::Hit(*d), c, rule, || None);
    }
}

/// The rules an argument criterion is scored by, with its parameters.
pub fn describe(min_hits: u32, partial_credit: f64, has_develop: bool) -> Vec<String> {
    let pct = crate::report::fmt_points(partial_credit * 100.0);
    let mut out = vec![format!(
        "{}: full credit needs the argument in {min_hits} substantive sentence{}",
        ARGUED_ENOUGH.id,
        if min_hits == 1 { "" } else { "s" }
    )];
    if has_develop {
        out.push(format!("{}: or {}", DEVELOPED.id, DEVELOPED.summary));
    }
    out.push(format!(
        "{}: or {}",
        HEADING_WITH_BODY.id, HEADING_WITH_BODY.summary
    ));
    out.push(format!(
        "{}: partial credit ({pct}% of the points) for an argument made in fewer sentences",
        UNDEVELOPED.id
    ));
    out.push(format!("{}: {}", NAMED_ONLY.id, NAMED_ONLY.summary));
    out.push(format!(
        "{}: {}; {}, {} and {} do not count; {}",
        SUBSTANTIVE.id,
        SUBSTANTIVE.summary,
        HEADING.id,
        KEYWORD_LIST.id,
        THIN_SENTENCE.id,
        TITLE.summary
    ));
    out.push(format!("{}: {}", OUTLINE.id, OUTLINE.summary));
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{status_of, traced};
    use super::super::Status::{Met, Missing, Partial};

    /// An argument is developed where it is made: a `develop` term in the
    /// same paragraph completes it, one in another paragraph does not.
    #[test]
    fn development_counts_in_the_paragraph_of_the_argument() {
        let isis = "ISIS-K has grown into a serious threat on the western frontier of the country.";
        let develop =
            "Its suicide bombings have killed hundreds of worshippers and political workers.";
        let other =
            "Trade through the northern crossings has fallen sharply since the closures began.";
        let same = format!("{isis} {develop}\n\n{other}");
        let apart = format!("{isis} {other}\n\n{develop}");
        let (status, trace) = traced(&same, "isis-k");
        assert_eq!(status, Met);
        assert_eq!(trace.decided_by, &super::DEVELOPED);
        let (status, trace) = traced(&apart, "isis-k");
        assert_eq!(status, Partial);
        assert_eq!(trace.decided_by, &super::UNDEVELOPED);
        assert!(trace
            .candidates
            .iter()
            .any(|c| c.rule == &super::DEVELOP_ELSEWHERE && !c.counted));
    }

    /// A thin sentence or a keyword list names a point: half the partial
    /// credit, with the rule that says so.
    #[test]
    fn naming_is_not_arguing() {
        let (status, trace) = traced("ISIS-K is a threat.", "isis-k");
        assert_eq!(status, Partial);
        assert_eq!(trace.decided_by, &super::NAMED_ONLY);
        assert_eq!(trace.candidates[0].rule, &super::THIN_SENTENCE);
        let list = "The TTP, ISIS-K, refugees, CPEC and the Durand Line are all issues.";
        let (_, trace) = traced(list, "isis-k");
        assert_eq!(trace.candidates[0].rule, &super::KEYWORD_LIST);
        assert_eq!(
            status_of("Nothing to see here at all today.", "isis-k"),
            Missing
        );
    }
}
