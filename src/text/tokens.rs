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

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Append the tokens of `text` (which starts at byte `base` of the document)
/// to `tokens`, writing folded forms into `folded`.
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
        let fold_start = folded.len();
        let mut end = i;
        while end < bytes.len() {
            let b = bytes[end];
            if b.is_ascii_alphanumeric() {
                folded.push(b.to_ascii_lowercase() as char);
                end += 1;
                continue;
            }
            let c = match text[end..].chars().next() {
                Some(c) => c,
                None => break,
            };
            if c.is_alphanumeric() {
                folded.extend(c.to_lowercase());
                end += c.len_utf8();
            } else if is_apostrophe(c)
                && text[end + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
            {
                end += c.len_utf8();
            } else {
                break;
            }
        }
        tokens.push(Token {
            start: (base + start) as u32,
            end: (base + end) as u32,
            fold_start: fold_start as u32,
            fold_end: folded.len() as u32,
        });
        i = end;
    }
}

/// The folded words of a phrase, as the essay's tokens would be folded.
pub fn fold_token(phrase: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut folded = String::new();
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
        let mut folded = String::new();
        tokenize(text, 10, &mut tokens, &mut folded);
        let spans: Vec<_> = tokens.iter().map(|t| (t.start, t.end)).collect();
        assert_eq!(spans, vec![(10, 12), (14, 16), (17, 19)]);
    }
}
