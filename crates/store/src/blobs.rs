//! Original files, named by their SHA-256, through OpenDAL (a local folder for now; any
//! S3-compatible store by configuration later, DESIGN decision 4).

use std::path::Path;

use bytes::Bytes;
use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use opendal::{ErrorKind, Operator};
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;

use crate::StoreError;

const CHUNK: usize = 256 * 1024;
/// Uploads in progress; renamed to their hash once complete, so a reader never sees half a
/// blob under a hash.
const PARTIAL_DIR: &str = "partial/";

/// A stored original being read: its size and its bytes as a stream.
pub struct BlobReader {
    pub size: u64,
    pub stream: BoxStream<'static, Result<Bytes, StoreError>>,
}

impl std::fmt::Debug for BlobReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobReader")
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Blobs {
    op: Operator,
}

fn blob_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Blob(e.to_string())
}

/// Only a lowercase hex SHA-256 names a blob; anything else (`../x`) is not found.
fn is_hash(hash: &str) -> bool {
    hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl Blobs {
    pub(crate) fn open(root: &Path) -> Result<Self, StoreError> {
        let root = root.to_str().ok_or_else(|| {
            StoreError::Blob(format!("blob folder {} is not UTF-8", root.display()))
        })?;
        let builder = opendal::services::Fs::default().root(root);
        let op = Operator::new(builder).map_err(blob_error)?.finish();
        Ok(Self { op })
    }

    /// Copies `path` in, hashing while streaming; returns `(sha256 hex, size)`.
    pub(crate) async fn put(&self, path: &Path) -> Result<(String, i64), StoreError> {
        let mut file = tokio::fs::File::open(path)
            .await
            .map_err(|e| StoreError::Blob(format!("cannot open {}: {e}", path.display())))?;
        let partial = format!("{PARTIAL_DIR}{}", uuid::Uuid::now_v7().simple());
        let mut writer = self.op.writer(&partial).await.map_err(blob_error)?;
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let copied: Result<(), StoreError> = async {
            loop {
                let mut chunk = vec![0u8; CHUNK];
                let n = file.read(&mut chunk).await.map_err(blob_error)?;
                if n == 0 {
                    break;
                }
                chunk.truncate(n);
                hasher.update(&chunk);
                size += n as u64;
                writer.write(chunk).await.map_err(blob_error)?;
            }
            writer.close().await.map_err(blob_error)?;
            Ok(())
        }
        .await;
        if let Err(e) = copied {
            let _ = writer.abort().await;
            let _ = self.op.delete(&partial).await;
            return Err(e);
        }
        let hash = hex::encode(hasher.finalize());
        if self.op.exists(&hash).await.map_err(blob_error)? {
            self.op.delete(&partial).await.map_err(blob_error)?;
        } else {
            self.op.rename(&partial, &hash).await.map_err(blob_error)?;
        }
        let size = i64::try_from(size).map_err(blob_error)?;
        Ok((hash, size))
    }

    pub(crate) async fn read(&self, hash: &str) -> Result<BlobReader, StoreError> {
        let not_found = || StoreError::NotFound {
            entity: "blob",
            id: hash.to_owned(),
        };
        if !is_hash(hash) {
            return Err(not_found());
        }
        let meta = self.op.stat(hash).await.map_err(|e| match e.kind() {
            ErrorKind::NotFound => not_found(),
            _ => blob_error(e),
        })?;
        let reader = self.op.reader(hash).await.map_err(blob_error)?;
        let stream = reader.into_bytes_stream(..).await.map_err(blob_error)?;
        Ok(BlobReader {
            size: meta.content_length(),
            stream: stream.map_err(blob_error).boxed(),
        })
    }
}
