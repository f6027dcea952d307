//! The static embedding table (`data/meaning/minilm-static.bin`, format in
//! `data/meaning/FORMAT.md`): parsed once, rows borrowed from the bytes the
//! binary carries (no copy), the vocabulary indexed for WordPiece.

use rustc_hash::FxHashMap as HashMap;
use std::sync::LazyLock;

/// Components of a row and of every vector built from rows.
pub const DIMS: usize = 256;

#[cfg(feature = "meaning-table")]
static BYTES: &[u8] = include_bytes!("../../data/meaning/minilm-static.bin");

/// The table the binary ships, parsed on first use (a few milliseconds).
/// Without the `meaning-table` feature (the browser page, for now: a
/// module over 8 MB cannot be compiled on a page's main thread) it is an
/// empty table: every vector is zero and nothing is proposed.
#[cfg(feature = "meaning-table")]
pub static TABLE: LazyLock<Table> =
    LazyLock::new(|| Table::parse(BYTES).expect("the shipped meaning table is well formed"));
#[cfg(not(feature = "meaning-table"))]
pub static TABLE: LazyLock<Table> = LazyLock::new(Table::empty);

/// Whether this build carries the meaning table.
pub const AVAILABLE: bool = cfg!(feature = "meaning-table");

#[derive(Debug)]
pub struct Table {
    /// Signed bytes, read as `i8` where summed (see `row`).
    rows: &'static [u8],
    /// Whole-word pieces (no `##`), by text.
    words: HashMap<&'static str, u16>,
    /// Continuation pieces, by their text without `##`.
    continuations: HashMap<&'static str, u16>,
    /// Each row's piece, as the vocabulary spells it (`##` kept).
    names: Vec<&'static str>,
    /// The row of `[UNK]`.
    pub unknown: u16,
}

#[derive(Debug, PartialEq, Eq)]
pub struct TableError(pub &'static str);

impl Table {
    /// Check and index a table: magic, version, dimensions, the length
    /// equation and a vocabulary of exactly `n_tokens` distinct strings.
    pub fn parse(bytes: &'static [u8]) -> Result<Table, TableError> {
        let u32_at = |at: usize| -> Result<u32, TableError> {
            bytes
                .get(at..at + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .ok_or(TableError("truncated header"))
        };
        if bytes.get(..8) != Some(b"EMSTAT01".as_slice()) {
            return Err(TableError("not a meaning table (bad magic)"));
        }
        if u32_at(8)? != 1 {
            return Err(TableError("unsupported version"));
        }
        if u32_at(12)? as usize != DIMS {
            return Err(TableError("unexpected dimensions"));
        }
        let n = u32_at(16)? as usize;
        let blob_len = u32_at(24)? as usize;
        if n > u16::MAX as usize {
            return Err(TableError("too many rows"));
        }
        let blob_end = 28 + blob_len;
        let rows_off = blob_end + (8 - blob_end % 8) % 8;
        if bytes.len() != rows_off + n * DIMS {
            return Err(TableError("length does not match the header"));
        }
        let blob = &bytes[28..blob_end];
        let mut words = HashMap::default();
        let mut continuations = HashMap::default();
        let mut unknown = None;
        let mut names = Vec::with_capacity(n);
        for (row, piece) in blob.split(|&b| b == 0).enumerate() {
            if row == n {
                // The blob ends with a NUL: one empty piece after it.
                if !piece.is_empty() {
                    return Err(TableError("vocabulary longer than the row count"));
                }
                break;
            }
            let piece =
                std::str::from_utf8(piece).map_err(|_| TableError("vocabulary not UTF-8"))?;
            if piece.is_empty() {
                return Err(TableError("empty vocabulary entry"));
            }
            let row = row as u16;
            let fresh = match piece.strip_prefix("##") {
                Some(rest) if !rest.is_empty() => continuations.insert(rest, row).is_none(),
                _ => words.insert(piece, row).is_none(),
            };
            if !fresh {
                return Err(TableError("duplicate vocabulary entry"));
            }
            if piece == "[UNK]" {
                unknown = Some(row);
            }
            names.push(piece);
        }
        if names.len() != n {
            return Err(TableError("vocabulary shorter than the row count"));
        }
        Ok(Table {
            rows: &bytes[rows_off..],
            words,
            continuations,
            names,
            unknown: unknown.ok_or(TableError("no [UNK] entry"))?,
        })
    }

    /// Row `r`'s components, each an `i8` stored as its byte (`as i8`).
    /// A table with only `[UNK]` (a zero row).
    pub fn empty() -> Table {
        static ZERO: [u8; DIMS] = [0; DIMS];
        let mut words = HashMap::default();
        words.insert("[UNK]", 0);
        Table {
            rows: &ZERO,
            words,
            continuations: HashMap::default(),
            names: vec!["[UNK]"],
            unknown: 0,
        }
    }

    pub fn row(&self, r: u16) -> &[u8] {
        let at = r as usize * DIMS;
        &self.rows[at..at + DIMS]
    }

    /// Every row's piece, in row order (the vocabulary's).
    pub fn pieces(&self) -> &[&'static str] {
        &self.names
    }

    /// Row `r`'s piece as the vocabulary spells it (`##ing`).
    pub fn name(&self, r: u16) -> &'static str {
        self.names[r as usize]
    }

    pub fn word(&self, piece: &str) -> Option<u16> {
        self.words.get(piece).copied()
    }

    pub fn continuation(&self, piece: &str) -> Option<u16> {
        self.continuations.get(piece).copied()
    }
}

#[cfg(all(test, feature = "meaning-table"))]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_parses_with_its_documented_shape() {
        let t = &*TABLE;
        assert_eq!(t.words.len() + t.continuations.len(), 29_528);
        assert_eq!(t.word("[PAD]"), Some(0));
        assert_eq!(t.unknown, 1);
        assert_eq!(t.word("!"), Some(5));
        assert!(t.row(t.unknown).iter().all(|&x| x == 0));
        assert!(t.rows.iter().all(|&x| x as i8 != i8::MIN));
        assert!(t.continuation("ing").is_some());
        assert!(t.word("pakistan").is_some());
    }

    #[test]
    fn damaged_tables_are_refused() {
        assert_eq!(
            Table::parse(b"NOTATABLE").unwrap_err(),
            TableError("not a meaning table (bad magic)")
        );
        let short: &'static [u8] = &BYTES[..BYTES.len() - 1];
        assert_eq!(
            Table::parse(short).unwrap_err(),
            TableError("length does not match the header")
        );
        assert!(Table::parse(&BYTES[..20]).is_err());
    }
}
