//! The catalog search as the API and the pages ask for it: parameters checked and named on
//! error, results as the viewer may see them, facet values with their labels.

use std::collections::HashSet;

use kaifang_domain::{AccessLevel, Dataset, Theme, UpdateFrequency};
use kaifang_search::{FacetCount, Filters, SearchRequest, SearchSort, Snippet};
use serde::Serialize;

use crate::{Service, ServiceError, Viewer};

pub use kaifang_store::{DEFAULT_PER_PAGE, MAX_PER_PAGE};

/// A search of the catalog: text, filters (each one a facet's value), order and page.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogQuery {
    pub q: Option<String>,
    pub filters: Filters,
    pub sort: SearchSort,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

impl Default for CatalogQuery {
    fn default() -> Self {
        Self {
            q: None,
            filters: Filters::default(),
            sort: SearchSort::Relevance,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

pub const SORTS: &[(&str, SearchSort)] = &[
    ("relevance", SearchSort::Relevance),
    ("newest", SearchSort::Newest),
    ("downloads", SearchSort::Downloads),
    ("calls", SearchSort::Calls),
];

pub fn sort_id(sort: SearchSort) -> &'static str {
    SORTS
        .iter()
        .find(|(_, s)| *s == sort)
        .map_or("relevance", |(id, _)| id)
}

/// Parses the dataset list's query string; every parameter is checked and named on error.
pub fn catalog_query(params: &[(String, String)]) -> Result<CatalogQuery, ServiceError> {
    let mut query = CatalogQuery::default();
    let mut seen = HashSet::new();
    for (key, value) in params {
        if !seen.insert(key.as_str()) {
            return Err(ServiceError::bad(key, "given more than once"));
        }
        let value = value.trim();
        let text = || (!value.is_empty()).then(|| value.to_owned());
        let bad = |e: kaifang_domain::VocabError| ServiceError::bad(key, e.to_string());
        let filters = &mut query.filters;
        match key.as_str() {
            "q" => query.q = text(),
            "organization" => filters.organization = text(),
            "format" => filters.format = text().map(|f| f.to_lowercase()),
            "district" => filters.district = text(),
            "theme" if !value.is_empty() => {
                filters.theme = Some(Theme::parse(value).map_err(bad)?.id().to_owned());
            }
            "access_level" if !value.is_empty() => {
                filters.access_level =
                    Some(AccessLevel::parse(value).map_err(bad)?.id().to_owned());
            }
            "update_frequency" if !value.is_empty() => {
                let frequency = UpdateFrequency::parse(value).map_err(bad)?;
                filters.update_frequency = Some(frequency.id().to_owned());
            }
            "theme" | "access_level" | "update_frequency" | "sort" if value.is_empty() => {}
            "sort" => {
                query.sort = SORTS
                    .iter()
                    .find(|(id, _)| *id == value)
                    .map(|(_, sort)| *sort)
                    .ok_or_else(|| {
                        ServiceError::bad(key, "expected relevance, newest, downloads or calls")
                    })?;
            }
            "page" => query.page = positive(key, value, u32::MAX)?,
            "per_page" => query.per_page = positive(key, value, MAX_PER_PAGE)?,
            _ => return Err(ServiceError::bad(key, "unknown parameter")),
        }
    }
    Ok(query)
}

/// A whole number ≥ 1; values above `cap` are clamped to it.
fn positive(key: &str, value: &str, cap: u32) -> Result<u32, ServiceError> {
    match value.parse::<u64>() {
        Ok(n) if n >= 1 => Ok(u32::try_from(n).unwrap_or(u32::MAX).min(cap)),
        _ => Err(ServiceError::bad(
            key,
            format!("expected a whole number ≥ 1, got {value:?}"),
        )),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CatalogPage {
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    #[serde(serialize_with = "serialize_sort")]
    pub sort: SearchSort,
    pub items: Vec<Found>,
    pub facets: Facets,
}

fn serialize_sort<S: serde::Serializer>(sort: &SearchSort, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(sort_id(*sort))
}

/// A dataset found, with where the query matched.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    #[serde(flatten)]
    pub dataset: Dataset,
    pub snippet: Option<Snippet>,
}

/// Counts over the whole result, each value with its label; every value is also a filter
/// parameter of the same name.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub organization: Vec<FacetValue>,
    pub theme: Vec<FacetValue>,
    pub access_level: Vec<FacetValue>,
    pub format: Vec<FacetValue>,
    pub update_frequency: Vec<FacetValue>,
    pub district: Vec<FacetValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: u64,
}

fn labelled(counts: Vec<FacetCount>, label: impl Fn(&str) -> Option<String>) -> Vec<FacetValue> {
    counts
        .into_iter()
        .map(|c| FacetValue {
            label: label(&c.value).unwrap_or_else(|| c.value.clone()),
            value: c.value,
            count: c.count,
        })
        .collect()
}

/// What to offer when a search finds nothing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub text: String,
    /// "search": a popular search; "title": a dataset's title.
    pub kind: &'static str,
}

impl Service {
    /// The datasets matching `query` that the viewer may see, best first, with facets.
    pub async fn search_catalog(
        &self,
        viewer: Viewer,
        query: &CatalogQuery,
    ) -> Result<CatalogPage, ServiceError> {
        let include_closed = viewer == Viewer::Staff;
        let per_page = query.per_page.clamp(1, MAX_PER_PAGE);
        let page = query.page.max(1);
        let organizations = self.search.organizations();
        let mut filters = query.filters.clone();
        // An organization may be named as well as given by id.
        if let Some(named) = filters.organization.as_mut()
            && let Some(id) = organizations.id_named(named)
        {
            *named = id.to_owned();
        }
        let request = SearchRequest {
            text: query.q.clone(),
            filters,
            include_closed,
            sort: query.sort,
            offset: usize::try_from(u64::from(page - 1) * u64::from(per_page))
                .unwrap_or(usize::MAX),
            limit: per_page as usize,
        };
        let index = self.search.index()?.clone();
        let results = tokio::task::spawn_blocking(move || index.search(&request))
            .await
            .map_err(|e| ServiceError::Internal(format!("search stopped: {e}")))??;

        let ids: Vec<String> = results.hits.iter().map(|h| h.id.clone()).collect();
        let mut datasets = self.store.datasets_by_ids(&ids).await?;
        let mut items = Vec::with_capacity(results.hits.len());
        for hit in results.hits {
            // A dataset deleted since the index answered is simply left out.
            if let Some(at) = datasets.iter().position(|d| d.id == hit.id) {
                let dataset = datasets.swap_remove(at);
                if viewer.can_see(&dataset) {
                    items.push(Found {
                        dataset,
                        snippet: hit.snippet,
                    });
                }
            }
        }
        if let Some(q) = query
            .q
            .as_deref()
            .filter(|_| results.total > 0 && page == 1)
        {
            self.search.usage.searched(q);
        }
        let org_name = |id: &str| organizations.name(id).map(str::to_owned);
        let f = results.facets;
        let facets = Facets {
            organization: labelled(f.organization, org_name),
            theme: labelled(f.theme, |v| {
                Theme::parse(v).ok().map(|t| t.label_zh().to_owned())
            }),
            access_level: labelled(f.access_level, |v| {
                AccessLevel::parse(v).ok().map(|l| l.label_zh().to_owned())
            }),
            format: labelled(f.format, |v| Some(v.to_uppercase())),
            update_frequency: labelled(f.update_frequency, |v| {
                UpdateFrequency::parse(v)
                    .ok()
                    .map(|u| u.label_zh().to_owned())
            }),
            district: labelled(f.district, |v| Some(v.to_owned())),
        };
        Ok(CatalogPage {
            total: results.total,
            page,
            per_page,
            sort: query.sort,
            items,
            facets,
        })
    }

    /// Completions for what has been typed so far: popular searches, then dataset titles.
    pub async fn suggest(
        &self,
        viewer: Viewer,
        typed: &str,
        limit: usize,
    ) -> Result<Vec<Suggestion>, ServiceError> {
        let limit = limit.clamp(1, 20);
        let prefix = kaifang_words::normalize(typed.trim()).text;
        if prefix.is_empty() {
            return Ok(Vec::new());
        }
        let mut out: Vec<Suggestion> = self
            .search
            .usage
            .popular_starting_with(&prefix, limit.div_ceil(2))
            .into_iter()
            .map(|text| Suggestion {
                text,
                kind: "search",
            })
            .collect();
        let index = self.search.index()?.clone();
        let include_closed = viewer == Viewer::Staff;
        let typed = typed.to_owned();
        let titles =
            tokio::task::spawn_blocking(move || index.suggest(&typed, include_closed, limit))
                .await
                .map_err(|e| ServiceError::Internal(format!("suggest stopped: {e}")))??;
        for title in titles {
            if out.len() >= limit {
                break;
            }
            if !out.iter().any(|s| s.text == title) {
                out.push(Suggestion {
                    text: title,
                    kind: "title",
                });
            }
        }
        Ok(out)
    }

    /// Nearby searches that do find something, for a search that found nothing: each word of
    /// a query of several words on its own, then completions of its first word.
    pub async fn nearest_searches(
        &self,
        viewer: Viewer,
        q: &str,
    ) -> Result<Vec<Suggestion>, ServiceError> {
        let pieces = kaifang_words::query_pieces(q);
        let mut out = Vec::new();
        if pieces.len() > 1 {
            for piece in &pieces {
                let single = CatalogQuery {
                    q: Some(piece.text.clone()),
                    per_page: 1,
                    ..CatalogQuery::default()
                };
                if self.search_catalog(viewer, &single).await?.total > 0 {
                    out.push(Suggestion {
                        text: piece.text.clone(),
                        kind: "search",
                    });
                }
            }
        }
        if let Some(first) = pieces.first() {
            let start: String = first.text.chars().take(2).collect();
            for suggestion in self.suggest(viewer, &start, 5).await? {
                if !out.contains(&suggestion) {
                    out.push(suggestion);
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn catalog_query_reads_every_filter() {
        let query = catalog_query(&params(&[
            ("q", " 公交 "),
            ("theme", "交通运输"),
            ("access_level", "conditional"),
            ("update_frequency", "每天"),
            ("format", "CSV"),
            ("district", "梁溪区"),
            ("sort", "downloads"),
            ("page", "3"),
            ("per_page", "500"),
        ]))
        .expect("every value is valid");
        assert_eq!(query.q.as_deref(), Some("公交"));
        assert_eq!(query.filters.theme.as_deref(), Some(Theme::Transport.id()));
        assert_eq!(query.filters.access_level.as_deref(), Some("conditional"));
        assert_eq!(query.filters.update_frequency.as_deref(), Some("daily"));
        assert_eq!(query.filters.format.as_deref(), Some("csv"));
        assert_eq!(query.filters.district.as_deref(), Some("梁溪区"));
        assert_eq!(query.sort, SearchSort::Downloads);
        assert_eq!((query.page, query.per_page), (3, MAX_PER_PAGE));
    }

    #[test]
    fn catalog_query_names_the_bad_parameter() {
        let twice = params(&[("page", "1"), ("page", "2")]);
        assert!(matches!(
            catalog_query(&twice),
            Err(ServiceError::BadParameter { .. })
        ));
        for (key, value) in [
            ("page", "0"),
            ("per_page", "x"),
            ("theme", "旅游"),
            ("sort", "a"),
            ("update_frequency", "hourly"),
            ("colour", "red"),
        ] {
            match catalog_query(&params(&[(key, value)])) {
                Err(ServiceError::BadParameter { parameter, .. }) => assert_eq!(parameter, key),
                other => panic!("{key}={value}: expected BadParameter, got {other:?}"),
            }
        }
    }
}
