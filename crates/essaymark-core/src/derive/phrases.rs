//! Choosing phrases: the key terms of an argument (multi-word terms,
//! acronyms, names), with the reason each dropped candidate was dropped.

#[allow(unused_imports)]
use super::*;

#[derive(Debug, Clone)]
pub(super) struct Candidate {
    /// As it will be written in the rubric.
    pub(super) text: String,
    pub(super) score: f64,
    /// Named in the heading or said more than once: what the argument is
    /// about rather than a passing detail.
    pub(super) central: bool,
}

/// The forms of a term that count as one (plural, possessive): grouping key.
pub(super) fn term_key(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            let w = w.strip_suffix("ies").map_or_else(
                || {
                    w.strip_suffix('s')
                        .filter(|s| s.len() >= 3 && !s.ends_with('s'))
                        .unwrap_or(w)
                        .to_string()
                },
                |s| format!("{s}y"),
            );
            w
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A raw word that is an acronym: "TTP", "ISIS-K", "CPEC", "SDGs".
pub(super) fn is_acronym(raw: &str) -> bool {
    let letters: Vec<char> = raw.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    upper >= 2
        && upper * 10 >= letters.len() * 7
        && raw.chars().all(|c| c.is_alphanumeric() || c == '-')
        && !raw.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
}

pub(super) fn trim_word(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'' && c != '’')
        .trim_end_matches(['\'', '’'])
        .trim_end_matches("'s")
        .trim_end_matches("’s")
        .trim_matches('-')
}

/// Words that only frame a name ("Dr", "Lt. Gen (R)") and never belong to it.
pub(super) const HONORIFICS: &[&str] = &[
    "dr",
    "prof",
    "professor",
    "mr",
    "mrs",
    "ms",
    "sir",
    "lt",
    "gen",
    "general",
    "r",
    "retd",
    "col",
    "colonel",
    "maj",
    "major",
    "brig",
    "ambassador",
    "justice",
    "senator",
    "president",
    "minister",
    "as",
    "according",
    "while",
    "when",
    "scholar",
    "analyst",
    "writer",
    "author",
];

/// A key-term candidate of one argument.
#[derive(Debug, Clone)]
pub(super) struct Found {
    /// As it will be written in the rubric.
    pub(super) text: String,
    /// Weighted occurrences (heading occurrences weigh more).
    pub(super) tf: f64,
    /// Named in the argument's own heading.
    pub(super) in_heading: bool,
    /// Plain occurrences.
    pub(super) count: usize,
}

/// The pieces of text of a block that terms may not cross: its sentences,
/// or a table row's cells.
pub(super) fn pieces(doc: &Document, b: usize) -> Vec<&str> {
    let block = &doc.blocks[b];
    if block.kind == BlockKind::TableRow && !block.cells.is_empty() {
        return block
            .cells
            .iter()
            .filter_map(|c| doc.text.get(c.clone()))
            .map(|t| t.trim_start_matches(['→', '-', '•', ' ']))
            .collect();
    }
    doc.block_sentences[b]
        .clone()
        .map(|s| &doc.text[doc.sentences[s].span.clone()])
        .collect()
}

/// Why a phrase the model uses was not made a key phrase (`--report`),
/// in the order the report lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DropReason {
    /// Taken by another criterion (or a lens or scholar) it overlaps.
    Shared,
    /// Found in too many of the model's arguments: the essay's topic.
    Spread,
    /// An expression any essay on any topic may use.
    Background,
    /// A modifier or verb form rather than a thing argued about.
    NotATerm,
    /// A name on its own: evidence, not the argument (kept for `develop`).
    NameAlone,
    /// Common English on its own.
    Common,
    /// A frequent English word on its own ("victory", "leadership"): it
    /// turns up in texts on any subject (`lexicon::is_frequent_word`).
    Frequent,
    /// A likely misspelling in the model; the draft uses the correction.
    Misspelt,
}

impl DropReason {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            DropReason::Common => "too common",
            DropReason::Frequent => "a frequent English word on its own",
            DropReason::Misspelt => "a likely misspelling (the draft uses the correction)",
            DropReason::NotATerm => "not a term (a modifier or verb form)",
            DropReason::Background => "off-topic background (any essay says it)",
            DropReason::Spread => "spread over the whole essay (its topic)",
            DropReason::Shared => "shared with another criterion",
            DropReason::NameAlone => "a name on its own (kept for develop)",
        }
    }
}

pub(super) fn note_drop(dropped: &mut Vec<(String, DropReason)>, text: String, reason: DropReason) {
    if !dropped.iter().any(|(t, _)| *t == text) {
        dropped.push((text, reason));
    }
}

/// Key terms of one argument: acronyms, capitalised names (outside
/// headings, where every word is capitalised) and content n-grams.
pub(super) fn candidates(
    doc: &Document,
    arg: &Argument,
    title_words: &HashSet<String>,
    exclude_words: &HashSet<String>,
    dropped: &mut Vec<(String, DropReason)>,
) -> HashMap<String, Found> {
    let mut found: HashMap<String, Found> = HashMap::new();
    let mut add = |words: &[String], text: String, weight: f64, heading: bool| {
        let e = found.entry(term_key(words)).or_insert(Found {
            text,
            tf: 0.0,
            in_heading: false,
            count: 0,
        });
        e.tf += weight;
        e.count += 1;
        e.in_heading |= heading;
    };
    let topical = |w: &str| title_words.contains(w);
    for &b in &arg.blocks {
        let heading = Some(b) == arg.head || doc.blocks[b].kind == BlockKind::Heading;
        let weight = if heading { 3.0 } else { 1.0 };
        for piece in pieces(doc, b) {
            // Acronyms and names, from the raw words. A comma, colon or
            // semicolon ends a name ("Targets Pakistan, China").
            let mut run: Vec<&str> = Vec::new();
            let mut at_start = true;
            let mut names: Vec<(Vec<&str>, bool)> = Vec::new();
            for (i, raw) in piece.split_whitespace().enumerate() {
                let w = trim_word(raw);
                let ends = raw.ends_with([',', ';', ':', '.', ')']);
                if w.is_empty() {
                    continue;
                }
                if is_acronym(w) {
                    let words = fold_token(w);
                    let alpha = w.chars().filter(|c| c.is_alphabetic()).count();
                    if alpha >= 3 && !words.iter().all(|x| topical(x)) {
                        add(&words, w.to_string(), weight * 2.0, heading);
                    }
                    names.push((std::mem::take(&mut run), at_start));
                    continue;
                }
                let capital = w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars().skip(1).any(char::is_lowercase);
                if capital {
                    if run.is_empty() {
                        at_start = i == 0;
                    }
                    run.push(w);
                }
                if !capital || ends {
                    names.push((std::mem::take(&mut run), at_start));
                }
            }
            names.push((run, at_start));
            if !heading {
                for (mut run, at_start) in names {
                    // Honorifics, function words and common words at the
                    // edges ("As", "Targets") are not part of a name.
                    let edge = |w: &&str| {
                        let l = w.to_lowercase();
                        HONORIFICS.contains(&l.as_str()) || is_stop_word(&l) || is_common_word(&l)
                    };
                    while run.first().is_some_and(edge) {
                        run.remove(0);
                    }
                    while run.last().is_some_and(edge) {
                        run.pop();
                    }
                    let words: Vec<String> = run.iter().flat_map(|w| fold_token(w)).collect();
                    let ok = (2..=4).contains(&run.len()) || (run.len() == 1 && !at_start);
                    if ok
                        && !words.iter().all(|w| topical(w))
                        && !words
                            .iter()
                            .any(|w| exclude_words.contains(w) || w.len() < 3)
                    {
                        add(&words, run.join(" "), weight * 1.5, heading);
                    }
                }
            }

            // Content n-grams. Multi-word terms start and end on a content
            // word that is neither the essay's topic nor common English at
            // the end (the head noun), and never span a stop word.
            let content = |w: &str| {
                w.len() >= 3
                    && !w.starts_with(|c: char| c.is_ascii_digit())
                    && !is_stop_word(w)
                    && !FUNCTION_WORDS.contains(&w)
                    && !reporting_verb(w)
                    && !w.chars().all(|c| c.is_ascii_digit())
                    && !exclude_words.contains(w)
            };
            // A term never crosses a comma, colon, bracket or dash: "coal,
            // rubber and waste" holds no term "coal rubber".
            for span in phrase_spans(piece) {
                let toks = join_prefixes(fold_token(span));
                for n in 1..=3 {
                    for win in toks.windows(n) {
                        if !win.iter().all(|w| content(w)) {
                            continue;
                        }
                        let (first, last) = (&win[0], &win[n - 1]);
                        let ok = if n == 1 {
                            first.len() >= 5 && !is_common_word(first) && !topical(first)
                        } else {
                            !topical(first)
                                && !topical(last)
                                && !is_common_word(last)
                                && (n == 2 || !is_common_word(first))
                        };
                        // Why a phrase that looked like a term is not one, for
                        // `--report`: common English alone, a modifier or verb
                        // form ("realistically", "consumption broken"), or an
                        // expression any essay uses ("per cent").
                        let reason = if n == 1
                            && first.len() >= 5
                            && !topical(first)
                            && (is_common_word(first) || is_weak_head(first))
                        {
                            Some(DropReason::Common)
                        } else if ok && is_background_phrase(win) {
                            Some(DropReason::Background)
                        } else if ok && (is_weak_head(last) || is_weak_head(first)) {
                            Some(DropReason::NotATerm)
                        } else {
                            None
                        };
                        if let Some(r) = reason {
                            note_drop(dropped, win.join(" "), r);
                            continue;
                        }
                        if !ok {
                            continue;
                        }
                        // A trigram must recur (or head the argument) to beat
                        // the bigrams inside it.
                        let w = weight
                            * if n == 3 {
                                1.2
                            } else {
                                1.0 + 0.4 * (n - 1) as f64
                            };
                        add(win, wildcard_form(win), w, heading);
                    }
                }
            }
        }
    }
    // One-off trigrams from the body are usually a clause, not a term, and
    // so is a one-off pair led by a common word ("becomes dangerous").
    found.retain(|k, f| {
        let central = f.in_heading || f.count >= 2;
        let words: Vec<&str> = k.split(' ').collect();
        match words.len() {
            1 => true,
            2 => central || !(is_common_word(words[0]) || is_common_word(words[1])),
            _ => central,
        }
    });
    found
}

/// The stretches of a sentence between punctuation that ends a phrase.
pub(super) fn phrase_spans(piece: &str) -> impl Iterator<Item = &str> {
    piece
        .split([
            ',', ';', ':', '(', ')', '[', ']', '—', '–', '"', '“', '”', '?', '!',
        ])
        .filter(|s| !s.trim().is_empty())
}

/// A title for an argument without a heading: the phrase its paragraphs
/// repeat most (two or three content words, the head not common English,
/// the essay's topic words allowed: "canal water pricing"), longer first
/// on a tie; `None` when nothing recurs.
pub(super) fn cluster_title(doc: &Document, blocks: &[usize]) -> Option<String> {
    let mut counts: HashMap<Vec<String>, (usize, usize)> = HashMap::new();
    let mut order = 0;
    for &b in blocks {
        for piece in pieces(doc, b) {
            for span in phrase_spans(piece) {
                let toks = join_prefixes(fold_token(span));
                for n in 2..=3 {
                    for win in toks.windows(n) {
                        let ok = win.iter().all(|w| {
                            w.len() >= 3
                                && !is_stop_word(w)
                                && !w.starts_with(|c: char| c.is_ascii_digit())
                        }) && win.iter().any(|w| !is_common_word(w))
                            && !is_weak_head(&win[n - 1])
                            && !is_weak_head(&win[0])
                            && !is_background_phrase(win);
                        if ok {
                            order += 1;
                            counts.entry(win.to_vec()).or_insert((0, order)).0 += 1;
                        }
                    }
                }
            }
        }
    }
    counts
        .into_iter()
        .filter(|(_, (c, _))| *c >= 2)
        .max_by(|a, b| {
            (a.1 .0, a.0.len(), std::cmp::Reverse(a.1 .1)).cmp(&(
                b.1 .0,
                b.0.len(),
                std::cmp::Reverse(b.1 .1),
            ))
        })
        .map(|(words, _)| words.join(" "))
}

/// Prepositions and conjunctions the scoring stop list leaves out (it
/// keeps them as content for other reasons): they never start or end a term.
pub(super) const FUNCTION_WORDS: &[&str] = &[
    "against",
    "among",
    "amongst",
    "between",
    "towards",
    "toward",
    "despite",
    "within",
    "without",
    "across",
    "along",
    "alongside",
    "beyond",
    "upon",
    "via",
    "since",
    "until",
    "unless",
    "whether",
    "while",
    "whereas",
    "although",
    "though",
    "because",
    "therefore",
    "however",
    "instead",
    "rather",
    "today",
];

/// Prefixes students write with a hyphen, a space or nothing:
/// "de-radicalization", "counter terrorism", "deradicalisation".
pub(super) const HYPHEN_PREFIXES: &[&str] = &[
    "de", "re", "counter", "anti", "non", "post", "pre", "co", "cross", "inter", "self",
];

/// Join a prefix to the word after it ("de", "radicalization" →
/// "de-radicalization"): one term, written with the hyphen so the phrase
/// matches the hyphenated and the spaced spelling.
pub(super) fn join_prefixes(toks: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(toks.len());
    let mut it = toks.into_iter().peekable();
    while let Some(t) = it.next() {
        if HYPHEN_PREFIXES.contains(&t.as_str()) {
            if let Some(next) = it
                .next_if(|n| n.len() >= 4 && !is_stop_word(n) && n.chars().all(char::is_alphabetic))
            {
                out.push(format!("{t}-{next}"));
                continue;
            }
        }
        out.push(t);
    }
    out
}

/// The closed-up spelling of a prefixed phrase ("de-radicali*" →
/// "deradicali*"), a common variant that is one word in an essay.
pub(super) fn closed_up(phrase: &str) -> Option<String> {
    let (prefix, rest) = phrase.split_once('-')?;
    (HYPHEN_PREFIXES.contains(&prefix) && !rest.contains([' ', '-']))
        .then(|| format!("{prefix}{rest}"))
}

/// "youth radicalization" → "youth radicali*": British and American
/// spellings (-isation / -ization) both match.
pub(super) fn wildcard_form(words: &[String]) -> String {
    let mut out = words.to_vec();
    if let Some(last) = out.last_mut() {
        for suffix in [
            "ization", "isation", "izations", "isations", "izes", "ises", "ized", "ised", "izing",
            "ising", "ize", "ise",
        ] {
            if let Some(stem) = last.strip_suffix(suffix) {
                if stem.len() >= 5
                    && suffix.len() >= 3
                    && (suffix.contains('z')
                        || suffix.starts_with("isation")
                        || suffix.starts_with("ise"))
                {
                    *last = format!("{stem}i*");
                }
                break;
            }
        }
    }
    out.join(" ")
}

/// Openers that announce a point without making it ("My second reason is
/// that", "Firstly,", "Another point is that"): a claim title leaves them
/// out.
static POINT_OPENER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?ix)^\s*(?:
            (?:my|the|a|one|another)\s+(?:(?:first|second|third|fourth|fifth|final|last|next|main|other|biggest|most\ important)\s+)?
                (?:reason|point|argument|problem|benefit|advantage|thing)\s+(?:why\s+[^,]*?\s+)?(?:is|would\ be)\s+(?:that\s+|because\s+)?
            | (?:firstly|secondly|thirdly|fourthly|finally|lastly|first|second|third|furthermore|moreover|additionally|besides|also|in\ addition|on\ top\ of\ that|above\ all)\s*,?\s+
        )",
    )
    .expect("valid opener pattern")
});

/// A point that only names its subject ("My second reason is about
/// computers and the internet."): the claim is in the next sentence.
static ABOUT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)^\s*(?:about|to\s+do\s+with|related\s+to)\b").expect("valid pattern")
});

/// Longest claim title, in words: a longer sentence is cut at its first
/// clause break after `CLAIM_MIN` words.
const CLAIM_MAX: usize = 14;
const CLAIM_MIN: usize = 4;

/// The claim an argument without a heading opens with, as a title ("Many
/// students have nowhere quiet to study"): its first sentence without the
/// opener that announces it, cut at a clause break when long. `None` when
/// no sentence gives a title of `CLAIM_MIN`-`CLAIM_MAX` words.
pub(super) fn claim_title(doc: &Document, blocks: &[usize]) -> Option<String> {
    let sentences: Vec<usize> = blocks
        .iter()
        .filter(|&&b| {
            matches!(
                doc.blocks[b].kind,
                BlockKind::Paragraph | BlockKind::ListItem
            )
        })
        .flat_map(|&b| doc.block_sentences[b].clone())
        .take(2)
        .collect();
    for (k, &si) in sentences.iter().enumerate() {
        let raw = clean_text(&doc.sentence_text(si));
        let body = POINT_OPENER.replace(&raw, "");
        // A one-word label ("Result: India's wheat harvest ...").
        let body = match body.split_once(':') {
            Some((label, rest))
                if !label.trim().contains(' ') && rest.split_whitespace().count() >= CLAIM_MIN =>
            {
                rest.trim_start().to_string()
            }
            _ => body.into_owned(),
        };
        if ABOUT.is_match(&body) {
            continue;
        }
        // Cut at a clause break (comma, semicolon, dash, "because", "so",
        // "which") once the claim has its subject and verb.
        let words: Vec<&str> = body.split_whitespace().collect();
        let mut end = words.len();
        for (i, w) in words.iter().enumerate().skip(CLAIM_MIN - 1) {
            let next = words.get(i + 1).map(|n| n.to_lowercase());
            if w.ends_with([',', ';', ':'])
                || matches!(
                    next.as_deref(),
                    Some("because" | "so" | "which" | "but" | "—" | "-")
                )
            {
                end = i + 1;
                break;
            }
        }
        // Too long and no break: the first `CLAIM_MAX` words, ending on a
        // content word.
        if end > CLAIM_MAX {
            end = CLAIM_MAX;
            while end > CLAIM_MIN && is_stop_word(&words[end - 1].to_lowercase()) {
                end -= 1;
            }
        }
        if end < CLAIM_MIN {
            if k + 1 < sentences.len() {
                continue;
            }
            return None;
        }
        let title = words[..end]
            .join(" ")
            .trim_end_matches(|c: char| c.is_ascii_punctuation() && c != ')')
            .to_string();
        let mut chars = title.chars();
        return chars
            .next()
            .map(|f| f.to_uppercase().chain(chars).collect::<String>());
    }
    None
}
