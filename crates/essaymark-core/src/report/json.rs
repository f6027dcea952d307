//! JSON (one document: `{"version":1,"reports":[...],"summary":{...}}`) and
//! JSON Lines (one report per line). The JSON document is streamed: reports
//! are written as they arrive and the summary closes it.

use super::{Failure, Renderer, Report, Summary};
use std::io::{self, Write};

pub const JSON_VERSION: u32 = 1;

#[derive(Default)]
pub struct JsonRenderer {
    count: usize,
}

impl Renderer for JsonRenderer {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        write!(out, "{{\"version\":{JSON_VERSION},\"reports\":[")
    }

    fn essay(&mut self, out: &mut dyn Write, report: &Report) -> io::Result<()> {
        if self.count > 0 {
            out.write_all(b",")?;
        }
        self.count += 1;
        serde_json::to_writer(&mut *out, report)?;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        out.write_all(b"],\"summary\":")?;
        serde_json::to_writer(&mut *out, summary)?;
        out.write_all(b"}\n")
    }
}

#[derive(Default)]
pub struct JsonLinesRenderer;

impl Renderer for JsonLinesRenderer {
    fn essay(&mut self, out: &mut dyn Write, report: &Report) -> io::Result<()> {
        serde_json::to_writer(&mut *out, report)?;
        out.write_all(b"\n")
    }

    fn failure(&mut self, out: &mut dyn Write, failure: &Failure) -> io::Result<()> {
        serde_json::to_writer(&mut *out, failure)?;
        out.write_all(b"\n")
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}
