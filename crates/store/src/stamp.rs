//! Identifiers and the text forms of times and dates kept in catalog columns.

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use uuid::Uuid;

use crate::StoreError;

/// A new UUID v7: time-ordered, so ids sort roughly by creation.
pub(crate) fn new_id() -> String {
    Uuid::now_v7().to_string()
}

/// Now, at the microsecond precision the database keeps, so a returned record equals the
/// one read back later.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Fixed-width RFC 3339 in UTC: sorting the text sorts the times.
pub(crate) fn format_time(time: &DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub(crate) fn parse_time(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| corrupt(format!("timestamp {text:?}: {e}")))
}

pub(crate) fn format_date(date: &NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| corrupt(format!("date {text:?}: {e}")))
}

/// A stored value this code cannot read back: a decoding failure of the database layer.
pub(crate) fn corrupt(message: String) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(message.into()))
}
