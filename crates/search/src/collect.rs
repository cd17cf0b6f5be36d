//! One pass over the matching documents: their number, the six facets counted over all of
//! them (per-segment counters indexed by fast-field term ordinals, turned into strings once
//! per segment), and the best `keep` of them in the requested order.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{ColumnValues, StrColumn};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::FacetCount;
use crate::schema::{CALLS, DOWNLOADS, FACET_FIELDS, POPULARITY, UPDATED};

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
    /// The string fast field read for each kept document (its id, or its title).
    pub label: &'static str,
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

type Values<T> = Option<Arc<dyn ColumnValues<T>>>;

fn value<T: Default + PartialOrd + Copy + std::fmt::Debug + 'static>(
    column: &Values<T>,
    doc: DocId,
) -> T {
    column.as_ref().map_or_else(T::default, |c| c.get_val(doc))
}

pub(crate) struct SegmentCatalogCollector {
    segment: SegmentOrdinal,
    order: Order,
    scored: bool,
    keep: usize,
    facets: Vec<(Option<StrColumn>, Vec<u64>)>,
    label: Option<StrColumn>,
    updated: Values<i64>,
    popularity: Values<u64>,
    downloads: Values<u64>,
    calls: Values<u64>,
    heap: BinaryHeap<Reverse<Entry>>,
    total: u64,
}

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
        let fast = reader.fast_fields();
        let u64_values = |name: &str| -> tantivy::Result<Values<u64>> {
            Ok(fast
                .column_opt::<u64>(name)?
                .map(|c| c.first_or_default_col(0)))
        };
        let facets = if self.facets {
            FACET_FIELDS
                .iter()
                .map(|name| {
                    let column = fast.str(name)?;
                    let size = column.as_ref().map_or(0, |c| c.num_terms());
                    Ok((column, vec![0; size]))
                })
                .collect::<tantivy::Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        Ok(SegmentCatalogCollector {
            segment,
            order: self.order,
            scored: self.scored,
            keep: self.keep,
            facets,
            label: fast.str(self.label)?,
            updated: fast
                .column_opt::<i64>(UPDATED)?
                .map(|c| c.first_or_default_col(0)),
            popularity: u64_values(POPULARITY)?,
            downloads: u64_values(DOWNLOADS)?,
            calls: u64_values(CALLS)?,
            heap: BinaryHeap::new(),
            total: 0,
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
        top.sort_by(|a, b| b.0.cmp(&a.0));
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
        let updated = || time_key(value(&self.updated, doc));
        let popularity = || value(&self.popularity, doc);
        match (self.order, self.scored) {
            (Order::Relevance, true) => [score_key(score), updated(), popularity()],
            (Order::Suggest, true) => [score_key(score), popularity(), updated()],
            (Order::Relevance | Order::Suggest | Order::Newest, _) => [updated(), popularity(), 0],
            (Order::Downloads, _) => [value(&self.downloads, doc), updated(), 0],
            (Order::Calls, _) => [value(&self.calls, doc), updated(), 0],
        }
    }
}

impl SegmentCollector for SegmentCatalogCollector {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.total += 1;
        for (column, counts) in &mut self.facets {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    if let Some(count) = usize::try_from(ord).ok().and_then(|o| counts.get_mut(o)) {
                        *count += 1;
                    }
                }
            }
        }
        if self.keep == 0 {
            return;
        }
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

    fn harvest(self) -> SegmentFruit {
        let facets = self
            .facets
            .iter()
            .map(|(column, counts)| {
                let Some(column) = column else {
                    return Vec::new();
                };
                let mut values = Vec::new();
                for (ord, &count) in counts.iter().enumerate() {
                    let mut value = String::new();
                    if count > 0 && matches!(column.ord_to_str(ord as u64, &mut value), Ok(true)) {
                        values.push((value, count));
                    }
                }
                values
            })
            .collect();
        let top = self
            .heap
            .into_iter()
            .map(|Reverse(entry)| {
                let mut label = String::new();
                if let Some(column) = &self.label
                    && let Some(ord) = column.term_ords(entry.address.doc_id).next()
                    && column.ord_to_str(ord, &mut label).is_err()
                {
                    label.clear();
                }
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
