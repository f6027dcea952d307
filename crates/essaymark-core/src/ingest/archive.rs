//! Reading parts out of the zip container of .docx and .odt files under a
//! decompression budget, so a zip bomb fails after at most
//! `Limits::max_unpacked_bytes` bytes instead of exhausting memory.

use super::{decode::sniff_binary, IngestError, Limits};
use std::io::{Cursor, Read};
use zip::result::ZipError;
use zip::ZipArchive;

/// More entries than any real document has (a long .docx with images has a
/// few hundred); the central directory is parsed before we can look at it,
/// but refusing here keeps later per-entry work bounded.
pub(crate) const MAX_ENTRIES: usize = 10_000;

/// An opened document archive and what is left of its decompression budget.
pub(crate) struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    format: &'static str,
    limit: u64,
    budget: u64,
}

impl<'a> Archive<'a> {
    /// `what` names the document kind for the not-a-zip message
    /// ("a Word document").
    pub(crate) fn open(
        bytes: &'a [u8],
        format: &'static str,
        what: &str,
        limits: &Limits,
    ) -> Result<Archive<'a>, IngestError> {
        let not_zip = |detail: String| IngestError::Document {
            format,
            reason: format!("not {what} (not a zip archive{detail})"),
        };
        if !bytes.starts_with(b"PK") {
            // Office saves a password-protected .docx in an OLE container,
            // the one a legacy .doc has.
            if super::cfb::is_encrypted_office(bytes) {
                return Err(IngestError::Protected(if format == "docx" {
                    "Word file"
                } else {
                    "Office file"
                }));
            }
            let detail = match sniff_binary(bytes) {
                Some(kind) => format!("; it looks like {kind}"),
                None => String::new(),
            };
            return Err(not_zip(detail));
        }
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_zip(format!(": {e}")))?;
        if zip.len() > MAX_ENTRIES {
            return Err(IngestError::Document {
                format,
                reason: format!(
                    "the archive has {} entries; the limit is {MAX_ENTRIES}",
                    zip.len()
                ),
            });
        }
        Ok(Archive {
            zip,
            format,
            limit: limits.max_unpacked_bytes,
            budget: limits.max_unpacked_bytes,
        })
    }

    fn error(&self, reason: String) -> IngestError {
        IngestError::Document {
            format: self.format,
            reason,
        }
    }

    fn over_budget(&self) -> IngestError {
        self.error(format!(
            "decompressed size exceeds the limit of {} bytes (zip bomb?)",
            self.limit
        ))
    }

    /// The bytes of entry `name`, or `None` when the archive has no such entry.
    /// Everything read counts against the budget shared by all entries.
    pub(crate) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, IngestError> {
        let budget = self.budget;
        let format = self.format;
        let mut entry = match self.zip.by_name(name) {
            Ok(entry) => entry,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(e) => {
                return Err(IngestError::Document {
                    format,
                    reason: format!("cannot read {name}: {e}"),
                })
            }
        };
        // The declared size is only a hint (it can lie), but when it already
        // exceeds the budget there is no point inflating anything.
        if entry.size() > budget {
            drop(entry);
            return Err(self.over_budget());
        }
        // Pre-size from the (bounded) declared size; `take` enforces the cap
        // whatever the entry really inflates to.
        let hint = usize::try_from(entry.size()).unwrap_or(0);
        let mut bytes = Vec::with_capacity(hint);
        let read = (&mut entry)
            .take(budget.saturating_add(1))
            .read_to_end(&mut bytes);
        drop(entry);
        if let Err(e) = read {
            return Err(self.error(format!("cannot decompress {name}: {e}")));
        }
        let used = bytes.len() as u64;
        if used > budget {
            return Err(self.over_budget());
        }
        self.budget = budget - used;
        Ok(Some(bytes))
    }
}

/// An XML part as text. Office writes UTF-8; UTF-16 parts are legal XML but
/// not produced by any editor we know of, so they get a clear error instead
/// of a decoder.
pub(crate) fn xml_text<'b>(
    format: &'static str,
    name: &str,
    bytes: &'b [u8],
) -> Result<&'b str, IngestError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(body).map_err(|_| IngestError::Document {
        format,
        reason: format!("{name} is not UTF-8 XML"),
    })
}

#[cfg(test)]
pub(crate) mod test_zip {
    //! Building small archives in memory for the format tests.
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, ZipWriter};

    pub(crate) fn build(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// An archive whose `name` inflates to `size` zero bytes.
    pub(crate) fn bomb(name: &str, size: u64) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(9));
        w.start_file(name, opts).unwrap();
        let chunk = vec![0u8; 1 << 20];
        let mut left = size;
        while left > 0 {
            let n = left.min(chunk.len() as u64) as usize;
            w.write_all(&chunk[..n]).unwrap();
            left -= n as u64;
        }
        w.finish().unwrap().into_inner()
    }

    /// Rewrite every declared uncompressed size in the archive to `size`.
    pub(crate) fn lie_about_sizes(zip: &mut [u8], size: u32) {
        let patch = |zip: &mut [u8], sig: &[u8], field: usize| {
            let mut i = 0;
            while let Some(pos) = zip[i..].windows(4).position(|w| w == sig) {
                let at = i + pos + field;
                zip[at..at + 4].copy_from_slice(&size.to_le_bytes());
                i = i + pos + 4;
            }
        };
        patch(zip, b"PK\x03\x04", 22);
        patch(zip, b"PK\x01\x02", 24);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(unpacked: u64) -> Limits {
        Limits {
            max_unpacked_bytes: unpacked,
            ..Limits::default()
        }
    }

    #[test]
    fn entries_share_one_budget() {
        let zip = test_zip::build(&[("a", &[b'a'; 600]), ("b", &[b'b'; 600])]);
        let mut ar = Archive::open(&zip, "docx", "a Word document", &limits(1000)).unwrap();
        assert_eq!(ar.read("a").unwrap().map(|v| v.len()), Some(600));
        assert!(ar.read("missing").unwrap().is_none());
        let err = ar.read("b").unwrap_err();
        assert!(
            err.to_string().contains("exceeds the limit of 1000 bytes"),
            "{err}"
        );
    }

    #[test]
    fn understated_entry_size_does_not_lift_the_cap() {
        let mut zip = test_zip::bomb("word/document.xml", 4 * 1024 * 1024);
        test_zip::lie_about_sizes(&mut zip, 100);
        let mut ar = Archive::open(&zip, "docx", "a Word document", &limits(64 * 1024)).unwrap();
        let err = ar.read("word/document.xml").unwrap_err();
        // Either the cap or zip's own size/CRC check stops it; never Ok.
        let msg = err.to_string();
        assert!(
            msg.contains("exceeds the limit") || msg.contains("cannot decompress"),
            "{msg}"
        );
    }

    #[test]
    fn not_a_zip_names_what_it_is() {
        let err = Archive::open(b"%PDF-1.4", "docx", "a Word document", &limits(10))
            .err()
            .unwrap();
        let msg = err.to_string();
        assert!(
            msg.contains("not a Word document (not a zip archive"),
            "{msg}"
        );
        assert!(msg.contains("PDF"), "{msg}");
        let err = Archive::open(
            b"PK\x03\x04junk",
            "odt",
            "an OpenDocument text",
            &limits(10),
        )
        .err()
        .unwrap();
        assert!(err.to_string().contains("not a zip archive"), "{err}");
    }

    #[test]
    fn utf16_xml_part_is_a_clear_error() {
        let err = xml_text("docx", "word/document.xml", b"\xFF\xFE<\0").unwrap_err();
        assert!(err.to_string().contains("not UTF-8"), "{err}");
        assert_eq!(xml_text("docx", "x", b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
    }
}
