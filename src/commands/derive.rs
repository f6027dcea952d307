//! `essaymark rubric derive MODEL`: the command's arguments and reading the
//! model file; drafting the rubric is the engine's
//! ([`essaymark_core::derive`]).

use essaymark_core::derive::{DeriveOptions, Draft};

/// Output of `rubric derive`.
#[derive(Debug, clap::Args)]
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

/// Read the model, draft the rubric; the summary goes to stderr so stdout
/// stays valid YAML.
pub fn run(args: &DeriveArgs) -> Result<Draft, String> {
    if let Some(id) = &args.id {
        if id.is_empty()
            || id.len() > 64
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        {
            return Err(format!(
                "--id {id:?}: use lower-case letters, digits, '-' or '_'"
            ));
        }
    }
    let input = crate::batch::pipeline::Input::File(args.model.clone());
    let extracted =
        crate::batch::pipeline::extract_input(&input, &essaymark_core::ingest::Limits::default())
            .map_err(|e| format!("{}: {e}", args.model.display()))?;
    let markdown_source = (extracted.format == essaymark_core::ingest::Format::Markdown)
        .then(|| std::fs::read(&args.model).ok())
        .flatten()
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    let opts = DeriveOptions {
        id: args.id.clone(),
        source: args
            .model
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        markdown_source,
        words: args.words,
    };
    let doc = extracted.into_document();
    essaymark_core::derive::derive(&doc, &opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_flag_parses_ranges() {
        assert_eq!(parse_words("800-1,500"), Ok((800, 1500)));
        assert!(parse_words("1500-800").is_err());
        assert!(parse_words("lots").is_err());
    }
}
