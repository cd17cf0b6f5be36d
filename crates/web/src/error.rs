//! The one place where errors become HTTP answers. Bad input is a 4xx naming what was wrong;
//! anything else is logged with its cause and answered with a generic 500.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kaifang_service::ServiceError;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Service(#[from] ServiceError),
    #[error("invalid parameter {parameter}: {message}")]
    BadParameter { parameter: String, message: String },
    #[error("not found")]
    NoRoute,
    #[error("template error: {0}")]
    Template(#[from] minijinja::Error),
}

impl ApiError {
    pub fn bad(parameter: &str, message: impl Into<String>) -> Self {
        Self::BadParameter {
            parameter: parameter.to_owned(),
            message: message.into(),
        }
    }

    /// Status, stable snake_case code, message safe to show, and the parameter at fault.
    pub fn parts(&self) -> (StatusCode, &'static str, String, Option<String>) {
        match self {
            Self::Service(ServiceError::NotFound { entity, id }) => (
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{entity} {id} not found"),
                None,
            ),
            Self::Service(ServiceError::BadParameter { parameter, message })
            | Self::BadParameter { parameter, message } => (
                StatusCode::BAD_REQUEST,
                "bad_parameter",
                format!("invalid parameter {parameter}: {message}"),
                Some(parameter.clone()),
            ),
            Self::Service(ServiceError::Forbidden(message)) => {
                (StatusCode::FORBIDDEN, "forbidden", message.clone(), None)
            }
            Self::Service(ServiceError::Ingest(err)) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "unreadable_file",
                err.to_string(),
                None,
            ),
            Self::Service(ServiceError::Refused(message)) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "refused_file",
                message.clone(),
                None,
            ),
            Self::NoRoute => (
                StatusCode::NOT_FOUND,
                "not_found",
                "no such page".to_owned(),
                None,
            ),
            Self::Service(_) | Self::Template(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error; it has been logged".to_owned(),
                None,
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, parameter) = self.parts();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut body = json!({ "error": { "code": code, "message": message } });
        if let (Some(parameter), Some(error)) = (parameter, body.get_mut("error")) {
            error["parameter"] = json!(parameter);
        }
        (status, Json(body)).into_response()
    }
}

pub async fn not_found() -> ApiError {
    ApiError::NoRoute
}
