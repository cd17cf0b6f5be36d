//! The `next` token of a row page: the last row's sort value and `_id`, with the sort it
//! belongs to, as URL-safe base64 of a small JSON object. Opaque to clients; checked
//! strictly when it comes back, so a garbage or foreign token is a `BadQuery`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{NaiveDate, NaiveDateTime};
use kaifang_domain::FieldType;
use kaifang_tabular::Value;
use serde::{Deserialize, Serialize};

use super::convert::{DATE_FORMAT, DATETIME_FORMAT};
use crate::rows::SortOrder;

/// Where the previous page ended.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cursor {
    /// The sort column's value in the last row (`Null` when it was null); `Null` when
    /// rows are in `_id` order.
    pub(crate) value: Value,
    pub(crate) id: i64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Token {
    /// Sort field name; absent for `_id` order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    s: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    d: Option<bool>,
    #[serde(default)]
    v: serde_json::Value,
    i: i64,
}

/// The sort a token must belong to: field name, type and direction.
pub(crate) type SortKey<'a> = Option<(&'a str, FieldType, SortOrder)>;

pub(crate) fn encode(sort: SortKey<'_>, value: &Value, id: i64) -> String {
    let token = Token {
        s: sort.map(|(name, _, _)| name.to_owned()),
        d: sort.map(|(_, _, order)| order == SortOrder::Desc),
        v: if sort.is_some() {
            value.to_json()
        } else {
            serde_json::Value::Null
        },
        i: id,
    };
    // Serializing this struct cannot fail; an empty token would only restart paging.
    let json = serde_json::to_vec(&token).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

pub(crate) fn decode(token: &str, sort: SortKey<'_>) -> Result<Cursor, String> {
    let garbage = || "not a next token from this API".to_owned();
    let bytes = URL_SAFE_NO_PAD
        .decode(token.trim())
        .map_err(|_| garbage())?;
    let token: Token = serde_json::from_slice(&bytes).map_err(|_| garbage())?;
    if token.i < 0 {
        return Err(garbage());
    }
    let expected_name = sort.map(|(name, _, _)| name);
    let expected_desc = sort.map(|(_, _, order)| order == SortOrder::Desc);
    if token.s.as_deref() != expected_name || token.d != expected_desc {
        return Err("the token belongs to a different sort; keep _sort as it was".to_owned());
    }
    let value = match sort {
        None => Value::Null,
        Some((_, field_type, _)) => value(&token.v, field_type).ok_or_else(garbage)?,
    };
    Ok(Cursor { value, id: token.i })
}

fn value(json: &serde_json::Value, field_type: FieldType) -> Option<Value> {
    use serde_json::Value as J;
    Some(match (json, field_type) {
        (J::Null, _) => Value::Null,
        (J::String(s), FieldType::String) => Value::String(s.clone()),
        (J::Number(n), FieldType::Integer) => Value::Integer(n.as_i64()?),
        (J::Number(n), FieldType::Number) => Value::Number(n.as_f64()?),
        (J::Bool(b), FieldType::Boolean) => Value::Boolean(*b),
        (J::String(s), FieldType::Date) => {
            Value::Date(NaiveDate::parse_from_str(s, DATE_FORMAT).ok()?)
        }
        (J::String(s), FieldType::Datetime) => {
            Value::Datetime(NaiveDateTime::parse_from_str(s, DATETIME_FORMAT).ok()?)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_for_its_own_sort_only() {
        let sort = Some(("价格", FieldType::Number, SortOrder::Desc));
        let token = encode(sort, &Value::Number(12.5), 42);
        assert_eq!(
            decode(&token, sort),
            Ok(Cursor {
                value: Value::Number(12.5),
                id: 42
            })
        );
        assert!(decode(&token, Some(("价格", FieldType::Number, SortOrder::Asc))).is_err());
        assert!(decode(&token, None).is_err());
        assert!(decode("not-a-token", None).is_err());
        let plain = encode(None, &Value::Null, 7);
        assert_eq!(
            decode(&plain, None),
            Ok(Cursor {
                value: Value::Null,
                id: 7
            })
        );
    }
}
