//! CSV for spreadsheets and mark books: one row per submission with path,
//! student (the file stem), status, score, band, passed, words, the points of
//! every criterion (one column per criterion id, in rubric order), `levels`:
//! the level of development of every argument criterion as `id=level`
//! joined by `;` (`ttp-revival=developed;refugees=named`), the ids of the
//! missing criteria joined by `;`, and last `threshold_failures`: the CI
//! thresholds the essay fails ("" when it passes the check).
//!
//! A submission that could not be graded still gets its row, so a mark book
//! never silently loses a student: `status` says why (`not graded: file is
//! empty`) and the score and criterion cells are left empty, not zero, so a
//! spreadsheet's average does not count the student as failing.
//! Quoting is RFC 4180 (commas, quotes and newlines in file names survive
//! a round trip), plus every field holding `;` or a tab, so that no
//! separator a spreadsheet may use splits a cell; cells that a spreadsheet
//! would run as a formula start with an apostrophe.

use super::{fmt_points, Failure, Renderer, Report, Summary};
use crate::rubric::Rubric;
use std::io::{self, Write};
use std::path::Path;

/// Columns before the per-criterion ones.
const LEADING: [&str; 7] = [
    "path", "student", "status", "score", "band", "passed", "words",
];

/// `status` of an essay that was graded.
pub const GRADED: &str = "graded";

#[derive(Default)]
pub struct CsvRenderer {
    /// Start with a UTF-8 byte order mark (`--csv-bom`): Excel reads a CSV
    /// without one in the system's legacy code page, garbling Urdu, Arabic
    /// or accented names.
    pub bom: bool,
    /// Criterion ids announced by [`Renderer::rubric`], in order of first
    /// appearance (several rubrics share the columns they have in common).
    announced: Vec<String>,
    /// The criterion columns, once the header is written.
    columns: Option<Vec<String>>,
}

/// One record, RFC 4180. A field is quoted when it holds a comma, a quote,
/// a line break, or a semicolon or tab: spreadsheets in locales whose list
/// separator is `;` (most of Europe, and Excel's default there) split an
/// unquoted field at it, and a student's file name `alice;=2+5;.txt` would
/// put `=2+5` in a cell of its own, to be run as a formula. Written by hand
/// because the `csv` crate quotes only at its own delimiter.
fn write_record(out: &mut dyn Write, record: &[String]) -> io::Result<()> {
    let mut line = String::new();
    for (i, field) in record.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        if field.contains([',', '"', '\n', '\r', ';', '\t']) {
            line.push('"');
            line.push_str(&field.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(field);
        }
    }
    line.push('\n');
    out.write_all(line.as_bytes())
}

/// A spreadsheet evaluates a cell that starts with `=`, `+`, `-` or `@` as a
/// formula; a file name is student-controlled, so such cells get a leading
/// apostrophe (shown by spreadsheets as text, not executed), and so does a
/// formula character right after a `,`, `;` or tab inside the cell.
/// Control characters are shown escaped (`\n`, `\u{1b}`): a line break in
/// a name would start a line of its own, which a CI log reads as a command.
fn text_cell(s: &str) -> String {
    let s = super::printable(s);
    let formula = |c: char| matches!(c, '=' | '+' | '-' | '@' | '|' | '%');
    let mut out = String::with_capacity(s.len() + 2);
    if s.starts_with(|c: char| formula(c) || c == '\t' || c == '\r') {
        out.push('\'');
    }
    // A spreadsheet whose list separator is `;` reads quotes only at the
    // start of a field, so `"alice;=2+5;.txt"` still splits there: after
    // a separator, a formula character gets an apostrophe too.
    let mut after_separator = false;
    for c in s.chars() {
        if after_separator && formula(c) {
            out.push('\'');
        }
        out.push(c);
        after_separator = matches!(c, ',' | ';' | '\t');
    }
    out
}

fn student(essay: &str) -> String {
    if essay == "<stdin>" {
        return String::new();
    }
    Path::new(essay)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl CsvRenderer {
    /// A renderer that starts the file with a byte order mark when `bom`.
    pub fn with_bom(bom: bool) -> CsvRenderer {
        CsvRenderer {
            bom,
            ..CsvRenderer::default()
        }
    }

    /// The header from the announced rubrics, unless already written.
    fn ensure_header(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.columns.is_none() {
            self.header(out, self.announced.clone())?;
        }
        Ok(())
    }

    fn header(&mut self, out: &mut dyn Write, ids: Vec<String>) -> io::Result<()> {
        let mut record: Vec<String> = LEADING.iter().map(|s| s.to_string()).collect();
        record.extend(ids.iter().map(|id| text_cell(id)));
        record.push("levels".into());
        record.push("missing".into());
        record.push("threshold_failures".into());
        self.columns = Some(ids);
        write_record(out, &record)
    }
}

impl Renderer for CsvRenderer {
    fn rubric(&mut self, rubric: &Rubric) {
        for c in &rubric.criteria {
            if !self.announced.contains(&c.id) {
                self.announced.push(c.id.clone());
            }
        }
    }

    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        if !self.announced.is_empty() {
            self.header(out, self.announced.clone())?;
        }
        Ok(())
    }

    fn essay(&mut self, out: &mut dyn Write, r: &Report) -> io::Result<()> {
        // No rubric announced (a caller that skips `rubric`): the first
        // report's criteria, which every report of one rubric shares.
        if self.columns.is_none() {
            self.header(out, r.criteria.iter().map(|c| c.id.clone()).collect())?;
        }
        let columns = self.columns.as_deref().unwrap_or_default();
        let mut record = vec![
            text_cell(&r.essay),
            text_cell(&student(&r.essay)),
            GRADED.to_string(),
            format!("{:.1}", r.score),
            text_cell(&r.band),
            r.passed.to_string(),
            r.words.to_string(),
        ];
        // Look criteria up by id rather than by position, so a column can
        // never hold another criterion's points.
        for id in columns {
            let points = r
                .criteria
                .iter()
                .find(|c| &c.id == id)
                .map(|c| fmt_points(c.points))
                .unwrap_or_default();
            record.push(points);
        }
        // Levels beside the points: the points stay one number a column.
        let levels: Vec<String> = r
            .criteria
            .iter()
            .filter_map(|c| c.level.map(|l| format!("{}={}", c.id, l.as_str())))
            .collect();
        record.push(text_cell(&levels.join(";")));
        record.push(text_cell(&r.missing.join(";")));
        record.push(text_cell(&super::threshold_message(r)));
        write_record(out, &record)
    }

    fn failure(&mut self, out: &mut dyn Write, f: &Failure) -> io::Result<()> {
        self.ensure_header(out)?;
        // Leading columns, one per criterion, `levels`, `missing` and
        // `threshold_failures`.
        let width = LEADING.len() + self.columns.as_ref().map_or(0, Vec::len) + 3;
        let mut record = vec![
            text_cell(&f.essay),
            text_cell(&student(&f.essay)),
            text_cell(&format!("not graded: {}", f.error)),
        ];
        record.resize(width, String::new());
        write_record(out, &record)
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        // Nothing graded: still a valid CSV with the fixed columns.
        if self.columns.is_none() {
            self.header(out, Vec::new())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Format;
    use crate::report::SummaryBuilder;
    use crate::rubric::Rubric;
    use crate::scoring;
    use crate::text::Document;

    fn report(name: &str, text: &str) -> Report {
        let rubric = Rubric::builtin();
        let doc = Document::from_plain_text(text.to_string());
        let grade = scoring::grade(&rubric, &doc);
        Report::new(name, Format::Text, Vec::new(), &rubric, &doc, &grade)
    }

    fn render(reports: &[Report]) -> String {
        let mut r = CsvRenderer::default();
        if !reports.is_empty() {
            r.rubric(&Rubric::builtin());
        }
        let mut out = Vec::new();
        r.start(&mut out).unwrap();
        r.failure(
            &mut out,
            &Failure {
                essay: "x.pdf".into(),
                error: "nope".into(),
            },
        )
        .unwrap();
        for rep in reports {
            r.essay(&mut out, rep).unwrap();
        }
        r.finish(&mut out, &SummaryBuilder::default().build())
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_row_per_essay_with_a_column_per_criterion_and_quoting() {
        let a = report(
            "class/Ali, \"the\" best.txt",
            "The TTP revival after 2021 threatens Pakistan's security badly.\n",
        );
        let mut b = report("=cmd|calc.txt", "Nothing relevant here at all, sadly.\n");
        b.threshold_failures.push(crate::report::ThresholdFailure {
            threshold: "fail_under",
            source: "--fail-under".into(),
            limit: 60.0,
            actual: b.score,
        });
        let csv = render(&[a.clone(), b]);
        let mut rd = ::csv::ReaderBuilder::new().from_reader(csv.as_bytes());
        let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
        let n = LEADING.len();
        assert_eq!(&header[..n], LEADING);
        assert_eq!(
            header[header.len() - 3..],
            [
                "levels".to_string(),
                "missing".to_string(),
                "threshold_failures".to_string()
            ]
        );
        assert_eq!(header.len(), n + a.criteria.len() + 3);
        assert_eq!(header[n], a.criteria[0].id);
        let rows: Vec<::csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 3, "a failure is a row too:\n{csv}");
        // The submission that could not be graded: a row with its reason
        // and empty (not zero) marks.
        assert_eq!(&rows[0][0], "x.pdf");
        assert_eq!(&rows[0][1], "x");
        assert_eq!(&rows[0][2], "not graded: nope");
        assert_eq!(rows[0].len(), header.len());
        assert!(rows[0].iter().skip(3).all(str::is_empty), "{csv}");
        let rows = &rows[1..];
        assert_eq!(&rows[0][0], "class/Ali, \"the\" best.txt");
        assert_eq!(&rows[0][1], "Ali, \"the\" best");
        assert_eq!(&rows[0][2], GRADED);
        assert_eq!(&rows[0][3], format!("{:.1}", a.score));
        assert_eq!(&rows[0][5], a.passed.to_string());
        assert_eq!(rows[0][header.len() - 2], a.missing.join(";"));
        // Every argument criterion's level, beside the points.
        let levels = &rows[0][header.len() - 3];
        let argued: Vec<&crate::report::CriterionReport> =
            a.criteria.iter().filter(|c| c.level.is_some()).collect();
        assert!(!argued.is_empty());
        assert_eq!(levels.split(';').count(), argued.len(), "{levels}");
        for c in argued {
            let want = format!("{}={}", c.id, c.level.unwrap().as_str());
            assert!(levels.split(';').any(|l| l == want), "{want} in {levels}");
        }
        assert_eq!(&rows[0][header.len() - 1], "");
        assert_eq!(
            &rows[1][header.len() - 1],
            "score 0.0 is below fail_under 60 (--fail-under)"
        );
        for (i, c) in a.criteria.iter().enumerate() {
            assert_eq!(rows[0][n + i], fmt_points(c.points), "{}", c.id);
        }
        // Formula-looking names are neutralised.
        assert_eq!(&rows[1][0], "'=cmd|calc.txt");
        assert!(csv.contains("\"class/Ali, \"\"the\"\" best.txt\""), "{csv}");
    }

    #[test]
    fn header_comes_from_the_announced_rubric() {
        let rubric = Rubric::builtin();
        let mut r = CsvRenderer::default();
        r.rubric(&rubric);
        r.rubric(&rubric);
        let mut out = Vec::new();
        r.start(&mut out).unwrap();
        r.finish(&mut out, &SummaryBuilder::default().build())
            .unwrap();
        let header = String::from_utf8(out).unwrap();
        let ids: Vec<&str> = rubric.criteria.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            header,
            format!(
                "path,student,status,score,band,passed,words,{},levels,missing,threshold_failures\n",
                ids.join(",")
            )
        );
    }

    #[test]
    fn empty_run_still_has_a_header_and_the_failure_row() {
        assert_eq!(
            render(&[]),
            "path,student,status,score,band,passed,words,levels,missing,threshold_failures\nx.pdf,x,not graded: nope,,,,,,,\n"
        );
    }

    #[test]
    fn no_separator_can_split_a_cell_into_a_formula() {
        let a = report("alice;=2+5;.txt", "The TTP is back.\n");
        let mut out = Vec::new();
        let mut r = CsvRenderer::default();
        r.essay(&mut out, &a).unwrap();
        let csv = String::from_utf8(out).unwrap();
        let row = csv.lines().nth(1).unwrap();
        // Quoted, so a `;`-separated spreadsheet keeps it in one cell.
        assert!(row.starts_with("\"alice;'=2+5;.txt\","), "{row}");
        // Under either separator, no unquoted field starts a formula.
        for sep in [',', ';'] {
            let mut rd = ::csv::ReaderBuilder::new()
                .delimiter(sep as u8)
                .has_headers(false)
                .flexible(true)
                .from_reader(csv.as_bytes());
            for rec in rd.records() {
                for f in rec.unwrap().iter() {
                    assert!(!f.starts_with(['=', '+', '@']), "{sep:?} {f:?} in {csv}");
                }
            }
        }
    }

    #[test]
    fn a_bom_only_when_asked() {
        let mut out = Vec::new();
        let mut r = CsvRenderer {
            bom: true,
            ..CsvRenderer::default()
        };
        r.rubric(&Rubric::builtin());
        r.start(&mut out).unwrap();
        assert!(out.starts_with("\u{feff}path,".as_bytes()));
        assert!(!render(&[]).starts_with('\u{feff}'));
    }
}
