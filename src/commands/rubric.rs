//! `essaymark rubric ...`: run the authoring subcommand and turn its
//! result into an outcome.

use super::{load_rubric, same_file};
use crate::args::RubricCommand;
use crate::error::{CliError, Outcome};
use crate::output::AtomicFile;
use crate::rubric::{self, Rubric};
use std::io::{self, BufWriter, Write};

pub fn run(cmd: RubricCommand) -> Result<Outcome, CliError> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let outcome = match cmd {
        RubricCommand::Lint(args) => {
            if crate::commands::lint::run(&args, &mut out)? {
                Outcome::BelowThreshold
            } else {
                Outcome::Ok
            }
        }
        RubricCommand::Derive(args) => {
            run_derive(&args, &mut out)?;
            Outcome::Ok
        }
        RubricCommand::Test(args) => {
            let rubric = load_rubric(Some(&args.rubric))?;
            if crate::commands::evaluate::run(&args, &rubric, &mut out).map_err(CliError)? {
                Outcome::BelowThreshold
            } else {
                Outcome::Ok
            }
        }
        RubricCommand::Calibrate(args) => {
            let rubric = load_rubric(Some(&args.rubric))?;
            if crate::commands::calibrate::run(&args, &rubric, &mut out).map_err(CliError)? {
                Outcome::BelowThreshold
            } else {
                Outcome::Ok
            }
        }
        RubricCommand::Schema => {
            out.write_all(rubric::json_schema().as_bytes())?;
            Outcome::Ok
        }
        RubricCommand::List => {
            writeln!(out, "{:<28} {:>8} {:>6}  TITLE", "ID", "CRITERIA", "POINTS")?;
            for b in rubric::BUILTINS {
                if let Some(r) = Rubric::builtin_by_id(b.id) {
                    writeln!(
                        out,
                        "{:<28} {:>8} {:>6}  {}",
                        r.id,
                        r.criteria.len(),
                        crate::report::fmt_points(r.max_points),
                        r.title
                    )?;
                }
            }
            Outcome::Ok
        }
        RubricCommand::Show { id } => match rubric::builtin(&id) {
            Some(b) => {
                out.write_all(b.yaml.as_bytes())?;
                Outcome::Ok
            }
            None => {
                let ids: Vec<&str> = rubric::BUILTINS.iter().map(|b| b.id).collect();
                return Err(CliError(format!(
                    "no built-in rubric `{id}` (built-in: {})",
                    ids.join(", ")
                )));
            }
        },
    };
    out.flush()?;
    Ok(outcome)
}

fn run_derive(args: &crate::args::DeriveArgs, out: &mut dyn Write) -> Result<(), CliError> {
    if let Some(path) = &args.out {
        if same_file(path, &args.model) {
            return Err(CliError(format!(
                "refusing to overwrite {} with the rubric: it is the model answer",
                path.display()
            )));
        }
    }
    let draft = crate::commands::derive::run(args).map_err(CliError)?;
    match &args.out {
        Some(path) => {
            let mut file = AtomicFile::create(path)
                .map_err(|e| CliError(format!("cannot write {}: {e}", path.display())))?;
            file.write_all(draft.yaml.as_bytes())?;
            file.commit()
                .map_err(|e| CliError(format!("cannot write {}: {e}", path.display())))?;
        }
        None => out.write_all(draft.yaml.as_bytes())?,
    }
    let mut summary = format!(
        "essaymark: drafted `{}`: {} criteria in {} sections ({} scholars, {} structure checks{})",
        draft.rubric_id,
        draft.criteria,
        draft.sections,
        draft.scholars,
        draft.structure,
        if draft.lenses.is_empty() {
            String::new()
        } else {
            format!(", lens: {}", draft.lenses.join(", "))
        }
    );
    summary.push_str(&format!(
        "\nessaymark: the model answer scores {:.1} against the draft",
        draft.score
    ));
    if !draft.single_sentence.is_empty() {
        summary.push_str(&format!(
            "\nessaymark: min_hits 1 (argued once in the model): {}",
            draft.single_sentence.join(", ")
        ));
    }
    if !draft.listed.is_empty() {
        summary.push_str(&format!(
            "\nessaymark: 1 point each (the model only lists them; argue them in the model to weigh them more): {}",
            draft.listed.join(", ")
        ));
    }
    if !draft.lightest.is_empty() {
        summary.push_str(&format!(
            "\nessaymark: kept the model's 20 weightiest arguments; left out (add them back by hand if they matter): {}",
            draft.lightest.join(", ")
        ));
    }
    if !draft.misspellings.is_empty() {
        let list: Vec<String> = draft
            .misspellings
            .iter()
            .map(|m| format!("{} -> {} (line {})", m.word, m.suggestion, m.line))
            .collect();
        summary.push_str(&format!(
            "\nessaymark: likely misspellings in the model, corrected in the draft{}: {}",
            if args.report {
                ""
            } else {
                " (--report says why)"
            },
            list.join(", ")
        ));
    }
    if !draft.dropped.is_empty() {
        summary.push_str(&format!(
            "\nessaymark: dropped (the model does not meet them): {}",
            draft.dropped.join(", ")
        ));
    }
    crate::say!("{summary}");
    if args.report {
        let _ = write!(io::stderr().lock(), "\n{}", draft.report);
    }
    Ok(())
}
