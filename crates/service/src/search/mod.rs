//! Keeping this node's catalog index in step with the database (DESIGN decision 3), and
//! searching it as a viewer may.
//!
//! Every catalog change writes a change record in the same transaction. The index stores the
//! id of the last record it applied; a node applies newer records every quarter second, and
//! at once after its own writes. Record ids are UUID v7 made before commit, so on PostgreSQL
//! a record can become visible after a newer one was read: each pass therefore looks back a
//! few seconds before its cursor and skips what it has already applied. Applying a record
//! means reading the dataset as it is now, so applying one twice is harmless.

mod docs;
pub mod query;
mod usage;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use kaifang_search::CatalogIndex;
use kaifang_store::Store;
use tokio::sync::Mutex;

use crate::ServiceError;
pub(crate) use docs::Organizations;
use docs::catalog_doc;
pub(crate) use usage::Usage;

/// How far before its cursor a pass looks for records committed late.
const LOOK_BACK: Duration = Duration::from_secs(5);
const POLL_EVERY: Duration = Duration::from_millis(250);
const USAGE_FLUSH_EVERY: Duration = Duration::from_secs(5);
/// Records read per round trip, and datasets read per round trip when rebuilding.
const CHANGES_PER_READ: u32 = 1_000;
const DATASETS_PER_READ: u32 = 500;

/// Set by a test that kills the node between a database commit and the index update.
const CRASH_BEFORE_INDEX_ENV: &str = "KAIFANG_TEST_CRASH_BEFORE_INDEX";

/// Where a process keeps its catalog index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexAt {
    /// A folder of its own (a serving node): kept across restarts, rebuilt when missing.
    Folder(PathBuf),
    /// In memory, built at open (tests, one-off tools).
    Memory,
    /// No index: a process that only writes (imports). Searching is refused; the serving
    /// nodes pick up its changes from the change records.
    Without,
}

#[derive(Clone)]
pub(crate) struct CatalogSearch {
    index: Option<CatalogIndex>,
    store: Store,
    /// Change ids applied within the look-back window; held across a whole pass so passes
    /// never interleave.
    applied: Arc<Mutex<BTreeSet<String>>>,
    pub(crate) usage: Arc<Usage>,
    /// As last read when documents were built: every organization a document names is
    /// here, so facet labels and filters by name need no database read per search.
    organizations: Arc<std::sync::RwLock<Arc<Organizations>>>,
}

impl CatalogSearch {
    /// Opens the index and, with `catch_up`, brings it up to date: rebuilt from the
    /// database when empty, otherwise the records written after its cursor are applied.
    pub(crate) async fn open(
        store: Store,
        at: &IndexAt,
        catch_up: bool,
    ) -> Result<Self, ServiceError> {
        let index = match at {
            IndexAt::Folder(dir) => Some(CatalogIndex::open(dir)?),
            IndexAt::Memory => Some(CatalogIndex::open_in_ram()?),
            IndexAt::Without => None,
        };
        let search = Self {
            index,
            store,
            applied: Arc::default(),
            usage: Arc::default(),
            organizations: Arc::default(),
        };
        let Some(index) = &search.index else {
            return Ok(search);
        };
        search.read_organizations().await?;
        if !catch_up {
            return Ok(search);
        }
        let has_datasets = !search.store.dataset_ids(None, 1).await?.is_empty();
        if let Some(cursor) = index.cursor() {
            // The look-back is for records committed late while the node runs. Replaying
            // it at start would re-apply every record of the last seconds before the stop
            // (after a bulk change, tens of thousands); a record committed late in the last
            // instant before a stop is the one case left to `kaifang reindex`.
            search.mark_applied_up_to(&cursor).await?;
        }
        if index.cursor().is_none() && has_datasets {
            search.rebuild(|_| {}).await?;
        } else {
            search.sync().await?;
        }
        // Popular searches for suggestions, before anyone types.
        search.usage.flush(&search.store).await?;
        Ok(search)
    }

    /// Applies change records in a loop and writes usage counts, for as long as the
    /// process runs.
    pub(crate) fn spawn_background(&self) {
        let sync = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(POLL_EVERY).await;
                if let Err(err) = sync.sync().await {
                    tracing::warn!(error = %err, "catalog index update failed; will retry");
                }
            }
        });
        let flush = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(USAGE_FLUSH_EVERY).await;
                if let Err(err) = flush.usage.flush(&flush.store).await {
                    tracing::warn!(error = %err, "writing usage counts failed; will retry");
                }
            }
        });
    }

    /// Reads the organizations and keeps them for searches.
    async fn read_organizations(&self) -> Result<Arc<Organizations>, ServiceError> {
        let fresh = Arc::new(Organizations::new(self.store.list_organizations().await?));
        if let Ok(mut kept) = self.organizations.write() {
            *kept = Arc::clone(&fresh);
        }
        Ok(fresh)
    }

    /// The organizations as last read.
    pub(crate) fn organizations(&self) -> Arc<Organizations> {
        self.organizations
            .read()
            .map(|kept| Arc::clone(&kept))
            .unwrap_or_default()
    }

    /// The index, or an error in a process that has none.
    pub(crate) fn index(&self) -> Result<&CatalogIndex, ServiceError> {
        self.index
            .as_ref()
            .ok_or_else(|| ServiceError::Internal("this process keeps no catalog index".into()))
    }

    /// Records in the look-back window up to `cursor` count as applied.
    async fn mark_applied_up_to(&self, cursor: &str) -> Result<(), ServiceError> {
        let mut applied = self.applied.lock().await;
        let mut after = Some(look_back_bound(cursor));
        loop {
            let changes = self
                .store
                .catalog_changes(after.as_deref(), CHANGES_PER_READ)
                .await?;
            let read = changes.len();
            let mut past_cursor = false;
            for change in changes {
                past_cursor |= change.id.as_str() > cursor;
                if !past_cursor {
                    after = Some(change.id.clone());
                    applied.insert(change.id);
                }
            }
            if past_cursor || read < CHANGES_PER_READ as usize {
                return Ok(());
            }
        }
    }

    /// Applies every change record not yet in the index. Returns how many were applied.
    pub(crate) async fn sync(&self) -> Result<usize, ServiceError> {
        let Some(index) = &self.index else {
            return Ok(0);
        };
        let mut applied = self.applied.lock().await;
        let cursor = index.cursor();
        let mut after = cursor.as_deref().map(look_back_bound);
        let mut total = 0;
        loop {
            let changes = self
                .store
                .catalog_changes(after.as_deref(), CHANGES_PER_READ)
                .await?;
            let Some(last) = changes.last() else { break };
            after = Some(last.id.clone());
            let read = changes.len();
            let new: Vec<_> = changes
                .into_iter()
                .filter(|c| !applied.contains(&c.id))
                .collect();
            if !new.is_empty() {
                let unseen = new.iter().any(|c| Some(&c.id) > cursor.as_ref());
                if unseen && std::env::var_os(CRASH_BEFORE_INDEX_ENV).is_some() {
                    tracing::error!("crashing before the index update, as the test asked");
                    std::process::abort();
                }
                let mut ids: Vec<String> = new.iter().map(|c| c.dataset_id.clone()).collect();
                ids.sort();
                ids.dedup();
                let cursor = new.iter().map(|c| c.id.as_str()).max().map(str::to_owned);
                self.apply(&ids, cursor).await?;
                total += new.len();
                applied.extend(new.into_iter().map(|c| c.id));
            }
            if read < CHANGES_PER_READ as usize {
                break;
            }
        }
        if let Some(cursor) = index.cursor() {
            let bound = look_back_bound(&cursor);
            applied.retain(|id| *id >= bound);
        }
        if total > 0 {
            tracing::debug!(changes = total, "catalog index updated");
        }
        Ok(total)
    }

    /// Re-reads these datasets and puts them in the index as they are now (gone ones out).
    async fn apply(&self, ids: &[String], cursor: Option<String>) -> Result<(), ServiceError> {
        let datasets = self.store.datasets_by_ids(ids).await?;
        let organizations = self.read_organizations().await?;
        let docs: Vec<_> = datasets
            .iter()
            .map(|d| catalog_doc(d, &organizations))
            .collect();
        let gone: Vec<String> = ids
            .iter()
            .filter(|id| !datasets.iter().any(|d| &d.id == *id))
            .cloned()
            .collect();
        let index = self.index()?.clone();
        tokio::task::spawn_blocking(move || index.apply(docs, &gone, cursor.as_deref()))
            .await
            .map_err(|e| ServiceError::Internal(format!("index update stopped: {e}")))??;
        Ok(())
    }

    /// Replaces the whole index with the catalog as it is now; `progress` hears the number of
    /// datasets indexed so far. Returns how many were indexed.
    pub(crate) async fn rebuild(
        &self,
        progress: impl FnMut(u64) + Send + 'static,
    ) -> Result<u64, ServiceError> {
        let index = self.index()?.clone();
        let mut applied = self.applied.lock().await;
        // Records written while the rebuild reads are applied by the next pass.
        let cursor = self.store.latest_catalog_change().await?;
        let organizations = self.read_organizations().await?;
        let (tx, rx) = std::sync::mpsc::sync_channel(DATASETS_PER_READ as usize);
        let writer = tokio::task::spawn_blocking(move || {
            index.rebuild(rx.into_iter(), cursor.as_deref(), progress)
        });
        let mut after: Option<String> = None;
        loop {
            let ids = self
                .store
                .dataset_ids(after.as_deref(), DATASETS_PER_READ)
                .await?;
            let Some(last) = ids.last() else { break };
            after = Some(last.clone());
            for dataset in self.store.datasets_by_ids(&ids).await? {
                let doc = catalog_doc(&dataset, &organizations);
                // A send fails only when the writer stopped; its error is reported below.
                if tx.send(doc).is_err() {
                    break;
                }
            }
        }
        drop(tx);
        let indexed = writer
            .await
            .map_err(|e| ServiceError::Internal(format!("index rebuild stopped: {e}")))??;
        applied.clear();
        tracing::info!(datasets = indexed, "catalog index rebuilt");
        Ok(indexed)
    }
}

/// The smallest UUID v7 written `LOOK_BACK` before the record `id` (ids sort by time: their
/// first 48 bits are milliseconds since 1970).
fn look_back_bound(id: &str) -> String {
    let hex: String = id.chars().filter(|c| *c != '-').take(12).collect();
    let Ok(millis) = u64::from_str_radix(&hex, 16) else {
        return String::new();
    };
    let bound = millis.saturating_sub(u64::try_from(LOOK_BACK.as_millis()).unwrap_or(0));
    let hex = format!("{bound:012x}");
    format!(
        "{}-{}-0000-0000-000000000000",
        hex.get(..8).unwrap_or_default(),
        hex.get(8..).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_back_bound_is_five_seconds_earlier() {
        // 0x019a0000_1388 ms minus 5000 (0x1388) ms = 0x019a0000_0000.
        let id = "019a0000-1388-7abc-8def-0123456789ab";
        assert_eq!(look_back_bound(id), "019a0000-0000-0000-0000-000000000000");
        assert!(look_back_bound(id).as_str() < id);
    }
}
