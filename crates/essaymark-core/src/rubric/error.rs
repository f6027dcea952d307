//! Rubric errors that name the file, the line and column, and the criterion.

use std::fmt;

/// One problem in a rubric file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RubricError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The criterion the problem belongs to, when known.
    pub criterion: Option<String>,
    /// The section it belongs to, when it is in a section but in none of
    /// its criteria (a section without a title, a duplicate section id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    pub message: String,
    /// The offending source line, for a caret display.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl RubricError {
    /// The error with the offending line and a caret under the column.
    pub fn render_snippet(&self) -> String {
        let mut out = self.to_string();
        if let Some(snippet) = self.snippet(1) {
            out.push('\n');
            out.push_str(&snippet);
        }
        out
    }

    /// The offending line with `width` carets under the column (at least
    /// one), compiler style; `None` when the line is not known.
    pub fn snippet(&self, width: usize) -> Option<String> {
        let full = self.source_line.as_ref()?;
        Some(source_snippet(self.line, self.column, full, width))
    }
}

impl fmt::Display for RubricError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if let Some(c) = &self.criterion {
            write!(f, "criterion `{c}`: ")?;
        } else if let Some(s) = &self.section {
            write!(f, "section `{s}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// All problems found while loading one rubric (at least one).
#[derive(Debug, Clone)]
pub struct RubricErrors(pub Vec<RubricError>);

impl fmt::Display for RubricErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_lines(f, &self.0)
    }
}

/// Located errors one a line (rubric and config error lists alike).
pub fn write_lines<T: fmt::Display>(f: &mut fmt::Formatter<'_>, errors: &[T]) -> fmt::Result {
    for (i, e) in errors.iter().enumerate() {
        if i > 0 {
            writeln!(f)?;
        }
        write!(f, "{e}")?;
    }
    Ok(())
}

impl std::error::Error for RubricErrors {}

/// Line `line` of a settings file (`full`) with `width` carets under
/// `column`, compiler style. A hostile file can put megabytes on one line:
/// a window of it around the column is shown, marked with an ellipsis where
/// cut, and control characters (a terminal escape, a newline starting a
/// GitHub workflow command) are shown as `\u{..}`, never sent raw.
pub fn source_snippet(line: usize, column: usize, full: &str, width: usize) -> String {
    let gutter = line.to_string().len();
    const WINDOW: usize = 60;
    let col = column.saturating_sub(1);
    let skip = col.saturating_sub(WINDOW);
    let shown: String = full.chars().skip(skip).take(2 * WINDOW + width).collect();
    let cut_end = full.chars().count() > skip + shown.chars().count();
    let clean = |c: char| -> String {
        if c.is_control() && c != '\t' {
            c.escape_unicode().to_string()
        } else {
            c.to_string()
        }
    };
    let line_text = format!(
        "{}{}{}",
        if skip > 0 { "…" } else { "" },
        shown.chars().map(clean).collect::<String>(),
        if cut_end { "…" } else { "" }
    );
    let caret_pad: String = (if skip > 0 { " " } else { "" }).to_string()
        + &shown
            .chars()
            .take(col - skip)
            .map(|c| match c {
                '\t' => "\t".to_string(),
                c => " ".repeat(clean(c).chars().count()),
            })
            .collect::<String>();
    format!(
        "{:gutter$} |\n{} | {}\n{:gutter$} | {}{}",
        "",
        line,
        line_text,
        "",
        caret_pad,
        "^".repeat(width.max(1))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_of_long_lines_are_windows_around_the_column() {
        let e = RubricError {
            file: "r.yaml".into(),
            line: 1,
            column: 5001,
            criterion: None,
            section: None,
            message: "bad".into(),
            source_line: Some(format!("{}X{}", "a".repeat(5000), "b".repeat(5000))),
        };
        let s = e.snippet(1).unwrap();
        assert!(s.len() < 400, "{} bytes", s.len());
        let lines: Vec<&str> = s.lines().collect();
        let x = lines[1].chars().position(|c| c == 'X').unwrap();
        let caret = lines[2].chars().position(|c| c == '^').unwrap();
        assert_eq!(x, caret);
    }
}
