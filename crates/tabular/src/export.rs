//! Streaming download writers: CSV, a JSON array of objects, XLSX.
//!
//! Each takes the schema's field names, then rows of [`Value`] one at a time (one value
//! per field, in order), and keeps only the current row in memory — XLSX through
//! rust_xlsxwriter's constant-memory mode, which spools rows to a temporary file.
//! Strings are written as strings everywhere: `010010` stays text in Excel, and
//! `+8613800000000` stays a JSON string.

use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use crate::Value;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("could not write the download: {0}")]
    Io(#[from] std::io::Error),
    #[error("could not write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("could not write JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("could not write XLSX: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("an XLSX sheet holds at most 1,048,575 data rows; download CSV instead")]
    TooManyRows,
    #[error("a row has {got} values for {want} fields")]
    RowWidth { got: usize, want: usize },
}

fn check_width(row: &[Value], want: usize) -> Result<(), ExportError> {
    if row.len() == want {
        Ok(())
    } else {
        Err(ExportError::RowWidth {
            got: row.len(),
            want,
        })
    }
}

/// CSV, RFC 4180, `\n` line ends; nulls are empty fields. `bom` adds a UTF-8 BOM so that
/// Excel opens Chinese text correctly.
pub struct CsvExport<W: Write> {
    writer: csv::Writer<W>,
    width: usize,
}

impl<W: Write> CsvExport<W> {
    pub fn new<S: AsRef<str>>(mut w: W, fields: &[S], bom: bool) -> Result<Self, ExportError> {
        if bom {
            w.write_all(b"\xEF\xBB\xBF")?;
        }
        let mut writer = csv::Writer::from_writer(w);
        writer.write_record(fields.iter().map(AsRef::as_ref))?;
        Ok(Self {
            writer,
            width: fields.len(),
        })
    }

    pub fn write_row(&mut self, row: &[Value]) -> Result<(), ExportError> {
        check_width(row, self.width)?;
        self.writer.write_record(row.iter().map(Value::to_text))?;
        Ok(())
    }

    /// Flushes and hands the writer back.
    pub fn finish(self) -> Result<W, ExportError> {
        self.writer
            .into_inner()
            .map_err(|e| ExportError::Io(std::io::Error::other(e.to_string())))
    }
}

/// `[{"field": value, …}, …]`, written row by row. Dates are ISO 8601 strings.
pub struct JsonExport<W: Write> {
    w: W,
    /// Each field name, already encoded as a JSON string.
    keys: Vec<String>,
    rows: u64,
}

impl<W: Write> JsonExport<W> {
    pub fn new<S: AsRef<str>>(mut w: W, fields: &[S]) -> Result<Self, ExportError> {
        let keys = fields
            .iter()
            .map(|f| serde_json::to_string(f.as_ref()))
            .collect::<Result<_, _>>()?;
        w.write_all(b"[")?;
        Ok(Self { w, keys, rows: 0 })
    }

    pub fn write_row(&mut self, row: &[Value]) -> Result<(), ExportError> {
        check_width(row, self.keys.len())?;
        self.w
            .write_all(if self.rows == 0 { b"\n{" } else { b",\n{" })?;
        for (i, (key, value)) in self.keys.iter().zip(row).enumerate() {
            if i > 0 {
                self.w.write_all(b",")?;
            }
            self.w.write_all(key.as_bytes())?;
            self.w.write_all(b":")?;
            serde_json::to_writer(&mut self.w, &value.to_json())?;
        }
        self.w.write_all(b"}")?;
        self.rows += 1;
        Ok(())
    }

    pub fn finish(mut self) -> Result<W, ExportError> {
        self.w
            .write_all(if self.rows == 0 { b"]\n" } else { b"\n]\n" })?;
        self.w.flush()?;
        Ok(self.w)
    }
}

/// One worksheet: a bold header row, then the rows. Integers beyond 2^53 and dates before
/// 1900 (which Excel cannot hold exactly) are written as text.
pub struct XlsxExport {
    workbook: Workbook,
    row: u32,
    width: usize,
    date: Format,
    datetime: Format,
}

const XLSX_MAX_ROW: u32 = 1_048_575;

impl XlsxExport {
    /// `sheet`: the worksheet's name (Excel allows 31 characters, no `[]:*?/\`).
    pub fn new<S: AsRef<str>>(fields: &[S], sheet: Option<&str>) -> Result<Self, ExportError> {
        let mut workbook = Workbook::new();
        let ws = workbook.add_worksheet_with_constant_memory()?;
        if let Some(name) = sheet {
            ws.set_name(name)?;
        }
        let bold = Format::new().set_bold();
        for (col, name) in fields.iter().enumerate() {
            ws.write_string_with_format(0, col_num(col)?, name.as_ref(), &bold)?;
        }
        Ok(Self {
            workbook,
            row: 0,
            width: fields.len(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
        })
    }

    pub fn write_row(&mut self, row: &[Value]) -> Result<(), ExportError> {
        check_width(row, self.width)?;
        if self.row >= XLSX_MAX_ROW {
            return Err(ExportError::TooManyRows);
        }
        self.row += 1;
        let r = self.row;
        let ws = self.workbook.worksheet_from_index(0)?;
        for (i, value) in row.iter().enumerate() {
            let c = col_num(i)?;
            match value {
                Value::Null => {}
                Value::String(s) => {
                    ws.write_string(r, c, s)?;
                }
                Value::Integer(n) if n.unsigned_abs() <= 1 << 53 => {
                    #[allow(clippy::cast_precision_loss)] // exact below 2^53
                    ws.write_number(r, c, *n as f64)?;
                }
                Value::Integer(n) => {
                    ws.write_string(r, c, n.to_string())?;
                }
                Value::Number(n) => {
                    ws.write_number(r, c, *n)?;
                }
                Value::Boolean(b) => {
                    ws.write_boolean(r, c, *b)?;
                }
                Value::Date(_) | Value::Datetime(_) => match excel_datetime(value) {
                    Some(dt) => {
                        let format = if matches!(value, Value::Date(_)) {
                            &self.date
                        } else {
                            &self.datetime
                        };
                        ws.write_datetime_with_format(r, c, &dt, format)?;
                    }
                    None => {
                        ws.write_string(r, c, value.to_text())?;
                    }
                },
            }
        }
        Ok(())
    }

    pub fn finish_to_path(mut self, path: &Path) -> Result<(), ExportError> {
        self.workbook.save(path)?;
        Ok(())
    }

    pub fn finish_to_writer<W: Write + Send>(mut self, w: W) -> Result<(), ExportError> {
        self.workbook.save_to_writer(w)?;
        Ok(())
    }
}

fn col_num(i: usize) -> Result<u16, ExportError> {
    u16::try_from(i).map_err(|_| ExportError::Xlsx(XlsxError::RowColumnLimitError))
}

fn excel_datetime(value: &Value) -> Option<ExcelDateTime> {
    use chrono::{Datelike, Timelike};
    let (date, time) = match value {
        Value::Date(d) => (*d, None),
        Value::Datetime(t) => (t.date(), Some(t.time())),
        _ => return None,
    };
    let year = u16::try_from(date.year())
        .ok()
        .filter(|y| (1900..=9999).contains(y))?;
    let month = u8::try_from(date.month()).ok()?;
    let day = u8::try_from(date.day()).ok()?;
    let dt = ExcelDateTime::from_ymd(year, month, day).ok()?;
    match time {
        None => Some(dt),
        Some(t) => {
            let hour = u16::try_from(t.hour()).ok()?;
            let min = u8::try_from(t.minute()).ok()?;
            let sec = u8::try_from(t.second()).ok()?;
            let milli = u16::try_from(t.nanosecond() / 1_000_000).ok()?.min(999);
            dt.and_hms_milli(hour, min, sec, milli).ok()
        }
    }
}
