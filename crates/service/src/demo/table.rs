//! The in-memory shape every generator fills and every writer reads.

use chrono::{NaiveDate, NaiveDateTime};

/// One value, typed so that the spreadsheet writer can emit real numbers and dates while the
/// text writers render them the way a Chinese office export would.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A decimal shown with a fixed number of places (money, coordinates, readings).
    Dec(f64, usize),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Empty,
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Self {
        Self::Text(value.into())
    }

    /// The value as it appears in a text file; `date_format` lets the GBK export mimic Excel's
    /// `2018/3/5` instead of ISO dates.
    pub fn render(&self, date_format: &str) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Int(value) => value.to_string(),
            Self::Dec(value, places) => format!("{value:.places$}"),
            Self::Date(date) => date.format(date_format).to_string(),
            Self::DateTime(time) => time.format("%Y-%m-%d %H:%M").to_string(),
            Self::Empty => String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(columns: &[&'static str]) -> Self {
        Self {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(
            row.len(),
            self.columns.len(),
            "row width differs from header"
        );
        self.rows.push(row);
    }

    #[cfg(test)]
    /// The cells of one column, by header name; empty when the column is absent.
    pub fn column(&self, name: &str) -> Vec<&Cell> {
        match self.columns.iter().position(|c| *c == name) {
            Some(index) => self.rows.iter().filter_map(|row| row.get(index)).collect(),
            None => Vec::new(),
        }
    }
}

/// A calendar date from constants; the generators only pass real dates.
pub fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
}

/// The first day of the month `offset` months after `start`'s month.
pub fn add_months(start: NaiveDate, offset: u32) -> NaiveDate {
    start
        .checked_add_months(chrono::Months::new(offset))
        .unwrap_or(start)
}
