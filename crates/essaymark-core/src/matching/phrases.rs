//! The phrase set: every phrase, wildcard and regex of a rubric compiled into
//! one structure and found in a single pass over an essay's tokens.
//!
//! A phrase is a sequence of terms. Each essay token is looked up once: an
//! exact hash lookup over every inflected surface form, an anchored
//! Aho-Corasick automaton over all wildcard prefixes, and (for long words
//! only) a deletion-neighbourhood index that finds misspellings of fuzzy
//! terms. Phrases are then extended from the tokens that start them, so the
//! cost grows with the essay and the number of hits, not with the rubric.

use super::inflect;
use crate::text::{fold_token, Document};
use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use rustc_hash::{FxHashMap, FxHasher};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

pub type PhraseId = usize;
pub type RegexId = usize;
type TermId = u32;

/// Compiled-size ceiling for one rubric regex (and the set of all of them):
/// a hostile rubric cannot make compilation or matching blow up.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum TermKey {
    Word { text: String, fuzzy: bool },
    Prefix(String),
}

/// Collects phrases and regexes while a rubric compiles.
#[derive(Debug, Default)]
pub struct PhraseSetBuilder {
    terms: Vec<TermKey>,
    term_ids: HashMap<TermKey, TermId>,
    phrases: Vec<Vec<TermId>>,
    phrase_ids: HashMap<Vec<TermId>, PhraseId>,
    phrase_text: Vec<String>,
    regexes: Vec<String>,
}

/// Why a phrase or regex cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    NoWords(String),
    BadWildcard(String),
    Regex(String),
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PatternError::NoWords(p) => write!(f, "phrase {p:?} has no words to match"),
            PatternError::BadWildcard(p) => write!(
                f,
                "phrase {p:?}: `*` may only end a word, after at least 3 letters (e.g. `militan*`)"
            ),
            PatternError::Regex(e) => write!(f, "invalid regex: {e}"),
        }
    }
}

/// Edits tolerated in a misspelled word of `len` letters.
pub fn max_edits(len: usize) -> u8 {
    match len {
        0..=4 => 0,
        5..=9 => 1,
        _ => 2,
    }
}

impl PhraseSetBuilder {
    /// Add a phrase; `fuzzy` decides per word (by its length) whether
    /// misspellings count. Identical phrases share one id.
    pub fn phrase(
        &mut self,
        text: &str,
        fuzzy: impl Fn(&str, &str) -> bool,
    ) -> Result<PhraseId, PatternError> {
        let mut terms = Vec::new();
        for raw in text.split_whitespace() {
            let wildcard = raw.ends_with('*');
            let core = raw.trim_end_matches('*');
            if core.contains('*') {
                return Err(PatternError::BadWildcard(text.to_string()));
            }
            let words = fold_token(core);
            if wildcard {
                // `cross-border*` → "cross", prefix "border".
                let Some((last, init)) = words.split_last() else {
                    return Err(PatternError::BadWildcard(text.to_string()));
                };
                if last.chars().count() < 3 {
                    return Err(PatternError::BadWildcard(text.to_string()));
                }
                for w in init {
                    terms.push(self.term(TermKey::Word {
                        text: w.clone(),
                        fuzzy: fuzzy(w, core),
                    }));
                }
                terms.push(self.term(TermKey::Prefix(last.clone())));
            } else {
                for w in words {
                    let f = fuzzy(&w, core);
                    terms.push(self.term(TermKey::Word { text: w, fuzzy: f }));
                }
            }
        }
        if terms.is_empty() {
            return Err(PatternError::NoWords(text.to_string()));
        }
        if let Some(&id) = self.phrase_ids.get(&terms) {
            return Ok(id);
        }
        let id = self.phrases.len();
        self.phrase_ids.insert(terms.clone(), id);
        self.phrases.push(terms);
        self.phrase_text.push(text.to_string());
        Ok(id)
    }

    /// Add a regex (matched case-insensitively against the essay text).
    pub fn regex(&mut self, pattern: &str) -> Result<RegexId, PatternError> {
        build_regex(pattern)?;
        self.regexes.push(pattern.to_string());
        Ok(self.regexes.len() - 1)
    }

    fn term(&mut self, key: TermKey) -> TermId {
        if let Some(&id) = self.term_ids.get(&key) {
            return id;
        }
        let id = self.terms.len() as TermId;
        self.terms.push(key.clone());
        self.term_ids.insert(key, id);
        id
    }

    pub fn build(self) -> Result<PhraseSet, PatternError> {
        let mut surface_terms: FxHashMap<Box<str>, Vec<TermId>> = FxHashMap::default();
        let mut prefixes = Vec::new();
        let mut prefix_terms = Vec::new();
        let mut fuzzy_index: FxHashMap<u64, Vec<(TermId, u32)>> = FxHashMap::default();
        let mut fuzzy_surfaces: Vec<Box<str>> = Vec::new();
        let mut scratch = DeletionScratch::default();
        let mut term_edits = vec![0u8; self.terms.len()];
        let mut term_regex = Vec::with_capacity(self.terms.len());
        let mut short_terms = Vec::new();
        for (id, key) in self.terms.iter().enumerate() {
            let id = id as TermId;
            match key {
                TermKey::Word { text, fuzzy } => {
                    let forms = inflect::forms(text);
                    let alternatives: Vec<String> =
                        forms.iter().map(|f| regex::escape(f)).collect();
                    term_regex.push(format!("(?:{})", alternatives.join("|")));
                    for form in &forms {
                        let list = surface_terms.entry(form.as_str().into()).or_default();
                        if !list.contains(&id) {
                            list.push(id);
                        }
                    }
                    let len = text.chars().count();
                    // A four-letter word may be one edit away only when
                    // anchored by an exactly matched word of the same phrase.
                    let edits = if *fuzzy && len == 4 {
                        1
                    } else {
                        max_edits(len)
                    };
                    if *fuzzy && edits > 0 {
                        term_edits[id as usize] = edits;
                        if len == 4 {
                            short_terms.push(id);
                        }
                        for form in &inflect::own_forms(text) {
                            let surface = fuzzy_surfaces.len() as u32;
                            fuzzy_surfaces.push(form.as_str().into());
                            scratch.for_each_key(form, edits, |key| {
                                let list = fuzzy_index.entry(key).or_default();
                                if list.last() != Some(&(id, surface)) {
                                    list.push((id, surface));
                                }
                            });
                        }
                    }
                }
                TermKey::Prefix(p) => {
                    term_regex.push(format!("{}\\w*", regex::escape(p)));
                    prefixes.push(p.clone());
                    prefix_terms.push(id);
                }
            }
        }
        // Every wildcard a word satisfies is a prefix of the word, so they
        // form a chain: an anchored leftmost-longest search finds the
        // longest, and `prefix_chain` lists it with all shorter ones.
        let prefix_chain: Vec<Vec<TermId>> = prefixes
            .iter()
            .map(|p| {
                prefixes
                    .iter()
                    .zip(&prefix_terms)
                    .filter(|(q, _)| p.starts_with(q.as_str()))
                    .map(|(_, &t)| t)
                    .collect()
            })
            .collect();
        let prefix_ac = if prefixes.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .start_kind(StartKind::Anchored)
                    .build(&prefixes)
                    .map_err(|e| PatternError::Regex(e.to_string()))?,
            )
        };
        // One-word phrases are found from their term; longer ones from
        // their first two terms, so a common first word ("border") does not
        // make every token that carries it try every phrase it starts.
        let mut single = vec![Vec::new(); self.terms.len()];
        let mut by_pair: FxHashMap<(TermId, TermId), Vec<PhraseId>> = FxHashMap::default();
        let mut starts_pair = vec![false; self.terms.len()];
        for (pid, terms) in self.phrases.iter().enumerate() {
            match terms.as_slice() {
                [one] => single[*one as usize].push(pid),
                [a, b, ..] => {
                    by_pair.entry((*a, *b)).or_default().push(pid);
                    starts_pair[*a as usize] = true;
                }
                [] => {}
            }
        }
        let regexes = self
            .regexes
            .iter()
            .map(|p| build_regex(p))
            .collect::<Result<Vec<_>, _>>()?;
        let regex_set = if regexes.is_empty() {
            None
        } else {
            Some(
                RegexSetBuilder::new(&self.regexes)
                    .case_insensitive(true)
                    .size_limit(REGEX_SIZE_LIMIT * 8)
                    .build()
                    .map_err(|e| PatternError::Regex(e.to_string()))?,
            )
        };
        Ok(PhraseSet {
            term_regex,
            regex_sources: self.regexes.clone(),
            prefix_chain,
            term_edits,
            short_terms,
            surface_terms,
            prefix_ac,
            fuzzy_index,
            fuzzy_surfaces,
            id: NEXT_SET_ID.fetch_add(1, Ordering::Relaxed),
            phrases: self.phrases,
            phrase_text: self.phrase_text,
            single,
            by_pair,
            starts_pair,
            regexes,
            regex_set,
        })
    }
}

fn build_regex(pattern: &str) -> Result<Regex, PatternError> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| PatternError::Regex(e.to_string()))
}

/// Generates the deletion neighbourhood of a word (the word and every string
/// with up to `edits` characters removed) as hashes, reusing its buffers so
/// neither compiling a rubric nor scanning an essay allocates per key.
#[derive(Default)]
struct DeletionScratch {
    chars: Vec<char>,
    buf: String,
}

fn hash_str(s: &str) -> u64 {
    let mut h = FxHasher::default();
    s.hash(&mut h);
    h.finish()
}

impl DeletionScratch {
    fn for_each_key(&mut self, word: &str, edits: u8, mut f: impl FnMut(u64)) {
        self.chars.clear();
        self.chars.extend(word.chars());
        let n = self.chars.len();
        f(hash_str(word));
        for i in 0..n {
            self.buf.clear();
            self.buf
                .extend(self.chars[..i].iter().chain(&self.chars[i + 1..]));
            f(hash_str(&self.buf));
            if edits >= 2 {
                for j in i + 1..n {
                    self.buf.clear();
                    self.buf.extend(
                        self.chars[..i]
                            .iter()
                            .chain(&self.chars[i + 1..j])
                            .chain(&self.chars[j + 1..]),
                    );
                    f(hash_str(&self.buf));
                }
            }
        }
    }
}

/// Gives each phrase set its own key in the per-thread misspelling cache.
static NEXT_SET_ID: AtomicUsize = AtomicUsize::new(0);

/// Words kept in a thread's cache before it is cleared.
const WORD_CACHE_LIMIT: usize = 1 << 16;

/// What a word resolved to: every term it stands for (`true`: as a
/// misspelling), and its classes (see `WordClassifier`), which scoring
/// needs for every token too. The last field numbers the word within the
/// scan that last met it (see `CachedWord::seen`).
type WordCache = FxHashMap<Box<str>, CachedWord>;

struct CachedWord {
    terms: Box<[(TermId, bool)]>,
    class: u8,
    /// `(scan, id)`: the scan (a per-thread serial) that last met the
    /// word, and the word's number in that scan's document (see
    /// `Scan::word_id`).
    seen: (u32, u32),
}

/// Sorts a word into classes, one bit each, that a caller of
/// `PhraseSet::scan_classified` tests per token. Bit `CONTENT_WORD` must be
/// `text::is_content_word`; the other bits are the caller's. Found in the
/// same per-word lookup as the terms, so a class costs nothing per token.
pub type WordClassifier = fn(&str) -> u8;

/// The class bit every classifier sets for a content word.
pub const CONTENT_WORD: u8 = 1;

fn content_only(word: &str) -> u8 {
    u8::from(crate::text::is_content_word(word))
}

thread_local! {
    /// Essays of one class share most of their vocabulary, and resolving a
    /// word (inflections, wildcards, misspellings) costs far more than one
    /// lookup, so each worker thread remembers what its words resolved to,
    /// for one phrase set at a time.
    static WORD_CACHE: RefCell<((usize, usize), WordCache)> =
        RefCell::new(((usize::MAX, 0), FxHashMap::default()));
    /// The serial of this thread's last scan (see `CachedWord::seen`).
    static SCAN_SERIAL: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// The compiled phrases, wildcards and regexes of one rubric.
#[derive(Debug)]
pub struct PhraseSet {
    /// Edits tolerated per term (0: exact only); 1 on a four-letter word
    /// means "only next to an exact word of the same phrase".
    term_edits: Vec<u8>,
    /// Fuzzy four-letter terms (sorted), which need an exact anchor.
    short_terms: Vec<TermId>,
    surface_terms: FxHashMap<Box<str>, Vec<TermId>>,
    prefix_ac: Option<AhoCorasick>,
    /// Each term as a regex (its inflected forms, or its wildcard).
    term_regex: Vec<String>,
    regex_sources: Vec<String>,
    /// For each wildcard pattern, the terms of it and of every shorter
    /// wildcard that is a prefix of it.
    prefix_chain: Vec<Vec<TermId>>,
    fuzzy_index: FxHashMap<u64, Vec<(TermId, u32)>>,
    fuzzy_surfaces: Vec<Box<str>>,
    /// Identity for the per-thread misspelling cache.
    id: usize,
    phrases: Vec<Vec<TermId>>,
    phrase_text: Vec<String>,
    /// One-word phrases, by term.
    single: Vec<Vec<PhraseId>>,
    /// Longer phrases, by their first two terms.
    by_pair: FxHashMap<(TermId, TermId), Vec<PhraseId>>,
    /// Terms that start some longer phrase.
    starts_pair: Vec<bool>,
    regexes: Vec<Regex>,
    regex_set: Option<RegexSet>,
}

/// Where a phrase or regex occurs: a token range, and whether any word in it
/// was matched as a misspelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Occurrence {
    pub tokens: (u32, u32),
    pub fuzzy: bool,
}

/// Everything a rubric's patterns found in one essay.
#[derive(Debug, Default)]
pub struct Scan {
    /// Each phrase's occurrences in token order: `phrases[id]`.
    pub phrases: ByPhrase,
    pub regexes: Vec<Vec<Occurrence>>,
    /// For each token, its classes (see `WordClassifier`): found in the
    /// same per-word lookup as the terms, so scoring does not look every
    /// token up a second time.
    pub word_class: Vec<u8>,
    /// For each token, its word's number in this document: two tokens
    /// have the same number exactly when their folded words
    /// (`Document::fold`) are equal. Numbered from 0 in order of first
    /// appearance, below `words`.
    pub word_id: Vec<u32>,
    /// How many distinct folded words the document has.
    pub words: usize,
}

/// Occurrences grouped by phrase in one buffer (one allocation per essay,
/// not one per phrase that occurs): indexed by `PhraseId`, each a slice in
/// token order.
#[derive(Debug, Default)]
pub struct ByPhrase {
    /// `starts[id]..starts[id + 1]` is phrase `id`'s range of `items`.
    starts: Vec<u32>,
    items: Vec<Occurrence>,
}

impl ByPhrase {
    /// Group `found` (phrase, occurrence pairs in token order) by phrase,
    /// keeping each phrase's occurrences in that order (a counting sort).
    fn group(phrases: usize, found: &[(u32, Occurrence)]) -> ByPhrase {
        let mut starts = vec![0u32; phrases + 1];
        for &(pid, _) in found {
            starts[pid as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut items = vec![
            Occurrence {
                tokens: (0, 0),
                fuzzy: false,
            };
            found.len()
        ];
        for &(pid, occ) in found {
            let at = &mut next[pid as usize];
            items[*at as usize] = occ;
            *at += 1;
        }
        ByPhrase { starts, items }
    }

    /// How many phrases there are.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each phrase's occurrences, in phrase order.
    pub fn iter(&self) -> impl Iterator<Item = &[Occurrence]> {
        (0..self.len()).map(|id| &self[id])
    }
}

impl std::ops::Index<PhraseId> for ByPhrase {
    type Output = [Occurrence];

    fn index(&self, id: PhraseId) -> &[Occurrence] {
        &self.items[self.starts[id] as usize..self.starts[id + 1] as usize]
    }
}

impl PhraseSet {
    pub fn phrase_count(&self) -> usize {
        self.phrases.len()
    }

    pub fn phrase_text(&self, id: PhraseId) -> &str {
        &self.phrase_text[id]
    }

    /// Every phrase (with its inflections and wildcards) and regex as a
    /// case-insensitive regular expression over raw text: the same exact
    /// search work, for comparing against a regex engine such as ripgrep
    /// (misspelling tolerance has no regex equivalent and is left out).
    pub fn as_regexes(&self) -> Vec<String> {
        let phrases = self.phrases.iter().map(|terms| {
            let parts: Vec<&str> = terms
                .iter()
                .map(|&t| self.term_regex[t as usize].as_str())
                .collect();
            format!("\\b{}\\b", parts.join("\\W+"))
        });
        phrases.chain(self.regex_sources.iter().cloned()).collect()
    }

    /// The pattern of a regex, as the rubric wrote it (for `explain`).
    pub fn regex_text(&self, id: RegexId) -> &str {
        self.regexes[id].as_str()
    }

    /// Find every phrase and regex in `doc`.
    pub fn scan(&self, doc: &Document) -> Scan {
        self.scan_classified(doc, content_only)
    }

    /// `scan`, with each token's classes as `classify` sorts its word.
    pub fn scan_classified(&self, doc: &Document, classify: WordClassifier) -> Scan {
        let token_terms = self.token_terms(doc, classify);
        let mut scan = Scan {
            phrases: ByPhrase::default(),
            regexes: vec![Vec::new(); self.regexes.len()],
            word_class: Vec::new(),
            word_id: Vec::new(),
            words: 0,
        };
        let mut found: Vec<(u32, Occurrence)> = Vec::new();
        let terms_at = |i: usize| -> &[(TermId, bool)] {
            let (s, e) = (
                token_terms.starts[i] as usize,
                token_terms.starts[i + 1] as usize,
            );
            &token_terms.entries[s..e]
        };
        let n = doc.tokens.len();
        for i in 0..n {
            for &(term, fuzzy) in terms_at(i) {
                for &pid in &self.single[term as usize] {
                    if !(fuzzy && self.is_short(term)) {
                        found.push((
                            pid as u32,
                            Occurrence {
                                tokens: (i as u32, i as u32 + 1),
                                fuzzy,
                            },
                        ));
                    }
                }
                if !self.starts_pair[term as usize] || i + 1 >= n {
                    continue;
                }
                for &(second, _) in terms_at(i + 1) {
                    let Some(candidates) = self.by_pair.get(&(term, second)) else {
                        continue;
                    };
                    for &pid in candidates {
                        if let Some(occ) = self.extend_phrase(pid, i, (term, fuzzy), doc, &terms_at)
                        {
                            found.push((pid as u32, occ));
                        }
                    }
                }
            }
        }
        scan.phrases = ByPhrase::group(self.phrases.len(), &found);
        scan.word_class = token_terms.class;
        scan.word_id = token_terms.word_id;
        scan.words = token_terms.words;
        if let Some(set) = &self.regex_set {
            for rid in set.matches(&doc.text).iter() {
                for m in self.regexes[rid].find_iter(&doc.text) {
                    if let Some(tokens) = token_range(doc, m.range()) {
                        scan.regexes[rid].push(Occurrence {
                            tokens,
                            fuzzy: false,
                        });
                    }
                }
            }
        }
        scan
    }

    /// Whether phrase `pid` (of two or more terms) occurs at token `i`,
    /// whose reading `first` starts it.
    fn extend_phrase<'t>(
        &self,
        pid: PhraseId,
        i: usize,
        first: (TermId, bool),
        doc: &Document,
        terms_at: &impl Fn(usize) -> &'t [(TermId, bool)],
    ) -> Option<Occurrence> {
        let phrase = &self.phrases[pid];
        let end = i + phrase.len();
        if end > doc.tokens.len() {
            return None;
        }
        let (term, fuzzy) = first;
        let mut any_fuzzy = fuzzy;
        let mut exact = usize::from(!fuzzy);
        let mut needs_anchor = fuzzy && self.is_short(term);
        for (k, want) in phrase[1..].iter().enumerate() {
            let at = terms_at(i + 1 + k);
            // Prefer an exact reading of the token when there is one.
            let &(t, f) = at
                .iter()
                .find(|&&(t, f)| t == *want && !f)
                .or_else(|| at.iter().find(|&&(t, _)| t == *want))?;
            any_fuzzy |= f;
            exact += usize::from(!f);
            needs_anchor |= f && self.is_short(t);
        }
        // A fuzzy four-letter word needs an exactly spelled neighbour.
        let anchored = !needs_anchor || exact > 0;
        (anchored && doc.sentence_of(i) == doc.sentence_of(end - 1)).then_some(Occurrence {
            tokens: (i as u32, end as u32),
            fuzzy: any_fuzzy,
        })
    }

    fn is_short(&self, term: TermId) -> bool {
        self.term_edits[term as usize] == 1 && self.short_terms.binary_search(&term).is_ok()
    }

    /// The terms each token of `doc` carries, in token order. Each distinct
    /// word is resolved once per thread (see `WORD_CACHE`), so the steady
    /// state is one hash lookup per token.
    fn token_terms(&self, doc: &Document, classify: WordClassifier) -> TokenTerms {
        let mut tt = TokenTerms {
            starts: Vec::with_capacity(doc.tokens.len() + 1),
            entries: Vec::new(),
            class: Vec::with_capacity(doc.tokens.len()),
            word_id: Vec::with_capacity(doc.tokens.len()),
            words: 0,
        };
        // One cache per phrase set and classifier: a word's classes depend
        // on who asks.
        let key = (self.id, classify as usize);
        WORD_CACHE.with(|cell| {
            let mut cache = cell.borrow_mut();
            // A serial per scan, so a cached word numbered by an earlier
            // scan is numbered again; never 0 (a fresh entry's), and the
            // cache starts afresh when the serial wraps.
            let serial = SCAN_SERIAL.with(|c| {
                let next = c.get().wrapping_add(1).max(1);
                c.set(next);
                next
            });
            if cache.0 != key || cache.1.len() >= WORD_CACHE_LIMIT || serial == 1 {
                cache.0 = key;
                cache.1.clear();
            }
            let mut words = 0u32;
            for i in 0..doc.tokens.len() {
                tt.starts.push(tt.entries.len() as u32);
                let word = doc.fold(i);
                if let Some(cached) = cache.1.get_mut(word) {
                    tt.entries.extend_from_slice(&cached.terms);
                    tt.class.push(cached.class);
                    if cached.seen.0 != serial {
                        cached.seen = (serial, words);
                        words += 1;
                    }
                    tt.word_id.push(cached.seen.1);
                    continue;
                }
                let found = self.resolve_word(word);
                let class = classify(word);
                tt.entries.extend_from_slice(&found);
                tt.class.push(class);
                tt.word_id.push(words);
                cache.1.insert(
                    word.into(),
                    CachedWord {
                        terms: found.into(),
                        class,
                        seen: (serial, words),
                    },
                );
                words += 1;
            }
            tt.words = words as usize;
        });
        tt.starts.push(tt.entries.len() as u32);
        tt
    }

    /// Every term a word stands for: its exact and inflected forms, the
    /// wildcards it satisfies, and (marked fuzzy) the terms it misspells.
    fn resolve_word(&self, word: &str) -> Vec<(TermId, bool)> {
        let mut found: Vec<(TermId, bool)> = Vec::new();
        if let Some(list) = self.surface_terms.get(word) {
            found.extend(list.iter().map(|&t| (t, false)));
        }
        if let Some(ac) = &self.prefix_ac {
            if let Some(m) = ac.find(Input::new(word).anchored(Anchored::Yes)) {
                let chain = &self.prefix_chain[m.pattern().as_usize()];
                found.extend(chain.iter().map(|&t| (t, false)));
            }
        }
        if !self.fuzzy_index.is_empty() && word.len() >= 3 {
            for t in self.fuzzy_terms(word) {
                if !found.iter().any(|&(e, _)| e == t) {
                    found.push((t, true));
                }
            }
        }
        found
    }

    /// Fuzzy terms `word` is a misspelling of (never the exact word itself).
    fn fuzzy_terms(&self, word: &str) -> Vec<TermId> {
        let len = word.chars().count();
        let edits = max_edits(len + 1).clamp(1, 2);
        let mut found: Vec<TermId> = Vec::new();
        let first = word.chars().next();
        let mut keys = Vec::new();
        DeletionScratch::default().for_each_key(word, edits, |k| keys.push(k));
        for key in keys {
            let Some(cands) = self.fuzzy_index.get(&key) else {
                continue;
            };
            for &(term, surface) in cands {
                let surface = &self.fuzzy_surfaces[surface as usize];
                if found.contains(&term)
                    || surface.as_ref() == word
                    || surface.chars().next() != first
                {
                    continue;
                }
                let allowed = self.term_edits[term as usize] as usize;
                if strsim::osa_distance(word, surface) <= allowed {
                    found.push(term);
                }
            }
        }
        found.sort_unstable();
        found
    }
}

struct TokenTerms {
    starts: Vec<u32>,
    entries: Vec<(TermId, bool)>,
    class: Vec<u8>,
    word_id: Vec<u32>,
    words: usize,
}

/// Tokens overlapping a byte range of the text.
fn token_range(doc: &Document, range: Range<usize>) -> Option<(u32, u32)> {
    let first = doc
        .tokens
        .partition_point(|t| (t.end as usize) <= range.start);
    let last = doc
        .tokens
        .partition_point(|t| (t.start as usize) < range.end.max(range.start + 1));
    (first < doc.tokens.len()).then(|| (first as u32, last.max(first + 1) as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(phrases: &[&str], text: &str) -> Vec<Vec<(String, bool)>> {
        let mut b = PhraseSetBuilder::default();
        for p in phrases {
            b.phrase(p, |w, _| w.chars().count() >= 5).unwrap();
        }
        let set = b.build().unwrap();
        let doc = Document::from_plain_text(text.to_string());
        let s = set.scan(&doc);
        s.phrases
            .iter()
            .map(|occ| {
                occ.iter()
                    .map(|o| {
                        let (a, b) = o.tokens;
                        let span = doc.tokens[a as usize].start as usize
                            ..doc.tokens[b as usize - 1].end as usize;
                        (doc.text[span].to_string(), o.fuzzy)
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn phrases_are_word_bounded_and_inflected() {
        let got = scan(
            &["border clash", "attack"],
            "Border-clashes grew. Attacked posts; counterattack.",
        );
        assert_eq!(got[0], vec![("Border-clashes".to_string(), false)]);
        assert_eq!(got[1], vec![("Attacked".to_string(), false)]);
    }

    #[test]
    fn nested_wildcards_all_match() {
        let got = scan(
            &["milit*", "militan*", "militar*"],
            "Militants and the military.",
        );
        assert_eq!(got[0].len(), 2);
        assert_eq!(got[1], vec![("Militants".to_string(), false)]);
        assert_eq!(got[2], vec![("military".to_string(), false)]);
    }

    #[test]
    fn wildcards_match_prefixes() {
        let got = scan(
            &["militan*", "cross-border infiltr*"],
            "Militancy and militants; cross border infiltration.",
        );
        assert_eq!(got[0].len(), 2);
        assert_eq!(
            got[1],
            vec![("cross border infiltration".to_string(), false)]
        );
    }

    /// Misspellings are measured against the word as the rubric wrote it
    /// and its own inflections, not against made-up forms of a guessed base:
    /// "fighting" once had the form "fightes" (base "fight" + "es"), one
    /// edit from "fighters".
    #[test]
    fn misspellings_are_of_the_written_word_not_of_a_guessed_base() {
        let got = scan(
            &["fighting", "refugees"],
            "Fighters crossed. Figthing went on. The refugess and refugee camps.",
        );
        assert_eq!(got[0], vec![("Figthing".to_string(), true)]);
        assert_eq!(
            got[1],
            vec![
                ("refugess".to_string(), true),
                ("refugee".to_string(), false)
            ]
        );
    }

    #[test]
    fn fuzzy_finds_one_edit_misspellings_of_long_words() {
        let got = scan(
            &["Durand Line", "Siddiqa"],
            "The Duand line and Siddiqi and the Durand Line.",
        );
        assert_eq!(
            got[0],
            vec![
                ("Duand line".to_string(), true),
                ("Durand Line".to_string(), false)
            ]
        );
        assert_eq!(got[1], vec![("Siddiqi".to_string(), true)]);
        // Short words are never fuzzy; first letters must agree.
        let got = scan(&["Durand"], "Murand and Dur.");
        assert!(got[0].is_empty());
    }

    #[test]
    fn short_fuzzy_words_need_an_exact_anchor() {
        let mut b = PhraseSetBuilder::default();
        let name = b
            .phrase("Stephen Walt", |w, _| w.chars().count() >= 4)
            .unwrap();
        let alone = b.phrase("Walt", |w, _| w.chars().count() >= 4).unwrap();
        let set = b.build().unwrap();
        let doc = Document::from_plain_text(
            "Stephen Wallt argues. Kenneth Waltz too. Walt agrees.".into(),
        );
        let s = set.scan(&doc);
        assert_eq!(s.phrases[name].len(), 1);
        assert!(s.phrases[name][0].fuzzy);
        // "Waltz" alone is not Walt; "Walt" alone is.
        assert_eq!(s.phrases[alone].len(), 1);
        assert_eq!(s.phrases[alone][0].tokens, (6, 7));
    }

    #[test]
    fn phrases_do_not_cross_sentences() {
        let got = scan(&["durand line"], "They met Durand. Line up.");
        assert!(got[0].is_empty());
    }

    #[test]
    fn regexes_map_to_tokens() {
        let mut b = PhraseSetBuilder::default();
        let r = b.regex(r"tehr[ie]+k").unwrap();
        let set = b.build().unwrap();
        let doc = Document::from_plain_text("the Tehrik-i-Taliban and TEHREEK".into());
        let s = set.scan(&doc);
        assert_eq!(s.regexes[r].len(), 2);
        assert_eq!(s.regexes[r][0].tokens, (1, 2));
    }

    #[test]
    fn exported_regexes_find_what_the_scan_finds() {
        let mut b = PhraseSetBuilder::default();
        b.phrase("border clash", |_, _| false).unwrap();
        b.phrase("militan*", |_, _| false).unwrap();
        let set = b.build().unwrap();
        let res = set.as_regexes();
        let text = "Border-clashes and militancy";
        for r in &res {
            let re = RegexBuilder::new(r).case_insensitive(true).build().unwrap();
            assert!(re.is_match(text), "{r}");
        }
    }

    #[test]
    fn bad_patterns_are_errors() {
        let mut b = PhraseSetBuilder::default();
        assert!(matches!(
            b.phrase(" -- ", |_, _| false),
            Err(PatternError::NoWords(_))
        ));
        assert!(matches!(
            b.phrase("mi*tant", |_, _| false),
            Err(PatternError::BadWildcard(_))
        ));
        assert!(matches!(b.regex("(unclosed"), Err(PatternError::Regex(_))));
        assert!(matches!(
            b.regex("a{10000}{10000}"),
            Err(PatternError::Regex(_))
        ));
    }
    #[test]
    fn occurrences_grouped_by_phrase_keep_token_order() {
        let at = |a: u32| Occurrence {
            tokens: (a, a + 1),
            fuzzy: false,
        };
        let g = ByPhrase::group(3, &[(2, at(1)), (0, at(4)), (2, at(7))]);
        assert_eq!(g.len(), 3);
        assert_eq!(&g[0], &[at(4)][..]);
        assert!(g[1].is_empty());
        assert_eq!(&g[2], &[at(1), at(7)][..]);
        assert_eq!(
            g.iter().map(<[Occurrence]>::len).collect::<Vec<_>>(),
            [1, 0, 2]
        );
        assert!(ByPhrase::group(0, &[]).is_empty());
    }
}
