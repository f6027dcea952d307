//! The commands, one module each: parse their settings, call the engine,
//! render. [`run`] dispatches the parsed command line ([`crate::args`]);
//! commands do not import each other.

pub mod calibrate;
pub mod check;
pub mod derive;
pub mod evaluate;
pub mod explain;
pub mod lint;
pub mod rubric;

use crate::args::{Cli, Command};
use crate::error::{CliError, Outcome};
use crate::rubric::Rubric;
use clap::CommandFactory;
use std::io::{self, BufWriter, Write};
use std::path::Path;

pub fn run(cli: Cli) -> Result<Outcome, CliError> {
    match cli.command {
        Command::Check(args) => {
            // PDFs are read in a bounded child process of this binary.
            if let Ok(exe) = std::env::current_exe() {
                crate::ingest::pdf::use_helper_process(exe);
            }
            check::run(args)
        }
        Command::PdfText => Ok(match crate::ingest::pdf::helper_main() {
            0 => Outcome::Ok,
            _ => Outcome::HelperFailed,
        }),
        Command::Completions { shell } => {
            // Generated into memory: `generate` panics when stdout fails.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "essaymark", &mut script);
            io::stdout().lock().write_all(&script)?;
            Ok(Outcome::Ok)
        }
        Command::Rubric(cmd) => rubric::run(cmd),
        Command::Explain(args) => {
            let mut rubric = load_rubric(args.rubric.as_deref())?;
            if args.no_meaning {
                rubric.meaning.enabled = false;
            }
            if args.meaning {
                rubric.meaning.enabled = true;
            }
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            crate::commands::explain::run(&args, &rubric, &mut out).map_err(CliError)?;
            out.flush()?;
            Ok(Outcome::Ok)
        }
    }
}

/// Load `--rubric`: a file, or the id of a built-in rubric (a file that
/// exists wins, so a local `climate-economy` file is never shadowed); the
/// default built-in rubric when none is given.
pub fn load_rubric(path: Option<&Path>) -> Result<Rubric, CliError> {
    match path {
        None => Ok(Rubric::builtin()),
        Some(p) if !p.exists() => match p.to_str().and_then(Rubric::builtin_by_id) {
            Some(r) => Ok(r),
            None => {
                let ids: Vec<&str> = crate::rubric::BUILTINS.iter().map(|b| b.id).collect();
                Err(CliError(format!(
                    "no rubric file {} and no built-in rubric with that id (built-in: {})",
                    p.display(),
                    ids.join(", ")
                )))
            }
        },
        Some(p) => {
            crate::configuration::repo::refuse_outside_link(p)
                .map_err(|e| CliError(format!("invalid rubric\n{e}")))?;
            load_rubric_file(p)
        }
    }
}

fn load_rubric_file(p: &Path) -> Result<Rubric, CliError> {
    crate::rubric::load_file(p).map_err(|e| {
        let rendered: Vec<String> = e.0.iter().map(|x| x.render_snippet()).collect();
        CliError(format!("invalid rubric\n{}", rendered.join("\n")))
    })
}

/// Whether two paths name the same existing file.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
