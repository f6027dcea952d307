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
//! - "Border closures at Torkham matter too." says only that its subject
//!   matters: a filler predicate.

use super::context::{Context, MIN_OWN_CONTENT_WORDS};
use super::trace::{RuleInfo, Sink};
use super::{stance, Evidence, Outcome, Role, Status};
use crate::matching::{evaluate, Expr, Hit};
use crate::rubric::Stance;
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
    summary: "too few specific words of its own besides the criterion's keywords to argue it (two in a sentence, one in a bullet; generic words such as \"important\" or \"issue\" and the words of the title do not count)",
};
pub const FILLER_PREDICATE: RuleInfo = RuleInfo {
    id: "argument/filler-predicate",
    summary: "a short sentence that only says its subject matters (\"Border closures at Torkham matter too.\", \"Regional cooperation is part of this topic.\"): a linking verb followed by nothing specific",
};
pub const SUBSTANTIVE: RuleInfo = RuleInfo {
    id: "argument/substantive",
    summary:
        "a sentence that argues the point: not a heading or keyword list, with words of its own; or a paragraph's opening sentence that names the point when the next two sentences elaborate it (substantive, naming one criterion at most)",
};
pub const SAME_SENTENCE: RuleInfo = RuleInfo {
    id: "argument/same-sentence",
    summary: "another hit in a sentence already counted; a sentence counts once",
};
pub const ARGUED_ENOUGH: RuleInfo = RuleInfo {
    id: "argument/argued-in-enough-sentences",
    summary: "full credit: the argument is made in `min_hits` substantive sentences that stand together (one paragraph or the next, or one heading's section)",
};
pub const SCATTERED: RuleInfo = RuleInfo {
    id: "argument/scattered",
    summary: "partial credit: argued in enough sentences, but no `min_hits` of them stand together (one paragraph or the next, or one heading's section): a point made in pieces across the essay is not developed",
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
    summary: "no credit: only named (a heading, the outline, a keyword list, a thin, rejecting or dismissive sentence), never argued; the report says where",
};
pub const OUTLINE_PLAN: RuleInfo = RuleInfo {
    id: "argument/outline-plan",
    summary:
        "a line of the answer's opening outline (list items before a longer stretch of prose) is a plan: it earns nothing and develops nothing; in an answer written wholly in bullets, only the notes are (a bullet of six words or more that ends as a sentence argues)",
};

pub const ENUMERATED: RuleInfo = RuleInfo {
    id: "argument/enumerated",
    summary: "the point is one short item of an enumeration of three or more that closes a longer sentence (\"... lies in realist engagement, credible deterrence, and internal resilience\"): listed, not argued, as a bare list line is",
};

pub const BARE_LINE: RuleInfo = RuleInfo {
    id: "argument/bare-line",
    summary: "a bullet of a few words with no sentence ending (\"-> Firm deterrence against cross-border militancy\") names its point: every bare line of a list gets this one verdict, however specific its words",
};

pub const PASSING_MENTION: RuleInfo = RuleInfo {
    id: "argument/passing-mention",
    summary: "a short sentence that only adds its point to a list (\"also\", \"another\", \"too\") with no reason, figure or consequence of its own (\"Refugees are also a burden on the economy.\") mentions the point in passing; unless the next sentences elaborate it",
};

/// How the note of an argument that is only listed (bare list lines, one
/// item of an enumeration, a heading) begins.
pub const LISTED_ONLY: &str = "only listed (a bare list line or one item of an enumeration)";

pub const RULES: &[&RuleInfo] = &[
    &NO_MATCH,
    &TITLE,
    &HEADING,
    &KEYWORD_LIST,
    &THIN_SENTENCE,
    &FILLER_PREDICATE,
    &SUBSTANTIVE,
    &SAME_SENTENCE,
    &ARGUED_ENOUGH,
    &SCATTERED,
    &HEADING_WITH_BODY,
    &DEVELOPED,
    &DEVELOP_ELSEWHERE,
    &DEVELOP_NOT_ARGUING,
    &DEVELOP_OWN_SENTENCE,
    &DEVELOP_UNUSED,
    &UNDEVELOPED,
    &NAMED_ONLY,
    &OUTLINE_PLAN,
    &PASSING_MENTION,
    &ENUMERATED,
    &BARE_LINE,
];

/// Keywords of three or more criteria with little else, or strung together
/// with commas: an enumeration, not an argument (`KEYWORD_LIST`).
/// A long run of short comma-separated items ("TTP resurgence, safe
/// havens, Kunar, Paktika, ceasefire 2022, ...") is a list whatever it
/// names: at least `LIST_MIN_COMMAS` commas and items of
/// `LIST_MAX_ITEM_TOKENS` words or fewer on average.
const LIST_MIN_COMMAS: usize = 5;
const LIST_MAX_ITEM_TOKENS: usize = 4;

pub(crate) fn is_keyword_list(doc: &Document, s: &Sentence, own: usize, criteria: usize) -> bool {
    let commas = doc.text[s.span.clone()].matches(',').count();
    let short_items =
        commas >= LIST_MIN_COMMAS && s.tokens.len() <= LIST_MAX_ITEM_TOKENS * (commas + 1);
    short_items || (criteria >= 3 && (own < 2 * criteria || commas >= criteria))
}

/// Content words of its own a sentence needs to argue (`THIN_SENTENCE`).
/// Bullets are terse by nature: a bullet of three words or more says
/// something even when its nouns are keywords ("Suspension of cross-border
/// trade"); a shorter one needs one word of its own. (Whether it argues a
/// given criterion is `MIN_SPECIFIC_WORDS`' business.)
pub(crate) fn own_words_needed(kind: BlockKind, tokens: usize) -> usize {
    if kind == BlockKind::ListItem {
        usize::from(tokens < 3)
    } else {
        MIN_OWN_CONTENT_WORDS
    }
}

/// A long sentence (a dense bullet) may develop its own point: the own
/// words a sentence needs for a `develop` term in it to count.
pub(crate) const SELF_DEVELOPING_OWN_WORDS: usize = 2 * MIN_OWN_CONTENT_WORDS + 2;

/// How far (in sentences) from an arguing sentence a `develop` term may
/// stand and still develop it: the claim and its neighbours that give the
/// reason, mechanism, example, figure or source. Further away, in a long
/// paragraph, it belongs to another argument.
pub(crate) const DEVELOP_REACH: u32 = 2;

/// Score an argument criterion.
pub(crate) fn score(
    ctx: &Context,
    index: usize,
    expr: &Expr,
    develop: Option<&Expr>,
    min_hits: u32,
    stance: Stance,
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
    let mut out = in_text(ctx, index, develop, min_hits, stance, &mut sink);
    out.candidates = sink.items;
    out
}

/// Words that say nothing specific about any argument: a sentence made of
/// the keyword and these ("The TTP is a very important issue for the
/// country today.") is filler, however good its grammar. Sorted.
const GENERIC: &[&str] = &[
    "actually",
    "affect",
    "affected",
    "affects",
    "also",
    "another",
    "area",
    "areas",
    "aspect",
    "aspects",
    "attention",
    "bad",
    "basically",
    "big",
    "bigger",
    "biggest",
    "case",
    "certain",
    "certainly",
    "challenge",
    "challenges",
    "clear",
    "clearly",
    "concern",
    "concerning",
    "concerns",
    "consider",
    "considered",
    "considering",
    "country",
    "critical",
    "crucial",
    "current",
    "definitely",
    "deserve",
    "deserves",
    "different",
    "dimension",
    "dimensions",
    "discuss",
    "discussed",
    "discussion",
    "element",
    "elements",
    "especially",
    "essay",
    "essential",
    "everyone",
    "everything",
    "extremely",
    "fact",
    "factor",
    "factors",
    "future",
    "general",
    "generally",
    "good",
    "great",
    "greatly",
    "here",
    "highlight",
    "highlighted",
    "highly",
    "huge",
    "ignore",
    "ignored",
    "importance",
    "important",
    "indeed",
    "interesting",
    "issue",
    "issues",
    "key",
    "kind",
    "large",
    "larger",
    "largest",
    "look",
    "lot",
    "lots",
    "main",
    "major",
    "many",
    "matter",
    "mattered",
    "matters",
    "mention",
    "mentioned",
    "mentioning",
    "much",
    "necessary",
    "need",
    "needed",
    "needs",
    "notable",
    "note",
    "noted",
    "noteworthy",
    "notice",
    "noting",
    "nowadays",
    "obviously",
    "other",
    "others",
    "overall",
    "part",
    "people",
    "play",
    "played",
    "plays",
    "point",
    "points",
    "present",
    "problem",
    "problems",
    "question",
    "quite",
    "rather",
    "real",
    "really",
    "relevant",
    "remember",
    "role",
    "said",
    "say",
    "see",
    "seen",
    "serious",
    "seriously",
    "several",
    "significance",
    "significant",
    "simply",
    "situation",
    "small",
    "something",
    "sort",
    "strongly",
    "subject",
    "surely",
    "talk",
    "talked",
    "theme",
    "themes",
    "there",
    "thing",
    "things",
    "today",
    "todays",
    "too",
    "topic",
    "true",
    "truly",
    "type",
    "understand",
    "understanding",
    "understood",
    "various",
    "very",
    "vital",
    "well",
    "whole",
    "worth",
];

/// Specific words of its own a sentence needs to argue a criterion: content
/// words that are not part of that criterion's hits and not `GENERIC`.
/// "The Durand Line was drawn in 1893." argues (drawn, 1893); "Refugees are
/// also an issue." does not. A bullet under a heading of the body is terse
/// by nature and needs one ("- Revenue losses at the crossings").
const MIN_SPECIFIC_WORDS: usize = 2;
const MIN_SPECIFIC_WORDS_BULLET: usize = 1;

pub(crate) fn is_generic(word: &str) -> bool {
    // A hash set: this runs on every uncovered content word of an essay.
    static SET: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| GENERIC.iter().copied().collect())
        .contains(word)
}

/// Verbs that link a subject to what is said of it; after one of them a
/// filler sentence has nothing specific ("X matters too", "Y is part of
/// this topic", "Z plays a big role").
const LINKING: &[&str] = &[
    "are", "be", "become", "becomes", "count", "counts", "deserve", "deserves", "has", "have",
    "is", "matter", "matters", "play", "plays", "remain", "remains", "seem", "seems", "was",
    "were",
];

/// Longest sentence (tokens) `FILLER_PREDICATE` judges: a longer one has
/// room for a claim in its subject ("When the TTP attacked Bannu in 2023
/// the danger was real").
const FILLER_MAX_TOKENS: usize = 12;

/// Longest sentence (tokens) `PASSING_MENTION` judges.
const PASSING_MAX_TOKENS: usize = 14;

/// Words that add an item to a list of points ("Refugees are also a
/// burden", "There is also the ISIS-K", "another problem").
const ADDING: &[&str] = &["also", "another", "too"];

/// Words that give a reason, a consequence or evidence: a short sentence
/// with one argues ("ISIS-K also attacked Bajaur because ...").
const REASONING: &[&str] = &[
    "because",
    "since",
    "so",
    "therefore",
    "thus",
    "hence",
    "as",
    "by",
    "after",
    "when",
    "which",
    "while",
    "but",
    "if",
    "for",
];

/// Whether sentence `s` only adds its point to a list, in passing: short,
/// with an adding word ("also", "another", "too"), and no reason, number
/// or consequence of its own ("Refugees are also a burden on the economy.",
/// "ISIS-K is also active in the east of Afghanistan."). A paragraph's
/// opening that the next sentences elaborate is a topic sentence instead.
fn passing_mention(ctx: &Context, s: u32) -> bool {
    let doc = ctx.doc;
    let tokens = doc.sentences[s as usize].tokens.clone();
    tokens.len() <= PASSING_MAX_TOKENS
        && tokens.clone().any(|t| ADDING.contains(&doc.fold(t)))
        && !tokens.clone().any(|t| {
            let w = doc.fold(t);
            REASONING.contains(&w) || w.bytes().any(|b| b.is_ascii_digit())
        })
}

/// Whether sentence `s` is a filler predicate: short, no clause before its
/// first linking verb, and nothing specific after it besides the
/// criterion's own hits.
fn filler_predicate(ctx: &Context, s: u32, hits_here: &[Hit]) -> bool {
    let doc = ctx.doc;
    let tokens = doc.sentences[s as usize].tokens.clone();
    if tokens.len() > FILLER_MAX_TOKENS {
        return false;
    }
    let Some(verb) = tokens
        .clone()
        .skip(1)
        .find(|&t| LINKING.contains(&doc.fold(t)))
    else {
        return false;
    };
    let (from, to) = (doc.tokens[tokens.start].start, doc.tokens[verb].start);
    if doc.text[from as usize..to as usize].contains(',') {
        return false;
    }
    !(verb + 1..tokens.end).any(|t| {
        ctx.is_specific(t)
            && !hits_here
                .iter()
                .any(|h| (h.tokens.0 as usize..h.tokens.1 as usize).contains(&t))
    })
}

/// Specific words in sentence `s` outside the criterion's hits there (the
/// question's own words are not the essay's: see `Context::title_words`).
/// Up to this many hits in a sentence are looked through directly.
const FEW_HITS: usize = 8;

fn specific_words(ctx: &Context, s: u32, hits_here: &[Hit]) -> usize {
    let tokens = ctx.doc.sentences[s as usize].tokens.clone();
    let own = |t: usize| ctx.is_specific(t) && !ctx.is_title_word(t);
    // A handful of hits (nearly every sentence): look through them.
    if hits_here.len() <= FEW_HITS {
        return tokens
            .filter(|&t| {
                own(t)
                    && !hits_here
                        .iter()
                        .any(|h| (h.tokens.0 as usize..h.tokens.1 as usize).contains(&t))
            })
            .take(MIN_SPECIFIC_WORDS)
            .count();
    }
    // Many: the tokens they cover, marked once (a sentence can hold a
    // hundred thousand hits, and a look through all of them per word is
    // quadratic).
    let mut covered = vec![false; tokens.len()];
    for h in hits_here {
        let a = (h.tokens.0 as usize).clamp(tokens.start, tokens.end);
        let b = (h.tokens.1 as usize).clamp(tokens.start, tokens.end);
        covered[a - tokens.start..b - tokens.start].fill(true);
    }
    tokens
        .clone()
        .filter(|&t| !covered[t - tokens.start] && own(t))
        .take(MIN_SPECIFIC_WORDS)
        .count()
}

/// Why each hit does not argue the criterion, or `None` when it does: its
/// sentence does not argue at all (`Context::why_not_substantive`), has too
/// little of its own besides this criterion's keywords, or rejects or
/// dismisses what the criterion asks for. One look per sentence: hits come
/// sorted by sentence.
fn why_not_arguing(ctx: &Context, hits: &[Hit], stance: Stance) -> Vec<Option<&'static RuleInfo>> {
    let mut out = Vec::with_capacity(hits.len());
    let mut i = 0;
    while i < hits.len() {
        let s = hits[i].sentence;
        let j = i + hits[i..].iter().take_while(|h| h.sentence == s).count();
        let needed = if ctx.doc.blocks[ctx.block_of(s)].kind == BlockKind::ListItem {
            MIN_SPECIFIC_WORDS_BULLET
        } else {
            MIN_SPECIFIC_WORDS
        };
        // A sentence that says too little on its own (thin, filler, a
        // passing mention) still argues as a topic sentence when its
        // paragraph goes on to elaborate it ("The Pakistani Taliban are the
        // biggest part of the problem. Before 2021 their leaders were
        // hiding ..."); a heading, outline line or keyword list never does.
        let base = ctx.why_not_base(s).or_else(|| {
            bare_line(ctx.doc, s).then_some(&BARE_LINE).or_else(|| {
                (specific_words(ctx, s, &hits[i..j]) < needed)
                    .then_some(&THIN_SENTENCE)
                    .or_else(|| filler_predicate(ctx, s, &hits[i..j]).then_some(&FILLER_PREDICATE))
                    .or_else(|| passing_mention(ctx, s).then_some(&PASSING_MENTION))
                    .filter(|_| !topic_sentence(ctx, s))
            })
        });
        // The stance rules look only at sentences with a stance cue.
        let cue = base.is_none() && stance::has_cue(ctx, s as usize);
        let list = base.is_none().then(|| Enumeration::of(ctx.doc, s));
        for h in &hits[i..j] {
            out.push(base.or_else(|| {
                if list.as_ref().is_some_and(|l| l.holds(h)) {
                    Some(&ENUMERATED)
                } else if cue {
                    why_not_stance(ctx, h, stance)
                } else {
                    None
                }
            }));
        }
        i = j;
    }
    out
}

/// Most words of a bare list line (see `bare_line`).
const BARE_LINE_MAX_WORDS: usize = 6;

/// Words that make a short line a clause ("TTP has revived"), not a bare
/// name.
const FINITE_VERBS: &[&str] = &[
    "are", "can", "could", "did", "do", "does", "had", "has", "have", "is", "may", "must",
    "should", "was", "were", "will", "would",
];

/// Whether sentence `s` is a bare list line: the only sentence of a
/// bullet, of `BARE_LINE_MAX_WORDS` words or fewer, with no sentence
/// ending and no auxiliary verb. Such lines name a point whatever their words: "-> Conditional
/// engagement with Kabul" and "-> Firm deterrence against cross-border
/// militancy" get one verdict, not one each by how specific they sound.
fn bare_line(doc: &Document, s: u32) -> bool {
    let sentence = &doc.sentences[s as usize];
    let b = sentence.block;
    doc.blocks[b].kind == BlockKind::ListItem
        && doc.block_sentences[b].len() == 1
        && sentence.tokens.len() <= BARE_LINE_MAX_WORDS
        && !sentence
            .tokens
            .clone()
            .any(|t| FINITE_VERBS.contains(&doc.fold(t)))
        && !doc.text[doc.blocks[b].span.clone()]
            .trim_end()
            .ends_with(['.', '!', '?', ';', ':'])
}

/// Most words an enumeration's item has (besides a leading "and"/"or").
const ENUM_ITEM_MAX_TOKENS: usize = 4;

/// A hit that is one short item of an enumeration of three or more
/// ("... lies in realist engagement, credible deterrence, and internal
/// resilience."): items are split at commas and semicolons; the hit's item
/// and at least one neighbour are short, the run of short items follows a
/// longer first item and its last holds "and"/"or". Such a line lists the
/// point, as a bare bullet does, and gets the bullet's verdict.
///
/// The items of one sentence and, per item, whether a hit inside it is one
/// item of an enumeration. Built once per sentence: a giant sentence with
/// many hits stays linear.
struct Enumeration {
    /// Token ranges, in order.
    items: Vec<(usize, usize)>,
    listed: Vec<bool>,
}

impl Enumeration {
    fn of(doc: &Document, s: u32) -> Enumeration {
        let sentence = &doc.sentences[s as usize];
        // No comma or semicolon: one item, no list (most sentences).
        if !doc.text[sentence.span.clone()].contains([',', ';']) {
            return Enumeration {
                items: Vec::new(),
                listed: Vec::new(),
            };
        }
        let (start, end) = (sentence.tokens.start, sentence.tokens.end);
        // A comma or semicolon between token t and the next.
        let separated = |t: usize| {
            let gap = &doc.text[doc.tokens[t].end as usize..doc.tokens[t + 1].start as usize];
            gap.contains(',') || gap.contains(';')
        };
        let mut items: Vec<(usize, usize)> = Vec::new();
        let mut from = start;
        for t in start..end.saturating_sub(1) {
            if separated(t) {
                items.push((from, t + 1));
                from = t + 1;
            }
        }
        items.push((from, end));
        let mut listed = vec![false; items.len()];
        if items.len() >= 3 {
            let coordinator = |t: usize| matches!(doc.fold(t), "and" | "or");
            let short = |(a, b): (usize, usize)| {
                b - a - usize::from(a < b && coordinator(a)) <= ENUM_ITEM_MAX_TOKENS
            };
            // Each maximal run of short items: a list when it follows a
            // longer frame ("... lies in realist engagement"), whose tail is
            // its first item, and closes with "and"/"or". Commas around an
            // aside ("Sanctuary, in short, gave ...") make no list, nor does
            // a run of notes with no coordinator.
            let mut lo = 0;
            while lo < items.len() {
                if !short(items[lo]) {
                    lo += 1;
                    continue;
                }
                let mut hi = lo;
                while hi + 1 < items.len() && short(items[hi + 1]) {
                    hi += 1;
                }
                let (a, b) = items[hi];
                if lo > 0 && hi > lo && (a..b).any(coordinator) {
                    listed[lo..=hi].fill(true);
                }
                lo = hi + 1;
            }
        }
        Enumeration { items, listed }
    }

    /// Whether hit `h` (of this sentence) lies inside a listed item.
    fn holds(&self, h: &Hit) -> bool {
        let (first, last) = (h.tokens.0 as usize, h.tokens.1 as usize);
        let k = self.items.partition_point(|&(a, _)| a <= first);
        k > 0 && {
            let (a, b) = self.items[k - 1];
            a <= first && last <= b && last > first && self.listed[k - 1]
        }
    }
}

/// Whether sentence `s` opens a paragraph whose next two sentences
/// elaborate it: both argue something (substantive) and name no more than
/// one criterion, so they are about the opening's point, not a tour of
/// others.
fn topic_sentence(ctx: &Context, s: u32) -> bool {
    let doc = ctx.doc;
    let s = s as usize;
    let b = doc.sentences[s].block;
    let sentences = doc.block_sentences[b].clone();
    doc.blocks[b].kind == BlockKind::Paragraph
        && sentences.start == s
        && sentences.end > s + 2
        && (s + 1..=s + 2).all(|n| ctx.substantive(n as u32) && ctx.criteria_per_sentence[n] <= 1)
}

fn why_not_stance(ctx: &Context, h: &Hit, stance: Stance) -> Option<&'static RuleInfo> {
    if stance::denied(ctx.doc, h) {
        return Some(&stance::DENIED);
    }
    if ctx.negating.is_some() && stance::negated_clause(ctx.doc, h) {
        return Some(&stance::NEGATING_ESSAY);
    }
    match stance {
        Stance::Adopt if stance::rejected(ctx.doc, h) => Some(&stance::REJECTED),
        Stance::Discuss if stance::dismissed(ctx.doc, h) => Some(&stance::DISMISSED),
        _ => None,
    }
}

fn in_text(
    ctx: &Context,
    index: usize,
    develop: Option<&Expr>,
    min_hits: u32,
    stance: Stance,
    sink: &mut Sink,
) -> Outcome {
    let doc = ctx.doc;
    let hits = &ctx.argument_hits[index];
    let why_not = why_not_arguing(ctx, hits, stance);
    // Arguing sentences, in order, once each.
    let mut arguing: Vec<u32> = hits
        .iter()
        .zip(&why_not)
        .filter(|(_, w)| w.is_none())
        .map(|(h, _)| h.sentence)
        .collect();
    arguing.dedup();
    let n = arguing.len();
    let dev_hits = develop
        .map(|d| evaluate(d, ctx.scan, doc))
        .unwrap_or_default();
    if hits.is_empty() {
        record_develop(ctx, &dev_hits, sink, |_| false);
        let decision = ctx.say(|| {
            if sink.items.iter().any(|c| c.rule == &TITLE) {
                "missing: the only hits are in the title, which is never evidence".into()
            } else {
                "missing: no phrase matched anywhere in the essay".into()
            }
        });
        return Outcome::new(Status::Missing, &NO_MATCH, decision);
    }
    let plural = |n: usize| if n == 1 { "" } else { "s" };

    // Full credit by enough arguing sentences that stand together.
    if n >= min_hits as usize && together(ctx, &arguing, min_hits as usize) {
        record_develop(ctx, &dev_hits, sink, |_| false);
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
        out.evidence = record_hits(hits, &why_not, sink, &[]);
        return out;
    }

    // Full credit by a heading naming the theme over a body that argues it:
    // two or more arguing sentences under it carry the theme's or its
    // development terms. Sets and maps, not scans: a hostile essay can
    // repeat one argument under hundreds of thousands of headings.
    let heading_hits: Vec<&Hit> = hits
        .iter()
        .filter(|h| ctx.is_heading(h.sentence) && !ctx.in_outline_block(h.sentence))
        .collect();
    if !heading_hits.is_empty() {
        let mut first_hit: HashMap<u32, Hit> = HashMap::default();
        let mut under: HashMap<usize, Vec<u32>> = HashMap::default();
        for x in hits.iter().chain(&dev_hits) {
            let s = x.sentence;
            first_hit.entry(s).or_insert(*x);
            let b = ctx.block_of(s);
            if let Some(heading_block) = doc.block_section[b] {
                if b != heading_block && ctx.substantive(s) {
                    under.entry(heading_block).or_default().push(s);
                }
            }
        }
        for body in under.values_mut() {
            body.sort_unstable();
            body.dedup();
        }
        for h in heading_hits {
            let Some(body) = under.get(&ctx.block_of(h.sentence)) else {
                continue;
            };
            if body.len() < 2 {
                continue;
            }
            let body_set: HashSet<u32> = body.iter().copied().collect();
            let mut extra = vec![h.sentence];
            extra.extend(body.iter().copied());
            let mut evidence = record_hits(hits, &why_not, sink, &extra);
            let have: HashSet<u32> = evidence
                .iter()
                .filter_map(|e| match e {
                    Evidence::Hit(x) => Some(x.sentence),
                    Evidence::Block(_) => None,
                })
                .collect();
            for &s in body {
                if !have.contains(&s) {
                    if let Some(x) = first_hit.get(&s) {
                        evidence.push(Evidence::Hit(*x));
                    }
                }
            }
            record_develop(ctx, &dev_hits, sink, |d| {
                body_set.contains(&d.sentence)
                    && !have.contains(&d.sentence)
                    && first_hit.get(&d.sentence) == Some(d)
            });
            let mut out = Outcome::new(
                Status::Met,
                &HEADING_WITH_BODY,
                ctx.say(|| {
                    format!(
                        "met: a heading names it and {} arguing sentences under it carry it or its development",
                        body.len()
                    )
                }),
            );
            out.evidence = evidence;
            return out;
        }
    }

    // Full credit by development next to the argument, in its paragraph.
    if develop.is_some() && n > 0 {
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
        // The arguing sentences within reach of sentence `d`: a range of
        // them, as they are in order (hits are), not all of them per
        // development hit (a hostile essay has tens of thousands of each).
        let in_order = arguing.is_sorted();
        let near = |d: u32| -> &[u32] {
            if !in_order {
                return &arguing;
            }
            let lo = arguing.partition_point(|&s| s.saturating_add(DEVELOP_REACH) < d);
            let hi = arguing.partition_point(|&s| s <= d.saturating_add(DEVELOP_REACH));
            &arguing[lo..hi]
        };
        let usable = |d: &Hit| -> Result<(), &'static RuleInfo> {
            if !ctx.substantive(d.sentence) {
                Err(&DEVELOP_NOT_ARGUING)
            } else if near(d.sentence).contains(&d.sentence)
                && ctx.own_words[d.sentence as usize] < SELF_DEVELOPING_OWN_WORDS
            {
                Err(&DEVELOP_OWN_SENTENCE)
            } else if !near(d.sentence)
                .iter()
                .any(|&s| unit(s) == unit(d.sentence) && s.abs_diff(d.sentence) <= DEVELOP_REACH)
            {
                Err(&DEVELOP_ELSEWHERE)
            } else {
                Ok(())
            }
        };
        if let Some(d) = dev_hits.iter().find(|d| usable(d).is_ok()) {
            let mut evidence = record_hits(hits, &why_not, sink, &[]);
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
                        "met: argued in {n} substantive sentence{} and developed by a `develop` term within {DEVELOP_REACH} sentences in the same paragraph",
                        plural(n)
                    )
                }),
            );
            out.evidence = evidence;
            return out;
        }
        for x in &dev_hits {
            let rule = usable(x).err().unwrap_or(&DEVELOP_UNUSED);
            sink.push(Role::Develop, Evidence::Hit(*x), false, rule, || None);
        }
    } else {
        record_develop(ctx, &dev_hits, sink, |_| false);
    }

    // Partial credit: argued in enough sentences, but in pieces.
    if n >= min_hits as usize {
        let places: Vec<String> = arguing
            .iter()
            .take(3)
            .map(|&s| {
                let pos = doc.origin.line_col(
                    &doc.text,
                    doc.tokens[doc.sentences[s as usize].tokens.start].start as usize,
                );
                pos.line.to_string()
            })
            .collect();
        let mut out = Outcome::new(
            Status::Partial,
            &SCATTERED,
            ctx.say(|| {
                format!(
                    "partial: argued in {n} substantive sentences, but no {min_hits} of them in one paragraph (or the next) or one section"
                )
            }),
        );
        out.note = Some(format!(
            "argued in pieces (lines {}); bring the argument together in one paragraph with its reasons and evidence",
            places.join(", ")
        ));
        out.evidence = record_hits(hits, &why_not, sink, &[]);
        return out;
    }

    // Partial credit: argued in a sentence, not developed.
    if n > 0 {
        let mut out = Outcome::new(
            Status::Partial,
            &UNDEVELOPED,
            ctx.say(|| {
                format!(
                    "partial: {n} substantive sentence{} where {min_hits} are needed, and no `develop` term next to it completes it",
                    plural(n)
                )
            }),
        );
        out.note =
            Some("argued in one sentence; develop it with causes, effects or evidence".into());
        out.evidence = record_hits(hits, &why_not, sink, &[]);
        return out;
    }

    // Named, never argued: nothing earned, but the student is told where.
    record_hits(hits, &why_not, sink, &[]);
    let first = hits[0];
    let pos = doc.origin.line_col(
        &doc.text,
        doc.tokens[first.tokens.0 as usize].start as usize,
    );
    let how = if why_not.iter().all(|w| *w == Some(&HEADING)) {
        "named only in a heading"
    } else if why_not
        .iter()
        .all(|w| *w == Some(&OUTLINE_PLAN) || *w == Some(&HEADING))
    {
        "named only in the outline"
    } else if why_not.iter().all(|w| {
        matches!(w, Some(r) if [BARE_LINE.id, ENUMERATED.id, HEADING.id, OUTLINE_PLAN.id].contains(&r.id))
    }) {
        LISTED_ONLY
    } else if why_not.contains(&Some(&stance::REJECTED)) {
        "rejected, not adopted"
    } else if why_not.contains(&Some(&stance::DISMISSED)) {
        "dismissed in a line, not discussed"
    } else if why_not.contains(&Some(&KEYWORD_LIST)) {
        "only listed among other keywords"
    } else {
        "only mentioned in passing"
    };
    let mut out = Outcome::new(
        Status::Missing,
        &NAMED_ONLY,
        ctx.say(|| format!("missing: {how}, never argued in a sentence of its own")),
    );
    out.note = Some(format!(
        "{how} (at {}:{}); argue it in a sentence with a reason or evidence",
        pos.line, pos.column
    ));
    out
}

/// Whether `need` of the arguing sentences (in order) stand together: in
/// one heading's section, or in one paragraph or the one after it. An
/// argument's sentences belong together; the same number scattered over the
/// essay (a shuffled answer, a point picked up again in passing) has not
/// been developed in one place.
fn together(ctx: &Context, arguing: &[u32], need: usize) -> bool {
    if need <= 1 {
        return !arguing.is_empty();
    }
    let doc = ctx.doc;
    // The title's "section" is the whole essay: it keeps nothing together.
    let section_of = |b: usize| doc.block_section[b].filter(|&h| Some(h) != ctx.title_block);
    if arguing.len() <= FEW_HITS {
        // A few sentences (nearly every criterion): compare them directly.
        // The same counts as below: one block and the next, or one section.
        return arguing.iter().any(|&s| {
            let b = ctx.block_of(s);
            let section = section_of(b);
            let blocks = arguing
                .iter()
                .filter(|&&t| matches!(ctx.block_of(t).checked_sub(b), Some(0 | 1)))
                .count();
            let in_section = section.map_or(0, |_| {
                arguing
                    .iter()
                    .filter(|&&t| section_of(ctx.block_of(t)) == section)
                    .count()
            });
            blocks.max(in_section) >= need
        });
    }
    // Counts, not pairs: a hostile essay can repeat one argument in
    // hundreds of thousands of sentences.
    let mut per_block: HashMap<usize, usize> = HashMap::default();
    let mut per_section: HashMap<usize, usize> = HashMap::default();
    for &s in arguing {
        let b = ctx.block_of(s);
        *per_block.entry(b).or_default() += 1;
        if let Some(h) = section_of(b) {
            *per_section.entry(h).or_default() += 1;
        }
    }
    per_section.values().any(|&n| n >= need)
        || per_block
            .iter()
            .any(|(b, &n)| n + per_block.get(&(b + 1)).copied().unwrap_or(0) >= need)
}

/// Record the match hits: one counted hit per arguing sentence (and per
/// sentence in `extra`, which a rule counted for another reason); others
/// are rejected with the rule that says why. Returns the counted hits.
fn record_hits(
    hits: &[Hit],
    why_not: &[Option<&'static RuleInfo>],
    sink: &mut Sink,
    extra: &[u32],
) -> Vec<Evidence> {
    let mut evidence = Vec::new();
    let mut seen: HashSet<u32> = HashSet::default();
    for pass in [true, false] {
        for (h, w) in hits.iter().zip(why_not) {
            if w.is_none() != pass {
                continue;
            }
            let s = h.sentence;
            let counts = pass || extra.contains(&s);
            let fresh = counts && seen.insert(s);
            let rule = match (counts, fresh, w) {
                (true, false, _) => &SAME_SENTENCE,
                (true, true, None) => &SUBSTANTIVE,
                (true, true, Some(_)) => &HEADING_WITH_BODY,
                (false, _, Some(r)) => *r,
                (false, _, None) => &SUBSTANTIVE,
            };
            if fresh {
                evidence.push(Evidence::Hit(*h));
            }
            sink.push(Role::Match, Evidence::Hit(*h), fresh, rule, || None);
        }
    }
    evidence
}

/// Record development hits that did not decide anything (or, with
/// `counted`, those a heading's body counted).
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
    let pct = crate::number::fmt_points(partial_credit * 100.0);
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
    out.push(format!("{}: {}", OUTLINE_PLAN.id, OUTLINE_PLAN.summary));
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

    /// An argument's sentences stand together: two arguing sentences in
    /// one paragraph are full credit, the same two scattered over the essay
    /// are partial (a shuffled answer keeps its sentences, not its
    /// arguments).
    #[test]
    fn an_argument_made_in_pieces_is_partial() {
        let a = "The Pakistani Taliban regrouped in Kunar and Paktika after the fall of Kabul, and its fighters now cross into Bajaur at will.";
        let b = "The TTP leadership lives openly in Afghan towns, and Kabul has refused every request to hand its commanders over.";
        let x = "Traders at Torkham lose money every week the gates stay shut, and the lorries queue for miles on the Khyber road.";
        let y = "China asks for better protection of its engineers on the corridor projects in Gwadar and along the coast.";
        let together = format!("{a} {b}\n\n{x}\n\n{y}");
        let (status, trace) = traced(&together, "ttp-revival");
        assert_eq!(status, Met, "{trace:?}");
        assert_eq!(trace.decided_by, &super::ARGUED_ENOUGH);
        let apart = format!("{a}\n\n{x}\n\n{y}\n\n{b}");
        let (status, trace) = traced(&apart, "ttp-revival");
        assert_eq!(status, Partial, "{trace:?}");
        assert_eq!(trace.decided_by, &super::SCATTERED);
        // Under one heading, two paragraphs hold one argument.
        let headed = format!("{x}\n\nThe TTP\n\n{a}\n\n{b}\n\nCorridor\n\n{y}");
        assert_eq!(status_of(&headed, "ttp-revival"), Met);
        // An argument carried on into the next paragraph is one argument.
        let next = format!("{x}\n\n{a}\n\n{b}\n\n{y}");
        assert_eq!(status_of(&next, "ttp-revival"), Met);
    }

    /// One verdict for one form: bare list lines name their point however
    /// specific their words, and so does one short item of an enumeration;
    /// a bullet written as a clause argues.
    #[test]
    fn bare_lines_and_enumerations_name_their_point() {
        let body = "Traders at Torkham lose money every week the gates stay shut, and the lorries queue for miles on the Khyber road.\n\nPakistan's realistic options include:\n\n- Conditional engagement with Kabul\n- Firm deterrence against cross-border militancy\n- Regional counter-terrorism coordination";
        for id in [
            "option-engagement",
            "option-deterrence",
            "option-regional-ct",
        ] {
            let (status, trace) = traced(body, id);
            assert_eq!(status, Missing, "{id}: {trace:?}");
            assert_eq!(
                trace.note.as_deref().map(|n| n.starts_with("only listed")),
                Some(true),
                "{id}: {trace:?}"
            );
        }
        let (_, trace) = traced(body, "option-deterrence");
        assert!(trace.candidates.iter().any(|c| c.rule == &super::BARE_LINE));
        let listed = "For Pakistan, lasting security lies in realist engagement, credible deterrence, and internal resilience.";
        let (status, trace) = traced(listed, "option-deterrence");
        assert_eq!(status, Missing, "{trace:?}");
        assert!(trace
            .candidates
            .iter()
            .any(|c| c.rule == &super::ENUMERATED));
        let argued = "Pakistan needs credible deterrence, because the TTP escalates whenever it expects no cost for its raids from Afghan soil.";
        assert_ne!(status_of(argued, "option-deterrence"), Missing);
    }

    /// Outline lines added above an essay are a plan: they raise nothing
    /// (issue #12: three such lines raised samples/average.txt 58.0 -> 61.5).
    #[test]
    fn outline_lines_raise_nothing() {
        let rubric = crate::rubric::Rubric::builtin();
        let text = std::fs::read_to_string("samples/average.txt").unwrap();
        let (title, body) = text.split_once('\n').unwrap();
        let with = format!(
            "{title}\n\n- Regional instability and trust among neighbours\n- Regional counter-terrorism cooperation with China and Iran\n- Return of TTP violence in the tribal districts\n{body}"
        );
        let score = |t: &str| {
            super::super::grade(
                &rubric,
                &crate::text::Document::from_plain_text(t.to_string()),
            )
            .score
        };
        assert!(
            score(&with) <= score(&text) + 1.0,
            "{} -> {}",
            score(&text),
            score(&with)
        );
    }

    #[test]
    fn generic_words_are_sorted_for_binary_search() {
        assert!(super::GENERIC.windows(2).all(|w| w[0] < w[1]));
    }

    /// Keyword filler with good grammar says nothing of its own.
    #[test]
    fn filler_is_not_an_argument() {
        for filler in [
            "The TTP is a very important issue for the country today.",
            "ISIS-K is also a major problem and a serious concern.",
        ] {
            let id = if filler.contains("TTP") {
                "ttp-revival"
            } else {
                "isis-k"
            };
            assert_eq!(status_of(filler, id), Missing, "{filler}");
        }
        assert_eq!(
            status_of("The Durand Line was drawn by the British in 1893 and still divides Pashtun tribes.", "durand-line"),
            Partial
        );
    }

    /// A paragraph's thin opening names its point; when the next two
    /// sentences elaborate it, the opening is a topic sentence and counts.
    /// Filler sentences in a row elaborate nothing.
    #[test]
    fn a_topic_sentence_counts_when_its_paragraph_elaborates_it() {
        let paragraph = "The Pakistani Taliban are the biggest part of the problem. Before 2021 their leaders were hiding in the mountains and short of money. After Kabul fell they could live openly in Kunar and Paktika, train their men and send them across.";
        assert_ne!(status_of(paragraph, "ttp-revival"), Missing);
        let filler = "The TTP is a very important issue for the country today. ISIS-K is also a major problem and a serious concern. Refugees are also an issue.";
        assert_eq!(status_of(filler, "ttp-revival"), Missing);
    }

    /// An answer written in bullets argues in the bullets written as
    /// sentences; its notes and keyword bullets stay a plan.
    #[test]
    fn an_answer_in_bullets_argues_in_its_sentences() {
        let answer = "Security effects\n- TTP revival: TTP leaders now live openly in eastern Afghanistan, and attacks in Khyber Pakhtunkhwa roughly doubled between 2021 and 2023.\n- ISIS-K\n- Refugees: about 3 million Afghans\n\nBorder effects\n- Trade: Pak-Afghan trade has fallen since the closures and transit trade has moved to Iran.\n- Durand Line\n- Border clashes\n";
        assert_ne!(status_of(answer, "ttp-revival"), Missing);
        assert_ne!(status_of(answer, "trade-disruption"), Missing);
        for plan in ["isis-k", "refugees", "durand-line", "border-clashes"] {
            assert_eq!(status_of(answer, plan), Missing, "{plan}");
        }
    }

    /// A short sentence that only says its subject matters argues nothing,
    /// however specific its subject; one that says what the subject does
    /// argues it.
    #[test]
    fn a_filler_predicate_is_not_an_argument() {
        let (_, trace) = traced("Afghan refugees in Karachi matter too.", "refugees");
        assert!(trace
            .candidates
            .iter()
            .any(|c| c.rule == &super::FILLER_PREDICATE));
        for (filler, id) in [
            ("Border closures at Torkham matter too.", "trade-disruption"),
            (
                "Regional counter-terrorism cooperation is part of this topic.",
                "regional-instability",
            ),
        ] {
            let (status, trace) = traced(filler, id);
            assert_eq!(status, Missing, "{filler}");
            assert!(
                trace
                    .candidates
                    .iter()
                    .any(|c| c.rule == &super::FILLER_PREDICATE || c.rule == &super::THIN_SENTENCE),
                "{filler}"
            );
        }
        assert_eq!(
            status_of(
                "Border closures at Torkham cost traders millions of rupees.",
                "trade-disruption"
            ),
            Partial
        );
    }

    /// Restating the question is not arguing: the title's words are not the
    /// essay's own.
    #[test]
    fn restating_the_question_is_not_an_argument() {
        let restated = "This essay is about Taliban rule and Pakistan's western security dilemma.";
        assert_eq!(status_of(restated, "lens-security-dilemma"), Missing);
        let argued = "Each side's border posts make the other more fearful: a security dilemma between Islamabad and Kabul.";
        assert_ne!(status_of(argued, "lens-security-dilemma"), Missing);
    }

    /// A thin sentence or a keyword list names a point: no credit, with the
    /// rule that says so and a note that says where.
    #[test]
    fn naming_is_not_arguing() {
        let (status, trace) = traced("ISIS-K is a threat.", "isis-k");
        assert_eq!(status, Missing);
        assert!(
            trace.note.as_deref().unwrap().contains("at 3:1"),
            "{:?}",
            trace.note
        );
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

    /// A point added to a list in passing earns nothing; with a reason or
    /// a figure of its own, the same short sentence argues.
    #[test]
    fn a_passing_mention_is_not_an_argument() {
        for (passing, id) in [
            (
                "Afghan refugees are also a burden on the economy.",
                "refugees",
            ),
            (
                "ISIS-K is also active in the east of Afghanistan.",
                "isis-k",
            ),
        ] {
            let (status, trace) = traced(passing, id);
            assert_eq!(status, Missing, "{passing}");
            assert!(
                trace
                    .candidates
                    .iter()
                    .any(|c| c.rule == &super::PASSING_MENTION),
                "{passing}"
            );
        }
        for argued in [
            "Afghan refugees are also a burden because camps near Peshawar strain local budgets.",
            "Afghan refugees also number 1.3 million in camps near Peshawar.",
        ] {
            assert_ne!(status_of(argued, "refugees"), Missing, "{argued}");
        }
    }
}
