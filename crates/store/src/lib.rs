//! Persistence for Kaifang: the catalog, each resource's datastore table, and the original
//! files. One code path for SQLite (default, a file under the data folder) and PostgreSQL.

mod error;
pub mod rows;

pub use error::StoreError;
pub use rows::{Filter, FilterOp, RowPage, RowQuery, SortOrder};

use std::path::PathBuf;

use kaifang_domain::{Dataset, NewDataset, NewResource, Organization, OrgKind, Resource, Schema};
use kaifang_tabular::Value;

#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// Holds the SQLite file (`kaifang.sqlite`) and the blobs folder.
    pub data_dir: PathBuf,
    /// `postgres://…` switches the database to PostgreSQL; blobs stay under `data_dir`.
    pub database_url: Option<String>,
}

/// Filters of the dataset list (`GET /api/v1/datasets`).
#[derive(Debug, Clone, Default)]
pub struct DatasetQuery {
    /// Matched against title, description, keywords and organization name.
    pub q: Option<String>,
    pub organization: Option<String>,
    pub theme: Option<kaifang_domain::Theme>,
    pub access_level: Option<kaifang_domain::AccessLevel>,
    /// Closed datasets are left out unless this is set (staff only).
    pub include_closed: bool,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct CatalogStats {
    pub datasets: i64,
    pub resources: i64,
    pub organizations: i64,
    pub rows: i64,
}

#[derive(Clone)]
pub struct Store {
    _private: (),
}

#[allow(clippy::unused_async)]
impl Store {
    pub async fn connect(config: &StoreConfig) -> Result<Self, StoreError> {
        let _ = config;
        Err(StoreError::Unavailable("not yet built".to_owned()))
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn backend(&self) -> &'static str {
        "sqlite"
    }

    // --- organizations ---
    /// Finds the organization with this exact name, creating it when missing.
    pub async fn ensure_organization(&self, name: &str, kind: OrgKind) -> Result<Organization, StoreError> { let _ = (name, kind); todo_store() }
    pub async fn list_organizations(&self) -> Result<Vec<Organization>, StoreError> { todo_store() }

    // --- datasets and resources ---
    pub async fn create_dataset(&self, dataset: &NewDataset) -> Result<Dataset, StoreError> { let _ = dataset; todo_store() }
    /// With its resources; `NotFound` when absent.
    pub async fn dataset(&self, id: &str) -> Result<Dataset, StoreError> { let _ = id; todo_store() }
    /// `(total, page of datasets with their resources)`, newest first.
    pub async fn list_datasets(&self, query: &DatasetQuery) -> Result<(u64, Vec<Dataset>), StoreError> { let _ = query; todo_store() }
    pub async fn stats(&self) -> Result<CatalogStats, StoreError> { todo_store() }
    pub async fn create_resource(&self, resource: &NewResource) -> Result<Resource, StoreError> { let _ = resource; todo_store() }
    pub async fn resource(&self, id: &str) -> Result<Resource, StoreError> { let _ = id; todo_store() }

    // --- blobs ---
    /// Copies an original file into the blob store under its SHA-256; returns the hash and size.
    pub async fn put_blob(&self, path: &std::path::Path) -> Result<(String, i64), StoreError> { let _ = path; todo_store() }

    // --- datastore ---
    /// Loads a resource's rows into a new table beside the live one and swaps it in only
    /// when every batch has arrived; sets the resource's cached row count. A closed
    /// channel with an `Err` batch aborts the load and leaves the previous table live.
    pub async fn load_rows(
        &self,
        resource_id: &str,
        schema: &Schema,
        batches: tokio::sync::mpsc::Receiver<Result<Vec<Vec<Value>>, String>>,
    ) -> Result<u64, StoreError> { let _ = (resource_id, schema, batches); todo_store() }

    /// One page of rows with the total matching the filters.
    pub async fn query_rows(&self, resource: &Resource, query: &RowQuery) -> Result<RowPage, StoreError> { let _ = (resource, query); todo_store() }

    /// Every row matching the filters (no limit), in the query's order, streamed.
    pub fn stream_rows(
        &self,
        resource: &Resource,
        query: &RowQuery,
    ) -> futures::stream::BoxStream<'static, Result<Vec<Value>, StoreError>> { let _ = (resource, query); Box::pin(futures::stream::empty()) }
}

fn todo_store<T>() -> Result<T, StoreError> {
    Err(StoreError::Unavailable("not yet built".to_owned()))
}
