//! Deterministic benchmark corpus: `cargo run --release --example gen_corpus -- DIR N WORDS`
//! writes N essays of about WORDS words each, or, with WORDS as `MIN-MAX`
//! (e.g. `500-5000`), of lengths spread over that range (see
//! `essaymark::corpus`). Same arguments, same bytes.

use essaymark::corpus::{essay, Lcg};
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: gen_corpus DIR N WORDS|MIN-MAX");
        std::process::exit(2);
    }
    let dir = PathBuf::from(&args[1]);
    let range = match args[3].split_once('-') {
        Some((lo, hi)) => lo.parse::<usize>().ok().zip(hi.parse::<usize>().ok()),
        None => args[3].parse::<usize>().ok().map(|w| (w, w)),
    };
    let (Ok(n), Some((min, max))) = (args[2].parse::<usize>(), range) else {
        eprintln!("N must be a whole number and WORDS one (3000) or a range (500-5000)");
        std::process::exit(2);
    };
    if min == 0 || max < min {
        eprintln!("WORDS must be at least 1, and MIN-MAX increasing");
        std::process::exit(2);
    }
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        std::process::exit(2);
    }
    let mut rng = Lcg(42);
    let mut lengths = Lcg(7);
    let mut bytes = 0;
    for i in 0..n {
        let words = min + lengths.next(max - min + 1);
        let text = essay(&mut rng, words);
        bytes += text.len();
        if let Err(e) = std::fs::write(dir.join(format!("essay-{i:05}.txt")), text) {
            eprintln!("cannot write: {e}");
            std::process::exit(2);
        }
    }
    println!("{n} essays, {bytes} bytes in {}", dir.display());
}
