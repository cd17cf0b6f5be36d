//! JSON records: a top-level array of objects, an object wrapping one (`{"erDataList":[…]}`,
//! searched up to three objects deep, first array whose first element is an object), or
//! NDJSON (one object per line; also any file holding several top-level objects).
//!
//! Records are parsed one at a time from a buffered stream, so memory follows the largest
//! record, not the file. Fields are the keys in order of first appearance (renamed by the
//! header rules when blank or clashing after trimming); `header_row` is 0. Strings are
//! typed like delimited text, numbers and booleans keep their JSON type, arrays and
//! objects are kept as their JSON text in a string field (warning `nested_values`).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::{Map, Value as Json};

use crate::cell::Cell;
use crate::encoding::{self, TextEncoding};
use crate::table::{self, Accumulator, Row, RowClass};
use crate::{Analysis, Format, Layout, RowIter, TabularError, Value, Warning, decode, detect};

const MAX_DEPTH: usize = 3;

/// Where the records are, and the keys seen, in column order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonPlan {
    /// Keys leading to the array; empty for a top-level array.
    path: Vec<String>,
    lines: bool,
    keys: Vec<String>,
}

fn malformed(location: String, message: impl Into<String>) -> TabularError {
    TabularError::Malformed {
        format: "json",
        location,
        message: message.into(),
    }
}

type Input = BufReader<Box<dyn Read + Send>>;

/// Pulls one record after another out of the stream.
struct Records {
    r: Input,
    lines: bool,
    first: bool,
    done: bool,
    index: u64,
}

impl Records {
    fn peek(&mut self) -> Result<Option<u8>, TabularError> {
        Ok(self.r.fill_buf()?.first().copied())
    }

    fn skip_ws(&mut self) -> Result<Option<u8>, TabularError> {
        loop {
            let buf = self.r.fill_buf()?;
            let Some(&b) = buf.first() else {
                return Ok(None);
            };
            if !b.is_ascii_whitespace() {
                return Ok(Some(b));
            }
            self.r.consume(1);
        }
    }

    /// Parses one object, array or string that starts at the next byte. serde_json reads
    /// no byte past its closing character, so the stream stays in step.
    fn value<T: DeserializeOwned>(&mut self) -> Result<T, TabularError> {
        let mut de = serde_json::Deserializer::from_reader(&mut self.r);
        T::deserialize(&mut de)
            .map_err(|e| malformed(format!("record {}", self.index + 1), e.to_string()))
    }

    fn skip_value(&mut self) -> Result<(), TabularError> {
        match self.skip_ws()? {
            Some(b'{' | b'[' | b'"') => self.value::<IgnoredAny>().map(|_| ()),
            _ => loop {
                match self.peek()? {
                    Some(b) if !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace() => {
                        self.r.consume(1);
                    }
                    _ => return Ok(()),
                }
            },
        }
    }

    /// Whether the array starting at the next byte holds objects (or nothing), judged on
    /// what is buffered.
    fn array_of_objects(&mut self) -> Result<bool, TabularError> {
        let buf = self.r.fill_buf()?;
        let next = buf.iter().skip(1).find(|b| !b.is_ascii_whitespace());
        Ok(matches!(next, Some(b'{' | b']') | None))
    }

    /// Inside an object (after `{`): finds the records array, by `want` or by shape.
    fn find_array(
        &mut self,
        want: Option<&[String]>,
        path: &mut Vec<String>,
    ) -> Result<bool, TabularError> {
        loop {
            match self.skip_ws()? {
                Some(b'}') | None => {
                    self.r.consume(1);
                    return Ok(false);
                }
                Some(b',') => {
                    self.r.consume(1);
                    continue;
                }
                Some(b'"') => {}
                Some(_) => return Err(malformed("the top level".into(), "expected a key")),
            }
            let key: String = self.value()?;
            if self.skip_ws()? != Some(b':') {
                return Err(malformed(
                    "the top level".into(),
                    "expected ':' after a key",
                ));
            }
            self.r.consume(1);
            let depth = path.len();
            let wanted_here = want.map(|w| w.get(depth) == Some(&key));
            match self.skip_ws()? {
                Some(b'[') if wanted_here.unwrap_or(true) => {
                    let last = want.is_none_or(|w| w.len() == depth + 1);
                    if last && (want.is_some() || self.array_of_objects()?) {
                        self.r.consume(1);
                        path.push(key);
                        return Ok(true);
                    }
                    self.skip_value()?;
                }
                Some(b'{') if wanted_here.unwrap_or(true) && depth + 1 < MAX_DEPTH => {
                    self.r.consume(1);
                    path.push(key);
                    if self.find_array(want, path)? {
                        return Ok(true);
                    }
                    path.pop();
                }
                _ => self.skip_value()?,
            }
        }
    }

    fn next_record(&mut self) -> Result<Option<Map<String, Json>>, TabularError> {
        if self.done {
            return Ok(None);
        }
        let mut next = self.skip_ws()?;
        if !self.lines {
            if next == Some(b']') || next.is_none() {
                self.done = true;
                return Ok(None);
            }
            if !self.first {
                if next != Some(b',') {
                    let at = format!("after record {}", self.index);
                    return Err(malformed(at, "expected ',' or ']'"));
                }
                self.r.consume(1);
                next = self.skip_ws()?;
            }
        } else if next.is_none() {
            self.done = true;
            return Ok(None);
        }
        self.first = false;
        if next != Some(b'{') {
            let at = format!("record {}", self.index + 1);
            return Err(malformed(at, "every record must be a JSON object"));
        }
        let map = self.value()?;
        self.index += 1;
        Ok(Some(map))
    }
}

fn input(path: &Path, enc: TextEncoding) -> Result<Input, TabularError> {
    Ok(BufReader::with_capacity(
        1 << 16,
        decode::open_utf8(path, enc)?,
    ))
}

/// Counts top-level values, up to two.
fn several_values(path: &Path, enc: TextEncoding) -> Result<bool, TabularError> {
    let stream = serde_json::Deserializer::from_reader(input(path, enc)?).into_iter::<IgnoredAny>();
    Ok(stream.take(2).filter(Result::is_ok).count() > 1)
}

/// Opens the records, finding them the first time (`plan` is `None`).
fn open(
    path: &Path,
    enc: TextEncoding,
    plan: Option<&JsonPlan>,
) -> Result<(Records, Vec<String>, bool), TabularError> {
    let mut rec = Records {
        r: input(path, enc)?,
        lines: false,
        first: true,
        done: false,
        index: 0,
    };
    let lines = match plan {
        Some(p) => p.lines,
        None => {
            let named = matches!(detect::extension(path).as_str(), "ndjson" | "jsonl");
            named || (rec.skip_ws()? == Some(b'{') && several_values(path, enc)?)
        }
    };
    rec.lines = lines;
    if lines {
        return Ok((rec, Vec::new(), true));
    }
    match rec.skip_ws()? {
        Some(b'[') => {
            rec.r.consume(1);
            Ok((rec, Vec::new(), false))
        }
        Some(b'{') => {
            rec.r.consume(1);
            let mut found = Vec::new();
            if rec.find_array(plan.map(|p| p.path.as_slice()), &mut found)? {
                Ok((rec, found, false))
            } else {
                Err(TabularError::Empty(
                    "the JSON object wraps no array of records".into(),
                ))
            }
        }
        None => Err(TabularError::Empty(
            "the JSON file holds only white space".into(),
        )),
        Some(_) => Err(malformed(
            "the top level".into(),
            "expected an array of objects, an object wrapping one, or one object per line",
        )),
    }
}

/// One record laid out by column; nested values rendered as JSON text.
struct JsonRow {
    values: Vec<Json>,
    nested: Vec<Option<String>>,
}

impl JsonRow {
    fn new(map: Map<String, Json>, columns: &mut Columns, grow: bool) -> Self {
        let mut values = vec![Json::Null; columns.keys.len()];
        let mut nested = vec![None; columns.keys.len()];
        for (key, v) in map {
            let Some(i) = columns.index(key, grow) else {
                continue;
            };
            if i >= values.len() {
                values.resize(i + 1, Json::Null);
                nested.resize(i + 1, None);
            }
            if matches!(v, Json::Array(_) | Json::Object(_)) {
                nested[i] = Some(v.to_string());
            }
            values[i] = v;
        }
        Self { values, nested }
    }
}

impl Row for JsonRow {
    fn width(&self) -> usize {
        self.values.len()
    }
    fn cell(&self, i: usize) -> Cell<'_> {
        match self.values.get(i) {
            None | Some(Json::Null) => Cell::Empty,
            Some(Json::Bool(b)) => Cell::Bool(*b),
            Some(Json::Number(n)) => n
                .as_i64()
                .map_or_else(|| n.as_f64().map_or(Cell::Empty, Cell::Float), Cell::Int),
            Some(Json::String(s)) => Cell::Text(s),
            Some(_) => self
                .nested
                .get(i)
                .and_then(Option::as_deref)
                .map_or(Cell::Empty, Cell::Nested),
        }
    }
}

#[derive(Default)]
struct Columns {
    keys: Vec<String>,
    index: HashMap<String, usize>,
}

impl Columns {
    fn index(&mut self, key: String, grow: bool) -> Option<usize> {
        if let Some(i) = self.index.get(&key) {
            return Some(*i);
        }
        if !grow {
            return None;
        }
        let i = self.keys.len();
        self.keys.push(key.clone());
        self.index.insert(key, i);
        Some(i)
    }
}

pub(crate) fn analyse(path: &Path) -> Result<Analysis, TabularError> {
    let enc = encoding::decide(path)?;
    let (mut records, found, lines) = open(path, enc, None)?;
    let mut columns = Columns::default();
    let mut acc = Accumulator::default();
    let mut nested = false;
    while let Some(map) = records.next_record()? {
        let row = JsonRow::new(map, &mut columns, true);
        nested |= row.nested.iter().any(Option::is_some);
        acc.take(&row, RowClass::Data);
    }
    if columns.keys.is_empty() && acc.rows == 0 {
        return Err(TabularError::Empty("the JSON holds no record".into()));
    }
    let mut warnings = Vec::new();
    if nested {
        warnings.push(Warning {
            code: "nested_values",
            message: "arrays and objects inside records are kept as JSON text".into(),
        });
    }
    let rows = acc.rows;
    let (schema, plans) = acc.finish(Some(&columns.keys), None, &mut warnings);
    let plan = JsonPlan {
        path: found,
        lines,
        keys: columns.keys,
    };
    Ok(Analysis {
        format: Format::Json,
        encoding: Some(enc.encoding.name().to_owned()),
        delimiter: None,
        sheets: Vec::new(),
        sheet: None,
        header_row: 0,
        schema,
        rows,
        warnings,
        layout: Layout {
            bom: enc.bom,
            columns: plans,
            json: Some(plan),
            ..Layout::default()
        },
    })
}

pub(crate) fn rows(path: &Path, analysis: &Analysis) -> Result<RowIter, TabularError> {
    let Some(plan) = analysis.layout.json.clone() else {
        return Err(TabularError::Unsupported(
            "the analysis is not of a JSON file".into(),
        ));
    };
    let encoding = analysis
        .encoding
        .as_deref()
        .and_then(|e| encoding_rs::Encoding::for_label(e.as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    let enc = TextEncoding {
        encoding,
        bom: analysis.layout.bom,
    };
    let (records, _, _) = open(path, enc, Some(&plan))?;
    let mut columns = Columns::default();
    for key in &plan.keys {
        columns.index(key.clone(), true);
    }
    Ok(Box::new(JsonRows {
        records,
        columns,
        fields: analysis.schema.fields.clone(),
        layout: analysis.layout.clone(),
        failed: false,
    }))
}

struct JsonRows {
    records: Records,
    columns: Columns,
    fields: Vec<kaifang_domain::Field>,
    layout: Layout,
    failed: bool,
}

impl Iterator for JsonRows {
    type Item = Result<Vec<Value>, TabularError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let map = match self.records.next_record() {
            Ok(Some(map)) => map,
            Ok(None) => return None,
            Err(e) => {
                self.failed = true;
                return Some(Err(e));
            }
        };
        let row = JsonRow::new(map, &mut self.columns, false);
        let typed = table::typed_row(&row, &self.fields, &self.layout.columns);
        Some(typed.map_err(|i| {
            self.failed = true;
            let location = format!("record {}", self.records.index);
            table::misfit("json", location, &self.fields[i])
        }))
    }
}
