//! Function words: the words that carry no argument of their own. Scoring
//! counts a sentence's other words to tell an argued sentence from a list of
//! keywords; the rubric linter warns about phrases made only of these.
//! Data, kept apart from the code that uses it.

/// Function words (kept sorted for review).
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "all",
    "also",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "been",
    "being",
    "big",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "e",
    "etc",
    "for",
    "from",
    "had",
    "has",
    "have",
    "he",
    "her",
    "his",
    "how",
    "i",
    "ii",
    "iii",
    "important",
    "in",
    "into",
    "is",
    "issue",
    "issues",
    "it",
    "its",
    "iv",
    "main",
    "major",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "no",
    "not",
    "of",
    "on",
    "or",
    "other",
    "our",
    "problem",
    "problems",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "v",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
];

/// Whether a folded word is one of the function words scoring ignores.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Whether a folded word counts as a student's own content word: longer
/// than two letters and not a function word.
pub fn is_content_word(word: &str) -> bool {
    // No stop word is longer than 9 bytes: skip the search for long words.
    word.len() > 2 && (word.len() > 9 || !is_stop_word(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_and_unique() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(
            STOP_WORDS.iter().all(|w| w.len() <= 9),
            "is_content_word skips the search for longer words"
        );
    }

    #[test]
    fn content_words() {
        assert!(is_content_word("border"));
        assert!(is_content_word("refugees"));
        assert!(!is_content_word("the"));
        assert!(!is_content_word("should"));
        assert!(!is_content_word("un"));
        assert!(is_content_word("counterinsurgency"));
    }
}
