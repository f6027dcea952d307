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

pub const RULES: &[&RuleInfo] = &[&REJECTED, &DISMISSED, &DENIED];

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
    "doesn't fit",
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
    "won't work",
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
    "can't explain",
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

/// Negations.
const NEGATIONS: &[&str] = &[
    "not",
    "no",
    "never",
    "cannot",
    "can't",
    "won't",
    "shouldn't",
    "mustn't",
    "isn't",
    "aren't",
    "wasn't",
    "doesn't",
    "don't",
    "didn't",
    "wouldn't",
    "nor",
    "neither",
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
    "be",
    "wait",
    "less",
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
    "doesn't matter",
    "don't matter",
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

/// Whether sentence `s` holds any stance cue (see `cue_words`).
pub(crate) fn has_cue(doc: &Document, s: usize) -> bool {
    let cues = cue_words();
    doc.sentences[s]
        .tokens
        .clone()
        .any(|t| cues.contains(doc.fold(t)))
}

/// A phrase of `REJECTING` or a live negation in `tokens`.
fn rejects(doc: &Document, tokens: std::ops::Range<usize>) -> bool {
    let words: Vec<&str> = tokens.clone().map(|t| doc.fold(t)).collect();
    for (i, w) in words.iter().enumerate() {
        if NEGATIONS.contains(w) {
            let next = words.get(i + 1).copied().unwrap_or("");
            let after = words.get(i + 2).copied().unwrap_or("");
            if !NEGATION_CANCELLERS.contains(&next) && !NEGATION_CANCELLERS.contains(&after) {
                return true;
            }
        }
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
    use super::super::test_util::traced;
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
