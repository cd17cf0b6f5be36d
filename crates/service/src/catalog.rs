//! Reading the catalog and a resource's rows, as the viewer is allowed to.

use kaifang_domain::{AccessLevel, Dataset, Resource, Theme};
use kaifang_store::{CatalogStats, DatasetQuery, RowPage, RowQuery};

use crate::{Service, ServiceError, Viewer};

pub use kaifang_store::{DEFAULT_PER_PAGE, MAX_PER_PAGE};

/// Parameters the row API handles itself, not as column filters.
pub const DOWNLOAD_PARAMS: &[&str] = &["format", "bom"];

/// Parses the dataset list's query string; every parameter is checked and named on error.
pub fn dataset_query(params: &[(String, String)]) -> Result<DatasetQuery, ServiceError> {
    let mut query = DatasetQuery {
        page: 1,
        per_page: DEFAULT_PER_PAGE,
        ..DatasetQuery::default()
    };
    let mut seen = std::collections::HashSet::new();
    for (key, value) in params {
        if !seen.insert(key.as_str()) {
            return Err(ServiceError::bad(key, "given more than once"));
        }
        let value = value.trim();
        match key.as_str() {
            "q" => query.q = non_empty(value),
            "organization" => query.organization = non_empty(value),
            "theme" if !value.is_empty() => {
                query.theme =
                    Some(Theme::parse(value).map_err(|e| ServiceError::bad(key, e.to_string()))?);
            }
            "access_level" if !value.is_empty() => {
                let level =
                    AccessLevel::parse(value).map_err(|e| ServiceError::bad(key, e.to_string()))?;
                query.access_level = Some(level);
            }
            "page" => query.page = positive(key, value, u32::MAX)?,
            "per_page" => query.per_page = positive(key, value, MAX_PER_PAGE)?,
            "theme" | "access_level" => {}
            _ => return Err(ServiceError::bad(key, "unknown parameter")),
        }
    }
    Ok(query)
}

fn non_empty(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
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

impl Service {
    pub async fn list_datasets(
        &self,
        viewer: Viewer,
        mut query: DatasetQuery,
    ) -> Result<(u64, Vec<Dataset>), ServiceError> {
        query.include_closed = viewer == Viewer::Staff;
        if !query.include_closed && query.access_level == Some(AccessLevel::Closed) {
            return Ok((0, Vec::new()));
        }
        Ok(self.store.list_datasets(&query).await?)
    }

    pub async fn dataset(&self, viewer: Viewer, id: &str) -> Result<Dataset, ServiceError> {
        let dataset = self.store.dataset(id).await?;
        if viewer.can_see(&dataset) {
            Ok(dataset)
        } else {
            Err(ServiceError::NotFound {
                entity: "dataset",
                id: id.to_owned(),
            })
        }
    }

    /// A resource with its dataset, if the viewer may see the dataset.
    pub async fn resource(
        &self,
        viewer: Viewer,
        id: &str,
    ) -> Result<(Dataset, Resource), ServiceError> {
        let resource = self.store.resource(id).await?;
        let dataset =
            self.dataset(viewer, &resource.dataset_id)
                .await
                .map_err(|err| match err {
                    ServiceError::NotFound { .. } => ServiceError::NotFound {
                        entity: "resource",
                        id: id.to_owned(),
                    },
                    other => other,
                })?;
        Ok((dataset, resource))
    }

    /// A resource whose rows the viewer may read, and the rows query built from `params`.
    pub async fn readable_resource(
        &self,
        viewer: Viewer,
        id: &str,
        params: &[(String, String)],
    ) -> Result<(Resource, RowQuery), ServiceError> {
        let (dataset, resource) = self.resource(viewer, id).await?;
        viewer.check_rows(&dataset)?;
        if resource.rows.is_none() {
            return Err(ServiceError::NotFound {
                entity: "rows of resource",
                id: id.to_owned(),
            });
        }
        let query = RowQuery::from_params(params, &resource.schema, DOWNLOAD_PARAMS)?;
        Ok((resource, query))
    }

    pub async fn rows(
        &self,
        viewer: Viewer,
        id: &str,
        params: &[(String, String)],
    ) -> Result<RowPage, ServiceError> {
        let (resource, query) = self.readable_resource(viewer, id, params).await?;
        Ok(self.store.query_rows(&resource, &query).await?)
    }

    pub async fn organizations(&self) -> Result<Vec<kaifang_domain::Organization>, ServiceError> {
        Ok(self.store.list_organizations().await?)
    }

    pub async fn stats(&self) -> Result<CatalogStats, ServiceError> {
        Ok(self.store.stats().await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn dataset_query_reads_every_filter() {
        let query = dataset_query(&params(&[
            ("q", " 公交 "),
            ("theme", "交通运输"),
            ("access_level", "conditional"),
            ("page", "3"),
            ("per_page", "500"),
        ]));
        let query = query.unwrap_or_default();
        assert_eq!(query.q.as_deref(), Some("公交"));
        assert_eq!(query.theme, Some(Theme::Transport));
        assert_eq!(query.access_level, Some(AccessLevel::Conditional));
        assert_eq!((query.page, query.per_page), (3, MAX_PER_PAGE));
    }

    #[test]
    fn dataset_query_names_the_bad_parameter() {
        let twice = params(&[("page", "1"), ("page", "2")]);
        assert!(matches!(
            dataset_query(&twice),
            Err(ServiceError::BadParameter { .. })
        ));
        for (key, value) in [
            ("page", "0"),
            ("per_page", "x"),
            ("theme", "旅游"),
            ("sort", "a"),
        ] {
            match dataset_query(&params(&[(key, value)])) {
                Err(ServiceError::BadParameter { parameter, .. }) => assert_eq!(parameter, key),
                other => panic!("{key}={value}: expected BadParameter, got {other:?}"),
            }
        }
    }
}
