#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },
    /// A query parameter the caller sent is wrong; `parameter` names it.
    #[error("invalid parameter {parameter}: {message}")]
    BadQuery { parameter: String, message: String },
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("blob store error: {0}")]
    Blob(String),
    #[error("load of resource {resource_id} aborted: {reason}")]
    LoadAborted { resource_id: String, reason: String },
}
