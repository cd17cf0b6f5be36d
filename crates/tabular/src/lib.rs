//! Reads an agency's file into a schema and a stream of typed rows.
//!
//! Two passes over the file keep memory flat: [`analyse`] decides the format, the
//! encoding (over the whole file), the delimiter, the header row and each column's type
//! (over every row); [`read_rows`] then streams the data rows typed by that analysis.

mod error;
mod value;

pub use error::TabularError;
pub use value::Value;

use std::path::Path;

use kaifang_domain::Schema;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
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
    /// The sheet to read; the first non-empty one when `None`.
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
    /// WHATWG name of the text encoding (`UTF-8`, `GB18030`, `UTF-16LE`, `Big5`…).
    pub encoding: Option<String>,
    pub delimiter: Option<char>,
    /// Every sheet of a workbook, in order.
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    /// 1-based record (or sheet row) number of the header.
    pub header_row: u64,
    pub schema: Schema,
    /// Data rows: without the preamble, the header, blank rows and footers.
    pub rows: u64,
    pub warnings: Vec<Warning>,
}

pub fn analyse(path: &Path, options: &ReadOptions) -> Result<Analysis, TabularError> {
    let _ = (path, options);
    Err(TabularError::Unsupported("not yet built".to_owned()))
}

/// Streams the data rows, each typed by `analysis.schema` (one [`Value`] per field).
pub fn read_rows(
    path: &Path,
    analysis: &Analysis,
) -> Result<Box<dyn Iterator<Item = Result<Vec<Value>, TabularError>> + Send>, TabularError> {
    let _ = (path, analysis);
    Err(TabularError::Unsupported("not yet built".to_owned()))
}
