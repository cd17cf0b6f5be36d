//! One cell as a reader sees it, before typing, and the typing of it into a [`Value`].

use chrono::{NaiveDate, NaiveDateTime};
use kaifang_domain::FieldType;

use crate::Value;
use crate::text::{self, DateOrder, Shape};

/// A cell borrowed from the source. Delimited text and JSON strings are `Text`; a text
/// cell of a workbook is `SheetText`, where a number shape means the author typed a code.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cell<'a> {
    Empty,
    Text(&'a str),
    SheetText(&'a str),
    /// JSON arrays and objects, kept as their JSON text; always a string.
    Nested(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(NaiveDate),
    Datetime(NaiveDateTime),
    /// A workbook time of day or duration, in milliseconds: text such as `13:30:00`.
    Clock(i64),
    /// A workbook error cell (`#DIV/0!`): null, with a warning.
    Error,
}

/// What header detection needs to know about a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Blank,
    Typed,
    Text,
}

impl<'a> Cell<'a> {
    pub(crate) fn text(&self) -> Option<&'a str> {
        match *self {
            Self::Text(s) | Self::SheetText(s) | Self::Nested(s) => Some(s),
            _ => None,
        }
    }

    /// Empty, or white space only. (An error cell is not blank: the row had a value.)
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            Self::Empty => true,
            Self::Text(s) | Self::SheetText(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    pub(crate) fn kind(&self) -> Kind {
        match self {
            Self::Empty => Kind::Blank,
            Self::Text(s) | Self::SheetText(s) => match text::shape(s) {
                Shape::Null if s.trim().is_empty() => Kind::Blank,
                Shape::Typed(mask) if mask != 0 => Kind::Typed,
                _ => Kind::Text,
            },
            Self::Nested(_) => Kind::Text,
            _ => Kind::Typed,
        }
    }

    /// The cell as header text: numbers without a needless `.0`, dates in ISO form.
    pub(crate) fn header_text(&self) -> String {
        match *self {
            Self::Empty | Self::Error => String::new(),
            Self::Text(s) | Self::SheetText(s) | Self::Nested(s) => s.to_owned(),
            other => other.to_value_text(),
        }
    }

    fn to_value_text(self) -> String {
        match self {
            Self::Int(i) => i.to_string(),
            Self::Float(f) => format_float(f),
            Self::Bool(b) => b.to_string(),
            Self::Date(d) => d.format("%Y-%m-%d").to_string(),
            Self::Datetime(t) => t.format("%Y-%m-%dT%H:%M:%S%.f").to_string(),
            Self::Clock(ms) => clock_text(ms),
            Self::Text(s) | Self::SheetText(s) | Self::Nested(s) => s.to_owned(),
            Self::Empty | Self::Error => String::new(),
        }
    }
}

fn clock_text(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let ms = ms.unsigned_abs();
    let (h, m, s, frac) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    if frac == 0 {
        format!("{sign}{h:02}:{m:02}:{s:02}")
    } else {
        format!("{sign}{h:02}:{m:02}:{s:02}.{frac:03}")
    }
}

/// Shortest text that reads back as the same double (`43831`, `0.125`).
pub(crate) fn format_float(f: f64) -> String {
    f.to_string()
}

/// How the read pass turns a column's cells into values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Typing {
    pub(crate) date_order: DateOrder,
    /// Right-trim spaces: the column is fixed-width padded (see `infer`).
    pub(crate) trim_padding: bool,
}

/// Types one cell. `None` means it does not fit (the file changed since the analysis).
pub(crate) fn to_value(cell: Cell<'_>, ty: FieldType, typing: Typing) -> Option<Value> {
    if let Some(s) = cell.text() {
        if !matches!(cell, Cell::Nested(_)) && text::is_null_token(s.trim()) {
            return Some(Value::Null);
        }
        return text_value(s, ty, typing);
    }
    let v = match (cell, ty) {
        (Cell::Empty | Cell::Error, _) => Value::Null,
        (Cell::Int(i), FieldType::Integer) => Value::Integer(i),
        (Cell::Float(f), FieldType::Integer) => Value::Integer(integral(f)?),
        (Cell::Int(i), FieldType::Number) => Value::Number(i as f64),
        (Cell::Float(f), FieldType::Number) => Value::Number(f),
        (Cell::Bool(b), FieldType::Boolean) => Value::Boolean(b),
        (Cell::Date(d), FieldType::Date) => Value::Date(d),
        (Cell::Date(d), FieldType::Datetime) => Value::Datetime(d.and_time(chrono::NaiveTime::MIN)),
        (Cell::Datetime(t), FieldType::Datetime) => Value::Datetime(t),
        (other, FieldType::String) => Value::String(other.to_value_text()),
        _ => return None,
    };
    Some(v)
}

fn text_value(s: &str, ty: FieldType, typing: Typing) -> Option<Value> {
    let v = match ty {
        FieldType::String => {
            let kept = if typing.trim_padding {
                s.trim_end_matches(' ')
            } else {
                s
            };
            Value::String(kept.to_owned())
        }
        FieldType::Integer => Value::Integer(text::parse_int(s)?),
        FieldType::Number => Value::Number(text::parse_num(s)?),
        FieldType::Boolean => Value::Boolean(text::parse_bool(s)?),
        FieldType::Date => Value::Date(text::parse_date(s, typing.date_order)?),
        FieldType::Datetime => Value::Datetime(text::parse_datetime(s)?),
    };
    Some(v)
}

/// The integer a float holds exactly, if any (`1.0` → 1).
pub(crate) fn integral(f: f64) -> Option<i64> {
    const LIMIT: f64 = 9_007_199_254_740_992.0; // 2^53: every integer below is exact
    // The range check makes the cast exact.
    #[allow(clippy::cast_possible_truncation)]
    (f.fract() == 0.0 && f.abs() < LIMIT).then_some(f as i64)
}
