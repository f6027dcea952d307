//! Likely misspellings in a model answer ("Duand Line", "Ayesha Siddiqi",
//! "ITP", "recieve"): found before drafting, so the draft's titles, names
//! and phrases carry the correction and never a typo a student would have
//! to copy to earn the point. `--report` lists each with the evidence.
//!
//! A word is suspect only when nothing here knows it (the vocabulary, the
//! background lists, the built-in rubrics and lenses) and exactly one edit
//! (a letter left out, added, changed, or two swapped) turns it into a word
//! that is known in the same role:
//! - a name (capitalised wherever it occurs) into a name the built-in
//!   rubrics spell with the same neighbour ("Duand Line" → "Durand Line",
//!   "Ayesha Siddiqi" → "Ayesha Siddiqa"), or into a spelling the model
//!   itself uses at least twice as often;
//! - an acronym into one the model uses at least three times as often
//!   ("ITP" once beside "TTP" eleven times);
//! - a lower-case word of five letters or more into a dictionary word, not
//!   counting British/American variants ("fertiliser", "colour", "centre").
//!
//! A legitimate rare name far from any known one is never touched.

use super::*;

/// One likely misspelling and its correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misspelling {
    /// As the model writes it (its first occurrence).
    pub word: String,
    /// The correction, in the same case pattern.
    pub suggestion: String,
    /// Where it first occurs (1-based).
    pub line: usize,
    pub column: usize,
    /// How often the model writes it.
    pub count: usize,
    /// Why the correction is believed.
    pub because: String,
}

#[derive(Default)]
struct Seen {
    count: usize,
    first: usize,
    /// Occurrences starting with a capital / in capitals throughout.
    capitalised: usize,
    upper: usize,
    /// A capitalised occurrence that does not open its sentence or heading.
    mid_sentence_capital: bool,
}

/// Words the built-in rubrics and lenses spell: folded words, and the
/// capitalised ones (names) with the words that stand beside them.
struct Known {
    words: HashSet<String>,
    /// Folded bigrams of capitalised names as the rubrics write them
    /// ("durand line", "ayesha siddiqa").
    name_pairs: HashSet<(String, String)>,
    names: HashSet<String>,
}

fn known() -> &'static Known {
    static KNOWN: std::sync::OnceLock<Known> = std::sync::OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut k = Known {
            words: HashSet::new(),
            name_pairs: HashSet::new(),
            names: HashSet::new(),
        };
        let texts = crate::rubric::BUILTINS
            .iter()
            .map(|b| b.yaml)
            .chain([LENSES]);
        for text in texts {
            let words: Vec<&str> = text
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty())
                .collect();
            for (i, w) in words.iter().enumerate() {
                let f = w.to_lowercase();
                k.words.insert(f.clone());
                if w.chars().next().is_some_and(char::is_uppercase) {
                    k.names.insert(f.clone());
                    for j in [i.wrapping_sub(1), i + 1] {
                        if let Some(n) = words.get(j) {
                            let pair = if j < i {
                                (n.to_lowercase(), f.clone())
                            } else {
                                (f.clone(), n.to_lowercase())
                            };
                            k.name_pairs.insert(pair);
                        }
                    }
                }
            }
        }
        k
    })
}

fn is_known(word: &str) -> bool {
    lexicon::is_dictionary_word(word) || known().words.contains(word)
}

/// Every word one edit away from `w` (letters a-z), two letters swapped
/// first: the commonest slip ("recieve" is "receive", not "relieve").
fn one_edit(w: &str) -> Vec<String> {
    let mut all = edits(w);
    let c: Vec<char> = w.chars().collect();
    let swapped: Vec<String> = (0..c.len().saturating_sub(1))
        .map(|i| {
            let mut v = c.clone();
            v.swap(i, i + 1);
            v.into_iter().collect()
        })
        .collect();
    all.retain(|e| !swapped.contains(e));
    swapped.into_iter().chain(all).collect()
}

fn edits(w: &str) -> Vec<String> {
    let c: Vec<char> = w.chars().collect();
    let mut out = Vec::new();
    let s = |v: &[char]| v.iter().collect::<String>();
    for i in 0..c.len() {
        let mut v = c.clone();
        v.remove(i);
        out.push(s(&v));
        if i + 1 < c.len() {
            let mut v = c.clone();
            v.swap(i, i + 1);
            out.push(s(&v));
        }
        for l in 'a'..='z' {
            if l != c[i] {
                let mut v = c.clone();
                v[i] = l;
                out.push(s(&v));
            }
        }
    }
    for i in 0..=c.len() {
        for l in 'a'..='z' {
            let mut v = c.clone();
            v.insert(i, l);
            out.push(s(&v));
        }
    }
    out
}

/// The index of the first character where `a` and `b` differ.
fn first_difference(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Whether `b` is `a` with two neighbouring letters swapped.
fn swapped(a: &str, b: &str) -> bool {
    let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    x.len() == y.len() && {
        let diff: Vec<usize> = (0..x.len()).filter(|&i| x[i] != y[i]).collect();
        diff.len() == 2
            && diff[1] == diff[0] + 1
            && x[diff[0]] == y[diff[1]]
            && x[diff[1]] == y[diff[0]]
    }
}

/// British and American spellings of one word ("organisation" /
/// "organization", "colour" / "color", "centre" / "center", "ageing" /
/// "aging", "travelled" / "traveled", "licence" / "license"): not typos.
fn is_spelling_variant(a: &str, b: &str) -> bool {
    let norm = |w: &str| {
        w.replace("our", "or")
            .replace("tre", "ter")
            .replace("ll", "l")
            .replace("eing", "ing")
            .replace("ement", "ment")
            .replace(['z', 'c'], "s")
    };
    norm(a) == norm(b)
}

/// The case pattern of `like` applied to the folded `word`.
fn same_case(word: &str, like: &str) -> String {
    if like.len() > 1 && like.chars().all(|c| !c.is_lowercase()) {
        word.to_uppercase()
    } else if like.chars().next().is_some_and(char::is_uppercase) {
        let mut c = word.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    } else {
        word.to_string()
    }
}

/// The model's likely misspellings, in the order they first occur.
pub fn misspellings(doc: &Document) -> Vec<Misspelling> {
    let mut seen: HashMap<String, Seen> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for s in &doc.sentences {
        for (k, i) in s.tokens.clone().enumerate() {
            let raw = doc.word(i);
            if !raw.chars().all(|c| c.is_ascii_alphabetic()) {
                continue;
            }
            let f = doc.fold(i).to_string();
            let e = seen.entry(f.clone()).or_insert_with(|| {
                order.push(f.clone());
                Seen {
                    first: i,
                    ..Seen::default()
                }
            });
            e.count += 1;
            if raw.starts_with(|c: char| c.is_ascii_uppercase()) {
                e.capitalised += 1;
                let heading = doc.blocks[s.block].kind == BlockKind::Heading;
                e.mid_sentence_capital |= k > 0 && !heading;
            }
            if raw.len() >= 2 && raw.chars().all(|c| c.is_ascii_uppercase()) {
                e.upper += 1;
            }
        }
    }
    // Neighbours of each word as the model writes them, for the name check.
    // Ordered, and stop words left out, so the reason is the same on every
    // run and names the telling neighbour ("Line", not "the").
    let mut beside: HashMap<&str, std::collections::BTreeSet<(String, String)>> = HashMap::new();
    for s in &doc.sentences {
        let t: Vec<usize> = s.tokens.clone().collect();
        for (k, &i) in t.iter().enumerate() {
            let f = doc.fold(i);
            let entry = beside.entry(f).or_default();
            if k > 0 && !is_stop_word(doc.fold(t[k - 1])) {
                entry.insert((doc.fold(t[k - 1]).to_string(), String::new()));
            }
            if let Some(&n) = t.get(k + 1).filter(|&&n| !is_stop_word(doc.fold(n))) {
                entry.insert((String::new(), doc.fold(n).to_string()));
            }
        }
    }
    let k = known();
    let mut out = Vec::new();
    for f in &order {
        let s = &seen[f];
        let n = f.chars().count();
        let acronym = s.upper == s.count && (2..=6).contains(&n);
        let name = !acronym && s.capitalised == s.count;
        if is_known(f) || (!acronym && n < 4) {
            continue;
        }
        // Built once, read by whichever of the three checks applies.
        let edits = one_edit(f);
        let found = if acronym {
            edits.iter().cloned().find_map(|cand| {
                let o = seen.get(&cand)?;
                (cand.chars().count() == n
                    && o.upper == o.count
                    && o.count >= 3 * s.count
                    && o.count >= 3)
                    .then(|| {
                        let why =
                            format!("the model writes {} {} times", cand.to_uppercase(), o.count);
                        (cand, why)
                    })
            })
        } else {
            None
        };
        // A name: a spelling the model itself uses more, or a name a
        // built-in rubric writes beside the same word.
        let found = found.or_else(|| {
            if !name {
                return None;
            }
            edits.iter().cloned().find_map(|cand| {
                if let Some(o) = seen.get(&cand) {
                    if o.capitalised == o.count && o.count >= 2 * s.count && o.count >= 2 {
                        let why = format!(
                            "the model also writes {} ({} times)",
                            same_case(&cand, "X"),
                            o.count
                        );
                        return Some((cand, why));
                    }
                }
                if !k.names.contains(&cand) {
                    return None;
                }
                let (a, b) = beside.get(f.as_str())?.iter().find_map(|(before, after)| {
                    let p = if after.is_empty() {
                        (before.clone(), cand.clone())
                    } else {
                        (cand.clone(), after.clone())
                    };
                    k.name_pairs.contains(&p).then_some(p)
                })?;
                let why = format!(
                    "a built-in rubric writes \"{} {}\"",
                    same_case(&a, "X"),
                    same_case(&b, "X")
                );
                Some((cand, why))
            })
        });
        // A word (or a capital only where a sentence starts): a frequent
        // English word one letter away, the slip not in the last three
        // letters (where "prioritizes", "enabler" and "summarizes" differ
        // from "priorities", "enabled" and "summaries": endings the
        // vocabulary does not list, not typos).
        let found = found.or_else(|| {
            if acronym || (name && s.mid_sentence_capital) || n < 5 {
                return None;
            }
            edits
                .iter()
                .filter(|c| {
                    lexicon::exact_rank(c).is_some_and(|r| r < lexicon::FREQUENT_RANK)
                        && !is_spelling_variant(f, c)
                        && (1..n.saturating_sub(3)).contains(&first_difference(f, c))
                })
                .min_by_key(|c| (!swapped(f, c), lexicon::exact_rank(c), (*c).clone()))
                .map(|c| {
                    (
                        c.clone(),
                        "one letter from a frequent English word".to_string(),
                    )
                })
        });
        if let Some((suggestion, because)) = found {
            let raw = doc.word(s.first);
            let pos = doc
                .origin
                .line_col(&doc.text, doc.tokens[s.first].start as usize);
            out.push(Misspelling {
                word: raw.to_string(),
                suggestion: same_case(&suggestion, raw),
                line: pos.line,
                column: pos.column,
                count: s.count,
                because,
            });
        }
    }
    out
}

/// Rewrite `text` with every misspelt word corrected (whole words, any
/// case; the correction takes the case of what it replaces).
pub fn correct(text: &str, fixes: &[Misspelling]) -> String {
    if fixes.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut word_start: Option<usize> = None;
    let flush = |out: &mut String, w: &str| {
        let f = w.to_lowercase();
        match fixes.iter().find(|m| m.word.to_lowercase() == f) {
            Some(m) => out.push_str(&same_case(&m.suggestion.to_lowercase(), w)),
            None => out.push_str(w),
        }
    };
    for (i, c) in text.char_indices() {
        if c.is_alphabetic() {
            word_start.get_or_insert(i);
        } else {
            if let Some(s) = word_start.take() {
                flush(&mut out, &text[s..i]);
            }
            out.push(c);
        }
    }
    if let Some(s) = word_start {
        flush(&mut out, &text[s..]);
    }
    out
}

/// The model with its misspellings corrected, for checking the draft
/// against it (the draft's phrases carry the corrections). Blocks keep
/// their kinds; positions are the corrected text's own.
pub fn corrected_document(doc: &Document, fixes: &[Misspelling]) -> Option<Document> {
    if fixes.is_empty() {
        return None;
    }
    // Map each old offset to its new one as the text is rewritten token by
    // token.
    let mut text = String::with_capacity(doc.text.len() + 16);
    let mut shift: Vec<(usize, isize)> = Vec::new();
    let mut at = 0usize;
    let mut delta = 0isize;
    for t in &doc.tokens {
        let (s, e) = (t.start as usize, t.end as usize);
        if s < at {
            continue;
        }
        let w = &doc.text[s..e];
        let fixed = correct(w, fixes);
        if fixed != w {
            text.push_str(&doc.text[at..s]);
            text.push_str(&fixed);
            at = e;
            delta += fixed.len() as isize - w.len() as isize;
            shift.push((e, delta));
        }
    }
    text.push_str(&doc.text[at..]);
    let map = |o: usize| -> usize {
        let d = shift
            .iter()
            .take_while(|(end, _)| *end <= o)
            .last()
            .map_or(0, |(_, d)| *d);
        (o as isize + d) as usize
    };
    let blocks = doc
        .blocks
        .iter()
        .map(|b| crate::text::Block {
            kind: b.kind,
            span: map(b.span.start)..map(b.span.end),
            cells: b.cells.iter().map(|c| map(c.start)..map(c.end)).collect(),
        })
        .collect();
    let origin = crate::text::Origin::identity(&text);
    Some(Document::new(text, blocks, origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::from_plain_text(text.to_string())
    }

    #[test]
    fn typos_in_names_acronyms_and_words_are_found_with_a_reason() {
        let d = doc("Pakistan and the TTP\n\nThe TTP regrouped after 2021. The TTP raids posts, and the TTP recruits in the tribal districts. The ITP threat is contained, analysts said.\n\nThe Taliban reject the Duand Line, and Ayesha Siddiqi observes that the army decides policy. Families recieve little help from the enviroment ministry.\n");
        let m = misspellings(&d);
        let pairs: Vec<(&str, &str)> = m
            .iter()
            .map(|m| (m.word.as_str(), m.suggestion.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("ITP", "TTP"),
                ("Duand", "Durand"),
                ("Siddiqi", "Siddiqa"),
                ("recieve", "receive"),
                ("enviroment", "environment")
            ],
            "{m:#?}"
        );
        assert_eq!((m[1].line, m[1].column), (5, 24));
        assert!(m[1].because.contains("Durand Line"), "{}", m[1].because);
    }

    #[test]
    fn real_words_variants_and_unknown_names_are_left_alone() {
        // British spellings, rare words, a surname no rubric knows, an
        // acronym used once beside none like it.
        let d = doc("Fertiliser subsidies and organisation of tubewells mattered. Realpolitik and militancy shaped Rana's view, as Zulfiqar Bhutto knew. The SCO met once; the IMF lent twice.\n");
        assert_eq!(misspellings(&d), Vec::new());
    }

    #[test]
    fn corrections_keep_case_and_rebuild_the_document() {
        let d = doc("The Duand Line divides. Kabul rejects the Durand Line.\n\nThe Durand Line again, and the Durand line once more.\n");
        let m = misspellings(&d);
        assert_eq!(m.len(), 1, "{m:#?}");
        assert_eq!(
            correct("Duand line dispute, duand and DUAND", &m),
            "Durand line dispute, durand and DURAND"
        );
        let fixed = corrected_document(&d, &m).unwrap();
        assert!(
            m[0].because.contains("also writes Durand (3 times)"),
            "{m:#?}"
        );
        assert!(fixed.text.starts_with("The Durand Line divides. Kabul"));
        assert_eq!(fixed.blocks.len(), d.blocks.len());
        assert_eq!(fixed.sentences.len(), d.sentences.len());
        assert!(fixed.text[fixed.blocks[1].span.clone()].starts_with("The Durand Line again"));
    }
}
