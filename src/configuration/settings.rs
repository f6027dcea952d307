//! Settings for `check`, layered once: built-in defaults < `.essaymark.yaml`
//! (its top level, then the essay group a file belongs to) < the command
//! line. Each source becomes a [`Layer`] of optional values and
//! [`Layer::update`] lets a later layer's values win, the way typos layers
//! its config files over its defaults and its flags over both. Thresholds
//! remember where they were set, so a failure can name the setting.

use crate::configuration::config::{Config, EssayGroup};
use crate::configuration::format::OutputFormat;
use crate::configuration::thresholds::{Limit, Thresholds};
use crate::error::CliError;
use clap::ValueEnum;
use std::path::PathBuf;

/// One source of settings; `None`: this source says nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layer {
    pub rubric: Option<PathBuf>,
    pub format: Option<OutputFormat>,
    pub fail_under: Option<Limit<f64>>,
    pub max_missing_required: Option<Limit<usize>>,
    /// The batch's similarity threshold, 0-1 (0: no comparison).
    pub similarity: Option<f64>,
}

/// The similarity threshold when neither the config nor the command line
/// sets one.
const DEFAULT_SIMILARITY: f64 = 0.5;

impl Layer {
    /// Take every value `over` sets.
    pub fn update(&mut self, over: &Layer) {
        if over.rubric.is_some() {
            self.rubric.clone_from(&over.rubric);
        }
        if over.format.is_some() {
            self.format = over.format;
        }
        if over.fail_under.is_some() {
            self.fail_under.clone_from(&over.fail_under);
        }
        if over.max_missing_required.is_some() {
            self.max_missing_required
                .clone_from(&over.max_missing_required);
        }
        if over.similarity.is_some() {
            self.similarity = over.similarity;
        }
    }

    /// The built-in defaults (the built-in rubric is `rubric: None`).
    pub fn defaults() -> Layer {
        Layer {
            format: Some(OutputFormat::Text),
            similarity: Some(DEFAULT_SIMILARITY),
            ..Layer::default()
        }
    }

    /// The config file's top level.
    pub fn from_config(c: &Config) -> Result<Layer, CliError> {
        let file = c.file.display().to_string();
        let max_missing_required = if c.required_must_pass {
            Some(Limit {
                value: 0,
                source: format!("required_must_pass in {file}"),
            })
        } else {
            c.max_missing_required.map(|value| Limit {
                value,
                source: file.clone(),
            })
        };
        Ok(Layer {
            rubric: c.rubric.clone(),
            format: config_format(c)?,
            fail_under: c.fail_under.map(|value| Limit {
                value,
                source: file.clone(),
            }),
            max_missing_required,
            similarity: c.similarity,
        })
    }

    /// One `essays` group of the config.
    pub fn from_group(c: &Config, g: &EssayGroup) -> Layer {
        let source = format!(
            "the group at {}:{}:{}",
            c.file.display(),
            g.pos.line,
            g.pos.column
        );
        Layer {
            rubric: g.rubric.clone(),
            format: None,
            fail_under: g.fail_under.map(|value| Limit {
                value,
                source: source.clone(),
            }),
            max_missing_required: g.max_missing_required.map(|value| Limit { value, source }),
            similarity: None,
        }
    }
}

/// The settings an essay is graded with.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// `None`: the built-in rubric.
    pub rubric: Option<PathBuf>,
    pub format: OutputFormat,
    pub thresholds: Thresholds,
    /// The batch's similarity threshold, 0-1 (0: no comparison).
    pub similarity: f64,
}

/// Every layer of a run, resolved per essay group.
#[derive(Debug, Clone)]
pub struct Layers {
    /// Defaults with the config's top level applied.
    base: Layer,
    /// Per config group, its own layer.
    groups: Vec<Layer>,
    cli: Layer,
}

impl Layers {
    /// `cli`: the command line's layer (`CheckArgs::layer` in `args`).
    pub fn new(cli: Layer, config: Option<&Config>) -> Result<Layers, CliError> {
        let mut base = Layer::defaults();
        let mut groups = Vec::new();
        if let Some(c) = config {
            base.update(&Layer::from_config(c)?);
            groups = c.essays.iter().map(|g| Layer::from_group(c, g)).collect();
        }
        Ok(Layers { base, groups, cli })
    }

    /// Settings for essays in config group `group` (`None`: outside every
    /// group): defaults < config < group < command line.
    pub fn resolve(&self, group: Option<usize>) -> Settings {
        let mut l = self.base.clone();
        if let Some(g) = group.and_then(|i| self.groups.get(i)) {
            l.update(g);
        }
        l.update(&self.cli);
        Settings {
            rubric: l.rubric,
            format: l.format.unwrap_or(OutputFormat::Text),
            thresholds: Thresholds {
                fail_under: l.fail_under,
                max_missing_required: l.max_missing_required,
            },
            similarity: l.similarity.unwrap_or(DEFAULT_SIMILARITY),
        }
    }
}

/// The config's `format`, checked against the formats this build has.
fn config_format(c: &Config) -> Result<Option<OutputFormat>, CliError> {
    let Some(f) = &c.format else { return Ok(None) };
    OutputFormat::from_str(&f.value, true)
        .map(Some)
        .map_err(|_| {
            let names: Vec<String> = OutputFormat::value_variants()
                .iter()
                .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
                .collect();
            let msg = format!(
                "unknown format `{}` (expected one of: {})",
                f.value,
                names.join(", ")
            );
            CliError(format!(
                "invalid config\n{}",
                c.error_at(f.pos, msg).render_snippet()
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use std::path::Path;

    // The command-line layer as `check` builds it, from real arguments.
    fn args(argv: &[&str]) -> Layer {
        let mut full = vec!["essaymark", "check"];
        full.extend_from_slice(argv);
        match crate::args::Cli::parse_from(full).command {
            crate::args::Command::Check(a) => a.layer().unwrap(),
            _ => unreachable!(),
        }
    }

    fn config(yaml: &str) -> Config {
        crate::configuration::config::load_str(yaml, Path::new(".essaymark.yaml"), Path::new(""))
            .unwrap()
    }

    #[test]
    fn similarity_layers_like_the_other_settings() {
        let at = |argv: &[&str], c: Option<&Config>| {
            Layers::new(args(argv), c).unwrap().resolve(None).similarity
        };
        let c = config("similarity: 0.3\n");
        assert_eq!(at(&[], None), 0.5);
        assert_eq!(at(&[], Some(&c)), 0.3);
        assert_eq!(at(&["--similarity", "80%"], Some(&c)), 0.8);
        assert_eq!(at(&["--no-similarity"], Some(&c)), 0.0);
    }

    #[test]
    fn command_line_beats_group_beats_config_beats_defaults() {
        let c = config(
            "fail_under: 50\nformat: json\nrubric: climate-economy\nessays:\n  - paths: [\"a/**\"]\n    fail_under: 70\n    rubric: r.yaml\n  - paths: [\"b/**\"]\n",
        );
        let l = Layers::new(args(&[]), Some(&c)).unwrap();
        let top = l.resolve(None);
        assert_eq!(top.format, OutputFormat::Json);
        assert_eq!(top.rubric.as_deref(), Some(Path::new("climate-economy")));
        let t = top.thresholds.fail_under.unwrap();
        assert_eq!((t.value, t.source.as_str()), (50.0, ".essaymark.yaml"));
        let a = l.resolve(Some(0));
        assert_eq!(a.rubric.as_deref(), Some(Path::new("r.yaml")));
        let t = a.thresholds.fail_under.unwrap();
        assert_eq!(t.value, 70.0);
        assert_eq!(t.source, "the group at .essaymark.yaml:5:12");
        // A group without its own values takes the config's.
        assert_eq!(
            l.resolve(Some(1)).thresholds.fail_under.unwrap().value,
            50.0
        );

        let l = Layers::new(
            args(&[
                "--fail-under",
                "90",
                "--out",
                "r.sarif",
                "--rubric",
                "x.yaml",
            ]),
            Some(&c),
        )
        .unwrap();
        let a = l.resolve(Some(0));
        assert_eq!(a.format, OutputFormat::Sarif);
        assert_eq!(a.rubric.as_deref(), Some(Path::new("x.yaml")));
        let t = a.thresholds.fail_under.unwrap();
        assert_eq!((t.value, t.source.as_str()), (90.0, "--fail-under"));
    }

    #[test]
    fn defaults_without_a_config() {
        let s = Layers::new(args(&[]), None).unwrap().resolve(None);
        assert_eq!(s.format, OutputFormat::Text);
        assert_eq!(s.rubric, None);
        assert_eq!(s.thresholds, Thresholds::default());
    }

    #[test]
    fn required_must_pass_is_named_as_the_source() {
        let c = config("required_must_pass: true\nmax_missing_required: 3\n");
        let s = Layers::new(args(&[]), Some(&c)).unwrap().resolve(None);
        let t = s.thresholds.max_missing_required.unwrap();
        assert_eq!(t.value, 0);
        assert_eq!(t.source, "required_must_pass in .essaymark.yaml");
    }
}
