//! One handle over either engine. Every statement is built once with sea-query and run
//! through the builder of the configured backend, so the rest of the crate has one code
//! path. (sqlx's `Any` driver was the alternative; it cannot decode dates.)

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sea_query::{PostgresQueryBuilder, SchemaStatementBuilder, SqliteQueryBuilder};
use sea_query_sqlx::SqlxBinder;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow, Postgres};
use sqlx::sqlite::{
    Sqlite, SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, FromRow, Transaction};

use crate::StoreError;

pub(crate) const SQLITE_FILE: &str = "kaifang.sqlite";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A row type both engines can decode (derive `sqlx::FromRow` on plain fields).
pub(crate) trait FromAnyRow:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

impl<T> FromAnyRow for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

impl Db {
    /// Opens `data_dir/kaifang.sqlite` (WAL, foreign keys on), or PostgreSQL for a
    /// `postgres://` URL, and brings the schema up to date.
    pub(crate) async fn connect(
        data_dir: &Path,
        database_url: Option<&str>,
    ) -> Result<Self, StoreError> {
        let db = match database_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await
                    .map_err(|e| StoreError::Unavailable(format!("PostgreSQL: {e}")))?;
                Self::Postgres(pool)
            }
            Some(url) if url.starts_with("sqlite:") => {
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(|e| StoreError::Unavailable(format!("SQLite URL: {e}")))?;
                Self::Sqlite(open_sqlite(options).await?)
            }
            Some(_) => {
                return Err(StoreError::Unavailable(
                    "database_url must start with postgres:// or sqlite:".to_owned(),
                ));
            }
            None => {
                let options = SqliteConnectOptions::new().filename(data_dir.join(SQLITE_FILE));
                Self::Sqlite(open_sqlite(options).await?)
            }
        };
        let migrator = sqlx::migrate!("./migrations");
        match &db {
            Self::Sqlite(pool) => migrator.run(pool).await?,
            Self::Postgres(pool) => migrator.run(pool).await?,
        }
        Ok(db)
    }

    pub(crate) fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// A write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`)
    /// so that two writers wait on the busy timeout instead of failing on lock upgrade.
    pub(crate) async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Self::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Self::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    pub(crate) async fn execute(&self, stmt: &impl SqlxBinder) -> Result<u64, StoreError> {
        Ok(match self {
            Self::Sqlite(pool) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_with(AssertSqlSafe(sql), values)
                    .execute(pool)
                    .await?
                    .rows_affected()
            }
            Self::Postgres(pool) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_with(AssertSqlSafe(sql), values)
                    .execute(pool)
                    .await?
                    .rows_affected()
            }
        })
    }

    pub(crate) async fn fetch_all<T: FromAnyRow>(
        &self,
        stmt: &impl SqlxBinder,
    ) -> Result<Vec<T>, StoreError> {
        Ok(match self {
            Self::Sqlite(pool) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with(AssertSqlSafe(sql), values)
                    .fetch_all(pool)
                    .await?
            }
            Self::Postgres(pool) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with(AssertSqlSafe(sql), values)
                    .fetch_all(pool)
                    .await?
            }
        })
    }

    pub(crate) async fn fetch_optional<T: FromAnyRow>(
        &self,
        stmt: &impl SqlxBinder,
    ) -> Result<Option<T>, StoreError> {
        Ok(match self {
            Self::Sqlite(pool) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with(AssertSqlSafe(sql), values)
                    .fetch_optional(pool)
                    .await?
            }
            Self::Postgres(pool) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with(AssertSqlSafe(sql), values)
                    .fetch_optional(pool)
                    .await?
            }
        })
    }

    /// Runs a DDL statement (create table or index, drop table) outside a transaction.
    pub(crate) async fn ddl(&self, stmt: &impl SchemaStatementBuilder) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(pool) => {
                sqlx::query(AssertSqlSafe(stmt.build(SqliteQueryBuilder)))
                    .execute(pool)
                    .await?;
            }
            Self::Postgres(pool) => {
                sqlx::query(AssertSqlSafe(stmt.build(PostgresQueryBuilder)))
                    .execute(pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// Refreshes the planner's statistics for one datastore table. Without them
    /// PostgreSQL guesses a filter's selectivity and can pick a plan 500 times slower.
    /// `table` is a generated datastore name (`ds_<hex>_<n>`), never user input.
    pub(crate) async fn analyze(&self, table: &str) -> Result<(), StoreError> {
        let statement = format!("ANALYZE \"{}\"", table.replace('"', "\"\""));
        match self {
            Self::Sqlite(pool) => {
                sqlx::query(AssertSqlSafe(statement)).execute(pool).await?;
            }
            Self::Postgres(pool) => {
                sqlx::query(AssertSqlSafe(statement)).execute(pool).await?;
            }
        }
        Ok(())
    }
}

async fn open_sqlite(options: SqliteConnectOptions) -> Result<SqlitePool, StoreError> {
    let options = options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // In WAL mode NORMAL loses no committed data on an application crash, and keeps
        // bulk loads from waiting on an fsync per transaction.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(30));
    SqlitePoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(|e| StoreError::Unavailable(format!("SQLite: {e}")))
}

/// A transaction on either engine; rolled back when dropped without `commit`.
pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub(crate) fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    pub(crate) async fn execute(&mut self, stmt: &impl SqlxBinder) -> Result<u64, StoreError> {
        Ok(match self {
            Self::Sqlite(tx) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_with(AssertSqlSafe(sql), values)
                    .execute(&mut **tx)
                    .await?
                    .rows_affected()
            }
            Self::Postgres(tx) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_with(AssertSqlSafe(sql), values)
                    .execute(&mut **tx)
                    .await?
                    .rows_affected()
            }
        })
    }

    pub(crate) async fn fetch_all<T: FromAnyRow>(
        &mut self,
        stmt: &impl SqlxBinder,
    ) -> Result<Vec<T>, StoreError> {
        Ok(match self {
            Self::Sqlite(tx) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with(AssertSqlSafe(sql), values)
                    .fetch_all(&mut **tx)
                    .await?
            }
            Self::Postgres(tx) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with(AssertSqlSafe(sql), values)
                    .fetch_all(&mut **tx)
                    .await?
            }
        })
    }

    pub(crate) async fn fetch_optional<T: FromAnyRow>(
        &mut self,
        stmt: &impl SqlxBinder,
    ) -> Result<Option<T>, StoreError> {
        Ok(match self {
            Self::Sqlite(tx) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with(AssertSqlSafe(sql), values)
                    .fetch_optional(&mut **tx)
                    .await?
            }
            Self::Postgres(tx) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with(AssertSqlSafe(sql), values)
                    .fetch_optional(&mut **tx)
                    .await?
            }
        })
    }

    pub(crate) async fn ddl(
        &mut self,
        stmt: &impl SchemaStatementBuilder,
    ) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(tx) => {
                sqlx::query(AssertSqlSafe(stmt.build(SqliteQueryBuilder)))
                    .execute(&mut **tx)
                    .await?;
            }
            Self::Postgres(tx) => {
                let sql = stmt.build(PostgresQueryBuilder);
                sqlx::query(AssertSqlSafe(sql)).execute(&mut **tx).await?;
            }
        }
        Ok(())
    }

    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(tx) => tx.commit().await?,
            Self::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

/// `INSERT INTO table (columns…) VALUES (values…)` from column–value pairs, so the two
/// lists cannot disagree in length.
pub(crate) fn insert_row<C: sea_query::IntoIden>(
    table: impl sea_query::IntoTableRef,
    row: Vec<(C, sea_query::Expr)>,
) -> Result<sea_query::InsertStatement, StoreError> {
    let (columns, values): (Vec<C>, Vec<sea_query::Expr>) = row.into_iter().unzip();
    let mut stmt = sea_query::Query::insert();
    stmt.into_table(table).columns(columns);
    stmt.values(values)
        .map_err(|e| StoreError::Database(sqlx::Error::Encode(Box::new(e))))?;
    Ok(stmt)
}
