//! Meaning: how close a sentence is to a criterion's examples, by a static
//! embedding table distilled from all-MiniLM-L6-v2 (`data/meaning/`). A
//! sentence's vector is the integer sum of its pieces' rows, so every
//! platform, the browser page included, computes the same similarities.
//!
//! The table is a bag of words: it cannot see negation or whether a
//! sentence argues anything. So this stage only *proposes* sentences as
//! evidence ([`propose`]); the scoring rules decide, exactly as they do for
//! a phrase hit.

mod propose;
pub(crate) mod table;
mod tokenize;

pub use propose::{propose, Prepared, Proposal, Rejection, Settings};
pub use table::{Table, TableError, AVAILABLE, DIMS, TABLE};

/// A sentence or example as the sum of its pieces' rows, with its squared
/// length (both exact integers).
#[derive(Clone, PartialEq, Eq)]
pub struct Vector {
    pub v: Box<[i32; DIMS]>,
    pub norm: i64,
}

impl std::fmt::Debug for Vector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vector(norm {})", self.norm)
    }
}

impl Vector {
    pub fn zero() -> Vector {
        Vector {
            v: Box::new([0; DIMS]),
            norm: 0,
        }
    }

    /// Sum the rows (`[UNK]`'s and the specials' are zero).
    pub fn from_rows(table: &Table, rows: &[u16]) -> Vector {
        let mut out = Vector::zero();
        for &r in rows {
            out.add_row(table, r);
        }
        out.finish();
        out
    }

    fn add_row(&mut self, table: &Table, r: u16) {
        for (acc, &x) in self.v.iter_mut().zip(table.row(r)) {
            *acc += x as i8 as i32;
        }
    }

    /// Compute the squared length after the last row is added.
    fn finish(&mut self) {
        self.norm = dot(&self.v, &self.v);
    }

    pub fn is_zero(&self) -> bool {
        self.norm == 0
    }

    /// Cosine similarity, 0 when either vector is zero (no known piece).
    pub fn cosine(&self, other: &Vector) -> f64 {
        if self.norm == 0 || other.norm == 0 {
            return 0.0;
        }
        dot(&self.v, &other.v) as f64 / (self.norm as f64 * other.norm as f64).sqrt()
    }
}

/// Exact integer dot product.
pub fn dot(a: &[i32; DIMS], b: &[i32; DIMS]) -> i64 {
    // Chunks of eight keep the sum in a few registers; the order of an
    // integer sum does not change it.
    let mut acc = [0i64; 8];
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        for k in 0..8 {
            acc[k] += x[k] as i64 * y[k] as i64;
        }
    }
    acc.iter().sum()
}

/// The rows of `text`'s pieces, in order (`[UNK]` included).
pub fn rows(text: &str, out: &mut Vec<u16>) {
    tokenize::rows(&TABLE, text, out);
}

/// The vector of `text`.
pub fn embed(text: &str) -> Vector {
    let mut rows = Vec::with_capacity(text.len() / 4);
    tokenize::rows(&TABLE, text, &mut rows);
    Vector::from_rows(&TABLE, &rows)
}

#[cfg(all(test, feature = "meaning-table"))]
mod tests {
    use super::*;

    /// Every pair of `reference-similarities.tsv` (written by
    /// `scripts/meaning/reference.py`) comes out with the same integer dot
    /// product and the same cosine to 1e-6.
    #[test]
    fn reproduces_the_reference_similarities_exactly() {
        let tsv = include_str!("../../data/meaning/reference-similarities.tsv");
        let mut n = 0;
        for line in tsv.lines().skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 4, "{line}");
            let (a, b) = (embed(f[0]), embed(f[1]));
            let want_dot: i64 = f[3].parse().unwrap();
            let want_cos: f64 = f[2].parse().unwrap();
            assert_eq!(dot(&a.v, &b.v), want_dot, "{line}");
            assert!(
                (a.cosine(&b) - want_cos).abs() < 1e-6,
                "{line}: {}",
                a.cosine(&b)
            );
            n += 1;
        }
        assert_eq!(n, 40);
    }

    #[test]
    fn paraphrase_is_closer_than_an_unrelated_sentence() {
        let claim = embed(
            "Fencing the border makes Kabul feel threatened, so Pakistan ends up less secure.",
        );
        let para = embed("Whatever Islamabad builds on its side of the frontier, Afghanistan reads as hostile and answers in kind, leaving Pakistan worse off.");
        let other = embed("The cricket team won the final in Lahore after a long rain delay.");
        assert!(claim.cosine(&para) > claim.cosine(&other) + 0.2);
        assert_eq!(embed("").cosine(&claim), 0.0);
    }
}
