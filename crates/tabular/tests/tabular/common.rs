//! Helpers shared by the test modules.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kaifang_domain::FieldType;
use kaifang_tabular::{Analysis, ReadOptions, Value, analyse, read_rows};

/// A file under `/work/shared` (reached relative to the crate), or `None` with a notice
/// when the shared folder is absent.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")).join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent", path.display());
        None
    }
}

/// Analyses and reads every row, checking that `read_rows` yields `analysis.rows` rows
/// of one value per field.
pub fn load(path: &Path) -> (Analysis, Vec<Vec<Value>>) {
    load_with(path, &ReadOptions::default())
}

pub fn load_with(path: &Path, options: &ReadOptions) -> (Analysis, Vec<Vec<Value>>) {
    let analysis = analyse(path, options).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rows: Vec<Vec<Value>> = read_rows(path, &analysis)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        rows.len() as u64,
        analysis.rows,
        "{}: rows read vs counted",
        path.display()
    );
    let width = analysis.schema.fields.len();
    assert!(
        rows.iter().all(|r| r.len() == width),
        "{}: a row is not {width} wide",
        path.display()
    );
    (analysis, rows)
}

/// The position of field `name`, failing the test when it is missing.
pub fn col(analysis: &Analysis, name: &str) -> usize {
    analysis
        .schema
        .position(name)
        .unwrap_or_else(|| panic!("no field {name:?} in {:?}", names(analysis)))
}

pub fn names(analysis: &Analysis) -> Vec<&str> {
    analysis
        .schema
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect()
}

pub fn field_type(analysis: &Analysis, name: &str) -> FieldType {
    analysis.schema.fields[col(analysis, name)].field_type
}

pub fn text(s: &str) -> Value {
    Value::String(s.to_owned())
}

pub fn date(y: i32, m: u32, d: u32) -> Value {
    Value::Date(NaiveDate::from_ymd_opt(y, m, d).expect("valid date"))
}

pub fn has_warning(analysis: &Analysis, code: &str) -> bool {
    analysis.warnings.iter().any(|w| w.code == code)
}
