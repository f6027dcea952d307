//! Matching: find a rubric's phrases, wildcards, misspellings and regexes in
//! an essay in one pass, then evaluate each criterion's expression (any /
//! all within a scope) into hits: the sentences that carry evidence.

mod eval;
pub mod inflect;
mod overlap;
mod phrases;

pub use eval::{evaluate, Expr, Hit, Within, CLAUSE_REACH};
pub use overlap::{phrases_overlap, PhraseWords};
pub use phrases::{
    max_edits, ByPhrase, Occurrence, PatternError, PhraseId, PhraseSet, PhraseSetBuilder, RegexId,
    Scan, WordClassifier, CONTENT_WORD, REGEX_SIZE_LIMIT,
};
