//! The row API's query: Datasette-style filters, sort, field selection and keyset paging.

use kaifang_domain::{FieldType, Schema};
use kaifang_tabular::Value;

use crate::StoreError;
use crate::datastore::keyset;
use crate::params::{parse_value, split_list, truthy};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterOp {
    Exact,
    Not,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    Contains,
    Startswith,
    Isnull,
    Notnull,
}

impl FilterOp {
    pub const ALL: &'static [Self] = &[
        Self::Exact,
        Self::Not,
        Self::Gt,
        Self::Gte,
        Self::Lt,
        Self::Lte,
        Self::In,
        Self::Contains,
        Self::Startswith,
        Self::Isnull,
        Self::Notnull,
    ];

    /// The suffix after `__` in a parameter name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Not => "not",
            Self::Gt => "gt",
            Self::Gte => "gte",
            Self::Lt => "lt",
            Self::Lte => "lte",
            Self::In => "in",
            Self::Contains => "contains",
            Self::Startswith => "startswith",
            Self::Isnull => "isnull",
            Self::Notnull => "notnull",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|op| op.as_str() == value)
    }
}

impl Filter {
    /// The parameter that expresses this filter (`field` or `field__op`).
    pub fn parameter(&self) -> String {
        match self.op {
            FilterOp::Exact => self.field.clone(),
            op => format!("{}__{}", self.field, op.as_str()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub field: String,
    pub op: FilterOp,
    /// Parsed per the field's type; several for `In`; none for `Isnull`/`Notnull`.
    pub values: Vec<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    Asc,
    Desc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RowQuery {
    pub filters: Vec<Filter>,
    pub sort: Option<(String, SortOrder)>,
    /// `None` for every field.
    pub fields: Option<Vec<String>>,
    /// Already clamped to 1..=1000.
    pub limit: u32,
    /// The `next` token of the previous page.
    pub after: Option<String>,
    /// Text search over the string fields.
    pub q: Option<String>,
}

pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 1000;

impl RowQuery {
    /// Builds a query from URL parameters (`field=v`, `field__op=v`, `_sort`, `_sort_desc`,
    /// `_fields`, `_limit`, `_after`, `_q`), checking each against the schema. Unknown
    /// fields, operators or reserved parameters and malformed values are `BadQuery` naming
    /// the parameter. Parameters the caller handles elsewhere (e.g. `format`, `bom`) are
    /// passed in `ignore`.
    ///
    /// A parameter name is first looked up whole as a field, and only then split at its
    /// last `__` into field and operator, so a field named `a__b` stays filterable. `in`
    /// takes a comma-separated list or a JSON array; `isnull`/`notnull` take `1`/`true`
    /// (`0`/`false` turns one into the other). `_limit` above 1000 is clamped to 1000.
    pub fn from_params(
        params: &[(String, String)],
        schema: &Schema,
        ignore: &[&str],
    ) -> Result<Self, StoreError> {
        let mut query = Self {
            filters: Vec::new(),
            sort: None,
            fields: None,
            limit: DEFAULT_LIMIT,
            after: None,
            q: None,
        };
        let mut seen: Vec<&str> = Vec::new();
        for (name, value) in params {
            if ignore.contains(&name.as_str()) {
                continue;
            }
            let reserved = matches!(
                name.as_str(),
                "_sort" | "_sort_desc" | "_fields" | "_limit" | "_after" | "_q"
            );
            if reserved {
                let once = match name.as_str() {
                    "_sort" | "_sort_desc" => "_sort",
                    other => other,
                };
                if seen.contains(&once) {
                    return Err(bad(name, "given more than once (or with its _sort twin)"));
                }
                seen.push(once);
            }
            match name.as_str() {
                "_sort" | "_sort_desc" => {
                    if schema.field(value).is_none() {
                        return Err(bad(name, format!("unknown field {value:?}")));
                    }
                    let order = if name == "_sort" {
                        SortOrder::Asc
                    } else {
                        SortOrder::Desc
                    };
                    query.sort = Some((value.clone(), order));
                }
                "_fields" => query.fields = Some(parse_fields(name, value, schema)?),
                "_limit" => query.limit = parse_limit(name, value)?,
                "_after" => query.after = Some(value.clone()).filter(|v| !v.trim().is_empty()),
                "_q" => query.q = Some(value.trim().to_owned()).filter(|q| !q.is_empty()),
                _ => query.filters.push(parse_filter(name, value, schema)?),
            }
        }
        if let Some(token) = &query.after {
            let sort = query.sort.as_ref().and_then(|(field, order)| {
                schema
                    .field(field)
                    .map(|f| (f.name.as_str(), f.field_type, *order))
            });
            keyset::decode(token, sort).map_err(|message| bad("_after", message))?;
        }
        Ok(query)
    }
}

fn bad(parameter: &str, message: impl Into<String>) -> StoreError {
    StoreError::BadQuery {
        parameter: parameter.to_owned(),
        message: message.into(),
    }
}

fn parse_fields(name: &str, value: &str, schema: &Schema) -> Result<Vec<String>, StoreError> {
    let mut fields: Vec<String> = Vec::new();
    for field in split_list(value) {
        if schema.field(&field).is_none() {
            return Err(bad(name, format!("unknown field {field:?}")));
        }
        if !fields.contains(&field) {
            fields.push(field);
        }
    }
    if fields.is_empty() {
        return Err(bad(name, "no fields"));
    }
    Ok(fields)
}

fn parse_limit(name: &str, value: &str) -> Result<u32, StoreError> {
    match value.trim().parse::<u64>() {
        Ok(0) | Err(_) => Err(bad(
            name,
            format!("{value:?} is not a positive whole number"),
        )),
        Ok(n) => Ok(u32::try_from(n.min(u64::from(MAX_LIMIT))).unwrap_or(MAX_LIMIT)),
    }
}

fn parse_filter(name: &str, value: &str, schema: &Schema) -> Result<Filter, StoreError> {
    let (field, op) = match schema.field(name) {
        Some(field) => (field, FilterOp::Exact),
        None => {
            let Some((base, suffix)) = name.rsplit_once("__") else {
                return Err(unknown(name));
            };
            let Some(field) = schema.field(base) else {
                return Err(unknown(name));
            };
            let op = FilterOp::parse(suffix).ok_or_else(|| {
                let known: Vec<&str> = FilterOp::ALL.iter().map(|op| op.as_str()).collect();
                bad(
                    name,
                    format!("unknown operator {suffix:?} (one of {})", known.join(", ")),
                )
            })?;
            (field, op)
        }
    };
    let ty = field.field_type;
    let typed = |text: &str| parse_value(text, ty).map_err(|message| bad(name, message));
    let (op, values) = match op {
        FilterOp::Isnull | FilterOp::Notnull => {
            let yes = truthy(value)
                .ok_or_else(|| bad(name, format!("{value:?} is not 1/true or 0/false")))?;
            let op = match (op, yes) {
                (FilterOp::Isnull, true) | (FilterOp::Notnull, false) => FilterOp::Isnull,
                _ => FilterOp::Notnull,
            };
            (op, Vec::new())
        }
        FilterOp::In => {
            let values = split_list(value)
                .iter()
                .map(|v| typed(v))
                .collect::<Result<Vec<_>, _>>()?;
            (op, values)
        }
        FilterOp::Contains | FilterOp::Startswith if ty != FieldType::String => {
            return Err(bad(
                name,
                format!("{} applies to text fields only", op.as_str()),
            ));
        }
        op => (op, vec![typed(value)?]),
    };
    Ok(Filter {
        field: field.name.clone(),
        op,
        values,
    })
}

fn unknown(name: &str) -> StoreError {
    if name.starts_with('_') {
        bad(name, "unknown reserved parameter")
    } else {
        bad(name, "unknown field")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RowPage {
    pub total: u64,
    /// Field names in output order (the `_fields` selection, or the whole schema).
    pub fields: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    pub limit: u32,
    pub next: Option<String>,
}
