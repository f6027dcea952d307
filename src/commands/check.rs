//! `essaymark check PATH...`: resolve the settings, find the essays, check
//! where the report may go, grade the batches and turn the result into an
//! outcome.

use super::{load_rubric, same_file};
use crate::args::{CheckArgs, ColorChoice, FeedbackFormatArg};
use crate::batch::grade::{self, Batch, Input};
use crate::batch::progress;
use crate::batch::walk::Walker;
use crate::configuration::config::{self, Config, Route};
use crate::configuration::format::{format_from_extension, OutputFormat};
use crate::configuration::settings::Layers;
use crate::error::{CliError, Outcome};
use crate::ingest::Limits;
use crate::output::AtomicFile;
use crate::report::{
    ConciseRenderer, CsvRenderer, FeedbackFormat, FeedbackRenderer, GithubRenderer, HtmlRenderer,
    JsonLinesRenderer, JsonRenderer, JunitRenderer, MarkdownRenderer, Renderer, SarifRenderer,
    TextRenderer,
};
use crate::rubric::Rubric;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Extensions of documents essaymark reads but cannot write: a report
/// under such a name would be text that no viewer opens.
const DOCUMENT_EXTENSIONS: &[&str] = &["pdf", "docx", "doc", "odt", "rtf"];

/// `--out` must name what it will hold: an extension that picks no format
/// is an error unless `--format` says what to write (a plain-text report in
/// `report.pdf` looks written and opens as a broken PDF), and a document
/// extension is an error whatever `--format` says. Devices and pipes
/// (`/dev/stdout`) have no extension and need none.
fn check_out_extension(out: &Path, format: Option<OutputFormat>) -> Result<(), CliError> {
    if std::fs::metadata(out).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return Ok(());
    }
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if let Some(e) = ext.as_deref().filter(|e| DOCUMENT_EXTENSIONS.contains(e)) {
        return Err(CliError(format!(
            "cannot write a .{e} report ({}): use .html (printable), .txt, .md, .csv or .json",
            out.display()
        )));
    }
    if format.is_none() && format_from_extension(out).is_none() {
        let what = match &ext {
            Some(e) => format!("unknown extension .{e}"),
            None => "no extension".into(),
        };
        return Err(CliError(format!(
            "--out {}: {what}; name the file .txt, .json, .jsonl, .md, .csv, .html, .sarif or .xml, or pass --format",
            out.display()
        )));
    }
    Ok(())
}

fn renderer_for(format: OutputFormat, args: &CheckArgs) -> Box<dyn Renderer> {
    match format {
        OutputFormat::Text if args.summary => Box::new(TextRenderer::summary_only()),
        OutputFormat::Text => Box::<TextRenderer>::default(),
        OutputFormat::Concise => Box::<ConciseRenderer>::default(),
        OutputFormat::Json => Box::<JsonRenderer>::default(),
        OutputFormat::Jsonl => Box::<JsonLinesRenderer>::default(),
        OutputFormat::Markdown => Box::<MarkdownRenderer>::default(),
        OutputFormat::Sarif => Box::<SarifRenderer>::default(),
        OutputFormat::Junit => Box::<JunitRenderer>::default(),
        OutputFormat::Github => Box::<GithubRenderer>::default(),
        OutputFormat::Csv => Box::new(CsvRenderer::with_bom(args.csv_bom)),
        OutputFormat::Html => Box::<HtmlRenderer>::default(),
    }
}

/// `--config FILE`, else the nearest .essaymark.yaml (none with `--no-config`).
fn load_config(args: &CheckArgs) -> Result<Option<Config>, CliError> {
    if args.no_config {
        return Ok(None);
    }
    let path = match &args.config {
        Some(p) => p.clone(),
        None => match std::env::current_dir()
            .ok()
            .and_then(|d| config::discover(&d))
        {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    crate::configuration::repo::refuse_outside_link(&path)
        .map_err(|e| CliError(format!("invalid config\n{e}")))?;
    config::load_file(&path)
        .map(Some)
        .map_err(|e| CliError(format!("invalid config\n{}", e.render())))
}

pub fn run(args: CheckArgs) -> Result<Outcome, CliError> {
    let cfg = load_config(&args)?;
    let cfg = cfg.as_ref();
    if args.paths.is_empty() && cfg.is_none_or(|c| c.essays.is_empty()) {
        return Err(CliError(
            "no essays given: pass files, folders, or - for stdin, or list them under `essays:` in .essaymark.yaml".into(),
        ));
    }
    let layers = Layers::new(args.layer()?, cfg)?;
    let format = layers.resolve(None).format;
    // The essays, each with the config group it belongs to (`None`: none):
    // the command-line paths when given, each matched against the config's
    // groups and `ignore`, else every `essays` group of the config. Runs of
    // essays in the same group become one batch, so the input order holds.
    let mut groups: Vec<(Option<usize>, Vec<Input>)> = Vec::new();
    let mut ignored = 0;
    let early_failures = if !args.paths.is_empty() {
        let walker = Walker::new(&args.glob).map_err(|e| CliError(e.to_string()))?;
        let (inputs, early_failures) = grade::collect_inputs(&args.paths, &walker);
        for input in inputs {
            let route = match (&input, cfg) {
                (Input::File(p), Some(c)) => route_path(c, p),
                _ => Route::Ungrouped,
            };
            let group = match route {
                Route::Ignored => {
                    ignored += 1;
                    continue;
                }
                Route::Group(i) => Some(i),
                Route::Ungrouped => None,
            };
            match groups.last_mut() {
                Some((g, inputs)) if *g == group => inputs.push(input),
                _ => groups.push((group, vec![input])),
            }
        }
        early_failures
    } else {
        let selection = cfg.map(crate::batch::select::select).unwrap_or_default();
        for w in &selection.warnings {
            crate::say!("essaymark: warning: {w}");
        }
        for g in selection.groups {
            groups.push((
                Some(g.group),
                g.files.into_iter().map(Input::File).collect(),
            ));
        }
        selection.skipped
    };
    let settings: Vec<_> = groups.iter().map(|(g, _)| layers.resolve(*g)).collect();
    let mut rubric_paths: Vec<Option<PathBuf>> = Vec::new();
    for s in &settings {
        if !rubric_paths.contains(&s.rubric) {
            rubric_paths.push(s.rubric.clone());
        }
    }
    let mut rubrics = rubric_paths
        .iter()
        .map(|p| load_rubric(p.as_deref()))
        .collect::<Result<Vec<Rubric>, CliError>>()?;
    if args.no_meaning || args.meaning {
        for r in &mut rubrics {
            r.meaning.enabled = args.meaning;
        }
    }
    let batches: Vec<Batch> = groups
        .iter()
        .zip(&settings)
        .map(|((_, inputs), s)| Batch {
            rubric: &rubrics[rubric_paths
                .iter()
                .position(|x| *x == s.rubric)
                .unwrap_or(0)],
            inputs,
            thresholds: &s.thresholds,
        })
        .collect();
    if let Some(out) = &args.out {
        let protected = groups
            .iter()
            .flat_map(|(_, inputs)| inputs)
            .filter_map(|i| match i {
                Input::File(p) => Some(p.as_path()),
                Input::Stdin => None,
            })
            .chain(rubric_paths.iter().flatten().map(PathBuf::as_path))
            .chain(cfg.map(|c| c.file.as_path()));
        let stdin_read = groups
            .iter()
            .flat_map(|(_, inputs)| inputs)
            .any(|i| matches!(i, Input::Stdin));
        if stdin_read && crate::output::stdin_is(out) {
            return Err(CliError(format!(
                "refusing to overwrite {} with the report: it is an input (standard input)",
                out.display()
            )));
        }
        for p in protected {
            if same_file(out, p) {
                return Err(CliError(format!(
                    "refusing to overwrite {} with the report: it is an input",
                    out.display()
                )));
            }
        }
        check_out_extension(out, args.format)?;
        // An essay the walk or `--glob` left out is still a student's work:
        // only a file essaymark wrote (it carries the report marker) may be
        // replaced under an essay's extension.
        if std::fs::symlink_metadata(out).is_ok_and(|m| m.is_file())
            && crate::batch::walk::classify(out) == crate::batch::walk::Classified::Essay
            && !crate::output::written_by_essaymark(out)
        {
            return Err(CliError(format!(
                "refusing to overwrite {}: it looks like an essay, not a report essaymark wrote (remove it or choose another name)",
                out.display()
            )));
        }
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.out.is_none()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && io::stdout().is_terminal()
        }
    };
    colored::control::set_override(color && format == OutputFormat::Text);
    if args.summary && format != OutputFormat::Text {
        return Err(CliError(format!(
            "--summary prints the text format's class table; it does not go with --format {}",
            clap::ValueEnum::to_possible_value(&format)
                .map_or("?".into(), |v| v.get_name().to_string())
        )));
    }

    let root = std::env::current_dir()
        .ok()
        .and_then(|cwd| crate::configuration::repo::root(&cwd, cfg.map(|c| c.dir.as_path())));
    let mut renderer = renderer_for(format, &args);
    if let Some(dir) = &args.feedback {
        if std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(CliError(format!(
                "--feedback {}: a symbolic link; essaymark does not write through links (name the real folder)",
                dir.display()
            )));
        }
        if dir.exists() && !dir.is_dir() {
            return Err(CliError(format!(
                "--feedback {}: not a folder",
                dir.display()
            )));
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError(format!("cannot create {}: {e}", dir.display())))?;
        let inputs: Vec<PathBuf> = groups
            .iter()
            .flat_map(|(_, inputs)| inputs)
            .filter_map(|i| match i {
                Input::File(p) => Some(p.clone()),
                Input::Stdin => None,
            })
            .chain(rubric_paths.iter().flatten().cloned())
            .chain(cfg.map(|c| c.file.clone()))
            .collect();
        let format = match args.feedback_format {
            FeedbackFormatArg::Html => FeedbackFormat::Html,
            FeedbackFormatArg::Md => FeedbackFormat::Markdown,
        };
        let mut feedback = FeedbackRenderer::new(renderer, dir, format, &inputs);
        if let Some(out) = &args.out {
            feedback.reserve(out);
        }
        renderer = Box::new(feedback);
    }
    let limits = Limits::default();
    let bar = progress::bar(batches.iter().map(|b| b.inputs.len()).sum(), args.quiet);
    let tick = |n: usize| bar.inc(n as u64);
    let run = |w: &mut dyn Write| {
        let outcome = grade::run_batches(
            &batches,
            early_failures,
            &limits,
            root.as_deref(),
            Some(layers.resolve(None).similarity),
            renderer.as_mut(),
            w,
            tick,
        )?;
        // Saved into the class folder, the report must not be graded next
        // time (nor refused as an input): the walk recognises this line. A
        // text report gets it only in a file: .txt is an essay format.
        if format == OutputFormat::Markdown || (format == OutputFormat::Text && args.out.is_some())
        {
            writeln!(w, "\n{}", crate::output::REPORT_MARKER)?;
        }
        Ok::<_, io::Error>(outcome)
    };
    let outcome = match &args.out {
        Some(path) => {
            let file = AtomicFile::create(path)
                .map_err(|e| CliError(format!("cannot write {}: {e}", path.display())))?;
            let mut w = BufWriter::new(file);
            let outcome = run(&mut w)?;
            let file = w.into_inner().map_err(|e| CliError(e.to_string()))?;
            // A run that graded nothing ends in an error: the previous
            // report stays (dropping `file` removes the temporary file).
            if outcome.summary.essays > 0 {
                file.commit()
                    .map_err(|e| CliError(format!("cannot write {}: {e}", path.display())))?;
            }
            outcome
        }
        None => {
            let stdout = io::stdout();
            let mut w = BufWriter::new(progress::Suspending::new(&bar, stdout.lock()));
            let outcome = run(&mut w)?;
            w.flush()?;
            outcome
        }
    };
    bar.finish_and_clear();
    let graded = outcome.summary.essays;
    if let Some(dir) = &args.feedback {
        if graded > 0 {
            crate::say!(
                "essaymark: wrote feedback for {graded} student(s) to {}",
                dir.display()
            );
        }
    }
    // Only ignored files given (a pre-commit hook on a draft): nothing to
    // check, which is a pass.
    if graded == 0 && ignored > 0 && outcome.summary.failed == 0 {
        return Ok(Outcome::Ok);
    }
    if graded == 0 {
        let reasons: Vec<String> = outcome
            .summary
            .failures
            .iter()
            .map(|f| format!("{}: {}", f.essay, f.error))
            .collect();
        return Err(CliError(match reasons.as_slice() {
            [] => "no essays found to grade (supported: .txt, .text, .md, .markdown, .docx, .odt, .pdf)"
                .into(),
            // One input that failed: one line naming it and the reason.
            [one] => one.clone(),
            _ => format!("nothing could be graded\n{}", reasons.join("\n")),
        }));
    }
    // A CSV row's status or an HTML line is easily missed in a file that
    // may be mailed unread: say what was skipped where the teacher running
    // the command sees it.
    if matches!(format, OutputFormat::Csv | OutputFormat::Html) {
        for f in &outcome.summary.failures {
            crate::say!("essaymark: skipped {}: {}", f.essay, f.error);
        }
    }
    if !args.allow_ungraded && outcome.summary.failed > 0 {
        return Err(CliError(format!(
            "{} input(s) could not be graded (listed in the report; --allow-ungraded to exit 0 anyway)",
            outcome.summary.failed
        )));
    }
    if outcome.failing > 0 {
        return Ok(Outcome::BelowThreshold);
    }
    Ok(Outcome::Ok)
}

/// Where the config puts a path given on the command line; an ignored one
/// gets a note on stderr (like ruff's `--force-exclude` or typos, a config's
/// `ignore` holds for explicit paths, so a pre-commit hook cannot undo it).
fn route_path(c: &Config, path: &Path) -> Route {
    let Some(rel) = crate::configuration::repo::relative(path, &c.dir) else {
        return Route::Ungrouped;
    };
    let route = c.route(&rel);
    if route == Route::Ignored {
        crate::say!(
            "essaymark: note: skipping {}: ignored by {} (`{}`)",
            path.display(),
            c.file.display(),
            c.ignored_by(&rel).unwrap_or("ignore")
        );
    }
    route
}
