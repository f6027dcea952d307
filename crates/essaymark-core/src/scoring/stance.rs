//! Stance rules: a lens or policy option counts when the essay adopts or
//! recommends it, not when it rejects it; a theme counts when the essay
//! discusses it, not when one line dismisses it.
//!
//! Examples (tests below):
//! - "Some analysts speak of a security dilemma, but the term does not fit:
//!   Kabul cannot threaten Pakistan's army." rejects the lens.
//! - "Military strikes across the border would only recruit more fighters
//!   for the TTP." rejects deterrence.
//! - "Pakistan should not abandon dialogue with Kabul." adopts engagement.
//! - "Refugees are not a real problem." dismisses refugees; "Refugees are
//!   not the main threat, because most have lived here peacefully for
//!   decades and the attacks come from across the border." discusses them.

use super::context::Context;
use super::trace::RuleInfo;
use crate::matching::Hit;
use crate::text::clauses::{break_after, clause_of};
use crate::text::Document;

pub const REJECTED: RuleInfo = RuleInfo {
    id: "stance/rejected",
    summary: "the sentence rejects what the criterion asks the essay to adopt or recommend",
};
pub const DISMISSED: RuleInfo = RuleInfo {
    id: "stance/dismissed",
    summary: "a one-line dismissal without reasons is not a discussion",
};

pub const DENIED: RuleInfo = RuleInfo {
    id: "stance/denied",
    summary:
        "the sentence denies its own claim (\"It is not true that ...\"): it argues the opposite",
};

pub const NEGATING_ESSAY: RuleInfo = RuleInfo {
    id: "stance/negating-essay",
    summary: "in an essay that negates most of its sentences (70% or more of 10 or more), a negated claim denies its evidence rather than discussing it",
};

pub const RULES: &[&RuleInfo] = &[&REJECTED, &DISMISSED, &DENIED, &NEGATING_ESSAY];

/// Share of prose sentences (of `NEGATING_MIN_TOKENS` words or more) with a
/// negation above which an essay negates throughout. Real answers, even
/// contrarian ones, stay under half (the most in this project's labelled
/// sets and the published texts it was tried on: 44%); a text that negates
/// every argument of a model answer comes out at 93-100%.
pub(crate) const NEGATING_MIN_SHARE: f64 = 0.7;
const NEGATING_MIN_SENTENCES: usize = 10;
const NEGATING_MIN_TOKENS: usize = 6;

/// Whether `tokens` hold a negation.
fn has_negation(doc: &Document, tokens: std::ops::Range<usize>) -> bool {
    static SET: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    let set = SET.get_or_init(|| NEGATIONS.iter().copied().collect());
    tokens.into_iter().any(|t| set.contains(doc.fold(t)))
}

/// When the essay negates most of its prose sentences (see
/// `NEGATING_MIN_SHARE`): how many do, of how many.
pub(crate) fn negating_essay(doc: &Document) -> Option<(usize, usize)> {
    let prose = || {
        doc.sentences.iter().filter(|s| {
            s.tokens.len() >= NEGATING_MIN_TOKENS
                && matches!(
                    doc.blocks[s.block].kind,
                    crate::text::BlockKind::Paragraph | crate::text::BlockKind::ListItem
                )
        })
    };
    let total = prose().count();
    if total < NEGATING_MIN_SENTENCES {
        return None;
    }
    // Stop as soon as too many sentences lack a negation: an ordinary
    // essay is settled after a third of its sentences or so.
    let max_plain = total - (NEGATING_MIN_SHARE * total as f64).ceil() as usize;
    let mut plain = 0;
    for s in prose() {
        if !has_negation(doc, s.tokens.clone()) {
            plain += 1;
            if plain > max_plain {
                return None;
            }
        }
    }
    Some((total - plain, total))
}

/// Whether the clause of `h` holds a live negation (one that no "only",
/// "ignore" or "underestimated" turns around).
pub(crate) fn negated_clause(doc: &Document, h: &Hit) -> bool {
    let clause = clause_of(doc, h.tokens.0 as usize, h.tokens.1 as usize);
    live_negation(doc, clause)
}

/// Openings that deny what the rest of the sentence says (folded words).
const DENIALS: &[&[&str]] = &[
    &["it", "is", "not", "true", "that"],
    &["it", "is", "false", "that"],
    &["it", "is", "untrue", "that"],
    &["it", "is", "a", "myth", "that"],
    &["it", "is", "wrong", "to", "say", "that"],
    &["nor", "is", "it", "true", "that"],
];

/// Whether the sentence of `h` opens by denying what it goes on to say.
pub(crate) fn denied(doc: &Document, h: &Hit) -> bool {
    let s = &doc.sentences[h.sentence as usize];
    DENIALS.iter().any(|d| {
        s.tokens.len() > d.len()
            && d.iter()
                .enumerate()
                .all(|(i, w)| doc.fold(s.tokens.start + i) == *w)
    })
}

/// Words and phrases (folded, space-separated) that reject what their
/// clause names.
const REJECTING: &[&str] = &[
    "does not fit",
    "doesnt fit",
    "do not fit",
    "not fit",
    "misleading",
    "mistaken",
    "a mistake",
    "wrong",
    "myth",
    "overstated",
    "exaggerated",
    "backfire",
    "backfired",
    "backfires",
    "counterproductive",
    "counter-productive",
    "would only",
    "will only",
    "only recruit",
    "futile",
    "unwise",
    "useless",
    "pointless",
    "no use",
    "not work",
    "wont work",
    "not the answer",
    "not a solution",
    "bad idea",
    "dead end",
    "folly",
    "illusion",
    "fails",
    "failed",
    "not explain",
    "cannot explain",
    "cant explain",
    "not apply",
    "not useful",
    "little sense",
    "no sense",
    "not helpful",
    "irrelevant",
    "outdated",
    "too simple",
    "simplistic",
];

/// Verbs that reject what follows them in their clause ("Pakistan must
/// avoid cross-border strikes"), but not what precedes them ("to avoid
/// another war, Pakistan should talk to Kabul" still recommends talks).
const REJECTING_BEFORE: &[&str] = &[
    "avoid", "avoided", "reject", "rejected", "oppose", "opposed",
];

/// Negations, folded as the tokenizer folds them: an apostrophe inside a
/// word is dropped ("won't" is the token "wont"), so the contractions are
/// written without it here, as in every word list below.
const NEGATIONS: &[&str] = &[
    "not", "no", "never", "cannot", "cant", "wont", "shouldnt", "mustnt", "isnt", "arent", "wasnt",
    "doesnt", "dont", "didnt", "wouldnt", "nor", "neither",
];

/// Words that, right after a negation, make it no rejection ("not only",
/// "cannot ignore", "cannot afford to wait").
const NEGATION_CANCELLERS: &[&str] = &[
    "only",
    "just",
    "merely",
    "simply",
    "ignore",
    "neglect",
    "overlook",
    "afford",
    "forget",
    "underestimate",
    "abandon",
    "allow",
    "least",
    "doubt",
    "deny",
    "wait",
    "less",
];

/// Participles that, after "not be", make it no rejection ("cannot be
/// ignored", "must not be underestimated"); any other "not be" rejects
/// ("should not be funded").
const BE_CANCELLERS: &[&str] = &[
    "ignored",
    "neglected",
    "overlooked",
    "underestimated",
    "overstated",
    "overemphasised",
    "overemphasized",
    "exaggerated",
    "denied",
    "forgotten",
    "dismissed",
    "ruled",
    "discounted",
    "doubted",
    "avoided",
    "delayed",
    "postponed",
    "wished",
];

/// Words that attribute the clause to others, so that a following "but"
/// clause can reject it ("Some speak of ..., but ...").
const HEARSAY: &[&str] = &[
    "some",
    "many",
    "speak",
    "talk",
    "call",
    "claim",
    "claims",
    "so-called",
    "said",
    "fashionable",
    "popular",
    "often",
    "others",
];

/// What a dismissal says of a theme (folded, space-separated): that it is no
/// problem, not real, or overblown.
const DISMISSING: &[&str] = &[
    "not a real",
    "not a big",
    "not a serious",
    "not a major",
    "not really a",
    "not a problem",
    "not an issue",
    "not a threat",
    "not a concern",
    "not important",
    "not matter",
    "not really matter",
    "doesnt matter",
    "dont matter",
    "not serious",
    "not dangerous",
    "no threat",
    "no problem",
    "no real",
    "nothing to worry",
    "exaggerated",
    "overstated",
    "overblown",
    "myth",
    "not worth",
    "irrelevant",
];

/// Reason and evidence markers: a sentence with one gives reasons.
const REASONS: &[&str] = &[
    "because",
    "since",
    "as",
    "given",
    "due",
    "therefore",
    "thus",
    "so",
    "example",
    "instance",
    "evidence",
    "according",
    "shows",
    "show",
    "data",
    "figures",
    "percent",
    "per",
    "million",
    "thousand",
    "hundreds",
    "thousands",
];

/// Longest sentence (tokens) that can be a bare dismissal.
const DISMISSAL_MAX_TOKENS: usize = 16;

/// Every word that can start a stance cue: a negation, the first word of a
/// rejecting, dismissing or denying phrase, a rejecting verb, "rather" and
/// "instead". A sentence with none of them takes no stance, and the stance
/// rules skip it after one look at its words (they run on every hit).
fn cue_words() -> &'static rustc_hash::FxHashSet<&'static str> {
    static CUES: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    CUES.get_or_init(|| {
        let mut set: rustc_hash::FxHashSet<&'static str> = rustc_hash::FxHashSet::default();
        set.extend(NEGATIONS.iter().copied());
        set.extend(REJECTING_BEFORE.iter().copied());
        set.extend([
            "rather", "instead", "true", "false", "untrue", "myth", "wrong",
        ]);
        // A phrase matches only where all its words are, so its longest
        // (rarest) word is cue enough.
        for p in REJECTING.iter().chain(DISMISSING) {
            if let Some(w) = p.split(' ').max_by_key(|w| w.len()) {
                set.insert(w);
            }
        }
        set
    })
}

/// `REJECTING` and `DISMISSING`, split into words once.
fn split_phrases(list: &'static [&'static str]) -> Vec<Vec<&'static str>> {
    list.iter().map(|p| p.split(' ').collect()).collect()
}

fn rejecting_phrases() -> &'static [Vec<&'static str>] {
    static P: std::sync::OnceLock<Vec<Vec<&'static str>>> = std::sync::OnceLock::new();
    P.get_or_init(|| split_phrases(REJECTING))
}

fn dismissing_phrases() -> &'static [Vec<&'static str>] {
    static P: std::sync::OnceLock<Vec<Vec<&'static str>>> = std::sync::OnceLock::new();
    P.get_or_init(|| split_phrases(DISMISSING))
}

/// Whether `word` (folded) can start a stance cue (see `cue_words`).
pub(crate) fn is_cue_word(word: &str) -> bool {
    cue_words().contains(word)
}

/// Whether sentence `s` holds any stance cue (see `cue_words`): one bit per
/// token, set by the phrase scan.
pub(crate) fn has_cue(ctx: &Context, s: usize) -> bool {
    ctx.doc.sentences[s]
        .tokens
        .clone()
        .any(|t| ctx.scan.word_class[t] & super::STANCE_CUE != 0)
}

/// A negation in `tokens` that no canceller turns around.
fn live_negation(doc: &Document, tokens: std::ops::Range<usize>) -> bool {
    let words: Vec<&str> = tokens.map(|t| doc.fold(t)).collect();
    live_negation_in(&words)
}

fn live_negation_in(words: &[&str]) -> bool {
    for (i, w) in words.iter().enumerate() {
        if NEGATIONS.contains(w) {
            let next = words.get(i + 1).copied().unwrap_or("");
            let after = words.get(i + 2).copied().unwrap_or("");
            let cancelled = NEGATION_CANCELLERS.contains(&next)
                || NEGATION_CANCELLERS.contains(&after)
                || (next == "be" && BE_CANCELLERS.contains(&after));
            if !cancelled {
                return true;
            }
        }
    }
    false
}

/// A phrase of `REJECTING` or a live negation in `tokens`.
fn rejects(doc: &Document, tokens: std::ops::Range<usize>) -> bool {
    let words: Vec<&str> = tokens.clone().map(|t| doc.fold(t)).collect();
    if live_negation_in(&words) {
        return true;
    }
    rejecting_phrases()
        .iter()
        .any(|parts| words.windows(parts.len()).any(|w| w == parts.as_slice()))
}

/// Whether the sentence of `h` rejects what `h` names: its own clause
/// rejects it, "rather than"/"instead of" stands just before it, or it is
/// what others say and the next clause, opened by "but" or "however",
/// rejects it.
pub(crate) fn rejected(doc: &Document, h: &Hit) -> bool {
    let (a, b) = (h.tokens.0 as usize, h.tokens.1 as usize);
    let clause = clause_of(doc, a, b);
    // "Dialogue rather than strikes": what follows "rather than" is rejected.
    let before = a.saturating_sub(4).max(clause.start.saturating_sub(1))..a;
    let words: Vec<&str> = before.clone().map(|t| doc.fold(t)).collect();
    if words
        .windows(2)
        .any(|w| w == ["rather", "than"] || w == ["instead", "of"])
    {
        return true;
    }
    if rejects(doc, clause.clone())
        || (clause.start..a).any(|t| REJECTING_BEFORE.contains(&doc.fold(t)))
    {
        return true;
    }
    let sentence = &doc.sentences[doc.sentence_of(a)];
    let hearsay = clause.clone().any(|t| HEARSAY.contains(&doc.fold(t)));
    if hearsay && clause.end < sentence.tokens.end {
        let opener = doc.fold(clause.end);
        if ["but", "however", "yet"].contains(&opener) {
            // The contrasting clause and whatever it runs into.
            let mut end = clause.end + 1;
            while end < sentence.tokens.end && !break_after(doc, end - 1) {
                end += 1;
            }
            let end = (end + 8).min(sentence.tokens.end);
            return rejects(doc, clause.end..end);
        }
    }
    false
}

/// Whether the sentence of `h` dismisses it in one line: a short sentence
/// whose clause says it is no problem, not real or overblown, with no
/// reason or evidence given. ("The Taliban do not recognise the Durand
/// Line." states a fact of the dispute; it dismisses nothing.)
pub(crate) fn dismissed(doc: &Document, h: &Hit) -> bool {
    let s = &doc.sentences[h.sentence as usize];
    if s.tokens.len() > DISMISSAL_MAX_TOKENS {
        return false;
    }
    let clause = clause_of(doc, h.tokens.0 as usize, h.tokens.1 as usize);
    let words: Vec<&str> = clause.map(|t| doc.fold(t)).collect();
    let dismissive = dismissing_phrases()
        .iter()
        .any(|parts| words.windows(parts.len()).any(|w| w == parts.as_slice()));
    dismissive
        && !s.tokens.clone().any(|t| {
            let w = doc.fold(t);
            REASONS.contains(&w) || w.bytes().any(|c| c.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{status_of, traced};
    use super::super::Status::{Met, Missing, Partial};

    #[test]
    fn a_rejected_lens_or_option_is_not_earned() {
        let lens = "Some analysts speak of a security dilemma, but the term does not fit: Kabul cannot threaten Pakistan's army.";
        let (status, trace) = traced(lens, "lens-security-dilemma");
        assert_eq!(status, Missing);
        assert!(trace.candidates.iter().any(|c| c.rule == &super::REJECTED));
        let strikes = "Military strikes across the border would only recruit more fighters for the TTP, so Pakistan must not rely on them.";
        assert_eq!(traced(strikes, "option-deterrence").0, Missing);
    }

    #[test]
    fn a_negation_that_adopts_is_not_a_rejection() {
        let keep = "Pakistan should not abandon dialogue with Kabul, because talks are the only channel that has ever produced a ceasefire with the TTP.";
        assert_ne!(traced(keep, "option-engagement").0, Missing);
        let urgent = "Dialogue with Kabul must resume and cannot be delayed, because every month without talks gives the TTP time to regroup in Kunar.";
        assert_ne!(traced(urgent, "option-engagement").0, Missing);
    }

    /// A text that negates nearly every sentence denies its evidence: its
    /// negated claims are not a contrarian discussion. One negated claim
    /// with reasons in an ordinary essay still discusses the theme.
    #[test]
    fn a_negating_essay_denies_rather_than_discusses() {
        let negated = [
            "The TTP has not regrouped in Kunar and Paktika since the fall of Kabul in 2021.",
            "Its attacks on police stations in Khyber Pakhtunkhwa have not doubled since 2022.",
            "The Afghan Taliban do not shelter its leaders near the border.",
            "Pakistan has not lost hundreds of soldiers to these raids.",
            "Refugees are not a burden on Pakistan's cities and hospitals.",
            "The Durand Line is not disputed by any government in Kabul.",
            "Trade through Torkham has not fallen during the closures.",
            "ISIS-K has not attacked Shia mosques and political rallies in Bajaur.",
            "China has not asked Pakistan to protect its engineers on CPEC projects.",
            "Dialogue with Kabul has not produced any ceasefire at all.",
        ]
        .join(" ");
        let (status, trace) = traced(&negated, "ttp-revival");
        assert_eq!(status, Missing);
        assert!(trace
            .candidates
            .iter()
            .any(|c| c.rule == &super::NEGATING_ESSAY));
        let ordinary = "The TTP has regrouped in Kunar and Paktika since the fall of Kabul in 2021. Its attacks on police stations in Khyber Pakhtunkhwa doubled in 2023, and its leaders live near the border. The army has not found an answer to these raids, because the fighters cross back within hours.";
        assert_ne!(status_of(ordinary, "ttp-revival"), Missing);
    }

    #[test]
    fn not_be_rejects_unless_a_participle_turns_it() {
        let refused = "Talks with the Afghan Taliban should not be pursued, because they gave the TTP time to regroup in 2021.";
        assert_eq!(traced(refused, "option-engagement").0, Missing);
    }

    #[test]
    fn a_dismissal_is_not_a_discussion_but_reasons_are() {
        assert_eq!(
            traced("Refugees are not a real problem.", "refugees").0,
            Missing
        );
        let fact =
            "The Taliban do not recognise the Durand Line and their guards pull down the fence.";
        assert_ne!(traced(fact, "durand-line").0, Missing);
        let reasoned = "Refugees are not the main threat, because most have lived in Pakistan peacefully for decades and the attacks come from across the border.";
        assert!(matches!(traced(reasoned, "refugees").0, Partial | Met));
    }
}
