//! Delimited text: CSV, TSV, `;` and `|` files, decoded to UTF-8 and parsed by `csv`.
//!
//! The delimiter is sniffed on the first 64 KiB of decoded text: of `,` `;` tab `|`, the
//! one that gives the most records of one shared width (two fields or more) wins; ties go
//! to the wider, then to the earlier in that list. Text that no delimiter splits is one
//! column. Quoting is RFC 4180 (`""` inside quotes); rows may be ragged.

use std::io::Read;
use std::path::Path;

use csv::{ReaderBuilder, StringRecord};

use crate::encoding::{self, TextEncoding};
use crate::header::{self, HeaderChoice};
use crate::table::{self, Accumulator, RowClass};
use crate::{Analysis, Format, Layout, RowIter, TabularError, Value, decode};

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];
const SNIFF_BYTES: usize = 1 << 16;
/// Rows read ahead to find the header.
pub(crate) const LOOKAHEAD: usize = 200;

pub(crate) fn analyse(path: &Path) -> Result<Analysis, TabularError> {
    let Some(enc) = encoding::decide_lazily(path)? else {
        // Valid UTF-8 so far: parse as UTF-8, and decide properly if a record is not.
        let utf8 = TextEncoding {
            encoding: encoding_rs::UTF_8,
            bom: 0,
        };
        return match analyse_as(path, utf8) {
            Err(TabularError::UndecidableEncoding { .. }) => {
                analyse_as(path, encoding::decide(path)?)
            }
            other => other,
        };
    };
    analyse_as(path, enc)
}

fn analyse_as(path: &Path, enc: TextEncoding) -> Result<Analysis, TabularError> {
    let delimiter = sniff(path, enc)?;
    let mut reader = csv_reader(path, enc, delimiter)?;
    let mut head: Vec<StringRecord> = Vec::new();
    let mut record = StringRecord::new();
    while head.len() < LOOKAHEAD && read(&mut reader, &mut record)? {
        head.push(record.clone());
    }
    let is_data = |i: usize, h: usize| {
        let width = head.get(h).map_or(0, StringRecord::len);
        head.get(i)
            .is_some_and(|r| classify(r, width) == RowClass::Data)
    };
    let Some(choice) = header::detect(&head, is_data) else {
        return Err(TabularError::Empty("no row holds any value".to_owned()));
    };
    let HeaderChoice {
        index,
        second,
        headerless,
    } = choice;
    let header_rec = head.get(index).cloned().unwrap_or_default();
    let header_width = header_rec.len();
    let skip_to = choice.data_start();
    let mut acc = Accumulator::default();
    for rec in head.iter().skip(skip_to) {
        acc.take(rec, classify(rec, header_width));
    }
    while read(&mut reader, &mut record)? {
        acc.take(&record, classify(&record, header_width));
    }
    let mut warnings = Vec::new();
    choice.warnings(&mut warnings);
    let header: Option<Vec<String>> =
        (!headerless).then(|| header_rec.iter().map(str::to_owned).collect());
    let second_cells: Option<Vec<String>> = second
        .and_then(|j| head.get(j))
        .map(|r| r.iter().map(str::to_owned).collect());
    let rows = acc.rows;
    let (schema, columns) = acc.finish(header.as_deref(), second_cells.as_deref(), &mut warnings);
    Ok(Analysis {
        format: Format::Csv,
        encoding: Some(enc.encoding.name().to_owned()),
        delimiter: Some(char::from(delimiter)),
        sheets: Vec::new(),
        sheet: None,
        header_row: choice.row_number(1),
        schema,
        rows,
        warnings,
        layout: Layout {
            bom: enc.bom,
            header_width,
            data_start: skip_to as u64,
            columns,
            json: None,
        },
    })
}

fn classify(rec: &StringRecord, header_width: usize) -> RowClass {
    table::classify(rec, header_width, |_| rec.len() == 1)
}

fn read<R: Read>(
    reader: &mut csv::Reader<R>,
    record: &mut StringRecord,
) -> Result<bool, TabularError> {
    reader.read_record(record).map_err(csv_error)
}

fn csv_error(e: csv::Error) -> TabularError {
    let location = e.position().map_or_else(
        || "an unknown position".to_owned(),
        |p| format!("line {}, record {}", p.line(), p.record() + 1),
    );
    match e.into_kind() {
        csv::ErrorKind::Io(io) => TabularError::Io(io),
        csv::ErrorKind::Utf8 { pos, err } => {
            let record_start = pos.map_or(0, |p| p.byte());
            TabularError::UndecidableEncoding {
                offset: record_start + err.valid_up_to() as u64,
            }
        }
        other => TabularError::Malformed {
            format: "csv",
            location,
            message: format!("{other:?}"),
        },
    }
}

fn csv_reader(
    path: &Path,
    enc: TextEncoding,
    delimiter: u8,
) -> Result<csv::Reader<Box<dyn Read + Send>>, TabularError> {
    let input = decode::open_utf8(path, enc)?;
    Ok(ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(1 << 16)
        .from_reader(input))
}

fn sniff(path: &Path, enc: TextEncoding) -> Result<u8, TabularError> {
    let mut sample = Vec::with_capacity(SNIFF_BYTES);
    let input = decode::open_utf8(path, enc)?;
    input.take(SNIFF_BYTES as u64).read_to_end(&mut sample)?;
    if sample.len() >= SNIFF_BYTES {
        // Drop the last, probably cut, line.
        if let Some(end) = sample.iter().rposition(|b| *b == b'\n' || *b == b'\r') {
            sample.truncate(end);
        }
    }
    let mut best: Option<((usize, usize), u8)> = None;
    for d in DELIMITERS {
        let mut counts: std::collections::HashMap<usize, usize> = Default::default();
        let mut reader = ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(d)
            .from_reader(sample.as_slice());
        for rec in reader.records().map_while(Result::ok) {
            if rec.iter().any(|f| !f.trim().is_empty()) {
                *counts.entry(rec.len()).or_default() += 1;
            }
        }
        let score = counts
            .into_iter()
            .filter(|(width, _)| *width >= 2)
            .map(|(width, n)| (n, width))
            .max();
        if let Some(score) = score
            && best.is_none_or(|(b, _)| score > b)
        {
            best = Some((score, d));
        }
    }
    Ok(best.map_or(b',', |(_, d)| d))
}

/// The data rows, typed by the analysis.
pub(crate) fn rows(path: &Path, analysis: &Analysis) -> Result<RowIter, TabularError> {
    let encoding = analysis
        .encoding
        .as_deref()
        .and_then(|e| encoding_rs::Encoding::for_label(e.as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    let enc = TextEncoding {
        encoding,
        bom: analysis.layout.bom,
    };
    let delimiter = analysis
        .delimiter
        .and_then(|d| u8::try_from(d).ok())
        .unwrap_or(b',');
    let reader = csv_reader(path, enc, delimiter)?;
    Ok(Box::new(CsvRows {
        reader,
        record: StringRecord::new(),
        seen: 0,
        fields: analysis.schema.fields.clone(),
        layout: analysis.layout.clone(),
        failed: false,
    }))
}

struct CsvRows {
    reader: csv::Reader<Box<dyn Read + Send>>,
    record: StringRecord,
    seen: u64,
    fields: Vec<kaifang_domain::Field>,
    layout: Layout,
    failed: bool,
}

impl Iterator for CsvRows {
    type Item = Result<Vec<Value>, TabularError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            match read(&mut self.reader, &mut self.record) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
            self.seen += 1;
            if self.seen <= self.layout.data_start
                || classify(&self.record, self.layout.header_width) != RowClass::Data
            {
                continue;
            }
            let typed = table::typed_row(&self.record, &self.fields, &self.layout.columns);
            return Some(typed.map_err(|i| {
                self.failed = true;
                let location = format!("record {}", self.seen);
                table::misfit("csv", location, &self.fields[i])
            }));
        }
    }
}
