//! Row pages and row streams over a resource's live table (order and paging: `plan`).

use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use kaifang_domain::{FieldType, Schema};
use kaifang_tabular::Value;
use sea_query::{PostgresQueryBuilder, SelectStatement, SqliteQueryBuilder};
use sea_query_sqlx::SqlxBinder;
use sqlx::AssertSqlSafe;

use super::convert::{decode_pg, decode_sqlite};
use super::count_cache::CountCache;
use super::ddl;
use super::filter::Search;
use super::indexer::Indexer;
use super::keyset::{self, Cursor};
use super::plan::Plan;
use super::terms::TermQuery;
use crate::StoreError;
use crate::catalog::resources::{self, parse_schema};
use crate::db::Db;
use crate::rows::{MAX_LIMIT, RowPage, RowQuery};
use crate::sql::Count;

/// The table holding a resource's rows now, with its schema and row count.
pub(crate) struct LiveTable {
    pub(crate) table: String,
    pub(crate) schema: Schema,
    pub(crate) rows: Option<i64>,
}

pub(crate) async fn live_table(db: &Db, resource_id: &str) -> Result<LiveTable, StoreError> {
    let row = resources::row(db, resource_id).await?;
    let table = row
        .datastore_table
        .filter(|t| ddl::is_table_name(t))
        .ok_or_else(|| StoreError::NotFound {
            entity: "datastore",
            id: resource_id.to_owned(),
        })?;
    Ok(LiveTable {
        table,
        schema: parse_schema(&row.schema_json)?,
        rows: row.row_count,
    })
}

/// How `live` answers the query's `_q`: over its stored terms, or — a table loaded before
/// terms were stored — by the substring scan. Which one is read from the database (the
/// FTS5 table, or the `_terms` column, exists or not) and remembered in `counts` when
/// given: a table never changes once loaded.
pub(crate) async fn search(
    db: &Db,
    counts: Option<&CountCache>,
    live: &LiveTable,
    q: Option<&str>,
) -> Result<Search, StoreError> {
    let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) else {
        return Ok(Search::Nothing);
    };
    let Some(terms) = TermQuery::parse(q)? else {
        return Ok(Search::Nothing);
    };
    let known = counts.and_then(|c| c.has_terms(&live.table));
    let has_terms = match known {
        Some(known) => known,
        None => {
            let found = has_terms(db, &live.table).await?;
            if let Some(counts) = counts {
                counts.remember_terms(&live.table, found);
            }
            found
        }
    };
    Ok(if has_terms {
        Search::Terms(terms)
    } else {
        Search::Substring(q.to_owned())
    })
}

/// Whether `table` was loaded with its search terms.
async fn has_terms(db: &Db, table: &str) -> Result<bool, StoreError> {
    let found = match db {
        Db::Sqlite(pool) => {
            sqlx::query_as::<_, Count>(
                "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = $1",
            )
            .bind(ddl::terms_table(table))
            .fetch_one(pool)
            .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_as::<_, Count>(
                "SELECT count(*)::bigint AS n FROM pg_attribute \
                 WHERE attrelid = to_regclass(quote_ident($1)) AND attname = $2 \
                 AND NOT attisdropped",
            )
            .bind(table)
            .bind(ddl::TERMS)
            .fetch_one(pool)
            .await?
        }
    };
    Ok(found.n > 0)
}

/// Up to `limit` rows after the cursor, in order.
async fn plan_rows(
    plan: &Plan,
    db: &Db,
    cursor: Option<&Cursor>,
    limit: u32,
) -> Result<Vec<Vec<Value>>, StoreError> {
    let types = plan.page_types();
    let Some((column, _)) = &plan.sort else {
        let stmt = plan.by_id_statement(None, cursor.map(|c| c.id), limit);
        return fetch_rows(db, &stmt, &types).await;
    };
    let in_nulls = cursor.is_some_and(|c| c.value == Value::Null);
    let mut rows = Vec::new();
    if !in_nulls {
        let after = cursor.map(|c| (&c.value, c.id));
        rows = fetch_rows(db, &plan.values_statement(column, after, limit), &types).await?;
    }
    let missing = usize::try_from(limit)
        .unwrap_or(usize::MAX)
        .saturating_sub(rows.len());
    if missing > 0 {
        let after_id = if in_nulls { cursor.map(|c| c.id) } else { None };
        let missing = u32::try_from(missing).unwrap_or(limit);
        let stmt = plan.by_id_statement(Some(column), after_id, missing);
        rows.extend(fetch_rows(db, &stmt, &types).await?);
    }
    Ok(rows)
}

async fn fetch_rows(
    db: &Db,
    stmt: &SelectStatement,
    types: &[FieldType],
) -> Result<Vec<Vec<Value>>, StoreError> {
    match db {
        Db::Sqlite(pool) => {
            let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
            let rows = sqlx::query_with(AssertSqlSafe(sql), values)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|row| {
                    types
                        .iter()
                        .enumerate()
                        .map(|(i, t)| decode_sqlite(row, i, *t))
                        .collect()
                })
                .collect()
        }
        Db::Postgres(pool) => {
            let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
            let rows = sqlx::query_with(AssertSqlSafe(sql), values)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|row| {
                    types
                        .iter()
                        .enumerate()
                        .map(|(i, t)| decode_pg(row, i, *t))
                        .collect()
                })
                .collect()
        }
    }
}

async fn total(
    db: &Db,
    counts: &CountCache,
    plan: &Plan,
    live: &LiveTable,
) -> Result<u64, StoreError> {
    if !plan.has_filters
        && let Some(rows) = live.rows
    {
        return Ok(u64::try_from(rows).unwrap_or(0));
    }
    let cell = counts.total(&plan.table, &plan.filter.key);
    let count = cell
        .get_or_try_init(|| async {
            let count = db
                .fetch_optional::<Count>(&plan.count_statement())
                .await?
                .map_or(0, |c| c.n);
            Ok::<_, StoreError>(u64::try_from(count).unwrap_or(0))
        })
        .await?;
    Ok(*count)
}

pub(crate) async fn page(
    db: &Db,
    counts: &CountCache,
    indexer: &Indexer,
    resource_id: &str,
    query: &RowQuery,
) -> Result<RowPage, StoreError> {
    let live = live_table(db, resource_id).await?;
    match page_of(db, counts, indexer, &live, query).await {
        // A load may have swapped the table between the lookup and the query; retry
        // once on the new table.
        Err(StoreError::Database(e)) => match live_table(db, resource_id).await {
            Ok(now) if now.table != live.table => page_of(db, counts, indexer, &now, query).await,
            _ => Err(StoreError::Database(e)),
        },
        other => other,
    }
}

async fn page_of(
    db: &Db,
    counts: &CountCache,
    indexer: &Indexer,
    live: &LiveTable,
    query: &RowQuery,
) -> Result<RowPage, StoreError> {
    let search = search(db, Some(counts), live, query.q.as_deref()).await?;
    let plan = Plan::new(db.backend(), live, query, &search)?;
    let cursor = match query.after.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(token) => Some(keyset::decode(token, plan.sort_key()).map_err(|message| {
            StoreError::BadQuery {
                parameter: "_after".to_owned(),
                message,
            }
        })?),
        None => None,
    };
    for position in plan.indexed() {
        indexer.ensure(db, &plan.table, position);
    }
    let limit = query.limit.clamp(1, MAX_LIMIT);
    // One row more than the page tells whether there is a next page.
    let (mut rows, total) = tokio::try_join!(
        plan_rows(&plan, db, cursor.as_ref(), limit + 1),
        total(db, counts, &plan, live)
    )?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let skip = if plan.sort.is_some() { 2 } else { 1 };
    let next = match rows.last() {
        Some(last) if more => {
            let id = match last.first() {
                Some(Value::Integer(id)) => *id,
                _ => 0,
            };
            let value = if plan.sort.is_some() {
                last.get(1).cloned()
            } else {
                None
            };
            Some(keyset::encode(
                plan.sort_key(),
                &value.unwrap_or(Value::Null),
                id,
            ))
        }
        _ => None,
    };
    let rows = rows
        .into_iter()
        .map(|row| row.into_iter().skip(skip).collect())
        .collect();
    Ok(RowPage {
        total,
        fields: plan.outputs.iter().map(|c| c.name.clone()).collect(),
        rows,
        limit,
        next,
    })
}

/// Every matching row in the query's order; `limit` and `after` do not apply.
pub(crate) fn stream(
    db: Db,
    resource_id: String,
    query: RowQuery,
) -> BoxStream<'static, Result<Vec<Value>, StoreError>> {
    async_stream::try_stream! {
        let live = live_table(&db, &resource_id).await?;
        // No cache at hand here: one look at the schema per download with a `_q`.
        let search = search(&db, None, &live, query.q.as_deref()).await?;
        let plan = Plan::new(db.backend(), &live, &query, &search)?;
        let types: Vec<FieldType> = plan.outputs.iter().map(|c| c.field_type).collect();
        let statement = plan.stream_statement();
        match &db {
            Db::Sqlite(pool) => {
                let (sql, values) = statement.build_sqlx(SqliteQueryBuilder);
                let mut rows = sqlx::query_with(AssertSqlSafe(sql), values).fetch(pool);
                while let Some(row) = rows.try_next().await.map_err(StoreError::from)? {
                    let cells: Vec<Value> = types
                        .iter()
                        .enumerate()
                        .map(|(i, t)| decode_sqlite(&row, i, *t))
                        .collect::<Result<_, StoreError>>()?;
                    yield cells;
                }
            }
            Db::Postgres(pool) => {
                let (sql, values) = statement.build_sqlx(PostgresQueryBuilder);
                let mut rows = sqlx::query_with(AssertSqlSafe(sql), values).fetch(pool);
                while let Some(row) = rows.try_next().await.map_err(StoreError::from)? {
                    let cells: Vec<Value> = types
                        .iter()
                        .enumerate()
                        .map(|(i, t)| decode_pg(&row, i, *t))
                        .collect::<Result<_, StoreError>>()?;
                    yield cells;
                }
            }
        }
    }
    .boxed()
}

/// Fields of the live table that have an index built (by `Indexer`).
pub(crate) async fn indexed_fields(db: &Db, resource_id: &str) -> Result<Vec<String>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct IndexName {
        name: String,
    }
    let live = live_table(db, resource_id).await?;
    let names: Vec<IndexName> = match db {
        Db::Sqlite(pool) => {
            sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = $1")
                .bind(&live.table)
                .fetch_all(pool)
                .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_as("SELECT indexname AS name FROM pg_indexes WHERE tablename = $1")
                .bind(&live.table)
                .fetch_all(pool)
                .await?
        }
    };
    let mut fields = Vec::new();
    for (position, field) in live.schema.fields.iter().enumerate() {
        let wanted = ddl::index_name(&live.table, position);
        if names.iter().any(|n| n.name == wanted) {
            fields.push(field.name.clone());
        }
    }
    Ok(fields)
}
