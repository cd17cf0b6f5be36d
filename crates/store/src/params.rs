//! Reading URL parameter text as typed values of a field.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use kaifang_domain::FieldType;
use kaifang_tabular::Value;

/// Parses `text` as a value of `field_type`. Text fields take the text as sent (so
/// `010010` stays `010010`); other types ignore surrounding spaces.
pub(crate) fn parse_value(text: &str, field_type: FieldType) -> Result<Value, String> {
    if field_type == FieldType::String {
        return Ok(Value::String(text.to_owned()));
    }
    let t = text.trim();
    match field_type {
        FieldType::String => Ok(Value::String(text.to_owned())),
        FieldType::Integer => t
            .parse::<i64>()
            .map(Value::Integer)
            .map_err(|_| format!("{text:?} is not an integer")),
        FieldType::Number => match t.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Value::Number(n)),
            _ => Err(format!("{text:?} is not a number")),
        },
        FieldType::Boolean => truthy(t)
            .map(Value::Boolean)
            .ok_or_else(|| format!("{text:?} is not true or false")),
        FieldType::Date => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Value::Date)
            .map_err(|_| format!("{text:?} is not a date (YYYY-MM-DD)")),
        FieldType::Datetime => parse_datetime(t)
            .map(Value::Datetime)
            .ok_or_else(|| format!("{text:?} is not a datetime (YYYY-MM-DDTHH:MM:SS)")),
    }
}

fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    const FORMATS: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ];
    FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .or_else(|| {
            // A bare date means its midnight, so `at__gte=2024-01-01` reads naturally.
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(NaiveTime::MIN))
        })
}

/// `1/true/t/yes/y` or `0/false/f/no/n`, any case.
pub(crate) fn truthy(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "t" | "yes" | "y" => Some(true),
        "0" | "false" | "f" | "no" | "n" => Some(false),
        _ => None,
    }
}

/// A list parameter: a JSON array (`["a,b","c"]`, for items containing commas) or
/// comma-separated text.
pub(crate) fn split_list(text: &str) -> Vec<String> {
    if text.trim_start().starts_with('[')
        && let Ok(items) = serde_json::from_str::<Vec<serde_json::Value>>(text)
    {
        return items
            .into_iter()
            .map(|item| match item {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            })
            .collect();
    }
    text.split(',').map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_follow_the_field_type() {
        assert_eq!(
            parse_value("010010", FieldType::String),
            Ok(Value::String("010010".into()))
        );
        assert_eq!(
            parse_value(" 42 ", FieldType::Integer),
            Ok(Value::Integer(42))
        );
        assert!(parse_value("abc", FieldType::Integer).is_err());
        assert!(parse_value("NaN", FieldType::Number).is_err());
        assert_eq!(
            parse_value("TRUE", FieldType::Boolean),
            Ok(Value::Boolean(true))
        );
        assert!(parse_value("2024-02-30", FieldType::Date).is_err());
        let midnight = NaiveDate::from_ymd_opt(2024, 1, 2).map(|d| d.and_time(NaiveTime::MIN));
        assert_eq!(
            parse_value("2024-01-02", FieldType::Datetime).ok(),
            midnight.map(Value::Datetime)
        );
    }

    #[test]
    fn lists_split_on_commas_or_read_json() {
        assert_eq!(split_list("a,b"), vec!["a", "b"]);
        assert_eq!(split_list(r#"["a,b","c"]"#), vec!["a,b", "c"]);
    }
}
