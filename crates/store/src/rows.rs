//! The row API's query: Datasette-style filters, sort, field selection and keyset paging.

use kaifang_domain::Schema;
use kaifang_tabular::Value;

use crate::StoreError;

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
    pub fn from_params(
        params: &[(String, String)],
        schema: &Schema,
        ignore: &[&str],
    ) -> Result<Self, StoreError> {
        let _ = (params, schema, ignore);
        Err(StoreError::Unavailable("not yet built".to_owned()))
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
