//! Workbooks (XLSX, XLS, ODS) through calamine. A sheet is loaded whole, as calamine does.
//!
//! The sheet read is `ReadOptions.sheet`, or the first holding any value. Cells keep their
//! type: numbers stay numbers (`43831` in a General cell is a number), date-formatted cells
//! become dates (datetimes when they have a time of day; the 1900 and 1904 systems both
//! work), time-only cells and durations become text such as `13:30:00`, error cells
//! (`#DIV/0!`) are null with a `cell_errors` warning, empty text cells are null.
//! Merged ranges (XLS and XLSX; calamine gives none for ODS) mark section rows.
//! Password-protected workbooks, XLS or encrypted XLSX, are refused as `Unsupported`.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use calamine::{Data, Ods, Range, Reader, Sheets, Xls, XlsError, Xlsx};
use chrono::NaiveTime;

use crate::cell::Cell;
use crate::delimited::LOOKAHEAD;
use crate::header;
use crate::table::{self, Accumulator, Row, RowClass};
use crate::{Analysis, Format, Layout, ReadOptions, RowIter, TabularError, Value};

type Book = Sheets<BufReader<File>>;

fn open(path: &Path, format: Format) -> Result<Book, TabularError> {
    let reader = || -> Result<_, TabularError> { Ok(BufReader::new(File::open(path)?)) };
    match format {
        Format::Xls => Xls::new(reader()?)
            .map(Sheets::Xls)
            .map_err(|e| xls_error(path, e)),
        Format::Ods => Ods::new(reader()?)
            .map(Sheets::Ods)
            .map_err(|e| broken("ods", &e)),
        _ => Xlsx::new(reader()?)
            .map(Sheets::Xlsx)
            .map_err(|e| broken("xlsx", &e)),
    }
}

fn broken(format: &'static str, e: &dyn std::fmt::Display) -> TabularError {
    TabularError::Malformed {
        format,
        location: "the workbook".to_owned(),
        message: format!("{e}; the file is damaged or not a workbook"),
    }
}

fn encrypted() -> TabularError {
    TabularError::Unsupported(
        "the workbook is password-protected (encrypted); remove the password and upload it again"
            .to_owned(),
    )
}

fn xls_error(path: &Path, e: XlsError) -> TabularError {
    if matches!(e, XlsError::Password) {
        return encrypted();
    }
    // An encrypted XLSX is a compound file holding an `EncryptedPackage` stream.
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    if file_contains(path, &needle).unwrap_or(false) {
        return encrypted();
    }
    broken("xls", &e)
}

fn file_contains(path: &Path, needle: &[u8]) -> std::io::Result<bool> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; (1 << 20) + needle.len()];
    let mut kept = 0;
    loop {
        let n = file.read(&mut buf[kept..])?;
        if n == 0 {
            return Ok(false);
        }
        let end = kept + n;
        if crate::detect::contains(&buf[..end], needle) {
            return Ok(true);
        }
        kept = needle.len().min(end);
        buf.copy_within(end - kept..end, 0);
    }
}

/// The sheet to read: asked for, or the first with a value.
fn pick_sheet(
    book: &mut Book,
    names: &[String],
    wanted: Option<&str>,
) -> Result<(String, Range<Data>), TabularError> {
    let load = |book: &mut Book, name: &str| {
        book.worksheet_range(name)
            .map_err(|e| broken("workbook", &e))
    };
    if let Some(name) = wanted {
        if !names.iter().any(|n| n == name) {
            return Err(TabularError::Unsupported(format!(
                "the workbook has no sheet named {name:?}; its sheets are {names:?}"
            )));
        }
        return Ok((name.to_owned(), load(book, name)?));
    }
    let mut first_error = None;
    for name in names {
        match load(book, name) {
            Ok(range) if range.used_cells().any(|(_, _, d)| !cell_of(d).is_blank()) => {
                return Ok((name.clone(), range));
            }
            Ok(_) => {}
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| TabularError::Empty("no sheet holds any value".to_owned())))
}

/// Top-left cells (absolute row, column) of ranges merged across two columns or more.
fn merged_anchors(book: &mut Book, sheet: &str) -> HashSet<(u32, u32)> {
    let dims = match book {
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        _ => Vec::new(),
    };
    dims.iter()
        .filter(|d| d.end.1 > d.start.1)
        .map(|d| d.start)
        .collect()
}

/// One row of a loaded sheet.
struct SheetRow<'a> {
    range: &'a Range<Data>,
    r: usize,
}

impl Row for SheetRow<'_> {
    fn width(&self) -> usize {
        self.range.width()
    }
    fn cell(&self, i: usize) -> Cell<'_> {
        self.range.get((self.r, i)).map_or(Cell::Empty, cell_of)
    }
}

pub(crate) fn cell_of(d: &Data) -> Cell<'_> {
    match d {
        Data::Int(i) => Cell::Int(*i),
        Data::Float(f) => Cell::Float(*f),
        Data::String(s) | Data::DurationIso(s) => Cell::SheetText(s),
        Data::DateTimeIso(s) => Cell::Text(s),
        Data::Bool(b) => Cell::Bool(*b),
        Data::Error(_) => Cell::Error,
        Data::Empty => Cell::Empty,
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            if dt.is_duration() || (0.0..1.0).contains(&serial) {
                let ms = (serial * 86_400_000.0).round();
                // Bounded by the range check or by Excel's own limits on durations.
                #[allow(clippy::cast_possible_truncation)]
                return Cell::Clock(ms as i64);
            }
            match dt.as_datetime() {
                Some(t) if t.time() == NaiveTime::MIN => Cell::Date(t.date()),
                Some(t) => Cell::Datetime(t),
                None => Cell::Float(serial),
            }
        }
    }
}

struct Sheet {
    names: Vec<String>,
    name: String,
    range: Range<Data>,
    anchors: HashSet<(u32, u32)>,
}

fn load(path: &Path, format: Format, wanted: Option<&str>) -> Result<Sheet, TabularError> {
    let mut book = open(path, format)?;
    let names = book.sheet_names();
    let (name, range) = pick_sheet(&mut book, &names, wanted)?;
    let anchors = merged_anchors(&mut book, &name);
    Ok(Sheet {
        names,
        name,
        range,
        anchors,
    })
}

impl Sheet {
    fn start(&self) -> (u32, u32) {
        self.range.start().unwrap_or((0, 0))
    }

    fn classify(&self, r: usize, header_width: usize) -> RowClass {
        let (row0, col0) = self.start();
        let abs_row = row0 + u32::try_from(r).unwrap_or(u32::MAX - row0);
        let row = SheetRow {
            range: &self.range,
            r,
        };
        table::classify(&row, header_width, |col| {
            let abs_col = col0 + u32::try_from(col).unwrap_or(0);
            self.anchors.contains(&(abs_row, abs_col))
        })
    }
}

pub(crate) fn analyse(
    path: &Path,
    format: Format,
    options: &ReadOptions,
) -> Result<Analysis, TabularError> {
    let sheet = load(path, format, options.sheet.as_deref())?;
    let height = sheet.range.height();
    let width = sheet.range.width();
    let head: Vec<SheetRow<'_>> = (0..height.min(LOOKAHEAD))
        .map(|r| SheetRow {
            range: &sheet.range,
            r,
        })
        .collect();
    let is_data = |i: usize, _h: usize| sheet.classify(i, width) == RowClass::Data;
    let Some(choice) = header::detect(&head, is_data) else {
        return Err(TabularError::Empty(format!(
            "sheet {:?} holds no value",
            sheet.name
        )));
    };
    let skip_to = choice.data_start();
    let mut acc = Accumulator::default();
    for r in skip_to..height {
        acc.take(
            &SheetRow {
                range: &sheet.range,
                r,
            },
            sheet.classify(r, width),
        );
    }
    let texts = |r: usize| -> Vec<String> {
        let row = SheetRow {
            range: &sheet.range,
            r,
        };
        (0..width).map(|i| row.cell(i).header_text()).collect()
    };
    let mut warnings = Vec::new();
    choice.warnings(&mut warnings);
    let rows = acc.rows;
    let header = (!choice.headerless).then(|| texts(choice.index));
    let second_cells = choice.second.map(texts);
    let (schema, columns) = acc.finish(header.as_deref(), second_cells.as_deref(), &mut warnings);
    Ok(Analysis {
        format,
        encoding: None,
        delimiter: None,
        sheets: sheet.names.clone(),
        sheet: Some(sheet.name.clone()),
        header_row: choice.row_number(u64::from(sheet.start().0) + 1),
        schema,
        rows,
        warnings,
        layout: Layout {
            header_width: width,
            data_start: skip_to as u64,
            columns,
            ..Layout::default()
        },
    })
}

pub(crate) fn rows(path: &Path, analysis: &Analysis) -> Result<RowIter, TabularError> {
    let sheet = load(path, analysis.format, analysis.sheet.as_deref())?;
    let next = usize::try_from(analysis.layout.data_start).unwrap_or(usize::MAX);
    Ok(Box::new(SheetRows {
        sheet,
        next,
        fields: analysis.schema.fields.clone(),
        layout: analysis.layout.clone(),
        failed: false,
    }))
}

struct SheetRows {
    sheet: Sheet,
    next: usize,
    fields: Vec<kaifang_domain::Field>,
    layout: Layout,
    failed: bool,
}

impl Iterator for SheetRows {
    type Item = Result<Vec<Value>, TabularError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.failed && self.next < self.sheet.range.height() {
            let r = self.next;
            self.next += 1;
            if self.sheet.classify(r, self.layout.header_width) != RowClass::Data {
                continue;
            }
            let row = SheetRow {
                range: &self.sheet.range,
                r,
            };
            let typed = table::typed_row(&row, &self.fields, &self.layout.columns);
            return Some(typed.map_err(|i| {
                self.failed = true;
                let row = self.sheet.start().0 as usize + r + 1;
                let location = format!("sheet {:?}, row {row}", self.sheet.name);
                table::misfit("workbook", location, &self.fields[i])
            }));
        }
        None
    }
}
