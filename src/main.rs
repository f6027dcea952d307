//! The `essaymark` binary: parse arguments, run, map the outcome to an exit
//! code (0 graded and above thresholds, 1 below a threshold, 2 usage, rubric
//! or input errors).

use clap::Parser;
use essaymark::args::Cli;
use essaymark::commands;
use essaymark::error::Outcome;
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match commands::run(cli) {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::BelowThreshold) => ExitCode::from(1),
        Ok(Outcome::HelperFailed) => ExitCode::from(3),
        // The reader of the report went away (`| head -1`): it has what it
        // wanted, so no message and no failure, as with `cat` or `grep`.
        Err(_) if essaymark::output::reader_gone() => ExitCode::SUCCESS,
        Err(e) => {
            essaymark::say!("essaymark: error: {e}");
            ExitCode::from(2)
        }
    }
}
