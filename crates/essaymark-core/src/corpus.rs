//! A deterministic essay generator for benchmarks and scale tests: essays of
//! a chosen length mixing on- and off-topic paragraphs, headings, bullet
//! lists and a table, from a seeded generator (same seed, same bytes).
//! Sentences are written for this project. Besides the stock sentences, each
//! essay has sentences in the student's own words: common English (the
//! project's background word list) with the odd misspelling, so that, as in
//! a real class, the vocabulary keeps growing with the corpus and the
//! matcher meets words it has not resolved before.

use std::fmt::Write as _;

const ON_TOPIC: &[&str] = &[
    "After August 2021 the TTP regrouped in Afghan sanctuaries and its attacks in Khyber Pakhtunkhwa and Balochistan rose sharply.",
    "ISIS-K draws defectors from other factions and favours mass-casualty bombings against Pakistani and Chinese targets.",
    "No Afghan government has recognised the Durand Line, and the Taliban oppose the fence that Pakistan built along it.",
    "Clashes at Torkham and Chaman have closed the crossings for days and left traders with perishable goods stranded.",
    "Pakistan still hosts millions of Afghan refugees, and the deportation drive has strained relations with Kabul.",
    "Attacks on Chinese engineers have raised the security cost of CPEC and shaken investor confidence.",
    "From a realist perspective each state pursues survival, and what Kabul sees as accommodation Pakistan experiences as insecurity.",
    "Stephen Walt argues that states balance against threats rather than power, and proximity magnifies a threat.",
    "Pakistan should pursue conditional engagement with Kabul while keeping credible deterrence against militant sanctuaries.",
    "Smuggling of arms and narcotics across a porous border lets militants blend into civilian movement.",
];
const OFF_TOPIC: &[&str] = &[
    "Inflation in the cities has eroded the purchasing power of salaried households over the last three years.",
    "The monsoon season brings both relief to farmers and the risk of urban flooding in the larger towns.",
    "Cricket remains the most watched sport, and the national team's fortunes shape the public mood.",
    "Universities are expanding their computer science departments to meet the demand for software engineers.",
    "Public transport in the large cities has improved with new bus corridors, though coverage is uneven.",
];
const HEADINGS: &[&str] = &[
    "Introduction",
    "Internal Security",
    "Border Management",
    "Economic Costs",
    "Regional Stability",
    "Policy Options",
    "Conclusion",
];

/// A sentence of 10-20 common words; about one word in 25 is misspelled
/// (two inner letters swapped), as students' typing is.
fn own_words(rng: &mut Lcg, out: &mut String) -> usize {
    let words = crate::text::lexicon::background_words();
    let n = 10 + rng.next(11);
    for i in 0..n {
        let w = words[rng.next(words.len())];
        let mut w: Vec<u8> = w.bytes().collect();
        if w.len() >= 5 && rng.next(25) == 0 {
            let at = 1 + rng.next(w.len() - 3);
            w.swap(at, at + 1);
        }
        if i == 0 {
            w[0] = w[0].to_ascii_uppercase();
        }
        out.push_str(std::str::from_utf8(&w).unwrap_or("word"));
        out.push(if i + 1 == n { '.' } else { ' ' });
    }
    out.push(' ');
    n
}

/// A small linear congruential generator: deterministic and dependency-free.
pub struct Lcg(pub u64);
impl Lcg {
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// One essay of at least `words` words, from `rng`.
pub fn essay(rng: &mut Lcg, words: usize) -> String {
    let mut out = String::from("Taliban Rule and Pakistan's Western Security Dilemma\n\n");
    let mut count = 0;
    let mut h = 0;
    while count < words {
        if count * HEADINGS.len() >= h * words && h < HEADINGS.len() {
            let _ = write!(out, "{}\n\n", HEADINGS[h]);
            h += 1;
        }
        match rng.next(10) {
            0 => {
                for _ in 0..3 {
                    let s = ON_TOPIC[rng.next(ON_TOPIC.len())];
                    let _ = writeln!(out, "- {}", &s[..s.len() - 1]);
                    count += s.split_whitespace().count();
                }
                out.push('\n');
            }
            1 if h == 4 => {
                out.push_str("Aspect\tBefore 2021\tAfter 2021\nTTP threat\tContained\tRevived\nBorder\tManageable\tVolatile\n\n");
                count += 12;
            }
            _ => {
                for _ in 0..4 {
                    let pool = match rng.next(4) {
                        0 => OFF_TOPIC,
                        1 => {
                            count += own_words(rng, &mut out);
                            continue;
                        }
                        _ => ON_TOPIC,
                    };
                    let s = pool[rng.next(pool.len())];
                    out.push_str(s);
                    out.push(' ');
                    count += s.split_whitespace().count();
                }
                out.push_str("\n\n");
            }
        }
    }
    out
}

/// `n` essays of about `words` words each, deterministically from `seed`.
pub fn essays(seed: u64, n: usize, words: usize) -> Vec<String> {
    let mut rng = Lcg(seed);
    (0..n).map(|_| essay(&mut rng, words)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_about_the_requested_length() {
        let a = essays(7, 3, 3000);
        assert_eq!(a, essays(7, 3, 3000));
        for e in &a {
            let words = e.split_whitespace().count();
            assert!((3000..3400).contains(&words), "{words}");
        }
        assert_ne!(a[0], a[1]);
    }

    /// The vocabulary grows with the corpus (stock sentences alone would
    /// let a word cache see every word within the first essay).
    #[test]
    fn vocabulary_keeps_growing() {
        let distinct = |n: usize| {
            let mut words: Vec<String> = essays(3, n, 1000)
                .iter()
                .flat_map(|e| {
                    e.split_whitespace()
                        .map(str::to_lowercase)
                        .collect::<Vec<_>>()
                })
                .collect();
            words.sort();
            words.dedup();
            words.len()
        };
        let (ten, forty) = (distinct(10), distinct(40));
        assert!(ten > 1000, "{ten}");
        assert!(forty > ten + 500, "{ten} -> {forty}");
    }
}
