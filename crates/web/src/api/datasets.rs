use axum::Json;
use axum::extract::State;
use kaifang_service::Viewer;
use kaifang_service::search::query::catalog_query;
use serde_json::{Value, json};

use crate::params::{Id, Params};
use crate::{ApiError, AppState};

/// The catalog search: `q`, facet filters, `sort`, paging; facets and snippets in the answer.
pub async fn list(
    State(state): State<AppState>,
    Params(params): Params,
) -> Result<Json<Value>, ApiError> {
    let query = catalog_query(&params)?;
    let found = state
        .service
        .search_catalog(Viewer::Anonymous, &query)
        .await?;
    Ok(Json(json!(found)))
}

/// Completions for the search box: `q` (what was typed so far), optional `limit` (1–20).
pub async fn suggest(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let typed = params.single("q")?.unwrap_or_default();
    let limit = match params.single("limit")? {
        None => 10,
        Some(limit) => match limit.parse::<usize>() {
            Ok(n @ 1..=20) => n,
            _ => {
                return Err(ApiError::bad(
                    "limit",
                    "expected a whole number from 1 to 20",
                ));
            }
        },
    };
    params.expect_only(&["q", "limit"])?;
    let suggestions = state
        .service
        .suggest(Viewer::Anonymous, &typed, limit)
        .await?;
    Ok(Json(json!({ "q": typed, "suggestions": suggestions })))
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
