//! The report formats `check` writes, named on the command line, in the
//! config file (`format:`) or by `--out`'s extension.

use clap::ValueEnum;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    /// One `path:line:col: level criterion message` line per finding.
    Concise,
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

/// The format `--out`'s extension names, if any.
pub fn format_from_extension(path: &Path) -> Option<OutputFormat> {
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
