//! `/api/v1`: the catalog and each resource's schema, rows and downloads.

mod datasets;
mod resources;

use axum::Router;
use axum::routing::get;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/datasets", get(datasets::list))
        .route("/datasets/{id}", get(datasets::show))
        .route("/organizations", get(datasets::organizations))
        .route("/suggest", get(datasets::suggest))
        .route("/resources/{id}", get(resources::show))
        .route("/resources/{id}/schema", get(resources::schema))
        .route("/resources/{id}/rows", get(resources::rows))
        .route("/resources/{id}/download", get(resources::download))
}
