//! Kaifang's use cases: importing files, reading the catalog, querying and downloading rows.
//! The one place that decides who may see what.

pub mod access;
pub mod catalog;
pub mod demo;
mod error;
pub mod export;
pub mod ingest;
pub mod search;
mod seed;

pub use access::Viewer;
pub use error::ServiceError;
pub use search::IndexAt;

use kaifang_store::Store;

/// The use cases over one store and this node's catalog index; cheap to clone.
#[derive(Clone)]
pub struct Service {
    store: Store,
    search: search::CatalogSearch,
}

impl Service {
    /// Opens the catalog index and brings it up to date with the store. Call
    /// [`Service::start_background`] in a server.
    pub async fn open(store: Store, index: &IndexAt) -> Result<Self, ServiceError> {
        let search = search::CatalogSearch::open(store.clone(), index, true).await?;
        Ok(Self { store, search })
    }

    /// Opens the catalog index without bringing it up to date, for [`Service::reindex`]
    /// (which would otherwise build a missing index twice).
    pub async fn open_for_reindex(store: Store, index: &IndexAt) -> Result<Self, ServiceError> {
        let search = search::CatalogSearch::open(store.clone(), index, false).await?;
        Ok(Self { store, search })
    }

    /// Starts the tasks a serving node runs: applying catalog changes made by any node to
    /// this node's index, and writing usage counts.
    pub fn start_background(&self) {
        self.search.spawn_background();
    }

    /// Applies catalog changes not yet in the index now, rather than at the next poll.
    pub async fn sync_search(&self) -> Result<usize, ServiceError> {
        self.search.sync().await
    }

    /// Writes the usage counted in memory now, rather than at the next flush.
    pub async fn flush_usage(&self) -> Result<(), ServiceError> {
        Ok(self.search.usage.flush(&self.store).await?)
    }

    /// Rebuilds the whole catalog index from the database; `progress` hears the number of
    /// datasets indexed so far.
    pub async fn reindex(
        &self,
        progress: impl FnMut(u64) + Send + 'static,
    ) -> Result<u64, ServiceError> {
        self.search.rebuild(progress).await
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}
