//! Loading a resource's rows: a new table beside the live one, filled from the channel,
//! swapped in by one transaction only when complete. Any failure drops the new table and
//! leaves the previous version live.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kaifang_domain::{FieldType, Schema};
use kaifang_tabular::Value;
use sea_query::{Expr, ExprTrait, LockType, Query, SqliteQueryBuilder};
use sqlx::postgres::PgPool;
use sqlx::sqlite::{SqliteArguments, SqlitePool};
use sqlx::{Arguments, AssertSqlSafe, Connection};
use tokio::sync::mpsc::{self, Receiver, Sender};
use tokio::task::JoinHandle;

use super::convert::{conform, date_text, datetime_text};
use super::copy_text;
use super::ddl::{self, ID, Name, TERMS};
use super::terms::{TermCache, row_terms};
use crate::StoreError;
use crate::catalog::changes::{ChangeKind, record};
use crate::catalog::resources::{schema_json, touch_dataset};
use crate::catalog::tables::Resources;
use crate::db::Db;
use crate::stamp::{format_time, now};

pub(crate) type Batch = Result<Vec<Vec<Value>>, String>;

/// SQLite's default limit of bound parameters per statement.
const SQLITE_MAX_PARAMS: usize = 32_766;
/// Rows per INSERT; larger statements gained nothing measurable.
const SQLITE_MAX_ROWS_PER_INSERT: usize = 1_000;
/// A load commits its side table now and then, so other writers wait for at most this
/// long; the table is invisible until the swap, so partial commits show nothing.
const SQLITE_COMMIT_EVERY: Duration = Duration::from_millis(500);
/// Bytes of COPY text sent to PostgreSQL at a time.
const PG_COPY_CHUNK: usize = 1 << 20;
/// Batches being cut into search terms at once, each on a blocking thread: segmenting
/// costs more CPU than writing, so it gets every core while the writer runs.
const TERM_JOBS: usize = 2;

/// The channel, with the end-of-data protocol: an empty batch marks the end; the load
/// counts as complete only if that marker arrived and nothing followed it.
struct Source {
    rx: Receiver<Batch>,
    types: Vec<FieldType>,
    resource_id: String,
    rows: u64,
    ended: bool,
}

impl Source {
    fn abort(&self, reason: impl Into<String>) -> StoreError {
        StoreError::LoadAborted {
            resource_id: self.resource_id.clone(),
            reason: reason.into(),
        }
    }

    /// The next batch, each cell checked against its column; `None` at a complete end.
    async fn next(&mut self) -> Result<Option<Vec<Vec<Value>>>, StoreError> {
        loop {
            match self.rx.recv().await {
                Some(Ok(batch)) if batch.is_empty() => self.ended = true,
                Some(Ok(_)) if self.ended => {
                    return Err(self.abort("rows arrived after the end-of-data marker"));
                }
                Some(Ok(batch)) => return self.conform(batch).map(Some),
                Some(Err(reason)) => return Err(self.abort(reason)),
                None if self.ended => return Ok(None),
                None => {
                    return Err(self.abort("the row producer stopped before the end of the data"));
                }
            }
        }
    }

    fn conform(&mut self, batch: Vec<Vec<Value>>) -> Result<Vec<Vec<Value>>, StoreError> {
        let mut out = Vec::with_capacity(batch.len());
        for row in batch {
            self.rows += 1;
            if row.len() != self.types.len() {
                return Err(self.abort(format!(
                    "row {} has {} cells, the schema {} fields",
                    self.rows,
                    row.len(),
                    self.types.len()
                )));
            }
            let mut cells = Vec::with_capacity(row.len());
            for (position, (value, ty)) in row.into_iter().zip(&self.types).enumerate() {
                let cell = conform(value, *ty).map_err(|e| {
                    self.abort(format!("row {}, field {}: {e}", self.rows, position + 1))
                })?;
                cells.push(cell);
            }
            out.push(cells);
        }
        Ok(out)
    }
}

#[tracing::instrument(skip_all, fields(resource_id = %resource_id))]
pub(crate) async fn load(
    db: &Db,
    resource_id: &str,
    schema: &Schema,
    rx: Receiver<Batch>,
) -> Result<u64, StoreError> {
    let started = Instant::now();
    let version = next_version(db, resource_id).await?;
    let table = ddl::table_name(resource_id, version)?;
    db.ddl(&ddl::create_table(db.backend(), &table, schema))
        .await?;
    if let Db::Sqlite(pool) = db
        && let Err(e) = sqlx::query(AssertSqlSafe(ddl::create_terms_table(&table)))
            .execute(pool)
            .await
    {
        drop_new(db, &table).await;
        return Err(e.into());
    }
    let source = Source {
        rx,
        types: schema.fields.iter().map(|f| f.field_type).collect(),
        resource_id: resource_id.to_owned(),
        rows: 0,
        ended: false,
    };
    let filled = match db {
        Db::Sqlite(pool) => fill_sqlite(pool, &table, source).await,
        Db::Postgres(pool) => fill_postgres(pool, &table, source).await,
    };
    let outcome = match filled {
        Ok(rows) => swap(db, resource_id, &table, schema, rows)
            .await
            .map(|()| rows),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(rows) => {
            let seconds = started.elapsed().as_secs_f64();
            tracing::info!(table, rows, seconds, "datastore table loaded");
            Ok(rows)
        }
        Err(e) => {
            tracing::warn!(table, error = %e, "datastore load failed; previous table stays live");
            drop_new(db, &table).await;
            Err(e)
        }
    }
}

/// Drops a table whose load failed, with its terms.
async fn drop_new(db: &Db, table: &str) {
    for statement in ddl::drop_statements(db.backend(), table) {
        if let Err(cleanup) = db.ddl(&statement).await {
            tracing::error!(table, error = %cleanup, "could not drop the abandoned table");
        }
    }
}

/// A batch of checked rows with each row's search terms, joined by spaces.
struct Termed {
    rows: Vec<Vec<Value>>,
    terms: Vec<String>,
}

/// Reads the source and cuts each batch's text cells into search terms on blocking
/// threads, `TERM_JOBS` batches at a time, handing the batches on in order; a failure goes
/// down the channel. Returns the rows read.
async fn cut_terms(mut source: Source, out: Sender<Result<Termed, StoreError>>) -> u64 {
    let text_columns: Arc<[usize]> = source
        .types
        .iter()
        .enumerate()
        .filter(|(_, t)| **t == FieldType::String)
        .map(|(position, _)| position)
        .collect();
    let cache = Arc::new(TermCache::default());
    let mut jobs: VecDeque<JoinHandle<Termed>> = VecDeque::with_capacity(TERM_JOBS);
    let failed = loop {
        let ended = match source.next().await {
            Ok(Some(rows)) => {
                let columns = Arc::clone(&text_columns);
                let cache = Arc::clone(&cache);
                jobs.push_back(tokio::task::spawn_blocking(move || {
                    let terms = rows
                        .iter()
                        .map(|row| row_terms(row, &columns, &cache))
                        .collect();
                    Termed { rows, terms }
                }));
                false
            }
            Ok(None) => true,
            Err(e) => break Some(e),
        };
        while jobs.len() >= TERM_JOBS || (ended && !jobs.is_empty()) {
            let Some(job) = jobs.pop_front() else { break };
            let termed = job
                .await
                .map_err(|e| source.abort(format!("cutting terms: {e}")));
            if out.send(termed).await.is_err() {
                // The writer stopped; its error is the one reported.
                return source.rows;
            }
        }
        if ended {
            break None;
        }
    };
    if let Some(e) = failed {
        let _ = out.send(Err(e)).await;
    }
    source.rows
}

/// The rows read by the term cutter; a cutter that panicked aborts the load.
async fn rows_read(cutter: JoinHandle<u64>, resource_id: &str) -> Result<u64, StoreError> {
    cutter.await.map_err(|e| StoreError::LoadAborted {
        resource_id: resource_id.to_owned(),
        reason: format!("row reader failed: {e}"),
    })
}

#[derive(sqlx::FromRow)]
struct Version {
    datastore_version: i64,
}

/// Bumps the resource's version counter, so concurrent loads never share a table name.
async fn next_version(db: &Db, resource_id: &str) -> Result<i64, StoreError> {
    let update = Query::update()
        .table(Resources::Table)
        .value(
            Resources::DatastoreVersion,
            Expr::col(Resources::DatastoreVersion).add(1),
        )
        .and_where(Expr::col(Resources::Id).eq(resource_id))
        .returning_col(Resources::DatastoreVersion)
        .to_owned();
    db.fetch_optional::<Version>(&update)
        .await?
        .map(|v| v.datastore_version)
        .ok_or_else(|| StoreError::NotFound {
            entity: "resource",
            id: resource_id.to_owned(),
        })
}

/// `INSERT INTO table (_id, c0…) VALUES (?…), …` for `rows` rows, built once per size and
/// reused, so SQLite prepares it once per connection.
fn insert_sql(table: &str, columns: usize, rows: usize) -> Result<Arc<str>, StoreError> {
    let mut names = vec![Name(ID.to_owned())];
    names.extend((0..columns).map(|p| Name(ddl::column(p))));
    insert_names_sql(table, names, rows)
}

/// `INSERT INTO table_fts (rowid, terms) VALUES (?, ?), …` for `rows` rows.
fn terms_insert_sql(table: &str, rows: usize) -> Result<Arc<str>, StoreError> {
    let names = vec![Name("rowid".to_owned()), Name("terms".to_owned())];
    insert_names_sql(&ddl::terms_table(table), names, rows)
}

fn insert_names_sql(table: &str, names: Vec<Name>, rows: usize) -> Result<Arc<str>, StoreError> {
    let placeholder: Vec<sea_query::Expr> = names
        .iter()
        .map(|_| Expr::val(sea_query::Value::BigInt(None)))
        .collect();
    let mut stmt = Query::insert();
    stmt.into_table(Name(table.to_owned())).columns(names);
    for _ in 0..rows {
        stmt.values(placeholder.clone())
            .map_err(|e| StoreError::Database(sqlx::Error::Encode(Box::new(e))))?;
    }
    let (sql, _) = stmt.build(SqliteQueryBuilder);
    Ok(sql.into())
}

fn bind(args: &mut SqliteArguments, value: Value) -> Result<(), StoreError> {
    let added = match value {
        Value::Null => args.add(None::<i64>),
        Value::String(s) => args.add(s),
        Value::Integer(i) => args.add(i),
        Value::Number(n) => args.add(n),
        Value::Boolean(b) => args.add(b),
        Value::Date(d) => args.add(date_text(&d)),
        Value::Datetime(t) => args.add(datetime_text(&t)),
    };
    added.map_err(|e| StoreError::Database(sqlx::Error::Encode(e)))
}

/// Three stages, so that cutting terms, checking and binding the next rows overlap SQLite
/// writing the previous ones: the cutter adds each row's terms, the builder turns batches
/// into bound INSERTs (rows, and their terms into the FTS5 table), the writer runs them.
async fn fill_sqlite(pool: &SqlitePool, table: &str, source: Source) -> Result<u64, StoreError> {
    let resource_id = source.resource_id.clone();
    let columns = source.types.len();
    let has_text = source.types.contains(&FieldType::String);
    let (termed, batches) = mpsc::channel(1);
    let cutter = tokio::spawn(cut_terms(source, termed));
    let (chunks, mut ready) = mpsc::channel::<Result<Chunk, StoreError>>(2);
    let builder = tokio::spawn(build_chunks(
        table.to_owned(),
        columns,
        has_text,
        batches,
        chunks,
    ));
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let mut last_commit = Instant::now();
    while let Some(chunk) = ready.recv().await {
        let Chunk { rows, terms } = chunk?;
        for (sql, args) in std::iter::once(rows).chain(terms) {
            sqlx::query_with(AssertSqlSafe(sql), args)
                .execute(&mut *tx)
                .await?;
        }
        if last_commit.elapsed() >= SQLITE_COMMIT_EVERY {
            tx.commit().await?;
            tx = conn.begin_with("BEGIN IMMEDIATE").await?;
            last_commit = Instant::now();
        }
    }
    let built = builder.await.map_err(|e| StoreError::LoadAborted {
        resource_id: resource_id.clone(),
        reason: format!("row builder failed: {e}"),
    });
    let rows = rows_read(cutter, &resource_id).await?;
    built?;
    tx.commit().await?;
    Ok(rows)
}

/// One INSERT of rows ready to run, and the INSERT of their terms (none when the table
/// has no text field).
struct Chunk {
    rows: (Arc<str>, SqliteArguments),
    terms: Option<(Arc<str>, SqliteArguments)>,
}

/// The statements of a chunk, made once per size.
struct Inserts {
    rows: Arc<str>,
    terms: Option<Arc<str>>,
}

impl Inserts {
    fn new(table: &str, columns: usize, has_text: bool, rows: usize) -> Result<Self, StoreError> {
        Ok(Self {
            rows: insert_sql(table, columns, rows)?,
            terms: has_text
                .then(|| terms_insert_sql(table, rows))
                .transpose()?,
        })
    }
}

/// Turns the batches into chunks of `per_insert` rows. A failure is sent down the channel
/// for the writer to return.
async fn build_chunks(
    table: String,
    columns: usize,
    has_text: bool,
    mut batches: Receiver<Result<Termed, StoreError>>,
    chunks: Sender<Result<Chunk, StoreError>>,
) {
    let per_insert = (SQLITE_MAX_PARAMS / (columns + 1)).clamp(1, SQLITE_MAX_ROWS_PER_INSERT);
    let built: Result<(), StoreError> = async {
        let full = Inserts::new(&table, columns, has_text, per_insert)?;
        let mut pending: Vec<(Vec<Value>, String)> = Vec::with_capacity(per_insert);
        let mut next_id: i64 = 1;
        while let Some(batch) = batches.recv().await {
            let Termed { rows, terms } = batch?;
            for row in rows.into_iter().zip(terms) {
                pending.push(row);
                if pending.len() < per_insert {
                    continue;
                }
                let chunk = chunk(&full, &mut pending, &mut next_id, columns)?;
                if chunks.send(Ok(chunk)).await.is_err() {
                    // The writer stopped; its error is the one reported.
                    return Ok(());
                }
            }
        }
        if !pending.is_empty() {
            let last = Inserts::new(&table, columns, has_text, pending.len())?;
            let chunk = chunk(&last, &mut pending, &mut next_id, columns)?;
            let _ = chunks.send(Ok(chunk)).await;
        }
        Ok(())
    }
    .await;
    if let Err(e) = built {
        let _ = chunks.send(Err(e)).await;
    }
}

/// Moves the pending rows into bound parameters, numbering them from `next_id`: the rows,
/// and each row's terms joined by spaces (the FTS5 table's one column).
fn chunk(
    inserts: &Inserts,
    pending: &mut Vec<(Vec<Value>, String)>,
    next_id: &mut i64,
    columns: usize,
) -> Result<Chunk, StoreError> {
    let mut args = SqliteArguments::default();
    args.reserve(pending.len() * (columns + 1), 0);
    let mut terms_args = inserts.terms.as_ref().map(|_| {
        let mut args = SqliteArguments::default();
        args.reserve(pending.len() * 2, 0);
        args
    });
    for (row, terms) in pending.drain(..) {
        bind(&mut args, Value::Integer(*next_id))?;
        if let Some(terms_args) = terms_args.as_mut() {
            bind(terms_args, Value::Integer(*next_id))?;
            bind(terms_args, Value::String(terms))?;
        }
        *next_id += 1;
        for value in row {
            bind(&mut args, value)?;
        }
    }
    Ok(Chunk {
        rows: (Arc::clone(&inserts.rows), args),
        terms: inserts.terms.as_ref().map(Arc::clone).zip(terms_args),
    })
}

/// Double-quoted identifier for the one statement sea-query cannot build (COPY); only
/// names made by `ddl` reach it.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// COPY of the rows with their terms (cut on other threads meanwhile), then the terms'
/// GIN index and fresh planner statistics, all before the swap.
async fn fill_postgres(pool: &PgPool, table: &str, source: Source) -> Result<u64, StoreError> {
    let resource_id = source.resource_id.clone();
    let mut columns = vec![quoted(ID)];
    columns.extend((0..source.types.len()).map(|p| quoted(&ddl::column(p))));
    columns.push(quoted(TERMS));
    let (termed, mut batches) = mpsc::channel(1);
    let cutter = tokio::spawn(cut_terms(source, termed));
    let statement = format!(
        "COPY {} ({}) FROM STDIN (FORMAT text)",
        quoted(table),
        columns.join(", ")
    );
    let mut conn = pool.acquire().await?;
    let mut copy = conn.copy_in_raw(&statement).await?;
    let mut buffer = String::with_capacity(PG_COPY_CHUNK + 64 * 1024);
    let mut next_id: i64 = 1;
    while let Some(batch) = batches.recv().await {
        match batch {
            Ok(Termed { rows, terms }) => {
                for (row, terms) in rows.iter().zip(&terms) {
                    copy_text::write_row(&mut buffer, next_id, row, terms);
                    next_id += 1;
                    if buffer.len() >= PG_COPY_CHUNK {
                        copy.send(std::mem::take(&mut buffer).into_bytes()).await?;
                        buffer.reserve(PG_COPY_CHUNK + 64 * 1024);
                    }
                }
            }
            Err(e) => {
                let _ = copy.abort(e.to_string()).await;
                return Err(e);
            }
        }
    }
    let rows = match rows_read(cutter, &resource_id).await {
        Ok(rows) => rows,
        Err(e) => {
            let _ = copy.abort(e.to_string()).await;
            return Err(e);
        }
    };
    if !buffer.is_empty() {
        copy.send(buffer.into_bytes()).await?;
    }
    copy.finish().await?;
    sqlx::query(AssertSqlSafe(ddl::create_terms_index(table)))
        .execute(&mut *conn)
        .await?;
    drop(conn);
    Db::Postgres(pool.clone()).analyze(table).await?;
    Ok(rows)
}

#[derive(sqlx::FromRow)]
struct Live {
    dataset_id: String,
    datastore_table: Option<String>,
}

/// Points the resource at the new table, sets its row count and schema, records the
/// change and drops the previous table — all or nothing.
async fn swap(
    db: &Db,
    resource_id: &str,
    table: &str,
    schema: &Schema,
    rows: u64,
) -> Result<(), StoreError> {
    let at = now();
    let mut tx = db.begin().await?;
    let current = Query::select()
        .columns([Resources::DatasetId, Resources::DatastoreTable])
        .from(Resources::Table)
        .and_where(Expr::col(Resources::Id).eq(resource_id))
        .lock(LockType::Update)
        .to_owned();
    let live = tx
        .fetch_optional::<Live>(&current)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            entity: "resource",
            id: resource_id.to_owned(),
        })?;
    let row_count = i64::try_from(rows).unwrap_or(i64::MAX);
    let update = Query::update()
        .table(Resources::Table)
        .value(Resources::DatastoreTable, table)
        .value(Resources::RowCount, row_count)
        .value(Resources::SchemaJson, schema_json(schema)?)
        .value(Resources::UpdatedAt, format_time(&at))
        .and_where(Expr::col(Resources::Id).eq(resource_id))
        .to_owned();
    tx.execute(&update).await?;
    touch_dataset(&mut tx, &live.dataset_id, &at).await?;
    record(&mut tx, &live.dataset_id, ChangeKind::ResourceLoaded, &at).await?;
    if let Some(previous) = live
        .datastore_table
        .filter(|p| p != table && ddl::is_table_name(p))
    {
        for statement in ddl::drop_statements(db.backend(), &previous) {
            tx.ddl(&statement).await?;
        }
    }
    tx.commit().await
}
