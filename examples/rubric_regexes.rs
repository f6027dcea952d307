//! Print a rubric's phrases as regular expressions, one per line, for
//! `rg --count-matches -i -f FILE` baselines in BENCHMARKS.md:
//! `cargo run --release --example rubric_regexes [-- [--fixed] RUBRIC.yaml] > phrases.txt`.
//! With `--fixed`, the phrases as written (wildcard stars removed), for
//! `rg -F`: a lower bound that does less work than essaymark (no
//! inflections, no word boundaries, no wildcards).

use essaymark::rubric::{load_file, Rubric};
use std::path::Path;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let fixed = args.first().is_some_and(|a| a == "--fixed");
    if fixed {
        args.remove(0);
    }
    let rubric = match args.first() {
        None => Rubric::builtin(),
        Some(p) => match load_file(Path::new(&p)) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        },
    };
    if fixed {
        for id in 0..rubric.phrases.phrase_count() {
            println!("{}", rubric.phrases.phrase_text(id).replace('*', ""));
        }
    } else {
        for r in rubric.phrases.as_regexes() {
            println!("{r}");
        }
    }
}
