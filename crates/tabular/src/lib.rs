//! Reads an agency's file into a schema and a stream of typed rows.
//!
//! Two passes over the file keep memory flat: [`analyse`] decides the format, the
//! encoding (over the whole file), the delimiter, the header row and each column's type
//! (over every row); [`read_rows`] then streams the data rows typed by that analysis.
//! Nothing here does I/O beyond reading the file it is given.
//!
//! The rules, each documented where it is applied:
//! - format by magic bytes, then extension: `detect`;
//! - text encoding: `encoding` (and `legacy` for GB18030, Big5, windows-1252);
//! - delimiter sniffing: `delimited`; workbooks: `excel`; JSON shapes: `json`;
//! - header row and field naming: `header`;
//! - which rows are data (notes, section rows, comments), extra cells: `table`;
//! - what text counts as a number, date, null…: `text`; column types: `infer`.
//!
//! Warning codes: `preamble_skipped`, `header_second_row`, `no_header`,
//! `header_trimmed`, `header_renamed`, `empty_column_dropped`, `extra_cells`,
//! `comment_rows_skipped`, `footer_rows_skipped`, `section_rows_skipped`,
//! `cell_errors`, `timezone_normalised`, `dates_ambiguous`, `padding_trimmed`,
//! `nested_values`.

mod cell;
mod decode;
mod delimited;
mod detect;
mod encoding;
mod error;
mod excel;
pub mod export;
mod header;
mod infer;
mod json;
mod legacy;
mod table;
mod text;
mod value;

pub use error::TabularError;
pub use value::Value;

use std::path::Path;

use kaifang_domain::Schema;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Any delimited text: CSV, TSV, `;` or `|` separated.
    Csv,
    Xlsx,
    Xls,
    Ods,
    Json,
}

impl Format {
    pub fn id(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Xls => "xls",
            Self::Ods => "ods",
            Self::Json => "json",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The sheet to read; the first non-empty one when `None`. Ignored for text files;
    /// a name the workbook lacks is refused with `Unsupported`.
    pub sheet: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// Stable snake_case code, e.g. `header_trimmed`, `header_renamed`.
    pub code: &'static str,
    pub message: String,
}

/// What [`analyse`] learned about a file; [`read_rows`] needs it to read the rows.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub format: Format,
    /// WHATWG name of the text encoding, as encoding_rs spells it (`UTF-8`, `gb18030`,
    /// `UTF-16LE`, `Big5`, `windows-1252`…); `None` for workbooks.
    pub encoding: Option<String>,
    pub delimiter: Option<char>,
    /// Every sheet of a workbook, in order.
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    /// 1-based record (or sheet row) number of the header. Records are counted as the
    /// CSV parser sees them: blank lines are not records. 0 when there is no header row
    /// (JSON, or a table starting with data).
    pub header_row: u64,
    pub schema: Schema,
    /// Data rows: without the preamble, the header rows, blank rows, comments, footers
    /// and section rows. [`read_rows`] yields exactly this many.
    pub rows: u64,
    pub warnings: Vec<Warning>,
    /// Where the table sits in the file, for [`read_rows`]. Opaque; not serialized.
    #[serde(skip)]
    pub layout: Layout,
}

/// How [`read_rows`] finds and types the rows [`analyse`] counted. Built only by
/// [`analyse`]; `Layout::default()` exists for hand-made `Analysis` values in tests.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Bytes of BOM to skip (delimited text and JSON).
    pub(crate) bom: usize,
    /// Cells in the header row: the table's width for telling section rows.
    pub(crate) header_width: usize,
    /// Source rows before the first data row (records, or sheet rows from the used
    /// range's first row): preamble, header and a second header row.
    pub(crate) data_start: u64,
    /// Per schema field: where its cells are and how to type them.
    pub(crate) columns: Vec<table::ColumnPlan>,
    /// JSON only: where the records are.
    pub(crate) json: Option<json::JsonPlan>,
}

/// Reads the whole file once: format, encoding, delimiter, sheet, header, schema, rows.
///
/// Refuses, with a typed error, what it cannot read faithfully: an unknown or encrypted
/// format, text no encoding decodes plausibly, a file with no table.
pub fn analyse(path: &Path, options: &ReadOptions) -> Result<Analysis, TabularError> {
    let format = detect::detect(path)?;
    let analysis = match format {
        Format::Csv => delimited::analyse(path)?,
        Format::Json => json::analyse(path)?,
        Format::Xlsx | Format::Xls | Format::Ods => excel::analyse(path, format, options)?,
    };
    tracing::debug!(
        format = analysis.format.id(),
        encoding = analysis.encoding.as_deref(),
        rows = analysis.rows,
        fields = analysis.schema.fields.len(),
        "file analysed"
    );
    Ok(analysis)
}

/// The rows [`read_rows`] streams: one value per schema field, or the error that stopped
/// the stream (nothing follows an error).
pub type RowIter = Box<dyn Iterator<Item = Result<Vec<Value>, TabularError>> + Send>;

/// Streams the data rows, each typed by `analysis.schema` (one [`Value`] per field).
pub fn read_rows(path: &Path, analysis: &Analysis) -> Result<RowIter, TabularError> {
    match analysis.format {
        Format::Csv => delimited::rows(path, analysis),
        Format::Json => json::rows(path, analysis),
        Format::Xlsx | Format::Xls | Format::Ods => excel::rows(path, analysis),
    }
}
