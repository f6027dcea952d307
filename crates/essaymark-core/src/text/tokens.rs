//! Word tokens: maximal runs of letters and digits, folded to lower case.
//! Apostrophes inside a word are dropped ("Pakistan's" → "pakistans") and
//! every other character separates words, which is what makes phrase
//! matching case-, punctuation- and hyphen-insensitive.

/// A word of the essay: its byte span in the analysed text and its folded
/// form, stored as a range into the document's shared fold buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: u32,
    pub end: u32,
    pub fold_start: u32,
    pub fold_end: u32,
}

/// Filler for struck-through letters inside a word (see `ingest`): the
/// tokenizer joins the word across it and quotes leave it out.
pub const STRUCK_IN_WORD: u8 = 0x1F;

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Characters dropped from inside a word when it is folded.
fn is_joiner(c: char) -> bool {
    is_apostrophe(c) || c == STRUCK_IN_WORD as char
}

/// Append the tokens of `text` (which starts at byte `base` of the document)
/// to `tokens`.
///
/// `folded` must begin with the document text lower-cased in ASCII, so that
/// `folded[base..base + text.len()]` is `text` folded: a plain ASCII word's
/// folded form is then its own byte range, with no copy. Only words with an
/// apostrophe or a non-ASCII letter get a folded copy appended to `folded`.
pub fn tokenize(text: &str, base: usize, tokens: &mut Vec<Token>, folded: &mut String) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            if !c.is_alphanumeric() {
                i += c.len_utf8();
                continue;
            }
        }
        // A word starts at i.
        let start = i;
        let mut end = i;
        let mut plain = true;
        while end < bytes.len() {
            let b = bytes[end];
            if b.is_ascii_alphanumeric() {
                end += 1;
                continue;
            }
            // Most words end at a space or punctuation: no decoding needed.
            if b.is_ascii() && b != b'\'' && b != STRUCK_IN_WORD {
                break;
            }
            let Some(c) = text[end..].chars().next() else {
                break;
            };
            if c.is_alphanumeric() {
                plain = false;
                end += c.len_utf8();
                continue;
            }
            // Apostrophes and struck letters join a word when a letter follows.
            let run: usize = text[end..]
                .chars()
                .take_while(|&j| is_joiner(j))
                .map(char::len_utf8)
                .sum();
            if run == 0
                || !text[end + run..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
            {
                break;
            }
            plain = false;
            end += run;
        }
        let (fold_start, fold_end) = if plain {
            (base + start, base + end)
        } else {
            let from = folded.len();
            for c in text[start..end].chars().filter(|&c| !is_joiner(c)) {
                folded.extend(c.to_lowercase());
            }
            (from, folded.len())
        };
        tokens.push(Token {
            start: (base + start) as u32,
            end: (base + end) as u32,
            fold_start: fold_start as u32,
            fold_end: fold_end as u32,
        });
        i = end;
    }
}

/// The folded words of a phrase, as the essay's tokens would be folded.
pub fn fold_token(phrase: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut folded = phrase.to_ascii_lowercase();
    tokenize(phrase, 0, &mut tokens, &mut folded);
    tokens
        .iter()
        .map(|t| folded[t.fold_start as usize..t.fold_end as usize].to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_hyphens_and_apostrophes() {
        assert_eq!(
            fold_token("Tehreek-e-Taliban Pakistan's ISIS-K, cross–border"),
            vec![
                "tehreek",
                "e",
                "taliban",
                "pakistans",
                "isis",
                "k",
                "cross",
                "border"
            ]
        );
        assert_eq!(fold_token("Ägypten’s DAESH"), vec!["ägyptens", "daesh"]);
        assert_eq!(fold_token("  ...  "), Vec::<String>::new());
    }

    #[test]
    fn spans_point_at_words() {
        let text = "ab, cd-ef";
        let mut tokens = Vec::new();
        let mut folded = format!("{}{}", " ".repeat(10), text.to_ascii_lowercase());
        tokenize(text, 10, &mut tokens, &mut folded);
        let spans: Vec<_> = tokens.iter().map(|t| (t.start, t.end)).collect();
        assert_eq!(spans, vec![(10, 12), (14, 16), (17, 19)]);
    }
}
