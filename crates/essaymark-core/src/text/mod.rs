//! Text model: an essay as blocks (headings, paragraphs, list items, table
//! rows), sentences and word tokens, every piece carrying a byte span into the
//! analysed text so evidence can always be traced back to a line and column.

mod blocks;
pub mod clauses;
mod document;
pub mod lexicon;
mod position;
mod sentences;
mod stop_words;
mod tokens;

pub use blocks::{detect_blocks, list_marker_len, looks_like_heading, Block, BlockKind};
pub use document::{Document, Sentence};
pub use position::{LineCol, Origin};
pub use stop_words::{is_content_word, is_stop_word};
pub use tokens::{fold_token, tokenize, Token, STRUCK_IN_WORD};
