//! The catalog index (DESIGN decision 3): Tantivy in a folder of its own, fed documents by
//! the caller and knowing nothing of the database. Chinese text is cut by `kaifang_words`
//! both when indexing and when querying: jieba words, pairs of characters (so any Chinese
//! substring is found whatever the dictionary says) and, for titles, pinyin keys.
//!
//! The index remembers the last change record applied (its cursor) in Tantivy's commit
//! payload, so a restarted node applies only what it missed. An index of another schema
//! version, or one that cannot be read, is wiped at open; the caller then rebuilds it.

mod collect;
mod index;
mod query;
mod schema;
mod table;
mod tokenize;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use index::CatalogIndex;

/// Longest query, in characters, that is searched for.
pub const MAX_QUERY_CHARS: usize = 256;

/// The `access_level` of datasets left out unless a request includes them.
pub const CLOSED: &str = "closed";

/// A dataset as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogDoc {
    pub id: String,
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub organization_id: String,
    pub organization_name: String,
    /// District name, e.g. 梁溪区: a facet and a filter.
    pub district: Option<String>,
    /// Vocabulary ids.
    pub theme: String,
    pub access_level: String,
    pub update_frequency: String,
    /// File formats of its resources ("csv", "xlsx"…): a facet with several values.
    pub formats: Vec<String>,
    /// Field names, titles and descriptions of its resources.
    pub fields: Vec<String>,
    pub last_updated: DateTime<Utc>,
    pub downloads: u64,
    pub calls: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRequest {
    /// What the user typed; nothing in it is syntax.
    pub text: Option<String>,
    pub filters: Filters,
    pub include_closed: bool,
    pub sort: SearchSort,
    pub offset: usize,
    pub limit: usize,
}

/// Exact values; every one given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    /// Organization id.
    pub organization: Option<String>,
    pub theme: Option<String>,
    pub access_level: Option<String>,
    pub format: Option<String>,
    pub update_frequency: Option<String>,
    pub district: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchSort {
    /// Best match first, then the most recently updated, then the most used. Without a
    /// query, the same as `Newest`.
    #[default]
    Relevance,
    /// Most recently updated first.
    Newest,
    /// Most downloaded first, then newest.
    Downloads,
    /// Most API calls first, then newest.
    Calls,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SearchResults {
    /// Every matching dataset, not just this page.
    pub total: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: String,
    /// Relevance (0 when the order is not by relevance or there is no query).
    pub score: f32,
    pub snippet: Option<Snippet>,
}

/// Where the query was found, as HTML with `<mark>`: escaped, safe to insert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// "title", "description", "keywords", "organization" or "fields".
    pub field: &'static str,
    pub html: String,
}

/// Counts over every matching dataset, largest first, then by value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// By organization id.
    pub organization: Vec<FacetCount>,
    pub theme: Vec<FacetCount>,
    pub access_level: Vec<FacetCount>,
    pub format: Vec<FacetCount>,
    pub update_frequency: Vec<FacetCount>,
    pub district: Vec<FacetCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the query has {chars} characters; at most {max} are searched")]
    QueryTooLong { chars: usize, max: usize },
    #[error("the search index at {path} is in use by another process")]
    Locked { path: String },
    #[error("search index folder {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("the search index writer is unusable after a panic in another thread")]
    WriterPoisoned,
}
