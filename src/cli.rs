//! Command-line interface: argument definitions (clap) and the commands they
//! run. `main.rs` only parses and maps the result to an exit code.

use crate::check::{self, Input, Thresholds};
use crate::ingest::Limits;
use crate::report::{JsonLinesRenderer, JsonRenderer, MarkdownRenderer, Renderer, TextRenderer};
use crate::rubric::{self, Rubric};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(name = "essaymark", version, about = "Grade essays against a YAML rubric: a scored coverage report with evidence and the missing arguments.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Grade essays (files, folders, or - for stdin) against a rubric.
    Check(CheckArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Jsonl,
    Markdown,
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
    /// Rubric YAML file (default: the built-in rubric).
    #[arg(long, short)]
    pub rubric: Option<PathBuf>,
    /// Output format (default: text, or picked from --out's extension).
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
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything graded and every threshold met.
    Ok,
    /// Graded, but some essay is below a threshold.
    BelowThreshold,
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
        CliError(e.to_string())
    }
}

pub fn run(cli: Cli) -> Result<Outcome, CliError> {
    match cli.command {
        Command::Check(args) => run_check(args),
    }
}

/// Load `--rubric`, or the built-in rubric.
pub fn load_rubric(path: Option<&Path>) -> Result<Rubric, CliError> {
    match path {
        None => Ok(Rubric::builtin()),
        Some(p) => rubric::load_file(p).map_err(|e| {
            let rendered: Vec<String> = e.0.iter().map(|x| x.render_snippet()).collect();
            CliError(format!("invalid rubric\n{}", rendered.join("\n")))
        }),
    }
}

fn format_from_extension(path: &Path) -> Option<OutputFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "json" => Some(OutputFormat::Json),
        "jsonl" | "ndjson" => Some(OutputFormat::Jsonl),
        "md" | "markdown" => Some(OutputFormat::Markdown),
        "txt" => Some(OutputFormat::Text),
        _ => None,
    }
}

fn renderer_for(format: OutputFormat) -> Box<dyn Renderer> {
    match format {
        OutputFormat::Text => Box::<TextRenderer>::default(),
        OutputFormat::Json => Box::<JsonRenderer>::default(),
        OutputFormat::Jsonl => Box::<JsonLinesRenderer>::default(),
        OutputFormat::Markdown => Box::<MarkdownRenderer>::default(),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn run_check(args: CheckArgs) -> Result<Outcome, CliError> {
    if args.paths.is_empty() {
        return Err(CliError("no essays given: pass files, folders, or - for stdin".into()));
    }
    if let Some(t) = args.fail_under {
        if !(0.0..=100.0).contains(&t) {
            return Err(CliError(format!("--fail-under must be between 0 and 100 (got {t})")));
        }
    }
    let rubric = load_rubric(args.rubric.as_deref())?;
    let format = args
        .format
        .or_else(|| args.out.as_deref().and_then(format_from_extension))
        .unwrap_or(OutputFormat::Text);
    let (inputs, early_failures) = check::collect_inputs(&args.paths);
    if let Some(out) = &args.out {
        let protected = inputs
            .iter()
            .filter_map(|i| match i {
                Input::File(p) => Some(p.as_path()),
                Input::Stdin => None,
            })
            .chain(args.rubric.as_deref());
        for p in protected {
            if same_file(out, p) {
                return Err(CliError(format!("refusing to overwrite {} with the report: it is an input", out.display())));
            }
        }
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.out.is_none() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    };
    colored::control::set_override(color && format == OutputFormat::Text);

    let thresholds = Thresholds {
        fail_under: args.fail_under,
        max_missing_required: args.max_missing_required,
    };
    let mut renderer = renderer_for(format);
    let limits = Limits::default();
    let outcome = match &args.out {
        Some(path) => {
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let tmp = tempfile::NamedTempFile::new_in(&dir)
                .map_err(|e| CliError(format!("cannot write {}: {e}", path.display())))?;
            let mut w = BufWriter::new(tmp);
            let outcome = check::run(&rubric, &inputs, early_failures, &limits, thresholds, renderer.as_mut(), &mut w, |_| {})?;
            let tmp = w.into_inner().map_err(|e| CliError(e.to_string()))?;
            tmp.as_file().sync_all()?;
            tmp.persist(path).map_err(|e| CliError(format!("cannot write {}: {}", path.display(), e.error)))?;
            outcome
        }
        None => {
            let stdout = io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            let outcome = check::run(&rubric, &inputs, early_failures, &limits, thresholds, renderer.as_mut(), &mut w, |_| {})?;
            w.flush()?;
            outcome
        }
    };
    let graded = outcome.summary.essays;
    if graded == 0 {
        let reasons: Vec<String> = outcome.summary.failures.iter().map(|f| format!("{}: {}", f.essay, f.error)).collect();
        return Err(CliError(if reasons.is_empty() {
            "no essays found to grade (supported: .txt, .text, .md, .markdown, .docx, .odt)".into()
        } else {
            format!("nothing could be graded\n{}", reasons.join("\n"))
        }));
    }
    if args.strict && outcome.summary.failed > 0 {
        return Err(CliError(format!("{} input(s) could not be graded (--strict)", outcome.summary.failed)));
    }
    if outcome.failing > 0 {
        return Ok(Outcome::BelowThreshold);
    }
    Ok(Outcome::Ok)
}
