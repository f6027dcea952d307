//! Whether two rubric phrases can match the same words of an essay: one
//! sits inside the other once case, punctuation, hyphens, inflections and
//! wildcards are taken into account. `rubric lint` warns about such pairs
//! across criteria and `rubric derive` never gives them to two criteria, so
//! one sentence never scores twice.

use super::inflect;
use crate::text::fold_token;

/// A phrase folded the way essays are, word by word.
#[derive(Debug, Clone)]
pub struct PhraseWords {
    words: Vec<Word>,
}

#[derive(Debug, Clone)]
struct Word {
    text: String,
    /// The last word of a wildcard phrase: a prefix.
    prefix: bool,
    forms: Vec<String>,
}

impl Word {
    /// Whether some essay word can match both.
    fn meets(&self, other: &Word) -> bool {
        match (self.prefix, other.prefix) {
            (true, true) => {
                self.text.starts_with(&other.text) || other.text.starts_with(&self.text)
            }
            (true, false) => other.forms.iter().any(|f| f.starts_with(&self.text)),
            (false, true) => self.forms.iter().any(|f| f.starts_with(&other.text)),
            (false, false) => self.forms.contains(&other.text) || other.forms.contains(&self.text),
        }
    }
}

impl PhraseWords {
    /// The phrase's words; `None` when it has none (only punctuation).
    pub fn new(text: &str) -> Option<PhraseWords> {
        let wildcard = text.trim_end().ends_with('*');
        let mut words: Vec<Word> = fold_token(text)
            .into_iter()
            .map(|w| Word {
                forms: inflect::forms(&w),
                text: w,
                prefix: false,
            })
            .collect();
        if let Some(last) = words.last_mut() {
            last.prefix = wildcard;
        }
        (!words.is_empty()).then_some(PhraseWords { words })
    }

    /// Whether every match of `self` sits inside a possible match of `other`
    /// (`self` is as short or shorter): a sentence holding `other` also
    /// holds `self`.
    pub fn inside(&self, other: &PhraseWords) -> bool {
        let (a, b) = (&self.words, &other.words);
        a.len() <= b.len()
            && (0..=b.len() - a.len()).any(|i| a.iter().zip(&b[i..]).all(|(x, y)| x.meets(y)))
    }
}

/// Whether two rubric phrases can match the same words (one sits inside the
/// other), so a sentence holding the longer one scores for both.
pub fn phrases_overlap(a: &str, b: &str) -> bool {
    match (PhraseWords::new(a), PhraseWords::new(b)) {
        (Some(x), Some(y)) => x.inside(&y) || y.inside(&x),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_overlap_through_inflections_and_wildcards() {
        assert!(phrases_overlap("durand", "Durand Line"));
        assert!(phrases_overlap("refugees", "Afghan refugee"));
        assert!(phrases_overlap("radicali*", "youth radicalization"));
        assert!(!phrases_overlap("border clashes", "border trade"));
    }
}
