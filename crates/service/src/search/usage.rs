//! Counting in memory what people download, call and search, written to the store in
//! batches: a busy row API then costs one write every few seconds, not one per call.

use std::collections::HashMap;
use std::sync::Mutex;

use kaifang_store::{Store, StoreError};

/// How many popular searches suggestions draw on.
const POPULAR_KEPT: u32 = 2_000;
/// A search is offered to others only after this many searches found something: one
/// person's one-off query (perhaps a name) is never shown to anyone else.
const MIN_SEARCHES: i64 = 3;

#[derive(Default)]
pub(crate) struct Usage {
    pending: Mutex<Pending>,
    popular: Mutex<Vec<(String, i64)>>,
}

#[derive(Default)]
struct Pending {
    /// dataset id → (downloads, calls)
    datasets: HashMap<String, (u64, u64)>,
    /// query in matching form → times searched with at least one result
    searches: HashMap<String, u64>,
}

impl Usage {
    pub(crate) fn download(&self, dataset_id: &str) {
        self.count(dataset_id, 1, 0);
    }

    pub(crate) fn call(&self, dataset_id: &str) {
        self.count(dataset_id, 0, 1);
    }

    fn count(&self, dataset_id: &str, downloads: u64, calls: u64) {
        if let Ok(mut pending) = self.pending.lock() {
            let entry = pending.datasets.entry(dataset_id.to_owned()).or_default();
            entry.0 += downloads;
            entry.1 += calls;
        }
    }

    /// A search that found something; only those make good suggestions.
    pub(crate) fn searched(&self, query: &str) {
        // One spelling per query: pieces only, so `无锡,公交`, `无锡 公交 ` and `"无锡 公交"`
        // count as one search and punctuation or symbols never become a suggestion.
        let pieces = kaifang_words::query_pieces(query);
        let query = pieces
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if query.is_empty() || query.chars().count() > 40 {
            return;
        }
        if let Ok(mut pending) = self.pending.lock() {
            *pending.searches.entry(query).or_default() += 1;
        }
    }

    /// Popular searches that start with `prefix` (in matching form), most searched first.
    pub(crate) fn popular_starting_with(&self, prefix: &str, limit: usize) -> Vec<String> {
        let Ok(popular) = self.popular.lock() else {
            return Vec::new();
        };
        popular
            .iter()
            .filter(|(query, hits)| {
                *hits >= MIN_SEARCHES && query.starts_with(prefix) && query != prefix
            })
            .take(limit)
            .map(|(query, _)| query.clone())
            .collect()
    }

    /// Writes what was counted since the last flush and refreshes the popular searches.
    /// On a failed write the counts are put back, so nothing is lost to a database hiccup.
    pub(crate) async fn flush(&self, store: &Store) -> Result<(), StoreError> {
        let taken = match self.pending.lock() {
            Ok(mut pending) => std::mem::take(&mut *pending),
            Err(_) => return Ok(()),
        };
        let counts: Vec<(String, u64, u64)> = taken
            .datasets
            .iter()
            .map(|(id, (d, c))| (id.clone(), *d, *c))
            .collect();
        let searches: Vec<(String, u64)> = taken
            .searches
            .iter()
            .map(|(q, n)| (q.clone(), *n))
            .collect();
        let written = async {
            store.add_usage(&counts).await?;
            store.record_searches(&searches).await
        }
        .await;
        if let Err(err) = written {
            self.put_back(taken);
            return Err(err);
        }
        let popular = store.popular_searches(POPULAR_KEPT).await?;
        if let Ok(mut kept) = self.popular.lock() {
            *kept = popular;
        }
        Ok(())
    }

    fn put_back(&self, taken: Pending) {
        if let Ok(mut pending) = self.pending.lock() {
            for (id, (d, c)) in taken.datasets {
                let entry = pending.datasets.entry(id).or_default();
                entry.0 += d;
                entry.1 += c;
            }
            for (query, n) in taken.searches {
                *pending.searches.entry(query).or_default() += n;
            }
        }
    }
}
