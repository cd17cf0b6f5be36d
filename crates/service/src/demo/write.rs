//! File writers: each layout mimics how such files reach a portal in practice.

use std::io;
use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq};

use super::table::{Cell, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// UTF-8, no BOM, LF: what scripts and databases export.
    Csv,
    /// UTF-8 with a BOM: what Excel's "CSV UTF-8" writes.
    CsvBom,
    /// GB18030, no BOM, CRLF, dates as `2018/3/5`: Chinese Excel's plain "Save as CSV".
    CsvGb18030,
    Tsv,
    /// An API-style response: the rows under `data`, with a count beside them.
    Json,
    /// One sheet with a merged title row above the header, as offices format reports.
    Xlsx {
        sheet: &'static str,
        title: &'static str,
    },
}

pub fn write(path: &Path, table: &Table, layout: Layout) -> io::Result<()> {
    let bytes = match layout {
        Layout::Csv => delimited(table, b',', csv::Terminator::Any(b'\n'), "%Y-%m-%d")?,
        Layout::Tsv => delimited(table, b'\t', csv::Terminator::Any(b'\n'), "%Y-%m-%d")?,
        Layout::CsvBom => {
            let mut bytes = b"\xEF\xBB\xBF".to_vec();
            bytes.extend(delimited(
                table,
                b',',
                csv::Terminator::Any(b'\n'),
                "%Y-%m-%d",
            )?);
            bytes
        }
        Layout::CsvGb18030 => {
            let utf8 = delimited(table, b',', csv::Terminator::CRLF, "%Y/%-m/%-d")?;
            let text = String::from_utf8(utf8).map_err(io::Error::other)?;
            // GB18030 covers all of Unicode, so the encoder never substitutes.
            let (encoded, _, _) = encoding_rs::GB18030.encode(&text);
            encoded.into_owned()
        }
        Layout::Json => json(table)?,
        Layout::Xlsx { sheet, title } => xlsx(table, sheet, title).map_err(io::Error::other)?,
    };
    std::fs::write(path, bytes)
}

fn delimited(
    table: &Table,
    delimiter: u8,
    terminator: csv::Terminator,
    date_format: &str,
) -> io::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(terminator)
        .from_writer(Vec::new());
    writer.write_record(&table.columns)?;
    for row in &table.rows {
        writer.write_record(row.iter().map(|cell| cell.render(date_format)))?;
    }
    writer
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))
}

/// Serializes rows as objects whose keys keep the header's order (a plain map would sort them).
struct Rows<'a>(&'a Table);
struct Row<'a>(&'a [&'static str], &'a [Cell]);

impl Serialize for Rows<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.rows.len()))?;
        for row in &self.0.rows {
            seq.serialize_element(&Row(&self.0.columns, row))?;
        }
        seq.end()
    }
}

impl Serialize for Row<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, cell) in self.0.iter().zip(self.1) {
            match cell {
                Cell::Int(value) => map.serialize_entry(key, value)?,
                Cell::Dec(value, _) => map.serialize_entry(key, value)?,
                Cell::Empty => map.serialize_entry(key, &())?,
                other => map.serialize_entry(key, &other.render("%Y-%m-%d"))?,
            }
        }
        map.end()
    }
}

#[derive(Serialize)]
struct Envelope<'a> {
    success: bool,
    total: usize,
    data: Rows<'a>,
}

fn json(table: &Table) -> io::Result<Vec<u8>> {
    let envelope = Envelope {
        success: true,
        total: table.rows.len(),
        data: Rows(table),
    };
    let mut bytes = serde_json::to_vec_pretty(&envelope)?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn xlsx(table: &Table, sheet: &str, title: &str) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    // A fixed creation time: the library would otherwise stamp the current clock.
    let created = ExcelDateTime::from_ymd(2025, 7, 1)?.and_hms(9, 0, 0)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let title_format = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let header_format = Format::new().set_bold();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let time_format = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet)?;
    let last_col = u16::try_from(table.columns.len().saturating_sub(1)).unwrap_or(0);
    worksheet.merge_range(0, 0, 0, last_col, title, &title_format)?;
    for (col, name) in (0u16..).zip(&table.columns) {
        worksheet.write_string_with_format(1, col, *name, &header_format)?;
        worksheet.set_column_width(col, 14)?;
    }
    for (row, cells) in (2u32..).zip(&table.rows) {
        for (col, cell) in (0u16..).zip(cells) {
            match cell {
                Cell::Text(text) => worksheet.write_string(row, col, text).map(|_| ())?,
                Cell::Int(value) => worksheet
                    .write_number(row, col, *value as f64)
                    .map(|_| ())?,
                Cell::Dec(value, _) => worksheet.write_number(row, col, *value).map(|_| ())?,
                Cell::Date(date) => {
                    let value =
                        ExcelDateTime::parse_from_str(&date.format("%Y-%m-%d").to_string())?;
                    worksheet.write_datetime_with_format(row, col, &value, &date_format)?;
                }
                Cell::DateTime(time) => {
                    let text = time.format("%Y-%m-%d %H:%M:%S").to_string();
                    let value = ExcelDateTime::parse_from_str(&text)?;
                    worksheet.write_datetime_with_format(row, col, &value, &time_format)?;
                }
                Cell::Empty => {}
            }
        }
    }
    worksheet.set_freeze_panes(2, 0)?;
    workbook.save_to_buffer()
}
