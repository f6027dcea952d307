//! Sentence boundaries inside a paragraph.
//!
//! Essays are overwhelmingly Latin-script prose, where UAX #29's sentence
//! rules reduce to a few cases: a full stop, `!` or `?` (runs included),
//! optional closing quotes or brackets, then white space, ends a sentence
//! unless the next word starts in lower case (after a full stop) or the stop
//! is glued to the next character ("3.5", "U.S."). That path costs a few
//! instructions a byte; UAX #29 (unicode-segmentation) costs ~200, and was a
//! third of grading time. Text with any other non-ASCII punctuation (Urdu
//! `۔`, CJK `。`, Arabic `؟`, ...) goes to unicode-segmentation, which knows
//! every script. Hard line wraps are never boundaries.

use unicode_segmentation::UnicodeSegmentation;

/// Byte ranges of the sentences of `body` (hard wraps already blanked to
/// spaces by the caller when it matters; here '\n' counts as white space).
pub fn sentence_ranges(body: &str) -> Vec<(usize, usize)> {
    if needs_full_rules(body) {
        let unwrapped: String = body
            .chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
            .collect();
        return unwrapped
            .split_sentence_bound_indices()
            .map(|(i, s)| (i, i + s.len()))
            .collect();
    }
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Jump to the next terminator.
        let Some(found) = memchr::memchr3(b'.', b'!', b'?', &bytes[i..]) else {
            break;
        };
        i += found;
        let b = bytes[i];
        let full_stop_only = b == b'.';
        let mut j = i;
        let mut only_dots = true;
        while j < bytes.len() && matches!(bytes[j], b'.' | b'!' | b'?') {
            only_dots &= bytes[j] == b'.';
            j += 1;
        }
        j = skip_closers(body, j);
        let ws_start = j;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if j == bytes.len() {
            break;
        }
        if j == ws_start {
            // Glued to what follows: "3.5", "U.S.", "e.g.,".
            i = j.max(i + 1);
            continue;
        }
        let next = body[j..].chars().next().unwrap_or(' ');
        if (full_stop_only || only_dots) && (next.is_lowercase() || matches!(next, ',' | ';' | ':'))
        {
            i = j;
            continue;
        }
        out.push((start, j));
        start = j;
        i = j;
    }
    if start < bytes.len() {
        out.push((start, bytes.len()));
    }
    out
}

/// Closing quotes and brackets that stay with the sentence they end.
fn skip_closers(body: &str, mut j: usize) -> usize {
    while let Some(c) = body[j..].chars().next() {
        if matches!(c, '"' | '\'' | ')' | ']' | '”' | '’' | '»') {
            j += c.len_utf8();
        } else {
            break;
        }
    }
    j
}

/// Non-ASCII characters that need nothing beyond the fast path: quotes,
/// dashes, ellipsis, bullets and letters. Any other non-ASCII punctuation
/// (another script's full stop, say) sends the text to UAX #29.
fn needs_full_rules(body: &str) -> bool {
    !body.is_ascii()
        && body.chars().any(|c| {
            !c.is_ascii()
                && !c.is_alphanumeric()
                && !c.is_whitespace()
                && !matches!(
                    c,
                    '“' | '”'
                        | '‘'
                        | '’'
                        | '«'
                        | '»'
                        | '–'
                        | '—'
                        | '…'
                        | '•'
                        | '→'
                        | '↳'
                        | '·'
                        | '°'
                        | '£'
                        | '€'
                        | '%'
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<&str> {
        sentence_ranges(s)
            .into_iter()
            .map(|(a, b)| s[a..b].trim())
            .collect()
    }

    #[test]
    fn ends_at_terminators_followed_by_space_and_a_capital() {
        assert_eq!(
            split("The TTP grew. Attacks rose! Why? Because \"havens\" helped.\" Next one."),
            vec![
                "The TTP grew.",
                "Attacks rose!",
                "Why?",
                "Because \"havens\" helped.\"",
                "Next one."
            ]
        );
    }

    #[test]
    fn glued_stops_and_lower_case_continuations_do_not_end_sentences() {
        assert_eq!(
            split("It rose 3.5 times in the U.S. in 2023. ok."),
            vec!["It rose 3.5 times in the U.S. in 2023. ok."]
        );
        assert_eq!(
            split("Wait... then go. Done"),
            vec!["Wait... then go.", "Done"]
        );
        assert_eq!(
            split("As noted (see above). Then more."),
            vec!["As noted (see above).", "Then more."]
        );
    }

    #[test]
    fn agrees_with_uax29_on_plain_prose() {
        let text = "Pakistan faces a dilemma. The Taliban returned in 2021! Was it foreseen? Few analysts said so. \
                    The border, drawn in 1893, is disputed. Trade fell by 40 per cent.";
        let ours: Vec<&str> = split(text);
        let uax: Vec<&str> = text.split_sentence_bounds().map(str::trim).collect();
        assert_eq!(ours, uax);
    }

    #[test]
    fn other_scripts_use_full_rules() {
        let text = "یہ پہلا جملہ ہے۔ یہ دوسرا ہے۔";
        assert!(needs_full_rules(text));
        assert_eq!(split(text).len(), 2);
        assert!(!needs_full_rules("Smart “quotes” and an em — dash…"));
    }
}
