//! The command line: every subcommand's arguments (clap). Parsing only; the
//! commands that run them are in `commands`, the settings they feed in
//! `configuration`.

use crate::configuration::format::{format_from_extension, OutputFormat};
use crate::configuration::settings::Layer;
use crate::configuration::thresholds::Limit;
use crate::error::CliError;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

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
    Explain(ExplainArgs),
    /// Internal: read a PDF from stdin in a memory-capped process and
    /// write its text to stdout (run by `check` for each PDF).
    #[command(name = "__pdf-text", hide = true)]
    PdfText,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Essay files (.txt, .md, .docx, .odt, .pdf with a text layer), folders
    /// (graded recursively, in sorted order), or - to read an essay from
    /// stdin.
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
    /// Exit 0 (or 1 below a threshold) even when some inputs could not be
    /// graded (unreadable, empty, a legacy .doc); they are still listed in
    /// the report. Without it such a batch exits 2 once the report is
    /// written, so CI never passes an essay it did not read.
    #[arg(long)]
    pub allow_ungraded: bool,
    /// Accepted for old scripts: exiting 2 on an ungraded input is the
    /// default now.
    #[arg(long, hide = true, conflicts_with = "allow_ungraded")]
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
    /// 0 switches the comparison off. Default: the `similarity` key of
    /// .essaymark.yaml, else 0.5.
    #[arg(long, value_name = "THRESHOLD", value_parser = parse_similarity, allow_negative_numbers = true)]
    pub similarity: Option<f64>,
    /// Do not compare the submissions with each other.
    #[arg(long)]
    pub no_similarity: bool,
    /// Evidence from phrases only: do not propose sentences that resemble a
    /// criterion's `examples` (the meaning stage; a rubric can also switch
    /// it off with `settings.meaning: false`).
    #[arg(long)]
    pub no_meaning: bool,
    /// Run the meaning stage even where the rubric switches it off
    /// (`settings.meaning: false`, as the built-in rubrics do: it costs
    /// about three times the CPU for a small gain in recall).
    #[arg(long, conflicts_with = "no_meaning")]
    pub meaning: bool,
    /// Start a CSV report with a UTF-8 byte order mark, so that Excel
    /// shows Urdu, Arabic and accented names correctly (other spreadsheets
    /// do not need it).
    #[arg(long)]
    pub csv_bom: bool,
    /// Print only the class table (score, band, missing criteria and the
    /// check per essay) and the class statistics: the text format's last
    /// part, for a folder.
    #[arg(long)]
    pub summary: bool,
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

// Rubric authoring commands. Each lives in its own module under
// `commands`; this enum only names them.

#[derive(Debug, Subcommand)]
pub enum RubricCommand {
    /// Check rubric files: every load error, plus warnings (overlapping or
    /// unmatchable phrases, stop words, empty regexes, missing feedback).
    /// Exit 1 on errors (or on warnings with --deny-warnings).
    Lint(LintArgs),
    /// Draft a complete rubric from a model answer: its headings become
    /// sections, its arguments criteria, its cited people scholars.
    Derive(DeriveArgs),
    /// Run a rubric over labelled essays: precision and recall per
    /// criterion, with the false hits and misses quoted. With
    /// --adversarial --model MODEL: grade texts built from the model answer
    /// to game the rubric (keyword list, filler, outline, shuffled, negated,
    /// off-topic padding, question restated) beside the model.
    Test(TestArgs),
    /// Compare a teacher's marks (CSV: file,score) with essaymark's: kappa
    /// on bands, agreement, correlations, bias, largest disagreements.
    Calibrate(CalibrateArgs),
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

// `essaymark explain`

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The essay (.txt, .md, .docx, .odt).
    #[arg(value_name = "ESSAY")]
    pub essay: std::path::PathBuf,
    /// The criterion to explain (its id in the rubric).
    #[arg(long, short, value_name = "ID")]
    pub criterion: String,
    /// Rubric YAML file or built-in id (default: the built-in rubric).
    #[arg(long, short)]
    pub rubric: Option<std::path::PathBuf>,
    #[arg(long, short, value_enum, default_value = "text")]
    pub format: ExplainFormat,
    /// Explain the grade without the meaning stage (as `check --no-meaning`).
    #[arg(long)]
    pub no_meaning: bool,
    /// Explain the grade with the meaning stage on (as `check --meaning`).
    #[arg(long, conflicts_with = "no_meaning")]
    pub meaning: bool,
}

// `rubric test`

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Rubric YAML file or built-in id.
    #[arg(value_name = "FILE")]
    pub rubric: std::path::PathBuf,
    /// Folder of labelled essays.
    #[arg(long, value_name = "DIR", required_unless_present = "adversarial")]
    pub essays: Option<std::path::PathBuf>,
    /// Labels (YAML: `essays: {FILE: {present: [ids], developed: [ids], mark: N}}`).
    #[arg(long, value_name = "FILE", required_unless_present = "adversarial")]
    pub labels: Option<std::path::PathBuf>,
    #[arg(long, short, value_enum, default_value = "text")]
    pub format: TestFormat,
    /// Exit with 1 when presence precision is below P (0-1).
    #[arg(long, value_name = "P", conflicts_with = "adversarial")]
    pub min_precision: Option<f64>,
    /// Exit with 1 when presence recall is below R (0-1).
    #[arg(long, value_name = "R", conflicts_with = "adversarial")]
    pub min_recall: Option<f64>,
    /// Instead of labelled essays, attack the rubric with texts generated
    /// from --model (keyword list, keyword filler, outline only, shuffled,
    /// negated, off-topic padding, question restated) and grade each.
    #[arg(long, requires = "model", conflicts_with_all = ["essays", "labels"])]
    pub adversarial: bool,
    /// The model answer the attacks are generated from (.txt, .md, .docx, .odt).
    #[arg(long, value_name = "FILE", requires = "adversarial")]
    pub model: Option<std::path::PathBuf>,
    /// With --adversarial: exit with 1 when an attack that argues nothing
    /// (keyword list, filler, outline, negated, question restated) scores
    /// above N out of 100.
    #[arg(long, value_name = "N", default_value_t = 30.0, value_parser = score_0_100)]
    pub max_attack_score: f64,
    /// With --adversarial: exit with 1 when the model's own sentences
    /// shuffled or padded with off-topic text score above F times the
    /// model's score (0-1).
    #[arg(long, value_name = "F", default_value_t = 0.9, value_parser = fraction_0_1)]
    pub max_attack_fraction: f64,
}

fn score_0_100(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(v),
        _ => Err(format!("`{s}` is not a score from 0 to 100")),
    }
}

fn fraction_0_1(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("`{s}` is not a fraction from 0 to 1")),
    }
}

// `rubric calibrate`

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CalibrateFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// Rubric YAML file or built-in id.
    #[arg(value_name = "FILE")]
    pub rubric: PathBuf,
    /// Folder the essays in the CSV are named relative to.
    #[arg(long, value_name = "DIR")]
    pub essays: PathBuf,
    /// The teacher's marks: CSV rows `file,score` (a header row is fine).
    #[arg(long, value_name = "SCORES.csv")]
    pub scores: PathBuf,
    /// The teacher's scale: marks out of N (scaled to 0-100).
    #[arg(long, value_name = "N", default_value = "100")]
    pub out_of: f64,
    /// Disagreements listed.
    #[arg(long, value_name = "N", default_value = "5")]
    pub top: usize,
    #[arg(long, short, value_enum, default_value = "text")]
    pub format: CalibrateFormat,
    /// Exit with 1 when the kappa is below K (or undefined).
    #[arg(long, value_name = "K")]
    pub min_kappa: Option<f64>,
}

// `rubric lint`

/// Output format of `rubric lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Rubric files (or built-in rubric ids) to check.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<std::path::PathBuf>,
    #[arg(long, short, value_enum, default_value = "text")]
    pub format: LintFormat,
    /// Exit with 1 on warnings too, not only on errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

// `rubric derive`

/// Output of `rubric derive`.
#[derive(Debug, Args)]
pub struct DeriveArgs {
    /// The model answer (.txt, .md, .docx, .odt).
    #[arg(value_name = "MODEL_ESSAY")]
    pub model: std::path::PathBuf,
    /// The rubric's id (default: from the model's title).
    #[arg(long)]
    pub id: Option<String>,
    /// Write the draft to FILE (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
    /// The expected length of an answer, e.g. `800-1500` (default: 1200-3500,
    /// a CSS exam essay).
    #[arg(long, value_name = "MIN-MAX", value_parser = parse_words)]
    pub words: Option<(u32, u32)>,
    /// Also print, on stderr, each criterion's source sentences in the model
    /// and the phrases considered and dropped, with the reason.
    #[arg(long)]
    pub report: bool,
}

/// `--words 800-1500`.
fn parse_words(s: &str) -> Result<(u32, u32), String> {
    let (a, b) = s
        .split_once('-')
        .ok_or_else(|| format!("{s:?}: write the range as MIN-MAX, e.g. 800-1500"))?;
    let num = |x: &str| {
        x.trim()
            .replace(',', "")
            .parse::<u32>()
            .map_err(|_| format!("{s:?}: {x:?} is not a whole number of words"))
    };
    let (lo, hi) = (num(a)?, num(b)?);
    if lo == 0 || lo > hi {
        return Err(format!(
            "{s:?}: the minimum must be at least 1 and at most the maximum"
        ));
    }
    Ok((lo, hi))
}

impl CheckArgs {
    /// The command line as a settings layer (`--format`, else `--out`'s
    /// extension).
    pub fn layer(&self) -> Result<Layer, CliError> {
        if let Some(t) = self.fail_under {
            if !(0.0..=100.0).contains(&t) {
                return Err(CliError(format!(
                    "--fail-under must be between 0 and 100 (got {t})"
                )));
            }
        }
        Ok(Layer {
            rubric: self.rubric.clone(),
            format: self
                .format
                .or_else(|| self.out.as_deref().and_then(format_from_extension)),
            fail_under: self.fail_under.map(|value| Limit {
                value,
                source: "--fail-under".into(),
            }),
            max_missing_required: self.max_missing_required.map(|value| Limit {
                value,
                source: "--max-missing-required".into(),
            }),
            similarity: if self.no_similarity {
                Some(0.0)
            } else {
                self.similarity
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(argv: &[&str]) -> CheckArgs {
        let mut full = vec!["essaymark", "check"];
        full.extend_from_slice(argv);
        match Cli::parse_from(full).command {
            Command::Check(a) => a,
            _ => unreachable!(),
        }
    }

    #[test]
    fn words_flag_parses_ranges() {
        assert_eq!(parse_words("800-1,500"), Ok((800, 1500)));
        assert!(parse_words("1500-800").is_err());
        assert!(parse_words("lots").is_err());
    }

    #[test]
    fn fail_under_outside_0_to_100_is_an_error() {
        assert!(check(&["--fail-under", "101"]).layer().is_err());
        assert!(check(&["--fail-under=-1"]).layer().is_err());
        assert_eq!(
            check(&["--fail-under", "60"])
                .layer()
                .unwrap()
                .fail_under
                .unwrap()
                .value,
            60.0
        );
    }

    #[test]
    fn out_extension_picks_the_format_unless_format_is_given() {
        assert_eq!(
            check(&["--out", "r.sarif"]).layer().unwrap().format,
            Some(OutputFormat::Sarif)
        );
        assert_eq!(
            check(&["--out", "r.sarif", "-f", "json"])
                .layer()
                .unwrap()
                .format,
            Some(OutputFormat::Json)
        );
    }
}
