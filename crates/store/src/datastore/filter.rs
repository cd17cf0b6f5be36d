//! A row query's filters and text search as one SQL condition on physical columns.

use kaifang_domain::{FieldType, Schema};
use kaifang_tabular::Value;
use sea_query::extension::postgres::PgBinOper;
use sea_query::extension::sqlite::SqliteBinOper;
use sea_query::{Condition, Expr, ExprTrait, Query};

use super::convert::to_sql;
use super::copy_text::array_literal;
use super::ddl;
use super::terms::TermQuery;
use crate::StoreError;
use crate::db::Backend;
use crate::rows::{Filter, FilterOp};
use crate::sql::{contains, contains_ci, starts_with};

/// A field resolved against the live table's schema.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub(crate) name: String,
    pub(crate) position: usize,
    pub(crate) field_type: FieldType,
}

impl Column {
    pub(crate) fn resolve(
        schema: &Schema,
        name: &str,
        parameter: &str,
    ) -> Result<Self, StoreError> {
        let position = schema.position(name).ok_or_else(|| StoreError::BadQuery {
            parameter: parameter.to_owned(),
            message: format!("unknown field {name:?}"),
        })?;
        let field_type = schema
            .fields
            .get(position)
            .map_or(FieldType::String, |f| f.field_type);
        Ok(Self {
            name: name.to_owned(),
            position,
            field_type,
        })
    }

    pub(crate) fn expr(&self) -> Expr {
        Expr::col(ddl::Name(ddl::column(self.position)))
    }
}

/// The condition, the columns it filters on (worth an index), and a canonical text of it
/// (the count cache's key).
pub(crate) struct Where {
    pub(crate) condition: Condition,
    pub(crate) filtered: Vec<usize>,
    pub(crate) key: String,
}

/// What `_q` asks of a table.
#[derive(Debug, Clone)]
pub(crate) enum Search {
    /// No `_q`, or one with nothing to look for (only spaces, punctuation, quotes…).
    Nothing,
    /// Rows whose stored terms hold the query's (the table was loaded with terms).
    Terms(TermQuery),
    /// Case-insensitive substring of a text field: tables loaded before terms were
    /// stored.
    Substring(String),
}

impl Search {
    pub(crate) fn is_nothing(&self) -> bool {
        matches!(self, Self::Nothing)
    }
}

pub(crate) fn build(
    backend: Backend,
    schema: &Schema,
    table: &str,
    filters: &[Filter],
    search: &Search,
) -> Result<Where, StoreError> {
    let mut condition = Condition::all();
    let mut filtered = Vec::new();
    let mut keys = Vec::new();
    for filter in filters {
        let parameter = filter.parameter();
        let column = Column::resolve(schema, &filter.field, &parameter)?;
        let values = filter
            .values
            .iter()
            .map(|v| fit(v, column.field_type))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| StoreError::BadQuery {
                parameter: parameter.clone(),
                message: format!(
                    "value does not match the {} field",
                    column.field_type.as_str()
                ),
            })?;
        condition = condition.add(filter_expr(
            backend, &column, filter.op, &values, &parameter,
        )?);
        if !matches!(filter.op, FilterOp::Contains) {
            filtered.push(column.position);
        }
        keys.push(format!(
            "{}:{}:{values:?}",
            column.position,
            filter.op.as_str()
        ));
    }
    match search {
        Search::Nothing => {}
        Search::Terms(query) => {
            condition = condition.add(terms_search(backend, table, query));
            keys.push(format!("q:{}", query.key()));
        }
        Search::Substring(q) => {
            condition = condition.add(text_search(backend, schema, q));
            keys.push(format!("q:{q}"));
        }
    }
    keys.sort();
    Ok(Where {
        condition,
        filtered,
        key: keys.join("\u{1f}"),
    })
}

/// A filter value as the column stores it; `None` when it cannot be.
fn fit(value: &Value, field_type: FieldType) -> Option<Value> {
    match (value, field_type) {
        (Value::String(_), FieldType::String)
        | (Value::Integer(_), FieldType::Integer)
        | (Value::Number(_), FieldType::Number)
        | (Value::Boolean(_), FieldType::Boolean)
        | (Value::Date(_), FieldType::Date)
        | (Value::Datetime(_), FieldType::Datetime) => Some(value.clone()),
        (Value::Integer(i), FieldType::Number) => Some(Value::Number(*i as f64)),
        _ => None,
    }
}

fn filter_expr(
    backend: Backend,
    column: &Column,
    op: FilterOp,
    values: &[Value],
    parameter: &str,
) -> Result<Expr, StoreError> {
    let bad = |message: &str| StoreError::BadQuery {
        parameter: parameter.to_owned(),
        message: message.to_owned(),
    };
    let col = column.expr();
    let one = || match values {
        [v] => Ok(Expr::val(to_sql(backend, v))),
        _ => Err(bad("expects exactly one value")),
    };
    Ok(match op {
        FilterOp::Exact => col.eq(one()?),
        // "Not v" includes the rows with no value at all.
        FilterOp::Not => col.clone().ne(one()?).or(col.is_null()),
        FilterOp::Gt => col.gt(one()?),
        FilterOp::Gte => col.gte(one()?),
        FilterOp::Lt => col.lt(one()?),
        FilterOp::Lte => col.lte(one()?),
        FilterOp::In => {
            if values.is_empty() {
                return Err(bad("expects at least one value"));
            }
            col.is_in(values.iter().map(|v| to_sql(backend, v)))
        }
        FilterOp::Contains | FilterOp::Startswith if column.field_type != FieldType::String => {
            return Err(bad("applies to text fields only"));
        }
        FilterOp::Contains => contains(backend, col, one()?),
        FilterOp::Startswith => starts_with(backend, col, one()?),
        FilterOp::Isnull => col.is_null(),
        FilterOp::Notnull => col.is_not_null(),
    })
}

/// `_q` over the stored terms, every term a bound value. SQLite: the rows the FTS5 table
/// matches, `_id IN (SELECT rowid FROM t_fts WHERE t_fts MATCH ?)`; PostgreSQL: per piece,
/// `_terms @> ARRAY[…]` for each alternative, served by the GIN index.
fn terms_search(backend: Backend, table: &str, query: &TermQuery) -> Condition {
    match backend {
        Backend::Sqlite => {
            let fts = ddl::terms_table(table);
            let matching = Query::select()
                .expr(Expr::col(ddl::Name("rowid".to_owned())))
                .from(ddl::Name(fts.clone()))
                .and_where(
                    Expr::col(ddl::Name(fts))
                        .binary(SqliteBinOper::Match, Expr::val(query.fts5_expression())),
                )
                .to_owned();
            Condition::all().add(Expr::col(ddl::Name(ddl::ID.to_owned())).in_subquery(matching))
        }
        Backend::Postgres => {
            let mut all = Condition::all();
            for alternatives in query.pieces() {
                let mut any = Condition::any();
                for terms in alternatives {
                    // One bound array literal: sea-query reads `[…]` in custom SQL as a
                    // quoted name, so `ARRAY[$1, …]` cannot carry placeholders.
                    let array = Expr::cust_with_expr(
                        "$1::text[]",
                        array_literal(terms.iter().map(String::as_str)),
                    );
                    let terms_col = Expr::col(ddl::Name(ddl::TERMS.to_owned()));
                    any = any.add(terms_col.binary(PgBinOper::Contains, array));
                }
                all = all.add(any);
            }
            all
        }
    }
}

/// `_q` on a table loaded before search terms were stored: case-insensitive substring
/// over every text field.
pub(crate) fn text_search(backend: Backend, schema: &Schema, q: &str) -> Condition {
    let mut any = Condition::any();
    let mut text_fields = 0;
    for (position, field) in schema.fields.iter().enumerate() {
        if field.field_type == FieldType::String {
            let col = Expr::col(ddl::Name(ddl::column(position)));
            any = any.add(contains_ci(backend, col, q));
            text_fields += 1;
        }
    }
    if text_fields == 0 {
        // No text to search: nothing matches.
        any = any.add(Expr::cust("1 = 0"));
    }
    any
}
