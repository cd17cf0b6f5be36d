//! One pass over the matching documents: their number, the six facets counted over all of
//! them (per-segment counters indexed by term ordinals, turned into strings once per
//! segment), and the best `keep` of them in the requested order. Values come from the
//! segment tables (`table.rs`) rather than the fast-field columns.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::FacetCount;
use crate::schema::FACET_FIELDS;
use crate::table::{FORMAT_FACET, SegmentTable, Tables};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    /// Score, then newest, then most used.
    Relevance,
    /// Newest, then most used.
    Newest,
    /// Downloads, then newest.
    Downloads,
    /// API calls, then newest.
    Calls,
    /// Score, then most used, then newest: suggestions offer what people use.
    Suggest,
}

pub(crate) struct CatalogCollector {
    pub order: Order,
    /// Whether scores are computed; without it, `Relevance` is `Newest`.
    pub scored: bool,
    /// How many of the best documents to keep (offset + limit).
    pub keep: usize,
    pub facets: bool,
    /// What each kept document is reported by.
    pub label: Label,
    pub tables: Arc<Tables>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Label {
    Id,
    Title,
}

/// A kept document, best first.
#[derive(Debug)]
pub(crate) struct Ranked {
    pub score: Score,
    pub address: DocAddress,
    pub label: String,
}

#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub total: u64,
    pub facets: [Vec<FacetCount>; 6],
    pub top: Vec<Ranked>,
}

/// Sort key, compared component by component, larger first.
type Key = [u64; 3];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    key: Key,
    address: DocAddress,
}

impl Ord for Entry {
    /// Greater is better: larger key, then the earlier document, for a stable order.
    fn cmp(&self, other: &Self) -> Ordering {
        self.key
            .cmp(&other.key)
            .then_with(|| other.address.cmp(&self.address))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Scores are never negative, and the bits of non-negative floats sort as the floats do.
fn score_key(score: Score) -> u64 {
    let score = if score.is_finite() {
        score.max(0.0)
    } else {
        0.0
    };
    u64::from(score.to_bits())
}

fn score_of(key: u64) -> Score {
    u32::try_from(key).map_or(0.0, f32::from_bits)
}

/// Order-preserving map of a signed time to unsigned.
fn time_key(micros: i64) -> u64 {
    (micros as u64) ^ (1 << 63)
}

pub(crate) struct SegmentCatalogCollector {
    segment: SegmentOrdinal,
    order: Order,
    scored: bool,
    keep: usize,
    label: Label,
    table: Arc<SegmentTable>,
    /// Per facet, a counter per ordinal; empty when facets are not asked for.
    counts: Vec<Vec<[u32; LANES]>>,
    heap: BinaryHeap<Reverse<Entry>>,
    total: u64,
    /// Documents collected but not yet counted; see `flush`.
    pending: Vec<(DocId, Score)>,
}

/// Documents counted together.
const BLOCK: usize = 64;
/// Counters per facet value. Neighbouring documents often share a value (two access
/// levels, a few themes); spreading their increments over separate counters keeps each
/// increment from waiting for the previous one to land in memory.
const LANES: usize = 4;

pub(crate) struct SegmentFruit {
    total: u64,
    facets: Vec<Vec<(String, u64)>>,
    top: Vec<(Entry, String)>,
}

impl Collector for CatalogCollector {
    type Fruit = Collected;
    type Child = SegmentCatalogCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCatalogCollector> {
        let table = self.tables.get(reader)?;
        let counts = if self.facets {
            table
                .facets
                .iter()
                .map(|f| vec![[0; LANES]; f.values.len()])
                .collect()
        } else {
            Vec::new()
        };
        Ok(SegmentCatalogCollector {
            segment,
            order: self.order,
            scored: self.scored,
            keep: self.keep,
            label: self.label,
            table,
            counts,
            heap: BinaryHeap::new(),
            total: 0,
            pending: Vec::with_capacity(BLOCK),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scored
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Collected> {
        let mut total = 0;
        let mut facets: Vec<HashMap<String, u64>> = vec![HashMap::new(); FACET_FIELDS.len()];
        let mut top = Vec::new();
        for fruit in fruits {
            total += fruit.total;
            for (merged, counts) in facets.iter_mut().zip(fruit.facets) {
                for (value, count) in counts {
                    *merged.entry(value).or_default() += count;
                }
            }
            top.extend(fruit.top);
        }
        top.sort_by_key(|(entry, _)| Reverse(*entry));
        top.truncate(self.keep);
        let scored = self.scored && matches!(self.order, Order::Relevance | Order::Suggest);
        let top = top
            .into_iter()
            .map(|(entry, label)| Ranked {
                score: if scored { score_of(entry.key[0]) } else { 0.0 },
                address: entry.address,
                label,
            })
            .collect();
        let mut out = Collected {
            total,
            facets: Default::default(),
            top,
        };
        for (slot, counts) in out.facets.iter_mut().zip(facets) {
            let mut counts: Vec<FacetCount> = counts
                .into_iter()
                .map(|(value, count)| FacetCount { value, count })
                .collect();
            counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            *slot = counts;
        }
        Ok(out)
    }
}

impl SegmentCatalogCollector {
    fn key(&self, doc: DocId, score: Score) -> Key {
        let at = doc as usize;
        let table = &self.table;
        let updated = || time_key(table.updated.get(at).copied().unwrap_or(0));
        let popularity = || table.popularity.get(at).copied().unwrap_or(0);
        match (self.order, self.scored) {
            (Order::Relevance, true) => [score_key(score), updated(), popularity()],
            (Order::Suggest, true) => [score_key(score), popularity(), updated()],
            (Order::Relevance | Order::Suggest | Order::Newest, _) => [updated(), popularity(), 0],
            (Order::Downloads, _) => [table.downloads.get(at).copied().unwrap_or(0), updated(), 0],
            (Order::Calls, _) => [table.calls.get(at).copied().unwrap_or(0), updated(), 0],
        }
    }

    /// Counts and ranks the pending documents, one facet at a time, so that each loop reads
    /// one array and bumps one set of counters.
    fn flush(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        self.total += pending.len() as u64;
        let table = Arc::clone(&self.table);
        for (index, counts) in self.counts.iter_mut().enumerate() {
            if index == FORMAT_FACET {
                for (i, &(doc, _)) in pending.iter().enumerate() {
                    for &ord in table.formats(doc) {
                        if let Some(lanes) = counts.get_mut(ord as usize) {
                            lanes[i % LANES] += 1;
                        }
                    }
                }
            } else if let Some(strings) = table.facets.get(index) {
                for (i, &(doc, _)) in pending.iter().enumerate() {
                    if let Some(&ord) = strings.ords.get(doc as usize)
                        && let Some(lanes) = counts.get_mut(ord as usize)
                    {
                        lanes[i % LANES] += 1;
                    }
                }
            }
        }
        if self.keep > 0 {
            for &(doc, score) in &pending {
                self.rank(doc, score);
            }
        }
        self.pending = pending;
        self.pending.clear();
    }

    fn rank(&mut self, doc: DocId, score: Score) {
        let entry = Entry {
            key: self.key(doc, score),
            address: DocAddress::new(self.segment, doc),
        };
        if self.heap.len() < self.keep {
            self.heap.push(Reverse(entry));
        } else if let Some(mut worst) = self.heap.peek_mut()
            && entry > worst.0
        {
            *worst = Reverse(entry);
        }
    }
}

impl SegmentCollector for SegmentCatalogCollector {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.pending.push((doc, score));
        if self.pending.len() >= BLOCK {
            self.flush();
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for &doc in docs {
            self.collect(doc, 0.0);
        }
    }

    fn harvest(mut self) -> SegmentFruit {
        self.flush();
        let table = &self.table;
        let facets = self
            .counts
            .iter()
            .zip(&table.facets)
            .map(|(counts, strings)| {
                counts
                    .iter()
                    .zip(&strings.values)
                    .map(|(lanes, value)| (value, lanes.iter().map(|&c| u64::from(c)).sum()))
                    .filter(|(_, count)| *count > 0)
                    .map(|(value, count)| (value.clone(), count))
                    .collect()
            })
            .collect();
        let labels = match self.label {
            Label::Id => &table.ids,
            Label::Title => &table.titles,
        };
        let top = self
            .heap
            .into_iter()
            .map(|Reverse(entry)| {
                let label = labels
                    .get(entry.address.doc_id)
                    .unwrap_or_default()
                    .to_owned();
                (entry, label)
            })
            .collect();
        SegmentFruit {
            total: self.total,
            facets,
            top,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_as_their_values() {
        assert!(time_key(-1) < time_key(0));
        assert!(time_key(i64::MIN) < time_key(-1));
        assert!(time_key(0) < time_key(1_700_000_000_000_000));
        assert!(score_key(0.5) < score_key(1.0));
        assert!(score_key(1.0) < score_key(7.25));
        assert_eq!(score_key(f32::NAN), score_key(0.0));
        assert_eq!(score_of(score_key(7.25)), 7.25);
    }
}
