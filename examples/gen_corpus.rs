//! Deterministic benchmark corpus: `cargo run --release --example gen_corpus -- DIR N WORDS`
//! writes N essays of about WORDS words each (see `essaymark::corpus`).
//! Same arguments, same bytes.

use essaymark::corpus::{essay, Lcg};
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: gen_corpus DIR N WORDS");
        std::process::exit(2);
    }
    let dir = PathBuf::from(&args[1]);
    let (Ok(n), Ok(words)) = (args[2].parse::<usize>(), args[3].parse::<usize>()) else {
        eprintln!("N and WORDS must be whole numbers");
        std::process::exit(2);
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        std::process::exit(2);
    }
    let mut rng = Lcg(42);
    let mut bytes = 0;
    for i in 0..n {
        let text = essay(&mut rng, words);
        bytes += text.len();
        if let Err(e) = std::fs::write(dir.join(format!("essay-{i:05}.txt")), text) {
            eprintln!("cannot write: {e}");
            std::process::exit(2);
        }
    }
    println!("{n} essays, {bytes} bytes in {}", dir.display());
}
