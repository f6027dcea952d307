//! Normalising characters that change the grade without changing what the
//! reader sees: invisible format characters inside words (U+200B inside
//! every word took the strong sample from 100 to 2.0, because each one
//! split a word in two), Latin words spelt with Cyrillic or Greek look-alike
//! letters ("Pаkistan" with a Cyrillic а: 100 to 49.5), and bidirectional
//! controls. Every format's text passes through [`normalise`] once, at the
//! end of `ingest::extract`.
//!
//! Every edit keeps every byte offset: a character is replaced by ASCII of
//! the same byte length, so blocks, the Markdown/.docx `Origin` segments and
//! evidence spans stay valid without remapping. Inside a word the filler is
//! [`STRUCK_IN_WORD`] (0x1F), which the tokenizer joins a word across and
//! quotes leave out; a look-alike letter (two bytes) becomes its Latin
//! letter and one 0x1F. Where positions were computed in the analysed text
//! itself, the origin keeps the text as it was, so columns still count the
//! student's characters.

use super::Extracted;
use crate::text::{Origin, STRUCK_IN_WORD};

/// Zero-width characters that never separate words in any script: soft
/// hyphen, word joiner, zero-width no-break space (a BOM inside the text).
fn joins_any_script(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{2060}' | '\u{FEFF}')
}

/// Zero-width characters that have no job between letters of a spaced
/// alphabet (Latin, Cyrillic, Greek) but do elsewhere: U+200B separates
/// Thai or Khmer words, U+200C/U+200D shape Persian, Urdu and Indic
/// letters, U+180E is Mongolian. Next to those scripts they are left as
/// they are (and split words, as before).
fn joins_alphabets(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{200E}' | '\u{200F}' | '\u{180E}'
    )
}

/// Embeddings, overrides and isolates: they can reorder text on screen, so
/// what is graded is not what is shown. Replaced by spaces, with a warning.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_invisible(c: char) -> bool {
    joins_any_script(c) || joins_alphabets(c) || is_bidi_control(c)
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (matches!(c, '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}') && c.is_alphabetic())
}

fn is_cyrillic_or_greek(c: char) -> bool {
    matches!(c, '\u{370}'..='\u{3FF}' | '\u{400}'..='\u{52F}' | '\u{1F00}'..='\u{1FFF}')
        && c.is_alphabetic()
}

/// A letter or digit of a script written with spaces between words (or no
/// script: digits), where invisible characters have no orthographic role.
fn is_alphabet_letter(c: char) -> bool {
    c.is_ascii_alphanumeric() || is_latin_letter(c) || is_cyrillic_or_greek(c)
}

/// The Latin letter a Cyrillic or Greek letter is drawn like, for the
/// letters whose shapes are the same in common fonts. Every one is two
/// bytes in UTF-8, as its Latin letter plus one 0x1F.
fn latin_look_alike(c: char) -> Option<u8> {
    Some(match c {
        // Cyrillic
        'а' => b'a',
        'е' => b'e',
        'о' => b'o',
        'р' => b'p',
        'с' => b'c',
        'у' => b'y',
        'х' => b'x',
        'і' => b'i',
        'ј' => b'j',
        'ѕ' => b's',
        'ԁ' => b'd',
        'А' => b'A',
        'В' => b'B',
        'Е' => b'E',
        'К' => b'K',
        'М' => b'M',
        'Н' => b'H',
        'О' => b'O',
        'Р' => b'P',
        'С' => b'C',
        'Т' => b'T',
        'Х' => b'X',
        'І' => b'I',
        'Ј' => b'J',
        'Ѕ' => b'S',
        // Greek
        'ο' => b'o',
        'α' => b'a',
        'ε' => b'e',
        'ι' => b'i',
        'κ' => b'k',
        'ν' => b'v',
        'ρ' => b'p',
        'τ' => b't',
        'υ' => b'u',
        'χ' => b'x',
        'Α' => b'A',
        'Β' => b'B',
        'Ε' => b'E',
        'Ζ' => b'Z',
        'Η' => b'H',
        'Ι' => b'I',
        'Κ' => b'K',
        'Μ' => b'M',
        'Ν' => b'N',
        'Ο' => b'O',
        'Ρ' => b'P',
        'Τ' => b'T',
        'Υ' => b'Y',
        'Χ' => b'X',
        _ => return None,
    })
}

/// Characters that hold a word together, as the tokenizer sees it once
/// invisible joiners are 0x1F.
fn in_word(c: char) -> bool {
    c.is_alphanumeric() || c == STRUCK_IN_WORD as char || matches!(c, '\'' | '’' | 'ʼ')
}

/// Longest example word quoted in the warning, in characters.
const EXAMPLE_CHARS: usize = 40;

/// Normalise `ex.text` in place (see the module header) and add a warning
/// for look-alike letters and for bidirectional controls.
pub(crate) fn normalise(ex: &mut Extracted) {
    // Nearly every essay: nothing to look at.
    if ex.text.is_ascii() {
        return;
    }
    let (fills, bidi) = invisible_fills(&ex.text);
    let mut original = None;
    if !fills.is_empty() {
        original = Some(ex.text.clone());
        let mut bytes = std::mem::take(&mut ex.text).into_bytes();
        for (range, fill) in fills {
            bytes[range].fill(fill);
        }
        // Whole characters were replaced by ASCII: still UTF-8.
        ex.text = String::from_utf8(bytes).unwrap_or_default();
    }
    let mixed = mixed_words(&ex.text);
    if !mixed.letters.is_empty() {
        original.get_or_insert_with(|| ex.text.clone());
        let mut bytes = std::mem::take(&mut ex.text).into_bytes();
        for (at, latin) in &mixed.letters {
            bytes[*at] = *latin;
            bytes[*at + 1] = STRUCK_IN_WORD;
        }
        ex.text = String::from_utf8(bytes).unwrap_or_default();
    }
    let Some(original) = original else {
        return;
    };
    if ex.origin.is_identity() {
        ex.origin = Origin::before_edits(original);
    }
    if let Some((word, at)) = mixed.example {
        let pos = ex.origin.line_col(&ex.text, at);
        let (n, verb) = match mixed.words {
            1 => ("1 word".to_string(), "mixes"),
            n => (format!("{n} words"), "mix"),
        };
        ex.warnings.push(format!(
            "{n} {verb} Latin with Cyrillic or Greek look-alike letters (e.g. \"{word}\" at {}:{}); they were read as Latin",
            pos.line, pos.column
        ));
    }
    if bidi > 0 {
        ex.warnings.push(match bidi {
            1 => "1 bidirectional control character (it can reorder text on screen) was removed"
                .to_string(),
            n => format!(
                "{n} bidirectional control characters (they can reorder text on screen) were removed"
            ),
        });
    }
}

/// The byte ranges of invisible characters and what to fill each with, and
/// how many of them were bidirectional controls.
fn invisible_fills(text: &str) -> (Vec<(std::ops::Range<usize>, u8)>, usize) {
    let bytes = text.as_bytes();
    let mut fills = Vec::new();
    let mut bidi = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Every character handled here starts with one of these bytes
        // (U+00AD, U+180E, U+200B-U+206F, U+FEFF); continuation bytes
        // (0x80-0xBF) never match, so `i` is a character boundary.
        if !matches!(bytes[i], 0xC2 | 0xE1 | 0xE2 | 0xEF) {
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if !is_invisible(c) {
            i += c.len_utf8();
            continue;
        }
        // A run of invisible characters, judged by what is either side.
        let start = i;
        let end = start
            + text[start..]
                .chars()
                .take_while(|&c| is_invisible(c))
                .map(char::len_utf8)
                .sum::<usize>();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let word_either_side =
            before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric);
        let other_script =
            |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() && !is_alphabet_letter(c));
        let near_other_script = other_script(before) || other_script(after);
        let by_space =
            before.is_none_or(char::is_whitespace) || after.is_none_or(char::is_whitespace);
        let mut at = start;
        for c in text[start..end].chars() {
            let range = at..at + c.len_utf8();
            at = range.end;
            let fill = if is_bidi_control(c) {
                bidi += 1;
                b' '
            } else if joins_alphabets(c) && near_other_script {
                continue;
            } else if word_either_side {
                STRUCK_IN_WORD
            } else if by_space {
                b' '
            } else {
                // Beside punctuation ("Pakistan\u{200B}."): quoted without
                // it, and no space appears.
                STRUCK_IN_WORD
            };
            fills.push((range, fill));
        }
        i = end;
    }
    (fills, bidi)
}

#[derive(Debug, Default)]
struct Mixed {
    /// Byte offsets of look-alike letters to rewrite, with their Latin letter.
    letters: Vec<(usize, u8)>,
    /// Words mixing Latin with Cyrillic or Greek letters.
    words: usize,
    /// The first such word, as written, and its byte offset.
    example: Option<(String, usize)>,
}

/// Words that mix Latin letters with Cyrillic or Greek ones, and the
/// look-alike letters in them. A word wholly in Cyrillic or Greek (a Russian
/// quotation) is left alone.
fn mixed_words(text: &str) -> Mixed {
    let bytes = text.as_bytes();
    let mut mixed = Mixed::default();
    let mut i = 0;
    while i < bytes.len() {
        // Greek and Cyrillic (U+0370-U+052F) start with 0xCD-0xD4, Greek
        // with accents (U+1F00-U+1FFF) with 0xE1.
        if !matches!(bytes[i], 0xCD..=0xD4 | 0xE1) {
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if !is_cyrillic_or_greek(c) {
            i += c.len_utf8();
            continue;
        }
        let start = i - text[..i]
            .chars()
            .rev()
            .take_while(|&c| in_word(c))
            .map(char::len_utf8)
            .sum::<usize>();
        let end = i + text[i..]
            .chars()
            .take_while(|&c| in_word(c))
            .map(char::len_utf8)
            .sum::<usize>();
        let word = &text[start..end];
        if word.chars().any(is_latin_letter) || look_alike_among_latin(text, start, end) {
            mixed.words += 1;
            if mixed.example.is_none() {
                let shown: String = word
                    .chars()
                    .filter(|&c| c != STRUCK_IN_WORD as char)
                    .take(EXAMPLE_CHARS)
                    .collect();
                mixed.example = Some((shown, start));
            }
            for (at, c) in word.char_indices() {
                if let Some(latin) = latin_look_alike(c) {
                    debug_assert_eq!(c.len_utf8(), 2);
                    mixed.letters.push((start + at, latin));
                }
            }
        }
        i = end;
    }
    mixed
}

/// A word spelt wholly in look-alike letters ("а" for the article "a",
/// "оn") next to a Latin word: a Cyrillic "а" inside an English sentence is
/// a trick, in a Russian one it is the word "а", whose neighbours are
/// Cyrillic.
fn look_alike_among_latin(text: &str, start: usize, end: usize) -> bool {
    let word = &text[start..end];
    if !word
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| latin_look_alike(c).is_some())
    {
        return false;
    }
    let latin_word =
        |w: &str| w.chars().any(is_latin_letter) && !w.chars().any(is_cyrillic_or_greek);
    let before = text[..start]
        .trim_end_matches(|c: char| !in_word(c))
        .rsplit(|c: char| !in_word(c))
        .next()
        .unwrap_or("");
    let after = text[end..]
        .trim_start_matches(|c: char| !in_word(c))
        .split(|c: char| !in_word(c))
        .next()
        .unwrap_or("");
    latin_word(before) || latin_word(after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{extract, Format, Limits};
    use crate::text::LineCol;

    fn normalised(text: &str) -> Extracted {
        let ex = extract(Format::Text, text.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(ex.text.len(), text.len(), "byte offsets are kept");
        ex
    }

    fn words(ex: Extracted) -> Vec<String> {
        let doc = ex.into_document();
        (0..doc.word_count())
            .map(|i| doc.fold(i).to_string())
            .collect()
    }

    #[test]
    fn ascii_text_is_untouched() {
        let ex = normalised("The TTP is back.\n");
        assert_eq!(ex.text, "The TTP is back.\n");
        assert!(ex.warnings.is_empty());
        assert!(ex.origin.is_identity());
    }

    #[test]
    fn invisible_characters_inside_words_join_them() {
        let ex = normalised(
            "Pak\u{200B}istan and Dur\u{AD}and\u{2060}Line, Tali\u{200C}\u{200D}ban\u{FEFF}.\n",
        );
        assert!(ex.warnings.is_empty(), "{:?}", ex.warnings);
        assert!(!ex.origin.is_mapped());
        let doc = ex.into_document();
        assert_eq!(doc.sentence_text(0), "Pakistan and DurandLine, Taliban.");
        let folded: Vec<&str> = (0..doc.word_count()).map(|i| doc.fold(i)).collect();
        assert_eq!(folded, ["pakistan", "and", "durandline", "taliban"]);
    }

    #[test]
    fn invisible_characters_between_words_become_spaces() {
        let ex = normalised("Kabul \u{200B}and\u{200B} Islamabad\u{200B}\n");
        assert_eq!(ex.text, "Kabul    and    Islamabad   \n");
        assert_eq!(words(ex), ["kabul", "and", "islamabad"]);
    }

    #[test]
    fn joiners_in_other_scripts_keep_their_role() {
        // Urdu/Persian ZWNJ and Thai word breaks are spelling, not tricks.
        let text = "می\u{200C}خواهم ภาษา\u{200B}ไทย\n";
        let ex = normalised(text);
        assert_eq!(ex.text, text);
        assert!(ex.warnings.is_empty());
        // A soft hyphen is invisible in every script.
        let ex = normalised("Паки\u{AD}стан\n");
        assert_eq!(words(ex).len(), 1);
    }

    #[test]
    fn look_alike_letters_in_latin_words_read_as_latin() {
        // Cyrillic а, Greek ο, Cyrillic Т at the start.
        let text = "The border:\nPаkistan, Durοnd and Тaliban.\n";
        let ex = normalised(text);
        assert_eq!(
            ex.warnings,
            ["3 words mix Latin with Cyrillic or Greek look-alike letters (e.g. \"Pаkistan\" at 2:1); they were read as Latin"]
        );
        // Positions count the student's characters, after the edits too.
        let at = ex.text.find("and").unwrap();
        assert_eq!(
            ex.origin.line_col(&ex.text, at),
            LineCol {
                line: 2,
                column: 18
            }
        );
        let doc = ex.into_document();
        assert_eq!(doc.sentence_text(1), "Pakistan, Durond and Taliban.");
        let folded: Vec<&str> = (0..doc.word_count()).map(|i| doc.fold(i)).collect();
        assert_eq!(
            folded,
            ["the", "border", "pakistan", "durond", "and", "taliban"]
        );
    }

    #[test]
    fn a_look_alike_word_between_latin_words_reads_as_latin() {
        let ex = normalised("Pakistan is \u{430} buffer, \u{43E}n the border.\n");
        assert_eq!(ex.warnings.len(), 1, "{:?}", ex.warnings);
        let doc = ex.into_document();
        assert_eq!(doc.sentence_text(0), "Pakistan is a buffer, on the border.");
        // In a Russian sentence the word "а" is Russian.
        let text = "Мы здесь, \u{430} они там.\n";
        assert_eq!(normalised(text).text, text);
    }

    #[test]
    fn whole_cyrillic_and_greek_words_are_left_alone() {
        let text = "Путин сказал: «Мы готовы». Ο Σωκράτης. The TTP, 2021.\n";
        let ex = normalised(text);
        assert_eq!(ex.text, text);
        assert!(ex.warnings.is_empty());
        let ex = normalised("One wоrd.\n");
        assert_eq!(
            ex.warnings,
            ["1 word mixes Latin with Cyrillic or Greek look-alike letters (e.g. \"wоrd\" at 1:5); they were read as Latin"]
        );
    }

    #[test]
    fn bidirectional_controls_become_spaces_with_a_warning() {
        let ex = normalised("The \u{202E}TTP\u{202C} is back.\n");
        assert_eq!(ex.text, "The    TTP    is back.\n");
        assert_eq!(
            ex.warnings,
            ["2 bidirectional control characters (they can reorder text on screen) were removed"]
        );
    }

    #[test]
    fn only_invisible_characters_is_blank() {
        let err = extract(
            Format::Text,
            "\u{200B}\u{2060} \u{FEFF}\n".as_bytes(),
            &Limits::default(),
        )
        .unwrap_err();
        assert!(matches!(err, crate::ingest::IngestError::Blank), "{err}");
    }

    #[test]
    fn markdown_positions_still_map_to_the_source() {
        let md = "# Title\n\nThe *Pаk\u{200B}istan* border.\n";
        let ex = extract(Format::Markdown, md.as_bytes(), &Limits::default()).unwrap();
        assert!(ex.origin.is_mapped());
        let at = ex.text.find("border").unwrap();
        assert_eq!(
            ex.origin.line_col(&ex.text, at),
            LineCol {
                line: 3,
                column: 17
            }
        );
        assert_eq!(ex.warnings.len(), 1, "{:?}", ex.warnings);
        assert!(ex.warnings[0].contains("at 3:6"), "{:?}", ex.warnings);
        let doc = ex.into_document();
        assert_eq!(doc.sentence_text(1), "The Pakistan border.");
    }
}
