//! Cells between `Value` and each engine's columns. SQLite keeps dates and datetimes as
//! ISO 8601 text (which sorts in time order); PostgreSQL as DATE and TIMESTAMP.

use chrono::{NaiveDate, NaiveDateTime};
use kaifang_domain::FieldType;
use kaifang_tabular::Value;
use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

use crate::StoreError;
use crate::db::Backend;
use crate::stamp::corrupt;

pub(crate) const DATE_FORMAT: &str = "%Y-%m-%d";
/// `%.f` writes 0, 3, 6 or 9 fraction digits, one text per instant, in time order.
pub(crate) const DATETIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.f";

pub(crate) fn date_text(date: &NaiveDate) -> String {
    date.format(DATE_FORMAT).to_string()
}

pub(crate) fn datetime_text(time: &NaiveDateTime) -> String {
    time.format(DATETIME_FORMAT).to_string()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::String(_) => "string",
        Value::Integer(_) => "integer",
        Value::Number(_) => "number",
        Value::Boolean(_) => "boolean",
        Value::Date(_) => "date",
        Value::Datetime(_) => "datetime",
    }
}

/// Checks a loaded cell against its column. Integers widen to numbers and dates to
/// midnight; a non-finite number is stored as null (neither engine keeps NaN alike); text
/// with NUL is refused (PostgreSQL cannot store it).
pub(crate) fn conform(value: Value, field_type: FieldType) -> Result<Value, String> {
    Ok(match (value, field_type) {
        (Value::Null, _) => Value::Null,
        (Value::String(s), FieldType::String) => {
            if s.contains('\0') {
                return Err("text contains a NUL character".to_owned());
            }
            Value::String(s)
        }
        (v @ Value::Integer(_), FieldType::Integer) => v,
        (Value::Integer(i), FieldType::Number) => Value::Number(i as f64),
        (Value::Number(n), FieldType::Number) => {
            if n.is_finite() {
                Value::Number(n)
            } else {
                Value::Null
            }
        }
        (v @ Value::Boolean(_), FieldType::Boolean) => v,
        (v @ Value::Date(_), FieldType::Date) => v,
        (v @ Value::Datetime(_), FieldType::Datetime) => v,
        (Value::Date(d), FieldType::Datetime) => {
            Value::Datetime(d.and_time(chrono::NaiveTime::MIN))
        }
        (v, t) => return Err(format!("expected {}, got {}", t.as_str(), kind(&v))),
    })
}

/// A filter or cursor value as a bound parameter of this engine.
pub(crate) fn to_sql(backend: Backend, value: &Value) -> sea_query::Value {
    match value {
        Value::Null => sea_query::Value::String(None),
        Value::String(s) => s.clone().into(),
        Value::Integer(i) => (*i).into(),
        Value::Number(n) => (*n).into(),
        Value::Boolean(b) => (*b).into(),
        Value::Date(d) => match backend {
            Backend::Sqlite => date_text(d).into(),
            Backend::Postgres => (*d).into(),
        },
        Value::Datetime(t) => match backend {
            Backend::Sqlite => datetime_text(t).into(),
            Backend::Postgres => (*t).into(),
        },
    }
}

fn decode_error(index: usize, e: impl std::fmt::Display) -> StoreError {
    corrupt(format!("datastore column {index}: {e}"))
}

pub(crate) fn decode_sqlite(
    row: &SqliteRow,
    index: usize,
    field_type: FieldType,
) -> Result<Value, StoreError> {
    // Unchecked: SQLite types values, not columns; the load wrote each column's type.
    let value = match field_type {
        FieldType::String => row
            .try_get_unchecked::<Option<String>, _>(index)?
            .map(Value::String),
        FieldType::Integer => row
            .try_get_unchecked::<Option<i64>, _>(index)?
            .map(Value::Integer),
        FieldType::Number => row
            .try_get_unchecked::<Option<f64>, _>(index)?
            .map(Value::Number),
        FieldType::Boolean => row
            .try_get_unchecked::<Option<bool>, _>(index)?
            .map(Value::Boolean),
        FieldType::Date => row
            .try_get_unchecked::<Option<String>, _>(index)?
            .map(|s| NaiveDate::parse_from_str(&s, DATE_FORMAT).map(Value::Date))
            .transpose()
            .map_err(|e| decode_error(index, e))?,
        FieldType::Datetime => row
            .try_get_unchecked::<Option<String>, _>(index)?
            .map(|s| NaiveDateTime::parse_from_str(&s, DATETIME_FORMAT).map(Value::Datetime))
            .transpose()
            .map_err(|e| decode_error(index, e))?,
    };
    Ok(value.unwrap_or(Value::Null))
}

pub(crate) fn decode_pg(
    row: &PgRow,
    index: usize,
    field_type: FieldType,
) -> Result<Value, StoreError> {
    let value = match field_type {
        FieldType::String => row.try_get::<Option<String>, _>(index)?.map(Value::String),
        FieldType::Integer => row.try_get::<Option<i64>, _>(index)?.map(Value::Integer),
        FieldType::Number => row.try_get::<Option<f64>, _>(index)?.map(Value::Number),
        FieldType::Boolean => row.try_get::<Option<bool>, _>(index)?.map(Value::Boolean),
        FieldType::Date => row.try_get::<Option<NaiveDate>, _>(index)?.map(Value::Date),
        FieldType::Datetime => row
            .try_get::<Option<NaiveDateTime>, _>(index)?
            .map(Value::Datetime),
    };
    Ok(value.unwrap_or(Value::Null))
}
