//! Indexes for the columns people filter or sort on, created the first time a column is
//! used, in the background: the query that asked never waits for the build.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use super::ddl;
use crate::db::Db;

#[derive(Debug, Clone, Default)]
pub(crate) struct Indexer {
    /// Index names asked for in this process; a failed build is forgotten so that a
    /// later query retries it.
    requested: Arc<Mutex<HashSet<String>>>,
}

impl Indexer {
    pub(crate) fn ensure(&self, db: &Db, table: &str, position: usize) {
        let name = ddl::index_name(table, position);
        {
            let mut requested = self
                .requested
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if !requested.insert(name.clone()) {
                return;
            }
        }
        let db = db.clone();
        let requested = Arc::clone(&self.requested);
        let statement = ddl::create_index(table, position);
        let table = table.to_owned();
        tokio::spawn(async move {
            // New statistics let the planner see the index and how selective it is.
            let built = match db.ddl(&statement).await {
                Ok(()) => db.analyze(&table).await,
                Err(e) => Err(e),
            };
            match built {
                Ok(()) => tracing::debug!(table, index = name, "datastore index ready"),
                Err(e) => {
                    tracing::warn!(table, index = name, error = %e, "datastore index failed");
                    requested
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .remove(&name);
                }
            }
        });
    }
}
