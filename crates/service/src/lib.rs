//! Kaifang's use cases: importing files, reading the catalog, querying and downloading rows.
//! The one place that decides who may see what.

pub mod access;
pub mod catalog;
pub mod demo;
mod error;
pub mod export;
pub mod ingest;
mod seed;

pub use access::Viewer;
pub use error::ServiceError;

use kaifang_store::Store;

/// The use cases over one store; cheap to clone.
#[derive(Clone)]
pub struct Service {
    store: Store,
}

impl Service {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}
