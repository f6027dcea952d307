//! Text to table rows the way the model's tokenizer does it (BERT uncased:
//! clean, space out CJK, lowercase per character, strip accents, split off
//! punctuation, WordPiece), as `data/meaning/FORMAT.md` §3 specifies. The
//! reference implementation is `scripts/meaning/reference.py`; the tests
//! reproduce its similarities exactly.
//!
//! Essays repeat their words, so the pieces of each whitespace-separated
//! chunk are cached per thread (bounded): most words are looked up once.

use super::table::Table;
use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;
use unicode_general_category::{get_general_category, GeneralCategory as G};
use unicode_normalization::UnicodeNormalization;

/// Longer words are one `[UNK]` (the model's `max_input_chars_per_word`).
const MAX_WORD_CHARS: usize = 100;

/// Chunks cached per thread before the cache is emptied: memory stays flat
/// however many essays a thread grades.
const CACHE_LIMIT: usize = 50_000;

thread_local! {
    static CACHE: RefCell<HashMap<Box<str>, Box<[u16]>>> = RefCell::new(HashMap::default());
}

fn is_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
        || (!c.is_ascii() && get_general_category(c) == G::SpaceSeparator)
}

/// Dropped while cleaning: NUL, U+FFFD and every `C*` character but the
/// three whitespace controls.
fn is_dropped(c: char) -> bool {
    if matches!(c, '\t' | '\n' | '\r') {
        return false;
    }
    if c == '\0' || c == '\u{FFFD}' {
        return true;
    }
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    matches!(
        get_general_category(c),
        G::Control | G::Format | G::PrivateUse | G::Surrogate | G::Unassigned
    )
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF
        | 0x3400..=0x4DBF
        | 0x20000..=0x2A6DF
        | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F
        | 0x2B820..=0x2CEAF
        | 0xF900..=0xFAFF
        | 0x2F800..=0x2FA1F)
}

fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    matches!(
        get_general_category(c),
        G::ConnectorPunctuation
            | G::DashPunctuation
            | G::OpenPunctuation
            | G::ClosePunctuation
            | G::InitialPunctuation
            | G::FinalPunctuation
            | G::OtherPunctuation
    )
}

/// Append the rows of `text`'s pieces to `out`, `[UNK]` included (callers
/// summing vectors skip it: its row is zero).
pub fn rows(table: &Table, text: &str, out: &mut Vec<u16>) {
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        for chunk in text.split(is_whitespace).filter(|c| !c.is_empty()) {
            if let Some(hit) = cache.get(chunk) {
                out.extend_from_slice(hit);
                continue;
            }
            let start = out.len();
            chunk_rows(table, chunk, out);
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(chunk.into(), out[start..].into());
        }
    });
}

/// The rows of one chunk without whitespace (clean, CJK, lowercase,
/// accents, punctuation, WordPiece).
fn chunk_rows(table: &Table, chunk: &str, out: &mut Vec<u16>) {
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<u16>| {
        if !word.is_empty() {
            split_word(table, word, out);
            word.clear();
        }
    };
    for c in chunk.chars() {
        if is_dropped(c) {
            continue;
        }
        if is_cjk(c) {
            flush(&mut word, out);
            word.push(c);
            flush(&mut word, out);
            continue;
        }
        if c.is_ascii() {
            word.push(c.to_ascii_lowercase());
        } else {
            word.extend(c.to_lowercase());
        }
    }
    flush(&mut word, out);
}

/// Strip accents (NFD, drop `Mn`), then split off punctuation and
/// WordPiece each run between.
fn split_word(table: &Table, word: &str, out: &mut Vec<u16>) {
    let stripped;
    let word = if word.is_ascii() {
        word
    } else {
        stripped = word
            .nfd()
            .filter(|&c| get_general_category(c) != G::NonspacingMark)
            .collect::<String>();
        stripped.as_str()
    };
    let mut run_start = 0;
    for (i, c) in word.char_indices() {
        if is_punctuation(c) {
            if run_start < i {
                wordpiece(table, &word[run_start..i], out);
            }
            let end = i + c.len_utf8();
            out.push(table.word(&word[i..end]).unwrap_or(table.unknown));
            run_start = end;
        }
    }
    if run_start < word.len() {
        wordpiece(table, &word[run_start..], out);
    }
}

/// Greedy longest-match-first WordPiece; a word with an unmatchable part
/// is one `[UNK]`.
fn wordpiece(table: &Table, w: &str, out: &mut Vec<u16>) {
    if w.chars().count() > MAX_WORD_CHARS {
        out.push(table.unknown);
        return;
    }
    if let Some(r) = table.word(w) {
        out.push(r);
        return;
    }
    let before = out.len();
    let mut start = 0;
    while start < w.len() {
        let rest = &w[start..];
        let mut found = None;
        // Longest first: every char boundary of `rest`, from its end.
        let mut ends: Vec<usize> = rest.char_indices().map(|(i, _)| i).skip(1).collect();
        ends.push(rest.len());
        for &end in ends.iter().rev() {
            let piece = &rest[..end];
            let r = if start == 0 {
                table.word(piece)
            } else {
                table.continuation(piece)
            };
            if let Some(r) = r {
                found = Some((r, end));
                break;
            }
        }
        match found {
            Some((r, end)) => {
                out.push(r);
                start += end;
            }
            None => {
                out.truncate(before);
                out.push(table.unknown);
                return;
            }
        }
    }
}

#[cfg(all(test, feature = "meaning-table"))]
mod tests {
    use super::super::table::TABLE;
    use super::*;

    fn pieces(text: &str) -> Vec<String> {
        let t = &*TABLE;
        let mut rows_out = Vec::new();
        rows(t, text, &mut rows_out);
        // Names back from rows, for readable assertions.
        rows_out.iter().map(|&r| t.name(r).to_string()).collect()
    }

    #[test]
    fn tokenizes_as_the_format_document_says() {
        assert_eq!(
            pieces("Pakistan's naïve régime — TTP!"),
            ["pakistan", "'", "s", "naive", "regime", "—", "tt", "##p", "!"]
        );
    }

    #[test]
    fn invisible_and_control_characters_vanish_and_cjk_splits() {
        assert_eq!(pieces("Pak\u{200B}istan"), pieces("Pakistan"));
        assert_eq!(pieces("\u{A0}\u{2003}\u{200B}"), Vec::<String>::new());
        assert_eq!(pieces("a\u{0}b"), pieces("ab"));
        assert_eq!(pieces("中国"), ["中", "国"]);
    }

    #[test]
    fn an_overlong_word_is_one_unknown() {
        let w = "a".repeat(101);
        assert_eq!(pieces(&w), ["[UNK]"]);
        assert_ne!(pieces(&"a".repeat(100)), ["[UNK]"]);
    }
}
