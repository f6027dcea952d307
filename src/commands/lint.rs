//! `essaymark rubric lint FILE...`: the command's arguments and output; the
//! findings are the engine's ([`essaymark_core::rubric::lint`]).

use crate::args::{LintArgs, LintFormat};
use essaymark_core::rubric::lint::{lint_path, FileLint};
use serde::Serialize;
use std::io::{self, Write};

/// Lint every file and print the findings; `true` when the run should fail
/// (errors, or warnings with `--deny-warnings`).
pub fn run(args: &LintArgs, out: &mut dyn Write) -> io::Result<bool> {
    let results: Vec<FileLint> = args.files.iter().map(|p| lint_path(p)).collect();
    let errors: usize = results.iter().map(|r| r.errors).sum();
    let warnings: usize = results.iter().map(|r| r.warnings).sum();
    match args.format {
        LintFormat::Json => {
            #[derive(Serialize)]
            struct Doc<'a> {
                version: u32,
                files: &'a [FileLint],
                errors: usize,
                warnings: usize,
            }
            let doc = Doc {
                version: 1,
                files: &results,
                errors,
                warnings,
            };
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
        LintFormat::Text => {
            for r in &results {
                for f in &r.findings {
                    writeln!(out, "{}\n", f.render())?;
                }
                writeln!(out, "{}: {}", r.file, counts(r.errors, r.warnings))?;
            }
        }
    }
    Ok(errors > 0 || (args.deny_warnings && warnings > 0))
}

fn counts(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => "ok".into(),
        _ => format!(
            "{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        ),
    }
}
