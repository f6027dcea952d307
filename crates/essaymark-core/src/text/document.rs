//! The segmented essay: blocks split into sentences, sentences into tokens.

use super::sentences::sentence_ranges;
use super::{tokenize, Block, BlockKind, Origin, Token};
use std::ops::Range;

/// A sentence: its byte span, the block it belongs to, and its tokens
/// (`tokens` indexes `Document::tokens`). Headings, list items and table
/// rows are sentences of their own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Range<usize>,
    pub block: usize,
    pub tokens: Range<usize>,
}

/// An essay ready for matching.
#[derive(Debug, Clone)]
pub struct Document {
    pub text: String,
    pub origin: Origin,
    pub blocks: Vec<Block>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    /// Folded token text; `Token::fold_start..fold_end` index into it.
    pub folded: String,
    /// For each token, the sentence that holds it.
    pub token_sentence: Vec<u32>,
    /// For each block, the range of sentences it holds.
    pub block_sentences: Vec<Range<usize>>,
    /// For each block, the index of the heading that opens its section
    /// (`None` before the first heading).
    pub block_section: Vec<Option<usize>>,
}

/// Built once: a searcher costs more to build than to run on one sentence.
static DOUBLE_SPACE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"  "));

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "dr", "mr", "mrs", "ms", "prof", "lt", "gen", "col", "maj", "capt", "brig", "st", "vs", "no",
    "e.g", "i.e", "etc", "fig", "sr", "jr", "r",
];

impl Document {
    /// Segment `text` whose blocks are already known.
    pub fn new(text: String, blocks: Vec<Block>, origin: Origin) -> Document {
        let mut doc = Document {
            text: String::new(),
            origin,
            blocks: Vec::with_capacity(blocks.len()),
            sentences: Vec::new(),
            tokens: Vec::with_capacity(text.len() / 6),
            folded: {
                // Tokens fold in place (see `tokenize`); room for the few
                // words that need a folded copy.
                let mut f = String::with_capacity(text.len() + text.len() / 8);
                f.push_str(&text);
                f.make_ascii_lowercase();
                f
            },
            block_sentences: Vec::with_capacity(blocks.len()),
            token_sentence: Vec::new(),
            block_section: Vec::with_capacity(blocks.len()),
        };
        let mut section = None;
        for block in blocks {
            if block.span.end > text.len()
                || !text.is_char_boundary(block.span.start)
                || !text.is_char_boundary(block.span.end)
            {
                continue;
            }
            let index = doc.blocks.len();
            if block.kind == BlockKind::Heading {
                section = Some(index);
            }
            let first = doc.sentences.len();
            let body = &text[block.span.clone()];
            if block.kind == BlockKind::Paragraph {
                doc.push_sentences(body, block.span.start, index);
            } else {
                doc.push_sentence(body, block.span.start, index);
            }
            doc.block_sentences.push(first..doc.sentences.len());
            doc.block_section.push(section);
            doc.blocks.push(block);
        }
        doc.text = text;
        doc.token_sentence = Vec::with_capacity(doc.tokens.len());
        for (i, s) in doc.sentences.iter().enumerate() {
            doc.token_sentence
                .extend(s.tokens.clone().map(|_| i as u32));
        }
        doc
    }

    /// Segment plain text, finding blocks from line shapes.
    pub fn from_plain_text(text: String) -> Document {
        let blocks = super::detect_blocks(&text);
        let origin = Origin::identity(&text);
        Document::new(text, blocks, origin)
    }

    fn push_sentences(&mut self, body: &str, base: usize, block: usize) {
        let mut pending: Option<(usize, usize)> = None;
        for (piece_start, piece_end) in sentence_ranges(body) {
            let (start, end) = match pending.take() {
                Some((s, _)) => (s, piece_end),
                None => (piece_start, piece_end),
            };
            if ends_with_abbreviation(&body[start..end]) && end < body.len() {
                pending = Some((start, end));
                continue;
            }
            self.push_sentence(&body[start..end], base + start, block);
        }
        if let Some((start, end)) = pending {
            self.push_sentence(&body[start..end], base + start, block);
        }
    }

    fn push_sentence(&mut self, sentence: &str, base: usize, block: usize) {
        let trimmed_start = sentence.len() - sentence.trim_start().len();
        let trimmed = sentence.trim();
        if trimmed.is_empty() {
            return;
        }
        let first = self.tokens.len();
        tokenize(sentence, base, &mut self.tokens, &mut self.folded);
        if self.tokens.len() == first {
            return;
        }
        let start = base + trimmed_start;
        self.sentences.push(Sentence {
            span: start..start + trimmed.len(),
            block,
            tokens: first..self.tokens.len(),
        });
    }

    /// The folded form of token `i`.
    pub fn fold(&self, i: usize) -> &str {
        let t = &self.tokens[i];
        &self.folded[t.fold_start as usize..t.fold_end as usize]
    }

    /// The original spelling of token `i`.
    pub fn word(&self, i: usize) -> &str {
        let t = &self.tokens[i];
        &self.text[t.start as usize..t.end as usize]
    }

    /// A stretch of the text as it is quoted back to the student: white
    /// space folded to one space, struck letters inside a word
    /// ([`super::STRUCK_IN_WORD`]) left out, so no control character
    /// reaches a report.
    pub fn shown(&self, range: std::ops::Range<usize>) -> String {
        let struck = super::STRUCK_IN_WORD as char;
        let mut out = String::with_capacity(range.len());
        for word in self.text[range].split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(word.chars().filter(|&c| c != struck));
        }
        out
    }

    /// A stretch of the text with struck letters inside words
    /// ([`super::STRUCK_IN_WORD`]) left out, white space as it is: what the
    /// structure and context checks read ("Co\u{1F}nclusion" from a
    /// look-alike letter is still "Conclusion"). Borrowed when there is
    /// nothing to leave out, as in nearly every essay.
    pub fn plain(&self, range: std::ops::Range<usize>) -> std::borrow::Cow<'_, str> {
        let text = &self.text[range];
        if memchr::memchr(super::STRUCK_IN_WORD, text.as_bytes()).is_none() {
            return std::borrow::Cow::Borrowed(text);
        }
        let struck = super::STRUCK_IN_WORD as char;
        std::borrow::Cow::Owned(text.chars().filter(|&c| c != struck).collect())
    }

    /// Word `i` as quoted back ([`Document::shown`]).
    pub fn word_shown(&self, i: usize) -> String {
        let t = &self.tokens[i];
        self.shown(t.start as usize..t.end as usize)
    }

    pub fn word_count(&self) -> usize {
        self.tokens.len()
    }

    /// The sentence that holds token `i`.
    pub fn sentence_of(&self, token: usize) -> usize {
        match self.token_sentence.get(token) {
            Some(&s) => s as usize,
            None => self.sentences.len().saturating_sub(1),
        }
    }

    /// A sentence's text with runs of white space folded to one space.
    pub fn sentence_text(&self, sentence: usize) -> String {
        let s = &self.sentences[sentence];
        // Struck letters inside a word (see `tokens::STRUCK_IN_WORD`) are
        // not quoted back.
        let text = &self.text[s.span.clone()];
        if !text.is_ascii() {
            return self.shown(s.span.clone());
        }
        // ASCII (nearly every essay): copy whole words, found byte by byte;
        // the white space set is `char::is_whitespace` restricted to ASCII.
        let is_space = |b: u8| matches!(b, b' ' | b'\t'..=b'\r');
        let bytes = text.as_bytes();
        // Usually there is nothing to fold: single spaces between words,
        // no line breaks, no struck letters. One branch-free pass finds out.
        let irregular = bytes.iter().fold(false, |acc, &b| {
            acc | matches!(b, b'\t'..=b'\r') | (b == super::STRUCK_IN_WORD)
        });
        let edges = |b: Option<&u8>| b.is_some_and(|&b| b == b' ');
        if !irregular
            && !edges(bytes.first())
            && !edges(bytes.last())
            && DOUBLE_SPACE.find(bytes).is_none()
        {
            return text.to_string();
        }
        let struck = super::STRUCK_IN_WORD as char;
        let has_struck = memchr::memchr(super::STRUCK_IN_WORD, bytes).is_some();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        while i < bytes.len() {
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            let start = i;
            while i < bytes.len() && !is_space(bytes[i]) {
                i += 1;
            }
            if start == i {
                break;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            let word = &text[start..i];
            if has_struck {
                out.extend(word.chars().filter(|&c| c != struck));
            } else {
                out.push_str(word);
            }
        }
        out
    }

    /// Paragraph-like blocks (paragraphs and list items) with at least `min_words` words.
    pub fn paragraph_count(&self, min_words: usize) -> usize {
        self.blocks
            .iter()
            .zip(&self.block_sentences)
            .filter(|(b, _)| b.kind == BlockKind::Paragraph)
            .filter(|&(_, s)| {
                let toks: usize = self.sentences[s.clone()]
                    .iter()
                    .map(|s| s.tokens.len())
                    .sum();
                toks >= min_words
            })
            .count()
    }
}

fn ends_with_abbreviation(sentence: &str) -> bool {
    let t = sentence.trim_end();
    let Some(stripped) = t.strip_suffix('.') else {
        return false;
    };
    let last = stripped
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .to_lowercase();
    ABBREVIATIONS.contains(&last.as_str())
        || (last.chars().count() == 1 && last.chars().all(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_keep_abbreviated_titles_together() {
        let doc = Document::from_plain_text(
            "Intro\n\nDr. Amir Rana notes that havens matter. Lt. Gen. Talat Masood agrees.\n"
                .into(),
        );
        let texts: Vec<String> = (0..doc.sentences.len())
            .map(|i| doc.sentence_text(i))
            .collect();
        assert_eq!(
            texts,
            vec![
                "Intro",
                "Dr. Amir Rana notes that havens matter.",
                "Lt. Gen. Talat Masood agrees."
            ]
        );
        assert_eq!(doc.block_section, vec![Some(0), Some(0)]);
    }

    #[test]
    fn hard_wrapped_lines_stay_one_sentence() {
        let doc = Document::from_plain_text(
            "The border is\nviolent and de-\nradicalization lags. Next one.\n".into(),
        );
        assert_eq!(doc.sentences.len(), 2);
        assert_eq!(
            doc.sentence_text(0),
            "The border is violent and de- radicalization lags."
        );
    }

    /// Quotes fold every run of white space to one space and drop struck
    /// letters, on the ASCII fast path and the general path alike.
    #[test]
    fn quotes_fold_white_space_and_drop_struck_letters() {
        let cases = [
            ("Border  fencing\tcuts trade.", "Border fencing cuts trade."),
            ("Border fencing cuts trade.", "Border fencing cuts trade."),
            ("Dur\u{1F}\u{1F}and Line matters.", "Durand Line matters."),
            (
                "Kabul\u{a0} and\u{2028}Islamabad differ.",
                "Kabul and Islamabad differ.",
            ),
            ("Caf\u{e9}  talks\r\nresumed.", "Caf\u{e9} talks resumed."),
            ("Kabul\x0B\x0Cdiffers.", "Kabul differs."),
        ];
        for (text, quote) in cases {
            let doc = Document::from_plain_text(format!("{text}\n"));
            assert_eq!(doc.sentence_text(0), quote, "{text:?}");
        }
    }

    #[test]
    fn tokens_map_to_sentences() {
        let doc = Document::from_plain_text("One two. Three four five.\n".into());
        assert_eq!(doc.word_count(), 5);
        assert_eq!(doc.sentence_of(0), 0);
        assert_eq!(doc.sentence_of(4), 1);
        assert_eq!(doc.word(2), "Three");
        assert_eq!(doc.fold(2), "three");
    }
}
