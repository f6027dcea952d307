//! Command-line interface: argument definitions (clap) and the commands they
//! run. `main.rs` only parses and maps the result to an exit code.

pub mod calibrate;
pub mod derive;
pub mod evaluate;
pub mod explain;
pub mod lint;

use crate::batch::grade::{self, Batch, Input};
use crate::batch::progress;
use crate::batch::walk::Walker;
use crate::configuration::config::{self, Config, Route};
use crate::configuration::settings::Layers;
use crate::ingest::Limits;
use crate::output::AtomicFile;
use crate::report::{
    CsvRenderer, FeedbackFormat, FeedbackRenderer, GithubRenderer, HtmlRenderer, JsonLinesRenderer,
    JsonRenderer, JunitRenderer, MarkdownRenderer, Renderer, SarifRenderer, TextRenderer,
};
use crate::rubric::{self, Rubric};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(
    name = "essaymark",
    version,
    about = "Grade essays against a YAML rubric: a scored coverage report with evidence and the missing arguments."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Grade essays (files, folders, or - for stdin) against a rubric.
    // A repeated flag overrides the earlier one, so `args:` in a pre-commit
    // hook can change the hook's `--fail-under`.
    #[command(args_override_self = true)]
    Check(CheckArgs),
    /// Print a shell completion script (e.g. `essaymark completions bash`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write and check rubrics: derive, lint, test, calibrate, schema, list, show.
    #[command(subcommand)]
    Rubric(RubricCommand),
    /// Why a criterion got its points: each phrase tried, where it hit, the
    /// scope and depth rules that applied, and near misses.
    Explain(crate::commands::explain::ExplainArgs),
    /// Internal: read a PDF from stdin in a memory-capped process and
    /// write its text to stdout (run by `check` for each PDF).
    #[command(name = "__pdf-text", hide = true)]
    PdfText,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Jsonl,
    Markdown,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML, for CI test reports.
    Junit,
    /// GitHub Actions annotations (and a job summary).
    Github,
    /// One row per essay, for spreadsheets.
    Csv,
    /// One self-contained HTML class report.
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Essay files (.txt, .md, .docx, .odt), folders (graded recursively, in
    /// sorted order), or - to read an essay from stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Rubric YAML file, or a built-in rubric's id (`essaymark rubric
    /// list`); default: the built-in pakistan-western-security rubric.
    #[arg(long, short)]
    pub rubric: Option<PathBuf>,
    /// Output format (default: picked from --out's extension, else the
    /// config's `format`, else text).
    #[arg(long, short, value_enum)]
    pub format: Option<OutputFormat>,
    /// Exit with 1 when an essay scores below N (0-100).
    #[arg(long, value_name = "N")]
    pub fail_under: Option<f64>,
    /// Exit with 1 when an essay misses more than N required criteria.
    #[arg(long, value_name = "N")]
    pub max_missing_required: Option<usize>,
    /// Write the report to FILE (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// When to use colour in text output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Exit with 2 when any input could not be graded.
    #[arg(long)]
    pub strict: bool,
    /// Config file (default: .essaymark.yaml in this folder or the nearest
    /// one above it).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any .essaymark.yaml.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Only grade files in folders matching GLOB (gitignore syntax; `!GLOB`
    /// excludes). Repeatable. Never brings back ignored or hidden files.
    #[arg(long, short, value_name = "GLOB")]
    pub glob: Vec<String>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Also write each student's own report into DIR (created if missing):
    /// one file per submission, named after it, to hand back.
    #[arg(long, value_name = "DIR")]
    pub feedback: Option<PathBuf>,
    /// Format of the --feedback files.
    #[arg(long, value_enum, default_value = "html", requires = "feedback")]
    pub feedback_format: FeedbackFormatArg,
    /// In a batch, list the pairs of submissions sharing at least this
    /// share of their 5-word sequences (0-1, or a percentage such as 50%;
    /// quotations, the question and the class's common phrasing left out).
    /// 0 switches the comparison off. Default: the config file's
    /// `similarity`, else 0.5 (see `settings`).
    #[arg(long, value_name = "THRESHOLD", value_parser = parse_similarity, allow_negative_numbers = true)]
    pub similarity: Option<f64>,
    /// Do not compare the submissions with each other.
    #[arg(long)]
    pub no_similarity: bool,
}

/// `--similarity`: a share from 0 to 1, or a percentage ("50%").
fn parse_similarity(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let (number, scale) = match t.strip_suffix('%') {
        Some(p) => (p.trim(), 100.0),
        None => (t, 1.0),
    };
    match number.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=scale).contains(&v) => Ok(v / scale),
        _ => Err(format!(
            "{s:?} is not a similarity: give a share from 0 to 1 (0.5) or a percentage (50%); 0 switches it off"
        )),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FeedbackFormatArg {
    /// A self-contained web page per student (prints well).
    Html,
    /// A Markdown file per student.
    Md,
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything graded and every threshold met.
    Ok,
    /// Graded, but some essay is below a threshold.
    BelowThreshold,
    /// The internal PDF reader could not read its input (exit 3; its
    /// message is on stderr).
    HelperFailed,
}

/// A failure that ends the command with exit code 2.
#[derive(Debug)]
pub struct CliError(pub String);

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> Self {
        // Only the report stream reaches here unwrapped: a closed pipe on it
        // ends the run quietly (see `output::reader_gone`).
        crate::output::note_write_error(&e);
        CliError(e.to_string())
    }
}

pub fn run(cli: Cli) -> Result<Outcome, CliError> {
    match cli.command {
        Command::Check(args) => {
            // PDFs are read in a bounded child process of this binary.
            if let Ok(exe) = std::env::current_exe() {
                crate::ingest::pdf::use_helper_process(exe);
            }
            run_check(args)
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
        Command::Rubric(cmd) => run_rubric(cmd),
        Command::Explain(args) => {
            let rubric = load_rubric(args.rubric.as_deref())?;
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
                let ids: Vec<&str> = rubric::BUILTINS.iter().map(|b| b.id).collect();
                Err(CliError(format!(
                    "no rubric file {} and no built-in rubric with that id (built-in: {})",
                    p.display(),
                    ids.join(", ")
                )))
            }
        },
        Some(p) => rubric::load_file(p).map_err(|e| {
            let rendered: Vec<String> = e.0.iter().map(|x| x.render_snippet()).collect();
            CliError(format!("invalid rubric\n{}", rendered.join("\n")))
        }),
    }
}

pub(crate) fn format_from_extension(path: &Path) -> Option<OutputFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "json" => Some(OutputFormat::Json),
        "jsonl" | "ndjson" => Some(OutputFormat::Jsonl),
        "md" | "markdown" => Some(OutputFormat::Markdown),
        "txt" => Some(OutputFormat::Text),
        "sarif" => Some(OutputFormat::Sarif),
        "xml" => Some(OutputFormat::Junit),
        "csv" => Some(OutputFormat::Csv),
        "html" | "htm" => Some(OutputFormat::Html),
        _ => None,
    }
}

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

fn renderer_for(format: OutputFormat) -> Box<dyn Renderer> {
    match format {
        OutputFormat::Text => Box::<TextRenderer>::default(),
        OutputFormat::Json => Box::<JsonRenderer>::default(),
        OutputFormat::Jsonl => Box::<JsonLinesRenderer>::default(),
        OutputFormat::Markdown => Box::<MarkdownRenderer>::default(),
        OutputFormat::Sarif => Box::<SarifRenderer>::default(),
        OutputFormat::Junit => Box::<JunitRenderer>::default(),
        OutputFormat::Github => Box::<GithubRenderer>::default(),
        OutputFormat::Csv => Box::<CsvRenderer>::default(),
        OutputFormat::Html => Box::<HtmlRenderer>::default(),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
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
    config::load_file(&path)
        .map(Some)
        .map_err(|e| CliError(format!("invalid config\n{}", e.render())))
}

fn run_check(args: CheckArgs) -> Result<Outcome, CliError> {
    let cfg = load_config(&args)?;
    let cfg = cfg.as_ref();
    if args.paths.is_empty() && cfg.is_none_or(|c| c.essays.is_empty()) {
        return Err(CliError(
            "no essays given: pass files, folders, or - for stdin, or list them under `essays:` in .essaymark.yaml".into(),
        ));
    }
    let layers = Layers::new(&args, cfg)?;
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
        let selection = cfg.map(Config::select).unwrap_or_default();
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
    let rubrics = rubric_paths
        .iter()
        .map(|p| load_rubric(p.as_deref()))
        .collect::<Result<Vec<Rubric>, CliError>>()?;
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

    let root = std::env::current_dir()
        .ok()
        .and_then(|cwd| crate::configuration::repo::root(&cwd, cfg.map(|c| c.dir.as_path())));
    let mut renderer = renderer_for(format);
    if let Some(dir) = &args.feedback {
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
        renderer = Box::new(FeedbackRenderer::new(renderer, dir, format, &inputs));
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
    if args.strict && outcome.summary.failed > 0 {
        return Err(CliError(format!(
            "{} input(s) could not be graded (--strict)",
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

// Rubric authoring commands. Each lives in its own module; this block only
// names them and turns their results into an exit code.

#[derive(Debug, Subcommand)]
pub enum RubricCommand {
    /// Check rubric files: every load error, plus warnings (overlapping or
    /// unmatchable phrases, stop words, empty regexes, missing feedback).
    /// Exit 1 on errors (or on warnings with --deny-warnings).
    Lint(crate::commands::lint::LintArgs),
    /// Draft a complete rubric from a model answer: its headings become
    /// sections, its arguments criteria, its cited people scholars.
    Derive(crate::commands::derive::DeriveArgs),
    /// Run a rubric over labelled essays: precision and recall per
    /// criterion, with the false hits and misses quoted. With
    /// --adversarial --model MODEL: grade texts built from the model answer
    /// to game the rubric (keyword list, filler, outline, shuffled, negated,
    /// off-topic padding, question restated) beside the model.
    Test(crate::commands::evaluate::TestArgs),
    /// Compare a teacher's marks (CSV: file,score) with essaymark's: kappa
    /// on bands, agreement, correlations, bias, largest disagreements.
    Calibrate(crate::commands::calibrate::CalibrateArgs),
    /// Print the JSON Schema of the rubric format (for editors).
    Schema,
    /// List the built-in rubrics.
    List,
    /// Print a built-in rubric's YAML (a starting point for your own).
    Show {
        /// The rubric's id (see `essaymark rubric list`).
        id: String,
    },
}

fn run_rubric(cmd: RubricCommand) -> Result<Outcome, CliError> {
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

fn run_derive(
    args: &crate::commands::derive::DeriveArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
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
