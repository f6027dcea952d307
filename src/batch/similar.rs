//! Similarity between the submissions of a batch: which pairs of essays are
//! near-copies of each other. A pure function over texts: it knows nothing
//! of files, rubrics or reports.
//!
//! An essay becomes a [`Fingerprint`]: the set of its **5-word shingles**
//! (every run of five consecutive words, lowercased, punctuation and
//! apostrophes dropped), each hashed to 32 bits. Three kinds of shingle are
//! left out, so that what two honest essays are bound to share does not make
//! them look copied:
//!
//! - words **inside quotation marks** (`"…"`, `“…”`, `«…»`): the scholars
//!   everyone quotes. A quotation ends at its closing mark, and a mark left
//!   open at the end of a paragraph, or a "quotation" of more than
//!   [`MAX_QUOTE_WORDS`] words, is not one (so a stray `"` cannot hide an
//!   essay);
//! - shingles of the **rubric's own text** ([`Exclusions`]: title, question,
//!   section and criterion titles, advice, phrases), which students echo,
//!   and every shingle overlapping one, so the seam between the title and
//!   the question copied under it does not count either;
//! - **common shingles**, found in at least [`COMMON_SHARE`] of the batch's
//!   essays and in at least [`COMMON_MIN`] of them (boilerplate: a header
//!   the school prints on every answer, a stock phrase of the topic).
//!
//! The similarity of two essays is the **Jaccard index** of their
//! fingerprints (shared shingles / shingles in either), computed exactly.
//! To avoid comparing every pair (12.5 million for 5,000 essays), each
//! fingerprint is summarised by a MinHash signature of [`SIGNATURE`] values
//! (one-permutation hashing with densification: one hash per shingle, not
//! one per shingle and signature slot), and LSH banding proposes as
//! candidates only the pairs whose signatures agree on a whole band; the
//! band width is chosen from the threshold so that a pair at the threshold
//! is proposed with a probability of at least 99.5% (a near-copy, far above
//! it, always is). Every candidate is then checked exactly. Everything is
//! seeded and sorted: the same essays give the same pairs in the same order.

use crate::text::{tokenize, Document};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

/// Words per shingle: long enough that two essays on the same topic rarely
/// share one by chance, short enough that changing a word here and there
/// leaves most of a copied sentence's shingles intact.
pub const SHINGLE: usize = 5;
/// A quotation longer than this is not taken as one (see the module doc).
pub const MAX_QUOTE_WORDS: usize = 80;
/// Share of the batch above which a shingle is boilerplate.
pub const COMMON_SHARE: f64 = 0.1;
/// ... provided it is in at least this many essays, so that in a small class
/// two or three students sharing a passage are not taken for boilerplate.
pub const COMMON_MIN: usize = 5;
/// Values in a MinHash signature.
pub const SIGNATURE: usize = 128;
/// The default threshold: half of the two essays' shingles shared.
pub const DEFAULT_THRESHOLD: f64 = 0.5;
/// Positions of one shingle in the other essay tried when finding shared
/// passages, so a phrase an essay repeats a thousand times stays linear.
const MAX_POSITIONS: usize = 16;

/// Fixed seeds: the output must not change from run to run.
const SEED_SIGNATURE: u64 = 0x9e37_79b9_7f4a_7c15;
const SEED_BAND: u64 = 0xc2b2_ae3d_27d4_eb4f;
const FX: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// MurmurHash3's 64-bit finaliser: spreads every input bit over the output,
/// which bucket choice and band keys rely on.
fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

fn fx_add(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(FX)
}

/// One normalised word of a text.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Word {
    hash: u64,
    /// Byte range in the text, for showing shared passages.
    start: usize,
    end: usize,
    /// In a quotation, or in a shingle of the rubric: no shingle counts it.
    quoted: bool,
}

/// The words of a text being read, with the state quotations need.
struct Reader<'a> {
    text: &'a str,
    quotes: bool,
    out: Vec<Word>,
    /// Index into `out` where the open quotation began.
    open: Option<usize>,
    /// Only white space since the last line break.
    newline: bool,
}

/// A folded word's hash: each character's code point, as a byte for ASCII.
fn word_hash(fold: &str) -> u64 {
    // Hashed as bytes while checking that they are ASCII (nearly every
    // word), so the word is read once.
    let (h, high) = fold
        .bytes()
        .fold((0, 0), |(h, high), b| (fx_add(h, u64::from(b)), high | b));
    let h = if high < 0x80 {
        h
    } else {
        fold.chars()
            .fold(0, |h, c| fx_add(h, u64::from(u32::from(c))))
    };
    fmix64(h)
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, quotes: bool, words: usize) -> Reader<'a> {
        Reader {
            text,
            quotes,
            out: Vec::with_capacity(words),
            open: None,
            newline: false,
        }
    }

    /// A word at `start..end` of the text, folded to `fold`.
    fn word(&mut self, start: usize, end: usize, fold: &str) {
        self.out.push(Word {
            hash: word_hash(fold),
            start,
            end,
            quoted: false,
        });
        self.newline = false;
    }

    /// Characters between words: quotation marks open and close
    /// quotations, a blank line ends an open one.
    fn marks(&mut self, range: Range<usize>) {
        let piece = &self.text[range];
        if let &[b] = piece.as_bytes() {
            // Most gaps are one space.
            return self.mark(char::from(b));
        }
        for c in piece.chars() {
            self.mark(c);
        }
    }

    fn mark(&mut self, c: char) {
        match c {
            '\n' if self.newline => self.open = None,
            '\n' => self.newline = true,
            c if c.is_whitespace() => {}
            _ => self.newline = false,
        }
        if !self.quotes {
            return;
        }
        match (c, self.open) {
            ('"' | '\u{201d}' | '\u{00bb}', Some(from)) => {
                // A quotation longer than MAX_QUOTE_WORDS is not one.
                if self.out.len() - from <= MAX_QUOTE_WORDS {
                    for w in &mut self.out[from..] {
                        w.quoted = true;
                    }
                }
                self.open = None;
            }
            ('"' | '\u{201c}' | '\u{201e}' | '\u{00ab}', None) => self.open = Some(self.out.len()),
            _ => {}
        }
    }

    /// Text not tokenised yet: its words are found as the grader finds
    /// them ([`tokenize`]). Between the tokens of a [`Document`] this is
    /// white space and punctuation, or now and then a word the document
    /// leaves out of its blocks (a list number, a scanned page header).
    fn gap(&mut self, range: Range<usize>) {
        let piece = &self.text[range.clone()];
        if !piece
            .bytes()
            .any(|b| b.is_ascii_alphanumeric() || !b.is_ascii())
        {
            return self.marks(range);
        }
        let mut tokens = Vec::new();
        let mut folded = piece.to_ascii_lowercase();
        tokenize(piece, 0, &mut tokens, &mut folded);
        let mut at = range.start;
        for t in &tokens {
            let (start, end) = (range.start + t.start as usize, range.start + t.end as usize);
            self.marks(at..start);
            self.word(
                start,
                end,
                &folded[t.fold_start as usize..t.fold_end as usize],
            );
            at = end;
        }
        self.marks(at..range.end);
    }
}

/// The words of `text` as the grader tokenises it (folded: lowercased,
/// apostrophes dropped), each with whether it stands inside a quotation
/// (when `quotes` is set).
fn words(text: &str, quotes: bool) -> Vec<Word> {
    let mut r = Reader::new(text, quotes, text.len() / 6);
    r.gap(0..text.len());
    r.out
}

/// The words of a document from the tokens the grader made: no text is
/// tokenised twice. The same words as [`words`] of its text: what lies
/// between tokens is read for quotation marks and for the words the
/// document leaves out of its blocks.
fn document_words(doc: &Document) -> Vec<Word> {
    let mut r = Reader::new(&doc.text, true, doc.tokens.len());
    let mut at = 0;
    for (i, t) in doc.tokens.iter().enumerate() {
        let (start, end) = (t.start as usize, t.end as usize);
        if start < at || end > doc.text.len() {
            // Tokens out of order (no document builds them so): read the
            // text instead.
            return words(&doc.text, true);
        }
        // Most gaps are one space, which changes nothing.
        if start != at + 1 || doc.text.as_bytes()[at] != b' ' {
            r.gap(at..start);
        }
        r.word(start, end, doc.fold(i));
        at = end;
    }
    r.gap(at..doc.text.len());
    r.out
}

/// The hash of the shingle starting at each word, `None` where the shingle
/// holds a quoted word (or fewer than [`SHINGLE`] words remain).
fn shingles(words: &[Word]) -> impl Iterator<Item = Option<u32>> + '_ {
    words.windows(SHINGLE).map(|w| {
        if w.iter().any(|w| w.quoted) {
            return None;
        }
        let h = w.iter().fold(0, |h, w| fx_add(h, w.hash));
        Some((fmix64(h) >> 32) as u32)
    })
}

/// The hashes `shingles` gives (its `Some`s, in order) into `out`, without
/// an `Option` per word: a window is skipped while a quoted word is in it.
/// Returns where the `excluded` ones start; with any `excluded`, `starts`
/// gets where each of `out` starts.
fn clean_shingles(
    words: &[Word],
    excluded: &Exclusions,
    out: &mut Vec<u32>,
    starts: &mut Vec<u32>,
) -> Vec<usize> {
    let mut excluded_at = Vec::new();
    let check = !excluded.is_empty();
    // The first window start with no quoted word before it in the window.
    let mut clean_from = 0;
    for (i, w) in words.iter().enumerate() {
        if w.quoted {
            clean_from = i + 1;
            continue;
        }
        if i + 1 >= SHINGLE && i + 1 - SHINGLE >= clean_from {
            let h = words[i + 1 - SHINGLE..=i]
                .iter()
                .fold(0, |h, w| fx_add(h, w.hash));
            let h = (fmix64(h) >> 32) as u32;
            if check {
                if excluded.contains(h) {
                    excluded_at.push(i + 1 - SHINGLE);
                }
                starts.push((i + 1 - SHINGLE) as u32);
            }
            out.push(h);
        }
    }
    excluded_at
}

/// The shingles of `words` that count: none holding a quoted word, an
/// excluded one, or a word of an excluded one (those words are marked).
/// What `Fingerprint::of_words` computes in one buffer (the tests compare
/// the two).
#[cfg(test)]
fn counted(words: &mut [Word], excluded: &Exclusions) -> Vec<Option<u32>> {
    let raw: Vec<Option<u32>> = shingles(words).collect();
    if excluded.is_empty() || !raw.iter().flatten().any(|&h| excluded.contains(h)) {
        return raw;
    }
    for (i, h) in raw.iter().enumerate() {
        if h.is_some_and(|h| excluded.contains(h)) {
            for w in &mut words[i..i + SHINGLE] {
                w.quoted = true;
            }
        }
    }
    shingles(words).collect()
}

/// Shingles never counted: the rubric's own text.
#[derive(Debug, Clone, Default)]
pub struct Exclusions {
    set: FxHashSet<u32>,
    /// One bit per value of a shingle's low [`FILTER_BITS`] bits, set for
    /// every excluded shingle: nearly every shingle of an essay is ruled
    /// out by one bit test, without a hash lookup.
    filter: Vec<u64>,
}

/// Bits of a shingle hash that index [`Exclusions::filter`] (8 KiB).
const FILTER_BITS: u32 = 16;

impl Exclusions {
    /// The shingles of each text (shingles do not run from one text into
    /// the next). Quotation marks in these texts do not matter.
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Exclusions {
        let mut set = FxHashSet::default();
        for t in texts {
            set.extend(shingles(&words(t, false)).flatten());
        }
        let mut filter = vec![0u64; 1 << (FILTER_BITS - 6)];
        for &h in &set {
            let b = h & ((1 << FILTER_BITS) - 1);
            filter[(b >> 6) as usize] |= 1 << (b & 63);
        }
        Exclusions { set, filter }
    }

    fn contains(&self, h: u32) -> bool {
        let b = h & ((1 << FILTER_BITS) - 1);
        self.filter
            .get((b >> 6) as usize)
            .is_some_and(|w| w >> (b & 63) & 1 == 1)
            && self.set.contains(&h)
    }

    pub fn len(&self) -> usize {
        self.set.len()
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

/// An essay's shingles (sorted, each once), less the excluded ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fingerprint(Vec<u32>);

impl Fingerprint {
    /// The fingerprint of a text, tokenised as the grader tokenises it.
    pub fn of(text: &str, excluded: &Exclusions) -> Fingerprint {
        Fingerprint::of_words(words(text, true), excluded)
    }

    /// The fingerprint of a graded essay, from the tokens its [`Document`]
    /// already has: the same as [`Fingerprint::of`] its text.
    pub fn of_document(doc: &Document, excluded: &Exclusions) -> Fingerprint {
        Fingerprint::of_words(document_words(doc), excluded)
    }

    fn of_words(words: Vec<Word>, excluded: &Exclusions) -> Fingerprint {
        // The shingles that count straight into one buffer (as `counted`
        // gives them, but in one pass): an essay with an excluded shingle
        // (the rubric's text) then drops every shingle holding a word of
        // one, which `counted` marks and reads again.
        let mut v = Vec::with_capacity(words.len());
        let mut starts = Vec::new();
        let excluded_at = clean_shingles(&words, excluded, &mut v, &mut starts);
        if !excluded_at.is_empty() {
            let mut marked = vec![false; words.len()];
            for i in excluded_at {
                marked[i..i + SHINGLE].fill(true);
            }
            // Marked words before each word, so a shingle's are two reads.
            let mut before = Vec::with_capacity(words.len() + 1);
            let mut n = 0u32;
            before.push(n);
            for &m in &marked {
                n += u32::from(m);
                before.push(n);
            }
            let mut k = 0;
            v.retain(|_| {
                let p = starts[k] as usize;
                k += 1;
                before[p + SHINGLE] == before[p]
            });
        }
        radix_sort(&mut v);
        v.dedup();
        v.shrink_to_fit();
        Fingerprint(v)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn contains(&self, h: u32) -> bool {
        self.0.binary_search(&h).is_ok()
    }
}

/// Sort a fingerprint's shingles: thousands of evenly spread hashes, which
/// one pass by their top byte spreads over 256 buckets of a dozen or so,
/// each then sorted on its own (a comparison sort: a repeated passage
/// gives one bucket many equal hashes), several times faster than a
/// comparison sort of the whole.
fn radix_sort(v: &mut Vec<u32>) {
    if v.len() < 256 {
        v.sort_unstable();
        return;
    }
    let mut starts = [0u32; 257];
    for &x in v.iter() {
        starts[(x >> 24) as usize + 1] += 1;
    }
    for b in 0..256 {
        starts[b + 1] += starts[b];
    }
    let mut at = starts;
    let mut out = vec![0u32; v.len()];
    for &x in v.iter() {
        let b = (x >> 24) as usize;
        out[at[b] as usize] = x;
        at[b] += 1;
    }
    for b in 0..256 {
        out[starts[b] as usize..starts[b + 1] as usize].sort_unstable();
    }
    *v = out;
}

/// Shingles in both sorted sets.
fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Two essays above the threshold. `a < b`, indices into the fingerprints.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    /// Jaccard index of the two fingerprints, 0-1.
    pub similarity: f64,
    /// Shared shingles over those of the smaller fingerprint, 0-1: near 1
    /// when one essay is contained in the other.
    pub containment: f64,
    /// Shingles in both.
    pub shared: usize,
}

/// Exact comparison of two fingerprints.
pub fn compare(a: &Fingerprint, b: &Fingerprint) -> (f64, f64, usize) {
    let n = shared(&a.0, &b.0);
    let union = a.len() + b.len() - n;
    let smaller = a.len().min(b.len());
    let ratio = |x: usize, y: usize| if y == 0 { 0.0 } else { x as f64 / y as f64 };
    (ratio(n, union), ratio(n, smaller), n)
}

/// Drop the shingles found in at least `COMMON_SHARE` of `prints` (and in
/// at least `COMMON_MIN` of them). Returns how many distinct shingles were
/// common. Counting every distinct shingle exactly would take a map of
/// millions of entries for a large batch, so counts go first into a fixed
/// table indexed by the hash, where colliding shingles add up: that can
/// only overcount, so a shingle whose slot stays under the limit is not
/// common, and only the few whose slot reaches it are then counted exactly.
pub fn drop_common(prints: &mut [Fingerprint]) -> usize {
    // About four shingles a slot, and at most a megabyte of slots, so the
    // table stays in cache: collisions cost exact counts, not accuracy.
    let total: usize = prints.iter().map(Fingerprint::len).sum();
    let bits = (total / 4)
        .max(1)
        .next_power_of_two()
        .trailing_zeros()
        .clamp(10, 18);
    drop_common_with(prints, bits)
}

fn drop_common_with(prints: &mut [Fingerprint], bits: u32) -> usize {
    let n = prints.len();
    let limit = COMMON_MIN.max((COMMON_SHARE * n as f64).ceil() as usize);
    if n < limit {
        return 0;
    }
    let limit = u32::try_from(limit).unwrap_or(u32::MAX);
    let mask = (1usize << bits) - 1;
    let mut slots = vec![0u32; 1 << bits];
    for p in prints.iter() {
        for &h in &p.0 {
            slots[h as usize & mask] = slots[h as usize & mask].saturating_add(1);
        }
    }
    let mut exact: FxHashMap<u32, u32> = FxHashMap::default();
    for p in prints.iter() {
        for &h in &p.0 {
            if slots[h as usize & mask] >= limit {
                *exact.entry(h).or_default() += 1;
            }
        }
    }
    drop(slots);
    exact.retain(|_, count| *count >= limit);
    if !exact.is_empty() {
        prints
            .par_iter_mut()
            .for_each(|p| p.0.retain(|h| !exact.contains_key(h)));
    }
    exact.len()
}

/// The MinHash signature of a non-empty fingerprint: one-permutation
/// hashing (each shingle hashed once, into one of `SIGNATURE` buckets,
/// keeping each bucket's minimum), empty buckets filled from the next
/// non-empty one to the right with an offset per step (densification by
/// rotation, Shrivastava 2017), so two essays agree on a slot with
/// probability close to their Jaccard index.
fn signature(p: &Fingerprint) -> Option<[u64; SIGNATURE]> {
    if p.is_empty() {
        return None;
    }
    let mut sig = [u64::MAX; SIGNATURE];
    for &x in &p.0 {
        let h = fmix64(u64::from(x) ^ SEED_SIGNATURE);
        let bucket = (h >> 57) as usize; // top 7 bits: 128 buckets
        let v = h & 0xffff_ffff;
        if v < sig[bucket] {
            sig[bucket] = v;
        }
    }
    let filled = sig;
    for (j, slot) in sig.iter_mut().enumerate() {
        if *slot != u64::MAX {
            continue;
        }
        for d in 1..SIGNATURE {
            let v = filled[(j + d) % SIGNATURE];
            if v != u64::MAX {
                *slot = v + ((d as u64) << 32);
                break;
            }
        }
    }
    Some(sig)
}

/// (bands, rows per band) for a threshold: the most rows per band (fewest
/// chance candidates) that still propose a pair at the threshold with a
/// probability of at least 99.5%: 1 - (1 - t^rows)^bands.
pub fn banding(threshold: f64) -> (usize, usize) {
    for rows in (1..=8).rev() {
        let bands = SIGNATURE / rows;
        let p = 1.0 - (1.0 - threshold.powi(rows as i32)).powi(bands as i32);
        if p >= 0.995 {
            return (bands, rows);
        }
    }
    (SIGNATURE, 1)
}

/// Candidate pairs `(a, b)`, `a < b`, sorted: essays whose signatures agree
/// on every row of at least one band.
fn candidates(sigs: &[Option<[u64; SIGNATURE]>], threshold: f64) -> Vec<(u32, u32)> {
    let (bands, rows) = banding(threshold);
    let mut keys: Vec<(u64, u32)> = Vec::with_capacity(sigs.len() * bands);
    for (i, sig) in sigs.iter().enumerate() {
        let Some(sig) = sig else { continue };
        for band in 0..bands {
            let key = sig[band * rows..(band + 1) * rows]
                .iter()
                .fold(fmix64(band as u64 ^ SEED_BAND), |h, &v| fx_add(h, v));
            keys.push((fmix64(key), i as u32));
        }
    }
    keys.sort_unstable();
    let mut pairs = Vec::new();
    for group in keys.chunk_by(|x, y| x.0 == y.0) {
        for (k, x) in group.iter().enumerate() {
            for y in &group[k + 1..] {
                if x.1 != y.1 {
                    pairs.push((x.1.min(y.1), x.1.max(y.1)));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// The pairs of `prints` whose similarity is at least `threshold` (0-1),
/// most similar first, then by index. Drops the common shingles from
/// `prints` first (see [`drop_common`]), so the fingerprints afterwards are
/// the ones compared, as [`shared_passages`] needs.
pub fn similar_pairs(prints: &mut [Fingerprint], threshold: f64) -> Vec<Pair> {
    if prints.len() < 2 || threshold.is_nan() || threshold <= 0.0 {
        return Vec::new();
    }
    drop_common(prints);
    let prints: &[Fingerprint] = prints;
    let sigs: Vec<Option<[u64; SIGNATURE]>> = prints.par_iter().map(signature).collect();
    let mut pairs: Vec<Pair> = candidates(&sigs, threshold)
        .into_par_iter()
        .filter_map(|(a, b)| {
            let (a, b) = (a as usize, b as usize);
            let (similarity, containment, shared) = compare(&prints[a], &prints[b]);
            (similarity >= threshold).then_some(Pair {
                a,
                b,
                similarity,
                containment,
                shared,
            })
        })
        .collect();
    pairs.sort_by(|x, y| {
        y.similarity
            .total_cmp(&x.similarity)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    pairs
}

/// A passage two essays share: byte ranges in each, and its length in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub a: Range<usize>,
    pub b: Range<usize>,
    pub words: usize,
}

/// The passages of `a` found word for word in `b`, longest first (then in
/// `a`'s order): maximal runs of consecutive shingles both essays have and
/// both fingerprints count (so quotations, the rubric's text and
/// boilerplate are not shown as copied).
/// Byte ranges are in the documents' texts.
pub fn shared_passages(
    a: &Document,
    pa: &Fingerprint,
    b: &Document,
    pb: &Fingerprint,
) -> Vec<Passage> {
    let counted = |h: Option<u32>| h.filter(|&h| pa.contains(h) && pb.contains(h));
    let (wa, wb) = (document_words(a), document_words(b));
    let ha: Vec<Option<u32>> = shingles(&wa).map(counted).collect();
    let hb: Vec<Option<u32>> = shingles(&wb).map(counted).collect();
    let mut at: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (j, h) in hb.iter().enumerate() {
        if let Some(h) = h {
            let v = at.entry(*h).or_default();
            if v.len() < MAX_POSITIONS {
                v.push(j);
            }
        }
    }
    let run = |i: usize, j: usize| {
        (0..)
            .take_while(|&k| i + k < ha.len() && j + k < hb.len())
            .take_while(|&k| ha[i + k].is_some() && ha[i + k] == hb[j + k])
            .count()
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < ha.len() {
        let best = ha[i].and_then(|h| at.get(&h)).and_then(|js| {
            js.iter()
                .map(|&j| (run(i, j), j))
                .max_by_key(|&(n, j)| (n, !j))
        });
        match best {
            Some((n, j)) if n > 0 => {
                let words = n + SHINGLE - 1;
                out.push(Passage {
                    a: wa[i].start..wa[i + words - 1].end,
                    b: wb[j].start..wb[j + words - 1].end,
                    words,
                });
                i += n;
            }
            _ => i += 1,
        }
    }
    out.sort_by(|x, y| y.words.cmp(&x.words).then(x.a.start.cmp(&y.a.start)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(text: &str) -> Fingerprint {
        Fingerprint::of(text, &Exclusions::default())
    }

    fn words_of(text: &str) -> Vec<&str> {
        words(text, true)
            .iter()
            .map(|w| &text[w.start..w.end])
            .collect()
    }

    /// A text of `n` distinct words, deterministic from `seed`.
    fn text(seed: u64, n: usize) -> String {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                format!("w{}", (x >> 40) % 100_000)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn words_are_normalised() {
        assert_eq!(
            words_of("Pakistan's  TTP, post-2021: Kabul’s “talks”."),
            ["Pakistan's", "TTP", "post", "2021", "Kabul’s", "talks"]
        );
        let a = words("PAKISTAN'S Durand Line", false);
        let b = words("pakistans durand—line", false);
        let h = |w: &[Word]| w.iter().map(|w| w.hash).collect::<Vec<_>>();
        assert_eq!(h(&a), h(&b));
        assert_eq!(
            h(&words("Émile Kabul", false)),
            h(&words("émile KABUL", false))
        );
        // Split by an apostrophe or not: one word.
        assert_eq!(
            h(&words("Kabul’s Taliban's ISIS-K's", false)),
            h(&words("kabuls talibans isis ks", false))
        );
        assert_ne!(h(&words("kabul", false)), h(&words("kabuls", false)));
    }

    #[test]
    fn quoted_words_are_marked_and_unclosed_quotes_are_not() {
        let quoted = |t: &str| -> Vec<bool> { words(t, true).iter().map(|w| w.quoted).collect() };
        assert_eq!(
            quoted("He said \"states balance threats\" then left"),
            [false, false, true, true, true, false, false]
        );
        assert_eq!(
            quoted("a “b c” d «e» f"),
            [false, true, true, false, true, false]
        );
        // A stray mark, left open until the paragraph ends, quotes nothing.
        assert_eq!(
            quoted("a \"b c d\n\ne f"),
            [false, false, false, false, false, false]
        );
        // Nor does a "quotation" longer than MAX_QUOTE_WORDS.
        let long = format!("\"{}\" end", text(1, MAX_QUOTE_WORDS + 1));
        assert!(quoted(&long).iter().all(|q| !q));
        let short = format!("\"{}\" end", text(1, MAX_QUOTE_WORDS));
        assert_eq!(
            quoted(&short).iter().filter(|q| **q).count(),
            MAX_QUOTE_WORDS
        );
    }

    #[test]
    fn a_fingerprint_is_the_set_of_five_word_shingles() {
        assert_eq!(fp("one two three four").len(), 0);
        assert_eq!(fp("one two three four five").len(), 1);
        assert_eq!(fp("one two three four five six").len(), 2);
        // Each shingle once, whatever the repetition.
        assert_eq!(fp("a b c d e a b c d e").len(), 5);
        assert_eq!(
            fp("One, two: THREE four five!"),
            fp("one two three four five")
        );
        // Words in quotation marks make no shingle.
        assert_eq!(fp("a b \"c d e f g\" h i j k l").len(), 1);
    }

    #[test]
    fn one_buffer_gives_the_shingles_of_the_option_reader() {
        let question = "Taliban rule and Pakistan's western security dilemma";
        let texts = [
            String::new(),
            "one two three four".to_string(),
            "a b \"c d e f g\" h i j k l \"m n\" o p q r s t \"u".to_string(),
            format!("{question} is the subject of this essay today, {question} again"),
            format!("\"{question}\" and then {question} once more, and more words after it"),
            format!("{question}\n\nWhat should Islamabad do about it now? {question}"),
        ];
        for ex in [
            Exclusions::default(),
            Exclusions::from_texts([question, "What should Islamabad do about it now"]),
        ] {
            for t in &texts {
                let mut old_words = words(t, true);
                let mut want: Vec<u32> =
                    counted(&mut old_words, &ex).into_iter().flatten().collect();
                want.sort_unstable();
                want.dedup();
                assert_eq!(Fingerprint::of(t, &ex).0, want, "{t}");
            }
        }
    }

    #[test]
    fn excluded_shingles_are_dropped() {
        let question = "Taliban rule and Pakistan's western security dilemma";
        let ex = Exclusions::from_texts([question]);
        assert_eq!(ex.len(), 3);
        let essay = format!("{question} is the subject of this essay today");
        assert_eq!(fp(&essay).len(), 3 + 7);
        // The 3 shingles of the question, and the 4 that overlap it.
        assert_eq!(Fingerprint::of(&essay, &ex).len(), 3);
        // The seam between two excluded texts is no shingle either.
        let ex = Exclusions::from_texts([question, "What should Islamabad do about it now"]);
        let essay = format!("{question}\n\nWhat should Islamabad do about it now?");
        assert_eq!(Fingerprint::of(&essay, &ex).len(), 0);
    }

    #[test]
    fn radix_sort_sorts() {
        for n in [0, 1, 255, 256, 3000] {
            let mut x = 0x1234_5678_u64;
            let mut v: Vec<u32> = (0..n)
                .map(|i| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    if i % 7 == 0 {
                        5
                    } else {
                        (x >> 32) as u32
                    }
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            radix_sort(&mut v);
            assert_eq!(v, want);
        }
    }

    #[test]
    fn compare_is_exact() {
        let a = fp("a b c d e f g h"); // 4 shingles
        let b = fp("a b c d e f x y z"); // 5 shingles, 2 shared
        let (j, c, n) = compare(&a, &b);
        assert_eq!(n, 2);
        assert!((j - 2.0 / 7.0).abs() < 1e-12);
        assert!((c - 2.0 / 4.0).abs() < 1e-12);
        assert_eq!(compare(&a, &Fingerprint::default()), (0.0, 0.0, 0));
    }

    #[test]
    fn signatures_agree_about_as_often_as_the_jaccard_index() {
        // Two sets of 2,000 shingles sharing 1,000: Jaccard 1/3.
        let base = text(7, 3_000);
        let words: Vec<&str> = base.split(' ').collect();
        let a = fp(&words[..2_004].join(" "));
        let b = fp(&words[1_000..].join(" "));
        let (j, ..) = compare(&a, &b);
        let (sa, sb) = (signature(&a).unwrap(), signature(&b).unwrap());
        let agree = sa.iter().zip(&sb).filter(|(x, y)| x == y).count() as f64;
        let estimate = agree / SIGNATURE as f64;
        assert!(
            (estimate - j).abs() < 0.15,
            "estimate {estimate}, exact {j}"
        );
        assert_eq!(signature(&Fingerprint::default()), None);
        // A tiny essay fills every slot (densified) and matches itself.
        let tiny = fp("one two three four five six");
        let s = signature(&tiny).unwrap();
        assert!(s.iter().all(|&v| v != u64::MAX));
    }

    #[test]
    fn banding_proposes_a_pair_at_the_threshold() {
        for t in [0.05, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0] {
            let (bands, rows) = banding(t);
            assert!(bands * rows <= SIGNATURE);
            let p = 1.0 - (1.0 - f64::powi(t, rows as i32)).powi(bands as i32);
            assert!(p >= 0.995, "threshold {t}: {bands}x{rows} gives {p}");
        }
        assert_eq!(banding(0.5), (42, 3));
        assert!(
            banding(0.9).1 > banding(0.5).1,
            "a higher threshold, wider bands"
        );
    }

    /// `essay` with every `step`-th word replaced.
    fn edited(essay: &str, step: usize) -> String {
        essay
            .split(' ')
            .enumerate()
            .map(|(i, w)| if i % step == step - 1 { "changed" } else { w })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn near_copies_are_found_among_many_essays_and_nothing_else() {
        let mut essays: Vec<String> = (0..300).map(|i| text(i, 400)).collect();
        // 3 words changed: about 15 of 396 shingles lost.
        essays[17] = edited(&essays[250], 130);
        // A word in 12 changed: 7 shingles in 12 survive, Jaccard about 0.4.
        essays[40] = edited(&essays[41], 12);
        let mut prints: Vec<Fingerprint> = essays.iter().map(|e| fp(e)).collect();
        let pairs = similar_pairs(&mut prints, 0.5);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        let p = &pairs[0];
        assert_eq!((p.a, p.b), (17, 250));
        assert!(p.similarity > 0.9 && p.similarity < 1.0, "{p:?}");
        assert_eq!(p.shared, compare(&prints[17], &prints[250]).2);
        // At a lower threshold the heavier edit shows too, and is ranked below.
        let pairs = similar_pairs(&mut prints, 0.2);
        let found: Vec<(usize, usize)> = pairs.iter().map(|p| (p.a, p.b)).collect();
        assert_eq!(found, [(17, 250), (40, 41)]);
        assert!(
            similar_pairs(&mut prints, 0.0).is_empty(),
            "0 switches it off"
        );
        assert!(similar_pairs(&mut prints[..1], 0.5).is_empty());
    }

    #[test]
    fn boilerplate_shared_by_a_tenth_of_the_class_is_dropped() {
        let header = text(999, 300);
        let mut prints: Vec<Fingerprint> = (0..50)
            .map(|i| fp(&format!("{header} {}", text(i, 100))))
            .collect();
        // Without the rule every pair would be 3/4 the same.
        assert!(compare(&prints[0], &prints[1]).0 > 0.5);
        assert!(drop_common(&mut prints) >= 290);
        assert!(prints.iter().all(|p| p.len() <= 100));
        assert!(similar_pairs(&mut prints, 0.5).is_empty());
        // In a class of 4, the copied passage of 3 students is no boilerplate.
        let mut small: Vec<Fingerprint> = (0..4)
            .map(|i| {
                fp(&format!(
                    "{} {}",
                    if i < 3 { &header } else { "" },
                    text(i, 100)
                ))
            })
            .collect();
        assert_eq!(drop_common(&mut small), 0);
        assert_eq!(similar_pairs(&mut small, 0.5).len(), 3);
    }

    #[test]
    fn colliding_counts_never_make_a_shingle_common() {
        // Every shingle in one slot of the counting table: the slot is
        // over the limit, the exact count decides.
        let shared = text(500, 50);
        let mut prints: Vec<Fingerprint> = (0..10)
            .map(|i| {
                fp(&format!(
                    "{} {}",
                    if i < 4 { &shared } else { "" },
                    text(i, 60)
                ))
            })
            .collect();
        let before = prints.clone();
        assert_eq!(drop_common_with(&mut prints, 0), 0);
        assert_eq!(prints, before);
        // In 5 of 10 essays, it is.
        prints[4] = fp(&format!("{shared} {}", text(4, 60)));
        assert_eq!(drop_common_with(&mut prints, 0), 46);
        assert!(prints.iter().all(|p| p.len() <= 60));
    }

    #[test]
    fn pairs_are_deterministic() {
        let mut essays: Vec<String> = (0..40).map(|i| text(i, 200)).collect();
        for i in 0..5 {
            essays[i * 2] = edited(&essays[30 + i], 40 + i);
        }
        let run = || {
            let mut prints: Vec<Fingerprint> = essays.iter().map(|e| fp(e)).collect();
            similar_pairs(&mut prints, 0.5)
        };
        let first = run();
        assert_eq!(first.len(), 5);
        assert_eq!(first, run());
        assert!(first.windows(2).all(|w| w[0].similarity >= w[1].similarity));
    }

    fn doc(text: &str) -> Document {
        Document::from_plain_text(text.to_string())
    }

    /// `shared_passages` of two texts, read as plain-text documents.
    fn passages(a: &str, b: &str) -> Vec<Passage> {
        shared_passages(&doc(a), &fp(a), &doc(b), &fp(b))
    }

    #[test]
    fn shared_passages_are_the_longest_common_runs() {
        let a = "Intro words of mine here. The Durand Line has never been recognised by any Afghan government since 1893. My own ending sentence is different.";
        let b = "Another opening from someone. the durand line has NEVER been recognised by any Afghan government, since 1893! A different close.";
        let p = passages(a, b);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(
            &a[p[0].a.clone()],
            "The Durand Line has never been recognised by any Afghan government since 1893"
        );
        assert_eq!(
            &b[p[0].b.clone()],
            "the durand line has NEVER been recognised by any Afghan government, since 1893"
        );
        assert_eq!(p[0].words, 13);
        // A shared quotation is not a shared passage.
        let qa = "I open. \"The Durand Line has never been recognised by any Afghan government\" I close.";
        let qb = "You open. \"The Durand Line has never been recognised by any Afghan government\" you close.";
        assert!(passages(qa, qb).is_empty());
    }

    fn is_apostrophe(c: char) -> bool {
        matches!(c, '\'' | '\u{2019}')
    }

    /// How words were read before they came from the document's tokens
    /// (the text tokenised a second time), kept to show that the same
    /// fingerprints and pairs come out.
    fn legacy_words(text: &str, quotes: bool) -> Vec<Word> {
        let bytes = text.as_bytes();
        let mut out: Vec<Word> = Vec::with_capacity(text.len() / 6);
        // Index into `out` where the open quotation began.
        let mut open: Option<usize> = None;
        let mut newline = false;
        // The word being read: its start and hash so far.
        let mut word: Option<(usize, u64)> = None;
        let alnum_at = |i: usize| match bytes.get(i) {
            Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
            Some(_) => text[i..].chars().next().is_some_and(char::is_alphanumeric),
            None => false,
        };
        let mut i = 0;
        while i < bytes.len() {
            // Most text is ASCII: letters and digits are hashed a byte at a
            // time, without decoding.
            let b = bytes[i];
            let (c, len) = if b.is_ascii() {
                if b.is_ascii_alphanumeric() {
                    let (start, h) = word.unwrap_or((i, 0));
                    word = Some((start, fx_add(h, u64::from(b.to_ascii_lowercase()))));
                    newline = false;
                    i += 1;
                    continue;
                }
                (b as char, 1)
            } else {
                let c = text[i..].chars().next().unwrap_or('\u{fffd}');
                if c.is_alphanumeric() {
                    let (start, mut h) = word.unwrap_or((i, 0));
                    for l in c.to_lowercase() {
                        h = fx_add(h, u64::from(u32::from(l)));
                    }
                    word = Some((start, h));
                    newline = false;
                    i += c.len_utf8();
                    continue;
                }
                (c, c.len_utf8())
            };
            // An apostrophe between letters belongs to the word ("Pakistan's"
            // is one word, "pakistans").
            if is_apostrophe(c) && word.is_some() && alnum_at(i + len) {
                i += len;
                continue;
            }
            if let Some((start, h)) = word.take() {
                out.push(Word {
                    hash: fmix64(h),
                    start,
                    end: i,
                    quoted: false,
                });
            }
            i += len;
            match c {
                '\n' if newline => open = None,
                '\n' => newline = true,
                c if c.is_whitespace() => {}
                _ => newline = false,
            }
            if !quotes {
                continue;
            }
            match (c, open) {
                ('"' | '\u{201d}' | '\u{00bb}', Some(from)) => {
                    // A quotation longer than MAX_QUOTE_WORDS is not one.
                    if out.len() - from <= MAX_QUOTE_WORDS {
                        for w in &mut out[from..] {
                            w.quoted = true;
                        }
                    }
                    open = None;
                }
                ('"' | '\u{201c}' | '\u{201e}' | '\u{00ab}', None) => open = Some(out.len()),
                _ => {}
            }
        }
        if let Some((start, h)) = word {
            out.push(Word {
                hash: fmix64(h),
                start,
                end: text.len(),
                quoted: false,
            });
        }
        out
    }

    fn legacy_fp(text: &str, excluded: &Exclusions) -> Fingerprint {
        Fingerprint::of_words(legacy_words(text, true), excluded)
    }

    /// Texts where a document's tokens and its text differ most: list
    /// numbers and scanned page headers outside every block, quotations
    /// across sentences and blocks, a quotation left open over a blank
    /// line, apostrophes, non-ASCII letters, a table.
    const AWKWARD: &[&str] = &[
        "Title Line\n\n1. First point made here in words\n2. Second point made here too\n- a bullet with \"a quote in it\" ok\n",
        "DATE: ___/___/___  Page 3\nThe Durand Line, \"never recognised. By anyone\" since 1893.\n\nNext \u{201c}open quote\n\nnever closed\u{201d} here five words more.\n",
        "Pakistan\u{2019}s TTP\u{2014}and ISIS-K's \u{00c9}mile \u{00ab}guerre\u{00bb} \u{201e}Zitat\u{201c} stra\u{00df}e.\n| a | b | c |\n| d | e | f |\n",
        "  leading space. Dr. Amir Rana notes (i) havens; (ii) funds. e.g. this\r\nwrapped line-\nbreak ends\n",
    ];

    /// Plain texts read as the `check` pipeline reads a .txt file.
    fn ingested(text: &str) -> Document {
        crate::ingest::extract(
            crate::ingest::Format::Text,
            text.as_bytes(),
            &crate::ingest::Limits::default(),
        )
        .unwrap()
        .into_document()
    }

    #[test]
    fn a_documents_words_are_the_words_of_its_text() {
        let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
        let mut texts: Vec<String> = AWKWARD.iter().map(|t| t.to_string()).collect();
        for e in std::fs::read_dir(samples).unwrap() {
            texts.push(std::fs::read_to_string(e.unwrap().path()).unwrap());
        }
        texts.extend(crate::corpus::essays(3, 20, 800));
        for t in &texts {
            for d in [doc(t), ingested(t)] {
                assert_eq!(document_words(&d), words(&d.text, true), "{t:?}");
                // And as they were read before the tokens were reused.
                assert_eq!(document_words(&d), legacy_words(&d.text, true), "{t:?}");
            }
        }
    }

    #[test]
    fn reusing_the_tokens_finds_the_same_pairs_as_before() {
        // A generated class (headings, lists, a table, stock sentences
        // every essay shares) with two planted near-copies.
        let mut essays = crate::corpus::essays(11, 120, 600);
        essays[7] = edited(&essays[90], 60);
        essays[33] = edited(&essays[34], 12);
        let ex = Exclusions::from_texts(["Taliban rule and Pakistan's western security dilemma"]);
        let mut before: Vec<Fingerprint> = essays.iter().map(|e| legacy_fp(e, &ex)).collect();
        let mut after: Vec<Fingerprint> = essays
            .iter()
            .map(|e| Fingerprint::of_document(&ingested(e), &ex))
            .collect();
        assert_eq!(before, after);
        for t in [0.5, 0.2] {
            let (b, a) = (similar_pairs(&mut before, t), similar_pairs(&mut after, t));
            assert_eq!(b, a, "threshold {t}");
            assert!(a.iter().any(|p| (p.a, p.b) == (7, 90)), "{a:?}");
        }
        let found: Vec<(usize, usize)> = similar_pairs(&mut after, 0.2)
            .iter()
            .map(|p| (p.a, p.b))
            .collect();
        assert!(found.contains(&(33, 34)), "{found:?}");
    }
}
