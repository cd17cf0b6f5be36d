//! Importing a file: analyse it, keep the original, describe it in the catalog, and load its
//! rows into the datastore with parsing and inserting pipelined on two threads.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use kaifang_domain::{NewDataset, NewResource, OrgKind, ResourceKind};
use kaifang_tabular::{Analysis, ReadOptions, TabularError, Value};
use serde::Serialize;
use tokio::sync::mpsc;

use crate::{Service, ServiceError};

/// Rows per batch handed from the parser thread to the loader.
const BATCH_ROWS: usize = 2048;
/// Batches in flight: enough to keep both threads busy, few enough to keep memory flat.
const BATCHES_IN_FLIGHT: usize = 4;
/// PostgreSQL allows 1,600 columns a table and SQLite 2,000; one limit serves both, with
/// room for the row number.
pub const MAX_FIELDS: usize = 1500;

#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub file: PathBuf,
    /// The organization's name; created as `org_kind` when it does not exist yet.
    pub organization: String,
    pub org_kind: OrgKind,
    /// Catalog metadata; `organization_id` is filled in here.
    pub metadata: NewDataset,
    pub options: ReadOptions,
}

impl ImportRequest {
    /// Metadata defaults for a bare file: the title is the file name without extension.
    pub fn for_file(file: &Path, organization: &str) -> Self {
        let title = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Self {
            file: file.to_owned(),
            organization: organization.to_owned(),
            org_kind: OrgKind::CityDepartment,
            metadata: NewDataset::minimal(title, ""),
            options: ReadOptions::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    pub dataset_id: String,
    pub resource_id: String,
    pub rows: u64,
    pub fields: usize,
    pub format: &'static str,
    pub encoding: Option<String>,
    pub warnings: Vec<kaifang_tabular::Warning>,
}

impl Service {
    /// Imports one file as a new dataset with one resource. Nothing stays in the catalog
    /// when any step fails. `progress` counts rows handed to the loader.
    #[tracing::instrument(skip_all, fields(file = %request.file.display()))]
    pub async fn import_file(
        &self,
        request: ImportRequest,
        progress: Option<Arc<AtomicU64>>,
    ) -> Result<ImportOutcome, ServiceError> {
        let path = request.file.clone();
        let options = request.options.clone();
        let analysis = blocking(move || kaifang_tabular::analyse(&path, &options)).await??;
        if analysis.schema.fields.len() > MAX_FIELDS {
            return Err(ServiceError::Refused(format!(
                "the table has {} columns; at most {MAX_FIELDS} can be published as one resource",
                analysis.schema.fields.len()
            )));
        }
        // Codes only: a warning's message may quote a cell, and cells may be personal data.
        for warning in &analysis.warnings {
            tracing::warn!(code = warning.code, "file read with a warning");
        }
        tracing::info!(
            format = format_id(&analysis),
            rows = analysis.rows,
            fields = analysis.schema.fields.len(),
            "file analysed"
        );

        let (content_hash, size_bytes) = self.store.put_blob(&request.file).await?;
        let organization = self
            .store
            .ensure_organization(&request.organization, request.org_kind, None)
            .await?;
        let mut metadata = request.metadata;
        metadata.organization_id = organization.id;
        let dataset = self.store.create_dataset(&metadata).await?;
        let name = request
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        let resource = self
            .store
            .create_resource(&NewResource {
                dataset_id: dataset.id.clone(),
                name: name.unwrap_or_else(|| dataset.title.clone()),
                kind: ResourceKind::File,
                format: format_id(&analysis).to_owned(),
                size_bytes,
                content_hash,
                encoding: analysis.encoding.clone(),
                sheet: analysis.sheet.clone(),
                schema: analysis.schema.clone(),
            })
            .await;
        let loaded = match resource {
            Ok(resource) => self
                .load(&request.file, &analysis, &resource.id, progress)
                .await
                .map(|rows| (resource.id, rows)),
            Err(err) => Err(err.into()),
        };
        let (resource_id, rows) = match loaded {
            Ok(loaded) => loaded,
            Err(err) => {
                if let Err(cleanup) = self.store.delete_dataset(&dataset.id).await {
                    tracing::error!(dataset_id = %dataset.id, error = %cleanup, "cleanup failed");
                }
                return Err(err);
            }
        };
        tracing::info!(dataset_id = %dataset.id, resource_id = %resource_id, rows, "file imported");
        // This node's own search sees the import at once; other nodes within a poll.
        if let Err(err) = self.search.sync().await {
            tracing::warn!(error = %err, "catalog index update after import failed; will retry");
        }
        Ok(ImportOutcome {
            dataset_id: dataset.id,
            resource_id,
            rows,
            fields: analysis.schema.fields.len(),
            format: format_id(&analysis),
            encoding: analysis.encoding,
            warnings: analysis.warnings,
        })
    }

    /// Parses on a blocking thread while the store inserts the previous batches.
    async fn load(
        &self,
        file: &Path,
        analysis: &Analysis,
        resource_id: &str,
        progress: Option<Arc<AtomicU64>>,
    ) -> Result<u64, ServiceError> {
        let (sender, receiver) = mpsc::channel(BATCHES_IN_FLIGHT);
        let path = file.to_owned();
        let for_parser = analysis.clone();
        let parser = tokio::task::spawn_blocking(move || {
            parse_batches(&path, &for_parser, &sender, progress.as_deref())
        });
        let loaded = self
            .store
            .load_rows(resource_id, &analysis.schema, receiver)
            .await;
        let parsed = parser
            .await
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        // A parse error explains a refused load better than the loader's own error.
        parsed?;
        Ok(loaded?)
    }
}

/// Tab-separated text is published as TSV; other delimited text as CSV.
fn format_id(analysis: &Analysis) -> &'static str {
    match (analysis.format, analysis.delimiter) {
        (kaifang_tabular::Format::Csv, Some('\t')) => "tsv",
        (format, _) => format.id(),
    }
}

type Batch = Result<Vec<Vec<Value>>, String>;

fn parse_batches(
    path: &Path,
    analysis: &Analysis,
    sender: &mpsc::Sender<Batch>,
    progress: Option<&AtomicU64>,
) -> Result<(), TabularError> {
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    let rows = match kaifang_tabular::read_rows(path, analysis) {
        Ok(rows) => rows,
        Err(err) => {
            // The loader must learn that no rows are coming, or it would wait forever.
            let _ = sender.blocking_send(Err(err.to_string()));
            return Err(err);
        }
    };
    for row in rows {
        match row {
            Ok(row) => batch.push(row),
            Err(err) => {
                let _ = sender.blocking_send(Err(err.to_string()));
                return Err(err);
            }
        }
        if batch.len() == BATCH_ROWS {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS));
            if sender.blocking_send(Ok(full)).is_err() {
                return Ok(()); // the loader stopped; its error is the one to report
            }
            if let Some(progress) = progress {
                progress.fetch_add(BATCH_ROWS as u64, Ordering::Relaxed);
            }
        }
    }
    let tail = batch.len() as u64;
    if !batch.is_empty() && sender.blocking_send(Ok(batch)).is_err() {
        return Ok(());
    }
    if let Some(progress) = progress {
        progress.fetch_add(tail, Ordering::Relaxed);
    }
    // Without this marker the loader treats the closed channel as an aborted load.
    let _ = sender.blocking_send(kaifang_store::END_OF_ROWS);
    Ok(())
}

/// Runs file work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ServiceError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))
}
