//! Persistence for Kaifang: the catalog, each resource's datastore table, and the original
//! files. One code path for SQLite (default, a file under the data folder) and PostgreSQL.

mod blobs;
mod catalog;
mod datastore;
mod db;
mod error;
mod params;
pub mod rows;
mod sql;
mod stamp;

pub use blobs::BlobReader;
pub use catalog::changes::{CatalogChange, ChangeKind};
pub use catalog::list::{DEFAULT_PER_PAGE, MAX_PER_PAGE};
pub use error::StoreError;
pub use rows::{Filter, FilterOp, RowPage, RowQuery, SortOrder};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kaifang_domain::{Dataset, NewDataset, NewResource, OrgKind, Organization, Resource, Schema};
use kaifang_tabular::Value;

use blobs::Blobs;
use catalog::{changes, datasets, list, organizations, resources, usage};
use datastore::count_cache::CountCache;
use datastore::indexer::Indexer;
use db::{Backend, Db};

/// One batch of rows for [`Store::load_rows`], or the producer's reason for giving up.
pub type RowBatch = Result<Vec<Vec<Value>>, String>;

/// The batch that marks the end of the data in [`Store::load_rows`]: send it last.
pub const END_OF_ROWS: RowBatch = Ok(Vec::new());

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

/// The handle to everything stored: cheap to clone, shared by all requests.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    blobs: Blobs,
    counts: CountCache,
    indexer: Indexer,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Creates `data_dir` when missing, opens the database (and brings its schema up to
    /// date) and the blob folder `data_dir/blobs`.
    pub async fn connect(config: &StoreConfig) -> Result<Self, StoreError> {
        tokio::fs::create_dir_all(&config.data_dir)
            .await
            .map_err(|e| {
                StoreError::Unavailable(format!(
                    "cannot create data folder {}: {e}",
                    config.data_dir.display()
                ))
            })?;
        let db = Db::connect(&config.data_dir, config.database_url.as_deref()).await?;
        let blobs = Blobs::open(&config.data_dir.join("blobs"))?;
        Ok(Self {
            inner: Arc::new(Inner {
                db,
                blobs,
                counts: CountCache::default(),
                indexer: Indexer::default(),
            }),
        })
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn backend(&self) -> &'static str {
        match self.inner.db.backend() {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    // --- organizations ---

    /// Finds the organization with this exact name, creating it when missing under
    /// `parent_id` (an existing organization keeps its kind and parent).
    pub async fn ensure_organization(
        &self,
        name: &str,
        kind: OrgKind,
        parent_id: Option<&str>,
    ) -> Result<Organization, StoreError> {
        organizations::ensure(&self.inner.db, name, kind, parent_id).await
    }

    /// By name.
    pub async fn list_organizations(&self) -> Result<Vec<Organization>, StoreError> {
        organizations::list(&self.inner.db).await
    }

    // --- datasets and resources ---

    /// `NotFound` (entity `organization`) when the organization does not exist.
    pub async fn create_dataset(&self, dataset: &NewDataset) -> Result<Dataset, StoreError> {
        datasets::create(&self.inner.db, dataset).await
    }

    /// With its resources; `NotFound` when absent.
    pub async fn dataset(&self, id: &str) -> Result<Dataset, StoreError> {
        datasets::get(&self.inner.db, id).await
    }

    /// Replaces the publisher's fields; keeps id, resources and `first_published`.
    pub async fn update_dataset(
        &self,
        id: &str,
        dataset: &NewDataset,
    ) -> Result<Dataset, StoreError> {
        datasets::update(&self.inner.db, id, dataset).await
    }

    /// Deletes the dataset, its resources and their datastore tables (blobs stay: they
    /// are shared by content).
    pub async fn delete_dataset(&self, id: &str) -> Result<(), StoreError> {
        datasets::delete(&self.inner.db, id).await
    }

    /// `(total, page of datasets with their resources)`, newest (last updated) first.
    /// `q` is a case-insensitive substring of title, description, keywords or
    /// organization name; `organization` matches an id or an exact name; `page` 0 counts
    /// as 1; `per_page` 0 means 20, and at most 100.
    pub async fn list_datasets(
        &self,
        query: &DatasetQuery,
    ) -> Result<(u64, Vec<Dataset>), StoreError> {
        list::list(&self.inner.db, query).await
    }

    /// How many datasets there are, closed ones included.
    pub async fn dataset_count(&self) -> Result<u64, StoreError> {
        list::count_all(&self.inner.db).await
    }

    /// Totals of what the public sees: closed datasets and their resources left out.
    pub async fn stats(&self) -> Result<CatalogStats, StoreError> {
        list::stats(&self.inner.db).await
    }

    /// `NotFound` (entity `dataset`) when the dataset does not exist.
    pub async fn create_resource(&self, resource: &NewResource) -> Result<Resource, StoreError> {
        resources::create(&self.inner.db, resource).await
    }

    pub async fn resource(&self, id: &str) -> Result<Resource, StoreError> {
        resources::get(&self.inner.db, id).await
    }

    /// Deletes the resource and drops its datastore table.
    pub async fn delete_resource(&self, id: &str) -> Result<(), StoreError> {
        resources::delete(&self.inner.db, id).await
    }

    /// Catalog changes written after the change with id `after` (from the start when
    /// `None`), oldest first, at most `limit` (1..=10000).
    pub async fn catalog_changes(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<CatalogChange>, StoreError> {
        changes::since(&self.inner.db, after, limit).await
    }

    /// The id of the newest catalog change, if any.
    pub async fn latest_catalog_change(&self) -> Result<Option<String>, StoreError> {
        changes::latest(&self.inner.db).await
    }

    /// The datasets with these ids that exist, with their resources, in no given order.
    pub async fn datasets_by_ids(&self, ids: &[String]) -> Result<Vec<Dataset>, StoreError> {
        datasets::get_many(&self.inner.db, ids).await
    }

    /// Dataset ids in id order after `after` (from the start when `None`), at most `limit`.
    pub async fn dataset_ids(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<String>, StoreError> {
        datasets::ids_after(&self.inner.db, after, limit).await
    }

    // --- usage and searches ---

    /// Adds `(dataset id, downloads, calls)` counts; datasets deleted meanwhile are skipped.
    /// Returns how many datasets were counted.
    pub async fn add_usage(&self, counts: &[(String, u64, u64)]) -> Result<usize, StoreError> {
        usage::add(&self.inner.db, counts).await
    }

    /// Adds `(query, times searched)`; queries are stored as given.
    pub async fn record_searches(&self, queries: &[(String, u64)]) -> Result<(), StoreError> {
        usage::record_queries(&self.inner.db, queries).await
    }

    /// The most searched queries with their counts, most first.
    pub async fn popular_searches(&self, limit: u32) -> Result<Vec<(String, i64)>, StoreError> {
        usage::popular_queries(&self.inner.db, limit).await
    }

    // --- blobs ---

    /// Copies an original file into the blob store under its SHA-256; returns the hash and size.
    pub async fn put_blob(&self, path: &Path) -> Result<(String, i64), StoreError> {
        self.inner.blobs.put(path).await
    }

    /// The original stored under `hash`, streamed; `NotFound` for an unknown or malformed
    /// hash.
    pub async fn open_blob(&self, hash: &str) -> Result<BlobReader, StoreError> {
        self.inner.blobs.read(hash).await
    }

    // --- datastore ---

    /// Loads a resource's rows into a new table beside the live one and swaps it in only
    /// when every batch has arrived; sets the resource's row count and schema.
    ///
    /// The producer sends batches of rows (one `Value` per schema field, in order), then
    /// [`END_OF_ROWS`] (an empty batch) to mark the end, then drops the sender. An `Err`
    /// batch, a sender dropped before the end marker (say, a panicked producer), rows after
    /// the marker, or a cell of the wrong type abort the load with `LoadAborted`: the new
    /// table is dropped and the previous version stays live. Returns the rows loaded.
    pub async fn load_rows(
        &self,
        resource_id: &str,
        schema: &Schema,
        batches: tokio::sync::mpsc::Receiver<Result<Vec<Vec<Value>>, String>>,
    ) -> Result<u64, StoreError> {
        datastore::load::load(&self.inner.db, resource_id, schema, batches).await
    }

    /// One page of rows with the total matching the filters. `NotFound` (entity
    /// `datastore`) when no load has completed. Sorting puts nulls last in both
    /// directions and breaks ties by row number.
    pub async fn query_rows(
        &self,
        resource: &Resource,
        query: &RowQuery,
    ) -> Result<RowPage, StoreError> {
        let inner = &self.inner;
        datastore::query::page(
            &inner.db,
            &inner.counts,
            &inner.indexer,
            &resource.id,
            query,
        )
        .await
    }

    /// Every row matching the filters and `_q`, in the query's order, streamed; `limit`
    /// and `after` do not apply.
    pub fn stream_rows(
        &self,
        resource: &Resource,
        query: &RowQuery,
    ) -> futures::stream::BoxStream<'static, Result<Vec<Value>, StoreError>> {
        datastore::query::stream(self.inner.db.clone(), resource.id.clone(), query.clone())
    }

    /// Fields of the live table that have an index (built in the background the first
    /// time a field is filtered or sorted on).
    pub async fn indexed_fields(&self, resource: &Resource) -> Result<Vec<String>, StoreError> {
        datastore::query::indexed_fields(&self.inner.db, &resource.id).await
    }
}
