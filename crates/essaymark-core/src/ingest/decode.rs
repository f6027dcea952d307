//! Byte-to-text decoding for the text formats (.txt, .md): byte-order marks,
//! UTF-8, UTF-16 and the Windows-1252 fallback, plus the checks that turn
//! away binary files (PDFs, images, archives) before they are graded as
//! gibberish. Also used by the archive formats to name what a non-archive is.
//!
//! Policy for a UTF-16 file with an odd number of bytes: it is an error, not
//! a warning. UTF-16 from an editor is always whole code units, so an odd
//! byte means the file was cut short, and grading the part that survived
//! would silently under-score the student.
//!
//! Line endings: a line ends at LF, CRLF or a lone CR (classic Mac OS
//! exports, some web forms), as editors count them. A lone CR is turned into
//! LF — the same single byte, so every offset and line:column stays that of
//! the file — with a warning, since the rest of the pipeline only breaks
//! lines at LF and would otherwise grade the essay as one line.

use super::IngestError;

/// Decoded text and what the user should hear about how it was decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub text: String,
    pub warnings: Vec<String>,
}

/// The warning given when a file falls back to Windows-1252.
pub(crate) const WINDOWS_1252_WARNING: &str = "decoded as Windows-1252 (not valid UTF-8)";

/// Decode a .txt/.md file's bytes.
pub(crate) fn decode_text(bytes: &[u8]) -> Result<Decoded, IngestError> {
    decode_any(bytes).map(normalise_line_endings)
}

fn decode_any(bytes: &[u8]) -> Result<Decoded, IngestError> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        return if encoding == encoding_rs::UTF_8 {
            decode_utf8(body)
        } else {
            decode_utf16(encoding, body)
        };
    }
    if let Some(what) = sniff_binary(bytes) {
        return Err(IngestError::NotText(what.to_string()));
    }
    decode_utf8(bytes)
}

fn decode_utf8(bytes: &[u8]) -> Result<Decoded, IngestError> {
    if let Some(encoding) = utf16_without_bom(bytes) {
        let mut decoded = decode_utf16(encoding, bytes)?;
        decoded.warnings.insert(
            0,
            format!("decoded as {} (no byte-order mark)", encoding.name()),
        );
        return Ok(decoded);
    }
    if bytes.contains(&0) {
        return Err(IngestError::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => check_controls(Decoded {
            text: s.to_string(),
            warnings: Vec::new(),
        }),
        // Only the last character is incomplete: a UTF-8 file cut short, not
        // a legacy encoding, so keep it UTF-8 rather than mis-decode all of it.
        Err(e) if e.error_len().is_none() => check_controls(Decoded {
            text: String::from_utf8_lossy(bytes).into_owned(),
            warnings: vec!["file ends in the middle of a UTF-8 character (truncated?)".into()],
        }),
        Err(e) => {
            let first = e.valid_up_to();
            let (multibyte, invalid) = utf8_census(bytes);
            // A few stray bytes among real UTF-8 characters (an Urdu essay
            // with one damaged byte) are damage, not a legacy encoding:
            // re-reading all of it as Windows-1252 would turn every Urdu
            // letter into two or three Latin ones and score it 0.
            if multibyte > invalid {
                let line = memchr::memchr_iter(b'\n', &bytes[..first]).count() + 1;
                return check_controls(Decoded {
                    text: String::from_utf8_lossy(bytes).into_owned(),
                    warnings: vec![format!(
                        "{invalid} invalid UTF-8 byte sequence(s) replaced with U+FFFD \
                         (the first at byte {first}, line {line})"
                    )],
                });
            }
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            check_controls(Decoded {
                text: text.into_owned(),
                warnings: vec![WINDOWS_1252_WARNING.into()],
            })
        }
    }
}

/// How many valid multi-byte UTF-8 characters and how many invalid byte
/// sequences `bytes` holds.
fn utf8_census(bytes: &[u8]) -> (usize, usize) {
    let mut multibyte = 0;
    let mut invalid = 0;
    for chunk in bytes.utf8_chunks() {
        // Every character starts with one byte that is not a continuation
        // byte; ASCII ones are counted off.
        let valid = chunk.valid().as_bytes();
        multibyte += count_bytes(valid, |b| b >= 0xC0);
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    (multibyte, invalid)
}

/// UTF-16 saved without a byte-order mark (some Windows tools do): mostly
/// ASCII text has a NUL in every other byte, all on one side of each pair,
/// where binary data has NULs scattered on both. Judged on the first 4 KiB.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even, mut odd) = (0, 0);
    for pair in head.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    // Low byte first (LE): NULs in the odd positions only.
    match (even, odd) {
        (0, n) if n * 2 >= pairs => Some(encoding_rs::UTF_16LE),
        (n, 0) if n * 2 >= pairs => Some(encoding_rs::UTF_16BE),
        _ => None,
    }
}

fn decode_utf16(
    encoding: &'static encoding_rs::Encoding,
    body: &[u8],
) -> Result<Decoded, IngestError> {
    if body.len() % 2 != 0 {
        return Err(IngestError::Encoding(format!(
            "{} file has an odd number of bytes (truncated?)",
            encoding.name()
        )));
    }
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if text.contains('\0') {
        return Err(IngestError::Binary);
    }
    let mut warnings = Vec::new();
    if had_errors {
        warnings.push(format!(
            "{} file has unpaired surrogates; they were replaced with U+FFFD",
            encoding.name()
        ));
    }
    check_controls(Decoded {
        text: text.into_owned(),
        warnings,
    })
}

/// Turn every CR that is not followed by LF into LF (see the module notes).
fn normalise_line_endings(mut decoded: Decoded) -> Decoded {
    let bytes = decoded.text.as_bytes();
    let lone = |&i: &usize| bytes.get(i + 1) != Some(&b'\n');
    let count = memchr::memchr_iter(b'\r', bytes).filter(lone).count();
    if count == 0 {
        return decoded;
    }
    let mut out = std::mem::take(&mut decoded.text).into_bytes();
    let positions: Vec<usize> = memchr::memchr_iter(b'\r', &out).collect();
    for i in positions {
        if out.get(i + 1) != Some(&b'\n') {
            out[i] = b'\n';
        }
    }
    // One ASCII byte replaced by another: still valid UTF-8.
    decoded.text = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    decoded.warnings.push(format!(
        "{count} line ending(s) were a lone CR (classic Mac) and were read as line breaks"
    ));
    decoded
}

/// Binary data without NUL bytes still decodes as Windows-1252; a share of
/// C0 control characters that no typed essay has gives it away.
fn check_controls(decoded: Decoded) -> Result<Decoded, IngestError> {
    // Byte-wise: only ASCII controls are counted, and every character
    // starts with exactly one byte that is not a UTF-8 continuation byte.
    let bytes = decoded.text.as_bytes();
    let is_control = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F;
    let controls = count_bytes(bytes, is_control);
    if controls > 8 && controls * 100 > count_bytes(bytes, |b| b & 0xC0 != 0x80) {
        return Err(IngestError::Binary);
    }
    Ok(decoded)
}

/// How many bytes satisfy `pred`. Counted in blocks of 255 into a `u8`, which
/// the compiler turns into wide vector compares; a plain `filter().count()`
/// adds each byte to a `usize` one at a time.
fn count_bytes(bytes: &[u8], pred: impl Fn(u8) -> bool) -> usize {
    bytes
        .chunks(255)
        .map(|block| {
            block
                .iter()
                .fold(0u8, |n, &b| n.wrapping_add(u8::from(pred(b)))) as usize
        })
        .sum()
}

/// What a file is, when its first bytes are the signature of a binary format
/// that people mistake for (or rename to) an essay file.
pub(crate) fn sniff_binary(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (
            b"%PDF",
            "a PDF document (export the essay as .txt, .md, .docx or .odt)",
        ),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"II*\0", "a TIFF image"),
        (b"MM\0*", "a TIFF image"),
        (
            b"PK\x03\x04",
            "a zip archive (a .docx or .odt with the wrong extension?)",
        ),
        (b"PK\x05\x06", "a zip archive"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"Rar!\x1A\x07", "a RAR archive"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "a legacy Word .doc (save it as .docx)",
        ),
        (b"{\\rtf", "an RTF document (save it as .docx or .txt)"),
        (b"\x7FELF", "a program (ELF executable)"),
    ];
    if super::cfb::is_encrypted_office(bytes) {
        return Some("a password-protected Office file (save an unprotected copy as .docx)");
    }
    SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|&(_, what)| what)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(bytes: &[u8]) -> Decoded {
        decode_text(bytes).unwrap()
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(ok("Kabül\n".as_bytes()).text, "Kabül\n");
        let d = ok(b"\xEF\xBB\xBFKab\xC3\xBCl");
        assert_eq!(d.text, "Kabül");
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn utf16_le_and_be_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in "Kabül — ok".encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(ok(&le).text, "Kabül — ok");
        assert_eq!(ok(&be).text, "Kabül — ok");
        assert!(ok(&le).warnings.is_empty());
    }

    #[test]
    fn utf16_with_odd_byte_is_an_encoding_error() {
        let err = decode_text(b"\xFF\xFEa\0b").unwrap_err();
        assert!(
            matches!(&err, IngestError::Encoding(m) if m.contains("odd number of bytes")),
            "{err}"
        );
    }

    #[test]
    fn utf16_unpaired_surrogate_is_replaced_with_warning() {
        // "a", lone high surrogate, "b"
        let d = ok(b"\xFF\xFEa\0\x00\xD8b\0");
        assert_eq!(d.text, "a\u{FFFD}b");
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252() {
        // 0x93/0x94 are curly quotes and 0xE9 is é in Windows-1252.
        let d = ok(b"\x93Caf\xE9\x94 culture\n");
        assert_eq!(d.text, "\u{201C}Café\u{201D} culture\n");
        assert_eq!(d.warnings, vec![WINDOWS_1252_WARNING.to_string()]);
    }

    #[test]
    fn utf16_without_a_bom_is_found_by_its_nul_bytes() {
        let text = "Kabül and the TTP\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(ok(&le).text, text);
        assert_eq!(
            ok(&le).warnings,
            ["decoded as UTF-16LE (no byte-order mark)"]
        );
        assert_eq!(ok(&be).text, text);
        assert_eq!(
            ok(&be).warnings,
            ["decoded as UTF-16BE (no byte-order mark)"]
        );
    }

    #[test]
    fn a_stray_byte_in_utf8_is_replaced_not_the_file_re_decoded() {
        let mut bytes = "پاکستان\nافغانستان".as_bytes().to_vec();
        bytes.insert(15, 0xFF);
        let d = ok(&bytes);
        assert_eq!(d.text, "پاکستان\n\u{FFFD}افغانستان");
        assert_eq!(
            d.warnings,
            ["1 invalid UTF-8 byte sequence(s) replaced with U+FFFD (the first at byte 15, line 2)"]
        );
    }

    #[test]
    fn truncated_final_utf8_character_stays_utf8() {
        let d = ok(b"Kab\xC3\xBCl \xE2\x80");
        assert_eq!(d.text, "Kabül \u{FFFD}");
        assert!(d.warnings[0].contains("truncated"));
    }

    #[test]
    fn nul_bytes_without_utf16_bom_are_binary() {
        assert!(matches!(decode_text(b"a\0b"), Err(IngestError::Binary)));
        // NULs on both sides of the byte pairs: not UTF-16.
        assert!(matches!(
            decode_text(b"a\0\0b\0\0cd"),
            Err(IngestError::Binary)
        ));
        assert!(matches!(
            decode_text(b"\xEF\xBB\xBFa\0b"),
            Err(IngestError::Binary)
        ));
    }

    #[test]
    fn binary_signatures_are_named() {
        for (bytes, needle) in [
            (&b"%PDF-1.7\n%\xE2\xE3\n1 0 obj"[..], "PDF"),
            (&b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..], "PNG"),
            (&b"\xFF\xD8\xFF\xE0\0\x10JFIF"[..], "JPEG"),
            (&b"PK\x03\x04\x14\0\0\0"[..], "zip"),
            (&b"{\\rtf1\\ansi Hello}"[..], "RTF"),
        ] {
            match decode_text(bytes) {
                Err(IngestError::NotText(what)) => assert!(what.contains(needle), "{what}"),
                other => panic!("{needle}: {other:?}"),
            }
        }
    }

    #[test]
    fn lone_carriage_returns_become_line_breaks_in_place() {
        let d = ok(b"one\rtwo\r\nthree\nfour\r");
        assert_eq!(d.text, "one\ntwo\r\nthree\nfour\n");
        assert_eq!(
            d.warnings,
            ["2 line ending(s) were a lone CR (classic Mac) and were read as line breaks"]
        );
        let d = ok(b"windows\r\nonly\r\n");
        assert_eq!(d.text, "windows\r\nonly\r\n");
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn control_character_soup_is_binary() {
        let bytes: Vec<u8> = (0..400u32).map(|i| (i % 31 + 1) as u8).collect();
        assert!(matches!(decode_text(&bytes), Err(IngestError::Binary)));
        // A stray form feed or escape in real prose is fine.
        assert!(decode_text(b"Page one\x0cPage two \x1b done").is_ok());
    }
}
