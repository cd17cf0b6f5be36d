use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use kaifang_service::Viewer;
use kaifang_service::export::DownloadFormat;
use kaifang_store::RowPage;
use serde_json::{Map, Value, json};

use crate::params::{Id, Params, single};
use crate::{ApiError, AppState};

pub async fn show(
    State(state): State<AppState>,
    Id(id): Id,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    params.expect_none()?;
    let (_, resource) = state.service.resource(Viewer::Anonymous, &id).await?;
    Ok(Json(json!(resource)))
}

pub async fn schema(
    State(state): State<AppState>,
    Id(id): Id,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    params.expect_none()?;
    let (_, resource) = state.service.resource(Viewer::Anonymous, &id).await?;
    Ok(Json(json!(resource.schema)))
}

pub async fn rows(
    State(state): State<AppState>,
    Id(id): Id,
    Params(params): Params,
) -> Result<Json<Value>, ApiError> {
    let page = state.service.rows(Viewer::Anonymous, &id, &params).await?;
    Ok(Json(page_json(&page)))
}

/// Rows as objects keyed by field name, in field order.
pub fn page_json(page: &RowPage) -> Value {
    let rows: Vec<Value> = page
        .rows
        .iter()
        .map(|row| {
            let object: Map<String, Value> = page
                .fields
                .iter()
                .cloned()
                .zip(row.iter().map(kaifang_tabular::Value::to_json))
                .collect();
            Value::Object(object)
        })
        .collect();
    json!({ "total": page.total, "limit": page.limit, "rows": rows, "next": page.next })
}

pub async fn download(
    State(state): State<AppState>,
    Id(id): Id,
    Params(params): Params,
) -> Result<Response, ApiError> {
    let format = match single(&params, "format")? {
        None | Some("csv") => DownloadFormat::Csv,
        Some("json") => DownloadFormat::Json,
        Some("xlsx") => DownloadFormat::Xlsx,
        Some(other) => {
            return Err(ApiError::bad(
                "format",
                format!("expected csv, json or xlsx, got {other:?}"),
            ));
        }
    };
    let bom = match single(&params, "bom")? {
        None | Some("0" | "false" | "") => false,
        Some("1" | "true") => true,
        Some(other) => {
            return Err(ApiError::bad(
                "bom",
                format!("expected 1 or 0, got {other:?}"),
            ));
        }
    };
    let download = state
        .service
        .download(Viewer::Anonymous, &id, &params, format, bom)
        .await?;
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        download.ascii_name,
        percent_encoding::utf8_percent_encode(
            &download.file_name,
            percent_encoding::NON_ALPHANUMERIC
        )
    );
    let body = Body::from_stream(
        download
            .body
            .map(|chunk| chunk.map_err(std::io::Error::other)),
    );
    Ok((
        [
            (header::CONTENT_TYPE, download.content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}
