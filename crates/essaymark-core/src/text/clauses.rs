//! Clauses: where a sentence breaks into the parts that each say one thing.
//! Used by `within: clause` pair rules (two terms must be related, not just
//! in one long sentence) and by the stance rules (what a clause rejects).
//!
//! A break is a semicolon, a colon, a dash, a bracket, or a comma or a
//! conjunction that opens a new clause ("..., and lorries still wait",
//! "but", "however", "although", "whereas", "while"). A comma inside a
//! list ("Pakistan, Iran and China") is not a break.

use super::Document;

/// Words that open a new clause wherever they stand.
const CLAUSE_OPENERS: &[&str] = &[
    "but",
    "however",
    "although",
    "though",
    "whereas",
    "yet",
    "while",
    "whilst",
    "because",
    "since",
    "unless",
    "which",
    "who",
    "whom",
    "whose",
    "nevertheless",
    "nonetheless",
];

/// Words that open a new clause after a comma.
const AFTER_COMMA: &[&str] = &[
    "and", "or", "so", "as", "when", "where", "if", "then", "instead",
];

/// Whether a clause break stands between token `t` and token `t + 1`.
pub fn break_after(doc: &Document, t: usize) -> bool {
    if t + 1 >= doc.tokens.len() {
        return true;
    }
    let gap = &doc.text[doc.tokens[t].end as usize..doc.tokens[t + 1].start as usize];
    // Bytes, not chars: gaps are mostly one space, and this runs per token.
    let mut comma = false;
    for b in gap.bytes() {
        match b {
            b';' | b':' | b'(' | b')' | b'[' | b']' => return true,
            b',' => comma = true,
            _ => {}
        }
    }
    // Most gaps are one space: only a longer one can hold a dash.
    if gap.len() >= 3 && (gap.contains(" - ") || (!gap.is_ascii() && gap.contains(['—', '–'])))
    {
        return true;
    }
    let next = doc.fold(t + 1);
    CLAUSE_OPENERS.contains(&next) || (comma && AFTER_COMMA.contains(&next))
}

/// The token range of the clause holding tokens `from..to` (within their
/// sentence). A range that spans a break is widened to both clauses.
pub fn clause_of(doc: &Document, from: usize, to: usize) -> std::ops::Range<usize> {
    let sentence = &doc.sentences[doc.sentence_of(from)];
    let mut start = from;
    while start > sentence.tokens.start && !break_after(doc, start - 1) {
        start -= 1;
    }
    let mut end = to.max(from + 1);
    while end < sentence.tokens.end && !break_after(doc, end - 1) {
        end += 1;
    }
    start..end
}

/// Whether tokens `a` and `b` (either order) are in one clause.
pub fn same_clause(doc: &Document, a: usize, b: usize) -> bool {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    if doc.sentence_of(lo) != doc.sentence_of(hi) {
        return false;
    }
    (lo..hi).all(|t| !break_after(doc, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::from_plain_text(text.to_string())
    }

    fn token(d: &Document, word: &str) -> usize {
        (0..d.tokens.len()).find(|&t| d.fold(t) == word).unwrap()
    }

    #[test]
    fn a_comma_and_a_new_clause_break_but_a_list_does_not() {
        let d = doc("Kabul wants recognition from the world, and lorries still wait at the border for days.");
        assert!(!same_clause(&d, token(&d, "kabul"), token(&d, "border")));
        let d = doc("Pakistan, Iran and China share a border with Afghanistan.");
        assert!(same_clause(&d, token(&d, "pakistan"), token(&d, "border")));
        let d = doc("Some speak of a security dilemma; the term does not fit.");
        assert!(!same_clause(&d, token(&d, "dilemma"), token(&d, "fit")));
        let d = doc("Some speak of a security dilemma, but the term does not fit.");
        let c = clause_of(&d, token(&d, "dilemma"), token(&d, "dilemma") + 1);
        assert_eq!(d.fold(c.start), "some");
        assert_eq!(d.fold(c.end - 1), "dilemma");
    }
}
