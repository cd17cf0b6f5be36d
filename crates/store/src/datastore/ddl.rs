//! Physical names and DDL of datastore tables. Physical names never come from headers:
//! a table is `ds_<resource uuid hex>_<version>`, its columns `_id` and `c0…cN` in schema
//! order, so a hostile header such as `a"; DROP TABLE t; --` is only ever data.

use kaifang_domain::{FieldType, Schema};
use sea_query::{ColumnDef, ColumnType, Index, IndexCreateStatement, Table, TableCreateStatement};
use sea_query::{Iden, TableDropStatement};

use crate::StoreError;
use crate::db::Backend;

/// The row number, 1-based in file order; the tie-breaker of every sort.
pub(crate) const ID: &str = "_id";

/// PostgreSQL: the row's search terms (`terms`), a `text[]` with a GIN index.
pub(crate) const TERMS: &str = "_terms";

pub(crate) fn table_name(resource_id: &str, version: i64) -> Result<String, StoreError> {
    let uuid = uuid::Uuid::parse_str(resource_id).map_err(|_| StoreError::NotFound {
        entity: "resource",
        id: resource_id.to_owned(),
    })?;
    Ok(format!("ds_{}_{version}", uuid.simple()))
}

/// True for names this module makes; a stored name is checked before it is used.
pub(crate) fn is_table_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("ds_") else {
        return false;
    };
    let Some((hex, version)) = rest.split_once('_') else {
        return false;
    };
    hex.len() == 32
        && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && !version.is_empty()
        && version.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn column(position: usize) -> String {
    format!("c{position}")
}

/// A physical identifier; sea-query quotes it where it is used.
#[derive(Debug, Clone)]
pub(crate) struct Name(pub(crate) String);

impl Iden for Name {
    fn unquoted(&self) -> &str {
        &self.0
    }
}

fn column_type(backend: Backend, field_type: FieldType) -> ColumnType {
    match (field_type, backend) {
        // Byte order, as SQLite compares text: sorting and keyset paging agree on both
        // engines whatever the server's locale.
        (FieldType::String, Backend::Postgres) => {
            ColumnType::custom(Name("TEXT COLLATE \"C\"".to_owned()))
        }
        (FieldType::String, Backend::Sqlite) => ColumnType::Text,
        (FieldType::Integer, _) => ColumnType::BigInteger,
        (FieldType::Number, _) => ColumnType::Double,
        (FieldType::Boolean, _) => ColumnType::Boolean,
        (FieldType::Date, Backend::Postgres) => ColumnType::Date,
        (FieldType::Datetime, Backend::Postgres) => ColumnType::DateTime,
        // ISO 8601 text on SQLite: it sorts and compares in time order.
        (FieldType::Date | FieldType::Datetime, Backend::Sqlite) => ColumnType::Text,
    }
}

pub(crate) fn create_table(backend: Backend, table: &str, schema: &Schema) -> TableCreateStatement {
    let mut stmt = Table::create();
    stmt.table(Name(table.to_owned()));
    // On SQLite `integer PRIMARY KEY` is the rowid itself: no second b-tree to fill.
    stmt.col(
        ColumnDef::new(Name(ID.to_owned()))
            .big_integer()
            .not_null()
            .primary_key(),
    );
    for (position, field) in schema.fields.iter().enumerate() {
        stmt.col(ColumnDef::new_with_type(
            Name(column(position)),
            column_type(backend, field.field_type),
        ));
    }
    if backend == Backend::Postgres {
        stmt.col(ColumnDef::new_with_type(
            Name(TERMS.to_owned()),
            ColumnType::custom(Name("TEXT[]".to_owned())),
        ));
    }
    stmt
}

/// SQLite: the FTS5 table holding each row's search terms (rowid = `_id`).
pub(crate) fn terms_table(table: &str) -> String {
    format!("{table}_fts")
}

/// SQLite: `CREATE VIRTUAL TABLE`, which sea-query cannot build; `table` is a name made
/// here. Contentless with neither positions nor sizes: the terms are only ever looked up
/// whole, never read back, ranked or searched as phrases. The `ascii` tokenizer splits
/// only at ASCII punctuation and spaces, which no term holds (`terms`), so each term is
/// exactly one token whatever its script; `unicode61` would split a term such as `กัน`
/// (Thai, with a combining vowel) into two.
pub(crate) fn create_terms_table(table: &str) -> String {
    format!(
        "CREATE VIRTUAL TABLE \"{}\" USING fts5(terms, content='', columnsize=0, \
         detail=none, tokenize='ascii')",
        terms_table(table)
    )
}

/// PostgreSQL: the GIN index over the terms, built once the rows are in.
pub(crate) fn create_terms_index(table: &str) -> String {
    format!("CREATE INDEX \"ix_{table}_terms\" ON \"{table}\" USING gin (\"{TERMS}\")")
}

pub(crate) fn drop_table(table: &str) -> TableDropStatement {
    Table::drop()
        .table(Name(table.to_owned()))
        .if_exists()
        .to_owned()
}

/// Everything a datastore table brings: the table, and on SQLite its terms table (absent
/// for tables loaded before search terms were stored; `IF EXISTS` covers them).
pub(crate) fn drop_statements(backend: Backend, table: &str) -> Vec<TableDropStatement> {
    let mut statements = vec![drop_table(table)];
    if backend == Backend::Sqlite {
        statements.push(drop_table(&terms_table(table)));
    }
    statements
}

pub(crate) fn index_name(table: &str, position: usize) -> String {
    format!("ix_{table}_c{position}")
}

/// `(cN, _id)`: serves filters on the column and keyset paging sorted by it.
pub(crate) fn create_index(table: &str, position: usize) -> IndexCreateStatement {
    Index::create()
        .if_not_exists()
        .name(index_name(table, position))
        .table(Name(table.to_owned()))
        .col(Name(column(position)))
        .col(Name(ID.to_owned()))
        .to_owned()
}
