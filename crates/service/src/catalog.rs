//! Reading the catalog and a resource's rows, as the viewer is allowed to.

use kaifang_domain::{Dataset, Resource};
use kaifang_store::{CatalogStats, RowPage, RowQuery};

use crate::{Service, ServiceError, Viewer};

/// Parameters the row API handles itself, not as column filters.
pub const DOWNLOAD_PARAMS: &[&str] = &["format", "bom"];

impl Service {
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
        self.search.usage.call(&resource.dataset_id);
        Ok(self.store.query_rows(&resource, &query).await?)
    }

    pub async fn organizations(&self) -> Result<Vec<kaifang_domain::Organization>, ServiceError> {
        Ok(self.store.list_organizations().await?)
    }

    pub async fn stats(&self) -> Result<CatalogStats, ServiceError> {
        Ok(self.store.stats().await?)
    }
}
