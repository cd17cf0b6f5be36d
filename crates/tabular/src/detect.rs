//! The file's format: magic bytes first, the extension second.
//!
//! A zip is an ODS when its first entry is the `mimetype` naming a spreadsheet, an XLSX
//! when its directory holds `xl/workbook.xml` (`.xlsb` is refused). A compound file
//! (`D0 CF 11 E0`) is an XLS unless it wraps an encrypted OOXML package. A file named as a
//! workbook that is neither is refused. Text is JSON when named so, or when it starts with
//! `{` or `[` and is not named as delimited text; anything else is delimited text.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::{Format, TabularError};

const ZIP: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY: &[u8] = b"PK\x05\x06";
const CFB: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

const OTHER_BINARIES: &[(&[u8], &str)] = &[
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1F\x8B", "a gzip archive"),
    (b"7z\xBC\xAF", "a 7z archive"),
    (b"Rar!", "a RAR archive"),
    (b"BZh", "a bzip2 archive"),
];

pub(crate) fn detect(path: &Path) -> Result<Format, TabularError> {
    let mut file = File::open(path)?;
    let mut head = [0u8; 512];
    let n = read_up_to(&mut file, &mut head)?;
    let head = &head[..n];
    if head.is_empty() {
        return Err(TabularError::Empty(
            "the file is empty (0 bytes)".to_owned(),
        ));
    }
    let ext = extension(path);
    if head.starts_with(ZIP) || head.starts_with(ZIP_EMPTY) {
        return zip_kind(&mut file, head, &ext);
    }
    if head.starts_with(CFB) {
        return Ok(Format::Xls);
    }
    if let Some((_, what)) = OTHER_BINARIES
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
    {
        return Err(unsupported(format!("the file is {what}, not a table")));
    }
    let text = skip_bom_and_space(head);
    let markup = text.first() == Some(&b'<');
    if matches!(ext.as_str(), "xls" | "xlsx" | "xlsm" | "xlsb" | "ods") {
        let what = if markup {
            "an HTML or XML page"
        } else {
            "not a workbook"
        };
        return Err(unsupported(format!(
            "the file is named .{ext} but is {what}; save it as a real workbook or as CSV"
        )));
    }
    if markup {
        return Err(unsupported(
            "the file is an HTML or XML page, not a table".to_owned(),
        ));
    }
    if matches!(ext.as_str(), "json" | "ndjson" | "jsonl") {
        return Ok(Format::Json);
    }
    let delimited_name = matches!(ext.as_str(), "csv" | "tsv" | "tab" | "txt" | "psv" | "ssv");
    if !delimited_name && matches!(text.first(), Some(b'{' | b'[')) {
        return Ok(Format::Json);
    }
    Ok(Format::Csv)
}

fn unsupported(message: String) -> TabularError {
    TabularError::Unsupported(message)
}

pub(crate) fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn skip_bom_and_space(head: &[u8]) -> &[u8] {
    let rest = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = rest
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(rest.len());
    &rest[start..]
}

fn zip_kind(file: &mut File, head: &[u8], ext: &str) -> Result<Format, TabularError> {
    // ODF puts an uncompressed `mimetype` entry first, its name at byte 30.
    if head.get(30..38) == Some(b"mimetype") {
        let rest = head.get(38..).unwrap_or_default();
        if contains(rest, b"opendocument.spreadsheet") {
            return Ok(Format::Ods);
        }
        if contains(rest, b"opendocument") {
            return Err(unsupported(
                "the file is an OpenDocument file but not a spreadsheet".into(),
            ));
        }
    }
    // The central directory, with every entry's name, sits at the end of the archive.
    let len = file.seek(SeekFrom::End(0))?;
    let start = len.saturating_sub(1 << 18);
    file.seek(SeekFrom::Start(start))?;
    let mut tail = Vec::new();
    file.take(1 << 18).read_to_end(&mut tail)?;
    if contains(&tail, b"xl/workbook.bin") {
        return Err(unsupported(
            "binary .xlsb workbooks are not supported; save the workbook as .xlsx".into(),
        ));
    }
    if contains(&tail, b"xl/workbook.xml") || contains(&tail, b"xl/worksheets/") {
        return Ok(Format::Xlsx);
    }
    match ext {
        "xlsx" | "xlsm" => Ok(Format::Xlsx),
        "ods" => Ok(Format::Ods),
        _ => Err(unsupported(
            "the file is a zip archive holding no xlsx or ods workbook".into(),
        )),
    }
}

pub(crate) fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}
