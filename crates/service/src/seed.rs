//! Filling an empty catalog with the generated demo (`serve --demo`).

use std::path::Path;

use kaifang_domain::OrgKind;

use crate::ingest::ImportRequest;
use crate::{Service, ServiceError};

impl Service {
    /// Generates the demo files under `dir` and imports them, only when the catalog holds no
    /// dataset yet. Returns how many datasets were loaded.
    pub async fn load_demo_if_empty(&self, dir: &Path) -> Result<usize, ServiceError> {
        let stats = self.store.stats().await?;
        if stats.datasets > 0 {
            tracing::info!(
                datasets = stats.datasets,
                "catalog not empty; demo not loaded"
            );
            return Ok(0);
        }
        std::fs::create_dir_all(dir).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let catalog =
            crate::demo::generate(dir).map_err(|e| ServiceError::Internal(e.to_string()))?;
        for organization in &catalog.organizations {
            let parent = match &organization.parent {
                Some(name) => Some(
                    self.store
                        .ensure_organization(name, OrgKind::District, None)
                        .await?
                        .id,
                ),
                None => None,
            };
            self.store
                .ensure_organization(&organization.name, organization.kind, parent.as_deref())
                .await?;
        }
        let count = catalog.datasets.len();
        for entry in catalog.datasets {
            let mut request = ImportRequest::for_file(&entry.file, &entry.organization);
            request.metadata = entry.dataset;
            let outcome = self.import_file(request, None).await?;
            let (dataset_id, rows) = (outcome.dataset_id, outcome.rows);
            tracing::info!(%dataset_id, rows, "demo dataset loaded");
        }
        Ok(count)
    }
}
