//! Downloads: a resource's rows, filtered like the row API, streamed as CSV, JSON or XLSX.
//! CSV and JSON are encoded chunk by chunk as rows arrive; XLSX, a zip that cannot be
//! streamed, is written to a temporary file in constant-memory mode and then streamed.

use std::io::Write;
use std::sync::{Arc, Mutex};

use futures::StreamExt;
use futures::stream::BoxStream;
use kaifang_domain::Resource;
use kaifang_tabular::Value;
use kaifang_tabular::export::{CsvExport, JsonExport, XlsxExport};
use tokio::sync::mpsc;

use crate::{Service, ServiceError, Viewer};

/// Bytes handed to the client at a time.
const CHUNK_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownloadFormat {
    Csv,
    Json,
    Xlsx,
}

impl DownloadFormat {
    fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
            Self::Xlsx => "xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Json => "application/json",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

pub struct Download {
    pub content_type: &'static str,
    /// The resource's name with the format's extension.
    pub file_name: String,
    /// The same name reduced to ASCII, for clients that ignore `filename*`.
    pub ascii_name: String,
    pub body: BoxStream<'static, Result<Vec<u8>, ServiceError>>,
}

/// A `Write` whose bytes the streaming task drains between rows.
#[derive(Clone, Default)]
struct SharedBuffer(Arc<Mutex<Vec<u8>>>);

impl SharedBuffer {
    fn take_if_over(&self, threshold: usize) -> Option<Vec<u8>> {
        let mut buffer = self.0.lock().ok()?;
        (buffer.len() >= threshold).then(|| std::mem::take(&mut *buffer))
    }
}

impl Write for SharedBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut buffer = self
            .0
            .lock()
            .map_err(|_| std::io::Error::other("buffer poisoned"))?;
        buffer.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Service {
    pub async fn download(
        &self,
        viewer: Viewer,
        id: &str,
        params: &[(String, String)],
        format: DownloadFormat,
        bom: bool,
    ) -> Result<Download, ServiceError> {
        let (resource, mut query) = self.readable_resource(viewer, id, params).await?;
        let fields: Vec<String> = match &query.fields {
            Some(fields) => fields.clone(),
            None => resource
                .schema
                .fields
                .iter()
                .map(|f| f.name.clone())
                .collect(),
        };
        query.limit = u32::MAX;
        self.search.usage.download(&resource.dataset_id);
        let rows = self.store.stream_rows(&resource, &query);
        let body = match format {
            DownloadFormat::Csv | DownloadFormat::Json => text_body(rows, fields, format, bom),
            DownloadFormat::Xlsx => xlsx_body(rows, fields, &resource).await?,
        };
        let stem = resource
            .name
            .rsplit_once('.')
            .map_or(resource.name.as_str(), |(stem, _)| stem);
        let file_name = format!("{stem}.{}", format.extension());
        let ascii_name = format!("{}.{}", resource.id, format.extension());
        tracing::info!(resource_id = %resource.id, format = format.extension(), "download started");
        Ok(Download {
            content_type: format.content_type(),
            file_name,
            ascii_name,
            body,
        })
    }
}

type RowStream = BoxStream<'static, Result<Vec<Value>, kaifang_store::StoreError>>;

fn text_body(
    mut rows: RowStream,
    fields: Vec<String>,
    format: DownloadFormat,
    bom: bool,
) -> BoxStream<'static, Result<Vec<u8>, ServiceError>> {
    let (sender, receiver) = mpsc::channel::<Result<Vec<u8>, ServiceError>>(4);
    tokio::spawn(async move {
        let buffer = SharedBuffer::default();
        let sink: Result<Box<dyn RowSink>, _> = match format {
            DownloadFormat::Json => {
                JsonExport::new(buffer.clone(), &fields).map(|s| Box::new(s) as Box<dyn RowSink>)
            }
            _ => CsvExport::new(buffer.clone(), &fields, bom)
                .map(|s| Box::new(s) as Box<dyn RowSink>),
        };
        let mut sink = match sink {
            Ok(sink) => sink,
            Err(err) => {
                let _ = sender.send(Err(internal(err))).await;
                return;
            }
        };
        while let Some(row) = rows.next().await {
            let written = row
                .map_err(ServiceError::from)
                .and_then(|row| sink.row(&row));
            if let Err(err) = written {
                let _ = sender.send(Err(err)).await;
                return;
            }
            if let Some(chunk) = buffer.take_if_over(CHUNK_BYTES)
                && sender.send(Ok(chunk)).await.is_err()
            {
                return; // the client went away
            }
        }
        let last = sink
            .end()
            .map(|()| buffer.take_if_over(0).unwrap_or_default());
        let _ = sender.send(last).await;
    });
    receiver_stream(receiver)
}

async fn xlsx_body(
    mut rows: RowStream,
    fields: Vec<String>,
    resource: &Resource,
) -> Result<BoxStream<'static, Result<Vec<u8>, ServiceError>>, ServiceError> {
    let file = tempfile::NamedTempFile::new().map_err(|e| ServiceError::Internal(e.to_string()))?;
    let path = file.path().to_owned();
    let sheet = resource.sheet.clone().unwrap_or_else(|| "data".to_owned());
    let (sender, mut receiver) = mpsc::channel::<Vec<Value>>(1024);
    let writer = tokio::task::spawn_blocking(move || -> Result<(), ServiceError> {
        let mut export = XlsxExport::new(&fields, Some(&sheet)).map_err(internal)?;
        while let Some(row) = receiver.blocking_recv() {
            export.write_row(&row).map_err(internal)?;
        }
        export.finish_to_path(&path).map_err(internal)
    });
    while let Some(row) = rows.next().await {
        if sender.send(row?).await.is_err() {
            break;
        }
    }
    drop(sender);
    writer.await.map_err(internal)??;
    let reader = tokio::fs::File::open(file.path()).await.map_err(internal)?;
    // The open handle keeps the bytes readable after the temporary file is unlinked.
    drop(file);
    let chunks = tokio_util::io::ReaderStream::with_capacity(reader, CHUNK_BYTES);
    Ok(Box::pin(chunks.map(|chunk| {
        chunk.map(|bytes| bytes.to_vec()).map_err(internal)
    })))
}

fn internal(err: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(err.to_string())
}

/// Both text encoders behind one face for the streaming loop.
trait RowSink: Send {
    fn row(&mut self, row: &[Value]) -> Result<(), ServiceError>;
    fn end(self: Box<Self>) -> Result<(), ServiceError>;
}

impl<W: Write + Send> RowSink for CsvExport<W> {
    fn row(&mut self, row: &[Value]) -> Result<(), ServiceError> {
        self.write_row(row).map_err(internal)
    }
    fn end(self: Box<Self>) -> Result<(), ServiceError> {
        self.finish().map(|_| ()).map_err(internal)
    }
}

impl<W: Write + Send> RowSink for JsonExport<W> {
    fn row(&mut self, row: &[Value]) -> Result<(), ServiceError> {
        self.write_row(row).map_err(internal)
    }
    fn end(self: Box<Self>) -> Result<(), ServiceError> {
        self.finish().map(|_| ()).map_err(internal)
    }
}

fn receiver_stream<T: Send + 'static>(mut receiver: mpsc::Receiver<T>) -> BoxStream<'static, T> {
    Box::pin(futures::stream::poll_fn(move |cx| receiver.poll_recv(cx)))
}
