//! Each test gets its own SQLite file in a temporary folder AND its own freshly created
//! PostgreSQL database; `both_backends!` runs each test body on both.
//!
//! PostgreSQL: `KAIFANG_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`)
//! must allow creating databases. When it is unreachable the PostgreSQL half is skipped
//! with a notice, unless `CI=true`, where that fails the test.

use std::time::Duration;

use kaifang_store::{Store, StoreConfig};
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use tempfile::TempDir;

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub struct TestStore {
    pub store: Store,
    pub dir: TempDir,
    /// Where the test can look behind the store's back (SQLite file or PostgreSQL URL).
    pub url: String,
    _pg: Option<PgDatabase>,
}

impl TestStore {
    /// Physical datastore tables present in the database (`ds_<hex>_<n>`, without the
    /// SQLite search-terms tables `ds_<hex>_<n>_fts…`).
    pub async fn datastore_tables(&self) -> Vec<String> {
        let mut names = self.ds_tables().await;
        names.retain(|n| n.split('_').count() == 3);
        names
    }

    /// Every table whose name starts with `ds_`: datastore tables and, on SQLite, their
    /// FTS5 search-terms tables with those tables' own shadow tables.
    pub async fn ds_tables(&self) -> Vec<String> {
        use sqlx::Row;
        let mut names: Vec<String> = if self.url.starts_with("sqlite:") {
            let mut conn = sqlx::SqliteConnection::connect(&self.url)
                .await
                .expect("open sqlite");
            sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table'")
                .fetch_all(&mut conn)
                .await
                .expect("list tables")
                .iter()
                .map(|r| r.get::<String, _>(0))
                .collect()
        } else {
            let mut conn = PgConnection::connect(&self.url)
                .await
                .expect("open postgres");
            sqlx::query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                .fetch_all(&mut conn)
                .await
                .expect("list tables")
                .iter()
                .map(|r| r.get::<String, _>(0))
                .collect()
        };
        names.retain(|n| n.starts_with("ds_"));
        names.sort();
        names
    }
}

pub async fn sqlite() -> TestStore {
    let dir = TempDir::new().expect("temp dir");
    let config = StoreConfig {
        data_dir: dir.path().join("data"),
        database_url: None,
    };
    let store = Store::connect(&config).await.expect("open SQLite store");
    let url = format!(
        "sqlite://{}",
        config.data_dir.join("kaifang.sqlite").display()
    );
    TestStore {
        store,
        dir,
        url,
        _pg: None,
    }
}

fn admin_url() -> String {
    std::env::var("KAIFANG_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned())
}

/// `admin` URL with its database replaced by `database`.
fn url_for(admin: &str, database: &str) -> String {
    let (base, query) = admin
        .split_once('?')
        .map_or((admin, None), |(b, q)| (b, Some(q)));
    let (scheme, rest) = base.split_once("://").unwrap_or(("postgres", base));
    let host = rest.split_once('/').map_or(rest, |(host, _)| host);
    let query = query.map(|q| format!("?{q}")).unwrap_or_default();
    format!("{scheme}://{host}/{database}{query}")
}

pub async fn postgres() -> Option<TestStore> {
    let admin = admin_url();
    let connected =
        tokio::time::timeout(Duration::from_secs(5), PgConnection::connect(&admin)).await;
    let mut conn = match connected {
        Ok(Ok(conn)) => conn,
        Ok(Err(e)) => return unreachable_pg(&e.to_string()),
        Err(_) => return unreachable_pg("timed out"),
    };
    let name = format!("kaifang_test_{}", uuid::Uuid::now_v7().simple());
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let _ = conn.close().await;
    let guard = PgDatabase {
        admin: admin.clone(),
        name: name.clone(),
    };
    let dir = TempDir::new().expect("temp dir");
    let url = url_for(&admin, &name);
    let config = StoreConfig {
        data_dir: dir.path().join("data"),
        database_url: Some(url.clone()),
    };
    let store = Store::connect(&config)
        .await
        .expect("open PostgreSQL store");
    Some(TestStore {
        store,
        dir,
        url,
        _pg: Some(guard),
    })
}

fn unreachable_pg(reason: &str) -> Option<TestStore> {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "PostgreSQL unreachable at {} and CI=true: {reason}",
            admin_url()
        );
    }
    eprintln!("NOTICE: PostgreSQL unreachable ({reason}); skipping the PostgreSQL half");
    None
}

/// Drops the test database when the test ends, even when it panicked.
struct PgDatabase {
    admin: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let admin = self.admin.clone();
        let name = self.name.clone();
        // Async drop does not exist; a short-lived runtime on its own thread does the job.
        let joined = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                if let Ok(mut conn) = PgConnection::connect(&admin).await {
                    let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                    let _ = sqlx::query(AssertSqlSafe(sql)).execute(&mut conn).await;
                    let _ = conn.close().await;
                }
            });
        })
        .join();
        let _ = joined;
    }
}

/// `both_backends!(a, b)` makes `sqlite::a`, `postgres::a`, … from `async fn a(t: TestStore)`
/// in the calling module.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::sqlite().await).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(test) = $crate::common::postgres().await {
                        super::$name(test).await;
                    }
                }
            )+
        }
    };
}
