//! Totals of filtered row queries. A datastore table never changes once loaded (a new
//! load makes a new table), so a count keyed by table name and filters never goes stale;
//! the cache only needs a bound.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};

const CAPACITY: usize = 10_000;

#[derive(Debug, Default)]
pub(crate) struct CountCache {
    inner: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    counts: HashMap<(String, String), u64>,
    /// Insertion order; the oldest entry goes first when full.
    order: VecDeque<(String, String)>,
}

impl CountCache {
    pub(crate) fn get(&self, table: &str, filters: &str) -> Option<u64> {
        let entries = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .counts
            .get(&(table.to_owned(), filters.to_owned()))
            .copied()
    }

    pub(crate) fn insert(&self, table: &str, filters: &str, count: u64) {
        let mut entries = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (table.to_owned(), filters.to_owned());
        if entries.counts.insert(key.clone(), count).is_none() {
            entries.order.push_back(key);
        }
        while entries.order.len() > CAPACITY {
            if let Some(oldest) = entries.order.pop_front() {
                entries.counts.remove(&oldest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_at_most_capacity_entries_dropping_the_oldest() {
        let cache = CountCache::default();
        for i in 0..=CAPACITY {
            cache.insert("t", &i.to_string(), 1);
        }
        assert_eq!(cache.get("t", "0"), None);
        assert_eq!(cache.get("t", "1"), Some(1));
        assert_eq!(cache.get("t", &CAPACITY.to_string()), Some(1));
    }
}
