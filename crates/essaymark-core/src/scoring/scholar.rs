//! Scholar rules: a scholar is cited when the essay attributes a view to
//! them; a bare mention, a reference-list entry, a byline or a name in the
//! title is not a citation.
//!
//! Examples (tests below): "Walt argues that threats, not power, drive
//! alliances." cites Walt; "In Maleeha Lodhi's view, ..." cites Lodhi;
//! "Lodhi was ambassador in Washington." only mentions her.

use super::context::Context;
use super::trace::{RuleInfo, Sink};
use super::{Evidence, Outcome, Role, Status};
use crate::matching::{evaluate, Expr, Hit};
use crate::text::Document;
use rustc_hash::FxHashSet as HashSet;

pub const NO_NAME: RuleInfo = RuleInfo {
    id: "scholar/no-name",
    summary: "the name and its aliases do not occur outside the title and byline",
};
pub const TITLE: RuleInfo = RuleInfo {
    id: "scholar/title",
    summary: "a name in the essay's title is not a citation",
};
pub const BYLINE: RuleInfo = RuleInfo {
    id: "scholar/byline",
    summary: "a byline (\"By ...\") names the author, not a source",
};
pub const REFERENCE_LIST: RuleInfo = RuleInfo {
    id: "scholar/reference-list",
    summary:
        "a reference-list entry is a bare mention; quote or paraphrase the scholar in the essay",
};
pub const REPORTING_VERB: RuleInfo = RuleInfo {
    id: "scholar/reporting-verb",
    summary: "cited: a reporting verb near the name attributes a view",
};
pub const POSSESSIVE: RuleInfo = RuleInfo {
    id: "scholar/possessive-view",
    summary: "cited: a possessive view (\"Lodhi's view\", \"Walt's argument\")",
};
pub const AFTER_ASIDE: RuleInfo = RuleInfo {
    id: "scholar/verb-after-aside",
    summary: "cited: a reporting verb right after an aside (\"Rana, who ..., notes\")",
};
pub const QUOTATION: RuleInfo = RuleInfo {
    id: "scholar/quotation",
    summary: "cited: the sentence quotes them, or introduces a quotation on the next line",
};
pub const ANY_MENTION: RuleInfo = RuleInfo {
    id: "scholar/any-mention",
    summary: "cited: this criterion needs no attribution (attribution: false)",
};
pub const BARE_MENTION: RuleInfo = RuleInfo {
    id: "scholar/bare-mention",
    summary: "no credit: a bare mention (a name in a list, a biography), no reporting verb with what was said, possessive view or quotation attributes a view",
};
pub const NAME_LIST: RuleInfo = RuleInfo {
    id: "scholar/name-list",
    summary: "no credit: a name in a list of names (\"Walt, Rana and Siddiqa\") is a mention",
};
pub const CITED_ELSEWHERE: RuleInfo = RuleInfo {
    id: "scholar/cited-elsewhere",
    summary: "a bare mention, not needed: a citation elsewhere earns the points",
};

pub const RULES: &[&RuleInfo] = &[
    &NO_NAME,
    &TITLE,
    &BYLINE,
    &REFERENCE_LIST,
    &REPORTING_VERB,
    &POSSESSIVE,
    &AFTER_ASIDE,
    &QUOTATION,
    &ANY_MENTION,
    &BARE_MENTION,
    &NAME_LIST,
    &CITED_ELSEWHERE,
];

/// Specific words a sentence needs besides the name and the verb for the
/// verb to report a view: "Rana also writes." reports nothing.
const VIEW_MIN_WORDS: usize = 2;

/// Whether reporting verb `v` near name `h` reports a view: it is a verb,
/// not a capitalised word inside a name ("the United States"), and the
/// sentence says something besides the name and the verb.
fn says_something(ctx: &Context, v: &Hit, h: &Hit) -> bool {
    let doc = ctx.doc;
    let sentence = &doc.sentences[v.sentence as usize];
    let first = v.tokens.0 as usize;
    if first != sentence.tokens.start
        && doc
            .word(first)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    {
        return false;
    }
    // "Lodhi explains:" with the view on the next line.
    if doc.text[sentence.span.clone()].trim_end().ends_with(':')
        && (v.sentence as usize) + 1 < doc.sentences.len()
    {
        return true;
    }
    let inside = |t: usize, x: &Hit| (x.tokens.0 as usize..x.tokens.1 as usize).contains(&t);
    sentence
        .tokens
        .clone()
        .filter(|&t| ctx.is_specific(t) && !inside(t, v) && !inside(t, h))
        .take(VIEW_MIN_WORDS)
        .count()
        >= VIEW_MIN_WORDS
}

/// Whether the name stands in a list of names: next to another capitalised
/// word across a comma or "and" ("Walt, Rana and Siddiqa").
fn in_name_list(doc: &Document, h: &Hit) -> bool {
    let sentence = &doc.sentences[h.sentence as usize];
    // A capitalised word, not a possessive ("Rana, Pakistan's leading
    // analyst of militancy, ..." is an aside, not a list).
    let capital = |t: usize| {
        let w = doc.word(t);
        w.chars().next().is_some_and(char::is_uppercase) && !w.ends_with("'s") && !w.ends_with("’s")
    };
    let joined = |a: usize, b: usize| {
        // Tokens a < b adjacent, or with "and" between.
        let gap = &doc.text[doc.tokens[a].end as usize..doc.tokens[b].start as usize];
        gap.contains(',') && !gap.contains(['.', ';', ':'])
    };
    let (a, b) = (h.tokens.0 as usize, h.tokens.1 as usize);
    let before = a > sentence.tokens.start && {
        let p = a - 1;
        (doc.fold(p) == "and" && p > sentence.tokens.start && capital(p - 1))
            || (capital(p) && joined(p, a))
    };
    let after = b < sentence.tokens.end && {
        (doc.fold(b) == "and" && b + 1 < sentence.tokens.end && capital(b + 1))
            || (capital(b) && joined(b - 1, b))
    };
    before || after
}

/// How far (in tokens) a reporting verb may stand from the name.
pub(crate) const VERB_REACH: u32 = 12;

/// Tokens after the closing comma of an aside in which the verb must come.
const VERB_AFTER_ASIDE: u32 = 2;

/// Words that attribute a view when a name's possessive precedes them
/// ("In Maleeha Lodhi's view, ...", "Walt's argument is that ...").
const POSSESSED_VIEWS: &[&str] = &[
    "view",
    "views",
    "argument",
    "arguments",
    "assessment",
    "analysis",
    "words",
    "account",
    "verdict",
    "warning",
    "thesis",
];

pub(crate) const QUOTES: &[char] = &['"', '“', '”', '«', '»', '„'];

pub(crate) fn score(ctx: &Context, names: &Expr, attribution: bool) -> Outcome {
    let doc = ctx.doc;
    let mut sink = Sink::new(ctx.tracing);
    let mut hits = evaluate(names, ctx.scan, doc);
    hits.retain(|h| {
        let s = h.sentence as usize;
        let rejected = if ctx.in_title(h.sentence) {
            Some(&TITLE)
        } else if is_byline(doc, s) {
            Some(&BYLINE)
        } else {
            None
        };
        if let Some(rule) = rejected {
            sink.push(Role::Name, Evidence::Hit(*h), false, rule, || None);
        }
        rejected.is_none()
    });
    if hits.is_empty() {
        let mut out = Outcome::new(
            Status::Missing,
            &NO_NAME,
            ctx.say(|| {
                "missing: the name and its aliases do not occur (outside the title and byline)"
                    .into()
            }),
        );
        out.candidates = sink.items;
        return out;
    }
    let reporting = &ctx.reporting;
    let max_verb_len = reporting
        .iter()
        .map(|r| r.tokens.1 - r.tokens.0)
        .max()
        .unwrap_or(0);
    // (hit, rule, detail): cited first, bare after.
    let mut cited: Vec<(Hit, &'static RuleInfo, Option<String>)> = Vec::new();
    let mut bare: Vec<(Hit, &'static RuleInfo)> = Vec::new();
    // Whether the last sentence looked at quotes: hits come in sentence
    // order, and a hostile essay can be one sentence of megabytes.
    let mut quoted: Option<(usize, bool)> = None;
    for h in &hits {
        let s = h.sentence as usize;
        if ctx.references.contains(&doc.sentences[s].block) {
            bare.push((*h, &REFERENCE_LIST));
            continue;
        }
        if !attribution {
            cited.push((*h, &ANY_MENTION, None));
            continue;
        }
        if in_name_list(doc, h) {
            bare.push((*h, &NAME_LIST));
            continue;
        }
        if let Some(v) =
            attributed_by_verb(reporting, max_verb_len, h).filter(|v| says_something(ctx, v, h))
        {
            let d = ctx
                .tracing
                .then(|| format!("\"{}\"", super::found_as(doc, &v)));
            cited.push((*h, &REPORTING_VERB, d));
        } else if possessive_view(doc, h) {
            let d = ctx.tracing.then(|| {
                format!(
                    "\"{} {}\"",
                    super::found_as(doc, h),
                    doc.word(h.tokens.1 as usize)
                )
            });
            cited.push((*h, &POSSESSIVE, d));
        } else if let Some(v) =
            verb_after_aside(doc, reporting, h).filter(|v| says_something(ctx, v, h))
        {
            let d = ctx
                .tracing
                .then(|| format!("\"{}\"", super::found_as(doc, &v)));
            cited.push((*h, &AFTER_ASIDE, d));
        } else if match quoted {
            Some((q, v)) if q == s => v,
            _ => {
                let v = has_quotation(doc, s) || introduces_quotation(doc, s);
                quoted = Some((s, v));
                v
            }
        } {
            cited.push((*h, &QUOTATION, None));
        } else {
            bare.push((*h, &BARE_MENTION));
        }
    }
    let spelled = hits
        .iter()
        .find(|h| h.fuzzy)
        .map(|h| super::found_as(doc, h));
    let spelling_note = spelled.map(|w| format!("cited, but spelled \"{w}\""));
    let mut evidence: Vec<Evidence> = Vec::new();
    let mut seen = HashSet::default();
    let met = !cited.is_empty();
    for (h, rule, detail) in cited {
        let counted = seen.insert(h.sentence);
        if counted {
            evidence.push(Evidence::Hit(h));
        }
        sink.push(Role::Name, Evidence::Hit(h), counted, rule, || detail);
    }
    for &(h, rule) in &bare {
        let rule = if met && rule == &BARE_MENTION {
            &CITED_ELSEWHERE
        } else {
            rule
        };
        sink.push(Role::Name, Evidence::Hit(h), false, rule, || None);
    }
    if met {
        let first_rule = sink
            .items
            .iter()
            .find(|c| c.counted)
            .map(|c| c.rule)
            .unwrap_or(&REPORTING_VERB);
        let mut out = Outcome::new(
            Status::Met,
            first_rule,
            ctx.say(|| {
                "met: cited (a view attributed with a reporting verb, a possessive or a quotation)"
                    .into()
            }),
        );
        out.evidence = evidence;
        out.note = spelling_note;
        out.candidates = sink.items;
        return out;
    }
    // Named, never cited: nothing earned, but the student is told where.
    let only_refs = bare.iter().all(|(_, r)| *r == &REFERENCE_LIST);
    let first = bare[0].0;
    let pos = doc.origin.line_col(
        &doc.text,
        doc.tokens[first.tokens.0 as usize].start as usize,
    );
    let why = if only_refs {
        "listed only in the references; quote or paraphrase them in the essay"
    } else {
        "named but not cited: attribute a view to them (\"X argues that ...\") or quote them"
    };
    let mut out = Outcome::new(
        Status::Missing,
        if only_refs {
            &REFERENCE_LIST
        } else {
            &BARE_MENTION
        },
        ctx.say(|| "missing: named but never cited".into()),
    );
    let at = format!(" (named at {}:{})", pos.line, pos.column);
    out.note = Some(match spelling_note {
        Some(s) => format!("{why}{at}; {s}"),
        None => format!("{why}{at}"),
    });
    out.candidates = sink.items;
    out
}

/// "By Ayesha Khan" under the title. The token count is checked first, so a
/// long sentence is never lowercased (once per name found in it).
fn is_byline(doc: &Document, sentence: usize) -> bool {
    let s = &doc.sentences[sentence];
    s.block <= 2 && s.tokens.len() <= 8 && {
        let t = doc.plain(s.span.clone()).trim_start().to_lowercase();
        t.starts_with("by ") || t.starts_with("written by") || t.starts_with("author:")
    }
}

/// A reporting verb within `VERB_REACH` tokens of `h`, in its sentence.
/// `reporting` is sorted by position and no verb spans more than `max_len`
/// tokens, so only the verbs that can be in reach are looked at: linear in
/// the essay, not names times verbs.
pub(crate) fn attributed_by_verb(reporting: &[Hit], max_len: u32, h: &Hit) -> Option<Hit> {
    let from = h.tokens.0.saturating_sub(VERB_REACH + max_len);
    let first = reporting.partition_point(|r| r.tokens.0 < from);
    reporting[first..]
        .iter()
        .take_while(|r| r.tokens.0 <= h.tokens.1 + VERB_REACH)
        .find(|r| r.sentence == h.sentence && near_tokens(r, h, VERB_REACH))
        .copied()
}

/// "Lodhi's view": the name is possessive and a word of opinion follows it.
pub(crate) fn possessive_view(doc: &Document, h: &Hit) -> bool {
    let last = h.tokens.1 as usize - 1;
    let next = h.tokens.1 as usize;
    let possessive = ["'s", "’s", "ʼs"]
        .iter()
        .any(|p| doc.word(last).ends_with(p));
    possessive
        && next < doc.tokens.len()
        && doc.sentence_of(next) == h.sentence as usize
        && POSSESSED_VIEWS.contains(&doc.fold(next))
}

/// "Amir Rana, who has tracked militant violence for years, observes that":
/// a reporting verb right after an aside set off by commas behind the name,
/// however long the aside (the verb is out of `attributed_by_verb`'s reach).
/// Returns the verb. `reporting` must be sorted by position.
pub(crate) fn verb_after_aside(doc: &Document, reporting: &[Hit], h: &Hit) -> Option<Hit> {
    let sentence = &doc.sentences[h.sentence as usize];
    let name_end = doc.tokens[h.tokens.1 as usize - 1].end as usize;
    let rest = &doc.text[name_end..sentence.span.end];
    let open = rest.strip_prefix(',').or_else(|| rest.strip_prefix(" ,"))?;
    let close = open.find(',')?;
    let close_byte = name_end + (rest.len() - open.len()) + close;
    let after = doc
        .tokens
        .partition_point(|t| (t.start as usize) < close_byte) as u32;
    let first = reporting.partition_point(|r| r.tokens.0 < after);
    reporting[first..]
        .iter()
        .take_while(|r| r.tokens.0 <= after + VERB_AFTER_ASIDE)
        .find(|r| r.sentence == h.sentence)
        .copied()
}

pub(crate) fn near_tokens(a: &Hit, b: &Hit, n: u32) -> bool {
    a.tokens.0 <= b.tokens.1 + n && b.tokens.0 <= a.tokens.1 + n
}

fn has_quotation(doc: &Document, sentence: usize) -> bool {
    doc.text[doc.sentences[sentence].span.clone()].contains(QUOTES)
}

/// "Rana notes:" followed by the quoted view in the next sentence or block.
fn introduces_quotation(doc: &Document, sentence: usize) -> bool {
    let text = doc.text[doc.sentences[sentence].span.clone()].trim_end();
    text.ends_with(':') && (sentence + 1 < doc.sentences.len()) && {
        let next = doc.text[doc.sentences[sentence + 1].span.clone()].trim_start();
        next.starts_with(QUOTES) || next.starts_with('↳') || next.starts_with('\'')
    }
}

/// The rules a scholar criterion is scored by, with its parameters.
pub fn describe(attribution: bool, partial_credit: f64) -> Vec<String> {
    let pct = crate::number::fmt_points(partial_credit * 100.0);
    let mut out = Vec::new();
    if attribution {
        out.push(format!(
            "full credit when a view is attributed: {} ({}), {}, {} or {}",
            REPORTING_VERB.id, VERB_REACH, POSSESSIVE.id, AFTER_ASIDE.id, QUOTATION.id
        ));
        out.push(format!("{}: {}", BARE_MENTION.id, BARE_MENTION.summary));
        let _ = partial_credit;
    } else {
        out.push(format!("{}: {}", ANY_MENTION.id, ANY_MENTION.summary));
    }
    out.push(format!(
        "{}, {} and {} never cite; names 5+ letters long tolerate a misspelling (partial credit setting {pct}% applies to arguments, not to names)",
        REFERENCE_LIST.id, BYLINE.id, TITLE.id
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_util::status_of;

    /// A view is attributed by a possessive ("Lodhi's view") or by a verb
    /// after an aside, however long the aside; a name with neither is only
    /// mentioned.
    #[test]
    fn possessive_views_and_verbs_after_an_aside_attribute() {
        use super::super::Status::{Met, Missing};
        let cases = [
            ("In Maleeha Lodhi's view, the way refugees are treated shapes diplomacy for decades.", "lodhi", Met),
            ("Maleeha Lodhi's book on diplomacy sits on many shelves in Islamabad today.", "lodhi", Missing),
            (
                "Muhammad Amir Rana, who has tracked militant violence for many years at a research institute in Islamabad, observes that the TTP returned stronger.",
                "amir-rana",
                Met,
            ),
            (
                "Muhammad Amir Rana, who has tracked militant violence for many years at a research institute in Islamabad, was interviewed on television about the TTP and its return.",
                "amir-rana",
                Missing,
            ),
        ];
        for (text, id, want) in cases {
            assert_eq!(status_of(text, id), want, "{text}");
        }
    }

    /// The windowed look-up finds exactly what a scan of every verb finds
    /// (it replaced that scan, which was quadratic on hostile essays).
    #[test]
    fn attributed_by_verb_matches_a_full_scan() {
        use super::{attributed_by_verb, near_tokens, Hit};
        let hit = |sentence: u32, start: u32, len: u32| Hit {
            sentence,
            tokens: (start, start + len),
            fuzzy: false,
        };
        // A deterministic spread of verbs (1-4 tokens) over 400 tokens.
        let mut verbs: Vec<Hit> = (0..120u32)
            .map(|i| {
                let start = (i * 37) % 400;
                hit(start / 25, start, 1 + i % 4)
            })
            .collect();
        verbs.sort_unstable_by_key(|r| r.tokens);
        let max_len = verbs.iter().map(|r| r.tokens.1 - r.tokens.0).max().unwrap();
        for start in 0..400u32 {
            for len in 1..3 {
                let h = hit(start / 25, start, len);
                let scan = verbs
                    .iter()
                    .any(|r| r.sentence == h.sentence && near_tokens(r, &h, 12));
                assert_eq!(
                    attributed_by_verb(&verbs, max_len, &h).is_some(),
                    scan,
                    "{h:?}"
                );
            }
        }
        assert!(attributed_by_verb(&[], 0, &hit(0, 5, 1)).is_none());
    }
}
