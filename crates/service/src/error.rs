use kaifang_search::SearchError;
use kaifang_store::StoreError;
use kaifang_tabular::TabularError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },
    /// A parameter the caller sent is wrong; `parameter` names it.
    #[error("invalid parameter {parameter}: {message}")]
    BadParameter { parameter: String, message: String },
    /// The caller may know the object exists but may not read its rows.
    #[error("{0}")]
    Forbidden(String),
    /// The file could not be imported; nothing was stored.
    #[error("{0}")]
    Ingest(#[from] TabularError),
    /// The file was read but cannot be published as it is; nothing was stored.
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Store(StoreError),
    #[error("{0}")]
    Search(SearchError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for ServiceError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound { entity, id } => Self::NotFound { entity, id },
            StoreError::BadQuery { parameter, message } => {
                Self::BadParameter { parameter, message }
            }
            other => Self::Store(other),
        }
    }
}

impl From<SearchError> for ServiceError {
    fn from(err: SearchError) -> Self {
        match err {
            SearchError::QueryTooLong { .. } => Self::bad("q", err.to_string()),
            other => Self::Search(other),
        }
    }
}

impl ServiceError {
    pub fn bad(parameter: &str, message: impl Into<String>) -> Self {
        Self::BadParameter {
            parameter: parameter.to_owned(),
            message: message.into(),
        }
    }
}
