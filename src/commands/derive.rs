//! `essaymark rubric derive MODEL`: the command's arguments and reading the
//! model file; drafting the rubric is the engine's
//! ([`essaymark_core::derive`]).

use crate::args::DeriveArgs;
use essaymark_core::derive::{DeriveOptions, Draft};

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
