use chrono::{NaiveDate, NaiveDateTime};

/// One typed cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    String(String),
    Integer(i64),
    Number(f64),
    Boolean(bool),
    Date(NaiveDate),
    Datetime(NaiveDateTime),
}

impl Value {
    /// The JSON the API answers with: dates as ISO 8601 text.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Null => serde_json::Value::Null,
            Self::String(s) => serde_json::Value::String(s.clone()),
            Self::Integer(i) => serde_json::Value::from(*i),
            Self::Number(n) => serde_json::Number::from_f64(*n)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Self::Boolean(b) => serde_json::Value::Bool(*b),
            Self::Date(d) => serde_json::Value::String(d.format("%Y-%m-%d").to_string()),
            Self::Datetime(t) => {
                serde_json::Value::String(t.format("%Y-%m-%dT%H:%M:%S%.f").to_string())
            }
        }
    }

    /// The text a CSV download writes; empty for null.
    pub fn to_text(&self) -> String {
        match self {
            Self::Null => String::new(),
            Self::String(s) => s.clone(),
            Self::Integer(i) => i.to_string(),
            Self::Number(n) => n.to_string(),
            Self::Boolean(b) => b.to_string(),
            Self::Date(d) => d.format("%Y-%m-%d").to_string(),
            Self::Datetime(t) => t.format("%Y-%m-%dT%H:%M:%S%.f").to_string(),
        }
    }
}
