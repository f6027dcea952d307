//! Word lists about English itself, not about any essay: the background of
//! common words (`src/data/background.txt`, plus the essay vocabulary in
//! `src/data/academic-words.txt`), generic multi-word expressions, and
//! synonyms from WordNet (shipped by the `thesaurus-wordnet` crate). Rubric
//! authoring (`derive`, `lint`), `explain` and the benchmark corpus read them;
//! none of them decides a grade.

use std::collections::HashSet;
use std::sync::OnceLock;

const BACKGROUND: &str = include_str!("../data/background.txt");
const ACADEMIC: &str = include_str!("../data/academic-words.txt");
const VOCABULARY: &str = include_str!("../data/vocabulary.txt");

/// Words of `vocabulary.txt` ranked below this are frequent English: a
/// word any text may use ("victory", "leadership", "border", "revenue"),
/// never on its own the term that identifies an argument. Rank 6,000 keeps
/// the domain words a criterion may rest on ("terrorism", "refugee",
/// "drought", "sanctions" rank 7,000-13,000).
pub const FREQUENT_RANK: u32 = 6000;

fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The background word list (`src/data/background.txt`), parsed once; the
/// benchmark corpus draws students' own words from it.
pub fn background_words() -> &'static [&'static str] {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| data_lines(BACKGROUND).collect())
}

/// Whether a folded word is on the general background list itself (not
/// the essay vocabulary of `academic-words.txt`), or an inflection of one.
pub fn is_background_word(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    in_set_inflected(
        SET.get_or_init(|| background_words().iter().copied().collect()),
        word,
    )
}

fn common_set() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        background_words()
            .iter()
            .copied()
            .chain(data_lines(ACADEMIC))
            .collect()
    })
}

/// Whether a folded word (or an inflection of one) is common English that
/// says nothing about a topic.
pub fn is_common_word(word: &str) -> bool {
    in_set_inflected(common_set(), word)
}

/// The frequency rank of every word of `vocabulary.txt` (0 = most
/// frequent), parsed once.
fn vocabulary() -> &'static std::collections::HashMap<&'static str, u32> {
    static RANKS: OnceLock<std::collections::HashMap<&'static str, u32>> = OnceLock::new();
    RANKS.get_or_init(|| {
        data_lines(VOCABULARY)
            .enumerate()
            .map(|(i, w)| (w, i as u32))
            .collect()
    })
}

/// The frequency rank of exactly this folded word, if the vocabulary has it.
pub fn exact_rank(word: &str) -> Option<u32> {
    vocabulary().get(word).copied()
}

/// The frequency rank of a folded word or of the base it inflects
/// ("victories" → "victory"), if the vocabulary has it.
pub fn frequency_rank(word: &str) -> Option<u32> {
    let v = vocabulary();
    let mut best: Option<u32> = None;
    inflected(word, |b| {
        if let Some(&r) = v.get(b) {
            best = Some(best.map_or(r, |x| x.min(r)));
        }
        false
    });
    best
}

/// Whether a folded word is frequent English (see [`FREQUENT_RANK`]) or on
/// the background lists: too general to identify an argument alone.
pub fn is_frequent_word(word: &str) -> bool {
    is_common_word(word) || frequency_rank(word).is_some_and(|r| r < FREQUENT_RANK)
}

/// Whether a folded word (or a base it inflects) is an English word this
/// project knows: the vocabulary or the background lists.
pub fn is_dictionary_word(word: &str) -> bool {
    is_common_word(word) || frequency_rank(word).is_some()
}

/// Whether `word` or a base it is an inflection of is in `bg`.
fn in_set_inflected(bg: &HashSet<&'static str>, word: &str) -> bool {
    inflected(word, |b| bg.contains(b))
}

/// Whether `found` holds for `word` or for a base it may inflect.
fn inflected(word: &str, mut found: impl FnMut(&str) -> bool) -> bool {
    if found(word) {
        return true;
    }
    // "effects" → "effect", "studies" → "study", "improved" → "improve".
    let strip = |suffix: &str| word.strip_suffix(suffix).filter(|s| s.len() >= 3);
    [
        strip("s").map(str::to_string),
        strip("es").map(str::to_string),
        strip("ies").map(|s| format!("{s}y")),
        strip("ed").map(str::to_string),
        // "improved" → "improve"; not "deand" → "dean".
        word.ends_with("ed")
            .then(|| strip("d").map(str::to_string))
            .flatten(),
        strip("ing").map(str::to_string),
        strip("ing").map(|s| format!("{s}e")),
        strip("ly").map(str::to_string),
    ]
    .into_iter()
    .flatten()
    // "cutting" → "cutt" → "cut", "planned" → "plann" → "plan".
    .flat_map(|b| {
        let n = b.len();
        let doubled = n >= 4 && b.as_bytes()[n - 1] == b.as_bytes()[n - 2];
        let undoubled = doubled.then(|| b[..n - 1].to_string());
        std::iter::once(b).chain(undoubled)
    })
    .any(|b| found(b.as_str()))
}

/// Whether a folded word reads as a modifier or a verb form rather than a
/// thing an argument is about ("realistically", "broken", "dealt",
/// "international"): such a word never heads a key phrase.
pub fn is_weak_head(word: &str) -> bool {
    const IRREGULAR: &[&str] = &[
        "broken", "dealt", "taken", "given", "made", "done", "seen", "shown", "known", "become",
        "became", "held", "kept", "left", "led", "met", "paid", "put", "said", "set", "sent",
        "spent", "told", "brought", "bought", "caught", "fought", "sought", "thought", "won",
        "grown", "drawn", "driven", "written", "risen", "fallen", "chosen", "stolen", "sold",
        "burnt", "lost", "built", "found", "gone",
    ];
    // "tighter", "weaker", "largest": a comparison, not a thing.
    let compared = ["er", "est"].iter().any(|suffix| {
        word.strip_suffix(suffix).is_some_and(|base| {
            let undoubled = base
                .len()
                .checked_sub(1)
                .filter(|&i| i > 0 && base.as_bytes()[i] == base.as_bytes()[i - 1])
                .map(|i| &base[..i]);
            base.len() >= 3
                && (is_common_word(base)
                    || is_common_word(&format!("{base}e"))
                    || undoubled.is_some_and(is_common_word))
        })
    });
    IRREGULAR.contains(&word)
        || compared
        || (word.len() > 5 && word.ends_with("ly"))
        || (word.len() > 5 && word.ends_with("ed") && !word.ends_with("eed"))
}

/// Generic multi-word expressions any essay may use, whatever its topic
/// ("per cent", "in simple terms", "long term"): a phrase made of one of
/// these, or of common words only, is background, never a key phrase.
const BACKGROUND_PHRASES: &[&str] = &[
    "per cent",
    "long term",
    "short term",
    "medium term",
    "simple terms",
    "first place",
    "same time",
    "other hand",
    "recent years",
    "last decade",
    "past decade",
    "next decade",
    "policy makers",
    "decision makers",
    "way forward",
    "root causes",
    "vicious circle",
    "vicious cycle",
    "win win",
    "human beings",
    "common sense",
    "case study",
    "bottom line",
    "status quo",
    "real terms",
    "large scale",
    "key role",
    "major role",
];

/// Whether folded words are background: a generic expression, a single
/// common word, or nothing but stop words.
pub fn is_background_phrase(words: &[String]) -> bool {
    let joined = words.join(" ");
    words.iter().all(|w| super::is_stop_word(w))
        || BACKGROUND_PHRASES.contains(&joined.as_str())
        || (words.len() == 1 && is_common_word(&words[0]))
}

/// WordNet's synonyms, indexed once on first use (the data is compressed
/// in the binary; decompressing and indexing it takes a moment, so only
/// `rubric derive` asks).
#[cfg(feature = "wordnet")]
fn thesaurus() -> &'static std::collections::HashMap<&'static str, &'static str> {
    static INDEX: OnceLock<std::collections::HashMap<&'static str, &'static str>> = OnceLock::new();
    INDEX.get_or_init(|| {
        // The text lives as long as the process: leaking it once lets the
        // index borrow from it instead of copying 125,000 entries.
        let text: &'static str = Box::leak(thesaurus_wordnet::uncompress().into_boxed_str());
        text.lines().filter_map(|l| l.split_once('|')).collect()
    })
}

/// Without the `wordnet` feature (the browser build) there are no
/// synonyms to offer: `rubric derive` drafts the same rubric without its
/// synonym comments.
#[cfg(not(feature = "wordnet"))]
pub fn synonyms(_term: &str, _max: usize) -> Vec<String> {
    Vec::new()
}

/// Well-known synonyms of a folded word or phrase, from WordNet: the ones
/// that are not common words themselves and that list the term back (the
/// same sense), at most `max`, in WordNet's order, deduplicated. Multi-word phrases are looked up whole (WordNet has many
/// compounds: "national security", "ceasefire").
#[cfg(feature = "wordnet")]
pub fn synonyms(term: &str, max: usize) -> Vec<String> {
    let key = term.trim().to_lowercase();
    let Some(list) = thesaurus().get(key.as_str()) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    let index = thesaurus();
    for s in list.split('|') {
        // WordNet lists every sense of a word together ("humanitarian" →
        // "doctrine"); a synonym that lists the word back shares its
        // sense often enough to offer.
        let back = index
            .get(s.trim())
            .is_some_and(|l| l.split('|').any(|x| x.trim().replace('_', " ") == key));
        if !back {
            continue;
        }
        let s = s.trim().replace('_', " ");
        let words: Vec<String> = s.split_whitespace().map(str::to_string).collect();
        let plain = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == ' ' || c == '-');
        if !plain || s == key || words.is_empty() || is_background_phrase(&words) {
            continue;
        }
        if !out.contains(&s) {
            out.push(s);
        }
        if out.len() >= max {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_words_and_inflections_are_common() {
        assert!(is_common_word("effects"));
        assert!(is_common_word("studies"));
        assert!(is_common_word("international"));
        assert!(is_common_word("realistically"));
        assert!(is_common_word("cutting"));
        assert!(!is_common_word("sanctuaries"));
        assert!(!is_common_word("radicalization"));
    }

    /// `vocabulary.txt` is what `scripts/meaning/vocabulary.py` extracts
    /// from the shipped table, word for word and in order.
    #[cfg(feature = "meaning-table")]
    #[test]
    fn the_vocabulary_file_is_the_tables_whole_words() {
        let from_table: Vec<&str> = crate::meaning::table::TABLE
            .pieces()
            .iter()
            .copied()
            .filter(|w| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_lowercase()))
            .collect();
        let file: Vec<&str> = data_lines(VOCABULARY).collect();
        assert_eq!(file.len(), from_table.len());
        assert!(
            file == from_table,
            "regenerate with scripts/meaning/vocabulary.py"
        );
    }

    #[test]
    fn frequent_words_and_the_dictionary() {
        for w in ["victory", "leadership", "opposition", "border", "victories"] {
            assert!(is_frequent_word(w), "{w}");
        }
        for w in [
            "refugee",
            "terrorism",
            "sanctions",
            "skirmishes",
            "militancy",
        ] {
            assert!(!is_frequent_word(w), "{w}");
        }
        assert!(is_dictionary_word("skirmishes") && is_dictionary_word("receive"));
        assert!(!is_dictionary_word("recieve") && !is_dictionary_word("deand"));
        assert!(frequency_rank("the") < frequency_rank("victory"));
    }

    #[test]
    fn weak_heads_and_background_phrases() {
        assert!(is_weak_head("broken") && is_weak_head("realistically") && is_weak_head("dealt"));
        assert!(!is_weak_head("refugees") && !is_weak_head("deterrence") && !is_weak_head("seed"));
        let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert!(is_background_phrase(&w("per cent")));
        assert!(is_background_phrase(&w("international")));
        assert!(!is_background_phrase(&w("hybrid threats")));
    }

    #[test]
    #[cfg(feature = "wordnet")]
    fn wordnet_offers_synonyms_that_are_not_common_words() {
        let s = synonyms("deterrence", 5);
        assert!(s.iter().any(|x| x == "disincentive"), "{s:?}");
        assert!(synonyms("zzzz-not-a-word", 5).is_empty());
        assert!(synonyms("refugee", 3).len() <= 3);
    }
}
