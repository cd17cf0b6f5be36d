//! Test harness: each test gets its own data folder, its own database (a SQLite file, or a
//! freshly created PostgreSQL database) and its own port.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use kaifang_service::ingest::{ImportOutcome, ImportRequest};
use kaifang_service::{IndexAt, Service};
use kaifang_store::{Store, StoreConfig};
use sqlx::Connection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub service: Service,
    pub backend: Backend,
    pub database_url: Option<String>,
    dir: tempfile::TempDir,
}

fn admin_url() -> String {
    std::env::var("KAIFANG_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A fresh PostgreSQL database, or `None` (with a notice) where none is reachable.
/// Under `CI=true` an unreachable server fails the test instead.
async fn fresh_postgres(test: &str) -> Option<String> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let admin = admin_url();
    let mut conn = match sqlx::PgConnection::connect(&admin).await {
        Ok(conn) => conn,
        Err(err) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but PostgreSQL is unreachable: {err}"
            );
            eprintln!(
                "notice: PostgreSQL unreachable at {admin} ({err}); \
                 skipping the PostgreSQL half of {test}"
            );
            return None;
        }
    };
    let name = format!(
        "kf_web_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        test.chars()
            .filter(char::is_ascii_alphanumeric)
            .take(30)
            .collect::<String>()
    )
    .to_lowercase();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name}"
    )))
    .execute(&mut conn)
    .await
    .ok();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let (base, _) = admin.rsplit_once('/').unwrap();
    Some(format!("{base}/{name}"))
}

pub async fn spawn(backend: Backend, test: &str) -> Option<TestApp> {
    let dir = tempfile::tempdir().unwrap();
    let database_url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(fresh_postgres(test).await?),
    };
    let service = node(dir.path(), database_url.clone(), &dir.path().join("index")).await;
    let state = kaifang_web::AppState::new(service.clone()).unwrap();
    let (addr, server) = kaifang_web::bind("127.0.0.1:0", state).await.unwrap();
    tokio::spawn(server);
    Some(TestApp {
        base: format!("http://{addr}"),
        client: reqwest::Client::new(),
        service,
        backend,
        database_url,
        dir,
    })
}

/// Another node on the same database (the same SQLite file, or the same PostgreSQL
/// database) with its own catalog index; no server.
pub async fn second_node(app: &TestApp) -> (Service, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let service = node(app.data_dir(), app.database_url.clone(), dir.path()).await;
    (service, dir)
}

/// A serving node's service: the store and a catalog index kept in step in the background.
async fn node(data_dir: &Path, database_url: Option<String>, index: &Path) -> Service {
    let store = Store::connect(&StoreConfig {
        data_dir: data_dir.to_owned(),
        database_url,
    })
    .await
    .unwrap();
    let service = Service::open(store, &IndexAt::Folder(index.to_owned()))
        .await
        .unwrap();
    service.start_background();
    service
}

impl TestApp {
    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    pub async fn import(
        &self,
        file: &Path,
        org: &str,
        edit: impl FnOnce(&mut ImportRequest),
    ) -> ImportOutcome {
        let mut request = ImportRequest::for_file(file, org);
        edit(&mut request);
        self.service.import_file(request, None).await.unwrap()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        let json = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {body}"));
        (status, json)
    }

    /// Writes a small fixture file into the test's folder.
    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

/// The shared corpus (`../shared`), or `None` with a printed notice where it is absent.
pub fn shared(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("notice: {} is absent; skipping", path.display());
        None
    }
}

/// Percent-encodes a query value.
pub fn enc(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Generates `<name>_sqlite` and `<name>_postgres` tests running the same body.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            use super::*;

            async fn body($app: common::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = common::spawn(common::Backend::Sqlite, stringify!($name)).await.unwrap();
                body(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = common::spawn(common::Backend::Postgres, stringify!($name)).await;
                if let Some(app) = app {
                    body(app).await;
                }
            }
        }
    };
}
