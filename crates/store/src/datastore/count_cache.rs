//! Totals of filtered row queries, and whether a table carries search terms. A datastore
//! table never changes once loaded (a new load makes a new table), so a count keyed by
//! table name and filters never goes stale, nor does what a table holds; the cache only
//! needs a bound.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::OnceCell;

const CAPACITY: usize = 10_000;

/// One total, counted at most once however many requests ask for it at the same moment:
/// the first counts, the others wait for its answer.
pub(crate) type Total = Arc<OnceCell<u64>>;

#[derive(Debug, Default)]
pub(crate) struct CountCache {
    inner: Mutex<Entries>,
    /// Table name → loaded with search terms (see `query::search`).
    terms: Mutex<HashMap<String, bool>>,
}

#[derive(Debug, Default)]
struct Entries {
    counts: HashMap<(String, String), Total>,
    /// Insertion order; the oldest entry goes first when full.
    order: VecDeque<(String, String)>,
}

impl CountCache {
    /// Whether `table` carries search terms, when already known.
    pub(crate) fn has_terms(&self, table: &str) -> Option<bool> {
        let terms = self.terms.lock().unwrap_or_else(PoisonError::into_inner);
        terms.get(table).copied()
    }

    pub(crate) fn remember_terms(&self, table: &str, has_terms: bool) {
        let mut terms = self.terms.lock().unwrap_or_else(PoisonError::into_inner);
        if terms.len() >= CAPACITY {
            // Tables are far fewer than this; forgetting all only costs a look each.
            terms.clear();
        }
        terms.insert(table.to_owned(), has_terms);
    }

    /// The cell for this total, created empty when it is new.
    pub(crate) fn total(&self, table: &str, filters: &str) -> Total {
        let mut entries = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (table.to_owned(), filters.to_owned());
        if let Some(cell) = entries.counts.get(&key) {
            return Arc::clone(cell);
        }
        let cell = Total::default();
        entries.counts.insert(key.clone(), Arc::clone(&cell));
        entries.order.push_back(key);
        while entries.order.len() > CAPACITY {
            if let Some(oldest) = entries.order.pop_front() {
                entries.counts.remove(&oldest);
            }
        }
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_at_most_capacity_entries_dropping_the_oldest() {
        let cache = CountCache::default();
        for i in 0..=CAPACITY {
            let _ = cache.total("t", &i.to_string()).set(1);
        }
        assert_eq!(
            cache.total("t", "0").get(),
            None,
            "evicted, so new and empty"
        );
        assert_eq!(cache.total("t", "2").get(), Some(&1));
        assert_eq!(cache.total("t", &CAPACITY.to_string()).get(), Some(&1));
    }
}
