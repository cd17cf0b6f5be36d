use axum::Json;
use axum::extract::State;
use kaifang_service::{Viewer, catalog};
use serde_json::{Value, json};

use crate::params::{Id, Params};
use crate::{ApiError, AppState};

pub async fn list(
    State(state): State<AppState>,
    Params(params): Params,
) -> Result<Json<Value>, ApiError> {
    let query = catalog::dataset_query(&params)?;
    let (page, per_page) = (query.page, query.per_page);
    let (total, items) = state
        .service
        .list_datasets(Viewer::Anonymous, query)
        .await?;
    Ok(Json(
        json!({ "total": total, "page": page, "per_page": per_page, "items": items }),
    ))
}

pub async fn show(
    State(state): State<AppState>,
    Id(id): Id,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    params.expect_none()?;
    let dataset = state.service.dataset(Viewer::Anonymous, &id).await?;
    Ok(Json(json!(dataset)))
}

pub async fn organizations(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    params.expect_none()?;
    let organizations = state.service.organizations().await?;
    Ok(Json(
        json!({ "total": organizations.len(), "items": organizations }),
    ))
}
